//! The names Argus stores and searches by, written once: face attributes (the yes/no ones the query
//! language knows, and the measured ones), emotions, photo scores, and the age bands the facets count
//! in. A stored attribute is named by one of these constants, never by a literal elsewhere.

/// The yes/no face attributes a bare word or a threshold names in a query, in the order facets list
/// them and the search index keeps their bits.
pub const ATTRIBUTES: &[&str] = &[
    BEARD, MUSTACHE, EYEGLASSES, SUNGLASSES, HAT, SMILE, EYES_OPEN, MOUTH_OPEN,
];

pub const BEARD: &str = "beard";
pub const MUSTACHE: &str = "mustache";
pub const EYEGLASSES: &str = "eyeglasses";
pub const SUNGLASSES: &str = "sunglasses";
pub const HAT: &str = "hat";
pub const SMILE: &str = "smile";
/// Eyes open (the iris model's lid gap), a probability.
pub const EYES_OPEN: &str = "eyes_open";
/// Mouth open (the face mesh's lip gap), a probability.
pub const MOUTH_OPEN: &str = "mouth_open";
/// P(male) from faceres; `show` reads it as the gender.
pub const MALE: &str = "male";
/// Age in years (faceres).
pub const AGE: &str = "age";
/// How sharp the aligned face is (variance of the Laplacian of its grey levels); the embedding
/// stage stores it.
pub const SHARPNESS: &str = "sharpness";
/// The photo's unsafe-content score (open-nsfw), a photo attribute.
pub const UNSAFE: &str = "unsafe";

/// The emotions Argus names, in the order it stores and lists them.
pub const EMOTIONS: [&str; 7] = [
    "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral",
];

/// Emotion attributes are stored as `emotion.<name>`.
pub const EMOTION_PREFIX: &str = "emotion.";

/// The stored attribute name of an emotion: `emotion.happy`.
pub fn emotion_attribute(emotion: &str) -> String {
    format!("{EMOTION_PREFIX}{emotion}")
}

/// The emotion an attribute name stores, if it is one (`emotion.happy` → `happy`).
pub fn emotion_of(attribute: &str) -> Option<&str> {
    attribute.strip_prefix(EMOTION_PREFIX)
}

/// Age bands the facets count in (lower bound inclusive, upper exclusive).
pub const AGE_BANDS: &[(u32, Option<u32>)] = &[
    (0, Some(13)),
    (13, Some(20)),
    (20, Some(30)),
    (30, Some(40)),
    (40, Some(50)),
    (50, Some(60)),
    (60, None),
];
