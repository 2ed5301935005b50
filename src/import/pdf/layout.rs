//! Tables drawn without lines: on a page with no ruling, a run of lines whose text stands in columns (counts apart
//! from their labels) is rebuilt as a table from the text's own positions. The columns are where the cells of the
//! rows that hold counts stand; a line of the run with no counts either continues the cells above it (a label
//! wrapped in its cell) or, standing over the counts' columns, is a row of its own (a header, a `第二十条第(五)项`
//! band). Each row's cells are the table's cells, so what the ruled tables get (recognition, joining across pages,
//! addresses) these get too.

use super::page::Glyph;
use super::ruling::{Table, line_text};

/// A run of glyphs of one line that stands apart as a cell.
#[derive(Debug, Clone)]
struct Cell {
    x0: f64,
    x1: f64,
    glyphs: Vec<Glyph>,
}

impl Cell {
    fn text(&self) -> String {
        line_text(&self.glyphs, false)
    }

    fn is_count(&self) -> bool {
        let text = self.text();
        let t = text.trim();
        !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit() || ".,-－—/".contains(c))
            && t.chars().any(|c| c.is_ascii_digit())
    }
}

/// One line of a page split into its cells, with its vertical extent.
#[derive(Debug)]
struct Row {
    cells: Vec<Cell>,
    top: f64,
    bottom: f64,
}

impl Row {
    fn counts(&self) -> usize {
        self.cells.iter().filter(|c| c.is_count()).count()
    }
}

/// The fewest counts a line must hold to be a row of a table (a count table's narrowest row, 表二's 规章 0 1 14).
const MIN_COUNTS: usize = 2;

/// The tables drawn without lines among a page's lines (each a line's glyphs, top to bottom), and the lines left
/// over, with their positions in `lines`.
pub(super) fn tables(lines: Vec<Vec<Glyph>>) -> (Vec<Table>, Vec<(usize, Vec<Glyph>)>) {
    let rows: Vec<Row> = lines.iter().map(|l| split(l)).collect();
    let mut tables = Vec::new();
    let mut in_table = vec![false; lines.len()];
    let mut i = 0;
    while i < rows.len() {
        if rows[i].counts() < MIN_COUNTS {
            i += 1;
            continue;
        }
        // The run: from the header lines above its first row of counts to its last row of counts, through the lines
        // between that continue it.
        let mut end = i;
        let mut j = i + 1;
        while j < rows.len() {
            // Inside a run, one count makes a row (表二's 行政许可 1520 under a header over three columns).
            if rows[j].counts() >= 1 && continues(&rows[j], &rows[j - 1]) || rows[j].counts() >= MIN_COUNTS {
                end = j;
            } else if !continues(&rows[j], &rows[j - 1]) || heads_what_follows(&rows, j) {
                break;
            }
            j += 1;
        }
        let body: Vec<usize> = (i..=end).filter(|&k| rows[k].counts() >= MIN_COUNTS).collect();
        if body.len() < 2 {
            i = end + 1;
            continue;
        }
        let columns = columns(&rows, &body);
        // Lines under the last row of counts that go on with its labels (a label wrapped in its cell).
        let labels_end = columns.first().map_or(f64::NEG_INFINITY, |c| c.1);
        while end + 1 < rows.len()
            && rows[end + 1].counts() == 0
            && continues(&rows[end + 1], &rows[end])
            && rows[end + 1].cells.iter().all(|c| c.x1 <= labels_end + 1.0)
        {
            end += 1;
        }
        let mut start = i;
        while start > 0 && !in_table[start - 1] && header_of(&rows[start - 1], &columns) {
            start -= 1;
        }
        tables.push(table(folded(&rows[start..=end]), &columns));
        in_table[start..=end].iter_mut().for_each(|t| *t = true);
        i = end + 1;
    }
    let rest = lines.into_iter().enumerate().filter(|(k, _)| !in_table[*k]).collect();
    (tables, rest)
}

/// A line split where its glyphs stand apart: a gap of two ems, a count a third of an em after a word, or a count
/// right after a word in a line that has other cells.
fn split(line: &[Glyph]) -> Row {
    let mut cells: Vec<Cell> = Vec::new();
    let mut previous: Option<&Glyph> = None;
    for (i, glyph) in line.iter().enumerate() {
        let apart = previous.is_some_and(|p| {
            let gap = glyph.x - right(p);
            if gap > 2.0 * p.size {
                return true;
            }
            // An item's number (`1.申请人…`) opens a label, not a count.
            let item = line.get(i + 1).is_some_and(|n| [".", "．", "、"].contains(&n.text.as_str()));
            let digit = !item && glyph.text.starts_with(|c: char| c.is_ascii_digit());
            let word = !p.text.is_ascii() && !p.text.starts_with(['（', '(', '第']);
            gap > 2.0 * p.size
                || (digit && word && gap > 0.3 * p.size)
                || (digit && !p.text.is_ascii() && gap > 1.0 * p.size)
        });
        match cells.last_mut() {
            Some(cell) if !apart => {
                cell.x1 = right(glyph);
                cell.glyphs.push(glyph.clone());
            }
            _ => cells.push(Cell { x0: glyph.x, x1: right(glyph), glyphs: vec![glyph.clone()] }),
        }
        previous = Some(glyph);
    }
    // A count glued to a word (a label cut off where its cell ends) is a cell of its own when the line has others.
    if cells.len() >= 3 {
        cells = cells.into_iter().flat_map(split_glued_count).collect();
    }
    let top = line.iter().map(|g| g.y - g.size).fold(f64::INFINITY, f64::min);
    let bottom = line.iter().map(|g| g.y + 0.2 * g.size).fold(f64::NEG_INFINITY, f64::max);
    Row { cells, top, bottom }
}

fn split_glued_count(cell: Cell) -> Vec<Cell> {
    let at = cell.glyphs.windows(2).position(|w| {
        !w[0].text.is_ascii()
            && !w[0].text.starts_with(['（', '(', '第'])
            && w[1].text.chars().all(|c| c.is_ascii_digit())
            && !w[1].text.is_empty()
    });
    let Some(at) = at else { return vec![cell] };
    let (label, count) = cell.glyphs.split_at(at + 1);
    let count_is_whole = count.iter().all(|g| g.text.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if !count_is_whole {
        return vec![cell];
    }
    let x1 = |g: &[Glyph]| g.last().map_or(0.0, right);
    vec![
        Cell { x0: cell.x0, x1: x1(label), glyphs: label.to_vec() },
        Cell { x0: count[0].x, x1: cell.x1, glyphs: count.to_vec() },
    ]
}

/// Where a glyph ends: the pen position after it, when its run gave one, else its advance.
fn right(g: &Glyph) -> f64 {
    g.end.filter(|e| *e > g.x && *e - g.x < 2.0 * g.size * g.text.chars().count() as f64).unwrap_or(g.x + advance(g))
}

fn advance(g: &Glyph) -> f64 {
    if g.text.is_ascii() {
        0.5 * g.size * g.text.chars().count() as f64
    } else {
        g.size * g.text.chars().count() as f64
    }
}

/// The columns of a run, left to right: where the counts of its rows of counts stand (the spans of the counts that
/// overlap merged into one), and left of them where its labels stand (a label cut off where its cell ends may reach
/// a pen's width into the counts: it is cut at the first).
fn columns(rows: &[Row], body: &[usize]) -> Vec<(f64, f64)> {
    let cells = || body.iter().flat_map(|&k| rows[k].cells.iter());
    let counts = merged(cells().filter(|c| c.is_count()).map(|c| (c.x0, c.x1)).collect());
    let first = counts.first().map_or(f64::INFINITY, |c| c.0);
    let labels = merged(
        cells().filter(|c| !c.is_count() && c.x0 < first).map(|c| (c.x0, c.x1.min(first - 0.1).max(c.x0))).collect(),
    );
    // Two labels side by side on one line (`（四）无法提供` and `2.没有现成信息需要另行制作`) stand in two columns,
    // although a label spanning both (`一、本年新收…`) joins their extents: the later one's start splits them.
    let mut splits: Vec<f64> = Vec::new();
    for &k in body {
        let mut previous: Option<(usize, &Cell)> = None;
        for cell in rows[k].cells.iter().filter(|c| !c.is_count() && c.x0 < first) {
            let column = labels.iter().position(|l| cell.x0 >= l.0 - 0.5 && cell.x0 <= l.1);
            if let (Some(column), Some((before, left))) = (column, previous)
                && before == column
                && cell.x0 > left.x1
            {
                splits.push(cell.x0 - 0.5);
            }
            previous = column.map(|c| (c, cell));
        }
    }
    splits.sort_by(f64::total_cmp);
    splits.dedup_by(|a, b| (*a - *b).abs() < 3.0);
    let mut split_labels = Vec::new();
    for (x0, x1) in labels {
        let mut from = x0;
        for &at in splits.iter().filter(|&&at| at > x0 && at < x1) {
            split_labels.push((from, at));
            from = at;
        }
        split_labels.push((from, x1));
    }
    split_labels.into_iter().chain(counts).collect()
}

/// Spans that overlap merged into one, left to right.
fn merged(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (x0, x1) in spans {
        match merged.last_mut() {
            Some(last) if x0 < last.1 => last.1 = last.1.max(x1),
            _ => merged.push((x0, x1)),
        }
    }
    merged
}

/// The column a cell stands in: the one it overlaps most, or the nearest.
fn column_of(columns: &[(f64, f64)], cell: &Cell) -> usize {
    let overlap = |c: &(f64, f64)| cell.x1.min(c.1) - cell.x0.max(c.0);
    (0..columns.len()).max_by(|&a, &b| overlap(&columns[a]).total_cmp(&overlap(&columns[b]))).unwrap_or(0)
}

/// The columns a cell covers, first and last (a header over several).
fn columns_covered(columns: &[(f64, f64)], cell: &Cell) -> (usize, usize) {
    let covered: Vec<usize> = (0..columns.len())
        .filter(|&k| {
            cell.x1.min(columns[k].1) - cell.x0.max(columns[k].0)
                > 0.3 * (columns[k].1 - columns[k].0).min(cell.x1 - cell.x0)
        })
        .collect();
    match (covered.first(), covered.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => {
            let k = column_of(columns, cell);
            (k, k)
        }
    }
}

/// A line without counts goes on with the run: it lies close under the line before (a block of 表二, `第二十条第(五)项`,
/// may stand a little further down), and is no line of prose.
fn continues(row: &Row, above: &Row) -> bool {
    let height = (above.bottom - above.top).max(1.0);
    let gap = row.top - above.bottom;
    let block = row.cells.first().is_some_and(|c| opens_a_block(&c.text()));
    (gap < 1.2 * height || (block && gap < 3.0 * height)) && row.cells.iter().all(|c| c.glyphs.len() <= 40)
}

/// A line that opens an item (`三、…`) with no counts, under which no counts follow either: the heading of what
/// comes next (`三、收到和处理政府信息公开申请情况` over the next table's header), not a label of this table (a label
/// such as `三、本年度办理结果` stands beside counts, or right over them when it is centred in its merged cell).
fn heads_what_follows(rows: &[Row], k: usize) -> bool {
    rows[k].counts() == 0
        && rows[k].cells.first().is_some_and(|c| super::flow::starts_a_row(&c.text()))
        && rows.get(k + 1).is_none_or(|next| next.counts() == 0)
}

/// A line just above a run that heads it: it has cells that start over the run's columns (a header is wider than
/// the counts under it).
fn header_of(row: &Row, columns: &[(f64, f64)]) -> bool {
    let (Some(first), Some(last)) = (columns.first(), columns.last()) else { return false };
    row.cells.len() >= 2
        && row.cells.iter().all(|c| c.x0 >= first.0 - 10.0 && c.x0 <= last.1 + 10.0 && c.glyphs.len() <= 40)
}

/// The lines of a run with each label that stands level with a row of counts folded into that row: a label centred
/// in a cell merged over several rows (`（三）不予公开` beside its eight items) is drawn half a row off the lines of
/// counts, on a line of its own that overlaps one of theirs.
fn folded(rows: &[Row]) -> Vec<Row> {
    let mut out: Vec<Row> = rows.iter().map(|r| Row { cells: r.cells.clone(), top: r.top, bottom: r.bottom }).collect();
    let overlap = |a: &Row, b: &Row| a.bottom.min(b.bottom) - a.top.max(b.top);
    let mut k = 0;
    while k < out.len() {
        if out[k].counts() > 0 {
            k += 1;
            continue;
        }
        let height = out[k].bottom - out[k].top;
        let level = [k.checked_sub(1), Some(k + 1)]
            .into_iter()
            .flatten()
            .filter(|&n| n < out.len() && out[n].counts() > 0 && overlap(&out[k], &out[n]) > 0.3 * height)
            .max_by(|&a, &b| overlap(&out[k], &out[a]).total_cmp(&overlap(&out[k], &out[b])));
        match level {
            Some(n) => {
                let label = out.remove(k);
                let n = if n > k { n - 1 } else { n };
                out[n].cells.extend(label.cells);
                out[n].cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                k = k.min(n + 1);
            }
            None => k += 1,
        }
    }
    out
}

/// The table of a run of rows: a row of counts opens a row of the table, and so does a line that starts a row
/// (`3.`, `（五）`) or stands over the counts' columns; any other line continues the cells of the row above.
fn table(rows: Vec<Row>, columns: &[(f64, f64)]) -> Table {
    let first_count_column = columns.len().saturating_sub(1).min(
        rows.iter()
            .filter(|r| r.counts() >= MIN_COUNTS)
            .flat_map(|r| r.cells.iter().filter(|c| c.is_count()).map(|c| column_of(columns, c)))
            .min()
            .unwrap_or(0),
    );
    let cols = columns.len();
    let mut texts: Vec<Vec<String>> = Vec::new();
    let mut spans: Vec<Vec<usize>> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    let mut bottom = f64::NEG_INFINITY;
    for row in &rows {
        let over_counts = row.cells.iter().any(|c| c.x1 > columns[first_count_column].0);
        let opens = row.counts() >= 1
            || texts.is_empty()
            || over_counts
            || row.cells.first().is_some_and(|c| opens_a_row(&c.text()));
        if opens {
            texts.push(vec![String::new(); cols]);
            spans.push(vec![1; cols]);
            ys.push(row.top);
        }
        let (cells, widths) = (texts.last_mut().expect("a row"), spans.last_mut().expect("a row"));
        for cell in &row.cells {
            let (a, b) = columns_covered(columns, cell);
            let target = &mut cells[a];
            if !target.is_empty() {
                target.push('\n');
            }
            target.push_str(&cell.text());
            widths[a] = widths[a].max(b - a + 1);
        }
        bottom = bottom.max(row.bottom);
    }
    ys.push(bottom);
    let mut xs: Vec<f64> = Vec::with_capacity(cols + 1);
    xs.push(columns[0].0 - 1.0);
    xs.extend(columns.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    xs.push(columns[cols - 1].1 + 1.0);
    let n_rows = texts.len();
    let mut anchors = Vec::with_capacity(n_rows * cols);
    let mut flat = Vec::with_capacity(n_rows * cols);
    for (r, (row, widths)) in texts.into_iter().zip(&spans).enumerate() {
        let mut covered_by: Option<(usize, usize)> = None;
        for (c, text) in row.into_iter().enumerate() {
            match covered_by {
                Some((anchor, end)) if c <= end && text.is_empty() => {
                    anchors.push((r as u32, anchor as u32));
                    flat.push(String::new());
                }
                _ => {
                    covered_by = (widths[c] > 1).then_some((c, c + widths[c] - 1));
                    anchors.push((r as u32, c as u32));
                    flat.push(text);
                }
            }
        }
    }
    Table { xs, ys, anchors, texts: flat }
}

/// A cell text no wrapped label goes on with: an item (`3.`, `（五）`, `一、`) or a block of 表二.
fn opens_a_row(text: &str) -> bool {
    super::flow::starts_a_row(text) || opens_a_block(text)
}

/// The heading of a block of 表二: `第二十条第(五)项`.
fn opens_a_block(text: &str) -> bool {
    text.starts_with('第') && text.contains('条')
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayro_interpret::kurbo::Point;

    /// Glyphs of `text` from `x` on the baseline `y`, 10 points each (Latin ones 5).
    fn glyphs(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut at = x;
        for c in text.chars() {
            let width = if c.is_ascii() { 5.0 } else { 10.0 };
            out.push(Glyph {
                text: c.to_string(),
                x: at,
                y,
                size: 10.0,
                inside: Point::new(at + 2.0, y - 3.0),
                end: Some(at + width),
                vertical: false,
            });
            at += width;
        }
        out
    }

    fn line(parts: &[(&str, f64)], y: f64) -> Vec<Glyph> {
        parts.iter().flat_map(|(t, x)| glyphs(t, *x, y)).collect()
    }

    #[test]
    fn a_table_without_lines_is_rebuilt_from_its_columns_with_wrapped_labels_joined() {
        let lines = vec![
            line(&[("二、主动公开政府信息情况", 50.0)], 100.0),
            line(&[("信息内容", 50.0), ("本年制发件数", 200.0), ("现行有效件数", 300.0)], 120.0),
            line(&[("规章", 50.0), ("2", 200.0), ("11", 300.0)], 134.0),
            line(&[("行政规范性", 50.0), ("8", 200.0), ("49", 300.0)], 148.0),
            line(&[("文件", 50.0)], 160.0),
            line(&[("这一段是正文，与表格隔开。", 50.0)], 220.0),
        ];
        let (tables, rest) = tables(lines);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.rows(), t.cols()), (3, 3));
        let text = |r: u32, c: u32| t.texts[(r * t.cols() + c) as usize].clone();
        assert_eq!(text(0, 1), "本年制发件数");
        assert_eq!(text(1, 0), "规章");
        assert_eq!(text(2, 0), "行政规范性\n文件");
        assert_eq!(text(2, 2), "49");
        let left: Vec<usize> = rest.iter().map(|(k, _)| *k).collect();
        assert_eq!(left, vec![0, 5]);
    }

    #[test]
    fn prose_with_numbers_is_no_table() {
        let lines = vec![
            line(&[("2023年，本机关收到申请12件，办结11件。", 50.0)], 100.0),
            line(&[("上年结转1件。", 50.0)], 114.0),
        ];
        let (tables, rest) = tables(lines);
        assert!(tables.is_empty());
        assert_eq!(rest.len(), 2);
    }
}
