//! Organisations: the tree (by `parent_id`, each with the bodies it also answers to),
//! one organisation's page, and its form. The tree and kinds decide who reads what, so
//! only system administrators add organisations, change `parent_id` or `kind` (never of
//! their own organisation or one above it) or delete one (`app::records`); the form
//! shows those fields read-only to everyone else and keeps them as stored. `answers_to`
//! is a reporting line that reaches no one: the owner's editors keep it like the names.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_store::OrganisationFilter;

use super::super::forms::*;
use super::super::i18n::Tr;
use super::super::lists;
use super::super::rows::*;
use super::super::{PageCtx, WebError, redirect, render};

/// The organisation list's filters, every one optional.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct OrganisationsQuery {
    /// Words of a name, alias or abbreviation.
    q: Option<String>,
    kind: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
}

impl OrganisationsQuery {
    fn to_query(&self) -> String {
        lists::query_string(&[("q", &self.q), ("kind", &self.kind), ("sort", &self.sort)])
    }

    /// The store's filter, or the problems with the values, in the reader's language.
    fn filter(&self, tr: Tr) -> (OrganisationFilter, Vec<String>) {
        let mut errors = Vec::new();
        let kind = match lists::value(&self.kind) {
            "" => None,
            s => {
                let k = serde_json::from_value(serde_json::Value::String(s.to_owned())).ok();
                if k.is_none() {
                    errors.push(tr.t1("board-bad-value", "field", &tr.t("organisations-kind")));
                }
                k
            }
        };
        let sort = lists::natural_or_reversed(lists::sort_of(
            &tr,
            &lists::BY_NAME,
            &self.sort,
            &mut errors,
        ));
        let filter = OrganisationFilter {
            q: Some(lists::value(&self.q).to_owned()).filter(|s| !s.is_empty()),
            kind,
            sort,
            ..Default::default()
        };
        (filter, errors)
    }

    /// Whether the page is the whole tree: nothing filtered, no order asked for.
    fn is_tree(&self) -> bool {
        lists::value(&self.q).is_empty()
            && lists::value(&self.kind).is_empty()
            && lists::value(&self.sort).is_empty()
            && lists::value(&self.cursor).is_empty()
    }
}

/// The kinds of organisation, with their labels.
const ORG_KINDS: [&str; 6] = [
    "coalition",
    "federal",
    "regional",
    "joint_mechanism",
    "party",
    "other",
];

#[derive(Template)]
#[template(path = "organisations.html")]
pub(in crate::web) struct OrganisationsPage {
    page: PageCtx,
    /// (depth, id, name, kind label, the names of the bodies it also answers to): the
    /// whole tree, when nothing is filtered; else the list, one level deep.
    tree: Vec<(usize, String, String, String, String)>,
    query: OrganisationsQuery,
    kinds: Vec<(String, String)>,
    sorts: Vec<lists::SortChoice>,
    count: String,
    next: Option<String>,
    errors: Vec<String>,
    filters: String,
    views: Vec<hawkari_store::SavedView>,
    can_create: bool,
}

impl OrganisationsPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        lists::value(v)
    }
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        lists::value(v) == code
    }
    fn export(&self) -> String {
        lists::with_query("/organisations.csv", &self.filters)
    }
}

/// Organisations: the whole tree, or — filtered by kind and words, or in the reverse
/// order — a list a page at a time, each with the body it is part of.
pub async fn organisations(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<OrganisationsQuery>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let (filter, errors) = query.filter(tr);
    let filters = query.to_query();
    let kinds = ORG_KINDS
        .iter()
        .map(|k| ((*k).to_owned(), tr.t(&format!("org-kind-{k}"))))
        .collect();
    let can_create = page.principal.is_system_admin();
    let views = super::super::account::views_of(&app, &page, "/organisations").await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let (mut tree, mut count, mut next) = (Vec::new(), String::new(), None);
    if errors.is_empty() {
        let total = app
            .count(
                &page.principal,
                hawkari_store::ListOf::Organisations(&filter),
                lists::COUNT_MOST,
            )
            .await?;
        if query.is_tree() {
            tree = organisation_tree(&app, &page).await?;
        } else {
            let mut request = page_of(lists::PAGE);
            request.after = lists::cursor(&query.cursor);
            let found = app
                .list_organisations(&page.principal, &filter, &request)
                .await?;
            let mut look = Lookup::new(&page, &app);
            for o in &found.items {
                let parent = match &o.data.parent_id {
                    Some(p) => tr.t1("organisation-part-of", "org", &look.org(p.as_str()).await),
                    None => String::new(),
                };
                tree.push((
                    0,
                    o.id.to_string(),
                    tr.name(&o.data.names).to_owned(),
                    tr.t(&format!("org-kind-{}", enum_code(&o.data.kind))),
                    parent,
                ));
            }
            next = lists::next_link("/organisations", &filters, found.next);
        }
        count = lists::count_line(&tr, total, tree.len());
    }
    let r = render(&OrganisationsPage {
        sorts: lists::sort_choices(&tr, &lists::BY_NAME),
        page,
        tree,
        query,
        kinds,
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
pub async fn organisations_csv(
    State(app): State<App>,
    page: PageCtx,
    Query(query): Query<OrganisationsQuery>,
) -> Result<Response, WebError> {
    let (filter, errors) = query.filter(page.tr);
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let mut body = Vec::new();
    app.export_organisations(&page.principal, &filter, &mut body)
        .await?;
    Ok(super::super::commitments::csv_response(
        body,
        "hawkari-organisations.csv",
    ))
}

/// Every organisation the reader may see, as the tree by `parent_id`.
async fn organisation_tree(
    app: &App,
    page: &PageCtx,
) -> Result<Vec<(usize, String, String, String, String)>, WebError> {
    let all = app
        .list_organisations(
            &page.principal,
            &OrganisationFilter::default(),
            &page_of(500),
        )
        .await?
        .items;
    let ids: Vec<String> = all.iter().map(|o| o.id.to_string()).collect();
    let names: Vec<(String, String)> = all
        .iter()
        .map(|o| (o.id.to_string(), page.tr.name(&o.data.names).to_owned()))
        .collect();
    let mut tree = Vec::new();
    struct Walk<'a> {
        all: &'a [Organisation],
        ids: &'a [String],
        names: &'a [(String, String)],
        tr: Tr,
    }
    fn walk(
        w: &Walk<'_>,
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<(usize, String, String, String, String)>,
    ) {
        for o in w.all {
            let p = o
                .data
                .parent_id
                .as_ref()
                .map(|p| p.as_str())
                .filter(|p| w.ids.iter().any(|i| i == p));
            if p == parent && depth < 16 {
                let answers: Vec<String> = o
                    .data
                    .answers_to
                    .iter()
                    .map(|a| choice_name(w.names, a.as_str()))
                    .collect();
                out.push((
                    depth,
                    o.id.to_string(),
                    w.tr.name(&o.data.names).to_owned(),
                    w.tr.t(&format!("org-kind-{}", enum_code(&o.data.kind))),
                    if answers.is_empty() {
                        String::new()
                    } else {
                        w.tr.t1("organisation-answers-to-list", "org", &answers.join(", "))
                    },
                ));
                walk(w, Some(o.id.as_str()), depth + 1, out);
            }
        }
    }
    let w = Walk {
        all: &all,
        ids: &ids,
        names: &names,
        tr: page.tr,
    };
    walk(&w, None, 0, &mut tree);
    Ok(tree)
}

#[derive(Template)]
#[template(path = "organisation.html")]
pub(in crate::web) struct OrganisationPage {
    page: PageCtx,
    id: String,
    name: String,
    abbreviation: String,
    kind: String,
    other_names: Vec<String>,
    parent: Option<(String, String)>,
    answers_to: Vec<(String, String)>,
    answering: Vec<(String, String)>,
    members: Vec<(String, String)>,
    sources: Vec<String>,
    owes: Vec<CommitmentRow>,
    owed: Vec<CommitmentRow>,
    statuses: Vec<(&'static str, String)>,
    can_edit: bool,
    can_delete: bool,
}

pub async fn organisation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let today = app.today();
    let view = app
        .organisation_commitments(&page.principal, &id, None, &page_of(100), &page_of(100))
        .await?;
    let o = &view.organisation;
    let tr = page.tr;
    let listed = |f: OrganisationFilter| {
        let app = &app;
        let page = &page;
        async move {
            Ok::<_, WebError>(
                app.list_organisations(&page.principal, &f, &page_of(200))
                    .await?
                    .items
                    .iter()
                    .map(|c| (c.id.to_string(), tr.name(&c.data.names).to_owned()))
                    .collect::<Vec<_>>(),
            )
        }
    };
    let members = listed(OrganisationFilter {
        parent_id: Some(o.id.clone()),
        ..Default::default()
    })
    .await?;
    let answering = listed(OrganisationFilter {
        answers_to: Some(o.id.clone()),
        ..Default::default()
    })
    .await?;
    let mut look = Lookup::new(&page, &app);
    let parent = match &o.data.parent_id {
        Some(p) => Some((p.to_string(), look.org(p.as_str()).await)),
        None => None,
    };
    let mut answers_to = Vec::new();
    for a in &o.data.answers_to {
        answers_to.push((a.to_string(), look.org(a.as_str()).await));
    }
    let mut owes = Vec::new();
    for c in &view.owes.items {
        owes.push(commitment_row(c, &mut look, today).await);
    }
    let mut owed = Vec::new();
    for c in &view.owed.items {
        owed.push(commitment_row(c, &mut look, today).await);
    }
    let name = tr.name(&o.data.names).to_owned();
    let can_edit = may(&app, &page, Action::Update, &o.data);
    let can_delete = page.principal.is_system_admin() && may(&app, &page, Action::Delete, &o.data);
    Ok(render(&OrganisationPage {
        id: o.id.to_string(),
        other_names: o
            .data
            .names
            .all()
            .filter(|n| *n != name)
            .map(str::to_owned)
            .collect(),
        name,
        abbreviation: o
            .data
            .abbreviation
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        kind: tr.t(&format!("org-kind-{}", enum_code(&o.data.kind))),
        parent,
        answers_to,
        answering,
        members,
        sources: o.data.sources.iter().map(|s| tr.cite(s)).collect(),
        owes,
        owed,
        statuses: status_options(tr),
        can_edit,
        can_delete,
        page,
    }))
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
pub(in crate::web) struct OrganisationForm {
    page: PageCtx,
    s: FormState,
    heading: String,
    /// Where the form posts: `/organisations/new` or `/organisations/{id}/edit`.
    action: String,
    /// The edit form afresh, with the stored record (after a conflict).
    reload: String,
    creating: bool,
    /// The organisation edited (not offered as its own parent or reporting line).
    self_id: String,
    /// Whether the reader sets the parent and kind (a system administrator, not of this
    /// organisation or one below it).
    may_structure: bool,
    /// Whether the reader sets the owner of the record (a system administrator).
    may_owner: bool,
    kinds: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    source_rows: Vec<usize>,
    kind_label: String,
    parent_label: String,
    owner_label: String,
}

const KINDS: [&str; 6] = [
    "coalition",
    "federal",
    "regional",
    "joint_mechanism",
    "party",
    "other",
];

/// Form fields and the API's fields they stand for, for problems the API names.
const ROWS: [(&str, &str); 1] = [("sources", "src")];
const PLAIN: [(&str, &str); 6] = [
    ("abbreviation", "abbreviation"),
    ("kind", "kind"),
    ("parent_id", "parent"),
    ("answers_to", "answers_to"),
    ("owner_org_id", "owner"),
    ("id", "id"),
];

/// The label of a field the form shows, for the problems listed above it and the
/// fields of a conflict.
fn label(tr: Tr, key: &str) -> Option<String> {
    let plain = match key {
        "id" => "form-org-id",
        "name_en" => "form-name-en",
        "name_ar" => "form-name-ar",
        "name_ckb" => "form-name-ckb",
        "aliases" => "form-aliases",
        "abbreviation" => "form-abbreviation",
        "kind" => "organisation-kind",
        "parent" => "organisation-parent",
        "answers_to" => "organisation-answers-to",
        "owner" => "form-owner",
        "release_to" => "form-release-orgs",
        "release_group" => "form-release-to",
        _ => return source_label(tr, key),
    };
    Some(tr.t(plain))
}

/// The label of a field of a source row (`src2_title` → "Source 2: title").
pub(super) fn source_label(tr: Tr, key: &str) -> Option<String> {
    let rest = key.strip_prefix("src")?;
    let (n, field) = rest.split_once('_')?;
    let n: usize = n.parse().ok()?;
    let field = match field {
        "publisher" => "form-source-publisher",
        "title" => "form-source-title",
        "date" => "form-source-date",
        "reference" => "form-source-reference",
        "url" => "form-source-url",
        _ => return None,
    };
    Some(format!(
        "{} — {}",
        tr.t1("form-source-n", "n", &tr.num(n)),
        tr.t(field)
    ))
}

/// The form's fields for a stored organisation.
fn form_values(o: &Organisation) -> Fields {
    let d = &o.data;
    let mut v = Fields::default();
    names_values(&mut v, &d.names);
    v.set(
        "abbreviation",
        d.abbreviation
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    v.set("kind", enum_code(&d.kind));
    v.set(
        "parent",
        d.parent_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    for a in &d.answers_to {
        v.push("answers_to", a.to_string());
    }
    sources_values(&mut v, &d.sources);
    release_values(&mut v, d, o.meta.version);
    v
}

/// The API's JSON for the fields the form shows, with the problems found on the way.
fn organisation_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
    let names = names_json(tr, f, errors);
    let sources = sources_json(tr, f, errors);
    serde_json::json!({
        "names": names,
        "abbreviation": f.get("abbreviation"),
        "kind": f.get("kind"),
        "parent_id": f.get("parent"),
        "answers_to": f.all("answers_to"),
        "sources": sources,
        "owner_org_id": f.get("owner"),
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

/// Whether the reader may set the parent and kind of organisation `id` (`None`: a new
/// one): a system administrator, not of it or one below it.
fn may_structure(page: &PageCtx, id: Option<&str>) -> bool {
    page.principal.is_system_admin()
        && id.is_none_or(|id| !page.principal.chain.iter().any(|l| l.id.as_str() == id))
}

async fn organisation_form(
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
        f.all("parent")
            .into_iter()
            .chain(f.all("answers_to"))
            .chain(f.all("release_to"))
            .chain(f.all("owner"))
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
    let kind_label = f
        .get("kind")
        .map(|k| tr.t(&format!("org-kind-{k}")))
        .unwrap_or_default();
    let parent_label = f
        .get("parent")
        .map_or_else(|| tr.t("form-none"), |p| choice_name(&orgs, p));
    let owner_label = choice_name(&orgs, &owner);
    let creating = id.is_none();
    let form = OrganisationForm {
        heading: match id {
            None => tr.t("form-new-organisation"),
            Some(_) => tr.t1("form-edit-organisation", "name", &form_name(tr, f)),
        },
        action: id.map_or_else(
            || "/organisations/new".to_owned(),
            |id| format!("/organisations/{id}/edit"),
        ),
        reload: id.map_or_else(
            || "/organisations/new".to_owned(),
            |id| format!("/organisations/{id}/edit"),
        ),
        creating,
        self_id: id.unwrap_or_default().to_owned(),
        may_structure: may_structure(&page, id),
        may_owner: page.principal.is_system_admin(),
        kinds: KINDS
            .iter()
            .map(|k| ((*k).to_owned(), tr.t(&format!("org-kind-{k}"))))
            .collect(),
        groups: group_options(tr),
        source_rows: shown_rows(f, "src", 1),
        kind_label,
        parent_label,
        owner_label,
        orgs,
        s,
        page,
    };
    Ok(render(&form))
}

pub async fn new_organisation(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    if !page.principal.is_system_admin() {
        return Err(WebError::Forbidden);
    }
    let mut f = Fields::default();
    f.set("kind", "joint_mechanism");
    f.set("owner", page.user.organisation_id.to_string());
    organisation_form(&app, page, FormState::new(f), None).await
}

pub async fn create_organisation(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !page.principal.is_system_admin() {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return organisation_form(&app, page, s, None).await;
    }
    let mut body = organisation_json(tr, &s.f, &mut s.errors);
    if body["owner_org_id"].is_null() {
        body["owner_org_id"] = serde_json::json!(page.user.organisation_id);
    }
    if s.f.get("kind").is_none() {
        s.errors.add("kind", tr.t("form-error-required"));
    }
    let id = s.f.get("id").map(str::to_owned);
    if let Some(i) = &id
        && hawkari_core::ids::check_slug(i).is_err()
    {
        s.errors.add("id", tr.t("form-error-id"));
    }
    if s.errors.is_empty() {
        match hawkari_core::record::from_json_value::<OrganisationData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Organisation>(&page.principal, id, data).await {
                Ok(o) => return Ok(redirect(&format!("/organisations/{}", o.id))),
                Err(e) => {
                    save_problems(tr, e, &mut s.errors, &ROWS, &PLAIN)?;
                }
            },
            Err(v) => json_problems(tr, v, &mut s.errors, &ROWS, &PLAIN),
        }
    }
    organisation_form(&app, page, s, None)
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn edit_organisation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let o: Organisation = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &o.data) {
        return Err(WebError::Forbidden);
    }
    organisation_form(&app, page, FormState::new(form_values(&o)), Some(&id)).await
}

/// Saves the edit form over the stored organisation: what the form shows and the reader
/// may change replaces what is stored; the rest (the caveat; the parent, kind and owner
/// for all but a system administrator) stays as it is. Unchanged, nothing is written.
pub async fn update_organisation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Organisation = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &current.data) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return organisation_form(&app, page, s, Some(&id)).await;
    }
    let form = organisation_json(tr, &s.f, &mut s.errors);
    let mut merged = serde_json::json!(current.data);
    for key in ["names", "abbreviation", "sources"] {
        merged[key] = form[key].clone();
    }
    for key in ["answers_to", "releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    if may_structure(&page, Some(&id)) {
        for key in ["kind", "parent_id"] {
            merged[key] = form[key].clone();
        }
        if s.f.get("kind").is_none() {
            s.errors.add("kind", tr.t("form-error-required"));
        }
    } else {
        // Not offered to this reader: a post that changes them anyway is refused at the
        // field, not quietly dropped.
        let stored = form_values(&current);
        for key in ["kind", "parent"] {
            if s.f.0.iter().any(|(k, _)| k == key) && s.f.get(key) != stored.get(key) {
                s.errors.add(key, tr.t("form-error-registry"));
            }
        }
    }
    if page.principal.is_system_admin() && !form["owner_org_id"].is_null() {
        merged["owner_org_id"] = form["owner_org_id"].clone();
    }
    save_organisation(&app, page, s, &id, &current, merged, form).await
}

async fn save_organisation(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: &str,
    current: &Organisation,
    merged: serde_json::Value,
    form: serde_json::Value,
) -> Result<Response, WebError> {
    let tr = page.tr;
    if !s.errors.is_empty() {
        return organisation_form(app, page, s, Some(id))
            .await
            .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response());
    }
    let mut release_form = form;
    release_form["releasable_to"] = merged["releasable_to"].clone();
    release_form["release_groups"] = merged["release_groups"].clone();
    if let Some(change) =
        unconfirmed_release_change(app, &page, &current.data, &release_form, &s.f).await?
    {
        s.release_change = Some(change);
        return organisation_form(app, page, s, Some(id))
            .await
            .map(|r| (StatusCode::CONFLICT, r).into_response());
    }
    let saved =
        save_edit::<Organisation>(app, &page, id, &current.data, merged, &mut s, &ROWS, &PLAIN);
    let status = match saved.await? {
        Saved::Done => return Ok(redirect(&format!("/organisations/{id}"))),
        Saved::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        Saved::Stale(latest) => {
            // Someone saved first: theirs beside yours, the form at their version.
            let orgs = org_choices(app, &page).await?;
            s.conflict = Some(Conflict {
                who: saved_by(tr, &latest.meta),
                rows: conflict_rows(
                    &form_values(&latest),
                    &s.f,
                    |k| match k {
                        "kind" | "parent" if !may_structure(&page, Some(id)) => None,
                        "owner" if !page.principal.is_system_admin() => None,
                        k => label(tr, k),
                    },
                    |k, v| match k {
                        "kind" => tr.t(&format!("org-kind-{v}")),
                        "parent" | "answers_to" | "owner" | "release_to" => choice_name(&orgs, v),
                        "release_group" => tr.t(&format!("release-group-{v}")),
                        _ => v.to_owned(),
                    },
                ),
            });
            StatusCode::CONFLICT
        }
    };
    organisation_form(app, page, s, Some(id))
        .await
        .map(|r| (status, r).into_response())
}

fn org_name(o: &Organisation) -> String {
    o.data.names.display().to_owned()
}

pub async fn delete_organisation_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    if !page.principal.is_system_admin() {
        return Err(WebError::Forbidden);
    }
    super::delete_page::<Organisation>(&app, page, "/organisations", &id, org_name, None).await
}

pub async fn delete_organisation(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !page.principal.is_system_admin() {
        return Err(WebError::Forbidden);
    }
    super::delete_record::<Organisation>(&app, page, "/organisations", &id, Fields(pairs), org_name)
        .await
}
