//! `hawkari federation status`: what the database knows (the outbox's backlog and its
//! age, the copies each partner holds, the events received from each) and, when the
//! NATS server answers, this instance's consumer (events waiting to be applied here);
//! and the contributions parked here until their record arrives.

use std::time::Duration;

use hawkari_store::FederationLedger;

use super::{FederationError, STREAM, Settings, nats};
use crate::App;

/// This instance's durable consumer, as the NATS server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// Events on this instance's subject not yet delivered to it.
    pub pending: u64,
    /// Delivered and not yet acknowledged (being applied, or to be delivered again).
    pub unacknowledged: u64,
    /// Events delivered and acknowledged so far (the consumer's floor in the stream).
    pub acknowledged: u64,
}

/// The database's side, and the NATS server's (or why it did not answer).
#[derive(Debug)]
pub struct Status {
    pub ledger: FederationLedger,
    /// Contributions received before their record, waiting for it.
    pub parked: u64,
    pub inbound: Result<Inbound, String>,
}

/// Reads the status; the NATS part gives up after a few seconds.
pub async fn status(app: &App, settings: &Settings) -> Result<Status, FederationError> {
    let ledger = app.store().federation_ledger().await?;
    let parked = app.store().parked_len().await?;
    let inbound = tokio::time::timeout(Duration::from_secs(5), inbound(settings))
        .await
        .unwrap_or_else(|_| Err(FederationError::Nats("no answer within 5 s".into())))
        .map_err(|e| e.to_string());
    Ok(Status {
        ledger,
        parked,
        inbound,
    })
}

async fn inbound(settings: &Settings) -> Result<Inbound, FederationError> {
    let client = super::connect(settings).await?;
    let js = async_nats::jetstream::new(client);
    let stream = js.get_stream(STREAM).await.map_err(nats)?;
    let info = stream
        .consumer_info(format!("hawkari-{}", settings.organisation))
        .await
        .map_err(nats)?;
    Ok(Inbound {
        pending: info.num_pending,
        unacknowledged: info.num_ack_pending as u64,
        acknowledged: info.ack_floor.consumer_sequence,
    })
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = &self.ledger;
        match &l.oldest_queued_at {
            Some(at) => writeln!(
                f,
                "outbox: {} waiting, the oldest queued at {at}",
                l.pending
            )?,
            None => writeln!(f, "outbox: empty (everything written has been published)")?,
        }
        let mut partners: Vec<&str> = l
            .held_by
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(l.received_from.iter().map(|(p, _, _)| p.as_str()))
            .filter(|p| !p.is_empty())
            .collect();
        partners.sort();
        partners.dedup();
        for p in partners {
            let held = l
                .held_by
                .iter()
                .find(|(d, _)| d == p)
                .map_or(0, |(_, n)| *n);
            let received = l.received_from.iter().find(|(s, _, _)| s == p);
            match received {
                Some((_, n, at)) => writeln!(
                    f,
                    "{p}: holds copies of {held} of our records; {n} events received from it, the last at {at}"
                )?,
                None => writeln!(
                    f,
                    "{p}: holds copies of {held} of our records; no event received from it"
                )?,
            }
        }
        if self.parked > 0 {
            writeln!(
                f,
                "parked: {} contributions received before their record, waiting for it",
                self.parked
            )?;
        }
        match &self.inbound {
            Ok(i) => write!(
                f,
                "inbound (NATS): {} events waiting for this instance, {} being applied, {} applied",
                i.pending, i.unacknowledged, i.acknowledged
            ),
            Err(e) => write!(f, "inbound (NATS): not known: {e}"),
        }
    }
}
