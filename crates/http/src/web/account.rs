//! The signed-in user's own things: their API tokens and calendar feed addresses (made
//! here, the secret shown once; revoked here).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use hawkari_app::App;
use hawkari_store::TokenScope;
use serde::Deserialize;

use super::{PageCtx, WebError, redirect, render};

/// A token as the page shows it (never its secret).
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub created: String,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "account_tokens.html")]
struct TokensPage {
    page: PageCtx,
    rows: Vec<TokenRow>,
    /// A token just made: its name and secret, shown this once.
    made: Option<(String, String)>,
    errors: Vec<String>,
}

async fn tokens_page(
    app: &App,
    page: PageCtx,
    made: Option<(String, String)>,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let rows = app
        .list_tokens(&page.principal)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: page.tr.t(&format!("token-scope-{}", t.scope.as_str())),
            created: page.tr.date(t.created_at.date_naive()),
            revoked: t.revoked_at.map(|r| page.tr.date(r.date_naive())),
        })
        .collect();
    Ok(render(&TokensPage {
        page,
        rows,
        made,
        errors,
    }))
}

pub async fn tokens(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    tokens_page(&app, page, None, vec![]).await
}

#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    csrf_token: String,
    name: String,
    scope: String,
}

pub async fn create_token(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<NewTokenForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let scope = if f.scope == "write" {
        TokenScope::Write
    } else {
        TokenScope::Read
    };
    match app.create_token(&page.principal, &f.name, scope).await {
        Ok((token, secret)) => tokens_page(&app, page, Some((token.name, secret.0)), vec![]).await,
        Err(hawkari_app::AppError::Invalid(v)) => {
            let errors = v
                .errors
                .into_iter()
                .map(|e| {
                    let field = super::admin::field_label(page.tr, &e.field);
                    format!("{field}: {}", page.tr.problem(&e.message))
                })
                .collect();
            tokens_page(&app, page, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf_token: String,
}

pub async fn revoke_token(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.revoke_token(&page.principal, &id).await?;
    Ok(redirect("/account/tokens"))
}

#[derive(Debug, Deserialize)]
pub struct SaveViewForm {
    csrf_token: String,
    name: String,
    path: String,
    #[serde(default)]
    query: String,
}

/// Saves the list page the user is on, with its filters, under a name; back to it.
pub async fn save_view(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<SaveViewForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let back = |q: &str| {
        if q.is_empty() {
            f.path.clone()
        } else {
            format!("{}?{q}", f.path)
        }
    };
    match app
        .save_view(&page.principal, &f.name, &f.path, &f.query)
        .await
    {
        Ok(v) => Ok(redirect(&back(&v.query))),
        Err(hawkari_app::AppError::Invalid(_)) => Err(WebError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct DeleteViewForm {
    csrf_token: String,
    back: Option<String>,
}

pub async fn delete_view(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<DeleteViewForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.delete_view(&page.principal, &id).await?;
    Ok(redirect(&super::session::local_path(f.back.as_deref())))
}

/// The user's saved views of one list page, for its template.
pub(super) async fn views_of(
    app: &App,
    page: &PageCtx,
    path: &str,
) -> Result<Vec<hawkari_store::SavedView>, WebError> {
    Ok(app
        .views(&page.principal)
        .await?
        .into_iter()
        .filter(|v| v.path == path)
        .collect())
}

#[derive(Template)]
#[template(path = "account_calendar.html")]
struct CalendarPage {
    page: PageCtx,
    rows: Vec<TokenRow>,
    /// A feed just made: its name and address, shown this once.
    made: Option<(String, String)>,
    errors: Vec<String>,
}

/// The address of a feed as the user subscribes to it: on the server and scheme the page
/// was asked on.
fn feed_url(headers: &axum::http::HeaderMap, scheme: Option<crate::Scheme>, path: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = match scheme {
        Some(crate::Scheme::Https) => "https",
        _ => "http",
    };
    format!("{scheme}://{host}{path}")
}

async fn calendar_page(
    app: &App,
    page: PageCtx,
    made: Option<(String, String)>,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let rows = app
        .list_calendar_feeds(&page.principal)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: String::new(),
            created: page.tr.date(t.created_at.date_naive()),
            revoked: t.revoked_at.map(|r| page.tr.date(r.date_naive())),
        })
        .collect();
    Ok(render(&CalendarPage {
        page,
        rows,
        made,
        errors,
    }))
}

/// `/account/calendar`: the user's calendar feed addresses.
pub async fn calendar(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    calendar_page(&app, page, None, vec![]).await
}

#[derive(Debug, Deserialize)]
pub struct NewFeedForm {
    csrf_token: String,
    name: String,
}

pub async fn create_calendar_feed(
    State(app): State<App>,
    page: PageCtx,
    scheme: Option<axum::Extension<crate::Scheme>>,
    headers: axum::http::HeaderMap,
    Form(f): Form<NewFeedForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    match app
        .create_token(&page.principal, &f.name, TokenScope::Calendar)
        .await
    {
        Ok((token, secret)) => {
            let path = crate::api::calendar::feed_path(&secret.0);
            let url = feed_url(&headers, scheme.map(|s| s.0), &path);
            calendar_page(&app, page, Some((token.name, url)), vec![]).await
        }
        Err(hawkari_app::AppError::Invalid(v)) => {
            let errors = v
                .errors
                .into_iter()
                .map(|e| {
                    let field = super::admin::field_label(page.tr, &e.field);
                    format!("{field}: {}", page.tr.problem(&e.message))
                })
                .collect();
            calendar_page(&app, page, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_calendar_feed(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.revoke_calendar_feed(&page.principal, &id).await?;
    Ok(redirect("/account/calendar"))
}
