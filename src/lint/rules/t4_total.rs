//! C304: 表四 总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

use super::total_mismatch;
use crate::layout;
use crate::lint::{FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C304",
    name: "t4-group-total",
    severity: Severity::Error,
    summary: "表四 总计 不等于 结果维持、结果纠正、其他结果、尚未审结 之和",
    summary_en: "Table 4: a 总计 is not the sum of its four results",
    explain: "## What it does\n\
For each group of 表四 (行政复议; 行政诉讼 › 未经复议直接起诉; 行政诉讼 › 复议后起诉), checks that 总计 = 结果维持 + \
结果纠正 + 其他结果 + 尚未审结 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
Each case has exactly one of the four outcomes.\n\n\
## Example\n\
行政复议: 1 | 0 | 0 | 1 | **3**.\n\n\
## Fix\n\
Unsafe: write the sum in 总计. No rule ties 表四 to 表三 or 表二: the review organ may be another body. When the total is a Word formula field (`=SUM(LEFT)`), which Word does not update by \
itself, the help says so: select the table and press F9.",
    explain_zh: "## 作用\n\
对表四的每一组（行政复议；行政诉讼 › 未经复议直接起诉；行政诉讼 › 复议后起诉），核对 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。\n\n\
## 原因\n\
每个案件恰好有四种结果之一。\n\n\
## 示例\n\
行政复议：1 | 0 | 0 | 1 | 3。\n\n\
## 修复\n\
会改变数字的修复：在总计中写入各项之和。表四与表三、表二之间没有必然关系：复议机关可能是其他机关。若总计是 Word 的公式域，提示中会说明：选中表格按 F9。",
    fix: FixAvailability::Unsafe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("review-total-not-its-parts", 1, &[Given::Cell("t4.review.upheld", "1")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for rel in &layout::relation_sets(report.format).group_totals {
        if let Some(f) = total_mismatch(report, rel, "结果维持、结果纠正、其他结果、尚未审结", "its four results")
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
        set(&mut r, "t4.review.upheld", "1");
        set(&mut r, "t4.review.total", "1");
        assert!(run(&r, "C304").is_empty());
        set(&mut r, "t4.review.total", "3");
        assert_eq!(run(&r, "C304").len(), 1);
        assert_fix_clears(&r, "C304");
    }
}
