//! Every fixture under `fixtures/` (written by openpyxl, python-docx and LibreOffice, see fixtures/README.md)
//! imports; its canonical values match what the generator wrote; its deliberate errors are reported at the right
//! cell and nothing else is an error; and its model and rendered diagnostics are snapshotted.

use std::path::Path;

use gongkai::lint::{self, Severity};
use gongkai::render;
use serde_json::Value;

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string("fixtures/manifest.json").expect("fixtures/manifest.json");
    serde_json::from_str::<Value>(&text).expect("manifest is JSON").as_array().cloned().unwrap_or_default()
}

fn snapshot_name(file: &str) -> String {
    file.replace(['/', '.'], "_")
}

#[test]
fn there_are_at_least_twenty_readable_fixtures_from_other_programs() {
    let m = manifest();
    let readable = m.iter().filter(|e| e["readable"] == true).count();
    assert!(readable >= 20, "{readable} readable fixtures");
    for e in &m {
        assert!(Path::new("fixtures").join(e["file"].as_str().unwrap()).exists(), "{e}");
        assert_ne!(e["made_by"], "gongkai");
    }
}

#[test]
fn every_readable_fixture_gives_its_values_and_findings() {
    let mut failures = Vec::new();
    for entry in manifest().iter().filter(|e| e["readable"] == true) {
        let file = entry["file"].as_str().unwrap();
        let path = Path::new("fixtures").join(file);
        let report = match gongkai::import::read(&path) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{file}: did not import: {e}"));
                continue;
            }
        };
        let diagnostics = lint::check(&report);

        if let Some(values_file) = entry["values"].as_str() {
            let expected: serde_json::Map<String, Value> =
                serde_json::from_str(&std::fs::read_to_string(Path::new("fixtures").join(values_file)).unwrap())
                    .unwrap();
            let got = report.values();
            assert_eq!(got.len(), 200);
            for (key, want) in &expected {
                let have = got.get(key).cloned().unwrap_or(Value::Null);
                let same = match (want.as_f64(), have.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                    _ => *want == have,
                };
                if !same {
                    failures.push(format!("{file}: {key}: expected {want}, got {have}"));
                }
            }
            assert_eq!(report.format.as_str(), entry["format"].as_str().unwrap(), "{file}");
        }
        if let Some(year) = entry["year"].as_i64() {
            assert_eq!(report.meta.year, Some(year as i32), "{file}: year");
        }

        let expect = entry["expect"].as_array().cloned().unwrap_or_default();
        for want in &expect {
            let code = want["code"].as_str().unwrap();
            let key = want["key"].as_str();
            let found = diagnostics.iter().any(|d| d.code == code && (key.is_none() || d.key.as_deref() == key));
            if !found {
                failures.push(format!(
                    "{file}: expected {code} at {key:?}, got {:?}",
                    diagnostics.iter().map(|d| (d.code, d.key.clone())).collect::<Vec<_>>()
                ));
            }
        }
        for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            let expected = expect
                .iter()
                .any(|w| w["code"] == d.code && (w["key"].is_null() || w["key"].as_str() == d.key.as_deref()));
            if !expected {
                failures.push(format!("{file}: unexpected error {} at {:?}: {}", d.code, d.key, d.message.zh));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn unreadable_fixtures_are_clear_errors_naming_the_file() {
    for entry in manifest().iter().filter(|e| e["readable"] == false) {
        let file = entry["file"].as_str().unwrap();
        let path = Path::new("fixtures").join(file);
        let err = gongkai::import::read(&path).expect_err(file);
        assert!(err.to_string().contains(file), "{err}");
        assert!(miette::Diagnostic::help(&err).is_some(), "{file}: no advice");
    }
}

#[test]
fn a_zip_cut_short_says_so_in_both_languages() {
    let err = gongkai::import::read(Path::new("fixtures/bad/truncated.docx")).unwrap_err();
    assert!(matches!(err, gongkai::import::ImportError::Truncated { .. }), "{err}");
    assert_eq!(err.code(), "corrupt");
    assert!(err.reason().contains("cut short"), "{err}");
    assert!(err.reason_in(gongkai::lang::Lang::Zh).contains("文件不完整"), "{err}");
    // A zip whose directory is there but damaged is not called cut short.
    let mut bytes = std::fs::read("fixtures/xlsx/balance-broken.xlsx").unwrap();
    let directory = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[directory..directory + 4].copy_from_slice(b"XXXX");
    let err = gongkai::import::read_bytes("damaged.xlsx", &bytes).unwrap_err();
    assert!(matches!(err, gongkai::import::ImportError::Corrupt { .. }), "{err}");
}

#[test]
fn old_formats_say_what_to_save_as() {
    let err = gongkai::import::read(Path::new("fixtures/bad/old-binary-word.doc")).unwrap_err();
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains(".docx"), "{help}");
    let err = gongkai::import::read(Path::new("fixtures/bad/encrypted.xlsx")).unwrap_err();
    assert_eq!(err.code(), "encrypted");
}

#[test]
fn snapshots_of_models_and_rendered_diagnostics() {
    for entry in manifest().iter().filter(|e| e["readable"] == true) {
        let file = entry["file"].as_str().unwrap();
        let report = gongkai::import::read(&Path::new("fixtures").join(file)).unwrap();
        let name = snapshot_name(file);
        insta::assert_json_snapshot!(format!("model_{name}"), report.to_json());
        let opts = render::Options::default();
        let mut rendered = String::new();
        for d in lint::check(&report) {
            rendered.push_str(&render::full(&report, &d, &opts));
        }
        insta::assert_snapshot!(format!("diagnostics_{name}"), rendered);
    }
}

#[test]
fn safe_and_unsafe_fixes_clear_the_deliberate_errors() {
    for entry in manifest().iter().filter(|e| e["readable"] == true && !e["expect"].as_array().unwrap().is_empty()) {
        let file = entry["file"].as_str().unwrap();
        let report = gongkai::import::read(&Path::new("fixtures").join(file)).unwrap();
        let before = lint::check(&report);
        let fixable: Vec<_> = before.iter().filter(|d| d.fix.is_some()).map(|d| d.code).collect();
        let (fixed, _) = lint::apply_fixes(&report, &before, true);
        let after = lint::check(&fixed);
        for code in fixable {
            // C301 follows from the total that C302/C303 fix; every other fixable finding must be gone.
            assert!(!after.iter().any(|d| d.code == code), "{file}: {code} survives its fix: {after:?}");
        }
    }
}
