//! Brings an index read at an earlier revision (held in memory, or saved in the cache) up to date
//! without reading the whole catalogue again: the catalogue logs which photos every committed change
//! touched (`argus_catalog`'s change log), so the photos changed since are taken out of the index —
//! photos, their faces and persons renumbered in order, values left with no photo dropped — and read
//! again from the catalogue after the others; people (names, hidden) and the sort orders are read
//! whole, as they are small. An update is refused (the caller reads everything) when the log does
//! not reach back to the index's revision, the catalogue is another or went back, or so much changed
//! that reading everything costs as much.

use roaring::RoaringBitmap;

use super::descriptors::LazyDescriptors;
use super::index::{append, SearchIndex};
use super::numbering::{renumbered, GONE};
use argus_catalog::SearchSnapshot;
use argus_core::Result;

/// Up to this share of the photos changed, updating beats reading everything.
const MOST_CHANGED: f64 = 0.25;

/// `index` brought up to the snapshot's revision, and how many photos were read again; None when it
/// cannot be (see the module's doc): then the whole index must be read.
pub(crate) fn update(
    mut index: SearchIndex,
    snapshot: SearchSnapshot,
) -> Result<Option<(SearchIndex, usize)>> {
    let revision = snapshot.revision()?;
    let since = index.revision.number;
    if revision.catalog_id != index.revision.catalog_id || revision.number < since {
        return Ok(None);
    }
    let Some(changed) = snapshot.changed_since(since)? else {
        return Ok(None);
    };
    if changed.len() as f64 > (index.photo_count() as f64 * MOST_CHANGED).max(1000.0) {
        return Ok(None);
    }
    let changed_ids: std::collections::HashSet<i64> = changed.iter().copied().collect();
    let gone: RoaringBitmap = (0..index.photo_count() as u32)
        .filter(|&n| changed_ids.contains(&index.photo_ids[n as usize]))
        .collect();
    take_out(&mut index, &gone);
    let snapshot = snapshot.only_changed_since(since);
    index.stamp = snapshot.stamp();
    index.revision = revision;
    index.descriptors = LazyDescriptors::new();
    append(&snapshot, &mut index)?;
    // A catalogue put back from an older copy can reach the same revision number with other
    // contents: the photo count catches most of that, and then everything is read.
    if snapshot.searchable_photo_count()? != index.photo_count() as u64 {
        return Ok(None);
    }
    Ok(Some((index, changed.len())))
}

/// New numbers for `0..len`, in order, leaving out those `gone` says ([`GONE`] for them).
fn numbering(len: usize, gone: impl Fn(u32) -> bool) -> Vec<u32> {
    let mut next = 0;
    (0..len as u32)
        .map(|n| {
            if gone(n) {
                GONE
            } else {
                next += 1;
                next - 1
            }
        })
        .collect()
}

/// Keeps the values whose number `map` keeps.
fn keep<T>(values: &mut Vec<T>, map: &[u32]) {
    let mut number = 0;
    values.retain(|_| {
        number += 1;
        map[number - 1] != GONE
    });
}

/// Keeps the (photo number, text) pairs whose photo `map` keeps, renumbered.
fn keep_lines(lines: &mut Vec<(u32, String)>, map: &[u32]) {
    lines.retain_mut(|(n, _)| {
        *n = map[*n as usize];
        *n != GONE
    });
}

/// Keeps the numbers in `order` that `map` keeps, renumbered, in the same order.
fn keep_order(order: &mut Vec<u32>, map: &[u32]) {
    order.retain_mut(|n| {
        *n = map[*n as usize];
        *n != GONE
    });
}

/// Maps the numbers in `values` (other than `none`) through `map`.
fn map_numbers(values: &mut [u32], map: &[u32], none: u32) {
    for value in values.iter_mut().filter(|v| **v != none) {
        *value = map[*value as usize];
    }
}

/// Takes the photos numbered in `gone` out of the index with their faces and persons; what is left
/// is numbered again in the same order (the sort orders too). People's facet slots are left for
/// [`append`] to make again.
fn take_out(index: &mut SearchIndex, gone: &RoaringBitmap) {
    if gone.is_empty() {
        return;
    }
    let photos = numbering(index.photo_ids.len(), |n| gone.contains(n));
    let mut gone_faces = RoaringBitmap::new();
    for photo in gone {
        let p = photo as usize;
        gone_faces.insert_range(index.photo_faces[p]..index.photo_faces[p + 1]);
    }
    let faces = numbering(index.face_photo.len(), |f| gone_faces.contains(f));
    let persons = numbering(index.person_photo.len(), |p| {
        gone.contains(index.person_photo[p as usize])
    });

    // Photos.
    keep(&mut index.photo_ids, &photos);
    keep(&mut index.paths, &photos);
    keep(&mut index.file_names, &photos);
    keep(&mut index.taken_at, &photos);
    keep(&mut index.added_at, &photos);
    keep(&mut index.gps, &photos);
    keep(&mut index.face_counts, &photos);
    keep(&mut index.person_counts, &photos);
    index.cameras.renumber(&photos);
    index.lenses.renumber(&photos);
    index.formats.renumber(&photos);
    index.years.renumber(&photos);
    index.labels.renumber(&photos);
    index.classes.renumber(&photos);
    index.objects.renumber(&photos);
    index.ratings.renumber(&photos);
    index.keywords.renumber(&photos);
    keep_lines(&mut index.titles, &photos);
    keep_lines(&mut index.captions, &photos);
    keep_lines(&mut index.text, &photos);
    index.unsafe_photos = renumbered(&index.unsafe_photos, &photos);
    for order in [
        &mut index.by_taken,
        &mut index.by_added,
        &mut index.by_faces,
        &mut index.by_name,
    ] {
        keep_order(order, &photos);
    }
    index.photo_faces = std::iter::once(0)
        .chain(index.face_counts.iter().scan(0, |end, &count| {
            *end += count;
            Some(*end)
        }))
        .collect();

    // Faces.
    keep(&mut index.face_photo, &faces);
    map_numbers(&mut index.face_photo, &photos, GONE);
    keep(&mut index.facet_person, &faces);
    keep(&mut index.attribute_bits, &faces);
    keep(&mut index.age_band, &faces);
    keep(&mut index.strongest_emotions, &faces);
    for column in index.attributes.values_mut() {
        keep(column, &faces);
    }
    keep(&mut index.face_person, &faces);
    map_numbers(&mut index.face_person, &persons, GONE);
    for set in index.person_faces.values_mut() {
        *set = renumbered(set, &faces);
    }
    index.person_faces.retain(|_, set| !set.is_empty());

    // Persons.
    keep(&mut index.person_photo, &persons);
    map_numbers(&mut index.person_photo, &photos, GONE);
    keep(&mut index.person_face, &persons);
    map_numbers(&mut index.person_face, &faces, super::index::NO_FACE);
    for sets in [&mut index.carried, &mut index.worn] {
        for set in sets.values_mut() {
            *set = renumbered(set, &persons);
        }
        sets.retain(|_, set| !set.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::fixture::{generated, random_queries};
    use crate::{IndexRead, SavedIndexes, SearchOptions, Searcher, Sort};
    use argus_catalog::fixture::{
        add_label, break_photo_elsewhere, copy_photo_elsewhere, drop_keywords_elsewhere,
        rate_photos_elsewhere,
    };
    use argus_catalog::Catalog;

    /// Every answer to `queries` (facets, and the first query in every sort order).
    fn answers(searcher: &mut Searcher, catalog: &Catalog, queries: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, query) in queries.iter().enumerate() {
            let sorts: &[Sort] = if i == 0 {
                &[Sort::Taken, Sort::Added, Sort::Faces, Sort::Name]
            } else {
                &[Sort::Taken]
            };
            for &sort in sorts {
                let options = SearchOptions {
                    facets: true,
                    limit: 1000,
                    sort,
                    ..SearchOptions::default()
                };
                let found = searcher.search(catalog, Some(query), &options).unwrap();
                out.push(format!("{query} by {sort:?}: {found:?}"));
            }
        }
        out
    }

    fn queries() -> Vec<String> {
        let mut queries = vec!["-faces:0".to_string()];
        queries.extend(random_queries(31, 40));
        queries.extend(
            [
                "person:\"Zed\"",
                "okapi",
                "similar:5",
                "similar:50 or similar:7",
                "similar:303",
                "similar:304 -faces:0",
                "keyword:holiday",
                "rating:4",
                "year:2024",
            ]
            .map(str::to_string),
        );
        queries
    }

    /// Checks that `searcher`, brought up to date (reading again as many photos as `changed`
    /// allows), answers as an index read whole does.
    fn same_as_read_whole(
        searcher: &mut Searcher,
        catalog: &Catalog,
        changed: std::ops::RangeInclusive<usize>,
    ) {
        let queries = queries();
        let updated = answers(searcher, catalog, &queries);
        match searcher.last_read() {
            Some(IndexRead::Updated { photos, .. }) => {
                assert!(changed.contains(&photos), "{photos} read again")
            }
            other => panic!("updated in place, not {other:?}"),
        }
        let whole = answers(&mut Searcher::new(), catalog, &queries);
        for (a, b) in updated.iter().zip(&whole) {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn an_index_brought_up_to_date_answers_as_one_read_whole() {
        let (_dir, catalog) = generated(300, 23);
        let mut searcher = Searcher::new();
        answers(&mut searcher, &catalog, &queries());
        // Another machine: new photos, photos gone, stacked, unreadable, relabelled, rated, a face
        // given to a new person, keywords dropped.
        let copies: Vec<i64> = [5, 6, 7, 50]
            .map(|p| copy_photo_elsewhere(&catalog, p))
            .into();
        assert_eq!(
            copies[0], 301,
            "the copies are the photos `similar:` queries name"
        );
        let mut other = catalog.connect_again().unwrap();
        let writer = other.writer().unwrap();
        writer.delete_photos(&[10, 11]).unwrap();
        writer.stack_duplicates(13, &[12]).unwrap();
        writer.commit().unwrap();
        break_photo_elsewhere(&catalog, 14);
        add_label(&catalog, 15, "okapi");
        rate_photos_elsewhere(&catalog, Some(&[16]), 4);
        let face = other.faces_of(17).unwrap().last().map(|f| f.id);
        other.assign_faces_to_name(face.as_slice(), "Yan").unwrap();
        drop_keywords_elsewhere(&catalog, 18);
        let alike = Searcher::new()
            .search(&catalog, Some("similar:303"), &SearchOptions::default())
            .unwrap();
        assert!(
            alike.total >= 2,
            "a copy (of photo 7) is alike its original at least"
        );
        // 4 copies, 2 gone, 12 (not 13), 14..=18 (those the writes found something to change in).
        same_as_read_whole(&mut searcher, &catalog, 4 + 2 + 1 + 2..=4 + 2 + 1 + 5);

        // People: a rename and a hidden person change no photo; a merge moves faces.
        let people = other.people(true).unwrap();
        let first = people.iter().map(|p| p.id).min().expect("people");
        let last = people.iter().map(|p| p.id).max().expect("people");
        other.name_person(first, Some("Zed")).unwrap();
        other.hide_person(last, true).unwrap();
        same_as_read_whole(&mut searcher, &catalog, 0..=0);
        let moved = {
            let before = searcher.index(&catalog).unwrap();
            // An unnamed person (two named ones would not merge) with faces.
            let merged = people
                .iter()
                .filter(|p| p.name.is_none() && p.id != first)
                .map(|p| p.id)
                .filter(|id| before.person_faces.contains_key(id))
                .max()
                .expect("the generated catalogue has unnamed people");
            let photos: std::collections::HashSet<u32> = before.person_faces[&merged]
                .iter()
                .map(|f| before.face_photo[f as usize])
                .collect();
            other.merge_people(first, &[merged]).unwrap();
            photos.len()
        };
        same_as_read_whole(&mut searcher, &catalog, moved..=moved);
    }

    #[test]
    fn a_saved_index_behind_the_catalogue_is_brought_up_to_date() {
        let (_dir, catalog) = generated(200, 24);
        let cache = tempfile::tempdir().unwrap();
        let saving = || {
            let mut saved = SavedIndexes::in_folder(cache.path().to_path_buf());
            saved.worth_saving = Duration::ZERO;
            Searcher::with_saved(saved)
        };
        answers(&mut saving(), &catalog, &queries()[..1]);
        copy_photo_elsewhere(&catalog, 3);
        add_label(&catalog, 4, "okapi");
        let mut next = saving();
        same_as_read_whole(&mut next, &catalog, 2..=2);
        assert!(matches!(
            next.last_read(),
            Some(IndexRead::Updated {
                from_saved: true,
                saved: true,
                ..
            })
        ));
        // Every photo changed: still an update at this size (up to 1000 photos, or a quarter).
        rate_photos_elsewhere(&catalog, None, 3);
        same_as_read_whole(&mut saving(), &catalog, 150..=201);
        // Changes the log no longer reaches back to: read whole.
        add_label(&catalog, 5, "okapi");
        catalog.trim_change_log().unwrap();
        let mut again = saving();
        answers(&mut again, &catalog, &queries()[..1]);
        assert!(matches!(
            again.last_read(),
            Some(IndexRead::Catalogue { .. })
        ));
    }
}
