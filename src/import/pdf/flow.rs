//! The document's flow across its pages: the lines outside tables become paragraphs (a line that runs on from a
//! full previous line joins it, also over a page break; page numbers are dropped), and a table that ends a page
//! and one that starts the next with the same columns are one table.

use super::PdfTable;
use super::layout;
use super::page::{Glyph, Page};
use super::ruling::{self, Table};
use crate::raw::Paragraph;

/// A line of text outside the tables, with what decides whether the next one runs on from it.
#[derive(Debug)]
struct Line {
    text: String,
    page: u32,
    number: usize,
    left: f64,
    right: f64,
    top: f64,
    size: f64,
}

/// The paragraphs and tables read so far.
#[derive(Debug, Default)]
pub(super) struct Document {
    paragraphs: Vec<Paragraph>,
    tables: Vec<PdfTable>,
    /// The last paragraph can be continued by the next line (it ended full at the right margin).
    open: Option<f64>,
    /// The last table ended its page: a table at the top of the next page may continue it.
    table_ends_page: bool,
    glyphs: usize,
}

impl Document {
    /// True when no page had a glyph: no text layer.
    pub fn is_empty(&self) -> bool {
        self.glyphs == 0
    }

    /// Add one page: its tables and the glyphs outside them.
    pub fn page(&mut self, number: u32, page: &Page, tables: Vec<Table>, outside: Vec<Glyph>) {
        self.glyphs +=
            outside.len() + tables.iter().map(|t| t.texts.iter().filter(|s| !s.is_empty()).count()).sum::<usize>();
        let all_lines = ruling::lines(outside);
        // A page without ruling lines may still hold a table, drawn with its text alone.
        let (mut tables, rest) = if tables.is_empty() {
            layout::tables(all_lines)
        } else {
            (tables, all_lines.into_iter().enumerate().collect())
        };
        tables.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
        let lines: Vec<Line> = rest
            .into_iter()
            .map(|(i, glyphs)| line(number, i + 1, &glyphs))
            .filter(|l| !is_page_number(&l.text, l.top, page.height))
            .collect();
        let left = lines.iter().map(|l| l.left).fold(f64::INFINITY, f64::min);
        let right = lines.iter().map(|l| l.right).fold(f64::NEG_INFINITY, f64::max);
        // Tables and lines in the order they stand on the page.
        let mut tables = tables.into_iter().peekable();
        let mut lines = lines.into_iter().peekable();
        let mut first = true;
        loop {
            let table_first = match (tables.peek(), lines.peek()) {
                (Some(t), Some(l)) => t.ys[0] < l.top,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if table_first {
                let Some(table) = tables.next() else { break };
                let part = PdfTable::from_page(number, &table);
                let shared = self
                    .tables
                    .last()
                    .filter(|_| first && self.table_ends_page)
                    .and_then(|last| last.shared_columns(&part));
                match (self.tables.last_mut(), shared) {
                    (Some(last), Some(union)) => last.append(part, &union),
                    _ => self.tables.push(part),
                }
                // A table between paragraphs ends the one before it.
                self.open = None;
                self.table_ends_page = true;
            } else if let Some(line) = lines.next() {
                self.line(line, left, right);
                self.table_ends_page = false;
            }
            first = false;
        }
    }

    fn line(&mut self, line: Line, left: f64, right: f64) {
        // A line of cells (a table drawn without lines: its text has cell gaps) is a row of its own, never prose.
        let cells = line.text.contains("  ");
        let runs_on = self.open.is_some_and(|size| size > 0.0)
            && line.left <= left + 0.6 * line.size
            && !starts_a_heading(&line.text)
            && !cells;
        if runs_on && let Some(last) = self.paragraphs.last_mut() {
            last.text.push_str(&line.text);
        } else {
            let origin = format!("第{}页第{}行", line.page, line.number);
            self.paragraphs.push(Paragraph {
                text: crate::import::bound_text(line.text.clone()),
                origin,
                cells: Vec::new(),
            });
        }
        // A line that reaches the right margin may run on into the next.
        self.open = (line.right >= right - 1.5 * line.size && !cells).then_some(line.size);
    }

    /// The paragraphs and tables of the whole document.
    pub fn finish(self) -> (Vec<Paragraph>, Vec<PdfTable>) {
        (self.paragraphs, self.tables)
    }
}

fn line(page: u32, number: usize, glyphs: &[Glyph]) -> Line {
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f64::max);
    let last = glyphs.last();
    let right = last.map_or(0.0, |g| g.end.unwrap_or(g.x + if g.text.is_ascii() { 0.5 * g.size } else { g.size }));
    Line {
        text: ruling::line_text(glyphs, true),
        page,
        number,
        left: glyphs.first().map_or(0.0, |g| g.x),
        right,
        top: glyphs.iter().map(|g| g.y - g.size).fold(f64::INFINITY, f64::min),
        size,
    }
}

/// A page number in the margin: `-3-`, `— 3 —`, `3`, `第 3 页`, `3/5`, in the top or bottom tenth of the page.
fn is_page_number(text: &str, top: f64, height: f64) -> bool {
    if top > 0.1 * height && top < 0.9 * height {
        return false;
    }
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let core = flat.trim_matches(|c: char| "-—–－·".contains(c));
    let core = core.strip_prefix('第').and_then(|s| s.strip_suffix('页')).unwrap_or(core);
    let core = core.split_once('/').map_or(core, |(a, _)| a);
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// A cell text that opens a row of a table (`3.`, `（五）`, `一、`), which no row cut by a page break continues with.
pub(super) fn starts_a_row(text: &str) -> bool {
    starts_a_heading(text)
}

/// A line that opens a heading or a list item, which never runs on from the line before: `一、`, `（一）`, `1.`.
fn starts_a_heading(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('（' | '(') => chars.next().is_some_and(|c| "一二三四五六七八九十".contains(c)),
        Some(c) if "一二三四五六七八九十".contains(c) => chars.next() == Some('、'),
        Some(c) if c.is_ascii_digit() => matches!(chars.next(), Some('.' | '、' | '．')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_told_from_numbers_in_the_text() {
        for number in ["-3-", "— 3 —", "3", "第 3 页", "3/5", "－12－"] {
            assert!(is_page_number(number, 800.0, 842.0), "{number}");
        }
        assert!(!is_page_number("3", 400.0, 842.0), "a number in the body");
        assert!(!is_page_number("2023年", 800.0, 842.0));
        assert!(
            starts_a_heading("一、总体情况")
                && starts_a_heading("（二）依申请公开情况")
                && starts_a_heading("1.属于国家秘密")
        );
        assert!(!starts_a_heading("2023年，本局认真贯彻落实"));
    }
}
