//! Builds the front end (`ui/`, Vite) when its sources changed, then Tauri's build: the app's
//! command list (so capabilities can grant each one) and the context (config, CSP, icons, assets).

use std::path::Path;
use std::process::Command;

/// Every command the window may call; `capabilities/main.json` grants them.
const COMMANDS: &[&str] = &[
    "app_state",
    "add_library",
    "remove_library",
    "start_scan",
    "cancel_job",
    "problems",
    "search",
    "photo_detail",
    "people",
    "person_faces",
    "rename_person",
    "merge_people",
    "split_person",
    "reject_faces",
    "reject_suggestions",
    "hide_person",
    "set_cover",
    "assign_faces",
    "add_face",
    "remove_face",
    "sidecar_settings",
    "set_sidecar_settings",
    "suggestions",
    "similar_photos",
    "duplicates",
    "stack_duplicates",
    "unstack",
    "dismiss_duplicates",
    "export_preview",
    "start_export",
    "default_export_folder",
    "open_folder",
    "first_paint",
];

fn main() {
    build_ui();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build");
}

/// `npm ci` (when node_modules is missing) and `npm run build` in `ui/`. Skipped when
/// `ARGUS_SKIP_UI_BUILD` is set (the UI was built by other means).
fn build_ui() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    for watched in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
    ] {
        println!("cargo:rerun-if-changed={}", ui.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=ARGUS_SKIP_UI_BUILD");
    if std::env::var_os("ARGUS_SKIP_UI_BUILD").is_some() {
        return;
    }
    let npm = |args: &[&str]| {
        let status = Command::new("npm")
            .args(args)
            .current_dir(&ui)
            .status()
            .unwrap_or_else(|e| panic!("cannot run npm (install Node.js and npm): {e}"));
        assert!(
            status.success(),
            "npm {} failed in {}",
            args.join(" "),
            ui.display()
        );
    };
    if !ui.join("node_modules").is_dir() {
        npm(&["ci", "--no-audit", "--no-fund"]);
    }
    npm(&["run", "build"]);
}
