//! Signing in and out, API tokens, accounts, and a record's change history.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hawkari_app::App;
use hawkari_core::access::{Comment, Role, User};
use hawkari_core::record::Kind;
use hawkari_store::{ApiToken, AuditEntry, TokenScope};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Auth, JsonBody, Path, ReadOnlyFields, SESSION_COOKIE, session_cookie};

/// A sign-in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}
impl ReadOnlyFields for LoginRequest {}

/// Who is signed in, and the token state-changing requests must echo in `X-CSRF-Token`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

fn cookie(value: &str, max_age: i64) -> HeaderValue {
    // Secure: only over HTTPS (Hawkari's own, or a TLS-terminating proxy's) and to
    // http://localhost, which browsers count as secure; SameSite=Strict: never on
    // cross-site requests; HttpOnly: no script can read it.
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .expect("a valid header value")
}

pub async fn login(
    State(app): State<App>,
    body: JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let session = app
        .login(&body.value.username, &body.value.password)
        .await?;
    let max_age = (session.expires_at - app.now()).num_seconds();
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie(&session.secret.0, max_age));
    let view = SessionView {
        user: session.user,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    };
    Ok((StatusCode::OK, headers, Json(view)).into_response())
}

pub async fn logout(
    State(app): State<App>,
    Auth(principal): Auth,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(secret) = session_cookie(&headers) {
        app.logout(&principal, &secret).await?;
    }
    let mut out = HeaderMap::new();
    out.insert(SET_COOKIE, cookie("", 0));
    Ok((StatusCode::NO_CONTENT, out).into_response())
}

pub async fn me(Auth(principal): Auth) -> Result<Json<User>, ApiError> {
    principal
        .user
        .map(Json)
        .ok_or_else(|| ApiError::Unauthenticated("no user".into()))
}

/// A new API token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for: 1 to 100 characters, not blank.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub scope: ApiTokenScope,
}
impl ReadOnlyFields for TokenRequest {}

/// What a new API token may do (calendar feeds are made at `/api/v1/calendar/feeds`).
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiTokenScope {
    /// Reads only.
    Read,
    /// Reads and writes, within the user's role.
    Write,
}

impl From<ApiTokenScope> for TokenScope {
    fn from(s: ApiTokenScope) -> Self {
        match s {
            ApiTokenScope::Read => TokenScope::Read,
            ApiTokenScope::Write => TokenScope::Write,
        }
    }
}

/// A token and its secret, shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    #[serde(flatten)]
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`; it is not stored and cannot be shown again.
    pub secret: String,
}

pub async fn create_token(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<TokenRequest>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let (token, secret) = app
        .create_token(&principal, &body.value.name, body.value.scope.into())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            token,
            secret: secret.0,
        }),
    ))
}

pub async fn list_tokens(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(app.list_tokens(&principal).await?))
}

pub async fn revoke_token(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.revoke_token(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRequest {
    /// 3 to 64 characters: lower-case letters, digits, `.`, `-` or `_`.
    #[schema(pattern = "^[a-z0-9._-]{3,64}$")]
    pub username: String,
    #[schema(value_type = hawkari_core::ids::OrganisationId)]
    pub organisation_id: String,
    pub role: Role,
    /// At least 12 characters (`hawkari_app::auth::MIN_PASSWORD_CHARS`).
    #[schema(min_length = 12)]
    pub password: String,
}
impl ReadOnlyFields for UserRequest {}

pub async fn create_user(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<UserRequest>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let r = body.value;
    let org = r.organisation_id.parse().map_err(|m| {
        ApiError::Invalid(hawkari_core::ValidationError::single("organisation_id", m))
    })?;
    Ok((
        StatusCode::CREATED,
        Json(
            app.create_user(&principal, &r.username, &org, r.role, &r.password)
                .await?,
        ),
    ))
}

/// The accounts the caller administers: their organisation's (organisation
/// administrators) or all (system administrators).
pub async fn list_users(
    State(app): State<App>,
    Auth(principal): Auth,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(app.list_accounts(&principal).await?))
}

/// A change to an account: its role, or whether it is disabled.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}
impl ReadOnlyFields for UserChange {}

pub async fn update_user(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    body: JsonBody<UserChange>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(
        app.update_account(&principal, &id, body.value.role, body.value.disabled)
            .await?,
    ))
}

/// A new password set by an administrator.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// At least 12 characters (`hawkari_app::auth::MIN_PASSWORD_CHARS`).
    #[schema(min_length = 12)]
    pub password: String,
}
impl ReadOnlyFields for PasswordChange {}

pub async fn set_user_password(
    State(app): State<App>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    body: JsonBody<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    app.set_account_password(&principal, &id, &body.value.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The kinds whose records have comments and a change history under
/// `/api/v1/{collection}/{id}/…` (the OpenAPI document lists the same).
pub(crate) const HISTORY_KINDS: [Kind; 5] = [
    Kind::Organisation,
    Kind::Person,
    Kind::Place,
    Kind::Engagement,
    Kind::Commitment,
];

fn record_kind(collection: &str) -> Result<Kind, ApiError> {
    HISTORY_KINDS
        .into_iter()
        .find(|k| k.plural() == collection)
        .ok_or_else(|| ApiError::NotFound("no such path".into()))
}

/// A comment to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    pub text: hawkari_core::values::Text,
}
impl ReadOnlyFields for CommentRequest {}

pub async fn add_comment(
    State(app): State<App>,
    Auth(principal): Auth,
    Path((collection, id)): Path<(String, String)>,
    body: JsonBody<CommentRequest>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let kind = record_kind(&collection)?;
    Ok((
        StatusCode::CREATED,
        Json(
            app.add_comment(&principal, kind, &id, body.value.text)
                .await?,
        ),
    ))
}

pub async fn comments(
    State(app): State<App>,
    Auth(principal): Auth,
    Path((collection, id)): Path<(String, String)>,
) -> Result<Json<Vec<Comment>>, ApiError> {
    Ok(Json(
        app.comments(&principal, record_kind(&collection)?, &id)
            .await?,
    ))
}

/// Which page of an organisation's audit trail.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries before this sequence number (the `seq` of the last entry of the previous page).
    pub before: Option<i64>,
    /// At most this many (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The audit trail of the caller's organisation, newest first: what its users did and
/// what others did that concerns it. For organisation and system administrators.
pub async fn organisation_audit(
    State(app): State<App>,
    Auth(principal): Auth,
    crate::extract::Query(q): crate::extract::Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    // Refused, not clamped: as every list's `limit`, and as the OpenAPI document says.
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_param("limit", "must be between 1 and 500"));
    }
    Ok(Json(
        app.organisation_audit(&principal, q.before, limit).await?,
    ))
}

/// The change history of any record the caller may see.
pub async fn changes(
    State(app): State<App>,
    Auth(principal): Auth,
    Path((collection, id)): Path<(String, String)>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let kind = record_kind(&collection)?;
    Ok(Json(app.record_changes(&principal, kind, &id).await?))
}
