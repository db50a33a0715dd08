//! The `objects` stage on real photos with the real model: the classic detection test photos that ship
//! in registry packages (ultralytics' bus and zidane, darknet's dog, person, giraffe, eagle, horses,
//! kite) plus sample photos without bags. Each expected object was checked by eye once on a drawing
//! of the boxes; the test finds each again (same class, IoU ≥ 0.7 with the box seen then) and finds
//! no bag where there is none. Faces head their own bodies, and exports centred on an object or a
//! whole person keep its box in frame.

mod common;

use argus_api::metadata::NormBox;
use common::{object_sample, Env};

/// (class, x, y, w, h) normalised to the upright photo.
type Expected = (&'static str, f32, f32, f32, f32);

const EXPECTED: &[(&str, &[Expected])] = &[
    (
        "ultralytics_bus.jpg",
        &[
            ("bus", 0.015, 0.202, 0.966, 0.501),
            ("person", 0.069, 0.362, 0.213, 0.468),
            ("person", 0.276, 0.371, 0.152, 0.416),
            ("person", 0.834, 0.375, 0.166, 0.440),
            ("person", 0.002, 0.515, 0.091, 0.290),
        ],
    ),
    (
        "ultralytics_zidane.jpg",
        &[
            ("person", 0.108, 0.283, 0.783, 0.717),
            ("person", 0.562, 0.061, 0.339, 0.939),
        ],
    ),
    (
        "darknet_dog.jpg",
        &[
            ("bicycle", 0.151, 0.221, 0.593, 0.513),
            ("dog", 0.170, 0.385, 0.295, 0.556),
            ("truck", 0.605, 0.148, 0.297, 0.141),
        ],
    ),
    (
        "darknet_person.jpg",
        &[
            ("person", 0.293, 0.237, 0.145, 0.650),
            ("horse", 0.633, 0.328, 0.309, 0.494),
            ("dog", 0.109, 0.625, 0.207, 0.192),
        ],
    ),
    (
        "darknet_giraffe.jpg",
        &[
            ("giraffe", 0.332, 0.061, 0.573, 0.828),
            ("zebra", 0.611, 0.405, 0.232, 0.485),
        ],
    ),
    ("darknet_eagle.jpg", &[("bird", 0.159, 0.162, 0.622, 0.706)]),
    (
        "darknet_kite.jpg",
        &[
            ("kite", 0.440, 0.087, 0.058, 0.083),
            ("person", 0.157, 0.777, 0.044, 0.170),
            ("person", 0.082, 0.683, 0.043, 0.163),
        ],
    ),
];

/// Photos with no bag in them (checked by eye).
const NO_BAG: &[&str] = &[
    "ultralytics_bus.jpg",
    "ultralytics_zidane.jpg",
    "darknet_dog.jpg",
    "darknet_person.jpg",
    "darknet_giraffe.jpg",
    "darknet_eagle.jpg",
    "darknet_horses.jpg",
    "darknet_kite.jpg",
];
const NO_BAG_SAMPLES: &[&str] = &[
    "fr_obama.jpg",
    "skimage_coffee.png",
    "startbootstrap_team3.jpg",
];

/// The box of an expected object.
fn area((_, x, y, w, h): Expected) -> NormBox {
    NormBox {
        x: x.into(),
        y: y.into(),
        w: w.into(),
        h: h.into(),
    }
}

#[test]
fn objects_are_found_with_their_boxes_and_no_bag_where_there_is_none() {
    let env = Env::with_models();
    for (name, _) in EXPECTED {
        std::fs::copy(object_sample(name), env.lib().join(name)).unwrap();
    }
    std::fs::copy(
        object_sample("darknet_horses.jpg"),
        env.lib().join("darknet_horses.jpg"),
    )
    .unwrap();
    for name in NO_BAG_SAMPLES {
        env.put(name, name);
    }
    env.add_library();
    let report = env.scan();
    assert_eq!(report["analysis"]["failed"], 0, "{report}");

    let catalog = env.open_catalog();
    let objects = |name: &str| {
        let photo = env
            .photo_at(&env.lib().join(name))
            .unwrap_or_else(|| panic!("{name} catalogued"));
        catalog.photo_objects(photo.id).unwrap()
    };
    for (name, expected) in EXPECTED {
        let found = objects(name);
        for want in *expected {
            let best = found
                .iter()
                .filter(|o| o.object.class == want.0)
                .map(|o| o.object.area().iou(&area(*want)))
                .fold(0.0, f64::max);
            assert!(
                best >= 0.7,
                "{name}: {want:?} not found again (best IoU {best:.2}); found {found:#?}"
            );
        }
        // The stage stores its classes, spelled as the vocabulary spells them, best first.
        assert!(found
            .windows(2)
            .all(|w| w[0].object.score >= w[1].object.score));
    }
    for name in NO_BAG.iter().chain(NO_BAG_SAMPLES) {
        let bags: Vec<_> = objects(name)
            .into_iter()
            .filter(|o| argus_api::objects::object_matches("bag", &o.object.class))
            .filter(|o| o.object.score >= argus_api::objects::OBJECT_MIN_SCORE)
            .collect();
        assert!(bags.is_empty(), "{name} has no bag: {bags:?}");
    }

    // People as a whole: on Zidane's photo each face heads its own body.
    let zidane = objects("ultralytics_zidane.jpg");
    let bodies: Vec<_> = zidane
        .iter()
        .filter(|o| o.object.class == "person" && o.object.score >= 0.35)
        .collect();
    assert_eq!(bodies.len(), 2, "{zidane:#?}");
    assert!(bodies.iter().all(|b| b.face_id.is_some()), "{zidane:#?}");
    assert_ne!(bodies[0].face_id, bodies[1].face_id);

    // Exports centred on an object or on a whole person keep that box in frame.
    let out = env.dir.path().join("out");
    for (query, focus, class, source) in [
        ("path:darknet_dog", "object:dog", "dog", "object"),
        ("path:darknet_person", "person", "person", "body"),
    ] {
        let report = env.json(&[
            "export",
            "--query",
            query,
            "--focus",
            focus,
            "--aspect",
            "1:1,16:9",
            "--width",
            "300",
            "--out",
            out.to_str().unwrap(),
        ]);
        let crops = report["crops"].as_array().unwrap();
        assert_eq!(crops.len(), 2, "{report}");
        let name = format!("{}.jpg", query.trim_start_matches("path:"));
        let kept = objects(&name)
            .into_iter()
            .find(|o| o.object.class == class)
            .unwrap();
        let photo = env.photo_at(&env.lib().join(&name)).unwrap();
        let (w, h) = (
            f64::from(photo.width.unwrap()),
            f64::from(photo.height.unwrap()),
        );
        for crop in crops {
            assert_eq!(crop["focus"]["source"], source, "{crop}");
            assert_eq!(crop["focus"]["objects"][0], kept.id, "{crop}");
            if crop["fit"] == "padded" || crop["fit"] == "reduced_padding" {
                let r = &crop["rect"];
                let b = kept.object.area();
                let x0 = r["x"].as_f64().unwrap();
                let y0 = r["y"].as_f64().unwrap();
                assert!(b.x * w >= x0 - 1.0 && b.y * h >= y0 - 1.0, "{crop}");
                assert!(
                    (b.x + b.w) * w <= x0 + r["w"].as_f64().unwrap() + 1.0,
                    "{crop}"
                );
                assert!(
                    (b.y + b.h) * h <= y0 + r["h"].as_f64().unwrap() + 1.0,
                    "{crop}"
                );
            }
        }
    }

    // `argus show` prints them; analysing again runs nothing (the stage is recorded per photo).
    let shown = env.run(&[
        "show",
        env.lib().join("darknet_eagle.jpg").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("bird ("));
    let again = env.json(&["analyze"]);
    assert_eq!(again["analysed"], 0, "{again}");
}
