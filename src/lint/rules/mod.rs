//! The rule registry: one file per rule, one line per rule in [`ALL`].
//!
//! Codes by family: `S1xx` structure, `V2xx` values, `C3xx` consistency, `F4xx` format version, `M5xx`
//! metadata, `T6xx` text. Codes are never reused; a retired rule keeps its code out of circulation.

mod amount_unit;
mod blank_as_zero;
mod blank_total;
mod carry_over;
pub(crate) mod copied_text;
mod count_cut_off;
mod count_twice;
mod date_ambiguous;
mod date_mismatch;
mod digits_settled;
mod empty_table;
mod extra_column;
mod fee_statement;
mod formula_result;
mod garbled_reference;
mod in_force_below_made;
mod in_force_drift;
mod invalid_amount;
mod label_variant;
mod late_publication;
mod legacy_format;
mod missing_column;
mod missing_row;
mod missing_table;
mod new_format_before_2021;
mod not_a_count;
mod number_format;
mod period_year;
mod placeholder;
mod reference_title;
mod result_sum;
mod row_total;
mod section_heading_variant;
mod section_missing;
mod section_order;
mod section_thin;
pub(crate) mod shared_text;
mod t3_balance;
mod t4_total;
mod text_self_contradiction;
mod text_table;
mod title_pattern;
mod trial_format_after_2021;
mod unknown_row;
mod unreadable_cells;
mod unreadable_file;
mod year_missing;

use super::Rule;
use crate::layout::{self, FormatVersion, SumRelation, T3Row, TableId};
use crate::model::{Origin, Report};

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &missing_table::RULE,
    &missing_row::RULE,
    &missing_column::RULE,
    &extra_column::RULE,
    &unknown_row::RULE,
    &label_variant::RULE,
    &unreadable_cells::RULE,
    &digits_settled::RULE,
    &not_a_count::RULE,
    &invalid_amount::RULE,
    &amount_unit::RULE,
    &number_format::RULE,
    &blank_as_zero::RULE,
    &blank_total::RULE,
    &empty_table::RULE,
    &formula_result::RULE,
    &t3_balance::RULE,
    &result_sum::RULE,
    &row_total::RULE,
    &t4_total::RULE,
    &in_force_below_made::RULE,
    &carry_over::RULE,
    &in_force_drift::RULE,
    &trial_format_after_2021::RULE,
    &new_format_before_2021::RULE,
    &legacy_format::RULE,
    &year_missing::RULE,
    &title_pattern::RULE,
    &period_year::RULE,
    &late_publication::RULE,
    &date_mismatch::RULE,
    &section_missing::RULE,
    &section_order::RULE,
    &section_heading_variant::RULE,
    &placeholder::RULE,
    &garbled_reference::RULE,
    &date_ambiguous::RULE,
    &fee_statement::RULE,
    &text_table::RULE,
    &section_thin::RULE,
    &text_self_contradiction::RULE,
    &copied_text::RULE,
    &reference_title::RULE,
    &shared_text::RULE,
    &count_cut_off::RULE,
    &count_twice::RULE,
];

/// E000, the code every output gives a file that could not be read: described like the rules, never run.
pub static UNREADABLE: &Rule = &unreadable_file::RULE;

/// Every rule and E000, as `gongkai rules` lists them and SARIF describes them.
pub fn listed() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().copied().chain(std::iter::once(UNREADABLE))
}

/// A check over two reports of one agency for consecutive years.
pub type PairCheck = fn(&Report, &Report, &mut super::Sink);

/// The rules that compare a report with the same agency's report for the year before, and their checks.
pub static SERIES: &[(&Rule, PairCheck)] = &[
    (&carry_over::RULE, carry_over::check_pair),
    (&in_force_drift::RULE, in_force_drift::check_pair),
    (&copied_text::RULE, copied_text::check_pair),
];

/// The rules that compare a report with another agency's report of the same run, and their checks.
pub static PEERS: &[(&Rule, PairCheck)] = &[(&shared_text::RULE, shared_text::check_peer)];

/// The format version table 3 follows: the report's, except that a 2021 report whose table 3 has the trial
/// format's single `(六)其他处理` row and none of the three 2021 rows under it (an old table 3 kept in a new
/// report) is read, summed and checked as the trial table it is. F401 reports the old row.
pub(super) fn t3_format(report: &Report) -> FormatVersion {
    if report.format == FormatVersion::V2021 && t3_other_as_one_row(report) {
        FormatVersion::Trial2019
    } else {
        report.format
    }
}

/// Table 3 has the trial format's single `(六)其他处理` row and none of the 2021 rows that replace it. (Read by slot:
/// the sum rules ask for every total they check.)
fn t3_other_as_one_row(report: &Report) -> bool {
    static SLOTS: std::sync::LazyLock<(Vec<usize>, Vec<usize>)> = std::sync::LazyLock::new(|| {
        let under = |stem: &str| {
            layout::SLOT_KEYS.iter().enumerate().filter(|(_, k)| k.key.starts_with(stem)).map(|(i, _)| i).collect()
        };
        (under("t3.result.other_total."), under("t3.result.other."))
    });
    let has = |slots: &[usize]| slots.iter().any(|&s| report.cells.at_slot(s).is_some());
    has(&SLOTS.0) && !has(&SLOTS.1)
}

/// The table-3 rows of the report's format version.
fn t3_rows(report: &Report) -> &'static [T3Row] {
    match t3_format(report) {
        FormatVersion::Trial2019 => &layout::T3_ROWS_TRIAL,
        _ => &layout::T3_ROWS_2021,
    }
}

/// Every sum relation the format states, for the version table 3 follows.
fn relations(report: &Report) -> &'static [SumRelation] {
    layout::relations(t3_format(report))
}

/// True when `key` is a total left blank although its parts add up to more than 0: `V206` reports it, so
/// the sum rules leave it alone.
fn blank_total_with_parts(report: &Report, key: &str) -> bool {
    layout::key_slot(key).is_some_and(|slot| blank_total_at(report, slot))
}

/// [`blank_total_with_parts`] of the cell in a slot.
fn blank_total_at(report: &Report, slot: usize) -> bool {
    super::is_blankish_at(report, slot)
        && layout::relation_sets(t3_format(report))
            .with_total(slot)
            .any(|r| super::sum_parts(report, &r.part_slots).is_some_and(|s| s > 0.0))
}

/// The formula of the Word field (`SUM(LEFT)`) whose shown result is the cell under `key`, if it is one.
fn word_field<'a>(report: &'a Report, key: &str) -> Option<&'a str> {
    let origin = report.cell(key)?.origin;
    report.grids.get(origin.grid)?.word_field_at(origin.row, origin.col)
}

/// Where to point for a finding about a whole table: its header.
fn table_origin(report: &Report, table: TableId) -> Option<Origin> {
    report.tables.get(&table).map(|t| Origin::cell(t.grid, t.header_row, 0))
}

/// Keys of the report's cells in one table.
fn table_keys(report: &Report, table: TableId) -> impl Iterator<Item = &'static str> + '_ {
    let prefix = match table {
        TableId::T2 => "t2",
        TableId::T3 => "t3.",
        TableId::T4 => "t4.",
    };
    report.cells.under(prefix).map(|(k, _)| k)
}

/// The finding for a total that is not the sum of its parts, with the unsafe fix that writes the sum. `None`
/// when the relation holds, a cell is missing, a part is reported by a value rule, or the total is blank.
fn total_mismatch(report: &Report, rel: &SumRelation, parts_zh: &str, parts_en: &str) -> Option<super::Finding> {
    use super::{CountRead, Edit, Finding, Fix, Safety, Text, address_of, num, read_count_at, sum_parts};
    if super::is_blankish_at(report, rel.total_slot) {
        return None; // V205 or V206
    }
    let CountRead::Value(total) = read_count_at(report, rel.total_slot) else {
        return None;
    };
    if rel.part_slots.iter().any(|&p| blank_total_at(report, p)) {
        return None; // a part is a blank total: V206
    }
    let sum = sum_parts(report, &rel.part_slots)?;
    if (total - sum).abs() < 1e-9 {
        return None;
    }
    let label = layout::key_spec(&rel.total).map_or(rel.total.as_str(), |s| s.label.as_str());
    let addr = address_of(report, &rel.total, super::Lang::Zh);
    let addr_en = address_of(report, &rel.total, super::Lang::En);
    let mut f = Finding::new(
        format!("「{label}」为 {}，不等于{parts_zh}之和 {}", num(total), num(sum)),
        format!("「{label}」 is {}, not the sum of {parts_en}, {}", num(total), num(sum)),
    )
    .at(report, &rel.total)
    .help(
        format!("核对各项；若各项无误，将 {addr} 改为 {}（gongkai fix --unsafe-fixes 可自动修改）", num(sum)),
        format!(
            "check the parts; if they are right, change {addr_en} to {} (gongkai fix --unsafe-fixes does it)",
            num(sum)
        ),
    );
    if let Some(formula) = word_field(report, &rel.total)
        && let Some(help) = f.help.as_mut()
    {
        help.zh.push_str(&format!("。该格是 Word 公式域 ={formula}，数字改动后它不会自动更新：选中表格按 F9 更新域"));
        help.en.push_str(&format!(
            ". The cell shows the Word formula field ={formula}, which does not update when numbers change: select \
             the table and press F9"
        ));
    }
    f = f.label(format!("{} ≠ {}", num(total), num(sum)), format!("{} ≠ {}", num(total), num(sum)));
    f = f.fix(Fix {
        safety: Safety::Unsafe,
        title: Text::new(format!("改为 {}", num(sum)), format!("write {}", num(sum))),
        edits: vec![Edit { key: rel.total.clone(), from: super::raw_of(report, &rel.total), to: num(sum) }],
    });
    Some(f)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small reports built in memory for rule tests.
    use std::collections::BTreeMap;

    use crate::layout::{self, FormatVersion, TableId};
    use crate::lint::{Diagnostic, Selection, apply_fixes, check_with};
    use crate::model::{Cell, Cells, Meta, Origin, Report, TableLocation};
    use crate::normalize::parse_value;
    use crate::raw::{Addressing, Grid, InputKind};

    /// A 2021 report for 2023 whose every cell holds `0`.
    pub fn clean_report() -> Report {
        let mut cells = Cells::new();
        let mut grid = Grid::new(Addressing::Sheet { sheet: "Sheet1".into(), row0: 0, col0: 0 }, 200, 2);
        for (i, spec) in layout::KEYS_2021.iter().enumerate() {
            if let Some(g) = grid.get_mut(i as u32, 0) {
                g.text = spec.key.clone();
            }
            cells.insert(
                &spec.key,
                Cell {
                    raw: "0".into(),
                    parsed: parse_value("0"),
                    origin: Origin::cell(0, i as u32, 1),
                    number_as_text: false,
                },
            );
        }
        let mut tables = BTreeMap::new();
        for t in [TableId::T2, TableId::T3, TableId::T4] {
            tables.insert(t, TableLocation { grid: 0, header_row: 0 });
        }
        Report {
            path: "test.xlsx".into(),
            input: InputKind::Xlsx,
            format: FormatVersion::V2021,
            meta: Meta { year: Some(2023), ..Meta::default() },
            sections: Vec::new(),
            cells,
            tables,
            notes: Vec::new(),
            grids: vec![grid],
        }
    }

    /// Set a cell's text.
    pub fn set(report: &mut Report, key: &str, text: &str) {
        let cell = report.cells.get_mut(key).unwrap_or_else(|| panic!("no cell {key}"));
        cell.raw = text.to_string();
        cell.parsed = parse_value(text);
    }

    /// A section of the text, as the recogniser would read it.
    pub fn section(key: &'static str, heading: &str, text: &str) -> crate::model::Section {
        crate::model::Section {
            key,
            heading: heading.into(),
            text: text.into(),
            origin: String::new(),
            line_origins: Vec::new(),
        }
    }

    /// Run one rule.
    pub fn run(report: &Report, code: &str) -> Vec<Diagnostic> {
        check_with(report, &Selection { select: vec![code.to_string()], ignore: Vec::new() })
    }

    /// Apply the rule's fixes (unsafe included) and run it again: it must then be silent.
    pub fn assert_fix_clears(report: &Report, code: &str) {
        let found = run(report, code);
        assert!(!found.is_empty(), "{code} found nothing to fix");
        let (fixed, edits) = apply_fixes(report, &found, true);
        assert!(!edits.is_empty(), "{code} carried no edit");
        let after = run(&fixed, code);
        assert!(after.is_empty(), "{code} still fires after its fix: {after:?}");
    }
}
