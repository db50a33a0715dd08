//! Look-alike photos, from the descriptors the `descriptor` stage stores:
//!
//! - [`lookalikes`]: [`LookAlikes`], the descriptors of the grid's photos in one `argus-ann` index —
//!   "more like this" (the nearest photos) and the photos within a similarity (`similar:`);
//! - [`duplicates`]: exact copies (same content), near copies (resized, re-encoded, lightly edited)
//!   and bursts (one scene seconds apart) grouped, each group with its suggested best photo
//!   ([`best`], with the rule that chose it);
//! - [`taken`]: EXIF capture times as seconds, for bursts.
//!
//! Depends on `argus-core`, `argus-ann` and `argus-catalog`.

pub mod best;
pub mod duplicates;
pub mod lookalikes;
pub mod taken;

pub use best::KeepReason;
pub use duplicates::{
    find_duplicates, DuplicateGroup, DuplicateKind, DuplicateMember, DuplicateOptions,
};
pub use lookalikes::LookAlikes;
