//! One worksheet's XML streamed through, its changed cells rewritten: a cell keeps its place and gets its new value
//! and a marked style; a cell the sheet does not hold yet (a blank never typed in) is put in its row, and a row the
//! sheet lacks in its place among the rows. A cell with a formula is left as it is.

use std::collections::BTreeMap;
use std::io::Write;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use super::styles::Styles;
use super::{Target, cell_ref, parse_ref};

pub(super) struct Patched {
    pub xml: Vec<u8>,
    /// The cells left to their formulas.
    pub left_to_formulas: Vec<(u32, u32)>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

fn number(e: &BytesStart, name: &str) -> Option<u32> {
    attr(e, name).and_then(|v| v.trim().parse().ok())
}

/// What is being written, and what is still to come.
struct Patch<'t> {
    pending: BTreeMap<(u32, u32), &'t Target>,
    styles: &'t mut Styles,
    /// The namespace prefix of the sheet's elements (`x:` in some writers' files), for the elements added.
    prefix: String,
    left: Vec<(u32, u32)>,
}

impl Patch<'_> {
    /// The new `<c>` of a target, in the style `style` marked.
    fn cell(&mut self, row: u32, col: u32, style: u32, target: &Target) -> Vec<u8> {
        let p = &self.prefix;
        let marked = self.styles.marked(style);
        let r = cell_ref(row, col);
        let value = target.value.trim();
        if value.parse::<f64>().is_ok_and(f64::is_finite) {
            format!("<{p}c r=\"{r}\" s=\"{marked}\"><{p}v>{value}</{p}v></{p}c>").into_bytes()
        } else {
            let text = quick_xml::escape::escape(value);
            format!("<{p}c r=\"{r}\" s=\"{marked}\" t=\"inlineStr\"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>")
                .into_bytes()
        }
    }

    /// The cells still pending in `row` left of column `before` (all of them with `None`), as new cells.
    fn cells_before(&mut self, row: u32, before: Option<u32>) -> Vec<u8> {
        let due: Vec<(u32, u32)> = self
            .pending
            .range((row, 0)..=(row, u32::MAX))
            .map(|(at, _)| *at)
            .filter(|(_, col)| before.is_none_or(|b| *col < b))
            .collect();
        let mut out = Vec::new();
        for at in due {
            if let Some(target) = self.pending.remove(&at) {
                out.extend(self.cell(at.0, at.1, 0, target));
            }
        }
        out
    }

    /// The rows still pending above row `before` (all of them with `None`), as new rows.
    fn rows_before(&mut self, before: Option<u32>) -> Vec<u8> {
        let rows: Vec<u32> = {
            let mut rows: Vec<u32> =
                self.pending.keys().map(|(r, _)| *r).filter(|r| before.is_none_or(|b| *r < b)).collect();
            rows.dedup();
            rows
        };
        let mut out = Vec::new();
        for row in rows {
            let p = self.prefix.clone();
            out.extend(format!("<{p}row r=\"{}\">", row + 1).into_bytes());
            out.extend(self.cells_before(row, None));
            out.extend(format!("</{p}row>").into_bytes());
        }
        out
    }
}

/// Patch one worksheet's XML.
pub(super) fn patch(
    xml: &[u8],
    targets: &BTreeMap<(u32, u32), Target>,
    styles: &mut Styles,
) -> Result<Patched, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 512));
    let mut patch = Patch {
        pending: targets.iter().map(|(k, v)| (*k, v)).collect(),
        styles,
        prefix: String::new(),
        left: Vec::new(),
    };
    let mut in_data = false;
    let mut row: Option<u32> = None;
    let mut last_row: Option<u32> = None;
    let mut next_col = 0u32;
    loop {
        let event = reader.read_event()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheetData" => {
                let name = e.name();
                patch.prefix = name.as_ref().strip_suffix("sheetData").unwrap_or_default().to_string();
                if matches!(event, Event::Empty(_)) {
                    let p = patch.prefix.clone();
                    let rows = patch.rows_before(None);
                    writer.get_mut().write_all(format!("<{p}sheetData>").as_bytes())?;
                    writer.get_mut().write_all(&rows)?;
                    writer.get_mut().write_all(format!("</{p}sheetData>").as_bytes())?;
                    continue;
                }
                in_data = true;
            }
            Event::End(e) if in_data && e.local_name().as_ref() == "sheetData" => {
                let rows = patch.rows_before(None);
                writer.get_mut().write_all(&rows)?;
                in_data = false;
            }
            Event::Start(e) | Event::Empty(e) if in_data && row.is_none() && e.local_name().as_ref() == "row" => {
                let r = number(e, "r").map_or_else(|| last_row.map_or(0, |l| l + 1), |r| r.saturating_sub(1));
                let rows = patch.rows_before(Some(r));
                writer.get_mut().write_all(&rows)?;
                last_row = Some(r);
                next_col = 0;
                if matches!(event, Event::Empty(_)) {
                    let cells = patch.cells_before(r, None);
                    if !cells.is_empty() {
                        let start = e.to_owned();
                        writer.write_event(Event::Start(start.borrow()))?;
                        writer.get_mut().write_all(&cells)?;
                        writer.write_event(Event::End(start.to_end()))?;
                        continue;
                    }
                } else {
                    row = Some(r);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "row" && row.is_some() => {
                if let Some(r) = row.take() {
                    let cells = patch.cells_before(r, None);
                    writer.get_mut().write_all(&cells)?;
                }
            }
            Event::Start(e) | Event::Empty(e) if row.is_some() && e.local_name().as_ref() == "c" => {
                let r = row.unwrap_or_default();
                let col = attr(e, "r").and_then(|v| parse_ref(v.as_bytes())).map_or(next_col, |(_, c)| c);
                next_col = col + 1;
                let before = patch.cells_before(r, Some(col));
                writer.get_mut().write_all(&before)?;
                if let Some(target) = patch.pending.remove(&(r, col)) {
                    let style = number(e, "s").unwrap_or(0);
                    let mut original = vec![event.clone().into_owned()];
                    if matches!(event, Event::Start(_)) {
                        let mut depth = 1usize;
                        while depth > 0 {
                            let inner = reader.read_event()?.into_owned();
                            match &inner {
                                Event::Start(_) => depth += 1,
                                Event::End(_) => depth -= 1,
                                Event::Eof => break,
                                _ => {}
                            }
                            original.push(inner);
                        }
                    }
                    let formula = original
                        .iter()
                        .any(|ev| matches!(ev, Event::Start(s) | Event::Empty(s) if s.local_name().as_ref() == "f"));
                    if formula {
                        patch.left.push((r, col));
                        for ev in original {
                            writer.write_event(ev)?;
                        }
                    } else {
                        let cell = patch.cell(r, col, style, target);
                        writer.get_mut().write_all(&cell)?;
                    }
                    continue;
                }
            }
            _ => {}
        }
        writer.write_event(event)?;
    }
    Ok(Patched { xml: writer.into_inner(), left_to_formulas: patch.left })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Change;

    const STYLES: &str = r#"<styleSheet><fills count="2"><fill/><fill/></fills><cellXfs count="3"><xf fillId="0"/><xf fillId="0"/><xf fillId="0" borderId="1"/></cellXfs></styleSheet>"#;

    fn targets(cells: &[((u32, u32), &str)]) -> BTreeMap<(u32, u32), Target> {
        cells
            .iter()
            .map(|(at, value)| {
                let change =
                    Change { key: String::new(), from: String::new(), to: value.to_string(), rule: String::new() };
                (*at, Target { value: value.to_string(), note: String::new(), change })
            })
            .collect()
    }

    fn patched(xml: &str, cells: &[((u32, u32), &str)]) -> (String, Vec<(u32, u32)>) {
        let mut styles = Styles::read(STYLES.as_bytes()).unwrap();
        let out = patch(xml.as_bytes(), &targets(cells), &mut styles).unwrap();
        (String::from_utf8(out.xml).unwrap(), out.left_to_formulas)
    }

    #[test]
    fn cells_are_rewritten_in_place_with_their_style_marked_and_formulas_left() {
        let xml = r#"<worksheet><sheetData><row r="2"><c r="A2" s="2" t="s"><v>4</v></c><c r="B2" s="2"><f>SUM(A2)</f><v>9</v></c></row></sheetData></worksheet>"#;
        let (out, left) = patched(xml, &[((1, 0), "16"), ((1, 1), "3")]);
        assert_eq!(left, vec![(1, 1)]);
        assert!(out.contains(r#"<c r="A2" s="3"><v>16</v></c><c r="B2" s="2"><f>SUM(A2)</f><v>9</v></c>"#), "{out}");
    }

    #[test]
    fn missing_cells_and_rows_are_added_in_order() {
        let xml = r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="C1"><x:v>1</x:v></x:c></x:row><x:row r="5"/></x:sheetData></x:worksheet>"#;
        let (out, _) = patched(xml, &[((0, 0), "7"), ((0, 4), "8"), ((2, 1), "9"), ((4, 0), "10"), ((9, 0), "11")]);
        assert_eq!(
            out,
            r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="A1" s="3"><x:v>7</x:v></x:c><x:c r="C1"><x:v>1</x:v></x:c><x:c r="E1" s="3"><x:v>8</x:v></x:c></x:row><x:row r="3"><x:c r="B3" s="3"><x:v>9</x:v></x:c></x:row><x:row r="5"><x:c r="A5" s="3"><x:v>10</x:v></x:c></x:row><x:row r="10"><x:c r="A10" s="3"><x:v>11</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
        );
        let (out, _) = patched("<worksheet><sheetData/></worksheet>", &[((0, 1), "文字")]);
        assert_eq!(
            out,
            r#"<worksheet><sheetData><row r="1"><c r="B1" s="3" t="inlineStr"><is><t>文字</t></is></c></row></sheetData></worksheet>"#
        );
    }
}
