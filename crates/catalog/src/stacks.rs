//! Stacks of duplicates the user made: the copies behind the one they kept (`shot_of` → the kept
//! photo, `stack_kind` `duplicate`; the mechanism RAW+JPEG shots use, see [`super::shots`]), hidden
//! from the grid, search and analysis but kept in the catalogue; and the pairs the user said are not
//! duplicates (`duplicate_dismissals`). Nothing here touches a file.

use std::collections::HashSet;

use crate::db::{params, Db};

use super::Catalog;
use crate::photos::{photo_from_row, PHOTO_COLUMNS};
use crate::{Error, Photo, Result};

/// The `stack_kind` of a duplicate stacked behind the copy the user kept.
pub const DUPLICATE: &str = "duplicate";

fn shown(conn: &Db, id: i64) -> Result<bool> {
    Ok(conn
        .query_opt(
            "SELECT status = 'ok' AND shot_of IS NULL FROM photos WHERE id = ?1",
            params![id],
            |r| r.get::<bool>(0),
        )?
        .unwrap_or(false))
}

/// Stacks `others` behind `keep` (and whatever was stacked behind them). Returns how many photos
/// were stacked.
pub(crate) fn stack(conn: &Db, keep: i64, others: &[i64]) -> Result<usize> {
    if !shown(conn, keep)? {
        return Err(Error::Decision(format!(
            "photo {keep} cannot keep a stack: it is not in the grid (missing, unreadable, or itself stacked)"
        )));
    }
    let mut stacked = 0;
    for &other in others.iter().filter(|&&o| o != keep) {
        if !shown(conn, other)? {
            return Err(Error::Decision(format!(
                "photo {other} cannot be stacked: it is not in the grid (missing, unreadable, or already stacked)"
            )));
        }
        // What was stacked behind `other` moves behind `keep`: stacks are one level deep.
        conn.execute(
            "UPDATE photos SET shot_of = ?2 WHERE shot_of = ?1 AND stack_kind = ?3",
            params![other, keep, DUPLICATE],
        )?;
        stacked += conn.execute(
            "UPDATE photos SET shot_of = ?2, stack_kind = ?3 WHERE id = ?1",
            params![other, keep, DUPLICATE],
        )?;
    }
    Ok(stacked)
}

/// Takes `photo` out of its duplicate stack, or, for a kept photo, every photo out of its stack.
/// Returns how many photos are back in the grid.
pub(crate) fn unstack(conn: &Db, photo: i64) -> Result<usize> {
    conn.execute(
        "UPDATE photos SET shot_of = NULL, stack_kind = NULL
         WHERE stack_kind = ?2 AND (id = ?1 OR shot_of = ?1)",
        params![photo, DUPLICATE],
    )
}

/// Remembers that the photos are not duplicates of one another (every pair of them).
pub(crate) fn dismiss(conn: &Db, photos: &[i64]) -> Result<usize> {
    let insert = conn.prepare(
        "INSERT OR IGNORE INTO duplicate_dismissals (photo_a, photo_b, dismissed_at)
         VALUES (?1, ?2, ?3)",
    );
    let mut pairs = 0;
    for (i, &a) in photos.iter().enumerate() {
        for &b in &photos[i + 1..] {
            if a != b {
                pairs += insert.execute(params![a.min(b), a.max(b), crate::unix_now()])?;
            }
        }
    }
    Ok(pairs)
}

/// Before photos are deleted: what was stacked behind them comes back to the grid.
pub(crate) fn release_stacks(conn: &Db, deleted: &[i64]) -> Result<()> {
    let release = conn.prepare(
        "UPDATE photos SET shot_of = NULL, stack_kind = NULL WHERE shot_of = ?1 AND stack_kind = ?2",
    );
    for &gone in deleted {
        release.execute(params![gone, DUPLICATE])?;
    }
    Ok(())
}

impl Catalog {
    /// The pairs `(lower id, higher id)` the user said are not duplicates.
    pub fn dismissed_duplicates(&self) -> Result<HashSet<(i64, i64)>> {
        let stmt = self
            .db()
            .prepare("SELECT photo_a, photo_b FROM duplicate_dismissals");
        let rows = stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.into_iter().collect())
    }

    /// Every photo the user stacked behind a kept copy, by the kept photo's id, then path.
    pub fn stacked_duplicates(&self) -> Result<Vec<Photo>> {
        let sql = format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE stack_kind = ?1 ORDER BY shot_of NULLS FIRST, path"
        );
        let stmt = self.db().prepare(&sql);
        let rows = stmt.query_map(params![DUPLICATE], |r| photo_from_row(r, self.mounts()))?;
        Ok(rows.into_iter().collect())
    }

    /// The photos the user stacked behind `photo`, by path.
    pub fn stacked_behind(&self, photo: i64) -> Result<Vec<Photo>> {
        let sql = format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE shot_of = ?1 AND stack_kind = ?2 ORDER BY path"
        );
        let stmt = self.db().prepare(&sql);
        let rows = stmt.query_map(params![photo, DUPLICATE], |r| {
            photo_from_row(r, self.mounts())
        })?;
        Ok(rows.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::photo_record as record;

    #[test]
    fn stacked_duplicates_lists_every_stack_until_unstacked() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = crate::fixture::open_test_catalog(dir.path());
        let library = catalog.add_library(dir.path()).unwrap();
        let tx = catalog.writer().unwrap();
        let ids: Vec<i64> = ["a", "b", "c"]
            .iter()
            .map(|n| {
                let path = dir.path().join(format!("{n}.jpg"));
                tx.upsert_photo(&record(library.id, &path, n)).unwrap()
            })
            .collect();
        assert_eq!(tx.stack_duplicates(ids[0], &ids[1..]).unwrap(), 2);
        tx.commit().unwrap();
        let stacked = catalog.stacked_duplicates().unwrap();
        assert_eq!(
            stacked
                .iter()
                .map(|p| (p.id, p.shot_of))
                .collect::<Vec<_>>(),
            vec![(ids[1], Some(ids[0])), (ids[2], Some(ids[0]))]
        );
        let tx = catalog.writer().unwrap();
        assert_eq!(tx.unstack(ids[2]).unwrap(), 1);
        tx.commit().unwrap();
        assert_eq!(catalog.stacked_duplicates().unwrap().len(), 1);
    }
}
