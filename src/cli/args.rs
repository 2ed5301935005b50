//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gongkai::lang::Lang;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Check and convert 政府信息公开工作年度报告 (government information-disclosure annual reports)"
)]
pub struct Cli {
    /// Worker threads for check and batch (default: all cores).
    #[arg(short = 'j', long, global = true)]
    pub jobs: Option<usize>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// A local web page where reports are dropped, checked and downloaded corrected (for those who never open a
    /// terminal). Listens on 127.0.0.1 unless --host says otherwise.
    Serve(ServeArgs),
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
pub struct FixArgs {
    /// Files or folders to fix.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the corrected files into this folder instead of next to their inputs.
    #[arg(short, long)]
    pub output_dir: Option<PathBuf>,
    /// Also apply fixes that change a reported number (recomputed totals).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print each change as `表三!I12: 4 → 3` and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Output format (default: the input's; .xls and .pdf inputs are written as .xlsx).
    #[arg(long, value_enum)]
    pub to: Option<ToFormat>,
    /// Overwrite existing outputs.
    #[arg(long)]
    pub force: bool,
    /// Message language.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Leave alone the findings this baseline accepts (see `check --write-baseline`): their fixes are not applied
    /// and they do not count as remaining errors.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Args)]
pub struct BatchArgs {
    /// Folders or .zip archives (members are read without unpacking) of reports.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The output folder: converted reports mirror the input tree; the dataset goes at its top.
    #[arg(short, long)]
    pub output_dir: PathBuf,
    /// Formats to write each report in, comma-separated (xlsx, docx, json, csv); `none` writes only the dataset.
    #[arg(long, value_delimiter = ',', default_value = "json")]
    pub to: Vec<String>,
    /// Redo reports whose outputs are up to date.
    #[arg(long)]
    pub force: bool,
    /// Run only these rules (codes, code prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub select: Vec<String>,
    /// Skip these rules, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub ignore: Vec<String>,
    /// Leave out the findings this baseline accepts (see `check --write-baseline`): from the dataset, the counts
    /// and the exit code.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Message language: of the run's summary, and of the messages in diagnostics.jsonl and summary.csv.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8150)]
    pub port: u16,
    /// The address to listen on. Another than 127.0.0.1 (0.0.0.0: every network of this computer) lets other
    /// computers use the page: pass --token then.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// A password every request must carry (`?token=` in the address the others open).
    #[arg(long)]
    pub token: Option<String>,
    /// Open the page in the browser.
    #[arg(long)]
    pub open: bool,
    /// The kind of body that publishes the reports, for the publication deadline.
    #[arg(long, value_enum)]
    pub org_type: Option<OrgTypeArg>,
    /// Run only these rules (codes, code prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub select: Vec<String>,
    /// Skip these rules, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub ignore: Vec<String>,
    /// The page's language until switched, and of the messages printed here.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// The largest upload, in MB (all its files together).
    #[arg(long, default_value_t = 50, value_name = "MB")]
    pub max_upload_mb: usize,
    /// The most files in one upload.
    #[arg(long, default_value_t = 20)]
    pub max_files: usize,
    /// Uploads checked at once (default: the number of cores); more wait in the queue.
    #[arg(long)]
    pub max_checks: Option<usize>,
    /// Uploads that may wait for a turn; beyond them the page is told the server is busy.
    #[arg(long, default_value_t = 64)]
    pub queue: usize,
    /// The longest one upload's check may take, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub check_seconds: u64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ToFormat {
    Xlsx,
    Docx,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Files, folders or zip archives to check. Folders are searched for .xlsx, .xls, .docx, .pdf, .html, .txt and
    /// .md files and zips of them; a zip is read member by member.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,
    /// Message language.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Run only these rules (codes, code prefixes such as C3, or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub select: Vec<String>,
    /// Skip these rules (codes, code prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = rule_selector)]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    pub fail_level: Level,
    /// The kind of body that publishes the reports, for the publication deadline (otherwise inferred from the
    /// agency's name).
    #[arg(long, value_enum)]
    pub org_type: Option<OrgTypeArg>,
    /// Print how many findings each rule made, most first, instead of the findings (JSON with
    /// --output-format json).
    #[arg(long)]
    pub statistics: bool,
    /// Never colour the output.
    #[arg(long, env = "NO_COLOR", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_color: bool,
    /// Hide the findings this baseline file accepts (see --write-baseline): a CI job then fails on new ones only.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Write every finding of this run to a baseline file, to be accepted by later runs with --baseline; the run
    /// then exits 0 unless a file could not be read.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Replace the baseline file --write-baseline names when it exists already.
    #[arg(long, requires = "write_baseline")]
    pub force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
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
pub enum OrgTypeArg {
    /// 县级以上人民政府部门: publish by 1月31日.
    Department,
    /// 县级以上地方人民政府: publish by 3月31日.
    Government,
}

impl From<OrgTypeArg> for gongkai::model::OrgType {
    fn from(o: OrgTypeArg) -> gongkai::model::OrgType {
        match o {
            OrgTypeArg::Department => gongkai::model::OrgType::Department,
            OrgTypeArg::Government => gongkai::model::OrgType::Government,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
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
pub enum Level {
    Error,
    Warning,
    Info,
}

/// A rule selector from the command line, in the form rules are matched with (`c3` is `C3`).
fn rule_selector(text: &str) -> Result<String, std::convert::Infallible> {
    Ok(gongkai::lint::selector(text))
}
