//! The rule registry: codes and names unique and well-formed, every rule documented, and the README's rules
//! table true to the registry.

use std::collections::HashSet;

use gongkai::lint::rules::ALL;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in ALL {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        let (family, number) = r.code.split_at(1);
        assert!(
            "SVCFMT".contains(family) && number.len() == 3 && number.chars().all(|c| c.is_ascii_digit()),
            "{}",
            r.code
        );
        assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.name);
        for part in ["## What it does", "## Why", "## Example", "## Fix"] {
            assert!(r.explain.contains(part), "{} lacks {part}", r.code);
        }
        assert!(!r.summary.is_empty() && !r.summary_en.is_empty());
    }
}

#[test]
fn readme_rules_table_matches_the_registry() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| ") && l.split('|').nth(1).is_some_and(|c| ALL.iter().any(|r| r.code == c.trim())))
        .map(|l| l.split('|').map(|c| c.trim().trim_matches('`').to_string()).collect())
        .collect();
    assert_eq!(rows.len(), ALL.len(), "README lists {} rules, the registry {}", rows.len(), ALL.len());
    for (row, rule) in rows.iter().zip(ALL.iter()) {
        assert_eq!(row[1], rule.code);
        assert_eq!(row[2], rule.name, "{}", rule.code);
        assert_eq!(row[3], rule.severity.as_str(), "{}", rule.code);
        let fix = match rule.fix {
            gongkai::lint::FixAvailability::None => "—",
            gongkai::lint::FixAvailability::Safe => "safe",
            gongkai::lint::FixAvailability::Unsafe => "unsafe",
        };
        assert_eq!(row[4], fix, "{}", rule.code);
    }
}
