//! T605: document numbers and dates that lost characters in extraction, read back.

use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T605",
    name: "garbled-reference",
    severity: Severity::Info,
    summary: "文号或日期缺字（如〔〕年月日），已按原意读出",
    summary_en: "A document number or date lost characters (〔〕年月日) and was read back",
    explain: "## What it does\n\
Reports document numbers and dates whose 〔 〕 年 月 日 号 were dropped by text extraction, with the reading gongkai \
takes: `国办函〔2020109号` → `国办函〔2020〕109号`, a date line `2024130` → 2024年1月30日 (README › Rules). A date with more than one reading is T606's finding.\n\n\
## Why\n\
The original text is kept; the reading lets the deadline and reference checks work.\n\n\
## Example\n\
`国办函〔2020109号`.\n\n\
## Fix\n\
None needed in the archive; correct the source page if it is yours.",
    explain_zh: "## 作用\n\
报告文本提取时丢了〔 〕年 月 日 号的文号和日期，并说明 gongkai 采用的读法：「国办函〔2020109号」→「国办函〔2020〕109号」，落款「2024130」→ 2024年1月30日。有不止一种读法的日期由 T606 报告。\n\n\
## 原因\n\
原文保持不变；这个读法让期限和文号检查得以进行。\n\n\
## 示例\n\
「国办函〔2020109号」。\n\n\
## 修复\n\
归档中无须处理；若是自己的网页，请改正原文。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail(
            "document-number-lost-its-bracket",
            1,
            &[Given::Paragraph(
                "本机关依据",
                "本机关依据国办函〔2020109号规定的按件、按量收费标准，本年度没有产生信息处理费。",
            )],
        ),
    ],
};

/// `机关代字〔YYYYN号` or `机关代字YYYY〕N号` with one bracket lost.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{2,8}?)(?:〔((?:19|20)\d{2})(\d{1,4})号|((?:19|20)\d{2})〕(\d{1,4})号)")
        .expect("valid pattern")
});

/// A `〔` followed by more than a year's four digits (`〔2020109号`), or a `〕` after four digits that no `〔` opens
/// (`2020〕109号`): where a garbled number can be, as the pattern would find it.
fn bracket_lost_beside_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    let opened_lost_close = text
        .match_indices('〔')
        .any(|(at, open)| bytes[at + open.len()..].iter().take_while(|b| b.is_ascii_digit()).count() > 4);
    opened_lost_close
        || text.match_indices('〕').any(|(at, _)| {
            let before = &bytes[..at];
            let digits = before.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            digits >= 4 && !before[..before.len() - digits].ends_with("〔".as_bytes())
        })
}

/// Garbled document numbers in a text: `(original, repaired)`.
pub fn garbled_numbers(text: &str) -> Vec<(String, String)> {
    // The pattern's Han prefix makes its search take a step at every Han character: it runs only where a bracket
    // stands next to a year the way a garbled number has it. Reports cite 〔2021〕30号 in every text.
    if !text.contains('号') || !bracket_lost_beside_year(text) {
        return Vec::new();
    }
    read_back(text)
}

/// Every match of [`DOC_NUMBER`], read back.
fn read_back(text: &str) -> Vec<(String, String)> {
    DOC_NUMBER
        .captures_iter(text)
        .map(|c| {
            let org = &c[1];
            let (y, n) = match (c.get(2), c.get(3)) {
                (Some(y), Some(n)) => (y.as_str(), n.as_str()),
                _ => (c.get(4).map_or("", |m| m.as_str()), c.get(5).map_or("", |m| m.as_str())),
            };
            (c[0].to_string(), format!("{org}〔{y}〕{n}号"))
        })
        .collect()
}

fn check(report: &Report, sink: &mut Sink) {
    for s in &report.sections {
        for (original, repaired) in garbled_numbers(&s.text) {
            sink.push(
                Finding::new(
                    format!("文号「{original}」缺字，按「{repaired}」读取"),
                    format!("the document number 「{original}」 lost characters; read as 「{repaired}」"),
                )
                .help(format!("原文应为「{repaired}」"), format!("the source should read 「{repaired}」")),
            );
        }
    }
    for r in &report.meta.repairs {
        if let [one] = r.readings.as_slice() {
            sink.push(
                Finding::new(
                    format!("落款日期「{}」缺少年月日，按 {one} 读取", r.original),
                    format!("the date line 「{}」 lost 年月日; read as {one}", r.original),
                )
                .help("原文应写明年、月、日", "the source should spell out 年, 月 and 日"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs() {
        assert_eq!(
            garbled_numbers("（国办函〔2020109号）规定"),
            vec![("国办函〔2020109号".to_string(), "国办函〔2020〕109号".to_string())]
        );
        assert!(garbled_numbers("国办函〔2020〕109号").is_empty());
        assert_eq!(garbled_numbers("裕政〔201510号")[0].1, "裕政〔2015〕10号");
        assert_eq!(garbled_numbers("（裕政2015〕10号")[0].1, "裕政〔2015〕10号");
    }

    proptest::proptest! {
        #[test]
        fn the_bracket_check_skips_only_texts_without_a_match(text in "(国|办|函|号|〔|〕|20|19|1|5|0| ){0,16}") {
            proptest::prop_assert_eq!(garbled_numbers(&text), read_back(&text));
        }
    }
}
