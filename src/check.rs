//! Check: the reports a run found, read and linted on all cores, their results handed to the caller in input order
//! as they come — each file under its folder's `gongkai.toml` and the run's baseline, a file that trips a bug
//! failing alone, and the cross-year rules comparing each agency's consecutive years. Memory stays flat however
//! many files there are: results wait in a bounded window, and what the cross-year rules need of each report waits
//! in a temporary file.
//!
//! [`Policy`] (the command line's rules, each folder's `gongkai.toml`, a baseline) is what `fix` and `batch`
//! decide a file's findings by too.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{ConfigError, Configs};
use crate::discover::{Found, Reader};
use crate::import::ImportError;
use crate::lint::{self, Diagnostic, Selection};
use crate::model::{OrgType, Report};
use crate::render::FileResult;
use crate::series::{Pairing, SeriesCells};
use crate::similar::{Peer, PeerAt, Sketch};
use crate::spill::Spill;

/// What decides a file's findings beyond the rules themselves.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    /// The rules the command line chose; each `gongkai.toml` decides what it leaves open.
    pub selection: Selection,
    /// The kind of body the command line says publishes the reports: it wins over `gongkai.toml`.
    pub org_type: Option<OrgType>,
    /// Each folder's `gongkai.toml`, read once.
    pub configs: Arc<Configs>,
    /// Findings accepted by a baseline: left out.
    pub baseline: Option<Arc<Baseline>>,
}

impl Policy {
    /// Read the `gongkai.toml` of every report before any is checked, so that a wrong one stops the run first.
    ///
    /// # Errors
    /// The first [`ConfigError`].
    pub fn load(&self, reports: &[Found]) -> Result<(), ConfigError> {
        reports.iter().try_for_each(|found| self.configs.for_file(&found.path).map(drop))
    }

    /// The `gongkai.toml` that applies to a file, if any.
    pub fn config(&self, path: &Path) -> Option<Arc<crate::config::Config>> {
        self.configs.for_file(path).ok().flatten()
    }

    /// Give a report read from `path` what the command line and its `gongkai.toml` say of its body.
    pub fn give(&self, path: &Path, report: &mut Report) {
        match self.config(path) {
            Some(config) => config.give(&mut report.meta, self.org_type),
            None => self.org_type.into_iter().for_each(|o| report.meta.give_org_type(o)),
        }
    }

    /// The findings `rules` makes of the report read from `path`: the rules its `gongkai.toml` keeps, its severities
    /// and ignores, less what the baseline accepts. Also how many the baseline hid.
    pub fn findings(
        &self,
        path: &Path,
        report: &Report,
        rules: impl FnOnce(&Selection) -> Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, usize) {
        let config = self.config(path);
        let mut found = crate::config::findings(config.as_deref(), path, report, &self.selection, rules);
        let hidden = self.baseline.as_ref().map_or(0, |b| b.hide(path, report, &mut found));
        (found, hidden)
    }
}

/// How to check.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub policy: Policy,
    /// Read a report again when its cross-year findings come at the end of the run (its year before was listed
    /// after it), so that they can be drawn on its source rows; otherwise they name their cells only.
    pub series_sources: bool,
}

/// What the caller is handed, in input order (but see [`check`] for a file that comes late).
pub enum Event<'a, T> {
    /// A report checked (or found unreadable), with what `prepare` made of it on the checking thread.
    File { index: usize, found: &'a Found, result: &'a FileResult, prepared: &'a T },
    /// Findings that compare report `index`, a report checked already, with another report of the run: the
    /// cross-year findings right after it when its year before was listed earlier, at the end of the run otherwise;
    /// the findings across agencies (T613) at the end of the run, one event per other report named.
    Series { index: usize, found: &'a Found, report: &'a Report, findings: &'a [Diagnostic] },
}

/// What a run ends with.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// How many findings the baseline hid.
    pub hidden: usize,
}

/// Why a check run stopped.
#[derive(Debug, thiserror::Error)]
pub enum CheckError<E> {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The temporary file the cross-year cells wait in cannot be written.
    #[error("cannot write a temporary file: {0}")]
    Spill(std::io::Error),
    /// The caller's own error, which stops the run.
    #[error("{0}")]
    Caller(E),
}

/// Check `reports`. `prepare` runs on the checking thread for each file (to render its output while other files
/// are checked); `each` gets every [`Event`] on this thread, in input order, except that a file whose run-together
/// digits the agency's year before, listed after it, may settle comes once every file was read. An error from
/// `each` stops the run.
///
/// # Errors
/// [`CheckError`]: a `gongkai.toml` that cannot be used (before any file is checked), a temporary file that cannot
/// be written, or the error of `each`. A file that cannot be read is not an error: it is a [`FileResult`].
///
/// # Examples
/// ```
/// use gongkai::check::{Event, Options, check};
/// use gongkai::render::FileResult;
/// let found = gongkai::discover::discover(&["fixtures/xlsx".into()], &Default::default()).unwrap();
/// let mut errors = 0;
/// check(&found.reports, &Options::default(), |_| (), |event| {
///     if let Event::File { result: FileResult::Checked { diagnostics, .. }, .. } = event {
///         errors += diagnostics.iter().filter(|d| d.severity == gongkai::lint::Severity::Error).count();
///     }
///     Ok::<(), std::convert::Infallible>(())
/// })
/// .unwrap();
/// assert!(errors > 0);
/// ```
pub fn check<T: Send, E>(
    reports: &[Found],
    options: &Options,
    prepare: impl Fn(&FileResult) -> T + Sync,
    mut each: impl FnMut(Event<'_, T>) -> Result<(), E>,
) -> Result<Outcome, CheckError<E>> {
    let policy = &options.policy;
    policy.load(reports)?;
    let across_agencies = crate::similar::wanted(&policy.selection);
    let hidden = AtomicUsize::new(0);
    let findings = |path: &Path, report: &Report, rules: &dyn Fn(&Selection) -> Vec<Diagnostic>| {
        let (found, n) = policy.findings(path, report, rules);
        hidden.fetch_add(n, Ordering::Relaxed);
        found
    };
    let series_findings = |earlier: &Report, report: &Report, path: &Path| {
        findings(path, report, &|s| crate::series::check_pair(earlier, report, s))
    };
    let read = |found: &Found| -> Result<Report, ImportError> {
        let mut report = READER.with_borrow_mut(|reader| reader.read(found))?;
        crate::contained::failpoint(&report.path);
        policy.give(&found.path, &mut report);
        Ok(report)
    };
    let work = |found: &Found| {
        // One file that trips a bug must not stop the others: the panic becomes that file's error.
        let result = crate::contained::isolate(|| match read(found) {
            Ok(report) => {
                let diagnostics = findings(&found.path, &report, &|s| lint::check_with(&report, s));
                FileResult::Checked { report: Box::new(report), diagnostics }
            }
            Err(err) => FileResult::Unreadable(err),
        })
        .unwrap_or_else(|detail| {
            FileResult::Unreadable(ImportError::Internal { path: found.path.display().to_string(), detail })
        });
        let prepared = prepare(&result);
        let series = series_of(&result);
        // What the comparison across agencies reads, made here on the thread: its phrases are not made again.
        let peer = series
            .as_ref()
            .filter(|_| across_agencies)
            .map(|(cells, _)| Peer::of(cells, &found.path.display().to_string()))
            .and_then(|peer| Some((Sketch::of(&peer)?, peer.to_bytes())));
        (result, prepared, series, peer)
    };

    // Each report's cross-year cells wait in a temporary file: a report is compared with the one of the year before
    // as soon as both were checked, or at the end when the year before comes later in the listing.
    let mut spill = Spill::new().map_err(CheckError::Spill)?;
    let mut series_at = vec![None; reports.len()];
    let mut pairing = Pairing::default();
    let mut sketches: Vec<Option<Sketch>> = vec![None; reports.len()];
    let mut peer_at = vec![None; reports.len()];
    let mut held_back: Vec<(usize, SeriesCells)> = Vec::new();
    crate::pool::in_order(reports, work, |index, (result, prepared, series, peer)| {
        if let Some((sketch, (bytes, head))) = peer {
            sketches[index] = Some(sketch.clone());
            peer_at[index] = Some(PeerAt::new(spill.push(bytes).map_err(CheckError::Spill)?, *head));
        }
        let found = &reports[index];
        // The same agency's report of the year before, when it was listed earlier.
        let earlier = series.as_ref().and_then(|(cells, _)| {
            let p = pairing.add(cells.key(index))?;
            year_before(&mut spill, series_at[p]?, cells, &reports[p])
        });
        // Digits run together that the year before settles: the report read so, and checked again.
        let settled = match (result, &earlier) {
            (FileResult::Checked { report, .. }, Some(earlier)) if crate::series::has_open_cuts(report) => {
                let mut report = report.as_ref().clone();
                // Isolated as the first check was: a panic becomes the file's error, not the run's end.
                crate::contained::isolate(|| {
                    crate::series::settle_by_year_before(earlier, &mut report).then(|| {
                        let diagnostics = findings(&found.path, &report, &|s| lint::check_with(&report, s));
                        FileResult::Checked { report: Box::new(report), diagnostics }
                    })
                })
                .unwrap_or_else(|detail| {
                    Some(FileResult::Unreadable(ImportError::Internal {
                        path: found.path.display().to_string(),
                        detail,
                    }))
                })
                .map(|result| {
                    let series = series_of(&result);
                    let prepared = prepare(&result);
                    (result, prepared, series)
                })
            }
            _ => None,
        };
        let (result, prepared, series) = match &settled {
            Some((result, prepared, series)) => (result, prepared, series),
            None => (result, prepared, series),
        };
        // Digits the year before may settle when it is listed later: the file is checked again at the end.
        if let (FileResult::Checked { report, .. }, Some((cells, record)), None) = (result, series, &earlier)
            && crate::series::has_open_cuts(report)
        {
            held_back.push((index, cells.clone()));
            series_at[index] = Some(spill.push(record).map_err(CheckError::Spill)?);
            return Ok(());
        }
        each(Event::File { index, found, result, prepared }).map_err(CheckError::Caller)?;
        let (FileResult::Checked { report, .. }, Some((_, record))) = (result, series) else {
            return Ok::<(), CheckError<E>>(());
        };
        if let Some(earlier) = &earlier {
            let findings = series_findings(earlier, report, &found.path);
            if !findings.is_empty() {
                each(Event::Series { index, found, report, findings: &findings }).map_err(CheckError::Caller)?;
            }
        }
        series_at[index] = Some(spill.push(record).map_err(CheckError::Spill)?);
        Ok(())
    })?;

    // The files held back, now that every year before is in: read again, settled when their year before settles
    // them, checked, and handed over (their cross-year findings follow with the other pairs found late).
    for (index, cells) in held_back {
        let found = &reports[index];
        let (agency, year, _) = cells.key(index);
        let earlier =
            pairing.year_before(agency, year).and_then(|p| year_before(&mut spill, series_at[p]?, &cells, &reports[p]));
        let result = crate::contained::isolate(|| match read(found) {
            Ok(mut report) => {
                if let Some(earlier) = &earlier {
                    crate::series::settle_by_year_before(earlier, &mut report);
                }
                let diagnostics = findings(&found.path, &report, &|s| lint::check_with(&report, s));
                FileResult::Checked { report: Box::new(report), diagnostics }
            }
            Err(err) => FileResult::Unreadable(err),
        })
        .unwrap_or_else(|detail| {
            FileResult::Unreadable(ImportError::Internal { path: found.path.display().to_string(), detail })
        });
        if let Some((_, record)) = series_of(&result) {
            series_at[index] = Some(spill.push(&record).map_err(CheckError::Spill)?);
        }
        let prepared = prepare(&result);
        each(Event::File { index, found, result: &result, prepared: &prepared }).map_err(CheckError::Caller)?;
    }

    let spilled = spill.finish().map_err(CheckError::Spill)?;
    let read_series =
        |index: usize| -> Option<SeriesCells> { serde_json::from_slice(&spilled.get(series_at[index]?).ok()?).ok() };
    // A report whose year before came later in the listing: compared now on the cells the rules read, which know
    // their places. When findings are to be drawn on their source rows, a pair that finds something is compared
    // again with the later report read once more, on the threads, a bounded batch at a time.
    let later: Vec<(usize, usize, SeriesCells, SeriesCells)> = pairing
        .later_pairs()
        .into_iter()
        .filter_map(|(p, c)| {
            let (previous, current) = (read_series(p)?, read_series(c)?);
            let (earlier, later) = (previous.report(""), current.report(""));
            // The command line's choice of rules includes what any gongkai.toml may choose under it.
            let found = previous.same_agency(&current)
                && !crate::series::check_pair(&earlier, &later, &policy.selection).is_empty();
            found.then_some((p, c, previous, current))
        })
        .collect();
    for pairs in later.chunks(256) {
        let compared: Vec<(usize, Report, Vec<Diagnostic>)> = pairs
            .par_iter()
            .filter_map(|(p, c, previous, current)| {
                let found = &reports[*c];
                let report = if options.series_sources {
                    read(found).ok()?
                } else {
                    current.report(&found.path.display().to_string())
                };
                let earlier = previous.report(&reports[*p].path.display().to_string());
                let findings = series_findings(&earlier, &report, &found.path);
                (!findings.is_empty()).then_some((*c, report, findings))
            })
            .collect();
        for (index, report, findings) in &compared {
            let found = &reports[*index];
            each(Event::Series { index: *index, found, report, findings }).map_err(CheckError::Caller)?;
        }
    }

    // Text shared between agencies: the pairs the sketches point at, compared in full on the cells the rules read,
    // a bounded batch at a time.
    let mut named = crate::similar::Named::new(reports.len());
    let mut held = rustc_hash::FxHashMap::default();
    for pairs in crate::similar::candidates(&sketches).chunks(crate::similar::PAIRS_AT_ONCE) {
        held = crate::similar::hold(pairs, std::mem::take(&mut held), |index| {
            peer_at[index].map(|at| spilled.get(at.head())).transpose()
        })
        .map_err(CheckError::Spill)?;
        let compared = crate::similar::compare(
            pairs,
            &held,
            |index, bytes| spilled.get(crate::similar::text_span(&peer_at, index, bytes)?),
            |index, report, rules| findings(&reports[index].path, report, rules),
        )
        .map_err(CheckError::Spill)?;
        for c in &compared {
            for (index, findings) in [(c.a, &c.found_a), (c.b, &c.found_b)] {
                if findings.is_empty() || !named.take(index) {
                    continue;
                }
                let (found, report) = (&reports[index], &held[&index].report());
                each(Event::Series { index, found, report, findings }).map_err(CheckError::Caller)?;
            }
        }
    }
    Ok(Outcome { hidden: hidden.into_inner() })
}

/// The report of the year before (`found`, its cross-year cells at `at` in the spill) of the report whose cells are
/// `cells`, as those cells; `None` when it is another agency's after all (a hash collision).
fn year_before(spill: &mut Spill, at: crate::spill::Span, cells: &SeriesCells, found: &Found) -> Option<Report> {
    let previous: SeriesCells = serde_json::from_slice(&spill.get(at).ok()?).ok()?;
    previous.same_agency(cells).then(|| previous.report(&found.path.display().to_string()))
}

/// What the cross-year rules read of a checked report, and its record for the temporary file.
fn series_of(result: &FileResult) -> Option<(SeriesCells, Vec<u8>)> {
    let FileResult::Checked { report, .. } = result else { return None };
    SeriesCells::of(report).and_then(|cells| serde_json::to_vec(&cells).ok().map(|record| (cells, record)))
}

thread_local! {
    /// Each checking thread's reader: members of a zip come in order, so its archive is opened once.
    static READER: std::cell::RefCell<Reader> = std::cell::RefCell::new(Reader::default());
}
