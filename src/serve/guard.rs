//! Who may talk to the server. A page on another site can make the clerk's browser send requests to
//! `127.0.0.1`: a cross-site post carries that site's `Origin`, and a DNS-rebound name carries that name in `Host`.
//! Only the server's own address (or `localhost`) is accepted in `Host`, and `Origin`, when sent, must be the
//! page's own. A server opened to a network may ask for a token on every request.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::State as Shared;
use super::routes::refuse;

pub(crate) async fn guard(State(state): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let lang = super::routes::lang_of(request.uri().query(), state.options.lang);
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return refuse(StatusCode::FORBIDDEN, lang, "请求没有 Host", "the request has no Host");
    };
    if !host_is_ours(host, &state) {
        return refuse(
            StatusCode::FORBIDDEN,
            lang,
            "请求的 Host 不是本服务器的地址：请用 gongkai serve 打印的地址打开页面",
            "the request's Host is not this server's address: open the page at the address gongkai serve printed",
        );
    }
    if !origin_is_ours(headers, host) {
        return refuse(
            StatusCode::FORBIDDEN,
            lang,
            "来自其他网站的请求被拒绝",
            "a request from another site is refused",
        );
    }
    if let Some(token) = &state.options.token
        && !carries_token(headers, request.uri().query(), token)
    {
        return refuse(
            StatusCode::UNAUTHORIZED,
            lang,
            "需要口令：请用启动服务器的人给出的完整地址（含 ?token=…）打开页面",
            "a token is needed: open the page at the full address (with ?token=…) the server's owner gave",
        );
    }
    next.run(request).await.into_response()
}

/// `Host` names this server: its port, and `localhost` or an IP address (a name could be a rebound one). A
/// server on the loopback interface answers to loopback addresses only.
fn host_is_ours(host: &str, state: &Shared) -> bool {
    let Some((name, port)) = host.rsplit_once(':') else { return false };
    if port.parse::<u16>().ok() != Some(state.address.port()) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>();
    match ip {
        Ok(ip) if state.address.ip().is_loopback() => ip.is_loopback(),
        Ok(ip) => state.address.ip().is_unspecified() || ip == state.address.ip() || ip.is_loopback(),
        Err(_) => false,
    }
}

/// `Origin`, when a browser sends it, is the page's own; a browser's word that the request is cross-site is taken.
fn origin_is_ours(headers: &HeaderMap, host: &str) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(host)),
    }
}

fn carries_token(headers: &HeaderMap, query: Option<&str>, token: &str) -> bool {
    let given = headers.get("x-gongkai-token").and_then(|v| v.to_str().ok()).map(str::to_string).or_else(|| {
        query
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()))
    });
    // Compared in full whatever the first difference, so that the time taken tells nothing.
    given.is_some_and(|g| {
        g.len() == token.len() && g.bytes().zip(token.bytes()).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}
