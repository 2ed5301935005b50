//! T613: sections 一 or 五 share most of their text with the report of another agency in the same run.

use super::copied_text::Phrases;
use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

/// The share above which a shared section is warned of, when `gongkai.toml` gives none.
pub const DEFAULT_SHARE: f64 = 0.8;
/// Sections shorter than this (characters compared) are not compared between agencies: a sentence of the format
/// (`本年度未发生…`) is rightly the same everywhere.
pub const MIN_CHARS: usize = 60;

/// A section long enough to be compared, and another agency's own account of its year.
const LONG: &str = "2023年，本局坚持以人民为中心的发展思想，围绕全区中心工作，持续深化政务公开，加强政策解读和回应关切，\
                    推进重点领域信息公开，完善政府信息公开制度，规范依申请公开办理流程，提升政务公开标准化规范化水平。";
const OWN: &str = "我们这一年把主要力量放在网站改版上，新建了惠企政策专栏，组织了两次政务开放日，来信来访明显减少，\
                   并在乡镇推广依申请公开的线上办理，补齐档案数字化的短板，做到件件有回音、事事有着落。";

pub const RULE: Rule = Rule {
    code: "T613",
    name: "shared-with-another-agency",
    severity: Severity::Warning,
    summary: "第一或第五部分的文字与同一批中另一机关的报告大段相同",
    summary_en: "Section 一 or 五 shares most of its text with another agency's report in the same run",
    explain: "## What it does\n\
When reports of several agencies are checked in one run (`check` over a folder, `batch`), finds the pairs whose \
sections 一、总体情况 or 五、存在的主要问题及改进情况 share 80% or more of their text (`shared-text-share` in \
gongkai.toml): the share of a section's 8-character phrases found in the other report's same section, after numbers, \
years, punctuation and whitespace are set aside. Reports are not compared each with each: a sketch of each \
report's phrases (MinHash) finds the pairs that may share text, and those are compared in full, so a run of \
10 000 reports stays near-linear. Each pair is reported once in each of the two reports, naming the other; a \
report is compared in full with the four others its sketch is most alike, and named with at most three of them; \
`batch` lists every pair so found in `similar_reports.csv`. \
Sections under 60 characters are not compared.\n\n\
## Why\n\
国办公开办函〔2021〕30号 names 内容雷同 among the grounds for accountability; evaluations (法治蓝皮书) found whole \
passages copied between agencies.\n\n\
## Example\n\
Two bureaus of one county whose 五、存在的主要问题及改进情况 are word for word the same: 100% each.\n\n\
## Fix\n\
None: write the agency's own account.",
    explain_zh: "## 作用\n\
同一次运行中检查多个机关的报告时（对文件夹运行 check，或 batch），找出第一部分「总体情况」或第五部分「存在的主要问题及改进情况」\
有 80% 以上文字相同的报告（可在 gongkai.toml 中用 shared-text-share 设定）：去掉数字、年份、标点和空白后，\
一份报告该部分每 8 个字的片段有多少出现在另一份报告的同一部分里。报告不两两比较：先为每份报告的文字做一个摘要（MinHash），\
找出可能相同的报告对，再逐字比较，因此一万份报告也近乎线性。每对报告在两份报告中各报告一次，并写明另一份；\
一份报告只与摘要最相似的四份逐字比较，最多列出其中三份；batch 还把找到的报告对写入 similar_reports.csv。短于 60 个字的部分不比较。\n\n\
## 原因\n\
国办公开办函〔2021〕30号把内容雷同列为追责情形；对年报的评估（法治蓝皮书）发现有机关之间整段照抄。\n\n\
## 示例\n\
同一县两个局的第五部分一字不差：各 100%。\n\n\
## 修复\n\
无：写出本机关自己的情况。",
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[
        Vector::pass("clean", &[Given::OtherAgency(&[])]),
        Vector::pass(
            "own-text",
            &[
                Given::Paragraph("本局认真贯彻落实", LONG),
                Given::OtherAgency(&[Given::Paragraph("本局认真贯彻落实", OWN)]),
            ],
        ),
        Vector::fail(
            "same-text",
            1,
            &[
                Given::Paragraph("本局认真贯彻落实", LONG),
                Given::OtherAgency(&[Given::Paragraph("本局认真贯彻落实", LONG)]),
            ],
        ),
    ],
};

/// Compare a report with the report of another agency: one finding naming the other report and every section of
/// this one that repeats it at the threshold or more.
pub fn check_peer(other: &Report, current: &Report, sink: &mut Sink) {
    let threshold = current.meta.shared_text_share.unwrap_or(DEFAULT_SHARE);
    let (mine, theirs) = (phrases_of(current), phrases_of(other));
    let shared: Vec<_> = compared_sections(current, &mine, other, &theirs)
        .into_iter()
        .filter_map(|(section, mine, theirs)| {
            super::copied_text::repeat_of(mine, theirs).filter(|r| r.share >= threshold).map(|r| (section, r))
        })
        .collect();
    push_finding(other, &shared, sink);
}

/// A report's sections made ready for comparing, by position: the compared ones' phrases, `None` for the others.
pub(crate) fn phrases_of(report: &Report) -> Vec<Option<Phrases>> {
    report
        .sections
        .iter()
        .map(|s| crate::layout::COMPARED_SECTIONS.contains(&s.key).then(|| Phrases::of(&s.text)))
        .collect()
}

/// The compared sections two reports both have, each long enough to be compared between agencies: the section of
/// `a`, its phrases and those of `b`'s same section.
pub(crate) fn compared_sections<'a, 'p>(
    a: &'a Report,
    phrases_a: &'p [Option<Phrases>],
    b: &Report,
    phrases_b: &'p [Option<Phrases>],
) -> Vec<(&'a crate::model::Section, &'p Phrases, &'p Phrases)> {
    a.sections
        .iter()
        .zip(phrases_a)
        .filter_map(|(section, pa)| {
            let pa = pa.as_ref()?;
            let (_, pb) = b.sections.iter().zip(phrases_b).find(|(s, _)| s.key == section.key)?;
            let pb = pb.as_ref()?;
            (pa.len() >= MIN_CHARS && pb.len() >= MIN_CHARS).then_some((section, pa, pb))
        })
        .collect()
}

/// The finding that names `other`, for the sections of the report checked that repeat it (with their shares):
/// none when there are none.
pub(crate) fn push_finding(
    other: &Report,
    shared: &[(&crate::model::Section, super::copied_text::Repeat)],
    sink: &mut Sink,
) {
    if shared.is_empty() {
        return;
    }
    let passage = shared.iter().map(|(_, r)| &r.passage).max_by_key(|p| p.chars().count()).cloned().unwrap_or_default();
    let sections = |sep: &str, en: bool| -> String {
        let one = |(s, r): &(&crate::model::Section, super::copied_text::Repeat)| -> String {
            let (zh, english) = crate::lint::place(&s.origin);
            let at = if en { english } else { zh };
            format!("「{}」{at} {}%", s.heading, (r.share * 100.0).round())
        };
        shared.iter().map(one).collect::<Vec<_>>().join(sep)
    };
    let agency = other.meta.agency.as_deref().unwrap_or("另一机关");
    let agency_en = other.meta.agency.as_deref().unwrap_or("another agency");
    let year = other.meta.year.map(|y| format!(" {y} 年度")).unwrap_or_default();
    let year_en = other.meta.year.map(|y| format!("{y} ")).unwrap_or_default();
    sink.push(
        Finding::new(
            format!(
                "{} 的文字与{agency}{year}报告（{}）的同一部分相同，如「{passage}…」",
                sections("、", false),
                other.path
            ),
            format!(
                "{} of the text repeats the same section of the {year_en}report of {agency_en} ({}), e.g. 「{passage}…」",
                sections(", ", true),
                other.path
            ),
        )
        .help("写出本机关自己的工作情况和问题", "write the agency's own account"),
    );
}
