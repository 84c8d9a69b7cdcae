//! The pages: each handler gathers what its template shows, through the app (so the
//! reader sees only what is released to their organisation), and renders it.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use hawkari_app::{App, AppError, Principal};
use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::engagement::Engagement;
use hawkari_core::organisation::Organisation;
use hawkari_core::person::Person;
use hawkari_core::record::Kind;
use hawkari_core::values::Text;
use hawkari_store::{
    CommitmentFilter, EngagementFilter, OrganisationFilter, PageRequest, PersonFilter,
};
use serde::Deserialize;

use super::i18n::{Locale, Tr};
use super::{LANG_COOKIE, PageCtx, WebError, assets, redirect, render};

/// Names of organisations and people, looked up once per page (and only if released).
pub(super) struct Lookup<'a> {
    app: &'a App,
    principal: &'a Principal,
    tr: Tr,
    orgs: HashMap<String, String>,
    people: HashMap<String, String>,
}

impl<'a> Lookup<'a> {
    pub(super) fn new(page: &'a PageCtx, app: &'a App) -> Self {
        Self {
            app,
            principal: &page.principal,
            tr: page.tr,
            orgs: HashMap::new(),
            people: HashMap::new(),
        }
    }

    pub(super) async fn org(&mut self, id: &str) -> String {
        if let Some(n) = self.orgs.get(id) {
            return n.clone();
        }
        let name = match self.app.get::<Organisation>(self.principal, id).await {
            Ok(o) => o
                .data
                .abbreviation
                .as_ref()
                .map_or_else(|| self.tr.name(&o.data.names).to_owned(), |a| a.to_string()),
            // Not released to the reader: the id is what the record itself shows.
            Err(_) => id.to_owned(),
        };
        self.orgs.insert(id.to_owned(), name.clone());
        name
    }

    async fn person(&mut self, id: &str) -> String {
        if let Some(n) = self.people.get(id) {
            return n.clone();
        }
        let name = match self.app.get::<Person>(self.principal, id).await {
            Ok(p) => self.tr.name(&p.data.names).to_owned(),
            Err(_) => id.to_owned(),
        };
        self.people.insert(id.to_owned(), name.clone());
        name
    }
}

/// An engagement as lists show it.
pub struct EngagementRow {
    pub id: String,
    pub title: String,
    pub when: String,
    pub month: String,
    pub kind: String,
    pub who: String,
}

async fn engagement_row(e: &Engagement, look: &mut Lookup<'_>) -> EngagementRow {
    let mut who = Vec::new();
    for p in &e.data.participants {
        match (&p.person_id, &p.organisation_id) {
            (Some(person), _) => who.push(look.person(person.as_str()).await),
            (None, Some(org)) => who.push(look.org(org.as_str()).await),
            _ => {}
        }
    }
    let start = e.data.when.start().date_naive();
    EngagementRow {
        id: e.id.to_string(),
        title: e.data.title.to_string(),
        when: look.tr.when(&e.data.when),
        month: look.tr.partial(
            &hawkari_core::time::PartialDate::parse(&start.format("%Y-%m").to_string())
                .expect("valid"),
        ),
        kind: look.tr.t(&format!("kind-{}", enum_code(&e.data.kind))),
        who: who.join(", "),
    }
}

/// A commitment as lists and boards show it.
pub struct CommitmentRow {
    pub id: String,
    pub text: String,
    pub status: &'static str,
    pub status_label: String,
    pub due: String,
    pub overdue: bool,
    pub owed_by: String,
    pub owed_to: String,
    pub engagement_id: String,
    pub history: Vec<String>,
}

impl CommitmentRow {
    /// Whether the commitment is in the status with this code (for the status form).
    pub fn is(&self, code: &str) -> bool {
        self.status == code
    }
}

async fn commitment_row(
    c: &Commitment,
    look: &mut Lookup<'_>,
    today: chrono::NaiveDate,
) -> CommitmentRow {
    let tr = look.tr;
    let mut history = Vec::new();
    for h in &c.status_history {
        let mut line = format!(
            "{} — {} — {}",
            tr.date(h.at.date_naive()),
            tr.t(&format!("status-{}", h.status.as_str())),
            h.by
        );
        if let Some(r) = &h.reason {
            line.push_str(&format!(": {r}"));
        }
        history.push(line);
    }
    CommitmentRow {
        id: c.id.to_string(),
        text: c.data.text.to_string(),
        status: c.status().as_str(),
        status_label: tr.t(&format!("status-{}", c.status().as_str())),
        due: c.data.due.map_or_else(
            || tr.t("commitment-no-due"),
            |d| tr.t1("commitment-due", "date", &tr.date(d)),
        ),
        overdue: c.is_overdue(today),
        owed_by: look.org(c.data.responsible_org_id.as_str()).await,
        owed_to: match &c.data.counterpart_org_id {
            Some(o) => look.org(o.as_str()).await,
            None => String::new(),
        },
        engagement_id: c.data.engagement_id.to_string(),
        history,
    }
}

/// The serde name of a unit enum variant, for message keys such as `kind-call`.
fn enum_code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The status choices of a commitment's status form.
fn status_options(tr: Tr) -> Vec<(&'static str, String)> {
    CommitmentStatus::ALL
        .iter()
        .map(|s| (s.as_str(), tr.t(&format!("status-{}", s.as_str()))))
        .collect()
}

pub(super) fn page_of(limit: u32) -> PageRequest {
    PageRequest::first(limit)
}

// ---------------------------------------------------------------- sign-in and language

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    next: String,
    failed: bool,
    css: &'static str,
    /// Echoed by the form and compared with the cookie of the same name (login CSRF).
    login_csrf: String,
}

/// The cookie that pairs the sign-in form with the browser that loaded it.
const LOGIN_CSRF_COOKIE: &str = "hawkari_login_csrf";

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    failed: Option<String>,
}

/// Only local paths are followed after sign-in (no open redirect).
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn login_form(parts: axum::http::request::Parts, Query(q): Query<NextQuery>) -> Response {
    let tr = Tr {
        locale: super::locale_of(&parts),
    };
    let login_csrf = hawkari_app::auth::random_token();
    let mut r = render(&LoginPage {
        tr,
        next: local_path(q.next.as_deref()),
        failed: q.failed.is_some(),
        css: assets().css_path,
        login_csrf: login_csrf.clone(),
    });
    let cookie = format!(
        "{LOGIN_CSRF_COOKIE}={login_csrf}; Path=/login; HttpOnly; Secure; SameSite=Strict; Max-Age=3600"
    );
    if let Ok(v) = cookie.parse() {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    r
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
    #[serde(default)]
    login_csrf: String,
}

pub async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = local_path(f.next.as_deref());
    // A sign-in form posted from another site lacks the cookie: refuse it before checking
    // the password, so that nobody can sign a victim in to an attacker's account.
    let cookie = crate::extract::cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let paired = !cookie.is_empty()
        && cookie.len() == f.login_csrf.len()
        && cookie
            .bytes()
            .zip(f.login_csrf.bytes())
            .all(|(a, b)| a == b);
    let result = if paired {
        app.login(&f.username, &f.password).await.map_err(|_| ())
    } else {
        Err(())
    };
    match result {
        Ok(session) => {
            let max_age = (session.expires_at - app.now()).num_seconds();
            let mut r = redirect(&next);
            let cookie = format!(
                "{}={}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}",
                crate::extract::SESSION_COOKIE,
                session.secret.0
            );
            if let Ok(v) = cookie.parse() {
                r.headers_mut().insert(SET_COOKIE, v);
            }
            r
        }
        Err(_) => {
            let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
            redirect(&format!("/login?failed=1&next={next}"))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn logout(
    State(app): State<App>,
    page: PageCtx,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    if let Some(secret) = crate::extract::session_cookie(&headers) {
        app.logout(&page.principal, &secret).await?;
    }
    let mut r = redirect("/login");
    let cookie = format!(
        "{}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
        crate::extract::SESSION_COOKIE
    );
    if let Ok(v) = cookie.parse() {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    back: Option<String>,
}

/// Remembers the language for a year. Changing language changes nothing stored, so it
/// needs no CSRF token (and works before signing in).
pub async fn set_language(Form(f): Form<LanguageForm>) -> Response {
    let locale = Locale::from_code(&f.lang).unwrap_or(Locale::En);
    let mut r = redirect(&local_path(f.back.as_deref()));
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        locale.code()
    );
    if let Ok(v) = cookie.parse() {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    r
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    tr: Tr,
    message: String,
    detail: Vec<String>,
    css: &'static str,
}

/// An error page in the reader's language: the message of `key`, and what it details
/// (fields at fault, an error id).
pub fn error_page(locale: Locale, key: &str, detail: &[String]) -> String {
    let tr = Tr { locale };
    ErrorPage {
        tr,
        message: tr.t(key),
        detail: detail.to_vec(),
        css: assets().css_path,
    }
    .render()
    .unwrap_or_default()
}

// ---------------------------------------------------------------- dashboard

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    page: PageCtx,
    overdue: Vec<CommitmentRow>,
    due_soon: Vec<CommitmentRow>,
    recent: Vec<EngagementRow>,
    by_owner: Vec<(String, usize)>,
    overdue_count: usize,
    statuses: Vec<(&'static str, String)>,
    /// Programme and operation entries: id, heading, (link, text) items.
    alerts: Vec<super::programmes::AlertSection>,
}

pub async fn dashboard(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let today = app.today();
    let p = &page.principal;
    let overdue = app
        .list_commitments(
            p,
            &CommitmentFilter {
                overdue_on: Some(today),
                ..Default::default()
            },
            &page_of(500),
        )
        .await?;
    let soon = app
        .list_commitments(
            p,
            &CommitmentFilter {
                overdue_on: Some(today + Duration::days(30)),
                ..Default::default()
            },
            &page_of(100),
        )
        .await?;
    let recent = app
        .list_engagements(p, &EngagementFilter::default(), &page_of(10))
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut overdue_rows = Vec::new();
    let mut by_owner: HashMap<String, usize> = HashMap::new();
    for c in &overdue.items {
        let row = commitment_row(c, &mut look, today).await;
        *by_owner.entry(row.owed_by.clone()).or_default() += 1;
        overdue_rows.push(row);
    }
    let mut due_soon = Vec::new();
    for c in soon.items.iter().filter(|c| !c.is_overdue(today)) {
        due_soon.push(commitment_row(c, &mut look, today).await);
    }
    let mut recent_rows = Vec::new();
    for e in &recent.items {
        recent_rows.push(engagement_row(e, &mut look).await);
    }
    let mut by_owner: Vec<(String, usize)> = by_owner.into_iter().collect();
    by_owner.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let overdue_count = overdue_rows.len();
    overdue_rows.truncate(20);
    let statuses = status_options(page.tr);
    let alerts = super::programmes::alerts(&app, &page, today)
        .await?
        .sections(&page.tr);
    Ok(render(&Dashboard {
        alerts,
        page,
        overdue: overdue_rows,
        due_soon,
        recent: recent_rows,
        by_owner,
        overdue_count,
        statuses,
    }))
}

// ---------------------------------------------------------------- engagements

#[derive(Debug, Default, Deserialize)]
pub struct EngagementQuery {
    from: Option<String>,
    to: Option<String>,
    topic: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "engagements.html")]
struct EngagementsPage {
    page: PageCtx,
    rows: Vec<EngagementRow>,
    topics: Vec<(String, String)>,
    query: EngagementQuery,
    next: Option<String>,
    error: Option<String>,
}

impl EngagementsPage {
    /// Whether row `i` starts a month on the timeline.
    fn new_month(&self, i: &usize) -> bool {
        *i == 0 || self.rows[*i - 1].month != self.rows[*i].month
    }
    fn selected_topic(&self, code: &str) -> bool {
        self.query.topic.as_deref() == Some(code)
    }
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or_default()
    }
}

pub async fn engagements(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<EngagementQuery>,
) -> Result<Response, WebError> {
    let mut error = None;
    let bound = |v: &Option<String>, last: bool| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| hawkari_core::time::EventTime::parse(s, None).ok())
            .map(|t| if last { t.end() } else { t.start() })
    };
    for (name, v) in [("from", &q.from), ("to", &q.to)] {
        if v.as_deref().is_some_and(|s| {
            !s.is_empty() && hawkari_core::time::EventTime::parse(s, None).is_err()
        }) {
            error = Some(format!("{name}: {}", page.tr.t("form-when")));
        }
    }
    let filter = EngagementFilter {
        from: bound(&q.from, false),
        to: bound(&q.to, true),
        topic: q
            .topic
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok()),
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let mut request = page_of(50);
    request.after = q.cursor.as_deref().and_then(hawkari_store::Cursor::decode);
    let list = app
        .list_engagements(&page.principal, &filter, &request)
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut rows = Vec::new();
    for e in &list.items {
        rows.push(engagement_row(e, &mut look).await);
    }
    let topics = app
        .list_topics()
        .await?
        .into_iter()
        .map(|t| (t.code.to_string(), page.tr.name(&t.labels).to_owned()))
        .collect();
    let next = list.next.map(|c| {
        let mut params: Vec<(String, String)> = [
            ("from", &q.from),
            ("to", &q.to),
            ("topic", &q.topic),
            ("q", &q.q),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            v.clone()
                .filter(|s| !s.is_empty())
                .map(|v| (k.to_owned(), v))
        })
        .collect();
        params.push(("cursor".into(), c.encode()));
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        format!("/engagements?{query}")
    });
    Ok(render(&EngagementsPage {
        page,
        rows,
        topics,
        query: q,
        next,
        error,
    }))
}

/// A participant as the detail page shows it.
pub struct ParticipantView {
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub note: String,
    pub person_id: Option<String>,
}

#[derive(Template)]
#[template(path = "engagement.html")]
struct EngagementPage {
    page: PageCtx,
    e: Engagement,
    row: EngagementRow,
    participants: Vec<ParticipantView>,
    topics: Vec<String>,
    commitments: Vec<CommitmentRow>,
    owner: String,
    released_to: Vec<String>,
    comments: Vec<(String, String, String)>,
    history: Vec<(String, String, String)>,
    follow_up_title: Option<(String, String)>,
    statuses: Vec<(&'static str, String)>,
    confidence: String,
    print: bool,
    /// Whether the reader may edit it (the Edit link is offered only then).
    can_edit: bool,
}

async fn engagement_page(
    app: &App,
    page: PageCtx,
    id: &str,
    print: bool,
) -> Result<Response, WebError> {
    let e: Engagement = app.get(&page.principal, id).await?;
    let today = app.today();
    let mut look = Lookup::new(&page, app);
    let row = engagement_row(&e, &mut look).await;
    let mut participants = Vec::new();
    for p in &e.data.participants {
        participants.push(ParticipantView {
            name: match &p.person_id {
                Some(person) => look.person(person.as_str()).await,
                None => String::new(),
            },
            organisation: match &p.organisation_id {
                Some(o) => look.org(o.as_str()).await,
                None => String::new(),
            },
            role: page.tr.t(&format!("role-{}", enum_code(&p.role))),
            note: p.note.as_ref().map(ToString::to_string).unwrap_or_default(),
            person_id: p.person_id.as_ref().map(ToString::to_string),
        });
    }
    let mut topics = Vec::new();
    for t in &e.data.topics {
        topics.push(
            app.get_topic(t.as_str())
                .await
                .map_or_else(|_| t.to_string(), |t| page.tr.name(&t.labels).to_owned()),
        );
    }
    let filter = CommitmentFilter {
        engagement_id: Some(e.id.clone()),
        ..Default::default()
    };
    let mut commitments = Vec::new();
    for c in app
        .list_commitments(&page.principal, &filter, &page_of(200))
        .await?
        .items
    {
        commitments.push(commitment_row(&c, &mut look, today).await);
    }
    let owner = look.org(e.data.owner_org_id.as_str()).await;
    let mut released_to = Vec::new();
    for o in &e.data.releasable_to {
        released_to.push(look.org(o.as_str()).await);
    }
    released_to.extend(
        e.data
            .release_groups
            .iter()
            .map(|g| g.as_str().replace('_', " ")),
    );
    let comments = app
        .comments(&page.principal, Kind::Engagement, id)
        .await?
        .into_iter()
        .map(|c| {
            (
                page.tr.date(c.at.date_naive()),
                c.author,
                c.text.to_string(),
            )
        })
        .collect();
    let history = app
        .record_changes(&page.principal, Kind::Engagement, id)
        .await?
        .into_iter()
        .map(|h| {
            (
                page.tr.date(h.event.at.date_naive()),
                h.event.actor,
                h.event.action,
            )
        })
        .collect();
    let follow_up_title = match &e.data.follow_up_of {
        Some(f) => app
            .get::<Engagement>(&page.principal, f.as_str())
            .await
            .ok()
            .map(|f| (f.id.to_string(), f.data.title.to_string())),
        None => None,
    };
    let statuses = status_options(page.tr);
    let confidence = page
        .tr
        .t(&format!("confidence-{}", enum_code(&e.data.confidence)));
    let can_edit = app.authorizer().allows(
        &page.principal,
        hawkari_app::Action::Update,
        hawkari_app::authz::Releasability::of(&e.data),
    );
    Ok(render(&EngagementPage {
        can_edit,
        confidence,
        page,
        e,
        row,
        participants,
        topics,
        commitments,
        owner,
        released_to,
        comments,
        history,
        follow_up_title,
        statuses,
        print,
    }))
}

pub async fn engagement(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    engagement_page(&app, page, &id, false).await
}

pub async fn print_engagement(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    engagement_page(&app, page, &id, true).await
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    csrf_token: String,
    text: String,
}

pub async fn comment_engagement(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    if let Ok(text) = Text::try_from(f.text) {
        app.add_comment(&page.principal, Kind::Engagement, &id, text)
            .await?;
    }
    Ok(redirect(&format!("/engagements/{id}#comments")))
}

// ---------------------------------------------------------------- new engagement form

/// How many participant and commitment rows the form offers (no JavaScript needed).
const PARTICIPANT_ROWS: usize = 4;
const COMMITMENT_ROWS: usize = 2;

/// A form's fields as posted: every (name, value) pair in order, so that names that
/// repeat (multiple selections, checkboxes) keep all their values.
#[derive(Debug, Clone, Default)]
pub(super) struct Fields(Vec<(String, String)>);

impl Fields {
    /// The last non-empty value of `key`, trimmed.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }
    /// Every non-empty value of `key`, in order, each once.
    pub(super) fn all(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, v) in &self.0 {
            let v = v.trim();
            if k == key && !v.is_empty() && !out.iter().any(|o| o == v) {
                out.push(v.to_owned());
            }
        }
        out
    }
    pub(super) fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_owned(), value.into()));
    }
    pub(super) fn push(&mut self, key: &str, value: impl Into<String>) {
        self.0.push((key.to_owned(), value.into()));
    }
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// Who may read a record, in words: its owner, the organisations it is released to and
/// the groups (with what each means).
fn visible_to(
    tr: Tr,
    owner: &str,
    orgs: &[String],
    groups: &[String],
    names: &[(String, String)],
) -> Vec<String> {
    let name = |id: &str| {
        names
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let mut out = vec![tr.t1("form-visible-owner", "org", &name(owner))];
    out.extend(
        orgs.iter()
            .filter(|o| *o != owner)
            .map(|o| tr.t1("form-visible-org", "org", &name(o))),
    );
    out.extend(groups.iter().map(|g| tr.t(&format!("release-group-{g}"))));
    out
}

#[derive(Template)]
#[template(path = "engagement_form.html")]
struct EngagementForm {
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

/// The release groups a form offers, with their labels.
fn group_options(tr: Tr) -> Vec<(String, String)> {
    hawkari_core::access::ReleaseGroup::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), tr.t(&format!("release-group-{g}"))))
        .collect()
}

async fn engagement_form(
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
        kinds: [
            "key_leader_engagement",
            "delegation_visit",
            "call",
            "joint_committee_session",
            "public_statement",
        ]
        .iter()
        .map(|k| ((*k).to_owned(), tr.t(&format!("kind-{k}"))))
        .collect(),
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
fn participant_rows(f: &Fields) -> usize {
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
fn form_values(e: &Engagement) -> Fields {
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

/// A release as one canonical text: what a user confirms when a save changes it.
fn release_key(orgs: &[serde_json::Value], groups: &[serde_json::Value]) -> String {
    let mut o: Vec<String> = orgs
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut g: Vec<String> = groups
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    o.sort();
    g.sort();
    format!("{}|{}", o.join(","), g.join(","))
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
    let empty = Vec::new();
    let stored = serde_json::json!(current.data);
    let before = release_key(
        stored["releasable_to"].as_array().unwrap_or(&empty),
        stored["release_groups"].as_array().unwrap_or(&empty),
    );
    let after = release_key(
        form["releasable_to"].as_array().unwrap_or(&empty),
        form["release_groups"].as_array().unwrap_or(&empty),
    );
    if before != after && f.get("release_confirmed") != Some(after.as_str()) {
        let change = release_change_words(&app, &page, &current, &form).await?;
        return engagement_form(
            &app,
            page,
            vec![],
            f,
            format!("/engagements/{id}/edit"),
            Some((change, after)),
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

/// What a change of release means, in words: who would lose and who would gain access.
async fn release_change_words(
    app: &App,
    page: &PageCtx,
    current: &Engagement,
    form: &serde_json::Value,
) -> Result<Vec<String>, WebError> {
    let tr = page.tr;
    let mut look = Lookup::new(page, app);
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let new_orgs = strings(&form["releasable_to"]);
    let new_groups = strings(&form["release_groups"]);
    let old_orgs: Vec<String> = current
        .data
        .releasable_to
        .iter()
        .map(ToString::to_string)
        .collect();
    let old_groups: Vec<String> = current
        .data
        .release_groups
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect();
    let mut out = Vec::new();
    for o in old_orgs.iter().filter(|o| !new_orgs.contains(o)) {
        out.push(tr.t1("form-release-loses", "who", &look.org(o).await));
    }
    for g in old_groups.iter().filter(|g| !new_groups.contains(g)) {
        out.push(tr.t1(
            "form-release-loses",
            "who",
            &tr.t(&format!("release-group-{g}")),
        ));
    }
    for o in new_orgs.iter().filter(|o| !old_orgs.contains(o)) {
        out.push(tr.t1("form-release-gains", "who", &look.org(o).await));
    }
    for g in new_groups.iter().filter(|g| !old_groups.contains(g)) {
        out.push(tr.t1(
            "form-release-gains",
            "who",
            &tr.t(&format!("release-group-{g}")),
        ));
    }
    Ok(out)
}

/// Reads the form's commitment rows, adding their problems to `errors`.
fn parse_commitments(
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
fn engagement_json(f: &Fields, owner: &str) -> (serde_json::Value, Vec<serde_json::Value>) {
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
                "owner_org_id": owner,
                "releasable_to": body["releasable_to"].clone(),
                "release_groups": body["release_groups"].clone(),
            }));
        }
    }
    (body, commitments)
}

/// Drops null fields so that optional fields are absent, as the API expects.
fn without_nulls(mut v: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(m) = &mut v {
        m.retain(|_, x| !x.is_null());
        for x in m.values_mut() {
            *x = without_nulls(x.take());
        }
    } else if let serde_json::Value::Array(a) = &mut v {
        for x in a.iter_mut() {
            *x = without_nulls(x.take());
        }
    }
    v
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

// ---------------------------------------------------------------- commitments

#[derive(Template)]
#[template(path = "commitments.html")]
struct CommitmentsPage {
    page: PageCtx,
    columns: Vec<(String, Vec<CommitmentRow>)>,
    by_owner: Vec<(String, Vec<CommitmentRow>)>,
    statuses: Vec<(&'static str, String)>,
}

pub async fn commitments(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let today = app.today();
    let mut look = Lookup::new(&page, &app);
    let mut columns = Vec::new();
    let mut by_owner: Vec<(String, Vec<CommitmentRow>)> = Vec::new();
    for status in CommitmentStatus::ALL {
        let filter = CommitmentFilter {
            status: Some(status),
            ..Default::default()
        };
        let mut rows = Vec::new();
        for c in app
            .list_commitments(&page.principal, &filter, &page_of(200))
            .await?
            .items
        {
            rows.push(commitment_row(&c, &mut look, today).await);
        }
        columns.push((page.tr.t(&format!("status-{}", status.as_str())), rows));
    }
    for (_, rows) in &columns {
        for r in rows
            .iter()
            .filter(|r| r.status == "open" || r.status == "in_progress")
        {
            let row = CommitmentRow {
                history: vec![],
                ..clone_row(r)
            };
            match by_owner.iter_mut().find(|(o, _)| *o == r.owed_by) {
                Some((_, list)) => list.push(row),
                None => by_owner.push((r.owed_by.clone(), vec![row])),
            }
        }
    }
    by_owner.sort_by(|a, b| a.0.cmp(&b.0));
    let statuses = status_options(page.tr);
    Ok(render(&CommitmentsPage {
        page,
        columns,
        by_owner,
        statuses,
    }))
}

fn clone_row(r: &CommitmentRow) -> CommitmentRow {
    CommitmentRow {
        id: r.id.clone(),
        text: r.text.clone(),
        status: r.status,
        status_label: r.status_label.clone(),
        due: r.due.clone(),
        overdue: r.overdue,
        owed_by: r.owed_by.clone(),
        owed_to: r.owed_to.clone(),
        engagement_id: r.engagement_id.clone(),
        history: r.history.clone(),
    }
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf_token: String,
    status: String,
    reason: Option<String>,
    back: Option<String>,
}

/// One commitment, re-rendered after an htmx status change.
#[derive(Template)]
#[template(path = "commitment_item.html")]
struct CommitmentItem {
    page: PageCtx,
    row: CommitmentRow,
    statuses: Vec<(&'static str, String)>,
}

pub async fn change_status(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let status: CommitmentStatus = f.status.parse().map_err(|_| WebError::NotFound)?;
    let reason = f
        .reason
        .filter(|r| !r.trim().is_empty())
        .and_then(|r| Text::try_from(r).ok());
    let changed = app
        .change_commitment_status(&page.principal, &id, status, reason, None)
        .await?;
    if headers.contains_key("hx-request") {
        // htmx swaps just this commitment; without JavaScript the whole page reloads.
        let mut page = page;
        page.here = local_path(f.back.as_deref());
        let mut look = Lookup::new(&page, &app);
        let row = commitment_row(&changed, &mut look, app.today()).await;
        let statuses = status_options(page.tr);
        return Ok(render(&CommitmentItem {
            page,
            row,
            statuses,
        }));
    }
    Ok(redirect(&local_path(f.back.as_deref())))
}

// ---------------------------------------------------------------- people and organisations

#[derive(Debug, Default, Deserialize)]
pub struct TextQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    page: PageCtx,
    people: Vec<(String, String, String)>,
    q: String,
}

pub async fn people(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<TextQuery>,
) -> Result<Response, WebError> {
    let filter = PersonFilter {
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let list = app
        .list_people(&page.principal, &filter, &page_of(200))
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut people = Vec::new();
    for p in &list.items {
        let current = match p.data.positions.iter().rev().find(|x| x.to.is_none()) {
            Some(pos) => format!(
                "{}, {}",
                pos.title,
                look.org(pos.organisation_id.as_str()).await
            ),
            None => String::new(),
        };
        people.push((
            p.id.to_string(),
            page.tr.name(&p.data.names).to_owned(),
            current,
        ));
    }
    Ok(render(&PeoplePage {
        page,
        people,
        q: q.q.unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    page: PageCtx,
    name: String,
    other_names: Vec<String>,
    rank: String,
    positions: Vec<(String, String, String, String)>,
    engagements: Vec<EngagementRow>,
    owes: Vec<CommitmentRow>,
    owed: Vec<CommitmentRow>,
    organisation: String,
    statuses: Vec<(&'static str, String)>,
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
    Ok(render(&PersonPage {
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
#[template(path = "organisations.html")]
struct OrganisationsPage {
    page: PageCtx,
    /// (depth, id, name, kind label)
    tree: Vec<(usize, String, String, String)>,
}

pub async fn organisations(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let all = app
        .list_organisations(
            &page.principal,
            &OrganisationFilter::default(),
            &page_of(500),
        )
        .await?
        .items;
    let ids: Vec<String> = all.iter().map(|o| o.id.to_string()).collect();
    let mut tree = Vec::new();
    fn walk(
        all: &[Organisation],
        ids: &[String],
        parent: Option<&str>,
        depth: usize,
        tr: Tr,
        out: &mut Vec<(usize, String, String, String)>,
    ) {
        for o in all {
            let p = o
                .data
                .parent_id
                .as_ref()
                .map(|p| p.as_str())
                .filter(|p| ids.iter().any(|i| i == p));
            if p == parent && depth < 16 {
                out.push((
                    depth,
                    o.id.to_string(),
                    tr.name(&o.data.names).to_owned(),
                    tr.t(&format!("org-kind-{}", enum_code(&o.data.kind))),
                ));
                walk(all, ids, Some(o.id.as_str()), depth + 1, tr, out);
            }
        }
    }
    walk(&all, &ids, None, 0, page.tr, &mut tree);
    Ok(render(&OrganisationsPage { page, tree }))
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    page: PageCtx,
    name: String,
    abbreviation: String,
    kind: String,
    members: Vec<(String, String)>,
    owes: Vec<CommitmentRow>,
    owed: Vec<CommitmentRow>,
    statuses: Vec<(&'static str, String)>,
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
    let children = app
        .list_organisations(
            &page.principal,
            &OrganisationFilter {
                parent_id: Some(o.id.clone()),
                ..Default::default()
            },
            &page_of(200),
        )
        .await?;
    let mut look = Lookup::new(&page, &app);
    let mut owes = Vec::new();
    for c in &view.owes.items {
        owes.push(commitment_row(c, &mut look, today).await);
    }
    let mut owed = Vec::new();
    for c in &view.owed.items {
        owed.push(commitment_row(c, &mut look, today).await);
    }
    Ok(render(&OrganisationPage {
        name: tr.name(&o.data.names).to_owned(),
        abbreviation: o
            .data
            .abbreviation
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        kind: tr.t(&format!("org-kind-{}", enum_code(&o.data.kind))),
        members: children
            .items
            .iter()
            .map(|c| (c.id.to_string(), tr.name(&c.data.names).to_owned()))
            .collect(),
        owes,
        owed,
        statuses: status_options(tr),
        page,
    }))
}

// ---------------------------------------------------------------- search

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: PageCtx,
    q: String,
    engagements: Vec<EngagementRow>,
    people: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
}

pub async fn search(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<TextQuery>,
) -> Result<Response, WebError> {
    let text = q.q.unwrap_or_default();
    let (mut engagements, mut people, mut orgs) = (vec![], vec![], vec![]);
    if !text.trim().is_empty() {
        let p = &page.principal;
        let tr = page.tr;
        let found = app
            .list_engagements(
                p,
                &EngagementFilter {
                    q: Some(text.clone()),
                    ..Default::default()
                },
                &page_of(50),
            )
            .await?;
        let mut look = Lookup::new(&page, &app);
        for e in &found.items {
            engagements.push(engagement_row(e, &mut look).await);
        }
        people = app
            .list_people(
                p,
                &PersonFilter {
                    q: Some(text.clone()),
                    ..Default::default()
                },
                &page_of(50),
            )
            .await?
            .items
            .iter()
            .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
            .collect();
        orgs = app
            .list_organisations(
                p,
                &OrganisationFilter {
                    q: Some(text.clone()),
                    ..Default::default()
                },
                &page_of(50),
            )
            .await?
            .items
            .iter()
            .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
            .collect();
    }
    Ok(render(&SearchPage {
        page,
        q: text,
        engagements,
        people,
        orgs,
    }))
}
