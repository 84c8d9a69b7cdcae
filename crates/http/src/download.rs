//! Downloads streamed as they are written: the response starts with an export's first
//! page (so that a refused or failed read still answers with its error status) and the
//! rest follows a page at a time, so a download of a million rows holds one page in the
//! server's memory, never the file.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use futures_util::{StreamExt, TryStreamExt, stream};
use hawkari_app::AppError;
use hawkari_app::incident_export::IncidentExport;

/// `export` as a response of `content_type`, saved as `file_name`.
pub(crate) async fn streamed(
    mut export: IncidentExport,
    content_type: &'static str,
    file_name: &'static str,
) -> Result<Response, AppError> {
    let first = export.next_chunk().await?.unwrap_or_default();
    let rest = stream::try_unfold(export, |mut export| async move {
        Ok::<_, AppError>(
            export
                .next_chunk()
                .await?
                .map(|chunk| (Bytes::from(chunk), export)),
        )
    })
    .inspect_err(|e| tracing::error!(error = %e, "a download broke off"));
    let body = stream::once(async move { Ok(Bytes::from(first)) }).chain(rest);
    let mut r = Response::new(Body::from_stream(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
