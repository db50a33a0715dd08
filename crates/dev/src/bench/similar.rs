//! `argus dev bench similar`: the look-alike index at library sizes (100k and 1M photos by default):
//! build time, memory, recall@10 against an exact scan and query time (p50/p95), for the probe count
//! the product uses and a few others. With a reference (an earlier run's `--json`), each figure is
//! printed beside the reference's with the ratio.
//!
//! The descriptors are synthetic but shaped like the real ones (non-negative, sparse, 1,280-d, 8-bit):
//! a shared base, a mix of two of n/100 topics (a continuum, not clumps) and the photo's own part,
//! each an exponential draw on a few components; 5 % of photos get a near copy. Their mean pairwise cosine (printed) is set to what the
//! sample library's real descriptors show, 0.28.

use std::fmt;

use std::time::Instant;

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Result;
use argus_api::ann::{normalize, Element, MemoryIndex};
use argus_api::similar::lookalikes::{most_like_probes, LOOKALIKE_PROBES};

const DIM: usize = 1280;
const SEED: u64 = 1280;
const K: usize = 10;
/// Weights of the topic and the photo's own part against the shared base, and how many components
/// each draws on (fitted to the real descriptors' mean pairwise cosine).
const TOPIC_WEIGHT: f32 = 5.0;
const OWN_WEIGHT: f32 = 4.0;
const SPARSITY: f64 = 0.05;
const COPY_SHARE: f64 = 0.05;

/// What to measure.
#[derive(Debug, Clone)]
pub struct SimilarBenchOptions {
    pub sizes: Vec<usize>,
    pub queries: usize,
    /// Probe counts measured besides the product's.
    pub probes: Vec<usize>,
    pub reference: Option<std::path::PathBuf>,
}

/// One probe count at one size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeFigures {
    pub probes: usize,
    pub recall_at_10: f64,
    /// Share of the vectors a query compares.
    pub scanned_share: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
}

/// One library size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimilarSize {
    pub vectors: usize,
    pub cells: usize,
    pub generate_s: f64,
    pub build_s: f64,
    pub memory_mb: f64,
    pub mean_pairwise_cosine: f64,
    pub exact_p50_ms: f64,
    pub exact_p95_ms: f64,
    /// The product's probe count first.
    pub probes: Vec<ProbeFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimilarBenchResult {
    pub dim: usize,
    pub k: usize,
    pub queries: usize,
    pub sizes: Vec<SimilarSize>,
    #[serde(skip_deserializing)]
    pub reference: Option<Box<SimilarBenchResult>>,
}

/// Synthetic descriptors, encoded as the catalogue stores them.
fn descriptors(n: usize, seed: u64) -> Vec<i8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sparse = |rng: &mut ChaCha8Rng, p: f64| -> Vec<f32> {
        (0..DIM)
            .map(|_| {
                if rng.random_bool(p) {
                    Exp1.sample(rng)
                } else {
                    0.0
                }
            })
            .collect()
    };
    let base = sparse(&mut rng, 0.5);
    let topics: Vec<Vec<f32>> = (0..(n / 100).max(1))
        .map(|_| sparse(&mut rng, SPARSITY))
        .collect();
    let originals = ((n as f64) / (1.0 + COPY_SHARE)).ceil() as usize;
    let chunk = 4096;
    let mut out: Vec<i8> = (0..originals.div_ceil(chunk))
        .into_par_iter()
        .flat_map_iter(|c| {
            let mut rng =
                ChaCha8Rng::seed_from_u64(seed ^ (c as u64 + 1).wrapping_mul(0x9e37_79b9));
            let rows = (c * chunk..((c + 1) * chunk).min(originals)).map(|_| {
                // Between two topics, so photos form a continuum rather than separate clumps.
                let a = &topics[rng.random_range(0..topics.len())];
                let b = &topics[rng.random_range(0..topics.len())];
                let mix: f32 = rng.random();
                let own = sparse(&mut rng, SPARSITY);
                let mut v: Vec<f32> = (0..DIM)
                    .map(|d| {
                        base[d]
                            + TOPIC_WEIGHT * (mix * a[d] + (1.0 - mix) * b[d])
                            + OWN_WEIGHT * own[d]
                    })
                    .collect();
                normalize(&mut v);
                i8::encode(&v)
            });
            rows.collect::<Vec<_>>().into_iter().flatten()
        })
        .collect();
    // Near copies: a photo again, slightly changed.
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 7);
    for _ in originals..n {
        let of = rng.random_range(0..originals);
        let mut v: Vec<f32> = out[of * DIM..(of + 1) * DIM]
            .iter()
            .map(|&x| f32::from(x).max(0.0) * (1.0 + 0.15 * (rng.random::<f32>() - 0.5)))
            .collect();
        normalize(&mut v);
        out.extend(i8::encode(&v));
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = work();
    (out, started.elapsed().as_secs_f64() * 1e3)
}

fn one_size(
    n: usize,
    options: &SimilarBenchOptions,
    progress: &mut dyn FnMut(String),
) -> SimilarSize {
    progress(format!("{n} descriptors: generating"));
    let (vectors, generate_ms) = timed(|| descriptors(n, SEED + n as u64));
    progress(format!("{n} descriptors: building the index"));
    let (index, build_ms) =
        timed(|| MemoryIndex::build_centred(vectors, DIM, LOOKALIKE_PROBES, SEED));
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let rows = sample(&mut rng, index.len(), options.queries.min(index.len())).into_vec();
    let pairs: Vec<f64> = rows
        .windows(2)
        .map(|w| {
            f64::from(argus_api::ann::vector::cosine(
                index.vector(w[0]),
                index.vector(w[1]),
            ))
        })
        .collect();
    progress(format!("{n} descriptors: {} exact queries", rows.len()));
    let mut exact_ms = Vec::new();
    let exact: Vec<Vec<usize>> = rows
        .iter()
        .map(|&r| {
            let (found, ms) = timed(|| index.nearest_exact(index.vector(r), K + 1));
            exact_ms.push(ms);
            found
                .into_iter()
                .map(|f| f.0)
                .filter(|&f| f != r)
                .take(K)
                .collect()
        })
        .collect();
    exact_ms.sort_by(f64::total_cmp);
    // "More like this" as the product runs it first.
    let product = most_like_probes(n);
    let mut probe_counts = vec![product];
    probe_counts.extend(options.probes.iter().filter(|p| **p != product));
    let mut index = Some(index);
    let mut probes = Vec::new();
    for p in probe_counts {
        let ix = index
            .take()
            .expect("kept between probe counts")
            .with_probes(p);
        let (mut hits, mut ms, mut scanned) = (0usize, Vec::new(), 0usize);
        for (&r, want) in rows.iter().zip(&exact) {
            let ((found, s), t) = timed(|| ix.nearest_counted(ix.vector(r), K + 1));
            ms.push(t);
            scanned += s;
            hits += found.iter().filter(|f| want.contains(&f.0)).count();
        }
        ms.sort_by(f64::total_cmp);
        probes.push(ProbeFigures {
            probes: p,
            recall_at_10: hits as f64 / (rows.len() * K).max(1) as f64,
            scanned_share: scanned as f64 / (rows.len() * ix.len()).max(1) as f64,
            p50_ms: percentile(&ms, 0.5),
            p95_ms: percentile(&ms, 0.95),
        });
        index = Some(ix);
    }
    let index = index.expect("kept");
    SimilarSize {
        vectors: n,
        cells: index.cells(),
        generate_s: generate_ms / 1e3,
        build_s: build_ms / 1e3,
        memory_mb: index.memory_bytes() as f64 / 1e6,
        mean_pairwise_cosine: pairs.iter().sum::<f64>() / pairs.len().max(1) as f64,
        exact_p50_ms: percentile(&exact_ms, 0.5),
        exact_p95_ms: percentile(&exact_ms, 0.95),
        probes,
    }
}

/// Runs the benchmark.
pub fn similar_bench(
    options: &SimilarBenchOptions,
    progress: &mut dyn FnMut(String),
) -> Result<SimilarBenchResult> {
    let reference = match &options.reference {
        Some(path) => Some(Box::new(super::read_reference(path, "bench similar")?)),
        None => None,
    };
    let sizes = options
        .sizes
        .iter()
        .map(|&n| one_size(n, options, progress))
        .collect();
    Ok(SimilarBenchResult {
        dim: DIM,
        k: K,
        queries: options.queries,
        sizes,
        reference,
    })
}

impl fmt::Display for SimilarBenchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "look-alike index: {}-d 8-bit descriptors, recall@{} against an exact scan, {} queries",
            self.dim, self.k, self.queries
        )?;
        for s in &self.sizes {
            let r = self
                .reference
                .as_ref()
                .and_then(|r| r.sizes.iter().find(|x| x.vectors == s.vectors));
            writeln!(
                f,
                "{} vectors: {} cells, built in {:.1} s ({:.0} MB), mean pairwise cosine {:.2}; exact scan p50 {:.1} ms, p95 {:.1} ms",
                s.vectors, s.cells, s.build_s, s.memory_mb, s.mean_pairwise_cosine, s.exact_p50_ms, s.exact_p95_ms
            )?;
            if let Some(r) = r {
                writeln!(
                    f,
                    "  reference: built in {:.1} s (now/ref {:.2}), exact p95 {:.1} ms (now/ref {:.2})",
                    r.build_s,
                    s.build_s / r.build_s.max(1e-9),
                    r.exact_p95_ms,
                    s.exact_p95_ms / r.exact_p95_ms.max(1e-9)
                )?;
            }
            for p in &s.probes {
                write!(
                    f,
                    "  probes {:>3}: recall@10 {:.3}  scans {:.1} %  p50 {:.2} ms  p95 {:.2} ms",
                    p.probes,
                    p.recall_at_10,
                    p.scanned_share * 100.0,
                    p.p50_ms,
                    p.p95_ms
                )?;
                if let Some(rp) = r.and_then(|r| r.probes.iter().find(|x| x.probes == p.probes)) {
                    write!(
                        f,
                        "   | reference recall {:.3}, p95 {:.2} ms (now/ref {:.2})",
                        rp.recall_at_10,
                        rp.p95_ms,
                        p.p95_ms / rp.p95_ms.max(1e-9)
                    )?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}
