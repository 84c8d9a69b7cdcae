//! Administration pages: an organisation's audit trail for its administrators — what
//! its users did, and what others did that concerns it (accounts made in it or below it,
//! changes to the tree around it, partners' follow-ups on its records).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hawkari_app::App;
use serde::Deserialize;

use super::{PageCtx, WebError, render};

/// One entry as the page shows it.
pub struct TrailRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub organisation: String,
    pub action: String,
    pub what: String,
    pub concerns: String,
    /// The entry's detail, as compact JSON (text, escaped by the template).
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: PageCtx,
    rows: Vec<TrailRow>,
    /// The `before` of the next (older) page, if there may be one.
    older: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

const PAGE: u32 = 50;

pub async fn audit(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<AuditParams>,
) -> Result<Response, WebError> {
    let entries = app
        .organisation_audit(&page.principal, q.before, PAGE)
        .await?;
    let older = (entries.len() == PAGE as usize)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| TrailRow {
            seq: e.seq,
            at: e.event.at.format("%Y-%m-%d %H:%M").to_string(),
            actor: e.event.actor,
            organisation: e.event.organisation_id.unwrap_or_default(),
            what: match (e.event.kind, e.event.record_id) {
                (Some(k), Some(id)) => format!("{k} {id}"),
                (None, Some(id)) => id,
                _ => String::new(),
            },
            action: e.event.action,
            concerns: e.event.concerns.join(", "),
            detail: serde_json::to_string(&e.event.detail).unwrap_or_default(),
        })
        .collect();
    Ok(render(&AuditPage { page, rows, older }))
}
