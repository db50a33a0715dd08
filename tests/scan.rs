//! Scanner integration tests on a real temporary library of real photos, through the `argus` binary.

mod common;

use std::time::{Duration, SystemTime};

use argus_api::catalog::{NewFace, PhotoAnalysis};
use common::*;
use serde_json::Value;

/// The seven-photo library most tests use: real JPEGs and PNGs, one with known EXIF, one rotated by EXIF.
fn standard_library(env: &Env) {
    env.put("fr_obama.jpg", "obama.jpg");
    env.put("fr_biden.jpg", "people/biden.jpg");
    env.put("skimage_astronaut.png", "astronaut.png");
    env.put("skimage_coffee.png", "still life/coffee.png");
    env.put("faceapi_sample1.jpg", "group/sample1.jpg");
    write_jpeg_with_exif(
        "fr_obama2.jpg",
        &env.lib().join("exif/dated.jpg"),
        &known_exif(),
        Some(1),
    );
    write_jpeg_with_exif(
        "fr_obama3.jpg",
        &env.lib().join("exif/rotated.jpg"),
        &argus_api::catalog::ExifData::default(),
        Some(6),
    );
    std::fs::write(env.lib().join("notes.txt"), "not a photo").unwrap();
    env.add_library();
}

fn photo_json(env: &Env, path: &std::path::Path) -> Value {
    env.json(&["show", path.to_str().unwrap()])
}

#[test]
fn scan_finds_and_describes_real_photos() {
    let env = Env::new();
    standard_library(&env);
    let report = env.scan();
    assert_eq!(count(&report, "discovered"), 7);
    assert_eq!(count(&report, "new"), 7);
    assert_eq!(count(&report, "files_read"), 7);
    assert_eq!(count(&report, "errors"), 0, "{report}");
    assert_eq!(count(&report, "ignored"), 1, "notes.txt is not a photo");
    assert_eq!(count(&report, "thumbnails_made"), 7);

    let photos = env.json(&["photos"]);
    let photos = photos.as_array().unwrap();
    assert_eq!(photos.len(), 7);
    for p in photos {
        assert_eq!(p["status"], "ok");
        assert_eq!(p["hash"].as_str().unwrap().len(), 64, "BLAKE3 hex");
        let path = std::path::Path::new(p["path"].as_str().unwrap());
        let (w, h) = image_size(path);
        let displayed = if p["orientation"] == 6 {
            (h, w)
        } else {
            (w, h)
        };
        assert_eq!(
            (
                p["width"].as_u64().unwrap() as u32,
                p["height"].as_u64().unwrap() as u32
            ),
            displayed,
            "{}",
            path.display()
        );
        let expected_format = match path.extension().unwrap().to_str().unwrap() {
            "jpg" => "jpeg",
            other => other,
        };
        assert_eq!(p["format"], expected_format);
        // Thumbnails: long side 512 (or the photo's own if smaller) and 256, same aspect as displayed.
        for (key, long) in [("large", 512u32), ("small", 256u32)] {
            let thumb = std::path::PathBuf::from(p["thumbnails"][key].as_str().unwrap());
            let (tw, th) = image_size(&thumb);
            let long = long.min(displayed.0.max(displayed.1));
            assert_eq!(tw.max(th), long, "{key} thumbnail of {}", path.display());
            let aspect = displayed.0 as f64 / displayed.1 as f64;
            assert!(
                (tw as f64 / th as f64 - aspect).abs() < 0.02,
                "{key} aspect of {}",
                path.display()
            );
        }
    }
}

#[test]
fn exif_values_are_read_from_the_file() {
    let env = Env::new();
    standard_library(&env);
    env.scan();
    let p = photo_json(&env, &env.lib().join("exif/dated.jpg"));
    let e = known_exif();
    assert_eq!(p["taken_at"], "2024-07-14T18:32:05.250");
    assert_eq!(p["taken_offset"], "+02:00");
    assert_eq!(p["camera_make"], "FUJIFILM");
    assert_eq!(p["camera_model"], "X100V");
    assert_eq!(p["lens"], "23mm F2");
    assert_eq!(p["focal_length"], 23.0);
    assert_eq!(p["focal_length_35mm"], 35);
    assert_eq!(p["aperture"], 5.6);
    assert!((p["exposure_time"].as_f64().unwrap() - 0.004).abs() < 1e-9);
    assert_eq!(p["iso"], 400);
    assert!((p["gps_lat"].as_f64().unwrap() - e.gps_lat.unwrap()).abs() < 1e-5);
    assert!(
        (p["gps_lon"].as_f64().unwrap() - e.gps_lon.unwrap()).abs() < 1e-5,
        "west is negative"
    );
    assert!((p["gps_alt"].as_f64().unwrap() - 86.5).abs() < 1e-3);
    assert_eq!(p["orientation"], 1);

    // A photo without EXIF has none of it.
    let plain = photo_json(&env, &env.lib().join("astronaut.png"));
    assert!(
        plain["taken_at"].is_null()
            && plain["camera_model"].is_null()
            && plain["gps_lat"].is_null()
    );
}

#[test]
fn exif_orientation_gives_upright_dimensions_and_thumbnails() {
    let env = Env::new();
    standard_library(&env);
    // The same pixels without an orientation tag, for comparison.
    write_jpeg_with_exif(
        "fr_obama3.jpg",
        &env.lib().join("exif/upright.jpg"),
        &argus_api::catalog::ExifData::default(),
        Some(1),
    );
    env.scan();
    let rotated = photo_json(&env, &env.lib().join("exif/rotated.jpg"));
    let upright = photo_json(&env, &env.lib().join("exif/upright.jpg"));
    assert_eq!(rotated["orientation"], 6);
    assert_eq!(rotated["width"], upright["height"]);
    assert_eq!(rotated["height"], upright["width"]);

    // Orientation 6 means "rotate 90° clockwise to view": the rotated photo's thumbnail must equal the
    // upright photo's thumbnail turned clockwise.
    let load = |p: &Value| {
        image::open(p["thumbnails"]["large"].as_str().unwrap())
            .unwrap()
            .into_rgb8()
    };
    let rotated_thumb = load(&rotated);
    let expected = image::imageops::rotate90(&load(&upright));
    assert_eq!(rotated_thumb.dimensions(), expected.dimensions());
    let diff: u64 = rotated_thumb
        .as_raw()
        .iter()
        .zip(expected.as_raw())
        .map(|(a, b)| (*a as i64 - *b as i64).unsigned_abs())
        .sum();
    let mean = diff as f64 / rotated_thumb.as_raw().len() as f64;
    assert!(
        mean < 4.0,
        "rotated thumbnail differs from the upright one turned clockwise: mean {mean:.1}"
    );
}

#[test]
fn rescan_of_an_unchanged_library_reads_nothing() {
    let env = Env::new();
    standard_library(&env);
    env.scan();
    let before: Vec<(i64, String)> = env
        .photos()
        .iter()
        .map(|p| (p.id, p.path.display().to_string()))
        .collect();
    let again = env.scan();
    assert_eq!(count(&again, "files_read"), 0, "{again}");
    assert_eq!(count(&again, "unchanged"), 7);
    for key in ["new", "changed", "moved", "deleted", "thumbnails_made"] {
        assert_eq!(count(&again, key), 0, "{key} in {again}");
    }
    let after: Vec<(i64, String)> = env
        .photos()
        .iter()
        .map(|p| (p.id, p.path.display().to_string()))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn modify_move_delete_are_reflected_and_a_move_keeps_the_photo() {
    let env = Env::new();
    let a = env.put("fr_obama.jpg", "a.jpg");
    let b = env.put("fr_biden.jpg", "b.jpg");
    let c = env.put("skimage_astronaut.png", "c.png");
    env.add_library();
    env.scan();
    let id_a = env.photo_at(&a).unwrap().id;
    let old_b = env.photo_at(&b).unwrap();

    // Analysis attached to photo a (as the analysis stage writes it) must follow it when it moves.
    let catalog = || env.open_catalog();
    let mut db = catalog();
    let writer = db.writer().unwrap();
    for photo in [env.photo_at(&a).unwrap(), old_b.clone()] {
        let face = NewFace {
            x: 0.1,
            y: 0.1,
            w: 0.2,
            h: 0.2,
            score: 0.9,
            ..NewFace::default()
        };
        let result = PhotoAnalysis {
            photo_id: photo.id,
            new_faces: Some(("test".into(), vec![face])),
            ..PhotoAnalysis::default()
        };
        assert!(writer
            .write_analysis_of(photo.hash.as_deref().unwrap(), &result)
            .unwrap());
    }
    writer.commit().unwrap();

    // Modify: new content in b (and a later mtime, as an editor would leave).
    std::fs::copy(sample("faceapi_sample2.jpg"), &b).unwrap();
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&b)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let r = env.scan();
    assert_eq!(
        (count(&r, "changed"), count(&r, "files_read")),
        (1, 1),
        "{r}"
    );
    let new_b = env.photo_at(&b).unwrap();
    assert_eq!(new_b.id, old_b.id, "a changed file stays the same photo");
    assert_ne!(new_b.hash, old_b.hash);
    assert_eq!(
        (new_b.width, new_b.height),
        Some(image_size(&b))
            .map(|(w, h)| (Some(w), Some(h)))
            .unwrap()
    );
    let faces_of = |id: i64| catalog().faces_of(id).unwrap().len();
    assert_eq!(
        faces_of(old_b.id),
        0,
        "analysis of the old content is dropped"
    );

    // Move + rename into a new folder: same photo id, analysis kept.
    let moved = env.lib().join("2024/renamed.jpg");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&a, &moved).unwrap();
    let r = env.scan();
    assert_eq!(
        (count(&r, "moved"), count(&r, "deleted"), count(&r, "new")),
        (1, 0, 0),
        "{r}"
    );
    assert_eq!(env.photo_at(&moved).unwrap().id, id_a);
    assert!(env.photo_at(&a).is_none());
    assert_eq!(faces_of(id_a), 1, "a moved photo keeps its analysis");

    // Move a whole folder.
    std::fs::rename(env.lib().join("2024"), env.lib().join("archive")).unwrap();
    let r = env.scan();
    assert_eq!(count(&r, "moved"), 1, "{r}");
    assert_eq!(
        env.photo_at(&env.lib().join("archive/renamed.jpg"))
            .unwrap()
            .id,
        id_a
    );

    // Delete.
    std::fs::remove_file(&c).unwrap();
    let r = env.scan();
    assert_eq!(count(&r, "deleted"), 1, "{r}");
    assert!(env.photo_at(&c).is_none());
    assert_eq!(env.photos().len(), 2);
}

#[test]
fn scanning_never_writes_to_the_library() {
    let env = Env::new();
    standard_library(&env);
    let snapshot = || -> Vec<(std::path::PathBuf, u64, SystemTime, String)> {
        let mut out: Vec<_> = walk(&env.lib())
            .into_iter()
            .map(|p| {
                let meta = std::fs::metadata(&p).unwrap();
                let hash = if meta.is_dir() {
                    String::new()
                } else {
                    blake3::hash(&std::fs::read(&p).unwrap())
                        .to_hex()
                        .to_string()
                };
                (p, meta.len(), meta.modified().unwrap(), hash)
            })
            .collect();
        out.sort();
        out
    };
    let before = snapshot();
    env.scan();
    env.scan();
    assert_eq!(
        before,
        snapshot(),
        "the library's files and folders are exactly as before"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn libraries_cannot_overlap_and_removing_one_keeps_its_files() {
    let env = Env::new();
    standard_library(&env);
    env.scan();
    let nested = env
        .command()
        .args(["library", "add"])
        .arg(env.lib().join("people"))
        .output()
        .unwrap();
    assert!(!nested.status.success());
    assert!(String::from_utf8_lossy(&nested.stderr).contains("overlaps"));
    let libs = env.json(&["library", "list"]);
    assert_eq!(libs[0]["photos"], 7);
    env.run(&["library", "remove", env.lib().to_str().unwrap()]);
    assert!(env.photos().is_empty());
    assert!(env.lib().join("obama.jpg").is_file());
}

#[test]
fn a_missing_library_folder_keeps_its_photos() {
    let env = Env::new();
    standard_library(&env);
    env.scan();
    // The drive is unplugged: the folder is gone, but the catalogue must not forget the photos.
    let parked = env.dir.path().join("parked");
    std::fs::rename(env.lib(), &parked).unwrap();
    let r = env.scan();
    assert_eq!(count(&r, "deleted"), 0);
    assert_eq!(r["offline_libraries"].as_array().unwrap().len(), 1);
    assert_eq!(env.photos().len(), 7);
}

#[test]
fn real_camera_exif_matches_exiftool() {
    // Expected values read from these files with exiftool 12 (`exiftool -n`), an independent reader.
    let env = Env::new();
    let obama = env.put("fr_obama.jpg", "obama.jpg");
    let biden = env.put("fr_biden.jpg", "biden.jpg");
    let sony = env.put("faceapi_sample1.jpg", "sample1.jpg");
    env.add_library();
    env.scan();

    let p = photo_json(&env, &obama);
    assert_eq!(p["taken_at"], "2012-12-06T15:46:01.000");
    assert_eq!(p["camera_make"], "Canon");
    assert_eq!(p["camera_model"], "Canon EOS 5D Mark III");
    assert_eq!(p["lens"], "EF85mm f/1.2L USM");
    assert_eq!(p["focal_length"], 85.0);
    assert_eq!(p["aperture"], 7.1);
    assert_eq!(p["exposure_time"], 0.008);
    assert_eq!(p["iso"], 200);
    assert_eq!(p["orientation"], 1);
    assert!(p["gps_lat"].is_null() && p["taken_offset"].is_null());

    let p = photo_json(&env, &biden);
    assert_eq!(p["taken_at"], "2010-05-10T10:04:01.750");
    assert_eq!(p["camera_model"], "Canon EOS 5D Mark II");
    assert_eq!(
        (p["focal_length"].as_f64(), p["aperture"].as_f64()),
        (Some(35.0), Some(2.2))
    );
    assert_eq!(p["iso"], 1000);

    let p = photo_json(&env, &sony);
    assert_eq!(p["taken_at"], "2017-10-31T20:16:18");
    assert_eq!(
        (p["camera_make"].as_str(), p["camera_model"].as_str()),
        (Some("SONY"), Some("ILCE-7M2"))
    );
    assert_eq!(p["lens"], "FE 55mm F1.8 ZA");
    assert_eq!(
        (p["focal_length"].as_f64(), p["focal_length_35mm"].as_u64()),
        (Some(55.0), Some(55))
    );
    assert_eq!(
        (p["aperture"].as_f64(), p["exposure_time"].as_f64()),
        (Some(1.8), Some(0.01))
    );
    assert_eq!(p["iso"], 2500);
    assert!((p["gps_lat"].as_f64().unwrap() - 37.3196374722167).abs() < 1e-6);
    assert!((p["gps_lon"].as_f64().unwrap() - -121.946502472244).abs() < 1e-6);
}

#[test]
fn paths_outside_every_library_are_refused_saying_what_to_do() {
    let env = Env::new();
    env.put("fr_obama.jpg", "inside.jpg");
    env.add_library();
    env.scan();
    let outside = env.dir.path().join("elsewhere.jpg");
    std::fs::copy(sample("fr_biden.jpg"), &outside).unwrap();
    let fails = |args: &[&str]| {
        let out = env.command().args(args).output().unwrap();
        assert!(!out.status.success(), "argus {args:?} succeeded");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let outside = outside.to_str().unwrap();
    assert!(fails(&["scan", outside]).contains("is not in any library"));
    assert!(fails(&["show", outside]).contains("is not in any library"));
    assert!(fails(&["show", "12345"]).contains("no photo has id 12345"));
    let not_there = env.lib().join("not-there.jpg");
    assert!(fails(&["show", not_there.to_str().unwrap()]).contains("no such file"));
    // Inside a library but not catalogued yet: scan it.
    let new = env.put("fr_biden.jpg", "new.jpg");
    assert!(fails(&["show", new.to_str().unwrap()]).contains("run `argus scan`"));
    env.run(&["scan", new.to_str().unwrap()]);
    env.run(&["show", new.to_str().unwrap()]);
}
