//! Bad input never stops a scan: each broken file is recorded with a clear reason and good photos
//! around it are catalogued.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::*;

/// A PNG whose header claims 50,000 × 50,000 pixels (a decompression bomb), with a tiny body.
fn png_bomb(path: &Path) {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    std::fs::write(path, png).unwrap();
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

#[test]
fn corrupt_inputs_are_recorded_with_reasons_and_the_scan_completes() {
    let env = Env::new();
    let lib = env.lib();
    // Good photos around the bad ones.
    env.put("fr_obama.jpg", "good/obama.jpg");
    env.put("skimage_coffee.png", "good/coffee.png");
    // Truncated JPEG: a real photo cut at 60 %.
    let real = std::fs::read(sample("faceapi_sample3.jpg")).unwrap();
    std::fs::write(lib.join("truncated.jpg"), &real[..real.len() * 6 / 10]).unwrap();
    std::fs::write(lib.join("empty.jpg"), b"").unwrap();
    std::fs::write(
        lib.join("letter.jpg"),
        "Dear Ana,\nthis is not a photo.\n".repeat(20),
    )
    .unwrap();
    png_bomb(&lib.join("bomb.png"));
    let unreadable = env.put("fr_biden.jpg", "unreadable.jpg");
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(lib.join("design.PSD"), b"8BPS\0\x01").unwrap();
    env.add_library();

    // Root reads any file regardless of permissions: run the scan as an unprivileged user then.
    let mut cmd = env.command();
    if is_root() {
        std::fs::create_dir_all(env.cache()).unwrap();
        for dir in [env.dir.path(), &lib, &lib.join("good"), &env.cache()] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        for file in std::fs::read_dir(env.dir.path()).unwrap() {
            let path = file.unwrap().path();
            if path.is_file() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
            }
        }
        // A copy of the binary the unprivileged user can surely reach (the checkout may be private).
        let binary = env.dir.path().join("argus-bin");
        std::fs::copy(env!("CARGO_BIN_EXE_argus"), &binary).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&binary)
            .env("ARGUS_CATALOG", env.catalog())
            .env("ARGUS_CACHE", env.cache());
    }
    let out = cmd.args(["--json", "scan"]).output().unwrap();
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&report, "discovered"), 8);
    assert_eq!(count(&report, "errors"), 5, "{report:#}");
    assert_eq!(count(&report, "unsupported"), 1);

    let reason_of = |name: &str| -> String {
        let p = env
            .photo_at(&lib.join(name))
            .unwrap_or_else(|| panic!("{name} not recorded"));
        assert_ne!(p.status, argus_api::catalog::PhotoStatus::Ok, "{name}");
        p.error.unwrap()
    };
    assert!(
        reason_of("truncated.jpg").starts_with("truncated jpeg"),
        "{}",
        reason_of("truncated.jpg")
    );
    assert_eq!(reason_of("empty.jpg"), "empty file (0 bytes)");
    assert_eq!(
        reason_of("letter.jpg"),
        "not an image: the file contains text"
    );
    assert!(
        reason_of("bomb.png").contains("50000×50000"),
        "{}",
        reason_of("bomb.png")
    );
    assert!(reason_of("bomb.png").contains("above the limit"));
    assert!(
        reason_of("unreadable.jpg").contains("Permission denied"),
        "{}",
        reason_of("unreadable.jpg")
    );
    assert_eq!(
        reason_of("design.PSD"),
        "Photoshop PSD files are not supported yet"
    );

    // The good photos made it.
    for good in ["good/obama.jpg", "good/coffee.png"] {
        assert_eq!(
            env.photo_at(&lib.join(good)).unwrap().status,
            argus_api::catalog::PhotoStatus::Ok
        );
    }
    // `argus photos --errors` lists exactly the six problem files, with reasons.
    let problems = env.json(&["photos", "--errors"]);
    assert_eq!(problems.as_array().unwrap().len(), 6);
    assert!(problems
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["error"].as_str().is_some_and(|e| !e.is_empty())));
    let text = String::from_utf8(env.run(&["photos", "--errors"]).stdout).unwrap();
    assert!(
        text.contains("unreadable.jpg") && text.contains("Permission denied"),
        "{text}"
    );

    // The files are exactly as they were (never written, never moved).
    assert_eq!(
        std::fs::metadata(&unreadable).unwrap().permissions().mode() & 0o777,
        0
    );
    assert_eq!(
        std::fs::read(lib.join("truncated.jpg")).unwrap().len(),
        real.len() * 6 / 10
    );

    // A problem file that is unchanged is not read again; once fixed, it is.
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::copy(sample("faceapi_sample3.jpg"), lib.join("truncated.jpg")).unwrap();
    let again = env.json(&["scan", "--retry-errors"]);
    // The five errors are read again (the unsupported PSD is not: nothing to retry); good photos are not.
    assert_eq!(count(&again, "changed"), 5, "{again:#}");
    assert_eq!(count(&again, "unchanged"), 3, "{again:#}");
    assert_eq!(
        env.photo_at(&lib.join("truncated.jpg")).unwrap().status,
        argus_api::catalog::PhotoStatus::Ok
    );
    assert_eq!(
        env.photo_at(&unreadable).unwrap().status,
        argus_api::catalog::PhotoStatus::Ok
    );
}

#[test]
fn the_pixel_limit_can_be_raised_or_lowered() {
    let env = Env::new();
    env.put("skimage_astronaut.png", "astronaut.png");
    env.add_library();
    let report = env.json(&["scan", "--max-megapixels", "0"]);
    assert_eq!(count(&report, "errors"), 1);
    let reason = report["problems"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("512×512") && reason.contains("--max-megapixels"),
        "{reason}"
    );
}

#[test]
fn a_database_url_never_becomes_a_folder_and_an_unreachable_server_is_named() {
    let env = Env::new();
    for (url, says) in [
        (
            "postgres://ana:s3cret@127.0.0.1:1/argus",
            "cannot reach the catalogue at postgres://ana@127.0.0.1:1/argus",
        ),
        (
            "mysql://db.example/argus",
            "is not a catalogue Argus can open",
        ),
    ] {
        for how in ["flag", "env"] {
            let mut cmd = env.command();
            cmd.current_dir(&env.dir);
            if how == "flag" {
                cmd.args(["--catalog", url]);
            } else {
                cmd.env("ARGUS_CATALOG", url);
            }
            let out = cmd.arg("stats").output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{url} ({how})");
            assert!(stderr.contains(says), "{url} ({how}): {stderr}");
            assert!(
                !stderr.contains("s3cret"),
                "the password is never shown: {stderr}"
            );
        }
    }
    let made: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(':'))
        .collect();
    assert!(made.is_empty(), "a URL became a path: {made:?}");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let env = Env::new();
    env.put("fr_obama.jpg", "a.jpg");
    env.add_library();
    env.scan();
    for args in [&["photos"][..], &["--json", "photos"], &["search"]] {
        let mut child = env
            .command()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `argus … | head -0`: the reader is gone before anything is printed.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "argus {args:?}: {stderr}");
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.success() || out.status.signal() == Some(SIGPIPE),
            "argus {args:?}: {:?} {stderr}",
            out.status
        );
    }
}

/// SIGPIPE's number (on Linux and the BSDs).
const SIGPIPE: i32 = 13;
