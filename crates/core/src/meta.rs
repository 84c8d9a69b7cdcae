//! What the server keeps on every record besides its content: who changed it when, and a
//! version for optimistic concurrency. (Ownership and releasability are content fields,
//! `owner_org_id` and `releasable_to`, that every record kind has.)

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Set by the server on every write; read-only to clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Incremented on every change; send it back (or as `If-Match`) to update.
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl Meta {
    /// Meta of a record created now by `actor`.
    pub fn new(actor: &str, now: DateTime<Utc>) -> Self {
        Self {
            version: 1,
            created_by: actor.to_owned(),
            created_at: now,
            updated_by: actor.to_owned(),
            updated_at: now,
        }
    }

    /// Meta after `actor` changes the record now.
    pub fn next(&self, actor: &str, now: DateTime<Utc>) -> Self {
        Self {
            version: self.version + 1,
            created_by: self.created_by.clone(),
            created_at: self.created_at,
            updated_by: actor.to_owned(),
            updated_at: now,
        }
    }
}

/// Field names that belong to [`Meta`] or the id, not to a record's content.
pub const SERVER_FIELDS: [&str; 6] = [
    "id",
    "version",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
];
