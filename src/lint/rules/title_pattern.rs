//! M502: the title does not follow the usual pattern.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "M502",
    name: "title-pattern",
    severity: Severity::Warning,
    summary: "标题不符合「机关名称+年份+政府信息公开工作年度报告」的写法",
    summary_en: "The title does not read 「agency + year + 政府信息公开工作年度报告」",
    explain: "## What it does\n\
Warns when no title was found, or the title is not of the observed form \
`{机关名称}{YYYY}年(度)政府信息公开工作(的)年度报告` or `{YYYY}年{地区}政府信息公开工作年度报告` (README › Rules). \
No national rule fixes the title, hence a warning.\n\n\
## Why\n\
The title names the agency and the year, which archives and deadline checks rely on.\n\n\
## Example\n\
`政务信息公开年度报告` (a legacy wording).\n\n\
## Fix\n\
None.",
    explain_zh: "## 作用\n\
没有找到标题，或标题不是常见的「{机关名称}{YYYY}年(度)政府信息公开工作(的)年度报告」或「{YYYY}年{地区}政府信息公开工作年度报告」形式时提出警告。没有全国统一的标题规定，因此只是警告。\n\n\
## 原因\n\
标题写明机关和年度，归档和期限检查都依赖它。\n\n\
## 示例\n\
「政务信息公开年度报告」（旧的写法）。\n\n\
## 修复\n\
无。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "title-not-as-the-format-has-it",
            1,
            &[Given::Paragraph("2023年度", "某市某局2023年度信息公开情况报告"), Given::TitleProperty("")],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    if report.tables.is_empty() {
        return;
    }
    let good = report.meta.title.as_deref().is_some_and(|t| {
        (t.ends_with("政府信息公开工作年度报告") || t.ends_with("政府信息公开工作的年度报告"))
            && report.meta.year.is_some()
    });
    if good {
        return;
    }
    let title = report.meta.title.clone().unwrap_or_default();
    let found = if title.is_empty() {
        Finding::new("未找到报告标题", "no title was found")
    } else {
        Finding::new(
            format!("标题「{title}」不符合常见写法"),
            format!("the title 「{title}」 does not follow the usual pattern"),
        )
    };
    sink.push(found.help(
        "标题写作「XX局2023年度政府信息公开工作年度报告」",
        "write the title as 「XX局2023年度政府信息公开工作年度报告」",
    ));
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.meta.title = Some("乌鲁木齐市人民政府外事办公室2023年度政府信息公开工作年度报告".into());
        assert!(run(&r, "M502").is_empty());
        r.meta.title = Some("政务信息公开年度报告".into());
        assert_eq!(run(&r, "M502").len(), 1);
    }
}
