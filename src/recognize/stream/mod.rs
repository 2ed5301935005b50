//! Tables in running text: web-page dumps with one cell per line, pipe-separated rows, markdown tables split across
//! pages, labels broken over lines, and cells run together with no separator (`规范性文件898989`).
//!
//! The text is folded into one stream of label characters (whitespace and `|` remembered only as separators), the
//! format's labels are found in their order, and the numbers between two labels belong to the first. When a digit
//! run must be cut into several cells, the table's own arithmetic decides: a row's 总计 is the sum of its parts, the
//! 勾稽关系 and (七)总计 hold per column, 表四's totals hold per group. Only a cut that is the one solution is taken;
//! otherwise the cells stay unknown and a note says why. Guessing is never done.

mod digits;
mod rows;

use unicode_normalization::UnicodeNormalization;

use digits::{CAP, cut_reason, cuts, first_numbers, num, resolve_columns, row_total_holds};

use crate::layout::{self, T2Row, T3Row, TableId};
use crate::model::{Cuts, Note};
use crate::normalize::{self, Parsed};
use crate::raw::{Paragraph, TextCell};

/// A value read from the text: canonical key, the text it came from, the row (line) it is on, and where on that
/// line its table row starts (the character of its label; 0 when the label is on another line).
pub(super) struct Value {
    pub key: String,
    pub raw: String,
    pub row: u32,
    pub at: u32,
}

/// What the stream yielded.
#[derive(Default)]
pub(super) struct StreamFindings {
    pub values: Vec<Value>,
    /// Notes, with origin rows (and places on them, as for values) to be placed on the text grid.
    pub notes: Vec<(NoteKind, u32, u32)>,
    /// Each table found, with the row its header starts on.
    pub tables: Vec<(TableId, u32)>,
}

/// A note before it has an origin.
pub(super) enum NoteKind {
    Unreadable { table: TableId, label: String, text: String, reason: String, reason_en: String, cuts: Cuts },
    LabelVariant { table: TableId, found: String, expected: String },
    Settled { table: TableId, label: String, text: String, reading: String, stated: String, stated_en: String },
}

impl NoteKind {
    pub(super) fn into_note(self, origin: crate::model::Origin) -> Note {
        match self {
            NoteKind::Unreadable { table, label, text, reason, reason_en, cuts } => {
                Note::UnreadableCells { table, label, text, reason, reason_en, origin, cuts }
            }
            NoteKind::LabelVariant { table, found, expected } => Note::LabelVariant { table, found, expected, origin },
            NoteKind::Settled { table, label, text, reading, stated, stated_en } => {
                Note::SettledCells { table, label, text, reading, stated, stated_en, origin }
            }
        }
    }
}

struct Stream {
    chars: Vec<char>,
    sep_before: Vec<bool>,
    row_of: Vec<u32>,
    /// For each character, the character of its line it came from.
    col_of: Vec<u32>,
    /// The lines that are rows of a table written as text, with their cells, in line order.
    table_rows: Vec<(u32, Vec<TextCell>)>,
}

impl Stream {
    fn new(paragraphs: &[Paragraph]) -> Stream {
        let mut s = Stream {
            chars: Vec::new(),
            sep_before: Vec::new(),
            row_of: Vec::new(),
            col_of: Vec::new(),
            table_rows: Vec::new(),
        };
        for (row, paragraph) in paragraphs.iter().enumerate() {
            let line = &paragraph.text;
            if !paragraph.cells.is_empty() {
                s.table_rows.push((row as u32, paragraph.cells.clone()));
            }
            let mut sep = true;
            // Character by character, to know where each came from (compositions across characters do not occur
            // in report text).
            for (col, source) in line.chars().enumerate() {
                for ch in std::iter::once(source).nfkc() {
                    if ch.is_whitespace() || ch == '|' {
                        sep = true;
                        continue;
                    }
                    if let Some(c) = normalize::fold_char(ch) {
                        s.chars.push(c);
                        s.sep_before.push(sep);
                        s.row_of.push(row as u32);
                        s.col_of.push(col as u32);
                        sep = false;
                    }
                }
            }
        }
        s
    }

    fn find(&self, pat: &[char], from: usize, to: usize) -> Option<usize> {
        if pat.is_empty() || to > self.chars.len() || from >= to || to - from < pat.len() {
            return None;
        }
        (from..=to.saturating_sub(pat.len())).find(|&i| self.chars[i..i + pat.len()] == *pat)
    }

    fn find_str(&self, pat: &str, from: usize, to: usize) -> Option<usize> {
        let p: Vec<char> = normalize::label(pat).chars().collect();
        self.find(&p, from, to)
    }

    /// The stream position just after line `line`.
    fn end_of_line(&self, line: u32) -> usize {
        self.row_of.partition_point(|&r| r <= line)
    }

    /// The cells of line `line` when it is a row of a text table with exactly `width` values.
    fn own_cells(&self, line: u32, width: usize) -> Option<Vec<String>> {
        let rows = rows::value_rows(&self.table_rows, line, line);
        let cells = rows.first()?.fitted(width)?;
        Some(cells.iter().map(|c| c.text.clone()).collect())
    }

    /// Whether line `line` is a row of a text table: its cells are what the table's parser read, and a cell's
    /// digits are one number, never cut.
    fn is_table_row(&self, line: u32) -> bool {
        self.table_rows.binary_search_by_key(&line, |(l, _)| *l).is_ok()
    }

    fn row(&self, at: usize) -> u32 {
        self.row_of.get(at.min(self.row_of.len().saturating_sub(1))).copied().unwrap_or(0)
    }

    /// Where on line `row` the stream position `at` is: its character in the line, or 0 when `at` is on
    /// another line.
    fn col_on(&self, at: usize, row: u32) -> u32 {
        if self.row(at) == row { self.col_of.get(at).copied().unwrap_or(0) } else { 0 }
    }

    /// Number tokens in `[a, b)`: runs of digits (with `. , + -`) cut at separators and at any other character.
    fn numbers(&self, a: usize, b: usize) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut start = a;
        for i in a..b.min(self.chars.len()) {
            // A minus sign as typeset (−, U+2212) or full width (－) is the sign of a negative count, as `-` is.
            let c = match self.chars[i] {
                '−' | '－' | '﹣' => '-',
                c => c,
            };
            let numeric = c.is_ascii_digit()
                || (matches!(c, '.' | ',') && !cur.is_empty())
                || (matches!(c, '+' | '-') && cur.is_empty());
            if numeric && (cur.is_empty() || !self.sep_before[i]) {
                if cur.is_empty() {
                    start = i;
                }
                cur.push(c);
                continue;
            }
            flush_number(&mut cur, start, &mut out);
            if numeric {
                start = i;
                cur.push(c);
            }
        }
        // OCR tables name their columns 数据1, 数据2, …: those digits are headers, not values.
        out.retain(|(_, at)| !(*at >= 2 && self.chars[at - 2] == '数' && self.chars[at - 1] == '据'));
        flush_number(&mut cur, start, &mut out);
        out
    }
}

fn flush_number(cur: &mut String, start: usize, out: &mut Vec<(String, usize)>) {
    let t = cur.trim_end_matches(['.', ',']).to_string();
    if matches!(normalize::parse_value(&t), Parsed::Number { .. }) && t.chars().any(|c| c.is_ascii_digit()) {
        out.push((t, start));
    }
    cur.clear();
}

/// A label found in the stream: where it starts and ends. Tried with its numbering first, then without it (the
/// numbering then stays outside the numbers).
fn find_label(s: &Stream, label: &str, from: usize, to: usize) -> Option<(usize, usize, bool)> {
    find_label_as_written(s, label, from, to).or_else(|| {
        // OCR and converters write a label's 、 as a comma (`逾期不补正, 行政机关不再处理…`).
        let inner = label.char_indices().skip(3).find(|(_, c)| *c == '、').map(|(at, _)| at)?;
        let with_comma = format!("{},{}", &label[..inner], &label[inner + '、'.len_utf8()..]);
        find_label_as_written(s, &with_comma, from, to)
    })
}

fn find_label_as_written(s: &Stream, label: &str, from: usize, to: usize) -> Option<(usize, usize, bool)> {
    let full = normalize::label(label);
    let full_chars: Vec<char> = full.chars().collect();
    if let Some(i) = s.find(&full_chars, from, to) {
        return Some((i, i + full_chars.len(), false));
    }
    let core: Vec<char> = normalize::label_core(&full).chars().collect();
    if core.len() < full_chars.len() && core.len() >= 2 {
        let i = s.find(&core, from, to)?;
        // Swallow a numbering written another way (`1、`, `(1)`) so its digits are not read as a number.
        let mut start = i;
        if start > from && matches!(s.chars[start - 1], '.' | '、' | ')') {
            start -= 1;
            while start > from && (s.chars[start - 1].is_ascii_digit() || s.chars[start - 1] == '(') {
                start -= 1;
            }
        }
        return Some((start, i + core.len(), true));
    }
    None
}

/// Read tables 2, 3 and 4 out of running text (the paragraphs, some of them rows of text tables). `want` says
/// which tables to look for.
pub(super) fn recognize(paragraphs: &[Paragraph], want: &[TableId]) -> StreamFindings {
    let s = Stream::new(paragraphs);
    let end = s.chars.len();
    let mut found = StreamFindings::default();
    // Where each table starts: its heading cell, or failing that its first label (partial dumps lose headers).
    let first = |pats: &[&str], from: usize| pats.iter().find_map(|p| s.find_str(p, from, end));
    let t2_at = first(&["第二十条第(一)项", "本年制发件数", "本年新制作数量", "信息内容"], 0);
    let t3_at = first(&["(本列数据的勾稽关系", "申请人情况", "本年新收政府信息公开申请数量"], t2_at.unwrap_or(0));
    let section5 = ["五、存在的主要问题", "五、信息公开工作存在", "五、政府信息公开工作存在", "五、存在问题"];
    let tail = |from: usize| section5.iter().filter_map(|h| s.find_str(h, from, end)).min().unwrap_or(end);

    if let Some(a) = t2_at
        && want.contains(&TableId::T2)
    {
        let b = t3_at.unwrap_or_else(|| tail(a));
        table2(&s, a, b, &mut found);
    }
    let mut t3_end = t3_at.unwrap_or(0);
    if let Some(a) = t3_at {
        let b = s.find_str("行政复议", a, end).map_or_else(|| tail(a), |x| x.min(tail(a)));
        if want.contains(&TableId::T3) {
            t3_end = table3(&s, a, b, &mut found);
        } else {
            t3_end = b;
        }
    }
    if want.contains(&TableId::T4)
        && let Some(a) = s.find_str("行政复议", t3_end, end)
    {
        table4(&s, a, tail(a), &mut found);
    }
    found
}

/// Find each label in `[a, b)`: after the previous one when the text keeps the format's order, else anywhere in the
/// region (page breaks and PDF conversion reorder rows). Each position is used once.
fn locate<'l>(s: &Stream, labels: impl Iterator<Item = &'l str>, a: usize, b: usize) -> Vec<Option<(usize, usize)>> {
    let mut cursor = a;
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for label in labels {
        let free = |hit: &(usize, usize, bool)| !taken.iter().any(|(x, y)| hit.0 < *y && *x < hit.1);
        let hit = find_label(s, label, cursor, b).filter(free).or_else(|| {
            let mut from = a;
            while let Some(h) = find_label(s, label, from, b) {
                if free(&h) {
                    return Some(h);
                }
                from = h.1;
            }
            None
        });
        if let Some((st, e, _)) = hit {
            cursor = e;
            taken.push((st, e));
            out.push(Some((st, e)));
        } else {
            out.push(None);
        }
    }
    out
}

/// Where the numbers after a label end: at the next label found, whichever row it belongs to.
fn next_start(located: &[Option<(usize, usize)>], after: usize, b: usize) -> usize {
    located.iter().flatten().map(|(st, _)| *st).filter(|st| *st >= after).min().unwrap_or(b)
}

/// The line of each of `n` values: each token's own line when the tokens are the values, else the first token's.
fn value_lines(s: &Stream, tokens: &[(String, usize)], n: usize, fallback: u32) -> Vec<u32> {
    if tokens.len() == n {
        tokens.iter().map(|(_, at)| s.row(*at)).collect()
    } else {
        vec![tokens.first().map_or(fallback, |(_, at)| s.row(*at)); n]
    }
}

/// A row of a table whose cells cannot be read: its note goes on line `row`, at the place of the row's label
/// (`label_at`, a stream position) when the label is on that line.
struct Unreadable<'l> {
    table: TableId,
    label: &'l str,
    text: String,
    row: u32,
    label_at: usize,
    /// The ways still open, for another report to settle (empty when there are none or too many).
    cuts: Cuts,
}

fn unreadable(found: &mut StreamFindings, s: &Stream, u: Unreadable, (reason, reason_en): (String, String)) {
    let at = s.col_on(u.label_at, u.row);
    let cuts = u.cuts;
    found.notes.push((
        NoteKind::Unreadable { table: u.table, label: u.label.to_string(), text: u.text, reason, reason_en, cuts },
        u.row,
        at,
    ));
}

fn segment_text(s: &Stream, a: usize, b: usize) -> String {
    let mut t = String::new();
    for i in a..b.min(s.chars.len()) {
        if s.sep_before[i] && !t.is_empty() {
            t.push(' ');
        }
        t.push(s.chars[i]);
    }
    t.chars().take(80).collect()
}

fn table2(s: &Stream, a: usize, b: usize, found: &mut StreamFindings) {
    let trial = ["本年新制作数量", "上一年项目数量", "采购项目数量"].iter().any(|h| s.find_str(h, a, b).is_some());
    let (rows, prefix): (&[T2Row], &str) = if trial { (layout::T2_TRIAL, "t2v19") } else { (layout::T2_2021, "t2") };
    if !trial && s.find_str("本年制发件数", a, b).is_none() && s.find_str("本年发件数", a, b).is_some() {
        found.notes.push((
            NoteKind::LabelVariant {
                table: TableId::T2, found: "本年发件数".into(), expected: "本年制发件数".into()
            },
            s.row(s.find_str("本年发件数", a, b).unwrap_or(a)),
            0,
        ));
    }
    found.tables.push((TableId::T2, s.row(a)));
    // A row under another name the format knows (规范性文件 for 行政规范性文件) when its own is not there.
    let labels = rows.iter().map(|r| {
        let written = |l: &&str| s.find_str(l, a, b).is_some();
        if written(&r.label) { r.label } else { r.label_variants.iter().copied().find(written).unwrap_or(r.label) }
    });
    let located = locate(s, labels, a, b);
    for (i, row) in rows.iter().enumerate() {
        let Some((label_at, start)) = located[i] else { continue };
        let stop = next_start(&located, start, b);
        // The block heading and column headers of the next block sit between two rows; they hold no digits.
        let tokens = s.numbers(start, stop);
        let n = row.fields.len();
        let texts: Vec<String> = tokens.iter().map(|(t, _)| t.clone()).collect();
        let own = s.own_cells(s.row(label_at), n);
        let mut ways = match &own {
            Some(cells) => vec![cells.clone()],
            None if s.is_table_row(s.row(label_at)) => {
                if texts.len() == n {
                    vec![texts.clone()]
                } else {
                    Vec::new()
                }
            }
            None => cuts(&texts, n, CAP),
        };
        let line = s.row(start);
        if ways.len() > 1
            && let Some((way, stated)) = settled_by_the_text(s, row, &ways)
        {
            let text = texts.join(" ");
            let reading = way.join(" | ");
            let (label, stated_en) = (row.label.to_string(), format!("by the text's {stated}"));
            let stated = format!("按正文{stated}");
            let note = NoteKind::Settled { table: TableId::T2, label, text, reading, stated, stated_en };
            found.notes.push((note, line, s.col_on(label_at, line)));
            ways = vec![way];
        }
        if ways.len() == 1 {
            let lines = if own.is_some() { vec![s.row(label_at); n] } else { value_lines(s, &tokens, n, line) };
            for ((f, raw), row_line) in row.fields.iter().zip(&ways[0]).zip(lines) {
                found.values.push(Value {
                    key: format!("{prefix}.{}.{}.{}", row.block_key, row.row_key, f.key),
                    raw: raw.clone(),
                    row: row_line,
                    at: s.col_on(label_at, row_line),
                });
            }
        } else {
            let text = segment_text(s, start, stop);
            let reason = cut_reason(&texts, n, &ways);
            // A few ways of a row the agency's year before can settle (its 现行有效 + 本年制发 − 本年废止) are kept.
            let cuts = if (2..=OPEN_CUTS).contains(&ways.len()) && row.fields.iter().any(|f| f.key == "in_force") {
                let keys = row.fields.iter().map(|f| format!("{prefix}.{}.{}.{}", row.block_key, row.row_key, f.key));
                Cuts { keys: keys.collect(), ways, written: texts.join(" ") }
            } else {
                Cuts::default()
            };
            let u = Unreadable { table: TableId::T2, label: row.label, text, row: line, label_at, cuts };
            unreadable(found, s, u, reason);
        }
    }
}

/// How many ways to cut a row are kept for the year before to settle: more, and it would rarely leave one.
const OPEN_CUTS: usize = 64;

/// The one way to cut a 第二十条第（一）项 row's run of digits that agrees with the counts the report's text states
/// of it (`本年度制发的规范性文件88件`, `现行有效行政规范性文件698件`, `废止…3件`), and the statements; `None` when
/// the text states none, or not one way agrees.
fn settled_by_the_text(s: &Stream, row: &T2Row, ways: &[Vec<String>]) -> Option<(Vec<String>, String)> {
    let word = match row.row_key {
        "rules" => "规章",
        "normative_docs" => "规范性文件",
        _ => return None,
    };
    let text: String = s.chars.iter().collect();
    let mut checks: Vec<(usize, f64)> = Vec::new();
    let mut quotes: Vec<String> = Vec::new();
    for (field, verb) in [("made", "制发"), ("repealed", "废止"), ("in_force", "现行有效")] {
        let Some(at) = row.fields.iter().position(|f| f.key == field) else { continue };
        let pattern = format!("{verb}[^。；;，,0-9]{{0,10}}?{word}([0-9]+)件");
        let Ok(re) = regex::Regex::new(&pattern) else { continue };
        let stated: Vec<regex::Captures> = re.captures_iter(&text).collect();
        // The text states it once, or the same count each time.
        let Some(first) = stated.first() else { continue };
        let value = num(&first[1]);
        if stated.iter().any(|c| num(&c[1]) != value) {
            return None;
        }
        checks.push((at, value));
        quotes.push(format!("「{}」", &first[0]));
    }
    if checks.is_empty() {
        return None;
    }
    let agreeing: Vec<&Vec<String>> =
        ways.iter().filter(|w| checks.iter().all(|(at, value)| w.get(*at).is_some_and(|v| num(v) == *value))).collect();
    match agreeing.as_slice() {
        [one] => Some(((*one).clone(), quotes.join(""))),
        _ => None,
    }
}

/// Reads 表三 between `a` and `b`; returns where its last row's numbers end.
fn table3(s: &Stream, a: usize, b: usize, found: &mut StreamFindings) -> usize {
    let modern = s.find_str("逾期不补正", a, b).is_some() || s.find_str("逾期未按收费通知", a, b).is_some();
    let rows: &[T3Row] = if modern { &layout::T3_ROWS_2021 } else { &layout::T3_ROWS_TRIAL };
    found.tables.push((TableId::T3, s.row(a)));
    let ncols = layout::T3_COLS.len();
    // Rows of text tables, placed by the table's row order: when that places every row, it is the reading.
    let region = rows::value_rows(&s.table_rows, s.row(a), s.row(b.saturating_sub(1).max(a)));
    let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
    let ordered = rows::in_order(&region, &labels, ncols);
    let push_row = |found: &mut StreamFindings, row: &T3Row, p: usize| {
        let Some(cells) = region[p].fitted(ncols) else { return };
        for (ci, cell) in cells.iter().enumerate() {
            let key = layout::t3_key(row.key, ci);
            found.values.push(Value { key, raw: cell.text.clone(), row: region[p].line, at: 0 });
        }
    };
    if !region.is_empty() && ordered.iter().all(Option::is_some) {
        for (row, p) in rows.iter().zip(ordered.iter().flatten()) {
            push_row(found, row, *p);
        }
        return region.iter().map(|r| s.end_of_line(r.line)).max().unwrap_or(a);
    }

    let located = locate(s, rows.iter().map(|r| r.label), a, b);
    // Candidate cuts per row; rows with one candidate are settled.
    let mut candidates: Vec<Vec<Vec<String>>> = Vec::new();
    let mut rows_at: Vec<(usize, usize)> = Vec::new();
    let mut token_lines: Vec<Vec<u32>> = Vec::new();
    let mut last_end = a;
    for (i, _) in rows.iter().enumerate() {
        let Some((label_at, start)) = located[i] else {
            candidates.push(Vec::new());
            rows_at.push((b, b));
            token_lines.push(Vec::new());
            continue;
        };
        let mut stop = next_start(&located, start, b);
        let tokens: Vec<(String, usize)> = s.numbers(start, stop);
        // The last row's numbers end the table: anything after them belongs to what follows.
        let tokens = if i + 1 == rows.len() { first_numbers(&tokens, ncols) } else { tokens };
        if let Some((t, at)) = tokens.last() {
            stop = stop.min(at + t.chars().count());
            last_end = last_end.max(stop);
        }
        // A row of a text table holding its label reads its own cells, blank ones too.
        if let Some(cells) = s.own_cells(s.row(label_at), ncols) {
            token_lines.push(vec![s.row(label_at); ncols]);
            candidates.push(vec![cells]);
            rows_at.push((start, stop));
            continue;
        }
        let texts: Vec<String> = tokens.iter().map(|(t, _)| t.clone()).collect();
        let ways: Vec<Vec<String>> = if texts.len() == ncols {
            vec![texts]
        } else if s.is_table_row(s.row(label_at)) {
            Vec::new()
        } else {
            cuts(&texts, ncols, CAP).into_iter().filter(|w| row_total_holds(w)).collect()
        };
        token_lines.push(value_lines(s, &tokens, ncols, s.row(start)));
        candidates.push(ways);
        rows_at.push((start, stop));
    }
    let choice = resolve_columns(rows, &candidates);
    // Lines the labels' reading took: a row placed by order never reads them again.
    let taken: std::collections::HashSet<u32> = (0..rows.len())
        .filter(|&i| located[i].is_some() && choice.get(i).is_some_and(Option::is_some))
        .flat_map(|i| token_lines[i].iter().copied())
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let (start, stop) = rows_at[i];
        let by_order = ordered[i].filter(|&p| !taken.contains(&region[p].line));
        match (located[i], choice.get(i).and_then(Option::as_ref)) {
            (Some((label_at, _)), Some(values)) => {
                let line = s.row(start);
                for (ci, raw) in values.iter().enumerate() {
                    let row_line = token_lines[i].get(ci).copied().unwrap_or(line);
                    let at = s.col_on(label_at, row_line);
                    found.values.push(Value { key: layout::t3_key(row.key, ci), raw: raw.clone(), row: row_line, at });
                }
            }
            (label, _) => {
                if let Some(p) = by_order {
                    push_row(found, row, p);
                    last_end = last_end.max(s.end_of_line(region[p].line));
                } else if let Some((label_at, _)) = label {
                    let line = s.row(start);
                    let tokens: Vec<String> = s.numbers(start, stop).into_iter().map(|(t, _)| t).collect();
                    let text = segment_text(s, start, stop);
                    let u = Unreadable {
                        table: TableId::T3,
                        label: row.label,
                        text,
                        row: line,
                        label_at,
                        cuts: Cuts::default(),
                    };
                    unreadable(found, s, u, cut_reason(&tokens, ncols, &candidates[i]));
                }
            }
        }
    }
    last_end
}

fn table4(s: &Stream, a: usize, b: usize, found: &mut StreamFindings) {
    found.tables.push((TableId::T4, s.row(a)));
    // The numbers follow the last column header (总计 of 复议后起诉).
    let mut start = a;
    let mut cursor = a;
    let mut first_total = None;
    while let Some(i) = s.find_str("总计", cursor, b) {
        first_total.get_or_insert(i + 2);
        start = i + 2;
        cursor = i + 2;
    }
    let group_ok = |w: &Vec<String>| {
        w.chunks(5).all(|g| g.len() == 5 && (g[..4].iter().map(|x| num(x)).sum::<f64>() - num(&g[4])).abs() < 1e-9)
    };
    let mut tokens = s.numbers(start, b);
    // Table 4 split into its three groups, each under its own header (OCR markdown): the numbers follow each
    // group's 总计. Taken so only when the five of each group add up and the last header leaves fewer than 15.
    if tokens.len() < 15
        && let Some(first) = first_total
    {
        let split = s.numbers(first, b);
        let texts: Vec<String> = split.iter().map(|(t, _)| t.clone()).take(15).collect();
        if texts.len() == 15 && group_ok(&texts) {
            start = first;
            tokens = split;
        }
    }
    let texts: Vec<String> = tokens.iter().map(|(t, _)| t.clone()).take(15).collect();
    let line = s.row(start);
    let ways: Vec<Vec<String>> = if texts.len() == 15 {
        vec![texts.clone()]
    } else {
        cuts(&texts, 15, CAP).into_iter().filter(group_ok).collect()
    };
    if ways.len() == 1 {
        let first: Vec<(String, usize)> = tokens.iter().take(15).cloned().collect();
        let lines = value_lines(s, &first, 15, line);
        let mut i = 0;
        for g in layout::T4_GROUPS {
            for (ck, _) in layout::T4_COLS {
                let at = s.col_on(start, lines[i]);
                found.values.push(Value { key: layout::t4_key(g.key, ck), raw: ways[0][i].clone(), row: lines[i], at });
                i += 1;
            }
        }
    } else {
        let text = segment_text(s, start, b);
        let u = Unreadable {
            table: TableId::T4,
            label: "行政复议、行政诉讼",
            text,
            row: line,
            label_at: start,
            cuts: Cuts::default(),
        };
        unreadable(found, s, u, cut_reason(&texts, 15, &ways));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    fn paragraphs(lines: &[String]) -> Vec<Paragraph> {
        lines.iter().map(|l| Paragraph { text: l.clone(), origin: String::new(), cells: Vec::new() }).collect()
    }

    #[test]
    fn a_label_longer_than_the_text_is_not_found() {
        // StreamFindings by fuzzing: a pattern longer than the whole stream indexed past its end.
        let s = Stream::new(&paragraphs(&["规章".to_string()]));
        assert_eq!(s.find_str("第二十条第(一)项", 0, s.chars.len()), None);
        assert_eq!(s.find_str("规章", 0, s.chars.len()), Some(0));
    }

    #[test]
    fn a_run_is_cut_by_its_row_total() {
        let ways: Vec<_> = cuts(&v(&["801000081"]), 7, CAP).into_iter().filter(|w| row_total_holds(w)).collect();
        assert_eq!(ways, vec![v(&["80", "1", "0", "0", "0", "0", "81"])]);
        let ways: Vec<_> = cuts(&v(&["0000000"]), 7, CAP);
        assert_eq!(ways.len(), 1);
    }

    #[test]
    fn ambiguous_runs_have_several_cuts() {
        assert!(cuts(&v(&["77132470"]), 3, CAP).len() > 1);
        assert_eq!(cuts(&v(&["000"]), 3, CAP).len(), 1);
        assert!(cuts(&v(&["12"]), 3, CAP).is_empty());
    }

    #[test]
    fn one_cell_per_line() {
        let mut lines: Vec<String> = vec![
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)".into(),
            "申请人情况".into(),
            "自然人".into(),
        ];
        for row in layout::T3_ROWS_2021.iter() {
            lines.push(row.label.into());
            for _ in 0..7 {
                lines.push("0".into());
            }
        }
        let found = recognize(&paragraphs(&lines), &[TableId::T3]);
        assert_eq!(found.values.len(), 175);
        assert!(found.notes.is_empty());
    }

    #[test]
    fn run_together_table_four() {
        let lines = vec!["行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计110024001510102".to_string()];
        let found = recognize(&paragraphs(&lines), &[TableId::T4]);
        let got: Vec<&str> = found.values.iter().map(|v| v.raw.as_str()).collect();
        assert_eq!(got, vec!["1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"]);
    }

    #[test]
    fn table_four_split_into_its_groups() {
        let header = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |";
        let lines = v(&[
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议",
            header,
            "| 27 | 10 | 9 | 15 | 61 |",
            "行政诉讼（未经复议直接起诉）",
            header,
            "| 3 | 0 | 0 | 0 | 3 |",
            "行政诉讼（复议后起诉）",
            header,
            "| 8 | 0 | 1 | 1 | 10 |",
        ]);
        let found = recognize(&paragraphs(&lines), &[TableId::T4]);
        let got: Vec<&str> = found.values.iter().map(|v| v.raw.as_str()).collect();
        assert_eq!(got, ["27", "10", "9", "15", "61", "3", "0", "0", "0", "3", "8", "0", "1", "1", "10"]);
    }

    #[test]
    fn a_labels_enumeration_comma_is_its_own() {
        let s = Stream::new(&paragraphs(&v(&[
            "1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请 | 9 | 0 |",
        ])));
        let label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请";
        assert!(find_label(&s, label, 0, s.chars.len()).is_some());
    }
}
