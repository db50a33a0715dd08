//! Which photos each committed change touched (migration 17): triggers note the photo of every row
//! written to the tables the search index reads (`photo_changes_pending`), and every transaction that
//! wrote moves them, as its last statements, into `photo_changes` under the revision it commits as
//! (right after raising it: see [`crate::db::Db::count_revisions`]). Raising the revision takes the
//! `meta` row's lock until commit, so on a server transactions log in the order they commit, and a
//! reader at revision R has seen exactly the changes logged up to R. The log is complete after
//! `changes_logged_from` (the revision when it began, or when it was last trimmed).

use crate::db::{params, Db, Transaction};
use crate::Result;

use super::Catalog;

/// What every transaction that wrote runs before it commits: the revision, then its photos' changes.
pub(crate) const AT_COMMIT: &[&str] = &[
    crate::revision::COUNT_REVISION,
    "INSERT INTO photo_changes (revision, photo_id)
     SELECT DISTINCT CAST((SELECT value FROM meta WHERE key = 'revision') AS INTEGER), photo_id
     FROM photo_changes_pending",
    "DELETE FROM photo_changes_pending",
];

/// The photos changed after `revision`, in id order — None when the log does not reach back that
/// far (the catalogue predates it, or it was trimmed since).
pub(crate) fn photos_changed_since(db: &Db, revision: i64) -> Result<Option<Vec<i64>>> {
    let logged_from =
        crate::meta::meta(db, "changes_logged_from")?.and_then(|v| v.parse::<i64>().ok());
    if logged_from.is_none_or(|from| revision < from) {
        return Ok(None);
    }
    db.query_map(
        "SELECT DISTINCT photo_id FROM photo_changes WHERE revision > ?1 ORDER BY photo_id",
        params![revision],
        |r| r.get(0),
    )
    .map(Some)
}

impl Catalog {
    /// Forgets which photos changed up to now (what [`Catalog::compact`] does first): a copy read at
    /// an earlier revision is read whole again once.
    pub fn trim_change_log(&self) -> Result<()> {
        let tx = Transaction::begin(self.db(), true)?;
        tx.execute("DELETE FROM photo_changes", ())?;
        tx.execute(
            "INSERT INTO meta (key, value)
             SELECT 'changes_logged_from', CAST(CAST(value AS INTEGER) + 1 AS TEXT)
             FROM meta WHERE key = 'revision'
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (),
        )?;
        tx.commit()
    }

    /// How many (revision, photo) entries the change log holds (for the tests).
    #[cfg(test)]
    pub(crate) fn change_log_len(&self) -> Result<u64> {
        self.db()
            .query_row("SELECT COUNT(*) FROM photo_changes", (), |r| r.get(0))
    }
}

#[cfg(test)]
mod tests {
    use crate::db::params;
    use crate::fixture::{add_label, catalogue};

    fn changed(catalog: &crate::Catalog, since: i64) -> Option<Vec<i64>> {
        super::photos_changed_since(catalog.db(), since).unwrap()
    }

    #[test]
    fn each_commit_logs_the_photos_it_touched_under_its_revision() {
        let (_dir, mut catalog) = catalogue();
        let start = catalog.revision().unwrap().number;
        assert_eq!(changed(&catalog, start), Some(vec![]));
        // A label (photo 3), a face changing person (photo 2), a photo removed (photo 4).
        add_label(&catalog, 3, "beach");
        let after_label = catalog.revision().unwrap().number;
        catalog
            .db()
            .execute("UPDATE faces SET person_id = 1 WHERE id = 20", ())
            .unwrap();
        catalog
            .db()
            .execute("DELETE FROM photos WHERE id = 4", ())
            .unwrap();
        assert_eq!(changed(&catalog, start), Some(vec![2, 3, 4]));
        assert_eq!(changed(&catalog, after_label), Some(vec![2, 4]));
        // What does not change what search reads of a photo logs nothing: a person's name (people
        // are read whole), a face's clustering cell, a rolled-back write.
        let now = catalog.revision().unwrap().number;
        catalog
            .db()
            .execute("UPDATE people SET name = 'Ann' WHERE id = 1", ())
            .unwrap();
        catalog
            .db()
            .execute("UPDATE faces SET cell = 3 WHERE id = 10", ())
            .unwrap();
        {
            let writer = catalog.writer().unwrap();
            writer
                .tx
                .execute(
                    "INSERT INTO labels (photo_id, kind, label, score, model_version)
                     VALUES (1, 'label', 'dog', 0.9, 'test')",
                    params![],
                )
                .unwrap();
        }
        assert_eq!(changed(&catalog, now), Some(vec![]));
        let pending: i64 = catalog
            .db()
            .query_row("SELECT COUNT(*) FROM photo_changes_pending", (), |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(pending, 0, "every commit empties what it noted");
        // Another connection sees the same log; trimming it makes older revisions unknown.
        let again = catalog.connect_again().unwrap();
        assert_eq!(
            super::photos_changed_since(again.db(), start).unwrap(),
            Some(vec![2, 3, 4])
        );
        catalog.trim_change_log().unwrap();
        assert_eq!(changed(&catalog, start), None);
        let trimmed = catalog.revision().unwrap().number;
        assert_eq!(changed(&catalog, trimmed), Some(vec![]));
        assert_eq!(catalog.change_log_len().unwrap(), 0);
    }
}
