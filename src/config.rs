//! `gongkai.toml`: which rules run, at what severity, which findings a file may carry, and the organisation type
//! when the agency's name does not tell it (UX.md). The nearest `gongkai.toml` upward from a file applies to it;
//! command-line flags win over it. Documents cannot carry suppression comments, so suppression lives here.
//!
//! ```toml
//! select = ["C", "V", "S"]          # codes, code prefixes or names; all rules when absent
//! ignore = ["T608"]
//! org-type = "department"           # or "government": the publication deadline (1月31日 or 3月31日)
//! deadline = "02-28"                # or a deadline of its own (month-day of the year after the report's)
//! thin-section-chars = 20           # T609: sections 一 and 五 shorter than this (characters) are thin
//! copied-text-share = 0.8           # T611: the share of section 一 or 五 repeating last year's text that warns
//! shared-text-share = 0.8           # T613: the share of section 一 or 五 found in another agency's report that warns
//!
//! [severity]
//! W505 = "error"                    # error, warning or info
//!
//! [per-file-ignores]
//! "2019/*.xlsx" = ["F401"]          # globs relative to this file's folder
//! "市教育局.xlsx" = ["V206@年报!K27", "C303@年报!K20:K30"]   # only findings in these cells
//! "*.docx" = ["C303@表3!I12"]       # DOCX tables are named 表1, 表2, … and their cells like a sheet's
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::lang::{Lang, Text};
use crate::lint::{Diagnostic, Selection, Severity};
use crate::model::{OrgType, Report};
use crate::raw::{Addressing, parse_a1};

/// The name of the configuration file.
pub const FILE_NAME: &str = "gongkai.toml";

/// A configuration file that cannot be used: the run stops (exit code 2), naming the file and the fault.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {}", detail.en)]
pub struct ConfigError {
    pub path: String,
    pub detail: Text,
}

impl ConfigError {
    /// The error in the language of the run.
    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.path, self.detail.get(lang))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    org_type: Option<String>,
    deadline: Option<String>,
    thin_section_chars: Option<usize>,
    copied_text_share: Option<f64>,
    shared_text_share: Option<f64>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// One loaded `gongkai.toml`.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// When that file last changed: `batch` redoes the outputs of the reports it applies to when it is newer.
    pub modified: Option<std::time::SystemTime>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    pub org_type: Option<OrgType>,
    /// The publication deadline, `MM-DD` of the year after the report's.
    pub deadline: Option<String>,
    /// T609's floor for sections 一 and 五, in characters.
    pub thin_section_chars: Option<usize>,
    /// T611's threshold: the share of a section's text repeating last year's.
    pub copied_text_share: Option<f64>,
    /// T613's threshold: the share of a section's text found in another agency's report.
    pub shared_text_share: Option<f64>,
    severity: Vec<(String, Severity)>,
    per_file_ignores: Vec<(globset::GlobMatcher, Vec<Ignore>)>,
}

/// A rule (code, code prefix or name) ignored for a file, optionally only in a range of cells.
#[derive(Debug)]
struct Ignore {
    rule: String,
    cells: Option<CellRange>,
}

/// `年报!K20:K30`: a sheet (or DOCX table 表N) and a rectangle of 0-based rows and columns.
#[derive(Debug, PartialEq)]
struct CellRange {
    sheet: String,
    rows: (u32, u32),
    cols: (u32, u32),
}

fn rule_matches(pattern: &str, d: &Diagnostic) -> bool {
    d.code.starts_with(pattern) || d.name == pattern
}

fn known_rule(pattern: &str) -> bool {
    crate::lint::rules::ALL.iter().any(|r| r.code.starts_with(pattern) || r.name == pattern)
}

impl Config {
    /// Parse the text of a `gongkai.toml` at `path`.
    ///
    /// # Errors
    /// [`ConfigError`] for TOML that does not parse, unknown keys, rules, severities or organisation types, bad
    /// globs and bad cell ranges.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let fail = |zh: String, en: String| ConfigError { path: path.display().to_string(), detail: Text::new(zh, en) };
        let mut file: File = toml::from_str(text).map_err(|e| {
            let e = e.to_string().trim_end().to_string();
            fail(format!("不是可用的 TOML：{e}"), e)
        })?;
        // Codes as the rules spell them, whatever case they were typed in (`c3` is `C3`).
        for list in [&mut file.select, &mut file.ignore].into_iter().flatten() {
            list.iter_mut().for_each(|rule| *rule = crate::lint::selector(rule));
        }
        file.severity =
            std::mem::take(&mut file.severity).into_iter().map(|(k, v)| (crate::lint::selector(&k), v)).collect();
        for rule in file.select.iter().chain(file.ignore.iter()).flatten() {
            if !known_rule(rule) {
                return Err(fail(
                    format!("没有规则「{rule}」（gongkai rules 列出全部规则）"),
                    format!("unknown rule `{rule}` (see `gongkai rules`)"),
                ));
            }
        }
        let org_type = match file.org_type.as_deref() {
            None => None,
            Some("department") => Some(OrgType::Department),
            Some("government") => Some(OrgType::Government),
            Some(other) => {
                return Err(fail(
                    format!("org-type 应为 department（政府部门）或 government（地方人民政府），而不是「{other}」"),
                    format!("org-type is `department` or `government`, not `{other}`"),
                ));
            }
        };
        if let Some(deadline) = &file.deadline
            && !is_month_day(deadline)
        {
            return Err(fail(
                format!("deadline 应为一年中的某月某日，如 \"03-31\"，而不是「{deadline}」"),
                format!("deadline is a month and day of the year like \"03-31\", not `{deadline}`"),
            ));
        }
        for (name, share) in
            [("copied-text-share", file.copied_text_share), ("shared-text-share", file.shared_text_share)]
        {
            if let Some(share) = share
                && !(share > 0.0 && share <= 1.0)
            {
                return Err(fail(
                    format!("{name} 应为 0 到 1 之间的比例，如 0.8，而不是 {share}"),
                    format!("{name} is a share between 0 and 1 like 0.8, not {share}"),
                ));
            }
        }
        let mut severity = Vec::new();
        for (rule, level) in &file.severity {
            if !known_rule(rule) {
                return Err(fail(
                    format!("[severity] 中没有规则「{rule}」"),
                    format!("[severity]: unknown rule `{rule}`"),
                ));
            }
            let level = match level.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                other => {
                    return Err(fail(
                        format!("[severity] {rule} 应为 error、warning 或 info，而不是「{other}」"),
                        format!("[severity] {rule}: `error`, `warning` or `info`, not `{other}`"),
                    ));
                }
            };
            severity.push((rule.clone(), level));
        }
        let mut per_file_ignores = Vec::new();
        for (pattern, entries) in &file.per_file_ignores {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map_err(|e| {
                    fail(
                        format!("[per-file-ignores] 「{pattern}」：{e}"),
                        format!("[per-file-ignores] `{pattern}`: {e}"),
                    )
                })?
                .compile_matcher();
            let mut ignores = Vec::new();
            for entry in entries {
                let (rule, cells) = match entry.split_once('@') {
                    Some((rule, range)) => (
                        rule,
                        Some(parse_range(range).ok_or_else(|| {
                            fail(
                                format!(
                                    "[per-file-ignores] 「{entry}」：单元格范围写作 年报!K20 或 年报!K20:K30，Word 表格的单元格也可照检查结果写作 表2 第4行第10列"
                                ),
                                format!(
                                    "[per-file-ignores] `{entry}`: a cell range is written like 年报!K20 or 年报!K20:K30, a Word table's cell also as the findings name it, 表2 第4行第10列"
                                ),
                            )
                        })?),
                    ),
                    None => (entry.as_str(), None),
                };
                let rule = crate::lint::selector(rule);
                let rule = rule.as_str();
                if !known_rule(rule) {
                    return Err(fail(
                        format!("[per-file-ignores] 中没有规则「{rule}」"),
                        format!("[per-file-ignores] unknown rule `{rule}`"),
                    ));
                }
                ignores.push(Ignore { rule: rule.to_string(), cells });
            }
            per_file_ignores.push((glob, ignores));
        }
        Ok(Config {
            path: path.to_path_buf(),
            modified: None,
            select: file.select,
            ignore: file.ignore,
            org_type,
            deadline: file.deadline,
            thin_section_chars: file.thin_section_chars,
            copied_text_share: file.copied_text_share,
            shared_text_share: file.shared_text_share,
            severity,
            per_file_ignores,
        })
    }

    /// Give a report what this file says of its body: the organisation type and the deadline, unless `command_line`
    /// gave an organisation type: then that type's statutory deadline applies, not this file's deadline.
    pub fn give(&self, meta: &mut crate::model::Meta, command_line: Option<OrgType>) {
        if let Some(org_type) = command_line.or(self.org_type) {
            meta.give_org_type(org_type);
        }
        meta.deadline_given = match command_line {
            Some(_) => None,
            None => self.deadline.clone(),
        };
        meta.thin_section_chars = self.thin_section_chars;
        meta.copied_text_share = self.copied_text_share;
        meta.shared_text_share = self.shared_text_share;
    }

    /// The rules to run: the command line's choice where it made one, else this file's.
    pub fn selection(&self, command_line: &Selection) -> Selection {
        Selection {
            select: if command_line.select.is_empty() {
                self.select.clone().unwrap_or_default()
            } else {
                command_line.select.clone()
            },
            ignore: if command_line.ignore.is_empty() {
                self.ignore.clone().unwrap_or_default()
            } else {
                command_line.ignore.clone()
            },
        }
    }

    /// Set the severities this file gives and drop the findings it ignores for `file` (a path as given on the
    /// command line; globs are matched against it relative to this file's folder).
    pub fn apply(&self, file: &Path, report: &Report, diagnostics: &mut Vec<Diagnostic>) {
        let relative = relative_to(file, self.path.parent().unwrap_or(Path::new("")));
        let ignores: Vec<&Ignore> = self
            .per_file_ignores
            .iter()
            .filter(|(glob, _)| glob.is_match(&relative) || relative.file_name().is_some_and(|n| glob.is_match(n)))
            .flat_map(|(_, list)| list)
            .collect();
        diagnostics.retain(|d| !ignores.iter().any(|i| rule_matches(&i.rule, d) && in_range(i, report, d)));
        for d in diagnostics.iter_mut() {
            // The most specific entry wins: `C303` over `C3`.
            if let Some((_, level)) =
                self.severity.iter().filter(|(rule, _)| rule_matches(rule, d)).max_by_key(|(rule, _)| rule.len())
            {
                d.severity = *level;
            }
        }
    }
}

/// The findings `rules` makes of the report read from `file`, under `config` when there is one: its choice of rules
/// where the command line left it open, its severities and its per-file ignores.
pub fn findings(
    config: Option<&Config>,
    file: &Path,
    report: &Report,
    command_line: &Selection,
    rules: impl FnOnce(&Selection) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let Some(config) = config else { return rules(command_line) };
    let mut found = rules(&config.selection(command_line));
    config.apply(file, report, &mut found);
    found
}

fn in_range(ignore: &Ignore, report: &Report, d: &Diagnostic) -> bool {
    let Some(range) = &ignore.cells else { return true };
    let Some(origin) = d.origin else { return false };
    let Some(grid) = report.grids.get(origin.grid) else { return false };
    let (name, row, col) = match &grid.addressing {
        Addressing::Sheet { sheet, row0, col0 } => (sheet.clone(), row0 + origin.row, col0 + origin.col),
        Addressing::DocTable { index } | Addressing::PdfTable { index, .. } => {
            (format!("表{index}"), origin.row, origin.col)
        }
        Addressing::Lines { .. } => return false,
    };
    name == range.sheet && (range.rows.0..=range.rows.1).contains(&row) && (range.cols.0..=range.cols.1).contains(&col)
}

/// A month and day that every year has (`02-28`; `02-29` too, a deadline that leap years keep), as `MM-DD`.
fn is_month_day(text: &str) -> bool {
    let Some((m, d)) = text.split_once('-') else { return false };
    let (Ok(month), Ok(day)) = (m.parse::<u32>(), d.parse::<u32>()) else { return false };
    let days = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    text.len() == 5 && (1..=days).contains(&day)
}

/// `表2 第4行第10列` (a Word table's cell, as the findings name it) → `(表2, row, col)`, 0-based.
fn doc_cell(text: &str) -> Option<(String, u32, u32)> {
    let (table, cell) = text.trim().split_once(' ')?;
    let cell = cell.trim().strip_prefix('第')?.strip_suffix('列')?;
    let (row, col) = cell.split_once("行第")?;
    let (row, col) = (row.parse::<u32>().ok()?.checked_sub(1)?, col.parse::<u32>().ok()?.checked_sub(1)?);
    (table.starts_with('表') && table.len() > '表'.len_utf8()).then(|| (table.to_string(), row, col))
}

/// `年报!K20` or `年报!K20:K30` → the sheet and the 0-based rectangle; a Word table's cells also as the findings
/// name them: `表2 第4行第10列`, `表2 第4行第10列:表2 第8行第10列`.
fn parse_range(text: &str) -> Option<CellRange> {
    let (a, b) = text.split_once(':').unwrap_or((text, text));
    if let (Some((table, r0, c0)), Some((other, r1, c1))) = (doc_cell(a), doc_cell(b)) {
        return (table == other).then(|| CellRange {
            sheet: table,
            rows: (r0.min(r1), r0.max(r1)),
            cols: (c0.min(c1), c0.max(c1)),
        });
    }
    let (sheet, cells) = text.rsplit_once('!')?;
    let (a, b) = cells.split_once(':').unwrap_or((cells, cells));
    let (r0, c0) = parse_a1(a)?;
    let (r1, c1) = parse_a1(b)?;
    (!sheet.is_empty()).then(|| CellRange {
        sheet: sheet.trim_matches('\'').to_string(),
        rows: (r0.min(r1), r0.max(r1)),
        cols: (c0.min(c1), c0.max(c1)),
    })
}

/// `file` relative to `dir`, both resolved first (the configuration's folder is found resolved).
pub(crate) fn relative_to(file: &Path, dir: &Path) -> PathBuf {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) }
        })
    };
    let (file, dir) = (absolute(file), absolute(dir));
    file.strip_prefix(&dir).map(Path::to_path_buf).unwrap_or(file)
}

/// The configuration of each folder, read once: the nearest `gongkai.toml` upward from a file.
#[derive(Debug, Default)]
pub struct Configs {
    by_dir: Mutex<FxHashMap<PathBuf, Option<Arc<Config>>>>,
}

impl Configs {
    /// The configuration that applies to `file`, if any.
    ///
    /// # Errors
    /// [`ConfigError`] when the nearest `gongkai.toml` cannot be read or used.
    pub fn for_file(&self, file: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let given = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        // Folders are remembered as given too: the files of one folder resolve it once.
        if let Some(found) = self.lock().get(given) {
            return Ok(found.clone());
        }
        // A zip member's folder (`ARCHIVE.zip/2023`) does not exist: its nearest real folder is resolved instead.
        let resolved = given
            .ancestors()
            .find_map(|a| std::fs::canonicalize(a).ok().map(|real| (a, real)))
            .and_then(|(a, real)| given.strip_prefix(a).ok().map(|rest| real.join(rest)))
            .unwrap_or_else(|| given.to_path_buf());
        let found = self.for_dir(&resolved)?;
        self.lock().insert(given.to_path_buf(), found.clone());
        Ok(found)
    }

    fn for_dir(&self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if let Some(found) = self.lock().get(dir) {
            return Ok(found.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            let text = std::fs::read_to_string(&candidate).map_err(|e| ConfigError {
                path: candidate.display().to_string(),
                detail: Text::new(
                    format!("无法读取：{}", crate::lang::io_error_in(&e, Lang::Zh)),
                    format!("cannot be read: {e}"),
                ),
            })?;
            let mut config = Config::parse(&candidate, &text)?;
            config.modified = std::fs::metadata(&candidate).and_then(|m| m.modified()).ok();
            Some(Arc::new(config))
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            }
        };
        self.lock().insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<PathBuf, Option<Arc<Config>>>> {
        self.by_dir.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_to_zero_based_rectangles() {
        assert_eq!(parse_range("年报!K27"), Some(CellRange { sheet: "年报".into(), rows: (26, 26), cols: (10, 10) }));
        assert_eq!(
            parse_range("'表 三'!K30:I20"),
            Some(CellRange { sheet: "表 三".into(), rows: (19, 29), cols: (8, 10) })
        );
        assert_eq!(parse_range("K27"), None, "the sheet is named");
        assert_eq!(parse_range("年报!27K"), None);
        // A Word table's cell as the findings name it, alone or as the corners of a range.
        assert_eq!(parse_range("表2 第4行第10列"), Some(CellRange { sheet: "表2".into(), rows: (3, 3), cols: (9, 9) }));
        assert_eq!(
            parse_range("表2 第4行第10列:表2 第8行第9列"),
            Some(CellRange { sheet: "表2".into(), rows: (3, 7), cols: (8, 9) })
        );
        assert_eq!(parse_range("表2 第4行第10列:表3 第8行第9列"), None, "one table");
    }

    #[test]
    fn faults_name_what_is_wrong() {
        let path = Path::new("gongkai.toml");
        let err = |text: &str| Config::parse(path, text).unwrap_err().to_string();
        assert!(err("select = [\"Z999\"]").contains("unknown rule `Z999`"));
        assert!(err("selec = [\"C\"]").contains("unknown field"));
        assert!(err("org-type = \"county\"").contains("department"));
        assert!(err("deadline = \"3-31\"").contains("03-31"));
        assert!(err("deadline = \"13-01\"").contains("03-31"));
        assert!(Config::parse(path, "deadline = \"02-28\"").is_ok());
        assert!(err("deadline = \"02-30\"").contains("03-31"), "February has no 30th");
        assert!(err("deadline = \"04-31\"").contains("03-31"));
        assert!(Config::parse(path, "deadline = \"02-29\"").is_ok());
        // In a Chinese run the fault is said in Chinese.
        let zh = |text: &str| Config::parse(path, text).unwrap_err().message(Lang::Zh);
        assert!(zh("select = [\"Z999\"]").contains("没有规则「Z999」"), "{}", zh("select = [\"Z999\"]"));
        assert!(zh("deadline = \"02-30\"").contains("deadline 应为"));
        assert!(zh("[severity]\nC303 = \"fatal\"").contains("应为 error、warning 或 info"));
        assert!(err("[severity]\nC303 = \"fatal\"").contains("not `fatal`"));
        assert!(err("[per-file-ignores]\n\"*.xlsx\" = [\"C303@K27\"]").contains("cell range"));
        assert!(err("select = [").starts_with("gongkai.toml:"));
    }

    #[test]
    fn a_report_is_given_the_bodys_type_and_deadline() {
        let config =
            Config::parse(Path::new("gongkai.toml"), "org-type = \"government\"\ndeadline = \"02-28\"").unwrap();
        let mut meta = crate::model::Meta::default();
        config.give(&mut meta, None);
        assert_eq!((meta.org_type, meta.org_type_given), (Some(OrgType::Government), true));
        assert_eq!(meta.deadline_given.as_deref(), Some("02-28"));
        let mut meta = crate::model::Meta::default();
        config.give(&mut meta, Some(OrgType::Department));
        assert_eq!(meta.org_type, Some(OrgType::Department), "the command line wins");
        assert_eq!(meta.deadline_given, None, "over the file's deadline too: the department's 1月31日 applies");
    }

    #[test]
    fn the_command_line_wins() {
        let config = Config::parse(Path::new("gongkai.toml"), "select = [\"C\"]\nignore = [\"C303\"]").unwrap();
        let none = Selection::default();
        assert_eq!(config.selection(&none).select, vec!["C".to_string()]);
        let given = Selection { select: vec!["V".into()], ignore: Vec::new() };
        let chosen = config.selection(&given);
        assert_eq!((chosen.select, chosen.ignore), (vec!["V".to_string()], vec!["C303".to_string()]));
    }
}
