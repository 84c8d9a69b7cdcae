//! Which scheme the client used: our own TLS listener says so itself; behind a reverse
//! proxy that terminates TLS, only the proxy's word (`X-Forwarded-Proto` or `Forwarded:
//! proto=`) tells, and it is believed only from the addresses in `trusted_proxies` —
//! anyone else could send the same header. HTTPS responses carry
//! `Strict-Transport-Security`, so a browser that has once reached Hawkari over HTTPS never
//! again sends a request (or the session cookie) to it in the clear.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// One year, as the HSTS preload list asks; no `includeSubDomains`, since Hawkari does
/// not know what else runs under its name.
const HSTS: &str = "max-age=31536000";

/// What the transport knows of a request's connection; every request served by
/// [`crate::serve`] carries it as an extension.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionInfo {
    /// The address the connection came from (a proxy's, behind one).
    pub peer: SocketAddr,
    /// The connection is TLS on Hawkari's own listener.
    pub tls: bool,
}

/// The scheme the client used, as far as can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// The addresses and networks whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(ip))
    }
}

/// An address (`10.0.0.5`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not an IP address or network such as 10.0.0.0/8");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr = addr.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        Ok(Self { addr, prefix })
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Router middleware: works out the request's [`Scheme`] (inserted as an extension) and
/// marks HTTPS responses with HSTS.
pub(crate) async fn scheme(
    State(proxies): State<Arc<TrustedProxies>>,
    mut req: Request,
    next: Next,
) -> Response {
    let scheme = match req.extensions().get::<ConnectionInfo>() {
        Some(c) if c.tls => Scheme::Https,
        Some(c) if proxies.trusts(c.peer.ip()) => {
            forwarded_proto(req.headers()).unwrap_or(Scheme::Http)
        }
        _ => Scheme::Http,
    };
    req.extensions_mut().insert(scheme);
    let mut response = next.run(req).await;
    if scheme == Scheme::Https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// The scheme a proxy says the client used: `Forwarded: proto=` (RFC 7239) first, then
/// `X-Forwarded-Proto`. Of a list, the last entry is the one our proxy added.
fn forwarded_proto(headers: &HeaderMap) -> Option<Scheme> {
    let parse = |v: &str| match v.trim().trim_matches('"').to_ascii_lowercase().as_str() {
        "https" => Some(Scheme::Https),
        "http" => Some(Scheme::Http),
        _ => None,
    };
    if let Some(forwarded) = headers.get_all(header::FORWARDED).iter().next_back() {
        let last = forwarded.to_str().ok()?.rsplit(',').next()?;
        let proto = last.split(';').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim().eq_ignore_ascii_case("proto").then_some(v)
        });
        if let Some(p) = proto {
            return parse(p);
        }
    }
    let xfp = headers.get_all("x-forwarded-proto").iter().next_back()?;
    parse(xfp.to_str().ok()?.rsplit(',').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_contain_their_addresses_and_no_others() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        let one: IpNet = "::1".parse().unwrap();
        assert!(one.contains("::1".parse().unwrap()));
        assert!(!one.contains("127.0.0.1".parse().unwrap()));
        let all: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("192.0.2.1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("proxy.local".parse::<IpNet>().is_err());
    }

    #[test]
    fn an_ipv4_peer_seen_through_an_ipv6_socket_is_still_trusted() {
        let proxies = TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]);
        assert!(proxies.trusts("::ffff:127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn the_last_forwarded_proto_is_the_one_believed() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", "http, https".parse().unwrap());
        assert_eq!(forwarded_proto(&h), Some(Scheme::Https));
        h.insert(
            header::FORWARDED,
            "for=192.0.2.1;proto=https, for=10.0.0.1;proto=http"
                .parse()
                .unwrap(),
        );
        assert_eq!(forwarded_proto(&h), Some(Scheme::Http));
    }
}
