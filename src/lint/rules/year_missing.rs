//! M501: the report year could not be found.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "M501",
    name: "year-missing",
    severity: Severity::Warning,
    summary: "未能确定报告年度",
    summary_en: "The report year could not be found",
    explain: "## What it does\n\
Warns when neither the title (`…2023年度政府信息公开工作年度报告`) nor the statistics-period sentence \
(`本报告中所列数据统计期限为2023年1月1日至12月31日`) gives the report year. When the 落款 date does \
(`2024年1月20日`: a report is signed early in the year after the one it covers), the year before it is assumed, and \
the warning says so.\n\n\
## Why\n\
The year decides which format applies (F401, F402) and the publication deadline.\n\n\
## Example\n\
A template whose title still reads `政府信息公开工作年度报告格式模板`.\n\n\
## Fix\n\
None: put the year in the title.",
    explain_zh: "## 作用\n\
标题（「…2023年度政府信息公开工作年度报告」）和统计期限一句（「本报告中所列数据统计期限为2023年1月1日至12月31日」）都没有给出报告年度时提出警告。\
落款日期（「2024年1月20日」）给出年份时，按其前一年推定年度（年报在所报年度的次年年初落款），警告中写明这一点。\n\n\
## 原因\n\
年度决定适用哪种格式（F401、F402）和发布期限。\n\n\
## 示例\n\
标题仍为「政府信息公开工作年度报告格式模板」的模板。\n\n\
## 修复\n\
无：在标题中写明年份。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "title-without-a-year",
            1,
            &[Given::Paragraph("2023年度", "某市某局政府信息公开工作年度报告"), Given::TitleProperty("")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    if report.tables.is_empty() {
        return;
    }
    if let (true, Some(year), Some(date)) =
        (report.meta.year_from_date_line, report.meta.year, report.meta.date_line.as_deref())
    {
        sink.push(
            Finding::new(
                format!("标题和统计期限中都没有年份，按落款日期 {date} 推定为 {year} 年度"),
                format!("neither the title nor the statistics period gives the year: {year}, the year before the date {date}, is assumed"),
            )
            .help(
                "标题应写明年度，如「XX局2023年度政府信息公开工作年度报告」",
                "name the year in the title, e.g. 「XX局2023年度政府信息公开工作年度报告」",
            ),
        );
        return;
    }
    if report.meta.year.is_some() {
        return;
    }
    sink.push(
        Finding::new(
            "未能确定报告年度：标题和统计期限中都没有年份",
            "the report year was found neither in the title nor in the statistics period",
        )
        .help(
            "标题应写明年度，如「XX局2023年度政府信息公开工作年度报告」",
            "name the year in the title, e.g. 「XX局2023年度政府信息公开工作年度报告」",
        ),
    );
}
