//! Argus desktop app: a thin Tauri layer of commands and events over the `argus` library.
//!
//! The window itself arrives with the desktop-app issue. Until then this binary only proves the crate
//! wiring (it builds in the workspace against the library) and reports the catalogue it would open.

use anyhow::Context as _;

fn main() -> anyhow::Result<()> {
    let path = std::env::var_os("ARGUS_CATALOG")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(argus::paths::default_catalog_path);
    let catalog = argus::catalog::Catalog::open(&path)
        .with_context(|| format!("cannot open the catalogue {}", path.display()))?;
    let stats = catalog.stats()?;
    println!(
        "argus-app: catalogue {} ({} libraries, {} photos). The desktop window is not built yet; use the `argus` CLI.",
        path.display(),
        stats.libraries,
        stats.photos
    );
    Ok(())
}
