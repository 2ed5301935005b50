//! The comments on the changed cells, as Excel and WPS show them: a comments part, the VML drawing that shows each
//! comment, the sheet's relationships to both and its `<legacyDrawing>`, and their content types. A sheet that has
//! comments already gets its new ones added to its own parts (a cell that has a comment keeps it, and is marked by its
//! fill alone).

use std::collections::{BTreeSet, HashMap};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Target, cell_ref, parse_ref};
use crate::export::ExportError;
use crate::import::resolve_part;

const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const TYPE_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const TYPE_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
/// The worksheet children that come after `<legacyDrawing>` in the schema's order.
const AFTER_LEGACY_DRAWING: &[&str] =
    &["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];

/// The content types the new parts need.
#[derive(Default)]
pub(super) struct ContentTypes {
    overrides: Vec<(String, &'static str)>,
    vml: bool,
}

impl ContentTypes {
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty() && !self.vml
    }

    /// `[Content_Types].xml` with the defaults and overrides added that it lacks.
    pub fn apply(&self, xml: &[u8]) -> Result<Vec<u8>, String> {
        let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
        let end = text.rfind("</Types>").ok_or("[Content_Types].xml has no </Types>")?;
        let mut added = String::new();
        if self.vml && !text.contains("Extension=\"vml\"") {
            added.push_str(&format!("<Default Extension=\"vml\" ContentType=\"{TYPE_VML}\"/>"));
        }
        for (part, kind) in &self.overrides {
            if !text.contains(&format!("PartName=\"/{part}\"")) {
                added.push_str(&format!("<Override PartName=\"/{part}\" ContentType=\"{kind}\"/>"));
            }
        }
        Ok(format!("{}{added}{}", &text[..end], &text[end..]).into_bytes())
    }
}

/// Reads a part of the workbook by name: `None` when there is no such part.
pub(super) type PartReader<'a> = dyn FnMut(&str) -> Result<Option<Vec<u8>>, ExportError> + 'a;

/// A cell's row and column, from 0.
type At = (u32, u32);

/// A relationship of the sheet.
struct Rel {
    id: String,
    kind: String,
    part: String,
}

/// The folder a part is in, and where its relationships are.
fn folder(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn rels_of(part: &str) -> String {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") }
}

/// The target that reaches `part` from the folder `dir`.
fn relative(dir: &str, part: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = part.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    out
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn relationships(xml: &[u8], dir: &str) -> Result<Vec<Rel>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(kind), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                    && attr(&e, "TargetMode").as_deref() != Some("External")
                {
                    out.push(Rel { id, kind, part: resolve_part(dir, &target) });
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The first free name `stem{n}.ext` among the zip's entries (and the parts added so far).
fn free_name(names: &mut Vec<String>, stem: &str, ext: &str) -> (String, u32) {
    let taken: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let n = (1..).find(|n| !taken.contains(format!("{stem}{n}.{ext}").as_str())).unwrap_or(1);
    let name = format!("{stem}{n}.{ext}");
    names.push(name.clone());
    (name, n)
}

/// Add a comment to each written cell of the sheet `part` (its XML, patched, in `sheet_xml`). Returns the parts to
/// write (new or changed) by name; the sheet's XML is changed in place when it needs a `<legacyDrawing>`.
pub(super) fn add(
    part: &str,
    sheet_xml: &mut Vec<u8>,
    written: &[((u32, u32), &Target)],
    names: &mut Vec<String>,
    read: &mut PartReader<'_>,
    types: &mut ContentTypes,
) -> Result<HashMap<String, Vec<u8>>, String> {
    let dir = folder(part);
    let rels_part = rels_of(part);
    let rels_xml = read(&rels_part).map_err(|e| e.to_string())?;
    let rels = match &rels_xml {
        Some(xml) => relationships(xml, dir).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    let mut out = HashMap::new();
    let mut new_rels = Vec::new();
    let next_id = |taken: &[Rel], added: &[(String, &str, String)]| {
        (1..)
            .map(|n| format!("rId{n}"))
            .find(|id| !taken.iter().any(|r| &r.id == id) && !added.iter().any(|(a, ..)| a == id))
            .unwrap_or_default()
    };

    // The comments part: the sheet's own, or a new one.
    let existing = rels.iter().find(|r| r.kind == REL_COMMENTS).map(|r| r.part.clone());
    let (comments_part, comments_xml) = match existing.and_then(|p| read(&p).ok().flatten().map(|x| (p, x))) {
        Some((p, xml)) => (p, xml),
        None => {
            let (name, _) = free_name(names, "xl/comments", "xml");
            let id = next_id(&rels, &new_rels);
            new_rels.push((id, REL_COMMENTS, relative(dir, &name)));
            types.overrides.push((name.clone(), TYPE_COMMENTS));
            let empty = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors></authors><commentList></commentList></comments>";
            (name, empty.as_bytes().to_vec())
        }
    };
    let (comments_xml, commented) = add_comments(&comments_xml, written)?;
    out.insert(comments_part, comments_xml);

    // The VML drawing that shows them: the sheet's own, or a new one with its `<legacyDrawing>`.
    let existing = rels.iter().find(|r| r.kind == REL_VML).map(|r| r.part.clone());
    let (vml_part, vml_xml) = match existing.and_then(|p| read(&p).ok().flatten().map(|x| (p, x))) {
        Some((p, xml)) => (p, xml),
        None => {
            let (name, n) = free_name(names, "xl/drawings/vmlDrawing", "vml");
            let id = next_id(&rels, &new_rels);
            new_rels.push((id.clone(), REL_VML, relative(dir, &name)));
            types.vml = true;
            *sheet_xml = with_legacy_drawing(sheet_xml, &id)?;
            (name, new_vml(n).into_bytes())
        }
    };
    out.insert(vml_part, add_shapes(&vml_xml, &commented)?);

    if !new_rels.is_empty() {
        let added: String = new_rels
            .iter()
            .map(|(id, kind, target)| format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>"))
            .collect();
        let rels_text = match &rels_xml {
            Some(xml) => {
                let text = String::from_utf8_lossy(xml).into_owned();
                let end = text.rfind("</Relationships>").ok_or("a sheet's relationships have no end")?;
                format!("{}{added}{}", &text[..end], &text[end..])
            }
            None => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{added}</Relationships>"
            ),
        };
        out.insert(rels_part, rels_text.into_bytes());
    }
    Ok(out)
}

/// The comments part with a comment on each written cell that has none, by the author `gongkai`; and the cells
/// commented.
fn add_comments(xml: &[u8], written: &[(At, &Target)]) -> Result<(Vec<u8>, Vec<At>), String> {
    let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
    let mut reader = Reader::from_str(text);
    let mut authors = Vec::new();
    let mut refs = BTreeSet::new();
    let mut in_author = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.local_name().as_ref() == "author" => {
                in_author = true;
                authors.push(String::new());
            }
            Event::Empty(e) if e.local_name().as_ref() == "author" => authors.push(String::new()),
            Event::Text(t) if in_author => {
                if let Some(last) = authors.last_mut() {
                    last.push_str(&t.xml10_content());
                }
            }
            Event::End(e) if e.local_name().as_ref() == "author" => in_author = false,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "comment" => {
                if let Some(at) = attr(&e, "ref").and_then(|r| parse_ref(r.as_bytes())) {
                    refs.insert(at);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut text = text.to_string();
    let author = match authors.iter().position(|a| a == "gongkai") {
        Some(i) => i,
        None => {
            let at = text.find("</authors>").ok_or("comments without </authors>")?;
            text.insert_str(at, "<author>gongkai</author>");
            authors.len()
        }
    };
    let mut commented = Vec::new();
    let mut added = String::new();
    for ((row, col), target) in written {
        if refs.contains(&(*row, *col)) {
            continue;
        }
        commented.push((*row, *col));
        let note = quick_xml::escape::escape(target.note.as_str());
        added.push_str(&format!(
            "<comment ref=\"{}\" authorId=\"{author}\"><text><r><rPr><sz val=\"9\"/><rFont val=\"宋体\"/><family val=\"2\"/><charset val=\"134\"/></rPr><t xml:space=\"preserve\">{note}</t></r></text></comment>",
            cell_ref(*row, *col)
        ));
    }
    let at = text.rfind("</commentList>").ok_or("comments without </commentList>")?;
    text.insert_str(at, &added);
    Ok((text.into_bytes(), commented))
}

/// A new VML drawing with no shape yet; `n` numbers its shapes (`o:idmap`) apart from other drawings'.
fn new_vml(n: u32) -> String {
    format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{n}\"/></o:shapelayout><v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype></xml>"
    )
}

/// The VML drawing with a hidden note shape for each commented cell, numbered after the shapes it has.
fn add_shapes(xml: &[u8], cells: &[(u32, u32)]) -> Result<Vec<u8>, String> {
    let mut text = String::from_utf8_lossy(xml).into_owned();
    let block = text
        .split("o:idmap")
        .nth(1)
        .and_then(|s| s.split("data=\"").nth(1))
        .and_then(|s| s.split(['"', ',']).next())
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(1);
    let highest = text
        .match_indices("_x0000_s")
        .filter_map(|(i, _)| {
            let digits: String = text[i + 8..].chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(block * 1024);
    let mut shapes = String::new();
    for (k, (row, col)) in cells.iter().enumerate() {
        let id = highest + 1 + k as u32;
        let anchor = format!("{}, 15, {}, 10, {}, 50, {}, 4", col + 1, row.saturating_sub(1), col + 4, row + 3);
        shapes.push_str(&format!(
            "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:60pt;margin-top:2pt;width:195pt;height:55.5pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
            z = k + 1
        ));
    }
    let at = text.rfind("</xml>").ok_or("a VML drawing without </xml>")?;
    text.insert_str(at, &shapes);
    Ok(text.into_bytes())
}

/// The sheet's XML with `<legacyDrawing r:id="…"/>` in its place among the worksheet's children.
fn with_legacy_drawing(xml: &[u8], id: &str) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut depth = 0usize;
    let mut at = None;
    let mut prefix = String::new();
    let mut rel_prefix = None;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                if depth == 0 {
                    prefix = e.name().as_ref().strip_suffix("worksheet").unwrap_or_default().to_string();
                    for a in e.attributes().flatten() {
                        if a.value.as_ref() == NS_REL
                            && let Some(p) = a.key.as_ref().strip_prefix("xmlns:")
                        {
                            rel_prefix = Some(p.to_string());
                        }
                    }
                } else if depth == 1 && at.is_none() && AFTER_LEGACY_DRAWING.contains(&e.local_name().as_ref()) {
                    at = Some(before);
                }
                depth += 1;
            }
            Event::Empty(e)
                if depth == 1 && at.is_none() && AFTER_LEGACY_DRAWING.contains(&e.local_name().as_ref()) =>
            {
                at = Some(before);
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 0 && at.is_none() {
                    at = Some(before);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let at = at.ok_or("a worksheet without its end")?;
    let element = match rel_prefix {
        Some(r) => format!("<{prefix}legacyDrawing {r}:id=\"{id}\"/>"),
        None => format!("<{prefix}legacyDrawing xmlns:r=\"{NS_REL}\" r:id=\"{id}\"/>"),
    };
    let mut out = xml[..at].to_vec();
    out.extend_from_slice(element.as_bytes());
    out.extend_from_slice(&xml[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_go_from_the_sheets_folder() {
        assert_eq!(relative("xl/worksheets", "xl/comments1.xml"), "../comments1.xml");
        assert_eq!(relative("xl/worksheets", "xl/drawings/vmlDrawing2.vml"), "../drawings/vmlDrawing2.vml");
        assert_eq!(resolve_part("xl/worksheets", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve_part("xl/worksheets", "/xl/comments9.xml"), "xl/comments9.xml");
        assert_eq!(rels_of("xl/worksheets/sheet2.xml"), "xl/worksheets/_rels/sheet2.xml.rels");
    }

    #[test]
    fn legacy_drawing_goes_before_the_parts_after_it() {
        let sheet = br#"<worksheet xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData/><pageMargins/><tableParts count="0"/></worksheet>"#;
        let out = String::from_utf8(with_legacy_drawing(sheet, "rId7").unwrap()).unwrap();
        assert!(out.contains(r#"<pageMargins/><legacyDrawing r:id="rId7"/><tableParts"#), "{out}");
        let bare = br#"<x:worksheet xmlns:x="m"><x:sheetData/></x:worksheet>"#;
        let out = String::from_utf8(with_legacy_drawing(bare, "rId1").unwrap()).unwrap();
        assert!(out.ends_with(&format!(r#"<x:legacyDrawing xmlns:r="{NS_REL}" r:id="rId1"/></x:worksheet>"#)), "{out}");
    }
}
