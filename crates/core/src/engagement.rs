//! Engagements: key leader engagements, delegation visits, calls, joint committee
//! sessions and public statements — who met whom, when, where, about what, with what result.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{EngagementId, OrganisationId, PersonId, PlaceId, TopicCode};
use crate::record::{
    Kind, RecordData, Reference, Rel, check_unique, record_type, release_references,
};
use crate::time::EventTime;
use crate::values::{Confidence, Name, Source, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngagementKind {
    KeyLeaderEngagement,
    DelegationVisit,
    Call,
    JointCommitteeSession,
    PublicStatement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    Lead,
    Participant,
    Host,
    NoteTaker,
    Interpreter,
}

/// Someone who took part: a person, an organisation, or a person on behalf of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    pub role: ParticipantRole,
    /// E.g. "unnamed Peshmerga general" where the source gives no name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Name>,
}

crate::record::release_fields! {
    /// An engagement as a client writes it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct EngagementData {
        pub kind: EngagementKind,
        /// A short title for lists, e.g. "Sector 6 commander meets MAG-North deputy director".
        pub title: Name,
        pub when: EventTime,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub place_id: Option<PlaceId>,
        pub participants: Vec<Participant>,
        /// Codes from the topic vocabulary.
        #[serde(default)]
        pub topics: Vec<TopicCode>,
        /// Free tags.
        #[serde(default)]
        pub tags: Vec<Name>,
        #[serde(default)]
        pub objectives: Vec<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<Text>,
        #[serde(default)]
        pub outcomes: Vec<Text>,
        /// The earlier engagement this one follows up.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub follow_up_of: Option<EngagementId>,
        #[serde(default)]
        pub sources: Vec<Source>,
        #[serde(default)]
        pub confidence: Confidence,
    }
}

record_type!(
    /// A stored engagement.
    Engagement,
    EngagementId,
    EngagementData
);

impl RecordData for EngagementData {
    const KIND: Kind = Kind::Engagement;

    fn check(&self, own_id: &str, problems: &mut Problems) {
        if self.participants.is_empty() {
            problems.add(
                "participants",
                "an engagement needs at least one participant",
            );
        }
        for (i, p) in self.participants.iter().enumerate() {
            if p.person_id.is_none() && p.organisation_id.is_none() {
                problems.add(
                    format!("participants[{i}]"),
                    "give a person_id, an organisation_id, or both",
                );
            }
        }
        if self
            .follow_up_of
            .as_ref()
            .is_some_and(|f| f.as_str() == own_id)
        {
            problems.add("follow_up_of", "an engagement cannot follow up itself");
        }
        check_unique("topics", &self.topics, problems);
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        for (i, p) in self.participants.iter().enumerate() {
            if let Some(id) = &p.person_id {
                let field = format!("participants[{i}].person_id");
                refs.push(Reference::new(field, Rel::Participant, Kind::Person, id));
            }
            if let Some(id) = &p.organisation_id {
                let field = format!("participants[{i}].organisation_id");
                refs.push(Reference::new(
                    field,
                    Rel::Participant,
                    Kind::Organisation,
                    id,
                ));
            }
        }
        for (i, t) in self.topics.iter().enumerate() {
            refs.push(Reference::new(
                format!("topics[{i}]"),
                Rel::Topic,
                Kind::Topic,
                t,
            ));
        }
        if let Some(p) = &self.place_id {
            refs.push(Reference::new("place_id", Rel::Place, Kind::Place, p));
        }
        if let Some(e) = &self.follow_up_of {
            refs.push(Reference::new(
                "follow_up_of",
                Rel::FollowUpOf,
                Kind::Engagement,
                e,
            ));
        }
        refs
    }

    fn search_texts(&self) -> Vec<&str> {
        let mut texts = vec![self.title.as_str()];
        texts.extend(self.summary.iter().map(Text::as_str));
        texts.extend(
            self.objectives
                .iter()
                .chain(&self.outcomes)
                .map(Text::as_str),
        );
        texts.extend(self.tags.iter().map(Name::as_str));
        texts.extend(
            self.participants
                .iter()
                .filter_map(|p| p.note.as_ref())
                .map(Name::as_str),
        );
        texts
    }

    /// Lists run newest first by the start of the engagement's date range.
    fn sort_key(&self) -> String {
        crate::time::rfc3339(self.when.start())
    }

    crate::record::release_accessors!();
}
