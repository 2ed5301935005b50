//! `gongkai batch`: an archive in, converted files and a dataset out, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::process::ExitCode;

use gongkai::check::Policy;
use gongkai::discover::{self, Discovery};
use gongkai::export;
use gongkai::lang::Lang;
use gongkai::lint::Selection;

use super::args::BatchArgs;
use crate::{Run, known_rule_codes, say, say_passed_over};

pub fn run(args: BatchArgs) -> Run {
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
                )
                .into());
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
        )
        .into());
    }
    let discover_options = discover::Options {
        zips: true,
        fixed_copies: discover::FixedCopies::BesideOriginal,
        leave_out: Some(&args.output_dir),
    };
    let Discovery { reports: items, passed_over } =
        discover::discover(&args.inputs, &discover_options).map_err(|e| match e {
            // What batch is given are its inputs: the English says which of them failed, and why.
            discover::DiscoverError::NotFound(path) if lang == Lang::En => {
                format!("{path}: cannot read the input: no such file or folder")
            }
            e => e.message(lang),
        })?;
    if let Some(code) = crate::nothing_to_read(&passed_over, items.len(), lang) {
        return Ok(code);
    }
    let baseline = args.baseline.as_deref().map(gongkai::baseline::Baseline::load).transpose();
    let options = gongkai::batch::Options {
        out_dir: args.output_dir.clone(),
        formats,
        force: args.force,
        policy: Policy {
            selection: Selection { select: args.select.clone(), ignore: args.ignore.clone() },
            org_type: None,
            configs: Default::default(),
            baseline: baseline.map_err(|e| e.message(lang))?.map(std::sync::Arc::new),
        },
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
