//! Arbitrary raw tables: UTF-8 text read as a grid (rows by newline, cells by tab, `\x01` marking a cell merged
//! into the one on its left) and as running text. Recognition, lint and rendering must not panic.
#![no_main]

use gongkai::raw::{Addressing, Grid, InputKind, Paragraph, RawDocument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rows: Vec<Vec<&str>> = text.lines().take(200).map(|l| l.split('\t').take(40).collect()).collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let mut grid = Grid::new(Addressing::DocTable { index: 1 }, rows.len() as u32, cols);
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if *cell == "\u{1}" && c > 0 {
                grid.merge(r as u32, c as u32 - 1, r as u32, c as u32);
            } else if let Some(g) = grid.get_mut(r as u32, c as u32) {
                g.text = (*cell).to_string();
            }
        }
    }
    let paragraphs = text.lines().take(500).enumerate().map(|(i, l)| Paragraph { text: l.to_string(), origin: format!("第{}行", i + 1), cells: Vec::new() }).collect();
    for raw in [
        RawDocument { kind: InputKind::Docx, paragraphs: Vec::new(), grids: vec![grid], property_title: None, published: None },
        RawDocument { kind: InputKind::Text, paragraphs, grids: Vec::new(), property_title: None, published: None },
    ] {
        let report = gongkai::recognize::recognize("fuzz", raw);
        for d in gongkai::lint::check(&report) {
            let _ = gongkai::render::concise(&report, &d, gongkai::lang::Lang::Zh);
        }
    }
});
