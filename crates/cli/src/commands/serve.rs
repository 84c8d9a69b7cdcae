//! `hawkari serve`: bind, optionally load the demo, serve until Ctrl-C or SIGTERM.

use std::time::Duration;

use anyhow::Context;
use hawkari_app::App;
use hawkari_http::HttpConfig;

use crate::config::Config;

pub async fn run(app: App, config: &Config, demo: bool) -> anyhow::Result<()> {
    if demo {
        super::data::load_demo(&app).await?;
    }
    let listener = tokio::net::TcpListener::bind(&config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.bind))?;
    let addr = listener.local_addr()?;
    let http = HttpConfig {
        max_body_bytes: config.server.max_body_bytes,
        request_timeout: Duration::from_secs(config.server.request_timeout_secs),
        map: hawkari_http::MapSettings {
            tile_url: config.map.tile_url.clone(),
            tile_attribution: config.map.tile_attribution.clone(),
        },
    };
    println!("Hawkari is listening on http://{addr}  (API: http://{addr}/api/v1/engagements)");
    tracing::info!(%addr, database = %crate::config::redact(&config.database.url), "serving");
    hawkari_http::serve(
        listener,
        hawkari_http::router(app, &http),
        shutdown_signal(),
    )
    .await?;
    tracing::info!("stopped");
    Ok(())
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
