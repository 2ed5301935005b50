//! A SARIF 2.1.0 log: every rule described in the tool section, each finding at its file with the cell's address
//! as a logical location, and `E000` for a file that could not be read.

use serde_json::{Value, json};

use super::{FileResult, address_in};
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
use crate::model::Report;

/// The SARIF 2.1.0 results of one file: one per finding, or one `E000` for a file that could not be read.
pub fn sarif_results(result: &FileResult, lang: Lang) -> Vec<Value> {
    match result {
        FileResult::Checked { report, diagnostics } => {
            diagnostics.iter().map(|d| sarif_result(report, d, lang)).collect()
        }
        FileResult::Unreadable(err) => vec![json!({
            "ruleId": "E000",
            "level": "error",
            "message": { "text": format!("{}\n{}", err.reason_in(lang), err.help_in(lang)) },
            "locations": [sarif_location(err.path(), None)],
        })],
    }
}

/// The SARIF result of one finding.
pub fn sarif_result(report: &Report, d: &Diagnostic, lang: Lang) -> Value {
    let mut text = d.message.get(lang).to_string();
    if let Some(help) = &d.help {
        text = format!("{text}\n{}", help.get(lang));
    }
    json!({
        "ruleId": d.code,
        "level": sarif_level(d.severity),
        "message": { "text": text },
        "locations": [sarif_location(&report.path, d.origin.map(|o| address_in(report, o, lang)))],
    })
}

fn sarif_location(path: &str, address: Option<String>) -> Value {
    let mut loc = json!({ "physicalLocation": { "artifactLocation": { "uri": sarif_uri(path) } } });
    if let Some(a) = address {
        loc["logicalLocations"] = json!([{ "fullyQualifiedName": a, "kind": "element" }]);
    }
    loc
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: `/` separators, and everything but unreserved characters percent-encoded.
fn sarif_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Write a SARIF 2.1.0 log of a run from each file's results, one file at a time. Every rule is described in the
/// tool section, with `E000` for files that could not be read.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_sarif(
    out: &mut impl std::io::Write,
    files: impl Iterator<Item = std::io::Result<Vec<Value>>>,
    lang: Lang,
) -> std::io::Result<()> {
    let rules: Vec<Value> = crate::lint::rules::listed()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": if lang == Lang::Zh { r.summary } else { r.summary_en } },
                "help": { "text": r.explain, "markdown": r.explain },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
            })
        })
        .collect();
    let tool = json!({ "driver": {
        "name": "gongkai",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    }});
    write!(
        out,
        "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{tool},\"results\":["
    )?;
    let mut first = true;
    for results in files {
        for r in results? {
            write!(out, "{}{r}", if first { "" } else { "," })?;
            first = false;
        }
    }
    writeln!(out, "]}}]}}")
}
