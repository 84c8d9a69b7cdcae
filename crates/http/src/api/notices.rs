//! Following, notices and notice settings over the API: what the caller follows, their
//! notices (each said in the caller's notice language, only about records released to
//! them now), marking them read, and how they are mailed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use hawkari_app::App;
use hawkari_store::{Follow, FollowTarget, NoticeEvent, NoticeSettings};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Auth, JsonBody, Path, Query, ReadOnlyFields};
use crate::web::i18n::{Locale, Tr};
use crate::web::notices::{notice_text, record_title};

/// Something to follow: a record (`record_id`), or the caller's organisation's
/// commitments (`owed_by`, `owed_to`, without `record_id`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowRequest {
    pub target: FollowTarget,
    #[serde(default)]
    pub record_id: Option<String>,
}
impl ReadOnlyFields for FollowRequest {}

pub async fn list_follows(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Json<Vec<Follow>>, ApiError> {
    Ok(Json(app.follows(&principal).await?))
}

pub async fn create_follow(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<FollowRequest>,
) -> Result<(StatusCode, Json<Follow>), ApiError> {
    let f = body.value;
    let follow = app
        .follow(&principal, f.target, f.record_id.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(follow)))
}

pub async fn delete_follow(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.unfollow(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A notice, said in the caller's notice language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: String,
    pub event: NoticeEvent,
    /// The record's collection (`commitments`, `engagements`, `operations`, `programmes`).
    pub collection: String,
    pub record_id: String,
    /// The record's title, as it is now.
    pub title: String,
    /// What happened, in the caller's notice language.
    pub message: String,
    pub at: DateTime<Utc>,
    pub read: bool,
}

/// The caller's notices, newest first, and how many are unread.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeList {
    pub unread: usize,
    pub notices: Vec<NoticeView>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    /// Only unread notices.
    pub unread: Option<bool>,
    /// At most this many (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

pub async fn list_notices(
    State(app): State<App>,
    Auth(principal): Auth,
    Query(q): Query<NoticeQuery>,
) -> Result<Json<NoticeList>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_param("limit", "must be between 1 and 500"));
    }
    let settings = app.notice_settings(&principal).await?;
    let tr = Tr {
        locale: Locale::from_code(&settings.language).unwrap_or(Locale::En),
    };
    let shown = app
        .notices_for(&principal, q.unread.unwrap_or(false), limit)
        .await?;
    let notices = shown
        .iter()
        .map(|n| NoticeView {
            id: n.notice.id.clone(),
            event: n.notice.event,
            collection: n.notice.kind.plural().to_owned(),
            record_id: n.notice.record_id.clone(),
            title: record_title(&tr, &n.record),
            message: notice_text(&tr, n),
            at: n.notice.at,
            read: n.notice.read_at.is_some(),
        })
        .collect();
    Ok(Json(NoticeList {
        unread: app.unread_notices(&principal).await?,
        notices,
    }))
}

pub async fn mark_notice_read(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.mark_notice_read(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn mark_all_read(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<StatusCode, ApiError> {
    app.mark_all_notices_read(&principal).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the caller's notices are mailed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeSettingsRequest {
    /// Where notices are mailed; needed for `immediate` or `digest`.
    #[serde(default)]
    pub email: Option<String>,
    /// `en`, `ar` or `ckb`.
    #[schema(pattern = "^(en|ar|ckb)$")]
    pub language: String,
    /// Each notice mailed as it is made.
    pub immediate: bool,
    /// One mail a day with the day's notices.
    pub digest: bool,
}
impl ReadOnlyFields for NoticeSettingsRequest {}

pub async fn notice_settings(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Json<NoticeSettings>, ApiError> {
    Ok(Json(app.notice_settings(&principal).await?))
}

pub async fn set_notice_settings(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<NoticeSettingsRequest>,
) -> Result<Json<NoticeSettings>, ApiError> {
    let r = body.value;
    let settings = NoticeSettings {
        email: r.email,
        language: r.language,
        immediate: r.immediate,
        digest: r.digest,
        last_digest_at: None,
    };
    Ok(Json(app.set_notice_settings(&principal, settings).await?))
}
