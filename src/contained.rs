//! Panic containment. Third-party code panics on conditions that are not bugs: calamine on some damaged workbooks,
//! and rust_xlsxwriter when the temporary file of a low-memory sheet cannot be written (a full TMPDIR). Such code
//! runs through [`catch`], which turns its panic into an error for the caller and keeps the panic hook quiet. A run
//! over many files isolates each file the same way ([`isolate`]), so that a bug met on one file fails that file
//! only; [`failpoint`] lets the tests trip such a bug on purpose.

use std::cell::Cell;

thread_local! {
    static EXPECTED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, catching its panic; while it runs, [`panic_is_expected`] is true on this thread.
///
/// # Errors
/// The panic's payload, when `f` panicked.
pub fn catch<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let outer = EXPECTED.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    EXPECTED.set(outer);
    result
}

/// True while this thread runs code through [`catch`]: a panic hook can stay quiet, the caller reports it.
pub fn panic_is_expected() -> bool {
    EXPECTED.get()
}

/// Run `f` for one file of a run, turning a panic (a bug in gongkai, or in code it calls) into the panic's message.
///
/// # Errors
/// The message of the panic, when `f` panicked.
pub fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| panic_message(&*panic))
}

/// The message a caught panic carried.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// A failpoint for the isolation tests: debug builds panic on a report whose name contains the value of
/// `GONGKAI_TEST_PANIC_ON`, and take two seconds over one whose name contains that of `GONGKAI_TEST_SLOW_ON`.
/// Release builds do nothing.
pub fn failpoint(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("GONGKAI_TEST_PANIC_ON").is_ok_and(|v| !v.is_empty() && name.contains(&v)) {
        panic!("failpoint GONGKAI_TEST_PANIC_ON hit for {name}");
    }
    #[cfg(debug_assertions)]
    if std::env::var("GONGKAI_TEST_SLOW_ON").is_ok_and(|v| !v.is_empty() && name.contains(&v)) {
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_an_error_and_the_flag_is_restored() {
        assert!(!panic_is_expected());
        let inner = catch(|| {
            assert!(panic_is_expected());
            catch(|| panic!("expected")).is_err()
        });
        assert_eq!(inner.ok(), Some(true));
        assert!(!panic_is_expected());
    }
}
