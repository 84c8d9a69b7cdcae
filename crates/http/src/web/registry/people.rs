//! People: the list, a person's page (positions over time, and what to prepare for a
//! meeting with them), and their form — names in three scripts, rank, any number of
//! positions, sources, release. A person can be added from the engagement form without
//! losing it: the engagement form posts its fields here (`new_person_for_engagement`),
//! the person form carries them in hidden fields, and saving the person shows the
//! engagement form again as it was, with the new person chosen in the row that asked.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::record::Kind;
use hawkari_store::PersonFilter;

use super::super::engagements::engagement_form;
use super::super::forms::*;
use super::super::i18n::Tr;
use super::super::lists;
use super::super::rows::*;
use super::super::{PageCtx, WebError, redirect, render};
use super::organisations::source_label;

/// The people list's filters, every one optional.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct PeopleQuery {
    /// Words of a name, the rank or a position's title.
    q: Option<String>,
    /// People who hold or held a position in this organisation or one below it.
    organisation: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
}

impl PeopleQuery {
    fn to_query(&self) -> String {
        lists::query_string(&[
            ("q", &self.q),
            ("organisation", &self.organisation),
            ("sort", &self.sort),
        ])
    }

    /// The store's filter, or the problems with the values, in the reader's language.
    fn filter(&self, tr: Tr) -> (PersonFilter, Vec<String>) {
        let mut errors = Vec::new();
        let organisation_id = match lists::value(&self.organisation) {
            "" => None,
            s => {
                let id = s.to_owned().try_into().ok();
                if id.is_none() {
                    errors.push(tr.t1("board-bad-value", "field", &tr.t("people-organisation")));
                }
                id
            }
        };
        let sort = lists::natural_or_reversed(lists::sort_of(
            &tr,
            &lists::BY_NAME,
            &self.sort,
            &mut errors,
        ));
        let filter = PersonFilter {
            q: Some(lists::value(&self.q).to_owned()).filter(|s| !s.is_empty()),
            organisation_id,
            sort,
        };
        (filter, errors)
    }
}

/// A person as the list shows them.
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub rank: String,
    /// Their current position and its organisation, else the last one they held.
    pub position: String,
}

#[derive(Template)]
#[template(path = "people.html")]
pub(in crate::web) struct PeoplePage {
    page: PageCtx,
    people: Vec<PersonRow>,
    query: PeopleQuery,
    orgs: Vec<(String, String)>,
    sorts: Vec<lists::SortChoice>,
    count: String,
    next: Option<String>,
    errors: Vec<String>,
    filters: String,
    views: Vec<hawkari_store::SavedView>,
    can_create: bool,
}

impl PeoplePage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        lists::value(v)
    }
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        lists::value(v) == code
    }
    fn export(&self) -> String {
        lists::with_query("/people.csv", &self.filters)
    }
}

/// People by name, rank or position (held now or before), of an organisation with those
/// below it, by name either way, a page at a time.
pub async fn people(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let (filter, errors) = query.filter(tr);
    let filters = query.to_query();
    let mut look = Lookup::new(&page, &app);
    let mut people = Vec::new();
    let (mut count, mut next) = (String::new(), None);
    if errors.is_empty() {
        let mut request = page_of(lists::PAGE);
        request.after = lists::cursor(&query.cursor);
        let list = app.list_people(&page.principal, &filter, &request).await?;
        for p in &list.items {
            let current = p.data.positions.iter().rev().find(|x| x.to.is_none());
            let position = match current.or(p.data.positions.last()) {
                Some(pos) => {
                    let held = format!(
                        "{}, {}",
                        pos.title,
                        look.org(pos.organisation_id.as_str()).await
                    );
                    if current.is_some() {
                        held
                    } else {
                        tr.t1("people-formerly", "position", &held)
                    }
                }
                None => String::new(),
            };
            people.push(PersonRow {
                id: p.id.to_string(),
                name: tr.name(&p.data.names).to_owned(),
                rank: p
                    .data
                    .rank
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                position,
            });
        }
        let total = app
            .count(
                &page.principal,
                hawkari_store::ListOf::People(&filter),
                lists::COUNT_MOST,
            )
            .await?;
        count = lists::count_line(&tr, total, people.len());
        next = lists::next_link("/people", &filters, list.next);
    }
    let mut orgs = Vec::new();
    for o in app
        .list_organisations(&page.principal, &Default::default(), &page_of(500))
        .await?
        .items
    {
        orgs.push((o.id.to_string(), tr.name(&o.data.names).to_owned()));
    }
    let can_create = may_create(&app, &page, Kind::Person);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let views = super::super::account::views_of(&app, &page, "/people").await?;
    let r = render(&PeoplePage {
        sorts: lists::sort_choices(&tr, &lists::BY_NAME),
        page,
        people,
        query,
        orgs,
        count,
        next,
        errors,
        filters,
        views,
        can_create,
    });
    Ok((status, r).into_response())
}

/// What the list shows, every page of it, as CSV with an HXL row; audited as an export.
pub async fn people_csv(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let (filter, errors) = query.filter(page.tr);
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let mut body = Vec::new();
    app.export_people(&page.principal, &filter, &mut body)
        .await?;
    Ok(super::super::commitments::csv_response(
        body,
        "hawkari-people.csv",
    ))
}

#[derive(Template)]
#[template(path = "person.html")]
pub(in crate::web) struct PersonPage {
    page: PageCtx,
    id: String,
    name: String,
    other_names: Vec<String>,
    rank: String,
    positions: Vec<(String, String, String, String)>,
    engagements: Vec<EngagementRow>,
    owes: Vec<CommitmentRow>,
    owed: Vec<CommitmentRow>,
    organisation: String,
    statuses: Vec<(&'static str, String)>,
    sources: Vec<String>,
    can_edit: bool,
    can_delete: bool,
}

pub async fn person(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let today = app.today();
    let history = app
        .person_history(&page.principal, &id, &page_of(20))
        .await?;
    let tr = page.tr;
    let p = &history.person;
    let name = tr.name(&p.data.names).to_owned();
    let other_names = p
        .data
        .names
        .all()
        .filter(|n| *n != name)
        .map(str::to_owned)
        .collect();
    let positions = history
        .positions
        .iter()
        .map(|h| {
            (
                h.position.title.to_string(),
                h.organisation_name.clone(),
                h.position
                    .from
                    .as_ref()
                    .map(|d| tr.partial(d))
                    .unwrap_or_default(),
                h.position
                    .to
                    .as_ref()
                    .map_or_else(|| tr.t("person-present"), |d| tr.partial(d)),
            )
        })
        .collect();
    let mut look = Lookup::new(&page, &app);
    let mut engagements = Vec::new();
    for e in &history.engagements.items {
        engagements.push(engagement_row(e, &mut look).await);
    }
    // "Open commitments both ways": those of the organisation the person now serves.
    let current = p
        .data
        .positions
        .iter()
        .rev()
        .find(|x| x.to.is_none())
        .or(p.data.positions.last());
    let (mut owes, mut owed, mut organisation) = (vec![], vec![], String::new());
    if let Some(pos) = current
        && let Ok(view) = app
            .organisation_commitments(
                &page.principal,
                pos.organisation_id.as_str(),
                None,
                &page_of(50),
                &page_of(50),
            )
            .await
    {
        organisation = look.org(pos.organisation_id.as_str()).await;
        for c in view.owes.items.iter().filter(|c| c.status().is_pending()) {
            owes.push(commitment_row(c, &mut look, today).await);
        }
        for c in view.owed.items.iter().filter(|c| c.status().is_pending()) {
            owed.push(commitment_row(c, &mut look, today).await);
        }
    }
    let rank = p
        .data
        .rank
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let statuses = status_options(page.tr);
    let can_edit = may(&app, &page, Action::Update, &p.data);
    let can_delete = may(&app, &page, Action::Delete, &p.data);
    Ok(render(&PersonPage {
        id: p.id.to_string(),
        sources: p.data.sources.iter().map(|s| tr.cite(s)).collect(),
        can_edit,
        can_delete,
        page,
        name,
        other_names,
        rank,
        positions,
        engagements,
        owes,
        owed,
        organisation,
        statuses,
    }))
}

#[derive(Template)]
#[template(path = "person_form.html")]
pub(in crate::web) struct PersonForm {
    page: PageCtx,
    s: FormState,
    heading: String,
    /// Where the form posts: `/people/new` or `/people/{id}/edit`.
    action: String,
    reload: String,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    position_rows: Vec<usize>,
    source_rows: Vec<usize>,
    /// The engagement form's fields, carried through when the person is added from it
    /// (names prefixed `e:`), the engagement form's address and the participant row.
    carried: Vec<(String, String)>,
    return_to: String,
    return_row: String,
}

const ROWS: [(&str, &str); 2] = [("positions", "pos"), ("sources", "src")];
const PLAIN: [(&str, &str); 1] = [("rank", "rank")];
/// The prefix of the engagement form's fields carried through the person form.
const CARRY: &str = "e:";

fn label(tr: Tr, key: &str) -> Option<String> {
    let plain = match key {
        "name_en" => "form-name-en",
        "name_ar" => "form-name-ar",
        "name_ckb" => "form-name-ckb",
        "aliases" => "form-aliases",
        "rank" => "form-rank",
        "release_to" => "form-release-orgs",
        "release_group" => "form-release-to",
        _ => {
            if let Some(rest) = key.strip_prefix("pos")
                && let Some((n, field)) = rest.split_once('_')
                && let Ok(n) = n.parse::<usize>()
            {
                let field = match field {
                    "title" => "form-position-title",
                    "org" => "form-organisation",
                    "from" => "form-position-from",
                    "to" => "form-position-to",
                    _ => return None,
                };
                return Some(format!(
                    "{} — {}",
                    tr.t1("form-position-n", "n", &tr.num(n)),
                    tr.t(field)
                ));
            }
            return source_label(tr, key);
        }
    };
    Some(tr.t(plain))
}

fn form_values(p: &Person) -> Fields {
    let d = &p.data;
    let mut v = Fields::default();
    names_values(&mut v, &d.names);
    v.set(
        "rank",
        d.rank.as_ref().map(ToString::to_string).unwrap_or_default(),
    );
    for (i, pos) in d.positions.iter().enumerate() {
        let n = i + 1;
        v.set(&format!("pos{n}_title"), pos.title.to_string());
        v.set(&format!("pos{n}_org"), pos.organisation_id.to_string());
        if let Some(f) = &pos.from {
            v.set(&format!("pos{n}_from"), f.to_string());
        }
        if let Some(t) = &pos.to {
            v.set(&format!("pos{n}_to"), t.to_string());
        }
    }
    sources_values(&mut v, &d.sources);
    release_values(&mut v, d, p.meta.version);
    v
}

fn person_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
    let names = names_json(tr, f, errors);
    let mut positions = Vec::new();
    for n in 1..=rows_of(f, "pos") {
        let get = |field: &str| f.get(&format!("pos{n}_{field}"));
        let (title, org, from, to) = (get("title"), get("org"), get("from"), get("to"));
        if [title, org, from, to].iter().all(Option::is_none) {
            continue;
        }
        if title.is_none() {
            errors.add(format!("pos{n}_title"), tr.t("form-error-required"));
        }
        if org.is_none() {
            errors.add(format!("pos{n}_org"), tr.t("form-error-required"));
        }
        let mut date = |field: &str, v: Option<&str>| match v.map(|d| parse_partial(tr, d)) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                errors.add(format!("pos{n}_{field}"), m);
                None
            }
            None => None,
        };
        let (from, to) = (date("from", from), date("to", to));
        if let (Some(a), Some(b)) = (&from, &to)
            && let (Ok(a), Ok(b)) = (
                hawkari_core::time::PartialDate::parse(a),
                hawkari_core::time::PartialDate::parse(b),
            )
            && b.last_day() < a.first_day()
        {
            errors.add(format!("pos{n}_to"), tr.t("form-error-ends-before"));
        }
        positions.push(
            serde_json::json!({"title": title, "organisation_id": org, "from": from, "to": to}),
        );
    }
    let sources = sources_json(tr, f, errors);
    serde_json::json!({
        "names": names,
        "rank": f.get("rank"),
        "positions": positions,
        "sources": sources,
        "owner_org_id": f.get("owner"),
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

async fn person_form(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: Option<&str>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let mut orgs = org_choices(app, &page).await?;
    let f = &s.f.clone();
    keep_choices(
        &mut orgs,
        (1..=rows_of(f, "pos"))
            .flat_map(|n| f.all(&format!("pos{n}_org")))
            .chain(f.all("release_to"))
            .collect(),
    );
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
    let carried: Vec<(String, String)> =
        f.0.iter()
            .filter(|(k, _)| k.starts_with(CARRY))
            .cloned()
            .collect();
    let path = id.map_or_else(
        || "/people/new".to_owned(),
        |id| format!("/people/{id}/edit"),
    );
    let form = PersonForm {
        heading: match id {
            None => tr.t("form-new-person"),
            Some(_) => tr.t1("form-edit-person", "name", &form_name(tr, f)),
        },
        action: path.clone(),
        reload: path,
        groups: group_options(tr),
        position_rows: shown_rows(f, "pos", 1),
        source_rows: shown_rows(f, "src", 1),
        return_to: f.get("return_to").unwrap_or("").to_owned(),
        return_row: f.get("return_row").unwrap_or("").to_owned(),
        carried,
        orgs,
        s,
        page,
    };
    Ok(render(&form))
}

pub async fn new_person(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    if !may_create(&app, &page, Kind::Person) {
        return Err(WebError::Forbidden);
    }
    person_form(&app, page, FormState::default(), None).await
}

/// Whether `to` is an engagement form's address (the only place the person form goes
/// back to).
fn engagement_form_path(to: &str) -> bool {
    to == "/engagements/new"
        || to
            .strip_prefix("/engagements/")
            .and_then(|r| r.strip_suffix("/edit"))
            .is_some_and(|id| hawkari_core::ids::check_slug(id).is_ok())
}

/// The engagement form posted to ask for a new person in participant row `new_person`:
/// the person form, carrying every field of the engagement form.
pub async fn new_person_for_engagement(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !may_create(&app, &page, Kind::Person) {
        return Err(WebError::Forbidden);
    }
    let return_to = f.get("form_action").unwrap_or("/engagements/new");
    if !engagement_form_path(return_to) {
        return Err(WebError::BadRequest);
    }
    let mut person = Fields::default();
    person.set("return_to", return_to);
    person.set("return_row", f.get("new_person").unwrap_or("1"));
    for (k, v) in &f.0 {
        if !matches!(
            k.as_str(),
            "csrf_token" | "new_person" | "form_action" | "add_row"
        ) {
            person.push(&format!("{CARRY}{k}"), v.clone());
        }
    }
    // Those who will read the engagement should read who took part: the new person is
    // offered the engagement's release (the user may change it).
    for o in f.all("release_to") {
        person.push("release_to", o);
    }
    for g in f.all("release_group") {
        person.push("release_group", g);
    }
    person_form(&app, page, FormState::new(person), None).await
}

/// The engagement form again, as it was when it asked for a new person, with `person`
/// (if one was made) chosen in the row that asked and their current organisation
/// filled in where the row had none.
async fn back_to_engagement(
    app: &App,
    page: PageCtx,
    f: &Fields,
    person: Option<&Person>,
) -> Result<Response, WebError> {
    let return_to = f.get("return_to").unwrap_or("/engagements/new").to_owned();
    if !engagement_form_path(&return_to) {
        return Err(WebError::BadRequest);
    }
    let mut e = Fields(
        f.0.iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(CARRY)?.to_owned(), v.clone())))
            .collect(),
    );
    if let Some(p) = person {
        let row = f
            .get("return_row")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(1);
        e.set(&format!("p{row}_person"), p.id.to_string());
        if e.get(&format!("p{row}_org")).is_none()
            && let Some(org) = current_organisation(&p.data)
        {
            e.set(&format!("p{row}_org"), org.to_string());
        }
        if e.get(&format!("p{row}_role")).is_none() {
            e.set(&format!("p{row}_role"), "participant");
        }
    }
    engagement_form(app, page, FieldErrors::default(), e, return_to, None, None).await
}

pub async fn create_person(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !may_create(&app, &page, Kind::Person) {
        return Err(WebError::Forbidden);
    }
    if f.get("cancel").is_some() {
        return back_to_engagement(&app, page, &f, None).await;
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return person_form(&app, page, s, None).await;
    }
    let mut body = person_json(tr, &s.f, &mut s.errors);
    body["owner_org_id"] = serde_json::json!(page.user.organisation_id);
    if s.errors.is_empty() {
        match hawkari_core::record::from_json_value::<PersonData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Person>(&page.principal, None, data).await {
                Ok(p) => {
                    if s.f.get("return_to").is_some() {
                        return back_to_engagement(&app, page, &s.f, Some(&p)).await;
                    }
                    return Ok(redirect(&format!("/people/{}", p.id)));
                }
                Err(e) => {
                    save_problems(tr, e, &mut s.errors, &ROWS, &PLAIN)?;
                }
            },
            Err(v) => json_problems(tr, v, &mut s.errors, &ROWS, &PLAIN),
        }
    }
    person_form(&app, page, s, None)
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn edit_person(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p: Person = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &p.data) {
        return Err(WebError::Forbidden);
    }
    person_form(&app, page, FormState::new(form_values(&p)), Some(&id)).await
}

/// Saves the edit form over the stored person: names, rank, positions, sources and
/// release replace what is stored; the owner and caveat stay. Unchanged, nothing is
/// written.
pub async fn update_person(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Person = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &current.data) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return person_form(&app, page, s, Some(&id)).await;
    }
    let form = person_json(tr, &s.f, &mut s.errors);
    let mut merged = serde_json::json!(current.data);
    for key in ["names", "rank", "positions", "sources"] {
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
            person_form(app, page, s, Some(&id))
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
    let status = match save_edit::<Person>(
        &app,
        &page,
        &id,
        &current.data,
        merged,
        &mut s,
        &ROWS,
        &PLAIN,
    )
    .await?
    {
        Saved::Done => return Ok(redirect(&format!("/people/{id}"))),
        Saved::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        Saved::Stale(latest) => {
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
                        } else if k == "release_to" || k.ends_with("_org") {
                            choice_name(&orgs, v)
                        } else {
                            v.to_owned()
                        }
                    },
                ),
            });
            StatusCode::CONFLICT
        }
    };
    bad(s, status).await
}

fn person_name(p: &Person) -> String {
    p.data.names.display().to_owned()
}

pub async fn delete_person_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    super::delete_page::<Person>(&app, page, "/people", &id, person_name, None).await
}

pub async fn delete_person(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    super::delete_record::<Person>(&app, page, "/people", &id, Fields(pairs), person_name).await
}
