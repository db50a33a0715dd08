//! `argus dev bench xmp`: what reading and writing XMP costs. The same generated photos are scanned
//! (metadata only) without sidecars and with a real-world sidecar beside each (by default
//! tracker-miners' MWG sidecar with a named face and a pet region, from `scripts/fetch-sample.sh --set
//! xmp`; any sidecar can be given),
//! then `argus xmp write` merges Argus's people and keywords into every sidecar, and writes again (a
//! no-op). The reference is exiftool reading the same sidecars (`-fast -j -XMP:all`), side by side.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Serialize;

use super::index::{generate_photo_set, median_scan_seconds};
use crate::catalog::Catalog;
use crate::progress::{CancelToken, Silent};
use crate::scan::{scan, ScanOptions, Scope};
use crate::sidecars::{write_sidecars, SidecarRequest};
use crate::thumbs::ThumbCache;
use crate::{Error, Result};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct XmpBenchOptions {
    pub photos: usize,
    /// The sidecar copied beside every photo.
    pub sidecar: PathBuf,
    /// Work folder; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// Timed scans per measurement (the median is reported).
    pub repeats: usize,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct XmpBenchResult {
    pub photos: usize,
    pub sidecar: String,
    pub sidecar_bytes: u64,
    pub scan_without_seconds: f64,
    pub scan_with_seconds: f64,
    /// Extra time per photo for reading its sidecar (and applying its regions), ms.
    pub sidecar_ms_per_photo: f64,
    pub write_seconds: f64,
    pub written: usize,
    pub rewrite_seconds: f64,
    pub rewritten: usize,
    pub exiftool_seconds: Option<f64>,
    pub exiftool_note: String,
}

impl fmt::Display for XmpBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.photos as f64;
        writeln!(
            f,
            "{} photos, each with a copy of {} ({} bytes); scans are metadata only",
            self.photos, self.sidecar, self.sidecar_bytes
        )?;
        writeln!(
            f,
            "scan without sidecars      {:>7.2} s  {:>8.1} photos/s",
            self.scan_without_seconds,
            n / self.scan_without_seconds
        )?;
        writeln!(
            f,
            "scan with sidecars         {:>7.2} s  {:>8.1} photos/s  (+{:.3} ms a photo, {:.2}× the time)",
            self.scan_with_seconds,
            n / self.scan_with_seconds,
            self.sidecar_ms_per_photo,
            self.scan_with_seconds / self.scan_without_seconds
        )?;
        writeln!(
            f,
            "xmp write (merge)          {:>7.2} s  {:>8.1} sidecars/s  ({} written)",
            self.write_seconds,
            n / self.write_seconds,
            self.written
        )?;
        writeln!(
            f,
            "xmp write again (no-op)    {:>7.2} s  {:>8.1} sidecars/s  ({} written)",
            self.rewrite_seconds,
            n / self.rewrite_seconds,
            self.rewritten
        )?;
        match self.exiftool_seconds {
            Some(s) => writeln!(
                f,
                "exiftool -fast -XMP:all    {s:>7.2} s  {:>8.1} sidecars/s  ({:.1}× the extra time argus needs to read them; {})",
                n / s,
                s / (self.scan_with_seconds - self.scan_without_seconds).max(1e-9),
                self.exiftool_note
            ),
            None => writeln!(f, "exiftool                   n/a ({})", self.exiftool_note),
        }
    }
}

/// Runs the benchmark; `log` gets progress lines.
pub fn xmp_bench(options: &XmpBenchOptions, log: &mut dyn FnMut(&str)) -> Result<XmpBenchResult> {
    let sidecar_text = std::fs::read(&options.sidecar).map_err(|e| {
        Error::io(
            format!(
                "cannot read {} (fetch the XMP samples: scripts/fetch-sample.sh --set xmp target/xmp-samples)",
                options.sidecar.display()
            ),
            e
        )
    })?;
    super::in_work_dir(options.dir.as_deref(), "xmp", |dir| {
        let plain = dir.join("plain");
        let with = dir.join("with-sidecars");
        log(&format!("generating {} photos …", options.photos));
        generate_photo_set(&plain, options.photos, 1200, 800, None)?;
        copy_set(&plain, &with, &sidecar_text)?;
        let scan_options = ScanOptions {
            thumbnails: false,
            ..ScanOptions::default()
        };
        let repeats = options.repeats.max(1);
        log("scanning without sidecars …");
        let without = median_scan_seconds(dir, &plain, "plain", &scan_options, repeats, false)?;
        log("scanning with sidecars …");
        let with_seconds = median_scan_seconds(dir, &with, "with", &scan_options, repeats, false)?;

        // Writing: over a catalogue of the set with sidecars (its regions named people).
        let db = dir.join("catalog-write.db");
        super::remove_catalogue(&db);
        let mut catalog = Catalog::open(&db)?;
        catalog.add_library(&with)?;
        let cache = ThumbCache::new(&dir.join("cache-write"));
        scan(
            &mut catalog,
            &cache,
            &Scope::All,
            &scan_options,
            &Silent,
            &CancelToken::new(),
        )?;
        let request = SidecarRequest::default();
        log("writing sidecars …");
        let started = Instant::now();
        let first = write_sidecars(&mut catalog, &cache, &request, &Silent, &CancelToken::new())?;
        let write_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let second = write_sidecars(&mut catalog, &cache, &request, &Silent, &CancelToken::new())?;
        let rewrite_seconds = started.elapsed().as_secs_f64();

        let (exiftool_seconds, exiftool_note) = exiftool_reading(&plain_sidecars(&with)?);
        Ok(XmpBenchResult {
            photos: options.photos,
            sidecar: options.sidecar.display().to_string(),
            sidecar_bytes: sidecar_text.len() as u64,
            scan_without_seconds: without,
            scan_with_seconds: with_seconds,
            sidecar_ms_per_photo: (with_seconds - without) * 1000.0 / options.photos as f64,
            write_seconds,
            written: first.written,
            rewrite_seconds,
            rewritten: second.written,
            exiftool_seconds,
            exiftool_note,
        })
    })
}

/// The photos of `from` in `to`, each with a copy of the sidecar (`name.jpg.xmp`).
fn copy_set(from: &Path, to: &Path, sidecar: &[u8]) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io("cannot create the sidecar set", e))?;
    let entries = std::fs::read_dir(from).map_err(|e| Error::io("cannot list the photo set", e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "jpg") {
            let name = path.file_name().unwrap_or_default();
            let dest = to.join(name);
            if !dest.is_file() {
                std::fs::copy(&path, &dest).map_err(|e| Error::io("cannot copy a photo", e))?;
            }
            let mut sidecar_name = name.to_os_string();
            sidecar_name.push(".xmp");
            std::fs::write(to.join(sidecar_name), sidecar)
                .map_err(|e| Error::io("cannot write a sidecar", e))?;
        }
    }
    Ok(())
}

fn plain_sidecars(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot list the sidecars", e))?;
    Ok(entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xmp"))
        .collect())
}

/// exiftool reading every sidecar's XMP (one process, `-fast`), or why it could not.
fn exiftool_reading(sidecars: &[PathBuf]) -> (Option<f64>, String) {
    let started = Instant::now();
    let out = Command::new("exiftool")
        .args(["-fast", "-j", "-q", "-XMP:all"])
        .args(sidecars)
        .output();
    match out {
        Ok(o) if o.status.success() => (
            Some(started.elapsed().as_secs_f64()),
            "one process, parse only".into(),
        ),
        Ok(o) => (
            None,
            format!("exiftool failed: {}", String::from_utf8_lossy(&o.stderr)),
        ),
        Err(e) => (
            None,
            format!("exiftool not found ({e}); Debian: libimage-exiftool-perl"),
        ),
    }
}
