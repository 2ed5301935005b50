//! F401: the 2019 trial layout used for a report of 2021 or later.

use crate::layout::{FormatVersion, TableId};
use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "F401",
    name: "trial-format-after-2021",
    severity: Severity::Error,
    summary: "2021 年及以后的年报使用了旧版（试行）格式",
    summary_en: "A report for 2021 or later uses the 2019 trial format",
    explain: "## What it does\n\
Reports a report whose year is 2021 or later but whose tables follow the 2019 trial format of 国办公开办函〔2019〕60号 \
(表二 with 本年新制作数量 / 上一年项目数量 / 第二十条第(九)项, 表三 with a single (六)其他处理 row) \
(国办公开办函〔2021〕30号).\n\n\
## Why\n\
Since the 2021 reports the format of 国办公开办函〔2021〕30号 applies; \"使用旧版格式\" is a known review finding.\n\n\
A 2021 report that kept the trial 表三 alone (a single (六)其他处理 row where the 2021 format has three) is reported \
at that row, and its 表三 is summed as the trial table it is.\n\n\
## Example\n\
A 2023 report with 表二 第二十条第(九)项 政府集中采购.\n\n\
## Fix\n\
None: `gongkai convert` maps what carries over to the 2021 model; the rest must be filled in anew.",
    explain_zh: "## 作用\n\
报告年度为 2021 年及以后、表格却按国办公开办函〔2019〕60号的 2019 年试行格式填写的报告（表二有本年新制作数量 / 上一年项目数量 / 第二十条第(九)项，表三的(六)其他处理只有一行）。只有表三沿用试行格式（(六)其他处理只有一行，而 2021 年格式为三行）的 2021 年报告在该行报告，其表三按试行格式合计。\n\n\
## 原因\n\
自 2021 年度报告起适用国办公开办函〔2021〕30号的格式；“使用旧版格式”是常见的审核意见。\n\n\
## 示例\n\
2023 年度报告的表二有第二十条第(九)项 政府集中采购。\n\n\
## 修复\n\
无：gongkai convert 把能对应的内容映射到 2021 年模型，其余须重新填写。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("trial-tables-in-2022", 1, &[]).from("xlsx/trial-format-2022.xlsx"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    if report.format == FormatVersion::V2021 && super::t3_format(report) == FormatVersion::Trial2019 {
        if report.meta.year.is_none_or(|year| year >= 2021) {
            old_other_row(report, sink);
        }
        return;
    }
    let Some(year) = report.meta.year else { return };
    if report.format != FormatVersion::Trial2019 || year < 2021 {
        return;
    }
    let table = if report.cells.keys().any(|k| k.starts_with("t2v19.")) { TableId::T2 } else { TableId::T3 };
    sink.push(Finding::new(format!("{year} 年度报告使用了 2019 年试行格式（国办公开办函〔2019〕60号），应使用国办公开办函〔2021〕30号格式"), format!("the {year} report uses the 2019 trial format; reports for 2021 and later use the format of 国办公开办函〔2021〕30号")).help("改用 2021 年版格式填写（gongkai template 可生成空白模板）", "use the 2021 format (gongkai template writes a blank one)").in_table(table).at_origin(super::table_origin(report, table)));
}

/// A 2021 report whose 表三 keeps the trial format's single (六)其他处理 row.
fn old_other_row(report: &Report, sink: &mut Sink) {
    let key = report.cells.under("t3.result.other_total.").next().map_or("t3.result.other_total.total", |(k, _)| k);
    sink.push(
        Finding::new(
            "表三「(六)其他处理」只有一行，这是 2019 年试行格式的写法；2021 年版格式分为「1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请」「2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请」「3.其他」三行",
            "表三 has (六)其他处理 as one row, as the 2019 trial format had it; the 2021 format splits it into three rows (overdue correction, overdue fee, other)",
        )
        .at(report, key)
        .label("试行格式的一行", "the trial format's single row")
        .help("把这一行的数字分到 2021 年版的三行中（gongkai template 可生成空白模板）", "split this row's numbers over the 2021 format's three rows (gongkai template writes a blank one)"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::layout::FormatVersion;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "F401").is_empty());
        r.format = FormatVersion::Trial2019;
        assert_eq!(run(&r, "F401").len(), 1);
        r.meta.year = Some(2020);
        assert!(run(&r, "F401").is_empty());
    }

    #[test]
    fn a_2021_table_3_with_the_trial_other_row_is_reported_once_and_summed_with_it() {
        let mut r = clean_report();
        let template = r.cells.get("t3.result.total.total").cloned().expect("a clean report has table 3");
        let kept: Vec<_> =
            r.cells.iter().filter(|(k, _)| !k.starts_with("t3.result.other.")).map(|(k, c)| (k, c.clone())).collect();
        r.cells = crate::model::Cells::default();
        for (key, cell) in kept {
            r.cells.insert(key, cell);
        }
        for col in crate::layout::T3_COLS {
            r.cells.insert(&format!("t3.result.other_total.{}", col.key), template.clone());
        }
        set(&mut r, "t3.result.other_total.natural_person", "1");
        assert_eq!(run(&r, "F401").len(), 1);
        assert!(run(&r, "S102").is_empty(), "the three 2021 rows are not reported one by one");
        let sums = run(&r, "C302");
        assert!(sums.iter().any(|f| f.message.zh.contains("自然人")), "the single row is part of (七)总计: {sums:?}");
    }
}
