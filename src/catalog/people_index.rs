//! The catalogue side of face clustering: loading faces as the clustering sees them, the stored
//! nearest-neighbour index (`face_cells` centroids + `faces.cell`), and [`CatalogStore`], which
//! answers neighbourhood queries from the few cells nearest to a face — so placing a new face reads a
//! small part of a big catalogue.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use super::faces::blob_to_floats;
use super::people::create_person;
use crate::people::ann::{Centroids, DEFAULT_PROBES};
use crate::people::memory::add_to;
use crate::people::placement::{FaceNode, FaceStore, Near};
use crate::people::ClusterParams;
use crate::Result;

/// A face loaded for clustering, with what orders the seeding.
#[derive(Debug, Clone)]
pub struct LoadedFace {
    pub node: FaceNode,
    /// Detection score × short side in pixels: the most reliable faces seed first.
    pub reliability: f32,
    pub cell: Option<i64>,
}

const FACE_SELECT: &str = "SELECT f.id, f.embedding, f.person_id, f.score,
        MIN(f.w * COALESCE(p.width, 0), f.h * COALESCE(p.height, 0)), f.cell, s.value
     FROM faces f JOIN photos p ON p.id = f.photo_id
     LEFT JOIN face_attributes s ON s.face_id = f.id AND s.name = 'sharpness' -- analysis::SHARPNESS
     WHERE f.embedding IS NOT NULL";

fn loaded(r: &rusqlite::Row, params: &ClusterParams) -> rusqlite::Result<LoadedFace> {
    let score: f32 = r.get(3)?;
    let side: f32 = r.get::<_, Option<f32>>(4)?.unwrap_or(0.0);
    Ok(LoadedFace {
        node: FaceNode {
            id: r.get(0)?,
            embedding: blob_to_floats(&r.get::<_, Vec<u8>>(1)?).into(),
            may_seed: params.may_seed(score, side, r.get(6)?),
            person: r.get(2)?,
        },
        reliability: score * side,
        cell: r.get(5)?,
    })
}

/// Every face with an embedding (`pending_only`: those the clustering has not seen yet), by id.
pub fn load_faces(
    conn: &Connection,
    params: &ClusterParams,
    pending_only: bool,
) -> Result<Vec<LoadedFace>> {
    let sql = if pending_only {
        format!("{FACE_SELECT} AND f.clustered = 0 ORDER BY f.id")
    } else {
        format!("{FACE_SELECT} ORDER BY f.id")
    };
    let mut stmt = conn.prepare(&sql)?;
    let faces = stmt
        .query_map([], |r| loaded(r, params))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(faces)
}

/// Faces with an embedding: all of them, and those not clustered yet.
pub fn face_counts(conn: &Connection) -> Result<(usize, usize)> {
    Ok(conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(clustered = 0), 0) FROM faces WHERE embedding IS NOT NULL",
        [],
        |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
    )?)
}

/// Every (face, person) rejection.
pub fn rejections(conn: &Connection) -> Result<HashSet<(i64, i64)>> {
    let mut stmt = conn.prepare("SELECT face_id, person_id FROM face_rejections")?;
    let set = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(set)
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The stored centroids, if an index was built.
pub fn load_centroids(conn: &Connection) -> Result<Option<Centroids>> {
    let mut stmt = conn.prepare("SELECT centroid FROM face_cells ORDER BY cell")?;
    let rows: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let dim = first.len() / 4;
    Ok(Some(Centroids {
        dim,
        data: rows.iter().flat_map(|b| blob_to_floats(b)).collect(),
    }))
}

/// Replaces the index: new centroids and every face's cell.
pub fn store_index(conn: &Connection, centroids: &Centroids, cells: &[(i64, usize)]) -> Result<()> {
    conn.execute("DELETE FROM face_cells", [])?;
    let mut insert = conn.prepare("INSERT INTO face_cells (cell, centroid) VALUES (?1, ?2)")?;
    for (cell, row) in centroids.to_rows().into_iter().enumerate() {
        insert.execute(params![cell as i64, row])?;
    }
    set_cells(conn, cells)?;
    set_meta(conn, "face_index.trained_on", &cells.len().to_string())
}

/// Sets faces' cells.
pub fn set_cells(conn: &Connection, cells: &[(i64, usize)]) -> Result<()> {
    let mut update = conn.prepare_cached("UPDATE faces SET cell = ?2 WHERE id = ?1")?;
    for (face, cell) in cells {
        update.execute(params![face, *cell as i64])?;
    }
    Ok(())
}

/// Writes people found in memory: negative person ids are new people, created here. Faces whose
/// person did not change are not written. Every given face is marked clustered.
pub fn write_assignments(
    conn: &Connection,
    before: &HashMap<i64, Option<i64>>,
    after: &[FaceNode],
) -> Result<usize> {
    let mut created: HashMap<i64, i64> = HashMap::new();
    let mut set = conn.prepare_cached(
        "UPDATE faces SET person_id = ?2, confirmed = 0, clustered = 1 WHERE id = ?1",
    )?;
    let mut mark = conn.prepare_cached("UPDATE faces SET clustered = 1 WHERE id = ?1")?;
    let mut changed = 0;
    for node in after {
        if before.get(&node.id) == Some(&node.person) {
            mark.execute(params![node.id])?;
            continue;
        }
        let person = match node.person {
            Some(p) if p < 0 => Some(match created.get(&p) {
                Some(&id) => id,
                None => {
                    let id = create_person(conn)?;
                    created.insert(p, id);
                    id
                }
            }),
            other => other,
        };
        set.execute(params![node.id, person])?;
        changed += 1;
    }
    Ok(changed)
}

/// Dissolves the people nobody has touched (see [`super::people`]): their faces become unassigned.
/// Returns how many people were dissolved.
pub fn dissolve_untouched_people(conn: &Connection) -> Result<usize> {
    let untouched = format!("SELECT id FROM people WHERE NOT {}", super::people::TOUCHED);
    conn.execute(
        &format!(
            "UPDATE faces SET person_id = NULL, confirmed = 0 WHERE person_id IN ({untouched})"
        ),
        [],
    )?;
    Ok(conn.execute(&format!("DELETE FROM people WHERE id IN ({untouched})"), [])?)
}

/// The sum of the embeddings of a person's faces (empty when none has one).
pub fn person_embedding_sum(conn: &Connection, person: i64) -> Result<Vec<f32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT embedding FROM faces WHERE person_id = ?1 AND embedding IS NOT NULL",
    )?;
    let mut sum: Vec<f32> = Vec::new();
    let mut rows = stmt.query(params![person])?;
    while let Some(row) = rows.next()? {
        let embedding = blob_to_floats(&row.get::<_, Vec<u8>>(0)?);
        if sum.is_empty() {
            sum = vec![0.0; embedding.len()];
        }
        add_to(&mut sum, &embedding);
    }
    Ok(sum)
}

/// Neighbourhood queries against the catalogue through the stored index. Cells read once are kept
/// for the run; assignments made during the run are written at once and mirrored in memory.
pub struct CatalogStore<'c> {
    conn: &'c Connection,
    params: ClusterParams,
    centroids: Centroids,
    rejected: HashSet<(i64, i64)>,
    cells: HashMap<usize, Vec<FaceNode>>,
    assigned: HashMap<i64, i64>,
    /// Sum of the embeddings of each person asked about (kept up to date as faces join).
    sums: HashMap<i64, Vec<f32>>,
    /// Embeddings compared by neighbourhood queries.
    pub scanned: usize,
    /// Faces read from the catalogue to answer them.
    pub read: usize,
}

impl<'c> CatalogStore<'c> {
    pub fn new(conn: &'c Connection, params: ClusterParams, centroids: Centroids) -> Result<Self> {
        Ok(CatalogStore {
            conn,
            params,
            centroids,
            rejected: rejections(conn)?,
            cells: HashMap::new(),
            assigned: HashMap::new(),
            sums: HashMap::new(),
            scanned: 0,
            read: 0,
        })
    }

    pub fn centroids(&self) -> &Centroids {
        &self.centroids
    }

    /// The person a face was put into during this run, if any.
    pub fn assigned_person(&self, face: i64) -> Option<i64> {
        self.assigned.get(&face).copied()
    }

    fn load_cell(&mut self, cell: usize) -> Result<()> {
        if !self.cells.contains_key(&cell) {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("{FACE_SELECT} AND f.cell = ?1"))?;
            let params = self.params;
            let faces: Vec<FaceNode> = stmt
                .query_map(params![cell as i64], |r| loaded(r, &params).map(|f| f.node))?
                .collect::<rusqlite::Result<_>>()?;
            self.read += faces.len();
            self.cells.insert(cell, faces);
        }
        Ok(())
    }
}

impl FaceStore for CatalogStore<'_> {
    fn near(&mut self, face: &FaceNode, min_similarity: f32) -> Result<Vec<Near>> {
        let mut found = Vec::new();
        for cell in self.centroids.probe_order(&face.embedding, DEFAULT_PROBES) {
            self.load_cell(cell)?;
            let members = &self.cells[&cell];
            self.scanned += members.len();
            for other in members.iter().filter(|o| o.id != face.id) {
                let similarity = crate::people::ann::dot(&other.embedding, &face.embedding);
                if similarity >= min_similarity {
                    let mut other = other.clone();
                    if let Some(&p) = self.assigned.get(&other.id) {
                        other.person = Some(p);
                    }
                    found.push(Near {
                        face: other,
                        similarity,
                    });
                }
            }
        }
        Ok(found)
    }

    fn assign(&mut self, face: &FaceNode, person: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE faces SET person_id = ?2, confirmed = 0 WHERE id = ?1",
            params![face.id, person],
        )?;
        self.assigned.insert(face.id, person);
        if let Some(sum) = self.sums.get_mut(&person) {
            add_to(sum, &face.embedding);
        }
        Ok(())
    }

    fn direction(&mut self, person: i64) -> Result<Vec<f32>> {
        if let Some(sum) = self.sums.get(&person) {
            return Ok(sum.clone());
        }
        // Assignments of this run are already written, so the catalogue has every face.
        let sum = person_embedding_sum(self.conn, person)?;
        self.sums.insert(person, sum.clone());
        Ok(sum)
    }

    fn new_person(&mut self) -> Result<i64> {
        create_person(self.conn)
    }

    fn rejected(&self, face_id: i64, person: i64) -> bool {
        self.rejected.contains(&(face_id, person))
    }
}
