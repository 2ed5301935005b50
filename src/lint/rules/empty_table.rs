//! V207: a table holds no number at all.

use super::{table_keys, table_origin};
use crate::layout::TableId;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "V207",
    name: "empty-table",
    severity: Severity::Warning,
    summary: "统计表未填写任何数字",
    summary_en: "A table holds no number at all",
    explain: "## What it does\n\
Reports a table that was found but whose value cells are all blank (or `/`, `—`, `无`).\n\n\
## Why\n\
Usually an unfilled template. If nothing happened, write 0 in every cell so that readers can tell a \
report of zero from a table nobody filled in.\n\n\
## Example\n\
The blank WPS template.\n\n\
## Fix\n\
None: fill in the table; write 0 where there was nothing to report.",
    explain_zh: "## 作用\n\
报告找到了、但所有数据单元格都是空白（或「/」「—」「无」）的表。\n\n\
## 原因\n\
通常是没有填写的模板。若确实都没有发生，请每格写 0，让读者分得清“零”与“没填”。\n\n\
## 示例\n\
WPS 空白模板。\n\n\
## 修复\n\
无：填写该表，没有的填 0。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "table-4-left-blank",
            1,
            &[
                Given::Cell("t4.review.upheld", ""),
                Given::Cell("t4.review.corrected", ""),
                Given::Cell("t4.review.other", ""),
                Given::Cell("t4.review.pending", ""),
                Given::Cell("t4.review.total", ""),
                Given::Cell("t4.litigation_direct.upheld", ""),
                Given::Cell("t4.litigation_direct.corrected", ""),
                Given::Cell("t4.litigation_direct.other", ""),
                Given::Cell("t4.litigation_direct.pending", ""),
                Given::Cell("t4.litigation_direct.total", ""),
                Given::Cell("t4.litigation_after_review.upheld", ""),
                Given::Cell("t4.litigation_after_review.corrected", ""),
                Given::Cell("t4.litigation_after_review.other", ""),
                Given::Cell("t4.litigation_after_review.pending", ""),
                Given::Cell("t4.litigation_after_review.total", ""),
            ],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for table in [TableId::T2, TableId::T3, TableId::T4] {
        if !report.tables.contains_key(&table) {
            continue;
        }
        let mut keys = table_keys(report, table).peekable();
        if keys.peek().is_none() || keys.any(|k| report.cells[k].number().is_some()) {
            continue;
        }
        let text_cell = table_keys(report, table).any(|k| report.cells[k].parsed == crate::normalize::Parsed::Text);
        if text_cell {
            continue; // the cells hold something; V201 says what
        }
        sink.push(
            Finding::new(
                format!("{}（{}）未填写任何数字", table.zh(), table.title()),
                format!("{} ({}) holds no number", table.en(), table.title()),
            )
            .help("填写该表；没有发生的栏目填 0", "fill in the table; write 0 where there was nothing to report")
            .in_table(table)
            .at_origin(table_origin(report, table)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "V207").is_empty());
        let keys: Vec<&str> = r.cells.keys().filter(|k| k.starts_with("t4.")).collect();
        for k in keys {
            set(&mut r, k, "");
        }
        assert_eq!(run(&r, "V207").len(), 1);
        assert!(run(&r, "V205").is_empty(), "an empty table is reported once");
    }
}
