//! Small catalogue-wide facts in the `meta` table, by key: the face index's and the embeddings'
//! versions, a benchmark catalogue's settings.

use crate::db::{params, Db};

use super::Catalog;
use crate::Result;

impl Catalog {
    /// The value stored under `key`, if any.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta(self.db(), key)
    }

    /// Stores `value` under `key` (replacing what was there).
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta(self.db(), key, value)
    }
}

pub(crate) fn meta(conn: &Db, key: &str) -> Result<Option<String>> {
    conn.query_opt("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
        r.get(0)
    })
}

pub(crate) fn set_meta(conn: &Db, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
