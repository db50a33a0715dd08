//! The export folder's manifest (`argus-export.json`): one record per crop — source, rectangle in
//! source pixels, focus used, output path and size. Each record also carries the crop's recipe
//! (a hash of everything that decides its pixels) and the output file's hash, so a later run
//! can skip a crop whose file is still there, unchanged, with the same recipe.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::focus::FocusChoice;
use super::geometry::{Fit, Rect};
use argus_core::{Error, Result};

/// The manifest's file name in the export folder.
pub const MANIFEST_NAME: &str = "argus-export.json";

const VERSION: u32 = 1;

/// What happened to a crop in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CropStatus {
    #[default]
    Written,
    /// Already there and identical: not redone.
    Unchanged,
}

/// One crop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CropRecord {
    pub photo_id: i64,
    pub source: PathBuf,
    /// Relative to the export folder.
    pub output: PathBuf,
    /// `16:9`.
    pub aspect: String,
    pub width: u32,
    pub height: u32,
    /// The size asked for; larger than `width × height` when the photo was too small.
    pub requested: [u32; 2],
    pub smaller_than_requested: bool,
    /// The crop in the source's upright pixels (may reach past the photo when `fit` is `filled`).
    pub rect: Rect,
    pub fit: Fit,
    /// Padding kept around the focus, as a fraction of its size.
    pub padding: f64,
    pub focus: FocusChoice,
    pub recipe: String,
    /// BLAKE3 of the output file.
    pub output_hash: String,
    #[serde(default)]
    pub status: CropStatus,
}

/// The manifest file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub crops: Vec<CropRecord>,
}

impl Manifest {
    /// The manifest in `out`, or an empty one if there is none or it cannot be read (crops then
    /// are simply redone).
    pub fn read(out: &Path) -> Manifest {
        std::fs::read(out.join(MANIFEST_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|m| m.version == VERSION)
            .unwrap_or(Manifest {
                version: VERSION,
                crops: Vec::new(),
            })
    }

    /// Records by output path.
    pub fn by_output(&self) -> HashMap<&Path, &CropRecord> {
        self.crops.iter().map(|c| (c.output.as_path(), c)).collect()
    }

    /// This run's crops, plus the earlier records of other files still in the folder.
    pub fn merged(previous: &Manifest, out: &Path, crops: &[CropRecord]) -> Manifest {
        let now: std::collections::HashSet<&Path> =
            crops.iter().map(|c| c.output.as_path()).collect();
        let mut all: Vec<CropRecord> = previous
            .crops
            .iter()
            .filter(|c| !now.contains(c.output.as_path()) && out.join(&c.output).is_file())
            .cloned()
            .collect();
        all.extend(crops.iter().cloned());
        all.sort_by(|a, b| a.output.cmp(&b.output));
        Manifest {
            version: VERSION,
            crops: all,
        }
    }

    /// Writes the manifest into `out` (through a temporary file, so it is never half-written).
    pub fn write(&self, out: &Path) -> Result<PathBuf> {
        let path = out.join(MANIFEST_NAME);
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        write_atomically(&path, &json)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        Ok(path)
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.argus-partial"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}
