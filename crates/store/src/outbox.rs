//! The federation outbox and its ledgers (issue 13): what a committed write leaves for
//! the publisher, who was sent which version of a record, and which events were applied
//! here — the same statements for both backends (`outbox_methods!`).
//!
//! The outbox is written only once federation has been switched on for the database
//! ([`OutboxStore::switch_outbox_on`], which `hawkari serve` with `[federation]` calls):
//! from then on every record write, by any process (the server, `hawkari import`, the
//! web's imports), adds one `(kind, id)` entry per record in its own transaction — one
//! multi-row statement per write list or bulk batch. A database that never federates
//! pays one `SELECT count(*)` of a one-row table per transaction and nothing per row.
//! Switching on queues every record already stored, so nothing written before is
//! missed. An entry names the record, not its content: the publisher reads the record
//! as it is when it publishes, so a record written many times before the publisher
//! catches up is sent once, at its newest version.

use async_trait::async_trait;
use hawkari_core::record::Kind;

use crate::{AuditEvent, StoreError, Write};

/// Notes an event as received from its source (once: a repeat changes nothing).
#[doc(hidden)]
pub const MARK_RECEIVED: &str = "INSERT INTO federation_received (event_id, source, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

/// One record the publisher has to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub kind: Kind,
    pub record_id: String,
}

/// A destination holding a copy of a record, and the version it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentCopy {
    pub destination: String,
    /// `-1` when anti-entropy found the destination holds no copy.
    pub version: i64,
    /// Set by anti-entropy ([`OutboxStore::federation_resend`]): the destination's copy is
    /// not what was sent, so what is sent next needs an event id of its own (the
    /// destination remembers the earlier ids as applied).
    pub resend: Option<String>,
}

/// A contribution as stored: its id, origin, record and the record's owner, and its
/// body (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContribution {
    pub id: String,
    pub origin: String,
    pub kind: String,
    pub record_id: String,
    pub owner: String,
    pub body: String,
}

impl StoredContribution {
    pub(crate) fn from_row(
        (id, origin, kind, record_id, owner, body): (
            String,
            String,
            String,
            String,
            String,
            String,
        ),
    ) -> Self {
        Self {
            id,
            origin,
            kind,
            record_id,
            owner,
            body,
        }
    }
}

/// An event waiting for its record (`federation_parked`): a contribution that arrived
/// before the copy of the record it is made to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedEvent {
    /// The order it arrived in.
    pub seq: i64,
    pub event_id: String,
    /// The sending instance's organisation.
    pub source: String,
    /// The event's operation: `contribute` (waiting for its record) or `copy` (waiting
    /// for a record it refers to).
    pub op: String,
    pub kind: String,
    pub record_id: String,
    /// When it arrived (RFC 3339, UTC).
    pub at: String,
    /// The event as it arrived (JSON).
    pub body: String,
}

impl ParkedEvent {
    pub(crate) fn from_row(
        (seq, event_id, source, op, kind, record_id, at, body): (
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        ),
    ) -> Self {
        Self {
            seq,
            event_id,
            source,
            op,
            kind,
            record_id,
            at,
            body,
        }
    }
}

/// The event-id marker [`OutboxStore::federation_resend`] leaves in the ledger.
pub const RESEND: &str = "resend:";

/// What the publisher did for one destination of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentChange {
    /// The record was sent at `version`: the destination holds a copy.
    Sent {
        kind: Kind,
        record_id: String,
        destination: String,
        version: i64,
        event_id: String,
    },
    /// A withdrawal was sent: the destination no longer holds a copy (nor, so, the
    /// record's contributions).
    Withdrawn {
        kind: Kind,
        record_id: String,
        destination: String,
    },
    /// A contribution was sent to the destination.
    Contributed {
        contribution_id: String,
        destination: String,
    },
}

/// What the database knows of the federation's progress (`hawkari federation status`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FederationLedger {
    /// Outbox entries waiting for the publisher.
    pub pending: u64,
    /// When the oldest of them was queued (RFC 3339).
    pub oldest_queued_at: Option<String>,
    /// Per destination: how many records it holds a copy of (sent, not withdrawn).
    pub held_by: Vec<(String, u64)>,
    /// Per sending instance: events received (applied or dropped), and the last one's time.
    pub received_from: Vec<(String, u64, String)>,
}

/// The record kinds that are queued when the outbox is switched on.
pub const FEDERATED_KINDS: [Kind; 9] = [
    Kind::Organisation,
    Kind::Place,
    Kind::Person,
    Kind::Engagement,
    Kind::Commitment,
    Kind::Incident,
    Kind::Area,
    Kind::Programme,
    Kind::Operation,
];

/// The outbox, the ledger of copies sent, and the ledger of events received.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Switches the outbox on for this database (for good) and, if it was off, queues
    /// every stored record. Returns whether it was off.
    async fn switch_outbox_on(&self) -> Result<bool, StoreError>;
    /// Whether record writes are recorded in the outbox.
    async fn outbox_is_on(&self) -> Result<bool, StoreError>;
    /// The oldest `limit` entries.
    async fn outbox_next(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;
    /// How many entries wait.
    async fn outbox_len(&self) -> Result<u64, StoreError>;
    /// The destinations holding a copy of a record.
    async fn sent_copies(&self, kind: Kind, id: &str) -> Result<Vec<SentCopy>, StoreError>;
    /// After publishing: records the copies sent and withdrawn, removes the entries
    /// `done` and appends `audit`, in one transaction.
    async fn outbox_done(
        &self,
        done: &[i64],
        changes: &[SentChange],
        audit: Vec<AuditEvent>,
    ) -> Result<(), StoreError>;
    /// Whether an event was applied (or dropped) here.
    async fn was_received(&self, event_id: &str) -> Result<bool, StoreError>;
    /// Applies what partners sent — copies of their records (upserts: an older version
    /// than the stored one changes nothing), withdrawals (deletes), audit entries — and
    /// marks `event_ids` received, in one transaction. References are not checked (a
    /// partner's record may name records not released here) and nothing is queued in
    /// the outbox (a partner's record is sent by its owner, never passed on). `source`
    /// is the sending instance's organisation.
    /// With `requeue` the records written are queued in the outbox (if it is on): the
    /// owner merging a partner's contribution into its own record sends it on.
    async fn apply_received(
        &self,
        writes: Vec<Write>,
        event_ids: &[String],
        source: &str,
        requeue: bool,
    ) -> Result<(), StoreError>;
    /// The outbox's backlog, the copies held per destination, the events received per
    /// source.
    async fn federation_ledger(&self) -> Result<FederationLedger, StoreError>;
    /// The contributions to a record, oldest first (by time, then id).
    async fn contributions_of(
        &self,
        kind: Kind,
        id: &str,
    ) -> Result<Vec<StoredContribution>, StoreError>;
    /// Every contribution held (for digests), by id.
    async fn all_contributions(&self) -> Result<Vec<StoredContribution>, StoreError>;
    /// The ids of a record's contributions sent to `destination`.
    async fn contributions_sent(
        &self,
        kind: Kind,
        id: &str,
        destination: &str,
    ) -> Result<Vec<String>, StoreError>;
    /// Every copy the ledger says each destination holds: (kind, id, destination, version).
    async fn all_sent(&self) -> Result<Vec<(String, String, String, i64)>, StoreError>;
    /// Anti-entropy found that `destination` holds version `held` of a record (none:
    /// no copy): the ledger is set to that, marked for a fresh event id, and the record
    /// queued, so that the publisher sends what is missing or withdraws what is extra.
    async fn federation_resend(
        &self,
        kind: Kind,
        id: &str,
        destination: &str,
        held: Option<i64>,
    ) -> Result<(), StoreError>;
    /// Anti-entropy found that `destination` lacks a contribution to a record: it is
    /// taken out of the ledger and the record queued, so that the publisher sends it
    /// again.
    async fn contribution_resend(
        &self,
        contribution_id: &str,
        destination: &str,
        kind: Kind,
        id: &str,
    ) -> Result<(), StoreError>;
    /// Keeps an event that waits for its record (`seq` and `at` are given here), marks it
    /// received and appends `audit`, in one transaction. A repeat changes nothing.
    async fn park(&self, event: ParkedEvent, audit: Vec<AuditEvent>) -> Result<(), StoreError>;
    /// The events waiting for a record, in the order they arrived.
    async fn parked_for(&self, kind: Kind, id: &str) -> Result<Vec<ParkedEvent>, StoreError>;
    /// The copies waiting for a record they refer to, in the order they arrived.
    async fn parked_copies(&self) -> Result<Vec<ParkedEvent>, StoreError>;
    /// The events that arrived before `at` (RFC 3339) and still wait, oldest first.
    async fn parked_before(&self, at: &str) -> Result<Vec<ParkedEvent>, StoreError>;
    /// How many events wait.
    async fn parked_len(&self) -> Result<u64, StoreError>;
    /// Takes a waiting event out and applies `writes` (as [`Self::apply_received`] does,
    /// `requeue` likewise), in one transaction.
    async fn unpark(&self, seq: i64, writes: Vec<Write>, requeue: bool) -> Result<(), StoreError>;
}

/// The records a write list writes or deletes, for the outbox.
pub(crate) fn touched(writes: &[Write]) -> Vec<(Kind, &str)> {
    writes
        .iter()
        .filter_map(|w| match w {
            Write::Insert(r) | Write::Upsert(r) | Write::Update { record: r, .. } => {
                Some((r.kind(), r.id()))
            }
            Write::Delete { kind, id, .. } => Some((*kind, id.as_str())),
            // A contribution is sent on by the publisher's look at its record.
            Write::Restore { table, row } if table.name == crate::tables::CONTRIBUTIONS.name => {
                let cell = |name: &str| {
                    table
                        .columns
                        .iter()
                        .position(|(n, _)| *n == name)
                        .and_then(|i| row.get(i))
                        .and_then(|v| v.as_str())
                };
                Some((crate::plan::stored_kind(cell("kind")?)?, cell("record_id")?))
            }
            _ => None,
        })
        .collect()
}

/// [`OutboxStore`] for a backend (`$store`, database `$db`), whose module provides
/// `begin_write` and `apply_all`; and `note_outbox`, which the backend's write paths
/// call inside their transactions.
macro_rules! outbox_methods {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Queues the records `writes` touch, if the outbox is on.
            pub(crate) async fn note_outbox(
                tx: &mut Transaction<'_, $db>,
                writes: &[Write],
            ) -> Result<(), StoreError> {
                let keys = crate::outbox::touched(writes);
                if keys.is_empty() {
                    return Ok(());
                }
                let on: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_switch")
                    .fetch_one(&mut **tx)
                    .await?;
                if on == 0 {
                    return Ok(());
                }
                for chunk in keys.chunks(1000) {
                    let mut qb: QueryBuilder<'_, $db> =
                        QueryBuilder::new("INSERT INTO outbox (kind, record_id) ");
                    qb.push_values(chunk, |mut v, (kind, id)| {
                        v.push_bind(kind.as_str()).push_bind((*id).to_owned());
                    });
                    qb.build().execute(&mut **tx).await?;
                }
                Ok(())
            }
        }

        #[async_trait]
        impl crate::outbox::OutboxStore for $store {
            async fn switch_outbox_on(&self) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "INSERT INTO outbox_switch (id, on_since) VALUES (1, $1) ON CONFLICT DO NOTHING",
                )
                .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .execute(&mut *tx)
                .await?;
                let was_off = done.rows_affected() == 1;
                if was_off {
                    for kind in crate::outbox::FEDERATED_KINDS {
                        sqlx::query(&format!(
                            "INSERT INTO outbox (kind, record_id) SELECT $1, id FROM {} ORDER BY id",
                            crate::plan::table(kind)
                        ))
                        .bind(kind.as_str())
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                tx.commit().await?;
                Ok(was_off)
            }

            async fn outbox_is_on(&self) -> Result<bool, StoreError> {
                let on: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox_switch")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(on > 0)
            }

            async fn outbox_next(
                &self,
                limit: u32,
            ) -> Result<Vec<crate::outbox::OutboxEntry>, StoreError> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(
                    "SELECT seq, kind, record_id FROM outbox ORDER BY seq LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(seq, kind, record_id)| {
                        crate::plan::stored_kind(&kind).map(|kind| crate::outbox::OutboxEntry {
                            seq,
                            kind,
                            record_id,
                        })
                    })
                    .collect())
            }

            async fn outbox_len(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n as u64)
            }

            async fn sent_copies(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<crate::outbox::SentCopy>, StoreError> {
                let rows: Vec<(String, i64, String)> = sqlx::query_as(
                    "SELECT destination, version, event_id FROM federation_sent \
                     WHERE kind = $1 AND record_id = $2 ORDER BY destination",
                )
                .bind(kind.as_str())
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(destination, version, event_id)| crate::outbox::SentCopy {
                        destination,
                        version,
                        resend: event_id
                            .strip_prefix(crate::outbox::RESEND)
                            .map(str::to_owned),
                    })
                    .collect())
            }

            async fn outbox_done(
                &self,
                done: &[i64],
                changes: &[crate::outbox::SentChange],
                audit: Vec<crate::AuditEvent>,
            ) -> Result<(), StoreError> {
                use crate::outbox::SentChange;
                let mut tx = self.begin_write().await?;
                for change in changes {
                    match change {
                        SentChange::Sent {
                            kind,
                            record_id,
                            destination,
                            version,
                            event_id,
                        } => {
                            sqlx::query(
                                "INSERT INTO federation_sent (kind, record_id, destination, version, event_id) \
                                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, record_id, destination) \
                                 DO UPDATE SET version = excluded.version, event_id = excluded.event_id",
                            )
                            .bind(kind.as_str())
                            .bind(record_id)
                            .bind(destination)
                            .bind(*version)
                            .bind(event_id)
                            .execute(&mut *tx)
                            .await?;
                        }
                        SentChange::Withdrawn {
                            kind,
                            record_id,
                            destination,
                        } => {
                            sqlx::query(
                                "DELETE FROM federation_sent WHERE kind = $1 AND record_id = $2 AND destination = $3",
                            )
                            .bind(kind.as_str())
                            .bind(record_id)
                            .bind(destination)
                            .execute(&mut *tx)
                            .await?;
                            sqlx::query(
                                "DELETE FROM contribution_sent WHERE destination = $1 AND contribution_id IN \
                                 (SELECT id FROM contributions WHERE kind = $2 AND record_id = $3)",
                            )
                            .bind(destination)
                            .bind(kind.as_str())
                            .bind(record_id)
                            .execute(&mut *tx)
                            .await?;
                        }
                        SentChange::Contributed {
                            contribution_id,
                            destination,
                        } => {
                            sqlx::query(
                                "INSERT INTO contribution_sent (contribution_id, destination) \
                                 VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            )
                            .bind(contribution_id)
                            .bind(destination)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                }
                for chunk in done.chunks(1000) {
                    let mut qb: QueryBuilder<'_, $db> =
                        QueryBuilder::new("DELETE FROM outbox WHERE seq IN (");
                    let mut seqs = qb.separated(", ");
                    for seq in chunk {
                        seqs.push_bind(*seq);
                    }
                    qb.push(")").build().execute(&mut *tx).await?;
                }
                for event in &audit {
                    Self::append_audit(&mut tx, event).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn was_received(&self, event_id: &str) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM federation_received WHERE event_id = $1",
                )
                .bind(event_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn federation_ledger(
                &self,
            ) -> Result<crate::outbox::FederationLedger, StoreError> {
                let (pending, oldest_queued_at): (i64, Option<String>) =
                    sqlx::query_as("SELECT count(*), min(queued_at) FROM outbox")
                        .fetch_one(&self.pool)
                        .await?;
                let held: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT destination, count(*) FROM federation_sent GROUP BY destination ORDER BY destination",
                )
                .fetch_all(&self.pool)
                .await?;
                let received: Vec<(String, i64, String)> = sqlx::query_as(
                    "SELECT source, count(*), max(at) FROM federation_received GROUP BY source ORDER BY source",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(crate::outbox::FederationLedger {
                    pending: pending as u64,
                    oldest_queued_at,
                    held_by: held.into_iter().map(|(d, n)| (d, n as u64)).collect(),
                    received_from: received
                        .into_iter()
                        .map(|(s, n, at)| (s, n as u64, at))
                        .collect(),
                })
            }

            async fn apply_received(
                &self,
                writes: Vec<Write>,
                event_ids: &[String],
                source: &str,
                requeue: bool,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                Self::apply_all(&mut tx, &writes, &Reach::Everything).await?;
                if requeue {
                    Self::note_outbox(&mut tx, &writes).await?;
                }
                let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                for id in event_ids {
                    sqlx::query(
                        $crate::outbox::MARK_RECEIVED,
                    )
                    .bind(id)
                    .bind(source)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn contributions_of(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<crate::outbox::StoredContribution>, StoreError> {
                let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, origin, kind, record_id, owner, body FROM contributions \
                     WHERE kind = $1 AND record_id = $2 ORDER BY at, id",
                )
                .bind(kind.as_str())
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(crate::outbox::StoredContribution::from_row).collect())
            }

            async fn all_contributions(
                &self,
            ) -> Result<Vec<crate::outbox::StoredContribution>, StoreError> {
                let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, origin, kind, record_id, owner, '' FROM contributions ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(crate::outbox::StoredContribution::from_row).collect())
            }

            async fn contributions_sent(
                &self,
                kind: Kind,
                id: &str,
                destination: &str,
            ) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT s.contribution_id FROM contribution_sent s JOIN contributions c \
                     ON c.id = s.contribution_id \
                     WHERE c.kind = $1 AND c.record_id = $2 AND s.destination = $3",
                )
                .bind(kind.as_str())
                .bind(id)
                .bind(destination)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn all_sent(&self) -> Result<Vec<(String, String, String, i64)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT kind, record_id, destination, version FROM federation_sent",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn federation_resend(
                &self,
                kind: Kind,
                id: &str,
                destination: &str,
                held: Option<i64>,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let marker = format!(
                    "{}{}",
                    crate::outbox::RESEND,
                    chrono::Utc::now().timestamp_millis()
                );
                sqlx::query(
                    "INSERT INTO federation_sent (kind, record_id, destination, version, event_id) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, record_id, destination) \
                     DO UPDATE SET version = excluded.version, event_id = excluded.event_id",
                )
                .bind(kind.as_str())
                .bind(id)
                .bind(destination)
                .bind(held.unwrap_or(-1))
                .bind(&marker)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO outbox (kind, record_id) VALUES ($1, $2)")
                    .bind(kind.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn contribution_resend(
                &self,
                contribution_id: &str,
                destination: &str,
                kind: Kind,
                id: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "DELETE FROM contribution_sent WHERE contribution_id = $1 AND destination = $2",
                )
                .bind(contribution_id)
                .bind(destination)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO outbox (kind, record_id) VALUES ($1, $2)")
                    .bind(kind.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn park(
                &self,
                event: crate::outbox::ParkedEvent,
                audit: Vec<crate::AuditEvent>,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                let done = sqlx::query(
                    "INSERT INTO federation_parked (event_id, source, op, kind, record_id, at, body) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                )
                .bind(&event.event_id)
                .bind(&event.source)
                .bind(&event.op)
                .bind(&event.kind)
                .bind(&event.record_id)
                .bind(&at)
                .bind(&event.body)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 1 {
                    for a in &audit {
                        Self::append_audit(&mut tx, a).await?;
                    }
                }
                sqlx::query(
                    $crate::outbox::MARK_RECEIVED,
                )
                .bind(&event.event_id)
                .bind(&event.source)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn parked_for(
                &self,
                kind: Kind,
                id: &str,
            ) -> Result<Vec<crate::outbox::ParkedEvent>, StoreError> {
                let rows: Vec<(i64, String, String, String, String, String, String, String)> =
                    sqlx::query_as(
                        "SELECT seq, event_id, source, op, kind, record_id, at, body FROM federation_parked \
                         WHERE kind = $1 AND record_id = $2 ORDER BY seq",
                    )
                    .bind(kind.as_str())
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(crate::outbox::ParkedEvent::from_row).collect())
            }

            async fn parked_copies(
                &self,
            ) -> Result<Vec<crate::outbox::ParkedEvent>, StoreError> {
                let rows: Vec<(i64, String, String, String, String, String, String, String)> =
                    sqlx::query_as(
                        "SELECT seq, event_id, source, op, kind, record_id, at, body FROM federation_parked \
                         WHERE op = 'copy' ORDER BY seq",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(crate::outbox::ParkedEvent::from_row).collect())
            }

            async fn parked_before(
                &self,
                at: &str,
            ) -> Result<Vec<crate::outbox::ParkedEvent>, StoreError> {
                let rows: Vec<(i64, String, String, String, String, String, String, String)> =
                    sqlx::query_as(
                        "SELECT seq, event_id, source, op, kind, record_id, at, body FROM federation_parked \
                         WHERE at < $1 ORDER BY seq",
                    )
                    .bind(at)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(crate::outbox::ParkedEvent::from_row).collect())
            }

            async fn parked_len(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM federation_parked")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n as u64)
            }

            async fn unpark(
                &self,
                seq: i64,
                writes: Vec<Write>,
                requeue: bool,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM federation_parked WHERE seq = $1")
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?;
                Self::apply_all(&mut tx, &writes, &Reach::Everything).await?;
                if requeue {
                    Self::note_outbox(&mut tx, &writes).await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use outbox_methods;
