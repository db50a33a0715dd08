//! The contract between the window and the app, checked from the Rust side:
//!
//! - `ui/src/lib/bindings.ts` holds the TypeScript declarations of every type a command or an
//!   event carries, generated from the Rust types (ts-rs). The test fails when the committed file
//!   is not what the types give; `ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-app --test contract`
//!   rewrites it.
//! - The command list is the same in the `#[tauri::command]` functions (src/commands.rs), the
//!   `generate_handler!` list (src/main.rs), build.rs's `COMMANDS`, the permissions of
//!   capabilities/main.json and the commands ui/src/lib/api.ts invokes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

/// The app's own wire types, compiled here on their own (plain serde data; `TS` derived in tests).
#[allow(dead_code)]
#[path = "../src/contract.rs"]
mod contract;

use argus_api::analysis::view::{BoxView, FaceView, PhotoDetail, Score, Thumbnails};
use argus_api::catalog::{AnalysisRun, Person, PersonFace, Photo, PhotoStatus};
use argus_api::export::{FocusChoice, FocusSource, PreviewCrop, PreviewPhoto};
use argus_api::lookalike::{DuplicateStack, SimilarPhoto};
use argus_api::people::suggest::FaceSuggestion;
use argus_api::progress::JobStage;
use argus_api::search::{FacetValue, Facets, Group, Hit, QueryError, Sort};
use argus_api::similar::{DuplicateGroup, DuplicateKind, DuplicateMember, KeepReason};
use contract::*;

const BINDINGS: &str = "ui/src/lib/bindings.ts";
const UPDATE: &str = "ARGUS_UPDATE_SNAPSHOTS";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("src-tauri is in the repository")
        .to_path_buf()
}

fn read(path: &str) -> String {
    let full = repo().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// One declaration: its doc comment (when the Rust type has one) and `export type … = …;`.
fn decl<T: TS + ?Sized>(cfg: &Config) -> String {
    format!("{}export {}\n", T::docs().unwrap_or_default(), T::decl(cfg))
}

/// What `ui/src/lib/bindings.ts` must hold.
fn bindings() -> String {
    // 64-bit integers (ids, counts, sizes) are JSON numbers: none comes near 2^53.
    let cfg = Config::new().with_large_int("number");
    let sections: &[(&str, Vec<String>)] = &[
        (
            "libraries, jobs, progress (the app)",
            vec![
                decl::<AppInfo>(&cfg),
                decl::<ModelsInfo>(&cfg),
                decl::<StatsInfo>(&cfg),
                decl::<LibraryInfo>(&cfg),
                decl::<JobKind>(&cfg),
                decl::<JobStage>(&cfg),
                decl::<JobProgress>(&cfg),
                decl::<JobFinished>(&cfg),
                decl::<Problem>(&cfg),
                decl::<CatalogChanged>(&cfg),
                decl::<CommandError>(&cfg),
                decl::<QueryError>(&cfg),
                decl::<argus_api::search::Span>(&cfg),
            ],
        ),
        (
            "search",
            vec![
                decl::<SearchRequest>(&cfg),
                decl::<Sort>(&cfg),
                decl::<SearchPage>(&cfg),
                decl::<Hit>(&cfg),
                decl::<Facets>(&cfg),
                decl::<FacetValue>(&cfg),
                decl::<Group>(&cfg),
            ],
        ),
        (
            "photo",
            vec![
                decl::<PhotoView>(&cfg),
                decl::<PhotoDetail>(&cfg),
                decl::<Photo>(&cfg),
                decl::<PhotoStatus>(&cfg),
                decl::<argus_api::catalog::ExifData>(&cfg),
                decl::<Thumbnails>(&cfg),
                decl::<FaceView>(&cfg),
                decl::<BoxView>(&cfg),
                decl::<Score>(&cfg),
                decl::<argus_api::catalog::TextLine>(&cfg),
                decl::<argus_api::catalog::PhotoLabel>(&cfg),
                decl::<argus_api::catalog::LabelKind>(&cfg),
                decl::<argus_api::catalog::StoredObject>(&cfg),
                decl::<argus_api::catalog::PhotoObject>(&cfg),
                decl::<argus_api::catalog::Worn>(&cfg),
                decl::<AnalysisRun>(&cfg),
                decl::<argus_api::catalog::StoredMetadata>(&cfg),
                decl::<argus_api::catalog::SidecarState>(&cfg),
                decl::<argus_api::metadata::Region>(&cfg),
                decl::<argus_api::metadata::RegionSource>(&cfg),
                decl::<argus_api::metadata::NormBox>(&cfg),
                decl::<FaceBox>(&cfg),
            ],
        ),
        ("sidecars", vec![decl::<SidecarSettingsInfo>(&cfg)]),
        (
            "people",
            vec![
                decl::<Person>(&cfg),
                decl::<PersonFace>(&cfg),
                decl::<FaceSuggestion>(&cfg),
                decl::<argus_api::people::decisions::Assigned>(&cfg),
                decl::<argus_api::catalog::SharedPhoto>(&cfg),
            ],
        ),
        (
            "look-alikes and duplicates",
            vec![
                decl::<SimilarPhotos>(&cfg),
                decl::<SimilarPhoto>(&cfg),
                decl::<DuplicatesView>(&cfg),
                decl::<DuplicateGroup>(&cfg),
                decl::<DuplicateKind>(&cfg),
                decl::<KeepReason>(&cfg),
                decl::<DuplicateMember>(&cfg),
                decl::<DuplicateStack>(&cfg),
            ],
        ),
        (
            "export",
            vec![
                decl::<ExportSettings>(&cfg),
                decl::<FocusSetting>(&cfg),
                decl::<ExportSelection>(&cfg),
                decl::<PreviewPhoto>(&cfg),
                decl::<FocusChoice>(&cfg),
                decl::<FocusSource>(&cfg),
                decl::<PreviewCrop>(&cfg),
                decl::<argus_api::export::Rect>(&cfg),
                decl::<argus_api::export::Fit>(&cfg),
            ],
        ),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test -p argus-app --test contract` (ts-rs); do not edit.\n\
         // Regenerate: ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-app --test contract\n\
         // Field names are the Rust side's (snake_case). ui/src/lib/api.ts re-exports what the UI uses.\n",
    );
    for (title, decls) in sections {
        out.push_str(&format!("\n// ---------- {title} ----------\n\n"));
        out.push_str(&decls.join("\n"));
    }
    out
}

#[test]
fn bindings_ts_matches_the_rust_types() {
    let expected = bindings();
    let path = repo().join(BINDINGS);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os(UPDATE).is_some() {
        if actual != expected {
            std::fs::write(&path, &expected)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            eprintln!("wrote {}", path.display());
        }
        return;
    }
    if actual == expected {
        return;
    }
    let old: Vec<&str> = actual.lines().collect();
    let new: Vec<&str> = expected.lines().collect();
    let mut diff = String::new();
    let gone: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
    let added: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    for line in gone.iter().take(20) {
        diff.push_str(&format!("  - {line}\n"));
    }
    for line in added.iter().take(20) {
        diff.push_str(&format!("  + {line}\n"));
    }
    panic!(
        "{BINDINGS} is not what the Rust types give ({} lines only in the file, {} only in the types):\n\
         {diff}\
         Regenerate it (then fix the UI where the types changed):\n  \
         {UPDATE}=1 cargo test -p argus-app --test contract",
        gone.len(),
        added.len()
    );
}

// ---------- the command list ----------

/// Identifiers in `text` that follow `marker` (the `marker` itself excluded), up to a non-identifier
/// character.
fn idents_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .map(|(i, _)| {
            let rest = text[i + marker.len()..].trim_start();
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// The text between `start` (the first after `from`) and the next `end`.
fn between<'a>(text: &'a str, from: &str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} found"));
    let open = at + text[at..].find(start).expect("list start") + start.len();
    let close = open + text[open..].find(end).expect("list end");
    &text[open..close]
}

/// Double-quoted strings in `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('"').skip(1).step_by(2).collect()
}

/// The functions marked `#[tauri::command…]` in commands.rs.
fn command_functions(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut marked = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            marked = true;
        } else if marked {
            if let Some(rest) = line.strip_prefix("pub fn ").or(line.strip_prefix("fn ")) {
                let end = rest.find(['(', '<']).expect("a function signature");
                names.insert(rest[..end].to_string());
                marked = false;
            }
        }
    }
    names
}

/// The commands api.ts invokes: `invoke('name'` and `invoke<…>('name'`.
fn invoked(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in source.match_indices("invoke") {
        let rest = &source[i + "invoke".len()..];
        let rest = match rest.strip_prefix('<') {
            // Skip the type argument (may nest: `invoke<Record<K, V>>(`).
            Some(generic) => {
                let mut depth = 1;
                let mut end = 0;
                for (j, c) in generic.char_indices() {
                    match c {
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                &generic[end..]
            }
            None => rest,
        };
        if let Some(call) = rest.strip_prefix("('") {
            names.insert(call[..call.find('\'').expect("closing quote")].to_string());
        }
    }
    names
}

#[test]
fn every_list_of_commands_agrees() {
    let commands = command_functions(&read("src-tauri/src/commands.rs"));
    let main = read("src-tauri/src/main.rs");
    let handler: BTreeSet<String> =
        idents_after(between(&main, "generate_handler!", "[", "]"), "commands::")
            .into_iter()
            .map(String::from)
            .collect();
    let build = read("src-tauri/build.rs");
    let build_list: BTreeSet<String> = quoted(between(&build, "const COMMANDS", "&[", "];"))
        .into_iter()
        .map(String::from)
        .collect();
    let capabilities: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).expect("capabilities JSON");
    let granted: BTreeSet<String> = capabilities["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(|p| p.as_str())
        // The app's own permissions have no `plugin:` prefix.
        .filter(|p| !p.contains(':'))
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let ui = invoked(&read("ui/src/lib/api.ts"));

    let lists = [
        (
            "#[tauri::command] functions in src-tauri/src/commands.rs",
            &commands,
        ),
        ("generate_handler! in src-tauri/src/main.rs", &handler),
        ("COMMANDS in src-tauri/build.rs", &build_list),
        (
            "allow-… permissions in src-tauri/capabilities/main.json",
            &granted,
        ),
        ("invoke(…) calls in ui/src/lib/api.ts", &ui),
    ];
    assert!(!commands.is_empty(), "no commands found in commands.rs");
    let all: BTreeSet<&String> = lists.iter().flat_map(|(_, l)| l.iter()).collect();
    let mut problems = String::new();
    for (what, list) in &lists {
        let missing: Vec<&str> = all
            .iter()
            .filter(|c| !list.contains(c.as_str()))
            .map(|c| c.as_str())
            .collect();
        if !missing.is_empty() {
            problems.push_str(&format!("  {what} lacks: {}\n", missing.join(", ")));
        }
    }
    assert!(
        problems.is_empty(),
        "the command lists disagree (every command must be in each of them):\n{problems}"
    );
}
