//! Markdown pipe tables in a text dump, read by a markdown parser (pulldown-cmark, GitHub's table extension) into
//! rows of cells with their empty cells kept: `| 0 | 0 |   | 0 |` is four cells, the third one blank, which no
//! splitting of the line on whitespace could tell.
//!
//! PDF-to-markdown converters write a table cut at every page (and often at every row they were unsure of) as many
//! small tables, each with its own delimiter row, one directly under the other. GitHub's rules read such a run as
//! one table whose later delimiter rows are rows of dashes, and cut every row to the width of the first header. So
//! before parsing, each header row (a row followed by a delimiter row) starts a table of its own, and a table's
//! header is widened to its widest row; the parser then reads each as the converter meant it.

use rustc_hash::FxHashMap as HashMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::raw::TextCell;

/// The cells of every row of a pipe table in `text`, by the row's line (0-based, as `str::lines` counts), `at`
/// being the character of the line where the cell's text starts.
pub(super) fn rows_by_line(text: &str) -> HashMap<usize, Vec<TextCell>> {
    let lines: Vec<&str> = text.lines().collect();
    if !lines.iter().any(|l| is_delimiter(l)) {
        return HashMap::default();
    }
    let (prepared, source_line) = one_table_per_header(&lines);
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(prepared.match_indices('\n').map(|(at, _)| at + 1)).collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset).saturating_sub(1);

    let mut out: HashMap<usize, Vec<TextCell>> = HashMap::default();
    let mut row: Vec<TextCell> = Vec::new();
    let mut row_line = 0;
    let mut in_cell = false;
    for (event, range) in Parser::new_ext(&prepared, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row.clear();
                row_line = line_of(range.start);
            }
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                let line = line_of(range.start);
                let line_text = &prepared[line_starts[line]..];
                let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
                let start = range.start.saturating_sub(line_starts[line]).min(line_text.len());
                let leading = line_text[start..].chars().take_while(|c| c.is_whitespace() || *c == '|').count();
                let original_len =
                    source_line.get(line).and_then(|l| l.map(|l| lines[l].chars().count())).unwrap_or(usize::MAX);
                let at = (line_text[..start].chars().count() + leading).min(original_len);
                row.push(TextCell { text: String::new(), at: at as u32 });
            }
            Event::Text(text) | Event::Code(text) if in_cell => {
                if let Some(cell) = row.last_mut() {
                    cell.text.push_str(&text);
                }
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                if let Some(cell) = row.last_mut() {
                    cell.text = cell.text.trim().to_string();
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(Some(line)) = source_line.get(row_line) {
                    out.insert(*line, std::mem::take(&mut row));
                }
            }
            _ => {}
        }
    }
    out
}

/// The text again with a blank line before and after every table, a table starting at each header row, each
/// header and delimiter row as wide as the table's widest row; and for each of its lines, the line of `lines` it
/// came from (`None` for the blank lines added).
fn one_table_per_header(lines: &[&str]) -> (String, Vec<Option<usize>>) {
    let starts_table = |i: usize| {
        !is_delimiter(lines[i]) && lines[i].contains('|') && lines.get(i + 1).is_some_and(|next| is_delimiter(next))
    };
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 8).sum());
    let mut source = Vec::with_capacity(lines.len());
    let mut push = |text: &mut String, line: &str, from: Option<usize>| {
        text.push_str(line);
        text.push('\n');
        source.push(from);
    };
    let mut i = 0;
    while i < lines.len() {
        if !starts_table(i) {
            push(&mut text, lines[i], Some(i));
            i += 1;
            continue;
        }
        let mut end = i + 2;
        while end < lines.len() && lines[end].contains('|') && !starts_table(end) && !is_delimiter(lines[end]) {
            end += 1;
        }
        let width = (i..end).filter(|&l| l != i + 1).map(|l| cell_count(lines[l])).max().unwrap_or(1);
        let widen = |line: &str, filler: &str| {
            let missing = width.saturating_sub(cell_count(line));
            let mut wide = line.trim_end().to_string();
            if !wide.ends_with('|') {
                wide.push('|');
            }
            for _ in 0..missing {
                wide.push_str(filler);
            }
            wide
        };
        push(&mut text, "", None);
        push(&mut text, &widen(lines[i], "  |"), Some(i));
        push(&mut text, &widen(lines[i + 1], "---|"), Some(i + 1));
        for (l, line) in lines.iter().enumerate().take(end).skip(i + 2) {
            push(&mut text, line, Some(l));
        }
        push(&mut text, "", None);
        i = end;
    }
    (text, source)
}

/// A delimiter row: `|---|:---:|`, `---|---`.
fn is_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// How many cells a row has: its unescaped pipes, less the leading and trailing ones.
fn cell_count(line: &str) -> usize {
    let t = line.trim();
    let mut pipes: usize = 0;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => pipes += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let outer = usize::from(t.starts_with('|')) + usize::from(t.ends_with('|') && !t.ends_with("\\|") && t.len() > 1);
    (pipes + 1).saturating_sub(outer).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &HashMap<usize, Vec<TextCell>>, line: usize) -> Vec<&str> {
        rows[&line].iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn empty_cells_are_kept() {
        let rows = rows_by_line(
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 |   | 0 |\n",
        );
        assert_eq!(texts(&rows, 2), ["规章", "0", "", "0"]);
        assert_eq!(rows[&2][1].at, 7, "the character where the cell's text starts");
    }

    #[test]
    fn each_header_row_starts_a_table_as_wide_as_its_rows() {
        let text = "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n|---|---|---|---|---|---|---|\n\
                    | 1.属于国家秘密 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |  |\n|---|---|---|---|---|---|---|---|---|\n\
                    | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |\n";
        let rows = rows_by_line(text);
        assert_eq!(texts(&rows, 0), ["2", "0", "0", "0", "0", "0", "2"]);
        assert_eq!(texts(&rows, 2), ["1.属于国家秘密", "4", "0", "0", "0", "0", "0", "4", ""]);
        assert!(!rows.contains_key(&3), "a delimiter row is no row of cells");
        assert_eq!(texts(&rows, 4).len(), 9);
        let narrow_header = "| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 |\n";
        assert_eq!(texts(&rows_by_line(narrow_header), 2), ["1", "2", "3", "4"], "no cell cut off");
    }

    #[test]
    fn escaped_pipes_and_text_without_tables() {
        let rows = rows_by_line("| a \\| b | c |\n| --- | --- |\n| 1 | 2 |\n");
        assert_eq!(texts(&rows, 0), ["a | b", "c"]);
        assert!(rows_by_line("规章 | 0 | 0\n现行有效 12 件\n").is_empty(), "no delimiter row, no table");
    }
}
