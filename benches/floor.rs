//! The floor a report reader cannot beat: read each file, inflate every XML part and tokenise it with quick-xml,
//! building nothing. Also the cost of rust_xlsxwriter writing one report-sized workbook.
//!
//!     cargo bench --bench floor -- DIR [THREADS]        # files/s of the floor over DIR
//!     cargo bench --bench floor -- --write N [THREADS]  # files/s of writing N standard workbooks
//!
//! Used by bench/run.sh; prints one line `floor: N files in S s = R files/s`.

use std::io::Read;
use std::time::Instant;

use rayon::prelude::*;

fn tokenise(bytes: &[u8]) -> usize {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return 0 };
    let mut events = 0;
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else { continue };
        if !entry.name().is_ok_and(|n| n.ends_with(".xml") || n.ends_with(".rels")) {
            continue;
        }
        let mut xml = Vec::new();
        if entry.read_to_end(&mut xml).is_err() {
            continue;
        }
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let threads = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(1);
    let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    if args.first().map(String::as_str) == Some("--write") {
        let n: usize = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(500);
        let threads = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(1);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let report = gongkai::model::Report::blank("测试局2023年度政府信息公开工作年度报告".into(), Some(2023));
        let start = Instant::now();
        let bytes: usize = pool.install(|| {
            (0..n)
                .into_par_iter()
                .map(|_| gongkai::export::render(&report, gongkai::export::Format::Xlsx, &[]).map_or(0, |b| b.len()))
                .sum()
        });
        let s = start.elapsed().as_secs_f64();
        println!("write-xlsx: {n} files in {s:.2} s = {:.0} files/s ({threads} threads, {bytes} bytes)", n as f64 / s);
        return;
    }
    let dir = args.first().cloned().unwrap_or_else(|| "fixtures".into());
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("docx" | "xlsx")))
        .collect();
    files.sort();
    let start = Instant::now();
    let events: usize = files.par_iter().map(|p| std::fs::read(p).map_or(0, |b| tokenise(&b))).sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "floor: {} files in {s:.2} s = {:.0} files/s ({threads} threads, {events} XML events)",
        files.len(),
        files.len() as f64 / s
    );
}
