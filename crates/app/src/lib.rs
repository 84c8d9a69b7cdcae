//! Hawkari use cases: what a user can do with the records, whatever the front end.
//!
//! The app checks each record's own rules, stamps server meta, enforces optimistic
//! concurrency and runs every change as one store transaction, in which the store checks
//! what needs the database (references exist, hierarchies have no loops). HTTP handlers
//! and CLI commands call it; it calls the store. Reads go through it too, so that the
//! access rules of later work apply in one place.
#![forbid(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod authz;
pub mod calendar;
pub mod clusters;
pub mod copy;
pub mod cot;
pub mod coverage;
mod csv_input;
pub mod dataset;
mod error;
pub mod federation;
pub mod geography;
pub mod ical;
mod import_datasets;
mod import_geojson;
pub mod import_jobs;
pub mod import_mapping;
pub mod import_spellings;
pub mod incident_export;
pub mod incident_import;
pub mod intake;
pub mod list_export;
pub mod notices;
pub mod programmes;
pub mod records;
mod seen;
pub mod spreadsheet;
pub mod synthetic;
pub mod tak_package;
pub mod views;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use hawkari_store::Store;

pub use auth::Principal;
pub use authz::{Action, Authorizer};
pub use error::AppError;
pub use records::RecordKind;

/// The application: a store, the authorisation policies and a clock.
#[derive(Debug, Clone)]
pub struct App {
    store: Arc<dyn Store>,
    authz: Arc<Authorizer>,
    fixed_now: Option<DateTime<Utc>>,
    /// The map's cluster index (kept in memory, brought up to date from the audit log).
    clusters: Arc<clusters::ClusterIndex>,
    /// Imports started from the web, in memory (see [`import_jobs`]).
    imports: Arc<import_jobs::ImportJobs>,
    /// When federating, the organisations this instance serves (set once by
    /// [`federation::start`], seen by every clone): records of others are read-only copies.
    federation_home: Arc<std::sync::OnceLock<Vec<hawkari_core::ids::OrganisationId>>>,
    /// When federating, this instance's home organisation: the origin of the
    /// contributions made here.
    federation_org: Arc<std::sync::OnceLock<hawkari_core::ids::OrganisationId>>,
}

impl App {
    /// The app over `store` with the shipped Cedar policies.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_policies(store, Authorizer::shipped())
    }

    /// The app with policies loaded (and validated) elsewhere, e.g. an admin's file.
    pub fn with_policies(store: Arc<dyn Store>, authz: Authorizer) -> Self {
        Self {
            store,
            authz: Arc::new(authz),
            fixed_now: None,
            clusters: Arc::default(),
            imports: Arc::default(),
            federation_home: Arc::default(),
            federation_org: Arc::default(),
        }
    }

    pub fn authorizer(&self) -> &Authorizer {
        &self.authz
    }

    /// The same app with its clock standing still at `now` (tests, reproducible runs).
    pub fn with_clock(mut self, now: DateTime<Utc>) -> Self {
        self.fixed_now = Some(now);
        self
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Now, to the millisecond (so stored and exported timestamps compare equal).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now).trunc_subsecs(3)
    }

    /// The day against which commitments are overdue.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Every record a list finds, page by page (each given to `each`); how many.
    pub(crate) async fn all_pages<T, L>(
        &self,
        mut list: impl FnMut(hawkari_store::PageRequest) -> L,
        mut each: impl FnMut(&T),
    ) -> Result<u64, AppError>
    where
        L: std::future::Future<Output = Result<hawkari_store::Page<T>, AppError>>,
    {
        let mut page = hawkari_store::PageRequest::first(hawkari_store::PageRequest::MAX_LIMIT);
        let mut rows = 0;
        loop {
            let found = list(page.clone()).await?;
            for item in &found.items {
                each(item);
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => return Ok(rows),
            }
        }
    }
}
