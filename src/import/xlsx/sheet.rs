//! One worksheet's XML → its cells, merged ranges and formulas, in one pass of events.

use crate::import::Words;
use quick_xml::events::{BytesStart, Event};

use super::plain_xml::{Events, PlainXml, QuickEvents, Stop, for_each_raw_attr, raw_attr};
use super::strings::{StringItem, decode_escapes};
use super::{DATE_SERIALS, recalculate::recalculate};
use crate::import::{ImportError, enter_element, into_text, limits, local_name, push_bounded};
use crate::normalize::format_number;
use crate::raw::{FormulaNote, parse_a1};

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
pub(super) struct SheetFormula {
    pub row: u32,
    pub col: u32,
    pub text: String,
    pub shared: Option<u32>,
    pub saved: Option<usize>,
}

pub(super) type Cells = Vec<(u32, u32, String, Option<f64>)>;
pub(super) type Merges = Vec<super::Merge>;

/// A sheet's cells, merges and formula notes, and the cells `(index, style)` whose number may be a date.
pub(super) type Sheet = (Cells, Merges, Vec<FormulaNote>, Vec<(usize, u32)>);

pub(super) fn sheet(name: &str, sheet_name: &str, xml: &[u8], shared: &[String]) -> Result<Sheet, ImportError> {
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
    let mut reader = SheetReader::new(name, sheet_name, shared);
    loop {
        let event = match events.next_event() {
            Ok(event) => event,
            Err(Stop::Bail) => return Err(Halt::Bail),
            Err(Stop::Xml(e)) => {
                return Err(ImportError::Corrupt {
                    path: name.to_string(),
                    detail: format!("sheet {sheet_name} is not well-formed XML ({e})"),
                }
                .into());
            }
        };
        match event {
            Event::Start(ref e) => reader.start(e, true)?,
            Event::Empty(ref e) => reader.start(e, false)?,
            Event::End(ref e) => reader.end(local_name(e.name().0))?,
            Event::Eof => break,
            other => reader.text(other),
        }
    }
    let SheetReader { mut cells, merges, formulas, dates, .. } = reader;
    let notes = recalculate(&mut cells, &formulas);
    Ok((cells, merges, notes, dates))
}

/// What a sheet's events have built so far. Its methods are inlined into the one loop over the events, so that
/// its fields live in registers as the loop's locals would.
struct SheetReader<'s> {
    name: &'s str,
    sheet_name: &'s str,
    shared: &'s [String],
    cells: Cells,
    merges: Merges,
    formulas: Vec<SheetFormula>,
    /// The cells `(index, style)` whose number may be a date.
    dates: Vec<(usize, u32)>,
    depth: usize,
    // Writers may leave out `r` on rows and cells: positions then follow on from the previous one.
    row: u32,
    next_col: u32,
    seen_row: bool,
    cell: Option<PendingCell>,
    /// The `<v>` text of the cell being read: one buffer for the whole sheet.
    value: String,
}

impl<'s> SheetReader<'s> {
    fn new(name: &'s str, sheet_name: &'s str, shared: &'s [String]) -> Self {
        SheetReader {
            name,
            sheet_name,
            shared,
            cells: Vec::new(),
            merges: Vec::new(),
            formulas: Vec::new(),
            dates: Vec::new(),
            depth: 0,
            row: 0,
            next_col: 0,
            seen_row: false,
            cell: None,
            value: String::new(),
        }
    }

    /// Over a limit: more than `count` of `what` (in English, in Chinese).
    fn limit(&self, count: impl std::fmt::Display, what: (&str, &str)) -> Halt {
        ImportError::Limit {
            path: self.name.to_string(),
            limit: Words::owned(
                format!("sheet {} has more than {count} {}", self.sheet_name, what.0),
                format!("工作表 {} 的{}超过 {count} 个", self.sheet_name, what.1),
            ),
        }
        .into()
    }

    /// An element opens (`is_start`) or stands empty.
    #[inline(always)]
    fn start(&mut self, e: &BytesStart, is_start: bool) -> Result<(), Halt> {
        if is_start {
            enter_element(self.name, &mut self.depth)?;
        }
        match local_name(e.name().0) {
            "row" => {
                self.row = match raw_attr(e, "r").and_then(|r| r.parse::<u32>().ok()) {
                    Some(r) if r >= 1 => r - 1,
                    _ if self.seen_row => self.row + 1,
                    _ => 0,
                };
                self.seen_row = true;
                self.next_col = 0;
            }
            "c" => self.open_cell(e, is_start),
            "v" if is_start => {
                if let Some(c) = self.cell.as_mut() {
                    c.in_v = true;
                }
            }
            "is" if is_start => {
                if let Some(c) = self.cell.as_mut() {
                    c.in_is = true;
                }
            }
            "f" if self.formulas.len() < limits::MAX_FORMULAS => {
                if let Some(c) = self.cell.as_mut() {
                    let shared = raw_attr(e, "t")
                        .filter(|t| t == "shared")
                        .and_then(|_| raw_attr(e, "si"))
                        .and_then(|si| si.trim().parse().ok());
                    c.formula = Some(PendingFormula { text: String::new(), shared });
                    c.in_f = is_start;
                }
            }
            "mergeCell" => {
                if self.merges.len() >= limits::MAX_ITEMS {
                    return Err(self.limit(limits::MAX_ITEMS, ("merged ranges", "合并区域")));
                }
                if let Some(range) = raw_attr(e, "ref") {
                    let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                    if let (Some(start), Some(end)) = (parse_a1(a), parse_a1(b)) {
                        self.merges.push((start, end));
                    }
                }
            }
            local if is_start => {
                if let Some(c) = self.cell.as_mut().filter(|c| c.in_is) {
                    c.inline.start(local);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `<c>`: its place, type and style, read in one pass over the attributes (a cell is the most frequent
    /// element). An empty `<c/>` holds nothing.
    #[inline(always)]
    fn open_cell(&mut self, e: &BytesStart, is_start: bool) {
        let (mut at, mut kind, mut style) = (None, CellKind::Number, 0);
        for_each_raw_attr(e, |key, value| match key {
            "r" => at = parse_a1(value),
            "t" => kind = CellKind::of(value),
            "s" => style = value.trim().parse().unwrap_or(0),
            _ => {}
        });
        let (row, col) = at.unwrap_or((self.row, self.next_col));
        self.next_col = col + 1;
        self.value.clear();
        if is_start {
            self.cell = Some(PendingCell {
                row,
                col,
                kind,
                inline: StringItem::default(),
                in_v: false,
                in_is: false,
                in_f: false,
                formula: None,
                style,
            });
        }
    }

    #[inline(always)]
    fn end(&mut self, local: &str) -> Result<(), Halt> {
        self.depth = self.depth.saturating_sub(1);
        match local {
            "c" => self.close_cell()?,
            "f" => {
                if let Some(c) = self.cell.as_mut() {
                    c.in_f = false;
                }
            }
            "v" => {
                if let Some(c) = self.cell.as_mut() {
                    c.in_v = false;
                }
            }
            "is" => {
                if let Some(c) = self.cell.as_mut() {
                    c.in_is = false;
                }
            }
            local => {
                if let Some(c) = self.cell.as_mut().filter(|c| c.in_is) {
                    c.inline.end(local);
                }
            }
        }
        Ok(())
    }

    /// A cell ends: its value joins the sheet's cells, its formula the formulas.
    #[inline(always)]
    fn close_cell(&mut self) -> Result<(), Halt> {
        let Some(done) = self.cell.take() else { return Ok(()) };
        let (row, col, formula, style) = (done.row, done.col, done.formula, done.style);
        let maybe_date = matches!(done.kind, CellKind::Number) && style != 0;
        let saved = cell_value(done.kind, &self.value, done.inline, self.shared);
        if self.cells.len() as u64 >= limits::MAX_SHEET_CELLS {
            return Err(self.limit(limits::MAX_SHEET_CELLS, ("cells", "单元格")));
        }
        let saved = saved.map(|(text, typed)| {
            if maybe_date && typed.is_some_and(|n| DATE_SERIALS.contains(&n)) {
                self.dates.push((self.cells.len(), style));
            }
            self.cells.push((row, col, text, typed));
            self.cells.len() - 1
        });
        if let Some(f) = formula {
            self.formulas.push(SheetFormula { row, col, text: f.text, shared: f.shared, saved });
        }
        Ok(())
    }

    /// Text, a reference or CDATA: it belongs to the open cell's value, formula or inline string.
    #[inline(always)]
    fn text(&mut self, event: Event) {
        if let Some(c) = self.cell.as_mut()
            && (c.in_v || c.in_is || c.in_f)
            && let Some(text) = into_text(event)
        {
            if c.in_v {
                push_bounded(&mut self.value, &text);
            } else if c.in_f {
                if let Some(f) = c.formula.as_mut() {
                    push_bounded(&mut f.text, &text);
                }
            } else {
                c.inline.push(&text);
            }
        }
    }
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
    fn deep_nesting_is_refused() {
        let xml = format!("<worksheet>{}{}</worksheet>", "<a>".repeat(600), "</a>".repeat(600));
        assert!(matches!(sheet("t.xlsx", "S", xml.as_bytes(), &[]), Err(ImportError::Limit { .. })));
    }
}
