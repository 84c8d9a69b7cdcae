//! Commitments: actions agreed in an engagement — who owes what to whom, by when, and
//! what became of it. Whether one is overdue is derived from the due date and the status,
//! never stored.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{CommitmentId, EngagementId, OrganisationId, PersonId};
use crate::record::{Kind, RecordData, Reference, Rel, release_references};
use crate::time::PartialDate;
use crate::values::{Source, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    Open,
    InProgress,
    Done,
    Dropped,
}

impl CommitmentStatus {
    pub const ALL: [CommitmentStatus; 4] = [
        CommitmentStatus::Open,
        CommitmentStatus::InProgress,
        CommitmentStatus::Done,
        CommitmentStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Open => "open",
            CommitmentStatus::InProgress => "in_progress",
            CommitmentStatus::Done => "done",
            CommitmentStatus::Dropped => "dropped",
        }
    }

    /// Still expected to happen, so it can fall overdue.
    pub fn is_pending(self) -> bool {
        matches!(self, CommitmentStatus::Open | CommitmentStatus::InProgress)
    }
}

impl std::str::FromStr for CommitmentStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "open" => Self::Open,
            "in_progress" => Self::InProgress,
            "done" => Self::Done,
            "dropped" => Self::Dropped,
            _ => {
                return Err(format!(
                    "`{s}` is not a status: use open, in_progress, done or dropped"
                ));
            }
        })
    }
}

/// One entry of a commitment's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: CommitmentStatus,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// A note of evidence that a commitment is being kept (or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub note: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

crate::record::release_fields! {
    /// A commitment as a client writes it. Its status history is changed only through status
    /// changes, so it is not part of this input.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct CommitmentData {
        /// The engagement in which it was agreed.
        pub engagement_id: EngagementId,
        /// What was promised.
        pub text: Text,
        /// The organisation that owes the action.
        pub responsible_org_id: OrganisationId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub responsible_person_id: Option<PersonId>,
        /// The organisation the action is owed to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub counterpart_org_id: Option<OrganisationId>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::time::opt_day"
        )]
        #[schema(value_type = Option<String>, format = Date)]
        pub due: Option<NaiveDate>,
        /// What the promise depends on, e.g. "if the Prime Minister allocates a budget".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub condition: Option<Text>,
        #[serde(default)]
        pub evidence: Vec<Evidence>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

/// A stored commitment: its content, its status history (oldest first), and server meta.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub id: CommitmentId,
    #[serde(flatten)]
    pub data: CommitmentData,
    /// Every status it has had, oldest first; the last is the current status.
    pub status_history: Vec<StatusChange>,
    #[serde(flatten)]
    pub meta: crate::meta::Meta,
}

impl Commitment {
    /// The current status: the latest entry of the history.
    pub fn status(&self) -> CommitmentStatus {
        self.status_history
            .last()
            .map(|c| c.status)
            .unwrap_or(CommitmentStatus::Open)
    }

    /// Past its due date and still pending, as of `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status().is_pending() && self.data.due.is_some_and(|d| d < today)
    }
}

impl RecordData for CommitmentData {
    const KIND: Kind = Kind::Commitment;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        if self.counterpart_org_id.as_ref() == Some(&self.responsible_org_id) {
            problems.add(
                "counterpart_org_id",
                "the counterpart must differ from the responsible organisation",
            );
        }
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        refs.push(Reference::new(
            "engagement_id",
            Rel::Engagement,
            Kind::Engagement,
            &self.engagement_id,
        ));
        refs.push(Reference::new(
            "responsible_org_id",
            Rel::Responsible,
            Kind::Organisation,
            &self.responsible_org_id,
        ));
        if let Some(p) = &self.responsible_person_id {
            refs.push(Reference::new(
                "responsible_person_id",
                Rel::Responsible,
                Kind::Person,
                p,
            ));
        }
        if let Some(o) = &self.counterpart_org_id {
            refs.push(Reference::new(
                "counterpart_org_id",
                Rel::Counterpart,
                Kind::Organisation,
                o,
            ));
        }
        refs
    }

    fn search_texts(&self) -> Vec<&str> {
        let mut texts = vec![self.text.as_str()];
        texts.extend(self.condition.iter().map(Text::as_str));
        texts.extend(self.evidence.iter().map(|e| e.note.as_str()));
        texts
    }

    /// Lists run by due date, undated last.
    fn sort_key(&self) -> String {
        self.due
            .map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string())
    }

    crate::record::release_accessors!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Meta;

    fn commitment(due: Option<&str>, history: &[CommitmentStatus]) -> Commitment {
        let at = "2025-01-01T00:00:00Z".parse().unwrap();
        Commitment {
            id: "c1".parse().unwrap(),
            data: CommitmentData {
                engagement_id: "e1".parse().unwrap(),
                text: Text::try_from("Coordinate polling station security".to_string()).unwrap(),
                responsible_org_id: "mopa".parse().unwrap(),
                responsible_person_id: None,
                counterpart_org_id: None,
                due: due.map(|d| d.parse().unwrap()),
                condition: None,
                evidence: vec![],
                sources: vec![],
                owner_org_id: "mopa".parse().unwrap(),
                releasable_to: vec![],
                release_groups: vec![],
                caveat: None,
            },
            status_history: history
                .iter()
                .map(|s| StatusChange {
                    status: *s,
                    at,
                    by: "t".into(),
                    reason: None,
                })
                .collect(),
            meta: Meta::new("t", at),
        }
    }

    #[test]
    fn a_pending_commitment_past_its_due_date_is_overdue() {
        let today = "2025-11-12".parse().unwrap();
        assert!(commitment(Some("2025-11-11"), &[CommitmentStatus::Open]).is_overdue(today));
        assert!(
            commitment(
                Some("2025-11-11"),
                &[CommitmentStatus::Open, CommitmentStatus::InProgress]
            )
            .is_overdue(today)
        );
    }

    #[test]
    fn done_dropped_undated_or_due_today_is_not_overdue() {
        let today = "2025-11-12".parse().unwrap();
        assert!(
            !commitment(
                Some("2025-11-11"),
                &[CommitmentStatus::Open, CommitmentStatus::Done]
            )
            .is_overdue(today)
        );
        assert!(!commitment(Some("2025-11-11"), &[CommitmentStatus::Dropped]).is_overdue(today));
        assert!(!commitment(None, &[CommitmentStatus::Open]).is_overdue(today));
        assert!(!commitment(Some("2025-11-12"), &[CommitmentStatus::Open]).is_overdue(today));
    }
}
