//! S106: a label worded differently from the format.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Note;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "S106",
    name: "label-variant",
    severity: Severity::Warning,
    summary: "栏目名称与标准格式不一致",
    summary_en: "A row or column label is worded differently from the standard format",
    explain: "## What it does\n\
Reports a row or column label that gongkai recognised only as a known variant or an abbreviation of the official \
wording, e.g. `本年发件数` for `本年制发件数`, or `(二)部分公开` without its counting note.\n\n\
## Why\n\
The labels are part of the national format; reviewers and other tools compare them verbatim. Numbering and \
punctuation differences (`1、` for `1.`, full-width brackets, a lost pair of quotation marks) are not reported.\n\n\
## Example\n\
表二 header `本年发件数` → expected `本年制发件数`.\n\n\
## Fix\n\
None in the source file; `gongkai convert` writes the standard labels.",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("header-worded-differently", 1, &[Given::Label("本年制发件数", "本年发件数")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for note in &report.notes {
        if let Note::LabelVariant { table, found, expected, origin } = note {
            sink.push(
                Finding::new(
                    format!("{}的栏目「{}」与标准格式「{}」不一致", table.zh(), found, expected),
                    format!("the label 「{}」 of {} differs from the standard 「{}」", found, table.en(), expected),
                )
                .help(format!("改为「{expected}」"), format!("write 「{expected}」"))
                .in_table(*table)
                .at_origin(Some(*origin))
                .label(format!("应为「{expected}」"), format!("expected 「{expected}」")),
            );
        }
    }
}
