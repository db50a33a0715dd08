//! The export run. First, from the catalogue alone: each photo's focus and each crop's output name
//! and recipe (names are checked for clashes before anything is written). Then, in parallel, per
//! photo: skip it if every crop is already in the folder unchanged; otherwise read and decode it
//! once, plan, cut, resize, encode and write each crop (through a temporary file). One bad photo
//! never stops the run; cancelling stops taking new photos and still writes the manifest.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::content::Detail;
use super::encode::{encode, exif_for_crop, source_metadata};
use super::focus::{choose, choose_object, FocusChoice, FocusSource};
use super::geometry::{plan as plan_crop, Aspect, Crop};
use super::manifest::{write_atomically, CropRecord, CropStatus, Manifest};
use super::naming::{place_inside, NameValues};
use super::render::Source;
use super::{ExportOptions, ExportProblem, ExportReport, FocusMode};
use argus_catalog::{Catalog, Photo, PhotoStatus, StoredFace};
use argus_core::progress::{CancelToken, JobObserver, JobStage};
use argus_core::{Error, Result};
use argus_media::inspect;
use argus_media::mtime_ns;

/// Bumped whenever the same recipe would give different pixels (geometry, resampling, encoders).
const RENDER_VERSION: u32 = 1;

/// One crop to make.
struct PlannedCrop {
    aspect: Aspect,
    requested: (u32, u32),
    output: PathBuf,
    recipe: String,
}

/// One photo to export, all known before any pixel is read.
struct PhotoPlan {
    photo: Photo,
    width: u32,
    height: u32,
    focus: FocusChoice,
    crops: Vec<PlannedCrop>,
}

enum Outcome {
    Done(Vec<CropRecord>),
    Failed(ExportProblem),
    NotStarted,
}

/// Exports `photo_ids` as `options` says, reporting each photo to `observer`.
pub fn export(
    catalog: &Catalog,
    photo_ids: &[i64],
    options: &ExportOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<ExportReport> {
    let started = Instant::now();
    std::fs::create_dir_all(&options.out)
        .map_err(|e| Error::io(format!("cannot create {}", options.out.display()), e))?;
    let (plans, mut problems) = plan_photos(catalog, photo_ids, options)?;
    let previous = Manifest::read(&options.out);
    let earlier = previous.by_output();
    observer.stage(JobStage::Export, Some(plans.len() as u64));
    let outcomes: Vec<Outcome> = plans
        .par_iter()
        .map(|plan| {
            if cancel.is_cancelled() {
                return Outcome::NotStarted;
            }
            let outcome = match export_photo(plan, options, &earlier) {
                Ok(records) => Outcome::Done(records),
                Err(reason) => Outcome::Failed(ExportProblem {
                    photo_id: plan.photo.id,
                    path: plan.photo.path.clone(),
                    reason,
                }),
            };
            observer.advance(&plan.photo.path);
            outcome
        })
        .collect();
    let mut crops = Vec::new();
    let mut content_fallbacks = 0;
    for (plan, outcome) in plans.iter().zip(outcomes) {
        match outcome {
            Outcome::Done(records) => {
                content_fallbacks += usize::from(plan.focus.source == FocusSource::Content);
                crops.extend(records);
            }
            Outcome::Failed(problem) => problems.push(problem),
            Outcome::NotStarted => {}
        }
    }
    let manifest = Manifest::merged(&previous, &options.out, &crops).write(&options.out)?;
    Ok(ExportReport {
        photos: photo_ids.len(),
        written: count(&crops, |c| c.status == CropStatus::Written),
        unchanged: count(&crops, |c| c.status == CropStatus::Unchanged),
        smaller_than_requested: count(&crops, |c| c.smaller_than_requested),
        content_fallbacks,
        problems,
        crops,
        manifest,
        cancelled: cancel.is_cancelled(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn count(crops: &[CropRecord], what: impl Fn(&CropRecord) -> bool) -> usize {
    crops.iter().filter(|c| what(c)).count()
}

/// The focus, names and recipes of every photo (from the catalogue), with the photos that cannot
/// be exported at all. Two crops of one photo with the same name are an error (the template
/// lacks `{aspect}` or `{w}`); photos whose names clash get `-ID` added.
fn plan_photos(
    catalog: &Catalog,
    photo_ids: &[i64],
    options: &ExportOptions,
) -> Result<(Vec<PhotoPlan>, Vec<ExportProblem>)> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    let mut taken: HashMap<PathBuf, i64> = HashMap::new();
    let mut names: HashMap<i64, Option<String>> = HashMap::new();
    for &id in photo_ids {
        let (photo, width, height) = match exportable(catalog, id)? {
            Ok(found) => found,
            Err(photo) => {
                problems.push(ExportProblem {
                    photo_id: id,
                    path: photo.path.clone(),
                    reason: format!(
                        "not a readable photo: {}",
                        photo.error.as_deref().unwrap_or("unsupported")
                    ),
                });
                continue;
            }
        };
        let (focus, faces) = photo_focus(catalog, id, width, height, options.focus)?;
        let person_id = match options.focus {
            FocusMode::Person(p) => Some(p),
            _ => focus
                .faces
                .first()
                .and_then(|f| faces.iter().find(|s| s.id == *f))
                .and_then(|f| f.person_id),
        };
        let person = match person_id {
            Some(p) => match names.get(&p) {
                Some(name) => name.clone(),
                None => {
                    let name = catalog.person(p)?.and_then(|p| p.name);
                    names.insert(p, name.clone());
                    name
                }
            },
            None => None,
        };
        let stem = photo
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut crops = Vec::new();
        let mut own: Vec<PathBuf> = Vec::new();
        for &aspect in &options.aspects {
            for target in &options.targets {
                let requested = target.size(aspect);
                let values = NameValues {
                    stem: &stem,
                    id,
                    aspect: format!("{}x{}", aspect.w, aspect.h),
                    w: requested.0,
                    h: requested.1,
                    ext: options.format.extension(),
                    person: person.as_deref().unwrap_or("unnamed"),
                };
                let name = options.template.render(&values).map_err(Error::Other)?;
                if own.contains(&name) {
                    return Err(Error::Other(format!(
                        "the file name template gives two crops of {} the same name ({}): \
                         add {{aspect}} or {{w}} to it",
                        photo.path.display(),
                        name.display()
                    )));
                }
                own.push(name.clone());
                let output = unclashed(name, id, &taken);
                taken.insert(output.clone(), id);
                crops.push(PlannedCrop {
                    aspect,
                    requested,
                    recipe: recipe(&photo, &focus, aspect, requested, options),
                    output,
                });
            }
        }
        plans.push(PhotoPlan {
            photo,
            width,
            height,
            focus,
            crops,
        });
    }
    Ok((plans, problems))
}

/// Photo `id` with its upright size, or `Err(photo)` when it is not a readable photo (an error or
/// unsupported file); a missing id is an error.
pub(super) fn exportable(
    catalog: &Catalog,
    id: i64,
) -> Result<std::result::Result<(Photo, u32, u32), Photo>> {
    let photo = catalog
        .photo(id)?
        .ok_or_else(|| Error::NoSuchPhoto(format!("id {id}")))?;
    Ok(match (photo.width, photo.height, photo.status) {
        (Some(width), Some(height), PhotoStatus::Ok) => Ok((photo, width, height)),
        _ => Err(photo),
    })
}

/// The focus of photo `id` (upright `width × height`) from its stored faces (and, for a body or
/// object focus, objects), with those faces.
pub(super) fn photo_focus(
    catalog: &Catalog,
    id: i64,
    width: u32,
    height: u32,
    mode: FocusMode,
) -> Result<(FocusChoice, Vec<StoredFace>)> {
    let faces = catalog.faces_of(id)?;
    let runs = catalog.analysis_runs(id)?;
    let ran = |stage: &str| runs.iter().any(|r| r.stage == stage && r.error.is_none());
    let choice = match mode {
        FocusMode::Body | FocusMode::Object(_) => {
            let objects = catalog.photo_objects(id)?;
            choose_object(&faces, &objects, mode, width, height, ran("objects"))
        }
        _ => choose(&faces, mode, width, height, ran("faces")),
    };
    Ok((choice, faces))
}

/// `name`, or — when another photo already has it — the name with `-ID` before the extension.
fn unclashed(name: PathBuf, id: i64, taken: &HashMap<PathBuf, i64>) -> PathBuf {
    if !taken.contains_key(&name) {
        return name;
    }
    let stem = name.file_stem().unwrap_or_default().to_string_lossy();
    let ext = name
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let mut n = 0;
    loop {
        let suffix = if n == 0 {
            format!("-{id}")
        } else {
            format!("-{id}-{n}")
        };
        let candidate = name.with_file_name(format!("{stem}{suffix}{ext}"));
        if !taken.contains_key(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// A hash of everything that decides a crop's bytes: the source content, the focus, the size and
/// every option that changes pixels or metadata.
fn recipe(
    photo: &Photo,
    focus: &FocusChoice,
    aspect: Aspect,
    requested: (u32, u32),
    options: &ExportOptions,
) -> String {
    let source = photo
        .hash
        .clone()
        .unwrap_or_else(|| format!("{}:{}", photo.size, photo.mtime_ns));
    let c = &options.crop;
    let text = format!(
        "v{RENDER_VERSION}|{source}|{:?}|{:?}|{:?}|{aspect}|{requested:?}|{}|{}|{}|{}|{:?}|{:?}|{}|{}|{}",
        focus.source,
        focus.rect,
        focus.eyes_y,
        c.zoom,
        c.padding,
        c.headroom,
        c.fill,
        options.fill_color,
        options.format,
        options.quality,
        options.keep_metadata,
        options.upscale,
    );
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// Exports one photo's crops; an error is the reason the photo failed.
fn export_photo(
    plan: &PhotoPlan,
    options: &ExportOptions,
    earlier: &HashMap<&Path, &CropRecord>,
) -> Result<Vec<CropRecord>, String> {
    let path = &plan.photo.path;
    let meta = std::fs::metadata(path).map_err(|e| {
        format!("cannot read the file (moved or deleted since the last scan?): {e}")
    })?;
    if meta.len() != plan.photo.size || mtime_ns(&meta) != plan.photo.mtime_ns {
        return Err("the file changed since the last scan: run `argus scan` first".into());
    }
    let unchanged: Option<Vec<CropRecord>> = plan
        .crops
        .iter()
        .map(|crop| unchanged_record(crop, options, earlier))
        .collect();
    if let Some(records) = unchanged {
        return Ok(records);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let facts = inspect(&bytes, options.max_pixels).map_err(|p| p.0)?;
    if facts.displayed_size() != (plan.width, plan.height) {
        return Err("the file changed since the last scan: run `argus scan` first".into());
    }
    let focus = plan.focus.focus();
    let centre = (f64::from(plan.width) / 2.0, f64::from(plan.height) / 2.0);
    let plan_all = |content: &dyn Fn(i64, i64) -> (f64, f64)| -> Vec<Crop> {
        plan.crops
            .iter()
            .map(|c| {
                plan_crop(
                    plan.width,
                    plan.height,
                    c.aspect,
                    focus.as_ref(),
                    content,
                    &options.crop,
                )
            })
            .collect()
    };
    let centred = plan_all(&|_, _| centre);
    // The smallest decode every crop still gets full detail from.
    let scale = plan
        .crops
        .iter()
        .zip(&centred)
        .map(|(c, crop)| {
            output_size(c.requested, crop, options.upscale).0 as f64 / crop.rect.w as f64
        })
        .fold(0.0, f64::max)
        .min(1.0);
    let source = Source::decode(&bytes, &facts, scale, options.raw_source).map_err(|p| p.0)?;
    let crops = match focus {
        Some(_) => centred,
        None => {
            let detail = Detail::of(&source.pixels, plan.width, plan.height);
            plan_all(&|w, h| detail.centre_for(w, h))
        }
    };
    let metadata = source_metadata(&bytes, options.keep_metadata);
    let mut records = Vec::with_capacity(crops.len());
    for (planned, crop) in plan.crops.iter().zip(crops) {
        let (w, h) = output_size(planned.requested, &crop, options.upscale);
        let pixels = source
            .render(&crop.rect, w, h, options.fill_color)
            .map_err(|p| p.0)?;
        let mut meta = metadata.clone();
        meta.exif = meta.exif.and_then(|e| exif_for_crop(&e, w, h));
        let encoded = encode(&pixels, options.format, options.quality, &meta)?;
        let file = place_inside(&options.out, &planned.output)?;
        let output_hash = blake3::hash(&encoded).to_hex().to_string();
        let same = std::fs::read(&file).is_ok_and(|old| old == encoded);
        if !same {
            write_atomically(&file, &encoded)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
        records.push(CropRecord {
            photo_id: plan.photo.id,
            source: plan.photo.path.clone(),
            output: planned.output.clone(),
            aspect: planned.aspect.to_string(),
            width: w,
            height: h,
            requested: [planned.requested.0, planned.requested.1],
            smaller_than_requested: (w, h) != planned.requested,
            rect: crop.rect,
            fit: crop.fit,
            padding: crop.padding,
            focus: plan.focus.clone(),
            recipe: planned.recipe.clone(),
            output_hash,
            status: if same {
                CropStatus::Unchanged
            } else {
                CropStatus::Written
            },
        });
    }
    Ok(records)
}

/// The earlier record of a crop whose file is still in the folder, unchanged, with this recipe.
fn unchanged_record(
    crop: &PlannedCrop,
    options: &ExportOptions,
    earlier: &HashMap<&Path, &CropRecord>,
) -> Option<CropRecord> {
    let record = earlier.get(crop.output.as_path())?;
    if record.recipe != crop.recipe {
        return None;
    }
    let file = place_inside(&options.out, &crop.output).ok()?;
    let bytes = std::fs::read(file).ok()?;
    (blake3::hash(&bytes).to_hex().as_str() == record.output_hash).then(|| CropRecord {
        status: CropStatus::Unchanged,
        ..(*record).clone()
    })
}

/// The output size: as requested, or — when the crop has fewer pixels and upscaling is off — the
/// crop's own size.
pub(super) fn output_size(requested: (u32, u32), crop: &Crop, upscale: bool) -> (u32, u32) {
    let (w, h) = requested;
    if upscale || crop.rect.w >= i64::from(w) {
        (w, h)
    } else {
        (crop.rect.w as u32, crop.rect.h as u32)
    }
}
