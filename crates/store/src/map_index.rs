//! What the map's cluster index (`hawkari_app::clusters`) reads from either backend:
//! every incident's point, time, type, owner and releases — not its record — and which
//! incidents the audit log says were written since the index was last brought up to date.
//! The statements are the same on SQLite and PostgreSQL; each backend runs them
//! (`map_index_methods!` below) on its own pool.

use crate::StoreError;

/// One incident as the map's cluster index keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentMapRow {
    pub id: String,
    /// When it began and ended (RFC 3339, as the list compares them).
    pub start: String,
    pub end: String,
    pub incident_type: String,
    pub lon: f64,
    pub lat: f64,
    pub owner: String,
    pub releasable_to: Vec<String>,
    pub groups: Vec<String>,
}

/// The incidents written after a point in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentsWritten {
    /// These (created, changed or deleted); possibly none.
    These(Vec<String>),
    /// Too many to name, or an entry names none (an import's batch): read them all again.
    All,
}

pub(crate) const AUDIT_SEQ_SQL: &str = "SELECT COALESCE(MAX(seq), 0) FROM audit_log";

/// Incident entries of the audit log in a range of sequence numbers, and a dataset's
/// import (which names no kind or record, so everything is read again), at most one past
/// the limit (the caller then reads everything).
pub(crate) const WRITTEN_SQL: &str = "SELECT record_id FROM audit_log \
     WHERE seq > $1 AND seq <= $2 AND (kind = 'incident' OR (kind IS NULL AND action = 'import')) \
     ORDER BY seq LIMIT $3";

pub(crate) const ROWS_SQL: &str =
    "SELECT id, sort_key, end_at, type, lon, lat, owner_org_id FROM incidents";
pub(crate) const REFS_SQL: &str = "SELECT src_id, rel, dst_id FROM refs \
     WHERE src_kind = 'incident' AND rel IN ('releasable_to', 'release_group')";

pub(crate) type RowTuple = (
    String,
    String,
    String,
    String,
    Option<f64>,
    Option<f64>,
    String,
);

/// How many ids one statement names (well under both backends' parameter limits).
pub(crate) const CHUNK: usize = 500;

/// The audit entries' record ids as the index wants them: `All` when one names none or
/// there are more than `limit`.
pub(crate) fn written(ids: Vec<Option<String>>, limit: usize) -> IncidentsWritten {
    if ids.len() > limit || ids.iter().any(Option::is_none) {
        return IncidentsWritten::All;
    }
    let mut ids: Vec<String> = ids.into_iter().flatten().collect();
    ids.sort();
    ids.dedup();
    IncidentsWritten::These(ids)
}

/// Rows and their release refs, joined by id (a row without a point is left out: the
/// map cannot draw it, and the list's box filter never matches it).
pub(crate) fn assemble(
    rows: Vec<RowTuple>,
    refs: Vec<(String, String, String)>,
) -> Vec<IncidentMapRow> {
    let mut out: Vec<IncidentMapRow> = rows
        .into_iter()
        .filter_map(|(id, start, end, incident_type, lon, lat, owner)| {
            Some(IncidentMapRow {
                id,
                start,
                end,
                incident_type,
                lon: lon?,
                lat: lat?,
                owner,
                releasable_to: Vec::new(),
                groups: Vec::new(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    for (src, rel, dst) in refs {
        if let Ok(i) = out.binary_search_by(|r| r.id.as_str().cmp(&src)) {
            match rel.as_str() {
                "releasable_to" => out[i].releasable_to.push(dst),
                _ => out[i].groups.push(dst),
            }
        }
    }
    out
}

/// What the index reads; every [`crate::Store`] is one (`map_index_methods!`).
#[async_trait::async_trait]
pub trait MapIndexStore: Send + Sync {
    /// The audit log's newest sequence number (0 when it is empty).
    async fn audit_seq(&self) -> Result<i64, StoreError>;
    /// The incidents the audit log says were written after entry `after` up to `upto`
    /// (`All` past `limit` of them).
    async fn incidents_written(
        &self,
        after: i64,
        upto: i64,
        limit: usize,
    ) -> Result<IncidentsWritten, StoreError>;
    /// Every incident's map facts (point, time, type, owner, releases), or these ones'
    /// (those deleted are simply not returned); no releasability: the caller applies it.
    async fn incident_map_rows(
        &self,
        ids: Option<&[String]>,
    ) -> Result<Vec<IncidentMapRow>, StoreError>;
}

/// [`MapIndexStore`] for a backend (`$store`) whose `self.pool` is a `sqlx::Pool`.
macro_rules! map_index_methods {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::map_index::MapIndexStore for $store {
            async fn audit_seq(&self) -> Result<i64, StoreError> {
                let (seq,): (i64,) = sqlx::query_as(crate::map_index::AUDIT_SEQ_SQL)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(seq)
            }

            async fn incidents_written(
                &self,
                after: i64,
                upto: i64,
                limit: usize,
            ) -> Result<crate::map_index::IncidentsWritten, StoreError> {
                let ids: Vec<(Option<String>,)> = sqlx::query_as(crate::map_index::WRITTEN_SQL)
                    .bind(after)
                    .bind(upto)
                    .bind(i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(crate::map_index::written(
                    ids.into_iter().map(|(id,)| id).collect(),
                    limit,
                ))
            }

            async fn incident_map_rows(
                &self,
                ids: Option<&[String]>,
            ) -> Result<Vec<crate::map_index::IncidentMapRow>, StoreError> {
                use crate::map_index::{CHUNK, REFS_SQL, ROWS_SQL, RowTuple};
                let (mut rows, mut refs) = (Vec::new(), Vec::new());
                match ids {
                    None => {
                        rows = sqlx::query_as::<_, RowTuple>(ROWS_SQL)
                            .fetch_all(&self.pool)
                            .await?;
                        refs = sqlx::query_as(REFS_SQL).fetch_all(&self.pool).await?;
                    }
                    Some(ids) => {
                        for chunk in ids.chunks(CHUNK) {
                            let mut q = sqlx::QueryBuilder::new(format!("{ROWS_SQL} WHERE id IN "));
                            crate::plan::push_list(&mut q, chunk.iter().cloned());
                            rows.extend(
                                q.build_query_as::<RowTuple>().fetch_all(&self.pool).await?,
                            );
                            let mut q =
                                sqlx::QueryBuilder::new(format!("{REFS_SQL} AND src_id IN "));
                            crate::plan::push_list(&mut q, chunk.iter().cloned());
                            refs.extend(
                                q.build_query_as::<(String, String, String)>()
                                    .fetch_all(&self.pool)
                                    .await?,
                            );
                        }
                    }
                }
                Ok(crate::map_index::assemble(rows, refs))
            }
        }
    };
}
pub(crate) use map_index_methods;
