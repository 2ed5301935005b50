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
Reports each of the six sections (一、总体情况 … 六、其他需要报告的事项, FORMAT.md §1.1) whose heading is not in the \
report, matched after normalising brackets and spaces and accepting known wordings. A workbook that holds only the \
tables (none of sections 一, 五, 六) is not checked: its text is in the Word file.\n\n\
## Why\n\
条例 art. 50 and 国办公开办函〔2021〕30号 fix the content: \"不能遗漏,也不宜泛化\".\n\n\
## Example\n\
A report without 六、其他需要报告的事项.\n\n\
## Fix\n\
None: write the section.",
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
    let narrative = report.sections.iter().any(|s| matches!(s.key, "overview" | "problems" | "other_matters"));
    if (spreadsheet && !narrative) || report.tables.is_empty() {
        return;
    }
    for (key, heading) in layout::SECTIONS {
        if report.sections.iter().any(|s| s.key == *key) {
            continue;
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
