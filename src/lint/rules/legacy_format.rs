//! F403: a report in the layout used before 2019, which the standard tables cannot be read from.

use crate::layout::FormatVersion;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "F403",
    name: "legacy-format",
    severity: Severity::Warning,
    summary: "2019 年以前的旧格式，无法对应到标准表格",
    summary_en: "A report in the layout used before 2019, which cannot be mapped onto the standard tables",
    explain: "## What it does\n\
Names, once, a report written in the layout used before the trial format of 2019 (国办公开办函〔2019〕60号): no \
第二十条 tables, the old headings (依申请公开政府信息情况, 政府信息公开的收费及减免情况). Its title, year, agency and \
dates are read and checked; its tables, sections and counts are not, and nothing else is reported as missing.\n\n\
## Why\n\
Archives hold the reports of 2008–2018 beside the new ones; their tables have other rows and columns, and reporting \
each as dozens of missing rows would bury what can be said of them. In batch, its status is `legacy`.\n\n\
## Example\n\
`某市某局2017年政府信息公开工作年度报告` with a table of 主动公开政府信息 by category.\n\n\
## Fix\n\
None for an archived report. A report of 2019 or later in that layout is an error (and is checked as any other): it \
must be rewritten in the format of 国办公开办函〔2021〕30号.",
    explain_zh: "## 作用\n\
对使用 2019 年试行格式（国办公开办函〔2019〕60号）以前旧格式的报告提示一次：没有第二十条各表，标题为旧式（依申请公开政府信息情况、\
政府信息公开的收费及减免情况）。读出并检查其标题、年度、机关和日期；表格、部分和数字不检查，也不再逐项报告缺失。\n\n\
## 原因\n\
档案中 2008—2018 年的报告与新报告放在一起；旧表格的行列不同，若逐行报告缺失，会淹没对它们真正能说的话。在 batch 中状态为 legacy。\n\n\
## 示例\n\
「某市某局2017年政府信息公开工作年度报告」，其中主动公开政府信息按类别列表。\n\n\
## 修复\n\
存档报告无须处理。2019 年及以后的报告使用旧格式时为错误（并照常检查），须按国办公开办函〔2021〕30号的格式重写。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "report-of-2017",
            1,
            &[Given::NoTables, Given::Paragraph("2023年度", "某市某局2017年政府信息公开工作年度报告")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    if report.format != FormatVersion::Legacy {
        return;
    }
    let year = report.meta.year.map(|y| format!("{y} 年度的")).unwrap_or_default();
    let year_en = report.meta.year.map(|y| format!(" of {y}")).unwrap_or_default();
    let finding = Finding::new(
        format!("{year}报告使用 2019 年以前的旧格式，无法对应到标准表格：表格和各部分未检查"),
        format!("the report{year_en} uses the layout of before 2019, which cannot be mapped onto the standard tables: its tables and sections are not checked"),
    )
    .help(
        "存档报告无须处理；2021 年及以后的报告须按国办公开办函〔2021〕30号的格式编写",
        "nothing to do for an archived report; reports of 2021 and later follow 国办公开办函〔2021〕30号",
    );
    // A report of 2019 or later in the old layout is not an archive's: it must be rewritten.
    if report.meta.year.is_some_and(|y| y >= 2019) {
        sink.push(finding.severity(Severity::Error));
    } else {
        sink.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        assert!(run(&r, "F403").is_empty());
        r.format = crate::layout::FormatVersion::Legacy;
        r.meta.year = Some(2016);
        let found = run(&r, "F403");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.get(crate::lang::Lang::Zh).contains("2016 年度"));
        assert_eq!(found[0].severity, crate::lint::Severity::Warning);
        r.meta.year = Some(2023);
        assert_eq!(run(&r, "F403")[0].severity, crate::lint::Severity::Error, "a new report in the old layout");
    }
}
