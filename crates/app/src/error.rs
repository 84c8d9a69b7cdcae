//! Application errors: what went wrong in terms a front end maps to a response.

use hawkari_core::ValidationError;
use hawkari_core::record::Kind;
use hawkari_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; each error names its field.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("no {} with that id", kind.as_str())]
    NotFound { kind: Kind, id: String },
    /// Not a record (an API token, a user) and not there.
    #[error("{0}")]
    NoSuch(String),
    /// No valid session or token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, may see the record, may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the client read it.
    #[error("the record has changed since version {expected}; it is now at version {current}")]
    VersionConflict { expected: i64, current: i64 },
    /// An update or delete came without the version it applies to.
    #[error("send the version you are changing, as an If-Match header or a `version` field")]
    VersionRequired,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(StoreError),
}

impl AppError {
    pub(crate) fn from_store(e: StoreError, expected: Option<i64>) -> Self {
        match e {
            StoreError::NotFound { kind, id } => AppError::NotFound { kind, id },
            StoreError::VersionConflict { current } => AppError::VersionConflict {
                expected: expected.unwrap_or(0),
                current,
            },
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid(v) => AppError::Invalid(v),
            e @ StoreError::NoSuch { .. } => AppError::NoSuch(e.to_string()),
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            other => AppError::Store(other),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::from_store(e, None)
    }
}
