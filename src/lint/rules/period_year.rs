//! M503: the statistics period is not the report year.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "M503",
    name: "period-year",
    severity: Severity::Warning,
    summary: "统计期限的年份与报告年度不一致",
    summary_en: "The statistics period is not the report year",
    explain: "## What it does\n\
Warns when the preamble's `本报告中所列数据统计期限为YYYY年1月1日至12月31日` names another year than the title \
(README › Rules).\n\n\
## Why\n\
Usually last year's preamble copied unchanged.\n\n\
## Example\n\
Title 2023年度, period 2022年1月1日至12月31日.\n\n\
## Fix\n\
None: correct the year.",
    explain_zh: "## 作用\n\
开头的「本报告中所列数据统计期限为YYYY年1月1日至12月31日」中的年份与标题不一致时提出警告。\n\n\
## 原因\n\
通常是照抄了上一年的开头。\n\n\
## 示例\n\
标题为 2023年度，统计期限为 2022年1月1日至12月31日。\n\n\
## 修复\n\
无：改正年份。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "period-of-the-report-year",
            &[Given::AddParagraph("一、总体情况", "本报告中所列数据统计期限为2023年1月1日至12月31日。")],
        ),
        Vector::fail(
            "period-of-another-year",
            1,
            &[Given::AddParagraph("一、总体情况", "本报告中所列数据统计期限为2022年1月1日至12月31日。")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let (Some(year), Some(period)) = (report.meta.year, report.meta.period_year) else { return };
    if year == period {
        return;
    }
    sink.push(
        Finding::new(
            format!("统计期限为 {period} 年，而报告年度为 {year} 年"),
            format!("the statistics period is {period}, the report year {year}"),
        )
        .help("核对统计期限中的年份", "check the year of the statistics period"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.meta.period_year = Some(2023);
        assert!(run(&r, "M503").is_empty());
        r.meta.period_year = Some(2022);
        assert_eq!(run(&r, "M503").len(), 1);
    }
}
