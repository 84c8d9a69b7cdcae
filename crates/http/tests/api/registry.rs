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

/// A joint coordination centre answering to both the ministry and the army: its
/// reporting lines are references checked like `parent_id`, listed both ways, kept by its
/// owner's editors — and they change no one's reach and no tree filter.
#[tokio::test]
async fn a_joint_mechanism_answers_to_several_bodies_without_widening_anyones_reach() {
    use hawkari_core::access::Role;
    let app = spawn_app().await;
    app.seed_registry().await;
    let jcc = |answers: serde_json::Value| {
        json!({"id": "jcc", "names": {"en": "Joint Coordination Centre"}, "kind": "joint_mechanism",
               "answers_to": answers, "owner_org_id": "mopa", "release_groups": ["all_partners"]})
    };
    // References are checked: a body that does not exist, or the centre itself, is refused.
    let (status, fields, _) = error_fields(
        app.post(
            "/api/v1/organisations",
            &jcc(json!(["mopa", "no-such-body"])),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["answers_to[1]"]);
    let (status, fields, _) = error_fields(
        app.post("/api/v1/organisations", &jcc(json!(["mopa", "jcc"])))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["answers_to[1]"]);
    let created = app
        .create("/api/v1/organisations", jcc(json!(["mopa", "iraqi-army"])))
        .await;
    assert_eq!(created["answers_to"], json!(["mopa", "iraqi-army"]));
    assert!(created.get("parent_id").is_none());

    // Listed by whom it answers to; not below them in the tree.
    assert_eq!(
        ids(&app
            .get_json("/api/v1/organisations?answers_to=iraqi-army")
            .await),
        ["jcc"]
    );
    let mut within = ids(&app.get_json("/api/v1/organisations?within=mopa").await);
    within.sort();
    assert_eq!(within, ["mopa", "sector-6"]);

    // The ministry's record is not the centre's to read, nor the centre's the ministry's.
    let mopa_only = app
        .create(
            "/api/v1/places",
            json!({"names": {"en": "Ministry depot"}, "kind": "base", "owner_org_id": "mopa", "release_groups": []}),
        )
        .await;
    let centre = app.user_token("jcc-clerk", "jcc", Role::Editor).await;
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/places/{}",
            mopa_only["id"].as_str().unwrap()
        )))
        .header("authorization", &centre)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .client
        .post(app.url("/api/v1/places"))
        .header("authorization", &centre)
        .json(&json!({"names": {"en": "Centre's office"}, "kind": "base", "owner_org_id": "jcc", "release_groups": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let office: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        app.get(&format!(
            "/api/v1/places/{}",
            office["id"].as_str().unwrap()
        ))
        .await
        .status(),
        StatusCode::NOT_FOUND,
        "the ministry the centre answers to does not read the centre's records"
    );

    // The owner's editors keep the reporting lines (not the tree or the kind).
    let editor = app.user_token("mopa-clerk", "mopa", Role::Editor).await;
    let mut changed = app.get_json("/api/v1/organisations/jcc").await;
    changed["answers_to"] = json!(["mopa"]);
    let r = app
        .client
        .put(app.url("/api/v1/organisations/jcc"))
        .header("authorization", &editor)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    changed["version"] = json!(2);
    changed["parent_id"] = json!("mopa");
    let r = app
        .client
        .put(app.url("/api/v1/organisations/jcc"))
        .header("authorization", &editor)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A body others answer to stays while they do.
    let r = app
        .delete("/api/v1/organisations/iraqi-army", Some(1))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_place_names_an_admin_unit_of_the_gazetteer_or_none() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let place = |unit: &str| json!({"names": {"en": "Kirkuk"}, "kind": "city", "admin_unit": unit, "owner_org_id": "mopa"});
    let (status, fields, _) = error_fields(app.post("/api/v1/places", &place("IQG99")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["admin_unit"]);
    let created = app.create("/api/v1/places", place("IQG13")).await;
    assert_eq!(created["admin_unit"], "IQG13");
}
