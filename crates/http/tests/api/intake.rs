//! `POST /api/v1/intake`: drafts from a report, matched only against what the caller may
//! read; bad input named.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, spawn_app};

async fn intake(app: &TestApp, org: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/intake"))
        .header("authorization", app.bearer(org).await)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The registry, and a person MoPA keeps to itself.
async fn registry(app: &TestApp) {
    app.seed_registry().await;
    app.create_as_cli::<hawkari_core::person::Person>(
        "karwan-nightjar",
        json!({"names": {"en": "Karwan Nightjar"}, "rank": "Col.",
               "positions": [{"title": "Liaison officer", "organisation_id": "mopa"}],
               "owner_org_id": "mopa", "releasable_to": [], "release_groups": []}),
    )
    .await;
}

const REPORT: &str = "ERBIL – Maj. Gen. Sirwan Barzani met Army Chief of Staff Abdul-Amir \
    Yarallah in Erbil on Sunday to discuss the security gaps, with Karwan Nightjar taking \
    notes. The Iraqi Army will open two joint checkpoints by September 2026.";

fn people(body: &Value) -> Vec<String> {
    body["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["participants"].as_array().unwrap().clone())
        .filter_map(|p| p["person_id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_report_gives_drafts_citing_their_sentence() {
    let app = spawn_app().await;
    registry(&app).await;
    let r = intake(
        &app,
        "iraqi-army",
        &json!({"text": REPORT, "published": "2022-07-04", "publisher": "Test wire"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let e = &body["engagements"][0];
    assert_eq!(e["when"]["value"], "2022-07-03", "{e}");
    assert_eq!(
        e["place"]["place_id"],
        Value::Null,
        "no Erbil place record in this registry"
    );
    assert_eq!(people(&body), ["sirwan-barzani", "yarallah"]);
    let cite = &e["cites"][0];
    let (start, end) = (
        cite["start"].as_u64().unwrap() as usize,
        cite["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&REPORT[start..end], cite["sentence"].as_str().unwrap());
    assert!(
        e["topics"]
            .as_array()
            .unwrap()
            .contains(&json!("security-gaps"))
    );
    assert_eq!(body["commitments"][0]["responsible_org_id"], "iraqi-army");
    assert_eq!(body["commitments"][0]["due"]["value"], "2026-09");
    assert_eq!(body["source"]["publisher"], "Test wire");
    assert_eq!(body["language"], "en");
}

#[tokio::test]
async fn a_person_not_released_to_the_caller_is_never_matched() {
    let app = spawn_app().await;
    registry(&app).await;
    let body = json!({"text": REPORT, "published": "2022-07-04"});
    let outsider: Value = intake(&app, "iraqi-army", &body)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !outsider.to_string().contains("karwan-nightjar"),
        "the hidden person's id reached the Iraqi Army: {outsider}"
    );
    // The owner, who may read the record, has it matched.
    let owner: Value = intake(&app, "mopa", &body).await.json().await.unwrap();
    assert!(
        people(&owner).contains(&"karwan-nightjar".to_owned()),
        "{owner}"
    );
}

#[tokio::test]
async fn bad_input_is_named() {
    let app = spawn_app().await;
    registry(&app).await;
    let (status, fields, _) = error_fields(
        intake(
            &app,
            "mopa",
            &json!({"text": "  ", "published": "2022-07-04"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, fields),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["text".to_owned()])
    );
    let (status, fields, body) = error_fields(
        intake(
            &app,
            "mopa",
            &json!({"text": REPORT, "published": "last Tuesday"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["published".to_owned()]
        )
    );
    assert!(
        body["message"].as_str().unwrap().contains("YYYY-MM-DD"),
        "{body}"
    );
    let (status, _, _) = error_fields(
        intake(
            &app,
            "mopa",
            &json!({"text": REPORT, "published": "2022-02-30"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn five_megabytes_of_text_is_refused_naming_the_limit() {
    let app = spawn_app().await;
    registry(&app).await;
    let text = "a".repeat(5 * 1024 * 1024 + 1);
    let r = intake(
        &app,
        "mopa",
        &json!({"text": text, "published": "2022-07-04"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("5 MB"), "{body}");
}

#[tokio::test]
async fn the_openapi_document_describes_intake_with_every_schema_it_names() {
    let app = spawn_app().await;
    registry(&app).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .header("authorization", app.bearer("mopa").await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/intake"]["post"].is_object());
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is named but not described"
        );
    }
    for name in [
        "IntakeRequest",
        "IntakeResult",
        "EngagementDraft",
        "When",
        "Cite",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} missing"
        );
    }
}
