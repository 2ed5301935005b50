//! An anonymous temporary file that records are appended to and read back from by position.
//!
//! A run over an archive must keep something per report until the end (the summary rows of `batch`, the output
//! of `check`, which the cross-year rules may still add to). Kept in memory, that grows with the archive; spilled,
//! memory stays flat and only a position per report remains.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Where a record is in the spill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    offset: u64,
    len: u64,
}

impl Span {
    /// The `len` bytes from `from` of this record; `None` when they are not all inside it.
    pub fn part(self, from: u64, len: u64) -> Option<Span> {
        (from.checked_add(len)? <= self.len).then(|| Span { offset: self.offset + from, len })
    }
}

/// The writing side: records are appended, and can be read back while writing goes on.
pub struct Spill {
    file: BufWriter<File>,
    /// A second handle on the same file for reading. It shares the file position with the writer, so a read
    /// puts the position back at the end.
    reader: File,
    len: u64,
}

impl Spill {
    /// A spill in the system's temporary folder; the file has no name and is gone when dropped.
    ///
    /// # Errors
    /// When the temporary file cannot be created.
    pub fn new() -> std::io::Result<Spill> {
        Spill::over(tempfile::tempfile()?)
    }

    /// A spill in `dir` (e.g. beside the outputs, on the disk that has room for them).
    ///
    /// # Errors
    /// When the temporary file cannot be created.
    pub fn new_in(dir: &Path) -> std::io::Result<Spill> {
        Spill::over(tempfile::tempfile_in(dir)?)
    }

    fn over(file: File) -> std::io::Result<Spill> {
        Ok(Spill { reader: file.try_clone()?, file: BufWriter::new(file), len: 0 })
    }

    /// A record written before, read while writing goes on.
    ///
    /// # Errors
    /// When the file cannot be written or read.
    pub fn get(&mut self, span: Span) -> std::io::Result<Vec<u8>> {
        self.file.flush()?;
        let record = read_at(&mut self.reader, span);
        self.reader.seek(SeekFrom::End(0))?;
        record
    }

    /// Append a record.
    ///
    /// # Errors
    /// When the file cannot be written (e.g. the disk is full).
    pub fn push(&mut self, record: &[u8]) -> std::io::Result<Span> {
        self.file.write_all(record)?;
        let span = Span { offset: self.len, len: record.len() as u64 };
        self.len += span.len;
        Ok(span)
    }

    /// Stop writing and start reading.
    ///
    /// # Errors
    /// When the buffered records cannot be written.
    pub fn finish(self) -> std::io::Result<SpillReader> {
        Ok(SpillReader { file: self.file.into_inner().map_err(std::io::IntoInnerError::into_error)? })
    }
}

/// The reading side: records are read by position, so that threads may read at once.
pub struct SpillReader {
    file: File,
}

impl SpillReader {
    /// The record at `span`.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn get(&self, span: Span) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0; usize::try_from(span.len).map_err(std::io::Error::other)?];
        read_exact_at(&self.file, &mut buf, span.offset)?;
        Ok(buf)
    }
}

fn read_at(file: &mut File, span: Span) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(span.offset))?;
    let mut buf = vec![0; usize::try_from(span.len).map_err(std::io::Error::other)?];
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// A read at a position that leaves the file's own position alone (Unix: `pread`).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// A read at a position (Windows: a read with its own offset, which every thread may make at once).
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_by_position_in_any_order() {
        let mut spill = Spill::new().unwrap();
        let spans: Vec<Span> = ["一", "", "three"].iter().map(|r| spill.push(r.as_bytes()).unwrap()).collect();
        let reader = spill.finish().unwrap();
        assert_eq!(reader.get(spans[2]).unwrap(), b"three");
        assert_eq!(reader.get(spans[0]).unwrap(), "一".as_bytes());
        assert_eq!(reader.get(spans[1]).unwrap(), b"");
    }

    #[test]
    fn reading_while_writing_leaves_appending_intact() {
        let mut spill = Spill::new().unwrap();
        let a = spill.push(b"alpha").unwrap();
        assert_eq!(spill.get(a).unwrap(), b"alpha");
        let b = spill.push(b"beta").unwrap();
        assert_eq!(spill.get(a).unwrap(), b"alpha");
        let c = spill.push(b"gamma").unwrap();
        let reader = spill.finish().unwrap();
        assert_eq!(reader.get(b).unwrap(), b"beta");
        assert_eq!(reader.get(c).unwrap(), b"gamma");
        assert_eq!(reader.get(a).unwrap(), b"alpha");
    }
}
