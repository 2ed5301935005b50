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

/// A report of 2016 in the layout of its time: its title, headings and a table of its own.
const REPORT_OF_2016: &str = "某市交通运输局2016年政府信息公开工作年度报告
本报告由某市交通运输局根据《中华人民共和国政府信息公开条例》要求编制。
一、概述
2016年，我局认真贯彻落实《条例》，主动公开政府信息120条。
二、主动公开政府信息情况
全年主动公开政府信息120条，其中规范性文件3件。
| 类别 | 条数 |
| 机构职能 | 10 |
| 政策文件 | 30 |
三、依申请公开政府信息情况
全年共收到政府信息公开申请5件，均已按期答复。
四、政府信息公开的收费及减免情况
本年度未收取任何费用。
五、因政府信息公开申请提起行政复议、行政诉讼的情况
本年度未发生行政复议和行政诉讼。
六、存在的主要问题及改进措施
公开的及时性有待提高。
七、其他需要报告的事项
无。
某市交通运输局
2017年3月20日
";

#[test]
fn a_report_of_before_2019_is_named_once_and_batch_calls_it_legacy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2016.txt");
    std::fs::write(&path, REPORT_OF_2016).unwrap();
    let report = gongkai::import::read(&path).unwrap();
    assert_eq!(report.format.as_str(), "pre-2019");
    assert_eq!((report.meta.year, report.meta.agency.as_deref()), (Some(2016), Some("某市交通运输局")));
    let codes: Vec<&str> = gongkai::lint::check(&report).iter().map(|d| d.code).collect();
    assert_eq!(codes, ["F403"], "one finding, not dozens of missing rows");
    let out = dir.path().join("out");
    let run = gongkai().args(["batch", "-o"]).arg(&out).args(["--to", "none"]).arg(dir.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let row = summary.lines().find(|l| l.contains("2016.txt")).unwrap();
    assert!(row.contains(",pre-2019,") && row.contains(",legacy,"), "{row}");
}

/// 2024's 行政规范性文件8855698 cuts 15 ways and its text states none of the counts; 2023's report, in the same run,
/// leaves one (665 + 88 − 55 = 698): read so in `check` over the folder and in `batch`, with S108 saying how.
#[test]
fn digits_run_together_are_settled_by_the_agencys_year_before_in_the_run() {
    let dir = std::path::Path::new("fixtures/text/year-before");
    let alone = concise(&dir.join("agency-2024.txt"));
    assert!(alone.contains("S107") && !alone.contains("S108"), "{alone}");
    let out =
        gongkai().args(["check", "--output-format", "concise", "--select", "S107,S108"]).arg(dir).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let line = said.lines().find(|l| l.contains("S108")).unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("agency-2024.txt") && line.contains("665") && line.contains("88 | 55 | 698"), "{line}");
    assert!(!said.contains("S107"), "{said}");
    // The year before listed after it: the same reading, and the files' findings still in the order listed.
    let out = gongkai()
        .args(["check", "--output-format", "concise", "--select", "S107,S108,C307"])
        .args([dir.join("agency-2024.txt"), dir.join("agency-2023.txt")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.lines().next().is_some_and(|l| l.contains("S108") && l.contains("88 | 55 | 698")), "{said}");
    assert!(!said.contains("S107"), "{said}");
    // The chain on the row read holds, so no cross-year drift is reported on it.
    assert!(!said.lines().any(|l| l.contains("C307") && l.contains("行政规范性文件")), "{said}");

    let tmp = tempfile::tempdir().unwrap();
    let status = gongkai().args(["batch", "--to", "json", "-o"]).arg(tmp.path()).arg(dir).status().unwrap();
    assert!(status.success());
    let values = std::fs::read_to_string(tmp.path().join("values.csv")).unwrap();
    for (key, value) in [("made", "88"), ("repealed", "55"), ("in_force", "698")] {
        let row = format!("agency-2024.txt,t2.art20_1.normative_docs.{key},{value}");
        assert!(values.lines().any(|l| l == row), "{row} not in values.csv");
    }
    let diagnostics = std::fs::read_to_string(tmp.path().join("diagnostics.jsonl")).unwrap();
    assert!(diagnostics.lines().any(|l| l.contains("\"S108\"") && l.contains("agency-2024")), "{diagnostics}");
    assert!(!diagnostics.contains("\"S107\""), "{diagnostics}");
    // The report's own output has the values too.
    let json = std::fs::read_to_string(tmp.path().join("agency-2024.txt.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["values"]["t2.art20_1.normative_docs.in_force"], 698, "{json}");
}
