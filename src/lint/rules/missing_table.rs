//! S101: a national table was not found.

use crate::layout::TableId;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S101",
    name: "missing-table",
    severity: Severity::Error,
    summary: "缺少统计表（表二、表三或表四）",
    summary_en: "A national table (2, 3 or 4) is missing",
    explain: "## What it does\n\
Reports each of the three tables of the national format (表二 主动公开政府信息情况, 表三 收到和处理政府信息公开申请情况, \
表四 政府信息公开行政复议、行政诉讼情况) that could not be found in the file.\n\n\
## Why\n\
国办公开办函〔2021〕30号 fixes the three tables; a report without one of them is incomplete (漏报栏目). gongkai finds a \
table by its labels (表三 by 自然人 and its row labels, 表四 by 行政复议, 表二 by 规章/行政许可/…), wherever it stands, so \
a table whose labels were rewritten beyond recognition is reported here too.\n\n\
## Example\n\
A report that pastes table 3 as an image: 未找到表三（收到和处理政府信息公开申请情况）.\n\n\
## Fix\n\
None: fill in the table of the standard template (`gongkai template`).",
    explain_zh: "## 作用\n\
报告中找不到国家格式规定的三张统计表之一（表二 主动公开政府信息情况、表三 收到和处理政府信息公开申请情况、表四 政府信息公开行政复议、行政诉讼情况），逐表报告。gongkai 按栏目名称找表（表三看“自然人”和各行标题，表四看“行政复议”，表二看“规章”“行政许可”等），不论表在文件中的位置；栏目名称改得认不出的表也会在这里报告。\n\n\
## 原因\n\
国办公开办函〔2021〕30号规定了三张表，少一张即为漏报栏目。\n\n\
## 示例\n\
把表三作为图片粘贴的报告：未找到表三（收到和处理政府信息公开申请情况）。\n\n\
## 修复\n\
无：按标准模板（gongkai template）填写该表。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("table-4-header-renamed", 1, &[Given::Label("行政复议", "复议情况")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for table in [TableId::T2, TableId::T3, TableId::T4] {
        if report.tables.contains_key(&table) {
            continue;
        }
        sink.push(Finding::new(format!("未找到{}（{}）", table.zh(), table.title()), format!("{} ({}) was not found", table.en(), table.title())).help("按国办公开办函〔2021〕30号的标准格式填写该表，行列标题应与标准格式一致", "fill in the table of the standard format (国办公开办函〔2021〕30号) with its standard row and column labels").in_table(table));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::layout::TableId;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "S101").is_empty());
        r.tables.remove(&TableId::T4);
        let d = run(&r, "S101");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.zh.contains("表四"));
    }
}
