//! Storage errors: what a caller can act on (not found, conflict, invalid reference,
//! busy), and everything else as `Other` with its cause kept for the logs.

use hawkari_core::ValidationError;
use hawkari_core::record::Kind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{kind:?} `{id}` not found")]
    NotFound { kind: Kind, id: String },
    /// Something that is not a record (an API token, a user) is not there.
    #[error("no {what} `{id}`")]
    NoSuch { what: &'static str, id: String },
    /// The record changed since the caller read it.
    #[error("version conflict: the stored version is {current}")]
    VersionConflict { current: i64 },
    /// A uniqueness or still-referenced rule stops the write.
    #[error("{0}")]
    Conflict(String),
    /// The write breaks a rule only the database can check: a field names a record that
    /// does not exist, or an organisation would sit below itself. Each error names the field.
    #[error(transparent)]
    Invalid(ValidationError),
    /// The database cannot be used: unreachable, unknown scheme, or a schema newer than this binary.
    #[error("{0}")]
    Unavailable(String),
    #[error("storage failure")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut => StoreError::Unavailable(
                "the database is busy: no connection was free in time".into(),
            ),
            sqlx::Error::Io(_) => {
                StoreError::Unavailable(format!("the database cannot be reached: {e}"))
            }
            // SQLITE_BUSY and SQLITE_LOCKED (any extended code): another writer held the
            // database past the busy timeout. Worth a retry, not a fault.
            sqlx::Error::Database(d)
                if d.code()
                    .and_then(|c| c.parse::<i64>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6)) =>
            {
                StoreError::Unavailable("the database is busy with another write; try again".into())
            }
            _ => StoreError::Other(Box::new(e)),
        }
    }
}

impl StoreError {
    /// A write a unique index refused: the id is taken — or, for an incident, its source
    /// id (`external_id`, unique per owner) may be, which the database does not say apart.
    pub(crate) fn taken(kind: Kind, id: &str) -> Self {
        StoreError::Conflict(match kind {
            Kind::Incident => format!(
                "an incident with id `{id}` already exists, or another incident of the same \
                 owner has its source id (external_id)"
            ),
            Kind::Organisation | Kind::Engagement | Kind::Area | Kind::Operation => {
                format!("an {} with id `{id}` already exists", kind.as_str())
            }
            _ => format!("a {} with id `{id}` already exists", kind.as_str()),
        })
    }

    /// Whether the database refused the write because a record it names is not there
    /// (a foreign key: a commitment's engagement, a record's owner organisation).
    pub fn is_missing_reference(&self) -> bool {
        match self {
            StoreError::Other(e) => e
                .downcast_ref::<sqlx::Error>()
                .and_then(sqlx::Error::as_database_error)
                .is_some_and(|d| d.is_foreign_key_violation()),
            _ => false,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid(ValidationError::single(field, message))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Other(Box::new(e))
    }
}
