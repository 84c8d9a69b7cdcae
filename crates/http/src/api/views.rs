//! Read models and actions beyond plain CRUD: a person's history, an organisation's
//! commitments both ways, commitment status changes, and the topic vocabulary.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hawkari_app::App;
use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::engagement::Engagement;
use hawkari_core::organisation::Organisation;
use hawkari_core::person::{Person, Position};
use hawkari_core::topic::Topic;
use hawkari_core::values::Text;
use hawkari_store::TopicWrite;
use serde::{Deserialize, Serialize};

use super::lists::{ListResponse, Paging};
use super::{CommitmentView, Resource};
use crate::error::ApiError;
use crate::extract::{Auth, IfMatch, JsonBody, Path, Query, ReadOnlyFields};

/// A position with its organisation's name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PositionView {
    #[serde(flatten)]
    pub position: Position,
    pub organisation_name: String,
}

/// A person's positions over time and the engagements they took part in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonHistoryView {
    pub person: Person,
    /// Oldest first.
    pub positions: Vec<PositionView>,
    /// Newest first, paged.
    pub engagements: ListResponse<Engagement>,
}

pub async fn person_history(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<PersonHistoryView>, ApiError> {
    let h = app
        .person_history(&principal, &id, &paging.request("")?)
        .await?;
    Ok(Json(PersonHistoryView {
        person: h.person,
        positions: h
            .positions
            .into_iter()
            .map(|p| PositionView {
                position: p.position,
                organisation_name: p.organisation_name,
            })
            .collect(),
        engagements: ListResponse::from_page(h.engagements, |e| e),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationCommitmentsQuery {
    status: Option<CommitmentStatus>,
    /// Page size of each side, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `owes.next_cursor` of the previous page.
    #[param(value_type = Option<super::lists::PageCursor>)]
    owes_cursor: Option<String>,
    /// `owed.next_cursor` of the previous page.
    #[param(value_type = Option<super::lists::PageCursor>)]
    owed_cursor: Option<String>,
}

/// What an organisation (and everything below it) owes, and what it is owed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationCommitmentsView {
    pub organisation: Organisation,
    pub owes: ListResponse<CommitmentView>,
    pub owed: ListResponse<CommitmentView>,
}

pub async fn organisation_commitments(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    Query(q): Query<OrganisationCommitmentsQuery>,
) -> Result<Json<OrganisationCommitmentsView>, ApiError> {
    let owes = Paging {
        limit: q.limit,
        cursor: q.owes_cursor,
    }
    .request("owes_")?;
    let owed = Paging {
        limit: q.limit,
        cursor: q.owed_cursor,
    }
    .request("owed_")?;
    let today = app.today();
    let v = app
        .organisation_commitments(&principal, &id, q.status, &owes, &owed)
        .await?;
    Ok(Json(OrganisationCommitmentsView {
        organisation: v.organisation,
        owes: ListResponse::from_page(v.owes, |c| c.view(today)),
        owed: ListResponse::from_page(v.owed, |c| c.view(today)),
    }))
}

/// A change of a commitment's status.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    pub status: CommitmentStatus,
    /// Why: e.g. the evidence that it was done, or why it was dropped.
    #[serde(default)]
    pub reason: Option<Text>,
}

impl ReadOnlyFields for StatusChangeRequest {}

pub async fn change_status(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    IfMatch(header): IfMatch,
    body: JsonBody<StatusChangeRequest>,
) -> Result<Json<CommitmentView>, ApiError> {
    let c: Commitment = app
        .change_commitment_status(
            &principal,
            &id,
            body.value.status,
            body.value.reason,
            header.or(body.version),
        )
        .await?;
    Ok(Json(c.view(app.today())))
}

impl ReadOnlyFields for Topic {}

pub async fn list_topics(
    State(app): State<App>,
    Auth(_principal): Auth,
) -> Result<Json<Vec<Topic>>, ApiError> {
    Ok(Json(app.list_topics().await?))
}

pub async fn read_topic(
    State(app): State<App>,
    Auth(_principal): Auth,
    Path(code): Path<String>,
) -> Result<Json<Topic>, ApiError> {
    Ok(Json(app.get_topic(&code).await?))
}

pub async fn create_topic(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<Topic>,
) -> Result<(StatusCode, Json<Topic>), ApiError> {
    let topic = app
        .put_topic(&principal, body.value, TopicWrite::Create)
        .await?;
    Ok((StatusCode::CREATED, Json(topic)))
}

pub async fn update_topic(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(code): Path<String>,
    body: JsonBody<Topic>,
) -> Result<Json<Topic>, ApiError> {
    if body.value.code.as_str() != code {
        return Err(ApiError::Invalid(hawkari_core::ValidationError::single(
            "code",
            "must match the code in the path",
        )));
    }
    Ok(Json(
        app.put_topic(&principal, body.value, TopicWrite::Update)
            .await?,
    ))
}

pub async fn delete_topic(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    let code = code.parse().map_err(|m| ApiError::bad_param("code", m))?;
    app.delete_topic(&principal, code).await?;
    Ok(StatusCode::NO_CONTENT)
}
