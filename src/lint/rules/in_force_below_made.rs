//! C305: 现行有效件数 below 本年制发件数.

use crate::lang::Text;
use crate::lint::{CountRead, Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num, read_count};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C305",
    name: "in-force-below-made",
    severity: Severity::Warning,
    summary: "表二 现行有效件数 小于 本年制发件数",
    summary_en: "Table 2: fewer documents in force than were made this year",
    explain: "## What it does\n\
For 规章 and 行政规范性文件, warns when 现行有效件数 < 本年制发件数 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
Documents made this year are in force unless repealed in the same year, so this usually means the columns were \
swapped or 现行有效件数 counts something else.\n\n\
## Example\n\
行政规范性文件: 制发 5, 废止 0, 现行有效 3.\n\n\
## Fix\n\
None.",
    explain_zh: "## 作用\n\
对规章和行政规范性文件，当 现行有效件数 < 本年制发件数 时提出警告。\n\n\
## 原因\n\
今年制发的文件除非当年废止都仍然有效，所以这通常说明列填反了，或现行有效件数统计的是别的东西。\n\n\
## 示例\n\
行政规范性文件：制发 5，废止 0，现行有效 3。\n\n\
## 修复\n\
无。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("more-made-than-in-force", 1, &[Given::Cell("t2.art20_1.rules.made", "3")]),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for (row, label) in [("rules", "规章"), ("normative_docs", "行政规范性文件")] {
        let made_key = format!("t2.art20_1.{row}.made");
        let in_force_key = format!("t2.art20_1.{row}.in_force");
        let repealed = match read_count(report, &format!("t2.art20_1.{row}.repealed")) {
            CountRead::Value(v) => v,
            CountRead::Skip => 0.0,
        };
        let (CountRead::Value(made), CountRead::Value(in_force)) =
            (read_count(report, &made_key), read_count(report, &in_force_key))
        else {
            continue;
        };
        // Documents made and repealed in the same year explain the difference.
        if in_force + repealed >= made || report.number(&in_force_key).is_none() {
            continue;
        }
        let mut f = Finding::new(
            format!("「{label}」现行有效件数 {} 小于本年制发件数 {}", num(in_force), num(made)),
            format!("「{label}」: {} in force is less than {} made this year", num(in_force), num(made)),
        )
        .at(report, &in_force_key);
        f.help =
            Some(Text::new("核对是否填反了列，或现行有效件数是否统计完整", "check whether the columns were swapped"));
        f.label =
            Some(Text::new(format!("{} < {}", num(in_force), num(made)), format!("{} < {}", num(in_force), num(made))));
        sink.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        set(&mut r, "t2.art20_1.normative_docs.made", "5");
        set(&mut r, "t2.art20_1.normative_docs.in_force", "30");
        assert!(run(&r, "C305").is_empty());
        set(&mut r, "t2.art20_1.normative_docs.in_force", "3");
        assert_eq!(run(&r, "C305").len(), 1);
    }
}
