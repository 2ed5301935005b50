//! T604: template placeholders left in the text.

use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Text};
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
A report published with its placeholders is unfinished (FORMAT.md §5.8).\n\n\
## Example\n\
`一、总体情况（文字描述）`, `XX局2023年度政府信息公开工作年度报告`.\n\n\
## Fix\n\
None: write the text.",
    fix: FixAvailability::None,
    check,
};

const PLACEHOLDERS: &[&str] = &["文字描述", "具体网址", "XX", "××", "xx年", "此处填写", "请填写", "（填写", "(填写"];

fn check(report: &Report, sink: &mut Sink) {
    let mut places: Vec<(String, &str)> = Vec::new();
    if let Some(t) = &report.meta.title {
        places.push(("标题".into(), t));
    }
    for s in &report.sections {
        places.push((s.heading.clone(), &s.text));
    }
    for (where_, text) in places {
        if let Some(p) = PLACEHOLDERS.iter().find(|p| text.contains(*p)) {
            sink.push(Finding {
                message: Text::new(
                    format!("「{where_}」中留有模板占位文字「{p}」"),
                    format!("「{where_}」 still holds the template placeholder 「{p}」"),
                ),
                help: Some(Text::new("用实际内容替换占位文字", "replace the placeholder with the report's own text")),
                ..Finding::default()
            });
        }
    }
}
