//! T601: a section of the report is missing.

use crate::layout;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;
use crate::raw::InputKind;

pub const RULE: Rule = Rule {
    code: "T601",
    name: "section-missing",
    severity: Severity::Error,
    summary: "缺少报告的一个部分（六个部分之一）",
    summary_en: "One of the six sections of the report is missing",
    explain: "## What it does\n\
Reports each of the six sections (一、总体情况 … 六、其他需要报告的事项, 国办公开办函〔2021〕30号, its six sections) whose heading is not in the \
report, matched after normalising brackets and spaces and accepting known wordings. A workbook that holds only the \
tables (none of sections 一, 五, 六) is not checked: its text is in the Word file.\n\n\
## Why\n\
条例 art. 50 and 国办公开办函〔2021〕30号 fix the content: \"不能遗漏,也不宜泛化\".\n\n\
## Example\n\
A report without 六、其他需要报告的事项.\n\n\
## Fix\n\
None: write the section.",
    explain_zh: "## 作用\n\
逐个报告报告中没有的部分（一、总体情况 … 六、其他需要报告的事项），标题比对时统一括号和空格，并接受已知写法。只有统计表的工作簿（没有第一、五、六部分）不检查：它的文字在 Word 文件中。\n\n\
## 原因\n\
《条例》第五十条和国办公开办函〔2021〕30号规定了报告的内容：“不能遗漏，也不宜泛化”。\n\n\
## 示例\n\
没有「六、其他需要报告的事项」的报告。\n\n\
## 修复\n\
无：补写该部分。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("section-6-dropped", 1, &[Given::Paragraph("六、其他需要报告的事项", "")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    // A workbook often holds only the tables (under their section headings) while the text is in the Word file:
    // it is checked only when it carries some of the narrative sections.
    let spreadsheet = matches!(report.input, InputKind::Xlsx | InputKind::Xls);
    let narrative = report
        .sections
        .iter()
        .any(|s| matches!(s.key, "overview" | "problems" | "other_matters") && !layout::is_absence_note(&s.text));
    // A workbook a document was converted into says under the sections its source lacked that they are missing.
    let converted_document =
        report.sections.iter().any(|s| layout::absence_note(&s.text) == Some(layout::NOTE_SECTION_ABSENT));
    if (spreadsheet && !narrative && !converted_document) || report.tables.is_empty() {
        return;
    }
    for (key, heading) in layout::SECTIONS {
        // A section a conversion marked absent is missing as it was in the source; one marked as text held elsewhere
        // (a workbook of tables converted) is not asked for, as it was not in the workbook.
        match report.sections.iter().find(|s| s.key == *key) {
            Some(s) if layout::absence_note(&s.text) == Some(layout::NOTE_SECTION_ABSENT) => {}
            Some(_) => continue,
            None => {}
        }
        sink.push(
            Finding::new(format!("缺少「{heading}」部分"), format!("the section 「{heading}」 is missing"))
                .help("按国办公开办函〔2021〕30号的六个部分撰写报告", "write the six sections of the 2021 format"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.input = crate::raw::InputKind::Docx;
        for (key, heading) in crate::layout::SECTIONS {
            r.sections.push(section(key, heading, ""));
        }
        assert!(run(&r, "T601").is_empty());
        r.sections.retain(|s| s.key != "other_matters");
        assert_eq!(run(&r, "T601").len(), 1);
    }
}
