//! The commitments board and a commitment's status change.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::record::Kind;
use hawkari_core::values::Text;
use hawkari_store::CommitmentFilter;
use serde::Deserialize;

use super::i18n::Tr;
use super::{PageCtx, WebError, redirect, render};

use super::rows::*;
use super::session::local_path;

/// The board's filters, as the form sends them (every one optional).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct BoardQuery {
    responsible: Option<String>,
    counterpart: Option<String>,
    status: Option<String>,
    overdue: Option<String>,
    due_from: Option<String>,
    due_to: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

impl BoardQuery {
    fn value(v: &Option<String>) -> &str {
        v.as_deref().map(str::trim).unwrap_or("")
    }

    /// The query string of these filters (without the cursor), for links.
    pub(super) fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("responsible", &self.responsible),
            ("counterpart", &self.counterpart),
            ("status", &self.status),
            ("overdue", &self.overdue),
            ("due_from", &self.due_from),
            ("due_to", &self.due_to),
            ("q", &self.q),
        ] {
            let v = Self::value(v);
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }

    /// The store's filter, or the problems with the values, in the reader's language.
    fn filter(&self, tr: Tr, today: chrono::NaiveDate) -> (CommitmentFilter, Vec<String>) {
        let mut errors = Vec::new();
        let mut f = CommitmentFilter::default();
        let org = |field: &str, v: &Option<String>, errors: &mut Vec<String>| {
            let v = Self::value(v);
            if v.is_empty() {
                return None;
            }
            v.parse()
                .map_err(|_| errors.push(tr.t1("board-bad-value", "field", &tr.t(field))))
                .ok()
        };
        f.responsible_org_id = org("commitment-owed-by", &self.responsible, &mut errors);
        f.counterpart_org_id = org("commitment-owed-to", &self.counterpart, &mut errors);
        let status = Self::value(&self.status);
        if !status.is_empty() {
            match status.parse() {
                Ok(s) => f.status = Some(s),
                Err(_) => errors.push(tr.t1("board-bad-value", "field", &tr.t("board-status"))),
            }
        }
        if !Self::value(&self.overdue).is_empty() {
            f.overdue_on = Some(today);
        }
        let day = |field: &str, v: &Option<String>, errors: &mut Vec<String>| {
            let v = Self::value(v);
            if v.is_empty() {
                return None;
            }
            hawkari_core::time::parse_day(v)
                .map_err(|_| errors.push(tr.t1("board-bad-date", "field", &tr.t(field))))
                .ok()
        };
        f.due_from = day("board-due-from", &self.due_from, &mut errors);
        // "Due by" the day: before the day after it.
        f.due_before = day("board-due-to", &self.due_to, &mut errors).and_then(|d| d.succ_opt());
        let q = Self::value(&self.q);
        if !q.is_empty() {
            f.q = Some(q.to_owned());
        }
        (f, errors)
    }
}

#[derive(Template)]
#[template(path = "commitments.html")]
pub(super) struct CommitmentsPage {
    page: PageCtx,
    rows: Vec<CommitmentRow>,
    statuses: Vec<(&'static str, String)>,
    orgs: Vec<(String, String)>,
    query: BoardQuery,
    errors: Vec<String>,
    /// The link to the next page, if there is one.
    next: Option<String>,
    /// The filters as a query string, for the export link and saving the view.
    filters: String,
    /// The user's saved views of this page.
    views: Vec<hawkari_store::SavedView>,
}

impl CommitmentsPage {
    fn v<'a>(&self, v: &'a Option<String>) -> &'a str {
        BoardQuery::value(v)
    }
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        BoardQuery::value(v) == code
    }
}

/// The commitments board: filtered by who owes, who is owed (each with the organisations
/// below), status, overdue, a due window and words; by due date; a page at a time; each
/// commitment a compact card with one status control.
pub async fn commitments(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<BoardQuery>,
) -> Result<Response, WebError> {
    let today = app.today();
    let (filter, errors) = query.filter(page.tr, today);
    let mut rows = Vec::new();
    let mut next = None;
    let filters = query.to_query();
    if errors.is_empty() {
        let request = match cursor_of(&query) {
            Some(c) => hawkari_store::PageRequest {
                limit: 50,
                after: Some(c),
            },
            None => page_of(50),
        };
        let found = app
            .list_commitments(&page.principal, &filter, &request)
            .await?;
        let mut look = Lookup::new(&page, &app);
        for c in &found.items {
            rows.push(commitment_row(c, &mut look, today).await);
        }
        next = found.next.map(|c| {
            let sep = if filters.is_empty() { "" } else { "&" };
            format!("/commitments?{filters}{sep}cursor={}", c.encode())
        });
    }
    let orgs = app
        .list_organisations(
            &page.principal,
            &hawkari_store::OrganisationFilter::default(),
            &page_of(500),
        )
        .await?
        .items
        .iter()
        .map(|o| (o.id.to_string(), page.tr.name(&o.data.names).to_owned()))
        .collect();
    let statuses = status_options(page.tr);
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    let views = super::account::views_of(&app, &page, "/commitments").await?;
    let r = render(&CommitmentsPage {
        views,
        page,
        rows,
        statuses,
        orgs,
        query,
        errors,
        next,
        filters,
    });
    Ok((status, r).into_response())
}

/// The page's cursor, if it is one.
fn cursor_of(q: &BoardQuery) -> Option<hawkari_store::Cursor> {
    q.cursor.as_deref().and_then(hawkari_store::Cursor::decode)
}

/// What the board shows, as CSV with an HXL row (every page of it), for the reader's
/// releases only; audited as an export.
pub async fn commitments_csv(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<BoardQuery>,
) -> Result<Response, WebError> {
    let (filter, errors) = query.filter(page.tr, app.today());
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let mut body = Vec::new();
    app.export_commitments(&page.principal, &filter, &mut body)
        .await?;
    Ok(csv_response(body, "hawkari-commitments.csv"))
}

/// A CSV download.
pub(super) fn csv_response(body: Vec<u8>, name: &'static str) -> Response {
    download(body, "text/csv; charset=utf-8", name)
}

/// A download of `content_type` saved as `name`.
pub(super) fn download(body: Vec<u8>, content_type: &'static str, name: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(content_type),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    r
}

/// One commitment: what was promised, by whom to whom, its condition, its status history
/// with reasons, evidence and sources, comments and change history, and the status form.
#[derive(Template)]
#[template(path = "commitment.html")]
pub(super) struct CommitmentPage {
    page: PageCtx,
    c: Commitment,
    row: CommitmentRow,
    engagement_title: String,
    statuses: Vec<(&'static str, String)>,
    comments: Vec<(String, String, String)>,
    changes: Vec<(String, String, String)>,
}

pub async fn commitment(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let c: Commitment = app.get(&page.principal, &id).await?;
    let mut look = Lookup::new(&page, &app);
    let row = commitment_row(&c, &mut look, app.today()).await;
    let engagement_title = app
        .get::<hawkari_core::engagement::Engagement>(&page.principal, c.data.engagement_id.as_str())
        .await
        .map_or_else(
            |_| c.data.engagement_id.to_string(),
            |e| e.data.title.to_string(),
        );
    let comments = app
        .comments(&page.principal, Kind::Commitment, &id)
        .await?
        .into_iter()
        .map(|x| {
            (
                page.tr.date(x.at.date_naive()),
                x.author,
                x.text.to_string(),
            )
        })
        .collect();
    let changes = app
        .record_changes(&page.principal, Kind::Commitment, &id)
        .await?
        .into_iter()
        .map(|h| {
            (
                page.tr.date(h.event.at.date_naive()),
                h.event.actor,
                h.event.action,
            )
        })
        .collect();
    let statuses = status_options(page.tr);
    Ok(render(&CommitmentPage {
        page,
        c,
        row,
        engagement_title,
        statuses,
        comments,
        changes,
    }))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf_token: String,
    status: String,
    reason: Option<String>,
    back: Option<String>,
}

/// One commitment, re-rendered after an htmx status change: as the board's compact card
/// (`card`) or as lists show it.
#[derive(Template)]
#[template(path = "commitment_item.html")]
pub(super) struct CommitmentItem {
    page: PageCtx,
    row: CommitmentRow,
    statuses: Vec<(&'static str, String)>,
    card: bool,
}

#[derive(Debug, Deserialize)]
pub struct ItemQuery {
    card: Option<String>,
}

pub async fn change_status(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(item): Query<ItemQuery>,
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
            card: item.card.is_some(),
        }));
    }
    Ok(redirect(&local_path(f.back.as_deref())))
}
