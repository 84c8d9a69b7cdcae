//! The commitments board and a commitment's status change.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use hawkari_app::App;
use hawkari_core::commitment::CommitmentStatus;
use hawkari_core::values::Text;
use hawkari_store::CommitmentFilter;
use serde::Deserialize;

use super::{PageCtx, WebError, redirect, render};

use super::rows::*;
use super::session::local_path;

#[derive(Template)]
#[template(path = "commitments.html")]
pub(super) struct CommitmentsPage {
    page: PageCtx,
    columns: Vec<(String, Vec<CommitmentRow>)>,
    by_owner: Vec<(String, Vec<CommitmentRow>)>,
    statuses: Vec<(&'static str, String)>,
}

pub async fn commitments(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let today = app.today();
    let mut look = Lookup::new(&page, &app);
    let mut columns = Vec::new();
    let mut by_owner: Vec<(String, Vec<CommitmentRow>)> = Vec::new();
    for status in CommitmentStatus::ALL {
        let filter = CommitmentFilter {
            status: Some(status),
            ..Default::default()
        };
        let mut rows = Vec::new();
        for c in app
            .list_commitments(&page.principal, &filter, &page_of(200))
            .await?
            .items
        {
            rows.push(commitment_row(&c, &mut look, today).await);
        }
        columns.push((page.tr.t(&format!("status-{}", status.as_str())), rows));
    }
    for (_, rows) in &columns {
        for r in rows
            .iter()
            .filter(|r| r.status == "open" || r.status == "in_progress")
        {
            let row = CommitmentRow {
                history: vec![],
                ..clone_row(r)
            };
            match by_owner.iter_mut().find(|(o, _)| *o == r.owed_by) {
                Some((_, list)) => list.push(row),
                None => by_owner.push((r.owed_by.clone(), vec![row])),
            }
        }
    }
    by_owner.sort_by(|a, b| a.0.cmp(&b.0));
    let statuses = status_options(page.tr);
    Ok(render(&CommitmentsPage {
        page,
        columns,
        by_owner,
        statuses,
    }))
}

pub(super) fn clone_row(r: &CommitmentRow) -> CommitmentRow {
    CommitmentRow {
        id: r.id.clone(),
        text: r.text.clone(),
        status: r.status,
        status_label: r.status_label.clone(),
        due: r.due.clone(),
        overdue: r.overdue,
        owed_by: r.owed_by.clone(),
        owed_to: r.owed_to.clone(),
        engagement_id: r.engagement_id.clone(),
        history: r.history.clone(),
    }
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf_token: String,
    status: String,
    reason: Option<String>,
    back: Option<String>,
}

/// One commitment, re-rendered after an htmx status change.
#[derive(Template)]
#[template(path = "commitment_item.html")]
pub(super) struct CommitmentItem {
    page: PageCtx,
    row: CommitmentRow,
    statuses: Vec<(&'static str, String)>,
}

pub async fn change_status(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let status: CommitmentStatus = f.status.parse().map_err(|_| WebError::NotFound)?;
    let reason = f
        .reason
        .filter(|r| !r.trim().is_empty())
        .and_then(|r| Text::try_from(r).ok());
    let changed = app
        .change_commitment_status(&page.principal, &id, status, reason, None)
        .await?;
    if headers.contains_key("hx-request") {
        // htmx swaps just this commitment; without JavaScript the whole page reloads.
        let mut page = page;
        page.here = local_path(f.back.as_deref());
        let mut look = Lookup::new(&page, &app);
        let row = commitment_row(&changed, &mut look, app.today()).await;
        let statuses = status_options(page.tr);
        return Ok(render(&CommitmentItem {
            page,
            row,
            statuses,
        }));
    }
    Ok(redirect(&local_path(f.back.as_deref())))
}
