//! Administration pages: an organisation's audit trail for its administrators — what
//! its users did, and what others did that concerns it (accounts made in it or below it,
//! changes to the tree around it, partners' follow-ups on its records) — and its
//! accounts (create, role, disable, new password).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use serde::Deserialize;

use super::i18n::Tr;
use super::{PageCtx, WebError, render};

/// One entry as the page shows it.
pub struct TrailRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub organisation: String,
    pub action: String,
    pub what: String,
    pub concerns: String,
    /// The entry's detail, as compact JSON (text, escaped by the template).
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: PageCtx,
    rows: Vec<TrailRow>,
    /// The `before` of the next (older) page, if there may be one.
    older: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

const PAGE: u32 = 50;

pub async fn audit(
    State(app): State<App>,
    page: PageCtx,
    Query(q): Query<AuditParams>,
) -> Result<Response, WebError> {
    let entries = app
        .organisation_audit(&page.principal, q.before, PAGE)
        .await?;
    let older = (entries.len() == PAGE as usize)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| TrailRow {
            seq: e.seq,
            at: e.event.at.format("%Y-%m-%d %H:%M").to_string(),
            actor: e.event.actor,
            organisation: e.event.organisation_id.unwrap_or_default(),
            what: match (e.event.kind, e.event.record_id) {
                (Some(k), Some(id)) => format!("{k} {id}"),
                (None, Some(id)) => id,
                _ => String::new(),
            },
            action: e.event.action,
            concerns: e.event.concerns.join(", "),
            detail: serde_json::to_string(&e.event.detail).unwrap_or_default(),
        })
        .collect();
    Ok(render(&AuditPage { page, rows, older }))
}

/// One account as the users page shows it.
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub organisation: String,
    pub role: String,
    pub role_label: String,
    pub disabled: bool,
    /// The signed-in administrator's own account: shown, not changed here.
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    page: PageCtx,
    rows: Vec<AccountRow>,
    roles: Vec<(&'static str, String)>,
    /// What was done, or what went wrong, said at the top.
    notice: Option<String>,
    errors: Vec<String>,
    /// The new-account form's values, kept when it is refused.
    new_username: String,
    new_role: String,
}

impl UsersPage {
    fn is_role(&self, row: &AccountRow, code: &str) -> bool {
        row.role == code
    }
    fn is_new_role(&self, code: &str) -> bool {
        self.new_role == code
    }
}

/// The roles an administrator gives: up to their own.
fn roles_for(page: &PageCtx) -> Vec<(&'static str, String)> {
    hawkari_core::access::Role::ALL
        .iter()
        .filter(|r| {
            page.user.role == hawkari_core::access::Role::SystemAdmin
                || **r != hawkari_core::access::Role::SystemAdmin
        })
        .map(|r| (r.as_str(), page.tr.t(&format!("role-name-{}", r.as_str()))))
        .collect()
}

async fn users_page(
    app: &App,
    page: PageCtx,
    notice: Option<String>,
    errors: Vec<String>,
    kept: (String, String),
) -> Result<Response, WebError> {
    let me = page.user.id.clone();
    let rows = app
        .list_accounts(&page.principal)
        .await?
        .into_iter()
        .map(|u| AccountRow {
            is_self: u.id == me,
            id: u.id,
            username: u.username,
            organisation: u.organisation_id.to_string(),
            role: u.role.as_str().to_owned(),
            role_label: page.tr.t(&format!("role-name-{}", u.role.as_str())),
            disabled: u.disabled,
        })
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let roles = roles_for(&page);
    let r = render(&UsersPage {
        page,
        rows,
        roles,
        notice,
        errors,
        new_username: kept.0,
        new_role: kept.1,
    });
    Ok((status, r).into_response())
}

pub async fn users(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    users_page(&app, page, None, vec![], (String::new(), "viewer".into())).await
}

/// The messages of a refused change, for the page (fields named).
fn problems(tr: Tr, e: hawkari_app::AppError) -> Result<Vec<String>, WebError> {
    match e {
        hawkari_app::AppError::Invalid(v) => Ok(v
            .errors
            .into_iter()
            .map(|f| format!("{}: {}", field_label(tr, &f.field), tr.problem(&f.message)))
            .collect()),
        hawkari_app::AppError::Conflict(m) => Ok(vec![m]),
        other => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct NewAccountForm {
    csrf_token: String,
    username: String,
    role: String,
    password: String,
}

pub async fn create_user(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<NewAccountForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let role = f.role.parse().map_err(|_| WebError::BadRequest)?;
    let org = page.user.organisation_id.clone();
    match app
        .create_user(&page.principal, f.username.trim(), &org, role, &f.password)
        .await
    {
        Ok(u) => {
            let notice = page.tr.t1("admin-user-created", "user", &u.username);
            users_page(
                &app,
                page,
                Some(notice),
                vec![],
                (String::new(), "viewer".into()),
            )
            .await
        }
        Err(e) => {
            let errors = problems(page.tr, e)?;
            users_page(&app, page, None, errors, (f.username, f.role)).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AccountChangeForm {
    csrf_token: String,
    role: String,
    /// Present when the box is ticked.
    disabled: Option<String>,
}

pub async fn update_user(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<AccountChangeForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let role = f.role.parse().map_err(|_| WebError::BadRequest)?;
    match app
        .update_account(&page.principal, &id, Some(role), Some(f.disabled.is_some()))
        .await
    {
        Ok(u) => {
            let notice = page.tr.t1("admin-user-saved", "user", &u.username);
            users_page(
                &app,
                page,
                Some(notice),
                vec![],
                (String::new(), "viewer".into()),
            )
            .await
        }
        Err(e) => {
            let errors = problems(page.tr, e)?;
            users_page(&app, page, None, errors, (String::new(), "viewer".into())).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf_token: String,
    password: String,
}

pub async fn set_password(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    match app
        .set_account_password(&page.principal, &id, &f.password)
        .await
    {
        Ok(u) => {
            let notice = page.tr.t1("admin-password-set", "user", &u.username);
            users_page(
                &app,
                page,
                Some(notice),
                vec![],
                (String::new(), "viewer".into()),
            )
            .await
        }
        Err(e) => {
            let errors = problems(page.tr, e)?;
            users_page(&app, page, None, errors, (String::new(), "viewer".into())).await
        }
    }
}

/// A field of the account forms, as the form labels it.
pub(super) fn field_label(tr: Tr, field: &str) -> String {
    match field {
        "username" => tr.t("admin-username"),
        "password" => tr.t("admin-new-password"),
        "role" => tr.t("form-role"),
        "name" => tr.t("tokens-name"),
        other => other.to_owned(),
    }
}
