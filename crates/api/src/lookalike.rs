//! Look-alike photos as the front ends ask for them: the photos most like one photo ("more like
//! this", the photo view's strip) and the catalogue's duplicate groups (`argus duplicates`, the
//! app's Duplicates view), read from the catalogue and worked out by `argus-similar`.

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
    let dismissed: HashSet<(i64, i64)> = HashSet::new();
    Ok(find_duplicates(&photos, &lookalikes, &dismissed, options))
}
