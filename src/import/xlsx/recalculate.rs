//! Sums whose saved results are missing or stale (a workbook from openpyxl or a web export saves none), worked out
//! from the sheet's cells.

use rustc_hash::FxHashMap;

use super::formula;
use super::sheet::{Cells, SheetFormula};
use crate::normalize::format_number;
use crate::raw::FormulaNote;

/// Work out the sheet's sums whose saved results are missing or differ from what their cells give, put the results
/// in the cells, and note each one (the V208 finding says so).
pub(super) fn recalculate(cells: &mut Cells, formulas: &[SheetFormula]) -> Vec<FormulaNote> {
    if formulas.is_empty() {
        return Vec::new();
    }
    fn own(f: &SheetFormula) -> Option<&str> {
        Some(f.text.trim()).filter(|t| !t.is_empty())
    }
    // The cell holding each shared formula's text (its copies hold only the index), and the text parsed once.
    let mut masters: FxHashMap<u32, (&SheetFormula, Option<formula::Sum>)> = FxHashMap::default();
    for f in formulas {
        if let (Some(si), Some(text)) = (f.shared, own(f)) {
            masters.entry(si).or_insert_with(|| (f, formula::parse(text)));
        }
    }
    let parsed: FxHashMap<(u32, u32), formula::Sum> = formulas
        .iter()
        .filter_map(|f| {
            let sum = match own(f) {
                Some(text) => formula::parse(text),
                None => f.shared.and_then(|si| masters.get(&si)).and_then(|(m, sum)| {
                    sum.as_ref()?.shifted(i64::from(f.row) - i64::from(m.row), i64::from(f.col) - i64::from(m.col))
                }),
            };
            sum.map(|s| ((f.row, f.col), s))
        })
        .collect();
    let results: Vec<Option<f64>> = {
        let index: FxHashMap<(u32, u32), usize> = cells.iter().enumerate().map(|(i, c)| ((c.0, c.1), i)).collect();
        let cells = &*cells;
        let value_at = |r: u32, c: u32| match index.get(&(r, c)).map(|&i| &cells[i]) {
            None => formula::Value::Blank,
            Some((_, _, _, Some(n))) => formula::Value::Number(*n),
            Some((_, _, text, None)) if text.trim().is_empty() => formula::Value::Blank,
            Some(_) => formula::Value::Text,
        };
        let mut evaluator = formula::Evaluator::new(&value_at, &parsed);
        formulas.iter().map(|f| evaluator.result((f.row, f.col))).collect()
    };
    let mut notes = Vec::new();
    for (f, result) in formulas.iter().zip(results) {
        let saved = f.saved.map(|i| (cells[i].2.clone(), cells[i].3));
        // A copy of a shared formula that is not a sum shows its first cell's text.
        let shown = parsed.get(&(f.row, f.col)).map_or_else(
            || {
                let text = own(f).or_else(|| f.shared.and_then(|si| masters.get(&si)).and_then(|(m, _)| own(m)));
                text.unwrap_or_default().trim_start_matches('=').to_string()
            },
            ToString::to_string,
        );
        match result {
            Some(v) => {
                // A saved text (a string result, an error) is left as it is: only a missing or numeric result that
                // differs is replaced.
                let keep = match &saved {
                    Some((_, Some(s))) => (s - v).abs() <= 1e-9 * v.abs().max(1.0),
                    Some((text, None)) => !text.trim().is_empty(),
                    None => false,
                };
                if keep {
                    continue;
                }
                let cell = (f.row, f.col, format_number(v), Some(v));
                match f.saved {
                    Some(i) => cells[i] = cell,
                    None => cells.push(cell),
                }
                notes.push(FormulaNote {
                    row: f.row,
                    col: f.col,
                    formula: shown,
                    saved: saved.map(|s| s.0),
                    result: Some(v),
                });
            }
            None if saved.is_none() => {
                // Kept as a blank cell, so that the grid reaches it and the finding can point at it.
                cells.push((f.row, f.col, String::new(), None));
                notes.push(FormulaNote { row: f.row, col: f.col, formula: shown, saved: None, result: None });
            }
            None => {}
        }
    }
    notes
}
