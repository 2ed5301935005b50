//! C307: 现行有效件数 does not follow last year's + 制发 − 废止.

use crate::lint::{CountRead, Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num, read_count};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C307",
    name: "in-force-drift",
    severity: Severity::Warning,
    summary: "现行有效件数 与 上年现行有效件数 + 本年制发 − 本年废止 不符",
    summary_en: "Documents in force do not follow last year's + made − repealed",
    explain: "## What it does\n\
When reports of the same agency for consecutive years are checked in one run, compares 表二's 现行有效件数 for \
规章 and 行政规范性文件 with last year's 现行有效件数 + 本年制发件数 − 本年废止件数 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
A large drift suggests a wrong count. Amendments and expiry (失效) also change the number, so this is a warning \
that states the difference, never an error.\n\n\
## Example\n\
2023 现行有效 100, 2024 制发 10, 废止 5, 现行有效 80 (expected about 105).\n\n\
## Fix\n\
None.",
    explain_zh: "## 作用\n\
同一机关相邻两年的报告在同一次运行中检查时，把表二规章、行政规范性文件的现行有效件数，与上年现行有效件数 + 本年制发件数 − 本年废止件数 比较，并写明比较的是哪一份上年报告。\n\n\
## 原因\n\
相差很大说明可能统计有误。修订、失效也会改变件数，所以这是写明差额的警告，从不作为错误。\n\n\
## 示例\n\
2023 年现行有效 100，2024 年制发 10、废止 5、现行有效 80（应约为 105）。\n\n\
## 修复\n\
无。",
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("in-force-carried-on", &[Given::YearBefore(&[])]),
        Vector::fail("in-force-drifts", 1, &[Given::YearBefore(&[Given::Cell("t2.art20_1.rules.in_force", "5")])]),
    ],
};

/// Compare a report with the same agency's report for the year before.
pub fn check_pair(previous: &Report, current: &Report, sink: &mut Sink) {
    for (row, label) in [("rules", "规章"), ("normative_docs", "行政规范性文件")] {
        let key = |f: &str| format!("t2.art20_1.{row}.{f}");
        let values = [
            read_count(previous, &key("in_force")),
            read_count(current, &key("made")),
            read_count(current, &key("repealed")),
            read_count(current, &key("in_force")),
        ];
        let [CountRead::Value(before), CountRead::Value(made), CountRead::Value(repealed), CountRead::Value(now)] =
            values
        else {
            continue;
        };
        if current.number(&key("in_force")).is_none() || previous.number(&key("in_force")).is_none() {
            continue;
        }
        let expected = before + made - repealed;
        if (expected - now).abs() < 1e-9 {
            continue;
        }
        sink.push(
            Finding::new(
                format!(
                    "「{label}」现行有效件数 {}，而上年 {} + 本年制发 {} − 本年废止 {} = {}，相差 {}（上年即 {} 年度报告，{}）",
                    num(now),
                    num(before),
                    num(made),
                    num(repealed),
                    num(expected),
                    num(now - expected),
                    previous.meta.year.map_or_else(|| "?".to_string(), |y| y.to_string()),
                    previous.path
                ),
                format!(
                    "「{label}」: {} in force, but last year's {} + {} made − {} repealed = {} (difference {}; last year is the {} report, {})",
                    num(now),
                    num(before),
                    num(made),
                    num(repealed),
                    num(expected),
                    num(now - expected),
                    previous.meta.year.map_or_else(|| "?".to_string(), |y| y.to_string()),
                    previous.path
                ),
            )
            .at(current, &key("in_force"))
            .help(
                "修订、失效也会改变现行有效件数；若无此类情况，请核对",
                "amendments and expiry also change the count; if there were none, check it",
            )
            .label(format!("约应为 {}", num(expected)), format!("about {}", num(expected))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::lint::Sink;

    #[test]
    fn passes_and_fails() {
        let mut before = clean_report();
        set(&mut before, "t2.art20_1.rules.in_force", "10");
        let mut now = clean_report();
        set(&mut now, "t2.art20_1.rules.made", "3");
        set(&mut now, "t2.art20_1.rules.repealed", "1");
        set(&mut now, "t2.art20_1.rules.in_force", "12");
        let mut sink = Sink::for_rule(&super::RULE);
        super::check_pair(&before, &now, &mut sink);
        assert!(sink.into_findings().is_empty());
        set(&mut now, "t2.art20_1.rules.in_force", "20");
        let mut sink = Sink::for_rule(&super::RULE);
        super::check_pair(&before, &now, &mut sink);
        assert_eq!(sink.into_findings().len(), 1);
    }
}
