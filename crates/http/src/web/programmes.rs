//! Programme pages: the list of programmes and operations, a programme (indicators with
//! their charts and projections, conditions, milestones, and for a transition the
//! capabilities on a timeline to the end date), and the dashboard's entries for
//! programmes and operations. An operation's pages are `operations.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use hawkari_app::App;
use hawkari_app::programmes::judge_programme;
use hawkari_core::commitment::Commitment;
use hawkari_core::programme::{
    CapabilityFunction, ConditionState, MilestoneStatus, NoProjection, Programme, ProgrammeKind,
    TransitionStatus, TrendStatus,
};
use hawkari_store::{OperationFilter, ProgrammeFilter};

use super::charts::{self, TimelineRow, thousands};
use super::i18n::Tr;
use super::rows::{Lookup, page_of};
use super::{PageCtx, WebError, render};

fn kind_label(tr: &Tr, k: ProgrammeKind) -> String {
    tr.t(match k {
        ProgrammeKind::Reform => "programme-kind-reform",
        ProgrammeKind::Transition => "programme-kind-transition",
        ProgrammeKind::Other => "programme-kind-other",
    })
}

fn milestone_status(tr: &Tr, s: MilestoneStatus) -> String {
    tr.t(match s {
        MilestoneStatus::Planned => "milestone-planned",
        MilestoneStatus::InProgress => "milestone-in_progress",
        MilestoneStatus::Done => "milestone-done",
        MilestoneStatus::Missed => "milestone-missed",
        MilestoneStatus::Dropped => "milestone-dropped",
    })
}

fn condition_state(tr: &Tr, s: ConditionState) -> (&'static str, String) {
    let (class, key) = match s {
        ConditionState::Met => ("met", "condition-met"),
        ConditionState::AtRisk => ("at-risk", "condition-at_risk"),
        ConditionState::NotMet => ("not-met", "condition-not_met"),
        ConditionState::Pending => ("pending", "condition-pending"),
    };
    (class, tr.t(key))
}

fn trend_status(tr: &Tr, s: TrendStatus) -> (&'static str, String) {
    let (class, key) = match s {
        TrendStatus::Met => ("met", "trend-met"),
        TrendStatus::OnTrack => ("on-track", "trend-on_track"),
        TrendStatus::Behind => ("behind", "trend-behind"),
        TrendStatus::Unknown => ("unknown", "trend-unknown"),
    };
    (class, tr.t(key))
}

fn no_projection(tr: &Tr, n: NoProjection) -> String {
    tr.t(match n {
        NoProjection::TooFewObservations => "projection-too-few",
        NoProjection::SameDate => "projection-same-date",
        NoProjection::NotMovingTowardsTarget => "projection-not-moving",
        NoProjection::Met => "projection-met",
    })
}

fn function_label(tr: &Tr, f: CapabilityFunction) -> String {
    tr.t(match f {
        CapabilityFunction::Advising => "function-advising",
        CapabilityFunction::AirSupport => "function-air_support",
        CapabilityFunction::IntelligenceSharing => "function-intelligence_sharing",
        CapabilityFunction::Training => "function-training",
        CapabilityFunction::BasePresence => "function-base_presence",
        CapabilityFunction::Other => "function-other",
    })
}

fn transition_status(tr: &Tr, s: TransitionStatus) -> String {
    tr.t(match s {
        TransitionStatus::Planned => "transition-planned",
        TransitionStatus::InProgress => "transition-in_progress",
        TransitionStatus::HandedOver => "transition-handed_over",
        TransitionStatus::Ended => "transition-ended",
        TransitionStatus::AtRisk => "transition-at_risk",
    })
}

// ---------------------------------------------------------------- the list

pub struct ProgrammeRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub end: String,
    pub alerts: Vec<String>,
}

pub struct OperationRow {
    pub id: String,
    pub name: String,
    pub period: String,
    pub sites: String,
    pub without_lead: String,
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ProgrammesPage {
    page: PageCtx,
    can_create_programme: bool,
    can_create_operation: bool,
    programmes: Vec<ProgrammeRow>,
    operations: Vec<OperationRow>,
}

pub async fn programmes(State(app): State<App>, page: PageCtx) -> Result<Response, WebError> {
    let tr = page.tr;
    let today = app.today();
    let list = app
        .list_programmes(&page.principal, &ProgrammeFilter::default(), &page_of(200))
        .await?;
    let ops = app
        .list_operations(&page.principal, &OperationFilter::default(), &page_of(200))
        .await?;
    let programmes = list
        .items
        .iter()
        .map(|p| {
            let j = judge_programme(p, today);
            let behind = j
                .trends
                .values()
                .filter(|t| t.status == TrendStatus::Behind)
                .count();
            let mut alerts = Vec::new();
            if !j.overdue_milestones.is_empty() {
                alerts.push(tr.count("count-milestones-overdue", j.overdue_milestones.len()));
            }
            if behind > 0 {
                alerts.push(tr.count("count-indicators-behind", behind));
            }
            if !j.capabilities_at_risk.is_empty() {
                alerts.push(tr.count("count-items-at-risk", j.capabilities_at_risk.len()));
            }
            ProgrammeRow {
                id: p.id.to_string(),
                name: tr.name(&p.data.names).to_owned(),
                kind: kind_label(&tr, p.data.kind),
                end: p
                    .data
                    .end
                    .as_ref()
                    .map(|d| tr.partial(d))
                    .unwrap_or_default(),
                alerts,
            }
        })
        .collect();
    let operations = ops
        .items
        .iter()
        .map(|o| OperationRow {
            id: o.id.to_string(),
            name: tr.name(&o.data.names).to_owned(),
            period: format!(
                "{} – {}",
                tr.partial(&o.data.start),
                tr.partial(&o.data.end)
            ),
            sites: tr.count("count-sites", o.data.sites.len()),
            without_lead: tr.count("count-sites-without-lead", o.data.without_lead().count()),
        })
        .collect();
    Ok(render(&ProgrammesPage {
        can_create_programme: super::forms::may_create(
            &app,
            &page,
            hawkari_core::record::Kind::Programme,
        ),
        can_create_operation: super::forms::may_create(
            &app,
            &page,
            hawkari_core::record::Kind::Operation,
        ),
        page,
        programmes,
        operations,
    }))
}

// ---------------------------------------------------------------- one programme

pub struct IndicatorView {
    pub key: String,
    pub name: String,
    /// "72 000 of 138 000 peshmerga"
    pub headline: String,
    pub observed: String,
    pub source: String,
    pub target: String,
    pub status_class: &'static str,
    pub status: String,
    pub facts: Vec<String>,
    pub chart: String,
}

pub struct MilestoneView {
    pub key: String,
    /// The status's code (the status form's choice).
    pub code: String,
    pub title: String,
    pub due: String,
    pub owner: String,
    pub status: String,
    pub overdue: bool,
    pub evidence: Vec<String>,
}

pub struct ConditionView {
    pub text: String,
    pub commitment: Option<(String, String)>,
    pub class: &'static str,
    pub state: String,
    pub milestones: Vec<String>,
}

pub struct CapabilityView {
    pub name: String,
    pub function: String,
    pub provider: String,
    pub receiver: String,
    pub target: String,
    pub status: String,
    pub at_risk: bool,
    pub risks: Vec<String>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    page: PageCtx,
    name: String,
    kind: String,
    period: String,
    lead: String,
    owner: String,
    summary: String,
    objectives: Vec<String>,
    indicators: Vec<IndicatorView>,
    conditions: Vec<ConditionView>,
    milestones: Vec<MilestoneView>,
    capabilities: Vec<CapabilityView>,
    timeline: String,
    sources: Vec<String>,
    id: String,
    can_edit: bool,
    can_delete: bool,
    /// The short observation form refused, with what was typed (one indicator's).
    quick: Option<super::programme_forms::Quick>,
    /// Empty: what the short observation forms of the other indicators hold.
    blank: super::forms::FormState,
    statuses: Vec<(&'static str, String)>,
}

impl ProgrammePage {
    /// The short observation form's state for indicator `key`: what was typed, if it was
    /// this one's that was refused, else empty.
    fn quick_for(&self, key: &str) -> &super::forms::FormState {
        match &self.quick {
            Some(q) if q.key == key => &q.s,
            _ => &self.blank,
        }
    }
}

pub async fn programme(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    programme_page(&app, page, &id, None).await
}

/// A programme's page; with `quick`, the observation form refused, shown as typed.
pub(super) async fn programme_page(
    app: &App,
    page: PageCtx,
    id: &str,
    quick: Option<super::programme_forms::Quick>,
) -> Result<Response, WebError> {
    let p: Programme = app.get(&page.principal, id).await?;
    let tr = page.tr;
    let today = app.today();
    let judged = judge_programme(&p, today);
    let d = &p.data;
    let mut look = Lookup::new(&page, app);
    let mut indicators = Vec::new();
    for (i, ind) in d.indicators.iter().enumerate() {
        let Some(trend) = judged.trends.get(ind.key.as_str()) else {
            continue;
        };
        let unit = ind.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
        let latest = ind.latest();
        let headline = match trend.latest_value {
            Some(v) => tr.with_args("indicator-headline", &{
                let mut a = fluent_bundle::FluentArgs::new();
                a.set("value", thousands(&tr, v));
                a.set("target", thousands(&tr, trend.target_value));
                a.set("unit", unit.clone());
                a
            }),
            None => tr.t("indicator-no-observation"),
        };
        let (status_class, status) = trend_status(&tr, trend.status);
        let mut facts = vec![tr.count("count-observations", trend.observations)];
        if let Some(r) = trend.rate_per_month {
            facts.push(tr.t1("indicator-rate", "rate", &thousands(&tr, r)));
        }
        if let Some(r) = trend.required_per_month {
            facts.push(tr.t1("indicator-required", "rate", &thousands(&tr, r)));
        }
        match (trend.projected_date, trend.no_projection) {
            (Some(date), _) => facts.push(tr.t1("indicator-projected", "date", &tr.date(date))),
            (None, Some(n)) => facts.push(no_projection(&tr, n)),
            (None, None) => {}
        }
        let name = tr.name(&ind.names).to_owned();
        let summary = format!("{name}: {headline}. {status}. {}", facts.join(". "));
        indicators.push(IndicatorView {
            chart: charts::indicator(&format!("indicator-{i}"), ind, trend, &tr, &summary),
            key: ind.key.to_string(),
            name,
            headline,
            observed: latest.map(|o| tr.when(&o.date)).unwrap_or_default(),
            source: latest.map(|o| tr.cite(&o.source)).unwrap_or_default(),
            target: tr.t2(
                "indicator-target",
                &("value", &thousands(&tr, trend.target_value)),
                &("date", &tr.partial(&ind.target.date)),
            ),
            status_class,
            status,
            facts,
        });
    }
    let mut conditions = Vec::new();
    for c in &d.conditions {
        let (class, state) = condition_state(&tr, d.condition_state(c, today));
        let commitment = match &c.commitment_id {
            // Named and linked only when released to the reader.
            Some(cid) => app
                .get::<Commitment>(&page.principal, cid.as_str())
                .await
                .ok()
                .map(|cm| (cm.data.engagement_id.to_string(), cm.data.text.to_string())),
            None => None,
        };
        conditions.push(ConditionView {
            text: c.text.to_string(),
            commitment,
            class,
            state,
            milestones: c
                .milestones
                .iter()
                .filter_map(|k| d.milestone(k.as_str()))
                .map(|m| m.title.to_string())
                .collect(),
        });
    }
    let mut milestones = Vec::new();
    for m in &d.milestones {
        milestones.push(MilestoneView {
            key: m.key.to_string(),
            code: super::rows::enum_code(&m.status()),
            title: m.title.to_string(),
            due: tr.partial(&m.due),
            owner: match &m.owner_org_id {
                Some(o) => look.org(o.as_str()).await,
                None => String::new(),
            },
            status: milestone_status(&tr, m.status()),
            overdue: m.overdue(today),
            evidence: m.evidence.iter().map(|e| e.note.to_string()).collect(),
        });
    }
    let mut capabilities = Vec::new();
    let mut rows: Vec<TimelineRow> = Vec::new();
    for c in &d.capabilities {
        let at_risk = c.at_risk(today);
        capabilities.push(CapabilityView {
            name: tr.name(&c.names).to_owned(),
            function: function_label(&tr, c.function),
            provider: look.org(c.current_provider.as_str()).await,
            receiver: match &c.receiving_org_id {
                Some(o) => look.org(o.as_str()).await,
                None => String::new(),
            },
            target: tr.partial(&c.target),
            status: transition_status(&tr, c.status),
            at_risk,
            risks: c.risks.iter().map(ToString::to_string).collect(),
        });
        rows.push(TimelineRow {
            label: tr.name(&c.names).to_owned(),
            date: c.target.last_day(),
            class: if at_risk {
                "at-risk"
            } else if matches!(
                c.status,
                TransitionStatus::HandedOver | TransitionStatus::Ended
            ) {
                "done"
            } else {
                "pending"
            },
        });
    }
    for m in &d.milestones {
        rows.push(TimelineRow {
            label: m.title.to_string(),
            date: m.due.last_day(),
            class: if m.overdue(today) {
                "at-risk"
            } else if m.status() == MilestoneStatus::Done {
                "done"
            } else {
                "pending"
            },
        });
    }
    rows.sort_by_key(|r| r.date);
    let timeline = match (d.kind, d.end) {
        (ProgrammeKind::Transition, Some(end)) if !rows.is_empty() => {
            let from = d
                .start
                .map(|s| s.first_day())
                .unwrap_or(today)
                .min(rows[0].date);
            charts::timeline(
                "timeline",
                &rows,
                from,
                end.last_day(),
                today,
                &tr,
                (
                    &tr.t1("timeline-title", "date", &tr.partial(&end)),
                    &tr.t("timeline-today"),
                    &tr.t1("timeline-end", "date", &tr.partial(&end)),
                ),
            )
        }
        _ => String::new(),
    };
    let period = match (&d.start, &d.end) {
        (Some(s), Some(e)) => format!("{} – {}", tr.partial(s), tr.partial(e)),
        (Some(s), None) => tr.partial(s),
        (None, Some(e)) => tr.partial(e),
        (None, None) => String::new(),
    };
    let lead = match &d.lead_org_id {
        Some(o) => look.org(o.as_str()).await,
        None => String::new(),
    };
    let owner = look.org(d.owner_org_id.as_str()).await;
    let can_edit = super::forms::may(app, &page, hawkari_app::Action::Update, d);
    let can_delete = super::forms::may(app, &page, hawkari_app::Action::Delete, d);
    Ok(render(&ProgrammePage {
        id: p.id.to_string(),
        can_edit,
        can_delete,
        quick,
        blank: Default::default(),
        statuses: super::programme_forms::MILESTONE_STATUSES
            .iter()
            .map(|c| (*c, tr.t(&format!("milestone-{c}"))))
            .collect(),
        name: tr.name(&d.names).to_owned(),
        kind: kind_label(&tr, d.kind),
        period,
        lead,
        owner,
        summary: d
            .summary
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default(),
        objectives: d.objectives.iter().map(ToString::to_string).collect(),
        indicators,
        conditions,
        milestones,
        capabilities,
        timeline,
        sources: d.sources.iter().map(|s| tr.cite(s)).collect(),
        page,
    }))
}

// ---------------------------------------------------------------- the dashboard

/// One dashboard entry: its id, heading, and (link, text) items.
pub type AlertSection = (&'static str, String, Vec<(String, String)>);

/// What the dashboard shows of programmes and operations: each a link and its words.
#[derive(Default)]
pub struct Alerts {
    pub overdue_milestones: Vec<(String, String)>,
    pub indicators_behind: Vec<(String, String)>,
    pub sites_without_lead: Vec<(String, String)>,
    pub at_risk: Vec<(String, String)>,
}

impl Alerts {
    /// The four entries as the dashboard lists them: id, heading, items.
    pub fn sections(self, tr: &Tr) -> Vec<AlertSection> {
        vec![
            (
                "milestones-overdue",
                tr.t("dashboard-milestones-overdue"),
                self.overdue_milestones,
            ),
            (
                "indicators-behind",
                tr.t("dashboard-indicators-behind"),
                self.indicators_behind,
            ),
            (
                "sites-without-lead",
                tr.t("dashboard-sites-without-lead"),
                self.sites_without_lead,
            ),
            (
                "transition-at-risk",
                tr.t("dashboard-transition-at-risk"),
                self.at_risk,
            ),
        ]
    }
}

pub async fn alerts(app: &App, page: &PageCtx, today: NaiveDate) -> Result<Alerts, WebError> {
    let tr = page.tr;
    let mut a = Alerts::default();
    let list = app
        .list_programmes(&page.principal, &ProgrammeFilter::default(), &page_of(200))
        .await?;
    for p in &list.items {
        let link = format!("/programmes/{}", p.id);
        let name = tr.name(&p.data.names);
        for m in p.data.milestones.iter().filter(|m| m.overdue(today)) {
            a.overdue_milestones.push((
                link.clone(),
                format!("{} — {} ({})", m.title, name, tr.partial(&m.due)),
            ));
        }
        for ind in &p.data.indicators {
            if ind.trend().status == TrendStatus::Behind {
                a.indicators_behind
                    .push((link.clone(), format!("{} — {name}", tr.name(&ind.names))));
            }
        }
        for c in p.data.capabilities.iter().filter(|c| c.at_risk(today)) {
            a.at_risk.push((
                link.clone(),
                format!("{} — {}", tr.name(&c.names), tr.partial(&c.target)),
            ));
        }
    }
    let ops = app
        .list_operations(&page.principal, &OperationFilter::default(), &page_of(200))
        .await?;
    for o in &ops.items {
        for s in o.data.without_lead() {
            a.sites_without_lead.push((
                format!("/operations/{}", o.id),
                format!("{} — {}", tr.name(&s.names), tr.name(&o.data.names)),
            ));
        }
    }
    Ok(a)
}
