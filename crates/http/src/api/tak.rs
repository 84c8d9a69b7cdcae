//! TAK: incidents as Cursor-on-Target XML (`/api/v1/incidents.cot`, the incident list's
//! filters) and a TAK data package of incidents, areas and operation sites
//! (`/api/v1/tak/package.zip`); see `hawkari_app::cot` for the mapping.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;

use crate::api::lists::IncidentQuery;
use crate::error::ApiError;
use crate::extract::{Auth, Query};

fn with_type(
    body: impl IntoResponse,
    content_type: &'static str,
    disposition: &'static str,
) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

/// `GET /api/v1/incidents.cot`: every matching incident released to the reader.
pub async fn incidents_cot(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<Response, ApiError> {
    let body = app.incidents_cot(&principal, &p.filter()?).await?;
    Ok(with_type(
        body,
        "application/xml; charset=utf-8",
        "inline; filename=\"hawkari-incidents.cot\"",
    ))
}

/// `GET /api/v1/tak/package.zip`: a TAK data package of the matching incidents and every
/// area and operation site released to the reader.
pub async fn package(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(p): Query<IncidentQuery>,
) -> Result<Response, ApiError> {
    let events = app.tak_package_events(&principal, &p.filter()?).await?;
    let zip = hawkari_app::tak_package::package(
        "Hawkari",
        &hawkari_core::ids::mint(),
        &events,
        app.now(),
    );
    Ok(with_type(
        zip,
        "application/zip",
        "attachment; filename=\"hawkari-tak.zip\"",
    ))
}
