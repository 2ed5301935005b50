//! T604: template placeholders left in the text.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T604",
    name: "placeholder-left",
    severity: Severity::Warning,
    summary: "报告中留有模板占位文字",
    summary_en: "Template placeholders were left in the text",
    explain: "## What it does\n\
Reports template text that was never replaced: `（文字描述）`, `(具体网址)`, `XX`/`××` for a name or number, and \
similar.\n\n\
## Why\n\
A report published with its placeholders is unfinished (README › Rules).\n\n\
## Example\n\
`一、总体情况（文字描述）`, `XX局2023年度政府信息公开工作年度报告`.\n\n\
## Fix\n\
None: write the text.",
    explain_zh: "## 作用\n\
报告没有替换掉的模板文字：「（文字描述）」「(具体网址)」、代替名称或数字的「XX」「××」等。\n\n\
## 原因\n\
带着占位文字发布的报告是没写完的。\n\n\
## 示例\n\
「一、总体情况（文字描述）」「XX局2023年度政府信息公开工作年度报告」。\n\n\
## 修复\n\
无：写上内容。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("template-text-left", 1, &[Given::Paragraph("存在的主要问题是", "（文字描述）")]),
    ],
};

const PLACEHOLDERS: &[&str] = &["文字描述", "具体网址", "XX", "××", "xx年", "此处填写", "请填写", "（填写", "(填写"];

/// The placeholders' searchers, built once: `str::contains` builds one per call, and the sections are long.
static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| PLACEHOLDERS.iter().map(memchr::memmem::Finder::new).collect());

fn check(report: &Report, sink: &mut Sink) {
    let mut places: Vec<(String, &str)> = Vec::new();
    if let Some(t) = &report.meta.title {
        places.push(("标题".into(), t));
    }
    for s in &report.sections {
        places.push((s.heading.clone(), &s.text));
    }
    for (where_, text) in places {
        if let Some(p) = PLACEHOLDERS.iter().zip(FINDERS.iter()).find_map(|(p, f)| f.find(text.as_bytes()).map(|_| p)) {
            sink.push(
                Finding::new(
                    format!("「{where_}」中留有模板占位文字「{p}」"),
                    format!("「{where_}」 still holds the template placeholder 「{p}」"),
                )
                .help("用实际内容替换占位文字", "replace the placeholder with the report's own text"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn finds_the_first_placeholder_of_each_section() {
        let mut r = clean_report();
        r.sections.push(section("overview", "一、总体情况", "本年度我局主动公开政府信息。"));
        assert!(run(&r, "T604").is_empty());
        r.sections[0].text = "详见具体网址；XX年XX月，此处填写。".into();
        let d = run(&r, "T604");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.zh.contains("「具体网址」"), "{}", d[0].message.zh);
    }
}
