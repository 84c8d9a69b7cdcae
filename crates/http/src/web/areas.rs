//! Areas in the web — areas of responsibility, the coordination line, areas of concern:
//! the list, an area's page, and the form that records, edits and deletes one.
//!
//! An area's shape comes one of three ways: composed from admin units (picked from a
//! list by name in the reader's script, or by clicking units on the map), a GeoJSON file
//! uploaded (Polygon, MultiPolygon or LineString; a Feature or FeatureCollection holding
//! one), or drawn on the map with Leaflet-Geoman (from the npm registry, served by
//! Hawkari). The drawing is GeoJSON in the form's `geometry` field, so without JavaScript
//! the list of units, the file and that field (pasted GeoJSON) still work. A shape that
//! does not close or is not valid is refused at the field, in the reader's language.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App, AppError};
use hawkari_core::area::{Area, AreaData, AreaKind};
use hawkari_store::AreaFilter;
use serde_json::{Value, json};

use super::forms::*;
use super::i18n::Tr;
use super::incidents::{Shown, org_choices, unit_name};
use super::rows::{Lookup, enum_code, page_of};
use super::{DrawLibrary, MapLibrary, PageCtx, WebError, assets, redirect, render};

const KINDS: [&str; 3] = ["responsibility", "coordination_line", "concern"];

fn kind_label(tr: &Tr, kind: AreaKind) -> String {
    tr.t(&format!("area-kind-{}", enum_code(&kind)))
}

/// The area's name in the reader's script.
fn area_name(tr: &Tr, a: &Area) -> String {
    tr.name(&a.data.names).to_owned()
}

// ---------------------------------------------------------------- the list

/// An area as the list shows it.
pub struct AreaRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub responsible: String,
    pub valid: String,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    page: PageCtx,
    rows: Vec<AreaRow>,
}

/// "from 16 October 2017", "1 January 2022 – 31 December 2024", or nothing.
fn validity(tr: &Tr, d: &AreaData) -> String {
    match (d.valid_from, d.valid_to) {
        (Some(f), Some(t)) => format!("{} – {}", tr.date(f), tr.date(t)),
        (Some(f), None) => tr.t1("area-valid-from", "date", &tr.date(f)),
        (None, Some(t)) => tr.t1("area-valid-to", "date", &tr.date(t)),
        (None, None) => String::new(),
    }
}

pub async fn areas(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let tr = page.tr;
    let list = app
        .list_areas(&page.principal, &AreaFilter::default(), &page_of(500))
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut rows = Vec::new();
    for a in &list.items {
        rows.push(AreaRow {
            id: a.id.to_string(),
            name: area_name(&tr, a),
            kind: kind_label(&tr, a.data.kind),
            responsible: match &a.data.organisation_id {
                Some(o) => look.org(o.as_str()).await,
                None => String::new(),
            },
            valid: validity(&tr, &a.data),
        });
    }
    Ok(render(&AreasPage { page, rows }))
}

// ---------------------------------------------------------------- the area's page

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    page: PageCtx,
    library: Option<MapLibrary>,
    form_js: &'static str,
    id: String,
    name: String,
    other_names: Vec<String>,
    kind: String,
    responsible: String,
    valid: String,
    illustrative: bool,
    /// The admin units it is made of, in the reader's script.
    units: Vec<String>,
    sources: Vec<String>,
    owner: String,
    released_to: Vec<String>,
    can_edit: bool,
    can_delete: bool,
}

pub async fn area(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a: Area = app.get(&page.principal, &id).await?;
    let tr = page.tr;
    let d = &a.data;
    let mut look = Lookup::new(&page, &app);
    let name = area_name(&tr, &a);
    let other_names = [&d.names.en, &d.names.ar, &d.names.ckb]
        .into_iter()
        .flatten()
        .map(ToString::to_string)
        .filter(|n| *n != name)
        .collect();
    let g = hawkari_app::geography::gazetteer();
    let units = d
        .admin_units
        .iter()
        .map(|p| g.unit(p).map_or_else(|| p.clone(), |u| unit_name(&tr, u)))
        .collect();
    let mut released_to = Vec::new();
    for o in &d.releasable_to {
        released_to.push(look.org(o.as_str()).await);
    }
    released_to.extend(
        d.release_groups
            .iter()
            .map(|g| tr.t(&format!("release-group-{g}"))),
    );
    Ok(render(&AreaPage {
        library: assets().map_library,
        form_js: assets().record_map_js,
        id: a.id.to_string(),
        name,
        other_names,
        kind: kind_label(&tr, d.kind),
        responsible: match &d.organisation_id {
            Some(o) => look.org(o.as_str()).await,
            None => String::new(),
        },
        valid: validity(&tr, d),
        illustrative: d.illustrative,
        units,
        sources: d.sources.iter().map(|s| tr.cite(s)).collect(),
        owner: look.org(d.owner_org_id.as_str()).await,
        released_to,
        can_edit: may(&app, &page, Action::Update, d),
        can_delete: may(&app, &page, Action::Delete, d),
        page,
    }))
}

// ---------------------------------------------------------------- the form

#[derive(Template)]
#[template(path = "area_form.html")]
struct AreaForm {
    page: PageCtx,
    library: Option<MapLibrary>,
    draw: Option<DrawLibrary>,
    form_js: &'static str,
    heading: String,
    action: String,
    back: String,
    f: Fields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    release_change: Option<(Vec<String>, String)>,
    visible: Vec<String>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    /// The admin units to pick from, by level: (level's label, [(P-code, name)]).
    unit_groups: Vec<(String, Vec<(String, String)>)>,
    /// The interface's words the map script needs (drawing tools, levels).
    words: String,
}

impl AreaForm {
    fn v(&self, key: &str) -> &str {
        self.f.get(key).unwrap_or("")
    }
    fn sel(&self, key: &str, value: &str) -> bool {
        self.v(key) == value
    }
    fn has(&self, key: &str, value: &str) -> bool {
        self.f.all(key).iter().any(|v| v == value)
    }
    fn err(&self, key: &str) -> Vec<&str> {
        self.errors.at(key)
    }
}

/// Every admin unit of the `levels` by level, named in the reader's script with the unit
/// it lies in.
pub(super) fn unit_groups(
    tr: &Tr,
    levels: std::ops::RangeInclusive<u8>,
) -> Vec<(String, Vec<(String, String)>)> {
    let g = hawkari_app::geography::gazetteer();
    levels
        .map(|level| {
            let mut units: Vec<(String, String)> = g
                .units(level)
                .map(|u| {
                    let name = unit_name(tr, u);
                    let label = match u.parent.as_deref().and_then(|p| g.unit(p)) {
                        Some(parent) => format!("{name} ({})", unit_name(tr, parent)),
                        None => name,
                    };
                    (u.pcode.clone(), label)
                })
                .collect();
            units.sort_by(|a, b| a.1.cmp(&b.1));
            (tr.t(&format!("form-unit-level-{level}-plural")), units)
        })
        .collect()
}

async fn area_form(
    app: &App,
    page: PageCtx,
    f: Fields,
    action: String,
    shown: Shown,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let orgs = org_choices(
        app,
        &page,
        f.all("organisation").into_iter().chain(f.all("release_to")),
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
    let mut groups = unit_groups(&tr, 1..=3);
    // A P-code the gazetteer does not know (a record from elsewhere) stays selectable.
    for p in f.all("units") {
        if !groups.iter().any(|(_, u)| u.iter().any(|(c, _)| *c == p)) {
            groups[2].1.push((p.clone(), p));
        }
    }
    let words = json!({
        "lang": tr.locale.code(),
        "drawStart": tr.t("form-draw-start"),
        "drawPolygon": tr.t("form-draw-polygon"),
        "drawLine": tr.t("form-draw-line"),
        "drawRectangle": tr.t("form-draw-rectangle"),
        "edit": tr.t("form-draw-edit"),
        "remove": tr.t("form-draw-remove"),
        "finish": tr.t("form-draw-finish"),
        "cancel": tr.t("form-draw-cancel"),
        "removeLastVertex": tr.t("form-draw-undo"),
        "firstVertex": tr.t("form-draw-first"),
        "continueLine": tr.t("form-draw-continue"),
        "finishLine": tr.t("form-draw-finish-line"),
        "finishPoly": tr.t("form-draw-finish-poly"),
        "finishRect": tr.t("form-draw-finish-rect"),
    })
    .to_string();
    let heading = tr.t(if action.ends_with("/edit") {
        "form-edit-area"
    } else {
        "form-new-area"
    });
    let back = action
        .strip_suffix("/edit")
        .map_or_else(|| "/areas".to_owned(), str::to_owned);
    Ok(render(&AreaForm {
        library: assets().map_library,
        draw: assets().draw_library,
        form_js: assets().record_map_js,
        heading,
        action,
        back,
        orgs,
        groups: group_options(tr),
        kinds: KINDS
            .iter()
            .map(|k| ((*k).to_owned(), tr.t(&format!("area-kind-{k}"))))
            .collect(),
        unit_groups: groups,
        words,
        visible,
        errors: shown.errors,
        conflict: shown.conflict,
        release_change: shown.release_change,
        f,
        page,
    }))
}

/// The form's fields for a stored area. A shape composed of admin units is shown as
/// the units (the server composes it again); any other as its GeoJSON.
fn form_values(a: &Area) -> Fields {
    let d = &a.data;
    let mut v = Fields::default();
    v.set("version", a.meta.version.to_string());
    v.set("owner", d.owner_org_id.to_string());
    let name = |n: &Option<hawkari_core::values::Name>| {
        n.as_ref().map(ToString::to_string).unwrap_or_default()
    };
    v.set("name_en", name(&d.names.en));
    v.set("name_ar", name(&d.names.ar));
    v.set("name_ckb", name(&d.names.ckb));
    v.set("kind", enum_code(&d.kind));
    if let Some(o) = &d.organisation_id {
        v.set("organisation", o.to_string());
    }
    if let Some(day) = d.valid_from {
        v.set("valid_from", day.to_string());
    }
    if let Some(day) = d.valid_to {
        v.set("valid_to", day.to_string());
    }
    if d.illustrative {
        v.set("illustrative", "1");
    }
    for p in &d.admin_units {
        v.push("units", p.clone());
    }
    if d.admin_units.is_empty() {
        v.set("shape_from", "geometry");
        if let Some(g) = &d.geometry {
            v.set("geometry", serde_json::to_string(g).unwrap_or_default());
        }
    } else {
        v.set("shape_from", "units");
    }
    for o in &d.releasable_to {
        v.push("release_to", o.to_string());
    }
    for g in &d.release_groups {
        v.push("release_group", g.as_str());
    }
    v
}

/// The posted fields, from a plain form or from one with a file (multipart): a GeoJSON
/// file becomes the `geometry_file` field (an empty file input is left out).
async fn read_fields(req: Request, app: &App) -> Result<Fields, WebError> {
    let multipart = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, app)
            .await
            .map_err(|_| WebError::BadRequest)?;
        return Ok(Fields(pairs));
    }
    let mut parts = Multipart::from_request(req, app)
        .await
        .map_err(|_| WebError::BadRequest)?;
    let mut f = Fields::default();
    while let Some(field) = parts.next_field().await.map_err(|_| WebError::BadRequest)? {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|_| WebError::BadRequest)?;
        if is_file {
            if !bytes.is_empty() {
                f.push(&name, String::from_utf8_lossy(&bytes).into_owned());
            }
        } else {
            f.push(&name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(f)
}

/// Checks GeoJSON text as an area's shape and returns its geometry: a Geometry, or a
/// Feature or FeatureCollection of one (several polygons become a MultiPolygon). The
/// type must suit the kind (a coordination line is a LineString, other areas polygons),
/// every ring must close with four positions or more, and the shape must be valid (no
/// ring crossing itself or another). Problems go to `field`, in the reader's language.
fn parse_geometry(
    text: &str,
    kind: AreaKind,
    field: &str,
    tr: Tr,
    errors: &mut FieldErrors,
) -> Option<Value> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = tr.num(e.line());
            errors.add(field, tr.t1("form-geojson-json", "line", &line));
            return None;
        }
    };
    let geometry = match value["type"].as_str() {
        Some("Feature") => value["geometry"].clone(),
        Some("FeatureCollection") => {
            let geometries: Vec<Value> = value["features"]
                .as_array()
                .map(|fs| fs.iter().map(|f| f["geometry"].clone()).collect())
                .unwrap_or_default();
            match geometries.as_slice() {
                [one] => one.clone(),
                many if !many.is_empty()
                    && many.iter().all(|g| {
                        matches!(g["type"].as_str(), Some("Polygon" | "MultiPolygon"))
                    }) =>
                {
                    let mut polygons = Vec::new();
                    for g in many {
                        match g["type"].as_str() {
                            Some("Polygon") => polygons.push(g["coordinates"].clone()),
                            _ => polygons
                                .extend(g["coordinates"].as_array().cloned().unwrap_or_default()),
                        }
                    }
                    json!({"type": "MultiPolygon", "coordinates": polygons})
                }
                _ => {
                    errors.add(field, tr.t("form-geojson-one"));
                    return None;
                }
            }
        }
        _ => value,
    };
    let wanted = if kind == AreaKind::CoordinationLine {
        "form-geojson-type-line"
    } else {
        "form-geojson-type-area"
    };
    let found = geometry["type"].as_str().unwrap_or("?").to_owned();
    let suits = match (kind, found.as_str()) {
        (AreaKind::CoordinationLine, t) => t == "LineString",
        (_, t) => t == "Polygon" || t == "MultiPolygon",
    };
    if !suits {
        errors.add(field, tr.t1(wanted, "type", &found));
        return None;
    }
    let polygons: Vec<&Value> = match found.as_str() {
        "Polygon" => vec![&geometry["coordinates"]],
        "MultiPolygon" => geometry["coordinates"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => vec![],
    };
    let before = errors.len();
    let position = |p: &Value| {
        p.as_array().is_some_and(|c| {
            c.len() >= 2
                && c[0].as_f64().is_some_and(|x| (-180.0..=180.0).contains(&x))
                && c[1].as_f64().is_some_and(|y| (-90.0..=90.0).contains(&y))
        })
    };
    for (i, rings) in polygons.iter().enumerate() {
        let Some(rings) = rings.as_array().filter(|r| !r.is_empty()) else {
            errors.add(field, tr.t("form-geojson-coordinates"));
            continue;
        };
        for (j, ring) in rings.iter().enumerate() {
            let which = if polygons.len() > 1 {
                tr.t2(
                    "form-geojson-ring-of",
                    &("ring", &tr.num(j + 1)),
                    &("polygon", &tr.num(i + 1)),
                )
            } else {
                tr.t1("form-geojson-ring", "ring", &tr.num(j + 1))
            };
            let positions = ring.as_array().cloned().unwrap_or_default();
            if !positions.iter().all(position) {
                errors.add(field, tr.t("form-geojson-coordinates"));
            } else if positions.len() < 4 {
                errors.add(field, tr.t1("form-geojson-ring-short", "ring", &which));
            } else if positions.first() != positions.last() {
                errors.add(field, tr.t1("form-geojson-ring-open", "ring", &which));
            }
        }
    }
    if found == "LineString"
        && !geometry["coordinates"]
            .as_array()
            .is_some_and(|ps| ps.len() >= 2 && ps.iter().all(position))
    {
        errors.add(field, tr.t("form-geojson-coordinates"));
    }
    if errors.len() > before {
        return None;
    }
    let shape = serde_json::from_value::<geojson::Geometry>(geometry.clone())
        .ok()
        .and_then(|g| geo::Geometry::<f64>::try_from(g.value).ok());
    let Some(shape) = shape else {
        errors.add(field, tr.t("form-geojson-coordinates"));
        return None;
    };
    use geo::Validation;
    let problems: Vec<String> = match &shape {
        geo::Geometry::Polygon(p) => p
            .validation_errors()
            .iter()
            .map(ToString::to_string)
            .collect(),
        geo::Geometry::MultiPolygon(m) => m
            .validation_errors()
            .iter()
            .map(ToString::to_string)
            .collect(),
        geo::Geometry::LineString(l) => l
            .validation_errors()
            .iter()
            .map(ToString::to_string)
            .collect(),
        _ => vec![],
    };
    if let Some(first) = problems.first() {
        errors.add(field, tr.t1("form-geojson-invalid", "detail", first));
        return None;
    }
    Some(geometry)
}

/// The API's JSON for an area from the form's fields, with its shape: the admin units
/// picked, or the geometry of the uploaded file, else of the `geometry` field (drawn
/// on the map or pasted). Problems of the form's own are added to `errors`.
fn area_json(f: &mut Fields, owner: &str, tr: Tr, errors: &mut FieldErrors) -> Value {
    let get = |f: &Fields, k: &str| f.get(k).map(str::to_owned);
    let kind_code = get(f, "kind").unwrap_or_else(|| "concern".into());
    let kind = match kind_code.as_str() {
        "responsibility" => AreaKind::Responsibility,
        "coordination_line" => AreaKind::CoordinationLine,
        _ => AreaKind::Concern,
    };
    let mut day = |k: &str| -> Option<String> {
        let v = f.get(k)?;
        match hawkari_core::time::parse_day(&hawkari_core::time::ascii_digits(v)) {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                errors.add(k, tr.t1("form-not-a-day", "value", v));
                None
            }
        }
    };
    let (valid_from, valid_to) = (day("valid_from"), day("valid_to"));
    // A file chosen wins: it is what the user just gave. Its text then stands in the
    // `geometry` field, so that a refused save keeps it (a file input cannot be refilled).
    if let Some(text) = get(f, "geometry_file") {
        f.set("geometry", text);
        f.set("geometry_file", "");
        f.set("shape_from", "geometry");
    }
    let from_units = f.get("shape_from") == Some("units")
        || (f.get("shape_from").is_none() && !f.all("units").is_empty());
    let (units, geometry) = if from_units {
        if f.all("units").is_empty() {
            errors.add("units", tr.t("form-units-needed"));
        }
        (f.all("units"), Value::Null)
    } else {
        let geometry = match f.get("geometry") {
            Some(text) => parse_geometry(text, kind, "geometry", tr, errors).unwrap_or(Value::Null),
            None => {
                errors.add("geometry", tr.t("form-geometry-needed"));
                Value::Null
            }
        };
        (vec![], geometry)
    };
    json!({
        "kind": kind_code,
        "names": {"en": get(f, "name_en"), "ar": get(f, "name_ar"), "ckb": get(f, "name_ckb")},
        "organisation_id": get(f, "organisation"),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "admin_units": units,
        "geometry": geometry,
        "illustrative": f.get("illustrative").is_some(),
        "owner_org_id": owner,
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

/// The form field an API path names.
fn area_field(path: &str) -> Option<String> {
    Some(
        match path.split(['.', '[']).next().unwrap_or_default() {
            "names" => match path {
                "names.ar" => "name_ar",
                "names.ckb" => "name_ckb",
                _ => "name_en",
            },
            "kind" => "kind",
            "organisation_id" => "organisation",
            "valid_from" => "valid_from",
            "valid_to" => "valid_to",
            "admin_units" => "units",
            "geometry" => "geometry",
            "releasable_to" => "release_to",
            "release_groups" => "release_group",
            _ => return None,
        }
        .to_owned(),
    )
}

fn field_label(tr: Tr, key: &str) -> Option<String> {
    let key = match key {
        "name_en" => "form-name-en",
        "name_ar" => "form-name-ar",
        "name_ckb" => "form-name-ckb",
        "kind" => "area-kind",
        "organisation" => "area-responsible",
        "valid_from" => "form-valid-from",
        "valid_to" => "form-valid-to",
        "illustrative" => "area-illustrative",
        "units" => "form-units",
        "shape_from" => "form-shape",
        "geometry" => "form-geometry",
        "release_to" => "form-release-orgs",
        "release_group" => "form-release-to",
        _ => return None,
    };
    Some(tr.t(key))
}

pub async fn new_area(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let mut f = Fields::default();
    f.set("kind", "responsibility");
    f.set("shape_from", "units");
    area_form(&app, page, f, "/areas/new".into(), Shown::plain()).await
}

pub async fn edit_area(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a: Area = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &a.data) {
        return Err(WebError::Forbidden);
    }
    area_form(
        &app,
        page,
        form_values(&a),
        format!("/areas/{id}/edit"),
        Shown::plain(),
    )
    .await
}

fn refused(r: Result<Response, WebError>, status: StatusCode) -> Result<Response, WebError> {
    r.map(|r| (status, r).into_response())
}

pub async fn create_area(
    State(app): State<App>,
    page: PageCtx,
    req: Request,
) -> Result<Response, WebError> {
    let mut f = read_fields(req, &app).await?;
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let action = "/areas/new".to_owned();
    let owner = page.user.organisation_id.to_string();
    let mut errors = FieldErrors::default();
    let body = area_json(&mut f, &owner, page.tr, &mut errors);
    if errors.is_empty() {
        match hawkari_core::record::from_json_value::<AreaData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Area>(&page.principal, None, data).await {
                Ok(a) => return Ok(redirect(&format!("/areas/{}", a.id))),
                Err(AppError::Invalid(v)) => errors.record(page.tr, v, area_field),
                Err(other) => return Err(other.into()),
            },
            Err(v) => errors.record(page.tr, v, area_field),
        }
    }
    refused(
        area_form(&app, page, f, action, Shown::errors(errors)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// Saves the edit form over the stored area: what the form shows replaces what is
/// stored (aliases and sources are kept); unchanged, nothing is written; a change of
/// release is confirmed first; a version saved meanwhile is shown beside the form's.
pub async fn update_area(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, WebError> {
    let mut f = read_fields(req, &app).await?;
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let action = format!("/areas/{id}/edit");
    let current: Area = app.get(&page.principal, &id).await?;
    let owner = current.data.owner_org_id.to_string();
    let mut errors = FieldErrors::default();
    let form = area_json(&mut f, &owner, page.tr, &mut errors);
    if !errors.is_empty() {
        return refused(
            area_form(&app, page, f, action, Shown::errors(errors)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let mut merged = json!(current.data);
    for key in [
        "kind",
        "organisation_id",
        "valid_from",
        "valid_to",
        "illustrative",
    ] {
        merged[key] = form[key].clone();
    }
    for lang in ["en", "ar", "ckb"] {
        merged["names"][lang] = form["names"][lang].clone();
    }
    for key in ["admin_units", "releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    // The same units compose the same shape: the stored one is kept rather than
    // composed again; other units (or none) leave it to the server.
    let same_units = merged["admin_units"] == json!(current.data.admin_units);
    if form["admin_units"]
        .as_array()
        .is_some_and(|u| !u.is_empty())
    {
        if !same_units {
            merged["geometry"] = Value::Null;
        }
    } else {
        merged["geometry"] = form["geometry"].clone();
    }
    if let Some(change) = unconfirmed_release_change(&app, &page, &current.data, &form, &f).await? {
        let shown = Shown {
            release_change: Some(change),
            ..Shown::plain()
        };
        return refused(
            area_form(&app, page, f, action, shown).await,
            StatusCode::CONFLICT,
        );
    }
    let version = f.get("version").and_then(|v| v.parse().ok());
    match hawkari_core::record::from_json_value::<AreaData>(without_nulls(merged), "") {
        Ok(data) if data == current.data => return Ok(redirect(&format!("/areas/{id}"))),
        Ok(data) => match app
            .update::<Area>(&page.principal, &id, data, version)
            .await
        {
            Ok(_) => return Ok(redirect(&format!("/areas/{id}"))),
            Err(AppError::Invalid(v)) => errors.record(page.tr, v, area_field),
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
                return refused(
                    area_form(&app, page, f, action, shown).await,
                    StatusCode::CONFLICT,
                );
            }
            Err(other) => return Err(other.into()),
        },
        Err(v) => errors.record(page.tr, v, area_field),
    }
    refused(
        area_form(&app, page, f, action, Shown::errors(errors)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

pub async fn delete_area_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a: Area = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Delete, &a.data) {
        return Err(WebError::Forbidden);
    }
    let name = area_name(&page.tr, &a);
    Ok(delete_page(
        page,
        name,
        format!("/areas/{id}"),
        a.meta.version,
        None,
    ))
}

pub async fn delete_area(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let version = f.get("version").and_then(|v| v.parse().ok());
    match app.delete::<Area>(&page.principal, &id, version).await {
        Ok(()) => Ok(redirect("/areas")),
        Err(e @ (AppError::VersionConflict { .. } | AppError::Conflict(_))) => {
            let a: Area = app.get(&page.principal, &id).await?;
            let why = match e {
                AppError::Conflict(m) => m,
                _ => page.tr.t("geo-delete-changed"),
            };
            let name = area_name(&page.tr, &a);
            Ok((
                StatusCode::CONFLICT,
                delete_page(
                    page,
                    name,
                    format!("/areas/{id}"),
                    a.meta.version,
                    Some(why),
                ),
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}
