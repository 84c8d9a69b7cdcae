//! Programmes and operations: what is judged of them on read (trends and projections,
//! condition states, sites without a lead), site imports from CSV, bad input named by
//! field or line, and releasability.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, ids, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed_registry().await;
    app
}

fn source() -> Value {
    json!({"publisher": "US DoD Office of Inspector General", "title": "Quarterly report", "date": "2025-07-29"})
}

fn reform(observations: Value, target_date: &str) -> Value {
    json!({
        "kind": "reform",
        "names": {"en": "Reform plan", "ckb": "پلانی چاکسازی"},
        "objectives": ["Unify the forces under the ministry"],
        "start": "2022", "end": "2030",
        "lead_org_id": "mopa",
        "milestones": [
            {"key": "mou", "title": "Memorandum renewed", "due": "2022",
             "history": [{"status": "done", "at": "2022-12-31T00:00:00Z", "by": "mopa"}]},
            {"key": "unified", "title": "Forces unified", "due": "2024-06"},
            {"key": "later", "title": "A later step", "due": "2030"}
        ],
        "indicators": [{
            "key": "under-ministry", "names": {"en": "Peshmerga under the ministry"}, "unit": "peshmerga",
            "observations": observations,
            "target": {"value": 138000, "date": target_date}
        }],
        "conditions": [
            {"key": "support", "text": "Support continues if the reforms do", "milestones": ["mou", "unified"]},
            {"key": "later-support", "text": "Later support", "milestones": ["mou", "later"]}
        ],
        "owner_org_id": "mopa"
    })
}

#[tokio::test]
async fn a_programme_is_judged_on_read_with_its_projection_and_conditions() {
    let app = seeded().await;
    // One observation: no projection, and the reason.
    let one = app
        .create(
            "/api/v1/programmes",
            reform(
                json!([{"value": 72000, "date": {"value": "2025-05-21/2025-05-31", "label": "late May"}, "source": source()}]),
                "2030",
            ),
        )
        .await;
    let trend = &one["judged"]["trends"]["under-ministry"];
    assert_eq!(trend["observations"], 1);
    assert_eq!(trend["latest_value"], 72000.0);
    assert_eq!(trend["latest_date"], "2025-05-26");
    assert_eq!(trend["no_projection"], "too_few_observations");
    assert_eq!(trend["status"], "unknown");
    assert!(trend.get("projected_date").is_none());
    // The milestone due mid-2024 is overdue, so the condition resting on it is at risk;
    // the other waits on a milestone not yet due.
    assert_eq!(one["judged"]["overdue_milestones"], json!(["unified"]));
    assert_eq!(one["judged"]["conditions"]["support"], "at_risk");
    assert_eq!(one["judged"]["conditions"]["later-support"], "pending");

    // Two observations 100 days apart, 6 000 up: 60 a day, 1 800 per 30 days; 138 000 is
    // reached 1 100 days after the first (1 January 2025), on 6 January 2028 — before
    // the end of 2030: on track.
    let two = app
        .create(
            "/api/v1/programmes",
            reform(
                json!([
                    {"value": 72000, "date": "2025-01-01", "source": source()},
                    {"value": 78000, "date": "2025-04-11", "source": source()}
                ]),
                "2030",
            ),
        )
        .await;
    let trend = &two["judged"]["trends"]["under-ministry"];
    assert_eq!(trend["rate_per_month"], 1800.0);
    assert_eq!(trend["projected_date"], "2028-01-06");
    assert_eq!(trend["status"], "on_track");
    // The list shows the same judgement.
    let list = app.get_json("/api/v1/programmes?kind=reform").await;
    assert_eq!(ids(&list).len(), 2);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["judged"]["trends"]["under-ministry"]["status"] == "on_track")
    );
}

#[tokio::test]
async fn bad_programmes_are_refused_naming_the_field() {
    let app = seeded().await;
    // An observation without a date.
    let r = app
        .post(
            "/api/v1/programmes",
            &reform(json!([{"value": 72000, "source": source()}]), "2030"),
        )
        .await;
    let (status, _, body) = error_fields(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("date"), "{body}");
    // A target in the past.
    let r = app
        .post("/api/v1/programmes", &reform(json!([]), "2020-06"))
        .await;
    let (status, fields, body) = error_fields(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["indicators[0].target.date"], "{body}");
    assert!(body.to_string().contains("is in the past"), "{body}");
    // A condition on a milestone that is not there, and a commitment that is not there.
    let mut bad = reform(json!([]), "2030");
    bad["conditions"][0]["milestones"] = json!(["nowhere"]);
    bad["conditions"][1]["commitment_id"] = json!("no-such-commitment");
    let (status, fields, _) = error_fields(app.post("/api/v1/programmes", &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fields.contains(&"conditions[0].milestones[0]".to_owned()),
        "{fields:?}"
    );
    assert_eq!(app.get_json("/api/v1/programmes").await["items"], json!([]));
}

fn election(sites: Value) -> Value {
    json!({
        "names": {"en": "Election security"}, "start": "2025-11-01", "end": "2025-11-15",
        "lead_org_id": "iraqi-army", "sites": sites, "owner_org_id": "iraqi-army"
    })
}

#[tokio::test]
async fn an_operation_shows_its_sites_without_a_lead_and_imports_sites_from_csv() {
    let app = seeded().await;
    let op = app
        .create(
            "/api/v1/operations",
            election(json!([
                {"key": "kirkuk-1", "names": {"en": "Kirkuk polling centre 1"}, "kind": "polling_centre",
                 "point": {"lat": 35.468, "lon": 44.392}, "lead_org_id": "iraqi-army",
                 "reports": [{"status": "manned", "at": "2025-11-10T18:00:00Z", "by": "iraqi-army"}]},
                {"key": "tuz-1", "names": {"en": "Tuz Khurmatu polling centre 1"}, "kind": "polling_centre",
                 "point": {"lat": 34.886, "lon": 44.633}, "supporting_org_ids": ["mopa"],
                 "liaison": {"organisation_id": "mopa", "role": "Duty officer"}}
            ])),
        )
        .await;
    let id = op["id"].as_str().unwrap().to_owned();
    assert_eq!(op["judged"]["sites_without_lead"], json!(["tuz-1"]));
    assert_eq!(
        op["judged"]["sites_by_status"],
        json!({"manned": 1, "unreported": 1})
    );
    assert_eq!(op["sites"][1]["admin_units"]["district"], "IQG16Q07");

    // A site outside Iraq is refused through the API too.
    let mut outside = op.clone();
    outside["sites"][0]["point"] = json!({"lat": 41.0, "lon": 29.0});
    let r = app
        .put(&format!("/api/v1/operations/{id}"), &strip(&outside))
        .await;
    let (status, fields, _) = error_fields(r).await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["sites[0].point".to_owned()]
        )
    );

    let csv = "key,name_en,kind,latitude,longitude,lead_org_id,supporting_org_ids,liaison_org_id,liaison_role
tuz-1,Tuz Khurmatu polling centre 1,polling_centre,34.886,44.633,mopa,,mopa,Duty officer
rabia,Rabia border crossing,border_crossing,36.805,42.1,iraqi-army,,,
istanbul,Somewhere abroad,checkpoint,41.0,29.0,iraqi-army,,,
daquq,Daquq checkpoint,road_block,35.13,44.45,,,,
makhmur,Makhmur polling centre,polling_centre,35.776,43.58,,no-such-force,,
khanaqin,Khanaqin polling centre,polling_centre,34.348,45.39,,,,
";
    let r = app
        .client
        .post(app.url(&format!("/api/v1/operations/{id}/sites.csv")))
        .header("authorization", app.bearer("iraqi-army").await)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        (
            report["read"].as_u64(),
            report["added"].as_u64(),
            report["updated"].as_u64()
        ),
        (Some(6), Some(2), Some(1))
    );
    let rejected: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            (4, "latitude, longitude".to_owned()),
            (5, "kind".to_owned()),
            (6, "supporting_org_ids".to_owned())
        ]
    );
    assert!(
        report["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("outside Iraq")
    );

    let after = app.get_json(&format!("/api/v1/operations/{id}")).await;
    assert_eq!(after["version"], 2);
    // Tuz now has a lead and kept nothing it should lose; Khanaqin has none.
    assert_eq!(after["judged"]["sites_without_lead"], json!(["khanaqin"]));
    let keys: Vec<&str> = after["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["kirkuk-1", "tuz-1", "rabia", "khanaqin"]);
    assert_eq!(
        after["sites"][0]["reports"][0]["status"], "manned",
        "reports are kept"
    );
}

#[tokio::test]
async fn a_programme_not_released_to_a_partner_is_not_there_for_them() {
    let app = seeded().await;
    let mut own = reform(json!([]), "2030");
    own["releasable_to"] = json!(["cjtf-oir"]);
    own["release_groups"] = json!([]);
    let p = app.create("/api/v1/programmes", own).await;
    let r = app
        .get_as_army(&format!("/api/v1/programmes/{}", p["id"].as_str().unwrap()))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let list: Value = app
        .get_as_army("/api/v1/programmes")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
}

/// A read record as a body to send back: without what the server adds.
fn strip(record: &Value) -> Value {
    let mut body = record.clone();
    let m = body.as_object_mut().unwrap();
    for k in [
        "judged",
        "id",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ] {
        m.remove(k);
    }
    body
}

#[tokio::test]
async fn a_partner_reports_a_site_s_status_as_its_own() {
    let app = seeded().await;
    let op = app
        .create(
            "/api/v1/operations",
            election(json!([
                {"key": "tuz-1", "names": {"en": "Tuz Khurmatu polling centre 1"}, "kind": "polling_centre",
                 "point": {"lat": 34.886, "lon": 44.633}, "lead_org_id": "iraqi-army"}
            ])),
        )
        .await;
    let id = op["id"].as_str().unwrap();
    // The ministry (a partner the army's operation is released to) reports an incident.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/operations/{id}/sites/tuz-1/reports")))
        .header("authorization", app.bearer("mopa").await)
        .json(
            &json!({"status": "incident", "note": "Shots fired near the entrance; no casualties."}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let after: Value = r.json().await.unwrap();
    let report = &after["sites"][0]["reports"][0];
    assert_eq!(report["status"], "incident");
    assert_eq!(report["by"], "mopa-admin");
    assert_eq!(after["judged"]["sites_by_status"], json!({"incident": 1}));
    assert_eq!(after["version"], 2);
    // A site that is not there, and a status that is not one.
    let r = app
        .post(
            &format!("/api/v1/operations/{id}/sites/nowhere/reports"),
            &json!({"status": "manned"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/api/v1/operations/{id}/sites/tuz-1/reports"),
            &json!({"status": "fine"}),
        )
        .await;
    assert!(r.status().is_client_error(), "{}", r.status());
}

/// Sites come in as `text/csv`, as the OpenAPI document says: a body sent as anything
/// else is refused with 415 naming the media type, and nothing is imported (it was read
/// as CSV whatever it was sent as).
#[tokio::test]
async fn a_site_import_not_sent_as_csv_is_refused_with_415() {
    let app = seeded().await;
    let op = app
        .create(
            "/api/v1/operations",
            election(json!([
                {"key": "tuz-1", "names": {"en": "Tuz Khurmatu polling centre 1"}, "kind": "polling_centre",
                 "point": {"lat": 34.886, "lon": 44.633}, "lead_org_id": "iraqi-army"}
            ])),
        )
        .await;
    let path = format!("/api/v1/operations/{}", op["id"].as_str().unwrap());
    let csv = "key,name_en,kind,latitude,longitude\nrabia,Rabia border crossing,border_crossing,36.805,42.1\n";
    let send = |content_type: &'static str| {
        let (app, path) = (&app, &path);
        async move {
            app.client
                .post(app.url(&format!("{path}/sites.csv")))
                .header("authorization", app.bearer("iraqi-army").await)
                .header("content-type", content_type)
                .body(csv)
                .send()
                .await
                .unwrap()
        }
    };
    for wrong in [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let r = send(wrong).await;
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{wrong}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "unsupported_media_type");
        assert!(
            body["message"].as_str().unwrap().contains("text/csv"),
            "{body}"
        );
    }
    assert_eq!(app.get_json(&path).await["version"], 1, "nothing imported");
    let r = send("text/csv; charset=utf-8").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["added"], 1);
}
