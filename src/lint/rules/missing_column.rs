//! S103: a value column of a found table is missing.

use super::{t3_rows, table_origin};
use crate::layout::{self, FormatVersion, TableId};
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S103",
    name: "missing-column",
    severity: Severity::Error,
    summary: "统计表缺少标准格式中的列",
    summary_en: "A table lacks a column of the standard format",
    explain: "## What it does\n\
Reports each value column of the national format that a found table lacks: one of the seven 申请人情况 columns of \
表三 (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计), one of the fifteen of 表四, or a column of a \
表二 block whose rows were found.\n\n\
## Why\n\
A missing column hides numbers and makes the 总计 column unverifiable.\n\n\
## Example\n\
表三 with 自然人, 法人或其他组织 and 总计 only (the five kinds of legal person merged into one column).\n\n\
## Fix\n\
None: use the standard columns.",
    explain_zh: "## 作用\n\
逐列报告找到的表缺少的国家格式的数据列：表三“申请人情况”的七列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）之一，表四十五列之一，或表二某一块中的一列。\n\n\
## 原因\n\
缺列会藏起数字，总计列也无法核对。\n\n\
## 示例\n\
表三只有自然人、法人或其他组织、总计三列（五类法人并成了一列）。\n\n\
## 修复\n\
无：使用标准的列。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("column-header-renamed", 1, &[Given::Label("科研机构", "科研院所")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let mut missing: Vec<(TableId, String)> = Vec::new();
    if report.tables.contains_key(&TableId::T3) && report.cells.under("t3.").next().is_some() {
        for (ci, col) in layout::T3_COLS.iter().enumerate() {
            if !t3_rows(report)
                .iter()
                .any(|r| layout::t3_slot(r.key, ci).is_some_and(|s| report.cells.at_slot(s).is_some()))
            {
                missing.push((TableId::T3, col.label.to_string()));
            }
        }
    }
    if report.tables.contains_key(&TableId::T4) && report.cells.under("t4.").next().is_some() {
        for g in layout::T4_GROUPS {
            for (ck, cl) in layout::T4_COLS {
                if !report.cells.contains_key(&layout::t4_key(g.key, ck)) {
                    missing.push((TableId::T4, format!("{} › {}", g.label, cl)));
                }
            }
        }
    }
    if report.tables.contains_key(&TableId::T2) {
        let (rows, prefix) = match report.format {
            FormatVersion::Trial2019 => (layout::T2_TRIAL, "t2v19"),
            _ => (layout::T2_2021, "t2"),
        };
        for row in rows {
            let key = |f: &str| layout::dotted(&[prefix, row.block_key, row.row_key, f]);
            let present = row.fields.iter().filter(|f| report.cells.contains_key(&key(f.key))).count();
            if present == 0 {
                continue; // the whole row is missing: S102
            }
            for f in row.fields.iter().filter(|f| !report.cells.contains_key(&key(f.key))) {
                missing.push((TableId::T2, format!("{} › {} × {}", row.block, row.label, f.header)));
            }
        }
    }
    for (table, label) in missing {
        sink.push(
            Finding::new(
                format!("{}缺少「{}」列", table.zh(), label),
                format!("{} lacks the column 「{}」", table.en(), label),
            )
            .help("按标准格式补上该列", "add the column of the standard format")
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
        assert!(run(&r, "S103").is_empty());
        r.cells.retain(|k, _| !k.ends_with(".legal.research"));
        let d = run(&r, "S103");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.zh.contains("科研机构"));
    }
}
