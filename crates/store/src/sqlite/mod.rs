//! The embedded SQLite backend: one file, WAL journal, foreign keys on, migrations
//! compiled into the binary, and every write list applied in one `BEGIN IMMEDIATE`
//! transaction (so concurrent writers queue on the busy timeout instead of failing).

mod accounts;
mod lists;
mod rows;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use hawkari_core::record::{Kind, Reference};
use hawkari_core::topic::Topic;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, Transaction};

use crate::plan::{ListQuery, key_column, table};
use crate::{
    AnyRecord, BulkWrite, Counts, IncidentFilter, Page, PageRequest, Reach, ReadSnapshot, Store,
    StoreError, TopicWrite, Write,
};
use lists::ListRun;

crate::checks::write_checks!(SqliteStore, Sqlite);
crate::write_path::apply_all_method!(SqliteStore, Sqlite, |_| crate::write_path::MANY);
use crate::write_path::Applied;
use rows::{RowIn, record_from_row, row_in, select_columns};

/// The folded names of the participants of the engagement whose id is bound to `?`.
const PARTICIPANT_NAMES: &str = "(SELECT coalesce(group_concat(doc, ' '), '') FROM (\
     SELECT f.doc FROM refs r JOIN people p ON p.id = r.dst_id JOIN people_fts f ON f.rowid = p.rowid \
     WHERE r.src_kind = 'engagement' AND r.src_id = ? AND r.rel = 'participant' AND r.dst_kind = 'person' \
     UNION ALL \
     SELECT f.doc FROM refs r JOIN organisations o ON o.id = r.dst_id JOIN organisations_fts f ON f.rowid = o.rowid \
     WHERE r.src_kind = 'engagement' AND r.src_id = ? AND r.rel = 'participant' AND r.dst_kind = 'organisation'))";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/sqlite/migrations");

/// The page cache of a connection, in KiB.
const CACHE_KIB: u32 = 32_000;

/// The page cache of a connection while it writes a long list (an import's batch): every
/// page the batch dirties stays in memory until the commit writes it once, instead of
/// being spilled to the WAL mid-transaction and written again when a later row of the
/// batch touches it. An upper bound, taken only as pages are dirtied, and given back
/// after the commit.
const BULK_CACHE_KIB: u32 = 512_000;

/// A write list at least this long is written with [`BULK_CACHE_KIB`].
const BULK_WRITES: usize = 500;

/// The SQLite implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// See [`lists::SELECTIVE_CAP`]; tests lower it to exercise the probing plans.
    selective_cap: i64,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url`, e.g. `sqlite://hawkari.db`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("bad SQLite URL `{url}`: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL loses no committed transaction when the process dies;
            // only a power cut can take the last few, which FULL would cost every write.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            // Reads through a memory map of up to 2 GB: pages come straight from the
            // operating system's cache, shared by every connection, instead of being
            // copied in one read call each (SQLite's ceiling for the map).
            .pragma("mmap_size", "2147418112");
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::Unavailable(format!("cannot open SQLite database `{url}`: {e}"))
            })?;
        Ok(Self {
            pool,
            selective_cap: lists::SELECTIVE_CAP,
        })
    }

    /// Runs raw SQL on the database, bypassing every rule: for tests that play an
    /// attacker with direct database access (e.g. tampering with the audit log).
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        sqlx::raw_sql(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Brings the schema up to date (see [`Store::migrate`]).
    async fn run_migrations(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::Unavailable(format!(
                "the database schema has migration {v}, which this hawkari binary does not know: \
                 the database was written by a newer version; upgrade hawkari"
            )),
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
            sqlx::query("DELETE FROM derived_refresh WHERE kind = ?")
                .bind(&name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// A transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// concurrent writers queue on the busy timeout instead of failing half-way.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The same store with another threshold between driving and probing list plans.
    pub fn with_selective_cap(mut self, cap: i64) -> Self {
        self.selective_cap = cap.max(1);
        self
    }

    /// Replaces the derived rows of a record: its references and its search document.
    async fn write_index(tx: &mut Transaction<'_, Sqlite>, row: &RowIn) -> Result<(), StoreError> {
        let kind = row.kind.as_str();
        sqlx::query("DELETE FROM refs WHERE src_kind = ? AND src_id = ?")
            .bind(kind)
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        if !row.refs.is_empty() {
            let mut qb = QueryBuilder::new(
                "INSERT OR IGNORE INTO refs (src_kind, src_id, rel, dst_kind, dst_id) ",
            );
            qb.push_values(&row.refs, |mut v, r| {
                v.push_bind(kind)
                    .push_bind(row.id.clone())
                    .push_bind(r.rel.as_str())
                    .push_bind(r.kind.as_str())
                    .push_bind(r.id.clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        let t = table(row.kind);
        let rowid: i64 = sqlx::query_scalar(&format!("SELECT rowid FROM {t} WHERE id = ?"))
            .bind(&row.id)
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query(&format!("DELETE FROM {t}_fts WHERE rowid = ?"))
            .bind(rowid)
            .execute(&mut **tx)
            .await?;
        if row.kind == Kind::Engagement {
            sqlx::query(&format!(
                "INSERT INTO engagements_fts (rowid, doc, names) VALUES (?, ?, {PARTICIPANT_NAMES})"
            ))
            .bind(rowid)
            .bind(&row.search)
            .bind(&row.id)
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        } else {
            sqlx::query(&format!("INSERT INTO {t}_fts (rowid, doc) VALUES (?, ?)"))
                .bind(rowid)
                .bind(&row.search)
                .execute(&mut **tx)
                .await?;
        }
        if let Some(p) = row.point {
            sqlx::query(
                "INSERT OR REPLACE INTO incidents_rtree (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(rowid)
            .bind(p.lon)
            .bind(p.lon)
            .bind(p.lat)
            .bind(p.lat)
            .bind(p.first_day)
            .bind(p.last_day)
            .execute(&mut **tx)
            .await?;
        }
        if matches!(row.kind, Kind::Person | Kind::Organisation) {
            // The engagements this one takes part in are found by its names: refresh them.
            let names = PARTICIPANT_NAMES.replace(
                '?',
                "(SELECT e.id FROM engagements e WHERE e.rowid = engagements_fts.rowid)",
            );
            sqlx::query(&format!(
                "UPDATE engagements_fts SET names = {names} WHERE rowid IN (SELECT e.rowid FROM engagements e WHERE e.id IN \
                 (SELECT src_id FROM refs WHERE dst_kind = ? AND dst_id = ? AND rel = 'participant' AND src_kind = 'engagement'))"
            ))
            .bind(row.kind.as_str())
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Upserts rows of one kind with a handful of statements, whatever their number: the
    /// rows, their references, search documents and R*Tree entries each in one. Returns
    /// the rows written (not those a newer stored version kept out), or `None` if a
    /// uniqueness conflict stopped the statement (nothing was changed).
    async fn upsert_many(
        tx: &mut Transaction<'_, Sqlite>,
        rows: Vec<RowIn>,
    ) -> Result<Option<Vec<Box<RowIn>>>, StoreError> {
        let Some(first) = rows.first() else {
            return Ok(Some(vec![]));
        };
        let (kind, t) = (first.kind, table(first.kind));
        let mut qb = first.insert_many_query(&rows);
        qb.push(" RETURNING id, rowid");
        let returned = match qb.build().fetch_all(&mut **tx).await {
            Err(sqlx::Error::Database(e))
                if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
            {
                return Ok(None);
            }
            other => other?,
        };
        let mut rowids = std::collections::HashMap::new();
        for r in &returned {
            rowids.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
        }
        // The last row of an id is the one stored.
        let mut seen = std::collections::HashSet::new();
        let mut written: Vec<(i64, RowIn)> = rows
            .into_iter()
            .rev()
            .filter(|r| seen.insert(r.id.clone()))
            .filter_map(|r| rowids.get(&r.id).map(|rowid| (*rowid, r)))
            .collect();
        written.reverse();
        if written.is_empty() {
            return Ok(Some(vec![]));
        }
        let mut qb = QueryBuilder::new("DELETE FROM refs WHERE src_kind = ");
        qb.push_bind(kind.as_str()).push(" AND src_id IN (");
        let mut ids = qb.separated(", ");
        for (_, r) in &written {
            ids.push_bind(r.id.clone());
        }
        qb.push(")").build().execute(&mut **tx).await?;
        let refs: Vec<(&str, &Reference)> = written
            .iter()
            .flat_map(|(_, r)| r.refs.iter().map(move |x| (r.id.as_str(), x)))
            .collect();
        for chunk in refs.chunks(1000) {
            let mut qb = QueryBuilder::new(
                "INSERT OR IGNORE INTO refs (src_kind, src_id, rel, dst_kind, dst_id) ",
            );
            qb.push_values(chunk, |mut v, (src, r)| {
                v.push_bind(kind.as_str())
                    .push_bind(src.to_string())
                    .push_bind(r.rel.as_str())
                    .push_bind(r.kind.as_str())
                    .push_bind(r.id.clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        let mut qb = QueryBuilder::new(format!("DELETE FROM {t}_fts WHERE rowid IN ("));
        let mut ids = qb.separated(", ");
        for (rowid, _) in &written {
            ids.push_bind(*rowid);
        }
        qb.push(")").build().execute(&mut **tx).await?;
        let mut qb = QueryBuilder::new(format!("INSERT INTO {t}_fts (rowid, doc) "));
        qb.push_values(&written, |mut v, (rowid, r)| {
            v.push_bind(*rowid).push_bind(r.search.clone());
        });
        qb.build().execute(&mut **tx).await?;
        let points: Vec<(i64, rows::SpaceTime)> = written
            .iter()
            .filter_map(|(rowid, r)| r.point.map(|p| (*rowid, p)))
            .collect();
        if !points.is_empty() {
            let mut qb = QueryBuilder::new(
                "INSERT OR REPLACE INTO incidents_rtree (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) ",
            );
            qb.push_values(&points, |mut v, (rowid, p)| {
                v.push_bind(*rowid)
                    .push_bind(p.lon)
                    .push_bind(p.lon)
                    .push_bind(p.lat)
                    .push_bind(p.lat)
                    .push_bind(p.first_day)
                    .push_bind(p.last_day);
            });
            qb.build().execute(&mut **tx).await?;
        }
        Ok(Some(
            written.into_iter().map(|(_, r)| Box::new(r)).collect(),
        ))
    }

    /// Applies one write. A written row comes back so that its references can be
    /// checked once the whole list is applied (a list may name a record before the one it
    /// refers to).
    async fn apply(
        tx: &mut Transaction<'_, Sqlite>,
        write: &Write,
        reach: &Reach,
    ) -> Result<Applied, StoreError> {
        match write {
            Write::Insert(record) | Write::Upsert(record) => {
                let row = row_in(record)?;
                let upsert = matches!(write, Write::Upsert(_));
                let mut qb = row.insert_query(upsert);
                let done = match qb.build().execute(&mut **tx).await {
                    Err(sqlx::Error::Database(e))
                        if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
                    {
                        return Err(StoreError::taken(row.kind, &row.id));
                    }
                    other => other?,
                };
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
                let mut qb = row.update_query(*expected_version);
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
                    sqlx::query_scalar(&format!("SELECT version FROM {t} WHERE id = ?"))
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
                if *kind == Kind::Incident {
                    sqlx::query("DELETE FROM incidents_rtree WHERE id = (SELECT rowid FROM incidents WHERE id = ?)")
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                }
                sqlx::query(&format!(
                    "DELETE FROM {t}_fts WHERE rowid = (SELECT rowid FROM {t} WHERE id = ?)"
                ))
                .bind(id)
                .execute(&mut **tx)
                .await?;
                sqlx::query("DELETE FROM refs WHERE src_kind = ? AND src_id = ?")
                    .bind(kind.as_str())
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query(&format!("DELETE FROM {t} WHERE id = ?"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                Ok(Applied::Done)
            }
            Write::PutTopic(topic, mode) => {
                let sql = match mode {
                    TopicWrite::Create => "INSERT INTO topics (code, labels) VALUES (?1, ?2)",
                    TopicWrite::Update => "UPDATE topics SET labels = ?2 WHERE code = ?1",
                    TopicWrite::Upsert => {
                        "INSERT INTO topics (code, labels) VALUES (?1, ?2) \
                         ON CONFLICT (code) DO UPDATE SET labels = excluded.labels"
                    }
                };
                let done = match sqlx::query(sql)
                    .bind(topic.code.as_str())
                    .bind(serde_json::to_string(&topic.labels)?)
                    .execute(&mut **tx)
                    .await
                {
                    Err(sqlx::Error::Database(e))
                        if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
                    {
                        return Err(StoreError::Conflict(format!(
                            "topic `{}` already exists",
                            topic.code
                        )));
                    }
                    other => other?,
                };
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
                    "INSERT INTO comments (id, kind, record_id, author, organisation_id, at, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&comment.id)
                .bind(kind.as_str())
                .bind(record_id)
                .bind(&comment.author)
                .bind(&comment.organisation_id)
                .bind(comment.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .bind(comment.text.as_str())
                .execute(&mut **tx)
                .await?;
                Ok(Applied::Done)
            }
            Write::Restore { table, row } => {
                table
                    .restore::<Sqlite>(row)
                    .build()
                    .execute(&mut **tx)
                    .await?;
                Self::after_restore(tx, table, row).await?;
                Ok(Applied::Done)
            }
            Write::DeleteTopic(code) => {
                Self::refuse_if_referenced(tx, Kind::Topic, code.as_str(), reach).await?;
                let done = sqlx::query("DELETE FROM topics WHERE code = ?")
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

/// A bulk import's transaction.
struct SqliteBulk {
    tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl BulkWrite for SqliteBulk {
    async fn write(&mut self, writes: Vec<Write>) -> Result<u64, StoreError> {
        let (_, stale) = SqliteStore::apply_all(&mut self.tx, &writes, &Reach::Everything).await?;
        SqliteStore::note_outbox(&mut self.tx, &writes).await?;
        Ok(stale)
    }

    /// One pass over `refs` per target kind finds the references left dangling, wherever
    /// in the import a record and its target came; one more finds a hierarchy loop.
    async fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        SqliteStore::check_bulk(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(())
    }

    async fn commit_unchecked(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// A read transaction: in WAL mode every query in it sees the same committed state.
struct SqliteSnapshot {
    tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl ReadSnapshot for SqliteSnapshot {
    async fn scan(
        &mut self,
        kind: Kind,
        after_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        let mut qb = QueryBuilder::new(format!(
            "SELECT {} FROM {} t WHERE 1 = 1",
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
        rows.iter().map(rows::topic_from_row).collect()
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
            .select_after::<Sqlite>(after, limit)
            .build()
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| crate::tables::raw_row(r, table))
            .collect()
    }
}

crate::map_index::map_index_methods!(SqliteStore);
crate::outbox::outbox_methods!(SqliteStore, Sqlite);
crate::notices::notice_methods!(SqliteStore);

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        self.run_migrations().await?;
        self.refresh_derived().await
    }

    async fn write(&self, writes: Vec<Write>, reach: &Reach) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let bulk = writes.len() >= BULK_WRITES;
        if bulk {
            sqlx::query(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))
                .execute(&mut *conn)
                .await?;
        }
        let written = async {
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            let (written, _) = Self::apply_all(&mut tx, &writes, reach).await?;
            Self::note_outbox(&mut tx, &writes).await?;
            Self::check_references(&mut tx, &written, reach).await?;
            for row in written.iter().filter(|r| r.kind == Kind::Organisation) {
                Self::check_hierarchy(&mut tx, &row.id).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }
        .await;
        if bulk {
            // Back to the everyday cache: the pages are clean now, and a reader on this
            // connection needs no more than any other.
            // The write is already committed (or not): its result is the answer, whatever
            // becomes of this reset. A connection left with the large cache is dropped.
            if let Err(e) = sqlx::query(&format!("PRAGMA cache_size = -{CACHE_KIB}"))
                .execute(&mut *conn)
                .await
            {
                tracing::warn!(error = %e, "could not reset the page cache after a bulk write");
                conn.detach();
                return written;
            }
        }
        written
    }

    async fn begin_bulk(&self) -> Result<Box<dyn BulkWrite>, StoreError> {
        let tx = self.begin_write().await?;
        Ok(Box::new(SqliteBulk { tx }))
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
        for chunk in ids.chunks(500) {
            let mut qb = QueryBuilder::new(format!(
                "SELECT {} FROM {} t WHERE t.id IN (",
                select_columns(kind),
                table(kind)
            ));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.pool).await? {
                let record = record_from_row(kind, &row)?;
                found.insert(record.id().to_owned(), record);
            }
        }
        Ok(found)
    }

    async fn get_topic(&self, code: &str) -> Result<Option<Topic>, StoreError> {
        let row = sqlx::query("SELECT code, labels FROM topics WHERE code = ?")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| rows::topic_from_row(&r)).transpose()
    }

    async fn list(
        &self,
        reach: &Reach,
        of: crate::ListOf<'_>,
        page: &PageRequest,
    ) -> Result<Page<AnyRecord>, StoreError> {
        ListQuery::of(of)
            .within(reach)
            .page(&self.pool, page, self.selective_cap)
            .await
    }

    async fn count(
        &self,
        reach: &Reach,
        of: crate::ListOf<'_>,
        most: u64,
    ) -> Result<u64, StoreError> {
        ListQuery::of(of)
            .within(reach)
            .count(&self.pool, self.selective_cap, most)
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
            .points(&self.pool, page, self.selective_cap)
            .await
    }

    async fn list_topics(&self) -> Result<Vec<Topic>, StoreError> {
        let rows = sqlx::query("SELECT code, labels FROM topics ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::topic_from_row).collect()
    }

    async fn begin_read(&self) -> Result<Box<dyn ReadSnapshot>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // A deferred transaction takes its snapshot at the first read: take it now.
        sqlx::query("SELECT 1 FROM topics LIMIT 1")
            .execute(&mut *tx)
            .await?;
        Ok(Box::new(SqliteSnapshot { tx }))
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
            "SELECT COUNT(*) FROM incidents_rtree r JOIN incidents i ON i.rowid = r.id \
             WHERE r.min_lon >= ?1 AND r.max_lon <= ?3 AND r.min_lat >= ?2 AND r.max_lat <= ?4 \
             AND r.max_day >= julianday(?5) - 2440587.5 AND r.min_day <= julianday(?6) - 2440587.5 \
             AND i.end_at >= ?5 AND i.sort_key <= ?6 \
             GROUP BY CAST((r.min_lon - ?1) / ?7 AS INTEGER), CAST((r.min_lat - ?2) / ?7 AS INTEGER)",
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
            "rowid IN (SELECT id FROM incidents_rtree WHERE min_lon >= ?1 AND max_lon <= ?3 \
             AND min_lat >= ?2 AND max_lat <= ?4 \
             AND max_day >= julianday(?5) - 2440587.5 AND min_day <= julianday(?6) - 2440587.5)"
        } else {
            "json_extract(body, '$.point.lon') BETWEEN ?1 AND ?3 \
             AND json_extract(body, '$.point.lat') BETWEEN ?2 AND ?4"
        };
        let sql = format!(
            "SELECT id, body FROM incidents WHERE {place} AND end_at >= ?5 AND sort_key <= ?6 \
             ORDER BY sort_key DESC, id DESC LIMIT ?7"
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
        let mut tx = self.begin_write().await?;
        sqlx::query("DROP TABLE IF EXISTS bench_import")
            .execute(&mut *tx)
            .await?;
        sqlx::query(&crate::baseline_table(&columns))
            .execute(&mut *tx)
            .await?;
        let marks = vec!["?"; columns.len()].join(", ");
        let insert = format!("INSERT INTO bench_import VALUES ({marks})");
        let mut n = 0;
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(crate::baseline_error)?
        {
            let mut q = sqlx::query(&insert);
            for i in 0..columns.len() {
                q = q.bind(record.get(i).unwrap_or_default().to_owned());
            }
            q.execute(&mut *tx).await?;
            n += 1;
        }
        tx.commit().await?;
        sqlx::query("DROP TABLE bench_import")
            .execute(&self.pool)
            .await?;
        Ok(n)
    }

    async fn explain(&self) -> Result<Vec<(String, String)>, StoreError> {
        let sample: Option<(String, String)> = sqlx::query_as(
            "SELECT (SELECT dst_id FROM refs WHERE rel = 'participant' AND dst_kind = 'person' LIMIT 1), \
                    (SELECT id FROM organisations WHERE parent_id IS NULL LIMIT 1)",
        )
        .fetch_optional(&self.pool)
        .await?;
        let (person, org) = sample.unwrap_or_default();
        let mut out = Vec::new();
        for (name, query) in crate::plan::explained_queries(&person, &org) {
            let (sql, lines) = query.explain(&self.pool, self.selective_cap).await?;
            out.push((format!("{name}\n{sql}"), lines));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use hawkari_core::organisation::{Organisation, OrganisationData};
    use hawkari_core::record::parts_from_json;
    use serde_json::json;

    use super::*;

    async fn memory_store() -> SqliteStore {
        let store = SqliteStore::connect("sqlite::memory:", 1).await.unwrap();
        store.migrate().await.unwrap();
        store
    }

    fn organisation(id: &str, parent: Option<&str>) -> AnyRecord {
        let value = json!({"id": id, "names": {"en": id}, "kind": "regional", "owner_org_id": id, "parent_id": parent,
            "version": 1, "created_by": "t", "created_at": "2025-01-01T00:00:00Z", "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"});
        let (id, data, meta, _) = parts_from_json::<OrganisationData>(value, &[], "").unwrap();
        AnyRecord::Organisation(Organisation {
            id: id.try_into().unwrap(),
            data,
            meta,
        })
    }

    #[tokio::test]
    async fn a_database_written_by_a_newer_hawkari_is_refused_with_a_clear_message() {
        let store = memory_store().await;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
             VALUES (9999, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        let err = store.migrate().await.unwrap_err();
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(err.to_string().contains("newer version"), "{err}");
    }

    fn incident(id: &str, owner: &str, lon: f64, version: i64) -> Write {
        let value = json!({"id": id, "when": "2025-09-14", "point": {"lat": 35.0, "lon": lon}, "type": "ied",
            "narrative": format!("roadside bomb {id}"), "owner_org_id": owner,
            "version": version, "created_by": "t", "created_at": "2025-01-01T00:00:00Z", "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"});
        let (id, data, meta, _) =
            parts_from_json::<hawkari_core::incident::IncidentData>(value, &[], "").unwrap();
        Write::Upsert(AnyRecord::Incident(hawkari_core::incident::Incident {
            id: id.try_into().unwrap(),
            data,
            meta,
        }))
    }

    async fn scalar(store: &SqliteStore, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn runs_of_upserts_are_written_together_with_their_index_rows() {
        let store = memory_store().await;
        let mut writes = vec![Write::Upsert(organisation("mopa", None))];
        writes
            .extend((0..3).map(|i| incident(&format!("inc-{i}"), "mopa", 44.0 + f64::from(i), 1)));
        store.write(writes, &Reach::Everything).await.unwrap();
        assert_eq!(store.counts().await.unwrap().incidents, 3);
        for sql in [
            "SELECT count(*) FROM incidents_rtree",
            "SELECT count(*) FROM incidents_fts",
            "SELECT count(*) FROM refs WHERE src_kind = 'incident'",
        ] {
            assert_eq!(scalar(&store, sql).await, 3, "{sql}");
        }
        // Version 2 of inc-0 moves it; an older version of inc-1 changes nothing.
        store
            .write(
                vec![
                    incident("inc-0", "mopa", 46.5, 2),
                    incident("inc-1", "mopa", 40.0, 0),
                ],
                &Reach::Everything,
            )
            .await
            .unwrap();
        let box_of = |id: &str| {
            format!(
                "SELECT CAST(min_lon * 10 AS INTEGER) FROM incidents_rtree WHERE id = (SELECT rowid FROM incidents WHERE id = '{id}')"
            )
        };
        assert_eq!(scalar(&store, &box_of("inc-0")).await, 465);
        assert_eq!(scalar(&store, &box_of("inc-1")).await, 450);
        assert_eq!(
            scalar(&store, "SELECT count(*) FROM incidents_fts").await,
            3
        );
        assert_eq!(
            scalar(
                &store,
                "SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'inc'"
            )
            .await,
            3
        );
        // A run naming an organisation that does not exist is refused whole.
        let err = store
            .write(
                vec![
                    incident("inc-3", "mopa", 44.0, 1),
                    incident("inc-4", "ghost", 44.0, 1),
                ],
                &Reach::Everything,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(v) if v.errors[0].field == "owner_org_id"),
            "{err:?}"
        );
        assert_eq!(store.counts().await.unwrap().incidents, 3);
        assert_eq!(
            scalar(&store, "SELECT count(*) FROM incidents_rtree").await,
            3
        );
    }

    #[tokio::test]
    async fn a_write_list_that_fails_part_way_leaves_nothing_behind() {
        let store = memory_store().await;
        let writes = vec![
            Write::Insert(organisation("mopa", None)),
            Write::Insert(organisation("sector-6", Some("mopa"))),
            Write::Insert(organisation("orphan", Some("ghost"))),
        ];
        let err = store.write(writes, &Reach::Everything).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(v) if v.errors[0].field == "parent_id"),
            "{err:?}"
        );
        assert_eq!(store.counts().await.unwrap().total(), 0);
        let refs: i64 = sqlx::query_scalar("SELECT count(*) FROM refs")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        let docs: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations_fts")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!((refs, docs), (0, 0));
    }

    #[tokio::test]
    async fn a_list_may_name_a_record_before_the_one_it_refers_to() {
        let store = memory_store().await;
        store
            .write(
                vec![
                    Write::Upsert(organisation("sector-6", Some("mopa"))),
                    Write::Upsert(organisation("mopa", None)),
                ],
                &Reach::Everything,
            )
            .await
            .unwrap();
        assert_eq!(store.counts().await.unwrap().organisations, 2);
    }

    fn organisation_at(id: &str, parent: Option<&str>, version: i64) -> AnyRecord {
        let mut r = organisation(id, parent);
        if let AnyRecord::Organisation(o) = &mut r {
            o.meta.version = version;
        }
        r
    }

    #[tokio::test]
    async fn an_upsert_never_replaces_a_newer_record() {
        let store = memory_store().await;
        store
            .write(
                vec![Write::Upsert(organisation_at("mopa", None, 3))],
                &Reach::Everything,
            )
            .await
            .unwrap();
        let mut bulk = store.begin_bulk().await.unwrap();
        let stale = bulk
            .write(vec![Write::Upsert(organisation_at(
                "mopa",
                Some("mopa-old-parent"),
                2,
            ))])
            .await
            .unwrap();
        bulk.commit().await.unwrap();
        assert_eq!(stale, 1);
        let Some(AnyRecord::Organisation(o)) = store
            .get(Kind::Organisation, "mopa", &Reach::Everything)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_eq!((o.meta.version, o.data.parent_id), (3, None));
    }

    #[tokio::test]
    async fn a_hierarchy_loop_is_refused_in_single_writes_and_in_bulk() {
        let store = memory_store().await;
        store
            .write(
                vec![
                    Write::Insert(organisation("a", None)),
                    Write::Insert(organisation("b", Some("a"))),
                ],
                &Reach::Everything,
            )
            .await
            .unwrap();
        let err = store
            .write(
                vec![Write::Update {
                    record: organisation_at("a", Some("b"), 2),
                    expected_version: 1,
                }],
                &Reach::Everything,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(v) if v.errors[0].field == "parent_id"),
            "{err:?}"
        );
        let mut bulk = store.begin_bulk().await.unwrap();
        bulk.write(vec![Write::Upsert(organisation_at("a", Some("b"), 2))])
            .await
            .unwrap();
        let err = bulk.commit().await.unwrap_err();
        assert!(err.to_string().contains("loops back"), "{err}");
        let Some(AnyRecord::Organisation(a)) = store
            .get(Kind::Organisation, "a", &Reach::Everything)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(a.data.parent_id, None, "nothing was committed");
    }

    #[tokio::test]
    async fn a_bulk_import_reports_every_dangling_reference() {
        let store = memory_store().await;
        let mut bulk = store.begin_bulk().await.unwrap();
        bulk.write(vec![
            Write::Upsert(organisation("x", Some("ghost-1"))),
            Write::Upsert(organisation("y", Some("ghost-2"))),
        ])
        .await
        .unwrap();
        let Err(StoreError::Invalid(v)) = bulk.commit().await else {
            panic!("expected invalid")
        };
        let messages: Vec<String> = v
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        assert_eq!(
            messages,
            [
                "organisation `x` (parent): no organisation with id `ghost-1`",
                "organisation `y` (parent): no organisation with id `ghost-2`"
            ]
        );
        assert_eq!(store.counts().await.unwrap().total(), 0);
    }

    #[tokio::test]
    async fn the_outbox_is_written_in_the_transaction_only_once_switched_on() {
        use crate::outbox::OutboxStore;
        let store = memory_store().await;
        store
            .write(
                vec![Write::Upsert(organisation("mopa", None))],
                &Reach::Everything,
            )
            .await
            .unwrap();
        assert_eq!(store.outbox_len().await.unwrap(), 0, "off: nothing queued");
        assert!(store.switch_outbox_on().await.unwrap());
        assert!(!store.switch_outbox_on().await.unwrap(), "already on");
        let queued = store.outbox_next(10).await.unwrap();
        assert_eq!(
            queued
                .iter()
                .map(|e| (e.kind, e.record_id.as_str()))
                .collect::<Vec<_>>(),
            [(Kind::Organisation, "mopa")],
            "switching on queues what is stored"
        );
        let mut bulk = store.begin_bulk().await.unwrap();
        bulk.write(
            (0..3)
                .map(|i| incident(&format!("inc-{i}"), "mopa", 44.0, 1))
                .collect(),
        )
        .await
        .unwrap();
        bulk.commit().await.unwrap();
        // A write list that fails leaves no entry.
        let err = store
            .write(
                vec![incident("inc-9", "ghost", 44.0, 1)],
                &Reach::Everything,
            )
            .await;
        assert!(err.is_err());
        store
            .write(
                vec![Write::Delete {
                    kind: Kind::Incident,
                    id: "inc-0".into(),
                    expected_version: None,
                }],
                &Reach::Everything,
            )
            .await
            .unwrap();
        let queued = store.outbox_next(10).await.unwrap();
        let ids: Vec<&str> = queued.iter().map(|e| e.record_id.as_str()).collect();
        assert_eq!(ids, ["mopa", "inc-0", "inc-1", "inc-2", "inc-0"]);
        let seqs: Vec<i64> = queued.iter().map(|e| e.seq).take(2).collect();
        store.outbox_done(&seqs, &[], vec![]).await.unwrap();
        assert_eq!(store.outbox_len().await.unwrap(), 3);
    }

    #[test]
    fn match_expressions_quote_folded_prefixes() {
        use super::lists::match_expression;
        use hawkari_core::text::query_tokens;
        assert_eq!(
            match_expression(&query_tokens("Bārzānī AND")),
            "\"barzani\"* \"and\"*"
        );
        assert!(query_tokens("\"*()").is_empty());
    }
}
