//! Text and number normalisation shared by every importer and the recogniser.
//!
//! Owns the one label normaliser of FORMAT.md §5.2 and the one cell-value parser of FORMAT.md §2
//! (blank/placeholder policy, full-width digits, thousands separators, unit suffixes). Importers must not
//! compare labels or parse numbers themselves: they hand raw text to the recogniser, which calls this.

mod date;

pub use date::{date_line, days_apart, garbled_date};
use unicode_normalization::UnicodeNormalization;

/// Normalise a label or heading for comparison (FORMAT.md §5.2).
///
/// NFKC, full-width brackets and punctuation to ASCII, every kind of whitespace deleted, quotation marks
/// deleted, and the bracket pairs `〔〕[]【】` folded to `[]`.
///
/// ```
/// assert_eq!(gongkai::normalize::label("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
/// assert_eq!(gongkai::normalize::label("第二十条第（一）项"), "第二十条第(一)项");
/// assert_eq!(gongkai::normalize::label("商业\n企业"), "商业企业");
/// ```
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Labels are nearly always made of characters whose NFKC form is known without the tables; else the quick
    // check spares the decomposition when the text is in NFKC form already.
    if text.chars().all(|c| simple_nfkc(c).is_some()) {
        out.extend(text.chars().filter_map(|c| simple_nfkc(c).and_then(fold_char)));
    } else if unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        out.extend(text.chars().filter_map(fold_char));
    } else {
        out.extend(text.nfkc().filter_map(fold_char));
    }
    article_20_item(out)
}

/// `第二十条第一项` is the same block as `第二十条第(一)项`: the last step of [`label`].
fn article_20_item(folded: String) -> String {
    if let Some(rest) = folded.strip_prefix("第二十条第")
        && let Some(num) = rest.strip_suffix('项')
        && !num.starts_with('(')
        && num.chars().count() == 1
    {
        return format!("第二十条第({num})项");
    }
    folded
}

/// [`label`], borrowing the text when it is its own label (no spaces, quotes, full-width or compatibility
/// characters): most cells of a table are, and the recogniser normalises every cell.
pub fn label_cow(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if text.starts_with("第二十条第") {
        return Cow::Owned(label(text));
    }
    // One pass up to the first character that changes, stepping over ideographs and plain ASCII on their bytes
    // (most of a report's text) and decoding only the rest; from there, [`label`]'s simple fold of the rest when
    // its characters allow it (a label that changes mostly has a full-width bracket or a space), else `label`.
    let Some(first_change) = first_label_change(text) else {
        return Cow::Borrowed(text);
    };
    let (kept, rest) = text.split_at(first_change);
    let mut out = String::with_capacity(text.len());
    out.push_str(kept);
    for c in rest.chars() {
        match simple_nfkc(c) {
            Some(n) => out.extend(fold_char(n)),
            None => return Cow::Owned(label(text)),
        }
    }
    Cow::Owned(article_20_item(out))
}

/// Where the first character that [`label`] changes starts in `text`, if one does.
fn first_label_change(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            // ASCII: only whitespace and quotation marks change.
            0x00..=0x7F if char::from(b).is_whitespace() || b == b'"' || b == b'\'' => return Some(i),
            0x00..=0x7F => i += 1,
            // CJK unified ideographs U+4E00–U+9FFF, which map to themselves: lead byte E5–E9, or E4 with a second
            // byte from B8 (E4 B8 80 is U+4E00; below it are U+4000–U+4DFF).
            0xE5..=0xE9 => i += 3,
            0xE4 if bytes.get(i + 1).is_some_and(|&second| second >= 0xB8) => i += 3,
            _ => {
                let c = text[i..].chars().next()?;
                if simple_nfkc(c) != Some(c) || fold_char(c) != Some(c) {
                    return Some(i);
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// NFKC of the characters report labels are made of, without the normalisation tables: ASCII, the CJK unified
/// ideographs and CJK punctuation map to themselves, full-width ASCII (`（`, `１`) to ASCII and the ideographic
/// space to a space. `None` for any other character: the caller then runs the full normalisation.
fn simple_nfkc(c: char) -> Option<char> {
    match c {
        c if c.is_ascii() => Some(c),
        '\u{4E00}'..='\u{9FFF}' => Some(c),
        '、' | '。' | '“' | '”' | '‘' | '’' | '《' | '》' | '〔' | '〕' | '【' | '】' | '「' | '」' | '—' => {
            Some(c)
        }
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// One character of a label after NFKC, as [`label`] folds it: `None` for characters that are dropped
/// (whitespace and quotation marks).
pub fn fold_char(ch: char) -> Option<char> {
    match ch {
        // Most of a report's characters: first, so that they skip the Unicode whitespace lookup.
        '\u{4E00}'..='\u{9FFF}' => Some(ch),
        c if c.is_whitespace() => None,
        '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' => None,
        '（' => Some('('),
        '）' => Some(')'),
        '，' => Some(','),
        '：' => Some(':'),
        '〔' | '【' | '[' => Some('['),
        '〕' | '】' | ']' => Some(']'),
        '．' => Some('.'),
        c => Some(c),
    }
}

/// `text` without its whitespace (every Unicode kind), borrowed when it has none. Report text is mostly CJK, whose
/// bytes never start a whitespace character: the scan stops only at ASCII controls and spaces and at the lead bytes
/// of the few non-ASCII whitespace characters (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000), and matches those
/// on their bytes without decoding a character.
pub fn without_whitespace(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut kept_from = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| MAY_START_WHITESPACE[usize::from(b)]) {
        let at = i + offset;
        match whitespace_len(&bytes[at..]) {
            0 => i = at + 1,
            len => {
                out.push_str(&text[kept_from..at]);
                kept_from = at + len;
                i = kept_from;
            }
        }
    }
    if kept_from == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[kept_from..]);
    std::borrow::Cow::Owned(out)
}

/// The bytes a whitespace character (`char::is_whitespace`) can start with.
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x09;
    while b <= 0x0D {
        table[b] = true;
        b += 1;
    }
    table[0x20] = true;
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table
};

/// The length in bytes of the whitespace character `bytes` starts with, 0 when it starts with something else.
fn whitespace_len(bytes: &[u8]) -> usize {
    match bytes {
        [0x09..=0x0D | 0x20, ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        // U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// A label with its leading enumerator removed: `(三)不予公开` → `不予公开`, `1.属于国家秘密` → `属于国家秘密`,
/// `一、本年新收…` → `本年新收…`. Used to accept labels whose numbering was dropped or changed.
pub fn label_core(normalized: &str) -> &str {
    let s = normalized;
    // (一) … (十)
    if let Some(rest) = s.strip_prefix('(')
        && let Some(close) = rest.find(')')
        && rest[..close].chars().all(is_chinese_numeral)
        && close > 0
    {
        return &rest[close + 1..];
    }
    // 一、 … 十、
    let numeral_len: usize = s.chars().take_while(|c| is_chinese_numeral(*c)).map(char::len_utf8).sum();
    if numeral_len > 0 && s[numeral_len..].starts_with('、') {
        return &s[numeral_len + '、'.len_utf8()..];
    }
    // 1. 1、
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &s[digits..];
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix('、')) {
            return r;
        }
    }
    s
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// What a value cell holds, after the policy of FORMAT.md §2.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Parsed {
    /// Empty or whitespace only (including the U+3000 spaces WPS templates leave in cells).
    Blank,
    /// `/`, `—`, `－`, `-`, `无` and similar: "nothing to report", read as 0 by the rules.
    Placeholder,
    /// A number. `clean` is false when the text needed normalising (full-width digits, thousands separators,
    /// a number stored as text in a spreadsheet, a unit suffix); `unit` is the suffix that was stripped.
    Number {
        value: f64,
        clean: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// Anything else: text where a number belongs.
    Text,
}

impl Parsed {
    /// The number this cell holds, if any.
    pub fn number(&self) -> Option<f64> {
        match self {
            Parsed::Number { value, .. } => Some(*value),
            _ => None,
        }
    }
}

const PLACEHOLDERS: &[&str] = &["/", "-", "—", "－", "–", "--", "——", "—-", "无", "/无", "\\", "空"];
const UNITS: &[&str] = &["万元", "元", "件", "个", "项", "人次", "次", "宗", "人"];

/// The plausible years (1990–2100) a text names as four ASCII digits followed by 年, in order.
pub fn years_in(text: &str) -> impl Iterator<Item = i32> + '_ {
    // Each 年 with four ASCII digits before it (bytes, as the digits are ASCII: no allocation per window).
    text.match_indices('年').filter_map(|(at, _)| {
        let digits = text.as_bytes().get(at.checked_sub(4)?..at)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let year = digits.iter().fold(0i32, |y, d| y * 10 + i32::from(d - b'0'));
        (1990..=2100).contains(&year).then_some(year)
    })
}

/// Parse the text of a value cell.
///
/// ```
/// use gongkai::normalize::{parse_value, Parsed};
/// assert_eq!(parse_value("12").number(), Some(12.0));
/// assert_eq!(parse_value("１，２３４").number(), Some(1234.0));
/// assert_eq!(parse_value("　　"), Parsed::Blank);
/// assert_eq!(parse_value("—"), Parsed::Placeholder);
/// assert_eq!(parse_value("若干"), Parsed::Text);
/// ```
pub fn parse_value(raw: &str) -> Parsed {
    // Most cells are plain ASCII ("17", "/"), whose NFKC form is themselves.
    let text: std::borrow::Cow<str> = if raw.bytes().all(|b| b.is_ascii_graphic()) {
        std::borrow::Cow::Borrowed(raw)
    } else if raw.chars().all(|c| simple_nfkc(c).is_some()) {
        // A label ("其中：法人") holds a character no value, placeholder or unit is made of: it is text, and
        // there is nothing to normalise.
        if !raw.chars().filter_map(simple_nfkc).all(may_be_in_value) {
            return Parsed::Text;
        }
        raw.chars().filter_map(simple_nfkc).filter(|c| !c.is_whitespace()).collect::<String>().into()
    } else {
        raw.nfkc().filter(|c| !c.is_whitespace()).collect::<String>().into()
    };
    if text.is_empty() {
        return Parsed::Blank;
    }
    if PLACEHOLDERS.contains(&text.as_ref()) {
        return Parsed::Placeholder;
    }
    let mut body = text.as_ref();
    let mut unit = None;
    for u in UNITS {
        if let Some(stripped) = body.strip_suffix(u)
            && !stripped.is_empty()
        {
            body = stripped;
            unit = Some((*u).to_string());
            break;
        }
    }
    match parse_number(body) {
        Some((value, plain)) => {
            let clean = plain && unit.is_none() && text == raw;
            Parsed::Number { value, clean, unit }
        }
        None => Parsed::Text,
    }
}

/// Whether a character (after NFKC) can be part of a number, a placeholder or a unit.
fn may_be_in_value(c: char) -> bool {
    // The characters of PLACEHOLDERS and UNITS spelled out (a test holds them to those lists): a search of each unit
    // for each character of every label would be most of the parse.
    c.is_ascii_digit()
        || matches!(c, '+' | '-' | '.' | ',' | '/' | '\\' | '—' | '－' | '–' | '无' | '空')
        || matches!(c, '万' | '元' | '件' | '个' | '项' | '人' | '次' | '宗')
        || c.is_whitespace()
}

/// A decimal number with an optional sign and thousands separators. Returns the value and whether it was
/// written plainly (no separators, no plus sign).
fn parse_number(s: &str) -> Option<(f64, bool)> {
    // The minus sign as typeset (−, U+2212, which NFKC keeps) is a sign as `-` is.
    let first = s.chars().next()?;
    let (sign, digits) = match first {
        '+' => (1.0, &s[1..]),
        '-' | '−' | '﹣' => (-1.0, &s[first.len_utf8()..]),
        _ => (1.0, s),
    };
    if digits.is_empty() {
        return None;
    }
    // Nearly every count is a run of ASCII digits: parsed in place, without building a cleaned copy.
    if digits.len() < 16 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let value = digits.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0')) as f64;
        return Some((sign * value, !s.starts_with('+')));
    }
    let mut plain = !s.starts_with('+');
    let mut cleaned = String::new();
    let mut seen_dot = false;
    let mut group_len = 0usize;
    let mut seen_sep = false;
    for (i, ch) in digits.chars().enumerate() {
        match ch {
            '0'..='9' => {
                cleaned.push(ch);
                group_len += 1;
            }
            ',' if !seen_dot && i > 0 => {
                // Thousands separator: groups after the first one are exactly three digits.
                if seen_sep && group_len != 3 {
                    return None;
                }
                seen_sep = true;
                plain = false;
                group_len = 0;
            }
            '.' if !seen_dot => {
                if seen_sep && group_len != 3 {
                    return None;
                }
                seen_dot = true;
                seen_sep = false;
                group_len = 0;
                cleaned.push('.');
            }
            _ => return None,
        }
    }
    if seen_sep && group_len != 3 {
        return None;
    }
    if cleaned.ends_with('.') || cleaned.starts_with('.') {
        return None;
    }
    let value: f64 = cleaned.parse().ok()?;
    value.is_finite().then_some((sign * value, plain))
}

/// Format a number the way a clerk writes it: integers without a decimal point.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let s = format!("{value:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_minus_sign_makes_a_negative_count_and_a_lone_dash_is_blank() {
        for raw in ["-1", "－1", "−1", "﹣1", " − 1 "] {
            assert!(matches!(parse_value(raw), Parsed::Number { value, .. } if value == -1.0), "{raw}");
        }
        for raw in ["-", "—", "－"] {
            assert!(!matches!(parse_value(raw), Parsed::Number { .. }), "{raw}");
        }
    }

    #[test]
    fn every_character_of_a_unit_or_placeholder_may_be_in_a_value() {
        for c in UNITS.iter().chain(PLACEHOLDERS).flat_map(|u| u.chars()) {
            assert!(may_be_in_value(c), "{c}");
        }
        assert!(!may_be_in_value('商'));
    }

    #[test]
    fn the_borrowed_label_is_the_label() {
        for text in
            ["自然人", "17", "（一）予以公开", "第二十条第一项", "“三安全一稳定”", "a b", "１２", "⑴", "总计", ""]
                .into_iter()
                .chain(["'5'", "\"x\"", "1\t2", "[a]", "a\u{b}b", "a\u{1c}b"])
        {
            assert_eq!(label_cow(text), label(text), "{text}");
        }
        assert!(matches!(label_cow("法人或其他组织"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn the_table_free_nfkc_agrees_with_nfkc() {
        let sample = (0u32..0x80)
            .chain(0x4E00..0xA000)
            .chain(0xFF01..0xFF5F)
            .chain("、。“”‘’《》〔〕【】「」—\u{3000}".chars().map(u32::from));
        for c in sample.filter_map(char::from_u32) {
            let full: String = c.to_string().nfkc().collect();
            assert_eq!(simple_nfkc(c).map(String::from), Some(full), "U+{:04X}", c as u32);
        }
        assert_eq!(simple_nfkc('\u{F900}'), None, "compatibility ideographs take the full path");
    }

    /// `parse_value` as it was before its shortcuts: NFKC always, then the same steps.
    fn parse_value_by_nfkc(raw: &str) -> Parsed {
        let text: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Parsed::Blank;
        }
        if PLACEHOLDERS.contains(&text.as_str()) {
            return Parsed::Placeholder;
        }
        let (body, unit) = UNITS
            .iter()
            .find_map(|u| text.strip_suffix(u).filter(|b| !b.is_empty()).map(|b| (b, Some(u.to_string()))))
            .unwrap_or((text.as_str(), None));
        match parse_number(body) {
            Some((value, plain)) => Parsed::Number { value, clean: plain && unit.is_none() && text == raw, unit },
            None => Parsed::Text,
        }
    }

    proptest::proptest! {
        #[test]
        fn the_borrowed_label_is_the_label_whatever_the_text(
            text in "(第二十条第|自然人|项|一|（|）|“|”|　| |１|⑴|㈠|ｶ|〔|】|a|7|'|\u{4dff}|\u{3400}|\u{4e00}|\u{9fff}|\u{a000}|\u{f900}|é|\t){0,8}"
        ) {
            let (borrowed, owned) = (label_cow(&text), label(&text));
            proptest::prop_assert_eq!(borrowed.as_ref(), owned.as_str());
        }

        #[test]
        fn whitespace_goes_as_char_is_whitespace_says(text in "\\PC*|[ \t\n\u{b}\u{c}\u{d}\u{1c}\u{85}\u{84}\u{a0}\u{a1}\u{1680}\u{1681}\u{2000}-\u{200b}\u{2027}-\u{2030}\u{205e}-\u{2060}\u{3000}-\u{3002}a中]{0,12}") {
            let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let stripped = without_whitespace(&text);
            proptest::prop_assert_eq!(stripped.as_ref(), expected.as_str());
        }

        #[test]
        fn the_shortcuts_of_parse_value_change_nothing(
            raw in "[0-9０-９+\\-－–—.,，/\\\\ 　\t无空万元件个项人次宗其他中a-z（）:、]{0,8}"
        ) {
            proptest::prop_assert_eq!(parse_value(&raw), parse_value_by_nfkc(&raw), "{:?}", raw);
        }
    }

    use super::*;

    #[test]
    fn labels_fold_brackets_and_quotes() {
        assert_eq!(
            label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
        );
        assert_eq!(label("国办函〔2020〕109号"), label("国办函[2020]109号"));
        assert_eq!(label("第二十条第一项"), "第二十条第(一)项");
        assert_eq!(label(" 规　章 "), "规章");
    }

    #[test]
    fn core_strips_enumerators() {
        assert_eq!(label_core("(三)不予公开"), "不予公开");
        assert_eq!(label_core("一、本年新收政府信息公开申请数量"), "本年新收政府信息公开申请数量");
        assert_eq!(label_core("3.其他"), "其他");
        assert_eq!(label_core("12、其他"), "其他");
        assert_eq!(label_core("其他"), "其他");
    }

    #[test]
    fn digit_runs_parse_as_the_standard_library_does() {
        for s in ["0", "7", "007", "12", "999999999999999", "123456789012345", "1000000", "0000000000000001"] {
            for signed in [s.to_string(), format!("-{s}"), format!("+{s}")] {
                let expected: f64 = signed.trim_start_matches('+').parse().unwrap();
                assert_eq!(parse_number(&signed), Some((expected, !signed.starts_with('+'))), "{signed}");
            }
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_value("0"), Parsed::Number { value: 0.0, clean: true, unit: None });
        assert_eq!(parse_value("333.45").number(), Some(333.45));
        assert_eq!(parse_value("+1036").number(), Some(1036.0));
        assert_eq!(parse_value("-1").number(), Some(-1.0));
        assert_eq!(parse_value("1,234,567").number(), Some(1234567.0));
        assert_eq!(parse_value("12,34"), Parsed::Text);
        assert_eq!(parse_value("251000元"), Parsed::Number { value: 251000.0, clean: false, unit: Some("元".into()) });
        assert_eq!(parse_value("３"), Parsed::Number { value: 3.0, clean: false, unit: None });
        assert_eq!(parse_value("无"), Parsed::Placeholder);
        assert_eq!(parse_value("1.2.3"), Parsed::Text);
        assert_eq!(parse_value("."), Parsed::Text);
        assert_eq!(parse_value("元"), Parsed::Text);
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(333.45), "333.45");
    }
}
