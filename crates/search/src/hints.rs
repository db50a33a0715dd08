//! Why a query found nothing, in words a person can act on: each term that finds nothing on its own
//! is named, with the closest value the catalogue does have when one is near ("'sunglases' finds
//! nothing — did you mean sunglasses?", "no person is called 'Anna' — did you mean Ana?"); when every
//! term finds photos but not together, that is said instead. Only asked for when a search found no
//! photo, so it costs nothing otherwise.

use super::error::did_you_mean;
use super::index::SearchIndex;
use super::query::{Expr, Term, TermKind, ATTRIBUTES, EMOTIONS};
use argus_core::objects::OBJECT_MIN_SCORE;
use argus_query::rating::rating_facet_value;

/// Notes on a query that found no photo (empty when there is nothing useful to say).
pub(crate) fn empty_result_notes(index: &SearchIndex, query: &str, expr: &Expr) -> Vec<String> {
    let mut terms = Vec::new();
    positive_terms(expr, &mut terms);
    let mut notes: Vec<String> = terms
        .iter()
        .filter(|t| index.photos(&Expr::Term((**t).clone())).is_empty())
        .map(|t| note(index, query, t))
        .collect();
    if notes.is_empty() && terms.len() > 1 {
        notes.push("each term finds photos on its own, but no photo has them all".into());
    }
    notes
}

/// The terms that must hold for a photo to be found (not those under `not`).
fn positive_terms<'e>(expr: &'e Expr, out: &mut Vec<&'e Term>) {
    match expr {
        Expr::And(children) | Expr::Or(children) => {
            children.iter().for_each(|c| positive_terms(c, out))
        }
        Expr::AnyFace(inner) => positive_terms(inner, out),
        Expr::Not(_) => {}
        Expr::Term(term) => out.push(term),
    }
}

/// What to say about one term that finds nothing.
fn note(index: &SearchIndex, query: &str, term: &Term) -> String {
    let written = query.get(term.span.start..term.span.end).unwrap_or("");
    let (what, suggestion) = match &term.kind {
        TermKind::Word { text } => (
            format!(
                "'{text}' is no attribute, label, person, keyword, title, caption, text or file \
                 name in the catalogue"
            ),
            nearest(text, word_candidates(index)),
        ),
        TermKind::Person { name } => (
            format!("no person is called '{name}'"),
            name_with_word(name, person_names(index))
                .or_else(|| nearest(name, person_names(index))),
        ),
        TermKind::Label { name } => (
            format!("no photo has the label '{name}'"),
            nearest(name, label_names(index)),
        ),
        TermKind::Object { name } => (
            format!("no photo shows a {name} (objects count from a score of {OBJECT_MIN_SCORE})"),
            nearest(
                name,
                index.objects.values.iter().map(String::as_str).collect(),
            ),
        ),
        TermKind::Carrying { name } => (
            format!(
                "nobody carries a {name} (a carried object lies mostly inside the person's box, \
                 above their feet)"
            ),
            nearest(name, index.carried.keys().map(String::as_str).collect()),
        ),
        TermKind::Wearing { name } => (
            format!("nobody is seen wearing {name}"),
            nearest(name, index.worn.keys().map(String::as_str).collect()),
        ),
        TermKind::Keyword { path } => (
            format!("no photo has the keyword '{path}'"),
            nearest(path, index.keywords.spellings().collect()),
        ),
        TermKind::Rating { .. } => (rating_note(index, written), None),
        TermKind::Title { text } => (format!("no title contains '{text}'"), None),
        TermKind::Caption { text } => (format!("no caption contains '{text}'"), None),
        TermKind::Camera { name } => (
            format!("no photo was taken with a camera called '{name}'"),
            nearest(
                name,
                index
                    .cameras
                    .values
                    .iter()
                    .flat_map(|c| [c.make.as_deref(), c.model.as_deref()])
                    .flatten()
                    .collect(),
            ),
        ),
        TermKind::Lens { name } => (
            format!("no photo was taken with a lens called '{name}'"),
            nearest(
                name,
                index.lenses.values.iter().map(String::as_str).collect(),
            ),
        ),
        TermKind::Emotion { name } => (
            format!("no face shows {name} most"),
            nearest(name, EMOTIONS.to_vec()),
        ),
        TermKind::Similar { to } => (index.similar_note(to), None),
        _ => (format!("'{written}' finds no photo"), None),
    };
    match suggestion {
        Some(s) if !s.eq_ignore_ascii_case(written) => format!("{what} — did you mean {s}?"),
        _ => what,
    }
}

/// What to say about a rating term that finds nothing: which ratings photos do have.
fn rating_note(index: &SearchIndex, written: &str) -> String {
    let mut ratings: Vec<i64> = index.ratings.values.clone();
    ratings.sort_unstable_by_key(|r| (*r < 0, -r));
    let names: Vec<String> = ratings
        .into_iter()
        .filter_map(|r| rating_facet_value(r).map(|(name, _)| name))
        .collect();
    match names.as_slice() {
        [] => {
            "no photo has a rating (ratings are read from XMP, in the photo or its sidecar)".into()
        }
        [.., last] if names.len() > 1 => format!(
            "'{written}' finds no photo; the ratings photos have are {} and {last}",
            names[..names.len() - 1].join(", ")
        ),
        [one] => format!("'{written}' finds no photo; the only rating photos have is {one}"),
        _ => unreachable!(),
    }
}

/// The closest candidate, quoted when it has a space.
fn nearest(word: &str, candidates: Vec<&str>) -> Option<String> {
    let lower: Vec<String> = candidates.iter().map(|c| c.to_lowercase()).collect();
    let best = did_you_mean(word, lower.iter().map(String::as_str))?;
    let original = candidates[lower.iter().position(|c| c == best)?];
    Some(if original.contains(' ') {
        format!("\"{original}\"")
    } else {
        original.to_string()
    })
}

/// The one name that has `word` as one of its words (`obama` → "Barack Obama"), quoted.
fn name_with_word(word: &str, names: Vec<&str>) -> Option<String> {
    let mut having = names
        .into_iter()
        .filter(|n| n.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)));
    let name = having.next()?;
    having.next().is_none().then(|| format!("\"{name}\""))
}

/// What a bare word can mean: attributes, labels and classes, people's names, keywords.
fn word_candidates(index: &SearchIndex) -> Vec<&str> {
    let mut words: Vec<&str> = ATTRIBUTES.to_vec();
    words.extend(label_names(index));
    words.extend(person_names(index));
    words.extend(index.keywords.spellings());
    words
}

fn label_names(index: &SearchIndex) -> Vec<&str> {
    index
        .labels
        .values
        .iter()
        .chain(&index.classes.values)
        .map(String::as_str)
        .collect()
}

fn person_names(index: &SearchIndex) -> Vec<&str> {
    index
        .people
        .values()
        .filter(|p| !p.hidden)
        .filter_map(|p| p.name.as_deref())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, parse};

    fn notes(query: &str) -> Vec<String> {
        let (_dir, catalog) = fixture::catalogue();
        let index = fixture::loaded(&catalog);
        empty_result_notes(&index, query, &parse(query).unwrap())
    }

    #[test]
    fn a_similar_term_that_finds_nothing_says_why() {
        assert_eq!(
            notes("similar:99"),
            ["photo 99 is not in the catalogue (or is stacked behind another photo)"]
        );
        assert_eq!(
            notes("similar:1"),
            ["photo 1 has not been analysed for look-alikes yet: run `argus analyze`"]
        );
        // A generated photo far from its look-alike group's centre has no look-alike.
        let (_dir, c) = fixture::generated(200, 4);
        let index = fixture::loaded(&c);
        let lonely = (1..=200)
            .map(|id| format!("similar:{id}"))
            .find(|q| {
                let expr = parse(q).unwrap();
                index.photos(&expr).is_empty()
                    && c.photo_descriptor(q[8..].parse().unwrap())
                        .unwrap()
                        .is_some()
            })
            .expect("a photo without look-alikes");
        let said = empty_result_notes(&index, &lonely, &parse(&lonely).unwrap());
        assert!(said[0].starts_with("no photo looks like photo"), "{said:?}");
    }

    #[test]
    fn a_term_that_finds_nothing_is_named_with_the_nearest_known_value() {
        assert_eq!(
            notes("sunglases"),
            ["'sunglases' is no attribute, label, person, keyword, title, caption, text or file name \
              in the catalogue — did you mean sunglasses?"]
        );
        assert_eq!(
            notes("person:Anna"),
            ["no person is called 'Anna' — did you mean Ana?"]
        );
        assert_eq!(
            notes("label:cta beard"),
            ["no photo has the label 'cta' — did you mean cat?"]
        );
        assert_eq!(
            notes("camera:Zork"),
            ["no photo was taken with a camera called 'Zork'"]
        );
        // Negated terms are not what made the result empty.
        assert_eq!(notes("year:1990 -hat"), ["'year:1990' finds no photo"]);
    }

    #[test]
    fn keyword_rating_and_text_notes() {
        assert_eq!(
            notes("keyword:holliday"),
            ["no photo has the keyword 'holliday' — did you mean Holiday?"]
        );
        assert_eq!(
            notes("tag:places/beech"),
            ["no photo has the keyword 'places/beech' — did you mean Places/Beach?"]
        );
        assert_eq!(
            notes("rating:3"),
            ["'rating:3' finds no photo; the ratings photos have are 5, 2 and rejected"]
        );
        assert_eq!(notes("title:zzz"), ["no title contains 'zzz'"]);
        assert_eq!(notes("caption:zzz"), ["no caption contains 'zzz'"]);
        assert_eq!(
            notes("holliday"),
            ["'holliday' is no attribute, label, person, keyword, title, caption, text or file name \
              in the catalogue — did you mean Holiday?"]
        );
    }

    #[test]
    fn terms_that_each_find_photos_but_not_together_are_said_to() {
        // Photo 2 has a bearded face and a face in sunglasses, photo 4 has the cat.
        assert_eq!(
            notes("label:cat sunglasses"),
            ["each term finds photos on its own, but no photo has them all"]
        );
    }
}
