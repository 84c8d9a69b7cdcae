//! Confidentiality labels on exports: every exported record carries its owner and exactly
//! its releasability (GeoJSON property, CSV columns), and what is not released to the
//! reader is not exported at all.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn incident(narrative: &str, releasable_to: Value, groups: Value) -> Value {
    json!({
        "when": "2025-09-14", "point": {"lat": 34.8833, "lon": 44.6333}, "location_precision": "near",
        "type": "hit_and_run",
        "sources": [{"publisher": "Rudaw English", "title": "Attack", "reliability": "B", "credibility": 2}],
        "narrative": narrative,
        "owner_org_id": "mopa", "releasable_to": releasable_to, "release_groups": groups
    })
}

/// Three incidents of MoPA's: one released to the coalition and to federal forces with a
/// caveat, one to the Iraqi Army by name, one to no one.
async fn labelled_incidents() -> TestApp {
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut caveated = incident("Grouped release", json!(["cjtf-oir"]), json!(["federal"]));
    caveated["caveat"] = json!("=JCC members by name");
    app.create("/api/v1/incidents", caveated).await;
    app.create(
        "/api/v1/incidents",
        incident(
            "Named release",
            json!(["iraqi-army", "mag-north"]),
            json!([]),
        ),
    )
    .await;
    app.create(
        "/api/v1/incidents",
        incident("Kestrel unreleased", json!([]), json!([])),
    )
    .await;
    app
}

#[tokio::test]
async fn geojson_features_carry_the_owner_and_exactly_the_releasability() {
    let app = labelled_incidents().await;
    let r = app.get_as_army("/api/v1/incidents.geojson").await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("Kestrel"),
        "the unreleased incident is not exported"
    );
    let fc: Value = serde_json::from_str(&text).unwrap();
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    let label = |narrative: &str| {
        features
            .iter()
            .find(|f| f["properties"]["narrative"] == narrative)
            .unwrap()["properties"]["confidentiality_label"]
            .clone()
    };
    assert_eq!(
        label("Grouped release"),
        json!({
            "policy_identifier": "urn:hawkari:policy:releasability:1",
            "classification": "CONTROLLED",
            "owner": "mopa",
            "releasable_to": ["cjtf-oir"],
            "release_groups": ["federal"],
            "caveat": "=JCC members by name"
        })
    );
    assert_eq!(
        label("Named release"),
        json!({
            "policy_identifier": "urn:hawkari:policy:releasability:1",
            "classification": "CONTROLLED",
            "owner": "mopa",
            "releasable_to": ["iraqi-army", "mag-north"],
            "release_groups": []
        })
    );
}

/// The rows of a CSV export (header first, HXL second), as maps from header to cell.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn incident_csv_rows_carry_the_label_in_columns_with_hxl_tags() {
    let app = labelled_incidents().await;
    let r = app.get_as_army("/api/v1/incidents.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("Kestrel"),
        "the unreleased incident is not exported"
    );
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 3, "the HXL row and two incidents: {text}");
    assert_eq!(rows[0]["label_releasable_to"], "#org+code+releasable");
    let grouped = rows
        .iter()
        .find(|r| r["description"] == "Grouped release")
        .unwrap();
    assert_eq!(
        grouped["label_policy"],
        "urn:hawkari:policy:releasability:1"
    );
    assert_eq!(grouped["label_classification"], "CONTROLLED");
    assert_eq!(grouped["label_owner"], "mopa");
    assert_eq!(grouped["label_releasable_to"], "cjtf-oir");
    assert_eq!(grouped["label_release_groups"], "federal");
    assert_eq!(
        grouped["label_caveat"], "'=JCC members by name",
        "a caveat a spreadsheet would run is written inert"
    );
    let named = rows
        .iter()
        .find(|r| r["description"] == "Named release")
        .unwrap();
    assert_eq!(named["label_releasable_to"], "iraqi-army mag-north");
    assert_eq!(named["label_release_groups"], "");
    assert_eq!(named["label_caveat"], "");
}

#[tokio::test]
async fn list_csv_exports_end_every_row_with_the_label() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let shared = app.create_engagement("Shared review", "2025-05-20").await;
    let hidden = app
        .create(
            "/api/v1/engagements",
            json!({
                "kind": "key_leader_engagement", "title": "Kestrel private review",
                "when": "2025-05-22", "participants": [{"organisation_id": "sector-6", "role": "lead"}],
                "owner_org_id": "mopa", "releasable_to": [], "release_groups": []
            }),
        )
        .await;
    for (engagement, text) in [
        (&shared, "Share the patrol schedule"),
        (&hidden, "Kestrel task"),
    ] {
        app.create(
            "/api/v1/commitments",
            json!({
                "engagement_id": engagement["id"], "text": text,
                "responsible_org_id": "sector-6", "due": "2025-06-30",
                "owner_org_id": "mopa", "releasable_to": engagement["releasable_to"], "release_groups": []
            }),
        )
        .await;
    }
    let (coalition, _) = app
        .web_session("cjtf-viewer", "cjtf-oir", Role::Viewer)
        .await;
    // The engagement went out with the API's default group (all partners); the
    // commitment with none.
    for (path, released, groups) in [
        ("/engagements.csv", "Shared review", "all_partners"),
        ("/commitments.csv", "Share the patrol schedule", ""),
    ] {
        let r = app
            .client
            .get(app.url(path))
            .header("cookie", &coalition)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let text = r.text().await.unwrap();
        assert!(!text.contains("Kestrel"), "{path}: nothing unreleased");
        let rows = csv_rows(&text);
        assert_eq!(rows.len(), 2, "{path}: the HXL row and one record: {text}");
        assert_eq!(rows[0]["label_policy"], "#meta+label+policy", "{path}");
        let row = &rows[1];
        let title = if path == "/engagements.csv" {
            "title"
        } else {
            "text"
        };
        assert_eq!(row[title], released, "{path}");
        assert_eq!(row["label_owner"], "mopa", "{path}");
        assert_eq!(row["label_releasable_to"], "cjtf-oir", "{path}");
        assert_eq!(row["label_release_groups"], groups, "{path}");
        assert_eq!(row["label_classification"], "CONTROLLED", "{path}");
    }
}
