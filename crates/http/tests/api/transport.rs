//! The transport: slow and idle connections are closed, a stalled body is answered 408,
//! HTTPS serves the configured certificate with HSTS, plain HTTP on the HTTPS port is
//! redirected, and forwarding headers are believed only from trusted proxies.
//!
//! Timeouts are set short here (1 s) so that the tests end quickly; each waits with a
//! generous limit of its own only so that a regression fails instead of hanging, and
//! asserts what the client sees (a closed socket, a status), never how long it took.

use std::time::Duration;

use hawkari_http::{HttpConfig, ServeConfig, TlsIdentity, TrustedProxies};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, spawn_app_serving, spawn_app_with};

/// Longest any test here waits for the server to act before failing.
const PATIENCE: Duration = Duration::from_secs(20);

fn short(header: u64, idle: u64) -> ServeConfig {
    ServeConfig {
        header_read_timeout: Duration::from_secs(header),
        idle_timeout: Duration::from_secs(idle),
        tls: None,
    }
}

/// Reads until the server closes the connection; what it sent before that.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the server kept the connection open; it sent {:?}",
        String::from_utf8_lossy(&got)
    );
    String::from_utf8_lossy(&got).into_owned()
}

/// Reads one response with a `Content-Length`, leaving the connection open.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(PATIENCE, async {
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the server closed the connection mid-response");
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got);
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                if got.len() >= end + 4 + length {
                    return;
                }
            }
        }
    })
    .await
    .expect("a whole response");
    String::from_utf8_lossy(&got).into_owned()
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.addr).await.unwrap()
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_line_is_disconnected() {
    let app = spawn_app_serving(HttpConfig::default(), short(1, 60)).await;
    let mut stream = connect(&app).await;
    stream.write_all(b"GET /healthz HT").await.unwrap();
    let sent = read_until_closed(&mut stream).await;
    assert_eq!(sent, "", "closed without an answer");
}

#[tokio::test]
async fn a_client_that_stops_in_its_headers_is_disconnected() {
    let app = spawn_app_serving(HttpConfig::default(), short(1, 60)).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    read_until_closed(&mut stream).await;
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_disconnected() {
    let app = spawn_app_serving(HttpConfig::default(), short(1, 60)).await;
    let mut stream = connect(&app).await;
    read_until_closed(&mut stream).await;
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_answered_408_in_the_error_shape() {
    let config = HttpConfig {
        body_read_timeout: Duration::from_secs(1),
        ..HttpConfig::default()
    };
    let app = spawn_app_serving(config, short(10, 60)).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"usernam",
        )
        .await
        .unwrap();
    // The answer comes, and then the connection closes: the rest of the body is not awaited.
    let response = read_until_closed(&mut stream).await;
    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(body["error"], "request_timeout");
    assert!(body["message"].as_str().unwrap().contains("body"), "{body}");
}

#[tokio::test]
async fn a_body_sent_in_time_is_read_whole() {
    let config = HttpConfig {
        body_read_timeout: Duration::from_secs(1),
        ..HttpConfig::default()
    };
    let app = spawn_app_with(config).await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "nobody", "password": "wrong-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_idle_time() {
    // The header timeout is long: it is the idle timeout that closes this one.
    let app = spawn_app_serving(HttpConfig::default(), short(60, 1)).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let first = read_response(&mut stream).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let after = read_until_closed(&mut stream).await;
    assert_eq!(after, "", "closed without another answer");
}

#[tokio::test]
async fn a_keep_alive_connection_serves_one_request_after_another() {
    let app = spawn_app_serving(HttpConfig::default(), short(5, 5)).await;
    let mut stream = connect(&app).await;
    for _ in 0..3 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let response = read_response(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with("ok"), "{response}");
    }
}

/// An app serving HTTPS with a self-signed certificate made in a directory of its own,
/// and a client that trusts exactly that certificate.
async fn https_app() -> (TestApp, TlsIdentity, reqwest::Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let identity =
        TlsIdentity::self_signed_in(dir.path(), &["localhost".into(), "127.0.0.1".into()]).unwrap();
    let serve = ServeConfig {
        tls: Some(identity.server_config().unwrap()),
        ..ServeConfig::default()
    };
    let app = spawn_app_serving(HttpConfig::default(), serve).await;
    let pem = std::fs::read(&identity.cert_path).unwrap();
    let client = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (app, identity, client, dir)
}

#[tokio::test]
async fn https_serves_the_configured_certificate_and_asks_for_https_from_then_on() {
    let (app, identity, client, _dir) = https_app().await;
    let url = format!("https://localhost:{}/login", app.addr.port());
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
    let info = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .expect("TLS information");
    let der = info.peer_certificate().expect("a server certificate");
    let fingerprint: Vec<String> = sha2_digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(fingerprint.join(":"), identity.fingerprint());
}

fn sha2_digest(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[tokio::test]
async fn plain_http_on_the_https_port_is_redirected_to_https() {
    let (app, _identity, _client, _dir) = https_app().await;
    let port = app.addr.port();
    let mut stream = connect(&app).await;
    let request = format!("GET /login?next=%2F HTTP/1.1\r\nHost: hawkari.test:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = read_until_closed(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 301"), "{response}");
    let location = format!("\r\nlocation: https://hawkari.test:{port}/login?next=%2F\r\n");
    assert!(
        response
            .to_ascii_lowercase()
            .contains(&location.to_ascii_lowercase()),
        "{response}"
    );
}

#[tokio::test]
async fn a_plain_http_response_carries_no_hsts() {
    let app = spawn_app_with(HttpConfig::default()).await;
    let response = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

#[tokio::test]
async fn x_forwarded_proto_is_ignored_from_an_untrusted_peer() {
    let proxies = TrustedProxies::new(vec!["192.0.2.10".parse().unwrap()]);
    let app = spawn_app_with(HttpConfig {
        trusted_proxies: proxies,
        ..HttpConfig::default()
    })
    .await;
    for (name, value) in [
        ("x-forwarded-proto", "https"),
        ("forwarded", "for=192.0.2.1;proto=https"),
    ] {
        let response = app
            .client
            .get(app.url("/login"))
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{name} from 127.0.0.1, which is not a trusted proxy, was believed"
        );
    }
}

#[tokio::test]
async fn x_forwarded_proto_from_a_trusted_proxy_is_believed() {
    let proxies = TrustedProxies::new(vec!["127.0.0.0/8".parse().unwrap()]);
    let app = spawn_app_with(HttpConfig {
        trusted_proxies: proxies,
        ..HttpConfig::default()
    })
    .await;
    let response = app
        .client
        .get(app.url("/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_some()
    );
    let plain = app.client.get(app.url("/login")).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn stopping_the_server_does_not_wait_for_slow_or_idle_clients() {
    for tls in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let (store, _db) = crate::helpers::test_store(dir.path(), None).await;
        let router = hawkari_http::router(hawkari_app::App::new(store), &HttpConfig::default());
        let identity = TlsIdentity::self_signed_in(dir.path(), &["localhost".into()]).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        // Long timeouts: only the shutdown can end these connections within the test.
        let serve = ServeConfig {
            tls: tls.then(|| identity.server_config().unwrap()),
            ..short(600, 600)
        };
        let shutdown = async {
            let _ = stopped.await;
        };
        let server = tokio::spawn(hawkari_http::serve_with(listener, router, shutdown, serve));
        // One connection that has sent nothing (over TLS: not even a handshake) …
        let silent = TcpStream::connect(addr).await.unwrap();
        let mut slow = TcpStream::connect(addr).await.unwrap();
        if !tls {
            // … one idle after a request, and one half-way through its head.
            let mut idle = TcpStream::connect(addr).await.unwrap();
            idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .await
                .unwrap();
            let response = read_response(&mut idle).await;
            assert!(response.starts_with("HTTP/1.1 200"), "{response}");
            slow.write_all(b"GET /healthz HT").await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        let ended = tokio::time::timeout(PATIENCE, server).await;
        assert!(
            matches!(ended, Ok(Ok(Ok(())))),
            "the server (tls: {tls}) did not stop: {ended:?}"
        );
        drop((silent, slow));
    }
}
