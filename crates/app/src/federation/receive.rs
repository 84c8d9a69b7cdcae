//! The consumer: applies what partners send to this instance.
//!
//! A durable pull consumer (`hawkari-<home>`) reads `hawkari.<home>.records.>` from the
//! stream, so an instance that was away takes up where it stopped. Each event is checked
//! again here, whatever the sender and NATS decided: it must be addressed to this
//! instance on its own subject, come from the instance it names, concern a record owned
//! by the sending instance's organisations (never one of this instance's own), and — for
//! a copy — be released to this instance by the read path's rule over this instance's
//! own registry. An event that fails is dropped, and the drop audited. An event is
//! applied once (its id is kept in `federation_received`, in the same transaction);
//! copies are upserts, so an older version than the one held changes nothing. A
//! partner's record is stored as a copy that the owner alone changes (this instance's
//! users may edit only their own organisations' records); a withdrawal deletes it.
//!
//! A contribution to a record not held here (yet) — its copy delivered again after the
//! contribution, or itself waiting — is not refused: it is parked (`federation_parked`,
//! in the database, audited as `federation_parked`) and, when a copy of the record is
//! applied, checked again and applied in the order the parked ones arrived. So is a
//! copy of a record that refers to one not held here yet (a commitment before its
//! engagement, a record before its owner organisation: the database checks those
//! references), until a copy of an engagement or organisation lets it in; before, it
//! was not acknowledged and came back every 30 s, for ever if what it refers to is
//! never released here. A withdrawal of the record drops what waited for it; so do 30
//! days waiting (the stream keeps events that long; an anti-entropy pass sends the
//! record and its contributions again if they are still released here). Both drops are
//! audited (`federation_dropped`).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, PullConsumer, pull};
use futures_util::StreamExt;
use hawkari_core::access::Reach;
use hawkari_core::ids::OrganisationId;
use hawkari_core::record::Kind;
use hawkari_store::{AnyRecord, StoreError, Write};
use serde_json::json;

use super::{Counters, Event, FederationError, Op, Settings, audit, nats, release_of, sees};
use crate::App;

/// The durable consumer of this instance's subjects, created if missing.
pub async fn consumer(
    stream: &async_nats::jetstream::stream::Stream,
    home: &OrganisationId,
) -> Result<PullConsumer, FederationError> {
    let name = format!("hawkari-{home}");
    stream
        .get_or_create_consumer(
            &name,
            pull::Config {
                durable_name: Some(name.clone()),
                filter_subject: format!("hawkari.{home}.records.*"),
                ack_policy: AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                ..Default::default()
            },
        )
        .await
        .map_err(nats)
}

/// Runs until the task is aborted. An event whose apply fails (the database is away) is
/// not acknowledged: JetStream delivers it again.
pub async fn run(
    app: App,
    consumer: PullConsumer,
    settings: Arc<Settings>,
    counters: Arc<Counters>,
) {
    loop {
        let mut messages = match consumer.messages().await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "federation: cannot read the stream; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        while let Some(message) = messages.next().await {
            let message = match message {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = %e, "federation: reading the stream failed");
                    break;
                }
            };
            match handle(&app, &settings, &message.subject, &message.payload).await {
                Ok(outcome) => {
                    match outcome {
                        Outcome::Applied | Outcome::Parked => {
                            counters.received.fetch_add(1, Ordering::Relaxed)
                        }
                        Outcome::Dropped => counters.dropped.fetch_add(1, Ordering::Relaxed),
                        Outcome::Repeat => 0,
                    };
                    if let Err(e) = message.ack().await {
                        tracing::warn!(error = %e, "federation: acknowledging failed");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, subject = %message.subject, "federation: applying an event failed; it will be delivered again");
                }
            }
        }
    }
}

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// A contribution whose record is not held here yet, or a copy of a record that
    /// refers to one not held here yet: kept, and applied when that record arrives
    /// (`federation_parked`).
    Parked,
    /// Refused by a check here; audited.
    Dropped,
    /// Applied before.
    Repeat,
}

/// Checks and applies one event that arrived on `subject`.
pub async fn handle(
    app: &App,
    settings: &Settings,
    subject: &str,
    payload: &[u8],
) -> Result<Outcome, FederationError> {
    handle_inner(app, settings, subject, payload, None).await
}

/// Applies `writes` for an event: marks it received (`parked`: takes it out of the
/// events waiting, where it was marked received when parked), in one transaction.
async fn commit(
    store: &std::sync::Arc<dyn hawkari_store::Store>,
    parked: Option<i64>,
    writes: Vec<Write>,
    event_id: &str,
    source: &str,
    requeue: bool,
) -> Result<(), StoreError> {
    match parked {
        Some(seq) => store.unpark(seq, writes, requeue).await,
        None => {
            store
                .apply_received(writes, &[event_id.to_owned()], source, requeue)
                .await
        }
    }
}

/// [`handle`]; with `parked`, for an event that waited (`federation_parked`, by its
/// sequence): it is checked again as if it had just arrived, and taken out when applied
/// or refused, left waiting otherwise.
async fn handle_inner(
    app: &App,
    settings: &Settings,
    subject: &str,
    payload: &[u8],
    parked: Option<i64>,
) -> Result<Outcome, FederationError> {
    let home = &settings.organisation;
    let store = app.store();
    let event: Event = match serde_json::from_slice(payload) {
        Ok(e) => e,
        Err(e) => {
            // Nothing to key it by but the subject: audited, not remembered.
            let entry = audit(
                app,
                home,
                "federation_dropped",
                Kind::Organisation,
                home.as_str(),
                json!({"subject": subject, "reason": format!("not an event: {e}")}),
                vec![],
            );
            match parked {
                Some(seq) => store.unpark(seq, vec![Write::Audit(entry)], false).await?,
                None => {
                    store
                        .apply_received(vec![Write::Audit(entry)], &[], "", false)
                        .await?;
                }
            }
            return Ok(Outcome::Dropped);
        }
    };
    if parked.is_none() && store.was_received(&event.id).await? {
        return Ok(Outcome::Repeat);
    }
    let kind = hawkari_store::outbox::FEDERATED_KINDS
        .into_iter()
        .find(|k| k.as_str() == event.kind);
    let detail = |reason: Option<&str>| {
        let mut d = json!({"event": event.id, "from": event.from, "op": event.op, "version": event.version});
        if let Some(r) = reason {
            d["reason"] = json!(r);
        }
        d
    };
    let drop = |reason: String| {
        let entry = audit(
            app,
            home,
            "federation_dropped",
            kind.unwrap_or(Kind::Organisation),
            &event.record_id,
            detail(Some(&reason)),
            vec![],
        );
        let id = event.id.clone();
        let source = event.from.clone();
        async move {
            commit(
                store,
                parked,
                vec![Write::Audit(entry)],
                &id,
                &source,
                false,
            )
            .await?;
            Ok::<_, StoreError>(Outcome::Dropped)
        }
    };
    let Some(kind) = kind else {
        return Ok(drop(format!("unknown record kind `{}`", event.kind)).await?);
    };
    if event.to != home.as_str() || subject != super::subject(home.as_str(), &event.from) {
        return Ok(drop(format!(
            "addressed to `{}` on `{subject}`, not to this instance",
            event.to
        ))
        .await?);
    }
    let tree = super::load_tree(app).await?;
    let Ok(from) = event.from.parse::<OrganisationId>() else {
        return Ok(drop("the sender is not an organisation id".into()).await?);
    };
    match event.op {
        Op::Copy => {
            let Some(body) = event.record.clone() else {
                return Ok(drop("a copy without its record".into()).await?);
            };
            let mut write = match crate::dataset::parse_record(kind.plural(), 0, body) {
                Ok(w) => w,
                Err(e) => return Ok(drop(format!("the record is not valid: {e}")).await?),
            };
            let Write::Upsert(record) = &write else {
                return Ok(drop("not a record".into()).await?);
            };
            let (release, version) = release_of(record);
            if record.id() != event.record_id || version != event.version {
                return Ok(drop("the record is not the one the event names".into()).await?);
            }
            if tree.is_within(release.owner, home) {
                return Ok(drop(format!(
                    "the record is owned by `{}`, an organisation of this instance",
                    release.owner
                ))
                .await?);
            }
            if !tree.is_within(release.owner, &from) {
                return Ok(drop(format!(
                    "the record is owned by `{}`, not by `{from}` or an organisation below it",
                    release.owner
                ))
                .await?);
            }
            if !sees(&tree.instance_reach(home), release) {
                return Ok(drop("the record is not released to this instance".into()).await?);
            }
            // A partner writes only its own records: never over one of this instance's
            // (same id, other owner), nor an organisation into this instance's tree,
            // which would change who reads what here.
            let held = store
                .get(kind, &event.record_id, &Reach::Everything)
                .await?;
            if let Some(held) = &held {
                let owner = release_of(held).0.owner;
                if tree.is_within(owner, home) {
                    return Ok(drop(format!(
                        "the record would replace `{}`, a record of this instance's own",
                        event.record_id
                    ))
                    .await?);
                }
                // Nor over another partner's: a copy is replaced only by its owner's
                // instance (else a partner could take over, freeze or delete it).
                if !tree.is_within(owner, &from) {
                    return Ok(drop(format!(
                        "the record held is owned by `{owner}`, not by `{from}` or an organisation below it"
                    ))
                    .await?);
                }
            }
            if let AnyRecord::Organisation(o) = record {
                if let Some(parent) = &o.data.parent_id
                    && tree.is_within(parent, home)
                {
                    return Ok(drop(format!(
                        "the organisation would be placed under `{parent}`, an organisation of this instance"
                    ))
                    .await?);
                }
                if let Some(reason) = organisation_refused(&tree, &from, o, held.as_ref()) {
                    return Ok(drop(reason).await?);
                }
            }
            // The contributions held here stay in view until the owner's version has them.
            if let Write::Upsert(record) = &mut write {
                let held = store.contributions_of(kind, &event.record_id).await?;
                super::contribute::merge_held(record, &held);
            }
            let entry = audit(
                app,
                home,
                "federation_received",
                kind,
                &event.record_id,
                detail(None),
                vec![event.from.clone()],
            );
            let writes = vec![write, Write::Audit(entry)];
            match commit(store, parked, writes, &event.id, &event.from, false).await {
                // A record it refers to (an engagement, an organisation) is not held
                // here yet: it waits for it.
                Err(e) if e.is_missing_reference() => {
                    if parked.is_none() {
                        park(
                            app,
                            home,
                            kind,
                            &event,
                            payload,
                            "it refers to a record not held here yet",
                            json!(null),
                        )
                        .await?;
                    }
                    return Ok(Outcome::Parked);
                }
                r => r?,
            }
            if parked.is_none() {
                settle_parked(app, settings, kind, &event.record_id).await?;
            }
            Ok(Outcome::Applied)
        }
        Op::Withdraw => {
            let held = store
                .get(kind, &event.record_id, &Reach::Everything)
                .await?;
            let mut writes = Vec::new();
            if let Some(record) = &held {
                let (release, _) = release_of(record);
                if !tree.is_within(release.owner, &from) || tree.is_within(release.owner, home) {
                    return Ok(drop(format!(
                        "the copy held is owned by `{}`, not by `{from}`",
                        release.owner
                    ))
                    .await?);
                }
                writes.push(Write::Delete {
                    kind,
                    id: event.record_id.clone(),
                    expected_version: None,
                });
            }
            let mut d = detail(None);
            d["held"] = json!(held.is_some());
            writes.push(Write::Audit(audit(
                app,
                home,
                "federation_withdrawn",
                kind,
                &event.record_id,
                d,
                vec![event.from.clone()],
            )));
            commit(store, parked, writes, &event.id, &event.from, false).await?;
            // What waited for the record waits no more.
            for parked in store.parked_for(kind, &event.record_id).await? {
                drop_parked(
                    app,
                    home,
                    parked,
                    "its record was withdrawn before it arrived",
                )
                .await?;
            }
            Ok(Outcome::Applied)
        }
        Op::Contribute => {
            let Some(contribution) = event.contribution.clone() else {
                return Ok(drop("a contribution event without its contribution".into()).await?);
            };
            match contribution_refused(app, &tree, home, &from, kind, &event, &contribution).await?
            {
                Verdict::Refuse(reason) => Ok(drop(reason).await?),
                Verdict::Apply(writes, requeue) => {
                    let mut writes = writes;
                    writes.push(Write::Audit(contribution_audit(
                        app,
                        home,
                        kind,
                        &event,
                        &contribution,
                        parked.is_some(),
                    )));
                    commit(store, parked, writes, &event.id, &event.from, requeue).await?;
                    Ok(Outcome::Applied)
                }
                Verdict::Wait => {
                    if parked.is_none() {
                        park(
                            app,
                            home,
                            kind,
                            &event,
                            payload,
                            "its record is not held here yet",
                            json!({"contribution": contribution.id, "origin": contribution.origin}),
                        )
                        .await?;
                    }
                    Ok(Outcome::Parked)
                }
            }
        }
    }
}

/// What becomes of a contribution that arrived.
enum Verdict {
    /// The writes that apply it, and whether its record is to be sent on.
    Apply(Vec<Write>, bool),
    /// Refused, and why.
    Refuse(String),
    /// Its record is not held here (yet): it waits for it.
    Wait,
}

/// The audit entry of a contribution applied (`parked`: after waiting for its record).
fn contribution_audit(
    app: &App,
    home: &OrganisationId,
    kind: Kind,
    event: &Event,
    contribution: &super::contribute::Contribution,
    parked: bool,
) -> hawkari_store::AuditEvent {
    let mut d = json!({"event": event.id, "from": event.from, "op": event.op, "version": event.version,
        "contribution": contribution.id, "origin": contribution.origin});
    if parked {
        d["parked"] = json!(true);
    }
    audit(
        app,
        home,
        "federation_contribution",
        kind,
        &event.record_id,
        d,
        vec![event.from.clone()],
    )
}

/// Keeps an event that waits for a record (its own, for a contribution; one it refers
/// to, for a copy), marks it received and audits why (`federation_parked`); then drops
/// what has waited too long.
async fn park(
    app: &App,
    home: &OrganisationId,
    kind: Kind,
    event: &Event,
    payload: &[u8],
    reason: &str,
    extra: serde_json::Value,
) -> Result<(), FederationError> {
    let mut d = json!({"event": event.id, "from": event.from, "op": event.op,
        "version": event.version, "reason": reason});
    if let serde_json::Value::Object(extra) = extra {
        for (k, v) in extra {
            d[k] = v;
        }
    }
    let entry = audit(
        app,
        home,
        "federation_parked",
        kind,
        &event.record_id,
        d,
        vec![event.from.clone()],
    );
    let op = match event.op {
        Op::Copy => "copy",
        Op::Withdraw => "withdraw",
        Op::Contribute => "contribute",
    };
    app.store()
        .park(
            hawkari_store::ParkedEvent {
                seq: 0,
                event_id: event.id.clone(),
                source: event.from.clone(),
                op: op.to_owned(),
                kind: kind.as_str().to_owned(),
                record_id: event.record_id.clone(),
                at: String::new(),
                body: String::from_utf8_lossy(payload).into_owned(),
            },
            vec![entry],
        )
        .await?;
    expire_parked(app, home).await
}

/// After a copy of a record was applied: the contributions that waited for it, in the
/// order they arrived; and, if it is a record others refer to (an organisation, an
/// engagement), the copies that waited for one, again until none more applies — each
/// checked again as if it had just arrived (one refused now is dropped and audited).
fn settle_parked<'a>(
    app: &'a App,
    settings: &'a Settings,
    kind: Kind,
    record_id: &'a str,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), FederationError>> + Send + 'a>> {
    Box::pin(settle_parked_now(app, settings, kind, record_id))
}

async fn settle_parked_now(
    app: &App,
    settings: &Settings,
    kind: Kind,
    record_id: &str,
) -> Result<(), FederationError> {
    let store = app.store();
    let mut applied = vec![(kind, record_id.to_owned())];
    while let Some((kind, id)) = applied.pop() {
        for parked in store.parked_for(kind, &id).await? {
            if parked.op != "contribute" {
                continue;
            }
            if replay(app, settings, &parked).await? == Outcome::Parked {
                break;
            }
        }
        if !matches!(kind, Kind::Organisation | Kind::Engagement) {
            continue;
        }
        for parked in store.parked_copies().await? {
            let Some(k) = hawkari_store::outbox::FEDERATED_KINDS
                .into_iter()
                .find(|k| k.as_str() == parked.kind)
            else {
                continue;
            };
            if replay(app, settings, &parked).await? == Outcome::Applied {
                applied.push((k, parked.record_id));
            }
        }
    }
    Ok(())
}

/// Handles a waiting event again as it arrived, from the partner it came from.
async fn replay(
    app: &App,
    settings: &Settings,
    parked: &hawkari_store::ParkedEvent,
) -> Result<Outcome, FederationError> {
    let subject = super::subject(settings.organisation.as_str(), &parked.source);
    handle_inner(
        app,
        settings,
        &subject,
        parked.body.as_bytes(),
        Some(parked.seq),
    )
    .await
}

/// Takes a waiting event out without applying it, and audits why.
async fn drop_parked(
    app: &App,
    home: &OrganisationId,
    parked: hawkari_store::ParkedEvent,
    reason: &str,
) -> Result<(), FederationError> {
    let kind = hawkari_store::outbox::FEDERATED_KINDS
        .into_iter()
        .find(|k| k.as_str() == parked.kind)
        .unwrap_or(Kind::Organisation);
    let entry = audit(
        app,
        home,
        "federation_dropped",
        kind,
        &parked.record_id,
        json!({"event": parked.event_id, "from": parked.source, "parked": true, "reason": reason}),
        vec![],
    );
    app.store()
        .unpark(parked.seq, vec![Write::Audit(entry)], false)
        .await?;
    Ok(())
}

/// Drops the events that have waited longer than the stream keeps events: their record
/// will not come by it any more (an anti-entropy pass sends record and contributions
/// again, under fresh event ids, if they are still released here).
async fn expire_parked(app: &App, home: &OrganisationId) -> Result<(), FederationError> {
    // The store stamps arrivals with the clock, not the app's (fixed in tests) time.
    let before = chrono::Utc::now() - chrono::Duration::from_std(super::KEEP).unwrap_or_default();
    let before = before.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for parked in app.store().parked_before(&before).await? {
        drop_parked(
            app,
            home,
            parked,
            "its record did not arrive within the 30 days the stream keeps events",
        )
        .await?;
    }
    Ok(())
}

/// Checks a contribution that arrived, and gives the writes that apply it (and whether
/// its record is to be sent on), or why it is refused, or that it waits for its record. At the owner's instance the
/// record must be this instance's own, released to the sender, and the contribution
/// made at the sender's; elsewhere the record must be a copy of the sender's own,
/// released here (it came from the owner, who sends on what partners contributed).
#[allow(clippy::too_many_arguments)]
async fn contribution_refused(
    app: &App,
    tree: &super::route::Tree,
    home: &OrganisationId,
    from: &OrganisationId,
    kind: Kind,
    event: &Event,
    contribution: &super::contribute::Contribution,
) -> Result<Verdict, FederationError> {
    use super::contribute::What;
    if contribution.kind != event.kind || contribution.record_id != event.record_id {
        return Ok(Verdict::Refuse(
            "the contribution is not to the record the event names".into(),
        ));
    }
    let Some(origin) = contribution.id.split_once('.').map(|(o, _)| o) else {
        return Ok(Verdict::Refuse(
            "the contribution's id does not name its origin".into(),
        ));
    };
    if origin != contribution.origin {
        return Ok(Verdict::Refuse(
            "the contribution's id does not name its origin".into(),
        ));
    }
    let Ok(origin) = contribution.origin.parse::<OrganisationId>() else {
        return Ok(Verdict::Refuse(
            "the contribution's origin is not an organisation id".into(),
        ));
    };
    if let What::Comment { comment } = &contribution.what
        && let Some(org) = &comment.organisation_id
        && !org
            .parse::<OrganisationId>()
            .is_ok_and(|o| tree.is_within(&o, &origin))
    {
        return Ok(Verdict::Refuse(format!(
            "the comment is signed by `{org}`, not an organisation of `{origin}`"
        )));
    }
    // A status change or site report is recorded as made by a user of its origin.
    let by = match &contribution.what {
        What::Status { change } => Some(&change.by),
        What::SiteReport { report, .. } => Some(&report.by),
        What::Comment { .. } => None,
    };
    if let Some(by) = by
        && !by.ends_with(&format!("@{origin}"))
    {
        return Ok(Verdict::Refuse(format!(
            "the contribution is recorded as made by `{by}`, not by a user at `{origin}`"
        )));
    }
    let store = app.store();
    let Some(mut record) = store
        .get(kind, &event.record_id, &Reach::Everything)
        .await?
    else {
        // Not here yet (its copy on its way, or delivered again after this): it waits.
        return Ok(Verdict::Wait);
    };
    let (release, version) = release_of(&record);
    let owner = release.owner.clone();
    let at_owner = tree.is_within(&owner, home);
    if at_owner {
        if origin != *from {
            return Ok(Verdict::Refuse(format!(
                "the contribution was made at `{origin}`, not at `{from}`, which sent it"
            )));
        }
        if !sees(&tree.instance_reach(from), release) {
            return Ok(Verdict::Refuse(format!(
                "the record is not released to `{from}`, which contributed to it"
            )));
        }
    } else {
        if !tree.is_within(&owner, from) {
            return Ok(Verdict::Refuse(format!(
                "the record is owned by `{owner}`, not by `{from}`, which sent the contribution"
            )));
        }
        if !sees(&tree.instance_reach(home), release) {
            return Ok(Verdict::Refuse(
                "the record is not released to this instance".into(),
            ));
        }
    }
    let mut writes = match contribution.writes(owner.as_str()) {
        Ok(w) => w,
        Err(e) => {
            return Ok(Verdict::Refuse(format!(
                "the contribution cannot be kept: {e}"
            )));
        }
    };
    match super::contribute::merge(&mut record, &contribution.what) {
        Err(reason) => return Ok(Verdict::Refuse(reason)),
        Ok(false) => {}
        Ok(true) => {
            // The owner's merge is a new version of its record, sent on to every
            // instance it is released to; a copy elsewhere keeps the owner's version.
            if at_owner {
                let meta = match &mut record {
                    AnyRecord::Commitment(c) => &mut c.meta,
                    AnyRecord::Operation(o) => &mut o.meta,
                    _ => return Ok(Verdict::Refuse("not a record contributions change".into())),
                };
                *meta = meta.next(&format!("federation:{from}"), app.now());
            }
            writes.insert(
                0,
                Write::Update {
                    record,
                    expected_version: version,
                },
            );
        }
    }
    Ok(Verdict::Apply(writes, at_owner))
}

/// Why a partner's organisation record may not be taken as it is, if it may not. The
/// organisation tree decides who reads what here, and a partner must not widen its own
/// reach by what it sends: it never moves or re-kinds its own organisation or one above
/// it (as no one does on a single server), keeps the organisations below it below it,
/// and gives none a kind whose release groups its own chain is not in.
fn organisation_refused(
    tree: &super::route::Tree,
    from: &OrganisationId,
    o: &hawkari_core::organisation::Organisation,
    held: Option<&AnyRecord>,
) -> Option<String> {
    let held = match held {
        Some(AnyRecord::Organisation(h)) => Some(h),
        _ => None,
    };
    let id: OrganisationId = o.id.to_string().parse().ok()?;
    let moved = held.is_some_and(|h| h.data.parent_id != o.data.parent_id);
    let rekinded = held.is_none_or(|h| h.data.kind != o.data.kind);
    if tree.is_within(from, &id) {
        // The sender's own organisation, or one above it.
        return (held.is_some() && (moved || rekinded)).then(|| {
            format!(
                "a partner does not move or re-kind `{id}`, its own organisation or one above it"
            )
        });
    }
    // Below the sender, or at the top (an armed group, a ministry of another state):
    // never into another partner's tree, where its kind would change what that
    // partner's instance is sent.
    if o.data
        .parent_id
        .as_ref()
        .is_some_and(|p| p == &id || !tree.is_within(p, from))
    {
        return Some(format!(
            "`{id}` must stay below `{from}`, the organisation whose instance sends it"
        ));
    }
    if rekinded {
        let hawkari_core::access::Reach::Released { groups, .. } = tree.instance_reach(from) else {
            return None;
        };
        let wanted = hawkari_core::access::ReleaseGroup::of_kind(o.data.kind);
        if let Some(g) = wanted.iter().find(|g| !groups.contains(g)) {
            return Some(format!(
                "`{id}` would be of a kind in the group `{g}`, which `{from}` is not in"
            ));
        }
    }
    None
}
