//! DOCX writer: a fresh document from the template parts in `templates/docx/` and a generated
//! `word/document.xml`: title, the six sections with their text, the three standard tables with real merges
//! (`w:gridSpan`, `w:vMerge`), changed cells shaded, A4 page, the fonts agencies use (方正小标宋简体, 黑体,
//! 仿宋_GB2312, 宋体 in tables).

use std::io::Write;

use quick_xml::escape::escape;
use zip::write::SimpleFileOptions;

use super::tables::{self, Slot, Table};
use super::{Change, ExportError};
use crate::layout::{self, TableId};
use crate::model::Report;
use crate::normalize::{Parsed, format_number};

const PARTS: &[(&str, &str)] = &[
    ("[Content_Types].xml", include_str!("../../templates/docx/[Content_Types].xml")),
    ("_rels/.rels", include_str!("../../templates/docx/_rels/.rels")),
    ("word/_rels/document.xml.rels", include_str!("../../templates/docx/word/_rels/document.xml.rels")),
    ("word/styles.xml", include_str!("../../templates/docx/word/styles.xml")),
    ("word/settings.xml", include_str!("../../templates/docx/word/settings.xml")),
    ("docProps/app.xml", include_str!("../../templates/docx/docProps/app.xml")),
];
const CORE: &str = include_str!("../../templates/docx/docProps/core.xml");

/// Text width of an A4 page with the 公文 margins (left 28 mm, right 26 mm), in twentieths of a point.
const TEXT_WIDTH: f64 = 8844.0;
const CHANGED_FILL: &str = "FFC7CE";

/// Write a report as a standard DOCX.
///
/// # Errors
/// [`ExportError::Docx`] when the zip cannot be written.
pub fn write(report: &Report, changes: &[Change]) -> Result<Vec<u8>, ExportError> {
    let title = report.meta.title.clone().unwrap_or_else(|| "政府信息公开工作年度报告".to_string());
    let document = document_xml(report, &title, changes);
    package(&title, &document)
}

/// A blank standard report: title, the six section headings and the three empty tables.
///
/// # Errors
/// [`ExportError::Docx`] when the zip cannot be written.
pub fn template(year: Option<i32>) -> Result<Vec<u8>, ExportError> {
    write(&Report::blank(super::template_title(year), year), &[])
}

/// Zip the template parts with a document body.
pub(crate) fn package(title: &str, document: &str) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Docx(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let core = CORE.replace("{{TITLE}}", &escape(title));
    let parts = PARTS.iter().copied().chain([("docProps/core.xml", core.as_str()), ("word/document.xml", document)]);
    for (name, body) in parts {
        zip.start_file(name, opts).map_err(|e| fail(&e))?;
        zip.write_all(body.as_bytes()).map_err(|e| fail(&e))?;
    }
    zip.finish().map(std::io::Cursor::into_inner).map_err(|e| fail(&e))
}

/// The note under a section the report's source did not have: a workbook of tables holds no text to lack.
pub(crate) fn absence_note(report: &Report) -> &'static str {
    let tables_only = matches!(report.input, crate::raw::InputKind::Xlsx | crate::raw::InputKind::Xls)
        && !report.sections.iter().any(|s| matches!(s.key, "overview" | "problems" | "other_matters"));
    if tables_only { layout::NOTE_TEXT_ELSEWHERE } else { layout::NOTE_SECTION_ABSENT }
}

fn para(out: &mut String, style: &str, text: &str) {
    out.push_str(&format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        escape(text)
    ));
}

fn document_xml(report: &Report, title: &str, changes: &[Change]) -> String {
    let mut body = String::new();
    para(&mut body, "Title", title);
    let tables = tables::standard(report.format);
    // Every heading stands: a blank template's bare, a report's with its text, or with a note that its source had none.
    let all_headings = report.sections.is_empty() && report.cells.is_empty();
    for (key, heading) in layout::SECTIONS {
        let section = report.sections.iter().find(|s| s.key == *key);
        let table = match *key {
            "active_disclosure" => tables.first(),
            "applications" => tables.get(1),
            "review_litigation" => tables.get(2),
            _ => None,
        };
        para(&mut body, "Heading1", section.map_or(heading, |s| s.heading.as_str()));
        match section {
            Some(s) => {
                for p in s.text.lines().filter(|p| !p.trim().is_empty()) {
                    para(&mut body, "Body", p.trim());
                }
            }
            // A section the source lacks keeps its place in the layout, said to be absent.
            None if table.is_none() && !all_headings => para(&mut body, "Body", absence_note(report)),
            None => {}
        }
        if let Some(t) = table {
            table_xml(&mut body, t, report, changes);
        }
    }
    if let Some(agency) = &report.meta.agency {
        para(&mut body, "Signature", agency);
    }
    if let Some(date) = &report.meta.date_line {
        let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
        if let [y, m, d] = parts[..] {
            para(&mut body, "Signature", &format!("{y}年{m}月{d}日"));
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// The text a value cell shows.
pub(crate) fn value_text(report: &Report, key: &str) -> String {
    match report.cell(key) {
        Some(cell) => match (&cell.parsed, super::plain_number(key, &cell.parsed)) {
            (_, Some(value)) => format_number(value),
            (Parsed::Blank, _) => String::new(),
            _ => cell.raw.trim().to_string(),
        },
        None => String::new(),
    }
}

fn table_xml(out: &mut String, t: &Table, report: &Report, changes: &[Change]) {
    let widths: Vec<u32> = t.widths.iter().map(|w| (w * TEXT_WIDTH).round() as u32).collect();
    let size = if t.id == TableId::T4 { 18 } else { 20 };
    out.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>"#);
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#));
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
    for w in &widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    for (r, slots) in t.rows.iter().enumerate() {
        let r = r as u32;
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (c, slot) in slots.iter().enumerate() {
            let c = c as u32;
            let (span, vmerge, text, bold, key) = match (t.merge_at(r, c), t.covering(r, c)) {
                (_, Some(m)) if m.c1 == c => ((m.c2 - m.c1 + 1), Some(false), String::new(), false, None),
                (_, Some(_)) => continue,
                (m, None) => {
                    let span = m.map_or(1, |m| m.c2 - m.c1 + 1);
                    let vmerge = m.filter(|m| m.r2 > m.r1).map(|_| true);
                    match slot {
                        Slot::Header(s) => (span, vmerge, s.clone(), true, None),
                        Slot::Label(s) => (span, vmerge, s.clone(), false, None),
                        Slot::Value(k) => (span, vmerge, value_text(report, k), false, Some(k.as_str())),
                        Slot::Empty => (span, vmerge, String::new(), false, None),
                    }
                }
            };
            let width: u32 = widths[c as usize..(c + span) as usize].iter().sum();
            let changed = key.is_some_and(|k| changes.iter().any(|ch| ch.key == k));
            out.push_str(&format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#));
            if span > 1 {
                out.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
            }
            match vmerge {
                Some(true) => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
                Some(false) => out.push_str("<w:vMerge/>"),
                None => {}
            }
            if changed {
                out.push_str(&format!(r#"<w:shd w:val="clear" w:color="auto" w:fill="{CHANGED_FILL}"/>"#));
            }
            out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
            cell_paragraph(out, &text, bold, size, changed);
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// One table-cell paragraph in the TableText style.
pub(crate) fn cell_paragraph(out: &mut String, text: &str, bold: bool, size: u32, changed: bool) {
    out.push_str(r#"<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>"#);
    if !text.is_empty() {
        out.push_str("<w:r><w:rPr>");
        if bold {
            out.push_str("<w:b/>");
        }
        if changed {
            out.push_str(r#"<w:color w:val="9C0006"/>"#);
        }
        out.push_str(&format!(
            r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(text)
        ));
    }
    out.push_str("</w:p>");
}
