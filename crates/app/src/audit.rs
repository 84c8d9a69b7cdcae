//! The audit trail: verifying its hash chain, exporting it, and a record's history.

use hawkari_core::access::Comment;
use hawkari_core::record::Kind;
use hawkari_core::values::Text;
use hawkari_store::{AnyRecord, AuditEntry, Write};

use crate::authz::{Action, Releasability};
use hawkari_store::accounts::{AUDIT_GENESIS, audit_hash};

use crate::{App, AppError, Principal};

/// A place where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    pub seq: i64,
    pub reason: String,
}

/// The head of the chain at some moment: its last entry's number and hash. Kept outside
/// the database (printed by `hawkari audit head`, handed to partners), it lets `audit
/// verify` see entries cut off the end, which the chain alone cannot show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditAnchor {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for AuditAnchor {
    type Err = String;
    /// `SEQ:HASH`, as `hawkari audit head` prints it.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "`{s}` is not an audit anchor: write it as SEQ:HASH, as `hawkari audit head` prints it"
            )
        };
        let (seq, hash) = s.split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim();
        if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read.
    pub checked: u64,
    /// The last entry read, if any.
    pub head: Option<AuditAnchor>,
    /// Every break, in order.
    pub breaks: Vec<AuditBreak>,
}

impl App {
    /// Walks the whole audit log and names every entry that was altered, removed,
    /// inserted or reordered — and, given an anchor saved earlier, entries cut off the
    /// end or rewritten up to it.
    pub async fn verify_audit(
        &self,
        anchor: Option<&AuditAnchor>,
        mut progress: impl FnMut(u64),
    ) -> Result<AuditReport, AppError> {
        let mut prev_hash = AUDIT_GENESIS.to_owned();
        let mut prev_seq = 0i64;
        let mut checked = 0u64;
        let mut breaks = Vec::new();
        let mut anchor_seen = false;
        loop {
            let batch = self.store.audit_entries(prev_seq, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for e in batch {
                let mut fault = |reason: String| breaks.push(AuditBreak { seq: e.seq, reason });
                if e.seq != prev_seq + 1 {
                    fault(format!(
                        "entry {} follows entry {prev_seq}: entries are missing or reordered",
                        e.seq
                    ));
                }
                if e.prev_hash != prev_hash {
                    fault("its link to the previous entry does not match: an earlier entry was changed or removed".into());
                }
                if audit_hash(&e.prev_hash, e.seq, &e.stored) != e.hash {
                    fault("its content does not match its hash: it was altered".into());
                }
                if let Some(a) = anchor
                    && a.seq == e.seq
                {
                    anchor_seen = true;
                    if a.hash != e.hash {
                        fault(format!(
                            "its hash is not the anchor's ({}): the log was rewritten up to here",
                            a.hash
                        ));
                    }
                }
                prev_seq = e.seq;
                prev_hash = e.hash;
                checked += 1;
            }
            progress(checked);
        }
        if let Some(a) = anchor
            && !anchor_seen
            && a.seq > 0
        {
            let reason = if a.seq > prev_seq {
                format!(
                    "the anchor names entry {} but the log ends at entry {prev_seq}: entries were cut off the end",
                    a.seq
                )
            } else {
                format!("the anchor names entry {}, which is missing", a.seq)
            };
            breaks.push(AuditBreak { seq: a.seq, reason });
        }
        let head = (prev_seq > 0).then_some(AuditAnchor {
            seq: prev_seq,
            hash: prev_hash,
        });
        Ok(AuditReport {
            checked,
            head,
            breaks,
        })
    }

    /// The chain's head now: what to keep outside the database as an anchor.
    pub async fn audit_head(&self) -> Result<AuditAnchor, AppError> {
        Ok(match self.store.audit_last().await? {
            Some(e) => AuditAnchor {
                seq: e.seq,
                hash: e.hash,
            },
            None => AuditAnchor {
                seq: 0,
                hash: AUDIT_GENESIS.to_owned(),
            },
        })
    }

    /// Every audit entry after `after_seq`, a page at a time, for `hawkari audit export`.
    pub async fn audit_page(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.audit_entries(after_seq, limit).await?)
    }

    /// The audit trail of the principal's organisation, newest first: what its users did,
    /// and what others did that concerns it (accounts made in it or below it, changes to
    /// the tree around it, partners' follow-ups on its records). For its administrators
    /// (organisation and system administrators).
    pub async fn organisation_audit(
        &self,
        principal: &Principal,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, AppError> {
        use hawkari_core::access::Role;
        let (Some(org), Some(Role::OrgAdmin | Role::SystemAdmin)) =
            (principal.organisation_id(), principal.role())
        else {
            return Err(AppError::Forbidden(
                "an organisation's audit trail is for its administrators".into(),
            ));
        };
        Ok(self
            .store
            .audit_concerning(org.as_str(), before_seq, limit.clamp(1, 500))
            .await?)
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

    /// `visible`, with a record that is not there or not released to the principal as
    /// `None`: only a failure (of the database) is an error, never silently a "no".
    pub(crate) async fn visible_or_none(
        &self,
        principal: &Principal,
        kind: Kind,
        id: &str,
    ) -> Result<Option<AnyRecord>, AppError> {
        match self.visible(principal, kind, id).await {
            Ok(r) => Ok(Some(r)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A record of any kind the principal may see, or `NotFound`: the read path's rule
    /// (the store's reach, then the policy), for every read of one record by kind.
    pub(crate) async fn visible(
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
        let audit = principal
            .event(
                comment.at,
                "comment",
                Some(kind),
                Some(id),
                serde_json::json!({"comment_id": comment.id}),
            )
            .concerning(principal.foreign_owner(releasability(&record).owner));
        let owner = releasability(&record).owner.clone();
        let mut writes = match self.federation_org.get() {
            // Federating: every comment on a record that crosses is a contribution, sent
            // to the owner's instance (or, made at the owner's, to the partners holding
            // a copy).
            Some(origin) if hawkari_store::outbox::FEDERATED_KINDS.contains(&kind) => {
                crate::federation::contribute::Contribution::new(
                    origin.as_str(),
                    kind,
                    id,
                    comment.at,
                    crate::federation::contribute::What::Comment {
                        comment: comment.clone(),
                    },
                )
                .writes(owner.as_str())?
            }
            _ => vec![Write::Comment {
                kind,
                record_id: id.to_owned(),
                comment: comment.clone(),
            }],
        };
        writes.push(Write::Audit(audit));
        self.store.write(writes, &principal.reach).await?;
        self.notify_followers(
            principal,
            hawkari_store::NoticeEvent::Comment,
            kind,
            id,
            format!("comment:{}:{id}:{}", kind.as_str(), comment.id),
            serde_json::json!({"who": comment.author}),
        )
        .await;
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
