//! Accounts, sessions, API tokens and the audit log in PostgreSQL: the statements shared
//! with SQLite (`crate::accounts::account_methods`).

use chrono::{DateTime, Utc};
use hawkari_core::access::User;
use hawkari_core::record::Kind;
use sqlx::{Postgres, Transaction};

use super::PgStore;
use crate::StoreError;
use crate::accounts::decode::{self, USER_COLUMNS, ts};
use crate::accounts::{
    AUDIT_GENESIS, ApiToken, AuditEntry, AuditEvent, SavedView, Session, StoredAudit, StoredUser,
    audit_hash,
};
use crate::record_row::{StoredRow, parse_time};

crate::accounts::account_methods!(PgStore, Postgres);
