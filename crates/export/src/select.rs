//! The photos an export covers: those a query finds, those a person is in, or a list of ids.

use std::collections::BTreeSet;

use argus_catalog::Catalog;
use argus_core::{Error, Result};
use argus_search::{search, SearchOptions, Sort};

/// What to export.
#[derive(Debug, Clone)]
pub enum Selection {
    /// A search query (`beard and sunglasses`); empty: every photo.
    Query(String),
    /// Every photo with a face of this person (id).
    Person(i64),
    /// These photo ids.
    Ids(Vec<i64>),
}

/// The photo ids of a selection, in file-name order (ids: as given, without repeats). Unknown ids
/// are an error naming them.
pub fn select(catalog: &Catalog, selection: &Selection) -> Result<Vec<i64>> {
    match selection {
        Selection::Query(query) => {
            let options = SearchOptions {
                sort: Sort::Name,
                limit: usize::MAX,
                ..SearchOptions::default()
            };
            let query = Some(query.as_str()).filter(|q| !q.trim().is_empty());
            Ok(search(catalog, query, &options)?
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect())
        }
        Selection::Person(person) => {
            let photos: BTreeSet<i64> = catalog
                .person_faces(*person)?
                .into_iter()
                .map(|f| f.photo_id)
                .collect();
            Ok(photos.into_iter().collect())
        }
        Selection::Ids(ids) => {
            let mut seen = BTreeSet::new();
            let mut missing = Vec::new();
            let mut out = Vec::new();
            for &id in ids {
                if !seen.insert(id) {
                    continue;
                }
                match catalog.photo(id)? {
                    Some(_) => out.push(id),
                    None => missing.push(id.to_string()),
                }
            }
            if !missing.is_empty() {
                return Err(Error::NoSuchPhoto(format!("id {}", missing.join(", "))));
            }
            Ok(out)
        }
    }
}
