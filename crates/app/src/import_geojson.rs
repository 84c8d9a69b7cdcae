//! GeoJSON FeatureCollections of points as incidents (such as Hawkari's own GeoJSON
//! export), parsed a feature at a time on a thread of their own so that memory stays
//! bounded however large the file.

use std::io::Read;

use hawkari_core::incident::IncidentData;
use hawkari_core::values::Point;

use crate::incident_import::{ImportRelease, Parsed, ParsedRow, import_id, source_key};

/// The features of a GeoJSON FeatureCollection as incidents, numbered from 1. The file is
/// parsed on its own thread, a feature at a time, into a short queue: memory stays
/// bounded however large the file. A syntax error ends the features (the parser cannot
/// find the next one) and comes out as a rejection naming its line and column.
pub(crate) fn geojson_rows(
    reader: impl Read + Send + 'static,
    release: &ImportRelease,
) -> impl Iterator<Item = (u64, Parsed)> + Send + '_ {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<serde_json::Value, String>>(256);
    std::thread::spawn(move || {
        let mut de = serde_json::Deserializer::from_reader(reader);
        let mut seen = false;
        let result = serde::de::DeserializeSeed::deserialize(
            geojson_stream::Collection {
                tx: &tx,
                seen: &mut seen,
            },
            &mut de,
        )
        .and_then(|()| de.end());
        // When the importer has stopped reading, this send fails and nothing is lost.
        let problem = match result {
            Err(e) => Some(format!("not a GeoJSON FeatureCollection: {e}")),
            Ok(()) if !seen => Some("not a GeoJSON FeatureCollection: no `features`".into()),
            Ok(()) => None,
        };
        if let Some(p) = problem {
            let _ = tx.send(Err(p));
        }
    });
    let mut n = 0u64;
    rx.into_iter().map(move |item| {
        n += 1;
        (
            n,
            match item {
                Ok(feature) => geojson_feature(feature, release),
                Err(reason) => Err((String::new(), reason)),
            },
        )
    })
}

/// Streaming the `features` of a FeatureCollection into a channel, one at a time.
mod geojson_stream {
    use std::fmt;
    use std::sync::mpsc::SyncSender;

    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    pub struct Collection<'a> {
        pub tx: &'a SyncSender<Result<serde_json::Value, String>>,
        pub seen: &'a mut bool,
    }

    impl<'de> DeserializeSeed<'de> for Collection<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Collection<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a GeoJSON FeatureCollection")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "type" => {
                        let t: String = map.next_value()?;
                        if t != "FeatureCollection" {
                            return Err(de::Error::custom(format!(
                                "`type` is `{t}`, not `FeatureCollection`"
                            )));
                        }
                    }
                    "features" => {
                        *self.seen = true;
                        map.next_value_seed(Features { tx: self.tx })?;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }

    struct Features<'a> {
        tx: &'a SyncSender<Result<serde_json::Value, String>>,
    }

    impl<'de> DeserializeSeed<'de> for Features<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Features<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of features")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(feature) = seq.next_element::<serde_json::Value>()? {
                if self.tx.send(Ok(feature)).is_err() {
                    // The importer has stopped listening: end the parse.
                    return Err(de::Error::custom("import stopped"));
                }
            }
            Ok(())
        }
    }
}

/// One property of a GeoJSON feature, read as `T`; absent or null is `None`.
fn property<T: serde::de::DeserializeOwned>(
    props: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<T>, (String, String)> {
    match props.remove(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| (format!("properties.{key}"), e.to_string())),
    }
}

/// A property that must be there.
fn required<T>(v: Option<T>, key: &str) -> Result<T, (String, String)> {
    v.ok_or_else(|| (format!("properties.{key}"), "is missing".to_owned()))
}

/// A GeoJSON feature as an incident. The key is `properties.external_id` if there is one
/// (e.g. `acled:IRQ1234`, so a feature and the CSV row it came from are the same
/// incident), else the feature's `id` — and when the feature is the importer's own record
/// (its `owner_org_id` is the importing owner), that id itself. The importer's owner and
/// release replace any in the file, admin units are derived again from the point, and
/// links to engagements (which belong to the database the file came from) are dropped.
fn geojson_feature(feature: serde_json::Value, release: &ImportRelease) -> Parsed {
    let serde_json::Value::Object(mut feature) = feature else {
        return Err((String::new(), "a feature must be a JSON object".into()));
    };
    if feature.get("type").and_then(|t| t.as_str()) != Some("Feature") {
        return Err(("type".into(), "must be `Feature`".into()));
    }
    let point = match feature.get("geometry") {
        Some(g) if g.get("type").and_then(|t| t.as_str()) == Some("Point") => {
            match g.get("coordinates").and_then(|c| c.as_array()).map(|c| {
                c.iter()
                    .map(serde_json::Value::as_f64)
                    .collect::<Option<Vec<f64>>>()
            }) {
                Some(Some(c)) if c.len() >= 2 => Point {
                    lon: c[0],
                    lat: c[1],
                },
                _ => {
                    return Err((
                        "geometry.coordinates".into(),
                        "must be [longitude, latitude] in numbers".into(),
                    ));
                }
            }
        }
        Some(serde_json::Value::Null) | None => {
            return Err(("geometry".into(), "an incident needs a point".into()));
        }
        Some(_) => {
            return Err((
                "geometry".into(),
                "must be a Point (an incident is one place; give its centre)".into(),
            ));
        }
    };
    if !(-90.0..=90.0).contains(&point.lat) || !(-180.0..=180.0).contains(&point.lon) {
        return Err((
            "geometry.coordinates".into(),
            "must be [longitude, latitude] within -180..180 and -90..90".into(),
        ));
    }
    let mut props = match feature.remove("properties") {
        Some(serde_json::Value::Object(p)) => p,
        _ => return Err(("properties".into(), "must be an object".into())),
    };
    let external_id = property::<String>(&mut props, "external_id")?
        .map(|k| k.trim().to_owned())
        .map(|k| {
            if k.is_empty() {
                Err((
                    "properties.external_id".to_owned(),
                    "is empty: give the source's event id, or leave it out".to_owned(),
                ))
            } else {
                Ok(k)
            }
        })
        .transpose()?;
    let feature_id = match feature.get("id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // A file Hawkari exported, imported again by the owner of its records: the same
    // records, updated in place rather than copied.
    let own =
        property::<String>(&mut props, "owner_org_id")?.as_deref() == Some(release.owner.as_str());
    let column = if external_id.is_some() {
        "properties.external_id"
    } else {
        "id"
    };
    let (id, external_id) = match (external_id, feature_id) {
        (None, Some(id)) if own => (id, None),
        (Some(key), _) | (None, Some(key)) => {
            let (prefix, external) = key.split_once(':').unwrap_or(("geojson", &key));
            let (prefix, external) = (prefix.trim(), external.trim());
            (
                import_id(prefix, external, release),
                Some(source_key(prefix, external, column)?),
            )
        }
        (None, None) => {
            return Err((
                "id".into(),
                "give the feature an id or properties.external_id (the source's own \
                 event id, so that importing again updates instead of duplicating)"
                    .into(),
            ));
        }
    };
    let data = IncidentData {
        when: required(property(&mut props, "when")?, "when")?,
        point,
        location_precision: property(&mut props, "location_precision")?.unwrap_or_default(),
        place_name: property(&mut props, "place_name")?,
        incident_type: required(property(&mut props, "type")?, "type")?,
        sub_type: property(&mut props, "sub_type")?,
        actors: property(&mut props, "actors")?.unwrap_or_default(),
        casualties: property(&mut props, "casualties")?.unwrap_or_default(),
        sources: property(&mut props, "sources")?.unwrap_or_default(),
        narrative: property(&mut props, "narrative")?,
        engagement_ids: vec![],
        admin_units: None,
        external_id,
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok(ParsedRow {
        id,
        data,
        warnings: vec![],
        names: vec![],
        place_names: vec![],
    })
}
