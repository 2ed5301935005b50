//! The format version a report's cells show (FORMAT.md §4.5), and the trial layout's cells mapped onto the 2021
//! keys where their meaning carries over.

use crate::layout::FormatVersion;
use crate::model::Cells;

/// Decide the format version from the cells found (FORMAT.md §4.5).
pub(super) fn detect(cells: &Cells) -> FormatVersion {
    let trial = cells.keys().filter(|k| k.starts_with("t2v19.") || k.starts_with("t3.result.other_total.")).count();
    let modern = cells
        .keys()
        .filter(|k| (k.starts_with("t2.") && !k.starts_with("t2v19.")) || k.starts_with("t3.result.other."))
        .count();
    if trial > modern {
        FormatVersion::Trial2019
    } else if modern > 0 || !cells.is_empty() {
        FormatVersion::V2021
    } else {
        FormatVersion::Unknown
    }
}

/// Give trial-format cells their 2021 keys where the meaning carries over (FORMAT.md §4.6). Cells without a
/// 2021 counterpart stay under their trial keys; 2021 cells the trial format lacks stay absent (null).
pub(super) fn map_trial(cells: &mut Cells) {
    const MAP: &[(&str, &str)] = &[
        ("t2v19.art20_1.rules.new_made", "t2.art20_1.rules.made"),
        ("t2v19.art20_1.normative_docs.new_made", "t2.art20_1.normative_docs.made"),
        ("t2v19.art20_5.licensing.decisions", "t2.art20_5.licensing.decisions"),
        ("t2v19.art20_6.penalty.decisions", "t2.art20_6.penalty.decisions"),
        ("t2v19.art20_6.coercion.decisions", "t2.art20_6.coercion.decisions"),
    ];
    for (from, to) in MAP {
        if let Some(cell) = cells.get(from).cloned() {
            cells.insert_if_vacant(to, || cell);
        }
    }
}
