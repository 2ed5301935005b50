//! The real binary: arguments, exit codes, output formats, and that inputs are never changed.

use std::path::Path;

use assert_cmd::cargo_bin_cmd;
use serde_json::Value;

fn gongkai() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("gongkai");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_clean_report_exits_0() {
    let out = gongkai().args(["check", "fixtures/xlsx/clean-one-sheet.xlsx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("0 个错误"));
}

#[test]
fn an_error_draws_the_row_and_names_the_cell() {
    let out = gongkai().args(["check", "fixtures/xlsx/row-total-off-by-one.xlsx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("fixtures/xlsx/row-total-off-by-one.xlsx › 年报!K25"), "{text}");
    assert!(text.contains("C303"), "{text}");
    assert!(text.contains("一、本年新收政府信息公开申"), "{text}");
    assert!(text.contains("gongkai fix --unsafe-fixes"), "{text}");
}

#[test]
fn docx_addresses_name_table_row_and_column() {
    let out = gongkai()
        .args(["check", "--output-format", "concise", "fixtures/docx/result-sum-wrong.docx"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("result-sum-wrong.docx › 表2 第27行第4列: C302 [error]"), "{}", stdout(&out));
}

#[test]
fn english_messages() {
    let out = gongkai()
        .args(["check", "--lang", "en", "--output-format", "concise", "fixtures/docx/result-sum-wrong.docx"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("table 2 row 27 column 4: C302 [error]"), "{}", stdout(&out));
    assert!(stdout(&out).contains("not the sum of the result rows"));
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = gongkai()
        .args([
            "check",
            "--output-format",
            "json",
            "fixtures/xlsx/row-total-off-by-one.xlsx",
            "fixtures/bad/empty.xlsx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "C303");
    assert_eq!(d["name"], "t3-row-total");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["location"]["key"], "t3.new_received.total");
    assert_eq!(d["location"]["table"], "表三");
    assert_eq!(d["location"]["address"], "年报!K25");
    assert_eq!(d["fix"]["safety"], "unsafe");
    assert_eq!(d["fix"]["edits"][0]["to"], "16");
    assert_eq!(doc["files"][1]["error"]["code"], "empty");
    assert_eq!(doc["summary"]["unreadable"], 1);
    assert_eq!(doc["summary"]["files"], 2);
}

#[test]
fn a_folder_is_checked_whole_and_bad_files_do_not_stop_it() {
    let out = gongkai().args(["check", "--output-format", "concise", "fixtures"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("old-binary-word.doc: E000 [error]"), "{text}");
    assert!(text.contains("zip-not-a-document.docx: E000"), "{text}");
    assert!(text.contains("t4-total-wrong.xlsx"), "{text}");
    assert!(text.contains("14 个文件无法读取"), "{text}");
}

#[test]
fn an_unreadable_file_is_explained_in_the_language_of_the_run() {
    let run = |format: &str, lang: &str| {
        let out = gongkai()
            .args(["check", "--output-format", format, "--lang", lang, "fixtures/bad/old-binary-word.doc"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        stdout(&out)
    };
    for format in ["full", "concise", "json", "sarif", "github", "html"] {
        let zh = run(format, "zh");
        let en = run(format, "en");
        assert!(zh.contains("是旧的二进制格式") && !zh.contains("old binary format"), "{format}: {zh}");
        assert!(en.contains("is an old binary format") && !en.contains("是旧的二进制格式"), "{format}: {en}");
        // What to do is said in each format that has room for it.
        if format != "concise" {
            assert!(zh.contains("另存为 .docx"), "{format}: {zh}");
            assert!(en.contains("save it as .docx"), "{format}: {en}");
        }
    }
    assert!(run("concise", "en").contains("checked 1 file: 0 errors"));
}

#[test]
fn fixing_a_folder_again_leaves_its_corrected_copies_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/xlsx/row-total-off-by-one.xlsx", dir.path().join("a.xlsx")).unwrap();
    let d = dir.path().to_str().unwrap();
    gongkai().args(["fix", "--unsafe-fixes", d]).assert().code(0);
    let again = gongkai().args(["fix", "--unsafe-fixes", d]).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "the first copy is not overwritten without --force");
    let said = format!("{}{}", stdout(&again), String::from_utf8_lossy(&again.stderr));
    assert!(said.contains("a.fixed.xlsx：已存在；加 --force 可覆盖"), "{said}");
    assert!(!said.contains("a.fixed.xlsx: "), "the copy is not read as a report to fix: {said}");
    gongkai().args(["fix", "--unsafe-fixes", "--force", d]).assert().code(0);
    let names: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn usage_errors_exit_2() {
    gongkai().args(["check", "no/such/file.xlsx"]).assert().code(2);
    gongkai().args(["check", "--output-format", "xml", "fixtures/xlsx/clean-one-sheet.xlsx"]).assert().code(2);
    gongkai().args(["check", "--select", "Z999", "fixtures/xlsx/clean-one-sheet.xlsx"]).assert().code(2);
    gongkai().args(["rule", "X1"]).assert().code(2);
    gongkai().assert().code(2);
}

#[test]
fn select_and_ignore_and_fail_level() {
    let out = gongkai().args(["check", "--ignore", "C3", "fixtures/xlsx/row-total-off-by-one.xlsx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out =
        gongkai().args(["check", "--fail-level", "warning", "fixtures/docx/label-variants.docx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = gongkai().args(["check", "fixtures/docx/label-variants.docx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_and_rule() {
    let out = gongkai().arg("rules").output().unwrap();
    assert!(stdout(&out).contains("C303  t3-row-total"));
    let out = gongkai().args(["rule", "C301"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## 作用") && stdout(&out).contains("勾稽关系"), "{}", stdout(&out));
    let out = gongkai().args(["rule", "--lang", "en", "C301"]).output().unwrap();
    assert!(stdout(&out).contains("## What it does"), "{}", stdout(&out));
    let out = gongkai().args(["rule", "t3-balance"]).output().unwrap();
    assert!(stdout(&out).contains("C301"));
    // The code every output gives an unreadable file is explained too.
    assert!(stdout(&gongkai().arg("rules").output().unwrap()).contains("E000  unreadable-file"));
    let out = gongkai().args(["rule", "--lang", "en", "E000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## What it does") && stdout(&out).contains("old-binary"), "{}", stdout(&out));
}

#[test]
fn convert_writes_the_model_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("r.json");
    let out_str = out_path.to_str().unwrap();
    gongkai().args(["convert", "fixtures/docx/clean-python-docx.docx", "-o", out_str]).assert().code(0);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(doc["format"], "2021");
    assert_eq!(doc["meta"]["year"], 2023);
    assert_eq!(doc["meta"]["agency"], "乌鲁木齐市人民政府外事办公室");
    assert_eq!(doc["values"].as_object().unwrap().len(), 200);
    gongkai().args(["convert", "fixtures/docx/clean-python-docx.docx", "-o", out_str]).assert().code(2);
    gongkai().args(["convert", "fixtures/docx/clean-python-docx.docx", "-o", out_str, "--force"]).assert().code(0);
    gongkai()
        .args(["convert", "fixtures/bad/truncated.docx", "-o", dir.path().join("t.json").to_str().unwrap()])
        .assert()
        .code(1);
    assert!(!dir.path().join("t.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn inputs_are_never_modified() {
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        "fixtures/xlsx/row-total-off-by-one.xlsx",
        "fixtures/docx/result-sum-wrong.docx",
        "fixtures/xls/clean-one-sheet-libreoffice.xls",
    ];
    let mut files = Vec::new();
    for src in sources {
        let copy = dir.path().join(Path::new(src).file_name().unwrap());
        std::fs::copy(src, &copy).unwrap();
        files.push((copy.to_str().unwrap().to_string(), std::fs::read(src).unwrap()));
    }
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let out = out.to_str().unwrap();
    for (f, _) in &files {
        gongkai().args(["check", f]).output().unwrap();
        gongkai().args(["check", "--output-format", "json", f]).output().unwrap();
        for ext in ["json", "xlsx", "docx", "csv"] {
            gongkai().args(["convert", f, "-o", &format!("{out}/x.{ext}"), "--force"]).output().unwrap();
        }
        gongkai().args(["fix", "--unsafe-fixes", "--force", f]).output().unwrap();
        gongkai().args(["fix", "--force", "--to", "docx", "-o", out, f]).output().unwrap();
        gongkai().args(["fix", "--diff", f]).output().unwrap();
    }
    for (f, bytes) in files {
        assert_eq!(std::fs::read(&f).unwrap(), bytes, "{f} changed");
    }
}

#[test]
fn renamed_wps_and_et_files_get_the_right_advice() {
    let dir = tempfile::tempdir().unwrap();
    let wps = dir.path().join("报告.wps");
    std::fs::copy("fixtures/bad/old-binary-word.doc", &wps).unwrap();
    let out = gongkai().args(["check", "--output-format", "concise", wps.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("WPS"), "{}", stdout(&out));
    // A WPS spreadsheet saved as BIFF is read like .xls.
    let et = dir.path().join("报表.et");
    std::fs::copy("fixtures/xls/clean-one-sheet-libreoffice.xls", &et).unwrap();
    gongkai().args(["check", et.to_str().unwrap()]).assert().code(0);
    // A .docx that is really a workbook is read by what it is.
    let renamed = dir.path().join("really-a-workbook.docx");
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", &renamed).unwrap();
    gongkai().args(["check", renamed.to_str().unwrap()]).assert().code(0);
}

#[test]
fn convert_gives_every_canonical_value_of_every_fixture() {
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string("fixtures/manifest.json").unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for entry in manifest.as_array().unwrap().iter().filter(|e| e["values"].is_string()) {
        let file = format!("fixtures/{}", entry["file"].as_str().unwrap());
        let out_path = dir.path().join("out.json");
        gongkai().args(["convert", &file, "-o", out_path.to_str().unwrap(), "--force"]).assert().code(0);
        let doc: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("fixtures/{}", entry["values"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        let values = doc["values"].as_object().unwrap();
        assert_eq!(values.len(), 200, "{file}");
        for (key, want) in expected.as_object().unwrap() {
            let have = &values[key];
            let same = match (want.as_f64(), have.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                _ => want == have,
            };
            assert!(same, "{file}: {key}: expected {want}, got {have}");
        }
    }
}

#[test]
fn fix_diff_writes_nothing_and_fix_writes_a_marked_copy() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("report.xlsx");
    std::fs::copy("fixtures/xlsx/row-total-off-by-one.xlsx", &src).unwrap();
    let before = std::fs::read(&src).unwrap();
    let src_s = src.to_str().unwrap();

    let out = gongkai().args(["fix", "--diff", "--unsafe-fixes", src_s]).output().unwrap();
    assert!(stdout(&out).contains("年报!K25: 17 → 16"), "{}", stdout(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "--diff wrote a file");

    // Without --unsafe-fixes the total is not recomputed, and the user is told why.
    let out = gongkai().args(["fix", src_s]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("--unsafe-fixes"), "{}", stdout(&out));

    let out = gongkai().args(["fix", "--unsafe-fixes", src_s]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let fixed = dir.path().join("report.fixed.xlsx");
    gongkai().args(["check", fixed.to_str().unwrap()]).assert().code(0);
    // An existing output is not overwritten without --force.
    gongkai().args(["fix", "--unsafe-fixes", src_s]).assert().code(2);
    gongkai().args(["fix", "--unsafe-fixes", "--force", src_s]).assert().code(0);
    assert_eq!(std::fs::read(&src).unwrap(), before, "the input changed");
}

#[test]
fn fix_keeps_docx_as_docx_and_can_convert() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    gongkai().args(["fix", "--unsafe-fixes", "-o", d, "fixtures/docx/result-sum-wrong.docx"]).assert().code(0);
    gongkai().args(["check", &format!("{d}/result-sum-wrong.fixed.docx")]).assert().code(0);
    gongkai()
        .args(["fix", "--unsafe-fixes", "--to", "xlsx", "-o", d, "fixtures/docx/result-sum-wrong.docx"])
        .assert()
        .code(0);
    gongkai().args(["check", &format!("{d}/result-sum-wrong.fixed.xlsx")]).assert().code(0);
    // .xls cannot be written: its corrected copy is .xlsx.
    gongkai()
        .args(["fix", "--unsafe-fixes", "-o", d, "fixtures/xls/row-total-off-by-one-libreoffice.xls"])
        .assert()
        .code(0);
    gongkai().args(["check", &format!("{d}/row-total-off-by-one-libreoffice.fixed.xlsx")]).assert().code(0);
}

#[test]
fn convert_and_template_write_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["xlsx", "docx", "json", "csv"] {
        let out = dir.path().join(format!("r.{ext}"));
        gongkai()
            .args(["convert", "fixtures/xls/clean-one-sheet-libreoffice.xls", "-o", out.to_str().unwrap()])
            .assert()
            .code(0);
        assert!(std::fs::metadata(&out).unwrap().len() > 100);
    }
    gongkai()
        .args([
            "convert",
            "fixtures/xls/clean-one-sheet-libreoffice.xls",
            "-o",
            dir.path().join("r.pdf").to_str().unwrap(),
        ])
        .assert()
        .code(2);
    for ext in ["xlsx", "docx"] {
        let out = dir.path().join(format!("t.{ext}"));
        gongkai().args(["template", "--year", "2025", "-o", out.to_str().unwrap()]).assert().code(0);
        gongkai().args(["template", "-o", out.to_str().unwrap()]).assert().code(2);
    }
    gongkai().args(["check", dir.path().join("t.xlsx").to_str().unwrap()]).assert().code(0);
    // The XLSX writer streams rows through a temporary file, and falls back to memory where it cannot make one.
    let no_tmp = dir.path().join("r-no-tmp.xlsx");
    gongkai()
        .env("TMPDIR", dir.path().join("missing"))
        .args(["convert", "fixtures/xls/clean-one-sheet-libreoffice.xls", "-o", no_tmp.to_str().unwrap()])
        .assert()
        .code(0);
    gongkai().args(["check", no_tmp.to_str().unwrap()]).assert().code(0);
    let model_of = |xlsx: &std::path::Path| {
        let json = xlsx.with_extension("model.json");
        gongkai().args(["convert", xlsx.to_str().unwrap(), "-o", json.to_str().unwrap(), "--force"]).assert().code(0);
        let model: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
        (model["values"].clone(), model["sections"].clone(), model["meta"].clone())
    };
    assert_eq!(model_of(&no_tmp), model_of(&dir.path().join("r.xlsx")));
    // rust_xlsxwriter panics when it cannot write a temporary file it made (a full TMPDIR): the workbook is made
    // again in memory, and nothing is printed about the panic.
    let full_tmp = dir.path().join("r-full-tmp.xlsx");
    let out = gongkai()
        .env("GONGKAI_TEST_PANIC_ON", "xlsx-temporary-file")
        .args(["convert", "fixtures/xls/clean-one-sheet-libreoffice.xls", "-o", full_tmp.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(model_of(&full_tmp), model_of(&dir.path().join("r.xlsx")));
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn batch_reads_folders_and_zips_isolates_failures_and_writes_a_dataset() {
    let dir = tempfile::tempdir().unwrap();
    // A zip archive with reports in subfolders, a broken member and a member that will trip the failpoint.
    let zip_path = dir.path().join("archive.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for (name, src) in [
            ("2023/市外办/clean.docx", "fixtures/docx/clean-python-docx.docx"),
            ("2023/市外办/wrong.xlsx", "fixtures/xlsx/row-total-off-by-one.xlsx"),
            ("2024/broken.docx", "fixtures/bad/truncated.docx"),
            ("2024/trips-a-bug.xlsx", "fixtures/xlsx/clean-sheet-per-table.xlsx"),
        ] {
            zip.start_file(name, opts).unwrap();
            std::io::Write::write_all(&mut zip, &std::fs::read(src).unwrap()).unwrap();
        }
        zip.finish().unwrap();
    }
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut cmd = gongkai();
        cmd.env("GONGKAI_TEST_PANIC_ON", "trips-a-bug").args([
            "batch",
            "-j",
            "2",
            "-o",
            out.to_str().unwrap(),
            "--to",
            "xlsx,json",
        ]);
        cmd.args(extra).arg(zip_path.to_str().unwrap()).arg("fixtures/text");
        cmd.output().unwrap()
    };
    let first = run(&[]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let rows = read_csv(&out.join("summary.csv"));
    assert_eq!(rows.len(), 4 + 10, "{rows:?}");
    let status = |id: &str| rows.iter().find(|r| r[0] == id).map(|r| r[5].clone()).unwrap_or_default();
    assert_eq!(status("archive/2023/市外办/clean.docx"), "ok");
    assert_eq!(status("archive/2023/市外办/wrong.xlsx"), "errors");
    assert_eq!(status("archive/2024/broken.docx"), "unreadable");
    assert_eq!(status("archive/2024/trips-a-bug.xlsx"), "failed");
    let values_read = |id: &str| rows.iter().find(|r| r[0] == id).map(|r| r[10].clone()).unwrap_or_default();
    assert_eq!(values_read("archive/2023/市外办/clean.docx"), "200");
    assert_eq!(values_read("archive/2024/broken.docx"), "");
    assert!(out.join("archive/2023/市外办/clean.docx.xlsx").exists());
    // The dataset's values are those of `convert -o .json` of the same file.
    let converted = dir.path().join("c.json");
    gongkai()
        .args(["convert", "fixtures/docx/clean-python-docx.docx", "-o", converted.to_str().unwrap()])
        .assert()
        .code(0);
    let doc: Value = serde_json::from_slice(&std::fs::read(&converted).unwrap()).unwrap();
    let values = read_csv(&out.join("values.csv"));
    let mine: Vec<&Vec<String>> = values.iter().filter(|r| r[0] == "archive/2023/市外办/clean.docx").collect();
    assert_eq!(mine.len(), 200);
    for r in mine {
        let want = &doc["values"][&r[1]];
        let have = if r[2].is_empty() { Value::Null } else { serde_json::from_str(&r[2]).unwrap() };
        assert_eq!(&have, want, "{}", r[1]);
    }
    // keys.csv tells what each key of values.csv is.
    let keys = read_csv(&out.join("keys.csv"));
    assert_eq!(keys.len(), 200);
    assert!(values.iter().all(|v| keys.iter().any(|k| k[0] == v[1])), "a key of values.csv not in keys.csv");
    let key = |k: &str| keys.iter().find(|r| r[0] == k).cloned().unwrap();
    assert_eq!(key("t3.result.total.total")[1..], ["表三", "三、本年度办理结果 › (七)总计 × 总计", "count", "true"]);
    assert_eq!(key("t2.art20_8.admin_fees.amount_wan_yuan")[3], "amount_10k_yuan");
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.jsonl")).unwrap();
    assert!(diagnostics.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()));
    assert!(diagnostics.contains("\"report_id\":\"archive/2023/市外办/wrong.xlsx\""));
    let message = |rows: &[Vec<String>], id: &str| rows.iter().find(|r| r[0] == id).map(|r| r[9].clone());
    assert!(message(&rows, "archive/2024/broken.docx").unwrap().starts_with("文件不完整"), "{rows:?}");
    assert!(message(&rows, "archive/2024/trips-a-bug.xlsx").unwrap().starts_with("gongkai 处理此文件时出错"));
    assert!(stdout(&first).contains("1 个无法读取，1 个处理失败"), "{}", stdout(&first));
    // A rerun skips outputs that are up to date; --force redoes them. In English on request, messages too.
    let second = run(&["--lang", "en"]);
    assert!(stdout(&second).contains("0 files written"), "{}", stdout(&second));
    let rows = read_csv(&out.join("summary.csv"));
    assert!(message(&rows, "archive/2024/broken.docx").unwrap().starts_with("the file is cut short"), "{rows:?}");
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.jsonl")).unwrap();
    assert!(diagnostics.contains("not the sum of the applicant columns"), "{diagnostics}");
    let third = run(&["--force"]);
    assert!(!stdout(&third).contains("写入 0 个文件"), "{}", stdout(&third));
    let leftovers = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn batch_reads_the_zips_inside_a_folder_and_reports_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("archive");
    std::fs::create_dir_all(tree.join("2023")).unwrap();
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(tree.join("2023/市外办.zip")).unwrap());
        zip.start_file("年报/wrong.xlsx", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read("fixtures/xlsx/row-total-off-by-one.xlsx").unwrap())
            .unwrap();
        zip.finish().unwrap();
    }
    std::fs::copy("fixtures/bad/truncated.docx", tree.join("2023/broken.zip")).unwrap();
    // The archive's unpacked copy beside it: its ids stay apart from the members'.
    std::fs::create_dir_all(tree.join("2023/市外办/年报")).unwrap();
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", tree.join("2023/市外办/年报/wrong.xlsx")).unwrap();
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", tree.join("clean.xlsx")).unwrap();
    // A broken zip given by name is a row too: the run goes on. With two inputs, each one's reports go under its name.
    let given = dir.path().join("given.zip");
    std::fs::write(&given, b"PK\x03\x04 not really").unwrap();
    let out = dir.path().join("out");
    let run = gongkai()
        .args(["batch", "-o", out.to_str().unwrap(), given.to_str().unwrap(), tree.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let rows = read_csv(&out.join("summary.csv"));
    let status = |id: &str| rows.iter().find(|r| r[0] == id).map(|r| r[5].as_str());
    assert_eq!(status("archive/2023/市外办.zip/年报/wrong.xlsx"), Some("errors"), "{rows:?}");
    assert_eq!(status("archive/2023/市外办/年报/wrong.xlsx"), Some("ok"), "{rows:?}");
    assert_eq!(status("archive/2023/broken.zip"), Some("unreadable"), "{rows:?}");
    assert_eq!(status("archive/clean.xlsx"), Some("ok"), "{rows:?}");
    assert_eq!(status("given.zip"), Some("unreadable"), "{rows:?}");
    assert!(out.join("archive/2023/市外办.zip/年报/wrong.xlsx.json").exists());
    assert!(out.join("archive/2023/市外办/年报/wrong.xlsx.json").exists());
}

#[test]
fn batch_leaves_out_its_output_folder_refuses_the_input_itself_and_redoes_outputs_after_a_config_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", dir.path().join("a.xlsx")).unwrap();
    std::fs::copy("fixtures/docx/clean-python-docx.docx", dir.path().join("b.docx")).unwrap();
    // `gongkai batch . -o out`, twice, then with --force: the outputs under out/ are never read as reports.
    for extra in [None, None, Some("--force")] {
        let run = gongkai()
            .current_dir(dir.path())
            .args(["batch", ".", "-o", "./out", "--to", "xlsx"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let ids: Vec<String> =
            read_csv(&dir.path().join("out/summary.csv")).into_iter().map(|r| r[0].clone()).collect();
        assert_eq!(ids, ["a.xlsx", "b.docx"]);
    }
    assert!(!dir.path().join("out/out").exists());
    // A gongkai.toml written after the outputs shapes them (here the deadline): the outputs it applies to are redone.
    let config = dir.path().join("gongkai.toml");
    std::fs::write(&config, "deadline = \"03-31\"\n").unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().append(true).open(&config).unwrap().set_modified(later).unwrap();
    let redo = gongkai().current_dir(dir.path()).args(["batch", ".", "-o", "./out", "--to", "xlsx"]).output().unwrap();
    assert!(stdout(&redo).contains("写入 2 个文件，0 个已是最新"), "{}", stdout(&redo));
    let same =
        gongkai().current_dir(dir.path()).args(["batch", ".", "-o", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("输出文件夹就是这个输入文件夹"), "{}", stdout(&same));
    assert!(!dir.path().join("summary.csv").exists(), "nothing is written when the run is refused");
}

#[test]
fn folders_of_published_ofds_are_named_not_passed_over_in_silence_and_their_pdfs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Two PDFs cut short after their header: read, and each explained.
    std::fs::write(dir.path().join("2023年报.pdf"), b"%PDF-1.7\n").unwrap();
    std::fs::write(dir.path().join("2024年报.PDF"), b"%PDF-1.7\n").unwrap();
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.path().join("2024年报.ofd")).unwrap());
        zip.start_file("OFD.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>").unwrap();
        zip.finish().unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    // The PDFs are read, the OFD is named at the end.
    let only = gongkai().args(["check", "--output-format", "concise", folder]).output().unwrap();
    assert_eq!(only.status.code(), Some(1), "two PDFs that cannot be read");
    assert_eq!(line_count_of(&only, "E000 [error] 文件不完整：缺少文件末尾的 PDF 结束标记"), 2, "{}", stdout(&only));
    assert!(stderr(&only).contains("另有 1 个文件未读（OFD 1 个）"), "{}", stderr(&only));
    assert!(!stderr(&only).contains("没有找到年报文件"), "{}", stderr(&only));
    // Beside a report: the JSON on stdout stays whole, the word goes to stderr, in the run's language.
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", dir.path().join("2024年报.xlsx")).unwrap();
    let json = gongkai().args(["check", "--lang", "en", "--output-format", "json", folder]).output().unwrap();
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 3);
    assert!(stderr(&json).contains("1 more file not read (OFD 1)"), "{}", stderr(&json));
    let out = dir.path().join("out");
    let batch = gongkai().args(["batch", folder, "-o", out.to_str().unwrap(), "--to", "none"]).output().unwrap();
    assert_eq!(batch.status.code(), Some(1), "{}", stderr(&batch));
    assert!(stderr(&batch).contains("另有 1 个文件未读"), "{}", stderr(&batch));
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary.iter().filter(|r| r[5] == "unreadable").count(), 2);
    // An OFD named on the command line is read and explained.
    let ofd = dir.path().join("2024年报.ofd");
    let given = gongkai().args(["check", "--output-format", "concise", ofd.to_str().unwrap()]).output().unwrap();
    assert_eq!(given.status.code(), Some(1));
    assert!(stdout(&given).contains("E000 [error] gongkai 不读取这种格式（OFD）"), "{}", stdout(&given));
    // In zips: the PDFs are reports like the others, the OFDs beside them counted.
    let mixed = dir.path().join("收到的.zip");
    let published = dir.path().join("公开的.zip");
    for (path, members) in [(&mixed, &["a.pdf", "b.xlsx"][..]), (&published, &["a.ofd", "b.ofd"][..])] {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for member in members {
            zip.start_file(*member, zip::write::SimpleFileOptions::default()).unwrap();
            let bytes = match &member[2..] {
                "pdf" => b"%PDF-1.7\n".to_vec(),
                "ofd" => b"PK".to_vec(),
                _ => std::fs::read("fixtures/xlsx/clean-one-sheet.xlsx").unwrap(),
            };
            std::io::Write::write_all(&mut zip, &bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    let zips = gongkai().args(["check", mixed.to_str().unwrap(), published.to_str().unwrap()]).output().unwrap();
    assert!(stdout(&zips).contains("收到的.zip/a.pdf: 文件不完整"), "{}", stdout(&zips));
    assert!(stdout(&zips).contains("这是装有 2 个 OFD 文件的压缩包"), "{}", stdout(&zips));
    // Found in a folder, zips are read like given ones, except that one without reports is counted, not an error.
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.path().join("照片.zip")).unwrap());
        zip.start_file("a.jpg", zip::write::SimpleFileOptions::default()).unwrap();
        zip.finish().unwrap();
    }
    let found = gongkai().args(["check", "--output-format", "json", folder]).output().unwrap();
    assert_eq!(found.status.code(), Some(1), "{}", stderr(&found));
    let doc: Value = serde_json::from_slice(&found.stdout).unwrap();
    let paths: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.iter().any(|p| p.ends_with("收到的.zip/b.xlsx")), "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("收到的.zip/a.pdf")), "{paths:?}");
    assert!(stderr(&found).contains("另有 3 个文件未读（OFD 3 个）"), "{}", stderr(&found));
    assert!(stderr(&found).contains("另有 1 个压缩包中没有年报文件，未读：") && stderr(&found).contains("照片.zip"));
    // A folder with nothing gongkai reads says so.
    let empty = tempfile::tempdir().unwrap();
    let none = gongkai().args(["check", empty.path().to_str().unwrap()]).output().unwrap();
    assert!(stderr(&none).contains("没有找到年报文件"), "{}", stderr(&none));
}

#[test]
fn batch_keeps_reports_of_several_inputs_apart() {
    let dir = tempfile::tempdir().unwrap();
    // The same relative path under two year folders, and two folders of one name under two offices.
    for folder in ["2022/市外办", "2023/市外办", "甲局/2023", "乙局/2023"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", dir.path().join(folder).join("年报.xlsx")).unwrap();
    }
    let run = |inputs: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let done = gongkai()
            .current_dir(dir.path())
            .args(["batch", "-o", out.path().to_str().unwrap(), "--to", "json"])
            .args(inputs)
            .output()
            .unwrap();
        assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
        let ids: Vec<String> = read_csv(&out.path().join("summary.csv")).into_iter().map(|r| r[0].clone()).collect();
        for id in &ids {
            assert!(out.path().join(format!("{id}.json")).exists(), "{id}");
        }
        ids
    };
    // A corrected copy `gongkai fix` left beside its original is not a second report.
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", dir.path().join("2022/市外办/年报.fixed.xlsx")).unwrap();
    assert_eq!(run(&["2022", "2023"]), ["2022/市外办/年报.xlsx", "2023/市外办/年报.xlsx"]);
    assert_eq!(run(&["2022"]), ["市外办/年报.xlsx"], "a lone folder is mirrored as it stands");
    assert_eq!(run(&["2022", "./2022/"]), ["市外办/年报.xlsx"], "a folder given twice is read once");
    assert_eq!(run(&["甲局/2023", "乙局/2023"]), ["乙局/2023/年报.xlsx", "甲局/2023/年报.xlsx"]);
    assert_eq!(
        run(&["2022/市外办/年报.xlsx", "2023/市外办/年报.xlsx"]),
        ["2022/市外办/年报.xlsx", "2023/市外办/年报.xlsx"]
    );
}

#[test]
fn fix_into_a_folder_keeps_the_tree_and_never_lets_two_inputs_share_an_output() {
    let dir = tempfile::tempdir().unwrap();
    for year in ["2022", "2023"] {
        std::fs::create_dir_all(dir.path().join("reports").join(year)).unwrap();
        std::fs::copy("fixtures/xlsx/row-total-off-by-one.xlsx", dir.path().join("reports").join(year).join("x.xlsx"))
            .unwrap();
    }
    let fix =
        |args: &[&str]| gongkai().current_dir(dir.path()).args(["fix", "--unsafe-fixes"]).args(args).output().unwrap();
    let tree = fix(&["reports", "-o", "fixed"]);
    assert_eq!(tree.status.code(), Some(0), "{}", String::from_utf8_lossy(&tree.stderr));
    for year in ["2022", "2023"] {
        let out = dir.path().join("fixed").join(year).join("x.fixed.xlsx");
        assert!(out.exists(), "{}", stdout(&tree));
    }
    // Two files of one name given side by side: the first is written, the second refused, --force or not.
    let side = fix(&["reports/2022/x.xlsx", "reports/2023/x.xlsx", "-o", "flat", "--force"]);
    assert_eq!(side.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&side.stderr).contains("本次已由另一个同名文件写入"), "{}", stdout(&side));
    assert!(stdout(&side).contains("reports/2022/x.xlsx: 修改 1 处，写入 flat/x.fixed.xlsx"), "{}", stdout(&side));
}

#[test]
fn check_reads_a_zip_of_reports_and_fix_asks_for_it_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("收到的年报.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        for (name, src) in [
            ("a.xlsx", "fixtures/xlsx/row-total-off-by-one.xlsx"),
            ("b/c.docx", "fixtures/docx/clean-python-docx.docx"),
        ] {
            zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zip, &std::fs::read(src).unwrap()).unwrap();
        }
        zip.finish().unwrap();
    }
    let zip_arg = zip_path.to_str().unwrap();
    let out = gongkai().args(["check", "--output-format", "json", zip_arg]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, [format!("{zip_arg}/a.xlsx"), format!("{zip_arg}/b/c.docx")]);
    assert_eq!(doc["files"][0]["diagnostics"][0]["code"], "C303");
    assert_eq!(doc["files"][1]["diagnostics"].as_array().unwrap().len(), 0, "{}", doc["files"][1]);
    // A gongkai.toml beside the archive applies to its members.
    std::fs::write(dir.path().join("gongkai.toml"), "ignore = [\"C3\"]\n").unwrap();
    gongkai().args(["check", zip_arg]).assert().code(0);
    let fixed = gongkai().args(["fix", zip_arg]).output().unwrap();
    let said = stdout(&fixed);
    assert!(said.contains("装有 2 个文件的压缩包") && said.contains("请先解压"), "{said}");
}

#[test]
fn check_isolates_a_file_that_trips_a_bug() {
    let out = gongkai()
        .env("GONGKAI_TEST_PANIC_ON", "clean-one-sheet.xlsx")
        .args(["check", "--output-format", "concise", "fixtures/xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("clean-one-sheet.xlsx: E000 [error] gongkai 处理此文件时出错"), "{text}");
    assert!(text.contains("row-total-off-by-one.xlsx › 年报!K25: C303"), "the other files were still checked: {text}");
}

#[test]
fn batch_runs_the_cross_year_rules_over_each_agencys_series() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let base = gongkai::import::read(Path::new("fixtures/xlsx/clean-one-sheet.xlsx")).unwrap();
    let number = |v: f64| gongkai::normalize::Parsed::Number { value: v, clean: true, unit: None };
    for (year, carried_forward) in [(2023, 5.0), (2024, 0.0)] {
        let mut r = base.clone();
        r.meta.title = Some(format!("某市人民政府外事办公室{year}年政府信息公开工作年度报告"));
        // 2023 carries 5 applications into 2024, but 2024 says nothing was carried over: C306 on 2024.
        for key in ["t3.carried_forward.natural_person", "t3.carried_forward.total"] {
            let cell = r.cells.get_mut(key).unwrap();
            cell.parsed = number(carried_forward);
            cell.raw = carried_forward.to_string();
        }
        let bytes = gongkai::export::render(&r, gongkai::export::Format::Xlsx, &[]).unwrap();
        std::fs::write(input.join(format!("外事办-{year}.xlsx")), bytes).unwrap();
    }
    let out = dir.path().join("out");
    gongkai().args(["batch", "-o", out.to_str().unwrap(), "--to", "none", input.to_str().unwrap()]).output().unwrap();
    let rows = read_csv(&out.join("summary.csv"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "外事办-2023.xlsx", "sorted by id");
    assert!(!rows[0][8].contains("C306"), "{rows:?}");
    assert!(rows[1][8].contains("C306"), "{rows:?}");
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.jsonl")).unwrap();
    let c306: Vec<Value> = diagnostics
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["code"] == "C306" && d["report_id"] == "外事办-2024.xlsx")
        .collect();
    assert!(!c306.is_empty(), "{diagnostics}");
    assert!(
        c306.iter().all(|d| d["location"]["address"].as_str().is_some_and(|a| a.starts_with("年报!"))),
        "cross-year findings name their cell: {c306:?}"
    );
    // check finds the same, inside the later report's output, pointing at its cell.
    let concise = gongkai().args(["check", "--output-format", "concise", input.to_str().unwrap()]).output().unwrap();
    let text = stdout(&concise);
    let line = text.lines().find(|l| l.contains("C306")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("外事办-2024.xlsx") && line.contains("!"), "{line}");
    let json = gongkai().args(["check", "--output-format", "json", input.to_str().unwrap()]).output().unwrap();
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let codes = |f: &Value| f["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect::<Vec<_>>();
    assert!(!codes(&files[0]).contains(&Value::from("C306")));
    assert!(codes(&files[1]).contains(&Value::from("C306")));
    let counted = ["errors", "warnings", "infos"].iter().map(|k| doc["summary"][k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(counted as usize, files.iter().map(|f| codes(f).len()).sum::<usize>(), "the summary counts C306");
    // The later year listed first: its year before is read after it, and it is read again to be compared.
    let (later, earlier) = (input.join("外事办-2024.xlsx"), input.join("外事办-2023.xlsx"));
    let reversed = gongkai()
        .args(["check", "--output-format", "concise", later.to_str().unwrap(), earlier.to_str().unwrap()])
        .output()
        .unwrap();
    let text = stdout(&reversed);
    let c306: Vec<&str> = text.lines().filter(|l| l.contains("C306")).collect();
    assert_eq!(c306.len(), line_count_of(&concise, "C306"), "{text}");
    assert!(c306.iter().all(|l| l.contains("外事办-2024.xlsx › 年报!")), "{text}");
    let first_file_block = text.split("外事办-2023.xlsx").next().unwrap_or_default();
    assert!(first_file_block.contains("C306"), "the findings follow the later report's own: {text}");
    // The full output draws the row a finding points into: the later report is read again for it.
    let full = gongkai()
        .args(["check", "--output-format", "full", "--no-color", later.to_str().unwrap(), earlier.to_str().unwrap()])
        .output()
        .unwrap();
    let text = stdout(&full);
    let drawn = text.split("C306").nth(1).unwrap_or_default();
    assert!(drawn.contains("二、上年结转政府信息公开申"), "{text}");
}

fn line_count_of(out: &std::process::Output, needle: &str) -> usize {
    stdout(out).lines().filter(|l| l.contains(needle)).count()
}

#[test]
fn github_output_makes_one_annotation_per_finding() {
    let out = gongkai()
        .args([
            "check",
            "--output-format",
            "github",
            "fixtures/xlsx/row-total-off-by-one.xlsx",
            "fixtures/bad/truncated.docx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        commands
            .iter()
            .any(|l| l.starts_with("::error file=fixtures/xlsx/row-total-off-by-one.xlsx,title=C303 年报!K25::")),
        "{text}"
    );
    assert!(commands.iter().any(|l| l.starts_with("::error file=fixtures/bad/truncated.docx,title=E000::")), "{text}");
    // A message never breaks its line: newlines are escaped as the workflow syntax asks.
    assert!(commands.iter().all(|l| l.splitn(3, "::").count() == 3), "{text}");
    assert!(text.contains("%0A"), "help follows the message on an escaped newline: {text}");
}

#[test]
fn sarif_output_is_a_sarif_log_with_every_rule_described() {
    let out = gongkai()
        .args([
            "check",
            "--output-format",
            "sarif",
            "fixtures/xlsx/row-total-off-by-one.xlsx",
            "fixtures/bad/truncated.docx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gongkai");
    let rules: Vec<&str> =
        run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rules.len(), gongkai::lint::rules::ALL.len() + 1, "every rule and E000");
    let results = run["results"].as_array().unwrap();
    assert!(results.iter().all(|r| rules.contains(&r["ruleId"].as_str().unwrap()) && r["message"]["text"].is_string()));
    let c303 = results.iter().find(|r| r["ruleId"] == "C303").expect("C303");
    assert_eq!(c303["level"], "error");
    assert_eq!(c303["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "年报!K25");
    assert_eq!(
        c303["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/xlsx/row-total-off-by-one.xlsx"
    );
    assert!(results.iter().any(|r| r["ruleId"] == "E000"));
}

#[test]
fn statistics_count_the_findings_of_each_rule() {
    let args = ["check", "--statistics", "fixtures/xlsx", "fixtures/bad/truncated.docx"];
    let text = gongkai().args(args).output().unwrap();
    assert_eq!(text.status.code(), Some(1));
    let text = stdout(&text);
    assert!(text.lines().any(|l| l.split_whitespace().nth(1) == Some("E000")), "{text}");
    let concise = gongkai().args(["check", "--output-format", "concise", "fixtures/xlsx"]).output().unwrap();
    let c303 = stdout(&concise).lines().filter(|l| l.contains(": C303 [")).count();
    assert!(c303 > 0);
    let line = text.lines().find(|l| l.split_whitespace().nth(1) == Some("C303")).unwrap_or_else(|| panic!("{text}"));
    assert_eq!(line.split_whitespace().next(), Some(c303.to_string().as_str()), "{line}");

    let json = gongkai().args(args).args(["--output-format", "json"]).output().unwrap();
    let rows: Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most first: {counts:?}");
    let full = gongkai()
        .args(["check", "--output-format", "json", "fixtures/xlsx", "fixtures/bad/truncated.docx"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&full.stdout).unwrap();
    let s = &doc["summary"];
    let total = ["errors", "warnings", "infos", "unreadable"].iter().map(|k| s[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(counts.iter().sum::<u64>(), total, "every finding and unreadable file counted once");
}

#[test]
fn gongkai_toml_selects_ignores_and_sets_severities_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    for name in ["blank-total.xlsx", "row-total-off-by-one.xlsx"] {
        std::fs::copy(Path::new("fixtures/xlsx").join(name), dir.path().join(name)).unwrap();
    }
    std::fs::copy("fixtures/xlsx/balance-broken.xlsx", sub.join("balance-broken.xlsx")).unwrap();
    let check = |extra: &[&str]| {
        let out = gongkai().args(["check", "--output-format", "concise"]).args(extra).arg(dir.path()).output().unwrap();
        (out.status.code(), stdout(&out))
    };
    let (code, before) = check(&[]);
    assert_eq!(code, Some(1));
    assert!(before.contains("V206") && before.contains("C303 [error]") && before.contains("表三!E30: C301"));
    let blank_total = dir.path().join("blank-total.xlsx");
    let fix_diff = || {
        let out = gongkai().args(["fix", "--unsafe-fixes", "--diff"]).arg(&blank_total).output().unwrap();
        stdout(&out)
    };
    assert!(fix_diff().contains("[V206"), "{}", fix_diff());

    std::fs::write(
        dir.path().join("gongkai.toml"),
        "ignore = [\"V206\"]\n[severity]\nC303 = \"warning\"\n[per-file-ignores]\n\"sub/*.xlsx\" = [\"C301@表三!E30\"]\n",
    )
    .unwrap();
    let (code, after) = check(&[]);
    assert_eq!(code, Some(1), "C301 errors remain: {after}");
    assert!(!after.contains("V206"), "ignored: {after}");
    assert!(after.contains("C303 [warning]"), "severity set: {after}");
    assert!(!after.contains("表三!E30: C301"), "ignored in that cell: {after}");
    assert!(after.contains("表三!K30: C301"), "but not in the next one: {after}");
    assert!(!fix_diff().contains("[V206"), "an ignored rule fixes nothing: {}", fix_diff());
    // The command line wins over the file.
    let (_, selected) = check(&["--ignore", "C3"]);
    assert!(selected.contains("V206") && !selected.contains("C30"), "{selected}");

    // batch reads the same file.
    let out = dir.path().join("out");
    gongkai().args(["batch", "-o", out.to_str().unwrap(), "--to", "none"]).arg(dir.path()).assert().code(1);
    let rows = read_csv(&out.join("summary.csv"));
    let codes: Vec<&str> = rows.iter().map(|r| r[8].as_str()).collect();
    assert!(codes.iter().all(|c| !c.contains("V206")), "{rows:?}");

    // The nearest file applies; a wrong one stops the run and names itself.
    std::fs::write(sub.join("gongkai.toml"), "org-type = \"city\"\n").unwrap();
    let out = gongkai().args(["check", "--output-format", "concise"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sub/gongkai.toml") && err.contains("department"), "{err}");
}

#[test]
fn a_run_that_cannot_start_says_why_in_the_run_language() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("已有.json");
    std::fs::write(&existing, "{}").unwrap();
    let existing = existing.to_str().unwrap();
    let cases: [(&[&str], &str, &str); 7] = [
        (&["check", "年报.docxx"], "年报.docxx：找不到这个文件或文件夹", "年报.docxx: no such file or folder"),
        (&["check", "--select", "X999", "fixtures/xlsx"], "`X999` 不是规则代码或名称", "unknown rule `X999`"),
        (&["batch", "不在.zip", "-o", "out"], "不在.zip：找不到这个文件或文件夹", "不在.zip: cannot read the input"),
        (&["batch", "fixtures/xlsx", "-o", existing], "这是文件；-o 需要一个文件夹", "a file; -o takes a folder"),
        (
            &["convert", "fixtures/xlsx/clean-one-sheet.xlsx", "-o", existing],
            "已有.json：已存在；加 --force 可覆盖",
            "已有.json: exists; pass --force to overwrite it",
        ),
        (&["template", "-o", "空白.pdf"], "template 写出 .xlsx 或 .docx", "template writes .xlsx or .docx"),
        (&["rule", "Z999"], "没有规则 `Z999`", "no rule `Z999`"),
    ];
    for (args, zh, en) in cases {
        for (lang, want) in [("zh", zh), ("en", en)] {
            let out =
                gongkai().args(args).args(["--lang", lang]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(want), "{args:?} --lang {lang}: {err}");
        }
    }
    assert_eq!(std::fs::read_to_string(dir.path().join("已有.json")).unwrap(), "{}", "the existing file is kept");
}

#[test]
fn html_output_is_one_page_with_each_file_and_its_tables() {
    let out = gongkai()
        .args([
            "check",
            "--output-format",
            "html",
            "fixtures/xlsx/row-total-off-by-one.xlsx",
            "fixtures/bad/truncated.docx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let page = stdout(&out);
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</body></html>\n"), "{page}");
    assert_eq!(page.matches("<section").count(), 2, "{page}");
    assert_eq!(page.matches("</section>").count(), 2, "{page}");
    assert_eq!(page.matches("<table").count(), page.matches("</table>").count());
    assert!(page.contains("title=\"年报!K25: C303"), "the bad cell carries its finding: {page}");
    assert!(page.contains("<section class=\"file unreadable\"><h2>fixtures/bad/truncated.docx</h2>"), "{page}");
    assert!(!page.contains("<script"), "self-contained and inert");
}

#[test]
fn a_baseline_accepts_the_findings_a_run_had_and_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy("fixtures/xlsx/row-total-off-by-one.xlsx", input.join("a.xlsx")).unwrap();
    let baseline = dir.path().join("baseline.json");
    let run = |extra: &[&std::ffi::OsStr]| {
        gongkai().args(["check", "--output-format", "concise"]).args(extra).arg(&input).output().unwrap()
    };
    let written = run(&["--write-baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(written.status.code(), Some(0), "its findings are accepted from now on");
    assert!(stdout(&written).contains("C303"), "the run still shows them");
    let accepted = run(&["--baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(accepted.status.code(), Some(0));
    assert!(!stdout(&accepted).contains("C303"), "{}", stdout(&accepted));
    // A new report's findings are not in the baseline.
    std::fs::copy("fixtures/xlsx/blank-total.xlsx", input.join("b.xlsx")).unwrap();
    let new = run(&["--baseline".as_ref(), baseline.as_os_str()]);
    assert_eq!(new.status.code(), Some(1));
    let text = stdout(&new);
    assert!(text.contains("b.xlsx") && text.contains("V206") && !text.contains("a.xlsx"), "{text}");
    // `fix` leaves the accepted findings alone and mends the new ones.
    let fixed =
        gongkai().args(["fix", "--unsafe-fixes", "--diff", "--baseline"]).arg(&baseline).arg(&input).output().unwrap();
    let text = stdout(&fixed);
    assert!(text.contains("a.xlsx: 没有可自动修复的问题"), "{text}");
    assert!(text.contains("b.xlsx ›") && text.contains("V206"), "{text}");
    let unbaselined = gongkai().args(["fix", "--unsafe-fixes", "--diff"]).arg(&input).output().unwrap();
    assert!(stdout(&unbaselined).contains("a.xlsx ›"), "{}", stdout(&unbaselined));
    // `batch` leaves them out of the dataset.
    let out = dir.path().join("out");
    gongkai()
        .args(["batch", "--to", "none", "--baseline"])
        .arg(&baseline)
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let summary = read_csv(&out.join("summary.csv"));
    let status: Vec<(&str, &str)> = summary.iter().map(|r| (r[0].as_str(), r[5].as_str())).collect();
    assert_eq!(status, [("a.xlsx", "ok"), ("b.xlsx", "errors")]);
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.jsonl")).unwrap();
    assert!(!diagnostics.contains("C303") && diagnostics.contains("V206"), "{diagnostics}");
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    use std::io::Read;
    // Output well beyond a pipe's buffer, and a reader that takes a few bytes and leaves (`gongkai check | head`).
    // Forty copies of the fixture workbooks: a folder given twice is read once.
    let dir = tempfile::tempdir().unwrap();
    for copy in 0..40 {
        let folder = dir.path().join(copy.to_string());
        std::fs::create_dir_all(&folder).unwrap();
        for entry in std::fs::read_dir("fixtures/xlsx").unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--output-format", "full"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the run did not finish");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_table_dumped_as_one_line_is_drawn_from_the_row_a_finding_is_on() {
    // The web page's text is one line: title, text and all three tables. The drawn line starts at the row the
    // finding is about, not at the page's title.
    let out = gongkai()
        .args(["check", "--no-color", "--output-format", "full", "fixtures/text/run-together-ambiguous.txt"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let drawn = text.lines().find(|l| l.trim_start().starts_with("9 │")).unwrap_or_else(|| panic!("{text}"));
    assert!(drawn.contains("…行政规范性文件77132470"), "{text}");
}

/// Archives are often arranged with symbolic links (a view by year over folders by agency): the files behind them
/// are read, each once, a link back up the tree is not walked twice, and a link to nothing is a row that says why.
#[cfg(unix)]
#[test]
fn folders_arranged_with_links_are_read_through_them() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("archive");
    std::fs::create_dir_all(tree.join("by-agency/市外办")).unwrap();
    std::fs::create_dir_all(tree.join("by-year")).unwrap();
    std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", tree.join("by-agency/市外办/2023.xlsx")).unwrap();
    std::fs::create_dir_all(tree.join("elsewhere")).unwrap();
    std::fs::copy("fixtures/xlsx/missing-row.xlsx", tree.join("elsewhere/2024.xlsx")).unwrap();
    symlink("../by-agency/市外办/2023.xlsx", tree.join("by-year/2023-市外办.xlsx")).unwrap();
    symlink("../elsewhere/2024.xlsx", tree.join("by-year/2024-市外办.xlsx")).unwrap();
    symlink("../by-agency", tree.join("by-year/all")).unwrap();
    symlink("..", tree.join("by-agency/up")).unwrap();
    symlink("../missing.docx", tree.join("by-year/2022-市外办.docx")).unwrap();
    // A link to itself cannot be opened: the run says so at its end.
    symlink("itself", tree.join("itself")).unwrap();

    let out = dir.path().join("out");
    let run = gongkai().args(["batch", "-o", out.to_str().unwrap(), tree.to_str().unwrap()]).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let rows = read_csv(&out.join("summary.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    // by-year/2023-市外办.xlsx and by-year/all/市外办/2023.xlsx are by-agency/市外办/2023.xlsx again, and
    // by-year/2024-市外办.xlsx, met first, is elsewhere/2024.xlsx: each is read once, under its own path.
    assert_eq!(ids, ["by-agency/市外办/2023.xlsx", "by-year/2022-市外办.docx", "elsewhere/2024.xlsx"], "{rows:?}");
    let broken = &rows[1];
    assert_eq!(broken[5], "unreadable", "{broken:?}");
    assert_eq!(broken[9], "文件是指向 ../missing.docx 的链接，而那里没有文件", "{broken:?}");
    assert!(out.join("elsewhere/2024.xlsx.json").exists());

    let check = gongkai()
        .args(["check", "--output-format", "concise", "--lang", "en", tree.to_str().unwrap()])
        .output()
        .unwrap();
    let text = stdout(&check);
    assert!(
        text.contains(
            "by-year/2022-市外办.docx: E000 [error] the file is a link to ../missing.docx, which does not exist"
        ),
        "{text}"
    );
    assert!(text.contains("checked 3 files") && text.contains("1 unreadable"), "{text}");
    let said = String::from_utf8_lossy(&check.stderr);
    // by-year/2023-市外办.xlsx and by-year/2024-市外办.xlsx (files read by their own paths), by-year/all and
    // by-agency/up (folders in the tree).
    assert!(said.contains("4 more links to files or folders read by another path, not read twice"), "{said}");
    assert!(
        said.contains("1 more folder or file could not be opened, not read (check permissions and links)"),
        "{said}"
    );
    assert!(said.contains("itself: Too many levels of symbolic links"), "{said}");
}

#[test]
fn usage_errors_say_in_the_language_of_the_run_what_is_wrong() {
    let said = |args: &[&str]| {
        let out = gongkai().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let text = said(&["check", "--bogus", "x.xlsx"]);
    assert!(text.starts_with("gongkai: 不认识的参数"), "{text}");
    assert!(text.contains("--bogus"), "{text}");
    assert!(said(&[]).starts_with("gongkai: 请给出一个命令"));
    assert!(said(&["chek", "x.xlsx"]).starts_with("gongkai: 没有命令 chek（是否想用 check？）"));
    let text = said(&["check", "--lang", "en", "--output-format", "xml", "x.xlsx"]);
    assert!(text.contains("invalid value 'xml'") && !text.contains("参数"), "{text}");
    let help = gongkai().arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("batch"));
}

/// Links can make exponentially many paths through a few folders (each of thirty folders linking twice to the
/// next): the walk takes each folder once, inside the tree by its own path, outside it however many links lead there.
#[cfg(unix)]
#[test]
fn a_web_of_links_is_walked_once_per_folder() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (tree, outside) = (dir.path().join("archive"), dir.path().join("outside"));
    for (root, prefix) in [(&tree, "L"), (&outside, "M")] {
        for i in 0..=30 {
            std::fs::create_dir_all(root.join(format!("{prefix}{i}"))).unwrap();
        }
        for i in 0..30 {
            for name in ["a", "b"] {
                symlink(format!("../{prefix}{}", i + 1), root.join(format!("{prefix}{i}/{name}"))).unwrap();
            }
        }
        std::fs::copy("fixtures/xlsx/clean-one-sheet.xlsx", root.join(format!("{prefix}30/report.xlsx"))).unwrap();
    }
    symlink("../outside/M0", tree.join("into")).unwrap();
    let check = gongkai()
        .timeout(std::time::Duration::from_secs(60))
        .args(["check", "--output-format", "concise", "--lang", "en", tree.to_str().unwrap()])
        .output()
        .unwrap();
    let text = stdout(&check);
    assert!(text.contains("checked 2 files"), "{text}");
    // The 60 links between the L folders; of the M folders' 60, the 30 that lead to a folder walked already.
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(said.contains("90 more links to files or folders read by another path"), "{said}");
}
