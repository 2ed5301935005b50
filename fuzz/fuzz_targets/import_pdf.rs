//! Any bytes named .pdf: import, lint, render and export must not panic, and must finish (libFuzzer's timeout
//! catches hangs, its RSS limit memory blow-ups). A panic inside hayro is contained by the importer and becomes a
//! "damaged" error, by design; libFuzzer's hook would abort on it all the same, so the hook lets contained panics
//! unwind to their `catch` and aborts on every other.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !gongkai::panic_is_expected() {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
    if let Ok(report) = gongkai::import::read_bytes("fuzz.pdf", data) {
        let diagnostics = gongkai::lint::check(&report);
        for d in &diagnostics {
            let _ = gongkai::render::full(&report, d, &gongkai::render::Options::default());
        }
        let _ = report.to_json();
        let (fixed, _) = gongkai::lint::apply_fixes(&report, &diagnostics, true);
        let _ = gongkai::export::render(&fixed, gongkai::export::Format::Xlsx, &[]);
    }
});
