//! GitHub Actions workflow commands: each finding an annotation of the CI run.

use super::address_in;
use crate::import::ImportError;
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
use crate::model::Report;

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

/// Escaping of a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}
