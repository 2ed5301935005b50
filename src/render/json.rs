//! The JSON outputs: one object per finding (also each line of a batch's `diagnostics.jsonl`), and the versioned
//! document of a run, written one file at a time.

use serde_json::{Value, json};

use super::{FileResult, Summary, address_in};
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
use crate::model::Report;

/// The JSON object of one diagnostic.
pub fn json_diagnostic(report: &Report, d: &Diagnostic, lang: Lang) -> Value {
    serde_json::to_value(JsonDiagnostic::of(report, d, lang)).unwrap_or_default()
}

/// A finding as the JSON outputs and `diagnostics.jsonl` give it, serialised straight from the finding. The fields
/// are in alphabetical order, the order serde_json's maps give them, as these documents always had.
#[derive(serde::Serialize)]
pub struct JsonDiagnostic<'a> {
    code: &'static str,
    fix: Option<JsonFix<'a>>,
    help: Option<&'a str>,
    location: JsonLocation<'a>,
    message: &'a str,
    name: &'static str,
    /// Which report of a batch it is about (`diagnostics.jsonl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_id: Option<&'a str>,
    severity: Severity,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    edits: Vec<JsonEdit<'a>>,
    safety: crate::lint::Safety,
    title: &'a str,
}

#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    address: Option<String>,
    from: &'a str,
    key: &'a str,
    to: &'a str,
}

#[derive(serde::Serialize)]
struct JsonLocation<'a> {
    address: Option<String>,
    key: Option<&'a str>,
    table: Option<&'static str>,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn of(report: &Report, d: &'a Diagnostic, lang: Lang) -> JsonDiagnostic<'a> {
        let fix = d.fix.as_ref().map(|f| JsonFix {
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    address: report.cell(&e.key).map(|c| report.address(c.origin)),
                    from: &e.from,
                    key: &e.key,
                    to: &e.to,
                })
                .collect(),
            safety: f.safety,
            title: f.title.get(lang),
        });
        JsonDiagnostic {
            code: d.code,
            fix,
            help: d.help.as_ref().map(|h| h.get(lang)),
            location: JsonLocation {
                address: d.origin.map(|o| address_in(report, o, lang)),
                key: d.key.as_deref(),
                table: d.table.map(|t| t.zh()),
            },
            message: d.message.get(lang),
            name: d.name,
            report_id: None,
            severity: d.severity,
        }
    }
}

/// The whole JSON document of a run (`--output-format json`).
pub fn json_document(results: &[FileResult], lang: Lang) -> Value {
    let files: Vec<Value> = results.iter().map(|r| json_file(r, lang)).collect();
    json!({ "version": 1, "files": files, "summary": Summary::of(results) })
}

/// One file's entry of the JSON document.
pub fn json_file(result: &FileResult, lang: Lang) -> Value {
    match result {
        FileResult::Checked { report, diagnostics } => json!({
            "path": report.path,
            "input": report.input,
            "format": report.format,
            "diagnostics": diagnostics.iter().map(|d| json_diagnostic(report, d, lang)).collect::<Vec<_>>(),
        }),
        FileResult::Unreadable(err) => json!({
            "path": err.path(),
            "input": Value::Null,
            "format": Value::Null,
            "error": { "code": err.code(), "message": err.reason_in(lang), "help": err.help_in(lang) },
            "diagnostics": [],
        }),
    }
}

/// Write the JSON document of a run from its file entries one at a time, so that a run over thousands of files
/// never holds them all: the same text as pretty-printing [`json_document`].
///
/// # Errors
/// When `out` cannot be written.
pub fn write_json_document(
    out: &mut impl std::io::Write,
    files: impl Iterator<Item = std::io::Result<Value>>,
    summary: &Summary,
) -> std::io::Result<()> {
    // serde_json writes keys in order: "files", "summary", "version". Entries sit two levels deep; a JSON string
    // never holds a raw newline, so indenting every line is safe.
    let indent = |value: &Value, by: &str| -> std::io::Result<String> {
        let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
        Ok(text.lines().collect::<Vec<_>>().join(&format!("\n{by}")))
    };
    write!(out, "{{\n  \"files\": [")?;
    let mut first = true;
    for file in files {
        write!(out, "{}\n    {}", if first { "" } else { "," }, indent(&file?, "    ")?)?;
        first = false;
    }
    if !first {
        write!(out, "\n  ")?;
    }
    let summary = serde_json::to_value(summary).map_err(std::io::Error::other)?;
    writeln!(out, "],\n  \"summary\": {},\n  \"version\": 1\n}}", indent(&summary, "  ")?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{FileResult, Summary};

    #[test]
    fn the_streamed_json_document_is_the_pretty_printed_one() {
        let read = |p: &str| match crate::import::read(std::path::Path::new(p)) {
            Ok(report) => {
                let diagnostics = crate::lint::check(&report);
                FileResult::Checked { report: Box::new(report), diagnostics }
            }
            Err(e) => FileResult::Unreadable(e),
        };
        let all =
            [read("fixtures/xlsx/balance-broken.xlsx"), read("fixtures/bad/truncated.docx"), read("nothing.docx")];
        for n in 0..=all.len() {
            let results = &all[..n];
            let mut streamed = Vec::new();
            let entries = results.iter().map(|r| Ok(json_file(r, Lang::Zh)));
            write_json_document(&mut streamed, entries, &Summary::of(results)).unwrap();
            let whole = serde_json::to_string_pretty(&json_document(results, Lang::Zh)).unwrap() + "\n";
            assert_eq!(String::from_utf8(streamed).unwrap(), whole, "{n} files");
        }
    }
}
