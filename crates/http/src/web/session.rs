//! Signing in and out, the interface language, and the error page.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use hawkari_app::App;
use serde::Deserialize;

use super::i18n::{Locale, Tr};
use super::{LANG_COOKIE, PageCtx, WebError, assets, redirect, render};

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    tr: Tr,
    next: String,
    failed: bool,
    css: &'static str,
    /// Echoed by the form and compared with the cookie of the same name (login CSRF).
    login_csrf: String,
}

/// The cookie that pairs the sign-in form with the browser that loaded it.
pub(super) const LOGIN_CSRF_COOKIE: &str = "hawkari_login_csrf";

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    failed: Option<String>,
}

/// Only local paths are followed after sign-in (no open redirect).
pub(super) fn local_path(next: Option<&str>) -> String {
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
pub async fn set_language(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    Form(f): Form<LanguageForm>,
) -> Response {
    let locale = Locale::from_code(&f.lang).unwrap_or(Locale::En);
    // A signed-in reader's notices and mail follow the language they read in. (The
    // session cookie is SameSite=Strict: another site's form cannot carry it here.)
    if let Some(secret) = crate::extract::session_cookie(&headers)
        && let Ok((principal, _)) = app.authenticate_session(&secret).await
        && let Err(e) = app.set_notice_language(&principal, locale.code()).await
    {
        tracing::warn!(error = %e, "the notices' language is not kept");
    }
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
pub(super) struct ErrorPage {
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
