//! The HTTP error: one enum, one status per variant, one JSON shape. Server faults are
//! logged with their whole cause chain and answered with a generic message and an error
//! id to quote; their internal text never reaches the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::AppError;
use hawkari_core::{FieldError, ValidationError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request: bad JSON, a bad query parameter, a bad header.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// Well-formed but invalid content; each error names its field.
    #[error("{0}")]
    Invalid(ValidationError),
    #[error("{0}")]
    NotFound(String),
    /// No valid session or token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in and allowed to see the record, but not to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// The record changed since the version the client sent.
    #[error("{0}")]
    VersionConflict(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("the request body is larger than this server accepts")]
    PayloadTooLarge,
    /// A part of the body over its own limit, named.
    #[error("{0}")]
    TooLarge(String),
    /// The body is not in the media type the endpoint reads (named).
    #[error("send the body as {0}")]
    UnsupportedMediaType(&'static str),
    #[error("this path does not take that method")]
    MethodNotAllowed,
    /// The client did not send the whole request body in time (`[server]
    /// body_read_timeout_secs`): a slow or stalled client, not a fault of the server.
    #[error("the request body did not arrive in time; send it again")]
    RequestTimeout,
    /// The server cannot answer now (database busy or unreachable, request timed out).
    /// The reason is logged, not sent.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid`, `not_found`, `version_conflict`.
    pub error: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// The fields at fault, for `invalid` and `bad_request`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For server faults: quote this id when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
}

impl ApiError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) | ApiError::VersionConflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge | ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::Invalid(_) => "invalid",
            ApiError::NotFound(_) => "not_found",
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::VersionConflict(_) => "version_conflict",
            ApiError::PreconditionRequired(_) => "version_required",
            ApiError::PayloadTooLarge | ApiError::TooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

/// Logs a server fault with its whole cause chain under a new error id, and returns the
/// id (what the client is told to quote; the cause is never sent).
pub(crate) fn log_fault(cause: &(dyn std::error::Error + 'static)) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let mut chain = cause.to_string();
    let mut source = cause.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error_id = %id, cause = %chain, "request failed");
    id
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(v) => ApiError::Invalid(v),
            e @ AppError::NotFound { .. } => ApiError::NotFound(e.to_string()),
            AppError::NoSuch(m) => ApiError::NotFound(m),
            AppError::Unauthenticated(m) => ApiError::Unauthenticated(m),
            AppError::Forbidden(m) => ApiError::Forbidden(m),
            AppError::VersionConflict { expected, current } => ApiError::VersionConflict(format!(
                "version conflict: you sent version {expected} but the record is now at version {current}; \
                 read it again and reapply your change"
            )),
            e @ AppError::VersionRequired => ApiError::PreconditionRequired(e.to_string()),
            AppError::Conflict(m) => ApiError::Conflict(m),
            AppError::Unavailable(m) => ApiError::Unavailable(m),
            AppError::Store(e) => ApiError::Internal(Box::new(e)),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Invalid(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let code = self.code();
        let mut error_id = None;
        let message = match &self {
            ApiError::Internal(cause) => {
                error_id = Some(log_fault(&**cause));
                "the server could not complete the request; the fault has been logged".to_owned()
            }
            ApiError::Unavailable(m) => {
                // The reason may carry database paths or driver text: log it, do not send it.
                let id = uuid::Uuid::now_v7().to_string();
                tracing::warn!(error_id = %id, reason = %m, "service unavailable");
                error_id = Some(id);
                "the service is busy or its database is unavailable; try again shortly".to_owned()
            }
            other => other.to_string(),
        };
        let fields = match self {
            ApiError::Invalid(v) => v.errors,
            ApiError::BadRequest {
                field: Some(field),
                message,
            } => vec![FieldError { field, message }],
            _ => vec![],
        };
        let body = ErrorBody {
            error: code,
            message,
            fields,
            error_id,
        };
        (status, axum::Json(body)).into_response()
    }
}

/// Gives every error response Hawkari's shape, whoever made it (a handler, an extractor's
/// rejection, routing, a timeout layer): under `/api/` the JSON error body, elsewhere an
/// HTML page in the reader's language. Responses that already have their shape (JSON on
/// the API, a rendered page on the web) pass unchanged; a bodiless or plain-text answer
/// is replaced, keeping its status (a plain-text rejection's words become the message).
pub(crate) async fn error_bodies(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let locale = crate::web::locale_of_headers(req.headers());
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let shaped = if api {
        content_type.starts_with("application/json")
    } else {
        content_type.starts_with("text/html")
    };
    let page = response
        .extensions()
        .get::<crate::web::ErrorPageKey>()
        .cloned();
    if shaped && page.is_none() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let said = if content_type.starts_with("text/plain") {
        axum::body::to_bytes(body, 4096)
            .await
            .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
            .ok()
            .filter(|t| !t.is_empty())
    } else {
        None
    };
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    if !api {
        let page = page.unwrap_or_else(|| {
            let mut p = crate::web::ErrorPageKey::of_status(status);
            p.detail.extend(said.filter(|_| status.is_client_error()));
            p
        });
        let html = crate::web::error_page(locale, page.key, &page.detail);
        let mut replaced = axum::response::Html(html).into_response();
        *replaced.status_mut() = status;
        for (name, value) in &parts.headers {
            replaced.headers_mut().insert(name, value.clone());
        }
        return replaced;
    }
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::REQUEST_TIMEOUT => ApiError::RequestTimeout,
        StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::Unavailable("the request took too long".into())
        }
        StatusCode::NOT_FOUND => ApiError::NotFound("no such path".into()),
        StatusCode::UNAUTHORIZED => ApiError::Unauthenticated("sign in first".into()),
        s if s.is_client_error() => ApiError::BadRequest {
            field: None,
            message: said
                .unwrap_or_else(|| s.canonical_reason().unwrap_or("bad request").to_owned()),
        },
        s => ApiError::Internal(format!("a layer answered {s}").into()),
    };
    let mut replaced = error.into_response();
    *replaced.status_mut() = status;
    for (name, value) in &parts.headers {
        replaced.headers_mut().insert(name, value.clone());
    }
    replaced
}
