//! The spreadsheet formulas a report's totals are made of, evaluated where a workbook's saved results cannot be
//! trusted.
//!
//! A workbook keeps each formula's last result (`<v>`) beside its text (`<f>`). Excel, WPS and LibreOffice store
//! fresh results; a program that does not calculate (openpyxl, rust_xlsxwriter, a web system's export) stores none,
//! or 0, or whatever the template held. Read as saved, such totals look blank or wrong although the formula is
//! right (CRATES.md: the rule must then say the saved result is missing or stale, not that the total is wrong).
//!
//! The totals of a report are sums: `SUM(D5:I5)`, `D5+E5+F5`, `SUM(J5:J20)-J12`. Those are evaluated here over the
//! sheet's own cells; anything else (other functions, other sheets, text operations) is left as saved.

use rustc_hash::FxHashMap;

use crate::raw::parse_a1;

/// A formula reduced to what gongkai evaluates: a signed sum of terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Sum {
    terms: Vec<(f64, Term)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Number(f64),
    /// A single cell: blank counts as 0, text makes the formula an error (as `+` does in a spreadsheet).
    Cell(Ref),
    /// `SUM(…)`: numbers only; blank and text cells are skipped.
    Sum(Vec<Arg>),
    Group(Sum),
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Range(Ref, Ref),
    Expr(Sum),
}

/// A cell reference; `$` parts stay put when a shared formula is copied.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ref {
    row: u32,
    col: u32,
    row_fixed: bool,
    col_fixed: bool,
}

/// The most cells one sheet's formulas may read, how deep formulas may refer to formulas, and how many terms and
/// arguments one formula may have (a report's sums have a few dozen; each of a shared formula's copies holds its
/// own): a hostile sheet is bounded.
const MAX_CELLS_READ: usize = 100_000;
const MAX_DEPTH: usize = 64;
const MAX_PARTS: usize = 128;

/// Parse a formula (with or without its leading `=`); `None` for anything but sums of this sheet's cells.
pub fn parse(text: &str) -> Option<Sum> {
    let mut p = Parser { s: text.trim().trim_start_matches('=').as_bytes(), at: 0, depth: 0, parts: 0 };
    let sum = p.sum()?;
    p.skip_space();
    (p.at == p.s.len()).then_some(sum)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
    depth: usize,
    parts: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Move past the bytes that satisfy `keep`; their span.
    fn span_while(&mut self, keep: impl Fn(&u8) -> bool) -> (usize, usize) {
        let start = self.at;
        while self.s.get(self.at).is_some_and(&keep) {
            self.at += 1;
        }
        (start, self.at)
    }

    /// Move past a `$` (a fixed part of a reference); whether there was one.
    fn skip_dollar(&mut self) -> bool {
        let fixed = self.s.get(self.at) == Some(&b'$');
        self.at += usize::from(fixed);
        fixed
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.at += 1;
        }
        found
    }

    fn sum(&mut self) -> Option<Sum> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut terms = Vec::new();
        let mut sign = if self.eat(b'-') {
            -1.0
        } else {
            self.eat(b'+');
            1.0
        };
        loop {
            terms.push((sign, self.term()?));
            sign = match self.peek() {
                Some(b'+') => 1.0,
                Some(b'-') => -1.0,
                _ => break,
            };
            self.at += 1;
        }
        self.depth -= 1;
        Some(Sum { terms })
    }

    fn term(&mut self) -> Option<Term> {
        self.parts += 1;
        if self.parts > MAX_PARTS {
            return None;
        }
        match self.peek()? {
            b'(' => {
                self.at += 1;
                let inner = self.sum()?;
                self.eat(b')').then_some(Term::Group(inner))
            }
            b'0'..=b'9' | b'.' => {
                let (start, end) = self.span_while(|b| b.is_ascii_digit() || *b == b'.');
                std::str::from_utf8(&self.s[start..end]).ok()?.parse().ok().map(Term::Number)
            }
            _ => {
                let (word_start, word_end) = self.span_while(u8::is_ascii_alphabetic);
                if self.s[word_start..word_end].eq_ignore_ascii_case(b"SUM") && self.eat(b'(') {
                    let mut args = vec![self.arg()?];
                    while self.eat(b',') {
                        args.push(self.arg()?);
                    }
                    return self.eat(b')').then_some(Term::Sum(args));
                }
                self.at = word_start;
                self.reference().map(Term::Cell)
            }
        }
    }

    fn arg(&mut self) -> Option<Arg> {
        self.parts += 1;
        if self.parts > MAX_PARTS {
            return None;
        }
        let start = self.at;
        if let Some(first) = self.reference() {
            if self.eat(b':') {
                return Some(Arg::Range(first, self.reference()?));
            }
            self.at = start;
        }
        self.sum().map(Arg::Expr)
    }

    /// `A1`, `$A$1`, `A$1`: letters then digits, each part optionally fixed with `$`.
    fn reference(&mut self) -> Option<Ref> {
        self.skip_space();
        let start = self.at;
        let col_fixed = self.skip_dollar();
        let (letters, letters_end) = self.span_while(u8::is_ascii_alphabetic);
        let row_fixed = self.skip_dollar();
        let (digits, digits_end) = self.span_while(u8::is_ascii_digit);
        // A name followed by `(` or `!` is a function or another sheet: not a sum of this sheet's cells.
        let plain = letters_end > letters && digits_end > digits && !matches!(self.s.get(self.at), Some(b'(' | b'!'));
        let mut a1 = self.s[letters..letters_end].to_vec();
        a1.extend_from_slice(&self.s[digits..digits_end]);
        match std::str::from_utf8(&a1).ok().and_then(parse_a1).filter(|_| plain) {
            Some((row, col)) => Some(Ref { row, col, row_fixed, col_fixed }),
            None => {
                self.at = start;
                None
            }
        }
    }
}

impl Sum {
    /// The formula as written in a cell `(dr, dc)` away from the one it was written for (a shared formula).
    pub fn shifted(&self, dr: i64, dc: i64) -> Option<Sum> {
        let shift_ref = |r: &Ref| -> Option<Ref> {
            let row = if r.row_fixed { i64::from(r.row) } else { i64::from(r.row) + dr };
            let col = if r.col_fixed { i64::from(r.col) } else { i64::from(r.col) + dc };
            Some(Ref { row: u32::try_from(row).ok()?, col: u32::try_from(col).ok()?, ..*r })
        };
        let terms = self
            .terms
            .iter()
            .map(|(sign, term)| {
                let term = match term {
                    Term::Number(n) => Term::Number(*n),
                    Term::Cell(r) => Term::Cell(shift_ref(r)?),
                    Term::Group(inner) => Term::Group(inner.shifted(dr, dc)?),
                    Term::Sum(args) => Term::Sum(
                        args.iter()
                            .map(|a| match a {
                                Arg::Range(a, b) => Some(Arg::Range(shift_ref(a)?, shift_ref(b)?)),
                                Arg::Expr(e) => e.shifted(dr, dc).map(Arg::Expr),
                            })
                            .collect::<Option<_>>()?,
                    ),
                };
                Some((*sign, term))
            })
            .collect::<Option<_>>()?;
        Some(Sum { terms })
    }
}

impl std::fmt::Display for Sum {
    /// The formula as a spreadsheet shows it (a shared formula's copy has no text of its own in the file).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn cell(f: &mut std::fmt::Formatter<'_>, r: &Ref) -> std::fmt::Result {
            let (col, row) = (if r.col_fixed { "$" } else { "" }, if r.row_fixed { "$" } else { "" });
            write!(f, "{col}{}{row}{}", crate::raw::column_letters(r.col), r.row + 1)
        }
        for (i, (sign, term)) in self.terms.iter().enumerate() {
            match (i, *sign < 0.0) {
                (_, true) => f.write_str("-")?,
                (0, false) => {}
                (_, false) => f.write_str("+")?,
            }
            match term {
                Term::Number(n) => write!(f, "{n}")?,
                Term::Cell(r) => cell(f, r)?,
                Term::Group(inner) => write!(f, "({inner})")?,
                Term::Sum(args) => {
                    f.write_str("SUM(")?;
                    for (j, arg) in args.iter().enumerate() {
                        if j > 0 {
                            f.write_str(",")?;
                        }
                        match arg {
                            Arg::Range(a, b) => {
                                cell(f, a)?;
                                f.write_str(":")?;
                                cell(f, b)?;
                            }
                            Arg::Expr(e) => write!(f, "{e}")?,
                        }
                    }
                    f.write_str(")")?;
                }
            }
        }
        Ok(())
    }
}

/// What a formula reads in a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Blank,
    Number(f64),
    Text,
}

/// A sheet's formulas, evaluated over its cells; each formula cell's result is worked out once.
pub struct Evaluator<'a> {
    values: &'a dyn Fn(u32, u32) -> Value,
    formulas: &'a FxHashMap<(u32, u32), Sum>,
    results: FxHashMap<(u32, u32), Option<f64>>,
    in_progress: Vec<(u32, u32)>,
    cells_read: usize,
}

impl<'a> Evaluator<'a> {
    /// `values` gives a cell's saved value; `formulas` the parsed formula of each formula cell.
    pub fn new(values: &'a dyn Fn(u32, u32) -> Value, formulas: &'a FxHashMap<(u32, u32), Sum>) -> Self {
        Evaluator { values, formulas, results: FxHashMap::default(), in_progress: Vec::new(), cells_read: 0 }
    }

    /// The result of the formula in `(row, col)`; `None` when it cannot be worked out (text, a cycle, too deep).
    pub fn result(&mut self, at: (u32, u32)) -> Option<f64> {
        if let Some(known) = self.results.get(&at) {
            return *known;
        }
        let formula = self.formulas.get(&at)?;
        if self.in_progress.contains(&at) || self.in_progress.len() >= MAX_DEPTH {
            return None;
        }
        self.in_progress.push(at);
        let result = self.sum(formula);
        self.in_progress.pop();
        self.results.insert(at, result);
        result
    }

    fn value(&mut self, at: (u32, u32)) -> Option<Value> {
        self.cells_read += 1;
        if self.cells_read > MAX_CELLS_READ {
            return None;
        }
        if self.formulas.contains_key(&at) {
            return self.result(at).map(Value::Number);
        }
        Some((self.values)(at.0, at.1))
    }

    fn sum(&mut self, formula: &Sum) -> Option<f64> {
        let mut total = 0.0;
        for (sign, term) in &formula.terms {
            let v = match term {
                Term::Number(n) => *n,
                Term::Group(inner) => self.sum(inner)?,
                Term::Cell(r) => match self.value((r.row, r.col))? {
                    Value::Blank => 0.0,
                    Value::Number(n) => n,
                    Value::Text => return None,
                },
                Term::Sum(args) => {
                    let mut s = 0.0;
                    for arg in args {
                        match arg {
                            Arg::Expr(e) => s += self.sum(e)?,
                            Arg::Range(a, b) => {
                                let (r0, r1) = (a.row.min(b.row), a.row.max(b.row));
                                let (c0, c1) = (a.col.min(b.col), a.col.max(b.col));
                                let size = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
                                if size > MAX_CELLS_READ as u64 {
                                    return None;
                                }
                                for r in r0..=r1 {
                                    for c in c0..=c1 {
                                        if let Value::Number(n) = self.value((r, c))? {
                                            s += n;
                                        }
                                    }
                                }
                            }
                        }
                    }
                    s
                }
            };
            total += sign * v;
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(cells: &[((u32, u32), Value)], formulas: &[((u32, u32), &str)], at: (u32, u32)) -> Option<f64> {
        let values: FxHashMap<(u32, u32), Value> = cells.iter().copied().collect();
        let lookup = move |r: u32, c: u32| values.get(&(r, c)).copied().unwrap_or(Value::Blank);
        let parsed: FxHashMap<(u32, u32), Sum> = formulas.iter().map(|(at, f)| (*at, parse(f).unwrap())).collect();
        Evaluator::new(&lookup, &parsed).result(at)
    }

    #[test]
    fn sums_parse_and_the_rest_does_not() {
        for ok in ["=SUM(D5:I5)", "SUM(D5:I5)", "=d5+E5+F5", "=SUM(J5:J20)-J12", "=SUM($D$5:I5, 3, (A1+2))", "=-A1"] {
            assert!(parse(ok).is_some(), "{ok}");
        }
        for no in ["=AVERAGE(A1:A3)", "=Sheet2!A1", "=A1*2", "=IF(A1=0,1,2)", "=SUM(A1:A3", "=\"x\"", "=A1&B1", ""] {
            assert!(parse(no).is_none(), "{no}");
        }
        assert!(parse(&vec!["A1"; 60].join("+")).is_some());
        assert!(parse(&vec!["A1"; 200].join("+")).is_none(), "more parts than a report's sums have");
    }

    #[test]
    fn sums_read_numbers_and_skip_text_as_spreadsheets_do() {
        let n = Value::Number;
        let cells = [((0, 0), n(3.0)), ((0, 1), n(4.0)), ((0, 2), Value::Text), ((0, 3), Value::Blank)];
        assert_eq!(eval(&cells, &[((0, 4), "=SUM(A1:D1)")], (0, 4)), Some(7.0));
        assert_eq!(eval(&cells, &[((0, 4), "=A1+B1+D1")], (0, 4)), Some(7.0));
        assert_eq!(eval(&cells, &[((0, 4), "=A1+C1")], (0, 4)), None, "text in + is an error");
        assert_eq!(eval(&cells, &[((0, 4), "=SUM(A1:B1)-A1+0.5")], (0, 4)), Some(4.5));
    }

    #[test]
    fn formulas_that_read_formulas_are_followed_and_cycles_stop() {
        let cells = [((0, 0), Value::Number(2.0)), ((1, 0), Value::Number(5.0))];
        let chain = [((0, 1), "=A1*1"), ((2, 0), "=SUM(A1:A2)"), ((3, 0), "=A3+A1")];
        let chain: Vec<_> = chain.iter().filter(|(_, f)| parse(f).is_some()).copied().collect();
        assert_eq!(eval(&cells, &chain, (3, 0)), Some(9.0));
        assert_eq!(eval(&cells, &[((0, 1), "=B2"), ((1, 1), "=B1")], (0, 1)), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_not_without_panicking(text in "[=$:,()+\\- A-Za-z0-9.!]{0,40}", dr in -3i64..3, dc in -3i64..3) {
            if let Some(sum) = parse(&text) {
                let shown = sum.to_string();
                proptest::prop_assert_eq!(parse(&shown), Some(sum.clone()), "{} → {}", text, shown);
                let formulas: FxHashMap<(u32, u32), Sum> = sum.shifted(dr, dc).map(|s| ((0, 0), s)).into_iter().collect();
                let lookup = |r: u32, c: u32| if (r + c).is_multiple_of(3) { Value::Number(f64::from(r)) } else { Value::Blank };
                let _ = Evaluator::new(&lookup, &formulas).result((0, 0));
            }
        }
    }

    #[test]
    fn a_shared_formula_moves_its_relative_parts() {
        let master = parse("=SUM(D5:I5)+$A$1").unwrap();
        assert_eq!(master.shifted(1, 0), parse("=SUM(D6:I6)+$A$1"));
        assert_eq!(master.shifted(1, 0).unwrap().to_string(), "SUM(D6:I6)+$A$1");
        assert_eq!(master.shifted(0, -10), None, "off the sheet");
    }
}
