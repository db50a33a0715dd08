//! Moving a catalogue between engines: `argus catalog migrate --from A --to B` copies a personal
//! catalogue file into a team's PostgreSQL database (or back, or file to file), everything with its
//! ids — photos, analysis, people and every decision, rejections, manual faces — and checks the copy
//! table by table before it commits (see `argus_catalog::Catalog::copy_into`).

use crate::catalog::{CopyReport, TableDigest};
use crate::paths::CatalogLocation;
use argus_core::progress::CancelToken;
use argus_core::{Error, Result};

/// What a migration did: the copy, and the tables' fingerprints (equal on both sides).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Migrated {
    pub from: String,
    pub to: String,
    pub copy: CopyReport,
    pub digests: std::collections::BTreeMap<String, TableDigest>,
}

/// Copies the catalogue at `from` into the empty one at `to` (made if missing).
pub fn migrate(
    from: &CatalogLocation,
    to: &CatalogLocation,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Migrated> {
    if from == to {
        return Err(Error::Other(format!(
            "--from and --to are the same catalogue ({from})"
        )));
    }
    if let CatalogLocation::File(path) = from {
        if !path.is_file() {
            return Err(Error::Other(format!(
                "no catalogue file at {}",
                path.display()
            )));
        }
    }
    let source = from
        .open()
        .map_err(|e| Error::Other(format!("cannot open {from}: {e}")))?;
    let destination = to
        .open()
        .map_err(|e| Error::Other(format!("cannot open {to}: {e}")))?;
    let copy = source.copy_into(&destination, cancel, progress)?;
    Ok(Migrated {
        from: from.to_string(),
        to: to.to_string(),
        copy,
        digests: destination.table_digests()?,
    })
}
