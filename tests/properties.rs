//! Properties over generated reports (proptest): export → import is the identity on the model; a report whose
//! arithmetic holds raises no consistency finding; breaking one cell of a sum raises one at a cell of that sum.

use std::collections::{BTreeMap, HashSet};

use gongkai::export::{self, Format};
use gongkai::layout::{self, TableId};
use gongkai::lint;
use gongkai::model::{Cell, Origin, Report, TableLocation};
use gongkai::normalize::parse_value;
use proptest::prelude::*;

fn report_with(values: &BTreeMap<String, String>, year: i32, agency: &str) -> Report {
    let mut r = Report::blank(format!("{agency}{year}年度政府信息公开工作年度报告"), Some(year));
    r.meta.agency = Some(agency.to_string());
    for (k, v) in values {
        let cell =
            Cell { raw: v.clone(), parsed: parse_value(v), origin: Origin::cell(0, 0, 0), number_as_text: false };
        r.cells.insert(k, cell);
    }
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        r.tables.insert(t, TableLocation { grid: 0, header_row: 0 });
    }
    r
}

/// Any value a cell may hold in a standard report: a count, a blank, or (for the fee) an amount.
fn any_values() -> impl Strategy<Value = BTreeMap<String, String>> {
    let keys: Vec<String> = layout::KEYS_2021.iter().map(|k| k.key.clone()).collect();
    proptest::collection::vec(
        prop_oneof![4 => (0u32..5000).prop_map(|n| n.to_string()), 1 => Just(String::new())],
        keys.len(),
    )
    .prop_map(move |vals| {
        keys.iter()
            .cloned()
            .zip(vals)
            .map(|(k, v)| if k.ends_with("amount_wan_yuan") && !v.is_empty() { (k, format!("{v}.25")) } else { (k, v) })
            .collect()
    })
}

/// A report whose every sum holds: leaf counts drawn, totals computed.
fn consistent_values() -> impl Strategy<Value = BTreeMap<String, String>> {
    let results: Vec<&'static str> =
        layout::T3_ROWS_2021.iter().filter(|r| r.role == layout::T3Role::Result).map(|r| r.key).collect();
    let n_results = results.len();
    (
        proptest::collection::vec(0u32..50, n_results * 6),
        proptest::collection::vec(0u32..20, 6),
        proptest::collection::vec(0u32..20, 6),
        proptest::collection::vec(0u32..9, 12),
        proptest::collection::vec(0u32..30, 10),
    )
        .prop_map(move |(leaves, over, forward, t4, t2)| {
            let mut v: BTreeMap<String, String> = BTreeMap::new();
            let mut set = |k: String, n: u32| {
                v.insert(k, n.to_string());
            };
            let mut sums = [0u32; 6];
            for (ri, row) in results.iter().enumerate() {
                for c in 0..6 {
                    let x = leaves[ri * 6 + c];
                    sums[c] += x;
                    set(layout::t3_key(row, c), x);
                }
            }
            for c in 0..6 {
                let over_c = over[c].min(sums[c] + forward[c]);
                set(layout::t3_key("result.total", c), sums[c]);
                set(layout::t3_key("carried_over", c), over_c);
                set(layout::t3_key("carried_forward", c), forward[c]);
                set(layout::t3_key("new_received", c), sums[c] + forward[c] - over_c);
            }
            for (gi, g) in layout::T4_GROUPS.iter().enumerate() {
                let parts = &t4[gi * 4..gi * 4 + 4];
                for ((ck, _), x) in layout::T4_COLS.iter().zip(parts) {
                    set(layout::t4_key(g.key, ck), *x);
                }
                set(layout::t4_key(g.key, "total"), parts.iter().sum());
            }
            for (k, x) in layout::KEYS_2021.iter().filter(|k| k.table == TableId::T2).zip(t2) {
                set(k.key.clone(), x);
            }
            // 总计 column of every 表三 row.
            for row in layout::T3_ROWS_2021.iter() {
                let total: u32 = (0..6).map(|c| v[&layout::t3_key(row.key, c)].parse::<u32>().unwrap_or(0)).sum();
                v.insert(layout::t3_key(row.key, layout::T3_TOTAL_COL), total.to_string());
            }
            v
        })
}

fn consistency_codes(r: &Report) -> Vec<lint::Diagnostic> {
    lint::check(r).into_iter().filter(|d| matches!(d.code, "C301" | "C302" | "C303" | "C304" | "V206")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_the_model_back(values in any_values(), year in 2021i32..2026) {
        let report = report_with(&values, year, "测试市审计局");
        for (format, ext) in [(Format::Xlsx, "xlsx"), (Format::Docx, "docx")] {
            let bytes = export::render(&report, format, &[]).unwrap();
            let back = gongkai::import::read_bytes(&format!("p.{ext}"), &bytes).unwrap();
            prop_assert_eq!(report.values(), back.values(), "{}", ext);
            prop_assert_eq!(back.meta.year, Some(year));
            prop_assert_eq!(back.meta.agency.as_deref(), Some("测试市审计局"));
        }
    }

    #[test]
    fn a_report_whose_arithmetic_holds_raises_no_consistency_finding(values in consistent_values()) {
        let report = report_with(&values, 2023, "测试市审计局");
        let found = consistency_codes(&report);
        prop_assert!(found.is_empty(), "{:?}", found.iter().map(|d| (d.code, d.key.clone())).collect::<Vec<_>>());
    }

    #[test]
    fn one_changed_cell_breaks_a_sum_and_a_rule_fires_at_a_cell_of_it(
        values in consistent_values(),
        pick in any::<proptest::sample::Index>(),
        delta in 1u32..7,
    ) {
        let keys: Vec<&String> = values.keys().filter(|k| k.starts_with("t3.") || k.starts_with("t4.")).collect();
        let key = pick.get(&keys).to_string();
        let mut broken = values.clone();
        let old: u32 = broken[&key].parse().unwrap_or(0);
        broken.insert(key.clone(), (old + delta).to_string());
        let report = report_with(&broken, 2023, "测试市审计局");
        // The cells that share a sum with the changed one: its relations, and its column's 勾稽关系.
        let mut related: HashSet<String> = HashSet::new();
        for rel in layout::relations(report.format) {
            if rel.total == key || rel.parts.contains(&key) {
                related.insert(rel.total.clone());
                related.extend(rel.parts.iter().cloned());
            }
        }
        for ci in 0..layout::T3_COLS.len() {
            let balance: Vec<String> = ["new_received", "carried_over", "result.total", "carried_forward"].iter().map(|r| layout::t3_key(r, ci)).collect();
            if balance.contains(&key) {
                related.extend(balance);
            }
        }
        let found = consistency_codes(&report);
        prop_assert!(
            found.iter().any(|d| d.key.as_ref().is_some_and(|k| related.contains(k))),
            "changed {} by {}: {:?}", key, delta, found.iter().map(|d| (d.code, d.key.clone())).collect::<Vec<_>>()
        );
    }
}
