//! T603: a section heading worded differently from the format.

use crate::layout;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;
use crate::normalize;

pub const RULE: Rule = Rule {
    code: "T603",
    name: "section-heading-variant",
    severity: Severity::Warning,
    summary: "部分标题的措辞与标准格式不一致",
    summary_en: "A section heading is worded differently from the format",
    explain: "## What it does\n\
Reports a section heading that was recognised but is not the format's wording, e.g. \
`五、信息公开工作存在的主要问题及改进情况` for `五、存在的主要问题及改进情况` (国办公开办函〔2021〕30号, its six sections). The \
trial-era `五、政府信息公开工作存在的主要问题及改进情况` is accepted for the 2019 and 2020 reports.\n\n\
## Why\n\
The headings are part of the national format; archives and reviewers match them verbatim.\n\n\
## Example\n\
`五、存在问题及改进情况`.\n\n\
## Fix\n\
None in the source; `gongkai convert` keeps the heading as written.",
    explain_zh: "## 作用\n\
报告认得出、但措辞不是格式规定的部分标题，如把「五、存在的主要问题及改进情况」写成「五、信息公开工作存在的主要问题及改进情况」。试行格式时期的「五、政府信息公开工作存在的主要问题及改进情况」在 2019、2020 年度报告中接受。\n\n\
## 原因\n\
部分标题是国家格式的一部分，归档和审核逐字比对。\n\n\
## 示例\n\
「五、存在问题及改进情况」。\n\n\
## 修复\n\
原文件中无；gongkai convert 保留原来的标题。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "heading-worded-as-the-trial-format",
            1,
            &[Given::Paragraph("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for s in &report.sections {
        let Some((_, standard)) = layout::SECTIONS.iter().find(|(k, _)| *k == s.key) else { continue };
        let found = normalize::label(&s.heading);
        let found =
            found.strip_suffix("(见表)").or_else(|| found.strip_suffix("(见下表)")).unwrap_or(&found).to_string();
        if found == normalize::label(standard) {
            continue;
        }
        let trial_wording = normalize::label("五、政府信息公开工作存在的主要问题及改进情况");
        if found == trial_wording && report.meta.year.is_some_and(|y| y <= 2020) {
            continue;
        }
        sink.push(
            Finding::new(
                format!("部分标题「{}」与标准格式「{}」不一致", s.heading, standard),
                format!("the heading 「{}」 differs from the standard 「{}」", s.heading, standard),
            )
            .help(format!("改为「{standard}」"), format!("write 「{standard}」")),
        );
    }
}
