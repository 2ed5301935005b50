//! Why a file could not be read: [`ImportError`], each variant naming the file and saying what to do, in both
//! languages of the tool.

use crate::lang::Lang;

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

    /// A file whose end is missing (a zip's central directory, a PDF's `%%EOF`): the usual damage, from a download
    /// or copy cut off.
    #[error("{path}: the file is cut short: {missing} is missing, as after an interrupted download or copy")]
    #[diagnostic(code(gongkai::corrupt), help("download or copy the file again"))]
    Truncated { path: String, missing: Words },

    #[error("{path}: the PDF is protected by a password")]
    #[diagnostic(
        code(gongkai::encrypted),
        help("ask for a copy without the password, or print it to a new PDF without one in the reader that opens it")
    )]
    PdfEncrypted { path: String },

    /// A PDF without a text layer: scanned pages (images), or nothing at all.
    #[error("{path}: the PDF has no text layer{}", if *images { " (its pages are scanned images)" } else { "" })]
    #[diagnostic(
        code(gongkai::scanned),
        help(
            "run text recognition (OCR) on it first (WPS, Acrobat, ocrmypdf), or use the .docx or .xlsx it was made from"
        )
    )]
    Scanned { path: String, images: bool },

    /// A PDF with text but no table in it, and large images where the tables would be: tables pasted as pictures.
    #[error("{path}: the PDF has text but its tables are images (page {pages}): their numbers cannot be read")]
    #[diagnostic(
        code(gongkai::tables_as_images),
        help("use the .docx or .xlsx the report was made from, or run text recognition (OCR) on those pages first")
    )]
    TablesAsImages { path: String, pages: String },

    /// A PDF with text in which no part of a report is found: no table of the format and none of its sections.
    #[error(
        "{path}: no information-disclosure annual report was found in this PDF (no table of the format, no section of it)"
    )]
    #[diagnostic(
        code(gongkai::no_report),
        help("check that this is the report; a notice or an attachment beside it need not be checked")
    )]
    NoReport { path: String },

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
    Limit { path: String, limit: Words },
}

/// A part of an import error's message in both languages; `Display` shows the English. The technical details
/// (a zip or XML parser's words, a part name) stay as they are in either language. Not a
/// [`crate::lang::Text`], whose two `String`s would make `ImportError` (the error of every reader) 32 bytes larger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub en: Box<str>,
    pub zh: Box<str>,
}

impl Words {
    pub(crate) fn fixed(en: &str, zh: &str) -> Self {
        Words { en: en.into(), zh: zh.into() }
    }

    pub(crate) fn owned(en: String, zh: String) -> Self {
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
        "gongkai reads .docx, .xlsx, .xls, .pdf, web pages (.html) and text dumps (.txt, .md)",
        "gongkai 读取 .docx、.xlsx、.xls、.pdf、网页（.html）和文本（.txt、.md）",
    )
}

/// Why a published form gongkai does not read (`the OFD`, `OFD`) is not read, and what to give it instead.
pub fn source_not(forms_en: &str, forms_zh: &str) -> Words {
    Words::owned(
        format!("gongkai does not read {forms_en}: use the report's PDF, or the .docx or .xlsx it was made from"),
        format!("gongkai 不读取 {forms_zh}：请使用年报的 PDF 版本，或制作年报的 .docx、.xlsx"),
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
            | ImportError::PdfEncrypted { path }
            | ImportError::Scanned { path, .. }
            | ImportError::TablesAsImages { path, .. }
            | ImportError::NoReport { path }
            | ImportError::Corrupt { path, .. }
            | ImportError::Truncated { path, .. }
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
            ImportError::Truncated { missing, .. } => format!("文件不完整：缺少{}，常见于下载或复制中断", missing.zh),
            ImportError::PdfEncrypted { .. } => "PDF 设有打开密码".to_string(),
            ImportError::Scanned { images: true, .. } => "扫描件，没有文字层，需要先做文字识别（OCR）".to_string(),
            ImportError::Scanned { images: false, .. } => "PDF 中没有文字层，需要先做文字识别（OCR）".to_string(),
            ImportError::TablesAsImages { pages, .. } => {
                format!("PDF 中的统计表是以图片形式插入的（第{pages}页），其中的数字无法读取")
            }
            ImportError::NoReport { .. } => {
                "PDF 中没有找到政府信息公开工作年度报告（没有标准格式的统计表，也没有报告的各部分）".to_string()
            }
            ImportError::NotADocument { .. } => "文件是 zip 压缩包，但不是 Word 或 Excel 文档".to_string(),
            ImportError::Unsupported { what, .. } => format!("gongkai 不读取这种格式（{}）", what.zh),
            ImportError::Internal { detail, .. } => format!("gongkai 处理此文件时出错：{detail}"),
            ImportError::Limit { limit, .. } => format!("文件超出安全限制：{}", limit.zh),
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
            ImportError::PdfEncrypted { .. } => {
                "请向来源索取没有密码的文件，或在能打开它的阅读器中打印（另存）为不加密的 PDF".to_string()
            }
            ImportError::Scanned { .. } => {
                "先做文字识别（OCR，如 WPS 的“PDF 转文字”、Acrobat、ocrmypdf），或使用制作它的 .docx、.xlsx".to_string()
            }
            ImportError::TablesAsImages { .. } => {
                "请使用制作它的 .docx 或 .xlsx，或先对这几页做文字识别（OCR）".to_string()
            }
            ImportError::NoReport { .. } => "请确认这是年报文件；年报旁的通知、附件无需检查".to_string(),
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
            ImportError::Encrypted { .. } | ImportError::PdfEncrypted { .. } => "encrypted",
            ImportError::Scanned { .. } => "scanned",
            ImportError::TablesAsImages { .. } => "tables-as-images",
            ImportError::NoReport { .. } => "no-report",
            // Damaged either way: one code, as the machine outputs have always given it.
            ImportError::Corrupt { .. } | ImportError::Truncated { .. } => "corrupt",
            ImportError::NotADocument { .. } => "not-a-document",
            ImportError::Unsupported { .. } => "unsupported",
            ImportError::Internal { .. } => "internal",
            ImportError::Limit { .. } => "limit",
        }
    }
}
