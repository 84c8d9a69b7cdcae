//! Incidents in the web: an incident's page, and the form that records, edits and deletes
//! one — when (any precision, with the source's wording), the point (clicked on a small
//! map, typed, or taken from a gazetteer unit or a registry place by name), type, actors,
//! casualties per party, graded sources, narrative, linked engagements and releases.
//!
//! The form works without JavaScript: the point is two fields, "Find" looks a name up
//! on the server and offers what it found as buttons, and "Add a row" adds an actor,
//! party or source row. `static/record_map.js` adds the map (click to place the point,
//! drag the marker) and does the look-up in the page. The server derives the admin units
//! from the point and refuses a point outside Iraq, named at the point's fields.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App, AppError};
use hawkari_core::engagement::Engagement;
use hawkari_core::incident::{Incident, IncidentData, IncidentType, Party};
use hawkari_store::{EngagementFilter, OrganisationFilter, PlaceFilter};
use serde_json::{Value, json};

use super::forms::*;
use super::i18n::{Locale, Tr};
use super::map::type_label;
use super::rows::{Lookup, enum_code, page_of};
use super::{MapLibrary, PageCtx, WebError, assets, redirect, render};

/// Where an incident was, in words: the place name the source gave, else the nearest
/// named place (town, airport, air base) within reach and how far, then its district and
/// governorate.
pub(super) fn place(tr: &Tr, i: &Incident, g: &hawkari_core::gazetteer::Gazetteer) -> String {
    if let Some(p) = &i.data.place_name {
        return p.to_string();
    }
    let units = i.data.admin_units.clone().unwrap_or_default();
    let near = g
        .places()
        .nearest(
            i.data.point.lon,
            i.data.point.lat,
            hawkari_core::gazetteer::NEAR_KM,
        )
        .map(|n| {
            tr.t2(
                "incident-near",
                &("place", &named_place(tr, &n.place)),
                &("km", &tr.digits(&format!("{:.1}", n.distance_km))),
            )
        });
    near.into_iter()
        .chain(
            [&units.district, &units.governorate]
                .into_iter()
                .filter_map(|code| code.as_deref().and_then(|c| g.unit(c)))
                .map(|u| unit_name(tr, u)),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// A named place's name in the reader's script (Sorani falls back to Arabic, both to
/// English).
pub(super) fn named_place(tr: &Tr, p: &hawkari_core::gazetteer::NamedPlace) -> String {
    match tr.locale {
        Locale::En => p.name_en.clone(),
        Locale::Ar => p.name_ar.clone().unwrap_or_else(|| p.name_en.clone()),
        Locale::Ckb => p
            .name_ckb
            .clone()
            .or_else(|| p.name_ar.clone())
            .unwrap_or_else(|| p.name_en.clone()),
    }
}

/// An admin unit's name in the reader's script (Sorani falls back to Arabic).
pub(super) fn unit_name(tr: &Tr, u: &hawkari_core::gazetteer::AdminUnit) -> String {
    match tr.locale {
        Locale::En => u.name_en.clone(),
        Locale::Ar => u.name_ar.clone(),
        Locale::Ckb => u.name_ckb.clone().unwrap_or_else(|| u.name_ar.clone()),
    }
}

// ---------------------------------------------------------------- the incident's page

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    page: PageCtx,
    id: String,
    title: String,
    when: String,
    place: String,
    point: String,
    precision: String,
    sub_type: String,
    actors: Vec<String>,
    /// Party, killed, injured.
    casualties: Vec<(String, String, String)>,
    sources: Vec<(String, String)>,
    narrative: String,
    engagements: Vec<(String, String)>,
    owner: String,
    released_to: Vec<String>,
    map_link: String,
    can_edit: bool,
    can_delete: bool,
}

fn party_code(p: Party) -> &'static str {
    match p {
        Party::SecurityForces => "security_forces",
        Party::Civilians => "civilians",
        Party::Attackers => "attackers",
        Party::Unknown => "unknown",
    }
}

const PARTIES: [&str; 4] = ["security_forces", "civilians", "attackers", "unknown"];
const PRECISIONS: [&str; 5] = ["exact", "near", "sub_district", "district", "governorate"];

/// The title of an incident: its type and, where known, its place.
fn incident_title(tr: &Tr, i: &Incident) -> String {
    let kind = type_label(tr, i.data.incident_type);
    let place = place(tr, i, hawkari_app::geography::gazetteer());
    if place.is_empty() {
        kind
    } else {
        tr.t2(
            "incident-title",
            &("type", kind.as_str()),
            &("place", &place),
        )
    }
}

pub async fn incident(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let i: Incident = app.get(&page.principal, &id).await?;
    let tr = page.tr;
    let d = &i.data;
    let mut look = Lookup::new(&page, &app);
    let mut actors = Vec::new();
    for a in &d.actors {
        let who = match (&a.organisation_id, &a.name) {
            (Some(o), _) => look.org(o.as_str()).await,
            (None, Some(n)) => n.to_string(),
            (None, None) => continue,
        };
        actors.push(match &a.role {
            Some(r) => format!("{who} ({r})"),
            None => who,
        });
    }
    let estimate = |e: &hawkari_core::incident::Estimate| {
        if e.low == e.high {
            tr.num(e.best as usize)
        } else {
            tr.digits(&format!("{} ({}–{})", e.best, e.low, e.high))
        }
    };
    let casualties = d
        .casualties
        .iter()
        .map(|c| {
            (
                tr.t(&format!("party-{}", party_code(c.party))),
                estimate(&c.killed),
                estimate(&c.injured),
            )
        })
        .collect();
    let sources = d
        .sources
        .iter()
        .map(|s| {
            let grade = format!("{:?}{}", s.reliability, s.credibility);
            (tr.cite(&s.source), tr.t1("incident-grade", "grade", &grade))
        })
        .collect();
    let mut engagements = Vec::new();
    for e in &d.engagement_ids {
        // Only engagements released to the reader are named or linked.
        if let Ok(en) = app.get::<Engagement>(&page.principal, e.as_str()).await {
            engagements.push((en.id.to_string(), en.data.title.to_string()));
        }
    }
    let mut released_to = Vec::new();
    for o in &d.releasable_to {
        released_to.push(look.org(o.as_str()).await);
    }
    released_to.extend(
        d.release_groups
            .iter()
            .map(|g| tr.t(&format!("release-group-{g}"))),
    );
    let owner = look.org(d.owner_org_id.as_str()).await;
    let day = d.when.end().date_naive();
    let precision = enum_code(&d.location_precision);
    Ok(render(&IncidentPage {
        id: i.id.to_string(),
        title: incident_title(&tr, &i),
        when: tr.when(&d.when),
        place: place(&tr, &i, hawkari_app::geography::gazetteer()),
        point: tr.digits(&format!("{:.4}, {:.4}", d.point.lat, d.point.lon)),
        precision: tr.t(&format!("precision-{precision}")),
        sub_type: d
            .sub_type
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default(),
        actors,
        casualties,
        sources,
        narrative: d
            .narrative
            .as_ref()
            .map(|n| n.to_string())
            .unwrap_or_default(),
        engagements,
        owner,
        released_to,
        map_link: format!("/map?to={day}&days=30"),
        can_edit: may(&app, &page, Action::Update, d),
        can_delete: may(&app, &page, Action::Delete, d),
        page,
    }))
}

// ---------------------------------------------------------------- the form

#[derive(Template)]
#[template(path = "incident_form.html")]
pub(super) struct IncidentForm {
    page: PageCtx,
    library: Option<MapLibrary>,
    form_js: &'static str,
    heading: String,
    /// Where the form posts: `/incidents/new` or `/incidents/{id}/edit`.
    action: String,
    /// Where "Cancel" leads.
    back: String,
    f: Fields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    release_change: Option<(Vec<String>, String)>,
    visible: Vec<String>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    types: Vec<(String, String)>,
    precisions: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    engagements: Vec<(String, String)>,
    actor_rows: Vec<usize>,
    casualty_rows: Vec<usize>,
    source_rows: Vec<usize>,
    /// After "Find": what the name matched (the value to pick, its label).
    place_results: Option<Vec<(String, String)>>,
    /// The interface's words the map script needs.
    words: String,
}

impl IncidentForm {
    fn v(&self, key: &str) -> &str {
        self.f.get(key).unwrap_or("")
    }
    fn vn(&self, prefix: &str, n: &usize, field: &str) -> &str {
        self.v(&format!("{prefix}{n}_{field}"))
    }
    fn sel(&self, key: &str, value: &str) -> bool {
        self.v(key) == value
    }
    fn seln(&self, prefix: &str, n: &usize, field: &str, value: &str) -> bool {
        self.vn(prefix, n, field) == value
    }
    fn has(&self, key: &str, value: &str) -> bool {
        self.f.all(key).iter().any(|v| v == value)
    }
    fn err(&self, key: &str) -> Vec<&str> {
        self.errors.at(key)
    }
    fn errn(&self, prefix: &str, n: &usize, field: &str) -> Vec<&str> {
        self.errors.at(&format!("{prefix}{n}_{field}"))
    }
}

/// How the form's pages end: the form again (with its status), or somewhere else.
pub(super) struct Shown {
    pub(super) errors: FieldErrors,
    pub(super) conflict: Option<Conflict>,
    pub(super) release_change: Option<(Vec<String>, String)>,
    pub(super) place_results: Option<Vec<(String, String)>>,
}

impl Shown {
    pub(super) fn plain() -> Self {
        Shown {
            errors: FieldErrors::default(),
            conflict: None,
            release_change: None,
            place_results: None,
        }
    }
    pub(super) fn errors(errors: FieldErrors) -> Self {
        Shown {
            errors,
            ..Shown::plain()
        }
    }
}

/// The organisations a form offers (names in the reader's script), with every value the
/// fields hold even if the reader cannot see it (shown by its id, so saving keeps it).
pub(super) async fn org_choices(
    app: &App,
    page: &PageCtx,
    held: impl IntoIterator<Item = String>,
) -> Result<Vec<(String, String)>, WebError> {
    let mut orgs: Vec<(String, String)> = app
        .list_organisations(
            &page.principal,
            &OrganisationFilter::default(),
            &page_of(500),
        )
        .await?
        .items
        .iter()
        .map(|x| (x.id.to_string(), page.tr.name(&x.data.names).to_owned()))
        .collect();
    keep_choices(&mut orgs, held);
    Ok(orgs)
}

/// Adds every held value missing from the choices, labelled by itself.
pub(super) fn keep_choices(
    choices: &mut Vec<(String, String)>,
    held: impl IntoIterator<Item = String>,
) {
    for v in held {
        if !choices.iter().any(|(id, _)| *id == v) {
            choices.push((v.clone(), v));
        }
    }
}

async fn incident_form(
    app: &App,
    page: PageCtx,
    f: Fields,
    action: String,
    shown: Shown,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let actor_rows = rows_of(&f, "a").max(1);
    let casualty_rows = rows_of(&f, "c").max(1);
    let source_rows = rows_of(&f, "s").max(1);
    let orgs = org_choices(
        app,
        &page,
        (1..=actor_rows)
            .flat_map(|n| f.all(&format!("a{n}_org")))
            .chain(f.all("release_to")),
    )
    .await?;
    let owner = f
        .get("owner")
        .map_or_else(|| page.user.organisation_id.to_string(), str::to_owned);
    let visible = visible_to(
        tr,
        &owner,
        &f.all("release_to"),
        &f.all("release_group"),
        &orgs,
    );
    let mut engagements: Vec<(String, String)> = app
        .list_engagements(&page.principal, &EngagementFilter::default(), &page_of(300))
        .await?
        .items
        .iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!("{} ({})", e.data.title, tr.when(&e.data.when)),
            )
        })
        .collect();
    keep_choices(&mut engagements, f.all("engagements"));
    let words = json!({
        "find": tr.t("form-place-find"),
        "none": tr.t("form-place-none"),
        "picked": tr.t1("form-place-picked", "place", "{place}"),
        "governorate": tr.t("form-unit-level-1"),
        "district": tr.t("form-unit-level-2"),
        "sub_district": tr.t("form-unit-level-3"),
        "place": tr.t("form-place-registry"),
        "lang": tr.locale.code(),
    })
    .to_string();
    let heading = tr.t(if action.ends_with("/edit") {
        "form-edit-incident"
    } else {
        "form-new-incident"
    });
    let back = action
        .strip_suffix("/edit")
        .map_or_else(|| "/map".to_owned(), str::to_owned);
    let form = IncidentForm {
        library: assets().map_library,
        form_js: assets().record_map_js,
        heading,
        back,
        orgs,
        groups: group_options(tr),
        types: IncidentType::ALL
            .into_iter()
            .map(|t| (t.as_str().to_owned(), type_label(&tr, t)))
            .collect(),
        precisions: PRECISIONS
            .iter()
            .map(|p| ((*p).to_owned(), tr.t(&format!("precision-{p}"))))
            .collect(),
        parties: PARTIES
            .iter()
            .map(|p| ((*p).to_owned(), tr.t(&format!("party-{p}"))))
            .collect(),
        engagements,
        actor_rows: (1..=actor_rows).collect(),
        casualty_rows: (1..=casualty_rows).collect(),
        source_rows: (1..=source_rows).collect(),
        visible,
        errors: shown.errors,
        conflict: shown.conflict,
        release_change: shown.release_change,
        place_results: shown.place_results,
        words,
        f,
        action,
        page,
    };
    Ok(render(&form))
}

/// The form's fields for a stored incident: every actor, party and source (with one
/// empty row more of each), every engagement and release.
pub(super) fn form_values(i: &Incident) -> Fields {
    let d = &i.data;
    let mut v = Fields::default();
    v.set("version", i.meta.version.to_string());
    v.set("owner", d.owner_org_id.to_string());
    v.set("when", d.when.value());
    v.set("when_label", d.when.label().unwrap_or_default());
    // Rust writes the shortest text that reads back as the same number.
    v.set("lat", d.point.lat.to_string());
    v.set("lon", d.point.lon.to_string());
    v.set("location_precision", enum_code(&d.location_precision));
    let opt = |o: &Option<hawkari_core::values::Name>| {
        o.as_ref().map(ToString::to_string).unwrap_or_default()
    };
    v.set("place_name", opt(&d.place_name));
    v.set("type", d.incident_type.as_str());
    v.set("sub_type", opt(&d.sub_type));
    for (i, a) in d.actors.iter().enumerate() {
        let n = i + 1;
        if let Some(o) = &a.organisation_id {
            v.set(&format!("a{n}_org"), o.to_string());
        }
        v.set(&format!("a{n}_name"), opt(&a.name));
        v.set(&format!("a{n}_role"), opt(&a.role));
    }
    v.set("a_rows", (d.actors.len() + 1).to_string());
    for (i, c) in d.casualties.iter().enumerate() {
        let n = i + 1;
        v.set(&format!("c{n}_party"), party_code(c.party));
        for (what, e) in [("killed", c.killed), ("injured", c.injured)] {
            v.set(&format!("c{n}_{what}_low"), e.low.to_string());
            v.set(&format!("c{n}_{what}_best"), e.best.to_string());
            v.set(&format!("c{n}_{what}_high"), e.high.to_string());
        }
    }
    v.set("c_rows", (d.casualties.len() + 1).to_string());
    for (i, s) in d.sources.iter().enumerate() {
        let n = i + 1;
        let src = &s.source;
        v.set(&format!("s{n}_publisher"), src.publisher.to_string());
        v.set(&format!("s{n}_title"), src.title.to_string());
        if let Some(date) = &src.date {
            v.set(&format!("s{n}_date"), date.to_string());
        }
        v.set(&format!("s{n}_reference"), opt(&src.reference));
        if let Some(url) = &src.url {
            v.set(&format!("s{n}_url"), url.as_str());
        }
        v.set(&format!("s{n}_reliability"), format!("{:?}", s.reliability));
        v.set(&format!("s{n}_credibility"), s.credibility.to_string());
    }
    v.set("s_rows", (d.sources.len() + 1).to_string());
    v.set(
        "narrative",
        d.narrative
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    for e in &d.engagement_ids {
        v.push("engagements", e.to_string());
    }
    for o in &d.releasable_to {
        v.push("release_to", o.to_string());
    }
    for g in &d.release_groups {
        v.push("release_group", g.as_str());
    }
    v
}

/// Which form row each entry of the record's lists came from, so that the record's
/// problems (`casualties[1].killed`) are shown at the row's fields.
#[derive(Debug, Default)]
struct RowsUsed {
    actors: Vec<usize>,
    casualties: Vec<usize>,
    sources: Vec<usize>,
}

impl RowsUsed {
    /// The form field an API path names.
    fn field(&self, path: &str) -> Option<String> {
        let row = |list: &[usize], i: usize| list.get(i).copied();
        if let Some((i, rest)) = list_index(path, "actors") {
            let n = row(&self.actors, i)?;
            let field = match rest {
                ".name" => "name",
                ".role" => "role",
                _ => "org",
            };
            return Some(format!("a{n}_{field}"));
        }
        if let Some((i, rest)) = list_index(path, "casualties") {
            let n = row(&self.casualties, i)?;
            let field = if rest.starts_with(".killed") {
                "killed_best"
            } else if rest.starts_with(".injured") {
                "injured_best"
            } else {
                "party"
            };
            return Some(format!("c{n}_{field}"));
        }
        if let Some((i, rest)) = list_index(path, "sources") {
            let n = row(&self.sources, i)?;
            let field = rest.trim_start_matches('.');
            let field = match field {
                "publisher" | "title" | "date" | "reference" | "url" | "reliability"
                | "credibility" => field,
                _ => "publisher",
            };
            return Some(format!("s{n}_{field}"));
        }
        Some(
            match path.split(['.', '[']).next().unwrap_or_default() {
                "when" => "when",
                "point" if path.ends_with("lon") => "lon",
                "point" => "lat",
                "location_precision" => "location_precision",
                "place_name" => "place_name",
                "type" => "type",
                "sub_type" => "sub_type",
                "narrative" => "narrative",
                "engagement_ids" => "engagements",
                "releasable_to" => "release_to",
                "release_groups" => "release_group",
                _ => return None,
            }
            .to_owned(),
        )
    }
}

/// An estimate from a row's three fields: an empty low or high is the best estimate;
/// all empty is none.
fn estimate(f: &Fields, key: &str, tr: Tr, errors: &mut FieldErrors) -> Option<Value> {
    let low = number(f, &format!("{key}_low"), tr, errors);
    let best = number(f, &format!("{key}_best"), tr, errors);
    let high = number(f, &format!("{key}_high"), tr, errors);
    match (low, best, high) {
        (None, None, None) => None,
        (_, None, _) => {
            if f.get(&format!("{key}_best")).is_none() {
                errors.add(format!("{key}_best"), tr.t("form-best-needed"));
            }
            None
        }
        (low, Some(best), high) => {
            let (low, high) = (low.unwrap_or(best), high.unwrap_or(best));
            if !(low <= best && best <= high) {
                errors.add(format!("{key}_best"), tr.t("form-estimate-order"));
            }
            Some(json!({"low": low, "best": best, "high": high}))
        }
    }
}

/// The API's JSON for an incident from the form's fields, so that the form is checked by
/// exactly the rules of the API; problems of the form's own (a number that is not one, a
/// point outside Iraq) are added to `errors` in the reader's language.
fn incident_json(f: &Fields, owner: &str, tr: Tr, errors: &mut FieldErrors) -> (Value, RowsUsed) {
    let get = |k: &str| f.get(k);
    let mut used = RowsUsed::default();
    let lat = decimal(f, "lat", tr, errors);
    let lon = decimal(f, "lon", tr, errors);
    let point = match (lat, lon) {
        (Some(lat), Some(lon)) => {
            let p = hawkari_core::values::Point { lat, lon };
            let in_range = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            if in_range && hawkari_app::geography::outside_iraq(&p).is_some() {
                errors.add("lat", tr.t("form-outside-iraq"));
            }
            json!({"lat": lat, "lon": lon})
        }
        _ => {
            if !errors.has("lat") && !errors.has("lon") {
                errors.add("lat", tr.t("form-point-needed"));
            }
            Value::Null
        }
    };
    let mut actors = Vec::new();
    for n in 1..=rows_of(f, "a") {
        let org = get(&format!("a{n}_org"));
        let name = get(&format!("a{n}_name"));
        let role = get(&format!("a{n}_role"));
        if org.is_none() && name.is_none() && role.is_none() {
            continue;
        }
        used.actors.push(n);
        actors.push(json!({"organisation_id": org, "name": name, "role": role}));
    }
    let mut casualties = Vec::new();
    for n in 1..=rows_of(f, "c") {
        let party = get(&format!("c{n}_party"));
        let killed = estimate(f, &format!("c{n}_killed"), tr, errors);
        let injured = estimate(f, &format!("c{n}_injured"), tr, errors);
        if party.is_none() && killed.is_none() && injured.is_none() {
            continue;
        }
        if party.is_none() {
            errors.add(format!("c{n}_party"), tr.t("form-party-needed"));
        }
        used.casualties.push(n);
        casualties.push(json!({"party": party, "killed": killed, "injured": injured}));
    }
    let mut sources = Vec::new();
    for n in 1..=rows_of(f, "s") {
        let field = |x: &str| get(&format!("s{n}_{x}"));
        let (publisher, title) = (field("publisher"), field("title"));
        if publisher.is_none()
            && title.is_none()
            && field("reference").is_none()
            && field("url").is_none()
        {
            continue;
        }
        used.sources.push(n);
        let credibility = number(f, &format!("s{n}_credibility"), tr, errors).unwrap_or(6);
        sources.push(json!({
            "publisher": publisher.or(title).unwrap_or(""),
            "title": title.or(publisher).unwrap_or(""),
            "date": field("date").map(|d| hawkari_core::time::ascii_digits(d).into_owned()),
            "reference": field("reference"),
            "url": field("url"),
            "reliability": field("reliability").unwrap_or("F"),
            "credibility": credibility,
        }));
    }
    let body = json!({
        "when": {"value": get("when").unwrap_or(""), "label": get("when_label")},
        "point": point,
        "location_precision": get("location_precision").unwrap_or("exact"),
        "place_name": get("place_name"),
        "type": get("type").unwrap_or("other"),
        "sub_type": get("sub_type"),
        "actors": actors,
        "casualties": casualties,
        "sources": sources,
        // Browsers send a textarea's line ends as CR LF.
        "narrative": get("narrative").map(|t| t.replace("\r\n", "\n")),
        "engagement_ids": f.all("engagements"),
        "owner_org_id": owner,
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    });
    (body, used)
}

/// The label of a form field in a conflict's comparison (`a2_org` → "Actor 2:
/// organisation"); `None` for the form's own counters.
fn field_label(tr: Tr, key: &str) -> Option<String> {
    let plain = |k: &str| Some(tr.t(k));
    match key {
        "when" => plain("incident-when"),
        "when_label" => plain("form-when-label"),
        "lat" => plain("form-lat"),
        "lon" => plain("form-lon"),
        "location_precision" => plain("form-precision"),
        "place_name" => plain("form-place-name"),
        "type" => plain("map-type"),
        "sub_type" => plain("incident-sub-type"),
        "narrative" => plain("incident-narrative"),
        "engagements" => plain("incident-engagements"),
        "release_to" => plain("form-release-orgs"),
        "release_group" => plain("form-release-to"),
        k if k.ends_with("_rows") => None,
        k => {
            let (row, field) = k.split_once('_')?;
            let (group, n) = row.split_at(1);
            let n: usize = n.parse().ok()?;
            let group = match group {
                "a" => "form-actor-n",
                "c" => "form-party-n",
                "s" => "form-source-n",
                _ => return None,
            };
            Some(format!(
                "{}: {}",
                tr.t1(group, "n", &tr.num(n)),
                field.replace('_', " ")
            ))
        }
    }
}

pub async fn new_incident(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let mut f = Fields::default();
    f.set("location_precision", "exact");
    f.set("type", "armed_clash");
    incident_form(&app, page, f, "/incidents/new".into(), Shown::plain()).await
}

pub async fn edit_incident(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let i: Incident = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &i.data) {
        return Err(WebError::Forbidden);
    }
    incident_form(
        &app,
        page,
        form_values(&i),
        format!("/incidents/{id}/edit"),
        Shown::plain(),
    )
    .await
}

/// Buttons that change the form without saving it: "Add a row" (`add=a|c|s`), "Find"
/// (the place name in `place_query`) and a found place picked (`pick_place`). The form
/// comes back with the change made; `None` when the post is a save.
async fn form_step(app: &App, page: &PageCtx, f: &mut Fields) -> Result<Option<Shown>, WebError> {
    if let Some(group) = f.get("add").map(str::to_owned) {
        if ["a", "c", "s"].contains(&group.as_str()) {
            let rows = rows_of(f, &group) + 1;
            f.set(&format!("{group}_rows"), rows.to_string());
        }
        f.set("add", "");
        return Ok(Some(Shown::plain()));
    }
    if f.get("find_place").is_some() {
        f.set("find_place", "");
        let q = f.get("place_query").unwrap_or_default().to_owned();
        return Ok(Some(Shown {
            place_results: Some(find_places(app, page, &q).await?),
            ..Shown::plain()
        }));
    }
    if let Some(pick) = f.get("pick_place").map(str::to_owned) {
        f.set("pick_place", "");
        let mut errors = FieldErrors::default();
        if !pick_place(app, page, f, &pick).await? {
            errors.add("place_query", page.tr.t("form-place-none"));
        }
        return Ok(Some(Shown::errors(errors)));
    }
    Ok(None)
}

/// Admin units, the gazetteer's named places (towns, airports, air bases) and registry
/// places named `q` (any script, any listed spelling): the value "Use" posts and the
/// label, units first.
async fn find_places(
    app: &App,
    page: &PageCtx,
    q: &str,
) -> Result<Vec<(String, String)>, WebError> {
    let tr = page.tr;
    let g = hawkari_app::geography::gazetteer();
    let mut out: Vec<(String, String)> = g
        .lookup(q)
        .into_iter()
        .take(10)
        .filter_map(|u| {
            let unit = g.unit(&u.pcode)?;
            let mut label = format!(
                "{} ({})",
                unit_name(&tr, unit),
                tr.t(&format!("form-unit-level-{}", u.level))
            );
            if let Some(parent) = u.parent.as_deref().and_then(|p| g.unit(p)) {
                label = format!("{label}, {}", unit_name(&tr, parent));
            }
            Some((format!("unit:{}", u.pcode), label))
        })
        .collect();
    for p in g.places().lookup(q, 10) {
        let mut label = format!(
            "{} ({})",
            named_place(&tr, p),
            tr.t(&format!("form-place-kind-{}", enum_code(&p.kind)))
        );
        if let Some(gov) = g.locate(p.lon, p.lat).governorate
            && let Some(unit) = g.unit(&gov.pcode)
        {
            label = format!("{label}, {}", unit_name(&tr, unit));
        }
        out.push((format!("named:{}", p.id), label));
    }
    if !q.trim().is_empty() {
        let filter = PlaceFilter {
            q: Some(q.to_owned()),
            ..Default::default()
        };
        for p in app
            .list_places(&page.principal, &filter, &page_of(10))
            .await?
            .items
        {
            if p.data.point.is_some() {
                out.push((
                    format!("place:{}", p.id),
                    format!(
                        "{} ({})",
                        tr.name(&p.data.names),
                        tr.t("form-place-registry")
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Sets the point (and its precision and place name) from a found unit or place;
/// false if it names none.
async fn pick_place(
    app: &App,
    page: &PageCtx,
    f: &mut Fields,
    pick: &str,
) -> Result<bool, WebError> {
    let g = hawkari_app::geography::gazetteer();
    if let Some(pcode) = pick.strip_prefix("unit:") {
        let Some(unit) = g.unit(pcode) else {
            return Ok(false);
        };
        let Some(c) = g.unit_ref(unit).centroid else {
            return Ok(false);
        };
        f.set("lat", format!("{:.5}", c.lat));
        f.set("lon", format!("{:.5}", c.lon));
        let precision = match unit.level {
            1 => "governorate",
            2 => "district",
            _ => "sub_district",
        };
        f.set("location_precision", precision);
        return Ok(true);
    }
    if let Some(id) = pick.strip_prefix("named:") {
        let Some(p) = g.places().get(id) else {
            return Ok(false);
        };
        f.set("lat", p.lat.to_string());
        f.set("lon", p.lon.to_string());
        f.set("location_precision", "near");
        f.set("place_name", named_place(&page.tr, p));
        return Ok(true);
    }
    if let Some(id) = pick.strip_prefix("place:") {
        let Ok(p) = app
            .get::<hawkari_core::place::Place>(&page.principal, id)
            .await
        else {
            return Ok(false);
        };
        let Some(point) = p.data.point else {
            return Ok(false);
        };
        f.set("lat", point.lat.to_string());
        f.set("lon", point.lon.to_string());
        f.set("location_precision", "near");
        f.set("place_name", page.tr.name(&p.data.names));
        return Ok(true);
    }
    Ok(false)
}

pub async fn create_incident(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let action = "/incidents/new".to_owned();
    if let Some(shown) = form_step(&app, &page, &mut f).await? {
        return incident_form(&app, page, f, action, shown).await;
    }
    let owner = page.user.organisation_id.to_string();
    let mut errors = FieldErrors::default();
    let (body, used) = incident_json(&f, &owner, page.tr, &mut errors);
    if errors.is_empty() {
        match hawkari_core::record::from_json_value::<IncidentData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Incident>(&page.principal, None, data).await {
                Ok(i) => return Ok(redirect(&format!("/incidents/{}", i.id))),
                Err(AppError::Invalid(v)) => errors.record(page.tr, v, |p| used.field(p)),
                Err(other) => return Err(other.into()),
            },
            Err(v) => errors.record(page.tr, v, |p| used.field(p)),
        }
    }
    incident_form(&app, page, f, action, Shown::errors(errors))
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

/// Saves the edit form over the stored incident. What the form shows replaces what is
/// stored; what it does not (the caveat, the source dataset's id) is kept. A form that
/// changes nothing writes nothing; a change of who may read it is confirmed first; a
/// save over a version someone else saved meanwhile shows theirs beside the form's.
pub async fn update_incident(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let action = format!("/incidents/{id}/edit");
    let current: Incident = app.get(&page.principal, &id).await?;
    if let Some(shown) = form_step(&app, &page, &mut f).await? {
        return incident_form(&app, page, f, action, shown).await;
    }
    let owner = current.data.owner_org_id.to_string();
    let mut errors = FieldErrors::default();
    let (form, used) = incident_json(&f, &owner, page.tr, &mut errors);
    if !errors.is_empty() {
        return incident_form(&app, page, f, action, Shown::errors(errors))
            .await
            .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response());
    }
    let mut merged = json!(current.data);
    for key in [
        "when",
        "point",
        "location_precision",
        "place_name",
        "type",
        "sub_type",
        "actors",
        "casualties",
        "sources",
        "narrative",
    ] {
        merged[key] = form[key].clone();
    }
    for key in ["engagement_ids", "releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    if let Some(change) = unconfirmed_release_change(&app, &page, &current.data, &form, &f).await? {
        let shown = Shown {
            release_change: Some(change),
            ..Shown::plain()
        };
        return incident_form(&app, page, f, action, shown)
            .await
            .map(|r| (StatusCode::CONFLICT, r).into_response());
    }
    let version = f.get("version").and_then(|v| v.parse().ok());
    match hawkari_core::record::from_json_value::<IncidentData>(without_nulls(merged), "") {
        Ok(data) if data == current.data => return Ok(redirect(&format!("/incidents/{id}"))),
        Ok(data) => match app
            .update::<Incident>(&page.principal, &id, data, version)
            .await
        {
            Ok(_) => return Ok(redirect(&format!("/incidents/{id}"))),
            Err(AppError::Invalid(v)) => errors.record(page.tr, v, |p| used.field(p)),
            Err(AppError::VersionConflict { .. }) => {
                let tr = page.tr;
                let conflict =
                    Conflict::between(tr, &current.meta, &form_values(&current), &f, |k| {
                        field_label(tr, k)
                    });
                f.set("version", current.meta.version.to_string());
                let shown = Shown {
                    conflict: Some(conflict),
                    ..Shown::plain()
                };
                return incident_form(&app, page, f, action, shown)
                    .await
                    .map(|r| (StatusCode::CONFLICT, r).into_response());
            }
            Err(other) => return Err(other.into()),
        },
        Err(v) => errors.record(page.tr, v, |p| used.field(p)),
    }
    incident_form(&app, page, f, action, Shown::errors(errors))
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn delete_incident_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let i: Incident = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Delete, &i.data) {
        return Err(WebError::Forbidden);
    }
    let title = incident_title(&page.tr, &i);
    Ok(delete_page(
        page,
        title,
        format!("/incidents/{id}"),
        i.meta.version,
        None,
    ))
}

pub async fn delete_incident(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let version = f.get("version").and_then(|v| v.parse().ok());
    match app.delete::<Incident>(&page.principal, &id, version).await {
        Ok(()) => Ok(redirect("/map")),
        Err(e @ (AppError::VersionConflict { .. } | AppError::Conflict(_))) => {
            let i: Incident = app.get(&page.principal, &id).await?;
            let why = match e {
                AppError::Conflict(m) => m,
                _ => page.tr.t("geo-delete-changed"),
            };
            let title = incident_title(&page.tr, &i);
            Ok((
                StatusCode::CONFLICT,
                delete_page(
                    page,
                    title,
                    format!("/incidents/{id}"),
                    i.meta.version,
                    Some(why),
                ),
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}
