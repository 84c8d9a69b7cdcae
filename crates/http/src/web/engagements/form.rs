//! The engagement form, new and edit: every participant, topic and release, and the
//! place; what the form does not show is kept; a change of who may read the record is
//! confirmed first; someone else's newer version is shown beside the one posted.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::{App, AppError};
use hawkari_core::commitment::Commitment;
use hawkari_core::engagement::Engagement;
use hawkari_store::{OrganisationFilter, PersonFilter};

use super::super::i18n::Tr;
use super::super::{PageCtx, WebError, redirect, render};

use super::super::forms::*;
use super::super::rows::*;

/// How many participant and commitment rows the form offers (no JavaScript needed).
pub(super) const PARTICIPANT_ROWS: usize = 4;
pub(super) const COMMITMENT_ROWS: usize = 2;

#[derive(Template)]
#[template(path = "engagement_form.html")]
pub(super) struct EngagementForm {
    page: PageCtx,
    /// (id, name, the organisation they serve now — filled in when they are chosen)
    people: Vec<(String, String, String)>,
    orgs: Vec<(String, String)>,
    topics: Vec<(String, String)>,
    places: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    participant_rows: Vec<usize>,
    commitment_rows: Vec<usize>,
    /// The values (the record's, or what was posted), the problems at their fields,
    /// who may read the record as the form stands, a change of release to confirm and
    /// someone else's newer version.
    s: FormState,
    /// Where the form posts: `/engagements/new` or `/engagements/{id}/edit`.
    action: String,
    heading: String,
    /// Whether the reader may add a person from the form.
    can_add_person: bool,
}

/// The engagement form with values `f`. With `fill`, the posted form is shown again
/// (after a refused save): a participant row whose person was newly chosen (not the
/// one `fill`, the stored record's values, has in that row) and has no organisation
/// gets the person's current one, as the browser's script does at once.
pub(in crate::web) async fn engagement_form(
    app: &App,
    page: PageCtx,
    errors: FieldErrors,
    f: Fields,
    action: String,
    release_change: Option<(Vec<String>, String)>,
    fill: Option<&Fields>,
) -> Result<Response, WebError> {
    engagement_form_with(app, page, errors, f, action, release_change, fill, None).await
}

#[allow(clippy::too_many_arguments)]
async fn engagement_form_with(
    app: &App,
    page: PageCtx,
    errors: FieldErrors,
    mut f: Fields,
    action: String,
    release_change: Option<(Vec<String>, String)>,
    fill: Option<&Fields>,
    conflict: Option<Conflict>,
) -> Result<Response, WebError> {
    let p = &page.principal;
    let tr = page.tr;
    let people = app
        .list_people(p, &PersonFilter::default(), &page_of(500))
        .await?
        .items;
    // The rows shown: every row the fields hold (at least four), and one more on asking.
    let shown = rows_of(&f, "p").max(PARTICIPANT_ROWS)
        + usize::from(f.get("add_row") == Some("participant"));
    // A row without a role is a participant (the first row of a new form, the lead).
    for n in 2..=shown {
        let key = format!("p{n}_role");
        if f.get(&key).is_none() {
            f.set(&key, "participant");
        }
    }
    if let Some(stored) = fill {
        for n in 1..=rows_of(&f, "p") {
            let (pk, ok) = (format!("p{n}_person"), format!("p{n}_org"));
            let Some(person) = f.get(&pk).map(str::to_owned) else {
                continue;
            };
            if f.get(&ok).is_some() || stored.get(&pk) == Some(person.as_str()) {
                continue;
            }
            if let Some(org) = people
                .iter()
                .find(|x| x.id.as_str() == person)
                .and_then(|x| current_organisation(&x.data))
            {
                f.set(&ok, org.to_string());
            }
        }
    }
    let orgs: Vec<(String, String)> = app
        .list_organisations(p, &OrganisationFilter::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
        .collect();
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
    let mut people: Vec<(String, String, String)> = people
        .iter()
        .map(|x| {
            (
                x.id.to_string(),
                tr.name(&x.data.names).to_owned(),
                current_organisation(&x.data)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )
        })
        .collect();
    let mut orgs = orgs;
    let mut topics: Vec<(String, String)> = app
        .list_topics()
        .await?
        .iter()
        .map(|t| (t.code.to_string(), tr.name(&t.labels).to_owned()))
        .collect();
    // Every value the record holds is among the choices, even one the reader cannot see
    // (a person no longer released to them, a deleted topic): shown by its id, so that
    // saving the form keeps it.
    let keep = keep_choices;
    let rows = rows_of(&f, "p").max(PARTICIPANT_ROWS);
    for v in (1..=rows).flat_map(|n| f.all(&format!("p{n}_person"))) {
        if !people.iter().any(|(id, _, _)| *id == v) {
            people.push((v.clone(), v, String::new()));
        }
    }
    keep(
        &mut orgs,
        (1..=rows)
            .flat_map(|n| f.all(&format!("p{n}_org")))
            .chain(f.all("release_to"))
            .chain((1..=COMMITMENT_ROWS).flat_map(|n| {
                f.all(&format!("c{n}_responsible"))
                    .into_iter()
                    .chain(f.all(&format!("c{n}_counterpart")))
            }))
            .collect(),
    );
    keep(&mut topics, f.all("topics"));
    let mut places: Vec<(String, String)> = app
        .list_places(p, &hawkari_store::PlaceFilter::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
        .collect();
    keep(&mut places, f.all("place"));
    let form = EngagementForm {
        people,
        topics,
        places,
        orgs,
        kinds: super::kind_options(tr),
        roles: ["lead", "participant", "host", "note_taker", "interpreter"]
            .iter()
            .map(|r| ((*r).to_owned(), tr.t(&format!("role-{r}"))))
            .collect(),
        groups: group_options(tr),
        participant_rows: (1..=shown).collect(),
        commitment_rows: (1..=COMMITMENT_ROWS).collect(),
        s: {
            let mut s = FormState::new(f);
            s.errors = errors;
            s.visible = visible;
            s.release_change = release_change;
            s.conflict = conflict;
            s.summarise(|k| field_label(tr, k));
            s
        },
        heading: tr.t(if action.ends_with("/edit") {
            "form-edit-engagement"
        } else {
            "form-new-engagement"
        }),
        action,
        can_add_person: may_create(app, &page, hawkari_core::record::Kind::Person),
        page,
    };
    Ok(render(&form))
}

pub async fn new_engagement(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let mut f = Fields::default();
    f.set("kind", "key_leader_engagement");
    f.set("p1_role", "lead");
    engagement_form(
        &app,
        page,
        FieldErrors::default(),
        f,
        "/engagements/new".into(),
        None,
        None,
    )
    .await
}

/// The form's fields for an existing engagement: every participant (with one empty row
/// more), every topic, every organisation and group it is released to.
pub(super) fn form_values(e: &Engagement) -> Fields {
    let d = &e.data;
    let mut v = Fields::default();
    v.set("title", d.title.to_string());
    v.set("kind", enum_code(&d.kind));
    v.set("when", d.when.value());
    v.set("when_label", d.when.label().unwrap_or_default());
    v.set(
        "summary",
        d.summary
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    v.set(
        "place",
        d.place_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    v.set("version", e.meta.version.to_string());
    v.set("owner", d.owner_org_id.to_string());
    for t in &d.topics {
        v.push("topics", t.to_string());
    }
    for o in &d.releasable_to {
        v.push("release_to", o.to_string());
    }
    for g in &d.release_groups {
        v.push("release_group", g.as_str());
    }
    for (i, p) in d.participants.iter().enumerate() {
        let n = i + 1;
        if let Some(person) = &p.person_id {
            v.set(&format!("p{n}_person"), person.to_string());
        }
        if let Some(org) = &p.organisation_id {
            v.set(&format!("p{n}_org"), org.to_string());
        }
        v.set(&format!("p{n}_role"), enum_code(&p.role));
        if let Some(note) = &p.note {
            v.set(&format!("p{n}_note"), note.to_string());
        }
    }
    v.set(
        &format!("p{}_role", d.participants.len() + 1),
        "participant",
    );
    v
}

pub async fn edit_engagement(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let e: Engagement = app.get(&page.principal, &id).await?;
    engagement_form(
        &app,
        page,
        FieldErrors::default(),
        form_values(&e),
        format!("/engagements/{id}/edit"),
        None,
        None,
    )
    .await
}

/// Saves the edit form over the stored engagement. What the form shows replaces what is
/// stored; what it does not show (objectives, outcomes, positions, tags, the place, the
/// caveat, earlier sources, …) is kept as it is. Saving a form that changes nothing
/// writes nothing. A change of who may read the record is saved only once the user has
/// seen it in words and saved again to confirm it.
pub async fn update_engagement(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Engagement = app.get(&page.principal, &id).await?;
    let stored = form_values(&current);
    if f.get("add_row").is_some() {
        return engagement_form(
            &app,
            page,
            FieldErrors::default(),
            f,
            format!("/engagements/{id}/edit"),
            None,
            Some(&stored),
        )
        .await;
    }
    let owner = current.data.owner_org_id.to_string();
    let (form, commitments) = engagement_json(&f, &owner);
    let mut merged = serde_json::json!(current.data);
    for key in [
        "kind",
        "title",
        "when",
        "place_id",
        "participants",
        "summary",
    ] {
        merged[key] = form[key].clone();
    }
    // Lists the form shows as choices come back in the choices' order: the stored order
    // is kept, with what was added after it.
    for key in ["topics", "releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    if let Some(extra) = form.get("sources").and_then(|s| s.as_array()) {
        let mut sources = merged["sources"].as_array().cloned().unwrap_or_default();
        sources.extend(extra.iter().cloned());
        merged["sources"] = serde_json::Value::Array(sources);
    }
    let version = f.get("version").and_then(|v| v.parse().ok());
    let mut errors = FieldErrors::default();
    check_fields(page.tr, &f, &mut errors);
    if let Some(change) = unconfirmed_release_change(&app, &page, &current.data, &form, &f).await? {
        return engagement_form(
            &app,
            page,
            FieldErrors::default(),
            f,
            format!("/engagements/{id}/edit"),
            Some(change),
            Some(&stored),
        )
        .await
        .map(|r| (axum::http::StatusCode::CONFLICT, r).into_response());
    }
    let mut conflict = None;
    let mut f = f;
    match hawkari_core::record::from_json_value::<hawkari_core::engagement::EngagementData>(
        without_nulls(merged),
        "",
    ) {
        Ok(data) => {
            let parsed = parse_commitments(page.tr, commitments, &mut errors);
            if !errors.is_empty() {
            } else if data == current.data && parsed.is_empty() {
                return Ok(redirect(&format!("/engagements/{id}")));
            } else {
                match app
                    .update::<Engagement>(&page.principal, &id, data, version)
                    .await
                {
                    Ok(e) => {
                        for mut c in parsed {
                            c.engagement_id = e.id.clone();
                            app.create::<Commitment>(&page.principal, None, c).await?;
                        }
                        return Ok(redirect(&format!("/engagements/{id}")));
                    }
                    Err(e) => {
                        if save_failed(page.tr, e, &mut errors)? {
                            // Someone saved first: theirs beside yours, the form at
                            // their version, so that saving again replaces theirs
                            // knowingly.
                            let latest: Engagement = app.get(&page.principal, &id).await?;
                            conflict = Some(engagement_conflict(&app, &page, &latest, &f).await?);
                            f.set("version", latest.meta.version.to_string());
                        }
                    }
                }
            }
        }
        Err(v) => record_problems(page.tr, v, &mut errors),
    }
    let status = if conflict.is_some() {
        axum::http::StatusCode::CONFLICT
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    engagement_form_with(
        &app,
        page,
        errors,
        f,
        format!("/engagements/{id}/edit"),
        None,
        Some(&stored),
        conflict,
    )
    .await
    .map(|r| (status, r).into_response())
}

/// The fields in which the stored engagement (`latest`, saved by someone else) and the
/// posted form differ.
async fn engagement_conflict(
    app: &App,
    page: &PageCtx,
    latest: &Engagement,
    yours: &Fields,
) -> Result<Conflict, WebError> {
    let tr = page.tr;
    let mut look = Lookup::new(page, app);
    let theirs = form_values(latest);
    // Names of the people and organisations either version holds.
    let mut names: Vec<(String, String)> = Vec::new();
    for fields in [&theirs, yours] {
        for (k, v) in &fields.0 {
            if v.is_empty() || names.iter().any(|(id, _)| id == v) {
                continue;
            }
            if k.ends_with("_person") {
                names.push((v.clone(), look.person(v).await));
            } else if k.ends_with("_org") || k == "release_to" {
                names.push((v.clone(), look.org(v).await));
            }
        }
    }
    let topics: Vec<(String, String)> = app
        .list_topics()
        .await?
        .iter()
        .map(|t| (t.code.to_string(), tr.name(&t.labels).to_owned()))
        .collect();
    let places: Vec<(String, String)> = app
        .list_places(
            &page.principal,
            &hawkari_store::PlaceFilter::default(),
            &page_of(500),
        )
        .await?
        .items
        .iter()
        .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
        .collect();
    let label = |k: &str| field_label(tr, k);
    let show = |k: &str, v: &str| -> String {
        if k == "kind" {
            tr.t(&format!("kind-{v}"))
        } else if k.ends_with("_role") {
            tr.t(&format!("role-{v}"))
        } else if k == "topics" {
            choice_name(&topics, v)
        } else if k == "place" {
            choice_name(&places, v)
        } else if k == "release_group" {
            tr.t(&format!("release-group-{v}"))
        } else {
            choice_name(&names, v)
        }
    };
    Ok(Conflict {
        who: saved_by(tr, &latest.meta),
        rows: conflict_rows(&theirs, yours, label, show),
    })
}

/// Reads the form's commitment rows, adding their problems to `errors` at their fields.
pub(super) fn parse_commitments(
    tr: Tr,
    rows: Vec<(usize, serde_json::Value)>,
    errors: &mut FieldErrors,
) -> Vec<hawkari_core::commitment::CommitmentData> {
    let mut parsed = Vec::new();
    for (n, c) in rows {
        let mut c = without_nulls(c);
        c["engagement_id"] = serde_json::json!("pending");
        match hawkari_core::record::from_json_value(c, &format!("commitments[{}]", n - 1)) {
            Ok(d) => parsed.push(d),
            Err(e) => record_problems(tr, e, errors),
        }
    }
    parsed
}

/// The form field a problem the API names belongs to: `participants[2].person_id` is
/// `p3_person`, `commitments[0].due` is `c1_due`, `sources[4].date` (the new source,
/// after those stored) is `source_date`, `when.value` is `when`; `""` (above the form)
/// for what the form does not show.
fn field_of(path: &str) -> String {
    let path = path.trim_start_matches('.');
    if let Some(rest) = path.strip_prefix("sources[")
        && let Some((_, tail)) = rest.split_once(']')
    {
        let field = tail.trim_start_matches('.').split(['.', '[']).next();
        return match field {
            Some(f @ ("publisher" | "title" | "date" | "reference" | "url")) => {
                format!("source_{f}")
            }
            _ => "source_publisher".into(),
        };
    }
    let field = form_field(
        path,
        &[("participants", "p"), ("commitments", "c")],
        &[
            ("title", "title"),
            ("kind", "kind"),
            ("when", "when"),
            ("place_id", "place"),
            ("topics", "topics"),
            ("summary", "summary"),
        ],
    );
    for (api, form) in [
        ("_person_id", "_person"),
        ("_responsible_org_id", "_responsible"),
        ("_counterpart_org_id", "_counterpart"),
    ] {
        if let Some(row) = field.strip_suffix(api) {
            return format!("{row}{form}");
        }
    }
    field
}

/// The record's own rules' problems, each at its form field.
fn record_problems(tr: Tr, e: hawkari_core::ValidationError, errors: &mut FieldErrors) {
    for fe in e.errors {
        let field = field_of(&fe.field);
        // The form's own reading (in the reader's language) comes first.
        if field.is_empty() || errors.get(&field).is_none() {
            errors.add(field, tr.problem(&fe.message));
        }
    }
}

/// The problems of a failed save at their fields; `Ok(true)` when someone else saved
/// first.
fn save_failed(tr: Tr, e: AppError, errors: &mut FieldErrors) -> Result<bool, WebError> {
    match e {
        AppError::Invalid(v) => {
            record_problems(tr, v, errors);
            Ok(false)
        }
        other => save_problems(tr, other, errors, &[], &[]),
    }
}

/// What the form itself reads before the record's rules: dates in any digits, with the
/// problem in the reader's language at the field.
fn check_fields(tr: Tr, f: &Fields, errors: &mut FieldErrors) {
    if let Some(when) = f.get("when")
        && hawkari_core::time::EventTime::parse(when, None).is_err()
    {
        errors.add("when", tr.t("form-error-when"));
    }
    let dates = (1..=COMMITMENT_ROWS)
        .map(|n| format!("c{n}_due"))
        .chain(["source_date".to_owned()]);
    for key in dates {
        if let Some(v) = f.get(&key)
            && let Err(m) = parse_partial(tr, v)
        {
            errors.add(key, m);
        }
    }
}

/// The label of a form field, for the problems listed above the form and the
/// comparison with someone else's version (`None` for the form's machinery).
fn field_label(tr: Tr, k: &str) -> Option<String> {
    let key = match k {
        "title" => "form-title",
        "kind" => "engagement-kind",
        "when" => "form-when",
        "when_label" => "form-when-label",
        "topics" => "engagement-topics",
        "summary" => "engagement-summary",
        "place" => "engagement-place",
        "release_to" => "form-release-orgs",
        "release_group" => "form-release-to",
        "source_publisher" => "form-source-publisher",
        "source_title" => "form-source-title",
        "source_date" => "form-source-date",
        "source_reference" => "form-source-reference",
        "source_url" => "form-source-url",
        _ => {
            let (row, field) = k.split_once('_')?;
            let (group, field) = if let Some(n) = row.strip_prefix('p') {
                let field = match field {
                    "person" => "form-person",
                    "org" => "form-organisation",
                    "role" => "form-role",
                    "note" => "form-participant-note",
                    _ => return None,
                };
                (
                    tr.t1("form-participant-n", "n", &tr.num(n.parse::<usize>().ok()?)),
                    field,
                )
            } else if let Some(n) = row.strip_prefix('c') {
                let field = match field {
                    "text" => "form-commitment-text",
                    "responsible" => "form-responsible",
                    "counterpart" => "form-counterpart",
                    "due" => "form-due",
                    "condition" => "commitment-condition",
                    _ => return None,
                };
                (
                    tr.t1("form-commitment-n", "n", &tr.num(n.parse::<usize>().ok()?)),
                    field,
                )
            } else {
                return None;
            };
            return Some(format!("{group} — {}", tr.t(field)));
        }
    };
    Some(tr.t(key))
}

/// Builds the API's JSON for an engagement and its commitments from the form's fields,
/// so that the form is checked by exactly the same rules as the API.
pub(super) fn engagement_json(
    f: &Fields,
    owner: &str,
) -> (serde_json::Value, Vec<(usize, serde_json::Value)>) {
    let get = |k: &str| f.get(k);
    let mut participants = Vec::new();
    for n in 1..=rows_of(f, "p").max(PARTICIPANT_ROWS) {
        let person = get(&format!("p{n}_person"));
        let org = get(&format!("p{n}_org"));
        if person.is_none() && org.is_none() {
            continue;
        }
        participants.push(serde_json::json!({"person_id": person, "organisation_id": org,
            "role": get(&format!("p{n}_role")).unwrap_or("participant"), "note": get(&format!("p{n}_note"))}));
    }
    let mut body = serde_json::json!({
        "kind": get("kind").unwrap_or("key_leader_engagement"),
        "title": get("title").unwrap_or(""),
        "when": {"value": get("when").unwrap_or(""), "label": get("when_label")},
        "place_id": get("place"),
        "participants": participants,
        "topics": f.all("topics"),
        // Browsers send a textarea's line ends as CR LF.
        "summary": get("summary").map(|t| t.replace("\r\n", "\n")),
        "owner_org_id": owner,
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    });
    if let Some(publisher) = get("source_publisher") {
        body["sources"] = serde_json::json!([{"publisher": publisher, "title": get("source_title").unwrap_or(publisher),
            "date": get("source_date"), "reference": get("source_reference"), "url": get("source_url")}]);
    }
    let mut commitments = Vec::new();
    for n in 1..=COMMITMENT_ROWS {
        if let Some(text) = get(&format!("c{n}_text")) {
            commitments.push((
                n,
                serde_json::json!({
                    "text": text,
                    "responsible_org_id": get(&format!("c{n}_responsible")).unwrap_or(owner),
                    "counterpart_org_id": get(&format!("c{n}_counterpart")),
                    "due": get(&format!("c{n}_due")),
                    "condition": get(&format!("c{n}_condition")),
                    "owner_org_id": owner,
                    "releasable_to": body["releasable_to"].clone(),
                    "release_groups": body["release_groups"].clone(),
                }),
            ));
        }
    }
    (body, commitments)
}

pub async fn create_engagement(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let fresh = Fields::default();
    if f.get("add_row").is_some() {
        return engagement_form(
            &app,
            page,
            FieldErrors::default(),
            f,
            "/engagements/new".into(),
            None,
            Some(&fresh),
        )
        .await;
    }
    let owner = page.user.organisation_id.to_string();
    let (body, commitments) = engagement_json(&f, &owner);
    let mut errors = FieldErrors::default();
    check_fields(page.tr, &f, &mut errors);
    let data = hawkari_core::record::from_json_value(without_nulls(body), "");
    let parsed_commitments = parse_commitments(page.tr, commitments, &mut errors);
    let data = match data {
        Ok(d) => Some(d),
        Err(e) => {
            record_problems(page.tr, e, &mut errors);
            None
        }
    };
    if let (Some(data), true) = (data, errors.is_empty()) {
        match app.create::<Engagement>(&page.principal, None, data).await {
            Ok(e) => {
                for mut c in parsed_commitments {
                    c.engagement_id = e.id.clone();
                    app.create::<Commitment>(&page.principal, None, c).await?;
                }
                return Ok(redirect(&format!("/engagements/{}", e.id)));
            }
            Err(e) => {
                save_failed(page.tr, e, &mut errors)?;
            }
        }
    }
    engagement_form(
        &app,
        page,
        errors,
        f,
        "/engagements/new".into(),
        None,
        Some(&fresh),
    )
    .await
    .map(|r| (axum::http::StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}
