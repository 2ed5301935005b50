//! The smaller promises of the README, each seen broken once by a user going through it command by command: a run
//! over nothing fails, nothing overwrites an input or a baseline unasked, counts say what they count, a Chinese run
//! speaks Chinese, an address is written as it is shown, outputs never collide.

use std::io::Write;
use std::path::Path;

use assert_cmd::cargo_bin_cmd;

fn gongkai() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("gongkai");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_run_over_paths_with_no_report_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("photo.png"), b"\x89PNG").unwrap();
    std::fs::write(dir.path().join("2024年报.ofd"), b"PK").unwrap();
    let folder = dir.path().to_str().unwrap();
    for args in [vec!["check", folder], vec!["fix", folder], vec!["batch", folder, "-o"]] {
        let mut cmd = gongkai();
        cmd.args(&args);
        if args[0] == "batch" {
            cmd.arg(dir.path().join("out"));
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("没有找到年报文件"), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn a_baseline_is_replaced_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("b.json");
    std::fs::write(&baseline, "[]").unwrap();
    let b = baseline.to_str().unwrap();
    let file = "fixtures/xlsx/row-total-off-by-one.xlsx";
    let out = gongkai().args(["check", "--write-baseline", b, file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--force"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), "[]", "the baseline was replaced");
    let out = gongkai().args(["check", "--write-baseline", b, "--force", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&baseline).unwrap().contains("C303"));
}

#[test]
fn convert_never_overwrites_its_input_force_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.docx");
    std::fs::copy("fixtures/docx/clean-python-docx.docx", &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let i = input.to_str().unwrap();
    let same_in_other_words = dir.path().join(".").join("a.docx");
    for output in [i, same_in_other_words.to_str().unwrap()] {
        let out = gongkai().args(["convert", i, "-o", output, "--force"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("输入文件本身"), "{}", text(&out.stderr));
    }
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn the_summary_says_which_fixes_need_unsafe_fixes() {
    let out = gongkai().args(["check", "fixtures/xlsx/row-total-off-by-one.xlsx"]).output().unwrap();
    let summary = text(&out.stdout);
    assert!(summary.contains("1 项可自动修复（其中 1 项会改变数字，需加 --unsafe-fixes）"), "{summary}");
    let out = gongkai().args(["fix", "fixtures/xlsx/row-total-off-by-one.xlsx", "--diff"]).output().unwrap();
    assert!(text(&out.stdout).contains("需加 --unsafe-fixes"), "{}", text(&out.stdout));
    let json = gongkai().args(["check", "--output-format", "json", "fixtures/xlsx/row-total-off-by-one.xlsx"]).output();
    let doc: serde_json::Value = serde_json::from_slice(&json.unwrap().stdout).unwrap();
    assert_eq!((doc["summary"]["fixable"].as_u64(), doc["summary"]["fixable_unsafe"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn rule_codes_are_taken_in_any_case_and_a_file_given_twice_is_read_once() {
    let file = "fixtures/xlsx/row-total-off-by-one.xlsx";
    let out = gongkai().args(["check", "--select", "c3", "--output-format", "concise", file, file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("C303") && !stdout.contains("T60"), "{stdout}");
    assert!(stdout.contains("检查了 1 个文件"), "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(file, dir.path().join("a.xlsx")).unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), "select = [\"c303\"]\n[severity]\nc303 = \"warning\"\n").unwrap();
    let out = gongkai().args(["check", "--output-format", "concise"]).arg(dir.path()).output().unwrap();
    assert!(text(&out.stdout).contains("C303 [warning]"), "{} {}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn a_word_tables_cell_is_ignored_by_the_address_the_findings_give_it() {
    let out = gongkai()
        .args(["check", "--output-format", "concise", "fixtures/docx/result-sum-wrong.docx"])
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    let line = shown.lines().find(|l| l.contains("C302")).expect("a C302 finding");
    let address = line.split(" › ").nth(1).unwrap().split(": C302").next().unwrap().to_string();
    assert!(address.starts_with("表") && address.contains("行第"), "{address}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/docx/result-sum-wrong.docx", dir.path().join("r.docx")).unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), format!("[per-file-ignores]\n\"*.docx\" = [\"C302@{address}\"]\n"))
        .unwrap();
    let out = gongkai().args(["check", "--output-format", "concise"]).arg(dir.path().join("r.docx")).output().unwrap();
    let after = text(&out.stdout);
    assert!(!after.contains(&format!("{address}: C302")), "{after}\n{}", text(&out.stderr));
    assert_eq!(shown.matches("C302").count(), after.matches("C302").count() + 1, "{after}");
}

#[test]
fn reports_that_would_share_an_output_each_get_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let docx = std::fs::read("fixtures/docx/clean-python-docx.docx").unwrap();
    let zip_path = dir.path().join("clash.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for name in ["../a.docx", "a.docx", "A.docx"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&docx).unwrap();
    }
    zip.finish().unwrap();
    let out_dir = dir.path().join("out");
    let out = gongkai().args(["batch", "--to", "json", "-o"]).arg(&out_dir).arg(&zip_path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = std::fs::read_to_string(out_dir.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 4, "{summary}");
    let mut outputs: Vec<String> = walkdir::WalkDir::new(&out_dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.path().strip_prefix(&out_dir).unwrap().to_string_lossy().to_lowercase())
        .collect();
    outputs.sort();
    let before = outputs.len();
    outputs.dedup();
    assert_eq!((before, outputs.len()), (3, 3), "{outputs:?}");
}

#[test]
fn a_zip_of_reports_under_a_documents_name_is_told_to_be_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("材料.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("年报.docx", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(&std::fs::read("fixtures/docx/clean-python-docx.docx").unwrap()).unwrap();
    zip.finish().unwrap();
    let out = gongkai().arg("check").arg(&path).output().unwrap();
    let said = text(&out.stdout) + &text(&out.stderr);
    assert!(said.contains("改名为 .zip"), "{said}");
}

#[test]
fn a_chinese_run_speaks_chinese() {
    // The HTML report names severities in the page's language.
    let out = gongkai()
        .args(["check", "--output-format", "html", "fixtures/xlsx/row-total-off-by-one.xlsx"])
        .output()
        .unwrap();
    let page = text(&out.stdout);
    assert!(page.contains("class=\"sev\">错误<"), "severity not in Chinese");
    assert!(!page.contains("class=\"sev\">error<"));
    // A usage error is said in Chinese whole, not followed by clap's English.
    let out = gongkai().args(["check", "--output-format", "xml", "x.xlsx"]).output().unwrap();
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(said.contains("可用的值") && said.contains("html"), "{said}");
    assert!(!said.contains("invalid value"), "{said}");
    // A gongkai.toml fault too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", dir.path().join("a.xlsx")).unwrap();
    std::fs::write(dir.path().join("gongkai.toml"), "deadline = \"02-30\"\n").unwrap();
    let out = gongkai().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("deadline 应为"), "{}", text(&out.stderr));
}

#[test]
fn the_command_lines_organisation_type_wins_over_the_files_deadline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/html/gbk-page.html", dir.path().join("a.html")).unwrap();
    // The page was published 2024-01-26: within a deadline of 01-31, after one of 01-15.
    std::fs::write(dir.path().join("gongkai.toml"), "deadline = \"01-15\"\n").unwrap();
    let run = |extra: &[&str]| {
        let out = gongkai().args(["check", "--output-format", "concise"]).args(extra).arg(dir.path()).output().unwrap();
        text(&out.stdout)
    };
    assert!(run(&[]).contains("M504"), "the file's deadline applies");
    assert!(!run(&["--org-type", "department"]).contains("M504"), "the command line's 1月31日 wins");
}

#[test]
fn the_pre_commit_hook_takes_every_form_check_reads() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let files = hooks.lines().find(|l| l.trim_start().starts_with("files:")).unwrap();
    for ext in gongkai::import::EXTENSIONS {
        assert!(files.contains(ext.trim_start_matches('.')), "{ext} left out: {files}");
    }
}

#[test]
fn every_readme_path_that_names_a_file_exists() {
    // The README's links to files of the repository (bench/PDF.md, fixtures/…) lead somewhere.
    let readme = std::fs::read_to_string("README.md").unwrap();
    for link in readme.split("](").skip(1).filter_map(|s| s.split(')').next()) {
        if link.starts_with("http") || link.starts_with('#') {
            continue;
        }
        assert!(Path::new(link).exists(), "README links to {link}, which is not there");
    }
}

#[test]
fn convert_writes_no_blank_form_for_a_file_without_a_report_and_keeps_a_foreign_unit() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("notice.xlsx");
    let out = gongkai().args(["convert", "fixtures/docx/no-report.docx", "-o"]).arg(&blank).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(
        said.contains("no-report.docx") && said.contains("找不到年报的统计表") && said.contains("template"),
        "{said}"
    );
    assert!(!blank.exists(), "no blank form written");
    // JSON is what was read, and is written.
    let json = dir.path().join("notice.json");
    gongkai().args(["convert", "fixtures/docx/no-report.docx", "-o"]).arg(&json).assert().code(0);
    // A fee in 元 in the 万元 column is written as it was, so the check of the workbook still sees the unit.
    let fee = dir.path().join("fee.xlsx");
    gongkai().args(["convert", "fixtures/docx/fee-in-yuan.docx", "-o"]).arg(&fee).assert().code(0);
    let out = gongkai().args(["check", "--output-format", "concise"]).arg(&fee).output().unwrap();
    assert!(text(&out.stdout).contains("V203"), "{}", text(&out.stdout));
}
