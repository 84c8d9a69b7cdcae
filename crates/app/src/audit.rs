//! The audit trail: verifying its hash chain, exporting it, and a record's history.

use hawkari_core::access::Comment;
use hawkari_core::record::Kind;
use hawkari_core::values::Text;
use hawkari_store::{AnyRecord, AuditEntry, Write};

use crate::authz::{Action, Releasability};
use hawkari_store::accounts::{AUDIT_GENESIS, audit_hash};

use crate::{App, AppError, Principal};

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    pub seq: i64,
    pub reason: String,
}

impl App {
    /// Walks the whole audit log and names the first entry that was altered, removed,
    /// inserted or reordered. Returns the number of entries checked when all is well.
    pub async fn verify_audit(
        &self,
        mut progress: impl FnMut(u64),
    ) -> Result<Result<u64, AuditBreak>, AppError> {
        let mut prev_hash = AUDIT_GENESIS.to_owned();
        let mut prev_seq = 0i64;
        let mut checked = 0u64;
        loop {
            let batch = self.store.audit_entries(prev_seq, 1000).await?;
            if batch.is_empty() {
                return Ok(Ok(checked));
            }
            for e in batch {
                let fault = if e.seq != prev_seq + 1 {
                    Some(format!(
                        "entry {} follows entry {prev_seq}: entries are missing or reordered",
                        e.seq
                    ))
                } else if e.prev_hash != prev_hash {
                    Some("its link to the previous entry does not match: an earlier entry was changed or removed".into())
                } else if audit_hash(&e.prev_hash, e.seq, &e.event) != e.hash {
                    Some("its content does not match its hash: it was altered".into())
                } else {
                    None
                };
                if let Some(reason) = fault {
                    return Ok(Err(AuditBreak { seq: e.seq, reason }));
                }
                prev_seq = e.seq;
                prev_hash = e.hash;
                checked += 1;
            }
            progress(checked);
        }
    }

    /// Every audit entry after `after_seq`, a page at a time, for `hawkari audit export`.
    pub async fn audit_page(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.audit_entries(after_seq, limit).await?)
    }

    /// Who changed a record, what and when — for someone who may see the record.
    pub async fn record_changes(
        &self,
        principal: &Principal,
        kind: Kind,
        id: &str,
    ) -> Result<Vec<AuditEntry>, AppError> {
        // Visibility first: the history of a record one cannot see is not there either.
        self.visible(principal, kind, id).await?;
        Ok(self.store.record_history(kind, id).await?)
    }

    /// Audits an export made through the API (what and how many rows).
    pub async fn record_export(
        &self,
        principal: &Principal,
        what: &str,
        rows: u64,
    ) -> Result<(), AppError> {
        let event = principal.event(
            self.now(),
            "export",
            None,
            None,
            serde_json::json!({"what": what, "rows": rows}),
        );
        Ok(self
            .store
            .write(vec![Write::Audit(event)], &principal.reach)
            .await?)
    }

    /// A record of any kind the principal may see, or `NotFound`.
    async fn visible(
        &self,
        principal: &Principal,
        kind: Kind,
        id: &str,
    ) -> Result<AnyRecord, AppError> {
        let not_found = || AppError::NotFound {
            kind,
            id: id.to_owned(),
        };
        if matches!(kind, Kind::Topic | Kind::Group) {
            return Err(not_found());
        }
        let record = self
            .store
            .get(kind, id, &principal.reach)
            .await?
            .ok_or_else(not_found)?;
        if !self
            .authz
            .allows(principal, Action::Read, releasability(&record))
        {
            return Err(not_found());
        }
        Ok(record)
    }

    /// Adds a comment or follow-up note, recorded as the principal's: editors of any
    /// organisation the record is released to may.
    pub async fn add_comment(
        &self,
        principal: &Principal,
        kind: Kind,
        id: &str,
        text: Text,
    ) -> Result<Comment, AppError> {
        let record = self.visible(principal, kind, id).await?;
        if !principal.may_write()
            || !self
                .authz
                .allows(principal, Action::Comment, releasability(&record))
        {
            return Err(AppError::Forbidden(
                "only editors of an organisation the record is released to may comment".into(),
            ));
        }
        let comment = Comment {
            id: hawkari_core::ids::mint(),
            author: principal.actor.clone(),
            organisation_id: principal.organisation_id().map(ToString::to_string),
            at: self.now(),
            text,
        };
        let audit = principal.event(
            comment.at,
            "comment",
            Some(kind),
            Some(id),
            serde_json::json!({"comment_id": comment.id}),
        );
        let write = Write::Comment {
            kind,
            record_id: id.to_owned(),
            comment: comment.clone(),
        };
        self.store
            .write(vec![write, Write::Audit(audit)], &principal.reach)
            .await?;
        Ok(comment)
    }

    /// The comments on a record the principal may see, oldest first.
    pub async fn comments(
        &self,
        principal: &Principal,
        kind: Kind,
        id: &str,
    ) -> Result<Vec<Comment>, AppError> {
        self.visible(principal, kind, id).await?;
        Ok(self.store.comments(kind, id).await?)
    }
}

/// The releasability facts of any record.
fn releasability(record: &AnyRecord) -> Releasability<'_> {
    match record {
        AnyRecord::Organisation(r) => Releasability::of(&r.data),
        AnyRecord::Person(r) => Releasability::of(&r.data),
        AnyRecord::Place(r) => Releasability::of(&r.data),
        AnyRecord::Engagement(r) => Releasability::of(&r.data),
        AnyRecord::Commitment(r) => Releasability::of(&r.data),
        AnyRecord::Incident(r) => Releasability::of(&r.data),
        AnyRecord::Area(r) => Releasability::of(&r.data),
        AnyRecord::Programme(r) => Releasability::of(&r.data),
        AnyRecord::Operation(r) => Releasability::of(&r.data),
    }
}
