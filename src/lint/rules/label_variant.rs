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
    explain_zh: "## 作用\n\
报告 gongkai 只能当作已知变体或简写认出的行、列标题，如把「本年制发件数」写成「本年发件数」，或「(二)部分公开」没有带计数说明。\n\n\
## 原因\n\
栏目名称是国家格式的一部分，审核人员和其他程序逐字比对。编号和标点的差别（「1、」与「1.」、全角括号、丢了引号）不报告。\n\n\
## 示例\n\
表二表头「本年发件数」→ 应为「本年制发件数」。\n\n\
## 修复\n\
原文件中无：gongkai convert 写出标准的栏目名称。",
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
