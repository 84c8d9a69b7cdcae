//! Saving: every confirmed draft checked first, then written through the create paths.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hawkari_app::{App, AppError};
use hawkari_core::commitment::{Commitment, CommitmentData};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::incident::{Incident, IncidentData};
use serde_json::{Value, json};

use crate::web::forms::{FieldErrors, Fields, FormState, parse_number, without_nulls};
use crate::web::i18n::Tr;
use crate::web::{PageCtx, WebError};

use super::*;

/// A confirmed draft read into the record it makes.
pub(super) enum Ready {
    Engagement(String, EngagementData),
    /// With the prefix of the report's engagement it belongs to.
    Commitment(String, String, CommitmentData),
    Incident(String, IncidentData),
    /// (prefix, programme, indicator key, value, date, planned)
    Observation(String, String, String, f64, String, bool),
}

/// The form field a record problem's path belongs to, in draft `p` of kind `kind`.
pub(super) fn field_of(p: &str, kind: &str, path: &str) -> String {
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

pub(super) fn record_problems(
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
pub(super) fn source_json(f: &Fields) -> Value {
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

pub(super) fn when_json(f: &Fields, p: &str, label_key: &str) -> Value {
    json!({"value": f.get(&format!("{p}_when")).unwrap_or(""), "label": f.get(&format!("{p}_{label_key}"))})
}

pub(super) fn check_when(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) {
    match f.get(key) {
        Some(v) if hawkari_core::time::EventTime::parse(v, None).is_ok() => {}
        _ => errors.add(key, tr.t("form-error-when")),
    }
}

pub(super) fn engagement_json(
    f: &Fields,
    p: &str,
    draft: &Value,
    owner: &str,
    source: &Value,
) -> Value {
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

pub(super) fn estimate(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) -> Option<Value> {
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

pub(super) fn incident_json(
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
pub(super) async fn ready_drafts(
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

pub(super) fn saved_label(tr: Tr, p: &str) -> String {
    let (prefix, n) = p.split_at(1.min(p.len()));
    group_heading(tr, prefix, n.parse().unwrap_or(0))
}
