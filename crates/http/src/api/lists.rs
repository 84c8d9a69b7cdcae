//! List endpoints: filters as query parameters, newest or alphabetical first, and
//! keyset pagination (`cursor` from the previous page's `next_cursor`).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use hawkari_app::App;
use hawkari_core::commitment::CommitmentStatus;
use hawkari_core::engagement::{Engagement, EngagementKind};
use hawkari_core::ids::{EngagementId, OrganisationId, PersonId, TopicCode};
use hawkari_core::incident::Incident;
use hawkari_core::organisation::{Organisation, OrganisationKind};
use hawkari_core::person::Person;
use hawkari_core::place::{Place, PlaceKind};
use hawkari_core::time::EventTime;
use hawkari_store::{
    CommitmentFilter, Cursor, EngagementFilter, IncidentFilter, OrganisationFilter, Page,
    PageRequest, PersonFilter, PlaceFilter,
};
use serde::{Deserialize, Serialize};

use super::{CommitmentView, Resource};
use crate::error::ApiError;
use crate::extract::{Auth, Query};

/// One page of a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to read the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> ListResponse<T> {
    pub fn from_page<R>(page: Page<R>, f: impl FnMut(R) -> T) -> Self {
        Self {
            items: page.items.into_iter().map(f).collect(),
            next_cursor: page.next.map(|c| c.encode()),
        }
    }
}

/// Paging parameters every list takes.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    pub cursor: Option<String>,
}

impl Paging {
    pub fn request(&self, prefix: &str) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(PageRequest::DEFAULT_LIMIT);
        if !(1..=PageRequest::MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_param(
                &format!("{prefix}limit"),
                format!("must be between 1 and {}", PageRequest::MAX_LIMIT),
            ));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
                ApiError::bad_param(
                    &format!("{prefix}cursor"),
                    "is not a cursor this server issued",
                )
            })?),
        };
        Ok(PageRequest { limit, after })
    }
}

/// The OpenAPI schema of a list's `cursor`: a `next_cursor` this server issued.
#[derive(Debug)]
pub struct PageCursor;

impl utoipa::PartialSchema for PageCursor {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^([0-9a-fA-F]{2})+$"))
            .max_length(Some(1024))
            .description(Some(
                "The `next_cursor` of the previous page, as it was sent (hexadecimal)",
            ))
            .into()
    }
}
impl utoipa::ToSchema for PageCursor {}

/// The OpenAPI schema of a list's `from` and `to`: what [`date_bound`] reads.
#[derive(Debug)]
pub struct DateBound;

impl utoipa::PartialSchema for DateBound {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        hawkari_core::time::event_time_value_schema(
            "A year, month, day or RFC 3339 instant (`2025`, `2025-05`, `2025-05-21`, \
             `2025-05-21T10:00:00Z`), or `START/END` of two of those; `from` takes the first \
             moment it can mean, `to` the last",
        )
        .into()
    }
}
impl utoipa::ToSchema for DateBound {}

pub(crate) fn page(limit: Option<u32>, cursor: &Option<String>) -> Result<PageRequest, ApiError> {
    Paging {
        limit,
        cursor: cursor.clone(),
    }
    .request("")
}

fn parse_param<T: std::str::FromStr<Err = String>>(
    name: &str,
    value: &Option<String>,
) -> Result<Option<T>, ApiError> {
    value
        .as_deref()
        .map(|v| v.parse().map_err(|m| ApiError::bad_param(name, m)))
        .transpose()
}

/// A date bound: `2025`, `2025-05`, `2025-05-21` or an instant; `from` takes the first
/// moment it can mean, `to` the last.
fn date_bound(
    name: &str,
    value: &Option<String>,
    last: bool,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    value
        .as_deref()
        .map(|v| {
            let t = EventTime::parse(v, None).map_err(|m| ApiError::bad_param(name, m))?;
            Ok(if last { t.end() } else { t.start() })
        })
        .transpose()
}

pub(crate) fn text_query(q: &Option<String>) -> Result<Option<String>, ApiError> {
    match q {
        Some(q) if q.chars().count() > 200 => {
            Err(ApiError::bad_param("q", "at most 200 characters"))
        }
        Some(q) if q.trim().is_empty() => Ok(None),
        other => Ok(other.clone()),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Text in any name, alias or abbreviation, in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    kind: Option<OrganisationKind>,
    /// Direct children of this organisation.
    #[param(value_type = Option<OrganisationId>)]
    parent_id: Option<String>,
    /// This organisation and everything below it by `parent_id` (not following
    /// `answers_to`, which is a reporting line, not part of the tree).
    #[param(value_type = Option<OrganisationId>)]
    within: Option<String>,
    /// Organisations that answer to this one (their `answers_to` names it).
    answers_to: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn organisations(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<OrganisationQuery>,
) -> Result<Json<ListResponse<Organisation>>, ApiError> {
    let filter = OrganisationFilter {
        q: text_query(&p.q)?,
        kind: p.kind,
        parent_id: parse_param("parent_id", &p.parent_id)?,
        within: parse_param("within", &p.within)?,
        answers_to: parse_param("answers_to", &p.answers_to)?,
        sort: Default::default(),
    };
    let page = app
        .list_organisations(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Text in any name or alias, the rank, or the title of a position held now or
    /// before (`Chief of Staff`), in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    /// People who have held a position in this organisation or one below it.
    #[param(value_type = Option<OrganisationId>)]
    organisation_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn people(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<PersonQuery>,
) -> Result<Json<ListResponse<Person>>, ApiError> {
    let filter = PersonFilter {
        q: text_query(&p.q)?,
        organisation_id: parse_param("organisation_id", &p.organisation_id)?,
        sort: Default::default(),
    };
    let page = app
        .list_people(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceQuery {
    /// Text in any name or alias, in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    kind: Option<PlaceKind>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn places(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<PlaceQuery>,
) -> Result<Json<ListResponse<Place>>, ApiError> {
    let filter = PlaceFilter {
        q: text_query(&p.q)?,
        kind: p.kind,
    };
    let page = app
        .list_places(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EngagementQuery {
    /// Engagements on or after this date (`2025`, `2025-05`, `2025-05-21` or an instant).
    #[param(value_type = Option<DateBound>)]
    from: Option<String>,
    /// Engagements on or before this date.
    #[param(value_type = Option<DateBound>)]
    to: Option<String>,
    /// With a participating organisation that is this one or below it.
    #[param(value_type = Option<OrganisationId>)]
    organisation_id: Option<String>,
    /// With this person participating.
    #[param(value_type = Option<PersonId>)]
    person_id: Option<String>,
    /// With this topic code.
    #[param(value_type = Option<TopicCode>)]
    topic: Option<String>,
    kind: Option<EngagementKind>,
    /// Text in the engagement or a participant's names, in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn engagements(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<EngagementQuery>,
) -> Result<Json<ListResponse<Engagement>>, ApiError> {
    let filter = EngagementFilter {
        from: date_bound("from", &p.from, false)?,
        to: date_bound("to", &p.to, true)?,
        organisation_id: parse_param("organisation_id", &p.organisation_id)?,
        person_id: parse_param("person_id", &p.person_id)?,
        topic: parse_param("topic", &p.topic)?,
        kind: p.kind,
        q: text_query(&p.q)?,
        sort: Default::default(),
    };
    let page = app
        .list_engagements(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    status: Option<CommitmentStatus>,
    /// `true`: only those past their due date and still open or in progress.
    overdue: Option<bool>,
    /// Owed by this organisation or one below it.
    #[param(value_type = Option<OrganisationId>)]
    responsible_org_id: Option<String>,
    /// Owed to this organisation or one below it.
    #[param(value_type = Option<OrganisationId>)]
    counterpart_org_id: Option<String>,
    /// Owed by this person.
    #[param(value_type = Option<PersonId>)]
    person_id: Option<String>,
    #[param(value_type = Option<EngagementId>)]
    engagement_id: Option<String>,
    /// Due before this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "hawkari_core::time::opt_day::deserialize")]
    #[param(value_type = Option<String>, format = Date)]
    due_before: Option<NaiveDate>,
    /// Due on or after this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "hawkari_core::time::opt_day::deserialize")]
    #[param(value_type = Option<String>, format = Date)]
    due_from: Option<NaiveDate>,
    /// Text in the commitment, its condition or its evidence, in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn commitments(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<CommitmentQuery>,
) -> Result<Json<ListResponse<CommitmentView>>, ApiError> {
    let today = app.today();
    let filter = CommitmentFilter {
        status: p.status,
        overdue_on: p.overdue.unwrap_or(false).then_some(today),
        responsible_org_id: parse_param("responsible_org_id", &p.responsible_org_id)?,
        counterpart_org_id: parse_param("counterpart_org_id", &p.counterpart_org_id)?,
        responsible_person_id: parse_param("person_id", &p.person_id)?,
        engagement_id: parse_param("engagement_id", &p.engagement_id)?,
        due_before: p.due_before,
        due_from: p.due_from,
        q: text_query(&p.q)?,
    };
    let page = app
        .list_commitments(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |c| c.view(today))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Incidents on or after this date (`2025`, `2025-05`, `2025-05-21` or an instant).
    #[param(value_type = Option<DateBound>)]
    from: Option<String>,
    /// Incidents on or before this date.
    #[param(value_type = Option<DateBound>)]
    to: Option<String>,
    /// The viewport: `west,south,east,north` in degrees, e.g. `43.5,34.5,45.5,36.0`.
    #[param(
        pattern = r"^\s*([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*,\s*){3}[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
    )]
    bbox: Option<String>,
    /// Incident type, e.g. `ied`, `hit_and_run`.
    #[serde(rename = "type")]
    #[param(value_type = Option<hawkari_core::incident::IncidentType>)]
    incident_type: Option<String>,
    /// A governorate, district or sub-district P-code, e.g. `IQG13`.
    admin: Option<String>,
    /// With this organisation as an actor.
    #[param(value_type = Option<OrganisationId>)]
    organisation_id: Option<String>,
    /// Text in the narrative, place, sub-type or actor names, in any script.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

impl IncidentQuery {
    pub(crate) fn filter(&self) -> Result<IncidentFilter, ApiError> {
        let bbox = match &self.bbox {
            None => None,
            Some(b) => {
                let parts: Vec<f64> = b
                    .split(',')
                    .map(|p| p.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        ApiError::bad_param("bbox", "four numbers: west,south,east,north")
                    })?;
                let [w, s, e, n] = parts[..] else {
                    return Err(ApiError::bad_param(
                        "bbox",
                        "four numbers: west,south,east,north",
                    ));
                };
                if !(w <= e
                    && s <= n
                    && (-180.0..=180.0).contains(&w)
                    && (-180.0..=180.0).contains(&e)
                    && (-90.0..=90.0).contains(&s)
                    && (-90.0..=90.0).contains(&n))
                {
                    return Err(ApiError::bad_param(
                        "bbox",
                        "west ≤ east and south ≤ north, in degrees",
                    ));
                }
                Some([w, s, e, n])
            }
        };
        Ok(IncidentFilter {
            from: date_bound("from", &self.from, false)?,
            to: date_bound("to", &self.to, true)?,
            bbox,
            incident_type: parse_param("type", &self.incident_type)?,
            admin: self.admin.clone(),
            organisation_id: parse_param("organisation_id", &self.organisation_id)?,
            q: text_query(&self.q)?,
            sort: Default::default(),
        })
    }
}

pub async fn incidents(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<Json<ListResponse<Incident>>, ApiError> {
    let page = app
        .list_incidents(&principal, &p.filter()?, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}

/// The same list as an RFC 7946 FeatureCollection (one page; `next_cursor` as a member).
pub async fn incidents_geojson(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let page = app
        .list_incidents(&principal, &p.filter()?, &page(p.limit, &p.cursor)?)
        .await?;
    let features = page
        .items
        .iter()
        .map(hawkari_app::incident_export::geojson_feature)
        .collect();
    let mut r = Json(feature_collection(features, page.next)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/geo+json"),
    );
    Ok(r)
}

/// A page of features as a FeatureCollection, the next page's cursor as its `next_cursor`
/// member (RFC 7946 §6.1) when there is one.
fn feature_collection(
    features: Vec<geojson::Feature>,
    next: Option<hawkari_store::Cursor>,
) -> geojson::FeatureCollection {
    geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: next.map(|next| {
            let mut members = serde_json::Map::new();
            members.insert("next_cursor".into(), next.encode().into());
            members
        }),
    }
}

/// The zoom level of a map view, for [`incident_clusters`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ZoomQuery {
    /// The map's zoom level, 0 (the world in one 256-pixel tile) to 22; each cluster is
    /// a cell of 64 × 64 pixels at that zoom.
    #[param(minimum = 0, maximum = 22)]
    zoom: u8,
}

/// Every incident the list would find (the same filters; `limit` and `cursor` are not
/// used), counted per grid cell at a zoom level: a Point Feature per cell with `count`,
/// and `id`, `type` and `start` when the cell holds one incident; `total` is the sum of the counts.
pub async fn incident_clusters(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
    Query(z): Query<ZoomQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    if z.zoom > hawkari_app::clusters::MAX_ZOOM {
        return Err(ApiError::bad_param("zoom", "a zoom level from 0 to 22"));
    }
    let clusters = app
        .incident_clusters(&principal, &p.filter()?, z.zoom)
        .await?;
    let features: Vec<serde_json::Value> = clusters
        .clusters
        .iter()
        .map(|c| {
            let mut properties = serde_json::json!({"count": c.count});
            if let Some(one) = &c.single {
                properties["id"] = one.id.clone().into();
                properties["type"] = one.incident_type.clone().into();
                properties["start"] = one.start.clone().into();
            }
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                "properties": properties,
            })
        })
        .collect();
    let body = serde_json::json!({
        "type": "FeatureCollection",
        "features": features,
        "total": clusters.total,
        "zoom": z.zoom,
        "cell_px": hawkari_app::clusters::CELL_PX,
    });
    let mut r = Json(body).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/geo+json"),
    );
    Ok(r)
}

/// The same list as points only — id, type, start — for drawing many on a map: read from
/// the indexes, not the records, so a page of 500 costs little to find and to send.
pub async fn incident_points(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let page = app
        .list_incident_points(&principal, &p.filter()?, &page(p.limit, &p.cursor)?)
        .await?;
    let features = page
        .items
        .iter()
        .map(|i| {
            let mut properties = serde_json::Map::new();
            properties.insert("type".into(), i.incident_type.clone().into());
            properties.insert("start".into(), i.start.clone().into());
            geojson::Feature {
                bbox: None,
                geometry: Some(geojson::Geometry::new(geojson::Value::Point(vec![
                    i.lon, i.lat,
                ]))),
                id: Some(geojson::feature::Id::String(i.id.clone())),
                properties: Some(properties),
                foreign_members: None,
            }
        })
        .collect();
    let mut r = Json(feature_collection(features, page.next)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/geo+json"),
    );
    Ok(r)
}

/// Every incident the caller may see that matches, as CSV with an HXL hashtag row under
/// the header (for humanitarian tools), with governorate and district names; streamed a
/// page at a time.
pub async fn incidents_csv(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<axum::response::Response, ApiError> {
    let export = app.incident_export(
        &principal,
        &p.filter()?,
        hawkari_app::incident_export::ExportFormat::HxlCsv,
    )?;
    Ok(
        crate::download::streamed(export, "text/csv; charset=utf-8", "hawkari-incidents.csv")
            .await?,
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// responsibility, coordination_line or concern.
    kind: Option<hawkari_core::area::AreaKind>,
    /// Areas in force on this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "hawkari_core::time::opt_day::deserialize")]
    #[param(value_type = Option<String>, format = Date)]
    on: Option<NaiveDate>,
    #[param(value_type = Option<OrganisationId>)]
    organisation_id: Option<String>,
    /// Text in any name, in any script (at most 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<PageCursor>)]
    cursor: Option<String>,
}

pub async fn areas(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<AreaQuery>,
) -> Result<Json<ListResponse<hawkari_core::area::Area>>, ApiError> {
    let filter = hawkari_store::AreaFilter {
        kind: p.kind,
        in_force_on: p.on,
        organisation_id: parse_param("organisation_id", &p.organisation_id)?,
        q: text_query(&p.q)?,
    };
    let page = app
        .list_areas(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r| r)))
}
