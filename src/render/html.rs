//! `check --output-format html`: one self-contained page for a reviewer. Per file, its findings and each table
//! as it stands in the source (merged cells merged), the cells with findings coloured by severity and carrying
//! their messages; an unreadable file gets its reason and what to do. No scripts, no external resources.

use std::fmt::Write as _;

use super::{FileResult, Summary, address_in};
use crate::lang::Lang;
use crate::layout::TableId;
use crate::lint::{Diagnostic, Severity};
use crate::model::{Origin, Report};

/// At most this many rows of a table are drawn (a recognised table has about 60).
const MAX_ROWS: u32 = 120;

/// Text made safe for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn severity_class(s: Severity) -> &'static str {
    s.as_str()
}

/// A severity as the page's reader says it.
fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Info, Lang::Zh) => "提示",
        (s, Lang::En) => s.as_str(),
    }
}

/// The cell colour of a severity, also written inline: office suites and mail readers ignore style sheets.
fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#f8c4c4",
        Severity::Warning => "#fbe5a6",
        Severity::Info => "#d6e6fb",
    }
}

/// The list items of some findings of a report.
pub fn findings(report: &Report, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = d.origin.map(|o| address_in(report, o, lang)).unwrap_or_default();
        // The cell drawn for the finding (a merged cell's anchor), for a page that points from one to the other.
        let cell = d.origin.and_then(|o| report.grids.get(o.grid).map(|g| (o.grid, g.anchor_of(o.row, o.col))));
        let cell = cell.map(|(gi, (r, c))| format!(" data-cell=\"{gi}-{r}-{c}\"")).unwrap_or_default();
        let _ = write!(
            out,
            "<li class=\"{}\"{cell}><span class=\"code\">{}</span> <span class=\"sev\">{}</span> <span class=\"at\">{}</span> {}",
            severity_class(d.severity),
            d.code,
            severity_word(d.severity, lang),
            escape(&at),
            escape(d.message.get(lang)),
        );
        if let Some(help) = &d.help {
            let _ = write!(out, "<div class=\"help\">{}</div>", escape(help.get(lang)));
        }
        out.push_str("</li>\n");
    }
    out
}

/// One file's section of the page.
pub fn file(result: &FileResult, lang: Lang) -> String {
    match result {
        FileResult::Unreadable(err) => {
            format!(
                "<section class=\"file unreadable\"><h2>{}</h2><p class=\"error\">{}</p><p class=\"help\">{}</p>\n",
                escape(err.path()),
                escape(&err.reason_in(lang)),
                escape(&err.help_in(lang))
            )
        }
        FileResult::Checked { report, diagnostics } => {
            let mut out = format!("<section class=\"file\"><h2>{}</h2>\n", escape(&report.path));
            let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
            let _ = writeln!(
                out,
                "<p class=\"counts\">{}</p>",
                match lang {
                    Lang::Zh => format!(
                        "{} 个错误，{} 个警告，{} 条提示",
                        count(Severity::Error),
                        count(Severity::Warning),
                        count(Severity::Info)
                    ),
                    Lang::En => format!(
                        "{} errors, {} warnings, {} infos",
                        count(Severity::Error),
                        count(Severity::Warning),
                        count(Severity::Info)
                    ),
                }
            );
            let _ = write!(out, "<ul class=\"findings\">\n{}</ul>\n", findings(report, diagnostics, lang));
            for (table, location) in &report.tables {
                out.push_str(&draw_table(report, *table, location.grid, location.header_row, diagnostics, lang));
            }
            out
        }
    }
}

/// The end of a file's section, after its findings from other files' comparisons.
pub const FILE_END: &str = "</section>\n";

/// A recognised table as it stands in its grid: from its header to the last row holding one of its values.
fn draw_table(
    report: &Report,
    table: TableId,
    gi: usize,
    header_row: u32,
    diagnostics: &[Diagnostic],
    lang: Lang,
) -> String {
    let Some(grid) = report.grids.get(gi) else { return String::new() };
    let prefix = match table {
        TableId::T2 => "t2",
        TableId::T3 => "t3.",
        TableId::T4 => "t4.",
    };
    let values = report.cells.iter().filter(|(k, c)| k.starts_with(prefix) && c.origin.grid == gi);
    let (last_row, last_col) =
        values.fold((header_row, 0), |(r, c), (_, cell)| (r.max(cell.origin.row), c.max(cell.origin.col)));
    let last_row = last_row.min(header_row + MAX_ROWS).min(grid.rows.saturating_sub(1));
    let last_col = last_col.min(grid.cols.saturating_sub(1));
    // How far each anchor's merge reaches inside the drawn rectangle.
    let width = (last_col + 1) as usize;
    let mut reach: Vec<(u32, u32)> = Vec::new();
    for r in header_row..=last_row {
        for c in 0..=last_col {
            reach.push((r, c));
        }
    }
    let at = |r: u32, c: u32| (r - header_row) as usize * width + c as usize;
    for r in header_row..=last_row {
        for c in 0..=last_col {
            let (ar, ac) = grid.anchor_of(r, c);
            if (ar, ac) != (r, c) && ar >= header_row {
                let slot = &mut reach[at(ar, ac)];
                *slot = (slot.0.max(r), slot.1.max(c));
            }
        }
    }
    let mut marks: std::collections::HashMap<(u32, u32), Vec<&Diagnostic>> = std::collections::HashMap::new();
    for d in diagnostics {
        if let Some(o) = d.origin.filter(|o| o.grid == gi) {
            marks.entry(grid.anchor_of(o.row, o.col)).or_default().push(d);
        }
    }
    let mut out =
        format!("<table border=\"1\" cellpadding=\"3\"><caption>{} {}</caption>\n", table.zh(), table.title());
    for r in header_row..=last_row {
        out.push_str("<tr>");
        for c in 0..=last_col {
            let (ar, ac) = grid.anchor_of(r, c);
            if (ar, ac) != (r, c) && ar >= header_row {
                continue; // drawn by its anchor
            }
            let (rr, rc) = reach[at(r, c)];
            let mut attrs = String::new();
            if rr > r {
                let _ = write!(attrs, " rowspan=\"{}\"", rr - r + 1);
            }
            if rc > c {
                let _ = write!(attrs, " colspan=\"{}\"", rc - c + 1);
            }
            if let Some(found) = marks.get(&(r, c)) {
                let worst = found.iter().map(|d| d.severity).max().unwrap_or(Severity::Info);
                let title: Vec<String> = found.iter().map(|d| format!("{} {}", d.code, d.message.get(lang))).collect();
                let _ = write!(
                    attrs,
                    " data-cell=\"{gi}-{r}-{c}\" class=\"{}\" style=\"background:{}\" title=\"{}: {}\"",
                    severity_class(worst),
                    severity_colour(worst),
                    escape(&address_in(report, Origin::cell(gi, r, c), lang)),
                    escape(&title.join("\n"))
                );
            }
            let _ = write!(out, "<td{attrs}>{}</td>", escape(grid.visible_text(r, c).trim()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}\
h2{font-size:1.1em;border-top:1px solid #ccc;padding-top:1em}\
table{border-collapse:collapse;margin:1em 0;font-size:.85em}caption{text-align:left;font-weight:bold;padding:.3em 0}\
td{border:1px solid #999;padding:2px 6px;text-align:center}td:first-child{text-align:left}\
li.error .sev{color:#b00}li.warning .sev{color:#a60}li.info .sev{color:#26a}\
.code{font-family:monospace;font-weight:bold}.at{font-family:monospace;color:#555}.help{color:#555;margin-left:2em}\
p.error{color:#b00}";

/// The page's beginning.
pub fn header(lang: Lang) -> String {
    let (html_lang, title) = match lang {
        Lang::Zh => ("zh-CN", "gongkai 检查结果"),
        Lang::En => ("en", "gongkai findings"),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n"
    )
}

/// The page's end, with the run's counts.
pub fn footer(summary: &Summary, lang: Lang) -> String {
    format!("<p class=\"summary\">{}</p>\n</body></html>\n", escape(&summary.line(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    }

    #[test]
    fn a_table_is_drawn_with_its_merges_and_the_bad_cell_marked() {
        let report = crate::import::read(std::path::Path::new("fixtures/xlsx/row-total-off-by-one.xlsx")).unwrap();
        let diagnostics = crate::lint::check(&report);
        let page = file(&FileResult::Checked { report: Box::new(report), diagnostics }, Lang::Zh);
        assert!(page.contains("<caption>表三 收到和处理政府信息公开申请情况</caption>"), "{page}");
        assert!(page.contains("colspan=") && page.contains("rowspan="), "merged headers stay merged");
        assert!(page.contains("class=\"error\" style=\"background:#f8c4c4\" title=\"年报!K25: C303"), "{page}");
        // The finding and its cell name the same drawn cell.
        let cell = page.split("<li class=\"error\" data-cell=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
        assert!(page.contains(&format!("<td data-cell=\"{cell}\" class=\"error\"")), "{page}");
        assert!(page.contains("<span class=\"code\">C303</span>"));
    }
}
