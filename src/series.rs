//! The cross-year rules' side of a run: what they read of each report, and which reports they pair. The rules
//! that compare an agency's consecutive years (C306, C307: [`crate::lint::rules::SERIES`]) need both reports, and a
//! run over thousands of files cannot hold them all; so each report is reduced to the few cells those rules read
//! ([`SeriesCells`], a few hundred bytes that keep their places for the findings' addresses), and reports are
//! paired by agency and year ([`Pairing`]) as they come or at the end. `check` and `batch` both stand on this.

use crate::lint::{self, Diagnostic, Selection};
use crate::model::Report;

/// The cells the cross-year rules read (表二 (一) and 表三's carried rows), with the agency and year, and where
/// each was: enough for the rules' findings to name their cells without the report being read again.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SeriesCells {
    pub agency: String,
    pub year: i32,
    /// One slot per key of [`series_keys`]: what the cell held, compactly.
    pub cells: Vec<SeriesValue>,
    /// One slot per key: the cell's place, its grid an index into `grids`.
    places: Vec<Option<crate::model::Origin>>,
    /// How the grids of those places are addressed (a text dump's line numbers only as far as the places go).
    grids: Vec<crate::raw::Addressing>,
    /// The text of the sections T611 compares (一 and 五): heading, text and where it starts.
    #[serde(default)]
    texts: Vec<SectionText>,
    /// T611's threshold, as the report's `gongkai.toml` gives it.
    #[serde(default)]
    copied_text_share: Option<f64>,
    /// T613's threshold, as the report's `gongkai.toml` gives it.
    #[serde(default)]
    shared_text_share: Option<f64>,
}

/// A section's text as the cross-year text rule reads it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SectionText {
    key: String,
    heading: String,
    text: String,
    origin: String,
}

use crate::layout::COMPARED_SECTIONS;

/// The longest section text kept for the comparison, in bytes.
const MAX_TEXT: usize = 64 * 1024;

/// A cell as the cross-year rules read it, in 16 bytes.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub enum SeriesValue {
    Absent,
    Blank,
    Text,
    Number(f64),
}

/// The keys the cross-year rules read.
fn series_keys() -> &'static [String] {
    static KEYS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        crate::layout::KEYS_2021
            .iter()
            .map(|k| k.key.clone())
            .filter(|k| k.starts_with("t2.art20_1.") || k.starts_with("t3.carried_"))
            .collect()
    });
    &KEYS
}

impl SeriesCells {
    /// What the cross-year rules need of a report; `None` without an agency or a year.
    pub fn of(report: &Report) -> Option<SeriesCells> {
        let (agency, year) = (report.meta.agency.clone()?, report.meta.year?);
        let mut cells = Vec::with_capacity(series_keys().len());
        let mut places = Vec::with_capacity(series_keys().len());
        // The report's grids the places are on, in the order of `grids`, with the last row a place is on.
        let mut used: Vec<(usize, u32)> = Vec::new();
        for k in series_keys() {
            let Some(cell) = report.cell(k) else {
                cells.push(SeriesValue::Absent);
                places.push(None);
                continue;
            };
            cells.push(match &cell.parsed {
                crate::normalize::Parsed::Number { value, .. } => SeriesValue::Number(*value),
                crate::normalize::Parsed::Blank | crate::normalize::Parsed::Placeholder => SeriesValue::Blank,
                crate::normalize::Parsed::Text => SeriesValue::Text,
            });
            let at = cell.origin;
            let grid = match used.iter().position(|&(g, _)| g == at.grid) {
                Some(index) => {
                    used[index].1 = used[index].1.max(at.row);
                    index
                }
                None => {
                    used.push((at.grid, at.row));
                    used.len() - 1
                }
            };
            places.push(Some(crate::model::Origin { grid, ..at }));
        }
        let grids = used
            .iter()
            .filter_map(|&(g, last)| {
                let mut addressing = report.grids.get(g)?.addressing.clone();
                if let crate::raw::Addressing::Lines { numbers, .. } = &mut addressing {
                    numbers.truncate(last as usize + 1);
                }
                Some(addressing)
            })
            .collect();
        let texts = report
            .sections
            .iter()
            .filter(|s| COMPARED_SECTIONS.contains(&s.key))
            .map(|s| {
                let mut end = s.text.len().min(MAX_TEXT);
                while !s.text.is_char_boundary(end) {
                    end -= 1;
                }
                SectionText {
                    key: s.key.to_string(),
                    heading: s.heading.clone(),
                    text: s.text[..end].to_string(),
                    origin: s.origin.clone(),
                }
            })
            .collect();
        let (copied_text_share, shared_text_share) = (report.meta.copied_text_share, report.meta.shared_text_share);
        Some(SeriesCells { agency, year, cells, places, grids, texts, copied_text_share, shared_text_share })
    }

    /// A minimal report holding just these cells, at their places (its grids are empty: they only address).
    pub fn report(&self, id: &str) -> Report {
        let mut r = Report::blank(String::new(), Some(self.year));
        r.path = id.to_string();
        r.meta.agency = Some(self.agency.clone());
        r.grids = self.grids.iter().map(|a| crate::raw::Grid::new(a.clone(), 0, 0)).collect();
        r.meta.copied_text_share = self.copied_text_share;
        r.meta.shared_text_share = self.shared_text_share;
        r.sections = self
            .texts
            .iter()
            .filter_map(|t| {
                let key = COMPARED_SECTIONS.iter().find(|k| **k == t.key)?;
                Some(crate::model::Section {
                    key,
                    heading: t.heading.clone(),
                    text: t.text.clone(),
                    origin: t.origin.clone(),
                    line_origins: Vec::new(),
                })
            })
            .collect();
        use crate::normalize::Parsed;
        r.cells = series_keys()
            .iter()
            .zip(&self.cells)
            .zip(&self.places)
            .filter_map(|((k, slot), place)| {
                // Every cell but an absent one has its place.
                let origin = (*place)?;
                let parsed = match *slot {
                    SeriesValue::Absent => return None,
                    SeriesValue::Blank => Parsed::Blank,
                    SeriesValue::Text => Parsed::Text,
                    SeriesValue::Number(value) => Parsed::Number { value, clean: true, unit: None },
                };
                Some((k.clone(), crate::model::Cell { raw: String::new(), parsed, origin, number_as_text: false }))
            })
            .collect();
        r
    }
}

/// A report's place in its agency's series: (hash of the normalised agency, year, item index). A hash collision
/// only pairs two reports whose agencies are then compared in full.
pub type SeriesKey = (u64, i32, usize);

impl SeriesCells {
    /// This report's key in the series.
    pub fn key(&self, index: usize) -> SeriesKey {
        (hash_agency(&crate::normalize::label(&self.agency)), self.year, index)
    }

    /// The compared sections: key, heading, text and where the section starts.
    pub fn section_texts(&self) -> impl Iterator<Item = (&str, &str, &str, &str)> {
        self.texts.iter().map(|t| (t.key.as_str(), t.heading.as_str(), t.text.as_str(), t.origin.as_str()))
    }

    /// T613's threshold, as the report's `gongkai.toml` gives it.
    pub fn shared_text_share(&self) -> Option<f64> {
        self.shared_text_share
    }

    /// The hash of the normalised agency.
    pub fn agency_hash(&self) -> u64 {
        hash_agency(&crate::normalize::label(&self.agency))
    }

    /// True when `other` is of the same agency (after normalisation).
    pub fn same_agency(&self, other: &SeriesCells) -> bool {
        crate::normalize::label(&self.agency) == crate::normalize::label(&other.agency)
    }
}

/// Which reports of a run are an agency's consecutive years. Reports are added in the run's order; when two claim
/// the same agency and year, the first listed is the one compared.
#[derive(Debug, Default)]
pub struct Pairing {
    /// The first report listed of each (agency, year).
    first_of_year: rustc_hash::FxHashMap<(u64, i32), usize>,
    keys: Vec<SeriesKey>,
}

impl Pairing {
    /// Add a report; returns the report of the year before, when one was added already (a report listed earlier).
    pub fn add(&mut self, key: SeriesKey) -> Option<usize> {
        let (agency, year, index) = key;
        let previous = self.first_of_year.get(&(agency, year - 1)).copied();
        self.first_of_year.entry((agency, year)).and_modify(|first| *first = (*first).min(index)).or_insert(index);
        self.keys.push(key);
        previous
    }

    /// The report of `agency`'s year before `year`, when one was added.
    pub fn year_before(&self, agency: u64, year: i32) -> Option<usize> {
        self.first_of_year.get(&(agency, year - 1)).copied()
    }

    /// Every pair (year before, year) by index, in the order of the later report.
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .keys
            .iter()
            .filter_map(|&(agency, year, index)| {
                self.first_of_year.get(&(agency, year - 1)).map(|&previous| (previous, index))
            })
            .collect();
        pairs.sort_unstable_by_key(|&(_, later)| later);
        pairs
    }

    /// The pairs [`add`](Self::add) could not give: those whose year before was listed after the year.
    pub fn later_pairs(&self) -> Vec<(usize, usize)> {
        self.pairs().into_iter().filter(|(previous, current)| previous > current).collect()
    }
}

/// Whether `report` has rows whose run-together digits another report may settle ([`settle_by_year_before`]).
pub fn has_open_cuts(report: &Report) -> bool {
    report.notes.iter().any(|n| matches!(n, crate::model::Note::UnreadableCells { cuts, .. } if !cuts.ways.is_empty()))
}

/// Settle the rows of `report` whose run-together digits the report alone left several ways to cut, by the same
/// agency's report of the year before: its 现行有效 plus this year's 本年制发 less 本年废止 is this year's 现行有效.
/// A row that exactly one way keeps is read so (its cells filled, its note saying how, for S108); when several
/// ways are kept and they are fewer, the row stays unknown and its note lists them. Returns whether a row was read.
pub fn settle_by_year_before(previous: &Report, report: &mut Report) -> bool {
    use crate::model::Note;
    let number = |s: &str| crate::normalize::parse_value(s).number();
    let year = previous.meta.year.map(|y| format!("（{y} 年度）")).unwrap_or_default();
    let year_en = previous.meta.year.map(|y| format!(" ({y})")).unwrap_or_default();
    let mut read = Vec::new();
    for (index, note) in report.notes.iter_mut().enumerate() {
        let Note::UnreadableCells { table, label, reason, reason_en, origin, cuts, .. } = note else { continue };
        let field = |name: &str| cuts.keys.iter().position(|k| k.rsplit('.').next() == Some(name));
        let (Some(made), Some(repealed), Some(in_force)) = (field("made"), field("repealed"), field("in_force")) else {
            continue;
        };
        let Some(before) = previous.number(&cuts.keys[in_force]) else { continue };
        let keeps = |w: &&Vec<String>| match (number(&w[made]), number(&w[repealed]), number(&w[in_force])) {
            (Some(m), Some(r), Some(now)) => (before + m - r - now).abs() < 1e-9,
            _ => false,
        };
        let kept: Vec<&Vec<String>> = cuts.ways.iter().filter(keeps).collect();
        let stated =
            format!("按上一年度{year}报告的现行有效 {} 件（加本年制发、减本年废止）", crate::lint::num(before));
        match kept.as_slice() {
            [way] => {
                let stated_en = format!(
                    "by the year before's report{year_en}: {} in force, plus made, less repealed",
                    crate::lint::num(before)
                );
                read.push((
                    index,
                    (*way).clone(),
                    cuts.keys.clone(),
                    Note::SettledCells {
                        table: *table,
                        label: label.clone(),
                        text: cuts.written.clone(),
                        reading: way.join(" | "),
                        stated,
                        stated_en,
                        origin: *origin,
                    },
                ));
            }
            several if several.len() > 1 && several.len() < cuts.ways.len() && several.len() <= 4 => {
                let listed = |sep: &str| several.iter().map(|w| w.join(" | ")).collect::<Vec<_>>().join(sep);
                reason.push_str(&format!("；{stated}仍有 {} 种：{}", several.len(), listed("；")));
                reason_en.push_str(&format!(
                    "; by the year before's report{year_en} ({} in force) {} still fit: {}",
                    crate::lint::num(before),
                    several.len(),
                    listed("; ")
                ));
            }
            _ => {}
        }
    }
    let settled = !read.is_empty();
    // The row's note becomes the note of its reading, and its cells are filled at the row's place.
    for (index, way, keys, settled_note) in read {
        let Note::SettledCells { origin, .. } = settled_note else { continue };
        for (key, raw) in keys.iter().zip(way) {
            let parsed = crate::normalize::parse_value(&raw);
            report.cells.insert(key, crate::model::Cell { raw, parsed, origin, number_as_text: false });
        }
        report.notes[index] = settled_note;
    }
    settled
}

/// The cross-year findings of `current` against `previous`, the same agency's report of the year before.
pub fn check_pair(previous: &Report, current: &Report, selection: &Selection) -> Vec<Diagnostic> {
    lint::check_against(lint::rules::SERIES, previous, current, selection)
}

/// The cross-year findings of a set of reports held in memory: each report compared with the report of the same
/// agency for the year before, when the set holds one. The findings by index into `reports`.
pub fn check_all(reports: &[&Report], selection: &Selection) -> Vec<(usize, Diagnostic)> {
    let mut pairing = Pairing::default();
    let agencies: Vec<Option<String>> =
        reports.iter().map(|r| r.meta.agency.as_deref().map(crate::normalize::label)).collect();
    for (index, report) in reports.iter().enumerate() {
        if let (Some(agency), Some(year)) = (&agencies[index], report.meta.year) {
            pairing.add((hash_agency(agency), year, index));
        }
    }
    let mut out = Vec::new();
    for (previous, current) in pairing.pairs() {
        // A hash collision pairs two agencies: their names are compared in full.
        if agencies[previous] == agencies[current] {
            out.extend(check_pair(reports[previous], reports[current], selection).into_iter().map(|d| (current, d)));
        }
    }
    out
}

fn hash_agency(normalised: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(normalised)
}

#[cfg(test)]
mod tests {
    use crate::model::{Cell, Cuts, Note, Origin, Report};

    /// A report whose 行政规范性文件 row cuts `ways` ways, and the year before with `in_force` in force.
    fn open_row(ways: &[[&str; 3]], in_force: &str) -> (Report, Report) {
        let keys: Vec<String> =
            ["made", "repealed", "in_force"].iter().map(|f| format!("t2.art20_1.normative_docs.{f}")).collect();
        let mut before = Report::blank(String::new(), Some(2023));
        let parsed = crate::normalize::parse_value(in_force);
        let cell = Cell { raw: in_force.into(), parsed, origin: Origin::cell(0, 0, 0), number_as_text: false };
        before.cells.insert(&keys[2], cell);
        let mut report = Report::blank(String::new(), Some(2024));
        report.notes.push(Note::UnreadableCells {
            table: crate::layout::TableId::T2,
            label: "行政规范性文件".into(),
            text: "8855698".into(),
            reason: "数字连写在一起".into(),
            reason_en: "the digits run together".into(),
            origin: Origin::cell(0, 9, 0),
            cuts: Cuts {
                keys,
                ways: ways.iter().map(|w| w.iter().map(|v| v.to_string()).collect()).collect(),
                written: "8855698".into(),
            },
        });
        (before, report)
    }

    #[test]
    fn the_year_before_reads_the_one_way_it_keeps_and_lists_several() {
        let ways = [["88", "55", "698"], ["8", "855", "698"], ["885", "56", "98"], ["88", "556", "98"]];
        let (before, mut report) = open_row(&ways, "665");
        assert!(super::settle_by_year_before(&before, &mut report));
        assert_eq!(report.number("t2.art20_1.normative_docs.made"), Some(88.0));
        assert_eq!(report.number("t2.art20_1.normative_docs.in_force"), Some(698.0));
        assert!(matches!(&report.notes[..], [Note::SettledCells { reading, .. }] if reading == "88 | 55 | 698"));
        // 0 + 88 − 55 ≠ 698 and 0 + 8 − 855 ≠ 698: none kept, nothing read, the note as it was.
        let (before, mut report) = open_row(&ways, "0");
        let unchanged = report.clone();
        assert!(!super::settle_by_year_before(&before, &mut report));
        assert_eq!(report, unchanged);
        // Two kept of three: still unknown, the two listed.
        let ways = [["1", "1", "5"], ["2", "2", "5"], ["3", "1", "9"]];
        let (before, mut report) = open_row(&ways, "5");
        assert!(!super::settle_by_year_before(&before, &mut report));
        assert!(report.number("t2.art20_1.normative_docs.made").is_none());
        let Note::UnreadableCells { reason, .. } = &report.notes[0] else { panic!("{:?}", report.notes) };
        assert!(reason.contains("仍有 2 种：1 | 1 | 5；2 | 2 | 5"), "{reason}");
    }

    #[test]
    fn the_compact_cells_keep_their_addresses_through_the_spill() {
        let fixtures = [
            "fixtures/text/one-cell-per-line.txt",
            "fixtures/docx/clean-libreoffice.docx",
            "fixtures/xlsx/clean-sheet-per-table.xlsx",
        ];
        for fixture in fixtures {
            let mut report = crate::import::read(std::path::Path::new(fixture)).unwrap();
            report.meta.agency.get_or_insert_with(|| "某局".into());
            report.meta.year.get_or_insert(2023);
            let record = serde_json::to_vec(&super::SeriesCells::of(&report).unwrap()).unwrap();
            let compact = serde_json::from_slice::<super::SeriesCells>(&record).unwrap().report(fixture);
            assert!(!compact.cells.is_empty(), "{fixture}");
            for (key, cell) in compact.cells.iter() {
                assert_eq!(compact.address(cell.origin), report.address(report.cells[key].origin), "{fixture} {key}");
                assert_eq!(compact.address_en(cell.origin), report.address_en(report.cells[key].origin));
            }
        }
    }

    #[test]
    fn the_first_report_of_a_year_is_paired_whether_it_comes_before_or_after() {
        let mut pairing = super::Pairing::default();
        assert_eq!(pairing.add((1, 2023, 0)), None);
        assert_eq!(pairing.add((1, 2024, 1)), Some(0));
        assert_eq!(pairing.add((2, 2024, 2)), None);
        assert_eq!(pairing.add((1, 2024, 3)), Some(0), "a second report of 2024");
        assert_eq!(pairing.add((2, 2023, 4)), None, "its year after came first");
        assert_eq!(pairing.pairs(), vec![(0, 1), (4, 2), (0, 3)]);
        assert_eq!(pairing.later_pairs(), vec![(4, 2)]);
    }
}
