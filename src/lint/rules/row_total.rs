//! C303: 表三 总计 column ≠ 自然人 + the five 法人或其他组织 columns.

use super::total_mismatch;
use crate::layout;
use crate::lint::{FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C303",
    name: "t3-row-total",
    severity: Severity::Error,
    summary: "表三 总计 不等于 自然人 与 法人或其他组织 各列之和",
    summary_en: "Table 3: 总计 is not the sum of the applicant columns",
    explain: "## What it does\n\
For each of the 25 rows of 表三, checks that the 总计 column equals 自然人 + 商业企业 + 科研机构 + 社会公益组织 + \
法律服务机构 + 其他 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
总计 is the total of 申请人情况; a mismatch means a typo in one of the cells.\n\n\
## Example\n\
一、本年新收: 3 | 0 | 0 | 0 | 0 | 0 | **4**.\n\n\
## Fix\n\
Unsafe: write the sum in 总计 (`gongkai fix --unsafe-fixes`). Check the parts first: the typo may be in them. When the total is a Word formula field (`=SUM(LEFT)`), which Word does not update by \
itself, the help says so: select the table and press F9.",
    explain_zh: "## 作用\n\
对表三的 25 行逐行核对：总计列 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。\n\n\
## 原因\n\
总计是申请人情况各列之和；不相等说明某个单元格写错了。\n\n\
## 示例\n\
一、本年新收：3 | 0 | 0 | 0 | 0 | 0 | 4。\n\n\
## 修复\n\
会改变数字的修复：在总计中写入各列之和（gongkai fix --unsafe-fixes）。请先核对各项：错的也可能是它们。若总计是 Word 的公式域（「=SUM(LEFT)」），提示中会说明：选中表格按 F9。",
    fix: FixAvailability::Unsafe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "total-of-the-row",
            &[
                Given::Cell("t3.carried_over.natural_person", "3"),
                Given::Cell("t3.carried_over.total", "3"),
                Given::Cell("t3.carried_forward.natural_person", "3"),
                Given::Cell("t3.carried_forward.total", "3"),
            ],
        ),
        Vector::fail(
            "total-one-over",
            1,
            &[
                Given::Cell("t3.carried_over.natural_person", "3"),
                Given::Cell("t3.carried_over.total", "3"),
                Given::Cell("t3.carried_forward.natural_person", "3"),
                Given::Cell("t3.carried_forward.total", "4"),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for rel in &layout::relation_sets(super::t3_format(report)).row_totals {
        if let Some(f) = total_mismatch(report, rel, "自然人与法人或其他组织各列", "the applicant columns")
        {
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
        set(&mut r, "t3.new_received.natural_person", "3");
        set(&mut r, "t3.new_received.total", "3");
        assert!(run(&r, "C303").is_empty());
        set(&mut r, "t3.new_received.total", "4");
        let d = run(&r, "C303");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key.as_deref(), Some("t3.new_received.total"));
        assert_fix_clears(&r, "C303");
    }

    #[test]
    fn text_in_a_part_is_reported_once() {
        let mut r = clean_report();
        set(&mut r, "t3.new_received.natural_person", "若干");
        set(&mut r, "t3.new_received.total", "4");
        assert!(run(&r, "C303").is_empty());
        assert_eq!(run(&r, "V201").len(), 1);
    }
}
