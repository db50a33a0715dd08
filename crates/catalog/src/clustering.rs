//! What face clustering reads and writes, inside one [`Writer`] transaction: faces with their
//! embeddings, the stored nearest-neighbour index (`face_cells` centroids and `faces.cell`), the
//! user's rejections, assignments, new people, and small catalogue-wide facts (`meta`). The
//! clustering itself (the rule, the index, the neighbourhood queries) lives in the people crate.

use std::collections::HashSet;

use crate::db::params;
use serde::Serialize;

use super::faces::{blob_to_floats, floats_to_blob};
use super::meta::{meta, set_meta};
use super::people::{create_person, face_row, prune_empty_people, PersonFace, TOUCHED};
use super::writer::Writer;
use super::Catalog;
use crate::Result;
use argus_core::vocabulary::SHARPNESS;

/// A face as the clustering sees it.
#[derive(Debug, Clone)]
pub struct ClusterFace {
    pub id: i64,
    pub photo: i64,
    /// L2-normalised.
    pub embedding: Vec<f32>,
    pub person: Option<i64>,
    /// The user put the face in its person.
    pub confirmed: bool,
    /// Detection score.
    pub score: f32,
    /// The face box's short side in pixels of the photo (0 when the photo's size is unknown).
    pub short_side: f32,
    /// The face's cell in the stored index, if it has one.
    pub cell: Option<i64>,
    pub sharpness: Option<f32>,
}

const FACE_SELECT: &str = "SELECT f.id, f.embedding, f.person_id, f.score,
        CASE WHEN f.w * COALESCE(p.width, 0) < f.h * COALESCE(p.height, 0)
            THEN f.w * COALESCE(p.width, 0) ELSE f.h * COALESCE(p.height, 0) END,
        f.cell, s.value,
        f.photo_id, f.confirmed
     FROM faces f JOIN photos p ON p.id = f.photo_id
     LEFT JOIN face_attributes s ON s.face_id = f.id AND s.name = ?1
     WHERE f.embedding IS NOT NULL";

fn cluster_face(r: &crate::db::Row) -> crate::Result<ClusterFace> {
    Ok(ClusterFace {
        id: r.get(0)?,
        embedding: blob_to_floats(&r.get::<Vec<u8>>(1)?),
        person: r.get(2)?,
        score: r.get(3)?,
        short_side: r.get::<Option<f32>>(4)?.unwrap_or(0.0),
        cell: r.get(5)?,
        sharpness: r.get(6)?,
        photo: r.get(7)?,
        confirmed: r.get::<i64>(8)? != 0,
    })
}

impl Writer<'_> {
    /// Every face with an embedding (`pending_only`: those no clustering has seen yet), by id.
    pub fn cluster_faces(&self, pending_only: bool) -> Result<Vec<ClusterFace>> {
        let sql = if pending_only {
            format!("{FACE_SELECT} AND f.clustered = 0 ORDER BY f.id")
        } else {
            format!("{FACE_SELECT} ORDER BY f.id")
        };
        self.tx.query_map(&sql, params![SHARPNESS], cluster_face)
    }

    /// The faces with an embedding in one cell of the stored index.
    pub fn cluster_faces_in_cell(&self, cell: usize) -> Result<Vec<ClusterFace>> {
        self.tx.query_map(
            &format!("{FACE_SELECT} AND f.cell = ?2"),
            params![SHARPNESS, cell as i64],
            cluster_face,
        )
    }

    /// The faces with an embedding in one photo (a photo shows each person once).
    pub fn cluster_faces_in_photo(&self, photo: i64) -> Result<Vec<ClusterFace>> {
        self.tx.query_map(
            &format!("{FACE_SELECT} AND f.photo_id = ?2 ORDER BY f.id"),
            params![SHARPNESS, photo],
            cluster_face,
        )
    }

    /// What the user taught about a person (see [`TaughtFaces`]).
    pub fn taught_faces(&self, person: i64) -> Result<TaughtFaces> {
        taught_faces(&self.tx, person)
    }

    /// The people holding confirmed faces, by id (through the partial index `faces_confirmed`).
    pub fn confirmed_people(&self) -> Result<Vec<i64>> {
        self.tx.query_map(
            "SELECT DISTINCT person_id FROM faces
             WHERE confirmed = 1 AND person_id IS NOT NULL ORDER BY person_id",
            (),
            |r| r.get(0),
        )
    }

    /// Faces with an embedding: all of them, and those not clustered yet.
    pub fn cluster_face_counts(&self) -> Result<(usize, usize)> {
        self.tx.query_row(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE clustered = 0) FROM faces
             WHERE embedding IS NOT NULL",
            (),
            |r| Ok((r.get::<usize>(0)?, r.get::<usize>(1)?)),
        )
    }

    /// Marks every face as seen by the clustering.
    pub fn mark_all_clustered(&self) -> Result<()> {
        self.tx
            .execute("UPDATE faces SET clustered = 1 WHERE clustered = 0", ())?;
        Ok(())
    }

    /// Every (face, person) rejection.
    pub fn rejections(&self) -> Result<HashSet<(i64, i64)>> {
        Ok(self
            .tx
            .query_map("SELECT face_id, person_id FROM face_rejections", (), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .into_iter()
            .collect())
    }

    /// A catalogue-wide fact (see [`Catalog::meta`]), read in this transaction.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta(&self.tx, key)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.tx, key, value)
    }

    /// The stored index's centroids, one row per cell in cell order (empty: no index yet).
    pub fn face_index_centroids(&self) -> Result<Vec<Vec<f32>>> {
        self.tx
            .query_map("SELECT centroid FROM face_cells ORDER BY cell", (), |r| {
                Ok(blob_to_floats(&r.get::<Vec<u8>>(0)?))
            })
    }

    /// Replaces the stored index: its centroids (one row per cell) and every face's cell.
    pub fn store_face_index(&self, centroids: &[&[f32]], cells: &[(i64, usize)]) -> Result<()> {
        self.tx.execute("DELETE FROM face_cells", ())?;
        let insert = self
            .tx
            .prepare("INSERT INTO face_cells (cell, centroid) VALUES (?1, ?2)");
        for (cell, row) in centroids.iter().enumerate() {
            insert.execute(params![cell as i64, floats_to_blob(row.iter().copied())])?;
        }
        self.set_face_cells(cells)
    }

    /// Sets faces' cells in the stored index.
    pub fn set_face_cells(&self, cells: &[(i64, usize)]) -> Result<()> {
        let update = self.tx.prepare("UPDATE faces SET cell = ?2 WHERE id = ?1");
        for (face, cell) in cells {
            update.execute(params![face, *cell as i64])?;
        }
        Ok(())
    }

    /// Puts a face into a person (automatically: not confirmed).
    pub fn assign_face(&self, face: i64, person: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE faces SET person_id = ?2, confirmed = 0 WHERE id = ?1",
            params![face, person],
        )?;
        Ok(())
    }

    /// Takes an automatic face out of its person (a better-matching face of the same photo took its
    /// place); it is left to be placed again.
    pub fn unassign_face(&self, face: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE faces SET person_id = NULL WHERE id = ?1 AND confirmed = 0",
            params![face],
        )?;
        Ok(())
    }

    /// Writes the people a clustering found in memory. `changes` are (face, person) pairs whose
    /// person changed; a negative person id is a new person, created here (the same negative id,
    /// the same new person). Every face in `seen` is marked clustered. Returns how many faces
    /// changed person.
    pub fn write_assignments(&self, changes: &[(i64, Option<i64>)], seen: &[i64]) -> Result<usize> {
        let mut created: std::collections::HashMap<i64, i64> = Default::default();
        let set = self
            .tx
            .prepare("UPDATE faces SET person_id = ?2, confirmed = 0, clustered = 1 WHERE id = ?1");
        for &(face, person) in changes {
            let person = match person {
                Some(p) if p < 0 => Some(match created.get(&p) {
                    Some(&id) => id,
                    None => {
                        let id = create_person(&self.tx)?;
                        created.insert(p, id);
                        id
                    }
                }),
                other => other,
            };
            set.execute(params![face, person])?;
        }
        let mark = self
            .tx
            .prepare("UPDATE faces SET clustered = 1 WHERE id = ?1");
        for face in seen {
            mark.execute(params![face])?;
        }
        Ok(changes.len())
    }

    /// A new, empty, unnamed person.
    pub fn new_person(&self) -> Result<i64> {
        create_person(&self.tx)
    }

    /// The sum of the embeddings of a person's faces (empty when none has one).
    pub fn person_embedding_sum(&self, person: i64) -> Result<Vec<f32>> {
        person_embedding_sum(&self.tx, person)
    }

    /// Dissolves the people nobody has touched (see [`super::people`]): their faces become
    /// unassigned. Returns how many people were dissolved.
    pub fn dissolve_untouched_people(&self) -> Result<usize> {
        let untouched = format!("SELECT id FROM people WHERE NOT {TOUCHED}");
        self.tx.execute(
            &format!(
                "UPDATE faces SET person_id = NULL, confirmed = 0 WHERE person_id IN ({untouched})"
            ),
            (),
        )?;
        self.tx
            .execute(&format!("DELETE FROM people WHERE id IN ({untouched})"), ())
    }

    /// Deletes people left without faces, unless named.
    pub fn prune_empty_people(&self) -> Result<usize> {
        prune_empty_people(&self.tx)
    }

    /// How many people there are.
    pub fn people_count(&self) -> Result<usize> {
        Ok(self
            .tx
            .query_row("SELECT COUNT(*) FROM people", (), |r| r.get::<i64>(0))? as usize)
    }
}

impl Catalog {
    /// The sum of the embeddings of a person's faces (empty when none has one).
    pub fn person_embedding_sum(&self, person: i64) -> Result<Vec<f32>> {
        person_embedding_sum(self.db(), person)
    }

    /// What the user taught about a person (see [`TaughtFaces`]).
    pub fn taught_faces(&self, person: i64) -> Result<TaughtFaces> {
        taught_faces(self.db(), person)
    }

    /// The photos among `photos` holding two or more faces of `person` (the user's own doing: the
    /// clustering never puts one person twice in a photo), with those faces.
    pub fn photos_showing_twice(&self, person: i64, photos: &[i64]) -> Result<Vec<SharedPhoto>> {
        let stmt = self.db().prepare(
            "SELECT f.id, p.path FROM faces f JOIN photos p ON p.id = f.photo_id
             WHERE f.photo_id = ?1 AND f.person_id = ?2 ORDER BY f.id",
        );
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for &photo in photos {
            if !seen.insert(photo) {
                continue;
            }
            let rows: Vec<(i64, String)> =
                stmt.query_map(params![photo, person], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if rows.len() > 1 {
                out.push(SharedPhoto {
                    photo_id: photo,
                    path: self.mounts().local_text(rows[0].1.clone()),
                    faces: rows.into_iter().map(|(id, _)| id).collect(),
                });
            }
        }
        Ok(out)
    }

    /// The person of every face found by `detector_version`, in face id order.
    pub fn face_people(&self, detector_version: &str) -> Result<Vec<Option<i64>>> {
        let stmt = self
            .db()
            .prepare("SELECT person_id FROM faces WHERE model_version = ?1 ORDER BY id");
        let people = stmt.query_map([detector_version], |r| r.get(0))?;
        Ok(people)
    }

    /// Faces in no person, with an embedding, never rejected from `person`, in photos without a
    /// confirmed face of `person`: the candidates a suggestion for `person` is chosen from, each with
    /// its embedding.
    pub fn unassigned_faces_for(&self, person: i64) -> Result<Vec<(PersonFace, Vec<f32>)>> {
        let stmt = self.db().prepare(
            "SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.score, f.confirmed, f.embedding
             FROM faces f JOIN photos p ON p.id = f.photo_id
             WHERE f.person_id IS NULL AND f.embedding IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM face_rejections r
                               WHERE r.face_id = f.id AND r.person_id = ?1)
               AND NOT EXISTS (SELECT 1 FROM faces c
                               WHERE c.photo_id = f.photo_id AND c.person_id = ?1
                                 AND c.confirmed = 1)",
        );
        let faces = stmt.query_map(params![person], |r| {
            Ok((
                face_row(r, self.mounts())?,
                blob_to_floats(&r.get::<Vec<u8>>(9)?),
            ))
        })?;
        Ok(faces)
    }
}

/// What the user taught about a person: the embeddings of the faces they confirmed there and of the
/// faces they rejected from there, each by face id.
#[derive(Debug, Clone, Default)]
pub struct TaughtFaces {
    pub confirmed: Vec<Vec<f32>>,
    pub rejected: Vec<Vec<f32>>,
}

/// A photo showing one person more than once (by the user's decision), with those faces.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SharedPhoto {
    pub photo_id: i64,
    pub path: String,
    pub faces: Vec<i64>,
}

fn taught_faces(conn: &crate::db::Db, person: i64) -> Result<TaughtFaces> {
    let read = |sql: &str| -> Result<Vec<Vec<f32>>> {
        conn.query_map(sql, params![person], |r| {
            Ok(blob_to_floats(&r.get::<Vec<u8>>(0)?))
        })
    };
    Ok(TaughtFaces {
        confirmed: read(
            "SELECT embedding FROM faces
             WHERE person_id = ?1 AND confirmed = 1 AND embedding IS NOT NULL ORDER BY id",
        )?,
        rejected: read(
            "SELECT f.embedding FROM face_rejections r JOIN faces f ON f.id = r.face_id
             WHERE r.person_id = ?1 AND f.embedding IS NOT NULL ORDER BY f.id",
        )?,
    })
}

/// The sum of the embeddings of a person's faces (empty when none has one).
pub(crate) fn person_embedding_sum(conn: &crate::db::Db, person: i64) -> Result<Vec<f32>> {
    let mut sum: Vec<f32> = Vec::new();
    conn.query_each(
        "SELECT embedding FROM faces WHERE person_id = ?1 AND embedding IS NOT NULL",
        params![person],
        |row| {
            let embedding = blob_to_floats(&row.get::<Vec<u8>>(0)?);
            if sum.is_empty() {
                sum = vec![0.0; embedding.len()];
            }
            for (s, e) in sum.iter_mut().zip(&embedding) {
                *s += e;
            }
            Ok(())
        },
    )?;
    Ok(sum)
}
