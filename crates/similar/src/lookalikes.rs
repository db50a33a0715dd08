//! [`LookAlikes`]: the stored descriptors of the grid's photos in one `argus-ann` index, 8 bits per
//! component. Built from the catalogue in one read; answers "the photos most like this one" and "the
//! photos at least this alike" (the `similar:` term).

use std::collections::HashMap;

use argus_ann::{Centroids, MemoryIndex, DEFAULT_PROBES};
use argus_catalog::{Catalog, StoredDescriptor};
use argus_core::Result;

/// How many index cells a look-alike query scans: more than for faces, because look-alikes are
/// looser neighbours (measured with `argus dev bench similar`). What duplicates scan with (one query
/// per photo); "more like this" scans [`most_like_probes`] cells.
pub const LOOKALIKE_PROBES: usize = DEFAULT_PROBES * 2;

/// How many cells "more like this" ([`LookAlikes::most_like`]) scans in an index of `photos`:
/// [`LOOKALIKE_PROBES`] up to 100k photos (recall@10 0.959 against an exact scan, 7.6 % of the
/// cells), then a share of the cells that grows with the library to half of them at a million
/// (recall@10 0.959, p95 33 ms on 2 cores): the larger the library, the more cells a photo's
/// nearest neighbours spread over (`argus dev bench similar`, descriptors shaped like real ones).
pub fn most_like_probes(photos: usize) -> usize {
    let cells = Centroids::cells_for(photos);
    if photos <= 100_000 {
        return LOOKALIKE_PROBES.min(cells);
    }
    let share = 0.076 * (photos as f64 / 1e5).powf(0.83);
    ((cells as f64 * share).ceil() as usize).clamp(LOOKALIKE_PROBES, cells)
}
const SEED: u64 = 0x5eed_1001;

/// The descriptors of the grid's photos, indexed.
pub struct LookAlikes {
    index: MemoryIndex<i8>,
    photo_ids: Vec<i64>,
    rows: HashMap<i64, usize>,
    phash: Vec<u64>,
    sharpness: Vec<f32>,
}

impl LookAlikes {
    /// Reads every descriptor of the photos the grid shows.
    pub fn load(catalog: &Catalog) -> Result<LookAlikes> {
        Ok(LookAlikes::from_descriptors(catalog.descriptors()?))
    }

    /// Indexes descriptors (one per photo).
    pub fn from_descriptors(descriptors: Vec<StoredDescriptor>) -> LookAlikes {
        let dim = descriptors
            .first()
            .map_or(1, |d| d.descriptor.vector.len().max(1));
        let descriptors: Vec<StoredDescriptor> = descriptors
            .into_iter()
            .filter(|d| d.descriptor.vector.len() == dim)
            .collect();
        let mut vectors = Vec::with_capacity(descriptors.len() * dim);
        let (mut photo_ids, mut phash, mut sharpness) = (Vec::new(), Vec::new(), Vec::new());
        for d in descriptors {
            vectors.extend_from_slice(&d.descriptor.vector);
            photo_ids.push(d.photo_id);
            phash.push(d.descriptor.phash);
            sharpness.push(d.descriptor.sharpness);
        }
        let rows = photo_ids
            .iter()
            .enumerate()
            .map(|(r, &id)| (id, r))
            .collect();
        LookAlikes {
            index: MemoryIndex::build_centred(vectors, dim, LOOKALIKE_PROBES, SEED),
            photo_ids,
            rows,
            phash,
            sharpness,
        }
    }

    /// How many photos are indexed.
    pub fn len(&self) -> usize {
        self.photo_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.photo_ids.is_empty()
    }

    /// Whether a photo has a descriptor here.
    pub fn contains(&self, photo_id: i64) -> bool {
        self.rows.contains_key(&photo_id)
    }

    /// Every indexed photo, in row order.
    pub fn photo_ids(&self) -> &[i64] {
        &self.photo_ids
    }

    pub fn phash(&self, photo_id: i64) -> Option<u64> {
        self.rows.get(&photo_id).map(|&r| self.phash[r])
    }

    pub fn sharpness(&self, photo_id: i64) -> Option<f32> {
        self.rows.get(&photo_id).map(|&r| self.sharpness[r])
    }

    /// The cosine similarity of two indexed photos.
    pub fn similarity(&self, a: i64, b: i64) -> Option<f32> {
        let (ra, rb) = (*self.rows.get(&a)?, *self.rows.get(&b)?);
        Some(argus_ann::vector::cosine(
            self.index.vector(ra),
            self.index.vector(rb),
        ))
    }

    /// The `limit` photos most like `photo_id` (not itself), most alike first; empty when the photo
    /// has no descriptor.
    pub fn most_like(&self, photo_id: i64, limit: usize) -> Vec<(i64, f32)> {
        let Some(&row) = self.rows.get(&photo_id) else {
            return Vec::new();
        };
        let probes = most_like_probes(self.index.len());
        self.index
            .nearest_probing(self.index.vector(row), limit + 1, probes)
            .into_iter()
            .filter(|&(r, _)| r != row)
            .take(limit)
            .map(|(r, s)| (self.photo_ids[r], s))
            .collect()
    }

    /// Every photo at least `min_similarity` alike to `photo_id` (itself included), by photo id.
    pub fn within(&self, photo_id: i64, min_similarity: f32) -> Vec<(i64, f32)> {
        let Some(&row) = self.rows.get(&photo_id) else {
            return Vec::new();
        };
        let mut found: Vec<(i64, f32)> = self
            .index
            .within(self.index.vector(row), min_similarity)
            .0
            .into_iter()
            .map(|(r, s)| (self.photo_ids[r], s))
            .collect();
        found.sort_by_key(|f| f.0);
        found
    }

    /// Every pair of photos at least `min_similarity` alike, `(lower id, higher id, similarity)`,
    /// each once (a pair found from either side counts), queried in parallel.
    pub(crate) fn all_pairs(&self, min_similarity: f32) -> Vec<(i64, i64, f32)> {
        use rayon::prelude::*;
        let mut pairs: Vec<(i64, i64, f32)> = (0..self.len())
            .into_par_iter()
            .flat_map_iter(|row| {
                let (found, _) = self.index.within(self.index.vector(row), min_similarity);
                found
                    .into_iter()
                    .filter(move |&(other, _)| other != row)
                    .map(move |(other, s)| {
                        let (a, b) = (self.photo_ids[row], self.photo_ids[other]);
                        (a.min(b), a.max(b), s)
                    })
            })
            .collect();
        pairs.sort_by_key(|p| (p.0, p.1));
        pairs.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
        pairs
    }

    /// Bytes the index holds.
    pub fn memory_bytes(&self) -> usize {
        self.index.memory_bytes() + self.photo_ids.len() * 32
    }
}
