//! `hawkari db copy`: a whole database moved to another (SQLite to PostgreSQL, or any
//! backend to any), in batches that each commit, so an interrupted copy resumes where
//! it stopped; then verified table by table, counts and SHA-256 checksums of what each
//! side reads back.
//!
//! Records are read from one snapshot of the source, in id order; each table continues
//! after the greatest key the target already holds. Batches are committed without the
//! reference check (a record may come before the one it refers to — a follow-up before
//! the meeting it follows, a unit before its parent); the checksums at the end prove the
//! target holds what the source does.

use hawkari_store::tables::{COPIED_TABLES, TableSpec};
use hawkari_store::{Store, TopicWrite, Write};
use sha2::{Digest, Sha256};

use crate::AppError;
use crate::dataset::SECTIONS;
use crate::dataset::erased::Json;

/// Rows written per committed batch.
pub const BATCH: u32 = 2000;

/// One table's figures after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub table: &'static str,
    /// Rows this run wrote (0 for a table a previous run had finished).
    pub copied: u64,
    pub source_rows: u64,
    pub target_rows: u64,
    pub source_sha256: String,
    pub target_sha256: String,
}

impl TableCheck {
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_sha256 == self.target_sha256
    }
}

/// What a copy reports as it goes.
#[derive(Debug, Clone, Copy)]
pub enum CopyProgress<'a> {
    /// `rows` of `table` written so far by this run (`resumed` if it continued after
    /// rows a previous run had written).
    Copied {
        table: &'a str,
        rows: u64,
        resumed: bool,
    },
    /// Checksumming `table`.
    Verifying { table: &'a str },
}

fn copy_error(table: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("copying {table}: {e}"))
}

/// Copies everything in `from` to `to` (already migrated), then verifies every table.
pub async fn copy_database(
    from: &dyn Store,
    to: &dyn Store,
    mut progress: impl FnMut(CopyProgress<'_>),
) -> Result<Vec<TableCheck>, AppError> {
    let mut snapshot = from.begin_read().await?;
    let mut copied: Vec<(&'static str, u64)> = Vec::new();
    for (table, kind) in SECTIONS {
        let Some(kind) = kind else {
            // Topics are a short vocabulary: written whole every time.
            let topics = snapshot.topics().await?;
            let writes: Vec<Write> = topics
                .into_iter()
                .map(|t| Write::PutTopic(t, TopicWrite::Upsert))
                .collect();
            let n = writes.len() as u64;
            let mut bulk = to.begin_bulk().await?;
            bulk.write(writes).await.map_err(|e| copy_error(table, e))?;
            bulk.commit_unchecked().await?;
            progress(CopyProgress::Copied {
                table,
                rows: n,
                resumed: false,
            });
            copied.push((table, n));
            continue;
        };
        let mut after = to
            .last_key(&TableSpec::record(kind))
            .await?
            .and_then(|v| v.as_str().map(str::to_owned));
        let resumed = after.is_some();
        let mut n = 0u64;
        loop {
            let batch = snapshot.scan(kind, after.as_deref(), BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id().to_owned());
            n += batch.len() as u64;
            let mut bulk = to.begin_bulk().await?;
            bulk.write(batch.into_iter().map(Write::Upsert).collect())
                .await
                .map_err(|e| copy_error(table, e))?;
            bulk.commit_unchecked().await?;
            progress(CopyProgress::Copied {
                table,
                rows: n,
                resumed,
            });
        }
        copied.push((table, n));
    }
    for spec in COPIED_TABLES {
        let mut after = to.last_key(&spec).await?;
        let resumed = after.is_some();
        let mut n = 0u64;
        loop {
            let rows = snapshot.rows(&spec, after.as_ref(), BATCH).await?;
            let Some(last) = rows.last() else { break };
            after = Some(spec.key_of(last));
            n += rows.len() as u64;
            let mut bulk = to.begin_bulk().await?;
            bulk.write(
                rows.into_iter()
                    .map(|row| Write::Restore { table: spec, row })
                    .collect(),
            )
            .await
            .map_err(|e| copy_error(spec.name, e))?;
            bulk.commit_unchecked().await?;
            progress(CopyProgress::Copied {
                table: spec.name,
                rows: n,
                resumed,
            });
        }
        copied.push((spec.name, n));
    }
    snapshot.close().await?;
    let mut checks = Vec::new();
    for (table, copied) in copied {
        progress(CopyProgress::Verifying { table });
        let (source_rows, source_sha256) = digest(from, table).await?;
        let (target_rows, target_sha256) = digest(to, table).await?;
        checks.push(TableCheck {
            table,
            copied,
            source_rows,
            target_rows,
            source_sha256,
            target_sha256,
        });
    }
    Ok(checks)
}

/// The number of rows of a table and the SHA-256 of their canonical JSON, one per line,
/// in key order, as the store reads them back.
pub async fn digest(store: &dyn Store, table: &str) -> Result<(u64, String), AppError> {
    let mut snapshot = store.begin_read().await?;
    let mut hash = Sha256::new();
    let mut n = 0u64;
    let mut line = Vec::new();
    let mut add = |item: &dyn Json| -> Result<(), AppError> {
        line.clear();
        item.write_json(&mut line)
            .map_err(|e| copy_error(table, e))?;
        hash.update(&line);
        hash.update(b"\n");
        n += 1;
        Ok(())
    };
    match SECTIONS.into_iter().find(|(t, _)| *t == table) {
        Some((_, None)) => {
            for t in snapshot.topics().await? {
                add(&t)?;
            }
        }
        Some((_, Some(kind))) => {
            let mut after: Option<String> = None;
            loop {
                let batch = snapshot.scan(kind, after.as_deref(), BATCH).await?;
                let Some(last) = batch.last() else { break };
                after = Some(last.id().to_owned());
                for r in &batch {
                    add(r)?;
                }
            }
        }
        None => {
            let spec = COPIED_TABLES
                .iter()
                .find(|s| s.name == table)
                .ok_or_else(|| AppError::Unavailable(format!("no table `{table}` is copied")))?;
            let mut after = None;
            loop {
                let rows = snapshot.rows(spec, after.as_ref(), BATCH).await?;
                let Some(last) = rows.last() else { break };
                after = Some(spec.key_of(last));
                for row in &rows {
                    add(row)?;
                }
            }
        }
    }
    snapshot.close().await?;
    let hex = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((n, hex))
}
