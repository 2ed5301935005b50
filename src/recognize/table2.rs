//! Table 2 (主动公开政府信息情况): its blocks found by their row labels (规章, 行政规范性文件, 行政许可, …) under a
//! header row of known fields (本年制发件数 …), in the 2021 layout or the trial one.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::grid::Builder;
use super::in_region;
use crate::layout::{self, T2Row, TableId};
use crate::model::{Note, Origin, TableLocation};
use crate::normalize;

impl Builder<'_> {
    pub(super) fn find_table2(&mut self) {
        let mut first: Option<TableLocation> = None;
        let mut last_row = 0;
        for gi in 0..self.grids.len() {
            let grid = &self.grids[gi];
            for r in 0..grid.rows {
                if in_region(&self.regions, gi, r) {
                    continue;
                }
                for c in 0..grid.cols {
                    if grid.anchor_of(r, c) != (r, c) {
                        continue;
                    }
                    let Some(row_key) = t2_row_key(self.norms[gi].at(r, c)) else {
                        continue;
                    };
                    let Some(hr) = self.t2_header_row(gi, r, c) else {
                        continue;
                    };
                    if self.read_t2_row(gi, r, c, hr, row_key) {
                        if first.is_none_or(|f| f.grid == gi && hr < f.header_row) {
                            first = Some(TableLocation { grid: gi, header_row: hr.saturating_sub(1) });
                        }
                        if first.is_some_and(|f| f.grid == gi) {
                            last_row = last_row.max(r);
                        }
                    }
                }
            }
        }
        if let Some(loc) = first {
            self.tables.insert(TableId::T2, loc);
            self.regions.push((loc.grid, loc.header_row, last_row));
        }
    }

    /// The header row of a table-2 block: the nearest row above whose label column says 信息内容, or whose cells
    /// to the right hold a known header.
    fn t2_header_row(&self, gi: usize, r: u32, c: u32) -> Option<u32> {
        let norm = &self.norms[gi];
        let grid = &self.grids[gi];
        (r.saturating_sub(4)..r).rev().find(|&hr| {
            norm.at(hr, c) == "信息内容" || ((c + 1)..grid.cols).any(|cc| t2_field(norm.at(hr, cc)).is_some())
        })
    }

    fn read_t2_row(&mut self, gi: usize, r: u32, c: u32, hr: u32, row_key: &str) -> bool {
        let grid = &self.grids[gi];
        let mut any = false;
        let mut seen = HashSet::default();
        let mut fields = Vec::new();
        for cc in (c + 1)..grid.cols {
            let anchor = grid.anchor_of(hr, cc);
            if !seen.insert(anchor) {
                continue;
            }
            let header = self.norms[gi].at(hr, cc).to_string();
            if let Some(f) = t2_field(&header) {
                fields.push((cc, header, f));
            }
        }
        for (cc, header, (trial, field, variant)) in fields {
            let rows: &[T2Row] = if trial { layout::T2_TRIAL } else { layout::T2_2021 };
            let Some(row) =
                rows.iter().find(|row| row.row_key == row_key && row.fields.iter().any(|f| f.key == field.key))
            else {
                continue;
            };
            if let Some(expected) = variant {
                let origin = Origin::cell(gi, hr, cc);
                let note =
                    Note::LabelVariant { table: TableId::T2, found: header, expected: expected.to_string(), origin };
                if !self.notes.contains(&note) {
                    self.notes.push(note);
                }
            }
            let prefix = if trial { "t2v19" } else { "t2" };
            self.insert(&layout::dotted(&[prefix, row.block_key, row.row_key, field.key]), gi, r, cc);
            any = true;
        }
        any
    }
}

/// The table-2 row key for a row label.
fn t2_row_key(label: &str) -> Option<&'static str> {
    static ROWS: std::sync::LazyLock<HashMap<String, &'static str>> = std::sync::LazyLock::new(|| {
        let mut m = HashMap::default();
        for row in layout::T2_2021.iter().chain(layout::T2_TRIAL.iter()) {
            for l in std::iter::once(&row.label).chain(row.label_variants.iter()) {
                m.entry(normalize::label(l)).or_insert(row.row_key);
            }
        }
        m
    });
    ROWS.get(label).copied()
}

type FieldMatch = (bool, layout::T2Field, Option<&'static str>);

/// Match a table-2 column header: `(is_trial, field, Some(expected) when a variant)`.
fn t2_field(header: &str) -> Option<FieldMatch> {
    static FIELDS: std::sync::LazyLock<HashMap<String, FieldMatch>> = std::sync::LazyLock::new(|| {
        let mut m = HashMap::default();
        for (trial, rows) in [(false, layout::T2_2021), (true, layout::T2_TRIAL)] {
            for f in rows.iter().flat_map(|r| r.fields.iter()) {
                m.entry(normalize::label(f.header)).or_insert((trial, *f, None));
            }
        }
        for f in layout::T2_2021.iter().flat_map(|r| r.fields.iter()) {
            for v in f.variants {
                m.entry(normalize::label(v)).or_insert((false, *f, Some(f.header)));
            }
        }
        m
    });
    if header.is_empty() {
        return None;
    }
    FIELDS.get(header).copied()
}
