//! S102: a row of a found table is missing.

use super::{t3_rows, table_origin};
use crate::layout::{self, FormatVersion, TableId};
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S102",
    name: "missing-row",
    severity: Severity::Error,
    summary: "统计表缺少标准格式中的行",
    summary_en: "A table lacks a row of the standard format",
    explain: "## What it does\n\
For each table that was found, reports every row of the national format whose label does not appear in it \
(for 表三 the 25 rows of the 2021 format, or the 23 of the 2019 trial format).\n\n\
## Why\n\
Dropping a row (漏报栏目) loses its numbers and breaks the sums the format states.\n\n\
## Example\n\
表三 without the row `3.补正后申请内容仍不明确`.\n\n\
## Fix\n\
None: add the row with its numbers (0 where there were none).",
    explain_zh: "## 作用\n\
对找到的每张表，逐行报告国家格式中有、表里却找不到的行（表三为 2021 年格式的 25 行，或 2019 年试行格式的 23 行）。\n\n\
## 原因\n\
漏掉一行（漏报栏目）就丢了它的数字，格式规定的合计也无从核对。\n\n\
## 示例\n\
表三缺少「3.补正后申请内容仍不明确」一行。\n\n\
## 修复\n\
无：补上该行及其数字（没有的填 0）。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("row-label-unrecognised", 1, &[Given::Label("(一)予以公开", "(一)已经办理")]),
    ],
};

/// True when a cell's key starts with `stem` (which ends with a dot: `t3.result.other.` is not a stem of
/// `t3.result.other_total.…`).
fn has_key_under(report: &Report, stem: &str) -> bool {
    report.cells.under(stem).next().is_some()
}

fn check(report: &Report, sink: &mut Sink) {
    let mut missing: Vec<(TableId, String)> = Vec::new();
    if report.tables.contains_key(&TableId::T2) {
        let (rows, prefix) = match report.format {
            FormatVersion::Trial2019 => (layout::T2_TRIAL, "t2v19"),
            _ => (layout::T2_2021, "t2"),
        };
        let mut stem = String::new();
        for row in rows {
            stem.clear();
            stem.extend([prefix, ".", row.block_key, ".", row.row_key, "."]);
            if !has_key_under(report, &stem) {
                missing.push((TableId::T2, format!("{} › {}", row.block, row.label)));
            }
        }
    }
    if report.tables.contains_key(&TableId::T3) {
        let mut stem = String::new();
        for row in t3_rows(report) {
            stem.clear();
            stem.extend(["t3.", row.key, "."]);
            if !has_key_under(report, &stem) {
                missing.push((TableId::T3, row.label.to_string()));
            }
        }
    }
    // 表四 has one row of numbers under its three header rows, with no label of its own.
    let t4_numbers_missing = report.tables.contains_key(&TableId::T4) && !has_key_under(report, "t4.");
    // A row whose numbers could not be read is there: S107 says so.
    let unreadable: Vec<(TableId, &str)> = report
        .notes
        .iter()
        .filter_map(|n| match n {
            crate::model::Note::UnreadableCells { table, label, .. } => Some((*table, label.as_str())),
            _ => None,
        })
        .collect();
    missing.retain(|(t, l)| !unreadable.iter().any(|(ut, ul)| ut == t && l.ends_with(ul)));
    for (table, label) in missing {
        sink.push(
            Finding::new(
                format!("{}缺少「{}」行", table.zh(), label),
                format!("{} lacks the row 「{}」", table.en(), label),
            )
            .help(
                "按标准格式补上该行；没有数据的栏目填 0",
                "add the row of the standard format; write 0 where there is nothing to report",
            )
            .in_table(table)
            .at_origin(table_origin(report, table)),
        );
    }
    if t4_numbers_missing {
        sink.push(
            Finding::new(
                "表四的标题下没有填数字：缺少行政复议、行政诉讼各栏（结果维持、结果纠正、其他结果、尚未审结、总计）的一行数字",
                "表四 has no numbers under its header: the row of 行政复议 and 行政诉讼 counts (结果维持 … 总计) is missing",
            )
            .help("在表头下补上这一行的 15 个数字；没有的填 0", "add the row of 15 numbers under the header; write 0 where there were none")
            .in_table(TableId::T4)
            .at_origin(table_origin(report, TableId::T4)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "S102").is_empty());
        r.cells.retain(|k, _| !k.starts_with("t3.result.unable.unclear_after_correction."));
        let d = run(&r, "S102");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.zh.contains("补正后申请内容仍不明确"));
    }
}
