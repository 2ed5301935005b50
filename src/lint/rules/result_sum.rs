//! C302: 表三 (七)总计 ≠ the sum of the result rows.

use super::total_mismatch;
use crate::layout;
use crate::lint::{FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C302",
    name: "t3-result-sum",
    severity: Severity::Error,
    summary: "表三（七）总计 不等于各项办理结果之和",
    summary_en: "Table 3: (七)总计 is not the sum of the result rows",
    explain: "## What it does\n\
For each column of 表三, checks that (七)总计 equals (一)予以公开 + (二)部分公开 + the 8 rows of (三)不予公开 + the 3 of \
(四)无法提供 + the 5 of (五)不予处理 + the 3 of (六)其他处理 (one row in the 2019 trial format) (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
Every processed application falls into exactly one result row (部分公开 is counted only as 部分公开), so the \
total is exact.\n\n\
## Example\n\
自然人: 予以公开 5 + 不予公开 1 = 6, but (七)总计 says 7.\n\n\
## Fix\n\
Unsafe: write the sum in (七)总计. When the total is a Word formula field (`=SUM(LEFT)`), which Word does not update by \
itself, the help says so: select the table and press F9.",
    explain_zh: "## 作用\n\
对表三的每一列，核对(七)总计 = (一)予以公开 + (二)部分公开 + (三)不予公开的 8 行 + (四)无法提供的 3 行 + (五)不予处理的 5 行 + (六)其他处理的 3 行（2019 年试行格式为 1 行）。\n\n\
## 原因\n\
每件办理完的申请恰好落在一个办理结果行中（部分公开只计部分公开），所以总计是精确的。\n\n\
## 示例\n\
自然人：予以公开 5 + 不予公开 1 = 6，而(七)总计为 7。\n\n\
## 修复\n\
会改变数字的修复：在(七)总计中写入各项之和。若总计是 Word 的公式域（「=SUM(LEFT)」），Word 不会自己更新，提示中会说明：选中表格按 F9。",
    fix: FixAvailability::Unsafe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "result-total-left-at-zero",
            2,
            &[
                Given::Cell("t3.new_received.natural_person", "1"),
                Given::Cell("t3.new_received.total", "1"),
                Given::Cell("t3.result.granted.natural_person", "1"),
                Given::Cell("t3.result.granted.total", "1"),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for rel in &layout::relation_sets(super::t3_format(report)).result_sums {
        if let Some(f) = total_mismatch(report, rel, "各项办理结果", "the result rows") {
            sink.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_fails_and_fixes() {
        let mut r = clean_report();
        set(&mut r, "t3.result.granted.legal.other", "2");
        set(&mut r, "t3.result.other.other.legal.other", "1");
        set(&mut r, "t3.result.total.legal.other", "3");
        assert!(run(&r, "C302").is_empty());
        set(&mut r, "t3.result.total.legal.other", "4");
        assert_eq!(run(&r, "C302").len(), 1);
        assert_fix_clears(&r, "C302");
    }
}
