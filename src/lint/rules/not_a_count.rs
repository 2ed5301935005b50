//! V201: a count cell holds something other than a non-negative integer.

use crate::layout::ValueKind;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;
use crate::normalize::Parsed;

pub const RULE: Rule = Rule {
    code: "V201",
    name: "not-a-count",
    severity: Severity::Error,
    summary: "数量栏目应为非负整数",
    summary_en: "A count cell must hold a non-negative whole number",
    explain: "## What it does\n\
Reports a count cell (all of 表三 and 表四, and every 表二 cell but the fee amount) that holds text, a negative \
number or a fraction. Blanks and `/`, `—`, `无` are not reported here (see V205).\n\n\
## Why\n\
The cells count documents, decisions and applications (the tables of 国办公开办函〔2021〕30号; README › Rules). The sum rules skip a cell \
reported here, so each problem is reported once.\n\n\
## Example\n\
`若干`, `-1`, `2.5` in 表三.\n\n\
## Fix\n\
None: write the count.",
    explain_zh: "## 作用\n\
报告存放件数的单元格（表三、表四全部单元格，表二中除收费金额外的各格）中的文字、负数或小数。空白和「/」「—」「无」不在此报告（见 V205）。\n\n\
## 原因\n\
这些单元格计的是件数、决定数和申请数。被本规则报告的单元格不参加合计检查，同一问题只报告一次。\n\n\
## 示例\n\
表三中的「若干」「-1」「2.5」。\n\n\
## 修复\n\
无：填写件数。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("text-in-a-count", 1, &[Given::Cell("t3.new_received.natural_person", "若干")]),
        Vector::fail("negative-count", 1, &[Given::Cell("t4.review.upheld", "-1")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for (spec, cell) in report.cells.entries() {
        let key = spec.key.as_str();
        let problem = match (&cell.parsed, spec.kind) {
            (Parsed::Text, ValueKind::Count | ValueKind::SignedCount) => Some(("不是数字", "is not a number")),
            (Parsed::Number { value, .. }, ValueKind::Count) if *value < 0.0 => Some(("是负数", "is negative")),
            (Parsed::Number { value, .. }, ValueKind::Count | ValueKind::SignedCount) if value.fract() != 0.0 => {
                Some(("不是整数", "is not a whole number"))
            }
            _ => None,
        };
        if let Some((zh, en)) = problem {
            sink.push(
                Finding::new(
                    format!("「{}」填写的「{}」{}", spec.label, cell.raw, zh),
                    format!("「{}」 holds 「{}」, which {}", spec.label, cell.raw, en),
                )
                .at(report, key)
                .help("填写非负整数；没有发生的填 0", "write a whole number of 0 or more; 0 where there was none")
                .label(format!("应为非负整数，不是「{}」", cell.raw), "must be a whole number ≥ 0"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "V201").is_empty());
        set(&mut r, "t3.new_received.natural_person", "若干");
        set(&mut r, "t4.review.upheld", "-1");
        set(&mut r, "t2.art20_1.rules.made", "1.5");
        set(&mut r, "t2.art20_8.admin_fees.amount_wan_yuan", "1.5");
        let d = run(&r, "V201");
        assert_eq!(d.len(), 3, "{d:?}");
    }
}
