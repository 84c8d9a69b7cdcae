//! The transport: accepts connections, speaks TLS when configured, and serves the router
//! over HTTP/1.1 with hyper, closing connections that are slow to send a request head
//! (slowloris) or idle too long, and finishing requests in flight on shutdown.
//!
//! `axum::serve` cannot time out header reads, hence hyper's server directly, as axum's
//! `serve-with-hyper` example does. With TLS on, plain HTTP on the same port is told apart
//! by its first byte (a TLS handshake starts with 0x16) and answered with a redirect to
//! `https://` on that same port, so a user who types `http://host:8080` lands on the right
//! page and one port serves both.

mod body;
mod conn;
mod scheme;
pub mod tls;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

pub(crate) use body::deadline as body_deadline;
pub(crate) use scheme::scheme as scheme_layer;
pub use scheme::{ConnectionInfo, IpNet, Scheme, TrustedProxies};

use conn::{ConnClock, Tracked};

/// How connections are served.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Time a connection has to send a whole request head, from its start (including the
    /// TLS handshake) or from the first byte of a later request on it.
    pub header_read_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Serve HTTPS with this configuration; `None` serves plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            tls: None,
        }
    }
}

/// Serves `router` over plain HTTP on `listener` with the default timeouts until
/// `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, ServeConfig::default()).await
}

/// [`serve`] with the timeouts and TLS of `config`.
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    config: ServeConfig,
) -> std::io::Result<()> {
    // Each connection holds a receiver of `stopping`; the server waits for all of them to
    // be dropped before it returns.
    let (stop_tx, stop_rx) = watch::channel(false);
    let config = Arc::new(config);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            config.clone(),
            stop_rx.clone(),
        ));
    }
    drop(listener);
    drop(stop_rx);
    let _ = stop_tx.send(true);
    stop_tx.closed().await;
    Ok(())
}

/// One accepted connection, to its end.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    config: Arc<ServeConfig>,
    stop: watch::Receiver<bool>,
) {
    let clock = ConnClock::new(config.header_read_timeout, config.idle_timeout);
    let Some(tls) = &config.tls else {
        let info = ConnectionInfo { peer, tls: false };
        return serve_router(stream, info, router, clock, stop).await;
    };
    // The first byte and the handshake count against the header timeout; a server that
    // is stopping does not wait for them.
    let deadline = tokio::time::Instant::now() + config.header_read_timeout;
    let mut stopping = stop.clone();
    let opened = tokio::select! {
        opened = open(stream, tls.clone(), deadline) => opened,
        _ = stopping.changed() => return,
    };
    match opened {
        Some(Opened::Plain(stream)) => redirect_to_https(stream, clock, stop).await,
        Some(Opened::Tls(stream)) => {
            let info = ConnectionInfo { peer, tls: true };
            serve_router(*stream, info, router, clock, stop).await;
        }
        None => {}
    }
}

/// A connection to the TLS port, told apart by its first byte.
enum Opened {
    /// Plain HTTP, to be redirected.
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

/// Reads the first byte and, for TLS, completes the handshake by `deadline`; `None` if
/// the client closed, was too slow, or failed the handshake.
async fn open(
    stream: TcpStream,
    tls: Arc<rustls::ServerConfig>,
    deadline: tokio::time::Instant,
) -> Option<Opened> {
    let peer = stream.peer_addr().ok();
    let mut first = [0u8; 1];
    match tokio::time::timeout_at(deadline, stream.peek(&mut first)).await {
        Ok(Ok(1..)) => {}
        _ => return None,
    }
    if first[0] != 0x16 {
        return Some(Opened::Plain(stream));
    }
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    match tokio::time::timeout_at(deadline, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => Some(Opened::Tls(Box::new(stream))),
        Ok(Err(e)) => {
            tracing::debug!(?peer, error = %e, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!(?peer, "TLS handshake timed out");
            None
        }
    }
}

/// Serves the router on one connection.
async fn serve_router<I>(
    io: I,
    info: ConnectionInfo,
    router: Router,
    clock: Arc<ConnClock>,
    stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let requests = clock.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let in_flight = requests.request_started();
        req.extensions_mut().insert(info);
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(info.peer));
        let router = router.clone();
        async move {
            let response = router.oneshot(req).await;
            drop(in_flight);
            response
        }
    });
    drive(io, service, clock, stop).await;
}

/// Answers plain HTTP on the TLS port with a redirect to the same address over HTTPS.
async fn redirect_to_https(stream: TcpStream, clock: Arc<ConnClock>, stop: watch::Receiver<bool>) {
    let local = stream.local_addr().ok();
    let requests = clock.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let _in_flight = requests.request_started();
        std::future::ready(Ok::<_, Infallible>(https_redirect(&req, local)))
    });
    drive(stream, service, clock, stop).await;
}

/// The redirect for one plain-HTTP request: the host the client asked for (its port is
/// this listener's, which serves HTTPS), the same path and query.
fn https_redirect<B>(req: &Request<B>, local: Option<SocketAddr>) -> Response<Body> {
    // Only a well-formed host is echoed back into `Location`.
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .map(str::to_owned)
        .or_else(|| local.map(|a| a.to_string()));
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let location = host.and_then(|h| HeaderValue::from_str(&format!("https://{h}{path}")).ok());
    let Some(location) = location else {
        let mut r = Response::new(Body::from("this server speaks HTTPS only\n"));
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return r;
    };
    // 301 for reads, 308 for anything else so that a form post keeps its method.
    let status = if req.method() == "GET" || req.method() == "HEAD" {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r.headers_mut().insert(header::LOCATION, location);
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// Runs hyper's HTTP/1 server on one connection until it ends, its clock runs out, or the
/// server stops (then a request being answered is finished first; a connection waiting
/// for a request is closed at once).
async fn drive<I, S>(io: I, service: S, clock: Arc<ConnClock>, mut stop: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::HttpService<Incoming, ResBody = Body>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let io = TokioIo::new(Tracked {
        io,
        clock: clock.clone(),
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            () = clock.expired() => {
                // Nothing is in flight: dropping the connection closes it.
                tracing::debug!("closing a connection that is too slow or idle");
                return;
            }
            _ = stop.changed(), if !stopping => {
                // hyper's graceful shutdown waits for a head that has begun (or not yet
                // begun) to arrive; only a request being answered is worth waiting for.
                if !clock.answering() {
                    return;
                }
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}
