//! The catalogue's revision: which catalogue this is (`catalog_id`, made on first open) and how many
//! changes have been committed to it (`revision`, raised by every transaction that writes, in that
//! transaction: see [`crate::db::Db::count_revisions`]). Two reads with equal revisions saw the same
//! catalogue, whichever process or machine made them — what a copy kept outside the catalogue (the
//! search index saved in the cache) is checked against.

use serde::{Deserialize, Serialize};

use crate::db::{params, Db};

use super::Catalog;
use crate::Result;

/// The statement every writing transaction runs before it commits.
pub(crate) const COUNT_REVISION: &str =
    "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'";

/// A catalogue and how far its changes have gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub catalog_id: String,
    pub number: i64,
}

impl Catalog {
    /// The catalogue's revision now.
    pub fn revision(&self) -> Result<Revision> {
        read_revision(self.db())
    }
}

pub(crate) fn read_revision(db: &Db) -> Result<Revision> {
    let rows: Vec<(String, String)> = db.query_map(
        "SELECT key, value FROM meta WHERE key IN ('catalog_id', 'revision')",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let value = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    Ok(Revision {
        catalog_id: value("catalog_id").unwrap_or_default().to_string(),
        number: value("revision").and_then(|v| v.parse().ok()).unwrap_or(0),
    })
}

/// Gives the catalogue its id if it has none yet (a fresh or just migrated catalogue): random, from
/// the time, the process and where the catalogue is.
pub(crate) fn name_catalogue(db: &Db, location: &str) -> Result<()> {
    if crate::meta::meta(db, "catalog_id")?.is_some() {
        return Ok(());
    }
    let mut hasher = blake3::Hasher::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.update(&now.to_le_bytes());
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(location.as_bytes());
    let id = hasher.finalize().to_hex()[..32].to_string();
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('catalog_id', ?1) ON CONFLICT (key) DO NOTHING",
        params![id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::fixture::open_test_catalog;

    #[test]
    fn every_committed_write_raises_the_revision_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = open_test_catalog(dir.path());
        let start = catalog.revision().unwrap();
        assert_eq!(start.catalog_id.len(), 32, "{start:?}");
        // Reads, and a write rolled back, change nothing.
        catalog.libraries().unwrap();
        drop(catalog.search_snapshot().unwrap());
        {
            let writer = catalog.writer().unwrap();
            writer.regroup_shots().unwrap();
            drop(writer);
        }
        assert_eq!(catalog.revision().unwrap(), start);
        // A write outside a transaction counts once; a transaction that writes counts once.
        catalog.set_meta("probe", "1").unwrap();
        assert_eq!(catalog.revision().unwrap().number, start.number + 1);
        let writer = catalog.writer().unwrap();
        writer.regroup_shots().unwrap();
        writer.commit().unwrap();
        assert_eq!(catalog.revision().unwrap().number, start.number + 2);
        // Another connection (another process) sees the same revision; the id stays.
        let again = catalog.connect_again().unwrap();
        assert_eq!(again.revision().unwrap(), catalog.revision().unwrap());
        assert_eq!(again.revision().unwrap().catalog_id, start.catalog_id);
    }
}
