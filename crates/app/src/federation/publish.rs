//! The publisher: drains the outbox into JetStream.
//!
//! For each queued record it reads the record as it is now and the ledger of copies sent
//! (`federation_sent`), then publishes a copy to each partner instance that may read it
//! and does not hold this version yet, and a withdrawal to each that holds a copy and
//! may no longer read it (or whose record was deleted). Only after JetStream has
//! acknowledged every event of a batch are the entries removed, the ledger updated and
//! the audit entries written, in one transaction: a crash in between publishes the batch
//! again, and the `Nats-Msg-Id` (within the stream's two-minute window) and the
//! receiver's idempotent apply make the repeat harmless (a withdrawal of a deleted
//! record, whose id carries the moment it was decided, may be applied twice: the second
//! finds nothing to delete). Records this instance does not
//! own (partners' copies) are never sent on; the contributions made here to them are,
//! to the owner's instance (`contribute`). For its own records the publisher also sends
//! each destination the record's contributions it has not been sent (but never one back
//! to where it was made), after the copy. A contribution's event id carries the moment
//! it is sent: a repeat is harmless (contributions are kept by their own id), and one
//! sent again after anti-entropy found it missing is not taken for a repeat.
//!
//! Anti-entropy ([`super::digest`]) marks a ledger row when the destination's copy is not
//! what was sent; a copy or withdrawal then sent carries `.r<stamp>` after its usual id,
//! so that the destination, which keeps the ids it applied, applies it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_nats::jetstream::context::PublishAckFuture;
use hawkari_core::access::Reach;
use hawkari_store::{SentChange, StoreError};
use serde_json::json;

use super::{Counters, Event, FederationError, Op, Settings, audit, nats, release_of};
use crate::App;

/// Entries read from the outbox at a time.
const BATCH: u32 = 256;

/// Runs until the task is aborted; a failed batch is tried again after a pause.
pub async fn run(
    app: App,
    js: async_nats::jetstream::Context,
    settings: Arc<Settings>,
    counters: Arc<Counters>,
) {
    let mut pause = Duration::from_millis(50);
    loop {
        match publish_batch(&app, &js, &settings, &counters).await {
            Ok(0) => {
                pause = Duration::from_millis(50);
                tokio::time::sleep(pause).await;
            }
            Ok(_) => pause = Duration::from_millis(50),
            Err(e) => {
                tracing::warn!(error = %e, "federation: publishing failed; trying again");
                pause = (pause * 2).min(Duration::from_secs(5));
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// Publishes one batch of the outbox; returns how many entries it finished.
pub async fn publish_batch(
    app: &App,
    js: &async_nats::jetstream::Context,
    settings: &Settings,
    counters: &Counters,
) -> Result<usize, FederationError> {
    let store = app.store();
    let entries = store.outbox_next(BATCH).await?;
    if entries.is_empty() {
        return Ok(0);
    }
    let tree = super::load_tree(app).await?;
    let home = &settings.organisation;
    let from = home.as_str();
    let mut acks: Vec<PublishAckFuture> = Vec::new();
    let mut changes = Vec::new();
    let mut audits = Vec::new();
    let mut seen = HashSet::new();
    let (mut copies_sent, mut withdrawals_sent) = (0u64, 0u64);
    for entry in &entries {
        // A record queued twice in a batch is looked at once, as it is now.
        if !seen.insert((entry.kind, entry.record_id.clone())) {
            continue;
        }
        let (kind, id) = (entry.kind, entry.record_id.as_str());
        let record = store.get(kind, id, &Reach::Everything).await?;
        let held = store.sent_copies(kind, id).await?;
        let (destinations, version, body) = match &record {
            Some(r) => {
                let (release, version) = release_of(r);
                if !tree.is_within(release.owner, home) {
                    // A partner's record: its owner sends it, never this instance; the
                    // contributions made here go to the owner's instance.
                    if let Some(to) = settings
                        .partners
                        .iter()
                        .find(|p| tree.is_within(release.owner, p))
                    {
                        let own: Vec<_> = store
                            .contributions_of(kind, id)
                            .await?
                            .into_iter()
                            .filter(|c| c.origin == from)
                            .collect();
                        let mut events = Vec::new();
                        contributions_to(
                            app,
                            js,
                            from,
                            to.as_str(),
                            kind,
                            id,
                            &own,
                            &mut Sending {
                                acks: &mut acks,
                                events: &mut events,
                                changes: &mut changes,
                            },
                        )
                        .await?;
                        audit_events(app, home, kind, id, &events, &mut audits);
                    }
                    continue;
                }
                let dests: Vec<String> = tree
                    .destinations(home, &settings.partners, release)
                    .into_iter()
                    .map(|o| o.to_string())
                    .collect();
                let body = super::record_json(r).map_err(StoreError::from)?;
                (dests, version, Some(body))
            }
            None => (Vec::new(), 0, None),
        };
        let stamp = record.as_ref().map_or_else(|| app.now(), super::updated_at);
        let mut events = Vec::new();
        for to in &destinations {
            let ledger = held.iter().find(|c| &c.destination == to);
            if ledger.is_some_and(|c| c.version == version && c.resend.is_none()) {
                continue;
            }
            let event = Event {
                id: Event::event_id(from, kind, id, Op::Copy, version, to, stamp) + &resent(ledger),
                from: from.to_owned(),
                to: to.clone(),
                op: Op::Copy,
                kind: kind.as_str().to_owned(),
                record_id: id.to_owned(),
                version,
                record: body.clone(),
                contribution: None,
            };
            acks.push(send(js, &event).await?);
            events.push(json!({"id": event.id, "to": to, "op": "copy", "version": version}));
            changes.push(SentChange::Sent {
                kind,
                record_id: id.to_owned(),
                destination: to.clone(),
                version,
                event_id: event.id,
            });
            copies_sent += 1;
        }
        for copy in held
            .iter()
            .filter(|c| !destinations.contains(&c.destination))
        {
            // Withdrawn at the version that took the destination out (or, for a deleted
            // record, the last version it was sent).
            if copy.version < 0 {
                // Anti-entropy found the destination holds no copy: nothing to withdraw.
                changes.push(SentChange::Withdrawn {
                    kind,
                    record_id: id.to_owned(),
                    destination: copy.destination.clone(),
                });
                continue;
            }
            let at = if record.is_some() {
                version
            } else {
                copy.version
            };
            let event = Event {
                id: Event::event_id(from, kind, id, Op::Withdraw, at, &copy.destination, stamp)
                    + &resent(Some(copy)),
                from: from.to_owned(),
                to: copy.destination.clone(),
                op: Op::Withdraw,
                kind: kind.as_str().to_owned(),
                record_id: id.to_owned(),
                version: at,
                record: None,
                contribution: None,
            };
            acks.push(send(js, &event).await?);
            events.push(
                json!({"id": event.id, "to": copy.destination, "op": "withdraw", "version": at}),
            );
            changes.push(SentChange::Withdrawn {
                kind,
                record_id: id.to_owned(),
                destination: copy.destination.clone(),
            });
            withdrawals_sent += 1;
        }
        // The record's contributions, after the copy, to each destination.
        if !destinations.is_empty() {
            let contributions = store.contributions_of(kind, id).await?;
            for to in &destinations {
                let not_back: Vec<_> = contributions
                    .iter()
                    .filter(|c| &c.origin != to)
                    .cloned()
                    .collect();
                contributions_to(
                    app,
                    js,
                    from,
                    to,
                    kind,
                    id,
                    &not_back,
                    &mut Sending {
                        acks: &mut acks,
                        events: &mut events,
                        changes: &mut changes,
                    },
                )
                .await?;
            }
        }
        audit_events(app, home, kind, id, &events, &mut audits);
    }
    for ack in acks {
        ack.await.map_err(nats)?;
    }
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    store.outbox_done(&seqs, &changes, audits).await?;
    counters.sent.fetch_add(copies_sent, Ordering::Relaxed);
    counters
        .withdrawals_sent
        .fetch_add(withdrawals_sent, Ordering::Relaxed);
    Ok(entries.len())
}

/// The suffix of an event id sent again after anti-entropy found the destination's copy
/// is not what the ledger says.
fn resent(ledger: Option<&hawkari_store::SentCopy>) -> String {
    ledger
        .and_then(|c| c.resend.as_deref())
        .map_or_else(String::new, |stamp| format!(".r{stamp}"))
}

/// What a batch has published so far.
struct Sending<'a> {
    acks: &'a mut Vec<PublishAckFuture>,
    events: &'a mut Vec<serde_json::Value>,
    changes: &'a mut Vec<SentChange>,
}

/// Sends `to` each of `contributions` (to one record) it has not been sent.
#[allow(clippy::too_many_arguments)]
async fn contributions_to(
    app: &App,
    js: &async_nats::jetstream::Context,
    from: &str,
    to: &str,
    kind: hawkari_core::record::Kind,
    id: &str,
    contributions: &[hawkari_store::StoredContribution],
    sending: &mut Sending<'_>,
) -> Result<(), FederationError> {
    if contributions.is_empty() {
        return Ok(());
    }
    let sent = app.store().contributions_sent(kind, id, to).await?;
    for stored in contributions.iter().filter(|c| !sent.contains(&c.id)) {
        let contribution = super::contribute::Contribution::parse(&stored.body)?;
        let event = Event {
            id: format!(
                "{from}.contribution.{}.{to}.{}",
                stored.id,
                app.now().timestamp_millis()
            ),
            from: from.to_owned(),
            to: to.to_owned(),
            op: Op::Contribute,
            kind: kind.as_str().to_owned(),
            record_id: id.to_owned(),
            version: 0,
            record: None,
            contribution: Some(contribution),
        };
        sending.acks.push(send(js, &event).await?);
        sending
            .events
            .push(json!({"id": event.id, "to": to, "op": "contribute", "contribution": stored.id}));
        sending.changes.push(SentChange::Contributed {
            contribution_id: stored.id.clone(),
            destination: to.to_owned(),
        });
    }
    Ok(())
}

/// The audit entry of what was sent for one record, if anything was.
fn audit_events(
    app: &App,
    home: &hawkari_core::ids::OrganisationId,
    kind: hawkari_core::record::Kind,
    id: &str,
    events: &[serde_json::Value],
    audits: &mut Vec<hawkari_store::AuditEvent>,
) {
    if events.is_empty() {
        return;
    }
    let mut concerns: Vec<String> = events
        .iter()
        .filter_map(|e| e["to"].as_str().map(str::to_owned))
        .collect();
    concerns.sort();
    concerns.dedup();
    audits.push(audit(
        app,
        home,
        "federation_sent",
        kind,
        id,
        json!({ "events": events }),
        concerns,
    ));
}

/// Publishes an event with its id as `Nats-Msg-Id`; the future resolves on JetStream's
/// acknowledgement.
async fn send(
    js: &async_nats::jetstream::Context,
    event: &Event,
) -> Result<PublishAckFuture, FederationError> {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert(async_nats::header::NATS_MESSAGE_ID, event.id.as_str());
    let payload = serde_json::to_vec(event).map_err(StoreError::from)?;
    js.publish_with_headers(
        super::subject(&event.to, &event.from),
        headers,
        payload.into(),
    )
    .await
    .map_err(nats)
}
