//! The page of `gongkai serve` in a real browser: headless Chromium driven over WebDriver (chromedriver, from
//! Debian's `chromium-driver`, which `.ci/run` installs). A clerk picks a workbook with a bad total, sees the cell
//! marked and its message listed, clicks the finding to find the cell, reads the rule, ticks the box of the change
//! that corrects a number, and downloads their own workbook corrected: gongkai and openpyxl read it back.
//! Skipped, with a message, where Chromium or chromedriver is missing.

mod common;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{Server, request};
use serde_json::{Value, json};

struct Driver {
    child: Child,
    address: SocketAddr,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(self.address, "DELETE", &format!("/session/{}", self.session), &[], &[]);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn found(program: &str) -> Option<String> {
    ["/usr/bin/", "/usr/local/bin/", "/usr/lib/chromium/"]
        .iter()
        .map(|dir| format!("{dir}{program}"))
        .find(|p| std::path::Path::new(p).exists())
}

impl Driver {
    fn start() -> Option<Driver> {
        let (Some(driver), Some(browser)) = (found("chromedriver"), found("chromium")) else {
            eprintln!("skipped: chromium and chromedriver are needed (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(address).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1366,768", "--lang=zh-CN"]
            }
        }}});
        let mut driver = Driver { child, address, session: String::new() };
        let reply = driver.call("POST", "/session", capabilities);
        driver.session = reply["sessionId"].as_str().expect("a session").to_string();
        Some(driver)
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let headers: &[(&str, &str)] = if body.is_empty() { &[] } else { &[("Content-Type", "application/json")] };
        let reply = request(self.address, method, path, headers, body.as_bytes());
        let value: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        assert!(reply.status < 400, "{method} {path}: {}", reply.text());
        value["value"].clone()
    }

    fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn go(&self, url: &str) {
        self.session("POST", "/url", json!({ "url": url }));
    }

    /// The elements a CSS selector finds, waiting up to `wait` for one.
    fn find_all(&self, css: &str, wait: Duration) -> Vec<String> {
        let started = Instant::now();
        loop {
            let found = self.session("POST", "/elements", json!({"using": "css selector", "value": css}));
            let ids: Vec<String> = found
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e.as_object()?.values().next()?.as_str().map(str::to_string))
                .collect();
            if !ids.is_empty() || started.elapsed() > wait {
                return ids;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn find(&self, css: &str) -> String {
        self.find_all(css, Duration::from_secs(10)).into_iter().next().unwrap_or_else(|| panic!("no {css}"))
    }

    fn text(&self, element: &str) -> String {
        self.session("GET", &format!("/element/{element}/text"), Value::Null).as_str().unwrap_or("").to_string()
    }

    fn attribute(&self, element: &str, name: &str) -> String {
        let value = self.session("GET", &format!("/element/{element}/attribute/{name}"), Value::Null);
        value.as_str().unwrap_or("").to_string()
    }

    fn click(&self, element: &str) {
        self.session("POST", &format!("/element/{element}/click"), json!({}));
    }

    fn script(&self, script: &str, args: Value) -> Value {
        self.session("POST", "/execute/async", json!({"script": script, "args": args}))
    }
}

#[test]
fn a_clerk_drops_a_workbook_sees_the_bad_cell_and_downloads_it_corrected() {
    let Some(driver) = Driver::start() else { return };
    let server = Server::start(&[], &[]);
    let started = Instant::now();
    driver.go(&server.url("/"));
    assert!(driver.text(&driver.find("#drop")).contains("把年报文件拖到这里"));

    // The file dialog: the fixture's path typed into the file input, as the browser's dialog would give it.
    let path = std::fs::canonicalize("fixtures/xlsx/row-total-off-by-one.xlsx").unwrap();
    let input = driver.find("#files");
    driver.session("POST", &format!("/element/{input}/value"), json!({ "text": path.display().to_string() }));
    let verdict = driver.find(".card .verdict");
    let first_result = started.elapsed();
    assert_eq!(driver.text(&verdict), "2 个错误，0 个警告");

    // The bad cell is marked, and its finding listed with its address.
    let cell = driver.find("td.error[title^='年报!K25: C303']");
    assert_eq!(driver.text(&cell), "17");
    let finding = driver.find("ul.findings li.error");
    let said = driver.text(&finding);
    assert!(said.contains("C303") && said.contains("年报!K25") && said.contains("16"), "{said}");
    // Clicking the finding points at its cell.
    driver.click(&finding);
    let focused = driver.find("td.focus");
    assert_eq!(driver.attribute(&focused, "data-cell"), driver.attribute(&cell, "data-cell"));
    // The rule code opens its explanation.
    driver.click(&driver.find("ul.findings li.error .code a"));
    let explanation = driver.text(&driver.find("dialog#rule[open] pre"));
    assert!(explanation.contains("C303") && explanation.contains("## 作用"), "{explanation}");
    driver.click(&driver.find("dialog#rule button"));

    // The change that corrects a number is listed, and applied once ticked.
    let changes = driver.text(&driver.find(".downloads ul.changes"));
    assert!(changes.contains("年报!K25: 17 → 16"), "{changes}");
    driver.click(&driver.find(".downloads input.unsafe"));
    let link = driver.find(".downloads a.fixed");
    assert!(driver.attribute(&link, "href").contains("unsafe=1"));
    assert_eq!(driver.attribute(&link, "download"), "row-total-off-by-one.fixed.xlsx");

    // Pictures of the page as the clerk sees it on a 1366×768 screen, and whole (the README's is made this way).
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let screenshot = |name: &str| {
        let png = driver.session("GET", "/screenshot", Value::Null);
        let png = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        std::fs::write(shots.join(name), &png).unwrap();
    };
    screenshot("serve-page.png");
    driver.session("POST", "/window/rect", json!({"width": 1366, "height": 1500}));
    driver.script("window.scrollTo(0, 0); arguments[arguments.length - 1]();", json!([]));
    screenshot("serve-page-whole.png");

    // Downloaded by the page's own link, as the browser fetches it.
    let fetched = driver.script(
        "const done = arguments[arguments.length - 1];\
         fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {\
           let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); done(btoa(s)); });",
        json!([driver.attribute(&link, "href")]),
    );
    let bytes = base64::engine::general_purpose::STANDARD.decode(fetched.as_str().unwrap()).unwrap();
    let report = gongkai::import::read_bytes("row-total-off-by-one.fixed.xlsx", &bytes).unwrap();
    let errors: Vec<_> =
        gongkai::lint::check(&report).into_iter().filter(|d| d.severity == gongkai::lint::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let saved = shots.join("row-total-off-by-one.fixed.xlsx");
    std::fs::write(&saved, &bytes).unwrap();
    openpyxl_reads_16(&saved);

    // English, with the switch.
    driver.click(&driver.find("#lang"));
    let started = Instant::now();
    while driver.text(&driver.find(".card .verdict")) != "2 errors, 0 warnings" {
        assert!(started.elapsed() < Duration::from_secs(10), "the page did not switch to English");
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("browser: first result {first_result:.2?} after opening the page");
}

/// openpyxl, an independent reader, sees the corrected total and the comment gongkai left on it.
fn openpyxl_reads_16(path: &std::path::Path) {
    let script = "import sys, openpyxl\n\
                  ws = openpyxl.load_workbook(sys.argv[1])['年报']\n\
                  print(ws['K25'].value, bool(ws['K25'].comment))";
    match Command::new("python3").args(["-c", script]).arg(path).output() {
        Ok(out) if out.status.success() => {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "16 True");
        }
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("No module named 'openpyxl'") => {
            eprintln!("skipped the openpyxl read: pip install openpyxl");
        }
        Ok(out) => panic!("openpyxl: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => eprintln!("skipped the openpyxl read: {e}"),
    }
}
