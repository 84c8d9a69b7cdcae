//! A programme's forms: the whole programme (`/programmes/new`, `/programmes/{id}/edit`,
//! `/programmes/{id}/delete`) — kind, names, description, period, lead, any number of
//! milestones, indicators with their targets and observations, conditions and (for a
//! transition) the capabilities handed over, sources and release — and the two short
//! forms of the programme's page for the field: a value observed (or planned) for an
//! indicator, and a milestone's new status.
//!
//! The edit form follows `forms.rs`: it starts from the stored programme, replaces only
//! what it shows (a milestone keeps its status history, evidence and sources; a capability
//! its sources; each row is matched to what it was by a hidden `…_was` key, so a renamed
//! key is followed by the conditions that name it), writes nothing when unchanged, asks
//! before a change of release, and shows a version someone saved meanwhile beside yours.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::{Action, App};
use hawkari_core::programme::{MilestoneStatus, Observation, Programme, ProgrammeData, Target};
use hawkari_core::record::Kind;
use serde_json::{Value, json};

use super::forms::*;
use super::i18n::Tr;
use super::rows::{enum_code, page_of};
use super::{PageCtx, WebError, redirect, render};

pub(super) const KINDS: [&str; 3] = ["reform", "transition", "other"];
pub(super) const MILESTONE_STATUSES: [&str; 5] =
    ["planned", "in_progress", "done", "missed", "dropped"];
const CONFIDENCES: [&str; 3] = ["moderate", "high", "low"];
const FUNCTIONS: [&str; 6] = [
    "advising",
    "air_support",
    "intelligence_sharing",
    "training",
    "base_presence",
    "other",
];
const TRANSITION_STATUSES: [&str; 5] =
    ["planned", "in_progress", "handed_over", "ended", "at_risk"];

/// The rows a repeated group shows: up to the last row holding any of `content` (a
/// select's default does not count), one empty row more, and another when asked for.
pub(super) fn rows_with(f: &Fields, prefix: &str, content: &[&str]) -> Vec<usize> {
    let last = rows_of(f, prefix);
    let filled = (1..=last)
        .rev()
        .find(|n| {
            content
                .iter()
                .any(|c| f.get(&format!("{prefix}{n}_{c}")).is_some())
        })
        .unwrap_or(0);
    let mut n = filled + 1;
    if f.get("add_row") == Some(prefix) {
        n += 1;
    }
    (1..=n).collect()
}

/// A key for a row left without one: its words (Latin letters and digits) joined by
/// hyphens, else the group's word and the row's number.
pub(super) fn make_key(words: Option<&str>, group: &str, n: usize) -> String {
    let slug: String = words
        .unwrap_or("")
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("{group}-{n}")
    } else {
        slug
    }
}

/// A partial date from field `key`, with the problem at it.
pub(super) fn partial_at(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) -> Value {
    match f.get(key).map(|d| parse_partial(tr, d)) {
        Some(Ok(d)) => json!(d),
        Some(Err(m)) => {
            errors.add(key, m);
            Value::Null
        }
        None => Value::Null,
    }
}

/// A number from field `key` (any digits), with the problem at it.
fn number_at(tr: Tr, f: &Fields, key: &str, errors: &mut FieldErrors) -> Option<f64> {
    let v = f.get(key)?;
    let n = parse_number(v);
    if n.is_none() {
        errors.add(key, tr.t("form-error-number"));
    }
    n
}

/// A source from the fields `{p}_publisher`, `{p}_title`, `{p}_date`, `{p}_reference`,
/// `{p}_url`; none when all are empty. A title left empty is the publisher's.
fn source_at(tr: Tr, f: &Fields, p: &str, errors: &mut FieldErrors) -> Value {
    let get = |x: &str| f.get(&format!("{p}_{x}"));
    let (publisher, title, reference, url) =
        (get("publisher"), get("title"), get("reference"), get("url"));
    if [publisher, title, get("date"), reference, url]
        .iter()
        .all(Option::is_none)
    {
        return Value::Null;
    }
    if publisher.is_none() {
        errors.add(format!("{p}_publisher"), tr.t("form-error-required"));
    }
    if let Some(u) = url
        && hawkari_core::values::Url::try_from(u.to_owned()).is_err()
    {
        errors.add(format!("{p}_url"), tr.t("form-error-url"));
    }
    json!({
        "publisher": publisher,
        "title": title.or(publisher),
        "date": partial_at(tr, f, &format!("{p}_date"), errors),
        "reference": reference,
        "url": url,
    })
}

fn source_values(v: &mut Fields, p: &str, s: &hawkari_core::values::Source) {
    v.set(&format!("{p}_publisher"), s.publisher.to_string());
    v.set(&format!("{p}_title"), s.title.to_string());
    if let Some(d) = &s.date {
        v.set(&format!("{p}_date"), d.to_string());
    }
    if let Some(r) = &s.reference {
        v.set(&format!("{p}_reference"), r.to_string());
    }
    if let Some(u) = &s.url {
        v.set(&format!("{p}_url"), u.as_str());
    }
}

fn lines(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn opt<T: ToString>(o: &Option<T>) -> String {
    o.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The edit form's fields for a stored programme.
fn form_values(p: &Programme) -> Fields {
    let d = &p.data;
    let mut v = Fields::default();
    v.set("kind", enum_code(&d.kind));
    names_values(&mut v, &d.names);
    v.set("summary", opt(&d.summary));
    v.set(
        "objectives",
        d.objectives
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    v.set("start", opt(&d.start));
    v.set("end", opt(&d.end));
    v.set("lead", opt(&d.lead_org_id));
    for (i, m) in d.milestones.iter().enumerate() {
        let p = format!("ms{}", i + 1);
        v.set(&format!("{p}_was"), m.key.to_string());
        v.set(&format!("{p}_key"), m.key.to_string());
        v.set(&format!("{p}_title"), m.title.to_string());
        v.set(&format!("{p}_due"), m.due.to_string());
        v.set(&format!("{p}_owner"), opt(&m.owner_org_id));
        v.set(&format!("{p}_status"), enum_code(&m.status()));
    }
    for (i, ind) in d.indicators.iter().enumerate() {
        let p = format!("ind{}", i + 1);
        v.set(&format!("{p}_was"), ind.key.to_string());
        v.set(&format!("{p}_key"), ind.key.to_string());
        v.set(&format!("{p}_name_en"), opt(&ind.names.en));
        v.set(&format!("{p}_name_ar"), opt(&ind.names.ar));
        v.set(&format!("{p}_name_ckb"), opt(&ind.names.ckb));
        v.set(&format!("{p}_unit"), opt(&ind.unit));
        v.set(&format!("{p}_target_value"), ind.target.value.to_string());
        v.set(&format!("{p}_target_date"), ind.target.date.to_string());
        if let Some(s) = &ind.target.source {
            source_values(&mut v, &format!("{p}t"), s);
        }
        for (j, o) in ind.observations.iter().enumerate() {
            let q = format!("{p}o{}", j + 1);
            v.set(&format!("{q}_value"), o.value.to_string());
            v.set(&format!("{q}_date"), o.date.value());
            v.set(&format!("{q}_label"), o.date.label().unwrap_or_default());
            v.set(&format!("{q}_confidence"), enum_code(&o.confidence));
            source_values(&mut v, &format!("{q}s"), &o.source);
        }
    }
    for (i, c) in d.conditions.iter().enumerate() {
        let p = format!("cond{}", i + 1);
        v.set(&format!("{p}_key"), c.key.to_string());
        v.set(&format!("{p}_text"), c.text.to_string());
        v.set(&format!("{p}_commitment"), opt(&c.commitment_id));
        for m in &c.milestones {
            v.push(&format!("{p}_milestones"), m.to_string());
        }
    }
    for (i, c) in d.capabilities.iter().enumerate() {
        let p = format!("cap{}", i + 1);
        v.set(&format!("{p}_was"), c.key.to_string());
        v.set(&format!("{p}_key"), c.key.to_string());
        v.set(&format!("{p}_function"), enum_code(&c.function));
        v.set(&format!("{p}_name_en"), opt(&c.names.en));
        v.set(&format!("{p}_name_ar"), opt(&c.names.ar));
        v.set(&format!("{p}_name_ckb"), opt(&c.names.ckb));
        v.set(&format!("{p}_place"), opt(&c.place_id));
        v.set(&format!("{p}_provider"), c.current_provider.to_string());
        v.set(&format!("{p}_receiver"), opt(&c.receiving_org_id));
        v.set(&format!("{p}_target"), c.target.to_string());
        v.set(&format!("{p}_status"), enum_code(&c.status));
        v.set(
            &format!("{p}_risks"),
            c.risks
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    sources_values(&mut v, &d.sources);
    release_values(&mut v, d, p.meta.version);
    v
}

/// Which form row each entry of the programme's lists came from, so that the record's
/// problems (`indicators[0].observations[1].value`) are shown at the row's fields.
#[derive(Debug, Default)]
struct Used {
    ms: Vec<usize>,
    ind: Vec<(usize, Vec<usize>)>,
    cond: Vec<usize>,
    cap: Vec<usize>,
    src: Vec<usize>,
}

/// `list[3].rest` → (3, "rest").
fn index_of<'a>(path: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (n, rest) = rest.split_once(']')?;
    Some((n.parse().ok()?, rest.trim_start_matches('.')))
}

/// The first word of a path's rest (`names.en` → `names`), or `key` for the row itself.
fn head(rest: &str) -> &str {
    let h = rest.split(['.', '[']).next().unwrap_or("");
    if h.is_empty() { "key" } else { h }
}

impl Used {
    fn field(&self, path: &str) -> String {
        if let Some((i, rest)) = index_of(path, "milestones")
            && let Some(n) = self.ms.get(i)
        {
            let f = match head(rest) {
                "owner_org_id" => "owner",
                "history" => "status",
                "title" | "due" => head(rest),
                _ => "key",
            };
            return format!("ms{n}_{f}");
        }
        if let Some((i, rest)) = index_of(path, "indicators")
            && let Some((n, obs)) = self.ind.get(i)
        {
            if let Some((j, orest)) = index_of(rest, "observations")
                && let Some(m) = obs.get(j)
            {
                let f = match head(orest) {
                    "source" => return format!("ind{n}o{m}s_publisher"),
                    "date" => "date",
                    "confidence" => "confidence",
                    _ => "value",
                };
                return format!("ind{n}o{m}_{f}");
            }
            let f = match head(rest) {
                "names" => match rest.strip_prefix("names.") {
                    Some(s) if ["en", "ar", "ckb"].contains(&s) => {
                        return format!("ind{n}_name_{s}");
                    }
                    _ => "name_en",
                },
                "target" if rest.contains("date") => "target_date",
                "target" if rest.contains("source") => return format!("ind{n}t_publisher"),
                "target" => "target_value",
                "unit" => "unit",
                _ => "key",
            };
            return format!("ind{n}_{f}");
        }
        if let Some((i, rest)) = index_of(path, "conditions")
            && let Some(n) = self.cond.get(i)
        {
            let f = match head(rest) {
                "text" => "text",
                "commitment_id" => "commitment",
                "milestones" => "milestones",
                _ => "key",
            };
            return format!("cond{n}_{f}");
        }
        if let Some((i, rest)) = index_of(path, "capabilities")
            && let Some(n) = self.cap.get(i)
        {
            let f = match head(rest) {
                "names" => "name_en",
                "function" => "function",
                "place_id" => "place",
                "current_provider" => "provider",
                "receiving_org_id" => "receiver",
                "target" => "target",
                "status" => "status",
                "risks" => "risks",
                _ => "key",
            };
            return format!("cap{n}_{f}");
        }
        if let Some((i, rest)) = index_of(path, "sources")
            && let Some(n) = self.src.get(i)
        {
            return format!("src{n}_{}", head(rest).replace("key", "publisher"));
        }
        form_field(
            path,
            &[],
            &[
                ("kind", "kind"),
                ("summary", "summary"),
                ("objectives", "objectives"),
                ("start", "start"),
                ("end", "end"),
                ("lead_org_id", "lead"),
            ],
        )
    }
}

/// The programme's JSON from the form, over `stored` (what each row was: a milestone's
/// history, a capability's sources), with the form's own problems in `errors`.
fn programme_json(
    tr: Tr,
    f: &Fields,
    stored: Option<&ProgrammeData>,
    now: chrono::DateTime<chrono::Utc>,
    actor: &str,
    errors: &mut FieldErrors,
) -> (Value, Used) {
    let mut used = Used::default();
    let names = names_json(tr, f, errors);
    let was_json = |list: &str, key: Option<&str>| -> Value {
        let (Some(stored), Some(key)) = (stored, key) else {
            return json!({});
        };
        json!(stored)[list]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["key"] == key).cloned())
            .unwrap_or_else(|| json!({}))
    };
    // Milestones, and the keys renamed (what conditions named → what they name now).
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut milestones = Vec::new();
    for n in 1..=rows_of(f, "ms") {
        let get = |x: &str| f.get(&format!("ms{n}_{x}"));
        if [get("key"), get("title"), get("due"), get("owner")]
            .iter()
            .all(Option::is_none)
        {
            continue;
        }
        used.ms.push(n);
        let key = get("key")
            .map(str::to_owned)
            .unwrap_or_else(|| make_key(get("title"), "milestone", n));
        let mut m = was_json("milestones", get("was"));
        if let Some(was) = get("was")
            && was != key
        {
            renamed.push((was.to_owned(), key.clone()));
        }
        if get("title").is_none() {
            errors.add(format!("ms{n}_title"), tr.t("form-error-required"));
        }
        if get("due").is_none() {
            errors.add(format!("ms{n}_due"), tr.t("form-error-required"));
        }
        m["key"] = json!(key);
        m["title"] = json!(get("title"));
        m["due"] = partial_at(tr, f, &format!("ms{n}_due"), errors);
        m["owner_org_id"] = json!(get("owner"));
        // A status other than the current one is a change, recorded as this user's, now.
        let current = m["history"]
            .as_array()
            .and_then(|h| h.last())
            .and_then(|c| c["status"].as_str())
            .unwrap_or("planned")
            .to_owned();
        let status = get("status").unwrap_or("planned");
        if status != current {
            if !MILESTONE_STATUSES.contains(&status) {
                errors.add(format!("ms{n}_status"), tr.t("form-error-required"));
            } else {
                let mut history = m["history"].as_array().cloned().unwrap_or_default();
                history.push(json!({"status": status, "at": now, "by": actor}));
                m["history"] = json!(history);
            }
        }
        milestones.push(m);
    }
    let mut indicators = Vec::new();
    for n in 1..=rows_of(f, "ind") {
        let p = format!("ind{n}");
        let get = |x: &str| f.get(&format!("{p}_{x}"));
        let obs_rows = rows_of(f, &format!("{p}o"));
        let has_obs = (1..=obs_rows).any(|m| f.get(&format!("{p}o{m}_value")).is_some());
        if [
            get("key"),
            get("name_en"),
            get("name_ar"),
            get("name_ckb"),
            get("unit"),
            get("target_value"),
            get("target_date"),
        ]
        .iter()
        .all(Option::is_none)
            && !has_obs
        {
            continue;
        }
        let mut ind = was_json("indicators", get("was"));
        let aliases = ind["names"]["aliases"].clone();
        let (en, ar, ckb) = (get("name_en"), get("name_ar"), get("name_ckb"));
        if en.is_none() && ar.is_none() && ckb.is_none() {
            errors.add(format!("{p}_name_en"), tr.t("form-error-name-needed"));
        }
        ind["key"] = json!(get("key").map(str::to_owned).unwrap_or_else(|| make_key(
            en,
            "indicator",
            n
        )));
        ind["names"] = json!({"en": en, "ar": ar, "ckb": ckb, "aliases": aliases});
        ind["unit"] = json!(get("unit"));
        let value = number_at(tr, f, &format!("{p}_target_value"), errors);
        if get("target_value").is_none() {
            errors.add(format!("{p}_target_value"), tr.t("form-error-required"));
        }
        if get("target_date").is_none() {
            errors.add(format!("{p}_target_date"), tr.t("form-error-required"));
        }
        ind["target"] = json!({
            "value": value,
            "date": partial_at(tr, f, &format!("{p}_target_date"), errors),
            "source": source_at(tr, f, &format!("{p}t"), errors),
        });
        let mut observations = Vec::new();
        let mut rows = Vec::new();
        for m in 1..=obs_rows {
            let q = format!("{p}o{m}");
            let oget = |x: &str| f.get(&format!("{q}_{x}"));
            let sget = |x: &str| f.get(&format!("{q}s_{x}"));
            if [
                oget("value"),
                oget("date"),
                oget("label"),
                sget("publisher"),
                sget("title"),
            ]
            .iter()
            .all(Option::is_none)
            {
                continue;
            }
            rows.push(m);
            let value = number_at(tr, f, &format!("{q}_value"), errors);
            if oget("value").is_none() {
                errors.add(format!("{q}_value"), tr.t("form-error-required"));
            }
            let date = match oget("date") {
                None => {
                    errors.add(format!("{q}_date"), tr.t("form-error-required"));
                    Value::Null
                }
                Some(d) => match hawkari_core::time::EventTime::parse(d, None) {
                    Ok(t) => json!(t.value()),
                    Err(_) => {
                        errors.add(format!("{q}_date"), tr.t("form-error-when"));
                        Value::Null
                    }
                },
            };
            let source = source_at(tr, f, &format!("{q}s"), errors);
            if source.is_null() {
                errors.add(format!("{q}s_publisher"), tr.t("form-error-required"));
            }
            observations.push(json!({
                "value": value,
                "date": {"value": date, "label": oget("label")},
                "source": source,
                "confidence": oget("confidence").unwrap_or("moderate"),
            }));
        }
        ind["observations"] = json!(observations);
        used.ind.push((n, rows));
        indicators.push(ind);
    }
    let mut conditions = Vec::new();
    for n in 1..=rows_of(f, "cond") {
        let p = format!("cond{n}");
        let get = |x: &str| f.get(&format!("{p}_{x}"));
        let named = f.all(&format!("{p}_milestones"));
        if get("key").is_none()
            && get("text").is_none()
            && get("commitment").is_none()
            && named.is_empty()
        {
            continue;
        }
        used.cond.push(n);
        if get("text").is_none() {
            errors.add(format!("{p}_text"), tr.t("form-error-required"));
        }
        let named: Vec<String> = named
            .into_iter()
            .map(|k| {
                renamed
                    .iter()
                    .find(|(was, _)| *was == k)
                    .map_or(k, |(_, now)| now.clone())
            })
            .collect();
        conditions.push(json!({
            "key": get("key").map(str::to_owned).unwrap_or_else(|| make_key(get("text"), "condition", n)),
            "text": get("text"),
            "commitment_id": get("commitment"),
            "milestones": named,
        }));
    }
    let mut capabilities = Vec::new();
    for n in 1..=rows_of(f, "cap") {
        let p = format!("cap{n}");
        let get = |x: &str| f.get(&format!("{p}_{x}"));
        if [
            get("key"),
            get("name_en"),
            get("name_ar"),
            get("name_ckb"),
            get("place"),
            get("provider"),
            get("receiver"),
            get("target"),
            get("risks"),
        ]
        .iter()
        .all(Option::is_none)
        {
            continue;
        }
        used.cap.push(n);
        let mut c = was_json("capabilities", get("was"));
        let aliases = c["names"]["aliases"].clone();
        let (en, ar, ckb) = (get("name_en"), get("name_ar"), get("name_ckb"));
        if en.is_none() && ar.is_none() && ckb.is_none() {
            errors.add(format!("{p}_name_en"), tr.t("form-error-name-needed"));
        }
        if get("provider").is_none() {
            errors.add(format!("{p}_provider"), tr.t("form-error-required"));
        }
        if get("target").is_none() {
            errors.add(format!("{p}_target"), tr.t("form-error-required"));
        }
        c["key"] = json!(get("key").map(str::to_owned).unwrap_or_else(|| make_key(
            en,
            "capability",
            n
        )));
        c["function"] = json!(get("function").unwrap_or("other"));
        c["names"] = json!({"en": en, "ar": ar, "ckb": ckb, "aliases": aliases});
        c["place_id"] = json!(get("place"));
        c["current_provider"] = json!(get("provider"));
        c["receiving_org_id"] = json!(get("receiver"));
        c["target"] = partial_at(tr, f, &format!("{p}_target"), errors);
        c["status"] = json!(get("status").unwrap_or("planned"));
        c["risks"] = json!(lines(get("risks")));
        capabilities.push(c);
    }
    used.src = (1..=rows_of(f, "src"))
        .filter(|n| {
            ["publisher", "title", "date", "reference", "url"]
                .iter()
                .any(|x| f.get(&format!("src{n}_{x}")).is_some())
        })
        .collect();
    let sources = sources_json(tr, f, errors);
    let (start, end) = (
        partial_at(tr, f, "start", errors),
        partial_at(tr, f, "end", errors),
    );
    if let (Some(s), Some(e)) = (start.as_str(), end.as_str())
        && let (Ok(s), Ok(e)) = (
            hawkari_core::time::PartialDate::parse(s),
            hawkari_core::time::PartialDate::parse(e),
        )
        && e.last_day() < s.first_day()
    {
        errors.add("end", tr.t("form-error-ends-before"));
    }
    let kind = f.get("kind").unwrap_or("other");
    if !KINDS.contains(&kind) {
        errors.add("kind", tr.t("form-error-required"));
    }
    let body = json!({
        "kind": kind,
        "names": names,
        "summary": f.get("summary").map(|t| t.replace("\r\n", "\n")),
        "objectives": lines(f.get("objectives")),
        "start": start,
        "end": end,
        "lead_org_id": f.get("lead"),
        "milestones": milestones,
        "indicators": indicators,
        "conditions": conditions,
        "capabilities": capabilities,
        "sources": sources,
        "owner_org_id": f.get("owner"),
        "releasable_to": f.all("release_to"),
        "release_groups": f.all("release_group"),
    });
    (body, used)
}

/// The label of a form field, for the problems above the form and a conflict's rows.
fn label(tr: Tr, key: &str) -> Option<String> {
    let plain = |k: &str| Some(tr.t(k));
    match key {
        "kind" => return plain("programme-kind"),
        "name_en" => return plain("form-name-en"),
        "name_ar" => return plain("form-name-ar"),
        "name_ckb" => return plain("form-name-ckb"),
        "aliases" => return plain("form-aliases"),
        "summary" => return plain("form-summary"),
        "objectives" => return plain("form-objectives"),
        "start" => return plain("form-start"),
        "end" => return plain("form-end"),
        "lead" => return plain("programme-lead"),
        "release_to" => return plain("form-release-orgs"),
        "release_group" => return plain("form-release-to"),
        _ => {}
    }
    let (row, field) = key.split_once('_')?;
    if field == "was" {
        return None;
    }
    let field_label = |field: &str| -> String {
        let k = match field {
            "key" => "form-key",
            "title" => "form-milestone-title",
            "due" => "milestone-due",
            "owner" => "milestone-owner",
            "status" => "milestone-status",
            "name_en" => "form-name-en",
            "name_ar" => "form-name-ar",
            "name_ckb" => "form-name-ckb",
            "unit" => "form-unit",
            "target_value" => "form-target-value",
            "target_date" => "form-target-date",
            "value" => "form-obs-value",
            "date" => "form-obs-date",
            "label" => "form-when-label",
            "confidence" => "form-confidence",
            "publisher" => "form-source-publisher",
            "text" => "form-condition-text",
            "commitment" => "form-condition-commitment",
            "milestones" => "form-condition-milestones",
            "function" => "form-function",
            "place" => "form-capability-place",
            "provider" => "form-provider",
            "receiver" => "form-receiver",
            "target" => "form-capability-target",
            "risks" => "form-risks",
            other => return other.replace('_', " "),
        };
        tr.t(k)
    };
    let num = |s: &str| s.parse::<usize>().ok();
    let group = |k: &str, n: usize| tr.t1(k, "n", &tr.num(n));
    if let Some(rest) = row.strip_prefix("ind") {
        if let Some((i, o)) = rest.split_once('o') {
            return Some(format!(
                "{} — {} — {}",
                group("form-indicator-n", num(i)?),
                group("form-observation-n", num(o.trim_end_matches('s'))?),
                field_label(field)
            ));
        }
        if let Some(i) = rest.strip_suffix('t') {
            return Some(format!(
                "{} — {} — {}",
                group("form-indicator-n", num(i)?),
                tr.t("form-target-source"),
                field_label(field)
            ));
        }
        return Some(format!(
            "{} — {}",
            group("form-indicator-n", num(rest)?),
            field_label(field)
        ));
    }
    for (prefix, k) in [
        ("ms", "form-milestone-n"),
        ("cond", "form-condition-n"),
        ("cap", "form-capability-n"),
        ("src", "form-source-n"),
    ] {
        if let Some(n) = row.strip_prefix(prefix).and_then(num) {
            return Some(format!("{} — {}", group(k, n), field_label(field)));
        }
    }
    None
}

/// An indicator's rows in the form: its number, and its observation rows.
pub struct IndicatorRows {
    pub n: usize,
    pub obs: Vec<usize>,
}

#[derive(Template)]
#[template(path = "programme_form.html")]
struct ProgrammeForm {
    page: PageCtx,
    s: FormState,
    heading: String,
    action: String,
    back: String,
    reload: String,
    owner: String,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    confidences: Vec<(&'static str, String)>,
    functions: Vec<(&'static str, String)>,
    transitions: Vec<(&'static str, String)>,
    orgs: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    places: Vec<(String, String)>,
    commitments: Vec<(String, String)>,
    /// The milestones a condition may name: (key, title), as the form holds them.
    milestone_keys: Vec<(String, String)>,
    milestone_rows: Vec<usize>,
    indicator_rows: Vec<IndicatorRows>,
    condition_rows: Vec<usize>,
    capability_rows: Vec<usize>,
    source_rows: Vec<usize>,
}

fn options(tr: Tr, codes: &[&'static str], prefix: &str) -> Vec<(&'static str, String)> {
    codes
        .iter()
        .map(|c| (*c, tr.t(&format!("{prefix}{c}"))))
        .collect()
}

async fn programme_form(
    app: &App,
    page: PageCtx,
    mut s: FormState,
    id: Option<&str>,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let f = s.f.clone();
    let milestone_rows = rows_with(&f, "ms", &["key", "title", "due", "owner"]);
    let indicator_rows: Vec<IndicatorRows> = rows_with(
        &f,
        "ind",
        &[
            "key",
            "name_en",
            "name_ar",
            "name_ckb",
            "unit",
            "target_value",
            "target_date",
        ],
    )
    .into_iter()
    .map(|n| IndicatorRows {
        n,
        obs: rows_with(&f, &format!("ind{n}o"), &["value", "date", "label"]),
    })
    .collect();
    let condition_rows = rows_with(&f, "cond", &["key", "text", "commitment", "milestones"]);
    let capability_rows = rows_with(
        &f,
        "cap",
        &[
            "key", "name_en", "name_ar", "name_ckb", "place", "provider", "receiver", "target",
            "risks",
        ],
    );
    let source_rows = rows_with(
        &f,
        "src",
        &["publisher", "title", "date", "reference", "url"],
    );
    let mut orgs = org_choices(app, &page).await?;
    let mut held: Vec<String> = f.all("release_to");
    held.extend(f.all("lead"));
    for n in &milestone_rows {
        held.extend(f.all(&format!("ms{n}_owner")));
    }
    for n in &capability_rows {
        held.extend(f.all(&format!("cap{n}_provider")));
        held.extend(f.all(&format!("cap{n}_receiver")));
    }
    keep_choices(&mut orgs, held);
    let mut places: Vec<(String, String)> = app
        .list_places(&page.principal, &Default::default(), &page_of(500))
        .await?
        .items
        .iter()
        .map(|p| (p.id.to_string(), tr.name(&p.data.names).to_owned()))
        .collect();
    keep_choices(
        &mut places,
        capability_rows
            .iter()
            .flat_map(|n| f.all(&format!("cap{n}_place")))
            .collect(),
    );
    let mut commitments: Vec<(String, String)> = app
        .list_commitments(&page.principal, &Default::default(), &page_of(300))
        .await?
        .items
        .iter()
        .map(|c| {
            let text = c.data.text.to_string();
            let short = match text.char_indices().nth(90) {
                Some((i, _)) => format!("{}…", &text[..i]),
                None => text,
            };
            (c.id.to_string(), short)
        })
        .collect();
    keep_choices(
        &mut commitments,
        condition_rows
            .iter()
            .flat_map(|n| f.all(&format!("cond{n}_commitment")))
            .collect(),
    );
    let mut milestone_keys: Vec<(String, String)> = milestone_rows
        .iter()
        .filter_map(|n| {
            let key = f.get(&format!("ms{n}_key"))?;
            let title = f.get(&format!("ms{n}_title")).unwrap_or(key);
            Some((key.to_owned(), title.to_owned()))
        })
        .collect();
    keep_choices(
        &mut milestone_keys,
        condition_rows
            .iter()
            .flat_map(|n| f.all(&format!("cond{n}_milestones")))
            .collect(),
    );
    let owner_id = f
        .get("owner")
        .map_or_else(|| page.user.organisation_id.to_string(), str::to_owned);
    s.visible = visible_to(
        tr,
        &owner_id,
        &f.all("release_to"),
        &f.all("release_group"),
        &orgs,
    );
    s.summarise(|k| label(tr, k));
    let (action, back) = match id {
        None => ("/programmes/new".to_owned(), "/programmes".to_owned()),
        Some(id) => (
            format!("/programmes/{id}/edit"),
            format!("/programmes/{id}"),
        ),
    };
    let form = ProgrammeForm {
        heading: match id {
            None => tr.t("form-new-programme"),
            Some(_) => tr.t1("form-edit-programme", "name", &form_name(tr, &f)),
        },
        reload: action.clone(),
        action,
        back,
        owner: choice_name(&orgs, &owner_id),
        kinds: options(tr, &KINDS, "programme-kind-"),
        statuses: options(tr, &MILESTONE_STATUSES, "milestone-"),
        confidences: options(tr, &CONFIDENCES, "confidence-"),
        functions: options(tr, &FUNCTIONS, "function-"),
        transitions: options(tr, &TRANSITION_STATUSES, "transition-"),
        groups: group_options(tr),
        orgs,
        places,
        commitments,
        milestone_keys,
        milestone_rows,
        indicator_rows,
        condition_rows,
        capability_rows,
        source_rows,
        s,
        page,
    };
    Ok(render(&form))
}

pub async fn new_programme(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    if !may_create(&app, &page, Kind::Programme) {
        return Err(WebError::Forbidden);
    }
    let mut f = Fields::default();
    f.set("kind", "reform");
    programme_form(&app, page, FormState::new(f), None).await
}

pub async fn create_programme(
    State(app): State<App>,
    page: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    if !may_create(&app, &page, Kind::Programme) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return programme_form(&app, page, s, None).await;
    }
    let (mut body, used) = programme_json(
        tr,
        &s.f,
        None,
        app.now(),
        &page.principal.actor,
        &mut s.errors,
    );
    body["owner_org_id"] = json!(page.user.organisation_id);
    if s.errors.is_empty() {
        match hawkari_core::record::from_json_value::<ProgrammeData>(without_nulls(body), "") {
            Ok(data) => match app.create::<Programme>(&page.principal, None, data).await {
                Ok(p) => return Ok(redirect(&format!("/programmes/{}", p.id))),
                Err(e) => {
                    let mut raw = FieldErrors::default();
                    save_problems(tr, e, &mut raw, &[], &[])?;
                    place_problems(&used, raw, &mut s.errors);
                }
            },
            Err(v) => place_validation(tr, &used, v, &mut s.errors),
        }
    }
    programme_form(&app, page, s, None)
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

/// The record's problems, named by the API's paths, put at the form's fields.
fn place_validation(
    tr: Tr,
    used: &Used,
    v: hawkari_core::ValidationError,
    errors: &mut FieldErrors,
) {
    for e in v.errors {
        errors.add(used.field(&e.field), tr.problem(&e.message));
    }
}

/// Problems `save_problems` placed with no row mapping, placed again by the rows used.
fn place_problems(used: &Used, raw: FieldErrors, errors: &mut FieldErrors) {
    for (field, message) in raw.0 {
        errors.add(
            if field.is_empty() {
                field
            } else {
                used.field(&field)
            },
            message,
        );
    }
}

pub async fn edit_programme(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p: Programme = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &p.data) {
        return Err(WebError::Forbidden);
    }
    programme_form(&app, page, FormState::new(form_values(&p)), Some(&id)).await
}

/// Saves the edit form over the stored programme (see the module's comment).
pub async fn update_programme(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let current: Programme = app.get(&page.principal, &id).await?;
    if !may(&app, &page, Action::Update, &current.data) {
        return Err(WebError::Forbidden);
    }
    let tr = page.tr;
    let mut s = FormState::new(f);
    if s.f.get("add_row").is_some() {
        return programme_form(&app, page, s, Some(&id)).await;
    }
    let (form, used) = programme_json(
        tr,
        &s.f,
        Some(&current.data),
        app.now(),
        &page.principal.actor,
        &mut s.errors,
    );
    let mut merged = json!(current.data);
    for key in [
        "kind",
        "names",
        "summary",
        "objectives",
        "start",
        "end",
        "lead_org_id",
        "milestones",
        "indicators",
        "conditions",
        "capabilities",
        "sources",
    ] {
        merged[key] = form[key].clone();
    }
    for key in ["releasable_to", "release_groups"] {
        merged[key] = merge_choices(&merged[key], &form[key]);
    }
    let bad = |s: FormState, status| {
        let app = &app;
        let page = page.clone();
        let id = id.clone();
        async move {
            programme_form(app, page, s, Some(&id))
                .await
                .map(|r| (status, r).into_response())
        }
    };
    if !s.errors.is_empty() {
        return bad(s, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(change) =
        unconfirmed_release_change(&app, &page, &current.data, &merged, &s.f).await?
    {
        s.release_change = Some(change);
        return bad(s, StatusCode::CONFLICT).await;
    }
    let version = s.f.get("version").and_then(|v| v.parse().ok());
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match hawkari_core::record::from_json_value::<ProgrammeData>(without_nulls(merged), "") {
        Ok(data) if data == current.data => return Ok(redirect(&format!("/programmes/{id}"))),
        Ok(data) => match app
            .update::<Programme>(&page.principal, &id, data, version)
            .await
        {
            Ok(_) => return Ok(redirect(&format!("/programmes/{id}"))),
            Err(e) => {
                let mut raw = FieldErrors::default();
                if save_problems(tr, e, &mut raw, &[], &[])? {
                    let latest: Programme = app.get(&page.principal, &id).await?;
                    let orgs = org_choices(&app, &page).await?;
                    s.conflict = Some(Conflict {
                        who: saved_by(tr, &latest.meta),
                        rows: conflict_rows(
                            &form_values(&latest),
                            &s.f,
                            |k| label(tr, k),
                            |k, v| {
                                if k == "release_group" {
                                    tr.t(&format!("release-group-{v}"))
                                } else if k == "release_to"
                                    || k == "lead"
                                    || k.ends_with("_owner")
                                    || k.ends_with("_provider")
                                    || k.ends_with("_receiver")
                                {
                                    choice_name(&orgs, v)
                                } else {
                                    v.to_owned()
                                }
                            },
                        ),
                    });
                    s.f.set("version", latest.meta.version.to_string());
                    status = StatusCode::CONFLICT;
                } else {
                    place_problems(&used, raw, &mut s.errors);
                }
            }
        },
        Err(v) => place_validation(tr, &used, v, &mut s.errors),
    }
    bad(s, status).await
}

fn programme_name(p: &Programme) -> String {
    p.data.names.display().to_owned()
}

pub async fn delete_programme_page(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    super::registry::delete_page::<Programme>(&app, page, "/programmes", &id, programme_name, None)
        .await
}

pub async fn delete_programme(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    super::registry::delete_record::<Programme>(
        &app,
        page,
        "/programmes",
        &id,
        Fields(pairs),
        programme_name,
    )
    .await
}

// ---------------------------------------------------------------- the field's short forms

/// Refuses (403) a reader who may not edit the programme: the short forms are theirs only.
async fn may_edit(app: &App, page: &PageCtx, id: &str) -> Result<(), WebError> {
    let p: Programme = app.get(&page.principal, id).await?;
    if may(app, page, Action::Update, &p.data) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// What the short observation form of one indicator holds after a refused save: the
/// indicator's key, the values typed and the problems at them (field names `value`,
/// `date`, `kind`, `publisher`, `title`).
#[derive(Debug, Clone)]
pub struct Quick {
    pub key: String,
    pub s: FormState,
}

/// Adds a value observed (`kind=actual`: an observation, with its source) or planned
/// (`kind=planned`: the indicator's target, the value to reach by the date) to an
/// indicator, from the short form beside it on the programme's page. A refusal shows the
/// page again with what was typed and the problem at its field.
pub async fn add_observation(
    State(app): State<App>,
    page: PageCtx,
    Path((id, key)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    may_edit(&app, &page, &id).await?;
    let tr = page.tr;
    let mut errors = FieldErrors::default();
    let value = number_at(tr, &f, "value", &mut errors);
    if f.get("value").is_none() {
        errors.add("value", tr.t("form-error-required"));
    }
    let planned = f.get("kind") == Some("planned");
    let publisher = f.get("publisher");
    let source = publisher.map(|p| json!({"publisher": p, "title": f.get("title").unwrap_or(p)}));
    let mut result = None;
    if planned {
        let date = match f.get("date").map(|d| parse_partial(tr, d)) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                errors.add("date", m);
                None
            }
            None => {
                errors.add("date", tr.t("form-error-required"));
                None
            }
        };
        if errors.is_empty() {
            match serde_json::from_value::<Target>(without_nulls(
                json!({"value": value, "date": date, "source": source}),
            )) {
                Ok(target) => {
                    result = Some(
                        app.set_indicator_target(&page.principal, &id, &key, target)
                            .await,
                    )
                }
                Err(e) => errors.add("publisher", e.to_string()),
            }
        }
    } else {
        let date = match f.get("date") {
            Some(d) => match hawkari_core::time::EventTime::parse(d, None) {
                Ok(t) => Some(t.value().to_owned()),
                Err(_) => {
                    errors.add("date", tr.t("form-error-when"));
                    None
                }
            },
            None => {
                errors.add("date", tr.t("form-error-required"));
                None
            }
        };
        if source.is_none() {
            errors.add("publisher", tr.t("form-error-required"));
        }
        if errors.is_empty() {
            match serde_json::from_value::<Observation>(json!({
                "value": value, "date": {"value": date}, "source": source,
            })) {
                Ok(o) => result = Some(app.add_observation(&page.principal, &id, &key, o).await),
                Err(e) => errors.add("publisher", e.to_string()),
            }
        }
    }
    match result {
        Some(Ok(_)) => return Ok(redirect(&format!("/programmes/{id}#indicator-{key}"))),
        Some(Err(e)) => {
            save_problems(tr, e, &mut errors, &[], &[])?;
        }
        None => {}
    }
    let mut s = FormState::new(f);
    s.errors = errors;
    s.summarise(|k| {
        Some(tr.t(match k {
            "value" => "form-obs-value",
            "date" => "form-obs-date",
            "publisher" => "form-source-publisher",
            _ => return None,
        }))
    });
    super::programmes::programme_page(&app, page, &id, Some(Quick { key, s }))
        .await
        .map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

/// A milestone's new status, from its row on the programme's page.
pub async fn milestone_status(
    State(app): State<App>,
    page: PageCtx,
    Path((id, key)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    may_edit(&app, &page, &id).await?;
    let status: MilestoneStatus = f
        .get("status")
        .and_then(|s| serde_json::from_value(json!(s)).ok())
        .ok_or(WebError::BadRequest)?;
    let reason = f
        .get("reason")
        .map(|r| hawkari_core::values::Text::try_from(r.to_owned()))
        .transpose()
        .map_err(|_| WebError::BadRequest)?;
    app.change_milestone_status(&page.principal, &id, &key, status, reason)
        .await?;
    Ok(redirect(&format!("/programmes/{id}#milestones-h")))
}
