//! The tables a whole-database copy carries besides the record kinds — accounts, API
//! tokens, comments and the audit log — described once for every backend, and read and
//! written as rows of JSON values (their columns are text or integers in each backend).
//! Sessions are not copied: people sign in again on the new database.

use serde_json::Value;
use sqlx::QueryBuilder;

use crate::StoreError;
use crate::record_row::StoredRow;

/// A table, the column it is copied in order of, and its columns (name, is an integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, bool)],
}

impl TableSpec {
    /// The table of a record kind, keyed by id (for [`crate::Store::last_key`]).
    pub fn record(kind: hawkari_core::record::Kind) -> Self {
        Self {
            name: crate::plan::table(kind),
            key: crate::plan::key_column(kind),
            columns: &[],
        }
    }

    fn key_is_int(&self) -> bool {
        self.columns
            .iter()
            .any(|(name, int)| *name == self.key && *int)
    }

    /// The rows after `after` in key order, at most `limit`, in either backend's SQL.
    pub(crate) fn select_after<DB: sqlx::Database>(
        &self,
        after: Option<&Value>,
        limit: u32,
    ) -> QueryBuilder<'static, DB>
    where
        i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
        Option<String>: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    {
        let cols: Vec<&str> = self.columns.iter().map(|(n, _)| *n).collect();
        let mut qb = QueryBuilder::new(format!("SELECT {} FROM {}", cols.join(", "), self.name));
        if let Some(after) = after {
            qb.push(format!(" WHERE {} > ", self.key));
            push_value(&mut qb, after);
        }
        qb.push(format!(" ORDER BY {} LIMIT ", self.key));
        qb.push_bind(i64::from(limit));
        qb
    }

    /// `SELECT` of the last key.
    pub(crate) fn select_last_key(&self) -> String {
        format!(
            "SELECT {k} FROM {} ORDER BY {k} DESC LIMIT 1",
            self.name,
            k = self.key
        )
    }

    /// `INSERT` of a row as it was read, leaving a row with the same key as it is.
    pub(crate) fn restore<DB: sqlx::Database>(&self, row: &[Value]) -> QueryBuilder<'static, DB>
    where
        i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
        Option<String>: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    {
        let cols: Vec<&str> = self.columns.iter().map(|(n, _)| *n).collect();
        let mut qb = QueryBuilder::new(format!(
            "INSERT INTO {} ({}) VALUES (",
            self.name,
            cols.join(", ")
        ));
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                qb.push(", ");
            }
            push_value(&mut qb, v);
        }
        qb.push(") ON CONFLICT DO NOTHING");
        qb
    }

    /// The key of a row this spec read.
    pub fn key_of(&self, row: &[Value]) -> Value {
        self.columns
            .iter()
            .position(|(n, _)| *n == self.key)
            .and_then(|i| row.get(i).cloned())
            .unwrap_or(Value::Null)
    }
}

/// A row of a [`TableSpec`]'s columns, in order.
pub type RawRow = Vec<Value>;

pub const USERS: TableSpec = TableSpec {
    name: "users",
    key: "id",
    columns: &[
        ("id", false),
        ("username", false),
        ("organisation_id", false),
        ("role", false),
        ("password_hash", false),
        ("failed_logins", true),
        ("locked_until", false),
        ("disabled", true),
        ("created_at", false),
    ],
};

pub const API_TOKENS: TableSpec = TableSpec {
    name: "api_tokens",
    key: "id",
    columns: &[
        ("id", false),
        ("user_id", false),
        ("name", false),
        ("token_hash", false),
        ("scope", false),
        ("created_at", false),
        ("revoked_at", false),
    ],
};

pub const COMMENTS: TableSpec = TableSpec {
    name: "comments",
    key: "id",
    columns: &[
        ("id", false),
        ("kind", false),
        ("record_id", false),
        ("author", false),
        ("organisation_id", false),
        ("at", false),
        ("text", false),
    ],
};

/// Federation contributions (comments, status changes, site reports) kept by their id;
/// written through [`crate::Write::Restore`], so a repeat leaves the stored one as it is.
/// Not among [`COPIED_TABLES`]: like the federation ledgers, `db copy` does not carry it.
pub const CONTRIBUTIONS: TableSpec = TableSpec {
    name: "contributions",
    key: "id",
    columns: &[
        ("id", false),
        ("origin", false),
        ("kind", false),
        ("record_id", false),
        ("owner", false),
        ("at", false),
        ("body", false),
    ],
};

pub const AUDIT_LOG: TableSpec = TableSpec {
    name: "audit_log",
    key: "seq",
    columns: &[
        ("seq", true),
        ("at", false),
        ("actor", false),
        ("organisation_id", false),
        ("action", false),
        ("kind", false),
        ("record_id", false),
        ("detail", false),
        ("concerns", false),
        ("hash_version", true),
        ("prev_hash", false),
        ("hash", false),
    ],
};

/// Records deleted while records their deleter could not see still referred to them
/// (`kind/id`): references to these are not dangling by mistake.
pub const DELETED_RECORDS: TableSpec = TableSpec {
    name: "deleted_records",
    key: "record",
    columns: &[("record", false), ("deleted_at", false)],
};

pub const SAVED_VIEWS: TableSpec = TableSpec {
    name: "saved_views",
    key: "id",
    columns: &[
        ("id", false),
        ("user_id", false),
        ("name", false),
        ("path", false),
        ("query", false),
        ("created_at", false),
    ],
};

pub const FOLLOWS: TableSpec = TableSpec {
    name: "follows",
    key: "id",
    columns: &[
        ("id", false),
        ("user_id", false),
        ("target", false),
        ("record_id", false),
        ("created_at", false),
    ],
};

pub const NOTICES: TableSpec = TableSpec {
    name: "notices",
    key: "id",
    columns: &[
        ("id", false),
        ("user_id", false),
        ("event_key", false),
        ("event", false),
        ("kind", false),
        ("record_id", false),
        ("at", false),
        ("detail", false),
        ("read_at", false),
        ("mailed_at", false),
    ],
};

pub const NOTICE_SETTINGS: TableSpec = TableSpec {
    name: "notice_settings",
    key: "user_id",
    columns: &[
        ("user_id", false),
        ("email", false),
        ("language", false),
        ("immediate", true),
        ("digest", true),
        ("last_digest_at", false),
    ],
};

/// The tables copied after the records, in an order that satisfies their foreign keys.
pub const COPIED_TABLES: [TableSpec; 9] = [
    USERS,
    API_TOKENS,
    COMMENTS,
    AUDIT_LOG,
    DELETED_RECORDS,
    SAVED_VIEWS,
    FOLLOWS,
    NOTICES,
    NOTICE_SETTINGS,
];

/// One value of a row, as JSON.
pub(crate) fn cell(row: &impl StoredRow, name: &str, int: bool) -> Result<Value, StoreError> {
    Ok(if int {
        Value::from(row.int(name)?)
    } else {
        row.opt_text(name)?.map_or(Value::Null, Value::from)
    })
}

/// A row as the spec's values.
pub(crate) fn raw_row(row: &impl StoredRow, spec: &TableSpec) -> Result<RawRow, StoreError> {
    spec.columns
        .iter()
        .map(|(name, int)| cell(row, name, *int))
        .collect()
}

/// The last key of a table, read by [`TableSpec::select_last_key`], as JSON.
pub(crate) fn key_cell(row: &impl StoredRow, spec: &TableSpec) -> Result<Value, StoreError> {
    cell(row, spec.key, spec.key_is_int())
}

/// Binds a JSON value as the column types hold it: an integer, a text or a null text.
fn push_value<DB: sqlx::Database>(qb: &mut QueryBuilder<'static, DB>, v: &Value)
where
    i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    match v {
        Value::Number(n) => qb.push_bind(n.as_i64().unwrap_or_default()),
        Value::String(s) => qb.push_bind(Some(s.clone())),
        Value::Null => qb.push_bind(None::<String>),
        other => qb.push_bind(Some(other.to_string())),
    };
}
