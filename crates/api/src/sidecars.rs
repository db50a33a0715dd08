//! Writing XMP sidecars (opt-in): what Argus knows about each photo — its named people as MWG face
//! regions and `PersonInImage`, scene labels and face attributes as keywords under a root, the photo's
//! own keywords and rating — merged into the photo's sidecar by `argus-xmp`, which keeps everything
//! else in it. The CLI's `argus xmp write` and the app's "write sidecars" setting both run this.
//!
//! - Only sidecars are written, never a photo: the target always ends in `.xmp`.
//! - A photo's existing sidecar (either naming) is the one updated; a new one follows the naming asked for.
//! - A sidecar another tool changed since Argus read it is read again (a scan of that photo) first, so
//!   nothing the other tool said is lost or contradicted.
//! - Writes are atomic (a temporary file in the same folder, then a rename), and a sidecar whose merged
//!   text equals what is there is not touched: writing twice changes nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use argus_catalog::{Catalog, SidecarSource, SidecarState};
use argus_core::metadata::NormBox;
use argus_core::probes::ProbeSet;
use argus_core::progress::{CancelToken, JobObserver, JobStage};
use argus_core::vocabulary::ATTRIBUTES;
use argus_core::Result;
use argus_export::{select, Selection};
use argus_media::thumbs::ThumbCache;
use argus_scan::{scan, ScanOptions, Scope};
use argus_xmp::sidecar::{candidates, read_sidecar};
use argus_xmp::write::{merge_sidecar, ArgusFacts, NamedFace, WriteOptions};
pub use argus_xmp::SidecarNaming;

/// What goes into the sidecars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SidecarPart {
    /// Named people: MWG face regions, `PersonInImage`, and `<root>/People/<name>` keywords.
    People,
    /// Scene labels as `<root>/Labels/<label>` keywords.
    Labels,
    /// Face attributes (beard, sunglasses …) as `<root>/Attributes/<attribute>` keywords.
    Attributes,
    /// The photo's own keywords (read from the file) and its rating, for tools that read only sidecars.
    Keywords,
}

impl SidecarPart {
    pub const ALL: [SidecarPart; 4] = [
        SidecarPart::People,
        SidecarPart::Labels,
        SidecarPart::Attributes,
        SidecarPart::Keywords,
    ];

    /// The part called `name` (as on the command line).
    pub fn from_name(name: &str) -> Option<SidecarPart> {
        SidecarPart::ALL
            .into_iter()
            .find(|p| format!("{p:?}").eq_ignore_ascii_case(name.trim()))
    }
}

/// A sidecar write: which photos, what, how.
#[derive(Debug, Clone)]
pub struct SidecarRequest {
    /// A search query choosing the photos; empty: every photo.
    pub query: String,
    pub parts: BTreeSet<SidecarPart>,
    /// The naming of new sidecars.
    pub naming: SidecarNaming,
    /// The root level of Argus's keywords.
    pub keyword_root: String,
    /// Report what would change, write nothing.
    pub dry_run: bool,
}

impl Default for SidecarRequest {
    fn default() -> Self {
        SidecarRequest {
            query: String::new(),
            parts: SidecarPart::ALL.into_iter().collect(),
            naming: SidecarNaming::default(),
            keyword_root: WriteOptions::default().keyword_root,
            dry_run: false,
        }
    }
}

/// What a sidecar write did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SidecarReport {
    /// Photos looked at.
    pub photos: usize,
    /// Sidecars written (or, in a dry run, that would be).
    pub written: usize,
    /// Sidecars that already said everything: left untouched.
    pub unchanged: usize,
    /// Sidecars changed by another tool since Argus read them: read again before writing.
    pub reread: usize,
    pub changes: Vec<SidecarChange>,
    /// Photos whose sidecar could not be written, with the reason.
    pub problems: Vec<SidecarProblem>,
    pub cancelled: bool,
}

/// One sidecar that changed (or would).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SidecarChange {
    pub photo_id: i64,
    pub sidecar: PathBuf,
    /// Whether the sidecar is new.
    pub created: bool,
    /// The lines removed (`-`) and added (`+`), in a dry run.
    pub diff: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SidecarProblem {
    pub photo_id: i64,
    pub path: PathBuf,
    pub reason: String,
}

/// The sidecar settings kept in the catalogue (the app's "write sidecars"; `argus xmp write` uses the
/// naming and root as its defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SidecarSettings {
    /// Keep sidecars up to date by themselves (the app, after analysis and after people edits).
    pub write_sidecars: bool,
    pub naming: SidecarNaming,
    pub keyword_root: String,
}

impl Default for SidecarSettings {
    fn default() -> Self {
        SidecarSettings {
            write_sidecars: false,
            naming: SidecarNaming::default(),
            keyword_root: WriteOptions::default().keyword_root,
        }
    }
}

const SETTINGS_KEY: &str = "sidecars.settings";

impl SidecarSettings {
    /// The settings stored in `catalog` (the defaults when none are).
    pub fn load(catalog: &Catalog) -> Result<SidecarSettings> {
        Ok(catalog
            .meta(SETTINGS_KEY)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Checks and stores the settings.
    pub fn save(&self, catalog: &Catalog) -> Result<()> {
        if self.keyword_root.trim().trim_matches('/').is_empty() {
            return Err(argus_core::Error::Other(
                "the keyword root needs a name (the keywords' top level)".into(),
            ));
        }
        let json = serde_json::to_string(self).expect("settings serialise");
        catalog.set_meta(SETTINGS_KEY, &json)
    }

    /// A request writing every photo's sidecar with these settings.
    pub fn request(&self) -> SidecarRequest {
        SidecarRequest {
            naming: self.naming,
            keyword_root: self.keyword_root.clone(),
            ..SidecarRequest::default()
        }
    }
}

/// Writes the sidecars of the photos `request` chooses.
pub fn write_sidecars(
    catalog: &mut Catalog,
    cache: &ThumbCache,
    request: &SidecarRequest,
    observer: &dyn JobObserver,
    cancel: &CancelToken,
) -> Result<SidecarReport> {
    let ids = select(catalog, &Selection::Query(request.query.clone()))?;
    let mut report = SidecarReport {
        photos: ids.len(),
        ..SidecarReport::default()
    };
    let options = WriteOptions {
        keyword_root: request.keyword_root.clone(),
    };
    observer.stage(JobStage::Sidecars, Some(ids.len() as u64));
    for id in ids {
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        let Some(mut source) = catalog.sidecar_source(id)? else {
            continue;
        };
        observer.advance(&source.path);
        let target = sidecar_target(&source.path, request.naming);
        if sidecar_changed_since_read(source.sidecar.as_ref(), &target) {
            // Another tool wrote it: learn what it says before adding to it.
            let quiet = argus_core::progress::Silent;
            scan(
                catalog,
                cache,
                &Scope::Paths(vec![source.path.clone()]),
                &ScanOptions::default(),
                &quiet,
                cancel,
            )?;
            report.reread += 1;
            match catalog.sidecar_source(id)? {
                Some(s) => source = s,
                None => continue,
            }
        }
        match write_one(&source, &target, request, &options) {
            Ok(Some(change)) => {
                report.written += 1;
                if !request.dry_run {
                    if let Ok(meta) = std::fs::metadata(&target) {
                        catalog.record_sidecar(
                            id,
                            &SidecarState {
                                path: target.clone(),
                                size: meta.len(),
                                mtime_ns: argus_media::mtime_ns(&meta),
                            },
                        )?;
                    }
                }
                report.changes.push(SidecarChange {
                    photo_id: id,
                    ..change
                });
            }
            Ok(None) => report.unchanged += 1,
            Err(reason) => report.problems.push(SidecarProblem {
                photo_id: id,
                path: target,
                reason,
            }),
        }
    }
    Ok(report)
}

/// The sidecar to write for `photo`: the one it has (either naming), else a new one named `naming`.
pub fn sidecar_target(photo: &Path, naming: SidecarNaming) -> PathBuf {
    candidates(photo)
        .into_iter()
        .find(|c| c.is_file())
        .unwrap_or_else(|| naming.sidecar_of(photo))
}

/// Whether the sidecar on disk is not the one the catalogue read (changed, appeared or replaced).
fn sidecar_changed_since_read(read: Option<&SidecarState>, target: &Path) -> bool {
    let on_disk = std::fs::metadata(target).ok().filter(|m| m.is_file());
    match (read, on_disk) {
        (None, None) => false,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(state), Some(meta)) => {
            state.path != target
                || state.size != meta.len()
                || state.mtime_ns != argus_media::mtime_ns(&meta)
        }
    }
}

/// Merges and (unless a dry run) writes one sidecar; `None` when it already says everything.
fn write_one(
    source: &SidecarSource,
    target: &Path,
    request: &SidecarRequest,
    options: &WriteOptions,
) -> std::result::Result<Option<SidecarChange>, String> {
    if !argus_xmp::sidecar::is_sidecar(target) || target == source.path {
        return Err("refusing to write anything but an .xmp sidecar".into());
    }
    let existing = if target.is_file() {
        Some(read_sidecar(target).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let facts = facts_of(source, &request.parts);
    let merged = merge_sidecar(existing.as_deref(), &facts, options)
        .map_err(|e| format!("the sidecar cannot be merged ({e}); it was left as it is"))?;
    if existing.as_deref() == Some(merged.as_str()) {
        return Ok(None);
    }
    let diff = if request.dry_run {
        line_diff(existing.as_deref().unwrap_or(""), &merged)
    } else {
        write_atomically(target, &merged).map_err(|e| format!("cannot write the sidecar: {e}"))?;
        Vec::new()
    };
    Ok(Some(SidecarChange {
        photo_id: 0,
        sidecar: target.to_path_buf(),
        created: existing.is_none(),
        diff,
    }))
}

/// The facts of `parts` for one photo.
pub fn facts_of(source: &SidecarSource, parts: &BTreeSet<SidecarPart>) -> ArgusFacts {
    let mut facts = ArgusFacts {
        stored_width: source.stored_width,
        stored_height: source.stored_height,
        orientation: source.orientation,
        ..ArgusFacts::default()
    };
    if parts.contains(&SidecarPart::People) {
        facts.faces = source
            .named_faces
            .iter()
            .map(|(name, area): &(String, NormBox)| NamedFace {
                name: name.clone(),
                area: *area,
            })
            .collect();
        let names: BTreeSet<&str> = source.named_faces.iter().map(|(n, _)| n.as_str()).collect();
        facts.keywords.extend(
            names
                .into_iter()
                .map(|n| format!("People/{}", n.replace('/', " "))),
        );
    }
    if parts.contains(&SidecarPart::Labels) {
        facts
            .keywords
            .extend(source.labels.iter().map(|l| format!("Labels/{l}")));
    }
    if parts.contains(&SidecarPart::Attributes) {
        let probes = ProbeSet::builtin();
        let present: BTreeSet<&str> = source
            .face_attributes
            .iter()
            .filter(|(name, value)| {
                ATTRIBUTES.contains(&name.as_str()) && *value >= probes.threshold(name)
            })
            .map(|(name, _)| name.as_str())
            .collect();
        facts
            .keywords
            .extend(present.into_iter().map(|a| format!("Attributes/{a}")));
    }
    if parts.contains(&SidecarPart::Keywords) {
        facts.plain_keywords = source
            .keywords
            .iter()
            .filter(|k| !k.contains(argus_core::metadata::KEYWORD_SEPARATOR))
            .cloned()
            .collect();
        facts.rating = source.rating;
    }
    facts
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".argus-sidecar-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temp.write_all(text.as_bytes())?;
    // A temporary file is private; the sidecar keeps the old one's permissions, or gets the usual ones.
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The lines of `after` that differ from `before`: the common head and tail dropped, the rest shown as
/// removed (`-`) and added (`+`).
fn line_diff(before: &str, after: &str) -> Vec<String> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let removed = a[head..a.len() - tail].iter().map(|l| format!("-{l}"));
    let added = b[head..b.len() - tail].iter().map(|l| format!("+{l}"));
    removed.chain(added).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_the_changed_lines_only() {
        let d = line_diff("a\nb\nc\nd", "a\nB\nx\nd");
        assert_eq!(d, ["-b", "-c", "+B", "+x"]);
        assert_eq!(line_diff("", "a\nb"), ["+a", "+b"]);
        assert!(line_diff("same", "same").is_empty());
    }

    #[test]
    fn parts_by_name() {
        assert_eq!(SidecarPart::from_name("People"), Some(SidecarPart::People));
        assert_eq!(
            SidecarPart::from_name(" labels "),
            Some(SidecarPart::Labels)
        );
        assert_eq!(SidecarPart::from_name("faces"), None);
    }
}
