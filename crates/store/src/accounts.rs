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
    /// Reads the user's calendar feed at its secret address, and nothing else: a calendar
    /// client keeps the address, so it must open no other door.
    Calendar,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
            TokenScope::Calendar => "calendar",
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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
    /// Organisations besides the actor's own that this event concerns — the owner of a
    /// record a partner followed up, every organisation whose releases a new account
    /// reads, the organisations around a change to the tree. Their administrators see
    /// the entry (`GET /api/v1/audit`); the hash covers the list, so it cannot be
    /// edited out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concerns: Vec<String>,
}

impl AuditEvent {
    /// The event naming `orgs` among those it concerns (each once).
    pub fn concerning(mut self, orgs: impl IntoIterator<Item = String>) -> Self {
        for o in orgs {
            if !o.is_empty() && !self.concerns.contains(&o) {
                self.concerns.push(o);
            }
        }
        self
    }
}

/// A list page with its filters, saved by a user under a name of theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedView {
    pub id: String,
    pub name: String,
    /// The page, e.g. `/commitments`.
    pub path: String,
    /// Its filters as a query string, e.g. `responsible=iraqi-army&overdue=1`.
    pub query: String,
}

/// An entry of the audit log: the event, its place and its hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
    /// The columns exactly as stored: what the hash covers.
    #[serde(skip)]
    pub stored: StoredAudit,
}

/// An audit entry's columns as the database keeps them, byte for byte. The hash is
/// computed over these texts, never over values parsed back from them (a number parsed
/// and printed again need not give the same digits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredAudit {
    pub at: String,
    pub actor: String,
    pub organisation_id: Option<String>,
    pub action: String,
    pub kind: Option<String>,
    pub record_id: Option<String>,
    pub detail: String,
    /// Organisation ids separated by single spaces.
    pub concerns: String,
    /// 2 for entries hashed over the stored columns; 1 for entries written before, whose
    /// hash covers the event's JSON.
    pub hash_version: i64,
}

/// The hash version new entries are written with.
pub const AUDIT_HASH_VERSION: i64 = 2;

impl StoredAudit {
    /// The columns an event is written as.
    pub fn of(event: &AuditEvent) -> Result<Self, serde_json::Error> {
        Ok(Self {
            at: crate::record_row::timestamp(event.at),
            actor: event.actor.clone(),
            organisation_id: event.organisation_id.clone(),
            action: event.action.clone(),
            kind: event.kind.clone(),
            record_id: event.record_id.clone(),
            detail: serde_json::to_string(&event.detail)?,
            concerns: event.concerns.join(" "),
            hash_version: AUDIT_HASH_VERSION,
        })
    }

    /// The organisations the entry concerns, the actor's own first: the rows of
    /// `audit_concerns` it is found by.
    pub fn concerned(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for o in self
            .organisation_id
            .as_deref()
            .into_iter()
            .chain(self.concerns.split(' '))
        {
            if !o.is_empty() && !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }
}

/// The hash of an entry, by its `hash_version`: version 2 is SHA-256 over the previous
/// hash, the sequence number and every stored column, each length-prefixed (a null
/// distinct from an empty text); version 1, of entries written before, is SHA-256 over
/// the previous hash, the sequence number and the event's JSON, rebuilt around the
/// stored detail text as it was written (never re-serialised).
pub fn audit_hash(prev_hash: &str, seq: i64, stored: &StoredAudit) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(seq.to_be_bytes());
    if stored.hash_version == 1 {
        h.update(legacy_event_json(stored).unwrap_or_default());
    } else {
        let mut field = |v: Option<&str>| match v {
            None => h.update([0u8]),
            Some(t) => {
                h.update([1u8]);
                h.update((t.len() as u64).to_be_bytes());
                h.update(t.as_bytes());
            }
        };
        field(Some(&stored.at));
        field(Some(&stored.actor));
        field(stored.organisation_id.as_deref());
        field(Some(&stored.action));
        field(stored.kind.as_deref());
        field(stored.record_id.as_deref());
        field(Some(&stored.detail));
        field(Some(&stored.concerns));
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The JSON a version-1 entry's hash covers: the event serialised with its fields in
/// declaration order and the detail exactly as stored.
fn legacy_event_json(s: &StoredAudit) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct V1<'a> {
        at: DateTime<Utc>,
        actor: &'a str,
        organisation_id: &'a Option<String>,
        action: &'a str,
        kind: &'a Option<String>,
        record_id: &'a Option<String>,
        detail: &'a serde_json::value::RawValue,
    }
    let detail = serde_json::value::RawValue::from_string(s.detail.clone()).ok()?;
    serde_json::to_vec(&V1 {
        at: crate::record_row::parse_time(&s.at).ok()?,
        actor: &s.actor,
        organisation_id: &s.organisation_id,
        action: &s.action,
        kind: &s.kind,
        record_id: &s.record_id,
        detail: &detail,
    })
    .ok()
}

/// The `prev_hash` of the first entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Decoding of account and log rows, shared by the backends (same columns in each).
pub(crate) mod decode {
    use chrono::{DateTime, Utc};
    use hawkari_core::access::{Comment, User};

    use super::{ApiToken, AuditEntry, AuditEvent, StoredAudit, StoredUser, TokenScope};
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
            scope: match r.text("scope")?.as_str() {
                "write" => TokenScope::Write,
                "calendar" => TokenScope::Calendar,
                _ => TokenScope::Read,
            },
            created_at: parse_time(&r.text("created_at")?)?,
            revoked_at: opt_time(r.opt_text("revoked_at")?)?,
        })
    }

    pub(crate) fn entry(r: &impl StoredRow) -> Result<AuditEntry, StoreError> {
        let stored = StoredAudit {
            at: r.text("at")?,
            actor: r.text("actor")?,
            organisation_id: r.opt_text("organisation_id")?,
            action: r.text("action")?,
            kind: r.opt_text("kind")?,
            record_id: r.opt_text("record_id")?,
            detail: r.text("detail")?,
            concerns: r.text("concerns")?,
            hash_version: r.int("hash_version")?,
        };
        Ok(AuditEntry {
            seq: r.int("seq")?,
            event: AuditEvent {
                at: parse_time(&stored.at)?,
                actor: stored.actor.clone(),
                organisation_id: stored.organisation_id.clone(),
                action: stored.action.clone(),
                kind: stored.kind.clone(),
                record_id: stored.record_id.clone(),
                // A detail that does not parse (altered by hand) still shows, as text;
                // `audit verify` names the entry.
                detail: serde_json::from_str(&stored.detail)
                    .unwrap_or_else(|_| serde_json::Value::String(stored.detail.clone())),
                concerns: stored
                    .concerns
                    .split(' ')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            prev_hash: r.text("prev_hash")?,
            hash: r.text("hash")?,
            stored,
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

/// The account, session, token, comment and audit-log statements, the same for every
/// backend (numbered parameters, which sqlx also binds by number in SQLite), and the
/// backend's [`crate::AccountStore`] over them (`$store`, database `$db`). The backend's module
/// brings the names they use into scope and provides `begin_write`, a transaction that
/// no other writer interleaves with.
macro_rules! account_methods {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Appends an event to the audit log, chained to the last entry. Runs inside the
            /// caller's transaction, which holds the write lock, so no other writer can interleave.
            pub(crate) async fn append_audit(
                tx: &mut Transaction<'_, $db>,
                event: &AuditEvent,
            ) -> Result<(), StoreError> {
                let last: Option<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(&mut **tx)
                        .await?;
                let (seq, prev) = last.map_or((1, AUDIT_GENESIS.to_owned()), |(s, h)| (s + 1, h));
                let stored = StoredAudit::of(event)?;
                let hash = audit_hash(&prev, seq, &stored);
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, organisation_id, action, kind, record_id, detail, concerns, hash_version, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(seq)
                .bind(&stored.at)
                .bind(&stored.actor)
                .bind(&stored.organisation_id)
                .bind(&stored.action)
                .bind(&stored.kind)
                .bind(&stored.record_id)
                .bind(&stored.detail)
                .bind(&stored.concerns)
                .bind(stored.hash_version)
                .bind(&prev)
                .bind(&hash)
                .execute(&mut **tx)
                .await?;
                Self::index_concerns(tx, seq, &stored).await
            }

            /// Files an entry under every organisation it concerns (`audit_concerns`), so
            /// that an organisation's administrators find it without reading the whole log.
            pub(crate) async fn index_concerns(
                tx: &mut Transaction<'_, $db>,
                seq: i64,
                stored: &StoredAudit,
            ) -> Result<(), StoreError> {
                for org in stored.concerned() {
                    sqlx::query("INSERT INTO audit_concerns (organisation_id, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(org)
                        .bind(seq)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// After an audit entry is restored from another database (`db copy`), files it
            /// under the organisations it concerns, as appending it would have.
            pub(crate) async fn after_restore(
                tx: &mut Transaction<'_, $db>,
                table: &crate::tables::TableSpec,
                row: &[serde_json::Value],
            ) -> Result<(), StoreError> {
                if table.name != crate::tables::AUDIT_LOG.name {
                    return Ok(());
                }
                let cell = |name: &str| {
                    table
                        .columns
                        .iter()
                        .position(|(n, _)| *n == name)
                        .and_then(|i| row.get(i))
                };
                let text = |name: &str| cell(name).and_then(|v| v.as_str()).map(str::to_owned);
                let Some(seq) = cell("seq").and_then(serde_json::Value::as_i64) else {
                    return Ok(());
                };
                let stored = StoredAudit {
                    organisation_id: text("organisation_id"),
                    concerns: text("concerns").unwrap_or_default(),
                    ..StoredAudit::default()
                };
                Self::index_concerns(tx, seq, &stored).await
            }

            pub(crate) async fn do_create_user(
                &self,
                u: &StoredUser,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let result = sqlx::query(
                    "INSERT INTO users (id, username, organisation_id, role, password_hash, failed_logins, locked_until, disabled, created_at) \
                     VALUES ($1, $2, $3, $4, $5, 0, NULL, $6, $7)",
                )
                .bind(&u.user.id)
                .bind(&u.user.username)
                .bind(u.user.organisation_id.as_str())
                .bind(u.user.role.as_str())
                .bind(&u.password_hash)
                .bind(i64::from(u.user.disabled))
                .bind(ts(Utc::now()))
                .execute(&mut *tx)
                .await;
                match result {
                    Err(sqlx::Error::Database(e))
                        if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
                    {
                        return Err(StoreError::Conflict(format!(
                            "the username `{}` is taken",
                            u.user.username
                        )));
                    }
                    Err(sqlx::Error::Database(e))
                        if e.kind() == sqlx::error::ErrorKind::ForeignKeyViolation =>
                    {
                        return Err(StoreError::invalid(
                            "organisation_id",
                            format!("no organisation with id `{}`", u.user.organisation_id),
                        ));
                    }
                    other => {
                        other?;
                    }
                }
                Self::append_audit(&mut tx, &audit).await?;
                tx.commit().await.map_err(|e| match &e {
                    sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::ForeignKeyViolation => {
                        StoreError::invalid(
                            "organisation_id",
                            format!("no organisation with id `{}`", u.user.organisation_id),
                        )
                    }
                    _ => e.into(),
                })?;
                Ok(())
            }

            pub(crate) async fn do_user(
                &self,
                column: &str,
                value: &str,
            ) -> Result<Option<StoredUser>, StoreError> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = $1");
                sqlx::query(&sql)
                    .bind(value)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|r| decode::user(&r))
                    .transpose()
            }

            pub(crate) async fn do_list_users(&self) -> Result<Vec<User>, StoreError> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
                let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| decode::user(r).map(|u| u.user))
                    .collect()
            }

            pub(crate) async fn do_record_login(
                &self,
                user_id: &str,
                failed_logins: i64,
                locked_until: Option<DateTime<Utc>>,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
                    .bind(failed_logins)
                    .bind(locked_until.map(ts))
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit(&mut tx, &audit).await?;
                tx.commit().await?;
                Ok(())
            }

            pub(crate) async fn do_set_password(
                &self,
                user_id: &str,
                hash: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
                    .bind(hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NoSuch {
                        what: "user",
                        id: user_id.to_owned(),
                    });
                }
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit(&mut tx, &audit).await?;
                tx.commit().await?;
                Ok(())
            }

            pub(crate) async fn do_update_user(
                &self,
                user_id: &str,
                role: &str,
                disabled: bool,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE users SET role = $1, disabled = $2 WHERE id = $3")
                    .bind(role)
                    .bind(i64::from(disabled))
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NoSuch {
                        what: "user",
                        id: user_id.to_owned(),
                    });
                }
                if disabled {
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::append_audit(&mut tx, &audit).await?;
                tx.commit().await?;
                Ok(())
            }

            pub(crate) async fn do_save_view(
                &self,
                user_id: &str,
                view: &SavedView,
            ) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO saved_views (id, user_id, name, path, query, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&view.id)
                    .bind(user_id)
                    .bind(&view.name)
                    .bind(&view.path)
                    .bind(&view.query)
                    .bind(ts(Utc::now()))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            pub(crate) async fn do_views(&self, user_id: &str) -> Result<Vec<SavedView>, StoreError> {
                let rows = sqlx::query("SELECT id, name, path, query FROM saved_views WHERE user_id = $1 ORDER BY name, id")
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok(SavedView {
                            id: r.text("id")?,
                            name: r.text("name")?,
                            path: r.text("path")?,
                            query: r.text("query")?,
                        })
                    })
                    .collect()
            }

            pub(crate) async fn do_delete_view(&self, user_id: &str, id: &str) -> Result<(), StoreError> {
                let done = sqlx::query("DELETE FROM saved_views WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NoSuch {
                        what: "saved view",
                        id: id.to_owned(),
                    });
                }
                Ok(())
            }

            /// Writes one statement and one audit entry in one transaction.
            async fn with_audit<'q>(
                &self,
                query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>,
                audit: Option<&AuditEvent>,
            ) -> Result<u64, StoreError> {
                let mut tx = self.begin_write().await?;
                let n = query.execute(&mut *tx).await?.rows_affected();
                if let Some(a) = audit {
                    Self::append_audit(&mut tx, a).await?;
                }
                tx.commit().await?;
                Ok(n)
            }

            pub(crate) async fn do_create_session(
                &self,
                token_hash: &str,
                s: &Session,
            ) -> Result<(), StoreError> {
                // Expired sessions are swept as new ones start.
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(ts(Utc::now()))
                    .execute(&self.pool)
                    .await?;
                sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(&s.user_id)
                    .bind(&s.csrf_token)
                    .bind(ts(s.expires_at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            pub(crate) async fn do_session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
                let row = sqlx::query(
                    "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| {
                    Ok(Session {
                        user_id: r.text("user_id")?,
                        csrf_token: r.text("csrf_token")?,
                        expires_at: parse_time(&r.text("expires_at")?)?,
                    })
                })
                .transpose()
            }

            pub(crate) async fn do_delete_session(
                &self,
                token_hash: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.with_audit(
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash),
                    Some(&audit),
                )
                .await?;
                Ok(())
            }

            pub(crate) async fn do_create_token(
                &self,
                t: &ApiToken,
                token_hash: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let q = sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&t.id)
                    .bind(&t.user_id)
                    .bind(&t.name)
                    .bind(token_hash)
                    .bind(t.scope.as_str())
                    .bind(ts(t.created_at));
                self.with_audit(q, Some(&audit)).await?;
                Ok(())
            }

            pub(crate) async fn do_token(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
                let row =
                    sqlx::query("SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                        .bind(token_hash)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|r| decode::token(&r)).transpose()
            }

            pub(crate) async fn do_list_tokens(&self, user_id: &str) -> Result<Vec<ApiToken>, StoreError> {
                let rows =
                    sqlx::query("SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id")
                        .bind(user_id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.iter().map(decode::token).collect()
            }

            pub(crate) async fn do_revoke_token(
                &self,
                user_id: &str,
                token_id: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                let q = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                    .bind(ts(Utc::now()))
                    .bind(token_id)
                    .bind(user_id);
                if self.with_audit(q, Some(&audit)).await? == 0 {
                    return Err(StoreError::NoSuch {
                        what: "API token",
                        id: token_id.to_owned(),
                    });
                }
                Ok(())
            }

            pub(crate) async fn do_audit_entries(
                &self,
                after_seq: i64,
                limit: u32,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let rows = sqlx::query("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")
                    .bind(after_seq)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(decode::entry).collect()
            }

            pub(crate) async fn do_comments(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<hawkari_core::access::Comment>, StoreError> {
                let rows = sqlx::query(
                    "SELECT * FROM comments WHERE kind = $1 AND record_id = $2 ORDER BY at, id",
                )
                .bind(kind.as_str())
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(decode::comment).collect()
            }

            pub(crate) async fn do_audit_concerning(
                &self,
                organisation_id: &str,
                before_seq: Option<i64>,
                limit: u32,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let rows = sqlx::query(
                    "SELECT a.* FROM audit_concerns c JOIN audit_log a ON a.seq = c.seq \
                     WHERE c.organisation_id = $1 AND c.seq < $2 ORDER BY c.seq DESC LIMIT $3",
                )
                .bind(organisation_id)
                .bind(before_seq.unwrap_or(i64::MAX))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(decode::entry).collect()
            }

            pub(crate) async fn do_audit_last(&self) -> Result<Option<AuditEntry>, StoreError> {
                let row = sqlx::query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|r| decode::entry(&r)).transpose()
            }

            pub(crate) async fn do_record_history(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let rows =
                    sqlx::query("SELECT * FROM audit_log WHERE kind = $1 AND record_id = $2 ORDER BY seq")
                        .bind(kind.as_str())
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.iter().map(decode::entry).collect()
            }
        }

        #[async_trait::async_trait]
        impl $crate::AccountStore for $store {
            async fn create_user(&self, user: &StoredUser, audit: AuditEvent) -> Result<(), StoreError> {
                self.do_create_user(user, audit).await
            }

            async fn user_by_username(&self, username: &str) -> Result<Option<StoredUser>, StoreError> {
                self.do_user("username", username).await
            }

            async fn user_by_id(&self, id: &str) -> Result<Option<StoredUser>, StoreError> {
                self.do_user("id", id).await
            }

            async fn list_users(&self) -> Result<Vec<User>, StoreError> {
                self.do_list_users().await
            }

            async fn update_user(
                &self,
                user_id: &str,
                role: hawkari_core::access::Role,
                disabled: bool,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.do_update_user(user_id, role.as_str(), disabled, audit).await
            }

            async fn record_login(
                &self,
                user_id: &str,
                failed_logins: i64,
                locked_until: Option<chrono::DateTime<chrono::Utc>>,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.do_record_login(user_id, failed_logins, locked_until, audit)
                    .await
            }

            async fn set_password(
                &self,
                user_id: &str,
                password_hash: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.do_set_password(user_id, password_hash, audit).await
            }

            async fn create_session(&self, token_hash: &str, session: &Session) -> Result<(), StoreError> {
                self.do_create_session(token_hash, session).await
            }

            async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
                self.do_session(token_hash).await
            }

            async fn delete_session(&self, token_hash: &str, audit: AuditEvent) -> Result<(), StoreError> {
                self.do_delete_session(token_hash, audit).await
            }

            async fn create_token(
                &self,
                token: &ApiToken,
                token_hash: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.do_create_token(token, token_hash, audit).await
            }

            async fn token(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
                self.do_token(token_hash).await
            }

            async fn list_tokens(&self, user_id: &str) -> Result<Vec<ApiToken>, StoreError> {
                self.do_list_tokens(user_id).await
            }

            async fn revoke_token(
                &self,
                user_id: &str,
                token_id: &str,
                audit: AuditEvent,
            ) -> Result<(), StoreError> {
                self.do_revoke_token(user_id, token_id, audit).await
            }

            async fn audit_entries(
                &self,
                after_seq: i64,
                limit: u32,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                self.do_audit_entries(after_seq, limit).await
            }

            async fn comments(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<hawkari_core::access::Comment>, StoreError> {
                self.do_comments(kind, id).await
            }

            async fn audit_concerning(
                &self,
                organisation_id: &str,
                before_seq: Option<i64>,
                limit: u32,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                self.do_audit_concerning(organisation_id, before_seq, limit).await
            }

            async fn audit_last(&self) -> Result<Option<AuditEntry>, StoreError> {
                self.do_audit_last().await
            }

            async fn save_view(&self, user_id: &str, view: &SavedView) -> Result<(), StoreError> {
                self.do_save_view(user_id, view).await
            }

            async fn views(&self, user_id: &str) -> Result<Vec<SavedView>, StoreError> {
                self.do_views(user_id).await
            }

            async fn delete_view(&self, user_id: &str, id: &str) -> Result<(), StoreError> {
                self.do_delete_view(user_id, id).await
            }

            async fn record_history(&self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
                self.do_record_history(kind, id).await
            }
        }
    };
}
pub(crate) use account_methods;
