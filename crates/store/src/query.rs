//! What list queries take: filters per kind, and keyset pagination with opaque cursors.

use chrono::{DateTime, NaiveDate, Utc};
use hawkari_core::commitment::CommitmentStatus;
use hawkari_core::engagement::EngagementKind;
use hawkari_core::ids::{EngagementId, OrganisationId, PersonId, TopicCode};
use hawkari_core::organisation::OrganisationKind;
use hawkari_core::place::PlaceKind;

/// A position in a sorted list: the sort key and id of the last row seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: String,
}

impl Cursor {
    /// Hex of `key \x1f id`: opaque to clients and safe in a URL.
    pub fn encode(&self) -> String {
        let raw = format!("{}\u{1f}{}", self.key, self.id);
        raw.bytes().map(|b| format!("{b:02x}")).collect()
    }

    pub fn decode(s: &str) -> Option<Self> {
        // Hex digits only: `from_str_radix` alone would also take a sign (`+f`).
        if !s.len().is_multiple_of(2) || s.len() > 1024 || !s.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect();
        let raw = String::from_utf8(bytes?).ok()?;
        let (key, id) = raw.split_once('\u{1f}')?;
        Some(Self {
            key: key.to_owned(),
            id: id.to_owned(),
        })
    }
}

/// Which page of a list to read.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;

    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(Self::DEFAULT_LIMIT)
    }
}

/// One page of a list and where the next one starts (`None` on the last page).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// The page with each item mapped, keeping those `f` returns.
    pub fn map<U>(self, f: impl FnMut(T) -> Option<U>) -> Page<U> {
        Page {
            items: self.items.into_iter().filter_map(f).collect(),
            next: self.next,
        }
    }
}

/// The order a list is read in: its own (by name A–Z; newest first for engagements),
/// or the reverse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Natural,
    Reversed,
}

/// The orders of the incident list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IncidentSort {
    /// By start, newest first.
    #[default]
    Newest,
    /// By start, oldest first.
    Oldest,
    /// By the best estimate of people killed (all parties), most first; newest first
    /// among equals.
    MostKilled,
}

#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Text in any name, alias or abbreviation, in any script.
    pub q: Option<String>,
    pub kind: Option<OrganisationKind>,
    /// Direct children of this organisation.
    pub parent_id: Option<OrganisationId>,
    /// This organisation and everything below it (by `parent_id`; `answers_to` is not
    /// followed: it is a reporting line, not the tree that releases reach through).
    pub within: Option<OrganisationId>,
    /// Organisations whose `answers_to` names this one.
    pub answers_to: Option<OrganisationId>,
    pub sort: Sort,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Text in any name, the rank, or the title of any position held now or before.
    pub q: Option<String>,
    /// People who have held a position in this organisation or below it.
    pub organisation_id: Option<OrganisationId>,
    pub sort: Sort,
}

#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    pub q: Option<String>,
    pub kind: Option<PlaceKind>,
}

#[derive(Debug, Clone, Default)]
pub struct EngagementFilter {
    /// Engagements whose date range reaches on or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Engagements whose date range starts on or before this instant.
    pub to: Option<DateTime<Utc>>,
    /// With a participating organisation in this organisation's subtree.
    pub organisation_id: Option<OrganisationId>,
    /// With this person participating.
    pub person_id: Option<PersonId>,
    pub topic: Option<TopicCode>,
    pub kind: Option<EngagementKind>,
    /// Text in the title, summary, objectives, outcomes, tags, or a participant's names
    /// (a person's with their rank and the titles of their positions).
    pub q: Option<String>,
    /// Newest first (natural) or oldest first.
    pub sort: Sort,
}

#[derive(Debug, Clone, Default)]
pub struct CommitmentFilter {
    pub status: Option<CommitmentStatus>,
    /// Pending and due before this day.
    pub overdue_on: Option<NaiveDate>,
    /// Owed by this organisation or one below it.
    pub responsible_org_id: Option<OrganisationId>,
    /// Owed to this organisation or one below it.
    pub counterpart_org_id: Option<OrganisationId>,
    pub responsible_person_id: Option<PersonId>,
    pub engagement_id: Option<EngagementId>,
    pub due_before: Option<NaiveDate>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            key: "2025-05-21T00:00:00Z".into(),
            id: "e-1".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("zz"), None);
        assert_eq!(Cursor::decode("abc"), None);
        assert_eq!(Cursor::decode("6162"), None, "no separator");
        assert_eq!(Cursor::decode("+a1f"), None, "a sign is not a hex digit");
    }
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    /// Incidents whose date range reaches on or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Incidents whose date range starts on or before this instant.
    pub to: Option<DateTime<Utc>>,
    /// West, south, east, north (degrees): the map's viewport.
    pub bbox: Option<[f64; 4]>,
    pub incident_type: Option<hawkari_core::incident::IncidentType>,
    /// A governorate, district or sub-district P-code.
    pub admin: Option<String>,
    /// With this organisation as an actor.
    pub organisation_id: Option<OrganisationId>,
    pub q: Option<String>,
    pub sort: IncidentSort,
}

#[derive(Debug, Clone, Default)]
pub struct ProgrammeFilter {
    pub kind: Option<hawkari_core::programme::ProgrammeKind>,
    pub q: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OperationFilter {
    /// Operations whose period includes this day.
    pub on: Option<NaiveDate>,
    pub q: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AreaFilter {
    pub kind: Option<hawkari_core::area::AreaKind>,
    /// Areas in force on this day.
    pub in_force_on: Option<NaiveDate>,
    pub organisation_id: Option<OrganisationId>,
    pub q: Option<String>,
}
