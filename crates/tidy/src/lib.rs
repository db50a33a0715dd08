//! No code: this crate's tests (`tests/tidy.rs`) check the architecture ARCHITECTURE.md describes —
//! which crate may depend on which, that the app links no CLI or dev tooling, that no module of a
//! crate uses a sibling that uses it back, and that SQL stays in the catalogue crate.
