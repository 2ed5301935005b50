//! What a file is: its bytes first (a zip, an OLE compound file, RTF, PDF, markup), its name second. Also which
//! names a folder walk reads as reports and which it counts as published forms (PDF, OFD).

/// True for a file a folder walk should read: a report extension, not an Office lock file (`~$…`), a hidden file,
/// or a repository's documentation (README.md and the like sit beside archived reports).
pub fn is_report_name(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let ext = base.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let stem = base.split('.').next().unwrap_or("").to_ascii_uppercase();
    let documentation =
        ext == "md" && matches!(stem.as_str(), "README" | "SOURCES" | "CHANGELOG" | "CONTRIBUTING" | "LICENSE");
    !base.starts_with("~$")
        && !base.starts_with('.')
        && base.contains('.')
        && !documentation
        && EXTENSIONS.contains(&ext.as_str())
}

/// The published forms of a report that gongkai does not read (the OFD some agencies put online), by name:
/// `Some("OFD")` for `报告.ofd`. A folder walk counts the files it passes over this way (see `discover::PassedOver`).
pub fn published_form(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (_, ext) = base.rsplit_once('.')?;
    ext.eq_ignore_ascii_case("ofd").then_some("OFD")
}

/// File extensions gongkai looks at when given a folder.
pub const EXTENSIONS: &[&str] =
    &["xlsx", "xlsm", "xls", "docx", "docm", "doc", "wps", "et", "pdf", "html", "htm", "shtml", "txt", "md"];

pub(crate) enum Sniffed {
    Zip,
    Cfb,
    Rtf,
    Pdf,
    Markup,
    Other,
}

pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Sniffed::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Cfb
    } else if bytes.starts_with(b"{\\rtf") {
        Sniffed::Rtf
    } else if bytes.starts_with(b"%PDF") {
        Sniffed::Pdf
    } else {
        let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'<') { Sniffed::Markup } else { Sniffed::Other }
    }
}

pub(crate) fn contains_utf16(haystack: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    haystack.windows(pattern.len()).any(|w| w == pattern.as_slice())
}
