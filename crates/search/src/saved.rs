//! The search index saved in the cache, so that a process that opens a big catalogue (`argus search`,
//! the app starting) reads its index in a second or two instead of reading the catalogue's tables
//! again (tens of seconds at a million photos, more from a server).
//!
//! One file per catalogue and machine (`<cache>/search-index/<hash of both>.index`): a header —
//! the catalogue's [`Revision`] it was read at and the *recipe* (the file format, the schema
//! version, the thresholds the index bakes in, the machine whose library mounts its paths follow) —
//! then the index's serde form in bincode's fixed-width encoding. It is used when the recipe is this
//! build's and the catalogue the same: as it is when the revision is the catalogue's now (every
//! committed change raises it, in any process on any machine), else brought up to date by `update`
//! (only the photos changed since are read again); anything unreadable is treated as absent. A file is written
//! whole to a temporary name and renamed, so a reader never sees half of one.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use argus_catalog::{Catalog, Revision};
use argus_core::clothing::WEARING_MIN_SCORE;
use argus_core::objects::OBJECT_MIN_SCORE;
use argus_core::probes::ProbeSet;
use argus_core::vocabulary::{AGE_BANDS, ATTRIBUTES};
use argus_query::meaning::UNSAFE_THRESHOLD;
use serde::{Deserialize, Serialize};

use super::index::SearchIndex;

/// Raise when what the index holds, or how, changes.
const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"ARGUSIX\0";

/// Where indexes are saved, and from what build time on one is worth saving.
#[derive(Debug, Clone)]
pub struct SavedIndexes {
    dir: PathBuf,
    /// An index read faster than this is not saved (small catalogues read in milliseconds).
    pub worth_saving: Duration,
}

/// What a saved index must match to be used.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    recipe: [u8; 32],
    revision: Revision,
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_fixed_int_encoding()
}

impl SavedIndexes {
    /// Indexes saved in `dir` (made when first needed), when reading one took a second or more.
    pub fn in_folder(dir: PathBuf) -> SavedIndexes {
        SavedIndexes {
            dir,
            worth_saving: Duration::from_secs(1),
        }
    }

    /// The file of `catalog`'s index on this machine (machines sharing a cache folder each keep
    /// their own: their library mounts make their paths differ).
    pub fn file(&self, catalog: &Catalog) -> PathBuf {
        let mut hasher = blake3::Hasher::new();
        hasher.update(catalog.name().as_bytes());
        hasher.update(b"\n");
        hasher.update(argus_catalog::this_machine().as_bytes());
        let name = hasher.finalize().to_hex();
        self.dir.join(format!("{}.index", &name[..24]))
    }

    /// The saved index of `catalog` (whose id `revision` gives), at whatever revision it was saved,
    /// if there is one this build can use. Read as a stream, so the file is never in memory beside
    /// the index.
    pub(crate) fn load(&self, catalog: &Catalog, revision: &Revision) -> Option<SearchIndex> {
        let file = std::fs::File::open(self.file(catalog)).ok()?;
        let mut input = std::io::BufReader::with_capacity(1 << 20, file);
        let mut magic = [0u8; MAGIC.len()];
        input.read_exact(&mut magic).ok()?;
        if &magic != MAGIC {
            return None;
        }
        let header: Header = bincode::serde::decode_from_std_read(&mut input, config()).ok()?;
        if header.recipe != recipe() || header.revision.catalog_id != revision.catalog_id {
            return None;
        }
        bincode::serde::decode_from_std_read(&mut input, config()).ok()
    }

    /// Saves `index` as `catalog`'s (replacing the one saved before).
    pub(crate) fn save(&self, catalog: &Catalog, index: &SearchIndex) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let file = self.file(catalog);
        let temporary = tempfile::NamedTempFile::new_in(&self.dir)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, temporary);
        out.write_all(MAGIC)?;
        let header = Header {
            recipe: recipe(),
            revision: index.revision.clone(),
        };
        let encode = |e: bincode::error::EncodeError| std::io::Error::other(e.to_string());
        bincode::serde::encode_into_std_write(&header, &mut out, config()).map_err(encode)?;
        bincode::serde::encode_into_std_write(index, &mut out, config()).map_err(encode)?;
        let temporary = out.into_inner().map_err(|e| e.into_error())?;
        temporary.persist(&file).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes `catalog`'s saved index, if any.
    pub fn forget(&self, catalog: &Catalog) -> std::io::Result<()> {
        match std::fs::remove_file(self.file(catalog)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// What, besides the catalogue, decides an index's content: the format, the schema, the thresholds
/// baked into it, and this machine (its library mounts decide the paths).
fn recipe() -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(&argus_catalog::latest_version().to_le_bytes());
    let probes = ProbeSet::builtin();
    for name in ATTRIBUTES {
        hasher.update(name.as_bytes());
        hasher.update(&probes.threshold(name).to_le_bytes());
    }
    for (low, high) in AGE_BANDS {
        hasher.update(&low.to_le_bytes());
        hasher.update(&high.unwrap_or(u8::MAX.into()).to_le_bytes());
    }
    for threshold in [
        f64::from(OBJECT_MIN_SCORE),
        f64::from(WEARING_MIN_SCORE),
        UNSAFE_THRESHOLD,
    ] {
        hasher.update(&threshold.to_le_bytes());
    }
    hasher.update(argus_catalog::this_machine().as_bytes());
    *hasher.finalize().as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{generated, random_queries};
    use crate::{IndexRead, SearchOptions, Searcher};
    use argus_catalog::fixture::{add_label, break_photo_elsewhere};

    fn saving(dir: &std::path::Path) -> Searcher {
        let mut saved = SavedIndexes::in_folder(dir.to_path_buf());
        saved.worth_saving = Duration::ZERO;
        Searcher::with_saved(saved)
    }

    fn everything(searcher: &mut Searcher, catalog: &Catalog, query: &str) -> String {
        let options = SearchOptions {
            facets: true,
            limit: 1000,
            ..SearchOptions::default()
        };
        let found = searcher.search(catalog, Some(query), &options).unwrap();
        format!("{found:?}")
    }

    #[test]
    fn a_saved_index_answers_as_the_catalogue_does_until_the_catalogue_changes() {
        let (_dir, catalog) = generated(300, 11);
        let cache = tempfile::tempdir().unwrap();
        let mut first = saving(cache.path());
        let queries: Vec<String> = random_queries(11, 25);
        let answers: Vec<String> = queries
            .iter()
            .map(|q| everything(&mut first, &catalog, q))
            .collect();
        assert!(matches!(
            first.last_read(),
            Some(IndexRead::Catalogue { saved: true, .. })
        ));
        // Another process: the saved index, with the same answers to every query and facet.
        let mut second = saving(cache.path());
        for (q, answer) in queries.iter().zip(&answers) {
            assert_eq!(&everything(&mut second, &catalog, q), answer, "{q}");
        }
        assert!(matches!(second.last_read(), Some(IndexRead::Saved { .. })));

        // A change anywhere (here another connection's) makes the saved index stale: it is brought
        // up to date (the two photos changed read again).
        add_label(&catalog, 1, "okapi");
        break_photo_elsewhere(&catalog, 2);
        let mut third = saving(cache.path());
        let found = third
            .search(&catalog, Some("okapi"), &SearchOptions::default())
            .unwrap();
        assert_eq!(found.total, 1);
        assert!(matches!(
            third.last_read(),
            Some(IndexRead::Updated {
                photos: 2,
                from_saved: true,
                saved: true,
                ..
            })
        ));
        let mut fourth = saving(cache.path());
        assert_eq!(
            everything(&mut fourth, &catalog, "okapi"),
            everything(&mut third, &catalog, "okapi")
        );
        assert!(matches!(fourth.last_read(), Some(IndexRead::Saved { .. })));
    }

    #[test]
    fn an_unreadable_saved_index_is_read_from_the_catalogue_again() {
        let (_dir, catalog) = generated(50, 12);
        let cache = tempfile::tempdir().unwrap();
        let mut searcher = saving(cache.path());
        let expected = everything(&mut searcher, &catalog, "year:2024");
        let file = SavedIndexes::in_folder(cache.path().to_path_buf()).file(&catalog);
        let bytes = std::fs::read(&file).unwrap();
        for damaged in [
            bytes[..bytes.len() / 2].to_vec(),
            b"not an index".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&file, damaged).unwrap();
            let mut again = saving(cache.path());
            assert_eq!(everything(&mut again, &catalog, "year:2024"), expected);
            assert!(matches!(
                again.last_read(),
                Some(IndexRead::Catalogue { saved: true, .. })
            ));
        }
    }
}
