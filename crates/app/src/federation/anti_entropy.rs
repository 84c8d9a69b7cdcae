//! Anti-entropy (issue 13, point 5) and audit anchors across instances (point 6), over
//! the digests of [`super::digest`].
//!
//! With each pass the two instances also exchange their audit chains' heads (`Heads`):
//! each keeps the other's in its own audit log (`federation_anchor`, when it moved), so
//! every chain has anchors outside its own database.
//!
//! The anti-entropy pass (at start, on every reconnection to NATS, and periodically)
//! compares what this instance should have sent each partner with what the partner
//! holds, and repairs its side: a record missing, stale or extra at the partner is
//! queued again with the ledger set to what the partner really holds (so the publisher
//! sends the copy, or the withdrawal, under a fresh event id); a missing contribution is
//! taken out of the ledger and its record queued. What the partner should have sent
//! here is the partner's to repair, by its own pass.

use std::collections::HashMap;
use std::time::Duration;

use hawkari_core::ids::OrganisationId;
use hawkari_core::record::Kind;
use hawkari_store::outbox::FEDERATED_KINDS;

use super::digest::{ANSWER, Difference, Head, Reply, Request, Side, compare_side, subject, view};
use super::{FederationError, Settings};
use crate::App;

/// This instance's audit-chain head now.
pub(super) async fn own_head(app: &App) -> Result<Head, FederationError> {
    let head = app
        .audit_head()
        .await
        .map_err(|e| FederationError::Config(format!("audit log: {e}")))?;
    Ok(Head {
        seq: head.seq,
        hash: head.hash,
    })
}

/// Keeps a partner's audit-chain head in this instance's audit log
/// (`federation_anchor`), unless it is the one last kept: an anchor of the partner's
/// chain outside its own database (`hawkari audit verify --anchor SEQ:HASH` at the
/// partner's checks its log still holds it).
pub(super) async fn keep_head(
    app: &App,
    settings: &Settings,
    partner: &OrganisationId,
    head: Head,
    last: &mut HashMap<String, Head>,
) -> Result<(), FederationError> {
    if last.get(partner.as_str()) == Some(&head) {
        return Ok(());
    }
    let entry = super::audit(
        app,
        &settings.organisation,
        "federation_anchor",
        Kind::Organisation,
        partner.as_str(),
        serde_json::json!({"partner": partner, "seq": head.seq, "hash": head.hash,
            "anchor": format!("{}:{}", head.seq, head.hash)}),
        vec![partner.to_string()],
    );
    app.store()
        .write(
            vec![hawkari_store::Write::Audit(entry)],
            &hawkari_core::access::Reach::Everything,
        )
        .await?;
    last.insert(partner.to_string(), head);
    Ok(())
}

/// Exchanges audit-chain heads with `partner`: sends this instance's (the partner keeps
/// it) and keeps the partner's (`federation_anchor`, when it moved since `last`).
pub async fn exchange_heads(
    app: &App,
    client: &async_nats::Client,
    settings: &Settings,
    partner: &OrganisationId,
    last: &mut HashMap<String, Head>,
) -> Result<Head, FederationError> {
    let request = Request {
        side: Side::Heads,
        sections: None,
        head: Some(own_head(app).await?),
    };
    let body = serde_json::to_vec(&request).map_err(|e| FederationError::Nats(e.to_string()))?;
    let answer = tokio::time::timeout(
        ANSWER,
        client.request(
            subject(partner.as_str(), settings.organisation.as_str()),
            body.into(),
        ),
    )
    .await
    .map_err(|_| FederationError::Nats(format!("{partner} did not answer within 10 s")))?
    .map_err(|e| FederationError::Nats(format!("{partner} did not answer: {e}")))?;
    let reply: Reply = serde_json::from_slice(&answer.payload)
        .map_err(|e| FederationError::Nats(format!("{partner}'s answer: {e}")))?;
    if let Some(e) = reply.error {
        return Err(FederationError::Nats(format!("{partner} refused: {e}")));
    }
    let head = reply
        .head
        .ok_or_else(|| FederationError::Nats(format!("{partner} sent no head")))?;
    keep_head(app, settings, partner, head.clone(), last).await?;
    Ok(head)
}

/// One anti-entropy pass with `partner`: what it lacks (or holds that it should not) of
/// this instance's is queued again. A difference may be an event on its way: only those
/// found again after `settle` are repaired. Returns them.
pub async fn repair(
    app: &App,
    client: &async_nats::Client,
    settings: &Settings,
    partner: &OrganisationId,
    settle: Duration,
) -> Result<Vec<Difference>, FederationError> {
    let outbound = async || {
        let view = view(app, settings, partner).await?;
        compare_side(client, settings, partner, Side::Held, &view.expected).await
    };
    let mut found = outbound().await?;
    if found.is_empty() {
        return Ok(found);
    }
    if !settle.is_zero() {
        tokio::time::sleep(settle).await;
        let again = outbound().await?;
        found.retain(|d| again.contains(d));
    }
    let store = app.store();
    let kind_of = |k: &str| FEDERATED_KINDS.into_iter().find(|x| x.as_str() == k);
    let mut by_id: Option<HashMap<String, (Kind, String)>> = None;
    for d in &found {
        match d {
            Difference::Missing { kind, id, .. } => {
                if let Some(k) = kind_of(kind) {
                    store
                        .federation_resend(k, id, partner.as_str(), None)
                        .await?;
                }
            }
            Difference::Stale { kind, id, held, .. } | Difference::Extra { kind, id, held } => {
                if let Some(k) = kind_of(kind) {
                    store
                        .federation_resend(k, id, partner.as_str(), Some(*held))
                        .await?;
                }
            }
            Difference::MissingContribution(c) => {
                if by_id.is_none() {
                    by_id = Some(
                        store
                            .all_contributions()
                            .await?
                            .into_iter()
                            .filter_map(|s| Some((s.id, (kind_of(&s.kind)?, s.record_id))))
                            .collect(),
                    );
                }
                if let Some((k, record)) = by_id.as_ref().and_then(|m| m.get(c)) {
                    store
                        .contribution_resend(c, partner.as_str(), *k, record)
                        .await?;
                }
            }
            // Contributions are never taken back.
            Difference::ExtraContribution(_) => {}
        }
    }
    tracing::info!(partner = %partner, differences = found.len(), "federation: anti-entropy queued what the partner lacks");
    Ok(found)
}

/// How long a difference must last before a pass repairs it (events on their way
/// arrive meanwhile).
const SETTLE: Duration = Duration::from_secs(10);

/// Runs anti-entropy passes with every partner: soon after start, on every
/// reconnection, and every `settings.anti_entropy_every`.
pub async fn run(
    app: App,
    client: async_nats::Client,
    settings: std::sync::Arc<Settings>,
    reconnected: std::sync::Arc<tokio::sync::Notify>,
) {
    if settings.anti_entropy_every.is_zero() {
        // Off (tests that make holes on purpose run passes themselves).
        return;
    }
    let mut first = true;
    let mut heads: HashMap<String, Head> = HashMap::new();
    loop {
        let wait = if first {
            Duration::from_secs(1)
        } else {
            settings.anti_entropy_every
        };
        first = false;
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = reconnected.notified() => {
                // Let the publisher and the consumer take up first.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        for partner in &settings.partners {
            let settle = SETTLE.min(settings.anti_entropy_every);
            if let Err(e) = repair(&app, &client, &settings, partner, settle).await {
                tracing::info!(partner = %partner, error = %e, "federation: no anti-entropy pass with this partner now");
                continue;
            }
            if let Err(e) = exchange_heads(&app, &client, &settings, partner, &mut heads).await {
                tracing::info!(partner = %partner, error = %e, "federation: audit heads not exchanged with this partner now");
            }
        }
    }
}
