//! Hawkari HTTP: the JSON API under `/api/v1` and its OpenAPI document.
//!
//! [`router`] builds the whole service over an [`App`]; [`serve`] runs it on a listener the
//! caller bound (tests bind port 0) until the shutdown future completes; [`serve_with`]
//! adds TLS and the connection timeouts ([`ServeConfig`]).
#![forbid(unsafe_code)]

pub mod api;
mod download;
mod error;
mod extract;
pub mod mail;
mod openapi;
pub mod transport;
pub mod web;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use hawkari_app::App;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use openapi::openapi_document;
pub use transport::tls::{TlsError, TlsIdentity};
pub use transport::{
    ConnectionInfo, IpNet, Scheme, ServeConfig, TrustedProxies, serve, serve_with,
};

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// Largest file the web's incident import accepts; a larger one is refused (413)
    /// with the limit named.
    pub max_import_bytes: usize,
    /// How long a request may run before it is answered 503.
    pub request_timeout: Duration,
    /// How long a client has, from the end of its request head, to send the whole body
    /// before it is answered 408. Keep it at most `request_timeout`.
    pub body_read_timeout: Duration,
    /// Reverse proxies whose `X-Forwarded-Proto` / `Forwarded` headers are believed.
    pub trusted_proxies: TrustedProxies,
    pub map: MapSettings,
}

/// What the map page draws besides Hawkari's own layers.
#[derive(Debug, Clone, Default)]
pub struct MapSettings {
    /// A raster tile server (`https://…/{z}/{x}/{y}.png`); none by default.
    pub tile_url: Option<String>,
    pub tile_attribution: Option<String>,
}

impl MapSettings {
    /// The tile server's origin (`https://tiles.example`), for the Content-Security-Policy.
    pub fn tile_origin(&self) -> Option<&str> {
        let url = self.tile_url.as_deref()?;
        let after = url.find("://")? + 3;
        let end = url[after..].find('/').map_or(url.len(), |i| after + i);
        Some(&url[..end])
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_import_bytes: 32 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(30),
            trusted_proxies: TrustedProxies::default(),
            map: MapSettings::default(),
        }
    }
}

/// The whole HTTP service.
pub fn router(app: App, config: &HttpConfig) -> Router {
    let router = Router::new()
        .merge(api::routes())
        .merge(web::routes().layer(axum::Extension(config.map.clone())))
        .merge(web::import_routes(config.max_import_bytes))
        .merge(web::intake_routes())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .with_state(app)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(panic_layer())
        .layer(axum::middleware::from_fn(error::error_bodies))
        // Outside the request timeout, so that its deadline starts first (see body.rs).
        .layer(axum::middleware::from_fn_with_state(
            config.body_read_timeout,
            transport::body_deadline,
        ));
    with_security_headers(router, config.map.tile_origin())
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            transport::scheme_layer,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// A handler that panics answers 500 (given the usual error body by `error_bodies`)
/// instead of dropping the connection, and says nothing of the panic: its message may
/// hold what the request sent or what the server read. The panic is logged.
fn panic_layer() -> tower_http::catch_panic::CatchPanicLayer<
    fn(Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response,
> {
    fn answer(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
        tracing::error!("a request handler panicked (see the panic message above)");
        axum::response::IntoResponse::into_response(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
    tower_http::catch_panic::CatchPanicLayer::custom(answer as fn(_) -> _)
}

/// Headers every response carries: no framing, no content sniffing, no referrer, and a
/// Content-Security-Policy that allows only this origin's own scripts (no inline ones).
/// A configured map tile server's origin is allowed as an image source.
fn with_security_headers(router: Router, tile_origin: Option<&str>) -> Router {
    use axum::http::{HeaderName, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;
    let set = |name: &'static str, value: HeaderValue| {
        SetResponseHeaderLayer::overriding(HeaderName::from_static(name), value)
    };
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{}; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        tile_origin.map(|o| format!(" {o}")).unwrap_or_default()
    );
    let csp = HeaderValue::from_str(&csp)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"));
    router
        .layer(set("content-security-policy", csp))
        .layer(set(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        ))
        .layer(set(
            "referrer-policy",
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(set("x-frame-options", HeaderValue::from_static("DENY")))
}

#[cfg(test)]
mod panic_tests {
    use tower::ServiceExt;

    /// A panicking handler answers 500 without the panic's message, and the service goes
    /// on answering.
    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_says_nothing_of_the_panic() {
        let router = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    let secret = "Kestrel";
                    if !secret.is_empty() {
                        panic!("slicing {secret}");
                    }
                    "never"
                }),
            )
            .layer(super::panic_layer());
        let get = |path: &str| {
            axum::http::Request::builder()
                .uri(path)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let r = router.clone().oneshot(get("/boom")).await.unwrap();
        assert_eq!(r.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("Kestrel"));
        let r = router.oneshot(get("/boom")).await.unwrap();
        assert_eq!(r.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    }
}
