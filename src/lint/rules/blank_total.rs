//! V206: a total left blank although its parts are not all 0.

use std::collections::HashSet;

use super::relations;
use crate::lang::Text;
use crate::layout;
use crate::lint::{
    Edit, Finding, Fix, FixAvailability, Given, Rule, Safety, Severity, Sink, Vector, address_of, is_blankish_at, num,
    sum_parts,
};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "V206",
    name: "blank-total",
    severity: Severity::Error,
    summary: "合计栏目空白，但其组成部分不为 0",
    summary_en: "A total is blank although its parts are not all 0",
    explain: "## What it does\n\
Reports a total cell (表三 总计 column, 表三 (七)总计 row, 表四 总计) that is blank or `/` while the cells it totals \
add up to more than 0 (the tables of 国办公开办函〔2021〕30号; README › Rules).\n\n\
## Why\n\
A blank total reads as 0 and contradicts its parts. Seen in real reports: the Shanghai 2019 report left the 总计 \
column blank in every result row.\n\n\
## Example\n\
予以公开: 258, 12, —, —, 1, 1, *(blank)*.\n\n\
## Fix\n\
Unsafe: write the sum of the parts.",
    explain_zh: "## 作用\n\
报告合计单元格（表三“总计”列、表三(七)总计行、表四“总计”）为空白或「/」，而它所合计的各项之和大于 0。\n\n\
## 原因\n\
空白的合计读作 0，与各项矛盾。实际见过：上海市 2019 年报告每个办理结果行的“总计”列都是空白。\n\n\
## 示例\n\
予以公开：258、12、—、—、1、1、（空白）。\n\n\
## 修复\n\
会改变数字的修复：写入各项之和。",
    fix: FixAvailability::Unsafe,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("blank-total-of-zeros", &[Given::Cell("t4.review.total", "")]),
        Vector::fail(
            "blank-total-of-parts",
            1,
            &[Given::Cell("t4.review.upheld", "2"), Given::Cell("t4.review.total", "")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let mut done = HashSet::new();
    for rel in relations(report) {
        if !is_blankish_at(report, rel.total_slot) || done.contains(rel.total.as_str()) {
            continue;
        }
        let Some(sum) = sum_parts(report, &rel.part_slots) else {
            continue;
        };
        if sum <= 0.0 {
            continue;
        }
        done.insert(rel.total.as_str());
        let label = layout::key_spec(&rel.total).map_or(rel.total.as_str(), |s| s.label.as_str());
        let addr = address_of(report, &rel.total, crate::lang::Lang::Zh);
        sink.push(
            Finding::new(
                format!("「{label}」为空白，但其组成部分之和为 {}", num(sum)),
                format!("「{label}」 is blank, but its parts add up to {}", num(sum)),
            )
            .at(report, &rel.total)
            .help(
                format!("在 {addr} 填写合计 {}（gongkai fix --unsafe-fixes 可自动填写）", num(sum)),
                format!("write the total {} (gongkai fix --unsafe-fixes does it)", num(sum)),
            )
            .label(format!("空白，应为 {}", num(sum)), format!("blank, should be {}", num(sum)))
            .fix(Fix {
                safety: Safety::Unsafe,
                title: Text::new(format!("填写合计 {}", num(sum)), format!("write the total {}", num(sum))),
                edits: vec![Edit { key: rel.total.clone(), from: report.cells[&rel.total].raw.clone(), to: num(sum) }],
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_fails_and_fixes() {
        let mut r = clean_report();
        set(&mut r, "t3.result.granted.total", "");
        assert!(run(&r, "V206").is_empty(), "blank total with zero parts is V205's");
        set(&mut r, "t3.result.granted.natural_person", "3");
        let d = run(&r, "V206");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key.as_deref(), Some("t3.result.granted.total"));
        assert_fix_clears(&r, "V206");
    }
}
