//! Hawkari storage: the [`Store`] trait that the application speaks, the query types it
//! takes, and one module per backend, each owning its migrations.
//!
//! A backend is picked at runtime from the database URL ([`open`]); each is compiled as a
//! concrete type. Row shapes stay inside the backend: callers see core domain types.
#![forbid(unsafe_code)]

pub mod accounts;
mod checks;
mod error;
pub mod map_index;
pub mod notices;
pub mod outbox;
mod plan;
pub mod postgres;
mod query;
mod record_row;
pub mod sqlite;
pub mod tables;
mod write_path;

use async_trait::async_trait;
use hawkari_core::access::{Comment, User};
use hawkari_core::area::Area;
use hawkari_core::commitment::Commitment;
use hawkari_core::engagement::Engagement;
use hawkari_core::ids::TopicCode;
use hawkari_core::incident::Incident;
use hawkari_core::operation::Operation;
use hawkari_core::organisation::Organisation;
use hawkari_core::person::Person;
use hawkari_core::place::Place;
use hawkari_core::programme::Programme;
use hawkari_core::record::Kind;
use hawkari_core::topic::Topic;

pub use accounts::{
    ApiToken, AuditEntry, AuditEvent, SavedView, Session, StoredAudit, StoredUser, TokenScope,
};
pub use error::StoreError;
pub use hawkari_core::access::Reach;
pub use notices::{Follow, FollowTarget, Notice, NoticeEvent, NoticeSettings, NoticeStore};
pub use outbox::{
    FederationLedger, OutboxEntry, OutboxStore, ParkedEvent, SentChange, SentCopy,
    StoredContribution,
};
pub use query::{
    AreaFilter, CommitmentFilter, Cursor, EngagementFilter, IncidentFilter, IncidentSort,
    OperationFilter, OrganisationFilter, Page, PageRequest, PersonFilter, PlaceFilter,
    ProgrammeFilter, Sort,
};

/// Any stored record, for writes and reads that work across kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    Organisation(Organisation),
    Person(Person),
    Place(Place),
    Engagement(Engagement),
    Commitment(Commitment),
    Incident(Incident),
    Area(Area),
    Programme(Programme),
    Operation(Operation),
}

impl AnyRecord {
    pub fn kind(&self) -> Kind {
        match self {
            AnyRecord::Organisation(_) => Kind::Organisation,
            AnyRecord::Person(_) => Kind::Person,
            AnyRecord::Place(_) => Kind::Place,
            AnyRecord::Engagement(_) => Kind::Engagement,
            AnyRecord::Commitment(_) => Kind::Commitment,
            AnyRecord::Incident(_) => Kind::Incident,
            AnyRecord::Area(_) => Kind::Area,
            AnyRecord::Programme(_) => Kind::Programme,
            AnyRecord::Operation(_) => Kind::Operation,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            AnyRecord::Organisation(r) => r.id.as_str(),
            AnyRecord::Person(r) => r.id.as_str(),
            AnyRecord::Place(r) => r.id.as_str(),
            AnyRecord::Engagement(r) => r.id.as_str(),
            AnyRecord::Commitment(r) => r.id.as_str(),
            AnyRecord::Incident(r) => r.id.as_str(),
            AnyRecord::Area(r) => r.id.as_str(),
            AnyRecord::Programme(r) => r.id.as_str(),
            AnyRecord::Operation(r) => r.id.as_str(),
        }
    }
}

/// Which list [`Store::list`] reads, with its filter.
#[derive(Debug, Clone, Copy)]
pub enum ListOf<'a> {
    Organisations(&'a OrganisationFilter),
    People(&'a PersonFilter),
    Places(&'a PlaceFilter),
    Engagements(&'a EngagementFilter),
    Commitments(&'a CommitmentFilter),
    Incidents(&'a IncidentFilter),
    Areas(&'a AreaFilter),
    Programmes(&'a ProgrammeFilter),
    Operations(&'a OperationFilter),
}

/// An incident as a map draws it, read from the indexes without its record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IncidentPoint {
    pub id: String,
    #[serde(rename = "type")]
    pub incident_type: String,
    /// When it began (RFC 3339).
    pub start: String,
    pub lon: f64,
    pub lat: f64,
}

/// One change in a transaction. A list of writes is applied all or nothing.
#[derive(Debug, Clone)]
pub enum Write {
    /// A new record; fails with [`StoreError::Conflict`] if the id exists.
    Insert(AnyRecord),
    /// Replaces a record whose stored version is `expected_version`; the record carries
    /// its new meta (version already incremented).
    Update {
        record: AnyRecord,
        expected_version: i64,
    },
    /// Inserts a record as it is, meta included (imports), or replaces the stored one
    /// unless the stored version is newer — an old export never undoes later changes.
    Upsert(AnyRecord),
    /// Removes a record, optionally only at `expected_version`; refused while other
    /// records refer to it.
    Delete {
        kind: Kind,
        id: String,
        expected_version: Option<i64>,
    },
    /// Adds (`Create`, a conflict if it exists), relabels (`Update`, not found if it
    /// does not) or writes (`Upsert`) a topic.
    PutTopic(Topic, TopicWrite),
    /// Removes a topic that no engagement uses.
    DeleteTopic(TopicCode),
    /// Appends to the audit log, in the same transaction as the change it records.
    Audit(AuditEvent),
    /// Adds a comment to a record.
    Comment {
        kind: Kind,
        record_id: String,
        comment: Comment,
    },
    /// Writes a row of an account or log table as it was read from another database
    /// (`db copy`); a row whose key is already there is left as it is.
    Restore {
        table: tables::TableSpec,
        row: tables::RawRow,
    },
}

/// How a topic write treats an existing topic with the same code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicWrite {
    Create,
    Update,
    Upsert,
}

/// Counts of stored records per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub organisations: u64,
    pub topics: u64,
    pub places: u64,
    pub people: u64,
    pub engagements: u64,
    pub commitments: u64,
    pub incidents: u64,
    pub areas: u64,
    pub programmes: u64,
    pub operations: u64,
}

impl Counts {
    /// The count of a dataset section by its name (`organisations`, `people`, …).
    pub fn section_mut(&mut self, section: &str) -> &mut u64 {
        match section {
            "organisations" => &mut self.organisations,
            "topics" => &mut self.topics,
            "places" => &mut self.places,
            "people" => &mut self.people,
            "engagements" => &mut self.engagements,
            "incidents" => &mut self.incidents,
            "areas" => &mut self.areas,
            "programmes" => &mut self.programmes,
            "operations" => &mut self.operations,
            _ => &mut self.commitments,
        }
    }

    pub fn total(&self) -> u64 {
        self.organisations
            + self.topics
            + self.places
            + self.people
            + self.engagements
            + self.commitments
            + self.incidents
            + self.areas
            + self.programmes
            + self.operations
    }
}

/// What the application needs from a database. Implemented by [`sqlite::SqliteStore`]
/// and [`postgres::PgStore`]; callers never know which.
/// Accounts, sessions, API tokens, comments and the audit log: what every backend
/// implements with the same statements (`accounts::account_methods`).
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: &StoredUser, audit: AuditEvent) -> Result<(), StoreError>;
    async fn user_by_username(&self, username: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn user_by_id(&self, id: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// Sets a user's role and whether the account is disabled (disabling ends its
    /// sessions), with its audit entry.
    async fn update_user(
        &self,
        user_id: &str,
        role: hawkari_core::access::Role,
        disabled: bool,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    /// Records a sign-in attempt's effect on the account, with its audit entry.
    async fn record_login(
        &self,
        user_id: &str,
        failed_logins: i64,
        locked_until: Option<chrono::DateTime<chrono::Utc>>,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    /// Replaces a user's password hash, clears the lockout and ends their sessions.
    async fn set_password(
        &self,
        user_id: &str,
        password_hash: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    async fn create_session(&self, token_hash: &str, session: &Session) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError>;
    async fn delete_session(&self, token_hash: &str, audit: AuditEvent) -> Result<(), StoreError>;
    async fn create_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    /// An unrevoked token by the digest of its secret.
    async fn token(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError>;
    async fn list_tokens(&self, user_id: &str) -> Result<Vec<ApiToken>, StoreError>;
    async fn revoke_token(
        &self,
        user_id: &str,
        token_id: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;

    // The audit log.
    /// Entries after `after_seq`, in order.
    async fn audit_entries(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError>;
    /// Entries that concern an organisation (by its users, or naming it among those
    /// concerned), newest first, before `before_seq`.
    async fn audit_concerning(
        &self,
        organisation_id: &str,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError>;
    /// The last entry: the chain's head.
    async fn audit_last(&self) -> Result<Option<AuditEntry>, StoreError>;
    /// A user's saved views, by name.
    async fn save_view(&self, user_id: &str, view: &SavedView) -> Result<(), StoreError>;
    async fn views(&self, user_id: &str) -> Result<Vec<SavedView>, StoreError>;
    async fn delete_view(&self, user_id: &str, id: &str) -> Result<(), StoreError>;
    /// Comments on one record, oldest first.
    async fn comments(&self, kind: Kind, id: &str) -> Result<Vec<Comment>, StoreError>;
    /// Entries about one record, in order.
    async fn record_history(&self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError>;
}

#[async_trait]
pub trait Store:
    AccountStore
    + map_index::MapIndexStore
    + outbox::OutboxStore
    + notices::NoticeStore
    + std::fmt::Debug
{
    /// Brings the schema up to date; fails clearly if the database is newer than this binary.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Applies the writes in one transaction: all of them, or none. Every record a write
    /// refers to must exist and be within `reach` (a reference to a record the writer
    /// cannot see fails as if it did not exist).
    async fn write(&self, writes: Vec<Write>, reach: &Reach) -> Result<(), StoreError>;

    /// Opens one transaction for a large import written in batches. References are
    /// checked when it commits; dropping it uncommitted changes nothing.
    async fn begin_bulk(&self) -> Result<Box<dyn BulkWrite>, StoreError>;

    /// A record, if it exists and is within `reach`.
    async fn get(
        &self,
        kind: Kind,
        id: &str,
        reach: &Reach,
    ) -> Result<Option<AnyRecord>, StoreError>;
    async fn get_topic(&self, code: &str) -> Result<Option<Topic>, StoreError>;
    /// The records of `kind` with any of `ids` (any releasability), by id.
    async fn get_many(
        &self,
        kind: Kind,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, AnyRecord>, StoreError>;

    /// One page of a list, newest or first first, within `reach`: what the typed
    /// `list_…` methods below read.
    async fn list(
        &self,
        reach: &Reach,
        of: ListOf<'_>,
        page: &PageRequest,
    ) -> Result<Page<AnyRecord>, StoreError>;
    /// How many records a list holds within `reach`, counting at most `most` (so that
    /// a count costs no more than reading that many keys).
    async fn count(&self, reach: &Reach, of: ListOf<'_>, most: u64) -> Result<u64, StoreError>;
    async fn list_organisations(
        &self,
        reach: &Reach,
        f: &OrganisationFilter,
        page: &PageRequest,
    ) -> Result<Page<Organisation>, StoreError> {
        let page = self.list(reach, ListOf::Organisations(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Organisation(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_people(
        &self,
        reach: &Reach,
        f: &PersonFilter,
        page: &PageRequest,
    ) -> Result<Page<Person>, StoreError> {
        let page = self.list(reach, ListOf::People(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Person(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_places(
        &self,
        reach: &Reach,
        f: &PlaceFilter,
        page: &PageRequest,
    ) -> Result<Page<Place>, StoreError> {
        let page = self.list(reach, ListOf::Places(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Place(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_engagements(
        &self,
        reach: &Reach,
        f: &EngagementFilter,
        page: &PageRequest,
    ) -> Result<Page<Engagement>, StoreError> {
        let page = self.list(reach, ListOf::Engagements(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Engagement(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_commitments(
        &self,
        reach: &Reach,
        f: &CommitmentFilter,
        page: &PageRequest,
    ) -> Result<Page<Commitment>, StoreError> {
        let page = self.list(reach, ListOf::Commitments(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Commitment(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_incidents(
        &self,
        reach: &Reach,
        f: &IncidentFilter,
        page: &PageRequest,
    ) -> Result<Page<Incident>, StoreError> {
        let page = self.list(reach, ListOf::Incidents(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Incident(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_areas(
        &self,
        reach: &Reach,
        f: &AreaFilter,
        page: &PageRequest,
    ) -> Result<Page<Area>, StoreError> {
        let page = self.list(reach, ListOf::Areas(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Area(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_programmes(
        &self,
        reach: &Reach,
        f: &ProgrammeFilter,
        page: &PageRequest,
    ) -> Result<Page<Programme>, StoreError> {
        let page = self.list(reach, ListOf::Programmes(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Programme(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_operations(
        &self,
        reach: &Reach,
        f: &OperationFilter,
        page: &PageRequest,
    ) -> Result<Page<Operation>, StoreError> {
        let page = self.list(reach, ListOf::Operations(f), page).await?;
        Ok(page.map(|r| match r {
            AnyRecord::Operation(x) => Some(x),
            _ => None,
        }))
    }
    async fn list_topics(&self) -> Result<Vec<Topic>, StoreError>;

    /// A consistent view of the whole database for reads that span many queries (exports).
    async fn begin_read(&self) -> Result<Box<dyn ReadSnapshot>, StoreError>;

    async fn counts(&self) -> Result<Counts, StoreError>;

    /// The incidents matching `f` as points (id, type, start, position), newest first,
    /// for maps: the same filter, planning and releasability as [`Store::list_incidents`],
    /// without reading the records.
    async fn list_incident_points(
        &self,
        reach: &Reach,
        f: &IncidentFilter,
        page: &PageRequest,
    ) -> Result<Page<IncidentPoint>, StoreError>;

    /// The greatest key stored in a table (`db copy` resumes after it).
    async fn last_key(
        &self,
        table: &tables::TableSpec,
    ) -> Result<Option<serde_json::Value>, StoreError>;

    /// The query plans of the main list queries, for the benchmark document.
    async fn explain(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// For benchmarks, the anchor the cluster index is compared with: incidents in `bbox`
    /// whose time overlaps `from`–`to` counted per grid cell of `cell` degrees, by the
    /// database (PostGIS `ST_SnapToGrid` + `GROUP BY`; SQLite's R*Tree + `GROUP BY`), no
    /// releasability. Returns the number of cells and the sum of their counts.
    async fn cluster_baseline(
        &self,
        bbox: [f64; 4],
        from: &str,
        to: &str,
        cell: f64,
    ) -> Result<(usize, u64), StoreError>;

    /// For benchmarks, the floor a viewport query is compared with: the newest `limit`
    /// incidents in `bbox` whose time overlaps `from`–`to` (RFC 3339), bodies read but
    /// not decoded, no releasability; through the spatial index, or (`indexed` false)
    /// by reading every row's point. Returns how many.
    async fn viewport_baseline(
        &self,
        bbox: [f64; 4],
        from: &str,
        to: &str,
        limit: u32,
        indexed: bool,
    ) -> Result<usize, StoreError>;

    /// For benchmarks, the floor an import is compared with: a CSV file (`csv`, a header
    /// row then rows) loaded by the database's own bulk path into a fresh table keyed by
    /// its first column, every column text, in one transaction, committed, then dropped —
    /// SQLite: one prepared `INSERT` per row (what the `sqlite3` shell's `.import` does);
    /// PostgreSQL: `COPY … FROM STDIN (FORMAT csv)`. No validation, no index but the key.
    /// Returns the rows loaded.
    async fn import_baseline(&self, csv: &[u8]) -> Result<u64, StoreError>;
}

/// A transaction that takes writes in batches (see [`Store::begin_bulk`]).
#[async_trait]
pub trait BulkWrite: Send {
    /// Applies a batch; returns how many upserts were skipped because the stored record
    /// is newer.
    async fn write(&mut self, writes: Vec<Write>) -> Result<u64, StoreError>;
    /// Checks that every reference written resolves, then commits.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
    /// Commits without the reference check: for a copy of a database whose records were
    /// checked when written, made in batches where a record may come before the one it
    /// refers to, and verified by checksums when complete.
    async fn commit_unchecked(self: Box<Self>) -> Result<(), StoreError>;
}

/// Reads that see one state of the database, whatever is written meanwhile.
#[async_trait]
pub trait ReadSnapshot: Send {
    /// Records of one kind in id order after `after_id`.
    async fn scan(
        &mut self,
        kind: Kind,
        after_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AnyRecord>, StoreError>;
    async fn topics(&mut self) -> Result<Vec<Topic>, StoreError>;
    /// Ends the read transaction now (dropping it ends it too, but only when its
    /// connection is next used).
    async fn close(self: Box<Self>) -> Result<(), StoreError>;
    /// Rows of an account or log table in key order after `after`.
    async fn rows(
        &mut self,
        table: &tables::TableSpec,
        after: Option<&serde_json::Value>,
        limit: u32,
    ) -> Result<Vec<tables::RawRow>, StoreError>;
}

/// Opens the backend the URL names: `sqlite://path/to/file.db`, `sqlite::memory:` or
/// `postgres://user@host:port/database`.
pub async fn open(
    url: &str,
    max_connections: u32,
) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    open_with(
        url,
        max_connections,
        postgres::PgSettings::default().statement_timeout,
    )
    .await
}

/// [`open`] with a statement timeout (PostgreSQL; SQLite has none to set).
pub async fn open_with(
    url: &str,
    max_connections: u32,
    statement_timeout: std::time::Duration,
) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(
            sqlite::SqliteStore::connect(url, max_connections).await?,
        ))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let settings = postgres::PgSettings {
            max_connections,
            statement_timeout,
            ..Default::default()
        };
        Ok(std::sync::Arc::new(
            postgres::PgStore::connect(url, &settings).await?,
        ))
    } else {
        Err(StoreError::Unavailable(format!(
            "unknown database URL scheme in `{}`: use sqlite://path.db or postgres://user@host/database",
            url.split_once(':').map_or(url, |(s, _)| s)
        )))
    }
}

/// The columns of [`Store::import_baseline`]'s table: `c1`, `c2`, … one per header cell
/// (a file's own names may be anything).
fn baseline_columns(header: &csv::StringRecord) -> Vec<String> {
    (1..=header.len()).map(|i| format!("c{i}")).collect()
}

/// The table [`Store::import_baseline`] loads: every column text, keyed by the first.
fn baseline_table(columns: &[String]) -> String {
    let cols: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                format!("{c} TEXT PRIMARY KEY NOT NULL")
            } else {
                format!("{c} TEXT")
            }
        })
        .collect();
    format!("CREATE TABLE bench_import ({})", cols.join(", "))
}

fn baseline_error(e: csv::Error) -> StoreError {
    StoreError::Other(Box::new(e))
}
