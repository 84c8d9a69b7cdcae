//! List queries of the SQLite backend: filters become clauses, and each page is read in
//! two steps — the keys (sort key, id) of the page in order, then the rows of those keys.
//!
//! The plan adapts to how selective the filter is. A clause that names a set of records
//! (with this person, of this organisation tree, on this topic, matching this text) can
//! *drive* the query — read the set, then sort it — which is fast when the set is small,
//! or be *probed* for each row while the sort index is scanned in order — fast when the
//! set is large, as the page fills after a few rows. Each set is counted lazily up to
//! [`SELECTIVE_CAP`]; the smallest set under the cap drives and the others are probed,
//! and when every set reaches the cap all are probed. A set that is the only clause
//! drives only when reading it is cheaper than the scan probing it needs
//! ([`ListRun::driver`]). Figures in docs/benchmarks.md.
//!
//! Probing a reference is a primary-key lookup in `refs`; probing text uses the list of
//! matching rowids (FTS5 has no cheap per-row probe), read once per query.

use std::collections::HashMap;

use hawkari_core::access::Reach;
use hawkari_core::record::Kind;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use super::rows::{record_from_row, select_columns};
use super::table;
pub(super) use crate::plan::SELECTIVE_CAP;
use crate::plan::{Clause, ListQuery, Plan, push_list, push_row_clause};
use crate::{AnyRecord, Cursor, IncidentPoint, Page, PageRequest, StoreError};

/// How many probes of an ordered scan cost as much as reading one row of a driving set
/// and testing the reader's reach on it (measured at 100 000 engagements: 5.4 µs a driven
/// row, 1.3 µs a scanned one; docs/benchmarks.md, 2026-11-30, issue 15 lists).
const DRIVE_COST: i64 = 4;

/// How a clause reads in SQLite.
trait SqliteClause {
    fn push_refs(&self, qb: &mut QueryBuilder<'static, Sqlite>);
    fn push(&self, qb: &mut QueryBuilder<'static, Sqlite>, plan: Plan);
    fn push_capped_count(&self, qb: &mut QueryBuilder<'static, Sqlite>, cap: i64);
}

impl SqliteClause for Clause {
    /// `WHERE` of the references a set clause stands for, on `refs` aliased `r`.
    fn push_refs(&self, qb: &mut QueryBuilder<'static, Sqlite>) {
        match self {
            Clause::RefTo { src, rel, dst, id } => {
                qb.push(format!(
                    "r.dst_kind = '{}' AND r.rel = '{}' AND r.src_kind = '{}' AND r.dst_id = ",
                    dst.as_str(),
                    rel.as_str(),
                    src.as_str()
                ));
                qb.push_bind(id.clone());
            }
            Clause::RefToTree { src, rel, id } => {
                qb.push(format!(
                    "r.dst_kind = 'organisation' AND r.rel = '{}' AND r.src_kind = '{}' AND r.dst_id IN ",
                    rel.as_str(),
                    src.as_str()
                ));
                push_tree(qb, id);
            }
            Clause::RefToAny { src, rel, ids } => {
                qb.push(format!(
                    "r.dst_kind = 'organisation' AND r.rel = '{}' AND r.src_kind = '{}' AND r.dst_id IN ",
                    rel.as_str(),
                    src.as_str()
                ));
                push_list(qb, ids.iter().cloned());
            }
            _ => {}
        }
    }

    fn push(&self, qb: &mut QueryBuilder<'static, Sqlite>, plan: Plan) {
        match self {
            Clause::Eq(..)
            | Clause::Cmp(..)
            | Clause::InForce(_)
            | Clause::Pending
            | Clause::ColumnIn(..) => {
                push_row_clause(qb, self);
            }
            Clause::ColumnInTree(col, org) => {
                qb.push(format!(" AND t.{col} IN "));
                push_tree(qb, org);
            }
            Clause::RefTo { .. } | Clause::RefToTree { .. } | Clause::RefToAny { .. } => {
                if plan == Plan::Drive {
                    qb.push(" AND t.id IN (SELECT r.src_id FROM refs r WHERE ");
                } else {
                    // Correlated on the row's id: an index lookup in refs per row scanned.
                    qb.push(" AND EXISTS (SELECT 1 FROM refs r WHERE r.src_id = t.id AND ");
                }
                self.push_refs(qb);
                qb.push(")");
            }
            Clause::InBox { bbox, days } => {
                if plan == Plan::Drive {
                    qb.push(" AND t.rowid IN (SELECT id FROM incidents_rtree WHERE ");
                } else {
                    // Correlated on the row: one R*Tree lookup by id per row scanned.
                    qb.push(
                        " AND EXISTS (SELECT 1 FROM incidents_rtree x WHERE x.id = t.rowid AND ",
                    );
                }
                push_box(qb, bbox, *days);
                qb.push(")");
            }
            Clause::Text { kind, tokens } => {
                let t = table(*kind);
                // A unary + keeps SQLite from driving the query from this term.
                let rowid = if plan == Plan::Drive {
                    "t.rowid"
                } else {
                    "+t.rowid"
                };
                qb.push(format!(
                    " AND {rowid} IN (SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH "
                ));
                qb.push_bind(match_expression(tokens)).push(")");
            }
        }
    }

    /// `SELECT count(*)` of the set, reading at most `cap` index entries.
    fn push_capped_count(&self, qb: &mut QueryBuilder<'static, Sqlite>, cap: i64) {
        if let Clause::Text { kind, tokens } = self {
            let t = table(*kind);
            qb.push(format!(
                "(SELECT count(*) FROM (SELECT 1 FROM {t}_fts WHERE {t}_fts MATCH "
            ));
            qb.push_bind(match_expression(tokens));
        } else if let Clause::InBox { bbox, days } = self {
            qb.push("(SELECT count(*) FROM (SELECT 1 FROM incidents_rtree WHERE ");
            push_box(qb, bbox, *days);
        } else {
            qb.push("(SELECT count(*) FROM (SELECT 1 FROM refs r WHERE ");
            self.push_refs(qb);
        }
        qb.push(format!(" LIMIT {cap}))"));
    }
}

/// ` AND` the record `alias` (of `kind`) is within `reach` ([`crate::plan::push_visible`]).
pub(super) fn push_visible(
    qb: &mut QueryBuilder<'static, Sqlite>,
    alias: &str,
    kind: Kind,
    reach: &Reach,
) {
    crate::plan::push_visible(qb, alias, kind, reach, "");
}

/// The R*Tree condition of a box: the point's degenerate box lies inside it.
fn push_box(
    qb: &mut QueryBuilder<'static, Sqlite>,
    [west, south, east, north]: &[f64; 4],
    (first, last): (Option<f64>, Option<f64>),
) {
    qb.push("min_lon >= ").push_bind(*west);
    qb.push(" AND max_lon <= ").push_bind(*east);
    qb.push(" AND min_lat >= ").push_bind(*south);
    qb.push(" AND max_lat <= ").push_bind(*north);
    // The index holds days as 32-bit floats, rounded outwards: a day either side keeps
    // every incident of the window; the exact test is on the row's own columns.
    if let Some(first) = first {
        qb.push(" AND max_day >= ").push_bind(first - 1.0);
    }
    if let Some(last) = last {
        qb.push(" AND min_day <= ").push_bind(last + 1.0);
    }
}

/// Organisation `id` and every organisation below it, as a subquery.
fn push_tree(qb: &mut QueryBuilder<'static, Sqlite>, id: &str) {
    qb.push("(WITH RECURSIVE sub(id) AS (SELECT ");
    qb.push_bind(id.to_owned());
    qb.push(" UNION SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)");
}

/// An FTS5 query: every folded token as a word prefix, all required.
pub(super) fn match_expression(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a list query runs in SQLite: planned, then read keys first.
pub(super) trait ListRun {
    fn build(
        &self,
        head: &str,
        driver: Option<usize>,
        after: Option<&Cursor>,
    ) -> QueryBuilder<'static, Sqlite>;
    fn keys(
        &self,
        head: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Sqlite>;
    fn ordered(
        &self,
        select: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Sqlite>;
    async fn points(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<Page<IncidentPoint>, StoreError>;
    async fn driver(
        &self,
        pool: &SqlitePool,
        cap: i64,
        wanted: i64,
    ) -> Result<Option<usize>, StoreError>;
    async fn page_keys(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<(Vec<(String, String)>, Option<Cursor>), StoreError>;
    async fn ordered_page(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
        select: &str,
    ) -> Result<(Vec<sqlx::sqlite::SqliteRow>, Option<Cursor>), StoreError>;
    async fn page(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<Page<AnyRecord>, StoreError>;
    async fn explain(&self, pool: &SqlitePool, cap: i64) -> Result<(String, String), StoreError>;
    async fn count(&self, pool: &SqlitePool, cap: i64, most: u64) -> Result<u64, StoreError>;
}

impl ListRun for ListQuery {
    /// `head FROM table t WHERE …` with every clause and the cursor condition; the set
    /// clause at index `driver` (if any) drives, the other sets are probed.
    fn build(
        &self,
        head: &str,
        driver: Option<usize>,
        after: Option<&Cursor>,
    ) -> QueryBuilder<'static, Sqlite> {
        let mut qb = QueryBuilder::new(format!("{head} FROM {} t WHERE 1 = 1", table(self.kind)));
        for (i, c) in self.clauses.iter().enumerate() {
            c.push(
                &mut qb,
                if driver == Some(i) {
                    Plan::Drive
                } else {
                    Plan::Probe
                },
            );
        }
        push_visible(&mut qb, "t", self.kind, &self.reach);
        if let Some(c) = after {
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
        qb
    }

    /// The query of a page's keys, in order, one more than the page to know if another
    /// follows; `head` may prefix it (with `EXPLAIN QUERY PLAN`).
    fn keys(
        &self,
        head: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Sqlite> {
        self.ordered(
            &format!("{head}SELECT t.{}, t.id", self.order),
            driver,
            page,
        )
    }

    /// `select` (whose first two columns are the sort key and id) over the filtered rows,
    /// in order, one more than the page.
    fn ordered(
        &self,
        select: &str,
        driver: Option<usize>,
        page: &PageRequest,
    ) -> QueryBuilder<'static, Sqlite> {
        let mut qb = self.build(select, driver, page.after.as_ref());
        let dir = if self.desc { "DESC" } else { "ASC" };
        qb.push(format!(
            " ORDER BY t.{} {dir}, t.id {dir} LIMIT ",
            self.order
        ));
        qb.push_bind(i64::from(page.limit) + 1);
        qb
    }

    /// One page of incidents as points — id, type, start, longitude, latitude — read with
    /// the page's keys, never the records' bodies.
    async fn points(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<Page<IncidentPoint>, StoreError> {
        let select = format!(
            "SELECT t.{}, t.id, t.type, t.lon, t.lat, t.sort_key",
            self.order
        );
        let (rows, next) = self.ordered_page(pool, page, cap, &select).await?;
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

    /// The set clause that should drive: the smallest, if it is under the cap and reading
    /// it costs less than the ordered scan that probing it needs for `wanted` rows.
    ///
    /// Driving reads each of the set's `n` rows and tests the reader's reach on it
    /// (a row seek and a correlated `refs` lookup, about [`DRIVE_COST`] times a probe);
    /// probing scans about `wanted × rows ÷ n` entries of the sort index, one probe each.
    /// A reference or text set that is the query's only clause drives when
    /// `n × DRIVE_COST ≤ wanted × rows ÷ n`, the table's largest rowid standing for its
    /// rows; with other clauses (which lengthen the scan by a share the count does not
    /// see), and for a box ([`Clause::cap`]), the cap alone decides.
    async fn driver(
        &self,
        pool: &SqlitePool,
        cap: i64,
        wanted: i64,
    ) -> Result<Option<usize>, StoreError> {
        let sets: Vec<usize> = (0..self.clauses.len())
            .filter(|&i| self.clauses[i].is_set())
            .collect();
        if sets.is_empty() {
            return Ok(None);
        }
        let mut qb = QueryBuilder::new(format!(
            "SELECT (SELECT coalesce(max(rowid), 0) FROM {})",
            table(self.kind)
        ));
        for &i in &sets {
            qb.push(", ");
            self.clauses[i].push_capped_count(&mut qb, self.clauses[i].cap(cap));
        }
        let row = qb.build().fetch_one(pool).await?;
        let rows: i64 = row.try_get(0)?;
        let mut best: Option<(i64, usize)> = None;
        for (n, &i) in sets.iter().enumerate() {
            let count: i64 = row.try_get(n + 1)?;
            // Other clauses would lengthen the scan by a share the count does not see.
            let cheaper = self.clauses.len() > 1
                || matches!(self.clauses[i], Clause::InBox { .. })
                || count.saturating_mul(count).saturating_mul(DRIVE_COST)
                    <= wanted.max(1).saturating_mul(rows);
            if count < self.clauses[i].cap(cap) && cheaper && best.is_none_or(|(b, _)| count < b) {
                best = Some((count, i));
            }
        }
        Ok(best.map(|(_, i)| i))
    }

    /// Plans the query and reads one page's keys in order, with the cursor of the next.
    async fn page_keys(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<(Vec<(String, String)>, Option<Cursor>), StoreError> {
        let select = format!("SELECT t.{}, t.id", self.order);
        let (rows, next) = self.ordered_page(pool, page, cap, &select).await?;
        let keys = rows
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((keys, next))
    }

    /// Plans the query and reads one page of `select` (sort key and id first) in order,
    /// with the cursor of the next page.
    async fn ordered_page(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
        select: &str,
    ) -> Result<(Vec<sqlx::sqlite::SqliteRow>, Option<Cursor>), StoreError> {
        let driver = self.driver(pool, cap, i64::from(page.limit) + 1).await?;
        let mut rows = self
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

    /// Reads one page: plan, keys in order, then the rows of those keys.
    async fn page(
        &self,
        pool: &SqlitePool,
        page: &PageRequest,
        cap: i64,
    ) -> Result<Page<AnyRecord>, StoreError> {
        let (keys, next) = self.page_keys(pool, page, cap).await?;
        if keys.is_empty() {
            return Ok(Page {
                items: vec![],
                next,
            });
        }
        let columns = select_columns(self.kind);
        let mut qb = QueryBuilder::new(format!(
            "SELECT {columns} FROM {} t WHERE t.id IN (",
            table(self.kind)
        ));
        let mut ids = qb.separated(", ");
        for (_, id) in &keys {
            ids.push_bind(id.clone());
        }
        qb.push(")");
        let mut rows: HashMap<String, AnyRecord> = HashMap::with_capacity(keys.len());
        for row in qb.build().fetch_all(pool).await? {
            let record = record_from_row(self.kind, &row)?;
            rows.insert(record.id().to_owned(), record);
        }
        // A row deleted between the two reads is simply not in the page.
        let items = keys.iter().filter_map(|(_, id)| rows.remove(id)).collect();
        Ok(Page { items, next })
    }

    /// How many rows match, counting at most `most` (planned as a page is).
    async fn count(&self, pool: &SqlitePool, cap: i64, most: u64) -> Result<u64, StoreError> {
        let wanted = i64::try_from(most).unwrap_or(i64::MAX);
        let driver = self.driver(pool, cap, wanted).await?;
        let mut qb = self.build("SELECT count(*) FROM (SELECT 1", driver, None);
        qb.push(" LIMIT ").push_bind(wanted).push(")");
        let n: i64 = qb.build_query_scalar().fetch_one(pool).await?;
        Ok(n.max(0) as u64)
    }

    /// The first page's key query as this store plans it, and SQLite's plan for it.
    async fn explain(&self, pool: &SqlitePool, cap: i64) -> Result<(String, String), StoreError> {
        let page = PageRequest::default();
        let driver = self.driver(pool, cap, i64::from(page.limit) + 1).await?;
        let sql = self.keys("", driver, &page).sql().to_owned();
        let rows = self
            .keys("EXPLAIN QUERY PLAN ", driver, &page)
            .build()
            .fetch_all(pool)
            .await?;
        let lines: Vec<String> = rows.iter().map(|r| r.get::<String, _>(3)).collect();
        Ok((sql, lines.join("\n")))
    }
}
