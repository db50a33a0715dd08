//! `argus photos`, `argus show`, `argus stats`.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use argus_api::analysis::view::{FaceView, PhotoDetail, Thumbnails};
use argus_api::catalog::{Catalog, LabelKind, Photo, PhotoFilter, PhotoStatus, StoredMetadata};
use argus_api::thumbs::{self, ThumbCache};

use super::output::{human_bytes, human_exposure, print_json};
use super::Context;

#[derive(Args)]
pub struct PhotosArgs {
    /// Only files that could not be catalogued (errors and unsupported formats), with the reason
    #[arg(long)]
    errors: bool,
    /// Good photos and problem files together
    #[arg(long, conflicts_with = "errors")]
    all: bool,
    /// Only photos of this library folder
    #[arg(long, value_name = "FOLDER")]
    library: Option<PathBuf>,
    #[arg(long)]
    limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    offset: u32,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Photo id or file path
    photo: String,
}

/// A photo as printed by `--json`: the catalogue row plus its thumbnail files.
#[derive(Serialize)]
struct PhotoJson<'a> {
    #[serde(flatten)]
    photo: &'a Photo,
    thumbnails: Option<Thumbnails>,
}

fn with_thumbnails<'a>(photo: &'a Photo, cache: &ThumbCache) -> PhotoJson<'a> {
    PhotoJson {
        photo,
        thumbnails: Thumbnails::of(photo, cache),
    }
}

pub fn list(ctx: &Context, args: PhotosArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let library_id = match &args.library {
        Some(folder) => {
            let root = folder.canonicalize().unwrap_or_else(|_| folder.clone());
            Some(
                catalog
                    .library_id(&root)?
                    .ok_or_else(|| argus_api::Error::NoSuchLibrary(folder.clone()))?,
            )
        }
        None => None,
    };
    let photos = catalog.photos(&PhotoFilter {
        problems_only: args.errors,
        include_problems: args.all,
        library_id,
        limit: args.limit,
        offset: args.offset,
    })?;
    if ctx.json {
        let cache = ctx.thumbs();
        let out: Vec<PhotoJson> = photos.iter().map(|p| with_thumbnails(p, &cache)).collect();
        print_json(&out)?;
        return Ok(0);
    }
    if photos.is_empty() {
        println!(
            "{}",
            if args.errors {
                "no problem files"
            } else {
                "no photos (add a library and run `argus scan`)"
            }
        );
        return Ok(0);
    }
    for p in &photos {
        if p.status == PhotoStatus::Ok {
            println!(
                "{:>6}  {:>11}  {:<4}  {:<19}  {:<22}  {}",
                p.id,
                dims(p),
                p.format.as_deref().unwrap_or("?"),
                p.exif
                    .taken_at
                    .as_deref()
                    .map_or("-", |t| t.get(..19).unwrap_or(t)),
                camera(p).unwrap_or_else(|| "-".into()),
                p.path.display()
            );
        } else {
            println!(
                "{:>6}  {:<11}  {}: {}",
                p.id,
                p.status.as_str(),
                p.path.display(),
                p.error.as_deref().unwrap_or("")
            );
        }
    }
    Ok(0)
}

/// `argus shot …`.
#[derive(clap::Subcommand)]
pub enum ShotCommand {
    /// Make this file (id or path) the one the grid, search and analysis use for its RAW+JPEG shot
    /// (by default the JPEG); the shot's faces, people and labels move to it
    Primary {
        /// Photo id or file path
        photo: String,
    },
}

pub fn shot(ctx: &Context, cmd: ShotCommand) -> anyhow::Result<i32> {
    let ShotCommand::Primary { photo } = cmd;
    let mut catalog = ctx.open_catalog()?;
    let chosen = find_photo(&catalog, &photo)?;
    let tx = catalog.writer()?;
    let in_a_shot = tx.choose_shot_primary(chosen.id)?;
    tx.commit()?;
    if !in_a_shot {
        anyhow::bail!(
            "{} is not part of a RAW+JPEG shot (no file of the same name beside it)",
            chosen.path.display()
        );
    }
    let photo = catalog
        .photo(chosen.id)?
        .ok_or_else(|| anyhow::anyhow!("photo {} vanished", chosen.id))?;
    let others = catalog.shot_files(&photo)?;
    if ctx.json {
        print_json(&serde_json::json!({ "primary": photo, "companions": others }))?;
    } else {
        println!("{} is the shot's primary", photo.path.display());
        for other in others {
            println!("  companion: {}", other.path.display());
        }
    }
    Ok(0)
}

pub fn show(ctx: &Context, args: ShowArgs) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let photo = find_photo(&catalog, &args.photo)?;
    let cache = ctx.thumbs();
    let detail = PhotoDetail::load(&catalog, &cache, photo)?;
    if ctx.json {
        print_json(&detail)?;
        return Ok(0);
    }
    let PhotoDetail {
        photo,
        faces,
        unsafe_score,
        text,
        labels,
        objects,
        analysis_runs: runs,
        shot_files,
        metadata,
        ..
    } = detail;
    let e = &photo.exif;
    let mut rows: Vec<(&str, String)> = vec![
        ("id", photo.id.to_string()),
        ("path", photo.path.display().to_string()),
        ("status", photo.status.as_str().to_string()),
    ];
    if let Some(err) = &photo.error {
        rows.push(("problem", err.clone()));
    }
    rows.push(("size", human_bytes(photo.size)));
    if let Some(f) = &photo.format {
        rows.push(("format", f.clone()));
    }
    if photo.width.is_some() {
        rows.push(("dimensions", dims(&photo)));
    }
    if let Some(o) = photo.orientation {
        rows.push(("orientation", o.to_string()));
    }
    if let Some(source) = &photo.pixel_source {
        rows.push(("pixels", source.clone()));
    }
    if photo.other_images > 0 {
        rows.push((
            "other images",
            format!("{} more in the file (not catalogued)", photo.other_images),
        ));
    }
    for (i, file) in shot_files.iter().enumerate() {
        let role = if Some(file.id) == photo.shot_of {
            "primary"
        } else {
            "companion"
        };
        rows.push((
            if i == 0 { "shot" } else { "" },
            format!("{} ({role}, id {})", file.path.display(), file.id),
        ));
    }
    if let Some(t) = &e.taken_at {
        rows.push((
            "taken",
            format!("{t}{}", e.taken_offset.as_deref().unwrap_or("")),
        ));
    }
    if let Some(c) = camera(&photo) {
        rows.push(("camera", c));
    }
    if let Some(l) = &e.lens {
        rows.push(("lens", l.clone()));
    }
    let mut exposure = Vec::new();
    if let Some(f) = e.focal_length {
        exposure.push(match e.focal_length_35mm {
            Some(eq) => format!("{f:.0} mm ({eq} mm eq.)"),
            None => format!("{f:.0} mm"),
        });
    }
    if let Some(a) = e.aperture {
        exposure.push(format!("f/{a:.1}"));
    }
    if let Some(t) = e.exposure_time {
        exposure.push(human_exposure(t));
    }
    if let Some(iso) = e.iso {
        exposure.push(format!("ISO {iso}"));
    }
    if !exposure.is_empty() {
        rows.push(("exposure", exposure.join("  ")));
    }
    if let (Some(lat), Some(lon)) = (e.gps_lat, e.gps_lon) {
        rows.push(("location", format!("{lat:.6}, {lon:.6}")));
    }
    metadata_rows(&metadata, &mut rows);
    if let Some(hash) = &photo.hash {
        rows.push(("blake3", hash.clone()));
        if cache.has(hash) {
            rows.push((
                "thumbnail",
                cache.path(hash, thumbs::LARGE).display().to_string(),
            ));
        }
    }
    for (i, face) in faces.iter().enumerate() {
        rows.push((if i == 0 { "faces" } else { "" }, describe_face(face)));
    }
    if let Some(u) = &unsafe_score {
        rows.push(("unsafe", format!("{:.3}", u.score)));
    }
    if !text.is_empty() {
        let lines: Vec<&str> = text.iter().map(|l| l.text.as_str()).collect();
        rows.push(("text", lines.join(" / ")));
    }
    for (kind, title) in [(LabelKind::Label, "labels"), (LabelKind::Class, "classes")] {
        let found: Vec<String> = labels
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| format!("{} ({:.2})", l.name, l.score))
            .collect();
        if !found.is_empty() {
            rows.push((title, found.join(", ")));
        }
    }
    for (i, o) in objects.iter().enumerate() {
        let o = &o.object;
        rows.push((
            if i == 0 { "objects" } else { "" },
            format!(
                "{} ({:.2}) at {:.3},{:.3} {:.3}×{:.3}",
                o.class, o.score, o.x, o.y, o.w, o.h
            ),
        ));
    }
    for run in runs.iter().filter(|r| r.error.is_some()) {
        rows.push((
            "failed",
            format!(
                "{}: {}",
                run.stage,
                run.error.as_deref().unwrap_or_default()
            ),
        ));
    }
    for (k, v) in rows {
        println!("{k:>12}  {v}");
    }
    Ok(0)
}

/// What other tools say about the photo: rating, texts, keywords, regions, the sidecar, problems.
fn metadata_rows(stored: &StoredMetadata, rows: &mut Vec<(&'static str, String)>) {
    let m = &stored.metadata;
    match m.rating {
        Some(-1) => rows.push(("rating", "rejected".into())),
        Some(stars) => rows.push((
            "rating",
            format!(
                "{}{} ({stars})",
                "★".repeat(stars as usize),
                "☆".repeat(5 - stars as usize)
            ),
        )),
        None => {}
    }
    for (name, value) in [
        ("label", &m.label),
        ("title", &m.title),
        ("caption", &m.caption),
        ("creator", &m.creator),
        ("copyright", &m.copyright),
    ] {
        if let Some(v) = value {
            rows.push((name, v.clone()));
        }
    }
    if !m.keywords.is_empty() {
        rows.push(("keywords", m.keywords.join(", ")));
    }
    for (i, r) in m.regions.iter().enumerate() {
        let a = r.area;
        rows.push((
            if i == 0 { "regions" } else { "" },
            format!(
                "{} ({}, {}) at {:.2},{:.2} {:.2}×{:.2}",
                r.name.as_deref().unwrap_or("unnamed"),
                r.kind,
                r.source.name(),
                a.x,
                a.y,
                a.w,
                a.h
            ),
        ));
    }
    if !m.people.is_empty() {
        rows.push(("people shown", m.people.join(", ")));
    }
    if let Some(sidecar) = &stored.sidecar {
        rows.push(("sidecar", sidecar.path.display().to_string()));
    }
    if let Some(problem) = &stored.problem {
        rows.push(("metadata", format!("problem: {problem}")));
    }
}

/// `#3 at 0.41,0.22 0.12×0.18 (0.93): male (0.97), age 34, happy (0.81), smile, eyes open`.
fn describe_face(face: &FaceView) -> String {
    let b = &face.bbox;
    let mut parts = Vec::new();
    let attrs = &face.attributes;
    if let Some(g) = attrs.get("gender") {
        parts.push(format!(
            "{} ({})",
            g["value"].as_str().unwrap_or("?"),
            g["confidence"]
        ));
    }
    if let Some(a) = attrs.get("age") {
        parts.push(format!("age {:.0}", a["value"].as_f64().unwrap_or(0.0)));
    }
    if let Some(e) = attrs.get("emotion") {
        parts.push(format!(
            "{} ({})",
            e["value"].as_str().unwrap_or("?"),
            e["confidence"]
        ));
    }
    for (name, v) in attrs {
        if v.get("value").and_then(|v| v.as_bool()) == Some(true) {
            parts.push(name.replace('_', " "));
        }
    }
    format!(
        "#{} at {:.2},{:.2} {:.2}×{:.2} ({:.2}{}){}{}",
        face.id,
        b.x,
        b.y,
        b.w,
        b.h,
        face.score,
        match face.source.as_str() {
            "region" => ", from a named region",
            "manual" => ", drawn by hand",
            _ => "",
        },
        if parts.is_empty() { "" } else { ": " },
        parts.join(", ")
    )
}

pub fn stats(ctx: &Context) -> anyhow::Result<i32> {
    let catalog = ctx.open_catalog()?;
    let s = catalog.stats()?;
    if ctx.json {
        print_json(&s)?;
        return Ok(0);
    }
    println!("catalogue   {}", catalog.name());
    println!("libraries   {}", s.libraries);
    println!(
        "photos      {} ({})",
        s.photos,
        human_bytes(s.total_bytes as u64)
    );
    if s.stacked_duplicates > 0 {
        println!(
            "stacked     {} duplicates behind the copies kept (`argus duplicates unstack`)",
            s.stacked_duplicates
        );
    }
    println!(
        "problems    {} errors, {} unsupported (see `argus photos --errors`)",
        s.errors, s.unsupported
    );
    println!(
        "dated       {} with an EXIF date, {} with GPS",
        s.with_exif_date, s.with_gps
    );
    let formats: Vec<String> = s.formats.iter().map(|(f, n)| format!("{f} {n}")).collect();
    println!("formats     {}", formats.join(", "));
    for (camera, n) in &s.cameras {
        println!("camera      {camera}: {n}");
    }
    println!("faces       {}  people {}", s.faces, s.people);
    Ok(0)
}

/// Finds a photo by catalogue id or by path (relative paths are taken from the current folder).
pub(super) fn find_photo(catalog: &Catalog, what: &str) -> anyhow::Result<Photo> {
    let path = Path::new(what);
    if !path.exists() {
        if let Ok(id) = what.parse::<i64>() {
            if let Some(photo) = catalog.photo(id)? {
                return Ok(photo);
            }
        }
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let canonical = absolute.canonicalize().unwrap_or_else(|_| absolute.clone());
    for candidate in [&canonical, &absolute] {
        if let Some(photo) = catalog.photo_by_path(candidate)? {
            return Ok(photo);
        }
    }
    Err(not_found(catalog, what, &canonical)?)
}

/// Why `what` names no catalogued photo, and what to do about it.
fn not_found(catalog: &Catalog, what: &str, path: &Path) -> anyhow::Result<anyhow::Error> {
    let why = if !path.exists() {
        match what.parse::<i64>() {
            Ok(id) => format!("no photo has id {id} (`argus photos` lists them)"),
            Err(_) => format!("no such file: {what}"),
        }
    } else if path.is_dir() {
        format!("{what} is a folder; `argus show` takes one photo (`argus photos --library {what}` lists a library)")
    } else {
        match catalog.library_containing(path)? {
            None => format!(
                "{} is not in any library (`argus library list`); add its folder with `argus library add FOLDER`",
                path.display()
            ),
            Some(library) => format!(
                "{} is in the library {} but not catalogued: run `argus scan` (hidden files, symbolic links and non-images are skipped)",
                path.display(),
                library.path.display()
            ),
        }
    };
    Ok(anyhow::anyhow!(why))
}

fn dims(p: &Photo) -> String {
    match (p.width, p.height) {
        (Some(w), Some(h)) => format!("{w}×{h}"),
        _ => "?".into(),
    }
}

fn camera(p: &Photo) -> Option<String> {
    let e = &p.exif;
    match (&e.camera_make, &e.camera_model) {
        (Some(make), Some(model)) if model.starts_with(make.as_str()) => Some(model.clone()),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (None, Some(model)) => Some(model.clone()),
        (Some(make), None) => Some(make.clone()),
        (None, None) => None,
    }
}
