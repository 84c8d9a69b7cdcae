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
