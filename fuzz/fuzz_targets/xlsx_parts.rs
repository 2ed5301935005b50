//! The XLSX reader's XML, without the zip layer that most mutated bytes never get past: the input is split at 0x00
//! bytes into the shared strings, the sheet and the styles, stored (not deflated) in an otherwise valid workbook.
//! Reading, linting and rendering must not panic, and must finish.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const WORKBOOK: &str = r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="x/styles" Target="styles.xml"/></Relationships>"#;

fn workbook(shared: &[u8], sheet: &[u8], styles: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
    ] {
        zip.start_file(name, stored).expect("start entry");
        zip.write_all(bytes).expect("write entry");
    }
    zip.finish().expect("finish zip").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (first, second, third) = (parts.next(), parts.next(), parts.next());
    let (shared, sheet, styles) = match (first, second, third) {
        (Some(shared), Some(sheet), styles) => (shared, sheet, styles.unwrap_or(b"<styleSheet/>")),
        _ => (&b"<sst/>"[..], data, &b"<styleSheet/>"[..]),
    };
    if let Ok(report) = gongkai::import::read_bytes("fuzz.xlsx", &workbook(shared, sheet, styles)) {
        let diagnostics = gongkai::lint::check(&report);
        for d in &diagnostics {
            let _ = gongkai::render::full(&report, d, &gongkai::render::Options::default());
        }
    }
});
