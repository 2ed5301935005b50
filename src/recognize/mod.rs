//! Recognise a [`RawDocument`] as a report: find tables 2, 3 and 4 by their labels wherever they are, key every
//! value cell, detect the format version, map the trial layout onto the 2021 model, and read the title, year,
//! sections and date line.
//!
//! This is the only place where labels are matched and cell texts become numbers, for every input format.
//! It never fails: what it cannot recognise becomes a [`Note`] or a missing key, which the structure rules
//! report.

mod grid;
mod stream;
mod table2;
mod table3;
mod table4;
mod text;
mod version;

pub use text::section_key;

use std::collections::BTreeMap;

use crate::layout::{FormatVersion, TableId};
use crate::model::{Cells, Note, Report, TableLocation};
use crate::raw::{Addressing, Grid, RawDocument};
use grid::Builder;

/// The three tables of a report.
const TABLES: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

/// What the recogniser found in a document's grids.
pub(super) struct GridFindings {
    pub cells: Cells,
    pub notes: Vec<Note>,
    pub tables: BTreeMap<TableId, TableLocation>,
    /// Rows of each grid that belong to a recognised table: `(grid, first, last)`.
    pub regions: Vec<(usize, u32, u32)>,
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
    let GridFindings { mut cells, notes, tables, regions } = found;
    let format = version::detect(&cells);
    if format == FormatVersion::Trial2019 {
        version::map_trial(&mut cells);
    }
    let mut lines = text_lines(&raw, &regions);
    if matches!(raw.kind, crate::raw::InputKind::Text | crate::raw::InputKind::Html) {
        lines = text::split_at_headings(lines);
    }
    let (mut meta, sections) = text::read_text(&lines, raw.property_title.as_deref(), raw.published.as_deref());
    let format =
        if format == FormatVersion::Unknown && text::is_legacy(&meta, &lines) { FormatVersion::Legacy } else { format };
    meta.published = raw.published.clone().or_else(|| meta.date_line.clone());
    if text_grid.is_some_and(|gi| !tables.values().any(|t| t.grid == gi)) {
        raw.grids.pop();
    }
    Report { path: path.to_string(), input: raw.kind, format, meta, sections, cells, tables, notes, grids: raw.grids }
}

/// True when row `r` of grid `gi` belongs to a recognised table.
pub(super) fn in_region(regions: &[(usize, u32, u32)], gi: usize, r: u32) -> bool {
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

/// Add a grid of the running text (one row per paragraph or line) when the text may hold tables, so that values
/// read from it have an origin. Returns its index.
fn read_running_text(raw: &mut RawDocument) -> Option<usize> {
    const SIGNS: &[&str] = &["勾稽关系", "第二十条", "本年新收政府信息公开申请数量", "行政规范性文件", "行政复议"];
    let holds_tables = raw.paragraphs.iter().any(|p| SIGNS.iter().any(|s| p.text.contains(s)));
    if !holds_tables {
        return None;
    }
    let unit = if matches!(raw.kind, crate::raw::InputKind::Text | crate::raw::InputKind::Pdf) { "行" } else { "段" };
    // Each origin's numbers: `第240行` (a line), `第3页第12行` (a PDF's page and line on it).
    let numbers_in = |origin: &str| -> Vec<u32> {
        origin.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect()
    };
    let (mut numbers, mut pages) = (Vec::new(), Vec::new());
    for (i, p) in raw.paragraphs.iter().enumerate() {
        match numbers_in(&p.origin)[..] {
            [page, line] if raw.kind == crate::raw::InputKind::Pdf => {
                pages.push(page);
                numbers.push(line);
            }
            [line, ..] => numbers.push(line),
            [] => numbers.push(i as u32 + 1),
        }
    }
    let addressing = Addressing::Lines { numbers, unit: unit.to_string(), pages };
    let mut grid = Grid::new(addressing, raw.paragraphs.len() as u32, 1);
    for (i, p) in raw.paragraphs.iter().enumerate() {
        if let Some(cell) = grid.get_mut(i as u32, 0) {
            cell.text = p.text.clone();
        }
    }
    raw.grids.push(grid);
    Some(raw.grids.len() - 1)
}
