//! The read-write handle: one immediate write transaction on the catalogue. Jobs that change the
//! catalogue (the scanner's batches, analysis results, clustering) take a [`Writer`], call its
//! methods — each a few statements of SQL owned here — and commit; dropping it uncommitted rolls
//! everything back. Reads through the same handle see the transaction's own writes.

use super::analysis::write_analysis;
use super::photos::{delete_photos, move_photo, upsert_photo};
use super::shots::{choose_shot_primary, hand_over_shots, regroup_shots};
use super::stacks::{dismiss, release_stacks, stack, unstack};
use std::path::PathBuf;

use super::mounts::Mounts;
use super::{Catalog, PhotoRecord};
use crate::db::Transaction;
use crate::Result;
use argus_core::results::PhotoAnalysis;

/// A write transaction on the catalogue.
pub struct Writer<'c> {
    pub(crate) tx: Transaction<'c>,
    /// Where this machine sees the libraries: records arrive with local paths.
    mounts: &'c Mounts,
}

impl Catalog {
    /// Starts a write transaction (waiting, up to the busy timeout, for another writer to finish).
    pub fn writer(&mut self) -> Result<Writer<'_>> {
        Ok(Writer {
            tx: Transaction::begin(&self.db, true)?,
            mounts: &self.mounts,
        })
    }
}

impl Writer<'_> {
    /// Makes every change of this transaction durable and visible.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()
    }

    /// The scanner: writes a file's row at its path (a new photo, or the same photo's new facts;
    /// a changed content hash drops the analysis that described the old pixels). Its id.
    pub fn upsert_photo(&self, record: &PhotoRecord) -> Result<i64> {
        upsert_photo(&self.tx, &self.as_stored(record))
    }

    /// The scanner: points photo `id` at its new path (a move or rename), keeping its analysis.
    pub fn move_photo(&self, id: i64, record: &PhotoRecord) -> Result<()> {
        move_photo(&self.tx, id, &self.as_stored(record))
    }

    /// A record with its paths (the file's, its sidecar's) as the catalogue stores them.
    fn as_stored(&self, record: &PhotoRecord) -> PhotoRecord {
        let mut stored = record.clone();
        stored.path = PathBuf::from(self.mounts.stored(&record.path));
        if let Some(sidecar) = stored.metadata.as_mut().and_then(|m| m.sidecar.as_mut()) {
            sidecar.path = PathBuf::from(self.mounts.stored(&sidecar.path));
        }
        stored
    }

    /// The scanner: removes photos whose files are gone (their analysis goes with them, or to the
    /// remaining file of their shot).
    pub fn delete_photos(&self, ids: &[i64]) -> Result<()> {
        release_stacks(&self.tx, ids)?;
        hand_over_shots(&self.tx, ids)?;
        delete_photos(&self.tx, ids)
    }

    /// The scanner, after a scan's changes: pairs RAW and JPEG/HEIC files of the same name into shots
    /// (see [`crate::shots`]). How many files are companions.
    pub fn regroup_shots(&self) -> Result<u64> {
        regroup_shots(&self.tx)
    }

    /// The user: makes `photo` (the RAW of a RAW+JPEG pair, say) its shot's primary, kept across scans;
    /// the shot's analysis moves to it. Whether `photo` belongs to a shot.
    pub fn choose_shot_primary(&self, photo: i64) -> Result<bool> {
        choose_shot_primary(&self.tx, photo)
    }

    /// Stacks duplicates behind the copy the user keeps (see [`super::stacks`]); how many.
    pub fn stack_duplicates(&self, keep: i64, others: &[i64]) -> Result<usize> {
        stack(&self.tx, keep, others)
    }

    /// Takes a photo out of its duplicate stack (a kept photo: its whole stack); how many.
    pub fn unstack(&self, photo: i64) -> Result<usize> {
        unstack(&self.tx, photo)
    }

    /// Remembers that these photos are not duplicates of one another; how many new pairs.
    pub fn dismiss_duplicates(&self, photos: &[i64]) -> Result<usize> {
        dismiss(&self.tx, photos)
    }

    /// Analysis: writes one photo's results — only if the photo still has the content `hash` they
    /// were computed from (a scan may have removed it or seen it change meanwhile). Whether they
    /// were written.
    pub fn write_analysis_of(&self, hash: &str, result: &PhotoAnalysis) -> Result<bool> {
        let current: Option<Option<String>> = self.tx.query_opt(
            "SELECT hash FROM photos WHERE id = ?1",
            [result.photo_id],
            |r| r.get(0),
        )?;
        if current.flatten().as_deref() != Some(hash) {
            return Ok(false);
        }
        write_analysis(&self.tx, result)?;
        Ok(true)
    }
}
