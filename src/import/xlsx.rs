//! XLSX and XLS → raw grids, with calamine.
//!
//! One grid per worksheet, positioned at the sheet's used range so that addresses are the sheet's real A1
//! references. Merged regions (from `<mergeCells>` or the XLS MERGEDCELLS record) are resolved; formulas are
//! read as their cached values. Numbers keep their type, so a number stored as text can be told apart.

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx};

use super::{ImportError, bound_text, limits};
use crate::normalize::format_number;
use crate::raw::{Addressing, Grid, InputKind, RawDocument};

pub(super) fn read(name: &str, bytes: &[u8], kind: InputKind) -> Result<RawDocument, ImportError> {
    let corrupt = |detail: String| ImportError::Corrupt { path: name.to_string(), detail };
    let mut grids = Vec::new();
    match kind {
        InputKind::Xls => {
            let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => ImportError::Encrypted { path: name.to_string() },
                other => corrupt(format!("not a readable .xls workbook ({other})")),
            })?;
            for sheet in book.sheet_names() {
                let range = book.worksheet_range(&sheet).map_err(|e| corrupt(format!("sheet {sheet}: {e}")))?;
                let merges = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
                if let Some(grid) = to_grid(name, &sheet, &range, &merges)? {
                    grids.push(grid);
                }
            }
        }
        _ => {
            // Check the container limits before calamine inflates anything.
            super::open_zip(name, bytes)?;
            let mut book: Xlsx<_> =
                Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(format!("not a readable .xlsx workbook ({e})")))?;
            for sheet in book.sheet_names() {
                let range = book.worksheet_range(&sheet).map_err(|e| corrupt(format!("sheet {sheet}: {e}")))?;
                let merges = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
                if let Some(grid) = to_grid(name, &sheet, &range, &merges)? {
                    grids.push(grid);
                }
            }
        }
    }
    Ok(RawDocument { kind, paragraphs: Vec::new(), grids, property_title: None, published: None })
}

fn to_grid(name: &str, sheet: &str, range: &Range<Data>, merges: &[Dimensions]) -> Result<Option<Grid>, ImportError> {
    let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
        return Ok(None);
    };
    let rows = r1 - r0 + 1;
    let cols = c1 - c0 + 1;
    if u64::from(rows) * u64::from(cols) > limits::MAX_SHEET_CELLS {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!(
                "sheet {sheet} spans {rows} rows × {cols} columns, more than {} cells",
                limits::MAX_SHEET_CELLS
            ),
        });
    }
    let mut grid = Grid::new(Addressing::Sheet { sheet: sheet.to_string(), row0: r0, col0: c0 }, rows, cols);
    for (r, c, data) in range.used_cells() {
        let Some(cell) = grid.get_mut(r as u32, c as u32) else {
            continue;
        };
        match data {
            Data::Int(i) => {
                cell.text = i.to_string();
                cell.typed_number = Some(*i as f64);
            }
            Data::Float(f) => {
                cell.text = format_number(*f);
                cell.typed_number = Some(*f);
            }
            Data::String(s) => cell.text = bound_text(s.clone()),
            Data::Bool(b) => cell.text = if *b { "TRUE".into() } else { "FALSE".into() },
            Data::Empty => {}
            other => cell.text = bound_text(other.to_string()),
        }
    }
    for m in merges {
        let (mr0, mc0) = m.start;
        let (mr1, mc1) = m.end;
        // Merges are absolute; the grid starts at the used range. A merge whose anchor lies outside the used range
        // holds no text, so nothing is lost by skipping it.
        if mr0 < r0 || mc0 < c0 || mr0 > r1 || mc0 > c1 {
            continue;
        }
        grid.merge(mr0 - r0, mc0 - c0, mr1.saturating_sub(r0), mc1.saturating_sub(c0));
    }
    Ok(Some(grid))
}
