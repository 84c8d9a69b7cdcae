//! What the store keeps about accounts, sessions, API tokens and the audit log.

use chrono::{DateTime, Utc};
use hawkari_core::access::User;
use serde::{Deserialize, Serialize};

/// A user with what signing in needs.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub user: User,
    /// argon2id PHC string; never logged or returned.
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// A signed-in browser session, found by the digest of its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Reads only.
    Read,
    /// Reads and writes, within the user's role.
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
}

/// An API token (its secret is shown once, at creation, and stored only as a digest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Something that happened, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    /// Username, or `cli` / `import` for command-line work.
    pub actor: String,
    pub organisation_id: Option<String>,
    /// `create`, `update`, `delete`, `status`, `comment`, `login`, `login_failed`,
    /// `logout`, `export`, `read_caveated`, `token_created`, `token_revoked`, `user_created`.
    pub action: String,
    pub kind: Option<String>,
    pub record_id: Option<String>,
    /// What changed: for updates, the fields before and after; never a secret.
    pub detail: serde_json::Value,
}

/// An entry of the audit log: the event, its place and its hash chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and the event's canonical JSON.
pub fn audit_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(serde_json::to_vec(event).unwrap_or_default());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The `prev_hash` of the first entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Decoding of account and log rows, shared by the backends (same columns in each).
pub(crate) mod decode {
    use chrono::{DateTime, Utc};
    use hawkari_core::access::{Comment, User};

    use super::{ApiToken, AuditEntry, AuditEvent, StoredUser, TokenScope};
    use crate::StoreError;
    use crate::record_row::{StoredRow, parse_time};

    /// The timestamp as stored: RFC 3339, UTC, so that text order is time order.
    pub(crate) fn ts(t: DateTime<Utc>) -> String {
        crate::record_row::timestamp(t)
    }

    fn opt_time(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
        s.as_deref().map(parse_time).transpose()
    }

    fn parsed<T: TryFrom<String, Error = String>>(s: String) -> Result<T, StoreError> {
        T::try_from(s).map_err(|e| StoreError::Other(e.into()))
    }

    pub(crate) const USER_COLUMNS: &str =
        "id, username, organisation_id, role, disabled, password_hash, failed_logins, locked_until";

    pub(crate) fn user(r: &impl StoredRow) -> Result<StoredUser, StoreError> {
        Ok(StoredUser {
            user: User {
                id: r.text("id")?,
                username: r.text("username")?,
                organisation_id: parsed(r.text("organisation_id")?)?,
                role: r
                    .text("role")?
                    .parse()
                    .map_err(|e: String| StoreError::Other(e.into()))?,
                disabled: r.int("disabled")? != 0,
            },
            password_hash: r.text("password_hash")?,
            failed_logins: r.int("failed_logins")?,
            locked_until: opt_time(r.opt_text("locked_until")?)?,
        })
    }

    pub(crate) fn token(r: &impl StoredRow) -> Result<ApiToken, StoreError> {
        Ok(ApiToken {
            id: r.text("id")?,
            user_id: r.text("user_id")?,
            name: r.text("name")?,
            scope: if r.text("scope")? == "write" {
                TokenScope::Write
            } else {
                TokenScope::Read
            },
            created_at: parse_time(&r.text("created_at")?)?,
            revoked_at: opt_time(r.opt_text("revoked_at")?)?,
        })
    }

    pub(crate) fn entry(r: &impl StoredRow) -> Result<AuditEntry, StoreError> {
        Ok(AuditEntry {
            seq: r.int("seq")?,
            event: AuditEvent {
                at: parse_time(&r.text("at")?)?,
                actor: r.text("actor")?,
                organisation_id: r.opt_text("organisation_id")?,
                action: r.text("action")?,
                kind: r.opt_text("kind")?,
                record_id: r.opt_text("record_id")?,
                detail: serde_json::from_str(&r.text("detail")?)?,
            },
            prev_hash: r.text("prev_hash")?,
            hash: r.text("hash")?,
        })
    }

    pub(crate) fn comment(r: &impl StoredRow) -> Result<Comment, StoreError> {
        Ok(Comment {
            id: r.text("id")?,
            author: r.text("author")?,
            organisation_id: r.opt_text("organisation_id")?,
            at: parse_time(&r.text("at")?)?,
            text: parsed(r.text("text")?)?,
        })
    }
}
