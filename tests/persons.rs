//! People as a whole on real photos, measured against the hand-labelled persons set
//! (`tests/data/persons/labels.toml`: 37 photos from registry packages with each person's body and
//! face box, what they carry and wear, plus 3 composites with a real bag pasted on the ground beside
//! people). The figures are printed (the issue note quotes them) and held above floors a little
//! below what this build measures, so a change that breaks linking or gives loose bags to people
//! fails.

mod common;

use argus_dev::persons::{evaluate, Labels};
use common::{person_photos_dir, workspace_dir, Env};

#[test]
fn faces_link_to_their_bodies_and_nobody_carries_a_bag_on_the_floor() {
    let labels = Labels::read(&workspace_dir("tests/data/persons/labels.toml")).unwrap();
    let env = Env::with_models();
    for photo in &labels.photo {
        std::fs::copy(
            person_photos_dir().join(&photo.file),
            env.lib().join(&photo.file),
        )
        .unwrap();
    }
    labels.write_composites(&env.lib()).unwrap();
    env.add_library();
    let report = env.scan();
    assert_eq!(report["analysis"]["failed"], 0, "{report}");

    let catalog = env.open_catalog();
    let r = evaluate(&catalog, &labels, |file| {
        env.photo_at(&env.lib().join(file)).map(|p| p.id)
    })
    .unwrap();
    println!("{r:#?}");
    assert_eq!((r.photos, r.composites), (40, 3));
    assert!(r.persons >= 100 && r.persons_carrying_bag >= 15, "{r:?}");
    // Linking: measured 93.2 % precision, 95.8 % recall (68 of 71 linkable persons).
    assert!(r.linking.precision() >= 0.9, "{:?}", r.linking);
    assert!(r.linking.recall() >= 0.9, "{:?}", r.linking);
    // Carrying a bag: the detector finds few bags on these small web photos (1 of 15 carriers);
    // what it finds on a person is theirs, and a bag on the floor is nobody's.
    assert!(r.carrying_bag.true_positives >= 1, "{:?}", r.carrying_bag);
    assert_eq!(r.carrying_bag.false_positives, 0, "{:?}", r.carrying_bag);
    assert!(r.loose_bags_detected >= 2, "{r:?}");
    assert_eq!(r.loose_bags_carried, 0, "{r:?}");
    // The second pass on bodies finds umbrellas the whole-photo pass misses (2 of 5 carried).
    assert!(r.carrying_other["umbrella"].true_positives >= 1, "{r:?}");
    // Clothing from the upper- and lower-body views, at its threshold: measured 16 right of 39 said
    // (41.0 %), 20.5 % recall (one stretched view of the whole body: 7 of 15, 9.0 %); suits and jeans
    // are found (3 of 7, 5 of 13), never said of anyone not wearing them.
    let (_, clothing) = r
        .wearing_sweep
        .iter()
        .find(|(t, _)| (*t - argus_api::clothing::WEARING_MIN_SCORE).abs() < 1e-6)
        .unwrap();
    assert!(clothing.true_positives >= 12, "{clothing:?}");
    assert!(clothing.precision() >= 0.38, "{clothing:?}");
    for name in ["suit", "jeans"] {
        let counts = &r.wearing[name];
        assert!(counts.true_positives >= 2, "{name}: {counts:?}");
        assert_eq!(counts.false_positives, 0, "{name}: {counts:?}");
    }
}
