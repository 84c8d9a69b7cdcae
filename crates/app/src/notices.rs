//! Following and notices: a user follows a record (a commitment, an engagement, an
//! operation, a programme) or their organisation's commitments (owed by it, owed to
//! it), and gets a notice when something they follow falls overdue or due soon, changes
//! status or is commented on.
//!
//! Releasability is decided twice, by the read path's own rules (`visible`, the list
//! queries through the reader's reach): when a notice is made — a follower the record is
//! not released to gets none — and again whenever it is shown or mailed, so a record
//! withdrawn from them since is neither shown, counted nor mailed. A notice stores no
//! record content; its title is read from the record at that moment.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, Utc};
use hawkari_core::ValidationError;
use hawkari_core::access::User;
use hawkari_core::commitment::Commitment;
use hawkari_core::record::Kind;
use hawkari_store::{
    AnyRecord, CommitmentFilter, Follow, FollowTarget, Notice, NoticeEvent, NoticeSettings,
};

use crate::{App, AppError, Principal};

/// A pending commitment due within this many days is "due soon".
pub const DUE_SOON_DAYS: u64 = 7;

/// How many times the notices of one event are tried before the failure is logged.
const NOTIFY_TRIES: u64 = 3;

/// The languages notices are written in.
pub const NOTICE_LANGUAGES: [&str; 3] = ["en", "ar", "ckb"];

/// A notice with its record as the reader may see it now.
#[derive(Debug, Clone)]
pub struct ShownNotice {
    pub notice: Notice,
    pub record: AnyRecord,
}

fn user_of(principal: &Principal) -> Result<&User, AppError> {
    principal
        .user
        .as_ref()
        .ok_or_else(|| AppError::Forbidden("follows and notices belong to users".into()))
}

impl App {
    /// Follows a record the principal may read, or their organisation's commitments
    /// (`owed_by`, `owed_to`, without a record). Following twice keeps one follow.
    pub async fn follow(
        &self,
        principal: &Principal,
        target: FollowTarget,
        record_id: Option<&str>,
    ) -> Result<Follow, AppError> {
        let user = user_of(principal)?;
        match (target.kind(), record_id) {
            (Some(kind), Some(id)) => {
                // A record not released to the follower answers as one that does not exist.
                self.visible(principal, kind, id).await?;
                Ok(self.store.follow(&user.id, target, Some(id)).await?)
            }
            (Some(_), None) => Err(ValidationError::single(
                "record_id",
                format!("needed to follow a {}", target.as_str()),
            )
            .into()),
            (None, Some(_)) => Err(ValidationError::single(
                "record_id",
                format!(
                    "not taken with {}: it follows your organisation's commitments",
                    target.as_str()
                ),
            )
            .into()),
            (None, None) => Ok(self.store.follow(&user.id, target, None).await?),
        }
    }

    pub async fn unfollow(&self, principal: &Principal, id: &str) -> Result<(), AppError> {
        let user = user_of(principal)?;
        Ok(self.store.unfollow(&user.id, id).await?)
    }

    /// What the principal follows (records no longer released to them left out).
    pub async fn follows(&self, principal: &Principal) -> Result<Vec<Follow>, AppError> {
        Ok(self
            .followed(principal)
            .await?
            .into_iter()
            .map(|(f, _)| f)
            .collect())
    }

    /// What the principal follows, each with its record (none for their organisation's
    /// commitments); records no longer released to them left out.
    pub async fn followed(
        &self,
        principal: &Principal,
    ) -> Result<Vec<(Follow, Option<AnyRecord>)>, AppError> {
        let Some(user) = &principal.user else {
            return Ok(vec![]);
        };
        let mut out = Vec::new();
        for f in self.store.follows(&user.id).await? {
            match (f.target.kind(), &f.record_id) {
                (Some(kind), Some(id)) => {
                    if let Some(record) = self.visible_or_none(principal, kind, id).await? {
                        out.push((f, Some(record)));
                    }
                }
                _ => out.push((f, None)),
            }
        }
        Ok(out)
    }

    pub async fn notice_settings(&self, principal: &Principal) -> Result<NoticeSettings, AppError> {
        let user = user_of(principal)?;
        Ok(self.store.notice_settings(&user.id).await?)
    }

    /// Sets where and how the principal's notices are mailed, checking each field.
    pub async fn set_notice_settings(
        &self,
        principal: &Principal,
        mut settings: NoticeSettings,
    ) -> Result<NoticeSettings, AppError> {
        let user = user_of(principal)?;
        if !principal.may_write() {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        settings.email = settings
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        if let Some(email) = &settings.email {
            check_email(email).map_err(|m| ValidationError::single("email", m))?;
        }
        if !NOTICE_LANGUAGES.contains(&settings.language.as_str()) {
            return Err(ValidationError::single("language", "one of en, ar, ckb").into());
        }
        if (settings.immediate || settings.digest) && settings.email.is_none() {
            return Err(
                ValidationError::single("email", "needed to receive notices by e-mail").into(),
            );
        }
        let stored = self.store.notice_settings(&user.id).await?;
        settings.last_digest_at = stored.last_digest_at;
        self.store.set_notice_settings(&user.id, &settings).await?;
        Ok(settings)
    }

    /// Records the language the principal reads in, for their notices (the web's
    /// language switch calls it).
    pub async fn set_notice_language(
        &self,
        principal: &Principal,
        language: &str,
    ) -> Result<(), AppError> {
        let Some(user) = &principal.user else {
            return Ok(());
        };
        if !NOTICE_LANGUAGES.contains(&language) {
            return Ok(());
        }
        let mut s = self.store.notice_settings(&user.id).await?;
        if s.language != language {
            s.language = language.to_owned();
            self.store.set_notice_settings(&user.id, &s).await?;
        }
        Ok(())
    }

    /// The principal's notices, newest first, whose records they may read now.
    pub async fn notices_for(
        &self,
        principal: &Principal,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<ShownNotice>, AppError> {
        let Some(user) = &principal.user else {
            return Ok(vec![]);
        };
        let stored = self.store.notices(&user.id, unread_only, limit).await?;
        self.shown(principal, stored).await
    }

    /// How many unread notices the principal may see (at most 100 counted).
    pub async fn unread_notices(&self, principal: &Principal) -> Result<usize, AppError> {
        Ok(self.notices_for(principal, true, 100).await?.len())
    }

    /// Marks one notice read; a notice of another user, or about a record no longer
    /// released to the principal, answers as one that does not exist.
    pub async fn mark_notice_read(&self, principal: &Principal, id: &str) -> Result<(), AppError> {
        let user = user_of(principal)?;
        let no_such = || AppError::NoSuch(format!("no notice with id `{id}`"));
        let notice = self.store.notice(&user.id, id).await?.ok_or_else(no_such)?;
        if self.shown(principal, vec![notice]).await?.is_empty() {
            return Err(no_such());
        }
        let ids = [id.to_owned()];
        Ok(self.store.mark_read(&user.id, &ids, self.now()).await?)
    }

    /// Marks every unread notice the principal may see read.
    pub async fn mark_all_notices_read(&self, principal: &Principal) -> Result<usize, AppError> {
        let user = user_of(principal)?;
        let ids: Vec<String> = self
            .notices_for(principal, true, 500)
            .await?
            .into_iter()
            .map(|n| n.notice.id)
            .collect();
        self.store.mark_read(&user.id, &ids, self.now()).await?;
        Ok(ids.len())
    }

    /// A user's notices to mail — not yet mailed, or (with `since`) made since then —
    /// whose records they may read now, with the principal they are read as. `None` for
    /// a user who is gone or disabled.
    pub async fn notices_to_mail(
        &self,
        user_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<(Principal, Vec<ShownNotice>)>, AppError> {
        let Some(principal) = self.follower(user_id).await? else {
            return Ok(None);
        };
        let stored = self.store.notices_to_mail(user_id, since).await?;
        let shown = self.shown(&principal, stored).await?;
        Ok(Some((principal, shown)))
    }

    /// The notices whose records `principal` may read now, each record read once.
    async fn shown(
        &self,
        principal: &Principal,
        notices: Vec<Notice>,
    ) -> Result<Vec<ShownNotice>, AppError> {
        let mut records: HashMap<(Kind, String), Option<AnyRecord>> = HashMap::new();
        let mut out = Vec::new();
        for notice in notices {
            let key = (notice.kind, notice.record_id.clone());
            if !records.contains_key(&key) {
                let record = self
                    .visible_or_none(principal, notice.kind, &notice.record_id)
                    .await?;
                records.insert(key.clone(), record);
            }
            if let Some(Some(record)) = records.get(&key) {
                out.push(ShownNotice {
                    notice,
                    record: record.clone(),
                });
            }
        }
        Ok(out)
    }

    /// The principal of a follower, if the account exists and is not disabled.
    async fn follower(&self, user_id: &str) -> Result<Option<Principal>, AppError> {
        match self.store.user_by_id(user_id).await? {
            Some(u) if !u.user.disabled => Ok(Some(self.principal(u.user, None).await?)),
            _ => Ok(None),
        }
    }

    /// Makes the notice of an event on a record for everyone who follows it — the
    /// record, its engagement (for a commitment), or their organisation's commitments
    /// owed by or to it — and may read it, except whoever caused it. Failures are
    /// logged: the change the event reports is already made.
    pub(crate) async fn notify_followers(
        &self,
        by: &Principal,
        event: NoticeEvent,
        kind: Kind,
        id: &str,
        key: String,
        detail: serde_json::Value,
    ) {
        // Each notice is keyed by user and event, so a second try after a failure (a
        // busy database under load) makes only the notices the first did not.
        let mut tries = 0;
        loop {
            tries += 1;
            match self
                .try_notify_followers(by, event, kind, id, &key, &detail)
                .await
            {
                Ok(()) => return,
                Err(e) if tries < NOTIFY_TRIES => {
                    tracing::warn!(error = %e, kind = kind.as_str(), id, tries, "notices not made yet; trying again");
                    tokio::time::sleep(std::time::Duration::from_millis(100 * tries)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, kind = kind.as_str(), id, tries, "notices not made");
                    return;
                }
            }
        }
    }

    async fn try_notify_followers(
        &self,
        by: &Principal,
        event: NoticeEvent,
        kind: Kind,
        id: &str,
        key: &str,
        detail: &serde_json::Value,
    ) -> Result<(), AppError> {
        let mut users: Vec<String> = Vec::new();
        if let Some(target) = FollowTarget::of_kind(kind) {
            users.extend(self.store.followers(target, Some(id)).await?);
        }
        if kind == Kind::Commitment {
            let everything = hawkari_core::access::Reach::Everything;
            if let Some(AnyRecord::Commitment(c)) = self.store.get(kind, id, &everything).await? {
                users.extend(
                    self.store
                        .followers(
                            FollowTarget::Engagement,
                            Some(c.data.engagement_id.as_str()),
                        )
                        .await?,
                );
                users.extend(
                    self.organisation_followers(FollowTarget::OwedBy, &c.data.responsible_org_id)
                        .await?,
                );
                if let Some(counterpart) = &c.data.counterpart_org_id {
                    users.extend(
                        self.organisation_followers(FollowTarget::OwedTo, counterpart)
                            .await?,
                    );
                }
            }
        }
        let mut seen = HashSet::new();
        let actor = by.user.as_ref().map(|u| u.id.as_str());
        for user_id in users {
            if Some(user_id.as_str()) == actor || !seen.insert(user_id.clone()) {
                continue;
            }
            let Some(principal) = self.follower(&user_id).await? else {
                continue;
            };
            // Not released to the follower: no notice. Any other failure (the database)
            // is not a reason to skip them silently.
            if self.visible_or_none(&principal, kind, id).await?.is_none() {
                continue;
            }
            self.store
                .add_notice(&self.new_notice(&user_id, key, event, kind, id, detail.clone()))
                .await?;
        }
        Ok(())
    }

    /// The users following `target` (owed by / owed to) whose organisation is `org` or
    /// one above it: "owed by my organisation" includes what those below it owe, as the
    /// commitment list's organisation filter does.
    async fn organisation_followers(
        &self,
        target: FollowTarget,
        org: &hawkari_core::ids::OrganisationId,
    ) -> Result<Vec<String>, AppError> {
        let followers = self.store.followers(target, None).await?;
        if followers.is_empty() {
            return Ok(vec![]);
        }
        let chain: Vec<_> = self
            .org_chain(org)
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect();
        let mut out = Vec::new();
        for user_id in followers {
            if let Some(u) = self.store.user_by_id(&user_id).await?
                && chain.contains(&u.user.organisation_id)
            {
                out.push(user_id);
            }
        }
        Ok(out)
    }

    fn new_notice(
        &self,
        user_id: &str,
        key: &str,
        event: NoticeEvent,
        kind: Kind,
        id: &str,
        detail: serde_json::Value,
    ) -> Notice {
        Notice {
            id: hawkari_core::ids::mint(),
            user_id: user_id.to_owned(),
            key: key.to_owned(),
            event,
            kind,
            record_id: id.to_owned(),
            at: self.now(),
            detail,
            read_at: None,
            mailed_at: None,
        }
    }

    /// The periodic pass: for every user who follows anything, the commitments they
    /// follow (read through their own reach) and the milestones of the programmes they
    /// follow that are overdue or due within [`DUE_SOON_DAYS`], each made a notice once
    /// (per due day: a commitment given a new due day can fall overdue again). A
    /// milestone is due on the last day of its planned date (`2026-09` → 30 September). With `store` false nothing is written and the
    /// notices not yet made are returned (`hawkari notify --dry-run`); with `store`
    /// true, the notices made.
    pub async fn scan_due(&self, store: bool) -> Result<Vec<ShownNotice>, AppError> {
        let today = self.today();
        let soon = today
            .checked_add_days(Days::new(DUE_SOON_DAYS))
            .unwrap_or(today);
        let mut made = Vec::new();
        for user_id in self.store.users_following().await? {
            let Some(principal) = self.follower(&user_id).await? else {
                continue;
            };
            let Some(user) = principal.user.clone() else {
                continue;
            };
            let mut followed: BTreeMap<String, Commitment> = BTreeMap::new();
            let mut programmes: BTreeMap<String, AnyRecord> = BTreeMap::new();
            for f in self.store.follows(&user_id).await? {
                let filter = |f: CommitmentFilter| CommitmentFilter {
                    // Due before the day after `soon`: overdue, or due soon.
                    due_before: soon.checked_add_days(Days::new(1)),
                    ..f
                };
                let filter = match (f.target, &f.record_id) {
                    (FollowTarget::OwedBy, _) => filter(CommitmentFilter {
                        responsible_org_id: Some(user.organisation_id.clone()),
                        ..Default::default()
                    }),
                    (FollowTarget::OwedTo, _) => filter(CommitmentFilter {
                        counterpart_org_id: Some(user.organisation_id.clone()),
                        ..Default::default()
                    }),
                    (FollowTarget::Engagement, Some(id)) => match id.parse() {
                        Ok(engagement) => filter(CommitmentFilter {
                            engagement_id: Some(engagement),
                            ..Default::default()
                        }),
                        Err(_) => continue,
                    },
                    (FollowTarget::Commitment, Some(id)) => {
                        if let Some(AnyRecord::Commitment(c)) = self
                            .visible_or_none(&principal, Kind::Commitment, id)
                            .await?
                        {
                            followed.insert(c.id.to_string(), c);
                        }
                        continue;
                    }
                    (FollowTarget::Programme, Some(id)) => {
                        if let Some(p @ AnyRecord::Programme(_)) = self
                            .visible_or_none(&principal, Kind::Programme, id)
                            .await?
                        {
                            programmes.insert(id.clone(), p);
                        }
                        continue;
                    }
                    _ => continue,
                };
                self.all_pages(
                    |page| {
                        let (principal, filter) = (&principal, &filter);
                        async move { self.list_commitments(principal, filter, &page).await }
                    },
                    |c: &Commitment| {
                        followed.insert(c.id.to_string(), c.clone());
                    },
                )
                .await?;
            }
            // (kind, record id, what falls due within it, due day, detail, record).
            let mut due_items = Vec::new();
            for (id, c) in followed {
                let Some(due) = c.data.due else { continue };
                if c.status().is_pending() {
                    let detail = serde_json::json!({"due": due.to_string()});
                    due_items.push((
                        Kind::Commitment,
                        id,
                        String::new(),
                        due,
                        detail,
                        AnyRecord::Commitment(c),
                    ));
                }
            }
            for (id, record) in programmes {
                let AnyRecord::Programme(p) = &record else {
                    continue;
                };
                for m in p.data.milestones.iter().filter(|m| m.status().is_pending()) {
                    let due = m.due.last_day();
                    let detail = serde_json::json!({
                        "due": due.to_string(),
                        "milestone": m.title.to_string(),
                    });
                    let part = format!(":{}", m.key);
                    due_items.push((
                        Kind::Programme,
                        id.clone(),
                        part,
                        due,
                        detail,
                        record.clone(),
                    ));
                }
            }
            for (kind, id, part, due, detail, record) in due_items {
                let event = if due < today {
                    NoticeEvent::Overdue
                } else if due <= soon {
                    NoticeEvent::DueSoon
                } else {
                    continue;
                };
                let key = format!("{}:{}:{id}{part}:{due}", event.as_str(), kind.as_str());
                let notice = self.new_notice(&user_id, &key, event, kind, &id, detail);
                let new = if store {
                    self.store.add_notice(&notice).await?
                } else {
                    !self.store.has_notice(&user_id, &key).await?
                };
                if new {
                    made.push(ShownNotice { notice, record });
                }
            }
        }
        Ok(made)
    }
}

/// A plain check of an e-mail address: one `@` between a local part and a domain with a
/// dot, no spaces, at most 254 characters. (The mail transport checks it again.)
pub fn check_email(email: &str) -> Result<(), String> {
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.matches('@').count() == 1
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(())
    } else {
        Err("not an e-mail address like name@example.org".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_address_needs_a_local_part_and_a_domain() {
        assert!(check_email("liaison@mopa.example.org").is_ok());
        for bad in [
            "",
            "liaison",
            "@mopa.org",
            "a@b",
            "a b@c.org",
            "a@@c.org",
            "a@c.org.",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
