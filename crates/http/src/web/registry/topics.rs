//! Topics, the shared vocabulary engagements are filed under: everyone reads them here;
//! organisation and system administrators add topics and relabel them in the three
//! languages (keeping other spellings the API gave), and remove one no engagement uses.
//! Topics carry no version: the last relabelling saved stands.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{App, AppError};
use hawkari_core::topic::Topic;
use hawkari_store::TopicWrite;

use super::super::forms::*;
use super::super::i18n::Tr;
use super::super::{PageCtx, WebError, redirect, render};

/// One topic as the page shows it, with its relabelling form's values and problems.
pub struct TopicRow {
    pub code: String,
    pub name: String,
    pub s: FormState,
}

#[derive(Template)]
#[template(path = "topics.html")]
pub(in crate::web) struct TopicsPage {
    page: PageCtx,
    rows: Vec<TopicRow>,
    /// The form that adds a topic.
    s: FormState,
    can_change: bool,
}

fn labels_values(v: &mut Fields, t: &Topic) {
    let s = |n: &Option<hawkari_core::values::Name>| n.as_ref().map(ToString::to_string);
    v.set("label_en", s(&t.labels.en).unwrap_or_default());
    v.set("label_ar", s(&t.labels.ar).unwrap_or_default());
    v.set("label_ckb", s(&t.labels.ckb).unwrap_or_default());
}

/// The topics page; `posted` is a form that was refused: `None` for the new topic's,
/// or the code of the topic whose form it was, with its values and problems.
async fn topics_page(
    app: &App,
    page: PageCtx,
    posted: Option<(Option<String>, FormState)>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let label = |k: &str| -> Option<String> {
        Some(tr.t(match k {
            "code" => "form-topic-code",
            "label_en" => "form-name-en",
            "label_ar" => "form-name-ar",
            "label_ckb" => "form-name-ckb",
            _ => return None,
        }))
    };
    let (mut new, mut edited) = (FormState::default(), None);
    match posted {
        Some((None, s)) => new = s,
        Some((Some(code), s)) => edited = Some((code, s)),
        None => {}
    }
    new.summarise(label);
    let rows = app
        .list_topics()
        .await?
        .into_iter()
        .map(|t| {
            let code = t.code.to_string();
            let s = match &edited {
                Some((c, s)) if *c == code => {
                    let mut s = s.clone();
                    s.summarise(label);
                    s
                }
                _ => {
                    let mut v = Fields::default();
                    labels_values(&mut v, &t);
                    FormState::new(v)
                }
            };
            TopicRow {
                name: tr.name(&t.labels).to_owned(),
                code,
                s,
            }
        })
        .collect();
    let failed = !new.errors.is_empty() || edited.is_some();
    let can_change = page.is_admin();
    let r = render(&TopicsPage {
        page,
        rows,
        s: new,
        can_change,
    });
    Ok(if failed {
        (StatusCode::UNPROCESSABLE_ENTITY, r).into_response()
    } else {
        r
    })
}

pub async fn topics(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    topics_page(&app, page, None).await
}

/// The labels from a topic form, with problems at their fields (`keep`: the stored
/// topic's other spellings, which the form does not show).
fn labels_json(tr: Tr, f: &Fields, errors: &mut FieldErrors, keep: &[String]) -> serde_json::Value {
    let (en, ar, ckb) = (f.get("label_en"), f.get("label_ar"), f.get("label_ckb"));
    if en.is_none() && ar.is_none() && ckb.is_none() {
        errors.add("label_en", tr.t("form-error-name-needed"));
    }
    serde_json::json!({"en": en, "ar": ar, "ckb": ckb, "aliases": keep})
}

/// Adds a topic to the vocabulary.
pub async fn add_topic(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !page.is_admin() {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    let labels = labels_json(tr, &s.f, &mut s.errors, &[]);
    let code = s.f.get("code").unwrap_or("").to_owned();
    if hawkari_core::ids::check_slug(&code).is_err() {
        s.errors.add("code", tr.t("form-error-id"));
    }
    if s.errors.is_empty() {
        let topic = serde_json::json!({"code": code, "labels": labels});
        match hawkari_core::record::from_json_value::<Topic>(without_nulls(topic), "") {
            Ok(t) => match app.put_topic(&page.principal, t, TopicWrite::Create).await {
                Ok(_) => return Ok(redirect("/topics")),
                Err(AppError::Conflict(_)) => s.errors.add("code", tr.t("form-error-topic-exists")),
                Err(e) => {
                    save_problems(tr, e, &mut s.errors, &[], &[])?;
                }
            },
            Err(v) => json_problems(tr, v, &mut s.errors, &[], &[("code", "code")]),
        }
    }
    topics_page(&app, page, Some((None, s))).await
}

/// Relabels a topic, or (with `delete`) removes it if no engagement uses it.
pub async fn change_topic(
    State(app): State<App>,
    page: PageCtx,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !page.is_admin() {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let current = app.get_topic(&code).await?;
    let mut s = FormState::new(f);
    if s.f.get("delete").is_some() {
        match app
            .delete_topic(&page.principal, current.code.clone())
            .await
        {
            Ok(()) => return Ok(redirect("/topics")),
            Err(AppError::Conflict(_)) => {
                s.errors.add("", tr.t("form-error-topic-used"));
            }
            Err(e) => return Err(e.into()),
        }
        let mut v = Fields::default();
        labels_values(&mut v, &current);
        s.f = v;
        return topics_page(&app, page, Some((Some(code), s))).await;
    }
    let keep: Vec<String> = current
        .labels
        .aliases
        .iter()
        .map(ToString::to_string)
        .collect();
    let labels = labels_json(tr, &s.f, &mut s.errors, &keep);
    if s.errors.is_empty() {
        let topic = serde_json::json!({"code": code, "labels": labels});
        match hawkari_core::record::from_json_value::<Topic>(without_nulls(topic), "") {
            Ok(t) if t == current => return Ok(redirect("/topics")),
            Ok(t) => match app.put_topic(&page.principal, t, TopicWrite::Update).await {
                Ok(_) => return Ok(redirect("/topics")),
                Err(e) => {
                    save_problems(tr, e, &mut s.errors, &[], &[])?;
                }
            },
            Err(v) => json_problems(tr, v, &mut s.errors, &[], &[]),
        }
    }
    topics_page(&app, page, Some((Some(code), s))).await
}
