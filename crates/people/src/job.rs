//! Clustering the catalogue. [`cluster_new_faces`] places only the faces no clustering has seen (after
//! a scan and analysis): each new face asks the stored index for its neighbourhood. [`recluster`]
//! starts over on demand: people nobody touched are dissolved and every unassigned face is placed
//! again, in memory; user decisions (names, confirmed faces, rejections, hidden people, covers) stay,
//! and automatic faces that share a photo with another face of their (kept) person are parted first.
//! Both run in one transaction: a cancelled or failed run changes nothing.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde::Serialize;

use super::catalog_store::{
    load_centroids, load_faces, store_index, CatalogStore, LoadedFace, TRAINED_ON_KEY,
};
use super::memory::{seeding_order, MemoryStore};
use super::placement::{place, PlacementStats};
use super::ClusterParams;
use argus_ann::Centroids;
use argus_catalog::{Catalog, Writer};
use argus_core::Result;

/// The k-means seed of the stored index (fixed: the same faces give the same cells).
const INDEX_SEED: u64 = 0x5eed_face;
/// The stored index is retrained when the catalogue has grown this many times over since training.
const RETRAIN_GROWTH: usize = 4;
const EMBEDDING_KEY: &str = "people.embedding_version";

/// What a clustering run did.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterReport {
    /// `incremental`, `full` (on demand), or `full-new-embeddings` (the embedding model changed).
    pub mode: String,
    /// Faces with an embedding in the catalogue.
    pub faces: usize,
    /// Faces this run placed (the new ones, or all unassigned ones on a full run).
    pub pending: usize,
    pub placement: PlacementStats,
    /// Embeddings compared by neighbourhood queries.
    pub compared: usize,
    /// Faces read from the catalogue to answer neighbourhood queries (incremental runs).
    pub read: usize,
    /// Cells of the nearest-neighbour index.
    pub cells: usize,
    /// Whether the index was (re)built.
    pub reindexed: bool,
    /// People dissolved before a full run.
    pub dissolved: usize,
    pub people: usize,
    pub seconds: f64,
}

/// Places the faces clustering has not seen. When the embedding model changed since the last run,
/// re-clusters everything instead (embeddings of two models cannot be compared).
pub fn cluster_new_faces(
    catalog: &mut Catalog,
    params: &ClusterParams,
    embedding_version: &str,
) -> Result<ClusterReport> {
    let started = Instant::now();
    let stored_version = catalog.meta(EMBEDDING_KEY)?;
    if stored_version
        .as_deref()
        .is_some_and(|v| v != embedding_version)
    {
        let mut report = recluster(catalog, params, embedding_version)?;
        report.mode = "full-new-embeddings".into();
        return Ok(report);
    }
    let tx = catalog.writer()?;
    tx.lock_clustering()?;
    let (faces, pending_count) = tx.cluster_face_counts()?;
    let mut report = ClusterReport {
        mode: "incremental".into(),
        faces,
        pending: pending_count,
        placement: PlacementStats::default(),
        compared: 0,
        read: 0,
        cells: 0,
        reindexed: false,
        dissolved: 0,
        people: 0,
        seconds: 0.0,
    };
    if pending_count > 0 {
        let trained_on: usize = tx
            .meta(TRAINED_ON_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let centroids = match load_centroids(&tx)? {
            Some(c) if faces <= trained_on.max(1) * RETRAIN_GROWTH => c,
            _ => {
                report.reindexed = true;
                build_index(&tx, params)?
            }
        };
        let pending = load_faces(&tx, params, true)?;
        // New faces get their cells first, so they see each other.
        let cells: Vec<(i64, usize)> = pending
            .iter()
            .filter(|f| f.cell.is_none())
            .map(|f| (f.node.id, centroids.nearest(&f.node.embedding)))
            .collect();
        tx.set_face_cells(&cells)?;
        report.cells = centroids.len();
        let mut store = CatalogStore::new(&tx, *params, centroids)?;
        let by_id: HashMap<i64, &LoadedFace> = pending.iter().map(|f| (f.node.id, f)).collect();
        for id in order(&pending) {
            let node = &by_id[&id].node;
            // Grown into a person earlier in this run, or already placed: nothing to do.
            if node.person.is_none() && !store.placed_in_run(id) {
                place(node, &mut store, params, &mut report.placement)?;
            }
        }
        report.compared = store.scanned;
        report.read = store.read;
        tx.mark_all_clustered()?;
    }
    tx.set_meta(EMBEDDING_KEY, embedding_version)?;
    report.people = tx.people_count()?;
    tx.commit()?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Re-clusters the whole catalogue, keeping every user decision: people nobody touched are
/// dissolved, then every unassigned face is placed again (most reliable first).
pub fn recluster(
    catalog: &mut Catalog,
    params: &ClusterParams,
    embedding_version: &str,
) -> Result<ClusterReport> {
    let started = Instant::now();
    let tx = catalog.writer()?;
    tx.lock_clustering()?;
    let dissolved = tx.dissolve_untouched_people()?;
    let faces = load_faces(&tx, params, false)?;
    let rejected = tx.rejections()?;
    let before: HashMap<i64, Option<i64>> =
        faces.iter().map(|f| (f.node.id, f.node.person)).collect();
    let mut store = MemoryStore::new(
        faces.iter().map(|f| f.node.clone()).collect(),
        &rejected,
        INDEX_SEED,
    );
    // People the user touched keep their faces, but not two of one photo unless the user put them.
    let parted: HashSet<i64> = store.part_same_photo_faces()?.into_iter().collect();
    let unassigned: Vec<LoadedFace> = faces
        .iter()
        .filter(|f| f.node.person.is_none() || parted.contains(&f.node.id))
        .cloned()
        .collect();
    let placement = store.place_all(&order(&unassigned), params)?;
    let changes: Vec<(i64, Option<i64>)> = store
        .nodes()
        .iter()
        .filter(|n| before.get(&n.id) != Some(&n.person))
        .map(|n| (n.id, n.person))
        .collect();
    let seen: Vec<i64> = store.nodes().iter().map(|n| n.id).collect();
    tx.write_assignments(&changes, &seen)?;
    let cells: Vec<(i64, usize)> = store
        .nodes()
        .iter()
        .enumerate()
        .map(|(row, n)| (n.id, store.index().cell_of(row)))
        .collect();
    store_index(&tx, store.index().centroids(), &cells)?;
    tx.prune_empty_people()?;
    tx.set_meta(EMBEDDING_KEY, embedding_version)?;
    let report = ClusterReport {
        mode: "full".into(),
        faces: faces.len(),
        pending: unassigned.len(),
        placement,
        compared: store.scanned,
        read: 0,
        cells: store.index().cells(),
        reindexed: true,
        dissolved,
        people: tx.people_count()?,
        seconds: 0.0,
    };
    tx.commit()?;
    Ok(ClusterReport {
        seconds: started.elapsed().as_secs_f64(),
        ..report
    })
}

/// Trains the stored index on every face and sets every face's cell.
fn build_index(tx: &Writer, params: &ClusterParams) -> Result<Centroids> {
    let faces = load_faces(tx, params, false)?;
    let dim = faces.first().map_or(1, |f| f.node.embedding.len());
    let vectors: Vec<f32> = faces
        .iter()
        .flat_map(|f| f.node.embedding.iter().copied())
        .collect();
    let centroids = Centroids::train(&vectors, dim, Centroids::cells_for(faces.len()), INDEX_SEED);
    let cells: Vec<(i64, usize)> = faces
        .iter()
        .map(|f| (f.node.id, centroids.nearest(&f.node.embedding)))
        .collect();
    store_index(tx, &centroids, &cells)?;
    Ok(centroids)
}

fn order(faces: &[LoadedFace]) -> Vec<i64> {
    seeding_order(
        &faces
            .iter()
            .map(|f| (f.node.id, f.reliability))
            .collect::<Vec<_>>(),
    )
}
