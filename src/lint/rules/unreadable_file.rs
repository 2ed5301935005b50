//! E000: a file that gongkai cannot read. Not a check over a report (there is no report): the registry holds it so
//! that `gongkai rules`, `gongkai rule E000`, SARIF and the statistics describe it as they describe every rule.

use crate::lint::{FixAvailability, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "E000",
    name: "unreadable-file",
    severity: Severity::Error,
    summary: "文件无法读取",
    summary_en: "The file could not be read",
    explain: "## What it does\n\
Reports a file that gongkai cannot read, once, with the reason and what to do, in the language of the run; the\n\
run goes on with the other files and exits with 1. The `code` of the JSON output's `error` says which reason:\n\n\
- io: the file cannot be opened or read (permissions, a path that went away).\n\
- broken-link: a symbolic link to a file that is not there (moved or deleted).\n\
- empty: the file has no content.\n\
- old-binary: .doc, .wps or .et (Word 97-2003 and WPS binary formats; .xls is read).\n\
- encrypted: the file has a password.\n\
- scanned: a PDF without a text layer (scanned pages): it needs text recognition (OCR) first.\n\
- tables-as-images: a PDF with text whose tables are pictures pasted in (no ruling lines, no cells, large images\n\
  where the tables stand): their numbers cannot be read without OCR.\n\
- no-report: a PDF in which no part of a report is found (no table of the format, none of its sections): a\n\
  notice or an attachment kept beside the reports.\n\
- corrupt: the file is damaged or truncated.\n\
- not-a-document: a zip that is not a Word or Excel document (an OpenDocument file, or an archive of reports).\n\
- unsupported: OFD, RTF, a bare XML file, or binary content under a report's name.\n\
- limit: the file exceeds a safety limit (size, zip entries, compression ratio, nesting).\n\
- internal: gongkai failed on this file.\n\n\
## Why\n\
A report that cannot be read cannot be checked: in a run over an archive it must be counted and named, not\n\
skipped, and the clerk must learn what to do with it.\n\n\
## Example\n\
`报告.doc`, saved by Word 97-2003: E000 with the reason `old-binary` and the help to save it as .docx.\n\n\
## Fix\n\
None by gongkai; the help line says what to do: save .doc/.wps/.et as .docx or .xlsx, remove the password\n\
(文件 › 信息 › 保护), download a damaged file again, run OCR on a scanned PDF or use the .docx or .xlsx it was made\n\
from, unpack a zip of\n\
reports to fix them (`check` and `batch` read it as it is). An `internal` failure is a bug in gongkai: please report\n\
it with the file.",
    explain_zh: "## 作用\n\
报告 gongkai 读不了的文件，只报告一次，用本次运行的语言说明原因和办法；其他文件照常检查，运行以 1 退出。JSON 输出中 error 的 code 说明原因：io（文件打不开或读不了：权限、路径已不存在）；broken-link（符号链接指向的文件已不存在）；empty（文件没有内容）；old-binary（.doc、.wps、.et 等旧的二进制格式；.xls 可以读）；encrypted（文件有密码）；scanned（没有文字层的扫描件 PDF，须先做文字识别）；tables-as-images（有文字、但统计表是以图片粘贴的 PDF）；no-report（其中找不到年报任何部分的 PDF：年报旁的通知或附件）；corrupt（文件损坏或不完整）；not-a-document（不是 Word 或 Excel 文档的 zip：OpenDocument 文件或年报的压缩包）；unsupported（OFD、RTF、单独的 XML 或以年报命名的二进制内容）；limit（超出安全限制：大小、zip 条目数、压缩比、嵌套层数）；internal（gongkai 处理此文件时出错）。\n\n\
## 原因\n\
读不了的报告就无法检查：在整批归档中必须计数并点名，不能跳过；填表人也要知道该怎么办。\n\n\
## 示例\n\
Word 97-2003 保存的「报告.doc」：E000，原因 old-binary，提示另存为 .docx。\n\n\
## 修复\n\
gongkai 无法修复；提示一行说明办法：把 .doc/.wps/.et 另存为 .docx 或 .xlsx，取消密码（文件 › 信息 › 保护），重新下载损坏的文件，对扫描件做文字识别或使用制作它的 .docx、.xlsx，解压年报的压缩包后再修复（check 和 batch 可直接读取压缩包）。internal 是 gongkai 的缺陷：请连同文件一起报告。",
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[],
};
