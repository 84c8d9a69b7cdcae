//! The gazetteer over HTTP: lookup in three scripts, reverse geocoding, GeoJSON layers.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{error_fields, spawn_app};

fn q(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_place_is_found_by_any_of_its_names_and_a_point_by_its_units() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for name in ["Hawler", "اربيل", "هەولێر"] {
        let found = app
            .get_json(&format!("/api/v1/gazetteer?q={}", q(name)))
            .await;
        assert_eq!(found[0]["pcode"], "IQG11", "{name}");
        assert_eq!(found[0]["name_ckb"], "هەولێر");
    }
    let here = app
        .get_json("/api/v1/gazetteer/locate?lat=34.8833&lon=44.6333")
        .await;
    assert_eq!(here["governorate"]["name_en"], "Salah Al-Din");
    assert_eq!(here["district"]["name_en"], "Tooz Khurmato");
    assert_eq!(here["sub_district"]["parent"], "IQG16Q07");
    // The town, not only its district: the nearest named place and how far.
    assert_eq!(here["nearest_place"]["place"]["name_en"], "Tuz Khurmatu");
    assert_eq!(here["nearest_place"]["place"]["kind"], "town");
    assert!(here["nearest_place"]["distance_km"].as_f64().unwrap() < 2.0);
    let (status, _, body) =
        error_fields(app.get("/api/v1/gazetteer/locate?lat=51.5&lon=-0.12").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"].as_str().unwrap().contains("outside Iraq"));
    let (status, fields, _) =
        error_fields(app.get("/api/v1/gazetteer/locate?lat=95&lon=44").await).await;
    assert_eq!(
        (status, fields),
        (StatusCode::BAD_REQUEST, vec!["lat".to_owned()])
    );
    let (status, fields, _) =
        error_fields(app.get("/api/v1/gazetteer/locate?lat=north&lon=44").await).await;
    assert_eq!(
        (status, fields),
        (StatusCode::BAD_REQUEST, vec!["lat".to_owned()])
    );
}

#[tokio::test]
async fn the_spellings_sources_use_find_their_governorate_or_district_in_three_scripts() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for (name, pcode) in [
        ("Dihok", "IQG09"),
        ("Tamim", "IQG13"),
        ("At Tamim", "IQG13"),
        ("Al-Qadisiyyah", "IQG05"),
        ("Khanaqeen", "IQG10Q05"),
        ("Tuz Khurmato", "IQG16Q07"),
        ("طوزخورماتو", "IQG16Q07"),
        ("التأميم", "IQG13"),
        ("خانەقین", "IQG10Q05"),
        ("دهۆک", "IQG09"),
    ] {
        let found = app
            .get_json(&format!("/api/v1/gazetteer?q={}", q(name)))
            .await;
        assert_eq!(found[0]["pcode"], pcode, "{name}: {found}");
    }
}

#[tokio::test]
async fn boundaries_come_as_geojson_with_the_attribution() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = app.get("/api/v1/boundaries/2").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let layer: Value = r.json().await.unwrap();
    assert_eq!(layer["type"], "FeatureCollection");
    assert_eq!(layer["features"].as_array().unwrap().len(), 101);
    assert_eq!(
        layer["attribution"],
        "Boundaries: Iraq CSO / OCHA (COD-AB 2019)"
    );
    let kirkuk = app.get_json("/api/v1/gazetteer/IQG13").await;
    assert_eq!(kirkuk["type"], "Feature");
    assert_eq!(kirkuk["properties"]["name_ckb"], "کەرکووک");
    let ring = &kirkuk["geometry"]["coordinates"][0][0];
    assert_eq!(
        ring[0],
        ring[ring.as_array().unwrap().len() - 1],
        "closed ring"
    );
    assert!(
        ring[0][0].as_f64().unwrap() > ring[0][1].as_f64().unwrap(),
        "longitude (~44) before latitude (~35)"
    );
    assert_eq!(
        app.get("/api/v1/boundaries/7").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/v1/gazetteer/IQG99").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app
        .client
        .get(app.url("/api/v1/boundaries/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// The boundaries never change while the server runs: a browser that holds them is told
/// so (304, no body) and may keep them a day.
#[tokio::test]
async fn boundary_layers_are_cached_by_the_browser() {
    let app = crate::helpers::spawn_app().await;
    app.seed_registry().await;
    let first = app.get("/api/v1/boundaries/1").await;
    assert_eq!(first.status(), reqwest::StatusCode::OK);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    let body = first.bytes().await.unwrap();
    assert!(body.len() > 10_000);
    let again = app
        .client
        .get(app.url("/api/v1/boundaries/1"))
        .header("authorization", app.bearer("mopa").await)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), reqwest::StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    let other = app.get("/api/v1/boundaries/2").await;
    assert_ne!(other.headers()["etag"].to_str().unwrap(), etag);
}

/// A level that is not a number 1 to 3 is refused naming `level`, however it is wrong
/// (schemathesis sent `-1`: axum's own parse error for a lone path value has no name).
#[tokio::test]
async fn a_boundary_level_that_is_not_one_to_three_is_refused_by_name() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for level in ["-1", "0", "4", "256", "two"] {
        let r = app.get(&format!("/api/v1/boundaries/{level}")).await;
        let (status, fields, body) = error_fields(r).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{level}: {body}");
        assert_eq!(fields, ["level"], "{level}: {body}");
    }
}

/// The map draws the boundaries simplified for display: the same units, much fewer
/// bytes, cached on their own; any other detail is refused, naming the parameter.
#[tokio::test]
async fn boundaries_for_display_are_the_same_units_in_fewer_bytes() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for level in 1..=3 {
        let full = app.get(&format!("/api/v1/boundaries/{level}")).await;
        let full_tag = full.headers()["etag"].clone();
        let full: serde_json::Value = full.json().await.unwrap();
        let shown = app
            .get(&format!("/api/v1/boundaries/{level}?detail=display"))
            .await;
        assert_eq!(shown.status(), StatusCode::OK);
        assert_ne!(shown.headers()["etag"], full_tag, "cached apart");
        let bytes = shown.bytes().await.unwrap().len();
        let shown: serde_json::Value =
            serde_json::from_slice(&bytes_of(&app, level).await).unwrap();
        let ids = |v: &serde_json::Value| -> Vec<String> {
            v["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&shown), ids(&full));
        assert!(bytes * 2 < serde_json::to_vec(&full).unwrap().len());
    }
    let r = app.get("/api/v1/boundaries/1?detail=coarse").await;
    let (status, fields, _) = error_fields(r).await;
    assert_eq!(
        (status, fields),
        (StatusCode::BAD_REQUEST, vec!["detail".to_owned()])
    );
}

async fn bytes_of(app: &crate::helpers::TestApp, level: u8) -> Vec<u8> {
    app.get(&format!("/api/v1/boundaries/{level}?detail=display"))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn towns_and_air_bases_are_found_by_the_spellings_sources_use_in_three_scripts() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for (name, expected) in [
        ("Tuz Khurmato", "Tuz Khurmatu"),
        ("طوزخورماتو", "Tuz Khurmatu"),
        ("Khanaqeen", "Khanaqin"),
        ("خانەقين", "Khanaqin"),
        ("Shingal", "Sinjar"),
        ("شەنگال", "Sinjar"),
        ("Al Asad Air Base", "Al Asad Air Base"),
        ("ORAA", "Al Asad Air Base"),
    ] {
        let found = app
            .get_json(&format!("/api/v1/gazetteer/places?q={}", q(name)))
            .await;
        assert_eq!(found[0]["name_en"], expected, "{name}: {found}");
    }
    let khanaqin = &app.get_json("/api/v1/gazetteer/places?q=Khanaqin").await[0];
    assert_eq!(khanaqin["name_ar"], "خانقين");
    assert!(khanaqin["id"].as_str().unwrap().starts_with("geonames:"));
    assert_eq!(
        app.get_json("/api/v1/gazetteer/places?q=Atlantis").await,
        serde_json::json!([])
    );
    let (status, fields, _) = error_fields(app.get("/api/v1/gazetteer/places?q=%20").await).await;
    assert_eq!(
        (status, fields),
        (StatusCode::BAD_REQUEST, vec!["q".to_owned()])
    );
}
