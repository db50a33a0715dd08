//! `argus export` on real photos: faces found by the real detector stay in frame at every aspect,
//! `--focus all` keeps groups, `--person` frames that person, photos without faces fall back to
//! their detail and say so; names cannot leave `--out`; re-runs skip identical crops; EXIF is
//! stripped unless kept, orientation applied; small photos are not blown up unless asked.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{known_exif, sample, write_jpeg_with_exif, Env};
use serde_json::Value;

const ASPECTS: &str = "3:1,2:1,16:9,4:5,1:1,9:16";

/// A face box in source pixels: (x0, y0, x1, y1).
type PixelBox = (f64, f64, f64, f64);

/// A face: catalogue id, box, person id.
type Face = (i64, PixelBox, Option<i64>);

/// Faces of every photo by file name: (face id, pixel box, person id).
fn faces_by_photo(env: &Env) -> HashMap<String, Vec<Face>> {
    let mut out = HashMap::new();
    for photo in env.json(&["photos"]).as_array().unwrap() {
        let shown = env.json(&["show", &photo["id"].to_string()]);
        let (w, h) = (
            shown["width"].as_f64().unwrap(),
            shown["height"].as_f64().unwrap(),
        );
        let faces = shown["faces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let b = &f["box"];
                let (x, y) = (b["x"].as_f64().unwrap(), b["y"].as_f64().unwrap());
                let (bw, bh) = (b["w"].as_f64().unwrap(), b["h"].as_f64().unwrap());
                (
                    f["id"].as_i64().unwrap(),
                    (
                        (x * w).max(0.0),
                        (y * h).max(0.0),
                        ((x + bw) * w).min(w),
                        ((y + bh) * h).min(h),
                    ),
                    f["person_id"].as_i64(),
                )
            })
            .collect();
        out.insert(shown["file_name"].as_str().unwrap().to_string(), faces);
    }
    out
}

fn rect(crop: &Value) -> PixelBox {
    let r = &crop["rect"];
    let x = r["x"].as_f64().unwrap();
    let y = r["y"].as_f64().unwrap();
    (
        x,
        y,
        x + r["w"].as_f64().unwrap(),
        y + r["h"].as_f64().unwrap(),
    )
}

/// Whether `face` lies inside `crop`, to the pixel (face boxes are rounded outwards).
fn inside(face: PixelBox, crop: PixelBox) -> bool {
    face.0 >= crop.0 - 1.0
        && face.1 >= crop.1 - 1.0
        && face.2 <= crop.2 + 1.0
        && face.3 <= crop.3 + 1.0
}

fn file_name(crop: &Value) -> String {
    Path::new(crop["source"].as_str().unwrap())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn crops(report: &Value) -> &Vec<Value> {
    report["crops"].as_array().unwrap()
}

/// Biden and Obama side by side, both scaled to one height: a real two-person photo.
fn put_pair(env: &Env, name: &str) {
    let biden = image::open(sample("fr_biden.jpg")).unwrap().to_rgb8();
    let obama = image::open(sample("fr_obama.jpg")).unwrap().to_rgb8();
    let height = obama.height();
    let biden_w = biden.width() * height / biden.height();
    let biden = image::imageops::resize(
        &biden,
        biden_w,
        height,
        image::imageops::FilterType::Triangle,
    );
    let mut pair = image::RgbImage::new(biden_w + obama.width(), height);
    image::imageops::replace(&mut pair, &biden, 0, 0);
    image::imageops::replace(&mut pair, &obama, i64::from(biden_w), 0);
    pair.save(env.lib().join(name)).unwrap();
}

#[test]
fn crops_keep_the_faces_the_detector_found() {
    let env = Env::with_models();
    env.add_library();
    for name in [
        "fr_obama.jpg",
        "fr_obama2.jpg",
        "fr_obama3.jpg",
        "faceapi_sample2.jpg",
    ] {
        env.put(name, name);
    }
    env.put("skimage_coffee.png", "coffee.png");
    put_pair(&env, "pair.jpg");
    env.json(&["scan", "--stages", "faces,embedding"]);
    let faces = faces_by_photo(&env);
    assert_eq!(faces["coffee.png"].len(), 0);
    assert_eq!(faces["pair.jpg"].len(), 2, "Biden and Obama");
    assert!(faces["faceapi_sample2.jpg"].len() >= 3, "a group photo");
    let out = env.dir.path().join("out");
    let out_s = out.to_str().unwrap();

    // 1. Every aspect, largest face: exact sizes; the face inside unless the aspect cannot hold it.
    let report = env.json(&[
        "export", "--query", "", "--aspect", ASPECTS, "--width", "400", "--out", out_s,
    ]);
    assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(crops(&report).len(), 6 * 6);
    let mut held = 0;
    for crop in crops(&report) {
        let (w, h) = common::image_size(&out.join(crop["output"].as_str().unwrap()));
        let name = file_name(crop);
        let r = rect(crop);
        let expected = if crop["smaller_than_requested"] == true {
            // The photo has fewer pixels than asked: the crop keeps its own size.
            [(r.2 - r.0) as u32, (r.3 - r.1) as u32]
        } else {
            [
                crop["requested"][0].as_u64().unwrap() as u32,
                crop["requested"][1].as_u64().unwrap() as u32,
            ]
        };
        assert_eq!([w, h], expected, "{name} {}", crop["aspect"]);
        let source = &faces[&name];
        if source.is_empty() {
            continue;
        }
        let largest = source
            .iter()
            .max_by(|a, b| {
                let area = |f: &PixelBox| (f.2 - f.0) * (f.3 - f.1);
                area(&a.1).total_cmp(&area(&b.1))
            })
            .unwrap();
        assert_eq!(
            crop["focus"]["faces"],
            serde_json::json!([largest.0]),
            "{name}"
        );
        match crop["fit"].as_str().unwrap() {
            "padded" | "reduced_padding" => {
                assert!(
                    inside(largest.1, r),
                    "{name} {}: face {:?} outside {r:?}",
                    crop["aspect"],
                    largest.1
                );
                held += 1;
            }
            "focus_cut" => {
                // Only when the face is taller or wider than any crop of this aspect in the photo.
                let (fw, fh) = (largest.1 .2 - largest.1 .0, largest.1 .3 - largest.1 .1);
                let (shown_w, shown_h) = (r.2 - r.0, r.3 - r.1);
                assert!(
                    fw > shown_w - 1.0 || fh > shown_h - 1.0,
                    "{name} {}: cut needlessly",
                    crop["aspect"]
                );
            }
            other => panic!("{name}: unexpected fit {other}"),
        }
    }
    assert!(held >= 20, "only {held} crops held their face");

    // The real detector finds a face again in every square crop made around one.
    let check = Env::with_models();
    check.add_library();
    for crop in crops(&report) {
        if crop["aspect"] == "1:1" && crop["fit"] == "padded" {
            let output = crop["output"].as_str().unwrap();
            std::fs::copy(out.join(output), check.lib().join(output)).unwrap();
        }
    }
    check.json(&["scan", "--stages", "faces"]);
    let found = faces_by_photo(&check);
    assert!(found.len() >= 4);
    for (name, faces) in &found {
        assert!(!faces.is_empty(), "no face in the crop {name}");
    }

    // With --fill, a face too tall for 3:1 is kept whole: the crop reaches past the photo, filled.
    let obama_id = env
        .photos()
        .iter()
        .find(|p| p.file_name == "fr_obama.jpg")
        .unwrap()
        .id
        .to_string();
    let filled = env.json(&[
        "export",
        "--ids",
        &obama_id,
        "--aspect",
        "3:1",
        "--width",
        "600",
        "--fill",
        "#00ff00",
        "--out",
        out.join("filled").to_str().unwrap(),
    ]);
    let crop = &crops(&filled)[0];
    assert_eq!(crop["fit"], "filled");
    assert!(
        inside(faces["fr_obama.jpg"][0].1, rect(crop)),
        "the whole face"
    );
    let pixels = image::open(out.join("filled").join(crop["output"].as_str().unwrap()))
        .unwrap()
        .to_rgb8();
    assert_eq!(pixels.dimensions(), (600, 200));
    // The side that reaches furthest past the photo shows the fill colour.
    let r = rect(crop);
    let photo_w = f64::from(common::image_size(&env.lib().join("fr_obama.jpg")).0);
    let x = if -r.0 > r.2 - photo_w { 0 } else { 599 };
    let side = pixels.get_pixel(x, 100).0;
    assert!(
        side[1] > 200 && side[0] < 60 && side[2] < 60,
        "fill colour at x {x}: {side:?} ({r:?})"
    );

    // 2. No face: cropped on the detail, and said so.
    let coffee: Vec<&Value> = crops(&report)
        .iter()
        .filter(|c| file_name(c) == "coffee.png")
        .collect();
    assert_eq!(coffee.len(), 6);
    for crop in coffee {
        assert_eq!(crop["focus"]["source"], "content");
        assert_eq!(crop["focus"]["why"], "no face found");
        assert_eq!(crop["fit"], "no_focus");
    }
    assert_eq!(report["content_fallbacks"], 1);
    let human = env.run(&[
        "export", "--query", "", "--aspect", "1:1", "--width", "200", "--out", out_s,
    ]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("coffee.png: no face found"), "{text}");

    // 3. --focus all keeps every face of the group photo where the aspect can hold them.
    let group = &faces["faceapi_sample2.jpg"];
    let all = env.json(&[
        "export",
        "--query",
        "",
        "--aspect",
        "16:9,3:1,1:1",
        "--width",
        "300",
        "--focus",
        "all",
        "--out",
        out_s,
    ]);
    let mut group_held = 0;
    for crop in crops(&all)
        .iter()
        .filter(|c| file_name(c) == "faceapi_sample2.jpg")
    {
        assert_eq!(crop["focus"]["source"], "all_faces");
        assert_eq!(
            crop["focus"]["faces"].as_array().unwrap().len(),
            group.len()
        );
        if crop["fit"] != "focus_cut" {
            for face in group {
                assert!(inside(face.1, rect(crop)), "{} lost a face", crop["aspect"]);
            }
            group_held += 1;
        }
    }
    assert!(group_held >= 2, "16:9 and 3:1 hold the whole group");

    // 4. A person export frames that person, even beside someone larger.
    let obama_face = faces["fr_obama.jpg"][0];
    let person = obama_face.2.expect("clustered").to_string();
    env.run(&["people", "name", &person, "Obama"]);
    let report = env.json(&[
        "export",
        "--person",
        "Obama",
        "--aspect",
        "9:16,1:1",
        "--width",
        "200",
        "--padding",
        "0.1",
        "--out",
        out_s,
    ]);
    let names: std::collections::BTreeSet<String> = crops(&report).iter().map(file_name).collect();
    assert!(
        names.contains("pair.jpg") && names.contains("fr_obama.jpg"),
        "{names:?}"
    );
    assert!(!names.contains("faceapi_sample2.jpg"));
    let pair = &faces["pair.jpg"];
    let (obama, biden): (Vec<&Face>, Vec<_>) = pair.iter().partition(|f| f.2 == obama_face.2);
    assert_eq!(
        (obama.len(), biden.len()),
        (1, 1),
        "one of each in the pair"
    );
    for crop in crops(&report).iter().filter(|c| file_name(c) == "pair.jpg") {
        assert_eq!(crop["focus"]["source"], "person");
        assert_eq!(crop["focus"]["faces"], serde_json::json!([obama[0].0]));
        assert!(
            inside(obama[0].1, rect(crop)),
            "Obama in the {} crop",
            crop["aspect"]
        );
        if crop["aspect"] == "9:16" {
            let b = biden[0].1;
            let centre = ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0);
            let r = rect(crop);
            assert!(
                centre.0 < r.0 || centre.0 > r.2,
                "the tall crop is on Obama, not Biden"
            );
        }
    }
}

#[test]
fn names_cannot_leave_the_export_folder() {
    let env = Env::new();
    env.add_library();
    // Windows separators and reserved characters in a (valid Unix) file name.
    env.put("fr_biden.jpg", "a\\..\\..\\up:two*.jpg");
    env.put("fr_obama.jpg", "obama.jpg");
    env.scan();
    let base = env.dir.path().join("exports");
    let out = base.join("out");
    let out_s = out.to_str().unwrap();
    for template in [
        "../{stem}.{ext}",
        "/tmp/{stem}.{ext}",
        "{stem}/../../x{w}.{ext}",
    ] {
        let failed = env
            .command()
            .args([
                "export",
                "--query",
                "",
                "--out",
                out_s,
                "--template",
                template,
            ])
            .output()
            .unwrap();
        assert!(!failed.status.success(), "{template} accepted");
        assert!(String::from_utf8_lossy(&failed.stderr).contains("template"));
    }
    let report = env.json(&[
        "export",
        "--query",
        "",
        "--aspect",
        "1:1",
        "--width",
        "64",
        "--template",
        "{stem}/{aspect}.{ext}",
        "--out",
        out_s,
    ]);
    for crop in crops(&report) {
        let output = Path::new(crop["output"].as_str().unwrap());
        assert!(output
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_))));
        assert!(out
            .join(output)
            .canonicalize()
            .unwrap()
            .starts_with(out.canonicalize().unwrap()));
    }
    assert_eq!(crops(&report).len(), 2);
    assert!(
        out.join("a_.._.._up_two_/1x1.jpg").is_file(),
        "separators and reserved characters became '_'"
    );
    // A query that does not parse says where, as `argus search` does (exit 2).
    let bad = env
        .command()
        .args(["export", "--query", "beard and (", "--out", out_s])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains('^'));
    // Exporting into a library folder works, with a note that the next scan will catalogue the crops.
    let inside_library = env
        .command()
        .args([
            "export",
            "--ids",
            &crops(&report)[0]["photo_id"].to_string(),
            "--aspect",
            "1:1",
        ])
        .args(["--width", "64", "--out"])
        .arg(env.lib().join("crops"))
        .output()
        .unwrap();
    assert!(inside_library.status.success());
    assert!(String::from_utf8_lossy(&inside_library.stderr).contains("inside the library"));
    // A symbolic link inside the folder may not lead out of it.
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("unnamed")).unwrap();
    let report = env.json(&[
        "export",
        "--query",
        "",
        "--aspect",
        "1:1",
        "--width",
        "64",
        "--template",
        "{person}/{stem}.{ext}",
        "--out",
        out_s,
    ]);
    assert_eq!(report["problems"].as_array().unwrap().len(), 2, "{report}");
    assert!(report["problems"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("outside the export folder"));
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing written outside"
    );
}

#[test]
fn reruns_skip_identical_crops_and_redo_changed_ones() {
    let env = Env::new();
    env.add_library();
    env.put("fr_obama.jpg", "a.jpg");
    env.put("skimage_rocket.jpg", "b.jpg");
    env.scan();
    let out = env.dir.path().join("out");
    let out_s = out.to_str().unwrap();
    let run = |quality: &str| {
        env.json(&[
            "export",
            "--query",
            "",
            "--aspect",
            "16:9,1:1",
            "--width",
            "200",
            "--quality",
            quality,
            "--out",
            out_s,
        ])
    };
    let first = run("90");
    assert_eq!(
        (first["written"].as_u64(), first["unchanged"].as_u64()),
        (Some(4), Some(0))
    );
    let some = out.join(crops(&first)[0]["output"].as_str().unwrap());
    let modified = std::fs::metadata(&some).unwrap().modified().unwrap();
    let second = run("90");
    assert_eq!(
        (second["written"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(
        std::fs::metadata(&some).unwrap().modified().unwrap(),
        modified,
        "not rewritten"
    );
    std::fs::write(&some, b"edited by hand").unwrap();
    let third = run("90");
    assert_eq!(
        (third["written"].as_u64(), third["unchanged"].as_u64()),
        (Some(1), Some(3))
    );
    assert!(image::open(&some).is_ok(), "restored");
    let fourth = run("80");
    assert_eq!(
        fourth["written"].as_u64(),
        Some(4),
        "a new quality redoes every crop"
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("argus-export.json")).unwrap()).unwrap();
    assert_eq!(manifest["crops"].as_array().unwrap().len(), 4);

    // Cancelled before it starts (as Ctrl-C would): nothing new, and the manifest still written.
    let catalog = env.open_catalog();
    let ids: Vec<i64> = env.photos().iter().map(|p| p.id).collect();
    let cancel = argus_api::progress::CancelToken::new();
    cancel.cancel();
    let elsewhere = env.dir.path().join("cancelled");
    let report = argus_api::export::export(
        &catalog,
        &ids,
        &argus_api::export::ExportOptions::new(elsewhere.clone()),
        &argus_api::progress::Silent,
        &cancel,
    )
    .unwrap();
    assert!(report.cancelled && report.crops.is_empty());
    assert!(elsewhere.join("argus-export.json").is_file());
}

#[test]
fn metadata_orientation_and_small_photos() {
    let env = Env::new();
    env.add_library();
    // The same photo stored upright, and stored sideways with orientation 6 and GPS.
    write_jpeg_with_exif(
        "fr_obama2.jpg",
        &env.lib().join("upright.jpg"),
        &known_exif(),
        Some(1),
    );
    let sideways = image::open(sample("fr_obama2.jpg"))
        .unwrap()
        .rotate270()
        .to_rgb8();
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 95)
        .encode_image(&sideways)
        .unwrap();
    let tagged = argus_api::media::jpeg_with_exif(&bytes, &known_exif(), Some(6)).unwrap();
    std::fs::write(env.lib().join("sideways.jpg"), tagged).unwrap();
    env.put("skimage_coffee.png", "small.png");
    env.scan();
    let out = env.dir.path().join("out");
    let out_s = out.to_str().unwrap();
    let report = env.json(&[
        "export", "--query", "", "--aspect", "4:5", "--width", "400", "--out", out_s,
    ]);
    let by_name: HashMap<String, &Value> =
        crops(&report).iter().map(|c| (file_name(c), c)).collect();
    // Orientation applied: the sideways file gives the same picture as the upright one.
    let upright = image::open(out.join(by_name["upright.jpg"]["output"].as_str().unwrap()))
        .unwrap()
        .to_rgb8();
    let turned = image::open(out.join(by_name["sideways.jpg"]["output"].as_str().unwrap()))
        .unwrap()
        .to_rgb8();
    assert_eq!(upright.dimensions(), turned.dimensions());
    let diff: f64 = upright
        .as_raw()
        .iter()
        .zip(turned.as_raw())
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
        .sum::<f64>()
        / upright.as_raw().len() as f64;
    assert!(diff < 6.0, "mean difference {diff}");
    // EXIF stripped by default …
    let exif_of = |name: &str| {
        let path: PathBuf = out.join(name);
        let file = std::fs::File::open(path).unwrap();
        exif::Reader::new()
            .read_from_container(&mut std::io::BufReader::new(file))
            .ok()
    };
    assert!(exif_of(by_name["sideways.jpg"]["output"].as_str().unwrap()).is_none());
    // … kept on request, with orientation 1 (the pixels are upright now).
    let kept = env.json(&[
        "export",
        "--ids",
        &by_name["sideways.jpg"]["photo_id"].to_string(),
        "--aspect",
        "4:5",
        "--width",
        "400",
        "--keep-metadata",
        "--out",
        out.join("kept").to_str().unwrap(),
    ]);
    let exif = exif_of(&format!(
        "kept/{}",
        crops(&kept)[0]["output"].as_str().unwrap()
    ))
    .expect("EXIF kept");
    assert!(exif
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .is_some());
    assert_eq!(
        exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .and_then(|f| f.value.get_uint(0)),
        Some(1)
    );
    // A photo smaller than asked keeps its size (and says so) unless upscaling is asked for.
    let small = by_name["small.png"];
    assert_eq!(small["smaller_than_requested"], true);
    assert_eq!(
        [small["width"].as_u64(), small["height"].as_u64()],
        [Some(320), Some(400)]
    );
    let up = env.json(&[
        "export",
        "--ids",
        &small["photo_id"].to_string(),
        "--aspect",
        "4:5",
        "--width",
        "400",
        "--upscale",
        "--out",
        out.join("up").to_str().unwrap(),
    ]);
    assert_eq!(
        [
            crops(&up)[0]["width"].as_u64(),
            crops(&up)[0]["height"].as_u64()
        ],
        [Some(400), Some(500)]
    );
    assert_eq!(crops(&up)[0]["smaller_than_requested"], false);
}
