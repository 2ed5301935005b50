//! A zip container read from memory: its limits (entries, declared sizes, compression ratios) checked once, its
//! parts found case-insensitively and inflated bounded, and what kind of document it holds.

use super::{ImportError, InputKind, Words, inflate, limits, published_form, reports_among, source_not};

/// A zip archive read from memory.
pub(crate) type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Open a zip, enforce the container limits, and tell a Word document from a workbook.
pub(crate) fn zip_kind<'a>(name: &str, bytes: &'a [u8]) -> Result<(InputKind, Archive<'a>), ImportError> {
    let archive = match open_zip(name, bytes) {
        Ok(archive) => archive,
        // An archive of many reports trips a document's limits: say what it is rather than which limit.
        Err(limit @ ImportError::Limit { .. }) => {
            let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .map(|a| {
                    let names = a.file_names_raw().take(limits::MAX_ZIP_ENTRIES * 10);
                    names.map(|n| String::from_utf8_lossy(n).to_ascii_lowercase()).collect()
                })
                .unwrap_or_default();
            return Err(archive_of_reports(name, &names).unwrap_or(limit));
        }
        Err(other) => return Err(other),
    };
    let names: Vec<String> =
        archive.file_names_raw().map(|n| String::from_utf8_lossy(n).to_ascii_lowercase()).collect();
    if names.iter().any(|n| n == "word/document.xml") {
        Ok((InputKind::Docx, archive))
    } else if names.iter().any(|n| n == "xl/workbook.xml") {
        Ok((InputKind::Xlsx, archive))
    } else if names.iter().any(|n| n == "ofd.xml") {
        // OFD (GB/T 33190), the fixed-layout form many agencies publish in: a zip like a Word document is.
        Err(ImportError::Unsupported {
            path: name.to_string(),
            what: Words::fixed("OFD", "OFD"),
            advice: source_not("the OFD", "OFD"),
        })
    } else if names.iter().any(|n| n == "mimetype") {
        Err(ImportError::NotADocument {
            path: name.to_string(),
            hint: Words::fixed(
                "this is an OpenDocument file: save it as .docx or .xlsx",
                "这是 OpenDocument 文件（.odt、.ods）：请另存为 .docx 或 .xlsx",
            ),
        })
    } else {
        Err(archive_of_reports(name, &names).or_else(|| archive_of_published(name, &names)).unwrap_or_else(|| {
            ImportError::NotADocument {
                path: name.to_string(),
                hint: Words::fixed(
                    "this zip holds neither word/document.xml nor xl/workbook.xml",
                    "压缩包中既没有 word/document.xml，也没有 xl/workbook.xml",
                ),
            }
        }))
    }
}

/// A zip of published reports only (PDF, OFD): nothing in it that gongkai reads, and the reason.
fn archive_of_published(name: &str, member_names: &[String]) -> Option<ImportError> {
    let published: Vec<&str> = member_names.iter().filter_map(|n| published_form(n)).collect();
    let mut forms = published.clone();
    forms.sort_unstable();
    forms.dedup();
    let (count, forms) = (published.len(), forms.join("/"));
    (count > 0).then(|| {
        let why = source_not(&forms, &forms);
        ImportError::NotADocument {
            path: name.to_string(),
            hint: Words::owned(
                format!("it is an archive of {count} {forms} files: {}", why.en),
                format!("这是装有 {count} 个 {forms} 文件的压缩包：{}", why.zh),
            ),
        }
    })
}

/// A zip of reports (not one document): `check` and `batch` read such archives, `fix` takes files.
fn archive_of_reports(name: &str, member_names: &[String]) -> Option<ImportError> {
    let reports = reports_among(member_names)?;
    // Under a report's name (`材料.docx` that is a zip of reports), check has just failed on it: it must be renamed
    // before check and batch read it as an archive.
    let named_zip = super::is_zip_path(std::path::Path::new(name));
    let hint = if named_zip {
        Words::owned(
            format!(
                "it is an archive of {reports} files: `gongkai check` and `gongkai batch` read it; unpack it to fix them"
            ),
            format!(
                "这是装有 {reports} 个文件的压缩包：gongkai check 和 gongkai batch 可直接读取；要修改其中的文件，请先解压"
            ),
        )
    } else {
        Words::owned(
            format!(
                "it is an archive of {reports} files under a document's name: rename it to .zip and `gongkai check` and `gongkai batch` read it; unpack it to fix them"
            ),
            format!(
                "这是装有 {reports} 个文件的压缩包，却以文档的扩展名命名：改名为 .zip 后 gongkai check 和 gongkai batch 可直接读取；要修改其中的文件，请先解压"
            ),
        )
    };
    Some(ImportError::NotADocument { path: name.to_string(), hint })
}

/// Open a zip archive over bytes and check its entry count, declared sizes and compression ratios.
pub(crate) fn open_zip<'a>(name: &str, bytes: &'a [u8]) -> Result<Archive<'a>, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        // No end-of-directory record anywhere: the file stops short of its end (it began as a zip, or it would not
        // be read as one).
        if memchr::memmem::rfind(bytes, b"PK\x05\x06").is_none() {
            ImportError::Truncated {
                path: name.to_string(),
                missing: Words::fixed("the zip's directory at its end", "末尾的 zip 目录"),
            }
        } else {
            ImportError::Corrupt { path: name.to_string(), detail: format!("not a readable zip ({e})") }
        }
    })?;
    if archive.len() > limits::MAX_ZIP_ENTRIES {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("{} zip entries, more than {}", archive.len(), limits::MAX_ZIP_ENTRIES),
                format!("zip 中有 {} 个条目，超过 {} 个", archive.len(), limits::MAX_ZIP_ENTRIES),
            ),
        });
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| ImportError::Corrupt { path: name.to_string(), detail: format!("zip entry {i}: {e}") })?;
        if entry.encrypted() {
            return Err(ImportError::Encrypted { path: name.to_string() });
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / entry.compressed_size().max(1) > limits::MAX_ZIP_RATIO {
            return Err(ImportError::Limit {
                path: name.to_string(),
                limit: Words::owned(
                    format!("zip entry inflates {}×, a zip bomb", size / entry.compressed_size().max(1)),
                    format!("zip 条目解压后膨胀 {} 倍，是压缩炸弹", size / entry.compressed_size().max(1)),
                ),
            });
        }
    }
    if total > limits::MAX_ZIP_INFLATED {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!(
                    "zip inflates to {} MiB, more than {} MiB",
                    total / 1024 / 1024,
                    limits::MAX_ZIP_INFLATED / 1024 / 1024
                ),
                format!("zip 解压后 {} MiB，超过 {} MiB", total / 1024 / 1024, limits::MAX_ZIP_INFLATED / 1024 / 1024),
            ),
        });
    }
    Ok(archive)
}

/// Read one zip entry as UTF-8 text, bounded by [`limits::MAX_XML_PART`]. Part names are matched
/// case-insensitively (WPS and Office spell some differently). `Ok(None)` when the part is absent.
pub(crate) fn read_part(name: &str, archive: &mut Archive, part: &str) -> Result<Option<String>, ImportError> {
    let Some(bytes) = read_part_bytes(name, archive, part)? else { return Ok(None) };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| ImportError::Corrupt { path: name.to_string(), detail: format!("{part}: {e}") })
}

/// Read one zip entry's bytes, as [`read_part`] does, for an XML parser that checks the text's UTF-8 itself
/// (quick-xml checks every event it hands out, so checking the whole part first would do it twice).
pub(crate) fn read_part_bytes(name: &str, archive: &mut Archive, part: &str) -> Result<Option<Vec<u8>>, ImportError> {
    let Some(index) = archive.file_names_raw().position(|n| n.eq_ignore_ascii_case(part.as_bytes())) else {
        return Ok(None);
    };
    inflate::entry_bytes(archive, index, limits::MAX_XML_PART).map(Some).map_err(|e| match e {
        inflate::EntryError::TooLarge => ImportError::Limit {
            path: name.to_string(),
            limit: Words::owned(
                format!("{part} inflates past {} MiB", limits::MAX_XML_PART / 1024 / 1024),
                format!("{part} 解压后超过 {} MiB", limits::MAX_XML_PART / 1024 / 1024),
            ),
        },
        inflate::EntryError::Corrupt(detail) => {
            ImportError::Corrupt { path: name.to_string(), detail: format!("{part}: {detail}") }
        }
    })
}
