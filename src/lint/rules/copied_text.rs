//! T611: section 一 or 五 repeats the agency's report of the year before.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

/// The share above which a repeated section is warned of, when `gongkai.toml` gives none.
pub const DEFAULT_SHARE: f64 = 0.8;
/// Below the threshold, a share from this one up is said as an info (counted by `--statistics`).
const INFO_SHARE: f64 = 0.5;
/// Shingles of this many characters: a phrase, not a word.
pub(crate) const SHINGLE: usize = 8;
/// Sections shorter than this (characters compared) are not compared: a sentence may rightly recur.
const MIN_CHARS: usize = 20;

pub const RULE: Rule = Rule {
    code: "T611",
    name: "copied-from-last-year",
    severity: Severity::Warning,
    summary: "第一或第五部分的文字大段照搬上一年度的报告",
    summary_en: "Section 一 or 五 repeats most of the agency's report of the year before",
    explain: "## What it does\n\
When the same agency's reports of consecutive years are checked in one run, measures for sections 一、总体情况 and \
五、存在的主要问题及改进情况 the share of this year's text that repeats last year's: the share of its 8-character \
phrases found in last year's section, after numbers, years, punctuation and whitespace are set aside (so that a \
text copied with new figures still counts as copied). A warning at 80% or more (`copied-text-share` in \
gongkai.toml), an info from 50%, with the longest repeated passage quoted. Sections under 20 characters are not \
compared, nor are 二–四 (which point at their tables) or 六 (whose fee sentence rightly recurs).\n\n\
## Why\n\
国办公开办函〔2021〕30号 names 内容雷同 among the grounds for accountability; evaluations (法治蓝皮书) found reports \
repeating up to 90% of the previous year's text.\n\n\
## Example\n\
五、存在的主要问题及改进情况 of 2024 word for word that of 2023: 100%.\n\n\
## Fix\n\
None: write this year's own account.",
    explain_zh: "## 作用\n\
同一机关相邻两年的报告在同一次运行中检查时，对第一部分「总体情况」和第五部分「存在的主要问题及改进情况」，计算今年文字中照搬上一年的比例：\
去掉数字、年份、标点和空白后，今年文字中每 8 个字的片段有多少出现在上一年的同一部分里（换了数字照搬的仍算照搬）。\
达到 80%（可在 gongkai.toml 中用 copied-text-share 设定）时警告，50% 起作为提示，并引用最长的重复段落。短于 20 个字的部分不比较，\
第二至四部分（指向表格）和第六部分（收费说明每年相同是正常的）也不比较。\n\n\
## 原因\n\
国办公开办函〔2021〕30号把内容雷同列为追责情形；对年报的评估（法治蓝皮书）发现有的报告重复上一年文字达 90%。\n\n\
## 示例\n\
2024 年报告的第五部分与 2023 年的一字不差：100%。\n\n\
## 修复\n\
无：写出本年度自己的情况。",
    fix: FixAvailability::None,
    check: |_, _| {},
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "rewritten",
            &[Given::YearBefore(&[
                Given::Paragraph("本局认真贯彻落实", "去年全局围绕中心工作推进公开，重点领域信息发布及时准确完整。"),
                Given::Paragraph("存在的主要问题是", "去年的问题在于栏目更新较慢，今后要定期巡查网站各个栏目。"),
            ])],
        ),
        Vector::fail("copied-word-for-word", 2, &[Given::YearBefore(&[])]),
    ],
};

/// A letter or an ideograph. The common ideographs and ASCII are decided by their range: the standard library's
/// table lookup for a CJK character is most of the cost of comparing two reports.
pub(crate) fn is_compared(c: char) -> bool {
    match c {
        '\u{4e00}'..='\u{9fff}' | 'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7f}'
        | '\u{2010}'..='\u{2027}'
        | '\u{3000}'..='\u{3004}'
        | '\u{3008}'..='\u{3020}'
        | '\u{ff00}'..='\u{ff0f}'
        | '\u{ff1a}'..='\u{ff20}' => false,
        _ => c.is_alphabetic(),
    }
}

/// The base of the phrases' rolling hash (odd, its bits spread), and its `SHINGLE`-th power: the weight of the
/// character that leaves the window.
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;
const BASE_OUT: u64 = BASE.wrapping_pow(SHINGLE as u32);

/// Each phrase of `SHINGLE` characters as one 32-bit number (a collision only counts a phrase as repeated that is
/// not: at 1 in 4 billion a pair of phrases, no share shows). A polynomial hash rolled along the text, two
/// multiplications a character, its high bits taken after one more.
#[derive(Default)]
struct Rolling {
    window: [u32; SHINGLE],
    hash: u64,
    seen: usize,
}

impl Rolling {
    /// Take the next character; the hash of the phrase it ends, once there are `SHINGLE`.
    fn push(&mut self, c: char) -> Option<u32> {
        let out = std::mem::replace(&mut self.window[self.seen % SHINGLE], c as u32);
        self.hash = self
            .hash
            .wrapping_mul(BASE)
            .wrapping_add(u64::from(c as u32))
            .wrapping_sub(u64::from(out).wrapping_mul(BASE_OUT));
        self.seen += 1;
        (self.seen >= SHINGLE).then(|| (self.hash.wrapping_mul(0xff51_afd7_ed55_8ccd) >> 32) as u32)
    }
}

/// How many bytes a compared character takes in [`Phrases`]' text: every character as wide as any (Unicode needs
/// 21 bits), so that a passage is found by its place without reading the text before it.
pub(crate) const WIDTH: usize = 3;

/// A text as [`Phrases`] keeps it, read back: characters that are not ones (a damaged record) are left out.
pub(crate) fn text_of(wide: &[u8]) -> String {
    wide.chunks_exact(WIDTH).filter_map(|c| char::from_u32(u32::from_le_bytes([c[0], c[1], c[2], 0]))).collect()
}

/// How much of one text repeats another: the share of its phrases found in the other, and its longest repeated
/// passage (up to 40 characters).
#[derive(Debug, Clone)]
pub(crate) struct Repeat {
    pub share: f64,
    pub passage: String,
}

/// A text made ready for comparing: its compared characters, the set of its phrases (their hashes, sorted), and
/// its phrases in order as places in that set. Two texts are then compared by merging their sets, without hashing
/// or searching: what the comparison across agencies does for thousands of pairs.
pub(crate) struct Phrases {
    /// The compared characters, `WIDTH` bytes each; empty when the phrases were read back without them.
    text: Vec<u8>,
    /// How many they are.
    chars: usize,
    /// The phrases' hashes, sorted, each once.
    set: Vec<u32>,
    /// Each phrase in order: where its hash is in `set`.
    places: Vec<u32>,
}

impl Phrases {
    pub(crate) fn of(text: &str) -> Phrases {
        let (mut wide, mut rolling) = (Vec::with_capacity(text.len()), Rolling::default());
        // One sort of (hash, position) gives both the set and each position's place in it.
        let mut order: Vec<u64> = Vec::with_capacity(text.len() / 3);
        for c in text.chars().filter(|&c| is_compared(c)) {
            wide.extend_from_slice(&(c as u32).to_le_bytes()[..WIDTH]);
            if let Some(hash) = rolling.push(c) {
                order.push(u64::from(hash) << 32 | order.len() as u64);
            }
        }
        order.sort_unstable();
        let (mut set, mut places) = (Vec::with_capacity(order.len()), vec![0u32; order.len()]);
        for key in order {
            let hash = (key >> 32) as u32;
            if set.last() != Some(&hash) {
                set.push(hash);
            }
            places[(key & 0xffff_ffff) as usize] = set.len() as u32 - 1;
        }
        Phrases { chars: rolling.seen, text: wide, set, places }
    }

    /// The phrases made before (e.g. on the thread that read the report, kept as [`Phrases::parts`]), without
    /// their text; `None` when the parts do not fit together.
    pub(crate) fn from_parts(chars: usize, set: Vec<u32>, places: Vec<u32>) -> Option<Phrases> {
        let fits = places.len() == chars.saturating_sub(SHINGLE - 1)
            && places.iter().all(|&p| (p as usize) < set.len())
            && set.is_sorted();
        fits.then_some(Phrases { text: Vec::new(), chars, set, places })
    }

    /// The compared characters (`WIDTH` bytes each, as [`text_of`] reads them), how many they are, the sorted set
    /// of phrase hashes, and each phrase's place in it.
    pub(crate) fn parts(&self) -> (&[u8], usize, &[u32], &[u32]) {
        (&self.text, self.chars, &self.set, &self.places)
    }

    /// The phrases' hashes, each once.
    pub(crate) fn hashes(&self) -> &[u32] {
        &self.set
    }

    /// How many characters are compared.
    pub(crate) fn len(&self) -> usize {
        self.chars
    }

    /// For each phrase of either set, whether the other has it too: one merge of the two sorted sets, without a
    /// branch on the data (which half of them a processor would guess wrong).
    fn found_both(&self, other: &Phrases) -> (Vec<bool>, Vec<bool>) {
        let (mine, theirs) = (&self.set, &other.set);
        let (mut found_mine, mut found_theirs) = (vec![false; mine.len()], vec![false; theirs.len()]);
        let (mut i, mut j) = (0, 0);
        while i < mine.len() && j < theirs.len() {
            let (x, y) = (mine[i], theirs[j]);
            // The last write to a place is the one made as the merge leaves it: true only where the two are equal.
            found_mine[i] = x == y;
            found_theirs[j] = x == y;
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        (found_mine, found_theirs)
    }

    /// The share of this text's phrases that `found` marks, and where its longest run of them is quoted from.
    fn overlap(&self, found: &[bool]) -> (f64, Quote) {
        let (mut count, mut run, mut best, mut best_end) = (0usize, 0usize, 0usize, 0usize);
        for (i, &p) in self.places.iter().enumerate() {
            let hit = found[p as usize];
            count += usize::from(hit);
            run = if hit { run + 1 } else { 0 };
            if run > best {
                best = run;
                best_end = i + 1;
            }
        }
        let quote = Quote { in_first: true, at: best_end - best, chars: (best + SHINGLE - 1).min(40) };
        (count as f64 / self.places.len().max(1) as f64, quote)
    }

    /// The passage `quote` points at in this text (empty when the text was not kept).
    fn quote(&self, quote: &Quote) -> String {
        self.text.get(quote.bytes()).map(text_of).unwrap_or_default()
    }
}

/// Where a passage is quoted from: the first of two texts or the second, from its `at`-th compared character,
/// `chars` of them (up to 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quote {
    pub in_first: bool,
    pub at: usize,
    pub chars: usize,
}

impl Quote {
    /// Where the passage is in its text's compared characters as [`Phrases::parts`] gives them.
    pub(crate) fn bytes(&self) -> std::ops::Range<usize> {
        self.at * WIDTH..(self.at + self.chars) * WIDTH
    }
}

/// What of `text` repeats `other`, both compared as [`is_compared`] keeps them; `None` when either is shorter than
/// `MIN_CHARS` (a sentence may rightly recur).
pub(crate) fn repeat(text: &str, other: &str) -> Option<Repeat> {
    repeat_of(&Phrases::of(text), &Phrases::of(other))
}

/// [`repeat`] of two texts made ready.
pub(crate) fn repeat_of(text: &Phrases, other: &Phrases) -> Option<Repeat> {
    if text.chars < MIN_CHARS || other.chars < MIN_CHARS {
        return None;
    }
    let (found, _) = text.found_both(other);
    let (share, quote) = text.overlap(&found);
    Some(Repeat { share, passage: text.quote(&quote) })
}

/// What each of two texts made ready repeats of the other, from one merge: each one's share, and where the longer
/// of the two longest repeated passages is (the first's when they are as long); `None` when either is shorter
/// than `MIN_CHARS`, or when neither repeats `threshold` or more of the other.
pub(crate) fn repeats_between(a: &Phrases, b: &Phrases, threshold: f64) -> Option<(f64, f64, Quote)> {
    if a.chars < MIN_CHARS || b.chars < MIN_CHARS {
        return None;
    }
    let (found_a, found_b) = a.found_both(b);
    let ((share_a, in_a), (share_b, in_b)) = (a.overlap(&found_a), b.overlap(&found_b));
    if share_a.max(share_b) < threshold {
        return None;
    }
    Some((share_a, share_b, if in_a.chars >= in_b.chars { in_a } else { Quote { in_first: false, ..in_b } }))
}

/// Compare a report with the same agency's report for the year before.
pub fn check_pair(previous: &Report, current: &Report, sink: &mut Sink) {
    let threshold = current.meta.copied_text_share.unwrap_or(DEFAULT_SHARE);
    for now in current.sections.iter().filter(|s| crate::layout::COMPARED_SECTIONS.contains(&s.key)) {
        let Some(before) = previous.sections.iter().find(|s| s.key == now.key) else { continue };
        let Some(Repeat { share, passage }) = repeat(&now.text, &before.text) else { continue };
        if share < INFO_SHARE.min(threshold) {
            continue;
        }
        let percent = (share * 100.0).round();
        let year = previous.meta.year.map(|y| format!("{y} 年度")).unwrap_or_else(|| "上一年度".into());
        let year_en = previous.meta.year.map_or_else(|| "the year before".to_string(), |y| y.to_string());
        let mut finding = Finding::new(
            format!("「{}」的文字有 {percent}% 与{year}报告的同一部分相同，如「{passage}…」", now.heading),
            format!(
                "{percent}% of 「{}」 repeats the same section of the {year_en} report, e.g. 「{passage}…」",
                now.heading
            ),
        )
        .help("写出本年度自己的工作情况和问题", "write this year's own account");
        if share < threshold {
            finding = finding.severity(Severity::Info);
        }
        sink.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn copied_with_new_figures_is_still_copied() {
        let text = |year: i32, n: i32| {
            format!(
                "{year}年，本局共主动公开政府信息{n}条，办理依申请公开{n}件，认真落实条例要求，持续深化重点领域信息公开，做好政策解读和回应关切。"
            )
        };
        let mut before = clean_report();
        before.meta.year = Some(2022);
        before.sections.push(section("overview", "一、总体情况", &text(2022, 120)));
        let mut now = clean_report();
        now.sections.push(section("overview", "一、总体情况", &text(2023, 135)));
        let mut sink = crate::lint::Sink::for_rule(&super::RULE);
        super::check_pair(&before, &now, &mut sink);
        let found = sink.into_findings();
        assert_eq!(found.len(), 1);
        assert!(found[0].message.get(crate::lang::Lang::Zh).contains("100%"), "{:?}", found[0].message);
        now.sections[0].text =
            "本年度围绕优化营商环境开展专项公开，上线政策问答库，组织三场政务开放日活动，群众满意度明显提高。".into();
        let mut sink = crate::lint::Sink::for_rule(&super::RULE);
        super::check_pair(&before, &now, &mut sink);
        assert!(sink.into_findings().is_empty());
    }
}

#[cfg(test)]
mod compared_tests {
    #[test]
    fn the_fast_ranges_agree_with_the_standard_library() {
        for c in ('\0'..='\u{ffff}').chain(['\u{20000}', '\u{1f600}']) {
            assert_eq!(super::is_compared(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
        }
    }

    /// Each window's hash from scratch, as the rolling hash must give it.
    fn window_hash(window: &[char]) -> u32 {
        let hash = window.iter().fold(0u64, |h, &c| h.wrapping_mul(super::BASE).wrapping_add(u64::from(c as u32)));
        (hash.wrapping_mul(0xff51_afd7_ed55_8ccd) >> 32) as u32
    }

    proptest::proptest! {
        #[test]
        fn the_rolling_hash_is_each_window_hashed_whole(text in "[一二三四五六七八九十公开政府信息ab]{0,40}") {
            let chars: Vec<char> = text.chars().collect();
            let mut rolling = super::Rolling::default();
            let rolled: Vec<u32> = chars.iter().filter_map(|&c| rolling.push(c)).collect();
            let whole: Vec<u32> = chars.windows(super::SHINGLE).map(window_hash).collect();
            proptest::prop_assert_eq!(rolled, whole);
        }

        #[test]
        fn one_merge_finds_what_each_set_has_of_the_other(
            mine in "[一二三四五六七八九十]{8,60}",
            theirs in "[一二三四五六七八九十]{8,60}",
        ) {
            let (a, b) = (super::Phrases::of(&mine), super::Phrases::of(&theirs));
            let (found_a, found_b) = a.found_both(&b);
            let has = |set: &[u32], h: &u32| set.binary_search(h).is_ok();
            proptest::prop_assert_eq!(found_a, a.set.iter().map(|h| has(&b.set, h)).collect::<Vec<_>>());
            proptest::prop_assert_eq!(found_b, b.set.iter().map(|h| has(&a.set, h)).collect::<Vec<_>>());
        }
    }
}
