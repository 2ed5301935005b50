//! XLSX → raw grids, with zip + quick-xml, in one pass over each sheet.
//!
//! One grid per worksheet, positioned at the sheet's used range so that addresses are the sheet's real A1
//! references; merged regions (`<mergeCells>`) are resolved. A report needs only the sheet names, the shared
//! strings and, per sheet, its cells and merges: this reader does that in one pass (calamine, which reads `.xls`
//! here, would load the styles and parse each sheet twice), and `tests/xlsx_reader.rs` holds it to calamine's
//! values on every fixture. Sheets and shared strings are read with the tokeniser for plain XML (`plain_xml`), and
//! with quick-xml's reader where that gives up.
//!
//! Cell values: shared and inline strings (rich-text runs joined, phonetic guides `<rPh>` dropped, `_xHHHH_`
//! escapes decoded), numbers as typed numbers, booleans as `TRUE`/`FALSE`, errors and ISO dates (`t="d"`) as their
//! text. Number formats are read only for numbers that could be dates (serials of 2000–2099): those a style shows
//! as dates read as `2024年1月27日`; a date-formatted count keeps its number. Formulas read as their saved
//! result `<v>`, except sums whose saved result is missing or differs from what the sheet's cells give: those are
//! worked out (`formula`, `recalculate`) and noted on the grid.

mod formula;
pub(crate) mod plain_xml;
mod recalculate;
mod sheet;
mod strings;
mod workbook;

use crate::import::Words;
use calamine::{ExcelDateTime, ExcelDateTimeType};

use super::{ImportError, limits};
use crate::raw::{Addressing, FormulaNote, Grid, InputKind, RawDocument};
use workbook::Relationship;
pub(crate) use workbook::resolve_part;

/// A merged range, its first and last cell `(row, col)`, 0-based and absolute.
pub(super) type Merge = ((u32, u32), (u32, u32));

/// An XLSX workbook, with the one-pass reader of `xlsx_xml.rs`.
pub(crate) fn read_xlsx(name: &str, archive: super::Archive) -> Result<RawDocument, ImportError> {
    let mut grids = Vec::new();
    for sheet in read_sheets(name, archive)? {
        if let Some(mut grid) = sparse_grid(name, &sheet.name, sheet.cells, &sheet.merges)? {
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

/// One sheet's cells `(row, col, text, typed number)`, merged ranges `((r0, c0), (r1, c1))` and the formulas whose
/// saved results were missing or out of date, 0-based.
struct SheetCells {
    pub name: String,
    pub cells: Vec<(u32, u32, String, Option<f64>)>,
    pub merges: Vec<((u32, u32), (u32, u32))>,
    pub formulas: Vec<FormulaNote>,
}

/// The parts that hold a workbook's cells and styles: each worksheet's name and part, in workbook order, and the
/// styles part (what a writer that patches the workbook rewrites).
pub(crate) struct WorkbookParts {
    pub sheets: Vec<(String, String)>,
    pub styles: Option<String>,
}

/// [`WorkbookParts`] from `xl/workbook.xml` and its relationships.
pub(crate) fn workbook_parts(workbook: &[u8], rels: &[u8]) -> Result<WorkbookParts, quick_xml::Error> {
    let rels = workbook::relationships(rels)?;
    let (sheets, _) = workbook::sheet_list(workbook)?;
    let sheets = sheets
        .into_iter()
        .filter_map(|(name, id)| {
            let rel = rels.iter().find(|r| r.id == id && r.kind.ends_with("/worksheet"))?;
            Some((name, rel.target.clone()))
        })
        .collect();
    let styles = rels.iter().find(|r| r.kind.ends_with("/styles")).map(|r| r.target.clone());
    Ok(WorkbookParts { sheets, styles })
}

fn read_sheets(name: &str, mut archive: super::Archive) -> Result<Vec<SheetCells>, ImportError> {
    let corrupt = |detail: String| ImportError::Corrupt { path: name.to_string(), detail };
    let Some(workbook) = super::read_part_bytes(name, &mut archive, "xl/workbook.xml")? else {
        return Err(ImportError::NotADocument {
            path: name.to_string(),
            hint: super::Words::fixed("xl/workbook.xml is missing", "缺少 xl/workbook.xml"),
        });
    };
    let rels = super::read_part_bytes(name, &mut archive, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let rels = workbook::relationships(&rels).map_err(|e| corrupt(format!("xl/_rels/workbook.xml.rels: {e}")))?;
    let (sheets, date1904) = workbook::sheet_list(&workbook).map_err(|e| corrupt(format!("xl/workbook.xml: {e}")))?;

    let shared =
        related_part(name, &mut archive, &rels, "/sharedStrings", "xl/sharedStrings.xml", strings::shared_strings)?
            .unwrap_or_default();
    if shared.len() > limits::MAX_ITEMS {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("more than {} shared strings", limits::MAX_ITEMS),
                format!("共享字符串超过 {} 个", limits::MAX_ITEMS),
            ),
        });
    }

    let mut out = Vec::new();
    for (sheet_name, rel_id) in sheets {
        let Some(rel) = rels.iter().find(|r| r.id == rel_id) else { continue };
        if !rel.kind.ends_with("/worksheet") {
            // Chart sheets and dialog sheets hold no cells.
            continue;
        }
        let Some(xml) = super::read_part_bytes(name, &mut archive, &rel.target)? else {
            return Err(corrupt(format!("sheet {sheet_name}: {} is missing", rel.target)));
        };
        let (cells, merges, formulas, dates) = sheet::sheet(name, &sheet_name, &xml, &shared)?;
        out.push((SheetCells { name: sheet_name, cells, merges, formulas }, dates));
    }
    // Numbers that may be dates (a 落款 typed as 2024年1月27日 is stored as a date serial): only then are the
    // styles read, to see which of them the workbook shows as dates.
    if out.iter().any(|(_, dates)| !dates.is_empty()) {
        let styles = related_part(name, &mut archive, &rels, "/styles", "xl/styles.xml", workbook::date_styles)?
            .unwrap_or_default();
        for (sheet, dates) in &mut out {
            for &(index, style) in dates.iter() {
                if styles.get(style as usize).copied().unwrap_or(false)
                    && let Some(cell) = sheet.cells.get_mut(index)
                    && let Some(text) = cell.3.and_then(|serial| {
                        date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, date1904))
                    })
                {
                    cell.2 = text;
                    cell.3 = None;
                }
            }
        }
    }
    Ok(out.into_iter().map(|(sheet, _)| sheet).collect())
}

/// A workbook part found by its relationship type (`/sharedStrings`, `/styles`), else under its usual name, and
/// parsed; `None` when the workbook has no such part.
fn related_part<T>(
    name: &str,
    archive: &mut super::Archive,
    rels: &[Relationship],
    kind: &str,
    usual: &str,
    parse: impl FnOnce(&[u8]) -> Result<T, quick_xml::Error>,
) -> Result<Option<T>, ImportError> {
    let part = rels.iter().find(|r| r.kind.ends_with(kind)).map_or(usual, |r| r.target.as_str());
    let Some(xml) = super::read_part_bytes(name, archive, part)? else { return Ok(None) };
    parse(&xml).map(Some).map_err(|e| ImportError::Corrupt { path: name.to_string(), detail: format!("{part}: {e}") })
}

/// Date serials of the years 2000–2099: numbers in this range that a style shows as a date are read as dates. A
/// count is never this large; a date-formatted small count keeps its number.
const DATE_SERIALS: std::ops::Range<f64> = 36_526.0..73_051.0;

/// A date cell as `2024年1月27日`, when it falls in [`DATE_SERIALS`].
pub(crate) fn date_text(date: &ExcelDateTime) -> Option<String> {
    (date.is_datetime() && DATE_SERIALS.contains(&date.as_f64())).then(|| {
        let (year, month, day, ..) = date.to_ymd_hms_milli();
        format!("{year}年{month}月{day}日")
    })
}
/// A grid over the extent of the cells a sheet holds.
pub(super) fn sparse_grid(
    name: &str,
    sheet: &str,
    cells: Vec<(u32, u32, String, Option<f64>)>,
    merges: &[Merge],
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
            limit: Words::owned(
                format!(
                    "sheet {sheet} spans {rows} rows × {cols} columns, more than {} cells",
                    limits::MAX_SHEET_CELLS
                ),
                format!("工作表 {sheet} 有 {rows} 行 × {cols} 列，超过 {} 个单元格", limits::MAX_SHEET_CELLS),
            ),
        });
    }
    Ok(())
}

/// Merges are absolute; the grid starts at the used range. A merge whose anchor lies outside the used range holds
/// no text, so nothing is lost by skipping it.
fn apply_merges(grid: &mut Grid, merges: &[Merge], (r0, c0): (u32, u32), (r1, c1): (u32, u32)) {
    for &((mr0, mc0), (mr1, mc1)) in merges {
        if mr0 < r0 || mc0 < c0 || mr0 > r1 || mc0 > c1 {
            continue;
        }
        grid.merge(mr0 - r0, mc0 - c0, mr1.saturating_sub(r0), mc1.saturating_sub(c0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_and_serials() {
        for date in
            ["yyyy\"年\"m\"月\"d\"日\"", "yyyy\\年m\\月d\\日", "YYYY/MM/DD", "[$-804]yyyy年m月d日", "m/d/yy h:mm"]
        {
            assert!(workbook::is_date_format(date), "{date}");
        }
        for number in ["General", "0", "#,##0.00", "0.0\"万元\"", "[Red]0", "\"d\"0"] {
            assert!(!workbook::is_date_format(number), "{number}");
        }
        let date = |serial, date1904| date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, date1904));
        assert_eq!(date(45318.0, false).as_deref(), Some("2024年1月27日"));
        assert_eq!(date(45366.75, false).as_deref(), Some("2024年3月15日"), "a time of day is dropped");
        assert_eq!(date(43856.0, true).as_deref(), Some("2024年1月27日"), "the 1904 date system");
        assert_eq!(date(36526.0, false).as_deref(), Some("2000年1月1日"));
        assert_eq!(date(5.0, false), None, "a date-formatted count keeps its number");
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
            <numFmt numFmtId="165" formatCode="0.00"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;
        assert_eq!(workbook::date_styles(styles.as_bytes()).unwrap(), vec![false, true, false, true]);
    }
}
