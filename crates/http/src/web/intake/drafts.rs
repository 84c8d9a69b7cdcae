//! The drafts page: each draft's fields as intake proposed them, beside its sentence.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hawkari_app::App;
use hawkari_core::incident::IncidentType;
use serde_json::{Value, json};

use crate::web::forms::{FieldErrors, Fields, FormState, group_options, org_choices, visible_to};
use crate::web::i18n::Tr;
use crate::web::map::type_label;
use crate::web::{PageCtx, WebError, render};

use super::*;

/// The form's first values of a draft: what intake proposed, and the draft itself.
pub(super) fn draft_values(d: &mut Fields, p: &str, kind: &str, draft: &Value) {
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
            // Rust writes 72000.0 as "72000", never with an exponent.
            d.push(&format!("{p}_value"), value.to_string());
            d.push(&format!("{p}_date"), s(&draft["when"]["value"]));
            d.push(&format!("{p}_status"), s(&draft["status"]));
        }
    }
}

/// The last day of a date or range (`2026-09` → `2026-09-30`), a commitment's due day.
pub(super) fn last_day(value: &str) -> String {
    hawkari_core::time::EventTime::parse(value, None)
        .map(|t| t.end().date_naive().to_string())
        .unwrap_or_else(|_| value.to_owned())
}

/// The sentences a draft cites.
pub(super) fn cites(draft: &Value) -> Vec<String> {
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
pub(super) fn place_point(place: &Value) -> Option<(f64, f64, &'static str)> {
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

pub(super) fn check_url(tr: Tr, url: Option<&str>, field: &str, errors: &mut FieldErrors) {
    if let Some(u) = url
        && serde_json::from_value::<hawkari_core::values::Url>(json!(u)).is_err()
    {
        errors.add(field, tr.t("intake-error-url"));
    }
}

// ---------------------------------------------------------------- the drafts page

/// A participant of an engagement draft.
pub(super) struct PartRow {
    m: usize,
    name: String,
}

/// One draft as the page shows it.
pub(super) struct DraftRow {
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
pub(super) struct DraftsPage {
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
pub(super) fn prefixes(f: &Fields, prefix: &str) -> Vec<String> {
    (1..=f.0.len())
        .map(|n| format!("{prefix}{n}"))
        .take_while(|p| f.get(&format!("{p}_draft")).is_some())
        .collect()
}

pub(super) fn draft_of(f: &Fields, p: &str) -> Value {
    f.0.iter()
        .rev()
        .find(|(k, _)| *k == format!("{p}_draft"))
        .and_then(|(_, v)| serde_json::from_str(v).ok())
        .unwrap_or(Value::Null)
}

pub(super) fn group_heading(tr: Tr, prefix: &str, n: usize) -> String {
    tr.t1(&format!("intake-{prefix}-n"), "n", &tr.num(n))
}

pub(super) async fn indicator_choices(
    app: &App,
    page: &PageCtx,
) -> Result<Vec<(String, String)>, WebError> {
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

pub(super) async fn drafts_page(
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
pub(super) fn draft_label(tr: Tr, field: &str) -> Option<String> {
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
