//! Reads: lists of each kind, and read models that combine records — a person's
//! history, what an organisation owes and is owed.

use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::engagement::Engagement;
use hawkari_core::organisation::Organisation;
use hawkari_core::person::{Person, Position};
use hawkari_core::place::Place;
use hawkari_core::topic::Topic;
use hawkari_store::{
    CommitmentFilter, EngagementFilter, OrganisationFilter, Page, PageRequest, PersonFilter,
    PlaceFilter,
};

use crate::{App, AppError, Principal};

/// A position with the name of its organisation, for reading without another lookup.
#[derive(Debug, Clone)]
pub struct PositionHeld {
    pub position: Position,
    pub organisation_name: String,
}

/// A person's positions over time (oldest first) and engagements (newest first).
#[derive(Debug, Clone)]
pub struct PersonHistory {
    pub person: Person,
    pub positions: Vec<PositionHeld>,
    pub engagements: Page<Engagement>,
}

/// What an organisation (with everything below it) owes and is owed.
#[derive(Debug, Clone)]
pub struct OrganisationCommitments {
    pub organisation: Organisation,
    pub owes: Page<Commitment>,
    pub owed: Page<Commitment>,
}

impl App {
    /// How many records of a list the principal may see, counting at most `most`.
    pub async fn count(
        &self,
        principal: &Principal,
        of: hawkari_store::ListOf<'_>,
        most: u64,
    ) -> Result<u64, AppError> {
        Ok(self.store.count(&principal.reach, of, most).await?)
    }

    pub async fn list_organisations(
        &self,
        principal: &Principal,
        f: &OrganisationFilter,
        page: &PageRequest,
    ) -> Result<Page<Organisation>, AppError> {
        Ok(self
            .store
            .list_organisations(&principal.reach, f, page)
            .await?)
    }

    pub async fn list_people(
        &self,
        principal: &Principal,
        f: &PersonFilter,
        page: &PageRequest,
    ) -> Result<Page<Person>, AppError> {
        Ok(self.store.list_people(&principal.reach, f, page).await?)
    }

    pub async fn list_places(
        &self,
        principal: &Principal,
        f: &PlaceFilter,
        page: &PageRequest,
    ) -> Result<Page<Place>, AppError> {
        Ok(self.store.list_places(&principal.reach, f, page).await?)
    }

    pub async fn list_engagements(
        &self,
        principal: &Principal,
        f: &EngagementFilter,
        page: &PageRequest,
    ) -> Result<Page<Engagement>, AppError> {
        Ok(self
            .store
            .list_engagements(&principal.reach, f, page)
            .await?)
    }

    pub async fn list_commitments(
        &self,
        principal: &Principal,
        f: &CommitmentFilter,
        page: &PageRequest,
    ) -> Result<Page<Commitment>, AppError> {
        Ok(self
            .store
            .list_commitments(&principal.reach, f, page)
            .await?)
    }

    pub async fn list_incidents(
        &self,
        principal: &Principal,
        f: &hawkari_store::IncidentFilter,
        page: &PageRequest,
    ) -> Result<Page<hawkari_core::incident::Incident>, AppError> {
        Ok(self.store.list_incidents(&principal.reach, f, page).await?)
    }

    /// The incidents matching `f` as points, for maps (see `Store::list_incident_points`).
    pub async fn list_incident_points(
        &self,
        principal: &Principal,
        f: &hawkari_store::IncidentFilter,
        page: &PageRequest,
    ) -> Result<Page<hawkari_store::IncidentPoint>, AppError> {
        Ok(self
            .store
            .list_incident_points(&principal.reach, f, page)
            .await?)
    }

    pub async fn list_topics(&self) -> Result<Vec<Topic>, AppError> {
        Ok(self.store.list_topics().await?)
    }

    pub async fn person_history(
        &self,
        principal: &Principal,
        id: &str,
        page: &PageRequest,
    ) -> Result<PersonHistory, AppError> {
        let person: Person = self.get(principal, id).await?;
        let mut positions = Vec::with_capacity(person.data.positions.len());
        for p in &person.data.positions {
            let organisation_name = match self
                .get::<Organisation>(principal, p.organisation_id.as_str())
                .await
            {
                Ok(o) => o.data.names.display().to_owned(),
                Err(AppError::NotFound { .. }) => p.organisation_id.to_string(),
                Err(e) => return Err(e),
            };
            positions.push(PositionHeld {
                position: p.clone(),
                organisation_name,
            });
        }
        // Undated positions sort first: nothing says they came later.
        positions.sort_by_key(|p| p.position.from.map(|d| d.first_day()));
        let filter = EngagementFilter {
            person_id: Some(person.id.clone()),
            ..Default::default()
        };
        let engagements = self
            .store
            .list_engagements(&principal.reach, &filter, page)
            .await?;
        Ok(PersonHistory {
            person,
            positions,
            engagements,
        })
    }

    /// Commitments owed by (`owes`) and to (`owed`) the organisation or any below it.
    pub async fn organisation_commitments(
        &self,
        principal: &Principal,
        id: &str,
        status: Option<CommitmentStatus>,
        owes_page: &PageRequest,
        owed_page: &PageRequest,
    ) -> Result<OrganisationCommitments, AppError> {
        let organisation: Organisation = self.get(principal, id).await?;
        let owes = CommitmentFilter {
            responsible_org_id: Some(organisation.id.clone()),
            status,
            ..Default::default()
        };
        let owed = CommitmentFilter {
            counterpart_org_id: Some(organisation.id.clone()),
            status,
            ..Default::default()
        };
        Ok(OrganisationCommitments {
            owes: self
                .store
                .list_commitments(&principal.reach, &owes, owes_page)
                .await?,
            owed: self
                .store
                .list_commitments(&principal.reach, &owed, owed_page)
                .await?,
            organisation,
        })
    }
}
