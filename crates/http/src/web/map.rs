//! The map page — incidents, areas of responsibility, the coordination line, and the gaps
//! and overlaps of the coverage analysis over the boundaries shipped with Hawkari. (Each
//! incident's and area's own pages and forms are in `incidents.rs` and `areas.rs`.) The page lists the incidents and the coverage figures
//! on the server, so it is useful without JavaScript; `static/map.js` draws the map with
//! Leaflet (from the npm registry, served by Hawkari) from the same JSON API.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use hawkari_app::App;
use hawkari_core::area::AreaKind;
use hawkari_core::coverage::CoverageFigures;
use hawkari_core::incident::IncidentType;
use hawkari_store::{AreaFilter, IncidentFilter, OrganisationFilter};
use serde::Deserialize;

use super::i18n::Tr;
use super::rows::{Lookup, page_of};
use super::{MapLibrary, PageCtx, WebError, assets, render};
use crate::MapSettings;

/// The windows the page offers, in days.
const WINDOWS: [u32; 5] = [30, 90, 180, 365, 730];
const DEFAULT_WINDOW: u32 = 180;
/// How far back the time slider reaches from today, in days.
const SLIDER_DAYS: i64 = 5 * 365;
/// Incidents the page lists without JavaScript.
const LISTED: u32 = 50;
/// Coordination line farther than this from every area of responsibility is unassigned.
const BUFFER_KM: f64 = 10.0;

#[derive(Debug, Default, Deserialize)]
pub struct MapQuery {
    to: Option<String>,
    days: Option<String>,
    #[serde(rename = "type")]
    incident_type: Option<String>,
    actor: Option<String>,
    q: Option<String>,
    area: Option<String>,
}

/// An incident as the list under the map shows it.
pub struct IncidentRow {
    pub id: String,
    pub when: String,
    pub kind: String,
    pub place: String,
}

/// The coverage figures as the page words them.
pub struct CoverageView {
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: PageCtx,
    library: Option<MapLibrary>,
    map_js: &'static str,
    settings: MapSettings,
    to: String,
    from: String,
    days: u32,
    windows: Vec<(u32, String)>,
    types: Vec<(String, String)>,
    actors: Vec<(String, String)>,
    areas: Vec<(String, String)>,
    query: MapQuery,
    area: String,
    slider_start: String,
    slider_max: i64,
    slider_value: i64,
    window_label: String,
    errors: Vec<String>,
    rows: Vec<IncidentRow>,
    more: bool,
    coverage: Option<CoverageView>,
    labels: String,
    months: String,
    /// The incident list with the same filters and window (sorting, paging, exports).
    list: String,
}

impl MapPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or_default()
    }
    fn is(&self, v: &Option<String>, option: &str) -> bool {
        v.as_deref() == Some(option)
    }
}

/// The label of an incident type in the reader's language.
pub fn type_label(tr: &Tr, t: IncidentType) -> String {
    tr.t(&format!("incident-type-{}", t.as_str()))
}

/// "1 July 2025 – 28 December 2025" in the reader's language.
fn window_label(tr: &Tr, from: NaiveDate, to: NaiveDate) -> String {
    format!("{} – {}", tr.date(from), tr.date(to))
}

/// The coverage figures' messages and the arguments each takes.
pub(super) const COVERAGE_MESSAGES: [(&str, &[&str]); 4] = [
    ("coverage-gaps", &["gap_km", "area_km", "gap_share"]),
    ("coverage-overlaps", &["overlap_km"]),
    (
        "coverage-incidents",
        &["in_gaps", "incidents", "in_gaps_share"],
    ),
    (
        "coverage-line",
        &["buffer_km", "line_unassigned_km", "line_km"],
    ),
];

/// The figures by the names the messages give them (shares in per cent).
fn figure_values(f: &CoverageFigures) -> [(&'static str, f64); 10] {
    [
        ("gap_km", f.gap_km2),
        ("area_km", f.area_km2),
        ("gap_share", f.gap_share * 100.0),
        ("overlap_km", f.overlap_km2),
        ("in_gaps", f.incidents_in_gaps as f64),
        ("incidents", f.incidents as f64),
        ("in_gaps_share", f.incidents_in_gaps_share * 100.0),
        ("buffer_km", f.buffer_km),
        ("line_unassigned_km", f.line_unassigned_km),
        ("line_km", f.line_km),
    ]
}

/// Each figure message in words, with the reader's digits.
pub fn coverage_lines(tr: &Tr, f: &CoverageFigures) -> Vec<String> {
    let values = figure_values(f);
    COVERAGE_MESSAGES
        .iter()
        .map(|(key, names)| {
            let mut words = fluent_bundle::FluentArgs::new();
            for name in *names {
                let v = values
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(0.0, |(_, v)| *v);
                let text = if name.ends_with("share") {
                    format!("{v:.1}")
                } else {
                    format!("{v:.0}")
                };
                words.set(*name, tr.digits(&text));
            }
            tr.with_args(key, &words)
        })
        .collect()
}

pub async fn map(
    State(app): State<App>,
    Extension(settings): Extension<MapSettings>,
    page: PageCtx,
    Query(q): Query<MapQuery>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let principal = &page.principal;
    let mut errors = Vec::new();
    let today = app.today();
    // The window ends, unless the reader says otherwise, at the newest incident they may
    // see: an archive shows its incidents, not an empty present.
    let newest = app
        .list_incidents(principal, &IncidentFilter::default(), &page_of(1))
        .await?
        .items
        .first()
        .map(|i| i.data.when.end().date_naive().min(today));
    let mut to = newest.unwrap_or(today);
    if let Some(s) = q.to.as_deref().filter(|s| !s.trim().is_empty()) {
        match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => to = d,
            Err(_) => errors.push(tr.t1("map-bad-date", "value", s)),
        }
    }
    let mut days = DEFAULT_WINDOW;
    if let Some(s) = q.days.as_deref().filter(|s| !s.is_empty()) {
        match s.parse::<u32>() {
            Ok(d) if WINDOWS.contains(&d) => days = d,
            _ => errors.push(tr.t1("map-bad-days", "value", s)),
        }
    }
    let incident_type = match q.incident_type.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match IncidentType::ALL.into_iter().find(|t| t.as_str() == s) {
            Some(t) => Some(t),
            None => {
                errors.push(tr.t1("map-bad-type", "value", s));
                None
            }
        },
    };
    let actor = match q.actor.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.to_owned().try_into() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(tr.t1("map-bad-actor", "value", s));
                None
            }
        },
    };
    let from = to - Duration::days(i64::from(days));
    let filter = IncidentFilter {
        from: from.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
        to: to.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
        incident_type,
        organisation_id: actor,
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let list = app
        .list_incidents(principal, &filter, &page_of(LISTED))
        .await?;
    let gazetteer = hawkari_app::geography::gazetteer();
    let rows = list
        .items
        .iter()
        .map(|i| IncidentRow {
            id: i.id.to_string(),
            when: tr.when(&i.data.when),
            kind: type_label(&tr, i.data.incident_type),
            place: super::incidents::place(&tr, i, gazetteer),
        })
        .collect();

    let concern = AreaFilter {
        kind: Some(AreaKind::Concern),
        ..Default::default()
    };
    let areas: Vec<(String, String)> = app
        .list_areas(principal, &concern, &page_of(200))
        .await?
        .items
        .iter()
        .map(|a| (a.id.to_string(), tr.name(&a.data.names).to_owned()))
        .collect();
    let area = match q.area.as_deref() {
        Some(a) => a.to_owned(),
        None => areas.first().map(|(id, _)| id.clone()).unwrap_or_default(),
    };
    let coverage = match areas.iter().find(|(id, _)| *id == area) {
        Some((id, name)) => {
            let r = app.coverage(principal, id, to, days, BUFFER_KM).await?;
            Some(CoverageView {
                heading: tr.t2(
                    "map-coverage-of",
                    &("area", name.as_str()),
                    &("date", &tr.date(to)),
                ),
                lines: coverage_lines(&tr, &r.coverage.figures),
            })
        }
        None => None,
    };
    let mut actors: Vec<(String, String)> = Vec::new();
    let mut look = Lookup::new(&page, &app);
    for o in app
        .list_organisations(principal, &OrganisationFilter::default(), &page_of(500))
        .await?
        .items
    {
        actors.push((o.id.to_string(), look.org(o.id.as_str()).await));
    }
    actors.sort_by(|a, b| a.1.cmp(&b.1));
    let slider_start = today - Duration::days(SLIDER_DAYS);
    let labels: serde_json::Map<String, serde_json::Value> = IncidentType::ALL
        .into_iter()
        .map(|t| (t.as_str().to_owned(), type_label(&tr, t).into()))
        .collect();
    let list_link = super::lists::with_query(
        "/incidents",
        &super::lists::query_string(&[
            ("from", &Some(from.to_string())),
            ("to", &Some(to.to_string())),
            ("type", &q.incident_type),
            ("actor", &q.actor),
            ("q", &q.q),
        ]),
    );
    Ok(render(&MapPage {
        list: list_link,
        library: assets().map_library,
        map_js: assets().map_js,
        settings,
        to: to.to_string(),
        from: from.to_string(),
        days,
        windows: WINDOWS
            .iter()
            .map(|d| (*d, tr.count("map-days", *d as usize)))
            .collect(),
        types: IncidentType::ALL
            .into_iter()
            .map(|t| (t.as_str().to_owned(), type_label(&tr, t)))
            .collect(),
        actors,
        areas,
        area,
        slider_start: slider_start.to_string(),
        slider_max: (today - slider_start).num_days(),
        slider_value: (to - slider_start).num_days().clamp(0, SLIDER_DAYS),
        window_label: window_label(&tr, from, to),
        errors,
        rows,
        more: list.next.is_some(),
        coverage,
        labels: serde_json::Value::Object(labels).to_string(),
        months: serde_json::json!((1..=12).map(|m| tr.month(m)).collect::<Vec<_>>()).to_string(),
        query: q,
        page,
    }))
}
