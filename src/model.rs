//! The one report model every importer produces and every rule, fix and exporter reads.
//!
//! A [`Report`] holds the metadata, the sections' text, and every value cell keyed by its canonical key
//! (FORMAT.md §10), each cell keeping its raw text and its origin in the source file. It also keeps the source
//! grids the tables were read from, so a diagnostic can draw the row it points at. It knows nothing of file
//! formats or rules.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::layout::{self, FormatVersion, TableId};
use crate::normalize::Parsed;
use crate::raw::{Grid, InputKind};

/// Where a value came from: a position in one of the report's source grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Origin {
    /// Index into [`Report::grids`].
    pub grid: usize,
    pub row: u32,
    pub col: u32,
    /// In running text, the character of the line where the value's row starts (its label): a web page dumped
    /// as one line holds a whole table. 0 elsewhere.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub at: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Origin {
    /// A position of a grid (`at` 0).
    pub fn cell(grid: usize, row: u32, col: u32) -> Origin {
        Origin { grid, row, col, at: 0 }
    }

    /// A sort key that puts cells in the order a reader meets them.
    pub fn source_order(&self) -> (usize, u32, u32, u32) {
        (self.grid, self.row, self.col, self.at)
    }
}

/// One value cell of a national table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The text as written in the source.
    pub raw: String,
    /// What the text means under the blank/number policy of FORMAT.md §2.
    pub parsed: Parsed,
    pub origin: Origin,
    /// The source stored it as text although it is a number (spreadsheets only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub number_as_text: bool,
}

impl Cell {
    /// The number the cell holds, if it holds one.
    pub fn number(&self) -> Option<f64> {
        self.parsed.number()
    }
}

/// Every value cell of a report, by canonical key: one slot per key the layout knows ([`layout::SLOT_KEYS`], in byte
/// order). Reading a cell is a hash of its key and an index, and the cells iterate in key order as an ordered map's
/// would, without the map's walk for every cell put in or read.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    /// Empty until the first cell comes, then one per slot key.
    slots: Vec<Option<Cell>>,
    len: usize,
}

impl Cells {
    pub fn new() -> Cells {
        Cells::default()
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The cell under a key.
    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.slots.get(layout::key_slot(key)?)?.as_ref()
    }

    /// The cell in a slot of [`layout::SLOT_KEYS`] (see [`layout::key_slot`]).
    pub fn at_slot(&self, slot: usize) -> Option<&Cell> {
        self.slots.get(slot)?.as_ref()
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Cell> {
        self.slots.get_mut(layout::key_slot(key)?)?.as_mut()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The slot of a key, made ready. Every key a report is given comes from the layout: any other is a bug, refused
    /// here (and caught in debug builds).
    fn place(&mut self, key: &str) -> Option<&mut Option<Cell>> {
        let Some(slot) = layout::key_slot(key) else {
            debug_assert!(false, "no such key: {key}");
            return None;
        };
        self.place_at(slot)
    }

    fn place_at(&mut self, slot: usize) -> Option<&mut Option<Cell>> {
        if self.slots.is_empty() {
            self.slots.resize_with(layout::SLOT_KEYS.len(), || None);
        }
        self.slots.get_mut(slot)
    }

    /// Put a cell under a key unless one is there already (the first reading of a key wins).
    pub fn insert_if_vacant(&mut self, key: &str, make: impl FnOnce() -> Cell) {
        match layout::key_slot(key) {
            Some(slot) => self.insert_at_if_vacant(slot, make),
            None => debug_assert!(false, "no such key: {key}"),
        }
    }

    /// [`Cells::insert_if_vacant`] by slot (see [`layout::key_slot`]).
    pub fn insert_at_if_vacant(&mut self, slot: usize, make: impl FnOnce() -> Cell) {
        if let Some(place) = self.place_at(slot).filter(|place| place.is_none()) {
            *place = Some(make());
            self.len += 1;
        }
    }

    /// Put a cell under a key, replacing any there.
    pub fn insert(&mut self, key: &str, cell: Cell) {
        if self.place(key).is_some_and(|place| place.replace(cell).is_none()) {
            self.len += 1;
        }
    }

    /// The cells in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Cell)> + '_ {
        self.slots
            .iter()
            .zip(layout::SLOT_KEYS.iter())
            .filter_map(|(cell, spec)| Some((spec.key.as_str(), cell.as_ref()?)))
    }

    /// The cells in key order, each with what its key means.
    pub fn entries(&self) -> impl Iterator<Item = (&'static layout::KeySpec, &Cell)> + '_ {
        self.slots.iter().zip(layout::SLOT_KEYS.iter()).filter_map(|(cell, spec)| Some((*spec, cell.as_ref()?)))
    }

    /// The cells whose keys start with `stem`, in key order: the keys are sorted, so they are one run of slots.
    pub fn under<'a>(&'a self, stem: &'a str) -> impl Iterator<Item = (&'static str, &'a Cell)> + 'a {
        let start = layout::SLOT_KEYS.partition_point(|k| k.key.as_str() < stem);
        let slots = self.slots.get(start..).unwrap_or_default();
        slots
            .iter()
            .zip(&layout::SLOT_KEYS[start..])
            .take_while(move |(_, spec)| spec.key.starts_with(stem))
            .filter_map(|(cell, spec)| Some((spec.key.as_str(), cell.as_ref()?)))
    }

    /// The keys that have cells, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.iter().map(|(key, _)| key)
    }

    /// Keep only the cells `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Cell) -> bool) {
        for (place, spec) in self.slots.iter_mut().zip(layout::SLOT_KEYS.iter()) {
            if let Some(cell) = place
                && !keep(&spec.key, cell)
            {
                *place = None;
                self.len -= 1;
            }
        }
    }
}

/// Equal when the same keys hold equal cells (one side may not have made its slots yet).
impl PartialEq for Cells {
    fn eq(&self, other: &Cells) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl std::ops::Index<&str> for Cells {
    type Output = Cell;
    fn index(&self, key: &str) -> &Cell {
        self.get(key).unwrap_or_else(|| panic!("no cell {key}"))
    }
}

impl<K: AsRef<str>> FromIterator<(K, Cell)> for Cells {
    fn from_iter<I: IntoIterator<Item = (K, Cell)>>(items: I) -> Cells {
        let mut cells = Cells::new();
        for (key, cell) in items {
            cells.insert(key.as_ref(), cell);
        }
        cells
    }
}

impl Serialize for Cells {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len))?;
        for (key, cell) in self.iter() {
            map.serialize_entry(key, cell)?;
        }
        map.end()
    }
}

/// A section of the report text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The canonical section key (`overview`, …), when the heading was recognised.
    pub key: &'static str,
    /// The heading as written.
    pub heading: String,
    /// The body text, paragraphs joined by newlines.
    pub text: String,
    /// Where the heading is.
    pub origin: String,
    /// Where each line of `text` is (`第12段`, `第40行`), when the reader knew; not part of the JSON model.
    #[serde(skip)]
    pub line_origins: Vec<String>,
}

impl Section {
    /// Where the line of `text` holding byte `at` is: its paragraph's address when known, else the heading's.
    pub fn origin_at(&self, at: usize) -> &str {
        let line = self.text.as_bytes()[..at.min(self.text.len())].iter().filter(|b| **b == b'\n').count();
        self.line_origins.get(line).map_or(self.origin.as_str(), String::as_str)
    }
}

/// Report metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// The publication date as `YYYY-MM-DD`: the page's 发布时间 for web pages, else the date line.
    pub published: Option<String>,
    /// The date line (落款) at the end of the report, as `YYYY-MM-DD`.
    pub date_line: Option<String>,
    /// The year the statistics period names (本报告中所列数据统计期限为…).
    pub period_year: Option<i32>,
    /// Department or local government: decides the publication deadline. Inferred from the agency's name;
    /// `check --org-type` overrides it.
    pub org_type: Option<OrgType>,
    /// Whether `org_type` was given by the user rather than inferred.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub org_type_given: bool,
    /// A publication deadline the user gave (`MM-DD` of the year after the report's), for a body whose deadline
    /// is neither of the two the organisation types have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_given: Option<String>,
    /// A floor for sections 一 and 五 the user gave (`thin-section-chars`), for T609.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thin_section_chars: Option<usize>,
    /// The share of a section's text repeating last year's above which T611 warns (`copied-text-share`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copied_text_share: Option<f64>,
    /// The year was read from the 落款 date (the year before it), neither the title nor the statistics period
    /// giving one: M501 says so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub year_from_date_line: bool,
    /// The share of a section's text found in another agency's report above which T613 warns (`shared-text-share`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_text_share: Option<f64>,
    /// Dates and references whose lost characters were restored, or could not be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<Repair>,
}

impl Meta {
    /// The organisation type the user gave (`--org-type`, `gongkai.toml`), which the deadline rule trusts over
    /// the one inferred from the agency's name.
    pub fn give_org_type(&mut self, org_type: OrgType) {
        self.org_type = Some(org_type);
        self.org_type_given = true;
    }
}

/// A garbled date line and what it can mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repair {
    pub original: String,
    /// Every valid reading; one means repaired, several mean ambiguous.
    pub readings: Vec<String>,
    pub origin: String,
}

/// The kind of body that publishes the report (条例 art. 49).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgType {
    /// 县级以上人民政府部门: publish by 1月31日.
    Department,
    /// 县级以上地方人民政府 (its report compiled by the 主管部门): publish by 3月31日.
    Government,
}

impl OrgType {
    /// FORMAT.md §5.4: a name ending in 人民政府/政府 (or naming a 管委会-run area) is a government; anything else a
    /// department. 办公厅/办公室 of a government are departments.
    pub fn infer(agency: &str) -> OrgType {
        const GOVERNMENT: &[&str] = &["人民政府", "政府", "管委会", "管理委员会", "实验区", "新区"];
        if GOVERNMENT.iter().any(|g| agency.ends_with(g)) { OrgType::Government } else { OrgType::Department }
    }

    /// The publication deadline for a report year, as `YYYY-MM-DD`.
    pub fn deadline(self, year: i32) -> String {
        match self {
            OrgType::Department => format!("{}-01-31", year + 1),
            OrgType::Government => format!("{}-03-31", year + 1),
        }
    }
}

/// Something the recogniser noticed that a structure rule reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// A label matched the format only after accepting a known variant or dropping its numbering.
    LabelVariant { table: TableId, found: String, expected: String, origin: Origin },
    /// A value column the format does not have (e.g. a 法人小计 column in 表三).
    ExtraColumn { table: TableId, label: String, origin: Origin },
    /// A row with numbers whose label matches no row of the format.
    UnknownRow { table: TableId, label: String, origin: Origin },
    /// Cells of a row in running text that could not be read with certainty (wrong count of numbers, or digits
    /// run together that can be cut more than one way); they were left unknown.
    UnreadableCells {
        table: TableId,
        label: String,
        text: String,
        reason: String,
        reason_en: String,
        origin: Origin,
        /// The ways the row's digits can still be cut, when they are few: another report (the agency's year before)
        /// may settle them.
        #[serde(skip)]
        cuts: Cuts,
    },
    /// Digits run together that the table's arithmetic left several ways to cut, settled by the counts the report's
    /// own text states (`制发88件`, `现行有效698件`) or by the agency's report of the year before: read so, and said
    /// how (`stated`: 按正文「…」, 按上一年度报告…).
    SettledCells {
        table: TableId,
        label: String,
        text: String,
        reading: String,
        stated: String,
        stated_en: String,
        origin: Origin,
    },
}

/// The ways a row's run-together digits can be cut: the keys of its cells, and each way's values in their order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cuts {
    pub keys: Vec<String>,
    pub ways: Vec<Vec<String>>,
    /// The digits as written (`8855698`).
    pub written: String,
}

/// Where a national table was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableLocation {
    pub grid: usize,
    /// The first row of the table's header.
    pub header_row: u32,
}

/// One report, in the national model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The file as the user named it.
    pub path: String,
    pub input: InputKind,
    pub format: FormatVersion,
    pub meta: Meta,
    pub sections: Vec<Section>,
    /// Every value cell found, by canonical key.
    pub cells: Cells,
    /// Where each table was found.
    pub tables: BTreeMap<TableId, TableLocation>,
    pub notes: Vec<Note>,
    /// The source grids, for drawing a diagnostic's row.
    #[serde(skip)]
    pub grids: Vec<Grid>,
}

impl Report {
    /// A report with no cells: the blank standard report that templates draw.
    pub fn blank(title: String, year: Option<i32>) -> Report {
        Report {
            path: String::new(),
            input: InputKind::Docx,
            format: FormatVersion::V2021,
            meta: Meta { title: Some(title), year, ..Meta::default() },
            sections: Vec::new(),
            cells: Cells::new(),
            tables: BTreeMap::new(),
            notes: Vec::new(),
            grids: Vec::new(),
        }
    }

    /// The cell under a key.
    pub fn cell(&self, key: &str) -> Option<&Cell> {
        self.cells.get(key)
    }

    /// The number under a key, if the cell exists and holds a number.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.cells.get(key).and_then(Cell::number)
    }

    /// The user-facing address of a cell's origin (`表三!I12`, `表3 第12行第9列`).
    pub fn address(&self, origin: Origin) -> String {
        self.grids.get(origin.grid).map_or_else(String::new, |g| g.address(origin.row, origin.col))
    }

    /// The address in English wording.
    pub fn address_en(&self, origin: Origin) -> String {
        self.grids.get(origin.grid).map_or_else(String::new, |g| g.address_en(origin.row, origin.col))
    }

    /// The canonical values as exported by `convert … .json`: every 2021 key with its number or null, in key
    /// order.
    pub fn values(&self) -> serde_json::Map<String, serde_json::Value> {
        keyed_values(self, layout::KEYS_2021.iter().map(|k| k.key.as_str()))
    }

    /// The same values in the same order, without building a map (the dataset writes them for every report).
    pub fn values_in_key_order(&self) -> impl Iterator<Item = (&'static str, Option<serde_json::Number>)> + '_ {
        // The keys and the cells are both in byte order: one walk through each instead of a search per key.
        let mut cells = self.cells.iter().peekable();
        layout::KEYS_2021_SORTED.iter().map(move |key| {
            while cells.next_if(|(k, _)| k < key).is_some() {}
            let cell = cells.next_if(|(k, _)| k == key).map(|(_, cell)| cell);
            (*key, cell.and_then(Cell::number).and_then(json_number))
        })
    }

    /// The trial-format cells that have no 2021 counterpart (`t2v19.…`, `t3.result.other_total.…`).
    pub fn trial_values(&self) -> serde_json::Map<String, serde_json::Value> {
        let keys = layout::KEYS_TRIAL_ONLY.iter().map(|k| k.key.as_str()).filter(|k| self.cells.contains_key(k));
        keyed_values(self, keys)
    }

    /// The model as the JSON document `convert -o FILE.json` writes.
    pub fn to_json(&self) -> serde_json::Value {
        let mut doc = serde_json::json!({
            "format": self.format,
            "input": self.input,
            "meta": self.meta,
            "sections": self.sections,
            "values": self.values(),
        });
        let trial = self.trial_values();
        if !trial.is_empty()
            && let Some(obj) = doc.as_object_mut()
        {
            obj.insert("trial_values".into(), serde_json::Value::Object(trial));
        }
        let places = self.places();
        if !places.is_empty()
            && let Some(obj) = doc.as_object_mut()
        {
            obj.insert("places".into(), serde_json::Value::Object(places));
        }
        doc
    }

    /// Where each value stands on its page, for a report read from a PDF: `{key: {page, bbox}}`, the box in points
    /// from the page's top-left corner. Empty for other sources.
    pub fn places(&self) -> serde_json::Map<String, serde_json::Value> {
        self.cells
            .iter()
            .filter_map(|(key, cell)| {
                let place = self.grids.get(cell.origin.grid)?.place(cell.origin.row, cell.origin.col)?;
                Some((key.to_string(), serde_json::to_value(place).ok()?))
            })
            .collect()
    }
}

fn keyed_values<'a>(
    report: &Report,
    keys: impl Iterator<Item = &'a str>,
) -> serde_json::Map<String, serde_json::Value> {
    keys.map(|k| {
        let v = report.number(k).and_then(json_number);
        (k.to_string(), v.map_or(serde_json::Value::Null, serde_json::Value::Number))
    })
    .collect()
}

/// A value as the JSON model writes it: whole numbers as integers.
fn json_number(n: f64) -> Option<serde_json::Number> {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Some(serde_json::Number::from(n as i64))
    } else {
        serde_json::Number::from_f64(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(raw: &str) -> Cell {
        Cell {
            raw: raw.to_string(),
            parsed: crate::normalize::parse_value(raw),
            origin: Origin::cell(0, 0, 0),
            number_as_text: false,
        }
    }

    #[test]
    fn cells_keep_the_first_reading_and_iterate_in_key_order_like_an_ordered_map() {
        let keys =
            ["t4.review.total", "t3.new_received.total", "t2v19.art20_1.rules.new_made", "t2.art20_1.rules.made"];
        let mut cells = Cells::new();
        let mut map = BTreeMap::new();
        for (i, key) in keys.iter().enumerate() {
            cells.insert_if_vacant(key, || cell(&i.to_string()));
            map.insert(key.to_string(), cell(&i.to_string()));
        }
        cells.insert_if_vacant("t4.review.total", || cell("99"));
        assert_eq!(cells.len(), 4);
        assert_eq!(cells["t4.review.total"].raw, "0");
        let ours: Vec<(&str, &str)> = cells.iter().map(|(k, c)| (k, c.raw.as_str())).collect();
        let ordered: Vec<(&str, &str)> = map.iter().map(|(k, c)| (k.as_str(), c.raw.as_str())).collect();
        assert_eq!(ours, ordered);
        assert_eq!(serde_json::to_string(&cells).unwrap(), serde_json::to_string(&map).unwrap());
        let under: Vec<&str> = cells.under("t2").map(|(k, _)| k).collect();
        assert_eq!(under, ["t2.art20_1.rules.made", "t2v19.art20_1.rules.new_made"]);
        assert_eq!(cells.under("t3.new_received.").count(), 1);
        assert_eq!(cells.under("t9").count(), 0);

        cells.insert("t4.review.total", cell("7"));
        assert_eq!((cells.len(), cells["t4.review.total"].raw.as_str()), (4, "7"));
        cells.retain(|k, _| !k.starts_with("t2"));
        assert_eq!(cells.keys().collect::<Vec<_>>(), ["t3.new_received.total", "t4.review.total"]);
        cells.retain(|_, _| false);
        assert!(cells.is_empty());
        assert_eq!(cells, Cells::new(), "no cells equals no cells, however they came to be empty");
        assert_eq!(Cells::new().under("t3").count(), 0);
    }
}
