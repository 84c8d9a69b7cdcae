//! API throughput under concurrent load: the router served on loopback, and `concurrency`
//! clients, each a hyper client (hyper-util's `Client`, the one reqwest is built on) with a
//! pool of one keep-alive connection, sending GETs in turn from a list for a bounded time.
//! Each response's body is read to its end, so a request is timed until its last byte.

use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// What a load run measured.
#[derive(Debug)]
pub struct LoadReport {
    pub requests: u64,
    pub errors: u64,
    pub elapsed: Duration,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// A client of its own for one worker: one idle connection kept per host, so a worker
/// sending requests one after another reuses a single keep-alive connection.
fn client() -> Client<HttpConnector, Empty<Bytes>> {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(1)
        .build(connector)
}

/// Sends a GET and reads the whole response; returns its status.
async fn get(
    client: &Client<HttpConnector, Empty<Bytes>>,
    uri: &str,
    bearer: &str,
) -> anyhow::Result<u16> {
    let request = axum::http::Request::get(uri)
        .header("authorization", bearer)
        .header("accept", "application/json")
        .body(Empty::new())?;
    let response = client.request(request).await?;
    let status = response.status().as_u16();
    response.into_body().collect().await?;
    Ok(status)
}

/// Serves `router` on loopback and runs `concurrency` clients over `uris` for `seconds`.
pub async fn run(
    router: axum::Router,
    bearer: &str,
    uris: &[String],
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<LoadReport> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let uris: Vec<String> = uris.iter().map(|u| format!("http://{addr}{u}")).collect();
    // One request per worker before the clock starts, so connecting is not measured and
    // a server that cannot answer is an error rather than a run of zeros.
    let clients: Vec<_> = (0..concurrency).map(|_| client()).collect();
    for c in &clients {
        get(c, &uris[0], bearer)
            .await
            .with_context(|| format!("the server on {addr} did not answer"))?;
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (worker, client) in clients.into_iter().enumerate() {
        let uris = uris.clone();
        let bearer = bearer.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0u64;
            let mut i = worker;
            while Instant::now() < deadline {
                let uri = &uris[i % uris.len()];
                i += 1;
                let t = Instant::now();
                match get(&client, uri, &bearer).await {
                    Ok(200) => times.push(t.elapsed()),
                    Ok(_) | Err(_) => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (mut ts, e) = t.await?;
        times.append(&mut ts);
        errors += e;
    }
    let elapsed = started.elapsed();
    server.abort();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: usize| {
        times
            .get((times.len() * q / 100).min(times.len().saturating_sub(1)))
            .map_or(0.0, |d| ms(*d))
    };
    Ok(LoadReport {
        requests: times.len() as u64,
        errors,
        elapsed,
        p50_ms: at(50),
        p99_ms: at(99),
    })
}
