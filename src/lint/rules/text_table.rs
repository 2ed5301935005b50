//! T608: numbers in the text that contradict the tables.

use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, num};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T608",
    name: "text-contradicts-table",
    severity: Severity::Warning,
    summary: "正文中的数字与统计表不一致",
    summary_en: "A number in the text contradicts the tables",
    explain: "## What it does\n\
Compares the counts the text states with the tables (the tables of 国办公开办函〔2021〕30号; README › Rules): applications received \
(\"共收到政府信息公开申请81件\" against 表三 本年新收 总计, or 新收 + 上年结转 when the sentence says it includes them; \
\"受理…X件\" and \"办理…X件\" may count 上年结转 too and are accepted either way), applications answered (办结/答复 against (七)总计), carried forward (结转下年度 against 四、结转下年度继续办理), \
administrative reviews and lawsuits (against 表四's totals).\n\n\
## Why\n\
Text that contradicts the table is a common review finding: the Shanghai 2019 report's text gave 258 applications \
granted where its table gave 275.\n\n\
## Example\n\
\"全年共收到申请90件\" while 表三 一、本年新收 总计 is 81.\n\n\
## Fix\n\
None: correct the text or the table.",
    explain_zh: "## 作用\n\
把正文中写明的数字与统计表比较：收到的申请（「共收到政府信息公开申请81件」对表三本年新收总计，句中说明含上年结转时也对新收加上年结转；「受理…X件」「办理…X件」可能含上年结转，两种都接受）、办结答复的申请（办结/答复对(七)总计）、结转的申请（结转下年度对「四、结转下年度继续办理」）、行政复议和行政诉讼（对表四的总计）。\n\n\
## 原因\n\
正文与表格矛盾是常见的审核意见：上海市 2019 年报告正文写予以公开 258 件，表中为 275 件。\n\n\
## 示例\n\
「全年共收到申请90件」而表三一、本年新收总计为 81。\n\n\
## 修复\n\
无：改正正文或表格。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "count-as-the-table-has-it",
            &[
                Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请1件。"),
                Given::Cell("t3.new_received.natural_person", "1"),
                Given::Cell("t3.new_received.total", "1"),
                Given::Cell("t3.result.granted.natural_person", "1"),
                Given::Cell("t3.result.granted.total", "1"),
                Given::Cell("t3.result.total.natural_person", "1"),
                Given::Cell("t3.result.total.total", "1"),
            ],
        ),
        Vector::fail(
            "count-not-in-the-table",
            1,
            &[Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请5件。")],
        ),
    ],
};

/// The table values a stated number may equal, and the key of the cell to point at.
pub(super) type Accepted = Option<(Vec<f64>, &'static str)>;

pub(super) struct Claim {
    pattern: &'static str,
    pub(super) what_zh: &'static str,
    pub(super) what_en: &'static str,
    /// The table values the number may equal (given the sentence the claim is in), and the key to point at.
    /// Whether what is accepted depends on the sentence (else it is worked out once per claim).
    sentence_matters: bool,
    pub(super) accept: fn(&Report, &str) -> Accepted,
    /// Whether two sentences stating this count must give the same number (T615): not so for a count that may or
    /// may not take in last year's applications.
    pub(super) one_number: bool,
}

fn total(report: &Report, key: &str) -> Option<f64> {
    report.number(key)
}

/// The 总计 column summed over the result rows whose keys start with `prefix` (a group of 表三).
/// A blank 总计 counts as the sum of its row (V206 reports the blank).
fn group_total(report: &Report, prefix: &str) -> Option<f64> {
    let rows: Vec<&str> = super::t3_rows(report).iter().map(|r| r.key).filter(|k| k.starts_with(prefix)).collect();
    let mut sum = 0.0;
    let mut any = false;
    for row in rows {
        let total = crate::layout::t3_key(row, crate::layout::T3_TOTAL_COL);
        if !report.cells.contains_key(&total) {
            // A row that was not read (missing, or unreadable in a text dump): the group cannot be compared.
            return None;
        }
        let value = report.number(&total).or_else(|| {
            (0..crate::layout::T3_TOTAL_COL)
                .map(|c| report.number(&crate::layout::t3_key(row, c)))
                .try_fold(0.0, |a, v| Some(a + v.unwrap_or(0.0)))
        });
        if let Some(v) = value {
            sum += v;
            any = true;
        }
    }
    any.then_some(sum)
}

pub(super) const CLAIMS: &[Claim] = &[
    Claim {
        // "收到" counts what arrived this year (本年新收), unless the sentence itself says it takes in 上年结转.
        pattern: r"(?:新收|收到|接收|接到)[^。；;，,]{0,24}?申请[^。；;0-9０-９]{0,8}?([0-9０-９]+)件",
        what_zh: "收到的申请",
        what_en: "applications received",
        sentence_matters: true,
        accept: |r, sentence| {
            let new = total(r, "t3.new_received.total")?;
            let over = total(r, "t3.carried_over.total").unwrap_or(0.0);
            let with_carried_over = sentence.contains("上年结转") || sentence.contains("含结转");
            Some((if with_carried_over { vec![new, new + over] } else { vec![new] }, "t3.new_received.total"))
        },
        one_number: true,
    },
    Claim {
        // "受理" and "办理" may count the applications carried over from last year too.
        pattern: r"(?:受理|办理)[^。；;，,]{0,24}?申请[^。；;0-9０-９]{0,8}?([0-9０-９]+)件",
        what_zh: "受理的申请",
        what_en: "applications accepted",
        sentence_matters: false,
        accept: |r, _| {
            let new = total(r, "t3.new_received.total")?;
            let over = total(r, "t3.carried_over.total").unwrap_or(0.0);
            Some((vec![new, new + over], "t3.new_received.total"))
        },
        one_number: false,
    },
    Claim {
        // "办结…X件" counts every application answered; "答复" also introduces subsets (同意公开答复9件), so it is not used.
        pattern: r"(?:共办结|办结|办理完成)(?:政府信息公开申请|申请|依申请公开申请)?(?:共|共计)?([0-9０-９]+)件",
        what_zh: "办结的申请",
        what_en: "applications answered",
        sentence_matters: false,
        accept: |r, _| Some((vec![total(r, "t3.result.total.total")?], "t3.result.total.total")),
        one_number: true,
    },
    Claim {
        pattern: r"予以公开(?:及|和|与)部分公开[^。；;，,0-9０-９]{0,6}?([0-9０-９]+)件",
        what_zh: "予以公开及部分公开",
        what_en: "applications granted in whole or in part",
        sentence_matters: false,
        accept: |r, _| {
            let sum = group_total(r, "result.granted")? + group_total(r, "result.partially_granted").unwrap_or(0.0);
            Some((vec![sum], "t3.result.granted.total"))
        },
        one_number: true,
    },
    Claim {
        pattern: r"(?:^|[；;，,。])不予公开[^。；;，,0-9０-９]{0,6}?([0-9０-９]+)件",
        what_zh: "不予公开",
        what_en: "applications denied",
        sentence_matters: false,
        accept: |r, _| Some((vec![group_total(r, "result.denied.")?], "t3.result.denied.state_secret.total")),
        one_number: true,
    },
    Claim {
        pattern: r"无法提供[^。；;，,0-9０-９]{0,6}?([0-9０-９]+)件",
        what_zh: "无法提供",
        what_en: "applications that could not be met",
        sentence_matters: false,
        accept: |r, _| Some((vec![group_total(r, "result.unable.")?], "t3.result.unable.not_held.total")),
        one_number: true,
    },
    Claim {
        pattern: r"不予处理[^。；;，,0-9０-９]{0,6}?([0-9０-９]+)件",
        what_zh: "不予处理",
        what_en: "applications not processed",
        sentence_matters: false,
        accept: |r, _| {
            Some((vec![group_total(r, "result.not_processed.")?], "t3.result.not_processed.petition_complaint.total"))
        },
        one_number: true,
    },
    Claim {
        pattern: r"结转下年度[^。；;0-9０-９]{0,10}?([0-9０-９]+)件",
        what_zh: "结转下年度的申请",
        what_en: "applications carried forward",
        sentence_matters: false,
        accept: |r, _| Some((vec![total(r, "t3.carried_forward.total")?], "t3.carried_forward.total")),
        one_number: true,
    },
    Claim {
        pattern: r"行政复议(?:案件)?(?:共)?([0-9０-９]+)件",
        what_zh: "行政复议",
        what_en: "administrative reviews",
        sentence_matters: false,
        accept: |r, _| Some((vec![total(r, "t4.review.total")?], "t4.review.total")),
        one_number: true,
    },
    Claim {
        pattern: r"行政诉讼(?:案件)?(?:共)?([0-9０-９]+)件",
        what_zh: "行政诉讼",
        what_en: "lawsuits",
        sentence_matters: false,
        accept: |r, _| {
            let sum = total(r, "t4.litigation_direct.total")? + total(r, "t4.litigation_after_review.total")?;
            Some((vec![sum], "t4.litigation_direct.total"))
        },
        one_number: true,
    },
];

// Counts are matched as ASCII or full-width digits, not `\d`: the Unicode digit class (every script's digits)
// makes compiling the patterns, once a process, dearer than checking a report (bench/NOTES.md).
pub(super) static PATTERNS: LazyLock<Vec<Regex>> =
    LazyLock::new(|| CLAIMS.iter().map(|c| Regex::new(c.pattern).expect("valid pattern")).collect());

fn check(report: &Report, sink: &mut Sink) {
    for s in report.sections.iter().filter(|s| matches!(s.key, "overview" | "applications" | "review_litigation")) {
        // Every claim ends in a count of 件.
        if !s.text.contains('件') {
            continue;
        }
        let text = crate::normalize::without_whitespace(&s.text);
        // Each pattern's literals (新收, 办结, 不予公开, …) let its search skip most of the text: cheaper than one
        // automaton of all the claims run over every character.
        for (claim, re) in CLAIMS.iter().zip(PATTERNS.iter()) {
            let mut claims = re.captures_iter(&text).take(3).peekable();
            if claims.peek().is_none() {
                continue;
            }
            let once = if claim.sentence_matters { None } else { Some((claim.accept)(report, "")) };
            for c in claims {
                let accepted = match &once {
                    Some(accepted) => accepted.clone(),
                    None => {
                        let whole = c.get(0).map_or(0..0, |m| m.range());
                        (claim.accept)(report, around(&text, whole, &['。']))
                    }
                };
                let Some((accepted, key)) = accepted else { continue };
                // The count as a table cell's text would be read: ASCII or full-width digits (８１).
                let Some(n) = crate::normalize::parse_value(&c[1]).number() else { continue };
                if accepted.iter().any(|a| (a - n).abs() < 1e-9) {
                    continue;
                }
                let quote: String = c[0].trim_start_matches(['；', ';', '，', ',', '。']).chars().take(40).collect();
                sink.push(
                    Finding::new(
                        format!("正文称「{quote}」，而统计表中{}为 {}", claim.what_zh, num(accepted[0])),
                        format!(
                            "the text says 「{quote}」, but the table gives {} {}",
                            num(accepted[0]),
                            claim.what_en
                        ),
                    )
                    .at(report, key)
                    .help("核对正文与统计表，使二者一致", "make the text and the table agree")
                    .label(format!("正文为 {}", num(n)), format!("text says {}", num(n))),
                );
            }
        }
    }
}

/// The stretch of `text` around `span` up to the nearest of `ends` on either side.
pub(super) fn around<'t>(text: &'t str, span: std::ops::Range<usize>, ends: &[char]) -> &'t str {
    let start =
        text[..span.start].char_indices().rfind(|(_, c)| ends.contains(c)).map_or(0, |(at, c)| at + c.len_utf8());
    let end = text[span.end..].find(ends).map_or(text.len(), |at| span.end + at);
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    /// A clean report whose table 3 received 81 applications, and whose overview says `text`.
    fn received_81_and_saying(text: &str) -> crate::model::Report {
        let mut r = clean_report();
        set(&mut r, "t3.new_received.natural_person", "81");
        set(&mut r, "t3.new_received.total", "81");
        r.sections.push(section("overview", "一、总体情况", text));
        r
    }

    #[test]
    fn received_is_this_years_and_accepted_may_take_in_last_years() {
        let mut r = received_81_and_saying("全年共收到政府信息公开申请82件。");
        set(&mut r, "t3.carried_over.natural_person", "1");
        set(&mut r, "t3.carried_over.total", "1");
        assert_eq!(run(&r, "T608").len(), 1, "收到 82 against 本年新收 81");
        r.sections[0].text = "全年共受理政府信息公开申请82件。".into();
        assert!(run(&r, "T608").is_empty(), "受理 may count the one carried over");
        r.sections[0].text = "全年共收到政府信息公开申请82件（含上年结转1件）。".into();
        assert!(run(&r, "T608").is_empty(), "the sentence says it includes 上年结转");
        r.sections[0].text = "全年共收到政府信息公开申请81件。".into();
        assert!(run(&r, "T608").is_empty());
    }

    #[test]
    fn passes_and_fails() {
        let mut r = received_81_and_saying("全年共收到政府信息公开申请81件。");
        assert!(run(&r, "T608").is_empty());
        r.sections[0].text = "全年共收到政府信息公开申请90件，行政复议0件。".into();
        let d = run(&r, "T608");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].key.as_deref(), Some("t3.new_received.total"));
    }

    #[test]
    fn counts_in_full_width_digits_are_compared_and_quoted_as_written() {
        let mut r = received_81_and_saying("全年共收到政府信息公开申请８１件。");
        assert!(run(&r, "T608").is_empty());
        r.sections[0].text = "全年共收到政府信息公开申请９０件。".into();
        let d = run(&r, "T608");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.zh.contains("申请９０件"), "{:?}", d[0].message);
        assert_eq!(d[0].label.as_ref().map(|l| l.zh.as_str()), Some("正文为 90"));
    }
}
