//! A parsed query → one parameterised SQL condition on a photo (`p`). Values are always bound as
//! parameters, never pasted into the SQL.
//!
//! Face scope: inside an `and`, the terms about a face (attributes, `person:`, `age:`,
//! `emotion:`, and `not` of them) are met by *one* face: `beard and sunglasses` becomes
//! `EXISTS (a face with beard AND sunglasses)`. A face term on its own, under `or`, or inside
//! `any:( … )` is its own `EXISTS`, so `any:(beard) any:(sunglasses)` may be two faces. A negated
//! face term with no positive face term beside it is about the whole photo: `-sunglasses` means no
//! face wears sunglasses.
//!
//! Person scope: when such a group also holds a term about a person (`carrying:`, `wearing:`), the
//! whole group is
//! met by one *person*: a face with the body it heads (`objects.face_id`), or a body whose face is
//! not seen (its face terms are false, as for a face without the attribute). `age:20-30
//! carrying:bag` is one person aged 20–30 carrying a bag; a `carrying:` term alone is about any person
//! of the photo.
//!
//! Every term is true or false, never NULL: a photo with no camera in its EXIF is not taken with
//! an X100V, so `-camera:X100V` finds it (SQL's NULL would drop it from both sides).
//!
//! Keywords are matched by the SQL function `keyword_matches(keyword, term)`, which is
//! [`keyword_matches`] itself (registered on every connection by [`register_keyword_matches`]);
//! `similar:` compares stored descriptors with `photo_similarity(a, b)`, which is
//! [`crate::descriptor_similarity`]. The photos it names are the grid's (readable, not stacked).

use rusqlite::functions::FunctionFlags;

use crate::db::Value;

use super::Catalog;
use crate::Result;
use argus_core::clothing::WEARING_MIN_SCORE;
use argus_core::objects::{object_classes, OBJECT_MIN_SCORE, PERSON};
use argus_core::persons::carried_classes;
use argus_core::probes::ProbeSet;
use argus_query::meaning::{
    has_person_term, is_person_group, is_positive, keyword_matches, near_box, similar_refs,
    year_bounds, SIMILAR_MIN, UNSAFE_THRESHOLD,
};
use argus_query::{person_id_ref, Expr, NumRange, PhotoRef, Sort, TermKind};

/// A condition on `photos p` and its parameters (`?1`, `?2` … in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub sql: String,
    pub params: Vec<Value<'static>>,
}

impl Catalog {
    /// The photos a query finds (None: every photo that reads fine) through SQL alone, in `sort`
    /// order, `limit` of them after `offset`: the reference meaning the in-memory index is tested
    /// against.
    pub fn reference_search(
        &self,
        expr: Option<&Expr>,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<i64>> {
        sort.check(expr)?;
        let mut c = Compiler { params: Vec::new() };
        let condition = match expr {
            Some(e) => c.visible(e),
            None => "p.status = 'ok' AND p.shot_of IS NULL".into(),
        };
        let order = match sort {
            Sort::Taken => "p.taken_at IS NULL, p.taken_at DESC, p.id DESC".to_string(),
            Sort::Added => "p.added_at DESC, p.id DESC".to_string(),
            Sort::Faces => {
                "(SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) DESC, p.id".to_string()
            }
            Sort::Name => "p.file_name, p.id".to_string(),
            Sort::Similar => {
                let refs = expr.map(similar_refs).unwrap_or_default();
                // NULL (no descriptor, or nothing to compare with) sorts below every number.
                format!("{} DESC NULLS LAST, p.id", c.highest_similarity(&refs))
            }
        };
        let condition = Condition {
            sql: condition,
            params: c.params,
        };
        let sql = format!(
            "SELECT p.id FROM photos p WHERE {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            condition.sql
        );
        let stmt = self.db().prepare(&sql);
        let ids = stmt.query_map(crate::db::params_from_iter(condition.params), |r| r.get(0))?;
        Ok(ids)
    }
}

/// Registers `keyword_matches(keyword, term)`: the rule of `keyword:` (false when either is NULL).
pub(crate) fn register_keyword_matches(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "keyword_matches",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let keyword = ctx.get_raw(0).as_str_or_null()?;
            let term = ctx.get_raw(1).as_str_or_null()?;
            Ok(keyword
                .zip(term)
                .is_some_and(|(keyword, term)| keyword_matches(keyword, term)))
        },
    )
}

/// Compiles a query into a condition on `photos p`.
pub fn compile(expr: &Expr) -> Condition {
    let mut c = Compiler { params: Vec::new() };
    let sql = c.visible(expr);
    Condition {
        sql,
        params: c.params,
    }
}

struct Compiler {
    params: Vec<Value<'static>>,
}

impl Compiler {
    fn bind(&mut self, v: impl Into<Value<'static>>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    /// The grid's photos (readable, not stacked) that `expr` finds.
    fn visible(&mut self, expr: &Expr) -> String {
        let sql = self.photo(expr, true);
        format!("(p.status = 'ok' AND p.shot_of IS NULL AND {sql})")
    }

    /// The photos `to` names (`q`), among the grid's.
    fn named_photos(&mut self, to: &PhotoRef) -> String {
        let which = match to {
            PhotoRef::Id(id) => format!("q.id = {}", self.bind(*id)),
            PhotoRef::Path(tail) => {
                // The whole path, or its end after a `/` (compared exactly, as bytes).
                let t = self.bind(tail.clone());
                format!(
                    "(q.path = {t} OR substr(q.path, length(q.path) - length({t})) = '/' || {t})"
                )
            }
        };
        format!("q.status = 'ok' AND q.shot_of IS NULL AND {which}")
    }

    /// The highest similarity of photo `p` to another photo one of `refs` names (NULL if none, or
    /// `p` has no descriptor).
    fn highest_similarity(&mut self, refs: &[&PhotoRef]) -> String {
        if refs.is_empty() {
            return "NULL".to_string();
        }
        let named = join(refs.iter().map(|r| self.named_photos(r)), "OR");
        format!(
            "(SELECT MAX(photo_similarity(d.vector, a.vector)) FROM photo_descriptors d, \
             photo_descriptors a JOIN photos q ON q.id = a.photo_id \
             WHERE d.photo_id = p.id AND q.id <> p.id AND ({named}))"
        )
    }

    /// A condition on the photo. `group_faces`: face terms under one `and` share a face.
    fn photo(&mut self, e: &Expr, group_faces: bool) -> String {
        match e {
            Expr::Term(t) if t.kind.is_face_level() => {
                let inner = self.face_term(&t.kind);
                exists_face(&inner)
            }
            Expr::Term(t) if t.kind.is_person_level() => self.person_term(&t.kind, None),
            Expr::Term(t) => self.photo_term(&t.kind),
            Expr::Not(x) => format!("NOT ({})", self.photo(x, group_faces)),
            Expr::Or(v) => join(v.iter().map(|x| self.photo(x, group_faces)), "OR"),
            Expr::AnyFace(x) => self.photo(x, false),
            Expr::And(v) => {
                let (faces, rest): (Vec<&Expr>, Vec<&Expr>) =
                    v.iter().partition(|x| group_faces && is_person_group(x));
                let mut parts = Vec::new();
                let positive = faces.iter().any(|x| is_positive(x));
                if positive && faces.iter().any(|x| has_person_term(x)) {
                    parts.push(self.exists_person(&faces));
                } else if positive {
                    let inner = join(faces.iter().map(|x| self.face(x)), "AND");
                    parts.push(exists_face(&inner));
                } else {
                    parts.extend(faces.iter().map(|x| self.photo(x, group_faces)));
                }
                parts.extend(rest.iter().map(|x| self.photo(x, group_faces)));
                join(parts.into_iter(), "AND")
            }
        }
    }

    /// One person meets every part of `group`: a face `f` with the body `b` it heads (if any), or a
    /// body `b` whose face is not seen (with `f` all NULL).
    fn exists_person(&mut self, group: &[&Expr]) -> String {
        let with_face = join(group.iter().map(|x| self.person(x)), "AND");
        let without_face = join(group.iter().map(|x| self.person(x)), "AND");
        let person = self.bind(PERSON.to_string());
        let min = self.bind(f64::from(OBJECT_MIN_SCORE));
        format!(
            "(EXISTS (SELECT 1 FROM faces f LEFT JOIN objects b ON b.face_id = f.id \
             WHERE f.photo_id = p.id AND ({with_face})) \
             OR EXISTS (SELECT 1 FROM objects b LEFT JOIN faces f ON FALSE WHERE b.photo_id = p.id \
             AND b.class = {person} AND b.score >= {min} AND b.face_id IS NULL AND ({without_face})))"
        )
    }

    /// A condition on one person: face `f` and body `b`, either NULL (only for person groups).
    fn person(&mut self, e: &Expr) -> String {
        match e {
            Expr::Term(t) if t.kind.is_person_level() => self.person_term(&t.kind, Some("b.id")),
            Expr::Term(t) => self.face_term(&t.kind),
            Expr::Not(x) => format!("NOT ({})", self.person(x)),
            Expr::And(v) => join(v.iter().map(|x| self.person(x)), "AND"),
            Expr::Or(v) => join(v.iter().map(|x| self.person(x)), "OR"),
            Expr::AnyFace(x) => self.person(x),
        }
    }

    /// A person term: about the body `body` names, or (None) any person of the photo.
    fn person_term(&mut self, kind: &TermKind, body: Option<&str>) -> String {
        match kind {
            TermKind::Carrying { name } => {
                let classes: Vec<String> = carried_classes(name)
                    .into_iter()
                    .map(|c| self.bind(c.to_string()))
                    .collect();
                if classes.is_empty() {
                    return "FALSE".to_string();
                }
                let carrier = match body {
                    Some(body) => format!("c.carrier_id = {body}"),
                    None => "c.photo_id = p.id AND c.carrier_id IS NOT NULL".to_string(),
                };
                format!(
                    "EXISTS (SELECT 1 FROM objects c WHERE {carrier} AND c.class IN ({}))",
                    classes.join(", ")
                )
            }
            TermKind::Wearing { name } => {
                let (n, min) = (
                    self.bind(name.clone()),
                    self.bind(f64::from(WEARING_MIN_SCORE)),
                );
                let wearer = match body {
                    Some(body) => format!("w.object_id = {body}"),
                    None => {
                        let (person, counts) = (
                            self.bind(PERSON.to_string()),
                            self.bind(f64::from(OBJECT_MIN_SCORE)),
                        );
                        format!(
                            "w.object_id IN (SELECT id FROM objects WHERE photo_id = p.id \
                             AND class = {person} AND score >= {counts})"
                        )
                    }
                };
                format!(
                    "EXISTS (SELECT 1 FROM object_wearing w WHERE {wearer} \
                     AND w.name = {n} AND w.score >= {min})"
                )
            }
            other => unreachable!("not a person term: {other:?}"),
        }
    }

    /// A condition on one face `f` (only for face-only subtrees).
    fn face(&mut self, e: &Expr) -> String {
        match e {
            Expr::Term(t) => self.face_term(&t.kind),
            Expr::Not(x) => format!("NOT ({})", self.face(x)),
            Expr::And(v) => join(v.iter().map(|x| self.face(x)), "AND"),
            Expr::Or(v) => join(v.iter().map(|x| self.face(x)), "OR"),
            Expr::AnyFace(x) => self.face(x),
        }
    }

    fn face_term(&mut self, kind: &TermKind) -> String {
        match kind {
            TermKind::Attribute {
                name,
                above,
                threshold,
            } => {
                let t = threshold.unwrap_or_else(|| ProbeSet::builtin().threshold(name));
                let (n, t) = (self.bind(name.clone()), self.bind(t as f64));
                let op = if *above { ">=" } else { "<" };
                format!(
                    "EXISTS (SELECT 1 FROM face_attributes a WHERE a.face_id = f.id \
                     AND a.name = {n} AND a.value {op} {t})"
                )
            }
            TermKind::Person { name } if person_id_ref(name).is_some() => {
                let id = self.bind(person_id_ref(name).expect("checked"));
                format!("COALESCE(f.person_id = {id}, FALSE)")
            }
            TermKind::Person { name } => {
                let n = self.bind(name.clone());
                // COALESCE: a face with no person is "not Ana", not unknown (two-valued logic).
                format!(
                    "COALESCE(f.person_id IN (SELECT id FROM people WHERE name = {n} COLLATE NOCASE), FALSE)"
                )
            }
            TermKind::Age { range } => {
                let cond = self.range("a.value", range);
                format!(
                    "EXISTS (SELECT 1 FROM face_attributes a WHERE a.face_id = f.id \
                     AND a.name = 'age' AND {cond})"
                )
            }
            TermKind::Emotion { name } => {
                let n = self.bind(format!("emotion.{name}"));
                // The face's strongest emotion is this one.
                format!(
                    "EXISTS (SELECT 1 FROM face_attributes a WHERE a.face_id = f.id AND a.name = {n} \
                     AND a.value >= (SELECT MAX(b.value) FROM face_attributes b \
                     WHERE b.face_id = f.id AND b.name LIKE 'emotion.%'))"
                )
            }
            other => unreachable!("not a face term: {other:?}"),
        }
    }

    fn photo_term(&mut self, kind: &TermKind) -> String {
        match kind {
            TermKind::Word { text } => {
                let exact = self.bind(text.to_lowercase());
                let like = self.bind(contains(text));
                let keyword = self.has_keyword(text);
                format!(
                    "(EXISTS (SELECT 1 FROM labels l WHERE l.photo_id = p.id AND l.label = {exact}) \
                     OR EXISTS (SELECT 1 FROM faces f JOIN people pe ON pe.id = f.person_id \
                        WHERE f.photo_id = p.id AND pe.name = {exact} COLLATE NOCASE) \
                     OR {keyword} \
                     OR EXISTS (SELECT 1 FROM photo_text t WHERE t.photo_id = p.id \
                        AND t.text LIKE {like} ESCAPE '\\') \
                     OR COALESCE(p.title LIKE {like} ESCAPE '\\', FALSE) \
                     OR COALESCE(p.caption LIKE {like} ESCAPE '\\', FALSE) \
                     OR p.file_name LIKE {like} ESCAPE '\\')"
                )
            }
            TermKind::Keyword { path } => self.has_keyword(path),
            TermKind::Rating { range } => {
                // A photo without a rating is not rated 4, rather than unknown (two-valued logic).
                format!(
                    "(p.rating IS NOT NULL AND {})",
                    self.range("p.rating", range)
                )
            }
            TermKind::Title { text } => {
                let like = self.bind(contains(text));
                format!("COALESCE(p.title LIKE {like} ESCAPE '\\', FALSE)")
            }
            TermKind::Caption { text } => {
                let like = self.bind(contains(text));
                format!("COALESCE(p.caption LIKE {like} ESCAPE '\\', FALSE)")
            }
            TermKind::Label { name } => {
                let n = self.bind(name.clone());
                format!(
                    "EXISTS (SELECT 1 FROM labels l WHERE l.photo_id = p.id \
                     AND l.kind = 'label' AND l.label = {n})"
                )
            }
            TermKind::Object { name } => {
                let classes: Vec<String> = object_classes(name)
                    .into_iter()
                    .map(|c| self.bind(c.to_string()))
                    .collect();
                if classes.is_empty() {
                    return "FALSE".to_string();
                }
                let min = self.bind(f64::from(OBJECT_MIN_SCORE));
                format!(
                    "EXISTS (SELECT 1 FROM objects o WHERE o.photo_id = p.id \
                     AND o.class IN ({}) AND o.score >= {min})",
                    classes.join(", ")
                )
            }
            TermKind::Persons { range } => {
                let person = self.bind(PERSON.to_string());
                let min = self.bind(f64::from(OBJECT_MIN_SCORE));
                let count = format!(
                    "(SELECT COUNT(*) FROM objects o WHERE o.photo_id = p.id \
                     AND o.class = {person} AND o.score >= {min})"
                );
                self.range(&count, range)
            }
            TermKind::Camera { name } => {
                // The model, the make, or both as EXIF writes them (`FUJIFILM X100V`).
                let n = self.bind(name.clone());
                format!(
                    "COALESCE(p.camera_model = {n} COLLATE NOCASE OR p.camera_make = {n} COLLATE NOCASE \
                     OR (p.camera_make || ' ' || p.camera_model) = {n} COLLATE NOCASE, FALSE)"
                )
            }
            TermKind::Lens { name } => {
                let n = self.bind(name.clone());
                format!("COALESCE(p.lens = {n} COLLATE NOCASE, FALSE)")
            }
            TermKind::Text { text } => {
                let like = self.bind(contains(text));
                format!(
                    "EXISTS (SELECT 1 FROM photo_text t WHERE t.photo_id = p.id \
                     AND t.text LIKE {like} ESCAPE '\\')"
                )
            }
            TermKind::Path { text } => {
                let like = self.bind(contains(text));
                format!("p.path LIKE {like} ESCAPE '\\'")
            }
            TermKind::Format { name } => {
                let n = self.bind(name.clone());
                format!("COALESCE(p.format = {n}, FALSE)")
            }
            TermKind::Year { range } => self.years(range),
            TermKind::Date { from, until } => {
                let mut parts = vec!["p.taken_at IS NOT NULL".to_string()];
                if let Some(from) = from {
                    parts.push(format!("p.taken_at >= {}", self.bind(from.clone())));
                }
                if let Some(until) = until {
                    parts.push(format!("p.taken_at < {}", self.bind(until.clone())));
                }
                join(parts.into_iter(), "AND")
            }
            TermKind::Faces { range } => self.range(
                "(SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id)",
                range,
            ),
            TermKind::Unsafe { unsafe_ } => {
                let t = self.bind(UNSAFE_THRESHOLD);
                let exists = format!(
                    "EXISTS (SELECT 1 FROM photo_attributes u WHERE u.photo_id = p.id \
                     AND u.name = 'unsafe' AND u.value >= {t})"
                );
                if *unsafe_ {
                    exists
                } else {
                    format!("NOT {exists}")
                }
            }
            TermKind::Near {
                lat,
                lon,
                radius_km,
            } => {
                // A box around the point (uses plain comparisons), then the great-circle distance.
                let (dlat, dlon) = near_box(*lat, *radius_km);
                let (la, lo) = (self.bind(*lat), self.bind(*lon));
                let (south, north) = (self.bind(lat - dlat), self.bind(lat + dlat));
                let (west, east) = (self.bind(lon - dlon), self.bind(lon + dlon));
                let r = self.bind(*radius_km);
                format!(
                    "COALESCE(p.gps_lat BETWEEN {south} AND {north} \
                     AND p.gps_lon BETWEEN {west} AND {east} \
                     AND distance_km(p.gps_lat, p.gps_lon, {la}, {lo}) <= {r}, FALSE)"
                )
            }
            TermKind::Similar { to } => {
                let highest = self.highest_similarity(&[to]);
                let min = self.bind(f64::from(SIMILAR_MIN));
                format!("COALESCE({highest} >= {min}, FALSE)")
            }
            other => unreachable!("a face term: {other:?}"),
        }
    }

    /// The photo has a keyword `term` matches.
    fn has_keyword(&mut self, term: &str) -> String {
        let term = self.bind(term.to_string());
        format!(
            "EXISTS (SELECT 1 FROM photo_keywords k WHERE k.photo_id = p.id \
             AND keyword_matches(k.keyword, {term}))"
        )
    }

    /// `year:` as a range of `taken_at` (so the index on it is used).
    fn years(&mut self, range: &NumRange) -> String {
        let (from, until) = year_bounds(range);
        let mut parts = vec!["p.taken_at IS NOT NULL".to_string()];
        if let Some(from) = from {
            parts.push(format!("p.taken_at >= {}", self.bind(from)));
        }
        if let Some(until) = until {
            parts.push(format!("p.taken_at < {}", self.bind(until)));
        }
        join(parts.into_iter(), "AND")
    }

    fn range(&mut self, column: &str, range: &NumRange) -> String {
        let mut parts = Vec::new();
        if let Some(min) = range.min {
            let op = if range.min_inclusive { ">=" } else { ">" };
            parts.push(format!("{column} {op} {}", self.bind(min)));
        }
        if let Some(max) = range.max {
            let op = if range.max_inclusive { "<=" } else { "<" };
            parts.push(format!("{column} {op} {}", self.bind(max)));
        }
        join(parts.into_iter(), "AND")
    }
}

fn exists_face(inner: &str) -> String {
    format!("EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id AND ({inner}))")
}

fn join(parts: impl Iterator<Item = String>, op: &str) -> String {
    let parts: Vec<String> = parts.collect();
    match parts.len() {
        0 => "TRUE".into(),
        1 => parts.into_iter().next().expect("one part"),
        _ => format!("({})", parts.join(&format!(" {op} "))),
    }
}

/// A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
fn contains(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use crate::fixture::{catalogue, ids, persons_catalogue};

    #[test]
    fn and_is_one_face_and_any_is_any_faces() {
        let (_dir, c) = catalogue();
        assert_eq!(ids(&c, "beard and sunglasses"), [1]);
        assert_eq!(ids(&c, "beard sunglasses"), [1]);
        assert_eq!(ids(&c, "any:(beard) any:(sunglasses)"), [1, 2]);
        assert_eq!(ids(&c, "beard or sunglasses"), [1, 2, 4]);
        assert_eq!(ids(&c, "(beard or hat) and sunglasses"), [1]);
    }

    #[test]
    fn negation_is_about_the_face_beside_it_or_else_the_photo() {
        let (_dir, c) = catalogue();
        // No face wears sunglasses.
        assert_eq!(ids(&c, "-sunglasses"), [3, 4]);
        // A bearded face without sunglasses (photo 2's bearded face counts).
        assert_eq!(ids(&c, "beard -sunglasses"), [2, 4]);
        // Ana without sunglasses.
        assert_eq!(ids(&c, r#"person:"ana" -sunglasses"#), [4]);
        assert_eq!(ids(&c, "sunglasses<0.5 beard"), [2, 4]);
    }

    #[test]
    fn photo_fields() {
        let (_dir, c) = catalogue();
        assert_eq!(ids(&c, "year:2024"), [1, 2]);
        assert_eq!(ids(&c, "year:>2023"), [1, 2]);
        assert_eq!(ids(&c, "date:2024-05..2024-06"), [1]);
        assert_eq!(ids(&c, "faces:0"), [3]);
        assert_eq!(ids(&c, "faces:>=2"), [2]);
        assert_eq!(ids(&c, "label:cat|dog"), [4]);
        assert_eq!(ids(&c, "cat"), [4]);
        assert_eq!(ids(&c, "ana"), [1, 4]);
        assert_eq!(ids(&c, "p3"), [3]);
        assert_eq!(ids(&c, "near:52.37,4.89,2km"), [4]);
        assert!(ids(&c, "near:48.85,2.35,50km").is_empty());
        assert_eq!(ids(&c, "beard year:2023"), [4]);
        assert_eq!(ids(&c, "camera:x100v"), [1]);
        assert_eq!(ids(&c, r#"camera:"Fujifilm X100VI""#), [2]);
        assert_eq!(ids(&c, "camera:fujifilm"), [1, 2]);
    }

    #[test]
    fn objects_by_class_or_group_and_bodies_counted_from_the_threshold() {
        let (_dir, c) = catalogue();
        assert_eq!(ids(&c, "object:bag"), [1]);
        assert_eq!(ids(&c, "object:handbag"), [1]);
        assert!(ids(&c, "object:backpack").is_empty(), "0.2 does not count");
        assert_eq!(ids(&c, "-object:bag"), [2, 3, 4]);
        assert_eq!(ids(&c, "object:tie|cat"), [2, 4]);
        assert_eq!(ids(&c, "object:Animal"), [4]);
        assert_eq!(ids(&c, "persons:2"), [2]);
        assert_eq!(ids(&c, "persons:0"), [3, 4]);
        assert_eq!(ids(&c, "persons:>=1 beard"), [1, 2]);
    }

    #[test]
    fn a_group_with_a_person_term_is_met_by_one_person() {
        let (_dir, c) = persons_catalogue();
        // The 25-year-old beside Ben's handbag is not a 25-year-old carrying a bag.
        assert_eq!(ids(&c, "age:20-30 carrying:bag"), [2]);
        assert_eq!(ids(&c, "age:>50 carrying:bag"), [1]);
        assert_eq!(ids(&c, r#"person:"Ben" carrying:handbag"#), [1]);
        assert!(ids(&c, r#"person:"Ana" carrying:bag"#).is_empty());
        assert_eq!(ids(&c, "beard carrying:backpack"), [2]);
        // A body seen from behind is a person too; its face terms are false.
        assert_eq!(ids(&c, "carrying:bag"), [1, 2, 3]);
        assert_eq!(ids(&c, "carrying:bag -beard"), [1, 3]);
        assert_eq!(ids(&c, "age:20-30 -carrying:bag"), [1, 3, 4]);
        // On the floor is not carried; object: is about the photo, any: and or about anyone.
        assert_eq!(ids(&c, "-carrying:bag"), [4]);
        assert_eq!(ids(&c, "object:bag age:20-30"), [1, 2, 3, 4]);
        assert_eq!(ids(&c, "any:(age:20-30) carrying:bag"), [1, 2, 3]);
        assert_eq!(ids(&c, "age:20-30 or carrying:bag"), [1, 2, 3, 4]);
        assert_eq!(ids(&c, "persons:2 carrying:bag"), [1]);
        // Clothing is about the person too, from its threshold.
        assert_eq!(ids(&c, "wearing:suit"), [1]);
        assert!(ids(&c, "wearing:suit age:20-30").is_empty());
        assert_eq!(ids(&c, "wearing:suit age:>50 carrying:handbag"), [1]);
        assert!(ids(&c, "wearing:tie").is_empty());
        assert_eq!(ids(&c, "wearing:coat carrying:bag"), [3]);
        assert_eq!(ids(&c, "wearing:jeans beard"), [2]);
        assert_eq!(ids(&c, "-wearing:suit"), [2, 3, 4]);
    }

    #[test]
    fn xmp_keywords_ratings_titles_and_captions() {
        let (_dir, c) = catalogue();
        // A path's first levels, or one level anywhere; any case.
        assert_eq!(ids(&c, "keyword:places"), [1, 2]);
        assert_eq!(ids(&c, r#"tag:"Places/Beach""#), [1]);
        assert_eq!(ids(&c, "tag:places/beach/north"), [1]);
        assert!(ids(&c, "tag:Beach/North").is_empty());
        assert_eq!(ids(&c, "keyword:BEACH"), [1, 3]);
        assert_eq!(ids(&c, "-keyword:beach"), [2, 4]);
        assert_eq!(ids(&c, "tag:holiday|city"), [1, 2]);
        // Bare words match keywords, titles and captions too.
        assert_eq!(ids(&c, "beach"), [1, 3]);
        assert_eq!(ids(&c, "north"), [1]);
        assert_eq!(ids(&c, "dinner"), [3]);
        assert_eq!(ids(&c, "title:BEACH"), [1]);
        assert_eq!(ids(&c, r#"caption:"the city""#), [2]);
        assert_eq!(ids(&c, "-caption:dinner"), [1, 2, 4]);
        // Ratings: unrated photos match no rating term, and every negation finds them.
        assert_eq!(ids(&c, "rating:5"), [1]);
        assert_eq!(ids(&c, "rating:>=2"), [1, 3]);
        assert_eq!(ids(&c, "rating:<3"), [3]);
        assert_eq!(ids(&c, "rating:rejected"), [2]);
        assert_eq!(ids(&c, "rating:-1..2"), [2, 3]);
        assert_eq!(ids(&c, "-rating:>=2"), [2, 4]);
        assert_eq!(ids(&c, "-rating:>=-1"), [4]);
    }

    #[test]
    fn injection_attempts_are_plain_values() {
        let (_dir, c) = catalogue();
        for query in [
            r#"person:"x' OR '1'='1""#,
            r#"label:"cat'); DROP TABLE photos; --""#,
            r#"camera:"%' OR 1=1 --""#,
            r#"path:"_""#,
            r#""%""#,
            r#"text:"\\""#,
        ] {
            assert!(ids(&c, query).is_empty(), "{query}");
        }
        // Every field and a bare word: either the value is refused by the parser, or it is a
        // plain value that matches nothing.
        let payloads = crate::fixture::INJECTION_PAYLOADS;
        for field in argus_query::FIELDS.iter().filter(|f| **f != "any") {
            for payload in payloads {
                let query = format!("{field}:\"{}\"", payload.replace('"', "\\\""));
                if argus_query::parse(&query).is_ok() {
                    assert!(ids(&c, &query).is_empty(), "{query}");
                }
            }
        }
        assert_eq!(ids(&c, "faces:>=0").len(), 4, "photos are all still there");
    }
}
