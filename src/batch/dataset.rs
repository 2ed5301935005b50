//! The dataset a batch run writes at the top of its output folder: `values.csv` and `diagnostics.jsonl` streamed
//! as reports finish, `summary.csv` (one row per report, the cross-year findings counted in) and `keys.csv` (the
//! data dictionary) at the end. Rows wait in a temporary file, so memory does not grow with the archive; every
//! file is written through a temporary file and a rename.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{BatchError, Options, Status};
use crate::discover::Found;
use crate::export::Format;
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
use crate::model::Report;
use crate::series::{Pairing, SeriesCells};
use crate::similar::Sketch;
use crate::spill::{Span, Spill, SpillReader};

/// The summary of one report, for `summary.csv` and the cross-year rules. Rows are spilled to a temporary file as
/// reports finish, so that memory does not grow with the archive.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub id: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub format: String,
    pub published: Option<String>,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    pub codes: BTreeMap<String, usize>,
    pub message: Option<String>,
    /// How many of the 200 canonical values were read (a number, not blank or unreadable): a partly read report
    /// (tables cut off in a web dump) is told from a whole one without opening values.csv.
    pub values_read: Option<usize>,
    /// What the cross-year rules need of a read report: a few hundred bytes, so that memory stays flat.
    pub series: Option<SeriesCells>,
}

/// The counts a run ends with.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Totals {
    pub files: usize,
    pub ok: usize,
    pub with_errors: usize,
    pub unreadable: usize,
    pub failed: usize,
    /// Reports in the layout used before 2019.
    pub legacy: usize,
    pub written: usize,
    pub up_to_date: usize,
    pub top_codes: Vec<(String, usize)>,
    pub interrupted: bool,
}

impl Totals {
    /// What a run prints at its end: the counts, the most frequent rules, where the dataset is.
    pub fn report(&self, secs: f64, dataset: &Path, lang: Lang) -> String {
        let rate = self.files as f64 / secs.max(1e-9);
        let (counts, top, separator, dataset_label) = match lang {
            Lang::Zh => (
                format!(
                    "{} 个文件，用时 {secs:.1} 秒（每秒 {rate:.0} 个）：{} 个无错误，{} 个有错误，{} 个无法读取，{} 个处理失败；写入 {} 个文件，{} 个已是最新",
                    self.files, self.ok, self.with_errors, self.unreadable, self.failed, self.written, self.up_to_date
                ),
                "最常见的规则：",
                "，",
                "数据集：",
            ),
            Lang::En => (
                format!(
                    "{} in {secs:.1} s ({rate:.0}/s): {} ok, {} with errors, {} unreadable, {} failed; {} written, {} up to date",
                    crate::render::counted(self.files, "file", "files"),
                    self.ok,
                    self.with_errors,
                    self.unreadable,
                    self.failed,
                    crate::render::counted(self.written, "file", "files"),
                    self.up_to_date
                ),
                "top rules: ",
                ", ",
                "dataset: ",
            ),
        };
        let mut out = counts;
        if self.legacy > 0 {
            let _ = match lang {
                Lang::Zh => write!(out, "；{} 个为 2019 年以前的旧格式", self.legacy),
                Lang::En => write!(out, "; {} in the layout used before 2019", self.legacy),
            };
        }
        out.push('\n');
        if !self.top_codes.is_empty() {
            let codes: Vec<String> = self.top_codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let _ = writeln!(out, "{top}{}", codes.join(separator));
        }
        let _ = writeln!(out, "{dataset_label}{}", dataset.display());
        out
    }
}

/// The streaming parts of the dataset, shared by the workers.
pub(super) struct Sinks {
    pub values: BufWriter<tempfile::NamedTempFile>,
    pub diagnostics: BufWriter<tempfile::NamedTempFile>,
    /// Finished rows, as JSON, in the order they finished.
    pub rows: Spill,
    /// Per item: where its row is in `rows` (`None` when the run stopped before it).
    pub row_at: Vec<Option<Span>>,
    /// The agency and year of each read report that has both, for the cross-year rules.
    pub series: Pairing,
    /// Each read report's sketch of its text, for the rules across agencies.
    pub sketches: Vec<Option<Sketch>>,
    /// What the rules across agencies read of each report with a sketch ([`crate::similar::Peer`]).
    pub peers: Spill,
    pub peer_at: Vec<Option<crate::similar::PeerAt>>,
}

fn read_row(rows: &SpillReader, span: Span) -> std::io::Result<Row> {
    serde_json::from_slice(&rows.get(span)?).map_err(std::io::Error::other)
}

impl Sinks {
    /// The dataset's files, open in `out` (made if missing), `values.csv` with its header.
    pub(super) fn create(out: &Path, items: usize) -> Result<Sinks, BatchError> {
        std::fs::create_dir_all(out).map_err(|e| BatchError::Io(out.display().to_string(), e))?;
        let mut values = temporary(out, "values.csv")?;
        values.write_all("\u{FEFF}report_id,key,value\n".as_bytes()).map_err(io(out, "values.csv"))?;
        Ok(Sinks {
            values,
            diagnostics: temporary(out, "diagnostics.jsonl")?,
            rows: Spill::new_in(out).map_err(io(out, "summary.csv"))?,
            row_at: vec![None; items],
            series: Pairing::default(),
            sketches: vec![None; items],
            peers: Spill::new_in(out).map_err(io(out, "similar_reports.csv"))?,
            peer_at: vec![None; items],
        })
    }

    /// The report of the year before of the report whose cross-year cells are `cells`, as those cells, when the run
    /// has finished it.
    pub(super) fn year_before(&mut self, cells: &SeriesCells) -> Option<Report> {
        let (agency, year, _) = cells.key(0);
        let p = self.series.year_before(agency, year)?;
        let row: Row = serde_json::from_slice(&self.rows.get(self.row_at[p]?).ok()?).ok()?;
        let previous = row.series?;
        previous.same_agency(cells).then(|| previous.report(&row.id))
    }

    /// The run's end: the cross-year findings over each agency's series, then the dataset's files put in place.
    pub(super) fn finish(self, items: &[Found], options: &Options) -> Result<Totals, BatchError> {
        let out = &options.out_dir;
        let io = |name: &str| io(out, name);
        let temp = |name: &str| temporary(out, name);
        let Sinks { values, mut diagnostics, rows: spill, row_at, series, sketches, peers, peer_at } = self;
        let interrupted = row_at.iter().any(Option::is_none);
        let rows = spill.finish().map_err(io("summary.csv"))?;

        // Cross-year rules over each agency's series: only the pairs of consecutive years are read back, as the
        // compact cells the rules read, which know their places.
        let mut cross: BTreeMap<usize, Vec<(Severity, &'static str)>> = BTreeMap::new();
        for (p, c) in series.pairs() {
            let (Some(at_prev), Some(at_cur)) = (row_at[p], row_at[c]) else { continue };
            let prev_row = read_row(&rows, at_prev).map_err(io("summary.csv"))?;
            let cur_row = read_row(&rows, at_cur).map_err(io("summary.csv"))?;
            let (Some(prev), Some(cur)) = (&prev_row.series, &cur_row.series) else { continue };
            if !prev.same_agency(cur) {
                continue;
            }
            let (prev_report, cur_report) = (prev.report(&prev_row.id), cur.report(&cur_row.id));
            let (found, _) = options.policy.findings(&items[c].path, &cur_report, |selection| {
                crate::series::check_pair(&prev_report, &cur_report, selection)
            });
            let mut lines = Vec::new();
            for d in &found {
                write_diagnostic(&mut lines, &items[c].id, &cur_report, d, options.lang);
            }
            diagnostics.write_all(&lines).map_err(io("diagnostics.jsonl"))?;
            cross.entry(c).or_default().extend(found.iter().map(|d| (d.severity, d.code)));
        }

        // Text shared between agencies: the pairs the sketches point at, compared in full, each listed in
        // similar_reports.csv and named in both reports' findings (each report naming a few others at most).
        let mut similar = temp("similar_reports.csv")?;
        similar.write_all(b"\xEF\xBB\xBF").map_err(io("similar_reports.csv"))?;
        let mut similar = csv::Writer::from_writer(similar);
        let csv_error = |e: csv::Error| io("similar_reports.csv")(e.into());
        similar.write_record(SIMILAR_HEADER).map_err(csv_error)?;
        let mut named = crate::similar::Named::new(items.len());
        let peers = peers.finish().map_err(io("similar_reports.csv"))?;
        let mut held = rustc_hash::FxHashMap::default();
        for pairs in crate::similar::candidates(&sketches).chunks(crate::similar::PAIRS_AT_ONCE) {
            // Each report of the batch read back once, as what the comparison reads of it.
            held = crate::similar::hold(pairs, std::mem::take(&mut held), |index| {
                peer_at[index].map(|at| peers.get(at.head())).transpose()
            })
            .map_err(io("similar_reports.csv"))?;
            let compared = crate::similar::compare(
                pairs,
                &held,
                |index, bytes| peers.get(crate::similar::text_span(&peer_at, index, bytes)?),
                |index, report, rules| options.policy.findings(&items[index].path, report, rules).0,
            )
            .map_err(io("similar_reports.csv"))?;
            for c in &compared {
                let (peer_a, peer_b) = (&held[&c.a], &held[&c.b]);
                let percent = |share: f64| format!("{:.0}", share * 100.0);
                for s in &c.shared {
                    similar
                        .write_record([
                            peer_a.id(),
                            peer_a.agency(),
                            &peer_a.year().to_string(),
                            peer_b.id(),
                            peer_b.agency(),
                            &peer_b.year().to_string(),
                            &s.section,
                            &percent(s.share_a),
                            &percent(s.share_b),
                            &s.passage,
                        ])
                        .map_err(csv_error)?;
                }
                for (index, found) in [(c.a, &c.found_a), (c.b, &c.found_b)] {
                    if found.is_empty() || !named.take(index) {
                        continue;
                    }
                    let report = held[&index].report();
                    let mut lines = Vec::new();
                    for d in found {
                        write_diagnostic(&mut lines, &items[index].id, &report, d, options.lang);
                    }
                    diagnostics.write_all(&lines).map_err(io("diagnostics.jsonl"))?;
                    cross.entry(index).or_default().extend(found.iter().map(|d| (d.severity, d.code)));
                }
            }
        }
        let similar = similar.into_inner().map_err(|e| io("similar_reports.csv")(e.into_error()))?;
        persist(similar, &out.join("similar_reports.csv"))?;

        persist(values, &out.join("values.csv"))?;
        persist(diagnostics, &out.join("diagnostics.jsonl"))?;
        let mut keys = temp("keys.csv")?;
        keys.write_all(&keys_csv()).map_err(io("keys.csv"))?;
        persist(keys, &out.join("keys.csv"))?;

        // summary.csv sorted by report id, with the cross-year findings counted in.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| items[a].id.cmp(&items[b].id));
        let mut totals = Totals { interrupted, ..Totals::default() };
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        let mut summary_file = temp("summary.csv")?;
        summary_file.write_all(b"\xEF\xBB\xBF").map_err(io("summary.csv"))?;
        let mut summary = csv::Writer::from_writer(summary_file);
        summary.write_record(SUMMARY_HEADER).map_err(|e| io("summary.csv")(e.into()))?;
        for index in order {
            let Some(at) = row_at[index] else { continue };
            let mut row = read_row(&rows, at).map_err(io("summary.csv"))?;
            for &(severity, code) in cross.get(&index).into_iter().flatten() {
                count(&mut row, severity, code);
            }
            totals.files += 1;
            match row.status {
                Status::Ok => totals.ok += 1,
                Status::Errors => totals.with_errors += 1,
                Status::Unreadable => totals.unreadable += 1,
                Status::Failed => totals.failed += 1,
                Status::Legacy => totals.legacy += 1,
            }
            for (c, n) in &row.codes {
                *codes.entry(c.clone()).or_default() += n;
            }
            summary.write_record(summary_record(&row)).map_err(|e| io("summary.csv")(e.into()))?;
        }
        let summary_file = summary.into_inner().map_err(|e| io("summary.csv")(e.into_error()))?;
        persist(summary_file, &out.join("summary.csv"))?;

        let mut top: Vec<(String, usize)> = codes.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(8);
        totals.top_codes = top;
        Ok(totals)
    }
}

/// A temporary file in `out` that becomes the dataset file `name`.
fn temporary(out: &Path, name: &str) -> Result<BufWriter<tempfile::NamedTempFile>, BatchError> {
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // A temporary file is private (0600); the dataset files it becomes are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(out).map(BufWriter::new).map_err(io(out, name))
}

/// The error of writing the dataset file `name` in `out`.
fn io(out: &Path, name: &str) -> impl Fn(std::io::Error) -> BatchError + use<> {
    let path = out.join(name).display().to_string();
    move |e| BatchError::Io(path.clone(), e)
}

/// A worker panicked while it held the dataset's lock.
pub(super) fn poisoned(name: &str) -> BatchError {
    BatchError::Io(name.into(), std::io::Error::other("a worker failed while writing"))
}

/// Where an item's output in a format goes: the input tree mirrored under the output folder.
pub fn output_path(out_dir: &Path, id: &str, format: Format) -> PathBuf {
    let ext = match format {
        Format::Xlsx => "xlsx",
        Format::Docx => "docx",
        Format::Json => "json",
        Format::Csv => "csv",
    };
    let mut path = out_dir.to_path_buf();
    for part in id.split(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..") {
        path.push(part);
    }
    let name =
        path.file_name().map(|n| format!("{}.{ext}", n.to_string_lossy())).unwrap_or_else(|| format!("report.{ext}"));
    path.set_file_name(name);
    path
}

/// `None` when there is no output yet; else whether it is up to date: not empty (outputs are not flushed one by one,
/// so a power cut can leave one empty) and newer than its input.
pub(super) fn output_status(path: &Path, input_modified: Option<std::time::SystemTime>) -> Option<bool> {
    let meta = std::fs::metadata(path).ok()?;
    Some(match (meta.modified(), input_modified) {
        (Ok(out), Some(input)) => meta.len() > 0 && out >= input,
        _ => false,
    })
}

/// The data dictionary of `values.csv`: each canonical key with its table, the row and column labels of the
/// format, what kind of number it holds, and whether it is a total of other cells. The same for every run.
pub fn keys_csv() -> Vec<u8> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = out.write_record(["key", "table", "label", "kind", "is_total"]);
    let mut specs: Vec<&crate::layout::KeySpec> = crate::layout::KEYS_2021.iter().collect();
    // In the order of values.csv.
    specs.sort_by(|a, b| a.key.cmp(&b.key));
    for spec in specs {
        let kind = match spec.kind {
            crate::layout::ValueKind::Count => "count",
            crate::layout::ValueKind::SignedCount => "signed_count",
            crate::layout::ValueKind::Amount => "amount_10k_yuan",
        };
        let total = if spec.is_total { "true" } else { "false" };
        let _ = out.write_record([spec.key.as_str(), spec.table.zh(), spec.label.as_str(), kind, total]);
    }
    out.into_inner().unwrap_or_default()
}

fn persist(writer: BufWriter<tempfile::NamedTempFile>, path: &Path) -> Result<(), BatchError> {
    let fail = |e: std::io::Error| BatchError::Io(path.display().to_string(), e);
    let file = writer.into_inner().map_err(|e| fail(e.into_error()))?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

pub(super) fn count(row: &mut Row, severity: Severity, code: &'static str) {
    match severity {
        Severity::Error => row.errors += 1,
        Severity::Warning => row.warnings += 1,
        Severity::Info => {}
    }
    *row.codes.entry(code.to_string()).or_default() += 1;
    if row.status == Status::Ok && row.errors > 0 {
        row.status = Status::Errors;
    }
}

pub(super) fn blank_row(item: &Found, status: Status, message: String) -> Row {
    Row {
        id: item.id.clone(),
        agency: None,
        year: None,
        format: String::new(),
        published: None,
        status,
        errors: 0,
        warnings: 0,
        codes: BTreeMap::new(),
        message: Some(message),
        values_read: None,
        series: None,
    }
}

/// A field as the csv crate writes it inside a record.
pub(super) fn csv_field(field: &str) -> Vec<u8> {
    let mut record = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let _ = record.write_record([field, ""]);
    let mut bytes = record.into_inner().unwrap_or_default();
    // The empty second field and the record's end.
    bytes.truncate(bytes.len().saturating_sub(2));
    bytes
}

pub(super) fn write_diagnostic(out: &mut impl Write, id: &str, report: &Report, d: &Diagnostic, lang: Lang) {
    let mut line = crate::render::JsonDiagnostic::of(report, d, lang);
    line.report_id = Some(id);
    if serde_json::to_writer(&mut *out, &line).is_ok() {
        let _ = out.write_all(b"\n");
    }
}

/// The columns of similar_reports.csv: the two reports, the section they share, each one's share of its text found
/// in the other (percent), and the longest passage they share.
const SIMILAR_HEADER: [&str; 10] =
    ["report_a", "agency_a", "year_a", "report_b", "agency_b", "year_b", "section", "share_a", "share_b", "passage"];

const SUMMARY_HEADER: [&str; 11] = [
    "path",
    "agency",
    "year",
    "format",
    "published",
    "status",
    "errors",
    "warnings",
    "top_codes",
    "message",
    "values_read",
];

/// One line of `summary.csv`: the three most frequent codes as `CODE:n`.
fn summary_record(r: &Row) -> [String; 11] {
    let mut codes: Vec<(&String, &usize)> = r.codes.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top = codes.iter().take(3).map(|(c, n)| format!("{c}:{n}")).collect::<Vec<_>>().join(" ");
    [
        r.id.clone(),
        r.agency.clone().unwrap_or_default(),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        r.format.clone(),
        r.published.clone().unwrap_or_default(),
        r.status.as_str().to_string(),
        r.errors.to_string(),
        r.warnings.to_string(),
        top,
        r.message.clone().unwrap_or_default(),
        r.values_read.map(|n| n.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_output_is_never_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.xlsx");
        let before = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::write(&out, b"").unwrap();
        assert_eq!(output_status(&out, Some(before)), Some(false), "empty");
        std::fs::write(&out, b"PK").unwrap();
        assert_eq!(output_status(&out, Some(before)), Some(true));
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        assert_eq!(output_status(&out, Some(later)), Some(false), "older");
        assert_eq!(output_status(&dir.path().join("missing.xlsx"), Some(before)), None);
    }

    #[test]
    fn outputs_mirror_the_input_tree_and_stay_inside() {
        let p = output_path(Path::new("/out"), "2023/市外办/report.docx", Format::Xlsx);
        assert_eq!(p, PathBuf::from("/out/2023/市外办/report.docx.xlsx"));
        let p = output_path(Path::new("/out"), "../../etc/passwd", Format::Json);
        assert_eq!(p, PathBuf::from("/out/etc/passwd.json"));
    }

    #[test]
    fn ids_are_quoted_in_values_csv_as_the_csv_crate_quotes_them() {
        assert_eq!(csv_field("2023/市外办/report.docx"), b"2023/\xe5\xb8\x82\xe5\xa4\x96\xe5\x8a\x9e/report.docx");
        assert_eq!(csv_field("a,b/x.xlsx"), b"\"a,b/x.xlsx\"");
        assert_eq!(csv_field("x\"y.xlsx"), b"\"x\"\"y.xlsx\"");
        assert_eq!(csv_field("two\nlines.txt"), b"\"two\nlines.txt\"");
    }
}
