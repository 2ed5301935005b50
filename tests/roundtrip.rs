//! Export → import gives the same model: for every readable fixture, the XLSX and DOCX that gongkai writes read
//! back with the same values (2021 and trial), format version, year and agency; a corrected DOCX patched in place
//! reads back as the fixed model; and written files pass the checks their source passed.

use std::path::Path;

use gongkai::export::{self, Change, Format};
use gongkai::fix::{self, Writer};
use gongkai::lint;
use gongkai::model::Report;
use serde_json::Value;

fn readable_fixtures() -> Vec<String> {
    let text = std::fs::read_to_string("fixtures/manifest.json").unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    manifest
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["readable"] == true && e["values"].is_string())
        .map(|e| format!("fixtures/{}", e["file"].as_str().unwrap()))
        .collect()
}

fn assert_same(original: &Report, back: &Report, what: &str) {
    assert_eq!(original.values(), back.values(), "{what}: values differ");
    assert_eq!(original.trial_values(), back.trial_values(), "{what}: trial values differ");
    assert_eq!(original.format, back.format, "{what}: format");
    assert_eq!(original.meta.year, back.meta.year, "{what}: year");
    assert_eq!(original.meta.agency, back.meta.agency, "{what}: agency");
    assert_eq!(original.meta.title, back.meta.title, "{what}: title");
    assert_eq!(original.meta.date_line, back.meta.date_line, "{what}: date line");
    // The sections written back are the source's, and the ones it lacked stand with the note that says so.
    let keys = |r: &Report| {
        r.sections.iter().filter(|s| !gongkai::layout::is_absence_note(&s.text)).map(|s| s.key).collect::<Vec<_>>()
    };
    assert_eq!(keys(original), keys(back), "{what}: sections");
}

#[test]
fn every_fixture_round_trips_through_xlsx_and_docx() {
    for file in readable_fixtures() {
        let original = gongkai::import::read(Path::new(&file)).unwrap();
        for (format, ext) in [(Format::Xlsx, "xlsx"), (Format::Docx, "docx")] {
            let bytes = export::render(&original, format, &[]).unwrap();
            let back = gongkai::import::read_bytes(&format!("out.{ext}"), &bytes).unwrap();
            assert_same(&original, &back, &format!("{file} → {ext}"));
            let codes = |r: &Report| {
                let mut v: Vec<_> = lint::check(r)
                    .iter()
                    .map(|d| d.code)
                    .filter(|c| c.starts_with('C') || c.starts_with('F'))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(codes(&original), codes(&back), "{file} → {ext}: consistency findings differ");
        }
    }
}

#[test]
fn fixes_written_to_every_format_read_back_fixed() {
    for file in readable_fixtures() {
        let bytes = std::fs::read(&file).unwrap();
        let original = gongkai::import::read_bytes(&file, &bytes).unwrap();
        let diagnostics = lint::check(&original);
        let (fixed, edits) = lint::apply_fixes(&original, &diagnostics, true);
        if edits.is_empty() {
            continue;
        }
        let changes = Change::from_edits(&edits, &diagnostics);
        let mut outputs = vec![
            ("xlsx", export::render(&fixed, Format::Xlsx, &changes).unwrap()),
            ("docx", export::render(&fixed, Format::Docx, &changes).unwrap()),
        ];
        if file.ends_with(".docx") {
            outputs.push(("docx", export::docx_patch::patch(&bytes, &fixed, &changes).unwrap()));
        }
        for (ext, out) in outputs {
            let back = gongkai::import::read_bytes(&format!("fixed.{ext}"), &out).unwrap();
            assert_eq!(fixed.values(), back.values(), "{file} fixed → {ext}");
            let left: Vec<_> = lint::check(&back).into_iter().filter(|d| d.fix.is_some()).map(|d| d.code).collect();
            assert!(left.is_empty(), "{file} fixed → {ext}: still fixable {left:?}");
        }
    }
}

#[test]
fn a_patched_docx_keeps_every_other_part_byte_identical() {
    let file = "fixtures/docx/result-sum-wrong.docx";
    let bytes = std::fs::read(file).unwrap();
    let report = gongkai::import::read_bytes(file, &bytes).unwrap();
    let diagnostics = lint::check(&report);
    let (fixed, edits) = lint::apply_fixes(&report, &diagnostics, true);
    let changes = Change::from_edits(&edits, &diagnostics);
    let out = export::docx_patch::patch(&bytes, &fixed, &changes).unwrap();
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut b = zip::ZipArchive::new(std::io::Cursor::new(&out)).unwrap();
    assert_eq!(a.len(), b.len());
    for i in 0..a.len() {
        let name = a.by_index(i).unwrap().name().unwrap().to_string();
        let read = |z: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>, n: &str| {
            let mut s = Vec::new();
            std::io::Read::read_to_end(&mut z.by_name(n).unwrap(), &mut s).unwrap();
            s
        };
        let (x, y) = (read(&mut a, &name), read(&mut b, &name));
        if name == "word/document.xml" {
            let y = String::from_utf8(y).unwrap();
            assert!(y.contains(r#"w:fill="FFC7CE""#), "changed cells are shaded");
            assert_eq!(y.matches(r#"w:fill="FFC7CE""#).count(), changes.len());
        } else {
            assert_eq!(x, y, "{name} changed");
        }
    }
}

#[test]
fn the_xlsx_template_reads_as_a_blank_standard_report() {
    let bytes = export::xlsx::template(Some(2025)).unwrap();
    let report = gongkai::import::read_bytes("template.xlsx", &bytes).unwrap();
    assert_eq!(report.meta.year, Some(2025));
    assert_eq!(report.values().values().filter(|v| v.as_f64() == Some(0.0)).count(), 200);
    assert!(lint::check(&report).iter().all(|d| d.severity != lint::Severity::Error));
    // The total cells are formulas over their parts.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    // 25 row totals, 7 (七)总计 cells and 3 表四 totals; the (七)总计 × 总计 cell is both a row and a column total.
    assert_eq!(sheet.matches("<f>SUM(").count(), 25 + 7 + 3 - 1, "total formulas");
    assert!(sheet.contains("<dataValidation"), "validation");
    assert!(sheet.contains("勾稽关系成立"), "check cell");
}

#[test]
fn csv_has_a_row_per_key() {
    let report = gongkai::import::read(Path::new("fixtures/xlsx/clean-one-sheet.xlsx")).unwrap();
    let csv = String::from_utf8(export::render(&report, Format::Csv, &[]).unwrap()).unwrap();
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(lines.len(), 201);
    assert!(lines[0].ends_with("key,label,value"));
    let expected = report.number("t3.new_received.total").unwrap();
    assert!(lines.iter().any(|l| l.starts_with("t3.new_received.total,") && l.ends_with(&format!(",{expected}"))));
}

/// What converting to the standard layout cures, and so may take away from a check of the file written: numbers
/// written plainly (V204), formula results worked out and written (V208), columns and rows outside the format left
/// out (S104, S105), labels written in the format's words (S106), digits run together written in their cells as the
/// text settled them (S108), a garbled date written as it was read (T605).
const CURED_BY_CONVERTING: &[&str] = &["V204", "V208", "S104", "S105", "S106", "S108", "T605"];

/// What only the source can be checked for: the time a web page was published (M504 late publication, M505 the
/// signature's date against it) is the page's, not the document's.
const OF_THE_SOURCE: &[&str] = &["M504", "M505"];

/// A finding the file written has in another form: a missing row (S102) or a cell that could not be read (S107)
/// is written as blank cells, which the check of the file written reports as blank (V205).
const WRITTEN_AS: &[(&str, &str)] = &[("S102", "V205"), ("S107", "V205")];

type Findings = Vec<(String, Option<String>)>;

/// The findings of a check by code and canonical key (not address), each once.
fn findings_of(diagnostics: &[lint::Diagnostic]) -> Findings {
    let mut v: Findings = diagnostics.iter().map(|d| (d.code.to_string(), d.key.clone())).collect();
    v.sort();
    v.dedup();
    v
}

/// How the findings of a file written differ from those of what it was written from: each one added, and each
/// one lost that writing does not cure.
fn differences(what: &str, before: &Findings, after: &Findings) -> Vec<String> {
    let was = |code: &str| before.iter().any(|f| f.0 == code);
    let now = |code: &str| after.iter().any(|f| f.0 == code);
    let written_as = |code: &str| WRITTEN_AS.iter().any(|(from, to)| code == *to && was(from));
    let kept_in_another_form = |code: &str| WRITTEN_AS.iter().any(|(from, to)| code == *from && now(to));
    let added =
        after.iter().filter(|f| !before.contains(f) && !written_as(&f.0)).map(|f| format!("{what}: adds {f:?}"));
    let lost = before
        .iter()
        .filter(|f| {
            let code = f.0.as_str();
            !after.contains(f)
                && !CURED_BY_CONVERTING.contains(&code)
                && !OF_THE_SOURCE.contains(&code)
                && !kept_in_another_form(code)
        })
        .map(|f| format!("{what}: loses {f:?}"));
    added.chain(lost).collect()
}

fn readable_manifest_files() -> Vec<String> {
    let text = std::fs::read_to_string("fixtures/manifest.json").unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    let readable = manifest.as_array().unwrap().iter().filter(|e| e["readable"] == true);
    readable.map(|e| e["file"].as_str().unwrap().to_string()).collect()
}

/// Converting never adds a finding: a check of the XLSX or DOCX that `convert` writes finds (by code and canonical
/// key, not address) what the check of its source found, less what converting cures.
#[test]
fn converting_never_adds_a_finding_and_loses_only_what_it_cures() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for file in readable_manifest_files() {
        let original = gongkai::import::read(Path::new(&format!("fixtures/{file}"))).unwrap();
        let before = findings_of(&lint::check(&original));
        for (format, ext) in [(Format::Xlsx, "xlsx"), (Format::Docx, "docx")] {
            let bytes = match export::render(&original, format, &[]) {
                // A file with no table is not written as a blank form.
                Err(export::ExportError::NoTables) if original.tables.is_empty() => continue,
                other => other.unwrap(),
            };
            let back = gongkai::import::read_bytes(&format!("converted.{ext}"), &bytes).unwrap();
            tried += 1;
            failures.extend(differences(&format!("{file} → {ext}"), &before, &findings_of(&lint::check(&back))));
        }
    }
    assert!(tried >= 60, "{tried}");
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

/// Fixing never adds a finding either: the file `fix --unsafe-fixes` writes, in place or in the standard layout,
/// is found to have what the check of the fixed report found, and no more (a change left to a formula's cell
/// leaves its finding).
#[test]
fn fixing_never_adds_a_finding() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for file in readable_manifest_files() {
        let path = format!("fixtures/{file}");
        let bytes = std::fs::read(&path).unwrap();
        let report = gongkai::import::read_bytes(&path, &bytes).unwrap();
        if report.tables.is_empty() {
            continue;
        }
        let input = report.input;
        // Safe fixes only leave the unsafe ones' findings for the file written to keep.
        for unsafe_fixes in [false, true] {
            let options = fix::Options { unsafe_fixes, ..Default::default() };
            let fixed = fix::fix(report.clone(), Path::new(&path), &options);
            if fixed.changes.is_empty() {
                continue;
            }
            let expected = findings_of(&fixed.remaining);
            let in_place = Writer::choose(input, None);
            let writers = [in_place, Writer::Xlsx, Writer::Docx];
            for writer in writers.into_iter().filter(|w| *w == in_place || !w.keeps_the_file()) {
                let written = writer.write(&bytes, &fixed).unwrap();
                let name = format!("fixed.{}", writer.extension());
                let back = gongkai::import::read_bytes(&name, &written.bytes).unwrap();
                tried += 1;
                let left_to_formulas = |f: &(String, Option<String>)| {
                    written.left_to_formulas.iter().any(|c| f.1.as_deref() == Some(c.key.as_str()))
                };
                let mut after = findings_of(&lint::check(&back));
                after.retain(|f| !left_to_formulas(f));
                let what = format!("{file} fixed (unsafe: {unsafe_fixes}) → {writer:?}");
                // What the source only (M504, M505) or the standard layout cures is lost only in the standard layout.
                let lost_ok = !writer.keeps_the_file();
                let found = differences(&what, &expected, &after);
                failures.extend(found.into_iter().filter(|d| lost_ok || !d.contains(": loses ")));
                if writer.keeps_the_file() {
                    for f in expected.iter().filter(|f| !after.contains(f) && !left_to_formulas(f)) {
                        failures.push(format!("{what}: loses {f:?}"));
                    }
                }
            }
        }
    }
    assert!(tried >= 20, "{tried}");
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
