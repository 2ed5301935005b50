//! Correct a DOCX in place: every zip entry but `word/document.xml` is copied raw (byte-identical), and in the
//! document only the table cells that a fix changed are rewritten — new text in the cell's first paragraph and
//! run formatting, and a shading that marks the change. Everything else streams through quick-xml unchanged.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use super::{Change, ExportError};
use crate::model::Report;
use crate::raw::Addressing;

const FILL: &str = "FFC7CE";
/// tcPr children that come after `w:shd` in the schema's order.
const AFTER_SHD: &[&str] = &[
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];

/// Patch the DOCX `original` (the bytes `report` was read from) so that the cells in `changes` show their new
/// values, marked.
///
/// # Errors
/// [`ExportError::Docx`] when the original is not a readable DOCX.
pub fn patch(original: &[u8], report: &Report, changes: &[Change]) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Docx(e.to_string());
    let mut targets: HashMap<(usize, u32, u32), String> = HashMap::new();
    for ch in changes {
        let Some(cell) = report.cell(&ch.key) else { continue };
        let Some(grid) = report.grids.get(cell.origin.grid) else { continue };
        if let Addressing::DocTable { index } = grid.addressing {
            targets.insert((index, cell.origin.row, cell.origin.col), ch.to.clone());
        }
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).map_err(|e| fail(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let is_document = archive.name_for_index(i).is_some_and(|n| n.as_ref().is_ok_and(|n| n == "word/document.xml"));
        if !is_document {
            let entry = archive.by_index_raw(i).map_err(|e| fail(&e))?;
            out.raw_copy_file(entry).map_err(|e| fail(&e))?;
            continue;
        }
        let mut entry = archive.by_index(i).map_err(|e| fail(&e))?;
        let mut xml = String::new();
        entry.read_to_string(&mut xml).map_err(|e| fail(&e))?;
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        drop(entry);
        let patched = patch_document(&xml, &targets).map_err(|e| fail(&e))?;
        out.start_file("word/document.xml", options).map_err(|e| fail(&e))?;
        std::io::Write::write_all(&mut out, &patched).map_err(|e| fail(&e))?;
    }
    out.finish().map(Cursor::into_inner).map_err(|e| fail(&e))
}

fn attr_u32(e: &BytesStart, name: &str) -> Option<u32> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().and_then(|v| v.parse().ok()))
}

fn patch_document(xml: &str, targets: &HashMap<(usize, u32, u32), String>) -> Result<Vec<u8>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 1024));
    let mut tbl_depth = 0usize;
    let mut table = 0usize;
    let mut row: i64 = -1;
    let mut col = 0u32;
    let mut span = 1u32;
    let mut tc_depth = 0usize;
    loop {
        let event = reader.read_event()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => {
                    tbl_depth += 1;
                    if tbl_depth == 1 {
                        table += 1;
                        row = -1;
                    }
                }
                "tr" if tbl_depth == 1 => {
                    row += 1;
                    col = 0;
                }
                "tc" if tbl_depth == 1 => {
                    span = 1;
                    tc_depth = 1;
                    if let Some(text) = targets.get(&(table, row.max(0) as u32, col)) {
                        let cell = collect_cell(&mut reader, event.clone())?;
                        span = cell_span(&cell);
                        write_cell(&mut writer, &cell, text)?;
                        col += span;
                        tc_depth = 0;
                        continue;
                    }
                }
                _ if tc_depth > 0 => tc_depth += 1,
                _ => {}
            },
            Event::Empty(e) if tbl_depth == 1 => match e.local_name().as_ref() {
                "gridBefore" => col += attr_u32(e, "w:val").unwrap_or(0),
                "gridSpan" if tc_depth == 2 || tc_depth == 1 => span = attr_u32(e, "w:val").unwrap_or(1).max(1),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "tbl" => tbl_depth = tbl_depth.saturating_sub(1),
                "tc" if tbl_depth == 1 && tc_depth == 1 => {
                    col += span;
                    tc_depth = 0;
                }
                _ if tc_depth > 1 => tc_depth -= 1,
                _ => {}
            },
            _ => {}
        }
        writer.write_event(event)?;
    }
    Ok(writer.into_inner())
}

/// The events of one `w:tc`, from its start to its end.
fn collect_cell<'a>(reader: &mut Reader<&'a [u8]>, start: Event<'a>) -> Result<Vec<Event<'a>>, quick_xml::Error> {
    let mut events = vec![start];
    let mut depth = 1usize;
    while depth > 0 {
        let ev = reader.read_event()?;
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
        events.push(ev);
    }
    Ok(events)
}

fn cell_span(cell: &[Event]) -> u32 {
    cell.iter()
        .find_map(|e| match e {
            Event::Empty(s) | Event::Start(s) if s.local_name().as_ref() == "gridSpan" => attr_u32(s, "w:val"),
            _ => None,
        })
        .unwrap_or(1)
        .max(1)
}

/// The subtree starting at `events[i]` (an element start or empty element), as a slice.
fn subtree<'e, 'a>(events: &'e [Event<'a>], i: usize) -> &'e [Event<'a>] {
    match events.get(i) {
        Some(Event::Empty(_)) => &events[i..=i],
        Some(Event::Start(_)) => {
            let mut depth = 0usize;
            for (j, e) in events.iter().enumerate().skip(i) {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => {
                        depth -= 1;
                        if depth == 0 {
                            return &events[i..=j];
                        }
                    }
                    _ => {}
                }
            }
            &events[i..]
        }
        _ => &[],
    }
}

fn find(events: &[Event], name: &str, from: usize) -> Option<usize> {
    events.iter().enumerate().skip(from).find_map(|(i, e)| match e {
        Event::Start(s) | Event::Empty(s) if s.local_name().as_ref() == name => Some(i),
        _ => None,
    })
}

fn shd() -> Event<'static> {
    let mut e = BytesStart::new("w:shd");
    e.push_attribute(("w:val", "clear"));
    e.push_attribute(("w:color", "auto"));
    e.push_attribute(("w:fill", FILL));
    Event::Empty(e)
}

fn write_cell(writer: &mut Writer<Vec<u8>>, cell: &[Event], text: &str) -> Result<(), quick_xml::Error> {
    let Some(first) = cell.first() else { return Ok(()) };
    writer.write_event(first.clone())?;
    // Cell properties, with our shading in schema order and any old shading dropped.
    match find(cell, "tcPr", 1) {
        Some(i) => {
            let props = subtree(cell, i);
            if let Some(Event::Empty(_)) = props.first() {
                writer.write_event(Event::Start(BytesStart::new("w:tcPr")))?;
                writer.write_event(shd())?;
                writer.write_event(Event::End(quick_xml::events::BytesEnd::new("w:tcPr")))?;
            } else {
                let mut placed = false;
                let mut k = 1;
                writer.write_event(props[0].clone())?;
                while k + 1 < props.len() {
                    let child = subtree(props, k);
                    let name = match &props[k] {
                        Event::Start(s) | Event::Empty(s) => s.local_name().as_ref().to_string(),
                        _ => String::new(),
                    };
                    let step = child.len().max(1);
                    if name == "shd" {
                        k += step;
                        continue;
                    }
                    if !placed && AFTER_SHD.contains(&name.as_str()) {
                        writer.write_event(shd())?;
                        placed = true;
                    }
                    for e in &props[k..k + step] {
                        writer.write_event(e.clone())?;
                    }
                    k += step;
                }
                if !placed {
                    writer.write_event(shd())?;
                }
                if let Some(end) = props.last() {
                    writer.write_event(end.clone())?;
                }
            }
        }
        None => {
            writer.write_event(Event::Start(BytesStart::new("w:tcPr")))?;
            writer.write_event(shd())?;
            writer.write_event(Event::End(quick_xml::events::BytesEnd::new("w:tcPr")))?;
        }
    }
    // One paragraph with the first paragraph's and first run's formatting.
    let p = find(cell, "p", 1);
    let ppr = p.and_then(|p| find(cell, "pPr", p)).map(|i| subtree(cell, i)).unwrap_or(&[]);
    let rpr =
        p.and_then(|p| find(cell, "r", p)).and_then(|r| find(cell, "rPr", r)).map(|i| subtree(cell, i)).unwrap_or(&[]);
    writer.write_event(Event::Start(BytesStart::new("w:p")))?;
    for e in ppr {
        writer.write_event(e.clone())?;
    }
    writer.write_event(Event::Start(BytesStart::new("w:r")))?;
    for e in rpr {
        writer.write_event(e.clone())?;
    }
    let mut t = BytesStart::new("w:t");
    t.push_attribute(("xml:space", "preserve"));
    writer.write_event(Event::Start(t))?;
    writer.write_event(Event::Text(BytesText::new(text)))?;
    writer.write_event(Event::End(quick_xml::events::BytesEnd::new("w:t")))?;
    writer.write_event(Event::End(quick_xml::events::BytesEnd::new("w:r")))?;
    writer.write_event(Event::End(quick_xml::events::BytesEnd::new("w:p")))?;
    if let Some(end) = cell.last() {
        writer.write_event(end.clone())?;
    }
    Ok(())
}
