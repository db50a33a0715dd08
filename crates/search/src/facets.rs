//! Facet counts for a query: for each value of person, label, keyword, rating, attribute, camera,
//! lens, year, emotion, age band and format, how many photos the query would find if refined by it — so the app
//! can show "sunglasses (124)" beside each checkbox. Each value carries the term that refines the
//! query (`refine`), and its count is exactly the count of `query and refine` (face values share
//! the face the query's face terms are about, and carried objects the person; see
//! [`SearchIndex::facet_persons`]).
//!
//! Counted on the [`SearchIndex`]: a photo value is one bitmap intersection; face values are one
//! ordered pass over the faces the query is about.
//!
//! Keywords are hierarchical (`People/Family/Ana`): the facet has every top level and every longer
//! prefix of a stored path (`People`, `People/Family`, `People/Family/Ana`) as its own value, refined
//! by `keyword:"…"` — so a top level counts the photos with that level anywhere, as `keyword:People`
//! finds them. A parent counts at least as many photos as each child and comes before it, so the
//! [`KEYWORD_FACET_LIMIT`] values kept hold the parents of every child kept (a UI can nest them).
//! Ratings count per value from 5 stars down, then rejected.

use std::collections::HashMap;

use roaring::RoaringBitmap;
use serde::Serialize;

use super::index::{Dictionary, SearchIndex};
use super::query::Expr;
use argus_core::metadata::keyword_levels;
use argus_core::objects::PERSON;
use argus_core::vocabulary::{AGE_BANDS, ATTRIBUTES, EMOTIONS};
use argus_query::rating::{rating_facet_value, REJECTED};

/// The most keyword values a facet lists (those with the most photos; the field's doc says 100).
pub const KEYWORD_FACET_LIMIT: usize = 100;

/// One value of a facet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    /// The query text that adds this value (`label:cat`, `person:"Ana"`, `age:>=20 age:<30`).
    pub refine: String,
}

/// Counts per facet, each sorted by count (then value).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Facets {
    pub person: Vec<FacetValue>,
    pub label: Vec<FacetValue>,
    /// Object classes found with boxes (scoring at least the object threshold), people's bodies
    /// left out (`persons:` counts them).
    pub object: Vec<FacetValue>,
    /// Object classes a person carries (`carrying:`), counted on the persons the query's face and
    /// person terms are about.
    pub carrying: Vec<FacetValue>,
    /// Clothing a person wears (`wearing:`), counted the same way.
    pub wearing: Vec<FacetValue>,
    /// Every top level and longer prefix of the photos' keyword paths (`People`, `People/Family`,
    /// `People/Family/Ana`): the 100 with most photos, a parent before its children.
    pub keyword: Vec<FacetValue>,
    /// `5` … `1`, then `rejected`.
    pub rating: Vec<FacetValue>,
    pub attribute: Vec<FacetValue>,
    pub emotion: Vec<FacetValue>,
    pub age: Vec<FacetValue>,
    pub camera: Vec<FacetValue>,
    pub lens: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub format: Vec<FacetValue>,
}

/// Counts every facet for `query` (None: the whole catalogue), whose photos are `found`.
pub fn facets(index: &SearchIndex, query: Option<&Expr>, found: &RoaringBitmap) -> Facets {
    let persons = index.facet_persons(query, found);
    let (person, attribute, emotion, age) = face_facets(index, &persons);
    let person_facet = |sets: &HashMap<String, RoaringBitmap>, field: &str| {
        sorted(
            sets.iter()
                .map(|(name, holders)| {
                    let count = index.photos_of_persons(&(holders & &persons)).len();
                    value(name, count, format!("{field}:{}", quoted(name)))
                })
                .filter(|v| v.count > 0)
                .collect(),
        )
    };
    let carrying = person_facet(&index.carried, "carrying");
    let wearing = person_facet(&index.worn, "wearing");
    let mut cameras: HashMap<&str, u64> = HashMap::new();
    for (camera, photos) in index.cameras.values.iter().zip(&index.cameras.photos) {
        if let Some(model) = camera.model.as_deref() {
            // A model's photos are those of every (make, model) pair with it; they are disjoint.
            *cameras.entry(model).or_default() += found.intersection_len(photos);
        }
    }
    let mut year = photo_facet(&index.years, found, |v| format!("year:{v}"));
    year.sort_by(|a, b| b.value.cmp(&a.value));
    Facets {
        person,
        label: photo_facet(&index.labels, found, |v| format!("label:{}", quoted(v))),
        object: photo_facet(&index.objects, found, |v| format!("object:{}", quoted(v)))
            .into_iter()
            .filter(|v| v.value != PERSON)
            .collect(),
        carrying,
        wearing,
        keyword: keyword_facet(index, found),
        rating: rating_facet(index, found),
        attribute,
        emotion,
        age,
        camera: sorted(
            cameras
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(v, count)| value(v, count, format!("camera:{}", quoted(v))))
                .collect(),
        ),
        lens: photo_facet(&index.lenses, found, |v| format!("lens:{}", quoted(v))),
        year,
        format: photo_facet(&index.formats, found, |v| format!("format:{v}")),
    }
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

fn value(v: &str, count: u64, refine: String) -> FacetValue {
    FacetValue {
        value: v.to_string(),
        count,
        refine,
    }
}

/// By count, then value.
fn sorted(mut values: Vec<FacetValue>) -> Vec<FacetValue> {
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// Photos found per value of a photo column (values with none left out).
fn photo_facet(
    column: &Dictionary<String>,
    found: &RoaringBitmap,
    refine: impl Fn(&str) -> String,
) -> Vec<FacetValue> {
    sorted(
        column
            .values
            .iter()
            .zip(&column.photos)
            .map(|(v, photos)| (v, found.intersection_len(photos)))
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| value(v, n, refine(v)))
            .collect(),
    )
}

/// The keyword values with photos found: by count, parents before children of the same count.
fn keyword_facet(index: &SearchIndex, found: &RoaringBitmap) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = index
        .keywords
        .facet_values()
        .map(|v| (v, found.intersection_len(&v.photos)))
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| value(&v.spelling, n, format!("keyword:{}", quoted(&v.spelling))))
        .collect();
    values.sort_by_cached_key(|v| {
        (
            std::cmp::Reverse(v.count),
            keyword_levels(&v.value).count(),
            v.value.clone(),
        )
    });
    values.truncate(KEYWORD_FACET_LIMIT);
    values
}

/// The ratings of photos found, from 5 stars down, then rejected.
fn rating_facet(index: &SearchIndex, found: &RoaringBitmap) -> Vec<FacetValue> {
    let mut ratings: Vec<(i64, &RoaringBitmap)> = index
        .ratings
        .values
        .iter()
        .copied()
        .zip(&index.ratings.photos)
        .collect();
    ratings.sort_by_key(|(r, _)| (*r == REJECTED, std::cmp::Reverse(*r)));
    ratings
        .into_iter()
        .filter_map(|(r, photos)| {
            let (v, refine) = rating_facet_value(r)?;
            let n = found.intersection_len(photos);
            (n > 0).then(|| value(&v, n, refine))
        })
        .collect()
}

/// Counts photos per value over a stream of (photo, face) in photo order: a photo counts once
/// per value however many of its faces have it.
#[derive(Clone, Copy)]
struct PhotoCounter {
    count: u64,
    last: u32,
}

impl PhotoCounter {
    const NEW: PhotoCounter = PhotoCounter {
        count: 0,
        last: u32::MAX,
    };

    fn see(&mut self, photo: u32) {
        if self.last != photo {
            self.last = photo;
            self.count += 1;
        }
    }
}

/// Sees `photo` in the counters whose bit is set.
fn see_bits(counters: &mut [PhotoCounter], bits: u32, photo: u32) {
    for (i, counter) in counters.iter_mut().enumerate() {
        if bits & (1 << i) != 0 {
            counter.see(photo);
        }
    }
}

/// The values with a count, by count.
fn named_counts(
    names: &[&str],
    counters: &[PhotoCounter],
    refine: impl Fn(&str) -> String,
) -> Vec<FacetValue> {
    sorted(
        names
            .iter()
            .zip(counters)
            .filter(|(_, c)| c.count > 0)
            .map(|(name, c)| value(name, c.count, refine(name)))
            .collect(),
    )
}

/// Person, attribute, emotion and age-band counts: photos where the face of one of `persons` (the
/// persons the query's face and person terms are about) has the value.
fn face_facets(
    index: &SearchIndex,
    persons: &RoaringBitmap,
) -> (
    Vec<FacetValue>,
    Vec<FacetValue>,
    Vec<FacetValue>,
    Vec<FacetValue>,
) {
    let mut by_person = vec![PhotoCounter::NEW; index.facet_people.len()];
    let mut by_attribute = [PhotoCounter::NEW; ATTRIBUTES.len()];
    let mut by_emotion = [PhotoCounter::NEW; EMOTIONS.len()];
    let mut by_band = [PhotoCounter::NEW; AGE_BANDS.len()];
    for f in index.faces_of_persons(persons) {
        let f = f as usize;
        let photo = index.face_photo[f];
        if let Some(counter) = by_person.get_mut(index.facet_person[f] as usize) {
            counter.see(photo);
        }
        see_bits(&mut by_attribute, index.attribute_bits[f], photo);
        see_bits(&mut by_emotion, index.strongest_emotions[f].into(), photo);
        if let Some(counter) = by_band.get_mut(index.age_band[f] as usize) {
            counter.see(photo);
        }
    }
    let person = sorted(
        index
            .facet_people
            .iter()
            .zip(&by_person)
            .filter(|(_, c)| c.count > 0)
            .filter_map(|(id, c)| {
                let name = index.people[id].name.as_deref()?;
                Some(value(name, c.count, format!("person:{}", quoted(name))))
            })
            .collect(),
    );
    let attribute = named_counts(ATTRIBUTES, &by_attribute, |name| name.to_string());
    let emotion = named_counts(&EMOTIONS, &by_emotion, |e| format!("emotion:{e}"));
    // In band order, not by count.
    let age = AGE_BANDS
        .iter()
        .zip(&by_band)
        .filter(|(_, c)| c.count > 0)
        .map(|((lo, hi), c)| match hi {
            Some(hi) => value(
                &format!("{lo}-{}", hi - 1),
                c.count,
                format!("age:>={lo} age:<{hi}"),
            ),
            None => value(&format!("{lo}+"), c.count, format!("age:>={lo}")),
        })
        .collect();
    (person, attribute, emotion, age)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{catalogue, ids_of};
    use crate::parse;

    /// `query and term`, as a refinement adds it.
    fn refine(query: &Expr, term: &Expr) -> Expr {
        let mut parts: Vec<Expr> = match query {
            Expr::And(v) => v.clone(),
            other => vec![other.clone()],
        };
        match term {
            Expr::And(v) => parts.extend(v.iter().cloned()),
            other => parts.push(other.clone()),
        }
        Expr::And(parts)
    }

    /// Every facet value's count equals what the query refined by it finds.
    fn assert_counts_match(c: &argus_catalog::Catalog, q: &str) {
        let query = parse(q).unwrap();
        let index = crate::fixture::loaded(c);
        let f = facets(&index, Some(&query), &index.photos(&query));
        let all = [
            &f.person,
            &f.label,
            &f.object,
            &f.carrying,
            &f.wearing,
            &f.keyword,
            &f.rating,
            &f.attribute,
            &f.emotion,
            &f.age,
            &f.camera,
            &f.lens,
            &f.year,
            &f.format,
        ];
        for value in all.into_iter().flatten() {
            let refined = refine(&query, &parse(&value.refine).unwrap());
            let n = ids_of(c, &refined).len() as u64;
            assert_eq!(value.count, n, "{q} + {}", value.refine);
        }
    }

    #[test]
    fn every_count_is_the_count_of_the_refined_query() {
        let (_dir, c) = catalogue();
        for q in [
            "beard",
            "sunglasses",
            "-sunglasses",
            "year:2024",
            "cat or beard",
            "any:(beard)",
            "keyword:places",
            "-rating:5",
            "beach",
        ] {
            assert_counts_match(&c, q);
        }
        let index = crate::fixture::loaded(&c);
        let query = parse("sunglasses").unwrap();
        let f = facets(&index, Some(&query), &index.photos(&query));
        // One face wears sunglasses and has a beard (photo 1); photo 2's beard is another face.
        assert_eq!(
            f.attribute
                .iter()
                .find(|v| v.value == "beard")
                .unwrap()
                .count,
            1
        );
        assert_eq!(f.person[0].refine, "person:\"Ana\"");
    }

    #[test]
    fn carried_objects_count_on_the_person_the_query_is_about() {
        let (_dir, c) = crate::fixture::persons_catalogue();
        for q in [
            "age:20-30",
            "beard",
            "-beard",
            "carrying:bag",
            "object:suitcase",
            "wearing:suit",
            "beard or -wearing:coat",
        ] {
            assert_counts_match(&c, q);
        }
        let index = crate::fixture::loaded(&c);
        let count = |q: &str, class: &str| {
            let query = parse(q).unwrap();
            let f = facets(&index, Some(&query), &index.photos(&query));
            f.carrying
                .iter()
                .find(|v| v.value == class)
                .map_or(0, |v| v.count)
        };
        // Ben's handbag is not the 25-year-old's; the suitcase on the floor is nobody's.
        assert_eq!(count("age:20-30", "handbag"), 0);
        assert_eq!(count("age:20-30", "backpack"), 1);
        assert_eq!(count("age:>50", "handbag"), 1);
        assert_eq!(count("object:suitcase", "suitcase"), 1);
    }

    #[test]
    fn keywords_count_top_levels_and_prefixes_and_ratings_go_down_to_rejected() {
        let (_dir, c) = catalogue();
        let index = crate::fixture::loaded(&c);
        let f = facets(&index, None, &index.all_photos());
        let pairs = |values: &[FacetValue]| -> Vec<(String, u64)> {
            values.iter().map(|v| (v.value.clone(), v.count)).collect()
        };
        let expected = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
        };
        // `Beach` is a level of photo 1's path and photo 3's flat keyword: keyword:Beach finds both.
        assert_eq!(
            pairs(&f.keyword),
            expected(&[
                ("Beach", 2),
                ("Places", 2),
                ("Holiday", 1),
                ("Places/Beach", 1),
                ("Places/City", 1),
                ("Places/Beach/North", 1),
            ])
        );
        assert_eq!(f.keyword[3].refine, "keyword:\"Places/Beach\"");
        assert_eq!(
            pairs(&f.rating),
            expected(&[("5", 1), ("2", 1), ("rejected", 1)])
        );
        assert_eq!(f.rating[2].refine, "rating:rejected");
    }

    #[test]
    fn counts_equal_refined_queries_on_generated_catalogues() {
        for seed in 0..3 {
            let (_dir, c) = crate::fixture::generated(80, seed);
            for q in crate::fixture::random_queries(seed + 100, 12) {
                assert_counts_match(&c, &q);
            }
            // Object counts on their own and under an object term (the index and the SQL
            // reference must agree on the threshold and the groups).
            for q in [
                "object:bag",
                "persons:>=1",
                "-object:dog",
                "smile object:tie",
                "carrying:bag",
                "age:20-40 carrying:bag",
                "-carrying:bag",
                "(beard or hat) carrying:bag",
                "any:(carrying:cup) smile",
                "wearing:suit",
                "wearing:jeans age:20-40",
                "smile or -hat",
                "(beard or -hat)",
            ] {
                assert_counts_match(&c, q);
            }
        }
    }
}
