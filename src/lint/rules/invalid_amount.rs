//! V202: the fee amount is not a non-negative decimal.

use crate::layout::ValueKind;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;
use crate::normalize::Parsed;

pub const RULE: Rule = Rule {
    code: "V202",
    name: "invalid-amount",
    severity: Severity::Error,
    summary: "收费金额应为非负数",
    summary_en: "A fee amount must be a number of 0 or more",
    explain: "## What it does\n\
Reports an amount cell (表二 第二十条第(八)项 行政事业性收费 × 本年收费金额(单位:万元); the trial format's 采购总金额) \
that holds text or a negative number.\n\n\
## Why\n\
The amount is a decimal in 万元 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Example\n\
`约30` or `-2.5`.\n\n\
## Fix\n\
None: write the amount in 万元.",
    explain_zh: "## 作用\n\
报告金额单元格（表二第二十条第(八)项 行政事业性收费 × 本年收费金额(单位:万元)；试行格式的采购总金额）中的文字或负数。\n\n\
## 原因\n\
金额是以万元为单位的小数。\n\n\
## 示例\n\
「约30」或「-2.5」。\n\n\
## 修复\n\
无：以万元填写金额。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("decimal-amount", &[Given::Cell("t2.art20_8.admin_fees.amount_wan_yuan", "3.45")]),
        Vector::fail("amount-in-words", 1, &[Given::Cell("t2.art20_8.admin_fees.amount_wan_yuan", "约十万")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for (spec, cell) in report.cells.entries() {
        let key = spec.key.as_str();
        if spec.kind != ValueKind::Amount {
            continue;
        }
        let bad = match &cell.parsed {
            Parsed::Text => true,
            Parsed::Number { value, .. } => *value < 0.0,
            _ => false,
        };
        if bad {
            sink.push(
                Finding::new(
                    format!("「{}」填写的「{}」不是有效金额", spec.label, cell.raw),
                    format!("「{}」 holds 「{}」, which is not an amount ≥ 0", spec.label, cell.raw),
                )
                .at(report, key)
                .help(
                    "填写以万元为单位的非负数，如 333.45；没有收费的填 0",
                    "write the amount in 万元, e.g. 333.45; 0 when nothing was charged",
                )
                .label("应为非负金额（万元）", "must be an amount ≥ 0 (万元)"),
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
        set(&mut r, "t2.art20_8.admin_fees.amount_wan_yuan", "333.45");
        assert!(run(&r, "V202").is_empty());
        set(&mut r, "t2.art20_8.admin_fees.amount_wan_yuan", "约30");
        assert_eq!(run(&r, "V202").len(), 1);
    }
}
