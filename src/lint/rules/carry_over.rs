//! C306: last year's 结转下年度 ≠ this year's 上年结转 (reports of one agency checked together).

use crate::layout;
use crate::lint::{CountRead, Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num, read_count};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C306",
    name: "carry-over-mismatch",
    severity: Severity::Warning,
    summary: "上年结转 与上一年度报告的 结转下年度继续办理 不一致",
    summary_en: "Carried over does not equal last year's carried forward",
    explain: "## What it does\n\
When reports of the same agency for consecutive years are checked in one run, compares each column of 表三 \
二、上年结转政府信息公开申请数量 (year Y) with 四、结转下年度继续办理 (year Y−1) (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
The applications carried forward at the end of one year are the ones carried over into the next.\n\n\
## Example\n\
2023 结转下年度 总计 5, 2024 上年结转 总计 3.\n\n\
## Fix\n\
None: check both reports.",
    explain_zh: "## 作用\n\
同一机关相邻两年的报告在同一次运行中检查时，把表三“二、上年结转政府信息公开申请数量”（Y 年）逐列与“四、结转下年度继续办理”（Y−1 年）比较。\n\n\
## 原因\n\
一年年底结转下年的申请，就是下一年从上年结转来的申请。\n\n\
## 示例\n\
2023 年结转下年度总计 5，2024 年上年结转总计 3。\n\n\
## 修复\n\
无：核对两份报告。",
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("carried-as-last-year-left-it", &[Given::YearBefore(&[])]),
        Vector::fail(
            "carried-over-differs",
            2,
            &[Given::YearBefore(&[
                Given::Cell("t3.new_received.natural_person", "2"),
                Given::Cell("t3.new_received.total", "2"),
                Given::Cell("t3.carried_forward.natural_person", "2"),
                Given::Cell("t3.carried_forward.total", "2"),
            ])],
        ),
    ],
};

/// Compare a report with the same agency's report for the year before.
pub fn check_pair(previous: &Report, current: &Report, sink: &mut Sink) {
    for (ci, col) in layout::T3_COLS.iter().enumerate() {
        let before = read_count(previous, &layout::t3_key("carried_forward", ci));
        let now_key = layout::t3_key("carried_over", ci);
        let (CountRead::Value(a), CountRead::Value(b)) = (before, read_count(current, &now_key)) else { continue };
        if (a - b).abs() < 1e-9 {
            continue;
        }
        let year = previous.meta.year.unwrap_or_default();
        sink.push(
            Finding::new(
                format!(
                    "表三「{}」列上年结转为 {}，而 {year} 年度报告的结转下年度为 {}（{}）",
                    col.label,
                    num(b),
                    num(a),
                    previous.path
                ),
                format!(
                    "table 3 column 「{}」: carried over {} but the {year} report carried forward {} ({})",
                    col.label,
                    num(b),
                    num(a),
                    previous.path
                ),
            )
            .at(current, &now_key)
            .help("核对两年报告的结转数", "check the carried numbers of both reports")
            .label(format!("上年为 {}", num(a)), format!("last year {}", num(a))),
        );
    }
}
