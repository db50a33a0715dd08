//! `argus dev bench search`: how fast a search with facet counts answers on a generated catalogue of
//! 100k photos / 300k faces / 1M labels ([`crate::search::generate`]).
//!
//! For each of a set of realistic queries it runs the search the app runs while someone types
//! (first page of 100, sorted by date, with every facet, on a [`Searcher`] that keeps the index)
//! `repeats` times after one warm-up run and reports p50/p95, plus the same without facets, so the
//! cost of the counts shows. It also times reading the index (what the first search costs) and
//! the memory it takes — in this process, and in fresh processes as a desktop opening the catalogue
//! has it ([`index_probe`], run as `argus dev bench search-index`): read from the catalogue's tables,
//! then from the index saved in the cache. The catalogue is
//! written once per `--dir` and reused while its generator settings are the same.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::catalog::Catalog;
use crate::search::generate::{generate, GenerateOptions, Generated};
use crate::search::{IndexRead, SavedIndexes, SearchIndex, SearchOptions, Searcher, Sort};
use crate::{Error, Result};

/// `meta` keys of a generated catalogue: the generator settings it was written with, and what was
/// written (set last, so a catalogue whose writing was interrupted is written again).
const SETTINGS_KEY: &str = "bench.settings";
const GENERATED_KEY: &str = "bench.generated";

/// The queries timed: what people type, from broad to narrow. `{person}` is the most
/// photographed named person of the generated catalogue, `{photo}` the first photo from id 42 on
/// with look-alikes.
pub const QUERIES: &[&str] = &[
    "",
    "beard and sunglasses",
    "any:(beard) any:(sunglasses)",
    "person:{person}",
    "person:{person} -sunglasses year:2024",
    "camera:X100V year:2021..2024",
    "label:cat or label:dog",
    "age:20-30 smile",
    "emotion:happy faces:>=3",
    "beach -person:{person}",
    "text:sale",
    "near:52.37,4.89,20km",
    "unsafe:no label:food",
    "date:2023-01..2023-06 hat",
    "faces:0 label:building",
    "mustache -beard eyeglasses",
    "similar:{photo}",
    "similar:{photo} year:2015..2025 -person:{person}",
];

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct SearchBenchOptions {
    pub generate: GenerateOptions,
    /// Timed runs per query (after one warm-up).
    pub repeats: usize,
    /// Where the catalogue is kept; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// A PostgreSQL URL to keep the catalogue on instead of a file in `dir`.
    pub server: Option<String>,
    /// Also read the index in fresh processes (this program, `dev bench search-index`).
    pub fresh_processes: bool,
    /// Photos another machine's analysis changes before the index is read again and brought up to
    /// date (in a fresh process from the saved index, and in this process in memory); 0: none.
    pub changed: usize,
}

/// Reading the search index in a process of its own.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct IndexProbe {
    /// `catalogue`, `saved` or `updated` (the saved index brought up to date).
    pub source: String,
    pub seconds: f64,
    /// Saving the index read from the catalogue in the cache.
    pub save_seconds: Option<f64>,
    /// Resident memory the index added, and the process's peak.
    pub index_mib: f64,
    pub peak_mib: f64,
}

/// Reads `catalog`'s index through a searcher that uses `saved` (saving what it reads from the
/// catalogue), as a desktop opening the catalogue does; what it took.
pub fn index_probe(catalog: &Catalog, mut saved: SavedIndexes) -> Result<IndexProbe> {
    saved.worth_saving = Duration::ZERO;
    release_free_memory();
    let before = resident_mib();
    let mut searcher = Searcher::with_saved(saved);
    let started = Instant::now();
    searcher.index(catalog)?;
    let total = started.elapsed().as_secs_f64();
    let index_mib = resident_mib() - before;
    let (source, seconds, save_seconds) = match searcher.last_read() {
        Some(IndexRead::Saved { seconds }) => ("saved", seconds, None),
        Some(IndexRead::Catalogue { seconds, .. }) => ("catalogue", seconds, Some(total - seconds)),
        Some(IndexRead::Updated { seconds, .. }) => ("updated", seconds, Some(total - seconds)),
        None => unreachable!("the index was just read"),
    };
    Ok(IndexProbe {
        source: source.to_string(),
        seconds,
        save_seconds,
        index_mib,
        peak_mib: peak_mib(),
    })
}

/// Runs [`index_probe`] in a fresh process of this program.
fn probe_in_fresh_process(location: &str, cache: &Path) -> Result<IndexProbe> {
    let program = std::env::current_exe()
        .map_err(|e| Error::io("cannot find this program to run it again", e))?;
    let out = Command::new(program)
        .args(["--json", "--catalog", location, "--cache"])
        .arg(cache)
        .args(["dev", "bench", "search-index"])
        .output()
        .map_err(|e| Error::io("cannot run `argus dev bench search-index`", e))?;
    if !out.status.success() {
        return Err(Error::Other(format!(
            "`argus dev bench search-index` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::Other(format!("`argus dev bench search-index` printed {e}")))
}

/// Timings of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryFigures {
    pub query: String,
    pub total: u64,
    /// With every facet counted.
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// The page and total only.
    pub without_facets_p50_ms: f64,
}

/// What the benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct SearchBenchResult {
    pub catalogue: Generated,
    /// Seconds to write the catalogue (None: reused).
    pub generate_seconds: Option<f64>,
    /// Reading the search index from the catalogue (best of 3): what a first search, or the
    /// first after the catalogue changed, costs on top.
    pub index_load_seconds: f64,
    /// Resident memory the index takes.
    pub index_mib: f64,
    /// The catalogue's size on disk (tables and indexes).
    pub catalogue_mib: f64,
    /// A fresh process reading the index from the catalogue (and saving it in the cache).
    pub fresh_from_catalogue: Option<IndexProbe>,
    /// A fresh process reading the index saved in the cache.
    pub fresh_from_saved: Option<IndexProbe>,
    /// The saved index's file.
    pub saved_mib: Option<f64>,
    /// Photos another machine changed before the index was brought up to date.
    pub changed: usize,
    /// A fresh process reading the saved index from before the change and bringing it up to date.
    pub fresh_updated: Option<IndexProbe>,
    /// The index in this process's memory brought up to date after the change.
    pub updated_in_memory_seconds: Option<f64>,
    pub repeats: usize,
    pub queries: Vec<QueryFigures>,
    /// Over every timed run of every query, with facets.
    pub all_p50_ms: f64,
    pub all_p95_ms: f64,
}

impl fmt::Display for SearchBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.catalogue;
        writeln!(
            f,
            "catalogue: {} photos, {} faces ({} face attributes), {} labels, {} people{}",
            c.photos,
            c.faces,
            c.face_attributes,
            c.labels,
            c.people,
            match self.generate_seconds {
                Some(s) => format!(" (written in {s:.1} s)"),
                None => " (reused)".into(),
            }
        )?;
        writeln!(f, "catalogue size: {:.0} MiB", self.catalogue_mib)?;
        writeln!(
            f,
            "search index: read in {:.2} s, {:.0} MiB resident",
            self.index_load_seconds, self.index_mib
        )?;
        if let (Some(cold), Some(saved)) = (&self.fresh_from_catalogue, &self.fresh_from_saved) {
            writeln!(
                f,
                "in a fresh process: from the catalogue {:.2} s ({:.0} MiB resident, peak {:.0}; \
                 saving it took {:.2} s, {:.0} MiB); from the saved index {:.2} s ({:.0} MiB \
                 resident, peak {:.0}) — {:.1}× faster",
                cold.seconds,
                cold.index_mib,
                cold.peak_mib,
                cold.save_seconds.unwrap_or(0.0),
                self.saved_mib.unwrap_or(0.0),
                saved.seconds,
                saved.index_mib,
                saved.peak_mib,
                cold.seconds / saved.seconds.max(1e-6)
            )?;
        }
        if let Some(updated) = &self.fresh_updated {
            writeln!(
                f,
                "after another machine's analysis changed {} photos: a fresh process brings the \
                 saved index up to date in {:.2} s ({:.0} MiB resident, peak {:.0}; saving it \
                 again {:.2} s)",
                self.changed,
                updated.seconds,
                updated.index_mib,
                updated.peak_mib,
                updated.save_seconds.unwrap_or(0.0)
            )?;
        }
        if let Some(seconds) = self.updated_in_memory_seconds {
            writeln!(
                f,
                "after another {} photos changed: the index in memory brought up to date in \
                 {seconds:.2} s",
                self.changed
            )?;
        }
        writeln!(
            f,
            "first page of 100 by date, every facet counted; {} runs per query after a warm-up\n",
            self.repeats
        )?;
        writeln!(
            f,
            "  {:<40} {:>8} {:>9} {:>9} {:>14} {:>8}",
            "query", "photos", "p50 ms", "p95 ms", "no facets p50", "facets ×"
        )?;
        for q in &self.queries {
            writeln!(
                f,
                "  {:<40} {:>8} {:>9.1} {:>9.1} {:>14.1} {:>8.1}",
                if q.query.is_empty() {
                    "(everything)"
                } else {
                    &q.query
                },
                q.total,
                q.p50_ms,
                q.p95_ms,
                q.without_facets_p50_ms,
                q.p50_ms / q.without_facets_p50_ms.max(1e-6)
            )?;
        }
        write!(
            f,
            "\n  all queries with facets: p50 {:.1} ms, p95 {:.1} ms",
            self.all_p50_ms, self.all_p95_ms
        )
    }
}

/// Runs the benchmark; `log` gets progress lines.
pub fn search_bench(
    options: &SearchBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<SearchBenchResult> {
    super::in_work_dir(options.dir.as_deref(), "search", |dir| {
        run(options, dir, log)
    })
}

fn run(
    options: &SearchBenchOptions,
    dir: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<SearchBenchResult> {
    let (catalog, catalogue, generate_seconds) = match &options.server {
        Some(url) => on_server(&options.generate, url, log)?,
        None => open_or_generate(&options.generate, dir, log)?,
    };
    release_free_memory();
    // The most photographed named, visible person (ties: the first created).
    let person: String = catalog
        .people(false)?
        .into_iter()
        .filter(|p| p.name.is_some())
        .min_by_key(|p| (std::cmp::Reverse(p.faces), p.id))
        .and_then(|p| p.name)
        .ok_or_else(|| Error::Other("the generated catalogue has no named person".into()))?;
    let catalogue_mib = catalog.storage_bytes()? as f64 / (1024.0 * 1024.0);
    let location = match (&options.server, catalog.path()) {
        (Some(url), _) => url.clone(),
        (None, Some(path)) => path.display().to_string(),
        (None, None) => unreachable!("a generated catalogue is a file or on --server"),
    };
    let (fresh_from_catalogue, fresh_from_saved, saved_mib) = if options.fresh_processes {
        let cache = dir.join("cache");
        let saved = SavedIndexes::in_folder(cache.join("search-index"));
        saved
            .forget(&catalog)
            .map_err(|e| Error::io("cannot remove the saved index", e))?;
        log("reading the search index in a fresh process, from the catalogue");
        let cold = probe_in_fresh_process(&location, &cache)?;
        let saved_mib = std::fs::metadata(saved.file(&catalog))
            .map(|m| m.len() as f64 / (1024.0 * 1024.0))
            .ok();
        log("reading the search index in a fresh process, from the saved index");
        let warm = probe_in_fresh_process(&location, &cache)?;
        (Some(cold), Some(warm), saved_mib)
    } else {
        (None, None, None)
    };
    let mut catalog = catalog;
    let fresh_updated = if options.fresh_processes && options.changed > 0 {
        log(&format!(
            "another machine analyses {} photos; then a fresh process brings the saved index up to date",
            options.changed
        ));
        change_photos(&mut catalog, options.changed, 1)?;
        Some(probe_in_fresh_process(&location, &dir.join("cache"))?)
    } else {
        None
    };
    log("reading the search index");
    release_free_memory();
    let rss_before = resident_mib();
    let first = Instant::now();
    let index = SearchIndex::load(&catalog)?;
    let mut index_load_seconds = first.elapsed().as_secs_f64();
    let index_mib = resident_mib() - rss_before;
    drop(index);
    for _ in 0..2 {
        let start = Instant::now();
        drop(SearchIndex::load(&catalog)?);
        index_load_seconds = index_load_seconds.min(start.elapsed().as_secs_f64());
    }
    let mut searcher = Searcher::new();
    searcher.index(&catalog)?;
    let updated_in_memory_seconds = if options.changed > 0 {
        log(&format!(
            "another {} photos change; the index in memory is brought up to date",
            options.changed
        ));
        change_photos(&mut catalog, options.changed, 2)?;
        searcher.index(&catalog)?;
        match searcher.last_read() {
            Some(IndexRead::Updated { seconds, .. }) => Some(seconds),
            other => {
                return Err(Error::Other(format!(
                    "the index was not updated in place but {other:?}"
                )))
            }
        }
    } else {
        None
    };
    let mut photo = 42;
    let first_page = SearchOptions {
        limit: 1,
        ..SearchOptions::default()
    };
    while photo < 1000
        && searcher
            .search(&catalog, Some(&format!("similar:{photo}")), &first_page)?
            .total
            == 0
    {
        photo += 1;
    }
    let mut queries = Vec::new();
    let mut all = Vec::new();
    for template in QUERIES {
        let text = template
            .replace("{person}", &format!("\"{person}\""))
            .replace("{photo}", &photo.to_string());
        let query = (!text.is_empty()).then_some(text.as_str());
        log(&format!(
            "timing {}",
            if text.is_empty() {
                "(everything)"
            } else {
                &text
            }
        ));
        let with = time(&mut searcher, &catalog, query, true, options.repeats)?;
        let without = time(&mut searcher, &catalog, query, false, options.repeats)?;
        all.extend(with.1.iter().copied());
        queries.push(QueryFigures {
            query: text.clone(),
            total: with.0,
            p50_ms: percentile(&with.1, 0.50),
            p95_ms: percentile(&with.1, 0.95),
            without_facets_p50_ms: percentile(&without.1, 0.50),
        });
    }
    Ok(SearchBenchResult {
        catalogue,
        generate_seconds,
        index_load_seconds,
        index_mib,
        catalogue_mib,
        fresh_from_catalogue,
        fresh_from_saved,
        saved_mib,
        changed: options.changed,
        fresh_updated,
        updated_in_memory_seconds,
        repeats: options.repeats,
        queries,
        all_p50_ms: percentile(&all, 0.50),
        all_p95_ms: percentile(&all, 0.95),
    })
}

/// Another machine's analysis of `count` photos spread over the catalogue (`round` picks which):
/// their labels written again as a worker writes results, one transaction per 100 photos. The
/// labels written are the ones the photo has (a re-analysis that finds the same), so the catalogue
/// the benchmark reuses stays as generated while every photo still counts as changed.
fn change_photos(catalog: &mut Catalog, count: usize, round: i64) -> Result<()> {
    use crate::catalog::PhotoAnalysis;
    let photos = catalog.stats()?.photos.max(1);
    let step = (photos / count.max(1) as i64).max(1);
    let ids: Vec<i64> = (0..count as i64).map(|i| 1 + i * step + round).collect();
    let mut analyses = Vec::new();
    for id in ids {
        if let Some(hash) = catalog.photo(id)?.and_then(|p| p.hash) {
            let analysis = PhotoAnalysis {
                photo_id: id,
                labels: Some((GENERATED_LABELS.to_string(), catalog.photo_labels(id)?)),
                runs: vec![("labels".to_string(), GENERATED_LABELS.to_string(), None)],
                ..PhotoAnalysis::default()
            };
            analyses.push((hash, analysis));
        }
    }
    for chunk in analyses.chunks(100) {
        let writer = catalog.writer()?;
        for (hash, analysis) in chunk {
            writer.write_analysis_of(hash, analysis)?;
        }
        writer.commit()?;
    }
    Ok(())
}

/// The model version `change_photos` writes labels under.
const GENERATED_LABELS: &str = "bench-relabel";

/// The total and the milliseconds of each timed run.
fn time(
    searcher: &mut Searcher,
    catalog: &Catalog,
    query: Option<&str>,
    facets: bool,
    repeats: usize,
) -> Result<(u64, Vec<f64>)> {
    let options = SearchOptions {
        sort: Sort::Taken,
        limit: 100,
        offset: 0,
        facets,
        groups: false,
    };
    let total = searcher.search(catalog, query, &options)?.total;
    let runs = (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            searcher
                .search(catalog, query, &options)
                .map(|_| start.elapsed().as_secs_f64() * 1e3)
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok((total, runs))
}

/// Gives memory freed so far back to the system (glibc keeps it otherwise: after generating a
/// catalogue, the bulk load's page cache would hide the index's own memory).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// This process's peak resident memory in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// This process's resident memory in MiB (Linux; 0 elsewhere).
fn resident_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

/// The `q` quantile (nearest rank) of `values`.
fn percentile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The settings a generated catalogue records, to be reused only by a run with the same.
fn settings_of(options: &GenerateOptions) -> String {
    format!(
        "{} v{}",
        serde_json::to_string(options).expect("options serialise"),
        crate::search::generate::GENERATOR_VERSION
    )
}

/// What an earlier run generated into `catalog`, if it used the same settings.
fn generated_before(catalog: &Catalog, settings: &str) -> Result<Option<Generated>> {
    match (catalog.meta(SETTINGS_KEY)?, catalog.meta(GENERATED_KEY)?) {
        (Some(stored), Some(generated)) if stored == settings => serde_json::from_str(&generated)
            .map(Some)
            .map_err(|e| Error::Other(format!("{}: unreadable bench record: {e}", catalog.name()))),
        _ => Ok(None),
    }
}

/// Generates the catalogue into the empty `catalog` and records its settings; the seconds it took.
fn generate_into(
    mut catalog: Catalog,
    options: &GenerateOptions,
    settings: &str,
    log: &mut dyn FnMut(&str),
) -> Result<(Catalog, Generated, Option<f64>)> {
    log(&format!(
        "writing {} photos, about {} faces and {} labels to {}",
        options.photos,
        options.faces,
        options.labels,
        catalog.name()
    ));
    let start = Instant::now();
    let generated = generate(&mut catalog, options, &mut |n| {
        if n % 10_000 == 0 {
            log(&format!("  {n} photos"));
        }
    })?;
    let seconds = start.elapsed().as_secs_f64();
    catalog.set_meta(SETTINGS_KEY, settings)?;
    catalog.set_meta(
        GENERATED_KEY,
        &serde_json::to_string(&generated).expect("figures serialise"),
    )?;
    Ok((catalog, generated, Some(seconds)))
}

/// The catalogue on a server: reused when generated with the same settings, generated when the
/// catalogue there is empty, refused otherwise (a bench never deletes a server's catalogue).
fn on_server(
    options: &GenerateOptions,
    url: &str,
    log: &mut dyn FnMut(&str),
) -> Result<(Catalog, Generated, Option<f64>)> {
    let settings = settings_of(options);
    let catalog = Catalog::open_server(url)?;
    if let Some(generated) = generated_before(&catalog, &settings)? {
        log(&format!("reusing {}", catalog.name()));
        return Ok((catalog, generated, None));
    }
    if !catalog.is_empty()? {
        return Err(Error::Other(format!(
            "{} holds another catalogue; give the bench an empty schema (…?schema=NAME)",
            catalog.name()
        )));
    }
    generate_into(catalog, options, &settings, log)
}

/// The catalogue in `dir` when it was generated with the same settings, else a new one.
fn open_or_generate(
    options: &GenerateOptions,
    dir: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<(Catalog, Generated, Option<f64>)> {
    let path = dir.join("search-bench.db");
    let settings = settings_of(options);
    if path.exists() {
        let catalog = Catalog::open(&path)?;
        if let Some(generated) = generated_before(&catalog, &settings)? {
            log(&format!("reusing {}", path.display()));
            return Ok((catalog, generated, None));
        }
        drop(catalog);
        super::remove_catalogue(&path);
    }
    generate_into(Catalog::open(&path)?, options, &settings, log)
}
