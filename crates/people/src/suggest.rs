//! Suggestions for the user to confirm: for a person, unassigned faces that likely show them; for an
//! unnamed person, the named people it most resembles. Both compare against a person's centroid (the
//! normalised mean of their face embeddings), which is steadier than any single face, and against
//! the prototypes of the faces the user confirmed (see [`crate::taught`]), so that a person's other
//! looks are offered too. A face is never suggested for a person already confirmed in its photo.

use serde::Serialize;

use super::taught::Taught;
use argus_ann::dot;
use argus_catalog::{Catalog, Person, PersonFace};
use argus_core::Result;

/// A face is suggested for a person from this cosine similarity to the person's centroid (measured on
/// labelled photos: see README.md, "People").
pub const FACE_SIMILARITY: f32 = 0.45;
/// A named person is suggested for another from this centroid-to-centroid similarity.
pub const PERSON_SIMILARITY: f32 = 0.55;

/// A suggested face with its similarity to the person's centroid.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FaceSuggestion {
    #[serde(flatten)]
    pub face: PersonFace,
    pub similarity: f32,
}

/// A suggested named person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonSuggestion {
    pub person: Person,
    pub similarity: f32,
}

/// Unassigned faces (never rejected from `person`, in photos where the user did not confirm
/// `person` already) most like `person`, best first.
pub fn faces_for(catalog: &Catalog, person: i64, limit: usize) -> Result<Vec<FaceSuggestion>> {
    let Some(centroid) = centroid(catalog, person)? else {
        return Ok(Vec::new());
    };
    let taught = taught(catalog, person)?;
    let mut found: Vec<FaceSuggestion> = catalog
        .unassigned_faces_for(person)?
        .into_iter()
        .map(|(face, embedding)| FaceSuggestion {
            face,
            similarity: likeness(&embedding, &centroid, &taught),
        })
        .filter(|s| s.similarity >= FACE_SIMILARITY)
        .collect();
    found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    found.truncate(limit);
    Ok(found)
}

/// Named people (other than `person`) most like `person`, best first.
pub fn people_for(catalog: &Catalog, person: i64, limit: usize) -> Result<Vec<PersonSuggestion>> {
    let Some(mine) = centroid(catalog, person)? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for other in catalog.people(true)? {
        if other.id == person || other.name.is_none() {
            continue;
        }
        if let Some(theirs) = centroid(catalog, other.id)? {
            let similarity = likeness(&mine, &theirs, &taught(catalog, other.id)?);
            if similarity >= PERSON_SIMILARITY {
                found.push(PersonSuggestion {
                    person: other,
                    similarity,
                });
            }
        }
    }
    found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    found.truncate(limit);
    Ok(found)
}

/// How much a unit vector looks like a person: its similarity to their centroid or to the closest
/// prototype of their confirmed faces, whichever is higher.
fn likeness(v: &[f32], centroid: &[f32], taught: &Taught) -> f32 {
    let to_centroid = dot(v, centroid);
    taught
        .best_prototype(v)
        .map_or(to_centroid, |p| p.max(to_centroid))
}

/// What the user taught about a person (suggestions use its prototypes).
fn taught(catalog: &Catalog, person: i64) -> Result<Taught> {
    Ok(Taught::from_catalogue(&catalog.taught_faces(person)?))
}

/// The normalised mean embedding of a person's faces.
pub fn centroid(catalog: &Catalog, person: i64) -> Result<Option<Vec<f32>>> {
    let sum = catalog.person_embedding_sum(person)?;
    if sum.is_empty() {
        return Ok(None);
    }
    let norm = dot(&sum, &sum).sqrt().max(1e-12);
    Ok(Some(sum.into_iter().map(|x| x / norm).collect()))
}
