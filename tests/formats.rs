//! HEIC/HEIF, AVIF, JPEG XL and camera RAW on real files: iPhone HEICs, a Sony camera HEIF, a Sony ARW and an AVIF
//! from registry packages (the sample library), and HEIC/AVIF/JXL/DNG twins of known JPEGs made by
//! heif-enc, cjxl and pidng (`scripts/make-format-samples.sh`). Sizes, orientation and EXIF are checked against what
//! the files hold (exiftool reads them too); thumbnails against the JPEG they were made from; faces and
//! people against the JPEG; RAW+JPEG pairs as one shot; corrupt files as recorded errors; and a
//! mutation fuzz over every format.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use argus_api::catalog::PhotoStatus;
use argus_api::media;
use common::*;
use image::RgbImage;
use serde_json::Value;

/// exiftool's reading of `path` (`-n`: numbers as numbers; composite GPS is signed).
fn exiftool(path: &Path) -> Value {
    let out = Command::new("exiftool")
        .args([
            "-n",
            "-j",
            "-DateTimeOriginal",
            "-Make",
            "-Model",
            "-Composite:GPSLatitude",
            "-Composite:GPSLongitude",
        ])
        .arg(path)
        .output()
        .expect("exiftool (Debian libimage-exiftool-perl; scripts/setup.sh test installs it)");
    assert!(
        out.status.success(),
        "exiftool failed on {}",
        path.display()
    );
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    all[0].clone()
}

/// The large thumbnail of a catalogued photo.
fn thumbnail(env: &Env, name: &str) -> RgbImage {
    let shown = env.json(&["show", env.lib().join(name).to_str().unwrap()]);
    let path = shown["thumbnails"]["large"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} has no thumbnail: {shown}"));
    image::open(path).unwrap().into_rgb8()
}

/// Mean absolute difference per channel of two images of the same size (0..255).
fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| x.abs_diff(*y) as u64)
        .sum();
    total as f64 / a.as_raw().len() as f64
}

/// (sample library or format sample, name in the library, format, displayed size, pixel source)
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    (u32, u32),
    &'static str,
);

const FILES: [Expected; 11] = [
    (
        "pillowheif_pug.heic",
        "pug.heic",
        "heic",
        (4032, 3024),
        "libheif",
    ),
    // Stored landscape with irot 270 *and* EXIF orientation 6: upright is portrait, rotated once.
    (
        "pillowheif_arrow.heic",
        "arrow.heic",
        "heic",
        (3024, 4032),
        "libheif",
    ),
    (
        "pillowheif_cat.hif",
        "cat.hif",
        "heic",
        (4240, 2832),
        "libheif",
    ),
    (
        "libheif_example.avif",
        "example.avif",
        "avif",
        (800, 533),
        "libheif",
    ),
    (
        "librawcffi_concert.arw",
        "concert.arw",
        "arw",
        (5168, 3448),
        "raw-preview",
    ),
    (
        "portrait.heic",
        "portrait-heic.heic",
        "heic",
        (910, 1137),
        "libheif",
    ),
    (
        "portrait.avif",
        "portrait-avif.avif",
        "avif",
        (910, 1137),
        "libheif",
    ),
    // Stored 1136×910 with Orientation 6 (a camera held in portrait).
    (
        "portrait.dng",
        "portrait-dng.dng",
        "dng",
        (910, 1136),
        "raw-demosaic",
    ),
    (
        "group.heic",
        "group-heic.heic",
        "heic",
        (1920, 1280),
        "libheif",
    ),
    (
        "group.dng",
        "group-dng.dng",
        "dng",
        (1920, 1280),
        "raw-demosaic",
    ),
    ("burst.heic", "burst.heic", "heic", (1920, 1367), "libheif"),
];

fn put_any(env: &Env, source: &str, name: &str) -> std::path::PathBuf {
    let from = if sample_dir().join(source).is_file() {
        sample(source)
    } else {
        format_sample(source)
    };
    let dest = env.lib().join(name);
    std::fs::copy(from, &dest).unwrap();
    dest
}

#[test]
fn heic_avif_and_raw_files_are_catalogued_upright_with_the_exif_they_hold() {
    let env = Env::new();
    for (source, name, ..) in FILES {
        put_any(&env, source, name);
    }
    env.put("fr_obama.jpg", "portrait.jpg");
    env.add_library();
    let report = env.scan();
    assert_eq!(count(&report, "errors"), 0, "{report:#}");
    assert_eq!(count(&report, "unsupported"), 0, "{report:#}");
    assert_eq!(count(&report, "thumbnails_made"), FILES.len() as u64 + 1);

    for (_, name, format, (width, height), source) in FILES {
        let path = env.lib().join(name);
        let photo = env.photo_at(&path).unwrap();
        assert_eq!(photo.status, PhotoStatus::Ok, "{name}: {:?}", photo.error);
        assert_eq!(photo.format.as_deref(), Some(format), "{name}");
        assert_eq!(
            (photo.width, photo.height),
            (Some(width), Some(height)),
            "{name}"
        );
        assert_eq!(photo.pixel_source.as_deref(), Some(source), "{name}");
        // The thumbnail is upright: its axes follow the displayed size.
        let thumb = thumbnail(&env, name);
        assert_eq!(
            thumb.width() > thumb.height(),
            width > height,
            "{name}: thumbnail {:?} for a {width}×{height} photo",
            thumb.dimensions()
        );
        // EXIF as exiftool reads it.
        let truth = exiftool(&path);
        let e = &photo.exif;
        match truth["DateTimeOriginal"].as_str() {
            Some(date) => {
                let want = format!("{}T{}", &date[..10].replace(':', "-"), &date[11..19]);
                let got = e.taken_at.as_deref().unwrap_or_default();
                assert!(
                    got.starts_with(&want),
                    "{name}: taken {got}, exiftool {date}"
                );
            }
            None => assert_eq!(e.taken_at, None, "{name}"),
        }
        for (field, got) in [("Make", &e.camera_make), ("Model", &e.camera_model)] {
            let want = truth[field].as_str().map(|s| s.trim().to_string());
            // rawler names RAW cameras the way its database spells them; the EXIF spelling wins
            // wherever kamadak-exif reads the container.
            assert_eq!(got.as_deref(), want.as_deref(), "{name}: {field}");
        }
        for (field, got) in [("GPSLatitude", e.gps_lat), ("GPSLongitude", e.gps_lon)] {
            match truth[field].as_f64() {
                Some(want) => assert!(
                    got.is_some_and(|g| (g - want).abs() < 1e-5),
                    "{name}: {field} {got:?}, exiftool {want}"
                ),
                None => assert_eq!(got, None, "{name}: {field}"),
            }
        }
    }

    // JPEG XL (a lossless recompression of the JPEG, its EXIF Brotli-compressed, which exiftool
    // 12.57 cannot read): the JPEG's size and EXIF.
    put_any(&env, "portrait.jxl", "portrait-jxl.jxl");
    let report = env.scan();
    assert_eq!(count(&report, "errors"), 0, "{report:#}");
    let jxl = env.photo_at(&env.lib().join("portrait-jxl.jxl")).unwrap();
    let original = env.photo_at(&env.lib().join("portrait.jpg")).unwrap();
    assert_eq!(jxl.format.as_deref(), Some("jxl"));
    assert_eq!(jxl.pixel_source.as_deref(), Some("jxl-oxide"));
    assert_eq!((jxl.width, jxl.height), (original.width, original.height));
    assert_eq!(jxl.exif, original.exif);

    // A burst keeps its first image and says how many others there are.
    let burst = env.photo_at(&env.lib().join("burst.heic")).unwrap();
    assert_eq!(burst.other_images, 1);
    // The twins of the JPEG portrait look like it: upright, same colours (within coding loss).
    let jpeg = thumbnail(&env, "portrait.jpg");
    for twin in [
        "portrait-heic.heic",
        "portrait-avif.avif",
        "portrait-dng.dng",
    ] {
        let thumb = thumbnail(&env, twin);
        let thumb = image::imageops::resize(
            &thumb,
            jpeg.width(),
            jpeg.height(),
            image::imageops::FilterType::Triangle,
        );
        let difference = mean_difference(&jpeg, &thumb);
        assert!(
            difference < 6.0,
            "{twin}: thumbnail differs from the JPEG's by {difference:.1} per channel"
        );
    }
    // `show` says where the pixels came from.
    let shown = env.json(&["show", env.lib().join("concert.arw").to_str().unwrap()]);
    assert_eq!(shown["pixel_source"], "raw-preview");
    assert_eq!(shown["camera_model"], "ILCE-7RM3");
    assert_eq!(shown["lens"], "E 55-210mm F4.5-6.3 OSS");
    // A rescan reads nothing (unchanged files are skipped).
    let again = env.scan();
    assert_eq!(count(&again, "files_read"), 0, "{again:#}");
}

#[test]
fn a_raw_jpeg_pair_is_one_shot_and_survives_renames_and_the_loss_of_its_jpeg() {
    let env = Env::new();
    env.put("fr_obama.jpg", "DCIM/IMG_0001.JPG");
    put_any(&env, "portrait.dng", "DCIM/IMG_0001.DNG");
    env.put("fr_biden.jpg", "DCIM/IMG_0002.JPG");
    env.add_library();
    let report = env.scan();
    assert_eq!(count(&report, "new"), 3);
    assert_eq!(count(&report, "companion_files"), 1);

    let jpeg = env.photo_at(&env.lib().join("DCIM/IMG_0001.JPG")).unwrap();
    let raw = env.photo_at(&env.lib().join("DCIM/IMG_0001.DNG")).unwrap();
    assert_eq!(jpeg.shot_of, None);
    assert_eq!(raw.shot_of, Some(jpeg.id));
    // The grid, search and facets count the shot once.
    let listed = env.json(&["photos"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed:#}");
    let found = env.json(&["search", "--facets"]);
    assert_eq!(found["total"], 2, "{found:#}");
    let formats = &found["facets"]["format"];
    let format_counts: BTreeMap<String, u64> = formats
        .as_array()
        .unwrap_or_else(|| panic!("no format facet: {found:#}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().into(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(format_counts.get("jpeg"), Some(&2), "{format_counts:?}");
    assert_eq!(format_counts.get("dng"), None, "{format_counts:?}");
    // `show` lists the companion file, and the companion its primary.
    let shown = env.json(&["show", &jpeg.id.to_string()]);
    assert_eq!(shown["shot_files"][0]["format"], "dng", "{shown:#}");
    let shown = env.json(&["show", &raw.id.to_string()]);
    assert_eq!(shown["shot_files"][0]["id"], jpeg.id, "{shown:#}");

    // Renaming both files keeps the pairing (and the photos' identities).
    std::fs::rename(
        env.lib().join("DCIM/IMG_0001.JPG"),
        env.lib().join("DCIM/Ana.JPG"),
    )
    .unwrap();
    std::fs::rename(
        env.lib().join("DCIM/IMG_0001.DNG"),
        env.lib().join("DCIM/Ana.DNG"),
    )
    .unwrap();
    let report = env.scan();
    assert_eq!(count(&report, "moved"), 2, "{report:#}");
    let raw_moved = env.photo_at(&env.lib().join("DCIM/Ana.DNG")).unwrap();
    assert_eq!(raw_moved.id, raw.id);
    assert_eq!(raw_moved.shot_of, Some(jpeg.id));

    // The user can make the RAW the shot's primary; the choice survives a rescan.
    let chosen = env.json(&["shot", "primary", &raw.id.to_string()]);
    assert_eq!(chosen["primary"]["id"], raw.id, "{chosen:#}");
    assert_eq!(chosen["companions"][0]["id"], jpeg.id, "{chosen:#}");
    env.scan();
    let listed: Vec<String> = env
        .json(&["photos"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["format"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        listed.iter().filter(|f| *f == "dng").count(),
        1,
        "{listed:?}"
    );
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(
        env.photo_at(&env.lib().join("DCIM/Ana.JPG"))
            .unwrap()
            .shot_of,
        Some(raw.id)
    );
    // A photo outside any shot cannot be made a primary.
    let lone = env.photo_at(&env.lib().join("DCIM/IMG_0002.JPG")).unwrap();
    let refused = env
        .command()
        .args(["shot", "primary", &lone.id.to_string()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not part of a RAW+JPEG shot"));
    // Back to the JPEG, then without its JPEG, the RAW is the shot.
    env.run(&["shot", "primary", &jpeg.id.to_string()]);
    std::fs::remove_file(env.lib().join("DCIM/Ana.JPG")).unwrap();
    let report = env.scan();
    assert_eq!(count(&report, "deleted"), 1);
    assert_eq!(count(&report, "companion_files"), 0);
    let raw_alone = env.photo_at(&env.lib().join("DCIM/Ana.DNG")).unwrap();
    assert_eq!(raw_alone.shot_of, None);
    assert_eq!(env.json(&["search"])["total"], 2);
}

#[test]
fn twins_of_a_portrait_have_its_face_and_person_and_a_shot_is_analysed_once() {
    let env = Env::with_models();
    env.put("fr_obama.jpg", "obama.jpg");
    env.put("fr_obama2.jpg", "obama2.jpg");
    env.put("fr_obama3.jpg", "obama3.jpg");
    put_any(&env, "portrait.heic", "obama-heic.heic");
    put_any(&env, "portrait.dng", "obama-dng.dng");
    env.put("faceapi_sample1.jpg", "party.jpg");
    put_any(&env, "group.dng", "party.dng");
    env.add_library();
    let report = env.scan();
    // Seven files, six shots: the party's RAW is not analysed.
    assert_eq!(report["analysis"]["analysed"], 6, "{report:#}");
    assert_eq!(report["analysis"]["failed"], 0, "{report:#}");

    let catalog = env.open_catalog();
    let faces_of = |name: &str| {
        let photo = catalog
            .photo_by_path(&env.lib().join(name))
            .unwrap()
            .unwrap();
        (photo.clone(), catalog.faces_of(photo.id).unwrap())
    };
    let (jpeg, jpeg_faces) = faces_of("obama.jpg");
    assert_eq!(jpeg_faces.len(), 1);
    let face = &jpeg_faces[0];
    let person = face.person_id.expect("the portrait's face has a person");
    for twin in ["obama-heic.heic", "obama-dng.dng"] {
        let (photo, faces) = faces_of(twin);
        assert_eq!(faces.len(), 1, "{twin}");
        let (w, h) = (photo.width.unwrap() as f32, photo.height.unwrap() as f32);
        for (got, want, side) in [
            (faces[0].x, face.x, w),
            (faces[0].y, face.y, h),
            (faces[0].w, face.w, w),
            (faces[0].h, face.h, h),
        ] {
            assert!(
                ((got - want) * side).abs() <= 4.0,
                "{twin}: box {:?} vs the JPEG's {:?} ({}×{} px)",
                [faces[0].x, faces[0].y, faces[0].w, faces[0].h],
                [face.x, face.y, face.w, face.h],
                jpeg.width.unwrap(),
                jpeg.height.unwrap()
            );
        }
        assert_eq!(faces[0].person_id, Some(person), "{twin}");
    }

    // The party's faces live on its JPEG; chosen as the primary, the RAW takes them (and back), and
    // without the JPEG they move to the RAW: never analysed again.
    let (party, party_faces) = faces_of("party.jpg");
    assert!(party_faces.len() >= 3, "{party_faces:?}");
    let (raw, raw_faces) = faces_of("party.dng");
    assert!(raw_faces.is_empty());
    drop(catalog);
    let face_ids = |photo: i64| -> Vec<i64> {
        env.open_catalog()
            .faces_of(photo)
            .unwrap()
            .iter()
            .map(|f| f.id)
            .collect()
    };
    let before: Vec<i64> = party_faces.iter().map(|f| f.id).collect();
    env.run(&["shot", "primary", &raw.id.to_string()]);
    assert_eq!(face_ids(raw.id), before);
    assert!(face_ids(party.id).is_empty());
    assert_eq!(env.json(&["analyze"])["analysed"], 0);
    env.run(&["shot", "primary", &party.id.to_string()]);
    assert_eq!(face_ids(party.id), before);
    std::fs::remove_file(env.lib().join("party.jpg")).unwrap();
    let report = env.scan();
    assert_eq!(report["analysis"]["analysed"], 0, "{report:#}");
    assert_eq!(face_ids(raw.id), before);
}

#[test]
fn corrupt_heic_and_raw_files_are_recorded_errors_and_the_scan_completes() {
    let env = Env::new();
    let heic = std::fs::read(format_sample("portrait.heic")).unwrap();
    let dng = std::fs::read(format_sample("portrait.dng")).unwrap();
    let arw = std::fs::read(sample("librawcffi_concert.arw")).unwrap();
    let flip = |bytes: &[u8], from: usize, to: usize| -> Vec<u8> {
        let mut b = bytes.to_vec();
        for i in (from..to).step_by(5) {
            b[i] ^= 0x5a;
        }
        b
    };
    let lib = env.lib();
    let bad: [(&str, Vec<u8>, &str); 7] = [
        (
            "half.heic",
            heic[..heic.len() / 2].to_vec(),
            "cannot read heic",
        ),
        ("flipped.heic", flip(&heic, 40, 400), "cannot read heic"),
        ("half.dng", dng[..dng.len() / 2].to_vec(), "camera raw"),
        ("flipped.dng", flip(&dng, 8, 300), "camera raw"),
        // Cut inside its first IFD: nothing says "raw" any more, only that the TIFF is broken.
        ("cut.arw", arw[..4096].to_vec(), "corrupt"),
        (
            "letter.cr2",
            "Dear Ana,\nthis is not a raw.\n".repeat(20).into_bytes(),
            "not an image: the file contains text",
        ),
        ("empty.nef", Vec::new(), "empty file"),
    ];
    for (name, bytes, _) in &bad {
        std::fs::write(lib.join(name), bytes).unwrap();
    }
    env.put("fr_obama.jpg", "good.jpg");
    put_any(&env, "portrait.heic", "good.heic");
    env.add_library();
    let report = env.scan();
    assert_eq!(count(&report, "errors"), bad.len() as u64, "{report:#}");
    for (name, _, reason) in &bad {
        let photo = env.photo_at(&lib.join(name)).unwrap();
        assert_eq!(photo.status, PhotoStatus::Error, "{name}");
        let error = photo.error.unwrap_or_default();
        assert!(error.contains(reason), "{name}: {error}");
    }
    for good in ["good.jpg", "good.heic"] {
        assert_eq!(
            env.photo_at(&lib.join(good)).unwrap().status,
            PhotoStatus::Ok
        );
    }
}

/// Bit flips, cut files and overwritten runs of bytes in every format: each mutant is a clear
/// result — facts and pixels, or a problem with a reason — never a panic.
#[test]
fn fuzzed_files_of_every_format_give_a_result_or_a_reason_never_a_crash() {
    let seeds = [
        sample("fr_obama.jpg"),
        sample("skimage_coffee.png"),
        format_sample("portrait.heic"),
        format_sample("portrait.avif"),
        format_sample("portrait.jxl"),
        format_sample("portrait.dng"),
        sample("librawcffi_concert.arw"),
    ];
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % bound as u64) as usize
    };
    let mut outcomes: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for seed in &seeds {
        let original = std::fs::read(seed).unwrap();
        let name = seed.file_name().unwrap().to_string_lossy().into_owned();
        for round in 0..24 {
            let mut bytes = original.clone();
            match round % 3 {
                0 => {
                    for _ in 0..1 + next(16) {
                        let i = next(bytes.len());
                        bytes[i] ^= 1 << next(8);
                    }
                }
                1 => bytes.truncate(next(bytes.len())),
                _ => {
                    let start = next(bytes.len().min(64 * 1024));
                    let end = (start + 1 + next(512)).min(bytes.len());
                    for b in &mut bytes[start..end] {
                        *b = next(256) as u8;
                    }
                }
            }
            let result = std::panic::catch_unwind(|| {
                let facts = media::inspect(&bytes, media::DEFAULT_MAX_PIXELS)?;
                media::thumbs::render(&bytes, &facts).map(|_| ())
            });
            let entry = outcomes.entry(name.clone()).or_default();
            match result {
                Ok(Ok(())) => entry.0 += 1,
                Ok(Err(problem)) => {
                    assert!(!problem.0.is_empty(), "{name} round {round}: empty reason");
                    entry.1 += 1;
                }
                Err(_) => panic!("{name} round {round}: the reader panicked"),
            }
        }
    }
    println!("fuzz (read fine, refused with a reason): {outcomes:?}");
    for (name, (ok, refused)) in &outcomes {
        assert_eq!(ok + refused, 24, "{name}");
        assert!(
            *refused > 0,
            "{name}: no mutant was refused: is the fuzz biting?"
        );
    }
}

#[test]
fn raw_exports_come_from_the_preview_or_a_full_demosaic_as_asked() {
    let env = Env::new();
    env.put("librawcffi_concert.arw", "concert.arw");
    env.add_library();
    env.scan();
    // The crop's output file for one export run (1:1 at `width`, centre of the photo).
    let export = |name: &str, width: u32, raw_source: Option<&str>| -> RgbImage {
        let out = env.dir.path().join(name);
        let width = width.to_string();
        let mut args = vec![
            "export",
            "--query",
            "",
            "--aspect",
            "1:1",
            "--width",
            &width,
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(source) = raw_source {
            args.extend(["--raw-source", source]);
        }
        let report = env.json(&args);
        let output = report["crops"][0]["output"]
            .as_str()
            .unwrap_or_else(|| panic!("no crop: {report:#}"));
        image::open(out.join(output)).unwrap().into_rgb8()
    };
    // Detail: mean difference between horizontal neighbours.
    let detail = |img: &RgbImage| {
        let raw = img.as_raw();
        let sum: u64 = raw
            .windows(4)
            .step_by(3)
            .map(|w| w[0].abs_diff(w[3]) as u64)
            .sum();
        sum as f64 / (raw.len() / 3) as f64
    };
    // At 3000 px the 1616 px preview is upscaled: the demosaic has the detail, and is the default.
    let preview = export("preview", 3000, Some("preview"));
    let full = export("full", 3000, Some("full"));
    let best = export("best", 3000, None);
    assert_eq!(preview.dimensions(), (3000, 3000));
    assert_eq!(full.dimensions(), (3000, 3000));
    assert!(
        detail(&full) > detail(&preview) * 1.2,
        "full {:.2} vs preview {:.2}",
        detail(&full),
        detail(&preview)
    );
    assert_eq!(best.as_raw(), full.as_raw());
    // At 800 px the preview reaches the size: the default takes it.
    let small_best = export("small-best", 800, None);
    let small_preview = export("small-preview", 800, Some("preview"));
    assert_eq!(small_best.as_raw(), small_preview.as_raw());
}
