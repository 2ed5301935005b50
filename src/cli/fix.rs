//! `gongkai fix`: corrected copies of the reports found (or, with `--diff`, the changes they would get), written in
//! file order so that two inputs meeting at one output name are refused in a fixed order.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai::check::Policy;
use gongkai::discover::{self, Discovery, Found};
use gongkai::export;
use gongkai::fix::{Options, Target, Writer, Written};
use gongkai::lang::Lang;
use gongkai::render;

use super::args::{FixArgs, ToFormat};
use crate::{Run, exists_use_force, output_error, say, say_passed_over};

/// What fixing one file came to: the lines to print and the corrected document to write, in file order.
struct Outcome {
    /// Printed before the write: the read error, or the changes under `--diff`.
    before: String,
    /// The corrected document and where it goes.
    output: Option<(PathBuf, Result<Written, String>)>,
    changes: usize,
    /// Printed after the write: the changes left to formulas.
    left: String,
    /// Printed after the write: fixes held back, errors that remain.
    after: String,
    failed: bool,
}

pub fn run(args: FixArgs) -> Run {
    let lang: Lang = args.lang.into();
    // A zip's members cannot be corrected in place: fix takes the files of a folder, not its zips. A folder fixed
    // before holds its corrected copies (NAME.fixed.EXT): outputs, not reports to fix once more.
    let discover_options = discover::Options { fixed_copies: discover::FixedCopies::All, ..Default::default() };
    let Discovery { reports, passed_over } =
        discover::discover(&args.paths, &discover_options).map_err(|e| e.message(lang))?;
    if let Some(code) = crate::nothing_to_read(&passed_over, reports.len(), lang) {
        return Ok(code);
    }
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            let (dir, why) = (dir.display(), gongkai::lang::io_error_in(&e, lang));
            say(lang, format!("{dir}：无法创建文件夹：{why}"), format!("{dir}: cannot create: {why}"))
        })?;
    }
    let baseline =
        args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose().map_err(|e| e.message(lang))?;
    let options = Options {
        unsafe_fixes: args.unsafe_fixes,
        to: args.to.map(|t| match t {
            ToFormat::Xlsx => Target::Xlsx,
            ToFormat::Docx => Target::Docx,
        }),
        policy: Policy { baseline: baseline.map(std::sync::Arc::new), ..Policy::default() },
    };
    // A rule a gongkai.toml turns off, or ignores for a file or cell, fixes nothing there.
    options.policy.load(&reports).map_err(|e| e.message(lang))?;
    let fix_one = |found: &Found, read: gongkai::fix::Attempt| fix_one(found, read, &args, &options, lang);
    let mut failed = false;
    let mut write_failed = false;
    // Two inputs of one name given side by side (`fix a/x.xlsx b/x.xlsx -o fixed`) meet at one output: the first
    // is written, the second is refused, also under --force.
    let mut written_now: HashSet<PathBuf> = HashSet::new();
    let mut out = std::io::stdout().lock();
    gongkai::fix::fix_all(&reports, &options, fix_one, |index, done| {
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
                    Ok(Written { bytes, .. }) => path
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
                    let left = rendered.as_ref().map_or(0, |w| w.left_to_formulas.len());
                    let (name, changes, to) = (reports[index].path.display(), done.changes - left, path.display());
                    let line = say(
                        lang,
                        format!("{name}: 修改 {changes} 处，写入 {to}\n"),
                        format!("{name}: {changes} changes, wrote {to}\n"),
                    );
                    out.write_all(line.as_bytes()).map_err(output_error)?;
                    out.write_all(done.left.as_bytes()).map_err(output_error)?;
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
    say_passed_over(&passed_over, reports.len(), lang);
    Ok(if write_failed {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What to print and write of one file fixed (on a fixing thread).
fn fix_one(found: &Found, read: gongkai::fix::Attempt, args: &FixArgs, options: &Options, lang: Lang) -> Outcome {
    let name = found.path.display().to_string();
    let (bytes, fixed) = match read {
        Ok(read) => read,
        Err(err) => {
            return Outcome {
                before: render::full_error(&err, &render::Options { lang, ..render::Options::default() }),
                output: None,
                changes: 0,
                left: String::new(),
                after: String::new(),
                failed: true,
            };
        }
    };
    let mut before = String::new();
    if args.diff {
        for ch in &fixed.changes {
            let addr = fixed.report.cell(&ch.key).map(|c| fixed.report.address(c.origin)).unwrap_or_default();
            let from = if ch.from.trim().is_empty() { "(空白)" } else { ch.from.as_str() };
            before.push_str(&format!("{name} › {addr}: {from} → {}  [{}]\n", ch.to, ch.rule));
        }
    }
    let mut output = None;
    let mut left = String::new();
    if !args.diff && !fixed.changes.is_empty() {
        let writer = Writer::choose(fixed.report.input, options.to);
        let to = gongkai::fix::output_path(&found.path, args.output_dir.as_deref(), &args.paths, writer.extension());
        if options.to.is_none() && !writer.keeps_the_file() {
            // An .xls, a PDF or a page cannot be written back as it is: the standard layout is, and the clerk is told.
            before.push_str(&say(
                lang,
                format!("{name}: 这种格式无法原样写回，更正后的年报按标准格式写成 .xlsx\n"),
                format!("{name}: this format cannot be written back as it is; the corrected report is written in the standard layout as .xlsx\n"),
            ));
        }
        let written = writer.write(&bytes, &fixed).map_err(|e| e.to_string());
        if let Ok(w) = &written {
            for ch in &w.left_to_formulas {
                let addr = fixed.report.cell(&ch.key).map(|c| fixed.report.address(c.origin)).unwrap_or_default();
                left.push_str(&say(
                    lang,
                    format!("{name} › {addr}: 是公式单元格，未改为 {}（{}）：请检查公式或它所加的各项\n", ch.to, ch.rule),
                    format!("{name} › {addr}: holds a formula; not changed to {} ({}): check the formula or the cells it adds\n", ch.to, ch.rule),
                ));
            }
        }
        output = Some((to, written));
    } else if fixed.changes.is_empty() {
        let nothing = lang.pick("没有可自动修复的问题", "nothing to fix automatically");
        before.push_str(&format!("{name}: {nothing}\n"));
    }
    let mut after = String::new();
    if fixed.held_back > 0 {
        let held_back = fixed.held_back;
        after.push_str(&say(
            lang,
            format!("{name}: 另有 {held_back} 处修改会改变数字，需加 --unsafe-fixes\n"),
            format!("{name}: {held_back} more fixes change numbers; pass --unsafe-fixes\n"),
        ));
    }
    let mut failed = false;
    for d in fixed.errors() {
        after.push_str(&format!("{}\n", render::concise(&fixed.fixed, d, lang)));
        failed = true;
    }
    Outcome { before, output, changes: fixed.changes.len(), left, after, failed }
}
