//! Table 3 (收到和处理政府信息公开申请情况): found by its 自然人 header wherever it stands, its seven columns
//! keyed by their headers, its 25 rows by their labels (numbering, a shortened label or a known variant allowed).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::grid::{Builder, Norm};
use crate::layout::{self, T3Row, TableId};
use crate::model::{Note, Origin, TableLocation};
use crate::normalize;

const T3_HEADER_WORDS: &[&str] = &["申请人情况", "法人或其他组织"];

impl Builder<'_> {
    pub(super) fn find_table3(&mut self) {
        let mut best: Option<(usize, T3Found)> = None;
        for gi in 0..self.grids.len() {
            let grid = &self.grids[gi];
            for r in 0..grid.rows {
                for c in 0..grid.cols {
                    if grid.anchor_of(r, c) == (r, c) && self.norms[gi].at(r, c) == "自然人" {
                        let found = self.scan_table3(gi, r, c);
                        if best.as_ref().is_none_or(|(_, b)| found.rows.len() > b.rows.len()) {
                            best = Some((gi, found));
                        }
                    }
                }
            }
        }
        let Some((gi, found)) = best else { return };
        if found.rows.is_empty() {
            return;
        }
        self.tables.insert(TableId::T3, TableLocation { grid: gi, header_row: found.header_row });
        self.regions.push((gi, found.header_row, found.last_row));
        self.notes.extend(found.notes);
        for (r, row_key) in found.rows {
            for (ci, col) in found.cols.iter().enumerate() {
                if let (Some(c), Some(slot)) = (col, layout::t3_slot(row_key, ci)) {
                    self.insert_at(slot, gi, r, *c);
                }
            }
        }
    }

    fn scan_table3(&self, gi: usize, hr: u32, hc: u32) -> T3Found {
        let grid = &self.grids[gi];
        let norm = &self.norms[gi];
        let header_rows = hr.saturating_sub(1)..=(hr + 2).min(grid.rows.saturating_sub(1));
        let find = |label: &str, after: u32| -> Option<(u32, u32)> {
            header_rows.clone().find_map(|r| {
                ((after + 1)..grid.cols.min(after + 16)).find(|&c| norm.at(r, c) == label).map(|c| (r, c))
            })
        };
        let mut cols: [Option<u32>; 7] = [None; 7];
        cols[0] = Some(hc);
        let mut header_bottom = hr;
        for (i, col) in layout::T3_COLS.iter().enumerate().skip(1).take(5) {
            if let Some((r, c)) = find(col.label, hc) {
                cols[i] = Some(c);
                header_bottom = header_bottom.max(r);
            }
        }
        let last_legal = cols[1..6].iter().flatten().max().copied().unwrap_or(hc);
        if let Some((r, c)) = find("总计", last_legal) {
            cols[layout::T3_TOTAL_COL] = Some(c);
            header_bottom = header_bottom.max(r);
        }
        // Vertically merged headers show their text on every row they span; the header ends where they do.
        while header_bottom + 1 < grid.rows && norm.at(header_bottom + 1, hc) == "自然人" {
            header_bottom += 1;
        }
        let mut notes = Vec::new();
        let right = cols.iter().flatten().max().copied().unwrap_or(hc);
        let mapped: HashSet<u32> = cols.iter().flatten().copied().collect();
        let known: HashSet<&str> =
            layout::T3_COLS.iter().map(|c| c.label).chain(T3_HEADER_WORDS.iter().copied()).collect();
        for c in (hc + 1)..grid.cols.min(right + 2) {
            if mapped.contains(&c) {
                continue;
            }
            // An unmapped column with a header of its own (not a merge of a known one) is an extra column.
            let header = (hr..=header_bottom).rev().find_map(|r| {
                let t = norm.at(r, c);
                (!t.is_empty() && grid.anchor_of(r, c) == (r, c) && !known.contains(t)).then_some((r, t))
            });
            if let Some((r, t)) = header {
                notes.push(Note::ExtraColumn {
                    table: TableId::T3,
                    label: t.to_string(),
                    origin: Origin::cell(gi, r, c),
                });
            }
        }

        let value_cols: Vec<u32> = cols.iter().flatten().copied().collect();
        let mut rows = Vec::new();
        let mut seen = HashSet::default();
        let mut last_row = header_bottom;
        let mut misses = 0;
        for r in (header_bottom + 1)..grid.rows {
            let path = label_path(norm, r, hc);
            let has_numbers =
                || value_cols.iter().any(|&c| normalize::parse_value(grid.visible_text(r, c)).number().is_some());
            let matched = match_t3_row(&path)
                .or_else(|| fuzzy_t3_row(path.last()?, &seen).map(|row| (row, path.last().cloned())));
            match matched {
                Some((row, variant)) if seen.insert(row.key) => {
                    if let Some(found) = variant {
                        notes.push(Note::LabelVariant {
                            table: TableId::T3,
                            found,
                            expected: row.label.to_string(),
                            origin: Origin::cell(gi, r, hc.saturating_sub(1)),
                        });
                    }
                    rows.push((r, row.key));
                    last_row = r;
                    misses = 0;
                    if row.key == "carried_forward" {
                        break;
                    }
                }
                _ => {
                    if path.iter().any(|p| is_boundary(p)) {
                        break;
                    }
                    if !path.is_empty() && has_numbers() {
                        notes.push(Note::UnknownRow {
                            table: TableId::T3,
                            label: path.last().cloned().unwrap_or_default(),
                            origin: Origin::cell(gi, r, hc.saturating_sub(1)),
                        });
                    }
                    misses += 1;
                    if misses > 6 {
                        break;
                    }
                }
            }
        }
        T3Found {
            header_row: hr.saturating_sub(usize::from(norm.at(hr.saturating_sub(1), hc) == "申请人情况") as u32),
            last_row,
            cols,
            rows,
            notes,
        }
    }
}

struct T3Found {
    header_row: u32,
    last_row: u32,
    cols: [Option<u32>; 7],
    rows: Vec<(u32, &'static str)>,
    notes: Vec<Note>,
}

/// The distinct label texts of a row, left of the value columns, in order.
fn label_path(norm: &Norm, r: u32, first_value_col: u32) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for c in 0..first_value_col {
        let t = norm.at(r, c);
        if t.is_empty() || normalize::parse_value(t).number().is_some() {
            continue;
        }
        if path.last().is_none_or(|l| l != t) {
            path.push(t.to_string());
        }
    }
    path
}

/// Labels that end table 3 when met: the next section or table 4.
fn is_boundary(label: &str) -> bool {
    static HEADINGS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        layout::SECTIONS.iter().filter(|(_, h)| !h.starts_with('三')).map(|(_, h)| normalize::label(h)).collect()
    });
    label == "行政复议" || label == "行政诉讼" || HEADINGS.iter().any(|h| h == label)
}

struct T3Index {
    exact: HashMap<String, &'static T3Row>,
    core: HashMap<String, &'static T3Row>,
    /// The cores again, in layout order, for the prefix search (a map's order would make its answer vary).
    cores_in_order: Vec<(String, &'static T3Row)>,
}

static T3_INDEX: std::sync::LazyLock<T3Index> = std::sync::LazyLock::new(|| {
    let mut exact = HashMap::default();
    let mut core = HashMap::default();
    let mut cores_in_order = Vec::new();
    for row in layout::T3_ROWS_2021.iter().chain(layout::T3_ROWS_TRIAL.iter()) {
        let n = normalize::label(row.label);
        let c = normalize::label_core(&n).to_string();
        if let std::collections::hash_map::Entry::Vacant(slot) = core.entry(c.clone()) {
            slot.insert(row);
            cores_in_order.push((c, row));
        }
        exact.entry(n).or_insert(row);
    }
    T3Index { exact, core, cores_in_order }
});

/// Match a row's label path to a table-3 row. The second value is the label as found when it is a variant of
/// the official wording (not merely renumbered).
pub(super) fn match_t3_row(path: &[String]) -> Option<(&'static T3Row, Option<String>)> {
    let leaf = path.last()?;
    if let Some(row) = T3_INDEX.exact.get(leaf) {
        return Some((row, None));
    }
    let core = normalize::label_core(leaf);
    if let Some(row) = T3_INDEX.core.get(core) {
        return Some((row, None));
    }
    // A shortened label (`(二)部分公开` without its counting note) or one with a suffix.
    if core.chars().count() >= 4 {
        for (official_core, row) in &T3_INDEX.cores_in_order {
            if official_core.starts_with(core)
                || core.starts_with(official_core.as_str()) && official_core.chars().count() >= 4
            {
                return Some((row, Some(leaf.clone())));
            }
        }
    }
    None
}

/// A row label that lost or changed a few characters (`2.其他法律行政止公开`, typed or extracted so): the row of the
/// same numbering, not yet read, whose wording it keeps most of (the longest common subsequence of the two, at
/// least 70% of the longer), when one row is clearly the best.
fn fuzzy_t3_row(leaf: &str, seen: &HashSet<&str>) -> Option<&'static T3Row> {
    let core = normalize::label_core(leaf);
    let numbering = &leaf[..leaf.len() - core.len()];
    if numbering.is_empty() || core.chars().count() < 4 {
        return None;
    }
    let core: Vec<char> = core.chars().collect();
    let mut scored: Vec<(f64, &'static T3Row)> = layout::T3_ROWS_2021
        .iter()
        .chain(layout::T3_ROWS_TRIAL.iter())
        .filter(|row| !seen.contains(row.key))
        .filter_map(|row| {
            let official = normalize::label(row.label);
            let rest = official.strip_prefix(numbering)?;
            let official: Vec<char> = rest.chars().collect();
            let ratio = common_subsequence(&core, &official) as f64 / core.len().max(official.len()) as f64;
            (ratio >= 0.7).then_some((ratio, row))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(_, best)] => Some(best),
        [(a, best), (b, other), ..] if a > b || best.key == other.key => Some(best),
        _ => None,
    }
}

/// The length of the longest common subsequence of two short texts.
fn common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    for &x in a {
        let mut current = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            current[j + 1] = if x == y { previous[j] + 1 } else { previous[j + 1].max(current[j]) };
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_with_and_without_numbering() {
        let p = |s: &str| vec![normalize::label(s)];
        assert_eq!(match_t3_row(&p("3.危及三安全一稳定")).unwrap().0.key, "result.denied.security_stability");
        assert_eq!(match_t3_row(&p("予以公开")).unwrap().0.key, "result.granted");
        let (row, variant) = match_t3_row(&p("（二）部分公开")).unwrap();
        assert_eq!(row.key, "result.partially_granted");
        assert!(variant.is_some());
        assert_eq!(match_t3_row(&p("（六）其他处理")).unwrap().0.key, "result.other_total");
        assert!(match_t3_row(&p("合计说明")).is_none());
        // A label that lost characters is its row, as a variant, when its numbering and most of its wording agree.
        let none = HashSet::default();
        let lost = fuzzy_t3_row(&normalize::label("2.其他法律行政止公开"), &none).unwrap();
        assert_eq!(lost.key, "result.denied.prohibited_by_law");
        assert!(fuzzy_t3_row(&normalize::label("2.其他情形"), &none).is_none());
        assert!(fuzzy_t3_row(&normalize::label("其他法律行政止公开"), &none).is_none(), "no numbering");
    }
}
