//! An operation's forms (`/operations/new`, `/operations/{id}/edit`,
//! `/operations/{id}/delete`): names, description, period, the joint body tasking it,
//! and any number of sites — kind, a point (latitude and longitude in any digits) or a
//! registry place, the force leading it and those supporting it, the liaison (an
//! organisation and a role) — with sources and release. A site keeps what the form does
//! not show (its status reports, incidents, other spellings), matched by a hidden
//! `site{n}_was` key; the admin units are derived again from the point on saving.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App};
use hawkari_core::operation::{Operation, OperationData, SiteKind};
use hawkari_core::record::Kind;
use serde_json::{Value, json};

use super::forms::*;
use super::i18n::Tr;
use super::programme_forms::{make_key, partial_at, rows_with};
use super::rows::page_of;
use super::{PageCtx, WebError, redirect, render};

fn opt<T: ToString>(o: &Option<T>) -> String {
    o.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn form_values(o: &Operation) -> Fields {
    let d = &o.data;
    let mut v = Fields::default();
    names_values(&mut v, &d.names);
    v.set("summary", opt(&d.summary));
    v.set("start", d.start.to_string());
    v.set("end", d.end.to_string());
    v.set("lead", opt(&d.lead_org_id));
    for (i, s) in d.sites.iter().enumerate() {
        let p = format!("site{}", i + 1);
        v.set(&format!("{p}_was"), s.key.to_string());
        v.set(&format!("{p}_key"), s.key.to_string());
        v.set(&format!("{p}_name_en"), opt(&s.names.en));
        v.set(&format!("{p}_name_ar"), opt(&s.names.ar));
        v.set(&format!("{p}_name_ckb"), opt(&s.names.ckb));
        v.set(&format!("{p}_kind"), s.kind.as_str());
        if let Some(pt) = &s.point {
            v.set(&format!("{p}_lat"), pt.lat.to_string());
            v.set(&format!("{p}_lon"), pt.lon.to_string());
        }
        v.set(&format!("{p}_place"), opt(&s.place_id));
        v.set(&format!("{p}_lead"), opt(&s.lead_org_id));
        for o in &s.supporting_org_ids {
            v.push(&format!("{p}_supporting"), o.to_string());
        }
        if let Some(l) = &s.liaison {
            v.set(&format!("{p}_liaison_org"), l.organisation_id.to_string());
            v.set(&format!("{p}_liaison_role"), l.role.to_string());
        }
    }
    sources_values(&mut v, &d.sources);
    release_values(&mut v, d, o.meta.version);
    v
}

/// Which form row each site and source came from.
#[derive(Debug, Default)]
struct Used {
    sites: Vec<usize>,
    src: Vec<usize>,
}

impl Used {
    fn field(&self, path: &str) -> String {
        let index = |list: &str| -> Option<(usize, String)> {
            let rest = path.strip_prefix(list)?.strip_prefix('[')?;
            let (n, rest) = rest.split_once(']')?;
            Some((n.parse().ok()?, rest.trim_start_matches('.').to_owned()))
        };
        if let Some((i, rest)) = index("sites")
            && let Some(n) = self.sites.get(i)
        {
            let f = match rest.split(['.', '[']).next().unwrap_or("") {
                "names" => match rest.strip_prefix("names.") {
                    Some(s) if ["ar", "ckb"].contains(&s) => return format!("site{n}_name_{s}"),
                    _ => "name_en",
                },
                "point" if rest.ends_with("lon") => "lon",
                "point" => "lat",
                "kind" => "kind",
                "place_id" => "place",
                "lead_org_id" => "lead",
                "supporting_org_ids" => "supporting",
                "liaison" if rest.ends_with("role") => "liaison_role",
                "liaison" => "liaison_org",
                _ => "key",
            };
            return format!("site{n}_{f}");
        }
        if let Some((i, rest)) = index("sources")
            && let Some(n) = self.src.get(i)
        {
            let f = rest.split(['.', '[']).next().unwrap_or("");
            return format!("src{n}_{}", if f.is_empty() { "publisher" } else { f });
        }
        form_field(
            path,
            &[],
            &[
                ("summary", "summary"),
                ("start", "start"),
                ("end", "end"),
                ("lead_org_id", "lead"),
            ],
        )
    }
}

fn coordinate(tr: Tr, f: &Fields, key: &str, limit: f64, errors: &mut FieldErrors) -> Option<f64> {
    let text = f.get(key)?;
    match parse_number(text) {
        Some(x) if (-limit..=limit).contains(&x) => Some(x),
        Some(_) => {
            errors.add(
                key,
                tr.t(if limit == 90.0 {
                    "form-error-latitude"
                } else {
                    "form-error-longitude"
                }),
            );
            None
        }
        None => {
            errors.add(key, tr.t("form-error-number"));
            None
        }
    }
}

fn operation_json(
    tr: Tr,
    f: &Fields,
    stored: Option<&OperationData>,
    errors: &mut FieldErrors,
) -> (Value, Used) {
    let mut used = Used::default();
    let names = names_json(tr, f, errors);
    let mut sites = Vec::new();
    for n in 1..=rows_of(f, "site") {
        let p = format!("site{n}");
        let get = |x: &str| f.get(&format!("{p}_{x}"));
        let supporting = f.all(&format!("{p}_supporting"));
        if [
            get("key"),
            get("name_en"),
            get("name_ar"),
            get("name_ckb"),
            get("lat"),
            get("lon"),
            get("place"),
            get("lead"),
            get("liaison_org"),
            get("liaison_role"),
        ]
        .iter()
        .all(Option::is_none)
            && supporting.is_empty()
        {
            continue;
        }
        used.sites.push(n);
        let mut site = match (stored, get("was")) {
            (Some(d), Some(was)) => json!(d)["sites"]
                .as_array()
                .and_then(|a| a.iter().find(|s| s["key"] == was).cloned())
                .unwrap_or_else(|| json!({})),
            _ => json!({}),
        };
        let aliases = site["names"]["aliases"].clone();
        let (en, ar, ckb) = (get("name_en"), get("name_ar"), get("name_ckb"));
        if en.is_none() && ar.is_none() && ckb.is_none() {
            errors.add(format!("{p}_name_en"), tr.t("form-error-name-needed"));
        }
        site["key"] = json!(
            get("key")
                .map(str::to_owned)
                .unwrap_or_else(|| make_key(en, "site", n))
        );
        site["names"] = json!({"en": en, "ar": ar, "ckb": ckb, "aliases": aliases});
        let kind = get("kind").unwrap_or("other");
        if kind.parse::<SiteKind>().is_err() {
            errors.add(format!("{p}_kind"), tr.t("form-error-required"));
        }
        site["kind"] = json!(kind);
        let lat = coordinate(tr, f, &format!("{p}_lat"), 90.0, errors);
        let lon = coordinate(tr, f, &format!("{p}_lon"), 180.0, errors);
        site["point"] = match (get("lat"), get("lon"), lat, lon) {
            (_, _, Some(lat), Some(lon)) => {
                let pt = hawkari_core::values::Point { lat, lon };
                if hawkari_app::geography::outside_iraq(&pt).is_some() {
                    errors.add(format!("{p}_lat"), tr.t("form-outside-iraq"));
                }
                json!({"lat": lat, "lon": lon})
            }
            (Some(_), None, _, _) => {
                errors.add(format!("{p}_lon"), tr.t("form-error-point-half"));
                Value::Null
            }
            (None, Some(_), _, _) => {
                errors.add(format!("{p}_lat"), tr.t("form-error-point-half"));
                Value::Null
            }
            _ => Value::Null,
        };
        if site["point"].is_null() && get("place").is_none() && get("lat").is_none() {
            errors.add(format!("{p}_lat"), tr.t("form-site-where"));
        }
        site["place_id"] = json!(get("place"));
        site["lead_org_id"] = json!(get("lead"));
        site["supporting_org_ids"] = json!(supporting);
        site["liaison"] = match (get("liaison_org"), get("liaison_role")) {
            (Some(o), Some(r)) => json!({"organisation_id": o, "role": r}),
            (Some(_), None) => {
                errors.add(
                    format!("{p}_liaison_role"),
                    tr.t("form-liaison-role-needed"),
                );
                Value::Null
            }
            (None, Some(_)) => {
                errors.add(format!("{p}_liaison_org"), tr.t("form-error-required"));
                Value::Null
            }
            (None, None) => Value::Null,
        };
        sites.push(site);
    }
    used.src = (1..=rows_of(f, "src"))
        .filter(|n| {
            ["publisher", "title", "date", "reference", "url"]
                .iter()
                .any(|x| f.get(&format!("src{n}_{x}")).is_some())
        })
        .collect();
    let sources = sources_json(tr, f, errors);
    for key in ["start", "end"] {
        if f.get(key).is_none() {
            errors.add(key, tr.t("form-error-required"));
        }
    }
    let (start, end) = (
        partial_at(tr, f, "start", errors),
        partial_at(tr, f, "end", errors),
    );
    if let (Some(s), Some(e)) = (start.as_str(), end.as_str())
        && let (Ok(s), Ok(e)) = (
            hawkari_core::time::PartialDate::parse(s),
            hawkari_core::time::PartialDate::parse(e),
        )
        && e.last_day() < s.first_day()
    {
        errors.add("end", tr.t("form-error-ends-before"));
    }
    let body = json!({
        "names": names,
        "summary": f.get("summary").map(|t| t.replace("\r\n", "\n")),
        "start": start,
        "end": end,
        "lead_org_id": f.get("lead"),
        "sites": sites,
        "sources": sources,
        "owner_org_id": f.get("owner"),
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    });
    (body, used)
}

fn label(tr: Tr, key: &str) -> Option<String> {
    let plain = |k: &str| Some(tr.t(k));
    match key {
        "name_en" => return plain("form-name-en"),
        "name_ar" => return plain("form-name-ar"),
        "name_ckb" => return plain("form-name-ckb"),
        "aliases" => return plain("form-aliases"),
        "summary" => return plain("form-summary"),
        "start" => return plain("form-start"),
        "end" => return plain("form-end"),
        "lead" => return plain("form-operation-lead"),
        "release_to" => return plain("form-release-orgs"),
        "release_group" => return plain("form-release-to"),
        _ => {}
    }
    let (row, field) = key.split_once('_')?;
    if let Some(n) = row
        .strip_prefix("site")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let k = match field {
            "key" => "form-key",
            "name_en" => "form-name-en",
            "name_ar" => "form-name-ar",
            "name_ckb" => "form-name-ckb",
            "kind" => "form-site-kind",
            "lat" => "form-latitude",
            "lon" => "form-longitude",
            "place" => "form-site-place",
            "lead" => "site-lead",
            "supporting" => "form-site-supporting",
            "liaison_org" => "form-liaison-org",
            "liaison_role" => "form-liaison-role",
            _ => return None,
        };
        return Some(format!(
            "{} — {}",
            tr.t1("form-site-n", "n", &tr.num(n)),
            tr.t(k)
        ));
    }
    if let Some(n) = row
        .strip_prefix("src")
        .and_then(|n| n.parse::<usize>().ok())
    {
        return Some(format!(
            "{} — {}",
            tr.t1("form-source-n", "n", &tr.num(n)),
            field.replace('_', " ")
        ));
    }
    None
}

#[derive(Template)]
#[template(path = "operation_form.html")]
struct OperationForm {
    page: PageCtx,
    s: FormState,
    heading: String,
    action: String,
    back: String,
    reload: String,
    owner: String,
    kinds: Vec<(&'static str, String)>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    places: Vec<(String, String)>,
    site_rows: Vec<usize>,
    source_rows: Vec<usize>,
}

async fn operation_form(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: Option<&str>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let f = s.f.clone();
    let site_rows = rows_with(
        &f,
        "site",
        &[
            "key",
            "name_en",
            "name_ar",
            "name_ckb",
            "lat",
            "lon",
            "place",
            "lead",
            "supporting",
            "liaison_org",
            "liaison_role",
        ],
    );
    let source_rows = rows_with(
        &f,
        "src",
        &["publisher", "title", "date", "reference", "url"],
    );
    let mut orgs = org_choices(app, &page).await?;
    let mut held: Vec<String> = f.all("release_to");
    held.extend(f.all("lead"));
    for n in &site_rows {
        for x in ["lead", "supporting", "liaison_org"] {
            held.extend(f.all(&format!("site{n}_{x}")));
        }
    }
    keep_choices(&mut orgs, held);
    let mut places: Vec<(String, String)> = app
        .list_places(&page.principal, &Default::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|p| (p.id.to_string(), tr.name(&p.data.names).to_owned()))
        .collect();
    keep_choices(
        &mut places,
        site_rows
            .iter()
            .flat_map(|n| f.all(&format!("site{n}_place")))
            .collect(),
    );
    let owner_id = f
        .get("owner")
        .map_or_else(|| page.user.organisation_id.to_string(), str::to_owned);
    s.visible = visible_to(
        tr,
        &owner_id,
        &f.all("release_to"),
        &f.all("release_group"),
        &orgs,
    );
    s.summarise(|k| label(tr, k));
    let (action, back) = match id {
        None => ("/operations/new".to_owned(), "/programmes".to_owned()),
        Some(id) => (
            format!("/operations/{id}/edit"),
            format!("/operations/{id}"),
        ),
    };
    let form = OperationForm {
        heading: match id {
            None => tr.t("form-new-operation"),
            Some(_) => tr.t1("form-edit-operation", "name", &form_name(tr, &f)),
        },
        reload: action.clone(),
        action,
        back,
        owner: choice_name(&orgs, &owner_id),
        kinds: SiteKind::ALL
            .iter()
            .map(|k| (k.as_str(), super::operations::site_kind(&tr, *k)))
            .collect(),
        groups: group_options(tr),
        orgs,
        places,
        site_rows,
        source_rows,
        s,
        page,
    };
    Ok(render(&form))
}

pub async fn new_operation(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    if !may_create(&app, &page, Kind::Operation) {
        return Err(WebError::Forbidden);
    }
    operation_form(&app, page, FormState::default(), None).await
}

pub async fn create_operation(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !may_create(&app, &page, Kind::Operation) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return operation_form(&app, page, s, None).await;
    }
    let (mut body, used) = operation_json(tr, &s.f, None, &mut s.errors);
    body["owner_org_id"] = json!(page.user.organisation_id);
    if s.errors.is_empty() {
        match hawkari_core::record::from_json_value::<OperationData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Operation>(&page.principal, None, data).await {
                Ok(o) => return Ok(redirect(&format!("/operations/{}", o.id))),
                Err(e) => {
                    let mut raw = FieldErrors::default();
                    save_problems(tr, e, &mut raw, &[], &[])?;
                    for (field, m) in raw.0 {
                        s.errors.add(
                            if field.is_empty() {
                                field
                            } else {
                                used.field(&field)
                            },
                            m,
                        );
                    }
                }
            },
            Err(v) => {
                for e in v.errors {
                    s.errors.add(used.field(&e.field), tr.problem(&e.message));
                }
            }
        }
    }
    operation_form(&app, page, s, None)
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn edit_operation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let o: Operation = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &o.data) {
        return Err(WebError::Forbidden);
    }
    operation_form(&app, page, FormState::new(form_values(&o)), Some(&id)).await
}

/// Saves the edit form over the stored operation (see the module's comment).
pub async fn update_operation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Operation = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &current.data) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return operation_form(&app, page, s, Some(&id)).await;
    }
    let (form, used) = operation_json(tr, &s.f, Some(&current.data), &mut s.errors);
    let mut merged = json!(current.data);
    for key in [
        "names",
        "summary",
        "start",
        "end",
        "lead_org_id",
        "sites",
        "sources",
    ] {
        merged[key] = form[key].clone();
    }
    for key in ["releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    let bad = |s: FormState, status| {
        let app = &app;
        let page = page.clone();
        let id = id.clone();
        async move {
            operation_form(app, page, s, Some(&id))
                .await
                .map(|r| (status, r).into_response())
        }
    };
    if !s.errors.is_empty() {
        return bad(s, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(change) =
        unconfirmed_release_change(&app, &page, &current.data, &merged, &s.f).await?
    {
        s.release_change = Some(change);
        return bad(s, StatusCode::CONFLICT).await;
    }
    let version = s.f.get("version").and_then(|v| v.parse().ok());
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match hawkari_core::record::from_json_value::<OperationData>(without_nulls(merged), "") {
        Ok(data) if data == current.data => return Ok(redirect(&format!("/operations/{id}"))),
        Ok(data) => match app
            .update::<Operation>(&page.principal, &id, data, version)
            .await
        {
            Ok(_) => return Ok(redirect(&format!("/operations/{id}"))),
            Err(e) => {
                let mut raw = FieldErrors::default();
                if save_problems(tr, e, &mut raw, &[], &[])? {
                    let latest: Operation = app.get(&page.principal, &id).await?;
                    let orgs = org_choices(&app, &page).await?;
                    s.conflict = Some(Conflict {
                        who: saved_by(tr, &latest.meta),
                        rows: conflict_rows(
                            &form_values(&latest),
                            &s.f,
                            |k| label(tr, k),
                            |k, v| {
                                if k == "release_group" {
                                    tr.t(&format!("release-group-{v}"))
                                } else if k == "release_to"
                                    || k == "lead"
                                    || k.ends_with("_lead")
                                    || k.ends_with("_supporting")
                                    || k.ends_with("_liaison_org")
                                {
                                    choice_name(&orgs, v)
                                } else {
                                    v.to_owned()
                                }
                            },
                        ),
                    });
                    s.f.set("version", latest.meta.version.to_string());
                    status = StatusCode::CONFLICT;
                } else {
                    for (field, m) in raw.0 {
                        s.errors.add(
                            if field.is_empty() {
                                field
                            } else {
                                used.field(&field)
                            },
                            m,
                        );
                    }
                }
            }
        },
        Err(v) => {
            for e in v.errors {
                s.errors.add(used.field(&e.field), tr.problem(&e.message));
            }
        }
    }
    bad(s, status).await
}

fn operation_name(o: &Operation) -> String {
    o.data.names.display().to_owned()
}

pub async fn delete_operation_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    super::registry::delete_page::<Operation>(&app, page, "/operations", &id, operation_name, None)
        .await
}

/// Deletes an operation; back to the list of programmes and operations.
pub async fn delete_operation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    super::registry::delete_record::<Operation>(
        &app,
        page,
        "/operations",
        &id,
        Fields(pairs),
        operation_name,
    )
    .await
}

/// The operations are listed with the programmes.
pub async fn operations() -> Response {
    redirect("/programmes#operations-h")
}
