//! Bad input of every kind gets a 4xx that names the field, and changes nothing.

use hawkari_http::HttpConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_fields, spawn_app, spawn_app_with};

/// A change that makes a valid engagement invalid.
type Mutation = Box<dyn Fn(&mut Value)>;

fn engagement() -> Value {
    json!({"kind": "call", "title": "Call", "when": "2025-08-18",
           "participants": [{"person_id": "yarallah", "role": "lead"}], "owner_org_id": "iraqi-army"})
}

async fn rejected_fields(app: &crate::helpers::TestApp, body: Value) -> (StatusCode, Vec<String>) {
    let (status, fields, _) = error_fields(app.post("/api/v1/engagements", &body).await).await;
    (status, fields)
}

#[tokio::test]
async fn each_kind_of_bad_engagement_field_is_named() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let cases: Vec<(&str, Mutation)> = vec![
        ("when", Box::new(|b| b["when"] = json!("03/07/2022"))),
        (
            "when",
            Box::new(|b| b["when"] = json!("2022-07-05/2022-07-01")),
        ),
        ("participants", Box::new(|b| b["participants"] = json!([]))),
        (
            "participants[0]",
            Box::new(|b| b["participants"] = json!([{"role": "lead"}])),
        ),
        (
            "participants[0].role",
            Box::new(|b| b["participants"][0]["role"] = json!("boss")),
        ),
        (
            "participants[0].person_id",
            Box::new(|b| b["participants"][0]["person_id"] = json!("nobody")),
        ),
        (
            "participants[0].person_id",
            Box::new(|b| b["participants"][0]["person_id"] = json!("Not An Id")),
        ),
        (
            "releasable_to[1]",
            Box::new(|b| b["releasable_to"] = json!(["mopa", "ghost"])),
        ),
        (
            "topics[0]",
            Box::new(|b| b["topics"] = json!(["no-such-topic"])),
        ),
        ("title", Box::new(|b| b["title"] = json!("   "))),
        ("title", Box::new(|b| b["title"] = json!("x".repeat(301)))),
        ("kind", Box::new(|b| b["kind"] = json!("party"))),
        (
            "sources[0].url",
            Box::new(|b| {
                b["sources"] = json!([{"publisher": "p", "title": "t", "url": "ftp://x"}])
            }),
        ),
        (
            "sources[0].date",
            Box::new(|b| {
                b["sources"] = json!([{"publisher": "p", "title": "t", "date": "July 2022"}])
            }),
        ),
        (
            "confidence",
            Box::new(|b| b["confidence"] = json!("certain")),
        ),
        (
            "follow_up_of",
            Box::new(|b| b["follow_up_of"] = json!("missing-engagement")),
        ),
        ("place_id", Box::new(|b| b["place_id"] = json!("atlantis"))),
        ("colour", Box::new(|b| b["colour"] = json!("red"))),
    ];
    for (field, mutate) in cases {
        let mut body = engagement();
        mutate(&mut body);
        let (status, fields) = rejected_fields(&app, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(
            fields.iter().any(|f| f == field),
            "expected {field}, got {fields:?} for {body}"
        );
    }
    // An owner other than the writer's own organisation is refused before anything else.
    let mut body = engagement();
    body["owner_org_id"] = json!("unknown-org");
    let (status, _, _) = error_fields(app.post("/api/v1/engagements", &body).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        app.get_json("/api/v1/engagements").await["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn bad_registry_fields_are_named() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let cases = [
        (
            "/api/v1/organisations",
            json!({"names": {}, "kind": "federal", "owner_org_id": "mopa"}),
            "names",
        ),
        (
            "/api/v1/organisations",
            json!({"names": {"en": "X"}, "kind": "federal", "owner_org_id": "mopa", "parent_id": "none"}),
            "parent_id",
        ),
        (
            "/api/v1/people",
            json!({"names": {"en": "X"}, "positions": [{"title": "T", "organisation_id": "mopa", "from": "2022-13"}], "owner_org_id": "mopa"}),
            "positions[0].from",
        ),
        (
            "/api/v1/people",
            json!({"names": {"en": "X"}, "positions": [{"title": "T", "organisation_id": "mopa", "from": "2022", "to": "2021"}], "owner_org_id": "mopa"}),
            "positions[0].to",
        ),
        (
            "/api/v1/people",
            json!({"names": {"en": "X"}, "positions": [{"title": "T", "organisation_id": "ghost"}], "owner_org_id": "mopa"}),
            "positions[0].organisation_id",
        ),
        (
            "/api/v1/places",
            json!({"names": {"en": "X"}, "kind": "base", "point": {"lat": 95.0, "lon": 44.0}, "owner_org_id": "mopa"}),
            "point.lat",
        ),
        (
            "/api/v1/topics",
            json!({"code": "Bad Code", "labels": {"en": "x"}}),
            "code",
        ),
        (
            "/api/v1/commitments",
            json!({"engagement_id": "e", "text": "t", "responsible_org_id": "mopa", "owner_org_id": "mopa", "due": "11/11/2025"}),
            "due",
        ),
    ];
    for (path, body, field) in cases {
        let (status, fields, _) = error_fields(app.post(path, &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}");
        assert!(
            fields.iter().any(|f| f == field),
            "{path}: expected {field}, got {fields:?}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_bad_request() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = app
        .client
        .post(app.url("/api/v1/engagements"))
        .header("authorization", app.bearer("mopa").await)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .client
        .post(app.url("/api/v1/engagements"))
        .header("authorization", app.bearer("mopa").await)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app_with(HttpConfig {
        max_body_bytes: 4096,
        ..Default::default()
    })
    .await;
    app.seed_registry().await;
    let mut body = engagement();
    body["summary"] = json!("x".repeat(10_000));
    let (status, _, json) = error_fields(app.post("/api/v1/engagements", &body).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["error"], "payload_too_large");
}

#[tokio::test]
async fn bad_query_parameters_are_named() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2025-02-30", "to"),
        ("limit=0", "limit"),
        ("limit=lots", "limit"),
        ("cursor=zz", "cursor"),
        ("person_id=Not%20Valid", "person_id"),
        ("kind=party", "kind"),
    ] {
        let (status, fields, _) =
            error_fields(app.get(&format!("/api/v1/engagements?{query}")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(fields, [field], "{query}");
    }
    let (status, fields, _) =
        error_fields(app.get("/api/v1/commitments?overdue=maybe").await).await;
    assert_eq!(
        (status, fields),
        (StatusCode::BAD_REQUEST, vec!["overdue".to_owned()])
    );
}

#[tokio::test]
async fn unknown_records_and_paths_are_404_with_a_json_body() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for path in [
        "/api/v1/engagements/nope",
        "/api/v1/people/nope",
        "/api/v1/commitments/nope",
        "/api/v1/nothing",
    ] {
        let (status, _, body) = error_fields(app.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"], "not_found");
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_gets_a_json_405() {
    let app = spawn_app().await;
    let r = app
        .client
        .patch(app.url("/api/v1/engagements"))
        .send()
        .await
        .unwrap();
    let (status, _, body) = error_fields(r).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn creating_with_an_id_that_exists_is_a_conflict() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = app.post("/api/v1/organisations", &json!({"id": "mopa", "names": {"en": "Duplicate"}, "kind": "regional", "owner_org_id": "mopa"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.get_json("/api/v1/organisations/mopa").await["names"]["en"],
        "Ministry of Peshmerga Affairs"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let doc = app.get_json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/engagements",
        "/api/v1/engagements/{id}",
        "/api/v1/commitments/{id}/status",
        "/api/v1/people/{id}/history",
        "/api/v1/organisations/{id}/commitments",
        "/api/v1/topics/{code}",
        "/api/v1/auth/login",
        "/api/v1/tokens",
        "/api/v1/users",
        "/api/v1/{collection}/{id}/changes",
        "/api/v1/{collection}/{id}/comments",
        "/api/v1/places",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/engagements"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "from",
        "to",
        "organisation_id",
        "person_id",
        "topic",
        "q",
        "cursor",
        "limit",
    ] {
        assert!(params.contains(&p), "{p} not in {params:?}");
    }
    assert!(
        doc["components"]["schemas"]["EngagementData"]["properties"]["participants"].is_object()
    );
}

/// A value of the wrong shape for a parameter of this OpenAPI schema, if one exists
/// (`$ref`s are looked up in `doc`).
fn wrong_value(doc: &Value, schema: &Value) -> Option<&'static str> {
    let schema = schema
        .get("oneOf")
        .and_then(|o| o.as_array()?.iter().find(|s| s["type"] != "null"))
        .unwrap_or(schema);
    let schema = match schema["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .expect("a $ref to a component"),
        None => schema,
    };
    match schema["pattern"].as_str() {
        // Blank, for text that must not be.
        Some(r"\S") => return Some("%20"),
        // Upper case and spaces: outside every id, date, cursor and number pattern.
        Some(_) => return Some("NOT%20VALID"),
        None => {}
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if schema.get("enum").is_some() {
        return Some("not-one-of-them");
    }
    if types.contains(&"integer") {
        return Some("-1x");
    }
    if types.contains(&"number") {
        return Some("abc");
    }
    if types.contains(&"boolean") {
        return Some("maybe");
    }
    if schema["format"] == "date" {
        return Some("99999-01-01");
    }
    None
}

/// Every parameter of every endpoint in the OpenAPI document, given a value of the wrong
/// shape: a 400 in the API's JSON naming that parameter — never a plain-text rejection,
/// never a server error. Path parameters get a value that is not text (`%FF`) or not a
/// number.
#[tokio::test]
async fn every_bad_parameter_of_every_endpoint_is_named_in_json() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let doc: Value = app.get_json("/api/v1/openapi.json").await;
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if method != "get" {
                continue;
            }
            let params: Vec<&Value> = op["parameters"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let good_path = |except: &str, bad: &str| {
                let mut p = path.clone();
                for param in &params {
                    if param["in"] == "path" {
                        let name = param["name"].as_str().unwrap();
                        let value = if name == except {
                            bad.to_owned()
                        } else if name == "collection" {
                            "engagements".into()
                        } else if name == "level" {
                            "1".into()
                        } else {
                            "mopa".into()
                        };
                        p = p.replace(&format!("{{{name}}}"), &value);
                    }
                }
                p
            };
            for param in &params {
                let name = param["name"].as_str().unwrap();
                let url = if param["in"] == "path" {
                    let bad = if param["schema"]["type"] == "integer" {
                        "-1"
                    } else {
                        "%FF"
                    };
                    good_path(name, bad)
                } else if let Some(bad) = wrong_value(&doc, &param["schema"]) {
                    // Required parameters the endpoint needs are given, so that only this
                    // one is wrong.
                    let mut q = vec![format!("{name}={bad}")];
                    for other in &params {
                        let n = other["name"].as_str().unwrap();
                        if other["in"] == "query" && other["required"] == true && n != name {
                            q.push(match n {
                                "date" => "date=2025-10-01".into(),
                                "lat" => "lat=35".into(),
                                "lon" => "lon=44".into(),
                                "zoom" => "zoom=6".into(),
                                n => format!("{n}=mopa"),
                            });
                        }
                    }
                    format!("{}?{}", good_path("", ""), q.join("&"))
                } else {
                    continue;
                };
                let r = app.get(&url).await;
                let status = r.status();
                let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
                let text = r.text().await.unwrap();
                assert!(
                    content_type.starts_with("application/json"),
                    "GET {url}: {content_type} {text}"
                );
                assert_eq!(status, StatusCode::BAD_REQUEST, "GET {url}: {text}");
                let body: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(body["fields"][0]["field"], name, "GET {url}: {text}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "{checked} parameters checked");
}

/// Dates typed with Arabic-Indic digits are dates.
#[tokio::test]
async fn a_date_in_arabic_indic_digits_is_read_as_a_date() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Dated", "2025-10-07").await;
    let c = app
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": e["id"], "text": "Report back", "responsible_org_id": "mopa",
            "due": "٢٠٢٦-١١-٢٠", "owner_org_id": "mopa"}),
        )
        .await;
    assert_eq!(c["due"], "2026-11-20");
    let list = app
        .get_json("/api/v1/commitments?due_before=٢٠٢٧-٠١-٠١")
        .await;
    assert_eq!(list["items"][0]["id"], c["id"]);
}

/// Web pages answer errors with a page in the reader's language, never JSON or plain
/// text: an unknown address, a path parameter that is not text, a record not released.
#[tokio::test]
async fn web_errors_are_pages_in_the_readers_language() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app
        .web_session("web-reader", "mopa", hawkari_core::access::Role::Viewer)
        .await;
    for (lang, words) in [
        ("en", "There is no such record"),
        ("ar", "لا يوجد مثل هذا السجل"),
    ] {
        for path in ["/no/such/page", "/engagements/%FF", "/engagements/missing"] {
            let r = app
                .client
                .get(app.url(path))
                .header("cookie", format!("hawkari_lang={lang}; {cookie}"))
                .send()
                .await
                .unwrap();
            let status = r.status();
            let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
            let html = r.text().await.unwrap();
            assert!(status.is_client_error(), "{path}: {status}");
            assert!(
                content_type.starts_with("text/html"),
                "{path}: {content_type}"
            );
            if status == StatusCode::NOT_FOUND {
                assert!(html.contains(words), "{lang} {path}: {html}");
            }
        }
    }
}

/// `If-Match` takes a version as `"3"`, `W/"3"` or `3`, as the OpenAPI document's pattern
/// says; a sign or stray quotes (once let through by trimming) are a 400 naming it.
#[tokio::test]
async fn if_match_takes_a_version_in_one_of_three_forms_only() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let created = app.create_engagement("Versions", "2025-10-07").await;
    let path = format!("/api/v1/engagements/{}", created["id"].as_str().unwrap());
    let put = |if_match: &'static str| {
        let mut body = created.clone();
        body["title"] = json!(format!("Versions ({if_match})"));
        let (app, path) = (&app, &path);
        async move {
            app.client
                .put(app.url(path))
                .header("authorization", app.bearer("mopa").await)
                .header("If-Match", if_match)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    for bad in ["+1", "\"\"1\"", "W/W/1", "1\"", "-1", "v1"] {
        let (status, fields, body) = error_fields(put(bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(fields, ["If-Match"], "{bad}: {body}");
    }
    assert_eq!(put("W/\"1\"").await.status(), StatusCode::OK);
    assert_eq!(put("\"2\"").await.status(), StatusCode::OK);
    assert_eq!(put("3").await.status(), StatusCode::OK);
}

/// An audit page size outside 1–500 is refused, as every list's `limit` is and as the
/// OpenAPI document says (it was clamped, so `limit=0` answered one entry).
#[tokio::test]
async fn an_audit_page_size_out_of_range_is_refused_not_clamped() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for bad in ["0", "501"] {
        let r = app.get(&format!("/api/v1/audit?limit={bad}")).await;
        let (status, fields, body) = error_fields(r).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "limit={bad}: {body}");
        assert_eq!(fields, ["limit"], "limit={bad}: {body}");
    }
    let page = app.get_json("/api/v1/audit?limit=500").await;
    assert!(!page.as_array().unwrap().is_empty());
}
