//! T602: the sections are out of order.

use crate::layout;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T602",
    name: "section-order",
    severity: Severity::Error,
    summary: "报告各部分的顺序与标准格式不一致",
    summary_en: "The sections are not in the order of the format",
    explain: "## What it does\n\
Reports a section heading that comes before one that the format puts ahead of it (国办公开办函〔2021〕30号, its six sections). \
Workbooks are not checked: their sheets have no order to read in.\n\n\
## Why\n\
The six parts follow 条例 art. 50 in a fixed order; reviewers read them in that order.\n\n\
## Example\n\
五、存在的主要问题及改进情况 placed before 四、政府信息公开行政复议、行政诉讼情况.\n\n\
## Fix\n\
None: move the section.",
    explain_zh: "## 作用\n\
报告排在格式中应在它前面的部分之前的部分标题。工作簿不检查：工作表没有先后顺序可读。\n\n\
## 原因\n\
六个部分按《条例》第五十条的顺序排列，审核人员按此顺序阅读。\n\n\
## 示例\n\
「五、存在的主要问题及改进情况」排在「四、政府信息公开行政复议、行政诉讼情况」之前。\n\n\
## 修复\n\
无：调整该部分的位置。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "sections-5-and-6-swapped",
            1,
            &[
                Given::Paragraph("六、其他需要报告的事项", "五、存在的主要问题及改进情况"),
                Given::Paragraph("五、存在的主要问题及改进情况", "六、其他需要报告的事项"),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    // A workbook's sheets have no reading order between them: its headings may come in any order.
    if matches!(report.input, crate::raw::InputKind::Xlsx | crate::raw::InputKind::Xls) {
        return;
    }
    let rank = |key: &str| layout::SECTIONS.iter().position(|(k, _)| *k == key).unwrap_or(usize::MAX);
    let mut highest: Option<&crate::model::Section> = None;
    for s in &report.sections {
        if let Some(h) = highest
            && rank(s.key) < rank(h.key)
        {
            sink.push(
                Finding::new(
                    format!("「{}」出现在「{}」之后，顺序与标准格式不一致", s.heading, h.heading),
                    format!("「{}」 comes after 「{}」, out of the format's order", s.heading, h.heading),
                )
                .help("按一至六的顺序排列各部分", "put the sections in the order 一 to 六"),
            );
            continue;
        }
        if highest.is_none_or(|h| rank(s.key) > rank(h.key)) {
            highest = Some(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.input = crate::raw::InputKind::Docx;
        let s = |key: &'static str, heading: &str| section(key, heading, "");
        r.sections = vec![s("overview", "一、总体情况"), s("problems", "五、存在的主要问题及改进情况")];
        assert!(run(&r, "T602").is_empty());
        r.sections.push(s("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"));
        assert_eq!(run(&r, "T602").len(), 1);
        r.input = crate::raw::InputKind::Xlsx;
        assert!(run(&r, "T602").is_empty(), "a workbook's sheets have no order");
    }
}
