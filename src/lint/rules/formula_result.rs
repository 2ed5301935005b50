//! V208: a cell holds a formula whose result the workbook did not save, or saved out of date.

use std::collections::BTreeMap;

use crate::lang::Text;
use crate::layout::{self, TableId};
use crate::lint::{FixAvailability, Rule, Severity, Sink, Vector, num};
use crate::model::Report;
use crate::raw::FormulaNote;

pub const RULE: Rule = Rule {
    code: "V208",
    name: "formula-not-calculated",
    severity: Severity::Warning,
    summary: "公式单元格没有保存计算结果，或保存的结果已过时",
    summary_en: "A formula cell holds no saved result, or an out-of-date one",
    explain: "## What it does\n\
Reports, once per table, the cells of an Excel workbook that hold a formula whose result the file did not save, or \
saved with a value its own cells no longer give. Where the formula is a sum (`SUM(D23:I23)`, `D23+E23`, …) gongkai \
works it out from the sheet and checks the report with that value; other formulas are left as saved.\n\n\
## Why\n\
A workbook keeps each formula's last result beside it. Excel, WPS and LibreOffice save fresh results; a program \
that does not calculate (openpyxl, a web system's export, a script filling a template) saves none, or 0. Read as \
saved, such a 总计 looks blank or wrong although its formula is right — and other programs that read the file \
(统计汇总 systems, pandas) see the stale value.\n\n\
## Example\n\
K25 holds `=SUM(E25:J25)` and the saved result 0, while E25:J25 add up to 16: the checks use 16.\n\n\
## Fix\n\
None automatic: open the file in Excel, WPS or LibreOffice and save it, so that the saved results are the \
formulas' own. `gongkai convert` writes the worked-out values.",
    explain_zh: "## 作用\n\
每张表报告一次：Excel 工作簿中公式的计算结果没有保存、或保存的值与公式所引用单元格现在给出的不一致。公式为求和（「SUM(D23:I23)」「D23+E23」等）时，gongkai 按工作表算出结果并以之检查；其他公式按保存的值读取。\n\n\
## 原因\n\
工作簿在每个公式旁保存其上次的结果。Excel、WPS、LibreOffice 保存的是新结果；不做计算的程序（openpyxl、网上系统的导出、填模板的脚本）不保存或保存为 0。按保存的值读，这样的“总计”看起来是空白或错的，尽管公式没错——读这个文件的其他程序（统计汇总系统、pandas）看到的也是旧值。\n\n\
## 示例\n\
K25 中为「=SUM(E25:J25)」，保存的结果为 0，而 E25:J25 之和为 16：按 16 检查。\n\n\
## 修复\n\
无自动修复：用 Excel、WPS 或 LibreOffice 打开并保存，使保存的结果就是公式自己的结果。gongkai convert 写出算出的值。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass("formulas-with-their-results", &[]).from("xlsx/formulas-libreoffice.xlsx"),
        Vector::fail("formulas-saved-without-results", 1, &[]).from("xlsx/formulas-not-calculated.xlsx"),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    if report.grids.iter().all(|g| g.formulas.is_empty()) {
        return;
    }
    // Once per table, as a template filled by a script has every total so: the first cell in source order speaks for
    // the others.
    let mut by_table: BTreeMap<TableId, Vec<(&str, &FormulaNote)>> = BTreeMap::new();
    for (spec, cell) in report.cells.entries() {
        let note = report.grids.get(cell.origin.grid).and_then(|g| g.formula_at(cell.origin.row, cell.origin.col));
        if let Some(note) = note {
            by_table.entry(spec.table).or_default().push((spec.key.as_str(), note));
        }
    }
    for (table, mut notes) in by_table {
        notes.sort_by_key(|(k, _)| report.cells[*k].origin.source_order());
        let Some(&(key, note)) = notes.first() else { continue };
        let label = layout::key_spec(key).map_or(key, |s| s.label.as_str());
        let formula = &note.formula;
        let (mut message, cell_label) = match (note.result, &note.saved) {
            (Some(v), None) => (
                Text::new(
                    format!("「{label}」是公式 ={formula}，文件中没有保存计算结果；按公式算得 {}，已按此检查", num(v)),
                    format!("「{label}」 is the formula ={formula} with no saved result; it works out to {}", num(v)),
                ),
                Text::new(format!("公式结果 {}", num(v)), format!("formula gives {}", num(v))),
            ),
            (Some(v), Some(saved)) => (
                Text::new(
                    format!(
                        "「{label}」是公式 ={formula}，文件中保存的结果 {saved} 已过时；按公式算得 {}，已按此检查",
                        num(v)
                    ),
                    format!(
                        "「{label}」 is the formula ={formula}; its saved result {saved} is out of date: it works out \
                         to {}",
                        num(v)
                    ),
                ),
                Text::new(format!("保存的 {saved}，公式得 {}", num(v)), format!("saved {saved}, formula {}", num(v))),
            ),
            (None, _) => (
                Text::new(
                    format!("「{label}」是公式 ={formula}，文件中没有保存计算结果，gongkai 无法计算该公式"),
                    format!(
                        "「{label}」 is the formula ={formula} with no saved result, and gongkai cannot work it out"
                    ),
                ),
                Text::new("公式无结果", "formula without result"),
            ),
        };
        if notes.len() > 1 {
            let others = notes.len() - 1;
            let unknown = notes.iter().filter(|(_, n)| n.result.is_none()).count();
            message.zh.push_str(&format!("。{}另有 {others} 个公式单元格同样如此", table.zh()));
            message.en.push_str(&format!("; {others} more formula cells of {} are the same", table.en()));
            if unknown > 0 {
                message.zh.push_str(&format!("（其中 {unknown} 个无法计算）"));
                message.en.push_str(&format!(" ({unknown} of them beyond gongkai's sums)"));
            }
        }
        let mut f = crate::lint::Finding::new(message.zh, message.en).at(report, key);
        f = f.help("文件由不计算公式的程序生成或修改（如 openpyxl、网页系统导出）：在 Excel、WPS 或 LibreOffice 中打开并保存，即保存计算结果", "the file was written by a program that does not calculate formulas (openpyxl, a web system's export): \
             open it in Excel, WPS or LibreOffice and save it to store the results");
        f.label = Some(cell_label);
        sink.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::raw::FormulaNote;

    #[test]
    fn notes_on_key_cells_are_reported() {
        let mut r = clean_report();
        assert!(run(&r, "V208").is_empty());
        let at = r.cells["t3.new_received.total"].origin;
        let note = |result, saved: Option<&str>| FormulaNote {
            row: at.row,
            col: at.col,
            formula: "SUM(E25:J25)".into(),
            saved: saved.map(str::to_string),
            result,
        };
        r.grids[0].formulas.push(note(Some(16.0), Some("0")));
        let d = run(&r, "V208");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key.as_deref(), Some("t3.new_received.total"));
        let zh = &d[0].message.zh;
        assert!(zh.contains("=SUM(E25:J25)") && zh.contains("0 已过时"), "{zh}");
        r.grids[0].formulas[0] = note(None, None);
        assert!(run(&r, "V208")[0].message.zh.contains("无法计算"));
        // A second formula cell of the table joins the first finding.
        let other = r.cells["t3.carried_over.total"].origin;
        r.grids[0].formulas.push(FormulaNote { row: other.row, col: other.col, ..note(Some(2.0), None) });
        r.grids[0].formulas.sort_by_key(|n| (n.row, n.col));
        let d = run(&r, "V208");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.zh.contains("另有 1 个"), "{}", d[0].message.zh);
    }
}
