//! The styles a changed cell is given: its own cell format (font, border, number format, alignment) with one fill
//! that marks it, added to `styles.xml` once per format marked. Nothing already in the file changes but the two
//! counts.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// The fill of a changed cell: the light red of the standard layout's changed cells.
const MARK: &str = "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFC7CE\"/><bgColor indexed=\"64\"/></patternFill></fill>";

pub(super) struct Styles {
    /// How many fills and cell formats (`cellXfs`) the file has.
    fills: Option<u32>,
    formats: Vec<Vec<Event<'static>>>,
    /// The formats added, each a copy of one of `formats` with the mark's fill, by the format it copies.
    added: Vec<Vec<Event<'static>>>,
    marked: HashMap<u32, u32>,
}

impl Styles {
    pub fn read(xml: &[u8]) -> Result<Styles, quick_xml::Error> {
        let mut reader = Reader::from_reader(xml);
        let (mut fills, mut in_fills, mut in_formats) = (None, false, false);
        let mut formats: Vec<Vec<Event<'static>>> = Vec::new();
        let mut depth = 0usize;
        loop {
            let event = reader.read_event()?.into_owned();
            match &event {
                Event::Eof => break,
                Event::Start(e) if e.local_name().as_ref() == "fills" => {
                    in_fills = true;
                    fills = Some(0);
                }
                Event::Empty(e) if e.local_name().as_ref() == "fills" => fills = Some(0),
                Event::End(e) if e.local_name().as_ref() == "fills" => in_fills = false,
                Event::Start(e) | Event::Empty(e) if in_fills && e.local_name().as_ref() == "fill" => {
                    fills = fills.map(|n| n + 1);
                }
                Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_formats = true,
                Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_formats = false,
                Event::Start(e) if in_formats && depth == 0 && e.local_name().as_ref() == "xf" => {
                    formats.push(vec![event.clone()]);
                    depth = 1;
                    continue;
                }
                Event::Empty(e) if in_formats && depth == 0 && e.local_name().as_ref() == "xf" => {
                    formats.push(vec![event.clone()]);
                    continue;
                }
                _ => {}
            }
            if depth > 0 {
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                if let Some(format) = formats.last_mut() {
                    format.push(event);
                }
            }
        }
        Ok(Styles { fills, formats, added: Vec::new(), marked: HashMap::new() })
    }

    /// Nothing was marked: the file's styles stay as they are.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty()
    }

    /// The index of cell format `style` with the mark's fill (added on first use). A file without fills or formats
    /// to copy keeps the cell's own style.
    pub fn marked(&mut self, style: u32) -> u32 {
        let Some(fill) = self.fills else { return style };
        if let Some(&index) = self.marked.get(&style) {
            return index;
        }
        let Some(source) = self.formats.get(style as usize).or_else(|| self.formats.first()) else { return style };
        let mut copy = source.clone();
        if let Some(Event::Start(e) | Event::Empty(e)) = copy.first_mut() {
            *e = with_fill(e, fill);
        }
        let index = (self.formats.len() + self.added.len()) as u32;
        self.added.push(copy);
        self.marked.insert(style, index);
        index
    }

    /// The styles part with the mark's fill and the marked formats added.
    pub fn write(&self, xml: &[u8]) -> Result<Vec<u8>, quick_xml::Error> {
        let mut reader = Reader::from_reader(xml);
        let mut writer = Writer::new(Vec::with_capacity(xml.len() + 256 * (self.added.len() + 1)));
        let fills = self.fills.unwrap_or(0);
        let formats = (self.formats.len() + self.added.len()).to_string();
        loop {
            let event = reader.read_event()?;
            match &event {
                Event::Eof => break,
                Event::Start(e) if e.local_name().as_ref() == "fills" => {
                    writer.write_event(Event::Start(with_attr(e, "count", &(fills + 1).to_string())))?;
                    continue;
                }
                Event::Empty(e) if e.local_name().as_ref() == "fills" => {
                    let start = with_attr(e, "count", "1");
                    writer.write_event(Event::Start(start.borrow()))?;
                    writer.get_mut().extend_from_slice(MARK.as_bytes());
                    writer.write_event(Event::End(start.to_end()))?;
                    continue;
                }
                Event::End(e) if e.local_name().as_ref() == "fills" => {
                    writer.get_mut().extend_from_slice(MARK.as_bytes());
                }
                Event::Start(e) if e.local_name().as_ref() == "cellXfs" => {
                    writer.write_event(Event::Start(with_attr(e, "count", &formats)))?;
                    continue;
                }
                Event::End(e) if e.local_name().as_ref() == "cellXfs" => {
                    for format in &self.added {
                        for ev in format {
                            writer.write_event(ev.borrow())?;
                        }
                    }
                }
                _ => {}
            }
            writer.write_event(event)?;
        }
        Ok(writer.into_inner())
    }
}

/// An element with attribute `name` set to `value` (added when absent), the others kept in their order.
fn with_attr(e: &BytesStart, name: &str, value: &str) -> BytesStart<'static> {
    let mut out = BytesStart::new(e.name().as_ref().to_string());
    let mut found = false;
    for a in e.attributes().flatten() {
        if a.key.as_ref() == name {
            out.push_attribute((name, value));
            found = true;
        } else {
            out.push_attribute((a.key.as_ref(), a.value.as_ref()));
        }
    }
    if !found {
        out.push_attribute((name, value));
    }
    out
}

/// A cell format pointing at fill `fill`, with the fill applied.
fn with_fill(e: &BytesStart, fill: u32) -> BytesStart<'static> {
    with_attr(&with_attr(e, "fillId", &fill.to_string()), "applyFill", "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="3" fontId="1" fillId="0" borderId="1" xfId="0" applyBorder="1"><alignment horizontal="center"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn a_marked_format_copies_the_cells_own_with_the_marks_fill() {
        let mut styles = Styles::read(STYLES.as_bytes()).unwrap();
        assert!(styles.is_unchanged());
        assert_eq!(styles.marked(1), 2);
        assert_eq!(styles.marked(1), 2, "one copy per format");
        assert_eq!(styles.marked(0), 3);
        let xml = String::from_utf8(styles.write(STYLES.as_bytes()).unwrap()).unwrap();
        assert!(xml.contains(r#"<fills count="3">"#), "{xml}");
        assert!(xml.contains(r#"FFFFC7CE"#), "{xml}");
        assert!(xml.contains(r#"<cellXfs count="4">"#), "{xml}");
        assert!(
            xml.contains(r#"<xf numFmtId="3" fontId="1" fillId="2" borderId="1" xfId="0" applyBorder="1" applyFill="1"><alignment horizontal="center"/></xf>"#),
            "{xml}"
        );
    }
}
