//! S108: digits run together, cut the one way the report's own text states.

use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Vector};
use crate::model::Note;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S108",
    name: "digits-settled-by-text",
    severity: Severity::Info,
    summary: "连写在一起的数字按正文中写明的件数或上一年度的报告拆分",
    summary_en: "Digits run together were cut the one way the report's text, or the year before's report, leaves",
    explain: "## What it does\n\
Tells how a row of 第二十条第（一）项 read from a web page or a text dump was settled when its digits run together \
(`行政规范性文件8855698`) and the table's arithmetic leaves several ways to cut them: the counts the report's own \
text states (`本年度制发的规范性文件88件`, `现行有效行政规范性文件698件`, `废止…件`) leave exactly one, which is read \
(88 | 55 | 698). Otherwise, when the same agency's report of the year before is in the run (`check` over several \
files or a folder, `batch`), its 现行有效 must equal this year's 现行有效 less 本年制发 plus 本年废止: \
when exactly one way keeps that, it is read. When neither settles it, the cells stay unknown (S107), with the ways \
listed when they are few.\n\n\
## Why\n\
The text and the table of one report state the same counts; where extraction lost the table's cell boundaries, \
the text settles what the arithmetic cannot. Said, so that a reader can check the reading against the original.\n\n\
## Example\n\
`行政规范性文件8855698` with the text `…现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件` → 88 | 55 | 698.\n\n\
## Fix\n\
None needed; check the numbers against the original document if it matters.",
    explain_zh: "## 作用\n\
说明从网页或文本中读出的第二十条第（一）项某行，数字连在一起（「行政规范性文件8855698」）、按表格的算术关系有多种切法时，是如何确定的：\
报告正文写明的件数（「本年度制发的规范性文件88件」「现行有效行政规范性文件698件」「废止…件」）只留下一种切法，按它读出（88 | 55 | 698）。\
否则，同一机关上一年度的报告也在这次运行中时（check 检查多个文件或文件夹，或 batch），上一年度的现行有效件数应等于本年现行有效减本年制发加本年废止：\
只有一种切法满足时按它读出。两者都确定不了时，单元格留作未知（S107），切法不多时列出。\n\n\
## 原因\n\
同一报告的正文和表格说的是同样的件数；文本提取丢掉了表格单元格的边界时，正文可以确定算术关系确定不了的切法。说明出来，便于对照原件核实。\n\n\
## 示例\n\
「行政规范性文件8855698」，正文「…现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件」→ 88 | 55 | 698。\n\n\
## 修复\n\
无须处理；如有必要，对照原件核实数字。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("several-readings-and-no-word-in-the-text", &[]).from("text/run-together-ambiguous.txt"),
        Vector::fail("settled-by-the-counts-the-text-states", 1, &[]).from("text/run-together-settled.txt"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for note in &report.notes {
        if let Note::SettledCells { table, label, text, reading, stated, stated_en, origin } = note {
            sink.push(
                Finding::new(
                    format!("{}「{}」行的数字连写为「{text}」，{stated}读作 {reading}", table.zh(), label),
                    format!(
                        "{} row 「{}」: digits run together as 「{text}」, read as {reading} {stated_en}",
                        table.en(),
                        label
                    ),
                )
                .help("如有必要，对照原件核实", "check against the original if it matters")
                .in_table(*table)
                .at_origin(Some(*origin))
                .label(format!("读作 {reading}"), format!("read as {reading}")),
            );
        }
    }
}
