//! Commitments: status history, derived overdue, and what an organisation owes and is owed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{apps_for_each_plan, error_fields, ids, spawn_app};

async fn commitment(
    app: &crate::helpers::TestApp,
    engagement: &str,
    text: &str,
    due: Option<&str>,
    by: &str,
    to: &str,
) -> Value {
    let mut body = json!({"engagement_id": engagement, "text": text, "responsible_org_id": by, "counterpart_org_id": to,
                          "owner_org_id": "mopa", "releasable_to": ["cjtf-oir"]});
    if let Some(d) = due {
        body["due"] = json!(d);
    }
    app.create("/api/v1/commitments", body).await
}

#[tokio::test]
async fn a_commitment_starts_open_and_its_status_changes_are_kept_with_reasons() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app
        .create_engagement("Election security", "2025-10-07")
        .await;
    let c = commitment(
        &app,
        e["id"].as_str().unwrap(),
        "Protect polling stations",
        Some("2025-11-11"),
        "iraqi-army",
        "mopa",
    )
    .await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(c["status"], "open");
    assert_eq!(c["status_history"].as_array().unwrap().len(), 1);
    assert_eq!(c["overdue"], true, "due 2025-11-11, still open");

    let r = app
        .post(
            &format!("/api/v1/commitments/{id}/status"),
            &json!({"status": "in_progress", "reason": "Joint plan drafted", "version": 1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post(
            &format!("/api/v1/commitments/{id}/status"),
            &json!({"status": "done", "reason": "Election held without incident at joint sites"}),
        )
        .await;
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["overdue"], false);
    let history: Vec<&str> = done["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["open", "in_progress", "done"]);
    assert_eq!(
        done["status_history"][2]["reason"],
        "Election held without incident at joint sites"
    );
    assert_eq!(done["status_history"][2]["by"], "mopa-admin");
    assert_eq!(done["version"], 3);

    let stale = app
        .post(
            &format!("/api/v1/commitments/{id}/status"),
            &json!({"status": "dropped", "version": 1}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let bad = app
        .post(
            &format!("/api/v1/commitments/{id}/status"),
            &json!({"status": "finished"}),
        )
        .await;
    let (status, fields, _) = error_fields(bad).await;
    assert_eq!(
        (status, fields),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["status".to_owned()])
    );
}

#[tokio::test]
async fn editing_a_commitment_keeps_its_status_history() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Meeting", "2025-10-07").await;
    let c = commitment(
        &app,
        e["id"].as_str().unwrap(),
        "Exchange liaison officers",
        None,
        "mopa",
        "iraqi-army",
    )
    .await;
    let id = c["id"].as_str().unwrap();
    app.set_status(&c, "in_progress", None).await;
    let mut current = app.get_json(&format!("/api/v1/commitments/{id}")).await;
    current["due"] = json!("2026-01-31");
    current["evidence"] = json!([{"note": "Two officers named", "date": "2025-12"}]);
    let r = app
        .put(&format!("/api/v1/commitments/{id}"), &current)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["status"], "in_progress");
    assert_eq!(updated["status_history"].as_array().unwrap().len(), 2);
    assert_eq!(updated["evidence"][0]["note"], "Two officers named");
    assert_eq!(
        app.delete(&format!("/api/v1/commitments/{id}"), Some(3))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn commitments_filter_by_status_overdue_engagement_and_organisation() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        let e = app.create_engagement("Meeting", "2025-10-07").await;
        let eid = e["id"].as_str().unwrap();
        let overdue = commitment(
            &app,
            eid,
            "Past due",
            Some("2025-11-11"),
            "sector-6",
            "iraqi-army",
        )
        .await;
        let future = commitment(
            &app,
            eid,
            "Not yet due",
            Some("2099-01-01"),
            "iraqi-army",
            "mopa",
        )
        .await;
        let undated = commitment(&app, eid, "No date", None, "cjtf-oir", "mopa").await;
        let done = commitment(
            &app,
            eid,
            "Past due but done",
            Some("2020-01-01"),
            "mopa",
            "iraqi-army",
        )
        .await;
        app.set_status(&done, "done", None).await;
        let id = |v: &Value| v["id"].as_str().unwrap().to_owned();

        assert_eq!(
            ids(&app.get_json("/api/v1/commitments?overdue=true").await),
            [id(&overdue)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/commitments?status=done").await),
            [id(&done)]
        );
        assert_eq!(
            ids(&app
                .get_json(&format!("/api/v1/commitments?engagement_id={eid}"))
                .await),
            [id(&done), id(&overdue), id(&future), id(&undated)],
            "by due date, undated last"
        );
        let mut owed_by_mopa_tree = ids(&app
            .get_json("/api/v1/commitments?responsible_org_id=mopa")
            .await);
        owed_by_mopa_tree.sort();
        let mut expected = vec![id(&overdue), id(&done)];
        expected.sort();
        assert_eq!(owed_by_mopa_tree, expected, "sector 6 is below MoPA");
    }
}

#[tokio::test]
async fn an_organisation_sees_what_it_owes_and_what_it_is_owed() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Meeting", "2025-10-07").await;
    let eid = e["id"].as_str().unwrap();
    let owes = commitment(
        &app,
        eid,
        "Sector 6 shares patrol schedule",
        Some("2025-12-01"),
        "sector-6",
        "iraqi-army",
    )
    .await;
    let owed = commitment(
        &app,
        eid,
        "Army opens the checkpoint",
        Some("2025-12-15"),
        "iraqi-army",
        "mopa",
    )
    .await;
    commitment(
        &app,
        eid,
        "Coalition funds training",
        None,
        "cjtf-oir",
        "iraqi-army",
    )
    .await;
    let view = app.get_json("/api/v1/organisations/mopa/commitments").await;
    assert_eq!(view["organisation"]["id"], "mopa");
    assert_eq!(ids(&view["owes"]), [owes["id"].as_str().unwrap()]);
    assert_eq!(ids(&view["owed"]), [owed["id"].as_str().unwrap()]);
    assert_eq!(view["owes"]["items"][0]["overdue"], true);
    let open_only = app
        .get_json("/api/v1/organisations/mopa/commitments?status=done")
        .await;
    assert!(ids(&open_only["owes"]).is_empty());
    assert_eq!(
        app.get("/api/v1/organisations/nobody/commitments")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_commitment_must_name_a_real_engagement_and_distinct_parties() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = app
        .post("/api/v1/commitments", &json!({"engagement_id": "nope", "text": "x", "responsible_org_id": "mopa", "counterpart_org_id": "mopa", "owner_org_id": "mopa"}))
        .await;
    let (status, fields, _) = error_fields(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["counterpart_org_id"]);
    let r = app.post("/api/v1/commitments", &json!({"engagement_id": "nope", "text": "x", "responsible_org_id": "mopa", "owner_org_id": "mopa"})).await;
    let (status, fields, _) = error_fields(r).await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["engagement_id".to_owned()]
        )
    );
}
