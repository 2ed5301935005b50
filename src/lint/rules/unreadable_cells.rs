//! S107: cells in running text that could not be read with certainty.

use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Vector};
use crate::model::Note;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S107",
    name: "unreadable-cells",
    severity: Severity::Warning,
    summary: "正文中的表格数字无法确定地对应到各栏，已留空",
    summary_en: "Numbers of a table in running text could not be matched to their cells with certainty",
    explain: "## What it does\n\
Reports a row of a table read from a web page or a text dump whose numbers could not be placed with certainty: \
the row has more or fewer numbers than the format's columns, or its digits run together (`行政规范性文件77132470`) \
and more than one way of cutting them agrees with the table's arithmetic. The cells are left unknown (null), \
never guessed.\n\n\
## Why\n\
Text extraction on many government sites drops the cell boundaries. gongkai cuts a digit run only when the row \
total, the 勾稽关系 and (七)总计 leave exactly one possibility.\n\n\
## Example\n\
`规章000行政规范性文件77132470`: 规章 is 0 | 0 | 0, but 77132470 can be 77 | 13 | 2470, 7 | 713 | 2470, …\n\n\
## Fix\n\
None: read the numbers from the original document.",
    explain_zh: "## 作用\n\
报告从网页或文本中读出的表格里无法确定位置的一行数字：该行的数字比格式的列多或少，或数字连在一起（「行政规范性文件77132470」），按表格的算术关系有不止一种切法。这些单元格留作未知（null），从不猜测。\n\n\
## 原因\n\
许多政府网站的文本提取丢掉了单元格的边界。只有当行合计、勾稽关系和(七)总计只剩一种可能时，gongkai 才切分连在一起的数字。\n\n\
## 示例\n\
「规章000行政规范性文件77132470」：规章为 0 | 0 | 0，而 77132470 可以是 77 | 13 | 2470、7 | 713 | 2470 ……\n\n\
## 修复\n\
无：从原始文件读出数字。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("digits-run-together-cut-by-the-arithmetic", &[]).from("text/run-together.txt"),
        Vector::fail("digits-run-together-two-ways", 1, &[]).from("text/run-together-ambiguous.txt"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for note in &report.notes {
        if let Note::UnreadableCells { table, label, text, reason, reason_en, origin, .. } = note {
            sink.push(
                Finding::new(
                    format!("{}「{}」行：{}", table.zh(), label, reason),
                    format!("{} row 「{}」: {}", table.en(), label, reason_en),
                )
                .help(
                    format!("对照原件核实「{text}」中的数字；这些单元格按未知处理"),
                    format!("check the numbers in 「{text}」 against the original; the cells are treated as unknown"),
                )
                .in_table(*table)
                .at_origin(Some(*origin))
                .label("无法确定", "uncertain"),
            );
        }
    }
}
