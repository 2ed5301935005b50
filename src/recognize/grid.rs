//! The recogniser's working state over a document's grids: every position's normalised text ([`Norm`]), and the
//! [`Builder`] that keys value cells as the tables are found (`table2`, `table3`, `table4`) or read out of running
//! text (`stream`). A merged cell is read once.

use std::collections::BTreeMap;

// The recogniser hashes short labels and positions it made itself: a fast hash, not SipHash.
use rustc_hash::FxHashSet as HashSet;

use super::{GridFindings, stream};
use crate::layout::TableId;
use crate::model::{Cell, Cells, Note, Origin, TableLocation};
use crate::normalize::{self, Parsed};
use crate::raw::{Addressing, Grid, RawDocument};

/// Normalised visible text of every position of a grid. Positions covered by a merge share their anchor's text;
/// text that is its own label is borrowed from the grid.
pub(super) struct Norm<'a> {
    cols: u32,
    /// Per position, an index into `texts`; 0 is the empty text.
    at: Vec<u32>,
    texts: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> Norm<'a> {
    pub(super) fn new(grid: &'a Grid) -> Self {
        let mut at = Vec::with_capacity(grid.rows as usize * grid.cols as usize);
        let mut texts = vec![std::borrow::Cow::Borrowed("")];
        for r in 0..grid.rows {
            for c in 0..grid.cols {
                let (ar, ac) = grid.anchor_of(r, c);
                if (ar, ac) != (r, c) && ar <= r && (ar < r || ac < c) {
                    // Covered by a merge whose anchor was normalised already.
                    let i = ar as usize * grid.cols as usize + ac as usize;
                    at.push(at.get(i).copied().unwrap_or(0));
                } else {
                    let raw = grid.visible_text(r, c);
                    if raw.is_empty() {
                        at.push(0);
                    } else {
                        at.push(texts.len() as u32);
                        texts.push(normalize::label_cow(raw));
                    }
                }
            }
        }
        Norm { cols: grid.cols, at, texts }
    }
    pub(super) fn at(&self, r: u32, c: u32) -> &str {
        if c >= self.cols {
            return "";
        }
        self.at.get(r as usize * self.cols as usize + c as usize).map_or("", |&i| self.texts[i as usize].as_ref())
    }
}

/// What the recogniser is building.
pub(super) struct Builder<'a> {
    pub(super) grids: &'a [Grid],
    pub(super) norms: Vec<Norm<'a>>,
    pub(super) cells: Cells,
    pub(super) used: HashSet<(usize, u32, u32)>,
    pub(super) notes: Vec<Note>,
    pub(super) tables: BTreeMap<TableId, TableLocation>,
    /// Rows of each grid that belong to a recognised table: `(grid, first, last)`.
    pub(super) regions: Vec<(usize, u32, u32)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(grids: &'a [Grid]) -> Self {
        Builder {
            grids,
            norms: grids.iter().map(Norm::new).collect(),
            cells: Cells::new(),
            used: HashSet::default(),
            notes: Vec::new(),
            tables: BTreeMap::new(),
            regions: Vec::new(),
        }
    }

    pub(super) fn find_tables(&mut self) {
        self.find_table3();
        self.find_table4();
        self.find_table2();
    }

    pub(super) fn found(self) -> GridFindings {
        let Builder { cells, notes, tables, regions, .. } = self;
        GridFindings { cells, notes, tables, regions }
    }

    pub(super) fn insert(&mut self, key: &str, gi: usize, r: u32, c: u32) {
        let (grid, used) = (&self.grids[gi], &mut self.used);
        self.cells.insert_if_vacant(key, || cell_at(grid, gi, used, r, c));
    }

    /// [`Builder::insert`] by slot (see [`layout::key_slot`]).
    pub(super) fn insert_at(&mut self, slot: usize, gi: usize, r: u32, c: u32) {
        let (grid, used) = (&self.grids[gi], &mut self.used);
        self.cells.insert_at_if_vacant(slot, || cell_at(grid, gi, used, r, c));
    }

    /// Read the tables the grids did not hold out of the running text (grid `gi`).
    pub(super) fn read_stream(&mut self, gi: usize, raw: &RawDocument) {
        let want: Vec<TableId> = super::TABLES.into_iter().filter(|t| !self.tables.contains_key(t)).collect();
        if want.is_empty() {
            return;
        }
        let found = stream::recognize(&raw.paragraphs, &want);
        // Prose that merely names a few labels (a notice quoting the format) is not a report's table.
        if found.values.len() < 10 {
            return;
        }
        for (table, row) in found.tables {
            self.tables.entry(table).or_insert(TableLocation { grid: gi, header_row: row });
        }
        for v in found.values {
            let parsed = normalize::parse_value(&v.raw);
            let origin = Origin { grid: gi, row: v.row, col: 0, at: v.at };
            self.cells.insert_if_vacant(&v.key, || Cell { raw: v.raw, parsed, origin, number_as_text: false });
        }
        for (kind, row, at) in found.notes {
            self.notes.push(kind.into_note(Origin { grid: gi, row, col: 0, at }));
        }
    }
}

/// The cell a key lands on at `(r, c)` of grid `gi` (its merge's anchor), read once: a merged cell is counted once.
fn cell_at(grid: &Grid, gi: usize, used: &mut HashSet<(usize, u32, u32)>, r: u32, c: u32) -> Cell {
    let (ar, ac) = grid.anchor_of(r, c);
    let origin = Origin::cell(gi, ar, ac);
    if !used.insert((gi, ar, ac)) {
        // The second key that lands on a merged cell reads a blank.
        return Cell {
            raw: String::new(),
            parsed: Parsed::Blank,
            origin: Origin::cell(gi, r, c),
            number_as_text: false,
        };
    }
    let Some(gc) = grid.get(ar, ac) else {
        return Cell { raw: String::new(), parsed: normalize::parse_value(""), origin, number_as_text: false };
    };
    let parsed = match gc.typed_number {
        Some(value) => Parsed::Number { value, clean: true, unit: None },
        None => normalize::parse_value(&gc.text),
    };
    let number_as_text =
        gc.typed_number.is_none() && matches!(grid.addressing, Addressing::Sheet { .. }) && parsed.number().is_some();
    Cell { raw: gc.text.clone(), parsed, origin, number_as_text }
}
