//! The rule harness: every rule's vectors (its `vectors`, data in its own file) run through the real road. A vector
//! changes a clean standard report as a clerk would change the file — a cell, a label, a paragraph — or starts from
//! a fixture; the harness writes the standard report as a Word file, reads it back, applies the changes to what
//! was read, recognises it and runs the rule. A failing vector's findings are drawn into a snapshot (insta), and
//! their fixes are applied: the cells they edit must then be clean.

use std::collections::BTreeSet;

use gongkai::lint::{self, Diagnostic, FixAvailability, Given, Rule, Selection, Vector};
use gongkai::model::{Cell, Origin, Report, Section};
use gongkai::normalize;
use gongkai::raw::RawDocument;

const TITLE: &str = "某市某局2023年度政府信息公开工作年度报告";

/// The six sections of a clean report: nothing any rule reports.
const SECTIONS: [(&str, &str); 6] = [
    ("overview", "2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"),
    ("active_disclosure", "本年度通过政府网站主动公开政府信息，具体情况见下表。"),
    ("applications", "本年度依申请公开工作情况见下表。"),
    ("review_litigation", "本年度政府信息公开行政复议、行政诉讼情况见下表。"),
    ("problems", "存在的主要问题是公开内容还不够丰富。下一步将加强业务培训。"),
    ("other_matters", "本机关依据国办函〔2020〕109号规定的按件、按量收费标准，本年度没有产生信息处理费。"),
];

/// The clean standard report of `year`, every count 0, as gongkai writes it into a Word file.
fn standard_docx(year: i32) -> Vec<u8> {
    let mut report = Report::blank(TITLE.replace("2023", &year.to_string()), Some(year));
    report.meta.agency = Some("某市某局".into());
    report.meta.date_line = Some(format!("{}-01-20", year + 1));
    for (key, text) in SECTIONS {
        let heading = gongkai::layout::SECTIONS.iter().find(|(k, _)| *k == key).map(|(_, h)| *h).unwrap();
        report.sections.push(Section {
            key,
            heading: heading.into(),
            text: text.into(),
            origin: String::new(),
            line_origins: Vec::new(),
        });
    }
    for spec in gongkai::layout::KEYS_2021.iter() {
        let parsed = normalize::parse_value("0");
        report
            .cells
            .insert(&spec.key, Cell { raw: "0".into(), parsed, origin: Origin::cell(0, 0, 0), number_as_text: false });
    }
    gongkai::export::docx::write(&report, &[]).expect("the standard report is written")
}

/// The raw document a vector starts from, and the name its report goes by.
fn start(fixture: Option<&str>, year: i32) -> (String, RawDocument) {
    let (name, bytes) = match fixture {
        Some(fixture) => {
            let name = format!("fixtures/{fixture}");
            let bytes = std::fs::read(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, bytes)
        }
        None => ("年报.docx".to_string(), standard_docx(year)),
    };
    let raw = gongkai::import::read_raw(&name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    (name, raw)
}

/// The report a vector describes: its start, with its changes made to the document as read.
fn build(fixture: Option<&str>, year: i32, changes: &[Given]) -> Report {
    let (name, mut raw) = start(fixture, year);
    let before = gongkai::recognize::recognize(&name, raw.clone());
    let mut org_type = None;
    for change in changes {
        match *change {
            Given::Cell(key, text) => {
                let at = before.cell(key).unwrap_or_else(|| panic!("{name}: no cell {key}")).origin;
                let cell = raw.grids[at.grid].get_mut(at.row, at.col).unwrap();
                cell.typed_number = cell.typed_number.and(normalize::parse_value(text).number());
                cell.text = text.to_string();
            }
            Given::Label(from, to) => {
                let wanted = normalize::label(from);
                let cell = raw
                    .grids
                    .iter_mut()
                    .find_map(|grid| {
                        let (rows, cols) = (grid.rows, grid.cols);
                        let at = (0..rows)
                            .flat_map(|r| (0..cols).map(move |c| (r, c)))
                            .find(|&(r, c)| grid.get(r, c).is_some_and(|g| normalize::label(&g.text) == wanted))?;
                        grid.get_mut(at.0, at.1)
                    })
                    .unwrap_or_else(|| panic!("{name}: no table cell says {from}"));
                cell.text = to.to_string();
            }
            Given::Paragraph(from, to) => {
                let at = raw.paragraphs.iter().position(|p| p.text.contains(from));
                let at = at.unwrap_or_else(|| panic!("{name}: no paragraph says {from}"));
                if to.is_empty() {
                    raw.paragraphs.remove(at);
                } else {
                    raw.paragraphs[at].text = to.to_string();
                }
            }
            Given::AddParagraph(after, text) => {
                let at = if after.is_empty() {
                    raw.paragraphs.len()
                } else {
                    1 + raw.paragraphs.iter().position(|p| p.text.contains(after)).expect(after)
                };
                let origin = format!("第{}段", at + 1);
                raw.paragraphs
                    .insert(at, gongkai::raw::Paragraph { text: text.to_string(), origin, cells: Vec::new() });
            }
            Given::Published(date) => raw.published = Some(date.to_string()),
            Given::TitleProperty(title) => raw.property_title = Some(title.to_string()).filter(|t| !t.is_empty()),
            Given::OrgType(o) => org_type = Some(o),
            Given::YearBefore(_) | Given::OtherAgency(_) => {}
            Given::NoTables => raw.grids.clear(),
        }
    }
    let mut report = gongkai::recognize::recognize(&name, raw);
    if let Some(o) = org_type {
        report.meta.give_org_type(o);
    }
    report
}

/// The report of the year before a vector names, if it names one.
fn year_before(vector: &Vector) -> Option<Report> {
    vector.changes.iter().find_map(|c| match c {
        Given::YearBefore(changes) => Some(build(None, 2022, changes)),
        _ => None,
    })
}

/// Another agency's report of the same year a vector names, if it names one.
fn other_agency(vector: &Vector) -> Option<Report> {
    vector.changes.iter().find_map(|c| match c {
        Given::OtherAgency(changes) => {
            let mut other = build(None, 2023, changes);
            other.meta.agency = Some("某市另一局".into());
            other.path = "另一局.docx".into();
            Some(other)
        }
        _ => None,
    })
}

/// What `rule` finds in a report (and, for a cross-year rule, against the report of the year before; for a rule
/// across agencies, against the other agency's report).
fn run(rule: &Rule, report: &Report, previous: Option<&Report>, other: Option<&Report>) -> Vec<Diagnostic> {
    let only = Selection { select: vec![rule.code.to_string()], ignore: Vec::new() };
    let mut found = lint::check_with(report, &only);
    if let Some(previous) = previous {
        found.extend(gongkai::series::check_pair(previous, report, &only));
    }
    if let Some(other) = other {
        found.extend(gongkai::similar::check_peer(other, report, &only));
    }
    found.retain(|d| d.code == rule.code);
    found
}

fn drawn(report: &Report, found: &[Diagnostic]) -> String {
    let options = gongkai::render::Options { lang: gongkai::lang::Lang::Zh, color: false, width: 110 };
    let mut text = String::new();
    for d in found {
        text.push_str(&gongkai::render::full(report, d, &options));
        text.push_str(&gongkai::render::concise(report, d, gongkai::lang::Lang::En));
        text.push_str("\n\n");
    }
    text
}

#[test]
fn every_rule_has_vectors_that_pass_and_fail() {
    for rule in lint::rules::ALL {
        let names: BTreeSet<&str> = rule.vectors.iter().map(|v| v.name).collect();
        assert_eq!(names.len(), rule.vectors.len(), "{}: vector names repeat", rule.code);
        for name in &names {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
        }
        assert!(rule.vectors.iter().any(|v| v.findings == 0), "{} has no passing vector", rule.code);
        assert!(rule.vectors.iter().any(|v| v.findings > 0), "{} has no failing vector", rule.code);
    }
}

#[test]
fn the_standard_report_is_clean_for_every_rule() {
    let report = build(None, 2023, &[]);
    let found = lint::check(&report);
    assert!(found.is_empty(), "{}", drawn(&report, &found));
    assert_eq!(report.values().values().filter(|v| v.as_i64() == Some(0)).count(), 200);
}

#[test]
fn every_vector_gives_its_findings_drawn_and_fixed() {
    let mut faults = Vec::new();
    for rule in lint::rules::ALL {
        for vector in rule.vectors {
            let report = build(vector.fixture, 2023, vector.changes);
            let previous = year_before(vector);
            let other = other_agency(vector);
            let found = run(rule, &report, previous.as_ref(), other.as_ref());
            if found.len() != vector.findings {
                faults.push(format!(
                    "{} {}: {} findings, the vector says {}\n{}",
                    rule.code,
                    vector.name,
                    found.len(),
                    vector.findings,
                    drawn(&report, &found)
                ));
                continue;
            }
            if found.is_empty() {
                continue;
            }
            insta::assert_snapshot!(format!("{}-{}", rule.code, vector.name), drawn(&report, &found));
            let fixes: Vec<&Diagnostic> = found.iter().filter(|d| d.fix.is_some()).collect();
            if rule.fix == FixAvailability::None {
                assert!(fixes.is_empty(), "{}: carries a fix but says it has none", rule.code);
                continue;
            }
            let (fixed, edits) = lint::apply_fixes(&report, &found, true);
            let edited: BTreeSet<&str> = edits.iter().map(|e| e.key.as_str()).collect();
            let left: Vec<Diagnostic> = run(rule, &fixed, previous.as_ref(), other.as_ref())
                .into_iter()
                .filter(|d| d.key.as_deref().is_some_and(|k| edited.contains(k)))
                .collect();
            if !left.is_empty() {
                faults.push(format!(
                    "{} {}: still found after its fix\n{}",
                    rule.code,
                    vector.name,
                    drawn(&fixed, &left)
                ));
            }
        }
    }
    assert!(faults.is_empty(), "\n{}", faults.join("\n"));
}
