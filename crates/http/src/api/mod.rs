//! The JSON API under `/api/v1`: one generic set of create/read/update/delete handlers
//! for every record kind, list endpoints with filters and cursor pagination, and the
//! read models (person history, organisation commitments).

pub mod account;
pub mod calendar;
pub mod geography;
pub mod intake;
pub mod lists;
pub mod notices;
pub mod programmes;
pub mod tak;
pub mod views;

use axum::extract::State;
use axum::http::header::{ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use hawkari_app::{App, RecordKind};
use hawkari_core::area::{Area, AreaData};
use hawkari_core::commitment::{Commitment, CommitmentData, CommitmentStatus};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::incident::{Incident, IncidentData};
use hawkari_core::operation::{Operation, OperationData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::programme::{Programme, ProgrammeData};
use hawkari_core::record::{Kind, RecordData};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Auth, IfMatch, JsonBody, Path, Query, ReadOnlyFields};

pub use lists::ListResponse;

/// The path segment of a kind's collection.
pub fn collection(kind: Kind) -> &'static str {
    kind.plural()
}

/// A record kind as the API shows it.
pub trait Resource: RecordKind {
    /// What a read returns: the record, plus derived values for some kinds.
    type View: Serialize + Send;
    fn view(self, today: NaiveDate) -> Self::View;
}

macro_rules! plain_resource {
    ($($record:ident / $data:ident),*) => {$(
        impl Resource for $record {
            type View = $record;
            fn view(self, _: NaiveDate) -> $record {
                self
            }
        }
        impl ReadOnlyFields for $data {}
    )*};
}
plain_resource!(
    Organisation / OrganisationData,
    Person / PersonData,
    Place / PlaceData,
    Engagement / EngagementData
);

/// A commitment with its current status and whether it is overdue (derived on read).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommitmentView {
    #[serde(flatten)]
    pub commitment: Commitment,
    /// The latest status in the history.
    pub status: CommitmentStatus,
    /// Due date passed while still open or in progress.
    pub overdue: bool,
}

impl Resource for Commitment {
    type View = CommitmentView;
    fn view(self, today: NaiveDate) -> CommitmentView {
        CommitmentView {
            status: self.status(),
            overdue: self.is_overdue(today),
            commitment: self,
        }
    }
}

impl Resource for Incident {
    type View = Incident;
    fn view(self, _: NaiveDate) -> Incident {
        self
    }
}

impl Resource for Area {
    type View = Area;
    fn view(self, _: NaiveDate) -> Area {
        self
    }
}

impl ReadOnlyFields for AreaData {}

/// A programme with what is judged of it today (derived on read, never stored).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    #[serde(flatten)]
    pub programme: Programme,
    pub judged: hawkari_app::programmes::ProgrammeJudgement,
}

impl Resource for Programme {
    type View = ProgrammeView;
    fn view(self, today: NaiveDate) -> ProgrammeView {
        ProgrammeView {
            judged: hawkari_app::programmes::judge_programme(&self, today),
            programme: self,
        }
    }
}

impl ReadOnlyFields for ProgrammeData {
    const READ_ONLY: &'static [&'static str] = &["judged"];
}

/// An operation with its sites without a lead and its sites by status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OperationView {
    #[serde(flatten)]
    pub operation: Operation,
    pub judged: hawkari_app::programmes::OperationJudgement,
}

impl Resource for Operation {
    type View = OperationView;
    fn view(self, _: NaiveDate) -> OperationView {
        OperationView {
            judged: hawkari_app::programmes::judge_operation(&self),
            operation: self,
        }
    }
}

impl ReadOnlyFields for OperationData {
    const READ_ONLY: &'static [&'static str] = &["judged"];
}

impl ReadOnlyFields for IncidentData {
    const READ_ONLY: &'static [&'static str] = &["admin_units"];
}

impl ReadOnlyFields for CommitmentData {
    const READ_ONLY: &'static [&'static str] = &["status", "overdue", "status_history"];
}

/// A record as the API returns it, with its version as the `ETag` (and, when created,
/// its address as `Location`).
fn respond<R: Resource>(app: &App, status: StatusCode, record: R, created: bool) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", record.meta().version)) {
        headers.insert(ETAG, v);
    }
    if created {
        let location = format!("/api/v1/{}/{}", collection(R::Data::KIND), record.id_str());
        if let Ok(v) = HeaderValue::from_str(&location) {
            headers.insert(LOCATION, v);
        }
    }
    (status, headers, Json(record.view(app.today()))).into_response()
}

async fn read<R: Resource>(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record: R = app.get(&principal, &id).await?;
    Ok(respond(&app, StatusCode::OK, record, false))
}

async fn create<R: Resource>(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<R::Data>,
) -> Result<Response, ApiError>
where
    R::Data: ReadOnlyFields,
{
    let record: R = app.create(&principal, body.id, body.value).await?;
    Ok(respond(&app, StatusCode::CREATED, record, true))
}

async fn update<R: Resource>(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    IfMatch(header): IfMatch,
    body: JsonBody<R::Data>,
) -> Result<Response, ApiError>
where
    R::Data: ReadOnlyFields,
{
    let record: R = app
        .update(&principal, &id, body.value, header.or(body.version))
        .await?;
    Ok(respond(&app, StatusCode::OK, record, false))
}

#[derive(Debug, Deserialize)]
struct DeleteParams {
    version: Option<i64>,
}

async fn delete<R: Resource>(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    IfMatch(header): IfMatch,
    Query(params): Query<DeleteParams>,
) -> Result<StatusCode, ApiError> {
    app.delete::<R>(&principal, &id, header.or(params.version))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes of one record kind: list and create on the collection, read, update and
/// delete on each record.
fn kind_routes<R: Resource>(list: axum::routing::MethodRouter<App>) -> Router<App>
where
    R::Data: ReadOnlyFields,
{
    let base = format!("/api/v1/{}", collection(R::Data::KIND));
    Router::new().route(&base, list.post(create::<R>)).route(
        &format!("{base}/{{id}}"),
        get(read::<R>).put(update::<R>).delete(delete::<R>),
    )
}

pub fn routes() -> Router<App> {
    Router::new()
        .merge(kind_routes::<Organisation>(get(lists::organisations)))
        .merge(kind_routes::<Person>(get(lists::people)))
        .merge(kind_routes::<Place>(get(lists::places)))
        .merge(kind_routes::<Engagement>(get(lists::engagements)))
        .merge(kind_routes::<Commitment>(get(lists::commitments)))
        .merge(kind_routes::<Incident>(get(lists::incidents)))
        .route("/api/v1/incidents.geojson", get(lists::incidents_geojson))
        .route("/api/v1/incidents.cot", get(tak::incidents_cot))
        .route("/api/v1/tak/package.zip", get(tak::package))
        .route("/api/v1/calendar.ics", get(calendar::my_calendar))
        .route(
            "/api/v1/calendar/feeds",
            get(calendar::list_feeds).post(calendar::create_feed),
        )
        .route(
            "/api/v1/calendar/feeds/{id}",
            axum::routing::delete(calendar::revoke_feed),
        )
        .route(
            "/api/v1/calendar/secret/{file}",
            get(calendar::feed_by_secret),
        )
        .route(
            "/api/v1/engagements/{id}/calendar.ics",
            get(calendar::engagement_ics),
        )
        .route("/api/v1/incidents.csv", get(lists::incidents_csv))
        .route("/api/v1/incident-points", get(lists::incident_points))
        .route("/api/v1/incident-clusters", get(lists::incident_clusters))
        .merge(kind_routes::<Area>(get(lists::areas)))
        .route("/api/v1/coverage", get(geography::coverage))
        .merge(kind_routes::<Programme>(get(programmes::programmes)))
        .merge(kind_routes::<Operation>(get(programmes::operations)))
        .route(
            "/api/v1/operations/{id}/sites.csv",
            axum::routing::post(programmes::import_sites),
        )
        .route(
            "/api/v1/operations/{id}/sites/{key}/reports",
            axum::routing::post(programmes::report_site),
        )
        .route("/api/v1/people/{id}/history", get(views::person_history))
        .route(
            "/api/v1/organisations/{id}/commitments",
            get(views::organisation_commitments),
        )
        .route(
            "/api/v1/commitments/{id}/status",
            axum::routing::post(views::change_status),
        )
        .route(
            "/api/v1/topics",
            get(views::list_topics).post(views::create_topic),
        )
        .route(
            "/api/v1/topics/{code}",
            get(views::read_topic)
                .put(views::update_topic)
                .delete(views::delete_topic),
        )
        .route(
            "/api/v1/intake",
            axum::routing::post(intake::intake)
                .layer(axum::extract::DefaultBodyLimit::max(intake::BODY_LIMIT)),
        )
        .route("/api/v1/gazetteer", get(geography::lookup))
        .route("/api/v1/gazetteer/locate", get(geography::locate))
        .route("/api/v1/gazetteer/places", get(geography::places))
        .route("/api/v1/gazetteer/{pcode}", get(geography::unit))
        .route("/api/v1/boundaries/{level}", get(geography::layer))
        .route("/api/v1/auth/login", axum::routing::post(account::login))
        .route("/api/v1/auth/logout", axum::routing::post(account::logout))
        .route("/api/v1/auth/me", get(account::me))
        .route(
            "/api/v1/tokens",
            get(account::list_tokens).post(account::create_token),
        )
        .route(
            "/api/v1/tokens/{id}",
            axum::routing::delete(account::revoke_token),
        )
        .route(
            "/api/v1/users",
            get(account::list_users).post(account::create_user),
        )
        .route(
            "/api/v1/users/{id}",
            axum::routing::patch(account::update_user),
        )
        .route(
            "/api/v1/users/{id}/password",
            axum::routing::put(account::set_user_password),
        )
        .route("/api/v1/audit", get(account::organisation_audit))
        .route("/api/v1/{collection}/{id}/changes", get(account::changes))
        .route(
            "/api/v1/{collection}/{id}/comments",
            get(account::comments).post(account::add_comment),
        )
        .route(
            "/api/v1/follows",
            get(notices::list_follows).post(notices::create_follow),
        )
        .route(
            "/api/v1/follows/{id}",
            axum::routing::delete(notices::delete_follow),
        )
        .route("/api/v1/notices", get(notices::list_notices))
        .route(
            "/api/v1/notices/read",
            axum::routing::post(notices::mark_all_read),
        )
        .route(
            "/api/v1/notices/{id}/read",
            axum::routing::post(notices::mark_notice_read),
        )
        .route(
            "/api/v1/account/notifications",
            get(notices::notice_settings).put(notices::set_notice_settings),
        )
        .route(
            "/api/v1/openapi.json",
            get(|| async { Json(crate::openapi_document()) }),
        )
}
