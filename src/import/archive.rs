//! A zip archive of reports (not one document), open for reading its members one at a time: how archives reach
//! `check` and `batch` without being unpacked. Member names are decoded as UTF-8 or GBK.

use crate::import::Words;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use super::{ImportError, is_report_name, limits, read_owned};
use crate::model::Report;

/// A zip archive of reports (not one document), open for reading its members one at a time: a file, or bytes
/// held in memory (an upload to `gongkai serve`).
pub struct ZipOfReports<R = std::io::BufReader<std::fs::File>> {
    path: PathBuf,
    zip: zip::ZipArchive<R>,
    /// Member names by index, decoded.
    names: Vec<String>,
}

/// What a `.zip` found in a folder turns out to be.
pub enum FoundZip<R = std::io::BufReader<std::fs::File>> {
    /// An archive of reports, open.
    Reports(ZipOfReports<R>),
    /// A sound archive without a report in it (photos, PDFs): passed over, its member names kept for the count.
    NoReports(Vec<String>),
    /// One Word or Excel document named `.zip`, or a zip that cannot be opened: read as a file, which says what it
    /// is or what is wrong.
    File,
}

impl ZipOfReports {
    /// Open `path`: `None` when it is one Word or Excel document, holds no report, or cannot be opened as a zip
    /// (reading it as a file then says what it is, or what is wrong).
    pub fn open(path: &Path) -> Option<Self> {
        match Self::probe(path) {
            FoundZip::Reports(zip) => Some(zip),
            FoundZip::NoReports(_) | FoundZip::File => None,
        }
    }

    /// Open `path` and say what it is.
    pub fn probe(path: &Path) -> FoundZip {
        let Ok(file) = std::fs::File::open(path) else { return FoundZip::File };
        ZipOfReports::probe_reader(path, std::io::BufReader::new(file))
    }
}

impl<'a> ZipOfReports<std::io::Cursor<&'a [u8]>> {
    /// Say what the zip in `bytes` is, its members named `name/MEMBER`.
    pub fn probe_bytes(name: &str, bytes: &'a [u8]) -> FoundZip<std::io::Cursor<&'a [u8]>> {
        ZipOfReports::probe_reader(Path::new(name), std::io::Cursor::new(bytes))
    }
}

impl<R: Read + Seek> ZipOfReports<R> {
    fn probe_reader(path: &Path, reader: R) -> FoundZip<R> {
        let Ok(zip) = zip::ZipArchive::new(reader) else { return FoundZip::File };
        let names: Vec<String> = zip.file_names_raw().map(member_name).collect();
        if holds_a_document(&names) {
            FoundZip::File
        } else if reports_among(&names).is_some() {
            FoundZip::Reports(ZipOfReports { path: path.to_path_buf(), zip, names })
        } else {
            FoundZip::NoReports(names)
        }
    }

    /// The archive's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The members that are reports, as (index, name), in name order.
    pub fn members(&self) -> Vec<(usize, String)> {
        let mut found: Vec<(usize, String)> =
            (self.names.iter().cloned().enumerate()).filter(|(_, n)| is_report_member(n)).collect();
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found
    }

    /// Every member's name, by index: the walk counts those in published forms (PDF, OFD), which
    /// [`members`](Self::members) leaves out.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The path a member's report has: `ARCHIVE.zip/MEMBER`.
    pub fn member_path(&self, index: usize) -> String {
        self.path.join(self.names.get(index).map_or("", String::as_str)).display().to_string()
    }

    /// The bytes of member `index` (from [`ZipOfReports::members`]), at most [`limits::MAX_FILE_BYTES`]; `name`
    /// is the path errors give.
    ///
    /// # Errors
    /// [`ImportError::Corrupt`] for a damaged member, [`ImportError::Limit`] for one over the limit.
    pub fn bytes(&mut self, index: usize, name: &str) -> Result<Vec<u8>, ImportError> {
        let entry = self.zip.by_index(index).map_err(|e| ImportError::Corrupt {
            path: name.to_string(),
            detail: format!("{} ({e})", self.path.display()),
        })?;
        if entry.size() > limits::MAX_FILE_BYTES {
            return Err(ImportError::Limit {
                path: name.to_string(),
                limit: Words::owned(
                    format!("{} bytes, more than {} MiB", entry.size(), limits::MAX_FILE_BYTES / 1024 / 1024),
                    format!("{} 字节，超过 {} MiB", entry.size(), limits::MAX_FILE_BYTES / 1024 / 1024),
                ),
            });
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .take(limits::MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| ImportError::Io { path: name.to_string(), source })?;
        Ok(bytes)
    }

    /// Read member `index` (from [`ZipOfReports::members`]) as the report [`ZipOfReports::member_path`].
    ///
    /// # Errors
    /// As [`read`].
    pub fn read(&mut self, index: usize) -> Result<Report, ImportError> {
        let name = self.member_path(index);
        let bytes = self.bytes(index, &name)?;
        read_owned(&name, bytes)
    }
}

/// How many reports a zip's members are, when the zip holds some and is not itself one Word or Excel document.
pub(crate) fn reports_among(member_names: &[String]) -> Option<usize> {
    let reports = member_names.iter().filter(|n| is_report_member(n)).count();
    (!holds_a_document(member_names) && reports > 0).then_some(reports)
}

/// The members of one Word document or workbook (a `.docx` named `.zip`), not of an archive.
fn holds_a_document(member_names: &[String]) -> bool {
    member_names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("word/document.xml") || n.eq_ignore_ascii_case("xl/workbook.xml"))
}

/// A path named `.zip`: an archive that `check` and `batch` open, not a report.
pub fn is_zip_path(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// A member of a zip that is a report file (not a folder entry).
fn is_report_member(name: &str) -> bool {
    is_report_name(name) && !name.ends_with('/')
}

/// A zip member's name: UTF-8 when flagged so, GBK in archives made on Chinese Windows.
pub fn member_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}
