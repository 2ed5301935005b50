//! Hostile and broken input, generated here: every case ends in a clear error or a bounded read, fast, without
//! exhausting memory. (Time and memory figures live in the issue notes, measured on release builds; these tests only
//! assert the outcome.)

use std::io::Write;

use gongkai::import::{self, ImportError};

mod common;
use common::{zeros_deflate, zip_with_raw_entry};

#[test]
fn a_gigabyte_zip_bomb_is_refused() {
    let (data, crc) = zeros_deflate(1024);
    let bomb = zip_with_raw_entry("word/document.xml", &data, crc, 1 << 30);
    assert!(bomb.len() < 2 << 20, "the bomb itself is small: {}", bomb.len());
    let err = import::read_bytes("bomb.docx", &bomb).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("bomb.docx"));
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_is_cut_off() {
    let (data, crc) = zeros_deflate(300);
    let liar = zip_with_raw_entry("word/document.xml", &data, crc, 1000);
    let err = import::read_bytes("liar.docx", &liar).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. } | ImportError::Corrupt { .. }), "{err}");
}

fn docx_with_document(xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

#[test]
fn a_document_of_a_million_paragraphs_is_refused() {
    // Stored, not deflated: the zip ratio limit does not stop it, the item limit does.
    let xml =
        format!("<w:document {W}><w:body>{}</w:body></w:document>", "<w:p/>".repeat(import::limits::MAX_ITEMS + 1));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", stored).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let err = import::read_bytes("many.docx", &bytes).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }) && err.to_string().contains("paragraphs"), "{err}");
}

#[test]
fn ten_thousand_levels_of_xml_nesting_are_refused() {
    let xml =
        format!("<w:document {W}><w:body>{}{}</w:body></w:document>", "<w:p>".repeat(10_000), "</w:p>".repeat(10_000));
    let err = import::read_bytes("deep.docx", &docx_with_document(&xml)).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("nesting"), "{err}");
}

#[test]
fn a_hundred_megabyte_cell_is_read_bounded() {
    // Varied characters, so that the part does not compress like a zip bomb.
    let mut seed = 12345u32;
    let big: String = (0..100 * 1024 * 1024 / 3)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from_u32(0x4E00 + (seed >> 16) % 0x5000).unwrap_or('公')
        })
        .collect();
    let xml = format!(
        "<w:document {W}><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>{big}</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    );
    drop(big);
    let bytes = docx_with_document(&xml);
    drop(xml);
    let raw = import::read_raw("big.docx", &bytes).unwrap();
    let text = &raw.grids[0].get(0, 0).unwrap().text;
    assert!(text.len() <= import::limits::MAX_CELL_TEXT + 4, "{}", text.len());
}

fn xlsx_with(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, c, t) in cells {
        sheet.write_string(*r, *c, *t).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A workbook whose shared strings and sheet are given, stored uncompressed (so that no ratio limit applies).
fn stored_xlsx(shared: &str, sheet: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("[Content_Types].xml", "<Types/>"),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn millions_of_shared_strings_or_merges_are_refused() {
    let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let many_strings = format!("<sst>{}</sst>", "<si/>".repeat(import::limits::MAX_ITEMS + 2));
    let err = import::read_bytes("strings.xlsx", &stored_xlsx(&many_strings, sheet)).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    let many_merges = format!(
        "<worksheet><sheetData/><mergeCells>{}</mergeCells></worksheet>",
        r#"<mergeCell ref="A1:B1"/>"#.repeat(import::limits::MAX_ITEMS + 1)
    );
    let err = import::read_bytes("merges.xlsx", &stored_xlsx("<sst/>", &many_merges)).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    // Below the limits the same shapes are read.
    let few = stored_xlsx("<sst><si><t>规章</t></si></sst>", sheet);
    assert_eq!(import::read_raw("few.xlsx", &few).unwrap().grids[0].get(0, 0).unwrap().text, "规章");
}

#[test]
fn a_sheet_claiming_a_million_rows_is_bounded() {
    // A1 and A1048576: a million rows of one column are within the limit and read.
    let tall = xlsx_with(&[(0, 0, "规章"), (1_048_575, 0, "0")]);
    let report = import::read_bytes("tall.xlsx", &tall).unwrap();
    assert_eq!(report.grids[0].rows, 1_048_576);
    // A1 and XFD1048576: seventeen billion cells are refused before anything is allocated.
    let huge = xlsx_with(&[(0, 0, "规章"), (1_048_575, 16_383, "0")]);
    let err = import::read_bytes("huge.xlsx", &huge).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
}

#[test]
fn a_fifty_megabyte_page_is_refused() {
    let page = format!("<html><body>{}</body></html>", "<p>政府信息公开</p>".repeat(50 * 1024 * 1024 / 24));
    let err = import::read_bytes("big.html", page.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
}

#[test]
fn invalid_utf8_and_pages_without_reports_are_read_not_refused() {
    let mut bytes = "乌鲁木齐市2023年度政府信息公开工作年度报告\n".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, b'\n']);
    let report = import::read_bytes("broken.txt", &bytes).unwrap();
    assert_eq!(report.meta.year, Some(2023));
    let page = "<html><head><title>通知</title></head><body><p>关于召开会议的通知</p></body></html>";
    let report = import::read_bytes("notice.html", page.as_bytes()).unwrap();
    let codes: Vec<_> = gongkai::lint::check(&report).iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["S101", "S101", "S101"]);
    let err = import::read_bytes("binary.html", b"\x00\x01\x02\x03binary").unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err}");
}

#[test]
fn a_gbk_page_is_decoded() {
    let html = "<html><head><meta charset=\"gbk\"><title>测试局2023年度政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(html);
    let report = import::read_bytes("gbk.html", &bytes).unwrap();
    assert_eq!(report.meta.title.as_deref(), Some("测试局2023年度政府信息公开工作年度报告"));
    assert_eq!(report.sections.first().map(|s| s.key), Some("overview"));
}

/// Inputs that once crashed a fuzz target (`fixtures/regressions/`, named after what they broke): read without a panic.
#[test]
fn fuzz_regressions_do_not_panic() {
    for entry in std::fs::read_dir("fixtures/regressions").unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Ok(report) = import::read_bytes(&name, &bytes) {
            let _ = gongkai::lint::check(&report);
        }
    }
}

#[test]
fn formulas_over_huge_ranges_or_long_chains_are_left_unworked() {
    // A1 sums a column of a million rows; B1 = B2+1, B2 = B3+1, … five thousand deep. Neither is worked out (the
    // evaluation stops at its cell and depth bounds), nothing overflows the stack, and the cells stay as saved.
    let mut rows = String::from(r#"<row r="1"><c r="A1"><f>SUM(C1:C1048576)</f></c><c r="B1"><f>B2+1</f></c></row>"#);
    for r in 2..5000 {
        rows.push_str(&format!(r#"<row r="{r}"><c r="B{r}"><f>B{}+1</f></c></row>"#, r + 1));
    }
    let sheet = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let raw = import::read_raw("formulas.xlsx", &stored_xlsx("<sst/>", &sheet)).unwrap();
    let grid = &raw.grids[0];
    assert_eq!(grid.formula_at(0, 0).map(|n| n.result), Some(None));
    assert_eq!(grid.formula_at(0, 1).map(|n| n.result), Some(None));
    assert_eq!(grid.get(0, 1).unwrap().text, "");
    // Near the end of the chain, where the depth suffices, the sums are worked out.
    assert_eq!(grid.formula_at(4998, 1).and_then(|n| n.result), Some(1.0));
    // Past the most formulas worked out per sheet, the rest stay as saved (here: blank, and not noted).
    let many = (1..=import::limits::MAX_FORMULAS as u32 + 10)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><f>B{r}+1</f></c></row>"#))
        .collect::<String>();
    let sheet = format!("<worksheet><sheetData>{many}</sheetData></worksheet>");
    let raw = import::read_raw("many.xlsx", &stored_xlsx("<sst/>", &sheet)).unwrap();
    assert_eq!(raw.grids[0].formulas.len(), import::limits::MAX_FORMULAS);
}

/// A PDF of the given objects (`n 0 obj … endobj`, numbered from 1, the first the catalog) with a correct xref table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// A one-page PDF whose page draws `content` (stored as given, with `filter` when one is named) in Helvetica.
fn one_page_pdf(content: &[u8], filter: Option<&str>) -> Vec<u8> {
    let mut stream = format!(
        "<< /Length {}{} >>\nstream\n",
        content.len(),
        filter.map(|f| format!(" /Filter /{f}")).unwrap_or_default()
    )
    .into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

fn zlib_zeros(mib: usize) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..mib {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap()
}

#[test]
fn a_pdf_page_of_text_reads_and_a_content_stream_bomb_is_refused() {
    let plain = one_page_pdf(b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", None);
    let raw = import::read_raw("plain.pdf", &plain).expect("a one-page PDF reads");
    assert_eq!(raw.paragraphs[0].text, "hello");
    // 1 GiB of spaces in a 1 MB stream.
    let bomb = one_page_pdf(&zlib_zeros(1024), Some("FlateDecode"));
    let err = import::read_raw("bomb.pdf", &bomb).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("bomb.pdf"), "{err}");
}

#[test]
fn a_pdf_of_more_pages_than_the_limit_is_refused() {
    let pages = import::limits::MAX_PDF_PAGES + 1;
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes(),
    ];
    objects.extend((0..pages).map(|_| b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec()));
    let pdf = pdf_of(&objects);
    let err = import::read_raw("pages.pdf", &pdf).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
}

#[test]
fn looping_and_deep_pdf_references_end() {
    // A page tree whose node is its own kid, and a content reference that points at itself.
    let looping = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        b"4 0 R".to_vec(),
    ]);
    let _ = import::read_raw("loop.pdf", &looping);
    // A form that draws itself, and a chain of ten thousand forms each drawing the next.
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>".to_vec(),
        b"<< /Length 8 >>\nstream\n/X Do /X\nendstream".to_vec(),
    ];
    let chain = 10_000;
    for i in 0..chain {
        let next = if i + 1 < chain { 6 + i } else { 5 };
        let body = b"/N Do";
        objects.push(
            format!(
                "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /N {next} 0 R >> >> /Length {} >>\nstream\n",
                body.len()
            )
            .into_bytes()
            .into_iter()
            .chain(body.iter().copied())
            .chain(b"\nendstream".iter().copied())
            .collect(),
        );
    }
    let _ = import::read_raw("forms.pdf", &pdf_of(&objects));
}

#[test]
fn a_pdf_with_a_broken_xref_is_read_or_refused_clearly() {
    let good = one_page_pdf(b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", None);
    // Every xref offset wrong: the objects are found again by scanning, as readers do.
    let text = String::from_utf8(good.clone()).unwrap();
    let start = text.find("xref\n").unwrap();
    let broken: String = text[..start].to_string() + &text[start..].replace("00000000", "00000099");
    match import::read_raw("xref.pdf", broken.as_bytes()) {
        Ok(raw) => assert_eq!(raw.paragraphs[0].text, "hello"),
        Err(e) => assert!(e.to_string().contains("xref.pdf"), "{e}"),
    }
    // No xref at all, no trailer: garbage after the header.
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend(std::iter::repeat_n(b"<< /Kids [1 0 R] >> ", 10_000).flatten());
    garbage.extend_from_slice(b"\n%%EOF\n");
    let err = import::read_raw("garbage.pdf", &garbage).unwrap_err();
    assert!(err.to_string().contains("garbage.pdf"), "{err}");
}

#[test]
fn a_pdf_page_of_millions_of_lines_or_glyphs_is_bounded() {
    let mut lines = Vec::new();
    for i in 0..300_000 {
        let y = 10 + i % 800;
        writeln!(lines, "10 {y} m 500 {y} l S").unwrap();
        writeln!(lines, "{} 10 m {} 800 l S", 10 + i % 500, 10 + i % 500).unwrap();
    }
    let err = import::read_raw("lines.pdf", &one_page_pdf(&lines, None)).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    let glyphs = format!("BT /F1 1 Tf 0 0 Td {} ET", "(AAAAAAAAAA) Tj ".repeat(100_000));
    let err = import::read_raw("glyphs.pdf", &one_page_pdf(glyphs.as_bytes(), None)).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
    // Dashes that never touch: tens of thousands of separate lines each way.
    let mut dashes = Vec::new();
    for i in 0..24_000 {
        let (a, b) = (f64::from(i % 150) * 4.0, f64::from(i / 150) * 5.0);
        writeln!(dashes, "{a} {b} m {} {b} l S {b} {a} m {b} {} l S", a + 3.0, a + 3.0).unwrap();
    }
    let _ = import::read_raw("dashes.pdf", &one_page_pdf(&dashes, None));
    // A page two hundred metres wide, ruled every 3 points: a grid of millions of cells.
    let mut grid = Vec::new();
    for i in 0..4_000 {
        let at = f64::from(i) * 3.0;
        writeln!(grid, "0 {at} m 12000 {at} l S {at} 0 m {at} 12000 l S").unwrap();
    }
    let wide = one_page_pdf(&grid, None);
    let wide = String::from_utf8(wide).unwrap().replace("/MediaBox [0 0 595 842]", "/MediaBox [0 0 14400 14400]");
    let err = import::read_raw("grid.pdf", wide.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
}

#[test]
fn a_gigantic_pdf_content_stream_is_refused_before_it_is_read() {
    // 80 MiB of nothing but save and restore, compressed.
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = "q Q\n".repeat(1 << 18);
    for _ in 0..80 {
        enc.write_all(block.as_bytes()).unwrap();
    }
    let pdf = one_page_pdf(&enc.finish().unwrap(), Some("FlateDecode"));
    let err = import::read_raw("huge.pdf", &pdf).unwrap_err();
    assert!(matches!(err, ImportError::Limit { .. }), "{err}");
}
