//! The checked uploads, kept in memory for their downloads until they expire or room is needed. Nothing a client
//! sends is written to disk.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::lint::Diagnostic;
use crate::model::Report;
use crate::render::FileResult;

/// One checked file: what was uploaded, and what was read and found (or why it could not be read).
pub(crate) struct Entry {
    /// The name the page shows (the upload's file name, or `ARCHIVE.zip/MEMBER`).
    pub name: String,
    /// The bytes of the file itself (a zip member's own bytes), for the fix written in place.
    pub bytes: Vec<u8>,
    pub result: FileResult,
    at: Instant,
}

impl Entry {
    pub fn new(name: String, bytes: Vec<u8>, result: FileResult) -> Entry {
        Entry { name, bytes, result, at: Instant::now() }
    }

    /// The report read and its findings.
    pub fn checked(&self) -> Option<(&Report, &[Diagnostic])> {
        match &self.result {
            FileResult::Checked { report, diagnostics } => Some((report, diagnostics)),
            FileResult::Unreadable(_) => None,
        }
    }
}

pub(crate) struct Store {
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    keep: Duration,
    kept_bytes: usize,
    counter: AtomicU64,
    keys: std::collections::hash_map::RandomState,
}

impl Store {
    pub fn new(keep: Duration, kept_bytes: usize) -> Store {
        Store {
            entries: Mutex::new(HashMap::new()),
            keep,
            kept_bytes,
            counter: AtomicU64::new(0),
            keys: std::collections::hash_map::RandomState::new(),
        }
    }

    /// Keep an entry; its id. Ids cannot be guessed (128 bits from the process's random hash keys), so that one
    /// user of a shared server cannot fetch another's results.
    pub fn put(&self, entry: Arc<Entry>) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let half = |salt: u64| {
            let mut h = self.keys.build_hasher();
            h.write_u64(n);
            h.write_u64(salt);
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
            );
            h.finish()
        };
        let id = format!("{:016x}{:016x}", half(0x9e37_79b9), half(0x7f4a_7c15));
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.insert(id.clone(), entry);
        // Room for the newest: the oldest go first.
        let mut total: usize = entries.values().map(|e| e.bytes.len()).sum();
        while total > self.kept_bytes && entries.len() > 1 {
            let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.at).map(|(k, _)| k.clone()) else { break };
            if let Some(gone) = entries.remove(&oldest) {
                total -= gone.bytes.len();
            }
        }
        id
    }

    pub fn get(&self, id: &str) -> Option<Arc<Entry>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(id).cloned()
    }

    /// Forget the entries older than the time results are kept.
    pub fn expire(&self) {
        let keep = self.keep;
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|_, e| e.at.elapsed() < keep);
    }
}
