//! A whole dataset as one JSON document: what `hawkari export` writes and `hawkari import`
//! (and the demo loader) reads. Records keep their ids and meta so a round trip is exact.
//!
//! The document is `{"format": FORMAT, "format_version": FORMAT_VERSION, "organisations":
//! [...], "topics": [...], "places": [...], "people": [...], "engagements": [...],
//! "commitments": [...]}`, each record as the API shows it; the app reads and writes it
//! a record at a time (`hawkari_app::dataset`).

/// Format marker and version of the export document.
pub const FORMAT: &str = "hawkari-dataset";
pub const FORMAT_VERSION: u32 = 1;
