//! V204: numbers written in a form that needs normalising.

use std::collections::BTreeMap;

use crate::lang::Text;
use crate::layout::TableId;
use crate::lint::{Edit, Finding, Fix, FixAvailability, Given, Rule, Safety, Severity, Sink, Vector};
use crate::model::Report;
use crate::normalize::{Parsed, format_number};

pub const RULE: Rule = Rule {
    code: "V204",
    name: "number-format",
    severity: Severity::Info,
    summary: "数字的写法需要规范（全角数字、千位分隔符、以文本存储的数字、单位）",
    summary_en: "Numbers need normalising (full-width digits, separators, numbers stored as text, units)",
    explain: "## What it does\n\
Reports, once per table, the cells whose numbers were read only after normalising them: full-width digits \
(`１２`), thousands separators (`1,234`), a unit suffix (`5件`, `12万元`), a plus sign, or a spreadsheet number \
stored as text.\n\n\
## Why\n\
gongkai reads them correctly, but spreadsheet formulas and other tools do not: a number stored as text is left out \
of Excel's SUM.\n\n\
## Example\n\
`１，２３４` in 表三 → `1234`.\n\n\
## Fix\n\
Safe: write each number plainly; the value does not change.",
    explain_zh: "## 作用\n\
每张表报告一次：数字经过规范化才读出的单元格——全角数字（「１２」）、千位分隔符（「1,234」）、带单位（「5件」「12万元」）、加号，或以文本存储的电子表格数字。\n\n\
## 原因\n\
gongkai 能正确读出，但电子表格公式和其他程序不能：以文本存储的数字不进入 Excel 的 SUM。\n\n\
## 示例\n\
表三中的「１，２３４」→「1234」。\n\n\
## 修复\n\
安全修复：把每个数字写成普通数字，数值不变。",
    fix: FixAvailability::Safe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "full-width-digits",
            1,
            &[
                Given::Cell("t3.new_received.natural_person", "１２"),
                Given::Cell("t3.new_received.total", "12"),
                Given::Cell("t3.result.granted.natural_person", "12"),
                Given::Cell("t3.result.granted.total", "12"),
                Given::Cell("t3.result.total.natural_person", "12"),
                Given::Cell("t3.result.total.total", "12"),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let mut by_table: BTreeMap<TableId, Vec<(&str, String, String)>> = BTreeMap::new();
    for (spec, cell) in report.cells.entries() {
        let key = spec.key.as_str();
        let Parsed::Number { value, clean, unit } = &cell.parsed else {
            continue;
        };
        // A unit other than the header's is V203's finding.
        if unit.as_deref().is_some_and(|u| u == "元") {
            continue;
        }
        if !*clean || cell.number_as_text {
            by_table.entry(spec.table).or_default().push((key, cell.raw.clone(), format_number(*value)));
        }
    }
    for (table, cells) in by_table {
        let Some((first_key, first_raw, _)) = cells.first() else {
            continue;
        };
        let n = cells.len();
        sink.push(
            Finding::new(
                format!("{table}有 {n} 个数字的写法不规范（如「{first_raw}」），已按数字读取", table = table.zh()),
                format!(
                    "{n} numbers of {} are not written plainly (e.g. 「{first_raw}」); they were read as numbers",
                    table.en()
                ),
            )
            .at(report, first_key)
            .help(
                "用半角数字书写，不加千位分隔符和单位；电子表格中以数字格式存储",
                "write plain ASCII digits without separators or units; store them as numbers in spreadsheets",
            )
            .label("写法不规范", "not written plainly")
            .fix(Fix {
                safety: Safety::Safe,
                title: Text::new("规范数字写法", "write the numbers plainly"),
                edits: cells.into_iter().map(|(k, from, to)| Edit { key: k.to_string(), from, to }).collect(),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_fails_and_fixes() {
        let mut r = clean_report();
        assert!(run(&r, "V204").is_empty());
        set(&mut r, "t3.new_received.natural_person", "１,２３４");
        set(&mut r, "t3.new_received.total", "1,234");
        set(&mut r, "t4.review.upheld", "3件");
        let d = run(&r, "V204");
        assert_eq!(d.len(), 2, "one per table: {d:?}");
        assert_fix_clears(&r, "V204");
    }
}
