//! `db copy` as the application runs it: the demo moved from SQLite to the backend under
//! test, verified table by table; an interrupted copy resumes; a difference is named.

use hawkari_app::App;
use hawkari_app::copy::{CopyProgress, copy_database};
use hawkari_app::{Principal, copy::TableCheck};

use crate::helpers::{TestDb, test_store};

const DEMO: &str = include_str!("../../../../demo/dataset.json");

/// A SQLite database holding the demo, with a user and a comment, and an empty target.
async fn source_and_target(
    dir: &tempfile::TempDir,
) -> (App, std::sync::Arc<dyn hawkari_store::Store>, TestDb) {
    let url = format!("sqlite://{}", dir.path().join("source.db").display());
    let source = hawkari_store::open(&url, 2).await.unwrap();
    source.migrate().await.unwrap();
    let app = App::new(source);
    let system = Principal::system("test");
    app.import_dataset(
        &system,
        std::io::Cursor::new(DEMO.as_bytes().to_vec()),
        |_| {},
    )
    .await
    .unwrap();
    app.create_user(
        &system,
        "analyst",
        &"mopa".parse().unwrap(),
        hawkari_core::access::Role::Editor,
        "a-test-password-of-length",
    )
    .await
    .unwrap();
    let target_dir = dir.path().join("target");
    std::fs::create_dir(&target_dir).unwrap();
    let (target, db) = test_store(&target_dir, None).await;
    (app, target, db)
}

fn check<'a>(checks: &'a [TableCheck], table: &str) -> &'a TableCheck {
    checks.iter().find(|c| c.table == table).unwrap()
}

#[tokio::test]
async fn a_copy_is_verified_and_resumes_after_an_interruption() {
    let dir = tempfile::tempdir().unwrap();
    let (source, target, db) = source_and_target(&dir).await;
    let mut seen = Vec::new();
    let checks = copy_database(&**source.store(), &*target, |p| {
        if let CopyProgress::Copied { table, .. } = p {
            seen.push(table.to_owned());
        }
    })
    .await
    .unwrap();
    assert!(checks.iter().all(TableCheck::matches), "{checks:#?}");
    assert_eq!(check(&checks, "engagements").target_rows, 14);
    assert_eq!(check(&checks, "incidents").copied, 60);
    assert_eq!(check(&checks, "users").target_rows, 1);
    assert!(check(&checks, "audit_log").target_rows >= 2);
    assert!(seen.contains(&"areas".to_owned()), "progress is reported");
    let counts = target.counts().await.unwrap();
    assert_eq!(counts, source.store().counts().await.unwrap());

    // An interruption during incidents: the last batch of them never committed.
    db.execute_raw(
        "DELETE FROM refs WHERE src_kind = 'incident' AND src_id IN \
         (SELECT id FROM incidents ORDER BY id DESC LIMIT 7)",
    )
    .await
    .unwrap();
    db.execute_raw(
        "DELETE FROM incidents WHERE id IN (SELECT id FROM incidents ORDER BY id DESC LIMIT 7)",
    )
    .await
    .unwrap();
    let mut resumed = false;
    let again = copy_database(&**source.store(), &*target, |p| {
        if let CopyProgress::Copied {
            table: "incidents",
            resumed: r,
            ..
        } = p
        {
            resumed = r;
        }
    })
    .await
    .unwrap();
    assert!(resumed);
    assert!(again.iter().all(TableCheck::matches), "{again:#?}");
    assert_eq!(
        check(&again, "incidents").copied,
        7,
        "only what was missing"
    );
    assert_eq!(check(&again, "engagements").copied, 0);
    assert_eq!(check(&again, "audit_log").copied, 0);

    // The copy's search and map work on the target as on the source.
    let reader = hawkari_store::Reach::Everything;
    let f = hawkari_store::EngagementFilter {
        q: Some("بارزاني".into()),
        ..Default::default()
    };
    let page = hawkari_store::PageRequest::default();
    let on_target = target.list_engagements(&reader, &f, &page).await.unwrap();
    let on_source = source
        .store()
        .list_engagements(&reader, &f, &page)
        .await
        .unwrap();
    assert!(!on_source.items.is_empty());
    assert_eq!(on_target.items, on_source.items);
}

#[tokio::test]
async fn a_target_that_differs_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (source, target, db) = source_and_target(&dir).await;
    copy_database(&**source.store(), &*target, |_| {})
        .await
        .unwrap();
    db.execute_raw("UPDATE places SET body = replace(body, 'Kirkuk', 'Kerkuk')")
        .await
        .unwrap();
    let checks = copy_database(&**source.store(), &*target, |_| {})
        .await
        .unwrap();
    let bad: Vec<&str> = checks
        .iter()
        .filter(|c| !c.matches())
        .map(|c| c.table)
        .collect();
    assert_eq!(bad, ["places"]);
}
