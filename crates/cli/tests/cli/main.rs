//! The `hawkari` binary as a user runs it: help on every command, the demo server, and a
//! whole-dataset export and import through files.

mod incident_imports;
mod intake;
mod notify;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_hawkari");

fn hawkari(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .output()
        .unwrap()
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["import", "--help"],
        vec!["export", "--help"],
        vec!["db", "--help"],
        vec!["federation", "status", "--help"],
        vec!["db", "migrate", "--help"],
        vec!["demo", "--help"],
        vec!["demo", "generate", "--help"],
        vec!["demo", "load", "--help"],
        vec!["bench", "--help"],
        vec!["config", "--help"],
        vec!["config", "print-default", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "reset-password", "--help"],
        vec!["incidents", "import", "--help"],
        vec!["coverage", "--help"],
        vec!["notify", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["audit", "export", "--help"],
        vec!["audit", "head", "--help"],
        vec!["intake", "--help"],
        vec!["intake", "eval", "--help"],
    ] {
        let out = hawkari(&dir, &args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: hawkari"), "{args:?}: {text}");
    }
}

/// A client for the servers these tests start: each makes its own self-signed
/// certificate, which `serve_prints_its_certificate_and_keeps_it_across_restarts` checks
/// properly; the other tests are about what is served.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `hawkari serve --demo` on a free port; returns the base URL it prints and the
/// demo accounts (username → password) it prints before that.
fn serve_demo(dir: &tempfile::TempDir) -> (Server, String, HashMap<String, String>) {
    serve_demo_on(dir, "sqlite://hawkari.db")
}

/// [`serve_demo`] on the database at `database_url`.
fn serve_demo_on(
    dir: &tempfile::TempDir,
    database_url: &str,
) -> (Server, String, HashMap<String, String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .args(["--database-url", database_url])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut accounts = HashMap::new();
    let mut line = String::new();
    while !line.contains("Hawkari is listening on") {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the server printed no address"
        );
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let [username, _role, _org, password] = fields.as_slice() {
            accounts.insert((*username).to_owned(), (*password).to_owned());
        }
    }
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .expect("the server prints its HTTPS address")
        .to_owned();
    (Server(child), url, accounts)
}

/// Starts `hawkari serve` on a random loopback port in `dir` with these environment
/// settings; the lines it printed up to and including the one saying where it listens.
fn serve_plain(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> (Server, Vec<String>) {
    let child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by a `Server` at once, so that a failing assertion still ends the process.
    let mut server = Server(child);
    let mut reader = BufReader::new(server.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the server printed no address: {lines:?}"
        );
        let done = line.contains("Hawkari is listening on");
        lines.push(line.trim().to_owned());
        if done {
            return (server, lines);
        }
    }
}

fn first_url(lines: &[String]) -> String {
    lines
        .last()
        .unwrap()
        .split_whitespace()
        .find(|w| w.contains("://"))
        .expect("a URL")
        .to_owned()
}

#[tokio::test]
async fn serve_prints_its_certificate_and_keeps_it_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let (server, lines) = serve_plain(&dir, &[]);
    let url = first_url(&lines);
    assert!(url.starts_with("https://127.0.0.1:"), "{lines:?}");
    let tls_line = lines
        .iter()
        .find(|l| l.starts_with("TLS certificate"))
        .expect("the certificate is named at start");
    assert!(tls_line.contains("self-signed, made now"), "{tls_line}");
    let printed = tls_line.rsplit(' ').next().unwrap().to_owned();

    // A client that trusts only the certificate kept beside the database gets through,
    // and the certificate it is shown has the printed fingerprint.
    let pem = std::fs::read(dir.path().join("hawkari-cert.pem")).unwrap();
    let trusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = trusting.get(format!("{url}/login")).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.headers().contains_key("strict-transport-security"));
    let der = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .expect("the server's certificate")
        .to_vec();
    let digest: Vec<String> = <sha2::Sha256 as sha2::Digest>::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(digest.join(":"), printed);

    // Plain HTTP to the same port is sent to HTTPS.
    let plain = url.replace("https://", "http://");
    let redirect = trusting.get(format!("{plain}/login")).send().await.unwrap();
    assert_eq!(redirect.status(), reqwest::StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        redirect.headers()["location"],
        format!("{url}/login").as_str()
    );

    // The next start serves the same certificate.
    drop(server);
    let (_again, lines) = serve_plain(&dir, &[]);
    let tls_line = lines
        .iter()
        .find(|l| l.starts_with("TLS certificate"))
        .unwrap();
    assert!(tls_line.contains("made at an earlier start"), "{tls_line}");
    assert!(tls_line.ends_with(&printed), "{tls_line}");
}

#[test]
fn serve_with_tls_off_listens_on_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, lines) = serve_plain(&dir, &[("HAWKARI_SERVER__TLS", "off")]);
    assert!(
        first_url(&lines).starts_with("http://127.0.0.1:"),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.starts_with("TLS certificate")));
    assert!(!dir.path().join("hawkari-cert.pem").exists());
}

/// Signs in and returns the session cookie to send.
async fn login(
    client: &reqwest::Client,
    url: &str,
    accounts: &HashMap<String, String>,
    username: &str,
) -> String {
    let password = accounts
        .get(username)
        .unwrap_or_else(|| panic!("no demo account {username}"));
    let r = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "login as {username}");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_owned()
}

async fn get_json(client: &reqwest::Client, cookie: &str, url: String) -> serde_json::Value {
    let r = client
        .get(&url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "GET {url}");
    r.json().await.unwrap()
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn serve_demo_shows_the_engagements_from_the_reports_with_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url, accounts) = serve_demo(&dir);
    let client = client();
    let unauthenticated = client
        .get(format!("{url}/api/v1/engagements"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), reqwest::StatusCode::UNAUTHORIZED);
    let cookie = &login(&client, &url, &accounts, "mopa").await;
    let list: serde_json::Value = get_json(
        &client,
        cookie,
        format!("{url}/api/v1/engagements?limit=100"),
    )
    .await;
    let items = list["items"].as_array().unwrap();
    let titles: Vec<&str> = items.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Sector 6") && t.contains("MAG-North")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.contains("Army Chief of Staff")),
        "{titles:?}"
    );
    assert!(
        items
            .iter()
            .all(|e| !e["sources"].as_array().unwrap().is_empty()),
        "every engagement cites a source"
    );
    assert!(
        dir.path().join("hawkari.db").exists(),
        "the default database is sqlite://hawkari.db"
    );

    // Preparing for a meeting with the Army Chief of Staff: who is he, what was agreed.
    let people: serde_json::Value =
        get_json(&client, cookie, format!("{url}/api/v1/people?q=yarallah")).await;
    let id = people["items"][0]["id"].as_str().unwrap().to_owned();
    let history: serde_json::Value =
        get_json(&client, cookie, format!("{url}/api/v1/people/{id}/history")).await;
    assert!(
        !history["engagements"]["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let overdue: serde_json::Value = get_json(
        &client,
        cookie,
        format!("{url}/api/v1/commitments?overdue=true"),
    )
    .await;
    let texts: Vec<&str> = overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("polling stations")),
        "the election commitment is overdue: {texts:?}"
    );
}

#[test]
fn a_second_demo_start_keeps_what_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hawkari(&dir, &["demo", "load"]).status.success());
    let out = hawkari(&dir, &["demo", "load"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("was not loaded"));
}

#[test]
fn a_federated_demo_load_holds_only_the_home_part_and_what_is_released_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["demo", "load"])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        // Loading does not connect to NATS: the address is only read.
        .env("HAWKARI_FEDERATION__NATS_URL", "nats://127.0.0.1:9")
        .env("HAWKARI_FEDERATION__ORGANISATION", "mopa")
        .env("HAWKARI_FEDERATION__PARTNERS", "cjtf-oir,iraqi-army")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Accounts for the home organisations only: mopa and sector-6 below it.
    let accounts: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Demo accounts"))
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(accounts, ["admin", "mopa", "sector-6"], "{stdout}");
    assert!(
        stdout.contains("admin                        system_admin  mopa"),
        "{stdout}"
    );

    assert!(hawkari(&dir, &["export", "mopa.json"]).status.success());
    let held: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("mopa.json")).unwrap())
            .unwrap();
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../../../../demo/dataset.json")).unwrap();
    // Topics are known by their code, every other record by its id.
    let key = |r: &serde_json::Value| r["id"].as_str().or(r["code"].as_str()).unwrap().to_owned();
    let ids = |doc: &serde_json::Value, section: &str| -> Vec<String> {
        doc[section]
            .as_array()
            .map(|a| a.iter().map(|r| key(r).to_owned()).collect())
            .unwrap_or_default()
    };
    for (section, _) in hawkari_app::dataset::SECTIONS {
        let held_ids = ids(&held, section);
        for r in demo[section].as_array().unwrap() {
            let id = key(r);
            let Some(owner) = r["owner_org_id"].as_str() else {
                assert!(held_ids.contains(&id), "topic {id} missing");
                continue;
            };
            let released: Vec<&str> = r["releasable_to"]
                .as_array()
                .map(|a| a.iter().map(|o| o.as_str().unwrap()).collect())
                .unwrap_or_default();
            let is_held = held_ids.contains(&id);
            if owner == "mopa" || owner == "sector-6" {
                assert!(is_held, "mopa's own {section} {id} was not loaded");
            } else if is_held {
                // Nothing owned elsewhere unless released to mopa.
                let to_all_partners = r["release_groups"]
                    .as_array()
                    .is_some_and(|g| g.iter().any(|g| g == "all_partners"));
                assert!(
                    released.contains(&"mopa") || to_all_partners,
                    "{section} {id} of {owner} is not released to mopa"
                );
            }
        }
    }
    let has = |section: &str, id: &str| ids(&held, section).iter().any(|h| h == id);
    // The partners' organisations released to mopa are here (to route and to show names)…
    assert!(has("organisations", "cjtf-oir") && has("organisations", "iraqi-army"));
    // …the one not released to mopa is not, nor a person whose position is in it.
    assert!(!has("organisations", "inis"));
    assert!(!has("people", "mustafa-al-kadhimi"));
    // Partners' operational records arrive over NATS; only those mopa's own refer to are
    // loaded (an engagement of the army's that mopa's commitment follows up).
    assert!(!has(
        "engagements",
        "eng-2025-08-kle-advisor-peshmerga-general"
    ));
    assert!(has("engagements", "eng-2022-06-23-mopa-delegation-baghdad"));
    assert!(has("engagements", "eng-2025-nechirvan-barzani-yarallah"));
    // No instance of mopa's loads the joint brigades' incidents (mopa does not own them).
    assert!(ids(&held, "incidents").is_empty());
}

#[test]
fn coverage_of_the_demo_disputed_districts_shows_the_gaps_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["demo", "load"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5 areas, 2 programmes, 1 operations"), "{err}");
    let run = |date: &str| {
        let out = hawkari(
            &dir,
            &["coverage", "--area", "disputed-districts", "--date", date],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // Before the federal redeployment of October 2017 no illustrative area is in force.
    let before = run("2017-01-01");
    assert!(
        before.contains("(0 areas of responsibility in force)"),
        "{before}"
    );
    assert!(before.contains("(100.0 % of the area)"), "{before}");
    // By 2025 Sector 6, the Iraqi Army and the joint brigades hold 5 of the 12 districts.
    let later = run("2025-10-01");
    assert!(
        later.contains("(3 areas of responsibility in force)"),
        "{later}"
    );
    let share: f64 = later
        .split("km²  (")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(share > 30.0 && share < 70.0, "{later}");
    // The illustrative coordination line: part of it is nobody's within 10 km, less of
    // it within 25 km.
    let unassigned = |text: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.contains("coordination line"))
            .unwrap();
        line.split("; ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(later.contains("(1 in force)"), "{later}");
    // The 60 illustrative incidents run from June to October 2025; those of the 90 days
    // to 1 October inside the districts are counted, and some fell in the gaps.
    let incidents = later
        .lines()
        .find(|l| l.contains("in the 90 days"))
        .unwrap();
    let counts: Vec<u32> = incidents
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(counts[0] > 0 && counts[0] < 60, "{incidents}");
    let near = unassigned(&later);
    let out = hawkari(
        &dir,
        &[
            "coverage",
            "--area",
            "disputed-districts",
            "--date",
            "2025-10-01",
            "--buffer-km",
            "25",
        ],
    );
    let far = unassigned(&String::from_utf8(out.stdout).unwrap());
    assert!(near > 0.0 && far < near, "{near} {far}");
    let out = hawkari(
        &dir,
        &["coverage", "--area", "nope", "--date", "2025-10-01"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("area `nope`"));
}

#[test]
fn export_and_import_through_files_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hawkari(&dir, &["demo", "load"]).status.success());
    assert!(hawkari(&dir, &["export", "first.json"]).status.success());
    let out = hawkari(
        &dir,
        &["--database-url", "sqlite://copy.db", "import", "first.json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("imported 162 records"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        hawkari(
            &dir,
            &[
                "--database-url",
                "sqlite://copy.db",
                "export",
                "second.json"
            ]
        )
        .status
        .success()
    );
    let first = std::fs::read_to_string(dir.path().join("first.json")).unwrap();
    let second = std::fs::read_to_string(dir.path().join("second.json")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn a_bad_import_names_the_problem_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"format": "hawkari-dataset", "format_version": 1, "organisations": [{"id": "x", "names": {"en": "X"}, "kind": "nation", "owner_org_id": "x",
            "version": 1, "created_by": "t", "created_at": "2025-01-01T00:00:00Z", "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let out = hawkari(&dir, &["import", "bad.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("organisations[0].kind"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    std::fs::write(dir.path().join("broken.json"), "{ not json").unwrap();
    let out = hawkari(&dir, &["import", "broken.json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("document: not a valid dataset document"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["--database-url", "mysql://db/x", "db", "migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown database URL scheme"));
}

/// A nats-server with JetStream on a free port, its store in `dir` (Debian installs it
/// in /usr/sbin).
fn nats_server(dir: &std::path::Path) -> (Server, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let binary = ["/usr/sbin/nats-server", "/usr/bin/nats-server"]
        .into_iter()
        .find(|p| std::path::Path::new(p).is_file())
        .unwrap_or("nats-server");
    let child = Command::new(binary)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server is needed: apt-get install nats-server");
    let server = Server(child);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "nats-server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (server, port)
}

#[test]
fn serve_with_federation_configured_publishes_what_is_released_to_its_partners() {
    let dir = tempfile::tempdir().unwrap();
    let (_nats, port) = nats_server(&dir.path().join("jetstream"));
    let nats_url = format!("nats://127.0.0.1:{port}");
    let env = [
        ("HAWKARI_SERVER__TLS", "off"),
        ("HAWKARI_FEDERATION__NATS_URL", nats_url.as_str()),
        ("HAWKARI_FEDERATION__ORGANISATION", "cjtf-oir"),
        ("HAWKARI_FEDERATION__PARTNERS", "mopa, iraqi-army"),
    ];
    let child = Command::new(BIN)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .envs(env)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut reader = BufReader::new(server.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "{lines:?}");
        let done = line.contains("Hawkari is listening on");
        lines.push(line.trim().to_owned());
        if done {
            break;
        }
    }
    assert!(
        lines
            .iter()
            .any(|l| l
                == &format!("Federating as cjtf-oir with mopa, iraqi-army through {nats_url}")),
        "{lines:?}"
    );
    // The demo's records went into the outbox when federation was switched on, and the
    // publisher sends the coalition's released ones to both partners.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let out = Command::new(BIN)
            .args(["federation", "status"])
            .current_dir(dir.path())
            .env_remove("HAWKARI_DATABASE__URL")
            .envs(env)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let holds = |org: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("{org}: holds copies of ")))
                .and_then(|l| l.split_whitespace().nth(4))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0)
        };
        if text.contains("outbox: empty") && holds("mopa") > 0 && holds("iraqi-army") > 0 {
            assert!(text.contains("inbound (NATS): 0 events waiting"), "{text}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{text}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn federation_status_says_what_is_missing_and_works_with_nats_away() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["federation", "status"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HAWKARI_FEDERATION__NATS_URL"), "{err}");
    // A port nothing listens on: the database's side is still shown.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(BIN)
        .args(["federation", "status"])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .env(
            "HAWKARI_FEDERATION__NATS_URL",
            format!("nats://127.0.0.1:{port}"),
        )
        .env("HAWKARI_FEDERATION__ORGANISATION", "mopa")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("federating as mopa"), "{text}");
    assert!(text.contains("outbox: empty"), "{text}");
    assert!(text.contains("inbound (NATS): not known"), "{text}");
}

#[test]
fn federation_verify_says_what_is_missing_and_fails_when_no_partner_answers() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["federation", "verify"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HAWKARI_FEDERATION__NATS_URL"), "{err}");
    // A port nothing listens on: verify cannot compare, and says so.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(BIN)
        .args(["federation", "verify"])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .env(
            "HAWKARI_FEDERATION__NATS_URL",
            format!("nats://127.0.0.1:{port}"),
        )
        .env("HAWKARI_FEDERATION__ORGANISATION", "mopa")
        .env("HAWKARI_FEDERATION__PARTNERS", "cjtf-oir")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NATS"), "{err}");
}

#[tokio::test]
async fn the_federal_army_and_the_coalition_see_what_is_released_to_each() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url, accounts) = serve_demo(&dir);
    let client = client();
    let army = &login(&client, &url, &accounts, "iraqi-army").await;
    let coalition = &login(&client, &url, &accounts, "cjtf-oir").await;
    let army_sees =
        ids(&get_json(&client, army, format!("{url}/api/v1/engagements?limit=100")).await);
    let coalition_sees = ids(&get_json(
        &client,
        coalition,
        format!("{url}/api/v1/engagements?limit=100"),
    )
    .await);
    // Released by CJTF-OIR to MoPA only: the coalition sees it, the army does not.
    let kle = "eng-2025-08-kle-advisor-peshmerga-general";
    assert!(
        coalition_sees.iter().any(|i| i == kle),
        "{coalition_sees:?}"
    );
    assert!(!army_sees.iter().any(|i| i == kle), "{army_sees:?}");
    // Owned by the army, released to the coalition: both see it.
    assert!(
        army_sees
            .iter()
            .any(|i| i == "eng-2025-nechirvan-barzani-yarallah")
    );
    assert!(
        coalition_sees
            .iter()
            .any(|i| i == "eng-2025-nechirvan-barzani-yarallah")
    );
    assert_eq!((army_sees.len(), coalition_sees.len()), (11, 14));
    // Not released: not found by id, not found by search, not counted.
    let r = client
        .get(format!("{url}/api/v1/engagements/{kle}"))
        .header("cookie", army)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND);
    let body = r.text().await.unwrap();
    assert!(!body.contains("Peshmerga general"), "{body}");
    let search = get_json(&client, army, format!("{url}/api/v1/engagements?q=advisor")).await;
    assert!(!ids(&search).iter().any(|i| i == kle));
}

#[test]
fn a_policy_file_that_does_not_fit_the_schema_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.cedar"),
        r#"permit (principal, action == Action::"read", resource) when { resource.secret_level > 3 };"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("HAWKARI_AUTH__POLICY_FILE", dir.path().join("broken.cedar"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("do not fit the schema"), "{err}");
}

#[test]
fn user_create_and_audit_verify_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hawkari(&dir, &["demo", "load"]).status.success());
    let out = hawkari(
        &dir,
        &[
            "user",
            "create",
            "--admin",
            "--username",
            "chief",
            "--organisation",
            "cjtf-oir",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("created chief (system_admin, cjtf-oir)") && text.contains("password: "),
        "{text}"
    );
    let out = hawkari(
        &dir,
        &[
            "user",
            "create",
            "--username",
            "x",
            "--organisation",
            "nowhere",
        ],
    );
    assert!(!out.status.success());
    let out = hawkari(&dir, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("the audit log is intact"));
    // The head, kept in a file, is checked against later.
    let out = hawkari(&dir, &["audit", "head"]);
    assert!(out.status.success());
    let head = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    std::fs::write(dir.path().join("anchor.txt"), &head).unwrap();
    for anchor in [head.as_str(), "anchor.txt"] {
        let out = hawkari(&dir, &["audit", "verify", "--anchor", anchor]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("it holds the anchor"));
    }
    let (seq, _) = head.split_once(':').unwrap();
    let later = format!("{}:{}", seq.parse::<i64>().unwrap() + 5, "a".repeat(64));
    let out = hawkari(&dir, &["audit", "verify", "--anchor", &later]);
    assert!(!out.status.success(), "an anchor past the end is a cut log");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut off the end"));
    let out = hawkari(&dir, &["audit", "export", "audit.jsonl"]);
    assert!(out.status.success());
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("\"action\":\"user_created\"") && l.contains("chief")),
        "{log}"
    );
    assert!(
        !log.contains("password_hash") && !log.contains("$argon2"),
        "no secrets in the audit log"
    );
}

#[test]
fn an_unreachable_postgres_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(
        &dir,
        &[
            "--database-url",
            "postgres://hawkari:secret@127.0.0.1:1/hawkari",
            "db",
            "migrate",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to PostgreSQL at 127.0.0.1:1/hawkari"),
        "{err}"
    );
    assert!(!err.contains("secret"), "no password in messages: {err}");
}

/// A new, empty PostgreSQL database for one test (dropped when it ends), if the suite
/// is given one to run against (`HAWKARI_TEST_DATABASE_URL`).
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(tag: &str) -> Option<Self> {
        let Some(admin_url) = std::env::var("HAWKARI_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("PostgreSQL skipped: HAWKARI_TEST_DATABASE_URL is not set");
            return None;
        };
        let name = format!("hawkari_cli_{tag}_{}", std::process::id());
        psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
        psql(&admin_url, &format!("CREATE DATABASE {name}"));
        let base = admin_url.rsplit_once('/').unwrap().0;
        let url = format!("{base}/{name}");
        Some(Self {
            admin_url,
            name,
            url,
        })
    }

    /// libpq's key=value form, for ogrinfo.
    fn conninfo(&self) -> String {
        let rest = self.url.split_once("://").unwrap().1;
        let (auth, hostpath) = rest.rsplit_once('@').unwrap_or(("", rest));
        let (hostport, db) = hostpath.split_once('/').unwrap();
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "5432"));
        let user = auth.split(':').next().unwrap_or("");
        format!("host={host} port={port} dbname={db} user={user}")
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-Atc", sql])
        .output()
        .expect("psql (PostgreSQL's client) is installed");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What an organisation's user sees of the demo: engagements, overdue commitments,
/// incidents, areas and programmes, by id.
async fn demo_view(url: &str, accounts: &HashMap<String, String>, org: &str) -> Vec<Vec<String>> {
    let client = client();
    let cookie = &login(&client, url, accounts, org).await;
    let mut view = Vec::new();
    for path in [
        "/api/v1/engagements?limit=100",
        "/api/v1/engagements?limit=100&q=barzani",
        "/api/v1/commitments?overdue=true&limit=100",
        "/api/v1/incidents?limit=200&bbox=43,35,45,37",
        "/api/v1/areas?limit=100",
        "/api/v1/programmes?limit=100",
        "/api/v1/people?q=%D9%8A%D8%A7%D8%B1%D8%A7%D9%84%D9%84%D9%87",
    ] {
        view.push(ids(&get_json(&client, cookie, format!("{url}{path}")).await));
    }
    view
}

#[tokio::test]
async fn the_demo_on_postgresql_is_the_demo_on_sqlite() {
    let Some(db) = PgDatabase::create("demo") else {
        return;
    };
    let sqlite_dir = tempfile::tempdir().unwrap();
    let (_a, sqlite_url, sqlite_accounts) = serve_demo(&sqlite_dir);
    let pg_dir = tempfile::tempdir().unwrap();
    let (_b, pg_url, pg_accounts) = serve_demo_on(&pg_dir, &db.url);
    for org in ["iraqi-army", "cjtf-oir", "mopa"] {
        let on_sqlite = demo_view(&sqlite_url, &sqlite_accounts, org).await;
        let on_pg = demo_view(&pg_url, &pg_accounts, org).await;
        assert!(
            on_sqlite.iter().all(|ids| !ids.is_empty()),
            "{org}: {on_sqlite:?}"
        );
        assert_eq!(
            on_pg, on_sqlite,
            "{org} sees the same records in the same order"
        );
    }
    let pages = client()
        .get(format!("{pg_url}/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(pages.status(), reqwest::StatusCode::OK);

    // GIS clients read the geometry tables (QGIS uses the same driver as ogrinfo).
    let ogr = Command::new("ogrinfo")
        .args(["-ro", "-so", &format!("PG:{}", db.conninfo()), "incidents"])
        .output()
        .expect("ogrinfo (Debian gdal-bin) is installed");
    let text = String::from_utf8_lossy(&ogr.stdout);
    assert!(
        ogr.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&ogr.stderr)
    );
    assert!(text.contains("Geometry: Point"), "{text}");
    assert!(text.contains("WGS 84"), "{text}");
    let count: u64 = psql(&db.url, "SELECT count(*) FROM incidents")
        .trim()
        .parse()
        .unwrap();
    assert!(text.contains(&format!("Feature Count: {count}")), "{text}");
    let areas = Command::new("ogrinfo")
        .args(["-ro", "-so", &format!("PG:{}", db.conninfo()), "areas"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&areas.stdout).contains("Geometry Column = geom"));
}

#[test]
fn a_postgresql_schema_newer_than_the_binary_is_refused() {
    let Some(db) = PgDatabase::create("newer") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["--database-url", &db.url, "db", "migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    psql(
        &db.url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00', 0)",
    );
    let out = hawkari(&dir, &["--database-url", &db.url, "db", "migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("written by a newer version"), "{err}");
}

#[test]
fn db_copy_moves_the_demo_from_sqlite_to_postgresql_verified() {
    let Some(db) = PgDatabase::create("copy") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(
        &dir,
        &["--database-url", "sqlite://demo.db", "demo", "load"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hawkari(
        &dir,
        &["db", "copy", "--from", "sqlite://demo.db", "--to", &db.url],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("every table matches"), "{text}");
    let engagements: u64 = psql(&db.url, "SELECT count(*) FROM engagements")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(engagements, 14);
    let out = hawkari(&dir, &["--database-url", &db.url, "audit", "verify"]);
    assert!(
        out.status.success(),
        "the copied audit chain verifies: {out:?}"
    );
}

/// Whether SQLite finds the database file whole (`PRAGMA integrity_check`), asked through
/// Python's sqlite3 module so that nothing of Hawkari's is involved.
fn integrity_check(db: &std::path::Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
        ])
        .arg(db)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Crash safety: the server and an incident import, killed with SIGKILL in the middle of
/// concurrent writes, lose no write that was acknowledged, leave the database whole and
/// the audit chain intact, and the import run again completes without duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_during_an_import_and_concurrent_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let rows = 30_000;
    let mut csv = String::from(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "KILL{i},2025-09-{:02},2025,1,Political violence,Battles,Armed clash,Islamic State (Iraq),Peshmerga,Kirkuk,Daquq,Daquq,{:.4},{:.4},1,Test,Row {i},0\n",
            1 + i % 28,
            34.5 + (i % 97) as f64 * 0.01,
            44.0 + (i % 89) as f64 * 0.01
        ));
    }
    std::fs::write(dir.path().join("big.csv"), csv).unwrap();
    let (mut server, url, accounts) = serve_demo(&dir);
    let http = client();
    let r = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "mopa", "password": accounts["mopa"]}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = http
        .post(format!("{url}/api/v1/tokens"))
        .header("cookie", cookie.split(';').next().unwrap())
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "crash", "scope": "write"}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    // Writers: each keeps what the server acknowledged until the server is gone.
    let mut writers = Vec::new();
    for w in 0..3 {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0.. {
                let body = serde_json::json!({"kind": "call", "title": format!("Crash writer {w} call {n}"),
                    "when": "2025-10-01", "participants": [{"organisation_id": "mopa", "role": "lead"}],
                    "owner_org_id": "mopa"});
                let Ok(r) = http
                    .post(format!("{url}/api/v1/engagements"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                else {
                    break;
                };
                if r.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                match r.json::<serde_json::Value>().await {
                    Ok(v) => acknowledged.push(v["id"].as_str().unwrap().to_owned()),
                    Err(_) => break,
                }
            }
            acknowledged
        }));
    }
    let mut import = Command::new(BIN)
        .args([
            "incidents",
            "import",
            "--format",
            "acled",
            "--owner",
            "mopa",
            "--all-partners",
            "big.csv",
        ])
        .current_dir(dir.path())
        .env_remove("HAWKARI_DATABASE__URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    // SIGKILL, both at once.
    import.kill().unwrap();
    server.0.kill().unwrap();
    let _ = import.wait();
    let _ = server.0.wait();
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    assert!(
        acknowledged.len() > 5,
        "writes were under way: {}",
        acknowledged.len()
    );
    let db = dir.path().join("hawkari.db");
    assert_eq!(integrity_check(&db), "ok");
    // Every acknowledged write is there after a restart.
    let (_server, url, _) = serve_demo(&dir);
    let r = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "mopa", "password": accounts["mopa"]}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = cookie.split(';').next().unwrap();
    for id in &acknowledged {
        let r = http
            .get(format!("{url}/api/v1/engagements/{id}"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK, "acknowledged {id}");
    }
    let out = hawkari(&dir, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let imported = |db: &std::path::Path| {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM incidents WHERE id LIKE 'acled-kill%'\").fetchone()[0])",
            ])
            .arg(db)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    eprintln!(
        "killed with {} of {rows} rows imported and {} engagements acknowledged",
        imported(&db),
        acknowledged.len()
    );
    // The import, run again, completes: every row once.
    let out = hawkari(
        &dir,
        &[
            "incidents",
            "import",
            "--format",
            "acled",
            "--owner",
            "mopa",
            "--all-partners",
            "big.csv",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(imported(&db), rows.to_string(), "every row once");
}

/// Issue 15's finding: a generated dataset on a PostgreSQL server with autovacuum off left
/// every table unanalysed, and the planner blind. Hawkari refreshes the statistics itself
/// as tables grow, on every write path.
#[test]
fn postgres_statistics_are_kept_current_by_hawkari_after_bulk_writes() {
    let Some(db) = PgDatabase::create("stats") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(
        &dir,
        &[
            "--database-url",
            &db.url,
            "demo",
            "generate",
            "--engagements",
            "3000",
            "--incidents",
            "3000",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let analysed = psql(
        &db.url,
        "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_stat_user_tables \
         WHERE relname IN ('engagements', 'commitments', 'incidents', 'refs') \
         AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)",
    );
    assert_eq!(analysed.trim(), "commitments,engagements,incidents,refs");
    // And the statistics see the rows (the planner's estimate is not the empty table's).
    let estimate = psql(
        &db.url,
        "SELECT reltuples::bigint FROM pg_class WHERE relname = 'engagements'",
    );
    assert!(
        estimate.trim().parse::<i64>().unwrap() >= 2000,
        "estimate {estimate}"
    );
}
