//! Recognise a [`RawDocument`] as a report: find tables 2, 3 and 4 by their labels wherever they are, key every
//! value cell, detect the format version, map the trial layout onto the 2021 model, and read the title, year,
//! sections and date line.
//!
//! This is the only place where labels are matched and cell texts become numbers, for every input format.
//! It never fails: what it cannot recognise becomes a [`Note`] or a missing key, which the structure rules
//! report.

mod stream;

use std::collections::BTreeMap;

// The recogniser hashes short labels and positions it made itself: a fast hash, not SipHash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::layout::{self, FormatVersion, T2Row, T3Row, TableId};
use crate::model::{Cell, Cells, Meta, Note, Origin, Report, Section, TableLocation};
use crate::normalize::{self, Parsed};
use crate::raw::{Addressing, Grid, RawDocument};

/// Normalised visible text of every position of a grid. Positions covered by a merge share their anchor's text;
/// text that is its own label is borrowed from the grid.
struct Norm<'a> {
    cols: u32,
    /// Per position, an index into `texts`; 0 is the empty text.
    at: Vec<u32>,
    texts: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> Norm<'a> {
    fn new(grid: &'a Grid) -> Self {
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
    fn at(&self, r: u32, c: u32) -> &str {
        if c >= self.cols {
            return "";
        }
        self.at.get(r as usize * self.cols as usize + c as usize).map_or("", |&i| self.texts[i as usize].as_ref())
    }
}

/// What the recogniser is building.
struct Builder<'a> {
    grids: &'a [Grid],
    norms: Vec<Norm<'a>>,
    cells: Cells,
    used: HashSet<(usize, u32, u32)>,
    notes: Vec<Note>,
    tables: BTreeMap<TableId, TableLocation>,
    /// Rows of each grid that belong to a recognised table: `(grid, first, last)`.
    regions: Vec<(usize, u32, u32)>,
}

/// The three tables of a report.
const TABLES: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

/// What the recogniser found in a document's grids.
struct Found {
    cells: Cells,
    notes: Vec<Note>,
    tables: BTreeMap<TableId, TableLocation>,
    /// Rows of each grid that belong to a recognised table: `(grid, first, last)`.
    regions: Vec<(usize, u32, u32)>,
}

/// Turn a raw document into the report model. Never fails; see the module docs.
pub fn recognize(path: &str, mut raw: RawDocument) -> Report {
    // The running text is read for tables (as one more grid, a row per paragraph or line) only when the document's
    // own grids do not hold all three: a Word report's paragraphs name 行政复议 and 第二十条 too.
    let in_grids = {
        let mut b = Builder::new(&raw.grids);
        b.find_tables();
        TABLES.iter().all(|t| b.tables.contains_key(t)).then(|| b.found())
    };
    let (found, text_grid) = match in_grids {
        Some(found) => (found, None),
        None => {
            let text_grid = read_running_text(&mut raw);
            let mut b = Builder::new(&raw.grids);
            b.find_tables();
            if let Some(gi) = text_grid {
                b.read_stream(gi, &raw);
            }
            (b.found(), text_grid)
        }
    };
    let Found { mut cells, notes, tables, regions } = found;
    let format = detect_version(&cells);
    if format == FormatVersion::Trial2019 {
        map_trial(&mut cells);
    }
    let mut lines = text_lines(&raw, &regions);
    if matches!(raw.kind, crate::raw::InputKind::Text | crate::raw::InputKind::Html) {
        lines = split_at_headings(lines);
    }
    let (mut meta, sections) = read_text(&lines, raw.property_title.as_deref(), raw.published.as_deref());
    meta.published = raw.published.clone().or_else(|| meta.date_line.clone());
    if text_grid.is_some_and(|gi| !tables.values().any(|t| t.grid == gi)) {
        raw.grids.pop();
    }
    Report { path: path.to_string(), input: raw.kind, format, meta, sections, cells, tables, notes, grids: raw.grids }
}

/// True when row `r` of grid `gi` belongs to a recognised table.
fn in_region(regions: &[(usize, u32, u32)], gi: usize, r: u32) -> bool {
    regions.iter().any(|&(g, first, last)| g == gi && (first..=last).contains(&r))
}

/// Text lines outside the recognised tables, in document order: the paragraphs, and a workbook's text cells.
fn text_lines(raw: &RawDocument, regions: &[(usize, u32, u32)]) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = raw.paragraphs.iter().map(|p| (p.text.clone(), p.origin.clone())).collect();
    if !matches!(raw.kind, crate::raw::InputKind::Xlsx | crate::raw::InputKind::Xls) {
        return lines;
    }
    for (gi, grid) in raw.grids.iter().enumerate() {
        for r in 0..grid.rows {
            if in_region(regions, gi, r) {
                continue;
            }
            for c in 0..grid.cols {
                if grid.anchor_of(r, c) == (r, c)
                    && let Some(cell) = grid.get(r, c)
                    && cell.typed_number.is_none()
                    && !cell.text.trim().is_empty()
                {
                    lines.push((cell.text.clone(), grid.address(r, c)));
                }
            }
        }
    }
    lines
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

const T3_HEADER_WORDS: &[&str] = &["申请人情况", "法人或其他组织"];

/// Add a grid of the running text (one row per paragraph or line) when the text may hold tables, so that values
/// read from it have an origin. Returns its index.
fn read_running_text(raw: &mut RawDocument) -> Option<usize> {
    const SIGNS: &[&str] = &["勾稽关系", "第二十条", "本年新收政府信息公开申请数量", "行政规范性文件", "行政复议"];
    let holds_tables = raw.paragraphs.iter().any(|p| SIGNS.iter().any(|s| p.text.contains(s)));
    if !holds_tables {
        return None;
    }
    let unit = if raw.kind == crate::raw::InputKind::Text { "行" } else { "段" };
    let numbers = raw
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| p.origin.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(i as u32 + 1))
        .collect();
    let mut grid = Grid::new(Addressing::Lines { numbers, unit: unit.to_string() }, raw.paragraphs.len() as u32, 1);
    for (i, p) in raw.paragraphs.iter().enumerate() {
        if let Some(cell) = grid.get_mut(i as u32, 0) {
            cell.text = p.text.clone();
        }
    }
    raw.grids.push(grid);
    Some(raw.grids.len() - 1)
}

impl<'a> Builder<'a> {
    fn new(grids: &'a [Grid]) -> Self {
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

    fn find_tables(&mut self) {
        self.find_table3();
        self.find_table4();
        self.find_table2();
    }

    fn found(self) -> Found {
        let Builder { cells, notes, tables, regions, .. } = self;
        Found { cells, notes, tables, regions }
    }

    fn insert(&mut self, key: &str, gi: usize, r: u32, c: u32) {
        let (grid, used) = (&self.grids[gi], &mut self.used);
        self.cells.insert_if_vacant(key, || cell_at(grid, gi, used, r, c));
    }

    /// [`Builder::insert`] by slot (see [`layout::key_slot`]).
    fn insert_at(&mut self, slot: usize, gi: usize, r: u32, c: u32) {
        let (grid, used) = (&self.grids[gi], &mut self.used);
        self.cells.insert_at_if_vacant(slot, || cell_at(grid, gi, used, r, c));
    }

    // ---------------------------------------------------------------- table 3

    fn find_table3(&mut self) {
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
            match match_t3_row(&path) {
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

    // ---------------------------------------------------------------- table 4

    fn find_table4(&mut self) {
        for gi in 0..self.grids.len() {
            let grid = &self.grids[gi];
            for r in 0..grid.rows {
                for c in 0..grid.cols {
                    if grid.anchor_of(r, c) == (r, c)
                        && self.norms[gi].at(r, c) == "行政复议"
                        && !in_region(&self.regions, gi, r)
                        && self.scan_table4(gi, r, c)
                    {
                        return;
                    }
                }
            }
        }
    }

    fn scan_table4(&mut self, gi: usize, hr: u32, hc: u32) -> bool {
        let grid = &self.grids[gi];
        let norm = &self.norms[gi];
        let leaf = |t: &str| layout::T4_COLS.iter().find(|(_, l)| *l == t).map(|(k, _)| *k);
        let last_header = (hr + 1..=(hr + 3).min(grid.rows.saturating_sub(1)))
            .filter(|&r| (hc..grid.cols).any(|c| leaf(norm.at(r, c)).is_some()))
            .max();
        let Some(hb) = last_header else { return false };
        let value_row = hb + 1;
        let mut found: Vec<(String, u32)> = Vec::new();
        let mut seen_anchor = HashSet::default();
        let mut order = 0usize;
        for c in hc..grid.cols {
            let Some(col_key) = (hr + 1..=hb).rev().find_map(|r| leaf(norm.at(r, c))) else {
                continue;
            };
            if !seen_anchor.insert(grid.anchor_of(hb, c)) {
                continue;
            }
            let above: Vec<&str> = (hr..=hb).map(|r| norm.at(r, c)).collect();
            let group = if above.contains(&"未经复议直接起诉") {
                "litigation_direct"
            } else if above.contains(&"复议后起诉") {
                "litigation_after_review"
            } else if above.contains(&"行政复议") {
                "review"
            } else {
                // No group header above: fall back on the order of the format (5 columns a group).
                layout::T4_GROUPS.get(order / 5).map_or("review", |g| g.key)
            };
            order += 1;
            found.push((layout::t4_key(group, col_key), c));
        }
        if found.len() < 5 {
            return false;
        }
        self.tables.insert(TableId::T4, TableLocation { grid: gi, header_row: hr });
        self.regions.push((gi, hr, value_row.min(grid.rows.saturating_sub(1))));
        if value_row < grid.rows {
            for (key, c) in found {
                self.insert(&key, gi, value_row, c);
            }
        }
        true
    }

    // ---------------------------------------------------------------- table 2

    fn find_table2(&mut self) {
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

    /// Read the tables the grids did not hold out of the running text (grid `gi`).
    fn read_stream(&mut self, gi: usize, raw: &RawDocument) {
        let want: Vec<TableId> = TABLES.into_iter().filter(|t| !self.tables.contains_key(t)).collect();
        if want.is_empty() {
            return;
        }
        let lines: Vec<String> = raw.paragraphs.iter().map(|p| p.text.clone()).collect();
        let found = stream::recognize(&lines, &want);
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
fn match_t3_row(path: &[String]) -> Option<(&'static T3Row, Option<String>)> {
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

/// Decide the format version from the cells found (FORMAT.md §4.5).
fn detect_version(cells: &Cells) -> FormatVersion {
    let trial = cells.keys().filter(|k| k.starts_with("t2v19.") || k.starts_with("t3.result.other_total.")).count();
    let modern = cells
        .keys()
        .filter(|k| (k.starts_with("t2.") && !k.starts_with("t2v19.")) || k.starts_with("t3.result.other."))
        .count();
    if trial > modern {
        FormatVersion::Trial2019
    } else if modern > 0 || !cells.is_empty() {
        FormatVersion::V2021
    } else {
        FormatVersion::Unknown
    }
}

/// Give trial-format cells their 2021 keys where the meaning carries over (FORMAT.md §4.6). Cells without a
/// 2021 counterpart stay under their trial keys; 2021 cells the trial format lacks stay absent (null).
fn map_trial(cells: &mut Cells) {
    const MAP: &[(&str, &str)] = &[
        ("t2v19.art20_1.rules.new_made", "t2.art20_1.rules.made"),
        ("t2v19.art20_1.normative_docs.new_made", "t2.art20_1.normative_docs.made"),
        ("t2v19.art20_5.licensing.decisions", "t2.art20_5.licensing.decisions"),
        ("t2v19.art20_6.penalty.decisions", "t2.art20_6.penalty.decisions"),
        ("t2v19.art20_6.coercion.decisions", "t2.art20_6.coercion.decisions"),
    ];
    for (from, to) in MAP {
        if let Some(cell) = cells.get(from).cloned() {
            cells.insert_if_vacant(to, || cell);
        }
    }
}

// -------------------------------------------------------------------- text

fn read_text(
    lines: &[(String, String)],
    property_title: Option<&str>,
    page_date: Option<&str>,
) -> (Meta, Vec<Section>) {
    let mut meta = Meta::default();
    let mut head: Vec<String> =
        lines.iter().take(12).map(|(t, _)| t.trim().to_string()).filter(|t| t.chars().count() < 80).collect();
    // A title broken over two lines (PDF conversions): the pair joined, tried after the lines themselves.
    let pairs: Vec<String> =
        head.windows(2).map(|w| format!("{}{}", w[0], w[1])).filter(|t| t.chars().count() < 80).collect();
    head.extend(pairs);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let is_title = |t: &str| t.contains("政府信息公开") && t.trim_end_matches(['》', '"', '”']).ends_with("报告");
    let title = head
        .iter()
        .copied()
        .find(|t| is_title(t) && year_in(&t.split_whitespace().collect::<String>()).is_some())
        .or(property_title.filter(|t| is_title(t)))
        .or_else(|| head.iter().copied().find(|t| is_title(t)))
        .or_else(|| head.iter().copied().find(|t| t.ends_with("年度报告")))
        .or(property_title.filter(|t| t.contains("报告")));
    if let Some(title) = title {
        let flat: String = title.split_whitespace().collect();
        meta.year = year_in(&flat);
        meta.agency = agency_in(&flat);
        meta.title = Some(flat);
    }
    meta.period_year = lines.iter().find_map(|(t, _)| period_year(t));
    if meta.year.is_none() {
        meta.year = meta.period_year;
    }
    meta.org_type = meta.agency.as_deref().map(crate::model::OrgType::infer);
    meta.date_line = lines.iter().rev().take(8).find_map(|(t, _)| date_line(t));
    if meta.date_line.is_none()
        && let Some((line, origin)) = lines.iter().rev().take(8).find(|(t, _)| garbled_date(t).is_some())
    {
        let digits = normalize::without_whitespace(line).into_owned();
        let mut readings = garbled_date(line).unwrap_or_default();
        // Several readings: the one within a fortnight of the page's 发布时间, if exactly one is (FORMAT.md §5.6).
        if readings.len() > 1
            && let Some(page) = page_date
        {
            let near: Vec<String> =
                readings.iter().filter(|r| days_apart(r, page).is_some_and(|d| d <= 15)).cloned().collect();
            if near.len() == 1 {
                readings = near;
            }
        }
        meta.date_line = match readings.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        meta.repairs.push(crate::model::Repair { original: digits, readings, origin: origin.clone() });
    }

    let mut sections: Vec<Section> = Vec::new();
    for (text, origin) in lines {
        if let Some(key) = section_key(text) {
            sections.push(Section {
                key,
                heading: text.trim().to_string(),
                text: String::new(),
                origin: origin.clone(),
            });
        } else if let Some(s) = sections.last_mut()
            && date_line(text).is_none()
        {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(text.trim());
        }
    }
    (meta, sections)
}

/// The section a heading line opens, if it is one of the six (or a known variant).
pub fn section_key(text: &str) -> Option<&'static str> {
    static HEADINGS: std::sync::LazyLock<Vec<(String, &'static str)>> = std::sync::LazyLock::new(|| {
        layout::SECTIONS.iter().chain(layout::SECTION_VARIANTS.iter()).map(|(k, h)| (normalize::label(h), *k)).collect()
    });
    // A heading is short; long lines are body text and are not normalised at all.
    if text.len() > 40 * 4 {
        return None;
    }
    // Every heading and wording below starts with its numeral 一、…六、: a line whose first character is plainly
    // another one (ASCII and CJK ideographs are their own normal form) is not normalised at all.
    if let Some(first) = text.chars().find(|&c| normalize::fold_char(c).is_some())
        && (first.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&first))
        && !"一二三四五六".contains(first)
    {
        return None;
    }
    let n = normalize::label_cow(text);
    if n.chars().count() > 40 {
        return None;
    }
    // `二、主动公开政府信息情况（见表）`: a pointer to the table, not another wording.
    let n = n.strip_suffix("(见表)").or_else(|| n.strip_suffix("(见下表)")).unwrap_or(&n);
    if let Some((_, k)) = HEADINGS.iter().find(|(h, _)| *h == n) {
        return Some(k);
    }
    // Another wording: the section's numeral and a word only its heading has (table 3's row labels also start
    // with 一、…四、, but never with these words after these numerals).
    const WORDS: &[(&str, &str, &[&str])] = &[
        ("一、", "overview", &["总体情况", "概述"]),
        ("二、", "active_disclosure", &["主动公开"]),
        ("三、", "applications", &["收到和处理", "依申请公开"]),
        ("四、", "review_litigation", &["行政复议", "行政诉讼"]),
        ("五、", "problems", &["问题"]),
        ("六、", "other_matters", &["其他需要报告", "其他事项"]),
    ];
    if n.chars().count() > 30 {
        return None;
    }
    WORDS.iter().find(|(num, _, words)| n.starts_with(num) && words.iter().any(|w| n.contains(w))).map(|(_, k, _)| *k)
}

/// Split lines of running text where a section heading stands inside them (dumps that lost their line breaks).
fn split_at_headings(lines: Vec<(String, String)>) -> Vec<(String, String)> {
    let headings: Vec<&str> = layout::SECTIONS.iter().chain(layout::SECTION_VARIANTS.iter()).map(|(_, h)| *h).collect();
    let mut out = Vec::with_capacity(lines.len());
    for (text, origin) in lines {
        let mut cuts: Vec<(usize, usize)> = headings
            .iter()
            .filter_map(|h| text.find(h).map(|at| (at, at + h.len())))
            .filter(|&(a, b)| !(a == 0 && b == text.len()))
            .collect();
        if cuts.is_empty() {
            out.push((text, origin));
            continue;
        }
        cuts.sort();
        let mut last = 0;
        for (a, b) in cuts {
            if a < last {
                continue;
            }
            for piece in [&text[last..a], &text[a..b]] {
                if !piece.trim().is_empty() {
                    out.push((piece.trim().to_string(), origin.clone()));
                }
            }
            last = b;
        }
        if !text[last..].trim().is_empty() {
            out.push((text[last..].trim().to_string(), origin.clone()));
        }
    }
    out
}

/// The first plausible 4-digit year followed by 年.
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// The agency named in a title: the text around the year, before 政府信息公开工作.
fn agency_in(title: &str) -> Option<String> {
    let stem = title.split("政府信息公开").next()?;
    let chars: Vec<char> = stem.chars().collect();
    let year_at = chars.windows(5).position(|w| w[..4].iter().all(char::is_ascii_digit) && w[4] == '年');
    let agency: String = match year_at {
        Some(i) => {
            let mut rest = &chars[i + 5..];
            if rest.first() == Some(&'度') {
                rest = &rest[1..];
            }
            chars[..i].iter().chain(rest.iter()).collect()
        }
        None => stem.to_string(),
    };
    let agency = agency.trim_matches(|c: char| c.is_whitespace() || c == '《' || c == '》').to_string();
    (!agency.is_empty()).then_some(agency)
}

/// Roughly how many days lie between two `YYYY-MM-DD` dates.
pub fn days_apart(a: &str, b: &str) -> Option<i64> {
    let day = |d: &str| -> Option<i64> {
        let p: Vec<i64> = d.split('-').filter_map(|x| x.parse().ok()).collect();
        let [y, m, d] = p[..] else { return None };
        Some(y * 372 + (m - 1) * 31 + d)
    };
    Some((day(a)? - day(b)?).abs())
}

/// The year of the statistics period: `本报告中所列数据统计期限为2023年1月1日至…`, `统计期限自2019年1月1日起`.
fn period_year(text: &str) -> Option<i32> {
    let at = text.find("统计期限")?;
    let rest = &text[at..];
    let rest = rest.get(..rest.len().min(60)).unwrap_or(rest);
    year_in(&normalize::without_whitespace(rest))
}

/// A date line whose 年, 月, 日 were lost in extraction (`2024130`): every valid reading, as `YYYY-MM-DD`.
/// `None` when the line is not such a run of digits.
pub fn garbled_date(text: &str) -> Option<Vec<String>> {
    let t = normalize::without_whitespace(text);
    let t = t.trim_end_matches('日');
    if !(6..=8).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_digit()) || !t.starts_with("20") {
        return None;
    }
    let (y, rest) = t.split_at(4);
    let y: i32 = y.parse().ok()?;
    let mut readings = Vec::new();
    for m_len in 1..=2 {
        if rest.len() <= m_len {
            continue;
        }
        let (m, d) = rest.split_at(m_len);
        if m.starts_with('0') && m_len == 1 || d.starts_with('0') && d.len() == 1 || d.len() > 2 {
            continue;
        }
        let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>()) else { continue };
        let days = match m {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if (1..=12).contains(&m) && (1..=days).contains(&d) {
            readings.push(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    (!readings.is_empty()).then_some(readings)
}

/// A date line `2024年1月30日` as `2024-01-30`.
fn date_line(text: &str) -> Option<String> {
    if text.len() > 60 {
        return None;
    }
    let t: String = normalize::label(text);
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_dates() {
        assert_eq!(garbled_date("2024130").unwrap(), vec!["2024-01-30"]);
        assert_eq!(garbled_date("2024126").unwrap(), vec!["2024-01-26", "2024-12-06"]);
        assert_eq!(garbled_date("2024111").unwrap(), vec!["2024-01-11", "2024-11-01"]);
        assert!(garbled_date("12345").is_none());
        assert_eq!(period_year("本报告中所列数据统计期限为2023年1月1日至12月31日。"), Some(2023));
    }

    #[test]
    fn titles() {
        assert_eq!(year_in("乌鲁木齐市人民政府外事办公室2023年度政府信息公开工作年度报告"), Some(2023));
        assert_eq!(
            agency_in("乌鲁木齐市人民政府外事办公室2023年度政府信息公开工作年度报告").as_deref(),
            Some("乌鲁木齐市人民政府外事办公室")
        );
        assert_eq!(agency_in("2023年上海市政府信息公开工作年度报告").as_deref(), Some("上海市"));
        assert_eq!(date_line("2024年1月30日").as_deref(), Some("2024-01-30"));
        assert_eq!(date_line("二〇二四年"), None);
    }

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
    }

    #[test]
    fn sections() {
        assert_eq!(section_key("五、信息公开工作存在的主要问题及改进情况"), Some("problems"));
        assert_eq!(section_key("一、本年新收政府信息公开申请数量"), None);
        // What stands before the numeral and is dropped by normalising does not hide a heading.
        for heading in [
            "  一、总体情况",
            "\u{3000}“一、总体情况”",
            "\t六、其他需要报告的事项（见表）",
            "三 、收到和处理政府信息公开申请情况",
        ] {
            assert!(section_key(heading).is_some(), "{heading}");
        }
        assert_eq!(section_key("（一）主动公开"), None);
        assert_eq!(section_key("2023年总体情况"), None);
    }
}
