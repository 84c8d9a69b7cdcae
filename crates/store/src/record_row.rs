//! A record as the backends store it: the main row's columns, the references and search
//! document derived from it, and the way back from stored columns to a record. The SQL
//! that writes and reads these rows is each backend's own.

use chrono::{DateTime, SecondsFormat, Utc};
use hawkari_core::area::{Area, AreaData};
use hawkari_core::commitment::{Commitment, CommitmentData, StatusChange};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::incident::{Incident, IncidentData};
use hawkari_core::meta::Meta;
use hawkari_core::operation::{Operation, OperationData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::programme::{Programme, ProgrammeData};
use hawkari_core::record::{Kind, RecordData, Reference};
use hawkari_core::text::index_document;
use hawkari_core::topic::Topic;

use crate::plan::enum_str;
pub(crate) use crate::plan::unix_days;
use crate::{AnyRecord, StoreError};

/// Columns every list and get reads; commitments add their status history.
pub(crate) fn select_columns(kind: Kind) -> &'static str {
    if kind == Kind::Commitment {
        "t.id, t.body, t.sort_key, t.version, t.created_by, t.created_at, t.updated_by, t.updated_at, t.status_history"
    } else {
        "t.id, t.body, t.sort_key, t.version, t.created_by, t.created_at, t.updated_by, t.updated_at"
    }
}

/// A record as it is about to be written: main-row columns plus its derived index rows.
#[derive(Debug)]
pub(crate) struct RowIn {
    pub kind: Kind,
    pub id: String,
    pub body: String,
    pub sort_key: String,
    pub owner_org_id: String,
    pub meta: Meta,
    /// Kind-specific columns, all TEXT.
    pub extra: Vec<(&'static str, Option<String>)>,
    pub refs: Vec<Reference>,
    pub search: String,
    /// For incidents: the box the R*Tree indexes — longitude, latitude, and the first
    /// and last day (days since 1970, fractional).
    pub point: Option<SpaceTime>,
    /// For areas: the shape as RFC 7946 GeoJSON, for backends with a geometry column.
    pub geometry: Option<String>,
}

/// The key incidents are ordered by when the most killed come first: the best estimate
/// of people killed, ten digits wide (so that text orders as number), then the start.
pub(crate) fn killed_key(killed: u32, sort_key: &str) -> String {
    format!("{killed:010} {sort_key}")
}

/// An incident's place in the R*Tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpaceTime {
    pub lon: f64,
    pub lat: f64,
    pub first_day: f64,
    pub last_day: f64,
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn common<D: RecordData>(
    id: &str,
    data: &D,
    meta: &Meta,
    extra: Vec<(&'static str, Option<String>)>,
) -> Result<RowIn, StoreError> {
    Ok(RowIn {
        kind: D::KIND,
        id: id.to_owned(),
        body: serde_json::to_string(data)?,
        sort_key: data.sort_key(),
        owner_org_id: data.owner_org_id().to_string(),
        meta: meta.clone(),
        extra,
        refs: data.references(),
        search: index_document(data.search_texts()),
        point: None,
        geometry: None,
    })
}

pub(crate) fn row_in(record: &AnyRecord) -> Result<RowIn, StoreError> {
    match record {
        AnyRecord::Organisation(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![
                ("kind", Some(enum_str(&r.data.kind))),
                (
                    "parent_id",
                    r.data.parent_id.as_ref().map(ToString::to_string),
                ),
            ],
        ),
        AnyRecord::Person(r) => common(r.id.as_str(), &r.data, &r.meta, vec![]),
        AnyRecord::Place(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![("kind", Some(enum_str(&r.data.kind)))],
        ),
        AnyRecord::Engagement(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![
                (
                    "end_at",
                    Some(hawkari_core::time::rfc3339(r.data.when.end())),
                ),
                ("kind", Some(enum_str(&r.data.kind))),
            ],
        ),
        AnyRecord::Incident(r) => {
            let d = &r.data;
            let admin = d.admin_units.clone().unwrap_or_default();
            let mut row = common(
                r.id.as_str(),
                d,
                &r.meta,
                vec![
                    ("end_at", Some(hawkari_core::time::rfc3339(d.when.end()))),
                    ("type", Some(d.incident_type.as_str().to_owned())),
                    ("adm1", admin.governorate),
                    ("adm2", admin.district),
                    ("adm3", admin.sub_district),
                    // Unique per owner: partners may each hold their copy of an event.
                    (
                        "external_id",
                        d.external_id
                            .as_ref()
                            .map(|e| format!("{}:{e}", d.owner_org_id)),
                    ),
                    // Rust writes the shortest text that reads back as the same f64.
                    ("lon", Some(d.point.lon.to_string())),
                    ("lat", Some(d.point.lat.to_string())),
                    (
                        "killed_key",
                        Some(killed_key(r.killed_best(), &d.sort_key())),
                    ),
                ],
            )?;
            row.point = Some(SpaceTime {
                lon: d.point.lon,
                lat: d.point.lat,
                first_day: unix_days(d.when.start()),
                last_day: unix_days(d.when.end()),
            });
            Ok(row)
        }
        AnyRecord::Area(r) => {
            let mut row = common(
                r.id.as_str(),
                &r.data,
                &r.meta,
                vec![
                    ("kind", Some(enum_str(&r.data.kind))),
                    (
                        "organisation_id",
                        r.data.organisation_id.as_ref().map(ToString::to_string),
                    ),
                    ("valid_from", r.data.valid_from.map(|d| d.to_string())),
                    ("valid_to", r.data.valid_to.map(|d| d.to_string())),
                ],
            )?;
            row.geometry = r
                .data
                .geometry
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?;
            Ok(row)
        }
        AnyRecord::Programme(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![("kind", Some(enum_str(&r.data.kind)))],
        ),
        AnyRecord::Operation(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![
                ("start_day", Some(r.data.start.first_day().to_string())),
                ("end_day", Some(r.data.end.last_day().to_string())),
            ],
        ),
        AnyRecord::Commitment(r) => common(
            r.id.as_str(),
            &r.data,
            &r.meta,
            vec![
                ("engagement_id", Some(r.data.engagement_id.to_string())),
                ("status", Some(r.status().as_str().to_owned())),
                (
                    "status_history",
                    Some(serde_json::to_string(&r.status_history)?),
                ),
                (
                    "responsible_org_id",
                    Some(r.data.responsible_org_id.to_string()),
                ),
                (
                    "counterpart_org_id",
                    r.data.counterpart_org_id.as_ref().map(ToString::to_string),
                ),
            ],
        ),
    }
}

impl RowIn {
    /// Column names and values of the main row, in one order.
    pub(crate) fn columns(&self) -> Vec<(&'static str, Option<String>)> {
        let mut cols = vec![
            ("id", Some(self.id.clone())),
            ("body", Some(self.body.clone())),
            ("sort_key", Some(self.sort_key.clone())),
            ("owner_org_id", Some(self.owner_org_id.clone())),
            // Bound as text; the STRICT INTEGER column converts it losslessly.
            ("version", Some(self.meta.version.to_string())),
            ("created_by", Some(self.meta.created_by.clone())),
            ("created_at", Some(timestamp(self.meta.created_at))),
            ("updated_by", Some(self.meta.updated_by.clone())),
            ("updated_at", Some(timestamp(self.meta.updated_at))),
        ];
        cols.extend(self.extra.iter().cloned());
        cols
    }
}

/// Parses a stored RFC 3339 timestamp.
pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Other(Box::new(e)))
}

/// What decoding a stored row needs from a backend's row type.
pub(crate) trait StoredRow: sqlx::Row {
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
}

impl<R: sqlx::Row> StoredRow for R
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    fn text(&self, col: &str) -> Result<String, StoreError> {
        Ok(self.try_get::<String, _>(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get::<Option<String>, _>(col)?)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        Ok(self.try_get::<i64, _>(col)?)
    }
}

fn meta_from_row(row: &impl StoredRow) -> Result<Meta, StoreError> {
    Ok(Meta {
        version: row.int("version")?,
        created_by: row.text("created_by")?,
        created_at: parse_time(&row.text("created_at")?)?,
        updated_by: row.text("updated_by")?,
        updated_at: parse_time(&row.text("updated_at")?)?,
    })
}

fn body<D: RecordData>(row: &impl StoredRow) -> Result<D, StoreError> {
    Ok(serde_json::from_str(&row.text("body")?)?)
}

fn id<T: TryFrom<String, Error = String>>(row: &impl StoredRow) -> Result<T, StoreError> {
    T::try_from(row.text("id")?).map_err(|e| StoreError::Other(e.into()))
}

/// The record a row of [`select_columns`] holds.
pub(crate) fn record_from_row(kind: Kind, row: &impl StoredRow) -> Result<AnyRecord, StoreError> {
    let meta = meta_from_row(row)?;
    Ok(match kind {
        Kind::Organisation => AnyRecord::Organisation(Organisation {
            id: id(row)?,
            data: body::<OrganisationData>(row)?,
            meta,
        }),
        Kind::Person => AnyRecord::Person(Person {
            id: id(row)?,
            data: body::<PersonData>(row)?,
            meta,
        }),
        Kind::Place => AnyRecord::Place(Place {
            id: id(row)?,
            data: body::<PlaceData>(row)?,
            meta,
        }),
        Kind::Engagement => AnyRecord::Engagement(Engagement {
            id: id(row)?,
            data: body::<EngagementData>(row)?,
            meta,
        }),
        Kind::Commitment => {
            let history = row.text("status_history")?;
            AnyRecord::Commitment(Commitment {
                id: id(row)?,
                data: body::<CommitmentData>(row)?,
                status_history: serde_json::from_str::<Vec<StatusChange>>(&history)?,
                meta,
            })
        }
        Kind::Area => AnyRecord::Area(Area {
            id: id(row)?,
            data: body::<AreaData>(row)?,
            meta,
        }),
        Kind::Programme => AnyRecord::Programme(Programme {
            id: id(row)?,
            data: body::<ProgrammeData>(row)?,
            meta,
        }),
        Kind::Operation => AnyRecord::Operation(Operation {
            id: id(row)?,
            data: body::<OperationData>(row)?,
            meta,
        }),
        Kind::Incident => AnyRecord::Incident(Incident {
            id: id(row)?,
            data: body::<IncidentData>(row)?,
            meta,
        }),
        Kind::Topic | Kind::Group => {
            return Err(StoreError::Other(
                "topics are read with get_topic; groups are not stored".into(),
            ));
        }
    })
}

pub(crate) fn topic_from_row(row: &impl StoredRow) -> Result<Topic, StoreError> {
    Ok(Topic {
        code: row
            .text("code")?
            .try_into()
            .map_err(|e: String| StoreError::Other(e.into()))?,
        labels: serde_json::from_str(&row.text("labels")?)?,
    })
}
