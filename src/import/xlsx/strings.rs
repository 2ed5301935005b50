//! The shared strings of a workbook, and the text of a string item (`<si>`, or a cell's inline `<is>`).

use quick_xml::events::Event;

use super::plain_xml::{Events, PlainXml, QuickEvents, Stop};
use crate::import::{into_text, limits, local_name, push_bounded};

/// Collects the text of `<t>` elements of one string item (`<si>` or `<is>`), skipping phonetic runs.
#[derive(Default)]
pub(super) struct StringItem {
    text: String,
    in_t: bool,
    in_phonetic: bool,
}

impl StringItem {
    pub(super) fn start(&mut self, local: &str) {
        match local {
            "t" if !self.in_phonetic => self.in_t = true,
            "rPh" => self.in_phonetic = true,
            _ => {}
        }
    }
    pub(super) fn end(&mut self, local: &str) {
        match local {
            "t" => self.in_t = false,
            "rPh" => self.in_phonetic = false,
            _ => {}
        }
    }
    pub(super) fn push(&mut self, text: &str) {
        if self.in_t {
            push_bounded(&mut self.text, text);
        }
    }
    pub(super) fn take(&mut self) -> String {
        self.in_t = false;
        self.in_phonetic = false;
        decode_escapes(std::mem::take(&mut self.text))
    }
}

pub(super) fn shared_strings(xml: &[u8]) -> Result<Vec<String>, quick_xml::Error> {
    if let Ok(plain) = PlainXml::new(xml) {
        match shared_strings_from(plain) {
            Err(Stop::Bail) => {}
            Err(Stop::Xml(e)) => return Err(e),
            Ok(list) => return Ok(list),
        }
    }
    match shared_strings_from(QuickEvents::new(xml)) {
        Err(Stop::Xml(e)) => Err(e),
        // Only `PlainXml` bails.
        Err(Stop::Bail) => Ok(Vec::new()),
        Ok(list) => Ok(list),
    }
}

fn shared_strings_from<'a>(mut events: impl Events<'a>) -> Result<Vec<String>, Stop> {
    let mut out = Vec::new();
    let mut item: Option<StringItem> = None;
    loop {
        // Past the limit the caller refuses the workbook: stop before holding more.
        if out.len() > limits::MAX_ITEMS {
            return Ok(out);
        }
        match events.next_event()? {
            Event::Start(e) => match local_name(e.name().0) {
                "si" => item = Some(StringItem::default()),
                local => {
                    if let Some(i) = item.as_mut() {
                        i.start(local);
                    }
                }
            },
            Event::Empty(e) if local_name(e.name().0) == "si" => out.push(String::new()),
            Event::End(e) => match local_name(e.name().0) {
                "si" => out.push(item.take().map(|mut i| i.take()).unwrap_or_default()),
                local => {
                    if let Some(i) = item.as_mut() {
                        i.end(local);
                    }
                }
            },
            Event::Eof => return Ok(out),
            other => {
                if let (Some(i), Some(text)) = (item.as_mut(), into_text(other)) {
                    i.push(&text);
                }
            }
        }
    }
}

/// Decode the `_xHHHH_` escapes OOXML uses for characters XML cannot hold (e.g. `_x000D_` for a carriage return).
pub(super) fn decode_escapes(text: String) -> String {
    if !text.contains("_x") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let hex = tail.get(2..6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match (hex, tail.as_bytes().get(6)) {
            (Some(h), Some(b'_')) => {
                if let Some(c) = u32::from_str_radix(h, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
                rest = &tail[7..];
            }
            _ => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_others_stay() {
        assert_eq!(decode_escapes("a_x000D_b".into()), "a\rb");
        assert_eq!(decode_escapes("_x4E2D_文".into()), "中文");
        assert_eq!(decode_escapes("file_xname_".into()), "file_xname_");
    }

    #[test]
    fn rich_text_joins_runs_and_drops_phonetic_guides() {
        let xml = r#"<sst xmlns="x"><si><r><t>本年</t></r><r><t xml:space="preserve">新收 </t></r><rPh sb="0" eb="1"><t>ben</t></rPh></si><si/><si><t>a&amp;b</t></si></sst>"#;
        assert_eq!(
            shared_strings(xml.as_bytes()).unwrap(),
            vec!["本年新收 ".to_string(), String::new(), "a&b".to_string()]
        );
    }
}
