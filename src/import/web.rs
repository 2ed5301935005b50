//! What web pages and their text dumps share: decoding a page's bytes (BOM, declared charset, UTF-8, GB18030),
//! telling binary junk from text, and reading the page's publication date (发布时间). The HTML reader and the text
//! reader both stand on this module; neither uses the other.

/// Refuse a page or text dump over the size limit, naming what it is (`HTML`/`网页`, `text`/`文本`).
pub(crate) fn within_limit(name: &str, bytes: &[u8], what_en: &str, what_zh: &str) -> Result<(), super::ImportError> {
    use super::limits::MAX_HTML_BYTES;
    if bytes.len() as u64 <= MAX_HTML_BYTES {
        return Ok(());
    }
    let (mib, max) = (bytes.len() / 1024 / 1024, MAX_HTML_BYTES / 1024 / 1024);
    Err(super::ImportError::Limit {
        path: name.to_string(),
        limit: super::Words::owned(
            format!("{mib} MiB of {what_en}, more than {max} MiB"),
            format!("{what_zh} {mib} MiB，超过 {max} MiB"),
        ),
    })
}

/// Decode page bytes: BOM, then a declared charset, then UTF-8, then GB18030.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head_text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if let Some(pos) = head_text.find("charset=") {
        let label: String = head_text[pos + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return enc.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (gb, _, gb_errors) = encoding_rs::GB18030.decode(bytes);
            if gb_errors { String::from_utf8_lossy(bytes).into_owned() } else { gb.into_owned() }
        }
    }
}

/// True for text that cannot be a web page or a text dump: NUL bytes or mostly control characters.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head.iter().filter(|b| **b < 0x09 || (**b > 0x0d && **b < 0x20)).count();
    controls * 20 > head.len()
}

/// A page date `发布时间:2024-01-30` / `发布日期：2024年1月30日` as `2024-01-30`.
pub(crate) fn page_date(line: &str) -> Option<String> {
    let pos = line.find("发布时间").or_else(|| line.find("发布日期"))?;
    let rest = &line[pos + "发布时间".len()..];
    let digits: Vec<u32> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    match digits[..] {
        [y, m, d] if (1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) => {
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_dates() {
        assert_eq!(page_date("发布时间:2024-01-30   浏览次数:4234次").as_deref(), Some("2024-01-30"));
        assert_eq!(page_date("发布日期：2020年1月31日").as_deref(), Some("2020-01-31"));
        assert_eq!(page_date("发布时间: 2020-01-20 15:22").as_deref(), Some("2020-01-20"));
        assert_eq!(page_date("没有日期"), None);
    }
}
