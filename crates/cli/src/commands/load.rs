//! API throughput under concurrent load: the router served on loopback, and `concurrency`
//! clients, each on its own keep-alive connection, sending GETs in turn from a list for a
//! bounded time. A minimal HTTP/1.1 client (requests without bodies, responses with a
//! `content-length`) keeps the measurement free of a client library's own costs.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What a load run measured.
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

/// One keep-alive connection.
struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Client {
    async fn connect(addr: std::net::SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    /// Sends a GET and reads the whole response; returns its status.
    async fn get(&mut self, uri: &str, bearer: &str) -> anyhow::Result<u16> {
        let request = format!(
            "GET {uri} HTTP/1.1\r\nHost: {}\r\nAuthorization: {bearer}\r\nAccept: application/json\r\n\r\n",
            self.host
        );
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("not an HTTP status line: {line:?}"))?;
        let mut length: Option<usize> = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                bail!("the server closed the connection");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else {
            bail!("{uri}: a response without content-length");
        };
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(status)
    }
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
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let uris = uris.to_vec();
        let bearer = bearer.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await?;
            let mut times = Vec::new();
            let mut errors = 0u64;
            let mut i = worker;
            while Instant::now() < deadline {
                let uri = &uris[i % uris.len()];
                i += 1;
                let t = Instant::now();
                match client.get(uri, &bearer).await {
                    Ok(200) => times.push(t.elapsed()),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        client = Client::connect(addr).await?;
                    }
                }
            }
            anyhow::Ok((times, errors))
        }));
    }
    let mut times = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (mut ts, e) = t.await??;
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
