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
