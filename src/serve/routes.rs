//! The page, its assets and its API.
//!
//! - `GET /`: the page; `GET /app.js`, `/app.css`: its script and style (in the binary, no CDN).
//! - `POST /api/check`: a multipart upload of files (`file` fields) → `{"files": [View…]}`, one per report (a
//!   zip's members each).
//! - `GET /api/result/{id}`: a checked file's view again (in another language).
//! - `GET /api/download/{id}/{kind}`: `fixed` (`?unsafe=1` for the fixes that change numbers too), `xlsx`,
//!   `docx`, `json`, `csv`, `html`.
//! - `GET /api/template?year=2025&to=xlsx`: a blank report.
//! - `GET /api/rule/{code}`: a rule's explanation, as `gongkai rule` prints it.
//!
//! Every route takes `?lang=zh|en`. Errors are `{"error": "…"}` with their status code.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::State as Shared;
use super::work::{self, Download, View};
use crate::export::Format;
use crate::lang::Lang;

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

pub(crate) fn router(state: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/app.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route("/api/check", post(check))
        .route("/api/result/{id}", get(result))
        .route("/api/download/{id}/{kind}", get(download))
        .route("/api/template", get(template))
        .route("/api/rule/{code}", get(rule))
        .with_state(state)
}

/// The language a request asks for (`?lang=en`), else the server's.
pub(crate) fn lang_of(query: Option<&str>, default: Lang) -> Lang {
    let asked = query.and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang"));
    match asked.as_ref().map(|(_, v)| v.as_ref()) {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => default,
    }
}

/// An error for the page: `{"error": …}` in the request's language, with its status.
pub(crate) fn refuse(status: StatusCode, lang: Lang, zh: &str, en: &str) -> Response {
    say(status, lang.pick(zh, en).to_string())
}

fn say(status: StatusCode, message: String) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

fn asset(media_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, media_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

#[derive(Deserialize, Default)]
struct Asked {
    lang: Option<String>,
    #[serde(rename = "unsafe")]
    unsafe_fixes: Option<String>,
    year: Option<i32>,
    to: Option<String>,
}

impl Asked {
    fn lang(&self, state: &Shared) -> Lang {
        match self.lang.as_deref() {
            Some("en") => Lang::En,
            Some("zh") => Lang::Zh,
            _ => state.options.lang,
        }
    }
}

async fn page(State(state): State<Arc<Shared>>) -> Response {
    let html_lang = state.options.lang.pick("zh-CN", "en");
    let page = PAGE.replace("{{LANG}}", html_lang);
    let mut response = axum::response::Html(page).into_response();
    // The page is not to be framed by another site (clickjacking), nor to load anything from elsewhere.
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    response
}

async fn check(State(state): State<Arc<Shared>>, Query(asked): Query<Asked>, mut multipart: Multipart) -> Response {
    let lang = asked.lang(&state);
    let limits = &state.options.limits;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return upload_error(e.status(), &e.body_text(), limits.body_bytes, lang),
        };
        let Some(name) = field.file_name().map(work::display_name) else { continue };
        if files.len() == limits.files_per_request {
            let n = limits.files_per_request;
            return say(
                StatusCode::BAD_REQUEST,
                lang.pick(
                    format!("一次最多上传 {n} 个文件：请分批上传，或打包成一个 zip"),
                    format!("at most {n} files per upload: send them in turns, or in one zip"),
                ),
            );
        }
        match field.bytes().await {
            Ok(bytes) => files.push((name, bytes.to_vec())),
            Err(e) => return upload_error(e.status(), &e.body_text(), limits.body_bytes, lang),
        }
    }
    if files.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, lang, "没有收到文件", "no file was received");
    }
    // A turn on the blocking pool: at once when one is free, else in the queue; beyond it, come back later.
    let permit = match state.checks.clone().try_acquire_owned() {
        Ok(permit) => permit,
        Err(_) => {
            if state.waiting.fetch_add(1, Ordering::SeqCst) >= limits.queue {
                state.waiting.fetch_sub(1, Ordering::SeqCst);
                return refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    lang,
                    "服务器正忙：请稍后再试",
                    "the server is busy: try again in a moment",
                );
            }
            let permit = state.checks.clone().acquire_owned().await;
            state.waiting.fetch_sub(1, Ordering::SeqCst);
            match permit {
                Ok(permit) => permit,
                Err(_) => {
                    return refuse(StatusCode::SERVICE_UNAVAILABLE, lang, "服务器正在关闭", "the server is stopping");
                }
            }
        }
    };
    let shared = state.clone();
    // The permit goes with the work: a check that outlives its time limit still holds its turn until it ends.
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let options = &shared.options;
        let mut views: Vec<View> = Vec::new();
        for (name, bytes) in files {
            for entry in work::check_upload(&name, bytes, &options.policy, &options.config_dir) {
                let entry = Arc::new(entry);
                let view = work::view("", &entry, &options.policy, &options.config_dir, lang);
                let id = shared.store.put(entry.clone());
                views.push(View { id, ..view });
            }
        }
        views
    });
    match tokio::time::timeout(limits.check_time, work).await {
        Ok(Ok(views)) => axum::Json(serde_json::json!({ "files": views })).into_response(),
        Ok(Err(_)) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            "gongkai 处理这些文件时出错：这是 gongkai 的缺陷，请连同文件一起报告",
            "gongkai failed on these files: this is a gongkai bug, please report it with the files",
        ),
        Err(_) => {
            let secs = limits.check_time.as_secs();
            say(
                StatusCode::GATEWAY_TIMEOUT,
                lang.pick(
                    format!("检查超过 {secs} 秒仍未完成：文件可能过大或已损坏"),
                    format!("the check took more than {secs} s: the file may be too large or damaged"),
                ),
            )
        }
    }
}

fn upload_error(status: StatusCode, detail: &str, limit: usize, lang: Lang) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let mb = limit / 1024 / 1024;
        return say(
            status,
            lang.pick(
                format!("上传的文件合计超过 {mb} MB 的上限：请分批上传"),
                format!("the upload is larger than the limit of {mb} MB: send the files in turns"),
            ),
        );
    }
    say(status, lang.pick(format!("上传未完成：{detail}"), format!("the upload did not complete: {detail}")))
}

fn gone(lang: Lang) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        lang,
        "结果已过期（只保留一段时间）：请重新拖入文件",
        "the results have expired (they are kept for a while only): drop the file again",
    )
}

async fn result(State(state): State<Arc<Shared>>, Path(id): Path<String>, Query(asked): Query<Asked>) -> Response {
    let lang = asked.lang(&state);
    let Some(entry) = state.store.get(&id) else { return gone(lang) };
    let shared = state.clone();
    let view = tokio::task::spawn_blocking(move || {
        let options = &shared.options;
        work::view(&id, &entry, &options.policy, &options.config_dir, lang)
    })
    .await;
    match view {
        Ok(view) => axum::Json(view).into_response(),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, lang, "gongkai 出错", "gongkai failed"),
    }
}

async fn download(
    State(state): State<Arc<Shared>>,
    Path((id, kind)): Path<(String, String)>,
    Query(asked): Query<Asked>,
) -> Response {
    let lang = asked.lang(&state);
    let unsafe_fixes = asked.unsafe_fixes.as_deref() == Some("1");
    let Some(kind) = Download::parse(&kind, unsafe_fixes) else {
        return refuse(StatusCode::NOT_FOUND, lang, "没有这种下载", "no such download");
    };
    let Some(entry) = state.store.get(&id) else { return gone(lang) };
    let shared = state.clone();
    let file = tokio::task::spawn_blocking(move || {
        let options = &shared.options;
        work::download(&entry, kind, &options.policy, &options.config_dir, lang)
    })
    .await;
    match file {
        Ok(Ok(file)) => send(file),
        Ok(Err(message)) => say(StatusCode::UNPROCESSABLE_ENTITY, message),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, lang, "gongkai 出错", "gongkai failed"),
    }
}

async fn template(State(state): State<Arc<Shared>>, Query(asked): Query<Asked>) -> Response {
    let lang = asked.lang(&state);
    let format = if asked.to.as_deref() == Some("docx") { Format::Docx } else { Format::Xlsx };
    let year = asked.year.filter(|y| (2008..=2100).contains(y));
    match tokio::task::spawn_blocking(move || work::template(year, format, lang)).await {
        Ok(Ok(file)) => send(file),
        Ok(Err(message)) => say(StatusCode::INTERNAL_SERVER_ERROR, message),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, lang, "gongkai 出错", "gongkai failed"),
    }
}

async fn rule(State(state): State<Arc<Shared>>, Path(code): Path<String>, Query(asked): Query<Asked>) -> Response {
    let lang = asked.lang(&state);
    match crate::lint::rule(&code) {
        Some(rule) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], rule.explanation(lang)).into_response(),
        None => refuse(StatusCode::NOT_FOUND, lang, "没有这条规则", "no such rule"),
    }
}

/// A file as a download: its name in `filename*` (UTF-8, for Chinese names) and an ASCII stand-in.
fn send(file: work::File) -> Response {
    // RFC 5987's attr-char: letters, digits and a few marks stay as they are.
    const ENCODED: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');
    let encoded = percent_encoding::utf8_percent_encode(&file.name, ENCODED).to_string();
    let ascii: String = file
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.media_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
