//! Federation (issue 13): released records flow between Hawkari instances, one per
//! organisation, over NATS JetStream.
//!
//! Outbound, every committed record write leaves an outbox entry in its own transaction
//! (`hawkari_store::outbox`); the publisher ([`publish`]) reads each entry's record, and
//! sends one event per partner instance whose users may read it ([`route`], the read
//! path's rule), with a `Nats-Msg-Id` so that JetStream drops a repeat; a partner that
//! held a copy and may no longer read the record is sent a withdrawal. Inbound
//! ([`receive`]), a durable consumer per instance reads its own subject, re-checks that
//! each event is addressed to this instance and released to it, and applies it once.
//!
//! Subjects: `hawkari.<destination>.records.<source>`, both organisation ids (slugs, so
//! valid subject tokens); one stream, `HAWKARI`, holds them all for 30 days.

pub mod anti_entropy;
pub mod contribute;
pub mod digest;
pub mod publish;
pub mod receive;
pub mod route;
pub mod status;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hawkari_core::access::Reach;
use hawkari_core::ids::OrganisationId;
use hawkari_core::record::Kind;
use hawkari_store::{AnyRecord, AuditEvent, StoreError};
use serde::{Deserialize, Serialize};

use crate::App;

/// The stream every instance's events go to.
pub const STREAM: &str = "HAWKARI";
/// How long the stream keeps an event: a site cut off for up to this long catches up.
pub const KEEP: Duration = Duration::from_secs(30 * 24 * 3600);

/// The subject of events from `source` to `destination`.
pub fn subject(destination: &str, source: &str) -> String {
    format!("hawkari.{destination}.records.{source}")
}

/// How this instance takes part in a federation (`[federation]` in the configuration).
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// The NATS server, e.g. `nats://127.0.0.1:4222`.
    pub nats_url: String,
    pub credentials: Credentials,
    /// This instance's home organisation; the organisations below it are home too.
    pub organisation: OrganisationId,
    /// The home organisations of the partner instances records may be sent to.
    pub partners: Vec<OrganisationId>,
    /// How often the anti-entropy pass runs (besides at start and on reconnection);
    /// zero: never by itself.
    pub anti_entropy_every: Duration,
}

/// The anti-entropy pass's default period.
pub const ANTI_ENTROPY_EVERY: Duration = Duration::from_secs(300);

/// How the instance signs in to NATS.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    UserPassword {
        user: String,
        password: String,
    },
    /// A NATS credentials file (JWT and NKey seed).
    CredsFile(std::path::PathBuf),
}

/// The password is never printed.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::None => f.write_str("none"),
            Credentials::UserPassword { user, .. } => write!(f, "user {user}, password ***"),
            Credentials::CredsFile(p) => write!(f, "creds file {}", p.display()),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("nats_url", &self.nats_url)
            .field("credentials", &self.credentials)
            .field("organisation", &self.organisation)
            .field("partners", &self.partners)
            .field("anti_entropy_every", &self.anti_entropy_every)
            .finish()
    }
}

/// Why federation could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("NATS: {0}")]
    Nats(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("federation: {0}")]
    Config(String),
}

fn nats(e: impl std::fmt::Display) -> FederationError {
    FederationError::Nats(e.to_string())
}

/// What crosses between instances: a copy of a record, the withdrawal of one, or a
/// contribution to one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique per record, version, operation and destination; also the `Nats-Msg-Id`.
    pub id: String,
    pub from: String,
    pub to: String,
    pub op: Op,
    pub kind: String,
    pub record_id: String,
    pub version: i64,
    /// The record as the owner stores it (copies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
    /// The contribution (contributions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<contribute::Contribution>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Copy,
    Withdraw,
    Contribute,
}

impl Event {
    /// `<from>.<kind>.<id>.v<version>.<to>.<stamp>` (`w<version>` for a withdrawal). The
    /// stamp — the record's `updated_at` in milliseconds for a copy or a withdrawal of a
    /// stored record, the moment of the decision for a deleted one — keeps a record
    /// deleted and made again under the same id from repeating an earlier event's id.
    pub fn event_id(
        from: &str,
        kind: Kind,
        id: &str,
        op: Op,
        version: i64,
        to: &str,
        stamp: chrono::DateTime<chrono::Utc>,
    ) -> String {
        let op = match op {
            Op::Copy => "v",
            Op::Withdraw => "w",
            Op::Contribute => "c",
        };
        format!(
            "{from}.{}.{id}.{op}{version}.{to}.{}",
            kind.as_str(),
            stamp.timestamp_millis()
        )
    }
}

/// Counts since the start, for `federation status` and tests.
#[derive(Debug, Default)]
pub struct Counters {
    pub sent: AtomicU64,
    pub withdrawals_sent: AtomicU64,
    pub received: AtomicU64,
    pub dropped: AtomicU64,
}

impl Counters {
    pub fn get(n: &AtomicU64) -> u64 {
        n.load(Ordering::Relaxed)
    }
}

/// A running federation: the publisher and the consumer. Dropping it stops both.
#[derive(Debug)]
pub struct Federation {
    pub counters: Arc<Counters>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Federation {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// The prefix of an instance's reply subjects.
pub fn inbox_prefix(organisation: &OrganisationId) -> String {
    format!("_INBOX_{organisation}")
}

/// Connects to NATS with the settings' credentials.
pub async fn connect(settings: &Settings) -> Result<async_nats::Client, FederationError> {
    connect_with(settings, None).await
}

/// Connects, and notifies `reconnected` each time the connection comes back.
async fn connect_with(
    settings: &Settings,
    reconnected: Option<Arc<tokio::sync::Notify>>,
) -> Result<async_nats::Client, FederationError> {
    // Replies (publish acknowledgements, pulled messages, digests) come to an inbox of
    // this organisation's own, which the shipped NATS configuration lets no one else read.
    let mut options = async_nats::ConnectOptions::new()
        .name(format!("hawkari-{}", settings.organisation))
        .custom_inbox_prefix(inbox_prefix(&settings.organisation));
    if let Some(notify) = reconnected {
        options = options.event_callback(move |event| {
            let notify = notify.clone();
            async move {
                if matches!(event, async_nats::Event::Connected) {
                    notify.notify_one();
                }
            }
        });
    }
    let options = match &settings.credentials {
        Credentials::None => options,
        Credentials::UserPassword { user, password } => {
            options.user_and_password(user.clone(), password.clone())
        }
        Credentials::CredsFile(path) => options.credentials_file(path).await.map_err(|e| {
            FederationError::Config(format!("credentials file {}: {e}", path.display()))
        })?,
    };
    options
        .connect(settings.nats_url.as_str())
        .await
        .map_err(nats)
}

/// The stream, created if missing (an operator may create it beforehand, with the same
/// subjects).
pub async fn stream(
    js: &async_nats::jetstream::Context,
) -> Result<async_nats::jetstream::stream::Stream, FederationError> {
    js.get_or_create_stream(async_nats::jetstream::stream::Config {
        name: STREAM.to_owned(),
        subjects: vec!["hawkari.*.records.*".to_owned()],
        max_age: KEEP,
        storage: async_nats::jetstream::stream::StorageType::File,
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    })
    .await
    .map_err(nats)
}

/// Starts federating: checks the settings against the registry, switches the outbox on
/// (queuing what is stored if it was off), then runs the publisher and the consumer.
pub async fn start(app: App, settings: Settings) -> Result<Federation, FederationError> {
    let tree = load_tree(&app).await?;
    if !tree.contains(&settings.organisation) {
        return Err(FederationError::Config(format!(
            "organisation: no organisation with id `{}` in the registry",
            settings.organisation
        )));
    }
    for p in &settings.partners {
        if tree.is_within(p, &settings.organisation) {
            return Err(FederationError::Config(format!(
                "partners: `{p}` is this instance's own organisation or below it"
            )));
        }
    }
    // Set once: an instance serves one home for as long as it runs. Organisations added
    // below the home later are home after the next start.
    let _ = app
        .federation_home
        .set(tree.served_by(&settings.organisation));
    let _ = app.federation_org.set(settings.organisation.clone());
    let reconnected = Arc::new(tokio::sync::Notify::new());
    let client = connect_with(&settings, Some(reconnected.clone())).await?;
    let js = async_nats::jetstream::new(client.clone());
    let stream = stream(&js).await?;
    app.store().switch_outbox_on().await?;
    let counters = Arc::new(Counters::default());
    let settings = Arc::new(settings);
    let publisher = tokio::spawn(publish::run(
        app.clone(),
        js.clone(),
        settings.clone(),
        counters.clone(),
    ));
    let consumer = receive::consumer(&stream, &settings.organisation).await?;
    let receiver = tokio::spawn(receive::run(
        app.clone(),
        consumer,
        settings.clone(),
        counters.clone(),
    ));
    let answerer = tokio::spawn(digest::answer(
        app.clone(),
        client.clone(),
        settings.clone(),
    ));
    let anti_entropy = tokio::spawn(anti_entropy::run(app, client, settings, reconnected));
    Ok(Federation {
        counters,
        tasks: vec![publisher, receiver, answerer, anti_entropy],
    })
}

/// The organisation tree as this instance's registry holds it.
pub async fn load_tree(app: &App) -> Result<route::Tree, StoreError> {
    let mut snapshot = app.store().begin_read().await?;
    let mut orgs = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = snapshot
            .scan(Kind::Organisation, after.as_deref(), 1000)
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id().to_owned());
        for r in page {
            if let AnyRecord::Organisation(o) = r {
                orgs.push((o.id, o.data.parent_id, o.data.kind));
            }
        }
    }
    snapshot.close().await?;
    Ok(route::Tree::new(orgs))
}

/// A record's owner, release lists and version.
pub fn release_of(r: &AnyRecord) -> (route::Release<'_>, i64) {
    use hawkari_core::record::RecordData;
    fn parts<D: RecordData>(d: &D) -> route::Release<'_> {
        route::Release {
            owner: d.owner_org_id(),
            releasable_to: d.releasable_to(),
            groups: d.release_groups(),
        }
    }
    match r {
        AnyRecord::Organisation(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Person(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Place(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Engagement(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Commitment(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Incident(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Area(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Programme(x) => (parts(&x.data), x.meta.version),
        AnyRecord::Operation(x) => (parts(&x.data), x.meta.version),
    }
}

/// When a record was last changed.
pub fn updated_at(r: &AnyRecord) -> chrono::DateTime<chrono::Utc> {
    match r {
        AnyRecord::Organisation(x) => x.meta.updated_at,
        AnyRecord::Person(x) => x.meta.updated_at,
        AnyRecord::Place(x) => x.meta.updated_at,
        AnyRecord::Engagement(x) => x.meta.updated_at,
        AnyRecord::Commitment(x) => x.meta.updated_at,
        AnyRecord::Incident(x) => x.meta.updated_at,
        AnyRecord::Area(x) => x.meta.updated_at,
        AnyRecord::Programme(x) => x.meta.updated_at,
        AnyRecord::Operation(x) => x.meta.updated_at,
    }
}

/// A record as the JSON an event carries (the dataset document's form).
pub fn record_json(r: &AnyRecord) -> serde_json::Result<serde_json::Value> {
    match r {
        AnyRecord::Organisation(x) => serde_json::to_value(x),
        AnyRecord::Person(x) => serde_json::to_value(x),
        AnyRecord::Place(x) => serde_json::to_value(x),
        AnyRecord::Engagement(x) => serde_json::to_value(x),
        AnyRecord::Commitment(x) => serde_json::to_value(x),
        AnyRecord::Incident(x) => serde_json::to_value(x),
        AnyRecord::Area(x) => serde_json::to_value(x),
        AnyRecord::Programme(x) => serde_json::to_value(x),
        AnyRecord::Operation(x) => serde_json::to_value(x),
    }
}

/// An audit entry of the federation itself.
pub(crate) fn audit(
    app: &App,
    home: &OrganisationId,
    action: &str,
    kind: Kind,
    record_id: &str,
    detail: serde_json::Value,
    concerns: Vec<String>,
) -> AuditEvent {
    AuditEvent {
        at: app.now(),
        actor: "federation".into(),
        organisation_id: Some(home.to_string()),
        action: action.into(),
        kind: Some(kind.as_str().into()),
        record_id: Some(record_id.into()),
        detail,
        concerns,
    }
}

/// Whether `reach` sees the record: `Reach::sees` over its release lists.
pub(crate) fn sees(reach: &Reach, release: route::Release<'_>) -> bool {
    reach.sees(release.owner, release.releasable_to, release.groups)
}
