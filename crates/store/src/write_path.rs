//! The part of the write path that is the same for every backend: a write list is applied
//! in order, runs of upserts of one kind many rows to a statement (the backend's
//! `upsert_many`: a multi-row `INSERT` on SQLite, the same on PostgreSQL), everything else
//! one write at a time (the backend's `apply`). Only the SQL differs between backends, so
//! only `upsert_many` and `apply` are written per backend.

use hawkari_core::record::Kind;

use crate::record_row::RowIn;

/// Most rows one multi-row statement carries (each binds some 15–17 values; SQLite allows
/// 32 766, PostgreSQL 65 535).
pub(crate) const MANY: usize = 500;

/// Most rows one `COPY` carries (no parameters: bounded by memory, a few MB).
pub(crate) const COPIED: usize = 5000;

/// Kinds whose runs of upserts are written many rows to a statement. People and
/// organisations are not (writing one refreshes the search names of the engagements they
/// take part in), nor engagements (their search document gathers those names).
pub(crate) fn batched(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Person | Kind::Organisation | Kind::Engagement | Kind::Topic
    )
}

/// What applying one write did.
#[derive(Debug)]
pub(crate) enum Applied {
    /// A record row was written; its references are still to be checked.
    Row(Box<RowIn>),
    /// An upsert found a newer stored record and left it alone.
    Stale,
    /// Anything else (a delete, a topic).
    Done,
}

/// `apply_all` for a backend's store (`$store`, database `$db`, `$run_limit(kind)` the most
/// upserts of `kind` one `upsert_many` takes), which provides
/// `upsert_many(tx, rows) -> Option<written rows>` (`None`: a uniqueness conflict stopped
/// the statement and changed nothing) and `apply(tx, write, reach) -> Applied`.
macro_rules! apply_all_method {
    ($store:ty, $db:ty, $run_limit:expr) => {
        impl $store {
            /// Applies a list of writes in order: runs of upserts of one kind many rows to
            /// a statement, everything else one by one. Returns the rows written, whose
            /// references are still to be checked, and how many upserts a newer stored
            /// version kept out.
            async fn apply_all(
                tx: &mut Transaction<'_, $db>,
                writes: &[Write],
                reach: &Reach,
            ) -> Result<(Vec<Box<RowIn>>, u64), StoreError> {
                use $crate::write_path::{Applied, batched};
                let mut written = Vec::new();
                let mut stale = 0;
                let mut i = 0;
                while i < writes.len() {
                    let upsert_of = |w: &Write| match w {
                        Write::Upsert(r) if batched(r.kind()) => Some(r.kind()),
                        _ => None,
                    };
                    let run = match upsert_of(&writes[i]) {
                        Some(kind) => writes[i..]
                            .iter()
                            .take($run_limit(kind))
                            .take_while(|w| upsert_of(w) == Some(kind))
                            .count(),
                        None => 0,
                    };
                    if run > 1 {
                        let rows = writes[i..i + run]
                            .iter()
                            .filter_map(|w| match w {
                                Write::Upsert(r) => Some(row_in(r)),
                                _ => None,
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        match Self::upsert_many(tx, rows).await? {
                            Some(rows) => {
                                stale += (run - rows.len()) as u64;
                                written.extend(rows);
                            }
                            // A uniqueness conflict: row by row, to name the record.
                            None => {
                                for w in &writes[i..i + run] {
                                    match Self::apply(tx, w, reach).await? {
                                        Applied::Row(row) => written.push(row),
                                        Applied::Stale => stale += 1,
                                        Applied::Done => {}
                                    }
                                }
                            }
                        }
                        i += run;
                        continue;
                    }
                    match Self::apply(tx, &writes[i], reach).await? {
                        Applied::Row(row) => written.push(row),
                        Applied::Stale => stale += 1,
                        Applied::Done => {}
                    }
                    i += 1;
                }
                Ok((written, stale))
            }
        }
    };
}
pub(crate) use apply_all_method;
