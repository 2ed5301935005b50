//! Fix: a report's findings under its [`Policy`], the fixes they carry applied (safe ones always, unsafe ones —
//! those that change a number — when asked), and the corrected document written by the writer that suits it: a
//! Word file patched in place, or the standard layout as XLSX or DOCX. The input is never changed.

use std::path::{Path, PathBuf};

use crate::check::Policy;
use crate::discover::{Found, Reader};
use crate::export::{self, Change, ExportError};
use crate::import::ImportError;
use crate::lint::{self, Diagnostic, Safety, Severity};
use crate::model::Report;
use crate::raw::InputKind;

/// The layout the corrected copy is asked in (`fix --to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Xlsx,
    Docx,
}

/// How to fix.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Also apply the fixes that change a reported number (a recomputed total).
    pub unsafe_fixes: bool,
    /// The standard layout in this format instead of the input's own.
    pub to: Option<Target>,
    pub policy: Policy,
}

/// A report fixed.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The report as read.
    pub report: Report,
    /// The report with the fixes applied.
    pub fixed: Report,
    /// What changed, in the order a reader meets the cells.
    pub changes: Vec<Change>,
    /// How many unsafe fixes were left out (no `unsafe_fixes`).
    pub held_back: usize,
    /// The findings of the fixed report.
    pub remaining: Vec<Diagnostic>,
}

impl Fixed {
    /// The errors the fixes did not cure.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.remaining.iter().filter(|d| d.severity == Severity::Error)
    }
}

/// Fix a report read from `path` (its `gongkai.toml` and the baseline apply as in `check`: a rule turned off or a
/// finding accepted fixes nothing).
///
/// # Examples
/// ```
/// use std::path::Path;
/// let path = Path::new("fixtures/xlsx/row-total-off-by-one.xlsx");
/// let report = gongkai::import::read(path).unwrap();
/// let options = gongkai::fix::Options { unsafe_fixes: true, ..Default::default() };
/// let fixed = gongkai::fix::fix(report, path, &options);
/// assert!(fixed.changes.iter().any(|c| c.from == "17" && c.to == "16"));
/// ```
pub fn fix(mut report: Report, path: &Path, options: &Options) -> Fixed {
    // `fix` takes no --org-type: the organisation type comes from the file's gongkai.toml or the agency's name.
    let policy = Policy { org_type: None, ..options.policy.clone() };
    policy.give(path, &mut report);
    let findings = |r: &Report| policy.findings(path, r, |s| lint::check_with(r, s)).0;
    let diagnostics = findings(&report);
    let (fixed, edits) = lint::apply_fixes(&report, &diagnostics, options.unsafe_fixes);
    let held_back = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.safety == Safety::Unsafe && !options.unsafe_fixes)
        .count();
    let mut changes = Change::from_edits(&edits, &diagnostics);
    changes.sort_by_key(|ch| report.cell(&ch.key).map(|c| c.origin.source_order()));
    let remaining = findings(&fixed);
    Fixed { report, fixed, changes, held_back, remaining }
}

/// A report found, read and fixed: the bytes it was read from and the report fixed, or why it could not be read.
pub type Attempt = Result<(Vec<u8>, Fixed), ImportError>;

/// Read and fix each report found, on all cores. `work` runs on the fixing thread with what fixing came to (to write
/// the corrected document while others are fixed); `each` gets its result on this thread, in input order. A file
/// that trips a bug fails alone, as an [`ImportError::Internal`]. An error from `each` stops the run.
///
/// # Errors
/// The error of `each`.
pub fn fix_all<T: Send, E>(
    reports: &[Found],
    options: &Options,
    work: impl Fn(&Found, Attempt) -> T + Sync,
    each: impl FnMut(usize, &T) -> Result<(), E>,
) -> Result<(), E> {
    let read = |found: &Found| -> Attempt {
        let name = found.path.display().to_string();
        let bytes = Reader::default().bytes(found, &name)?;
        let report = crate::import::read_bytes(&name, &bytes)?;
        let fixed = fix(report, &found.path, options);
        Ok((bytes, fixed))
    };
    let isolated = |found: &Found| {
        let read = crate::contained::isolate(|| read(found))
            .unwrap_or_else(|detail| Err(ImportError::Internal { path: found.path.display().to_string(), detail }));
        work(found, read)
    };
    crate::pool::in_order(reports, isolated, each)
}

/// Which writer makes the corrected document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// The Word file itself, only the changed cells rewritten.
    PatchDocx,
    /// The workbook itself, only the changed cells rewritten, each marked with a fill and a comment.
    PatchXlsx,
    /// The standard layout as a Word file.
    Docx,
    /// The standard layout as a workbook.
    Xlsx,
}

/// The corrected document, and the changes it could not make: a cell whose value a formula gives is left to the
/// formula (the clerk fixes the formula or its parts).
#[derive(Debug)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub left_to_formulas: Vec<Change>,
}

impl Writer {
    /// The writer for an input of this kind: the file itself for a document or workbook, or the standard layout
    /// when `to` asks for it (and for what cannot be written back: .xls, PDF, web pages, text).
    pub fn choose(input: InputKind, to: Option<Target>) -> Writer {
        match (to, input) {
            (None, InputKind::Docx) => Writer::PatchDocx,
            (None, InputKind::Xlsx) => Writer::PatchXlsx,
            (Some(Target::Docx), _) => Writer::Docx,
            _ => Writer::Xlsx,
        }
    }

    /// The extension of what it writes.
    pub fn extension(self) -> &'static str {
        match self {
            Writer::PatchDocx | Writer::Docx => "docx",
            Writer::PatchXlsx | Writer::Xlsx => "xlsx",
        }
    }

    /// Whether it writes the input's own file back (rather than the standard layout).
    pub fn keeps_the_file(self) -> bool {
        matches!(self, Writer::PatchDocx | Writer::PatchXlsx)
    }

    /// The corrected document: `original` is the bytes the report was read from.
    ///
    /// # Errors
    /// [`ExportError`] when the writer fails (a patched original that is not a readable DOCX or workbook).
    pub fn write(self, original: &[u8], fixed: &Fixed) -> Result<Written, ExportError> {
        let all = |bytes| Written { bytes, left_to_formulas: Vec::new() };
        match self {
            Writer::PatchDocx => export::docx_patch::patch(original, &fixed.fixed, &fixed.changes).map(all),
            Writer::PatchXlsx => export::xlsx_patch::patch(original, &fixed.report, &fixed.changes)
                .map(|p| Written { bytes: p.bytes, left_to_formulas: p.left_to_formulas }),
            Writer::Docx => export::docx::write(&fixed.fixed, &fixed.changes).map(all),
            Writer::Xlsx => export::xlsx::write(&fixed.fixed, &fixed.changes).map(all),
        }
    }
}

/// Where the corrected copy of `input` goes: beside it, or under `out_dir` in the place it has below the folder it
/// was found in (`fix reports -o fixed`: `reports/2023/x.xlsx` → `fixed/2023/x.fixed.xlsx`), so that reports of
/// one name in different folders keep apart.
pub fn output_path(input: &Path, out_dir: Option<&Path>, given: &[PathBuf], ext: &str) -> PathBuf {
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let name = export::fixed_name(stem, ext);
    match out_dir {
        Some(dir) => {
            let below = given.iter().filter(|g| g.is_dir()).find_map(|g| input.strip_prefix(g).ok());
            dir.join(below.and_then(Path::parent).unwrap_or(Path::new(""))).join(name)
        }
        None => input.with_file_name(name),
    }
}
