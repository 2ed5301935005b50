//! The trial that chose gongkai's PDF reader (bench/PDF.md): each candidate crate reads each PDF given, and the trial
//! says whether the Chinese text came out right, whether the glyph positions agree with poppler's (`pdftotext
//! -bbox`, an independent reader), how long a page takes (median of 5 runs), and whether the crate panicked.
//!
//!     cargo run --release --manifest-path bench/pdf-trial/Cargo.toml -- ../shared/corpus/real/*.pdf
//!
//! Needs poppler-utils (`pdftotext`). Not part of gongkai's build or tests.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// A glyph as a candidate gives it: its text and where it stands (its left edge, and its top or its baseline), in
/// points from the page's top-left corner.
#[derive(Clone, Debug)]
struct Glyph {
    page: usize,
    text: String,
    x: f64,
    y: f64,
}

/// Phrases every report's text holds: the tables' labels, set in the embedded CJK fonts.
const PHRASES: &[&str] = &["政府信息公开", "本年新收政府信息公开申请数量", "行政复议", "结转下年度继续办理", "本年制发件数"];

fn main() {
    if let Ok(w) = std::env::var("DUMP") { dump(&std::env::args().nth(1).unwrap(), w.parse().unwrap()); return; }
    if std::env::var("DEBUG").is_ok() { debug(&std::env::args().nth(1).unwrap()); return; }
    let files: Vec<String> = std::env::args().skip(1).collect();
    println!("| file | crate | pages | glyphs | CJK text right | positions right | ms per page | panicked |");
    println!("|---|---|---|---|---|---|---|---|");
    for file in &files {
        let data = std::fs::read(file).expect("the PDF");
        let poppler = poppler_words(file);
        let name = std::path::Path::new(file).file_name().unwrap().to_string_lossy().to_string();
        for (crate_name, read) in candidates() {
            let mut times = Vec::new();
            let mut result = None;
            let mut panicked = false;
            for _ in 0..5 {
                let start = Instant::now();
                match catch_unwind(AssertUnwindSafe(|| read(&data))) {
                    Ok(r) => result = Some(r),
                    Err(_) => panicked = true,
                }
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            let (pages, glyphs) = match result {
                Some(Ok((pages, glyphs))) => (pages, glyphs),
                Some(Err(e)) => {
                    println!("| {name} | {crate_name} | error: {e} | | | | | {panicked} |");
                    continue;
                }
                None => {
                    println!("| {name} | {crate_name} | | | | | | yes |");
                    continue;
                }
            };
            let text: String = glyphs.iter().map(|g| g.text.as_str()).collect::<String>().split_whitespace().collect();
            let found = PHRASES.iter().filter(|p| text.contains(*p)).count();
            let positions = compare_positions(&glyphs, &poppler);
            println!(
                "| {name} | {crate_name} | {pages} | {} | {found}/{} phrases | {positions} | {:.1} | {} |",
                glyphs.len(),
                PHRASES.len(),
                times[2] / pages.max(1) as f64,
                if panicked { "yes" } else { "no" }
            );
        }
    }
}

type Reader = fn(&[u8]) -> Result<(usize, Vec<Glyph>), String>;

fn candidates() -> Vec<(&'static str, Reader)> {
    vec![
        ("hayro-interpret 0.9", hayro as Reader),
        ("pdf-extract 0.12", pdf_extract_glyphs as Reader),
        ("pdf_oxide 0.3", pdf_oxide_chars as Reader),
        ("oxidize-pdf 5.5", oxidize as Reader),
        ("lopdf 0.47 extract_text", lopdf_text as Reader),
    ]
}

/// Poppler's words with their boxes (`pdftotext -bbox`): (page, word, x_min, y_min, y_max).
fn poppler_words(file: &str) -> Vec<(usize, String, f64, f64, f64)> {
    let out = std::process::Command::new("pdftotext").args(["-bbox", file, "-"]).output().expect("pdftotext");
    let html = String::from_utf8_lossy(&out.stdout);
    let mut words = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        }
        if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f64 {
                let at = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                rest[at..rest[at..].find('"').unwrap() + at].parse().unwrap()
            };
            let word = rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
            words.push((page, word, attr("xMin"), attr("yMin"), attr("yMax")));
        }
    }
    words
}

/// How many of poppler's CJK words start where a candidate's glyph of the same character stands: within 2 points of
/// the word's left edge, and inside the word's box from top to bottom (a candidate may give a glyph's top or its
/// baseline).
fn compare_positions(glyphs: &[Glyph], poppler: &[(usize, String, f64, f64, f64)]) -> String {
    let words: Vec<_> = poppler.iter().filter(|(_, w, ..)| w.chars().next().is_some_and(|c| c as u32 >= 0x4E00)).collect();
    if words.is_empty() {
        return "—".into();
    }
    let matched = words
        .iter()
        .filter(|(page, word, x, top, bottom)| {
            let first = word.chars().next().unwrap().to_string();
            glyphs.iter().any(|g| {
                g.page == *page && g.text == first && (g.x - x).abs() < 2.0 && g.y >= top - 2.0 && g.y <= bottom + 2.0
            })
        })
        .count();
    format!("{:.0}% of {} words", 100.0 * matched as f64 / words.len() as f64, words.len())
}

// ---------------------------------------------------------------- hayro-interpret

fn hayro(data: &[u8]) -> Result<(usize, Vec<Glyph>), String> {
    use hayro_interpret::font::GlyphRun;
    use hayro_interpret::kurbo::{Affine, BezPath, Point, Rect};
    use hayro_interpret::{
        BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache,
        InterpreterSettings, SoftMask, interpret_page,
    };
    struct Collect {
        page: usize,
        height: f64,
        glyphs: Vec<Glyph>,
    }
    impl Device<'_> for Collect {
        fn draw_path(&mut self, _: &BezPath, _: DrawProps<'_>, _: &DrawMode) {}
        fn push_clip_path(&mut self, _: &ClipPath) {}
        fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'_>>, _: BlendMode) {}
        fn draw_glyph_run(&mut self, run: &GlyphRun<'_, '_>, props: DrawProps<'_>, _: &DrawMode) {
            for glyph in run.glyphs() {
                let Some(text) = glyph.as_unicode() else { continue };
                let text = match text {
                    hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
                    hayro_interpret::hayro_cmap::BfString::String(s) => s,
                };
                let flip = Affine::translate((0.0, self.height)) * Affine::scale_non_uniform(1.0, -1.0);
                let transform = flip * props.transform * glyph.transform();
                let origin = transform * Point::ZERO;
                self.glyphs.push(Glyph { page: self.page, text, x: origin.x, y: origin.y });
            }
        }
        fn pop_clip(&mut self) {}
        fn pop_transparency_group(&mut self) {}
        fn draw_image(&mut self, _: Image<'_, '_>, _: ImageDrawProps<'_>) {}
    }
    let pdf = hayro_syntax::Pdf::new(data.to_vec()).map_err(|e| format!("{e:?}"))?;
    let cache = InterpreterCache::new();
    let mut glyphs = Vec::new();
    let pages = pdf.pages();
    for (i, page) in pages.iter().enumerate() {
        let settings = InterpreterSettings::default();
        let mut context = Context::new(Affine::IDENTITY, Rect::new(0.0, 0.0, 1.0, 1.0), &cache, pdf.xref(), settings);
        let mut device = Collect { page: i + 1, height: page.render_dimensions().1 as f64, glyphs: Vec::new() };
        interpret_page(page, &mut context, &mut device);
        glyphs.extend(device.glyphs);
    }
    Ok((pages.len(), glyphs))
}

// ---------------------------------------------------------------- pdf-extract

fn pdf_extract_glyphs(data: &[u8]) -> Result<(usize, Vec<Glyph>), String> {
    use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
    struct Collect {
        page: usize,
        height: f64,
        glyphs: Vec<Glyph>,
    }
    impl OutputDev for Collect {
        fn begin_page(&mut self, n: u32, media: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
            self.page = n as usize;
            self.height = media.ury - media.lly;
            Ok(())
        }
        fn end_page(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn output_character(&mut self, trm: &Transform, _: f64, _: f64, size: f64, ch: &str) -> Result<(), OutputError> {
            let _ = size;
            self.glyphs.push(Glyph { page: self.page, text: ch.to_string(), x: trm.m31, y: self.height - trm.m32 });
            Ok(())
        }
        fn begin_word(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn end_word(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn end_line(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
    }
    let doc = pdf_extract::Document::load_mem(data).map_err(|e| e.to_string())?;
    let pages = doc.get_pages().len();
    let mut out = Collect { page: 0, height: 842.0, glyphs: Vec::new() };
    pdf_extract::output_doc(&doc, &mut out).map_err(|e| e.to_string())?;
    Ok((pages, out.glyphs))
}

// ---------------------------------------------------------------- pdf_oxide

fn pdf_oxide_chars(data: &[u8]) -> Result<(usize, Vec<Glyph>), String> {
    let doc = pdf_oxide::PdfDocument::from_bytes(data.to_vec()).map_err(|e| e.to_string())?;
    let pages = doc.page_count().map_err(|e| e.to_string())?;
    let mut glyphs = Vec::new();
    for i in 0..pages {
        for c in doc.extract_chars(i).map_err(|e| e.to_string())? {
            // pdf_oxide's boxes are in PDF space (origin bottom-left).
            let top = 842.0 - (c.bbox.y + c.bbox.height) as f64;
            glyphs.push(Glyph { page: i + 1, text: c.char.to_string(), x: c.bbox.x as f64, y: top });
        }
    }
    Ok((pages, glyphs))
}

// ---------------------------------------------------------------- oxidize-pdf

fn oxidize(data: &[u8]) -> Result<(usize, Vec<Glyph>), String> {
    use oxidize_pdf::parser::{PdfDocument, PdfReader};
    use oxidize_pdf::text::extraction::{ExtractionOptions, TextExtractor};
    let reader = PdfReader::new(std::io::Cursor::new(data.to_vec())).map_err(|e| e.to_string())?;
    let doc = PdfDocument::new(reader);
    let pages = doc.page_count().map_err(|e| e.to_string())? as usize;
    let options = ExtractionOptions { preserve_layout: true, ..Default::default() };
    let mut extractor = TextExtractor::with_options(options);
    let mut glyphs = Vec::new();
    for i in 0..pages {
        let page = extractor.extract_from_page(&doc, i as u32).map_err(|e| e.to_string())?;
        for f in page.fragments {
            // One fragment per run of text: its characters spread evenly over its width.
            let n = f.text.chars().count().max(1) as f64;
            for (k, ch) in f.text.chars().enumerate() {
                let x = f.x + f.width * k as f64 / n;
                glyphs.push(Glyph { page: i + 1, text: ch.to_string(), x, y: 842.0 - f.y - f.font_size });
            }
        }
    }
    Ok((pages, glyphs))
}

// ---------------------------------------------------------------- lopdf

fn lopdf_text(data: &[u8]) -> Result<(usize, Vec<Glyph>), String> {
    let doc = lopdf::Document::load_mem(data).map_err(|e| e.to_string())?;
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&numbers).map_err(|e| e.to_string())?;
    // No positions: every character at the origin.
    let glyphs = text.chars().map(|c| Glyph { page: 1, text: c.to_string(), x: -100.0, y: -100.0 }).collect();
    Ok((numbers.len(), glyphs))
}

#[allow(dead_code)]
pub fn debug(file: &str) {
    let data = std::fs::read(file).unwrap();
    let poppler = poppler_words(file);
    for (name, read) in candidates() {
        let (_, glyphs) = read(&data).unwrap();
        let g: Vec<_> = glyphs.iter().filter(|g| g.page == 1 && g.text.chars().next().is_some_and(|c| c as u32 >= 0x4E00)).take(3).collect();
        println!("{name}: {:?}", g);
    }
    println!("poppler: {:?}", poppler.iter().filter(|w| w.0 == 1).take(3).collect::<Vec<_>>());
}

#[allow(dead_code)]
pub fn dump(file: &str, which: usize) {
    let data = std::fs::read(file).unwrap();
    let (_, read) = candidates()[which];
    let (_, glyphs) = read(&data).unwrap();
    let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
    println!("{text}");
}
