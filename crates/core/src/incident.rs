//! Incidents: attacks, threats and security events, by time and place, with the sources
//! that report them graded for reliability. No personal data about victims: casualties
//! are counts per party, each as a low / best / high estimate.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{EngagementId, IncidentId, OrganisationId};
use crate::record::{
    Kind, RecordData, Reference, Rel, check_unique, record_type, release_references,
};
use crate::time::EventTime;
use crate::values::{Name, Point, Source, Text};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentType {
    ArmedClash,
    HitAndRun,
    Ied,
    SuicideBombing,
    VehicleBorneBomb,
    IndirectFire,
    Abduction,
    Assassination,
    Arson,
    AttackOnInfrastructure,
    SecurityOperation,
    StrategicDevelopment,
    Other,
}

impl IncidentType {
    pub const ALL: [IncidentType; 13] = [
        IncidentType::ArmedClash,
        IncidentType::HitAndRun,
        IncidentType::Ied,
        IncidentType::SuicideBombing,
        IncidentType::VehicleBorneBomb,
        IncidentType::IndirectFire,
        IncidentType::Abduction,
        IncidentType::Assassination,
        IncidentType::Arson,
        IncidentType::AttackOnInfrastructure,
        IncidentType::SecurityOperation,
        IncidentType::StrategicDevelopment,
        IncidentType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IncidentType::ArmedClash => "armed_clash",
            IncidentType::HitAndRun => "hit_and_run",
            IncidentType::Ied => "ied",
            IncidentType::SuicideBombing => "suicide_bombing",
            IncidentType::VehicleBorneBomb => "vehicle_borne_bomb",
            IncidentType::IndirectFire => "indirect_fire",
            IncidentType::Abduction => "abduction",
            IncidentType::Assassination => "assassination",
            IncidentType::Arson => "arson",
            IncidentType::AttackOnInfrastructure => "attack_on_infrastructure",
            IncidentType::SecurityOperation => "security_operation",
            IncidentType::StrategicDevelopment => "strategic_development",
            IncidentType::Other => "other",
        }
    }
}

impl std::str::FromStr for IncidentType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        IncidentType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not an incident type"))
    }
}

/// How precisely the point is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// The spot itself.
    #[default]
    Exact,
    /// Near a named place (a town, a village).
    Near,
    /// Somewhere in the sub-district; the point is its centre.
    SubDistrict,
    /// Somewhere in the district.
    District,
    /// Somewhere in the governorate.
    Governorate,
}

/// Who was involved: an organisation of the registry, or a named armed group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentActor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    /// E.g. "ISIS" where the actor is not in the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// `perpetrator`, `target`, `responder`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Name>,
}

/// Whose casualties a count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    SecurityForces,
    Civilians,
    Attackers,
    Unknown,
}

/// A count as sources give it: at least `low`, most likely `best`, at most `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    pub low: u32,
    pub best: u32,
    pub high: u32,
}

/// Killed and injured of one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    pub party: Party,
    #[serde(default)]
    pub killed: Estimate,
    #[serde(default)]
    pub injured: Estimate,
}

/// A source with its grading: reliability of the source (A completely reliable … F cannot
/// be judged) and credibility of the information (1 confirmed … 6 cannot be judged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradedSource {
    #[serde(flatten)]
    pub source: Source,
    pub reliability: Reliability,
    #[schema(minimum = 1, maximum = 6)]
    pub credibility: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// The P-codes of the units an incident's point lies in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminUnits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governorate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_district: Option<String>,
}

/// An incident as a client writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentData {
    pub when: EventTime,
    pub point: Point,
    #[serde(default)]
    pub location_precision: LocationPrecision,
    /// The nearest named place, in words ("near Tuz Khurmatu").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_name: Option<Name>,
    #[serde(rename = "type")]
    pub incident_type: IncidentType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<Name>,
    #[serde(default)]
    pub actors: Vec<IncidentActor>,
    #[serde(default)]
    pub casualties: Vec<Casualties>,
    #[serde(default)]
    pub sources: Vec<GradedSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<Text>,
    /// Engagements that discussed it.
    #[serde(default)]
    pub engagement_ids: Vec<EngagementId>,
    /// Filled by the server from the point (reverse geocoding); sent values are replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_units: Option<AdminUnits>,
    /// The source dataset's own id (e.g. ACLED `event_id_cnty`), so re-imports update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<Name>,
    pub owner_org_id: OrganisationId,
    #[serde(default)]
    pub releasable_to: Vec<OrganisationId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub release_groups: Vec<crate::access::ReleaseGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<Name>,
}

record_type!(
    /// A stored incident.
    Incident,
    IncidentId,
    IncidentData
);

impl RecordData for IncidentData {
    const KIND: Kind = Kind::Incident;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.point.check("point", problems);
        for (i, a) in self.actors.iter().enumerate() {
            if a.organisation_id.is_none() && a.name.is_none() {
                problems.add(format!("actors[{i}]"), "give an organisation_id or a name");
            }
        }
        let mut parties = Vec::new();
        for (i, c) in self.casualties.iter().enumerate() {
            for (what, e) in [("killed", c.killed), ("injured", c.injured)] {
                if !(e.low <= e.best && e.best <= e.high) {
                    problems.add(
                        format!("casualties[{i}].{what}"),
                        "must satisfy low ≤ best ≤ high",
                    );
                }
            }
            if parties.contains(&c.party) {
                problems.add(
                    format!("casualties[{i}].party"),
                    "this party is counted twice",
                );
            }
            parties.push(c.party);
        }
        for (i, s) in self.sources.iter().enumerate() {
            if !(1..=6).contains(&s.credibility) {
                problems.add(
                    format!("sources[{i}].credibility"),
                    "must be 1 (confirmed) to 6 (cannot be judged)",
                );
            }
        }
        check_unique("engagement_ids", &self.engagement_ids, problems);
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        for (i, a) in self.actors.iter().enumerate() {
            if let Some(o) = &a.organisation_id {
                refs.push(Reference::new(
                    format!("actors[{i}].organisation_id"),
                    Rel::Participant,
                    Kind::Organisation,
                    o,
                ));
            }
        }
        for (i, e) in self.engagement_ids.iter().enumerate() {
            refs.push(Reference::new(
                format!("engagement_ids[{i}]"),
                Rel::Engagement,
                Kind::Engagement,
                e,
            ));
        }
        refs
    }

    fn search_texts(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = self.narrative.iter().map(Text::as_str).collect();
        texts.extend(
            self.place_name
                .iter()
                .chain(&self.sub_type)
                .map(Name::as_str),
        );
        texts.extend(
            self.actors
                .iter()
                .filter_map(|a| a.name.as_ref())
                .map(Name::as_str),
        );
        texts
    }

    fn sort_key(&self) -> String {
        crate::time::rfc3339(self.when.start())
    }

    crate::record::release_accessors!();
}

impl Incident {
    /// Killed, best estimate, all parties.
    pub fn killed_best(&self) -> u32 {
        self.data.casualties.iter().map(|c| c.killed.best).sum()
    }
}
