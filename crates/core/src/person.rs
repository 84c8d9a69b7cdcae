//! People: key leaders and officials, in their official roles only, with the positions
//! they have held over time.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::{OrganisationId, PersonId};
use crate::record::{Kind, RecordData, Reference, Rel, record_type, release_references};
use crate::time::PartialDate;
use crate::values::{Name, Names, Source};

/// A post held for a period, e.g. Commander of Sector 6 in the Ministry of Peshmerga Affairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub title: Name,
    pub organisation_id: OrganisationId,
    /// First known date in post, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PartialDate>,
    /// Last date in post; absent while the post is held (or not known to have ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<PartialDate>,
}

crate::record::release_fields! {
    /// A person as a client writes them.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct PersonData {
        pub names: Names,
        /// Rank or honorific, e.g. `Maj. Gen.`, `Col.`, `H.E.`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rank: Option<Name>,
        #[serde(default)]
        pub positions: Vec<Position>,
        #[serde(default)]
        pub sources: Vec<Source>,
    }
}

record_type!(
    /// A stored person.
    Person,
    PersonId,
    PersonData
);

impl RecordData for PersonData {
    const KIND: Kind = Kind::Person;

    fn check(&self, _own_id: &str, problems: &mut Problems) {
        self.names.check("names", problems);
        for (i, p) in self.positions.iter().enumerate() {
            if let (Some(from), Some(to)) = (p.from, p.to)
                && to.last_day() < from.first_day()
            {
                problems.add(
                    format!("positions[{i}].to"),
                    format!("ends ({to}) before it starts ({from})"),
                );
            }
        }
        crate::record::check_release(self, problems);
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = release_references(self);
        refs.extend(self.positions.iter().enumerate().map(|(i, p)| {
            Reference::new(
                format!("positions[{i}].organisation_id"),
                Rel::Position,
                Kind::Organisation,
                &p.organisation_id,
            )
        }));
        refs
    }

    /// Every name, the rank and the title of every position, held now or before: a
    /// person is found as "Chief of Staff" as well as by name.
    fn search_texts(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = self.names.all().collect();
        texts.extend(self.rank.iter().map(Name::as_str));
        texts.extend(self.positions.iter().map(|p| p.title.as_str()));
        texts
    }

    fn sort_key(&self) -> String {
        crate::text::sort_key(self.names.display())
    }

    crate::record::release_accessors!();
}
