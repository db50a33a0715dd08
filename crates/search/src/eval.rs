//! A parsed query evaluated on the [`SearchIndex`]: the set of photos it finds, with the same
//! meaning as the SQL [`super::compile`] gives it (face and person scope, two-valued terms). The two are held
//! equal by a property test on generated catalogues; the SQL is the reference, this is the fast path.

use roaring::RoaringBitmap;

use super::index::{SearchIndex, NO_FACE};
use super::query::{person_id_ref, Expr, NumRange, TermKind, EMOTIONS};
use argus_catalog::great_circle_km;
use argus_core::objects::object_classes;
use argus_core::persons::carried_classes;
use argus_core::probes::ProbeSet;
use argus_query::meaning::{
    has_person_term, is_person_group, is_positive, near_box, rating_matches, year_bounds,
};

impl SearchIndex {
    /// The photos `expr` finds.
    pub fn photos(&self, expr: &Expr) -> RoaringBitmap {
        self.photo_set(expr, true)
    }

    /// The persons the query's top-level face and person terms are about, on photos that meet the
    /// rest of it, in order: what the face and carried-object facets count over. A facet value
    /// refines the query by one more face or person term, which joins the query's top-level face
    /// and person terms on one person, exactly as [`super::compile`] groups `query and term` (a
    /// face-only group means the same on persons as on faces: a person without a face fails its
    /// positive face terms). `found` is what the whole query finds.
    pub(crate) fn facet_persons(
        &self,
        expr: Option<&Expr>,
        found: &RoaringBitmap,
    ) -> RoaringBitmap {
        let Some(expr) = expr else {
            return self.all_persons();
        };
        let children: Vec<&Expr> = match expr {
            Expr::And(v) => v.iter().collect(),
            other => vec![other],
        };
        let (group, rest): (Vec<&Expr>, Vec<&Expr>) =
            children.into_iter().partition(|x| is_person_group(x));
        if group.is_empty() {
            // Every person of the photos found.
            return self.persons_on(found);
        }
        let photos = rest
            .iter()
            .fold(self.all_photos(), |a, x| a & self.photo_set(x, true));
        let persons = group
            .iter()
            .fold(self.all_persons(), |a, x| a & self.person_set(x));
        if photos.len() as usize == self.photo_ids.len() {
            persons
        } else {
            persons & self.persons_on(&photos)
        }
    }

    /// The faces of a set of persons, in order.
    pub(crate) fn faces_of_persons(&self, persons: &RoaringBitmap) -> Vec<u32> {
        persons
            .iter()
            .map(|p| self.person_face[p as usize])
            .filter(|&f| f != NO_FACE)
            .collect()
    }

    /// Every person on a set of photos.
    fn persons_on(&self, photos: &RoaringBitmap) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for p in photos {
            let start = self.person_photo.partition_point(|&q| q < p) as u32;
            let end = self.person_photo.partition_point(|&q| q <= p) as u32;
            if start < end {
                out.insert_range(start..end);
            }
        }
        out
    }

    /// The photos of a set of persons.
    pub(crate) fn photos_of_persons(&self, persons: &RoaringBitmap) -> RoaringBitmap {
        photos_of_numbers(persons, &self.person_photo)
    }

    /// The persons of a set of faces.
    fn persons_of_faces(&self, faces: &RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap::from_sorted_iter(faces.iter().map(|f| self.face_person[f as usize]))
            .expect("persons are numbered in face order")
    }

    /// The persons meeting a face-and-person subtree (a person without a face fails every face
    /// term, so meets its negation).
    fn person_set(&self, e: &Expr) -> RoaringBitmap {
        match e {
            Expr::Term(t) if t.kind.is_person_level() => self.person_term(&t.kind),
            Expr::Term(t) => self.persons_of_faces(&self.face_term(&t.kind)),
            Expr::Not(x) => self.all_persons() - self.person_set(x),
            Expr::And(v) => v
                .iter()
                .fold(self.all_persons(), |a, x| a & self.person_set(x)),
            Expr::Or(v) => v
                .iter()
                .fold(RoaringBitmap::new(), |a, x| a | self.person_set(x)),
            Expr::AnyFace(x) => self.person_set(x),
        }
    }

    fn person_term(&self, kind: &TermKind) -> RoaringBitmap {
        match kind {
            TermKind::Carrying { name } => carried_classes(name)
                .into_iter()
                .filter_map(|c| self.carried.get(c))
                .fold(RoaringBitmap::new(), |a, b| a | b),
            TermKind::Wearing { name } => self.worn.get(name).cloned().unwrap_or_default(),
            other => unreachable!("not a person term: {other:?}"),
        }
    }

    /// The photos of a set of faces.
    pub(crate) fn photos_of(&self, faces: &RoaringBitmap) -> RoaringBitmap {
        photos_of_numbers(faces, &self.face_photo)
    }

    fn photo_set(&self, e: &Expr, group_faces: bool) -> RoaringBitmap {
        match e {
            Expr::Term(t) if t.kind.is_face_level() => self.photos_of(&self.face_term(&t.kind)),
            Expr::Term(t) if t.kind.is_person_level() => {
                self.photos_of_persons(&self.person_term(&t.kind))
            }
            Expr::Term(t) => self.photo_term(&t.kind),
            Expr::Not(x) => self.all_photos() - self.photo_set(x, group_faces),
            Expr::Or(v) => v
                .iter()
                .map(|x| self.photo_set(x, group_faces))
                .fold(RoaringBitmap::new(), |a, b| a | b),
            Expr::AnyFace(x) => self.photo_set(x, false),
            Expr::And(v) => {
                let (faces, rest): (Vec<&Expr>, Vec<&Expr>) =
                    v.iter().partition(|x| group_faces && is_person_group(x));
                let mut set = self.all_photos();
                let positive = faces.iter().any(|x| is_positive(x));
                if positive && faces.iter().any(|x| has_person_term(x)) {
                    let one_person = faces
                        .iter()
                        .fold(self.all_persons(), |a, x| a & self.person_set(x));
                    set &= self.photos_of_persons(&one_person);
                } else if positive {
                    let mut one_face = self.all_faces();
                    for x in &faces {
                        one_face &= self.face_set(x);
                    }
                    set &= self.photos_of(&one_face);
                } else {
                    for x in &faces {
                        set &= self.photo_set(x, group_faces);
                    }
                }
                for x in rest {
                    set &= self.photo_set(x, group_faces);
                }
                set
            }
        }
    }

    /// The faces meeting a face-only subtree.
    fn face_set(&self, e: &Expr) -> RoaringBitmap {
        match e {
            Expr::Term(t) => self.face_term(&t.kind),
            Expr::Not(x) => self.all_faces() - self.face_set(x),
            Expr::And(v) => v.iter().fold(self.all_faces(), |a, x| a & self.face_set(x)),
            Expr::Or(v) => v
                .iter()
                .fold(RoaringBitmap::new(), |a, x| a | self.face_set(x)),
            Expr::AnyFace(x) => self.face_set(x),
        }
    }

    /// Faces whose `column` value passes `keep` (faces without the value never do).
    fn faces_where(&self, column: &str, keep: impl Fn(f64) -> bool) -> RoaringBitmap {
        let Some(values) = self.attributes.get(column) else {
            return RoaringBitmap::new();
        };
        let numbers = values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan() && keep(f64::from(**v)))
            .map(|(n, _)| n as u32);
        RoaringBitmap::from_sorted_iter(numbers).expect("ascending")
    }

    fn face_term(&self, kind: &TermKind) -> RoaringBitmap {
        match kind {
            TermKind::Attribute {
                name,
                above,
                threshold,
            } => {
                let t = f64::from(threshold.unwrap_or_else(|| ProbeSet::builtin().threshold(name)));
                if *above {
                    self.faces_where(name, |v| v >= t)
                } else {
                    self.faces_where(name, |v| v < t)
                }
            }
            TermKind::Person { name } => self.faces_of_people_named(name),
            TermKind::Age { range } => self.faces_where("age", |v| in_range(v, range)),
            TermKind::Emotion { name } => {
                let Some(bit) = EMOTIONS.iter().position(|e| e == name) else {
                    return RoaringBitmap::new();
                };
                let numbers = self
                    .strongest_emotions
                    .iter()
                    .enumerate()
                    .filter(|(_, bits)| *bits & (1 << bit) != 0)
                    .map(|(n, _)| n as u32);
                RoaringBitmap::from_sorted_iter(numbers).expect("ascending")
            }
            other => unreachable!("a photo term: {other:?}"),
        }
    }

    /// Faces of people with this name (case-insensitive as SQLite's NOCASE: ASCII only), or of the
    /// person with the id `#12` names.
    fn faces_of_people_named(&self, name: &str) -> RoaringBitmap {
        if let Some(id) = person_id_ref(name) {
            return self.person_faces.get(&id).cloned().unwrap_or_default();
        }
        self.people
            .iter()
            .filter(|(_, p)| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .filter_map(|(id, _)| self.person_faces.get(id))
            .fold(RoaringBitmap::new(), |a, b| a | b)
    }

    /// Photos whose number passes `keep`.
    fn photos_where(&self, keep: impl Fn(usize) -> bool) -> RoaringBitmap {
        RoaringBitmap::from_sorted_iter(
            (0..self.photo_ids.len())
                .filter(|&n| keep(n))
                .map(|n| n as u32),
        )
        .expect("ascending")
    }

    fn text_matching(&self, text: &str) -> RoaringBitmap {
        lines_containing(&self.text, text)
    }

    /// Photos with a keyword `term` matches ([`argus_query::meaning::keyword_matches`]).
    fn keyword_matching(&self, term: &str) -> RoaringBitmap {
        self.keywords.photos(term).cloned().unwrap_or_default()
    }

    fn photo_term(&self, kind: &TermKind) -> RoaringBitmap {
        let or_empty = |b: Option<&RoaringBitmap>| b.cloned().unwrap_or_default();
        match kind {
            TermKind::Word { text } => {
                let exact = text.to_lowercase();
                let mut set =
                    or_empty(self.labels.get(&exact)) | or_empty(self.classes.get(&exact));
                set |= self.photos_of(&self.faces_of_people_named(&exact));
                set |= self.keyword_matching(text);
                set |= self.text_matching(text);
                set |= lines_containing(&self.titles, text);
                set |= lines_containing(&self.captions, text);
                set |= self.photos_where(|n| like_contains(&self.file_names[n], text));
                set
            }
            TermKind::Label { name } => or_empty(self.labels.get(name)),
            TermKind::Object { name } => object_classes(name)
                .iter()
                .map(|class| or_empty(self.objects.get(&class.to_string())))
                .fold(RoaringBitmap::new(), |a, b| a | b),
            TermKind::Persons { range } => {
                self.photos_where(|n| in_range(f64::from(self.person_counts[n]), range))
            }
            TermKind::Keyword { path } => self.keyword_matching(path),
            TermKind::Rating { range } => self
                .ratings
                .values
                .iter()
                .zip(&self.ratings.photos)
                .filter(|(rating, _)| rating_matches(range, Some(**rating)))
                .fold(RoaringBitmap::new(), |a, (_, b)| a | b),
            TermKind::Title { text } => lines_containing(&self.titles, text),
            TermKind::Caption { text } => lines_containing(&self.captions, text),
            TermKind::Camera { name } => {
                self.cameras
                    .values
                    .iter()
                    .zip(&self.cameras.photos)
                    .filter(|(c, _)| {
                        let same = |s: &Option<String>| {
                            s.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(name))
                        };
                        let both = c.make.as_deref().zip(c.model.as_deref()).is_some_and(
                            |(make, model)| format!("{make} {model}").eq_ignore_ascii_case(name),
                        );
                        same(&c.model) || same(&c.make) || both
                    })
                    .fold(RoaringBitmap::new(), |a, (_, b)| a | b)
            }
            TermKind::Lens { name } => self
                .lenses
                .values
                .iter()
                .zip(&self.lenses.photos)
                .filter(|(l, _)| l.eq_ignore_ascii_case(name))
                .fold(RoaringBitmap::new(), |a, (_, b)| a | b),
            TermKind::Text { text } => self.text_matching(text),
            TermKind::Path { text } => self.photos_where(|n| like_contains(&self.paths[n], text)),
            TermKind::Similar { to } => self.similar_photos(to),
            TermKind::Format { name } => or_empty(self.formats.get(name)),
            TermKind::Year { range } => {
                let (from, until) = year_bounds(range);
                self.taken_between(from.as_deref(), until.as_deref())
            }
            TermKind::Date { from, until } => self.taken_between(from.as_deref(), until.as_deref()),
            TermKind::Faces { range } => {
                self.photos_where(|n| in_range(f64::from(self.face_counts[n]), range))
            }
            TermKind::Unsafe { unsafe_ } => {
                if *unsafe_ {
                    self.unsafe_photos.clone()
                } else {
                    self.all_photos() - &self.unsafe_photos
                }
            }
            TermKind::Near {
                lat,
                lon,
                radius_km,
            } => {
                // The same box and distance as the SQL, in the same arithmetic.
                let (dlat, dlon) = near_box(*lat, *radius_km);
                self.photos_where(|n| {
                    self.gps[n].is_some_and(|(la, lo)| {
                        la >= lat - dlat
                            && la <= lat + dlat
                            && lo >= lon - dlon
                            && lo <= lon + dlon
                            && great_circle_km(la, lo, *lat, *lon) <= *radius_km
                    })
                })
            }
            other => unreachable!("a face term: {other:?}"),
        }
    }

    /// Dated photos with `from <= taken_at < until` (text comparison, as in SQL): a slice of the
    /// date order (newest first, undated last) found by binary search, not a scan of every date.
    fn taken_between(&self, from: Option<&str>, until: Option<&str>) -> RoaringBitmap {
        let taken = |n: &u32| self.taken_at[*n as usize].as_deref();
        let dated = &self.by_taken[..self.by_taken.partition_point(|n| taken(n).is_some())];
        let at_or_after = |bound: &str| dated.partition_point(|n| taken(n) >= Some(bound));
        let start = until.map_or(0, at_or_after);
        let end = from.map_or(dated.len(), at_or_after);
        let mut found = dated[start..end.max(start)].to_vec();
        found.sort_unstable();
        RoaringBitmap::from_sorted_iter(found).expect("sorted")
    }
}

fn in_range(v: f64, range: &NumRange) -> bool {
    let above = range.min.is_none_or(|min| {
        if range.min_inclusive {
            v >= min
        } else {
            v > min
        }
    });
    let below = range.max.is_none_or(|max| {
        if range.max_inclusive {
            v <= max
        } else {
            v < max
        }
    });
    above && below
}

/// The photos of the (photo, text) rows whose text contains `needle` (as `LIKE '%needle%'`).
fn lines_containing(lines: &[(u32, String)], needle: &str) -> RoaringBitmap {
    lines
        .iter()
        .filter(|(_, line)| like_contains(line, needle))
        .map(|(n, _)| *n)
        .collect()
}

/// Whether `haystack` contains `needle`, ignoring ASCII case — what SQLite's `LIKE '%needle%'`
/// does.
pub(crate) fn like_contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// The photos of a set of faces or persons, given the photo of each (numbered in photo order).
fn photos_of_numbers(set: &RoaringBitmap, photo_of: &[u32]) -> RoaringBitmap {
    let mut out = Vec::new();
    for n in set {
        let p = photo_of[n as usize];
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    RoaringBitmap::from_sorted_iter(out).expect("numbered in photo order")
}

#[cfg(test)]
mod tests {
    use crate::fixture::{catalogue, generated, ids, ids_of, random_queries};
    use crate::{parse, SearchIndex};

    /// The photo ids the index finds.
    fn index_ids(index: &SearchIndex, query: &str) -> Vec<i64> {
        let expr = parse(query).unwrap();
        index
            .photos(&expr)
            .iter()
            .map(|n| index.photo_ids[n as usize])
            .collect()
    }

    #[test]
    fn the_index_finds_what_the_sql_finds_on_the_fixture() {
        let (_dir, c) = catalogue();
        let index = crate::fixture::loaded(&c);
        for q in [
            "beard and sunglasses",
            "any:(beard) any:(sunglasses)",
            "-sunglasses",
            "beard -person:ana",
            "cat",
            "near:52.37,4.89,5km",
            "-near:52.37,4.89,5km",
            "camera:fujifilm",
            "-camera:X100V",
            "year:2024",
            "-year:2024",
            "faces:0",
        ] {
            assert_eq!(index_ids(&index, q), ids(&c, q), "{q}");
        }
        assert_eq!(index_ids(&index, "beard and sunglasses"), [1]);
    }

    /// Person scope: the index finds what the SQL finds on people carrying things (a face with the
    /// body it heads, a body seen from behind, a bag on the floor), and on generated catalogues
    /// where bodies stand under faces and carry things at random.
    #[test]
    fn the_index_binds_person_terms_to_one_person_as_the_sql_does() {
        let (_dir, c) = crate::fixture::persons_catalogue();
        let index = crate::fixture::loaded(&c);
        assert_eq!(index_ids(&index, "age:20-30 carrying:bag"), [2]);
        for q in [
            "age:>50 carrying:bag",
            "person:\"Ben\" carrying:handbag",
            "beard carrying:backpack",
            "carrying:bag",
            "carrying:bag -beard",
            "age:20-30 -carrying:bag",
            "-carrying:bag",
            "object:bag age:20-30",
            "any:(age:20-30) carrying:bag",
            "age:20-30 or carrying:bag",
            "(beard or -age:<50) carrying:bag",
            "wearing:suit",
            "wearing:suit age:20-30",
            "wearing:coat carrying:bag",
            "wearing:jeans beard",
            "-wearing:suit",
            "wearing:tie",
        ] {
            assert_eq!(index_ids(&index, q), ids(&c, q), "{q}");
        }
        let mut carried = 0;
        for seed in 0..3 {
            let (_dir, c) = generated(200, seed);
            let index = crate::fixture::loaded(&c);
            for q in [
                "carrying:bag",
                "carrying:tie|cup",
                "smile carrying:bag",
                "-smile carrying:\"cell phone\"",
                "age:20-40 carrying:bag",
                "carrying:bag -carrying:backpack",
                "-carrying:bag beard",
                "(carrying:handbag or hat) -sunglasses",
                "person:\"Ana Silva\" carrying:bag",
                "wearing:suit",
                "wearing:jeans smile carrying:bag",
                "-wearing:dress age:20-40",
            ] {
                let sql = ids(&c, q);
                carried += usize::from(q == "carrying:bag") * sql.len();
                assert_eq!(index_ids(&index, q), sql, "{q}");
            }
        }
        assert!(carried > 20, "generated people carry bags ({carried})");
    }

    /// `person:#ID` names a person by id (unnamed people have no other name), hidden or not, in
    /// both the SQL and the index.
    #[test]
    fn a_person_by_id_is_every_face_of_that_person() {
        for seed in 0..2 {
            let (_dir, c) = generated(150, seed);
            let index = crate::fixture::loaded(&c);
            let mut people = index.person_faces.keys().copied().collect::<Vec<_>>();
            people.sort_unstable();
            assert!(people.len() >= 3);
            for id in people {
                for q in [format!("person:#{id}"), format!("-person:#{id} smile")] {
                    assert_eq!(index_ids(&index, &q), ids(&c, &q), "{q}");
                }
                assert!(!ids(&c, &format!("person:#{id}")).is_empty());
            }
        }
    }

    /// Keywords, ratings, titles and captions: each term and its negation, alone, find the same
    /// photos in the index as in the SQL, and the positive ones find some.
    #[test]
    fn xmp_terms_agree_with_the_sql_on_generated_catalogues() {
        let (_dir, c) = generated(300, 11);
        let index = crate::fixture::loaded(&c);
        for q in [
            "keyword:places",
            "keyword:Portugal",
            "tag:\"places/portugal\"",
            "tag:PLACES/Portugal/Lisbon",
            "keyword:beach",
            "tag:ana",
            "holiday",
            "ana",
            "rating:5",
            "rating:>=3",
            "rating:<3",
            "rating:rejected",
            "rating:-1..2",
            "title:the",
            "caption:café",
            "beach",
        ] {
            let sql = ids(&c, q);
            assert!(!sql.is_empty(), "{q} finds something");
            assert_eq!(index_ids(&index, q), sql, "{q}");
            let negated = format!("-({q})");
            assert_eq!(index_ids(&index, &negated), ids(&c, &negated), "{negated}");
        }
    }

    /// `similar:` by id and by path, alone, negated and with other terms, finds in the index what
    /// it finds in SQL; a generated photo has a handful of look-alikes, never itself.
    #[test]
    fn similar_terms_agree_with_the_sql_and_find_a_few_look_alikes() {
        let (_dir, c) = generated(200, 4);
        let index = crate::fixture::loaded(&c);
        for q in [
            "similar:3",
            "similar:\"IMG_000004.jpg\"",
            "similar:\"/nonexistent/argus-generated/0/IMG_000004.jpg\"",
            "similar:\"G_000004.jpg\"",
            "similar:3 smile",
            "-similar:3",
            "similar:1|2|3 year:>2020",
            "similar:3 or similar:9",
        ] {
            assert_eq!(index_ids(&index, q), ids(&c, q), "{q}");
        }
        assert!(
            index_ids(&index, "similar:\"G_000004.jpg\"").is_empty(),
            "whole names"
        );
        let mut found = Vec::new();
        for id in 1..=40 {
            let q = format!("similar:{id}");
            let ids = index_ids(&index, &q);
            assert!(!ids.contains(&id), "{q} finds {id} itself");
            found.push(ids.len());
        }
        let mean = found.iter().sum::<usize>() as f64 / found.len() as f64;
        assert!((1.0..30.0).contains(&mean), "{found:?}");
    }

    /// The fast path and the SQL reference agree on random queries over generated catalogues
    /// (NULL cameras, lenses and GPS; unnamed and hidden people; text; unsafe scores).
    #[test]
    fn the_index_finds_what_the_sql_finds_on_generated_catalogues() {
        let mut nonempty = 0;
        for seed in 0..3 {
            let (_dir, c) = generated(150, seed);
            let index = crate::fixture::loaded(&c);
            assert_eq!(index.photo_count(), 150);
            for q in random_queries(seed + 7, 60) {
                let sql = ids_of(&c, &parse(&q).unwrap());
                nonempty += usize::from(!sql.is_empty());
                assert_eq!(index_ids(&index, &q), sql, "{q}");
            }
        }
        assert!(
            nonempty > 90,
            "most queries find something ({nonempty} of 180)"
        );
    }
}
