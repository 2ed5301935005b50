//! Time per report of import + recognise + lint, in-process, on files already in memory.
//!
//!     cargo bench --bench check                      # the fixtures under fixtures/
//!     cargo bench --bench check -- DIR [DIR...]      # e.g. a corpus from ../shared/bench/make_corpus.py
//!
//! Prints, per input kind, the number of files, the mean and median time per report, reports per second on one
//! thread, and the split between reading, recognising and the rules. A benchmark, not a test: it asserts nothing about time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// The allocator the gongkai binary runs with.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("docx" | "xlsx" | "xls" | "html" | "txt" | "md")
        ) {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let dirs: Vec<PathBuf> =
        if args.is_empty() { vec![PathBuf::from("fixtures")] } else { args.iter().map(PathBuf::from).collect() };
    let mut paths = Vec::new();
    for d in &dirs {
        files_under(d, &mut paths);
    }
    paths.sort();
    for kind in ["docx", "xlsx", "xls", "html", "txt", "md"] {
        let inputs: Vec<(String, Vec<u8>)> = paths
            .iter()
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(kind))
            .filter_map(|p| std::fs::read(p).ok().map(|b| (p.display().to_string(), b)))
            .filter(|(name, b)| gongkai::import::read_bytes(name, b).is_ok())
            .collect();
        if inputs.is_empty() {
            continue;
        }
        // Repeat small sets so that each kind runs for about a second.
        let rounds = (2000 / inputs.len()).clamp(1, 200);
        let mut times: Vec<Duration> = Vec::with_capacity(rounds * inputs.len());
        let mut findings = 0usize;
        // Where the time goes: reading the file into grids, recognising the tables, running the rules.
        let mut phases = [Duration::ZERO; 3];
        for _ in 0..rounds {
            for (name, bytes) in &inputs {
                let t = Instant::now();
                let raw = gongkai::import::read_raw(name, bytes).expect("read above");
                let read = t.elapsed();
                let report = gongkai::recognize::recognize(name, raw);
                let recognised = t.elapsed();
                findings += gongkai::lint::check(&report).len();
                let done = t.elapsed();
                phases[0] += read;
                phases[1] += recognised - read;
                phases[2] += done - recognised;
                times.push(done);
            }
        }
        times.sort();
        let total: Duration = times.iter().sum();
        let mean = total / times.len() as u32;
        let median = times[times.len() / 2];
        println!(
            "{kind}: {} files × {rounds} rounds: mean {:.3} ms, median {:.3} ms per report, {:.0} reports/s on one thread ({findings} findings)",
            inputs.len(),
            mean.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            times.len() as f64 / total.as_secs_f64()
        );
        let per = |d: Duration| d.as_secs_f64() * 1e3 / times.len() as f64;
        println!(
            "{kind}:   read {:.3} ms, recognise {:.3} ms, rules {:.3} ms",
            per(phases[0]),
            per(phases[1]),
            per(phases[2])
        );
    }
}
