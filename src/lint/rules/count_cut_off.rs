//! T614: a sentence that states a count ends at its number, without its unit: the text was cut off.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "T614",
    name: "count-cut-off",
    severity: Severity::Warning,
    summary: "说明数量的句子停在数字上，没有单位，像是被截断了",
    summary_en: "A sentence stating a count stops at its number, without its unit: the text looks cut off",
    explain: "## What it does\n\
In the narrative sections (一、总体情况, 五 and 六), finds a paragraph or sentence that ends right after the number of \
a count (`…依申请公开事项0`, `…共计12；`), with no unit (件、条、个、次、人次、%) and no full stop of its own.\n\n\
## Why\n\
Such a sentence was cut when the report was pasted or published (the 乌鲁木齐 sample of FORMAT.md §7 ends its \
paragraph on `依申请公开事项0`); the reader cannot tell what was counted, and the rest of the paragraph may be lost.\n\n\
## Example\n\
`2023年度市外办接受自然人依申请公开事项0` at the end of a paragraph.\n\n\
## Fix\n\
None: complete the sentence (`…依申请公开事项0件。`) and check that nothing after it was lost.",
    explain_zh: "## 作用\n\
在叙述部分（第一部分「总体情况」、第五和第六部分）中，找出在一个数量的数字之后就结束的段落或句子（「…依申请公开事项0」「…共计12；」），\
数字后面没有单位（件、条、个、次、人次、%），也没有句号。\n\n\
## 原因\n\
这样的句子是在粘贴或发布时被截断的（FORMAT.md 第 7 节的乌鲁木齐样本一段以「依申请公开事项0」结尾）；读者看不出数的是什么，\
这一段后面的内容也可能丢了。\n\n\
## 示例\n\
某段以「2023年度市外办接受自然人依申请公开事项0」结尾。\n\n\
## 修复\n\
无：把句子补完整（「…依申请公开事项0件。」），并核对后面有没有丢失内容。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "count-with-its-unit",
            &[Given::AddParagraph("本局认真贯彻落实", "本年度接受依申请公开事项3件。")],
        ),
        Vector::fail("count-cut-off", 1, &[Given::AddParagraph("本局认真贯彻落实", "本年度接受依申请公开事项3")]),
    ],
};

/// A count's noun or verb, its number, and what follows: the end of the paragraph or a semicolon (a comma may rightly
/// follow a number the sentence goes on to qualify).
static CUT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:事项|申请|信息|文件|数量|件数|条数|总数|共计|合计|累计|共|计)\s*([0-9０-９]+)\s*(?:[；;]|$)")
        .expect("the pattern is valid")
});

fn check(report: &Report, sink: &mut Sink) {
    for s in report.sections.iter().filter(|s| matches!(s.key, "overview" | "problems" | "other_matters")) {
        let mut offset = 0;
        for line in s.text.split('\n') {
            // Table rows written as text belong to the tables, not to the sentences.
            if !line.contains('|')
                && let Some(m) = CUT.captures_iter(line).last()
            {
                let whole = m.get(0).map_or(0..0, |g| g.range());
                let start = line[..whole.start].char_indices().rev().nth(11).map_or(0, |(i, _)| i);
                let quote = line[start..whole.end].trim_end_matches(['；', ';']).trim_end();
                let (at, at_en) = crate::lint::place(s.origin_at(offset));
                sink.push(
                    Finding::new(
                        format!("「{}」{at}的句子「…{quote}」停在数字上，没有单位，像是被截断了", s.heading),
                        format!(
                            "a sentence of 「{}」{at_en} stops at its number without a unit, as if cut off: 「…{quote}」",
                            s.heading
                        ),
                    )
                    .help("把句子补完整（加上单位，如「件」），并核对后面的内容有没有丢失", "complete the sentence (with its unit, such as 件) and check that nothing after it was lost"),
                );
            }
            offset += line.len() + 1;
        }
    }
}
