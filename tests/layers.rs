//! The library's modules form one road with every arrow pointing one way (STYLE.md): a module uses only the
//! modules listed for it below, and the list has no cycle. A `use crate::…` that reaches up or sideways fails here,
//! naming the file; a new module must be placed in the list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of the library and the modules it may use. The leaves first, the jobs people run last.
const LAYERS: &[(&str, &[&str])] = &[
    // Leaves: small helpers every layer may stand on.
    ("lang", &[]),
    ("contained", &[]),
    ("atomic", &[]),
    ("spill", &[]),
    ("pool", &[]),
    ("normalize", &[]),
    ("raw", &[]),
    // The national layouts and the one report model.
    ("layout", &["normalize"]),
    ("model", &["layout", "normalize", "raw"]),
    // import → recognize → model.
    ("recognize", &["model", "layout", "normalize", "raw"]),
    ("import", &["recognize", "model", "layout", "normalize", "raw", "lang", "contained"]),
    // lint reads the model only.
    ("lint", &["model", "layout", "normalize", "raw", "lang"]),
    // What reads lint's results.
    ("config", &["lint", "model", "raw", "lang"]),
    ("baseline", &["config", "lint", "model", "lang", "atomic"]),
    ("series", &["lint", "model", "layout", "normalize", "raw"]),
    // Text shared between agencies, on what series keeps of each report (its records in a spill).
    ("similar", &["series", "lint", "model", "layout", "spill"]),
    // export reads a workbook's own parts through import to patch it in place.
    ("export", &["import", "lint", "model", "layout", "normalize", "raw", "lang", "atomic", "contained"]),
    ("render", &["import", "lint", "model", "layout", "normalize", "raw", "lang"]),
    // The jobs: discover, check, fix, batch.
    ("discover", &["import", "export", "model", "lang"]),
    (
        "check",
        &[
            "discover",
            "config",
            "baseline",
            "series",
            "similar",
            "render",
            "import",
            "lint",
            "model",
            "spill",
            "pool",
            "contained",
        ],
    ),
    ("fix", &["check", "discover", "export", "import", "lint", "model", "raw", "pool", "contained"]),
    (
        "batch",
        &[
            "check",
            "config",
            "discover",
            "series",
            "similar",
            "export",
            "render",
            "import",
            "lint",
            "model",
            "layout",
            "lang",
            "spill",
            "contained",
        ],
    ),
    // The page for clerks, on check, fix and export.
    ("serve", &["check", "fix", "export", "import", "render", "lint", "model", "lang", "contained"]),
];

/// The code of a file without comments and without its test module (tests may reach anywhere below).
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The top-level modules a piece of code names as `crate::name`, also inside `use crate::{a, b::c}`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            used.insert(name);
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut faults = Vec::new();
    for file in files {
        let relative = file.strip_prefix("src").unwrap();
        let top = relative.components().next().unwrap().as_os_str().to_string_lossy();
        let module = top.trim_end_matches(".rs");
        // The binary (main.rs and its cli/ modules) stands on everything; lib.rs only declares the modules.
        if matches!(module, "main" | "cli" | "lib") {
            continue;
        }
        let Some(may_use) = allowed.get(module) else {
            faults.push(format!("{}: module `{module}` is not placed in tests/layers.rs", file.display()));
            continue;
        };
        for used in used_modules(&code_of(&std::fs::read_to_string(&file).unwrap())) {
            if used != module && !may_use.contains(&used.as_str()) {
                faults.push(format!("{}: `{module}` uses `{used}`, which is not below it", file.display()));
            }
        }
    }
    assert!(faults.is_empty(), "\n{}", faults.join("\n"));
}

#[test]
fn the_layers_have_no_cycle_and_name_only_listed_modules() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    // Listed in an order where each module's dependencies come before it: then no cycle can exist.
    for (index, (module, uses)) in LAYERS.iter().enumerate() {
        for used in *uses {
            assert!(allowed.contains_key(used), "{module} lists `{used}`, which is no module");
            let at = LAYERS.iter().position(|(m, _)| m == used).unwrap();
            assert!(at < index, "{module} uses {used}, listed after it");
        }
    }
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    for line in lib.lines().filter_map(|l| l.trim().strip_prefix("pub mod").or_else(|| l.trim().strip_prefix("mod"))) {
        let name = line.trim().trim_end_matches(';');
        assert!(allowed.contains_key(name), "src/lib.rs declares `{name}`, which tests/layers.rs does not place");
    }
}

#[test]
fn the_scanner_sees_grouped_and_plain_paths() {
    let code = "use crate::lint::{self, Diagnostic};\nuse crate::{model::Report, raw};\nlet x = crate::layout::KEYS;";
    let used: Vec<String> = used_modules(code).into_iter().collect();
    assert_eq!(used, ["layout", "lint", "model", "raw"]);
    assert_eq!(code_of("use crate::a; // crate::b\n#[cfg(test)]\nuse crate::c;"), "use crate::a; \n");
}
