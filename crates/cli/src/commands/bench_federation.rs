//! `hawkari bench --federation`: two instances federating over a real JetStream
//! (Debian's `nats-server -js`, started here on a free port with its store in a
//! temporary directory), each with its own SQLite database, in this process — the
//! coalition's (`cjtf-oir`, the owner) and the Ministry of Peshmerga Affairs' (`mopa`,
//! the partner). It measures:
//!
//! - propagation: one released incident written at the owner at a steady rate, from
//!   its commit to its copy readable in the partner's store (p50/p99);
//! - catch-up: the partner's federation stopped while the owner writes N released
//!   incidents (its publisher puts them in the stream meanwhile), then started again:
//!   the time until the partner holds them all, and until `federation verify` finds
//!   both digests equal;
//! - memory: the process's peak resident size (VmHWM, reset just before the catch-up
//!   starts; both instances and the NATS client live in this process, the server not).
//!
//! Beside them, the anchor, measured in the same run on the same server: a plain
//! JetStream publish (acknowledged, in batches as Hawkari's publisher sends) and a
//! durable pull consumer (explicit acks) of the same number of messages of the same
//! size as Hawkari's events, with async-nats alone, and the same steady-rate latency.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::StreamExt;
use hawkari_app::federation::{self, Credentials, Settings};
use hawkari_app::{App, Principal};
use hawkari_core::access::Reach;
use hawkari_core::incident::Incident;
use hawkari_core::record::Kind;
use serde_json::json;

use crate::config::Config;

/// What to measure.
pub struct Plan {
    /// Released writes timed one at a time for the propagation latency.
    pub samples: u64,
    /// Their rate, per second.
    pub rate: u64,
    /// Released writes made while the partner is away.
    pub backlog: u64,
}

/// A nats-server with JetStream on a free port, its store in a temporary directory;
/// killed when dropped.
struct NatsServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nats_server_binary() -> anyhow::Result<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|d| d.join("nats-server"))
        .find(|p| p.is_file())
        .context("the federation bench needs nats-server: `apt-get install nats-server`")
}

async fn start_nats() -> anyhow::Result<NatsServer> {
    let dir = tempfile::tempdir().context("cannot create a scratch directory")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(nats_server_binary()?)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path().join("jetstream"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start nats-server")?;
    let server = NatsServer {
        child,
        url: format!("nats://127.0.0.1:{port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("nats-server did not start within 10 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(server)
}

fn settings(url: &str, home: &str, partner: &str) -> anyhow::Result<Settings> {
    Ok(Settings {
        nats_url: url.to_owned(),
        credentials: Credentials::None,
        organisation: home.parse().map_err(anyhow::Error::msg)?,
        partners: vec![partner.parse().map_err(anyhow::Error::msg)?],
        anti_entropy_every: federation::ANTI_ENTROPY_EVERY,
    })
}

/// An instance's database: the two organisations, as each instance's registry holds
/// them before the federation starts.
async fn instance(config: &Config, url: String) -> anyhow::Result<App> {
    let app = App::new(super::open_url(config, &url).await?);
    let cli = Principal::system("bench");
    for (id, name, kind) in [
        (
            "cjtf-oir",
            "Combined Joint Task Force – Operation Inherent Resolve",
            "coalition",
        ),
        ("mopa", "Ministry of Peshmerga Affairs", "regional"),
    ] {
        let data = serde_json::from_value(json!({
            "names": {"en": name}, "kind": kind, "owner_org_id": id,
            "release_groups": ["all_partners"]
        }))?;
        app.create::<hawkari_core::organisation::Organisation>(&cli, Some(id.to_owned()), data)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(app)
}

/// The i-th released incident: a narrative of a typical length, released to mopa.
fn incident(i: u64) -> anyhow::Result<hawkari_core::incident::IncidentData> {
    let lat = 34.0 + (i % 1000) as f64 / 1000.0;
    let lon = 44.0 + (i % 997) as f64 / 1000.0;
    Ok(serde_json::from_value(json!({
        "when": "2025-09-14", "point": {"lat": lat, "lon": lon}, "location_precision": "near",
        "type": "hit_and_run",
        "narrative": format!(
            "Bench incident {i}: an IED struck a patrol on the road north of the checkpoint; \
             two vehicles damaged, no casualties reported. Follow-up by the sector's engineers."
        ),
        "owner_org_id": "cjtf-oir", "releasable_to": ["mopa"], "release_groups": []
    }))?)
}

async fn write(app: &App, i: u64) -> anyhow::Result<Incident> {
    app.create::<Incident>(&Principal::system("bench"), None, incident(i)?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

async fn held(app: &App, id: &str) -> anyhow::Result<bool> {
    Ok(app
        .store()
        .get(Kind::Incident, id, &Reach::Everything)
        .await?
        .is_some())
}

/// The process's resident size and its peak, in MiB (`/proc/self/status`).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

/// Resets the peak resident size to the current one (Linux: `5` to `clear_refs`).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn percentile(sorted: &[Duration], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Waits until `f` holds, polling every millisecond, for at most `limit`.
async fn until<F, Fut>(limit: Duration, what: &str, mut f: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + limit;
    while !f().await? {
        if Instant::now() > deadline {
            bail!("timed out after {} s waiting for {what}", limit.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

pub async fn run(config: Config, plan: Plan) -> anyhow::Result<()> {
    if plan.samples == 0 || plan.rate == 0 {
        bail!("--samples and --rate must be at least 1");
    }
    let nats = start_nats().await?;
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    let db = |name: &str| format!("sqlite://{}/{name}.db", scratch.path().display());
    let owner = instance(&config, db("cjtf-oir")).await?;
    let partner = instance(&config, db("mopa")).await?;
    let at_owner = settings(&nats.url, "cjtf-oir", "mopa")?;
    let at_partner = settings(&nats.url, "mopa", "cjtf-oir")?;
    let _owner_fed = federation::start(owner.clone(), at_owner.clone()).await?;
    let mut partner_fed = Some(federation::start(partner.clone(), at_partner.clone()).await?);

    // The size of one event as Hawkari sends it, for the anchor's messages.
    let first = write(&owner, 0).await?;
    let stored = owner
        .store()
        .get(Kind::Incident, first.id.as_str(), &Reach::Everything)
        .await?
        .context("the first incident is not stored")?;
    let (_, version) = federation::release_of(&stored);
    let event = federation::Event {
        id: federation::Event::event_id(
            "cjtf-oir",
            Kind::Incident,
            first.id.as_str(),
            federation::Op::Copy,
            version,
            "mopa",
            federation::updated_at(&stored),
        ),
        from: "cjtf-oir".into(),
        to: "mopa".into(),
        op: federation::Op::Copy,
        kind: Kind::Incident.as_str().into(),
        record_id: first.id.to_string(),
        version,
        record: Some(federation::record_json(&stored)?),
        contribution: None,
    };
    let size = serde_json::to_vec(&event)?.len();
    until(
        Duration::from_secs(30),
        "the first copy at the partner",
        || held(&partner, first.id.as_str()),
    )
    .await?;

    println!("# hawkari bench --federation");
    println!();
    println!(
        "Two instances in one process (cjtf-oir owns the incidents, mopa receives them), each on \
         its own SQLite database, over nats-server {} with JetStream on loopback; events of {size} \
         bytes.",
        nats_version()
    );

    // (a) Propagation at a steady rate.
    let period = Duration::from_secs_f64(1.0 / plan.rate as f64);
    let mut latencies = Vec::with_capacity(plan.samples as usize);
    let mut next = Instant::now();
    for i in 0..plan.samples {
        next += period;
        let made = write(&owner, 1 + i).await?;
        let committed = Instant::now();
        until(Duration::from_secs(60), "a copy at the partner", || {
            held(&partner, made.id.as_str())
        })
        .await?;
        latencies.push(committed.elapsed());
        tokio::time::sleep_until(next.into()).await;
    }
    latencies.sort();
    let anchor_latencies = anchor_latency(&nats.url, size, plan.samples, plan.rate).await?;

    // (b) Catch-up: the partner away while the owner writes the backlog.
    let before = partner.store().counts().await?.incidents;
    drop(partner_fed.take());
    let written = Instant::now();
    for i in 0..plan.backlog {
        write(&owner, 1_000_000 + i).await?;
    }
    let writing = written.elapsed();
    until(
        Duration::from_secs(600),
        "the owner's outbox drained into the stream",
        || async { Ok(owner.store().outbox_len().await? == 0) },
    )
    .await?;
    let published = written.elapsed();
    let expected = before + plan.backlog;
    let (rss_before, _) = memory();
    let peak_reset = reset_peak();
    let started = Instant::now();
    partner_fed = Some(federation::start(partner.clone(), at_partner.clone()).await?);
    until(
        Duration::from_secs(3600),
        "the partner holding the backlog",
        || async { Ok(partner.store().counts().await?.incidents >= expected) },
    )
    .await?;
    let applied = started.elapsed();
    let (_, peak) = memory();
    let report = federation::digest::verify(&owner, &at_owner).await?;
    let converged = started.elapsed();
    if report.differences != 0 || report.unanswered != 0 {
        bail!("the digests differ after the catch-up:\n{}", report.text);
    }
    let received = partner_fed
        .as_ref()
        .map_or(0, |f| federation::Counters::get(&f.counters.received));

    let (anchor_publish, anchor_consume) = anchor_throughput(&nats.url, size, plan.backlog).await?;

    let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64();
    println!();
    println!(
        "## Propagation: {} released writes at {} per second, from the owner's commit to the copy \
         readable in the partner's store",
        plan.samples, plan.rate
    );
    println!();
    println!("| | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| Hawkari (commit → applied at the partner) | {:.1} | {:.1} | {:.1} |",
        percentile(&latencies, 50),
        percentile(&latencies, 99),
        percentile(&latencies, 100)
    );
    println!(
        "| anchor: async-nats JetStream publish → pull consumer | {:.2} | {:.2} | {:.2} |",
        percentile(&anchor_latencies, 50),
        percentile(&anchor_latencies, 99),
        percentile(&anchor_latencies, 100)
    );
    println!();
    println!(
        "## Catch-up: {} released writes at the owner while the partner was away",
        plan.backlog
    );
    println!();
    println!(
        "Written at the owner in {:.1} s ({:.0}/s); in the stream {:.1} s after the first write.",
        writing.as_secs_f64(),
        rate(plan.backlog, writing),
        published.as_secs_f64()
    );
    println!();
    println!("| | seconds | records/s |");
    println!("|---|---:|---:|");
    println!(
        "| Hawkari: partner reconnects → all {} applied ({received} events) | {:.2} | {:.0} |",
        plan.backlog,
        applied.as_secs_f64(),
        rate(plan.backlog, applied)
    );
    println!(
        "| Hawkari: partner reconnects → digests equal (`federation verify`) | {:.2} | {:.0} |",
        converged.as_secs_f64(),
        rate(plan.backlog, converged)
    );
    println!(
        "| anchor: async-nats JetStream publish, acknowledged, batches of 256 | {:.2} | {:.0} |",
        anchor_publish.as_secs_f64(),
        rate(plan.backlog, anchor_publish)
    );
    println!(
        "| anchor: async-nats durable pull consumer, explicit acks | {:.2} | {:.0} |",
        anchor_consume.as_secs_f64(),
        rate(plan.backlog, anchor_consume)
    );
    println!();
    println!(
        "Catch-up applied at {:.2}× the anchor consumer's time.",
        applied.as_secs_f64() / anchor_consume.as_secs_f64()
    );
    println!();
    println!("## Memory of the process during the catch-up");
    println!();
    if peak_reset {
        println!(
            "Resident before: {rss_before:.0} MiB; peak (VmHWM, reset when the partner \
             reconnected) during the catch-up: {peak:.0} MiB (both instances in one process)."
        );
    } else {
        println!(
            "Resident before: {rss_before:.0} MiB; peak since the process started (VmHWM; \
             /proc/self/clear_refs could not reset it): {peak:.0} MiB."
        );
    }
    drop(partner_fed);
    Ok(())
}

fn nats_version() -> String {
    nats_server_binary()
        .ok()
        .and_then(|b| Command::new(b).arg("--version").output().ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .and_then(|v| v.rsplit(' ').next().map(str::to_owned))
        .unwrap_or_else(|| "(version unknown)".into())
}

/// A stream and a durable pull consumer of its own for the anchor.
async fn anchor_stream(
    url: &str,
    name: &str,
) -> anyhow::Result<(
    async_nats::jetstream::Context,
    async_nats::jetstream::consumer::PullConsumer,
)> {
    use async_nats::jetstream::{consumer, stream};
    let client = async_nats::connect(url).await?;
    let js = async_nats::jetstream::new(client);
    let s = js
        .get_or_create_stream(stream::Config {
            name: name.to_owned(),
            subjects: vec![format!("{}.>", name.to_lowercase())],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let consumer = s
        .get_or_create_consumer(
            "anchor",
            consumer::pull::Config {
                durable_name: Some("anchor".into()),
                ack_policy: consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((js, consumer))
}

/// The anchor's latency: one message at a time at the same rate, from the publish to
/// its delivery to the pull consumer.
async fn anchor_latency(
    url: &str,
    size: usize,
    samples: u64,
    rate: u64,
) -> anyhow::Result<Vec<Duration>> {
    let (js, consumer) = anchor_stream(url, "ANCHORLAT").await?;
    let mut messages = consumer.messages().await?;
    let payload = bytes_of(size);
    let period = Duration::from_secs_f64(1.0 / rate as f64);
    let mut next = Instant::now();
    let mut out = Vec::with_capacity(samples as usize);
    for i in 0..samples {
        next += period;
        let sent = Instant::now();
        js.publish(format!("anchorlat.{i}"), payload.clone().into())
            .await?
            .await?;
        let m = messages
            .next()
            .await
            .context("the anchor consumer ended")?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        out.push(sent.elapsed());
        m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        tokio::time::sleep_until(next.into()).await;
    }
    out.sort();
    Ok(out)
}

/// The anchor's throughput: `n` messages published (acknowledged, 256 in flight at a
/// time), then consumed with explicit acks.
async fn anchor_throughput(url: &str, size: usize, n: u64) -> anyhow::Result<(Duration, Duration)> {
    let (js, consumer) = anchor_stream(url, "ANCHORRATE").await?;
    let payload = bytes_of(size);
    let started = Instant::now();
    let mut acks = Vec::with_capacity(256);
    for i in 0..n {
        acks.push(
            js.publish(format!("anchorrate.{i}"), payload.clone().into())
                .await?,
        );
        if acks.len() == 256 {
            for a in acks.drain(..) {
                a.await?;
            }
        }
    }
    for a in acks.drain(..) {
        a.await?;
    }
    let publish = started.elapsed();
    let started = Instant::now();
    let mut messages = consumer.messages().await?;
    for _ in 0..n {
        let m = messages
            .next()
            .await
            .context("the anchor consumer ended")?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok((publish, started.elapsed()))
}

/// A JSON-like payload of `size` bytes.
fn bytes_of(size: usize) -> Vec<u8> {
    let mut v = vec![b'x'; size];
    if size >= 2 {
        v[0] = b'"';
        v[size - 1] = b'"';
    }
    v
}
