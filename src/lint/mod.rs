//! Lint: rules over a [`Report`] → [`Diagnostic`]s, and the application of the fixes they carry.
//!
//! Every rule is a `const RULE: Rule` in its own file under `rules/`, listed once in [`rules::ALL`]. A rule reads
//! the model only; it never parses text or opens files. Each problem is reported once: sum rules skip cells that
//! a value rule already reports.

pub mod rules;

use serde::Serialize;

use crate::lang::{Lang, Text};
use crate::layout::TableId;
use crate::model::{OrgType, Origin, Report};
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
    /// What it does, why, an example and fix safety: what `gongkai rule CODE` prints in an English run.
    pub explain: &'static str,
    /// The same in Chinese (作用、原因、示例、修复): what `gongkai rule CODE` prints in a Chinese run.
    pub explain_zh: &'static str,
    pub fix: FixAvailability,
    pub check: fn(&Report, &mut Sink),
    /// Its test vectors: reports it must pass and fail, run by the rule harness (`tests/rules.rs`), which also
    /// draws each failing report's findings into a snapshot and applies their fixes.
    pub vectors: &'static [Vector],
}

/// A test vector of a rule: a report described as changes to a clean standard report (or to a fixture), and how
/// many findings the rule must make of it.
#[derive(Debug, Clone, Copy)]
pub struct Vector {
    /// A short kebab-case name; with the rule's code it names the snapshot.
    pub name: &'static str,
    /// How many findings of the rule: 0 for a pass.
    pub findings: usize,
    /// A fixture to start from instead of the standard report (its own findings of the rule count too).
    pub fixture: Option<&'static str>,
    pub changes: &'static [Given],
}

impl Vector {
    /// A report the rule must pass.
    pub const fn pass(name: &'static str, changes: &'static [Given]) -> Vector {
        Vector { name, findings: 0, fixture: None, changes }
    }

    /// A report of which the rule must make `findings` findings.
    pub const fn fail(name: &'static str, findings: usize, changes: &'static [Given]) -> Vector {
        Vector { name, findings, fixture: None, changes }
    }

    /// Start from a fixture (a file under `fixtures/`) instead of the standard report.
    pub const fn from(self, fixture: &'static str) -> Vector {
        Vector { fixture: Some(fixture), ..self }
    }
}

/// One change a vector makes to its report, as a clerk would make it in the file.
#[derive(Debug, Clone, Copy)]
pub enum Given {
    /// The cell under a canonical key holds this text.
    Cell(&'static str, &'static str),
    /// The first table cell whose text is the first string says the second instead (a label, a header).
    Label(&'static str, &'static str),
    /// The first paragraph that contains the first string is the second instead; an empty second drops it.
    Paragraph(&'static str, &'static str),
    /// A paragraph added after the first one that contains the first string (at the end when it is empty).
    AddParagraph(&'static str, &'static str),
    /// The page's publication date (发布时间), as a web page gives it.
    Published(&'static str),
    /// The document's title property (a Word file's 属性 › 标题, a page's `<title>`); empty for none.
    TitleProperty(&'static str),
    /// The organisation type given on the command line.
    OrgType(OrgType),
    /// The same agency's report of the year before, with its own changes: the cross-year rules compare the two.
    YearBefore(&'static [Given]),
    /// Another agency's report of the same year, with its own changes: the rules across agencies compare the two.
    OtherAgency(&'static [Given]),
    /// The document without its tables: a report in an older layout, or a notice.
    NoTables,
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

impl Finding {
    /// A finding with its message in both languages; the builder methods below add the rest.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Finding {
        Finding { message: Text::new(zh, en), ..Finding::default() }
    }

    /// About one cell of the model: its key, table and place in the source.
    pub fn at(mut self, report: &Report, key: &str) -> Finding {
        self.key = Some(key.to_string());
        self.table = crate::layout::key_spec(key).map(|k| k.table);
        self.origin = report.cell(key).map(|c| c.origin);
        self
    }

    /// Pointing at a place in the source (a label, a header, a line of text).
    pub fn at_origin(mut self, origin: Option<Origin>) -> Finding {
        self.origin = origin;
        self
    }

    /// About one table.
    pub fn in_table(mut self, table: TableId) -> Finding {
        self.table = Some(table);
        self
    }

    /// What to do about it.
    pub fn help(mut self, zh: impl Into<String>, en: impl Into<String>) -> Finding {
        self.help = Some(Text::new(zh, en));
        self
    }

    /// The short label drawn under the cell.
    pub fn label(mut self, zh: impl Into<String>, en: impl Into<String>) -> Finding {
        self.label = Some(Text::new(zh, en));
        self
    }

    /// The fix it carries.
    pub fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// A severity other than the rule's own.
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
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
    /// True when the selection runs `rule`.
    pub fn wants(&self, rule: &Rule) -> bool {
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

/// Run the selected rules of `checks` (the cross-year ones, or those across agencies) over `current` against
/// `other`, a report of the same run.
pub fn check_against(
    checks: &[(&Rule, rules::PairCheck)],
    other: &Report,
    current: &Report,
    selection: &Selection,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (rule, check) in checks {
        if selection.wants(rule) {
            let mut sink = Sink::for_rule(rule);
            check(other, current, &mut sink);
            found.extend(sink.into_findings());
        }
    }
    found
}

/// Run the selected rules over a report. Diagnostics come in source order (table, row, column), then by code.
pub fn check_with(report: &Report, selection: &Selection) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    // An archived report of before 2019 is named, not checked against a layout it predates; one dated 2019 or later
    // in that layout is checked as any other (and F403 is then an error).
    let legacy = report.format == crate::layout::FormatVersion::Legacy && report.meta.year.is_none_or(|y| y < 2019);
    for rule in rules::ALL {
        if !selection.wants(rule) || (legacy && !asks_of_a_legacy_report(rule.code)) {
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

/// A rule selector as the user typed it, in the form the rules are matched with: a code or code prefix in capitals
/// (`c3` → `C3`, `t608` → `T608`), a name as it is (`t3-row-total`).
pub fn selector(text: &str) -> String {
    let mut chars = text.trim().chars();
    let code_like = chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_digit());
    if code_like { text.trim().to_ascii_uppercase() } else { text.trim().to_string() }
}

impl Rule {
    /// What `gongkai rule CODE` prints: the heading, the summary, the default severity and fix, and the
    /// explanation (what, why, example, fix), in `lang`.
    pub fn explanation(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        let (r, code, name) = (self, self.code, self.name);
        match lang {
            Lang::Zh => {
                let severity = match r.severity {
                    Severity::Error => "错误",
                    Severity::Warning => "警告",
                    Severity::Info => "提示",
                };
                let fix = match r.fix {
                    FixAvailability::None => "无",
                    FixAvailability::Safe => "安全修复（gongkai fix 直接应用）",
                    FixAvailability::Unsafe => "会改变数字的修复（gongkai fix --unsafe-fixes 才应用）",
                };
                format!(
                    "# {code} {name}（{severity}）\n\n{}\n\n默认级别：{severity}。自动修复：{fix}。\n\n{}\n",
                    r.summary, r.explain_zh
                )
            }
            Lang::En => {
                let severity = r.severity.as_str();
                let fix = match r.fix {
                    FixAvailability::None => "none",
                    FixAvailability::Safe => "safe",
                    FixAvailability::Unsafe => "unsafe (applied with --unsafe-fixes)",
                };
                format!(
                    "# {code} {name} ({severity})\n\n{}\n\nDefault severity: {severity}. Fix: {fix}.\n\n{}\n",
                    r.summary_en, r.explain
                )
            }
        }
    }
}

/// What is asked of a report in the layout used before 2019 (F403 says which it is): its title, year and dates,
/// and what its text says of itself; not the tables, sections and counts of a layout it does not follow.
fn asks_of_a_legacy_report(code: &str) -> bool {
    code.starts_with('M') || matches!(code, "F403" | "T604" | "T605" | "T606")
}

/// The rule with this code (any case) or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    rules::listed().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
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
pub enum CountRead {
    /// A number, or 0 for a blank or placeholder.
    Value(f64),
    /// The cell is absent, holds text, or holds what a value rule reports (negative, fractional): the sum
    /// that needs it is skipped so the problem is reported once.
    Skip,
}

/// Read a count cell for a sum.
pub fn read_count(report: &Report, key: &str) -> CountRead {
    read_cell_count(report.cell(key))
}

/// [`read_count`] of the cell in a slot.
pub fn read_count_at(report: &Report, slot: usize) -> CountRead {
    read_cell_count(report.cells.at_slot(slot))
}

fn read_cell_count(cell: Option<&crate::model::Cell>) -> CountRead {
    match cell.map(|c| &c.parsed) {
        Some(Parsed::Number { value, .. }) if *value >= 0.0 && value.fract() == 0.0 => CountRead::Value(*value),
        Some(Parsed::Blank | Parsed::Placeholder) => CountRead::Value(0.0),
        _ => CountRead::Skip,
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
        CountRead::Value(v) => Some(acc + v),
        CountRead::Skip => None,
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

/// A place in the text (`第5行`, `第3段`) as a message puts it after what it names: `（第5行）` in Chinese,
/// ` (第5行)` in English; nothing when the place is unknown.
pub fn place(at: &str) -> (String, String) {
    if at.is_empty() { (String::new(), String::new()) } else { (format!("（{at}）"), format!(" ({at})")) }
}

/// Format a number for a message.
pub fn num(v: f64) -> String {
    format_number(v)
}
