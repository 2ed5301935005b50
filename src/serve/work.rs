//! The work behind the page, on the blocking pool: checking an upload (a zip member by member), the view of a
//! checked file, and the files it can be downloaded as.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::store::Entry;
use crate::check::Policy;
use crate::export::{self, Format};
use crate::fix::{self, Writer};
use crate::import::{FoundZip, ImportError, ZipOfReports};
use crate::lang::Lang;
use crate::lint::{self, Severity};
use crate::render::{self, FileResult};

/// An upload's name as the page shows it: its last component, without control characters. It is never used as a
/// path to open or write.
pub(crate) fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() { "report".to_string() } else { clean }
}

/// Where the rules take a file to be, for `gongkai.toml` (its folder's, and `per-file-ignores` by file name):
/// the server's folder joined with the file name alone.
pub(crate) fn policy_path(config_dir: &Path, name: &str) -> PathBuf {
    config_dir.join(display_name(name))
}

/// Check one upload: a file, or each report in a zip of them.
pub(crate) fn check_upload(name: &str, bytes: Vec<u8>, policy: &Policy, config_dir: &Path) -> Vec<Entry> {
    let lower = name.to_lowercase();
    if lower.ends_with(".zip") {
        match ZipOfReports::probe_bytes(name, &bytes) {
            FoundZip::Reports(mut zip) => {
                return zip
                    .members()
                    .into_iter()
                    .map(|(index, member)| {
                        let shown = format!("{name}/{member}");
                        match zip.bytes(index, &shown) {
                            Ok(bytes) => check_file(&shown, bytes, policy, config_dir),
                            Err(err) => Entry::new(shown, Vec::new(), FileResult::Unreadable(err)),
                        }
                    })
                    .collect();
            }
            FoundZip::NoReports(members) => {
                let err = ImportError::Unsupported {
                    path: name.to_string(),
                    what: crate::import::Words::owned(
                        format!("a zip without a report in it ({} files)", members.len()),
                        format!("其中没有年报文件的压缩包（{} 个文件）", members.len()),
                    ),
                    advice: crate::import::Words::owned(
                        "put the reports (.xlsx .xls .docx .pdf .html .txt .md) in the zip, or drop them one by one"
                            .into(),
                        "把年报文件（.xlsx .xls .docx .pdf .html .txt .md）放进压缩包，或逐个拖入".into(),
                    ),
                };
                return vec![Entry::new(name.to_string(), Vec::new(), FileResult::Unreadable(err))];
            }
            // One document named .zip, or no zip at all: read as a file, which says what it is.
            FoundZip::File => {}
        }
    }
    // Any other name is read too: the reader says what the file is and what to do (a .doc, an image, an OFD).
    vec![check_file(name, bytes, policy, config_dir)]
}

fn check_file(name: &str, bytes: Vec<u8>, policy: &Policy, config_dir: &Path) -> Entry {
    let path = policy_path(config_dir, name);
    let checked = crate::contained::isolate(|| {
        crate::contained::failpoint(name);
        let mut report = crate::import::read_bytes(name, &bytes)?;
        policy.give(&path, &mut report);
        let (diagnostics, _) = policy.findings(&path, &report, |selection| lint::check_with(&report, selection));
        Ok(FileResult::Checked { report: Box::new(report), diagnostics })
    })
    .unwrap_or_else(|detail| Err(ImportError::Internal { path: name.to_string(), detail }));
    Entry::new(name.to_string(), bytes, checked.unwrap_or_else(FileResult::Unreadable))
}

/// What the page draws of a checked file.
#[derive(Serialize)]
pub(crate) struct View {
    pub id: String,
    pub name: String,
    pub readable: bool,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// 通过, or the counts.
    pub verdict: String,
    /// The findings and the tables drawn, the bad cells coloured (the HTML report's section of the file).
    pub html: String,
    /// How many changes the safe fixes make.
    pub safe_changes: usize,
    /// The changes that would change numbers, each `年报!K25: 17 → 16（C303 …）`: applied only when ticked.
    pub unsafe_changes: Vec<String>,
    /// The name of the corrected file, and whether it is the clerk's own file or the standard layout.
    pub fixed_name: String,
    pub fixed_in_place: bool,
}

pub(crate) fn view(id: &str, entry: &Entry, policy: &Policy, config_dir: &Path, lang: Lang) -> View {
    let mut html = render::html::file(&entry.result, lang);
    html.push_str(render::html::FILE_END);
    let checked = entry.checked();
    let (errors, warnings, infos) = match checked {
        Some((_, diagnostics)) => {
            let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
            (count(Severity::Error), count(Severity::Warning), count(Severity::Info))
        }
        None => (1, 0, 0),
    };
    let verdict = match (checked.is_some(), lang) {
        (false, Lang::Zh) => "无法读取".to_string(),
        (false, Lang::En) => "cannot be read".to_string(),
        (true, Lang::Zh) if errors + warnings == 0 => "通过".to_string(),
        (true, Lang::En) if errors + warnings == 0 => "passed".to_string(),
        (true, Lang::Zh) => format!("{errors} 个错误，{warnings} 个警告"),
        (true, Lang::En) => format!("{errors} errors, {warnings} warnings"),
    };
    let mut view = View {
        id: id.to_string(),
        name: entry.name.clone(),
        readable: checked.is_some(),
        errors,
        warnings,
        infos,
        verdict,
        html,
        safe_changes: 0,
        unsafe_changes: Vec::new(),
        fixed_name: String::new(),
        fixed_in_place: false,
    };
    if let Some((report, _)) = checked {
        let path = policy_path(config_dir, &entry.name);
        let fixed = |unsafe_fixes| {
            let options = fix::Options { unsafe_fixes, to: None, policy: policy.clone() };
            fix::fix(report.clone(), &path, &options)
        };
        let safe = fixed(false);
        let all = fixed(true);
        view.safe_changes = safe.changes.len();
        view.unsafe_changes = all
            .changes
            .iter()
            .filter(|ch| !safe.changes.iter().any(|s| s.key == ch.key && s.to == ch.to))
            .map(|ch| {
                let at = report.cell(&ch.key).map(|cell| render_address(report, cell.origin, lang));
                let from =
                    if ch.from.trim().is_empty() { lang.pick("（空白）", "(blank)") } else { ch.from.as_str() };
                format!("{}: {from} → {}（{}）", at.unwrap_or_default(), ch.to, ch.rule)
            })
            .collect();
        let writer = Writer::choose(report.input, None);
        view.fixed_in_place = writer.keeps_the_file();
        view.fixed_name = fixed_name(&entry.name, writer.extension());
    }
    view
}

fn render_address(report: &crate::model::Report, origin: crate::model::Origin, lang: Lang) -> String {
    match lang {
        Lang::Zh => report.address(origin),
        Lang::En => report.address_en(origin),
    }
}

/// `年报.fixed.xlsx` for `收到的.zip/年报.xlsx`.
fn fixed_name(name: &str, ext: &str) -> String {
    export::fixed_name(&stem_of(name), ext)
}

fn stem_of(name: &str) -> String {
    let file = display_name(name);
    Path::new(&file).file_stem().and_then(|s| s.to_str()).unwrap_or("report").to_string()
}

/// The kinds of file a checked upload can be downloaded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Download {
    /// The clerk's own file corrected (a workbook or document patched in place; others in the standard layout).
    Fixed {
        unsafe_fixes: bool,
    },
    Standard(Format),
    /// The results as the self-contained HTML report.
    Html,
}

impl Download {
    pub fn parse(kind: &str, unsafe_fixes: bool) -> Option<Download> {
        Some(match kind {
            "fixed" => Download::Fixed { unsafe_fixes },
            "xlsx" => Download::Standard(Format::Xlsx),
            "docx" => Download::Standard(Format::Docx),
            "json" => Download::Standard(Format::Json),
            "csv" => Download::Standard(Format::Csv),
            "html" => Download::Html,
            _ => return None,
        })
    }
}

/// A file to send: its name, its media type and its bytes.
pub(crate) struct File {
    pub name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

pub(crate) fn media_type(ext: &str) -> &'static str {
    match ext {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Make a download; the error is the message for the page.
pub(crate) fn download(
    entry: &Entry,
    kind: Download,
    policy: &Policy,
    config_dir: &Path,
    lang: Lang,
) -> Result<File, String> {
    let report = match (&entry.result, kind) {
        (result, Download::Html) => return Ok(html_report(&entry.name, result, lang)),
        (FileResult::Unreadable(e), _) => return Err(e.reason_in(lang)),
        (FileResult::Checked { report, .. }, _) => report.as_ref(),
    };
    let stem = stem_of(&entry.name);
    match kind {
        Download::Fixed { unsafe_fixes } => {
            let options = fix::Options { unsafe_fixes, to: None, policy: policy.clone() };
            let fixed = fix::fix(report.clone(), &policy_path(config_dir, &entry.name), &options);
            let writer = Writer::choose(report.input, None);
            let written = writer.write(&entry.bytes, &fixed).map_err(|e| e.message(lang))?;
            let ext = writer.extension();
            Ok(File { name: export::fixed_name(&stem, ext), media_type: media_type(ext), bytes: written.bytes })
        }
        Download::Standard(format) => {
            let bytes = export::render(report, format, &[]).map_err(|e| e.message(lang))?;
            let ext = match format {
                Format::Xlsx => "xlsx",
                Format::Docx => "docx",
                Format::Json => "json",
                Format::Csv => "csv",
            };
            Ok(File { name: format!("{stem}.{ext}"), media_type: media_type(ext), bytes })
        }
        Download::Html => Ok(html_report(&entry.name, &entry.result, lang)),
    }
}

fn html_report(name: &str, result: &FileResult, lang: Lang) -> File {
    let mut page = render::html::header(lang);
    page.push_str(&render::html::file(result, lang));
    page.push_str(render::html::FILE_END);
    let mut summary = render::Summary::default();
    summary.add(result);
    page.push_str(&render::html::footer(&summary, lang));
    let stem = stem_of(name);
    let suffix = lang.pick("检查结果", "findings");
    File { name: format!("{stem}.{suffix}.html"), media_type: media_type("html"), bytes: page.into_bytes() }
}

/// A blank report of the year.
pub(crate) fn template(year: Option<i32>, format: Format, lang: Lang) -> Result<File, String> {
    let (bytes, ext) = match format {
        Format::Docx => (export::docx::template(year), "docx"),
        _ => (export::xlsx::template(year), "xlsx"),
    };
    let bytes = bytes.map_err(|e| e.message(lang))?;
    let name = match year {
        Some(y) => format!("{y}年度政府信息公开工作年度报告模板.{ext}"),
        None => format!("政府信息公开工作年度报告模板.{ext}"),
    };
    Ok(File { name, media_type: media_type(ext), bytes })
}
