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
mod layout;
mod page;
mod ruling;

use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::hayro_syntax::object::{Object, Stream};
use hayro_interpret::kurbo::{Affine, Rect};
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, interpret_page};

use std::sync::Arc;

use super::{ImportError, Words, limits};
use crate::raw::{Addressing, Grid, InputKind, Place, RawDocument};

/// The share of a page an image must cover to be taken for a table pasted as a picture (a logo or a seal is less).
const LARGE_IMAGE: f64 = 0.08;

/// How many pages share hayro's cache of parsed fonts and resources.
const PAGES_PER_CACHE: usize = 8;

/// Read a PDF's text layer into paragraphs and grids.
pub(crate) fn read(name: &str, bytes: Arc<Vec<u8>>) -> Result<RawDocument, ImportError> {
    if !ends_as_a_pdf(&bytes) {
        return Err(ImportError::Truncated {
            path: name.to_string(),
            missing: Words::fixed("the end-of-file marker of the PDF (%%EOF)", "文件末尾的 PDF 结束标记（%%EOF）"),
        });
    }
    // hayro reads damaged files as far as it can; a panic on one is a damaged file, not a crash of the run.
    crate::contained::catch(|| read_document(name, bytes)).unwrap_or_else(|_| {
        Err(ImportError::Corrupt { path: name.to_string(), detail: "the PDF's structure is damaged".into() })
    })
}

fn read_document(name: &str, bytes: Arc<Vec<u8>>) -> Result<RawDocument, ImportError> {
    let pdf = Pdf::new(bytes).map_err(|e| match e {
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
            limit: Words::owned(
                format!("{} pages, more than {}", pages.len(), limits::MAX_PDF_PAGES),
                format!("{} 页，超过 {} 页", pages.len(), limits::MAX_PDF_PAGES),
            ),
        });
    }
    check_streams(name, &pdf)?;
    let mut cache = InterpreterCache::new();
    let mut document = flow::Document::default();
    let mut images = 0usize;
    let mut pages_with_large_images = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        // The cache keeps the fonts a page used for the next; in a long PDF of many documents (a yearbook of
        // reports joined into one file) it would keep every one's fonts: a fresh cache every few pages bounds the
        // memory (853 pages of 100 reports: 115 MB with one cache, 68 MB with a cache per 8 pages, time alike).
        if index % PAGES_PER_CACHE == 0 {
            cache = InterpreterCache::new();
        }
        let (width, height) = page.render_dimensions();
        let mut drawn = page::Page::new(f64::from(height));
        let bbox = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
        let mut context = Context::new(
            Affine::new(page.initial_transform(true).as_coeffs()),
            bbox,
            &cache,
            pdf.xref(),
            InterpreterSettings::default(),
        );
        interpret_page(page, &mut context, &mut drawn);
        if drawn.overflowed() {
            return Err(ImportError::Limit {
                path: name.to_string(),
                limit: Words::owned(
                    format!("page {} draws more than {} glyphs and lines", index + 1, limits::MAX_PDF_PAGE_ITEMS),
                    format!("第{}页的文字和线条超过 {} 个", index + 1, limits::MAX_PDF_PAGE_ITEMS),
                ),
            });
        }
        images += drawn.images.len();
        let page_area = f64::from(width) * f64::from(height);
        if drawn.images.iter().any(|r| r.area().abs() >= LARGE_IMAGE * page_area) {
            pages_with_large_images.push((index + 1).to_string());
        }
        let glyphs = page::without_overprints(std::mem::take(&mut drawn.glyphs));
        let (tables, outside) = ruling::tables(&drawn.segments, glyphs).ok_or_else(|| ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("page {} draws a table of more than {} cells", index + 1, limits::MAX_PDF_TABLE_CELLS),
                format!("第{}页的表格超过 {} 个单元格", index + 1, limits::MAX_PDF_TABLE_CELLS),
            ),
        })?;
        document.page(index as u32 + 1, &drawn, tables, outside);
    }
    if document.is_empty() {
        return Err(ImportError::Scanned { path: name.to_string(), images: images > 0 });
    }
    let property_title = pdf.metadata().title.as_deref().map(pdf_text).filter(|t| !t.trim().is_empty());
    let (paragraphs, tables) = document.finish();
    // Text but not one table, and pictures the size of a table: the tables were pasted as images.
    if tables.is_empty() && !pages_with_large_images.is_empty() {
        return Err(ImportError::TablesAsImages { path: name.to_string(), pages: pages_with_large_images.join("、") });
    }
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
    let limit = |what: Words| ImportError::Limit { path: name.to_string(), limit: what };
    for object in pdf.objects() {
        let Object::Stream(stream) = object else { continue };
        let filters = stream.filters();
        if filters
            .iter()
            .any(|f| matches!(f, Filter::DctDecode | Filter::JpxDecode | Filter::Jbig2Decode | Filter::CcittFaxDecode))
        {
            continue;
        }
        let left = limits::MAX_PDF_STREAM.saturating_sub(total);
        let size = decoded_size(&stream, &filters, left.min(limits::MAX_PDF_ONE_STREAM)).ok_or_else(|| {
            let (all, one) = (limits::MAX_PDF_STREAM / 1024 / 1024, limits::MAX_PDF_ONE_STREAM / 1024 / 1024);
            limit(if left <= limits::MAX_PDF_ONE_STREAM {
                Words::owned(format!("streams inflate past {all} MiB"), format!("数据流解压后超过 {all} MiB"))
            } else {
                Words::owned(format!("a stream inflates past {one} MiB"), format!("一个数据流解压后超过 {one} MiB"))
            })
        })?;
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
#[derive(Debug, Default, Clone)]
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

    /// The column boundaries of this table and of `next` (a table at the top of the next page) together, when
    /// `next` continues this one: the same outer edges, and most of the boundaries of the one with fewer columns
    /// found in the other (a header part with merged label columns over a body that splits them).
    pub fn shared_columns(&self, next: &PdfTable) -> Option<Vec<f64>> {
        const NEAR: f64 = 3.0;
        let near = |a: f64, b: f64| (a - b).abs() < NEAR;
        let (a, b) = (&self.xs, &next.xs);
        let outer = near(a[0], b[0]) && near(a[a.len() - 1], b[b.len() - 1]);
        let (fewer, more) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let matched = fewer.iter().filter(|x| more.iter().any(|y| near(**x, *y))).count();
        if !outer || (matched as f64) < 0.6 * fewer.len() as f64 {
            return None;
        }
        let mut union: Vec<f64> = more.clone();
        union.extend(fewer.iter().filter(|x| !more.iter().any(|y| near(**x, *y))));
        union.sort_by(f64::total_cmp);
        Some(union)
    }

    /// This table on finer column boundaries (`union`, which holds its own): a cell spanning several of the new
    /// columns becomes a merged cell.
    fn refined(self, union: &[f64]) -> PdfTable {
        let column = |x: f64| union.iter().position(|u| (u - x).abs() < 3.0).unwrap_or(0) as u32;
        let starts: Vec<u32> = self.xs.iter().map(|&x| column(x)).collect();
        let cols = union.len() as u32 - 1;
        let rows = self.rows();
        let n = (rows * cols) as usize;
        let (mut texts, mut anchors, mut boxes) = (vec![String::new(); n], vec![(0, 0); n], vec![Rect::ZERO; n]);
        for r in 0..rows {
            for c in 0..self.cols {
                let i = (r * self.cols + c) as usize;
                let (ar, ac) = self.anchors[i];
                for k in starts[c as usize]..starts[c as usize + 1].max(starts[c as usize] + 1).min(cols) {
                    let j = (r * cols + k) as usize;
                    anchors[j] = (ar, starts[ac as usize]);
                    boxes[j] = self.boxes[i];
                    if k == starts[c as usize] {
                        texts[j] = self.texts[i].clone();
                    }
                }
            }
        }
        PdfTable { cols, xs: union.to_vec(), pages: self.pages, texts, anchors, boxes }
    }

    /// Append a continuation (`union`: the shared column boundaries). Its first rows are left out where they repeat
    /// this table's header; a row the page break cut in two (its label's end on the next page, its other cells
    /// empty there) is joined back; an empty sliver of a row this table ends with is dropped.
    pub fn append(&mut self, next: PdfTable, union: &[f64]) {
        if self.cols as usize + 1 != union.len() {
            let this = std::mem::take(self);
            *self = this.refined(union);
        }
        let next = if next.cols as usize + 1 != union.len() { next.refined(union) } else { next };
        let mut skip =
            (0..next.rows().min(self.rows())).take_while(|&r| next.row_texts(r) == self.row_texts(r)).count() as u32;
        while self.rows() > 0 && self.row_is_empty(self.rows() - 1) {
            self.drop_last_row();
        }
        let mut joined_row = None;
        if skip < next.rows() && self.rows() > 0 && next.continues_row(skip, self, self.rows() - 1) {
            let last = self.rows() - 1;
            joined_row = Some(skip);
            for c in 0..next.cols {
                let text = &next.texts[(skip * next.cols + c) as usize];
                if text.is_empty() {
                    continue;
                }
                let (ar, ac) = self.anchors[(last * self.cols + c) as usize];
                let target = &mut self.texts[(ar * self.cols + ac) as usize];
                if !target.is_empty() {
                    target.push('\n');
                }
                target.push_str(text);
            }
            skip += 1;
        }
        let offset = self.rows();
        // The anchor in this table of a merged cell the page break cut: the one its last row shows in that column.
        let above = |this: &PdfTable, c: u32| {
            let anchor = this.anchors[((offset - 1) * this.cols + c) as usize];
            (anchor.1 == c).then_some(anchor)
        };
        let mut carried = Vec::new();
        for r in skip..next.rows() {
            self.pages.push(next.pages[r as usize]);
            for c in 0..next.cols {
                let i = (r * next.cols + c) as usize;
                let (ar, ac) = next.anchors[i];
                // A cell merged into the row joined back goes on with the merged cell that row continued.
                let anchor = match (joined_row, offset > 0) {
                    (Some(joined), true) if ar == joined && (ar, ac) != (r, c) => above(self, ac),
                    _ => None,
                };
                self.anchors.push(anchor.unwrap_or((ar.max(skip) - skip + offset, ac)));
                self.texts.push(if anchor.is_some() { String::new() } else { next.texts[i].clone() });
                self.boxes.push(next.boxes[i]);
            }
        }
        // An empty cell that opens the continuation under a merged cell, or that is merged over several rows itself,
        // is the rest of the merged cell above it (a label such as （三）不予公开 spanning the break), not a cell of its
        // own. An empty count under a one-row cell stays a blank of its own.
        if offset > 0 && offset < self.rows() {
            for c in 0..self.cols {
                let i = (offset * self.cols + c) as usize;
                if self.anchors[i] != (offset, c) || !self.texts[i].trim().is_empty() {
                    continue;
                }
                if let Some(anchor) = above(self, c).filter(|a| a.0 + 1 < offset || self.spans_down(offset, c)) {
                    carried.push(((offset, c), anchor));
                }
            }
        }
        for (from, to) in carried {
            for anchor in self.anchors.iter_mut().filter(|a| **a == from) {
                *anchor = to;
            }
        }
    }

    /// The cell anchored at row `r`, column `c` covers more than its row.
    fn spans_down(&self, r: u32, c: u32) -> bool {
        r + 1 < self.rows() && self.anchors[((r + 1) * self.cols + c) as usize] == (r, c)
    }

    fn row_is_empty(&self, r: u32) -> bool {
        (0..self.cols).all(|c| {
            let i = (r * self.cols + c) as usize;
            self.anchors[i] != (r, c) || self.texts[i].trim().is_empty()
        }) && (0..self.cols).all(|c| self.anchors[(r * self.cols + c) as usize].0 == r || r > 0)
    }

    fn drop_last_row(&mut self) {
        let n = ((self.rows() - 1) * self.cols) as usize;
        self.pages.pop();
        self.texts.truncate(n);
        self.anchors.truncate(n);
        self.boxes.truncate(n);
    }

    /// Whether row `r` of this table (the first of a page) is the rest of row `last` of `previous`, which a page
    /// break cut in two: it has text only in cells where that row has some, it lacks some that row has, and none of
    /// its texts starts a row of its own (`3.`, `（五）`).
    fn continues_row(&self, r: u32, previous: &PdfTable, last: u32) -> bool {
        let text_at = |t: &PdfTable, r: u32, c: u32| -> Option<String> {
            let i = (r * t.cols + c) as usize;
            let (ar, ac) = t.anchors[i];
            // A cell merged down from a row above holds the text of that row.
            (ar == r).then(|| t.texts[(ar * t.cols + ac) as usize].trim().to_string())
        };
        let mut some = false;
        let mut lacks = false;
        for c in 0..self.cols {
            let own = text_at(self, r, c).unwrap_or_default();
            let before = text_at(previous, last, c);
            if !own.is_empty() {
                some = true;
                if before.as_deref() == Some("") || flow::starts_a_row(&own) {
                    return false;
                }
            } else if before.is_some_and(|b| !b.is_empty()) {
                lacks = true;
            }
        }
        some && lacks
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
                    bbox: [b.x0, b.y0, b.x1, b.y1].map(|v| (v * 100.0).round() / 100.0),
                }
            })
            .collect();
        grid
    }
}
