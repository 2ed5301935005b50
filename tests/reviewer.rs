//! The reviewer's text rules through the real binary: a report whose sections repeat the agency's report of the
//! year before (T611), in `check` over a folder and in `batch`, and one rewritten, which passes; reports of
//! different agencies sharing their text (T613), and the dataset's similar_reports.csv.

use std::path::Path;
use std::process::Command;

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

const OVERVIEW_2022: &str = "2022年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化重点领域信息公开，做好政策解读和回应关切，本年度政务公开信息共计98条。";
const OVERVIEW_2023_COPIED: &str = "2023年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化重点领域信息公开，做好政策解读和回应关切，本年度政务公开信息共计120条。";
const OVERVIEW_2023_OWN: &str =
    "2023年，本机关围绕优化营商环境开展专项公开，上线政策问答库，组织三场政务开放日活动，全年主动公开信息120条。";

const PROBLEMS_2023_OWN: &str = "（一）存在主要问题：网站栏目更新不够及时，个别答复书引用条款不准确。";

/// The 2023 fixture as two years of one agency: 2022's with its own overview, 2023's with `overview` (and, when
/// it is its own, its own problems too).
fn two_years(dir: &Path, overview: &str) {
    let text = std::fs::read_to_string("fixtures/text/one-cell-per-line.txt").unwrap();
    let line = text.lines().find(|l| l.starts_with("2023年，本机关认真贯彻落实")).unwrap();
    let earlier = text.replace(line, OVERVIEW_2022).replacen("2023年度政府信息公开", "2022年度政府信息公开", 1);
    std::fs::write(dir.join("2022.txt"), earlier).unwrap();
    let mut later = text.replace(line, overview);
    if overview == OVERVIEW_2023_OWN {
        later = later.replace("（一）存在主要问题：政策解读形式较为单一。", PROBLEMS_2023_OWN);
    }
    std::fs::write(dir.join("2023.txt"), later).unwrap();
}

fn concise(dir: &Path) -> String {
    let out = gongkai().args(["check", "--output-format", "concise", "--select", "T611"]).arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_section_copied_from_last_years_report_is_found_in_check_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    two_years(dir.path(), OVERVIEW_2023_COPIED);
    let said = concise(dir.path());
    let line = said.lines().find(|l| l.contains("T611")).unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("2023.txt") && line.contains("一、总体情况") && line.contains("2022 年度"), "{line}");
    // The same in batch, whose pairs are compared from what it kept of each report.
    let out = dir.path().join("out");
    gongkai().args(["batch", "--to", "none", "-o"]).arg(&out).arg(dir.path()).output().unwrap();
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.jsonl")).unwrap();
    assert!(diagnostics.lines().any(|l| l.contains("\"T611\"") && l.contains("2023.txt")), "{diagnostics}");
}

#[test]
fn a_rewritten_section_passes_and_the_threshold_is_the_configs() {
    let dir = tempfile::tempdir().unwrap();
    two_years(dir.path(), OVERVIEW_2023_OWN);
    assert!(!concise(dir.path()).contains("T611"));
    // Most of last year's overview, and a passage of this year's own: between the info share and the warning's.
    let mostly = format!("{OVERVIEW_2023_COPIED}本年度还上线了政策问答库，并组织了三场政务开放日活动。");
    two_years(dir.path(), &mostly);
    let said = concise(dir.path());
    let overview = said.lines().find(|l| l.contains("一、总体情况")).unwrap_or_else(|| panic!("{said}"));
    assert!(overview.contains("T611 [info]"), "{overview}");
    std::fs::write(dir.path().join("gongkai.toml"), "copied-text-share = 0.5\n").unwrap();
    let said = concise(dir.path());
    let overview = said.lines().find(|l| l.contains("一、总体情况")).unwrap_or_else(|| panic!("{said}"));
    assert!(overview.contains("T611 [warning]"), "the file's lower threshold: {overview}");
}

/// An overview long enough to be compared between agencies.
const SHARED_OVERVIEW: &str = "2023年，本机关坚持以人民为中心的发展思想，围绕全区中心工作，持续深化政务公开，加强政策解读和回应关切，推进重点领域信息公开，完善政府信息公开制度，规范依申请公开办理流程，提升政务公开标准化规范化水平。";
const OWN_OVERVIEW: &str = "2023年，我们把主要力量放在网站改版上，新建了惠企政策专栏，组织了两次政务开放日，来信来访明显减少，并在乡镇推广依申请公开的线上办理，补齐档案数字化的短板，做到件件有回音、事事有着落。";

/// The 2023 fixture as the report of `agency`, with `overview` as its section 一.
fn report_of(dir: &Path, file: &str, agency: &str, overview: &str) {
    let text = std::fs::read_to_string("fixtures/text/one-cell-per-line.txt").unwrap();
    let line = text.lines().find(|l| l.starts_with("2023年，本机关认真贯彻落实")).unwrap();
    let text = text.replace(line, overview).replace("乌鲁木齐市人民政府外事办公室", agency);
    std::fs::write(dir.join(file), text).unwrap();
}

#[test]
fn text_shared_between_agencies_is_found_in_both_reports_in_check_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    report_of(dir.path(), "a.txt", "某县教育局", SHARED_OVERVIEW);
    report_of(dir.path(), "b.txt", "某县卫生健康局", SHARED_OVERVIEW);
    report_of(dir.path(), "c.txt", "某县水利局", OWN_OVERVIEW);
    // The same agency's second copy is no pair of agencies.
    report_of(dir.path(), "a-copy.txt", "某县教育局", SHARED_OVERVIEW);
    let out =
        gongkai().args(["check", "--output-format", "concise", "--select", "T613"]).arg(dir.path()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let found: Vec<&str> = said.lines().filter(|l| l.contains("T613")).collect();
    let of = |file: &str| found.iter().filter(|l| l.contains(&format!("{file}:"))).count();
    assert!(of("a.txt") == 1 && of("a-copy.txt") == 1, "{said}");
    assert_eq!(of("b.txt"), 2, "b names both of the others: {said}");
    assert_eq!(of("c.txt"), 0, "{said}");
    let line_b = found.iter().find(|l| l.contains("b.txt:")).unwrap();
    assert!(line_b.contains("某县教育局") && line_b.contains("一、总体情况") && line_b.contains("100%"), "{line_b}");
    // The longest passage they share, quoted from the text kept apart from what the comparison reads.
    let passage: String = SHARED_OVERVIEW.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).take(40).collect();
    assert!(found.iter().all(|l| l.contains(&format!("「{passage}…」"))), "{said}");

    let dataset = dir.path().join("out");
    gongkai().args(["batch", "--to", "none", "-o"]).arg(&dataset).arg(dir.path()).output().unwrap();
    let similar = std::fs::read_to_string(dataset.join("similar_reports.csv")).unwrap();
    let rows: Vec<&str> = similar.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "a–b and a-copy–b, not a–a-copy: {similar}");
    assert!(
        rows.iter()
            .all(|r| r.contains("b.txt") && r.contains("一、总体情况") && r.ends_with(&format!(",100,100,{passage}"))),
        "{similar}"
    );
    let diagnostics = std::fs::read_to_string(dataset.join("diagnostics.jsonl")).unwrap();
    let t613 = diagnostics.lines().filter(|l| l.contains("\"T613\"")).count();
    assert_eq!(t613, 4, "a, a-copy and b (twice: each of the others): {diagnostics}");
    // Turned off, it is not looked for.
    let off = dir.path().join("off");
    gongkai().args(["batch", "--to", "none", "--ignore", "T613", "-o"]).arg(&off).arg(dir.path()).output().unwrap();
    assert_eq!(std::fs::read_to_string(off.join("similar_reports.csv")).unwrap().lines().count(), 1);
}

/// A report published without its tables (as a page whose tables were images), stating its applications received in
/// sections 一 and 三.
fn without_tables(dir: &Path, received_in_overview: u32, received_in_applications: u32) -> std::path::PathBuf {
    let text = format!(
        "某县某局2023年度政府信息公开工作年度报告\n\n一、总体情况\n2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。\
         全年共收到政府信息公开申请{received_in_overview}件。\n\n二、主动公开政府信息情况\n详见附件。\n\n\
         三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请{received_in_applications}件，较上年收到申请9件有所减少。\n\n\
         四、政府信息公开行政复议、行政诉讼情况\n本年度未发生政府信息公开行政复议、行政诉讼。\n\n\
         五、存在的主要问题及改进情况\n公开内容还不够丰富，下一步将加强业务培训。\n\n\
         六、其他需要报告的事项\n本年度未收取信息处理费。\n\n某县某局\n2024年1月20日\n"
    );
    let path = dir.join("2023.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_count_stated_twice_with_two_numbers_is_found_where_no_table_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let check = |path: &Path| {
        let out =
            gongkai().args(["check", "--output-format", "concise", "--select", "T615"]).arg(path).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let said = check(&without_tables(dir.path(), 5, 7));
    let line = said.lines().find(|l| l.contains("T615")).unwrap_or_else(|| panic!("{said}"));
    // Both sentences named with their lines; last year's 9 is not a third number.
    assert!(line.contains("申请5件") && line.contains("申请7件") && !line.contains("9件"), "{line}");
    assert!(line.contains("第4行") && line.contains("第10行"), "{line}");
    assert!(!check(&without_tables(dir.path(), 7, 7)).contains("T615"));
}
