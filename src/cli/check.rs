//! `gongkai check`: the findings of every report found, in the format asked for, and the exit code.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use gongkai::check::{Event, Options, Policy};
use gongkai::discover::{self, Discovery};
use gongkai::lang::Lang;
use gongkai::lint::{self, Diagnostic, Selection, Severity};
use gongkai::model::Report;
use gongkai::render::{self, FileResult, Summary, html};

use super::args::{CheckArgs, Level, OutputFormat};
use crate::{Failure, Run, known_rule_codes, output_error, say, say_passed_over};

pub fn run(args: CheckArgs) -> Run {
    let lang: Lang = args.lang.into();
    let discover_options = discover::Options { zips: true, ..Default::default() };
    let Discovery { reports, passed_over } =
        discover::discover(&args.paths, &discover_options).map_err(|e| e.message(lang))?;
    known_rule_codes(&args.select, &args.ignore, lang)?;
    if let Some(code) = crate::nothing_to_read(&passed_over, reports.len(), lang) {
        return Ok(code);
    }
    // A baseline holds the findings a team accepted: replacing it is asked for, not done in passing.
    if let Some(path) = &args.write_baseline
        && path.exists()
        && !args.force
    {
        return Err(crate::exists_use_force(path, lang).into());
    }
    let org_type = args.org_type.map(Into::into);
    let baseline =
        args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose().map_err(|e| e.message(lang))?;
    let policy = Policy {
        selection: Selection { select: args.select.clone(), ignore: args.ignore.clone() },
        org_type,
        configs: Default::default(),
        baseline: baseline.map(std::sync::Arc::new),
    };
    let stdout = std::io::stdout();
    let color = !args.no_color && stdout.is_terminal();
    let output = Output { format: args.output_format, lang, opts: render::Options { lang, color, width: 120 } };
    let options = Options { policy, series_sources: output.draws_source() };
    let fail = match args.fail_level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    let spill_error = |e: std::io::Error| -> Failure {
        let why = gongkai::lang::io_error_in(&e, lang);
        say(lang, format!("无法写入临时文件：{why}"), format!("cannot write a temporary file: {why}")).into()
    };

    // Each file's output is rendered on the checking threads and spilled to a temporary file as it comes, in file
    // order: memory does not grow with the number of files. Findings of the cross-year rules follow their file's.
    let mut spill = gongkai::spill::Spill::new().map_err(spill_error)?;
    // By file: a file may come late (its digits settled by a year before listed after it).
    let mut blocks = vec![None; reports.len()];
    let mut tally = Tally::new(fail);
    let mut later: BTreeMap<usize, Vec<Vec<u8>>> = BTreeMap::new();
    // With --write-baseline: every finding of the run, to be written at the end.
    let mut accepted: Vec<gongkai::baseline::Entry> = Vec::new();
    let mut accept = |path: &std::path::Path, report: &Report, found: &[Diagnostic]| {
        if let Some(baseline) = &args.write_baseline {
            accepted.extend(gongkai::baseline::entries(baseline, path, report, found));
        }
    };
    let prepare = |result: &FileResult| if args.statistics { Vec::new() } else { output.block(result) };
    let outcome = gongkai::check::check(&reports, &options, prepare, |event| {
        match event {
            Event::File { index, found, result, prepared } => {
                tally.file(result);
                if let FileResult::Checked { report, diagnostics } = result {
                    accept(&found.path, report, diagnostics);
                }
                if !args.statistics {
                    blocks[index] = Some(spill.push(prepared).map_err(spill_error)?);
                }
            }
            Event::Series { index, found, report, findings } => {
                findings.iter().for_each(|d| tally.finding(d));
                accept(&found.path, report, findings);
                later.entry(index).or_default().push(output.diagnostics(report, findings));
            }
        }
        Ok::<(), Failure>(())
    })
    .map_err(|e| match e {
        gongkai::check::CheckError::Caller(failure) => failure,
        gongkai::check::CheckError::Spill(e) => spill_error(e),
        gongkai::check::CheckError::Config(e) => Failure::Message(e.message(lang)),
    })?;
    let spilled = spill.finish().map_err(spill_error)?;

    let mut out = std::io::BufWriter::new(stdout.lock());
    let Tally { summary, statistics, mut failed, .. } = tally;
    if outcome.hidden > 0 {
        let hidden = outcome.hidden;
        eprintln!(
            "gongkai: {}",
            say(
                lang,
                format!("基线已接受的 {hidden} 项问题未显示"),
                format!("{hidden} findings accepted by the baseline are not shown")
            )
        );
    }
    if let Some(path) = &args.write_baseline {
        let count = accepted.len();
        gongkai::baseline::write(path, accepted).map_err(|e| e.message(lang))?;
        let shown = path.display();
        eprintln!(
            "gongkai: {}",
            say(
                lang,
                format!("{count} 项问题已写入基线 {shown}"),
                format!("{count} findings written to the baseline {shown}")
            )
        );
        // They are accepted from now on: only files that could not be read still fail the run.
        failed = summary.unreadable > 0;
    }
    if args.statistics {
        match args.output_format {
            OutputFormat::Json => writeln!(out, "{}", statistics.json()),
            _ => writeln!(out, "{}{}", statistics.table(), summary.line(lang)),
        }
    } else {
        output.write(
            &mut out,
            reports.len(),
            |index| blocks[index].map_or(Ok(Vec::new()), |at| spilled.get(at)),
            &later,
            &summary,
        )
    }
    .and_then(|()| out.flush())
    .map_err(output_error)?;
    say_passed_over(&passed_over, reports.len(), lang);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// What a `check` run counts: the summary, the findings per rule, and whether anything reached the fail level.
pub struct Tally {
    summary: Summary,
    statistics: render::Statistics,
    failed: bool,
    fail: Severity,
}

impl Tally {
    fn new(fail: Severity) -> Tally {
        Tally { summary: Summary::default(), statistics: render::Statistics::default(), failed: false, fail }
    }

    fn file(&mut self, result: &FileResult) {
        self.summary.add(result);
        self.statistics.add(result);
        self.failed |= match result {
            FileResult::Unreadable(_) => true,
            FileResult::Checked { diagnostics, .. } => diagnostics.iter().any(|d| d.severity >= self.fail),
        };
    }

    /// A finding of a file counted already (the cross-year rules').
    fn finding(&mut self, d: &lint::Diagnostic) {
        self.summary.add_diagnostic(d);
        self.statistics.add_diagnostic(d);
        self.failed |= d.severity >= self.fail;
    }
}

/// How `check` writes: each file's output is rendered on the threads as a block, blocks are joined at the end.
pub struct Output {
    format: OutputFormat,
    lang: Lang,
    opts: render::Options,
}

impl Output {
    /// True when findings are shown with the rows of the source they point into, which only the report read
    /// whole has.
    fn draws_source(&self) -> bool {
        matches!(self.format, OutputFormat::Full | OutputFormat::Html)
    }

    /// Findings of one report as the format writes them: lines or blocks, a JSON object with a `diagnostics`
    /// array, an array of SARIF results, or an HTML list.
    fn diagnostics(&self, report: &Report, diagnostics: &[lint::Diagnostic]) -> Vec<u8> {
        let lang = self.lang;
        let lines = |line: &dyn Fn(&lint::Diagnostic) -> String| -> Vec<u8> {
            diagnostics.iter().map(|d| format!("{}\n", line(d))).collect::<String>().into()
        };
        match self.format {
            OutputFormat::Json => serde_json::to_vec(&serde_json::json!({
                "diagnostics": diagnostics.iter().map(|d| render::json_diagnostic(report, d, lang)).collect::<Vec<_>>(),
            }))
            .unwrap_or_default(),
            OutputFormat::Sarif => serde_json::to_vec(
                &diagnostics.iter().map(|d| render::sarif_result(report, d, lang)).collect::<Vec<_>>(),
            )
            .unwrap_or_default(),
            OutputFormat::Concise => lines(&|d| render::concise(report, d, lang)),
            OutputFormat::Full => {
                diagnostics.iter().map(|d| render::full(report, d, &self.opts)).collect::<String>().into()
            }
            OutputFormat::Github => lines(&|d| render::github(report, d, lang)),
            OutputFormat::Html => {
                format!("<ul class=\"findings\">\n{}</ul>\n", html::findings(report, diagnostics, lang)).into()
            }
        }
    }

    /// One file's whole output.
    fn block(&self, result: &FileResult) -> Vec<u8> {
        let lang = self.lang;
        match (self.format, result) {
            (OutputFormat::Json, r) => serde_json::to_vec(&render::json_file(r, lang)).unwrap_or_default(),
            (OutputFormat::Html, r) => html::file(r, lang).into(),
            (_, FileResult::Checked { report, diagnostics }) => self.diagnostics(report, diagnostics),
            (OutputFormat::Concise, FileResult::Unreadable(err)) => {
                format!("{}\n", render::concise_error(err, self.lang)).into()
            }
            (OutputFormat::Full, FileResult::Unreadable(err)) => render::full_error(err, &self.opts).into(),
            (OutputFormat::Github, FileResult::Unreadable(err)) => {
                format!("{}\n", render::github_error(err, self.lang)).into()
            }
            (OutputFormat::Sarif, r) => serde_json::to_vec(&render::sarif_results(r, lang)).unwrap_or_default(),
        }
    }

    /// The whole output: each file's block, in order, followed by its findings from the cross-year rules (`later`),
    /// inside the format's document.
    fn write(
        &self,
        out: &mut impl Write,
        files: usize,
        mut block: impl FnMut(usize) -> std::io::Result<Vec<u8>>,
        later: &std::collections::BTreeMap<usize, Vec<Vec<u8>>>,
        summary: &Summary,
    ) -> std::io::Result<()> {
        let extras = |index: usize| later.get(&index).into_iter().flatten();
        match self.format {
            OutputFormat::Json => {
                let entries = (0..files).map(|i| {
                    let mut entry: serde_json::Value =
                        serde_json::from_slice(&block(i)?).map_err(std::io::Error::other)?;
                    for extra in extras(i) {
                        let extra: serde_json::Value = serde_json::from_slice(extra).map_err(std::io::Error::other)?;
                        if let (Some(list), Some(more)) =
                            (entry["diagnostics"].as_array_mut(), extra["diagnostics"].as_array())
                        {
                            list.extend(more.iter().cloned());
                        }
                    }
                    Ok(entry)
                });
                render::write_json_document(out, entries, summary)
            }
            OutputFormat::Sarif => {
                let results = (0..files).map(|i| {
                    let mut results: Vec<serde_json::Value> =
                        serde_json::from_slice(&block(i)?).map_err(std::io::Error::other)?;
                    for extra in extras(i) {
                        let more: Vec<serde_json::Value> =
                            serde_json::from_slice(extra).map_err(std::io::Error::other)?;
                        results.extend(more);
                    }
                    Ok(results)
                });
                render::write_sarif(out, results, self.lang)
            }
            OutputFormat::Html | OutputFormat::Concise | OutputFormat::Full | OutputFormat::Github => {
                let html = matches!(self.format, OutputFormat::Html);
                if html {
                    out.write_all(html::header(self.lang).as_bytes())?;
                }
                for i in 0..files {
                    out.write_all(&block(i)?)?;
                    for extra in extras(i) {
                        out.write_all(extra)?;
                    }
                    if html {
                        out.write_all(html::FILE_END.as_bytes())?;
                    }
                }
                if html {
                    out.write_all(html::footer(summary, self.lang).as_bytes())
                } else {
                    writeln!(out, "{}", summary.line(self.lang))
                }
            }
        }
    }
}
