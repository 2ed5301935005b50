//! The events of a workbook part, read by a tokeniser for the plain XML spreadsheet writers produce, or by
//! quick-xml.
//!
//! A sheet is thousands of short tags (`<c r="B5" s="3" t="s"><v>12</v></c>`), and quick-xml's reader, going through
//! one, checks each event's text is UTF-8 on its own and looks for each tag's end with a vector search set up anew:
//! that was a third of the time `check` takes over a workbook. The XML writers produce is plain: no comments, CDATA
//! or DOCTYPE, no carriage returns. [`PlainXml`] reads that form only: the part is checked as UTF-8 once, tags are
//! found with `memchr` and ended as quick-xml ends them (at the first `>` outside quotes), and the events it gives
//! are quick-xml's own types, so what reads them reads either source. At anything else it stops with
//! [`Stop::Bail`] (a comment, CDATA, a carriage return in text, a reference not closed by `;`, a stray or
//! mismatched end tag, markup cut short, a name it does not know how quick-xml would split), and the caller reads
//! the part again from its start with [`QuickEvents`]. So the result never depends on which reader read a part:
//! where `PlainXml` reads one it gives the events quick-xml gives (a property test below holds the two to it), and
//! every error message comes from quick-xml.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

/// Why the events of a part stopped before its end.
#[derive(Debug)]
pub(super) enum Stop {
    /// [`PlainXml`] met what it does not read: read the part with [`QuickEvents`].
    Bail,
    /// quick-xml found the part is not well-formed.
    Xml(quick_xml::Error),
}

/// A source of quick-xml events.
pub(super) trait Events<'a> {
    fn next_event(&mut self) -> Result<Event<'a>, Stop>;
}

/// quick-xml's reading of a part: any XML it accepts.
pub(super) struct QuickEvents<'a> {
    reader: Reader<&'a [u8]>,
}

impl<'a> QuickEvents<'a> {
    pub fn new(xml: &'a [u8]) -> Self {
        Self { reader: Reader::from_reader(xml) }
    }
}

impl<'a> Events<'a> for QuickEvents<'a> {
    fn next_event(&mut self) -> Result<Event<'a>, Stop> {
        self.reader.read_event().map_err(Stop::Xml)
    }
}

/// The tokeniser for plain XML (see the module's introduction).
pub(super) struct PlainXml<'a> {
    xml: &'a str,
    at: usize,
    /// The names of the open elements, innermost last: an end tag must close the innermost.
    open: Vec<&'a str>,
}

impl<'a> PlainXml<'a> {
    /// `Err(Stop::Bail)` when the part is not UTF-8 (quick-xml says where).
    pub fn new(xml: &'a [u8]) -> Result<Self, Stop> {
        // simdutf8 checks a sheet of Chinese text (three bytes a character) several times as fast as the standard
        // library, whose fast path is ASCII; it answers the same.
        let xml = simdutf8::basic::from_utf8(xml).map_err(|_| Stop::Bail)?;
        // quick-xml skips a byte-order mark at the start.
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        Ok(Self { xml, at: 0, open: Vec::new() })
    }

    /// The start or empty tag whose `<` is at `self.at`.
    fn tag(&mut self) -> Result<Event<'a>, Stop> {
        let rest = &self.xml[self.at + 1..];
        let bytes = rest.as_bytes();
        // quick-xml's name runs to the first XML space; a name read here stops at markup characters as well, and
        // must be followed by a space, `/` or `>`.
        let name_len = bytes.iter().position(|&b| !is_name_byte(b)).ok_or(Stop::Bail)?;
        if name_len == 0 || !(is_xml_space(bytes[name_len]) || matches!(bytes[name_len], b'/' | b'>')) {
            return Err(Stop::Bail);
        }
        let close = name_len + tag_end(&bytes[name_len..]).ok_or(Stop::Bail)?;
        let (content, empty) = match rest[..close].strip_suffix('/') {
            Some(content) => (content, true),
            None => (&rest[..close], false),
        };
        // `<a/b>`: the `/` is no empty tag's mark, and quick-xml's name would hold it.
        if name_len < content.len() && !is_xml_space(bytes[name_len]) {
            return Err(Stop::Bail);
        }
        self.at += 1 + close + 1;
        let tag = BytesStart::from_content(content, name_len);
        Ok(if empty {
            Event::Empty(tag)
        } else {
            self.open.push(&content[..name_len]);
            Event::Start(tag)
        })
    }

    /// The end tag whose `</` is at `self.at`: it must close the innermost open element, with no space before
    /// its `>`.
    fn end_tag(&mut self) -> Result<Event<'a>, Stop> {
        let name = *self.open.last().ok_or(Stop::Bail)?;
        let rest = &self.xml.as_bytes()[self.at + 2..];
        if !(rest.starts_with(name.as_bytes()) && rest.get(name.len()) == Some(&b'>')) {
            return Err(Stop::Bail);
        }
        self.open.pop();
        self.at += 2 + name.len() + 1;
        Ok(Event::End(BytesEnd::new(name)))
    }
}

/// Where a tag's text (after its `<`) ends: the first `>` outside a quoted value, as quick-xml finds it.
fn tag_end(rest: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in rest.iter().enumerate() {
        match (quote, b) {
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            _ => {}
        }
    }
    None
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A byte of a name as [`PlainXml`] reads names: anything but XML whitespace and the markup characters.
fn is_name_byte(b: u8) -> bool {
    !is_xml_space(b) && !matches!(b, b'<' | b'>' | b'/' | b'=' | b'"' | b'\'' | b'&' | b'!' | b'?')
}

impl<'a> Events<'a> for PlainXml<'a> {
    fn next_event(&mut self) -> Result<Event<'a>, Stop> {
        loop {
            let rest = &self.xml.as_bytes()[self.at..];
            return match rest {
                [] if self.open.is_empty() => Ok(Event::Eof),
                // quick-xml decides what an element left open at the end means.
                [] => Err(Stop::Bail),
                [b'<', b'/', ..] => self.end_tag(),
                // quick-xml refuses `<?>`.
                [b'<', b'?', b'>', ..] => Err(Stop::Bail),
                // The declaration and processing instructions: nothing a reader here looks at.
                [b'<', b'?', ..] => {
                    let close = memchr::memmem::find(&rest[2..], b"?>").ok_or(Stop::Bail)?;
                    self.at += 2 + close + 2;
                    continue;
                }
                [b'<', b'!', ..] | [b'<'] => Err(Stop::Bail),
                [b'<', ..] => self.tag(),
                // A reference, its own event as in quick-xml: `&amp;`, `&#20844;` (some writers put every
                // character of Chinese text this way).
                [b'&', ..] => {
                    let close = memchr::memchr3(b';', b'&', b'<', &rest[1..]).ok_or(Stop::Bail)?;
                    if close == 0 || rest[1 + close] != b';' {
                        return Err(Stop::Bail);
                    }
                    let name = &self.xml[self.at + 1..self.at + 1 + close];
                    self.at += close + 2;
                    Ok(Event::GeneralRef(BytesRef::new(name)))
                }
                _ => {
                    let end = memchr::memchr3(b'<', b'&', b'\r', rest).unwrap_or(rest.len());
                    if rest.get(end) == Some(&b'\r') {
                        return Err(Stop::Bail);
                    }
                    let text = &self.xml[self.at..self.at + end];
                    self.at += end;
                    Ok(Event::Text(BytesText::from_escaped(text)))
                }
            };
        }
    }
}

/// An attribute's text as written, without entity decoding: for the cell references, types and ranges of a sheet,
/// which hold no entities, and are read for every cell.
pub(super) fn raw_attr<'a>(e: &'a BytesStart, local: &str) -> Option<Cow<'a, str>> {
    // The plain attributes before the one sought read as quick-xml reads them: what follows it does not matter.
    let found =
        PlainAttributes::of(e).find(|a| a.as_ref().map_or(true, |(key, _)| crate::import::local_name(key) == local));
    match found {
        Some(Ok((_, value))) => Some(value.into()),
        None => None,
        Some(Err(NotPlain)) => e
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|a| crate::import::local_name(a.key.as_ref()) == local)
            .map(|a| a.value),
    }
}

/// The value of the first attribute whose qualified name `wanted` accepts, with references resolved and white
/// space normalised as quick-xml's `normalized_value` does; from the text as written when that holds neither.
pub(super) fn attr_value(e: &BytesStart, wanted: impl Fn(&str) -> bool) -> Option<String> {
    match PlainAttributes::of(e).find(|a| a.as_ref().map_or(true, |(key, _)| wanted(key))) {
        None => None,
        Some(Ok((_, value))) if !value.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r')) => Some(value.into()),
        Some(_) => e
            .attributes()
            .flatten()
            .find(|a| wanted(a.key.as_ref()))
            .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(Cow::into_owned)),
    }
}

/// Calls `each` with the local name and the text as written of every attribute of `e`, in order. When the
/// attributes are not all plain, `each` may first see some of them twice: it should keep the last value it sees.
pub(super) fn for_each_raw_attr(e: &BytesStart, mut each: impl FnMut(&str, &str)) {
    let plain =
        PlainAttributes::of(e).try_for_each(|a| a.map(|(key, value)| each(crate::import::local_name(key), value)));
    if plain.is_err() {
        e.attributes()
            .with_checks(false)
            .flatten()
            .for_each(|a| each(crate::import::local_name(a.key.as_ref()), &a.value));
    }
}

/// An attribute not written in the plain form [`PlainAttributes`] reads.
#[derive(Debug, PartialEq)]
pub(super) struct NotPlain;

/// A tag's attributes as `(name, text as written)`, when they are written the plain way every spreadsheet writer
/// uses: `name="value"` or `name='value'`, separated by XML whitespace. At any other form (spaces around `=`, an
/// unquoted or unclosed value, a value running into the next name) it yields [`NotPlain`], and the caller reads
/// the tag with quick-xml's parser, which recovers from malformed attributes in its own way. For the plain form
/// both give the same list (a property test holds them to it). Every cell has its `r`, `s` and `t`: quick-xml's
/// general iterator is a visible part of reading a workbook (bench/NOTES.md).
pub(super) struct PlainAttributes<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> PlainAttributes<'a> {
    fn of(e: &'a BytesStart) -> Self {
        Self::new(e.attributes_raw())
    }

    pub fn new(raw: &'a str) -> Self {
        Self { raw, at: 0 }
    }
}

impl<'a> Iterator for PlainAttributes<'a> {
    type Item = Result<(&'a str, &'a str), NotPlain>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let mut i = self.at;
        while bytes.get(i).copied().is_some_and(is_xml_space) {
            i += 1;
        }
        if i >= bytes.len() {
            self.at = i;
            return None;
        }
        // Past a failure the iterator stays failed.
        self.at = usize::MAX;
        let key_start = i;
        while bytes.get(i).is_some_and(|&b| !is_xml_space(b) && !matches!(b, b'=' | b'"' | b'\'' | b'<' | b'>' | b'&'))
        {
            i += 1;
        }
        let (key_end, quote) = (i, bytes.get(i + 1).copied());
        let Some(quote) = quote.filter(|q| matches!(q, b'"' | b'\'') && key_end > key_start && bytes[i] == b'=') else {
            return Some(Err(NotPlain));
        };
        let value_start = i + 2;
        // Values are short (a reference, a style number): a plain loop beats a vector search's set-up.
        let Some(length) = bytes[value_start..].iter().position(|&b| b == quote) else { return Some(Err(NotPlain)) };
        let value_end = value_start + length;
        if bytes.get(value_end + 1).is_some_and(|&b| !is_xml_space(b)) {
            return Some(Err(NotPlain));
        }
        self.at = value_end + 1;
        // Every boundary sits next to an ASCII byte: the slices are on character boundaries.
        Some(Ok((&self.raw[key_start..key_end], &self.raw[value_start..value_end])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// quick-xml's reading of a tag's attributes, as `(name, text as written)`.
    fn quick_xml_attributes(raw: &str) -> Vec<(String, String)> {
        let tag = BytesStart::from_content(format!("c{raw}"), 1);
        let mut attributes = tag.attributes();
        attributes.with_checks(false).flatten().map(|a| (a.key.as_ref().to_string(), a.value.into_owned())).collect()
    }

    fn plain(raw: &str) -> Option<Vec<(String, String)>> {
        PlainAttributes::new(raw).map(|a| a.map(|(k, v)| (k.to_string(), v.to_string())).ok()).collect()
    }

    #[test]
    fn the_attributes_writers_use_are_read_without_quick_xml() {
        let pairs = |list: &[(&str, &str)]| Some(list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        assert_eq!(plain(r#" r="A1" s="1" t="s""#), pairs(&[("r", "A1"), ("s", "1"), ("t", "s")]));
        assert_eq!(plain(" r='B2'\n\tx:t=\"inlineStr\" "), pairs(&[("r", "B2"), ("x:t", "inlineStr")]));
        assert_eq!(plain(r#" ref="A1:B2" t='a"b'"#), pairs(&[("ref", "A1:B2"), ("t", "a\"b")]));
        assert_eq!(plain(" v=\"公开&amp;\""), pairs(&[("v", "公开&amp;")]));
        assert_eq!(plain(""), pairs(&[]));
        for other in [r#" r = "A1""#, " r=A1", r#" r="A1"s="1""#, r#" r="A1"#, " r", r#" ="1""#, r#" a"b="1""#] {
            assert_eq!(plain(other), None, "{other}");
        }
        let nine: String = (0..9).map(|i| format!(" a{i}=\"{i}\"")).collect();
        assert_eq!(plain(&nine).map(|list| list.len()), Some(9));
    }

    /// The events of a part a reader looks at, written out, up to its end or the first stop.
    fn events<'a>(mut source: impl Events<'a>) -> Result<Vec<String>, Stop> {
        let mut out = Vec::new();
        loop {
            out.push(match source.next_event()? {
                Event::Start(tag) => format!("<{}|{}>", tag.name().0, tag.attributes_raw()),
                Event::Empty(tag) => format!("<{}|{}/>", tag.name().0, tag.attributes_raw()),
                Event::End(end) => format!("</{}>", end.name().0),
                Event::Eof => return Ok(out),
                other => match crate::import::into_text(other) {
                    Some(text) => format!("text {text:?}"),
                    None => continue,
                },
            });
        }
    }

    fn plain_events(xml: &str) -> Result<Vec<String>, Stop> {
        events(PlainXml::new(xml.as_bytes())?)
    }

    #[test]
    fn the_xml_writers_produce_is_read_without_quick_xml() {
        let sheet = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"x\" \
            xmlns:r=\"y\"><dimension ref=\"A1:B2\"/><sheetData><row r=\"1\" spans=\"1:2\"><c r=\"A1\" s=\"1\" t=\"s\">\
            <v>0</v></c><c r='B1' t=\"inlineStr\"><is><t xml:space=\"preserve\"> 公开 </t></is></c></row><row r=\"2\"/>\
            </sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\" /></mergeCells></worksheet>";
        let read = plain_events(sheet).unwrap_or_else(|stop| panic!("{stop:?}"));
        assert_eq!(read, events(QuickEvents::new(sheet.as_bytes())).unwrap());
        assert_eq!(read[3..6], ["<sheetData|>", "<row| r=\"1\" spans=\"1:2\">", "<c| r=\"A1\" s=\"1\" t=\"s\">"]);
        assert!(read.contains(&"text \" 公开 \"".to_string()));
        assert!(read.contains(&"<mergeCell| ref=\"A1:B1\" />".to_string()), "{read:?}");
    }

    #[test]
    fn what_the_tokeniser_does_not_read_goes_to_quick_xml() {
        for xml in [
            "<a><!-- note --></a>",
            "<a><![CDATA[1]]></a>",
            "<!DOCTYPE a><a/>",
            "<a>x & y</a>",
            "<a>&amp</a>",
            "<a>&;</a>",
            "<a>&a&b;</a>",
            "<a>1\r\n2</a>",
            "<a></b>",
            "<a></a ></a>",
            "</a>",
            "<a>",
            "<a",
            "<",
            "< a/>",
            "<a/ b=\"1\">",
            "<?pi",
            "<?><?xml version=\"1.0\"?>",
        ] {
            assert!(matches!(plain_events(xml), Err(Stop::Bail)), "{xml}");
        }
        assert!(matches!(PlainXml::new(b"<a>\xff</a>"), Err(Stop::Bail)), "not UTF-8");
        // Attributes are quick-xml's to read, in whatever form: the tokeniser only finds where the tag ends.
        for xml in ["<a b = \"1\"/>", "<a b=1/>", "<a b=\">\" c='/>'>x</a>", "<t>&#20844;&#x5F00; &amp;&unknown;</t>"] {
            assert_eq!(plain_events(xml).unwrap(), events(QuickEvents::new(xml.as_bytes())).unwrap(), "{xml}");
        }
    }

    /// Well-formed element trees with the names, attributes and text of sheets, and some that are not plain.
    fn nested_elements() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let names = proptest::sample::select(vec!["c", "v", "x:c", "row", "is", "t"]);
        let attributes = proptest::sample::select(vec![
            "",
            " r=\"A1\"",
            " r='B2' t=\"s\"",
            "\n\ts=\"1\"",
            " b = \"1\"",
            " b=\">\"",
            " b='/>'",
            " ",
            " a=\"&amp;\"",
        ]);
        let leaf = prop_oneof![
            proptest::sample::select(vec![
                "12", " ", "\n  ", "公开", "a>b", "]]>", "\"q\"", "x'y", "&amp;", "&#20844;", "&#x5F00;", "&foo;",
            ])
            .prop_map(str::to_string),
            (names.clone(), attributes.clone()).prop_map(|(n, a)| format!("<{n}{a}/>")),
            Just("<?xml version=\"1.0\" standalone=\"yes\"?>".to_string()),
        ];
        leaf.prop_recursive(4, 48, 5, move |inner| {
            (names.clone(), attributes.clone(), proptest::collection::vec(inner, 0..5))
                .prop_map(|(n, a, children)| format!("<{n}{a}>{}</{n}>", children.concat()))
        })
    }

    #[test]
    fn attribute_values_resolve_references_and_normalise_white_space() {
        let tag = BytesStart::from_content(
            "c r=\"a&amp;b\" s=\"x\ny\r\nz\" tab=\"a\tb\" t='公&#24320;' x:id=\"rId1\" u=\"plain\"",
            1,
        );
        let value = |name: &str| attr_value(&tag, |key| crate::import::local_name(key) == name);
        assert_eq!(value("r").as_deref(), Some("a&b"));
        assert_eq!(value("s").as_deref(), Some("x y z"));
        assert_eq!(value("tab").as_deref(), Some("a b"));
        assert_eq!(value("t").as_deref(), Some("公开"));
        assert_eq!(value("id").as_deref(), Some("rId1"));
        assert_eq!(value("u").as_deref(), Some("plain"));
        assert_eq!(value("v"), None);
    }

    proptest::proptest! {
        #[test]
        fn plain_attributes_read_as_quick_xml_reads_them(pieces in proptest::collection::vec(proptest::sample::select(vec![
            " ", "\t", "\n", "=", "\"", "'", "r", "x:", "A1", "&amp;", "<", ">", "/", "公", r#" r="A1""#, " s='1'", r#"t="s""#,
            "&#20844;", "&bad;", "\r\n",
        ]), 0..10)) {
            let raw = pieces.concat();
            let by_quick_xml = quick_xml_attributes(&raw);
            if let Some(list) = plain(&raw) {
                proptest::prop_assert_eq!(&list, &by_quick_xml, "{:?}", raw);
            }
            // Plain or not, the readers built on it find what quick-xml finds: the first of a name, or the last.
            let tag = BytesStart::from_content(format!("c{raw}"), 1);
            for name in ["r", "s", "t"] {
                let local = |(key, _): &&(String, String)| crate::import::local_name(key) == name;
                let first = by_quick_xml.iter().find(local).map(|(_, value)| value.as_str());
                let found = raw_attr(&tag, name);
                proptest::prop_assert_eq!(found.as_deref(), first, "{:?}", raw);
                let mut last = None;
                for_each_raw_attr(&tag, |key, value| if key == name { last = Some(value.to_string()) });
                proptest::prop_assert_eq!(last.as_deref(), by_quick_xml.iter().rfind(local).map(|(_, v)| v.as_str()));
                let normalised = tag
                    .attributes()
                    .flatten()
                    .find(|a| crate::import::local_name(a.key.as_ref()) == name)
                    .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(Cow::into_owned));
                proptest::prop_assert_eq!(attr_value(&tag, |key| crate::import::local_name(key) == name), normalised);
            }
        }

        #[test]
        fn attribute_lists_of_the_plain_form_are_read(list in proptest::collection::vec(
            ("[a-z]{1,3}(:[a-z]{1,2})?", "[^\"]{0,6}", "[ \t\n]{1,2}"), 0..8)
        ) {
            let raw: String = list.iter().map(|(key, value, space)| format!("{space}{key}=\"{value}\"")).collect();
            let expected: Vec<(String, String)> = list.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
            proptest::prop_assert_eq!(plain(&raw), Some(expected.clone()));
            proptest::prop_assert_eq!(quick_xml_attributes(&raw), expected);
        }

        #[test]
        fn where_the_tokeniser_reads_a_part_it_gives_quick_xml_events(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "<c>", "</c>", "<v>", "</v>", "<x:c r=\"A1\" t=\"s\">", "</x:c>", "<c/>", "<c r='B2' />", "<row r=\"1\">",
                "</row>", "12", " ", "\n", "\r\n", "公开", "&amp;", "&#49;", "<!-- x -->", "<![CDATA[a]]>",
                "<?xml version=\"1.0\"?>", "<", ">", "/", "\"", "'", "=", "?>", "<c r=\"a>b\">", "<c r = \"1\">", "</c >",
                "\u{feff}", "<a\tb='1'\n/>", "<c/ >", "<=>", "<?>", "<??>", "<a/b>", "</c\n>", "\t", "<v/>", "</v>", "]]>",
            ]),
            0..24,
        )) {
            let xml = pieces.concat();
            if let Ok(read) = plain_events(&xml) {
                let by_quick_xml = events(QuickEvents::new(xml.as_bytes()));
                proptest::prop_assert!(by_quick_xml.is_ok(), "{:?}: quick-xml finds an error", xml);
                proptest::prop_assert_eq!(read, by_quick_xml.unwrap(), "{:?}", xml);
            }
        }

        #[test]
        fn well_formed_cells_are_read_without_quick_xml(cells in proptest::collection::vec(
            ("[A-C][1-9]", proptest::option::of("[sbn]"), "[0-9]{0,4}", "[ \t\n]{0,2}"), 0..12,
        )) {
            let body: String = cells.iter().map(|(at, kind, value, space)| {
                let kind = kind.as_ref().map(|k| format!(" t=\"{k}\"")).unwrap_or_default();
                format!("<c r=\"{at}\"{kind}>{space}<v>{value}</v></c>{space}")
            }).collect();
            let xml = format!("<worksheet><sheetData><row r=\"1\">{body}</row></sheetData></worksheet>");
            let read = plain_events(&xml);
            proptest::prop_assert!(read.is_ok(), "{:?}", xml);
            proptest::prop_assert_eq!(read.unwrap(), events(QuickEvents::new(xml.as_bytes())).unwrap());
        }

        #[test]
        fn nested_elements_read_as_quick_xml_reads_them(
            tree in nested_elements(),
            corruption in proptest::option::of((proptest::sample::select(vec![
                "<", ">", "/", "\"", "'", "&", "\r", "</c>", "<c>", "<!--", "?>", "<?", "=",
            ]), 0usize..200)),
        ) {
            let mut xml = tree;
            if let Some((piece, at)) = corruption {
                let at = (0..=at.min(xml.len())).rev().find(|&i| xml.is_char_boundary(i)).unwrap_or(0);
                xml.insert_str(at, piece);
            }
            if let Ok(read) = plain_events(&xml) {
                let by_quick_xml = events(QuickEvents::new(xml.as_bytes()));
                proptest::prop_assert!(by_quick_xml.is_ok(), "{:?}: quick-xml finds an error", xml);
                proptest::prop_assert_eq!(read, by_quick_xml.unwrap(), "{:?}", xml);
            }
        }
    }
}
