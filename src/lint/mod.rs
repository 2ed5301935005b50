//! Lint: rules over a [`Report`] → [`Diagnostic`]s, and the application of the fixes they carry.
//!
//! Every rule is a `const RULE: Rule` in its own file under `rules/`, listed once in [`rules::ALL`]. A rule reads
//! the model only; it never parses text or opens files. Each problem is reported once: sum rules skip cells that
//! a value rule already reports.

pub mod rules;

use serde::Serialize;

use crate::layout::TableId;
use crate::model::{Origin, Report};
use crate::normalize::{Parsed, format_number};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lowercase name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether applying a fix can change a reported number (UX.md, fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Changes no reported number: applied by `gongkai fix`.
    Safe,
    /// Changes a number: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// What fixes a rule can offer, as listed by `gongkai rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
}

/// A text in both languages of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text { zh: zh.into(), en: en.into() }
    }
    /// The text in the chosen language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// An I/O error in the language of the run: the operating system's words are English, so the usual kinds are put
/// in Chinese and the rest keep the system's text.
pub fn io_error_in(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    if lang == Lang::En {
        return e.to_string();
    }
    match e.kind() {
        ErrorKind::NotFound => "路径不存在".to_string(),
        ErrorKind::PermissionDenied => "没有权限".to_string(),
        ErrorKind::AlreadyExists => "已存在".to_string(),
        ErrorKind::NotADirectory => "路径中有一项不是文件夹".to_string(),
        ErrorKind::IsADirectory => "这是文件夹".to_string(),
        ErrorKind::StorageFull => "磁盘已满".to_string(),
        ErrorKind::ReadOnlyFilesystem => "文件系统只读".to_string(),
        _ => e.to_string(),
    }
}

/// One change a fix makes: the cell under `key` gets the text `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    pub key: String,
    pub from: String,
    pub to: String,
}

/// A fix carried by a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub safety: Safety,
    pub title: Text,
    pub edits: Vec<Edit>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: Text,
    pub help: Option<Text>,
    /// The canonical key of the cell the finding is about, if it is about one.
    pub key: Option<String>,
    pub table: Option<TableId>,
    /// Where in the source the finding points.
    pub origin: Option<Origin>,
    /// A short label drawn under the cell.
    pub label: Option<Text>,
    pub fix: Option<Fix>,
}

/// A lint rule: its identity, its documentation and its check.
pub struct Rule {
    /// Stable code; never reused.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    /// One line, Chinese.
    pub summary: &'static str,
    /// One line, English.
    pub summary_en: &'static str,
    /// What it does, why, an example and fix safety: what `gongkai rule CODE` prints.
    pub explain: &'static str,
    pub fix: FixAvailability,
    pub check: fn(&Report, &mut Sink),
}

/// Collects a rule's findings, stamping them with the rule's identity.
pub struct Sink<'r> {
    rule: &'r Rule,
    out: Vec<Diagnostic>,
}

impl<'r> Sink<'r> {
    /// An empty sink for one rule (rule tests and the cross-year runner).
    pub fn for_rule(rule: &'r Rule) -> Sink<'r> {
        Sink { rule, out: Vec::new() }
    }

    /// The findings collected.
    pub fn into_findings(self) -> Vec<Diagnostic> {
        self.out
    }

    /// Report a finding.
    pub fn push(&mut self, finding: Finding) {
        self.out.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: finding.severity.unwrap_or(self.rule.severity),
            message: finding.message,
            help: finding.help,
            key: finding.key,
            table: finding.table,
            origin: finding.origin,
            label: finding.label,
            fix: finding.fix,
        });
    }
}

/// What a rule reports; the sink adds the rule's code, name and default severity.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    pub message: Text,
    pub help: Option<Text>,
    pub key: Option<String>,
    pub table: Option<TableId>,
    pub origin: Option<Origin>,
    pub label: Option<Text>,
    pub fix: Option<Fix>,
    /// Overrides the rule's default severity for this finding.
    pub severity: Option<Severity>,
}

impl Default for Text {
    fn default() -> Self {
        Text::new("", "")
    }
}

impl Finding {
    /// A finding about one cell of the model.
    pub fn at_cell(report: &Report, key: &str, message: Text) -> Finding {
        let cell = report.cell(key);
        Finding {
            message,
            key: Some(key.to_string()),
            table: crate::layout::key_spec(key).map(|k| k.table),
            origin: cell.map(|c| c.origin),
            ..Finding::default()
        }
    }
}

/// Which rules to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Codes or code prefixes to run; empty means all.
    pub select: Vec<String>,
    /// Codes or code prefixes to skip.
    pub ignore: Vec<String>,
}

impl Selection {
    fn wants(&self, rule: &Rule) -> bool {
        let matches = |p: &String| rule.code.starts_with(p.as_str()) || rule.name == p;
        (self.select.is_empty() || self.select.iter().any(matches)) && !self.ignore.iter().any(matches)
    }
}

/// Run every rule over a report.
///
/// ```no_run
/// let report = gongkai::import::read(std::path::Path::new("report.xlsx")).unwrap();
/// for d in gongkai::lint::check(&report) {
///     println!("{} {}", d.code, d.message.zh);
/// }
/// ```
pub fn check(report: &Report) -> Vec<Diagnostic> {
    check_with(report, &Selection::default())
}

/// Run the selected rules over a report. Diagnostics come in source order (table, row, column), then by code.
pub fn check_with(report: &Report, selection: &Selection) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for rule in rules::ALL {
        if !selection.wants(rule) {
            continue;
        }
        let mut sink = Sink { rule, out: Vec::new() };
        (rule.check)(report, &mut sink);
        all.extend(sink.out);
    }
    all.sort_by_key(|d| {
        let o = d.origin.map(|o| o.source_order());
        (o.is_some(), o, d.code)
    });
    all
}

/// Run the cross-year rules over a set of reports: each report is compared with the report of the same agency for
/// the year before, when the set holds one. Returns the findings by index into `reports`.
pub fn check_series(reports: &[&Report], selection: &Selection) -> Vec<(usize, Diagnostic)> {
    // Each report's (normalised agency, year), looked up by key: the first report of a year wins, as before.
    let keys: Vec<Option<(String, i32)>> =
        reports.iter().map(|r| Some((crate::normalize::label(r.meta.agency.as_deref()?), r.meta.year?))).collect();
    let mut by_year: rustc_hash::FxHashMap<(&str, i32), usize> = rustc_hash::FxHashMap::default();
    for (i, key) in keys.iter().enumerate() {
        if let Some((name, year)) = key {
            by_year.entry((name.as_str(), *year)).or_insert(i);
        }
    }
    let mut out = Vec::new();
    for (i, current) in reports.iter().enumerate() {
        let Some((name, year)) = &keys[i] else { continue };
        let Some(&p) = by_year.get(&(name.as_str(), year - 1)) else { continue };
        let previous = reports[p];
        for (rule, pair) in rules::SERIES {
            if !selection.wants(rule) {
                continue;
            }
            let mut sink = Sink { rule, out: Vec::new() };
            pair(previous, current, &mut sink);
            out.extend(sink.out.into_iter().map(|d| (i, d)));
        }
    }
    out
}

/// Find a rule by code or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    rules::ALL.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Apply the fixes of `diagnostics` to a copy of `report`: safe fixes always, unsafe ones when asked. Returns the
/// fixed report and the edits applied, in order. A cell edited by one fix is not edited again by another.
pub fn apply_fixes(report: &Report, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> (Report, Vec<Edit>) {
    let mut fixed = report.clone();
    let mut applied: Vec<Edit> = Vec::new();
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.safety == Safety::Unsafe && !unsafe_fixes {
            continue;
        }
        for edit in &fix.edits {
            if applied.iter().any(|e| e.key == edit.key) {
                continue;
            }
            if let Some(cell) = fixed.cells.get_mut(&edit.key) {
                cell.raw = edit.to.clone();
                cell.parsed = crate::normalize::parse_value(&edit.to);
                cell.number_as_text = false;
                applied.push(edit.clone());
            }
        }
    }
    (fixed, applied)
}

// ------------------------------------------------------------------ helpers shared by rules

/// A cell value as the sum rules read it (FORMAT.md §2 policy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Read {
    /// A number, or 0 for a blank or placeholder.
    Value(f64),
    /// The cell is absent, holds text, or holds what a value rule reports (negative, fractional): the sum
    /// that needs it is skipped so the problem is reported once.
    Skip,
}

/// Read a count cell for a sum.
pub fn read_count(report: &Report, key: &str) -> Read {
    read_cell_count(report.cell(key))
}

/// [`read_count`] of the cell in a slot.
pub fn read_count_at(report: &Report, slot: usize) -> Read {
    read_cell_count(report.cells.at_slot(slot))
}

fn read_cell_count(cell: Option<&crate::model::Cell>) -> Read {
    match cell.map(|c| &c.parsed) {
        Some(Parsed::Number { value, .. }) if *value >= 0.0 && value.fract() == 0.0 => Read::Value(*value),
        Some(Parsed::Blank | Parsed::Placeholder) => Read::Value(0.0),
        _ => Read::Skip,
    }
}

/// True when the cell is blank or a placeholder.
pub fn is_blankish(report: &Report, key: &str) -> bool {
    report.cell(key).is_some_and(is_blankish_cell)
}

/// [`is_blankish`] of the cell in a slot.
pub fn is_blankish_at(report: &Report, slot: usize) -> bool {
    report.cells.at_slot(slot).is_some_and(is_blankish_cell)
}

/// [`is_blankish`] of a cell in hand.
pub fn is_blankish_cell(cell: &crate::model::Cell) -> bool {
    matches!(cell.parsed, Parsed::Blank | Parsed::Placeholder)
}

/// Sum the parts of a relation (their slots); `None` when any part is skipped.
pub fn sum_parts(report: &Report, part_slots: &[usize]) -> Option<f64> {
    part_slots.iter().try_fold(0.0, |acc, &slot| match read_count_at(report, slot) {
        Read::Value(v) => Some(acc + v),
        Read::Skip => None,
    })
}

/// The address of a cell for messages, in the chosen language.
pub fn address_of(report: &Report, key: &str, lang: Lang) -> String {
    report.cell(key).map_or_else(String::new, |c| match lang {
        Lang::Zh => report.address(c.origin),
        Lang::En => report.address_en(c.origin),
    })
}

/// The raw text of a cell, or empty.
pub fn raw_of(report: &Report, key: &str) -> String {
    report.cell(key).map_or_else(String::new, |c| c.raw.clone())
}

/// Format a number for a message.
pub fn num(v: f64) -> String {
    format_number(v)
}
