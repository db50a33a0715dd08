//! What a query means where the SQL compiler (the reference, in the catalogue) and the in-memory
//! index (the fast path, in search) must agree: which terms are about one face or one person, the date bounds of
//! `year:`, the box `near:` checks first, the unsafe threshold, which keywords `keyword:` (and a
//! bare word) matches, which ratings `rating:` matches, how alike `similar:` asks photos to be.

use crate::grammar::{Expr, PhotoRef, TermKind};
use crate::numbers::NumRange;

/// Whether a stored keyword path is matched by a `keyword:` term or a bare word: the term's levels
/// equal the keyword's first levels, or a one-level term equals any level; case-insensitive.
pub use argus_core::metadata::keyword_matches;

/// How alike two photos' image descriptors must be (cosine similarity) for `similar:` to find
/// one from the other. On the Intel scene photos (`argus dev eval-similar`), 74 % of the pairs at
/// least this alike show the same kind of scene (94 % from 0.85); below it, look-alikes thin out
/// into photos that only share colours or layout.
pub const SIMILAR_MIN: f32 = 0.70;

/// The photos the `similar:` terms under `e` name, in query order (also under `not` and `or`):
/// what `--sort similar` ranks by (the highest similarity to any of them).
pub fn similar_refs(e: &Expr) -> Vec<&PhotoRef> {
    match e {
        Expr::Term(t) => match &t.kind {
            TermKind::Similar { to } => vec![to],
            _ => Vec::new(),
        },
        Expr::And(v) | Expr::Or(v) => v.iter().flat_map(similar_refs).collect(),
        Expr::Not(x) | Expr::AnyFace(x) => similar_refs(x),
    }
}

/// Whether every term under `e` is about a face or a person (and there is no `any:` inside): the
/// `and` siblings that share one person.
pub fn is_person_group(e: &Expr) -> bool {
    match e {
        Expr::Term(t) => t.kind.is_face_level() || t.kind.is_person_level(),
        Expr::And(v) | Expr::Or(v) => v.iter().all(is_person_group),
        Expr::Not(x) => is_person_group(x),
        Expr::AnyFace(_) => false,
    }
}

/// Whether a term under `e` is about a person beyond their face (`carrying:`): an `and` group with
/// one is about a person, not only a face.
pub fn has_person_term(e: &Expr) -> bool {
    match e {
        Expr::Term(t) => t.kind.is_person_level(),
        Expr::And(v) | Expr::Or(v) => v.iter().any(has_person_term),
        Expr::Not(x) | Expr::AnyFace(x) => has_person_term(x),
    }
}

/// Whether a face or person subtree asks for something to be there: a term; an `and` with such a
/// part; an `or` whose every branch is one. An `and` group shares one face (or person) only when one
/// of its parts is positive; otherwise each part is about the photo (`-sunglasses`: nobody wears
/// sunglasses; `beard or -hat`: a bearded face, or nobody in a hat — as it means on its own).
pub fn is_positive(e: &Expr) -> bool {
    match e {
        Expr::Term(_) => true,
        Expr::Not(_) => false,
        Expr::And(v) => v.iter().any(is_positive),
        Expr::Or(v) => v.iter().all(is_positive),
        Expr::AnyFace(x) => is_positive(x),
    }
}

/// `year:` as the `taken_at` bounds `[from, until)` the SQL uses.
pub fn year_bounds(range: &NumRange) -> (Option<String>, Option<String>) {
    let from = range.min.map(|min| {
        let first = if range.min_inclusive {
            min.ceil()
        } else {
            min.floor() + 1.0
        };
        format!("{:04}", first as i64)
    });
    let until = range.max.map(|max| {
        let after = if range.max_inclusive {
            max.floor() + 1.0
        } else {
            max.ceil()
        };
        format!("{:04}", after as i64)
    });
    (from, until)
}

/// Half the height and width in degrees of the box around a point that holds a circle of
/// `radius_km` (`near:` checks the box first, then the distance).
pub fn near_box(lat: f64, radius_km: f64) -> (f64, f64) {
    let dlat = radius_km / 111.2;
    let dlon = radius_km / (111.2 * lat.to_radians().cos().abs().max(1e-6));
    (dlat, dlon)
}

/// The unsafe score at which a photo counts as unsafe.
pub const UNSAFE_THRESHOLD: f64 = 0.5;

/// Whether a photo's stored rating is matched by a `rating:` term's range (a photo without a rating
/// never is; the SQL writes `COALESCE(range on p.rating, 0)`).
pub fn rating_matches(range: &NumRange, rating: Option<i64>) -> bool {
    rating.is_some_and(|r| range.contains(r as f64))
}
