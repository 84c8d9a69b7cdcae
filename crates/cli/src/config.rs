//! Configuration: defaults, then a TOML file, then `HAWKARI_SECTION__KEY` environment
//! variables, then command-line flags — each later source wins.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub server: Server,
    pub database: Database,
    pub auth: Auth,
    pub map: Map,
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
    pub request_timeout_secs: u64,
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
                bind: "127.0.0.1:8080".into(),
                max_body_bytes: 1024 * 1024,
                request_timeout_secs: 30,
            },
            database: Database {
                url: "sqlite://hawkari.db".into(),
                max_connections: 8,
                statement_timeout_secs: 30,
            },
            auth: Auth::default(),
            map: Map::default(),
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
    request_timeout_secs: Option<u64>,
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
# Address and port to listen on.
bind = "127.0.0.1:8080"
# Largest request body accepted, in bytes; larger ones are answered 413.
max_body_bytes = 1048576
# Seconds a request may run before it is answered 503.
request_timeout_secs = 30

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
"#;

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
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read config file {}", path.display()))?;
            let f: FileConfig =
                toml::from_str(&text).with_context(|| format!("config file {}", path.display()))?;
            config.apply_file(f);
            if let Some(url) = &config.map.tile_url {
                check_tile_url("map.tile_url", url)?;
            }
        }
        for (key, value) in env {
            config.apply_env(&key, &value)?;
        }
        Ok(config)
    }

    fn apply_file(&mut self, f: FileConfig) {
        let s = &mut self.server;
        s.bind = f.server.bind.unwrap_or(std::mem::take(&mut s.bind));
        s.max_body_bytes = f.server.max_body_bytes.unwrap_or(s.max_body_bytes);
        s.request_timeout_secs = f
            .server
            .request_timeout_secs
            .unwrap_or(s.request_timeout_secs);
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
            "SERVER__REQUEST_TIMEOUT_SECS" => {
                self.server.request_timeout_secs = number(key, value)?
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
        c.apply_file(f);
        assert_eq!(c, Config::default());
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
