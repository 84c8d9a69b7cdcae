//! Engagements: the record itself, its filters, follow-ups, and optimistic concurrency.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{apps_for_each_plan, error_fields, ids, spawn_app};

#[tokio::test]
async fn an_engagement_can_be_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let created = app
        .create(
            "/api/v1/engagements",
            json!({
                "kind": "delegation_visit",
                "title": "Army Chief of Staff's delegation received in Erbil",
                "when": {"value": "2025-07-01/2025-11-10", "label": "a Tuesday before the election"},
                "participants": [
                    {"person_id": "yarallah", "organisation_id": "iraqi-army", "role": "lead"},
                    {"organisation_id": "mopa", "role": "host"},
                    {"organisation_id": "cjtf-oir", "role": "note_taker", "note": "unnamed adviser"}
                ],
                "topics": ["security-gaps"],
                "tags": ["election", "border"],
                "objectives": ["Coordinate polling-station security"],
                "summary": "Military coordination and post-coalition arrangements.",
                "outcomes": ["Both sides to strengthen joint efforts"],
                "sources": [{"publisher": "Rudaw English", "title": "President receives Baghdad delegation", "date": "2025",
                             "url": "https://www.rudaw.net/english"}],
                "confidence": "high",
                "owner_org_id": "mopa",
                "releasable_to": ["iraqi-army", "cjtf-oir"]
            }),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["when"]["precision"], "range");
    assert_eq!(created["when"]["label"], "a Tuesday before the election");
    assert_eq!(created["when"]["end"], "2025-11-10T23:59:59Z");
    assert_eq!(created["participants"].as_array().unwrap().len(), 3);
    assert_eq!(created["sources"][0]["publisher"], "Rudaw English");
    assert_eq!(
        app.get_json(&format!("/api/v1/engagements/{id}")).await,
        created
    );

    let mut changed = created.clone();
    changed["summary"] = json!("Coordination on elections, borders and the coalition's departure.");
    changed["participants"].as_array_mut().unwrap().pop();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/engagements/{id}")))
        .header("authorization", app.bearer("mopa").await)
        .header("If-Match", "\"1\"")
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let updated: serde_json::Value = r.json().await.unwrap();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["participants"].as_array().unwrap().len(), 2);
    // The removed participant no longer finds it.
    assert!(
        ids(&app
            .get_json("/api/v1/engagements?organisation_id=cjtf-oir")
            .await)
        .is_empty()
    );

    assert_eq!(
        app.delete(&format!("/api/v1/engagements/{id}"), Some(2))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/engagements/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn updating_with_a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Meeting", "2022-07-03").await;
    let id = e["id"].as_str().unwrap();
    let mut first = e.clone();
    first["title"] = json!("First edit");
    assert_eq!(
        app.put(&format!("/api/v1/engagements/{id}"), &first)
            .await
            .status(),
        StatusCode::OK
    );
    let mut second = e.clone();
    second["title"] = json!("Second edit from the same old copy");
    let (status, _, body) =
        error_fields(app.put(&format!("/api/v1/engagements/{id}"), &second).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "version_conflict");
    assert_eq!(
        app.get_json(&format!("/api/v1/engagements/{id}")).await["title"],
        "First edit"
    );
    assert_eq!(
        app.delete(&format!("/api/v1/engagements/{id}"), Some(1))
            .await
            .status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn an_update_without_a_version_is_refused() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut e = app.create_engagement("Meeting", "2022-07-03").await;
    let id = e["id"].as_str().unwrap().to_owned();
    e.as_object_mut().unwrap().remove("version");
    assert_eq!(
        app.put(&format!("/api/v1/engagements/{id}"), &e)
            .await
            .status(),
        StatusCode::PRECONDITION_REQUIRED
    );
    assert_eq!(
        app.delete(&format!("/api/v1/engagements/{id}"), None)
            .await
            .status(),
        StatusCode::PRECONDITION_REQUIRED
    );
}

#[tokio::test]
async fn engagements_filter_by_date_range_with_precision() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        let june = app.create_engagement("June meetings", "2022-06").await;
        let july = app.create_engagement("Sunday meeting", "2022-07-03").await;
        let may = app
            .create_engagement("Late May", "2025-05-21/2025-05-31")
            .await;
        let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements").await),
            [id(&may), id(&july), id(&june)],
            "newest first"
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/engagements?from=2022-06-15&to=2022-06-20")
                .await),
            [id(&june)],
            "a month overlaps a day range"
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/engagements?from=2022-07&to=2022")
                .await),
            [id(&july)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements?from=2025-05-30").await),
            [id(&may)]
        );
        assert!(ids(&app.get_json("/api/v1/engagements?to=2022-05").await).is_empty());
    }
}

#[tokio::test]
async fn engagements_filter_by_organisation_tree_person_topic_and_kind() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        let with_sector = app
            .create_engagement("Sector 6 and MAG-North", "2022-07-03")
            .await;
        let army = app
            .create(
                "/api/v1/engagements",
                json!({"kind": "call", "title": "Call with the Chief of Staff", "when": "2025-08",
                       "participants": [{"person_id": "yarallah", "role": "lead"}], "owner_org_id": "iraqi-army"}),
            )
            .await;
        let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids(&app
                .get_json("/api/v1/engagements?organisation_id=mopa")
                .await),
            [id(&with_sector)],
            "sector 6 is below MoPA"
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/engagements?organisation_id=cjtf-oir")
                .await),
            [id(&with_sector)],
            "MAG-North is below CJTF-OIR"
        );
        assert!(
            ids(&app
                .get_json("/api/v1/engagements?organisation_id=iraqi-army")
                .await)
            .is_empty(),
            "a person's position is not participation"
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements?person_id=yarallah").await),
            [id(&army)]
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/engagements?topic=security-gaps")
                .await),
            [id(&with_sector)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements?kind=call").await),
            [id(&army)]
        );
    }
}

#[tokio::test]
async fn a_follow_up_links_to_its_earlier_engagement_which_then_cannot_vanish() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let first = app.create_engagement("First meeting", "2022-06-23").await;
    let first_id = first["id"].as_str().unwrap();
    let follow = app
        .create(
            "/api/v1/engagements",
            json!({"kind": "public_statement", "title": "Coalition reiterates support", "when": "2022-06-24",
                   "participants": [{"organisation_id": "cjtf-oir", "role": "lead"}], "follow_up_of": first_id,
                   "owner_org_id": "cjtf-oir"}),
        )
        .await;
    assert_eq!(follow["follow_up_of"], first_id);
    assert_eq!(
        app.delete(&format!("/api/v1/engagements/{first_id}"), Some(1))
            .await
            .status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_person_history_lists_their_engagements_newest_first() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let old = app.create_engagement("Old", "2022-07-03").await;
    let new = app.create_engagement("New", "2025-08-18").await;
    let h = app.get_json("/api/v1/people/sirwan-barzani/history").await;
    assert_eq!(h["person"]["names"]["en"], "Sirwan Barzani");
    assert_eq!(h["positions"][0]["title"], "Commander of Sector 6");
    assert_eq!(h["positions"][0]["organisation_name"], "Sector 6 Command");
    assert_eq!(
        ids(&h["engagements"]),
        [new["id"].as_str().unwrap(), old["id"].as_str().unwrap()]
    );
    assert_eq!(
        app.get("/api/v1/people/nobody/history").await.status(),
        StatusCode::NOT_FOUND
    );
}
