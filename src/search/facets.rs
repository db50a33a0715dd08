//! Facet counts for a query: for each value of person, label, attribute, camera, lens, year,
//! emotion, age band and format, how many photos the query would find if refined by it — so the app
//! can show "sunglasses (124)" beside each checkbox. Each value carries the term that refines the
//! query (`refine`), and its count is exactly the count of `query and refine` (face values share
//! the face the query's face terms are about; see [`super::compile::compile_with_face`]).

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;

use super::compile::{compile, compile_with_face, Condition};
use super::query::{Expr, ATTRIBUTES};
use crate::probes::model::ProbeSet;
use crate::Result;

/// One value of a facet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    /// The query text that adds this value (`label:cat`, `person:"Ana"`, `age:>=20 age:<30`).
    pub refine: String,
}

/// Counts per facet, each sorted by count (then value).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    pub person: Vec<FacetValue>,
    pub label: Vec<FacetValue>,
    pub attribute: Vec<FacetValue>,
    pub emotion: Vec<FacetValue>,
    pub age: Vec<FacetValue>,
    pub camera: Vec<FacetValue>,
    pub lens: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub format: Vec<FacetValue>,
}

/// Age bands (lower bound inclusive, upper exclusive).
pub const AGE_BANDS: &[(u32, Option<u32>)] = &[
    (0, Some(13)),
    (13, Some(20)),
    (20, Some(30)),
    (30, Some(40)),
    (40, Some(50)),
    (50, Some(60)),
    (60, None),
];

/// Counts every facet for `query` (None: the whole catalogue).
pub fn facets(conn: &Connection, query: Option<&Expr>) -> Result<Facets> {
    let everything = || Condition {
        sql: "p.status = 'ok'".into(),
        params: Vec::new(),
    };
    let photo = query.map_or_else(everything, compile);
    let face = query.map_or_else(everything, compile_with_face);
    let quoted = |v: &str| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = Facets {
        person: counts(
            conn,
            &face,
            "SELECT pe.name, COUNT(DISTINCT p.id) FROM photos p JOIN faces f ON f.photo_id = p.id
             JOIN people pe ON pe.id = f.person_id
             WHERE pe.name IS NOT NULL AND pe.hidden = 0 AND ({cond}) GROUP BY pe.id",
            |v| format!("person:{}", quoted(v)),
        )?,
        label: counts(
            conn,
            &photo,
            "SELECT l.label, COUNT(*) FROM photos p JOIN labels l ON l.photo_id = p.id
             WHERE l.kind = 'label' AND ({cond}) GROUP BY l.label",
            |v| format!("label:{}", quoted(v)),
        )?,
        attribute: attribute_counts(conn, &face)?,
        emotion: counts(
            conn,
            &face,
            "SELECT substr(a.name, 9), COUNT(DISTINCT p.id) FROM photos p
             JOIN faces f ON f.photo_id = p.id JOIN face_attributes a ON a.face_id = f.id
             WHERE a.name LIKE 'emotion.%' AND a.value >= (SELECT MAX(b.value) FROM face_attributes b
                 WHERE b.face_id = f.id AND b.name LIKE 'emotion.%')
             AND ({cond}) GROUP BY a.name",
            |v| format!("emotion:{v}"),
        )?,
        age: age_counts(conn, &face)?,
        camera: counts(
            conn,
            &photo,
            "SELECT p.camera_model, COUNT(*) FROM photos p
             WHERE p.camera_model IS NOT NULL AND ({cond}) GROUP BY p.camera_model",
            |v| format!("camera:{}", quoted(v)),
        )?,
        lens: counts(
            conn,
            &photo,
            "SELECT p.lens, COUNT(*) FROM photos p WHERE p.lens IS NOT NULL AND ({cond})
             GROUP BY p.lens",
            |v| format!("lens:{}", quoted(v)),
        )?,
        year: counts(
            conn,
            &photo,
            "SELECT substr(p.taken_at, 1, 4), COUNT(*) FROM photos p
             WHERE p.taken_at IS NOT NULL AND ({cond}) GROUP BY 1",
            |v| format!("year:{v}"),
        )?,
        format: counts(
            conn,
            &photo,
            "SELECT p.format, COUNT(*) FROM photos p WHERE p.format IS NOT NULL AND ({cond})
             GROUP BY p.format",
            |v| format!("format:{v}"),
        )?,
    };
    out.year.sort_by(|a, b| b.value.cmp(&a.value));
    Ok(out)
}

/// Runs a `value, count` query with the condition in place of `{cond}`.
fn counts(
    conn: &Connection,
    condition: &Condition,
    sql: &str,
    refine: impl Fn(&str) -> String,
) -> Result<Vec<FacetValue>> {
    let sql = sql.replace("{cond}", &condition.sql);
    let mut stmt = conn.prepare(&sql)?;
    let mut values: Vec<FacetValue> = stmt
        .query_map(params_from_iter(condition.params.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .map(|r| {
            r.map(|(value, count)| FacetValue {
                refine: refine(&value),
                value,
                count: count as u64,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(values)
}

/// Attributes at or above their calibrated thresholds.
fn attribute_counts(conn: &Connection, face: &Condition) -> Result<Vec<FacetValue>> {
    // Thresholds as a table of bound values after the query's own parameters.
    let mut params = face.params.clone();
    let mut rows = Vec::new();
    for name in ATTRIBUTES {
        params.push(Value::Text(name.to_string()));
        params.push(Value::Real(ProbeSet::builtin().threshold(name) as f64));
        rows.push(format!("(?{}, ?{})", params.len() - 1, params.len()));
    }
    let condition = Condition {
        sql: face.sql.clone(),
        params,
    };
    let sql = format!(
        "WITH thresholds(name, threshold) AS (VALUES {})
         SELECT a.name, COUNT(DISTINCT p.id) FROM photos p JOIN faces f ON f.photo_id = p.id
         JOIN face_attributes a ON a.face_id = f.id JOIN thresholds t ON t.name = a.name
         WHERE a.value >= t.threshold AND ({{cond}}) GROUP BY a.name",
        rows.join(", ")
    );
    counts(conn, &condition, &sql, |v| v.to_string())
}

/// Age bands of faces.
fn age_counts(conn: &Connection, face: &Condition) -> Result<Vec<FacetValue>> {
    // Each band: its label, the SQL that picks it, and the query text that refines by it.
    let bands: Vec<(String, String, String)> = AGE_BANDS
        .iter()
        .map(|(lo, hi)| match hi {
            Some(hi) => (
                format!("{lo}-{}", hi - 1),
                format!("a.value >= {lo} AND a.value < {hi}"),
                format!("age:>={lo} age:<{hi}"),
            ),
            None => (
                format!("{lo}+"),
                format!("a.value >= {lo}"),
                format!("age:>={lo}"),
            ),
        })
        .collect();
    let cases: Vec<String> = bands
        .iter()
        .map(|(label, when, _)| format!("WHEN {when} THEN '{label}'"))
        .collect();
    let sql = format!(
        "SELECT CASE {} END AS band, COUNT(DISTINCT p.id) FROM photos p
         JOIN faces f ON f.photo_id = p.id JOIN face_attributes a ON a.face_id = f.id
         WHERE a.name = 'age' AND a.value >= 0 AND ({{cond}}) GROUP BY band",
        cases.join(" ")
    );
    let position = |v: &str| bands.iter().position(|b| b.0 == v).expect("a band");
    let mut values = counts(conn, face, &sql, |v| bands[position(v)].2.clone())?;
    values.sort_by_key(|v| position(&v.value));
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{catalogue, ids_of};
    use crate::search::parse;

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
    fn assert_counts_match(c: &crate::catalog::Catalog, q: &str) {
        let query = parse(q).unwrap();
        let f = facets(c.conn(), Some(&query)).unwrap();
        let all = [
            &f.person,
            &f.label,
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
        ] {
            assert_counts_match(&c, q);
        }
        let f = facets(c.conn(), Some(&parse("sunglasses").unwrap())).unwrap();
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
    fn counts_equal_refined_queries_on_generated_catalogues() {
        use rand::{Rng, SeedableRng};
        let terms = [
            "beard",
            "sunglasses",
            "smile",
            "-hat",
            "person:Ana",
            "person:Ben|Cy",
            "label:cat",
            "dog",
            "year:2020..2022",
            "camera:X100V",
            "age:20-40",
            "emotion:happy",
            "faces:>=2",
            "any:(beard)",
            "any:(smile -eyeglasses)",
            "(beard or mustache)",
            "-person:Di",
            "sunglasses>0.3",
            "format:png",
        ];
        for seed in 0..3 {
            let (_dir, c) = crate::search::fixture::generated(60, seed);
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed + 100);
            for _ in 0..12 {
                let n = rng.random_range(1..4);
                let picked: Vec<&str> = (0..n)
                    .map(|_| terms[rng.random_range(0..terms.len())])
                    .collect();
                let joiner = if rng.random::<f32>() < 0.25 {
                    " or "
                } else {
                    " "
                };
                let q = picked.join(joiner);
                assert_counts_match(&c, &q);
            }
        }
    }
}
