//! Engagements: the list with its filters and timeline, one engagement's record (and its
//! print report), comments.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
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
pub(super) struct EngagementsPage {
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
