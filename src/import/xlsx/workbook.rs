//! The workbook's own parts: its relationships, its sheet list (and 1904 date system), and which cell styles show
//! a number as a date.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rustc_hash::FxHashMap;

use super::plain_xml::attr_value;

pub(super) struct Relationship {
    pub id: String,
    pub kind: String,
    /// The part name inside the zip, resolved against `xl/`.
    pub target: String,
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    attr_value(e, |key| crate::import::local_name(key) == local)
}

/// The `r:id` attribute of a `<sheet>`: the one named `id` with a namespace prefix (its prefix varies by writer).
fn rel_id_attr(e: &BytesStart) -> Option<String> {
    attr_value(e, |key| key.contains(':') && crate::import::local_name(key) == "id")
}

/// A relationship target of the workbook, resolved against `xl/`.
fn resolve_target(target: &str) -> String {
    resolve_part("xl", target)
}

/// A relationship target resolved against the folder `dir` of the part it belongs to (`..` and `.` walked, an
/// absolute target taken from the package's root): the reader and the workbook patcher resolve parts alike.
pub(crate) fn resolve_part(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

pub(super) fn relationships(xml: &[u8]) -> Result<Vec<Relationship>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(kind), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                    && attr(&e, "TargetMode").as_deref() != Some("External")
                {
                    out.push(Relationship { id, kind, target: resolve_target(&target) });
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `(name, relationship id)` of every sheet, in workbook order, and whether dates count from 1904 (old Mac Excel).
pub(super) fn sheet_list(xml: &[u8]) -> Result<(Vec<(String, String)>, bool), quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut date1904 = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), rel_id_attr(&e)) {
                    out.push((name, id));
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "workbookPr" => {
                date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
            }
            Event::Eof => return Ok((out, date1904)),
            _ => {}
        }
    }
}

/// Which cell styles (`s`, an index into `cellXfs`) show their number as a date, from `xl/styles.xml`.
pub(super) fn date_styles(xml: &[u8]) -> Result<Vec<bool>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut custom: FxHashMap<u32, bool> = FxHashMap::default();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.insert(id.parse().unwrap_or(u32::MAX), is_date_format(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id: u32 = attr(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    // Built-in date and time formats, the CJK ones (27–36, 50–58) included.
                    let builtin = matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58);
                    styles.push(custom.get(&id).copied().unwrap_or(builtin));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

/// A number format shows a date when, outside quoted text, escapes and `[…]` sections, it has a date or time part.
pub(super) fn is_date_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut in_brackets = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            '[' if !in_quotes => in_brackets = true,
            ']' if !in_quotes => in_brackets = false,
            _ if in_quotes || in_brackets => {}
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'e' | 'h' | 'H' | 's' | 'S' => {
                return !code.eq_ignore_ascii_case("General");
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_xl() {
        assert_eq!(resolve_target("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(resolve_target("../xl/sharedStrings.xml"), "xl/sharedStrings.xml");
    }
}
