//! Every example of the README runs: the output the Quick start shows is what `check` prints, each command of the
//! "More" list runs against fixtures named as the README names them (exit 0 or 1, never a usage error or a crash),
//! the `gongkai.toml` example is a configuration gongkai accepts, and the pandas and duckdb snippets read the dataset
//! `batch` writes (where those packages are installed). The README cannot drift from the program again unnoticed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string("README.md").unwrap()
}

/// The README's fenced code blocks: (language, body).
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else { break };
        let lang = after[..line_end].trim().to_string();
        let body_start = &after[line_end + 1..];
        let Some(end) = body_start.find("```") else { break };
        out.push((lang, body_start[..end].to_string()));
        rest = &body_start[end + 3..];
    }
    out
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongkai"))
}

fn copy(from: &str, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{from}: {e}"));
}

fn zip_of(path: &Path, members: &[(&str, &str)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, from) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(from).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

/// A folder holding the files the README's commands name, made from fixtures.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    copy("fixtures/xlsx/row-total-off-by-one.xlsx", &at("a.xlsx"));
    copy("fixtures/docx/result-sum-wrong.docx", &at("a.docx"));
    copy("fixtures/html/gbk-page.html", &at("年报.html"));
    copy("fixtures/pdf/clean-writer-libreoffice.pdf", &at("年报.pdf"));
    copy("fixtures/xlsx/clean-one-sheet.xlsx", &at("reports/2023/市外办.xlsx"));
    copy("fixtures/docx/result-sum-wrong.docx", &at("reports/2023/教育局.docx"));
    copy("fixtures/pdf/result-sum-wrong-writer-libreoffice.pdf", &at("reports/2024/市外办.pdf"));
    copy("fixtures/text/pipe-rows.md", &at("reports/2024/教育局.md"));
    zip_of(
        &at("收到的年报.zip"),
        &[("甲局.docx", "fixtures/docx/clean-python-docx.docx"), ("乙局.xlsx", "fixtures/xlsx/t4-total-wrong.xlsx")],
    );
    zip_of(&at("archive.zip"), &[("2023/丙局.docx", "fixtures/docx/clean-libreoffice.docx")]);
    dir
}

/// A command line of the README without its comment (`  # …`).
fn command_of(line: &str) -> Option<String> {
    let line = line.trim();
    if !line.starts_with("gongkai ") {
        return None;
    }
    let command = match line.find("  #") {
        Some(at) => &line[..at],
        None => line,
    };
    Some(command.trim().to_string())
}

fn run_shell(dir: &Path, command: &str) -> std::process::Output {
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("sh").arg("-c").arg(command).current_dir(dir).env("PATH", path).env("NO_COLOR", "1").output().unwrap()
}

/// A `gongkai serve` line serves until stopped: it must print its address (on a free port, the browser a no-op),
/// then it is stopped.
fn serves(dir: &Path, command: &str) {
    use std::io::BufRead;
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {command} --port 0"))
        .current_dir(dir)
        .env("PATH", path)
        .env("BROWSER", "true")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("gongkai serve: http://"), "`{command}` printed {line:?}");
}

#[test]
fn the_quick_starts_output_is_what_check_prints() {
    let text = readme();
    let shown = blocks(&text).into_iter().find(|(lang, _)| lang == "text").expect("the Quick start's output").1;
    let out = Command::new(binary())
        .args(["check", "fixtures/xlsx/row-total-off-by-one.xlsx"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains(shown.trim_end()), "the README shows:\n{shown}\ncheck prints:\n{printed}");
    // The set-up command names the same file.
    assert!(text.contains("cargo run --release -- check fixtures/xlsx/row-total-off-by-one.xlsx"));
}

#[test]
fn every_command_the_readme_lists_runs() {
    let text = readme();
    let dir = workspace();
    let mut ran = 0;
    let mut failures = Vec::new();
    for (lang, body) in blocks(&text).into_iter().filter(|(lang, _)| lang == "sh") {
        let _ = lang;
        for command in body.lines().filter_map(command_of) {
            if command.starts_with("gongkai serve") {
                serves(dir.path(), &command);
                ran += 1;
                continue;
            }
            let out = run_shell(dir.path(), &command);
            ran += 1;
            let code = out.status.code();
            if !matches!(code, Some(0) | Some(1)) {
                failures.push(format!(
                    "`{command}` exited {code:?}:\n{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(ran >= 20, "only {ran} commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // What they promise to write is there.
    for written in
        ["a.json", "标准.xlsx", "年报.xlsx", "a.fixed.xlsx", "gongkai.sarif", "检查结果.html", "out/summary.csv"]
    {
        assert!(dir.path().join(written).exists(), "{written} was not written");
    }
}

#[test]
fn the_configuration_example_is_accepted() {
    let text = readme();
    let toml = blocks(&text).into_iter().find(|(lang, _)| lang == "toml").expect("the gongkai.toml example").1;
    let dir = workspace();
    std::fs::write(dir.path().join("gongkai.toml"), &toml).unwrap();
    let out =
        Command::new(binary()).args(["check", "--output-format", "concise", "."]).current_dir(dir.path()).output();
    let out = out.unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "the README's gongkai.toml stops the run:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Python with the given modules, or `None` (the snippet is then skipped, saying so).
fn python_with(modules: &[&str]) -> Option<()> {
    let probe = Command::new("python3").arg("-c").arg(format!("import {}", modules.join(", "))).output().ok()?;
    if probe.status.success() {
        Some(())
    } else {
        eprintln!("skipped: python3 with {} is not installed", modules.join(", "));
        None
    }
}

#[test]
fn the_dataset_snippets_read_what_batch_writes() {
    let text = readme();
    let dir = workspace();
    let out = run_shell(dir.path(), "gongkai batch archive.zip reports/ -o out/ --to xlsx,json");
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "{}", String::from_utf8_lossy(&out.stderr));
    if python_with(&["pandas"]).is_some() {
        let snippet = blocks(&text).into_iter().find(|(lang, _)| lang == "python").unwrap().1;
        let script = format!("{snippet}\nassert len(wide) >= 3, wide\nprint(len(wide), len(whole))\n");
        let out = Command::new("python3").arg("-c").arg(script).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "the pandas snippet fails:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    if python_with(&["duckdb"]).is_some() {
        let sql = blocks(&text).into_iter().find(|(lang, _)| lang == "sql").unwrap().1;
        let script =
            format!("import duckdb\nrows = duckdb.sql({:?}).fetchall()\nassert rows, rows\nprint(rows)\n", sql);
        let out = Command::new("python3").arg("-c").arg(script).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "the duckdb query fails:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}
