//! End-to-end: the real app window (WebKitGTK), driven through WebDriver — `tauri-driver` in front
//! of Debian's `WebKitWebDriver` — on a virtual X display (Xvfb). One walk through what a new user
//! does: add a library (one photo with a Lightroom-style XMP sidecar), wait for the analysis,
//! narrow the grid with a facet, open a photo and see its faces, rating and keywords, follow a
//! keyword, draw and name a face the detector missed, narrow by an object and see a body's box, name a person and choose their cover, filter
//! by that person, turn on "write sidecars" and find the names merged into the sidecar, export crops
//! and find them on disk; the image scheme refuses what is outside the libraries and the cache; the
//! Duplicates view groups a photo with the smaller re-encoded copy the set-up added, keeping the
//! original stacks the copy out of the grid, and the photo view shows a strip of similar photos and
//! "Similar" finds the look-alikes in the grid; naming two faces of one photo alike by hand is kept
//! and said. Every step saves a screenshot to `target/e2e-screenshots/` (`-postgres/` when the
//! catalogue is on the test server: `ARGUS_TEST_ENGINE=postgres`, as for the library's tests).
//!
//! Needs `tauri-driver`, `WebKitWebDriver` and `Xvfb` (`scripts/setup.sh` installs them); without
//! them the test is reported as skipped, with what is missing, unless `ARGUS_E2E_REQUIRED` is set (CI
//! sets it), when it fails. The sample photos and models are fetched into the workspace's `target/`
//! on first use, as the root crate's tests do.
#![deny(dead_code)]

#[path = "../../tests/common/harness.rs"]
mod harness;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use argus_api::analysis::AnalyzeOptions;
use argus_api::catalog::{PhotoFilter, StoredFace};
use argus_api::models::{FetchOptions, ModelStore};
use argus_api::objects::{COCO_CLASSES, PERSON};
use argus_api::search::{search, SearchOptions};
use argus_catalog::fixture::reopen;
use harness::{skip, Ran, Skipped};

fn main() -> std::process::ExitCode {
    // The WebDriver client's TLS (rustls) finds two crypto providers in this build — ring, which the
    // catalogue's PostgreSQL connections use, and aws-lc-rs, its own default — so it is told which.
    let _ = rustls::crypto::ring::default_provider().install_default();
    harness::run(vec![(
        "a_new_user_adds_photos_finds_faces_names_a_person_and_exports_crops",
        a_new_user_adds_photos_finds_faces_names_a_person_and_exports_crops,
    )])
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

fn on_path(program: &str) -> Option<PathBuf> {
    let home_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain(home_bin)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// A child process stopped when dropped: asked first (SIGTERM, so that Xvfb removes its display's
/// lock file and socket), killed if it has not exited within two seconds.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let asked = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        if asked {
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(2) {
                if matches!(self.0.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts Xvfb on a display it chooses itself (`-displayfd`): the server takes the first display
/// number it can lock and writes it to its standard output when it accepts connections. Choosing a
/// number here instead would trust lock files that a killed server leaves behind (Xvfb itself
/// tells a stale lock from a live one).
fn start_xvfb(xvfb: &Path) -> (Killed, String) {
    let mut child = Command::new(xvfb)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1440x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let stdout = child.stdout.take().expect("Xvfb's standard output");
    let server = Killed(child);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(read.map(|_| line));
    });
    let number = match receiver.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(line)) if line.trim().parse::<u32>().is_ok() => line.trim().to_string(),
        Ok(Ok(line)) => panic!("Xvfb exited without a display number (printed {line:?})"),
        Ok(Err(error)) => panic!("reading Xvfb's display number: {error}"),
        Err(_) => panic!("Xvfb did not report a display number within 10 s"),
    };
    (server, format!(":{number}"))
}

struct Tools {
    tauri_driver: PathBuf,
    webkit_driver: PathBuf,
    xvfb: PathBuf,
}

fn tools() -> Result<Tools, Skipped> {
    let found = (
        on_path("tauri-driver"),
        on_path("WebKitWebDriver"),
        on_path("Xvfb"),
    );
    match found {
        (Some(tauri_driver), Some(webkit_driver), Some(xvfb)) => Ok(Tools {
            tauri_driver,
            webkit_driver,
            xvfb,
        }),
        missing => {
            let absent: Vec<&str> = [
                ("tauri-driver", missing.0.is_none()),
                ("WebKitWebDriver", missing.1.is_none()),
                ("Xvfb", missing.2.is_none()),
            ]
            .iter()
            .filter(|(_, absent)| *absent)
            .map(|(name, _)| *name)
            .collect();
            let message = format!(
                "the end-to-end test needs {} (run scripts/setup.sh test)",
                absent.join(", ")
            );
            assert!(
                std::env::var_os("ARGUS_E2E_REQUIRED").is_none(),
                "{message}"
            );
            skip(message)
        }
    }
}

/// The sample library (fetched by scripts/fetch-sample.sh, pinned by sha256) and the models (fetched
/// by `argus models fetch`, which downloads nothing when they are present).
fn inputs() -> (PathBuf, PathBuf) {
    let samples = target_dir().join("sample-photos");
    let status = Command::new("bash")
        .arg(workspace().join("scripts/fetch-sample.sh"))
        .arg(&samples)
        .status()
        .expect("run scripts/fetch-sample.sh");
    assert!(status.success(), "fetching the sample photos failed");
    let models = std::env::var_os("ARGUS_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("models"));
    let store = ModelStore::new(&models);
    if !AnalyzeOptions::default().missing_models(&store).is_empty() {
        let fetched = store
            .fetch(&FetchOptions::default())
            .expect("run the model fetch");
        assert!(
            fetched,
            "argus models fetch into {} failed",
            models.display()
        );
    }
    (samples, models)
}

struct Session {
    client: Client,
    shots: PathBuf,
    step: usize,
}

impl Session {
    /// Saves a screenshot once the images on screen have loaded (or 5 s passed) and the page painted.
    async fn shot(&mut self, name: &str) {
        let settle = r#"
            const [done] = arguments;
            const started = performance.now();
            const wait = () => {
                const loading = [...document.images].some(i => !i.complete);
                if (loading && performance.now() - started < 5000) { setTimeout(wait, 50); return; }
                requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
            };
            wait();
        "#;
        let _ = self.client.execute_async(settle, vec![]).await;
        self.step += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot {}", path.display());
    }

    /// The (refine, count) of each value a facet group shows.
    async fn facet_counts(&self, facet: &str) -> Vec<(String, usize)> {
        let css = format!("[data-testid=facet-value][data-facet={facet}]");
        let mut out = Vec::new();
        for e in self
            .client
            .find_all(Locator::Css(&css))
            .await
            .unwrap_or_default()
        {
            let refine = e.attr("title").await.ok().flatten().unwrap_or_default();
            let count = e.attr("data-count").await.ok().flatten();
            if let Some(count) = count.and_then(|c| c.parse().ok()) {
                out.push((refine, count));
            }
        }
        out
    }

    /// Opens a photo of the grid in the photo view (a double-click on its cell).
    async fn open_photo(&self, photo_id: i64) {
        let cell = self.reveal(photo_id).await;
        cell.click().await.unwrap();
        self.run_on(
            &cell,
            "arguments[0].dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))",
        )
        .await;
        self.find(&format!(
            "[data-testid=photo-view][data-photo-id='{photo_id}']"
        ))
        .await;
    }

    /// Clicks the only ticked facet value and waits for the grid to show all `photos` again.
    async fn untick(&self, css: &str, photos: usize) {
        self.click(css).await;
        self.until("all photos again", Duration::from_secs(20), || async {
            self.total().await == Some(photos as u64)
        })
        .await;
    }

    /// Waits for the element, scrolls it to the middle of its scrolling panel (WebKitWebDriver
    /// refuses a click on an element the panel clips, e.g. a facet value below the sidebar's fold),
    /// then clicks it.
    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.run_on(&element, "arguments[0].scrollIntoView({block: 'center'})")
            .await;
        element.click().await.unwrap();
    }

    /// Runs `script` in the window with `element` as `arguments[0]`.
    async fn run_on(&self, element: &Element, script: &str) {
        self.client
            .execute(script, vec![serde_json::to_value(element).unwrap()])
            .await
            .unwrap();
    }

    async fn find(&self, css: &str) -> Element {
        self.wait_for(css, Duration::from_secs(30)).await
    }

    async fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                return e;
            }
            assert!(
                started.elapsed() < timeout,
                "no element {css} after {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The value of a form field (the property: what the user sees).
    async fn value(&self, css: &str) -> String {
        let element = self.find(css).await;
        let value = self
            .client
            .execute(
                "return arguments[0].value",
                vec![serde_json::to_value(&element).unwrap()],
            )
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_string()
    }

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let e = self.client.find(Locator::Css(css)).await.ok()?;
        e.attr(name).await.ok().flatten()
    }

    /// Waits until `check` holds, polling.
    async fn until<F, Fut>(&self, what: &str, timeout: Duration, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while !check().await {
            assert!(started.elapsed() < timeout, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn total(&self) -> Option<u64> {
        self.attr("[data-testid=result-count]", "data-total")
            .await
            .and_then(|t| t.parse().ok())
    }

    /// The photo ids of every cell of the (virtualised) grid: scrolls it from top to bottom,
    /// collecting the cells each position renders.
    async fn grid_ids(&self) -> BTreeSet<i64> {
        let script = r#"
            const [done] = arguments;
            const grid = document.querySelector('[data-testid=grid]');
            if (!grid) { done([]); return; }
            const ids = new Set();
            const collect = () => grid.querySelectorAll('[data-testid=grid-cell]')
                .forEach(c => ids.add(Number(c.dataset.photoId)));
            const step = async () => {
                grid.scrollTop = 0;
                for (;;) {
                    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                    collect();
                    if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) break;
                    grid.scrollTop += Math.max(100, grid.clientHeight - 50);
                }
                grid.scrollTop = 0;
                done([...ids]);
            };
            step();
        "#;
        let ids = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("collect the grid's cells");
        ids.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
            .collect()
    }

    /// Scrolls the grid until the cell of `photo_id` is rendered, and returns it.
    async fn reveal(&self, photo_id: i64) -> Element {
        let script = r#"
            const [id, done] = arguments;
            const grid = document.querySelector('[data-testid=grid]');
            const find = () => grid.querySelector(`[data-testid=grid-cell][data-photo-id="${id}"]`);
            const step = async () => {
                grid.scrollTop = 0;
                for (;;) {
                    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                    const cell = find();
                    if (cell) { cell.scrollIntoView({block: 'center'}); done(true); return; }
                    if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) { done(false); return; }
                    grid.scrollTop += Math.max(100, grid.clientHeight - 50);
                }
            };
            step();
        "#;
        let shown = self
            .client
            .execute_async(script, vec![json!(photo_id)])
            .await
            .expect("scroll the grid");
        assert_eq!(shown, json!(true), "photo {photo_id} is in the grid");
        self.find(&format!(
            "[data-testid=grid-cell][data-photo-id='{photo_id}']"
        ))
        .await
    }

    /// Loads `url` as an image in the window, as the UI does: true when it loads, false when the
    /// app refuses it (or it is not an image).
    async fn image_loads(&self, url: &str) -> bool {
        let script = r#"
            const [url, done] = arguments;
            const img = new Image();
            img.onload = () => done(img.naturalWidth > 0);
            img.onerror = () => done(false);
            img.src = url;
        "#;
        self.client
            .execute_async(script, vec![json!(url)])
            .await
            .expect("load an image in the window")
            .as_bool()
            .expect("a boolean")
    }
}

/// Another connection to the app's catalogue (a file or a server's schema).
/// The ids of photos the library finds for a query (the reference the grid must match).
fn found(catalog: &str, query: &str) -> BTreeSet<i64> {
    let catalog = reopen(catalog);
    let options = SearchOptions {
        limit: 10_000,
        ..SearchOptions::default()
    };
    search(&catalog, Some(query), &options)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn a_new_user_adds_photos_finds_faces_names_a_person_and_exports_crops() -> Ran {
    let tools = tools()?;
    let (samples, models) = inputs();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(drive_the_window(tools, samples, models));
    Ok(())
}

async fn drive_the_window(tools: Tools, samples: PathBuf, models: PathBuf) {
    let work = tempfile::Builder::new()
        .prefix("argus-e2e-")
        .tempdir()
        .unwrap();
    let library = work.path().join("My Photos");
    std::fs::create_dir_all(&library).unwrap();
    let mut photos = 0;
    for entry in std::fs::read_dir(&samples).unwrap() {
        let path = entry.unwrap().path();
        let hidden = path.file_name().unwrap().to_string_lossy().starts_with('.');
        if path.is_file() && !hidden {
            std::fs::copy(&path, library.join(path.file_name().unwrap())).unwrap();
            photos += 1;
        }
    }
    // A smaller, re-encoded copy of one photo: a near duplicate for the Duplicates view.
    let original = image::open(library.join(DUPLICATED_PHOTO)).expect("decode the photo to copy");
    original
        .resize_exact(
            original.width() / 2,
            original.height() / 2,
            image::imageops::FilterType::Triangle,
        )
        .to_rgb8()
        .save(library.join(SMALL_COPY))
        .expect("write the small copy");
    photos += 1;
    // Another tool's sidecar beside one photo (not a photo: `photos` does not count it).
    std::fs::write(
        library.join(format!("{SIDECAR_PHOTO}.xmp")),
        LIGHTROOM_SIDECAR,
    )
    .unwrap();
    // A SQLite file, or a fresh schema of the test server with ARGUS_TEST_ENGINE=postgres.
    let catalog = argus_catalog::fixture::test_location(work.path());
    let exports = work.path().join("exports");
    let shots = target_dir().join(match argus_catalog::fixture::test_postgres() {
        Some(_) => "e2e-screenshots-postgres",
        None => "e2e-screenshots",
    });
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();

    let (_xvfb, display) = start_xvfb(&tools.xvfb);
    let port = free_port();
    let driver_log = std::fs::File::create(work.path().join("tauri-driver.log")).unwrap();
    let _driver = Killed(
        Command::new(&tools.tauri_driver)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .arg("--native-driver")
            .arg(&tools.webkit_driver)
            .env("DISPLAY", &display)
            .env("ARGUS_CATALOG", &catalog)
            .env("ARGUS_CACHE", work.path().join("cache"))
            .env("ARGUS_MODELS", &models)
            .env("HOME", work.path())
            .env("XDG_CONFIG_HOME", work.path().join("config"))
            .env("XDG_DATA_HOME", work.path().join("data"))
            .env("XDG_CACHE_HOME", work.path().join("xdg-cache"))
            .stdout(driver_log.try_clone().unwrap())
            .stderr(driver_log)
            .spawn()
            .expect("start tauri-driver"),
    );
    let app = PathBuf::from(env!("CARGO_BIN_EXE_argus-app"));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("wry"));
    capabilities.insert("tauri:options".into(), json!({ "application": app }));
    let started = Instant::now();
    let client = loop {
        match ClientBuilder::rustls()
            .expect("a WebDriver client")
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if started.elapsed() < Duration::from_secs(30) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!(
                "cannot start a WebDriver session: {e}\n{}",
                std::fs::read_to_string(work.path().join("tauri-driver.log")).unwrap_or_default()
            ),
        }
    };
    let mut s = Session {
        client,
        shots,
        step: 0,
    };
    let result = walk(&mut s, &library, photos, &catalog, &exports).await;
    if result.is_err() {
        s.shot("failure").await;
        // What the app and the driver printed, kept beside the screenshots.
        let log = work.path().join("tauri-driver.log");
        let kept = s.shots.join("tauri-driver.log");
        if std::fs::copy(&log, &kept).is_ok() {
            eprintln!("the app's and the driver's output: {}", kept.display());
        }
    }
    let _ = s.client.close().await;
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

type Walk = Result<(), Box<dyn std::any::Any + Send>>;

async fn walk(
    s: &mut Session,
    library: &Path,
    photos: usize,
    catalog: &str,
    exports: &Path,
) -> Walk {
    use futures_util::FutureExt;
    std::panic::AssertUnwindSafe(steps(s, library, photos, catalog, exports))
        .catch_unwind()
        .await
}

/// `photos`: how many photos the library holds.
async fn steps(s: &mut Session, library: &Path, photos: usize, catalog: &str, exports: &Path) {
    let long = Duration::from_secs(600);

    // 1. A new user sees what to do: add a folder.
    let input = s.find("[data-testid=add-library-path]").await;
    s.shot("empty-catalogue").await;
    input
        .send_keys(&library.display().to_string())
        .await
        .unwrap();
    s.click("[data-testid=add-library-submit]").await;

    // 2. Scan and analysis run with progress, then the grid shows every photo.
    s.until("the scan to start", Duration::from_secs(120), || async {
        s.total().await.is_some_and(|t| t > 0)
    })
    .await;
    s.shot("scanning").await;
    s.until("the analysis to finish", long, || async {
        s.attr("[data-testid=job-status]", "data-state")
            .await
            .as_deref()
            == Some("finished")
            && s.total().await == Some(photos as u64)
    })
    .await;
    let faces = reopen(catalog).stats().unwrap().faces;
    assert!(faces >= 10, "the analysis found faces ({faces})");
    s.until("all grid cells", Duration::from_secs(20), || async {
        s.grid_ids().await.len() == photos
    })
    .await;
    s.shot("analysed").await;

    // 3. A facet narrows the grid to exactly the photos the library finds for it.
    let facet = s
        .find("[data-testid=facet-value][data-facet=attribute][data-value=smile]")
        .await;
    facet.click().await.unwrap();
    let smiling = found(catalog, "smile");
    assert!(
        !smiling.is_empty() && smiling.len() < photos,
        "smile is a narrowing facet"
    );
    s.until(
        "the grid to show the smiling photos",
        Duration::from_secs(20),
        || async { s.total().await == Some(smiling.len() as u64) && s.grid_ids().await == smiling },
    )
    .await;
    // Counts: the other attributes count as if smile were not ticked (ticking one "or"s it), the
    // other groups count within the smiling photos.
    s.until(
        "facet counts beside the tick",
        Duration::from_secs(20),
        || async {
            let attributes = s.facet_counts("attribute").await;
            let labels = s.facet_counts("label").await;
            attributes.len() > 1
                && !labels.is_empty()
                && attributes
                    .iter()
                    .all(|(refine, count)| found(catalog, refine).len() == *count)
                && labels.iter().all(|(refine, count)| {
                    found(catalog, &format!("smile {refine}")).len() == *count
                })
        },
    )
    .await;
    s.shot("facet-smile").await;
    // Unselect it again.
    s.untick(
        "[data-testid=facet-value][data-facet=attribute][data-value=smile]",
        photos,
    )
    .await;

    // 4. Open a photo: its face boxes are drawn.
    let (photo_id, face_count) = {
        let c = reopen(catalog);
        let photo = c
            .photo_by_path(&library.canonicalize().unwrap().join(SIDECAR_PHOTO))
            .unwrap()
            .expect("the photo catalogued");
        (photo.id, c.faces_of(photo.id).unwrap().len())
    };
    assert!(face_count >= 1);
    s.open_photo(photo_id).await;
    s.until("the face boxes", Duration::from_secs(20), || async {
        s.client
            .find_all(Locator::Css("[data-testid=face-box]"))
            .await
            .map(|b| b.len())
            .unwrap_or(0)
            == face_count
    })
    .await;
    s.shot("photo-with-faces").await;

    // ... its rating and keywords, from the sidecar another tool wrote.
    s.find("[data-testid=photo-rating][data-rating='4']").await;
    s.find("[data-testid=photo-keyword][data-keyword='Places/Paris']")
        .await;

    // 5. Draw a face the detector missed, and name it.
    s.click("[data-testid=add-face]").await;
    s.find("[data-testid=draw-layer]").await;
    drag_over_image(s, (0.04, 0.06), (0.24, 0.36)).await;
    s.find("[data-testid=drawn-box]").await;
    s.find("[data-testid=new-face-name]")
        .await
        .send_keys("Ana Lima\u{E007}") // Enter
        .await
        .unwrap();
    s.until(
        "the drawn face to be saved",
        Duration::from_secs(20),
        || async { drawn_face(catalog, photo_id).is_some() },
    )
    .await;
    let (drawn, name) = drawn_face(catalog, photo_id).unwrap();
    assert_eq!(name.as_deref(), Some("Ana Lima"), "the drawn face's person");
    let drawn_box = [drawn.x, drawn.y, drawn.w, drawn.h];
    for (got, want) in drawn_box.iter().zip([0.04, 0.06, 0.20, 0.30]) {
        assert!(
            (f64::from(*got) - want).abs() < 0.01,
            "the drawn box {drawn_box:?} is where the mouse went"
        );
    }
    s.find(&format!(
        "[data-testid=face-box][data-source=manual][data-face-id='{}']",
        drawn.id
    ))
    .await;
    s.find(&format!(
        "[data-testid=face-card][data-face-id='{}'] [data-testid=face-origin][data-source=manual]",
        drawn.id
    ))
    .await;
    s.shot("face-drawn").await;

    // 6. A keyword of the panel shows every photo with it; the keyword and rating facets count them.
    let paris = found(catalog, "tag:Places/Paris");
    assert_eq!(paris, BTreeSet::from([photo_id]));
    s.click("[data-testid=photo-keyword][data-keyword='Places/Paris']")
        .await;
    s.until(
        "the photos with the keyword",
        Duration::from_secs(20),
        || async { s.total().await == Some(1) && s.grid_ids().await == paris },
    )
    .await;
    s.until(
        "the keyword and rating facets",
        Duration::from_secs(20),
        || async {
            let keyword = s.facet_counts("keyword").await;
            let rating = s.facet_counts("rating").await;
            keyword.contains(&("keyword:\"Places/Paris\"".to_string(), 1))
                && rating.contains(&("rating:4".to_string(), 1))
        },
    )
    .await;
    s.shot("facet-keyword").await;
    s.untick(
        "[data-testid=facet-value][data-facet=keyword][data-value='Places/Paris']",
        photos,
    )
    .await;

    // 7. An object facet narrows the grid to the photos the library finds with that object; a photo
    //    shows the boxes of its objects and of the bodies in it.
    let (class, with_class) = COCO_CLASSES
        .iter()
        .filter(|c| **c != PERSON)
        .map(|c| (*c, found(catalog, &format!("object:\"{c}\""))))
        .filter(|(_, f)| !f.is_empty() && f.len() < photos)
        .max_by_key(|(_, f)| f.len())
        .expect("an object found in some of the photos");
    let facet_value = format!("[data-testid=facet-value][data-facet=object][data-value='{class}']");
    s.click(&facet_value).await;
    s.until(
        "the grid to show the photos with the object",
        Duration::from_secs(20),
        || async {
            s.total().await == Some(with_class.len() as u64) && s.grid_ids().await == with_class
        },
    )
    .await;
    s.shot("facet-object").await;
    s.untick(&facet_value, photos).await;
    assert!(
        found(catalog, "persons:>0").contains(&photo_id),
        "the portrait's body is found"
    );
    s.open_photo(photo_id).await;
    s.click("[data-testid=toggle-object-boxes]").await;
    s.find("[data-testid=object-box][data-class=person]").await;
    // The side panel lists the person the body is, with what the body crop says they wear.
    s.find("[data-testid=photo-person][data-wearing*=suit]")
        .await;
    s.shot("photo-with-body").await;
    s.click("[data-testid=toggle-object-boxes]").await;
    s.click("[data-testid=photo-close]").await;

    // 8. Name the person of the detected face in the People view.
    let person_id = {
        let c = reopen(catalog);
        c.faces_of(photo_id)
            .unwrap()
            .into_iter()
            .find(|f| f.source == "detected")
            .and_then(|f| f.person_id)
            .expect("the detected face is in a person")
    };
    s.click("[data-testid=nav-people]").await;
    s.find("[data-testid=people-view]").await;
    s.shot("people").await;
    let card = format!("[data-testid=person-card][data-person-id='{person_id}']");
    s.click(&format!("{card} [data-testid=person-name]")).await;
    let name_input = s.find("[data-testid=person-name-input]").await;
    name_input.send_keys("Barack Obama\u{E007}").await.unwrap(); // Enter
    s.until("the name to be saved", Duration::from_secs(20), || async {
        reopen(catalog)
            .person(person_id)
            .unwrap()
            .and_then(|p| p.name)
            .as_deref()
            == Some("Barack Obama")
    })
    .await;
    s.shot("person-named").await;

    // ... and choose their cover: open the person, pick another of their faces, "Use as cover".
    let (old_cover, new_cover) = {
        let c = reopen(catalog);
        let old = c.person(person_id).unwrap().unwrap().cover_face_id;
        let other = c
            .person_faces(person_id)
            .unwrap()
            .into_iter()
            .map(|f| f.face_id)
            .find(|&f| Some(f) != old)
            .expect("the person has more than one face");
        (old, other)
    };
    s.click(&format!("{card} [data-testid=person-open]")).await;
    s.click(&format!(
        "[data-testid=person-detail] [data-testid=face-tile][data-face-id='{new_cover}']"
    ))
    .await;
    s.click("[data-testid=use-as-cover]").await;
    s.until("the cover to be saved", Duration::from_secs(20), || async {
        let person = reopen(catalog).person(person_id).unwrap();
        person.is_some_and(|p| p.cover_face_id == Some(new_cover) && p.cover_chosen)
    })
    .await;
    assert_ne!(old_cover, Some(new_cover));
    s.shot("person-cover").await;
    s.click("[data-testid=person-back]").await;
    s.find(&format!("{card} img[src$='face%2F{new_cover}']"))
        .await;

    // 9. The person is a facet now: the grid narrows to the photos of that person.
    s.click("[data-testid=nav-photos]").await;
    let obama = found(catalog, "person:\"Barack Obama\"");
    assert!(obama.contains(&photo_id));
    s.click("[data-testid=facet-value][data-facet=person][data-value='Barack Obama']")
        .await;
    s.until(
        "the grid to show the person's photos",
        Duration::from_secs(20),
        || async { s.total().await == Some(obama.len() as u64) && s.grid_ids().await == obama },
    )
    .await;
    s.shot("facet-person").await;

    // 10. Export the person's photos: preview, run, files on disk.
    s.click("[data-testid=open-export]").await;
    s.find("[data-testid=export-dialog]").await;
    let out = s.find("[data-testid=export-out]").await;
    out.clear().await.unwrap();
    out.send_keys(&exports.display().to_string()).await.unwrap();
    s.until("the crop preview", Duration::from_secs(20), || async {
        s.client
            .find_all(Locator::Css("[data-testid=export-preview-crop]"))
            .await
            .map(|c| !c.is_empty())
            .unwrap_or(false)
    })
    .await;
    s.shot("export-preview").await;
    s.click("[data-testid=export-start]").await;
    s.wait_for("[data-testid=export-done]", long).await;
    s.shot("export-done").await;
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(exports.join("argus-export.json")).expect("the export's manifest"),
    )
    .unwrap();
    let crops = manifest["crops"].as_array().expect("crops");
    assert!(!crops.is_empty());
    let aspects = crops
        .iter()
        .map(|c| c["aspect"].as_str().unwrap().to_string())
        .collect::<BTreeSet<_>>();
    assert!(aspects.len() >= 2, "the default aspects: {aspects:?}");
    for crop in crops {
        let file = exports.join(crop["output"].as_str().unwrap());
        assert!(file.is_file(), "{} on disk", file.display());
        assert!(obama.contains(&crop["photo_id"].as_i64().unwrap()));
    }

    // 11. Turn on "write sidecars": both names arrive in the photo's sidecar as face regions, merged
    //     with what the other tool wrote there; the photo itself is untouched.
    s.click("[data-testid=export-dialog] [data-testid=dialog-close]")
        .await;
    let photo_file = library.join(SIDECAR_PHOTO);
    let before = (
        std::fs::read(&photo_file).unwrap(),
        std::fs::metadata(&photo_file).unwrap().modified().unwrap(),
    );
    s.click("[data-testid=open-settings]").await;
    s.find("[data-testid=settings-dialog]").await;
    s.click("[data-testid=write-sidecars]").await;
    s.shot("settings").await;
    s.click("[data-testid=settings-save]").await;
    let sidecar = library.join(format!("{SIDECAR_PHOTO}.xmp"));
    s.until("the sidecar to name both people", long, || async {
        std::fs::read_to_string(&sidecar)
            .is_ok_and(|x| x.contains("Barack Obama") && x.contains("Ana Lima"))
    })
    .await;
    let written = std::fs::read_to_string(&sidecar).unwrap();
    for kept in ["State visit", "Places|Paris", "Politics", "mwg-rs:Regions"] {
        assert!(written.contains(kept), "the sidecar has {kept}:\n{written}");
    }
    let after = (
        std::fs::read(&photo_file).unwrap(),
        std::fs::metadata(&photo_file).unwrap().modified().unwrap(),
    );
    assert!(before == after, "the photo's bytes and mtime are unchanged");

    // 12. The image scheme serves the libraries and the cache, nothing else (the refusals are
    //    checked one by one in `media`'s unit tests; here, through the real window).
    let url = |path: &str| format!("argus://localhost/{}", path.replace('/', "%2F"));
    assert!(s.image_loads(&url(&format!("thumb/{photo_id}"))).await);
    assert!(s.image_loads(&url(&format!("image/{photo_id}"))).await);
    let outside = work_image(library);
    for request in [
        url("../../../../etc/passwd"),
        url(&outside.display().to_string()),
        format!("argus://localhost/..{}", outside.display()),
        format!(
            "asset://localhost/{}",
            url(&outside.display().to_string()).replace("argus://localhost/", "")
        ),
    ] {
        assert!(!s.image_loads(&request).await, "{request} is refused");
    }

    // 13. The Duplicates view groups the photo with its smaller copy, the original suggested (most
    //     pixels); keeping it stacks the copy: the grid shows one photo for the two.
    let original = catalogued_id(catalog, library, DUPLICATED_PHOTO);
    let copy = catalogued_id(catalog, library, SMALL_COPY);
    s.click("[data-testid=nav-duplicates]").await;
    s.find("[data-testid=duplicates-view][data-loaded=true]")
        .await;
    let group = format!(
        "[data-testid=duplicate-group][data-kind=near][data-photo-ids='{},{}']",
        original.min(copy),
        original.max(copy)
    );
    s.find(&format!(
        "{group} [data-testid=duplicate-member][data-suggested=true][data-photo-id='{original}']"
    ))
    .await;
    s.find(&format!(
        "{group} [data-testid=duplicate-member][data-photo-id='{copy}'] [data-fact=pixels].differs"
    ))
    .await;
    s.find(&format!(
        "{group} [data-testid=suggested][title*='most pixels']"
    ))
    .await;
    s.shot("duplicates").await;
    s.click(&format!("{group} [data-testid=stack-group]")).await;
    s.until(
        "the copy to be stacked",
        Duration::from_secs(20),
        || async {
            let stacked = reopen(catalog).photo(copy).unwrap().unwrap();
            stacked.shot_of == Some(original) && stacked.stack_kind.as_deref() == Some("duplicate")
        },
    )
    .await;
    s.find(&format!(
        "[data-testid=duplicate-stack][data-kept-id='{original}'] [data-testid=stacked-photo][data-photo-id='{copy}'] [data-testid=unstack]"
    ))
    .await;
    assert!(
        s.client.find(Locator::Css(&group)).await.is_err(),
        "the stacked group is no longer listed"
    );
    s.shot("duplicates-stacked").await;
    assert!(library.join(SMALL_COPY).is_file(), "no file is deleted");

    // ... back in the grid (the person's filter off), one photo fewer, the copy not in it.
    s.click("[data-testid=nav-photos]").await;
    s.untick(
        "[data-testid=facet-value][data-facet=person][data-value='Barack Obama']",
        photos - 1,
    )
    .await;
    s.until(
        "the grid without the copy",
        Duration::from_secs(20),
        || async {
            let ids = s.grid_ids().await;
            ids.len() == photos - 1 && ids.contains(&original) && !ids.contains(&copy)
        },
    )
    .await;

    // 14. The photo view shows the photos most like this one; a click opens one.
    s.open_photo(original).await;
    s.find("[data-testid=similar-strip][data-state=ready]")
        .await;
    let strip = s
        .client
        .find_all(Locator::Css("[data-testid=similar-photo]"))
        .await
        .unwrap();
    assert!(!strip.is_empty(), "the similar-photos strip is not empty");
    let mut alike = Vec::new();
    for e in &strip {
        alike.push(
            e.attr("data-photo-id")
                .await
                .unwrap()
                .unwrap()
                .parse::<i64>()
                .unwrap(),
        );
    }
    assert!(!alike.contains(&original) && !alike.contains(&copy));
    s.shot("similar-strip").await;
    s.click(&format!(
        "[data-testid=similar-photo][data-photo-id='{}']",
        alike[0]
    ))
    .await;
    s.find(&format!(
        "[data-testid=photo-view][data-photo-id='{}']",
        alike[0]
    ))
    .await;

    // ... and "Similar" shows every look-alike in the grid, most alike first: what the library finds
    //     for similar:ID (for the photo with the most look-alikes).
    s.click("[data-testid=photo-close]").await;
    let (alike_to, like) = reopen(catalog)
        .photos(&PhotoFilter::default())
        .unwrap()
        .iter()
        .map(|p| (p.id, found(catalog, &format!("similar:{}", p.id))))
        .max_by_key(|(id, like)| (like.len(), -id))
        .unwrap();
    assert!(!like.is_empty(), "some photo has look-alikes");
    s.open_photo(alike_to).await;
    s.click("[data-testid=show-similar]").await;
    s.until(
        "the grid to show the look-alikes",
        Duration::from_secs(20),
        || async { s.total().await == Some(like.len() as u64) && s.grid_ids().await == like },
    )
    .await;
    assert_eq!(
        s.value("[data-testid=query-input]").await,
        format!("similar:{alike_to}"),
        "the query bar"
    );
    assert_eq!(s.value("[data-testid=sort-select]").await, "similar");
    s.shot("similar-in-grid").await;

    // 15. Two faces of one photo named alike by hand (a mirror): allowed, and the app says so.
    let (group, [first, second]) = {
        let c = reopen(catalog);
        c.photos(&PhotoFilter::default())
            .unwrap()
            .iter()
            .find_map(|p| {
                let faces: Vec<i64> = c
                    .faces_of(p.id)
                    .unwrap()
                    .iter()
                    .filter(|f| !f.embedding.is_empty())
                    .map(|f| f.id)
                    .collect();
                (faces.len() >= 2).then(|| (p.id, [faces[0], faces[1]]))
            })
            .expect("a photo with two detected faces")
    };
    s.find("[data-testid=query-input]")
        .await
        .send_keys("\u{E009}a\u{E009}\u{E003}") // Ctrl+A, Backspace: the whole library again
        .await
        .unwrap();
    s.until(
        "the grid to show every photo",
        Duration::from_secs(20),
        || async { s.total().await.is_some_and(|n| n > like.len() as u64) },
    )
    .await;
    s.open_photo(group).await;
    for face in [first, second] {
        let form = format!("[data-testid=assign-face][data-face-id='{face}']");
        s.find(&format!("{form} [data-testid=assign-face-name]"))
            .await
            .send_keys("Mirror Test")
            .await
            .unwrap();
        // (A click, not Enter: once the name exists, Enter picks it from the input's list first.)
        s.click(&format!("{form} [data-testid=assign-face-submit]"))
            .await;
        s.until("the face to be named", Duration::from_secs(20), || async {
            face_person_name(catalog, face).as_deref() == Some("Mirror Test")
        })
        .await;
    }
    let toast = s
        .find("[data-testid=toast][data-kind=info]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        toast.contains("shows Mirror Test 2 times") && toast.contains("kept as you decided"),
        "the app says the photo shows the person twice: {toast}"
    );
    s.shot("shown-twice").await;
}

/// The name of a face's person, if it has a named one.
fn face_person_name(catalog: &str, face: i64) -> Option<String> {
    let c = reopen(catalog);
    let person = c.faces_of(c.face_box(face).unwrap()?.0).unwrap();
    let person = person.iter().find(|f| f.id == face)?.person_id?;
    c.person(person).unwrap()?.name
}

/// The photo the set-up copies at half size (no faces: the people steps are not touched), and the copy.
const DUPLICATED_PHOTO: &str = "skimage_rocket.jpg";
const SMALL_COPY: &str = "skimage_rocket_small.jpg";

/// The catalogue id of a file of the library.
fn catalogued_id(catalog: &str, library: &Path, name: &str) -> i64 {
    reopen(catalog)
        .photo_by_path(&library.canonicalize().unwrap().join(name))
        .unwrap()
        .unwrap_or_else(|| panic!("{name} is catalogued"))
        .id
}

/// The face drawn by hand on the photo, and its person's name.
fn drawn_face(catalog: &str, photo_id: i64) -> Option<(StoredFace, Option<String>)> {
    let c = reopen(catalog);
    let face = c
        .faces_of(photo_id)
        .unwrap()
        .into_iter()
        .find(|f| f.source == "manual")?;
    let name = face
        .person_id
        .and_then(|p| c.person(p).unwrap())
        .and_then(|p| p.name);
    Some((face, name))
}

/// The photo with a sidecar, and the sidecar: a rating, a title and keywords (flat and
/// hierarchical, Lightroom's spelling).
const SIDECAR_PHOTO: &str = "fr_obama.jpg";
const LIGHTROOM_SIDECAR: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
   xmp:Rating="4">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">State visit</rdf:li></rdf:Alt></dc:title>
   <dc:subject><rdf:Bag><rdf:li>Paris</rdf:li><rdf:li>Politics</rdf:li></rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Paris</rdf:li></rdf:Bag></lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"#;

/// Drags the mouse over the drawing layer from one point to another, each a fraction of the shown
/// image's width and height: what a user does to draw a face box.
async fn drag_over_image(s: &Session, from: (f64, f64), to: (f64, f64)) {
    let rect = s
        .client
        .execute(
            "const r = document.querySelector('[data-testid=draw-layer]').getBoundingClientRect();
             return [r.left, r.top, r.width, r.height];",
            vec![],
        )
        .await
        .expect("the drawing layer's place");
    let r: Vec<f64> = serde_json::from_value(rect).unwrap();
    let at = |(fx, fy): (f64, f64)| ((r[0] + fx * r[2]).round(), (r[1] + fy * r[3]).round());
    let (x0, y0) = at(from);
    let (x1, y1) = at(to);
    let mut mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x0,
            y: y0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for i in 1..=5 {
        let t = f64::from(i) / 5.0;
        mouse = mouse.then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(40)),
            x: (x0 + t * (x1 - x0)).round(),
            y: (y0 + t * (y1 - y0)).round(),
        });
    }
    mouse = mouse.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    s.client
        .perform_actions(mouse)
        .await
        .expect("drag the mouse");
}

/// A real image outside the library (the refusal must not be because it is not an image).
fn work_image(library: &Path) -> PathBuf {
    let outside = library.parent().unwrap().join("outside.jpg");
    std::fs::copy(library.join("fr_obama.jpg"), &outside).unwrap();
    outside
}
