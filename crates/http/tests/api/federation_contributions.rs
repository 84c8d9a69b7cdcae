//! Partners' contributions flow back (issue 13, point 4): three instances — the
//! ministry's (mopa, the owner), the coalition's and the army's — over a real NATS
//! server. Comments and status changes made at the partners on a copy reach the owner,
//! are merged there (both concurrent status changes kept, one current status
//! everywhere) and go on to the other partner; the owner's own fields stay its own;
//! a contribution to a record not released to its sender is refused and audited.

use std::path::PathBuf;
use std::time::Duration;

use hawkari_app::federation;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::federation::{audit_actions, eventually, found_in, json_as, settings, status_as};
use crate::helpers::{TestApp, spawn_app};
use crate::nats::start_nats;

/// POST as an org admin of `org` at `app`.
async fn post_as(app: &TestApp, org: &str, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("authorization", app.bearer(org).await)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The comments a user of `org` reads on a record at `app`: (id, text).
async fn comments_as(app: &TestApp, org: &str, path: &str) -> Vec<(String, String)> {
    let r = app
        .client
        .get(app.url(&format!("{path}/comments")))
        .header("authorization", app.bearer(org).await)
        .send()
        .await
        .unwrap();
    if r.status() != StatusCode::OK {
        return Vec::new();
    }
    let body: Value = r.json().await.unwrap();
    let items = body.get("items").unwrap_or(&body);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A commitment's status history as `org` reads it at `app`: (status, by).
async fn history_as(app: &TestApp, org: &str, path: &str) -> Vec<(String, String)> {
    let c = json_as(app, org, path).await;
    c["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_owned(),
                s["by"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn partners_comments_and_status_changes_reach_the_owner_and_the_other_partners_and_forged_ones_are_refused()
 {
    let nats = start_nats().await;
    let ministry = spawn_app().await;
    ministry.seed_registry().await;
    let coalition = spawn_app().await;
    coalition.seed_registry().await;
    let army = spawn_app().await;
    army.seed_registry().await;
    let _m = federation::start(
        ministry.app.clone(),
        settings(&nats, "mopa", &["cjtf-oir", "iraqi-army"]),
    )
    .await
    .unwrap();
    let _c = federation::start(
        coalition.app.clone(),
        settings(&nats, "cjtf-oir", &["mopa", "iraqi-army"]),
    )
    .await
    .unwrap();
    let army_fed = federation::start(
        army.app.clone(),
        settings(&nats, "iraqi-army", &["mopa", "cjtf-oir"]),
    )
    .await
    .unwrap();

    // The ministry's commitment, released to both partners.
    let e = ministry
        .create_engagement("Election security", "2025-10-07")
        .await;
    let c = ministry
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": e["id"], "text": "Joint checkpoints on the road", "responsible_org_id": "mopa",
                   "counterpart_org_id": "cjtf-oir", "owner_org_id": "mopa",
                   "releasable_to": ["cjtf-oir", "iraqi-army"], "release_groups": []}),
        )
        .await;
    let path = format!("/api/v1/commitments/{}", c["id"].as_str().unwrap());
    for (app, org) in [(&coalition, "cjtf-oir"), (&army, "iraqi-army")] {
        eventually("the commitment at the partners", || async {
            status_as(app, org, &path).await == StatusCode::OK
        })
        .await;
    }

    // Each partner changes the status on its copy, at about the same time, and
    // comments. Each sees its own change at once.
    let r = post_as(
        &coalition,
        "cjtf-oir",
        &format!("{path}/status"),
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let r = post_as(
        &army,
        "iraqi-army",
        &format!("{path}/status"),
        json!({"status": "done", "reason": "checkpoints manned"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_eq!(json_as(&army, "iraqi-army", &path).await["status"], "done");
    for (app, org, text) in [
        (
            &coalition,
            "cjtf-oir",
            "Checked with the ministry's liaison",
        ),
        (&army, "iraqi-army", "Army units on the road since Tuesday"),
    ] {
        let r = post_as(app, org, &format!("{path}/comments"), json!({"text": text})).await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
    // The owner comments too.
    let r = post_as(
        &ministry,
        "mopa",
        &format!("{path}/comments"),
        json!({"text": "Budget approved"}),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );

    // All three end with the same history (both changes kept, by their origins), the
    // same current status, the same three comments in the same order, and the owner's
    // version.
    let instances = [
        (&ministry, "mopa"),
        (&coalition, "cjtf-oir"),
        (&army, "iraqi-army"),
    ];
    eventually(
        "every instance holds both status changes and the three comments",
        || async {
            for (app, org) in instances {
                if history_as(app, org, &path).await.len() != 3
                    || comments_as(app, org, &path).await.len() != 3
                {
                    return false;
                }
            }
            let owner = json_as(&ministry, "mopa", &path).await;
            for (app, org) in &instances[1..] {
                if json_as(app, org, &path).await["version"] != owner["version"] {
                    return false;
                }
            }
            true
        },
    )
    .await;
    let history = history_as(&ministry, "mopa", &path).await;
    assert_eq!(history[0].0, "open");
    let mut changes: Vec<(String, String)> = history[1..].to_vec();
    changes.sort();
    assert_eq!(
        changes,
        [
            ("done".to_owned(), "iraqi-army-admin@iraqi-army".to_owned()),
            (
                "in_progress".to_owned(),
                "cjtf-oir-admin@cjtf-oir".to_owned()
            ),
        ]
    );
    let owner = json_as(&ministry, "mopa", &path).await;
    // The army's change was made after the coalition's: it is the current status.
    assert_eq!(owner["status"], "done");
    assert_eq!(
        owner["text"], "Joint checkpoints on the road",
        "the owner's fields stand"
    );
    let comments = comments_as(&ministry, "mopa", &path).await;
    for (app, org) in &instances[1..] {
        assert_eq!(history_as(app, org, &path).await, history, "{org}");
        assert_eq!(json_as(app, org, &path).await["status"], "done", "{org}");
        assert_eq!(comments_as(app, org, &path).await, comments, "{org}");
    }
    let texts: Vec<&str> = comments.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Checked with the ministry's liaison",
            "Army units on the road since Tuesday",
            "Budget approved"
        ]
    );
    // The owner audits each contribution by event and contribution id.
    let merged = audit_actions(&ministry, "federation_contribution").await;
    assert_eq!(merged.len(), 4, "{merged:#?}");

    // A record the army may not read: the coalition's comment on it reaches the owner
    // and never the army, not even its words.
    let restricted = ministry
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": e["id"], "text": "Ministry and coalition only", "responsible_org_id": "mopa",
                   "owner_org_id": "mopa", "releasable_to": ["cjtf-oir"], "release_groups": []}),
        )
        .await;
    let restricted_path = format!("/api/v1/commitments/{}", restricted["id"].as_str().unwrap());
    eventually("the restricted commitment at the coalition's", || async {
        status_as(&coalition, "cjtf-oir", &restricted_path).await == StatusCode::OK
    })
    .await;
    let r = post_as(
        &coalition,
        "cjtf-oir",
        &format!("{restricted_path}/comments"),
        json!({"text": "CANARYQUEBEC seen by the coalition"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    eventually("the comment at the owner's", || async {
        comments_as(&ministry, "mopa", &restricted_path).await.len() == 1
    })
    .await;
    eventually("the owner's outbox drained", || async {
        ministry.app.store().outbox_len().await.unwrap() == 0
    })
    .await;
    assert_eq!(
        status_as(&army, "iraqi-army", &restricted_path).await,
        StatusCode::NOT_FOUND
    );
    if matches!(army.db, crate::helpers::TestDb::Sqlite(_)) {
        assert_eq!(
            found_in(army.data_dir(), "CANARYQUEBEC"),
            Vec::<PathBuf>::new()
        );
    }

    // The army forges a comment on that commitment (not released to it), sent as itself
    // to the owner: refused and audited there; nothing is added.
    let client = async_nats::connect(nats.url.as_str()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    let forged = json!({
        "id": "iraqi-army.contribution.forged.mopa.1", "from": "iraqi-army", "to": "mopa", "op": "contribute",
        "kind": "commitment", "record_id": restricted["id"], "version": 0,
        "contribution": {"id": "iraqi-army.forged-1", "origin": "iraqi-army", "kind": "commitment",
            "record_id": restricted["id"], "at": "2025-10-01T00:00:00Z",
            "what": {"type": "comment", "comment": {"id": "forged-1", "author": "spy", "organisation_id": "iraqi-army",
                "at": "2025-10-01T00:00:00Z", "text": "FORGED"}}}
    });
    js.publish(
        federation::subject("mopa", "iraqi-army"),
        serde_json::to_vec(&forged).unwrap().into(),
    )
    .await
    .unwrap()
    .await
    .unwrap();
    eventually("the forged contribution refused", || async {
        audit_actions(&ministry, "federation_dropped").await.len() == 1
    })
    .await;
    let dropped = audit_actions(&ministry, "federation_dropped").await;
    assert_eq!(
        dropped[0]["detail"]["reason"],
        "the record is not released to `iraqi-army`, which contributed to it"
    );
    assert_eq!(
        comments_as(&ministry, "mopa", &restricted_path).await.len(),
        1
    );
    // Nor may it pass a status change off as made by one of the owner's users.
    let impersonated = json!({
        "id": "iraqi-army.contribution.forged-2.mopa.1", "from": "iraqi-army", "to": "mopa", "op": "contribute",
        "kind": "commitment", "record_id": c["id"], "version": 0,
        "contribution": {"id": "iraqi-army.forged-2", "origin": "iraqi-army", "kind": "commitment",
            "record_id": c["id"], "at": "2025-10-01T00:00:00Z",
            "what": {"type": "status", "change": {"status": "dropped", "at": "2030-01-01T00:00:00Z", "by": "mopa-admin"}}}
    });
    js.publish(
        federation::subject("mopa", "iraqi-army"),
        serde_json::to_vec(&impersonated).unwrap().into(),
    )
    .await
    .unwrap()
    .await
    .unwrap();
    eventually("the impersonating contribution refused", || async {
        audit_actions(&ministry, "federation_dropped").await.len() == 2
    })
    .await;
    let dropped = audit_actions(&ministry, "federation_dropped").await;
    assert_eq!(
        dropped[1]["detail"]["reason"],
        "the contribution is recorded as made by `mopa-admin`, not by a user at `iraqi-army`"
    );
    assert_eq!(json_as(&ministry, "mopa", &path).await["status"], "done");
    assert_eq!(federation::Counters::get(&army_fed.counters.dropped), 0);
}

#[tokio::test]
async fn a_site_report_made_on_a_copy_of_an_operation_reaches_the_owner_and_comes_back_as_its_version()
 {
    let nats = start_nats().await;
    let army = spawn_app().await;
    army.seed_registry().await;
    let ministry = spawn_app().await;
    ministry.seed_registry().await;
    let _a = federation::start(army.app.clone(), settings(&nats, "iraqi-army", &["mopa"]))
        .await
        .unwrap();
    let _m = federation::start(
        ministry.app.clone(),
        settings(&nats, "mopa", &["iraqi-army"]),
    )
    .await
    .unwrap();
    let op = army
        .create(
            "/api/v1/operations",
            json!({
                "names": {"en": "Election security"}, "start": "2025-11-01", "end": "2025-11-15",
                "lead_org_id": "iraqi-army", "owner_org_id": "iraqi-army",
                "releasable_to": ["mopa"], "release_groups": [],
                "sites": [{"key": "tuz-1", "names": {"en": "Tuz Khurmatu polling centre 1"}, "kind": "polling_centre",
                           "point": {"lat": 34.886, "lon": 44.633}, "lead_org_id": "iraqi-army"}]
            }),
        )
        .await;
    let path = format!("/api/v1/operations/{}", op["id"].as_str().unwrap());
    eventually("the operation at the ministry's", || async {
        status_as(&ministry, "mopa", &path).await == StatusCode::OK
    })
    .await;
    // The ministry's liaison reports on its copy; it shows there at once, at the
    // owner's version.
    let r = post_as(
        &ministry,
        "mopa",
        &format!("{path}/sites/tuz-1/reports"),
        json!({"status": "incident", "note": "Shots fired near the entrance; no casualties."}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let copy: Value = r.json().await.unwrap();
    assert_eq!(copy["version"], 1);
    assert_eq!(copy["sites"][0]["reports"][0]["by"], "mopa-admin@mopa");
    // A site the operation does not have is refused, naming it.
    let r = post_as(
        &ministry,
        "mopa",
        &format!("{path}/sites/nowhere/reports"),
        json!({"status": "manned"}),
    )
    .await;
    assert!(r.text().await.unwrap().contains("nowhere"));

    // The owner merges it into a new version, which comes back to the ministry.
    eventually("the report at the owner's and its version back", || async {
        let owner = json_as(&army, "iraqi-army", &path).await;
        let copy = json_as(&ministry, "mopa", &path).await;
        owner["version"] == 2 && copy["version"] == 2
    })
    .await;
    let owner = json_as(&army, "iraqi-army", &path).await;
    assert_eq!(
        owner["sites"][0]["reports"],
        json_as(&ministry, "mopa", &path).await["sites"][0]["reports"]
    );
    assert_eq!(owner["sites"][0]["reports"][0]["status"], "incident");
    assert_eq!(owner["sites"][0]["reports"].as_array().unwrap().len(), 1);
    assert_eq!(owner["updated_by"], "federation:mopa");
    assert_eq!(owner["names"]["en"], "Election security");
}

#[tokio::test]
async fn contributions_and_copies_delivered_before_what_they_need_wait_for_it_and_end_as_at_the_owner()
 {
    use futures_util::StreamExt;
    let nats = start_nats().await;
    let ministry = spawn_app().await;
    ministry.seed_registry().await;
    let coalition = spawn_app().await;
    coalition.seed_registry().await;
    let army = spawn_app().await;
    army.seed_registry().await;
    let _m = federation::start(
        ministry.app.clone(),
        settings(&nats, "mopa", &["cjtf-oir", "iraqi-army"]),
    )
    .await
    .unwrap();
    let _c = federation::start(
        coalition.app.clone(),
        settings(&nats, "cjtf-oir", &["mopa", "iraqi-army"]),
    )
    .await
    .unwrap();
    // The army's instance is not running: the test reads what is addressed to it and
    // hands it over out of order.
    let at_army = settings(&nats, "iraqi-army", &["mopa", "cjtf-oir"]);
    let js = async_nats::jetstream::new(async_nats::connect(nats.url.as_str()).await.unwrap());
    let stream = federation::stream(&js).await.unwrap();
    let reader = stream
        .get_or_create_consumer(
            "out-of-order",
            async_nats::jetstream::consumer::pull::Config {
                durable_name: Some("out-of-order".into()),
                filter_subject: "hawkari.iraqi-army.records.*".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // The ministry's commitment, released to both; the coalition changes its status on
    // its copy and comments, the ministry comments: the ministry merges them and sends
    // the army the copy and the three contributions.
    let e = ministry
        .create_engagement("Election security", "2025-10-07")
        .await;
    let c = ministry
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": e["id"], "text": "Joint checkpoints on the road", "responsible_org_id": "mopa",
                   "owner_org_id": "mopa", "releasable_to": ["cjtf-oir", "iraqi-army"], "release_groups": []}),
        )
        .await;
    let path = format!("/api/v1/commitments/{}", c["id"].as_str().unwrap());
    eventually("the commitment at the coalition's", || async {
        status_as(&coalition, "cjtf-oir", &path).await == StatusCode::OK
    })
    .await;
    for (app, org, suffix, body) in [
        (
            &coalition,
            "cjtf-oir",
            "status",
            json!({"status": "in_progress"}),
        ),
        (
            &coalition,
            "cjtf-oir",
            "comments",
            json!({"text": "Checked with the ministry's liaison"}),
        ),
        (
            &ministry,
            "mopa",
            "comments",
            json!({"text": "Budget approved"}),
        ),
    ] {
        let r = post_as(app, org, &format!("{path}/{suffix}"), body).await;
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    eventually("the owner merged both and sent everything", || async {
        history_as(&ministry, "mopa", &path).await.len() == 2
            && comments_as(&ministry, "mopa", &path).await.len() == 2
            && ministry.app.store().outbox_len().await.unwrap() == 0
    })
    .await;
    let mut events = Vec::new();
    let mut batch = reader
        .fetch()
        .max_messages(1000)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .unwrap();
    while let Some(m) = batch.next().await {
        let m = m.unwrap();
        let event: federation::Event = serde_json::from_slice(&m.payload).unwrap();
        events.push((event, m.subject.to_string(), m.payload.to_vec()));
        m.ack().await.unwrap();
    }
    // The registry's and the engagement's events, in the order they came; then the
    // commitment's, out of order.
    let (ours, before): (Vec<_>, Vec<_>) = events
        .into_iter()
        .partition(|(e, ..)| e.kind == "commitment" && e.record_id == c["id"].as_str().unwrap());
    let (contributions, copies): (Vec<_>, Vec<_>) = ours
        .into_iter()
        .partition(|(e, ..)| e.op == federation::Op::Contribute);
    assert!(!copies.is_empty());
    assert_eq!(contributions.len(), 3, "{contributions:#?}");

    // The contributions first: each waits, nothing of them is shown.
    let deliver = |(event, subject, payload): &(federation::Event, String, Vec<u8>)| {
        let (app, s) = (army.app.clone(), at_army.clone());
        let (subject, payload, id) = (subject.clone(), payload.clone(), event.id.clone());
        async move {
            let outcome = federation::receive::handle(&app, &s, &subject, &payload)
                .await
                .unwrap();
            (id, outcome)
        }
    };
    // The engagement's events are held back: the commitment's copies will arrive
    // before the engagement they refer to.
    let (engagement_events, before): (Vec<_>, Vec<_>) = before
        .into_iter()
        .partition(|(ev, ..)| ev.kind == "engagement" && ev.record_id == e["id"].as_str().unwrap());
    assert!(!engagement_events.is_empty());
    for event in &before {
        deliver(event).await;
    }
    for event in &contributions {
        let (id, outcome) = deliver(event).await;
        assert_eq!(outcome, federation::receive::Outcome::Parked, "{id}");
    }
    // Delivered again, a waiting one is a repeat.
    assert_eq!(
        deliver(&contributions[0]).await.1,
        federation::receive::Outcome::Repeat
    );
    assert_eq!(army.app.store().parked_len().await.unwrap(), 3);
    assert_eq!(
        status_as(&army, "iraqi-army", &path).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(audit_actions(&army, "federation_parked").await.len(), 3);

    // Then the copies, newest first: they wait for the engagement where the database
    // checks references (SQLite; the PostgreSQL schema does not, and takes them).
    let checks_references = matches!(army.db, crate::helpers::TestDb::Sqlite(_));
    for event in copies.iter().rev() {
        let (id, outcome) = deliver(event).await;
        let expected = if checks_references {
            federation::receive::Outcome::Parked
        } else {
            federation::receive::Outcome::Applied
        };
        assert_eq!(outcome, expected, "{id}");
    }
    if checks_references {
        assert_eq!(
            army.app.store().parked_len().await.unwrap(),
            3 + copies.len() as u64
        );
        assert_eq!(
            status_as(&army, "iraqi-army", &path).await,
            StatusCode::NOT_FOUND
        );
    }
    // The engagement arrives: the copies waiting for it are applied, then the
    // contributions waiting for the commitment, in the order they came, and the army
    // ends with what the owner holds.
    for event in &engagement_events {
        let (id, outcome) = deliver(event).await;
        assert_eq!(outcome, federation::receive::Outcome::Applied, "{id}");
    }
    assert_eq!(army.app.store().parked_len().await.unwrap(), 0);
    let owner = json_as(&ministry, "mopa", &path).await;
    let copy = json_as(&army, "iraqi-army", &path).await;
    assert_eq!(copy["version"], owner["version"]);
    assert_eq!(copy["status"], "in_progress");
    assert_eq!(
        history_as(&army, "iraqi-army", &path).await,
        history_as(&ministry, "mopa", &path).await
    );
    assert_eq!(
        comments_as(&army, "iraqi-army", &path).await,
        comments_as(&ministry, "mopa", &path).await
    );
    let applied = audit_actions(&army, "federation_contribution").await;
    assert_eq!(applied.len(), 3, "{applied:#?}");
    assert!(applied.iter().all(|a| a["detail"]["parked"] == true));
    assert!(audit_actions(&army, "federation_dropped").await.is_empty());

    // The army's instance, started now, takes the rest of its subject (the commitment's
    // events are repeats) and both sides' digests agree.
    let _a = federation::start(army.app.clone(), at_army.clone())
        .await
        .unwrap();
    let at_ministry = settings(&nats, "mopa", &["iraqi-army"]);
    eventually("the army and the ministry in step", || async {
        federation::digest::verify(&army.app, &at_army)
            .await
            .unwrap()
            .differences
            == 0
            && federation::digest::verify(&ministry.app, &at_ministry)
                .await
                .unwrap()
                .differences
                == 0
    })
    .await;
    assert_eq!(
        comments_as(&army, "iraqi-army", &path).await,
        comments_as(&ministry, "mopa", &path).await
    );
    assert!(audit_actions(&army, "federation_dropped").await.is_empty());
}
