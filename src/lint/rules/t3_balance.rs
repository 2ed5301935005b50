//! C301: 表三 勾稽关系: 第一项加第二项之和，等于第三项加第四项之和.

use super::blank_total_with_parts;
use crate::layout::{self, TableId};
use crate::lint::{CountRead, Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num, read_count};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "C301",
    name: "t3-balance",
    severity: Severity::Error,
    summary: "表三 勾稽关系不成立：第一项加第二项之和应等于第三项加第四项之和",
    summary_en: "Table 3 does not balance: new + carried over must equal results + carried forward",
    explain: "## What it does\n\
For each column of 表三, checks the identity the table states in its own header cell: 一、本年新收 + 二、上年结转 = \
三、本年度办理结果 (七)总计 + 四、结转下年度继续办理 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
Every application received or carried over is either answered this year or carried forward. This is the 勾稽关系 \
reviewers check first.\n\n\
## Example\n\
自然人: 10 + 2 ≠ 9 + 2.\n\n\
## Fix\n\
None: gongkai cannot tell which of the four numbers is wrong.",
    explain_zh: "## 作用\n\
对表三的每一列，核对表头单元格自己写明的关系：一、本年新收 + 二、上年结转 = 三、本年度办理结果的(七)总计 + 四、结转下年度继续办理。\n\n\
## 原因\n\
收到或结转来的每件申请，要么今年办结，要么结转下年。这是审核人员首先核对的勾稽关系。\n\n\
## 示例\n\
自然人：10 + 2 ≠ 9 + 2。\n\n\
## 修复\n\
无：gongkai 无法判断四个数字中哪一个错了。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "new-applications-not-handled",
            2,
            &[Given::Cell("t3.new_received.natural_person", "1"), Given::Cell("t3.new_received.total", "1")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    for (ci, col) in layout::T3_COLS.iter().enumerate() {
        let keys = ["new_received", "carried_over", "result.total", "carried_forward"].map(|r| layout::t3_key(r, ci));
        if keys.iter().any(|k| blank_total_with_parts(report, k)) {
            continue;
        }
        let values = keys.clone().map(|k| read_count(report, &k));
        let [CountRead::Value(new), CountRead::Value(over), CountRead::Value(done), CountRead::Value(forward)] = values
        else {
            continue;
        };
        if (new + over - done - forward).abs() < 1e-9 {
            continue;
        }
        let mut f = Finding::new(format!(
                    "表三「{}」列勾稽关系不成立：本年新收 {} + 上年结转 {} = {}，而办理结果总计 {} + 结转下年度 {} = {}",
                    col.label,
                    num(new),
                    num(over),
                    num(new + over),
                    num(done),
                    num(forward),
                    num(done + forward)
                ), format!(
                    "table 3 column 「{}」 does not balance: new {} + carried over {} = {}, but results {} + carried forward {} = {}",
                    col.label,
                    num(new),
                    num(over),
                    num(new + over),
                    num(done),
                    num(forward),
                    num(done + forward)
                )).at(report, &keys[3]);
        f.table = Some(TableId::T3);
        f = f.help(
            "第一项加第二项之和，应等于第三项加第四项之和：核对本年新收、上年结转、（七）总计和结转下年度继续办理",
            "new + carried over must equal (七)总计 + carried forward: check the four rows",
        );
        f = f.label(
            format!("{} + {} ≠ {} + {}", num(new), num(over), num(done), num(forward)),
            format!("{} + {} ≠ {} + {}", num(new), num(over), num(done), num(forward)),
        );
        sink.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        set(&mut r, "t3.new_received.natural_person", "10");
        set(&mut r, "t3.carried_over.natural_person", "2");
        set(&mut r, "t3.result.total.natural_person", "10");
        set(&mut r, "t3.carried_forward.natural_person", "2");
        assert!(run(&r, "C301").is_empty());
        set(&mut r, "t3.carried_forward.natural_person", "3");
        let d = run(&r, "C301");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key.as_deref(), Some("t3.carried_forward.natural_person"));
    }
}
