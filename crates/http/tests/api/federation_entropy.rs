//! Digests, `federation verify` and anti-entropy (issue 13, point 5), over a real NATS
//! server: a silent hole (a copy lost at the partner, a withdrawal it never applied) is
//! named by `verify` and repaired by an anti-entropy pass; a site offline while 1 000
//! writes happen on each side, with the NATS server killed in the middle of the
//! stream after it reconnects, converges with digests equal and nothing twice.

use std::time::{Duration, Instant};

use hawkari_app::Principal;
use hawkari_app::federation::{self, Settings, anti_entropy, digest};
use hawkari_core::access::Reach;
use hawkari_core::incident::Incident;
use hawkari_core::record::Kind;
use hawkari_store::Write;
use serde_json::json;

use crate::federation::{eventually, incident, settings};
use crate::helpers::{TestApp, spawn_app};
use crate::nats::{Nats, start_nats};

async fn verify(app: &TestApp, s: &Settings) -> digest::VerifyReport {
    digest::verify(&app.app, s).await.unwrap()
}

/// How many incidents the store holds.
async fn incidents_held(app: &TestApp) -> u64 {
    app.app.store().counts().await.unwrap().incidents
}

#[tokio::test]
async fn verify_names_a_lost_copy_and_a_missed_withdrawal_and_anti_entropy_repairs_them() {
    let nats = start_nats().await;
    let owner = spawn_app().await;
    owner.seed_registry().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    // No pass of their own: the test makes the holes and runs the pass.
    let off = |s: Settings| Settings {
        anti_entropy_every: Duration::ZERO,
        ..s
    };
    let at_owner = off(settings(&nats, "cjtf-oir", &["mopa"]));
    let at_partner = off(settings(&nats, "mopa", &["cjtf-oir"]));
    let _o = federation::start(owner.app.clone(), at_owner.clone())
        .await
        .unwrap();
    let _p = federation::start(partner.app.clone(), at_partner.clone())
        .await
        .unwrap();
    let shared = owner
        .create("/api/v1/incidents", incident("shared one", &["mopa"]))
        .await;
    let lost = owner
        .create(
            "/api/v1/incidents",
            incident("lost at the partner", &["mopa"]),
        )
        .await;
    let secret = owner
        .create(
            "/api/v1/incidents",
            json!({"when": "2025-09-14", "point": {"lat": 34.8833, "lon": 44.6333}, "location_precision": "near",
                   "type": "hit_and_run", "narrative": "not for the ministry",
                   "owner_org_id": "cjtf-oir", "releasable_to": ["iraqi-army"], "release_groups": []}),
        )
        .await;
    let mut ministry = incident("the ministry's own", &["cjtf-oir"]);
    ministry["owner_org_id"] = json!("mopa");
    partner.create("/api/v1/incidents", ministry).await;
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    eventually("both copies at mopa", || async {
        incidents_held(&partner).await == 3
    })
    .await;
    eventually("the ministry's at the coalition", || async {
        incidents_held(&owner).await == 4
    })
    .await;
    let report = verify(&owner, &at_owner).await;
    assert_eq!(report.differences, 0, "{}", report.text);
    assert!(report.text.starts_with("mopa: in step"), "{}", report.text);
    assert_eq!(verify(&partner, &at_partner).await.differences, 0);

    // Holes no event will fill: the partner loses a copy, and holds one it should not
    // (as if a withdrawal had never been applied).
    partner
        .app
        .store()
        .write(
            vec![Write::Delete {
                kind: Kind::Incident,
                id: id(&lost),
                expected_version: None,
            }],
            &Reach::Everything,
        )
        .await
        .unwrap();
    let secret_record = owner
        .app
        .store()
        .get(Kind::Incident, &id(&secret), &Reach::Everything)
        .await
        .unwrap()
        .unwrap();
    partner
        .app
        .store()
        .apply_received(vec![Write::Upsert(secret_record)], &[], "cjtf-oir", false)
        .await
        .unwrap();

    let report = verify(&owner, &at_owner).await;
    let mut lines: Vec<&str> = report.text.lines().collect();
    lines[1..].sort();
    assert_eq!(
        lines,
        [
            "mopa: 2 difference(s)",
            &format!(
                "  mopa holds incident {} (version 1), which this instance does not send it (not released to it, or deleted)",
                id(&secret)
            ),
            &format!("  mopa lacks incident {} (version 1 here)", id(&lost)),
        ],
        "{}",
        report.text
    );
    // The partner's verify names the same, from its side.
    let report = verify(&partner, &at_partner).await;
    assert_eq!(report.differences, 2, "{}", report.text);
    assert!(
        report.text.contains(&format!(
            "this instance lacks cjtf-oir's incident {} (version 1 at cjtf-oir)",
            id(&lost)
        )),
        "{}",
        report.text
    );

    // One anti-entropy pass at the owner repairs both.
    let client = federation::connect(&at_owner).await.unwrap();
    let found = anti_entropy::repair(
        &owner.app,
        &client,
        &at_owner,
        &"mopa".parse().unwrap(),
        Duration::ZERO,
    )
    .await
    .unwrap();
    assert_eq!(found.len(), 2);
    eventually("the partner in step again", || async {
        verify(&owner, &at_owner).await.differences == 0
    })
    .await;
    let held = |i: String| {
        let partner = &partner;
        async move {
            partner
                .app
                .store()
                .get(Kind::Incident, &i, &Reach::Everything)
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(held(id(&lost)).await);
    assert!(!held(id(&secret)).await);
    assert!(held(id(&shared)).await);
    assert_eq!(verify(&partner, &at_partner).await.differences, 0);

    // The audit chains' heads cross: each keeps the other's as an anchor, which the
    // other's chain holds.
    let mopa: hawkari_core::ids::OrganisationId = "mopa".parse().unwrap();
    let theirs = anti_entropy::exchange_heads(
        &owner.app,
        &client,
        &at_owner,
        &mopa,
        &mut std::collections::HashMap::new(),
    )
    .await
    .unwrap();
    let anchors = |app: &TestApp| {
        let app = app.app.clone();
        async move {
            app.store()
                .audit_entries(0, 100_000)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.event.action == "federation_anchor")
                .map(|e| e.event.detail["anchor"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        anchors(&owner).await,
        [format!("{}:{}", theirs.seq, theirs.hash)]
    );
    let kept_at_partner = anchors(&partner).await;
    assert_eq!(kept_at_partner.len(), 1);
    let anchor: hawkari_app::audit::AuditAnchor = kept_at_partner[0].parse().unwrap();
    let check = owner.app.verify_audit(Some(&anchor), |_| {}).await.unwrap();
    assert!(check.breaks.is_empty(), "{:?}", check.breaks);
    let check = partner
        .app
        .verify_audit(
            Some(&format!("{}:{}", theirs.seq, theirs.hash).parse().unwrap()),
            |_| {},
        )
        .await
        .unwrap();
    assert!(check.breaks.is_empty(), "{:?}", check.breaks);
}

/// `n` incidents written at `app` by the command line's principal, `parallel` at a
/// time, owned by `owner` and released to `to`.
async fn write_incidents(app: &TestApp, owner: &str, to: &str, tag: &str, n: usize) {
    let principal = Principal::system("test");
    for chunk in (0..n).collect::<Vec<_>>().chunks(25) {
        let writes = chunk.iter().map(|i| {
            let mut body = incident(&format!("{tag} report {i}"), &[to]);
            body["owner_org_id"] = json!(owner);
            body["release_groups"] = json!([]);
            let data = serde_json::from_value(body).unwrap();
            let principal = &principal;
            async move { app.app.create::<Incident>(principal, None, data).await }
        });
        for r in futures_util::future::join_all(writes).await {
            r.unwrap();
        }
    }
}

#[tokio::test]
async fn a_site_offline_for_a_thousand_writes_a_side_then_cut_off_again_mid_stream_converges_with_digests_equal()
 {
    let started = Instant::now();
    let mut nats: Nats = start_nats().await;
    let owner = spawn_app().await;
    owner.seed_registry().await;
    let partner = spawn_app().await;
    partner.seed_registry().await;
    let at_owner = settings(&nats, "cjtf-oir", &["mopa"]);
    let at_partner = settings(&nats, "mopa", &["cjtf-oir"]);
    let _o = federation::start(owner.app.clone(), at_owner.clone())
        .await
        .unwrap();
    // The site (mopa) starts once, so its outbox is on, then goes offline.
    let p = federation::start(partner.app.clone(), at_partner.clone())
        .await
        .unwrap();
    drop(p);
    write_incidents(&owner, "cjtf-oir", "mopa", "coalition", 1000).await;
    write_incidents(&partner, "mopa", "cjtf-oir", "ministry", 1000).await;
    assert_eq!(
        incidents_held(&partner).await,
        1000,
        "nothing crossed meanwhile"
    );

    // Back online; while the backlog streams, the NATS server is killed, both sides go
    // on writing, and it comes back over its store.
    let _p = federation::start(partner.app.clone(), at_partner.clone())
        .await
        .unwrap();
    eventually("the stream under way", || async {
        incidents_held(&partner).await > 1100
    })
    .await;
    nats.stop();
    write_incidents(&owner, "cjtf-oir", "mopa", "coalition-outage", 100).await;
    write_incidents(&partner, "mopa", "cjtf-oir", "ministry-outage", 100).await;
    nats.start().await;

    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let (o, p) = (incidents_held(&owner).await, incidents_held(&partner).await);
        if o == 2200 && p == 2200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not converged: {o} incidents at the owner, {p} at the partner"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Each record once (ids are keys; the counts are exact), and the digests of both
    // directions equal at both ends.
    eventually("digests equal", || async {
        verify(&owner, &at_owner).await.differences == 0
    })
    .await;
    let report = verify(&partner, &at_partner).await;
    assert_eq!(report.differences, 0, "{}", report.text);
    assert!(
        report.text.starts_with("cjtf-oir: in step"),
        "{}",
        report.text
    );
    eprintln!(
        "offline 1 000 writes a side + mid-stream outage: converged in {:?}",
        started.elapsed()
    );
}
