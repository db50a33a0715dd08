//! The cells of an inverted file: spherical k-means centroids (unit vectors) that split the sphere,
//! a vector living in the cell of its nearest centroid. The catalogue stores a face's cell and the
//! centroids ([`Centroids::to_rows`]), so placing a new face reads a few cells, never the library.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::vector::{dot, normalize};

/// Below this many vectors one cell (an exact scan) is cheaper than any index.
pub const EXACT_BELOW: usize = 2_000;
const KMEANS_ROUNDS: usize = 10;
const SAMPLE_PER_CELL: usize = 40;

/// The cell centroids (unit vectors).
#[derive(Debug, Clone, PartialEq)]
pub struct Centroids {
    pub dim: usize,
    /// `len() × dim` floats.
    pub data: Vec<f32>,
    /// When set, cells split the directions *around* this mean: a vector is centred (and made unit
    /// again) before it is compared with the centroids. Vectors that share a strong common part —
    /// image descriptors, all non-negative — otherwise crowd into a few cells.
    pub centre: Option<Vec<f32>>,
}

impl Centroids {
    /// How many cells suit `n` vectors: one below [`EXACT_BELOW`], else about √n.
    pub fn cells_for(n: usize) -> usize {
        if n < EXACT_BELOW {
            1
        } else {
            ((n as f64).sqrt().round() as usize).clamp(1, 2048)
        }
    }

    /// One cell that holds everything (exact search).
    pub fn single(dim: usize) -> Centroids {
        let mut data = vec![0.0; dim];
        if dim > 0 {
            data[0] = 1.0;
        }
        Centroids {
            dim,
            data,
            centre: None,
        }
    }

    /// Spherical k-means on (a seeded sample of) `n` vectors of `dim` floats, `row(i)` giving the
    /// `i`-th as a unit vector; `centred`: around the sample's mean (see [`Centroids::centre`]).
    pub fn train_with(
        n: usize,
        dim: usize,
        cells: usize,
        seed: u64,
        centred: bool,
        row: impl Fn(usize) -> Vec<f32> + Sync,
    ) -> Centroids {
        if cells <= 1 || n <= cells {
            return Centroids::single(dim);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let sampled: Vec<usize> = if n > cells * SAMPLE_PER_CELL {
            let mut s = sample(&mut rng, n, cells * SAMPLE_PER_CELL).into_vec();
            s.sort_unstable();
            s
        } else {
            (0..n).collect()
        };
        let mut rows: Vec<Vec<f32>> = sampled.par_iter().map(|&i| row(i)).collect();
        let centre = centred.then(|| {
            let mut mean = vec![0f32; dim];
            for r in &rows {
                mean.iter_mut().zip(r).for_each(|(m, x)| *m += x);
            }
            mean.iter_mut().for_each(|m| *m /= rows.len() as f32);
            mean
        });
        if let Some(mean) = &centre {
            rows.par_iter_mut().for_each(|r| centre_unit(r, mean));
        }
        let mut centroids = Centroids {
            dim,
            data: sample(&mut rng, rows.len(), cells)
                .into_iter()
                .flat_map(|i| rows[i].clone())
                .collect(),
            centre: None,
        };
        for _ in 0..KMEANS_ROUNDS {
            let nearest: Vec<usize> = rows.par_iter().map(|r| centroids.nearest(r)).collect();
            let mut sums = vec![0f32; cells * dim];
            let mut counts = vec![0usize; cells];
            for (r, &c) in rows.iter().zip(&nearest) {
                counts[c] += 1;
                for (s, v) in sums[c * dim..(c + 1) * dim].iter_mut().zip(r) {
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
        centroids.centre = centre;
        centroids
    }

    /// Spherical k-means on (a seeded sample of) `vectors`, which are unit vectors of `dim` floats.
    pub fn train(vectors: &[f32], dim: usize, cells: usize, seed: u64) -> Centroids {
        Centroids::train_with(vectors.len() / dim.max(1), dim, cells, seed, false, |i| {
            vectors[i * dim..(i + 1) * dim].to_vec()
        })
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

    /// `v` as the cells see it: centred around [`Centroids::centre`] when there is one.
    fn seen<'v>(&self, v: &'v [f32]) -> std::borrow::Cow<'v, [f32]> {
        match &self.centre {
            Some(mean) => {
                let mut c = v.to_vec();
                centre_unit(&mut c, mean);
                std::borrow::Cow::Owned(c)
            }
            None => std::borrow::Cow::Borrowed(v),
        }
    }

    /// The cell a vector belongs to.
    pub fn nearest(&self, v: &[f32]) -> usize {
        let v = self.seen(v);
        (0..self.len())
            .map(|c| (c, dot(self.centroid(c), &v)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |(c, _)| c)
    }

    /// The `probes` cells nearest to `v`, nearest first.
    pub fn probe_order(&self, v: &[f32], probes: usize) -> Vec<usize> {
        let v = self.seen(v);
        let mut scored: Vec<(usize, f32)> = (0..self.len())
            .map(|c| (c, dot(self.centroid(c), &v)))
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

/// `v − mean`, made unit again.
fn centre_unit(v: &mut [f32], mean: &[f32]) {
    v.iter_mut().zip(mean).for_each(|(x, m)| *x -= m);
    normalize(v);
}
