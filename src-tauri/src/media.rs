//! The `argus:` URI scheme: how the window gets images without base64 over IPC and without reading
//! arbitrary files. A request names a photo or face by catalogue id, never a path:
//!
//! - `thumb/ID`, `thumb/ID/large`: the photo's cached thumbnail (256 / 512 px);
//! - `image/ID`: the photo itself when the webview shows its format, else the large thumbnail;
//! - `face/ID`: a square crop around one face, cut from the large thumbnail.
//!
//! Every file served is resolved (symbolic links followed) and must lie inside the thumbnail cache
//! or inside the added library that holds the photo; anything else is refused.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use argus_api::catalog::{Catalog, PhotoStatus};
use argus_api::media::DEFAULT_MAX_PIXELS;
use argus_api::thumbs::{ThumbCache, LARGE, SMALL, VIEW};
use image::imageops::FilterType;
use percent_encoding::percent_decode_str;
use tauri::http::Response;

/// Side of a face crop.
const FACE_SIDE: u32 = 192;

/// What a request gets.
#[derive(Debug)]
pub struct Media {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
}

/// A refused request: the HTTP status and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub status: u16,
    pub reason: String,
}

fn refused(status: u16, reason: impl Into<String>) -> Refused {
    Refused {
        status,
        reason: reason.into(),
    }
}

enum Route {
    Thumb(i64, u32),
    Image(i64),
    Face(i64),
}

/// The route of a request path (`/thumb%2F12` as the webview sends it, or `/thumb/12`).
fn route(raw: &str) -> Result<Route, Refused> {
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| refused(400, "not UTF-8"))?;
    let parts: Vec<&str> = decoded.split('/').filter(|p| !p.is_empty()).collect();
    let id = |s: &str| {
        s.parse::<i64>()
            .map_err(|_| refused(404, format!("not an id: {s}")))
    };
    match parts.as_slice() {
        ["thumb", n] => Ok(Route::Thumb(id(n)?, SMALL)),
        ["thumb", n, "large"] => Ok(Route::Thumb(id(n)?, LARGE)),
        ["image", n] => Ok(Route::Image(id(n)?)),
        ["face", n] => Ok(Route::Face(id(n)?)),
        _ => Err(refused(404, format!("no such resource: {decoded}"))),
    }
}

/// The HTTP response to a request path: the image, or the refusal with its status and reason. The
/// catalogue is locked only to look the request up; files are read and faces cut after.
pub fn respond(catalog: &Mutex<Catalog>, cache: &ThumbCache, raw: &str) -> Response<Vec<u8>> {
    let located = {
        let catalog = crate::state::lock(catalog);
        locate(&catalog, cache, raw)
    };
    let response = match located.and_then(Located::load) {
        Ok(media) => Response::builder()
            .status(200)
            .header("Content-Type", media.mime)
            .header("Cache-Control", "max-age=300")
            .body(media.bytes),
        Err(refused) => Response::builder()
            .status(refused.status)
            .header("Content-Type", "text/plain")
            .body(refused.reason.into_bytes()),
    };
    response.expect("a valid response")
}

/// Where a request's bytes come from, as found in the catalogue: a file, allowed only inside `root`,
/// served whole or as the square around a face box.
struct Located {
    path: PathBuf,
    root: PathBuf,
    mime: &'static str,
    face: Option<[f32; 4]>,
    /// Served as the cached JPEG copy of this content hash (a format the webview cannot show).
    converted: Option<(ThumbCache, String)>,
}

impl Located {
    fn load(self) -> Result<Media, Refused> {
        if let Some((cache, hash)) = &self.converted {
            let copy = cache.path(hash, VIEW);
            if !copy.is_file() {
                let original = read_inside(&self.path, &self.root)?;
                cache
                    .view_copy(&original, hash, DEFAULT_MAX_PIXELS)
                    .map_err(|p| refused(500, p.0))?;
            }
            return read_inside(&copy, cache.root()).map(jpeg);
        }
        let bytes = read_inside(&self.path, &self.root)?;
        match self.face {
            None => Ok(Media {
                bytes,
                mime: self.mime,
            }),
            Some(face_box) => face_crop(&bytes, face_box).map(jpeg),
        }
    }
}

/// Looks a request up in the catalogue (no file is read).
fn locate(catalog: &Catalog, cache: &ThumbCache, raw: &str) -> Result<Located, Refused> {
    match route(raw)? {
        Route::Thumb(id, size) => thumbnail(catalog, cache, id, size),
        Route::Image(id) => original(catalog, cache, id),
        Route::Face(id) => {
            let (photo_id, face_box) = catalog
                .face_box(id)
                .map_err(|e| refused(500, e.to_string()))?
                .ok_or_else(|| refused(404, format!("no face {id}")))?;
            Ok(Located {
                face: Some(face_box),
                ..thumbnail(catalog, cache, photo_id, LARGE)?
            })
        }
    }
}

fn jpeg(bytes: Vec<u8>) -> Media {
    Media {
        bytes,
        mime: "image/jpeg",
    }
}

fn thumbnail(
    catalog: &Catalog,
    cache: &ThumbCache,
    id: i64,
    size: u32,
) -> Result<Located, Refused> {
    let photo = catalog
        .photo(id)
        .map_err(|e| refused(500, e.to_string()))?
        .ok_or_else(|| refused(404, format!("no photo {id}")))?;
    match (&photo.hash, photo.status) {
        (Some(hash), PhotoStatus::Ok) => Ok(Located {
            path: cache.path(hash, size),
            root: cache.root().to_path_buf(),
            mime: "image/jpeg",
            face: None,
            converted: None,
        }),
        _ => Err(refused(404, format!("photo {id} has no thumbnail"))),
    }
}

/// Reads `path` if, resolved, it lies inside `root` (resolved too).
fn read_inside(path: &Path, root: &Path) -> Result<Vec<u8>, Refused> {
    let root = root
        .canonicalize()
        .map_err(|_| refused(404, "folder not found"))?;
    let real = path
        .canonicalize()
        .map_err(|_| refused(404, format!("not found: {}", path.display())))?;
    if !real.starts_with(&root) {
        return Err(refused(
            403,
            format!("{} is outside {}", real.display(), root.display()),
        ));
    }
    std::fs::read(&real).map_err(|e| refused(404, format!("cannot read {}: {e}", real.display())))
}

/// The mime type of a format the webview displays, None for the others (TIFF …).
fn displayable(format: &str) -> Option<&'static str> {
    match format {
        "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "webp" => Some("image/webp"),
        "gif" => Some("image/gif"),
        "bmp" => Some("image/bmp"),
        _ => None,
    }
}

/// The photo itself inside its library, or (a format the webview cannot show: HEIC, RAW, TIFF) its
/// cached JPEG copy, made on first view.
fn original(catalog: &Catalog, cache: &ThumbCache, id: i64) -> Result<Located, Refused> {
    let db = |e: argus_api::Error| refused(500, e.to_string());
    let photo = catalog
        .photo(id)
        .map_err(db)?
        .ok_or_else(|| refused(404, format!("no photo {id}")))?;
    let mime = photo.format.as_deref().and_then(displayable);
    let converted = match (mime, &photo.hash, photo.status) {
        (Some(_), ..) => None,
        (None, Some(hash), PhotoStatus::Ok) => Some((cache.clone(), hash.clone())),
        (None, ..) => return thumbnail(catalog, cache, id, LARGE),
    };
    let library = catalog
        .library_containing(&photo.path)
        .map_err(db)?
        .ok_or_else(|| refused(403, format!("{} is in no library", photo.path.display())))?;
    Ok(Located {
        path: photo.path,
        root: library.path,
        mime: mime.unwrap_or("image/jpeg"),
        face: None,
        converted,
    })
}

/// A square 1.6 times the face's longer side, around its centre, kept inside the thumbnail (JPEG
/// bytes), as a [`FACE_SIDE`] JPEG.
fn face_crop(thumbnail: &[u8], [x, y, w, h]: [f32; 4]) -> Result<Vec<u8>, Refused> {
    let thumb =
        image::load_from_memory(thumbnail).map_err(|e| refused(500, format!("thumbnail: {e}")))?;
    let (tw, th) = (thumb.width() as f32, thumb.height() as f32);
    let side = (w * tw).max(h * th) * 1.6;
    let side = side.min(tw).min(th).max(1.0);
    let cx = (x + w / 2.0) * tw;
    let cy = (y + h / 2.0) * th;
    let left = (cx - side / 2.0).clamp(0.0, tw - side);
    let top = (cy - side / 2.0).clamp(0.0, th - side);
    let crop = thumb
        .crop_imm(left as u32, top as u32, side as u32, side as u32)
        .resize_exact(FACE_SIDE, FACE_SIDE, FilterType::Triangle);
    let mut out = Cursor::new(Vec::new());
    crop.to_rgb8()
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(|e| refused(500, e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argus_api::progress::{CancelToken, Silent};
    use argus_api::scan::{scan, ScanOptions, Scope};

    /// Serves one request path, as `respond` does.
    fn resolve(catalog: &Catalog, cache: &ThumbCache, raw: &str) -> Result<Media, Refused> {
        locate(catalog, cache, raw)?.load()
    }

    fn write_jpeg(path: &Path, shade: u8) {
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([shade, x as u8 * 3, y as u8 * 4]));
        img.save(path).unwrap();
    }

    /// A catalogue with one library holding one photo, scanned (thumbnails made).
    fn catalogued() -> (tempfile::TempDir, Catalog, ThumbCache, i64, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("library");
        std::fs::create_dir_all(&library).unwrap();
        let photo = library.join("one.jpg");
        write_jpeg(&photo, 10);
        let mut catalog = Catalog::open(&dir.path().join("catalog.db")).unwrap();
        catalog.add_library(&library).unwrap();
        let cache = ThumbCache::new(&dir.path().join("cache"));
        let options = ScanOptions::default();
        scan(
            &mut catalog,
            &cache,
            &Scope::All,
            &options,
            &Silent,
            &CancelToken::new(),
        )
        .unwrap();
        let photo = catalog
            .photo_by_path(&photo.canonicalize().unwrap())
            .unwrap()
            .unwrap();
        (dir, catalog, cache, photo.id, photo.path)
    }

    #[test]
    fn a_format_the_webview_cannot_show_is_served_as_a_cached_jpeg_copy() {
        let (dir, mut catalog, cache, _, _) = catalogued();
        let library = dir.path().join("library");
        let tiff = library.join("scan.tif");
        image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([x as u8, 80, 160]))
            .save(&tiff)
            .unwrap();
        scan(
            &mut catalog,
            &cache,
            &Scope::All,
            &ScanOptions::default(),
            &Silent,
            &CancelToken::new(),
        )
        .unwrap();
        let photo = catalog
            .photo_by_path(&tiff.canonicalize().unwrap())
            .unwrap()
            .unwrap();
        let media = resolve(&catalog, &cache, &format!("/image%2F{}", photo.id)).unwrap();
        assert_eq!(media.mime, "image/jpeg");
        let shown = image::load_from_memory(&media.bytes).unwrap();
        assert_eq!((shown.width(), shown.height()), (300, 200));
        // Made once, then read from the cache.
        let copy = cache.path(photo.hash.as_deref().unwrap(), VIEW);
        assert!(copy.is_file());
        assert_eq!(std::fs::read(&copy).unwrap(), media.bytes);
    }

    #[test]
    fn serves_thumbnails_and_photos_by_id() {
        let (_dir, catalog, cache, id, path) = catalogued();
        for request in [format!("/thumb%2F{id}"), format!("/thumb/{id}/large")] {
            let media = resolve(&catalog, &cache, &request).unwrap();
            assert_eq!(media.mime, "image/jpeg");
            assert!(image::load_from_memory(&media.bytes).is_ok(), "{request}");
        }
        let original = resolve(&catalog, &cache, &format!("/image%2F{id}")).unwrap();
        assert_eq!(original.bytes, std::fs::read(path).unwrap());
    }

    #[test]
    fn refuses_paths_unknown_ids_and_files_outside_the_libraries() {
        let (dir, catalog, cache, id, path) = catalogued();
        for request in [
            "/..%2F..%2F..%2Fetc%2Fpasswd",
            "/%2Fetc%2Fpasswd",
            "/etc/passwd",
            "/image%2F..%2F..%2Fetc%2Fpasswd",
            "/thumb/1/../../../etc/passwd",
            "/thumb%2F99999",
            "/image%2F-1",
            "/face%2F12",
            "/file%2F..%2Fcatalog.db",
        ] {
            let refused = resolve(&catalog, &cache, request).unwrap_err();
            assert!(
                [403, 404].contains(&refused.status),
                "{request}: {refused:?}"
            );
        }
        // The photo's file replaced by a link to a file outside the library: refused, not followed.
        let outside = dir.path().join("secret.jpg");
        write_jpeg(&outside, 200);
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        let refused = resolve(&catalog, &cache, &format!("/image%2F{id}")).unwrap_err();
        assert_eq!(refused.status, 403, "{refused:?}");
        assert!(refused.reason.contains("outside"));
        // And a thumbnail swapped for a link out of the cache is refused too.
        let thumb = thumbnail(&catalog, &cache, id, SMALL).unwrap().path;
        std::fs::remove_file(&thumb).unwrap();
        std::os::unix::fs::symlink(&outside, &thumb).unwrap();
        let refused = resolve(&catalog, &cache, &format!("/thumb%2F{id}")).unwrap_err();
        assert_eq!(refused.status, 403, "{refused:?}");
    }

    #[test]
    fn face_crops_are_squares_cut_from_the_thumbnail() {
        let (_dir, mut catalog, cache, id, _) = catalogued();
        let hash = catalog.photo(id).unwrap().unwrap().hash.unwrap();
        let face = argus_api::catalog::NewFace {
            x: 0.6,
            y: 0.1,
            w: 0.3,
            h: 0.4,
            score: 0.9,
            ..Default::default()
        };
        let result = argus_api::catalog::PhotoAnalysis {
            photo_id: id,
            new_faces: Some(("test".into(), vec![face])),
            ..Default::default()
        };
        let writer = catalog.writer().unwrap();
        assert!(writer.write_analysis_of(&hash, &result).unwrap());
        writer.commit().unwrap();
        let face = catalog.faces_of(id).unwrap()[0].id;
        let media = resolve(&catalog, &cache, &format!("/face%2F{face}")).unwrap();
        let img = image::load_from_memory(&media.bytes).unwrap();
        assert_eq!((img.width(), img.height()), (FACE_SIDE, FACE_SIDE));
    }
}
