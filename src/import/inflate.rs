//! One zip entry's bytes, inflated with decompressors kept for the thread.
//!
//! The zip crate builds a new decompressor (its state, window and input buffer zeroed) for every entry it opens,
//! and a workbook's reader opens eight. Here the zip crate still parses the container and hands over each entry's
//! raw bytes; libdeflate inflates them in one call into a buffer of the size the zip states (fewer than half the
//! instructions of streaming, bench/NOTES.md), flate2's `Decompress`, reset rather than rebuilt, where that size
//! cannot be trusted; and the CRC-32 is checked as the zip crate would.

use std::cell::RefCell;
use std::io::Read;

use flate2::{Decompress, FlushDecompress, Status};
use zip::CompressionMethod;

thread_local! {
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
    static WHOLE: RefCell<libdeflater::Decompressor> = RefCell::new(libdeflater::Decompressor::new());
}

/// The most a size stated in the zip reserves ahead: beyond it, a buffer grows as data comes.
const HINT_CAP: u64 = 16 * 1024 * 1024;

/// Why an entry could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EntryError {
    /// The entry inflates past the limit given.
    TooLarge,
    /// Damaged data: the message says how.
    Corrupt(String),
}

/// The inflated bytes of entry `index`, at most `limit` of them. Entries neither stored nor deflated (no writer of
/// reports uses another method) go through the zip crate, which names the method it does not support.
pub(crate) fn entry_bytes(archive: &mut super::Archive, index: usize, limit: u64) -> Result<Vec<u8>, EntryError> {
    let corrupt = |e: &dyn std::fmt::Display| EntryError::Corrupt(e.to_string());
    let entry = archive.by_index_raw(index).map_err(|e| corrupt(&e))?;
    let (method, declared, expected_crc) = (entry.compression(), entry.size(), entry.crc32());
    if !matches!(method, CompressionMethod::Stored | CompressionMethod::Deflated) {
        drop(entry);
        return zip_crate_read(archive, index, limit);
    }
    // The compressed bytes are bounded by the file (itself bounded) they are in; their stated size is a hint, capped
    // like the inflated one.
    let mut raw = Vec::with_capacity(entry.compressed_size().min(HINT_CAP).min(limit) as usize);
    entry.take(limit.saturating_add(1)).read_to_end(&mut raw).map_err(|e| corrupt(&e))?;
    let bytes = match method {
        CompressionMethod::Deflated => inflate(&raw, declared, limit)?,
        _ if raw.len() as u64 > limit => return Err(EntryError::TooLarge),
        _ => raw,
    };
    if crc32fast::hash(&bytes) != expected_crc {
        return Err(EntryError::Corrupt("checksum mismatch (its CRC-32 differs from the one the zip records)".into()));
    }
    Ok(bytes)
}

/// Inflate raw deflate data. With the entry's stated size at hand (`declared`, within the limit and the cap on
/// what a header may reserve), libdeflate inflates the whole entry in one call into a buffer of that size; when the
/// data does not fit (a header that lies), or the
/// size is past the cap, the streaming inflater takes over.
fn inflate(raw: &[u8], declared: u64, limit: u64) -> Result<Vec<u8>, EntryError> {
    if declared <= limit.min(HINT_CAP) {
        let mut out = vec![0; declared as usize];
        match WHOLE.with_borrow_mut(|whole| whole.deflate_decompress(raw, &mut out)) {
            Ok(len) => {
                out.truncate(len);
                return Ok(out);
            }
            Err(libdeflater::DecompressionError::BadData) => {
                return Err(EntryError::Corrupt("its compressed data is damaged".into()));
            }
            Err(libdeflater::DecompressionError::InsufficientSpace) => {}
        }
    }
    inflate_streaming(raw, declared, limit)
}

/// Inflate raw deflate data, growing the output as it fills; `declared` (the entry's stated size) is only a hint,
/// capped, as a lying header must not make a large allocation.
fn inflate_streaming(raw: &[u8], declared: u64, limit: u64) -> Result<Vec<u8>, EntryError> {
    INFLATER.with_borrow_mut(|inflater| {
        inflater.reset(false);
        // One byte over the declared size, so that the stream's end is seen before the buffer is full.
        let mut out = Vec::with_capacity(declared.min(HINT_CAP).min(limit) as usize + 1);
        loop {
            if out.len() == out.capacity() {
                if out.len() as u64 > limit {
                    return Err(EntryError::TooLarge);
                }
                // Doubling, but never past one byte over the limit.
                let room = limit.saturating_sub(out.len() as u64).saturating_add(1);
                out.reserve((out.len().max(4096) as u64).min(room) as usize);
            }
            let (consumed, produced) = (inflater.total_in(), out.len());
            let input = raw.get(consumed as usize..).unwrap_or_default();
            let status = inflater
                .decompress_vec(input, &mut out, FlushDecompress::Finish)
                .map_err(|e| EntryError::Corrupt(format!("its compressed data is damaged ({e})")))?;
            if out.len() as u64 > limit {
                return Err(EntryError::TooLarge);
            }
            match status {
                Status::StreamEnd => return Ok(out),
                // No input taken and no output made with room to spare: the data stops before the stream's end.
                _ if inflater.total_in() == consumed && out.len() == produced && out.len() < out.capacity() => {
                    return Err(EntryError::Corrupt("its compressed data ends too early".into()));
                }
                _ => {}
            }
        }
    })
}

/// An entry read through the zip crate's own decompressors.
fn zip_crate_read(archive: &mut super::Archive, index: usize, limit: u64) -> Result<Vec<u8>, EntryError> {
    let corrupt = |e: &dyn std::fmt::Display| EntryError::Corrupt(e.to_string());
    let entry = archive.by_index(index).map_err(|e| corrupt(&e))?;
    let mut bytes = Vec::with_capacity(entry.size().min(HINT_CAP).min(limit) as usize);
    entry.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| corrupt(&e))?;
    if bytes.len() as u64 > limit {
        return Err(EntryError::TooLarge);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data, method) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(*method)).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn read_all(bytes: &[u8], limit: u64) -> Vec<Result<Vec<u8>, EntryError>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len()).map(|i| entry_bytes(&mut archive, i, limit)).collect()
    }

    /// Text that deflates into several blocks, with back-references across them.
    fn sample(len: usize) -> Vec<u8> {
        let mut seed = 7u32;
        (0..len)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i % 3 == 0 { b"<c r=\"A1\">"[i % 10] } else { b'a' + (seed >> 24) as u8 % 26 }
            })
            .collect()
    }

    #[test]
    fn stored_and_deflated_entries_read_back_with_one_inflater_reused() {
        let (small, large) = (sample(10), sample(300_000));
        let bytes = zip_of(&[
            ("a.xml", &large, CompressionMethod::Deflated),
            ("b.xml", &small, CompressionMethod::Stored),
            ("c.xml", &small, CompressionMethod::Deflated),
            ("empty.xml", b"", CompressionMethod::Deflated),
            ("d.xml", &large, CompressionMethod::Deflated),
        ]);
        let read: Vec<Vec<u8>> = read_all(&bytes, u64::MAX).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, vec![large.clone(), small.clone(), small, Vec::new(), large]);
    }

    #[test]
    fn an_entry_past_the_limit_is_refused_whatever_its_method() {
        let data = sample(5000);
        let bytes =
            zip_of(&[("a.xml", &data, CompressionMethod::Deflated), ("b.xml", &data, CompressionMethod::Stored)]);
        assert_eq!(read_all(&bytes, 4999), vec![Err(EntryError::TooLarge), Err(EntryError::TooLarge)]);
        assert!(read_all(&bytes, 5000).iter().all(Result::is_ok));
    }

    /// Flip one byte of the first entry's data (after its 30-byte local header and name).
    fn damaged(bytes: &[u8], name: &str, at: usize) -> Vec<u8> {
        let mut bytes = bytes.to_vec();
        bytes[30 + name.len() + at] ^= 0x55;
        bytes
    }

    #[test]
    fn a_changed_byte_is_caught_by_the_checksum_or_the_inflater() {
        let data = sample(2000);
        let stored = zip_of(&[("a.xml", &data, CompressionMethod::Stored)]);
        let err = read_all(&damaged(&stored, "a.xml", 100), u64::MAX).remove(0).unwrap_err();
        assert!(matches!(&err, EntryError::Corrupt(m) if m.contains("checksum")), "{err:?}");
        let deflated = zip_of(&[("a.xml", &data, CompressionMethod::Deflated)]);
        for at in [0, 5, 50] {
            let err = read_all(&damaged(&deflated, "a.xml", at), u64::MAX).remove(0).unwrap_err();
            assert!(matches!(err, EntryError::Corrupt(_)), "{err:?}");
        }
    }

    #[test]
    fn deflate_data_cut_short_is_corrupt_not_a_hang() {
        let data = sample(20_000);
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&data).unwrap();
        let whole = encoder.finish().unwrap();
        assert_eq!(inflate(&whole, data.len() as u64, u64::MAX).unwrap(), data);
        // A declared size far too small or too large changes nothing.
        assert_eq!(inflate(&whole, 1, u64::MAX).unwrap(), data);
        assert_eq!(inflate(&whole, data.len() as u64 + 100, u64::MAX).unwrap(), data);
        assert_eq!(inflate(&whole, 1 << 40, u64::MAX).unwrap(), data);
        assert_eq!(inflate_streaming(&whole, data.len() as u64, u64::MAX).unwrap(), data);
        for cut in [0, 1, whole.len() / 2, whole.len() - 1] {
            // Both inflaters: the whole-entry one (the size stated) and the streaming one (no size to go by).
            for declared in [data.len() as u64, 1] {
                let err = inflate(&whole[..cut], declared, u64::MAX).unwrap_err();
                assert!(matches!(&err, EntryError::Corrupt(_)), "cut at {cut}, {declared} stated: {err:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The whole-entry inflater agrees with the streaming one on any data, damaged or not, whatever size the
        /// header states, as the entry reader sees them (it checks the CRC-32 after either): both give the data, or
        /// neither does. On damaged data the two may fail differently: libdeflate accepts some Huffman codes that
        /// zlib calls invalid, and then gives bytes that are not the data, which the checksum refuses.
        #[test]
        fn whole_entry_and_streaming_inflaters_agree(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
            damage in proptest::collection::vec((proptest::prelude::any::<usize>(), 1u8..), 0..3),
            cut in proptest::prelude::any::<usize>(),
            stated in proptest::prelude::any::<u16>(),
        ) {
            // Repetitive data, so that the stream has back-references and Huffman tables to damage.
            let data: Vec<u8> = data.iter().map(|b| b % 7 + b'a').collect();
            let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&data).unwrap();
            let mut raw = encoder.finish().unwrap();
            for (at, flip) in &damage {
                let len = raw.len();
                raw[at % len] ^= flip;
            }
            if !damage.is_empty() {
                raw.truncate(raw.len() - cut % 3);
            }
            let read = |result: &Result<Vec<u8>, EntryError>| result.as_ref().is_ok_and(|bytes| *bytes == data);
            for declared in [data.len() as u64, u64::from(stated)] {
                let whole = inflate(&raw, declared, u64::MAX);
                let streaming = inflate_streaming(&raw, declared, u64::MAX);
                proptest::prop_assert_eq!(read(&whole), read(&streaming), "{} stated: {:?} against {:?}", declared, whole, streaming);
                if damage.is_empty() {
                    proptest::prop_assert!(read(&whole), "undamaged data not read: {:?}", whole);
                }
            }
        }
    }
}
