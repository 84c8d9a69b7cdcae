//! The registry in the web: organisations (the tree, reporting lines, what each owes and
//! is owed), people (positions over time, what to prepare for a meeting), places and
//! topics — each read, and created, edited and deleted by those who may, with forms
//! that follow `forms.rs`.

use askama::Template;
use axum::response::{IntoResponse, Response};
use hawkari_app::{App, AppError, RecordKind};
use serde::Deserialize;

use super::forms::Fields;
use super::{PageCtx, WebError, redirect, render};

mod organisations;
mod people;
mod places;
mod topics;

pub use organisations::*;
pub use people::*;
pub use places::*;
pub use topics::*;

#[derive(Debug, Default, Deserialize)]
pub struct TextQuery {
    pub(super) q: Option<String>,
}

#[derive(Template)]
#[template(path = "delete.html")]
struct DeletePage {
    page: PageCtx,
    heading: String,
    name: String,
    action: String,
    back: String,
    version: String,
    error: String,
}

/// The page that asks before deleting a record (`base` is its collection's path, e.g.
/// `/people`), with why a delete was refused, if it was.
pub(in crate::web) async fn delete_page<R: RecordKind>(
    app: &App,
    page: PageCtx,
    base: &str,
    id: &str,
    name: impl Fn(&R) -> String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let r: R = app.get(&page.principal, id).await?;
    if !super::forms::may(app, &page, hawkari_app::Action::Delete, r.data()) {
        return Err(WebError::Forbidden);
    }
    let failed = error.is_some();
    let p = DeletePage {
        heading: page.tr.t1("form-delete-heading", "name", &name(&r)),
        name: name(&r),
        action: format!("{base}/{id}/delete"),
        back: format!("{base}/{id}"),
        version: r.meta().version.to_string(),
        error: error.unwrap_or_default(),
        page,
    };
    let r = render(&p);
    Ok(if failed {
        (axum::http::StatusCode::CONFLICT, r).into_response()
    } else {
        r
    })
}

/// Deletes a record at the version the page showed, and goes back to its collection; a
/// refusal (still referred to, changed meanwhile) is said on the page again.
pub(in crate::web) async fn delete_record<R: RecordKind>(
    app: &App,
    page: PageCtx,
    base: &str,
    id: &str,
    f: Fields,
    name: impl Fn(&R) -> String,
) -> Result<Response, WebError> {
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let version = f.get("version").and_then(|v| v.parse().ok());
    let tr = page.tr;
    let why = match app.delete::<R>(&page.principal, id, version).await {
        Ok(()) => return Ok(redirect(base)),
        Err(AppError::Conflict(m)) => format!("{} ({m})", tr.t("form-delete-referred")),
        Err(AppError::VersionConflict { .. }) => tr.t("form-delete-changed"),
        Err(e) => return Err(e.into()),
    };
    delete_page::<R>(app, page, base, id, name, Some(why)).await
}
