//! Areas: ground assigned to a unit or joint mechanism for a period (areas of
//! responsibility), the coordination line between the forces, and named areas of concern
//! such as the disputed districts. Geometry is RFC 7946 GeoJSON, written by the client or
//! composed by the server from admin units.

use chrono::NaiveDate;
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{AreaId, OrganisationId};
use crate::record::{Kind, RecordData, Reference, Rel, record_type, release_references};
use crate::values::{Names, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Ground a unit or joint mechanism is responsible for.
    Responsibility,
    /// The line between the forces (a LineString).
    CoordinationLine,
    /// A named area analysed for coverage, e.g. the disputed districts.
    Concern,
}

crate::record::release_fields! {
    /// An area as a client writes it: either `geometry` or `admin_units` (P-codes whose
    /// union the server composes into the geometry).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct AreaData {
        pub kind: AreaKind,
        pub names: Names,
        /// The responsible unit or joint mechanism (areas of responsibility).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub organisation_id: Option<OrganisationId>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::time::opt_day"
        )]
        #[schema(value_type = Option<String>, format = Date)]
        pub valid_from: Option<NaiveDate>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::time::opt_day"
        )]
        #[schema(value_type = Option<String>, format = Date)]
        pub valid_to: Option<NaiveDate>,
        /// P-codes of admin units the area is made of.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub admin_units: Vec<String>,
        /// RFC 7946 geometry: Polygon or MultiPolygon, or LineString for a line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<Object>)]
        pub geometry: Option<geojson::Geometry>,
        /// True where the sources give no geometry and the shape only illustrates.
        #[serde(default)]
        pub illustrative: bool,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored area.
    Area,
    AreaId,
    AreaData
);

/// Checks every ring of a polygon geometry is closed (first = last) with four positions.
fn check_rings(rings: &[Vec<Vec<f64>>], field: &str, problems: &mut Problems) {
    for (i, ring) in rings.iter().enumerate() {
        if ring.len() < 4 {
            problems.add(
                format!("{field}[{i}]"),
                "a ring needs at least four positions",
            );
        } else if ring.first() != ring.last() {
            problems.add(
                format!("{field}[{i}]"),
                "the ring does not close: its last position must repeat its first",
            );
        }
        for (j, p) in ring.iter().enumerate() {
            if p.len() < 2 || !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]) {
                problems.add(
                    format!("{field}[{i}][{j}]"),
                    "positions are [longitude, latitude] in degrees",
                );
                break;
            }
        }
    }
}

impl AreaData {
    /// The area as polygons (None for a line or a missing geometry).
    pub fn shape(&self) -> Option<MultiPolygon<f64>> {
        let g = self.geometry.clone()?;
        match geo::Geometry::<f64>::try_from(g.value).ok()? {
            geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
            geo::Geometry::MultiPolygon(m) => Some(m),
            _ => None,
        }
    }

    /// Its line work (a coordination line's LineString or MultiLineString).
    pub fn lines(&self) -> Option<geo::MultiLineString<f64>> {
        let g = self.geometry.clone()?;
        match geo::Geometry::<f64>::try_from(g.value).ok()? {
            geo::Geometry::LineString(l) => Some(geo::MultiLineString(vec![l])),
            geo::Geometry::MultiLineString(m) => Some(m),
            _ => None,
        }
    }

    /// Whether it is in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }
}

impl RecordData for AreaData {
    const KIND: Kind = Kind::Area;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        if self.kind == AreaKind::Responsibility && self.organisation_id.is_none() {
            problems.add(
                "organisation_id",
                "an area of responsibility names the unit or mechanism responsible",
            );
        }
        if self.kind == AreaKind::CoordinationLine && !self.admin_units.is_empty() {
            problems.add(
                "admin_units",
                "a coordination line is a LineString geometry, not composed of admin units",
            );
        }
        if let (Some(f), Some(t)) = (self.valid_from, self.valid_to)
            && t < f
        {
            problems.add("valid_to", "ends before it starts");
        }
        match &self.geometry {
            None if self.admin_units.is_empty() => problems.add("geometry", "give a geometry or admin_units"),
            None => {}
            Some(g) => match (&g.value, self.kind) {
                (geojson::Value::LineString(line), AreaKind::CoordinationLine) => {
                    if line.len() < 2 {
                        problems.add("geometry.coordinates", "a line needs at least two positions");
                    }
                }
                (geojson::Value::Polygon(rings), k) if k != AreaKind::CoordinationLine => {
                    check_rings(rings, "geometry.coordinates", problems);
                }
                (geojson::Value::MultiPolygon(polys), k) if k != AreaKind::CoordinationLine => {
                    for (i, rings) in polys.iter().enumerate() {
                        check_rings(rings, &format!("geometry.coordinates[{i}]"), problems);
                    }
                }
                _ => problems.add(
                    "geometry.type",
                    "a coordination line is a LineString; other areas are a Polygon or MultiPolygon",
                ),
            },
        }
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        if let Some(o) = &self.organisation_id {
            refs.push(Reference::new(
                "organisation_id",
                Rel::Responsible,
                Kind::Organisation,
                o,
            ));
        }
        refs
    }

    fn search_texts(&self) -> Vec<&str> {
        self.names.all().collect()
    }

    fn sort_key(&self) -> String {
        crate::text::sort_key(self.names.display())
    }

    crate::record::release_accessors!();
}
