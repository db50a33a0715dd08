//! Catalogues for the search tests: the small real one and SQL reference lookups come from the
//! catalogue's fixture; here are the generated ones and random queries over them.

use crate::SearchIndex;
pub use argus_catalog::fixture::{catalogue, ids, ids_of, persons_catalogue};
use argus_catalog::Catalog;

/// The index of a catalogue, descriptors read (for `similar:`).
pub fn loaded(catalog: &Catalog) -> SearchIndex {
    let index = SearchIndex::load(catalog).unwrap();
    index.read_descriptors(catalog).unwrap();
    index
}

/// A small generated catalogue (the benchmark's generator at `photos` photos, 3 faces and 10
/// label rows per photo, eight people of whom six are named — "Ana Silva", "Ben Silva", …).
pub fn generated(photos: usize, seed: u64) -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog = argus_catalog::fixture::open_test_catalog(dir.path());
    let options = super::generate::GenerateOptions {
        photos,
        faces: 3 * photos,
        labels: 10 * photos,
        people: 8,
        named: 6,
        seed,
    };
    super::generate::generate(&mut catalog, &options, &mut |_| {}).unwrap();
    (dir, catalog)
}

/// Terms the random queries are made of: every field, face scope, negation, NULL-able columns,
/// XMP keywords (paths, levels, case), ratings and texts, objects (classes, groups) and body counts,
/// hair and accessories, what people carry and wear (person scope), look-alikes (by id and by path,
/// photos without a descriptor, a photo that is not there).
const TERMS: &[&str] = &[
    "similar:3",
    "-similar:7",
    "similar:12|40",
    "similar:\"IMG_000005.jpg\"",
    "similar:\"0/IMG_000020.jpg\"",
    "similar:99999",
    "beard",
    "sunglasses",
    "smile",
    "-hat",
    "person:\"Ana Silva\"",
    "person:\"ben silva\"",
    "-person:\"Chloé Silva\"",
    "label:cat",
    "label:animal",
    "dog",
    "year:2020..2022",
    "year:>2024",
    "date:2023-01..2023-06",
    "camera:X100V",
    "-camera:X100V",
    "camera:apple",
    "lens:\"FE 85mm F1.8\"",
    "age:20-40",
    "emotion:happy",
    "-emotion:neutral",
    "faces:>=2",
    "faces:0",
    "any:(beard)",
    "any:(smile -eyeglasses)",
    "(beard or mustache)",
    "sunglasses>0.3",
    "hair:blond|gray",
    "bald",
    "-necktie",
    "earrings bangs",
    "format:png",
    "-format:jpeg",
    "near:52.37,4.89,30km",
    "-near:48.85,2.35,40km",
    "unsafe:yes",
    "unsafe:no",
    "text:sale",
    "path:IMG_00001",
    "img_000",
    "-ana",
    "keyword:places",
    "tag:\"People/Family\"",
    "-keyword:beach",
    "tag:Ana|Lisbon",
    "keyword:portugal/lisbon",
    "holiday",
    "rating:>=3",
    "rating:rejected",
    "-rating:5",
    "rating:2-4",
    "rating<2",
    "title:beach",
    "caption:\"the train\"",
    "-title:wedding",
    "café",
    "object:dog",
    "object:bag",
    "-object:tie",
    "object:\"cell phone\"|cat",
    "persons:>=2",
    "persons:0",
    "persons:1-2",
    "carrying:bag",
    "-carrying:bag",
    "carrying:tie|cup",
    "age:20-40 carrying:bag",
    "any:(carrying:backpack)",
    "(carrying:handbag or beard)",
    "wearing:suit",
    "-wearing:jeans",
    "wearing:dress|skirt smile",
];

/// `n` random queries of 1–3 terms joined by `and` (mostly) or `or`, seeded.
pub fn random_queries(seed: u64, n: usize) -> Vec<String> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let k = rng.random_range(1..4);
            let picked: Vec<&str> = (0..k)
                .map(|_| TERMS[rng.random_range(0..TERMS.len())])
                .collect();
            let joiner = if rng.random::<f32>() < 0.25 {
                " or "
            } else {
                " "
            };
            picked.join(joiner)
        })
        .collect()
}
