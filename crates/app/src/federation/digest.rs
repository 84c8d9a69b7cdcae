//! Digests, `hawkari federation verify` and the anti-entropy pass.
//!
//! For each partner an instance can say, from its own database, what the partner
//! should hold of it — its records released to the partner, at their versions, and the
//! contributions it sends the partner — and what it holds of the partner: the
//! partner's records held here, at their versions, and the contributions the partner
//! sent. Each set is a list of lines (`incident/<id>@<version>`,
//! `contribution/<id>`) split into sections (kind and one of 16 buckets of the id's
//! hash); a digest is the SHA-256 of each section's sorted lines. The two instances'
//! views of one direction should be equal: where a section's digests differ, its lines
//! are fetched and compared, and each difference named.
//!
//! A digest is asked for over plain NATS request and reply (nothing is kept in the
//! stream): `hawkari.<partner>.digest.<asker>`, answered by the partner's running
//! `hawkari serve` on the asker's own inbox (`_INBOX_<asker>`, which only it may read).
//! The shipped configuration lets each instance publish only `hawkari.*.digest.<itself>`
//! and subscribe only `hawkari.<itself>.digest.*`, and answer the requests it receives
//! (`allow_responses`); the partner answers only its configured partners, only about
//! what they share, and only to the asker's inbox.
//!
//! The anti-entropy pass and the exchange of audit heads are in [`super::anti_entropy`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use futures_util::StreamExt;
use hawkari_core::ids::OrganisationId;
use hawkari_store::outbox::FEDERATED_KINDS;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{FederationError, Settings, release_of};
use crate::App;

/// The subject on which `partner` is asked for digests by `asker`.
pub fn subject(partner: &str, asker: &str) -> String {
    format!("hawkari.{partner}.digest.{asker}")
}

/// One direction of what two instances share: records (kind, id) at versions, and
/// contribution ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    pub records: BTreeMap<(String, String), i64>,
    pub contributions: BTreeSet<String>,
}

/// Which side of the asker's view the partner is to give, in the partner's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// What the answering instance should have sent the asker.
    Expected,
    /// What the answering instance holds of the asker's.
    Held,
    /// No digest: the asker's audit-chain head, for the answering instance to keep, and
    /// the answering instance's in return.
    Heads,
}

/// An audit chain's head: the last entry's number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// A request for digests (`sections` none) or for the lines of some sections.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub side: Side,
    #[serde(default)]
    pub sections: Option<Vec<String>>,
    /// The asker's audit-chain head (`Side::Heads`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Head>,
}

/// The answer: the digest of every section, or the lines of those asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reply {
    #[serde(default)]
    pub digests: BTreeMap<String, String>,
    #[serde(default)]
    pub lines: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The answering instance's audit-chain head (`Side::Heads`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Head>,
}

/// This instance's two views of what it shares with `partner`.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// What this instance should have sent the partner.
    pub expected: Lines,
    /// What this instance holds of the partner's.
    pub held: Lines,
}

impl Lines {
    /// Every line, by section.
    pub fn sections(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((kind, id), version) in &self.records {
            out.entry(format!("{kind}:{:x}", bucket(id)))
                .or_default()
                .push(format!("{kind}/{id}@{version}"));
        }
        for id in &self.contributions {
            out.entry(format!("contribution:{:x}", bucket(id)))
                .or_default()
                .push(format!("contribution/{id}"));
        }
        for lines in out.values_mut() {
            lines.sort();
        }
        out
    }

    /// The digest of every section.
    pub fn digests(&self) -> BTreeMap<String, String> {
        self.sections()
            .into_iter()
            .map(|(s, lines)| (s, section_digest(&lines)))
            .collect()
    }

    /// Reads lines back (those of a few sections).
    fn from_lines<'a>(lines: impl IntoIterator<Item = &'a String>) -> Self {
        let mut out = Lines::default();
        for line in lines {
            if let Some(id) = line.strip_prefix("contribution/") {
                out.contributions.insert(id.to_owned());
            } else if let Some((kind, rest)) = line.split_once('/')
                && let Some((id, version)) = rest.rsplit_once('@')
                && let Ok(version) = version.parse()
            {
                out.records
                    .insert((kind.to_owned(), id.to_owned()), version);
            }
        }
        out
    }

    /// Only the lines in `sections`.
    fn only(&self, sections: &BTreeSet<String>) -> Self {
        let all = self.sections();
        Self::from_lines(
            all.iter()
                .filter(|(s, _)| sections.contains(*s))
                .flat_map(|(_, l)| l),
        )
    }
}

fn bucket(id: &str) -> u8 {
    Sha256::digest(id.as_bytes())[0] >> 4
}

fn section_digest(lines: &[String]) -> String {
    let mut h = Sha256::new();
    for l in lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    format!("{:x}/{}", h.finalize(), lines.len())
}

/// Where a record stands between this instance and a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    /// This instance's, released to the partner.
    Ours,
    /// The partner's, held here.
    Theirs,
}

/// This instance's view of what it shares with `partner`, from its database.
pub async fn view(
    app: &App,
    settings: &Settings,
    partner: &OrganisationId,
) -> Result<View, FederationError> {
    let tree = super::load_tree(app).await?;
    let home = &settings.organisation;
    let mut view = View::default();
    let mut shared: HashMap<(String, String), Shared> = HashMap::new();
    let mut snapshot = app.store().begin_read().await?;
    for kind in FEDERATED_KINDS {
        let mut after: Option<String> = None;
        loop {
            let page = snapshot.scan(kind, after.as_deref(), 1000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id().to_owned());
            for r in &page {
                let (release, version) = release_of(r);
                let key = (kind.as_str().to_owned(), r.id().to_owned());
                if tree.is_within(release.owner, home) {
                    if !tree
                        .destinations(home, std::slice::from_ref(partner), release)
                        .is_empty()
                    {
                        view.expected.records.insert(key.clone(), version);
                        shared.insert(key, Shared::Ours);
                    }
                } else if tree.is_within(release.owner, partner) {
                    view.held.records.insert(key.clone(), version);
                    shared.insert(key, Shared::Theirs);
                }
            }
        }
    }
    snapshot.close().await?;
    for c in app.store().all_contributions().await? {
        let Some(side) = shared.get(&(c.kind.clone(), c.record_id.clone())) else {
            continue;
        };
        let (mine, theirs) = (c.origin == home.as_str(), c.origin == partner.as_str());
        match side {
            // Ours: we send every contribution but the partner's own; the partner
            // sent us its own.
            Shared::Ours if !theirs => view.expected.contributions.insert(c.id),
            Shared::Ours => view.held.contributions.insert(c.id),
            // Theirs: we sent them ours; they send us every other.
            Shared::Theirs if mine => view.expected.contributions.insert(c.id),
            Shared::Theirs => view.held.contributions.insert(c.id),
        };
    }
    Ok(view)
}

/// One difference between what an instance should have sent and what its partner holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Missing {
        kind: String,
        id: String,
        version: i64,
    },
    Stale {
        kind: String,
        id: String,
        version: i64,
        held: i64,
    },
    Extra {
        kind: String,
        id: String,
        held: i64,
    },
    MissingContribution(String),
    ExtraContribution(String),
}

/// The differences between what should have been sent and what is held.
pub fn differences(expected: &Lines, held: &Lines) -> Vec<Difference> {
    let mut out = Vec::new();
    for ((kind, id), version) in &expected.records {
        match held.records.get(&(kind.clone(), id.clone())) {
            None => out.push(Difference::Missing {
                kind: kind.clone(),
                id: id.clone(),
                version: *version,
            }),
            Some(h) if h != version => out.push(Difference::Stale {
                kind: kind.clone(),
                id: id.clone(),
                version: *version,
                held: *h,
            }),
            Some(_) => {}
        }
    }
    for ((kind, id), h) in &held.records {
        if !expected.records.contains_key(&(kind.clone(), id.clone())) {
            out.push(Difference::Extra {
                kind: kind.clone(),
                id: id.clone(),
                held: *h,
            });
        }
    }
    for c in expected.contributions.difference(&held.contributions) {
        out.push(Difference::MissingContribution(c.clone()));
    }
    for c in held.contributions.difference(&expected.contributions) {
        out.push(Difference::ExtraContribution(c.clone()));
    }
    out
}

/// What `verify` found with one partner.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// What this instance should have sent the partner, against what the partner holds.
    pub outbound: Vec<Difference>,
    /// What the partner should have sent here, against what is held here.
    pub inbound: Vec<Difference>,
    /// Records and contributions compared each way (as seen here).
    pub counts: [(usize, usize); 2],
}

impl Comparison {
    pub fn is_in_step(&self) -> bool {
        self.outbound.is_empty() && self.inbound.is_empty()
    }

    /// Each difference in words, naming the record or contribution.
    pub fn describe(&self, partner: &str) -> Vec<String> {
        let mut out = Vec::new();
        for d in &self.outbound {
            out.push(match d {
                Difference::Missing { kind, id, version } => {
                    format!("{partner} lacks {kind} {id} (version {version} here)")
                }
                Difference::Stale {
                    kind,
                    id,
                    version,
                    held,
                } => format!("{partner} holds {kind} {id} at version {held}; it is at version {version} here"),
                Difference::Extra { kind, id, held } => format!(
                    "{partner} holds {kind} {id} (version {held}), which this instance does not send it (not released to it, or deleted)"
                ),
                Difference::MissingContribution(c) => {
                    format!("{partner} lacks contribution {c}")
                }
                Difference::ExtraContribution(c) => format!(
                    "{partner} holds contribution {c}, which this instance does not send it"
                ),
            });
        }
        for d in &self.inbound {
            out.push(match d {
                Difference::Missing { kind, id, version } => format!(
                    "this instance lacks {partner}'s {kind} {id} (version {version} at {partner})"
                ),
                Difference::Stale {
                    kind,
                    id,
                    version,
                    held,
                } => format!(
                    "this instance holds {partner}'s {kind} {id} at version {held}; it is at version {version} at {partner}"
                ),
                Difference::Extra { kind, id, held } => format!(
                    "this instance holds {partner}'s {kind} {id} (version {held}), which {partner} does not send it"
                ),
                Difference::MissingContribution(c) => {
                    format!("this instance lacks contribution {c}, sent by {partner}")
                }
                Difference::ExtraContribution(c) => format!(
                    "this instance holds contribution {c}, which {partner} does not send it"
                ),
            });
        }
        out
    }
}

/// How long a partner has to answer one request.
pub(super) const ANSWER: Duration = Duration::from_secs(10);

/// Asks `partner` for one side, compares it with `ours` and returns the differences
/// (ours is what should be sent, theirs what is held, or the other way round).
pub(super) async fn compare_side(
    client: &async_nats::Client,
    settings: &Settings,
    partner: &OrganisationId,
    side: Side,
    ours: &Lines,
) -> Result<Vec<Difference>, FederationError> {
    let subject = subject(partner.as_str(), settings.organisation.as_str());
    let ask = |sections: Option<Vec<String>>| {
        let client = client.clone();
        let subject = subject.clone();
        async move {
            let body = serde_json::to_vec(&Request {
                side,
                sections,
                head: None,
            })
            .map_err(|e| FederationError::Nats(e.to_string()))?;
            let answer = tokio::time::timeout(ANSWER, client.request(subject, body.into()))
                .await
                .map_err(|_| {
                    FederationError::Nats(format!("{partner} did not answer within 10 s"))
                })?
                .map_err(|e| FederationError::Nats(format!("{partner} did not answer: {e}")))?;
            let reply: Reply = serde_json::from_slice(&answer.payload)
                .map_err(|e| FederationError::Nats(format!("{partner}'s answer: {e}")))?;
            if let Some(e) = reply.error {
                return Err(FederationError::Nats(format!("{partner} refused: {e}")));
            }
            Ok(reply)
        }
    };
    let theirs = ask(None).await?.digests;
    let mine = ours.digests();
    let differing: BTreeSet<String> = mine
        .keys()
        .chain(theirs.keys())
        .filter(|s| mine.get(*s) != theirs.get(*s))
        .cloned()
        .collect();
    if differing.is_empty() {
        return Ok(Vec::new());
    }
    let mut their_lines = Vec::new();
    let list: Vec<String> = differing.iter().cloned().collect();
    for chunk in list.chunks(16) {
        let reply = ask(Some(chunk.to_vec())).await?;
        their_lines.extend(reply.lines.into_values().flatten());
    }
    let theirs = Lines::from_lines(&their_lines);
    let ours = ours.only(&differing);
    Ok(match side {
        // The partner's holdings against what we should have sent.
        Side::Held | Side::Heads => differences(&ours, &theirs),
        // What the partner should have sent against what we hold.
        Side::Expected => differences(&theirs, &ours),
    })
}

/// Compares with one partner, both ways.
pub async fn compare(
    app: &App,
    client: &async_nats::Client,
    settings: &Settings,
    partner: &OrganisationId,
) -> Result<Comparison, FederationError> {
    let view = view(app, settings, partner).await?;
    let outbound = compare_side(client, settings, partner, Side::Held, &view.expected).await?;
    let inbound = compare_side(client, settings, partner, Side::Expected, &view.held).await?;
    Ok(Comparison {
        outbound,
        inbound,
        counts: [
            (
                view.expected.records.len(),
                view.expected.contributions.len(),
            ),
            (view.held.records.len(), view.held.contributions.len()),
        ],
    })
}

/// What `hawkari federation verify` prints, and its figures.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub text: String,
    pub differences: usize,
    pub unanswered: usize,
}

/// Compares with every partner and says, per partner, that both agree or each
/// difference.
pub async fn verify(app: &App, settings: &Settings) -> Result<VerifyReport, FederationError> {
    use std::fmt::Write as _;
    let client = super::connect(settings).await?;
    let mut report = VerifyReport::default();
    for partner in &settings.partners {
        match compare(app, &client, settings, partner).await {
            Ok(c) if c.is_in_step() => {
                let _ = writeln!(
                    report.text,
                    "{partner}: in step — it holds the {} records and {} contributions it should from here; this instance holds the {} records and {} contributions it should from it",
                    c.counts[0].0, c.counts[0].1, c.counts[1].0, c.counts[1].1
                );
            }
            Ok(c) => {
                let lines = c.describe(partner.as_str());
                report.differences += lines.len();
                let _ = writeln!(report.text, "{partner}: {} difference(s)", lines.len());
                for l in lines {
                    let _ = writeln!(report.text, "  {l}");
                }
            }
            Err(e) => {
                report.unanswered += 1;
                let _ = writeln!(report.text, "{partner}: not compared: {e}");
            }
        }
    }
    Ok(report)
}

/// Answers partners' digest requests until the task is aborted.
pub async fn answer(app: App, client: async_nats::Client, settings: std::sync::Arc<Settings>) {
    let mut subscription = loop {
        match client
            .subscribe(subject(settings.organisation.as_str(), "*"))
            .await
        {
            Ok(s) => break s,
            Err(e) => {
                tracing::warn!(error = %e, "federation: cannot answer digest requests; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    // The head last kept of each partner's chain (a head is kept again only when it
    // moved).
    let mut heads: HashMap<String, Head> = HashMap::new();
    while let Some(message) = subscription.next().await {
        let Some(reply_to) = message.reply.clone() else {
            continue;
        };
        let asker = message.subject.rsplit('.').next().unwrap_or_default();
        let reply = answer_one(
            &app,
            &settings,
            asker,
            &reply_to,
            &message.payload,
            &mut heads,
        )
        .await;
        let body = serde_json::to_vec(&reply).unwrap_or_default();
        if let Err(e) = client.publish(reply_to, body.into()).await {
            tracing::warn!(error = %e, "federation: answering a digest request failed");
        }
    }
}

async fn answer_one(
    app: &App,
    settings: &Settings,
    asker: &str,
    reply_to: &str,
    payload: &[u8],
    heads: &mut HashMap<String, Head>,
) -> Reply {
    let refuse = |e: String| Reply {
        error: Some(e),
        ..Reply::default()
    };
    let Some(partner) = settings.partners.iter().find(|p| p.as_str() == asker) else {
        return refuse(format!("`{asker}` is not a partner of this instance"));
    };
    // Only to the asker's own inbox, which no one else may read.
    if !reply_to.starts_with(&format!("{}.", super::inbox_prefix(partner))) {
        return refuse("answers go only to the asker's own inbox".into());
    }
    let request: Request = match serde_json::from_slice(payload) {
        Ok(r) => r,
        Err(e) => return refuse(format!("not a digest request: {e}")),
    };
    if request.side == Side::Heads {
        if let Some(head) = request.head
            && let Err(e) =
                super::anti_entropy::keep_head(app, settings, partner, head, heads).await
        {
            return refuse(e.to_string());
        }
        return match super::anti_entropy::own_head(app).await {
            Ok(head) => Reply {
                head: Some(head),
                ..Reply::default()
            },
            Err(e) => refuse(e.to_string()),
        };
    }
    let view = match view(app, settings, partner).await {
        Ok(v) => v,
        Err(e) => return refuse(e.to_string()),
    };
    let lines = match request.side {
        Side::Expected => view.expected,
        Side::Held | Side::Heads => view.held,
    };
    match request.sections {
        None => Reply {
            digests: lines.digests(),
            ..Reply::default()
        },
        Some(wanted) => {
            let wanted: BTreeSet<String> = wanted.into_iter().collect();
            Reply {
                lines: lines
                    .sections()
                    .into_iter()
                    .filter(|(s, _)| wanted.contains(s))
                    .collect(),
                ..Reply::default()
            }
        }
    }
}
