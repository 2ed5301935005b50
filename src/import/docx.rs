//! DOCX → paragraphs and grids, with zip + quick-xml.
//!
//! Streams `word/document.xml` once. Top-level `w:tbl` elements become grids on their `w:tblGrid` columns, with
//! `w:gridSpan`, `w:gridBefore` and `w:vMerge` (a missing `w:val` means continue) resolved into merges, so a
//! merged cell is one anchor. A cell's paragraphs are joined with newlines; text split across runs is joined.
//! Tracked insertions are read, deletions (`w:delText`) are not. Nested tables are read as text of their cell.
//! A field reads as its shown result; a table cell's formula field (`=SUM(LEFT)`) is noted on the grid.

use crate::import::Words;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ImportError, bound_text, limits};
use crate::raw::{Addressing, Grid, InputKind, Paragraph, RawDocument};

pub(super) fn read(name: &str, mut archive: super::Archive) -> Result<RawDocument, ImportError> {
    let Some(xml) = super::read_part_bytes(name, &mut archive, "word/document.xml")? else {
        return Err(ImportError::NotADocument {
            path: name.to_string(),
            hint: super::Words::fixed("word/document.xml is missing", "缺少 word/document.xml"),
        });
    };
    let property_title =
        super::read_part(name, &mut archive, "docProps/core.xml").ok().flatten().and_then(|core| core_title(&core));
    let (paragraphs, grids) = parse_document(name, &xml)?;
    Ok(RawDocument { kind: InputKind::Docx, paragraphs, grids, property_title, published: None })
}

#[derive(Default)]
struct TcBuilder {
    text: String,
    span: u32,
    vmerge: VMerge,
    /// The instructions of the fields in the cell (`w:instrText`, `w:fldSimple w:instr`): `=SUM(LEFT)` for a
    /// formula field, whose shown result Word does not update by itself.
    instructions: String,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Default)]
struct TableBuilder {
    grid_cols: u32,
    rows: Vec<(u32, Vec<TcBuilder>)>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn parse_document(name: &str, xml: &[u8]) -> Result<(Vec<Paragraph>, Vec<Grid>), ImportError> {
    let mut reader = Reader::from_reader(xml);
    let mut paragraphs = Vec::new();
    let mut grids = Vec::new();

    let mut depth = 0usize;
    let mut tbl_depth = 0usize;
    let mut table: Option<TableBuilder> = None;
    let mut in_t = false;
    let mut in_instruction = false;
    let mut para = String::new();
    let mut para_count = 0usize;
    let mut table_count = 0usize;

    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        path: name.to_string(),
        detail: format!("word/document.xml is not well-formed XML ({e})"),
    };

    // Paragraphs, table rows and cells each hold memory: a document of millions of tiny ones is refused.
    let mut items = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| corrupt(&e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                let qname = e.name();
                let local = super::local_name(qname.as_ref());
                if matches!(local, "p" | "tr" | "tc") {
                    items += 1;
                    if items > limits::MAX_ITEMS {
                        return Err(ImportError::Limit {
                            path: name.to_string(),
                            limit: Words::owned(
                                format!("more than {} paragraphs, table rows and cells", limits::MAX_ITEMS),
                                format!("段落、表格行和单元格超过 {} 个", limits::MAX_ITEMS),
                            ),
                        });
                    }
                }
                if is_start {
                    super::enter_element(name, &mut depth)?;
                }
                match local {
                    // Run and paragraph properties (fonts, sizes, spacing) are most of a document's markup and hold
                    // nothing read here: skipped whole.
                    "rPr" | "pPr" if is_start => {
                        let skipped = skip_to_end_tag(&mut reader, qname.as_ref(), &[]);
                        if !skipped {
                            reader.read_to_end(qname).map_err(|e| corrupt(&e))?;
                            depth = depth.saturating_sub(1);
                        }
                    }
                    // A cell's properties matter only for its merges; table properties and section properties
                    // (page size, margins) not at all. Read through when the skip is not possible.
                    "tcPr" if is_start => {
                        skip_to_end_tag(&mut reader, qname.as_ref(), &[b"gridSpan", b"vMerge"]);
                    }
                    "tblPr" | "sectPr" if is_start => {
                        skip_to_end_tag(&mut reader, qname.as_ref(), &[]);
                    }
                    "tbl" if is_start => {
                        tbl_depth += 1;
                        if tbl_depth == 1 {
                            flush_paragraph(&mut para, &mut paragraphs, &mut para_count);
                            table = Some(TableBuilder::default());
                        }
                    }
                    "gridCol" if tbl_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.grid_cols += 1;
                        }
                    }
                    "tr" if tbl_depth == 1 && is_start => {
                        if let Some(t) = table.as_mut() {
                            t.rows.push((0, Vec::new()));
                        }
                    }
                    "gridBefore" if tbl_depth == 1 => {
                        let n = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0u32);
                        if let Some((before, _)) = table.as_mut().and_then(|t| t.rows.last_mut()) {
                            *before = n.min(1000);
                        }
                    }
                    "tc" if tbl_depth == 1 && is_start => {
                        if let Some(row) = table.as_mut().and_then(|t| t.rows.last_mut()) {
                            row.1.push(TcBuilder { span: 1, ..TcBuilder::default() });
                        }
                    }
                    "gridSpan" if tbl_depth == 1 => {
                        let n = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1u32);
                        if let Some(tc) = current_tc(&mut table) {
                            tc.span = n.clamp(1, 1000);
                        }
                    }
                    "vMerge" if tbl_depth == 1 => {
                        let restart = attr(e, "w:val").is_some_and(|v| v == "restart");
                        if let Some(tc) = current_tc(&mut table) {
                            tc.vmerge = if restart { VMerge::Restart } else { VMerge::Continue };
                        }
                    }
                    "t" if is_start => in_t = true,
                    "instrText" if is_start && tbl_depth == 1 => in_instruction = true,
                    "fldSimple" if tbl_depth == 1 => {
                        if let (Some(tc), Some(instruction)) = (current_tc(&mut table), attr(e, "w:instr")) {
                            super::push_bounded(&mut tc.instructions, &instruction);
                        }
                    }
                    "tab" => push_text(&mut table, tbl_depth, &mut para, "\t"),
                    "br" | "cr" => push_text(&mut table, tbl_depth, &mut para, "\n"),
                    "p" if !is_start => {
                        // An empty paragraph still separates lines inside a cell.
                        end_paragraph(&mut table, tbl_depth, &mut para, &mut paragraphs, &mut para_count);
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                match super::local_name(e.name().as_ref()) {
                    "t" => in_t = false,
                    "instrText" => in_instruction = false,
                    "p" => end_paragraph(&mut table, tbl_depth, &mut para, &mut paragraphs, &mut para_count),
                    "tbl" => {
                        tbl_depth = tbl_depth.saturating_sub(1);
                        if tbl_depth == 0
                            && let Some(t) = table.take()
                        {
                            table_count += 1;
                            grids.push(build_grid(name, t, table_count)?);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            ref other if in_t => {
                if let Some(text) = super::event_text(other) {
                    push_text(&mut table, tbl_depth, &mut para, &text);
                }
            }
            ref other if in_instruction => {
                if let (Some(tc), Some(text)) = (current_tc(&mut table), super::event_text(other)) {
                    super::push_bounded(&mut tc.instructions, &text);
                }
            }
            _ => {}
        }
    }
    flush_paragraph(&mut para, &mut paragraphs, &mut para_count);
    Ok((paragraphs, grids))
}

/// Moves the reader to the end tag of the element `qname` it has just entered, without reading the events in
/// between, when that end tag is the next one of that name, no element of that name opens before it (properties
/// nest only through their revision marks, `w:rPrChange` holding a `w:rPr`), and none of `unless` occurs in between;
/// the reader then reads the end tag itself, which keeps its record of open elements whole. `false` when the
/// element was not skipped, and the caller reads on through it.
///
/// Properties are about half of a document's elements; a search for their end tag costs a fraction of
/// tokenising them. The markup skipped is not checked for well-formedness, and the reader's byte positions, used
/// only in its error messages, lag behind after a skip.
fn skip_to_end_tag(reader: &mut Reader<&[u8]>, qname: &str, unless: &[&[u8]]) -> bool {
    let rest: &[u8] = reader.get_ref();
    let ends_name = |b: &u8| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n');
    let name = qname.as_bytes();
    for at in memchr::memchr_iter(b'<', rest) {
        let tag = &rest[at + 1..];
        let (end_tag, tag) = tag.strip_prefix(b"/").map_or((false, tag), |rest| (true, rest));
        let tag = &tag[..tag.iter().position(ends_name).unwrap_or(tag.len())];
        if tag == name {
            if end_tag {
                *reader.get_mut() = &rest[at..];
            }
            return end_tag;
        }
        if !end_tag && unless.contains(&super::local_part(tag)) {
            return false;
        }
    }
    false
}

fn current_tc(table: &mut Option<TableBuilder>) -> Option<&mut TcBuilder> {
    table.as_mut()?.rows.last_mut()?.1.last_mut()
}

fn push_text(table: &mut Option<TableBuilder>, tbl_depth: usize, para: &mut String, text: &str) {
    if tbl_depth >= 1 {
        if let Some(tc) = current_tc(table) {
            super::push_bounded(&mut tc.text, text);
        }
    } else {
        super::push_bounded(para, text);
    }
}

fn end_paragraph(
    table: &mut Option<TableBuilder>,
    tbl_depth: usize,
    para: &mut String,
    paragraphs: &mut Vec<Paragraph>,
    count: &mut usize,
) {
    if tbl_depth >= 1 {
        if let Some(tc) = current_tc(table) {
            tc.text.push('\n');
        }
    } else {
        flush_paragraph(para, paragraphs, count);
    }
}

fn flush_paragraph(para: &mut String, paragraphs: &mut Vec<Paragraph>, count: &mut usize) {
    *count += 1;
    let text = std::mem::take(para);
    if !text.trim().is_empty() {
        paragraphs.push(Paragraph { text: bound_text(text), origin: format!("第{count}段"), cells: Vec::new() });
    }
}

fn build_grid(name: &str, t: TableBuilder, index: usize) -> Result<Grid, ImportError> {
    let widest =
        t.rows.iter().map(|(before, cells)| before + cells.iter().map(|c| c.span).sum::<u32>()).max().unwrap_or(0);
    let cols = widest.max(t.grid_cols);
    let rows = t.rows.len() as u32;
    if u64::from(rows) * u64::from(cols) > limits::MAX_SHEET_CELLS {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!(
                    "table {index} spans {rows} rows × {cols} columns, more than {} cells",
                    limits::MAX_SHEET_CELLS
                ),
                format!("表{index} 有 {rows} 行 × {cols} 列，超过 {} 个单元格", limits::MAX_SHEET_CELLS),
            ),
        });
    }
    let mut grid = Grid::new(Addressing::DocTable { index }, rows, cols);
    for (r, (before, cells)) in t.rows.into_iter().enumerate() {
        let r = r as u32;
        let mut c = before;
        for tc in cells {
            let span = tc.span;
            if tc.vmerge == VMerge::Continue && r > 0 {
                // The cell continues the merge above it: every grid column it spans joins that anchor.
                let anchor = grid.anchor_of(r - 1, c);
                for k in 0..span {
                    if let Some(cell) = grid.get_mut(r, c + k) {
                        cell.merged_into = Some(anchor);
                    }
                }
            } else {
                if let Some(cell) = grid.get_mut(r, c) {
                    cell.text = tc.text.trim_end_matches('\n').to_string();
                }
                if let Some(formula) = tc.instructions.trim().strip_prefix('=') {
                    grid.word_fields.push((r, c, formula.trim().to_string()));
                }
                if span > 1 {
                    grid.merge(r, c, r, c + span - 1);
                }
            }
            c += span;
        }
    }
    Ok(grid)
}

fn core_title(core: &str) -> Option<String> {
    let mut reader = Reader::from_str(core);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => title.push_str(&t.xml10_content()),
            Event::Eof => break,
            _ => {}
        }
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn spans_and_vertical_merges_resolve_to_one_anchor() {
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:r><w:t>标题</w:t></w:r><w:r><w:t xml:space="preserve">续 &amp; 完</w:t></w:r></w:p>
            <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>商业</w:t></w:r></w:p><w:p><w:r><w:t>企业</w:t></w:r></w:p></w:tc>
                  <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>总计</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc>
                  <w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>
            </w:tbl></w:body></w:document>"#
        );
        let (paras, grids) = parse_document("t.docx", xml.as_bytes()).unwrap();
        assert_eq!(paras.len(), 1);
        assert_eq!(paras[0].text, "标题续 & 完");
        let g = &grids[0];
        assert_eq!((g.rows, g.cols), (2, 3));
        assert_eq!(g.get(0, 0).unwrap().text, "商业\n企业");
        assert_eq!(g.anchor_of(0, 1), (0, 0));
        assert_eq!(g.anchor_of(1, 2), (0, 2));
        assert_eq!(g.visible_text(1, 2), "总计");
        assert_eq!(g.get(1, 1).unwrap().text, "2");
    }

    #[test]
    fn formula_fields_read_as_their_shown_result_and_are_noted() {
        let xml = format!(
            r#"<w:document {W}><w:body><w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
            <w:tr><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:fldSimple w:instr=" =SUM(LEFT) "><w:r><w:t>5</w:t></w:r></w:fldSimple></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
              <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:tc>
              <w:tc><w:p/></w:tc>
              <w:tc><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> =SUM(</w:instrText></w:r>
              <w:r><w:instrText>ABOVE) </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>6</w:t></w:r>
              <w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:tc></w:tr>
            </w:tbl></w:body></w:document>"#
        );
        let (_, grids) = parse_document("t.docx", xml.as_bytes()).unwrap();
        let g = &grids[0];
        let texts: Vec<&str> =
            [(0, 2), (1, 0), (1, 2)].iter().map(|&(r, c)| g.get(r, c).unwrap().text.as_str()).collect();
        assert_eq!(texts, ["5", "1", "6"], "fields read as their results, not their codes");
        assert_eq!(g.word_field_at(0, 2), Some("SUM(LEFT)"));
        assert_eq!(g.word_field_at(1, 2), Some("SUM(ABOVE)"), "an instruction split over runs");
        assert_eq!(g.word_field_at(1, 0), None, "not a formula field");
    }

    #[test]
    fn properties_are_skipped_and_their_tab_stops_are_not_tabs() {
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>
            <w:r><w:rPr><w:rFonts w:ascii="仿宋"/><w:sz w:val="32"/></w:rPr><w:t>一、</w:t></w:r><w:r><w:tab/><w:t>总体情况</w:t></w:r></w:p>
            <w:p><w:pPr/><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#
        );
        let (paras, _) = parse_document("t.docx", xml.as_bytes()).unwrap();
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["一、\t总体情况", "正文"], "the run's tab is read, the tab stop is not");
    }

    #[test]
    fn properties_holding_their_revision_marks_are_skipped_whole() {
        // A tracked formatting change keeps the old properties inside the new ones: the first `</w:rPr>` closes the
        // inner element, not the one being skipped.
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="2"><w:pPr><w:jc w:val="left"/></w:pPr></w:pPrChange></w:pPr>
            <w:r><w:rPr><w:b/><w:rPrChange w:id="1"><w:rPr ><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>一、</w:t></w:r>
            <w:r><w:rPr><w:b/></w:rPr ><w:t>概述</w:t></w:r></w:p><w:p><w:r><w:rPr/><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#
        );
        let (paras, _) = parse_document("t.docx", xml.as_bytes()).unwrap();
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["一、概述", "正文"]);
    }

    #[test]
    fn the_skip_lands_on_the_end_tag() {
        let skipped_to = |xml: &str, unless: &[&[u8]]| {
            let mut reader = Reader::from_str(xml);
            loop {
                match reader.read_event().unwrap() {
                    Event::Start(e) if super::super::local_name(e.name().as_ref()).ends_with("Pr") => {
                        let qname = e.name().as_ref().to_string();
                        let skipped = skip_to_end_tag(&mut reader, &qname, unless);
                        let next = reader.read_event().unwrap();
                        return (skipped, matches!(next, Event::End(end) if end.name().as_ref() == qname));
                    }
                    Event::Eof => panic!("no properties in {xml}"),
                    _ => {}
                }
            }
        };
        let run = r#"<w:r><w:rPr><w:rFonts w:ascii="宋体"/><w:b /></w:rPr ><w:t>一</w:t></w:r>"#;
        assert_eq!(skipped_to(run, &[]), (true, true));
        let cell = r#"<w:tc><w:tcPr><w:tcW w:w="2160"/><w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>"#;
        assert_eq!(skipped_to(cell, &[b"gridSpan", b"vMerge"]), (true, true));
        let merged = r#"<w:tc><w:tcPr><w:tcW w:w="2160"/><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>"#;
        assert_eq!(skipped_to(merged, &[b"gridSpan", b"vMerge"]), (false, false), "read through for its merge");
        let revised = r#"<w:r><w:rPr><w:b/><w:rPrChange><w:rPr/></w:rPrChange></w:rPr></w:r>"#;
        assert!(!skipped_to(revised, &[]).0, "nested through a revision mark");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = format!("<w:document {W}>{}{}</w:document>", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert!(matches!(parse_document("deep.docx", xml.as_bytes()), Err(ImportError::Limit { .. })));
    }
}
