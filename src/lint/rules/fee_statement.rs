//! T607: section 六 says nothing about the 信息处理费.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T607",
    name: "fee-statement-missing",
    severity: Severity::Warning,
    summary: "第六部分未说明信息处理费收取情况",
    summary_en: "Section 六 does not report the information processing fee",
    explain: "## What it does\n\
Warns, for the reports of 2021 and later, when section 六、其他需要报告的事项 does not mention the 信息处理费 charged under 国办函〔2020〕109号 \
(国办函〔2020〕109号).\n\n\
## Why\n\
Provincial rules require the fees collected to be reported in the annual report; the usual sentence is \
\"本机关依据国办函〔2020〕109号规定的按件、按量收费标准，本年度没有产生信息处理费\".\n\n\
## Example\n\
六、其他需要报告的事项：无。\n\n\
## Fix\n\
None: add the statement (also when no fee was charged).",
    explain_zh: "## 作用\n\
对 2021 年及以后的报告，第六部分「其他需要报告的事项」没有说明按国办函〔2020〕109号收取信息处理费的情况时提出警告。\n\n\
## 原因\n\
各省的规定要求在年报中报告收取的费用；通常的写法是「本机关依据国办函〔2020〕109号规定的按件、按量收费标准，本年度没有产生信息处理费」。\n\n\
## 示例\n\
「六、其他需要报告的事项：无。」\n\n\
## 修复\n\
无：补写这句说明（没有收费也要写）。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("no-word-on-fees", 1, &[Given::Paragraph("本机关依据", "本年度无其他需要报告的事项。")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    // 国办函〔2020〕109号 applies from 2021-01-01: the reports for 2021 and later.
    if report.meta.year.is_none_or(|y| y < 2021) {
        return;
    }
    // A section 六 a conversion marked absent is T601's finding, or not the workbook's to have.
    let Some(s) = report.sections.iter().find(|s| s.key == "other_matters" && !crate::layout::is_absence_note(&s.text))
    else {
        return;
    };
    if s.text.contains("处理费") || s.text.contains("收费") {
        return;
    }
    sink.push(
        Finding::new(
            "第六部分未说明信息处理费的收取情况",
            "section 六 does not say whether information processing fees were charged",
        )
        .help(
            "写明按国办函〔2020〕109号收取信息处理费的情况，如「本年度没有产生信息处理费」",
            "state the fees charged under 国办函〔2020〕109号, e.g. 「本年度没有产生信息处理费」",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        let six = |text: &str| section("other_matters", "六、其他需要报告的事项", text);
        r.sections.push(six("本年度没有产生信息处理费。"));
        assert!(run(&r, "T607").is_empty());
        r.sections[0] = six("无。");
        assert_eq!(run(&r, "T607").len(), 1);
        r.meta.year = Some(2020);
        assert!(run(&r, "T607").is_empty(), "109号 applies from the 2021 reports");
    }
}
