//! The scanner: keeps the catalogue in step with the files of the libraries, incrementally.
//!
//! 1. **Discover** the image files in scope (a parallel walk).
//! 2. **Classify** each against the catalogue: same size and mtime → unchanged, not read; otherwise new or
//!    changed. Catalogued files no longer on disk are *missing*.
//! 3. **Read** new and changed files on a rayon pool (hash, header, EXIF, thumbnails) and stream the
//!    results to this thread, which writes them in batched transactions. A new file whose content hash
//!    equals a missing one's is that photo moved: its row (id, analysis) follows it.
//! 4. **Reconcile**: missing files that did not turn up elsewhere leave the catalogue.
//!
//! Killing the process at any point loses at most the batch in flight; the next scan picks up the rest.

mod discover;
mod read;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

pub use discover::{discover, Discovery, DiskFile};
pub use read::{read_file, ReadOutcome};

use argus_catalog::{Catalog, KnownFile, Library, PhotoStatus, Writer};
use argus_core::progress::{CancelToken, JobObserver, JobStage};
use argus_core::Result;
use argus_media::thumbs::ThumbCache;
use argus_media::FileKind;

/// How a scan behaves.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Make thumbnails (decodes every new or changed photo, which also catches corrupt pixel data).
    pub thumbnails: bool,
    /// Refuse images above this many pixels.
    pub max_pixels: u64,
    /// Read files again that failed last time even if they have not changed.
    pub retry_errors: bool,
    /// Worker threads for reading (None: one per core).
    pub threads: Option<usize>,
    /// Files written to the catalogue per transaction.
    pub batch_size: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            thumbnails: true,
            max_pixels: argus_media::DEFAULT_MAX_PIXELS,
            retry_errors: false,
            threads: None,
            batch_size: 256,
        }
    }
}

/// Which part of the libraries to scan.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every library, whole.
    All,
    /// These files or folders (paths outside every library are ignored).
    Paths(Vec<PathBuf>),
}

/// A file that could not be catalogued, as reported by a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub status: PhotoStatus,
    pub reason: String,
}

/// What a scan did, stage by stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanReport {
    /// Libraries scanned.
    pub libraries: usize,
    /// Library roots that were not reachable (unplugged drive?): their photos were left alone.
    pub offline_libraries: Vec<PathBuf>,
    /// Image files found on disk in scope.
    pub discovered: u64,
    /// Other files (not catalogued).
    pub ignored: u64,
    /// Files whose size and mtime matched the catalogue: not read.
    pub unchanged: u64,
    pub new: u64,
    pub changed: u64,
    /// Files that turned up under a new path with known content: same photo, new path.
    pub moved: u64,
    /// Photos removed because their files are gone.
    pub deleted: u64,
    /// Files read in this scan (0 on a rescan of an unchanged library).
    pub files_read: u64,
    pub thumbnails_made: u64,
    /// Of the files read, how many could not be catalogued / are in unsupported formats.
    pub errors: u64,
    pub unsupported: u64,
    /// Files that are the companion of a shot's primary after the scan (the RAW of a RAW+JPEG pair):
    /// catalogued, but counted once with their shot.
    pub companion_files: u64,
    /// Each problem file seen in this scan, with the reason.
    pub problems: Vec<Problem>,
    /// Photos catalogued fine whose XMP or IPTC metadata (embedded or sidecar) had a problem: what
    /// could be read was kept.
    pub metadata_problems: Vec<Problem>,
    /// Folders that could not be listed (their catalogued photos were kept).
    pub unreadable_folders: Vec<Problem>,
    /// True when the scan was cancelled; what was read so far is kept, and nothing was deleted.
    pub cancelled: bool,
    pub elapsed_ms: u64,
}

/// A file to read, with the catalogue row it replaces if any.
struct Job {
    file: DiskFile,
    library_id: i64,
    existing: Option<i64>,
}

impl ScanReport {
    /// `3 new, 1 changed, …` — only the counts that are not zero.
    pub fn summary(&self) -> String {
        let r = self;
        let parts: Vec<String> = [
            (r.new, "new"),
            (r.changed, "changed"),
            (r.moved, "moved"),
            (r.deleted, "removed"),
            (r.errors, "errors"),
            (r.unsupported, "unsupported"),
            (r.thumbnails_made, "thumbnails made"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "no changes".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Scans `scope`, updating the catalogue. Per-file problems are recorded and reported; only catalogue
/// failures (database errors) abort the scan.
pub fn scan(
    catalog: &mut Catalog,
    cache: &ThumbCache,
    scope: &Scope,
    options: &ScanOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<ScanReport> {
    let started = Instant::now();
    let mut report = ScanReport::default();
    let libraries = catalog.libraries()?;
    let targets = resolve_scope(&libraries, scope, &mut report);
    report.libraries = targets.iter().map(|t| t.0).collect::<HashSet<_>>().len();
    let excluded = excluded_folders(cache);

    // 1. Discover.
    observer.stage(JobStage::Discover, None);
    let mut known: HashMap<PathBuf, (i64, KnownFile)> = HashMap::new();
    let mut on_disk: Vec<(i64, DiskFile)> = Vec::new();
    let mut unreadable: Vec<PathBuf> = Vec::new();
    for (library_id, path) in &targets {
        let mut found = Discovery::default();
        discover(path, &excluded, &mut found);
        report.ignored += found.ignored;
        for (at, reason) in found.unreadable {
            report.unreadable_folders.push(Problem {
                path: at.clone(),
                status: PhotoStatus::Error,
                reason,
            });
            unreadable.push(at);
        }
        on_disk.extend(found.files.into_iter().map(|f| (*library_id, f)));
        for k in catalog.known_files_under(path)? {
            known.insert(k.path.clone(), (*library_id, k));
        }
    }
    report.discovered = on_disk.len() as u64;

    // 2. Classify.
    let mut jobs = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::with_capacity(on_disk.len());
    for (library_id, file) in on_disk {
        seen.insert(file.path.clone());
        let existing = known.get(&file.path).map(|(_, k)| k);
        if let Some(k) = existing {
            if is_unchanged(k, &file, cache, options) {
                report.unchanged += 1;
                continue;
            }
        }
        jobs.push(Job {
            existing: existing.map(|k| k.id),
            file,
            library_id,
        });
    }
    let missing: Vec<KnownFile> = known
        .into_values()
        .map(|(_, k)| k)
        .filter(|k| !seen.contains(&k.path) && !unreadable.iter().any(|u| k.path.starts_with(u)))
        .collect();

    // 3. Read and write.
    observer.stage(JobStage::Read, Some(jobs.len() as u64));
    let mut writer = BatchWriter::new(&missing, options.batch_size);
    read_and_write(
        catalog,
        cache,
        &jobs,
        options,
        observer,
        cancel,
        &mut writer,
        &mut report,
    )?;

    // 4. Reconcile: files that are gone, then RAW+JPEG shots (also after a cancelled scan, for the
    // files it did write).
    report.cancelled = cancel.is_cancelled();
    if report.cancelled {
        let tx = catalog.writer()?;
        report.companion_files = tx.regroup_shots()?;
        tx.commit()?;
    } else {
        observer.stage(JobStage::Reconcile, Some(writer.unclaimed().len() as u64));
        let gone = writer.unclaimed();
        let tx = catalog.writer()?;
        tx.delete_photos(&gone)?;
        report.companion_files = tx.regroup_shots()?;
        tx.commit()?;
        report.deleted = gone.len() as u64;
        if matches!(scope, Scope::All) {
            for library_id in targets.iter().map(|t| t.0).collect::<HashSet<_>>() {
                catalog.mark_library_scanned(library_id)?;
            }
        }
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Unchanged means same size and mtime, and (for good photos when thumbnails are on) thumbnails present;
/// files that failed are retried only on request.
fn is_unchanged(
    known: &KnownFile,
    file: &DiskFile,
    cache: &ThumbCache,
    options: &ScanOptions,
) -> bool {
    if known.size != file.size || known.mtime_ns != file.mtime_ns {
        return false;
    }
    if known.status == PhotoStatus::Ok && known.sidecar != file.sidecar {
        return false; // the sidecar appeared, changed or went: read the photo's metadata again
    }
    match known.status {
        PhotoStatus::Ok => match (&known.hash, options.thumbnails) {
            (Some(hash), true) => cache.has(hash),
            _ => true,
        },
        PhotoStatus::Error => !options.retry_errors,
        PhotoStatus::Unsupported => file.kind != FileKind::Supported,
    }
}

/// The (library id, path) pairs a scope covers.
fn resolve_scope(
    libraries: &[Library],
    scope: &Scope,
    report: &mut ScanReport,
) -> Vec<(i64, PathBuf)> {
    match scope {
        Scope::All => libraries
            .iter()
            .filter_map(|lib| {
                if lib.path.is_dir() {
                    Some((lib.id, lib.path.clone()))
                } else {
                    report.offline_libraries.push(lib.path.clone());
                    None
                }
            })
            .collect(),
        Scope::Paths(paths) => {
            let mut sorted: Vec<&PathBuf> = paths.iter().collect();
            sorted.sort();
            sorted.dedup();
            let mut out: Vec<(i64, PathBuf)> = Vec::new();
            for path in sorted {
                // A path below one already in scope is covered by it.
                if out.iter().any(|(_, p)| path.starts_with(p)) {
                    continue;
                }
                if let Some(lib) = libraries.iter().find(|l| path.starts_with(&l.path)) {
                    if lib.path.is_dir() {
                        out.push((lib.id, path.clone()));
                    }
                }
            }
            out
        }
    }
}

/// Argus's own folders (the thumbnail cache), should the user put them inside a library. The catalogue
/// file itself is never taken for a photo (its extension is not an image's).
fn excluded_folders(cache: &ThumbCache) -> Vec<PathBuf> {
    cache.root().canonicalize().into_iter().collect()
}

#[allow(clippy::too_many_arguments)]
fn read_and_write(
    catalog: &mut Catalog,
    cache: &ThumbCache,
    jobs: &[Job],
    options: &ScanOptions,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
    writer: &mut BatchWriter,
    report: &mut ScanReport,
) -> Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .thread_name(|i| format!("argus-read-{i}"))
        .build()
        .map_err(|e| argus_core::Error::Other(format!("cannot start worker threads: {e}")))?;
    let (tx, rx) = crossbeam_channel::bounded::<(usize, ReadOutcome)>(options.batch_size * 2);
    std::thread::scope(|s| -> Result<()> {
        s.spawn(move || {
            pool.install(|| {
                jobs.par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, job)| {
                        if cancel.is_cancelled() {
                            return;
                        }
                        let outcome = read_file(
                            &job.file,
                            job.library_id,
                            cache,
                            options.thumbnails,
                            options.max_pixels,
                        );
                        observer.advance(&job.file.path);
                        // The receiver only goes away if writing failed; then there is nothing to do.
                        let _ = tx.send((i, outcome));
                    });
            });
        });
        let result = writer.drain(catalog, jobs, &rx, report);
        if result.is_err() {
            cancel.cancel();
            // Unblock the workers so the scope can end.
            while rx.recv().is_ok() {}
        }
        result
    })
}

/// Writes read results in batched transactions, matching new files to missing ones by content.
struct BatchWriter {
    /// Missing photos by content hash: candidates for a move.
    missing_by_hash: HashMap<String, Vec<i64>>,
    /// Missing photos not (yet) matched.
    missing: HashSet<i64>,
    batch_size: usize,
}

impl BatchWriter {
    fn new(missing: &[KnownFile], batch_size: usize) -> BatchWriter {
        let mut missing_by_hash: HashMap<String, Vec<i64>> = HashMap::new();
        for k in missing {
            if let (Some(hash), PhotoStatus::Ok) = (&k.hash, k.status) {
                missing_by_hash.entry(hash.clone()).or_default().push(k.id);
            }
        }
        BatchWriter {
            missing_by_hash,
            missing: missing.iter().map(|k| k.id).collect(),
            batch_size: batch_size.max(1),
        }
    }

    /// Photos still missing: their files are gone.
    fn unclaimed(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.missing.iter().copied().collect();
        ids.sort_unstable();
        ids
    }

    fn drain(
        &mut self,
        catalog: &mut Catalog,
        jobs: &[Job],
        rx: &crossbeam_channel::Receiver<(usize, ReadOutcome)>,
        report: &mut ScanReport,
    ) -> Result<()> {
        let max_wait = Duration::from_millis(500);
        loop {
            let Ok(first) = rx.recv() else {
                return Ok(());
            };
            let deadline = Instant::now() + max_wait;
            let mut batch = vec![first];
            while batch.len() < self.batch_size {
                match rx.recv_deadline(deadline) {
                    Ok(item) => batch.push(item),
                    Err(_) => break,
                }
            }
            let tx = catalog.writer()?;
            for (i, outcome) in &batch {
                self.write_one(&tx, &jobs[*i], outcome, report)?;
            }
            tx.commit()?;
        }
    }

    fn write_one(
        &mut self,
        tx: &Writer,
        job: &Job,
        outcome: &ReadOutcome,
        report: &mut ScanReport,
    ) -> Result<()> {
        let rec = &outcome.record;
        report.files_read += outcome.was_read as u64;
        report.thumbnails_made += outcome.thumbnail_made as u64;
        match rec.status {
            PhotoStatus::Ok => {}
            PhotoStatus::Error => report.errors += 1,
            PhotoStatus::Unsupported => report.unsupported += 1,
        }
        if let Some(why) = rec.metadata.as_ref().and_then(|m| m.problem.as_ref()) {
            report.metadata_problems.push(Problem {
                path: rec.path.clone(),
                status: rec.status,
                reason: why.clone(),
            });
        }
        if rec.status != PhotoStatus::Ok {
            report.problems.push(Problem {
                path: rec.path.clone(),
                status: rec.status,
                reason: rec.error.clone().unwrap_or_default(),
            });
        }
        let moved_from = match (&job.existing, &rec.hash) {
            (None, Some(hash)) if rec.status == PhotoStatus::Ok => self.claim(hash),
            _ => None,
        };
        match moved_from {
            Some(id) => {
                tx.move_photo(id, rec)?;
                report.moved += 1;
            }
            None => {
                tx.upsert_photo(rec)?;
                if job.existing.is_some() {
                    report.changed += 1;
                } else {
                    report.new += 1;
                }
            }
        }
        Ok(())
    }

    /// Takes a missing photo with this content, if any.
    fn claim(&mut self, hash: &str) -> Option<i64> {
        let ids = self.missing_by_hash.get_mut(hash)?;
        let id = ids.pop()?;
        self.missing.remove(&id);
        Some(id)
    }
}
