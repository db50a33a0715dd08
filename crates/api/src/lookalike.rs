//! Look-alike photos as the front ends ask for them: the photos most like one photo ("more like
//! this", the photo view's strip), the catalogue's duplicate groups (`argus duplicates`, the app's
//! Duplicates view), read from the catalogue and worked out by `argus-similar`, and what the user
//! decides about a group: stack the copies behind the one they keep (and undo it), or say the photos
//! are not duplicates — and the stacks made so far. No file is ever deleted or moved.

use std::borrow::Borrow;
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
    most_like_in(catalog, photo_id, limit, || LookAlikes::load(catalog))?.ok_or_else(|| {
        Error::Other(format!(
            "photo {photo_id} has no descriptor yet: run `argus analyze` (the descriptor stage)"
        ))
    })
}

/// [`most_like`] over the look-alikes `lookalikes` gives (the app keeps them until the catalogue
/// changes; asked for only when the photo has a descriptor): None before the photo is analysed.
pub fn most_like_in<L: Borrow<LookAlikes>>(
    catalog: &Catalog,
    photo_id: i64,
    limit: usize,
    lookalikes: impl FnOnce() -> Result<L>,
) -> Result<Option<Vec<SimilarPhoto>>> {
    if catalog.photo_descriptor(photo_id)?.is_none() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(limit);
    for (id, similarity) in lookalikes()?.borrow().most_like(photo_id, limit) {
        if let Some(photo) = catalog.photo(id)? {
            out.push(SimilarPhoto { photo, similarity });
        }
    }
    Ok(Some(out))
}

/// The catalogue's duplicate groups (the grid's photos: stacked copies are already behind their
/// kept photo), largest first.
pub fn duplicate_groups(
    catalog: &Catalog,
    options: &DuplicateOptions,
) -> Result<Vec<DuplicateGroup>> {
    duplicate_groups_in(catalog, &LookAlikes::load(catalog)?, options)
}

/// [`duplicate_groups`] over look-alikes already loaded from `catalog`.
pub fn duplicate_groups_in(
    catalog: &Catalog,
    lookalikes: &LookAlikes,
    options: &DuplicateOptions,
) -> Result<Vec<DuplicateGroup>> {
    let photos = catalog.photos(&PhotoFilter::default())?;
    let dismissed: HashSet<(i64, i64)> = catalog.dismissed_duplicates()?;
    Ok(find_duplicates(&photos, lookalikes, &dismissed, options))
}

/// A photo the user kept and the copies stacked behind it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DuplicateStack {
    pub kept: Photo,
    /// By path.
    pub stacked: Vec<Photo>,
}

/// The stacks of duplicates the user made, by the kept photo's id.
pub fn duplicate_stacks(catalog: &Catalog) -> Result<Vec<DuplicateStack>> {
    let mut stacks: Vec<DuplicateStack> = Vec::new();
    for photo in catalog.stacked_duplicates()? {
        let Some(kept) = photo.shot_of else { continue };
        match stacks.last_mut() {
            Some(stack) if stack.kept.id == kept => stack.stacked.push(photo),
            _ => {
                if let Some(kept) = catalog.photo(kept)? {
                    stacks.push(DuplicateStack {
                        kept,
                        stacked: vec![photo],
                    });
                }
            }
        }
    }
    Ok(stacks)
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
