//! The gazetteer of Iraq's administrative units: governorates (level 1), districts
//! (level 2) and sub-districts (level 3), with their names in English, Arabic and Sorani
//! and other spellings; lookup by name in any script; and reverse geocoding — which units
//! a point lies in — through an R-tree of the units' bounding boxes.
//!
//! Named places (towns, airports, air bases) are [`Places`]: the gazetteer holds them
//! beside the units, and [`Gazetteer::locate_near`] adds the nearest one to a point's units.
//!
//! Pure: it is built from GeoJSON and JSON text; the app decides where the text comes from.

mod places;
pub use places::{NEAR_KM, NamedPlace, NamedPlaceKind, NearestPlace, Places, distance_km};

use std::collections::HashMap;

use geo::{BoundingRect, Centroid, Contains, InteriorPoint, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::{Deserialize, Serialize};

/// One administrative unit.
#[derive(Debug, Clone)]
pub struct AdminUnit {
    pub pcode: String,
    pub level: u8,
    pub name_en: String,
    pub name_ar: String,
    pub name_ckb: Option<String>,
    pub aliases: Vec<String>,
    /// The P-code of the unit it lies in (none for governorates).
    pub parent: Option<String>,
    pub shape: MultiPolygon<f64>,
}

/// A unit as lookups return it: names and place in the hierarchy, without the shape.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitRef {
    pub pcode: String,
    /// 1 governorate, 2 district, 3 sub-district.
    pub level: u8,
    pub name_en: String,
    pub name_ar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_ckb: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// A point to stand for the unit (a form takes it for an incident placed "somewhere
    /// in" the unit): its centroid, or where that falls outside the unit (a crescent-shaped
    /// district), a point inside it, so that the point is located in the unit again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centroid: Option<crate::values::Point>,
}

/// Where a point is: its sub-district, district and governorate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, utoipa::ToSchema)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub governorate: Option<UnitRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<UnitRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_district: Option<UnitRef>,
    /// The named place (town, airport, air base) nearest the point, within
    /// [`NEAR_KM`]; only [`Gazetteer::locate_near`] fills it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_place: Option<NearestPlace>,
}

/// Extra names the dataset lacks, keyed by P-code (`data/gazetteer-names.json`).
#[derive(Debug, Default, Deserialize)]
struct ExtraNames {
    /// The English name readers use, where the source's is another (`Zaxo` → `Zakho`);
    /// named places only (the source's is kept as an alias).
    #[serde(default)]
    en: Option<String>,
    #[serde(default)]
    ckb: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// The gazetteer: units, a name index and a spatial index.
#[derive(Debug)]
pub struct Gazetteer {
    units: Vec<AdminUnit>,
    by_pcode: HashMap<String, usize>,
    /// Folded name → units with that name (or alias).
    by_name: HashMap<String, Vec<usize>>,
    /// [`loose_key`] of every name → units: the spellings a source writes
    /// (`Dihok`, `Khanaqeen`, `طوزخورماتو`) found when the folded name is not.
    by_loose: HashMap<String, Vec<usize>>,
    /// Each unit's [`UnitRef::centroid`], by index.
    centres: Vec<Option<crate::values::Point>>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    places: Places,
}

/// The key a name is indexed and looked up by: folded tokens, without an Arabic or
/// Latin definite article ("Al-Anbar" = "Anbar" = "الأنبار" = "انبار").
pub fn name_key(name: &str) -> String {
    let mut tokens = crate::text::query_tokens(name);
    // The article as written before sun letters too (`At Tamim`, `Ar Ramadi`).
    if tokens.len() > 1
        && matches!(
            tokens[0].as_str(),
            "al" | "el" | "as" | "an" | "ad" | "ash" | "at" | "ar" | "az" | "ath" | "adh"
        )
    {
        tokens.remove(0);
    }
    tokens.join(" ")
}

/// A looser key for the spellings transliteration gives one name: the folded name without
/// spaces (`طوزخورماتو` = `طوز خورماتو`, `Tuzkhurmatu` = `Tuz Khurmatu`) and, in Latin
/// letters, without vowels, doubled letters or a last `h` (`Dihok` = `Duhok`, `Khanaqeen`
/// = `Khanaqin`, `Al-Qadisiyyah` = `Al-Qadissiya`, `Tuz Khurmato` = `Tooz Khurmato`).
/// `None` when too little is left to tell names apart (fewer than 3 letters).
pub fn loose_key(name: &str) -> Option<String> {
    let key = name_key(name);
    let mut out = String::new();
    for token in key.split(' ') {
        if !token.is_ascii() {
            out.push_str(token);
            continue;
        }
        let mut t = String::new();
        for c in token.chars() {
            if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') || t.ends_with(c) {
                continue;
            }
            t.push(c);
        }
        if t.len() > 1 && t.ends_with('h') {
            t.pop();
        }
        out.push_str(&t);
    }
    (out.chars().count() >= 3).then_some(out)
}

/// A name without a word for its level (`Kirkuk province`, `محافظة كركوك`, `Khanaqin
/// district`), as sources write admin units; `None` if it has none.
fn without_level_word(name: &str) -> Option<String> {
    const WORDS: [&str; 12] = [
        "governorate",
        "province",
        "district",
        "sub-district",
        "subdistrict",
        "muhafazat",
        "qada",
        "nahiya",
        "محافظة",
        "قضاء",
        "ناحية",
        "پارێزگای",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let kept: Vec<&str> = words
        .iter()
        .filter(|w| !WORDS.contains(&w.to_lowercase().as_str()))
        .copied()
        .collect();
    (kept.len() < words.len() && !kept.is_empty()).then(|| kept.join(" "))
}

impl Gazetteer {
    /// Builds the gazetteer from the COD-AB GeoJSON of each level (1, 2, 3) and the JSON
    /// of extra names. Errors name the level and feature at fault.
    pub fn from_geojson(levels: [&str; 3], extra_names: &str) -> Result<Self, String> {
        let extra: HashMap<String, serde_json::Value> =
            serde_json::from_str(extra_names).map_err(|e| format!("extra names: {e}"))?;
        let mut units = Vec::new();
        for (i, text) in levels.iter().enumerate() {
            let level = i as u8 + 1;
            let geojson: geojson::GeoJson =
                text.parse().map_err(|e| format!("level {level}: {e}"))?;
            let geojson::GeoJson::FeatureCollection(fc) = geojson else {
                return Err(format!("level {level}: not a FeatureCollection"));
            };
            for (n, feature) in fc.features.into_iter().enumerate() {
                let at = format!("level {level} feature {n}");
                let prop = |key: &str| -> Result<String, String> {
                    feature
                        .property(key)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                        .ok_or_else(|| format!("{at}: no `{key}`"))
                };
                let pcode = prop(&format!("ADM{level}_PCODE"))?;
                let geometry = feature
                    .geometry
                    .clone()
                    .ok_or_else(|| format!("{at}: no geometry"))?;
                let shape = match geo::Geometry::<f64>::try_from(geometry.value)
                    .map_err(|e| format!("{at}: {e}"))?
                {
                    geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                    geo::Geometry::MultiPolygon(m) => m,
                    _ => return Err(format!("{at}: not a polygon")),
                };
                let names: ExtraNames = extra
                    .get(&pcode)
                    .map(|v| serde_json::from_value(v.clone()))
                    .transpose()
                    .map_err(|e| format!("extra names for {pcode}: {e}"))?
                    .unwrap_or_default();
                units.push(AdminUnit {
                    level,
                    name_en: prop(&format!("ADM{level}_EN"))?,
                    name_ar: prop(&format!("ADM{level}_AR"))?,
                    name_ckb: names.ckb,
                    aliases: names.aliases,
                    parent: (level > 1)
                        .then(|| prop(&format!("ADM{}_PCODE", level - 1)))
                        .transpose()?,
                    pcode,
                    shape,
                });
            }
        }
        Ok(Self::new(units))
    }

    /// Indexes units by P-code, by every name and alias, and by bounding box.
    pub fn new(units: Vec<AdminUnit>) -> Self {
        let mut by_pcode = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_loose: HashMap<String, Vec<usize>> = HashMap::new();
        let mut boxes = Vec::new();
        let mut centres = Vec::new();
        for (i, u) in units.iter().enumerate() {
            centres.push(
                u.shape
                    .centroid()
                    .filter(|c| u.shape.contains(c))
                    .or_else(|| u.shape.interior_point())
                    .map(|c| crate::values::Point {
                        lat: c.y(),
                        lon: c.x(),
                    }),
            );
            by_pcode.insert(u.pcode.clone(), i);
            let names = [Some(&u.name_en), Some(&u.name_ar), u.name_ckb.as_ref()]
                .into_iter()
                .flatten()
                .chain(&u.aliases);
            for name in names {
                let key = name_key(name);
                if !key.is_empty() {
                    let list = by_name.entry(key).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
                if let Some(loose) = loose_key(name) {
                    let list = by_loose.entry(loose).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
            if let Some(rect) = u.shape.bounding_rect() {
                let (min, max) = (rect.min(), rect.max());
                boxes.push(GeomWithData::new(
                    Rectangle::from_corners([min.x, min.y], [max.x, max.y]),
                    i,
                ));
            }
        }
        Self {
            units,
            by_pcode,
            by_name,
            by_loose,
            centres,
            tree: RTree::bulk_load(boxes),
            places: Places::default(),
        }
    }

    /// The gazetteer with these named places beside its units.
    pub fn with_places(mut self, places: Places) -> Self {
        self.places = places;
        self
    }

    /// The named places (towns, airports, air bases).
    pub fn places(&self) -> &Places {
        &self.places
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    pub fn unit(&self, pcode: &str) -> Option<&AdminUnit> {
        self.by_pcode.get(pcode).map(|i| &self.units[*i])
    }

    pub fn units(&self, level: u8) -> impl Iterator<Item = &AdminUnit> {
        self.units.iter().filter(move |u| u.level == level)
    }

    pub fn unit_ref(&self, u: &AdminUnit) -> UnitRef {
        UnitRef {
            pcode: u.pcode.clone(),
            level: u.level,
            name_en: u.name_en.clone(),
            name_ar: u.name_ar.clone(),
            name_ckb: u.name_ckb.clone(),
            aliases: u.aliases.clone(),
            parent: u.parent.clone(),
            centroid: self.by_pcode.get(&u.pcode).and_then(|i| self.centres[*i]),
        }
    }

    /// The units a name, as a source writes it, names: those whose name or alias in any
    /// script folds to the same key; else to the same [`loose_key`]; else the same again
    /// without a word for the level (`Kirkuk province`). No prefix matches: an import
    /// asks whether a spelling is known, not what it could be the start of.
    pub fn find(&self, name: &str) -> Vec<&AdminUnit> {
        let mut hits = self.matches(name);
        if hits.is_empty()
            && let Some(bare) = without_level_word(name)
        {
            hits = self.matches(&bare);
        }
        hits.sort_by_key(|i| (self.units[*i].level, self.units[*i].pcode.clone()));
        hits.into_iter().map(|i| &self.units[i]).collect()
    }

    /// Units whose name folds to `name`'s key, else to its loose key.
    fn matches(&self, name: &str) -> Vec<usize> {
        let key = name_key(name);
        if key.is_empty() {
            return vec![];
        }
        if let Some(hits) = self.by_name.get(&key) {
            return hits.clone();
        }
        loose_key(name)
            .and_then(|k| self.by_loose.get(&k))
            .cloned()
            .unwrap_or_default()
    }

    /// Units whose name or alias, in any script, is `query` (as [`Gazetteer::find`] finds
    /// it); if none, those whose name starts with it. Governorates first, then districts,
    /// then sub-districts.
    pub fn lookup(&self, query: &str) -> Vec<UnitRef> {
        let key = name_key(query);
        if key.is_empty() {
            return vec![];
        }
        let mut hits: Vec<usize> = self
            .find(query)
            .into_iter()
            .filter_map(|u| self.by_pcode.get(&u.pcode).copied())
            .collect();
        if hits.is_empty() {
            for (name, units) in &self.by_name {
                if name.starts_with(&key) {
                    hits.extend(
                        units
                            .iter()
                            .filter(|u| !hits.contains(u))
                            .copied()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        hits.sort_by_key(|i| (self.units[*i].level, self.units[*i].pcode.clone()));
        hits.dedup();
        hits.into_iter()
            .map(|i| self.unit_ref(&self.units[i]))
            .collect()
    }

    /// The units a point (longitude, latitude) lies in, one per level.
    pub fn locate(&self, lon: f64, lat: f64) -> Location {
        let point = Point::new(lon, lat);
        let mut location = Location::default();
        for hit in self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
        {
            let u = &self.units[hit.data];
            if !u.shape.contains(&point) {
                continue;
            }
            let slot = match u.level {
                1 => &mut location.governorate,
                2 => &mut location.district,
                _ => &mut location.sub_district,
            };
            if slot.is_none() {
                *slot = Some(self.unit_ref(u));
            }
        }
        location
    }

    /// As [`Gazetteer::locate`], with the nearest named place within [`NEAR_KM`].
    pub fn locate_near(&self, lon: f64, lat: f64) -> Location {
        Location {
            nearest_place: self.places.nearest(lon, lat, NEAR_KM),
            ..self.locate(lon, lat)
        }
    }
}

/// The shape of a unit as RFC 7946 GeoJSON: longitude first, closed rings, exterior rings
/// counterclockwise and holes clockwise (the right-hand rule).
pub fn rfc7946_geometry(shape: &MultiPolygon<f64>) -> geojson::Geometry {
    use geo::orient::{Direction, Orient};
    let oriented = shape.orient(Direction::Default);
    geojson::Geometry::new(geojson::Value::from(&oriented))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square(
        pcode: &str,
        level: u8,
        parent: Option<&str>,
        (x0, y0, x1, y1): (f64, f64, f64, f64),
        en: &str,
        ar: &str,
    ) -> AdminUnit {
        let ring = LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]);
        AdminUnit {
            pcode: pcode.into(),
            level,
            name_en: en.into(),
            name_ar: ar.into(),
            name_ckb: None,
            aliases: vec![],
            parent: parent.map(str::to_owned),
            shape: MultiPolygon(vec![Polygon::new(ring, vec![])]),
        }
    }

    #[test]
    fn a_point_is_located_in_each_level_and_outside_is_nowhere() {
        let g = Gazetteer::new(vec![
            square("G1", 1, None, (0.0, 0.0, 10.0, 10.0), "North", "الشمال"),
            square(
                "G1D1",
                2,
                Some("G1"),
                (0.0, 0.0, 5.0, 10.0),
                "West",
                "الغرب",
            ),
            square(
                "G1D2",
                2,
                Some("G1"),
                (5.0, 0.0, 10.0, 10.0),
                "East",
                "الشرق",
            ),
        ]);
        let l = g.locate(7.0, 3.0);
        assert_eq!(l.governorate.unwrap().pcode, "G1");
        assert_eq!(l.district.unwrap().pcode, "G1D2");
        assert_eq!(g.locate(20.0, 3.0), Location::default());
    }

    #[test]
    fn articles_and_letter_variants_do_not_matter_in_lookup() {
        assert_eq!(name_key("Al-Anbar"), name_key("Anbar"));
        assert_eq!(name_key("الأنبار"), name_key("انبار"));
        assert_eq!(name_key("Salah Al-Din"), "salah al din");
    }

    #[test]
    fn transliterations_of_one_name_share_a_loose_key() {
        for (a, b) in [
            ("Dihok", "Duhok"),
            ("Khanaqeen", "Khanaqin"),
            ("Al-Qadisiyyah", "Al-Qadissiya"),
            ("Tuz Khurmato", "Tooz Khurmato"),
            ("Tuzkhurmatu", "Tooz Khurmato"),
            ("طوزخورماتو", "طوز خورماتو"),
        ] {
            assert_eq!(loose_key(a), loose_key(b), "{a} / {b}");
        }
        assert_ne!(loose_key("Kirkuk"), loose_key("Karbala"));
        assert_eq!(loose_key("Hit"), None, "too short to tell apart");
        assert_eq!(
            without_level_word("Kirkuk province").as_deref(),
            Some("Kirkuk")
        );
        assert_eq!(without_level_word("محافظة كركوك").as_deref(), Some("كركوك"));
        assert_eq!(without_level_word("Kirkuk"), None);
    }

    #[test]
    fn geometry_follows_the_right_hand_rule() {
        // A clockwise exterior ring is turned counterclockwise.
        let cw = LineString::from(vec![
            (0.0, 0.0),
            (0.0, 1.0),
            (1.0, 1.0),
            (1.0, 0.0),
            (0.0, 0.0),
        ]);
        let g = rfc7946_geometry(&MultiPolygon(vec![Polygon::new(cw, vec![])]));
        let geojson::Value::MultiPolygon(polys) = g.value else {
            panic!()
        };
        let ring = &polys[0][0];
        assert_eq!(ring.first(), ring.last(), "closed");
        let area2: f64 = ring
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        assert!(area2 > 0.0, "counterclockwise");
    }
}
