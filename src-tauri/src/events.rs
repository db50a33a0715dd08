//! The events the app sends the window (`job-progress`, `job-finished`, `catalog-changed`); their
//! payloads are part of the window's contract (`contract.rs`). [`watch_other_changes`] sends
//! `catalog-changed` when another process or machine changed the catalogue (a scan in the CLI, a
//! colleague naming someone in a team catalogue).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter};

use crate::contract::CatalogChanged;
use argus_api::paths::CatalogLocation;

/// How often the catalogue's change stamp is read for changes made elsewhere.
const WATCH_INTERVAL: Duration = Duration::from_millis(750);
/// A change seen this soon after the app's own is taken for it (the window refreshed already).
const OWN_ECHO: Duration = Duration::from_millis(2000);

/// When the app last said the catalogue changed (ms since the app's clock started; 0: never).
static LAST_OWN_CHANGE: AtomicU64 = AtomicU64::new(0);

fn clock_ms() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

/// Tells the window the catalogue changed (it refreshes what it shows).
pub fn catalog_changed(app: &AppHandle, reason: &str) {
    LAST_OWN_CHANGE.store(clock_ms(), Ordering::Relaxed);
    emit_changed(app, reason);
}

/// Watches the catalogue, on a connection of its own, for changes made by other processes or
/// machines, and tells the window: within a second for a team catalogue (its server announces every
/// commit) and for a file another process writes.
pub fn watch_other_changes(app: AppHandle, location: CatalogLocation) {
    let spawned = std::thread::Builder::new()
        .name("argus-watch-catalog".into())
        .spawn(move || {
            let Ok(catalog) = location.open() else {
                return;
            };
            let Ok(mut last) = catalog.change_stamp() else {
                return;
            };
            loop {
                std::thread::sleep(WATCH_INTERVAL);
                let Ok(stamp) = catalog.change_stamp() else {
                    continue;
                };
                if stamp != last {
                    last = stamp;
                    let own = LAST_OWN_CHANGE.load(Ordering::Relaxed);
                    if own == 0 || clock_ms().saturating_sub(own) > OWN_ECHO.as_millis() as u64 {
                        emit_changed(&app, "changed elsewhere");
                    }
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("argus: cannot watch the catalogue for changes made elsewhere: {e}");
    }
}

fn emit_changed(app: &AppHandle, reason: &str) {
    let _ = app.emit(
        "catalog-changed",
        CatalogChanged {
            reason: reason.to_string(),
        },
    );
}
