//! Gazetteer places: bases, crossings, towns, sites, each optionally in an admin unit of
//! the built-in gazetteer of Iraq.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::PlaceId;
use crate::record::{Kind, RecordData, Reference, record_type, release_references};
use crate::values::{Names, Point, Source};

/// What sort of place it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Country,
    Governorate,
    District,
    SubDistrict,
    City,
    Town,
    Village,
    Base,
    BorderCrossing,
    Checkpoint,
    Site,
    Other,
}

crate::record::release_fields! {
    /// A place as a client writes it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct PlaceData {
        pub names: Names,
        pub kind: PlaceKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub point: Option<Point>,
        /// The gazetteer's administrative unit (a P-code such as `IQG08`, Erbil
        /// governorate) the place is, or lies in; the server refuses a P-code the
        /// gazetteer does not have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub admin_unit: Option<String>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored place.
    Place,
    PlaceId,
    PlaceData
);

impl RecordData for PlaceData {
    const KIND: Kind = Kind::Place;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        if let Some(p) = &self.point {
            p.check("point", problems);
        }
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        release_references(self)
    }

    fn search_texts(&self) -> Vec<&str> {
        self.names.all().collect()
    }

    fn sort_key(&self) -> String {
        crate::text::sort_key(self.names.display())
    }

    crate::record::release_accessors!();
}
