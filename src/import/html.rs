//! HTML pages → paragraphs and grids, with scraper (html5ever).
//!
//! Each top-level `<table>` becomes a grid with `rowspan`/`colspan` resolved into merges; a nested table is read as
//! text of its cell. Text outside tables becomes paragraphs, one per block element; page furniture (浏览次数,
//! 【字体:, 打印, 附件下载, 相关链接, …) is dropped, and the page's 发布时间/发布日期 is kept as metadata. Pages in
//! GBK/GB2312/GB18030 are decoded by their declared charset (encoding_rs), or by trying GB18030 when UTF-8 fails.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{ImportError, bound_text, limits};
use crate::raw::{Addressing, Grid, InputKind, Paragraph, RawDocument};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "br",
    "tr",
    "td",
    "th",
    "table",
    "title",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "center",
    "form",
];
const SKIP: &[&str] = &["script", "style", "noscript", "template", "select", "button", "iframe", "svg", "meta", "link"];
/// Lines of page furniture that are not part of the report.
const BOILERPLATE: &[&str] = &[
    "浏览次数",
    "【字体",
    "字体：",
    "字体:",
    "附件下载",
    "相关链接",
    "打印本页",
    "关闭窗口",
    "分享到",
    "【打印】",
    "【关闭】",
    "扫一扫",
];

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<RawDocument, ImportError> {
    super::web::within_limit(name, bytes, "HTML", "网页")?;
    let text = super::web::decode(bytes);
    let html = Html::parse_document(&text);
    let mut walker = Walker::default();
    walker.walk(html.tree.root());
    walker.flush();
    let mut paragraphs = Vec::new();
    let mut published = None;
    for (i, line) in walker.lines.into_iter().enumerate() {
        if published.is_none() {
            published = super::web::page_date(&line);
        }
        if BOILERPLATE.iter().any(|b| line.contains(b)) && line.chars().count() < 120 {
            continue;
        }
        paragraphs.push(Paragraph { text: bound_text(line), origin: format!("第{}段", i + 1), cells: Vec::new() });
    }
    Ok(RawDocument { kind: InputKind::Html, paragraphs, grids: walker.grids, property_title: walker.title, published })
}

#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    current: String,
    grids: Vec<Grid>,
    title: Option<String>,
    /// The tables that hold other tables: a portal's layout, walked into as blocks, not read as a grid.
    layout_tables: std::collections::HashSet<ego_tree::NodeId>,
}

impl Walker {
    fn flush(&mut self) {
        let line = self.current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.current.clear();
    }

    /// Walk the tree in document order with an explicit stack (deeply nested pages must not overflow the stack).
    fn walk(&mut self, root: NodeRef<Node>) {
        self.layout_tables = layout_tables(root);
        let mut stack: Vec<(NodeRef<Node>, bool)> = vec![(root, false)];
        while let Some((node, closing)) = stack.pop() {
            match node.value() {
                Node::Text(t) if !closing => super::push_bounded(&mut self.current, &t.text),
                Node::Element(el) => {
                    let name = el.name();
                    if closing {
                        if BLOCKS.contains(&name) {
                            self.flush();
                        }
                        continue;
                    }
                    if name == "title" {
                        let t: String =
                            node.descendants().filter_map(|n| n.value().as_text().map(|t| t.to_string())).collect();
                        let t = t.trim().to_string();
                        if !t.is_empty() {
                            self.title = Some(t);
                        }
                        continue;
                    }
                    if SKIP.contains(&name) {
                        continue;
                    }
                    if name == "table" && !self.layout_tables.contains(&node.id()) {
                        self.flush();
                        let index = self.grids.len() + 1;
                        self.grids.push(table_grid(node, index));
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        self.flush();
                    }
                    stack.push((node, true));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push((child, false));
                    }
                }
                _ if !closing => {
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push((child, false));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The tables that contain another table, in one pass: each table marks the nearest table around it (which was
/// marked in turn by its own when it opened, if it has one).
fn layout_tables(root: NodeRef<Node>) -> std::collections::HashSet<ego_tree::NodeId> {
    let mut open: Vec<ego_tree::NodeId> = Vec::new();
    let mut layout = std::collections::HashSet::new();
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) if n.value().as_element().is_some_and(|e| e.name() == "table") => {
                if let Some(outer) = open.last() {
                    layout.insert(*outer);
                }
                open.push(n.id());
            }
            ego_tree::iter::Edge::Close(n) if n.value().as_element().is_some_and(|e| e.name() == "table") => {
                open.pop();
            }
            _ => {}
        }
    }
    layout
}

/// The text of a cell: line breaks at `<br>` and block elements, nested tables flattened.
fn cell_text(cell: NodeRef<Node>) -> String {
    let mut out = String::new();
    for edge in cell.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                Node::Text(t) => super::push_bounded(&mut out, &t.text),
                Node::Element(el) if el.name() == "br" => out.push('\n'),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if let Node::Element(el) = n.value()
                    && matches!(el.name(), "p" | "div" | "li")
                {
                    out.push('\n');
                }
            }
        }
    }
    out.trim().to_string()
}

/// The rows of a table, skipping those of nested tables.
fn table_rows(table: NodeRef<Node>) -> Vec<NodeRef<Node>> {
    let mut rows = Vec::new();
    let mut stack: Vec<NodeRef<Node>> = table.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        if let Node::Element(el) = n.value() {
            match el.name() {
                "tr" => rows.push(n),
                "thead" | "tbody" | "tfoot" => {
                    let mut kids: Vec<_> = n.children().collect();
                    kids.reverse();
                    stack.extend(kids);
                }
                _ => {}
            }
        }
    }
    rows
}

fn span(el: &scraper::node::Element, attr: &str) -> u32 {
    el.attr(attr).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, 1000)
}

/// Lay a table out on its grid (the HTML table model): each cell takes the next free column of its row.
fn table_grid(table: NodeRef<Node>, index: usize) -> Grid {
    struct Placed {
        r: u32,
        c: u32,
        rows: u32,
        cols: u32,
        text: String,
    }
    let rows = table_rows(table);
    let mut occupied: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    let mut placed = Vec::new();
    let mut width = 0u32;
    let nrows = (rows.len() as u32).min(limits::MAX_SHEET_CELLS as u32);
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32;
        let mut c = 0u32;
        for cell in row.children() {
            let Node::Element(el) = cell.value() else { continue };
            if !matches!(el.name(), "td" | "th") {
                continue;
            }
            while occupied.contains(&(r, c)) {
                c += 1;
            }
            let (rs, cs) = (span(el, "rowspan").min(nrows.saturating_sub(r).max(1)), span(el, "colspan"));
            if u64::from(width.max(c + cs)) * u64::from(nrows) > limits::MAX_SHEET_CELLS {
                break;
            }
            for dr in 0..rs {
                for dc in 0..cs {
                    occupied.insert((r + dr, c + dc));
                }
            }
            placed.push(Placed { r, c, rows: rs, cols: cs, text: cell_text(cell) });
            width = width.max(c + cs);
            c += cs;
        }
    }
    let mut grid = Grid::new(Addressing::DocTable { index }, nrows, width);
    for p in placed {
        if let Some(cell) = grid.get_mut(p.r, p.c) {
            cell.text = bound_text(p.text);
        }
        if p.rows > 1 || p.cols > 1 {
            grid.merge(p.r, p.c, p.r + p.rows - 1, p.c + p.cols - 1);
        }
    }
    grid
}
