//! Helpers the XML readers share: the nesting limit, local names, the text of an event, and bounded cell text.

use super::{ImportError, limits};
use crate::import::Words;

/// Count one more level of XML nesting, refusing past [`limits::MAX_XML_DEPTH`].
pub(crate) fn enter_element(name: &str, depth: &mut usize) -> Result<(), ImportError> {
    *depth += 1;
    if *depth > limits::MAX_XML_DEPTH {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("XML nesting deeper than {} levels", limits::MAX_XML_DEPTH),
                format!("XML 嵌套超过 {} 层", limits::MAX_XML_DEPTH),
            ),
        });
    }
    Ok(())
}

/// The local part of an element or attribute name (`c` of `x:c`). quick-xml's `local_name()` finds the colon with
/// a `char` search that costs a compare per call; readers take it for every element and attribute they see.
pub(crate) fn local_name(qname: &str) -> &str {
    // The colon is ASCII: the local part starts on a character boundary.
    &qname[qname.len() - local_part(qname.as_bytes()).len()..]
}

/// [`local_name`] of a name not yet checked to be UTF-8 (a tag seen in raw markup).
pub(crate) fn local_part(qname: &[u8]) -> &[u8] {
    qname.iter().position(|&b| b == b':').map_or(qname, |colon| &qname[colon + 1..])
}

/// The text of a `Text`, `GeneralRef` (a character or predefined entity) or `CData` event, borrowed where the
/// XML allows; `None` for other events.
pub(crate) fn event_text<'a>(event: &'a quick_xml::events::Event) -> Option<std::borrow::Cow<'a, str>> {
    into_text(event.borrow())
}

/// [`event_text`] of an event given away: what it borrows, it borrows from the XML.
pub(crate) fn into_text(event: quick_xml::events::Event<'_>) -> Option<std::borrow::Cow<'_, str>> {
    use quick_xml::events::Event;
    use std::borrow::Cow;
    match event {
        Event::Text(t) => Some(t.xml10_content()),
        Event::CData(c) => Some(c.xml10_content()),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
            _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(Cow::Borrowed),
        },
        _ => None,
    }
}

/// Append `text` to `dst` without letting `dst` grow past [`limits::MAX_CELL_TEXT`] (cut at a character boundary).
pub(crate) fn push_bounded(dst: &mut String, text: &str) {
    let room = limits::MAX_CELL_TEXT.saturating_sub(dst.len());
    if text.len() <= room {
        dst.push_str(text);
        return;
    }
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    dst.push_str(&text[..cut]);
}

/// Cut an over-long cell text at a character boundary.
pub(crate) fn bound_text(mut text: String) -> String {
    if text.len() > limits::MAX_CELL_TEXT {
        let mut cut = limits::MAX_CELL_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}
