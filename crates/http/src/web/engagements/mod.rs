//! Engagements: the list with its filters and timeline, one engagement's record (and its
//! print report), comments.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_core::engagement::Engagement;
use hawkari_core::record::Kind;
use hawkari_core::values::Text;
use hawkari_store::{CommitmentFilter, EngagementFilter};
use serde::Deserialize;

use super::{PageCtx, WebError, redirect, render};

use super::rows::*;

mod form;
pub use form::*;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct EngagementQuery {
    from: Option<String>,
    to: Option<String>,
    topic: Option<String>,
    /// With a participating organisation in this organisation's subtree.
    organisation: Option<String>,
    /// With this person participating.
    person: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    /// `newest` (the default) or `oldest`.
    sort: Option<String>,
    cursor: Option<String>,
}

impl EngagementQuery {
    fn value(v: &Option<String>) -> &str {
        v.as_deref().map(str::trim).unwrap_or("")
    }

    /// The filters as a query string (without the cursor), for links and the export.
    fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("topic", &self.topic),
            ("organisation", &self.organisation),
            ("person", &self.person),
            ("kind", &self.kind),
            ("q", &self.q),
            ("sort", &self.sort),
        ] {
            let v = Self::value(v);
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }

    /// The store's filter, or the problems with the values, in the reader's language.
    fn filter(&self, tr: super::i18n::Tr) -> (EngagementFilter, Vec<String>) {
        let mut errors = Vec::new();
        let from =
            super::lists::date_bound(&tr, "engagements-from", &self.from, false, &mut errors);
        let to = super::lists::date_bound(&tr, "engagements-to", &self.to, true, &mut errors);
        let sort = super::lists::natural_or_reversed(super::lists::sort_of(
            &tr,
            &super::lists::BY_DATE,
            &self.sort,
            &mut errors,
        ));
        let filter = EngagementFilter {
            sort,
            from,
            to,
            topic: choice(tr, &mut errors, "engagements-topic", &self.topic),
            organisation_id: choice(tr, &mut errors, "form-organisation", &self.organisation),
            person_id: choice(tr, &mut errors, "form-person", &self.person),
            kind: choice(tr, &mut errors, "engagement-kind", &self.kind),
            q: Some(Self::value(&self.q).to_owned()).filter(|s| !s.is_empty()),
        };
        (filter, errors)
    }
}

/// A filter's chosen value as its type (an id, a code), or a problem said in the
/// reader's language naming the field.
fn choice<T: serde::de::DeserializeOwned>(
    tr: super::i18n::Tr,
    errors: &mut Vec<String>,
    field: &str,
    v: &Option<String>,
) -> Option<T> {
    let v = EngagementQuery::value(v);
    if v.is_empty() {
        return None;
    }
    let parsed = serde_json::from_value(serde_json::Value::String(v.to_owned())).ok();
    if parsed.is_none() {
        errors.push(tr.t1("board-bad-value", "field", &tr.t(field)));
    }
    parsed
}

#[derive(Template)]
#[template(path = "engagements.html")]
pub(super) struct EngagementsPage {
    page: PageCtx,
    rows: Vec<EngagementRow>,
    topics: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    people: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    sorts: Vec<super::lists::SortChoice>,
    query: EngagementQuery,
    next: Option<String>,
    errors: Vec<String>,
    /// How many match, and how many this page shows.
    count: String,
    /// The filters as a query string, for the export link and saving the view.
    filters: String,
    /// The user's saved views of this page.
    views: Vec<hawkari_store::SavedView>,
}

impl EngagementsPage {
    /// Whether row `i` starts a month on the timeline.
    fn new_month(&self, i: &usize) -> bool {
        *i == 0 || self.rows[*i - 1].month != self.rows[*i].month
    }
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        EngagementQuery::value(v) == code
    }
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        EngagementQuery::value(v)
    }
}

/// The kinds of engagement, with their labels.
pub(super) fn kind_options(tr: super::i18n::Tr) -> Vec<(String, String)> {
    [
        "key_leader_engagement",
        "delegation_visit",
        "call",
        "joint_committee_session",
        "public_statement",
    ]
    .iter()
    .map(|k| ((*k).to_owned(), tr.t(&format!("kind-{k}"))))
    .collect()
}

/// Engagements, newest first, filtered by date range (any precision), topic,
/// organisation (with those below it), person, kind and words; a page at a time on a
/// timeline by month.
pub async fn engagements(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<EngagementQuery>,
) -> Result<Response, WebError> {
    let (filter, errors) = q.filter(page.tr);
    let filters = q.to_query();
    let mut rows = Vec::new();
    let mut next = None;
    let mut count = String::new();
    if errors.is_empty() {
        let mut request = page_of(50);
        request.after = q.cursor.as_deref().and_then(hawkari_store::Cursor::decode);
        let list = app
            .list_engagements(&page.principal, &filter, &request)
            .await?;
        let mut look = Lookup::new(&page, &app);
        for e in &list.items {
            rows.push(engagement_row(e, &mut look).await);
        }
        next = list.next.map(|c| {
            let sep = if filters.is_empty() { "" } else { "&" };
            format!("/engagements?{filters}{sep}cursor={}", c.encode())
        });
        let total = app
            .count(
                &page.principal,
                hawkari_store::ListOf::Engagements(&filter),
                super::lists::COUNT_MOST,
            )
            .await?;
        count = super::lists::count_line(&page.tr, total, rows.len());
    }
    let tr = page.tr;
    let topics = app
        .list_topics()
        .await?
        .into_iter()
        .map(|t| (t.code.to_string(), tr.name(&t.labels).to_owned()))
        .collect();
    let orgs = app
        .list_organisations(&page.principal, &Default::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|o| (o.id.to_string(), tr.name(&o.data.names).to_owned()))
        .collect();
    let people = app
        .list_people(&page.principal, &Default::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|p| (p.id.to_string(), tr.name(&p.data.names).to_owned()))
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    let views = super::account::views_of(&app, &page, "/engagements").await?;
    let r = render(&EngagementsPage {
        views,
        kinds: kind_options(tr),
        sorts: super::lists::sort_choices(&tr, &super::lists::BY_DATE),
        page,
        rows,
        topics,
        orgs,
        people,
        query: q,
        next,
        errors,
        count,
        filters,
    });
    Ok((status, r).into_response())
}

/// What the list shows, as CSV with an HXL row (every page of it), for the reader's
/// releases only; audited as an export.
pub async fn engagements_csv(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<EngagementQuery>,
) -> Result<Response, WebError> {
    let (filter, errors) = q.filter(page.tr);
    if !errors.is_empty() {
        return Err(WebError::BadRequest);
    }
    let mut body = Vec::new();
    app.export_engagements(&page.principal, &filter, &mut body)
        .await?;
    Ok(super::commitments::csv_response(
        body,
        "hawkari-engagements.csv",
    ))
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
pub(super) struct EngagementPage {
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
    /// Where it took place: (id, name).
    place: Option<(String, String)>,
    statuses: Vec<(&'static str, String)>,
    confidence: String,
    print: bool,
    /// Whether the reader may edit it (the Edit link is offered only then).
    can_edit: bool,
}

pub(super) async fn engagement_page(
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
    let place = match &e.data.place_id {
        Some(p) => Some((
            p.to_string(),
            app.get::<hawkari_core::place::Place>(&page.principal, p.as_str())
                .await
                .map_or_else(
                    |_| p.to_string(),
                    |x| page.tr.name(&x.data.names).to_owned(),
                ),
        )),
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
        place,
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
