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
(FORMAT.md §0, E-FMT-VERSION).\n\n\
## Why\n\
Since the 2021 reports the format of 国办公开办函〔2021〕30号 applies; \"使用旧版格式\" is a known review finding.\n\n\
## Example\n\
A 2023 report with 表二 第二十条第(九)项 政府集中采购.\n\n\
## Fix\n\
None: `gongkai convert` maps what carries over to the 2021 model; the rest must be filled in anew.",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("trial-tables-in-2022", 1, &[]).from("xlsx/trial-format-2022.xlsx"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let Some(year) = report.meta.year else { return };
    if report.format != FormatVersion::Trial2019 || year < 2021 {
        return;
    }
    let table = if report.cells.keys().any(|k| k.starts_with("t2v19.")) { TableId::T2 } else { TableId::T3 };
    sink.push(Finding::new(format!("{year} 年度报告使用了 2019 年试行格式（国办公开办函〔2019〕60号），应使用国办公开办函〔2021〕30号格式"), format!("the {year} report uses the 2019 trial format; reports for 2021 and later use the format of 国办公开办函〔2021〕30号")).help("改用 2021 年版格式填写（gongkai template 可生成空白模板）", "use the 2021 format (gongkai template writes a blank one)").in_table(table).at_origin(super::table_origin(report, table)));
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
}
