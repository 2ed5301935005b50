//! `gongkai serve` over HTTP, as the page and hostile pages use it: a check and its downloads, the refusals that
//! keep other sites out, the limits, hostile files, a panic contained, and a bounded load test. The page itself
//! is driven in a real browser in tests/browser.rs.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{Server, get, request, upload};

const BAD_TOTAL: &str = "fixtures/xlsx/row-total-off-by-one.xlsx";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_dropped_workbook_is_checked_and_its_fix_downloaded() {
    let server = Server::start(&[], &[]);
    let page = get(server.address, "/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("app.js") && page.header("content-security-policy").is_some());
    assert_eq!(get(server.address, "/app.js").status, 200);

    let reply = upload(server.address, &[("row-total-off-by-one.xlsx", &fixture(BAD_TOTAL))], &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let view = &reply.json()["files"][0];
    assert_eq!(view["errors"], 2, "{view}");
    assert_eq!(view["verdict"], "2 个错误，0 个警告");
    let html = view["html"].as_str().unwrap();
    assert!(html.contains("title=\"年报!K25: C303"), "the bad cell is drawn marked");
    assert_eq!(view["unsafe_changes"][0], "年报!K25: 17 → 16（C303 t3-row-total）");
    assert_eq!(view["fixed_in_place"], true);
    let id = view["id"].as_str().unwrap();

    // Safe fixes only change nothing here; with the ticked box the total is corrected in the clerk's own workbook.
    let fixed = get(server.address, &format!("/api/download/{id}/fixed?unsafe=1"));
    assert_eq!(fixed.status, 200);
    assert!(fixed.header("content-disposition").unwrap().contains("row-total-off-by-one.fixed.xlsx"));
    let report = gongkai::import::read_bytes("fixed.xlsx", &fixed.body).unwrap();
    assert_eq!(report.cell("t3.new_received.total").unwrap().raw, "16");
    assert!(gongkai::lint::check(&report).iter().all(|d| d.severity != gongkai::lint::Severity::Error));

    for (kind, starts) in [
        ("xlsx", &b"PK"[..]),
        ("docx", b"PK"),
        ("json", b"{"),
        ("csv", "\u{feff}key,".as_bytes()),
        ("html", b"<!DOCTYPE"),
    ] {
        let got = get(server.address, &format!("/api/download/{id}/{kind}"));
        assert_eq!(got.status, 200, "{kind}: {}", got.text());
        assert!(got.body.starts_with(starts), "{kind}: {:?}", &got.body[..got.body.len().min(20)]);
    }
    let english = get(server.address, &format!("/api/result/{id}?lang=en")).json();
    assert_eq!(english["verdict"], "2 errors, 0 warnings");
    let rule = get(server.address, "/api/rule/C303?lang=en");
    assert!(rule.text().contains("# C303 t3-row-total"), "{}", rule.text());
    let template = get(server.address, "/api/template?year=2025&to=docx");
    assert_eq!(template.status, 200);
    assert_eq!(gongkai::import::read_bytes("t.docx", &template.body).unwrap().meta.year, Some(2025));
    assert_eq!(get(server.address, "/api/download/0000/xlsx").status, 404, "an unknown id has expired");
}

#[test]
fn a_zip_of_reports_gives_a_result_for_each() {
    let server = Server::start(&[], &[]);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, path) in [("甲局.xlsx", BAD_TOTAL), ("乙局.docx", "fixtures/docx/clean-python-docx.docx")] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, &fixture(path)).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let reply = upload(server.address, &[("收到的年报.zip", &bytes)], &[]);
    let files = reply.json()["files"].as_array().unwrap().clone();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["收到的年报.zip/乙局.docx", "收到的年报.zip/甲局.xlsx"]);
    assert_eq!(files[0]["verdict"], "通过");
    assert_eq!(files[1]["errors"], 2);
    // The member is fixed in place too.
    let id = files[1]["id"].as_str().unwrap();
    let fixed = get(server.address, &format!("/api/download/{id}/fixed?unsafe=1"));
    assert!(fixed.header("content-disposition").unwrap().contains("%E7%94%B2%E5%B1%80.fixed.xlsx"));
}

#[test]
fn other_sites_are_refused() {
    let server = Server::start(&[], &[]);
    let (address, port) = (server.address, server.address.port());
    let host = |h: &str| request(address, "GET", "/", &[("Host", h)], &[]).status;
    assert_eq!(host(&format!("localhost:{port}")), 200);
    assert_eq!(host(&format!("127.0.0.1:{port}")), 200);
    // DNS rebinding: a name of the attacker's resolving to 127.0.0.1.
    assert_eq!(host(&format!("attacker.example:{port}")), 403);
    assert_eq!(host("127.0.0.1:1"), 403, "another port");
    assert_eq!(host(&format!("192.168.1.5:{port}")), 403, "a loopback server answers to loopback addresses");
    // A cross-site post, by its Origin, or by the browser's word.
    let file = fixture(BAD_TOTAL);
    let files = [("a.xlsx", file.as_slice())];
    let refused = upload(address, &files, &[("Origin", "http://attacker.example")]);
    assert_eq!(refused.status, 403);
    assert!(refused.json()["error"].as_str().unwrap().contains("其他网站"));
    assert_eq!(upload(address, &files, &[("Origin", "null")]).status, 403);
    assert_eq!(upload(address, &files, &[("Sec-Fetch-Site", "cross-site")]).status, 403);
    let own = format!("http://{address}");
    assert_eq!(upload(address, &files, &[("Origin", &own), ("Sec-Fetch-Site", "same-origin")]).status, 200);
    // The page may not be framed.
    assert_eq!(get(address, "/").header("x-frame-options"), Some("DENY"));
}

#[test]
fn a_token_is_asked_of_every_request_when_given() {
    let server = Server::start(&["--token", "s3cret"], &[]);
    let address = server.address;
    assert_eq!(get(address, "/").status, 401);
    assert!(get(address, "/").json()["error"].as_str().unwrap().contains("口令"));
    assert_eq!(get(address, "/?token=wrong").status, 401);
    assert_eq!(get(address, "/?token=s3cret").status, 200);
    assert_eq!(get(address, "/app.js?token=s3cret").status, 200);
    let file = fixture(BAD_TOTAL);
    assert_eq!(upload(address, &[("a.xlsx", &file)], &[("X-Gongkai-Token", "s3cret")]).status, 200);
    assert_eq!(upload(address, &[("a.xlsx", &file)], &[]).status, 401);
}

#[test]
fn each_limit_is_said_and_the_server_keeps_serving() {
    let server = Server::start(&["--lang", "en"], &[]);
    let address = server.address;
    // Over the 50 MB of one upload.
    let big = vec![b'x'; 51 * 1024 * 1024];
    let reply = upload(address, &[("big.xlsx", &big)], &[]);
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert!(reply.json()["error"].as_str().unwrap().contains("50 MB"), "{}", reply.text());
    // More files than one upload takes.
    let file = fixture(BAD_TOTAL);
    let many: Vec<(&str, &[u8])> = (0..21).map(|_| ("a.xlsx", file.as_slice())).collect();
    let reply = upload(address, &many, &[]);
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("at most 20 files"), "{}", reply.text());
    assert_eq!(upload(address, &[], &[]).status, 400, "no file");
    // Hostile files are bounded as in the CLI: said for that file, the others checked.
    let (data, crc) = common::zeros_deflate(1024);
    let bomb = common::zip_with_raw_entry("word/document.xml", &data, crc, 1 << 30);
    let reply = upload(address, &[("bomb.docx", &bomb), ("a.xlsx", &file), ("old.doc", b"\xd0\xcf\x11\xe0rest")], &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let files = reply.json()["files"].as_array().unwrap().clone();
    assert_eq!(files[0]["readable"], false);
    assert!(files[0]["html"].as_str().unwrap().contains("limit"), "{}", files[0]["html"]);
    assert_eq!(files[1]["errors"], 2);
    assert!(files[2]["html"].as_str().unwrap().contains(".docx"), "a .doc is told to be saved as .docx");
    assert_eq!(get(address, "/").status, 200);
}

/// Debug builds only: the failpoint that makes a check panic is compiled out of release builds.
#[cfg(debug_assertions)]
#[test]
fn a_panic_in_one_check_is_that_files_alone() {
    let server = Server::start(&[], &[("GONGKAI_TEST_PANIC_ON", "trips-a-bug")]);
    let file = fixture(BAD_TOTAL);
    let reply = upload(server.address, &[("trips-a-bug.xlsx", &file), ("a.xlsx", &file)], &[]);
    assert_eq!(reply.status, 200);
    let files = reply.json()["files"].as_array().unwrap().clone();
    assert_eq!(files[0]["readable"], false);
    assert!(files[0]["html"].as_str().unwrap().contains("gongkai 处理此文件时出错"), "{}", files[0]["html"]);
    assert_eq!(files[1]["errors"], 2);
    assert_eq!(upload(server.address, &[("b.xlsx", &file)], &[]).json()["files"][0]["errors"], 2);
}

/// 200 uploads from 20 clients at once: every answer right, memory bounded, the server still answering. (The
/// figures are printed for the notes: `cargo test --release --test serve load -- --nocapture`.)
#[test]
fn load_200_uploads_from_20_clients() {
    let server = Arc::new(Server::start(&[], &[]));
    let workbook = Arc::new(fixture(BAD_TOTAL));
    let document = Arc::new(fixture("fixtures/docx/clean-python-docx.docx"));
    let started = Instant::now();
    let clients: Vec<_> = (0..20)
        .map(|client| {
            let (server, workbook, document) = (server.clone(), workbook.clone(), document.clone());
            std::thread::spawn(move || {
                let mut slowest = std::time::Duration::ZERO;
                for n in 0..10 {
                    let t = Instant::now();
                    let (name, bytes, errors) = if (client + n) % 2 == 0 {
                        ("a.xlsx", workbook.as_slice(), 2)
                    } else {
                        ("b.docx", document.as_slice(), 0)
                    };
                    let reply = upload(server.address, &[(name, bytes)], &[]);
                    assert_eq!(reply.status, 200, "{}", reply.text());
                    assert_eq!(reply.json()["files"][0]["errors"], errors, "client {client} upload {n}");
                    slowest = slowest.max(t.elapsed());
                }
                slowest
            })
        })
        .collect();
    let slowest = clients.into_iter().map(|c| c.join().unwrap()).max().unwrap();
    let took = started.elapsed();
    let peak = server.peak_memory();
    assert_eq!(get(server.address, "/").status, 200, "still answering");
    let t = Instant::now();
    let one = upload(server.address, &[("a.xlsx", &workbook)], &[]);
    let first_result = t.elapsed();
    assert_eq!(one.status, 200);
    println!(
        "load: 200 uploads from 20 clients in {took:.2?} (slowest {slowest:.2?}); one upload alone {first_result:.2?}; \
         server peak memory {} MB",
        peak.map_or("?".into(), |b| (b / 1024 / 1024).to_string())
    );
    if let Some(peak) = peak {
        assert!(peak < 512 * 1024 * 1024, "peak memory {peak} bytes");
    }
}

/// Debug builds only (a failpoint makes a check slow): a check over its time is said (504), an upload beyond the
/// queue is told the server is busy (503), and the server serves on.
#[cfg(debug_assertions)]
#[test]
fn a_slow_check_and_a_full_queue_are_said() {
    let args = ["--max-checks", "1", "--queue", "0", "--check-seconds", "1"];
    let server = Arc::new(Server::start(&args, &[("GONGKAI_TEST_SLOW_ON", "slow")]));
    let file = fixture(BAD_TOTAL);
    let slow = {
        let (server, file) = (server.clone(), file.clone());
        std::thread::spawn(move || upload(server.address, &[("slow.xlsx", &file)], &[]))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let busy = upload(server.address, &[("a.xlsx", &file)], &[]);
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert!(busy.json()["error"].as_str().unwrap().contains("服务器正忙"));
    let slow = slow.join().unwrap();
    assert_eq!(slow.status, 504, "{}", slow.text());
    assert!(slow.json()["error"].as_str().unwrap().contains("1 秒"), "{}", slow.text());
    // The slow check still holds its turn until it ends; then the next one runs.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let after = upload(server.address, &[("a.xlsx", &file)], &[]);
    assert_eq!(after.status, 200, "{}", after.text());
}
