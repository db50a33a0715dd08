//! Places on an image, in that image's pixels: where a face is (what detection finds and every
//! per-face network crops and aligns from), and whole-pixel rectangles that may reach past the
//! image (crops, views).

use serde::{Deserialize, Serialize};

/// A face on the working image, in its pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceGeometry {
    /// x, y, width, height.
    pub bbox: [f32; 4],
    /// Left eye, right eye (as seen), nose tip, left and right mouth corner.
    pub landmarks: [[f32; 2]; 5],
}

/// A rectangle in an image's pixels; it may reach past the image (negative `x`/`y`, or beyond
/// its size), as a crop filled outside the photo does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    /// One past the rightmost column.
    pub fn right(&self) -> i64 {
        self.x + self.w
    }

    /// One past the lowest row.
    pub fn bottom(&self) -> i64 {
        self.y + self.h
    }

    /// Whether `other` lies inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// The part of this rectangle inside `w × h` (None if nothing).
    pub fn clip(&self, w: i64, h: i64) -> Option<Rect> {
        let (x0, y0) = (self.x.max(0), self.y.max(0));
        let (x1, y1) = (self.right().min(w), self.bottom().min(h));
        (x1 > x0 && y1 > y0).then_some(Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        })
    }
}
