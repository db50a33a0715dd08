//! The index's photo descriptors (`similar:`): every photo is compared (no approximate index), with
//! the rule of [`argus_catalog::descriptor_similarity`] bit for bit (the norms kept, not
//! recomputed), so the index finds exactly what the SQL reference finds.

use std::sync::OnceLock;

use argus_ann::vector::{cosine_from_dots, dot_i8};
use argus_catalog::Catalog;
use argus_core::Result;

/// A photo without a descriptor (see [`Descriptors::row`]).
const NO_ROW: u32 = u32::MAX;

/// The descriptors of the index's photos.
#[derive(Debug, Default)]
pub(crate) struct Descriptors {
    dim: usize,
    /// Row `r` is `vectors[r * dim..(r + 1) * dim]`.
    vectors: Vec<i8>,
    /// Squared norm of each row (as [`argus_ann::vector::Element::dot`] gives it).
    norms: Vec<f32>,
    /// The row of each photo (by number), or [`NO_ROW`].
    row: Vec<u32>,
}

/// The descriptors, once read (an index is read again whenever the catalogue changes, and its
/// descriptors with it).
pub(crate) type LazyDescriptors = OnceLock<Descriptors>;

impl Descriptors {
    pub(crate) fn read(catalog: &Catalog, photo_ids: &[i64]) -> Result<Descriptors> {
        let stored = catalog.descriptors()?;
        let dim = stored.first().map_or(0, |d| d.descriptor.vector.len());
        let mut out = Descriptors {
            dim,
            row: vec![NO_ROW; photo_ids.len()],
            ..Descriptors::default()
        };
        let numbers = crate::numbering::IdMap::new(photo_ids, 0);
        for d in stored.iter().filter(|d| d.descriptor.vector.len() == dim) {
            // A photo catalogued after the index was read is not in it.
            let Some(n) = numbers.get(d.photo_id) else {
                continue;
            };
            out.row[n as usize] = out.norms.len() as u32;
            let v = &d.descriptor.vector;
            out.norms.push(dot_i8(v, v) as f32);
            out.vectors.extend_from_slice(v);
        }
        Ok(out)
    }

    fn vector(&self, row: u32) -> &[i8] {
        let start = row as usize * self.dim;
        &self.vectors[start..start + self.dim]
    }

    /// The similarity of every photo (by number) to photo `n`, NaN for photos without a descriptor
    /// (all NaN when `n` has none).
    pub(crate) fn similarities_to(&self, n: u32) -> Vec<f32> {
        let mut out = vec![f32::NAN; self.row.len()];
        let Some(&anchor) = self.row.get(n as usize).filter(|&&r| r != NO_ROW) else {
            return out;
        };
        let (a, aa) = (self.vector(anchor), self.norms[anchor as usize]);
        for (slot, &row) in out.iter_mut().zip(&self.row) {
            if row != NO_ROW {
                let ab = dot_i8(a, self.vector(row)) as f32;
                *slot = cosine_from_dots(ab, aa, self.norms[row as usize]);
            }
        }
        out
    }

    /// Whether photo `n` has a descriptor.
    pub(crate) fn has(&self, n: u32) -> bool {
        self.row.get(n as usize).is_some_and(|&r| r != NO_ROW)
    }
}
