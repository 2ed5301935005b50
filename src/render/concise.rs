//! One line per finding: `path › 表三!I12: C303 [error] message`.

use super::address_in;
use crate::import::ImportError;
use crate::lang::Lang;
use crate::lint::Diagnostic;
use crate::model::Report;

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
