//! People (positions, and what to prepare for a meeting) and organisations (the tree,
//! what each owes and is owed).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hawkari_app::App;
use hawkari_core::organisation::Organisation;
use hawkari_store::{OrganisationFilter, PersonFilter};
use serde::Deserialize;

use super::i18n::Tr;
use super::{PageCtx, WebError, render};

use super::rows::*;

#[derive(Debug, Default, Deserialize)]
pub struct TextQuery {
    pub(super) q: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
pub(super) struct PeoplePage {
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
pub(super) struct PersonPage {
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
pub(super) struct OrganisationsPage {
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
pub(super) struct OrganisationPage {
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
