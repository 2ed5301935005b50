//! `gongkai serve`: the page for clerks, on this computer (or, asked explicitly, on an office network).

use std::process::ExitCode;

use gongkai::check::Policy;
use gongkai::lang::Lang;
use gongkai::lint::Selection;
use gongkai::serve::{self, Limits, Options};

use super::args::ServeArgs;
use crate::{Run, say};

pub fn run(args: ServeArgs) -> Run {
    let lang: Lang = args.lang.into();
    let config_dir = std::env::current_dir().map_err(|e| {
        let why = gongkai::lang::io_error_in(&e, lang);
        say(lang, format!("无法确定当前文件夹：{why}"), format!("cannot tell the current folder: {why}"))
    })?;
    let policy = Policy {
        selection: Selection { select: args.select, ignore: args.ignore },
        org_type: args.org_type.map(Into::into),
        ..Policy::default()
    };
    // A wrong gongkai.toml stops the server before it starts, as it stops check.
    policy.configs.for_file(&config_dir.join("report")).map_err(|e| e.message(lang))?;
    let open_to_network = !args.host.is_loopback();
    let token = args.token.filter(|t| !t.is_empty());
    let defaults = Limits::default();
    let options = Options {
        host: args.host,
        port: args.port,
        token: token.clone(),
        lang,
        policy,
        config_dir,
        limits: Limits {
            body_bytes: args.max_upload_mb.saturating_mul(1024 * 1024),
            files_per_request: args.max_files.max(1),
            concurrent_checks: args.max_checks.unwrap_or(defaults.concurrent_checks).max(1),
            queue: args.queue,
            check_time: std::time::Duration::from_secs(args.check_seconds),
            ..defaults
        },
    };
    let open = args.open;
    serve::run(options, |address| {
        let host = if address.ip().is_unspecified() { "localhost".to_string() } else { address.ip().to_string() };
        let mut url = format!("http://{host}:{}/", address.port());
        if let Some(token) = &token {
            url.push_str(&format!("?token={token}"));
        }
        println!("{}", lang.pick(format!("gongkai serve: {url}"), format!("gongkai serve: {url}")));
        if open_to_network {
            eprintln!(
                "{}",
                lang.pick(
                    format!(
                        "注意：页面对网络开放（{}）：同一网络中的其他电脑都能使用它{}",
                        address.ip(),
                        if token.is_some() { "，但须带口令" } else { "；建议加 --token" }
                    ),
                    format!(
                        "warning: the page is open to the network ({}): other computers on it can use it{}",
                        address.ip(),
                        if token.is_some() { ", with the token" } else { "; pass --token" }
                    ),
                )
            );
        }
        eprintln!("{}", lang.pick("按 Ctrl+C 停止。", "Press Ctrl+C to stop."));
        if open && let Err(e) = opener::open_browser(&url) {
            eprintln!(
                "{}",
                lang.pick(
                    format!("无法打开浏览器：{e}；请手动打开上面的地址"),
                    format!("cannot open a browser: {e}; open the address above")
                )
            );
        }
    })
    .map_err(|e| e.message(lang))?;
    Ok(ExitCode::SUCCESS)
}
