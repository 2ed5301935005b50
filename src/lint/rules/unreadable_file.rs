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
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[],
};
