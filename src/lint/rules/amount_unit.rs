//! V203: the fee amount carries a unit other than the header's 万元.

use crate::lang::Text;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;
use crate::normalize::Parsed;

const FEE: &str = "t2.art20_8.admin_fees.amount_wan_yuan";

pub const RULE: Rule = Rule {
    code: "V203",
    name: "amount-unit",
    severity: Severity::Warning,
    summary: "收费金额的单位与表头（万元）不一致",
    summary_en: "The fee amount carries a unit other than the header's 万元",
    explain: "## What it does\n\
Reports the 表二 fee cell when it is written with a unit that is not 万元, e.g. `251000元`.\n\n\
## Why\n\
The header fixes the unit at 万元 (the tables of 国办公开办函〔2021〕30号; README › Rules); an amount in 元 read as 万元 is 10 000 times too large.\n\n\
## Example\n\
`251000元` → 25.1 万元.\n\n\
## Fix\n\
Unsafe: convert to 万元 (the number changes).",
    explain_zh: "## 作用\n\
报告表二收费金额单元格中写了万元以外的单位，如「251000元」。\n\n\
## 原因\n\
表头规定单位为万元；把以元计的金额当作万元，就大了一万倍。\n\n\
## 示例\n\
「251000元」→ 25.1 万元。\n\n\
## 修复\n\
会改变数字的修复：换算为万元。",
    fix: FixAvailability::Unsafe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("amount-in-yuan", 1, &[Given::Cell("t2.art20_8.admin_fees.amount_wan_yuan", "25000元")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let Some(cell) = report.cell(FEE) else { return };
    let Parsed::Number { value, unit: Some(unit), .. } = &cell.parsed else {
        return;
    };
    if unit == "万元" {
        return;
    }
    let mut f = Finding::new(
        format!("收费金额「{}」的单位是{}，而表头单位为万元", cell.raw, unit),
        format!("the fee 「{}」 is in {}, but the header's unit is 万元", cell.raw, unit),
    )
    .at(report, FEE);
    if unit == "元" {
        let wan = crate::normalize::format_number(value / 10_000.0);
        f = f.help(format!("换算为万元：{wan}"), format!("convert to 万元: {wan}"));
        f = f.fix(crate::lint::Fix {
            safety: crate::lint::Safety::Unsafe,
            title: Text::new(format!("改为 {wan}（万元）"), format!("write {wan} (万元)")),
            edits: vec![crate::lint::Edit { key: FEE.into(), from: cell.raw.clone(), to: wan }],
        });
    }
    f = f.label("单位应为万元", "unit must be 万元");
    sink.push(f);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_fails_and_fixes() {
        let mut r = clean_report();
        set(&mut r, super::FEE, "12.5万元");
        assert!(run(&r, "V203").is_empty());
        set(&mut r, super::FEE, "251000元");
        assert_eq!(run(&r, "V203").len(), 1);
        assert_fix_clears(&r, "V203");
    }
}
