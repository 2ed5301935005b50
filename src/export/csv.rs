//! CSV in long format: one row per value cell (`key,label,value`), the 200 canonical keys in table order, then the
//! trial-format cells a trial report has. Ready for pandas or DuckDB.

use crate::layout;
use crate::model::Report;
use crate::normalize::format_number;

/// The report's values as CSV bytes (UTF-8 with a BOM, so that Excel opens the Chinese labels right).
pub fn write(report: &Report) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = out.write_record(["key", "label", "value"]);
    let trial = layout::KEYS_TRIAL_ONLY.iter().filter(|k| report.cells.contains_key(&k.key));
    for spec in layout::KEYS_2021.iter().chain(trial) {
        let value = report.number(&spec.key).map(format_number).unwrap_or_default();
        let _ = out.write_record([spec.key.as_str(), spec.label.as_str(), value.as_str()]);
    }
    out.into_inner().unwrap_or_default()
}
