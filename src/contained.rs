//! Third-party code that panics on conditions that are not bugs: calamine on some damaged workbooks, and
//! rust_xlsxwriter when the temporary file of a low-memory sheet cannot be written (a full TMPDIR). Such code runs
//! through [`catch`], which turns its panic into an error for the caller and keeps the panic hook quiet.

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
