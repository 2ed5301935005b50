//! S105: a row with numbers whose label is not a row of the format.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Note;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S105",
    name: "unknown-row",
    severity: Severity::Warning,
    summary: "统计表中有无法识别的行",
    summary_en: "A table has a row whose label is not in the standard format",
    explain: "## What it does\n\
Reports a row inside 表三 that holds numbers but whose label matches no row of the format, even after dropping \
its numbering and accepting known variants.\n\n\
## Why\n\
Its numbers are not counted anywhere, and the row the clerk meant is probably reported missing (S102).\n\n\
## Example\n\
`(三)不予公开小计` with numbers: the 2021 format has no subtotal rows.\n\n\
## Fix\n\
None: use the standard row labels.",
    explain_zh: "## 作用\n\
报告表三中有数字、但标题（去掉编号、接受已知变体后）仍对不上格式中任何一行的行。\n\n\
## 原因\n\
它的数字不计入任何地方，填表人本来要填的那一行多半会被报告为缺行（S102）。\n\n\
## 示例\n\
带数字的「(三)不予公开小计」：2021 年格式没有小计行。\n\n\
## 修复\n\
无：使用标准的行标题。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "row-of-numbers-unknown-label",
            1,
            &[
                Given::Label("3.补正后申请内容仍不明确", "3.其他未列明情形"),
                Given::Cell("t3.result.unable.unclear_after_correction.natural_person", "1"),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for note in &report.notes {
        if let Note::UnknownRow { table, label, origin } = note {
            sink.push(
                Finding::new(
                    format!("{}中的行「{}」不是标准格式的行，其数字未被读取", table.zh(), label),
                    format!(
                        "the row 「{}」 of {} is not a row of the standard format; its numbers were not read",
                        label,
                        table.en()
                    ),
                )
                .help("改用标准格式的行标题，或删除该行", "use the standard row label, or delete the row")
                .in_table(*table)
                .at_origin(Some(*origin))
                .label("无法识别的行标题", "unrecognised row label"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::layout::TableId;
    use crate::model::{Note, Origin};

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "S105").is_empty());
        r.notes.push(Note::UnknownRow {
            table: TableId::T3,
            label: "(三)不予公开小计".into(),
            origin: Origin::cell(0, 1, 0),
        });
        assert_eq!(run(&r, "S105").len(), 1);
    }
}
