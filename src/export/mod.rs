//! Export: [`Report`] → files in the standard layout (XLSX, DOCX, JSON, CSV), with changed cells marked.
//!
//! The standard tables are built once from [`crate::layout`] as grids of slots (header texts, row labels, value
//! keys) with their merges; the XLSX and DOCX writers only draw those grids. A DOCX input can instead be patched in
//! place ([`docx_patch`]), keeping everything but the fixed cells. Files are written atomically.

pub mod csv;
pub mod docx;
pub mod docx_patch;
pub mod tables;
pub mod xlsx;
pub mod xlsx_patch;

use std::path::Path;

use crate::lint::Edit;
use crate::model::Report;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ExportError {
    #[error("{path}: cannot write: {source}")]
    #[diagnostic(code(gongkai::write), help("check that the folder exists and is writable"))]
    Io { path: String, source: std::io::Error },
    #[error("{path}: exists; pass --force to overwrite it")]
    #[diagnostic(code(gongkai::exists), help("pass --force to overwrite it, or choose another name"))]
    Exists { path: String },
    #[error("cannot build the workbook: {0}")]
    #[diagnostic(code(gongkai::xlsx))]
    Xlsx(String),
    #[error("cannot build the document: {0}")]
    #[diagnostic(code(gongkai::docx))]
    Docx(String),
    #[error("no table of an annual report was found: the file written would be a blank form")]
    #[diagnostic(
        code(gongkai::no_tables),
        help("for a blank form use `gongkai template`; `-o x.json` writes what was read")
    )]
    NoTables,
    #[error("{0}: gongkai writes .xlsx, .docx, .json and .csv")]
    #[diagnostic(code(gongkai::output_format), help("name the output with one of these extensions"))]
    UnknownFormat(String),
}

impl ExportError {
    /// The error in the language of the run (`Display` stays English for programs that embed gongkai).
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        if lang == crate::lang::Lang::En {
            return self.to_string();
        }
        match self {
            ExportError::Io { path, source } => format!("{path}：无法写入：{}", crate::lang::io_error_in(source, lang)),
            ExportError::Exists { path } => format!("{path}：已存在；加 --force 可覆盖"),
            ExportError::Xlsx(detail) => format!("无法生成工作簿：{detail}"),
            ExportError::Docx(detail) => format!("无法生成文档：{detail}"),
            ExportError::NoTables => {
                "其中找不到年报的统计表，写出的只会是空白表格；空白模板请用 gongkai template，-o x.json 可写出读到的内容"
                    .into()
            }
            ExportError::UnknownFormat(path) => format!("{path}：gongkai 写出 .xlsx、.docx、.json 和 .csv"),
        }
    }
}

/// The number a value cell holds, to be written as a number; `None` keeps its text. An amount written in a unit
/// other than the column's 万元 (`251000元`) keeps its text: written as a number it would be read as 万元, and the
/// check of the file written would no longer see the unit (V203).
pub(crate) fn plain_number(key: &str, parsed: &crate::normalize::Parsed) -> Option<f64> {
    let crate::normalize::Parsed::Number { value, unit, .. } = parsed else { return None };
    let amount = crate::layout::key_spec(key).is_some_and(|s| s.kind == crate::layout::ValueKind::Amount);
    match unit.as_deref() {
        Some(unit) if amount && unit != "万元" => None,
        _ => Some(*value),
    }
}

/// The name `gongkai fix` gives the corrected copy of a report whose file stem is `stem`: `x.fixed.xlsx`.
pub fn fixed_name(stem: &str, ext: &str) -> String {
    format!("{stem}.{FIXED}.{ext}")
}

/// The stem of the report a corrected copy was made from (`x` for `x.fixed.xlsx`); `None` for any other file.
pub fn fixed_copy_of(path: &Path) -> Option<&str> {
    path.file_stem()?.to_str()?.strip_suffix(FIXED)?.strip_suffix('.')
}

const FIXED: &str = "fixed";

/// A cell a fix changed, for marking it in the output.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub key: String,
    pub from: String,
    pub to: String,
    /// `C303 t3-row-total`: the rule that made the change.
    pub rule: String,
}

impl Change {
    /// The changes a list of applied edits made, with the rule that carried each.
    pub fn from_edits(edits: &[Edit], diagnostics: &[crate::lint::Diagnostic]) -> Vec<Change> {
        edits
            .iter()
            .map(|e| {
                let rule = diagnostics
                    .iter()
                    .find(|d| d.fix.as_ref().is_some_and(|f| f.edits.iter().any(|x| x.key == e.key)))
                    .map_or_else(String::new, |d| format!("{} {}", d.code, d.name));
                Change { key: e.key.clone(), from: e.from.clone(), to: e.to.clone(), rule }
            })
            .collect()
    }

    /// The note attached to a changed cell.
    pub fn note(&self) -> String {
        let from = if self.from.trim().is_empty() { "空白".to_string() } else { format!("「{}」", self.from) };
        format!("gongkai：原值 {from}，按 {} 改为「{}」", self.rule, self.to)
    }
}

/// The title of a blank template: the agency is left for the clerk to fill in.
pub fn template_title(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("XX{y}年度政府信息公开工作年度报告"),
        None => "XX年度政府信息公开工作年度报告".to_string(),
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Docx,
    Json,
    Csv,
}

impl Format {
    /// The format an output path names by its extension.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("xlsx") => Some(Format::Xlsx),
            Some("docx") => Some(Format::Docx),
            Some("json") => Some(Format::Json),
            Some("csv") => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Render a report in a format, marking `changes`.
///
/// # Errors
/// [`ExportError::NoTables`] when a report with none of the three tables would be written as a form (XLSX, DOCX,
/// CSV); [`ExportError::Xlsx`] or [`ExportError::Docx`] when the writer fails.
pub fn render(report: &Report, format: Format, changes: &[Change]) -> Result<Vec<u8>, ExportError> {
    if report.tables.is_empty() && format != Format::Json {
        return Err(ExportError::NoTables);
    }
    match format {
        Format::Xlsx => xlsx::write(report, changes),
        Format::Docx => docx::write(report, changes),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            text.push('\n');
            Ok(text.into_bytes())
        }
        Format::Csv => Ok(csv::write(report)),
    }
}

/// Write a report to `path` in the format its extension names, atomically.
///
/// # Errors
/// [`ExportError::UnknownFormat`] for another extension, [`ExportError::Exists`] when the file exists and
/// `force` is false, and the writers' and file system's errors.
///
/// # Examples
/// ```no_run
/// let report = gongkai::import::read(std::path::Path::new("report.docx")).unwrap();
/// gongkai::export::write(&report, std::path::Path::new("report.xlsx"), &[], false).unwrap();
/// ```
pub fn write(report: &Report, path: &Path, changes: &[Change], force: bool) -> Result<(), ExportError> {
    let format = Format::of(path).ok_or_else(|| ExportError::UnknownFormat(path.display().to_string()))?;
    if path.exists() && !force {
        return Err(ExportError::Exists { path: path.display().to_string() });
    }
    let bytes = render(report, format, changes)?;
    write_atomically(path, &bytes)
}

/// Write bytes to `path` atomically (temporary file + rename), flushed to disk first.
///
/// # Errors
/// [`ExportError::Io`] when the folder is not writable.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write(path, bytes).map_err(|source| ExportError::Io { path: path.display().to_string(), source })
}

/// As [`write_atomically`], without flushing each file to disk (see [`crate::atomic::write_unflushed`]).
///
/// # Errors
/// [`ExportError::Io`] when the folder is missing or not writable.
pub fn write_atomically_unflushed(path: &Path, bytes: &[u8], may_exist: bool) -> Result<(), ExportError> {
    crate::atomic::write_unflushed(path, bytes, may_exist)
        .map_err(|source| ExportError::Io { path: path.display().to_string(), source })
}
