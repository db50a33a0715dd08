//! The commands the window calls: each one a few lines over the `argus` library (the same calls the
//! CLI makes). Long work is started here and runs in `jobs`; edits tell the window to refresh with
//! `catalog-changed`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use argus_api::analysis::view::PhotoDetail;
use argus_api::analysis::AnalyzeOptions;
use argus_api::catalog::{Person, PersonFace, PhotoFilter, SplitTarget};
use argus_api::export::{
    parse_color, preview, select, Aspect, ExportOptions, ExportRequest, FocusMode, OutputFormat,
    PreviewPhoto, Selection, Target,
};
use argus_api::lookalike::{duplicate_groups_in, duplicate_stacks, most_like_in};
use argus_api::metadata::NormBox;
use argus_api::people::decisions::{self, Assigned};
use argus_api::people::suggest::{faces_for, FaceSuggestion};
use argus_api::pipeline::AnalysisPlan;
use argus_api::search::SearchOptions;
use argus_api::sidecars::{SidecarNaming, SidecarSettings};
use argus_api::similar::DuplicateOptions;

use crate::contract::{
    AppInfo, DuplicatesView, ExportSelection, ExportSettings, FaceBox, FocusSetting, JobKind,
    LibraryInfo, ModelsInfo, PhotoView, Problem, SearchPage, SearchRequest, SidecarSettingsInfo,
    SimilarPhotos, StatsInfo,
};
use crate::error::{CommandError, CommandResult};
use crate::events::catalog_changed;
use crate::jobs;
use crate::state::{lock, AppState};

fn libraries(state: &AppState) -> CommandResult<Vec<LibraryInfo>> {
    Ok(state
        .catalog()
        .libraries()?
        .into_iter()
        .map(|l| LibraryInfo {
            online: l.path.is_dir(),
            path: l.path.display().to_string(),
            photos: l.photos,
        })
        .collect())
}

#[tauri::command(async)]
pub fn app_state(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    let stats = state.catalog().stats()?;
    let plan = AnalysisPlan::new(state.locations.models(), AnalyzeOptions::default());
    let missing = plan.missing().to_vec();
    Ok(AppInfo {
        catalog: state.locations.catalog.to_string(),
        cache: state.locations.cache.display().to_string(),
        models: ModelsInfo {
            ready: missing.is_empty(),
            missing,
            folder: state.locations.models.display().to_string(),
        },
        libraries: libraries(&state)?,
        stats: StatsInfo {
            photos: stats.photos,
            faces: stats.faces,
            people: stats.people,
            errors: stats.errors,
            unsupported: stats.unsupported,
        },
        job: lock(&state.jobs.current).clone(),
    })
}

/// Adds a folder and (re)starts the library worker, which scans it and watches it.
#[tauri::command(async)]
pub fn add_library(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<Vec<LibraryInfo>> {
    let folder = PathBuf::from(path.trim());
    if !folder.is_absolute() {
        return Err(CommandError::new(format!(
            "{} is not an absolute path",
            folder.display()
        )));
    }
    state.catalog().add_library(&folder)?;
    jobs::start_worker(&app, false);
    catalog_changed(&app, "library added");
    libraries(&state)
}

/// Forgets a library and its photos (the files are not touched).
#[tauri::command(async)]
pub fn remove_library(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<Vec<LibraryInfo>> {
    state.catalog().remove_library(&PathBuf::from(path))?;
    jobs::start_worker(&app, false);
    catalog_changed(&app, "library removed");
    libraries(&state)
}

/// Scans, analyses and watches again (after a pause; `retry_errors` also retries failed files).
#[tauri::command(async)]
pub fn start_scan(app: AppHandle, retry_errors: bool) -> CommandResult<()> {
    jobs::start_worker(&app, retry_errors);
    Ok(())
}

/// Pauses the library worker (`scan`) or cancels the export, after the files in progress.
#[tauri::command(async)]
pub fn cancel_job(state: State<'_, AppState>, kind: JobKind) -> CommandResult<()> {
    match kind {
        JobKind::Scan => state.jobs.pause_worker(),
        JobKind::Export => state.jobs.cancel_export(),
    };
    Ok(())
}

/// Files that could not be catalogued, and the last batch's analysis problems.
#[tauri::command(async)]
pub fn problems(state: State<'_, AppState>) -> CommandResult<Vec<Problem>> {
    let mut list: Vec<Problem> = state
        .catalog()
        .photos(&PhotoFilter {
            problems_only: true,
            include_problems: true,
            library_id: None,
            limit: Some(1000),
            offset: 0,
        })?
        .into_iter()
        .map(|p| Problem {
            path: p.path.display().to_string(),
            stage: "read".into(),
            reason: p.error.unwrap_or_else(|| p.status.as_str().to_string()),
        })
        .collect();
    let last = lock(&state.jobs.last_problems).clone();
    list.extend(last.into_iter().filter(|p| p.stage != "read"));
    Ok(list)
}

#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, request: SearchRequest) -> CommandResult<SearchPage> {
    let query = request.query.as_deref().filter(|q| !q.trim().is_empty());
    let options = SearchOptions {
        sort: request.sort,
        limit: request.limit.min(5000),
        offset: request.offset,
        facets: request.facets,
        groups: request.groups,
    };
    let (catalog, mut searcher) = state.searcher();
    let found = searcher.search(&catalog, query, &options)?;
    Ok(SearchPage {
        total: found.total,
        offset: found.offset,
        hits: found.hits,
        facets: found.facets,
        groups: found.groups,
        notes: found.notes,
    })
}

#[tauri::command(async)]
pub fn photo_detail(state: State<'_, AppState>, id: i64) -> CommandResult<PhotoView> {
    let catalog = state.catalog();
    let photo = catalog
        .photo(id)?
        .ok_or_else(|| CommandError::new(format!("no photo {id}")))?;
    let detail = PhotoDetail::load(&catalog, &state.locations.thumbs(), photo)?;
    let mut people = BTreeMap::new();
    for person in detail.faces.iter().filter_map(|f| f.person_id) {
        if let Some(p) = catalog.person(person)? {
            people.insert(person, p.name);
        }
    }
    Ok(PhotoView { detail, people })
}

#[tauri::command(async)]
pub fn people(state: State<'_, AppState>, include_hidden: bool) -> CommandResult<Vec<Person>> {
    Ok(state.catalog().people(include_hidden)?)
}

#[tauri::command(async)]
pub fn person_faces(state: State<'_, AppState>, person_id: i64) -> CommandResult<Vec<PersonFace>> {
    Ok(state.catalog().person_faces(person_id)?)
}

/// Runs a decision about people, then tells the window.
fn decide<T>(
    app: &AppHandle,
    state: &AppState,
    what: impl FnOnce(&mut argus_api::catalog::Catalog) -> argus_api::Result<T>,
) -> CommandResult<T> {
    let result = what(&mut state.catalog())?;
    catalog_changed(app, "people edited");
    jobs::write_sidecars_soon(app);
    Ok(result)
}

/// Draws a face the detector missed: a box on the photo and the person's name (found or created).
#[tauri::command(async)]
pub fn add_face(
    app: AppHandle,
    state: State<'_, AppState>,
    photo_id: i64,
    area: FaceBox,
    name: String,
) -> CommandResult<i64> {
    let FaceBox { x, y, w, h } = area;
    decide(&app, &state, |c| {
        c.add_manual_face(photo_id, NormBox { x, y, w, h }, &name)
    })
}

/// Removes a face drawn by hand.
#[tauri::command(async)]
pub fn remove_face(app: AppHandle, state: State<'_, AppState>, face_id: i64) -> CommandResult<()> {
    decide(&app, &state, |c| c.remove_manual_face(face_id))
}

#[tauri::command(async)]
pub fn sidecar_settings(state: State<'_, AppState>) -> CommandResult<SidecarSettingsInfo> {
    let s = SidecarSettings::load(&state.catalog())?;
    Ok(SidecarSettingsInfo {
        write_sidecars: s.write_sidecars,
        naming: s.naming.name().to_string(),
        keyword_root: s.keyword_root,
    })
}

/// Stores the sidecar settings; turning writing on writes every sidecar now (in the background).
#[tauri::command(async)]
pub fn set_sidecar_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SidecarSettingsInfo,
) -> CommandResult<()> {
    let naming = SidecarNaming::from_name(&settings.naming).ok_or_else(|| {
        CommandError::new(format!(
            "sidecars are named name.ext.xmp or name.xmp, not {}",
            settings.naming
        ))
    })?;
    SidecarSettings {
        write_sidecars: settings.write_sidecars,
        naming,
        keyword_root: settings.keyword_root.trim().to_string(),
    }
    .save(&state.catalog())?;
    jobs::write_sidecars_soon(&app);
    Ok(())
}

#[tauri::command(async)]
pub fn rename_person(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    name: Option<String>,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.name_person(person_id, name.as_deref()))
}

#[tauri::command(async)]
pub fn merge_people(
    app: AppHandle,
    state: State<'_, AppState>,
    into: i64,
    others: Vec<i64>,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.merge_people(into, &others))
}

#[tauri::command(async)]
pub fn split_person(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    faces: Vec<i64>,
    name: Option<String>,
) -> CommandResult<i64> {
    let name = name.filter(|n| !n.trim().is_empty());
    decide(&app, &state, |c| {
        c.split_person(person_id, &faces, SplitTarget::New(name))
    })
}

#[tauri::command(async)]
pub fn reject_faces(
    app: AppHandle,
    state: State<'_, AppState>,
    faces: Vec<i64>,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.reject_faces(&faces).map(|_| ()))
}

/// "Not this person" for suggested faces (which are in no person yet).
#[tauri::command(async)]
pub fn reject_suggestions(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    faces: Vec<i64>,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.reject_faces_from(person_id, &faces))
}

#[tauri::command(async)]
pub fn hide_person(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    hidden: bool,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.hide_person(person_id, hidden))
}

/// Makes one of a person's faces the one that represents them.
#[tauri::command(async)]
pub fn set_cover(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    face_id: i64,
) -> CommandResult<()> {
    decide(&app, &state, |c| c.set_cover(person_id, face_id))
}

/// Puts faces on a person (by id), or on the person called `name` (created when nobody is); says
/// which photos now show that person twice.
#[tauri::command(async)]
pub fn assign_faces(
    app: AppHandle,
    state: State<'_, AppState>,
    faces: Vec<i64>,
    person_id: Option<i64>,
    name: Option<String>,
) -> CommandResult<Assigned> {
    match (person_id, name) {
        (Some(person), _) => decide(&app, &state, |c| decisions::confirm(c, person, &faces)),
        (None, Some(name)) => decide(&app, &state, |c| {
            decisions::assign_to_name(c, &faces, &name)
        }),
        (None, None) => Err(CommandError::new("choose a person or type a name")),
    }
}

#[tauri::command(async)]
pub fn suggestions(
    state: State<'_, AppState>,
    person_id: i64,
) -> CommandResult<Vec<FaceSuggestion>> {
    Ok(faces_for(&state.catalog(), person_id, 48)?)
}

/// The `limit` photos most like one photo, most alike first (none, quietly, before it is analysed).
#[tauri::command(async)]
pub fn similar_photos(
    state: State<'_, AppState>,
    photo_id: i64,
    limit: usize,
) -> CommandResult<SimilarPhotos> {
    let catalog = state.catalog();
    let found = most_like_in(&catalog, photo_id, limit.min(200), || {
        state.lookalikes(&catalog)
    })?;
    Ok(SimilarPhotos {
        described: found.is_some(),
        photos: found.unwrap_or_default(),
    })
}

/// The duplicate groups of the grid's photos (bursts too when `bursts`) and the stacks made so far.
#[tauri::command(async)]
pub fn duplicates(state: State<'_, AppState>, bursts: bool) -> CommandResult<DuplicatesView> {
    let catalog = state.catalog();
    let options = DuplicateOptions {
        bursts,
        ..DuplicateOptions::default()
    };
    let lookalikes = state.lookalikes(&catalog)?;
    Ok(DuplicatesView {
        groups: duplicate_groups_in(&catalog, &lookalikes, &options)?,
        stacks: duplicate_stacks(&catalog)?,
    })
}

/// Runs a decision about duplicates (no file is touched), then tells the window.
fn decide_duplicates(
    app: &AppHandle,
    state: &AppState,
    what: impl FnOnce(&mut argus_api::catalog::Catalog) -> argus_api::Result<usize>,
) -> CommandResult<usize> {
    let changed = what(&mut state.catalog())?;
    catalog_changed(app, "duplicates decided");
    Ok(changed)
}

/// Keeps one photo and stacks the others behind it: they leave the grid and search. How many.
#[tauri::command(async)]
pub fn stack_duplicates(
    app: AppHandle,
    state: State<'_, AppState>,
    keep: i64,
    others: Vec<i64>,
) -> CommandResult<usize> {
    decide_duplicates(&app, &state, |c| {
        argus_api::lookalike::stack_duplicates(c, keep, &others)
    })
}

/// Brings a stacked photo back to the grid (a kept photo: its whole stack). How many.
#[tauri::command(async)]
pub fn unstack(app: AppHandle, state: State<'_, AppState>, photo_id: i64) -> CommandResult<usize> {
    decide_duplicates(&app, &state, |c| argus_api::lookalike::unstack(c, photo_id))
}

/// "Not duplicates": no group joins any two of these photos again. How many new pairs.
#[tauri::command(async)]
pub fn dismiss_duplicates(
    app: AppHandle,
    state: State<'_, AppState>,
    photos: Vec<i64>,
) -> CommandResult<usize> {
    decide_duplicates(&app, &state, |c| {
        argus_api::lookalike::dismiss_duplicates(c, &photos)
    })
}

impl ExportSettings {
    fn options(&self) -> Result<ExportOptions, String> {
        let out = PathBuf::from(self.out.trim());
        let aspects = self
            .aspects
            .iter()
            .map(|a| a.parse::<Aspect>())
            .collect::<Result<Vec<_>, _>>()?;
        let focus = match &self.focus {
            FocusSetting::Named(n) => FocusMode::named(n)?,
            FocusSetting::Person { person } => FocusMode::Person(*person),
        };
        ExportRequest {
            out,
            aspects,
            targets: self
                .widths
                .iter()
                .map(|&w| Target {
                    width: Some(w),
                    height: None,
                })
                .collect(),
            focus,
            zoom: self.zoom,
            padding: self.padding,
            fill: self.fill.as_deref().map(parse_color).transpose()?,
            format: self.format.parse::<OutputFormat>()?,
            quality: self.quality,
            template: self.template.clone(),
            keep_metadata: self.keep_metadata,
            upscale: self.upscale,
            raw_source: argus_api::media::raw::RawPixels::Best,
        }
        .options()
    }
}

#[tauri::command(async)]
pub fn export_preview(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    settings: ExportSettings,
) -> CommandResult<Vec<PreviewPhoto>> {
    let options = settings.options().map_err(CommandError::new)?;
    let ids = &ids[..ids.len().min(48)];
    Ok(preview(
        &state.catalog(),
        &state.locations.thumbs(),
        ids,
        &options,
    )?)
}

#[tauri::command(async)]
pub fn start_export(
    app: AppHandle,
    state: State<'_, AppState>,
    selection: ExportSelection,
    settings: ExportSettings,
) -> CommandResult<()> {
    let options = settings.options().map_err(CommandError::new)?;
    let selection = match selection {
        ExportSelection::Ids { ids } => Selection::Ids(ids),
        ExportSelection::Query { query } => Selection::Query(query),
    };
    let ids = select(&state.catalog(), &selection)?;
    if ids.is_empty() {
        return Err(CommandError::new("no photos to export"));
    }
    jobs::start_export(&app, ids, options).map_err(CommandError::new)
}

/// `~/Pictures/Argus exports` (or the home folder's when there is no pictures folder).
#[tauri::command(async)]
pub fn default_export_folder() -> CommandResult<String> {
    let dirs = directories::UserDirs::new().ok_or_else(|| CommandError::new("no home folder"))?;
    let base = dirs
        .picture_dir()
        .map(PathBuf::from)
        .unwrap_or_else(|| dirs.home_dir().join("Pictures"));
    Ok(base.join("Argus exports").display().to_string())
}

/// Opens, in the file manager, a folder an export of this session wrote to (no other folder).
#[tauri::command(async)]
pub fn open_folder(app: AppHandle, state: State<'_, AppState>, path: String) -> CommandResult<()> {
    let folder = PathBuf::from(&path);
    if !state.is_export_folder(&folder) {
        return Err(CommandError::new(format!(
            "{path} is not a folder this session exported to"
        )));
    }
    app.opener()
        .open_path(path, None::<&str>)
        .map_err(|e| CommandError::new(e.to_string()))
}

/// The grid painted its first cells (`grid`), then their thumbnails (`thumbnails`): logs the time
/// since launch (and, for the launch benchmark, writes it with the memory in use to
/// `ARGUS_APP_STARTUP_REPORT`).
#[tauri::command(async)]
pub fn first_paint(app: AppHandle, state: State<'_, AppState>, stage: String) -> CommandResult<()> {
    crate::startup::painted(&app, state.launched, &stage);
    Ok(())
}
