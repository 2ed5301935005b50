//! What one PDF page draws, as the table finder needs it: every glyph with its Unicode text and where it stands,
//! the ruling lines (stroked segments, and filled rectangles thin and dark enough to be borders), and where images
//! are. hayro-interpret runs the page's content (fonts, CMaps, forms, Type 3 glyphs); this device only collects.
//! Coordinates are points from the page's top-left corner, y growing downwards.

use crate::import::limits;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::{BfString, WritingMode};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, Paint, SoftMask};

/// The em of hayro's glyph space: a glyph's transform maps this many units to the font size.
const EM: f64 = 1000.0;

/// A glyph drawn on a page.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub text: String,
    /// Its origin: the left end of its baseline.
    pub x: f64,
    pub y: f64,
    /// The font size as drawn (the em in points).
    pub size: f64,
    /// A point well inside the glyph's box: what decides which table cell it is in.
    pub inside: Point,
    /// Where its line's next glyph would start (the pen after this glyph), when the run said so.
    pub end: Option<f64>,
    pub vertical: bool,
}

/// An axis-parallel ruling line: horizontal when `y0 == y1`, vertical when `x0 == x1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Segment {
    pub fn horizontal(&self) -> bool {
        (self.y0 - self.y1).abs() < f64::EPSILON
    }
}

/// Everything a page drew that matters here.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// The boxes of the images drawn.
    pub images: Vec<Rect>,
    /// The bounding boxes of the clip paths in force, each within the one before: text drawn outside the last is
    /// not seen (Calc draws a merged cell's text on both pages it spans, clipped to each page's part).
    clips: Vec<Rect>,
    /// More glyphs and lines were drawn than [`limits::MAX_PDF_PAGE_ITEMS`]; the rest were not kept.
    overflow: bool,
}

/// The thickest filled rectangle read as a border: Chromium draws its table borders as 1-unit-wide fills, WPS paints
/// a white rectangle behind every cell (not a border: too wide, and white).
const MAX_BORDER_WIDTH: f64 = 2.5;
/// How far outside a clip a glyph's inner point may stand and still be seen (rounding in the producer's clip).
const CLIP_SLACK: f64 = 1.0;
/// A line shorter than this is a tick or a glyph's stroke, not a ruling line.
const MIN_SEGMENT: f64 = 3.0;
/// How far from the axis a line may lean and still be a ruling line.
const SKEW: f64 = 0.5;

impl Page {
    pub fn new(height: f64) -> Page {
        Page { height, ..Page::default() }
    }

    /// The page drew more than the limit allows.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// Room for one more glyph or line; past the limit, none and the page is marked.
    fn room(&mut self) -> bool {
        self.overflow |= self.glyphs.len() + self.segments.len() >= limits::MAX_PDF_PAGE_ITEMS;
        !self.overflow
    }

    fn segment(&mut self, a: Point, b: Point) {
        if !self.room() {
            return;
        }
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if dy <= SKEW && dx >= MIN_SEGMENT {
            let y = (a.y + b.y) / 2.0;
            self.segments.push(Segment { x0: a.x.min(b.x), y0: y, x1: a.x.max(b.x), y1: y });
        } else if dx <= SKEW && dy >= MIN_SEGMENT {
            let x = (a.x + b.x) / 2.0;
            self.segments.push(Segment { x0: x, y0: a.y.min(b.y), x1: x, y1: a.y.max(b.y) });
        }
    }

    /// A stroked path: each straight piece of it that runs along an axis.
    fn stroke(&mut self, path: &BezPath) {
        let (mut start, mut last) = (Point::ZERO, Point::ZERO);
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    start = p;
                    last = p;
                }
                PathEl::LineTo(p) => {
                    self.segment(last, p);
                    last = p;
                }
                PathEl::ClosePath => {
                    self.segment(last, start);
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = p,
            }
        }
    }

    /// A filled path: a rectangle thin enough to be a border becomes the line along its middle. Chromium's borders
    /// are rectangles with mitred ends (trapezoids): any straight-sided shape this thin counts.
    fn fill(&mut self, path: &BezPath) {
        if !is_polygon(path) {
            return;
        }
        let r = path.bounding_box();
        if !self.room() {
            return;
        }
        if r.height() <= MAX_BORDER_WIDTH && r.width() >= MIN_SEGMENT {
            let y = (r.y0 + r.y1) / 2.0;
            self.segments.push(Segment { x0: r.x0, y0: y, x1: r.x1, y1: y });
        } else if r.width() <= MAX_BORDER_WIDTH && r.height() >= MIN_SEGMENT {
            let x = (r.x0 + r.x1) / 2.0;
            self.segments.push(Segment { x0: x, y0: r.y0, x1: x, y1: r.y1 });
        }
    }
}

/// A path of one straight-sided shape of a few corners (as `re` draws a rectangle, or lines round one).
fn is_polygon(path: &BezPath) -> bool {
    let mut corners = 0;
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(_) if corners > 0 => return false,
            PathEl::MoveTo(_) | PathEl::LineTo(_) => corners += 1,
            PathEl::ClosePath => {}
            PathEl::QuadTo(..) | PathEl::CurveTo(..) => return false,
        }
    }
    (3..=8).contains(&corners)
}

/// A paint dark enough to be a border: not white, not a pale background.
fn is_dark(paint: &Paint<'_>) -> bool {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().components();
            let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
            a > 0.25 && luminance < 0.8
        }
        Paint::Pattern(_) => false,
    }
}

impl<'a> Device<'a> for Page {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let placed = props.transform * path.clone();
        match draw_mode {
            DrawMode::Stroke(_) => self.stroke(&placed),
            DrawMode::Fill(_) if is_dark(&props.paint) => self.fill(&placed),
            DrawMode::FillAndStroke(..) => {
                self.stroke(&placed);
                if is_dark(&props.paint) {
                    self.fill(&placed);
                }
            }
            DrawMode::Fill(_) | DrawMode::Invisible => {}
        }
    }

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        let vertical = run.writing_mode() == WritingMode::Vertical;
        let glyphs = run.glyphs();
        for (i, glyph) in glyphs.iter().enumerate() {
            if !self.room() {
                return;
            }
            let Some(text) = glyph.as_unicode() else { continue };
            let text = match text {
                BfString::Char(c) => fold_radicals(&c.to_string()),
                BfString::String(s) => fold_radicals(&s),
            };
            let transform: Affine = props.transform * glyph.transform();
            let origin = transform * Point::ZERO;
            let size = (transform * Point::new(0.0, EM)).distance(origin);
            if !size.is_finite() || size <= 0.0 || !origin.x.is_finite() || !origin.y.is_finite() {
                continue;
            }
            // A quarter em in and a third of an em up from the glyph's own origin: inside it, CJK or Latin. hayro has
            // moved a vertical glyph's origin already, so the same point serves both writing modes.
            let inside = transform * Point::new(EM * 0.25, EM * 0.3);
            if self.clips.last().is_some_and(|clip| !clip.inflate(CLIP_SLACK, CLIP_SLACK).contains(inside)) {
                continue;
            }
            let end = glyphs.get(i + 1).map(|next| (props.transform * next.transform() * Point::ZERO).x);
            self.glyphs.push(Glyph { text, x: origin.x, y: origin.y, size, inside, end, vertical });
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        // The transform hayro gives places the image's pixels: it fills the rectangle of its width and height.
        let (width, height) = match &image {
            Image::Raster(raster) => (raster.width(), raster.height()),
            Image::Stencil(stencil) => (stencil.width(), stencil.height()),
        };
        let placed = props.transform * Rect::new(0.0, 0.0, f64::from(width), f64::from(height)).to_path(0.1);
        self.images.push(placed.bounding_box());
    }

    fn push_clip_path(&mut self, clip: &ClipPath) {
        let bounds = clip.path.bounding_box();
        let within = self.clips.last().map_or(bounds, |outer| outer.intersect(bounds));
        self.clips.push(within);
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn pop_clip(&mut self) {
        self.clips.pop();
    }
    fn pop_transparency_group(&mut self) {}
}

/// Text with the radicals some fonts map their glyphs to (Chromium's Type 3 fonts give `⼈` for 人, `⻄` for 西) as
/// the characters they stand for: the Kangxi radicals by NFKC, the simplified-form radicals, which NFKC leaves
/// alone, by their unified ideographs.
pub(super) fn fold_radicals(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if !text.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\u{2F00}'..='\u{2FDF}' => std::iter::once(c).nfkc().next().unwrap_or(c),
            '\u{2E80}'..='\u{2EFF}' => {
                simplified_radical(c).unwrap_or_else(|| std::iter::once(c).nfkc().next().unwrap_or(c))
            }
            _ => c,
        })
        .collect()
}

/// The ideograph a simplified-form radical of the CJK Radicals Supplement stands for (Unicode's
/// EquivalentUnifiedIdeograph data, the forms Chinese text uses).
fn simplified_radical(c: char) -> Option<char> {
    Some(match c {
        '⺠' => '民',
        '⻄' => '西',
        '⻅' => '见',
        '⻆' => '角',
        '⻈' => '讠',
        '⻉' => '贝',
        '⻊' => '足',
        '⻋' => '车',
        '⻑' => '長',
        '⻓' => '长',
        '⻔' => '门',
        '⻖' => '阝',
        '⻘' => '青',
        '⻙' => '韦',
        '⻚' => '页',
        '⻛' => '风',
        '⻜' => '飞',
        '⻝' => '食',
        '⻢' => '马',
        '⻣' => '骨',
        '⻤' => '鬼',
        '⻥' => '鱼',
        '⻦' => '鸟',
        '⻨' => '麦',
        '⻩' => '黄',
        '⻬' => '齐',
        '⻮' => '齿',
        '⻰' => '龙',
        _ => return None,
    })
}

/// The glyphs without the copies drawn over them: a run shown with fill and stroke (WPS's bold) reaches the device
/// twice, and some writers overprint a glyph a hair to the side to thicken it.
pub(super) fn without_overprints(glyphs: Vec<Glyph>) -> Vec<Glyph> {
    let mut kept: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    // Overprints follow their original closely: compare with the glyphs of the last few runs only.
    for glyph in glyphs {
        let start = kept.len().saturating_sub(256);
        let copy = kept[start..].iter().any(|k| {
            k.text == glyph.text && (k.x - glyph.x).abs() < 0.2 * k.size && (k.y - glyph.y).abs() < 0.2 * k.size
        });
        if !copy {
            kept.push(glyph);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    #[test]
    fn radicals_read_as_the_characters_they_stand_for() {
        assert_eq!(super::fold_radicals("杭州市⻄湖区⼈⺠政府⼯作"), "杭州市西湖区人民政府工作");
        assert_eq!(super::fold_radicals("第⼆⼗条"), "第二十条");
        assert_eq!(super::fold_radicals("行政"), "行政");
    }
}
