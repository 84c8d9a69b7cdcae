//! Calendar feeds (RFC 5545): the signed-in user's calendar, the same at a secret address
//! for calendar clients that cannot sign in (made, listed and revoked here; the secret is
//! stored only as a digest, as API tokens' are), and one engagement's `.ics`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_store::{ApiToken, TokenScope};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Auth, JsonBody, Path, ReadOnlyFields};

/// An iCalendar body, private to the reader (a proxy must not keep one user's calendar for
/// another).
fn ics(body: String, filename: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `GET /api/v1/calendar.ics`: the signed-in user's calendar.
pub async fn my_calendar(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Response, ApiError> {
    Ok(ics(app.calendar(&principal).await?, "hawkari.ics"))
}

/// `GET /api/v1/engagements/{id}/calendar.ics`: one engagement.
pub async fn engagement_ics(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = app.engagement_calendar(&principal, &id).await?;
    Ok(ics(body, "engagement.ics"))
}

/// `GET /api/v1/calendar/secret/{secret}.ics`: a feed by its secret address; 404 when the
/// secret is unknown or revoked (or its user disabled).
pub async fn feed_by_secret(
    State(app): State<App>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let secret = file.strip_suffix(".ics").unwrap_or(&file);
    let principal = app.calendar_feed_principal(secret).await?;
    Ok(ics(app.calendar(&principal).await?, "hawkari.ics"))
}

/// A new calendar feed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    /// What the feed is for (e.g. the phone's calendar): 1 to 100 characters, not blank.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
}
impl ReadOnlyFields for FeedRequest {}

/// A calendar feed: its id and name, and (once, at creation) its secret address.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarFeed {
    pub id: String,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The feed's address, relative to the server (`/api/v1/calendar/secret/….ics`):
    /// shown once, at creation; it is not stored and cannot be shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl CalendarFeed {
    fn of(t: ApiToken, secret: Option<String>) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            revoked_at: t.revoked_at,
            path: secret.map(|s| feed_path(&s)),
        }
    }
}

/// The address of a feed with this secret.
pub fn feed_path(secret: &str) -> String {
    format!("/api/v1/calendar/secret/{secret}.ics")
}

pub async fn create_feed(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<FeedRequest>,
) -> Result<(StatusCode, Json<CalendarFeed>), ApiError> {
    let (token, secret) = app
        .create_token(&principal, &body.value.name, TokenScope::Calendar)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarFeed::of(token, Some(secret.0))),
    ))
}

pub async fn list_feeds(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Json<Vec<CalendarFeed>>, ApiError> {
    let feeds = app.list_calendar_feeds(&principal).await?;
    Ok(Json(
        feeds
            .into_iter()
            .map(|t| CalendarFeed::of(t, None))
            .collect(),
    ))
}

pub async fn revoke_feed(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.revoke_calendar_feed(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
