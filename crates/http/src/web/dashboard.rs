//! The dashboard: overdue and due-soon commitments, who owes what, recent engagements.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Duration;
use hawkari_app::App;
use hawkari_store::{CommitmentFilter, EngagementFilter};

use super::{PageCtx, WebError, render};

use super::rows::*;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub(super) struct Dashboard {
    page: PageCtx,
    overdue: Vec<CommitmentRow>,
    due_soon: Vec<CommitmentRow>,
    recent: Vec<EngagementRow>,
    /// Overdue per responsible organisation: its name, its id (for the board's filter),
    /// the count.
    by_owner: Vec<(String, String, usize)>,
    overdue_count: usize,
    statuses: Vec<(&'static str, String)>,
    /// Programme and operation entries: id, heading, (link, text) items.
    alerts: Vec<super::programmes::AlertSection>,
}

pub async fn dashboard(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let today = app.today();
    let p = &page.principal;
    let overdue = app
        .list_commitments(
            p,
            &CommitmentFilter {
                overdue_on: Some(today),
                ..Default::default()
            },
            &page_of(500),
        )
        .await?;
    let soon = app
        .list_commitments(
            p,
            &CommitmentFilter {
                overdue_on: Some(today + Duration::days(30)),
                ..Default::default()
            },
            &page_of(100),
        )
        .await?;
    let recent = app
        .list_engagements(p, &EngagementFilter::default(), &page_of(10))
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut overdue_rows = Vec::new();
    let mut by_owner: HashMap<(String, String), usize> = HashMap::new();
    for c in &overdue.items {
        let row = commitment_row(c, &mut look, today).await;
        *by_owner
            .entry((row.owed_by.clone(), c.data.responsible_org_id.to_string()))
            .or_default() += 1;
        overdue_rows.push(row);
    }
    let mut due_soon = Vec::new();
    for c in soon.items.iter().filter(|c| !c.is_overdue(today)) {
        due_soon.push(commitment_row(c, &mut look, today).await);
    }
    let mut recent_rows = Vec::new();
    for e in &recent.items {
        recent_rows.push(engagement_row(e, &mut look).await);
    }
    let mut by_owner: Vec<(String, String, usize)> = by_owner
        .into_iter()
        .map(|((name, id), n)| (name, id, n))
        .collect();
    by_owner.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let overdue_count = overdue_rows.len();
    overdue_rows.truncate(20);
    let statuses = status_options(page.tr);
    let alerts = super::programmes::alerts(&app, &page, today)
        .await?
        .sections(&page.tr);
    Ok(render(&Dashboard {
        alerts,
        page,
        overdue: overdue_rows,
        due_soon,
        recent: recent_rows,
        by_owner,
        overdue_count,
        statuses,
    }))
}
