//! Render a run's results: miette's graphical report with the table row drawn as text (the bad cell underlined and
//! named by its real address), one-line concise output, GitHub Actions annotations, SARIF, the versioned JSON
//! document, and a self-contained HTML page.
//!
//! Rendering reads the reports and their diagnostics; it never changes them and never prints: callers get strings
//! or write into a writer they give.

mod concise;
mod full;
mod github;
pub mod html;
mod json;
mod sarif;

pub use concise::{concise, concise_error};
pub use full::{full, full_error};
pub use github::{github, github_error};
pub use json::{JsonDiagnostic, json_diagnostic, json_document, json_file, write_json_document};
pub use sarif::{sarif_result, sarif_results, write_sarif};

use serde_json::{Value, json};

use crate::import::ImportError;
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
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

/// A cell's address in the language of the messages (`表三!I12`, or `table 3 row 12 column 9` for a DOCX in English).
pub(crate) fn address_in(report: &Report, origin: Origin, lang: Lang) -> String {
    match lang {
        Lang::Zh => report.address(origin),
        Lang::En => report.address_en(origin),
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
    /// Findings that carry a fix, safe or unsafe.
    pub fixable: usize,
    /// Of them, those whose fix changes a reported number: `fix` applies them with `--unsafe-fixes` only.
    pub fixable_unsafe: usize,
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
        if let Some(fix) = &d.fix {
            self.fixable += 1;
            if fix.safety == crate::lint::Safety::Unsafe {
                self.fixable_unsafe += 1;
            }
        }
    }

    /// The closing line of the default output.
    pub fn line(&self, lang: Lang) -> String {
        // The fixes that change numbers are named apart: `fix` applies them only with --unsafe-fixes.
        let unsafe_part = |zh: bool| match (self.fixable_unsafe, zh) {
            (0, _) => String::new(),
            (n, true) => format!("（其中 {n} 项会改变数字，需加 --unsafe-fixes）"),
            (n, false) => format!(" ({n} of them change numbers: --unsafe-fixes)"),
        };
        match lang {
            Lang::Zh => format!(
                "检查了 {} 个文件：{} 个错误，{} 个警告，{} 条提示；{} 个文件无法读取；{} 项可自动修复{}",
                self.files,
                self.errors,
                self.warnings,
                self.infos,
                self.unreadable,
                self.fixable,
                unsafe_part(true)
            ),
            Lang::En => format!(
                "checked {}: {}, {}, {}; {} unreadable; {} fixable{}",
                counted(self.files, "file", "files"),
                counted(self.errors, "error", "errors"),
                counted(self.warnings, "warning", "warnings"),
                counted(self.infos, "info", "infos"),
                self.unreadable,
                self.fixable,
                unsafe_part(false)
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
                let name = crate::lint::rule(code).map_or("", |r| r.name);
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
