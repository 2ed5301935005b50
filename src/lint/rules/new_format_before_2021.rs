//! F402: the 2021 layout in a report dated 2019 or 2020.

use crate::layout::FormatVersion;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "F402",
    name: "new-format-before-2021",
    severity: Severity::Warning,
    summary: "2019、2020 年度报告使用了 2021 年版格式（年份可能有误）",
    summary_en: "A report dated 2019 or 2020 uses the 2021 format (the year may be wrong)",
    explain: "## What it does\n\
Warns when a report whose year is 2019 or 2020 has tables in the 2021 format.\n\n\
## Why\n\
The 2021 format did not exist then (国办公开办函〔2021〕30号), so the year in the title is probably wrong.\n\n\
## Example\n\
`…2020年度政府信息公开工作年度报告` with 本年制发件数 in 表二.\n\n\
## Fix\n\
None: check the year.",
    explain_zh: "## 作用\n\
报告年度为 2019 或 2020 年、表格却是 2021 年格式时提出警告。\n\n\
## 原因\n\
那时还没有 2021 年格式，标题中的年份多半写错了。\n\n\
## 示例\n\
「…2020年度政府信息公开工作年度报告」的表二有本年制发件数。\n\n\
## 修复\n\
无：核对年份。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "new-tables-in-2020",
            1,
            &[Given::Paragraph("2023年度", "某市某局2020年度政府信息公开工作年度报告")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let Some(year) = report.meta.year else { return };
    if report.format != FormatVersion::V2021 || !(2019..=2020).contains(&year) || report.tables.is_empty() {
        return;
    }
    sink.push(
        Finding::new(
            format!("{year} 年度报告使用了 2021 年版格式，而该格式自 2021 年度报告起施行；请核对年份"),
            format!("the {year} report uses the 2021 format, which applies from the 2021 reports on; check the year"),
        )
        .help("核对标题中的年度", "check the year in the title"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "F402").is_empty());
        r.meta.year = Some(2020);
        assert_eq!(run(&r, "F402").len(), 1);
    }
}
