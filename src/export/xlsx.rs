//! XLSX writer (rust_xlsxwriter): the three standard tables on one sheet with their merges, Chinese fonts on every
//! format, numbers as numbers, changed cells filled and annotated; title and section text on a second sheet. The
//! same drawing, with formulas, validation and a check cell, makes the blank template.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, FormatBorder, Formula, Note,
    Workbook, Worksheet, XlsxError,
};

use super::tables::{self, Slot, Table};
use super::{Change, ExportError};
use crate::layout::{self, FormatVersion, TableId, ValueKind};
use crate::model::Report;
use crate::normalize::Parsed;

const FONT: &str = "宋体";
/// Column widths in characters: three label columns wide enough for 表三's item labels, then value columns.
const LABEL_WIDTHS: [f64; 3] = [9.0, 13.0, 34.0];
const VALUE_WIDTH: f64 = 10.0;
/// The last sheet column any table uses (表四 on D..R).
const LAST_COL: u16 = 17;

/// Where a table column lands on the sheet: the tables share the three label columns A..C and the value
/// columns from D on, so that every value column has the same width.
fn sheet_cols(table: TableId, c: u32) -> (u16, u16) {
    let c = c as u16;
    match table {
        TableId::T2 if c == 0 => (0, 2),
        TableId::T2 => (c + 2, c + 2),
        TableId::T3 => (c, c),
        TableId::T4 => (c + 3, c + 3),
    }
}

fn err(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

struct Formats {
    title: Format,
    heading: Format,
    header: Format,
    label: Format,
    value: Format,
    amount: Format,
    changed: Format,
    changed_amount: Format,
    text: Format,
    check: Format,
}

impl Formats {
    fn new() -> Self {
        // Every format starts from one base with the font set: a format without a font name is written as Calibri.
        let base = Format::new().set_font_name(FONT).set_font_size(10.5).set_font_charset(134);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        let value = cell.clone().set_align(FormatAlign::Center).set_num_format("0");
        let bad = |f: Format| f.set_background_color(Color::RGB(0xFFC7CE)).set_font_color(Color::RGB(0x9C0006));
        Formats {
            title: base.clone().set_font_size(16).set_bold().set_align(FormatAlign::Center),
            heading: base.clone().set_font_name("黑体").set_font_size(12).set_bold(),
            header: cell.clone().set_align(FormatAlign::Center).set_bold(),
            label: cell.clone().set_align(FormatAlign::Left),
            amount: value.clone().set_num_format("0.00##"),
            changed: bad(value.clone()),
            changed_amount: bad(value.clone().set_num_format("0.00##")),
            value,
            text: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            check: base.set_bold().set_font_color(Color::RGB(0x006100)),
        }
    }
}

/// What to put in value cells.
enum Fill<'a> {
    /// A report's values, with changed cells marked.
    Report(&'a Report, &'a [Change]),
    /// The blank template: totals as formulas, leaf cells validated.
    Template,
}

/// Write a report in the standard layout.
///
/// # Errors
/// [`ExportError::Xlsx`] when rust_xlsxwriter fails.
pub fn write(report: &Report, changes: &[Change]) -> Result<Vec<u8>, ExportError> {
    // Low-memory sheets stream their rows to temporary files, and rust_xlsxwriter panics when it cannot write
    // them (a full TMPDIR): the workbook is then made again with its sheets in memory.
    crate::contained::catch(|| write_with(report, changes, true)).unwrap_or_else(|_| write_with(report, changes, false))
}

fn write_with(report: &Report, changes: &[Change], low_memory: bool) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    // A report is a few kilobytes of XML: the fastest deflate level makes the file about a quarter larger (12 KB
    // instead of 9.6) and writing it 1.3-1.5 times as fast, which counts over an archive.
    book.set_zip_compression_level(1);
    let title = report.meta.title.clone().unwrap_or_else(|| "政府信息公开工作年度报告".to_string());
    book.set_properties(&DocProperties::new().set_title(&title).set_author("gongkai"));
    let formats = Formats::new();
    let sheet = add_row_ordered_sheet(&mut book, low_memory)?;
    sheet.set_name("年报").map_err(err)?;
    draw(sheet, &formats, &title, tables::standard(report.format), &Fill::Report(report, changes))?;
    let text = add_row_ordered_sheet(&mut book, low_memory)?;
    text.set_name("文字").map_err(err)?;
    draw_text(text, &formats, report)?;
    if low_memory {
        crate::contained::failpoint("xlsx-temporary-file");
    }
    book.save_to_buffer().map_err(err)
}

/// A sheet that is written row by row, top to bottom. rust_xlsxwriter's low-memory mode streams such a sheet's
/// rows to a temporary file; an ordinary sheet is instead assembled on a thread of its own at each save, and over
/// an archive starting those threads costs more than the writing (bench/NOTES.md).
/// Where no temporary file can be made (TMPDIR not writable), the ordinary sheet does the same job.
fn add_row_ordered_sheet(book: &mut Workbook, low_memory: bool) -> Result<&mut Worksheet, ExportError> {
    if !low_memory || book.add_worksheet_with_low_memory().is_err() {
        book.add_worksheet();
    }
    let last = book.worksheets_mut().len() - 1;
    book.worksheet_from_index(last).map_err(err)
}

/// Write the blank template for a report year: totals are formulas over their parts (with cached values), count
/// cells accept whole numbers ≥ 0 only, and a check cell shows whether the 勾稽关系 holds.
///
/// # Errors
/// [`ExportError::Xlsx`] when rust_xlsxwriter fails.
pub fn template(year: Option<i32>) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let title = super::template_title(year);
    book.set_properties(&DocProperties::new().set_title(&title).set_author("gongkai"));
    let formats = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name("年报").map_err(err)?;
    draw(sheet, &formats, &title, tables::standard(FormatVersion::V2021), &Fill::Template)?;
    book.save_to_buffer().map_err(err)
}

fn draw(sheet: &mut Worksheet, f: &Formats, title: &str, tables: &[Table], fill: &Fill) -> Result<(), ExportError> {
    for (c, w) in LABEL_WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    for c in 3..=LAST_COL {
        sheet.set_column_width(c, VALUE_WIDTH).map_err(err)?;
    }
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    sheet.merge_range(0, 0, 0, LAST_COL, title, &f.title).map_err(err)?;
    sheet.set_row_height(0, 28).map_err(err)?;
    let mut row = 2u32;
    let mut cells_at: std::collections::HashMap<String, (u32, u16)> = std::collections::HashMap::new();
    for table in tables {
        // A caption, not the section heading: the headings live on the text sheet, once.
        let caption = format!("{}　{}", table.id.zh(), table.id.title());
        sheet.write_string_with_format(row, 0, &caption, &f.heading).map_err(err)?;
        row += 1;
        let top = row;
        for (r, slots) in table.rows.iter().enumerate() {
            let r = r as u32;
            let mut tall = false;
            for (c, slot) in slots.iter().enumerate() {
                let c = c as u32;
                if table.covering(r, c).is_some() {
                    continue;
                }
                let (sc, sc_end) = sheet_cols(table.id, c);
                let sr = top + r;
                let merge = table.merge_at(r, c);
                let (text, format) = match slot {
                    Slot::Header(t) => (t.as_str(), &f.header),
                    Slot::Label(t) => {
                        tall |= t.chars().count() > 16;
                        (t.as_str(), &f.label)
                    }
                    Slot::Empty | Slot::Value(_) => ("", &f.value),
                };
                match merge {
                    Some(m) => {
                        sheet
                            .merge_range(sr, sc, top + m.r2, sheet_cols(table.id, m.c2).1, text, format)
                            .map_err(err)?;
                    }
                    None if sc_end > sc => {
                        sheet.merge_range(sr, sc, sr, sc_end, text, format).map_err(err)?;
                    }
                    None if !text.is_empty() => {
                        sheet.write_string_with_format(sr, sc, text, format).map_err(err)?;
                    }
                    // A report's value goes in right below, and a cell written twice is hashed twice.
                    None if matches!((slot, fill), (Slot::Value(_), Fill::Report(..))) => {}
                    None => {
                        sheet.write_blank(sr, sc, format).map_err(err)?;
                    }
                }
                if let Slot::Value(key) = slot {
                    cells_at.insert(key.clone(), (sr, sc));
                    // Filled in row order: a low-memory sheet cannot go back to a row it has left.
                    if let Fill::Report(report, changes) = fill {
                        put_value(sheet, f, report, changes, key, sr, sc)?;
                    }
                }
            }
            if tall {
                sheet.set_row_height(top + r, 30).map_err(err)?;
            }
        }
        row = top + table.rows.len() as u32;
        // The template's value cells are filled once every position of the table is known (formulas refer to them).
        if matches!(fill, Fill::Template) {
            for (_, _, key) in table.values() {
                let Some(&(sr, sc)) = cells_at.get(key) else { continue };
                put_template_value(sheet, f, &cells_at, key, sr, sc)?;
            }
        }
        if matches!(fill, Fill::Template) && table.id == TableId::T3 {
            row += 1;
            put_balance_check(sheet, f, &cells_at, row)?;
            row += 1;
        }
        row += 1;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    Ok(())
}

fn put_value(
    sheet: &mut Worksheet,
    f: &Formats,
    report: &Report,
    changes: &[Change],
    key: &str,
    r: u32,
    c: u16,
) -> Result<(), ExportError> {
    let amount = layout::key_spec(key).is_some_and(|s| s.kind == ValueKind::Amount);
    let change = changes.iter().find(|ch| ch.key == key);
    let format = match (change.is_some(), amount) {
        (true, true) => &f.changed_amount,
        (true, false) => &f.changed,
        (false, true) => &f.amount,
        (false, false) => &f.value,
    };
    match report.cell(key).map(|cell| (&cell.parsed, super::plain_number(key, &cell.parsed), cell.raw.as_str())) {
        Some((_, Some(value), _)) => sheet.write_number_with_format(r, c, value, format).map(|_| ()),
        Some((Parsed::Blank, _, _)) | None => sheet.write_blank(r, c, format).map(|_| ()),
        Some((_, None, raw)) => sheet.write_string_with_format(r, c, raw.trim(), format).map(|_| ()),
    }
    .map_err(err)?;
    if let Some(ch) = change {
        let note =
            Note::new(ch.note()).set_author("gongkai").add_author_prefix(false).set_font_name(FONT).set_width(260);
        sheet.insert_note(r, c, &note).map_err(err)?;
    }
    Ok(())
}

fn a1(cells: &std::collections::HashMap<String, (u32, u16)>, key: &str) -> Option<String> {
    cells.get(key).map(|&(r, c)| crate::raw::a1(r, u32::from(c)))
}

fn put_template_value(
    sheet: &mut Worksheet,
    f: &Formats,
    cells: &std::collections::HashMap<String, (u32, u16)>,
    key: &str,
    r: u32,
    c: u16,
) -> Result<(), ExportError> {
    let relation = layout::relations(FormatVersion::V2021).iter().find(|rel| rel.total == key);
    if let Some(rel) = relation {
        let parts: Option<Vec<String>> = rel.parts.iter().map(|p| a1(cells, p)).collect();
        let parts = parts.unwrap_or_default();
        let formula = Formula::new(format!("=SUM({})", parts.join(","))).set_result("0");
        return sheet.write_formula_with_format(r, c, formula, &f.header).map(|_| ()).map_err(err);
    }
    let amount = layout::key_spec(key).is_some_and(|s| s.kind == ValueKind::Amount);
    let validation = if amount {
        DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
    } else {
        DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
    };
    let validation = validation
        .set_error_title("数值错误")
        .and_then(|v| {
            v.set_error_message(if amount {
                "请输入以万元为单位的非负数"
            } else {
                "请输入非负整数，没有发生的填 0"
            })
        })
        .map_err(err)?;
    sheet.write_number_with_format(r, c, 0.0, if amount { &f.amount } else { &f.value }).map_err(err)?;
    sheet.add_data_validation(r, c, r, c, &validation).map_err(err)?;
    Ok(())
}

/// A visible cell that says whether 表三's 勾稽关系 holds in every column.
fn put_balance_check(
    sheet: &mut Worksheet,
    f: &Formats,
    cells: &std::collections::HashMap<String, (u32, u16)>,
    row: u32,
) -> Result<(), ExportError> {
    let mut conditions = Vec::new();
    for ci in 0..layout::T3_COLS.len() {
        let k = |row_key: &str| a1(cells, &layout::t3_key(row_key, ci)).unwrap_or_default();
        conditions.push(format!(
            "{}+{}={}+{}",
            k("new_received"),
            k("carried_over"),
            k("result.total"),
            k("carried_forward")
        ));
    }
    let formula = format!("=IF(AND({}),\"勾稽关系成立\",\"勾稽关系不成立：请核对表三\")", conditions.join(","));
    sheet.write_string_with_format(row, 0, "勾稽关系检查", &f.heading).map_err(err)?;
    sheet
        .merge_range(row, 1, row, 4, "", &f.check)
        .and_then(|s| s.write_formula_with_format(row, 1, Formula::new(formula).set_result("勾稽关系成立"), &f.check))
        .map_err(err)?;
    Ok(())
}

fn draw_text(sheet: &mut Worksheet, f: &Formats, report: &Report) -> Result<(), ExportError> {
    sheet.set_column_width(0, 100).map_err(err)?;
    let mut row = 0u32;
    let mut line = |sheet: &mut Worksheet, text: &str, format: &Format| -> Result<(), ExportError> {
        sheet.write_string_with_format(row, 0, text, format).map_err(err)?;
        row += 1;
        Ok(())
    };
    if let Some(t) = &report.meta.title {
        line(sheet, t, &f.title)?;
    }
    // The six sections in their order: the text of those the report has, a note under those its source lacked.
    let tables_hold = |key: &str| matches!(key, "active_disclosure" | "applications" | "review_litigation");
    for (key, heading) in layout::SECTIONS {
        match report.sections.iter().find(|s| s.key == *key) {
            Some(s) => {
                line(sheet, &s.heading, &f.heading)?;
                for p in s.text.lines().filter(|p| !p.trim().is_empty()) {
                    line(sheet, p, &f.text)?;
                }
            }
            None if !tables_hold(key) && !report.cells.is_empty() => {
                line(sheet, heading, &f.heading)?;
                line(sheet, super::docx::absence_note(report), &f.text)?;
            }
            None => {}
        }
    }
    if let Some(a) = &report.meta.agency {
        line(sheet, a, &f.text)?;
    }
    if let Some(d) = &report.meta.date_line {
        let date = d.split('-').filter_map(|p| p.parse::<u32>().ok()).collect::<Vec<_>>();
        if let [y, m, d] = date[..] {
            line(sheet, &format!("{y}年{m}月{d}日"), &f.text)?;
        }
    }
    Ok(())
}
