//! Incident imports: ACLED and UCDP GED CSV by their published column names, any other
//! CSV through a column mapping, and GeoJSON FeatureCollections of points (such as
//! Hawkari's own GeoJSON export). Rows stream (bounded memory: a GeoJSON file is parsed
//! feature by feature on its own thread), a bad row never stops the import — it is
//! reported with its line (or feature number), column and reason — and re-importing the
//! same file changes nothing new: each incident's id is derived from the source's own
//! event id and the owner (`acled-irq1234-mopa`), so a second import updates in place.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use hawkari_core::access::ReleaseGroup;
use hawkari_core::ids::{IncidentId, OrganisationId};
use hawkari_core::incident::{
    Casualties, Estimate, GradedSource, Incident, IncidentActor, IncidentData, IncidentType,
    LocationPrecision, Party, Reliability,
};
use hawkari_core::meta::Meta;
use hawkari_core::record::{Kind, RecordData};
use hawkari_core::time::EventTime;
use hawkari_core::values::{Name, Point, Source, Text};
use hawkari_store::{AnyRecord, Write};
use serde::{Deserialize, Serialize};

use crate::csv_input::{CsvInput, Row};
use crate::{App, AppError, Principal};

/// The layout of an incident file.
#[derive(Debug, Clone)]
pub enum ImportFormat {
    /// ACLED's export columns (`event_id_cnty`, `event_date`, `latitude`, …).
    Acled,
    /// UCDP GED columns (`id`, `date_start`, `date_end`, `latitude`, `best`, …).
    Ucdp,
    /// Any CSV, described by a mapping.
    Mapped(Box<ColumnMapping>),
    /// A GeoJSON FeatureCollection of Point features whose properties are an incident's
    /// fields (`type`, `when`, …; see [`geojson_feature`](crate::incident_export::geojson_feature)).
    GeoJson,
}

/// Which column holds what, for [`CsvFormat::Mapped`] (a JSON file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// Prefix of the incidents' ids, e.g. `jcc` → `jcc-<external id>`.
    pub id_prefix: String,
    pub external_id: String,
    /// A date column (YYYY-MM-DD, YYYY-MM or YYYY).
    pub date: String,
    pub latitude: String,
    pub longitude: String,
    /// A column whose values are mapped to incident types by `types`.
    pub event_type: String,
    /// Source value → incident type code (e.g. `"Roadside bomb": "ied"`); others → `other`.
    #[serde(default)]
    pub types: HashMap<String, String>,
    #[serde(default)]
    pub fatalities: Option<String>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// One row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejection {
    /// For CSV the line of the file (the header is line 1); for GeoJSON the feature's
    /// number (the first is 1). [`ImportReport::unit`] says which.
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// What [`Rejection::line`] counts: `line` (CSV) or `feature` (GeoJSON).
    pub unit: &'static str,
    pub read: u64,
    /// New incidents.
    pub stored: u64,
    /// Incidents already imported whose content changed.
    pub updated: u64,
    /// Incidents already imported, unchanged (a re-import).
    pub unchanged: u64,
    pub rejected: Vec<Rejection>,
}

/// Who owns the imported incidents and who may see them.
#[derive(Debug, Clone)]
pub struct ImportRelease {
    pub owner: OrganisationId,
    pub releasable_to: Vec<OrganisationId>,
    pub groups: Vec<ReleaseGroup>,
}

fn name(s: &str) -> Option<Name> {
    let s: String = s.chars().take(Name::MAX_CHARS).collect();
    Name::try_from(s).ok()
}

/// ACLED dates are `2025-09-14` or `14 September 2025`.
fn parse_day(column: &str, v: &str) -> Result<NaiveDate, (String, String)> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d %B %Y"))
        .map_err(|_| {
            (
                column.to_owned(),
                format!("`{v}` is not a date such as 2025-09-14"),
            )
        })
}

fn point(row: &Row<'_>, lat: &str, lon: &str) -> Result<Point, (String, String)> {
    let lat_v: f64 = row
        .num(lat)?
        .ok_or_else(|| (lat.to_owned(), "is empty or missing".to_owned()))?;
    let lon_v: f64 = row
        .num(lon)?
        .ok_or_else(|| (lon.to_owned(), "is empty or missing".to_owned()))?;
    if !(-90.0..=90.0).contains(&lat_v) {
        return Err((lat.to_owned(), "must be between -90 and 90".into()));
    }
    if !(-180.0..=180.0).contains(&lon_v) {
        return Err((lon.to_owned(), "must be between -180 and 180".into()));
    }
    Ok(Point {
        lat: lat_v,
        lon: lon_v,
    })
}

/// Casualties of unknown party, all three estimates the same.
fn deaths(party: Party, n: u32) -> Casualties {
    Casualties {
        party,
        killed: Estimate {
            low: n,
            best: n,
            high: n,
        },
        injured: Estimate::default(),
    }
}

/// A source citation: the dataset and its own text; grading cannot be judged from it.
/// `column` is the event id's, blamed when the id makes no valid title.
fn dataset_source(
    publisher: &str,
    title: String,
    text: Option<&str>,
    column: &str,
) -> Result<GradedSource, (String, String)> {
    Ok(GradedSource {
        source: Source {
            publisher: name(publisher).ok_or_else(|| {
                (
                    "id_prefix".to_owned(),
                    "the mapping's id_prefix must be a short name".to_owned(),
                )
            })?,
            title: Text::try_from(title).map_err(|m| (column.to_owned(), m))?,
            date: None,
            url: None,
            reference: text.and_then(name),
        },
        reliability: Reliability::F,
        credibility: 6,
    })
}

fn acled_type(event: &str, sub: &str) -> IncidentType {
    match (event, sub) {
        ("Battles", _) => IncidentType::ArmedClash,
        (_, "Remote explosive/landmine/IED") => IncidentType::Ied,
        (_, "Suicide bomb") => IncidentType::SuicideBombing,
        (_, "Shelling/artillery/missile attack") => IncidentType::IndirectFire,
        (_, "Abduction/forced disappearance") => IncidentType::Abduction,
        (_, "Arrests") => IncidentType::SecurityOperation,
        (_, "Looting/property destruction") => IncidentType::AttackOnInfrastructure,
        ("Strategic developments", _) => IncidentType::StrategicDevelopment,
        _ => IncidentType::Other,
    }
}

/// An ACLED row as an incident (id, content).
fn acled(
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req("event_id_cnty")?;
    let day = parse_day("event_date", row.req("event_date")?)?;
    // ACLED time precision: 1 the day, 2 within a week of it, 3 within its month.
    let when = match row.num::<u8>("time_precision")?.unwrap_or(1) {
        1 => EventTime::parse(&day.to_string(), None),
        2 => EventTime::parse(
            &format!(
                "{}/{}",
                day - chrono::Duration::days(3),
                day + chrono::Duration::days(3)
            ),
            Some("within a week".into()),
        ),
        _ => EventTime::parse(&day.format("%Y-%m").to_string(), None),
    }
    .map_err(|m| ("event_date".to_owned(), m))?;
    let event = row.opt("event_type").unwrap_or_default();
    let sub = row.opt("sub_event_type").unwrap_or_default();
    let actors = ["actor1", "actor2"]
        .iter()
        .filter_map(|c| row.opt(c).and_then(name))
        .map(|n| IncidentActor {
            organisation_id: None,
            name: Some(n),
            role: None,
        })
        .collect();
    let fatalities: u32 = row.num("fatalities")?.unwrap_or(0);
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.num::<u8>("geo_precision")?.unwrap_or(1) {
            1 => LocationPrecision::Near,
            2 => LocationPrecision::SubDistrict,
            _ => LocationPrecision::District,
        },
        place_name: row.opt("location").and_then(name),
        incident_type: acled_type(event, sub),
        sub_type: name(sub),
        actors,
        casualties: if fatalities > 0 {
            vec![deaths(Party::Unknown, fatalities)]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            "ACLED",
            format!("ACLED event {external}"),
            row.opt("source"),
            "event_id_cnty",
        )?],
        narrative: row
            .opt("notes")
            .and_then(|n| Text::try_from(n.to_owned()).ok()),
        engagement_ids: vec![],
        admin_units: None,
        external_id: source_key("acled", external),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((import_id("acled", external, release), data))
}

/// A UCDP GED row as an incident.
fn ucdp(
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req("id")?;
    let start = parse_day("date_start", row.req("date_start")?)?;
    let end = parse_day(
        "date_end",
        row.opt("date_end").unwrap_or(&start.to_string()),
    )?;
    if end < start {
        return Err(("date_end".into(), "is before date_start".into()));
    }
    let value = if start == end {
        start.to_string()
    } else {
        format!("{start}/{end}")
    };
    let when = EventTime::parse(&value, None).map_err(|m| ("date_start".to_owned(), m))?;
    let deaths_of = |c: &str, p: Party| -> Result<Option<Casualties>, (String, String)> {
        Ok(row.num::<u32>(c)?.filter(|n| *n > 0).map(|n| deaths(p, n)))
    };
    let mut casualties: Vec<Casualties> = [
        deaths_of("deaths_a", Party::SecurityForces)?,
        deaths_of("deaths_b", Party::Attackers)?,
        deaths_of("deaths_civilians", Party::Civilians)?,
        deaths_of("deaths_unknown", Party::Unknown)?,
    ]
    .into_iter()
    .flatten()
    .collect();
    if casualties.is_empty()
        && let Some(best) = row.num::<u32>("best")?.filter(|n| *n > 0)
    {
        let low = row.num::<u32>("low")?.unwrap_or(best).min(best);
        let high = row.num::<u32>("high")?.unwrap_or(best).max(best);
        casualties.push(Casualties {
            party: Party::Unknown,
            killed: Estimate { low, best, high },
            injured: Estimate::default(),
        });
    }
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.num::<u8>("where_prec")?.unwrap_or(1) {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::SubDistrict,
            4 => LocationPrecision::District,
            _ => LocationPrecision::Governorate,
        },
        place_name: row.opt("where_coordinates").and_then(name),
        incident_type: match row.opt("type_of_violence") {
            Some("1" | "2") => IncidentType::ArmedClash,
            _ => IncidentType::Other,
        },
        sub_type: row.opt("conflict_name").and_then(name),
        actors: ["side_a", "side_b"]
            .iter()
            .filter_map(|c| row.opt(c).and_then(name))
            .map(|n| IncidentActor {
                organisation_id: None,
                name: Some(n),
                role: None,
            })
            .collect(),
        casualties,
        sources: vec![dataset_source(
            "UCDP GED",
            format!("UCDP GED event {external}"),
            row.opt("source_article"),
            "id",
        )?],
        narrative: None,
        engagement_ids: vec![],
        admin_units: None,
        external_id: source_key("ucdp", external),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((import_id("ucdp", external, release), data))
}

/// A row of a mapped CSV as an incident.
fn mapped(
    m: &ColumnMapping,
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req(&m.external_id)?;
    let when = EventTime::parse(row.req(&m.date)?, None).map_err(|e| (m.date.clone(), e))?;
    let raw_type = row.opt(&m.event_type).unwrap_or_default();
    let incident_type = match m.types.get(raw_type) {
        Some(code) => code.parse().map_err(|e| (m.event_type.clone(), e))?,
        None => IncidentType::Other,
    };
    let fatalities: u32 = match &m.fatalities {
        Some(c) => row.num(c)?.unwrap_or(0),
        None => 0,
    };
    let data = IncidentData {
        when,
        point: point(row, &m.latitude, &m.longitude)?,
        location_precision: LocationPrecision::Exact,
        place_name: None,
        incident_type,
        sub_type: name(raw_type),
        actors: m
            .actor
            .iter()
            .filter_map(|c| row.opt(c).and_then(name))
            .map(|n| IncidentActor {
                organisation_id: None,
                name: Some(n),
                role: None,
            })
            .collect(),
        casualties: if fatalities > 0 {
            vec![deaths(Party::Unknown, fatalities)]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            &m.id_prefix,
            format!("{} record {external}", m.id_prefix),
            m.source.as_deref().and_then(|c| row.opt(c)),
            &m.external_id,
        )?],
        narrative: m
            .narrative
            .as_deref()
            .and_then(|c| row.opt(c))
            .and_then(|n| Text::try_from(n.to_owned()).ok()),
        engagement_ids: vec![],
        admin_units: None,
        external_id: source_key(&m.id_prefix, external),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((import_id(&m.id_prefix, external, release), data))
}

/// The id of an imported incident: the source, its event id and the owner
/// (`acled-irq1001-mopa`), so that each partner holds its own copy and a re-import of the
/// same event finds it again.
fn import_id(source: &str, external: &str, release: &ImportRelease) -> String {
    format!("{}-{}-{}", slug(source), slug(external), release.owner)
}

/// The source's own key of an event as stored: `acled:IRQ1001`.
fn source_key(source: &str, external: &str) -> Option<Name> {
    name(&format!("{source}:{external}"))
}

/// An id-safe form of a source's event id.
fn slug(s: &str) -> String {
    let s: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.chars().take(50).collect()
}

/// Rows per transaction.
const BATCH: usize = 1000;

/// What reading one row or feature gave: an incident (id, content) or the column at
/// fault and why.
type Parsed = Result<(String, IncidentData), (String, String)>;

/// The rows of a CSV as incidents, each with its line. A row that is not even CSV comes
/// out as a rejection of the whole row.
fn csv_rows<'a>(
    reader: impl Read + 'a,
    format: &'a ImportFormat,
    release: &'a ImportRelease,
) -> Result<impl Iterator<Item = (u64, Parsed)> + 'a, AppError> {
    let mut input = CsvInput::open(reader)?;
    Ok(std::iter::from_fn(move || {
        let (line, row) = input.next_row()?;
        let parsed = match row {
            Ok(row) => match format {
                ImportFormat::Acled => acled(&row, release),
                ImportFormat::Ucdp => ucdp(&row, release),
                ImportFormat::Mapped(m) => mapped(m, &row, release),
                ImportFormat::GeoJson => unreachable!("GeoJSON is not read as CSV"),
            },
            Err(reason) => Err((String::new(), reason)),
        };
        Some((line, parsed))
    }))
}

/// The features of a GeoJSON FeatureCollection as incidents, numbered from 1. The file is
/// parsed on its own thread, a feature at a time, into a short queue: memory stays
/// bounded however large the file. A syntax error ends the features (the parser cannot
/// find the next one) and comes out as a rejection naming its line and column.
fn geojson_rows(
    reader: impl Read + Send + 'static,
    release: &ImportRelease,
) -> impl Iterator<Item = (u64, Parsed)> + '_ {
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
    let external_id = property::<String>(&mut props, "external_id")?;
    let feature_id = match feature.get("id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // A file Hawkari exported, imported again by the owner of its records: the same
    // records, updated in place rather than copied.
    let own =
        property::<String>(&mut props, "owner_org_id")?.as_deref() == Some(release.owner.as_str());
    let (id, external_id) = match (external_id, feature_id) {
        (None, Some(id)) if own => (id, None),
        (Some(key), _) | (None, Some(key)) => {
            let (prefix, external) = key.split_once(':').unwrap_or(("geojson", &key));
            (
                import_id(prefix, external, release),
                source_key(prefix, external),
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
    Ok((id, data))
}

impl App {
    /// Imports incidents from a file. Good rows are stored (batches of 1 000, each its own
    /// transaction), bad ones reported; `progress` gets the rows read so far.
    pub async fn import_incidents(
        &self,
        principal: &Principal,
        reader: impl Read + Send + 'static,
        format: &ImportFormat,
        release: &ImportRelease,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, AppError> {
        let (rows, unit): (Box<dyn Iterator<Item = (u64, Parsed)> + '_>, _) = match format {
            ImportFormat::GeoJson => (Box::new(geojson_rows(reader, release)), "feature"),
            _ => (Box::new(csv_rows(reader, format, release)?), "line"),
        };
        let mut report = ImportReport {
            unit,
            ..ImportReport::default()
        };
        let mut batch: Vec<(u64, IncidentId, IncidentData)> = Vec::new();
        for (line, parsed) in rows {
            report.read += 1;
            let checked = parsed.and_then(|(id, data)| {
                let id = IncidentId::try_from(id).map_err(|m| ("id".to_owned(), m))?;
                Ok((id, crate::records::enrich(data)))
            });
            match checked {
                Ok((id, data)) => {
                    let mut problems = hawkari_core::error::Problems::default();
                    data.check(id.as_str(), &mut problems);
                    match problems.into_result() {
                        Ok(()) => batch.push((line, id, data)),
                        Err(v) => report
                            .rejected
                            .extend(v.errors.into_iter().map(|e| Rejection {
                                line,
                                column: e.field,
                                reason: e.message,
                            })),
                    }
                }
                Err((column, reason)) => report.rejected.push(Rejection {
                    line,
                    column,
                    reason,
                }),
            }
            if batch.len() >= BATCH {
                self.store_incidents(principal, std::mem::take(&mut batch), &mut report)
                    .await?;
                progress(report.read);
            }
        }
        self.store_incidents(principal, batch, &mut report).await?;
        progress(report.read);
        // Rows rejected when their batch was written come after the batch's other
        // rejections: put them back in the file's order.
        report.rejected.sort_by_key(|r| r.line);
        Ok(report)
    }

    /// Writes a batch: new ids are stored, known ones updated (one version up). Rows naming
    /// an organisation as actor that is not in the registry are rejected here.
    async fn store_incidents(
        &self,
        principal: &Principal,
        batch: Vec<(u64, IncidentId, IncidentData)>,
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        if let Some((_, _, data)) = batch.first()
            && !self.authz.allows(
                principal,
                crate::Action::Create,
                crate::authz::Releasability::of(data),
            )
        {
            return Err(AppError::Forbidden(format!(
                "only editors of {} may import incidents it owns",
                data.owner_org_id
            )));
        }
        let mut actors: Vec<String> = batch
            .iter()
            .flat_map(|(_, _, d)| d.actors.iter().filter_map(|a| a.organisation_id.as_ref()))
            .map(ToString::to_string)
            .collect();
        actors.sort_unstable();
        actors.dedup();
        let known = if actors.is_empty() {
            HashMap::new()
        } else {
            self.store.get_many(Kind::Organisation, &actors).await?
        };
        let batch: Vec<(u64, IncidentId, IncidentData)> = batch
            .into_iter()
            .filter(|(line, _, data)| {
                let unknown = data.actors.iter().enumerate().find(|(_, a)| {
                    a.organisation_id
                        .as_ref()
                        .is_some_and(|o| !known.contains_key(o.as_str()))
                });
                if let Some((i, a)) = unknown {
                    report.rejected.push(Rejection {
                        line: *line,
                        column: format!("actors[{i}].organisation_id"),
                        reason: format!(
                            "no organisation `{}` in the registry",
                            a.organisation_id.as_ref().map_or("", |o| o.as_str())
                        ),
                    });
                }
                unknown.is_none()
            })
            .collect();
        let ids: Vec<String> = batch.iter().map(|(_, id, _)| id.to_string()).collect();
        // The stored versions of the batch's ids, in one query.
        let mut existing = self.store.get_many(Kind::Incident, &ids).await?;
        let now = self.now();
        let mut writes = Vec::with_capacity(batch.len() + 1);
        let mut seen = std::collections::HashSet::new();
        for (line, id, data) in batch {
            if !seen.insert(id.clone()) {
                report.rejected.push(Rejection {
                    line,
                    column: "id".into(),
                    reason: format!("`{id}` was read earlier in this file; the first is kept"),
                });
                continue;
            }
            let record = match existing.remove(id.as_str()) {
                Some(AnyRecord::Incident(old)) if old.data.owner_org_id != data.owner_org_id => {
                    // Never re-owned by an import: each organisation holds its own copy.
                    report.rejected.push(Rejection {
                        line,
                        column: "id".into(),
                        reason: format!("`{id}` is an incident another organisation owns"),
                    });
                    continue;
                }
                Some(AnyRecord::Incident(old)) => {
                    // What editors added since the last import is kept: links to
                    // engagements and a handling caveat are not in the source's data.
                    let mut data = data;
                    data.engagement_ids = old.data.engagement_ids.clone();
                    data.caveat = old.data.caveat.clone();
                    if old.data == data {
                        report.unchanged += 1;
                        continue;
                    }
                    report.updated += 1;
                    Incident {
                        id: old.id,
                        data,
                        meta: old.meta.next(&principal.actor, now),
                    }
                }
                _ => {
                    report.stored += 1;
                    Incident {
                        id,
                        data,
                        meta: Meta::new(&principal.actor, now),
                    }
                }
            };
            writes.push(Write::Upsert(AnyRecord::Incident(record)));
        }
        let detail = serde_json::json!({"rows": writes.len()});
        writes.push(Write::Audit(principal.event(
            now,
            "import_incidents",
            Some(Kind::Incident),
            None,
            detail,
        )));
        self.store.write(writes, &principal.reach).await?;
        Ok(())
    }
}
