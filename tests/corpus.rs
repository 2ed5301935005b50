//! Data from ../shared (never copied into the repository): the blank 2021 template made with WPS Office. The
//! tests skip with a message when the folder is absent.

use std::path::Path;

use gongkai::layout::{FormatVersion, KEYS_2021, TableId};
use gongkai::lint::{self, Severity};
use gongkai::normalize::Parsed;

const TEMPLATE: &str = "../shared/corpus/templates/2021format_blank_template_govnianbao.docx";

#[test]
fn the_wps_blank_template_is_recognised_whole() {
    let path = Path::new(TEMPLATE);
    if !path.exists() {
        eprintln!("skipped: {TEMPLATE} is absent");
        return;
    }
    let report = gongkai::import::read(path).expect("the template imports");
    assert_eq!(report.format, FormatVersion::V2021);
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        assert!(report.tables.contains_key(&t), "{t:?} not found");
    }
    for spec in KEYS_2021.iter() {
        let cell = report.cell(&spec.key).unwrap_or_else(|| panic!("{} not recognised", spec.key));
        assert_eq!(cell.parsed, Parsed::Blank, "{} is not blank: {:?}", spec.key, cell.raw);
    }
    assert_eq!(report.sections.len(), 6, "{:?}", report.sections);
    let diagnostics = lint::check(&report);
    let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "V207").count(), 3, "{codes:?}");
    assert!(codes.contains(&"M501"), "{codes:?}");
    assert!(!diagnostics.iter().any(|d| d.severity == Severity::Error), "{codes:?}");
    eprintln!("{TEMPLATE}: {} cells recognised, findings {codes:?}", report.cells.len());
}
