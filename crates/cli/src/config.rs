//! Configuration: defaults, then a TOML file, then `HAWKARI_SECTION__KEY` environment
//! variables, then command-line flags — each later source wins.

mod mail;

use std::path::{Path, PathBuf};

use hawkari_http::IpNet;

use anyhow::{Context, bail};
use serde::Deserialize;

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub server: Server,
    pub database: Database,
    pub auth: Auth,
    pub map: Map,
    /// Unset, this is the single server it always was.
    pub federation: Option<hawkari_app::federation::Settings>,
    /// The SMTP server notices are mailed through; unset, nothing is mailed.
    pub mail: Option<hawkari_http::mail::MailSettings>,
}

/// The map page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map {
    /// A raster tile server (`https://…/{z}/{x}/{y}.png`) drawn under the boundaries;
    /// unset, the map needs no tile server (boundaries, areas and incidents only).
    pub tile_url: Option<String>,
    /// The attribution the tile server asks for.
    pub tile_attribution: Option<String>,
}

/// A tile URL must be http(s) and name the tile by {z}, {x} and {y}.
fn check_tile_url(key: &str, url: &str) -> anyhow::Result<()> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let parts_ok = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
    if !(scheme_ok && parts_ok) {
        bail!("{key}: `{url}` is not a tile URL like https://tiles.example/{{z}}/{{x}}/{{y}}.png");
    }
    Ok(())
}

/// Where the authorisation policies come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Auth {
    /// A Cedar policy file to use instead of the shipped one.
    pub policy_file: Option<std::path::PathBuf>,
    /// The Cedar schema the policies are validated against (default: the shipped one).
    pub schema_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub bind: String,
    pub max_body_bytes: usize,
    /// Largest file the web's incident import accepts, in bytes.
    pub max_import_bytes: usize,
    pub request_timeout_secs: u64,
    /// Seconds a connection has to send a whole request head.
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send a whole request body once its head is in.
    pub body_read_timeout_secs: u64,
    /// Seconds a keep-alive connection may wait for its next request.
    pub idle_timeout_secs: u64,
    pub tls: TlsMode,
    /// A PEM certificate chain and its key; unset, a self-signed certificate is used.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Where the self-signed certificate is kept; unset, beside the SQLite database (or
    /// in the working directory, with PostgreSQL).
    pub tls_dir: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-Proto` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
}

/// Whether Hawkari speaks HTTPS itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// HTTPS, and plain HTTP on the same port redirected to it.
    On,
    /// Plain HTTP: on localhost, or behind a reverse proxy that terminates TLS.
    Off,
}

impl std::str::FromStr for TlsMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "on" => Ok(TlsMode::On),
            "off" => Ok(TlsMode::Off),
            other => Err(format!("`{other}` is not \"on\" or \"off\"")),
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Database {
    pub url: String,
    pub max_connections: u32,
    /// PostgreSQL: seconds a statement may run before the database cancels it.
    pub statement_timeout_secs: u64,
}

/// The URL may carry a password (PostgreSQL): never print it.
impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("url", &redact(&self.url))
            .field("max_connections", &self.max_connections)
            .field("statement_timeout_secs", &self.statement_timeout_secs)
            .finish()
    }
}

/// `scheme://user:secret@host` → `scheme://user:***@host`.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: Server {
                bind: "0.0.0.0:8080".into(),
                max_body_bytes: 1024 * 1024,
                max_import_bytes: 32 * 1024 * 1024,
                request_timeout_secs: 30,
                header_read_timeout_secs: 10,
                body_read_timeout_secs: 30,
                idle_timeout_secs: 60,
                tls: TlsMode::On,
                tls_cert: None,
                tls_key: None,
                tls_dir: None,
                trusted_proxies: Vec::new(),
            },
            database: Database {
                url: "sqlite://hawkari.db".into(),
                max_connections: 8,
                statement_timeout_secs: 30,
            },
            auth: Auth::default(),
            map: Map::default(),
            federation: None,
            mail: None,
        }
    }
}

/// What a file may set; anything absent keeps the earlier value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    server: FileServer,
    #[serde(default)]
    database: FileDatabase,
    #[serde(default)]
    auth: FileAuth,
    #[serde(default)]
    map: FileMap,
    #[serde(default)]
    federation: FileFederation,
    #[serde(default)]
    mail: mail::FileMail,
}

/// `[federation]`: the NATS server, the credentials, this instance's organisation and
/// its partners' (see [`hawkari_app::federation::Settings`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFederation {
    nats_url: Option<String>,
    organisation: Option<String>,
    partners: Option<Vec<String>>,
    user: Option<String>,
    password: Option<String>,
    creds_file: Option<PathBuf>,
    anti_entropy_secs: Option<u64>,
}

/// The federation settings as read, before they are checked together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct RawFederation {
    nats_url: Option<String>,
    organisation: Option<String>,
    partners: Option<Vec<String>>,
    user: Option<String>,
    password: Option<String>,
    creds_file: Option<PathBuf>,
    anti_entropy_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMap {
    tile_url: Option<String>,
    tile_attribution: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAuth {
    policy_file: Option<std::path::PathBuf>,
    schema_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServer {
    bind: Option<String>,
    max_body_bytes: Option<usize>,
    max_import_bytes: Option<usize>,
    request_timeout_secs: Option<u64>,
    header_read_timeout_secs: Option<u64>,
    body_read_timeout_secs: Option<u64>,
    idle_timeout_secs: Option<u64>,
    tls: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_dir: Option<PathBuf>,
    trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDatabase {
    url: Option<String>,
    max_connections: Option<u32>,
    statement_timeout_secs: Option<u64>,
}

/// The commented example that `hawkari config print-default` writes.
pub const DEFAULT_TOML: &str = r#"# Hawkari configuration. Every setting can also be given in the environment as
# HAWKARI_SECTION__KEY (e.g. HAWKARI_DATABASE__URL), which wins over this file;
# command-line flags win over both.

[server]
# Address and port to listen on: every interface, so that other machines can reach the
# web interface. "127.0.0.1:8080" keeps it to this machine.
bind = "0.0.0.0:8080"
# Largest request body accepted, in bytes; larger ones are answered 413.
max_body_bytes = 1048576
# Largest file the web's incident import (/imports) accepts, in bytes; a larger one is
# refused with its limit named.
max_import_bytes = 33554432
# Seconds a request may run before it is answered 503.
request_timeout_secs = 30
# Seconds a connection has to send a whole request head (and finish the TLS
# handshake); a slower one is closed.
header_read_timeout_secs = 10
# Seconds a client has, once its request head is in, to send the whole body; a slower
# one is answered 408. Keep it at most request_timeout_secs.
body_read_timeout_secs = 30
# Seconds a keep-alive connection may wait for its next request before it is closed.
idle_timeout_secs = 60
# "on": HTTPS on `bind`; plain HTTP to the same port is redirected to HTTPS.
# "off": plain HTTP, for this machine alone or behind a reverse proxy that
# terminates TLS (list it in trusted_proxies). Browsers keep the sign-in cookie over
# plain HTTP only for localhost.
tls = "on"
# A PEM certificate chain (leaf first) and its PEM private key. Unset, Hawkari makes a
# self-signed certificate on first start, keeps it in tls_dir as hawkari-cert.pem and
# hawkari-key.pem, and prints its SHA-256 fingerprint at every start.
# tls_cert = "/etc/hawkari/cert.pem"
# tls_key = "/etc/hawkari/key.pem"
# Where the self-signed certificate is kept; unset, beside the SQLite database file
# (the working directory with PostgreSQL).
# tls_dir = "/var/lib/hawkari"
# Addresses or networks of reverse proxies whose X-Forwarded-Proto and Forwarded
# headers are believed; the same headers from anyone else are ignored.
trusted_proxies = []

[database]
# sqlite://path/to/file.db (created if missing), or
# postgres://user:password@host:5432/database (PostgreSQL 15 with PostGIS 3).
url = "sqlite://hawkari.db"
# Connections in the pool; a request waits up to 15 s for a free one, then gets 503.
max_connections = 8
# PostgreSQL: seconds a statement may run before the database cancels it.
statement_timeout_secs = 30

[auth]
# Cedar policies deciding who may read and change what, and the schema they are
# validated against when the server starts (a policy that does not fit stops it).
# Unset: the files shipped in policies/ (built into the binary).
# policy_file = "policies/hawkari.cedar"
# schema_file = "policies/hawkari.cedarschema"

[map]
# The map needs no tile server: it draws the boundaries shipped with Hawkari. To draw
# a raster tile layer under them, name a tile server (and its attribution); the
# server's origin is then allowed in the pages' Content-Security-Policy.
# tile_url = "https://tiles.example.org/{z}/{x}/{y}.png"
# tile_attribution = "© the tile provider"

[federation]
# Partners on their own servers (README, "Federation"): this instance exchanges the
# records released between organisations with its partners' instances through a NATS
# JetStream server. Unset (the default), Hawkari is a single server and uses no NATS.
# nats_url = "nats://127.0.0.1:4222"
# This instance's home organisation (an id from the registry); the organisations below
# it are home too. Its records are sent to partners they are released to.
# organisation = "mopa"
# The home organisations of the partner instances records may be sent to.
# partners = ["cjtf-oir", "iraqi-army"]
# Credentials on the NATS server: a user and password, or a credentials file.
# user = "mopa"
# password = "…"
# creds_file = "/etc/hawkari/mopa.creds"
# How often, in seconds, to compare digests with each partner and send again what it
# lacks (also done at start and on every reconnection to NATS).
# anti_entropy_secs = 300

[mail]
# Notices (what users follow falling overdue or due soon, changing status, commented
# on) by e-mail, each user choosing each notice as it is made and/or a daily digest on
# their notification settings page. Unset (the default), notices stay in the web.
# The SMTP server, and the sender the mail comes from.
# host = "smtp.example.org"
# from = "Hawkari <hawkari@example.org>"
# "starttls" (the default; port 587), "tls" (port 465) or "none" (port 25: a relay on
# this machine or a trusted network only).
# tls = "starttls"
# port = 587
# Credentials on the SMTP server, if it asks for them.
# username = "hawkari"
# password = "…"
# Where users reach this server, for links in the mail; unset, mails carry no links.
# base_url = "https://hawkari.example.org"
"#;

impl RawFederation {
    fn apply_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        let value = value.to_owned();
        match key.trim_start_matches("HAWKARI_FEDERATION__") {
            "NATS_URL" => self.nats_url = Some(value),
            "ORGANISATION" => self.organisation = Some(value),
            // A comma-separated list; empty clears it.
            "PARTNERS" => {
                self.partners = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            "USER" => self.user = Some(value),
            "PASSWORD" => self.password = Some(value),
            "CREDS_FILE" => self.creds_file = Some(value.into()),
            "ANTI_ENTROPY_SECS" => {
                self.anti_entropy_secs =
                    Some(value.parse().map_err(|_| {
                        anyhow::anyhow!("{key}: `{value}` is not a number of seconds")
                    })?)
            }
            _ => bail!("{key}: unknown setting"),
        }
        Ok(())
    }

    /// The settings, if federation is configured: `nats_url` and `organisation` go
    /// together, and the rest needs them.
    fn settings(self) -> anyhow::Result<Option<hawkari_app::federation::Settings>> {
        use hawkari_app::federation::{Credentials, Settings};
        let org = |key: &str, s: &str| -> anyhow::Result<hawkari_core::ids::OrganisationId> {
            s.parse().map_err(|e| {
                anyhow::anyhow!("federation.{key}: `{s}` is not an organisation id: {e}")
            })
        };
        let (nats_url, organisation) = match (self.nats_url, self.organisation) {
            (Some(u), Some(o)) => (u, o),
            (None, None) => {
                if self.partners.is_some()
                    || self.user.is_some()
                    || self.password.is_some()
                    || self.creds_file.is_some()
                    || self.anti_entropy_secs.is_some()
                {
                    bail!("federation: set nats_url and organisation, or nothing in [federation]");
                }
                return Ok(None);
            }
            (Some(_), None) => bail!("federation.organisation: needed with federation.nats_url"),
            (None, Some(_)) => bail!("federation.nats_url: needed with federation.organisation"),
        };
        if !(nats_url.starts_with("nats://") || nats_url.starts_with("tls://")) {
            bail!("federation.nats_url: `{nats_url}` is not a URL like nats://host:4222");
        }
        let credentials = match (self.user, self.password, self.creds_file) {
            (None, None, None) => Credentials::None,
            (Some(user), Some(password), None) => Credentials::UserPassword { user, password },
            (None, None, Some(path)) => Credentials::CredsFile(path),
            (_, _, Some(_)) => {
                bail!(
                    "federation.creds_file: give a credentials file or a user and password, not both"
                )
            }
            (Some(_), None, None) => bail!("federation.password: needed with federation.user"),
            (None, Some(_), None) => bail!("federation.user: needed with federation.password"),
        };
        let organisation = org("organisation", &organisation)?;
        let partners = self
            .partners
            .unwrap_or_default()
            .iter()
            .map(|p| org("partners", p))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if partners.contains(&organisation) {
            bail!("federation.partners: `{organisation}` is this instance's own organisation");
        }
        let anti_entropy_every = match self.anti_entropy_secs {
            None => hawkari_app::federation::ANTI_ENTROPY_EVERY,
            Some(0) => bail!("federation.anti_entropy_secs: give a number of seconds above 0"),
            Some(s) => std::time::Duration::from_secs(s),
        };
        Ok(Some(Settings {
            nats_url,
            credentials,
            organisation,
            partners,
            anti_entropy_every,
        }))
    }
}

impl Config {
    /// The authorisation policies in force, validated against their schema.
    pub fn authorizer(&self) -> anyhow::Result<hawkari_app::Authorizer> {
        let read = |path: &Option<std::path::PathBuf>, shipped: &str| -> anyhow::Result<String> {
            match path {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display())),
                None => Ok(shipped.to_owned()),
            }
        };
        let policies = read(&self.auth.policy_file, hawkari_app::authz::POLICIES)?;
        let schema = read(&self.auth.schema_file, hawkari_app::authz::SCHEMA)?;
        hawkari_app::Authorizer::load(&policies, &schema).map_err(anyhow::Error::msg)
    }

    /// Defaults, then `file` (if given), then the environment.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Self> {
        let mut config = Config::default();
        let mut federation = RawFederation::default();
        let mut mail = mail::RawMail::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read config file {}", path.display()))?;
            let mut f: FileConfig =
                toml::from_str(&text).with_context(|| format!("config file {}", path.display()))?;
            let ff = std::mem::take(&mut f.federation);
            mail = std::mem::take(&mut f.mail).into();
            federation = RawFederation {
                nats_url: ff.nats_url,
                organisation: ff.organisation,
                partners: ff.partners,
                user: ff.user,
                password: ff.password,
                creds_file: ff.creds_file,
                anti_entropy_secs: ff.anti_entropy_secs,
            };
            config
                .apply_file(f)
                .with_context(|| format!("config file {}", path.display()))?;
            if let Some(url) = &config.map.tile_url {
                check_tile_url("map.tile_url", url)?;
            }
        }
        for (key, value) in env {
            if key.starts_with("HAWKARI_FEDERATION__") {
                federation.apply_env(&key, &value)?;
            } else if key.starts_with("HAWKARI_MAIL__") {
                mail.apply_env(&key, &value)?;
            } else {
                config.apply_env(&key, &value)?;
            }
        }
        config.federation = federation.settings()?;
        config.mail = mail.settings()?;
        config.check()?;
        Ok(config)
    }

    fn apply_file(&mut self, f: FileConfig) -> anyhow::Result<()> {
        let s = &mut self.server;
        s.bind = f.server.bind.unwrap_or(std::mem::take(&mut s.bind));
        s.max_body_bytes = f.server.max_body_bytes.unwrap_or(s.max_body_bytes);
        s.max_import_bytes = f.server.max_import_bytes.unwrap_or(s.max_import_bytes);
        s.request_timeout_secs = f
            .server
            .request_timeout_secs
            .unwrap_or(s.request_timeout_secs);
        s.header_read_timeout_secs = f
            .server
            .header_read_timeout_secs
            .unwrap_or(s.header_read_timeout_secs);
        s.body_read_timeout_secs = f
            .server
            .body_read_timeout_secs
            .unwrap_or(s.body_read_timeout_secs);
        s.idle_timeout_secs = f.server.idle_timeout_secs.unwrap_or(s.idle_timeout_secs);
        if let Some(tls) = f.server.tls {
            s.tls = tls
                .parse()
                .map_err(|e| anyhow::anyhow!("server.tls: {e}"))?;
        }
        if f.server.tls_cert.is_some() {
            s.tls_cert = f.server.tls_cert;
        }
        if f.server.tls_key.is_some() {
            s.tls_key = f.server.tls_key;
        }
        if f.server.tls_dir.is_some() {
            s.tls_dir = f.server.tls_dir;
        }
        if let Some(proxies) = f.server.trusted_proxies {
            s.trusted_proxies = proxies
                .iter()
                .map(|p| p.parse::<IpNet>())
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow::anyhow!("server.trusted_proxies: {e}"))?;
        }
        let d = &mut self.database;
        d.url = f.database.url.unwrap_or(std::mem::take(&mut d.url));
        d.max_connections = f.database.max_connections.unwrap_or(d.max_connections);
        d.statement_timeout_secs = f
            .database
            .statement_timeout_secs
            .unwrap_or(d.statement_timeout_secs);
        if f.auth.policy_file.is_some() {
            self.auth.policy_file = f.auth.policy_file;
        }
        if f.auth.schema_file.is_some() {
            self.auth.schema_file = f.auth.schema_file;
        }
        if f.map.tile_url.is_some() {
            self.map.tile_url = f.map.tile_url;
        }
        if f.map.tile_attribution.is_some() {
            self.map.tile_attribution = f.map.tile_attribution;
        }
        Ok(())
    }

    /// Where the self-signed certificate is kept: `tls_dir`, or the SQLite database's
    /// directory, or (PostgreSQL) the working directory.
    pub fn tls_dir(&self) -> PathBuf {
        if let Some(dir) = &self.server.tls_dir {
            return dir.clone();
        }
        let url = &self.database.url;
        let file = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|f| !f.is_empty() && !f.starts_with(":memory:"));
        match file.and_then(|f| Path::new(f).parent()) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        }
    }

    /// Settings that are wrong only together.
    fn check(&self) -> anyhow::Result<()> {
        let s = &self.server;
        if s.tls_cert.is_some() != s.tls_key.is_some() {
            bail!("server.tls_cert and server.tls_key go together: set both or neither");
        }
        for (key, secs) in [
            (
                "server.header_read_timeout_secs",
                s.header_read_timeout_secs,
            ),
            ("server.body_read_timeout_secs", s.body_read_timeout_secs),
            ("server.idle_timeout_secs", s.idle_timeout_secs),
        ] {
            if secs == 0 {
                bail!("{key}: must be at least 1 second");
            }
        }
        Ok(())
    }

    fn apply_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        let Some(name) = key.strip_prefix("HAWKARI_") else {
            return Ok(());
        };
        fn number<T: std::str::FromStr>(key: &str, v: &str) -> anyhow::Result<T> {
            v.parse::<T>()
                .map_err(|_| anyhow::anyhow!("{key}: `{v}` is not a whole number in range"))
        }
        match name {
            "SERVER__BIND" => self.server.bind = value.to_owned(),
            "SERVER__MAX_BODY_BYTES" => self.server.max_body_bytes = number(key, value)?,
            "SERVER__MAX_IMPORT_BYTES" => self.server.max_import_bytes = number(key, value)?,
            "SERVER__REQUEST_TIMEOUT_SECS" => {
                self.server.request_timeout_secs = number(key, value)?
            }
            "SERVER__HEADER_READ_TIMEOUT_SECS" => {
                self.server.header_read_timeout_secs = number(key, value)?
            }
            "SERVER__BODY_READ_TIMEOUT_SECS" => {
                self.server.body_read_timeout_secs = number(key, value)?
            }
            "SERVER__IDLE_TIMEOUT_SECS" => self.server.idle_timeout_secs = number(key, value)?,
            "SERVER__TLS" => {
                self.server.tls = value.parse().map_err(|e| anyhow::anyhow!("{key}: {e}"))?
            }
            "SERVER__TLS_CERT" => self.server.tls_cert = Some(value.into()),
            "SERVER__TLS_KEY" => self.server.tls_key = Some(value.into()),
            "SERVER__TLS_DIR" => self.server.tls_dir = Some(value.into()),
            // A comma-separated list; empty clears it.
            "SERVER__TRUSTED_PROXIES" => {
                self.server.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| p.parse::<IpNet>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| anyhow::anyhow!("{key}: {e}"))?
            }
            "DATABASE__URL" => self.database.url = value.to_owned(),
            "AUTH__POLICY_FILE" => self.auth.policy_file = Some(value.into()),
            "AUTH__SCHEMA_FILE" => self.auth.schema_file = Some(value.into()),
            "MAP__TILE_URL" => {
                check_tile_url(key, value)?;
                self.map.tile_url = Some(value.to_owned());
            }
            "MAP__TILE_ATTRIBUTION" => self.map.tile_attribution = Some(value.to_owned()),
            "DATABASE__MAX_CONNECTIONS" => self.database.max_connections = number(key, value)?,
            "DATABASE__STATEMENT_TIMEOUT_SECS" => {
                self.database.statement_timeout_secs = number(key, value)?
            }
            "LOG" => {}
            other if other.contains("__") => bail!("{key}: unknown setting"),
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_environment_wins_over_the_file_which_wins_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hawkari.toml");
        std::fs::write(&path, "[server]\nbind = \"0.0.0.0:9000\"\nmax_body_bytes = 10\n[database]\nurl = \"sqlite://file.db\"\n").unwrap();
        let c = Config::load(
            Some(&path),
            env(&[("HAWKARI_DATABASE__URL", "sqlite://env.db")]),
        )
        .unwrap();
        assert_eq!(c.server.bind, "0.0.0.0:9000", "file over default");
        assert_eq!(c.server.max_body_bytes, 10);
        assert_eq!(c.database.url, "sqlite://env.db", "environment over file");
        assert_eq!(c.database.max_connections, 8, "default kept");
    }

    #[test]
    fn the_printed_default_parses_to_the_defaults() {
        let f: FileConfig = toml::from_str(DEFAULT_TOML).unwrap();
        let mut c = Config::default();
        c.apply_file(f).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn the_printed_default_names_every_server_setting() {
        for key in [
            "bind",
            "max_body_bytes",
            "request_timeout_secs",
            "header_read_timeout_secs",
            "body_read_timeout_secs",
            "idle_timeout_secs",
            "tls",
            "tls_cert",
            "tls_key",
            "tls_dir",
            "trusted_proxies",
        ] {
            let set = DEFAULT_TOML.contains(&format!("\n{key} = "));
            let commented = DEFAULT_TOML.contains(&format!("\n# {key} = "));
            assert!(set || commented, "{key} is not in the printed default");
        }
    }

    #[test]
    fn transport_settings_come_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hawkari.toml");
        std::fs::write(
            &path,
            "[server]\ntls = \"off\"\nheader_read_timeout_secs = 5\nidle_timeout_secs = 20\n\
             trusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n",
        )
        .unwrap();
        let c = Config::load(
            Some(&path),
            env(&[
                ("HAWKARI_SERVER__IDLE_TIMEOUT_SECS", "90"),
                ("HAWKARI_SERVER__BODY_READ_TIMEOUT_SECS", "15"),
            ]),
        )
        .unwrap();
        assert_eq!(c.server.tls, TlsMode::Off);
        assert_eq!(c.server.header_read_timeout_secs, 5, "file over default");
        assert_eq!(c.server.idle_timeout_secs, 90, "environment over file");
        assert_eq!(c.server.body_read_timeout_secs, 15);
        assert_eq!(c.server.trusted_proxies.len(), 2);

        let c = Config::load(
            None,
            env(&[
                ("HAWKARI_SERVER__TLS_CERT", "/etc/hawkari/cert.pem"),
                ("HAWKARI_SERVER__TLS_KEY", "/etc/hawkari/key.pem"),
                ("HAWKARI_SERVER__TRUSTED_PROXIES", "192.0.2.1, 192.0.2.2"),
            ]),
        )
        .unwrap();
        assert_eq!(c.server.tls, TlsMode::On, "default");
        assert_eq!(
            c.server.tls_key.as_deref(),
            Some(Path::new("/etc/hawkari/key.pem"))
        );
        assert_eq!(c.server.trusted_proxies.len(), 2);
    }

    #[test]
    fn the_self_signed_certificate_is_kept_beside_the_sqlite_database() {
        let mut c = Config::default();
        assert_eq!(c.tls_dir(), PathBuf::from("."));
        c.database.url = "sqlite:///var/lib/hawkari/hawkari.db?mode=rwc".into();
        assert_eq!(c.tls_dir(), PathBuf::from("/var/lib/hawkari"));
        c.database.url = "postgres://db/hawkari".into();
        assert_eq!(c.tls_dir(), PathBuf::from("."));
        c.server.tls_dir = Some("/etc/hawkari".into());
        assert_eq!(c.tls_dir(), PathBuf::from("/etc/hawkari"));
    }

    #[test]
    fn bad_transport_settings_are_errors_naming_the_key() {
        let e = Config::load(None, env(&[("HAWKARI_SERVER__TLS", "yes")])).unwrap_err();
        assert!(e.to_string().contains("HAWKARI_SERVER__TLS"), "{e}");
        let e = Config::load(
            None,
            env(&[("HAWKARI_SERVER__TRUSTED_PROXIES", "proxy.lan")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("proxy.lan"), "{e}");
        let e = Config::load(None, env(&[("HAWKARI_SERVER__TLS_CERT", "cert.pem")])).unwrap_err();
        assert!(e.to_string().contains("tls_key"), "{e}");
        let e = Config::load(
            None,
            env(&[("HAWKARI_SERVER__HEADER_READ_TIMEOUT_SECS", "0")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("header_read_timeout_secs"), "{e}");
    }

    #[test]
    fn a_tile_url_must_name_the_tile() {
        let e = Config::load(
            None,
            env(&[("HAWKARI_MAP__TILE_URL", "https://tiles.example/a.png")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("HAWKARI_MAP__TILE_URL"), "{e}");
        let c = Config::load(
            None,
            env(&[(
                "HAWKARI_MAP__TILE_URL",
                "https://tiles.example/{z}/{x}/{y}.png",
            )]),
        )
        .unwrap();
        assert_eq!(
            c.map.tile_url.as_deref(),
            Some("https://tiles.example/{z}/{x}/{y}.png")
        );
    }

    #[test]
    fn unknown_settings_and_bad_numbers_are_errors_naming_the_key() {
        let e = Config::load(None, env(&[("HAWKARI_SERVER__PORT", "1")])).unwrap_err();
        assert!(e.to_string().contains("HAWKARI_SERVER__PORT"), "{e}");
        let e =
            Config::load(None, env(&[("HAWKARI_DATABASE__MAX_CONNECTIONS", "many")])).unwrap_err();
        assert!(e.to_string().contains("not a whole number"), "{e}");
    }

    #[test]
    fn federation_is_off_unless_configured_and_comes_from_the_file_and_the_environment() {
        assert_eq!(Config::load(None, env(&[])).unwrap().federation, None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hawkari.toml");
        std::fs::write(
            &path,
            "[federation]\nnats_url = \"nats://nats.lan:4222\"\norganisation = \"mopa\"\n\
             partners = [\"cjtf-oir\"]\nuser = \"mopa\"\npassword = \"s3cret\"\n",
        )
        .unwrap();
        let c = Config::load(
            Some(&path),
            env(&[
                ("HAWKARI_FEDERATION__NATS_URL", "nats://127.0.0.1:4222"),
                ("HAWKARI_FEDERATION__PARTNERS", "cjtf-oir, iraqi-army"),
            ]),
        )
        .unwrap();
        let f = c.federation.unwrap();
        assert_eq!(f.nats_url, "nats://127.0.0.1:4222", "environment over file");
        assert_eq!(f.organisation.as_str(), "mopa");
        assert_eq!(f.partners.len(), 2);
        assert_eq!(
            f.anti_entropy_every,
            hawkari_app::federation::ANTI_ENTROPY_EVERY
        );
        let shown = format!("{f:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        let c = Config::load(
            None,
            env(&[
                ("HAWKARI_FEDERATION__NATS_URL", "nats://127.0.0.1:4222"),
                ("HAWKARI_FEDERATION__ORGANISATION", "cjtf-oir"),
                ("HAWKARI_FEDERATION__ANTI_ENTROPY_SECS", "60"),
            ]),
        )
        .unwrap();
        let f = c.federation.unwrap();
        assert_eq!(f.organisation.as_str(), "cjtf-oir");
        assert_eq!(f.anti_entropy_every, std::time::Duration::from_secs(60));
    }

    #[test]
    fn incomplete_federation_settings_are_errors_naming_the_key() {
        for (pairs, key) in [
            (
                vec![("HAWKARI_FEDERATION__NATS_URL", "nats://h:4222")],
                "federation.organisation",
            ),
            (
                vec![("HAWKARI_FEDERATION__ORGANISATION", "mopa")],
                "federation.nats_url",
            ),
            (
                vec![
                    ("HAWKARI_FEDERATION__NATS_URL", "http://h"),
                    ("HAWKARI_FEDERATION__ORGANISATION", "mopa"),
                ],
                "federation.nats_url",
            ),
            (
                vec![
                    ("HAWKARI_FEDERATION__NATS_URL", "nats://h:4222"),
                    ("HAWKARI_FEDERATION__ORGANISATION", "MoPA!"),
                ],
                "federation.organisation",
            ),
            (
                vec![
                    ("HAWKARI_FEDERATION__NATS_URL", "nats://h:4222"),
                    ("HAWKARI_FEDERATION__ORGANISATION", "mopa"),
                    ("HAWKARI_FEDERATION__USER", "mopa"),
                ],
                "federation.password",
            ),
            (
                vec![("HAWKARI_FEDERATION__PORT", "1")],
                "HAWKARI_FEDERATION__PORT",
            ),
            (
                vec![
                    ("HAWKARI_FEDERATION__NATS_URL", "nats://h:4222"),
                    ("HAWKARI_FEDERATION__ORGANISATION", "mopa"),
                    ("HAWKARI_FEDERATION__ANTI_ENTROPY_SECS", "0"),
                ],
                "federation.anti_entropy_secs",
            ),
            (
                vec![("HAWKARI_FEDERATION__ANTI_ENTROPY_SECS", "soon")],
                "HAWKARI_FEDERATION__ANTI_ENTROPY_SECS",
            ),
        ] {
            let e = Config::load(None, env(&pairs)).unwrap_err();
            assert!(e.to_string().contains(key), "{key}: {e}");
        }
    }

    #[test]
    fn passwords_in_database_urls_are_not_printed() {
        let d = Database {
            url: "postgres://hawkari:s3cret@db/hawkari".into(),
            max_connections: 1,
            statement_timeout_secs: 30,
        };
        let shown = format!("{d:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("hawkari:***@db"), "{shown}");
    }
}
