//! The `gongkai` command: argument parsing, file walking, output and exit codes. All the work is in the library.

// jemalloc: glibc's allocator made the checking threads spend a fifth of their time allocating and freeing (many
// small strings a report) at the same peak memory; mimalloc was as fast but held twice the memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gongkai::export;
use gongkai::import::PassedOver;
use gongkai::lint::{self, Lang, Selection, Severity};
use gongkai::render::{self, FileResult, Summary};
use rayon::prelude::*;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Check and convert 政府信息公开工作年度报告 (government information-disclosure annual reports)"
)]
struct Cli {
    /// Worker threads for check and batch (default: all cores).
    #[arg(short = 'j', long, global = true)]
    jobs: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports (xlsx, xls, docx, html, txt; folders and zips of them) against the national format.
    Check(CheckArgs),
    /// List every rule.
    Rules {
        /// Message language.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// Explain one rule: what it checks, why, an example, and its fix.
    Rule {
        /// A rule code (C303) or name (t3-row-total).
        code: String,
        /// Message language (of the error when there is no such rule; the explanation is in both).
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// Convert a report to the standard layout: .xlsx, .docx, .json (the model) or .csv (key, label, value).
    Convert {
        /// The report to read.
        input: PathBuf,
        /// Where to write; the extension names the format. `-` writes the JSON model to standard output.
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite an existing output file.
        #[arg(long)]
        force: bool,
        /// Message language.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// Apply the fixes the rules carry and write corrected copies (NAME.fixed.EXT); the input is never changed.
    Fix(FixArgs),
    /// Check and normalise an archive: folders or .zip files of reports in, converted files and a dataset
    /// (summary.csv, values.csv, keys.csv, diagnostics.jsonl) out.
    Batch(BatchArgs),
    /// Write a blank standard report: .xlsx with total formulas, validation and a 勾稽关系 check, or .docx.
    Template {
        /// The file to write (.xlsx or .docx).
        #[arg(short, long)]
        output: PathBuf,
        /// The report year, for the title.
        #[arg(long)]
        year: Option<i32>,
        /// Overwrite an existing output file.
        #[arg(long)]
        force: bool,
        /// Message language.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
}

#[derive(Args)]
struct FixArgs {
    /// Files or folders to fix.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write the corrected files into this folder instead of next to their inputs.
    #[arg(short, long)]
    output_dir: Option<PathBuf>,
    /// Also apply fixes that change a reported number (recomputed totals).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print each change as `表三!I12: 4 → 3` and write nothing.
    #[arg(long)]
    diff: bool,
    /// Output format (default: the input's; .xls inputs are written as .xlsx).
    #[arg(long, value_enum)]
    to: Option<ToFormat>,
    /// Overwrite existing outputs.
    #[arg(long)]
    force: bool,
    /// Message language.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Leave alone the findings this baseline accepts (see `check --write-baseline`): their fixes are not applied
    /// and they do not count as remaining errors.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Args)]
struct BatchArgs {
    /// Folders or .zip archives (members are read without unpacking) of reports.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The output folder: converted reports mirror the input tree; the dataset goes at its top.
    #[arg(short, long)]
    output_dir: PathBuf,
    /// Formats to write each report in, comma-separated (xlsx, docx, json, csv); `none` writes only the dataset.
    #[arg(long, value_delimiter = ',', default_value = "json")]
    to: Vec<String>,
    /// Redo reports whose outputs are up to date.
    #[arg(long)]
    force: bool,
    /// Run only these rules (codes, code prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules, comma-separated.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Leave out the findings this baseline accepts (see `check --write-baseline`): from the dataset, the counts
    /// and the exit code.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Message language: of the run's summary, and of the messages in diagnostics.jsonl and summary.csv.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum ToFormat {
    Xlsx,
    Docx,
}

#[derive(Args)]
struct CheckArgs {
    /// Files, folders or zip archives to check. Folders are searched for .xlsx, .xls, .docx, .html, .txt and .md
    /// files and zips of them; a zip is read member by member.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    output_format: OutputFormat,
    /// Message language.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// Run only these rules (codes, code prefixes such as C3, or names), comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (codes, code prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Exit with 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    fail_level: Level,
    /// The kind of body that publishes the reports, for the publication deadline (otherwise inferred from the
    /// agency's name).
    #[arg(long, value_enum)]
    org_type: Option<OrgTypeArg>,
    /// Print how many findings each rule made, most first, instead of the findings (JSON with
    /// --output-format json).
    #[arg(long)]
    statistics: bool,
    /// Never colour the output.
    #[arg(long, env = "NO_COLOR", value_parser = clap::builder::FalseyValueParser::new())]
    no_color: bool,
    /// Hide the findings this baseline file accepts (see --write-baseline): a CI job then fails on new ones only.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Write every finding of this run to a baseline file, to be accepted by later runs with --baseline; the run
    /// then exits 0 unless a file could not be read.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Each finding with its table row drawn and the cell underlined.
    Full,
    /// One line per finding.
    Concise,
    /// One JSON document (see README).
    Json,
    /// GitHub Actions workflow commands: findings become annotations of the CI run.
    Github,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page: each file's findings and its tables drawn, the bad cells coloured.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrgTypeArg {
    /// 县级以上人民政府部门: publish by 1月31日.
    Department,
    /// 县级以上地方人民政府: publish by 3月31日.
    Government,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Error,
    Warning,
    Info,
}

fn main() -> ExitCode {
    // A panic of third-party code on input it cannot handle is caught and reported (gongkai::contained); stay quiet
    // about it.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !gongkai::contained::panic_is_expected() {
            default_hook(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    if let Some(n) = cli.jobs {
        // The global pool can be built once; a failure leaves rayon's default, which is still correct.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { lang } => rules(lang.into()),
        Command::Rule { code, lang } => explain(&code, lang.into()),
        Command::Convert { input, output, force, lang } => convert(&input, &output, force, lang.into()),
        Command::Fix(args) => fix(args),
        Command::Batch(args) => batch(args),
        Command::Template { output, year, force, lang } => template(&output, year, force, lang.into()),
    };
    match result {
        Ok(code) => code,
        // The run was cut short, but the reader knows: nothing to say.
        Err(message) if message == OUTPUT_CLOSED => ExitCode::from(2),
        Err(message) => {
            eprintln!("gongkai: {message}");
            ExitCode::from(2)
        }
    }
}

/// A command line clap cannot parse, or `--help`/`--version`. clap explains in English; a Chinese run (the
/// default) says first, in Chinese, what is wrong and where to look. Exit code 2, as every usage error.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args().collect();
    let english = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en") || args.iter().any(|a| a == "--lang=en");
    if !english {
        let what = match e.kind() {
            ErrorKind::UnknownArgument => "不认识的参数",
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => "参数的值无效",
            ErrorKind::MissingRequiredArgument => "缺少必需的参数",
            ErrorKind::InvalidSubcommand => "没有这个命令",
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                "请给出一个命令：check、fix、convert、batch、template、rules 或 rule"
            }
            ErrorKind::ArgumentConflict => "这些参数不能同时使用",
            ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues | ErrorKind::TooFewValues => "参数的个数不对",
            _ => "命令行有误",
        };
        eprintln!("gongkai: {what}（说明见下，英文）；gongkai --help 列出所有命令和参数");
    }
    let _ = e.print();
    ExitCode::from(2)
}

/// The reader of the output went away (`gongkai check | head`): the run ends there without a message, as other
/// command-line tools do.
const OUTPUT_CLOSED: &str = "the output was closed";

fn output_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        OUTPUT_CLOSED.to_string()
    } else {
        format!("cannot write output: {e}")
    }
}

/// Expand folders into the report files below them, sorted; plain files are kept as given. Also returns the files
/// in published forms (PDF, OFD) passed over in folders, for the run to say so at its end.
fn collect_files(paths: &[PathBuf], with_zips: bool, lang: Lang) -> Result<(Vec<PathBuf>, PassedOver), String> {
    let mut files = Vec::new();
    let mut passed_over = PassedOver::default();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = Vec::new();
            for file in gongkai::import::files_below(path, |_| false, &mut passed_over) {
                if is_report_file(&file.path) || (with_zips && gongkai::import::is_zip_path(&file.path)) {
                    found.push(file.path);
                } else {
                    passed_over.note(&file.path);
                }
            }
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            let path = path.display();
            return Err(say(
                lang,
                format!("{path}：找不到这个文件或文件夹"),
                format!("{path}: no such file or folder"),
            ));
        }
    }
    Ok((files, passed_over))
}

/// At the end of a run over folders: the files in published forms it passed over, and a word when it found no
/// report at all (a folder of PDFs, or the wrong folder), on stderr so that JSON and SARIF outputs stay clean.
fn say_passed_over(passed_over: &PassedOver, reports: usize, lang: Lang) {
    for line in passed_over.lines(lang) {
        eprintln!("gongkai: {line}");
    }
    if reports == 0 && passed_over.total() == 0 {
        let readable = gongkai::import::readable_formats();
        eprintln!(
            "gongkai: {}",
            say(
                lang,
                format!("没有找到年报文件：{}，以及装有它们的 .zip", readable.zh),
                format!("no report files found: {}, and zips of them", readable.en)
            )
        );
    }
}

/// Where each zip member in a list of files is read from: its archive and its index there.
type Members = rustc_hash::FxHashMap<PathBuf, (PathBuf, usize)>;

/// The zip archives of reports among the files, opened up: each member becomes the path
/// `ARCHIVE.zip/MEMBER` in the list. A zip that is one document or cannot be opened stays a file (reading it says
/// what it is, or what is wrong); so does a zip without reports that was named on the command line, while one found
/// in a folder is passed over and counted.
fn open_archives(paths: &[PathBuf], files: Vec<PathBuf>, passed_over: &mut PassedOver) -> (Vec<PathBuf>, Members) {
    use gongkai::import::{FoundZip, ZipOfReports};
    let mut members = Members::default();
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        if !gongkai::import::is_zip_path(&file) {
            out.push(file);
            continue;
        }
        match ZipOfReports::probe(&file) {
            FoundZip::Reports(archive) => {
                archive.note_passed_over(passed_over);
                for (index, name) in archive.members() {
                    let path = file.join(&name);
                    members.insert(path.clone(), (file.clone(), index));
                    out.push(path);
                }
            }
            FoundZip::NoReports(names) if !paths.contains(&file) => passed_over.note_zip_without_reports(&file, &names),
            FoundZip::NoReports(_) | FoundZip::File => out.push(file),
        }
    }
    (out, members)
}

thread_local! {
    /// The archive a checking thread read its last member from: members come in order, so it is opened once.
    static OPEN_ARCHIVE: std::cell::RefCell<Option<gongkai::import::ZipOfReports>> = const { std::cell::RefCell::new(None) };
}

/// Read member `index` of `archive` through the thread's open archive.
fn read_member(archive: &Path, index: usize) -> Result<gongkai::model::Report, gongkai::import::ImportError> {
    OPEN_ARCHIVE.with_borrow_mut(|open| {
        if open.as_ref().is_none_or(|a| a.path() != archive) {
            *open = gongkai::import::ZipOfReports::open(archive);
        }
        match open.as_mut() {
            Some(zip) => zip.read(index),
            // The archive changed since it was listed: read it as a file, which says what is wrong with it now.
            None => gongkai::import::read(archive),
        }
    })
}

/// A message in the language of the run.
fn say(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// `path: exists; pass --force to overwrite it`, in the language of the run.
fn exists_use_force(path: &Path, lang: Lang) -> String {
    export::ExportError::Exists { path: path.display().to_string() }.message(lang)
}

/// Refuse `--select`/`--ignore` codes that name no rule.
fn known_rule_codes(select: &[String], ignore: &[String], lang: Lang) -> Result<(), String> {
    match select
        .iter()
        .chain(ignore)
        .find(|code| !lint::rules::ALL.iter().any(|r| r.code.starts_with(code.as_str()) || r.name == code.as_str()))
    {
        Some(code) => Err(say(
            lang,
            format!("--select/--ignore 中的 `{code}` 不是规则代码或名称（见 gongkai rules）"),
            format!("unknown rule `{code}` in --select/--ignore (see `gongkai rules`)"),
        )),
        None => Ok(()),
    }
}

fn is_report_file(path: &Path) -> bool {
    gongkai::import::is_report_name(&path.to_string_lossy())
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let lang: Lang = args.lang.into();
    let (files, mut passed_over) = collect_files(&args.paths, true, lang)?;
    let (files, members) = open_archives(&args.paths, files, &mut passed_over);
    let selection = Selection { select: args.select.clone(), ignore: args.ignore.clone() };
    known_rule_codes(&args.select, &args.ignore, lang)?;
    let org_type = args.org_type.map(|o| match o {
        OrgTypeArg::Department => gongkai::model::OrgType::Department,
        OrgTypeArg::Government => gongkai::model::OrgType::Government,
    });
    // Each file's gongkai.toml, read (and refused when it is wrong) before any file is checked.
    let configs = gongkai::config::Configs::default();
    for file in &files {
        configs.for_file(file).map_err(|e| e.to_string())?;
    }
    let config_of = |path: &Path| configs.for_file(path).ok().flatten();
    let baseline = args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose()?;
    let hidden = std::sync::atomic::AtomicUsize::new(0);
    // The findings of a file that stay: what its gongkai.toml keeps, less what the baseline accepts.
    let kept = |path: &Path, report: &gongkai::model::Report, run: &dyn Fn(&Selection) -> Vec<lint::Diagnostic>| {
        let mut found = gongkai::config::findings(config_of(path).as_deref(), path, report, &selection, run);
        if let Some(b) = &baseline {
            hidden.fetch_add(b.hide(path, report, &mut found), std::sync::atomic::Ordering::Relaxed);
        }
        found
    };
    let read_one = |path: &PathBuf| -> Result<gongkai::model::Report, gongkai::import::ImportError> {
        let mut report = match members.get(path) {
            Some((archive, index)) => read_member(archive, *index)?,
            None => gongkai::import::read(path)?,
        };
        gongkai::batch::failpoint(&report.path);
        match config_of(path) {
            Some(config) => config.give(&mut report.meta, org_type),
            None => org_type.into_iter().for_each(|o| report.meta.give_org_type(o)),
        }
        Ok(report)
    };
    let check_one = |path: &PathBuf| match read_one(path) {
        Ok(report) => {
            let diagnostics = kept(path, &report, &|s| lint::check_with(&report, s));
            FileResult::Checked { report: Box::new(report), diagnostics }
        }
        Err(err) => FileResult::Unreadable(err),
    };
    // The cross-year findings of a later report, under its file's configuration.
    let series_findings = |earlier: &gongkai::model::Report, report: &gongkai::model::Report, path: &Path| {
        kept(path, report, &|s| lint::check_series(&[earlier, report], s).into_iter().map(|(_, d)| d).collect())
    };
    // One file that trips a bug must not stop the others: the panic becomes that file's error.
    let isolated = |path: &PathBuf| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_one(path))).unwrap_or_else(|panic| {
            let detail = gongkai::batch::panic_message(&*panic);
            FileResult::Unreadable(gongkai::import::ImportError::Internal { path: path.display().to_string(), detail })
        })
    };
    let stdout = std::io::stdout();
    let color = !args.no_color && stdout.is_terminal();
    let opts = render::Options { lang, color, width: 120 };
    let fail = match args.fail_level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    let output = Output { format: args.output_format, lang, opts };
    let spill_error = |e: std::io::Error| {
        let why = lint::io_error_in(&e, lang);
        say(lang, format!("无法写入临时文件：{why}"), format!("cannot write a temporary file: {why}"))
    };

    // Files are checked in parallel, a window of them at a time, and each one's output is spilled to a temporary file
    // as it comes in file order: memory does not grow with the number of files. The cross-year rules then compare each
    // agency's consecutive years and add their findings to the later report's output.
    let mut spill = gongkai::spill::Spill::new().map_err(spill_error)?;
    let mut blocks = Vec::with_capacity(files.len());
    let mut series_at = vec![None; files.len()];
    let mut series_keys = Vec::new();
    // The first report read of each (agency, year): a report is compared with the one of the year before.
    let mut first_of_year: rustc_hash::FxHashMap<(u64, i32), usize> = rustc_hash::FxHashMap::default();
    let mut tally = Tally::new(fail);
    // Findings of the cross-year rules, rendered, by file: they follow the file's own output.
    let mut later: std::collections::BTreeMap<usize, Vec<Vec<u8>>> = std::collections::BTreeMap::new();
    // Checking and rendering run on the threads; what depends on the order of the files runs here, in file order,
    // while the threads check the next ones.
    let work = |path: &PathBuf| {
        let result = isolated(path);
        let block = if args.statistics { Vec::new() } else { output.block(&result) };
        // The cells the cross-year rules read, and their record for the spill file.
        let series = match &result {
            FileResult::Checked { report, .. } => gongkai::batch::SeriesCells::of(report)
                .and_then(|cells| serde_json::to_vec(&cells).ok().map(|record| (cells, record))),
            FileResult::Unreadable(_) => None,
        };
        (result, block, series)
    };
    // With --write-baseline: every finding of the run, to be written at the end.
    let mut accepted: Vec<gongkai::baseline::Entry> = Vec::new();
    let mut accept = |index: usize, report: &gongkai::model::Report, found: &[lint::Diagnostic]| {
        if let Some(path) = &args.write_baseline {
            accepted.extend(gongkai::baseline::entries(path, &files[index], report, found));
        }
    };
    in_order(&files, work, |index, (result, block, cells)| {
        tally.file(result);
        if let FileResult::Checked { report, diagnostics } = result {
            accept(index, report, diagnostics);
        }
        if let FileResult::Checked { report, .. } = result
            && let Some((cells, record)) = cells
        {
            let key = cells.key(index);
            // The year before was read already: compare now, while this report is in memory.
            if let Some(&p) = first_of_year.get(&(key.0, key.1 - 1))
                && let Some(previous) = series_at[p]
                    .and_then(|at| spill.get(at).ok())
                    .and_then(|r| serde_json::from_slice::<gongkai::batch::SeriesCells>(&r).ok())
                && previous.same_agency(cells)
            {
                let earlier = previous.report(&files[p].display().to_string());
                let found = series_findings(&earlier, report, &files[index]);
                found.iter().for_each(|d| tally.finding(d));
                accept(index, report, &found);
                if !found.is_empty() {
                    later.entry(index).or_default().push(output.diagnostics(report, &found));
                }
            }
            first_of_year.entry((key.0, key.1)).or_insert(index);
            series_keys.push(key);
            series_at[index] = Some(spill.push(record).map_err(spill_error)?);
        }
        if !args.statistics {
            blocks.push(spill.push(block).map_err(spill_error)?);
        }
        Ok(())
    })?;
    let mut spilled = spill.finish().map_err(spill_error)?;
    let mut read_series = |index: usize| -> Option<gongkai::batch::SeriesCells> {
        serde_json::from_slice(&spilled.get(series_at[index]?).ok()?).ok()
    };
    // A report whose year before came later in the listing: compared now on the cells the rules read, which know
    // their places. Where the output draws the source rows of a finding (full, HTML), a pair that finds something
    // is compared again with the later report read once more on the threads, a bounded batch at a time.
    let deferred: Vec<(usize, usize, gongkai::batch::SeriesCells, gongkai::batch::SeriesCells)> =
        gongkai::batch::series_pairs(&series_keys)
            .into_iter()
            .filter(|(p, c)| p > c)
            .filter_map(|(p, c)| {
                let (previous, current) = (read_series(p)?, read_series(c)?);
                let (earlier, later) = (previous.report(""), current.report(""));
                // The command line's choice of rules includes what any gongkai.toml may choose under it.
                let found =
                    previous.same_agency(&current) && !lint::check_series(&[&earlier, &later], &selection).is_empty();
                found.then_some((p, c, previous, current))
            })
            .collect();
    for pairs in deferred.chunks(256) {
        let compared: Vec<_> = pairs
            .par_iter()
            .filter_map(|(p, c, previous, current)| {
                let report = if output.draws_source() {
                    read_one(&files[*c]).ok()?
                } else {
                    current.report(&files[*c].display().to_string())
                };
                let earlier = previous.report(&files[*p].display().to_string());
                let found = series_findings(&earlier, &report, &files[*c]);
                (!found.is_empty()).then(|| {
                    let rendered = output.diagnostics(&report, &found);
                    let entries = args
                        .write_baseline
                        .as_deref()
                        .map_or_else(Vec::new, |path| gongkai::baseline::entries(path, &files[*c], &report, &found));
                    (*c, found, rendered, entries)
                })
            })
            .collect();
        for (c, found, rendered, entries) in compared {
            found.iter().for_each(|d| tally.finding(d));
            later.entry(c).or_default().push(rendered);
            accepted.extend(entries);
        }
    }

    let mut out = std::io::BufWriter::new(stdout.lock());
    let Tally { summary, statistics, mut failed, .. } = tally;
    let hidden = hidden.into_inner();
    if hidden > 0 {
        eprintln!("gongkai: {hidden} findings accepted by the baseline are not shown");
    }
    if let Some(path) = &args.write_baseline {
        let count = accepted.len();
        gongkai::baseline::write(path, accepted)?;
        eprintln!("gongkai: {count} findings written to the baseline {}", path.display());
        // They are accepted from now on: only files that could not be read still fail the run.
        failed = summary.unreadable > 0;
    }
    if args.statistics {
        match args.output_format {
            OutputFormat::Json => writeln!(out, "{}", statistics.json()),
            _ => writeln!(out, "{}{}", statistics.table(), summary.line(lang)),
        }
    } else {
        output.write(&mut out, files.len(), |index| spilled.get(blocks[index]), &later, &summary)
    }
    .and_then(|()| out.flush())
    .map_err(output_error)?;
    say_passed_over(&passed_over, files.len(), lang);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// What a `check` run counts: the summary, the findings per rule, and whether anything reached the fail level.
struct Tally {
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
struct Output {
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
    fn diagnostics(&self, report: &gongkai::model::Report, diagnostics: &[lint::Diagnostic]) -> Vec<u8> {
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
                format!("<ul class=\"findings\">\n{}</ul>\n", gongkai::html::findings(report, diagnostics, lang)).into()
            }
        }
    }

    /// One file's whole output.
    fn block(&self, result: &FileResult) -> Vec<u8> {
        let lang = self.lang;
        match (self.format, result) {
            (OutputFormat::Json, r) => serde_json::to_vec(&render::json_file(r, lang)).unwrap_or_default(),
            (OutputFormat::Html, r) => gongkai::html::file(r, lang).into(),
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
                    out.write_all(gongkai::html::header(self.lang).as_bytes())?;
                }
                for i in 0..files {
                    out.write_all(&block(i)?)?;
                    for extra in extras(i) {
                        out.write_all(extra)?;
                    }
                    if html {
                        out.write_all(gongkai::html::FILE_END.as_bytes())?;
                    }
                }
                if html {
                    out.write_all(gongkai::html::footer(summary, self.lang).as_bytes())
                } else {
                    writeln!(out, "{}", summary.line(self.lang))
                }
            }
        }
    }
}

/// Run `work` over `files` on the thread pool and hand each result, in file order, to `consume` (with the file's
/// index) on this thread. Each pool thread takes the next file as soon as it is free; at most a window of results
/// waits to be consumed, so memory does not grow with the number of files. An error from `consume` stops the run.
fn in_order<T: Send>(
    files: &[PathBuf],
    work: impl Fn(&PathBuf) -> T + Sync,
    mut consume: impl FnMut(usize, &T) -> Result<(), String>,
) -> Result<(), String> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{PoisonError, mpsc};
    // A pool thread hands its results over a few at a time: waking this thread for every file cost the pool
    // threads 5% of their time in futex calls.
    const BATCH: usize = 8;
    let threads = rayon::current_num_threads();
    let window = threads * 32;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results were consumed, for the window, and how many pool threads wait for it to move.
    let consumed = (std::sync::Mutex::new((0usize, 0usize)), std::sync::Condvar::new());
    let (results, received) = mpsc::channel::<Vec<(usize, usize, T)>>();
    // Consumed results go back to the thread that made them to be freed there. The allocator frees another
    // thread's memory under a lock its owner also takes: freeing whole reports here cost the checking threads a
    // tenth of their time.
    let (returns, returned): (Vec<mpsc::Sender<T>>, Vec<mpsc::Receiver<T>>) =
        (0..threads).map(|_| mpsc::channel()).unzip();
    std::thread::scope(|scope| {
        let received = received; // owned here: an early return drops it, and the threads stop sending
        let (next, stop, consumed, work) = (&next, &stop, &consumed, &work);
        scope.spawn(move || {
            rayon::scope(|pool| {
                for (thread, returned) in returned.into_iter().enumerate() {
                    let results = results.clone();
                    pool.spawn(move |_| {
                        let mut batch = Vec::with_capacity(BATCH);
                        let hand_over =
                            |batch: &mut Vec<_>| batch.is_empty() || results.send(std::mem::take(batch)).is_ok();
                        loop {
                            while let Ok(freed) = returned.try_recv() {
                                drop(freed);
                            }
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            if index >= files.len() || stop.load(Ordering::Relaxed) {
                                break;
                            }
                            let (lock, turn) = consumed;
                            if index >= lock.lock().unwrap_or_else(PoisonError::into_inner).0 + window {
                                // Ahead of the window: first hand over what this thread holds, which the consuming
                                // thread may be waiting for.
                                if !hand_over(&mut batch) {
                                    break;
                                }
                                let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
                                while index >= state.0 + window && !stop.load(Ordering::Relaxed) {
                                    state.1 += 1;
                                    state = turn.wait(state).unwrap_or_else(PoisonError::into_inner);
                                    state.1 -= 1;
                                }
                            }
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            batch.push((index, thread, work(&files[index])));
                            if batch.len() >= BATCH && !hand_over(&mut batch) {
                                break;
                            }
                        }
                        hand_over(&mut batch);
                    });
                }
                drop(results);
            });
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut expected = 0;
        let mut outcome = Ok(());
        for batch in received.iter() {
            waiting.extend(batch.into_iter().map(|(index, thread, result)| (index, (thread, result))));
            while let Some((thread, result)) = waiting.remove(&expected) {
                outcome = consume(expected, &result);
                let _ = returns[thread].send(result);
                expected += 1;
                if outcome.is_err() {
                    break;
                }
            }
            let (lock, turn) = consumed;
            let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 = expected;
            // Under the lock: a pool thread checks `stop` under it before it waits, so it cannot miss the wake-up.
            if outcome.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            let sleepers = state.1;
            drop(state);
            if sleepers > 0 || outcome.is_err() {
                turn.notify_all();
            }
            if outcome.is_err() {
                break;
            }
        }
        outcome
    })
}

fn rules(lang: Lang) -> Result<ExitCode, String> {
    let mut out = String::new();
    for r in lint::rules::ALL {
        let fix = match r.fix {
            lint::FixAvailability::None => "",
            lint::FixAvailability::Safe => "fix",
            lint::FixAvailability::Unsafe => "fix (unsafe)",
        };
        let summary = if lang == Lang::Zh { r.summary } else { r.summary_en };
        out.push_str(&format!("{:<5} {:<24} {:<8} {:<13} {}\n", r.code, r.name, r.severity.as_str(), fix, summary));
    }
    let unreadable = if lang == Lang::Zh {
        "文件无法读取（原因及处理办法见 gongkai rule E000）"
    } else {
        "the file could not be read (see gongkai rule E000)"
    };
    out.push_str(&format!("{:<5} {:<24} {:<8} {:<13} {unreadable}\n", "E000", render::UNREADABLE_NAME, "error", ""));
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn explain(code: &str, lang: Lang) -> Result<ExitCode, String> {
    if code.eq_ignore_ascii_case("E000") || code == render::UNREADABLE_NAME {
        print!("{}", render::UNREADABLE_EXPLAIN);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(r) = lint::rule(code) else {
        return Err(say(
            lang,
            format!("没有规则 `{code}`（见 gongkai rules）"),
            format!("no rule `{code}` (see `gongkai rules`)"),
        ));
    };
    let fix = match r.fix {
        lint::FixAvailability::None => "none",
        lint::FixAvailability::Safe => "safe",
        lint::FixAvailability::Unsafe => "unsafe (applied with --unsafe-fixes)",
    };
    println!(
        "# {} {} ({})\n\n{}\n{}\n\nDefault severity: {}. Fix: {}.\n\n{}",
        r.code,
        r.name,
        r.severity.as_str(),
        r.summary,
        r.summary_en,
        r.severity.as_str(),
        fix,
        r.explain
    );
    Ok(ExitCode::SUCCESS)
}

fn convert(input: &Path, output: &Path, force: bool, lang: Lang) -> Result<ExitCode, String> {
    let to_stdout = output == Path::new("-");
    let format = if to_stdout { Some(export::Format::Json) } else { export::Format::of(output) };
    let Some(format) = format else {
        let output = output.display();
        return Err(say(
            lang,
            format!("{output}：convert 写出 .xlsx、.docx、.json 或 .csv，由扩展名决定"),
            format!("{output}: convert writes .xlsx, .docx, .json or .csv"),
        ));
    };
    if !to_stdout && output.exists() && !force {
        return Err(exists_use_force(output, lang));
    }
    if !input.exists() {
        let input = input.display();
        return Err(say(lang, format!("{input}：找不到这个文件"), format!("{input}: no such file")));
    }
    let report = match gongkai::import::read(input) {
        Ok(r) => r,
        Err(err) => {
            eprint!("{}", render::full_error(&err, &render::Options { lang, ..render::Options::default() }));
            return Ok(ExitCode::from(1));
        }
    };
    let bytes = export::render(&report, format, &[]).map_err(|e| e.message(lang))?;
    if to_stdout {
        std::io::stdout().write_all(&bytes).map_err(output_error)?;
    } else {
        export::write_atomically(output, &bytes).map_err(|e| e.message(lang))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn template(output: &Path, year: Option<i32>, force: bool, lang: Lang) -> Result<ExitCode, String> {
    if output.exists() && !force {
        return Err(exists_use_force(output, lang));
    }
    let bytes = match export::Format::of(output) {
        Some(export::Format::Xlsx) => export::xlsx::template(year),
        Some(export::Format::Docx) => export::docx::template(year),
        _ => {
            let output = output.display();
            return Err(say(
                lang,
                format!("{output}：template 写出 .xlsx 或 .docx"),
                format!("{output}: template writes .xlsx or .docx"),
            ));
        }
    }
    .map_err(|e| e.message(lang))?;
    export::write_atomically(output, &bytes).map_err(|e| e.message(lang))?;
    Ok(ExitCode::SUCCESS)
}

fn batch(args: BatchArgs) -> Result<ExitCode, String> {
    let lang: Lang = args.lang.into();
    let zh = lang == Lang::Zh;
    let mut formats = Vec::new();
    for t in &args.to {
        match t.as_str() {
            "none" => {}
            "xlsx" => formats.push(export::Format::Xlsx),
            "docx" => formats.push(export::Format::Docx),
            "json" => formats.push(export::Format::Json),
            "csv" => formats.push(export::Format::Csv),
            other => {
                return Err(say(
                    lang,
                    format!("--to {other}：batch 写出 xlsx、docx、json、csv 或 none"),
                    format!("--to {other}: batch writes xlsx, docx, json, csv or none"),
                ));
            }
        }
    }
    known_rule_codes(&args.select, &args.ignore, lang)?;
    if args.output_dir.exists() && !args.output_dir.is_dir() {
        let out = args.output_dir.display();
        return Err(say(
            lang,
            format!("{out}：这是文件；-o 需要一个文件夹"),
            format!("{out}: a file; -o takes a folder"),
        ));
    }
    let (items, passed_over) = gongkai::batch::collect(&args.inputs, &args.output_dir).map_err(|e| e.message(lang))?;
    let options = gongkai::batch::Options {
        out_dir: args.output_dir.clone(),
        formats,
        force: args.force,
        selection: Selection { select: args.select.clone(), ignore: args.ignore.clone() },
        configs: std::sync::Arc::default(),
        baseline: args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose()?.map(std::sync::Arc::new),
        lang,
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Ctrl-C: finish the output being written (atomically), start no more.
        let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::Relaxed));
    }
    let terminal = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(items.len() as u64);
    if terminal {
        let template = if zh {
            "{bar:40} {pos}/{len} {rate} 剩余 {eta} {msg}"
        } else {
            "{bar:40} {pos}/{len} {rate} ETA {eta} {msg}"
        };
        // indicatif's own {per_sec} prints four decimals ("424.9101/s").
        let style = indicatif::ProgressStyle::with_template(template)
            .map(|style| {
                style.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                })
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = items.len();
    let start = std::time::Instant::now();
    let progress = |p: gongkai::batch::Progress| {
        bar.inc(1);
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if p.status == gongkai::batch::Status::Failed {
            bar.suspend(|| {
                if zh {
                    eprintln!("gongkai: {}: 内部错误，已记入 summary.csv", p.id);
                } else {
                    eprintln!("gongkai: {}: internal error, recorded in summary.csv", p.id);
                }
            });
        }
        // Without a terminal: a quiet line each time another tenth is done (the last one at the end).
        if !terminal && n * 10 / total.max(1) != (n - 1) * 10 / total.max(1) {
            let rate = n as f64 / start.elapsed().as_secs_f64().max(1e-9);
            if zh {
                eprintln!("{n}/{total} 份，每秒 {rate:.0} 份");
            } else {
                eprintln!("{n}/{total} reports, {rate:.0}/s");
            }
        }
    };
    let totals = gongkai::batch::run(&items, &options, &stop, &progress).map_err(|e| e.message(lang))?;
    bar.finish_and_clear();
    print!("{}", totals.report(start.elapsed().as_secs_f64(), &args.output_dir.join("summary.csv"), lang));
    say_passed_over(&passed_over, items.len(), lang);
    if totals.interrupted {
        if zh {
            eprintln!("gongkai: 已中断；数据集只含已处理完的年报");
        } else {
            eprintln!("gongkai: interrupted; the dataset covers the reports finished so far");
        }
        return Ok(ExitCode::from(2));
    }
    Ok(if totals.with_errors + totals.unreadable + totals.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Where `fix` writes the corrected copy of `input`: beside it, or under `out_dir` in the place it has below the
/// folder it was found in (`fix reports -o fixed`: `reports/2023/x.xlsx` → `fixed/2023/x.fixed.xlsx`), so that
/// reports of one name in different folders keep apart.
fn fixed_path(input: &Path, out_dir: Option<&Path>, given: &[PathBuf], ext: &str) -> PathBuf {
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

/// What fixing one file came to: the lines to print and the corrected document to write, in file order.
struct Fixed {
    /// Printed before the write: the read error, or the changes under `--diff`.
    before: String,
    /// The corrected document and where it goes.
    output: Option<(PathBuf, Result<Vec<u8>, String>)>,
    changes: usize,
    /// Printed after the write: fixes held back, errors that remain.
    after: String,
    failed: bool,
}

fn fix(args: FixArgs) -> Result<ExitCode, String> {
    // A folder fixed before holds its corrected copies (NAME.fixed.EXT): outputs, not reports to fix once more
    // into NAME.fixed.fixed.EXT. A copy named on the command line is fixed all the same.
    let lang: Lang = args.lang.into();
    // A zip's members cannot be corrected in place: fix takes the files of a folder, not its zips.
    let (files, passed_over) = collect_files(&args.paths, false, lang)?;
    let files: Vec<PathBuf> =
        files.into_iter().filter(|f| args.paths.contains(f) || export::fixed_copy_of(f).is_none()).collect();
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            let (dir, why) = (dir.display(), lint::io_error_in(&e, lang));
            say(lang, format!("{dir}：无法创建文件夹：{why}"), format!("{dir}: cannot create: {why}"))
        })?;
    }
    let zh = lang == Lang::Zh;
    // A rule a gongkai.toml turns off, or ignores for a file or cell, fixes nothing there.
    let configs = gongkai::config::Configs::default();
    for file in &files {
        configs.for_file(file).map_err(|e| e.to_string())?;
    }
    let baseline = args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose()?;
    // Reading, checking, fixing and rendering run on the threads; writing runs here, in file order, so that two
    // inputs with one output name meet the exists-check in a fixed order.
    let fix_one = |path: &PathBuf| -> Fixed {
        let name = path.display().to_string();
        let unreadable =
            |before: String| Fixed { before, output: None, changes: 0, after: String::new(), failed: true };
        let failed = |err: gongkai::import::ImportError| {
            unreadable(render::full_error(&err, &render::Options { lang, ..render::Options::default() }))
        };
        let bytes = match gongkai::import::read_bounded(path, &name) {
            Ok(b) => b,
            Err(err) => return failed(err),
        };
        let mut report = match gongkai::import::read_bytes(&name, &bytes) {
            Ok(r) => r,
            Err(err) => return failed(err),
        };
        let config = configs.for_file(path).ok().flatten();
        if let Some(config) = &config {
            config.give(&mut report.meta, None);
        }
        let findings = |r: &gongkai::model::Report| {
            let mut found = gongkai::config::findings(config.as_deref(), path, r, &Selection::default(), |s| {
                lint::check_with(r, s)
            });
            if let Some(b) = &baseline {
                b.hide(path, r, &mut found);
            }
            found
        };
        let diagnostics = findings(&report);
        let (fixed, edits) = lint::apply_fixes(&report, &diagnostics, args.unsafe_fixes);
        let held_back = diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.safety == lint::Safety::Unsafe && !args.unsafe_fixes)
            .count();
        let mut changes = export::Change::from_edits(&edits, &diagnostics);
        changes.sort_by_key(|ch| report.cell(&ch.key).map(|c| c.origin.source_order()));
        let mut before = String::new();
        if args.diff {
            for ch in &changes {
                let addr = report.cell(&ch.key).map(|c| report.address(c.origin)).unwrap_or_default();
                let from = if ch.from.trim().is_empty() { "(空白)" } else { ch.from.as_str() };
                before.push_str(&format!("{name} › {addr}: {from} → {}  [{}]\n", ch.to, ch.rule));
            }
        }
        let remaining = findings(&fixed);
        let mut output = None;
        if !args.diff && !changes.is_empty() {
            let input_kind = report.input;
            let ext = match (args.to, input_kind) {
                (Some(ToFormat::Docx), _) | (None, gongkai::raw::InputKind::Docx) => "docx",
                _ => "xlsx",
            };
            let rendered = if ext == "docx" && input_kind == gongkai::raw::InputKind::Docx {
                export::docx_patch::patch(&bytes, &fixed, &changes)
            } else if ext == "docx" {
                export::docx::write(&fixed, &changes)
            } else {
                export::xlsx::write(&fixed, &changes)
            };
            let to = fixed_path(path, args.output_dir.as_deref(), &args.paths, ext);
            output = Some((to, rendered.map_err(|e| e.to_string())));
        } else if changes.is_empty() {
            let nothing = if zh { "没有可自动修复的问题" } else { "nothing to fix automatically" };
            before.push_str(&format!("{name}: {nothing}\n"));
        }
        let mut after = String::new();
        if held_back > 0 {
            after.push_str(&if zh {
                format!("{name}: 另有 {held_back} 处修改会改变数字，需加 --unsafe-fixes\n")
            } else {
                format!("{name}: {held_back} more fixes change numbers; pass --unsafe-fixes\n")
            });
        }
        let errors: Vec<&lint::Diagnostic> = remaining.iter().filter(|d| d.severity == Severity::Error).collect();
        for d in &errors {
            after.push_str(&format!("{}\n", render::concise(&fixed, d, lang)));
        }
        Fixed { before, output, changes: changes.len(), after, failed: !errors.is_empty() }
    };
    let mut failed = false;
    let mut write_failed = false;
    // Two inputs of one name given side by side (`fix a/x.xlsx b/x.xlsx -o fixed`) meet at one output: the first
    // is written, the second is refused, also under --force.
    let mut written_now: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut out = std::io::stdout().lock();
    in_order(&files, fix_one, |index, done| {
        failed |= done.failed;
        out.write_all(done.before.as_bytes()).map_err(output_error)?;
        if let Some((path, rendered)) = &done.output {
            let written = if written_now.contains(path) {
                let shown = path.display();
                Err(say(
                    lang,
                    format!("{shown}：本次已由另一个同名文件写入；请分开修复，或用 -o 指定不同的文件夹"),
                    format!(
                        "{shown}: already written in this run from another file of the same name; fix them apart or give each its own -o"
                    ),
                ))
            } else if path.exists() && !args.force {
                Err(exists_use_force(path, lang))
            } else {
                match rendered {
                    Ok(bytes) => path
                        .parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .map_err(|e| export::ExportError::Io { path: path.display().to_string(), source: e })
                        .and_then(|()| export::write_atomically(path, bytes))
                        .map(|()| {
                            written_now.insert(path.clone());
                        })
                        .map_err(|e| e.message(lang)),
                    Err(e) => Err(e.clone()),
                }
            };
            match written {
                Ok(()) => {
                    let name = files[index].display();
                    let line = if zh {
                        format!("{name}: 修改 {} 处，写入 {}\n", done.changes, path.display())
                    } else {
                        format!("{name}: {} changes, wrote {}\n", done.changes, path.display())
                    };
                    out.write_all(line.as_bytes()).map_err(output_error)?;
                }
                Err(e) => {
                    eprintln!("gongkai: {e}");
                    write_failed = true;
                }
            }
        }
        out.write_all(done.after.as_bytes()).map_err(output_error)
    })?;
    out.flush().map_err(output_error)?;
    say_passed_over(&passed_over, files.len(), lang);
    Ok(if write_failed {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
