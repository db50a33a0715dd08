//! `similar:` on the index: reading the grid's descriptors the first time a query needs them (they
//! are big, 1.3 kB a photo, so a search without `similar:` never reads them; they are kept with the
//! index they belong to), the photos a `similar:` term finds, the order of `--sort similar`, and why
//! a `similar:` term finds nothing.

use roaring::RoaringBitmap;

use super::descriptors::Descriptors;
use super::index::SearchIndex;
use argus_catalog::Catalog;
use argus_core::Result;
use argus_query::meaning::{similar_refs, SIMILAR_MIN};
use argus_query::{Expr, PhotoRef, Sort};

/// Whether a query, sorted so, compares descriptors.
fn needs_descriptors(query: Option<&Expr>, sort: Sort) -> bool {
    sort == Sort::Similar || query.is_some_and(|e| !similar_refs(e).is_empty())
}

impl SearchIndex {
    /// Reads the descriptors a query and its order need, unless they are read already. Call it
    /// before [`SearchIndex::photos`] for a query that may hold a `similar:` term
    /// ([`super::Searcher`] does).
    pub fn read_descriptors_for(
        &self,
        catalog: &Catalog,
        query: Option<&Expr>,
        sort: Sort,
    ) -> Result<()> {
        if needs_descriptors(query, sort) {
            self.read_descriptors(catalog)?;
        }
        Ok(())
    }

    /// Reads the descriptors of the index's photos, unless they are read already.
    pub fn read_descriptors(&self, catalog: &Catalog) -> Result<()> {
        if self.descriptors.get().is_none() {
            let read = Descriptors::read(catalog, &self.photo_ids)?;
            // Another thread may have read them meanwhile: the same rows.
            let _ = self.descriptors.set(read);
        }
        Ok(())
    }

    fn descriptors(&self) -> &Descriptors {
        self.descriptors
            .get()
            .expect("SearchIndex::read_descriptors_for runs before a similar: query")
    }

    /// The photos (by number) `to` names.
    pub(crate) fn named_photos(&self, to: &PhotoRef) -> Vec<u32> {
        match to {
            // Not a binary search: an updated index appends the photos it read again.
            PhotoRef::Id(id) => self
                .photo_ids
                .iter()
                .position(|p| p == id)
                .map(|n| vec![n as u32])
                .unwrap_or_default(),
            PhotoRef::Path(_) => (0..self.photo_ids.len())
                .filter(|&n| to.names(self.photo_ids[n], &self.paths[n]))
                .map(|n| n as u32)
                .collect(),
        }
    }

    /// Per photo (by number), its highest similarity to another photo one of `refs` names (NaN:
    /// none, or no descriptor).
    fn highest_similarity(&self, refs: &[&PhotoRef]) -> Vec<f32> {
        let descriptors = self.descriptors();
        let mut highest = vec![f32::NAN; self.photo_ids.len()];
        let mut named: Vec<u32> = refs.iter().flat_map(|r| self.named_photos(r)).collect();
        named.sort_unstable();
        named.dedup();
        for n in named {
            for (p, s) in descriptors.similarities_to(n).into_iter().enumerate() {
                let higher = highest[p].is_nan() || s > highest[p];
                if p as u32 != n && !s.is_nan() && higher {
                    highest[p] = s;
                }
            }
        }
        highest
    }

    /// The photos a `similar:` term finds.
    pub(crate) fn similar_photos(&self, to: &PhotoRef) -> RoaringBitmap {
        let highest = self.highest_similarity(&[to]);
        (0..highest.len() as u32)
            .filter(|&p| highest[p as usize] >= SIMILAR_MIN)
            .collect()
    }

    /// `found` in `--sort similar` order: most alike first to a photo the query's `similar:`
    /// terms name, photos without a similarity last, ties by id.
    pub(crate) fn by_similarity(&self, query: Option<&Expr>, found: &RoaringBitmap) -> Vec<u32> {
        let refs = query.map(similar_refs).unwrap_or_default();
        let highest = self.highest_similarity(&refs);
        let mut out: Vec<u32> = found.iter().collect();
        out.sort_by(|&a, &b| {
            let (x, y) = (highest[a as usize], highest[b as usize]);
            match (x.is_nan(), y.is_nan()) {
                (false, false) => y.partial_cmp(&x).expect("neither is NaN"),
                (x_none, y_none) => x_none.cmp(&y_none),
            }
            .then(self.photo_ids[a as usize].cmp(&self.photo_ids[b as usize]))
        });
        out
    }

    /// Why a `similar:` term finds nothing: the photo is not in the grid, it has no descriptor
    /// yet, or nothing is alike enough.
    pub(crate) fn similar_note(&self, to: &PhotoRef) -> String {
        let named = self.named_photos(to);
        let which = match to {
            PhotoRef::Id(id) => format!("photo {id}"),
            PhotoRef::Path(path) => format!("'{path}'"),
        };
        let descriptors = self.descriptors();
        if named.is_empty() {
            format!("{which} is not in the catalogue (or is stacked behind another photo)")
        } else if named.iter().all(|&n| !descriptors.has(n)) {
            format!("{which} has not been analysed for look-alikes yet: run `argus analyze`")
        } else {
            format!(
                "no photo looks like {which} (similar: asks for a similarity of {SIMILAR_MIN:.2} \
                 or more; `argus similar` lists the nearest ones however far)"
            )
        }
    }
}
