//! Organisations, people, places and topics: create, read, update, delete, and the rules
//! that keep the registry whole.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{apps_for_each_plan, error_fields, ids, spawn_app};

#[tokio::test]
async fn an_organisation_can_be_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let created = app
        .create(
            "/api/v1/organisations",
            json!({"names": {"en": "Joint Coordination Centre", "ckb": "ناوەندی هاوئاهەنگی هاوبەش"}, "abbreviation": "JCC",
                   "kind": "joint_mechanism", "owner_org_id": "mopa", "releasable_to": ["iraqi-army", "cjtf-oir"]}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["version"], 1);
    assert_eq!(created["created_by"], "registrar");
    assert_eq!(created["releasable_to"], json!(["iraqi-army", "cjtf-oir"]));

    let read = app.get_json(&format!("/api/v1/organisations/{id}")).await;
    assert_eq!(read, created);

    let mut changed = read.clone();
    changed["abbreviation"] = json!("JCC-Kirkuk");
    let r = app
        .put(&format!("/api/v1/organisations/{id}"), &changed)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let updated: serde_json::Value = r.json().await.unwrap();
    assert_eq!(updated["abbreviation"], "JCC-Kirkuk");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["created_at"], created["created_at"]);

    assert_eq!(
        app.delete(&format!("/api/v1/organisations/{id}"), Some(2))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_person_keeps_positions_over_time_and_can_be_updated_and_deleted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut person = app.get_json("/api/v1/people/yarallah").await;
    person["positions"] = json!([
        {"title": "Deputy Chief of Staff", "organisation_id": "iraqi-army", "from": "2018", "to": "2020-06"},
        {"title": "Army Chief of Staff", "organisation_id": "iraqi-army", "from": "2020-06"}
    ]);
    let r = app.put("/api/v1/people/yarallah", &person).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let history = app.get_json("/api/v1/people/yarallah/history").await;
    let titles: Vec<&str> = history["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Deputy Chief of Staff", "Army Chief of Staff"]);
    assert_eq!(history["positions"][0]["organisation_name"], "Iraqi Army");

    assert_eq!(
        app.delete("/api/v1/people/yarallah", Some(2))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/people/yarallah").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_place_can_be_created_listed_by_kind_updated_and_deleted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let base = app
        .create(
            "/api/v1/places",
            json!({"names": {"en": "Ain al-Asad Air Base", "ar": "قاعدة عين الأسد الجوية"}, "kind": "base",
                   "point": {"lat": 33.8, "lon": 42.44}, "owner_org_id": "cjtf-oir"}),
        )
        .await;
    let base_id = base["id"].as_str().unwrap();
    app.create(
        "/api/v1/places",
        json!({"names": {"en": "Erbil"}, "kind": "city", "owner_org_id": "mopa"}),
    )
    .await;
    let bases = app.get_json("/api/v1/places?kind=base").await;
    assert_eq!(ids(&bases), [base_id]);
    let mut changed = base.clone();
    changed["point"] = json!({"lat": 33.79, "lon": 42.44});
    let r = app
        .put(&format!("/api/v1/places/{base_id}"), &changed)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        app.delete(&format!("/api/v1/places/{base_id}"), Some(2))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn topics_are_a_vocabulary_that_can_be_extended_relabelled_and_pruned() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create(
        "/api/v1/topics",
        json!({"code": "election-security", "labels": {"en": "Election security"}}),
    )
    .await;
    let r = app
        .post(
            "/api/v1/topics",
            &json!({"code": "election-security", "labels": {"en": "Again"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = app.put("/api/v1/topics/election-security", &json!({"code": "election-security", "labels": {"en": "Election security", "ar": "أمن الانتخابات"}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let topics = app.get_json("/api/v1/topics").await;
    let codes: Vec<&str> = topics
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["election-security", "security-gaps"]);
    assert_eq!(
        app.get_json("/api/v1/topics/election-security").await["labels"]["ar"],
        "أمن الانتخابات"
    );
    assert_eq!(
        app.delete("/api/v1/topics/election-security", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/topics/election-security").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_topic_in_use_cannot_be_removed() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create_engagement("Meeting", "2022-07-03").await;
    let r = app.delete("/api/v1/topics/security-gaps", None).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_organisation_that_others_refer_to_cannot_be_deleted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = app.delete("/api/v1/organisations/sector-6", Some(1)).await;
    let (status, _, body) = error_fields(r).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("still referenced"),
        "{body}"
    );
    assert_eq!(
        app.get("/api/v1/organisations/sector-6").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_organisation_hierarchy_cannot_become_a_loop() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut mopa = app.get_json("/api/v1/organisations/mopa").await;
    mopa["parent_id"] = json!("sector-6");
    let (status, fields, _) =
        error_fields(app.put("/api/v1/organisations/mopa", &mopa).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["parent_id"]);
}

#[tokio::test]
async fn organisations_list_their_children_and_their_whole_subtree() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        app.create("/api/v1/organisations", json!({"id": "brigade-1", "names": {"en": "1st Brigade"}, "kind": "regional", "parent_id": "sector-6", "owner_org_id": "mopa"})).await;
        assert_eq!(
            ids(&app.get_json("/api/v1/organisations?parent_id=mopa").await),
            ["sector-6"]
        );
        let mut tree = ids(&app.get_json("/api/v1/organisations?within=mopa").await);
        tree.sort();
        assert_eq!(tree, ["brigade-1", "mopa", "sector-6"]);
        assert_eq!(
            ids(&app.get_json("/api/v1/organisations?kind=federal").await),
            ["iraqi-army"]
        );
    }
}

#[tokio::test]
async fn people_are_found_by_the_organisation_tree_they_served_in() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        assert_eq!(
            ids(&app.get_json("/api/v1/people?organisation_id=mopa").await),
            ["sirwan-barzani"]
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/people?organisation_id=iraqi-army")
                .await),
            ["yarallah"]
        );
    }
}
