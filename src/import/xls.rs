//! XLS (BIFF8) → raw grids, with calamine: one grid per worksheet at its used range, merges from the
//! MERGEDCELLS record, through the same grid builder as XLSX. Also WPS `.et` files that are BIFF inside.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xls};

use super::xlsx::{Merge, date_text, sparse_grid};
use super::{ImportError, bound_text};
use crate::normalize::format_number;
use crate::raw::{Grid, InputKind, RawDocument};

/// An XLS workbook, with calamine.
pub(crate) fn read_xls(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    // calamine can panic on damaged files (fuzzing found a slice index panic in its CFB reader): such a file is
    // damaged input, not a crash of the run.
    crate::contained::catch(|| read_xls_workbook(name, bytes)).unwrap_or_else(|_| {
        Err(ImportError::Corrupt { path: name.to_string(), detail: "the workbook's structure is damaged".into() })
    })
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
        let merges: Vec<((u32, u32), (u32, u32))> =
            book.merge_cells_by_sheet_name(&sheet).unwrap_or_default().iter().map(|m| (m.start, m.end)).collect();
        if let Some(grid) = to_grid(name, &sheet, &range, &merges)? {
            grids.push(grid);
        }
    }
    Ok(RawDocument { kind: InputKind::Xls, paragraphs: Vec::new(), grids, property_title: None, published: None })
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
        Data::DateTime(d) => match date_text(d) {
            Some(date) => (date, None),
            None => (format_number(d.as_f64()), Some(d.as_f64())),
        },
        other => (bound_text(other.to_string()), None),
    })
}

/// An XLS sheet (calamine has materialised it already) as a grid, through the same builder as XLSX.
fn to_grid(name: &str, sheet: &str, range: &Range<Data>, merges: &[Merge]) -> Result<Option<Grid>, ImportError> {
    let Some((r0, c0)) = range.start() else { return Ok(None) };
    let cells = range
        .used_cells()
        .filter_map(|(r, c, data)| data_cell(data).map(|(text, typed)| (r0 + r as u32, c0 + c as u32, text, typed)))
        .collect();
    sparse_grid(name, sheet, cells, merges)
}
