//! Tables from the drawing: a page's ruling lines become the grids of its tables, and each glyph goes to the cell
//! that holds it. Lines whose coordinates nearly agree are snapped together and collinear pieces joined; the lines
//! that touch one another make one table; its row and column boundaries are where its lines run, and two
//! neighbouring cells with no line between them are one merged cell. Nothing is guessed from the text.

use hayro_interpret::kurbo::Rect;

use super::page::{Glyph, Segment};
use crate::import::limits;

/// Coordinates closer than this are one line (a border drawn twice, a stroke beside a thin fill).
const SNAP: f64 = 1.5;
/// Lines whose ends come this close touch: a table drawn cell by cell is one table.
const TOUCH: f64 = 2.0;
/// A row or column thinner than this is the space between a double border, not a row.
const MIN_BAND: f64 = 2.5;

/// One table of a page: its boundaries, its merged cells and the glyphs in each cell.
#[derive(Debug)]
pub(crate) struct Table {
    /// Column boundaries left to right, row boundaries top to bottom: `cols + 1` and `rows + 1` of them.
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    /// For each cell (row by row), the cell at the top left of the merged cell that covers it (itself when none).
    pub anchors: Vec<(u32, u32)>,
    /// The text of each cell, at its anchor; empty elsewhere.
    pub texts: Vec<String>,
}

impl Table {
    pub fn rows(&self) -> u32 {
        self.ys.len() as u32 - 1
    }

    pub fn cols(&self) -> u32 {
        self.xs.len() as u32 - 1
    }

    pub fn anchor(&self, r: u32, c: u32) -> (u32, u32) {
        self.anchors[(r * self.cols() + c) as usize]
    }

    /// The box of the merged cell anchored at `(r, c)`.
    pub fn cell_box(&self, r: u32, c: u32) -> Rect {
        let (mut r1, mut c1) = (r, c);
        while r1 + 1 < self.rows() && self.anchor(r1 + 1, c) == (r, c) {
            r1 += 1;
        }
        while c1 + 1 < self.cols() && self.anchor(r, c1 + 1) == (r, c) {
            c1 += 1;
        }
        Rect::new(self.xs[c as usize], self.ys[r as usize], self.xs[c1 as usize + 1], self.ys[r1 as usize + 1])
    }

    /// The cell holding a point, if the table does.
    fn cell_at(&self, x: f64, y: f64) -> Option<(u32, u32)> {
        let band = |bounds: &[f64], v: f64| -> Option<u32> {
            let i = bounds.partition_point(|&b| b <= v);
            (i >= 1 && i < bounds.len()).then(|| i as u32 - 1)
        };
        Some((band(&self.ys, y)?, band(&self.xs, x)?))
    }
}

/// A horizontal or vertical line after snapping: its position across, and its extent along.
#[derive(Debug, Clone, Copy)]
struct Line {
    at: f64,
    from: f64,
    to: f64,
}

/// The tables a page's ruling lines draw, and the glyphs left outside them; each table's cells get their text.
/// `None` when a table would have more cells than [`limits::MAX_PDF_TABLE_CELLS`] (a hostile page size).
pub(super) fn tables(segments: &[Segment], glyphs: Vec<Glyph>) -> Option<(Vec<Table>, Vec<Glyph>)> {
    let horizontals =
        joined(segments.iter().filter(|s| s.horizontal()).map(|s| Line { at: s.y0, from: s.x0, to: s.x1 }));
    let verticals =
        joined(segments.iter().filter(|s| !s.horizontal()).map(|s| Line { at: s.x0, from: s.y0, to: s.y1 }));
    let mut tables = Vec::new();
    for (hs, vs) in groups(&horizontals, &verticals) {
        if let Some(table) = table(&hs, &vs)? {
            tables.push(table);
        }
    }
    tables.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    let mut in_cells: Vec<Vec<Vec<Glyph>>> = tables.iter().map(|t| vec![Vec::new(); t.anchors.len()]).collect();
    let mut outside = Vec::new();
    for glyph in glyphs {
        let place = tables.iter().enumerate().find_map(|(i, t)| {
            let (r, c) = t.cell_at(glyph.inside.x, glyph.inside.y)?;
            let (ar, ac) = t.anchor(r, c);
            Some((i, (ar * t.cols() + ac) as usize))
        });
        match place {
            Some((table, cell)) => in_cells[table][cell].push(glyph),
            None => outside.push(glyph),
        }
    }
    for (table, cells) in tables.iter_mut().zip(in_cells) {
        table.texts = cells.into_iter().map(cell_text).collect();
    }
    Some((tables, outside))
}

/// Lines snapped to shared positions and their collinear pieces joined, in order of position.
fn joined(lines: impl Iterator<Item = Line>) -> Vec<Line> {
    let mut lines: Vec<Line> = lines.collect();
    lines.sort_by(|a, b| a.at.total_cmp(&b.at));
    // Positions within SNAP of their neighbours share the group's mean.
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        while end < lines.len() && lines[end].at - lines[end - 1].at <= SNAP {
            end += 1;
        }
        let mean = lines[start..end].iter().map(|l| l.at).sum::<f64>() / (end - start) as f64;
        lines[start..end].iter_mut().for_each(|l| l.at = mean);
        start = end;
    }
    lines.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        match out.last_mut() {
            Some(last) if last.at == line.at && line.from <= last.to + TOUCH => last.to = last.to.max(line.to),
            _ => out.push(line),
        }
    }
    out
}

fn crosses(h: &Line, v: &Line) -> bool {
    v.at >= h.from - TOUCH && v.at <= h.to + TOUCH && h.at >= v.from - TOUCH && h.at <= v.to + TOUCH
}

/// The lines that touch one another, grouped: each group is one table's drawing.
fn groups(horizontals: &[Line], verticals: &[Line]) -> Vec<(Vec<Line>, Vec<Line>)> {
    let n = horizontals.len();
    let mut parent: Vec<usize> = (0..n + verticals.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, h) in horizontals.iter().enumerate() {
        for (j, v) in verticals.iter().enumerate() {
            if crosses(h, v) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, n + j));
                parent[a] = b;
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, (Vec<Line>, Vec<Line>)> = std::collections::BTreeMap::new();
    for (i, h) in horizontals.iter().enumerate() {
        by_root.entry(root(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in verticals.iter().enumerate() {
        by_root.entry(root(&mut parent, n + j)).or_default().1.push(*v);
    }
    by_root.into_values().collect()
}

/// The boundaries across a table: where its lines run, and where the lines the other way end, for a table whose last
/// row has no line under it (WPS leaves it off where a table breaks across pages) or whose outer border is not
/// drawn. Bands thinner than [`MIN_BAND`] closed up.
fn bounds(lines: &[Line], across: &[Line]) -> Vec<f64> {
    let mut at: Vec<f64> = lines.iter().map(|l| l.at).collect();
    let ends = across.iter().map(|l| l.from).fold(f64::INFINITY, f64::min);
    let far = across.iter().map(|l| l.to).fold(f64::NEG_INFINITY, f64::max);
    at.extend([ends, far].into_iter().filter(|v| v.is_finite()));
    at.sort_by(f64::total_cmp);
    at.dedup_by(|b, a| *b - *a < MIN_BAND);
    at
}

/// The table one group of lines draws: `Some(None)` when the lines make no cell (a rule under a heading, a box),
/// `None` when they would make more cells than the limit.
fn table(horizontals: &[Line], verticals: &[Line]) -> Option<Option<Table>> {
    let (xs, ys) = (bounds(verticals, horizontals), bounds(horizontals, verticals));
    if xs.len() < 2 || ys.len() < 2 {
        return Some(None);
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    if rows.saturating_mul(cols) > limits::MAX_PDF_TABLE_CELLS {
        return None;
    }
    // A line runs between two neighbouring cells when some line at that position covers most of their shared edge.
    let covers = |lines: &[Line], at: f64, from: f64, to: f64| {
        let need = (to - from) * 0.6;
        lines.iter().filter(|l| (l.at - at).abs() <= MIN_BAND).any(|l| l.to.min(to) - l.from.max(from) >= need)
    };
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        // The smaller index (the top left) stays the root.
        parent[ra.max(rb)] = ra.min(rb);
    };
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !covers(verticals, xs[c + 1], ys[r], ys[r + 1]) {
                join(&mut parent, r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !covers(horizontals, ys[r + 1], xs[c], xs[c + 1]) {
                join(&mut parent, r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    // Each merged cell anchored at the top-left cell of its bounding box.
    let mut top_left = vec![(u32::MAX, u32::MAX); rows * cols];
    for i in 0..rows * cols {
        let g = root(&mut parent, i);
        let (r, c) = ((i / cols) as u32, (i % cols) as u32);
        let t = &mut top_left[g];
        *t = (t.0.min(r), t.1.min(c));
    }
    let anchors = (0..rows * cols).map(|i| top_left[root(&mut parent, i)]).collect();
    Some(Some(Table { xs, ys, anchors, texts: vec![String::new(); rows * cols] }))
}

/// A cell's text: its glyphs in lines top to bottom, each left to right, the lines joined by line breaks.
pub(super) fn cell_text(glyphs: Vec<Glyph>) -> String {
    lines(glyphs).iter().map(|line| line_text(line, false)).collect::<Vec<_>>().join("\n")
}

/// Glyphs grouped into lines by their baselines, top to bottom, each line left to right.
pub(super) fn lines(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match lines.last_mut() {
            // A vertical glyph is a line of its own: the next one stands below it.
            Some(line) if !glyph.vertical && line[0].vertical == glyph.vertical && same_line(&line[0], &glyph) => {
                line.push(glyph)
            }
            _ => lines.push(vec![glyph]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

fn same_line(first: &Glyph, glyph: &Glyph) -> bool {
    (glyph.y - first.y).abs() < 0.5 * first.size.min(glyph.size)
}

/// A line's text. Between Latin letters or digits a gap of a third of an em is a space; with `columns`, a gap of
/// two ems (a table drawn without lines), or of a third of an em between a word and a count, is two spaces, which the
/// text reader takes for a cell boundary.
pub(super) fn line_text(line: &[Glyph], columns: bool) -> String {
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    for glyph in line {
        if let Some(p) = previous {
            let end = p.end.filter(|e| *e > p.x && *e - p.x < 2.0 * p.size).unwrap_or(p.x + advance(p));
            let gap = glyph.x - end;
            let latin = |g: &Glyph| g.text.chars().all(|c| c.is_ascii_alphanumeric() || ".,%-".contains(c));
            // A label's cell ending right where a count's begins (a narrow column): the padding between the two
            // cells is the only gap.
            let count_after_word = !latin(p) && glyph.text.starts_with(|c: char| c.is_ascii_digit());
            if columns && (gap > 2.0 * p.size || (count_after_word && gap > 0.3 * p.size)) {
                text.push_str("  ");
            } else if gap > 0.3 * p.size && latin(p) && latin(glyph) {
                text.push(' ');
            }
        }
        text.push_str(&glyph.text);
        previous = Some(glyph);
    }
    if columns && text.matches("  ").count() >= 2 { split_counts_from_words(&text) } else { text }
}

/// In a row of cells, a count that follows a word with no gap (a label cut off where its cell ends, as Calc prints
/// it) starts a cell of its own.
fn split_counts_from_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_digit() && previous.is_some_and(|p| !p.is_ascii() && !"（(第".contains(p)) {
            out.push_str("  ");
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// A glyph's advance when its run did not give the next pen position: half an em for a Latin glyph, an em else.
fn advance(g: &Glyph) -> f64 {
    if g.text.is_ascii() { 0.5 * g.size } else { g.size }
}
