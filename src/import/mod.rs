//! Import: bytes → [`RawDocument`] → (shared [`recognize`](crate::recognize)) → [`Report`].
//!
//! This module sniffs what a file really is (its bytes win over its extension), applies the size limits, and
//! dispatches to one module per format. A format module only turns bytes into paragraphs and grids with
//! merges resolved; all label matching and number parsing happen once, in the recogniser.

mod docx;
mod formula;
mod html;
mod inflate;
mod plain_xml;
pub mod text;
mod xlsx;
mod xlsx_xml;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::lint::Lang;
use crate::model::Report;
use crate::raw::{InputKind, RawDocument};

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
}

/// Why a file could not be read. Every message names the file and says what to do. `Display` and the miette help
/// are in English (for programs that embed gongkai); [`ImportError::reason_in`] and [`ImportError::help_in`] give
/// either language, as the command line prints them.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    #[diagnostic(code(gongkai::io), help("check that the file exists and can be read"))]
    Io { path: String, source: std::io::Error },

    #[error("{path}: the file is a link to {target}, which does not exist")]
    #[diagnostic(
        code(gongkai::broken_link),
        help("the file the link points to was moved or deleted: link it again, or copy the report here")
    )]
    BrokenLink { path: String, target: String },

    #[error("{path}: the file is empty")]
    #[diagnostic(code(gongkai::empty), help("the file has no content: export or download it again"))]
    Empty { path: String },

    #[error("{path}: {what} is an old binary format that gongkai does not read")]
    #[diagnostic(code(gongkai::old_binary), help("{advice}"))]
    OldBinary { path: String, what: Words, advice: Words },

    #[error("{path}: the file is password-protected (encrypted)")]
    #[diagnostic(
        code(gongkai::encrypted),
        help("remove the password in Word/WPS/Excel (文件 › 信息 › 保护) and save it again")
    )]
    Encrypted { path: String },

    #[error("{path}: the file is damaged or truncated: {detail}")]
    #[diagnostic(
        code(gongkai::corrupt),
        help("download the file again, or open it in Word/WPS/Excel and save it again")
    )]
    Corrupt { path: String, detail: String },

    /// A zip whose central directory (at its end) is missing: the usual damage, from a download or copy cut off.
    #[error(
        "{path}: the file is cut short: it ends before the zip's directory, as after an interrupted download or copy"
    )]
    #[diagnostic(code(gongkai::corrupt), help("download or copy the file again"))]
    Truncated { path: String },

    #[error("{path}: the file is a zip archive but not a Word or Excel document")]
    #[diagnostic(code(gongkai::not_a_document), help("gongkai reads .docx, .xlsx and .xls files; {hint}"))]
    NotADocument { path: String, hint: Words },

    #[error("{path}: this is not a format gongkai reads ({what})")]
    #[diagnostic(code(gongkai::unsupported), help("{advice}"))]
    Unsupported { path: String, what: Words, advice: Words },

    #[error("{path}: gongkai failed on this file: {detail}")]
    #[diagnostic(
        code(gongkai::internal),
        help("this is a bug in gongkai, not in the file: please report it with the file")
    )]
    Internal { path: String, detail: String },

    #[error("{path}: the file exceeds a safety limit: {limit}")]
    #[diagnostic(code(gongkai::limit), help("a report is a few hundred kilobytes; check that this is the right file"))]
    Limit { path: String, limit: String },
}

/// A part of an import error's message in both languages; `Display` shows the English. The technical details
/// (a zip or XML parser's words, a part name, a limit) stay as they are in either language. Not a
/// [`crate::lint::Text`], whose two `String`s would make `ImportError` (the error of every reader) 32 bytes larger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub en: Box<str>,
    pub zh: Box<str>,
}

impl Words {
    fn fixed(en: &str, zh: &str) -> Self {
        Words { en: en.into(), zh: zh.into() }
    }

    fn owned(en: String, zh: String) -> Self {
        Words { en: en.into(), zh: zh.into() }
    }
}

impl std::fmt::Display for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// What gongkai reads, for a file it cannot and for a folder with none of them.
pub fn readable_formats() -> Words {
    Words::fixed(
        "gongkai reads .docx, .xlsx, .xls, web pages (.html) and text dumps (.txt, .md)",
        "gongkai 读取 .docx、.xlsx、.xls、网页（.html）和文本（.txt、.md）",
    )
}

/// Why a published form (`PDF`, `OFD`, `OFD 或 PDF`) is not read, and what to give gongkai instead.
fn source_not(forms_en: &str, forms_zh: &str) -> Words {
    Words::owned(
        format!("gongkai reads the source document, not {forms_en}: use the .docx or .xlsx the report was made from"),
        format!("gongkai 读取年报的源文件，不读取 {forms_zh}：请使用制作年报的 .docx 或 .xlsx"),
    )
}

impl ImportError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            ImportError::Io { path, .. }
            | ImportError::BrokenLink { path, .. }
            | ImportError::Empty { path }
            | ImportError::OldBinary { path, .. }
            | ImportError::Encrypted { path }
            | ImportError::Corrupt { path, .. }
            | ImportError::Truncated { path }
            | ImportError::NotADocument { path, .. }
            | ImportError::Unsupported { path, .. }
            | ImportError::Internal { path, .. }
            | ImportError::Limit { path, .. } => path,
        }
    }

    /// The message without the leading file name, in English.
    pub fn reason(&self) -> String {
        self.reason_in(Lang::En)
    }

    /// The message without the leading file name.
    pub fn reason_in(&self, lang: Lang) -> String {
        if lang == Lang::En {
            let full = self.to_string();
            return full.strip_prefix(&format!("{}: ", self.path())).map_or(full.clone(), str::to_string);
        }
        match self {
            ImportError::Io { source, .. } => format!("无法读取文件：{source}"),
            ImportError::BrokenLink { target, .. } => format!("文件是指向 {target} 的链接，而那里没有文件"),
            ImportError::Empty { .. } => "文件是空的".to_string(),
            ImportError::OldBinary { what, .. } => format!("{}是旧的二进制格式，gongkai 不读取", what.zh),
            ImportError::Encrypted { .. } => "文件设有密码（已加密）".to_string(),
            ImportError::Corrupt { detail, .. } => format!("文件已损坏或不完整：{detail}"),
            ImportError::Truncated { .. } => "文件不完整：在 zip 目录之前就结束了，常见于下载或复制中断".to_string(),
            ImportError::NotADocument { .. } => "文件是 zip 压缩包，但不是 Word 或 Excel 文档".to_string(),
            ImportError::Unsupported { what, .. } => format!("gongkai 不读取这种格式（{}）", what.zh),
            ImportError::Internal { detail, .. } => format!("gongkai 处理此文件时出错：{detail}"),
            ImportError::Limit { limit, .. } => format!("文件超出安全限制：{limit}"),
        }
    }

    /// What to do about it.
    pub fn help_in(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return miette::Diagnostic::help(self).map(|h| h.to_string()).unwrap_or_default();
        }
        match self {
            ImportError::Io { .. } => "请检查文件是否存在、能否读取".to_string(),
            ImportError::BrokenLink { .. } => {
                "链接指向的文件已被移动或删除：请重新建立链接，或把年报复制到这里".to_string()
            }
            ImportError::Empty { .. } => "文件没有内容：请重新导出或下载".to_string(),
            ImportError::OldBinary { advice, .. } | ImportError::Unsupported { advice, .. } => advice.zh.to_string(),
            ImportError::Encrypted { .. } => "在 Word/WPS/Excel 中取消密码（文件 › 信息 › 保护）后重新保存".to_string(),
            ImportError::Corrupt { .. } => "请重新下载，或在 Word/WPS/Excel 中打开后重新保存".to_string(),
            ImportError::Truncated { .. } => "请重新下载或复制该文件".to_string(),
            ImportError::NotADocument { hint, .. } => format!("gongkai 读取 .docx、.xlsx 和 .xls 文件；{}", hint.zh),
            ImportError::Internal { .. } => "这是 gongkai 的缺陷，不是文件的问题：请连同文件一起报告".to_string(),
            ImportError::Limit { .. } => "一份年报通常只有几百 KB：请确认是不是这份文件".to_string(),
        }
    }

    /// A short stable code for machine output.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Io { .. } => "io",
            ImportError::BrokenLink { .. } => "broken-link",
            ImportError::Empty { .. } => "empty",
            ImportError::OldBinary { .. } => "old-binary",
            ImportError::Encrypted { .. } => "encrypted",
            // Damaged either way: one code, as the machine outputs have always given it.
            ImportError::Corrupt { .. } | ImportError::Truncated { .. } => "corrupt",
            ImportError::NotADocument { .. } => "not-a-document",
            ImportError::Unsupported { .. } => "unsupported",
            ImportError::Internal { .. } => "internal",
            ImportError::Limit { .. } => "limit",
        }
    }
}

/// True for a file a folder walk should read: a report extension, not an Office lock file (`~$…`), a hidden file,
/// or a repository's documentation (README.md and the like sit beside archived reports).
pub fn is_report_name(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let ext = base.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let stem = base.split('.').next().unwrap_or("").to_ascii_uppercase();
    let documentation =
        ext == "md" && matches!(stem.as_str(), "README" | "SOURCES" | "CHANGELOG" | "CONTRIBUTING" | "LICENSE");
    !base.starts_with("~$")
        && !base.starts_with('.')
        && base.contains('.')
        && !documentation
        && EXTENSIONS.contains(&ext.as_str())
}

/// The published forms of a report that gongkai does not read (the PDF or OFD an agency puts online), by name:
/// `Some("PDF")` for `报告.pdf`. A folder walk counts the files it passes over this way (see [`PassedOver`]).
pub fn published_form(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (_, ext) = base.rsplit_once('.')?;
    if ext.eq_ignore_ascii_case("pdf") {
        Some("PDF")
    } else if ext.eq_ignore_ascii_case("ofd") {
        Some("OFD")
    } else {
        None
    }
}

/// What a folder walk passed over: the files in published forms, counted by form, and the zips that hold no
/// report, so that a run over a folder of PDFs says why it read nothing instead of reporting "0 files" in silence.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassedOver {
    forms: std::collections::BTreeMap<&'static str, usize>,
    /// Zips found in folders that hold no report and no published form either (photos, attachments).
    zips: Vec<String>,
    /// Folders and files a walk could not open, with why (`2023/机密: Permission denied (os error 13)`).
    unopened: Vec<String>,
    /// Links to files or folders the walk reads by another path: not followed again.
    reached_again: usize,
}

impl PassedOver {
    /// Count `path` when it is in a published form.
    pub fn note(&mut self, path: &Path) {
        if let Some(form) = published_form(&path.to_string_lossy()) {
            *self.forms.entry(form).or_default() += 1;
        }
    }

    /// Count a zip found in a folder that holds no report: its PDF and OFD members as such, else the zip itself.
    pub fn note_zip_without_reports(&mut self, zip: &Path, member_names: &[String]) {
        let before = self.total();
        member_names.iter().for_each(|n| self.note(Path::new(n)));
        if self.total() == before {
            self.zips.push(zip.display().to_string());
        }
    }

    /// Note a folder or file a walk could not open.
    pub fn note_unopened(&mut self, path: &Path, why: &str) {
        self.unopened.push(format!("{}: {why}", path.display()));
    }

    /// How many files were passed over.
    pub fn total(&self) -> usize {
        self.forms.values().sum::<usize>() + self.zips.len() + self.unopened.len() + self.reached_again
    }

    /// The lines for the end of a run: the published forms, the zips without reports, what could not be opened.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut lines: Vec<String> = self.forms_line(lang).into_iter().collect();
        let first_three = |names: &[String], separator: &str| {
            let mut shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(separator);
            if names.len() > 3 {
                shown.push_str(separator);
                shown.push('…');
            }
            shown
        };
        if !self.zips.is_empty() {
            let shown = first_three(&self.zips, ", ");
            let n = self.zips.len();
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个压缩包中没有年报文件，未读：{shown}"),
                Lang::En => {
                    format!("{n} more {} without report files, not read: {shown}", if n == 1 { "zip" } else { "zips" })
                }
            });
        }
        if self.reached_again > 0 {
            let n = self.reached_again;
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个链接指向已读的文件或文件夹，未重复读取"),
                Lang::En => format!(
                    "{n} more {} to files or folders read by another path, not read twice",
                    if n == 1 { "link" } else { "links" }
                ),
            });
        }
        if !self.unopened.is_empty() {
            let shown = first_three(&self.unopened, "; ");
            let n = self.unopened.len();
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个文件夹或文件无法打开，未读（请检查权限和链接）：{shown}"),
                Lang::En => format!(
                    "{n} more {} could not be opened, not read (check permissions and links): {shown}",
                    if n == 1 { "folder or file" } else { "folders or files" }
                ),
            });
        }
        lines
    }

    fn forms_line(&self, lang: Lang) -> Option<String> {
        let total: usize = self.forms.values().sum();
        if total == 0 {
            return None;
        }
        let forms: Vec<&str> = self.forms.keys().copied().collect();
        Some(match lang {
            Lang::Zh => {
                let counts: Vec<String> = self.forms.iter().map(|(form, n)| format!("{form} {n} 个")).collect();
                let why = source_not("", &forms.join(" 或 ")).zh;
                format!("另有 {total} 个文件未读（{}）：{why}", counts.join("，"))
            }
            Lang::En => {
                let counts: Vec<String> = self.forms.iter().map(|(form, n)| format!("{form} {n}")).collect();
                let why = source_not(&forms.join(" or "), "").en;
                format!(
                    "{total} more {} not read ({}): {why}",
                    if total == 1 { "file" } else { "files" },
                    counts.join(", ")
                )
            }
        })
    }
}

/// A file found below a folder.
pub struct FoundFile {
    pub path: PathBuf,
    pub modified: Option<std::time::SystemTime>,
}

/// The files below `dir`, names sorted in each folder, leaving out the folders `leave_out` names. Symbolic links
/// are followed, as archives are often arranged with them (a view by year over folders by agency): a folder is
/// walked once, by its own path if it is in the tree, and a file reached more than once is given once, by its own
/// path if the walk met it there, else where it met it first; the links passed over are counted in `passed_over`.
/// A link to nothing is given as a file when its name is a report's or a zip's, so that the run reads it and says
/// why it cannot; another entry the walk cannot open (a folder without permission) is noted in `passed_over`.
pub fn files_below(dir: &Path, leave_out: impl Fn(&Path) -> bool, passed_over: &mut PassedOver) -> Vec<FoundFile> {
    let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut linked_folders_walked = std::collections::HashSet::new();
    let folder_links_passed = std::cell::Cell::new(0);
    let walk = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 || !e.file_type().is_dir() {
            return true;
        }
        if leave_out(e.path()) {
            return false;
        }
        if !e.path_is_symlink() {
            return true;
        }
        // A link to a folder inside the tree adds nothing: the walk reaches that folder by its own path. A folder
        // outside is walked once however many links lead to it: links can make exponentially many paths.
        let walk_it = std::fs::canonicalize(e.path())
            .map_or(true, |target| !target.starts_with(&base) && linked_folders_walked.insert(target));
        if !walk_it {
            folder_links_passed.set(folder_links_passed.get() + 1);
        }
        walk_it
    });
    let mut files = Vec::new();
    let mut through_links = false;
    for entry in walk {
        if let Ok(entry) = &entry {
            through_links |= entry.path_is_symlink();
        }
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
                files.push(FoundFile { path: entry.into_path(), modified });
            }
            Ok(_) => {}
            // A link back to a folder the walk is in.
            Err(e) if e.loop_ancestor().is_some() => passed_over.reached_again += 1,
            Err(e) => {
                let Some(path) = e.path() else { continue };
                let name = path.to_string_lossy();
                if is_report_name(&name) || is_zip_path(path) {
                    files.push(FoundFile { path: path.to_path_buf(), modified: None });
                } else {
                    let why = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                    passed_over.note_unopened(path, &why);
                }
            }
        }
    }
    passed_over.reached_again += folder_links_passed.get();
    // Only a walk that went through a link can meet a file twice; the others are spared a path lookup per file.
    if through_links {
        // Each path with the file behind it, and whether it is that file's own path (not through a link).
        let real: Vec<Option<(PathBuf, bool)>> = files
            .iter()
            .map(|file| {
                let real = std::fs::canonicalize(&file.path).ok()?;
                let own = file.path.strip_prefix(dir).is_ok_and(|relative| base.join(relative) == real);
                Some((real, own))
            })
            .collect();
        let read_by_own_path: std::collections::HashSet<&PathBuf> =
            real.iter().flatten().filter(|(_, own)| *own).map(|(real, _)| real).collect();
        let mut read_through_a_link = std::collections::HashSet::new();
        let mut real = real.iter();
        files.retain(|_| {
            let keep = match real.next() {
                Some(Some((real, own))) => {
                    *own || (!read_by_own_path.contains(real) && read_through_a_link.insert(real.clone()))
                }
                _ => true,
            };
            passed_over.reached_again += usize::from(!keep);
            keep
        });
    }
    files
}

/// File extensions gongkai looks at when given a folder.
pub const EXTENSIONS: &[&str] =
    &["xlsx", "xlsm", "xls", "docx", "docm", "doc", "wps", "et", "html", "htm", "shtml", "txt", "md"];

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
    read_bytes(&name, &bytes)
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
            limit: format!("{len} bytes, more than {} MiB", limits::MAX_FILE_BYTES / 1024 / 1024),
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limits::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// A zip archive of reports (not one document), open for reading its members one at a time.
pub struct ZipOfReports {
    path: PathBuf,
    zip: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
    /// Member names by index, decoded.
    names: Vec<String>,
}

/// What a `.zip` found in a folder turns out to be.
pub enum FoundZip {
    /// An archive of reports, open.
    Reports(ZipOfReports),
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
        let Ok(zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return FoundZip::File };
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

    /// Count the members in published forms (PDF, OFD), which [`members`](Self::members) leaves out.
    pub fn note_passed_over(&self, passed_over: &mut PassedOver) {
        for name in &self.names {
            passed_over.note(Path::new(name));
        }
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
                limit: format!("{} bytes, more than {} MiB", entry.size(), limits::MAX_FILE_BYTES / 1024 / 1024),
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
        read_bytes(&name, &bytes)
    }
}

/// How many reports a zip's members are, when the zip holds some and is not itself one Word or Excel document.
fn reports_among(member_names: &[String]) -> Option<usize> {
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

/// Read a report from bytes; `name` is used in messages and as the report's path.
///
/// # Errors
/// As [`read`].
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Report, ImportError> {
    let raw = read_raw(name, bytes)?;
    Ok(crate::recognize::recognize(name, raw))
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
                return xlsx::read_xls(name, bytes).map_err(|e| match e {
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
        Sniffed::Pdf => Err(ImportError::Unsupported {
            path: name.to_string(),
            what: Words::fixed("PDF", "PDF"),
            advice: source_not("the PDF", "PDF"),
        }),
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
        Sniffed::Other if html::looks_binary(bytes) => Err(ImportError::Unsupported {
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

enum Sniffed {
    Zip,
    Cfb,
    Rtf,
    Pdf,
    Markup,
    Other,
}

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Sniffed::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Cfb
    } else if bytes.starts_with(b"{\\rtf") {
        Sniffed::Rtf
    } else if bytes.starts_with(b"%PDF") {
        Sniffed::Pdf
    } else {
        let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'<') { Sniffed::Markup } else { Sniffed::Other }
    }
}

fn contains_utf16(haystack: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    haystack.windows(pattern.len()).any(|w| w == pattern.as_slice())
}

/// A zip archive read from memory.
pub(crate) type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Open a zip, enforce the container limits, and tell a Word document from a workbook.
fn zip_kind<'a>(name: &str, bytes: &'a [u8]) -> Result<(InputKind, Archive<'a>), ImportError> {
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
    let mut passed_over = PassedOver::default();
    member_names.iter().for_each(|n| passed_over.note(Path::new(n)));
    let forms: Vec<&str> = passed_over.forms.keys().copied().collect();
    let (count, forms) = (passed_over.total(), forms.join("/"));
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
    Some(ImportError::NotADocument {
        path: name.to_string(),
        hint: Words::owned(
            format!(
                "it is an archive of {reports} files: `gongkai check` and `gongkai batch` read it; unpack it to fix them"
            ),
            format!(
                "这是装有 {reports} 个文件的压缩包：gongkai check 和 gongkai batch 可直接读取；要修改其中的文件，请先解压"
            ),
        ),
    })
}

/// Open a zip archive over bytes and check its entry count, declared sizes and compression ratios.
pub(crate) fn open_zip<'a>(name: &str, bytes: &'a [u8]) -> Result<Archive<'a>, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        // No end-of-directory record anywhere: the file stops short of its end (it began as a zip, or it would not
        // be read as one).
        if memchr::memmem::rfind(bytes, b"PK\x05\x06").is_none() {
            ImportError::Truncated { path: name.to_string() }
        } else {
            ImportError::Corrupt { path: name.to_string(), detail: format!("not a readable zip ({e})") }
        }
    })?;
    if archive.len() > limits::MAX_ZIP_ENTRIES {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!("{} zip entries, more than {}", archive.len(), limits::MAX_ZIP_ENTRIES),
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
                limit: format!("zip entry inflates {}×, a zip bomb", size / entry.compressed_size().max(1)),
            });
        }
    }
    if total > limits::MAX_ZIP_INFLATED {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!(
                "zip inflates to {} MiB, more than {} MiB",
                total / 1024 / 1024,
                limits::MAX_ZIP_INFLATED / 1024 / 1024
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
            limit: format!("{part} inflates past {} MiB", limits::MAX_XML_PART / 1024 / 1024),
        },
        inflate::EntryError::Corrupt(detail) => {
            ImportError::Corrupt { path: name.to_string(), detail: format!("{part}: {detail}") }
        }
    })
}

/// Count one more level of XML nesting, refusing past [`limits::MAX_XML_DEPTH`].
pub(crate) fn enter_element(name: &str, depth: &mut usize) -> Result<(), ImportError> {
    *depth += 1;
    if *depth > limits::MAX_XML_DEPTH {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!("XML nesting deeper than {} levels", limits::MAX_XML_DEPTH),
        });
    }
    Ok(())
}

/// The local part of an element or attribute name (`c` of `x:c`). quick-xml's `local_name()` finds the colon with
/// a `char` search that costs a compare per call; readers take it for every element and attribute they see.
pub(crate) fn local_name(qname: &str) -> &str {
    // The colon is ASCII: the local part starts on a character boundary.
    &qname[qname.len() - local_part(qname.as_bytes()).len()..]
}

/// [`local_name`] of a name not yet checked to be UTF-8 (a tag seen in raw markup).
pub(crate) fn local_part(qname: &[u8]) -> &[u8] {
    qname.iter().position(|&b| b == b':').map_or(qname, |colon| &qname[colon + 1..])
}

/// The text of a `Text`, `GeneralRef` (a character or predefined entity) or `CData` event, borrowed where the
/// XML allows; `None` for other events.
pub(crate) fn event_text<'a>(event: &'a quick_xml::events::Event) -> Option<std::borrow::Cow<'a, str>> {
    into_text(event.borrow())
}

/// [`event_text`] of an event given away: what it borrows, it borrows from the XML.
pub(crate) fn into_text(event: quick_xml::events::Event<'_>) -> Option<std::borrow::Cow<'_, str>> {
    use quick_xml::events::Event;
    use std::borrow::Cow;
    match event {
        Event::Text(t) => Some(t.xml10_content()),
        Event::CData(c) => Some(c.xml10_content()),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
            _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(Cow::Borrowed),
        },
        _ => None,
    }
}

/// Append `text` to `dst` without letting `dst` grow past [`limits::MAX_CELL_TEXT`] (cut at a character boundary).
pub(crate) fn push_bounded(dst: &mut String, text: &str) {
    let room = limits::MAX_CELL_TEXT.saturating_sub(dst.len());
    if text.len() <= room {
        dst.push_str(text);
        return;
    }
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    dst.push_str(&text[..cut]);
}

/// Cut an over-long cell text at a character boundary.
pub(crate) fn bound_text(mut text: String) -> String {
    if text.len() > limits::MAX_CELL_TEXT {
        let mut cut = limits::MAX_CELL_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}
