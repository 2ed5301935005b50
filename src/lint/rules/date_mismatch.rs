//! M505: the date line differs from the page's publication date.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "M505",
    name: "date-mismatch",
    severity: Severity::Warning,
    summary: "落款日期与网页发布时间相差较大",
    summary_en: "The date line and the page's publication date differ",
    explain: "## What it does\n\
Warns when the date line (落款) and the web page's 发布时间 are more than 7 days apart (README › Rules). A few days between signing and publishing are normal.\n\n\
## Why\n\
A large gap usually means a copied date line or a republished page.\n\n\
## Example\n\
落款 2024年1月30日, 发布时间 2024-03-08.\n\n\
## Fix\n\
None.",
    explain_zh: "## 作用\n\
落款日期与网页的发布时间相差 7 天以上时提出警告。签发与发布之间差几天是正常的。\n\n\
## 原因\n\
相差很大通常说明落款日期是照抄的，或网页是重新发布的。\n\n\
## 示例\n\
落款 2024年1月30日，发布时间 2024-03-08。\n\n\
## 修复\n\
无。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("page-date-near", &[Given::Published("2024-01-22")]),
        Vector::fail("page-date-far", 1, &[Given::Published("2024-03-01")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let (Some(line), Some(published)) = (report.meta.date_line.as_deref(), report.meta.published.as_deref()) else {
        return;
    };
    let Some(apart) = crate::normalize::days_apart(line, published) else { return };
    if apart <= 7 {
        return;
    }
    sink.push(
        Finding::new(
            format!("落款日期 {line} 与网页发布时间 {published} 相差较大"),
            format!("the date line {line} and the page date {published} are far apart"),
        )
        .help("核对落款日期", "check the date line"),
    );
}
