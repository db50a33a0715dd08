//! `argus dev bench people`: how fast faces are grouped into people, at library sizes real users reach.
//!
//! For each size it writes a fresh catalogue of synthetic-but-realistic embeddings
//! ([`crate::people::synthetic`], calibrated on real faces) and measures:
//! - the full re-cluster the user can ask for (`people recluster`: load, index, place, write);
//! - the same placement with an exact scan instead of the index (up to `exact_up_to` faces), with
//!   the quality of both against the generator's truth — what the index costs in quality and saves
//!   in time;
//! - incremental clustering: new faces added in small batches after the library was clustered, as
//!   after a scan (time per face, embeddings compared per face);
//! - the index alone: recall of the neighbours within the link similarity vs an exact scan, and the
//!   time per query of both.
//!
//! With a reference (an earlier run's `--json`, read loosely so that runs of older builds still
//! compare), the main figures of each size are printed beside the reference's, with the ratios.

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Instant;

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::people::job::{cluster_new_faces, recluster};
use crate::people::memory::cluster_embeddings;
use crate::people::metrics::{quality, ClusterQuality};
use crate::people::synthetic;
use crate::people::ClusterParams;
use crate::Result;
use argus_api::ann::{MemoryIndex, DEFAULT_PROBES};

const SEED: u64 = 42;
const EMBEDDING_VERSION: &str = "synthetic";

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct PeopleBenchOptions {
    /// Library sizes in faces.
    pub sizes: Vec<usize>,
    /// Mean faces per person (the number of people is faces / this).
    pub faces_per_person: usize,
    /// New faces added after the full clustering, in batches of `batch`.
    pub incremental: usize,
    pub batch: usize,
    /// Sample queries for the index's recall and speed.
    pub queries: usize,
    /// Also place with an exact scan up to this many faces.
    pub exact_up_to: usize,
    /// Work folder for the catalogues; None: a temporary folder removed afterwards.
    pub dir: Option<PathBuf>,
    /// The clustering's knobs (the defaults unless measuring others).
    pub params: ClusterParams,
    /// An earlier run's JSON output to compare with.
    pub reference: Option<PathBuf>,
}

/// One placement of every face (full clustering).
#[derive(Debug, Clone, Serialize)]
pub struct FullFigures {
    pub seconds: f64,
    pub faces_per_second: f64,
    pub compared_per_face: f64,
    pub people: usize,
    pub quality: ClusterQuality,
}

/// New faces added to a clustered library.
#[derive(Debug, Clone, Serialize)]
pub struct IncrementalFigures {
    pub faces: usize,
    pub batches: usize,
    pub ms_per_face: f64,
    /// Slowest batch.
    pub max_batch_ms: f64,
    pub compared_per_face: f64,
    /// Share of the library one new face is compared with.
    pub compared_share: f64,
    /// Faces read from the catalogue per batch (the cells its faces probe).
    pub read_per_batch: f64,
    /// Quality of the whole library afterwards.
    pub quality: ClusterQuality,
}

/// The nearest-neighbour index alone.
#[derive(Debug, Clone, Serialize)]
pub struct IndexFigures {
    pub cells: usize,
    pub probes: usize,
    pub queries: usize,
    /// Neighbours within the link similarity that the index finds, of those an exact scan finds.
    pub recall: f64,
    /// Share of the faces a query compares with.
    pub scanned_share: f64,
    pub ivf_us_per_query: f64,
    pub exact_us_per_query: f64,
    pub speedup: f64,
}

/// Figures for one library size.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleBenchSize {
    pub faces: usize,
    pub people: usize,
    pub insert_seconds: f64,
    /// `people recluster` on the catalogue.
    pub full: FullFigures,
    /// The same placement in memory with an exact scan (small sizes only).
    pub exact: Option<FullFigures>,
    pub incremental: IncrementalFigures,
    pub index: IndexFigures,
}

/// The figures.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleBenchResult {
    pub params: ClusterParams,
    pub threads: usize,
    pub sizes: Vec<PeopleBenchSize>,
    /// The reference run, as read (not written back out).
    #[serde(skip)]
    pub reference: Option<serde_json::Value>,
}

/// A figure of the reference run for `faces` faces, by JSON pointer below the size's entry.
fn reference_figure(reference: &serde_json::Value, faces: usize, pointer: &str) -> Option<f64> {
    reference["sizes"]
        .as_array()?
        .iter()
        .find(|s| s["faces"].as_u64() == Some(faces as u64))?
        .pointer(pointer)?
        .as_f64()
}

impl fmt::Display for PeopleBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "synthetic embeddings calibrated on LFW (same person median 0.75, different ±0.23); link {:.2}, {} neighbours, growth limit {:.2}; {} threads",
            self.params.link_similarity,
            self.params.min_neighbours,
            self.params.centroid_similarity,
            self.threads
        )?;
        for s in &self.sizes {
            writeln!(
                f,
                "\n{} faces of {} people (written in {:.1} s)",
                s.faces, s.people, s.insert_seconds
            )?;
            let line = |f: &mut fmt::Formatter<'_>, name: &str, full: &FullFigures| {
                writeln!(
                    f,
                    "  {name:<26} {:>8.2} s  {:>8.0} faces/s  {:>8.0} compared/face  {:>6} people  BCubed P {:.3} R {:.3} F {:.3}",
                    full.seconds,
                    full.faces_per_second,
                    full.compared_per_face,
                    full.people,
                    full.quality.bcubed.precision,
                    full.quality.bcubed.recall,
                    full.quality.bcubed.f
                )
            };
            line(f, "full re-cluster (index)", &s.full)?;
            if let Some(exact) = &s.exact {
                line(f, "placement, exact scan", exact)?;
                writeln!(
                    f,
                    "  index vs exact: {:.1}× faster end to end, BCubed F {:+.3}",
                    exact.seconds / s.full.seconds.max(1e-9),
                    s.full.quality.bcubed.f - exact.quality.bcubed.f
                )?;
            }
            let inc = &s.incremental;
            writeln!(
                f,
                "  incremental: {} new faces in {} batches: {:.2} ms/face (slowest batch {:.1} ms), {:.0} compared/face ({:.1} % of the library), {:.0} faces read/batch; BCubed F after {:.3}",
                inc.faces,
                inc.batches,
                inc.ms_per_face,
                inc.max_batch_ms,
                inc.compared_per_face,
                inc.compared_share * 100.0,
                inc.read_per_batch,
                inc.quality.bcubed.f
            )?;
            if let Some(reference) = &self.reference {
                let figures = [
                    ("re-cluster s", "/full/seconds", s.full.seconds),
                    (
                        "incremental ms/face",
                        "/incremental/ms_per_face",
                        inc.ms_per_face,
                    ),
                    (
                        "slowest batch ms",
                        "/incremental/max_batch_ms",
                        inc.max_batch_ms,
                    ),
                    (
                        "compared/face",
                        "/incremental/compared_per_face",
                        inc.compared_per_face,
                    ),
                    (
                        "BCubed F after",
                        "/incremental/quality/bcubed/f",
                        inc.quality.bcubed.f,
                    ),
                ];
                let mut parts = Vec::new();
                for (name, pointer, now) in figures {
                    if let Some(was) = reference_figure(reference, s.faces, pointer) {
                        parts.push(format!(
                            "{name} {now:.3} vs {was:.3} (now/ref {:.2})",
                            now / was.max(1e-12)
                        ));
                    }
                }
                if parts.is_empty() {
                    writeln!(f, "  reference: no run of {} faces", s.faces)?;
                } else {
                    writeln!(f, "  reference: {}", parts.join(", "))?;
                }
            }
            let ix = &s.index;
            writeln!(
                f,
                "  index: {} cells, {} probes: recall {:.3} of the neighbours ≥ {:.2} over {} queries, scans {:.1} % of the faces; {:.0} µs/query vs {:.0} µs exact ({:.1}×)",
                ix.cells,
                ix.probes,
                ix.recall,
                self.params.link_similarity,
                ix.queries,
                ix.scanned_share * 100.0,
                ix.ivf_us_per_query,
                ix.exact_us_per_query,
                ix.speedup
            )?;
        }
        Ok(())
    }
}

/// Runs the people benchmark; `log` receives progress lines.
pub fn people(
    options: &PeopleBenchOptions,
    log: &mut dyn FnMut(&str),
) -> Result<PeopleBenchResult> {
    let params = options.params;
    let reference = match &options.reference {
        Some(path) => Some(super::read_reference(path, "bench people")?),
        None => None,
    };
    let sizes = super::in_work_dir(options.dir.as_deref(), "people", |dir| {
        options
            .sizes
            .iter()
            .map(|&faces| one_size(options, &params, faces, dir, log))
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(PeopleBenchResult {
        params,
        threads: rayon::current_num_threads(),
        sizes,
        reference,
    })
}

fn one_size(
    options: &PeopleBenchOptions,
    params: &ClusterParams,
    faces: usize,
    dir: &std::path::Path,
    log: &mut dyn FnMut(&str),
) -> Result<PeopleBenchSize> {
    let people = (faces / options.faces_per_person.max(1)).max(1);
    let (embeddings, truth) = synthetic::embeddings(faces + options.incremental, people, SEED);
    let (library, new_faces) = embeddings.split_at(faces);

    let path = dir.join(format!("people-{faces}.db"));
    super::remove_catalogue(&path);
    let mut catalog = Catalog::open(&path)?;
    log(&format!("{faces} faces: writing the catalogue"));
    let started = Instant::now();
    synthetic::insert_faces(&mut catalog, library)?;
    let insert_seconds = started.elapsed().as_secs_f64();

    log(&format!("{faces} faces: full re-cluster"));
    let report = recluster(&mut catalog, params, EMBEDDING_VERSION)?;
    let full = FullFigures {
        seconds: report.seconds,
        faces_per_second: faces as f64 / report.seconds.max(1e-9),
        compared_per_face: report.compared as f64 / faces as f64,
        people: report.people,
        quality: quality(&truth[..faces], &persons(&catalog)?),
    };

    let exact = if faces <= options.exact_up_to {
        log(&format!("{faces} faces: placement with an exact scan"));
        Some(exact_placement(library, &truth[..faces], params)?)
    } else {
        None
    };

    log(&format!(
        "{faces} faces: {} new faces in batches of {}",
        options.incremental, options.batch
    ));
    let incremental = add_incrementally(&mut catalog, new_faces, options.batch, params, &truth)?;

    log(&format!("{faces} faces: index recall and speed"));
    let index = index_figures(library, options.queries, params.link_similarity);
    drop(catalog);
    Ok(PeopleBenchSize {
        faces,
        people,
        insert_seconds,
        full,
        exact,
        incremental,
        index,
    })
}

/// The person of every face, by face id (the order they were written in).
fn persons(catalog: &Catalog) -> Result<Vec<Option<i64>>> {
    catalog.face_people(synthetic::MODEL_VERSION)
}

fn exact_placement(
    embeddings: &[Vec<f32>],
    truth: &[usize],
    params: &ClusterParams,
) -> Result<FullFigures> {
    let started = Instant::now();
    let (found, compared) = cluster_embeddings(embeddings, params, usize::MAX, SEED)?;
    let seconds = started.elapsed().as_secs_f64();
    let people: HashSet<i64> = found.iter().flatten().copied().collect();
    Ok(FullFigures {
        seconds,
        faces_per_second: embeddings.len() as f64 / seconds.max(1e-9),
        compared_per_face: compared as f64 / embeddings.len() as f64,
        people: people.len(),
        quality: quality(truth, &found),
    })
}

fn add_incrementally(
    catalog: &mut Catalog,
    new_faces: &[Vec<f32>],
    batch: usize,
    params: &ClusterParams,
    truth: &[usize],
) -> Result<IncrementalFigures> {
    let library = truth.len() - new_faces.len();
    let (mut seconds, mut max_batch, mut compared, mut read, mut batches) = (0.0, 0.0f64, 0, 0, 0);
    for chunk in new_faces.chunks(batch.max(1)) {
        synthetic::insert_faces(catalog, chunk)?;
        let report = cluster_new_faces(catalog, params, EMBEDDING_VERSION)?;
        seconds += report.seconds;
        max_batch = max_batch.max(report.seconds);
        compared += report.compared;
        read += report.read;
        batches += 1;
    }
    let n = new_faces.len().max(1) as f64;
    let compared_per_face = compared as f64 / n;
    Ok(IncrementalFigures {
        faces: new_faces.len(),
        batches,
        ms_per_face: seconds * 1e3 / n,
        max_batch_ms: max_batch * 1e3,
        compared_per_face,
        compared_share: compared_per_face / library.max(1) as f64,
        read_per_batch: read as f64 / batches.max(1) as f64,
        quality: quality(truth, &persons(catalog)?),
    })
}

fn index_figures(embeddings: &[Vec<f32>], queries: usize, link: f32) -> IndexFigures {
    let dim = embeddings.first().map_or(1, Vec::len);
    let vectors: Vec<f32> = embeddings.iter().flatten().copied().collect();
    let index = MemoryIndex::build(vectors, dim, DEFAULT_PROBES, SEED);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let rows = sample(&mut rng, index.len(), queries.min(index.len())).into_vec();

    let started = Instant::now();
    let found: Vec<(Vec<(usize, f32)>, usize)> = rows
        .iter()
        .map(|&r| index.within(index.vector(r), link))
        .collect();
    let ivf = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let exact: Vec<Vec<(usize, f32)>> = rows
        .iter()
        .map(|&r| index.within_exact(index.vector(r), link))
        .collect();
    let exact_seconds = started.elapsed().as_secs_f64();

    let (mut hits, mut wanted, mut scanned) = (0usize, 0usize, 0usize);
    for ((found, s), exact) in found.iter().zip(&exact) {
        scanned += s;
        wanted += exact.len();
        let found: HashSet<usize> = found.iter().map(|(row, _)| *row).collect();
        hits += exact.iter().filter(|(row, _)| found.contains(row)).count();
    }
    let q = rows.len().max(1) as f64;
    IndexFigures {
        cells: index.cells(),
        probes: DEFAULT_PROBES.min(index.cells()),
        queries: rows.len(),
        recall: hits as f64 / wanted.max(1) as f64,
        scanned_share: scanned as f64 / q / index.len().max(1) as f64,
        ivf_us_per_query: ivf * 1e6 / q,
        exact_us_per_query: exact_seconds * 1e6 / q,
        speedup: exact_seconds / ivf.max(1e-12),
    }
}
