//! Any bytes named .xlsx: import, lint, render and export must not panic, and must finish (libFuzzer's timeout
//! catches hangs, its RSS limit memory blow-ups).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // calamine's CFB (.xls) reader panics on some damaged files; gongkai catches that (see
    // fixtures/regressions/calamine-cfb-slice-panic.xls), but libFuzzer aborts on any panic, caught or not.
    if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return;
    }
    if let Ok(report) = gongkai::import::read_bytes("fuzz.xlsx", data) {
        let diagnostics = gongkai::lint::check(&report);
        for d in &diagnostics {
            let _ = gongkai::render::full(&report, d, &gongkai::render::Options::default());
        }
        let (fixed, _) = gongkai::lint::apply_fixes(&report, &diagnostics, true);
        let _ = gongkai::export::render(&fixed, gongkai::export::Format::Docx, &[]);
    }
});
