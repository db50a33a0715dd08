//! The near-duplicate evaluation set and its measurement (`argus dev duplicates-set`, `argus dev
//! eval-duplicates`, `tests/duplicates.rs`).
//!
//! **The set.** Each original (a real photo: the sample library, the persons set, the test photos)
//! is copied byte for byte, and next to it go the copies people's libraries fill up with — each
//! transform seeded, so the set is the same on every machine:
//! `resize` (to 40–70 %), `jpeg` (re-encoded at quality 50–95), `crop` (2–10 % off the edges, off
//! centre), `rotate` (±1–3°, cropped to the rotated picture), `bright` (brightness ±15–25 %),
//! `format` (a JPEG as PNG, anything else as JPEG), `noexif` (a JPEG's bytes without its EXIF and
//! XMP segments: the same pixels, another file). An original with its copies is one family.
//! **Hard negatives** are the originals themselves: different photos, often of the same person or
//! scene (five photos of Obama, two of them tight crops of his face; six face-api photos of one
//! event; street scenes of one city; stock photos of one shoot). A file found in two of the
//! folders is one original.
//!
//! **The measure.** Over every pair of the set's photos: a pair is predicted when the two land in
//! one duplicate group, true when they are one family. Precision and recall of the pairs, recall
//! per transform (a copy grouped with its original), and the false pairs, named.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::Result;
use argus_api::imaging::{decode_upright, resize_exact, DecodeRoute};
use argus_api::lookalike::duplicate_groups;
use argus_api::similar::DuplicateOptions;

/// The transforms, in the order they are made.
pub const TRANSFORMS: [&str; 7] = [
    "resize", "jpeg", "crop", "rotate", "bright", "format", "noexif",
];
/// The set's truth file, in the set's folder.
pub const TRUTH_FILE: &str = "truth.json";
/// The longest side originals are decoded at before a transform.
const WORK_SIDE: u32 = 2048;

/// What the set holds: each family's files (the original first), and how each copy was made.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Truth {
    pub families: Vec<Vec<String>>,
    pub transform: BTreeMap<String, String>,
}

impl Truth {
    pub fn read(set: &Path) -> Result<Truth> {
        let path = set.join(TRUTH_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| crate::Error::io(format!("cannot read {}", path.display()), e))?;
        serde_json::from_str(&text)
            .map_err(|e| crate::Error::Other(format!("{} does not parse: {e}", path.display())))
    }
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> crate::Error {
    crate::Error::Other(format!("cannot write {}: {e}", path.display()))
}

fn save_jpeg(img: &RgbImage, path: &Path, quality: u8) -> Result<()> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(img)
        .map_err(|e| io_err(path, e))?;
    std::fs::write(path, bytes).map_err(|e| io_err(path, e))
}

/// A JPEG's bytes without its APP1 segments (EXIF, XMP); `None` if it is not a baseline-parsable JPEG.
pub fn strip_app1(jpeg: &[u8]) -> Option<Vec<u8>> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        if jpeg[at] != 0xFF {
            return None;
        }
        let marker = jpeg[at + 1];
        if marker == 0xDA {
            out.extend_from_slice(&jpeg[at..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        let end = at + 2 + len;
        if end > jpeg.len() {
            return None;
        }
        if marker != 0xE1 {
            out.extend_from_slice(&jpeg[at..end]);
        }
        at = end;
    }
    None
}

/// Rotates by `degrees` about the centre (bilinear), then keeps the centre free of corners.
pub fn rotate_and_crop(img: &RgbImage, degrees: f64) -> RgbImage {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w / 2.0, h / 2.0);
    let margin = (s.abs() * w.max(h)).ceil() as u32 + 1;
    let (ow, oh) = (
        img.width().saturating_sub(2 * margin).max(1),
        img.height().saturating_sub(2 * margin).max(1),
    );
    RgbImage::from_fn(ow, oh, |x, y| {
        let (dx, dy) = (
            (x + margin) as f64 + 0.5 - cx,
            (y + margin) as f64 + 0.5 - cy,
        );
        let (sx, sy) = (c * dx + s * dy + cx - 0.5, -s * dx + c * dy + cy - 0.5);
        let (x0, y0) = (sx.floor().max(0.0), sy.floor().max(0.0));
        let (fx, fy) = ((sx - x0).clamp(0.0, 1.0), (sy - y0).clamp(0.0, 1.0));
        let at = |xx: f64, yy: f64| {
            *img.get_pixel(
                (xx as u32).min(img.width() - 1),
                (yy as u32).min(img.height() - 1),
            )
        };
        let (p00, p10, p01, p11) = (
            at(x0, y0),
            at(x0 + 1.0, y0),
            at(x0, y0 + 1.0),
            at(x0 + 1.0, y0 + 1.0),
        );
        Rgb(std::array::from_fn(|k| {
            let top = f64::from(p00[k]) * (1.0 - fx) + f64::from(p10[k]) * fx;
            let bottom = f64::from(p01[k]) * (1.0 - fx) + f64::from(p11[k]) * fx;
            (top * (1.0 - fy) + bottom * fy).round() as u8
        }))
    })
}

fn crop(img: &RgbImage, x: u32, y: u32, w: u32, h: u32) -> RgbImage {
    image::imageops::crop_imm(img, x, y, w.max(1), h.max(1)).to_image()
}

fn stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned())
}

/// The photo files under the given folders and files, sorted.
pub fn photo_files(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in roots {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if entry.file_type().is_file() && !name.starts_with('.') && !name.ends_with(".xmp") {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files
}

/// Writes the set into `out` (originals copied, copies made, [`TRUTH_FILE`]) from the photos of
/// `originals` (files that do not decode are left out). Returns the truth.
pub fn write_set(originals: &[PathBuf], out: &Path, seed: u64) -> Result<Truth> {
    std::fs::create_dir_all(out).map_err(|e| io_err(out, e))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut truth = Truth::default();
    let mut seen: HashSet<blake3::Hash> = HashSet::new();
    for (n, source) in originals.iter().enumerate() {
        let Ok(bytes) = std::fs::read(source) else {
            continue;
        };
        let Ok(facts) = argus_api::media::inspect(&bytes, argus_api::media::DEFAULT_MAX_PIXELS)
        else {
            continue;
        };
        let Ok(img) = decode_upright(&bytes, &facts, DecodeRoute::Scaled, WORK_SIDE) else {
            continue;
        };
        let name = source
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let original = format!("{n:03}_{name}");
        // The same file in two of the folders is one original.
        if !seen.insert(blake3::hash(&bytes)) {
            continue;
        }
        std::fs::write(out.join(&original), &bytes).map_err(|e| io_err(out, e))?;
        let family = truth.families.len();
        truth.families.push(vec![original.clone()]);
        let base = format!("{n:03}_{}", stem(&name));
        let (w, h) = img.dimensions();
        let is_jpeg = facts.format == "jpeg";
        for transform in TRANSFORMS {
            let file = match transform {
                "format" if is_jpeg => format!("{base}_format.png"),
                "noexif" if !is_jpeg => continue,
                "noexif" => format!("{base}_noexif.jpg"),
                _ => format!("{base}_{transform}.jpg"),
            };
            let path = out.join(&file);
            match transform {
                "resize" => {
                    let k = rng.random_range(0.4..0.7);
                    let small = resize_exact(
                        &img,
                        ((w as f64 * k) as u32).max(8),
                        ((h as f64 * k) as u32).max(8),
                    )
                    .map_err(|p| crate::Error::Other(p.0))?;
                    save_jpeg(&small, &path, 88)?;
                }
                "jpeg" => save_jpeg(&img, &path, rng.random_range(50..=95))?,
                "crop" => {
                    let cut = rng.random_range(0.02..0.10);
                    let (cw, ch) = ((w as f64 * cut) as u32, (h as f64 * cut) as u32);
                    let (left, top) = (rng.random_range(0..=cw), rng.random_range(0..=ch));
                    save_jpeg(&crop(&img, left, top, w - cw, h - ch), &path, 90)?;
                }
                "rotate" => {
                    let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                    let degrees = sign * rng.random_range(1.0..3.0);
                    save_jpeg(&rotate_and_crop(&img, degrees), &path, 90)?;
                }
                "bright" => {
                    let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                    let k = 1.0 + sign * rng.random_range(0.15..0.25);
                    let lit = RgbImage::from_fn(w, h, |x, y| {
                        Rgb(img
                            .get_pixel(x, y)
                            .0
                            .map(|v| (f64::from(v) * k).round().clamp(0.0, 255.0) as u8))
                    });
                    save_jpeg(&lit, &path, 90)?;
                }
                "format" if is_jpeg => img.save(&path).map_err(|e| io_err(&path, e))?,
                "format" => save_jpeg(&img, &path, 92)?,
                "noexif" => {
                    let Some(stripped) = strip_app1(&bytes) else {
                        continue;
                    };
                    std::fs::write(&path, stripped).map_err(|e| io_err(&path, e))?;
                }
                _ => unreachable!("a transform of TRANSFORMS"),
            }
            truth.families[family].push(file.clone());
            truth.transform.insert(file, transform.to_string());
        }
    }
    let text = serde_json::to_string_pretty(&truth).expect("truth serialises");
    std::fs::write(out.join(TRUTH_FILE), text).map_err(|e| io_err(out, e))?;
    Ok(truth)
}

/// A pair of the set grouped together though they are different photos.
#[derive(Debug, Clone, Serialize)]
pub struct FalsePair {
    pub a: String,
    pub b: String,
    pub similarity: f32,
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DuplicatesReport {
    pub photos: usize,
    pub families: usize,
    pub groups: usize,
    pub true_pairs: usize,
    pub predicted_pairs: usize,
    pub correct_pairs: usize,
    /// Per transform: (copies grouped with their original, copies).
    pub recall_by_transform: BTreeMap<String, (usize, usize)>,
    pub false_pairs: Vec<FalsePair>,
    /// Per transform: the least similar copy (descriptor cosine) and the farthest hash (bits).
    pub hardest_copy: BTreeMap<String, (f32, u32)>,
    /// The most alike pairs of different families: (similarity, hash bits, a, b).
    pub closest_negatives: Vec<(f32, u32, String, String)>,
    /// Files of the truth not in the catalogue (not scanned, or not analysed).
    pub missing: Vec<String>,
}

impl DuplicatesReport {
    pub fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 {
            return 1.0;
        }
        self.correct_pairs as f64 / self.predicted_pairs as f64
    }

    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            return 1.0;
        }
        self.correct_pairs as f64 / self.true_pairs as f64
    }
}

/// Measures the catalogue's duplicate groups against the set in `set` (scanned and analysed).
pub fn evaluate(
    catalog: &Catalog,
    set: &Path,
    options: &DuplicateOptions,
) -> Result<DuplicatesReport> {
    let truth = Truth::read(set)?;
    let mut family_of: HashMap<i64, usize> = HashMap::new();
    let mut file_of: HashMap<i64, String> = HashMap::new();
    let mut report = DuplicatesReport {
        families: truth.families.len(),
        ..DuplicatesReport::default()
    };
    for (f, files) in truth.families.iter().enumerate() {
        for file in files {
            match catalog.photo_by_path(&set.join(file))? {
                Some(p) if catalog.photo_descriptor(p.id)?.is_some() => {
                    family_of.insert(p.id, f);
                    file_of.insert(p.id, file.clone());
                }
                _ => report.missing.push(file.clone()),
            }
        }
    }
    report.photos = family_of.len();
    let lookalikes = argus_api::similar::LookAlikes::load(catalog)?;
    let bits = |a: i64, b: i64| match (lookalikes.phash(a), lookalikes.phash(b)) {
        (Some(x), Some(y)) => (x ^ y).count_ones(),
        _ => 64,
    };
    let ids: Vec<i64> = {
        let mut v: Vec<i64> = family_of.keys().copied().collect();
        v.sort_unstable();
        v
    };
    let mut negatives = Vec::new();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            if family_of[&a] != family_of[&b] {
                let s = lookalikes.similarity(a, b).unwrap_or(0.0);
                negatives.push((s, bits(a, b), file_of[&a].clone(), file_of[&b].clone()));
            }
        }
    }
    negatives.sort_by(|x, y| y.0.total_cmp(&x.0));
    negatives.truncate(12);
    report.closest_negatives = negatives;
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for f in family_of.values() {
        *sizes.entry(*f).or_default() += 1;
    }
    report.true_pairs = sizes.values().map(|n| n * (n - 1) / 2).sum();
    let groups = duplicate_groups(catalog, options)?;
    let mut grouped: HashSet<(i64, i64)> = HashSet::new();
    for g in &groups {
        let ids: Vec<i64> = g
            .photo_ids()
            .into_iter()
            .filter(|id| family_of.contains_key(id))
            .collect();
        if ids.len() > 1 {
            report.groups += 1;
        }
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                grouped.insert((a, b));
                report.predicted_pairs += 1;
                if family_of[&a] == family_of[&b] {
                    report.correct_pairs += 1;
                } else {
                    let lookalikes_sim = g
                        .members
                        .iter()
                        .find(|m| m.photo.id == b)
                        .map_or(0.0, |m| m.similarity);
                    report.false_pairs.push(FalsePair {
                        a: file_of[&a].clone(),
                        b: file_of[&b].clone(),
                        similarity: lookalikes_sim,
                    });
                }
            }
        }
    }
    // Recall per transform: each copy against its family's original.
    let id_of: HashMap<&str, i64> = file_of.iter().map(|(id, f)| (f.as_str(), *id)).collect();
    for files in &truth.families {
        let Some(original) = files.first() else {
            continue;
        };
        let original_id = id_of.get(original.as_str()).copied();
        for file in &files[1..] {
            let Some(transform) = truth.transform.get(file) else {
                continue;
            };
            let copy_id = id_of.get(file.as_str()).copied();
            let slot = report
                .recall_by_transform
                .entry(transform.clone())
                .or_default();
            slot.1 += 1;
            if let (Some(a), Some(b)) = (original_id, copy_id) {
                slot.0 += grouped.contains(&(a.min(b), a.max(b))) as usize;
                let s = lookalikes.similarity(a, b).unwrap_or(0.0);
                let hardest = report
                    .hardest_copy
                    .entry(transform.clone())
                    .or_insert((1.0, 0));
                hardest.0 = hardest.0.min(s);
                hardest.1 = hardest.1.max(bits(a, b));
            }
        }
    }
    Ok(report)
}
