//! The floor of reading a report: read each file, inflate every XML part and tokenise it with quick-xml, building
//! nothing. The zip crate inflates the parts, as `../shared/bench/README.md` defines the floor; with `--libdeflate`,
//! libdeflate inflates each part whole as gongkai's readers do, the lower floor. Also the cost of rust_xlsxwriter
//! writing one report-sized workbook.
//!
//!     cargo bench --bench floor -- DIR [THREADS] [--libdeflate]  # files/s of the floor over DIR
//!     cargo bench --bench floor -- --write N [THREADS] [REPORT] [OUTDIR]  # files/s of writing N workbooks of REPORT
//!     cargo bench --bench floor -- --write-each DIR [THREADS] [OUTDIR]    # files/s of writing each report of DIR once
//!
//! Used by bench/run.sh; prints one line `floor: N files in S s = R files/s`.

use std::io::Read;
use std::time::Instant;

use rayon::prelude::*;

// The allocator gongkai itself runs with, so that the floor and the writer's cost compare like with like.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The XML events of every part of a zip, each part inflated by the zip crate, or whole by libdeflate when given.
fn tokenise(bytes: &[u8], mut libdeflate: Option<&mut libdeflater::Decompressor>) -> usize {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return 0 };
    let mut events = 0;
    for i in 0..zip.len() {
        let xml = match libdeflate.as_deref_mut() {
            None => {
                let Ok(mut entry) = zip.by_index(i) else { continue };
                if !is_xml(entry.name()) {
                    continue;
                }
                let mut xml = Vec::new();
                if entry.read_to_end(&mut xml).is_err() {
                    continue;
                }
                xml
            }
            Some(inflater) => {
                let Ok(mut entry) = zip.by_index_raw(i) else { continue };
                if !is_xml(entry.name()) {
                    continue;
                }
                let (method, size) = (entry.compression(), entry.size() as usize);
                let mut raw = Vec::new();
                if entry.read_to_end(&mut raw).is_err() {
                    continue;
                }
                if method != zip::CompressionMethod::Deflated {
                    raw
                } else {
                    let mut xml = vec![0; size];
                    let Ok(len) = inflater.deflate_decompress(&raw, &mut xml) else { continue };
                    xml.truncate(len);
                    xml
                }
            }
        };
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                Ok(_) => events += 1,
            }
            buf.clear();
        }
    }
    events
}

fn is_xml(name: Result<std::borrow::Cow<str>, zip::result::ZipError>) -> bool {
    name.is_ok_and(|n| n.ends_with(".xml") || n.ends_with(".rels"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let libdeflate = args.iter().any(|a| a == "--libdeflate");
    let args: Vec<String> = args.into_iter().filter(|a| a != "--libdeflate").collect();
    if args.first().map(String::as_str) == Some("--write") {
        let n: usize = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(500);
        let threads = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(1);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        // The report written: one given (e.g. a corpus report, with its values and text), or the blank standard one.
        let report = match args.get(3) {
            Some(path) => gongkai::import::read(std::path::Path::new(path)).expect("a readable report"),
            None => gongkai::model::Report::blank("测试局2023年度政府信息公开工作年度报告".into(), Some(2023)),
        };
        // Written to files, as a writer's cost includes putting the workbook on disk: into OUTDIR when given (and
        // left there, as deleting thousands of files slows the next ones created), else a temporary folder.
        let temporary = tempfile::tempdir().expect("temporary folder");
        let out = args.get(4).map_or(temporary.path().to_path_buf(), std::path::PathBuf::from);
        std::fs::create_dir_all(&out).expect("output folder");
        let start = Instant::now();
        let bytes: usize = pool.install(|| {
            (0..n)
                .into_par_iter()
                .map(|i| {
                    let bytes = gongkai::export::render(&report, gongkai::export::Format::Xlsx, &[]).expect("render");
                    std::fs::write(out.join(format!("{i}.xlsx")), &bytes).expect("write");
                    bytes.len()
                })
                .sum()
        });
        let s = start.elapsed().as_secs_f64();
        println!("write-xlsx: {n} files in {s:.2} s = {:.0} files/s ({threads} threads, {bytes} bytes)", n as f64 / s);
        return;
    }
    if args.first().map(String::as_str) == Some("--write-each") {
        // The writer's cost on the reports of a corpus, each written once: the reports are read first, untimed, and
        // only rendering and writing them is timed (one report written over and over stays warm in the caches and
        // the branch predictors, which a batch's varied reports do not).
        let dir = args.get(1).cloned().unwrap_or_else(|| "fixtures".into());
        let threads = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(1);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let reports: Vec<gongkai::model::Report> =
            report_files(&dir).iter().filter_map(|p| gongkai::import::read(p).ok()).collect();
        let temporary = tempfile::tempdir().expect("temporary folder");
        let out = args.get(3).map_or(temporary.path().to_path_buf(), std::path::PathBuf::from);
        std::fs::create_dir_all(&out).expect("output folder");
        let start = Instant::now();
        let bytes: usize = pool.install(|| {
            reports
                .par_iter()
                .enumerate()
                .map(|(i, report)| {
                    let bytes = gongkai::export::render(report, gongkai::export::Format::Xlsx, &[]).expect("render");
                    std::fs::write(out.join(format!("{i}.xlsx")), &bytes).expect("write");
                    bytes.len()
                })
                .sum()
        });
        let s = start.elapsed().as_secs_f64();
        let n = reports.len();
        println!("write-xlsx: {n} files in {s:.2} s = {:.0} files/s ({threads} threads, {bytes} bytes)", n as f64 / s);
        return;
    }
    let threads = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(1);
    let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    let dir = args.first().cloned().unwrap_or_else(|| "fixtures".into());
    let files = report_files(&dir);
    let start = Instant::now();
    let events: usize = files
        .par_iter()
        .map_init(libdeflater::Decompressor::new, |inflater, p| {
            std::fs::read(p).map_or(0, |b| tokenise(&b, libdeflate.then_some(inflater)))
        })
        .sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "floor: {} files in {s:.2} s = {:.0} files/s ({threads} threads, {events} XML events)",
        files.len(),
        files.len() as f64 / s
    );
}

/// The DOCX and XLSX files under a folder, sorted.
fn report_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("docx" | "xlsx")))
        .collect();
    files.sort();
    files
}
