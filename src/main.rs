//! The `gongkai` command: clap, printing and exit codes over the library's jobs (discover, check, fix, batch,
//! export). Nothing here reads or judges a report.

// jemalloc: a report is many small strings, and glibc's allocator kept the checking threads allocating and
// freeing (bench/NOTES.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod cli;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use cli::args::{Cli, Command};
use gongkai::discover::PassedOver;
use gongkai::export;
use gongkai::lang::Lang;
use gongkai::lint::{self, FixAvailability};

/// Why a command could not run to its end: exit code 2.
pub enum Failure {
    /// Said on stderr, in the run's language.
    Message(String),
    /// The reader of the output went away (`gongkai check | head`): the run ends there without a message, as other
    /// command-line tools do.
    OutputClosed,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

/// What a command ends with.
pub type Run = Result<ExitCode, Failure>;

fn main() -> ExitCode {
    // A panic of third-party code on input it cannot handle is caught and reported; stay quiet about it.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !gongkai::panic_is_expected() {
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
        Command::Check(args) => cli::check::run(args),
        Command::Rules { lang } => rules(lang.into()),
        Command::Rule { code, lang } => explain(&code, lang.into()),
        Command::Convert { input, output, force, lang } => convert(&input, &output, force, lang.into()),
        Command::Fix(args) => cli::fix::run(args),
        Command::Batch(args) => cli::batch::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Template { output, year, force, lang } => template(&output, year, force, lang.into()),
    };
    match result {
        Ok(code) => code,
        Err(Failure::OutputClosed) => ExitCode::from(2),
        Err(Failure::Message(message)) => {
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
        if let Some(line) = usage_error_zh(e) {
            eprintln!("gongkai: {line}；gongkai --help 列出所有命令和参数");
            return ExitCode::from(2);
        }
        let what = match e.kind() {
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                "请给出一个命令：check、fix、convert、batch、template、rules 或 rule"
            }
            ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues | ErrorKind::TooFewValues => "参数的个数不对",
            _ => "命令行有误",
        };
        eprintln!("gongkai: {what}（说明见下，英文）；gongkai --help 列出所有命令和参数");
    }
    let _ = e.print();
    ExitCode::from(2)
}

/// A usage error said in Chinese from what clap knows of it (the argument, the value, what it takes, what was
/// probably meant); `None` for the kinds it cannot say whole.
fn usage_error_zh(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let get = |kind| e.get(kind).map(ToString::to_string);
    let suggestion = get(ContextKind::SuggestedValue)
        .or_else(|| get(ContextKind::SuggestedArg))
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .map(|s| format!("（是否想用 {s}？）"))
        .unwrap_or_default();
    let line = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let (arg, value) = (get(ContextKind::InvalidArg)?, get(ContextKind::InvalidValue).unwrap_or_default());
            let valid = get(ContextKind::ValidValue).map(|v| format!("；可用的值：{v}")).unwrap_or_default();
            format!("参数 {arg} 的值「{value}」无效{valid}{suggestion}")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数 {}{suggestion}", get(ContextKind::InvalidArg)?),
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有命令 {}{suggestion}；命令有 check、fix、convert、batch、template、rules、rule",
                get(ContextKind::InvalidSubcommand)?
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", get(ContextKind::InvalidArg)?),
        ErrorKind::ArgumentConflict => {
            let (a, b) = (get(ContextKind::InvalidArg)?, get(ContextKind::PriorArg)?);
            format!("参数 {a} 与 {b} 不能同时使用")
        }
        _ => return None,
    };
    Some(line)
}

/// An error writing the output: the run's end (quietly when the reader went away).
pub fn output_error(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::OutputClosed
    } else {
        Failure::Message(format!("cannot write output: {e}"))
    }
}

/// A message in the language of the run.
pub fn say(lang: Lang, zh: String, en: String) -> String {
    lang.pick(zh, en)
}

/// `path: exists; pass --force to overwrite it`, in the language of the run.
pub fn exists_use_force(path: &Path, lang: Lang) -> String {
    export::ExportError::Exists { path: path.display().to_string() }.message(lang)
}

/// Refuse `--select`/`--ignore` codes that name no rule.
pub fn known_rule_codes(select: &[String], ignore: &[String], lang: Lang) -> Result<(), Failure> {
    match select
        .iter()
        .chain(ignore)
        .find(|code| !lint::rules::ALL.iter().any(|r| r.code.starts_with(code.as_str()) || r.name == code.as_str()))
    {
        Some(code) => Err(say(
            lang,
            format!("--select/--ignore 中的 `{code}` 不是规则代码或名称（见 gongkai rules）"),
            format!("unknown rule `{code}` in --select/--ignore (see `gongkai rules`)"),
        )
        .into()),
        None => Ok(()),
    }
}

/// When the paths given hold no report to read: say so (with what was passed over) and end the run with exit code 2,
/// so that a CI job pointed at the wrong folder fails instead of passing on nothing.
pub fn nothing_to_read(passed_over: &PassedOver, reports: usize, lang: Lang) -> Option<ExitCode> {
    (reports == 0).then(|| {
        say_passed_over(passed_over, reports, lang);
        ExitCode::from(2)
    })
}

/// At the end of a run over folders: the files it passed over, and a word when it found no report at all (a
/// folder of PDFs, or the wrong folder), on stderr so that JSON and SARIF outputs stay clean.
pub fn say_passed_over(passed_over: &PassedOver, reports: usize, lang: Lang) {
    for line in passed_over.lines(lang) {
        eprintln!("gongkai: {line}");
    }
    if reports == 0 {
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

fn rules(lang: Lang) -> Run {
    let mut out = String::new();
    for r in lint::rules::listed() {
        let fix = match r.fix {
            FixAvailability::None => "",
            FixAvailability::Safe => "fix",
            FixAvailability::Unsafe => "fix (unsafe)",
        };
        let summary = lang.pick(r.summary, r.summary_en);
        out.push_str(&format!("{:<5} {:<24} {:<8} {:<13} {summary}\n", r.code, r.name, r.severity.as_str(), fix));
    }
    std::io::stdout().write_all(out.as_bytes()).map_err(output_error)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(code: &str, lang: Lang) -> Run {
    let Some(r) = lint::rule(code) else {
        return Err(say(
            lang,
            format!("没有规则 `{code}`（见 gongkai rules）"),
            format!("no rule `{code}` (see `gongkai rules`)"),
        )
        .into());
    };
    let text = r.explanation(lang);
    std::io::stdout().write_all(text.as_bytes()).map_err(output_error)?;
    Ok(ExitCode::SUCCESS)
}

fn convert(input: &Path, output: &Path, force: bool, lang: Lang) -> Run {
    let to_stdout = output == Path::new("-");
    let format = if to_stdout { Some(export::Format::Json) } else { export::Format::of(output) };
    let Some(format) = format else {
        let output = output.display();
        return Err(say(
            lang,
            format!("{output}：convert 写出 .xlsx、.docx、.json 或 .csv，由扩展名决定"),
            format!("{output}: convert writes .xlsx, .docx, .json or .csv"),
        )
        .into());
    };
    // Nothing overwrites an input, --force or not (`-o a.docx` for the input `a.docx`, or a link to it).
    if !to_stdout && same_file(input, output) {
        let output = output.display();
        return Err(say(
            lang,
            format!("{output}：这是输入文件本身，gongkai 从不改写输入；请另取一个输出文件名"),
            format!("{output}: this is the input itself, which gongkai never overwrites; name another output"),
        )
        .into());
    }
    if !to_stdout && output.exists() && !force {
        return Err(exists_use_force(output, lang).into());
    }
    if !input.exists() {
        let input = input.display();
        return Err(say(lang, format!("{input}：找不到这个文件"), format!("{input}: no such file")).into());
    }
    let report = match gongkai::import::read(input) {
        Ok(r) => r,
        Err(err) => {
            let options = gongkai::render::Options { lang, ..Default::default() };
            eprint!("{}", gongkai::render::full_error(&err, &options));
            return Ok(ExitCode::from(1));
        }
    };
    let bytes = match export::render(&report, format, &[]) {
        Ok(bytes) => bytes,
        // A file with no report in it (a notice, an attachment): said of the file, as a finding would be.
        Err(err @ export::ExportError::NoTables) => {
            eprintln!("gongkai: {}: {}", input.display(), err.message(lang));
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.message(lang).into()),
    };
    if to_stdout {
        std::io::stdout().write_all(&bytes).map_err(output_error)?;
    } else {
        export::write_atomically(output, &bytes).map_err(|e| e.message(lang))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Two paths that name one existing file (the same path in other words, or a link to it).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn template(output: &Path, year: Option<i32>, force: bool, lang: Lang) -> Run {
    if output.exists() && !force {
        return Err(exists_use_force(output, lang).into());
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
            )
            .into());
        }
    }
    .map_err(|e| e.message(lang))?;
    export::write_atomically(output, &bytes).map_err(|e| e.message(lang))?;
    Ok(ExitCode::SUCCESS)
}
