//! Descriptive metadata other tools keep in a photo (embedded XMP and IPTC-IIM) or beside it (an XMP
//! sidecar): keywords, rating, colour label, title, caption, creator, copyright, and the regions that
//! name people. What `argus-xmp` reads and writes and the catalogue stores.

use serde::{Deserialize, Serialize};

/// The separator of a hierarchical keyword's levels as Argus stores and shows it (`People/Family/Ana`);
/// Lightroom's `|` is converted on reading.
pub const KEYWORD_SEPARATOR: char = '/';

/// The most keywords, regions and characters of a text field kept from one photo's metadata (anything
/// beyond is dropped and reported): a sidecar is data from elsewhere and never sizes the catalogue.
pub const MAX_KEYWORDS: usize = 1000;
pub const MAX_REGIONS: usize = 500;
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The metadata of one photo, merged from its sidecar, embedded XMP and IPTC-IIM (in that order of
/// precedence).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoMetadata {
    /// Keywords as paths (`People/Family/Ana`; a flat keyword is one level), without duplicates, in
    /// the order first seen. A flat keyword that is a level of a hierarchical one is left out.
    pub keywords: Vec<String>,
    /// `xmp:Rating`: 1..=5 stars, or -1 for rejected. No rating (or 0) is `None`.
    pub rating: Option<i8>,
    /// `xmp:Label`, the colour label ("Red", "Green" …) as written.
    pub label: Option<String>,
    pub title: Option<String>,
    /// `dc:description` or the IPTC caption.
    pub caption: Option<String>,
    pub creator: Option<String>,
    pub copyright: Option<String>,
    /// Regions (faces, pets, focus areas …) with their boxes on the upright image.
    pub regions: Vec<Region>,
    /// Names of the people shown (`Iptc4xmpExt:PersonInImage`), whether or not a region marks them.
    pub people: Vec<String>,
}

impl PhotoMetadata {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        *self == PhotoMetadata::default()
    }
}

/// The descriptive texts of a photo's EXIF block, which the Metadata Working Group's rules prefer to
/// the embedded XMP and IPTC copies (camera defaults such as "OLYMPUS DIGITAL CAMERA" are dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExifTexts {
    /// `ImageDescription`.
    pub description: Option<String>,
    /// `Artist`.
    pub artist: Option<String>,
    pub copyright: Option<String>,
}

/// One region of a photo as another tool marked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Region {
    /// What the region marks, lower case: `face`, `pet`, `focus`, `barcode` or what the file says.
    pub kind: String,
    /// The name given to it (the person's, for a face).
    pub name: Option<String>,
    /// Where it is, normalised to the upright (displayed) image.
    pub area: NormBox,
    /// Which convention it was read from.
    pub source: RegionSource,
}

impl Region {
    /// The kind of a person's face region.
    pub const FACE: &'static str = "face";

    /// Whether this region names a person's face.
    pub fn is_named_face(&self) -> bool {
        self.kind == Region::FACE && self.name.as_deref().is_some_and(|n| !n.trim().is_empty())
    }
}

/// Where a region came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum RegionSource {
    /// Metadata Working Group regions (`mwg-rs:Regions`: digiKam, Lightroom, Picasa, exiftool's MWG).
    Mwg,
    /// Windows Live Photo Gallery / Microsoft Photo regions (`MP:RegionInfo`).
    Microsoft,
}

impl RegionSource {
    /// The name stored in the catalogue.
    pub fn name(self) -> &'static str {
        match self {
            RegionSource::Mwg => "mwg",
            RegionSource::Microsoft => "microsoft",
        }
    }

    /// The inverse of [`RegionSource::name`].
    pub fn from_name(name: &str) -> Option<RegionSource> {
        match name {
            "mwg" => Some(RegionSource::Mwg),
            "microsoft" => Some(RegionSource::Microsoft),
            _ => None,
        }
    }
}

/// A box normalised to an image: left, top, width, height, each 0..=1 of the image's width or height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NormBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl NormBox {
    /// Intersection over union with `other` (0 when either is empty).
    pub fn iou(&self, other: &NormBox) -> f64 {
        let ix = (self.x + self.w).min(other.x + other.w) - self.x.max(other.x);
        let iy = (self.y + self.h).min(other.y + other.h) - self.y.max(other.y);
        if ix <= 0.0 || iy <= 0.0 {
            return 0.0;
        }
        let inter = ix * iy;
        let union = self.w * self.h + other.w * other.h - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }

    /// The box on the image turned upright by EXIF `orientation` (1..=8), from a box on the image as
    /// stored. MWG regions describe the stored pixels; Argus keeps every box upright.
    pub fn stored_to_upright(&self, orientation: Option<u16>) -> NormBox {
        let NormBox { x, y, w, h } = *self;
        match orientation.unwrap_or(1) {
            2 => NormBox {
                x: 1.0 - x - w,
                y,
                w,
                h,
            },
            3 => NormBox {
                x: 1.0 - x - w,
                y: 1.0 - y - h,
                w,
                h,
            },
            4 => NormBox {
                x,
                y: 1.0 - y - h,
                w,
                h,
            },
            5 => NormBox {
                x: y,
                y: x,
                w: h,
                h: w,
            },
            6 => NormBox {
                x: 1.0 - y - h,
                y: x,
                w: h,
                h: w,
            },
            7 => NormBox {
                x: 1.0 - y - h,
                y: 1.0 - x - w,
                w: h,
                h: w,
            },
            8 => NormBox {
                x: y,
                y: 1.0 - x - w,
                w: h,
                h: w,
            },
            _ => *self,
        }
    }

    /// The inverse of [`NormBox::stored_to_upright`]: a box on the upright image, on the stored one.
    pub fn upright_to_stored(&self, orientation: Option<u16>) -> NormBox {
        let inverse = match orientation.unwrap_or(1) {
            6 => 8,
            8 => 6,
            other => other,
        };
        self.stored_to_upright(Some(inverse))
    }

    /// Whether every coordinate is finite and the box has an area.
    pub fn is_finite_with_area(&self) -> bool {
        [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite())
            && self.w > 0.0
            && self.h > 0.0
    }

    /// The part of the box inside the image.
    pub fn clamped(&self) -> NormBox {
        let x0 = self.x.clamp(0.0, 1.0);
        let y0 = self.y.clamp(0.0, 1.0);
        let x1 = (self.x + self.w).clamp(0.0, 1.0);
        let y1 = (self.y + self.h).clamp(0.0, 1.0);
        NormBox {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    }
}

/// Splits a keyword path into its levels (empty levels dropped).
pub fn keyword_levels(keyword: &str) -> impl Iterator<Item = &str> {
    keyword
        .split(KEYWORD_SEPARATOR)
        .map(str::trim)
        .filter(|level| !level.is_empty())
}

/// Whether `keyword` is matched by the search term `term`: the term's levels equal the keyword's first
/// levels (`People/Family` matches `People/Family/Ana`), or a one-level term equals any level (`Ana`
/// matches `People/Family/Ana`). Case-insensitive.
pub fn keyword_matches(keyword: &str, term: &str) -> bool {
    let term: Vec<String> = keyword_levels(term).map(str::to_lowercase).collect();
    if term.is_empty() {
        return false;
    }
    let levels: Vec<String> = keyword_levels(keyword).map(str::to_lowercase).collect();
    if term.len() == 1 {
        return levels.contains(&term[0]);
    }
    levels.len() >= term.len() && levels[..term.len()] == term[..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: NormBox, b: NormBox) -> bool {
        [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)]
            .iter()
            .all(|(p, q)| (p - q).abs() < 1e-9)
    }

    #[test]
    fn orientation_round_trips_for_every_value() {
        let b = NormBox {
            x: 0.1,
            y: 0.2,
            w: 0.3,
            h: 0.15,
        };
        for o in 1..=8 {
            let up = b.stored_to_upright(Some(o));
            assert!(close(up.upright_to_stored(Some(o)), b), "orientation {o}");
            assert!(up.x >= 0.0 && up.y >= 0.0 && up.x + up.w <= 1.0 && up.y + up.h <= 1.0);
        }
    }

    #[test]
    fn orientation_6_turns_the_stored_top_left_to_the_top_right() {
        // Orientation 6: the stored image is shown turned 90° clockwise, so its top-left corner lands
        // at the top right of the upright image.
        let corner = NormBox {
            x: 0.0,
            y: 0.0,
            w: 0.1,
            h: 0.2,
        };
        let up = corner.stored_to_upright(Some(6));
        assert!(
            close(
                up,
                NormBox {
                    x: 0.8,
                    y: 0.0,
                    w: 0.2,
                    h: 0.1
                }
            ),
            "{up:?}"
        );
        let up8 = corner.stored_to_upright(Some(8));
        assert!(
            close(
                up8,
                NormBox {
                    x: 0.0,
                    y: 0.9,
                    w: 0.2,
                    h: 0.1
                }
            ),
            "{up8:?}"
        );
    }

    #[test]
    fn keywords_match_by_prefix_or_by_one_level() {
        assert!(keyword_matches("People/Family/Ana", "people/family"));
        assert!(keyword_matches("People/Family/Ana", "Ana"));
        assert!(keyword_matches("People/Family/Ana", "People/Family/Ana"));
        assert!(!keyword_matches("People/Family/Ana", "Family/Ana"));
        assert!(!keyword_matches("People/Family", "People/Family/Ana"));
        assert!(!keyword_matches("Ana", ""));
    }

    #[test]
    fn iou_of_equal_disjoint_and_half_boxes() {
        let a = NormBox {
            x: 0.1,
            y: 0.1,
            w: 0.2,
            h: 0.2,
        };
        assert!((a.iou(&a) - 1.0).abs() < 1e-9);
        assert_eq!(
            a.iou(&NormBox {
                x: 0.5,
                y: 0.5,
                w: 0.1,
                h: 0.1
            }),
            0.0
        );
        let half = NormBox {
            x: 0.2,
            y: 0.1,
            w: 0.2,
            h: 0.2,
        };
        assert!((a.iou(&half) - 1.0 / 3.0).abs() < 1e-9);
    }
}
