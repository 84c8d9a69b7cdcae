//! The audit chain: no false alarm on what Hawkari itself wrote (numbers included), every
//! break named, and entries cut off the end caught against an anchor kept elsewhere.

use hawkari_app::audit::AuditAnchor;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_area_composed_from_admin_units_leaves_an_intact_audit_trail() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // Composed geometry: thousands of coordinates whose printed digits must survive the
    // round trip through the database exactly as they were hashed.
    app.create(
        "/api/v1/areas",
        json!({"kind": "concern", "names": {"en": "Two districts"}, "admin_units": ["IQG15Q07", "IQG15Q09"],
               "owner_org_id": "mopa"}),
    )
    .await;
    let (lon, lat) = app.gazetteer_point("IQG13Q04").await;
    app.create(
        "/api/v1/incidents",
        json!({"when": "2025-09-14", "point": {"lat": lat + 1e-9, "lon": lon - 1.0 / 3.0 + 0.33},
               "type": "ied", "owner_org_id": "mopa"}),
    )
    .await;
    let report = app.app.verify_audit(None, |_| {}).await.unwrap();
    assert_eq!(report.breaks, [], "no tampering, no break");
    assert!(report.checked >= 4);
}

#[tokio::test]
async fn every_break_is_named_not_only_the_first() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for title in ["One", "Two", "Three"] {
        app.create_engagement(title, "2025-10-07").await;
    }
    let before = app.app.verify_audit(None, |_| {}).await.unwrap();
    assert_eq!(before.breaks, []);
    app.db.drop_audit_guards().await;
    app.db
        .execute_raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq IN (3, 7)")
        .await
        .unwrap();
    let report = app.app.verify_audit(None, |_| {}).await.unwrap();
    let broken: Vec<i64> = report.breaks.iter().map(|b| b.seq).collect();
    assert_eq!(broken, [3, 7], "{:?}", report.breaks);
    assert_eq!(report.checked, before.checked, "the whole log is read");
}

#[tokio::test]
async fn entries_cut_off_the_end_are_caught_against_an_anchor() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create_engagement("Before the anchor", "2025-10-07")
        .await;
    let anchor = app.app.audit_head().await.unwrap();
    assert_eq!(anchor.to_string().parse::<AuditAnchor>().unwrap(), anchor);
    let holds = app.app.verify_audit(Some(&anchor), |_| {}).await.unwrap();
    assert_eq!(holds.breaks, []);
    // More work, then the last entries — including the anchored one — are cut off.
    app.create_engagement("After the anchor", "2025-10-08")
        .await;
    app.db.drop_audit_guards().await;
    app.db
        .execute_raw(&format!(
            "DELETE FROM audit_log WHERE seq >= {}",
            anchor.seq - 1
        ))
        .await
        .unwrap();
    let alone = app.app.verify_audit(None, |_| {}).await.unwrap();
    assert_eq!(alone.breaks, [], "the chain alone cannot see a cut end");
    let report = app.app.verify_audit(Some(&anchor), |_| {}).await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
    assert!(
        report.breaks[0].reason.contains("cut off the end"),
        "{:?}",
        report.breaks
    );
}

#[tokio::test]
async fn a_rewritten_log_does_not_hold_its_anchor() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create_engagement("Anchored", "2025-10-07").await;
    let anchor = app.app.audit_head().await.unwrap();
    let forged = AuditAnchor {
        seq: anchor.seq,
        hash: "0".repeat(64),
    };
    let report = app.app.verify_audit(Some(&forged), |_| {}).await.unwrap();
    assert_eq!(report.breaks.len(), 1);
    assert!(report.breaks[0].reason.contains("rewritten"));
    assert!("12:nothex".parse::<AuditAnchor>().is_err());
}
