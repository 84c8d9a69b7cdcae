//! Areas of responsibility and of concern, and the coverage analysis over them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_fields, spawn_app};

#[tokio::test]
async fn a_district_nobody_holds_is_the_gap_and_its_incidents_are_counted() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // The area of concern: Kirkuk and Daquq districts. Sector 6 holds Kirkuk district only.
    let concern = app
        .create("/api/v1/areas", json!({"kind": "concern", "names": {"en": "Kirkuk and Daquq"}, "admin_units": ["IQG13Q04", "IQG13Q02"],
            "illustrative": true, "owner_org_id": "mopa"}))
        .await;
    assert_eq!(
        concern["geometry"]["type"], "MultiPolygon",
        "composed from the districts"
    );
    app.create("/api/v1/areas", json!({"kind": "responsibility", "names": {"en": "Sector 6 (illustrative)"}, "organisation_id": "sector-6",
        "admin_units": ["IQG13Q04"], "valid_from": "2025-01-01", "illustrative": true, "owner_org_id": "mopa"}))
    .await;
    let incident = |lat: f64, lon: f64| json!({"when": "2025-09-14", "point": {"lat": lat, "lon": lon}, "type": "ied", "owner_org_id": "mopa"});
    let daquq = app.gazetteer_point("IQG13Q02").await;
    let kirkuk = app.gazetteer_point("IQG13Q04").await;
    app.create("/api/v1/incidents", incident(daquq.1, daquq.0))
        .await;
    app.create("/api/v1/incidents", incident(kirkuk.1, kirkuk.0))
        .await;
    // A coordination line from inside Kirkuk district to inside Daquq.
    app.create("/api/v1/areas", json!({"kind": "coordination_line", "names": {"en": "Line (illustrative)"},
        "geometry": {"type": "LineString", "coordinates": [[kirkuk.0, kirkuk.1], [daquq.0, daquq.1]]},
        "valid_from": "2025-01-01", "illustrative": true, "owner_org_id": "mopa"}))
    .await;

    let id = concern["id"].as_str().unwrap();
    let r = app
        .get(&format!(
            "/api/v1/coverage?area={id}&date=2025-10-01&days=60"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fc: Value = r.json().await.unwrap();
    let f = &fc["figures"];
    assert_eq!(
        (f["incidents"].as_u64(), f["incidents_in_gaps"].as_u64()),
        (Some(2), Some(1)),
        "{f}"
    );
    let share = f["gap_share"].as_f64().unwrap();
    assert!(
        share > 0.2 && share < 0.8,
        "Daquq is part of the area: {share}"
    );
    assert_eq!(fc["features"][0]["properties"]["coverage"], "gap");
    assert_eq!(fc["responsibilities"], 1);
    // The Kirkuk end of the line is Sector 6's; the Daquq end, beyond 10 km, nobody's.
    assert_eq!(fc["lines"], 1);
    let (line, unassigned) = (
        f["line_km"].as_f64().unwrap(),
        f["line_unassigned_km"].as_f64().unwrap(),
    );
    assert!(line > 20.0 && unassigned > 1.0 && unassigned < line, "{f}");
    let stretch = &fc["features"][2];
    assert_eq!(stretch["properties"]["coverage"], "unassigned_line");
    let end = &stretch["geometry"]["coordinates"][0]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(
        (end[0].as_f64().unwrap() - daquq.0).abs() < 1e-6
            && (end[1].as_f64().unwrap() - daquq.1).abs() < 1e-6,
        "the stretch ends at the Daquq end, lon first: {end}"
    );
    let wider: Value = app
        .get_json(&format!(
            "/api/v1/coverage?area={id}&date=2025-10-01&buffer_km=100"
        ))
        .await;
    assert_eq!(wider["figures"]["line_unassigned_km"], 0.0);
    // Before the responsibility began, the whole area is a gap.
    let before: Value = app
        .get_json(&format!(
            "/api/v1/coverage?area={id}&date=2024-06-01&days=3650"
        ))
        .await;
    assert!((before["figures"]["gap_share"].as_f64().unwrap() - 1.0).abs() < 1e-6);
}

#[tokio::test]
async fn bad_areas_are_refused_naming_the_field() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let open_ring =
        json!({"type": "Polygon", "coordinates": [[[44.0, 35.0], [45.0, 35.0], [45.0, 36.0]]]});
    let unclosed = json!({"type": "Polygon", "coordinates": [[[44.0, 35.0], [45.0, 35.0], [45.0, 36.0], [44.0, 36.0]]]});
    let line = json!({"type": "LineString", "coordinates": [[44.0, 35.0], [45.0, 36.0]]});
    for (body, field) in [
        (
            json!({"kind": "concern", "names": {"en": "x"}, "geometry": open_ring, "owner_org_id": "mopa"}),
            "geometry.coordinates[0]",
        ),
        (
            json!({"kind": "concern", "names": {"en": "x"}, "geometry": unclosed, "owner_org_id": "mopa"}),
            "geometry.coordinates[0]",
        ),
        (
            json!({"kind": "concern", "names": {"en": "x"}, "geometry": line, "owner_org_id": "mopa"}),
            "geometry.type",
        ),
        (
            json!({"kind": "responsibility", "names": {"en": "x"}, "admin_units": ["IQG13"], "owner_org_id": "mopa"}),
            "organisation_id",
        ),
        (
            json!({"kind": "concern", "names": {"en": "x"}, "admin_units": ["IQG99"], "owner_org_id": "mopa"}),
            "admin_units[0]",
        ),
        (
            json!({"kind": "concern", "names": {"en": "x"}, "owner_org_id": "mopa"}),
            "geometry",
        ),
        (
            json!({"kind": "coordination_line", "names": {"en": "x"}, "admin_units": ["IQG13"], "owner_org_id": "mopa"}),
            "admin_units",
        ),
    ] {
        let (status, fields, _) = error_fields(app.post("/api/v1/areas", &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(fields.contains(&field.to_owned()), "{field}: {fields:?}");
    }
    let line = app
        .create("/api/v1/areas", json!({"kind": "coordination_line", "names": {"en": "Coordination line (illustrative)"},
            "geometry": {"type": "LineString", "coordinates": [[43.0, 36.8], [44.0, 35.5], [45.5, 34.5]]}, "illustrative": true, "owner_org_id": "mopa"}))
        .await;
    let r = app
        .get(&format!(
            "/api/v1/coverage?area={}&date=2025-01-01",
            line["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a line has no area to analyse"
    );
}
