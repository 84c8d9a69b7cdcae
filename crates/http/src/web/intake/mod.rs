//! Report intake in the browser: a report pasted or uploaded (.txt, .html) with its
//! publication details, read by the same use case as `POST /api/v1/intake`
//! (`App::intake`: matched only against what the reader may read), its drafts shown each
//! with the sentence it came from and its confidence, editable, to confirm or drop; the
//! confirmed ones saved through the ordinary create paths (`App::create`, and a
//! programme's `add_observation` / `set_indicator_target`), owned by the reader's
//! organisation, released as the form says, each citing the report as its source.
//!
//! All or nothing before the first write: every confirmed draft is read and checked by
//! the record's own rules and the policy (`App::check_create`) first, and while any has a
//! problem none is saved — each problem at its field, in the reader's language, with
//! everything typed kept. Only a failure of the writes themselves after those checks (a
//! record deleted meanwhile, the database gone) can stop a save part-way: the page then
//! says which drafts were saved (with links) and which not, and saving again saves only
//! those not saved.
//!
//! Each draft's own JSON (as intake gave it) travels in a hidden field, unchanged, so that
//! nothing the form does not show is dropped or changed between the steps: the
//! participants' person and organisation, the cited sentences with their offsets, the
//! confidence, the places mentioned. People and organisations the registry lacks are
//! listed as proposals, with links to the registry's forms; none is created here.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hawkari_app::intake::IntakeRequest;
use hawkari_app::{App, AppError};
use hawkari_core::intake::MAX_TEXT_BYTES;
use serde_json::{Value, json};

use super::forms::{Fields, FormState};
use super::i18n::Tr;
use super::{PageCtx, WebError, render};

mod drafts;
mod save;
use drafts::*;
use save::*;

/// The pages, with room for a report of `MAX_TEXT_BYTES` and the form around it.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/intake", get(intake_page).post(read_report))
        .route("/intake/save", post(save_drafts))
        .layer(DefaultBodyLimit::max(MAX_TEXT_BYTES + 1024 * 1024))
}

pub(super) fn refuse_unless_may_intake(page: &PageCtx) -> Result<(), WebError> {
    if page.may_intake {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

pub(super) const KINDS: [&str; 5] = [
    "key_leader_engagement",
    "delegation_visit",
    "call",
    "joint_committee_session",
    "public_statement",
];
pub(super) const ROLES: [&str; 5] = ["lead", "participant", "host", "note_taker", "interpreter"];
pub(super) const PARTIES: [&str; 4] = ["security_forces", "civilians", "attackers", "unknown"];
pub(super) const LANGUAGES: [&str; 3] = ["en", "ar", "ckb"];
pub(super) const PRECISIONS: [&str; 5] =
    ["exact", "near", "sub_district", "district", "governorate"];

/// The draft groups of the page: (prefix, the intake answer's list).
pub(super) const GROUPS: [(&str, &str); 4] = [
    ("e", "engagements"),
    ("c", "commitments"),
    ("i", "incidents"),
    ("o", "observations"),
];

// ---------------------------------------------------------------- the report's form

#[derive(Template)]
#[template(path = "intake.html")]
pub(super) struct IntakePage {
    page: PageCtx,
    s: FormState,
    languages: Vec<(String, String)>,
    max_mb: String,
}

pub(super) fn language_choices(tr: Tr) -> Vec<(String, String)> {
    LANGUAGES
        .iter()
        .map(|l| ((*l).to_owned(), tr.t(&format!("intake-language-{l}"))))
        .collect()
}

pub(super) fn report_page(page: PageCtx, mut s: FormState) -> Response {
    let tr = page.tr;
    s.summarise(|f| report_label(tr, f));
    render(&IntakePage {
        languages: language_choices(tr),
        max_mb: tr.num(MAX_TEXT_BYTES / (1024 * 1024)),
        s,
        page,
    })
}

pub(super) fn report_label(tr: Tr, field: &str) -> Option<String> {
    let key = match field {
        "text" => "intake-text",
        "file" => "intake-file",
        "published" => "intake-published",
        "publisher" => "form-source-publisher",
        "title" => "form-source-title",
        "url" => "form-source-url",
        "language" => "intake-language",
        _ => return None,
    };
    Some(tr.t(key))
}

pub async fn intake_page(page: PageCtx) -> Result<Response, WebError> {
    refuse_unless_may_intake(&page)?;
    Ok(report_page(page, FormState::default()))
}

/// The report as posted: the form's fields (multipart, for the file) and the text,
/// from the file when one was chosen (an .html file read as its text), else pasted.
pub(super) async fn report_fields(
    app: &App,
    page: &PageCtx,
    req: Request,
) -> Result<Fields, Response> {
    let too_large = |page: &PageCtx, f: Fields| {
        let mut s = FormState::new(f);
        s.errors.add(
            "text",
            page.tr.t1(
                "intake-too-large",
                "mb",
                &page.tr.num(MAX_TEXT_BYTES / (1024 * 1024)),
            ),
        );
        (StatusCode::PAYLOAD_TOO_LARGE, report_page(page.clone(), s)).into_response()
    };
    let mut parts = match Multipart::from_request(req, app).await {
        Ok(p) => p,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(too_large(page, Fields::default()));
        }
        Err(_) => return Err(WebError::BadRequest.into_response()),
    };
    let mut f = Fields::default();
    loop {
        let field = match parts.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                f.0.retain(|(k, _)| k != "text");
                return Err(too_large(page, f));
            }
            Err(_) => return Err(WebError::BadRequest.into_response()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_lowercase();
            page.check_csrf(f.get("csrf_token").unwrap_or(""))
                .map_err(IntoResponse::into_response)?;
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(page, f));
                }
                Err(_) => return Err(WebError::BadRequest.into_response()),
            };
            if bytes.is_empty() {
                continue;
            }
            let Ok(text) = String::from_utf8(bytes.to_vec()) else {
                let mut s = FormState::new(f);
                s.errors.add("file", page.tr.t("intake-file-not-text"));
                return Err((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    report_page(page.clone(), s),
                )
                    .into_response());
            };
            let text = if file_name.ends_with(".html") || file_name.ends_with(".htm") {
                hawkari_core::intake::html::to_text(&text)
            } else {
                text
            };
            f.push("file_text", text);
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| WebError::BadRequest.into_response())?;
            f.push(&name, text);
        }
    }
    page.check_csrf(f.get("csrf_token").unwrap_or(""))
        .map_err(IntoResponse::into_response)?;
    // A chosen file's text is the report's (and shows in the text box if the form comes
    // back).
    if let Some(text) = f.get("file_text").map(str::to_owned) {
        f.0.retain(|(k, _)| k != "file_text" && k != "text");
        f.push("text", text);
    }
    Ok(f)
}

/// The report read: its drafts to confirm, or the report's form with its problems.
pub async fn read_report(
    State(app): State<App>,
    page: PageCtx,
    req: Request,
) -> Result<Response, WebError> {
    refuse_unless_may_intake(&page)?;
    let tr = page.tr;
    let f = match report_fields(&app, &page, req).await {
        Ok(f) => f,
        Err(r) => return Ok(r),
    };
    let opt = |k: &str| f.get(k).map(str::to_owned);
    let request = IntakeRequest {
        // Browsers send a textarea's line ends as CR LF; offsets are into the text as read.
        text: f
            .0
            .iter()
            .rev()
            .find(|(k, _)| k == "text")
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default(),
        published: opt("published").unwrap_or_default(),
        publisher: opt("publisher"),
        title: opt("title"),
        url: opt("url"),
        language: opt("language"),
    };
    let mut s = FormState::new(f.clone());
    if request.text.trim().is_empty() {
        s.errors.add("text", tr.t("intake-text-needed"));
    }
    if request.text.len() > MAX_TEXT_BYTES {
        s.errors.add(
            "text",
            tr.t1(
                "intake-too-large",
                "mb",
                &tr.num(MAX_TEXT_BYTES / (1024 * 1024)),
            ),
        );
    }
    if hawkari_core::intake::Published::parse(&request.published).is_err() {
        s.errors.add("published", tr.t("form-error-when"));
    }
    check_url(tr, request.url.as_deref(), "url", &mut s.errors);
    if !s.errors.is_empty() {
        let status = if request.text.len() > MAX_TEXT_BYTES {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return Ok((status, report_page(page, s)).into_response());
    }
    let result = match app.intake(&page.principal, &request).await {
        Ok(r) => r,
        Err(AppError::Invalid(v)) => {
            s.errors.record(tr, v, |field| {
                report_label(tr, field).map(|_| field.to_owned())
            });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, report_page(page, s)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let answer = serde_json::to_value(&result).unwrap_or(Value::Null);
    let mut d = Fields::default();
    d.push("csrf_token", page.csrf.clone());
    for k in ["publisher", "title", "url"] {
        if let Some(v) = f.get(k) {
            d.push(k, v);
        }
    }
    d.push(
        "published",
        hawkari_core::time::ascii_digits(&request.published).into_owned(),
    );
    d.push("language", result.language.clone());
    d.push(
        "proposals",
        json!({"people": answer["proposed_people"], "organisations": answer["proposed_organisations"]})
            .to_string(),
    );
    for (prefix, list) in GROUPS {
        for (n, draft) in answer[list].as_array().into_iter().flatten().enumerate() {
            draft_values(&mut d, &format!("{prefix}{}", n + 1), prefix, draft);
        }
    }
    drafts_page(&app, page, FormState::new(d), vec![], StatusCode::OK).await
}
