//! gongkai reads XLSX with its own one-pass reader; calamine (which reads XLS for gongkai) is the oracle here:
//! on every workbook of the fixtures (written by openpyxl, LibreOffice and rust_xlsxwriter) and on the workbooks
//! gongkai writes, both must see the same sheets, the same cell texts and numbers, and the same merged ranges.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use gongkai::raw::{Addressing, Grid};

fn xlsx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixtures folder").flatten() {
        let p = entry.path();
        if p.is_dir() {
            xlsx_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "xlsx") {
            out.push(p);
        }
    }
}

/// calamine's view of one sheet: `(row, col) → (text, number)` and its merged ranges.
struct OracleSheet {
    name: String,
    cells: Vec<((u32, u32), String, Option<f64>)>,
    merges: Vec<((u32, u32), (u32, u32))>,
}

fn oracle(bytes: &[u8]) -> Option<Vec<OracleSheet>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).ok()?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).ok()?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .filter_map(|(r, c, d)| {
                let at = (r0 + r as u32, c0 + c as u32);
                let (text, number) = match d {
                    Data::Empty => return None,
                    Data::Float(f) => (gongkai::normalize::format_number(*f), Some(*f)),
                    Data::Int(i) => (i.to_string(), Some(*i as f64)),
                    Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), None),
                    // Number formats are not read by gongkai: a date-formatted cell is its stored number.
                    // A date of the years 2000–2099 reads as a date (a 落款); other date-formatted numbers as numbers.
                    Data::DateTime(d) if d.is_datetime() && (36_526.0..73_051.0).contains(&d.as_f64()) => {
                        let (year, month, day, ..) = d.to_ymd_hms_milli();
                        (format!("{year}年{month}月{day}日"), None)
                    }
                    Data::DateTime(d) => (gongkai::normalize::format_number(d.as_f64()), Some(d.as_f64())),
                    other => (other.to_string(), None),
                };
                Some((at, text, number))
            })
            .collect();
        let merges =
            book.merge_cells_by_sheet_name(&name).unwrap_or_default().iter().map(|m| (m.start, m.end)).collect();
        sheets.push(OracleSheet { name, cells, merges });
    }
    Some(sheets)
}

fn compare(label: &str, bytes: &[u8]) -> usize {
    let Some(expected) = oracle(bytes) else {
        return 0; // calamine cannot open it either (encrypted, damaged): the hostile tests cover these
    };
    let raw = gongkai::import::read_raw(label, bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    let grids: Vec<&Grid> = raw.grids.iter().collect();
    let non_empty: Vec<&OracleSheet> = expected.iter().filter(|s| !s.cells.is_empty()).collect();
    assert_eq!(grids.len(), non_empty.len(), "{label}: sheets with cells");
    let mut compared = 0;
    for (sheet, grid) in non_empty.iter().zip(&grids) {
        let Addressing::Sheet { sheet: name, row0, col0 } = &grid.addressing else {
            panic!("{label}: a workbook grid without a sheet address")
        };
        assert_eq!(name, &sheet.name, "{label}");
        for ((r, c), text, number) in &sheet.cells {
            if grid.formula_at(r - row0, c - col0).is_some() {
                continue; // a sum whose saved result was stale: gongkai works it out, calamine reads what was saved
            }
            let cell = grid.get(r - row0, c - col0).unwrap_or_else(|| panic!("{label}: {name} ({r},{c}) outside"));
            // calamine trims ASCII whitespace around text written without xml:space="preserve"; gongkai keeps it.
            assert_eq!(cell.text.trim(), text.trim(), "{label}: {name} ({r},{c})");
            assert_eq!(cell.typed_number, *number, "{label}: {name} ({r},{c})");
            compared += 1;
        }
        for &((mr0, mc0), (mr1, mc1)) in &sheet.merges {
            let inside = |r: u32, c: u32| r >= *row0 && c >= *col0 && grid.get(r - row0, c - col0).is_some();
            if !inside(mr0, mc0) {
                continue; // a merge outside the cells holds no text; the grid does not reach it
            }
            for r in mr0..=mr1 {
                for c in mc0..=mc1 {
                    if inside(r, c) {
                        assert_eq!(
                            grid.anchor_of(r - row0, c - col0),
                            (mr0 - row0, mc0 - col0),
                            "{label}: {name} merge at ({r},{c})"
                        );
                    }
                }
            }
        }
    }
    compared
}

#[test]
fn the_xlsx_reader_agrees_with_calamine_on_every_fixture() {
    let mut files = Vec::new();
    xlsx_files(Path::new("fixtures"), &mut files);
    // More workbooks to hold the reader to, e.g. the benchmark corpus: GONGKAI_XLSX_ORACLE_DIRS=dir1:dir2
    for dir in std::env::var("GONGKAI_XLSX_ORACLE_DIRS").unwrap_or_default().split(':').filter(|d| !d.is_empty()) {
        xlsx_files(Path::new(dir), &mut files);
    }
    files.sort();
    let mut compared = 0;
    let mut workbooks = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("read fixture");
        // calamine panics on some damaged workbooks (fuzzing found two); those are hostile-input tests.
        let Ok(n) = std::panic::catch_unwind(|| compare(&path.display().to_string(), &bytes)) else {
            assert!(
                !path.starts_with("fixtures") || path.starts_with("fixtures/regressions"),
                "{}: the comparison panicked",
                path.display()
            );
            continue;
        };
        workbooks += usize::from(n > 0);
        compared += n;
    }
    assert!(workbooks >= 15, "only {workbooks} fixture workbooks compared");
    assert!(compared > 3000, "only {compared} cells compared");
}

#[test]
fn the_xlsx_reader_agrees_with_calamine_on_what_gongkai_writes() {
    let report = gongkai::import::read(Path::new("fixtures/xlsx/balance-broken.xlsx")).expect("fixture");
    let written = gongkai::export::render(&report, gongkai::export::Format::Xlsx, &[]).expect("render");
    assert!(compare("written.xlsx", &written) > 200);
    let template = gongkai::export::xlsx::template(Some(2024)).expect("template");
    assert!(compare("template.xlsx", &template) > 100);
}
