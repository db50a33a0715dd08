//! Argus desktop app: a thin Tauri layer of commands (`commands`), jobs reporting through events
//! (`jobs`) and an image scheme (`media`) over the `argus` library — the same library the CLI uses.
//!
//! `argus-app [--library FOLDER]…` opens the catalogue (`ARGUS_CATALOG`, `ARGUS_CACHE`,
//! `ARGUS_MODELS`, as the CLI), adds the folders given as libraries, and starts the library worker:
//! a catch-up scan with analysis, then live watching while the window is open.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod contract;
mod error;
mod events;
mod jobs;
mod media;
mod startup;
mod state;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tauri::Manager;

use argus_api::paths::Locations;
use state::AppState;

fn main() {
    let launched = Instant::now();
    if let Err(e) = run(launched) {
        eprintln!("argus-app: {e:#}");
        std::process::exit(1);
    }
}

/// The folders given with `--library`.
fn library_args() -> anyhow::Result<Vec<PathBuf>> {
    let mut folders = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--library" => match args.next() {
                Some(folder) => folders.push(std::path::absolute(folder)?),
                None => anyhow::bail!("--library needs a folder"),
            },
            "-h" | "--help" => {
                println!("usage: argus-app [--library FOLDER]…");
                std::process::exit(0);
            }
            other => {
                anyhow::bail!("unknown argument '{other}' (usage: argus-app [--library FOLDER]…)")
            }
        }
    }
    Ok(folders)
}

fn run(launched: Instant) -> anyhow::Result<()> {
    let locations = Locations::from_env();
    let state = AppState::new(locations.clone(), launched)
        .map_err(|e| anyhow::anyhow!("cannot open the catalogue {}: {e}", locations.catalog))?;
    for folder in library_args()? {
        state.catalog().add_library(&folder)?;
    }
    // The image scheme has its own connection, so thumbnails never wait for a search, and answers
    // on the blocking pool, never on the window's thread.
    let media_catalog = Arc::new(Mutex::new(locations.open_catalog()?));
    let thumbs = Arc::new(locations.thumbs());
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .register_asynchronous_uri_scheme_protocol("argus", move |_ctx, request, responder| {
            let path = request.uri().path().to_string();
            let catalog = Arc::clone(&media_catalog);
            let thumbs = Arc::clone(&thumbs);
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(media::respond(&catalog, &thumbs, &path));
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::add_library,
            commands::remove_library,
            commands::start_scan,
            commands::cancel_job,
            commands::problems,
            commands::search,
            commands::photo_detail,
            commands::people,
            commands::person_faces,
            commands::rename_person,
            commands::merge_people,
            commands::split_person,
            commands::reject_faces,
            commands::reject_suggestions,
            commands::hide_person,
            commands::set_cover,
            commands::assign_faces,
            commands::add_face,
            commands::remove_face,
            commands::sidecar_settings,
            commands::set_sidecar_settings,
            commands::suggestions,
            commands::similar_photos,
            commands::duplicates,
            commands::stack_duplicates,
            commands::unstack,
            commands::dismiss_duplicates,
            commands::export_preview,
            commands::start_export,
            commands::default_export_folder,
            commands::open_folder,
            commands::first_paint,
        ])
        .setup(|app| {
            jobs::start_worker(app.handle(), false);
            let location = app.state::<AppState>().locations.catalog.clone();
            events::watch_other_changes(app.handle().clone(), location);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                let state = window.app_handle().state::<AppState>();
                state.jobs.pause_worker();
                state.jobs.cancel_export();
            }
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
