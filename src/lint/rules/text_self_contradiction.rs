//! T610: the text says there was none (no review, no lawsuit, no application, nothing left open) where the tables
//! count some.

use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T610",
    name: "text-says-none",
    severity: Severity::Warning,
    summary: "正文称“未发生”“均已办结”，而统计表中有相应的数字",
    summary_en: "The text says there was none (or all were settled) where the tables count some",
    explain: "## What it does\n\
Warns when a sentence of the text says something did not happen, or that everything was settled, and the tables \
count otherwise: 未发生/没有发生/本年度无 行政复议 against 表四's 行政复议 总计; the same for 行政诉讼 (both kinds); \
未收到政府信息公开申请 against 表三's 本年新收 总计; 均已办结/全部办结/办结率100% against 四、结转下年度继续办理 总计.\n\n\
## Why\n\
A report whose text contradicts its own tables cannot be relied on; reviewers (政务公开办) read the text first.\n\n\
## Example\n\
\"本年度未发生因政府信息公开引起的行政复议\" while 表四 行政复议 总计 is 2.\n\n\
## Fix\n\
None: correct the sentence or the table.",
    explain_zh: "## 作用\n\
正文中有句子说某事没有发生、或一切均已办结，而统计表的数字不是这样时提出警告：「未发生/没有发生/本年度无 行政复议」对表四行政复议总计；\
行政诉讼（两类）同样；「未收到政府信息公开申请」对表三本年新收总计；「均已办结/全部办结/办结率100%」对「四、结转下年度继续办理」总计。\n\n\
## 原因\n\
正文与自己的表格矛盾的报告不可信；审核人员（政务公开办）先读正文。\n\n\
## 示例\n\
「本年度未发生因政府信息公开引起的行政复议」，而表四行政复议总计为 2。\n\n\
## 修复\n\
无：改正句子或表格。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "none-and-none-in-the-table",
            &[Given::AddParagraph("本年度政府信息公开行政复议", "本年度未发生因政府信息公开引起的行政复议。")],
        ),
        Vector::fail(
            "none-in-the-text-two-in-the-table",
            1,
            &[
                Given::AddParagraph("本年度政府信息公开行政复议", "本年度未发生因政府信息公开引起的行政复议。"),
                Given::Cell("t4.review.upheld", "2"),
                Given::Cell("t4.review.total", "2"),
            ],
        ),
    ],
};

struct Claim {
    pattern: &'static str,
    what_zh: &'static str,
    what_en: &'static str,
    /// The cells whose sum must be 0 for the sentence to hold; the first is pointed at.
    keys: &'static [&'static str],
    /// The cells when the sentence denies only an outcome (`未发生…被行政复议纠错`, `…行政诉讼败诉`): the
    /// 结果纠正 columns; `None` when no outcome is meant.
    corrected: Option<&'static [&'static str]>,
}

/// The words that make a sentence deny an outcome, not the event (`未发生被行政复议纠错或行政诉讼败诉`).
const OUTCOMES: &[&str] = &["纠错", "纠正", "败诉", "撤销"];

const NONE: &str = "(?:未发生|没有发生|未出现|未产生|本年度无|全年无|未有)";

static CLAIMS: LazyLock<Vec<(Claim, Regex)>> = LazyLock::new(|| {
    let claims = [
        Claim {
            pattern: "{NONE}[^。；;，,]{0,16}?行政复议",
            what_zh: "行政复议",
            what_en: "administrative reviews",
            keys: &["t4.review.total"],
            corrected: Some(&["t4.review.corrected"]),
        },
        Claim {
            pattern: "{NONE}[^。；;，,]{0,16}?行政诉讼",
            what_zh: "行政诉讼",
            what_en: "lawsuits",
            keys: &["t4.litigation_direct.total", "t4.litigation_after_review.total"],
            corrected: Some(&["t4.litigation_direct.corrected", "t4.litigation_after_review.corrected"]),
        },
        Claim {
            pattern: "(?:未收到|没有收到|未接到)[^。；;，,]{0,10}?申请",
            what_zh: "本年新收的申请",
            what_en: "applications received",
            keys: &["t3.new_received.total"],
            corrected: None,
        },
        Claim {
            pattern: "(?:均已|全部|均)(?:按期|按时)?办结|办结率(?:达到|达)?100%",
            what_zh: "结转下年度继续办理的申请",
            what_en: "applications carried forward",
            keys: &["t3.carried_forward.total"],
            corrected: None,
        },
    ];
    claims
        .into_iter()
        .map(|c| {
            let re = Regex::new(&c.pattern.replace("{NONE}", NONE)).expect("valid pattern");
            (c, re)
        })
        .collect()
});

/// Words one of which every claim holds: a section without any is not searched (one pass over its text).
static CUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("未发生|没有发生|未出现|未产生|本年度无|全年无|未有|收到|接到|办结").expect("valid pattern")
});

fn check(report: &Report, sink: &mut Sink) {
    for s in &report.sections {
        if !CUES.is_match(&s.text) {
            continue;
        }
        // The patterns' gaps take line breaks as any other character: the text is searched as it is.
        let text = s.text.as_str();
        for (claim, re) in CLAIMS.iter() {
            let Some(said) = re.find(text) else { continue };
            let clause_end =
                text[said.end()..].find(['。', '；', ';', '，', ',']).map_or(text.len(), |at| said.end() + at);
            let clause = &text[said.start()..clause_end];
            let keys = match claim.corrected {
                Some(corrected) if OUTCOMES.iter().any(|w| clause.contains(w)) => corrected,
                _ => claim.keys,
            };
            let counted: f64 = keys.iter().filter_map(|k| report.number(k)).sum();
            if counted <= 0.0 {
                continue;
            }
            let quote: String = clause.chars().filter(|c| !c.is_whitespace()).take(40).collect();
            sink.push(
                Finding::new(
                    format!("正文称「{quote}」，而统计表中{}为 {}", claim.what_zh, num(counted)),
                    format!("the text says 「{quote}」, but the tables count {} {}", num(counted), claim.what_en),
                )
                .at(report, keys[0])
                .help("改正句子或表格，使二者一致", "make the sentence and the table agree")
                .label(format!("表中为 {}", num(counted)), format!("the table has {}", num(counted))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.sections.push(section(
            "review_litigation",
            "四、政府信息公开行政复议、行政诉讼情况",
            "本年度未发生行政诉讼。",
        ));
        assert!(run(&r, "T610").is_empty());
        set(&mut r, "t4.litigation_after_review.upheld", "1");
        set(&mut r, "t4.litigation_after_review.total", "1");
        assert_eq!(run(&r, "T610").len(), 1);
        r.sections[0].text = "全年收到申请5件，均已按期办结。".into();
        assert!(run(&r, "T610").is_empty(), "nothing carried forward");
        set(&mut r, "t3.carried_forward.natural_person", "2");
        set(&mut r, "t3.carried_forward.total", "2");
        assert_eq!(run(&r, "T610").len(), 1);
        r.sections[0].text = "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉的情况。".into();
        assert!(run(&r, "T610").is_empty(), "an outcome denied, and none in the 结果纠正 columns");
        set(&mut r, "t4.review.corrected", "1");
        set(&mut r, "t4.review.total", "1");
        assert_eq!(run(&r, "T610").len(), 1, "a correction counted");
        r.sections[0].text = "无法提供的申请3件，已告知行政复议途径。".into();
        assert!(run(&r, "T610").is_empty(), "无法 is not 无");
    }
}
