//! The three standard tables as grids of slots with merges, built from [`crate::layout`] for either format
//! version. The XLSX writer, the DOCX writer and the blank template all draw these grids, so the standard layout
//! is spelled once.

use std::sync::LazyLock;

use crate::layout::{self, FormatVersion, T2Row, T3Role, TableId};

/// What one position of a standard table holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// Nothing (covered by a merge, or an empty corner).
    Empty,
    /// A column header or block heading (bold).
    Header(String),
    /// A row label.
    Label(String),
    /// A value cell, by canonical key.
    Value(String),
}

/// A merged rectangle, inclusive, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub r1: u32,
    pub c1: u32,
    pub r2: u32,
    pub c2: u32,
}

/// One standard table.
#[derive(Debug, Clone)]
pub struct Table {
    pub id: TableId,
    /// The section heading the table belongs under.
    pub heading: &'static str,
    pub cols: u32,
    pub rows: Vec<Vec<Slot>>,
    pub merges: Vec<Merge>,
    /// Relative column widths (sum to 1).
    pub widths: Vec<f64>,
}

impl Table {
    fn new(id: TableId, heading: &'static str, cols: u32, widths: Vec<f64>) -> Self {
        Table { id, heading, cols, rows: Vec::new(), merges: Vec::new(), widths }
    }

    fn row(&mut self, slots: Vec<Slot>) -> u32 {
        let mut slots = slots;
        slots.resize(self.cols as usize, Slot::Empty);
        self.rows.push(slots);
        self.rows.len() as u32 - 1
    }

    fn merge(&mut self, r1: u32, c1: u32, r2: u32, c2: u32) {
        if (r1, c1) != (r2, c2) {
            self.merges.push(Merge { r1, c1, r2, c2 });
        }
    }

    /// The merge anchored at a position, if any.
    pub fn merge_at(&self, r: u32, c: u32) -> Option<Merge> {
        self.merges.iter().copied().find(|m| m.r1 == r && m.c1 == c)
    }

    /// The merge covering a position (anchored elsewhere), if any.
    pub fn covering(&self, r: u32, c: u32) -> Option<Merge> {
        self.merges
            .iter()
            .copied()
            .find(|m| (m.r1..=m.r2).contains(&r) && (m.c1..=m.c2).contains(&c) && (m.r1, m.c1) != (r, c))
    }

    /// Every value slot with its position.
    pub fn values(&self) -> impl Iterator<Item = (u32, u32, &str)> {
        self.rows.iter().enumerate().flat_map(|(r, row)| {
            row.iter().enumerate().filter_map(move |(c, s)| match s {
                Slot::Value(k) => Some((r as u32, c as u32, k.as_str())),
                _ => None,
            })
        })
    }

    /// The position of a key's value slot.
    pub fn position(&self, key: &str) -> Option<(u32, u32)> {
        self.values().find(|(_, _, k)| *k == key).map(|(r, c, _)| (r, c))
    }
}

fn h(text: &str) -> Slot {
    Slot::Header(text.to_string())
}
fn l(text: &str) -> Slot {
    Slot::Label(text.to_string())
}
fn v(key: String) -> Slot {
    Slot::Value(key)
}

fn table2(rows: &[T2Row], prefix: &str) -> Table {
    let mut t = Table::new(TableId::T2, layout::SECTIONS[1].1, 4, vec![0.31, 0.23, 0.23, 0.23]);
    let mut block = "";
    for row in rows {
        if row.block != block {
            block = row.block;
            let r = t.row(vec![h(&block.replace('(', "（").replace(')', "）"))]);
            t.merge(r, 0, r, 3);
            let mut slots = vec![h("信息内容")];
            slots.extend(
                row.fields.iter().map(|f| h(&f.header.replace('(', "（").replace(')', "）").replace(':', "："))),
            );
            let r = t.row(slots);
            merge_tail(&mut t, r, row.fields.len());
        }
        let mut slots = vec![l(row.label)];
        slots.extend(row.fields.iter().map(|f| v(format!("{prefix}.{}.{}.{}", row.block_key, row.row_key, f.key))));
        let r = t.row(slots);
        merge_tail(&mut t, r, row.fields.len());
    }
    t
}

/// A block row with fewer than three value columns: its last field spans the remaining columns.
fn merge_tail(t: &mut Table, r: u32, fields: usize) {
    if fields < 3 {
        t.merge(r, fields as u32, r, 3);
    }
}

fn table3(format: FormatVersion) -> Table {
    let rows: &[layout::T3Row] = match format {
        FormatVersion::Trial2019 => &layout::T3_ROWS_TRIAL,
        _ => &layout::T3_ROWS_2021,
    };
    let mut widths = vec![0.06, 0.11, 0.30];
    widths.extend([0.53 / 7.0; 7]);
    let mut t = Table::new(TableId::T3, layout::SECTIONS[2].1, 10, widths);
    let note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    t.row(vec![l(note), Slot::Empty, Slot::Empty, h("申请人情况")]);
    t.merge(0, 0, 2, 2);
    t.merge(0, 3, 0, 9);
    t.row(vec![
        Slot::Empty,
        Slot::Empty,
        Slot::Empty,
        h("自然人"),
        h("法人或其他组织"),
        Slot::Empty,
        Slot::Empty,
        Slot::Empty,
        Slot::Empty,
        h("总计"),
    ]);
    t.merge(1, 3, 2, 3);
    t.merge(1, 4, 1, 8);
    t.merge(1, 9, 2, 9);
    let mut sub = vec![Slot::Empty; 4];
    sub.extend(layout::T3_COLS[1..6].iter().map(|c| h(c.label)));
    t.row(sub);

    let first = t.rows.len() as u32;
    let mut result_rows = Vec::new();
    let mut group_start: Option<(&str, u32)> = None;
    for row in rows {
        let r = t.rows.len() as u32;
        let label = row.label.replace('(', "（").replace(')', "）").replace(',', "，");
        let mut slots = match row.role {
            T3Role::Result | T3Role::ResultTotal => {
                result_rows.push(r);
                match row.group {
                    Some(g) => {
                        vec![l(layout::T3_RESULTS_HEADER), l(&g.replace('(', "（").replace(')', "）")), l(&label)]
                    }
                    None => vec![l(layout::T3_RESULTS_HEADER), l(&label), Slot::Empty],
                }
            }
            _ => vec![l(&label), Slot::Empty, Slot::Empty],
        };
        slots.extend((0..layout::T3_COLS.len()).map(|ci| v(layout::t3_key(row.key, ci))));
        t.row(slots);
        match (row.role, row.group) {
            (T3Role::Result | T3Role::ResultTotal, None) => t.merge(r, 1, r, 2),
            (T3Role::Result, Some(_)) => {}
            _ => t.merge(r, 0, r, 2),
        }
        // Close a group of items under one (三)…(六) label.
        match (group_start, row.group) {
            (Some((g, _)), Some(now)) if g == now => {}
            (prev, now) => {
                if let Some((_, start)) = prev {
                    close_group(&mut t, start, r - 1);
                }
                group_start = now.map(|g| (g, r));
            }
        }
    }
    if let Some((_, start)) = group_start {
        let last = t.rows.len() as u32 - 1;
        close_group(&mut t, start, last);
    }
    if let (Some(&a), Some(&b)) = (result_rows.first(), result_rows.last()) {
        t.merge(a, 0, b, 0);
        clear_covered(&mut t, a, 0, b, 0);
    }
    debug_assert!(first > 0);
    t
}

fn close_group(t: &mut Table, start: u32, end: u32) {
    t.merge(start, 1, end, 1);
    clear_covered(t, start, 1, end, 1);
}

/// A merged region shows only its top-left text.
fn clear_covered(t: &mut Table, r1: u32, c1: u32, r2: u32, c2: u32) {
    for r in r1..=r2 {
        for c in c1..=c2 {
            if (r, c) != (r1, c1)
                && let Some(s) = t.rows.get_mut(r as usize).and_then(|row| row.get_mut(c as usize))
            {
                *s = Slot::Empty;
            }
        }
    }
}

fn table4() -> Table {
    let mut t = Table::new(TableId::T4, layout::SECTIONS[3].1, 15, vec![1.0 / 15.0; 15]);
    let mut top = vec![h("行政复议")];
    top.extend(vec![Slot::Empty; 4]);
    top.push(h("行政诉讼"));
    t.row(top);
    t.merge(0, 0, 0, 4);
    t.merge(0, 5, 0, 14);
    let mut mid: Vec<Slot> = layout::T4_COLS.iter().map(|(_, label)| h(label)).collect();
    mid.push(h(layout::T4_GROUPS[1].label));
    mid.extend(vec![Slot::Empty; 4]);
    mid.push(h(layout::T4_GROUPS[2].label));
    t.row(mid);
    for c in 0..5 {
        t.merge(1, c, 2, c);
    }
    t.merge(1, 5, 1, 9);
    t.merge(1, 10, 1, 14);
    let mut sub = vec![Slot::Empty; 5];
    for _ in 0..2 {
        sub.extend(layout::T4_COLS.iter().map(|(_, label)| h(label)));
    }
    t.row(sub);
    t.row(
        layout::T4_GROUPS
            .iter()
            .flat_map(|g| layout::T4_COLS.iter().map(move |(c, _)| v(layout::t4_key(g.key, c))))
            .collect(),
    );
    t
}

/// The standard tables of a format version (trial reports keep their trial layout; anything else gets 2021).
pub fn standard(format: FormatVersion) -> &'static [Table] {
    static V2021: LazyLock<Vec<Table>> =
        LazyLock::new(|| vec![table2(layout::T2_2021, "t2"), table3(FormatVersion::V2021), table4()]);
    static TRIAL: LazyLock<Vec<Table>> =
        LazyLock::new(|| vec![table2(layout::T2_TRIAL, "t2v19"), table3(FormatVersion::Trial2019), table4()]);
    match format {
        FormatVersion::Trial2019 => &TRIAL,
        _ => &V2021,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_key_has_one_slot() {
        let tables = standard(FormatVersion::V2021);
        let keys: Vec<&str> = tables.iter().flat_map(|t| t.values().map(|(_, _, k)| k)).collect();
        assert_eq!(keys.len(), 200);
        for spec in layout::KEYS_2021.iter() {
            assert!(keys.contains(&spec.key.as_str()), "{}", spec.key);
        }
        let trial: usize = standard(FormatVersion::Trial2019).iter().map(|t| t.values().count()).sum();
        assert_eq!(trial, 22 + 161 + 15);
    }

    #[test]
    fn merges_do_not_overlap() {
        for t in standard(FormatVersion::V2021).iter().chain(standard(FormatVersion::Trial2019)) {
            for (i, a) in t.merges.iter().enumerate() {
                for b in &t.merges[i + 1..] {
                    let overlap = a.r1 <= b.r2 && b.r1 <= a.r2 && a.c1 <= b.c2 && b.c1 <= a.c2;
                    assert!(!overlap, "{:?}: {a:?} overlaps {b:?}", t.id);
                }
            }
        }
    }
}
