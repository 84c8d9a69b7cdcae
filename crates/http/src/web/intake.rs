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
use hawkari_core::commitment::{Commitment, CommitmentData};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::incident::{Incident, IncidentData, IncidentType};
use hawkari_core::intake::MAX_TEXT_BYTES;
use serde_json::{Value, json};

use super::forms::{
    FieldErrors, Fields, FormState, group_options, org_choices, parse_number, visible_to,
    without_nulls,
};
use super::i18n::Tr;
use super::map::type_label;
use super::{PageCtx, WebError, render};

/// The pages, with room for a report of `MAX_TEXT_BYTES` and the form around it.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/intake", get(intake_page).post(read_report))
        .route("/intake/save", post(save_drafts))
        .layer(DefaultBodyLimit::max(MAX_TEXT_BYTES + 1024 * 1024))
}

/// Whether the reader may take in reports: create their organisation's engagements.
pub(super) fn may_intake(app: &App, principal: &hawkari_app::Principal) -> bool {
    let Some(user) = &principal.user else {
        return false;
    };
    principal.may_write()
        && app.authorizer().allows(
            principal,
            hawkari_app::Action::Create,
            hawkari_app::authz::Releasability {
                kind: hawkari_core::record::Kind::Engagement,
                owner: &user.organisation_id,
                releasable_to: &[],
                groups: &[],
            },
        )
}

fn refuse_unless_may_intake(page: &PageCtx) -> Result<(), WebError> {
    if page.may_intake {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

const KINDS: [&str; 5] = [
    "key_leader_engagement",
    "delegation_visit",
    "call",
    "joint_committee_session",
    "public_statement",
];
const ROLES: [&str; 5] = ["lead", "participant", "host", "note_taker", "interpreter"];
const PARTIES: [&str; 4] = ["security_forces", "civilians", "attackers", "unknown"];
const LANGUAGES: [&str; 3] = ["en", "ar", "ckb"];
const PRECISIONS: [&str; 5] = ["exact", "near", "sub_district", "district", "governorate"];

/// The draft groups of the page: (prefix, the intake answer's list).
const GROUPS: [(&str, &str); 4] = [
    ("e", "engagements"),
    ("c", "commitments"),
    ("i", "incidents"),
    ("o", "observations"),
];

// ---------------------------------------------------------------- the report's form

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    page: PageCtx,
    s: FormState,
    languages: Vec<(String, String)>,
    max_mb: String,
}

fn language_choices(tr: Tr) -> Vec<(String, String)> {
    LANGUAGES
        .iter()
        .map(|l| ((*l).to_owned(), tr.t(&format!("intake-language-{l}"))))
        .collect()
}

fn report_page(page: PageCtx, mut s: FormState) -> Response {
    let tr = page.tr;
    s.summarise(|f| report_label(tr, f));
    render(&IntakePage {
        languages: language_choices(tr),
        max_mb: tr.num(MAX_TEXT_BYTES / (1024 * 1024)),
        s,
        page,
    })
}

fn report_label(tr: Tr, field: &str) -> Option<String> {
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
async fn report_fields(app: &App, page: &PageCtx, req: Request) -> Result<Fields, Response> {
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

/// The form's first values of a draft: what intake proposed, and the draft itself.
fn draft_values(d: &mut Fields, p: &str, kind: &str, draft: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
    d.push(&format!("{p}_draft"), draft.to_string());
    let sentences = cites(draft).join(" ");
    match kind {
        "e" => {
            d.push(&format!("{p}_choice"), "confirm");
            d.push(&format!("{p}_title"), s(&draft["title"]));
            d.push(&format!("{p}_kind"), s(&draft["kind"]));
            d.push(&format!("{p}_when"), s(&draft["when"]["value"]));
            d.push(&format!("{p}_when_label"), s(&draft["when"]["label"]));
            if let Some(place) = draft["place"]["place_id"].as_str() {
                d.push(&format!("{p}_place"), place);
            }
            for (m, part) in draft["participants"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                d.push(&format!("{p}_p{}_keep", m + 1), "1");
                d.push(&format!("{p}_p{}_role", m + 1), s(&part["role"]));
            }
            for t in draft["topics"].as_array().into_iter().flatten() {
                d.push(&format!("{p}_topics"), s(t));
            }
            d.push(&format!("{p}_summary"), sentences);
        }
        "c" => {
            d.push(&format!("{p}_choice"), "confirm");
            d.push(&format!("{p}_text"), s(&draft["text"]));
            d.push(&format!("{p}_responsible"), s(&draft["responsible_org_id"]));
            if let Some(due) = draft["due"]["value"].as_str() {
                d.push(&format!("{p}_due"), last_day(due));
            }
            d.push(&format!("{p}_engagement"), "e1");
        }
        "i" => {
            let statement = draft["statement"].as_bool().unwrap_or(false);
            d.push(
                &format!("{p}_choice"),
                if statement { "drop" } else { "confirm" },
            );
            d.push(&format!("{p}_type"), s(&draft["type"]));
            d.push(&format!("{p}_when"), s(&draft["when"]["value"]));
            d.push(&format!("{p}_when_label"), s(&draft["when"]["label"]));
            let place = draft["places"].get(0);
            if let Some(place) = place {
                d.push(&format!("{p}_place_name"), s(&place["name"]));
                if let Some((lat, lon, precision)) = place_point(place) {
                    d.push(&format!("{p}_lat"), format!("{lat:.5}"));
                    d.push(&format!("{p}_lon"), format!("{lon:.5}"));
                    d.push(&format!("{p}_precision"), precision);
                }
            }
            d.push(&format!("{p}_party"), "unknown");
            for what in ["killed", "wounded"] {
                let e = &draft[what];
                // "at least 4": the form's best estimate starts at the bound given.
                let best = e["best"]
                    .as_u64()
                    .or(e["low"].as_u64())
                    .or(e["high"].as_u64());
                for (k, n) in [
                    ("low", e["low"].as_u64()),
                    ("best", best),
                    ("high", e["high"].as_u64()),
                ] {
                    if let Some(n) = n {
                        d.push(&format!("{p}_{what}_{k}"), n.to_string());
                    }
                }
            }
            d.push(&format!("{p}_narrative"), sentences);
        }
        _ => {
            // A figure needs the indicator it measures, which the reader chooses.
            d.push(&format!("{p}_choice"), "drop");
            let value = draft["value"].as_f64().unwrap_or(0.0);
            d.push(&format!("{p}_value"), format_number(value));
            d.push(&format!("{p}_date"), s(&draft["when"]["value"]));
            d.push(&format!("{p}_status"), s(&draft["status"]));
        }
    }
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// The last day of a date or range (`2026-09` → `2026-09-30`), a commitment's due day.
fn last_day(value: &str) -> String {
    hawkari_core::time::EventTime::parse(value, None)
        .map(|t| t.end().date_naive().to_string())
        .unwrap_or_else(|_| value.to_owned())
}

/// The sentences a draft cites.
fn cites(draft: &Value) -> Vec<String> {
    let one = draft["cite"]["sentence"].as_str().map(str::to_owned);
    let many = draft["cites"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["sentence"].as_str().map(str::to_owned));
    one.into_iter().chain(many).collect()
}

/// A draft place's point and how precise it is: a named place of the gazetteer by its
/// name ("near" it), else its unit's centre (somewhere in the unit).
fn place_point(place: &Value) -> Option<(f64, f64, &'static str)> {
    let g = hawkari_app::geography::gazetteer();
    if let Some(name) = place["name"].as_str()
        && let Some(p) = g.places().find(name).into_iter().next()
    {
        return Some((p.lat, p.lon, "near"));
    }
    let unit = g.unit(place["pcode"].as_str()?)?;
    let c = g.unit_ref(unit).centroid?;
    let precision = match unit.level {
        1 => "governorate",
        2 => "district",
        _ => "sub_district",
    };
    Some((c.lat, c.lon, precision))
}

fn check_url(tr: Tr, url: Option<&str>, field: &str, errors: &mut FieldErrors) {
    if let Some(u) = url
        && serde_json::from_value::<hawkari_core::values::Url>(json!(u)).is_err()
    {
        errors.add(field, tr.t("intake-error-url"));
    }
}

// ---------------------------------------------------------------- the drafts page

/// A participant of an engagement draft.
struct PartRow {
    m: usize,
    name: String,
}

/// One draft as the page shows it.
struct DraftRow {
    /// Its fields' prefix (`e2`).
    p: String,
    /// Its heading ("Engagement 2").
    heading: String,
    sentences: Vec<String>,
    confidence: String,
    /// Saved already (after a save stopped part-way): where the record is.
    saved: Option<(String, String)>,
    participants: Vec<PartRow>,
    /// Places to choose among (engagements): (id, name).
    places: Vec<(String, String)>,
    /// A statement about several events (incidents).
    statement: bool,
    unit: String,
}

#[derive(Template)]
#[template(path = "intake_drafts.html")]
struct DraftsPage {
    page: PageCtx,
    s: FormState,
    engagements: Vec<DraftRow>,
    commitments: Vec<DraftRow>,
    incidents: Vec<DraftRow>,
    observations: Vec<DraftRow>,
    proposed_people: Vec<(String, String)>,
    proposed_organisations: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    types: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    precisions: Vec<(String, String)>,
    topics: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    /// The report's engagements a commitment may belong to: (prefix, label).
    engagement_choices: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    visible: Vec<String>,
    /// Records saved (after a save stopped part-way, or when all were): (label, link).
    saved: Vec<(String, String)>,
    done: bool,
}

/// The prefixes of a group's drafts on the page (`e1`, `e2`, …), as many as were posted
/// (never more than the fields posted).
fn prefixes(f: &Fields, prefix: &str) -> Vec<String> {
    (1..=f.0.len())
        .map(|n| format!("{prefix}{n}"))
        .take_while(|p| f.get(&format!("{p}_draft")).is_some())
        .collect()
}

fn draft_of(f: &Fields, p: &str) -> Value {
    f.0.iter()
        .rev()
        .find(|(k, _)| *k == format!("{p}_draft"))
        .and_then(|(_, v)| serde_json::from_str(v).ok())
        .unwrap_or(Value::Null)
}

fn group_heading(tr: Tr, prefix: &str, n: usize) -> String {
    tr.t1(&format!("intake-{prefix}-n"), "n", &tr.num(n))
}

async fn indicator_choices(app: &App, page: &PageCtx) -> Result<Vec<(String, String)>, WebError> {
    let programmes = app
        .list_programmes(
            &page.principal,
            &hawkari_store::ProgrammeFilter::default(),
            &hawkari_store::PageRequest::first(500),
        )
        .await?;
    let tr = page.tr;
    Ok(programmes
        .items
        .iter()
        .flat_map(|p| {
            p.data.indicators.iter().map(move |i| {
                (
                    format!("{}|{}", p.id, i.key.as_str()),
                    format!("{} — {}", tr.name(&p.data.names), tr.name(&i.names)),
                )
            })
        })
        .collect())
}

async fn drafts_page(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    saved: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let f = s.f.clone();
    let rows = |prefix: &str| -> Vec<DraftRow> {
        prefixes(&f, prefix)
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let draft = draft_of(&f, &p);
                let confidence = draft["confidence"].as_f64().unwrap_or(0.0);
                let mut places: Vec<(String, String)> = Vec::new();
                for pl in draft["place"]
                    .as_object()
                    .map(|_| &draft["place"])
                    .into_iter()
                    .chain(draft["places_mentioned"].as_array().into_iter().flatten())
                {
                    if let Some(id) = pl["place_id"].as_str()
                        && !places.iter().any(|(x, _)| x == id)
                    {
                        places.push((id.to_owned(), pl["name"].as_str().unwrap_or(id).to_owned()));
                    }
                }
                DraftRow {
                    heading: group_heading(tr, prefix, i + 1),
                    sentences: cites(&draft),
                    confidence: tr.t1(
                        "intake-confidence",
                        "pct",
                        &tr.digits(&format!("{:.0}", confidence * 100.0)),
                    ),
                    saved: f
                        .get(&format!("{p}_saved"))
                        .map(|link| (link.to_owned(), tr.t("intake-saved-one"))),
                    participants: draft["participants"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(m, part)| PartRow {
                            m: m + 1,
                            name: part["name"].as_str().unwrap_or("").to_owned(),
                        })
                        .collect(),
                    places,
                    statement: draft["statement"].as_bool().unwrap_or(false),
                    unit: draft["unit"].as_str().unwrap_or("").to_owned(),
                    p,
                }
            })
            .collect()
    };
    let (engagements, commitments, incidents, observations) =
        (rows("e"), rows("c"), rows("i"), rows("o"));
    let proposals: Value =
        f.0.iter()
            .rev()
            .find(|(k, _)| k == "proposals")
            .and_then(|(_, v)| serde_json::from_str(v).ok())
            .unwrap_or(Value::Null);
    let proposed = |k: &str| -> Vec<(String, String)> {
        proposals[k]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let name = p["name"].as_str().unwrap_or("").to_owned();
                let with = p["with"]
                    .as_str()
                    .map(|w| format!("{w} "))
                    .unwrap_or_default();
                (
                    format!("{with}{name}"),
                    p["cite"]["sentence"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let orgs = org_choices(app, &page).await?;
    let owner = page.user.organisation_id.to_string();
    let visible = visible_to(
        tr,
        &owner,
        &f.all("release_to"),
        &f.all("release_group"),
        &orgs,
    );
    let engagement_choices = engagements
        .iter()
        .map(|e| {
            (
                e.p.clone(),
                format!(
                    "{}: {}",
                    e.heading,
                    f.get(&format!("{}_title", e.p)).unwrap_or("")
                ),
            )
        })
        .collect();
    let topics = app
        .list_topics()
        .await?
        .into_iter()
        .map(|t| {
            let label = tr.name(&t.labels).to_owned();
            let label = if label.is_empty() {
                t.code.to_string()
            } else {
                label
            };
            (t.code.to_string(), label)
        })
        .collect();
    let labels = |list: &[&str], key: &str| -> Vec<(String, String)> {
        list.iter()
            .map(|c| ((*c).to_owned(), tr.t(&format!("{key}-{c}"))))
            .collect()
    };
    s.summarise(|field| draft_label(tr, field));
    let done = !saved.is_empty()
        && [&engagements, &commitments, &incidents, &observations]
            .iter()
            .all(|g| {
                g.iter().all(|r| {
                    r.saved.is_some() || f.get(&format!("{}_choice", r.p)) != Some("confirm")
                })
            });
    let page_view = DraftsPage {
        proposed_people: proposed("people"),
        proposed_organisations: proposed("organisations"),
        kinds: labels(&KINDS, "kind"),
        roles: labels(&ROLES, "role"),
        types: IncidentType::ALL
            .iter()
            .map(|t| (t.as_str().to_owned(), type_label(&tr, *t)))
            .collect(),
        parties: labels(&PARTIES, "party"),
        precisions: labels(&PRECISIONS, "precision"),
        topics,
        indicators: indicator_choices(app, &page).await?,
        engagement_choices,
        languages: language_choices(tr),
        groups: group_options(tr),
        visible,
        orgs,
        engagements,
        commitments,
        incidents,
        observations,
        saved,
        done,
        s,
        page,
    };
    Ok((status, render(&page_view)).into_response())
}

impl DraftsPage {
    /// The raw hidden value of a draft (exactly as posted).
    fn draft(&self, p: &str) -> &str {
        let key = format!("{p}_draft");
        self.s
            .f
            .0
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| v.as_str())
    }
    fn proposals(&self) -> &str {
        self.s
            .f
            .0
            .iter()
            .rev()
            .find(|(k, _)| k == "proposals")
            .map_or("", |(_, v)| v.as_str())
    }
    fn part(&self, p: &str, m: &usize, field: &str) -> String {
        format!("{p}_p{m}_{field}")
    }
}

/// The label of a drafts page field, for the problems listed above the form.
fn draft_label(tr: Tr, field: &str) -> Option<String> {
    if let Some(l) = report_label(tr, field) {
        return Some(l);
    }
    let (p, rest) = field.split_once('_')?;
    let (prefix, n) = p.split_at(1);
    let n: usize = n.parse().ok()?;
    if !["e", "c", "i", "o"].contains(&prefix) {
        return None;
    }
    let key = match rest {
        "title" => "form-title",
        "kind" => "engagement-kind",
        "when" | "date" => "form-when",
        "place" => "engagement-place",
        "participants" => "intake-participants",
        "topics" => "engagement-topics",
        "text" => "form-commitment-text",
        "responsible" => "form-responsible",
        "due" => "form-due",
        "engagement" => "intake-engagement",
        "type" => "intake-type",
        "lat" | "lon" => "intake-point",
        "killed_best" => "intake-killed",
        "wounded_best" => "intake-wounded",
        "indicator" => "intake-indicator",
        "value" => "intake-value",
        _ => return Some(group_heading(tr, prefix, n)),
    };
    Some(format!("{} — {}", group_heading(tr, prefix, n), tr.t(key)))
}

// ---------------------------------------------------------------- saving

/// A confirmed draft read into the record it makes.
enum Ready {
    Engagement(String, EngagementData),
    /// With the prefix of the report's engagement it belongs to.
    Commitment(String, String, CommitmentData),
    Incident(String, IncidentData),
    /// (prefix, programme, indicator key, value, date, planned)
    Observation(String, String, String, f64, String, bool),
}

/// The form field a record problem's path belongs to, in draft `p` of kind `kind`.
fn field_of(p: &str, kind: &str, path: &str) -> String {
    let top = path
        .trim_start_matches('.')
        .split(['.', '['])
        .next()
        .unwrap_or("");
    let field = match (kind, top) {
        (_, "title") => "title",
        (_, "kind") => "kind",
        (_, "when") => "when",
        ("e", "place_id") => "place",
        ("e", "participants") => "participants",
        ("e", "topics") => "topics",
        ("c", "text") => "text",
        ("c", "responsible_org_id") => "responsible",
        ("c", "due") => "due",
        ("i", "type") => "type",
        ("i", "point") => "lat",
        ("i", "casualties") => "killed_best",
        ("i", "place_name") => "place_name",
        (_, "sources") => return "publisher".into(),
        (_, "releasable_to") => return "release_to".into(),
        (_, "release_groups") => return "release_group".into(),
        _ => "choice",
    };
    format!("{p}_{field}")
}

fn record_problems(
    tr: Tr,
    p: &str,
    kind: &str,
    e: hawkari_core::ValidationError,
    errors: &mut FieldErrors,
) {
    for fe in e.errors {
        let field = field_of(p, kind, &fe.field);
        // The form's own reading (in the reader's language) comes first.
        if errors.get(&field).is_none() {
            errors.add(field, tr.problem(&fe.message));
        }
    }
}

/// The report as the source every record cites.
fn source_json(f: &Fields) -> Value {
    let publisher = f.get("publisher");
    let published = f
        .get("published")
        .map(|p| hawkari_core::time::ascii_digits(p).into_owned());
    // A source's date is one date; a publication known only as a range says so instead.
    let (date, reference) = match &published {
        Some(p) if p.contains('/') => (None, Some(format!("published {p}"))),
        other => (other.clone(), None),
    };
    json!({
        "publisher": publisher.unwrap_or(""),
        "title": f.get("title").or(publisher).unwrap_or(""),
        "date": date,
        "reference": reference,
        "url": f.get("url"),
    })
}

fn when_json(f: &Fields, p: &str, label_key: &str) -> Value {
    json!({"value": f.get(&format!("{p}_when")).unwrap_or(""), "label": f.get(&format!("{p}_{label_key}"))})
}

fn check_when(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) {
    match f.get(key) {
        Some(v) if hawkari_core::time::EventTime::parse(v, None).is_ok() => {}
        _ => errors.add(key, tr.t("form-error-when")),
    }
}

fn engagement_json(f: &Fields, p: &str, draft: &Value, owner: &str, source: &Value) -> Value {
    let mut participants = Vec::new();
    for (m, part) in draft["participants"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let m = m + 1;
        if f.get(&format!("{p}_p{m}_keep")).is_none() {
            continue;
        }
        participants.push(json!({
            "person_id": part["person_id"],
            "organisation_id": part["organisation_id"],
            "role": f.get(&format!("{p}_p{m}_role")).unwrap_or("participant"),
        }));
    }
    json!({
        "kind": f.get(&format!("{p}_kind")).unwrap_or("key_leader_engagement"),
        "title": f.get(&format!("{p}_title")).unwrap_or(""),
        "when": when_json(f, p, "when_label"),
        "place_id": f.get(&format!("{p}_place")),
        "participants": participants,
        "topics": f.all(&format!("{p}_topics")),
        "summary": f.get(&format!("{p}_summary")).map(|t| t.replace("\r\n", "\n")),
        "sources": [source],
        "owner_org_id": owner,
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

fn estimate(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) -> Option<Value> {
    let mut read = |k: &str| -> Option<u64> {
        let field = format!("{key}_{k}");
        let v = f.get(&field)?;
        match parse_number(v) {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => Some(n as u64),
            _ => {
                errors.add(field, tr.t("intake-error-count"));
                None
            }
        }
    };
    let (low, best, high) = (read("low"), read("best"), read("high"));
    match (low, best, high) {
        (None, None, None) => None,
        (_, None, _) => {
            errors.add(format!("{key}_best"), tr.t("form-best-needed"));
            None
        }
        (low, Some(best), high) => {
            let (low, high) = (low.unwrap_or(best), high.unwrap_or(best));
            if !(low <= best && best <= high) {
                errors.add(format!("{key}_best"), tr.t("form-estimate-order"));
            }
            Some(json!({"low": low, "best": best, "high": high}))
        }
    }
}

fn incident_json(
    tr: Tr,
    f: &Fields,
    p: &str,
    owner: &str,
    source: &Value,
    errors: &mut FieldErrors,
) -> Value {
    let lat = f.get(&format!("{p}_lat")).map(|v| (v, parse_number(v)));
    let lon = f.get(&format!("{p}_lon")).map(|v| (v, parse_number(v)));
    let point = match (lat, lon) {
        (Some((_, Some(lat))), Some((_, Some(lon)))) => {
            let pt = hawkari_core::values::Point { lat, lon };
            let in_range = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            if !in_range || hawkari_app::geography::outside_iraq(&pt).is_some() {
                errors.add(format!("{p}_lat"), tr.t("form-outside-iraq"));
            }
            json!({"lat": lat, "lon": lon})
        }
        _ => {
            errors.add(format!("{p}_lat"), tr.t("form-point-needed"));
            Value::Null
        }
    };
    let killed = estimate(tr, f, &format!("{p}_killed"), errors);
    let wounded = estimate(tr, f, &format!("{p}_wounded"), errors);
    let casualties = if killed.is_some() || wounded.is_some() {
        json!([{"party": f.get(&format!("{p}_party")).unwrap_or("unknown"), "killed": killed, "injured": wounded}])
    } else {
        json!([])
    };
    let mut graded = source.clone();
    graded["reliability"] = json!("F");
    graded["credibility"] = json!(6);
    json!({
        "when": when_json(f, p, "when_label"),
        "point": point,
        "location_precision": f.get(&format!("{p}_precision")).unwrap_or("exact"),
        "place_name": f.get(&format!("{p}_place_name")),
        "type": f.get(&format!("{p}_type")).unwrap_or("other"),
        "actors": [],
        "casualties": casualties,
        "sources": [graded],
        "narrative": f.get(&format!("{p}_narrative")).map(|t| t.replace("\r\n", "\n")),
        "owner_org_id": owner,
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    })
}

/// Reads and checks every confirmed draft (nothing is written); problems at their fields.
async fn ready_drafts(
    app: &App,
    page: &PageCtx,
    f: &Fields,
    errors: &mut FieldErrors,
) -> Result<Vec<Ready>, WebError> {
    let tr = page.tr;
    let owner = page.user.organisation_id.to_string();
    if f.get("publisher").is_none() {
        errors.add("publisher", tr.t("intake-publisher-needed"));
    }
    if f.get("published")
        .is_none_or(|p| hawkari_core::intake::Published::parse(p).is_err())
    {
        errors.add("published", tr.t("form-error-when"));
    }
    check_url(tr, f.get("url"), "url", errors);
    let source = without_nulls(source_json(f));
    let confirmed = |p: &str| {
        f.get(&format!("{p}_choice")) == Some("confirm") && f.get(&format!("{p}_saved")).is_none()
    };
    let mut ready = Vec::new();
    let check = |p: &str,
                 kind: &str,
                 r: Result<(), AppError>,
                 errors: &mut FieldErrors|
     -> Result<(), WebError> {
        match r {
            Ok(()) => Ok(()),
            Err(AppError::Invalid(v)) => {
                record_problems(tr, p, kind, v, errors);
                Ok(())
            }
            Err(AppError::Forbidden(m)) => {
                errors.add(format!("{p}_choice"), tr.problem(&m));
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    };
    let engagements = prefixes(f, "e");
    for p in &engagements {
        if !confirmed(p) {
            continue;
        }
        check_when(tr, f, &format!("{p}_when"), errors);
        let body = engagement_json(f, p, &draft_of(f, p), &owner, &source);
        match hawkari_core::record::from_json_value::<EngagementData>(without_nulls(body), "") {
            Ok(d) => {
                check(p, "e", app.check_create(&page.principal, &d), errors)?;
                ready.push(Ready::Engagement(p.clone(), d));
            }
            Err(e) => record_problems(tr, p, "e", e, errors),
        }
    }
    for p in prefixes(f, "c") {
        if !confirmed(&p) {
            continue;
        }
        let due = f.get(&format!("{p}_due"));
        if let Some(due) = due
            && hawkari_core::time::parse_day(due).is_err()
        {
            errors.add(format!("{p}_due"), tr.t("intake-error-day"));
        }
        let engagement = f.get(&format!("{p}_engagement")).unwrap_or("");
        let belongs = engagements
            .iter()
            .any(|e| e == engagement && (confirmed(e) || f.get(&format!("{e}_saved")).is_some()));
        if !belongs {
            errors.add(format!("{p}_engagement"), tr.t("intake-error-engagement"));
        }
        let body = json!({
            "engagement_id": "pending",
            "text": f.get(&format!("{p}_text")).map(|t| t.replace("\r\n", "\n")).unwrap_or_default(),
            "responsible_org_id": f.get(&format!("{p}_responsible")).unwrap_or(""),
            "due": due.map(|d| hawkari_core::time::ascii_digits(d).into_owned()),
            "sources": [source],
            "owner_org_id": owner,
            "releasable_to": f.all("release_to"),
            "release_groups": f.all("release_group"),
        });
        match hawkari_core::record::from_json_value::<CommitmentData>(without_nulls(body), "") {
            Ok(d) => {
                check(&p, "c", app.check_create(&page.principal, &d), errors)?;
                ready.push(Ready::Commitment(p.clone(), engagement.to_owned(), d));
            }
            Err(e) => {
                if !errors.has(&format!("{p}_due")) {
                    record_problems(tr, &p, "c", e, errors);
                }
            }
        }
    }
    for p in prefixes(f, "i") {
        if !confirmed(&p) {
            continue;
        }
        check_when(tr, f, &format!("{p}_when"), errors);
        let body = incident_json(tr, f, &p, &owner, &source, errors);
        match hawkari_core::record::from_json_value::<IncidentData>(without_nulls(body), "") {
            Ok(d) => {
                check(&p, "i", app.check_create(&page.principal, &d), errors)?;
                ready.push(Ready::Incident(p.clone(), d));
            }
            Err(e) => record_problems(tr, &p, "i", e, errors),
        }
    }
    for p in prefixes(f, "o") {
        if !confirmed(&p) {
            continue;
        }
        let value = f.get(&format!("{p}_value")).and_then(parse_number);
        if value.is_none() {
            errors.add(format!("{p}_value"), tr.t("intake-error-number"));
        }
        let date = f
            .get(&format!("{p}_date"))
            .map(|d| hawkari_core::time::ascii_digits(d).into_owned())
            .unwrap_or_default();
        let planned = f.get(&format!("{p}_status")) == Some("planned");
        // A target is one date; an observation's may be a range.
        let date_ok = if planned {
            hawkari_core::time::PartialDate::parse(&date).is_ok()
        } else {
            hawkari_core::time::EventTime::parse(&date, None).is_ok()
        };
        if !date_ok {
            errors.add(
                format!("{p}_date"),
                tr.t(if planned {
                    "form-error-date"
                } else {
                    "form-error-when"
                }),
            );
        }
        let chosen = f
            .get(&format!("{p}_indicator"))
            .and_then(|c| c.split_once('|'));
        let Some((programme, key)) = chosen else {
            errors.add(format!("{p}_indicator"), tr.t("intake-error-indicator"));
            continue;
        };
        let found: Result<hawkari_core::programme::Programme, _> =
            app.get(&page.principal, programme).await;
        let may = found.as_ref().is_ok_and(|prog| {
            prog.data.indicators.iter().any(|i| i.key.as_str() == key)
                && page.principal.may_write()
                && app.authorizer().allows(
                    &page.principal,
                    hawkari_app::Action::Update,
                    hawkari_app::authz::Releasability::of(&prog.data),
                )
        });
        if !may {
            errors.add(format!("{p}_indicator"), tr.t("intake-error-indicator"));
            continue;
        }
        if let Some(value) = value {
            ready.push(Ready::Observation(
                p.clone(),
                programme.to_owned(),
                key.to_owned(),
                value,
                date,
                planned,
            ));
        }
    }
    Ok(ready)
}

/// Saves the confirmed drafts: all checked first, then written in order (engagements
/// first, for the commitments made in them).
pub async fn save_drafts(
    State(app): State<App>,
    page: PageCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    refuse_unless_may_intake(&page)?;
    let mut f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let tr = page.tr;
    let mut errors = FieldErrors::default();
    let ready = ready_drafts(&app, &page, &f, &mut errors).await?;
    if !errors.is_empty() {
        let mut s = FormState::new(f);
        s.errors = errors;
        return drafts_page(&app, page, s, vec![], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if ready.is_empty() {
        errors.add("", tr.t("intake-nothing-confirmed"));
        let mut s = FormState::new(f);
        s.errors = errors;
        return drafts_page(&app, page, s, vec![], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let source: hawkari_core::values::Source =
        hawkari_core::record::from_json_value(without_nulls(source_json(&f)), "sources[0]")
            .map_err(|e| WebError::App(e.into()))?;
    let mut saved: Vec<(String, String)> = GROUPS
        .iter()
        .flat_map(|(g, _)| prefixes(&f, g))
        .filter_map(|p| {
            f.get(&format!("{p}_saved"))
                .map(|l| (saved_label(tr, &p), l.to_owned()))
        })
        .collect();
    let mut failed = None;
    for r in ready {
        let (p, result) = match r {
            Ready::Engagement(p, d) => {
                let r = app.create::<Engagement>(&page.principal, None, d).await;
                (p, r.map(|e| format!("/engagements/{}", e.id)))
            }
            Ready::Commitment(p, e, mut d) => {
                let Some(eid) = f
                    .get(&format!("{e}_saved"))
                    .and_then(|l| l.strip_prefix("/engagements/"))
                    .map(str::to_owned)
                else {
                    // Its engagement was not saved: this one waits for it.
                    failed.get_or_insert((p.clone(), tr.t("intake-error-engagement")));
                    continue;
                };
                d.engagement_id = eid.parse().map_err(|e: String| {
                    WebError::App(hawkari_core::ValidationError::single("engagement_id", e).into())
                })?;
                let r = app.create::<Commitment>(&page.principal, None, d).await;
                (p, r.map(|c| format!("/commitments/{}", c.id)))
            }
            Ready::Incident(p, d) => {
                let r = app.create::<Incident>(&page.principal, None, d).await;
                (p, r.map(|i| format!("/incidents/{}", i.id)))
            }
            Ready::Observation(p, programme, key, value, date, planned) => {
                let r = if planned {
                    let target = hawkari_core::programme::Target {
                        value,
                        date: hawkari_core::time::PartialDate::parse(&date).map_err(|e| {
                            WebError::App(hawkari_core::ValidationError::single("date", e).into())
                        })?,
                        source: Some(source.clone()),
                    };
                    app.set_indicator_target(&page.principal, &programme, &key, target)
                        .await
                } else {
                    let obs = hawkari_core::programme::Observation {
                        value,
                        date: hawkari_core::time::EventTime::parse(&date, None).map_err(|e| {
                            WebError::App(hawkari_core::ValidationError::single("date", e).into())
                        })?,
                        source: source.clone(),
                        confidence: Default::default(),
                    };
                    app.add_observation(&page.principal, &programme, &key, obs)
                        .await
                };
                (p, r.map(|_| format!("/programmes/{programme}")))
            }
        };
        match result {
            Ok(link) => {
                f.set(&format!("{p}_saved"), link.clone());
                saved.push((saved_label(tr, &p), link));
            }
            Err(e) => {
                tracing::warn!(draft = %p, error = %e, "intake draft not saved");
                let message = match e {
                    AppError::Invalid(v) => v
                        .errors
                        .iter()
                        .map(|x| tr.problem(&x.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                    AppError::Forbidden(m) => tr.problem(&m),
                    _ => tr.t("intake-error-save"),
                };
                failed.get_or_insert((p, message));
            }
        }
    }
    let status = if let Some((p, message)) = failed {
        errors.add(format!("{p}_choice"), message);
        errors.add("", tr.t("intake-saved-part"));
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut s = FormState::new(f);
    s.errors = errors;
    drafts_page(&app, page, s, saved, status).await
}

fn saved_label(tr: Tr, p: &str) -> String {
    let (prefix, n) = p.split_at(1.min(p.len()));
    group_heading(tr, prefix, n.parse().unwrap_or(0))
}
