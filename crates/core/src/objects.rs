//! The objects Argus finds with boxes: the 80 COCO classes the detector knows, in its index order and
//! spelled as people search for them (`cell phone`, `handbag`), and the groups a search term may name
//! instead of one class (`bag` is a handbag, a backpack or a suitcase). Written once: the analysis
//! stores these names, the search and the SQL reference match terms with [`object_matches`].

/// The COCO-80 classes, in the detector's output order.
#[rustfmt::skip]
pub const COCO_CLASSES: [&str; 80] = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
    "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
    "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
    "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
    "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
    "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
    "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
    "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush",
];

/// The score from which an object is shown and found: the detector's boxes below it are kept in the
/// catalogue (so the threshold can change without analysing again) but count for nothing.
pub const OBJECT_MIN_SCORE: f32 = 0.35;

/// The class of a whole person (a body): stored with the objects, counted by `persons:`.
pub const PERSON: &str = "person";

/// Names for several classes at once: `object:bag` finds any of them. A group is never stored.
pub const OBJECT_GROUPS: &[(&str, &[&str])] = &[
    ("bag", &["handbag", "backpack", "suitcase"]),
    ("phone", &["cell phone"]),
    (
        "vehicle",
        &[
            "bicycle",
            "car",
            "motorcycle",
            "airplane",
            "bus",
            "train",
            "truck",
            "boat",
        ],
    ),
    (
        "animal",
        &[
            "bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe",
        ],
    ),
];

/// The classes a search term names: the class itself, or a group's members (case-insensitive).
/// Empty for a word that is neither.
pub fn object_classes(term: &str) -> Vec<&'static str> {
    let term = term.trim();
    if let Some((_, members)) = OBJECT_GROUPS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(term))
    {
        return members.to_vec();
    }
    COCO_CLASSES
        .iter()
        .copied()
        .filter(|c| c.eq_ignore_ascii_case(term))
        .collect()
}

/// The vocabulary's own spelling of a class or group name (any case), e.g. for a focus setting.
pub fn object_name(term: &str) -> Option<&'static str> {
    let term = term.trim();
    OBJECT_GROUPS
        .iter()
        .map(|(name, _)| *name)
        .chain(COCO_CLASSES)
        .find(|name| name.eq_ignore_ascii_case(term))
}

/// Whether a stored class is what a search term names (the SQL reference registers this as a
/// function; the index looks classes up with [`object_classes`]).
pub fn object_matches(term: &str, class: &str) -> bool {
    object_classes(term)
        .iter()
        .any(|c| c.eq_ignore_ascii_case(class))
}

/// Whether a word names an object class or group.
pub fn is_object_name(term: &str) -> bool {
    !object_classes(term).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_groups_name_what_they_should() {
        assert_eq!(COCO_CLASSES[0], PERSON);
        assert_eq!(COCO_CLASSES[26], "handbag");
        assert_eq!(COCO_CLASSES[67], "cell phone");
        assert_eq!(object_classes("Bag"), ["handbag", "backpack", "suitcase"]);
        assert_eq!(object_classes("cell phone"), ["cell phone"]);
        assert_eq!(object_classes("phone"), ["cell phone"]);
        assert!(object_classes("unicorn").is_empty());
        assert!(object_matches("bag", "backpack"));
        assert!(object_matches("DOG", "dog"));
        assert!(!object_matches("bag", "tie"));
        assert_eq!(object_name("Cell Phone"), Some("cell phone"));
        assert_eq!(object_name(" BAG"), Some("bag"));
        assert_eq!(object_name("unicorn"), None);
    }

    #[test]
    fn every_group_member_is_a_class_and_no_group_shadows_a_class() {
        for (group, members) in OBJECT_GROUPS {
            assert!(!COCO_CLASSES.contains(group), "{group} is a class");
            for m in *members {
                assert!(COCO_CLASSES.contains(m), "{m} of {group}");
            }
        }
    }
}
