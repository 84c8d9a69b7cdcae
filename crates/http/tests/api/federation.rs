//! Federation over a real NATS JetStream server (Debian's `nats-server`, started here on
//! a free port with its store in the test's directory): two instances, the coalition's
//! (cjtf-oir) and the Ministry of Peshmerga Affairs' (mopa), each with its own database.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hawkari_app::federation::digest::subject as digest_subject;
use hawkari_app::federation::{self, Credentials, Settings};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::nats::{Nats, nats_client, next_error, start_nats, start_shipped_nats};

pub(crate) fn settings(nats: &Nats, home: &str, partners: &[&str]) -> Settings {
    Settings {
        nats_url: nats.url.clone(),
        credentials: Credentials::None,
        organisation: home.parse().unwrap(),
        partners: partners.iter().map(|p| p.parse().unwrap()).collect(),
        anti_entropy_every: federation::ANTI_ENTROPY_EVERY,
    }
}

/// An incident of the coalition's with this narrative, released as given.
pub(crate) fn incident(narrative: &str, releasable_to: &[&str]) -> Value {
    json!({
        "when": "2025-09-14", "point": {"lat": 34.8833, "lon": 44.6333}, "location_precision": "near",
        "type": "hit_and_run",
        "narrative": narrative,
        "owner_org_id": "cjtf-oir", "releasable_to": releasable_to, "release_groups": []
    })
}

/// Waits until `f` holds (events cross asynchronously), or fails naming `what`.
pub(crate) async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !f().await {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// GET as a viewer-level org admin of `org`: the status.
pub(crate) async fn status_as(app: &TestApp, org: &str, path: &str) -> StatusCode {
    app.client
        .get(app.url(path))
        .header("authorization", app.bearer(org).await)
        .send()
        .await
        .unwrap()
        .status()
}

/// Whether any file under `dir` contains `word`.
pub(crate) fn found_in(dir: &Path, word: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(word.len()).any(|w| w == word.as_bytes())
            {
                hits.push(path);
            }
        }
    }
    hits
}

pub(crate) async fn audit_actions(app: &TestApp, action: &str) -> Vec<Value> {
    app.app
        .store()
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|e| e["action"] == action)
        .collect()
}

#[tokio::test]
async fn released_records_reach_the_partner_unreleased_never_do_and_unreleasing_withdraws_the_copy()
{
    let nats = start_nats().await;
    let owner = spawn_app().await;
    owner.seed_registry().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    let _owner_fed = federation::start(owner.app.clone(), settings(&nats, "cjtf-oir", &["mopa"]))
        .await
        .unwrap();
    let partner_fed =
        federation::start(partner.app.clone(), settings(&nats, "mopa", &["cjtf-oir"]))
            .await
            .unwrap();

    // Written first, so that by the time the released one arrives this one has been
    // through the publisher.
    let secret = owner
        .create(
            "/api/v1/incidents",
            incident("CANARYZULU coalition-only reporting", &["iraqi-army"]),
        )
        .await;
    let shared = owner
        .create(
            "/api/v1/incidents",
            incident("RELEASEDKILO shared with the ministry", &["mopa"]),
        )
        .await;
    let shared_path = format!("/api/v1/incidents/{}", shared["id"].as_str().unwrap());
    let secret_path = format!("/api/v1/incidents/{}", secret["id"].as_str().unwrap());

    // The released record arrives and a mopa user reads it as the owner wrote it.
    eventually("the released incident at mopa", || async {
        status_as(&partner, "mopa", &shared_path).await == StatusCode::OK
    })
    .await;
    let copy = partner.get_json(&shared_path).await;
    assert_eq!(copy["narrative"], "RELEASEDKILO shared with the ministry");
    assert_eq!(copy["owner_org_id"], "cjtf-oir");
    assert_eq!(copy["version"], shared["version"]);
    // A copy is not the partner's to change.
    let mut edited = copy.clone();
    edited["narrative"] = json!("changed at the ministry");
    let r = partner.put(&shared_path, &edited).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "{}",
        r.text().await.unwrap()
    );

    // The unreleased one never crossed: not readable, not in the partner's database
    // files (WAL included), not in the NATS server's store. The released word is in both
    // places, so the search itself works.
    eventually("the owner's outbox drained", || async {
        owner.app.store().outbox_len().await.unwrap() == 0
    })
    .await;
    assert_eq!(
        status_as(&partner, "mopa", &secret_path).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        partner
            .app
            .store()
            .get(
                hawkari_core::record::Kind::Incident,
                secret["id"].as_str().unwrap(),
                &hawkari_core::access::Reach::Everything
            )
            .await
            .unwrap(),
        None
    );
    if matches!(partner.db, crate::helpers::TestDb::Sqlite(_)) {
        assert_eq!(
            found_in(partner.data_dir(), "CANARYZULU"),
            Vec::<PathBuf>::new()
        );
        assert!(!found_in(partner.data_dir(), "RELEASEDKILO").is_empty());
        assert!(!found_in(owner.data_dir(), "CANARYZULU").is_empty());
    }
    assert_eq!(
        found_in(&nats.store_dir, "CANARYZULU"),
        Vec::<PathBuf>::new()
    );
    assert!(!found_in(&nats.store_dir, "RELEASEDKILO").is_empty());

    // Both sides audit the event by its id.
    let sent = audit_actions(&owner, "federation_sent").await;
    let event_prefix = format!(
        "cjtf-oir.incident.{}.v1.mopa.",
        shared["id"].as_str().unwrap()
    );
    let event_id = sent
        .iter()
        .filter_map(|e| e["detail"]["events"][0]["id"].as_str())
        .find(|id| id.starts_with(&event_prefix))
        .unwrap_or_else(|| panic!("{sent:#?}"))
        .to_owned();
    let received = audit_actions(&partner, "federation_received").await;
    assert!(
        received
            .iter()
            .any(|e| e["detail"]["event"] == json!(event_id)),
        "{received:#?}"
    );

    // Taking mopa out of the release withdraws its copy.
    let mut unreleased = shared.clone();
    unreleased["releasable_to"] = json!(["iraqi-army"]);
    unreleased["release_groups"] = json!([]);
    let r = owner.put(&shared_path, &unreleased).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    eventually("the withdrawn incident gone at mopa", || async {
        status_as(&partner, "mopa", &shared_path).await == StatusCode::NOT_FOUND
    })
    .await;
    let withdrawn = audit_actions(&partner, "federation_withdrawn").await;
    let withdrawal = withdrawn[0]["detail"]["event"].as_str().unwrap();
    assert!(
        withdrawal.starts_with(&format!(
            "cjtf-oir.incident.{}.w2.mopa.",
            shared["id"].as_str().unwrap()
        )),
        "{withdrawal}"
    );
    assert_eq!(withdrawn[0]["detail"]["held"], true);

    // Released again, it comes back; deleted at its owner, it goes.
    let current = json_as(&owner, "cjtf-oir", &shared_path).await;
    let mut again = current.clone();
    again["releasable_to"] = json!(["mopa"]);
    again["release_groups"] = json!([]);
    let r = owner.put(&shared_path, &again).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    eventually("the re-released incident back at mopa", || async {
        status_as(&partner, "mopa", &shared_path).await == StatusCode::OK
    })
    .await;
    assert_eq!(partner.get_json(&shared_path).await["version"], 3);
    let r = owner.delete(&shared_path, Some(3)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    eventually("the deleted incident gone at mopa", || async {
        status_as(&partner, "mopa", &shared_path).await == StatusCode::NOT_FOUND
    })
    .await;
    // Made again under the same id (as an import may), at version 1 again: it is a new
    // event, not a repeat of the first one.
    owner
        .create_as_cli::<hawkari_core::incident::Incident>(
            shared["id"].as_str().unwrap(),
            incident("RELEASEDKILO made again", &["mopa"]),
        )
        .await;
    eventually("the incident made again at mopa", || async {
        status_as(&partner, "mopa", &shared_path).await == StatusCode::OK
    })
    .await;
    assert_eq!(
        partner.get_json(&shared_path).await["narrative"],
        "RELEASEDKILO made again"
    );
    assert_eq!(
        federation::Counters::get(&partner_fed.counters.dropped),
        0,
        "nothing the owner sent was refused"
    );

    // `federation status` at each end.
    eventually("the owner's outbox drained again", || async {
        owner.app.store().outbox_len().await.unwrap() == 0
    })
    .await;
    let owner_status =
        federation::status::status(&owner.app, &settings(&nats, "cjtf-oir", &["mopa"]))
            .await
            .unwrap();
    assert_eq!(owner_status.ledger.pending, 0);
    // The coalition's own organisations (released to all partners) and the incident made
    // again are held at mopa.
    let held_at_mopa = owner_status
        .ledger
        .held_by
        .iter()
        .find(|(d, _)| d == "mopa")
        .unwrap()
        .1;
    assert_eq!(
        held_at_mopa, 3,
        "cjtf-oir, mag-north and the incident made again: {owner_status}"
    );
    let partner_status =
        federation::status::status(&partner.app, &settings(&nats, "mopa", &["cjtf-oir"]))
            .await
            .unwrap();
    let from_owner = partner_status
        .ledger
        .received_from
        .iter()
        .find(|(s, _, _)| s == "cjtf-oir")
        .unwrap()
        .1;
    assert_eq!(
        from_owner, 7,
        "two organisations; the incident, withdrawn, sent again, deleted, made again: {partner_status}"
    );
    assert_eq!(
        partner_status.inbound,
        Ok(federation::status::Inbound {
            pending: 0,
            unacknowledged: 0,
            acknowledged: 7
        }),
        "{partner_status}"
    );
    assert!(
        partner_status
            .to_string()
            .contains("cjtf-oir: holds copies of"),
        "{partner_status}"
    );
}

#[tokio::test]
async fn an_event_the_partner_may_not_read_is_dropped_and_audited_whatever_the_sender_says() {
    let nats = start_nats().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    let fed = federation::start(partner.app.clone(), settings(&nats, "mopa", &["cjtf-oir"]))
        .await
        .unwrap();
    // A sender that ignores the rules: a coalition record released only to the army,
    // published on mopa's subject.
    let client = async_nats::connect(nats.url.as_str()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    let mut record = incident("FORGEDECHO not for the ministry", &["iraqi-army"]);
    for (k, v) in [
        ("id", json!("forged-1")),
        ("version", json!(1)),
        ("created_by", json!("x")),
        ("created_at", json!("2025-01-01T00:00:00Z")),
        ("updated_by", json!("x")),
        ("updated_at", json!("2025-01-01T00:00:00Z")),
    ] {
        record[k] = v;
    }
    let event = json!({"id": "cjtf-oir.incident.forged-1.v1.mopa", "from": "cjtf-oir", "to": "mopa",
        "op": "copy", "kind": "incident", "record_id": "forged-1", "version": 1, "record": record});
    js.publish(
        federation::subject("mopa", "cjtf-oir"),
        serde_json::to_vec(&event).unwrap().into(),
    )
    .await
    .unwrap()
    .await
    .unwrap();
    eventually("the forged event dropped", || async {
        federation::Counters::get(&fed.counters.dropped) == 1
    })
    .await;
    assert_eq!(
        status_as(&partner, "mopa", "/api/v1/incidents/forged-1").await,
        StatusCode::NOT_FOUND
    );
    // Nor may a partner's record replace one of mopa's own, or put an organisation under
    // mopa's (which would change who reads what at mopa).
    let organisation = |id: &str, parent: Option<&str>| {
        let mut o = json!({"id": id, "names": {"en": "Hijacked"}, "kind": "coalition", "owner_org_id": "cjtf-oir",
            "releasable_to": ["mopa"], "version": 9, "created_by": "x", "created_at": "2025-01-01T00:00:00Z",
            "updated_by": "x", "updated_at": "2025-01-01T00:00:00Z"});
        if let Some(p) = parent {
            o["parent_id"] = json!(p);
        }
        json!({"id": format!("cjtf-oir.organisation.{id}.v9.mopa"), "from": "cjtf-oir", "to": "mopa",
            "op": "copy", "kind": "organisation", "record_id": id, "version": 9, "record": o})
    };
    // Nor move its own organisation (or re-kind it), take over another partner's
    // (iraqi-army's, held here), put one of its own into another partner's tree, or
    // make one of a kind whose group it is not in: each would widen what it is sent.
    let moved = organisation("cjtf-oir", Some("iraqi-army"));
    let taken = organisation("iraqi-army", None);
    let planted = organisation("liaison-cell", Some("iraqi-army"));
    let mut federal = organisation("federal-cell", Some("cjtf-oir"));
    federal["record"]["kind"] = json!("federal");
    let mut regrouped = organisation("mag-north", Some("cjtf-oir"));
    regrouped["record"]["kind"] = json!("regional");
    // Another event than the one above for mag-north.
    regrouped["id"] = json!("cjtf-oir.organisation.mag-north.v10.mopa");
    regrouped["version"] = json!(10);
    regrouped["record"]["version"] = json!(10);
    for forged in [
        organisation("sector-6", None),
        organisation("mag-north", Some("sector-6")),
        moved,
        taken,
        planted,
        federal,
        regrouped,
    ] {
        js.publish(
            federation::subject("mopa", "cjtf-oir"),
            serde_json::to_vec(&forged).unwrap().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    }
    eventually("the forged organisations dropped", || async {
        federation::Counters::get(&fed.counters.dropped) == 8
    })
    .await;
    let army = json_as(&partner, "mopa", "/api/v1/organisations/iraqi-army").await;
    assert_eq!(
        (
            army["owner_org_id"].as_str(),
            army["kind"].as_str(),
            army["version"].as_i64()
        ),
        (Some("iraqi-army"), Some("federal"), Some(1))
    );
    let coalition = json_as(&partner, "mopa", "/api/v1/organisations/cjtf-oir").await;
    assert_eq!(coalition["parent_id"], Value::Null, "not moved");
    let mag = json_as(&partner, "mopa", "/api/v1/organisations/mag-north").await;
    assert_eq!(mag["kind"], "coalition", "not re-kinded");
    for absent in ["liaison-cell", "federal-cell"] {
        assert_eq!(
            status_as(&partner, "mopa", &format!("/api/v1/organisations/{absent}")).await,
            StatusCode::NOT_FOUND
        );
    }
    let sector = json_as(&partner, "mopa", "/api/v1/organisations/sector-6").await;
    assert_eq!(
        (sector["owner_org_id"].as_str(), sector["version"].as_i64()),
        (Some("sector-6"), Some(1))
    );
    let mag = json_as(&partner, "mopa", "/api/v1/organisations/mag-north").await;
    assert_eq!(mag["parent_id"], "cjtf-oir");
    let dropped = audit_actions(&partner, "federation_dropped").await;
    let reasons: Vec<&str> = dropped
        .iter()
        .map(|d| d["detail"]["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "the record is not released to this instance",
            "the record would replace `sector-6`, a record of this instance's own",
            "the organisation would be placed under `sector-6`, an organisation of this instance",
            "a partner does not move or re-kind `cjtf-oir`, its own organisation or one above it",
            "the record held is owned by `iraqi-army`, not by `cjtf-oir` or an organisation below it",
            "`liaison-cell` must stay below `cjtf-oir`, the organisation whose instance sends it",
            "`federal-cell` would be of a kind in the group `federal`, which `cjtf-oir` is not in",
            "`mag-north` would be of a kind in the group `regional`, which `cjtf-oir` is not in",
        ]
    );
    assert_eq!(
        dropped[0]["detail"]["event"],
        "cjtf-oir.incident.forged-1.v1.mopa"
    );
}

#[tokio::test]
async fn under_the_shipped_nats_configuration_a_partner_can_neither_read_another_partners_subject_nor_publish_as_it()
 {
    let passwords = [
        ("HAWKARI_NATS_PASSWORD_CJTF_OIR", "coalition-secret-1"),
        ("HAWKARI_NATS_PASSWORD_MOPA", "ministry-secret-2"),
        ("HAWKARI_NATS_PASSWORD_IRAQI_ARMY", "army-secret-3"),
    ];
    let nats = start_shipped_nats(&passwords).await;
    let with_password = |home: &str, partners: &[&str], password: &str| Settings {
        credentials: Credentials::UserPassword {
            user: home.into(),
            password: password.into(),
        },
        ..settings(&nats, home, partners)
    };
    // The instances work under it: a released record crosses.
    let owner = spawn_app().await;
    owner.seed_registry().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    let _owner_fed = federation::start(
        owner.app.clone(),
        with_password("cjtf-oir", &["mopa"], "coalition-secret-1"),
    )
    .await
    .unwrap();
    let _partner_fed = federation::start(
        partner.app.clone(),
        with_password("mopa", &["cjtf-oir"], "ministry-secret-2"),
    )
    .await
    .unwrap();
    let shared = owner
        .create("/api/v1/incidents", incident("for the ministry", &["mopa"]))
        .await;
    let path = format!("/api/v1/incidents/{}", shared["id"].as_str().unwrap());
    eventually("the released incident at mopa", || async {
        status_as(&partner, "mopa", &path).await == StatusCode::OK
    })
    .await;

    // The army's credentials cannot subscribe to what is addressed to mopa, nor to
    // everything, nor read mopa's replies.
    let (army, mut errors) = nats_client(&nats, "iraqi-army", "army-secret-3").await;
    for subject in [
        "hawkari.mopa.records.*",
        "hawkari.>",
        "_INBOX_mopa.>",
        "hawkari.mopa.digest.*",
    ] {
        let mut sub = army.subscribe(subject).await.unwrap();
        let error = next_error(&mut errors).await;
        assert!(
            error.contains("Permissions Violation for Subscription") && error.contains(subject),
            "{subject}: {error}"
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(200), sub.next())
                .await
                .map_or(true, |m| m.is_none()),
            "{subject}: a message came through"
        );
    }
    // Nor make a consumer of mopa's subject, under either name.
    let js = async_nats::jetstream::new(army.clone());
    let stream = js.get_stream(federation::STREAM).await.unwrap();
    for name in ["hawkari-iraqi-army", "hawkari-mopa"] {
        let made = tokio::time::timeout(
            Duration::from_secs(1),
            stream.create_consumer(async_nats::jetstream::consumer::pull::Config {
                durable_name: Some(name.into()),
                filter_subject: "hawkari.mopa.records.*".into(),
                ..Default::default()
            }),
        )
        .await;
        assert!(
            !matches!(made, Ok(Ok(_))),
            "{name}: a consumer of mopa's subject was made"
        );
        let error = next_error(&mut errors).await;
        assert!(
            error.contains("Permissions Violation for Publish"),
            "{error}"
        );
    }
    // Nor publish as another instance.
    army.publish(federation::subject("mopa", "cjtf-oir"), "forged".into())
        .await
        .unwrap();
    army.flush().await.unwrap();
    let error = next_error(&mut errors).await;
    assert!(
        error.contains("Permissions Violation for Publish")
            && error.contains("hawkari.mopa.records.cjtf-oir"),
        "{error}"
    );
    // Nor ask for digests as another instance.
    army.publish(digest_subject("cjtf-oir", "mopa"), "{}".into())
        .await
        .unwrap();
    army.flush().await.unwrap();
    let error = next_error(&mut errors).await;
    assert!(
        error.contains("Permissions Violation for Publish")
            && error.contains("hawkari.cjtf-oir.digest.mopa"),
        "{error}"
    );
    // Digests cross under it: the two instances verify each other.
    let coalition_settings = with_password("cjtf-oir", &["mopa"], "coalition-secret-1");
    eventually("verify in step under the shipped configuration", || async {
        let report = federation::digest::verify(&owner.app, &coalition_settings)
            .await
            .unwrap();
        report.differences == 0 && report.unanswered == 0
    })
    .await;
    // And a wrong password is refused outright.
    let refused = async_nats::ConnectOptions::new()
        .user_and_password("mopa".into(), "army-secret-3".into())
        .connect(nats.url.as_str())
        .await;
    assert!(refused.is_err());
}

/// A record as a user of `org` reads it at `app`.
pub(crate) async fn json_as(app: &TestApp, org: &str, path: &str) -> Value {
    let r = app
        .client
        .get(app.url(path))
        .header("authorization", app.bearer(org).await)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "GET {path} as {org}");
    r.json().await.unwrap()
}

/// The ids and versions of the incidents a user of `org` reads at `app`.
pub(crate) async fn incidents_seen(app: &TestApp, org: &str) -> Vec<(String, i64)> {
    let r = app
        .client
        .get(app.url("/api/v1/incidents?limit=500"))
        .header("authorization", app.bearer(org).await)
        .send()
        .await
        .unwrap();
    let list: Value = r.json().await.unwrap();
    let mut seen: Vec<(String, i64)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["version"].as_i64().unwrap(),
            )
        })
        .collect();
    seen.sort();
    seen
}

#[tokio::test]
async fn writes_made_on_both_sides_while_the_nats_server_is_down_converge_when_it_returns() {
    let mut nats = start_nats().await;
    let owner = spawn_app().await;
    owner.seed_registry().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    let _owner_fed = federation::start(owner.app.clone(), settings(&nats, "cjtf-oir", &["mopa"]))
        .await
        .unwrap();
    let _partner_fed =
        federation::start(partner.app.clone(), settings(&nats, "mopa", &["cjtf-oir"]))
            .await
            .unwrap();
    let mut coalition_ids = Vec::new();
    let mut ministry_ids = Vec::new();
    let ministry_incident = |i: usize| {
        let mut body = incident(&format!("ministry report {i}"), &["cjtf-oir"]);
        body["owner_org_id"] = json!("mopa");
        body
    };
    for round in 0..3 {
        if round == 1 {
            nats.stop();
        }
        if round == 2 {
            nats.start().await;
        }
        // Acknowledged writes on both sides, whatever the NATS server's state.
        for i in 0..10 {
            let c = owner
                .create(
                    "/api/v1/incidents",
                    incident(&format!("coalition report {round}-{i}"), &["mopa"]),
                )
                .await;
            coalition_ids.push(c["id"].as_str().unwrap().to_owned());
            let m = partner
                .create("/api/v1/incidents", ministry_incident(round * 10 + i))
                .await;
            ministry_ids.push(m["id"].as_str().unwrap().to_owned());
        }
        // One record changed too: the later version must win everywhere.
        if round == 1 {
            let path = format!("/api/v1/incidents/{}", coalition_ids[0]);
            let mut changed = json_as(&owner, "cjtf-oir", &path).await;
            changed["narrative"] = json!("corrected while NATS was down");
            changed["release_groups"] = json!([]);
            let r = owner.put(&path, &changed).await;
            assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
            // With the server down, what was written waits in the outboxes.
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(owner.app.store().outbox_len().await.unwrap() >= 11);
            assert!(partner.app.store().outbox_len().await.unwrap() >= 10);
        }
    }
    // Both sides end with the same 60 incidents at the same versions, each once.
    let mut all: Vec<String> = coalition_ids.iter().chain(&ministry_ids).cloned().collect();
    all.sort();
    eventually(
        "both instances hold all 60 incidents at their owners' versions",
        || async {
            let at_owner = incidents_seen(&owner, "cjtf-oir").await;
            let at_partner = incidents_seen(&partner, "mopa").await;
            at_owner.len() == 60 && at_owner == at_partner
        },
    )
    .await;
    let at_partner = incidents_seen(&partner, "mopa").await;
    assert_eq!(
        at_partner
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>(),
        all
    );
    let corrected = partner
        .get_json(&format!("/api/v1/incidents/{}", coalition_ids[0]))
        .await;
    assert_eq!(corrected["narrative"], "corrected while NATS was down");
    assert_eq!(corrected["version"], 2);
}
