//! Search across engagements, people and organisations, in any script.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hawkari_app::App;
use hawkari_store::{EngagementFilter, OrganisationFilter, PersonFilter};

use super::{PageCtx, WebError, render};

use super::registry::TextQuery;
use super::rows::*;

#[derive(Template)]
#[template(path = "search.html")]
pub(super) struct SearchPage {
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
