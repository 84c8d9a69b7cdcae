//! Request extractors that report errors the Hawkari way: the field or parameter at
//! fault is named, and a version to update can come from `If-Match` or the body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{CONTENT_TYPE, IF_MATCH};
use axum::http::request::Parts;
use hawkari_core::meta::SERVER_FIELDS;
use hawkari_core::record::from_json_value;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

/// Names of the fields a read returns that a write ignores (ids, meta, derived values),
/// so that a client may send back what it read with its changes.
pub trait ReadOnlyFields {
    const READ_ONLY: &'static [&'static str] = &[];
}

/// A JSON body parsed into `T`, with the `id` and `version` fields (if any) taken out.
#[derive(Debug)]
pub struct JsonBody<T> {
    pub value: T,
    /// An id the client chose (honoured on create only).
    pub id: Option<String>,
    pub version: Option<i64>,
}

impl<S: Send + Sync, T: DeserializeOwned + ReadOnlyFields> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !has_media_type(req.headers(), "application/json") {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest {
                    field: None,
                    message: r.body_text(),
                }
            }
        })?;
        let mut value: Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest {
                field: None,
                message: format!("the body is not valid JSON: {e}"),
            })?;
        let mut version = None;
        let mut id = None;
        if let Value::Object(map) = &mut value {
            if let Some(v) = map.remove("id") {
                id = Some(
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| ApiError::bad_param("id", "must be a string"))?,
                );
            }
            if let Some(v) = map.remove("version") {
                version = Some(
                    v.as_i64()
                        .ok_or_else(|| ApiError::bad_param("version", "must be a whole number"))?,
                );
            }
            for key in SERVER_FIELDS.iter().chain(T::READ_ONLY) {
                map.remove(*key);
            }
        }
        let value = from_json_value(value, "")?;
        Ok(Self { value, id, version })
    }
}

/// Whether the request's `Content-Type` is `media_type` (parameters such as `charset`
/// aside).
pub fn has_media_type(headers: &axum::http::HeaderMap, media_type: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(media_type))
}

/// The version named by an `If-Match` header (`"3"`, `W/"3"` or `3`), if one was sent.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(raw) = parts.headers.get(IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = raw.to_str().unwrap_or_default().trim();
        // Exactly the three forms above (the OpenAPI document's pattern), nothing looser.
        let tag = text.strip_prefix("W/").unwrap_or(text);
        let bare = tag
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(tag);
        bare.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| bare.parse().ok())
            .flatten()
            .map(|v| Self(Some(v)))
            .ok_or_else(|| {
                ApiError::bad_param(
                    "If-Match",
                    format!("`{text}` is not a record version such as \"3\""),
                )
            })
    }
}

/// Query parameters parsed into `T`, naming the parameter at fault.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let mut field = e.path().to_string();
                let raw = e.into_inner().to_string();
                // A required parameter left out is named by serde only in its message.
                if let Some(name) = raw
                    .strip_prefix("missing field `")
                    .and_then(|r| r.strip_suffix('`'))
                    .filter(|_| field == ".")
                {
                    field = name.to_owned();
                }
                let message = plain_words(&raw);
                let value = form_urlencoded_parse(query)
                    .find(|(k, _)| *k == field)
                    .map(|(_, v)| v.into_owned());
                ApiError::BadRequest {
                    message: match value {
                        Some(v) if !message.contains('`') => format!("`{v}` {message}"),
                        _ => message.clone(),
                    },
                    field: Some(field),
                }
            })
    }
}

/// Path parameters parsed into `T`; a value that does not parse is a 400 naming the
/// parameter and what it takes, in the API's JSON (web pages get their HTML page from
/// `error::error_bodies`).
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(match e.into_kind() {
                ErrorKind::ParseErrorAtKey {
                    key,
                    value,
                    expected_type,
                } => ApiError::bad_param(&key, format!("`{value}` is not {}", what(expected_type))),
                ErrorKind::ParseErrorAtIndex {
                    index,
                    value,
                    expected_type,
                } => ApiError::bad_param(
                    &format!("path segment {}", index + 1),
                    format!("`{value}` is not {}", what(expected_type)),
                ),
                ErrorKind::InvalidUtf8InPathParam { key } => {
                    ApiError::bad_param(&key, "is not valid UTF-8 text")
                }
                other => ApiError::BadRequest {
                    field: None,
                    message: format!("the address does not fit this endpoint: {other}"),
                },
            }),
            Err(other) => Err(ApiError::BadRequest {
                field: None,
                message: other.body_text(),
            }),
        }
    }
}

/// What a Rust type name means to a person.
fn what(type_name: &str) -> &'static str {
    let short = type_name.rsplit("::").next().unwrap_or(type_name);
    match short {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number 0 or more within range",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number within range",
        "f32" | "f64" => "a number",
        "bool" => "true or false",
        _ => "a valid value here",
    }
}

/// Serde's words for a query parameter that does not parse, said for a person.
fn plain_words(message: &str) -> String {
    match message {
        "invalid digit found in string" | "cannot parse integer from empty string" => {
            "must be a whole number 0 or more".into()
        }
        "number too large to fit in target type" | "number too small to fit in target type" => {
            "is out of range".into()
        }
        "invalid float literal" => "must be a number".into(),
        "provided string was not `true` or `false`" => "must be true or false".into(),
        other => other.to_owned(),
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hawkari_session";
/// The header a cookie-authenticated state-changing request must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in principal: from `Authorization: Bearer <API token>`, or from the session
/// cookie — in which case a state-changing request must also echo the session's CSRF
/// token in `X-CSRF-Token` (a cross-site form cannot read it, so cannot send it).
#[derive(Debug, Clone)]
pub struct Auth(pub hawkari_app::Principal);

/// The value of cookie `name`, if the request carries it.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

/// The session cookie's secret, if the request carries one.
pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

impl FromRequestParts<hawkari_app::App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &hawkari_app::App,
    ) -> Result<Self, ApiError> {
        if let Some(auth) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    ApiError::Unauthenticated("send `Authorization: Bearer <API token>`".into())
                })?;
            let principal = app.authenticate_token(token.trim()).await?;
            // A read-scope token reads: any request that may change something is refused
            // here, whatever the endpoint, before it reaches a use case.
            if !parts.method.is_safe() && !principal.may_write() {
                return Err(ApiError::Forbidden("this API token may only read".into()));
            }
            return Ok(Auth(principal));
        }
        let Some(secret) = session_cookie(&parts.headers) else {
            return Err(ApiError::Unauthenticated(
                "sign in first (POST /api/v1/auth/login) or send an API token".into(),
            ));
        };
        let (principal, csrf) = app.authenticate_session(&secret).await?;
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::Forbidden(
                    "missing or wrong CSRF token: send the session's csrf_token in X-CSRF-Token"
                        .into(),
                ));
            }
        }
        Ok(Auth(principal))
    }
}

/// Compares secrets without leaking, through timing, where they first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
