//! Render diagnostics: miette's graphical report with the table row drawn as text (the bad cell underlined and
//! named by its real address), one-line concise output, and the versioned JSON document.
//!
//! Rendering reads the report and its diagnostics; it never changes them and never prints: callers get strings.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::import::ImportError;
use crate::lint::{Diagnostic, Lang, Severity};
use crate::model::{Origin, Report};

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub lang: Lang,
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { lang: Lang::Zh, color: false, width: 120 }
    }
}

/// One row of a source grid drawn as a line of text, named after the cell it points at.
struct RowSource {
    name: String,
    text: String,
    /// 0-based line number to show in the gutter (the spreadsheet row or table row, minus one).
    line: usize,
}

impl SourceCode for RowSource {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            0,
            1,
        )))
    }
}

impl fmt::Debug for RowSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowSource").field("name", &self.name).finish()
    }
}

const MAX_CELL_WIDTH: usize = 28;
const WINDOW: u32 = 5;

fn cell_display(text: &str) -> String {
    fit(text, MAX_CELL_WIDTH)
}

/// How much of a line of running text is shown from where a finding's table row starts.
const MAX_LINE_WIDTH: usize = 64;

/// A line of running text from its character `at` on (where the finding's table row starts, after the page's
/// title and the tables before it when the page was dumped as one line), for as much as fits.
fn line_display(text: &str, at: u32) -> String {
    let rest: String = text.chars().skip(at as usize).collect();
    format!("…{}", fit(&rest, MAX_LINE_WIDTH - 1))
}

/// `text` on one line, without control characters, cut with `…` to stay narrower than `max` columns.
fn fit(text: &str, max: usize) -> String {
    let flat: String = text.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
    if flat.width() <= max {
        return flat;
    }
    let mut out = String::new();
    let mut width = 0;
    for ch in flat.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(1);
        if width + w >= max {
            break;
        }
        out.push(ch);
        width += w;
    }
    out.push('…');
    out
}

/// Draw the row of `origin` as `label │ v │ v │ …`, with the row above as context when the row has no label of
/// its own (表四's value row under its headers). Returns the text, the byte span of the target cell and the index
/// of the first line drawn.
fn draw_row(report: &Report, origin: Origin) -> Option<(String, usize, usize, u32)> {
    let grid = report.grids.get(origin.grid)?;
    let r = origin.row;
    let mut cols: Vec<u32> = (0..grid.cols).filter(|&c| grid.anchor_of(r, c) == (r, c) || c == origin.col).collect();
    // Drop the empty columns right of the table (another table on the same sheet may be wider).
    while cols.len() > 1 && cols.last().is_some_and(|&c| c != origin.col && grid.visible_text(r, c).trim().is_empty()) {
        cols.pop();
    }
    let first = cols.iter().copied().find(|&c| !grid.visible_text(r, c).trim().is_empty());
    let labelled =
        first.is_some_and(|c| crate::normalize::parse_value(grid.visible_text(r, c)) == crate::normalize::Parsed::Text);
    if cols.len() > 2 * WINDOW as usize + 2 {
        cols.retain(|&c| (labelled && Some(c) == first) || c.abs_diff(origin.col) <= WINDOW);
    }
    let mut rows = Vec::new();
    if !labelled && r > 0 {
        rows.push(r - 1);
    }
    rows.push(r);
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|&row| {
            cols.iter()
                .map(|&c| {
                    let shown = if row == r && c != origin.col && grid.anchor_of(r, c) != (r, c) {
                        String::new()
                    } else if row == r && origin.at > 0 {
                        line_display(grid.visible_text(row, c), origin.at)
                    } else {
                        cell_display(grid.visible_text(row, c))
                    };
                    if shown.is_empty() { " ".to_string() } else { shown }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..cols.len()).map(|i| texts.iter().map(|t| t[i].width()).max().unwrap_or(1)).collect();
    let mut text = String::new();
    let mut span = (0, 1);
    for (li, line) in texts.iter().enumerate() {
        if li > 0 {
            text.push('\n');
        }
        for (i, cell) in line.iter().enumerate() {
            if i > 0 {
                let gap =
                    cols[i] > cols[i - 1] + 1 && (cols[i - 1] + 1..cols[i]).any(|c| grid.anchor_of(r, c) == (r, c));
                text.push_str(if gap { " │ … │ " } else { " │ " });
            }
            if rows[li] == r && cols[i] == origin.col {
                span = (text.len(), cell.len());
            }
            text.push_str(cell);
            text.push_str(&" ".repeat(widths[i].saturating_sub(cell.width())));
        }
        text.push_str(" │");
    }
    Some((text, span.0, span.1, rows[0]))
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn handler(opts: &Options) -> GraphicalReportHandler {
    let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).without_primary_span_start().with_links(false).with_width(opts.width)
}

/// The graphical rendering of one diagnostic, with the offending row drawn when the finding points at a cell.
pub fn full(report: &Report, d: &Diagnostic, opts: &Options) -> String {
    let lang = opts.lang;
    let mut diag =
        MietteDiagnostic::new(format!("{} {}", d.code, d.message.get(lang))).with_severity(severity(d.severity));
    if let Some(help) = &d.help {
        diag = diag.with_help(help.get(lang).to_string());
    }
    let mut out = String::new();
    let drawn = d.origin.and_then(|o| draw_row(report, o).map(|row| (o, row)));
    let rendered = match drawn {
        Some((origin, (text, start, len, first_row))) => {
            let address = match lang {
                Lang::Zh => report.address(origin),
                Lang::En => report.address_en(origin),
            };
            let label = d.label.as_ref().map(|l| l.get(lang).to_string());
            diag = diag.with_label(LabeledSpan::new_primary_with_span(label, SourceSpan::new(start.into(), len)));
            let line = report.grids.get(origin.grid).map_or(0, |g| g.display_row(first_row).saturating_sub(1));
            let source = RowSource { name: format!("{} › {}", report.path, address), text, line };
            let with_source = miette::Report::new(diag).with_source_code(source);
            handler(opts).render_report(&mut out, with_source.as_ref())
        }
        None => {
            let named = miette::Report::new(diag);
            let r = handler(opts).render_report(&mut out, named.as_ref());
            if r.is_ok() && !out.contains(&report.path) {
                out = format!("{}:\n{out}", report.path);
            }
            r
        }
    };
    if rendered.is_err() {
        out = concise(report, d, lang);
    }
    out.push('\n');
    out
}

/// The graphical rendering of a file that could not be read.
pub fn full_error(err: &ImportError, opts: &Options) -> String {
    let message = format!("{}: {}", err.path(), err.reason_in(opts.lang));
    let diag = MietteDiagnostic::new(format!("E000 {message}"))
        .with_severity(miette::Severity::Error)
        .with_help(err.help_in(opts.lang));
    let mut out = String::new();
    if handler(opts).render_report(&mut out, &diag).is_err() {
        out = message;
    }
    out.push('\n');
    out
}

/// One line: `path › 表三!I12: C303 [error] message`.
pub fn concise(report: &Report, d: &Diagnostic, lang: Lang) -> String {
    let place = match d.origin {
        Some(o) => format!("{} › {}", report.path, address_in(report, o, lang)),
        None => report.path.clone(),
    };
    format!("{place}: {} [{}] {}", d.code, d.severity.as_str(), d.message.get(lang))
}

/// One line for an unreadable file.
pub fn concise_error(err: &ImportError, lang: Lang) -> String {
    format!("{}: E000 [error] {}", err.path(), err.reason_in(lang))
}

/// A GitHub Actions workflow command for one finding (`::error file=…,title=C303 表三!I12::message`), so that a CI
/// job shows the findings as annotations.
pub fn github(report: &Report, d: &Diagnostic, lang: Lang) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let title = match d.origin {
        Some(o) => format!("{} {}", d.code, address_in(report, o, lang)),
        None => d.code.to_string(),
    };
    let mut message = d.message.get(lang).to_string();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help.get(lang));
    }
    format!(
        "::{level} file={},title={}::{}",
        github_property(&report.path),
        github_property(&title),
        github_data(&message)
    )
}

/// The workflow command for an unreadable file.
pub fn github_error(err: &ImportError, lang: Lang) -> String {
    let message = format!("{}\n{}", err.reason_in(lang), err.help_in(lang));
    format!("::error file={},title=E000::{}", github_property(err.path()), github_data(&message))
}

/// A cell's address in the language of the messages (`表三!I12`, or `table 3 row 12 column 9` for a DOCX in English).
pub(crate) fn address_in(report: &Report, origin: Origin, lang: Lang) -> String {
    match lang {
        Lang::Zh => report.address(origin),
        Lang::En => report.address_en(origin),
    }
}

/// Escaping of a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The name of `E000`, the code every output gives a file that could not be read.
pub const UNREADABLE_NAME: &str = "unreadable-file";

/// What `gongkai rule E000` says: the code every output gives a file that could not be read.
pub const UNREADABLE_EXPLAIN: &str = "# E000 unreadable-file (error)

文件无法读取
The file could not be read

Default severity: error. Fix: none.

## What it does
Reports a file that gongkai cannot read, once, with the reason and what to do, in the language of the run; the
run goes on with the other files and exits with 1. The `code` of the JSON output's `error` says which reason:

- io: the file cannot be opened or read (permissions, a path that went away).
- broken-link: a symbolic link to a file that is not there (moved or deleted).
- empty: the file has no content.
- old-binary: .doc, .wps or .et (Word 97-2003 and WPS binary formats; .xls is read).
- encrypted: the file has a password.
- corrupt: the file is damaged or truncated.
- not-a-document: a zip that is not a Word or Excel document (an OpenDocument file, or an archive of reports).
- unsupported: PDF, RTF, a bare XML file, or binary content under a report's name.
- limit: the file exceeds a safety limit (size, zip entries, compression ratio, nesting).
- internal: gongkai failed on this file.

## Why
A report that cannot be read cannot be checked: in a run over an archive it must be counted and named, not
skipped, and the clerk must learn what to do with it.

## Example
报告.doc: .doc（Word 97-2003）是旧的二进制格式，gongkai 不读取 — 在 Word 或 WPS 中打开，另存为 .docx。

## Fix
None by gongkai; the help line says what to do: save .doc/.wps/.et as .docx or .xlsx, remove the password
(文件 › 信息 › 保护), download a damaged file again, use the .docx or .xlsx a PDF was made from, unpack a zip of
reports to fix them (`check` and `batch` read it as it is). An `internal` failure is a bug in gongkai: please report
it with the file.
";

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
    let mut rules: Vec<Value> = crate::lint::rules::ALL
        .iter()
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
    rules.push(json!({
        "id": "E000",
        "name": UNREADABLE_NAME,
        "shortDescription": { "text": if lang == Lang::Zh { "文件无法读取" } else { "The file could not be read" } },
        "defaultConfiguration": { "level": "error" },
    }));
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

/// The outcome of checking one file, as the JSON and summary writers need it.
pub enum FileResult {
    Checked { report: Box<Report>, diagnostics: Vec<Diagnostic> },
    Unreadable(ImportError),
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Summary {
    /// Count the results of a run.
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.add(r);
        }
        s
    }

    /// Count one more file.
    pub fn add(&mut self, result: &FileResult) {
        self.files += 1;
        match result {
            FileResult::Unreadable(_) => self.unreadable += 1,
            FileResult::Checked { diagnostics, .. } => diagnostics.iter().for_each(|d| self.add_diagnostic(d)),
        }
    }

    /// Count one more finding (of a file counted already).
    pub fn add_diagnostic(&mut self, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        if d.fix.is_some() {
            self.fixable += 1;
        }
    }

    /// The closing line of the default output.
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "检查了 {} 个文件：{} 个错误，{} 个警告，{} 条提示；{} 个文件无法读取；{} 项可自动修复",
                self.files, self.errors, self.warnings, self.infos, self.unreadable, self.fixable
            ),
            Lang::En => format!(
                "checked {}: {}, {}, {}; {} unreadable; {} fixable",
                counted(self.files, "file", "files"),
                counted(self.errors, "error", "errors"),
                counted(self.warnings, "warning", "warnings"),
                counted(self.infos, "info", "infos"),
                self.unreadable,
                self.fixable
            ),
        }
    }
}

/// `1 file`, `2 files`: a count with its English noun.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// How many findings each rule made (`check --statistics`); files that could not be read count as `E000`.
#[derive(Debug, Default)]
pub struct Statistics {
    /// Per code: findings, and how many of them carry a fix.
    by_code: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

impl Statistics {
    /// Count one more file's findings.
    pub fn add(&mut self, result: &FileResult) {
        match result {
            FileResult::Unreadable(_) => self.by_code.entry("E000").or_default().0 += 1,
            FileResult::Checked { diagnostics, .. } => diagnostics.iter().for_each(|d| self.add_diagnostic(d)),
        }
    }

    /// Count one more finding.
    pub fn add_diagnostic(&mut self, d: &Diagnostic) {
        let entry = self.by_code.entry(d.code).or_default();
        entry.0 += 1;
        entry.1 += usize::from(d.fix.is_some());
    }

    /// `(code, name, findings, fixable)`, most findings first.
    fn rows(&self) -> Vec<(&'static str, &'static str, usize, usize)> {
        let mut rows: Vec<_> = self
            .by_code
            .iter()
            .map(|(&code, &(n, fixable))| {
                let name = crate::lint::rule(code).map_or(UNREADABLE_NAME, |r| r.name);
                (code, name, n, fixable)
            })
            .collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        rows
    }

    /// One line per rule: count, code, name, and how many can be fixed.
    pub fn table(&self) -> String {
        self.rows()
            .iter()
            .map(|(code, name, n, fixable)| {
                let fix = if *fixable > 0 { format!("  [{fixable} fixable]") } else { String::new() };
                format!("{n:>7}  {code}  {name}{fix}\n")
            })
            .collect()
    }

    /// The same as a JSON array of `{code, name, count, fixable}`.
    pub fn json(&self) -> Value {
        self.rows()
            .iter()
            .map(|(code, name, n, fixable)| json!({ "code": code, "name": name, "count": n, "fixable": fixable }))
            .collect()
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
