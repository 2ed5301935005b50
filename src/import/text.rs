//! Text dumps (`.txt`, `.md`) → lines.
//!
//! Web archives keep reports as text: one cell per line, pipe-separated rows, markdown tables split across pages,
//! or cells run together with no separator at all. This module only decodes the text, drops crawler headers and page
//! furniture, keeps the page's 发布时间, and hands the lines on; the recogniser reads the tables out of the line stream
//! (pipes, spaces and line breaks all separate cells there).

use super::{ImportError, bound_text};
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

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    super::web::within_limit(name, bytes, "text", "文本")?;
    let text = super::web::decode(bytes);
    let mut paragraphs = Vec::new();
    let mut published = None;
    let mut title = None;
    let mut table_rows = super::pipe::rows_by_line(&text);
    for (i, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim_matches(|c: char| c.is_whitespace());
        if line.is_empty() {
            continue;
        }
        if published.is_none() {
            published = super::web::page_date(line);
        }
        if title.is_none()
            && let Some(t) = line.strip_prefix("标题:").or_else(|| line.strip_prefix("标题："))
        {
            title = Some(t.trim().to_string());
            continue;
        }
        if is_page_number(line) {
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
        let mut cells = table_rows.remove(&i).unwrap_or_default();
        // Cells are placed on the line as written; the paragraph is the line without its leading whitespace.
        let indent = raw_line.chars().take_while(|c| c.is_whitespace()).count() as u32;
        for cell in &mut cells {
            cell.at = cell.at.saturating_sub(indent);
        }
        paragraphs.push(Paragraph { text: bound_text(line.to_string()), origin: format!("第{}行", i + 1), cells });
    }
    Ok(RawDocument { kind: InputKind::Text, paragraphs, grids: Vec::new(), property_title: title, published })
}

/// A page number as PDF converters leave it between two pages (`— 4 —`, `- 12 -`): its digits are no count.
fn is_page_number(line: &str) -> bool {
    let dashes = ['—', '-', '－', '–'];
    let Some(inner) = line.strip_prefix(dashes).and_then(|l| l.strip_suffix(dashes)) else { return false };
    let inner = inner.trim_matches(|c: char| c.is_whitespace() || dashes.contains(&c));
    !inner.is_empty() && inner.len() <= 4 && inner.chars().all(|c| c.is_ascii_digit())
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
    fn page_numbers_between_pages() {
        assert!(is_page_number("— 4 —"));
        assert!(is_page_number("- 12 -"));
        assert!(is_page_number("——5——"));
        assert!(!is_page_number("— 2024 年 —"));
        assert!(!is_page_number("-1"), "a negative count is no page number");
        assert!(!is_page_number("— —"));
    }

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
}
