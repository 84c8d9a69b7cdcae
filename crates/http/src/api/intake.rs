//! `POST /api/v1/intake`: a report's text in, draft records out, matched against what the
//! caller may read. Nothing is written; the caller creates the records it confirms.

use axum::Json;
use axum::extract::State;
use hawkari_app::App;
use hawkari_app::intake::{IntakeRequest, IntakeResult};
use hawkari_core::intake::MAX_TEXT_BYTES;

use crate::error::ApiError;
use crate::extract::{Auth, JsonBody, ReadOnlyFields};

impl ReadOnlyFields for IntakeRequest {}

/// The body limit of the route: the text's limit and room for the JSON around it, so that
/// a text just over the limit is answered naming it.
pub const BODY_LIMIT: usize = MAX_TEXT_BYTES + 1024 * 1024;

pub async fn intake(
    State(app): State<App>,
    Auth(principal): Auth,
    body: JsonBody<IntakeRequest>,
) -> Result<Json<IntakeResult>, ApiError> {
    let len = body.value.text.len();
    if len > MAX_TEXT_BYTES {
        return Err(ApiError::TooLarge(format!(
            "text: the report is {len} bytes; intake reads at most {MAX_TEXT_BYTES} bytes (5 MB)"
        )));
    }
    Ok(Json(app.intake(&principal, &body.value).await?))
}
