//! The clustering over the catalogue: faces as the rule sees them ([`LoadedFace`], with what orders
//! the seeding) and [`CatalogStore`], which answers neighbourhood queries from the few cells of the
//! stored index nearest to a face — so placing a new face reads a small part of a big catalogue.
//! Everything is read and written through one catalogue [`Writer`] transaction.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::memory::add_to;
use super::placement::{FaceNode, FaceStore, Near};
use super::taught::Taught;
use super::ClusterParams;
use argus_ann::{dot, Centroids, DEFAULT_PROBES};
use argus_catalog::{ClusterFace, Writer};
use argus_core::Result;

/// A face loaded for clustering, with what orders the seeding.
#[derive(Debug, Clone)]
pub struct LoadedFace {
    pub node: FaceNode,
    /// Detection score × short side in pixels: the most reliable faces seed first.
    pub reliability: f32,
    pub cell: Option<i64>,
}

impl LoadedFace {
    pub fn new(face: ClusterFace, params: &ClusterParams) -> LoadedFace {
        LoadedFace {
            node: FaceNode {
                id: face.id,
                photo: face.photo,
                may_seed: params.may_seed(face.score, face.short_side, face.sharpness),
                embedding: face.embedding.into(),
                person: face.person,
                confirmed: face.confirmed,
            },
            reliability: face.score * face.short_side,
            cell: face.cell,
        }
    }
}

/// Every face with an embedding (`pending_only`: those the clustering has not seen yet), by id.
pub fn load_faces(
    writer: &Writer,
    params: &ClusterParams,
    pending_only: bool,
) -> Result<Vec<LoadedFace>> {
    Ok(writer
        .cluster_faces(pending_only)?
        .into_iter()
        .map(|f| LoadedFace::new(f, params))
        .collect())
}

/// The stored index's centroids, if one was built.
pub fn load_centroids(writer: &Writer) -> Result<Option<Centroids>> {
    let rows = writer.face_index_centroids()?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(Centroids {
        dim: first.len(),
        data: rows.iter().flatten().copied().collect(),
        centre: None,
    }))
}

/// Replaces the stored index: new centroids and every face's cell.
pub fn store_index(writer: &Writer, centroids: &Centroids, cells: &[(i64, usize)]) -> Result<()> {
    let rows: Vec<&[f32]> = centroids.data.chunks(centroids.dim).collect();
    writer.store_face_index(&rows, cells)?;
    writer.set_meta(TRAINED_ON_KEY, &cells.len().to_string())
}

/// How many faces the stored index was trained on (`meta`).
pub const TRAINED_ON_KEY: &str = "face_index.trained_on";

/// Neighbourhood queries against the catalogue through the stored index. Cells read once are kept
/// for the run; assignments made during the run are written at once and mirrored in memory.
pub struct CatalogStore<'w, 'c> {
    writer: &'w Writer<'c>,
    params: ClusterParams,
    centroids: Centroids,
    rejected: HashSet<(i64, i64)>,
    cells: HashMap<usize, Vec<FaceNode>>,
    /// Faces put into (or taken out of) a person during this run.
    assigned: HashMap<i64, Option<i64>>,
    taught: HashMap<i64, Arc<Taught>>,
    /// People holding confirmed faces (read when first needed; confirmations do not change in a run).
    confirmed_people: Option<Vec<i64>>,
    /// Sum of the embeddings of each person asked about (kept up to date as faces join).
    sums: HashMap<i64, Vec<f32>>,
    /// Embeddings compared by neighbourhood queries.
    pub scanned: usize,
    /// Faces read from the catalogue to answer them.
    pub read: usize,
}

impl<'w, 'c> CatalogStore<'w, 'c> {
    pub fn new(
        writer: &'w Writer<'c>,
        params: ClusterParams,
        centroids: Centroids,
    ) -> Result<Self> {
        Ok(CatalogStore {
            writer,
            params,
            centroids,
            rejected: writer.rejections()?,
            cells: HashMap::new(),
            assigned: HashMap::new(),
            taught: HashMap::new(),
            confirmed_people: None,
            sums: HashMap::new(),
            scanned: 0,
            read: 0,
        })
    }

    pub fn centroids(&self) -> &Centroids {
        &self.centroids
    }

    /// Whether this run put a face into a person (or took it out of one).
    pub fn placed_in_run(&self, face: i64) -> bool {
        self.assigned.contains_key(&face)
    }

    /// A face as the catalogue holds it, with what this run changed.
    fn current(&self, mut face: FaceNode) -> FaceNode {
        if let Some(&p) = self.assigned.get(&face.id) {
            face.person = p;
        }
        face
    }

    fn load_cell(&mut self, cell: usize) -> Result<()> {
        if !self.cells.contains_key(&cell) {
            let params = self.params;
            let faces: Vec<FaceNode> = self
                .writer
                .cluster_faces_in_cell(cell)?
                .into_iter()
                .map(|f| LoadedFace::new(f, &params).node)
                .collect();
            self.read += faces.len();
            self.cells.insert(cell, faces);
        }
        Ok(())
    }
}

impl FaceStore for CatalogStore<'_, '_> {
    fn near(&mut self, face: &FaceNode, min_similarity: f32) -> Result<Vec<Near>> {
        let mut found = Vec::new();
        for cell in self.centroids.probe_order(&face.embedding, DEFAULT_PROBES) {
            self.load_cell(cell)?;
            let members = &self.cells[&cell];
            self.scanned += members.len();
            for other in members.iter().filter(|o| o.id != face.id) {
                let similarity = dot(&other.embedding, &face.embedding);
                if similarity >= min_similarity {
                    found.push(Near {
                        face: other.clone(),
                        similarity,
                    });
                }
            }
        }
        Ok(found
            .into_iter()
            .map(|n| Near {
                face: self.current(n.face),
                ..n
            })
            .collect())
    }

    fn assign(&mut self, face: &FaceNode, person: i64) -> Result<()> {
        self.writer.assign_face(face.id, person)?;
        self.assigned.insert(face.id, Some(person));
        if let Some(sum) = self.sums.get_mut(&person) {
            add_to(sum, &face.embedding);
        }
        Ok(())
    }

    fn unassign(&mut self, face: &FaceNode) -> Result<()> {
        self.writer.unassign_face(face.id)?;
        let was = self.current(face.clone()).person;
        self.assigned.insert(face.id, None);
        if let Some(sum) = was.and_then(|p| self.sums.get_mut(&p)) {
            sum.iter_mut()
                .zip(face.embedding.iter())
                .for_each(|(s, e)| *s -= e);
        }
        Ok(())
    }

    fn photo_faces(&mut self, photo: i64) -> Result<Vec<FaceNode>> {
        let params = self.params;
        let faces = self.writer.cluster_faces_in_photo(photo)?;
        Ok(faces
            .into_iter()
            .map(|f| self.current(LoadedFace::new(f, &params).node))
            .collect())
    }

    fn confirmed_people(&mut self) -> Result<Vec<i64>> {
        if self.confirmed_people.is_none() {
            self.confirmed_people = Some(self.writer.confirmed_people()?);
        }
        Ok(self.confirmed_people.clone().unwrap_or_default())
    }

    fn taught(&mut self, person: i64) -> Result<Arc<Taught>> {
        if let Some(t) = self.taught.get(&person) {
            return Ok(t.clone());
        }
        let taught = Arc::new(Taught::from_catalogue(&self.writer.taught_faces(person)?));
        self.taught.insert(person, taught.clone());
        Ok(taught)
    }

    fn direction(&mut self, person: i64) -> Result<Vec<f32>> {
        if let Some(sum) = self.sums.get(&person) {
            return Ok(sum.clone());
        }
        // Assignments of this run are already written, so the catalogue has every face.
        let sum = self.writer.person_embedding_sum(person)?;
        self.sums.insert(person, sum.clone());
        Ok(sum)
    }

    fn new_person(&mut self) -> Result<i64> {
        self.writer.new_person()
    }

    fn rejected(&self, face_id: i64, person: i64) -> bool {
        self.rejected.contains(&(face_id, person))
    }
}
