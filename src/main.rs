//! The `gongkai` command: argument parsing, file walking, output and exit codes. All the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gongkai::lint::{self, Lang, Selection, Severity};
use gongkai::render::{self, FileResult, Summary};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Check and convert 政府信息公开工作年度报告 (government information-disclosure annual reports)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check report files or folders (xlsx, xls, docx) against the national format.
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
    },
    /// Convert a report to the model as JSON (`-o report.json`).
    Convert {
        /// The report to read.
        input: PathBuf,
        /// Where to write: a .json file, or - for standard output.
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite an existing output file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders to check. Folders are searched for .xlsx, .xls and .docx files.
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
    /// Never colour the output.
    #[arg(long, env = "NO_COLOR", value_parser = clap::builder::FalseyValueParser::new())]
    no_color: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Each finding with its table row drawn and the cell underlined.
    Full,
    /// One line per finding.
    Concise,
    /// One JSON document (see README).
    Json,
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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { lang } => rules(lang.into()),
        Command::Rule { code } => explain(&code),
        Command::Convert { input, output, force } => convert(&input, &output, force),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("gongkai: {message}");
            ExitCode::from(2)
        }
    }
}

/// Expand folders into the report files below them, sorted; plain files are kept as given.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|p| is_report_file(p))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    Ok(files)
}

fn is_report_file(path: &Path) -> bool {
    let lock_file = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("~$"));
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    !lock_file && gongkai::import::EXTENSIONS.contains(&ext.as_str())
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let files = collect_files(&args.paths)?;
    let selection = Selection { select: args.select.clone(), ignore: args.ignore.clone() };
    for code in args.select.iter().chain(args.ignore.iter()) {
        if !lint::rules::ALL.iter().any(|r| r.code.starts_with(code.as_str()) || r.name == code) {
            return Err(format!("unknown rule `{code}` in --select/--ignore (see `gongkai rules`)"));
        }
    }
    let results: Vec<FileResult> = files
        .iter()
        .map(|path| match gongkai::import::read(path) {
            Ok(report) => {
                let diagnostics = lint::check_with(&report, &selection);
                FileResult::Checked { report: Box::new(report), diagnostics }
            }
            Err(err) => FileResult::Unreadable(err),
        })
        .collect();

    let lang: Lang = args.lang.into();
    let stdout = std::io::stdout();
    let color = !args.no_color && stdout.is_terminal();
    let opts = render::Options { lang, color, width: 120 };
    let mut out = stdout.lock();
    let write = |out: &mut std::io::StdoutLock, s: &str| {
        out.write_all(s.as_bytes()).map_err(|e| format!("cannot write output: {e}"))
    };
    match args.output_format {
        OutputFormat::Json => {
            let doc = render::json_document(&results, lang);
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            write(&mut out, &format!("{text}\n"))?;
        }
        OutputFormat::Concise => {
            for r in &results {
                match r {
                    FileResult::Checked { report, diagnostics } => {
                        for d in diagnostics {
                            write(&mut out, &format!("{}\n", render::concise(report, d, lang)))?;
                        }
                    }
                    FileResult::Unreadable(err) => write(&mut out, &format!("{}\n", render::concise_error(err)))?,
                }
            }
            write(&mut out, &format!("{}\n", Summary::of(&results).line(lang)))?;
        }
        OutputFormat::Full => {
            for r in &results {
                match r {
                    FileResult::Checked { report, diagnostics } => {
                        for d in diagnostics {
                            write(&mut out, &render::full(report, d, &opts))?;
                        }
                    }
                    FileResult::Unreadable(err) => write(&mut out, &render::full_error(err, &opts))?,
                }
            }
            write(&mut out, &format!("{}\n", Summary::of(&results).line(lang)))?;
        }
    }
    let fail = match args.fail_level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    let failed = results.iter().any(|r| match r {
        FileResult::Unreadable(_) => true,
        FileResult::Checked { diagnostics, .. } => diagnostics.iter().any(|d| d.severity >= fail),
    });
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn explain(code: &str) -> Result<ExitCode, String> {
    let Some(r) = lint::rule(code) else {
        return Err(format!("no rule `{code}` (see `gongkai rules`)"));
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

fn convert(input: &Path, output: &Path, force: bool) -> Result<ExitCode, String> {
    let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let to_stdout = output == Path::new("-");
    if !to_stdout && ext != "json" {
        return Err(format!(
            "{}: convert writes .json (the report model); .xlsx, .docx and .csv output is not built yet",
            output.display()
        ));
    }
    if !to_stdout && output.exists() && !force {
        return Err(format!("{}: exists; pass --force to overwrite it", output.display()));
    }
    if !input.exists() {
        return Err(format!("{}: no such file", input.display()));
    }
    let report = match gongkai::import::read(input) {
        Ok(r) => r,
        Err(err) => {
            eprint!("{}", render::full_error(&err, &render::Options::default()));
            return Ok(ExitCode::from(1));
        }
    };
    let text = serde_json::to_string_pretty(&report.to_json()).map_err(|e| e.to_string())? + "\n";
    if to_stdout {
        print!("{text}");
    } else {
        write_atomically(output, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Write a file through a temporary file in the same folder and a rename, so a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let result = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
