//! The raw document: what an importer hands to the recogniser.
//!
//! Paragraphs and grids of cell texts, each cell knowing where it came from (sheet + A1, or DOCX
//! table/row/column). Merged cells are resolved here: every position covered by a merge knows its anchor, so
//! a merged value is counted once. Nothing here knows what a report is; that is the recogniser's job.

use serde::{Deserialize, Serialize};

/// The kind of file a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Xlsx,
    Xls,
    Docx,
    Html,
    Text,
    Pdf,
}

impl InputKind {
    /// The file extension, as users name the format.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Xlsx => "xlsx",
            InputKind::Xls => "xls",
            InputKind::Docx => "docx",
            InputKind::Html => "html",
            InputKind::Text => "text",
            InputKind::Pdf => "pdf",
        }
    }
}

/// How a grid's cells are named to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Addressing {
    /// A worksheet: `表三!I12`. `row0`/`col0` are the absolute position of the grid's first cell.
    Sheet { sheet: String, row0: u32, col0: u32 },
    /// A table in a document, numbered from 1 in document order: `表3 第12行第9列`.
    DocTable { index: usize },
    /// Running text, one row per line (text dumps) or paragraph (web pages): `第240行`. `numbers` holds each row's
    /// line or paragraph number in the source, `unit` is 行 or 段; for a PDF, `pages` holds each row's page and the
    /// numbers count lines on it (`第3页第12行`).
    Lines {
        numbers: Vec<u32>,
        unit: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pages: Vec<u32>,
    },
    /// A table of a PDF, numbered from 1 in document order, its rows perhaps on several pages: `第3页 表3 第12行第9列`.
    /// `pages` holds each row's page.
    PdfTable { index: usize, pages: Vec<u32> },
}

/// Where a cell of a PDF table stands: its page and its box in points from the page's top-left corner
/// (`[left, top, right, bottom]`, to a hundredth of a point).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Place {
    pub page: u32,
    pub bbox: [f64; 4],
}

/// One position of a grid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridCell {
    /// The text as shown (for a spreadsheet number, its plain decimal form).
    pub text: String,
    /// The number a spreadsheet stored as a number (not as text), when it did.
    pub typed_number: Option<f64>,
    /// For a position covered by a merged cell: the merge's top-left position. `None` for anchors.
    pub merged_into: Option<(u32, u32)>,
}

/// A rectangular table of cells: a worksheet's used range or one DOCX table on its column grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub addressing: Addressing,
    pub rows: u32,
    pub cols: u32,
    cells: Vec<GridCell>,
    /// The formula cells whose saved result was missing or out of date (worksheets only), by position.
    pub formulas: Vec<FormulaNote>,
    /// The cells of a Word table that show a formula field's result, with the formula (`SUM(LEFT)`), by position.
    pub word_fields: Vec<(u32, u32, String)>,
    /// For a PDF table, where each position stands on its page, row by row; empty for other sources.
    pub places: Vec<Place>,
}

/// A formula whose result the workbook did not hold: the cell's text is the result gongkai worked out, when it
/// could (`import::formula`).
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaNote {
    pub row: u32,
    pub col: u32,
    /// The formula as a spreadsheet shows it, without `=`.
    pub formula: String,
    /// The result the file held, if any.
    pub saved: Option<String>,
    /// The result worked out from the sheet; `None` when the formula is beyond gongkai's sums.
    pub result: Option<f64>,
}

impl Grid {
    /// An empty grid of the given size.
    pub fn new(addressing: Addressing, rows: u32, cols: u32) -> Self {
        let len = rows as usize * cols as usize;
        Grid {
            addressing,
            rows,
            cols,
            cells: vec![GridCell::default(); len],
            formulas: Vec::new(),
            word_fields: Vec::new(),
            places: Vec::new(),
        }
    }

    /// Where a position of a PDF table stands, if the grid is one.
    pub fn place(&self, row: u32, col: u32) -> Option<Place> {
        self.index(row, col).and_then(|i| self.places.get(i).copied())
    }

    /// The formula of the Word field whose result a position shows, if it shows one.
    pub fn word_field_at(&self, row: u32, col: u32) -> Option<&str> {
        self.word_fields.binary_search_by_key(&(row, col), |f| (f.0, f.1)).ok().map(|i| self.word_fields[i].2.as_str())
    }

    /// The note on the formula at a position, if its saved result was missing or out of date.
    pub fn formula_at(&self, row: u32, col: u32) -> Option<&FormulaNote> {
        self.formulas.binary_search_by_key(&(row, col), |f| (f.row, f.col)).ok().map(|i| &self.formulas[i])
    }

    fn index(&self, row: u32, col: u32) -> Option<usize> {
        (row < self.rows && col < self.cols).then(|| row as usize * self.cols as usize + col as usize)
    }

    /// The cell at a position, if it is inside the grid.
    pub fn get(&self, row: u32, col: u32) -> Option<&GridCell> {
        self.index(row, col).and_then(|i| self.cells.get(i))
    }

    /// Mutable access for importers.
    pub fn get_mut(&mut self, row: u32, col: u32) -> Option<&mut GridCell> {
        self.index(row, col).and_then(|i| self.cells.get_mut(i))
    }

    /// The text at a position, following a merge to its anchor: what a reader sees there.
    pub fn visible_text(&self, row: u32, col: u32) -> &str {
        match self.get(row, col) {
            Some(GridCell { merged_into: Some((r, c)), .. }) => self.get(*r, *c).map_or("", |a| a.text.as_str()),
            Some(cell) => &cell.text,
            None => "",
        }
    }

    /// The anchor position of whatever cell covers `(row, col)`.
    pub fn anchor_of(&self, row: u32, col: u32) -> (u32, u32) {
        match self.get(row, col) {
            Some(GridCell { merged_into: Some(a), .. }) => *a,
            _ => (row, col),
        }
    }

    /// Mark the rectangle `(r1,c1)..=(r2,c2)` as one merged cell anchored at its top-left corner. The rectangle is
    /// clipped to the grid; a 1×1 merge changes nothing.
    pub fn merge(&mut self, r1: u32, c1: u32, r2: u32, c2: u32) {
        let r2 = r2.min(self.rows.saturating_sub(1));
        let c2 = c2.min(self.cols.saturating_sub(1));
        for r in r1..=r2 {
            for c in c1..=c2 {
                if (r, c) != (r1, c1)
                    && let Some(cell) = self.get_mut(r, c)
                {
                    cell.merged_into = Some((r1, c1));
                }
            }
        }
    }

    /// The user-facing address of a position: `表三!I12` or `表3 第12行第9列`.
    pub fn address(&self, row: u32, col: u32) -> String {
        match &self.addressing {
            Addressing::Sheet { sheet, row0, col0 } => {
                // Made for every text cell of a workbook: pushed into one string, without `format!`.
                let mut address = String::with_capacity(sheet.len() + 12);
                address.push_str(sheet);
                address.push('!');
                push_a1(&mut address, row0 + row, col0 + col);
                address
            }
            Addressing::DocTable { index } => format!("表{index} 第{}行第{}列", row + 1, col + 1),
            Addressing::Lines { numbers, unit, pages } if !pages.is_empty() => {
                format!("第{}页第{}{unit}", page_of(pages, row), self.line_number(numbers, row))
            }
            Addressing::Lines { numbers, unit, .. } => format!("第{}{unit}", self.line_number(numbers, row)),
            Addressing::PdfTable { index, pages } => {
                format!("第{}页 表{index} 第{}行第{}列", page_of(pages, row), row + 1, col + 1)
            }
        }
    }

    fn line_number(&self, numbers: &[u32], row: u32) -> u32 {
        numbers.get(row as usize).copied().unwrap_or(row + 1)
    }

    /// The address of a position in English (`--lang en`).
    pub fn address_en(&self, row: u32, col: u32) -> String {
        match &self.addressing {
            Addressing::Sheet { .. } => self.address(row, col),
            Addressing::DocTable { index } => {
                format!("table {index} row {} column {}", row + 1, col + 1)
            }
            Addressing::Lines { numbers, unit, pages } => {
                let what = if unit == "段" { "paragraph" } else { "line" };
                let line = self.line_number(numbers, row);
                if pages.is_empty() {
                    format!("{what} {line}")
                } else {
                    format!("page {} {what} {line}", page_of(pages, row))
                }
            }
            Addressing::PdfTable { index, pages } => {
                format!("page {} table {index} row {} column {}", page_of(pages, row), row + 1, col + 1)
            }
        }
    }

    /// The row number the user sees in the margin (Excel row number, or the table row counted from 1).
    pub fn display_row(&self, row: u32) -> usize {
        match &self.addressing {
            Addressing::Sheet { row0, .. } => (row0 + row) as usize + 1,
            Addressing::DocTable { .. } | Addressing::PdfTable { .. } => row as usize + 1,
            Addressing::Lines { numbers, .. } => self.line_number(numbers, row) as usize,
        }
    }
}

/// The page a row of a PDF table is on.
fn page_of(pages: &[u32], row: u32) -> u32 {
    pages.get(row as usize).or(pages.last()).copied().unwrap_or(1)
}

/// Column letters for a 0-based column: 0 → A, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut out = String::with_capacity(3);
    push_column_letters(&mut out, col);
    out
}

fn push_column_letters(out: &mut String, mut col: u32) {
    // At most 7 letters for a u32 (26^7 > 2^32).
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    loop {
        start -= 1;
        letters[start] = b'A' + (col % 26) as u8;
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.extend(letters[start..].iter().map(|&b| char::from(b)));
}

/// An A1 reference for a 0-based position.
///
/// ```
/// assert_eq!(gongkai::raw::a1(11, 8), "I12");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    let mut out = String::with_capacity(10);
    push_a1(&mut out, row, col);
    out
}

fn push_a1(out: &mut String, row: u32, col: u32) {
    push_column_letters(out, col);
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut n = u64::from(row) + 1;
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&b| char::from(b)));
}

/// An A1 reference as a 0-based `(row, col)`, the inverse of [`a1`]; `None` for anything else.
///
/// ```
/// assert_eq!(gongkai::raw::parse_a1("I12"), Some((11, 8)));
/// ```
pub fn parse_a1(reference: &str) -> Option<(u32, u32)> {
    let bytes = reference.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in &bytes[..letters] {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let row: u32 = reference[letters..].parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// A paragraph of running text outside the tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub text: String,
    /// Where it is: `第12段` for a document, `Sheet!A1` for a cell of text in a workbook.
    pub origin: String,
    /// When the paragraph is a row of a table written as text (a markdown pipe table), its cells as the table's
    /// parser read them, empty ones kept; empty for any other paragraph.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<TextCell>,
}

/// A cell of a table written as text: what it says, and the character of its paragraph where it starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextCell {
    pub text: String,
    pub at: u32,
}

/// Everything an importer read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub kind: InputKind,
    pub paragraphs: Vec<Paragraph>,
    pub grids: Vec<Grid>,
    /// The document's title property (docProps/core.xml, HTML `<title>`, a crawler's 标题 line), if set.
    pub property_title: Option<String>,
    /// The page's publication date (发布时间) as `YYYY-MM-DD`, for web pages and their dumps.
    pub published: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(u32::MAX, 16383), "XFD4294967296");
    }

    #[test]
    fn merges_point_to_anchor() {
        let mut g = Grid::new(Addressing::DocTable { index: 3 }, 3, 3);
        g.get_mut(0, 0).unwrap().text = "总计".into();
        g.merge(0, 0, 1, 1);
        assert_eq!(g.visible_text(1, 1), "总计");
        assert_eq!(g.anchor_of(1, 0), (0, 0));
        assert_eq!(g.anchor_of(2, 2), (2, 2));
        assert_eq!(g.address(11, 8), "表3 第12行第9列");
        let s = Grid::new(Addressing::Sheet { sheet: "表三".into(), row0: 3, col0: 1 }, 20, 10);
        assert_eq!(s.address(8, 7), "表三!I12");
    }
}
