//! Rows of tables written as text (markdown pipe tables, read by `import::pipe`): their cells as written, empty
//! ones kept, so a row with a blank cell is placed column by column; and rows whose numbers stand apart from their
//! labels (PDF-to-markdown converters put a wrapped label in the text above and its numbers in a row of their own)
//! placed by the fixed row order of the table, anchored at the rows whose labels are there. A row is only ever
//! placed where the rows around it leave no other place: where the count of rows between two anchors is not the
//! count of the format's rows between them, none of them is placed.

use crate::normalize::{self, Parsed};
use crate::raw::TextCell;

/// A row of a text table that holds numbers: the line it is on, its label cells and its value cells (those after
/// its last label cell).
pub(super) struct ValueRow<'s> {
    pub line: u32,
    labels: Vec<&'s str>,
    values: &'s [TextCell],
}

impl<'s> ValueRow<'s> {
    /// Its value cells when, less empty cells at either end, there are exactly `width` of them.
    pub(super) fn fitted(&self, width: usize) -> Option<&'s [TextCell]> {
        let mut values = self.values;
        let blank = |c: &TextCell| c.text.trim().is_empty();
        while values.len() > width && values.last().is_some_and(blank) {
            values = &values[..values.len() - 1];
        }
        while values.len() > width && values.first().is_some_and(blank) {
            values = &values[1..];
        }
        (values.len() == width).then_some(values)
    }
}

/// The rows of text tables on lines `first..=last` that hold at least one number and no text among their values.
pub(super) fn value_rows(rows: &[(u32, Vec<TextCell>)], first: u32, last: u32) -> Vec<ValueRow<'_>> {
    let from = rows.partition_point(|(line, _)| *line < first);
    let mut out = Vec::new();
    for (line, cells) in rows[from..].iter().take_while(|(line, _)| *line <= last) {
        let parsed: Vec<Parsed> = cells.iter().map(|c| normalize::parse_value(&c.text)).collect();
        let first_value = parsed.iter().rposition(|p| *p == Parsed::Text).map_or(0, |i| i + 1);
        if !parsed[first_value..].iter().any(|p| matches!(p, Parsed::Number { .. })) {
            continue;
        }
        let labels = cells[..first_value].iter().map(|c| c.text.as_str()).filter(|t| !t.trim().is_empty()).collect();
        out.push(ValueRow { line: *line, labels, values: &cells[first_value..] });
    }
    out
}

/// The value row the text's order gives each of the table's `expected` rows (their labels as the format prints
/// them), `None` where it gives none. Rows whose labels name one row of the format anchor the order; every row
/// between two anchors is placed when their count is the format's count between them and no label among them
/// names another row. Anchors out of order place nothing.
pub(super) fn in_order(rows: &[ValueRow], expected: &[&str], width: usize) -> Vec<Option<usize>> {
    let mut placed = vec![None; expected.len()];
    let expected_labels: Vec<String> = expected.iter().map(|l| normalize::label(l)).collect();
    let allowed: Vec<Option<Vec<usize>>> = rows.iter().map(|r| rows_named(&r.labels, &expected_labels)).collect();
    // Fixed points (value row, expected row), with the ends of both as bounds.
    let mut fixed: Vec<(isize, isize)> = vec![(-1, -1)];
    for (p, set) in allowed.iter().enumerate() {
        if let Some([k]) = set.as_deref() {
            fixed.push((p as isize, *k as isize));
        }
    }
    fixed.push((rows.len() as isize, expected.len() as isize));
    if fixed.windows(2).any(|w| w[1].0 <= w[0].0 || w[1].1 <= w[0].1) {
        return placed;
    }
    for &(p, k) in &fixed[1..fixed.len() - 1] {
        if rows[p as usize].fitted(width).is_some() {
            placed[k as usize] = Some(p as usize);
        }
    }
    for w in fixed.windows(2) {
        let ((p1, k1), (p2, k2)) = (w[0], w[1]);
        if p2 - p1 != k2 - k1 {
            continue;
        }
        // The rows between two anchors, when each fits and no label among them names another row.
        let between: Vec<(usize, usize)> = (1..p2 - p1).map(|j| ((p1 + j) as usize, (k1 + j) as usize)).collect();
        let fits = between
            .iter()
            .all(|&(p, k)| rows[p].fitted(width).is_some() && allowed[p].as_ref().is_none_or(|set| set.contains(&k)));
        if fits {
            for (p, k) in between {
                placed[k] = Some(p);
            }
        }
    }
    placed
}

/// The expected rows a row's label cells may name: for each cell whose core (its label without numbering) is at
/// least two characters, the rows whose label holds it or is held by it; those of every such cell together.
/// `None` when no cell names any row (`三、`, `（三）不`, a converter's stray header text).
fn rows_named(labels: &[&str], expected: &[String]) -> Option<Vec<usize>> {
    let mut named: Option<Vec<usize>> = None;
    for label in labels {
        let norm = normalize::label(label);
        let core = normalize::label_core(&norm);
        if core.chars().count() < 2 {
            continue;
        }
        let these: Vec<usize> = expected
            .iter()
            .enumerate()
            .filter(|(_, e)| e.contains(core) || norm.contains(normalize::label_core(e)))
            .map(|(k, _)| k)
            .collect();
        if these.is_empty() {
            continue;
        }
        named = Some(match named {
            None => these,
            Some(before) => before.into_iter().filter(|k| these.contains(k)).collect(),
        });
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u32, cells: &[&str]) -> (u32, Vec<TextCell>) {
        (line, cells.iter().map(|t| TextCell { text: t.to_string(), at: 0 }).collect())
    }

    const EXPECTED: [&str; 5] = ["一、甲类申请", "二、乙类申请", "1.丙类情形", "2.丁类情形", "三、总计"];

    #[test]
    fn rows_without_labels_are_placed_between_anchors() {
        let rows = vec![
            row(1, &["表头", "列一", "列二"]),
            row(2, &["一、甲类申请", "1", "2"]),
            row(3, &["3", "4"]),
            row(5, &["1.丙类情形", "5", "6", ""]),
            row(6, &["7", ""]),
            row(7, &["三、总计", "16", "12"]),
        ];
        let found = value_rows(&rows, 0, 10);
        assert_eq!(found.len(), 5, "the header holds no number");
        assert_eq!(in_order(&found, &EXPECTED, 2), vec![Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(found[3].fitted(2).map(|v| v[1].text.as_str()), Some(""), "the blank cell is kept");
    }

    #[test]
    fn a_missing_row_between_anchors_places_none_of_them() {
        let rows = vec![
            row(2, &["一、甲类申请", "1", "2"]),
            row(5, &["1.丙类情形", "5", "6"]),
            row(6, &["7", "0"]),
            row(7, &["三、总计", "16", "12"]),
        ];
        let found = value_rows(&rows, 0, 10);
        // 乙 is missing before 丙: the row above 丙 is 甲, whose anchor holds; nothing is shifted into 乙's place.
        assert_eq!(in_order(&found, &EXPECTED, 2), vec![Some(0), None, Some(1), Some(2), Some(3)]);
        let shuffled = vec![row(2, &["1.丙类情形", "5", "6"]), row(3, &["一、甲类申请", "1", "2"])];
        assert!(in_order(&value_rows(&shuffled, 0, 10), &EXPECTED, 2).iter().all(Option::is_none));
    }

    #[test]
    fn a_label_naming_another_row_stops_its_segment() {
        let rows = vec![row(2, &["一、甲类申请", "1", "2"]), row(3, &["3", "4"]), row(4, &["2.丁类情形", "5", "6"])];
        let found = value_rows(&rows, 0, 10);
        // Three rows for 甲, 乙, 丙 would put 丁's label in 丙's place: the label anchors 丁, and 甲..丁 holds
        // one row too few, so only the anchors are placed.
        let placed = in_order(&found, &EXPECTED, 2);
        assert_eq!(placed[0], Some(0));
        assert_eq!(placed[1], None);
        assert_eq!(placed[3], Some(2));
    }
}
