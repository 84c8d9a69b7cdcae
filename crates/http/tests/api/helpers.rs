//! `spawn_app()` and fixtures shared by the API tests.

use std::net::SocketAddr;

use std::collections::HashMap;
use std::sync::Mutex;

use hawkari_app::{App, Principal};
use hawkari_core::access::Role;
use hawkari_http::HttpConfig;
use hawkari_store::TokenScope;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub app: App,
    /// The store itself, for tests that act as an attacker with database access.
    pub db: TestDb,
    /// `Bearer …` of one org_admin per organisation, made on first use.
    tokens: Mutex<HashMap<String, String>>,
    _dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// The database under a test: SQLite in a temporary directory, or, when
/// `HAWKARI_TEST_DATABASE_URL` is set, a fresh schema of that PostgreSQL database,
/// dropped when the test ends.
pub enum TestDb {
    Sqlite(hawkari_store::sqlite::SqliteStore),
    Postgres {
        store: hawkari_store::postgres::PgStore,
        url: String,
        schema: String,
    },
}

impl TestDb {
    /// Runs raw SQL as an attacker with database access would.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), hawkari_store::StoreError> {
        match self {
            TestDb::Sqlite(s) => s.execute_raw(sql).await,
            TestDb::Postgres { store, .. } => store.execute_raw(sql).await,
        }
    }

    /// Removes the triggers that keep the audit log append-only.
    pub async fn drop_audit_guards(&self) {
        let sql = match self {
            TestDb::Sqlite(_) => {
                "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete;"
            }
            TestDb::Postgres { .. } => "DROP TRIGGER audit_log_is_append_only ON audit_log;",
        };
        self.execute_raw(sql).await.unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { url, schema, .. } = self {
            let (url, name) = (url.clone(), schema.clone());
            // The test's runtime is ending: drop the schema from a runtime of our own.
            let done = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    let settings = hawkari_store::postgres::PgSettings {
                        max_connections: 1,
                        ..Default::default()
                    };
                    let store = hawkari_store::postgres::PgStore::connect(&url, &settings).await?;
                    store.drop_schema(&name).await
                })
            })
            .join();
            if let Ok(Err(e)) = done {
                eprintln!("could not drop test schema {schema}: {e}");
            }
        }
    }
}

/// The PostgreSQL database the suite also runs against, if one is given.
pub fn postgres_url() -> Option<String> {
    std::env::var("HAWKARI_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A migrated store for one test: SQLite in `dir`, or a fresh PostgreSQL schema.
pub async fn test_store(
    dir: &std::path::Path,
    selective_cap: Option<i64>,
) -> (std::sync::Arc<dyn hawkari_store::Store>, TestDb) {
    let (store, db): (std::sync::Arc<dyn hawkari_store::Store>, TestDb) = match postgres_url() {
        Some(url) => {
            let schema = format!("hawkari_test_{}", uuid::Uuid::now_v7().simple());
            let settings = hawkari_store::postgres::PgSettings {
                max_connections: 4,
                schema: Some(schema.clone()),
                // The suite runs ~200 tests at once beside schemathesis on two cores, where
                // one write waited longer than a server's 30 s (seen once, in the
                // federation offline test: 1 000 writes a side and an anti-entropy pass
                // on one database); the cause was not found.
                statement_timeout: std::time::Duration::from_secs(180),
                ..Default::default()
            };
            let store = hawkari_store::postgres::PgStore::connect(&url, &settings)
                .await
                .unwrap();
            (
                std::sync::Arc::new(store.clone()),
                TestDb::Postgres { store, url, schema },
            )
        }
        None => {
            let url = format!("sqlite://{}", dir.join("test.db").display());
            let mut store = hawkari_store::sqlite::SqliteStore::connect(&url, 4)
                .await
                .unwrap();
            if let Some(cap) = selective_cap {
                store = store.with_selective_cap(cap);
            }
            (std::sync::Arc::new(store.clone()), TestDb::Sqlite(store))
        }
    };
    store.migrate().await.unwrap();
    (store, db)
}

/// Starts Hawkari on 127.0.0.1:0 over a new database (see [`TestDb`]).
pub async fn spawn_app() -> TestApp {
    spawn(HttpConfig::default(), None).await
}

pub async fn spawn_app_with(config: HttpConfig) -> TestApp {
    spawn(config, None).await
}

/// Starts Hawkari with these connection settings (timeouts, TLS) too.
pub async fn spawn_app_serving(config: HttpConfig, serve: hawkari_http::ServeConfig) -> TestApp {
    spawn_serving(config, serve, None).await
}

/// One app whose lists drive from filter sets (as with small data) and one that probes
/// them during ordered scans (as with large data), for tests that must hold under both
/// (SQLite's plans; PostgreSQL plans for itself, so there both apps are alike).
pub async fn apps_for_each_plan() -> [TestApp; 2] {
    [
        spawn(HttpConfig::default(), None).await,
        spawn(HttpConfig::default(), Some(1)).await,
    ]
}

async fn spawn(config: HttpConfig, selective_cap: Option<i64>) -> TestApp {
    spawn_serving(config, hawkari_http::ServeConfig::default(), selective_cap).await
}

async fn spawn_serving(
    config: HttpConfig,
    serve: hawkari_http::ServeConfig,
    selective_cap: Option<i64>,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = test_store(dir.path(), selective_cap).await;
    let app = App::new(store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = hawkari_http::router(app.clone(), &config);
    let shutdown = async {
        let _ = rx.await;
    };
    tokio::spawn(hawkari_http::serve_with(listener, router, shutdown, serve));
    TestApp {
        addr,
        client: Client::new(),
        app,
        db,
        tokens: Mutex::new(HashMap::new()),
        _dir: dir,
        _shutdown: tx,
    }
}

/// The collections whose records carry releasability.
const RECORD_COLLECTIONS: [&str; 9] = [
    "areas",
    "programmes",
    "operations",
    "incidents",
    "organisations",
    "people",
    "places",
    "engagements",
    "commitments",
];

/// The organisation the behavioural tests act for when a request does not name one.
pub const DEFAULT_ORG: &str = "mopa";

/// The organisation of the tests' system administrator (see [`TestApp::registrar`]).
pub const REGISTRAR: &str = "registry-office";

impl TestApp {
    /// The test's own directory: the SQLite database's files are in it.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A user of `org` with `role`, and a write-scope API token for them.
    pub async fn user_token(&self, username: &str, org: &str, role: Role) -> String {
        let cli = Principal::system("test");
        let user = self
            .app
            .create_user(
                &cli,
                username,
                &org.parse().unwrap(),
                role,
                "a-test-password-of-length",
            )
            .await
            .unwrap();
        let principal = self.app.principal(user, None).await.unwrap();
        let (_, secret) = self
            .app
            .create_token(&principal, "tests", TokenScope::Write)
            .await
            .unwrap();
        format!("Bearer {}", secret.0)
    }

    /// A browser session (the `cookie` header's value, and its CSRF token) of a new
    /// user `username` of `org` with `role`.
    pub async fn web_session(&self, username: &str, org: &str, role: Role) -> (String, String) {
        let password = "a-test-password-of-length";
        self.app
            .create_user(
                &Principal::system("test"),
                username,
                &org.parse().unwrap(),
                role,
                password,
            )
            .await
            .unwrap();
        let r = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        let body: Value = r.json().await.unwrap();
        (
            cookie.split(';').next().unwrap().to_owned(),
            body["csrf_token"].as_str().unwrap().to_owned(),
        )
    }

    /// `Bearer <token>` of an org_admin of `org` (created on first use).
    pub async fn bearer(&self, org: &str) -> String {
        if let Some(b) = self.tokens.lock().unwrap().get(org) {
            return b.clone();
        }
        let bearer = self
            .user_token(&format!("{org}-admin"), org, Role::OrgAdmin)
            .await;
        self.tokens
            .lock()
            .unwrap()
            .insert(org.to_owned(), bearer.clone());
        bearer
    }

    /// `Bearer …` of a system administrator who keeps the registry's structure: a user
    /// of an organisation of its own (`registry-office`), outside every tree the tests
    /// build, so that no change they make is to their own organisation's place.
    pub async fn registrar(&self) -> String {
        if let Some(b) = self.tokens.lock().unwrap().get(REGISTRAR) {
            return b.clone();
        }
        let exists = self
            .app
            .store()
            .get(
                hawkari_core::record::Kind::Organisation,
                REGISTRAR,
                &hawkari_core::access::Reach::Everything,
            )
            .await
            .unwrap()
            .is_some();
        if !exists {
            self.create_as_cli::<hawkari_core::organisation::Organisation>(
                REGISTRAR,
                json!({"names": {"en": "Registry office"}, "kind": "other", "owner_org_id": REGISTRAR}),
            )
            .await;
        }
        let bearer = self
            .user_token("registrar", REGISTRAR, Role::SystemAdmin)
            .await;
        self.tokens
            .lock()
            .unwrap()
            .insert(REGISTRAR.to_owned(), bearer.clone());
        bearer
    }

    /// The bearer a write to `path` is made with: the registrar for organisations
    /// themselves (their tree is a system administrator's to change), else an
    /// administrator of the acting organisation.
    async fn writer(&self, path: &str, body: Option<&Value>) -> String {
        let parts: Vec<&str> = path
            .trim_start_matches("/api/v1/")
            .split(['/', '?'])
            .collect();
        if parts[0] == "organisations" && parts.len() <= 2 {
            return self.registrar().await;
        }
        let org = self.acting_org(path, body).await;
        self.bearer(&org).await
    }

    /// The organisation a request acts for: the owner named in its body, else the owner
    /// of the record its path names, else the default. Behavioural tests are about what
    /// the API does, so they act as the owner; access-control tests choose explicitly.
    async fn acting_org(&self, path: &str, body: Option<&Value>) -> String {
        if let Some(owner) = body.and_then(|b| b["owner_org_id"].as_str()) {
            let exists = self
                .app
                .store()
                .get(
                    hawkari_core::record::Kind::Organisation,
                    owner,
                    &hawkari_core::access::Reach::Everything,
                )
                .await
                .unwrap()
                .is_some();
            return if exists {
                owner.to_owned()
            } else {
                DEFAULT_ORG.to_owned()
            };
        }
        let parts: Vec<&str> = path
            .trim_start_matches("/api/v1/")
            .split(['/', '?'])
            .collect();
        if parts.len() >= 2 && RECORD_COLLECTIONS.contains(&parts[0]) && !parts[1].is_empty() {
            let r = self
                .client
                .get(self.url(&format!("/api/v1/{}/{}", parts[0], parts[1])))
                .header("authorization", self.bearer(DEFAULT_ORG).await)
                .send()
                .await
                .unwrap();
            if r.status() == StatusCode::OK {
                let record: Value = r.json().await.unwrap();
                if let Some(owner) = record["owner_org_id"].as_str() {
                    return owner.to_owned();
                }
            }
        }
        DEFAULT_ORG.to_owned()
    }

    /// Test records are released to all partners unless a test says otherwise.
    fn released(path: &str, body: &Value) -> Value {
        let mut body = body.clone();
        let collection = path
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or_default();
        if RECORD_COLLECTIONS.contains(&collection)
            && body.is_object()
            && body.get("release_groups").is_none()
            && body.get("status").is_none()
        {
            body["release_groups"] = json!(["all_partners"]);
        }
        body
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("authorization", self.bearer(DEFAULT_ORG).await)
            .send()
            .await
            .unwrap()
    }

    /// GET as an org_admin of the Iraqi Army (a partner of the default organisation).
    pub async fn get_as_army(&self, path: &str) -> Response {
        let bearer = self.bearer("iraqi-army").await;
        self.client
            .get(self.url(path))
            .header("authorization", bearer)
            .send()
            .await
            .unwrap()
    }

    /// A point inside an admin unit: (lon, lat) of its gazetteer centroid.
    pub async fn gazetteer_point(&self, pcode: &str) -> (f64, f64) {
        use geo::InteriorPoint;
        let unit = hawkari_app::geography::gazetteer().unit(pcode).unwrap();
        let p = unit.shape.interior_point().unwrap();
        (p.x(), p.y())
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header("authorization", self.writer(path, Some(body)).await)
            .json(&Self::released(path, body))
            .send()
            .await
            .unwrap()
    }

    /// Changes a commitment's status and expects it to succeed.
    pub async fn set_status(
        &self,
        commitment: &Value,
        status: &str,
        reason: Option<&str>,
    ) -> Value {
        let path = format!(
            "/api/v1/commitments/{}/status",
            commitment["id"].as_str().unwrap()
        );
        let r = self
            .post(&path, &json!({"status": status, "reason": reason}))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "POST {path}");
        r.json().await.unwrap()
    }

    /// POSTs and expects 201; returns the created record.
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let r = self.post(path, &body).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .header("authorization", self.writer(path, Some(body)).await)
            .json(&Self::released(path, body))
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str, version: Option<i64>) -> Response {
        let mut req = self
            .client
            .delete(self.url(path))
            .header("authorization", self.writer(path, None).await);
        if let Some(v) = version {
            req = req.header("If-Match", format!("\"{v}\""));
        }
        req.send().await.unwrap()
    }

    /// The partnership in miniature: a coalition, a regional ministry with a sector
    /// command below it, a federal army, two people, a topic.
    pub async fn seed_registry(&self) {
        for (id, en, ar, kind, parent) in [
            (
                "cjtf-oir",
                "Combined Joint Task Force – Operation Inherent Resolve",
                None,
                "coalition",
                None,
            ),
            (
                "mag-north",
                "Military Advisor Group – North",
                None,
                "coalition",
                Some("cjtf-oir"),
            ),
            (
                "mopa",
                "Ministry of Peshmerga Affairs",
                Some("وزارة شؤون البيشمركة"),
                "regional",
                None,
            ),
            (
                "sector-6",
                "Sector 6 Command",
                Some("قاطع ٦"),
                "regional",
                Some("mopa"),
            ),
            (
                "iraqi-army",
                "Iraqi Army",
                Some("الجيش العراقي"),
                "federal",
                None,
            ),
        ] {
            // Organisations are created by the command line: a user needs one to exist.
            let mut body = json!({"names": {"en": en}, "kind": kind, "owner_org_id": id, "release_groups": ["all_partners"]});
            if let Some(ar) = ar {
                body["names"]["ar"] = json!(ar);
            }
            if let Some(p) = parent {
                body["parent_id"] = json!(p);
            }
            let data = serde_json::from_value(body).unwrap();
            self.app
                .create::<hawkari_core::organisation::Organisation>(
                    &Principal::system("test"),
                    Some(id.to_owned()),
                    data,
                )
                .await
                .unwrap();
        }
        // People with the ids the tests name: chosen ids are the command line's to give.
        for (id, body) in [
            (
                "sirwan-barzani",
                json!({
                    "names": {"en": "Sirwan Barzani", "ar": "سيروان البارزاني", "aliases": ["Sirwan Barzany"]},
                    "rank": "Maj. Gen.",
                    "positions": [{"title": "Commander of Sector 6", "organisation_id": "sector-6", "from": "2022"}],
                    "owner_org_id": "mopa", "release_groups": ["all_partners"]
                }),
            ),
            (
                "yarallah",
                json!({
                    "names": {"en": "Abdul-Amir Yarallah", "ar": "عبد الأمير يارالله"},
                    "positions": [{"title": "Army Chief of Staff", "organisation_id": "iraqi-army"}],
                    "owner_org_id": "iraqi-army", "release_groups": ["all_partners"]
                }),
            ),
        ] {
            self.create_as_cli::<hawkari_core::person::Person>(id, body)
                .await;
        }
        self.create("/api/v1/topics", json!({"code": "security-gaps", "labels": {"en": "Security gaps", "ar": "الثغرات الأمنية"}})).await;
    }

    /// Creates a record with a chosen id, as the command line (which alone chooses ids
    /// of records other than organisations) does.
    pub async fn create_as_cli<R: hawkari_app::RecordKind>(&self, id: &str, body: Value) -> R {
        let data = serde_json::from_value(body).unwrap();
        self.app
            .create::<R>(&Principal::system("test"), Some(id.to_owned()), data)
            .await
            .unwrap()
    }

    /// An engagement between Sector 6 and MAG-North on `when`.
    pub async fn create_engagement(&self, title: &str, when: &str) -> Value {
        self.create(
            "/api/v1/engagements",
            json!({
                "kind": "key_leader_engagement",
                "title": title,
                "when": when,
                "participants": [
                    {"person_id": "sirwan-barzani", "organisation_id": "sector-6", "role": "lead"},
                    {"organisation_id": "mag-north", "role": "participant"}
                ],
                "topics": ["security-gaps"],
                "summary": "Cooperation between the Peshmerga, the Iraqi Army and the coalition.",
                "sources": [{"publisher": "Kurdistan 24", "title": "Sector 6 commander meets MAG-North", "date": "2022-07-04"}],
                "owner_org_id": "mopa",
                "releasable_to": ["cjtf-oir"]
            }),
        )
        .await
    }
}

/// The field paths named in an error response.
pub async fn error_fields(r: Response) -> (StatusCode, Vec<String>, Value) {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    let fields = body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (status, fields, body)
}

/// The ids of a list response's items, in order.
pub fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}
