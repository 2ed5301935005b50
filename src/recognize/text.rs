//! The report's text: title, agency and year, the statistics period, the date line (repaired when extraction lost
//! its 年月日), and the six sections by their headings.

use crate::layout;
use crate::model::{Meta, Section};
use crate::normalize::{self, date_line, days_apart, garbled_date};

pub(super) fn read_text(
    lines: &[(String, String)],
    property_title: Option<&str>,
    page_date: Option<&str>,
) -> (Meta, Vec<Section>) {
    let mut meta = Meta::default();
    let property_title = property_title.map(without_portal_suffix);
    let mut head: Vec<String> =
        lines.iter().take(12).map(|(t, _)| t.trim().to_string()).filter(|t| t.chars().count() < 80).collect();
    // A title broken over two lines (PDF conversions): the pair joined, tried after the lines themselves.
    let pairs: Vec<String> =
        head.windows(2).map(|w| format!("{}{}", w[0], w[1])).filter(|t| t.chars().count() < 80).collect();
    head.extend(pairs);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let is_title = |t: &str| t.contains("政府信息公开") && t.trim_end_matches(['》', '"', '”']).ends_with("报告");
    let flat = |t: &str| t.split_whitespace().collect::<String>();
    let dated: Vec<&str> = head.iter().copied().filter(|t| is_title(t) && year_in(&flat(t)).is_some()).collect();
    // A title set over two lines (the agency above `2023年政府信息公开工作年度报告`): the pair, which names the agency,
    // wins over its second line alone.
    let title = dated
        .iter()
        .copied()
        .find(|t| agency_in(&flat(t)).is_some())
        .or_else(|| dated.first().copied())
        .or(property_title.filter(|t| is_title(t)))
        .or_else(|| head.iter().copied().find(|t| is_title(t)))
        .or_else(|| head.iter().copied().find(|t| t.ends_with("年度报告")))
        .or(property_title.filter(|t| t.contains("报告")));
    if let Some(title) = title {
        let flat: String = title.split_whitespace().collect();
        meta.year = year_in(&flat);
        meta.agency = agency_in(&flat);
        meta.title = Some(flat);
    }
    meta.period_year = lines.iter().find_map(|(t, _)| period_year(t));
    if meta.year.is_none() {
        meta.year = meta.period_year;
    }
    meta.org_type = meta.agency.as_deref().map(crate::model::OrgType::infer);
    meta.date_line = lines.iter().rev().take(8).find_map(|(t, _)| date_line(t));
    if meta.date_line.is_none()
        && let Some((line, origin)) = lines.iter().rev().take(8).find(|(t, _)| garbled_date(t).is_some())
    {
        let digits = normalize::without_whitespace(line).into_owned();
        let mut readings = garbled_date(line).unwrap_or_default();
        // Several readings: the one within a fortnight of the page's 发布时间, if exactly one is (FORMAT.md §5.6).
        if readings.len() > 1
            && let Some(page) = page_date
        {
            let near: Vec<String> =
                readings.iter().filter(|r| days_apart(r, page).is_some_and(|d| d <= 15)).cloned().collect();
            if near.len() == 1 {
                readings = near;
            }
        }
        meta.date_line = match readings.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        meta.repairs.push(crate::model::Repair { original: digits, readings, origin: origin.clone() });
    }
    // Last, the 落款 date: a report is signed in the first months of the year after the one it covers. Only when it
    // has a title (a report, not a notice or an excerpt), and never before the format's year 2019.
    if meta.year.is_none()
        && meta.title.is_some()
        && let Some(signed) = meta.date_line.as_deref().and_then(|d| d.get(..4)?.parse::<i32>().ok())
        && signed > 2019
    {
        meta.year = Some(signed - 1);
        meta.year_from_date_line = true;
    }

    let mut sections: Vec<Section> = Vec::new();
    for ((text, origin), key) in lines.iter().zip(section_keys(lines)) {
        if let Some(key) = key {
            sections.push(Section {
                key,
                heading: text.trim().to_string(),
                text: String::new(),
                origin: origin.clone(),
                line_origins: Vec::new(),
            });
        } else if let Some(s) = sections.last_mut()
            && date_line(text).is_none()
        {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(text.trim());
            s.line_origins.push(origin.clone());
        }
    }
    (meta, sections)
}

/// The section each line opens, if any: the headings of the format and its known wordings first; then, for a
/// section not found so, its heading under another numeral (`一、主动公开政府信息情况` for 二), or with one
/// character wrong (`四、政府信息公开行政法复议、行政诉讼情况`); then, for 五 whose heading a converter lost, its
/// first sub-heading on its problems (`（一）主要问题`) between 四 and 六. A section so found is reported by T603
/// with the standard heading, not as missing.
fn section_keys(lines: &[(String, String)]) -> Vec<Option<&'static str>> {
    let mut keys: Vec<Option<&'static str>> = lines.iter().map(|(t, _)| section_key(t)).collect();
    if layout::SECTIONS.iter().all(|(key, _)| keys.contains(&Some(*key))) {
        return keys;
    }
    // The short lines that head no section yet, without their numerals, each normalised once.
    let candidates: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter(|(i, (text, _))| keys[*i].is_none() && text.len() <= 40 * 4 && text.chars().count() <= 40)
        .map(|(i, (text, _))| (i, without_ordinal(&normalize::label(text)).to_string()))
        .collect();
    for (key, heading) in layout::SECTIONS {
        if keys.contains(&Some(key)) {
            continue;
        }
        let standard = without_ordinal(&normalize::label(heading)).to_string();
        let length = standard.chars().count();
        let best = candidates
            .iter()
            .filter(|(i, found)| keys[*i].is_none() && found.chars().count().abs_diff(length) <= 1)
            .filter_map(|(i, found)| {
                let distance = strsim::levenshtein(found, &standard);
                (distance <= 1).then_some((distance, *i))
            })
            .min();
        if let Some((_, i)) = best {
            keys[i] = Some(key);
        }
    }
    if !keys.contains(&Some("problems")) {
        let after = keys.iter().position(|k| *k == Some("review_litigation"));
        let before = keys.iter().position(|k| *k == Some("other_matters")).unwrap_or(keys.len());
        if let Some(after) = after.filter(|a| *a < before) {
            let sub_heading = (after + 1..before).find(|&i| {
                let text = lines[i].0.trim();
                text.chars().count() <= 30
                    && (text.starts_with('（') || text.starts_with('('))
                    && (text.contains("问题") || text.contains("改进"))
            });
            if let Some(i) = sub_heading {
                keys[i] = Some("problems");
            }
        }
    }
    keys
}

/// A normalised heading without its leading numeral (`一、`, `(一)`, `1.`), which may be another section's.
fn without_ordinal(label: &str) -> &str {
    let rest = label.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c) || c.is_ascii_digit());
    if rest.len() < label.len() {
        return rest.trim_start_matches(['、', '.', ',', ' ']);
    }
    if let Some(inner) = label.strip_prefix('(')
        && let Some(close) = inner.find(')')
    {
        return &inner[close + 1..];
    }
    label
}

/// The section a heading line opens, if it is one of the six (or a known variant).
pub fn section_key(text: &str) -> Option<&'static str> {
    static HEADINGS: std::sync::LazyLock<Vec<(String, &'static str)>> = std::sync::LazyLock::new(|| {
        layout::SECTIONS.iter().chain(layout::SECTION_VARIANTS.iter()).map(|(k, h)| (normalize::label(h), *k)).collect()
    });
    // A heading is short; long lines are body text and are not normalised at all.
    if text.len() > 40 * 4 {
        return None;
    }
    // Every heading and wording below starts with its numeral 一、…六、: a line whose first character is plainly
    // another one (ASCII and CJK ideographs are their own normal form) is not normalised at all.
    if let Some(first) = text.chars().find(|&c| normalize::fold_char(c).is_some())
        && (first.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&first))
        && !"一二三四五六".contains(first)
    {
        return None;
    }
    let n = normalize::label_cow(text);
    if n.chars().count() > 40 {
        return None;
    }
    // `二、主动公开政府信息情况（见表）`: a pointer to the table, not another wording.
    let n = n.strip_suffix("(见表)").or_else(|| n.strip_suffix("(见下表)")).unwrap_or(&n);
    if let Some((_, k)) = HEADINGS.iter().find(|(h, _)| *h == n) {
        return Some(k);
    }
    // Another wording: the section's numeral and a word only its heading has (table 3's row labels also start
    // with 一、…四、, but never with these words after these numerals).
    const WORDS: &[(&str, &str, &[&str])] = &[
        ("一、", "overview", &["总体情况", "概述"]),
        ("二、", "active_disclosure", &["主动公开"]),
        ("三、", "applications", &["收到和处理", "依申请公开"]),
        ("四、", "review_litigation", &["行政复议", "行政诉讼"]),
        ("五、", "problems", &["问题"]),
        ("六、", "other_matters", &["其他需要报告", "其他事项"]),
    ];
    if n.chars().count() > 30 {
        return None;
    }
    WORDS.iter().find(|(num, _, words)| n.starts_with(num) && words.iter().any(|w| n.contains(w))).map(|(_, k, _)| *k)
}

/// Split lines of running text where a section heading stands inside them (dumps that lost their line breaks).
pub(super) fn split_at_headings(lines: Vec<(String, String)>) -> Vec<(String, String)> {
    let headings: Vec<&str> = layout::SECTIONS.iter().chain(layout::SECTION_VARIANTS.iter()).map(|(_, h)| *h).collect();
    let mut out = Vec::with_capacity(lines.len());
    for (text, origin) in lines {
        let mut cuts: Vec<(usize, usize)> = headings
            .iter()
            .filter_map(|h| text.find(h).map(|at| (at, at + h.len())).or_else(|| near_heading(&text, h)))
            .filter(|&(a, b)| !(a == 0 && b == text.len()))
            .collect();
        if cuts.is_empty() {
            out.push((text, origin));
            continue;
        }
        cuts.sort();
        let mut last = 0;
        for (a, b) in cuts {
            if a < last {
                continue;
            }
            for piece in [&text[last..a], &text[a..b]] {
                if !piece.trim().is_empty() {
                    out.push((piece.trim().to_string(), origin.clone()));
                }
            }
            last = b;
        }
        if !text[last..].trim().is_empty() {
            out.push((text[last..].trim().to_string(), origin.clone()));
        }
    }
    out
}

/// Where `text` holds `heading` with one character wrong (one added, lost or changed after its numeral), as a
/// byte range: a dump's running text keeps a heading's typo (`四、政府信息公开行政法复议、行政诉讼情况`).
fn near_heading(text: &str, heading: &str) -> Option<(usize, usize)> {
    let numeral: String = heading.chars().take(2).collect();
    let length = heading.chars().count();
    for (at, _) in text.match_indices(numeral.as_str()) {
        let ends: Vec<usize> =
            text[at..].char_indices().take(length + 2).map(|(i, _)| at + i).chain([text.len()]).collect();
        let best = (length.saturating_sub(1)..=length + 1)
            .filter_map(|n| ends.get(n).map(|&end| (strsim::levenshtein(&text[at..end], heading), end)))
            .filter(|(distance, _)| *distance <= 1)
            .min();
        if let Some((_, end)) = best {
            return Some((at, end));
        }
    }
    None
}

/// A report in the layout used before 2019, for a text without the tables of 2019 or 2021: a report's title for a
/// year before 2019, or the old layout's headings (依申请公开政府信息情况, the fees and their waivers, reviews and
/// lawsuits over applications).
pub(super) fn is_legacy(meta: &Meta, lines: &[(String, String)]) -> bool {
    if meta.title.is_some() && meta.year.is_some_and(|y| y < 2019) {
        return true;
    }
    const OLD_HEADINGS: &[&str] =
        &["依申请公开政府信息情况", "政府信息公开的收费及减免情况", "收费及减免情况", "因政府信息公开申请提起行政复议"];
    let old =
        lines.iter().filter(|(t, _)| t.chars().count() <= 40 && OLD_HEADINGS.iter().any(|h| t.contains(h))).count();
    old >= 2 && !lines.iter().any(|(t, _)| t.contains("第二十条"))
}

/// A page's `<title>` without what the portal appends to every page's (`…年度报告_政府信息公开年报_平潭综合实验区
/// 党工委管委会`, `…年度报告 - 某市人民政府`): cut at the first separator after the report's name.
fn without_portal_suffix(title: &str) -> &str {
    let Some(at) = title.find("报告") else { return title };
    let end = at + "报告".len();
    let rest = title[end..].trim_start();
    if rest.starts_with(['_', '|', '-', '－', '—', '–', '｜']) { &title[..end] } else { title }
}

/// The first plausible 4-digit year followed by 年.
fn year_in(text: &str) -> Option<i32> {
    normalize::years_in(text).next()
}

/// The agency named in a title: the text around the year, before 政府信息公开工作.
fn agency_in(title: &str) -> Option<String> {
    let stem = title.split("政府信息公开").next()?;
    let chars: Vec<char> = stem.chars().collect();
    let year_at = chars.windows(5).position(|w| w[..4].iter().all(char::is_ascii_digit) && w[4] == '年');
    let agency: String = match year_at {
        Some(i) => {
            let mut rest = &chars[i + 5..];
            if rest.first() == Some(&'度') {
                rest = &rest[1..];
            }
            chars[..i].iter().chain(rest.iter()).collect()
        }
        None => stem.to_string(),
    };
    let agency = agency.trim_matches(|c: char| c.is_whitespace() || c == '《' || c == '》').to_string();
    (!agency.is_empty()).then_some(agency)
}

/// The year of the statistics period: `本报告中所列数据统计期限为2023年1月1日至…`, `统计期限自2019年1月1日起`.
fn period_year(text: &str) -> Option<i32> {
    let at = text.find("统计期限")?;
    let rest = &text[at..];
    let rest = rest.get(..rest.len().min(60)).unwrap_or(rest);
    year_in(&normalize::without_whitespace(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<(String, String)> {
        texts.iter().enumerate().map(|(i, t)| (t.to_string(), format!("第{}行", i + 1))).collect()
    }

    #[test]
    fn sections_are_found_by_their_words_under_other_numerals_or_with_a_typo() {
        let renumbered = lines(&[
            "一、总体情况",
            "三、主动公开工作情况",
            "一、主动公开政府信息情况",
            "二、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量",
            "三、政府信息公开行政复议、行政诉讼情况",
            "（一）主要问题",
            "五、其他需要报告的事项",
        ]);
        assert_eq!(
            section_keys(&renumbered),
            [
                Some("overview"),
                None,
                Some("active_disclosure"),
                Some("applications"),
                None,
                Some("review_litigation"),
                Some("problems"),
                Some("other_matters")
            ]
        );
        let typo = lines(&["四、政府信息公开行政法复议、行政诉讼情况", "表四：政府信息公开行政复议、行政诉讼情况"]);
        assert_eq!(section_keys(&typo)[0], Some("review_litigation"));
        // A table's caption is not a section.
        assert_eq!(section_keys(&lines(&["表二：主动公开政府信息情况"])), [None]);
    }

    #[test]
    fn a_page_title_loses_the_portals_suffix() {
        let title = "平潭综合实验区交通运输局2023年政府信息公开年度报告_政府信息公开年报_平潭综合实验区党工委管委会";
        assert_eq!(without_portal_suffix(title), "平潭综合实验区交通运输局2023年政府信息公开年度报告");
        assert_eq!(
            without_portal_suffix("某市2023年政府信息公开工作年度报告 - 某市人民政府"),
            "某市2023年政府信息公开工作年度报告"
        );
        assert_eq!(without_portal_suffix("某市2023年政府信息公开工作年度报告"), "某市2023年政府信息公开工作年度报告");
        assert_eq!(without_portal_suffix("首页_某市人民政府"), "首页_某市人民政府");
    }

    #[test]
    fn a_heading_with_a_typo_cuts_running_text() {
        let text = "…均已结案。四、政府信息公开行政法复议、行政诉讼情况行政复议 0 1 1";
        let (a, b) = near_heading(text, "四、政府信息公开行政复议、行政诉讼情况").unwrap();
        assert_eq!(&text[a..b], "四、政府信息公开行政法复议、行政诉讼情况");
        assert_eq!(near_heading("四、其他", "四、政府信息公开行政复议、行政诉讼情况"), None);
    }

    #[test]
    fn garbled_dates() {
        assert_eq!(garbled_date("2024130").unwrap(), vec!["2024-01-30"]);
        assert_eq!(garbled_date("2024126").unwrap(), vec!["2024-01-26", "2024-12-06"]);
        assert_eq!(garbled_date("2024111").unwrap(), vec!["2024-01-11", "2024-11-01"]);
        assert!(garbled_date("12345").is_none());
        assert_eq!(period_year("本报告中所列数据统计期限为2023年1月1日至12月31日。"), Some(2023));
    }

    #[test]
    fn titles() {
        assert_eq!(year_in("乌鲁木齐市人民政府外事办公室2023年度政府信息公开工作年度报告"), Some(2023));
        assert_eq!(
            agency_in("乌鲁木齐市人民政府外事办公室2023年度政府信息公开工作年度报告").as_deref(),
            Some("乌鲁木齐市人民政府外事办公室")
        );
        assert_eq!(agency_in("2023年上海市政府信息公开工作年度报告").as_deref(), Some("上海市"));
        assert_eq!(date_line("2024年1月30日").as_deref(), Some("2024-01-30"));
        assert_eq!(date_line("二〇二四年"), None);
    }

    #[test]
    fn sections() {
        assert_eq!(section_key("五、信息公开工作存在的主要问题及改进情况"), Some("problems"));
        assert_eq!(section_key("一、本年新收政府信息公开申请数量"), None);
        // What stands before the numeral and is dropped by normalising does not hide a heading.
        for heading in [
            "  一、总体情况",
            "\u{3000}“一、总体情况”",
            "\t六、其他需要报告的事项（见表）",
            "三 、收到和处理政府信息公开申请情况",
        ] {
            assert!(section_key(heading).is_some(), "{heading}");
        }
        assert_eq!(section_key("（一）主动公开"), None);
        assert_eq!(section_key("2023年总体情况"), None);
    }
}
