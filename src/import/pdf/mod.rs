//! PDF → raw paragraphs and table grids, from the text layer: the form archives publish reports in.
//!
//! hayro-interpret runs each page (`page`); the page's ruling lines make its tables and each glyph goes to the cell
//! that holds its centre (`ruling`); the glyphs outside tables become lines and paragraphs (`flow`). A table that
//! runs over a page break (table 3 nearly always does) is joined to its continuation, a repeated header row
//! dropped. Each table is a grid addressed by page, table and cell (`第3页 表3 第12行第9列`), and its cells keep
//! their boxes for the JSON model.
//!
//! What cannot be read is said, never guessed: a scanned PDF (images, no text layer), one protected by a password,
//! one cut short or damaged. A hostile PDF is bounded like the other formats: the streams a page may decode are
//! inflated under a limit first, the page count is capped, and hayro runs contained.

mod flow;
mod page;
mod ruling;

use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::hayro_syntax::object::{Object, Stream};
use hayro_interpret::kurbo::{Affine, Rect};
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, interpret_page};

use super::{ImportError, Words, limits};
use crate::raw::{Addressing, Grid, InputKind, Place, RawDocument};

/// Read a PDF's text layer into paragraphs and grids.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    if !ends_as_a_pdf(bytes) {
        return Err(ImportError::Truncated {
            path: name.to_string(),
            missing: Words::fixed("the end of the PDF (%%EOF)", "PDF 的结尾（%%EOF）"),
        });
    }
    // hayro reads damaged files as far as it can; a panic on one is a damaged file, not a crash of the run.
    crate::contained::catch(|| read_document(name, bytes)).unwrap_or_else(|_| {
        Err(ImportError::Corrupt { path: name.to_string(), detail: "the PDF's structure is damaged".into() })
    })
}

fn read_document(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        hayro_interpret::hayro_syntax::LoadPdfError::Decryption(_) => {
            ImportError::PdfEncrypted { path: name.to_string() }
        }
        hayro_interpret::hayro_syntax::LoadPdfError::Invalid => {
            ImportError::Corrupt { path: name.to_string(), detail: "not a readable PDF".into() }
        }
    })?;
    let pages = pdf.pages();
    if pages.len() > limits::MAX_PDF_PAGES {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!("{} pages, more than {}", pages.len(), limits::MAX_PDF_PAGES),
        });
    }
    check_streams(name, &pdf)?;
    let cache = InterpreterCache::new();
    let mut document = flow::Document::default();
    let mut images = 0usize;
    for (index, page) in pages.iter().enumerate() {
        let (width, height) = page.render_dimensions();
        let mut drawn = page::Page { height: f64::from(height), ..page::Page::default() };
        let bbox = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
        let mut context = Context::new(
            Affine::new(page.initial_transform(true).as_coeffs()),
            bbox,
            &cache,
            pdf.xref(),
            InterpreterSettings::default(),
        );
        interpret_page(page, &mut context, &mut drawn);
        images += drawn.images.iter().filter(|i| i.area() > 0.1 * bbox.area()).count();
        let glyphs = page::without_overprints(std::mem::take(&mut drawn.glyphs));
        let (tables, outside) = ruling::tables(&drawn.segments, glyphs);
        document.page(index as u32 + 1, &drawn, tables, outside);
    }
    if document.is_empty() {
        return Err(ImportError::Scanned { path: name.to_string(), images: images > 0 });
    }
    let property_title = pdf.metadata().title.as_deref().map(pdf_text).filter(|t| !t.trim().is_empty());
    let (paragraphs, tables) = document.finish();
    let grids = tables.into_iter().enumerate().map(|(i, t)| t.into_grid(i + 1)).collect();
    Ok(RawDocument { kind: InputKind::Pdf, paragraphs, grids, property_title, published: None })
}

/// Whether the file ends as a PDF does (`%%EOF`, perhaps followed by line breaks or padding): a download cut short
/// does not, and reading half a report would report the other half missing.
fn ends_as_a_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    memchr::memmem::rfind(tail, b"%%EOF").is_some()
}

/// A PDF text string: UTF-16 after its byte-order mark (WPS writes it little-endian), else PDFDocEncoding (read as
/// Latin-1, which it matches for the characters a title holds).
fn pdf_text(bytes: &[u8]) -> String {
    let utf16 = |pairs: &[u8], big: bool| -> String {
        let units: Vec<u16> = pairs
            .chunks_exact(2)
            .map(|p| if big { u16::from_be_bytes([p[0], p[1]]) } else { u16::from_le_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Inflate every compressed stream hayro may decode (contents, forms, fonts, CMaps) under the limits, before any is
/// decoded for real: a stream that inflates past a limit, or a file whose streams together do, is refused.
/// Images are never decoded here, and are skipped.
fn check_streams(name: &str, pdf: &Pdf) -> Result<(), ImportError> {
    use hayro_interpret::hayro_syntax::Filter;
    let mut total: u64 = 0;
    let limit = |what: String| ImportError::Limit { path: name.to_string(), limit: what };
    for object in pdf.objects() {
        let Object::Stream(stream) = object else { continue };
        let filters = stream.filters();
        if filters
            .iter()
            .any(|f| matches!(f, Filter::DctDecode | Filter::JpxDecode | Filter::Jbig2Decode | Filter::CcittFaxDecode))
        {
            continue;
        }
        let size = decoded_size(&stream, &filters, limits::MAX_PDF_STREAM.saturating_sub(total))
            .ok_or_else(|| limit(format!("streams inflate past {} MiB", limits::MAX_PDF_STREAM / 1024 / 1024)))?;
        total += size;
    }
    Ok(())
}

/// How many bytes a stream decodes to, counted without keeping them; `None` past `limit`. Flate chains are
/// inflated by flate2 in bounded steps; the other filters (ASCII, run length, LZW) grow data a bounded number of
/// times, so their input size times that bound is taken.
fn decoded_size(stream: &Stream<'_>, filters: &[hayro_interpret::hayro_syntax::Filter], limit: u64) -> Option<u64> {
    use hayro_interpret::hayro_syntax::Filter;
    let raw = stream.raw_data();
    let flates = filters.iter().filter(|f| matches!(f, Filter::FlateDecode)).count();
    if flates == 0 {
        let grown = raw.len() as u64 * if filters.iter().any(|f| matches!(f, Filter::LzwDecode)) { 8 } else { 2 };
        return (grown <= limit).then_some(grown);
    }
    // The first Flate stage is measured; a second one (a bomb's favourite) would have to be measured on the first's
    // output, which is refused instead: no writer nests Flate.
    if flates > 1 || !matches!(filters.first(), Some(Filter::FlateDecode)) {
        return (raw.len() as u64 <= limit / 200).then_some(raw.len() as u64 * 200);
    }
    let mut inflater = flate2::Decompress::new(true);
    let mut scratch = vec![0u8; 64 * 1024];
    let mut input = &raw[..];
    loop {
        let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
        let status = inflater.decompress(input, &mut scratch, flate2::FlushDecompress::None);
        input = &input[(inflater.total_in() - before_in) as usize..];
        if inflater.total_out() > limit {
            return None;
        }
        match status {
            Ok(flate2::Status::StreamEnd) => return Some(inflater.total_out()),
            Ok(_) if inflater.total_in() == before_in && inflater.total_out() == before_out => {
                // No progress: damaged or cut-short data, which hayro reads as far as it goes.
                return Some(inflater.total_out());
            }
            Ok(_) => {}
            Err(_) => return Some(inflater.total_out()),
        }
    }
}

/// A table as the pages give it, before it is a grid: rows of cells, each row on its page.
#[derive(Debug, Default)]
pub(super) struct PdfTable {
    pub cols: u32,
    /// The column boundaries of its first part, to match a continuation against.
    pub xs: Vec<f64>,
    pub pages: Vec<u32>,
    pub texts: Vec<String>,
    pub anchors: Vec<(u32, u32)>,
    pub boxes: Vec<Rect>,
}

impl PdfTable {
    /// One page's table.
    pub fn from_page(page: u32, table: &ruling::Table) -> PdfTable {
        let (rows, cols) = (table.rows(), table.cols());
        let mut boxes = Vec::with_capacity((rows * cols) as usize);
        for r in 0..rows {
            for c in 0..cols {
                let (ar, ac) = table.anchor(r, c);
                boxes.push(table.cell_box(ar, ac));
            }
        }
        PdfTable {
            cols,
            xs: table.xs.clone(),
            pages: vec![page; rows as usize],
            texts: table.texts.clone(),
            anchors: table.anchors.clone(),
            boxes,
        }
    }

    fn rows(&self) -> u32 {
        self.pages.len() as u32
    }

    fn row_texts(&self, r: u32) -> Vec<String> {
        (0..self.cols)
            .map(|c| {
                let (ar, ac) = self.anchors[(r * self.cols + c) as usize];
                crate::normalize::label(&self.texts[(ar * self.cols + ac) as usize])
            })
            .collect()
    }

    /// Whether `next` (a table at the top of the next page) continues this one: the same columns.
    pub fn continues_into(&self, next: &PdfTable) -> bool {
        self.cols == next.cols && self.xs.iter().zip(&next.xs).all(|(a, b)| (a - b).abs() < 3.0)
    }

    /// Append a continuation, leaving out its first rows where they repeat this table's header.
    pub fn append(&mut self, next: PdfTable) {
        let repeated =
            (0..next.rows().min(self.rows())).take_while(|&r| next.row_texts(r) == self.row_texts(r)).count();
        // Rows merged with a dropped row would lose their anchor: only whole rows are dropped.
        let skip = repeated as u32;
        let offset = self.rows();
        for r in skip..next.rows() {
            self.pages.push(next.pages[r as usize]);
            for c in 0..next.cols {
                let i = (r * next.cols + c) as usize;
                let (ar, ac) = next.anchors[i];
                let ar = ar.max(skip);
                self.anchors.push((ar - skip + offset, ac));
                self.texts.push(next.texts[i].clone());
                self.boxes.push(next.boxes[i]);
            }
        }
    }

    fn into_grid(self, index: usize) -> Grid {
        let rows = self.rows();
        let mut grid = Grid::new(Addressing::PdfTable { index, pages: self.pages.clone() }, rows, self.cols);
        for r in 0..rows {
            for c in 0..self.cols {
                let i = (r * self.cols + c) as usize;
                let (ar, ac) = self.anchors[i];
                if (ar, ac) == (r, c) {
                    if let Some(cell) = grid.get_mut(r, c) {
                        cell.text = crate::import::bound_text(self.texts[i].clone());
                    }
                } else if let Some(cell) = grid.get_mut(r, c) {
                    cell.merged_into = Some((ar, ac));
                }
            }
        }
        grid.places = (0..rows as usize * self.cols as usize)
            .map(|i| {
                let b = self.boxes[i];
                Place {
                    page: self.pages[i / self.cols as usize],
                    bbox: [b.x0 as f32, b.y0 as f32, b.x1 as f32, b.y1 as f32],
                }
            })
            .collect();
        grid
    }
}
