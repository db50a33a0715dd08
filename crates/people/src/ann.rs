//! Approximate nearest neighbours for face embeddings: an inverted file (IVF). Spherical k-means splits
//! the unit sphere into cells; a face lives in the cell of its nearest centroid, and a query scans only
//! the faces of the few cells whose centroids are nearest to it. With one cell it is an exact scan,
//! which is what small catalogues get. The catalogue stores each face's cell (`faces.cell`) and the
//! centroids, so placing a new face reads a few cells, never the whole library.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Below this many faces one cell (an exact scan) is cheaper than any index.
pub const EXACT_BELOW: usize = 2_000;
/// How many of the nearest cells a query scans (measured with `argus dev bench people`: 0.999 of the
/// neighbours within the link similarity at 100k faces while scanning 3.9 % of them).
pub const DEFAULT_PROBES: usize = 12;
const KMEANS_ROUNDS: usize = 10;
const SAMPLE_PER_CELL: usize = 40;

/// Dot product of two equally long slices (cosine similarity of unit vectors), written so the
/// compiler vectorises it.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
}

/// The cell centroids (unit vectors).
#[derive(Debug, Clone, PartialEq)]
pub struct Centroids {
    pub dim: usize,
    /// `len() × dim` floats.
    pub data: Vec<f32>,
}

impl Centroids {
    /// How many cells suit `faces` faces: one below [`EXACT_BELOW`], else about √n.
    pub fn cells_for(faces: usize) -> usize {
        if faces < EXACT_BELOW {
            1
        } else {
            ((faces as f64).sqrt().round() as usize).clamp(1, 2048)
        }
    }

    /// One cell that holds everything (exact search).
    pub fn single(dim: usize) -> Centroids {
        let mut data = vec![0.0; dim];
        if dim > 0 {
            data[0] = 1.0;
        }
        Centroids { dim, data }
    }

    /// Spherical k-means on (a seeded sample of) `vectors`, which are unit vectors of `dim` floats.
    pub fn train(vectors: &[f32], dim: usize, cells: usize, seed: u64) -> Centroids {
        let n = vectors.len() / dim;
        if cells <= 1 || n <= cells {
            return Centroids::single(dim);
        }
        let row = |i: usize| &vectors[i * dim..(i + 1) * dim];
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let sampled: Vec<usize> = if n > cells * SAMPLE_PER_CELL {
            let mut s = sample(&mut rng, n, cells * SAMPLE_PER_CELL).into_vec();
            s.sort_unstable();
            s
        } else {
            (0..n).collect()
        };
        let mut centroids = Centroids {
            dim,
            data: sample(&mut rng, sampled.len(), cells)
                .into_iter()
                .flat_map(|i| row(sampled[i]).to_vec())
                .collect(),
        };
        for _ in 0..KMEANS_ROUNDS {
            let nearest: Vec<usize> = sampled
                .par_iter()
                .map(|&i| centroids.nearest(row(i)))
                .collect();
            let mut sums = vec![0f32; cells * dim];
            let mut counts = vec![0usize; cells];
            for (&i, &c) in sampled.iter().zip(&nearest) {
                counts[c] += 1;
                for (s, v) in sums[c * dim..(c + 1) * dim].iter_mut().zip(row(i)) {
                    *s += v;
                }
            }
            for c in 0..cells {
                // An empty cell keeps its centroid; a filled one moves to its members' direction.
                if counts[c] > 0 {
                    let slot = &mut sums[c * dim..(c + 1) * dim];
                    normalize(slot);
                    centroids.data[c * dim..(c + 1) * dim].copy_from_slice(slot);
                }
            }
        }
        centroids
    }

    pub fn len(&self) -> usize {
        self.data.len() / self.dim.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn centroid(&self, cell: usize) -> &[f32] {
        &self.data[cell * self.dim..(cell + 1) * self.dim]
    }

    /// The cell a vector belongs to.
    pub fn nearest(&self, v: &[f32]) -> usize {
        (0..self.len())
            .map(|c| (c, dot(self.centroid(c), v)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |(c, _)| c)
    }

    /// The `probes` cells nearest to `v`, nearest first.
    pub fn probe_order(&self, v: &[f32], probes: usize) -> Vec<usize> {
        let mut scored: Vec<(usize, f32)> = (0..self.len())
            .map(|c| (c, dot(self.centroid(c), v)))
            .collect();
        let probes = probes.clamp(1, scored.len().max(1));
        if probes < scored.len() {
            scored.select_nth_unstable_by(probes - 1, |a, b| b.1.total_cmp(&a.1));
            scored.truncate(probes);
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.into_iter().map(|(c, _)| c).collect()
    }

    /// Little-endian f32 bytes of one centroid (how the catalogue stores it).
    pub fn to_rows(&self) -> Vec<Vec<u8>> {
        self.data
            .chunks(self.dim)
            .map(|c| c.iter().flat_map(|x| x.to_le_bytes()).collect())
            .collect()
    }
}

/// An in-memory IVF over rows `0..n` (used by the full re-cluster, the evaluation and the benchmark).
/// The vectors are stored cell by cell, so a query reads each probed cell as one contiguous run of
/// memory (the scan is memory-bound: scattered rows cost twice the time).
pub struct MemoryIndex {
    dim: usize,
    /// The vectors in cell order.
    packed: Vec<f32>,
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

impl MemoryIndex {
    /// Indexes unit vectors (`n × dim` floats) with [`Centroids::cells_for`] cells.
    pub fn build(vectors: Vec<f32>, dim: usize, probes: usize, seed: u64) -> MemoryIndex {
        let n = vectors.len() / dim.max(1);
        let centroids = Centroids::train(&vectors, dim, Centroids::cells_for(n), seed);
        let cells: Vec<usize> = vectors
            .par_chunks(dim)
            .map(|v| centroids.nearest(v))
            .collect();
        let mut rows: Vec<u32> = (0..n as u32).collect();
        rows.sort_by_key(|&r| cells[r as usize]);
        let mut position = vec![0u32; n];
        let mut packed = Vec::with_capacity(vectors.len());
        for (at, &row) in rows.iter().enumerate() {
            position[row as usize] = at as u32;
            packed.extend_from_slice(&vectors[row as usize * dim..(row as usize + 1) * dim]);
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

    pub fn vector(&self, row: usize) -> &[f32] {
        self.packed_vector(self.position[row] as usize)
    }

    fn packed_vector(&self, at: usize) -> &[f32] {
        &self.packed[at * self.dim..(at + 1) * self.dim]
    }

    /// Rows at packed positions `range` with similarity ≥ `min_similarity` to `v`.
    fn scan(
        &self,
        range: std::ops::Range<usize>,
        v: &[f32],
        min_similarity: f32,
        found: &mut Vec<(usize, f32)>,
    ) {
        for at in range {
            let s = dot(self.packed_vector(at), v);
            if s >= min_similarity {
                found.push((self.rows[at] as usize, s));
            }
        }
    }

    /// Rows with similarity ≥ `min_similarity` to `v`, and how many rows were compared.
    pub fn within(&self, v: &[f32], min_similarity: f32) -> (Vec<(usize, f32)>, usize) {
        let mut found = Vec::new();
        let mut scanned = 0;
        for cell in self.centroids.probe_order(v, self.probes) {
            let range = self.starts[cell]..self.starts[cell + 1];
            scanned += range.len();
            self.scan(range, v, min_similarity, &mut found);
        }
        (found, scanned)
    }

    /// The same query by a full scan (what the index is measured against).
    pub fn within_exact(&self, v: &[f32], min_similarity: f32) -> Vec<(usize, f32)> {
        let mut found = Vec::new();
        self.scan(0..self.len(), v, min_similarity, &mut found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn random_unit(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f32> {
        let mut v: Vec<f32> = (0..dim).map(|_| rng.random::<f32>() - 0.5).collect();
        normalize(&mut v);
        v
    }

    #[test]
    fn dot_matches_the_plain_sum() {
        let a: Vec<f32> = (0..19).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|i| 1.0 - i as f32 * 0.1).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
    }

    #[test]
    fn the_index_finds_the_close_neighbours_a_full_scan_finds() {
        // 60 tight groups of 50 points: the kind of structure faces of people have.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let dim = 32;
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
        let index = MemoryIndex::build(vectors, dim, 4, 7);
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
}
