//! The clerk's own workbook, fixed in place: the changes land at the addresses the findings give, every other cell
//! and part stays as it was, and a total that a formula gives is left to the formula. (openpyxl and LibreOffice
//! check the same files from outside in tests/independent/check_outputs.py.)

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use gongkai::fix::{self, Writer};

/// The entries of a zip, by name.
fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.insert(entry.name().unwrap().into_owned(), data);
    }
    out
}

/// A zip with the same entries as `bytes`, `name` replaced by `data`.
fn with_entry(bytes: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (n, d) in entries(bytes) {
        out.start_file(n.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(if n == name { data } else { &d }).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Fix the workbook at `path` in place (unsafe fixes too); the original bytes, the report fixed and what was written.
fn fix_in_place(name: &str, bytes: &[u8]) -> (gongkai::fix::Fixed, gongkai::fix::Written) {
    let report = gongkai::import::read_bytes(name, bytes).unwrap();
    assert_eq!(Writer::choose(report.input, None), Writer::PatchXlsx);
    let options = fix::Options { unsafe_fixes: true, ..Default::default() };
    let fixed = fix::fix(report, Path::new(name), &options);
    let written = Writer::PatchXlsx.write(bytes, &fixed).unwrap();
    (fixed, written)
}

#[test]
fn every_workbook_fixture_with_fixes_is_fixed_where_the_findings_point_and_nowhere_else() {
    let manifest: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string("fixtures/manifest.json").unwrap()).unwrap();
    let mut tried = 0;
    for entry in manifest.iter().filter(|e| e["readable"] == true) {
        let file = entry["file"].as_str().unwrap();
        if !file.ends_with(".xlsx") {
            continue;
        }
        let path = Path::new("fixtures").join(file);
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let (fixed, written) = fix_in_place(&name, &bytes);
        if fixed.changes.is_empty() {
            continue;
        }
        tried += 1;
        let after = gongkai::import::read_bytes(&name, &written.bytes).unwrap();
        // Each change at its address, every other value as it was.
        for (key, cell) in fixed.report.cells.iter() {
            let now = after.cell(key).unwrap_or_else(|| panic!("{file}: {key} lost"));
            assert_eq!(after.address(now.origin), fixed.report.address(cell.origin), "{file}: {key} moved");
            match fixed.changes.iter().find(|c| c.key == key) {
                Some(change) if !written.left_to_formulas.iter().any(|l| l.key == key) => {
                    assert_eq!(now.raw, change.to, "{file}: {key}")
                }
                _ => assert_eq!(now.raw, cell.raw, "{file}: {key} changed"),
            }
        }
        // The errors the fixes cure are gone from the file written.
        let fixed_rules: Vec<&str> = fixed.changes.iter().map(|c| c.rule.split(' ').next().unwrap()).collect();
        let left: Vec<_> = gongkai::lint::check(&after)
            .into_iter()
            .filter(|d| fixed_rules.contains(&d.code) && d.severity == gongkai::lint::Severity::Error)
            .map(|d| (d.code, d.key))
            .collect();
        assert!(left.is_empty(), "{file}: {left:?}");
        // Parts nobody needed to touch are the same bytes.
        let (old, new) = (entries(&bytes), entries(&written.bytes));
        for (part, data) in &old {
            let touched = part.starts_with("xl/worksheets/sheet")
                || part == "xl/styles.xml"
                || part == "[Content_Types].xml"
                || part.ends_with(".rels");
            assert!(new.contains_key(part), "{file}: {part} dropped");
            if !touched {
                assert_eq!(&new[part], data, "{file}: {part} changed");
            }
        }
        assert!(new.keys().any(|k| k.starts_with("xl/comments")), "{file}: no comments part");
    }
    assert!(tried >= 5, "only {tried} workbook fixtures had fixes");
}

#[test]
fn a_total_given_by_a_formula_is_left_to_it_and_handed_back() {
    let src = std::fs::read("fixtures/xlsx/row-total-off-by-one.xlsx").unwrap();
    let sheet = String::from_utf8(entries(&src)["xl/worksheets/sheet1.xml"].clone()).unwrap();
    // K25 adds E25:I25 only (the 其他 column forgotten): 11 where the parts make 16.
    let with_formula = sheet
        .replace(r#"<c r="K25" s="2" t="n"><v>17</v></c>"#, r#"<c r="K25" s="2"><f>SUM(E25:I25)</f><v>11</v></c>"#);
    assert_ne!(with_formula, sheet, "the fixture's K25 moved");
    let bytes = with_entry(&src, "xl/worksheets/sheet1.xml", with_formula.as_bytes());
    let (fixed, written) = fix_in_place("formula.xlsx", &bytes);
    assert!(fixed.changes.iter().any(|c| c.key == "t3.new_received.total" && c.to == "16"), "{:?}", fixed.changes);
    assert_eq!(written.left_to_formulas.len(), 1, "{:?}", written.left_to_formulas);
    assert_eq!(written.left_to_formulas[0].key, "t3.new_received.total");
    let out = String::from_utf8(entries(&written.bytes)["xl/worksheets/sheet1.xml"].clone()).unwrap();
    assert!(out.contains(r#"<c r="K25" s="2"><f>SUM(E25:I25)</f><v>11</v></c>"#), "the formula cell was rewritten");
}

#[test]
fn a_cell_the_sheet_never_held_is_added_in_its_row() {
    let src = std::fs::read("fixtures/xlsx/row-total-off-by-one.xlsx").unwrap();
    let sheet = String::from_utf8(entries(&src)["xl/worksheets/sheet1.xml"].clone()).unwrap();
    // K25 not there at all: a blank total (V206) whose parts add up to 16.
    let without = sheet.replace(r#"<c r="K25" s="2" t="n"><v>17</v></c>"#, "");
    assert_ne!(without, sheet);
    let bytes = with_entry(&src, "xl/worksheets/sheet1.xml", without.as_bytes());
    let (fixed, written) = fix_in_place("blank.xlsx", &bytes);
    if fixed.changes.iter().any(|c| c.key == "t3.new_received.total") {
        let out = String::from_utf8(entries(&written.bytes)["xl/worksheets/sheet1.xml"].clone()).unwrap();
        let at = out.find(r#"<c r="K25""#).expect("K25 added");
        let row = out.find(r#"<row r="25""#).unwrap();
        let next = out.find(r#"<row r="26""#).unwrap();
        assert!(row < at && at < next, "K25 outside its row");
        assert!(out[..at].ends_with(r#"<v>5</v></c>"#), "K25 not after J25");
        let after = gongkai::import::read_bytes("blank.xlsx", &written.bytes).unwrap();
        assert_eq!(after.cell("t3.new_received.total").unwrap().raw, "16");
    } else {
        panic!("no fix for the blank total: {:?}", fixed.changes);
    }
}
