//! Correct a workbook in place: the clerk's own file comes back with only the changed cells rewritten. Every zip entry
//! that needs no change is copied raw (byte-identical: other sheets, widths, fonts, merges, formulas, defined names,
//! macros); the sheets with changes are streamed through quick-xml and only their changed cells rewritten, each keeping
//! its style with a fill that marks it (a style added to `styles.xml`) and a comment saying what it was and which rule
//! changed it (a comments part and its VML drawing, as Excel and WPS show notes). A cell that holds a formula is left
//! to its formula: the change is handed back, for the caller to report.

mod notes;
mod sheet;
mod styles;

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};

use super::{Change, ExportError};
use crate::model::Report;
use crate::raw::Addressing;

/// The patched workbook, and the changes left to the formulas of their cells.
pub struct Patched {
    pub bytes: Vec<u8>,
    pub left_to_formulas: Vec<Change>,
}

/// One cell to rewrite: its new value and what the comment says.
#[derive(Debug, Clone)]
struct Target {
    value: String,
    note: String,
    change: Change,
}

/// Patch the workbook `original` (the bytes `report` was read from) so that the cells in `changes` show their new
/// values, marked.
///
/// # Errors
/// [`ExportError::Xlsx`] when the original is not a readable workbook.
pub fn patch(original: &[u8], report: &Report, changes: &[Change]) -> Result<Patched, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Xlsx(e.to_string());
    // Sheet name → (row, col) → target; rows and columns from 0.
    let mut by_sheet: BTreeMap<String, BTreeMap<(u32, u32), Target>> = BTreeMap::new();
    for ch in changes {
        let Some(cell) = report.cell(&ch.key) else { continue };
        let Some(grid) = report.grids.get(cell.origin.grid) else { continue };
        if let Addressing::Sheet { sheet, row0, col0 } = &grid.addressing {
            let at = (row0 + cell.origin.row, col0 + cell.origin.col);
            let from = if ch.from.trim().is_empty() { "（空白）" } else { ch.from.as_str() };
            let note = format!("gongkai：原值「{from}」，按 {} 改为「{}」", ch.rule, ch.to);
            by_sheet
                .entry(sheet.clone())
                .or_default()
                .insert(at, Target { value: ch.to.clone(), note, change: ch.clone() });
        }
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).map_err(|e| fail(&e))?;
    let mut names: Vec<String> = archive.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut read = |name: &str| -> Result<Option<Vec<u8>>, ExportError> {
        let Ok(mut entry) = archive.by_name(name) else { return Ok(None) };
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| fail(&e))?;
        Ok(Some(bytes))
    };
    let workbook = read("xl/workbook.xml")?.ok_or_else(|| fail(&"xl/workbook.xml is missing"))?;
    let workbook_rels = read("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let parts = crate::import::workbook_parts(&workbook, &workbook_rels).map_err(|e| fail(&e))?;
    let styles_part = parts.styles.clone().unwrap_or_else(|| "xl/styles.xml".into());
    let styles_xml = read(&styles_part)?.ok_or_else(|| fail(&format!("{styles_part} is missing")))?;
    let mut styles = styles::Styles::read(&styles_xml).map_err(|e| fail(&e))?;
    let content_types = read("[Content_Types].xml")?.ok_or_else(|| fail(&"[Content_Types].xml is missing"))?;

    // The new content of every part that changes (or is added), by part name.
    let mut rewritten: HashMap<String, Vec<u8>> = HashMap::new();
    let mut left = Vec::new();
    let mut added_types = notes::ContentTypes::default();
    for (sheet_name, targets) in &by_sheet {
        let Some(part) = parts.sheets.iter().find(|(n, _)| n == sheet_name).map(|(_, p)| p.clone()) else { continue };
        let xml = read(&part)?.ok_or_else(|| fail(&format!("{part} is missing")))?;
        let patched = sheet::patch(&xml, targets, &mut styles).map_err(|e| fail(&e))?;
        left.extend(patched.left_to_formulas.iter().map(|at| targets[at].change.clone()));
        let written: Vec<((u32, u32), &Target)> =
            targets.iter().filter(|(at, _)| !patched.left_to_formulas.contains(at)).map(|(a, t)| (*a, t)).collect();
        let mut sheet_xml = patched.xml;
        if !written.is_empty() {
            let mut reader = |name: &str| read(name);
            let comments = notes::add(&part, &mut sheet_xml, &written, &mut names, &mut reader, &mut added_types)
                .map_err(|e| fail(&e))?;
            rewritten.extend(comments);
        }
        rewritten.insert(part, sheet_xml);
    }
    if !styles.is_unchanged() {
        rewritten.insert(styles_part, styles.write(&styles_xml).map_err(|e| fail(&e))?);
    }
    if !added_types.is_empty() {
        rewritten.insert("[Content_Types].xml".into(), added_types.apply(&content_types).map_err(|e| fail(&e))?);
    }

    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i).map_err(|e| fail(&e))?.name().map_err(|e| fail(&e))?.into_owned();
        match rewritten.remove(&name) {
            Some(bytes) => {
                out.start_file(name, options).map_err(|e| fail(&e))?;
                out.write_all(&bytes).map_err(|e| fail(&e))?;
            }
            None => {
                let entry = archive.by_index_raw(i).map_err(|e| fail(&e))?;
                out.raw_copy_file(entry).map_err(|e| fail(&e))?;
            }
        }
    }
    // The parts added (comments, drawings, a sheet's first relationships), in a stable order.
    let mut added: Vec<(String, Vec<u8>)> = rewritten.into_iter().collect();
    added.sort();
    for (name, bytes) in added {
        out.start_file(name, options).map_err(|e| fail(&e))?;
        out.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    let bytes = out.finish().map(Cursor::into_inner).map_err(|e| fail(&e))?;
    Ok(Patched { bytes, left_to_formulas: left })
}

/// `A1`-style reference of a cell (row and column from 0).
fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
}

/// Row and column (from 0) of an `A1`-style reference.
fn parse_ref(r: &[u8]) -> Option<(u32, u32)> {
    let split = r.iter().position(u8::is_ascii_digit)?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for &b in letters {
        let b = b.to_ascii_uppercase();
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + u32::from(b - b'A' + 1);
    }
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_go_both_ways() {
        for (r, c, a1) in
            [(0, 0, "A1"), (24, 10, "K25"), (0, 25, "Z1"), (9, 26, "AA10"), (99, 701, "ZZ100"), (0, 702, "AAA1")]
        {
            assert_eq!(cell_ref(r, c), a1);
            assert_eq!(parse_ref(a1.as_bytes()), Some((r, c)));
        }
        assert_eq!(parse_ref(b"A0"), None);
        assert_eq!(parse_ref(b"12"), None);
    }
}
