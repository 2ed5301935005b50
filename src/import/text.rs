//! Text dumps (`.txt`, `.md`) → lines.
//!
//! Web archives keep reports as text: one cell per line, pipe-separated rows, markdown tables split across pages,
//! or cells run together with no separator at all. This module only decodes the text, drops crawler headers and page
//! furniture, keeps the page's 发布时间, and hands the lines on; the recogniser reads the tables out of the line stream
//! (pipes, spaces and line breaks all separate cells there).

use super::{ImportError, bound_text, limits};
use crate::raw::{InputKind, Paragraph, RawDocument};

/// Crawler and page furniture lines that are not part of the report.
const FURNITURE: &[&str] = &[
    "浏览次数",
    "【字体",
    "附件下载",
    "相关链接",
    "打印本页",
    "关闭窗口",
    "页面链接与图片详见",
    "原文链接:",
    "原文链接：",
    "本地目录:",
    "本地目录：",
    "栏目:",
    "栏目：",
    "====",
];

/// A page date `发布时间:2024-01-30` / `发布日期：2024年1月30日` as `2024-01-30`.
pub fn page_date(line: &str) -> Option<String> {
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

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    if bytes.len() as u64 > limits::MAX_HTML_BYTES {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!(
                "{} MiB of text, more than {} MiB",
                bytes.len() / 1024 / 1024,
                limits::MAX_HTML_BYTES / 1024 / 1024
            ),
        });
    }
    let text = super::html::decode(bytes);
    let mut paragraphs = Vec::new();
    let mut published = None;
    let mut title = None;
    for (i, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim_matches(|c: char| c.is_whitespace());
        if line.is_empty() {
            continue;
        }
        if published.is_none() {
            published = page_date(line);
        }
        if title.is_none()
            && let Some(t) = line.strip_prefix("标题:").or_else(|| line.strip_prefix("标题："))
        {
            title = Some(t.trim().to_string());
            continue;
        }
        if (FURNITURE.iter().any(|f| line.contains(f))
            || line.starts_with("发布时间")
            || line.starts_with("文号:")
            || line.starts_with("发布机构:"))
            && line.chars().count() < 120
        {
            continue;
        }
        let line = without_heading_marks(line);
        if line.is_empty() {
            continue;
        }
        paragraphs.push(Paragraph { text: bound_text(line.to_string()), origin: format!("第{}行", i + 1) });
    }
    Ok(RawDocument { kind: InputKind::Text, paragraphs, grids: Vec::new(), property_title: title, published })
}

/// A line without its markdown heading marks (`## 一、总体情况` → `一、总体情况`): `.md` files and the text of PDFs
/// converted to markdown (OCR dumps saved as `.txt`) mark headings so, and the marks are not part of the title.
fn without_heading_marks(line: &str) -> &str {
    let marks = line.len() - line.trim_start_matches('#').len();
    let rest = &line[marks..];
    if (1..=6).contains(&marks) && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        rest.trim_start()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_heading_marks_are_dropped() {
        assert_eq!(
            without_heading_marks("# 沐阳县人民政府 2025 年 政府信息公开工作年度报告"),
            "沐阳县人民政府 2025 年 政府信息公开工作年度报告"
        );
        assert_eq!(without_heading_marks("### （二）规范化办理依申请公开。"), "（二）规范化办理依申请公开。");
        assert_eq!(without_heading_marks("#标签"), "#标签", "not a heading without the space");
        assert_eq!(without_heading_marks("####### 七个"), "####### 七个");
        assert_eq!(without_heading_marks("##"), "");
    }

    #[test]
    fn page_dates() {
        assert_eq!(page_date("发布时间:2024-01-30   浏览次数:4234次").as_deref(), Some("2024-01-30"));
        assert_eq!(page_date("发布日期：2020年1月31日").as_deref(), Some("2020-01-31"));
        assert_eq!(page_date("发布时间: 2020-01-20 15:22").as_deref(), Some("2020-01-20"));
        assert_eq!(page_date("没有日期"), None);
    }
}
