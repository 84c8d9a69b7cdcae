//! Programmes: work measured against plans and dates — a reform plan (unifying forces
//! under one ministry), a transition plan (a coalition mission handing over and ending),
//! or any other. A programme has objectives, milestones with a status history, indicators
//! with dated observations and a dated target, conditions that tie a supporting
//! commitment to milestones, and (for a transition) the capabilities being handed over.
//!
//! Everything judged — an indicator's trend and projection, a condition's state, whether
//! a milestone or capability is overdue or at risk — is derived here on read, never stored.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::commitment::Evidence;
use crate::error::Problems;
use crate::ids::{CommitmentId, OrganisationId, PlaceId, ProgrammeId};
use crate::record::{Kind, RecordData, Reference, Refs, Rel, check_unique, record_type};
use crate::time::{EventTime, PartialDate};
use crate::values::{Confidence, Name, Names, Source, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// A reform plan, e.g. unifying partisan forces under a ministry.
    Reform,
    /// A transition plan: capabilities handed over, bases handed back, a mission ending.
    Transition,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    Planned,
    InProgress,
    Done,
    Missed,
    Dropped,
}

impl MilestoneStatus {
    /// Still expected to happen.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress)
    }
}

/// One entry of a milestone's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneChange {
    pub status: MilestoneStatus,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// A dated step of a programme, e.g. "Ain al-Asad handed over".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Unique within the programme; conditions name milestones by it.
    pub key: Name,
    pub title: Text,
    /// When it is due, as precisely as the plan says (`2026-09`, `2025`).
    pub due: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_org_id: Option<OrganisationId>,
    /// Oldest first; the last entry is the current status (planned when empty).
    #[serde(default)]
    pub history: Vec<MilestoneChange>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

impl Milestone {
    pub fn status(&self) -> MilestoneStatus {
        self.history
            .last()
            .map_or(MilestoneStatus::Planned, |c| c.status)
    }

    /// Pending after the last day it was due.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status().is_pending() && self.due.last_day() < today
    }
}

/// One measured value of an indicator, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub value: f64,
    /// As precisely as the source gives it: `"late May 2025"` is
    /// `{"value": "2025-05-21/2025-05-31", "label": "late May"}`.
    pub date: EventTime,
    pub source: Source,
    #[serde(default)]
    pub confidence: Confidence,
}

/// The value an indicator should reach, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub value: f64,
    pub date: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Something measured over time against a target, e.g. peshmerga under the ministry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub key: Name,
    pub names: Names,
    /// What the values count, e.g. "peshmerga".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Name>,
    #[serde(default)]
    pub observations: Vec<Observation>,
    pub target: Target,
}

/// A supporting commitment that depends on milestones, e.g. support under a memorandum
/// that continues only if the unification milestones are met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub key: Name,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_id: Option<CommitmentId>,
    /// Keys of the programme's milestones the condition depends on.
    pub milestones: Vec<Name>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionState {
    /// Every milestone it depends on is done.
    Met,
    /// A milestone it depends on is overdue.
    AtRisk,
    /// A milestone it depends on was missed or dropped.
    NotMet,
    /// Milestones still ahead, none overdue.
    Pending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityFunction {
    Advising,
    AirSupport,
    IntelligenceSharing,
    Training,
    BasePresence,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionStatus {
    Planned,
    InProgress,
    /// Handed over to the receiving organisation.
    HandedOver,
    /// Ended without a receiver (e.g. a function the mission stops).
    Ended,
    /// Judged at risk by its owner.
    AtRisk,
}

/// A capability or function being handed over or ended, e.g. base presence at Ain al-Asad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub key: Name,
    pub function: CapabilityFunction,
    pub names: Names,
    /// For base presence: the base, as a gazetteer place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<PlaceId>,
    pub current_provider: OrganisationId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_org_id: Option<OrganisationId>,
    pub target: PartialDate,
    pub status: TransitionStatus,
    #[serde(default)]
    pub risks: Vec<Text>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

impl Capability {
    /// Marked at risk, or still with its provider after its target date.
    pub fn at_risk(&self, today: NaiveDate) -> bool {
        self.status == TransitionStatus::AtRisk
            || (matches!(
                self.status,
                TransitionStatus::Planned | TransitionStatus::InProgress
            ) && self.target.last_day() < today)
    }
}

crate::record::release_fields! {
    /// A programme as a client writes it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct ProgrammeData {
        pub kind: ProgrammeKind,
        pub names: Names,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<Text>,
        #[serde(default)]
        pub objectives: Vec<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub start: Option<PartialDate>,
        /// When the programme ends (a transition: the mission's end).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub end: Option<PartialDate>,
        /// The organisation leading it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub lead_org_id: Option<OrganisationId>,
        #[serde(default)]
        pub milestones: Vec<Milestone>,
        #[serde(default)]
        pub indicators: Vec<Indicator>,
        #[serde(default)]
        pub conditions: Vec<Condition>,
        #[serde(default)]
        pub capabilities: Vec<Capability>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored programme.
    Programme,
    ProgrammeId,
    ProgrammeData
);

impl ProgrammeData {
    pub fn milestone(&self, key: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.key.as_str() == key)
    }

    /// A condition's state on `today`, from the milestones it depends on.
    pub fn condition_state(&self, c: &Condition, today: NaiveDate) -> ConditionState {
        let ms: Vec<&Milestone> = c
            .milestones
            .iter()
            .filter_map(|k| self.milestone(k.as_str()))
            .collect();
        if ms.iter().any(|m| {
            matches!(
                m.status(),
                MilestoneStatus::Missed | MilestoneStatus::Dropped
            )
        }) {
            ConditionState::NotMet
        } else if ms.iter().all(|m| m.status() == MilestoneStatus::Done) {
            ConditionState::Met
        } else if ms.iter().any(|m| m.overdue(today)) {
            ConditionState::AtRisk
        } else {
            ConditionState::Pending
        }
    }
}

fn check_keys<'a>(field: &str, keys: impl Iterator<Item = &'a Name>, problems: &mut Problems) {
    let keys: Vec<&str> = keys.map(Name::as_str).collect();
    check_unique(field, &keys, problems);
}

impl RecordData for ProgrammeData {
    const KIND: Kind = Kind::Programme;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        if let (Some(s), Some(e)) = (self.start, self.end)
            && e.last_day() < s.first_day()
        {
            problems.add("end", "ends before it starts");
        }
        check_keys(
            "milestones",
            self.milestones.iter().map(|m| &m.key),
            problems,
        );
        check_keys(
            "indicators",
            self.indicators.iter().map(|i| &i.key),
            problems,
        );
        check_keys(
            "conditions",
            self.conditions.iter().map(|c| &c.key),
            problems,
        );
        check_keys(
            "capabilities",
            self.capabilities.iter().map(|c| &c.key),
            problems,
        );
        for (i, m) in self.milestones.iter().enumerate() {
            for (j, w) in m.history.windows(2).enumerate() {
                if w[1].at < w[0].at {
                    problems.add(
                        format!("milestones[{i}].history[{}].at", j + 1),
                        "is earlier than the entry before it",
                    );
                }
            }
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            ind.names.check(&format!("indicators[{i}].names"), problems);
            if !ind.target.value.is_finite() {
                problems.add(format!("indicators[{i}].target.value"), "must be a number");
            }
            for (j, o) in ind.observations.iter().enumerate() {
                if !o.value.is_finite() {
                    problems.add(
                        format!("indicators[{i}].observations[{j}].value"),
                        "must be a number",
                    );
                }
            }
        }
        for (i, c) in self.conditions.iter().enumerate() {
            if c.milestones.is_empty() {
                problems.add(
                    format!("conditions[{i}].milestones"),
                    "name at least one milestone the condition depends on",
                );
            }
            for (j, k) in c.milestones.iter().enumerate() {
                if self.milestone(k.as_str()).is_none() {
                    problems.add(
                        format!("conditions[{i}].milestones[{j}]"),
                        format!("no milestone `{k}` in this programme"),
                    );
                }
            }
        }
        for (i, c) in self.capabilities.iter().enumerate() {
            c.names.check(&format!("capabilities[{i}].names"), problems);
        }
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = Refs::new(self);
        let org = Kind::Organisation;
        refs.opt(
            "lead_org_id",
            Rel::Responsible,
            org,
            self.lead_org_id.as_ref(),
        );
        for (i, m) in self.milestones.iter().enumerate() {
            let at = format!("milestones[{i}]");
            refs.opt(
                format!("{at}.owner_org_id"),
                Rel::Responsible,
                org,
                m.owner_org_id.as_ref(),
            );
        }
        for (i, c) in self.conditions.iter().enumerate() {
            let at = format!("conditions[{i}]");
            refs.opt(
                format!("{at}.commitment_id"),
                Rel::Condition,
                Kind::Commitment,
                c.commitment_id.as_ref(),
            );
        }
        for (i, c) in self.capabilities.iter().enumerate() {
            let at = format!("capabilities[{i}]");
            refs.opt(
                format!("{at}.current_provider"),
                Rel::Responsible,
                org,
                Some(&c.current_provider),
            );
            refs.opt(
                format!("{at}.receiving_org_id"),
                Rel::Counterpart,
                org,
                c.receiving_org_id.as_ref(),
            );
            refs.opt(
                format!("{at}.place_id"),
                Rel::Place,
                Kind::Place,
                c.place_id.as_ref(),
            );
        }
        refs.0
    }

    fn search_texts(&self) -> Vec<&str> {
        let mut t: Vec<&str> = self.names.all().collect();
        t.extend(self.summary.as_ref().map(Text::as_str));
        t.extend(self.objectives.iter().map(Text::as_str));
        t.extend(self.milestones.iter().map(|m| m.title.as_str()));
        t
    }

    fn sort_key(&self) -> String {
        crate::text::sort_key(self.names.display())
    }

    crate::record::release_accessors!();
}

/// How an indicator stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrendStatus {
    /// The latest observation reaches the target.
    Met,
    /// At the current rate the target is reached on or before its date.
    OnTrack,
    /// At the current rate it is reached late, or not at all.
    Behind,
    /// Fewer than two observations (or all on one date): no rate, no judgement.
    Unknown,
}

/// Why no projected date is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoProjection {
    /// Fewer than two observations.
    TooFewObservations,
    /// Every observation has the same date.
    SameDate,
    /// The values are not moving towards the target.
    NotMovingTowardsTarget,
    /// Already reached.
    Met,
}

/// An indicator's observations read against its target: the current rate (least squares
/// over every observation, dated at the middle of its date range), the rate still needed
/// from the latest observation to reach the target on its date, and the date the target
/// would be reached at the current rate.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub observations: usize,
    /// The newest observation's value and (middle) date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_date: Option<NaiveDate>,
    pub target_value: f64,
    /// The last day the target's date can mean (`2026` → 31 December 2026).
    pub target_date: NaiveDate,
    /// Least-squares slope, per 30 days; none from fewer than two observations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_per_month: Option<f64>,
    /// What is still needed per 30 days from the latest observation to the target date;
    /// none when the target's date has passed or it is met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_per_month: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_projection: Option<NoProjection>,
    pub status: TrendStatus,
}

const MONTH_DAYS: f64 = 30.0;

/// The middle day of an observation's date range.
fn middle_day(t: &EventTime) -> NaiveDate {
    let start = t.start().date_naive();
    let end = t.end().date_naive();
    let half = (end - start).num_days() / 2;
    start + Days::new(u64::try_from(half).unwrap_or(0))
}

impl Indicator {
    /// The trend of the observations against the target (see [`Trend`]).
    /// The observations as (middle day, value), oldest first: what trends and charts read.
    pub fn points(&self) -> Vec<(NaiveDate, f64)> {
        let mut points: Vec<(NaiveDate, f64)> = self
            .observations
            .iter()
            .map(|o| (middle_day(&o.date), o.value))
            .collect();
        points.sort_by_key(|p| p.0);
        points
    }

    /// The newest observation.
    pub fn latest(&self) -> Option<&Observation> {
        self.observations.iter().max_by_key(|o| middle_day(&o.date))
    }

    pub fn trend(&self) -> Trend {
        let points = self.points();
        let target_value = self.target.value;
        let target_date = self.target.date.last_day();
        let latest = points.last().copied();
        // Rising towards the target unless the target lies below where it started.
        let rising = points.first().is_none_or(|(_, v)| target_value >= *v);
        let reached = |v: f64| {
            if rising {
                v >= target_value
            } else {
                v <= target_value
            }
        };
        let met = latest.is_some_and(|(_, v)| reached(v));
        let required_per_month = match latest {
            Some((d, v)) if !met && target_date > d => {
                Some((target_value - v) / (target_date - d).num_days() as f64 * MONTH_DAYS)
            }
            _ => None,
        };
        let mut trend = Trend {
            observations: points.len(),
            latest_value: latest.map(|p| p.1),
            latest_date: latest.map(|p| p.0),
            target_value,
            target_date,
            rate_per_month: None,
            required_per_month,
            projected_date: None,
            no_projection: None,
            status: TrendStatus::Unknown,
        };
        if met {
            trend.status = TrendStatus::Met;
            trend.no_projection = Some(NoProjection::Met);
            trend.rate_per_month = slope(&points).map(|b| b * MONTH_DAYS);
            return trend;
        }
        if points.len() < 2 {
            trend.no_projection = Some(NoProjection::TooFewObservations);
            return trend;
        }
        let Some(b) = slope(&points) else {
            trend.no_projection = Some(NoProjection::SameDate);
            return trend;
        };
        trend.rate_per_month = Some(b * MONTH_DAYS);
        let towards = if rising { b > 0.0 } else { b < 0.0 };
        if !towards {
            trend.no_projection = Some(NoProjection::NotMovingTowardsTarget);
            trend.status = TrendStatus::Behind;
            return trend;
        }
        // From the latest observation at the current rate: the first whole day on which
        // the target is reached.
        let (latest_day, latest_value) = latest.expect("two observations or more");
        let days = ((target_value - latest_value) / b).ceil();
        match (days.is_finite() && days < 1e6)
            .then(|| u64::try_from(days as i64).ok())
            .flatten()
            .and_then(|d| latest_day.checked_add_days(Days::new(d)))
        {
            Some(date) => {
                trend.projected_date = Some(date);
                trend.status = if date <= target_date {
                    TrendStatus::OnTrack
                } else {
                    TrendStatus::Behind
                };
            }
            None => {
                // Beyond the calendar: as good as never.
                trend.no_projection = Some(NoProjection::NotMovingTowardsTarget);
                trend.status = TrendStatus::Behind;
            }
        }
        trend
    }
}

/// The least-squares slope (per day) of the points, with days counted from the first
/// point's date; none if every point has the same date or there are fewer than two.
fn slope(points: &[(NaiveDate, f64)]) -> Option<f64> {
    let origin = points.first()?.0;
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let xs: Vec<f64> = points
        .iter()
        .map(|(d, _)| (*d - origin).num_days() as f64)
        .collect();
    let mx = xs.iter().sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, (_, y))| (x - mx) * (y - my))
        .sum();
    Some(sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn source() -> Source {
        serde_json::from_value(serde_json::json!({"publisher": "Test", "title": "Figures"}))
            .unwrap()
    }

    fn indicator(obs: &[(&str, f64)], target: f64, by: &str) -> Indicator {
        Indicator {
            key: "n".to_owned().try_into().unwrap(),
            names: Names::default(),
            unit: None,
            observations: obs
                .iter()
                .map(|(d, v)| Observation {
                    value: *v,
                    date: EventTime::parse(d, None).unwrap(),
                    source: source(),
                    confidence: Confidence::Moderate,
                })
                .collect(),
            target: Target {
                value: target,
                date: PartialDate::parse(by).unwrap(),
                source: None,
            },
        }
    }

    #[test]
    fn two_observations_project_along_their_line() {
        // 100 on 1 Jan, 200 on 11 Jan: 10 a day. 500 is reached on day 40 (10 Feb),
        // before the target date (end of February): on track. From 200 on 11 Jan, the
        // remaining 300 over the 48 days to 28 Feb needs 6.25 a day, 187.5 per 30 days.
        let t = indicator(
            &[("2025-01-01", 100.0), ("2025-01-11", 200.0)],
            500.0,
            "2025-02",
        )
        .trend();
        assert_eq!(t.observations, 2);
        assert_eq!(t.rate_per_month, Some(300.0));
        assert_eq!(t.required_per_month, Some(187.5));
        assert_eq!(t.projected_date, Some(day("2025-02-10")));
        assert_eq!(t.status, TrendStatus::OnTrack);
    }

    #[test]
    fn three_scattered_observations_fit_by_least_squares() {
        // (0, 0), (1, 1), (2, 3): least-squares slope 1.5 a day. From the latest (3 on
        // 3 Jan), the 3.5 still missing to 6.5 take 2.33 days, so the target is reached on
        // day 3 after it (6 Jan) — after the 5 Jan target: behind.
        let t = indicator(
            &[
                ("2025-01-01", 0.0),
                ("2025-01-02", 1.0),
                ("2025-01-03", 3.0),
            ],
            6.5,
            "2025-01-05",
        )
        .trend();
        assert_eq!(t.rate_per_month, Some(45.0));
        assert_eq!(t.projected_date, Some(day("2025-01-06")));
        assert_eq!(t.status, TrendStatus::Behind);
        // A late drop below the line does not project a date before the last observation.
        // Slope 3 a day; 20 to go from 60 on 21 Jan: 6.67 days, so 28 Jan.
        let t = indicator(
            &[
                ("2025-01-01", 0.0),
                ("2025-01-11", 100.0),
                ("2025-01-21", 60.0),
            ],
            80.0,
            "2025-12",
        )
        .trend();
        assert_eq!(t.projected_date, Some(day("2025-01-28")));
    }

    #[test]
    fn one_observation_gives_no_projection_and_says_why() {
        // 72 000 under the ministry in late May 2025, against 138 000 (DoD IG via
        // Kurdistan 24, 2025).
        let mut i = indicator(&[], 138_000.0, "2026");
        i.observations.push(Observation {
            value: 72_000.0,
            date: EventTime::parse("2025-05-21/2025-05-31", Some("late May".into())).unwrap(),
            source: source(),
            confidence: Confidence::Moderate,
        });
        let t = i.trend();
        assert_eq!(t.observations, 1);
        assert_eq!(t.latest_date, Some(day("2025-05-26")));
        assert_eq!(t.projected_date, None);
        assert_eq!(t.no_projection, Some(NoProjection::TooFewObservations));
        assert_eq!(t.status, TrendStatus::Unknown);
        // 66 000 to go over the 584 days from 26 May 2025 to 31 December 2026.
        let needed = t.required_per_month.unwrap();
        assert!((needed - 66_000.0 / 584.0 * 30.0).abs() < 1e-9, "{needed}");
    }

    #[test]
    fn falling_values_and_reached_targets_are_judged_too() {
        let flat = indicator(&[("2025-01-01", 10.0), ("2025-02-01", 9.0)], 20.0, "2026").trend();
        assert_eq!(
            flat.no_projection,
            Some(NoProjection::NotMovingTowardsTarget)
        );
        assert_eq!(flat.status, TrendStatus::Behind);
        let met = indicator(&[("2025-01-01", 10.0), ("2025-02-01", 25.0)], 20.0, "2026").trend();
        assert_eq!(met.status, TrendStatus::Met);
        assert_eq!(met.required_per_month, None);
        // A target below the start: falling towards it is progress.
        let down = indicator(
            &[("2025-01-01", 100.0), ("2025-01-11", 90.0)],
            50.0,
            "2025-12",
        )
        .trend();
        assert_eq!(down.projected_date, Some(day("2025-02-20")));
        assert_eq!(down.status, TrendStatus::OnTrack);
        let same = indicator(&[("2025-01-01", 1.0), ("2025-01-01", 2.0)], 5.0, "2026").trend();
        assert_eq!(same.no_projection, Some(NoProjection::SameDate));
    }

    fn milestone(key: &str, due: &str, status: Option<MilestoneStatus>) -> Milestone {
        Milestone {
            key: key.to_owned().try_into().unwrap(),
            title: "A step".to_owned().try_into().unwrap(),
            due: PartialDate::parse(due).unwrap(),
            owner_org_id: None,
            history: status
                .map(|s| MilestoneChange {
                    status: s,
                    at: "2025-01-01T00:00:00Z".parse().unwrap(),
                    by: "mopa".into(),
                    reason: None,
                })
                .into_iter()
                .collect(),
            evidence: vec![],
            sources: vec![],
        }
    }

    #[test]
    fn a_condition_follows_the_milestones_it_depends_on() {
        let mut p: ProgrammeData = serde_json::from_value(serde_json::json!({
            "kind": "reform", "names": {"en": "Reform plan"}, "owner_org_id": "mopa",
            "conditions": [{"key": "support", "text": "Support continues if reforms do", "milestones": ["a", "b"]}]
        }))
        .unwrap();
        let today = day("2025-06-01");
        let state = |p: &ProgrammeData| p.condition_state(&p.conditions[0], today);
        p.milestones = vec![
            milestone("a", "2025-12", None),
            milestone("b", "2026", Some(MilestoneStatus::InProgress)),
        ];
        assert_eq!(state(&p), ConditionState::Pending);
        p.milestones[0].due = PartialDate::parse("2025-05").unwrap();
        assert_eq!(state(&p), ConditionState::AtRisk, "a is overdue");
        p.milestones[0] = milestone("a", "2025-05", Some(MilestoneStatus::Done));
        p.milestones[1] = milestone("b", "2026", Some(MilestoneStatus::Done));
        assert_eq!(state(&p), ConditionState::Met);
        p.milestones[1] = milestone("b", "2026", Some(MilestoneStatus::Missed));
        assert_eq!(state(&p), ConditionState::NotMet);
    }

    #[test]
    fn a_condition_naming_an_unknown_milestone_is_refused() {
        let p: ProgrammeData = serde_json::from_value(serde_json::json!({
            "kind": "reform", "names": {"en": "Reform plan"}, "owner_org_id": "mopa",
            "milestones": [{"key": "a", "title": "A", "due": "2026"}, {"key": "a", "title": "B", "due": "2026"}],
            "conditions": [{"key": "c", "text": "T", "milestones": ["z"]}]
        }))
        .unwrap();
        let mut problems = Problems::default();
        p.check("p", &mut problems);
        let fields: Vec<String> = problems
            .into_result()
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["milestones[1]", "conditions[0].milestones[0]"]);
    }
}
