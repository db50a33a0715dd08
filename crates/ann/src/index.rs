//! [`MemoryIndex`]: an inverted file (IVF) in memory over rows `0..n` of unit vectors held as `f32`
//! or `i8` ([`Element`]). A query scans only the rows of the few cells whose centroids are nearest to
//! it; with one cell (fewer than [`EXACT_BELOW`] rows) it is an exact scan. The vectors are stored
//! cell by cell, so a query reads each probed cell as one contiguous run of memory (the scan is
//! memory-bound: scattered rows cost twice the time).

use std::ops::Range;

use rayon::prelude::*;

use crate::centroids::Centroids;
pub use crate::centroids::EXACT_BELOW;
use crate::vector::{normalize, Element};

/// How many of the nearest cells a query scans (measured with `argus dev bench people`: 0.999 of the
/// neighbours within the link similarity at 100k faces while scanning 3.9 % of them).
pub const DEFAULT_PROBES: usize = 12;

/// Most rows a query compares in one parallel task (about 5 MB of 8-bit descriptors; a cell is
/// usually one task).
const ROWS_PER_TASK: usize = 4096;

/// A query, encoded once for the rows' element type.
struct Query<E> {
    coded: Vec<E>,
    unit: Vec<f32>,
    inv_norm: f32,
}

/// An in-memory IVF over rows `0..n`.
pub struct MemoryIndex<E: Element = f32> {
    dim: usize,
    /// The vectors in cell order.
    packed: Vec<E>,
    /// 1 / norm of each packed vector (1 for unit `f32` rows).
    inv_norms: Vec<f32>,
    /// The row of each packed vector.
    rows: Vec<u32>,
    /// The packed position of each row.
    position: Vec<u32>,
    /// Cell `c` holds packed positions `starts[c]..starts[c + 1]`.
    starts: Vec<usize>,
    centroids: Centroids,
    cells: Vec<usize>,
    probes: usize,
}

fn inv_norm<E: Element>(v: &[E]) -> f32 {
    if E::UNIT {
        return 1.0;
    }
    let n = E::dot(v, v).sqrt();
    if n > 0.0 {
        1.0 / n
    } else {
        0.0
    }
}

fn unit<E: Element>(v: &[E]) -> Vec<f32> {
    let mut f = E::to_f32(v);
    if !E::UNIT {
        normalize(&mut f);
    }
    f
}

impl<E: Element> MemoryIndex<E> {
    /// Indexes `n × dim` encoded vectors with [`Centroids::cells_for`] cells.
    pub fn build(vectors: Vec<E>, dim: usize, probes: usize, seed: u64) -> MemoryIndex<E> {
        MemoryIndex::build_with(vectors, dim, probes, seed, false)
    }

    /// The same with cells around the vectors' mean ([`Centroids::centre`]), for vectors that share
    /// a strong common part.
    pub fn build_centred(vectors: Vec<E>, dim: usize, probes: usize, seed: u64) -> MemoryIndex<E> {
        MemoryIndex::build_with(vectors, dim, probes, seed, true)
    }

    fn build_with(
        vectors: Vec<E>,
        dim: usize,
        probes: usize,
        seed: u64,
        centred: bool,
    ) -> MemoryIndex<E> {
        let dim = dim.max(1);
        let n = vectors.len() / dim;
        let row = |i: usize| &vectors[i * dim..(i + 1) * dim];
        let centroids =
            Centroids::train_with(n, dim, Centroids::cells_for(n), seed, centred, |i| {
                unit(row(i))
            });
        let cells: Vec<usize> = if centroids.len() == 1 {
            vec![0; n]
        } else {
            (0..n)
                .into_par_iter()
                .map(|i| centroids.nearest(&unit(row(i))))
                .collect()
        };
        let mut rows: Vec<u32> = (0..n as u32).collect();
        rows.sort_by_key(|&r| cells[r as usize]);
        let mut position = vec![0u32; n];
        let mut packed = Vec::with_capacity(vectors.len());
        let mut inv_norms = Vec::with_capacity(n);
        for (at, &r) in rows.iter().enumerate() {
            position[r as usize] = at as u32;
            packed.extend_from_slice(row(r as usize));
            inv_norms.push(inv_norm(row(r as usize)));
        }
        let mut starts = vec![0usize; centroids.len() + 1];
        for &c in &cells {
            starts[c + 1] += 1;
        }
        for c in 0..centroids.len() {
            starts[c + 1] += starts[c];
        }
        MemoryIndex {
            dim,
            packed,
            inv_norms,
            rows,
            position,
            starts,
            centroids,
            cells,
            probes,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn cells(&self) -> usize {
        self.centroids.len()
    }

    pub fn centroids(&self) -> &Centroids {
        &self.centroids
    }

    /// The cell a row lives in.
    pub fn cell_of(&self, row: usize) -> usize {
        self.cells[row]
    }

    /// A row's vector, as stored.
    pub fn vector(&self, row: usize) -> &[E] {
        self.packed_vector(self.position[row] as usize)
    }

    /// Bytes the index holds (vectors, norms, bookkeeping).
    pub fn memory_bytes(&self) -> usize {
        self.packed.len() * std::mem::size_of::<E>()
            + self.inv_norms.len() * 4
            + (self.rows.len() + self.position.len()) * 4
            + self.cells.len() * std::mem::size_of::<usize>()
            + self.centroids.data.len() * 4
    }

    fn packed_vector(&self, at: usize) -> &[E] {
        &self.packed[at * self.dim..(at + 1) * self.dim]
    }

    fn query(&self, v: &[E]) -> Query<E> {
        Query {
            coded: v.to_vec(),
            unit: unit(v),
            inv_norm: inv_norm(v),
        }
    }

    fn similarity(&self, at: usize, q: &Query<E>) -> f32 {
        E::dot(self.packed_vector(at), &q.coded) * self.inv_norms[at] * q.inv_norm
    }

    /// Visits every packed position of the probed cells (all of them when `exact`).
    fn candidates(&self, q: &Query<E>, exact: bool, mut visit: impl FnMut(usize)) -> usize {
        if exact {
            (0..self.len()).for_each(&mut visit);
            return self.len();
        }
        let mut scanned = 0;
        for cell in self.centroids.probe_order(&q.unit, self.probes) {
            let range = self.starts[cell]..self.starts[cell + 1];
            scanned += range.len();
            range.for_each(&mut visit);
        }
        scanned
    }

    fn within_by(&self, v: &[E], min_similarity: f32, exact: bool) -> (Vec<(usize, f32)>, usize) {
        let q = self.query(v);
        let mut found = Vec::new();
        let scanned = self.candidates(&q, exact, |at| {
            let s = self.similarity(at, &q);
            if s >= min_similarity {
                found.push((self.rows[at] as usize, s));
            }
        });
        (found, scanned)
    }

    /// Rows with similarity ≥ `min_similarity` to `v`, and how many rows were compared.
    pub fn within(&self, v: &[E], min_similarity: f32) -> (Vec<(usize, f32)>, usize) {
        self.within_by(v, min_similarity, false)
    }

    /// The same query by a full scan (what the index is measured against).
    pub fn within_exact(&self, v: &[E], min_similarity: f32) -> Vec<(usize, f32)> {
        self.within_by(v, min_similarity, true).0
    }

    /// The packed ranges a query scans: the `probes` nearest cells (all rows for None), in runs of at most
    /// [`ROWS_PER_TASK`] rows (a fixed split, so the answer is the same on any number of cores).
    fn scan_ranges(&self, q: &Query<E>, probes: Option<usize>) -> Vec<Range<usize>> {
        let cells: Vec<Range<usize>> = match probes {
            None => std::iter::once(0..self.len()).collect(),
            Some(probes) => self
                .centroids
                .probe_order(&q.unit, probes.max(1))
                .into_iter()
                .map(|cell| self.starts[cell]..self.starts[cell + 1])
                .collect(),
        };
        let mut out = Vec::new();
        for cell in cells {
            let mut at = cell.start;
            while at < cell.end {
                let end = (at + ROWS_PER_TASK).min(cell.end);
                out.push(at..end);
                at = end;
            }
        }
        out
    }

    /// The `k` best of the packed positions in `range`.
    fn nearest_in(&self, q: &Query<E>, range: Range<usize>, k: usize) -> Vec<(usize, f32)> {
        let mut found: Vec<(usize, f32)> = Vec::new();
        let mut floor = f32::NEG_INFINITY;
        for at in range {
            let s = self.similarity(at, q);
            if s > floor || found.len() < k {
                found.push((self.rows[at] as usize, s));
                if found.len() >= 2 * k.max(16) {
                    keep_best(&mut found, k);
                    floor = found.last().map_or(f32::NEG_INFINITY, |b| b.1);
                }
            }
        }
        keep_best(&mut found, k);
        found
    }

    /// The `k` nearest: the scanned runs shared out among the cores (a query at a million photos
    /// reads hundreds of megabytes; two cores read them in about half the time), each run's best
    /// merged.
    fn nearest_by(&self, v: &[E], k: usize, probes: Option<usize>) -> (Vec<(usize, f32)>, usize) {
        let q = self.query(v);
        let ranges = self.scan_ranges(&q, probes);
        let scanned = ranges.iter().map(Range::len).sum();
        let mut found: Vec<(usize, f32)> = ranges
            .into_par_iter()
            .flat_map_iter(|range| self.nearest_in(&q, range, k))
            .collect();
        keep_best(&mut found, k);
        (found, scanned)
    }

    /// The `k` rows most similar to `v`, most similar first (ties by row).
    pub fn nearest(&self, v: &[E], k: usize) -> Vec<(usize, f32)> {
        self.nearest_by(v, k, Some(self.probes)).0
    }

    /// [`MemoryIndex::nearest`] scanning `probes` cells instead of the index's own number (a
    /// caller may want more recall for a few queries than for many).
    pub fn nearest_probing(&self, v: &[E], k: usize, probes: usize) -> Vec<(usize, f32)> {
        self.nearest_by(v, k, Some(probes)).0
    }

    /// [`MemoryIndex::nearest`], and how many rows were compared.
    pub fn nearest_counted(&self, v: &[E], k: usize) -> (Vec<(usize, f32)>, usize) {
        self.nearest_by(v, k, Some(self.probes))
    }

    /// The same by a full scan.
    pub fn nearest_exact(&self, v: &[E], k: usize) -> Vec<(usize, f32)> {
        self.nearest_by(v, k, None).0
    }

    /// A copy that scans `probes` cells per query.
    pub fn with_probes(mut self, probes: usize) -> MemoryIndex<E> {
        self.probes = probes.max(1);
        self
    }
}

/// Keeps the `k` best `(row, similarity)` pairs, best first, ties by row.
fn keep_best(found: &mut Vec<(usize, f32)>, k: usize) {
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(k);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_unit(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f32> {
        let mut v: Vec<f32> = (0..dim).map(|_| rng.random::<f32>() - 0.5).collect();
        normalize(&mut v);
        v
    }

    /// 60 tight groups of 50 points: the kind of structure faces of people have.
    fn grouped(dim: usize) -> Vec<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut vectors = Vec::new();
        for _ in 0..60 {
            let centre = random_unit(&mut rng, dim);
            for _ in 0..50 {
                let mut v: Vec<f32> = centre
                    .iter()
                    .map(|c| c + 0.15 * (rng.random::<f32>() - 0.5))
                    .collect();
                normalize(&mut v);
                vectors.extend(v);
            }
        }
        vectors
    }

    #[test]
    fn the_index_finds_the_close_neighbours_a_full_scan_finds() {
        let dim = 32;
        let index = MemoryIndex::build(grouped(dim), dim, 4, 7);
        assert!(index.cells() > 1, "3,000 vectors are split into cells");
        let (mut hits, mut wanted, mut scanned) = (0, 0, 0);
        for row in (0..index.len()).step_by(37) {
            let exact = index.within_exact(index.vector(row), 0.8);
            let (found, s) = index.within(index.vector(row), 0.8);
            scanned += s;
            wanted += exact.len();
            hits += exact.iter().filter(|e| found.contains(e)).count();
        }
        assert!(hits as f64 >= 0.95 * wanted as f64, "{hits}/{wanted}");
        let queries = index.len().div_ceil(37);
        assert!(
            scanned < queries * index.len() / 3,
            "a query scans a part of the index"
        );
    }

    #[test]
    fn eight_bit_rows_find_the_same_nearest_neighbours() {
        let dim = 64;
        let floats = grouped(dim);
        let coded: Vec<i8> = floats.chunks(dim).flat_map(i8::encode).collect();
        let exact = MemoryIndex::build(floats, dim, 4, 7);
        let small = MemoryIndex::build(coded, dim, 4, 7);
        assert!(small.memory_bytes() * 3 < exact.memory_bytes() * 2);
        let (mut same, mut total) = (0, 0);
        for row in (0..exact.len()).step_by(53) {
            let want: Vec<usize> = exact
                .nearest_exact(exact.vector(row), 10)
                .iter()
                .map(|r| r.0)
                .collect();
            let got = small.nearest(small.vector(row), 10);
            assert_eq!(got[0].0, row, "a row is its own nearest");
            assert!((got[0].1 - 1.0).abs() < 1e-5);
            assert!(got.windows(2).all(|w| w[0].1 >= w[1].1), "best first");
            total += want.len();
            same += got.iter().filter(|g| want.contains(&g.0)).count();
        }
        assert!(same as f64 >= 0.9 * total as f64, "{same}/{total}");
    }
}
