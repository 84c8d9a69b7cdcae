//! Whole-dataset export and import: a round trip is exact, a second import changes
//! nothing, and a bad document is refused whole with every problem named.

use hawkari_app::App;
use serde_json::json;

use crate::helpers::{TestDb, spawn_app, test_store};

/// An app over a second, empty database of the backend under test.
async fn fresh_app(dir: &tempfile::TempDir) -> (App, TestDb) {
    let (store, db) = test_store(dir.path(), None).await;
    (App::new(store), db)
}

fn reader(doc: &serde_json::Value) -> std::io::Cursor<Vec<u8>> {
    std::io::Cursor::new(serde_json::to_vec(doc).unwrap())
}

async fn export(app: &App) -> Vec<u8> {
    let mut out = Vec::new();
    app.export_dataset(&hawkari_app::Principal::system("test"), &mut out, |_| {})
        .await
        .unwrap();
    out
}

#[tokio::test]
async fn export_then_import_reproduces_the_dataset_exactly() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create_as_cli::<hawkari_core::place::Place>("erbil", json!({"names": {"en": "Erbil", "ar": "أربيل", "ckb": "هەولێر", "aliases": ["Hawler", "Arbil"]},
        "kind": "city", "point": {"lat": 36.19, "lon": 44.01}, "owner_org_id": "mopa", "release_groups": ["all_partners"]})).await;
    let first = app.create_engagement("First", "2022-06-23").await;
    let e = app
        .create("/api/v1/engagements", json!({"kind": "delegation_visit", "title": "Follow-up", "when": {"value": "2025-05-21/2025-05-31", "label": "late May"},
            "place_id": "erbil", "participants": [{"person_id": "yarallah", "organisation_id": "iraqi-army", "role": "lead"}],
            "follow_up_of": first["id"], "owner_org_id": "iraqi-army", "releasable_to": ["mopa"]}))
        .await;
    let c = app
        .create("/api/v1/commitments", json!({"engagement_id": e["id"], "text": "Secure polling stations", "responsible_org_id": "iraqi-army",
            "counterpart_org_id": "mopa", "due": "2025-11-11", "evidence": [{"note": "Plan agreed", "date": "2025-10"}], "owner_org_id": "iraqi-army"}))
        .await;
    app.set_status(&c, "in_progress", Some("Sites assigned"))
        .await;

    let exported = export(&app.app).await;
    let dir = tempfile::tempdir().unwrap();
    let (copy, _db) = fresh_app(&dir).await;
    let counts = copy
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(exported.clone()),
            |_| {},
        )
        .await
        .unwrap()
        .read;
    assert_eq!(
        (
            counts.organisations,
            counts.people,
            counts.places,
            counts.engagements,
            counts.commitments,
            counts.topics
        ),
        (5, 2, 1, 2, 1, 1)
    );
    let again = export(&copy).await;
    assert_eq!(
        String::from_utf8(again).unwrap(),
        String::from_utf8(exported.clone()).unwrap()
    );

    // Importing the same document a second time creates no duplicates.
    copy.import_dataset(
        &hawkari_app::Principal::system("test"),
        std::io::Cursor::new(exported.clone()),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        copy.store().counts().await.unwrap(),
        app.app.store().counts().await.unwrap()
    );
}

#[tokio::test]
async fn a_bad_document_is_refused_whole_naming_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _db) = fresh_app(&dir).await;
    let meta = json!({"version": 1, "created_by": "t", "created_at": "2025-01-01T00:00:00Z", "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"});
    let org = |id: &str, extra: serde_json::Value| {
        let mut o =
            json!({"id": id, "names": {"en": id}, "kind": "regional", "owner_org_id": "mopa"});
        o.as_object_mut()
            .unwrap()
            .extend(meta.as_object().unwrap().clone());
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        o
    };
    let doc = json!({
        "format": "hawkari-dataset", "format_version": 1,
        "organisations": [org("mopa", json!({})), org("bad", json!({"kind": "nation"})), org("orphan", json!({"parent_id": "ghost"}))],
        "people": [{"id": "p", "names": {"en": "P"}, "owner_org_id": "mopa"}]
    });
    let err = app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            reader(&doc),
            |_| {},
        )
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("organisations[1].kind"), "{text}");
    assert!(
        text.contains("people[0].version") || text.contains("people[0]: missing field `version`"),
        "{text}"
    );
    assert_eq!(
        app.store().counts().await.unwrap().total(),
        0,
        "nothing was written"
    );

    // A document whose records parse but refer to a missing record is refused in the store.
    let doc = json!({"format": "hawkari-dataset", "format_version": 1, "organisations": [org("mopa", json!({})), org("orphan", json!({"parent_id": "ghost"}))]});
    let err = app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            reader(&doc),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("organisation `orphan` (parent): no organisation with id `ghost`"),
        "{err}"
    );
    assert_eq!(
        app.store().counts().await.unwrap().total(),
        0,
        "nothing was written"
    );

    let err = app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            reader(&json!({"format": "something-else"})),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("format"), "{err}");
}

#[tokio::test]
async fn importing_an_older_export_keeps_the_newer_records() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let old_export = export(&app.app).await;
    let mut mopa = app.get_json("/api/v1/organisations/mopa").await;
    mopa["abbreviation"] = json!("MoPA");
    assert_eq!(
        app.put("/api/v1/organisations/mopa", &mopa).await.status(),
        reqwest::StatusCode::OK
    );

    let summary = app
        .app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(old_export),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(summary.kept_newer, 1, "only MoPA changed since the export");
    let mopa = app.get_json("/api/v1/organisations/mopa").await;
    assert_eq!(
        (mopa["abbreviation"].as_str(), mopa["version"].as_i64()),
        (Some("MoPA"), Some(2))
    );
}
