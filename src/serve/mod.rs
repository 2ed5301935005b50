//! `gongkai serve`: a local web page where a clerk drops reports, sees the bad cells and downloads the fixes.
//!
//! One process, no disk: uploads are read in memory, checked on a bounded blocking pool (one slow file never
//! stalls the page for another), and kept in memory for downloads until they expire. Requests from another site
//! are refused by their `Host` and `Origin` (DNS rebinding, cross-site posts); an optional token guards a server
//! opened to an office network.

mod guard;
mod routes;
mod store;
mod work;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use tokio::sync::Semaphore;

use crate::check::Policy;
use crate::lang::Lang;

/// What bounds the server's work. Each limit exceeded gets a clear message and its status code; the server keeps
/// serving.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body: all files of one upload together.
    pub body_bytes: usize,
    /// The most files in one upload (a zip counts once).
    pub files_per_request: usize,
    /// Checks run at once; more wait their turn.
    pub concurrent_checks: usize,
    /// Uploads that may wait for a turn; beyond them the server says it is busy (503).
    pub queue: usize,
    /// The longest one upload's check may take before the page is told it took too long.
    pub check_time: Duration,
    /// How long results stay for downloads.
    pub keep: Duration,
    /// The most bytes of uploads kept for downloads; the oldest go first.
    pub kept_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 50 * 1024 * 1024,
            files_per_request: 20,
            concurrent_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue: 64,
            check_time: Duration::from_secs(60),
            keep: Duration::from_secs(15 * 60),
            kept_bytes: 512 * 1024 * 1024,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: IpAddr,
    /// 0 takes a free port (the address is handed to `ready`).
    pub port: u16,
    /// When set, every request must carry it (`?token=` or the `X-Gongkai-Token` header).
    pub token: Option<String>,
    /// The page's language until the clerk switches.
    pub lang: Lang,
    /// The command line's org type and the rules chosen; `gongkai.toml` is read from `config_dir`.
    pub policy: Policy,
    /// The folder whose `gongkai.toml` applies to every upload (the server's working folder).
    pub config_dir: PathBuf,
    pub limits: Limits,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl ServeError {
    /// The error in the language of the run.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ServeError::Bind { address, source }, Lang::Zh) => {
                let why = crate::lang::io_error_in(source, lang);
                format!("无法在 {address} 上监听：{why}（端口被占用时用 --port 换一个）")
            }
            (ServeError::Runtime(e), Lang::Zh) => format!("无法启动：{}", crate::lang::io_error_in(e, lang)),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// What every request handler shares.
pub(crate) struct State {
    pub options: Options,
    /// The address the server answers at, which `Host` must name.
    pub address: SocketAddr,
    pub checks: Arc<Semaphore>,
    pub waiting: AtomicUsize,
    pub store: store::Store,
}

/// Serve until the process is stopped. `ready` gets the address once the server listens.
///
/// # Errors
/// [`ServeError`] when the address cannot be bound or the runtime cannot start.
pub fn run(options: Options, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // The checks run on the blocking pool: as many as may run at once, and a few for downloads.
        .max_blocking_threads(options.limits.concurrent_checks + 4)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let address = SocketAddr::new(options.host, options.port);
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|source| ServeError::Bind { address, source })?;
        let address = listener.local_addr().map_err(|source| ServeError::Bind { address, source })?;
        let state = Arc::new(State {
            checks: Arc::new(Semaphore::new(options.limits.concurrent_checks.max(1))),
            waiting: AtomicUsize::new(0),
            store: store::Store::new(options.limits.keep, options.limits.kept_bytes),
            address,
            options,
        });
        let expiry = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(30)).await;
                expiry.store.expire();
            }
        });
        let app = routes::router(state.clone())
            .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
            .layer(DefaultBodyLimit::max(state.options.limits.body_bytes));
        ready(address);
        axum::serve(listener, app).await.map_err(ServeError::Runtime)
    })
}
