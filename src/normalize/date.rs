//! Dates as reports write them: the date line (落款) `2024年1月30日`, a date line whose 年月日 were lost in
//! extraction (`2024130`), and the distance between two dates.

use super::{label, without_whitespace};

/// Roughly how many days lie between two `YYYY-MM-DD` dates.
pub fn days_apart(a: &str, b: &str) -> Option<i64> {
    let day = |d: &str| -> Option<i64> {
        let p: Vec<i64> = d.split('-').filter_map(|x| x.parse().ok()).collect();
        let [y, m, d] = p[..] else { return None };
        Some(y * 372 + (m - 1) * 31 + d)
    };
    Some((day(a)? - day(b)?).abs())
}

/// A date line whose 年, 月, 日 were lost in extraction (`2024130`): every valid reading, as `YYYY-MM-DD`.
/// `None` when the line is not such a run of digits.
pub fn garbled_date(text: &str) -> Option<Vec<String>> {
    let t = without_whitespace(text);
    let t = t.trim_end_matches('日');
    if !(6..=8).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_digit()) || !t.starts_with("20") {
        return None;
    }
    let (y, rest) = t.split_at(4);
    let y: i32 = y.parse().ok()?;
    let mut readings = Vec::new();
    for m_len in 1..=2 {
        if rest.len() <= m_len {
            continue;
        }
        let (m, d) = rest.split_at(m_len);
        if m.starts_with('0') && m_len == 1 || d.starts_with('0') && d.len() == 1 || d.len() > 2 {
            continue;
        }
        let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>()) else { continue };
        let days = match m {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if (1..=12).contains(&m) && (1..=days).contains(&d) {
            readings.push(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    (!readings.is_empty()).then_some(readings)
}

/// A date line `2024年1月30日` as `2024-01-30`.
pub fn date_line(text: &str) -> Option<String> {
    if text.len() > 60 {
        return None;
    }
    let t: String = label(text);
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(garbled_date("2024130").unwrap(), vec!["2024-01-30"]);
        assert_eq!(garbled_date("2024126").unwrap(), vec!["2024-01-26", "2024-12-06"]);
        assert!(garbled_date("12345").is_none());
        assert_eq!(date_line("2024年1月30日").as_deref(), Some("2024-01-30"));
        assert_eq!(date_line("二〇二四年"), None);
        assert_eq!(days_apart("2024-01-30", "2024-02-02"), Some(3));
    }
}
