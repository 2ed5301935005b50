//! Table 4 (行政复议、行政诉讼): found by its 行政复议 header, its 15 value columns keyed by the leaf headers
//! (结果维持 … 总计) under their group (行政复议, 未经复议直接起诉, 复议后起诉), its one value row below.

use rustc_hash::FxHashSet as HashSet;

use super::grid::Builder;
use super::in_region;
use crate::layout::{self, TableId};
use crate::model::TableLocation;

impl Builder<'_> {
    pub(super) fn find_table4(&mut self) {
        for gi in 0..self.grids.len() {
            let grid = &self.grids[gi];
            for r in 0..grid.rows {
                for c in 0..grid.cols {
                    if grid.anchor_of(r, c) == (r, c)
                        && self.norms[gi].at(r, c) == "行政复议"
                        && !in_region(&self.regions, gi, r)
                        && self.scan_table4(gi, r, c)
                    {
                        return;
                    }
                }
            }
        }
    }

    fn scan_table4(&mut self, gi: usize, hr: u32, hc: u32) -> bool {
        let grid = &self.grids[gi];
        let norm = &self.norms[gi];
        let leaf = |t: &str| layout::T4_COLS.iter().find(|(_, l)| *l == t).map(|(k, _)| *k);
        let last_header = (hr + 1..=(hr + 3).min(grid.rows.saturating_sub(1)))
            .filter(|&r| (hc..grid.cols).any(|c| leaf(norm.at(r, c)).is_some()))
            .max();
        let Some(hb) = last_header else { return false };
        let value_row = hb + 1;
        let mut found: Vec<(String, u32)> = Vec::new();
        let mut seen_anchor = HashSet::default();
        let mut order = 0usize;
        for c in hc..grid.cols {
            let Some(col_key) = (hr + 1..=hb).rev().find_map(|r| leaf(norm.at(r, c))) else {
                continue;
            };
            if !seen_anchor.insert(grid.anchor_of(hb, c)) {
                continue;
            }
            let above: Vec<&str> = (hr..=hb).map(|r| norm.at(r, c)).collect();
            let group = if above.contains(&"未经复议直接起诉") {
                "litigation_direct"
            } else if above.contains(&"复议后起诉") {
                "litigation_after_review"
            } else if above.contains(&"行政复议") {
                "review"
            } else {
                // No group header above: fall back on the order of the format (5 columns a group).
                layout::T4_GROUPS.get(order / 5).map_or("review", |g| g.key)
            };
            order += 1;
            found.push((layout::t4_key(group, col_key), c));
        }
        if found.len() < 5 {
            return false;
        }
        self.tables.insert(TableId::T4, TableLocation { grid: gi, header_row: hr });
        self.regions.push((gi, hr, value_row.min(grid.rows.saturating_sub(1))));
        if value_row < grid.rows {
            for (key, c) in found {
                self.insert(&key, gi, value_row, c);
            }
        }
        true
    }
}
