//! Photo format names as the media reader reports them and the catalogue stores them, and which of
//! them are camera RAW (the formats that pair with a JPEG or HEIC of the same name into one shot).

/// Format names of camera RAW files (what `argus_media` reports for them).
pub const RAW_FORMATS: &[&str] = &[
    "dng", "cr2", "cr3", "crw", "nef", "nrw", "arw", "raf", "rw2", "orf", "pef", "srw", "iiq",
    "mrw", "x3f", "erf", "kdc", "mef", "mos", "3fr", "ari", "qtk", "raw",
];

/// Whether `format` is a camera RAW format.
pub fn is_raw(format: &str) -> bool {
    RAW_FORMATS.contains(&format)
}

/// Which file of a shot is its primary by default, lowest first: the camera's JPEG, then HEIF, then any
/// other developed image, then the RAW.
pub fn shot_primary_rank(format: &str) -> u8 {
    match format {
        "jpeg" => 0,
        "heic" | "avif" => 1,
        f if is_raw(f) => 3,
        _ => 2,
    }
}
