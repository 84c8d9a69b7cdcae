//! Joint tasking: an operation over a period (e.g. securing the election of 11 November
//! 2025) and its sites — polling centres, border crossings, checkpoints — each with a
//! lead force, supporting forces, a liaison (an organisation and a role, never a personal
//! phone number), status reports over time and the incidents that touched it.
//!
//! A site with no lead force is the gap this record exists to show: see
//! [`OperationData::without_lead`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{IncidentId, OperationId, OrganisationId, PlaceId};
use crate::incident::AdminUnits;
use crate::record::{Kind, RecordData, Reference, Refs, Rel, check_unique, record_type};
use crate::time::PartialDate;
use crate::values::{Name, Names, Point, Source, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    PollingCentre,
    BorderCrossing,
    Checkpoint,
    Other,
}

impl SiteKind {
    pub const ALL: [SiteKind; 4] = [
        Self::PollingCentre,
        Self::BorderCrossing,
        Self::Checkpoint,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PollingCentre => "polling_centre",
            Self::BorderCrossing => "border_crossing",
            Self::Checkpoint => "checkpoint",
            Self::Other => "other",
        }
    }
}

impl std::str::FromStr for SiteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a kind of site: use polling_centre, border_crossing, \
                     checkpoint or other"
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    Manned,
    Incident,
    Closed,
}

impl SiteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manned => "manned",
            Self::Incident => "incident",
            Self::Closed => "closed",
        }
    }
}

/// Who to call about a site: an organisation and a role ("JCC Kirkuk duty officer").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Liaison {
    pub organisation_id: OrganisationId,
    pub role: Name,
}

/// A report of a site's state at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteReport {
    pub status: SiteStatus,
    pub at: DateTime<Utc>,
    /// The account or organisation that reported it (set by the server).
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A place the operation secures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique within the operation; imports update sites by it.
    pub key: Name,
    pub names: Names,
    pub kind: SiteKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<PlaceId>,
    /// Filled by the server from the point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_units: Option<AdminUnits>,
    /// The force leading the site's security; none is a gap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_org_id: Option<OrganisationId>,
    #[serde(default)]
    pub supporting_org_ids: Vec<OrganisationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liaison: Option<Liaison>,
    /// Oldest first; the last is the site's current status.
    #[serde(default)]
    pub reports: Vec<SiteReport>,
    #[serde(default)]
    pub incident_ids: Vec<IncidentId>,
}

impl Site {
    /// A site's own rules; fields are named after `at` (`sites[3].`, or nothing).
    pub fn check(&self, at: &str, problems: &mut Problems) {
        self.names.check(&format!("{at}names"), problems);
        match &self.point {
            Some(p) => p.check(&format!("{at}point"), problems),
            None if self.place_id.is_none() => {
                problems.add(format!("{at}point"), "give a point or a place_id")
            }
            None => {}
        }
        check_unique(
            &format!("{at}supporting_org_ids"),
            &self.supporting_org_ids,
            problems,
        );
        if let Some(lead) = &self.lead_org_id
            && self.supporting_org_ids.contains(lead)
        {
            problems.add(
                format!("{at}supporting_org_ids"),
                format!("`{lead}` leads the site; it cannot also support it"),
            );
        }
        for (j, w) in self.reports.windows(2).enumerate() {
            if w[1].at < w[0].at {
                problems.add(
                    format!("{at}reports[{}].at", j + 1),
                    "is earlier than the report before it",
                );
            }
        }
    }

    /// The latest report's status; none before the first report.
    pub fn status(&self) -> Option<SiteStatus> {
        self.reports.last().map(|r| r.status)
    }
}

crate::record::release_fields! {
    /// An operation as a client writes it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct OperationData {
        pub names: Names,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<Text>,
        pub start: PartialDate,
        pub end: PartialDate,
        /// The joint body tasking it, e.g. the Supreme Committee for Election Security.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub lead_org_id: Option<OrganisationId>,
        #[serde(default)]
        pub sites: Vec<Site>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored operation.
    Operation,
    OperationId,
    OperationData
);

impl OperationData {
    /// The sites no force leads: the first thing an operation's page shows.
    pub fn without_lead(&self) -> impl Iterator<Item = &Site> {
        self.sites.iter().filter(|s| s.lead_org_id.is_none())
    }
}

impl RecordData for OperationData {
    const KIND: Kind = Kind::Operation;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        if self.end.last_day() < self.start.first_day() {
            problems.add("end", "ends before it starts");
        }
        let keys: Vec<&str> = self.sites.iter().map(|s| s.key.as_str()).collect();
        check_unique("sites", &keys, problems);
        for (i, s) in self.sites.iter().enumerate() {
            s.check(&format!("sites[{i}]."), problems);
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
        for (i, s) in self.sites.iter().enumerate() {
            let at = format!("sites[{i}]");
            refs.opt(
                format!("{at}.lead_org_id"),
                Rel::Responsible,
                org,
                s.lead_org_id.as_ref(),
            );
            refs.list(
                &format!("{at}.supporting_org_ids"),
                Rel::Participant,
                org,
                &s.supporting_org_ids,
            );
            let liaison = s.liaison.as_ref().map(|l| &l.organisation_id);
            refs.opt(
                format!("{at}.liaison.organisation_id"),
                Rel::Counterpart,
                org,
                liaison,
            );
            refs.opt(
                format!("{at}.place_id"),
                Rel::Place,
                Kind::Place,
                s.place_id.as_ref(),
            );
            refs.list(
                &format!("{at}.incident_ids"),
                Rel::Incident,
                Kind::Incident,
                &s.incident_ids,
            );
        }
        refs.0
    }

    fn search_texts(&self) -> Vec<&str> {
        let mut t: Vec<&str> = self.names.all().collect();
        t.extend(self.summary.as_ref().map(Text::as_str));
        t.extend(self.sites.iter().flat_map(|s| s.names.all()));
        t
    }

    fn sort_key(&self) -> String {
        // Newest first is the useful order; the start date sorts them.
        format!("{}", self.start.first_day())
    }

    crate::record::release_accessors!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(sites: serde_json::Value) -> OperationData {
        serde_json::from_value(serde_json::json!({
            "names": {"en": "Election security"}, "start": "2025-11-01", "end": "2025-11-15",
            "owner_org_id": "joc-baghdad", "sites": sites
        }))
        .unwrap()
    }

    fn fields(o: &OperationData) -> Vec<String> {
        let mut problems = Problems::default();
        o.check("op", &mut problems);
        problems
            .into_result()
            .err()
            .map(|v| v.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn sites_without_a_lead_force_are_the_gaps() {
        let o = operation(serde_json::json!([
            {"key": "a", "names": {"en": "Kirkuk polling centre 1"}, "kind": "polling_centre",
             "point": {"lat": 35.46, "lon": 44.39}, "lead_org_id": "iraqi-army"},
            {"key": "b", "names": {"en": "Tuz polling centre 4"}, "kind": "polling_centre",
             "point": {"lat": 34.88, "lon": 44.63}},
            {"key": "c", "names": {"en": "Fishkhabour crossing"}, "kind": "border_crossing",
             "point": {"lat": 37.08, "lon": 42.38}, "supporting_org_ids": ["mopa"]}
        ]));
        assert!(fields(&o).is_empty());
        let gaps: Vec<&str> = o.without_lead().map(|s| s.key.as_str()).collect();
        assert_eq!(gaps, ["b", "c"]);
    }

    #[test]
    fn bad_sites_are_named() {
        let o = operation(serde_json::json!([
            {"key": "a", "names": {"en": "A"}, "kind": "checkpoint"},
            {"key": "a", "names": {"en": "B"}, "kind": "checkpoint", "point": {"lat": 135.0, "lon": 44.0},
             "lead_org_id": "mopa", "supporting_org_ids": ["mopa"]}
        ]));
        assert_eq!(
            fields(&o),
            [
                "sites[1]",
                "sites[0].point",
                "sites[1].point.lat",
                "sites[1].supporting_org_ids"
            ]
        );
    }
}
