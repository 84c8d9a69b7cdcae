//! The engagement form, new and edit: every participant, topic and release; what the form
//! does not show is kept; a change of who may read the record is confirmed first.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::{App, AppError};
use hawkari_core::commitment::Commitment;
use hawkari_core::engagement::Engagement;
use hawkari_store::{OrganisationFilter, PersonFilter};

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
    people: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    topics: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    participant_rows: Vec<usize>,
    commitment_rows: Vec<usize>,
    errors: Vec<String>,
    /// The form's values: the record's, or what was posted.
    f: Fields,
    /// Who may read the record as the form stands.
    visible: Vec<String>,
    /// Set when saving would change who may read the record: what changes, in words,
    /// and the release the user confirms by saving again.
    release_change: Option<(Vec<String>, String)>,
    /// Where the form posts: `/engagements/new` or `/engagements/{id}/edit`.
    action: String,
    heading: String,
}

impl EngagementForm {
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
    /// Whether `value` is among the values of a multiple field.
    fn has(&self, key: &str, value: &str) -> bool {
        self.f.all(key).iter().any(|v| v == value)
    }
}

pub(super) async fn engagement_form(
    app: &App,
    page: PageCtx,
    errors: Vec<String>,
    f: Fields,
    action: String,
    release_change: Option<(Vec<String>, String)>,
) -> Result<Response, WebError> {
    let p = &page.principal;
    let tr = page.tr;
    let people = app
        .list_people(p, &PersonFilter::default(), &page_of(500))
        .await?
        .items;
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
    let mut people: Vec<(String, String)> = people
        .iter()
        .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
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
    let keep = |choices: &mut Vec<(String, String)>, values: Vec<String>| {
        for v in values {
            if !choices.iter().any(|(id, _)| *id == v) {
                choices.push((v.clone(), v));
            }
        }
    };
    let rows = participant_rows(&f).max(PARTICIPANT_ROWS);
    keep(
        &mut people,
        (1..=rows)
            .flat_map(|n| f.all(&format!("p{n}_person")))
            .collect(),
    );
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
    let form = EngagementForm {
        people,
        topics,
        orgs,
        kinds: super::kind_options(tr),
        roles: ["lead", "participant", "host", "note_taker", "interpreter"]
            .iter()
            .map(|r| ((*r).to_owned(), tr.t(&format!("role-{r}"))))
            .collect(),
        groups: group_options(tr),
        participant_rows: (1..=participant_rows(&f).max(PARTICIPANT_ROWS)).collect(),
        commitment_rows: (1..=COMMITMENT_ROWS).collect(),
        errors,
        f,
        visible,
        release_change,
        heading: tr.t(if action.ends_with("/edit") {
            "form-edit-engagement"
        } else {
            "form-new-engagement"
        }),
        action,
        page,
    };
    Ok(render(&form))
}

pub async fn new_engagement(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let mut f = Fields::default();
    f.set("kind", "key_leader_engagement");
    f.set("p1_role", "lead");
    engagement_form(&app, page, vec![], f, "/engagements/new".into(), None).await
}

/// The number of participant rows the fields describe (`p3_role` → at least 3).
pub(super) fn participant_rows(f: &Fields) -> usize {
    f.keys()
        .filter_map(|k| {
            k.strip_prefix('p')?
                .split_once('_')?
                .0
                .parse::<usize>()
                .ok()
        })
        .max()
        .unwrap_or(0)
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
        vec![],
        form_values(&e),
        format!("/engagements/{id}/edit"),
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
    let owner = current.data.owner_org_id.to_string();
    let (form, commitments) = engagement_json(&f, &owner);
    let mut merged = serde_json::json!(current.data);
    for key in ["kind", "title", "when", "participants", "summary"] {
        merged[key] = form[key].clone();
    }
    // Lists the form shows as choices come back in the choices' order: the stored order
    // is kept, with what was added after it.
    for key in ["topics", "releasable_to", "release_groups"] {
        let chosen = form[key].as_array().cloned().unwrap_or_default();
        let mut list: Vec<serde_json::Value> = merged[key]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| chosen.contains(v))
            .collect();
        for v in chosen {
            if !list.contains(&v) {
                list.push(v);
            }
        }
        merged[key] = serde_json::Value::Array(list);
    }
    if let Some(extra) = form.get("sources").and_then(|s| s.as_array()) {
        let mut sources = merged["sources"].as_array().cloned().unwrap_or_default();
        sources.extend(extra.iter().cloned());
        merged["sources"] = serde_json::Value::Array(sources);
    }
    let version = f.get("version").and_then(|v| v.parse().ok());
    let mut errors = Vec::new();
    if let Some(change) = unconfirmed_release_change(&app, &page, &current.data, &form, &f).await? {
        return engagement_form(
            &app,
            page,
            vec![],
            f,
            format!("/engagements/{id}/edit"),
            Some(change),
        )
        .await
        .map(|r| (axum::http::StatusCode::CONFLICT, r).into_response());
    }
    match hawkari_core::record::from_json_value::<hawkari_core::engagement::EngagementData>(
        without_nulls(merged),
        "",
    ) {
        Ok(data) => {
            let parsed = parse_commitments(commitments, &mut errors);
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
                    Err(AppError::Invalid(v)) => errors.extend(
                        v.errors
                            .into_iter()
                            .map(|e| format!("{}: {}", e.field, e.message)),
                    ),
                    Err(e @ AppError::VersionConflict { .. }) => errors.push(e.to_string()),
                    Err(other) => return Err(other.into()),
                }
            }
        }
        Err(v) => errors.extend(
            v.errors
                .into_iter()
                .map(|e| format!("{}: {}", e.field, e.message)),
        ),
    }
    engagement_form(
        &app,
        page,
        errors,
        f,
        format!("/engagements/{id}/edit"),
        None,
    )
    .await
    .map(|r| (axum::http::StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

/// Reads the form's commitment rows, adding their problems to `errors`.
pub(super) fn parse_commitments(
    rows: Vec<serde_json::Value>,
    errors: &mut Vec<String>,
) -> Vec<hawkari_core::commitment::CommitmentData> {
    let mut parsed = Vec::new();
    for (i, c) in rows.into_iter().enumerate() {
        let mut c = without_nulls(c);
        c["engagement_id"] = serde_json::json!("pending");
        match hawkari_core::record::from_json_value(c, &format!("commitment {}", i + 1)) {
            Ok(d) => parsed.push(d),
            Err(e) => errors.extend(
                e.errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message)),
            ),
        }
    }
    parsed
}

/// Builds the API's JSON for an engagement and its commitments from the form's fields,
/// so that the form is checked by exactly the same rules as the API.
pub(super) fn engagement_json(
    f: &Fields,
    owner: &str,
) -> (serde_json::Value, Vec<serde_json::Value>) {
    let get = |k: &str| f.get(k);
    let mut participants = Vec::new();
    for n in 1..=participant_rows(f).max(PARTICIPANT_ROWS) {
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
            commitments.push(serde_json::json!({
                "text": text,
                "responsible_org_id": get(&format!("c{n}_responsible")).unwrap_or(owner),
                "counterpart_org_id": get(&format!("c{n}_counterpart")),
                "due": get(&format!("c{n}_due")),
                "condition": get(&format!("c{n}_condition")),
                "owner_org_id": owner,
                "releasable_to": body["releasable_to"].clone(),
                "release_groups": body["release_groups"].clone(),
            }));
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
    let owner = page.user.organisation_id.to_string();
    let (body, commitments) = engagement_json(&f, &owner);
    let mut errors = Vec::new();
    let data = hawkari_core::record::from_json_value(without_nulls(body), "");
    let parsed_commitments = parse_commitments(commitments, &mut errors);
    let data = match data {
        Ok(d) => Some(d),
        Err(e) => {
            errors.extend(
                e.errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message)),
            );
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
            Err(AppError::Invalid(v)) => errors.extend(
                v.errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message)),
            ),
            Err(other) => return Err(other.into()),
        }
    }
    engagement_form(&app, page, errors, f, "/engagements/new".into(), None)
        .await
        .map(|r| (axum::http::StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}
