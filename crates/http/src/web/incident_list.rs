//! The incident list: the map's filters (a date range of any precision, type, actor,
//! words, and a governorate or district), newest, oldest or most killed first, how many
//! match, a page at a time; and what it shows downloaded whole, as CSV with an HXL row
//! or as GeoJSON — through the same reads, so for the reader's releases only.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_app::incident_export::ExportFormat;
use hawkari_core::incident::{Incident, IncidentType};
use hawkari_store::{IncidentFilter, IncidentSort, ListOf, OrganisationFilter};
use serde::Deserialize;

use super::i18n::Tr;
use super::lists::{self, SortChoice};
use super::map::type_label;
use super::rows::{Lookup, page_of};
use super::{PageCtx, WebError, render};

/// The list's filters, as the form (or the map's link) sends them; every one optional.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct IncidentListQuery {
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "type")]
    incident_type: Option<String>,
    /// With this organisation as an actor.
    actor: Option<String>,
    /// A governorate or district P-code.
    admin: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
}

impl IncidentListQuery {
    /// The filters as a query string (without the cursor), for the next page, the
    /// exports and saved views.
    fn to_query(&self) -> String {
        lists::query_string(&[
            ("from", &self.from),
            ("to", &self.to),
            ("type", &self.incident_type),
            ("actor", &self.actor),
            ("admin", &self.admin),
            ("q", &self.q),
            ("sort", &self.sort),
        ])
    }

    /// The store's filter, or the problems with the values, in the reader's language.
    fn filter(&self, tr: Tr) -> (IncidentFilter, Vec<String>) {
        let mut errors = Vec::new();
        let from = lists::date_bound(&tr, "engagements-from", &self.from, false, &mut errors);
        let to = lists::date_bound(&tr, "engagements-to", &self.to, true, &mut errors);
        let incident_type = match lists::value(&self.incident_type) {
            "" => None,
            s => {
                let t = IncidentType::ALL.into_iter().find(|t| t.as_str() == s);
                if t.is_none() {
                    errors.push(tr.t1("map-bad-type", "value", s));
                }
                t
            }
        };
        let organisation_id = match lists::value(&self.actor) {
            "" => None,
            s => {
                let id = s.to_owned().try_into().ok();
                if id.is_none() {
                    errors.push(tr.t1("map-bad-actor", "value", s));
                }
                id
            }
        };
        let admin = match lists::value(&self.admin) {
            "" => None,
            s => {
                let known = hawkari_app::geography::gazetteer().unit(s).is_some();
                if !known {
                    errors.push(tr.t1("board-bad-value", "field", &tr.t("incidents-admin")));
                }
                known.then(|| s.to_owned())
            }
        };
        let sort = match lists::sort_of(&tr, &lists::INCIDENT_ORDERS, &self.sort, &mut errors) {
            0 => IncidentSort::Newest,
            1 => IncidentSort::Oldest,
            _ => IncidentSort::MostKilled,
        };
        let q = Some(lists::value(&self.q).to_owned()).filter(|s| !s.is_empty());
        let filter = IncidentFilter {
            from,
            to,
            incident_type,
            organisation_id,
            admin,
            q,
            sort,
            ..Default::default()
        };
        (filter, errors)
    }
}

/// An incident as the list shows it.
pub struct IncidentListRow {
    pub id: String,
    pub kind: String,
    pub when: String,
    pub place: String,
    /// "3 killed", or empty when none are reported.
    pub killed: String,
    pub actors: String,
}

async fn row(i: &Incident, look: &mut Lookup<'_>, tr: &Tr) -> IncidentListRow {
    let gazetteer = hawkari_app::geography::gazetteer();
    let mut actors = Vec::new();
    for a in &i.data.actors {
        match (&a.organisation_id, &a.name) {
            (Some(o), _) => actors.push(look.org(o.as_str()).await),
            (None, Some(n)) => actors.push(n.to_string()),
            (None, None) => {}
        }
    }
    let killed = i.killed_best();
    IncidentListRow {
        id: i.id.to_string(),
        kind: type_label(tr, i.data.incident_type),
        when: tr.when(&i.data.when),
        place: super::incidents::place(tr, i, gazetteer),
        killed: if killed == 0 {
            String::new()
        } else {
            tr.count("incidents-killed", killed as usize)
        },
        actors: actors.join(", "),
    }
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct IncidentsPage {
    page: PageCtx,
    rows: Vec<IncidentListRow>,
    query: IncidentListQuery,
    types: Vec<(String, String)>,
    actors: Vec<(String, String)>,
    /// Governorates, then districts: (group label, [(P-code, name)]).
    units: Vec<(String, Vec<(String, String)>)>,
    sorts: Vec<SortChoice>,
    /// How many match, and how many this page shows.
    count: String,
    next: Option<String>,
    errors: Vec<String>,
    /// The filters as a query string, for the exports and saving the view.
    filters: String,
    views: Vec<hawkari_store::SavedView>,
}

impl IncidentsPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        lists::value(v)
    }
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        lists::value(v) == code
    }
    fn export(&self, path: &str) -> String {
        lists::with_query(path, &self.filters)
    }
}

/// Incidents, filtered as on the map, in the order chosen, a page at a time.
pub async fn incidents(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<IncidentListQuery>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let (filter, errors) = query.filter(tr);
    let filters = query.to_query();
    let mut rows = Vec::new();
    let mut next = None;
    let mut count = String::new();
    let mut look = Lookup::new(&page, &app);
    if errors.is_empty() {
        let mut request = page_of(lists::PAGE);
        request.after = lists::cursor(&query.cursor);
        let found = app
            .list_incidents(&page.principal, &filter, &request)
            .await?;
        for i in &found.items {
            rows.push(row(i, &mut look, &tr).await);
        }
        let total = app
            .count(
                &page.principal,
                ListOf::Incidents(&filter),
                lists::COUNT_MOST,
            )
            .await?;
        count = lists::count_line(&tr, total, rows.len());
        next = lists::next_link("/incidents", &filters, found.next);
    }
    let mut actors = Vec::new();
    for o in app
        .list_organisations(
            &page.principal,
            &OrganisationFilter::default(),
            &page_of(500),
        )
        .await?
        .items
    {
        actors.push((o.id.to_string(), look.org(o.id.as_str()).await));
    }
    actors.sort_by(|a, b| a.1.cmp(&b.1));
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    let views = super::account::views_of(&app, &page, "/incidents").await?;
    let r = render(&IncidentsPage {
        types: IncidentType::ALL
            .into_iter()
            .map(|t| (t.as_str().to_owned(), type_label(&tr, t)))
            .collect(),
        units: super::areas::unit_groups(&tr, 1..=2),
        sorts: lists::sort_choices(&tr, &lists::INCIDENT_ORDERS),
        actors,
        rows,
        query,
        count,
        next,
        errors,
        filters,
        views,
        page,
    });
    Ok((status, r).into_response())
}

/// What the list shows, every page of it, as CSV with an HXL row; audited as an export;
/// streamed a page at a time.
pub async fn incidents_csv(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<IncidentListQuery>,
) -> Result<Response, WebError> {
    export(&app, &page, &query, ExportFormat::HxlCsv).await
}

/// What the list shows, every page of it, as an RFC 7946 FeatureCollection of points.
pub async fn incidents_geojson(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<IncidentListQuery>,
) -> Result<Response, WebError> {
    export(&app, &page, &query, ExportFormat::GeoJson).await
}

async fn export(
    app: &App,
    page: &PageCtx,
    query: &IncidentListQuery,
    format: ExportFormat,
) -> Result<Response, WebError> {
    let (filter, errors) = query.filter(page.tr);
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let export = app.incident_export(&page.principal, &filter, format)?;
    Ok(match format {
        ExportFormat::HxlCsv => {
            crate::download::streamed(export, "text/csv; charset=utf-8", "hawkari-incidents.csv")
                .await?
        }
        ExportFormat::GeoJson => {
            crate::download::streamed(export, "application/geo+json", "hawkari-incidents.geojson")
                .await?
        }
    })
}
