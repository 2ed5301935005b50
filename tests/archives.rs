//! Real archives as they are: what text dumps, converted markdown and portal pages write, read as the report says.

use std::process::Command;

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn concise(path: &std::path::Path) -> String {
    let out = gongkai().args(["check", "--output-format", "concise"]).arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fixture with one line replaced.
fn with_line(fixture: &str, from: &str, to: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture).unwrap();
    assert!(text.contains(from), "{fixture} has no {from:?}");
    let path = dir.join(std::path::Path::new(fixture).file_name().unwrap());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn a_negative_count_keeps_its_sign_in_every_text_form() {
    let dir = tempfile::tempdir().unwrap();
    for minus in ["-", "－", "−"] {
        let line = with_line(
            "fixtures/text/one-cell-per-line.txt",
            "二、上年结转政府信息公开申请数量\n0\n",
            &format!("二、上年结转政府信息公开申请数量\n{minus}1\n"),
            dir.path(),
        );
        let said = concise(&line);
        assert!(said.contains("V201") && said.contains("「-1」是负数"), "{minus}: {said}");
        let pipe = with_line(
            "fixtures/text/pipe-rows.md",
            "| 二、上年结转政府信息公开申请数量 | 1 |",
            &format!("| 二、上年结转政府信息公开申请数量 | {minus}1 |"),
            dir.path(),
        );
        assert!(concise(&pipe).contains("V201"), "{minus} in a pipe row");
    }
}

#[test]
fn a_portal_pages_title_is_read_without_the_portals_suffix() {
    // The body's title line taken out: the page's <title> is the only one.
    let page = std::fs::read_to_string("fixtures/html/clean-libreoffice.html").unwrap();
    let body_title = page.lines().find(|l| l.contains("年度政府信息公开工作年度报告")).unwrap();
    let page = page.replace(body_title, "").replace(
        "<title></title>",
        "<title>乌鲁木齐市人民政府外事办公室2023年政府信息公开工作年度报告_政府信息公开年报_乌鲁木齐市人民政府</title>",
    );
    let report = gongkai::import::read_bytes("portal.html", page.as_bytes()).unwrap();
    assert_eq!(report.meta.title.as_deref(), Some("乌鲁木齐市人民政府外事办公室2023年政府信息公开工作年度报告"));
    assert_eq!(report.meta.year, Some(2023));
    assert!(!gongkai::lint::check(&report).iter().any(|d| d.code == "M502"));
}
