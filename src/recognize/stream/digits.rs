//! Digits run together (`规范性文件898989`): the ways a run of digits can be cut into a row's numbers, and the cut
//! the table's own arithmetic leaves (the row total, (七)总计, the 勾稽关系). Never a guess: where several cuts
//! survive, the row stays unread and says why.

use crate::layout::{self, T3Row};
use crate::normalize;

/// Every way to cut the tokens into exactly `n` numbers: a token may be cut only when it is a run of digits, and
/// no piece but `0` itself starts with 0. At most `cap` ways are returned.
pub(super) fn cuts(tokens: &[String], n: usize, cap: usize) -> Vec<Vec<String>> {
    fn pieces(digits: &str, k: usize, out: &mut Vec<Vec<String>>, cur: &mut Vec<String>, cap: usize) {
        if out.len() >= cap {
            return;
        }
        if k == 1 {
            if digits.len() == 1 || !digits.starts_with('0') {
                cur.push(digits.to_string());
                out.push(cur.clone());
                cur.pop();
            }
            return;
        }
        let max_first = if digits.starts_with('0') { 1 } else { digits.len().saturating_sub(k - 1) };
        for len in 1..=max_first {
            cur.push(digits[..len].to_string());
            pieces(&digits[len..], k - 1, out, cur, cap);
            cur.pop();
        }
    }
    fn go(tokens: &[String], n: usize, out: &mut Vec<Vec<String>>, prefix: &mut Vec<String>, cap: usize) {
        if out.len() >= cap {
            return;
        }
        let Some((first, rest)) = tokens.split_first() else {
            if n == 0 {
                out.push(prefix.clone());
            }
            return;
        };
        let splittable = first.len() > 1 && first.chars().all(|c| c.is_ascii_digit());
        let max_k = if splittable { first.len().min(n.saturating_sub(rest.len())) } else { 1 };
        for k in 1..=max_k {
            if n < k {
                break;
            }
            let mut ways = Vec::new();
            pieces(first, k, &mut ways, &mut Vec::new(), cap);
            if k == 1 && ways.is_empty() {
                ways.push(vec![first.clone()]);
            }
            for w in ways {
                let len = prefix.len();
                prefix.extend(w);
                go(rest, n - k, out, prefix, cap);
                prefix.truncate(len);
            }
        }
    }
    if tokens.len() > n || tokens.iter().map(String::len).sum::<usize>() > 64 {
        return Vec::new();
    }
    let mut out = Vec::new();
    go(tokens, n, &mut out, &mut Vec::new(), cap);
    out
}

pub(super) fn num(s: &str) -> f64 {
    normalize::parse_value(s).number().unwrap_or(f64::NAN)
}

pub(super) const CAP: usize = 20_000;

pub(super) fn cut_reason(tokens: &[String], n: usize, ways: &[Vec<String>]) -> (String, String) {
    if ways.is_empty() {
        (
            format!("应有 {n} 个数字，读到 {} 个（{}），无法对应到各栏", tokens.len(), tokens.join(" ")),
            format!(
                "{n} numbers expected, {} found ({}); they cannot be matched to the columns",
                tokens.len(),
                tokens.join(" ")
            ),
        )
    } else {
        // A few ways are listed, for the reader who can settle them from what they know.
        let listed = |sep: &str| ways.iter().map(|w| w.join(" | ")).collect::<Vec<_>>().join(sep);
        let (zh, en) = if ways.len() <= 4 {
            (format!("：{}", listed("；")), format!(": {}", listed("; ")))
        } else {
            (String::new(), String::new())
        };
        (
            format!("数字连写在一起（{}），有 {} 种拆分都说得通{zh}，无法确定各栏的值", tokens.join(" "), ways.len()),
            format!(
                "the digits run together ({}) and {} ways to cut them fit{en}; the cells are left unknown",
                tokens.join(" "),
                ways.len()
            ),
        )
    }
}

/// The first `n` numbers of a token list, cutting a digit run when the row runs on into the next table.
pub(super) fn first_numbers(tokens: &[(String, usize)], n: usize) -> Vec<(String, usize)> {
    if tokens.len() >= n {
        return tokens[..n].to_vec();
    }
    tokens.to_vec()
}

pub(super) fn row_total_holds(values: &[String]) -> bool {
    let v: Vec<f64> = values.iter().map(|x| num(x)).collect();
    v.len() == layout::T3_COLS.len() && (v[..6].iter().sum::<f64>() - v[6]).abs() < 1e-9
}

/// Pick one cut per row so that every column satisfies (七)总计 = Σ results and 新收 + 结转 = 总计 + 结转下年度.
/// A row is settled when all the combinations that satisfy the columns agree on it; rows that stay ambiguous
/// get `None`.
pub(super) fn resolve_columns(rows: &[T3Row], candidates: &[Vec<Vec<String>>]) -> Vec<Option<Vec<String>>> {
    let mut choice: Vec<Option<Vec<String>>> =
        candidates.iter().map(|c| if c.len() == 1 { c.first().cloned() } else { None }).collect();
    let open: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].len() > 1).collect();
    if open.is_empty() {
        return choice;
    }
    let combos: usize = open.iter().map(|&i| candidates[i].len()).product();
    if combos > 200_000 || candidates.iter().any(Vec::is_empty) {
        return choice;
    }
    let index = |key: &str| rows.iter().position(|r| r.key == key);
    let results: Vec<usize> =
        rows.iter().enumerate().filter(|(_, r)| r.role == layout::T3Role::Result).map(|(i, _)| i).collect();
    let (Some(new), Some(over), Some(total), Some(fwd)) =
        (index("new_received"), index("carried_over"), index("result.total"), index("carried_forward"))
    else {
        return choice;
    };
    let mut solutions: Vec<Vec<usize>> = Vec::new();
    let mut pick = vec![0usize; open.len()];
    loop {
        let value = |row: usize, col: usize| -> f64 {
            let cut = match open.iter().position(|&o| o == row) {
                Some(k) => &candidates[row][pick[k]],
                None => &candidates[row][0],
            };
            num(&cut[col])
        };
        let ok = (0..layout::T3_COLS.len()).all(|c| {
            let sum: f64 = results.iter().map(|&r| value(r, c)).sum();
            (sum - value(total, c)).abs() < 1e-9
                && (value(new, c) + value(over, c) - value(total, c) - value(fwd, c)).abs() < 1e-9
        });
        if ok {
            solutions.push(pick.clone());
            if solutions.len() > 1 && solutions.iter().all(|s| s == &solutions[0]) {
                break;
            }
        }
        // Next combination.
        let mut k = 0;
        loop {
            if k == open.len() {
                break;
            }
            pick[k] += 1;
            if pick[k] < candidates[open[k]].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
        if k == open.len() {
            break;
        }
    }
    for (k, &row) in open.iter().enumerate() {
        let picks: Vec<usize> = solutions.iter().map(|s| s[k]).collect();
        if let Some(&first) = picks.first()
            && picks.iter().all(|&p| p == first)
        {
            choice[row] = Some(candidates[row][first].clone());
        }
    }
    choice
}
