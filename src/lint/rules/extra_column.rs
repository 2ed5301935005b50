//! S104: a table has a value column the format does not have.

use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Vector};
use crate::model::Note;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S104",
    name: "extra-column",
    severity: Severity::Warning,
    summary: "统计表有标准格式之外的列",
    summary_en: "A table has a column the standard format does not have",
    explain: "## What it does\n\
Reports a column inside a national table whose header is none of the format's, such as a 法人小计 column added \
to 表三.\n\n\
## Why\n\
The official 表三 has no 法人小计 column (国办公开办函〔2021〕30号, 表三's columns); an extra column shifts every number to its right in \
readers that expect the standard layout. gongkai reads the standard columns by their labels and ignores the extra one.\n\n\
## Example\n\
表三 with 自然人 | 商业企业 | … | 其他 | 小计 | 总计.\n\n\
## Fix\n\
None: delete the column.",
    explain_zh: "## 作用\n\
报告国家表格中标题不属于格式的列，如表三中加的“法人小计”列。\n\n\
## 原因\n\
官方的表三没有“法人小计”列；多一列会让按标准版式读表的程序把右边的数字全部错位。gongkai 按标题读取标准列，忽略多出的列。\n\n\
## 示例\n\
表三为 自然人 | 商业企业 | … | 其他 | 小计 | 总计。\n\n\
## 修复\n\
无：删去该列。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("subtotal-column", 1, &[]).from("xlsx/extra-subtotal-column.xlsx"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for note in &report.notes {
        if let Note::ExtraColumn { table, label, origin } = note {
            sink.push(
                Finding::new(
                    format!("{}有标准格式之外的列「{}」", table.zh(), label),
                    format!("{} has a column 「{}」 that the standard format does not have", table.en(), label),
                )
                .help("删除该列，使用标准格式的列", "delete the column and keep the standard ones")
                .in_table(*table)
                .at_origin(Some(*origin))
                .label("多余的列", "extra column"),
            );
        }
    }
}
