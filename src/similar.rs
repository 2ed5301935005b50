//! Text shared between the reports of different agencies in one run (T613), found without comparing every report
//! with every other: each report's sections 一 and 五 are reduced to a sketch of 64 numbers (one-permutation
//! MinHash over their 8-character phrases), sketches that agree on all four numbers of any of 16 bands are the
//! candidate pairs (locality-sensitive hashing), and only those are compared in full, phrase by phrase, as T611
//! compares an agency's two years. A run of n reports does O(n) work plus the candidates: a bucket of many reports
//! sharing a text (a county's template copied by every office) pairs each of them with a few of the others, not
//! with all of them.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::lint::{self, Diagnostic, Selection};
use crate::model::Report;
use crate::series::SeriesCells;

pub use lint::rules::shared_text::DEFAULT_SHARE;

const BINS: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = BINS / BANDS;
/// A bucket up to this size is compared pair by pair; a larger one pairs each member with the first `STAR`.
const ALL_PAIRS_UP_TO: usize = 24;
const STAR: usize = 6;
/// How many of its most alike others each report is compared with in full.
const PARTNERS: usize = MAX_NAMED + 1;
/// Pairs whose sketches agree on fewer bins than this share are not compared in full: they share too little.
const MIN_AGREEMENT: f64 = 0.25;

/// What a report's compared sections look like to the index: its agency (hashed) and 64 MinHash bins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    agency: u64,
    bins: [u32; BINS],
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: every bit of the phrase's hash moves every bit of the result.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Sketch {
    /// The sketch of a report's compared sections; `None` when none is long enough to be compared.
    pub fn of(peer: &Peer) -> Option<Sketch> {
        let mut bins = [u32::MAX; BINS];
        for section in &peer.sections {
            // A phrase of 一 is not a phrase of 五: the section is part of what is hashed.
            let key = mix(section.key.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
            for &phrase in section.phrases.hashes() {
                let h = mix(u64::from(phrase) ^ key);
                let bin = (h >> 58) as usize;
                bins[bin] = bins[bin].min(h as u32);
            }
        }
        if peer.sections.iter().all(|s| s.phrases.hashes().is_empty()) {
            return None;
        }
        // Empty bins take the next filled one's value, moved by their distance (densification), so that two
        // sketches agree on them as often as on the bins they were filled from.
        for i in 0..BINS {
            if bins[i] == u32::MAX
                && let Some(d) = (1..BINS).find(|d| bins[(i + d) % BINS] != u32::MAX)
            {
                bins[i] = bins[(i + d) % BINS].wrapping_add((d as u32).wrapping_mul(0x9e37_79b9));
            }
        }
        Some(Sketch { agency: mix(peer.agency_hash), bins })
    }

    /// The share of bins two sketches agree on: an estimate of how many of their phrases they share.
    fn agreement(&self, other: &Sketch) -> f64 {
        self.bins.iter().zip(&other.bins).filter(|(a, b)| a == b).count() as f64 / BINS as f64
    }
}

/// The pairs of reports (by index, the lower first) of different agencies whose sketches say they may share much of
/// their text, most alike first: each report with the few others it is most alike.
pub fn candidates(sketches: &[Option<Sketch>]) -> Vec<(usize, usize)> {
    use rayon::prelude::*;
    // Each band on a thread: the pairs its buckets give.
    let mut pairs: Vec<(u32, u32)> =
        (0..BANDS).into_par_iter().flat_map_iter(|band| band_pairs(sketches, band)).collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let mut out: Vec<(usize, usize, f64)> = pairs
        .into_par_iter()
        .filter_map(|(a, b)| {
            let (x, y) = (sketches[a as usize].as_ref()?, sketches[b as usize].as_ref()?);
            Some((a as usize, b as usize, x.agreement(y)))
        })
        .collect();
    out.par_sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    // Each report's most alike partners only: a report is named with a few others, so comparing it with more is
    // work no finding shows (a text a whole county copied would otherwise be compared n² times).
    let mut partners = vec![0usize; sketches.len()];
    out.retain(|&(a, b, _)| {
        let keep = partners[a] < PARTNERS || partners[b] < PARTNERS;
        if keep {
            partners[a] += 1;
            partners[b] += 1;
        }
        keep
    });
    out.into_iter().map(|(a, b, _)| (a, b)).collect()
}

/// The pairs (the lower index first) of different agencies that agree on `band`'s four bins and on enough of all.
fn band_pairs(sketches: &[Option<Sketch>], band: usize) -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    let mut consider = |a: u32, b: u32| {
        let (Some(x), Some(y)) = (&sketches[a as usize], &sketches[b as usize]) else { return };
        if x.agency != y.agency && x.agreement(y) >= MIN_AGREEMENT {
            pairs.push((a.min(b), a.max(b)));
        }
    };
    let mut buckets: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, sketch) in sketches.iter().enumerate() {
        let Some(sketch) = sketch else { continue };
        let rows = &sketch.bins[band * ROWS..(band + 1) * ROWS];
        let key = rows.iter().fold(mix(band as u64 + 1), |h, &v| mix(h ^ u64::from(v)));
        buckets.entry(key).or_default().push(i as u32);
    }
    for members in buckets.values().filter(|m| m.len() > 1) {
        if members.len() <= ALL_PAIRS_UP_TO {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    consider(a, b);
                }
            }
        } else {
            for &a in members {
                for &b in members.iter().take(STAR) {
                    if a != b {
                        consider(a, b);
                    }
                }
            }
        }
    }
    pairs
}

/// Whether the selection runs any rule across agencies (so that sketches are worth making).
pub fn wanted(selection: &Selection) -> bool {
    lint::rules::PEERS.iter().any(|(rule, _)| selection.wants(rule))
}

/// How many other reports a report's findings across agencies name at most: a text copied by
/// a whole county is told by three names as well as by three hundred.
pub const MAX_NAMED: usize = 3;

/// The findings of `current` against `other`, a report of another agency in the same run.
pub fn check_peer(other: &Report, current: &Report, selection: &Selection) -> Vec<Diagnostic> {
    lint::check_against(lint::rules::PEERS, other, current, selection)
}

/// A report as the comparison across agencies reads it, made on the thread that checked it and kept in a temporary
/// file until the end of the run: its name, agency and year, T613's threshold, and for each compared section long
/// enough to be compared its heading, its place and its phrases (their hashes made once, here).
pub struct Peer {
    id: String,
    agency: String,
    agency_hash: u64,
    year: i32,
    share: Option<f64>,
    sections: Vec<PeerSection>,
}

struct PeerSection {
    key: &'static str,
    heading: String,
    origin: String,
    phrases: Phrases,
}

use lint::rules::copied_text::{Phrases, Quote};

impl Peer {
    /// What the comparison reads of a report, from the cells the cross-year rules keep (`id`: how the report is
    /// named in findings).
    pub fn of(cells: &SeriesCells, id: &str) -> Peer {
        let sections = cells
            .section_texts()
            .filter_map(|(key, heading, text, origin)| {
                let key = crate::layout::COMPARED_SECTIONS.iter().find(|k| **k == key)?;
                let phrases = Phrases::of(text);
                (phrases.len() >= lint::rules::shared_text::MIN_CHARS).then(|| PeerSection {
                    key,
                    heading: heading.to_string(),
                    origin: origin.to_string(),
                    phrases,
                })
            })
            .collect();
        Peer {
            id: id.to_string(),
            agency: cells.agency.clone(),
            agency_hash: cells.agency_hash(),
            year: cells.year,
            share: cells.shared_text_share(),
            sections,
        }
    }

    /// The record kept in the temporary file (lengths and numbers little-endian, names as UTF-8), and how long its
    /// head is: what [`hold`] reads back, everything but the sections' compared characters, which follow it and
    /// are read only where a passage is quoted ([`PeerAt`]).
    pub fn to_bytes(&self) -> (Vec<u8>, usize) {
        fn text(out: &mut Vec<u8>, s: &str) {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        let mut out = Vec::with_capacity(256 + self.sections.iter().map(|s| s.phrases.len() * 11).sum::<usize>());
        text(&mut out, &self.id);
        text(&mut out, &self.agency);
        out.extend_from_slice(&self.agency_hash.to_le_bytes());
        out.extend_from_slice(&self.year.to_le_bytes());
        out.extend_from_slice(&self.share.unwrap_or(f64::NAN).to_le_bytes());
        out.push(self.sections.len() as u8);
        for s in &self.sections {
            text(&mut out, s.key);
            text(&mut out, &s.heading);
            text(&mut out, &s.origin);
            let (_, chars, set, places) = s.phrases.parts();
            out.extend_from_slice(&(chars as u32).to_le_bytes());
            out.extend_from_slice(&(set.len() as u32).to_le_bytes());
            set.iter().for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
            // A place fits in two bytes unless the section has more than 65 536 different phrases.
            if set.len() <= 1 << 16 {
                out.push(2);
                places.iter().for_each(|&n| out.extend_from_slice(&(n as u16).to_le_bytes()));
            } else {
                out.push(4);
                places.iter().for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
            }
        }
        let head = out.len();
        for s in &self.sections {
            out.extend_from_slice(s.phrases.parts().0);
        }
        (out, head)
    }

    /// The head of a record [`Peer::to_bytes`] wrote; `None` when it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Peer> {
        struct Cursor<'a>(&'a [u8]);
        impl<'a> Cursor<'a> {
            fn take(&mut self, n: usize) -> Option<&'a [u8]> {
                let (head, rest) = self.0.split_at_checked(n)?;
                self.0 = rest;
                Some(head)
            }
            fn u32(&mut self) -> Option<u32> {
                Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
            }
            fn u64(&mut self) -> Option<u64> {
                Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
            }
            fn numbers(&mut self, n: usize, width: usize) -> Option<Vec<u32>> {
                let bytes = self.take(n.checked_mul(width)?)?;
                match width {
                    2 => Some(bytes.chunks_exact(2).map(|h| u32::from(u16::from_le_bytes([h[0], h[1]]))).collect()),
                    4 => Some(bytes.chunks_exact(4).map(|h| u32::from_le_bytes([h[0], h[1], h[2], h[3]])).collect()),
                    _ => None,
                }
            }
            fn text(&mut self) -> Option<&'a str> {
                let n = self.u32()? as usize;
                std::str::from_utf8(self.take(n)?).ok()
            }
        }
        let mut c = Cursor(bytes);
        let (id, agency) = (c.text()?.to_string(), c.text()?.to_string());
        let agency_hash = c.u64()?;
        let year = c.u32()? as i32;
        let share = Some(f64::from_bits(c.u64()?)).filter(|s| !s.is_nan());
        let count = c.take(1)?[0];
        let mut sections = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let key = c.text()?;
            let key = *crate::layout::COMPARED_SECTIONS.iter().find(|k| **k == key)?;
            let (heading, origin) = (c.text()?.to_string(), c.text()?.to_string());
            let chars = c.u32()? as usize;
            let distinct = c.u32()? as usize;
            let set = c.numbers(distinct, 4)?;
            let width = usize::from(c.take(1)?[0]);
            let places = c.numbers(chars.saturating_sub(lint::rules::copied_text::SHINGLE - 1), width)?;
            let phrases = Phrases::from_parts(chars, set, places)?;
            sections.push(PeerSection { key, heading, origin, phrases });
        }
        c.0.is_empty().then_some(Peer { id, agency, agency_hash, year, share, sections })
    }

    /// Where the passage `quote` is in the compared characters that follow this report's record head.
    fn quoted(&self, key: &str, quote: &Quote) -> Option<std::ops::Range<usize>> {
        let mut before = 0;
        for section in &self.sections {
            if section.key == key {
                let (bytes, shift) = (quote.bytes(), before * lint::rules::copied_text::WIDTH);
                return Some(bytes.start + shift..bytes.end + shift);
            }
            before += section.phrases.len();
        }
        None
    }

    /// The report's name in findings (its path, or its id in a batch).
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn agency(&self) -> &str {
        &self.agency
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// A minimal report for the findings: the agency, the year, the threshold and the compared sections' headings
    /// and places (not their text).
    pub fn report(&self) -> Report {
        let mut r = Report::blank(String::new(), Some(self.year));
        r.path = self.id.clone();
        r.meta.agency = Some(self.agency.clone());
        r.meta.shared_text_share = self.share;
        r.sections = self
            .sections
            .iter()
            .map(|s| crate::model::Section {
                key: s.key,
                heading: s.heading.clone(),
                text: String::new(),
                origin: s.origin.clone(),
                line_origins: Vec::new(),
            })
            .collect();
        r
    }
}

/// Where a report's [`Peer::to_bytes`] record is in a temporary file, and how long its head is.
#[derive(Debug, Clone, Copy)]
pub struct PeerAt {
    record: Span,
    head: u64,
}

impl PeerAt {
    pub fn new(record: Span, head: usize) -> PeerAt {
        PeerAt { record, head: head as u64 }
    }

    /// What [`hold`] reads: the record's head.
    pub fn head(&self) -> Span {
        self.record.part(0, self.head).unwrap_or(self.record)
    }

    /// Where `bytes` of the compared characters that follow the head are; `None` when they are not in the record.
    pub fn text(&self, bytes: std::ops::Range<usize>) -> Option<Span> {
        self.record.part(self.head.checked_add(bytes.start as u64)?, bytes.len() as u64)
    }
}

use crate::spill::Span;

/// Where `bytes` of report `index`'s compared characters are, by each report's record (`at`).
///
/// # Errors
/// When the record has no such bytes (it is not the one written).
pub fn text_span(at: &[Option<PeerAt>], index: usize, bytes: std::ops::Range<usize>) -> std::io::Result<Span> {
    at.get(index)
        .copied()
        .flatten()
        .and_then(|at| at.text(bytes))
        .ok_or_else(|| std::io::Error::other("a report's record in the temporary file is not the one written"))
}

/// The reports of `pairs`, each read once: those of `before` (the previous batch's) that `pairs` has again are kept,
/// the others read and decoded on the threads with `record(index)`, which gives the head of a report's
/// [`Peer::to_bytes`] record (`None` when it has none).
///
/// # Errors
/// An error of `record`.
pub fn hold<E: Send>(
    pairs: &[(usize, usize)],
    mut before: FxHashMap<usize, Peer>,
    record: impl Fn(usize) -> Result<Option<Vec<u8>>, E> + Sync,
) -> Result<FxHashMap<usize, Peer>, E> {
    use rayon::prelude::*;
    let mut held = FxHashMap::default();
    let (mut unread, mut seen) = (Vec::new(), FxHashSet::default());
    for index in pairs.iter().flat_map(|&(a, b)| [a, b]) {
        if !seen.insert(index) {
            continue;
        }
        match before.remove(&index) {
            Some(peer) => {
                held.insert(index, peer);
            }
            None => unread.push(index),
        }
    }
    let read: Vec<Option<(usize, Peer)>> = unread
        .into_par_iter()
        .map(|index| Ok(record(index)?.and_then(|bytes| Some((index, Peer::from_bytes(&bytes)?)))))
        .collect::<Result<_, E>>()?;
    held.extend(read.into_iter().flatten());
    Ok(held)
}

/// Two reports of a run compared: what they share (for `similar_reports.csv`) and each one's findings.
pub struct Compared {
    pub a: usize,
    pub b: usize,
    pub shared: Vec<Shared>,
    pub found_a: Vec<Diagnostic>,
    pub found_b: Vec<Diagnostic>,
}

/// Compare `pairs` of the reports `held` (by index) on the threads: the passages they share are read with
/// `text(index, bytes)`, which gives `bytes` of the compared characters that follow a report's record head;
/// `findings(index, report, rules)` decides what a report's findings are (its gongkai.toml, the baseline). The
/// pairs that share nothing at their threshold are left out.
///
/// # Errors
/// An error of `text`.
pub fn compare<E, F>(
    pairs: &[(usize, usize)],
    held: &FxHashMap<usize, Peer>,
    text: impl Fn(usize, std::ops::Range<usize>) -> Result<Vec<u8>, E> + Sync,
    findings: F,
) -> Result<Vec<Compared>, E>
where
    E: Send,
    F: Fn(usize, &Report, &dyn Fn(&Selection) -> Vec<Diagnostic>) -> Vec<Diagnostic> + Sync,
{
    use rayon::prelude::*;
    pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (peer_a, peer_b) = (held.get(&a)?, held.get(&b)?);
            let threshold = [peer_a, peer_b].iter().map(|p| p.share.unwrap_or(DEFAULT_SHARE)).fold(1.0, f64::min);
            let mut shared = shared(peer_a, peer_b, threshold);
            if shared.is_empty() {
                return None;
            }
            for s in &mut shared {
                let (index, peer) = if s.quote.in_first { (a, peer_a) } else { (b, peer_b) };
                if let Some(bytes) = peer.quoted(s.key, &s.quote) {
                    match text(index, bytes) {
                        Ok(bytes) => s.passage = lint::rules::copied_text::text_of(&bytes),
                        Err(e) => return Some(Err(e)),
                    }
                }
            }
            let (report_a, report_b) = (peer_a.report(), peer_b.report());
            let found_a = findings(a, &report_a, &|s| findings_of(&shared, true, &report_b, &report_a, s));
            let found_b = findings(b, &report_b, &|s| findings_of(&shared, false, &report_a, &report_b, s));
            Some(Ok(Compared { a, b, shared, found_a, found_b }))
        })
        .collect()
}

/// How many pairs are compared at a time (`check` and `batch`): their reports are held in memory meanwhile.
pub const PAIRS_AT_ONCE: usize = 1024;

/// How many others each report's findings have named so far, against [`MAX_NAMED`].
pub struct Named(Vec<usize>);

impl Named {
    pub fn new(reports: usize) -> Named {
        Named(vec![0; reports])
    }

    /// Whether report `index` may name one more other report (and count it when it may).
    pub fn take(&mut self, index: usize) -> bool {
        let may = self.0.get(index).is_some_and(|&n| n < MAX_NAMED);
        if may {
            self.0[index] += 1;
        }
        may
    }
}

/// The findings of one report of a pair whose [`shared`] sections are known (`a`: whether it is the pair's first),
/// without comparing the two again.
pub fn findings_of(
    shared: &[Shared],
    a: bool,
    other: &Report,
    current: &Report,
    selection: &Selection,
) -> Vec<Diagnostic> {
    let rule = &lint::rules::shared_text::RULE;
    if !selection.wants(rule) {
        return Vec::new();
    }
    let threshold = current.meta.shared_text_share.unwrap_or(DEFAULT_SHARE);
    let mine: Vec<(&crate::model::Section, lint::rules::copied_text::Repeat)> = shared
        .iter()
        .filter_map(|s| {
            let share = if a { s.share_a } else { s.share_b };
            let section = current.sections.iter().find(|x| x.key == s.key)?;
            (share >= threshold)
                .then(|| (section, lint::rules::copied_text::Repeat { share, passage: s.passage.clone() }))
        })
        .collect();
    let mut sink = lint::Sink::for_rule(rule);
    lint::rules::shared_text::push_finding(other, &mine, &mut sink);
    sink.into_findings()
}

/// A pair of reports found to share text, for `similar_reports.csv`: each one's share of the other's phrases, by
/// section, and the longest passage they share.
#[derive(Debug, Clone)]
pub struct Shared {
    key: &'static str,
    pub section: String,
    pub share_a: f64,
    pub share_b: f64,
    /// Where the passage is; [`compare`] reads it into `passage`.
    quote: Quote,
    pub passage: String,
}

/// What two reports' compared sections share, section by section, where either repeats the other at `threshold` or
/// more (the passages not read yet).
pub fn shared(a: &Peer, b: &Peer, threshold: f64) -> Vec<Shared> {
    let mut out = Vec::new();
    for section in &a.sections {
        let Some(theirs) = b.sections.iter().find(|s| s.key == section.key) else { continue };
        let Some((share_a, share_b, quote)) =
            lint::rules::copied_text::repeats_between(&section.phrases, &theirs.phrases, threshold)
        else {
            continue;
        };
        let section_heading = section.heading.clone();
        out.push(Shared {
            key: section.key,
            section: section_heading,
            share_a,
            share_b,
            quote,
            passage: String::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(agency: &str, overview: &str) -> SeriesCells {
        let mut report = crate::model::Report::blank(String::new(), Some(2023));
        report.meta.agency = Some(agency.to_string());
        report.sections.push(crate::model::Section {
            key: "overview",
            heading: "一、总体情况".into(),
            text: overview.to_string(),
            origin: "第3段".into(),
            line_origins: Vec::new(),
        });
        SeriesCells::of(&report).unwrap()
    }

    fn sketch(agency: &str, overview: &str) -> Option<Sketch> {
        Sketch::of(&Peer::of(&cells(agency, overview), agency))
    }

    #[test]
    fn a_peer_is_read_back_as_written() {
        let mut report = crate::model::Report::blank(String::new(), Some(2023));
        report.meta.agency = Some("甲局".into());
        report.meta.shared_text_share = Some(0.7);
        for (key, heading) in [("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况")]
        {
            report.sections.push(crate::model::Section {
                key,
                heading: heading.into(),
                text: TEXT.into(),
                origin: "第3段".into(),
                line_origins: Vec::new(),
            });
        }
        let peer = Peer::of(&SeriesCells::of(&report).unwrap(), "a/甲局.docx");
        let (bytes, head) = peer.to_bytes();
        let back = Peer::from_bytes(&bytes[..head]).expect("read back");
        assert_eq!((back.id(), back.agency(), back.year(), back.share), ("a/甲局.docx", "甲局", 2023, Some(0.7)));
        assert_eq!(Sketch::of(&back), Sketch::of(&peer));
        assert_eq!(back.sections.len(), 2);
        for (x, y) in back.sections.iter().zip(&peer.sections) {
            assert_eq!((x.key, &x.heading, &x.origin), (y.key, &y.heading, &y.origin));
            let ((_, chars, set, places), (_, their_chars, their_set, their_places)) =
                (x.phrases.parts(), y.phrases.parts());
            assert_eq!((chars, set, places), (their_chars, their_set, their_places));
        }
        // Each section's passage is found after the head, where the other's begins.
        let quote = Quote { in_first: true, at: 2, chars: 6 };
        let second = back.quoted("problems", &quote).expect("a section it has");
        let text = lint::rules::copied_text::text_of(&bytes[head..][second]);
        assert_eq!(
            text,
            TEXT.chars().filter(|&c| lint::rules::copied_text::is_compared(c)).skip(2).take(6).collect::<String>()
        );
        assert!(Peer::from_bytes(&bytes[..head - 1]).is_none(), "a record cut short is no record");
    }

    #[test]
    fn a_section_of_more_phrases_than_two_bytes_number_is_read_back_whole() {
        // 70 000 characters drawn in turn from the ideographs: more different phrases than a two-byte place counts
        // (longer than the 64 KiB the cross-year cells keep of a section, so the peer is made by hand).
        let mut x = 7u32;
        let long: String = (0..70_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from_u32(0x4e00 + (x >> 8) % 0x5000).unwrap()
            })
            .collect();
        let mut peer = Peer::of(&cells("甲局", TEXT), "甲局.txt");
        peer.sections[0].phrases = Phrases::of(&long);
        assert!(peer.sections[0].phrases.hashes().len() > 1 << 16);
        let (bytes, head) = peer.to_bytes();
        let back = Peer::from_bytes(&bytes[..head]).expect("read back");
        let ((_, chars, set, places), (_, their_chars, their_set, their_places)) =
            (back.sections[0].phrases.parts(), peer.sections[0].phrases.parts());
        assert_eq!((chars, set, places), (their_chars, their_set, their_places));
        let quote = Quote { in_first: true, at: 69_000, chars: 40 };
        let passage = lint::rules::copied_text::text_of(&bytes[head..][back.quoted("overview", &quote).unwrap()]);
        assert_eq!(passage, long.chars().skip(69_000).take(40).collect::<String>());
    }

    const TEXT: &str = "本局坚持以人民为中心的发展思想，围绕全区中心工作，持续深化政务公开，加强政策解读和回应关切，\
                        推进重点领域信息公开，完善政府信息公开制度，规范依申请公开办理流程，提升政务公开标准化规范化水平。";

    #[test]
    fn the_same_text_of_two_agencies_is_a_candidate_and_their_own_texts_are_not() {
        let other = "今年我们把精力放在网站改版上，新建了惠企政策专栏，组织了两次政务开放日，群众来访明显减少，\
                     明年计划在乡镇推广依申请公开的线上办理，同时补齐档案数字化的短板，做到件件有回音。";
        let sketches = vec![sketch("甲局", TEXT), sketch("乙局", TEXT), sketch("丙局", other), sketch("甲局", TEXT)];
        assert_eq!(candidates(&sketches), vec![(0, 1), (1, 3)], "the same agency's two files are no pair");
    }

    #[test]
    fn a_bucket_of_many_copies_pairs_each_with_a_few() {
        let sketches: Vec<Option<Sketch>> = (0..200).map(|i| sketch(&format!("第{i}局"), TEXT)).collect();
        let pairs = candidates(&sketches);
        assert!(pairs.len() < 200 * STAR, "{} pairs: not every pair of 200", pairs.len());
        let paired: FxHashSet<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        assert_eq!(paired.len(), 200, "every copy is paired with another");
    }
}
