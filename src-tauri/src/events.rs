//! The events the app sends the window, and their payloads: `job-progress`, `job-finished` (with
//! the problems of a batch) and `catalog-changed`.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};

use argus_api::progress::JobStage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    Scan,
    Export,
}

/// The `job-progress` event.
#[derive(Debug, Clone, Serialize)]
pub struct JobProgress {
    pub kind: JobKind,
    pub stage: JobStage,
    pub done: u64,
    pub total: Option<u64>,
    pub eta_seconds: Option<f64>,
    pub current: Option<String>,
}

/// One problem, as the window lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub path: String,
    pub stage: String,
    pub reason: String,
}

/// The `job-finished` event.
#[derive(Debug, Clone, Serialize)]
pub struct JobFinished {
    pub kind: JobKind,
    pub cancelled: bool,
    pub summary: String,
    pub problems: Vec<Problem>,
    pub output: Option<String>,
    pub files: usize,
}

/// The `catalog-changed` event.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogChanged {
    pub reason: String,
}

pub fn catalog_changed(app: &AppHandle, reason: &str) {
    let _ = app.emit(
        "catalog-changed",
        CatalogChanged {
            reason: reason.to_string(),
        },
    );
}
