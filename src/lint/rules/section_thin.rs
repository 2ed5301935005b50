//! T609: section 一 or 五 says next to nothing while the tables show a year's work.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

/// The floor when `gongkai.toml` gives none: a sentence of substance is longer.
pub const DEFAULT_FLOOR: usize = 20;

pub const RULE: Rule = Rule {
    code: "T609",
    name: "section-thin",
    severity: Severity::Warning,
    summary: "第一或第五部分内容过少（或只有“无”），而统计表显示有工作量",
    summary_en: "Section 一 or 五 says next to nothing while the tables show a year's work",
    explain: "## What it does\n\
Warns when section 一、总体情况 or 五、存在的主要问题及改进情况 is shorter than a floor (20 characters, not counting \
whitespace and punctuation; `thin-section-chars` in gongkai.toml), or says only 无 / 暂无 / 本年度无, while the \
tables show activity (a count above 0).\n\n\
## Why\n\
国办公开办函〔2021〕30号 asks that the report leave nothing out (不能遗漏) and names 敷衍塞责 as grounds for \
accountability; evaluations of these reports (法治蓝皮书) single out sections with no substance.\n\n\
## Example\n\
五、存在的主要问题及改进情况：无。 — with 81 applications received.\n\n\
## Fix\n\
None: describe the year's work, its problems and what will be done about them.",
    explain_zh: "## 作用\n\
第一部分「总体情况」或第五部分「存在的主要问题及改进情况」短于下限（20 个字，不计空白和标点；可在 gongkai.toml 中用 \
thin-section-chars 设定），或只写「无」「暂无」「本年度无」，而统计表显示有工作量（有大于 0 的数字）时提出警告。\n\n\
## 原因\n\
国办公开办函〔2021〕30号要求年报「不能遗漏」，并把敷衍塞责列为追责情形；对年报的评估（法治蓝皮书）专门指出了没有实质内容的部分。\n\n\
## 示例\n\
「五、存在的主要问题及改进情况：无。」——而收到申请 81 件。\n\n\
## 修复\n\
无：写明本年度的工作、存在的问题和改进措施。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("short-but-no-work-in-the-tables", &[Given::Paragraph("存在的主要问题是", "无。")]),
        Vector::fail(
            "nothing-to-say-about-a-years-work",
            1,
            &[
                Given::Paragraph("存在的主要问题是", "无。"),
                Given::Cell("t3.new_received.natural_person", "1"),
                Given::Cell("t3.new_received.total", "1"),
            ],
        ),
    ],
};

/// A section's text that says nothing: 无, 暂无, 本年度无…
fn says_nothing(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['。', '.', '；']);
    matches!(t, "无" | "暂无" | "没有" | "本年度无" | "本年度暂无")
        || (t.starts_with("本年度无") && t.chars().count() <= 12)
}

fn check(report: &Report, sink: &mut Sink) {
    let active = report.cells.iter().any(|(_, cell)| cell.number().is_some_and(|n| n > 0.0));
    if !active {
        return;
    }
    let floor = report.meta.thin_section_chars.unwrap_or(DEFAULT_FLOOR);
    for s in report.sections.iter().filter(|s| matches!(s.key, "overview" | "problems")) {
        if crate::layout::is_absence_note(&s.text) {
            continue;
        }
        // Counted as far as the floor: a long section is not walked to its end.
        let length = s.text.chars().filter(|c| c.is_alphanumeric()).take(floor).count();
        if length >= floor && !says_nothing(&s.text) {
            continue;
        }
        let at = if s.origin.is_empty() { String::new() } else { format!("（{}）", s.origin) };
        let quote: String = s.text.trim().chars().take(30).collect();
        sink.push(
            Finding::new(
                format!("「{}」{at}只有 {length} 个字「{quote}」，而统计表显示本年度有工作量", s.heading),
                format!("「{}」{at} has {length} characters 「{quote}」, while the tables show a year's work", s.heading),
            )
            .help(
                "写明本年度的工作情况、存在的问题和改进措施（下限可在 gongkai.toml 的 thin-section-chars 中设定）",
                "describe the year's work, its problems and their remedies (the floor is thin-section-chars in gongkai.toml)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        set(&mut r, "t3.new_received.natural_person", "3");
        set(&mut r, "t3.new_received.total", "3");
        r.sections.push(section("problems", "五、存在的主要问题及改进情况", "无。"));
        assert_eq!(run(&r, "T609").len(), 1);
        r.sections[0].text =
            "一是政策解读形式较为单一，二是依申请公开答复质量有待提高。下一步将加强培训，规范答复。".into();
        assert!(run(&r, "T609").is_empty());
        r.meta.thin_section_chars = Some(200);
        assert_eq!(run(&r, "T609").len(), 1, "the floor gongkai.toml gives");
    }
}
