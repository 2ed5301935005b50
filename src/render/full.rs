//! The default output: miette's graphical report of a finding, with the table row it points at drawn as a line
//! of text (one row of a sheet or table, a window of its columns), the bad cell underlined, and the snippet named
//! by the file and the cell's real address.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use unicode_width::UnicodeWidthStr;

use super::{Options, concise};
use crate::import::ImportError;
use crate::lang::Lang;
use crate::lint::{Diagnostic, Severity};
use crate::model::{Origin, Report};

/// One row of a source grid drawn as a line of text, named after the cell it points at.
struct RowSource {
    name: String,
    text: String,
    /// 0-based line number to show in the gutter (the spreadsheet row or table row, minus one).
    line: usize,
}

impl SourceCode for RowSource {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            0,
            1,
        )))
    }
}

impl fmt::Debug for RowSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowSource").field("name", &self.name).finish()
    }
}

const MAX_CELL_WIDTH: usize = 28;
const WINDOW: u32 = 5;

fn cell_display(text: &str) -> String {
    fit(text, MAX_CELL_WIDTH)
}

/// How much of a line of running text is shown from where a finding's table row starts.
const MAX_LINE_WIDTH: usize = 64;

/// A line of running text from its character `at` on (where the finding's table row starts, after the page's
/// title and the tables before it when the page was dumped as one line), for as much as fits.
fn line_display(text: &str, at: u32) -> String {
    let rest: String = text.chars().skip(at as usize).collect();
    format!("…{}", fit(&rest, MAX_LINE_WIDTH - 1))
}

/// `text` on one line, without control characters, cut with `…` to stay narrower than `max` columns.
fn fit(text: &str, max: usize) -> String {
    let flat: String = text.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
    if flat.width() <= max {
        return flat;
    }
    let mut out = String::new();
    let mut width = 0;
    for ch in flat.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(1);
        if width + w >= max {
            break;
        }
        out.push(ch);
        width += w;
    }
    out.push('…');
    out
}

/// Draw the row of `origin` as `label │ v │ v │ …`, with the row above as context when the row has no label of
/// its own (表四's value row under its headers). Returns the text, the byte span of the target cell and the index
/// of the first line drawn.
fn draw_row(report: &Report, origin: Origin) -> Option<(String, usize, usize, u32)> {
    let grid = report.grids.get(origin.grid)?;
    let r = origin.row;
    let mut cols: Vec<u32> = (0..grid.cols).filter(|&c| grid.anchor_of(r, c) == (r, c) || c == origin.col).collect();
    // Drop the empty columns right of the table (another table on the same sheet may be wider).
    while cols.len() > 1 && cols.last().is_some_and(|&c| c != origin.col && grid.visible_text(r, c).trim().is_empty()) {
        cols.pop();
    }
    let first = cols.iter().copied().find(|&c| !grid.visible_text(r, c).trim().is_empty());
    let labelled =
        first.is_some_and(|c| crate::normalize::parse_value(grid.visible_text(r, c)) == crate::normalize::Parsed::Text);
    if cols.len() > 2 * WINDOW as usize + 2 {
        cols.retain(|&c| (labelled && Some(c) == first) || c.abs_diff(origin.col) <= WINDOW);
    }
    let mut rows = Vec::new();
    if !labelled && r > 0 {
        rows.push(r - 1);
    }
    rows.push(r);
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|&row| {
            cols.iter()
                .map(|&c| {
                    let shown = if row == r && c != origin.col && grid.anchor_of(r, c) != (r, c) {
                        String::new()
                    } else if row == r && origin.at > 0 {
                        line_display(grid.visible_text(row, c), origin.at)
                    } else {
                        cell_display(grid.visible_text(row, c))
                    };
                    if shown.is_empty() { " ".to_string() } else { shown }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..cols.len()).map(|i| texts.iter().map(|t| t[i].width()).max().unwrap_or(1)).collect();
    let mut text = String::new();
    let mut span = (0, 1);
    for (li, line) in texts.iter().enumerate() {
        if li > 0 {
            text.push('\n');
        }
        for (i, cell) in line.iter().enumerate() {
            if i > 0 {
                let gap =
                    cols[i] > cols[i - 1] + 1 && (cols[i - 1] + 1..cols[i]).any(|c| grid.anchor_of(r, c) == (r, c));
                text.push_str(if gap { " │ … │ " } else { " │ " });
            }
            if rows[li] == r && cols[i] == origin.col {
                span = (text.len(), cell.len());
            }
            text.push_str(cell);
            text.push_str(&" ".repeat(widths[i].saturating_sub(cell.width())));
        }
        text.push_str(" │");
    }
    Some((text, span.0, span.1, rows[0]))
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn handler(opts: &Options) -> GraphicalReportHandler {
    let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).without_primary_span_start().with_links(false).with_width(opts.width)
}

/// The graphical rendering of one diagnostic, with the offending row drawn when the finding points at a cell.
pub fn full(report: &Report, d: &Diagnostic, opts: &Options) -> String {
    let lang = opts.lang;
    let mut diag =
        MietteDiagnostic::new(format!("{} {}", d.code, d.message.get(lang))).with_severity(severity(d.severity));
    if let Some(help) = &d.help {
        diag = diag.with_help(help.get(lang).to_string());
    }
    let mut out = String::new();
    let drawn = d.origin.and_then(|o| draw_row(report, o).map(|row| (o, row)));
    let rendered = match drawn {
        Some((origin, (text, start, len, first_row))) => {
            let address = match lang {
                Lang::Zh => report.address(origin),
                Lang::En => report.address_en(origin),
            };
            let label = d.label.as_ref().map(|l| l.get(lang).to_string());
            diag = diag.with_label(LabeledSpan::new_primary_with_span(label, SourceSpan::new(start.into(), len)));
            let line = report.grids.get(origin.grid).map_or(0, |g| g.display_row(first_row).saturating_sub(1));
            let source = RowSource { name: format!("{} › {}", report.path, address), text, line };
            let with_source = miette::Report::new(diag).with_source_code(source);
            handler(opts).render_report(&mut out, with_source.as_ref())
        }
        None => {
            let named = miette::Report::new(diag);
            let r = handler(opts).render_report(&mut out, named.as_ref());
            if r.is_ok() && !out.contains(&report.path) {
                out = format!("{}:\n{out}", report.path);
            }
            r
        }
    };
    if rendered.is_err() {
        out = concise(report, d, lang);
    }
    out.push('\n');
    out
}

/// The graphical rendering of a file that could not be read.
pub fn full_error(err: &ImportError, opts: &Options) -> String {
    let message = format!("{}: {}", err.path(), err.reason_in(opts.lang));
    let diag = MietteDiagnostic::new(format!("E000 {message}"))
        .with_severity(miette::Severity::Error)
        .with_help(err.help_in(opts.lang));
    let mut out = String::new();
    if handler(opts).render_report(&mut out, &diag).is_err() {
        out = message;
    }
    out.push('\n');
    out
}
