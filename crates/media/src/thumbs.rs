//! Orientation-correct thumbnails in a content-addressed cache: `<cache>/thumbs/ab/<blake3>-512.jpg` (long
//! side 512, for the photo view and normal grids) and `…-256.jpg` (dense grids); and, made when the app
//! first shows one, `…-2048.jpg`, the photo view's copy of a HEIC, RAW or TIFF its web view cannot read. Keyed by content hash, so
//! a moved or duplicated file reuses its thumbnails and a changed file gets new ones.
//!
//! Fast route: JPEGs are decoded at 1/2, 1/4 or 1/8 scale by the decoder's DCT scaling (a 12 MP photo
//! decodes at 1000×750 instead of 4000×3000), then resized with SIMD (fast_image_resize) and rotated
//! after resizing, when the image is small. Files are written to a temporary name and renamed, so a
//! killed process never leaves a half-written thumbnail.

use std::path::{Path, PathBuf};

use image::RgbImage;

use crate::imaging::{decode_upright, resize_to_fit};
pub use crate::imaging::{DecodeRoute, DEFAULT_ROUTE};
use crate::{FileProblem, ImageFacts};

/// Long side of the standard thumbnail.
pub const LARGE: u32 = 512;
/// Long side of the dense-grid thumbnail.
pub const SMALL: u32 = 256;
/// Long side of the photo view's JPEG copy of formats a web view cannot show (HEIC, RAW, TIFF).
pub const VIEW: u32 = 2048;
/// JPEG quality of thumbnails.
const QUALITY: u8 = 82;

/// The thumbnail cache folder.
#[derive(Debug, Clone)]
pub struct ThumbCache {
    dir: PathBuf,
}

impl ThumbCache {
    /// The cache below `cache_dir` (thumbnails go in its `thumbs/` folder).
    pub fn new(cache_dir: &Path) -> ThumbCache {
        ThumbCache {
            dir: cache_dir.join("thumbs"),
        }
    }

    /// The folder holding the thumbnails.
    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Where the thumbnail of long side `size` for content `hash` lives (whether or not it exists yet).
    pub fn path(&self, hash: &str, size: u32) -> PathBuf {
        let shard = hash.get(..2).unwrap_or("xx");
        self.dir.join(shard).join(format!("{hash}-{size}.jpg"))
    }

    /// Whether both thumbnails of `hash` exist.
    pub fn has(&self, hash: &str) -> bool {
        self.path(hash, LARGE).is_file() && self.path(hash, SMALL).is_file()
    }

    /// Decodes the photo, makes both thumbnails upright and writes them. Returns the large one's size.
    pub fn make(
        &self,
        bytes: &[u8],
        facts: &ImageFacts,
        hash: &str,
    ) -> Result<(u32, u32), FileProblem> {
        let (large, small) = render(bytes, facts)?;
        self.write(&large, &self.path(hash, LARGE))?;
        self.write(&small, &self.path(hash, SMALL))?;
        Ok(large.dimensions())
    }

    /// The cached JPEG copy (long side at most [`VIEW`], upright) of a photo whose format a display
    /// cannot read, made on first use. Where it is.
    pub fn view_copy(
        &self,
        bytes: &[u8],
        hash: &str,
        max_pixels: u64,
    ) -> Result<PathBuf, FileProblem> {
        let path = self.path(hash, VIEW);
        if !path.is_file() {
            let facts = crate::inspect(bytes, max_pixels)?;
            let img = decode_upright(bytes, &facts, DEFAULT_ROUTE, VIEW)?;
            self.write(&img, &path)?;
        }
        Ok(path)
    }

    fn write(&self, img: &RgbImage, path: &Path) -> Result<(), FileProblem> {
        let cache_error = |e: &dyn std::fmt::Display| {
            FileProblem(format!("cannot write thumbnail {}: {e}", path.display()))
        };
        let folder = path.parent().expect("thumbnail paths have a shard folder");
        std::fs::create_dir_all(folder).map_err(|e| cache_error(&e))?;
        let mut encoded = Vec::with_capacity(64 * 1024);
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, QUALITY)
            .encode_image(img)
            .map_err(|e| cache_error(&e))?;
        // Unique per write: two workers may render the same content (duplicate files) at once.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
        std::fs::write(&tmp, &encoded).map_err(|e| cache_error(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| cache_error(&e))
    }
}

/// Decodes and renders the large and small thumbnails, upright.
pub fn render(bytes: &[u8], facts: &ImageFacts) -> Result<(RgbImage, RgbImage), FileProblem> {
    render_with(bytes, facts, DEFAULT_ROUTE)
}

/// [`render`] by a chosen decode route.
pub fn render_with(
    bytes: &[u8],
    facts: &ImageFacts,
    route: DecodeRoute,
) -> Result<(RgbImage, RgbImage), FileProblem> {
    let large = decode_upright(bytes, facts, route, LARGE)?;
    let small = resize_to_fit(&large, SMALL)?;
    Ok((large, small))
}
