//! Iraq's administrative boundaries, built into the binary from `data/iraq-boundaries/`
//! (OCHA COD-AB 2019) with the extra names of `data/gazetteer-names.json`, so that lookup
//! and reverse geocoding work with no network and nothing installed.

use std::sync::LazyLock;

use hawkari_core::gazetteer::{Gazetteer, rfc7946_geometry};

/// What must be shown wherever the boundaries appear.
pub const ATTRIBUTION: &str = "Boundaries: Iraq CSO / OCHA (COD-AB 2019)";

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::from_geojson(
        [
            include_str!("../../../data/iraq-boundaries/irq_admbnda_adm1_cso_20190603.geojson"),
            include_str!("../../../data/iraq-boundaries/irq_admbnda_adm2_cso_20190603.geojson"),
            include_str!("../../../data/iraq-boundaries/irq_admbnda_adm3_cso_20190603.geojson"),
        ],
        include_str!("../../../data/gazetteer-names.json"),
    )
    .expect("the shipped boundaries parse (checked by a test)")
});

/// The gazetteer of Iraq (built on first use, about 400 units).
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

/// The union of the named admin units' shapes as RFC 7946 geometry (`None` if no P-code is
/// known; unknown ones are reported by [`unknown_units`]).
pub fn compose(pcodes: &[String]) -> Option<geojson::Geometry> {
    use geo::BooleanOps;
    let g = gazetteer();
    let shapes: Vec<_> = pcodes
        .iter()
        .filter_map(|p| g.unit(p))
        .map(|u| u.shape.clone())
        .collect();
    let first = shapes.first()?.clone();
    let union = shapes.iter().skip(1).fold(first, |acc, s| acc.union(s));
    Some(rfc7946_geometry(&union))
}

/// The P-codes that name no unit.
/// Why `p` cannot be a place in Iraq, if it cannot: no governorate contains it.
pub fn outside_iraq(p: &hawkari_core::values::Point) -> Option<String> {
    gazetteer()
        .locate(p.lon, p.lat)
        .governorate
        .is_none()
        .then(|| {
            format!(
                "({}, {}) is outside Iraq: no governorate contains it",
                p.lat, p.lon
            )
        })
}

pub fn unknown_units(pcodes: &[String]) -> Vec<(usize, String)> {
    pcodes
        .iter()
        .enumerate()
        .filter(|(_, p)| gazetteer().unit(p).is_none())
        .map(|(i, p)| (i, p.clone()))
        .collect()
}

/// How much of the boundaries' detail a layer keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The source's shapes as they are.
    Full,
    /// For drawing on a map: each ring simplified (Ramer–Douglas–Peucker) within
    /// [`DISPLAY_TOLERANCE`] degrees and coordinates rounded to 4 decimals (about 11 m),
    /// about a fifth of the bytes; the units' names, codes and parents are the same.
    Display,
}

/// How far (degrees, about 110 m) a drawn boundary may stray from the source's: under a
/// pixel up to zoom 10, where districts fill a phone's screen.
pub const DISPLAY_TOLERANCE: f64 = 0.001;

/// A shape for drawing: simplified, rounded, with rings that collapse dropped.
fn for_display(shape: &geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64> {
    use geo::{MapCoords, Simplify};
    let round = |c: geo::Coord<f64>| geo::Coord {
        x: (c.x * 1e4).round() / 1e4,
        y: (c.y * 1e4).round() / 1e4,
    };
    let ring = |r: &geo::LineString<f64>| {
        let mut r = r.simplify(DISPLAY_TOLERANCE).map_coords(round);
        r.0.dedup();
        (r.0.len() >= 4).then_some(r)
    };
    geo::MultiPolygon(
        shape
            .0
            .iter()
            .filter_map(|p| {
                let exterior = ring(p.exterior())?;
                Some(geo::Polygon::new(
                    exterior,
                    p.interiors().iter().filter_map(ring).collect(),
                ))
            })
            .collect(),
    )
}

/// The units of one level as an RFC 7946 FeatureCollection, with the attribution.
pub fn boundaries(level: u8, detail: Detail) -> geojson::FeatureCollection {
    let g = gazetteer();
    let features = g
        .units(level)
        .map(|u| {
            let mut properties = serde_json::Map::new();
            properties.insert("pcode".into(), u.pcode.clone().into());
            properties.insert("name_en".into(), u.name_en.clone().into());
            properties.insert("name_ar".into(), u.name_ar.clone().into());
            if let Some(ckb) = &u.name_ckb {
                properties.insert("name_ckb".into(), ckb.clone().into());
            }
            if let Some(p) = &u.parent {
                properties.insert("parent".into(), p.clone().into());
            }
            geojson::Feature {
                bbox: None,
                geometry: Some(match detail {
                    Detail::Full => rfc7946_geometry(&u.shape),
                    Detail::Display => rfc7946_geometry(&for_display(&u.shape)),
                }),
                id: Some(geojson::feature::Id::String(u.pcode.clone())),
                properties: Some(properties),
                foreign_members: None,
            }
        })
        .collect();
    let mut members = serde_json::Map::new();
    members.insert("attribution".into(), ATTRIBUTION.into());
    geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(lat: f64, lon: f64) -> (String, String) {
        let l = gazetteer().locate(lon, lat);
        (
            l.governorate.map(|u| u.name_en).unwrap_or_default(),
            l.district.map(|u| u.name_en).unwrap_or_default(),
        )
    }

    #[test]
    fn the_shipped_boundaries_hold_every_unit() {
        let g = gazetteer();
        assert_eq!(
            (g.units(1).count(), g.units(2).count(), g.units(3).count()),
            (18, 101, 294)
        );
    }

    #[test]
    fn sources_spellings_of_admin_units_are_found_in_three_scripts() {
        let found = |name: &str| -> Vec<String> {
            gazetteer()
                .find(name)
                .into_iter()
                .map(|u| u.pcode.clone())
                .collect()
        };
        for (name, pcode) in [
            // Governorates, as datasets of 2012–2017 spell them.
            ("Dihok", "IQG09"),
            ("Dahuk", "IQG09"),
            ("Tamim", "IQG13"),
            ("At Tamim", "IQG13"),
            ("At-Ta'mim", "IQG13"),
            ("التأميم", "IQG13"),
            ("Al-Qadisiyyah", "IQG05"),
            ("Qadisiya", "IQG05"),
            ("Kirkuk province", "IQG13"),
            ("محافظة كركوك", "IQG13"),
            ("Salahuddin", "IQG16"),
            ("Ninewa", "IQG15"),
            ("Thi-Qar", "IQG17"),
            ("Wasit", "IQG18"),
            // Districts (admin level 2 in the boundary data).
            ("Khanaqeen", "IQG10Q05"),
            ("Khanaqin", "IQG10Q05"),
            ("خانقين", "IQG10Q05"),
            ("خانەقین", "IQG10Q05"),
            ("Tuz Khurmato", "IQG16Q07"),
            ("Tuz Khurmatu", "IQG16Q07"),
            ("Tuzkhurmatu", "IQG16Q07"),
            ("طوزخورماتو", "IQG16Q07"),
            ("طوز خورماتو", "IQG16Q07"),
            ("خورماتوو", "IQG16Q07"),
        ] {
            assert!(
                found(name).contains(&pcode.to_owned()),
                "{name}: {:?}",
                found(name)
            );
        }
        for unknown in ["Atlantis", "Springfield", "Qx"] {
            assert_eq!(found(unknown), Vec::<String>::new(), "{unknown}");
        }
        // The loose key finds no other governorate for a governorate's name.
        assert_eq!(found("Kirkuk")[0], "IQG13");
        assert_eq!(found("Karbala"), ["IQG12".to_owned()]);
    }

    #[test]
    fn known_places_reverse_geocode_to_their_governorate_and_district() {
        assert_eq!(
            located(35.4681, 44.3922),
            ("Kirkuk".into(), "Kirkuk".into()),
            "Kirkuk city"
        );
        assert_eq!(
            located(36.1911, 44.0092),
            ("Erbil".into(), "Erbil".into()),
            "Erbil citadel"
        );
        assert_eq!(
            located(36.3450, 43.1450),
            ("Ninewa".into(), "Al-Mosul".into()),
            "Mosul"
        );
        assert_eq!(
            located(34.8833, 44.6333),
            ("Salah Al-Din".into(), "Tooz Khurmato".into()),
            "Tuz Khurmatu"
        );
        assert_eq!(located(33.3128, 44.3615).0, "Baghdad", "Baghdad");
        assert_eq!(
            located(35.5650, 45.4329).0,
            "Al-Sulaymaniyah",
            "Sulaymaniyah city"
        );
        assert!(
            gazetteer().locate(-0.12, 51.5).governorate.is_none(),
            "London is not in Iraq"
        );
        let sub = gazetteer()
            .locate(44.3922, 35.4681)
            .sub_district
            .expect("a sub-district");
        assert_eq!(sub.parent.as_deref(), Some("IQG13Q04"));
    }

    #[test]
    fn names_are_found_in_three_scripts_and_common_spellings() {
        let first = |q: &str| {
            gazetteer()
                .lookup(q)
                .first()
                .map(|u| u.pcode.clone())
                .unwrap_or_default()
        };
        for q in ["Erbil", "Hawler", "Arbil", "اربيل", "أربيل", "هەولێر"] {
            assert_eq!(first(q), "IQG11", "{q}");
        }
        for q in ["Nineveh", "Ninewa", "نينوى", "نەینەوا"] {
            assert_eq!(first(q), "IQG15", "{q}");
        }
        for q in ["Salahuddin", "Saladin", "Salah Al-Din", "صلاح الدين"] {
            assert_eq!(first(q), "IQG16", "{q}");
        }
        for q in ["Sulaimani", "Slemani", "سلێمانی", "Al-Sulaymaniyah"] {
            assert_eq!(first(q), "IQG06", "{q}");
        }
        for q in ["Tuz Khurmatu", "Tooz Khurmato", "خورماتوو"] {
            assert_eq!(first(q), "IQG16Q07", "{q}");
        }
        assert_eq!(first("Anbar"), "IQG01");
        assert!(gazetteer().lookup("Atlantis").is_empty());
    }

    #[test]
    fn boundary_layers_are_valid_rfc7946_with_attribution() {
        assert_eq!(boundaries(1, Detail::Full).features.len(), 18);
        for level in 1..=3 {
            for detail in [Detail::Full, Detail::Display] {
                valid_layer(&boundaries(level, detail));
            }
        }
    }

    /// The display layers keep every unit, with its area within 2 % of the source's, in
    /// much fewer bytes.
    #[test]
    fn display_layers_keep_every_unit_in_fewer_bytes() {
        use geo::{Area, Length};
        for level in 1..=3 {
            let (full, shown) = (
                boundaries(level, Detail::Full),
                boundaries(level, Detail::Display),
            );
            assert_eq!(full.features.len(), shown.features.len());
            for (a, b) in full.features.iter().zip(&shown.features) {
                assert_eq!(a.id, b.id);
                assert_eq!(a.properties, b.properties);
                let shape = |f: &geojson::Feature| -> geo::MultiPolygon<f64> {
                    f.geometry.clone().unwrap().value.try_into().unwrap()
                };
                let (x, y) = (shape(a).unsigned_area(), shape(b).unsigned_area());
                assert!(y > 0.0, "{:?} keeps a shape", b.id);
                // Every point of the drawn boundary lies within the tolerance of the
                // source's (plus the rounding), so the areas differ by at most the
                // boundary's length times that.
                let perimeter: f64 = shape(a)
                    .0
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(|r| geo::Euclidean.length(r))
                    .sum();
                let bound = perimeter * (DISPLAY_TOLERANCE + 1e-4);
                assert!((x - y).abs() <= bound, "{:?}: {x} against {y}", b.id);
            }
            let bytes = |fc: &geojson::FeatureCollection| serde_json::to_vec(fc).unwrap().len();
            assert!(
                bytes(&shown) * 2 < bytes(&full),
                "level {level}: {} bytes against {}",
                bytes(&shown),
                bytes(&full)
            );
        }
    }

    fn valid_layer(fc: &geojson::FeatureCollection) {
        let json = serde_json::to_value(fc).unwrap();
        assert_eq!(json["attribution"], ATTRIBUTION);
        for f in &fc.features {
            let Some(geojson::Geometry {
                value: geojson::Value::MultiPolygon(polys),
                ..
            }) = &f.geometry
            else {
                panic!()
            };
            for poly in polys {
                for (i, ring) in poly.iter().enumerate() {
                    assert_eq!(ring.first(), ring.last(), "closed ring");
                    assert!(
                        ring.iter()
                            .all(|p| (38.0..49.0).contains(&p[0]) && (29.0..38.0).contains(&p[1])),
                        "lon, lat order"
                    );
                    let area2: f64 = ring
                        .windows(2)
                        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
                        .sum();
                    assert_eq!(
                        area2 > 0.0,
                        i == 0,
                        "exterior counterclockwise, holes clockwise"
                    );
                }
            }
        }
    }
}
