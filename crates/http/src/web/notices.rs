//! Following and notices in the web: the notification list (with the header's unread
//! count, see `PageCtx`), marking notices read, the follow buttons' forms, and the
//! reader's notice settings (e-mail address, language, immediate mail and/or a daily
//! digest, their organisation's commitments). What a notice says is written here once,
//! for the page and the mail (`crate::mail`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentValue};
use hawkari_app::App;
use hawkari_app::notices::ShownNotice;
use hawkari_core::record::Kind;
use hawkari_store::{AnyRecord, FollowTarget, NoticeEvent, NoticeSettings};
use serde::Deserialize;

use super::i18n::Tr;
use super::session::local_path;
use super::{PageCtx, WebError, redirect, render};

/// A record's title as the reader reads it.
pub fn record_title(tr: &Tr, record: &AnyRecord) -> String {
    match record {
        AnyRecord::Commitment(c) => c.data.text.as_str().to_owned(),
        AnyRecord::Engagement(e) => e.data.title.as_str().to_owned(),
        AnyRecord::Operation(o) => tr.name(&o.data.names).to_owned(),
        AnyRecord::Programme(p) => tr.name(&p.data.names).to_owned(),
        other => other.id().to_owned(),
    }
}

/// The page of a record: `/commitments/c-1`.
pub fn record_path(record: &AnyRecord) -> String {
    format!("/{}/{}", record.kind().plural(), record.id())
}

/// What a notice says, in the reader's language.
pub fn notice_text(tr: &Tr, n: &ShownNotice) -> String {
    let detail = |key: &str| {
        n.notice
            .detail
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let mut args = FluentArgs::new();
    // A programme's milestone falling due is named with its programme.
    let name = match n.notice.detail.get("milestone").and_then(|v| v.as_str()) {
        Some(m) => format!("{}: {m}", record_title(tr, &n.record)),
        None => record_title(tr, &n.record),
    };
    args.set("name", FluentValue::from(name));
    let key = match n.notice.event {
        NoticeEvent::Overdue | NoticeEvent::DueSoon => {
            let due = detail("due");
            let due = due.parse::<NaiveDate>().map(|d| tr.date(d)).unwrap_or(due);
            args.set("date", FluentValue::from(due));
            if n.notice.event == NoticeEvent::Overdue {
                "notice-overdue"
            } else {
                "notice-due-soon"
            }
        }
        NoticeEvent::Status => {
            let code = detail("status");
            let label = match n.notice.kind {
                Kind::Commitment => tr.t(&format!("status-{code}")),
                Kind::Programme => tr.t(&format!("milestone-{code}")),
                Kind::Operation => tr.t(&format!("site-status-{code}")),
                _ => code,
            };
            args.set("value", FluentValue::from(label));
            args.set("who", FluentValue::from(detail("who")));
            "notice-status"
        }
        NoticeEvent::Comment => {
            args.set("who", FluentValue::from(detail("who")));
            "notice-comment"
        }
    };
    tr.with_args(key, &args)
}

/// A notice as the list shows it.
pub struct NoticeRow {
    pub id: String,
    pub text: String,
    pub href: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NoticesPage {
    page: PageCtx,
    rows: Vec<NoticeRow>,
}

/// The reader's notices, newest first: only those whose records they may read now.
pub async fn notices(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let rows = app
        .notices_for(&page.principal, false, 100)
        .await?
        .iter()
        .map(|n| NoticeRow {
            id: n.notice.id.clone(),
            text: notice_text(&page.tr, n),
            href: record_path(&n.record),
            when: page.tr.date(n.notice.at.date_naive()),
            unread: n.notice.read_at.is_none(),
        })
        .collect();
    Ok(render(&NoticesPage { page, rows }))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn mark_read(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.mark_notice_read(&page.principal, &id).await?;
    Ok(redirect("/notifications"))
}

pub async fn mark_all_read(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.mark_all_notices_read(&page.principal).await?;
    Ok(redirect("/notifications"))
}

#[derive(Debug, Deserialize)]
pub struct FollowForm {
    csrf_token: String,
    target: String,
    #[serde(default)]
    record_id: Option<String>,
    #[serde(default)]
    back: Option<String>,
}

/// The follow button of a record page.
pub async fn follow(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<FollowForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let target = FollowTarget::parse(&f.target).ok_or(WebError::BadRequest)?;
    let record_id = f.record_id.filter(|r| !r.is_empty());
    app.follow(&page.principal, target, record_id.as_deref())
        .await?;
    Ok(redirect(&local_path(f.back.as_deref())))
}

#[derive(Debug, Deserialize)]
pub struct BackForm {
    csrf_token: String,
    #[serde(default)]
    back: Option<String>,
}

pub async fn unfollow(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<BackForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    app.unfollow(&page.principal, &id).await?;
    Ok(redirect(&local_path(f.back.as_deref())))
}

#[derive(Template)]
#[template(path = "account_notifications.html")]
struct SettingsPage {
    page: PageCtx,
    email: String,
    language: String,
    immediate: bool,
    digest: bool,
    owed_by: bool,
    owed_to: bool,
    /// What the reader follows: the follow's id, the record's title, its page.
    follows: Vec<(String, String, String)>,
    saved: bool,
    errors: Vec<String>,
}

/// The settings form as posted (a checkbox left unticked is absent).
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    immediate: Option<String>,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    owed_by: Option<String>,
    #[serde(default)]
    owed_to: Option<String>,
}

async fn settings_page(
    app: &App,
    page: PageCtx,
    form: Option<SettingsForm>,
    saved: bool,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let followed = app.followed(&page.principal).await?;
    let has = |t: FollowTarget| followed.iter().any(|(f, _)| f.target == t);
    let (owed_by, owed_to) = (has(FollowTarget::OwedBy), has(FollowTarget::OwedTo));
    let follows = followed
        .iter()
        .filter_map(|(f, r)| {
            r.as_ref()
                .map(|r| (f.id.clone(), record_title(&page.tr, r), record_path(r)))
        })
        .collect();
    let stored = app.notice_settings(&page.principal).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = match form {
        Some(f) => SettingsPage {
            email: f.email,
            language: f.language,
            immediate: f.immediate.is_some(),
            digest: f.digest.is_some(),
            owed_by: f.owed_by.is_some(),
            owed_to: f.owed_to.is_some(),
            page,
            follows,
            saved,
            errors,
        },
        None => SettingsPage {
            // Never set: offer the language the reader reads in now.
            language: if stored == NoticeSettings::default() {
                page.tr.locale.code().to_owned()
            } else {
                stored.language
            },
            email: stored.email.unwrap_or_default(),
            immediate: stored.immediate,
            digest: stored.digest,
            owed_by,
            owed_to,
            page,
            follows,
            saved,
            errors,
        },
    };
    let mut r = render(&view);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    Ok(r)
}

pub async fn settings(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let saved = page.here.contains("saved=1");
    settings_page(&app, page, None, saved, vec![]).await
}

/// Saves the settings: the mail settings, then the follows of the organisation's
/// commitments. A problem is named at its field, in the reader's language, and the form
/// keeps what was typed.
pub async fn save_settings(
    State(app): State<App>,
    page: PageCtx,
    Form(f): Form<SettingsForm>,
) -> Result<Response, WebError> {
    page.check_csrf(&f.csrf_token)?;
    let tr = page.tr;
    let email = f.email.trim().to_owned();
    let mut errors = Vec::new();
    let field = |label: &str, problem: &str| format!("{}: {}", tr.t(label), tr.t(problem));
    if !email.is_empty() && hawkari_app::notices::check_email(&email).is_err() {
        errors.push(field("notice-settings-email", "notice-settings-bad-email"));
    }
    if email.is_empty() && (f.immediate.is_some() || f.digest.is_some()) {
        errors.push(field(
            "notice-settings-email",
            "notice-settings-email-needed",
        ));
    }
    if !hawkari_app::notices::NOTICE_LANGUAGES.contains(&f.language.as_str()) {
        errors.push(field(
            "notice-settings-language",
            "notice-settings-bad-language",
        ));
    }
    if !errors.is_empty() {
        return settings_page(&app, page, Some(f), false, errors).await;
    }
    let settings = NoticeSettings {
        email: (!email.is_empty()).then_some(email),
        language: f.language.clone(),
        immediate: f.immediate.is_some(),
        digest: f.digest.is_some(),
        last_digest_at: None,
    };
    app.set_notice_settings(&page.principal, settings).await?;
    let followed = app.follows(&page.principal).await?;
    for (target, wanted) in [
        (FollowTarget::OwedBy, f.owed_by.is_some()),
        (FollowTarget::OwedTo, f.owed_to.is_some()),
    ] {
        match (followed.iter().find(|x| x.target == target), wanted) {
            (None, true) => {
                app.follow(&page.principal, target, None).await?;
            }
            (Some(x), false) => app.unfollow(&page.principal, &x.id).await?,
            _ => {}
        }
    }
    Ok(redirect("/account/notifications?saved=1"))
}
