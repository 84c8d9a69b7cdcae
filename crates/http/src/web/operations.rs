//! An operation's pages: the operation (the sites without a lead first, a search for a
//! site by name, a board by status and a map) and each site (its forces, liaison and
//! reports, and the form a site commander reports its status with — light enough for a
//! phone on a slow link).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_core::operation::{Operation, Site, SiteKind, SiteStatus};
use serde::Deserialize;

use super::charts::{self, MapPoint};
use super::i18n::Tr;
use super::rows::Lookup;
use super::{PageCtx, WebError, redirect, render};

pub(super) fn site_kind(tr: &Tr, k: SiteKind) -> String {
    tr.t(match k {
        SiteKind::PollingCentre => "site-kind-polling_centre",
        SiteKind::BorderCrossing => "site-kind-border_crossing",
        SiteKind::Checkpoint => "site-kind-checkpoint",
        SiteKind::Other => "site-kind-other",
    })
}

pub(super) fn site_status(tr: &Tr, s: Option<SiteStatus>) -> (&'static str, String) {
    let (class, key) = match s {
        Some(SiteStatus::Manned) => ("manned", "site-status-manned"),
        Some(SiteStatus::Incident) => ("incident", "site-status-incident"),
        Some(SiteStatus::Closed) => ("closed", "site-status-closed"),
        None => ("unreported", "site-status-unreported"),
    };
    (class, tr.t(key))
}

pub struct SiteView {
    pub key: String,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub lead: String,
    pub supporting: Vec<String>,
    pub liaison: String,
    pub status_class: &'static str,
    pub status: String,
    pub last_report: String,
}

#[derive(Template)]
#[template(path = "operation.html")]
struct OperationPage {
    page: PageCtx,
    id: String,
    /// What the reader looked for, and the sites whose name (in any script) or key has it.
    find: String,
    found: Vec<SiteView>,
    name: String,
    period: String,
    lead: String,
    summary: String,
    without_lead: Vec<SiteView>,
    /// Columns of the board: status class, label, sites.
    board: Vec<(&'static str, String, Vec<SiteView>)>,
    map: String,
    sources: Vec<String>,
    can_edit: bool,
    can_delete: bool,
}

async fn site_view(s: &Site, tr: &Tr, look: &mut Lookup<'_>) -> SiteView {
    let (status_class, status) = site_status(tr, s.status());
    let g = hawkari_app::geography::gazetteer();
    let place = s
        .admin_units
        .as_ref()
        .and_then(|a| a.district.as_deref().or(a.governorate.as_deref()))
        .and_then(|p| g.unit(p))
        .map(|u| u.name_en.clone())
        .unwrap_or_default();
    let mut supporting = Vec::new();
    for o in &s.supporting_org_ids {
        supporting.push(look.org(o.as_str()).await);
    }
    SiteView {
        key: s.key.to_string(),
        name: tr.name(&s.names).to_owned(),
        kind: site_kind(tr, s.kind),
        place,
        lead: match &s.lead_org_id {
            Some(o) => look.org(o.as_str()).await,
            None => String::new(),
        },
        supporting,
        liaison: match &s.liaison {
            Some(l) => format!(
                "{} — {}",
                look.org(l.organisation_id.as_str()).await,
                l.role
            ),
            None => String::new(),
        },
        status_class,
        status,
        last_report: s
            .reports
            .last()
            .map(|r| {
                let mut t = tr.date(r.at.date_naive());
                if let Some(n) = &r.note {
                    t.push_str(&format!(": {n}"));
                }
                t
            })
            .unwrap_or_default(),
    }
}

#[derive(Debug, Deserialize)]
pub struct FindQuery {
    find: Option<String>,
}

/// Whether a site is the one looked for: its key, or any of its names, folded as search
/// folds them (Arabic letter variants, Latin case and diacritics).
fn site_matches(s: &Site, words: &str) -> bool {
    let wanted = hawkari_core::text::query_tokens(words);
    if wanted.is_empty() {
        return false;
    }
    let document =
        hawkari_core::text::index_document(std::iter::once(s.key.as_str()).chain(s.names.all()));
    let tokens: Vec<&str> = document.split(' ').collect();
    wanted
        .iter()
        .all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
}

pub async fn operation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<FindQuery>,
) -> Result<Response, WebError> {
    let o: Operation = app.get(&page.principal, &id).await?;
    let tr = page.tr;
    let d = &o.data;
    let mut look = Lookup::new(&page, &app);
    let find = q.find.unwrap_or_default();
    let mut found = Vec::new();
    for s in d.sites.iter().filter(|s| site_matches(s, &find)) {
        found.push(site_view(s, &tr, &mut look).await);
    }
    let mut without_lead = Vec::new();
    for s in d.without_lead() {
        without_lead.push(site_view(s, &tr, &mut look).await);
    }
    let mut board = Vec::new();
    for status in [
        None,
        Some(SiteStatus::Manned),
        Some(SiteStatus::Incident),
        Some(SiteStatus::Closed),
    ] {
        let (class, label) = site_status(&tr, status);
        let mut sites = Vec::new();
        for s in d.sites.iter().filter(|s| s.status() == status) {
            sites.push(site_view(s, &tr, &mut look).await);
        }
        board.push((class, label, sites));
    }
    let points: Vec<MapPoint> = d
        .sites
        .iter()
        .filter_map(|s| {
            let p = s.point?;
            let (class, status) = site_status(&tr, s.status());
            Some(MapPoint {
                lon: p.lon,
                lat: p.lat,
                class: if s.lead_org_id.is_none() {
                    "no-lead"
                } else {
                    class
                },
                label: format!("{} — {status}", tr.name(&s.names)),
            })
        })
        .collect();
    let map = charts::sites_map("sites-map", &points, &tr.t("operation-map"));
    let can_edit = super::forms::may(&app, &page, hawkari_app::Action::Update, d);
    let can_delete = super::forms::may(&app, &page, hawkari_app::Action::Delete, d);
    Ok(render(&OperationPage {
        can_edit,
        can_delete,
        id: o.id.to_string(),
        find,
        found,
        name: tr.name(&d.names).to_owned(),
        period: format!("{} – {}", tr.partial(&d.start), tr.partial(&d.end)),
        lead: match &d.lead_org_id {
            Some(l) => look.org(l.as_str()).await,
            None => String::new(),
        },
        summary: d
            .summary
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default(),
        without_lead,
        board,
        map,
        sources: d.sources.iter().map(|s| tr.cite(s)).collect(),
        page,
    }))
}

// ---------------------------------------------------------------- one site

#[derive(Template)]
#[template(path = "site.html")]
struct SitePage {
    page: PageCtx,
    operation_id: String,
    operation: String,
    site: SiteView,
    /// Newest first: when, status, by whom, note.
    reports: Vec<(String, String, String, String)>,
    /// Whether the reader may report the site's status (the owner's editors, and the
    /// editors of partners the operation is released to).
    can_report: bool,
    statuses: Vec<(&'static str, String)>,
    error: Option<String>,
}

async fn site_page(
    app: &App,
    page: PageCtx,
    id: &str,
    key: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let o: Operation = app.get(&page.principal, id).await?;
    let tr = page.tr;
    let s = o
        .data
        .sites
        .iter()
        .find(|s| s.key.as_str() == key)
        .ok_or(WebError::NotFound)?;
    let mut look = Lookup::new(&page, app);
    let site = site_view(s, &tr, &mut look).await;
    let reports = s
        .reports
        .iter()
        .rev()
        .map(|r| {
            (
                tr.date(r.at.date_naive()),
                site_status(&tr, Some(r.status)).1,
                r.by.clone(),
                r.note.as_ref().map(ToString::to_string).unwrap_or_default(),
            )
        })
        .collect();
    let may = |action| {
        app.authorizer().allows(
            &page.principal,
            action,
            hawkari_app::authz::Releasability::of(&o.data),
        )
    };
    let can_report = may(hawkari_app::Action::Update) || may(hawkari_app::Action::Comment);
    let statuses = [SiteStatus::Manned, SiteStatus::Incident, SiteStatus::Closed]
        .into_iter()
        .map(|st| {
            let (class, label) = site_status(&tr, Some(st));
            (class, label)
        })
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let r = render(&SitePage {
        operation_id: o.id.to_string(),
        operation: tr.name(&o.data.names).to_owned(),
        site,
        reports,
        can_report,
        statuses,
        error,
        page,
    });
    Ok((status, r).into_response())
}

pub async fn site(
    State(app): State<App>,
    page: PageCtx,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    site_page(&app, page, &id, &key, None).await
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    csrf_token: String,
    status: String,
    note: Option<String>,
}

/// A site's status, reported by the owner's editors or, recorded as theirs, by editors
/// of a partner the operation is released to.
pub async fn report(
    State(app): State<App>,
    page: PageCtx,
    Path((id, key)): Path<(String, String)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let status = match f.status.as_str() {
        "manned" => SiteStatus::Manned,
        "incident" => SiteStatus::Incident,
        "closed" => SiteStatus::Closed,
        _ => {
            let error = page
                .tr
                .t1("board-bad-value", "field", &page.tr.t("board-status"));
            return site_page(&app, page, &id, &key, Some(error)).await;
        }
    };
    let note = match f.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        None => None,
        Some(n) => match hawkari_core::values::Text::try_from(n.to_owned()) {
            Ok(t) => Some(t),
            Err(e) => return site_page(&app, page, &id, &key, Some(e)).await,
        },
    };
    app.report_site(&page.principal, &id, &key, status, note)
        .await?;
    Ok(redirect(&format!("/operations/{id}/sites/{key}")))
}
