//! What crosses between the window and the app, besides the library's own types (search hits,
//! people, the photo view, look-alikes and duplicate groups, export previews): the commands' own arguments and results, the events'
//! payloads and the error every command rejects with.
//!
//! Plain data only (serde and `argus_api` types): `tests/contract.rs` compiles this file on its own
//! and writes the TypeScript declarations of these types and the library's (`ui/src/lib/bindings.ts`),
//! which the front end uses instead of hand-written copies. The `TS` derive exists only in test
//! builds (`ts-rs` is a dev-dependency; the library crates' `ts` feature is turned on by this
//! package's dev-dependencies), so the app itself never compiles it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use argus_api::analysis::view::PhotoDetail;
use argus_api::lookalike::{DuplicateStack, SimilarPhoto};
use argus_api::progress::JobStage;
use argus_api::search::{Facets, Group, Hit, QueryError, Sort};
use argus_api::similar::DuplicateGroup;

// ---------- sidecars ----------

/// The "write sidecars" settings (`sidecar_settings`, `set_sidecar_settings`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SidecarSettingsInfo {
    /// Keep XMP sidecars beside the photos up to date with the people, labels and attributes.
    pub write_sidecars: bool,
    /// How new sidecars are named: `name.ext.xmp` (digiKam, darktable) or `name.xmp` (Lightroom).
    pub naming: String,
    /// The top level of Argus's keywords (`Argus/People/Ana`).
    pub keyword_root: String,
}

/// A box on the upright photo, each value 0..1 of its width or height (`add_face`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FaceBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

// ---------- libraries, jobs, progress ----------

/// A library folder (`add_library`, `remove_library`, `app_state`).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LibraryInfo {
    pub path: String,
    pub photos: i64,
    /// false when the folder is not there (unplugged disk): its photos are kept.
    pub online: bool,
}

/// Whether the analysis models are in place.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ModelsInfo {
    pub ready: bool,
    pub missing: Vec<String>,
    pub folder: String,
}

/// Catalogue counts.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StatsInfo {
    pub photos: i64,
    pub faces: i64,
    pub people: i64,
    pub errors: i64,
    pub unsupported: i64,
}

/// `app_state`: where things are, the libraries, counts and the job running now.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    pub catalog: String,
    pub cache: String,
    pub models: ModelsInfo,
    pub libraries: Vec<LibraryInfo>,
    pub stats: StatsInfo,
    /// The job running now, if any.
    pub job: Option<JobProgress>,
}

/// The two kinds of job (`cancel_job`, the events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    Scan,
    Export,
}

/// The `job-progress` event, at most ten a second.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JobProgress {
    pub kind: JobKind,
    pub stage: JobStage,
    pub done: u64,
    /// null while unknown (discovering).
    pub total: Option<u64>,
    pub eta_seconds: Option<f64>,
    /// The file last finished.
    pub current: Option<String>,
}

/// One problem, as the window lists it (`problems`, `job-finished`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Problem {
    pub path: String,
    /// Analysis stage, "read" for files that could not be catalogued, "export" for exports.
    pub stage: String,
    pub reason: String,
}

/// The `job-finished` event.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JobFinished {
    pub kind: JobKind,
    pub cancelled: bool,
    /// One line, e.g. "20 new, 20 analysed, 34 faces" or "24 crops written, 0 unchanged".
    pub summary: String,
    pub problems: Vec<Problem>,
    /// Export: the folder written to (`open_folder` opens it).
    pub output: Option<String>,
    /// Export: crops written + unchanged.
    pub files: usize,
}

/// The `catalog-changed` event: the watcher applied a batch, a job committed, or people were edited.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CatalogChanged {
    pub reason: String,
}

// ---------- search and photo ----------

/// `search`'s argument.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchRequest {
    pub query: Option<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    pub facets: bool,
    pub groups: bool,
}

/// `search`'s result.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchPage {
    pub total: u64,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
    /// Month groups of the whole result when sorted by date taken and groups were asked for.
    pub groups: Option<Vec<Group>>,
    /// When nothing was found: why (terms that find nothing, the nearest known values).
    pub notes: Vec<String>,
}

/// `photo_detail`: the photo view and the names of the people its faces belong to.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PhotoView {
    #[serde(flatten)]
    pub detail: PhotoDetail,
    /// Person id → name (null when unnamed).
    pub people: BTreeMap<i64, Option<String>>,
}

// ---------- look-alikes and duplicates ----------

/// `similar_photos`: the photos most like one photo, most alike first.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SimilarPhotos {
    /// false when the photo has no descriptor yet (not analysed): then `photos` is empty.
    pub described: bool,
    pub photos: Vec<SimilarPhoto>,
}

/// `duplicates`: the duplicate groups of the grid's photos (largest first, each best photo first)
/// and the stacks the user made.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DuplicatesView {
    pub groups: Vec<DuplicateGroup>,
    pub stacks: Vec<DuplicateStack>,
}

// ---------- export ----------

/// The export dialog's settings (`export_preview`, `start_export`).
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportSettings {
    /// "3:1", "16:9", "1:1" …
    pub aspects: Vec<String>,
    /// Output widths in pixels (one crop per aspect × width).
    pub widths: Vec<u32>,
    pub focus: FocusSetting,
    /// "jpeg", "webp" or "png".
    pub format: String,
    pub quality: u8,
    /// Space kept around the faces, as a fraction of the face box.
    pub padding: f64,
    /// 1 = the largest crop of the aspect; larger zooms in around the faces.
    pub zoom: f64,
    /// "#rrggbb" to fill instead of cutting a face that does not fit; null = never fill.
    pub fill: Option<String>,
    pub template: String,
    pub keep_metadata: bool,
    pub upscale: bool,
    /// The export folder (absolute).
    pub out: String,
}

/// "largest", "all", "person" (a whole body), "object:CLASS", or one person's faces.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum FocusSetting {
    Named(String),
    Person { person: i64 },
}

/// What `start_export` exports: photos by id, or everything a query finds.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum ExportSelection {
    Ids { ids: Vec<i64> },
    Query { query: String },
}

// ---------- errors ----------

/// What every command rejects with. `query` is set when the query did not parse (the query bar
/// underlines where).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    pub message: String,
    pub query: Option<QueryError>,
}
