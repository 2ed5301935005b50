//! T606: a date line that lost 年月日 and can be read more than one way.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T606",
    name: "date-ambiguous",
    severity: Severity::Warning,
    summary: "落款日期缺少年月日且有多种读法",
    summary_en: "A date line lost 年月日 and has several readings",
    explain: "## What it does\n\
Reports a date line such as `2024126` that can be read as 2024年1月26日 or 2024年12月6日 (README › Rules). The publication deadline is then checked against the page's 发布时间 only.\n\n\
## Why\n\
A date that cannot be read cannot be checked.\n\n\
## Example\n\
`2024111`: 1月11日 or 11月1日.\n\n\
## Fix\n\
None: check the original document.",
    explain_zh: "## 作用\n\
报告可以读成两种日期的落款，如「2024126」可以是 2024年1月26日 或 2024年12月6日。此时只用网页的发布时间检查发布期限。\n\n\
## 原因\n\
读不出的日期无法核对。\n\n\
## 示例\n\
「2024111」：1月11日还是11月1日。\n\n\
## 修复\n\
无：核对原始文件。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("date-line-lost-its-characters", 1, &[Given::Paragraph("2024年1月20日", "2024126")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for r in &report.meta.repairs {
        if r.readings.len() > 1 {
            let all = r.readings.join(" 或 ");
            sink.push(
                Finding::new(
                    format!("落款日期「{}」缺少年月日，可读作 {all}", r.original),
                    format!("the date line 「{}」 lost 年月日 and reads as {}", r.original, r.readings.join(" or ")),
                )
                .help("对照原件确认日期", "check the date in the original"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::model::Repair;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.meta.repairs.push(Repair {
            original: "2024130".into(),
            readings: vec!["2024-01-30".into()],
            origin: String::new(),
        });
        assert!(run(&r, "T606").is_empty(), "one reading is T605's");
        r.meta.repairs[0].readings.push("2024-11-03".into());
        assert_eq!(run(&r, "T606").len(), 1);
    }
}
