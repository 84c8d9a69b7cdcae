//! Places: the list, a place's page, and its form — names, kind, a point typed as
//! latitude and longitude (any digits) or taken from the gazetteer by name (the unit's
//! centroid), the admin unit it is or lies in (picked from the gazetteer, or found from
//! the point), sources, release. The gazetteer is searched on the server, so all of it
//! works without JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App};
use hawkari_core::gazetteer::UnitRef;
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::record::Kind;
use hawkari_store::PlaceFilter;

use super::super::forms::*;
use super::super::i18n::{Locale, Tr};
use super::super::rows::*;
use super::super::{PageCtx, WebError, redirect, render};
use super::TextQuery;
use super::organisations::source_label;

/// The kinds of place, in the order the form offers them.
pub(in crate::web) const PLACE_KINDS: [&str; 12] = [
    "city",
    "town",
    "village",
    "base",
    "border_crossing",
    "checkpoint",
    "site",
    "country",
    "governorate",
    "district",
    "sub_district",
    "other",
];

/// A gazetteer unit's name in the reader's language, with its level.
fn unit_label(tr: Tr, u: &UnitRef) -> String {
    let name = match tr.locale {
        Locale::En => u.name_en.as_str(),
        Locale::Ar => u.name_ar.as_str(),
        Locale::Ckb => u.name_ckb.as_deref().unwrap_or(&u.name_ar),
    };
    format!("{name} ({})", tr.t(&format!("place-level-{}", u.level)))
}

/// An admin unit and those it lies in, in words: "Tooz Khurmato (district), Salah
/// Al-Din (governorate)".
fn unit_path(tr: Tr, pcode: &str) -> String {
    let g = hawkari_app::geography::gazetteer();
    let mut out = Vec::new();
    let mut next = Some(pcode.to_owned());
    while let Some(p) = next.take() {
        let Some(u) = g.unit(&p) else { break };
        let r = g.unit_ref(u);
        out.push(unit_label(tr, &r));
        next = r.parent;
        if out.len() > 3 {
            break;
        }
    }
    out.join(", ")
}

/// A unit's centroid as (latitude, longitude), to five decimals (about a metre).
fn centroid(pcode: &str) -> Option<(f64, f64)> {
    use geo::Centroid;
    let u = hawkari_app::geography::gazetteer().unit(pcode)?;
    let c = u.shape.centroid()?;
    let round = |x: f64| (x * 1e5).round() / 1e5;
    Some((round(c.y()), round(c.x())))
}

#[derive(Template)]
#[template(path = "places.html")]
pub(in crate::web) struct PlacesPage {
    page: PageCtx,
    /// (id, name, kind, admin unit)
    places: Vec<(String, String, String, String)>,
    q: String,
    can_create: bool,
}

pub async fn places(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<TextQuery>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let filter = PlaceFilter {
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let places = app
        .list_places(&page.principal, &filter, &page_of(500))
        .await?
        .items
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                tr.name(&p.data.names).to_owned(),
                tr.t(&format!("place-kind-{}", enum_code(&p.data.kind))),
                p.data
                    .admin_unit
                    .as_deref()
                    .map(|u| unit_path(tr, u))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let can_create = may_create(&app, &page, Kind::Place);
    Ok(render(&PlacesPage {
        page,
        places,
        q: q.q.unwrap_or_default(),
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "place.html")]
pub(in crate::web) struct PlacePage {
    page: PageCtx,
    id: String,
    name: String,
    other_names: Vec<String>,
    kind: String,
    point: String,
    admin_unit: String,
    owner: String,
    released_to: Vec<String>,
    sources: Vec<String>,
    can_edit: bool,
    can_delete: bool,
}

pub async fn place(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p: Place = app.get(&page.principal, &id).await?;
    let tr = page.tr;
    let name = tr.name(&p.data.names).to_owned();
    let mut look = Lookup::new(&page, &app);
    let owner = look.org(p.data.owner_org_id.as_str()).await;
    let mut released_to = Vec::new();
    for o in &p.data.releasable_to {
        released_to.push(look.org(o.as_str()).await);
    }
    released_to.extend(
        p.data
            .release_groups
            .iter()
            .map(|g| tr.t(&format!("release-group-{g}"))),
    );
    let can_edit = may(&app, &page, Action::Update, &p.data);
    let can_delete = may(&app, &page, Action::Delete, &p.data);
    Ok(render(&PlacePage {
        id: p.id.to_string(),
        other_names: p
            .data
            .names
            .all()
            .filter(|n| *n != name)
            .map(str::to_owned)
            .collect(),
        name,
        kind: tr.t(&format!("place-kind-{}", enum_code(&p.data.kind))),
        point: p
            .data
            .point
            .map(|pt| tr.digits(&format!("{}, {}", pt.lat, pt.lon)))
            .unwrap_or_default(),
        admin_unit: p
            .data
            .admin_unit
            .as_deref()
            .map(|u| format!("{} — {u}", unit_path(tr, u)))
            .unwrap_or_default(),
        owner,
        released_to,
        sources: p.data.sources.iter().map(|s| tr.cite(s)).collect(),
        can_edit,
        can_delete,
        page,
    }))
}

#[derive(Template)]
#[template(path = "place_form.html")]
pub(in crate::web) struct PlaceForm {
    page: PageCtx,
    s: FormState,
    heading: String,
    action: String,
    reload: String,
    kinds: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    source_rows: Vec<usize>,
    /// The admin unit chosen, in words.
    unit: String,
    /// Units of the gazetteer found by the name searched: (P-code, name and level, where).
    found: Vec<(String, String, String)>,
}

const ROWS: [(&str, &str); 1] = [("sources", "src")];
const PLAIN: [(&str, &str); 4] = [
    ("kind", "kind"),
    ("point.lat", "lat"),
    ("point.lon", "lon"),
    ("admin_unit", "admin_unit"),
];

fn label(tr: Tr, key: &str) -> Option<String> {
    let plain = match key {
        "name_en" => "form-name-en",
        "name_ar" => "form-name-ar",
        "name_ckb" => "form-name-ckb",
        "aliases" => "form-aliases",
        "kind" => "place-kind",
        "lat" => "form-latitude",
        "lon" => "form-longitude",
        "admin_unit" => "form-admin-unit",
        "gaz_q" => "form-gazetteer",
        "release_to" => "form-release-orgs",
        "release_group" => "form-release-to",
        _ => return source_label(tr, key),
    };
    Some(tr.t(plain))
}

fn form_values(p: &Place) -> Fields {
    let d = &p.data;
    let mut v = Fields::default();
    names_values(&mut v, &d.names);
    v.set("kind", enum_code(&d.kind));
    if let Some(pt) = &d.point {
        v.set("lat", pt.lat.to_string());
        v.set("lon", pt.lon.to_string());
    }
    v.set("admin_unit", d.admin_unit.clone().unwrap_or_default());
    sources_values(&mut v, &d.sources);
    release_values(&mut v, d, p.meta.version);
    v
}

/// The point from the form's `lat` and `lon` (both or neither), with problems at them.
fn point_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
    let mut coordinate = |key: &str, limit: f64, range_key: &str| -> Option<f64> {
        let text = f.get(key)?;
        match parse_number(text) {
            Some(x) if (-limit..=limit).contains(&x) => Some(x),
            Some(_) => {
                errors.add(key, tr.t(range_key));
                None
            }
            None => {
                errors.add(key, tr.t("form-error-number"));
                None
            }
        }
    };
    let lat = coordinate("lat", 90.0, "form-error-latitude");
    let lon = coordinate("lon", 180.0, "form-error-longitude");
    match (f.get("lat"), f.get("lon")) {
        (Some(_), None) => errors.add("lon", tr.t("form-error-point-half")),
        (None, Some(_)) => errors.add("lat", tr.t("form-error-point-half")),
        _ => {}
    }
    match (lat, lon) {
        (Some(lat), Some(lon)) => serde_json::json!({"lat": lat, "lon": lon}),
        _ => serde_json::Value::Null,
    }
}

fn place_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
    let names = names_json(tr, f, errors);
    let point = point_json(tr, f, errors);
    let unit = f.get("admin_unit").map(str::to_uppercase);
    if let Some(u) = &unit
        && hawkari_app::geography::gazetteer().unit(u).is_none()
    {
        errors.add("admin_unit", tr.t("form-error-admin-unit"));
    }
    if f.get("kind").is_none() {
        errors.add("kind", tr.t("form-error-required"));
    }
    let sources = sources_json(tr, f, errors);
    serde_json::json!({
        "names": names,
        "kind": f.get("kind"),
        "point": point,
        "admin_unit": unit,
        "sources": sources,
        "owner_org_id": f.get("owner"),
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

async fn place_form(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: Option<&str>,
    found: Vec<UnitRef>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let mut orgs = org_choices(app, &page).await?;
    let f = &s.f.clone();
    keep_choices(&mut orgs, f.all("release_to"));
    let owner = f
        .get("owner")
        .map_or_else(|| page.user.organisation_id.to_string(), str::to_owned);
    s.visible = visible_to(
        tr,
        &owner,
        &f.all("release_to"),
        &f.all("release_group"),
        &orgs,
    );
    s.summarise(|k| label(tr, k));
    let path = id.map_or_else(
        || "/places/new".to_owned(),
        |id| format!("/places/{id}/edit"),
    );
    let unit = f
        .get("admin_unit")
        .map(|u| unit_path(tr, &u.to_uppercase()))
        .unwrap_or_default();
    let form = PlaceForm {
        heading: match id {
            None => tr.t("form-new-place"),
            Some(_) => tr.t1("form-edit-place", "name", &form_name(tr, f)),
        },
        action: path.clone(),
        reload: path,
        kinds: PLACE_KINDS
            .iter()
            .map(|k| ((*k).to_owned(), tr.t(&format!("place-kind-{k}"))))
            .collect(),
        groups: group_options(tr),
        source_rows: shown_rows(f, "src", 1),
        unit,
        found: found
            .iter()
            .map(|u| {
                (
                    u.pcode.clone(),
                    unit_label(tr, u),
                    u.parent
                        .as_deref()
                        .map(|p| unit_path(tr, p))
                        .unwrap_or_default(),
                )
            })
            .collect(),
        orgs,
        s,
        page,
    };
    Ok(render(&form))
}

/// The gazetteer's part of the form, without saving: searching it by name (`gazetteer`),
/// taking a unit found (`pick`: its P-code, its centroid as the point, and its names if
/// the place has none yet), or finding the unit the typed point lies in (`locate`).
/// `None` when the post is a save.
async fn gazetteer_step(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: Option<&str>,
) -> Result<Result<Response, (PageCtx, FormState)>, WebError> {
    let tr = page.tr;
    let g = hawkari_app::geography::gazetteer();
    if s.f.get("add_row").is_some() {
        return Ok(Ok(place_form(app, page, s, id, vec![]).await?));
    }
    if s.f.get("gazetteer").is_some() {
        let q = s.f.get("gaz_q").unwrap_or("").to_owned();
        let found: Vec<UnitRef> = g.lookup(&q).into_iter().take(12).collect();
        if found.is_empty() {
            s.errors.add("gaz_q", tr.t("form-gazetteer-none"));
        }
        return Ok(Ok(place_form(app, page, s, id, found).await?));
    }
    if let Some(pcode) = s.f.get("pick").map(str::to_owned) {
        if let Some(u) = g.unit(&pcode) {
            let r = g.unit_ref(u);
            s.f.set("admin_unit", r.pcode.clone());
            if let Some((lat, lon)) = centroid(&r.pcode) {
                s.f.set("lat", lat.to_string());
                s.f.set("lon", lon.to_string());
            }
            if ["name_en", "name_ar", "name_ckb"]
                .iter()
                .all(|k| s.f.get(k).is_none())
            {
                s.f.set("name_en", r.name_en.clone());
                s.f.set("name_ar", r.name_ar.clone());
                s.f.set("name_ckb", r.name_ckb.clone().unwrap_or_default());
            }
        }
        s.f.set("pick", "");
        return Ok(Ok(place_form(app, page, s, id, vec![]).await?));
    }
    if s.f.get("locate").is_some() {
        let mut errors = FieldErrors::default();
        let point = point_json(tr, &s.f, &mut errors);
        match (point["lat"].as_f64(), point["lon"].as_f64()) {
            (Some(lat), Some(lon)) => {
                let l = g.locate(lon, lat);
                match l.sub_district.or(l.district).or(l.governorate) {
                    Some(u) => s.f.set("admin_unit", u.pcode),
                    None => s.errors.add("admin_unit", tr.t("form-error-outside-iraq")),
                }
            }
            _ if errors.is_empty() => s.errors.add("lat", tr.t("form-error-required")),
            _ => s.errors = errors,
        }
        return Ok(Ok(place_form(app, page, s, id, vec![]).await?));
    }
    Ok(Err((page, s)))
}

pub async fn new_place(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    if !may_create(&app, &page, Kind::Place) {
        return Err(WebError::Forbidden);
    }
    let mut f = Fields::default();
    f.set("kind", "town");
    place_form(&app, page, FormState::new(f), None, vec![]).await
}

pub async fn create_place(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !may_create(&app, &page, Kind::Place) {
        return Err(WebError::Forbidden);
    }
    let (page, mut s) = match gazetteer_step(&app, page, FormState::new(f), None).await? {
        Ok(r) => return Ok(r),
        Err(back) => back,
    };
    let tr = page.tr;
    let mut body = place_json(tr, &s.f, &mut s.errors);
    body["owner_org_id"] = serde_json::json!(page.user.organisation_id);
    if s.errors.is_empty() {
        match hawkari_core::record::from_json_value::<PlaceData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Place>(&page.principal, None, data).await {
                Ok(p) => return Ok(redirect(&format!("/places/{}", p.id))),
                Err(e) => {
                    save_problems(tr, e, &mut s.errors, &ROWS, &PLAIN)?;
                }
            },
            Err(v) => json_problems(tr, v, &mut s.errors, &ROWS, &PLAIN),
        }
    }
    place_form(&app, page, s, None, vec![])
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn edit_place(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p: Place = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &p.data) {
        return Err(WebError::Forbidden);
    }
    place_form(
        &app,
        page,
        FormState::new(form_values(&p)),
        Some(&id),
        vec![],
    )
    .await
}

/// Saves the edit form over the stored place: names, kind, point, admin unit, sources
/// and release replace what is stored; the owner and caveat stay. Unchanged, nothing is
/// written.
pub async fn update_place(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Place = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &current.data) {
        return Err(WebError::Forbidden);
    }
    let (page, mut s) = match gazetteer_step(&app, page, FormState::new(f), Some(&id)).await? {
        Ok(r) => return Ok(r),
        Err(back) => back,
    };
    let tr = page.tr;
    let form = place_json(tr, &s.f, &mut s.errors);
    let mut merged = serde_json::json!(current.data);
    for key in ["names", "kind", "point", "admin_unit", "sources"] {
        merged[key] = form[key].clone();
    }
    for key in ["releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if s.errors.is_empty() {
        if let Some(change) =
            unconfirmed_release_change(&app, &page, &current.data, &merged, &s.f).await?
        {
            s.release_change = Some(change);
            return place_form(&app, page, s, Some(&id), vec![])
                .await
                .map(|r| (StatusCode::CONFLICT, r).into_response());
        }
        let saved = save_edit::<Place>(
            &app,
            &page,
            &id,
            &current.data,
            merged,
            &mut s,
            &ROWS,
            &PLAIN,
        );
        match saved.await? {
            Saved::Done => return Ok(redirect(&format!("/places/{id}"))),
            Saved::Refused => {}
            Saved::Stale(latest) => {
                let orgs = org_choices(&app, &page).await?;
                s.conflict = Some(Conflict {
                    who: saved_by(tr, &latest.meta),
                    rows: conflict_rows(
                        &form_values(&latest),
                        &s.f,
                        |k| label(tr, k).filter(|_| k != "gaz_q"),
                        |k, v| match k {
                            "kind" => tr.t(&format!("place-kind-{v}")),
                            "admin_unit" => unit_path(tr, v),
                            "release_to" => choice_name(&orgs, v),
                            "release_group" => tr.t(&format!("release-group-{v}")),
                            _ => v.to_owned(),
                        },
                    ),
                });
                status = StatusCode::CONFLICT;
            }
        }
    }
    place_form(&app, page, s, Some(&id), vec![])
        .await
        .map(|r| (status, r).into_response())
}

fn place_name(p: &Place) -> String {
    p.data.names.display().to_owned()
}

pub async fn delete_place_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    super::delete_page::<Place>(&app, page, "/places", &id, place_name, None).await
}

pub async fn delete_place(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    super::delete_record::<Place>(&app, page, "/places", &id, Fields(pairs), place_name).await
}
