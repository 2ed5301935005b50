//! Archive mode: many reports in, normalised files and a tidy dataset out.
//!
//! Inputs are folder trees or `.zip` archives (members are read in memory, never unpacked to disk). Reports are
//! processed in parallel (rayon), each worker holding at most 16 read and checked reports before it writes their
//! outputs, so memory does not grow with the archive. Each report is isolated: a file that cannot be read, or that
//! trips a bug, becomes a row with its status and the run goes on.
//! The dataset is streamed: `values.csv` and `diagnostics.jsonl` are written as reports finish, `summary.csv` at
//! the end (after the cross-year rules have seen each agency's series). Every output is written atomically.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

mod dataset;

pub use dataset::{Row, Totals, keys_csv, output_path};
use dataset::{Sinks, blank_row, count, csv_field, output_status, write_diagnostic};

use crate::check::Policy;
use crate::discover::{DiscoverError, Found, Reader};
use crate::export::{self, ExportError, Format};
use crate::import::ImportError;
use crate::lang::Lang;
use crate::layout::FormatVersion;
use crate::lint::{self, Diagnostic};
use crate::model::Report;
use crate::series::SeriesCells;

/// What to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub force: bool,
    /// The rules, each report's `gongkai.toml` and the baseline (its findings are left out of the dataset and the
    /// counts).
    pub policy: Policy,
    /// The language of the messages in `diagnostics.jsonl` and `summary.csv`.
    pub lang: Lang,
}

/// How a report ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Read and checked; no error-severity finding.
    Ok,
    /// Read and checked; errors found.
    Errors,
    /// The file could not be read.
    Unreadable,
    /// Processing the file failed inside gongkai (a bug): isolated and reported.
    Failed,
    /// A report in the layout used before 2019: its title, year and agency read, its tables not mapped.
    Legacy,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Errors => "errors",
            Status::Unreadable => "unreadable",
            Status::Failed => "failed",
            Status::Legacy => "legacy",
        }
    }
}

/// Why a run could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Output(#[from] ExportError),
    #[error("{0}: cannot write: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

impl BatchError {
    /// The error in the language of the run (`Display` stays English for programs that embed gongkai).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (BatchError::Discover(e), _) => e.message(lang),
            (BatchError::Output(e), _) => e.message(lang),
            (_, Lang::En) | (BatchError::Config(_), _) => self.to_string(),
            (BatchError::Io(path, e), Lang::Zh) => format!("{path}：无法写入：{}", crate::lang::io_error_in(e, lang)),
        }
    }
}

/// How many reports a worker reads and checks before writing their outputs, at most.
const HELD_REPORTS: usize = 16;
/// And how many bytes of input those reports may come from: a worker writes early past it.
const HELD_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// What a worker tells the caller after each report, for progress display.
pub struct Progress<'a> {
    pub id: &'a str,
    pub status: Status,
}

/// Process every item; see the module docs. `progress` is called after each report; `stop` is checked before each
/// report is read and before its outputs are written (Ctrl-C). Returns the totals; the dataset files are in the
/// output folder.
///
/// Memory does not grow with the number of reports beyond a few dozen bytes each: rows go to a temporary file as
/// reports finish and are read back, in input order, for the cross-year rules and `summary.csv`.
///
/// # Errors
/// [`BatchError`] when the output folder or the dataset files cannot be written. Per-report failures are not
/// errors: they are rows of the dataset.
pub fn run(
    items: &[Found],
    options: &Options,
    stop: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Totals, BatchError> {
    // A wrong gongkai.toml stops the run before any report is read.
    options.policy.load(items)?;
    let out = &options.out_dir;
    let sinks = Mutex::new(Sinks::create(out, items.len())?);
    let across_agencies = crate::similar::wanted(&options.policy.selection);
    let counts = Written::default();
    let spill_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    // Reports whose run-together digits the year before may settle, by (year, index); and whether this pass holds
    // them back (the second pass, at the end, does not).
    let deferred: Mutex<Vec<(i32, usize, SeriesCells)>> = Mutex::new(Vec::new());
    let finish_all = |pending: &mut Vec<(usize, Stage)>, settling: bool| {
        for (index, stage) in pending.drain(..) {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let item = &items[index];
            let row = match stage {
                // Digits run together that the agency's year before may settle: finished at the end of the run,
                // once the years before are in.
                Stage::Checked(Checked { row: Row { series: Some(cells), .. }, report, .. })
                    if settling && crate::series::has_open_cuts(&report) =>
                {
                    if let Ok(mut d) = deferred.lock() {
                        d.push((cells.year, index, cells));
                    }
                    continue;
                }
                Stage::Checked(checked) => finish(item, checked, options, &sinks, &counts),
                Stage::Done(row) => row,
            };
            progress(Progress { id: &item.id, status: row.status });
            let record = serde_json::to_vec(&row).map_err(std::io::Error::other);
            // What the comparison across agencies reads, made here on the worker: its phrases are not made again.
            let peer = row
                .series
                .as_ref()
                .filter(|_| across_agencies)
                .map(|cells| crate::similar::Peer::of(cells, &item.id))
                .and_then(|peer| Some((crate::similar::Sketch::of(&peer)?, peer.to_bytes())));
            if let Ok(mut s) = sinks.lock() {
                if let Some(series) = &row.series {
                    s.series.add(series.key(index));
                }
                if let Some((sketch, (bytes, head))) = peer {
                    s.sketches[index] = Some(sketch);
                    match s.peers.push(&bytes) {
                        Ok(span) => s.peer_at[index] = Some(crate::similar::PeerAt::new(span, head)),
                        Err(e) => {
                            if let Ok(mut slot) = spill_error.lock() {
                                slot.get_or_insert(e);
                            }
                        }
                    }
                }
                match record.and_then(|r| s.rows.push(&r)) {
                    Ok(span) => s.row_at[index] = Some(span),
                    Err(e) => {
                        if let Ok(mut slot) = spill_error.lock() {
                            slot.get_or_insert(e);
                        }
                    }
                }
            }
        }
    };

    // Each worker reads and checks a few reports, then writes their outputs: the reader's and the writers' code
    // and data then stay in the processor's caches for a run of reports (bench/NOTES.md). Bounded in count and in
    // input bytes, so memory stays flat.
    let chunk = (items.len() / (rayon::current_num_threads() * 8)).clamp(1, HELD_REPORTS);
    items.par_chunks(chunk).enumerate().for_each_init(Reader::default, |reader, (c, group)| {
        let mut pending = Vec::with_capacity(group.len());
        let mut held = 0;
        for (offset, item) in group.iter().enumerate() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let (checked, size) = check_item(item, options, reader, None);
            pending.push((c * chunk + offset, checked));
            held += size;
            if held > HELD_INPUT_BYTES {
                finish_all(&mut pending, true);
                held = 0;
            }
        }
        finish_all(&mut pending, true);
    });
    // The held-back reports, the earlier years first (a year settled may settle the next): read again, settled by
    // the year before when the run has it, then finished as any other.
    let mut held_back = deferred.lock().map(|mut d| std::mem::take(&mut *d)).unwrap_or_default();
    held_back.sort_unstable_by_key(|&(year, index, _)| (year, index));
    let mut reader = Reader::default();
    for (_, index, cells) in held_back {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let earlier = sinks.lock().ok().and_then(|mut s| s.year_before(&cells));
        let (stage, _) = check_item(&items[index], options, &mut reader, earlier.as_ref());
        finish_all(&mut vec![(index, stage)], false);
    }
    if let Some(e) = spill_error.into_inner().ok().flatten() {
        return Err(BatchError::Io(out.join("summary.csv").display().to_string(), e));
    }
    let sinks = sinks.into_inner().map_err(|_| dataset::poisoned("dataset"))?;
    let mut totals = sinks.finish(items, options)?;
    totals.written = counts.written.load(Ordering::Relaxed);
    totals.up_to_date = counts.current.load(Ordering::Relaxed);
    Ok(totals)
}

/// Where a report is between reading and writing.
enum Stage {
    /// Read and checked, waiting for its outputs and dataset rows.
    Checked(Checked),
    /// Nothing more to do: it could not be read, or checking it failed (the row says why).
    Done(Row),
}

/// A report read and checked.
struct Checked {
    report: Box<Report>,
    diagnostics: Vec<Diagnostic>,
    row: Row,
    /// The newest of the input's and its gongkai.toml's modification times: outputs older than it are redone.
    inputs_modified: Option<std::time::SystemTime>,
}

/// Read and check one report, isolated: a panic inside becomes a `failed` row. Also gives the size of the input,
/// which bounds how much a worker holds before writing.
fn check_item(item: &Found, options: &Options, reader: &mut Reader, earlier: Option<&Report>) -> (Stage, usize) {
    let bytes = match reader.bytes(item, &item.id) {
        Ok(b) => b,
        Err(e) => return (Stage::Done(blank_row(item, Status::Unreadable, e.reason_in(options.lang))), 0),
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| check_bytes(item, &bytes, options, earlier)));
    (outcome.unwrap_or_else(|panic| Stage::Done(failed_row(item, &*panic, options.lang))), bytes.len())
}

fn failed_row(item: &Found, panic: &(dyn std::any::Any + Send), lang: Lang) -> Row {
    let failure = ImportError::Internal { path: item.id.clone(), detail: crate::contained::panic_message(panic) };
    blank_row(item, Status::Failed, failure.reason_in(lang))
}

fn check_bytes(item: &Found, bytes: &[u8], options: &Options, earlier: Option<&Report>) -> Stage {
    let mut report = match crate::import::read_bytes(&item.id, bytes) {
        Ok(r) => r,
        Err(e) => return Stage::Done(blank_row(item, Status::Unreadable, e.reason_in(options.lang))),
    };
    crate::contained::failpoint(&item.id);
    // An output is up to date when it is newer than its input and than the gongkai.toml that shaped it.
    let mut inputs_modified = item.modified;
    if let Some(config) = options.policy.config(&item.path) {
        config.give(&mut report.meta, None);
        inputs_modified = inputs_modified.max(config.modified);
    }
    // Digits run together that the agency's report of the year before settles.
    if let Some(earlier) = earlier {
        crate::series::settle_by_year_before(earlier, &mut report);
    }
    let (diagnostics, _) =
        options.policy.findings(&item.path, &report, |selection| lint::check_with(&report, selection));
    let row = row_of(item, &report, &diagnostics);
    Stage::Checked(Checked { report: Box::new(report), diagnostics, row, inputs_modified })
}

/// A checked report's row of summary.csv, before its outputs are written.
fn row_of(item: &Found, report: &Report, diagnostics: &[Diagnostic]) -> Row {
    let mut row = Row {
        id: item.id.clone(),
        agency: report.meta.agency.clone(),
        year: report.meta.year,
        format: report.format.as_str().to_string(),
        published: report.meta.published.clone(),
        status: if report.format == FormatVersion::Legacy { Status::Legacy } else { Status::Ok },
        errors: 0,
        warnings: 0,
        codes: BTreeMap::new(),
        message: None,
        values_read: None,
        series: SeriesCells::of(report),
    };
    for d in diagnostics {
        count(&mut row, d.severity, d.code);
    }
    row
}

/// Write a checked report's outputs and its dataset rows, isolated as its checking was.
fn finish(item: &Found, checked: Checked, options: &Options, sinks: &Mutex<Sinks>, counts: &Written) -> Row {
    std::panic::catch_unwind(AssertUnwindSafe(|| write_outputs(item, checked, options, sinks, counts)))
        .unwrap_or_else(|panic| failed_row(item, &*panic, options.lang))
}

/// How many outputs were written, and how many were left as they were (up to date).
#[derive(Default)]
struct Written {
    written: std::sync::atomic::AtomicUsize,
    current: std::sync::atomic::AtomicUsize,
}

fn write_outputs(item: &Found, checked: Checked, options: &Options, sinks: &Mutex<Sinks>, counts: &Written) -> Row {
    let Checked { report, diagnostics, mut row, inputs_modified } = checked;
    for format in &options.formats {
        let path = output_path(&options.out_dir, &item.id, *format);
        let may_exist = options.force
            || match output_status(&path, inputs_modified) {
                Some(true) => {
                    counts.current.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Some(false) => true,
                None => false,
            };
        let write = |bytes: &[u8]| export::write_atomically_unflushed(&path, bytes, may_exist);
        // The output's folder is made when the first write into it finds it missing, not checked for every output.
        let result = export::render(&report, *format, &[]).and_then(|bytes| match write(&bytes) {
            Err(ExportError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .map_err(|e| ExportError::Io { path: path.display().to_string(), source: e })
                .and_then(|()| write(&bytes)),
            done => done,
        });
        match result {
            Ok(()) => {
                counts.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => row.message = Some(e.message(options.lang)),
        }
    }
    // The dataset rows of this report, written in one piece. The id is quoted once, as the csv crate quotes it in
    // a record (ids with commas or quotes); keys and numbers never need quoting.
    let id_field = csv_field(&item.id);
    let mut values = Vec::with_capacity(200 * (id_field.len() + 40));
    let mut values_read = 0;
    for (key, value) in report.values_in_key_order() {
        values.extend_from_slice(&id_field);
        values.push(b',');
        values.extend_from_slice(key.as_bytes());
        values.push(b',');
        if let Some(n) = value {
            let _ = write!(values, "{n}");
            values_read += 1;
        }
        values.push(b'\n');
    }
    row.values_read = Some(values_read);
    // Serialised before taking the lock, so that workers wait for each other only to copy bytes.
    let mut lines = Vec::new();
    for d in &diagnostics {
        write_diagnostic(&mut lines, &item.id, &report, d, options.lang);
    }
    if let Ok(mut s) = sinks.lock() {
        let _ = s.values.write_all(&values);
        let _ = s.diagnostics.write_all(&lines);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Forty reports and two broken files on one worker: runs of several reports are read and checked before
    /// their outputs are written, and every one of them still ends as its own row.
    fn forty_reports_and_two_broken(dir: &Path) -> Vec<Found> {
        let clean = std::fs::read("fixtures/xlsx/clean-one-sheet.xlsx").unwrap();
        for i in 0..40 {
            std::fs::write(dir.join(format!("r{i:02}.xlsx")), &clean).unwrap();
        }
        std::fs::write(dir.join("r07-broken.xlsx"), b"not a workbook").unwrap();
        std::fs::write(dir.join("r31-broken.xlsx"), &clean[..clean.len() / 2]).unwrap();
        let out = dir.join("out");
        let options = crate::discover::Options { zips: true, leave_out: Some(&out), ..Default::default() };
        let items = crate::discover::discover(&[dir.to_path_buf()], &options).unwrap().reports;
        assert_eq!(items.len(), 42);
        items
    }

    /// A run writing JSON into `out_dir`, on one worker.
    fn run_on_one_worker(
        items: &[Found],
        out_dir: PathBuf,
        stop: &AtomicBool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Totals {
        let options =
            Options { out_dir, formats: vec![Format::Json], force: false, policy: Policy::default(), lang: Lang::En };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        pool.install(|| run(items, &options, stop, progress)).unwrap()
    }

    #[test]
    fn reports_checked_in_runs_each_end_as_their_own_row() {
        let dir = tempfile::tempdir().unwrap();
        let items = forty_reports_and_two_broken(dir.path());
        let out_dir = dir.path().join("out");
        let seen = Mutex::new(Vec::new());
        let totals = run_on_one_worker(&items, out_dir.clone(), &AtomicBool::new(false), &|p| {
            seen.lock().unwrap().push(p.id.to_string());
        });
        assert_eq!((totals.files, totals.unreadable, totals.written, totals.interrupted), (42, 2, 40, false));
        // One worker: the reports finish in input order, each once.
        let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
        assert_eq!(*seen.lock().unwrap(), ids);
        let summary = std::fs::read_to_string(out_dir.join("summary.csv")).unwrap();
        assert_eq!(summary.lines().count(), 43);
        for line in summary.lines().filter(|l| l.contains("broken")) {
            assert!(line.contains(",unreadable,"), "{line}");
        }
        let values = std::fs::read_to_string(out_dir.join("values.csv")).unwrap();
        let keys = crate::layout::KEYS_2021_SORTED.len();
        assert_eq!(values.lines().count(), 1 + 40 * keys);
    }

    #[test]
    fn a_stop_leaves_the_reports_checked_but_not_written_out_of_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let items = forty_reports_and_two_broken(dir.path());
        let out_dir = dir.path().join("out");
        let stop = AtomicBool::new(false);
        let finished = std::sync::atomic::AtomicUsize::new(0);
        // Ctrl-C after the third report, in the middle of a run of five held reports.
        let totals = run_on_one_worker(&items, out_dir.clone(), &stop, &|_| {
            if finished.fetch_add(1, Ordering::Relaxed) + 1 == 3 {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert!(totals.interrupted);
        assert_eq!((totals.files, totals.written), (3, 3));
        let written = walkdir::WalkDir::new(&out_dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        assert_eq!(written, 3, "no output for a report that was checked but not written");
    }

    #[test]
    fn values_in_key_order_are_the_json_values_sorted() {
        for fixture in ["fixtures/xlsx/missing-row.xlsx", "fixtures/docx/trial-format-2019.docx"] {
            let report = crate::import::read(Path::new(fixture)).unwrap();
            let listed: Vec<(String, serde_json::Value)> = report
                .values_in_key_order()
                .map(|(k, v)| (k.to_string(), v.map_or(serde_json::Value::Null, Into::into)))
                .collect();
            let json: Vec<(String, serde_json::Value)> = report.values().into_iter().collect();
            assert_eq!(listed, json, "{fixture}");
            assert!(listed.iter().any(|(_, v)| v.is_null()) && listed.iter().any(|(_, v)| v.is_number()), "{fixture}");
        }
    }

    #[test]
    fn report_names() {
        use crate::import::is_report_name;
        assert!(is_report_name("a/b/年报.docx"));
        assert!(is_report_name("X.XLSX"));
        assert!(is_report_name("kewei-2024.md"));
        assert!(!is_report_name("a/~$年报.docx"));
        assert!(!is_report_name("readme"));
        assert!(!is_report_name("data.json"));
        assert!(!is_report_name("corpus/README.md"));
    }
}
