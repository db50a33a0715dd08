//! Crop geometry, pure: for an image size, a target aspect ratio and a focus region (the faces to
//! keep), the rectangle to cut — like a CDN's face-gravity crop.
//!
//! The rule, in order:
//! 1. The crop has the target aspect (to the pixel) and, at zoom 1, is the largest such rectangle
//!    inside the image; a zoom above 1 makes it smaller, but never too small for the focus.
//! 2. It contains the focus plus padding (a fraction of the focus size on each side, clipped to the
//!    image). When that does not fit, the padding shrinks; when the focus itself does not fit, the
//!    crop is the largest one centred on the focus ([`Fit::FocusCut`]) — or, if asked, a crop
//!    larger than the image whose outside is filled with a colour ([`Fit::Filled`]), so nothing of
//!    the focus is cut.
//! 3. Within what rule 2 allows, the eyes sit at the headroom line (a third from the top by
//!    default) and the focus is centred horizontally; with no eyes, the focus is centred.
//! 4. With no focus at all the crop is centred where the caller's content rule says (e.g. the
//!    most detailed window of that size, [`Fit::NoFocus`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A target aspect ratio `w:h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Aspect {
    pub w: u32,
    pub h: u32,
}

impl Aspect {
    pub fn ratio(self) -> f64 {
        f64::from(self.w) / f64::from(self.h)
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.w, self.h)
    }
}

impl FromStr for Aspect {
    type Err = String;

    /// `16:9`, `1:1`, `4x5`; both sides whole numbers from 1 to 1000.
    fn from_str(s: &str) -> Result<Aspect, String> {
        let (w, h) = s
            .split_once([':', 'x'])
            .ok_or_else(|| format!("'{s}' is not an aspect ratio like 16:9"))?;
        let side = |v: &str| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| format!("'{s}': sides must be whole numbers from 1 to 1000"))
        };
        Ok(Aspect {
            w: side(w)?,
            h: side(h)?,
        })
    }
}

/// A rectangle in source pixels. A [`Fit::Filled`] crop may reach outside the image (negative
/// `x`/`y`, or beyond its size).
pub use argus_core::geometry::Rect;

/// What the crop keeps in frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focus {
    /// The faces to keep (their union), in source pixels.
    pub rect: Rect,
    /// The eye line (source pixels from the top), for the headroom rule.
    pub eyes_y: Option<f64>,
}

/// How to crop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropOptions {
    /// 1: the largest crop; 2: half its width and height (but never too small for the focus).
    pub zoom: f64,
    /// Space kept around the focus, as a fraction of its width (left, right) and height (top,
    /// bottom).
    pub padding: f64,
    /// Where the eyes go, as a fraction of the crop's height from the top.
    pub headroom: f64,
    /// When the focus cannot fit inside the image at this aspect: extend the crop beyond the image
    /// (filled with a colour) rather than cut the focus.
    pub fill: bool,
}

impl Default for CropOptions {
    fn default() -> Self {
        CropOptions {
            zoom: 1.0,
            padding: 0.3,
            headroom: 1.0 / 3.0,
            fill: false,
        }
    }
}

/// How well the crop holds its focus.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Focus and all the padding asked for.
    Padded,
    /// Focus, with less padding than asked (`padding` in [`Crop`] says how much).
    ReducedPadding,
    /// The focus is larger than any crop of this aspect inside the image: centred on it, part cut.
    FocusCut,
    /// The crop reaches outside the image (to be filled) so the whole focus is kept.
    Filled,
    /// No focus: centred where the content rule put it.
    NoFocus,
}

/// A planned crop.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Crop {
    pub rect: Rect,
    pub fit: Fit,
    /// The padding kept around the focus (fraction of its size); 0 without a focus.
    pub padding: f64,
}

/// The width of a crop `h` high at `aspect`, to the nearest pixel.
fn width_for(aspect: Aspect, h: i64) -> i64 {
    ((h as f64 * aspect.ratio()).round() as i64).max(1)
}

/// The largest `aspect` size inside `w × h`: the tallest height whose width fits.
pub fn largest(w: i64, h: i64, aspect: Aspect) -> (i64, i64) {
    // Widths round, so heights up to (w + ½) / ratio may still fit.
    let mut ch = h
        .min(((w as f64 + 0.5) / aspect.ratio()).ceil() as i64 + 1)
        .max(1);
    while ch > 1 && width_for(aspect, ch) > w {
        ch -= 1;
    }
    (width_for(aspect, ch), ch)
}

/// The smallest `aspect` size holding a `w × h` region.
fn holding(w: i64, h: i64, aspect: Aspect) -> (i64, i64) {
    let mut ch = h.max((w as f64 / aspect.ratio()).ceil() as i64).max(1);
    while width_for(aspect, ch) < w {
        ch += 1;
    }
    (width_for(aspect, ch), ch)
}

/// `focus` grown by `padding` of its size on each side, clipped to the image.
fn padded(focus: &Rect, padding: f64, w: i64, h: i64) -> Rect {
    let (px, py) = (
        (focus.w as f64 * padding).round() as i64,
        (focus.h as f64 * padding).round() as i64,
    );
    Rect {
        x: focus.x - px,
        y: focus.y - py,
        w: focus.w + 2 * px,
        h: focus.h + 2 * py,
    }
    .clip(w, h)
    .unwrap_or(*focus)
}

/// Places a span of length `len` on an axis of length `axis`: as close to `ideal` as it can while
/// holding the span `keep` (`from..to`, when given), and inside the axis when it fits.
fn place(len: i64, axis: i64, ideal: f64, keep: Option<(i64, i64)>) -> i64 {
    let mut start = ideal.round() as i64;
    if let Some((from, to)) = keep {
        // Possible when len ≥ to − from; the callers make sure.
        start = start.min(from).max(to - len);
    }
    if len <= axis {
        start = start.clamp(0, axis - len);
    }
    start
}

/// Where to centre a crop of the given size (source pixels) when there is no focus.
pub type ContentRule<'a> = &'a dyn Fn(i64, i64) -> (f64, f64);

/// Plans the crop of a `width × height` image (upright) at `aspect`. `content` says where to centre
/// a crop of a given size when there is no focus (e.g. on the image's most detailed window).
pub fn plan(
    width: u32,
    height: u32,
    aspect: Aspect,
    focus: Option<&Focus>,
    content: ContentRule,
    options: &CropOptions,
) -> Crop {
    let (w, h) = (i64::from(width.max(1)), i64::from(height.max(1)));
    let (lw, lh) = largest(w, h, aspect);
    if lw > w {
        // A sliver: not even one row of this aspect fits. Centre a one-pixel-high crop to fill.
        return Crop {
            rect: Rect {
                x: (w - lw) / 2,
                y: h / 2,
                w: lw,
                h: lh,
            },
            fit: Fit::Filled,
            padding: 0.0,
        };
    }
    let zoom = options.zoom.max(1.0);
    let zoomed_h = ((lh as f64 / zoom).round() as i64).clamp(1, lh);
    let zoomed = (width_for(aspect, zoomed_h), zoomed_h);
    let focus_rect = focus.and_then(|f| f.rect.clip(w, h));
    let (Some(focus_rect), Some(focus)) = (focus_rect, focus) else {
        let (cw, ch) = zoomed;
        let (cx, cy) = content(cw, ch);
        let rect = Rect {
            x: place(cw, w, cx - cw as f64 / 2.0, None),
            y: place(ch, h, cy - ch as f64 / 2.0, None),
            w: cw,
            h: ch,
        };
        return Crop {
            rect,
            fit: Fit::NoFocus,
            padding: 0.0,
        };
    };
    let fits = |padding: f64| {
        let region = padded(&focus_rect, padding, w, h);
        let need = holding(region.w, region.h, aspect);
        (need.0 <= lw && need.1 <= lh).then_some((region, need))
    };
    let wanted = options.padding.max(0.0);
    let chosen = fits(wanted).map(|r| (r, wanted, Fit::Padded)).or_else(|| {
        // The most padding that fits (it fits less as it grows), to 1/1000.
        fits(0.0).map(|r0| {
            let (mut lo, mut hi, mut best) = (0.0, wanted, r0);
            for _ in 0..20 {
                let mid = (lo + hi) / 2.0;
                match fits(mid) {
                    Some(r) => (lo, best) = (mid, r),
                    None => hi = mid,
                }
            }
            (best, lo, Fit::ReducedPadding)
        })
    });
    let centre_x = focus_rect.x as f64 + focus_rect.w as f64 / 2.0;
    let ideal_y = |ch: i64| match focus.eyes_y {
        Some(eyes) => eyes - options.headroom * ch as f64,
        None => focus_rect.y as f64 + focus_rect.h as f64 / 2.0 - ch as f64 / 2.0,
    };
    let (region, size, padding, fit) = match chosen {
        Some(((region, need), padding, fit)) => {
            let size = if need.1 > zoomed.1 { need } else { zoomed };
            (region, size, padding, fit)
        }
        None if options.fill => {
            let size = holding(focus_rect.w, focus_rect.h, aspect);
            (focus_rect, size, 0.0, Fit::Filled)
        }
        None => {
            // Cut: the largest crop, centred on the focus, inside the image.
            let rect = Rect {
                x: place(lw, w, centre_x - lw as f64 / 2.0, None),
                y: place(lh, h, ideal_y(lh), None),
                w: lw,
                h: lh,
            };
            return Crop {
                rect,
                fit: Fit::FocusCut,
                padding: 0.0,
            };
        }
    };
    let (cw, ch) = size;
    let rect = Rect {
        x: place(
            cw,
            w,
            centre_x - cw as f64 / 2.0,
            Some((region.x, region.right())),
        ),
        y: place(ch, h, ideal_y(ch), Some((region.y, region.bottom()))),
        w: cw,
        h: ch,
    };
    Crop { rect, fit, padding }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;

    const ASPECTS: &[&str] = &["3:1", "2:1", "16:9", "4:5", "1:1", "9:16", "7:3", "1:4"];

    fn aspect(s: &str) -> Aspect {
        s.parse().unwrap()
    }

    fn inside(rect: &Rect, w: u32, h: u32) -> bool {
        Rect {
            x: 0,
            y: 0,
            w: i64::from(w),
            h: i64::from(h),
        }
        .contains(rect)
    }

    /// Whether some crop of this aspect inside the image can hold the focus.
    fn possible(focus: &Rect, w: u32, h: u32, a: Aspect) -> bool {
        let (lw, lh) = largest(i64::from(w), i64::from(h), a);
        let (nw, nh) = holding(focus.w, focus.h, a);
        nw <= lw && nh <= lh
    }

    #[test]
    fn aspects_parse_and_refuse_nonsense() {
        assert_eq!(aspect("16:9"), Aspect { w: 16, h: 9 });
        assert_eq!(aspect("4x5").to_string(), "4:5");
        for bad in ["16", "0:1", "a:b", "1:-2", "1:1001", ""] {
            assert!(bad.parse::<Aspect>().is_err(), "{bad}");
        }
    }

    /// The acceptance properties, on 20,000 random images, aspects, faces, paddings and zooms.
    #[test]
    fn exact_aspect_inside_holds_the_focus_and_is_the_largest() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for i in 0..20_000 {
            let (w, h) = (rng.random_range(1..6000u32), rng.random_range(1..6000u32));
            let a = if i % 3 == 0 {
                Aspect {
                    w: rng.random_range(1..40),
                    h: rng.random_range(1..40),
                }
            } else {
                aspect(ASPECTS[rng.random_range(0..ASPECTS.len())])
            };
            let fw = rng.random_range(1..=i64::from(w));
            let fh = rng.random_range(1..=i64::from(h));
            let focus = Focus {
                rect: Rect {
                    x: rng.random_range(0..=i64::from(w) - fw),
                    y: rng.random_range(0..=i64::from(h) - fh),
                    w: fw,
                    h: fh,
                },
                eyes_y: rng
                    .random::<bool>()
                    .then(|| rng.random_range(0.0..f64::from(h))),
            };
            // Half the cases zoomed in: then the crop may be smaller, never cutting the focus.
            let zoom = if i % 2 == 0 {
                1.0
            } else {
                rng.random_range(1.0..4.0)
            };
            let options = CropOptions {
                padding: rng.random_range(0.0..0.6),
                zoom,
                ..CropOptions::default()
            };
            let crop = plan(w, h, a, Some(&focus), &|_, _| (0.0, 0.0), &options);
            let r = crop.rect;
            if width_for(a, 1) > i64::from(w) {
                assert_eq!(crop.fit, Fit::Filled, "no crop of {a} fits in {w}×{h}");
                continue;
            }
            let case = format!("{w}×{h} at {a}, focus {:?}: {crop:?}", focus.rect);
            // Exact aspect: the width is the height × ratio to the pixel.
            assert!((r.w as f64 - r.h as f64 * a.ratio()).abs() <= 1.0, "{case}");
            assert!(inside(&r, w, h), "{case}");
            // The largest: one pixel taller does not fit at this aspect.
            let (lw, lh) = largest(i64::from(w), i64::from(h), a);
            assert!(
                width_for(a, lh + 1) > i64::from(w) || lh + 1 > i64::from(h),
                "{case}"
            );
            if zoom == 1.0 || crop.fit == Fit::FocusCut {
                assert_eq!((r.w, r.h), (lw, lh), "{case}");
            } else {
                assert!(
                    r.h <= lh && r.h + 1 >= (lh as f64 / zoom).round() as i64,
                    "{case}"
                );
            }
            if possible(&focus.rect, w, h, a) {
                assert!(r.contains(&focus.rect), "{case}");
                assert_ne!(crop.fit, Fit::FocusCut, "{case}");
            } else {
                assert_eq!(crop.fit, Fit::FocusCut, "{case}");
            }
            if crop.fit == Fit::Padded {
                let region = padded(&focus.rect, options.padding, i64::from(w), i64::from(h));
                assert!(r.contains(&region), "{case}");
            }
        }
    }

    /// A face at (x, y), w × h, with its eye line.
    fn face(x: i64, y: i64, w: i64, h: i64, eyes_y: Option<f64>) -> Focus {
        Focus {
            rect: Rect { x, y, w, h },
            eyes_y,
        }
    }

    /// The crop of a 4000×3000 photo.
    fn landscape(a: &str, focus: &Focus, options: &CropOptions) -> Crop {
        plan(
            4000,
            3000,
            aspect(a),
            Some(focus),
            &|_, _| (0.0, 0.0),
            options,
        )
    }

    #[test]
    fn eyes_go_on_the_headroom_line_when_there_is_room() {
        // A 4000×3000 landscape, a small face low in the frame, a 1:1 crop (3000×3000).
        let focus = face(1800, 1600, 300, 400, Some(1750.0));
        let options = CropOptions {
            zoom: 2.0,
            ..CropOptions::default()
        };
        let crop = landscape("1:1", &focus, &options);
        assert_eq!(
            (crop.rect.w, crop.rect.h),
            (1500, 1500),
            "zoom 2 halves the sides"
        );
        assert_eq!(crop.rect.y, 1750 - 500, "eyes a third from the top");
        assert_eq!(crop.rect.x, 1950 - 750, "face centred across");
        assert_eq!(crop.fit, Fit::Padded);
    }

    #[test]
    fn zoom_never_cuts_the_focus_and_padding_shrinks_before_the_face_is_cut() {
        let focus = face(1000, 500, 1200, 1500, None);
        // Zoom 4 would be 750 px high: too small, so the crop grows to hold the padded face.
        let options = CropOptions {
            zoom: 4.0,
            ..CropOptions::default()
        };
        let crop = landscape("1:1", &focus, &options);
        assert!(crop.rect.contains(&focus.rect));
        assert!(crop.rect.h < 3000 && crop.rect.h >= 1500);
        // A 3:1 strip of a 4000×3000 photo is 1333 px high: the 1500 px face cannot fit.
        let wide = landscape("3:1", &focus, &options);
        assert_eq!(wide.fit, Fit::FocusCut);
        assert!(inside(&wide.rect, 4000, 3000));
        // 2:1 is 2000 px high: the face fits with less padding than asked.
        let two = landscape("2:1", &focus, &CropOptions::default());
        assert_eq!(two.fit, Fit::ReducedPadding);
        assert!(two.padding < 0.3 && two.padding > 0.1, "{two:?}");
        assert!(two.rect.contains(&focus.rect));
    }

    #[test]
    fn filling_keeps_a_face_too_big_for_the_aspect_whole() {
        let focus = face(1000, 500, 1200, 1500, Some(1000.0));
        let options = CropOptions {
            fill: true,
            ..CropOptions::default()
        };
        let crop = landscape("3:1", &focus, &options);
        assert_eq!(crop.fit, Fit::Filled);
        assert!(crop.rect.contains(&focus.rect));
        assert!((crop.rect.w as f64 - crop.rect.h as f64 * 3.0).abs() <= 1.0);
        assert!(!inside(&crop.rect, 4000, 3000), "reaches past the image");
    }

    #[test]
    fn no_focus_centres_on_the_content_point() {
        let crop = plan(
            4000,
            3000,
            aspect("1:1"),
            None,
            &|_, _| (3500.0, 1500.0),
            &CropOptions::default(),
        );
        assert_eq!(crop.fit, Fit::NoFocus);
        assert_eq!(
            crop.rect,
            Rect {
                x: 1000,
                y: 0,
                w: 3000,
                h: 3000
            },
            "pushed inside"
        );
        let centred = plan(
            4000,
            3000,
            aspect("1:1"),
            None,
            &|_, _| (2000.0, 1500.0),
            &CropOptions::default(),
        );
        assert_eq!(centred.rect.x, 500);
    }
}
