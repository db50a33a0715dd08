//! Plane geometry for text boxes: convex hull, minimum-area rectangle, the DB "unclip" expansion,
//! corner ordering and the reading-order sort. Pure functions on `f64` points, no models involved.
//!
//! Behaviour follows rapidocr 1.4.4 (`ch_ppocr_det/utils.py` `get_mini_boxes` / `unclip`,
//! `ch_ppocr_det/text_detect.py` `order_points_clockwise`, `main.py` `sorted_boxes`).

/// A point `[x, y]` in pixels.
pub type Point = [f64; 2];

/// Four corners of a text box, top-left, top-right, bottom-right, bottom-left.
pub type Quad = [Point; 4];

/// Boxes whose top-left corners are closer than this vertically (pixels of the detection image) are on
/// the same line for the reading-order sort (rapidocr `sorted_boxes`).
const SAME_LINE_PX: f64 = 10.0;

/// A rotated rectangle: centre, unit vector along its first side, and the two side lengths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RotatedRect {
    pub center: Point,
    /// Unit vector along the side of length `size[0]`; the other side is perpendicular to it.
    pub axis: Point,
    pub size: [f64; 2],
}

impl RotatedRect {
    /// The shorter side length.
    pub fn short_side(&self) -> f64 {
        self.size[0].min(self.size[1])
    }

    /// The four corners, in no particular order.
    pub fn corners(&self) -> [Point; 4] {
        let [ux, uy] = self.axis;
        let (vx, vy) = (-uy, ux);
        let (hw, hh) = (self.size[0] / 2.0, self.size[1] / 2.0);
        let [cx, cy] = self.center;
        let corner = |su: f64, sv: f64| {
            [
                cx + su * hw * ux + sv * hh * vx,
                cy + su * hw * uy + sv * hh * vy,
            ]
        };
        [
            corner(-1.0, -1.0),
            corner(1.0, -1.0),
            corner(1.0, 1.0),
            corner(-1.0, 1.0),
        ]
    }

    /// The DB "unclip": offsets the rectangle outwards by `area × ratio / perimeter`. rapidocr does this with
    /// a round-joined polygon offset (pyclipper) followed by a new minimum-area rectangle; for a rectangle
    /// that is exactly the rectangle grown by the offset on every side.
    pub fn unclip(&self, ratio: f64) -> RotatedRect {
        let [w, h] = self.size;
        let perimeter = 2.0 * (w + h);
        if perimeter <= 0.0 {
            return *self;
        }
        let distance = w * h * ratio / perimeter;
        RotatedRect {
            size: [w + 2.0 * distance, h + 2.0 * distance],
            ..*self
        }
    }
}

/// Convex hull (Andrew's monotone chain), counter-clockwise in image coordinates, without repeated
/// points. One or two points come back as they are (deduplicated).
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: Point, a: Point, b: Point| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let mut hull: Vec<Point> = Vec::with_capacity(pts.len() + 1);
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &Point>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in ordered {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop(); // the last point of each chain is the first of the other
    }
    hull
}

/// Minimum-area enclosing rectangle of `points` (like OpenCV `minAreaRect`), by trying each convex hull
/// edge as a side direction. `None` for no points.
pub fn min_area_rect(points: &[Point]) -> Option<RotatedRect> {
    let hull = convex_hull(points);
    match hull.len() {
        0 => None,
        1 => Some(RotatedRect {
            center: hull[0],
            axis: [1.0, 0.0],
            size: [0.0, 0.0],
        }),
        n => (0..n)
            .filter_map(|i| {
                let (a, b) = (hull[i], hull[(i + 1) % n]);
                let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
                (len > 0.0).then(|| rect_along(&hull, [(b[0] - a[0]) / len, (b[1] - a[1]) / len]))
            })
            .min_by(|r, s| (r.size[0] * r.size[1]).total_cmp(&(s.size[0] * s.size[1]))),
    }
}

/// The bounding rectangle of `points` with one side along the unit vector `axis`.
fn rect_along(points: &[Point], axis: Point) -> RotatedRect {
    let [ux, uy] = axis;
    let (mut u_lo, mut u_hi, mut v_lo, mut v_hi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in points {
        let u = p[0] * ux + p[1] * uy;
        let v = -p[0] * uy + p[1] * ux;
        (u_lo, u_hi, v_lo, v_hi) = (u_lo.min(u), u_hi.max(u), v_lo.min(v), v_hi.max(v));
    }
    let (uc, vc) = ((u_lo + u_hi) / 2.0, (v_lo + v_hi) / 2.0);
    RotatedRect {
        center: [uc * ux - vc * uy, uc * uy + vc * ux],
        axis,
        size: [u_hi - u_lo, v_hi - v_lo],
    }
}

/// The rectangle's corners as top-left, top-right, bottom-right, bottom-left, chosen the way rapidocr's
/// `get_mini_boxes` does: the two left-most corners split by y into TL/BL, the two right-most into TR/BR.
pub fn mini_box(rect: &RotatedRect) -> Quad {
    let mut pts = rect.corners();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let (tl, bl) = if pts[1][1] > pts[0][1] {
        (pts[0], pts[1])
    } else {
        (pts[1], pts[0])
    };
    let (tr, br) = if pts[3][1] > pts[2][1] {
        (pts[2], pts[3])
    } else {
        (pts[3], pts[2])
    };
    [tl, tr, br, bl]
}

/// Reorders four corners as TL, TR, BR, BL (rapidocr `order_points_clockwise`): the two smallest-x points
/// are the left side (smaller y on top), the other two the right side.
pub fn order_clockwise(quad: &Quad) -> Quad {
    let mut pts = *quad;
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let by_y = |a: Point, b: Point| if b[1] < a[1] { (b, a) } else { (a, b) };
    let (tl, bl) = by_y(pts[0], pts[1]);
    let (tr, br) = by_y(pts[2], pts[3]);
    [tl, tr, br, bl]
}

/// Euclidean distance between two points.
pub fn distance(a: Point, b: Point) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Sorts boxes into reading order as rapidocr's `sorted_boxes`: by the top-left corner's (y, x), then
/// one backward bubble pass moves a box left of its predecessor when their tops are less than
/// [`SAME_LINE_PX`] apart, so boxes on one line read left to right.
pub fn sort_reading_order(boxes: &mut [Quad]) {
    boxes.sort_by(|a, b| {
        a[0][1]
            .total_cmp(&b[0][1])
            .then(a[0][0].total_cmp(&b[0][0]))
    });
    for i in 0..boxes.len().saturating_sub(1) {
        for j in (0..=i).rev() {
            let (cur, next) = (boxes[j][0], boxes[j + 1][0]);
            if (next[1] - cur[1]).abs() < SAME_LINE_PX && next[0] < cur[0] {
                boxes.swap(j, j + 1);
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// Corners of a `w`×`h` rectangle centred at `c`, rotated by `deg` degrees.
    fn rotated_corners(c: Point, w: f64, h: f64, deg: f64) -> Vec<Point> {
        let (s, co) = deg.to_radians().sin_cos();
        [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
            .iter()
            .map(|(a, b)| {
                let (x, y) = (a * w / 2.0, b * h / 2.0);
                [c[0] + x * co - y * s, c[1] + x * s + y * co]
            })
            .collect()
    }

    #[test]
    fn hull_drops_interior_and_collinear_points() {
        let pts = [
            [0.0, 0.0],
            [4.0, 0.0],
            [2.0, 0.0],
            [4.0, 4.0],
            [0.0, 4.0],
            [2.0, 2.0],
            [1.0, 3.0],
        ];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4, "{hull:?}");
        for corner in [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]] {
            assert!(hull.contains(&corner));
        }
    }

    #[test]
    fn min_area_rect_of_rotated_rectangle_points() {
        let mut pts = rotated_corners([50.0, 30.0], 40.0, 10.0, 17.0);
        pts.push([50.0, 30.0]); // an interior point changes nothing
        let rect = min_area_rect(&pts).unwrap();
        let (long, short) = (rect.size[0].max(rect.size[1]), rect.short_side());
        assert!(close(long, 40.0) && close(short, 10.0), "{rect:?}");
        assert!(close(rect.center[0], 50.0) && close(rect.center[1], 30.0));
        // Its corners are the input corners.
        for c in rect.corners() {
            assert!(
                pts.iter().any(|p| close(p[0], c[0]) && close(p[1], c[1])),
                "{c:?}"
            );
        }
    }

    #[test]
    fn min_area_rect_degenerate_inputs() {
        assert!(min_area_rect(&[]).is_none());
        let one = min_area_rect(&[[3.0, 4.0]]).unwrap();
        assert_eq!((one.center, one.short_side()), ([3.0, 4.0], 0.0));
        let line = min_area_rect(&[[0.0, 0.0], [10.0, 0.0], [5.0, 0.0]]).unwrap();
        assert!(close(line.size[0].max(line.size[1]), 10.0) && close(line.short_side(), 0.0));
    }

    #[test]
    fn mini_box_orders_axis_aligned_rectangle() {
        let rect = min_area_rect(&[[10.0, 5.0], [20.0, 5.0], [20.0, 8.0], [10.0, 8.0]]).unwrap();
        assert_eq!(
            mini_box(&rect),
            [[10.0, 5.0], [20.0, 5.0], [20.0, 8.0], [10.0, 8.0]]
        );
        assert!(close(rect.short_side(), 3.0));
    }

    #[test]
    fn unclip_grows_each_side_by_the_offset() {
        let rect = RotatedRect {
            center: [0.0, 0.0],
            axis: [1.0, 0.0],
            size: [100.0, 20.0],
        };
        // distance = area × 1.6 / perimeter = 2000 × 1.6 / 240
        let d = 2000.0 * 1.6 / 240.0;
        let grown = rect.unclip(1.6);
        assert!(close(grown.size[0], 100.0 + 2.0 * d) && close(grown.size[1], 20.0 + 2.0 * d));
        assert_eq!((grown.center, grown.axis), (rect.center, rect.axis));
        let flat = RotatedRect {
            size: [0.0, 0.0],
            ..rect
        };
        assert_eq!(flat.unclip(1.6), flat);
    }

    #[test]
    fn order_clockwise_from_any_order() {
        let q = [[10.0, 10.0], [0.0, 12.0], [1.0, 0.0], [11.0, 1.0]];
        assert_eq!(
            order_clockwise(&q),
            [[1.0, 0.0], [11.0, 1.0], [10.0, 10.0], [0.0, 12.0]]
        );
    }

    fn boxed(x: f64, y: f64) -> Quad {
        [[x, y], [x + 5.0, y], [x + 5.0, y + 5.0], [x, y + 5.0]]
    }

    #[test]
    fn reading_order_is_lines_then_left_to_right() {
        // Line 1: tops at y 100 and 104 (same line), x 200 then 20. Line 2: y 150. Line 0: y 10.
        let mut boxes = vec![
            boxed(200.0, 100.0),
            boxed(50.0, 150.0),
            boxed(20.0, 104.0),
            boxed(300.0, 10.0),
        ];
        sort_reading_order(&mut boxes);
        let tops: Vec<Point> = boxes.iter().map(|b| b[0]).collect();
        assert_eq!(
            tops,
            vec![[300.0, 10.0], [20.0, 104.0], [200.0, 100.0], [50.0, 150.0]]
        );
    }

    #[test]
    fn reading_order_keeps_lines_apart_beyond_threshold() {
        let mut boxes = vec![boxed(0.0, 120.0), boxed(100.0, 100.0)];
        sort_reading_order(&mut boxes);
        assert_eq!(boxes[0][0], [100.0, 100.0]);
        sort_reading_order(&mut []);
    }
}
