//! The names Argus stores and searches by, written once: face attributes (the yes/no ones the query
//! language knows, and the measured ones), emotions, photo scores, and the age bands the facets count
//! in. A stored attribute is named by one of these constants, never by a literal elsewhere.

/// The yes/no face attributes a bare word or a threshold names in a query, in the order facets list
/// them and the search index keeps their bits.
pub const ATTRIBUTES: &[&str] = &[
    BEARD,
    MUSTACHE,
    EYEGLASSES,
    SUNGLASSES,
    HAT,
    SMILE,
    EYES_OPEN,
    MOUTH_OPEN,
    BLACK_HAIR,
    BLOND_HAIR,
    BROWN_HAIR,
    GRAY_HAIR,
    BALD,
    BANGS,
    WAVY_HAIR,
    STRAIGHT_HAIR,
    EARRINGS,
    NECKLACE,
    NECKTIE,
];

pub const BEARD: &str = "beard";
pub const MUSTACHE: &str = "mustache";
pub const EYEGLASSES: &str = "eyeglasses";
pub const SUNGLASSES: &str = "sunglasses";
pub const HAT: &str = "hat";
pub const SMILE: &str = "smile";
/// Hair colour, one probe over five classes (the four colours and bald; CelebA has no red).
pub const BLACK_HAIR: &str = "black_hair";
pub const BLOND_HAIR: &str = "blond_hair";
pub const BROWN_HAIR: &str = "brown_hair";
pub const GRAY_HAIR: &str = "gray_hair";
pub const BALD: &str = "bald";
pub const BANGS: &str = "bangs";
/// Hair texture, one probe over two classes.
pub const WAVY_HAIR: &str = "wavy_hair";
pub const STRAIGHT_HAIR: &str = "straight_hair";
pub const EARRINGS: &str = "earrings";
pub const NECKLACE: &str = "necklace";
pub const NECKTIE: &str = "necktie";

/// Other spellings a bare word may use for an attribute, each with the attribute's stored name
/// (`hair:` has its own values, [`HAIR_VALUES`]).
pub const ATTRIBUTE_SYNONYMS: &[(&str, &str)] = &[
    ("blond", BLOND_HAIR),
    ("blonde", BLOND_HAIR),
    ("grey_hair", GRAY_HAIR),
    ("wavy", WAVY_HAIR),
];

/// `hair:` values and the attribute each names.
pub const HAIR_VALUES: &[(&str, &str)] = &[
    ("black", BLACK_HAIR),
    ("blond", BLOND_HAIR),
    ("blonde", BLOND_HAIR),
    ("brown", BROWN_HAIR),
    ("gray", GRAY_HAIR),
    ("grey", GRAY_HAIR),
    ("bald", BALD),
    ("bangs", BANGS),
    ("wavy", WAVY_HAIR),
    ("straight", STRAIGHT_HAIR),
];

/// The stored attribute a bare word names, by its own name or a synonym (lower case).
pub fn attribute_named(word: &str) -> Option<&'static str> {
    ATTRIBUTES
        .iter()
        .find(|a| **a == word)
        .copied()
        .or_else(|| {
            ATTRIBUTE_SYNONYMS
                .iter()
                .find(|(w, _)| *w == word)
                .map(|(_, a)| *a)
        })
}

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
