//! Import: bytes → [`RawDocument`] → (shared [`recognize`](crate::recognize)) → [`Report`].
//!
//! This module sniffs what a file really is (its bytes win over its extension), applies the size limits, and
//! dispatches to one module per format. A format module only turns bytes into paragraphs and grids with
//! merges resolved; all label matching and number parsing happen once, in the recogniser.

mod archive;
mod docx;
mod error;
mod html;
mod inflate;
mod pdf;
mod pipe;
mod sniff;
mod text;
mod web;
mod xls;
mod xlsx;
mod xml;
mod zip;

use std::io::Read;
use std::path::Path;

use crate::model::Report;
use crate::raw::{InputKind, RawDocument};

pub(crate) use archive::reports_among;
pub(crate) use archive::{FoundZip, ZipOfReports, is_zip_path};
pub(crate) use error::source_not;
pub use error::{ImportError, Words, readable_formats};
pub use sniff::{EXTENSIONS, is_report_name, published_form};
pub(crate) use sniff::{Sniffed, contains_utf16, sniff};
pub(crate) use xlsx::{resolve_part, workbook_parts};
pub(crate) use xml::{bound_text, enter_element, event_text, into_text, local_name, local_part, push_bounded};
pub(crate) use zip::{Archive, read_part, read_part_bytes, zip_kind};

/// Limits that keep hostile input bounded in time and memory.
pub mod limits {
    /// The largest input file read, in bytes.
    pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
    /// The most entries a zip container may have.
    pub const MAX_ZIP_ENTRIES: usize = 10_000;
    /// The largest total declared uncompressed size of a zip container.
    pub const MAX_ZIP_INFLATED: u64 = 512 * 1024 * 1024;
    /// The largest compression ratio accepted for a big zip entry (zip bombs compress far better).
    pub const MAX_ZIP_RATIO: u64 = 200;
    /// One XML part's largest inflated size.
    pub const MAX_XML_PART: u64 = 256 * 1024 * 1024;
    /// The largest HTML page or text dump read.
    pub const MAX_HTML_BYTES: u64 = 16 * 1024 * 1024;
    /// The deepest XML element nesting accepted.
    pub const MAX_XML_DEPTH: usize = 512;
    /// The most cells of one sheet that are scanned.
    pub const MAX_SHEET_CELLS: u64 = 4_000_000;
    /// The longest text kept from one cell, in bytes.
    pub const MAX_CELL_TEXT: usize = 64 * 1024;
    /// The most shared strings of a workbook, merged ranges of a sheet, or paragraphs, table rows and cells of a
    /// document. A report has a few hundred; a stored (uncompressed) part of millions of tiny items would otherwise
    /// cost several times its size in memory.
    pub const MAX_ITEMS: usize = 1_000_000;
    /// The most formulas of one sheet that are worked out when their saved results are missing or stale; a report
    /// has a few dozen, the rest of a hostile sheet's formulas stay as saved.
    pub const MAX_FORMULAS: usize = 10_000;
    /// The most pages of a PDF read: a report has a handful, an archive's longest a few dozen.
    pub const MAX_PDF_PAGES: usize = 2_000;
    /// The most bytes a PDF's streams (contents, fonts, CMaps; not images) may inflate to, together.
    pub const MAX_PDF_STREAM: u64 = 256 * 1024 * 1024;
    /// The most bytes one of them may inflate to: a report page's content is some 100 KB, an embedded CJK font a few
    /// MB; hayro reads a content stream whole, so its size bounds the time a page takes.
    pub const MAX_PDF_ONE_STREAM: u64 = 64 * 1024 * 1024;
    /// The most glyphs and ruling lines one PDF page may draw (a dense page of text has a few thousand).
    pub const MAX_PDF_PAGE_ITEMS: usize = 100_000;
    /// The most cells of one table rebuilt from a page's lines (table 3 has some 300).
    pub const MAX_PDF_TABLE_CELLS: usize = 100_000;
}

/// Read a report file into the model.
///
/// # Errors
/// An [`ImportError`] when the file cannot be read as a report container (missing, empty, old binary format,
/// encrypted, damaged, over a limit). A readable file whose content is not a standard report is not an
/// error: it yields a report whose missing tables the structure rules report.
///
/// # Examples
/// ```no_run
/// let report = gongkai::import::read(std::path::Path::new("fixtures/xlsx/clean-one-sheet.xlsx")).unwrap();
/// let diagnostics = gongkai::lint::check(&report);
/// ```
pub fn read(path: &Path) -> Result<Report, ImportError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, &name)?;
    read_owned(&name, bytes)
}

/// [`read_bytes`] of bytes the caller gives away: a PDF reader keeps the whole file while it reads, and holding the
/// caller's copy as well would double what a long PDF costs in memory.
///
/// # Errors
/// As [`read`].
pub fn read_owned(name: &str, bytes: Vec<u8>) -> Result<Report, ImportError> {
    if !bytes.is_empty() && matches!(sniff(&bytes), Sniffed::Pdf) {
        let raw = pdf::read(name, std::sync::Arc::new(bytes))?;
        return recognized(name, raw);
    }
    read_bytes(name, &bytes)
}

/// The report a file's paragraphs and grids make. A PDF in which nothing of a report is found (no table of the
/// format, none of its sections) is another document (a notice, an attachment that archives keep beside the
/// reports): it is said so, not reported as a report with every part missing.
fn recognized(name: &str, raw: RawDocument) -> Result<Report, ImportError> {
    let pdf = raw.kind == InputKind::Pdf;
    let report = crate::recognize::recognize(name, raw);
    if pdf && report.tables.is_empty() && report.sections.is_empty() {
        return Err(ImportError::NoReport { path: name.to_string() });
    }
    Ok(report)
}

/// The bytes of the file at `path`, refused past [`limits::MAX_FILE_BYTES`]; `name` is the path errors give.
pub fn read_bounded(path: &Path, name: &str) -> Result<Vec<u8>, ImportError> {
    let io = |source| ImportError::Io { path: name.to_string(), source };
    let file = std::fs::File::open(path).map_err(|e| match std::fs::read_link(path) {
        Ok(target) if e.kind() == std::io::ErrorKind::NotFound => {
            ImportError::BrokenLink { path: name.to_string(), target: target.display().to_string() }
        }
        _ => io(e),
    })?;
    let len = file.metadata().map_err(io)?.len();
    if len > limits::MAX_FILE_BYTES {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("{len} bytes, more than {} MiB", limits::MAX_FILE_BYTES / 1024 / 1024),
                format!("{len} 字节，超过 {} MiB", limits::MAX_FILE_BYTES / 1024 / 1024),
            ),
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limits::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// Read a report from bytes; `name` is used in messages and as the report's path.
///
/// # Errors
/// As [`read`].
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Report, ImportError> {
    let raw = read_raw(name, bytes)?;
    recognized(name, raw)
}

/// Read the raw paragraphs and grids of a file, without recognising them.
///
/// # Errors
/// As [`read`].
pub fn read_raw(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if bytes.is_empty() {
        return Err(ImportError::Empty { path: name.to_string() });
    }
    match sniff(bytes) {
        Sniffed::Zip => {
            // The archive is opened (and its limits checked) once, and handed to the reader.
            let (kind, archive) = zip_kind(name, bytes)?;
            match kind {
                InputKind::Docx => docx::read(name, archive),
                _ => xlsx::read_xlsx(name, archive),
            }
        }
        Sniffed::Cfb => {
            if contains_utf16(bytes, "EncryptedPackage") {
                return Err(ImportError::Encrypted { path: name.to_string() });
            }
            if contains_utf16(bytes, "WordDocument") {
                let (what, advice) = if ext == "wps" {
                    (
                        Words::fixed(".wps (WPS 文字 binary)", ".wps（WPS 文字的旧格式）"),
                        Words::fixed(
                            "open it in WPS and save it as .docx (文件 › 另存为 › Word 文件 *.docx)",
                            "在 WPS 中打开，另存为 .docx（文件 › 另存为 › Word 文件 *.docx）",
                        ),
                    )
                } else {
                    (
                        Words::fixed(".doc (Word 97-2003)", ".doc（Word 97-2003）"),
                        Words::fixed(
                            "open it in Word or WPS and save it as .docx (文件 › 另存为 › Word 文档 *.docx)",
                            "在 Word 或 WPS 中打开，另存为 .docx（文件 › 另存为 › Word 文档 *.docx）",
                        ),
                    )
                };
                return Err(ImportError::OldBinary { path: name.to_string(), what, advice });
            }
            if contains_utf16(bytes, "Workbook") || contains_utf16(bytes, "Book") {
                return xls::read_xls(name, bytes).map_err(|e| match e {
                    ImportError::Corrupt { .. } if ext == "et" => ImportError::OldBinary {
                        path: name.to_string(),
                        what: Words::fixed(".et (WPS 表格 binary)", ".et（WPS 表格的旧格式）"),
                        advice: Words::fixed(
                            "open it in WPS and save it as .xlsx (文件 › 另存为 › Excel 文件 *.xlsx)",
                            "在 WPS 中打开，另存为 .xlsx（文件 › 另存为 › Excel 文件 *.xlsx）",
                        ),
                    },
                    other => other,
                });
            }
            Err(ImportError::Unsupported {
                path: name.to_string(),
                what: Words::fixed(
                    "an OLE compound file that holds no Word document or workbook",
                    "OLE 复合文件，其中没有 Word 文档或工作簿",
                ),
                advice: Words::fixed("save the report as .docx or .xlsx", "请将年报另存为 .docx 或 .xlsx"),
            })
        }
        Sniffed::Rtf => Err(ImportError::Unsupported {
            path: name.to_string(),
            what: Words::fixed("RTF", "RTF"),
            advice: Words::fixed("open it in Word or WPS and save it as .docx", "在 Word 或 WPS 中打开，另存为 .docx"),
        }),
        Sniffed::Pdf => pdf::read(name, std::sync::Arc::new(bytes.to_vec())),
        Sniffed::Markup if matches!(ext.as_str(), "txt" | "md" | "text") => text::read(name, bytes),
        Sniffed::Markup
            if !bytes.windows(5).take(4096).any(|w| w.eq_ignore_ascii_case(b"<?xml")) || ext.starts_with("htm") =>
        {
            html::read(name, bytes)
        }
        Sniffed::Markup => Err(ImportError::Unsupported {
            path: name.to_string(),
            what: Words::fixed("an XML file, not a Word or Excel document", "XML 文件，不是 Word 或 Excel 文档"),
            advice: Words::fixed(
                "open it in Word/WPS/Excel and save it as .docx or .xlsx",
                "在 Word/WPS/Excel 中打开，另存为 .docx 或 .xlsx",
            ),
        }),
        Sniffed::Other if web::looks_binary(bytes) => Err(ImportError::Unsupported {
            path: name.to_string(),
            what: if ext.is_empty() {
                Words::fixed("binary content", "二进制内容")
            } else {
                Words::owned(format!("binary content in a .{ext} file"), format!(".{ext} 文件中的二进制内容"))
            },
            advice: readable_formats(),
        }),
        Sniffed::Other if matches!(ext.as_str(), "html" | "htm" | "shtml") => html::read(name, bytes),
        Sniffed::Other if matches!(ext.as_str(), "txt" | "md" | "text" | "") => text::read(name, bytes),
        Sniffed::Other => Err(ImportError::Unsupported {
            path: name.to_string(),
            what: Words::owned(format!("unknown content in a .{ext} file"), format!("无法识别的 .{ext} 文件内容")),
            advice: readable_formats(),
        }),
    }
}
