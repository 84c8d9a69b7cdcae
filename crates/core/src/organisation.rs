//! Organisations: coalition, ministries, commands, joint mechanisms, parties — a tree.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::OrganisationId;
use crate::record::{Kind, RecordData, Reference, Rel, record_type, release_references};
use crate::values::{Name, Names, Source};

/// What sort of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// The international coalition and its task forces and advisory groups.
    Coalition,
    /// Federal government of Iraq: ministries, army, commands.
    Federal,
    /// Kurdistan Region: presidency, government, Ministry of Peshmerga Affairs, sectors.
    Regional,
    /// Bodies belonging to several partners: coordination centres, joint brigades.
    JointMechanism,
    /// Political parties and their forces.
    Party,
    Other,
}

crate::record::release_fields! {
    /// An organisation as a client writes it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct OrganisationData {
        pub names: Names,
        /// Short form, e.g. `MoPA`, `CJTF-OIR`, `MAG-North`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub abbreviation: Option<Name>,
        pub kind: OrganisationKind,
        /// The organisation this one is part of. With `kind`, this decides who reads
        /// what: a release to an organisation reaches everyone below it by `parent_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parent_id: Option<OrganisationId>,
        /// Bodies this one also reports to besides its parent, e.g. a joint coordination
        /// centre answering to both the Ministry of Peshmerga Affairs and the Iraqi
        /// Army's command. A reporting line only: it changes no one's reach. Releases
        /// still follow `parent_id` alone (a record released to a ministry is not read
        /// by a body that merely answers to it, nor the other way round), and the
        /// organisation-tree filters (`within`, an `organisation_id` that includes
        /// sub-organisations) do not follow it either; so the owner's editors may keep
        /// it, like the names.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub answers_to: Vec<OrganisationId>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored organisation.
    Organisation,
    OrganisationId,
    OrganisationData
);

impl RecordData for OrganisationData {
    const KIND: Kind = Kind::Organisation;

    fn check(&self, own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        if self
            .parent_id
            .as_ref()
            .is_some_and(|p| p.as_str() == own_id)
        {
            problems.add("parent_id", "an organisation cannot be its own parent");
        }
        for (i, a) in self.answers_to.iter().enumerate() {
            if a.as_str() == own_id {
                problems.add(
                    format!("answers_to[{i}]"),
                    "an organisation does not answer to itself",
                );
            }
        }
        crate::record::check_unique("answers_to", &self.answers_to, problems);
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        refs.extend(
            self.parent_id
                .iter()
                .map(|p| Reference::new("parent_id", Rel::Parent, Kind::Organisation, p)),
        );
        refs.extend(self.answers_to.iter().enumerate().map(|(i, a)| {
            Reference::new(
                format!("answers_to[{i}]"),
                Rel::AnswersTo,
                Kind::Organisation,
                a,
            )
        }));
        refs
    }

    fn search_texts(&self) -> Vec<&str> {
        self.names
            .all()
            .chain(self.abbreviation.iter().map(Name::as_str))
            .collect()
    }

    fn sort_key(&self) -> String {
        crate::text::sort_key(self.names.display())
    }

    crate::record::release_accessors!();
}
