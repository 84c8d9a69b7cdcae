//! Programmes (reform and transition plans) and joint operations with their sites: lists
//! with what is judged of each, and importing an operation's sites from CSV.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use hawkari_app::App;
use hawkari_app::programmes::SiteImportReport;
use hawkari_core::operation::Operation;
use hawkari_core::programme::{Programme, ProgrammeKind};
use serde::Deserialize;

use super::lists::{ListResponse, page, text_query};
use super::{OperationView, ProgrammeView, Resource};
use crate::error::ApiError;
use crate::extract::{Auth, Path, Query};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeQuery {
    /// reform, transition or other.
    kind: Option<ProgrammeKind>,
    /// Text in any name or the summary, in any script (at most 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<super::lists::PageCursor>)]
    cursor: Option<String>,
}

/// Programmes the caller may see, each with its judgement (trends, conditions, overdue
/// milestones, capabilities at risk) as of today.
pub async fn programmes(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<ProgrammeQuery>,
) -> Result<Json<ListResponse<ProgrammeView>>, ApiError> {
    let filter = hawkari_store::ProgrammeFilter {
        kind: p.kind,
        q: text_query(&p.q)?,
    };
    let today = app.today();
    let page = app
        .list_programmes(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r: Programme| {
        r.view(today)
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OperationQuery {
    /// Operations under way on this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "hawkari_core::time::opt_day::deserialize")]
    #[param(value_type = Option<String>, format = Date)]
    on: Option<NaiveDate>,
    /// Text in any name or the summary, in any script (at most 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<super::lists::PageCursor>)]
    cursor: Option<String>,
}

/// Operations the caller may see, newest first, each with its sites without a lead.
pub async fn operations(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<OperationQuery>,
) -> Result<Json<ListResponse<OperationView>>, ApiError> {
    let filter = hawkari_store::OperationFilter {
        on: p.on,
        q: text_query(&p.q)?,
    };
    let today = app.today();
    let page = app
        .list_operations(&principal, &filter, &page(p.limit, &p.cursor)?)
        .await?;
    Ok(Json(ListResponse::from_page(page, |r: Operation| {
        r.view(today)
    })))
}

/// Adds or updates an operation's sites from a CSV body (columns: key, name_en, name_ar,
/// name_ckb, kind, latitude, longitude, lead_org_id, supporting_org_ids (`;`-separated),
/// liaison_org_id, liaison_role). Bad rows are reported by line and column; the good rows
/// are written in one update of the operation.
pub async fn import_sites(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<SiteImportReport>, ApiError> {
    // As the JSON endpoints refuse what is not JSON: a body sent as something else (a
    // form, JSON) is not read as CSV and half imported.
    if !crate::extract::has_media_type(&headers, "text/csv") {
        return Err(ApiError::UnsupportedMediaType("text/csv"));
    }
    Ok(Json(
        app.import_sites(&principal, &id, body.as_ref()).await?,
    ))
}

impl crate::extract::ReadOnlyFields for SiteReportRequest {}

/// A site's new status, with an optional note.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteReportRequest {
    pub status: hawkari_core::operation::SiteStatus,
    #[serde(default)]
    pub note: Option<hawkari_core::values::Text>,
}

/// Adds a status report to a site (the owner's editors, or a partner's as theirs).
pub async fn report_site(
    State(app): State<App>,
    Auth(principal): Auth,
    Path((id, key)): Path<(String, String)>,
    body: crate::extract::JsonBody<SiteReportRequest>,
) -> Result<Json<OperationView>, ApiError> {
    let r = body.value;
    let op = app
        .report_site(&principal, &id, &key, r.status, r.note)
        .await?;
    Ok(Json(op.view(app.today())))
}
