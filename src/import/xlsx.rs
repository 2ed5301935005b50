//! XLSX and XLS → raw grids: XLS with calamine, XLSX with the one-pass reader of `xlsx_xml.rs`.
//!
//! One grid per worksheet, positioned at the sheet's used range so that addresses are the sheet's real A1
//! references. Merged regions (from `<mergeCells>` or the XLS MERGEDCELLS record) are resolved; formulas are
//! read as their cached values, except XLSX sums whose saved result is missing or stale (`formula.rs`). Numbers
//! keep their type, so a number stored as text can be told apart.

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xls};

use super::{ImportError, bound_text, limits};
use crate::normalize::format_number;
use crate::raw::{Addressing, FormulaNote, Grid, InputKind, RawDocument};

/// An XLS workbook, with calamine.
pub(super) fn read_xls(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    // calamine can panic on damaged files (fuzzing found a slice index panic in its CFB reader): such a file is
    // damaged input, not a crash of the run.
    crate::contained::catch(|| read_xls_workbook(name, bytes)).unwrap_or_else(|_| {
        Err(ImportError::Corrupt { path: name.to_string(), detail: "the workbook's structure is damaged".into() })
    })
}

/// An XLSX workbook, with the one-pass reader of `xlsx_xml.rs`.
pub(super) fn read_xlsx(name: &str, archive: super::Archive) -> Result<RawDocument, ImportError> {
    let mut grids = Vec::new();
    for sheet in super::xlsx_xml::read_sheets(name, archive)? {
        let merges: Vec<Dimensions> = sheet.merges.iter().map(|&(start, end)| Dimensions::new(start, end)).collect();
        if let Some(mut grid) = sparse_grid(name, &sheet.name, sheet.cells, &merges)? {
            if let Addressing::Sheet { row0, col0, .. } = grid.addressing {
                // Notes in the grid's own positions, as cell origins are.
                grid.formulas = sheet
                    .formulas
                    .into_iter()
                    .filter_map(|n| {
                        Some(FormulaNote { row: n.row.checked_sub(row0)?, col: n.col.checked_sub(col0)?, ..n })
                    })
                    .collect();
                grid.formulas.sort_by_key(|n| (n.row, n.col));
            }
            grids.push(grid);
        }
    }
    Ok(RawDocument { kind: InputKind::Xlsx, paragraphs: Vec::new(), grids, property_title: None, published: None })
}

fn read_xls_workbook(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    let corrupt = |detail: String| ImportError::Corrupt { path: name.to_string(), detail };
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ImportError::Encrypted { path: name.to_string() },
        other => corrupt(format!("not a readable .xls workbook ({other})")),
    })?;
    let mut grids = Vec::new();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).map_err(|e| corrupt(format!("sheet {sheet}: {e}")))?;
        let merges = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
        if let Some(grid) = to_grid(name, &sheet, &range, &merges)? {
            grids.push(grid);
        }
    }
    Ok(RawDocument { kind: InputKind::Xls, paragraphs: Vec::new(), grids, property_title: None, published: None })
}

/// A grid over the extent of the cells a sheet holds.
fn sparse_grid(
    name: &str,
    sheet: &str,
    cells: Vec<(u32, u32, String, Option<f64>)>,
    merges: &[Dimensions],
) -> Result<Option<Grid>, ImportError> {
    let (Some(r0), Some(c0)) = (cells.iter().map(|c| c.0).min(), cells.iter().map(|c| c.1).min()) else {
        return Ok(None);
    };
    let r1 = cells.iter().map(|c| c.0).max().unwrap_or(r0);
    let c1 = cells.iter().map(|c| c.1).max().unwrap_or(c0);
    let (rows, cols) = (r1 - r0 + 1, c1 - c0 + 1);
    check_extent(name, sheet, rows, cols)?;
    let mut grid = Grid::new(Addressing::Sheet { sheet: sheet.to_string(), row0: r0, col0: c0 }, rows, cols);
    for (r, c, text, typed) in cells {
        if let Some(cell) = grid.get_mut(r - r0, c - c0) {
            cell.text = text;
            cell.typed_number = typed;
        }
    }
    apply_merges(&mut grid, merges, (r0, c0), (r1, c1));
    Ok(Some(grid))
}

fn check_extent(name: &str, sheet: &str, rows: u32, cols: u32) -> Result<(), ImportError> {
    if u64::from(rows) * u64::from(cols) > limits::MAX_SHEET_CELLS {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!(
                "sheet {sheet} spans {rows} rows × {cols} columns, more than {} cells",
                limits::MAX_SHEET_CELLS
            ),
        });
    }
    Ok(())
}

/// Merges are absolute; the grid starts at the used range. A merge whose anchor lies outside the used range holds
/// no text, so nothing is lost by skipping it.
fn apply_merges(grid: &mut Grid, merges: &[Dimensions], (r0, c0): (u32, u32), (r1, c1): (u32, u32)) {
    for m in merges {
        let (mr0, mc0) = m.start;
        let (mr1, mc1) = m.end;
        if mr0 < r0 || mc0 < c0 || mr0 > r1 || mc0 > c1 {
            continue;
        }
        grid.merge(mr0 - r0, mc0 - c0, mr1.saturating_sub(r0), mc1.saturating_sub(c0));
    }
}

/// The text and, for numbers, the value of a calamine cell; `None` for an empty cell.
fn data_cell(data: &Data) -> Option<(String, Option<f64>)> {
    Some(match data {
        Data::Empty => return None,
        Data::Int(i) => (i.to_string(), Some(*i as f64)),
        Data::Float(f) => (format_number(*f), Some(*f)),
        Data::String(s) => (bound_text(s.clone()), None),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), None),
        // As in XLSX: a date of the years 2000–2099 reads as a date, a date-formatted small number as its number.
        Data::DateTime(d) => match super::xlsx_xml::date_text(d) {
            Some(date) => (date, None),
            None => (format_number(d.as_f64()), Some(d.as_f64())),
        },
        other => (bound_text(other.to_string()), None),
    })
}

/// An XLS sheet (calamine has materialised it already) as a grid, through the same builder as XLSX.
fn to_grid(name: &str, sheet: &str, range: &Range<Data>, merges: &[Dimensions]) -> Result<Option<Grid>, ImportError> {
    let Some((r0, c0)) = range.start() else { return Ok(None) };
    let cells = range
        .used_cells()
        .filter_map(|(r, c, data)| data_cell(data).map(|(text, typed)| (r0 + r as u32, c0 + c as u32, text, typed)))
        .collect();
    sparse_grid(name, sheet, cells, merges)
}
