//! The two languages of gongkai's messages: [`Lang`] chooses one, [`Text`] carries a message in both. A leaf: it
//! knows nothing of reports, files or rules, so that every layer can speak in the run's language.

use serde::Serialize;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The one of two texts that is in this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A text in both languages of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The text in the chosen language.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::new("", "")
    }
}

/// An I/O error in the language of the run: the operating system's words are English, so the usual kinds are put
/// in Chinese and the rest keep the system's text.
pub fn io_error_in(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    if lang == Lang::En {
        return e.to_string();
    }
    match e.kind() {
        ErrorKind::NotFound => "路径不存在".to_string(),
        ErrorKind::PermissionDenied => "没有权限".to_string(),
        ErrorKind::AlreadyExists => "已存在".to_string(),
        ErrorKind::NotADirectory => "路径中有一项不是文件夹".to_string(),
        ErrorKind::IsADirectory => "这是文件夹".to_string(),
        ErrorKind::StorageFull => "磁盘已满".to_string(),
        ErrorKind::ReadOnlyFilesystem => "文件系统只读".to_string(),
        _ => e.to_string(),
    }
}
