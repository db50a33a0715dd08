//! Shared test harness: real sample photos (fetched from registry packages by `scripts/fetch-sample.sh`),
//! a temporary library + catalogue + cache, and a runner for the real `argus` binary.
#![allow(dead_code)]

pub mod harness;
pub mod models;
pub mod watcher;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use argus_api::catalog::{Catalog, ExifData, Photo, PhotoFilter};
use serde_json::Value;

/// The sample photos folder, fetched on first use (the script is idempotent and locks against
/// concurrent runs). `ARGUS_SAMPLE_DIR` points elsewhere.
pub fn sample_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("ARGUS_SAMPLE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_dir("target/sample-photos"));
        made_by_script(dir, "fetch-sample.sh", &[], &[])
    })
}

/// HEIC, AVIF and DNG twins of sample photos (`scripts/make-format-samples.sh`, made on first use from
/// the pinned sample photos with Debian's heif-enc and PyPI's pidng).
pub fn format_samples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let samples = sample_dir().to_string_lossy().into_owned();
        made_by_script(
            workspace_dir("target/format-samples"),
            "make-format-samples.sh",
            &[],
            &[&samples],
        )
    })
}

/// The labelled photos of identified people (`scripts/fetch-people.sh`: `images/<person>/<file>`),
/// fetched on first use.
pub fn people_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        made_by_script(
            workspace_dir("target/people-photos"),
            "fetch-people.sh",
            &[],
            &[],
        )
    })
}

/// dlib's "johns" (`scripts/fetch-johns.sh`): five people, eleven face crops each, labelled.
pub fn johns_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        made_by_script(
            workspace_dir("target/johns-photos"),
            "fetch-johns.sh",
            &[],
            &[],
        )
    })
}

/// Other tools' metadata (`scripts/fetch-sample.sh --set xmp`): photos with embedded XMP/IPTC and
/// sidecars from digiKam-style exiv2, Lightroom, Mylio, darktable, ExifTool and tracker-miners.
pub fn xmp_sample(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        made_by_script(
            workspace_dir("target/xmp-samples"),
            "fetch-sample.sh",
            &["--set", "xmp"],
            &[],
        )
    });
    let path = dir.join(name);
    assert!(path.is_file(), "XMP sample {} is missing", path.display());
    path
}

/// The classic object-detection photos (`scripts/fetch-sample.sh --set objects`: ultralytics' bus and
/// zidane, darknet's dog, person, kite, horses, giraffe and eagle), by file name.
pub fn object_sample(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        made_by_script(
            workspace_dir("target/object-photos"),
            "fetch-sample.sh",
            &["--set", "objects"],
            &[],
        )
    });
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "object sample {} is missing",
        path.display()
    );
    path
}

/// The photos of the hand-labelled persons set (`scripts/fetch-sample.sh --set persons`, listed in
/// `tests/data/persons/labels.toml`): the folder.
pub fn person_photos_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        made_by_script(
            workspace_dir("target/person-photos"),
            "fetch-sample.sh",
            &["--set", "persons"],
            &[],
        )
    })
}

/// A path inside the workspace.
pub fn workspace_dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// `bash scripts/SCRIPT [BEFORE…] DIR [AFTER…]` for a folder of test data (the
/// scripts are idempotent and lock against concurrent runs), asserting success. The folder.
fn made_by_script(dir: PathBuf, script: &str, before: &[&str], after: &[&str]) -> PathBuf {
    let status = Command::new("bash")
        .arg(workspace_dir("scripts").join(script))
        .args(before)
        .arg(&dir)
        .args(after)
        .status()
        .unwrap_or_else(|e| panic!("run scripts/{script}: {e}"));
    assert!(status.success(), "scripts/{script} failed");
    dir
}

/// A format sample by file name (`portrait.heic`, `group.dng` …).
pub fn format_sample(name: &str) -> PathBuf {
    let path = format_samples_dir().join(name);
    assert!(
        path.is_file(),
        "format sample {} is missing",
        path.display()
    );
    path
}

/// A sample photo by file name.
pub fn sample(name: &str) -> PathBuf {
    let path = sample_dir().join(name);
    assert!(path.is_file(), "sample photo {} is missing", path.display());
    path
}

/// A temporary workspace: `lib/` (the library), a catalogue (`catalog.db`, or a fresh schema of the
/// test database when `ARGUS_TEST_POSTGRES` is set: see `argus_catalog::fixture::test_location`),
/// `cache/`, and a models folder (empty unless made [`Env::with_models`], so scans catalogue without
/// analysing).
pub struct Env {
    pub dir: tempfile::TempDir,
    catalog: String,
    models: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("argus-test-")
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("lib")).unwrap();
        let models = dir.path().join("no-models");
        let catalog = argus_catalog::fixture::test_location(dir.path());
        Env {
            dir,
            catalog,
            models,
        }
    }

    /// A workspace whose commands use the real models (fetched on first use).
    pub fn with_models() -> Env {
        let mut env = Env::new();
        env.models = models::models_dir().to_path_buf();
        env
    }

    /// The same workspace on another catalogue (a server's, say).
    pub fn on_catalog(mut self, location: String) -> Env {
        self.catalog = location;
        self
    }

    pub fn models(&self) -> &Path {
        &self.models
    }

    pub fn lib(&self) -> PathBuf {
        self.dir.path().join("lib").canonicalize().unwrap()
    }

    /// The catalogue's location, as `--catalog` / `ARGUS_CATALOG` take it.
    pub fn catalog(&self) -> &str {
        &self.catalog
    }

    /// The catalogue file, for tests of what only a file has (a killed writer, a copy).
    pub fn catalog_path(&self) -> PathBuf {
        assert!(
            argus_catalog::fixture::test_postgres().is_none(),
            "this test needs a SQLite catalogue file; it does not run with ARGUS_TEST_POSTGRES"
        );
        self.dir.path().join("catalog.db")
    }

    /// Opens the workspace's catalogue (another connection, as the app would have).
    pub fn open_catalog(&self) -> Catalog {
        argus_catalog::fixture::reopen(&self.catalog)
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// The `argus` binary with this workspace's catalogue and cache.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_argus"));
        cmd.env("ARGUS_CATALOG", &self.catalog)
            .env("ARGUS_CACHE", self.cache())
            .env("ARGUS_MODELS", &self.models)
            .env_remove("ARGUS_ORT_LIB");
        cmd
    }

    /// Runs `argus ARGS`, asserting success.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.command().args(args).output().unwrap();
        assert!(
            !(args.contains(&"dev") && String::from_utf8_lossy(&out.stderr).contains("'dev'")),
            "`argus dev` is missing from this build: run the tests as README.md says, \
             `cargo test --workspace --features argus/dev`"
        );
        assert!(
            out.status.success(),
            "argus {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        out
    }

    /// Runs `argus --json ARGS` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "argus {args:?} printed invalid JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Adds `lib/` as a library.
    pub fn add_library(&self) {
        self.run(&["library", "add", self.lib().to_str().unwrap()]);
    }

    /// `argus scan --json`.
    pub fn scan(&self) -> Value {
        self.json(&["scan"])
    }

    /// Copies a sample photo into the library as `name`.
    pub fn put(&self, sample_name: &str, name: &str) -> PathBuf {
        let dest = self.lib().join(name);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(sample(sample_name), &dest).unwrap();
        dest
    }

    /// All photo rows (any status), read through the library API.
    pub fn photos(&self) -> Vec<Photo> {
        self.open_catalog()
            .photos(&PhotoFilter {
                include_problems: true,
                ..PhotoFilter::default()
            })
            .unwrap()
    }

    pub fn photo_at(&self, path: &Path) -> Option<Photo> {
        self.open_catalog().photo_by_path(path).unwrap()
    }
}

/// Known EXIF written into test JPEGs.
pub fn known_exif() -> ExifData {
    ExifData {
        taken_at: Some("2024-07-14T18:32:05.250".into()),
        taken_offset: Some("+02:00".into()),
        camera_make: Some("FUJIFILM".into()),
        camera_model: Some("X100V".into()),
        lens: Some("23mm F2".into()),
        focal_length: Some(23.0),
        focal_length_35mm: Some(35),
        aperture: Some(5.6),
        exposure_time: Some(1.0 / 250.0),
        iso: Some(400),
        gps_lat: Some(38.71389),
        gps_lon: Some(-9.13944),
        gps_alt: Some(86.5),
    }
}

/// A real photo (JPEG) with `exif` and `orientation` written into it, saved as `dest`.
pub fn write_jpeg_with_exif(
    sample_name: &str,
    dest: &Path,
    exif: &ExifData,
    orientation: Option<u16>,
) {
    let bytes = std::fs::read(sample(sample_name)).unwrap();
    let with_exif = argus_api::media::jpeg_with_exif(&bytes, exif, orientation).unwrap();
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(dest, with_exif).unwrap();
}

/// Pixel size of an image file, read by the image crate.
pub fn image_size(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap()
}

pub fn count(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count {key} in {v}"))
}
