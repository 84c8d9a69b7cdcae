//! `hawkari serve`: bind, set up TLS, optionally load the demo, federate if configured,
//! serve until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use hawkari_app::App;
use hawkari_http::{HttpConfig, ServeConfig, TlsIdentity, TrustedProxies};

use crate::config::{Config, TlsMode};

pub async fn run(app: App, config: &Config, demo: bool) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.bind))?;
    let addr = listener.local_addr()?;
    // The certificate before the demo: a bad one stops the command at once.
    let identity = match config.server.tls {
        TlsMode::On => Some(tls_identity(config, addr)?),
        TlsMode::Off => None,
    };
    if demo {
        super::data::load_demo(&app, config.federation.as_ref()).await?;
    }
    // Runs as long as the server does (dropping it stops the publisher and consumer).
    let _federation = match &config.federation {
        Some(settings) => {
            let f = hawkari_app::federation::start(app.clone(), settings.clone())
                .await
                .context("cannot start federation")?;
            println!(
                "Federating as {} with {} through {}",
                settings.organisation,
                if settings.partners.is_empty() {
                    "no partner".to_owned()
                } else {
                    settings
                        .partners
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                settings.nats_url
            );
            Some(f)
        }
        None => None,
    };
    let server = &config.server;
    let http = HttpConfig {
        max_body_bytes: server.max_body_bytes,
        max_import_bytes: server.max_import_bytes,
        request_timeout: Duration::from_secs(server.request_timeout_secs),
        body_read_timeout: Duration::from_secs(server.body_read_timeout_secs),
        trusted_proxies: TrustedProxies::new(server.trusted_proxies.clone()),
        map: hawkari_http::MapSettings {
            tile_url: config.map.tile_url.clone(),
            tile_attribution: config.map.tile_attribution.clone(),
        },
    };
    let mut serve = ServeConfig {
        header_read_timeout: Duration::from_secs(server.header_read_timeout_secs),
        idle_timeout: Duration::from_secs(server.idle_timeout_secs),
        tls: None,
    };
    let scheme = match &identity {
        Some(identity) => {
            serve.tls = Some(identity.server_config()?);
            let kind = match (&server.tls_cert, identity.created) {
                (Some(_), _) => "from tls_cert",
                (None, true) => "self-signed, made now",
                (None, false) => "self-signed, made at an earlier start",
            };
            println!(
                "TLS certificate {} ({kind}), SHA-256 fingerprint {}",
                identity.cert_path.display(),
                identity.fingerprint()
            );
            "https"
        }
        None => {
            if !addr.ip().is_loopback() && server.trusted_proxies.is_empty() {
                tracing::warn!(
                    "TLS is off and no trusted proxy is set: browsers on other machines will \
                     not keep the sign-in cookie over plain HTTP (set [server] tls = \"on\", \
                     or serve behind a TLS proxy listed in trusted_proxies)"
                );
            }
            "http"
        }
    };
    // The map's cluster index is built in the background, not by the first map request.
    let warm = app.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warm.warm_map_index().await {
            Ok(n) => tracing::info!(
                incidents = n,
                ms = started.elapsed().as_millis() as u64,
                "map index ready"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "map index not built; the first map request builds it")
            }
        }
    });
    spawn_notices(app.clone(), config.mail.clone());
    println!("Hawkari is listening on {}", where_to_open(scheme, addr));
    tracing::info!(%addr, scheme, database = %crate::config::redact(&config.database.url), "serving");
    hawkari_http::serve_with(
        listener,
        hawkari_http::router(app, &http),
        shutdown_signal(),
        serve,
    )
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Notices and their mail, for as long as the server runs: every minute the mail due is
/// sent (immediate notices, digests), and every hour the overdue and due-soon notices
/// are made first (`hawkari notify` runs the same pass once).
fn spawn_notices(app: App, mail: Option<hawkari_http::mail::MailSettings>) {
    const SCAN_EVERY: Duration = Duration::from_secs(3600);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_scan: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            let scan = last_scan.is_none_or(|t| t.elapsed() >= SCAN_EVERY);
            match hawkari_http::mail::run_pass(&app, mail.as_ref(), false, scan).await {
                Ok(r) => {
                    if scan {
                        last_scan = Some(std::time::Instant::now());
                    }
                    if r.notices_made + r.sent + r.failed > 0 {
                        tracing::info!(
                            made = r.notices_made,
                            sent = r.sent,
                            failed = r.failed,
                            "notices"
                        );
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the notice pass failed; it runs again in a minute")
                }
            }
        }
    });
}

/// The configured certificate, or the self-signed one kept in the TLS directory (made
/// now, for this machine's names, if there is none).
fn tls_identity(config: &Config, addr: SocketAddr) -> anyhow::Result<TlsIdentity> {
    if let (Some(cert), Some(key)) = (&config.server.tls_cert, &config.server.tls_key) {
        return Ok(TlsIdentity::from_pem_files(cert, key)?);
    }
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    names.extend(host_name());
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        names.push(addr.ip().to_string());
    }
    Ok(TlsIdentity::self_signed_in(&config.tls_dir(), &names)?)
}

/// The URLs to open, for the startup line: on every interface, the machine's name for
/// other machines and 127.0.0.1 for this one.
fn where_to_open(scheme: &str, addr: SocketAddr) -> String {
    let port = addr.port();
    let local = format!("{scheme}://127.0.0.1:{port}");
    if addr.ip().is_unspecified() {
        let name = host_name().unwrap_or_else(|| "this machine's address".into());
        format!(
            "{scheme}://{name}:{port} from other machines, {local} from this one  (API: {local}/api/v1/engagements)"
        )
    } else if addr.ip().is_loopback() {
        format!("{scheme}://{addr}  (this machine only; API: {scheme}://{addr}/api/v1/engagements)")
    } else {
        format!("{scheme}://{addr}  (API: {scheme}://{addr}/api/v1/engagements)")
    }
}

/// This machine's host name, if it is one a certificate and a URL can carry.
fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())?;
    let name = name.trim().to_ascii_lowercase();
    let usable = !name.is_empty()
        && name != "localhost"
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    usable.then_some(name)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
