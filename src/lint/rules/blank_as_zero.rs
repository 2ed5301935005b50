//! V205: blank or placeholder cells read as 0.

use std::collections::BTreeMap;

use super::blank_total_with_parts;
use crate::lang::Text;
use crate::layout::{TableId, ValueKind};
use crate::lint::{Edit, Finding, Fix, FixAvailability, Given, Rule, Safety, Severity, Sink, Vector, is_blankish_cell};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "V205",
    name: "blank-as-zero",
    severity: Severity::Info,
    summary: "空白或“/”“—”“无”的单元格按 0 处理",
    summary_en: "Blank cells and /, —, 无 are read as 0",
    explain: "## What it does\n\
Reports, once per table, the value cells left blank or filled with `/`, `—`, `-`, `无`, which gongkai reads as 0 \
(the tables of 国办公开办函〔2021〕30号; README › Rules). A table with no number at all is V207's finding instead, and a blank total \
whose parts are not all 0 is V206's.\n\n\
## Why\n\
Most reports write 0; a blank is ambiguous (nothing happened, or not filled in) and is read as missing data by \
other tools.\n\n\
## Example\n\
表三 with the zero cells left empty.\n\n\
## Fix\n\
Safe: write 0 in each such cell (the value the rules already used).",
    explain_zh: "## 作用\n\
每张表报告一次：留空或填了「/」「—」「-」「无」的数据单元格，gongkai 按 0 读取。整张表一个数字也没有时由 V207 报告；合计空白而其各项不全为 0 时由 V206 报告。\n\n\
## 原因\n\
多数报告写 0；空白有两种读法（确实没有，或没有填），其他程序会当作缺失数据。\n\n\
## 示例\n\
表三中为 0 的单元格都留空。\n\n\
## 修复\n\
安全修复：在这些单元格中写 0（各规则已按 0 计算）。",
    fix: FixAvailability::Safe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "blank-and-slash-cells",
            1,
            &[Given::Cell("t4.review.upheld", ""), Given::Cell("t4.review.corrected", "/")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let mut by_table: BTreeMap<TableId, Vec<&str>> = BTreeMap::new();
    let mut has_number: BTreeMap<TableId, bool> = BTreeMap::new();
    for (spec, cell) in report.cells.entries() {
        let key = spec.key.as_str();
        if cell.number().is_some() {
            has_number.insert(spec.table, true);
        }
        if spec.kind != ValueKind::SignedCount && is_blankish_cell(cell) && !blank_total_with_parts(report, key) {
            by_table.entry(spec.table).or_default().push(key);
        }
    }
    for (table, mut keys) in by_table {
        keys.sort_by_key(|k| report.cells[*k].origin.source_order());
        if !has_number.get(&table).copied().unwrap_or(false) {
            continue; // an empty table: V207
        }
        let Some(first) = keys.first() else { continue };
        let n = keys.len();
        sink.push(
            Finding::new(
                format!("{}有 {n} 个单元格为空白或“/”“—”“无”，已按 0 处理", table.zh()),
                format!("{n} cells of {} are blank or hold /, — or 无; they were read as 0", table.en()),
            )
            .at(report, first)
            .help("没有发生的栏目填 0", "write 0 where there was nothing to report")
            .label("按 0 处理", "read as 0")
            .fix(Fix {
                safety: Safety::Safe,
                title: Text::new("空白处填 0", "write 0 in the blank cells"),
                edits: keys
                    .into_iter()
                    .map(|k| Edit { key: k.to_string(), from: report.cells[k].raw.clone(), to: "0".into() })
                    .collect(),
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
        assert!(run(&r, "V205").is_empty());
        set(&mut r, "t3.new_received.natural_person", "");
        set(&mut r, "t3.carried_over.natural_person", "—");
        let d = run(&r, "V205");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.zh.contains("2 个"));
        assert_fix_clears(&r, "V205");
    }
}
