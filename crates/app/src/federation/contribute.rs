//! Contributions: what users add to a record they may read but do not own — comments,
//! a commitment's status changes, an operation site's reports — and how they flow.
//!
//! A contribution made at a partner's instance on a copy is applied to the copy at once
//! (the copy keeps the owner's version) and kept, by an id that begins with the
//! instance's home organisation (its origin), in `contributions`; the publisher sends it
//! to the owner's instance. The owner checks it again (the record must be its own and
//! released to the sender, the contribution the sender's own) and merges it: a comment
//! is added, a status change or site report goes into the record's history, which makes
//! a new version of the owner's record, sent as usual to every instance it is released
//! to. The owner also sends every contribution (its own comments included) to each
//! instance holding a copy, except the contribution's origin.
//!
//! The merge is a union: an entry already held is not added again, and histories are
//! kept in one order everywhere — by time, then author, then value — so the current
//! status (the last entry) is the same on every instance that holds the same entries,
//! whichever order they arrived in. A copy arriving from the owner has the
//! contributions held here merged into it before it is stored, so a contribution on
//! its way to the owner is not lost from view when an older version of the owner's
//! record arrives meanwhile. The owner's own fields are never changed by a contribution.

use chrono::{DateTime, Utc};
use hawkari_core::access::Comment;
use hawkari_core::commitment::StatusChange;
use hawkari_core::operation::SiteReport;
use hawkari_core::record::Kind;
use hawkari_store::tables::{COMMENTS, CONTRIBUTIONS};
use hawkari_store::{AnyRecord, StoreError, Write};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One contribution, as stored and as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// `<origin>.<random>`: unique, and says where it was made.
    pub id: String,
    /// The home organisation of the instance where it was made.
    pub origin: String,
    pub kind: String,
    pub record_id: String,
    pub at: DateTime<Utc>,
    pub what: What,
}

/// What a contribution adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum What {
    Comment { comment: Comment },
    Status { change: StatusChange },
    SiteReport { site: String, report: SiteReport },
}

impl Contribution {
    /// A new contribution made here.
    pub fn new(origin: &str, kind: Kind, record_id: &str, at: DateTime<Utc>, what: What) -> Self {
        Self {
            id: format!("{origin}.{}", hawkari_core::ids::mint()),
            origin: origin.to_owned(),
            kind: kind.as_str().to_owned(),
            record_id: record_id.to_owned(),
            at,
            what,
        }
    }

    /// The writes that keep it here: its row in `contributions` (a repeat changes
    /// nothing) and, for a comment, the comment (likewise).
    pub fn writes(&self, owner: &str) -> Result<Vec<Write>, StoreError> {
        let text = |s: &str| Value::String(s.to_owned());
        let mut writes = vec![Write::Restore {
            table: CONTRIBUTIONS,
            row: vec![
                text(&self.id),
                text(&self.origin),
                text(&self.kind),
                text(&self.record_id),
                text(owner),
                text(&stamp(self.at)),
                text(&serde_json::to_string(self)?),
            ],
        }];
        if let What::Comment { comment } = &self.what {
            writes.push(Write::Restore {
                table: COMMENTS,
                row: vec![
                    text(&comment.id),
                    text(&self.kind),
                    text(&self.record_id),
                    text(&comment.author),
                    comment.organisation_id.as_deref().map_or(Value::Null, text),
                    text(&stamp(comment.at)),
                    text(comment.text.as_str()),
                ],
            });
        }
        Ok(writes)
    }

    /// Read back from its stored body.
    pub fn parse(body: &str) -> Result<Self, StoreError> {
        Ok(serde_json::from_str(body)?)
    }
}

/// A time as the store keeps comments' times.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// The contribution a follow-up's audit detail describes (`status` / `site_report`),
/// recorded as made by `by`.
pub fn from_follow_up(event: &str, detail: &Value, by: &str) -> Option<What> {
    match event {
        "status" => {
            let mut change: StatusChange = serde_json::from_value(detail["status"].clone()).ok()?;
            change.by = by.to_owned();
            Some(What::Status { change })
        }
        "site_report" => {
            let mut report: SiteReport = serde_json::from_value(detail["report"].clone()).ok()?;
            report.by = by.to_owned();
            Some(What::SiteReport {
                site: detail["site"].as_str()?.to_owned(),
                report,
            })
        }
        _ => None,
    }
}

/// Merges a contribution into a record: `Ok(true)` if the record changed, `Ok(false)` if
/// it held it already (or it is a comment, kept beside the record), `Err` naming why it
/// does not fit the record.
pub fn merge(record: &mut AnyRecord, what: &What) -> Result<bool, String> {
    match (record, what) {
        (_, What::Comment { .. }) => Ok(false),
        (AnyRecord::Commitment(c), What::Status { change }) => {
            if c.status_history.contains(change) {
                return Ok(false);
            }
            c.status_history.push(change.clone());
            c.status_history.sort_by(|a, b| {
                (a.at, &a.by, a.status.as_str()).cmp(&(b.at, &b.by, b.status.as_str()))
            });
            Ok(true)
        }
        (AnyRecord::Operation(o), What::SiteReport { site, report }) => {
            let Some(s) = o.data.sites.iter_mut().find(|s| s.key.as_str() == site) else {
                return Err(format!("the operation has no site `{site}`"));
            };
            if s.reports.contains(report) {
                return Ok(false);
            }
            s.reports.push(report.clone());
            s.reports.sort_by(|a, b| {
                (a.at, &a.by, a.status.as_str()).cmp(&(b.at, &b.by, b.status.as_str()))
            });
            Ok(true)
        }
        (_, What::Status { .. }) => Err("a status change is made to a commitment only".into()),
        (_, What::SiteReport { .. }) => Err("a site report is made to an operation only".into()),
    }
}

/// Merges every contribution held here for a record into it (an arriving copy), leaving
/// out those that do not fit.
pub fn merge_held(record: &mut AnyRecord, held: &[hawkari_store::StoredContribution]) {
    for stored in held {
        if let Ok(c) = Contribution::parse(&stored.body) {
            let _ = merge(record, &c.what);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hawkari_core::commitment::CommitmentStatus;
    use proptest::prelude::*;

    /// A stored commitment, as an event carries it.
    fn commitment() -> AnyRecord {
        let body = serde_json::json!({
            "id": "c-1", "engagement_id": "e-1", "text": "Joint checkpoints",
            "responsible_org_id": "mopa", "owner_org_id": "mopa", "releasable_to": ["cjtf-oir"],
            "status_history": [{"status": "open", "at": "2025-10-01T00:00:00Z", "by": "mopa"}],
            "version": 1, "created_by": "mopa", "created_at": "2025-10-01T00:00:00Z",
            "updated_by": "mopa", "updated_at": "2025-10-01T00:00:00Z"
        });
        match crate::dataset::parse_record("commitments", 0, body).unwrap() {
            Write::Upsert(r) => r,
            _ => unreachable!(),
        }
    }

    fn history(r: &AnyRecord) -> Vec<StatusChange> {
        match r {
            AnyRecord::Commitment(c) => c.status_history.clone(),
            _ => unreachable!(),
        }
    }

    proptest! {
        /// Status changes merged in any order, some of them twice, give one history —
        /// each change once — and so one current status on every instance.
        #[test]
        fn status_changes_merged_in_any_order_give_one_history(
            changes in proptest::collection::vec((0i64..4, 0usize..3, 0usize..4), 0..8),
            order in proptest::collection::vec(any::<u32>(), 8),
            repeat in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let start: DateTime<Utc> = "2025-10-02T00:00:00Z".parse().unwrap();
            let whats: Vec<What> = changes
                .iter()
                .map(|(t, by, s)| What::Status {
                    change: StatusChange {
                        status: CommitmentStatus::ALL[*s],
                        at: start + chrono::Duration::minutes(*t),
                        by: ["a@mopa", "b@cjtf-oir", "c@iraqi-army"][*by].into(),
                        reason: None,
                    },
                })
                .collect();
            let mut here = commitment();
            for w in &whats {
                merge(&mut here, w).unwrap();
            }
            let mut indices: Vec<usize> = (0..whats.len()).collect();
            indices.sort_by_key(|i| order[*i]);
            let mut there = commitment();
            for i in indices {
                merge(&mut there, &whats[i]).unwrap();
                if repeat[i] {
                    prop_assert_eq!(merge(&mut there, &whats[i]), Ok(false));
                }
            }
            prop_assert_eq!(history(&here), history(&there));
            let unique = whats.iter().enumerate().filter(|(i, w)| !whats[..*i].contains(w)).count();
            prop_assert_eq!(history(&here).len(), 1 + unique);
        }
    }
}
