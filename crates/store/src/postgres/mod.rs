//! The PostgreSQL + PostGIS backend: the same [`Store`] as SQLite, for a headquarters
//! serving many sites, whose GIS analysts open the geometry tables in QGIS.
//!
//! Writers take one transaction-scoped advisory lock ([`WRITE_LOCK`]), so writes are
//! applied one at a time as in SQLite's `BEGIN IMMEDIATE`: the audit log's hash chain
//! needs each entry to follow the last committed one. Reads never wait for it. Every
//! connection has a statement timeout, and the pool a size and an acquire timeout.

mod accounts;
mod lists;
mod rows;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use hawkari_core::record::{Kind, Reference};
use hawkari_core::topic::Topic;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

use crate::plan::{ListQuery, key_column, table};
use crate::record_row::{RowIn, record_from_row, row_in, select_columns, topic_from_row};
use crate::{
    AnyRecord, BulkWrite, Counts, IncidentFilter, Page, PageRequest, Reach, ReadSnapshot, Store,
    StoreError, TopicWrite, Write,
};
use lists::PgList;

crate::checks::write_checks!(PgStore, Postgres);
crate::write_path::apply_all_method!(PgStore, Postgres, |kind| if rows::copies(kind) {
    crate::write_path::COPIED
} else {
    crate::write_path::MANY
});
use crate::write_path::Applied;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/postgres/migrations");

/// The advisory lock every writing transaction holds until it ends.
const WRITE_LOCK: i64 = 0x0048_4157_4B41_5249; // "HAWKARI"

/// The folded names of the participants of the engagement whose id is `{id}`.
fn participant_names(id: &str) -> String {
    format!(
        "(SELECT coalesce(string_agg(n.doc, ' '), '') FROM (\
         SELECT p.doc FROM refs r JOIN people p ON p.id = r.dst_id \
         WHERE r.src_kind = 'engagement' AND r.src_id = {id} AND r.rel = 'participant' AND r.dst_kind = 'person' \
         UNION ALL \
         SELECT o.doc FROM refs r JOIN organisations o ON o.id = r.dst_id \
         WHERE r.src_kind = 'engagement' AND r.src_id = {id} AND r.rel = 'participant' AND r.dst_kind = 'organisation') n)"
    )
}

/// Connection settings beyond the URL.
#[derive(Debug, Clone)]
pub struct PgSettings {
    pub max_connections: u32,
    /// Longest a statement may run before PostgreSQL cancels it.
    pub statement_timeout: Duration,
    /// Longest a request waits for a free connection.
    pub acquire_timeout: Duration,
    /// A schema to work in (first on the search path), created if missing: tests use
    /// one per test.
    pub schema: Option<String>,
}

impl Default for PgSettings {
    fn default() -> Self {
        Self {
            max_connections: 8,
            statement_timeout: Duration::from_secs(30),
            acquire_timeout: Duration::from_secs(15),
            schema: None,
        }
    }
}

/// The PostgreSQL implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Rows written per table since its statistics were last refreshed (see
    /// [`PgStore::keep_statistics`]).
    growth: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<&'static str, u64>>>,
}

/// `host:port/database` of the options, for messages (never the password).
fn describe(o: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        o.get_host(),
        o.get_port(),
        o.get_database().unwrap_or("(default database)")
    )
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/database`) with `settings`.
    pub async fn connect(url: &str, settings: &PgSettings) -> Result<Self, StoreError> {
        let mut options = PgConnectOptions::from_str(url).map_err(|e| {
            StoreError::Unavailable(format!(
                "bad PostgreSQL URL: {e}; expected postgres://user@host:port/database"
            ))
        })?;
        let timeout = format!("{}ms", settings.statement_timeout.as_millis());
        let mut params = vec![
            ("statement_timeout", timeout),
            ("application_name", "hawkari".into()),
            // Plan every execution for its values: a generic plan of a list statement
            // cannot know how selective its text, topic or organisation is (seen: the
            // text + topic + range list at 17 ms planned for its values, 350 ms generic).
            ("plan_cache_mode", "force_custom_plan".into()),
        ];
        if let Some(schema) = &settings.schema {
            params.push(("search_path", format!("\"{schema}\",public")));
        }
        options = options.options(params);
        let place = describe(&options);
        if let Some(schema) = &settings.schema {
            // The schema must exist before connections that put it on their path.
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(settings.acquire_timeout)
                .connect_with(options.clone())
                .await
                .map_err(|e| unreachable(&place, &e))?;
            sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
                .execute(&admin)
                .await?;
            admin.close().await;
        }
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections.max(1))
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|e| unreachable(&place, &e))?;
        Ok(Self {
            pool,
            growth: Default::default(),
        })
    }

    /// Runs raw SQL, bypassing every rule: for tests that play an attacker with direct
    /// database access.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        sqlx::raw_sql(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Drops a schema and everything in it (tests' clean-up).
    #[doc(hidden)]
    pub async fn drop_schema(&self, schema: &str) -> Result<(), StoreError> {
        sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .execute(&self.pool)
            .await?;
        self.pool.close().await;
        Ok(())
    }

    /// Brings the schema up to date (see [`Store::migrate`]).
    async fn run_migrations(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::Unavailable(format!(
                "the database schema has migration {v}, which this hawkari binary does not know: \
                 the database was written by a newer version; upgrade hawkari"
            )),
            sqlx::migrate::MigrateError::Execute(sqlx::Error::Database(d))
                if d.message().contains("postgis") =>
            {
                StoreError::Unavailable(format!(
                    "PostGIS is needed and could not be enabled ({}): install the \
                     postgresql-15-postgis-3 package and run `CREATE EXTENSION postgis` as a superuser",
                    d.message()
                ))
            }
            other => StoreError::Other(Box::new(other)),
        })
    }

    /// Writes again, from their records, the derived rows of the kinds a migration named
    /// in `derived_refresh` (search documents, references, index columns), then forgets
    /// them: one transaction per kind, so that a migration interrupted half-way is taken
    /// up again from the start of that kind.
    async fn refresh_derived(&self) -> Result<(), StoreError> {
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT kind FROM derived_refresh ORDER BY kind")
                .fetch_all(&self.pool)
                .await?;
        for name in kinds {
            let mut tx = self.begin_write().await?;
            if let Some(kind) = crate::plan::stored_kind(&name) {
                let mut after = String::new();
                loop {
                    let mut qb = QueryBuilder::new(format!(
                        "SELECT {} FROM {} t WHERE t.id > ",
                        select_columns(kind),
                        table(kind)
                    ));
                    qb.push_bind(after.clone()).push(" ORDER BY t.id LIMIT 500");
                    let rows = qb.build().fetch_all(&mut *tx).await?;
                    let records = rows
                        .iter()
                        .map(|r| record_from_row(kind, r))
                        .collect::<Result<Vec<_>, _>>()?;
                    let Some(last) = records.last() else {
                        break;
                    };
                    after = last.id().to_owned();
                    // The same version again: an upsert rewrites the row and what derives from it.
                    let writes: Vec<Write> = records.into_iter().map(Write::Upsert).collect();
                    Self::apply_all(&mut tx, &writes, &Reach::Everything).await?;
                }
            }
            sqlx::query("DELETE FROM derived_refresh WHERE kind = $1")
                .bind(&name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// A transaction holding the write lock.
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// Replaces a record's references, and keeps engagements' participant names in step.
    async fn write_index(
        tx: &mut Transaction<'_, Postgres>,
        row: &RowIn,
    ) -> Result<(), StoreError> {
        let kind = row.kind.as_str();
        sqlx::query("DELETE FROM refs WHERE src_kind = $1 AND src_id = $2")
            .bind(kind)
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        let refs: Vec<(&str, &Reference)> = row.refs.iter().map(|r| (row.id.as_str(), r)).collect();
        Self::insert_refs(tx, row.kind, &refs).await?;
        if row.kind == Kind::Engagement {
            sqlx::query(&format!(
                "UPDATE engagements SET names = {} WHERE id = $1",
                participant_names("$1")
            ))
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        }
        if matches!(row.kind, Kind::Person | Kind::Organisation) {
            sqlx::query(&format!(
                "UPDATE engagements e SET names = {} WHERE e.id IN \
                 (SELECT src_id FROM refs WHERE dst_kind = $1 AND dst_id = $2 AND rel = 'participant' AND src_kind = 'engagement')",
                participant_names("e.id")
            ))
            .bind(kind)
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    async fn insert_refs(
        tx: &mut Transaction<'_, Postgres>,
        kind: Kind,
        refs: &[(&str, &Reference)],
    ) -> Result<(), StoreError> {
        for chunk in refs.chunks(1000) {
            let mut qb =
                QueryBuilder::new("INSERT INTO refs (src_kind, src_id, rel, dst_kind, dst_id) ");
            qb.push_values(chunk, |mut v, (src, r)| {
                v.push_bind(kind.as_str())
                    .push_bind(src.to_string())
                    .push_bind(r.rel.as_str())
                    .push_bind(r.kind.as_str())
                    .push_bind(r.id.clone());
            });
            qb.push(" ON CONFLICT DO NOTHING");
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Upserts rows of one kind in a few statements. `None` if a uniqueness conflict
    /// stopped the statement (rolled back to a savepoint: nothing was changed).
    async fn upsert_many(
        tx: &mut Transaction<'_, Postgres>,
        rows: Vec<RowIn>,
    ) -> Result<Option<Vec<Box<RowIn>>>, StoreError> {
        // PostgreSQL refuses to touch one row twice in a statement: the last of an id wins.
        let mut seen = std::collections::HashSet::new();
        let mut rows: Vec<RowIn> = rows
            .into_iter()
            .rev()
            .filter(|r| seen.insert(r.id.clone()))
            .collect();
        rows.reverse();
        let Some(first) = rows.first() else {
            return Ok(Some(vec![]));
        };
        let kind = first.kind;
        let mut savepoint;
        let returned = if rows::copies(kind) {
            // The rows go to a staging table by `COPY` (no parameters to bind, no
            // statement to parse per row count), then one statement upserts them all.
            let stage = rows::stage_table(kind);
            let made: Option<String> = sqlx::query_scalar("SELECT to_regclass($1)::text")
                .bind(format!("pg_temp.{stage}"))
                .fetch_one(&mut **tx)
                .await?;
            let create = if made.is_some() {
                format!("TRUNCATE {stage}")
            } else {
                rows::create_stage(first)
            };
            sqlx::query(&create).execute(&mut **tx).await?;
            let (copy, data, insert) = rows::copy_rows(&rows);
            let mut sink = tx.copy_in_raw(&copy).await?;
            sink.send(data).await?;
            sink.finish().await?;
            savepoint = sqlx::Connection::begin(&mut **tx).await?;
            sqlx::query(&insert).fetch_all(&mut *savepoint).await
        } else {
            let mut qb = rows::insert_many_query(&rows);
            qb.push(" RETURNING id");
            savepoint = sqlx::Connection::begin(&mut **tx).await?;
            qb.build().fetch_all(&mut *savepoint).await
        };
        let returned = match returned {
            Err(e) if unique_violation(&e) => {
                savepoint.rollback().await?;
                return Ok(None);
            }
            other => other?,
        };
        savepoint.commit().await?;
        let ids: std::collections::HashSet<String> = returned
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        let written: Vec<RowIn> = rows.into_iter().filter(|r| ids.contains(&r.id)).collect();
        if written.is_empty() {
            return Ok(Some(vec![]));
        }
        let mut qb = QueryBuilder::new("DELETE FROM refs WHERE src_kind = ");
        qb.push_bind(kind.as_str()).push(" AND src_id IN (");
        let mut sep = qb.separated(", ");
        for r in &written {
            sep.push_bind(r.id.clone());
        }
        qb.push(")").build().execute(&mut **tx).await?;
        let refs: Vec<(&str, &Reference)> = written
            .iter()
            .flat_map(|r| r.refs.iter().map(move |x| (r.id.as_str(), x)))
            .collect();
        Self::insert_refs(tx, kind, &refs).await?;
        Ok(Some(written.into_iter().map(Box::new).collect()))
    }

    async fn apply(
        tx: &mut Transaction<'_, Postgres>,
        write: &Write,
        reach: &Reach,
    ) -> Result<Applied, StoreError> {
        match write {
            Write::Insert(record) | Write::Upsert(record) => {
                let row = row_in(record)?;
                let upsert = matches!(write, Write::Upsert(_));
                let mut qb = rows::insert_query(&row, upsert);
                let mut savepoint = sqlx::Connection::begin(&mut **tx).await?;
                let done = match qb.build().execute(&mut *savepoint).await {
                    Err(e) if unique_violation(&e) => {
                        savepoint.rollback().await?;
                        return Err(StoreError::taken(row.kind, &row.id));
                    }
                    other => other?,
                };
                savepoint.commit().await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                Self::write_index(tx, &row).await?;
                Ok(Applied::Row(Box::new(row)))
            }
            Write::Update {
                record,
                expected_version,
            } => {
                let row = row_in(record)?;
                let mut qb = rows::update_query(&row, *expected_version);
                let done = qb.build().execute(&mut **tx).await?;
                if done.rows_affected() == 0 {
                    return Err(Self::missing_or_conflict(tx, row.kind, &row.id).await);
                }
                Self::write_index(tx, &row).await?;
                Ok(Applied::Row(Box::new(row)))
            }
            Write::Delete {
                kind,
                id,
                expected_version,
            } => {
                let t = table(*kind);
                let version: Option<i64> =
                    sqlx::query_scalar(&format!("SELECT version FROM {t} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut **tx)
                        .await?;
                match (version, expected_version) {
                    (None, _) => {
                        return Err(StoreError::NotFound {
                            kind: *kind,
                            id: id.clone(),
                        });
                    }
                    (Some(v), Some(e)) if v != *e => {
                        return Err(StoreError::VersionConflict { current: v });
                    }
                    _ => {}
                }
                Self::refuse_if_referenced(tx, *kind, id, reach).await?;
                sqlx::query("DELETE FROM refs WHERE src_kind = $1 AND src_id = $2")
                    .bind(kind.as_str())
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query(&format!("DELETE FROM {t} WHERE id = $1"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                Ok(Applied::Done)
            }
            Write::PutTopic(topic, mode) => {
                let sql = match mode {
                    TopicWrite::Create => "INSERT INTO topics (code, labels) VALUES ($1, $2)",
                    TopicWrite::Update => "UPDATE topics SET labels = $2 WHERE code = $1",
                    TopicWrite::Upsert => {
                        "INSERT INTO topics (code, labels) VALUES ($1, $2) \
                         ON CONFLICT (code) DO UPDATE SET labels = excluded.labels"
                    }
                };
                let mut savepoint = sqlx::Connection::begin(&mut **tx).await?;
                let done = match sqlx::query(sql)
                    .bind(topic.code.as_str())
                    .bind(serde_json::to_string(&topic.labels)?)
                    .execute(&mut *savepoint)
                    .await
                {
                    Err(e) if unique_violation(&e) => {
                        savepoint.rollback().await?;
                        return Err(StoreError::Conflict(format!(
                            "topic `{}` already exists",
                            topic.code
                        )));
                    }
                    other => other?,
                };
                savepoint.commit().await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound {
                        kind: Kind::Topic,
                        id: topic.code.to_string(),
                    });
                }
                Ok(Applied::Done)
            }
            Write::Audit(event) => {
                Self::append_audit(tx, event).await?;
                Ok(Applied::Done)
            }
            Write::Comment {
                kind,
                record_id,
                comment,
            } => {
                sqlx::query(
                    "INSERT INTO comments (id, kind, record_id, author, organisation_id, at, text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&comment.id)
                .bind(kind.as_str())
                .bind(record_id)
                .bind(&comment.author)
                .bind(&comment.organisation_id)
                .bind(crate::accounts::decode::ts(comment.at))
                .bind(comment.text.as_str())
                .execute(&mut **tx)
                .await?;
                Ok(Applied::Done)
            }
            Write::Restore { table, row } => {
                table
                    .restore::<Postgres>(row)
                    .build()
                    .execute(&mut **tx)
                    .await?;
                Self::after_restore(tx, table, row).await?;
                Ok(Applied::Done)
            }
            Write::DeleteTopic(code) => {
                Self::refuse_if_referenced(tx, Kind::Topic, code.as_str(), reach).await?;
                let done = sqlx::query("DELETE FROM topics WHERE code = $1")
                    .bind(code.as_str())
                    .execute(&mut **tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound {
                        kind: Kind::Topic,
                        id: code.to_string(),
                    });
                }
                Ok(Applied::Done)
            }
        }
    }
}

impl PgStore {
    /// Counts rows written by committed writes, and refreshes a table's statistics (with
    /// `refs`) once it has grown by more than 500 rows and a tenth of its size since the
    /// last refresh — autovacuum's rule, which a server may have switched off, applied by
    /// Hawkari itself so that no write path (imports in batches, the generator, a busy
    /// API) leaves the planner blind. The write that crosses the line waits for it (an
    /// ANALYZE samples, so it takes about the same time at any size); the data written is
    /// already committed.
    async fn keep_statistics<'a>(&self, tables: impl Iterator<Item = &'a str>) {
        let due: Vec<(&'static str, u64)> = {
            let Ok(mut growth) = self.growth.lock() else {
                return;
            };
            for t in tables {
                if let Some(known) = crate::plan::stored_kind_table(t) {
                    *growth.entry(known).or_default() += 1;
                }
            }
            growth
                .iter()
                .filter(|(_, n)| **n >= 500)
                .map(|(t, n)| (*t, *n))
                .collect()
        };
        let mut grown = Vec::new();
        for (t, written) in due {
            let rows: Option<f32> =
                sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)")
                    .bind(t)
                    .fetch_optional(&self.pool)
                    .await
                    .ok()
                    .flatten();
            if written as f32 > 500.0 + 0.1 * rows.unwrap_or(0.0).max(0.0) {
                grown.push(t);
            }
        }
        if grown.is_empty() {
            return;
        }
        if let Ok(mut g) = self.growth.lock() {
            for t in &grown {
                g.remove(t);
            }
        }
        grown.push("refs");
        if let Err(e) = sqlx::query(&format!("ANALYZE {}", grown.join(", ")))
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "could not refresh the planner's statistics");
        }
    }
}

/// The message for a database that cannot be reached.
fn unreachable(place: &str, e: &sqlx::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot connect to PostgreSQL at {place}: {e}"))
}

struct PgBulk {
    tx: Transaction<'static, Postgres>,
    /// Rows written per table, to refresh the planner's statistics before commit.
    written: std::collections::BTreeMap<&'static str, u64>,
}

impl PgBulk {
    /// Refreshes the statistics of every table this import grew by more than a tenth
    /// (autovacuum's rule, which a server may have switched off), and of `refs` with
    /// them: list planning depends on them.
    async fn analyze(&mut self) -> Result<(), StoreError> {
        let mut grown = Vec::new();
        for (table, rows) in &self.written {
            let before: Option<f32> =
                sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)")
                    .bind(*table)
                    .fetch_optional(&mut *self.tx)
                    .await?;
            if (*rows as f32) > 500.0 + 0.1 * before.unwrap_or(0.0).max(0.0) {
                grown.push(*table);
            }
        }
        if !grown.is_empty() {
            grown.push("refs");
            sqlx::query(&format!("ANALYZE {}", grown.join(", ")))
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

#[async_trait]
impl BulkWrite for PgBulk {
    async fn write(&mut self, writes: Vec<Write>) -> Result<u64, StoreError> {
        for w in &writes {
            let table = match w {
                Write::Insert(r) | Write::Upsert(r) => table(r.kind()),
                Write::Update { record, .. } => table(record.kind()),
                Write::Restore { table, .. } => table.name,
                _ => continue,
            };
            *self.written.entry(table).or_default() += 1;
        }
        let (_, stale) = PgStore::apply_all(&mut self.tx, &writes, &Reach::Everything).await?;
        PgStore::note_outbox(&mut self.tx, &writes).await?;
        Ok(stale)
    }

    async fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        PgStore::check_bulk(&mut self.tx).await?;
        self.analyze().await?;
        self.tx.commit().await?;
        Ok(())
    }

    async fn commit_unchecked(mut self: Box<Self>) -> Result<(), StoreError> {
        self.analyze().await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// A repeatable-read, read-only transaction: every query sees one snapshot.
struct PgSnapshot {
    tx: Transaction<'static, Postgres>,
}

#[async_trait]
impl ReadSnapshot for PgSnapshot {
    async fn scan(
        &mut self,
        kind: Kind,
        after_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        let mut qb = QueryBuilder::new(format!(
            "SELECT {} FROM {} t WHERE TRUE",
            select_columns(kind),
            table(kind)
        ));
        if let Some(after) = after_id {
            qb.push(" AND t.id > ").push_bind(after.to_owned());
        }
        qb.push(" ORDER BY t.id LIMIT ").push_bind(i64::from(limit));
        let rows = qb.build().fetch_all(&mut *self.tx).await?;
        rows.iter().map(|r| record_from_row(kind, r)).collect()
    }

    async fn topics(&mut self) -> Result<Vec<Topic>, StoreError> {
        let rows = sqlx::query("SELECT code, labels FROM topics ORDER BY code")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(topic_from_row).collect()
    }

    async fn close(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }

    async fn rows(
        &mut self,
        table: &crate::tables::TableSpec,
        after: Option<&serde_json::Value>,
        limit: u32,
    ) -> Result<Vec<crate::tables::RawRow>, StoreError> {
        let rows = table
            .select_after::<Postgres>(after, limit)
            .build()
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| crate::tables::raw_row(r, table))
            .collect()
    }
}

crate::map_index::map_index_methods!(PgStore);
crate::outbox::outbox_methods!(PgStore, Postgres);
crate::notices::notice_methods!(PgStore);

#[async_trait]
impl Store for PgStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        self.run_migrations().await?;
        self.refresh_derived().await
    }

    async fn write(&self, writes: Vec<Write>, reach: &Reach) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (written, _) = Self::apply_all(&mut tx, &writes, reach).await?;
        Self::note_outbox(&mut tx, &writes).await?;
        Self::check_references(&mut tx, &written, reach).await?;
        for row in written.iter().filter(|r| r.kind == Kind::Organisation) {
            Self::check_hierarchy(&mut tx, &row.id).await?;
        }
        tx.commit().await?;
        self.keep_statistics(written.iter().map(|r| table(r.kind)))
            .await;
        Ok(())
    }

    async fn begin_bulk(&self) -> Result<Box<dyn BulkWrite>, StoreError> {
        let tx = self.begin_write().await?;
        Ok(Box::new(PgBulk {
            tx,
            written: Default::default(),
        }))
    }

    async fn get(
        &self,
        kind: Kind,
        id: &str,
        reach: &Reach,
    ) -> Result<Option<AnyRecord>, StoreError> {
        let mut qb = QueryBuilder::new(format!(
            "SELECT {} FROM {} t WHERE t.id = ",
            select_columns(kind),
            table(kind)
        ));
        qb.push_bind(id.to_owned());
        lists::push_visible(&mut qb, "t", kind, reach);
        match qb.build().fetch_optional(&self.pool).await? {
            Some(row) => Ok(Some(record_from_row(kind, &row)?)),
            None => Ok(None),
        }
    }

    async fn get_many(
        &self,
        kind: Kind,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, AnyRecord>, StoreError> {
        let mut found = std::collections::HashMap::new();
        for chunk in ids.chunks(1000) {
            let rows = sqlx::query(&format!(
                "SELECT {} FROM {} t WHERE t.id = ANY($1)",
                select_columns(kind),
                table(kind)
            ))
            .bind(chunk.to_vec())
            .fetch_all(&self.pool)
            .await?;
            for row in rows {
                let record = record_from_row(kind, &row)?;
                found.insert(record.id().to_owned(), record);
            }
        }
        Ok(found)
    }

    async fn get_topic(&self, code: &str) -> Result<Option<Topic>, StoreError> {
        let row = sqlx::query("SELECT code, labels FROM topics WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| topic_from_row(&r)).transpose()
    }

    async fn list(
        &self,
        reach: &Reach,
        of: crate::ListOf<'_>,
        page: &PageRequest,
    ) -> Result<Page<AnyRecord>, StoreError> {
        ListQuery::of(of).within(reach).page(&self.pool, page).await
    }

    async fn count(
        &self,
        reach: &Reach,
        of: crate::ListOf<'_>,
        most: u64,
    ) -> Result<u64, StoreError> {
        ListQuery::of(of)
            .within(reach)
            .count(&self.pool, most)
            .await
    }

    async fn list_incident_points(
        &self,
        reach: &Reach,
        f: &IncidentFilter,
        page: &PageRequest,
    ) -> Result<Page<crate::IncidentPoint>, StoreError> {
        ListQuery::incidents(f)
            .within(reach)
            .points(&self.pool, page)
            .await
    }

    async fn list_topics(&self) -> Result<Vec<Topic>, StoreError> {
        let rows = sqlx::query("SELECT code, labels FROM topics ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(topic_from_row).collect()
    }

    async fn begin_read(&self) -> Result<Box<dyn ReadSnapshot>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        Ok(Box::new(PgSnapshot { tx }))
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        let row = sqlx::query(crate::plan::COUNTS_SQL)
            .fetch_one(&self.pool)
            .await?;
        crate::plan::counts_from(&row)
    }

    async fn last_key(
        &self,
        table: &crate::tables::TableSpec,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let row = sqlx::query(&table.select_last_key())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| crate::tables::key_cell(&r, table)).transpose()
    }

    async fn cluster_baseline(
        &self,
        [west, south, east, north]: [f64; 4],
        from: &str,
        to: &str,
        cell: f64,
    ) -> Result<(usize, u64), StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT COUNT(*) FROM incidents \
             WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) \
             AND end_at >= $5 AND sort_key <= $6 \
             GROUP BY ST_SnapToGrid(geom, $7)",
        )
        .bind(west)
        .bind(south)
        .bind(east)
        .bind(north)
        .bind(from)
        .bind(to)
        .bind(cell)
        .fetch_all(&self.pool)
        .await?;
        Ok((rows.len(), rows.iter().map(|(n,)| *n as u64).sum()))
    }

    async fn viewport_baseline(
        &self,
        [west, south, east, north]: [f64; 4],
        from: &str,
        to: &str,
        limit: u32,
        indexed: bool,
    ) -> Result<usize, StoreError> {
        let place = if indexed {
            "geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
        } else {
            "(body::json -> 'point' ->> 'lon')::float8 BETWEEN $1 AND $3 \
             AND (body::json -> 'point' ->> 'lat')::float8 BETWEEN $2 AND $4"
        };
        let sql = format!(
            "SELECT id, body FROM incidents WHERE {place} AND end_at >= $5 AND sort_key <= $6 \
             ORDER BY sort_key DESC, id DESC LIMIT $7"
        );
        let rows = sqlx::query(&sql)
            .bind(west)
            .bind(south)
            .bind(east)
            .bind(north)
            .bind(from)
            .bind(to)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.len())
    }

    async fn import_baseline(&self, csv: &[u8]) -> Result<u64, StoreError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv);
        let columns = crate::baseline_columns(reader.headers().map_err(crate::baseline_error)?);
        let mut tx = self.pool.begin().await?;
        sqlx::query("DROP TABLE IF EXISTS bench_import")
            .execute(&mut *tx)
            .await?;
        sqlx::query(&crate::baseline_table(&columns))
            .execute(&mut *tx)
            .await?;
        let mut copy = tx
            .copy_in_raw("COPY bench_import FROM STDIN (FORMAT csv, HEADER true)")
            .await?;
        copy.send(csv).await?;
        let n = copy.finish().await?;
        tx.commit().await?;
        sqlx::query("DROP TABLE bench_import")
            .execute(&self.pool)
            .await?;
        Ok(n)
    }

    async fn explain(&self) -> Result<Vec<(String, String)>, StoreError> {
        let sample: Option<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT (SELECT dst_id FROM refs WHERE rel = 'participant' AND dst_kind = 'person' LIMIT 1), \
                    (SELECT id FROM organisations WHERE parent_id IS NULL LIMIT 1)",
        )
        .fetch_optional(&self.pool)
        .await?;
        let (person, org) = sample.unwrap_or_default();
        let (person, org) = (person.unwrap_or_default(), org.unwrap_or_default());
        let mut out = Vec::new();
        for (name, query) in crate::plan::explained_queries(&person, &org) {
            let (sql, lines) = query.explain(&self.pool).await?;
            out.push((format!("{name}\n{sql}"), lines));
        }
        Ok(out)
    }
}
