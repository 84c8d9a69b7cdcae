//! The list queries every backend answers, as data: a kind, its conditions, the
//! reader's reach and the sort direction, built from the API's filters. Each backend
//! renders a [`ListQuery`] in its own SQL (`sqlite/lists.rs`, `postgres/lists.rs`).

use chrono::{DateTime, Utc};
use hawkari_core::access::Reach;
use hawkari_core::record::{Kind, Rel};
use hawkari_core::text::query_tokens;

use crate::{
    AreaFilter, CommitmentFilter, EngagementFilter, IncidentFilter, IncidentSort, OperationFilter,
    OrganisationFilter, PersonFilter, PlaceFilter, ProgrammeFilter, Sort,
};

/// The table that holds a kind (the same in every backend).
pub(crate) fn table(kind: Kind) -> &'static str {
    kind.plural()
}

/// The stored record kind a `kind` column names (not topics or groups).
pub(crate) fn stored_kind(name: &str) -> Option<Kind> {
    [
        Kind::Organisation,
        Kind::Person,
        Kind::Place,
        Kind::Engagement,
        Kind::Commitment,
        Kind::Incident,
        Kind::Area,
        Kind::Programme,
        Kind::Operation,
    ]
    .into_iter()
    .find(|k| k.as_str() == name)
}

/// The table name of a stored record kind, as a `'static` string (for counters).
pub(crate) fn stored_kind_table(name: &str) -> Option<&'static str> {
    [
        Kind::Organisation,
        Kind::Person,
        Kind::Place,
        Kind::Engagement,
        Kind::Commitment,
        Kind::Incident,
        Kind::Area,
        Kind::Programme,
        Kind::Operation,
    ]
    .into_iter()
    .map(table)
    .find(|t| *t == name)
}

/// The key column of a kind's table.
pub(crate) fn key_column(kind: Kind) -> &'static str {
    if kind == Kind::Topic { "code" } else { "id" }
}

/// Days since 1970-01-01 UTC, as the spatial indexes' time axis counts them.
pub(crate) fn unix_days(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 86_400.0
}

/// The serde name of a unit enum variant (`joint_mechanism`), as stored in kind columns.
pub(crate) fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A filtered set at least this large is probed rather than driven from: scanning the
/// sort index then meets a page of matches within about `limit × rows / cap` rows.
pub(crate) const SELECTIVE_CAP: i64 = 2000;

/// Whether a set clause drives the query or is probed during an ordered scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    Drive,
    Probe,
}

/// One condition of a list query.
#[derive(Debug, Clone)]
pub(crate) enum Clause {
    /// `t.col = value`
    Eq(&'static str, String),
    /// `t.col op value` with op one of `<`, `<=`, `>=`.
    Cmp(&'static str, &'static str, String),
    /// Commitments still open or in progress.
    Pending,
    /// Areas in force on the day (no bound, or bounds around it).
    InForce(String),
    /// `t.col` is the organisation or one below it.
    ColumnInTree(&'static str, String),
    /// Set: records with a reference of `rel` to `dst`/`id`.
    RefTo {
        src: Kind,
        rel: Rel,
        dst: Kind,
        id: String,
    },
    /// Set: records with a reference of `rel` to an organisation in the tree of `id`.
    RefToTree { src: Kind, rel: Rel, id: String },
    /// [`Clause::RefToTree`] with the tree resolved to its organisations' ids.
    RefToAny {
        src: Kind,
        rel: Rel,
        ids: Vec<String>,
    },
    /// [`Clause::ColumnInTree`] with the tree resolved: `t.col` is one of the ids.
    ColumnIn(&'static str, Vec<String>),
    /// Set: incidents whose point is inside a box (west, south, east, north), by the spatial index.
    InBox {
        bbox: [f64; 4],
        /// The window's first and last day (days since 1970), when it has them.
        days: (Option<f64>, Option<f64>),
    },
    /// Set: records whose search document has every folded token as a word prefix (for
    /// engagements, in their own text or a participant's names).
    Text { kind: Kind, tokens: Vec<String> },
}

impl Clause {
    pub(crate) fn is_set(&self) -> bool {
        matches!(
            self,
            Clause::RefTo { .. }
                | Clause::RefToTree { .. }
                | Clause::RefToAny { .. }
                | Clause::Text { .. }
                | Clause::InBox { .. }
        )
    }

    /// The size up to which this set drives the query. A box in the R*Tree drives up to
    /// five times the cap: reading a rowid from it and seeking the row is cheaper than a
    /// correlated R*Tree lookup per row of an ordered scan, which must see
    /// `limit ÷ (share of rows in the box)` rows.
    pub(crate) fn cap(&self, cap: i64) -> i64 {
        if matches!(self, Clause::InBox { .. }) {
            cap.saturating_mul(5)
        } else {
            cap
        }
    }
}

/// A list query: a kind, its clauses, the reader's reach, the column it is ordered by
/// and the direction.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    pub kind: Kind,
    pub clauses: Vec<Clause>,
    pub reach: Reach,
    /// The text column the list is ordered by (then by id), whose value a cursor holds:
    /// `sort_key`, or `killed_key` for incidents by people killed (an index on
    /// `(column, id)` serves each).
    pub order: &'static str,
    /// Descending (newest first, most first) rather than ascending.
    pub desc: bool,
}

impl ListQuery {
    fn new(kind: Kind, desc: bool) -> Self {
        Self {
            kind,
            clauses: Vec::new(),
            reach: Reach::Everything,
            order: "sort_key",
            desc,
        }
    }

    /// The same query in the order asked for: its own, or reversed.
    fn sorted(mut self, sort: Sort) -> Self {
        if sort == Sort::Reversed {
            self.desc = !self.desc;
        }
        self
    }

    /// The query of a [`crate::ListOf`].
    pub fn of(of: crate::ListOf<'_>) -> Self {
        use crate::ListOf;
        match of {
            ListOf::Organisations(f) => Self::organisations(f),
            ListOf::People(f) => Self::people(f),
            ListOf::Places(f) => Self::places(f),
            ListOf::Engagements(f) => Self::engagements(f),
            ListOf::Commitments(f) => Self::commitments(f),
            ListOf::Incidents(f) => Self::incidents(f),
            ListOf::Areas(f) => Self::areas(f),
            ListOf::Programmes(f) => Self::programmes(f),
            ListOf::Operations(f) => Self::operations(f),
        }
    }

    /// The same query, limited to what `reach` sees.
    pub fn within(mut self, reach: &Reach) -> Self {
        self.reach = reach.clone();
        self
    }

    fn text(mut self, kind: Kind, q: &Option<String>) -> Self {
        let tokens = q.as_deref().map(query_tokens).unwrap_or_default();
        if !tokens.is_empty() {
            self.clauses.push(Clause::Text { kind, tokens });
        }
        self
    }

    fn with(mut self, clause: Option<Clause>) -> Self {
        self.clauses.extend(clause);
        self
    }

    pub fn organisations(f: &OrganisationFilter) -> Self {
        Self::new(Kind::Organisation, false)
            .sorted(f.sort)
            .text(Kind::Organisation, &f.q)
            .with(f.kind.map(|k| Clause::Eq("kind", enum_str(&k))))
            .with(
                f.parent_id
                    .as_ref()
                    .map(|p| Clause::Eq("parent_id", p.to_string())),
            )
            .with(
                f.within
                    .as_ref()
                    .map(|w| Clause::ColumnInTree("id", w.to_string())),
            )
            .with(f.answers_to.as_ref().map(|a| Clause::RefTo {
                src: Kind::Organisation,
                rel: Rel::AnswersTo,
                dst: Kind::Organisation,
                id: a.to_string(),
            }))
    }

    pub fn people(f: &PersonFilter) -> Self {
        Self::new(Kind::Person, false)
            .sorted(f.sort)
            .text(Kind::Person, &f.q)
            .with(f.organisation_id.as_ref().map(|o| Clause::RefToTree {
                src: Kind::Person,
                rel: Rel::Position,
                id: o.to_string(),
            }))
    }

    pub fn places(f: &PlaceFilter) -> Self {
        Self::new(Kind::Place, false)
            .text(Kind::Place, &f.q)
            .with(f.kind.map(|k| Clause::Eq("kind", enum_str(&k))))
    }

    pub fn engagements(f: &EngagementFilter) -> Self {
        let e = Kind::Engagement;
        Self::new(e, true)
            .sorted(f.sort)
            .with(
                f.from
                    .map(|t| Clause::Cmp("end_at", ">=", hawkari_core::time::rfc3339(t))),
            )
            .with(f.to.map(|t| Clause::Cmp("sort_key", "<=", hawkari_core::time::rfc3339(t))))
            .with(f.kind.map(|k| Clause::Eq("kind", enum_str(&k))))
            .with(f.person_id.as_ref().map(|p| Clause::RefTo {
                src: e,
                rel: Rel::Participant,
                dst: Kind::Person,
                id: p.to_string(),
            }))
            .with(f.organisation_id.as_ref().map(|o| Clause::RefToTree {
                src: e,
                rel: Rel::Participant,
                id: o.to_string(),
            }))
            .with(f.topic.as_ref().map(|t| Clause::RefTo {
                src: e,
                rel: Rel::Topic,
                dst: Kind::Topic,
                id: t.to_string(),
            }))
            .text(e, &f.q)
    }

    pub fn programmes(f: &ProgrammeFilter) -> Self {
        Self::new(Kind::Programme, false)
            .with(f.kind.map(|k| Clause::Eq("kind", enum_str(&k))))
            .text(Kind::Programme, &f.q)
    }

    /// Operations, newest first (by start).
    pub fn operations(f: &OperationFilter) -> Self {
        let mut q = Self::new(Kind::Operation, true).text(Kind::Operation, &f.q);
        if let Some(day) = f.on {
            q.clauses
                .push(Clause::Cmp("start_day", "<=", day.to_string()));
            q.clauses
                .push(Clause::Cmp("end_day", ">=", day.to_string()));
        }
        q
    }

    pub fn areas(f: &AreaFilter) -> Self {
        let mut q = Self::new(Kind::Area, false)
            .with(f.kind.map(|k| Clause::Eq("kind", enum_str(&k))))
            .with(
                f.organisation_id
                    .as_ref()
                    .map(|o| Clause::Eq("organisation_id", o.to_string())),
            )
            .text(Kind::Area, &f.q);
        if let Some(day) = f.in_force_on {
            q.clauses.push(Clause::InForce(day.to_string()));
        }
        q
    }

    pub fn incidents(f: &IncidentFilter) -> Self {
        let i = Kind::Incident;
        let admin = f.admin.as_ref().map(|p| {
            // P-codes tell their level by length: IQG13, IQG13Q04, IQG13Q04N01.
            let col = match p.len() {
                0..=5 => "adm1",
                6..=8 => "adm2",
                _ => "adm3",
            };
            Clause::Eq(col, p.clone())
        });
        let mut q = Self::new(i, true);
        match f.sort {
            IncidentSort::Newest => {}
            IncidentSort::Oldest => q.desc = false,
            IncidentSort::MostKilled => q.order = "killed_key",
        }
        q.with(
            f.from
                .map(|t| Clause::Cmp("end_at", ">=", hawkari_core::time::rfc3339(t))),
        )
        .with(f.to.map(|t| Clause::Cmp("sort_key", "<=", hawkari_core::time::rfc3339(t))))
        .with(
            f.incident_type
                .map(|t| Clause::Eq("type", t.as_str().to_owned())),
        )
        .with(admin)
        .with(f.bbox.map(|bbox| Clause::InBox {
            bbox,
            days: (f.from.map(unix_days), f.to.map(unix_days)),
        }))
        .with(f.organisation_id.as_ref().map(|o| Clause::RefTo {
            src: i,
            rel: Rel::Participant,
            dst: Kind::Organisation,
            id: o.to_string(),
        }))
        .text(i, &f.q)
    }

    pub fn commitments(f: &CommitmentFilter) -> Self {
        let c = Kind::Commitment;
        let mut q = Self::new(c, false)
            .with(
                f.status
                    .map(|s| Clause::Eq("status", s.as_str().to_owned())),
            )
            .with(
                f.engagement_id
                    .as_ref()
                    .map(|e| Clause::Eq("engagement_id", e.to_string())),
            )
            .with(
                f.responsible_org_id
                    .as_ref()
                    .map(|o| Clause::ColumnInTree("responsible_org_id", o.to_string())),
            )
            .with(
                f.counterpart_org_id
                    .as_ref()
                    .map(|o| Clause::ColumnInTree("counterpart_org_id", o.to_string())),
            )
            .with(f.responsible_person_id.as_ref().map(|p| Clause::RefTo {
                src: c,
                rel: Rel::Responsible,
                dst: Kind::Person,
                id: p.to_string(),
            }))
            .text(c, &f.q);
        if let Some(day) = f.overdue_on {
            q.clauses.push(Clause::Pending);
            q.clauses
                .push(Clause::Cmp("sort_key", "<", day.to_string()));
        }
        if let Some(day) = f.due_before {
            q.clauses
                .push(Clause::Cmp("sort_key", "<", day.to_string()));
        }
        if let Some(day) = f.due_from {
            q.clauses
                .push(Clause::Cmp("sort_key", ">=", day.to_string()));
        }
        q
    }
}

/// The main list queries, named, for the benchmark document's query plans: `person`
/// and `org` are a participant and a root organisation of the data.
pub(crate) fn explained_queries(person: &str, org: &str) -> [(&'static str, ListQuery); 8] {
    let day = |s: &str| s.parse().ok();
    [
        (
            "engagements, newest first",
            ListQuery::engagements(&EngagementFilter::default()),
        ),
        (
            "engagements with a person",
            ListQuery::engagements(&EngagementFilter {
                person_id: person.parse().ok(),
                ..Default::default()
            }),
        ),
        (
            "engagements of a (large) organisation tree",
            ListQuery::engagements(&EngagementFilter {
                organisation_id: org.parse().ok(),
                ..Default::default()
            }),
        ),
        (
            "engagements in a date range",
            ListQuery::engagements(&EngagementFilter {
                from: day("2025-01-01T00:00:00Z"),
                to: day("2025-03-31T23:59:59Z"),
                ..Default::default()
            }),
        ),
        (
            "engagements matching text",
            ListQuery::engagements(&EngagementFilter {
                q: Some("barzani".into()),
                ..Default::default()
            }),
        ),
        (
            "engagements matching text, on a topic, in a range",
            ListQuery::engagements(&EngagementFilter {
                q: Some("karim".into()),
                topic: "training".parse().ok(),
                from: day("2019-01-01T00:00:00Z"),
                to: day("2022-12-31T23:59:59Z"),
                ..Default::default()
            }),
        ),
        (
            "overdue commitments",
            ListQuery::commitments(&CommitmentFilter {
                overdue_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
                ..Default::default()
            }),
        ),
        (
            "people matching text",
            ListQuery::people(&PersonFilter {
                q: Some("barzani".into()),
                ..Default::default()
            }),
        ),
    ]
}

/// `(…)` of the values as bound parameters, or `(NULL)` when there are none (matching
/// nothing), in either backend's SQL.
pub(crate) fn push_list<DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'static, DB>,
    values: impl IntoIterator<Item = String>,
) where
    String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    qb.push("(");
    let mut sep = qb.separated(", ");
    let mut any = false;
    for v in values {
        sep.push_bind(v);
        any = true;
    }
    if !any {
        sep.push("NULL");
    }
    qb.push(")");
}

/// ` AND` the record `alias` (of `kind`) is within `reach`: owned by, released to, or
/// released to a group of, one of the reader's organisations — the rule Cedar states
/// in `policies/hawkari.cedar`, checked against it by a property test on each backend.
/// `fence` ends the per-row subquery (PostgreSQL's ` OFFSET 0` keeps it a probe).
pub(crate) fn push_visible<DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'static, DB>,
    alias: &str,
    kind: Kind,
    reach: &Reach,
    fence: &str,
) where
    String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    let Reach::Released { orgs, groups } = reach else {
        return;
    };
    qb.push(format!(" AND ({alias}.owner_org_id IN "));
    push_list(qb, orgs.iter().map(ToString::to_string));
    qb.push(format!(
        " OR EXISTS (SELECT 1 FROM refs v WHERE v.src_kind = '{}' AND v.src_id = {alias}.id AND \
         ((v.rel = 'releasable_to' AND v.dst_kind = 'organisation' AND v.dst_id IN ",
        kind.as_str()
    ));
    push_list(qb, orgs.iter().map(ToString::to_string));
    qb.push(") OR (v.rel = 'release_group' AND v.dst_kind = 'group' AND v.dst_id IN ");
    push_list(qb, groups.iter().map(|g| g.as_str().to_owned()));
    qb.push(format!(")){fence}))"));
}

/// ` AND` a condition on the row's own columns (equal, compared, in force on a day,
/// pending, one of a list), the same in every backend; other clauses are left to the
/// backend.
pub(crate) fn push_row_clause<DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'static, DB>,
    clause: &Clause,
) where
    String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    match clause {
        Clause::Eq(col, v) => {
            qb.push(format!(" AND t.{col} = ")).push_bind(v.clone());
        }
        Clause::Cmp(col, op, v) => {
            qb.push(format!(" AND t.{col} {op} ")).push_bind(v.clone());
        }
        Clause::InForce(day) => {
            qb.push(" AND (t.valid_from IS NULL OR t.valid_from <= ")
                .push_bind(day.clone());
            qb.push(") AND (t.valid_to IS NULL OR t.valid_to >= ")
                .push_bind(day.clone())
                .push(")");
        }
        Clause::Pending => {
            let pending: Vec<String> = hawkari_core::commitment::CommitmentStatus::ALL
                .iter()
                .filter(|s| s.is_pending())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            qb.push(format!(" AND t.status IN ({})", pending.join(", ")));
        }
        Clause::ColumnIn(col, ids) => {
            qb.push(format!(" AND t.{col} IN "));
            push_list(qb, ids.iter().cloned());
        }
        _ => {}
    }
}

/// `SELECT` of every record table's row count, as [`counts_from`] reads it.
pub(crate) const COUNTS_SQL: &str = "SELECT (SELECT count(*) FROM organisations) AS organisations, \
     (SELECT count(*) FROM topics) AS topics, (SELECT count(*) FROM places) AS places, \
     (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM engagements) AS engagements, \
     (SELECT count(*) FROM commitments) AS commitments, (SELECT count(*) FROM incidents) AS incidents, \
     (SELECT count(*) FROM areas) AS areas, (SELECT count(*) FROM programmes) AS programmes, \
     (SELECT count(*) FROM operations) AS operations";

/// The counts a row of [`COUNTS_SQL`] holds.
pub(crate) fn counts_from(
    row: &impl crate::record_row::StoredRow,
) -> Result<crate::Counts, crate::StoreError> {
    let n = |col: &str| -> Result<u64, crate::StoreError> { Ok(row.int(col)?.max(0) as u64) };
    Ok(crate::Counts {
        organisations: n("organisations")?,
        topics: n("topics")?,
        places: n("places")?,
        people: n("people")?,
        engagements: n("engagements")?,
        commitments: n("commitments")?,
        incidents: n("incidents")?,
        areas: n("areas")?,
        programmes: n("programmes")?,
        operations: n("operations")?,
    })
}
