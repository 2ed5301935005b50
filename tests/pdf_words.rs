//! An independent reader of every PDF gongkai reads in the tests: the words poppler's `pdftotext -tsv` finds inside
//! a table must be in the cell gongkai put at that place (the cell whose box holds the word's centre, or the merged
//! cell covering it). Poppler is C and shares no code with hayro; a word in the wrong cell, a cell boundary in the
//! wrong place or a glyph dropped shows up here. Skips with a message where `pdftotext` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::raw::{Addressing, Grid};
use unicode_normalization::UnicodeNormalization;

struct Word {
    page: u32,
    x: f64,
    y: f64,
    text: String,
}

/// The words of a PDF by pdftotext's TSV (level 5 rows), or `None` when pdftotext is not installed.
fn poppler_words(path: &Path) -> Option<Vec<Word>> {
    let out = match Command::new("pdftotext").arg("-tsv").arg(path).arg("-").output() {
        Ok(out) => out,
        Err(_) => return None,
    };
    assert!(out.status.success(), "pdftotext failed on {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    let words = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 12 || f[0] != "5" {
                return None;
            }
            let num = |i: usize| f[i].parse::<f64>().ok();
            let (left, top, width, height) = (num(6)?, num(7)?, num(8)?, num(9)?);
            Some(Word {
                page: f[1].parse().ok()?,
                x: left + width / 2.0,
                y: top + height / 2.0,
                text: f[11].to_string(),
            })
        })
        .collect();
    Some(words)
}

/// Text compared as characters: no spaces or line breaks, compatibility forms folded (full-width digits, the Kangxi
/// radicals some Type 3 fonts map their glyphs to).
fn folded(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The grid position at a page position in one of the PDF's tables, if a table covers it.
fn cell_at(grids: &[Grid], page: u32, x: f64, y: f64) -> Option<(&Grid, u32, u32)> {
    for grid in grids.iter().filter(|g| matches!(g.addressing, Addressing::PdfTable { .. })) {
        for r in 0..grid.rows {
            for c in 0..grid.cols {
                let Some(place) = grid.place(r, c) else { continue };
                let [x0, y0, x1, y1] = place.bbox;
                if place.page == page && (x0..=x1).contains(&x) && (y0..=y1).contains(&y) {
                    return Some((grid, r, c));
                }
            }
        }
    }
    None
}

fn pdfs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["fixtures/pdf", "../shared/corpus/real"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!("skipped: {dir} is absent");
            continue;
        };
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")));
    }
    files.sort();
    files
}

#[test]
fn the_words_poppler_finds_in_each_table_are_in_the_cells_gongkai_put_there() {
    let files = pdfs();
    assert!(files.len() >= 6, "the PDF fixtures are missing: {files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let Some(words) = poppler_words(path) else {
            eprintln!("skipped: pdftotext (poppler-utils) is not installed");
            return;
        };
        let name = path.display().to_string();
        let raw = gongkai::import::read_raw(&name, &std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        let mut checked = 0;
        for word in &words {
            let Some((grid, r, c)) = cell_at(&raw.grids, word.page, word.x, word.y) else { continue };
            let (ar, ac) = grid.get(r, c).and_then(|cell| cell.merged_into).unwrap_or((r, c));
            let text = grid.get(ar, ac).map(|cell| cell.text.as_str()).unwrap_or("");
            checked += 1;
            if !folded(text).contains(&folded(&word.text)) {
                failures.push(format!(
                    "{name}: page {} word {:?} at ({:.1}, {:.1}) is in row {} column {}, whose text is {text:?}",
                    word.page,
                    word.text,
                    word.x,
                    word.y,
                    ar + 1,
                    ac + 1
                ));
            }
        }
        eprintln!("{name}: {checked} words inside tables, all in their cells");
        // Every file has three tables of dozens of cells: a file where few words fall inside them was not read.
        assert!(checked >= 150, "{name}: only {checked} of poppler's words are inside gongkai's tables");
    }
    assert!(failures.is_empty(), "{} words misplaced:\n{}", failures.len(), failures.join("\n"));
}
