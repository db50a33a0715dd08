//! The events the app sends the window (`job-progress`, `job-finished`, `catalog-changed`); their
//! payloads are part of the window's contract (`contract.rs`).

use tauri::{AppHandle, Emitter};

use crate::contract::CatalogChanged;

/// Tells the window the catalogue changed (it refreshes what it shows).
pub fn catalog_changed(app: &AppHandle, reason: &str) {
    let _ = app.emit(
        "catalog-changed",
        CatalogChanged {
            reason: reason.to_string(),
        },
    );
}
