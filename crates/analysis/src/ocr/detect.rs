//! Text detection with the PP-OCRv4 DB model: input size rule, and the DB post-processing that turns the
//! probability map into text boxes (threshold, dilation, connected components, minimum-area rectangles,
//! box score, unclip, size filters, scale back, reading order).
//!
//! Ported from rapidocr 1.4.4 `ch_ppocr_det` (`DetPreProcess`, `DBPostProcess`, `filter_tag_det_res`)
//! with the parameters of its `config.yaml` (`Det:` section).

use super::geometry::{self, Point, Quad};

/// `Det.limit_side_len` with `limit_type: min`: the short side is scaled up to at least this.
const LIMIT_SIDE_LEN: f64 = 736.0;
/// Our speed cap (not in rapidocr): the detection input's long side is at most this, so a 1280×960 photo
/// is detected at 736×544 instead of 1280×960. Measured (`argus dev bench analyze --stages text`, 60 photos):
/// 200 ms/photo at 736 against 317 at 960, the same lines read on the photographed book page; at 640 words
/// start to merge. The price is very small text: e.g. 28 px letters across a 40×1200 strip, which rapidocr
/// finds at 736×22080, are missed.
pub const MAX_DET_SIDE: f64 = 736.0;
/// The network needs sides that are multiples of this.
const SIDE_MULTIPLE: f64 = 32.0;

/// DB post-processing parameters (rapidocr `config.yaml` `Det:` and `DBPostProcess`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbParams {
    /// `thresh`: a pixel is text when its probability is above this.
    pub thresh: f32,
    /// `box_thresh`: a box is kept when the mean probability inside it is at least this.
    pub box_thresh: f32,
    /// `max_candidates`: at most this many regions are considered.
    pub max_candidates: usize,
    /// `unclip_ratio`: how far boxes are grown (offset = area × ratio / perimeter).
    pub unclip_ratio: f64,
    /// `use_dilation`: dilate the text mask with a 2×2 kernel first.
    pub use_dilation: bool,
}

impl Default for DbParams {
    fn default() -> Self {
        DbParams {
            thresh: 0.3,
            box_thresh: 0.5,
            max_candidates: 1000,
            unclip_ratio: 1.6,
            use_dilation: true,
        }
    }
}

/// `DBPostProcess.min_size`: regions whose rectangle's short side is under this are noise (the unclipped
/// rectangle must reach `MIN_SIZE + 2`).
const MIN_SIZE: f64 = 3.0;
/// `filter_tag_det_res`: boxes this thin or thinner (either side, whole pixels) are dropped.
const MIN_BOX_SIDE: f64 = 3.0;

/// A probability map from the detector, row-major `width` × `height`.
pub struct ProbMap<'a> {
    pub data: &'a [f32],
    pub width: usize,
    pub height: usize,
}

/// The detection input size for an image of `width` × `height`: rapidocr's `limit_type: min` rule (short
/// side up to [`LIMIT_SIDE_LEN`]), then our [`MAX_DET_SIDE`] cap, then each side rounded to a multiple of
/// 32 (at least 32).
pub fn input_size(width: u32, height: u32) -> (u32, u32) {
    let (w, h) = (width.max(1) as f64, height.max(1) as f64);
    let mut ratio = if w.min(h) < LIMIT_SIDE_LEN {
        LIMIT_SIDE_LEN / w.min(h)
    } else {
        1.0
    };
    if w.max(h) * ratio > MAX_DET_SIDE {
        ratio = MAX_DET_SIDE / w.max(h);
    }
    let side = |s: f64| {
        let scaled = (s * ratio).floor();
        ((scaled / SIDE_MULTIPLE).round_ties_even() * SIDE_MULTIPLE).max(SIDE_MULTIPLE) as u32
    };
    (side(w), side(h))
}

/// Text boxes in a `dest_width` × `dest_height` image from the detector's probability map: corners
/// TL, TR, BR, BL in whole pixels of the destination image, sorted into reading order.
pub fn boxes_from_map(
    map: &ProbMap,
    dest_width: u32,
    dest_height: u32,
    params: &DbParams,
) -> Vec<Quad> {
    let mut mask: Vec<bool> = map.data.iter().map(|&p| p > params.thresh).collect();
    if params.use_dilation {
        mask = dilate_2x2(&mask, map.width, map.height);
    }
    let mut boxes: Vec<Quad> = components(&mask, map.width, map.height)
        .into_iter()
        .take(params.max_candidates)
        .filter_map(|region| region_box(map, &region, params))
        .map(|quad| scale_box(&quad, map, dest_width, dest_height))
        .filter_map(|quad| keep_box(&quad, dest_width, dest_height))
        .collect();
    geometry::sort_reading_order(&mut boxes);
    boxes
}

/// OpenCV `dilate` with a 2×2 kernel of ones (anchor at its centre): a pixel is set when it or its
/// left, upper or upper-left neighbour is set.
fn dilate_2x2(mask: &[bool], width: usize, height: usize) -> Vec<bool> {
    let mut out = vec![false; mask.len()];
    for y in 0..height {
        for x in 0..width {
            let at = |dx: usize, dy: usize| x >= dx && y >= dy && mask[(y - dy) * width + x - dx];
            out[y * width + x] = at(0, 0) || at(1, 0) || at(0, 1) || at(1, 1);
        }
    }
    out
}

/// The 8-connected regions of `mask`, in raster order of their first pixel, each reduced to the
/// left-most and right-most pixel of every row it spans (enough for its convex hull).
fn components(mask: &[bool], width: usize, height: usize) -> Vec<Vec<Point>> {
    let mut seen = vec![false; mask.len()];
    let mut regions = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut rows: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            let span = rows.entry(y).or_insert((x, x));
            *span = (span.0.min(x), span.1.max(x));
            for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    let j = ny * width + nx;
                    if mask[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let points = rows
            .into_iter()
            .flat_map(|(y, (x0, x1))| [[x0 as f64, y as f64], [x1 as f64, y as f64]])
            .collect();
        regions.push(points);
    }
    regions
}

/// One region's box in probability-map pixels, or `None` when it is too small or too faint: its
/// minimum-area rectangle, scored, unclipped, and its minimum-area rectangle again.
fn region_box(map: &ProbMap, region: &[Point], params: &DbParams) -> Option<Quad> {
    let rect = geometry::min_area_rect(region)?;
    if rect.short_side() < MIN_SIZE {
        return None;
    }
    if box_score_fast(map, &geometry::mini_box(&rect)) < params.box_thresh {
        return None;
    }
    let grown = rect.unclip(params.unclip_ratio);
    if grown.short_side() < MIN_SIZE + 2.0 {
        return None;
    }
    Some(geometry::mini_box(&grown))
}

/// rapidocr's "fast" box score: the mean probability over the box polygon (corners truncated to whole
/// pixels, rasterised with its edges) inside the map.
fn box_score_fast(map: &ProbMap, quad: &Quad) -> f32 {
    let (w, h) = (map.width as i64, map.height as i64);
    let clamp = |v: f64, hi: i64| (v as i64).clamp(0, hi - 1);
    let xmin = clamp(
        quad.iter().map(|p| p[0]).fold(f64::MAX, f64::min).floor(),
        w,
    );
    let xmax = clamp(quad.iter().map(|p| p[0]).fold(f64::MIN, f64::max).ceil(), w);
    let ymin = clamp(
        quad.iter().map(|p| p[1]).fold(f64::MAX, f64::min).floor(),
        h,
    );
    let ymax = clamp(quad.iter().map(|p| p[1]).fold(f64::MIN, f64::max).ceil(), h);
    // Corners relative to the window, truncated like `astype(np.int32)`.
    let poly: Vec<Point> = quad
        .iter()
        .map(|p| [(p[0] - xmin as f64).trunc(), (p[1] - ymin as f64).trunc()])
        .collect();
    let (mut sum, mut count) = (0.0f64, 0usize);
    for y in 0..=(ymax - ymin) {
        let Some((x0, x1)) = row_span(&poly, y as f64) else {
            continue;
        };
        let x0 = (x0.round() as i64).max(0);
        let x1 = (x1.round() as i64).min(xmax - xmin);
        for x in x0..=x1 {
            sum += map.data[((ymin + y) * w + xmin + x) as usize] as f64;
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        (sum / count as f64) as f32
    }
}

/// Where the horizontal line at `y` crosses a convex polygon: the smallest and largest x, edges included.
fn row_span(poly: &[Point], y: f64) -> Option<(f64, f64)> {
    let mut span: Option<(f64, f64)> = None;
    let mut include = |x: f64| span = Some(span.map_or((x, x), |(a, b)| (a.min(x), b.max(x))));
    for (i, &p) in poly.iter().enumerate() {
        let q = poly[(i + 1) % poly.len()];
        if y < p[1].min(q[1]) || y > p[1].max(q[1]) {
            continue;
        }
        if p[1] == q[1] {
            include(p[0]);
            include(q[0]);
        } else {
            include(p[0] + (y - p[1]) * (q[0] - p[0]) / (q[1] - p[1]));
        }
    }
    span
}

/// Scales a box from map pixels to destination pixels, rounded (half to even, as numpy) and clipped to
/// `0..=dest` like rapidocr's `boxes_from_bitmap`.
fn scale_box(quad: &Quad, map: &ProbMap, dest_width: u32, dest_height: u32) -> Quad {
    let sx = dest_width as f64 / map.width as f64;
    let sy = dest_height as f64 / map.height as f64;
    quad.map(|[x, y]| {
        [
            (x * sx).round_ties_even().clamp(0.0, dest_width as f64),
            (y * sy).round_ties_even().clamp(0.0, dest_height as f64),
        ]
    })
}

/// rapidocr's `filter_tag_det_res`: corners reordered TL, TR, BR, BL, clipped inside the image, and the box
/// dropped when its top or left side is [`MIN_BOX_SIDE`] pixels or shorter.
fn keep_box(quad: &Quad, width: u32, height: u32) -> Option<Quad> {
    let max_x = (width.max(1) - 1) as f64;
    let max_y = (height.max(1) - 1) as f64;
    let quad = geometry::order_clockwise(quad)
        .map(|[x, y]| [x.clamp(0.0, max_x).trunc(), y.clamp(0.0, max_y).trunc()]);
    let box_width = geometry::distance(quad[0], quad[1]).trunc();
    let box_height = geometry::distance(quad[0], quad[3]).trunc();
    (box_width > MIN_BOX_SIDE && box_height > MIN_BOX_SIDE).then_some(quad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_size_rule() {
        // Short side raised to 736 but the long side capped at 736 too.
        // 736×552 rounds to 736×544 (552 / 32 = 17.25).
        assert_eq!(input_size(640, 480), (736, 544));
        assert_eq!(input_size(1280, 960), (736, 544));
        assert_eq!(input_size(960, 1280), (544, 736));
        assert_eq!(input_size(800, 800), (736, 736));
        assert_eq!(input_size(700, 700), (736, 736));
        // 718 × 0.736 = 528.4 → 528, and 528 / 32 = 16.5 rounds half to even (as Python's `round`).
        assert_eq!(input_size(1000, 718), (736, 512));
        // Degenerate sizes never reach zero.
        assert_eq!(input_size(1, 1), (736, 736));
        assert_eq!(input_size(4000, 1), (736, 32));
        assert_eq!(input_size(0, 0), (736, 736));
    }

    #[test]
    fn dilation_grows_right_and_down() {
        let mut mask = vec![false; 9];
        mask[4] = true; // centre of 3×3
        let out = dilate_2x2(&mask, 3, 3);
        let set: Vec<usize> = (0..9).filter(|&i| out[i]).collect();
        assert_eq!(set, vec![4, 5, 7, 8]);
    }

    #[test]
    fn one_filled_rectangle_gives_one_unclipped_box() {
        // A 40×8 block of probability 0.9 in a 64×32 map, destination image twice the size.
        let (w, h) = (64, 32);
        let mut data = vec![0.0f32; w * h];
        for y in 12..20 {
            for x in 10..50 {
                data[y * w + x] = 0.9;
            }
        }
        let map = ProbMap {
            data: &data,
            width: w,
            height: h,
        };
        let params = DbParams {
            use_dilation: false,
            ..DbParams::default()
        };
        let boxes = boxes_from_map(&map, 128, 64, &params);
        assert_eq!(boxes.len(), 1);
        // Rectangle of pixel centres 39×7, offset = 273×1.6/92 ≈ 4.75 on each side, then ×2.
        let d: f64 = 39.0 * 7.0 * 1.6 / 92.0;
        let expect = [
            (10.0 - d) * 2.0,
            (12.0 - d) * 2.0,
            (49.0 + d) * 2.0,
            (19.0 + d) * 2.0,
        ];
        let b = boxes[0];
        assert!(
            (b[0][0] - expect[0].round()).abs() <= 1.0
                && (b[0][1] - expect[1].round()).abs() <= 1.0,
            "{b:?}"
        );
        assert!(
            (b[2][0] - expect[2].round()).abs() <= 1.0
                && (b[2][1] - expect[3].round()).abs() <= 1.0,
            "{b:?}"
        );
    }

    #[test]
    fn faint_and_tiny_regions_are_dropped() {
        let (w, h) = (32, 32);
        let mut data = vec![0.0f32; w * h];
        data[5 * w + 5] = 0.9; // a single pixel
        for y in 10..20 {
            for x in 2..30 {
                data[y * w + x] = 0.35; // above thresh, below box_thresh
            }
        }
        let map = ProbMap {
            data: &data,
            width: w,
            height: h,
        };
        assert!(boxes_from_map(&map, 32, 32, &DbParams::default()).is_empty());
    }
}
