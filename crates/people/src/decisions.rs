//! The user putting faces into a person (accepted suggestions, "this is …" in a photo), and what
//! the CLI and the app tell them afterwards: the photos that now show that person twice. The
//! clustering never does that; the user may (a mirror, a photo of a photo), so it is kept but said.

use serde::Serialize;

use argus_catalog::{Catalog, SharedPhoto};
use argus_core::Result;

/// Where the faces went, and the photos now showing that person more than once.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assigned {
    pub person: i64,
    pub shown_twice: Vec<SharedPhoto>,
    /// One sentence per photo of `shown_twice`, for the front end to show.
    pub notes: Vec<String>,
}

/// Confirms `faces` as `person`'s.
pub fn confirm(catalog: &mut Catalog, person: i64, faces: &[i64]) -> Result<Assigned> {
    catalog.confirm_faces(person, faces)?;
    assigned(catalog, person, faces)
}

/// Puts `faces` into the person called `name` (created when nobody is).
pub fn assign_to_name(catalog: &mut Catalog, faces: &[i64], name: &str) -> Result<Assigned> {
    let person = catalog.assign_faces_to_name(faces, name)?;
    assigned(catalog, person, faces)
}

fn assigned(catalog: &Catalog, person: i64, faces: &[i64]) -> Result<Assigned> {
    let mut photos = Vec::new();
    for &face in faces {
        if let Some((photo, _)) = catalog.face_box(face)? {
            photos.push(photo);
        }
    }
    let shown_twice = catalog.photos_showing_twice(person, &photos)?;
    let who = catalog
        .person(person)?
        .and_then(|p| p.name)
        .unwrap_or_else(|| format!("person {person}"));
    Ok(Assigned {
        person,
        notes: notes(&shown_twice, &who),
        shown_twice,
    })
}

/// One sentence for each photo showing the person twice.
fn notes(shown_twice: &[SharedPhoto], who: &str) -> Vec<String> {
    shown_twice
        .iter()
        .map(|p| {
            let faces: Vec<String> = p.faces.iter().map(|f| f.to_string()).collect();
            format!(
                "{} now shows {who} {} times (faces {}): kept as you decided, though clustering never puts one person twice in a photo",
                p.path,
                p.faces.len(),
                faces.join(", ")
            )
        })
        .collect()
}
