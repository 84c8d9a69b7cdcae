//! List queries of the PostgreSQL backend: the shared [`ListQuery`] rendered as one
//! statement per page.
//!
//! Text (a GIN-indexed tsvector on the row) and boxes (a GiST-indexed geometry on the
//! row) are conditions on the row itself, left to PostgreSQL's planner. Sets of
//! references (with this person, of this organisation tree, on this topic) are planned
//! as in SQLite, because the planner's estimates for `refs` are poor (its columns are
//! far from independent): each is counted up to [`SELECTIVE_CAP`], the smallest under it
//! *drives* (`t.id IN (…)`, read first, then sorted) and the others are *probed* per row
//! of the ordered scan (`EXISTS (… OFFSET 0)`: the fence keeps PostgreSQL from turning
//! the probe into a hash of the whole set). Releasability is always probed per row.
//! Figures side by side in docs/benchmarks.md.

use hawkari_core::access::Reach;
use hawkari_core::record::Kind;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{Postgres, QueryBuilder, Row};

use super::table;
use crate::plan::{Clause, ListQuery, Plan, SELECTIVE_CAP, push_row_clause};
use crate::record_row::{record_from_row, select_columns};
use crate::{AnyRecord, Cursor, IncidentPoint, Page, PageRequest, StoreError};

/// A `tsquery` asking for every folded token as a word prefix. Tokens are letters and
/// digits only (core::text), quoted all the same.
pub(super) fn tsquery(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("'{}':*", t.replace('\'', "''").replace('\\', "\\\\")))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// ` AND` the record `alias` (of `kind`) is within `reach` ([`crate::plan::push_visible`]).
pub(super) fn push_visible(
    qb: &mut QueryBuilder<'static, Postgres>,
    alias: &str,
    kind: Kind,
    reach: &Reach,
) {
    crate::plan::push_visible(qb, alias, kind, reach, " OFFSET 0");
}

/// Organisation `id` and every organisation below it, as a subquery.
pub(super) fn push_tree(qb: &mut QueryBuilder<'static, Postgres>, id: &str) {
    qb.push("(WITH RECURSIVE sub(id) AS (SELECT CAST(");
    qb.push_bind(id.to_owned());
    qb.push(" AS TEXT) COLLATE \"C\" UNION SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)");
}

/// `WHERE` of the references a set clause stands for, on `refs` aliased `r`.
fn push_refs(qb: &mut QueryBuilder<'static, Postgres>, clause: &Clause) {
    match clause {
        Clause::RefTo { src, rel, dst, id } => {
            qb.push(format!(
                "r.src_kind = '{}' AND r.rel = '{}' AND r.dst_kind = '{}' AND r.dst_id = ",
                src.as_str(),
                rel.as_str(),
                dst.as_str()
            ));
            qb.push_bind(id.clone());
        }
        Clause::RefToTree { src, rel, id } => {
            qb.push(format!(
                "r.src_kind = '{}' AND r.rel = '{}' AND r.dst_kind = 'organisation' AND r.dst_id IN ",
                src.as_str(),
                rel.as_str()
            ));
            push_tree(qb, id);
        }
        Clause::RefToAny { src, rel, ids } => {
            qb.push(format!(
                "r.src_kind = '{}' AND r.rel = '{}' AND r.dst_kind = 'organisation' AND r.dst_id = ANY(",
                src.as_str(),
                rel.as_str()
            ));
            qb.push_bind(ids.clone()).push(")");
        }
        _ => {}
    }
}

/// The organisation `id` and every organisation below it.
async fn tree(pool: &PgPool, id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS TEXT) COLLATE \"C\" \
         UNION SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// The query with its organisation trees resolved to lists of ids, so that the planner
/// estimates them from its statistics (a recursive query it can only guess at).
async fn resolved(query: &ListQuery, pool: &PgPool) -> Result<ListQuery, StoreError> {
    let mut q = query.clone();
    for clause in &mut q.clauses {
        match clause {
            Clause::RefToTree { src, rel, id } => {
                *clause = Clause::RefToAny {
                    src: *src,
                    rel: *rel,
                    ids: tree(pool, id).await?,
                };
            }
            Clause::ColumnInTree(col, id) => {
                *clause = Clause::ColumnIn(col, tree(pool, id).await?);
            }
            _ => {}
        }
    }
    Ok(q)
}

fn is_ref_set(clause: &Clause) -> bool {
    matches!(
        clause,
        Clause::RefTo { .. } | Clause::RefToTree { .. } | Clause::RefToAny { .. }
    )
}

/// The reference set that should drive: the smallest, if it is under the cap.
async fn driver(query: &ListQuery, pool: &PgPool) -> Result<Option<usize>, StoreError> {
    let sets: Vec<usize> = (0..query.clauses.len())
        .filter(|&i| is_ref_set(&query.clauses[i]))
        .collect();
    if sets.is_empty() {
        return Ok(None);
    }
    let mut qb = QueryBuilder::new("SELECT ");
    for (n, &i) in sets.iter().enumerate() {
        if n > 0 {
            qb.push(", ");
        }
        qb.push("(SELECT count(*) FROM (SELECT 1 FROM refs r WHERE ");
        push_refs(&mut qb, &query.clauses[i]);
        qb.push(format!(" LIMIT {SELECTIVE_CAP}) x)"));
    }
    let row = qb.build().fetch_one(pool).await?;
    let mut best: Option<(i64, usize)> = None;
    for (n, &i) in sets.iter().enumerate() {
        let count: i64 = row.try_get(n)?;
        if count < SELECTIVE_CAP && best.is_none_or(|(b, _)| count < b) {
            best = Some((count, i));
        }
    }
    Ok(best.map(|(_, i)| i))
}

fn push_clause(qb: &mut QueryBuilder<'static, Postgres>, clause: &Clause, plan: Plan) {
    match clause {
        Clause::Eq(..)
        | Clause::Cmp(..)
        | Clause::InForce(_)
        | Clause::Pending
        | Clause::ColumnIn(..) => {
            push_row_clause(qb, clause);
        }
        Clause::ColumnInTree(col, org) => {
            qb.push(format!(" AND t.{col} IN "));
            push_tree(qb, org);
        }
        Clause::RefTo { .. } | Clause::RefToTree { .. } | Clause::RefToAny { .. } => {
            if plan == Plan::Drive {
                qb.push(" AND t.id IN (SELECT r.src_id FROM refs r WHERE ");
                push_refs(qb, clause);
                qb.push(")");
            } else {
                qb.push(" AND EXISTS (SELECT 1 FROM refs r WHERE r.src_id = t.id AND ");
                push_refs(qb, clause);
                qb.push(" OFFSET 0)");
            }
        }
        Clause::InBox {
            bbox: [west, south, east, north],
            ..
        } => {
            // The time window is tested on the row's own columns (its Cmp clauses).
            qb.push(" AND t.geom && ST_MakeEnvelope(")
                .push_bind(*west)
                .push(", ")
                .push_bind(*south)
                .push(", ")
                .push_bind(*east)
                .push(", ")
                .push_bind(*north)
                .push(", 4326)");
        }
        Clause::Text { tokens, .. } => {
            qb.push(" AND t.search @@ to_tsquery('simple', ")
                .push_bind(tsquery(tokens))
                .push(")");
        }
    }
}

/// How a list query runs in PostgreSQL: one ordered statement per page.
pub(super) trait PgList {
    /// `select` over the filtered rows, unordered.
    fn filtered(&self, select: &str, driver: Option<usize>) -> QueryBuilder<'static, Postgres>;
    /// `select` (sort key and id first) over the filtered rows in order, one more than
    /// the page to know whether another follows.
    fn ordered(
        &self,
        select: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Postgres>;
    async fn rows(
        &self,
        pool: &PgPool,
        page: &PageRequest,
        select: &str,
    ) -> Result<(Vec<PgRow>, Option<Cursor>), StoreError>;
    async fn page(&self, pool: &PgPool, page: &PageRequest) -> Result<Page<AnyRecord>, StoreError>;
    async fn points(
        &self,
        pool: &PgPool,
        page: &PageRequest,
    ) -> Result<Page<IncidentPoint>, StoreError>;
    async fn explain(&self, pool: &PgPool) -> Result<(String, String), StoreError>;
    async fn count(&self, pool: &PgPool, most: u64) -> Result<u64, StoreError>;
}

impl PgList for ListQuery {
    fn filtered(&self, select: &str, driver: Option<usize>) -> QueryBuilder<'static, Postgres> {
        let mut qb = QueryBuilder::new(format!("{select} FROM {} t WHERE TRUE", table(self.kind)));
        for (i, c) in self.clauses.iter().enumerate() {
            let plan = if driver == Some(i) {
                Plan::Drive
            } else {
                Plan::Probe
            };
            push_clause(&mut qb, c, plan);
        }
        push_visible(&mut qb, "t", self.kind, &self.reach);
        qb
    }

    fn ordered(
        &self,
        select: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Postgres> {
        let mut qb = self.filtered(select, driver);
        if let Some(c) = &page.after {
            let col = self.order;
            qb.push(if self.desc {
                format!(" AND (t.{col}, t.id) < (")
            } else {
                format!(" AND (t.{col}, t.id) > (")
            });
            qb.push_bind(c.key.clone())
                .push(", ")
                .push_bind(c.id.clone())
                .push(")");
        }
        let dir = if self.desc { "DESC" } else { "ASC" };
        qb.push(format!(
            " ORDER BY t.{} {dir}, t.id {dir} LIMIT ",
            self.order
        ));
        qb.push_bind(i64::from(page.limit) + 1);
        qb
    }

    async fn rows(
        &self,
        pool: &PgPool,
        page: &PageRequest,
        select: &str,
    ) -> Result<(Vec<PgRow>, Option<Cursor>), StoreError> {
        let query = resolved(self, pool).await?;
        let driver = driver(&query, pool).await?;
        let mut rows = query
            .ordered(select, driver, page)
            .build()
            .fetch_all(pool)
            .await?;
        let limit = page.limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = match rows.last() {
            Some(last) if more => Some(Cursor {
                key: last.try_get(0)?,
                id: last.try_get(1)?,
            }),
            _ => None,
        };
        Ok((rows, next))
    }

    async fn page(&self, pool: &PgPool, page: &PageRequest) -> Result<Page<AnyRecord>, StoreError> {
        let select = format!(
            "SELECT t.{} AS page_key, {}",
            self.order,
            select_columns(self.kind)
        );
        let (rows, next) = self.rows(pool, page, &select).await?;
        let items = rows
            .iter()
            .map(|r| record_from_row(self.kind, r))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, next })
    }

    async fn points(
        &self,
        pool: &PgPool,
        page: &PageRequest,
    ) -> Result<Page<IncidentPoint>, StoreError> {
        let (rows, next) = self
            .rows(
                pool,
                page,
                &format!(
                    "SELECT t.{}, t.id, t.type, t.lon, t.lat, t.sort_key",
                    self.order
                ),
            )
            .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(IncidentPoint {
                    start: row.try_get(5)?,
                    id: row.try_get(1)?,
                    incident_type: row.try_get(2)?,
                    lon: row.try_get(3)?,
                    lat: row.try_get(4)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Page { items, next })
    }

    /// How many rows match, counting at most `most` (planned as a page is).
    async fn count(&self, pool: &PgPool, most: u64) -> Result<u64, StoreError> {
        let query = resolved(self, pool).await?;
        let driver = driver(&query, pool).await?;
        let mut qb = query.filtered("SELECT count(*) FROM (SELECT 1", driver);
        qb.push(" LIMIT ")
            .push_bind(i64::try_from(most).unwrap_or(i64::MAX))
            .push(") n");
        let n: i64 = qb.build_query_scalar().fetch_one(pool).await?;
        Ok(n.max(0) as u64)
    }

    async fn explain(&self, pool: &PgPool) -> Result<(String, String), StoreError> {
        let page = PageRequest::default();
        let query = resolved(self, pool).await?;
        let driver = driver(&query, pool).await?;
        let sql = query
            .ordered("SELECT t.sort_key, t.id", driver, &page)
            .sql()
            .to_owned();
        let rows = query
            .ordered("EXPLAIN SELECT t.sort_key, t.id", driver, &page)
            .build()
            .fetch_all(pool)
            .await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        Ok((sql, lines.join("\n")))
    }
}
