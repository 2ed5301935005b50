//! T615: the text states the same count twice with two numbers, where the tables cannot say which is right.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector, place};
use crate::model::Report;

use super::text_table::{CLAIMS, PATTERNS, around};

pub const RULE: Rule = Rule {
    code: "T615",
    name: "count-stated-twice",
    severity: Severity::Warning,
    summary: "正文两处说明同一个数量，数字不同",
    summary_en: "The text states the same count twice, with two numbers",
    explain: "## What it does\n\
In sections 一, 三 and 四, reads the counts the text states as T608 does (applications received, answered, granted, \
denied, not met, not processed, carried forward; reviews; lawsuits) and warns when two sentences state the same \
count of the year with different numbers (`全年共收到政府信息公开申请5件` in 一, `本年度收到申请7件` in 三). A \
sentence is left out when it speaks of a part (其中, 自然人, 网上, 按期…) or of another year (上年, 同比, 2022年…), \
and so is `受理/办理…X件`, which may or may not take in last year's applications. Only where the tables do not give \
the count (a report published without them, a table lost in a web page): where they do, T608 names the sentence \
that contradicts them.\n\n\
## Why\n\
A report that gives two numbers for one count cannot be relied on for either; with no table to settle it, the \
reader cannot tell which is right.\n\n\
## Example\n\
`全年共收到政府信息公开申请5件。` in 一、总体情况 and `本年度共收到政府信息公开申请7件。` in 三.\n\n\
## Fix\n\
None: find the right count and state it the same way everywhere.",
    explain_zh: "## 作用\n\
在第一、三、四部分中，像 T608 一样读出正文写明的数量（收到、办结、予以公开、不予公开、无法提供、不予处理、结转下年度的申请，\
行政复议，行政诉讼），两个句子对本年度的同一个数量给出不同数字时提出警告（第一部分「全年共收到政府信息公开申请5件」，第三部分「本年度收到申请7件」）。\
说的是其中一部分（其中、自然人、网上、按期……）或另一年度（上年、同比、2022年……）的句子不算，「受理/办理…X件」也不算\
（可能含也可能不含上年结转）。只在统计表没有给出这个数量时检查（发布时没有表格、网页丢了表格）；表格有这个数时，由 T608 指出与表格不符的句子。\n\n\
## 原因\n\
同一个数量给出两个数字，两个都不能信；没有表格对照，读者无法判断哪个对。\n\n\
## 示例\n\
第一部分「全年共收到政府信息公开申请5件。」，第三部分「本年度共收到政府信息公开申请7件。」\n\n\
## 修复\n\
无：查清正确的数字，各处写成一致。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "stated-twice-alike",
            &[
                Given::NoTables,
                Given::AddParagraph("本局认真贯彻落实", "全年共收到政府信息公开申请5件。"),
                Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请5件，均已按期答复。"),
            ],
        ),
        Vector::pass(
            "last-year-and-a-part",
            &[
                Given::NoTables,
                Given::AddParagraph("本局认真贯彻落实", "全年共收到政府信息公开申请5件，较上年收到申请8件有所减少。"),
                Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请5件，其中网上收到申请3件。"),
            ],
        ),
        Vector::pass(
            "the-table-settles-it",
            &[
                Given::AddParagraph("本局认真贯彻落实", "全年共收到政府信息公开申请5件。"),
                Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请7件。"),
            ],
        ),
        Vector::fail(
            "stated-twice-differently",
            1,
            &[
                Given::NoTables,
                Given::AddParagraph("本局认真贯彻落实", "全年共收到政府信息公开申请5件。"),
                Given::Paragraph("本年度依申请公开", "本年度共收到政府信息公开申请7件。"),
            ],
        ),
    ],
};

/// Words that make a clause speak of a part of the count, or of another time: its number is not the year's count.
const NOT_THE_YEARS_COUNT: &[&str] = &[
    "其中",
    "包括",
    "自然人",
    "法人",
    "组织",
    "企业",
    "律师",
    "网上",
    "网络",
    "在线",
    "信函",
    "邮寄",
    "当面",
    "现场",
    "传真",
    "邮件",
    "平台",
    "渠道",
    "按时",
    "按期",
    "逾期",
    "延期",
    "当场",
    "当日",
    "上年",
    "去年",
    "上一年",
    "前年",
    "同比",
    "较",
    "比上",
    "增长",
    "下降",
    "减少",
    "增加",
    "月",
    "季度",
    "累计",
    "以来",
];

/// A count as a sentence states it: the number, the words quoted, and where it is.
struct Stated {
    number: f64,
    quote: String,
    at: String,
}

fn check(report: &Report, sink: &mut Sink) {
    for (claim, pattern) in CLAIMS.iter().zip(PATTERNS.iter()) {
        // Where the tables give the count, T608 compares each sentence with them.
        if !claim.one_number || (claim.accept)(report, "").is_some() {
            continue;
        }
        let mut stated: Vec<Stated> = Vec::new();
        for s in report.sections.iter().filter(|s| matches!(s.key, "overview" | "applications" | "review_litigation")) {
            let mut offset = 0;
            for line in s.text.split('\n') {
                let here = offset;
                offset += line.len() + 1;
                if !line.contains('件') || line.contains('|') {
                    continue;
                }
                let text = crate::normalize::without_whitespace(line);
                for c in pattern.captures_iter(&text).take(8) {
                    let whole = c.get(0).map_or(0..0, |m| m.range());
                    let (clause, sentence) =
                        (around(&text, whole.clone(), CLAUSE_END), around(&text, whole, SENTENCE_END));
                    if NOT_THE_YEARS_COUNT.iter().any(|w| clause.contains(w))
                        || of_another_year(sentence, report.meta.year)
                    {
                        continue;
                    }
                    let Some(number) = crate::normalize::parse_value(&c[1]).number() else { continue };
                    let quote = c[0].trim_start_matches(['；', ';', '，', ',', '。']).chars().take(40).collect();
                    stated.push(Stated { number, quote, at: s.origin_at(here).to_string() });
                }
            }
        }
        let Some(first) = stated.first() else { continue };
        let Some(other) = stated.iter().find(|s| (s.number - first.number).abs() > 1e-9) else { continue };
        let ((first_at, first_en), (other_at, other_en)) = (place(&first.at), place(&other.at));
        sink.push(
            Finding::new(
                format!(
                    "正文对{}写了两个数：「{}」{first_at}与「{}」{other_at}",
                    claim.what_zh, first.quote, other.quote
                ),
                format!(
                    "the text gives two numbers of {}: 「{}」{first_en} and 「{}」{other_en}",
                    claim.what_en, first.quote, other.quote
                ),
            )
            .help("查清正确的数字，各处写成一致", "find the right count and state it the same way everywhere"),
        );
    }
}

const CLAUSE_END: &[char] = &['。', '；', ';', '，', ',', '：', ':'];
const SENTENCE_END: &[char] = &['。', '；', ';'];

/// Whether a sentence names a year other than the report's (2022年收到申请8件).
fn of_another_year(sentence: &str, year: Option<i32>) -> bool {
    crate::normalize::years_in(sentence).any(|y| Some(y) != year)
}
