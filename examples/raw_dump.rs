//! Print what an importer read from a file, before recognition: its paragraphs with their origins and each grid
//! row by row (`^` marks a position a merged cell covers, `⏎` a line break in a cell). For looking at why a table
//! was or was not recognised.
//!
//! ```sh
//! cargo run --example raw_dump -- report.pdf
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: raw_dump FILE");
        return ExitCode::from(2);
    };
    let raw = match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| gongkai::import::read_raw(&path, &bytes).map_err(|e| e.to_string()))
    {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    for p in &raw.paragraphs {
        println!("P {} {:?}", p.origin, p.text);
    }
    for (index, grid) in raw.grids.iter().enumerate() {
        println!("GRID {index} {:?} {}x{}", grid.addressing, grid.rows, grid.cols);
        for r in 0..grid.rows {
            let row: Vec<String> = (0..grid.cols)
                .map(|c| match grid.get(r, c) {
                    Some(cell) if cell.merged_into.is_some() => "^".to_string(),
                    Some(cell) => cell.text.replace('\n', "⏎"),
                    None => String::new(),
                })
                .collect();
            println!("  {r:2}: {}", row.join(" | "));
        }
    }
    ExitCode::SUCCESS
}
