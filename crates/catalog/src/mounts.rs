//! Where each library is on this machine. A team catalogue is shared by machines that mount the
//! same share at different places (`/Volumes/Photos` on one, `/mnt/nas/photos` on another): the
//! catalogue stores every path as the machine that added the library saw it (the library's
//! *catalogue root*), and a machine that sees the library elsewhere records its own root in
//! `library_mounts` (`argus library mount ID FOLDER`). [`Mounts`] translates: paths read from the
//! catalogue come out as this machine's paths, paths written go in as catalogue paths — so the rest
//! of Argus only ever sees local paths, and content hashes keep a photo's identity on every machine.
//!
//! A machine is named by `ARGUS_MACHINE`, else its host name ([`this_machine`]).

use std::path::{Component, Path, PathBuf};

/// One library's root in the catalogue and on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    pub library_id: i64,
    /// The root as the catalogue stores it (maybe another operating system's path).
    pub stored: String,
    /// The same folder here.
    pub local: PathBuf,
}

/// This machine's mounts of the catalogue's libraries (only those mounted elsewhere than their
/// catalogue root).
#[derive(Debug, Clone, Default)]
pub(crate) struct Mounts {
    mounts: Vec<Mount>,
}

impl Mounts {
    pub fn new(mounts: Vec<Mount>) -> Mounts {
        Mounts { mounts }
    }

    /// A path read from the catalogue, as this machine sees it.
    pub fn local(&self, stored: &str) -> PathBuf {
        for mount in &self.mounts {
            if let Some(rest) = below(stored, &mount.stored) {
                let mut path = mount.local.clone();
                path.extend(rest.split(['/', '\\']).filter(|part| !part.is_empty()));
                return path;
            }
        }
        PathBuf::from(stored)
    }

    /// A path read from the catalogue, as this machine sees it (for columns read as text).
    pub fn local_text(&self, stored: String) -> String {
        if self.mounts.is_empty() {
            return stored;
        }
        self.local(&stored).to_string_lossy().into_owned()
    }

    /// A path on this machine, as the catalogue stores it.
    pub fn stored(&self, local: &Path) -> String {
        for mount in &self.mounts {
            if let Ok(rest) = local.strip_prefix(&mount.local) {
                let separator = separator_of(&mount.stored);
                let mut stored = mount.stored.trim_end_matches(['/', '\\']).to_string();
                for part in rest.components() {
                    if let Component::Normal(part) = part {
                        stored.push(separator);
                        stored.push_str(&part.to_string_lossy());
                    }
                }
                return stored;
            }
        }
        local.to_string_lossy().into_owned()
    }
}

/// What follows `root` in `path` when `path` is `root` or below it ("" for the root itself).
fn below<'p>(path: &'p str, root: &str) -> Option<&'p str> {
    let root = root.trim_end_matches(['/', '\\']);
    let rest = path.strip_prefix(root)?;
    if rest.is_empty() || rest.starts_with(['/', '\\']) {
        Some(rest)
    } else {
        None
    }
}

/// The separator of a stored root's operating system: `\` for a Windows path (`C:\…`, `\\server\…`).
fn separator_of(root: &str) -> char {
    let windows = root.as_bytes().get(1) == Some(&b':') || root.starts_with("\\\\");
    if windows && !root.contains('/') {
        '\\'
    } else {
        '/'
    }
}

/// This machine's name among the machines sharing a catalogue: `ARGUS_MACHINE`, else the host name.
pub fn this_machine() -> String {
    if let Some(name) = std::env::var("ARGUS_MACHINE")
        .ok()
        .filter(|n| !n.trim().is_empty())
    {
        return name.trim().to_string();
    }
    let from_file = std::fs::read_to_string("/etc/hostname").ok();
    let from_env = || {
        std::env::var("HOSTNAME")
            .or_else(|_| std::env::var("COMPUTERNAME"))
            .ok()
    };
    from_file
        .or_else(from_env)
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this-machine".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mounts() -> Mounts {
        Mounts::new(vec![
            Mount {
                library_id: 1,
                stored: "/Volumes/Photos".into(),
                local: "/mnt/nas/photos".into(),
            },
            Mount {
                library_id: 2,
                stored: "C:\\Users\\ana\\Pictures".into(),
                local: "/mnt/ana".into(),
            },
        ])
    }

    #[test]
    fn paths_below_a_mounted_root_are_translated_both_ways() {
        let m = mounts();
        let local = m.local("/Volumes/Photos/2024/a.jpg");
        assert_eq!(local, Path::new("/mnt/nas/photos/2024/a.jpg"));
        assert_eq!(m.stored(&local), "/Volumes/Photos/2024/a.jpg");
        assert_eq!(m.local("/Volumes/Photos"), Path::new("/mnt/nas/photos"));
        assert_eq!(m.stored(Path::new("/mnt/nas/photos")), "/Volumes/Photos");
    }

    #[test]
    fn a_windows_root_keeps_its_separator() {
        let m = mounts();
        let local = m.local("C:\\Users\\ana\\Pictures\\trip\\b.jpg");
        assert_eq!(local, Path::new("/mnt/ana/trip/b.jpg"));
        assert_eq!(m.stored(&local), "C:\\Users\\ana\\Pictures\\trip\\b.jpg");
    }

    #[test]
    fn other_paths_and_look_alike_prefixes_are_left_alone() {
        let m = mounts();
        assert_eq!(
            m.local("/Volumes/Photos2/a.jpg"),
            Path::new("/Volumes/Photos2/a.jpg")
        );
        assert_eq!(
            m.stored(Path::new("/mnt/nas/photos2/a.jpg")),
            "/mnt/nas/photos2/a.jpg"
        );
        assert_eq!(m.local("/elsewhere/a.jpg"), Path::new("/elsewhere/a.jpg"));
    }
}
