//! Look-alike photos as the front ends ask for them: the photos most like one photo ("more like
//! this", the photo view's strip), the catalogue's duplicate groups (`argus duplicates`, the app's
//! Duplicates view), read from the catalogue and worked out by `argus-similar`, and what the user
//! decides about a group: stack the copies behind the one they keep (and undo it), or say the photos
//! are not duplicates. No file is ever deleted or moved.

use std::collections::HashSet;

use serde::Serialize;

use argus_catalog::{Catalog, Photo, PhotoFilter};
use argus_core::{Error, Result};
use argus_similar::{find_duplicates, DuplicateGroup, DuplicateOptions, LookAlikes};

/// A photo like another one, with how alike (cosine similarity of their descriptors, −1..1).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SimilarPhoto {
    pub photo: Photo,
    pub similarity: f32,
}

/// The `limit` photos most like `photo_id`, most alike first. A photo the `descriptor` stage has not
/// run on is an error that says so.
pub fn most_like(catalog: &Catalog, photo_id: i64, limit: usize) -> Result<Vec<SimilarPhoto>> {
    if catalog.photo_descriptor(photo_id)?.is_none() {
        return Err(Error::Other(format!(
            "photo {photo_id} has no descriptor yet: run `argus analyze` (the descriptor stage)"
        )));
    }
    let lookalikes = LookAlikes::load(catalog)?;
    let mut out = Vec::with_capacity(limit);
    for (id, similarity) in lookalikes.most_like(photo_id, limit) {
        if let Some(photo) = catalog.photo(id)? {
            out.push(SimilarPhoto { photo, similarity });
        }
    }
    Ok(out)
}

/// The catalogue's duplicate groups (the grid's photos: stacked copies are already behind their
/// kept photo), largest first.
pub fn duplicate_groups(
    catalog: &Catalog,
    options: &DuplicateOptions,
) -> Result<Vec<DuplicateGroup>> {
    let photos = catalog.photos(&PhotoFilter::default())?;
    let lookalikes = LookAlikes::load(catalog)?;
    let dismissed: HashSet<(i64, i64)> = catalog.dismissed_duplicates()?;
    Ok(find_duplicates(&photos, &lookalikes, &dismissed, options))
}

/// Stacks `others` behind `keep`: they leave the grid and search, and stay in the catalogue.
/// Returns how many were stacked.
pub fn stack_duplicates(catalog: &mut Catalog, keep: i64, others: &[i64]) -> Result<usize> {
    let tx = catalog.writer()?;
    let n = tx.stack_duplicates(keep, others)?;
    tx.commit()?;
    Ok(n)
}

/// Brings a stacked photo back to the grid (for a kept photo: its whole stack). How many.
pub fn unstack(catalog: &mut Catalog, photo: i64) -> Result<usize> {
    let tx = catalog.writer()?;
    let n = tx.unstack(photo)?;
    tx.commit()?;
    Ok(n)
}

/// Remembers that the photos are not duplicates: no group joins any two of them again.
pub fn dismiss_duplicates(catalog: &mut Catalog, photos: &[i64]) -> Result<usize> {
    let tx = catalog.writer()?;
    let n = tx.dismiss_duplicates(photos)?;
    tx.commit()?;
    Ok(n)
}
