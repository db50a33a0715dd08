//! Running a search on the catalogue: the matching photos (sorted, one page of them), how many
//! there are, and optionally the facet counts for the same query.

use std::time::Instant;

use roaring::RoaringBitmap;
use serde::Serialize;

use super::facets::{facets, Facets};
use super::hints::empty_result_notes;
use super::index::{ChangeStamp, SearchIndex};
use super::query::{parse, Expr};
use super::saved::SavedIndexes;
use super::update::update;
use argus_catalog::Catalog;
use argus_core::{Error, Result};

pub use argus_query::Sort;

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// Also count the photos found per month taken (only with [`Sort::Taken`]; the app's date headers).
    pub groups: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Taken,
            limit: 100,
            offset: 0,
            facets: false,
            groups: false,
        }
    }
}

/// A run of photos found with the same month taken, in result order ([`Sort::Taken`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    /// `2024-11`, or empty for the photos without a date (always last).
    pub key: String,
    pub count: u64,
}

/// One photo found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    pub id: i64,
    pub path: String,
    pub taken_at: Option<String>,
    pub faces: u64,
}

/// What a search found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The query as typed (None: everything).
    pub query: Option<String>,
    pub parsed: Option<Expr>,
    pub total: u64,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
    /// Month groups of everything found, when asked for and sorted by date taken.
    pub groups: Option<Vec<Group>>,
    /// When nothing was found: which terms find nothing, with the nearest known value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Searches the catalogue once (reads the index for this search; keep a [`Searcher`] to search
/// again). `query` None lists every photo; a query that does not parse is an [`Error::Query`]
/// saying where.
pub fn search(
    catalog: &Catalog,
    query: Option<&str>,
    options: &SearchOptions,
) -> Result<SearchResult> {
    Searcher::new().search(catalog, query, options)
}

/// Searches one catalogue again and again (as the app does while someone types): keeps the index
/// in memory and, when the catalogue has changed, brings it up to date by reading only the photos
/// changed since (see `update`); a process starting reads the index saved in the cache
/// ([`Searcher::with_saved`]) and updates that.
#[derive(Default)]
pub struct Searcher {
    index: Option<SearchIndex>,
    saved: Option<SavedIndexes>,
    last_read: Option<IndexRead>,
}

/// How the index was last read, and how long it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IndexRead {
    /// From the catalogue's tables (`saved`: and then saved in the cache).
    Catalogue { seconds: f64, saved: bool },
    /// From the cache, saved at the catalogue's current revision.
    Saved { seconds: f64 },
    /// The index in memory (`from_saved`: or read from the cache) brought up to date: `photos`
    /// read again (`saved`: and then saved in the cache).
    Updated {
        seconds: f64,
        photos: usize,
        from_saved: bool,
        saved: bool,
    },
}

impl Searcher {
    pub fn new() -> Searcher {
        Searcher::default()
    }

    /// A searcher that reads and saves indexes in `saved`.
    pub fn with_saved(saved: SavedIndexes) -> Searcher {
        Searcher {
            saved: Some(saved),
            ..Searcher::default()
        }
    }

    /// The index, brought up to date if the catalogue changed since it was read.
    pub fn index(&mut self, catalog: &Catalog) -> Result<&SearchIndex> {
        let stamp = catalog.change_stamp()?;
        if self.index.as_ref().is_none_or(|i| i.stamp() != stamp) {
            let held = self.index.take();
            self.index = Some(self.read(catalog, stamp, held)?);
        }
        Ok(self.index.as_ref().expect("just read"))
    }

    /// How the index was last read (None before the first read).
    pub fn last_read(&self) -> Option<IndexRead> {
        self.last_read
    }

    /// The index of the catalogue now: `held` (the one in memory), else the saved one, as it is when
    /// current or brought up to date; else read from the catalogue. Saved when getting it took long
    /// enough to be worth it (a failure to save only means the next process reads more).
    fn read(
        &mut self,
        catalog: &Catalog,
        stamp: ChangeStamp,
        held: Option<SearchIndex>,
    ) -> Result<SearchIndex> {
        let started = Instant::now();
        // The stamp comes first: a change in between makes the next call read again.
        let revision = catalog.revision()?;
        let from_saved = held.is_none();
        let held = held.or_else(|| {
            self.saved
                .as_ref()
                .and_then(|saved| saved.load(catalog, &revision))
        });
        let worth_saving = |seconds: f64| {
            self.saved
                .as_ref()
                .is_some_and(|saved| seconds >= saved.worth_saving.as_secs_f64())
        };
        if let Some(mut index) = held {
            if index.revision == revision {
                index.stamp = stamp;
                if from_saved {
                    self.last_read = Some(IndexRead::Saved {
                        seconds: started.elapsed().as_secs_f64(),
                    });
                }
                return Ok(index);
            }
            if let Some((mut index, photos)) = update(index, catalog.search_snapshot()?)? {
                index.stamp = stamp;
                let seconds = started.elapsed().as_secs_f64();
                let saved = worth_saving(seconds) && self.save(catalog, &index);
                self.last_read = Some(IndexRead::Updated {
                    seconds,
                    photos,
                    from_saved,
                    saved,
                });
                return Ok(index);
            }
        }
        let index = SearchIndex::load(catalog)?;
        let seconds = started.elapsed().as_secs_f64();
        let saved = worth_saving(seconds) && self.save(catalog, &index);
        self.last_read = Some(IndexRead::Catalogue { seconds, saved });
        Ok(index)
    }

    /// Saves `index` in the cache, if this searcher saves; whether it did.
    fn save(&self, catalog: &Catalog, index: &SearchIndex) -> bool {
        self.saved
            .as_ref()
            .is_some_and(|saved| saved.save(catalog, index).is_ok())
    }

    pub fn search(
        &mut self,
        catalog: &Catalog,
        query: Option<&str>,
        options: &SearchOptions,
    ) -> Result<SearchResult> {
        let parsed = query.map(parse).transpose().map_err(Error::Query)?;
        options.sort.check(parsed.as_ref()).map_err(Error::Query)?;
        let index = self.index(catalog)?;
        index.read_descriptors_for(catalog, parsed.as_ref(), options.sort)?;
        let found = match &parsed {
            Some(expr) => index.photos(expr),
            None => index.all_photos(),
        };
        let hits = page(index, parsed.as_ref(), &found, options)
            .into_iter()
            .map(|n| Hit {
                id: index.photo_ids[n as usize],
                path: index.paths[n as usize].clone(),
                taken_at: index.taken_at[n as usize].clone(),
                faces: u64::from(index.face_counts[n as usize]),
            })
            .collect();
        let facets = options
            .facets
            .then(|| facets(index, parsed.as_ref(), &found));
        let groups = (options.groups && options.sort == Sort::Taken).then(|| months(index, &found));
        let notes = match (&parsed, query) {
            (Some(expr), Some(text)) if found.is_empty() => empty_result_notes(index, text, expr),
            _ => Vec::new(),
        };
        Ok(SearchResult {
            query: query.map(str::to_string),
            parsed,
            total: found.len(),
            offset: options.offset,
            hits,
            facets,
            groups,
            notes,
        })
    }
}

/// The photos found, counted per month taken, in date order (newest first, undated last).
fn months(index: &SearchIndex, found: &RoaringBitmap) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for &n in index.by_taken.iter().filter(|n| found.contains(**n)) {
        let key = index.taken_at[n as usize]
            .as_deref()
            .and_then(|t| t.get(..7))
            .unwrap_or("");
        match groups.last_mut() {
            Some(g) if g.key == key => g.count += 1,
            _ => groups.push(Group {
                key: key.to_string(),
                count: 1,
            }),
        }
    }
    groups
}

/// The photo numbers of one page of `found` (what `query` finds), in the sort order.
fn page(
    index: &SearchIndex,
    query: Option<&Expr>,
    found: &RoaringBitmap,
    options: &SearchOptions,
) -> Vec<u32> {
    let order = match options.sort {
        Sort::Taken => &index.by_taken,
        Sort::Added => &index.by_added,
        Sort::Faces => &index.by_faces,
        Sort::Name => &index.by_name,
        Sort::Similar => {
            return index
                .by_similarity(query, found)
                .into_iter()
                .skip(options.offset)
                .take(options.limit)
                .collect()
        }
    };
    if (found.len() as usize).saturating_mul(16) >= order.len() {
        // Many found: walk the order.
        return order
            .iter()
            .filter(|n| found.contains(**n))
            .skip(options.offset)
            .take(options.limit)
            .copied()
            .collect();
    }
    // Few found: sort them by their place in the order.
    let mut rank = vec![0u32; order.len()];
    for (place, &n) in order.iter().enumerate() {
        rank[n as usize] = place as u32;
    }
    let mut found: Vec<u32> = found.iter().collect();
    found.sort_unstable_by_key(|&n| rank[n as usize]);
    found
        .into_iter()
        .skip(options.offset)
        .take(options.limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{catalogue, generated};
    use argus_catalog::fixture::{add_label, break_photo_elsewhere};

    #[test]
    fn pages_follow_each_sort_for_few_and_many_photos_found() {
        let (_dir, c) = generated(300, 3);
        let mut searcher = Searcher::new();
        // "faces:0" finds few photos (sorted directly), "-faces:0" many (the order is walked).
        for q in ["faces:0 label:animal", "-faces:0", "year:2025"] {
            let expr = parse(q).unwrap();
            for sort in [Sort::Taken, Sort::Added, Sort::Faces, Sort::Name] {
                let expected = c.reference_search(Some(&expr), sort, 7, 5).unwrap();
                let options = SearchOptions {
                    sort,
                    limit: 7,
                    offset: 5,
                    ..SearchOptions::default()
                };
                let found = searcher.search(&c, Some(q), &options).unwrap();
                let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
                assert_eq!(ids, expected, "{q} by {sort:?}");
                assert_eq!(ids.len(), 7, "{q} finds enough photos to test paging");
            }
        }
    }

    #[test]
    fn sorting_by_similarity_pages_as_the_sql_does_and_needs_a_similar_term() {
        let (_dir, c) = generated(300, 5);
        let mut searcher = Searcher::new();
        let mut ranked = 0;
        for q in [
            "similar:3",
            "similar:3 or year:2025",
            "similar:\"IMG_000010.jpg\" -faces:0",
            "similar:5|6",
        ] {
            let expr = parse(q).unwrap();
            for (limit, offset) in [(10, 0), (7, 3), (1000, 0)] {
                let expected = c
                    .reference_search(Some(&expr), Sort::Similar, limit, offset)
                    .unwrap();
                let options = SearchOptions {
                    sort: Sort::Similar,
                    limit,
                    offset,
                    ..SearchOptions::default()
                };
                let found = searcher.search(&c, Some(q), &options).unwrap();
                let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
                assert_eq!(ids, expected, "{q} {limit}+{offset}");
                ranked += ids.len();
            }
        }
        assert!(ranked > 40, "the queries find look-alikes ({ranked})");
        // Most alike first.
        let by_similarity = SearchOptions {
            sort: Sort::Similar,
            ..SearchOptions::default()
        };
        let first = searcher
            .search(&c, Some("similar:3"), &by_similarity)
            .unwrap();
        let similarity = |id: i64| {
            let a = c.photo_descriptor(3).unwrap().unwrap().descriptor.vector;
            let b = c.photo_descriptor(id).unwrap().unwrap().descriptor.vector;
            argus_catalog::descriptor_similarity(&a, &b)
        };
        let scores: Vec<f32> = first.hits.iter().map(|h| similarity(h.id)).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert!(scores
            .iter()
            .all(|&s| s >= argus_query::meaning::SIMILAR_MIN));
        for q in [None, Some("year:2025")] {
            let options = SearchOptions {
                sort: Sort::Similar,
                ..SearchOptions::default()
            };
            let err = searcher.search(&c, q, &options).unwrap_err().to_string();
            assert!(err.contains("needs a similar: term"), "{err}");
            let expr = q.map(|q| parse(q).unwrap());
            assert!(c
                .reference_search(expr.as_ref(), Sort::Similar, 10, 0)
                .is_err());
        }
    }

    #[test]
    fn injection_payloads_find_nothing_through_the_index_either() {
        let (_dir, c) = catalogue();
        let payloads = argus_catalog::fixture::INJECTION_PAYLOADS;
        for field in argus_query::FIELDS.iter().filter(|f| **f != "any") {
            for payload in payloads {
                let query = format!("{field}:\"{}\"", payload.replace('"', "\\\""));
                if parse(&query).is_ok() {
                    let found = search(&c, Some(&query), &SearchOptions::default()).unwrap();
                    assert_eq!(found.total, 0, "{query}");
                }
            }
        }
        assert_eq!(
            search(&c, None, &SearchOptions::default()).unwrap().total,
            4
        );
    }

    #[test]
    fn a_searcher_reads_the_index_again_after_the_catalogue_changes() {
        let (_dir, c) = catalogue();
        let mut searcher = Searcher::new();
        let options = SearchOptions::default();
        assert_eq!(searcher.search(&c, Some("cat"), &options).unwrap().total, 1);
        let stamp = searcher.index(&c).unwrap().stamp();
        assert_eq!(
            searcher.index(&c).unwrap().stamp(),
            stamp,
            "unchanged: kept"
        );
        add_label(&c, 1, "cat");
        assert_eq!(searcher.search(&c, Some("cat"), &options).unwrap().total, 2);
        // A change by another connection (the scanner) shows too.
        break_photo_elsewhere(&c, 4);
        assert_eq!(searcher.search(&c, Some("cat"), &options).unwrap().total, 1);
    }

    #[test]
    fn month_groups_follow_the_date_order_and_sum_to_the_total() {
        let (_dir, c) = generated(300, 3);
        let options = SearchOptions {
            groups: true,
            ..SearchOptions::default()
        };
        for q in [None, Some("year:2025"), Some("-faces:0")] {
            let found = Searcher::new().search(&c, q, &options).unwrap();
            let groups = found.groups.expect("asked for");
            assert_eq!(groups.iter().map(|g| g.count).sum::<u64>(), found.total);
            // Each month once, newest first, the undated last.
            let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
            let mut dated: Vec<&str> = keys.iter().copied().filter(|k| !k.is_empty()).collect();
            assert!(keys
                .iter()
                .position(|k| k.is_empty())
                .is_none_or(|i| i == keys.len() - 1));
            let before = dated.len();
            dated.dedup();
            assert_eq!(dated.len(), before, "{q:?}: a month appears once");
            assert!(dated.windows(2).all(|w| w[0] > w[1]), "{q:?}: newest first");
            // The first group counts the photos taken in its month.
            let month = parse(&format!("date:{}", keys[0])).unwrap();
            let sql = c
                .reference_search(Some(&month), Sort::Taken, usize::MAX >> 1, 0)
                .unwrap()
                .len() as i64;
            if q.is_none() {
                assert_eq!(groups[0].count as i64, sql);
            }
        }
        let by_name = SearchOptions {
            sort: Sort::Name,
            ..options
        };
        assert!(Searcher::new()
            .search(&c, None, &by_name)
            .unwrap()
            .groups
            .is_none());
    }
}
