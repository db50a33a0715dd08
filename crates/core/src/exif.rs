//! The facts read from a photo's EXIF block: what the media reader produces and the catalogue stores.

use serde::{Deserialize, Serialize};

/// Metadata read from a photo's EXIF block. Every field is optional: many files carry none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExifData {
    /// Local wall-clock time the photo was taken, `YYYY-MM-DDTHH:MM:SS[.fff]`.
    pub taken_at: Option<String>,
    /// UTC offset of `taken_at` when the camera recorded one, `+02:00`.
    pub taken_offset: Option<String>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub lens: Option<String>,
    /// Focal length in mm.
    pub focal_length: Option<f64>,
    /// Focal length in mm, 35 mm equivalent.
    pub focal_length_35mm: Option<u32>,
    /// f-number.
    pub aperture: Option<f64>,
    /// Exposure time in seconds.
    pub exposure_time: Option<f64>,
    pub iso: Option<u32>,
    /// Degrees, positive north.
    pub gps_lat: Option<f64>,
    /// Degrees, positive east.
    pub gps_lon: Option<f64>,
    /// Metres above sea level.
    pub gps_alt: Option<f64>,
}
