//! A baseline: the findings an archive had when checking started, accepted so that a CI job fails only on new
//! ones (UX.md: documents cannot carry suppression comments, so suppression lives in config or a baseline file).
//!
//! `check --write-baseline FILE` writes every finding of the run; `check --baseline FILE` hides the findings the
//! file lists; `fix --baseline` and `batch --baseline` leave those findings alone too. A finding is named by its
//! file (relative to the baseline's folder), its rule code and its cell's canonical key (its address when it has no
//! key): a row added above a table does not un-hide it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::lang::Lang;
use crate::lint::Diagnostic;
use crate::model::Report;

/// Why a baseline cannot be read or written: the run stops, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: cannot read the baseline: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: not a baseline written by `gongkai check --write-baseline` ({detail})")]
    NotABaseline { path: String, detail: String },
    #[error("{path}: cannot write the baseline: {source}")]
    Write { path: String, source: std::io::Error },
}

impl BaselineError {
    /// The error in the language of the run (`Display` stays English for programs that embed gongkai).
    pub fn message(&self, lang: Lang) -> String {
        let io = |e| crate::lang::io_error_in(e, lang);
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (BaselineError::Read { path, source }, Lang::Zh) => format!("{path}：无法读取基线文件：{}", io(source)),
            (BaselineError::NotABaseline { path, detail }, Lang::Zh) => {
                format!("{path}：不是 gongkai check --write-baseline 写出的基线文件（{detail}）")
            }
            (BaselineError::Write { path, source }, Lang::Zh) => format!("{path}：无法写入基线文件：{}", io(source)),
        }
    }
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    /// The cell's canonical key, else its address, else empty (a finding about the whole file).
    pub at: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    /// The folder paths are relative to.
    dir: PathBuf,
    /// How many times each finding is accepted, by file.
    by_file: HashMap<String, HashMap<(String, String), usize>>,
}

/// The name of a file as a baseline in `dir` keeps it: relative to `dir` where it lies below it, with `/`.
fn name_in(dir: &Path, file: &Path) -> String {
    crate::config::relative_to(file, dir)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn folder_of(baseline: &Path) -> PathBuf {
    baseline.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// The entries of a file's findings, for a baseline written at `baseline`.
pub fn entries(baseline: &Path, file: &Path, report: &Report, diagnostics: &[Diagnostic]) -> Vec<Entry> {
    let path = name_in(&folder_of(baseline), file);
    diagnostics.iter().map(|d| Entry { path: path.clone(), code: d.code.to_string(), at: at(report, d) }).collect()
}

fn at(report: &Report, d: &Diagnostic) -> String {
    match (&d.key, d.origin) {
        (Some(key), _) => key.clone(),
        (None, Some(origin)) => report.address(origin),
        (None, None) => String::new(),
    }
}

/// Write a baseline of `entries` to `path`, atomically.
///
/// # Errors
/// When the file cannot be written.
pub fn write(path: &Path, mut entries: Vec<Entry>) -> Result<(), BaselineError> {
    entries.sort_by(|a, b| (&a.path, &a.code, &a.at).cmp(&(&b.path, &b.code, &b.at)));
    let fail = |source| BaselineError::Write { path: path.display().to_string(), source };
    let text = serde_json::to_vec_pretty(&File { version: 1, findings: entries }).map_err(|e| fail(e.into()))?;
    crate::atomic::write(path, &text).map_err(fail)
}

impl Baseline {
    /// Read a baseline file.
    ///
    /// # Errors
    /// [`BaselineError`] naming the file when it cannot be read or is not a baseline.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let name = || path.display().to_string();
        let text = std::fs::read(path).map_err(|source| BaselineError::Read { path: name(), source })?;
        let file: File = serde_json::from_slice(&text)
            .map_err(|e| BaselineError::NotABaseline { path: name(), detail: e.to_string() })?;
        let mut by_file: HashMap<String, HashMap<(String, String), usize>> = HashMap::new();
        for e in file.findings {
            *by_file.entry(e.path).or_default().entry((e.code, e.at)).or_default() += 1;
        }
        Ok(Baseline { dir: folder_of(path), by_file })
    }

    /// Drop the findings of `file` the baseline accepts (each entry accepts one finding); returns how many.
    pub fn hide(&self, file: &Path, report: &Report, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let Some(accepted) = self.by_file.get(&name_in(&self.dir, file)) else { return 0 };
        let mut left = accepted.clone();
        let before = diagnostics.len();
        diagnostics.retain(|d| match left.get_mut(&(d.code.to_string(), at(report, d))) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        before - diagnostics.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_baseline_hides_what_it_holds_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = Path::new("fixtures/xlsx/row-total-off-by-one.xlsx");
        let report = crate::import::read(file).unwrap();
        let mut found = crate::lint::check(&report);
        assert!(found.len() >= 2, "{found:?}");
        let path = dir.path().join("baseline.json");
        // Accept all but the first finding.
        write(&path, entries(&path, file, &report, &found[1..])).unwrap();
        let baseline = Baseline::load(&path).unwrap();
        let (first, all) = (found[0].code, found.len());
        assert_eq!(baseline.hide(file, &report, &mut found), all - 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, first, "the finding not in the baseline stays");
        let mut again = crate::lint::check(&report);
        assert_eq!(baseline.hide(Path::new("fixtures/xlsx/blank-total.xlsx"), &report, &mut again), 0, "another file");
    }

    #[test]
    fn a_file_that_is_not_a_baseline_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, "{\"files\": []}").unwrap();
        assert!(Baseline::load(&path).unwrap_err().to_string().contains("b.json: not a baseline"));
    }
}
