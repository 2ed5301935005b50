//! XLSX → raw grids, with zip + quick-xml, in one pass over each sheet.
//!
//! calamine reads XLS (see `xlsx.rs`); for XLSX a report needs only the sheet names, the shared strings and, per
//! sheet, its cells and `<mergeCells>`. calamine also loads styles and parses each sheet a second time for its
//! merges, which made reading a workbook take three times as long as inflating and tokenising it (the benchmark
//! floor). This reader does the one pass, and `tests/xlsx_reader.rs` holds it to calamine's values on every
//! fixture. The sheets and shared strings are read with the tokeniser for plain XML in `plain_xml.rs`, and with
//! quick-xml's reader where that gives up.
//!
//! Cell values: shared and inline strings (rich-text runs joined, phonetic guides `<rPh>` dropped, `_xHHHH_`
//! escapes decoded), numbers as typed numbers, booleans as `TRUE`/`FALSE`, errors and ISO dates (`t="d"`) as their
//! text. Number formats are read only for numbers that could be dates (serials of 2000–2099): those a style shows
//! as dates read as `2024年1月27日`; a date-formatted count keeps its number. Formulas read as their saved
//! result `<v>`, except sums whose saved result is missing or differs from what the sheet's cells give: those are
//! worked out (`formula.rs`) and noted on the grid.

use calamine::{ExcelDateTime, ExcelDateTimeType};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::plain_xml::{Events, PlainXml, QuickEvents, Stop, attr_value, for_each_raw_attr, raw_attr};

use rustc_hash::FxHashMap;

use super::{ImportError, formula, limits};
use crate::normalize::format_number;
use crate::raw::{FormulaNote, parse_a1};

/// One sheet's cells `(row, col, text, typed number)`, merged ranges `((r0, c0), (r1, c1))` and the formulas whose
/// saved results were missing or out of date, 0-based.
pub(super) struct SheetCells {
    pub name: String,
    pub cells: Vec<(u32, u32, String, Option<f64>)>,
    pub merges: Vec<((u32, u32), (u32, u32))>,
    pub formulas: Vec<FormulaNote>,
}

pub(super) fn read_sheets(name: &str, mut archive: super::Archive) -> Result<Vec<SheetCells>, ImportError> {
    let corrupt = |detail: String| ImportError::Corrupt { path: name.to_string(), detail };
    let Some(workbook) = super::read_part_bytes(name, &mut archive, "xl/workbook.xml")? else {
        return Err(ImportError::NotADocument {
            path: name.to_string(),
            hint: super::Words::fixed("xl/workbook.xml is missing", "缺少 xl/workbook.xml"),
        });
    };
    let rels = super::read_part_bytes(name, &mut archive, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let rels = relationships(&rels).map_err(|e| corrupt(format!("xl/_rels/workbook.xml.rels: {e}")))?;
    let (sheets, date1904) = sheet_list(&workbook).map_err(|e| corrupt(format!("xl/workbook.xml: {e}")))?;

    let shared = related_part(name, &mut archive, &rels, "/sharedStrings", "xl/sharedStrings.xml", shared_strings)?
        .unwrap_or_default();
    if shared.len() > limits::MAX_ITEMS {
        return Err(ImportError::Limit {
            path: name.to_string(),
            limit: format!("more than {} shared strings", limits::MAX_ITEMS),
        });
    }

    let mut out = Vec::new();
    for (sheet_name, rel_id) in sheets {
        let Some(rel) = rels.iter().find(|r| r.id == rel_id) else { continue };
        if !rel.kind.ends_with("/worksheet") {
            // Chart sheets and dialog sheets hold no cells.
            continue;
        }
        let Some(xml) = super::read_part_bytes(name, &mut archive, &rel.target)? else {
            return Err(corrupt(format!("sheet {sheet_name}: {} is missing", rel.target)));
        };
        let (cells, merges, formulas, dates) = sheet(name, &sheet_name, &xml, &shared)?;
        out.push((SheetCells { name: sheet_name, cells, merges, formulas }, dates));
    }
    // Numbers that may be dates (a 落款 typed as 2024年1月27日 is stored as a date serial): only then are the
    // styles read, to see which of them the workbook shows as dates.
    if out.iter().any(|(_, dates)| !dates.is_empty()) {
        let styles =
            related_part(name, &mut archive, &rels, "/styles", "xl/styles.xml", date_styles)?.unwrap_or_default();
        for (sheet, dates) in &mut out {
            for &(index, style) in dates.iter() {
                if styles.get(style as usize).copied().unwrap_or(false)
                    && let Some(cell) = sheet.cells.get_mut(index)
                    && let Some(text) = cell.3.and_then(|serial| {
                        date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, date1904))
                    })
                {
                    cell.2 = text;
                    cell.3 = None;
                }
            }
        }
    }
    Ok(out.into_iter().map(|(sheet, _)| sheet).collect())
}

/// A workbook part found by its relationship type (`/sharedStrings`, `/styles`), else under its usual name, and
/// parsed; `None` when the workbook has no such part.
fn related_part<T>(
    name: &str,
    archive: &mut super::Archive,
    rels: &[Relationship],
    kind: &str,
    usual: &str,
    parse: impl FnOnce(&[u8]) -> Result<T, quick_xml::Error>,
) -> Result<Option<T>, ImportError> {
    let part = rels.iter().find(|r| r.kind.ends_with(kind)).map_or(usual, |r| r.target.as_str());
    let Some(xml) = super::read_part_bytes(name, archive, part)? else { return Ok(None) };
    parse(&xml).map(Some).map_err(|e| ImportError::Corrupt { path: name.to_string(), detail: format!("{part}: {e}") })
}

/// Date serials of the years 2000–2099: numbers in this range that a style shows as a date are read as dates. A
/// count is never this large; a date-formatted small count keeps its number.
const DATE_SERIALS: std::ops::Range<f64> = 36_526.0..73_051.0;

/// A date cell as `2024年1月27日`, when it falls in [`DATE_SERIALS`].
pub(super) fn date_text(date: &ExcelDateTime) -> Option<String> {
    (date.is_datetime() && DATE_SERIALS.contains(&date.as_f64())).then(|| {
        let (year, month, day, ..) = date.to_ymd_hms_milli();
        format!("{year}年{month}月{day}日")
    })
}

struct Relationship {
    id: String,
    kind: String,
    /// The part name inside the zip, resolved against `xl/`.
    target: String,
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    attr_value(e, |key| super::local_name(key) == local)
}

/// The `r:id` attribute of a `<sheet>`: the one named `id` with a namespace prefix (its prefix varies by writer).
fn rel_id_attr(e: &BytesStart) -> Option<String> {
    attr_value(e, |key| key.contains(':') && super::local_name(key) == "id")
}

fn resolve_target(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn relationships(xml: &[u8]) -> Result<Vec<Relationship>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(kind), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                    && attr(&e, "TargetMode").as_deref() != Some("External")
                {
                    out.push(Relationship { id, kind, target: resolve_target(&target) });
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `(name, relationship id)` of every sheet, in workbook order, and whether dates count from 1904 (old Mac Excel).
fn sheet_list(xml: &[u8]) -> Result<(Vec<(String, String)>, bool), quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut date1904 = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), rel_id_attr(&e)) {
                    out.push((name, id));
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "workbookPr" => {
                date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
            }
            Event::Eof => return Ok((out, date1904)),
            _ => {}
        }
    }
}

/// Which cell styles (`s`, an index into `cellXfs`) show their number as a date, from `xl/styles.xml`.
fn date_styles(xml: &[u8]) -> Result<Vec<bool>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut custom: FxHashMap<u32, bool> = FxHashMap::default();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.insert(id.parse().unwrap_or(u32::MAX), is_date_format(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id: u32 = attr(&e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    // Built-in date and time formats, the CJK ones (27–36, 50–58) included.
                    let builtin = matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58);
                    styles.push(custom.get(&id).copied().unwrap_or(builtin));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

/// A number format shows a date when, outside quoted text, escapes and `[…]` sections, it has a date or time part.
fn is_date_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut in_brackets = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            '[' if !in_quotes => in_brackets = true,
            ']' if !in_quotes => in_brackets = false,
            _ if in_quotes || in_brackets => {}
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'e' | 'h' | 'H' | 's' | 'S' => {
                return !code.eq_ignore_ascii_case("General");
            }
            _ => {}
        }
    }
    false
}

/// Collects the text of `<t>` elements of one string item (`<si>` or `<is>`), skipping phonetic runs.
#[derive(Default)]
struct StringItem {
    text: String,
    in_t: bool,
    in_phonetic: bool,
}

impl StringItem {
    fn start(&mut self, local: &str) {
        match local {
            "t" if !self.in_phonetic => self.in_t = true,
            "rPh" => self.in_phonetic = true,
            _ => {}
        }
    }
    fn end(&mut self, local: &str) {
        match local {
            "t" => self.in_t = false,
            "rPh" => self.in_phonetic = false,
            _ => {}
        }
    }
    fn push(&mut self, text: &str) {
        if self.in_t {
            super::push_bounded(&mut self.text, text);
        }
    }
    fn take(&mut self) -> String {
        self.in_t = false;
        self.in_phonetic = false;
        decode_escapes(std::mem::take(&mut self.text))
    }
}

fn shared_strings(xml: &[u8]) -> Result<Vec<String>, quick_xml::Error> {
    if let Ok(plain) = PlainXml::new(xml) {
        match shared_strings_from(plain) {
            Err(Stop::Bail) => {}
            Err(Stop::Xml(e)) => return Err(e),
            Ok(list) => return Ok(list),
        }
    }
    match shared_strings_from(QuickEvents::new(xml)) {
        Err(Stop::Xml(e)) => Err(e),
        // Only `PlainXml` bails.
        Err(Stop::Bail) => Ok(Vec::new()),
        Ok(list) => Ok(list),
    }
}

fn shared_strings_from<'a>(mut events: impl Events<'a>) -> Result<Vec<String>, Stop> {
    let mut out = Vec::new();
    let mut item: Option<StringItem> = None;
    loop {
        // Past the limit the caller refuses the workbook: stop before holding more.
        if out.len() > limits::MAX_ITEMS {
            return Ok(out);
        }
        match events.next_event()? {
            Event::Start(e) => match super::local_name(e.name().0) {
                "si" => item = Some(StringItem::default()),
                local => {
                    if let Some(i) = item.as_mut() {
                        i.start(local);
                    }
                }
            },
            Event::Empty(e) if super::local_name(e.name().0) == "si" => out.push(String::new()),
            Event::End(e) => match super::local_name(e.name().0) {
                "si" => out.push(item.take().map(|mut i| i.take()).unwrap_or_default()),
                local => {
                    if let Some(i) = item.as_mut() {
                        i.end(local);
                    }
                }
            },
            Event::Eof => return Ok(out),
            other => {
                if let (Some(i), Some(text)) = (item.as_mut(), super::into_text(other)) {
                    i.push(&text);
                }
            }
        }
    }
}

/// Decode the `_xHHHH_` escapes OOXML uses for characters XML cannot hold (e.g. `_x000D_` for a carriage return).
fn decode_escapes(text: String) -> String {
    if !text.contains("_x") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let hex = tail.get(2..6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match (hex, tail.as_bytes().get(6)) {
            (Some(h), Some(b'_')) => {
                if let Some(c) = u32::from_str_radix(h, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
                rest = &tail[7..];
            }
            _ => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a `<c>` holds while its children are read.
struct PendingCell {
    row: u32,
    col: u32,
    kind: CellKind,
    inline: StringItem,
    in_v: bool,
    in_is: bool,
    in_f: bool,
    formula: Option<PendingFormula>,
    /// The cell's style (`s`): an index into the workbook's `cellXfs`.
    style: u32,
}

/// A cell's `<f>`: its text, and for a shared formula its index (the first cell holds the text, the copies only the
/// index).
struct PendingFormula {
    text: String,
    shared: Option<u32>,
}

/// A formula cell of a sheet, and where its saved result went in the sheet's cells.
struct SheetFormula {
    row: u32,
    col: u32,
    text: String,
    shared: Option<u32>,
    saved: Option<usize>,
}

type Cells = Vec<(u32, u32, String, Option<f64>)>;
type Merges = Vec<((u32, u32), (u32, u32))>;

/// A sheet's cells, merges and formula notes, and the cells `(index, style)` whose number may be a date.
type Sheet = (Cells, Merges, Vec<FormulaNote>, Vec<(usize, u32)>);

fn sheet(name: &str, sheet_name: &str, xml: &[u8], shared: &[String]) -> Result<Sheet, ImportError> {
    if let Ok(plain) = PlainXml::new(xml) {
        match sheet_from(plain, name, sheet_name, shared) {
            Err(Halt::Bail) => {}
            done => return done.map_err(|halt| halt.into_error(name, sheet_name)),
        }
    }
    sheet_from(QuickEvents::new(xml), name, sheet_name, shared).map_err(|halt| halt.into_error(name, sheet_name))
}

/// Why reading a sheet stopped short.
enum Halt {
    /// [`PlainXml`] met XML it does not read.
    Bail,
    Error(ImportError),
}

impl From<ImportError> for Halt {
    fn from(e: ImportError) -> Self {
        Halt::Error(e)
    }
}

impl Halt {
    fn into_error(self, name: &str, sheet_name: &str) -> ImportError {
        match self {
            Halt::Error(e) => e,
            // Only `PlainXml` bails, and then the sheet is read again with quick-xml: not reached.
            Halt::Bail => ImportError::Corrupt {
                path: name.to_string(),
                detail: format!("sheet {sheet_name} is not well-formed XML"),
            },
        }
    }
}

fn sheet_from<'a>(mut events: impl Events<'a>, name: &str, sheet_name: &str, shared: &[String]) -> Result<Sheet, Halt> {
    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        path: name.to_string(),
        detail: format!("sheet {sheet_name} is not well-formed XML ({e})"),
    };
    let mut cells: Cells = Vec::new();
    let mut merges: Merges = Vec::new();
    let mut formulas: Vec<SheetFormula> = Vec::new();
    let mut dates: Vec<(usize, u32)> = Vec::new();
    let mut depth = 0usize;
    // Writers may leave out `r` on rows and cells: positions then follow on from the previous one.
    let mut row: u32 = 0;
    let mut next_col: u32 = 0;
    let mut seen_row = false;
    let mut cell: Option<PendingCell> = None;
    // The `<v>` text of the cell being read: one buffer for the whole sheet.
    let mut value = String::new();
    loop {
        let event = match events.next_event() {
            Ok(event) => event,
            Err(Stop::Bail) => return Err(Halt::Bail),
            Err(Stop::Xml(e)) => return Err(corrupt(&e).into()),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                if is_start {
                    super::enter_element(name, &mut depth)?;
                }
                match super::local_name(e.name().0) {
                    "row" => {
                        row = match raw_attr(e, "r").and_then(|r| r.parse::<u32>().ok()) {
                            Some(r) if r >= 1 => r - 1,
                            _ if seen_row => row + 1,
                            _ => 0,
                        };
                        seen_row = true;
                        next_col = 0;
                    }
                    "c" => {
                        // One pass over the attributes: a cell is the most frequent element.
                        let (mut at, mut kind, mut style) = (None, CellKind::Number, 0);
                        for_each_raw_attr(e, |key, value| match key {
                            "r" => at = parse_a1(value),
                            "t" => kind = CellKind::of(value),
                            "s" => style = value.trim().parse().unwrap_or(0),
                            _ => {}
                        });
                        let (r, c) = at.unwrap_or((row, next_col));
                        next_col = c + 1;
                        value.clear();
                        let pending = PendingCell {
                            row: r,
                            col: c,
                            kind,
                            inline: StringItem::default(),
                            in_v: false,
                            in_is: false,
                            in_f: false,
                            formula: None,
                            style,
                        };
                        if is_start {
                            cell = Some(pending);
                        }
                    }
                    "v" if is_start => {
                        if let Some(c) = cell.as_mut() {
                            c.in_v = true;
                        }
                    }
                    "is" if is_start => {
                        if let Some(c) = cell.as_mut() {
                            c.in_is = true;
                        }
                    }
                    "f" if formulas.len() < limits::MAX_FORMULAS => {
                        if let Some(c) = cell.as_mut() {
                            let shared = raw_attr(e, "t")
                                .filter(|t| t == "shared")
                                .and_then(|_| raw_attr(e, "si"))
                                .and_then(|si| si.trim().parse().ok());
                            c.formula = Some(PendingFormula { text: String::new(), shared });
                            c.in_f = is_start;
                        }
                    }
                    "mergeCell" => {
                        if merges.len() >= limits::MAX_ITEMS {
                            return Err(ImportError::Limit {
                                path: name.to_string(),
                                limit: format!("sheet {sheet_name} has more than {} merged ranges", limits::MAX_ITEMS),
                            }
                            .into());
                        }
                        if let Some(range) = raw_attr(e, "ref") {
                            let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                            if let (Some(start), Some(end)) = (parse_a1(a), parse_a1(b)) {
                                merges.push((start, end));
                            }
                        }
                    }
                    local if is_start => {
                        if let Some(c) = cell.as_mut().filter(|c| c.in_is) {
                            c.inline.start(local);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                match super::local_name(e.name().0) {
                    "c" => {
                        if let Some(done) = cell.take() {
                            let (row, col, formula, style) = (done.row, done.col, done.formula, done.style);
                            let maybe_date = matches!(done.kind, CellKind::Number) && style != 0;
                            let saved = cell_value(done.kind, &value, done.inline, shared);
                            if cells.len() as u64 >= limits::MAX_SHEET_CELLS {
                                return Err(ImportError::Limit {
                                    path: name.to_string(),
                                    limit: format!(
                                        "sheet {sheet_name} has more than {} cells",
                                        limits::MAX_SHEET_CELLS
                                    ),
                                }
                                .into());
                            }
                            let saved = saved.map(|(text, typed)| {
                                if maybe_date && typed.is_some_and(|n| DATE_SERIALS.contains(&n)) {
                                    dates.push((cells.len(), style));
                                }
                                cells.push((row, col, text, typed));
                                cells.len() - 1
                            });
                            if let Some(f) = formula {
                                formulas.push(SheetFormula { row, col, text: f.text, shared: f.shared, saved });
                            }
                        }
                    }
                    "f" => {
                        if let Some(c) = cell.as_mut() {
                            c.in_f = false;
                        }
                    }
                    "v" => {
                        if let Some(c) = cell.as_mut() {
                            c.in_v = false;
                        }
                    }
                    "is" => {
                        if let Some(c) = cell.as_mut() {
                            c.in_is = false;
                        }
                    }
                    local => {
                        if let Some(c) = cell.as_mut().filter(|c| c.in_is) {
                            c.inline.end(local);
                        }
                    }
                }
            }
            Event::Eof => break,
            other => {
                if let Some(c) = cell.as_mut()
                    && (c.in_v || c.in_is || c.in_f)
                    && let Some(text) = super::into_text(other)
                {
                    if c.in_v {
                        super::push_bounded(&mut value, &text);
                    } else if c.in_f {
                        if let Some(f) = c.formula.as_mut() {
                            super::push_bounded(&mut f.text, &text);
                        }
                    } else {
                        c.inline.push(&text);
                    }
                }
            }
        }
    }
    let notes = recalculate(&mut cells, &formulas);
    Ok((cells, merges, notes, dates))
}

/// Work out the sheet's sums whose saved results are missing or differ from what their cells give, put the results
/// in the cells, and note each one (the V208 finding says so).
fn recalculate(cells: &mut Cells, formulas: &[SheetFormula]) -> Vec<FormulaNote> {
    if formulas.is_empty() {
        return Vec::new();
    }
    fn own(f: &SheetFormula) -> Option<&str> {
        Some(f.text.trim()).filter(|t| !t.is_empty())
    }
    // The cell holding each shared formula's text (its copies hold only the index), and the text parsed once.
    let mut masters: FxHashMap<u32, (&SheetFormula, Option<formula::Sum>)> = FxHashMap::default();
    for f in formulas {
        if let (Some(si), Some(text)) = (f.shared, own(f)) {
            masters.entry(si).or_insert_with(|| (f, formula::parse(text)));
        }
    }
    let parsed: FxHashMap<(u32, u32), formula::Sum> = formulas
        .iter()
        .filter_map(|f| {
            let sum = match own(f) {
                Some(text) => formula::parse(text),
                None => f.shared.and_then(|si| masters.get(&si)).and_then(|(m, sum)| {
                    sum.as_ref()?.shifted(i64::from(f.row) - i64::from(m.row), i64::from(f.col) - i64::from(m.col))
                }),
            };
            sum.map(|s| ((f.row, f.col), s))
        })
        .collect();
    let results: Vec<Option<f64>> = {
        let index: FxHashMap<(u32, u32), usize> = cells.iter().enumerate().map(|(i, c)| ((c.0, c.1), i)).collect();
        let cells = &*cells;
        let value_at = |r: u32, c: u32| match index.get(&(r, c)).map(|&i| &cells[i]) {
            None => formula::Value::Blank,
            Some((_, _, _, Some(n))) => formula::Value::Number(*n),
            Some((_, _, text, None)) if text.trim().is_empty() => formula::Value::Blank,
            Some(_) => formula::Value::Text,
        };
        let mut evaluator = formula::Evaluator::new(&value_at, &parsed);
        formulas.iter().map(|f| evaluator.result((f.row, f.col))).collect()
    };
    let mut notes = Vec::new();
    for (f, result) in formulas.iter().zip(results) {
        let saved = f.saved.map(|i| (cells[i].2.clone(), cells[i].3));
        // A copy of a shared formula that is not a sum shows its first cell's text.
        let shown = parsed.get(&(f.row, f.col)).map_or_else(
            || {
                let text = own(f).or_else(|| f.shared.and_then(|si| masters.get(&si)).and_then(|(m, _)| own(m)));
                text.unwrap_or_default().trim_start_matches('=').to_string()
            },
            ToString::to_string,
        );
        match result {
            Some(v) => {
                // A saved text (a string result, an error) is left as it is: only a missing or numeric result that
                // differs is replaced.
                let keep = match &saved {
                    Some((_, Some(s))) => (s - v).abs() <= 1e-9 * v.abs().max(1.0),
                    Some((text, None)) => !text.trim().is_empty(),
                    None => false,
                };
                if keep {
                    continue;
                }
                let cell = (f.row, f.col, format_number(v), Some(v));
                match f.saved {
                    Some(i) => cells[i] = cell,
                    None => cells.push(cell),
                }
                notes.push(FormulaNote {
                    row: f.row,
                    col: f.col,
                    formula: shown,
                    saved: saved.map(|s| s.0),
                    result: Some(v),
                });
            }
            None if saved.is_none() => {
                // Kept as a blank cell, so that the grid reaches it and the finding can point at it.
                cells.push((f.row, f.col, String::new(), None));
                notes.push(FormulaNote { row: f.row, col: f.col, formula: shown, saved: None, result: None });
            }
            None => {}
        }
    }
    notes
}

/// A cell's `t` attribute.
#[derive(Clone, Copy)]
enum CellKind {
    /// `n` or none: a number.
    Number,
    /// `s`: an index into the shared strings.
    Shared,
    /// `inlineStr`: the text is in `<is>`.
    Inline,
    /// `b`: `0` or `1`.
    Bool,
    /// `str` (a formula's text), `e` (an error) or `d` (an ISO date): the text is in `<v>`.
    Text,
}

impl CellKind {
    fn of(t: &str) -> CellKind {
        match t {
            "s" => CellKind::Shared,
            "inlineStr" => CellKind::Inline,
            "b" => CellKind::Bool,
            "str" | "e" | "d" => CellKind::Text,
            _ => CellKind::Number,
        }
    }
}

/// The text and, for numbers, the value of a finished cell; `None` for a cell without a value.
fn cell_value(kind: CellKind, value: &str, mut inline: StringItem, shared: &[String]) -> Option<(String, Option<f64>)> {
    match kind {
        CellKind::Shared => {
            let index: usize = value.trim().parse().ok()?;
            let text = shared.get(index)?;
            (!text.is_empty()).then(|| (text.clone(), None))
        }
        CellKind::Inline => {
            let text = inline.take();
            (!text.is_empty()).then_some((text, None))
        }
        CellKind::Bool => Some(((if value.trim() == "1" { "TRUE" } else { "FALSE" }).to_string(), None)),
        CellKind::Text => (!value.is_empty()).then(|| (decode_escapes(value.to_string()), None)),
        CellKind::Number => {
            let trimmed = value.trim();
            if trimmed.is_empty() {
                return None;
            }
            // Counts are small whole numbers written as such: their text is already the plain decimal form.
            let plain = trimmed.len() == value.len()
                && value.len() < 16
                && value.bytes().all(|b| b.is_ascii_digit())
                && (value.len() == 1 || !value.starts_with('0'));
            match trimmed.parse::<f64>() {
                Ok(v) if plain => Some((value.to_string(), Some(v))),
                Ok(v) if v.is_finite() => Some((format_number(v), Some(v))),
                _ => Some((value.to_string(), None)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_to_zero_based_positions() {
        assert_eq!(parse_a1("A1"), Some((0, 0)));
        assert_eq!(parse_a1("K25"), Some((24, 10)));
        assert_eq!(parse_a1("AA3"), Some((2, 26)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("12"), None);
    }

    #[test]
    fn escapes_decode_and_others_stay() {
        assert_eq!(decode_escapes("a_x000D_b".into()), "a\rb");
        assert_eq!(decode_escapes("_x4E2D_文".into()), "中文");
        assert_eq!(decode_escapes("file_xname_".into()), "file_xname_");
    }

    #[test]
    fn targets_resolve_against_xl() {
        assert_eq!(resolve_target("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(resolve_target("../xl/sharedStrings.xml"), "xl/sharedStrings.xml");
    }

    #[test]
    fn rich_text_joins_runs_and_drops_phonetic_guides() {
        let xml = r#"<sst xmlns="x"><si><r><t>本年</t></r><r><t xml:space="preserve">新收 </t></r><rPh sb="0" eb="1"><t>ben</t></rPh></si><si/><si><t>a&amp;b</t></si></sst>"#;
        assert_eq!(
            shared_strings(xml.as_bytes()).unwrap(),
            vec!["本年新收 ".to_string(), String::new(), "a&b".to_string()]
        );
    }

    #[test]
    fn cells_without_references_follow_on_and_merges_are_read() {
        let xml = r#"<x:worksheet xmlns:x="x"><x:sheetData>
            <x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c><x:v>17</x:v></x:c></x:row>
            <x:row><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c>
              <x:c t="str"><x:f>A1</x:f><x:v>公式</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c s="1"/></x:row>
            </x:sheetData><x:mergeCells count="1"><x:mergeCell ref="B3:C4"/></x:mergeCells></x:worksheet>"#;
        let (cells, merges, formulas, _) = sheet("t.xlsx", "S", xml.as_bytes(), &["标签".to_string()]).unwrap();
        assert!(formulas.is_empty(), "a formula's saved text stands");
        let got: Vec<(u32, u32, &str, Option<f64>)> =
            cells.iter().map(|(r, c, t, v)| (*r, *c, t.as_str(), *v)).collect();
        assert_eq!(
            got,
            vec![
                (2, 1, "标签", None),
                (2, 2, "17", Some(17.0)),
                (3, 0, "内联", None),
                (3, 1, "TRUE", None),
                (3, 2, "公式", None),
                (3, 3, "#DIV/0!", None),
            ]
        );
        assert_eq!(merges, vec![((2, 1), (3, 2))]);
    }

    #[test]
    fn sums_without_a_saved_result_or_with_a_stale_one_are_worked_out() {
        // Row 1: 2, 3, then J-like totals: no result saved; a stale 0; a shared copy of the first; an AVERAGE with
        // no result (beyond gongkai's sums); a sum whose saved result is right.
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c><c r="C1"><f t="shared" ref="C1:C2" si="0">SUM(A1:B1)</f></c>
              <c r="D1"><f>A1+B1+C1</f><v>0</v></c><c r="E1"><f>AVERAGE(A1:B1)</f></c><c r="F1"><f>A1+B1</f><v>5</v></c></row>
            <row r="2"><c r="A2"><v>4</v></c><c r="B2"><v>1</v></c><c r="C2"><f t="shared" si="0"/><v>0</v></c></row>
            </sheetData></worksheet>"#;
        let (cells, _, notes, _) = sheet("t.xlsx", "S", xml.as_bytes(), &[]).unwrap();
        let value = |r: u32, c: u32| cells.iter().find(|x| x.0 == r && x.1 == c).and_then(|x| x.3);
        assert_eq!(value(0, 2), Some(5.0));
        assert_eq!(value(0, 3), Some(10.0), "a sum over a worked-out sum");
        assert_eq!(value(1, 2), Some(5.0), "the shared copy reads its own row");
        assert_eq!(value(0, 5), Some(5.0));
        let note = |row, col, formula: &str, saved: Option<&str>, result| FormulaNote {
            row,
            col,
            formula: formula.into(),
            saved: saved.map(str::to_string),
            result,
        };
        assert_eq!(
            notes,
            vec![
                note(0, 2, "SUM(A1:B1)", None, Some(5.0)),
                note(0, 3, "A1+B1+C1", Some("0"), Some(10.0)),
                note(0, 4, "AVERAGE(A1:B1)", None, None),
                note(1, 2, "SUM(A2:B2)", Some("0"), Some(5.0)),
            ]
        );
    }

    #[test]
    fn date_formats_and_serials() {
        for date in
            ["yyyy\"年\"m\"月\"d\"日\"", "yyyy\\年m\\月d\\日", "YYYY/MM/DD", "[$-804]yyyy年m月d日", "m/d/yy h:mm"]
        {
            assert!(is_date_format(date), "{date}");
        }
        for number in ["General", "0", "#,##0.00", "0.0\"万元\"", "[Red]0", "\"d\"0"] {
            assert!(!is_date_format(number), "{number}");
        }
        let date = |serial, date1904| date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, date1904));
        assert_eq!(date(45318.0, false).as_deref(), Some("2024年1月27日"));
        assert_eq!(date(45366.75, false).as_deref(), Some("2024年3月15日"), "a time of day is dropped");
        assert_eq!(date(43856.0, true).as_deref(), Some("2024年1月27日"), "the 1904 date system");
        assert_eq!(date(36526.0, false).as_deref(), Some("2000年1月1日"));
        assert_eq!(date(5.0, false), None, "a date-formatted count keeps its number");
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
            <numFmt numFmtId="165" formatCode="0.00"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;
        assert_eq!(date_styles(styles.as_bytes()).unwrap(), vec![false, true, false, true]);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = format!("<worksheet>{}{}</worksheet>", "<a>".repeat(600), "</a>".repeat(600));
        assert!(matches!(sheet("t.xlsx", "S", xml.as_bytes(), &[]), Err(ImportError::Limit { .. })));
    }
}
