//! Releasability and editing rights, as a generated matrix: every endpoint × every role ×
//! a record released or not released to the caller's organisation — the exact status,
//! and no unreleased id, title or count in any response body.

use hawkari_core::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, ids, spawn_app};

/// The title words of the unreleased records: no response to an outsider may hold them.
const SECRET_WORDS: [&str; 2] = ["Nightjar", "Kestrel"];

/// MoPA owns two engagements, each with a commitment: one released to the Iraqi Army,
/// one to nobody. Returns (released engagement, hidden engagement, released commitment,
/// hidden commitment).
async fn partnership(app: &TestApp) -> (Value, Value, Value, Value) {
    app.seed_registry().await;
    let engagement = |title: &str, release: Value| {
        json!({"kind": "key_leader_engagement", "title": title, "when": "2025-10-07",
               "participants": [{"organisation_id": "mopa", "role": "lead"}],
               "owner_org_id": "mopa", "releasable_to": release, "release_groups": []})
    };
    let shared = app
        .create(
            "/api/v1/engagements",
            engagement("Shared border review", json!(["iraqi-army"])),
        )
        .await;
    let hidden = app
        .create(
            "/api/v1/engagements",
            engagement("Operation Nightjar planning", json!([])),
        )
        .await;
    let commitment = |e: &Value, text: &str, release: Value| {
        json!({"engagement_id": e["id"], "text": text, "responsible_org_id": "mopa", "counterpart_org_id": "iraqi-army",
               "due": "2025-11-11", "owner_org_id": "mopa", "releasable_to": release, "release_groups": []})
    };
    let shared_c = app
        .create(
            "/api/v1/commitments",
            commitment(&shared, "Open the joint checkpoint", json!(["iraqi-army"])),
        )
        .await;
    let hidden_c = app
        .create(
            "/api/v1/commitments",
            commitment(&hidden, "Kestrel liaison visit", json!([])),
        )
        .await;
    (shared, hidden, shared_c, hidden_c)
}

/// One endpoint of the matrix.
struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// The status for a caller in the Iraqi Army with `role`, when the record is released.
    released: fn(Role) -> StatusCode,
}

/// Every endpoint that touches a record, for the record `e` (engagement) and `c`
/// (commitment). The expected status when the record is not released is always 404.
fn cases(e: &Value, c: &Value) -> Vec<Case> {
    let eid = e["id"].as_str().unwrap();
    let cid = c["id"].as_str().unwrap();
    let mut edited = e.clone();
    edited["title"] = json!("Renamed by a partner");
    let ok = |_| StatusCode::OK;
    let refuse_change = |_| StatusCode::FORBIDDEN;
    vec![
        Case {
            method: Method::GET,
            path: format!("/api/v1/engagements/{eid}"),
            body: None,
            released: ok,
        },
        Case {
            method: Method::GET,
            path: format!("/api/v1/engagements/{eid}/changes"),
            body: None,
            released: ok,
        },
        Case {
            method: Method::PUT,
            path: format!("/api/v1/engagements/{eid}"),
            body: Some(edited),
            released: refuse_change,
        },
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/engagements/{eid}?version=1"),
            body: None,
            released: refuse_change,
        },
        Case {
            method: Method::GET,
            path: format!("/api/v1/commitments/{cid}"),
            body: None,
            released: ok,
        },
        Case {
            method: Method::POST,
            path: format!("/api/v1/commitments/{cid}/status"),
            body: Some(json!({"status": "in_progress", "reason": "counterpart started"})),
            // A partner's editors may record follow-up; viewers and system admins may not.
            released: |role| match role {
                Role::Editor | Role::OrgAdmin => StatusCode::OK,
                Role::Viewer | Role::SystemAdmin => StatusCode::FORBIDDEN,
            },
        },
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/commitments/{cid}?version=1"),
            body: None,
            released: refuse_change,
        },
    ]
}

async fn send(app: &TestApp, bearer: &str, case: &Case) -> (StatusCode, String) {
    let mut req = app
        .client
        .request(case.method.clone(), app.url(&case.path))
        .header("authorization", bearer);
    if let Some(b) = &case.body {
        req = req.json(b);
    }
    let r = req.send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

fn assert_no_secret(body: &str, hidden: &[&Value], context: &str) {
    for h in hidden {
        let id = h["id"].as_str().unwrap();
        assert!(
            !body.contains(id),
            "{context}: unreleased id {id} in {body}"
        );
    }
    for w in SECRET_WORDS {
        assert!(
            !body.contains(w),
            "{context}: unreleased title word {w} in {body}"
        );
    }
}

#[tokio::test]
async fn the_authorisation_matrix_holds_for_every_endpoint_role_and_release() {
    for role in Role::ALL {
        // A fresh partnership per role: status changes and deletes must not leak across.
        let app = spawn_app().await;
        let (shared, hidden, shared_c, hidden_c) = partnership(&app).await;
        let bearer = app
            .user_token(
                &format!("army-{}", role.as_str().replace('_', "-")),
                "iraqi-army",
                role,
            )
            .await;
        for (released, e, c) in [(true, &shared, &shared_c), (false, &hidden, &hidden_c)] {
            for case in cases(e, c) {
                let (status, body) = send(&app, &bearer, &case).await;
                let expected = if released {
                    (case.released)(role)
                } else {
                    StatusCode::NOT_FOUND
                };
                let context = format!(
                    "{} {} as {} (released: {released})",
                    case.method,
                    case.path,
                    role.as_str()
                );
                assert_eq!(status, expected, "{context}: {body}");
                assert_no_secret(&body, &[&hidden, &hidden_c], &context);
            }
        }
        // Lists, searches and the read models never show or count the hidden records.
        for path in [
            "/api/v1/engagements?limit=500",
            "/api/v1/engagements?q=nightjar",
            "/api/v1/engagements?organisation_id=mopa",
            "/api/v1/commitments?limit=500",
            "/api/v1/commitments?overdue=true",
            "/api/v1/commitments?q=kestrel",
            "/api/v1/organisations/mopa/commitments",
            "/api/v1/organisations/iraqi-army/commitments",
        ] {
            let r = app
                .client
                .get(app.url(path))
                .header("authorization", &bearer)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path} as {}", role.as_str());
            let body = r.text().await.unwrap();
            assert_no_secret(
                &body,
                &[&hidden, &hidden_c],
                &format!("{path} as {}", role.as_str()),
            );
        }
    }
}

#[tokio::test]
async fn the_owning_organisation_changes_its_records_and_viewers_do_not() {
    let app = spawn_app().await;
    let (shared, _, _, _) = partnership(&app).await;
    let id = shared["id"].as_str().unwrap();
    for (role, expected) in [
        (Role::Viewer, StatusCode::FORBIDDEN),
        (Role::Editor, StatusCode::OK),
        (Role::SystemAdmin, StatusCode::FORBIDDEN),
    ] {
        let bearer = app
            .user_token(
                &format!("mopa-{}", role.as_str().replace('_', "-")),
                "mopa",
                role,
            )
            .await;
        let mut body = app.get_json(&format!("/api/v1/engagements/{id}")).await;
        body["summary"] = json!(format!("edited by a {}", role.as_str()));
        let r = app
            .client
            .put(app.url(&format!("/api/v1/engagements/{id}")))
            .header("authorization", &bearer)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{}", role.as_str());
    }
    // An editor cannot hand a record to another organisation.
    let mut body = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    body["owner_org_id"] = json!("iraqi-army");
    let editor = app.bearer("mopa").await;
    let r = app
        .client
        .put(app.url(&format!("/api/v1/engagements/{id}")))
        .header("authorization", &editor)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_sub_organisation_sees_what_is_released_to_its_parent_and_groups_reach_by_kind() {
    let app = spawn_app().await;
    let (shared, hidden, _, _) = partnership(&app).await;
    // Sector 6 is below MoPA, the owner: it sees MoPA's records.
    let sector = app
        .user_token("sector-6-viewer", "sector-6", Role::Viewer)
        .await;
    let r = app
        .client
        .get(app.url("/api/v1/engagements?limit=500"))
        .header("authorization", &sector)
        .send()
        .await
        .unwrap();
    let seen = ids(&r.json().await.unwrap());
    assert!(
        seen.contains(&shared["id"].as_str().unwrap().to_owned())
            && seen.contains(&hidden["id"].as_str().unwrap().to_owned())
    );
    // Released to "coalition": MAG-North (a coalition body) sees it; the Iraqi Army does not.
    let coalition_only = app
        .create("/api/v1/engagements", json!({"kind": "call", "title": "Coalition-only call", "when": "2025-10",
            "participants": [{"organisation_id": "mopa", "role": "lead"}], "owner_org_id": "mopa", "release_groups": ["coalition"]}))
        .await;
    let cid = coalition_only["id"].as_str().unwrap();
    let mag = app
        .user_token("mag-viewer", "mag-north", Role::Viewer)
        .await;
    let army = app
        .user_token("army-viewer", "iraqi-army", Role::Viewer)
        .await;
    let status = |bearer: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&format!("/api/v1/engagements/{cid}")))
                .header("authorization", bearer)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status(mag).await, StatusCode::OK);
    assert_eq!(status(army).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reference_to_an_unreleased_record_is_refused_as_unknown() {
    let app = spawn_app().await;
    let (_, hidden, _, _) = partnership(&app).await;
    let army = app.bearer("iraqi-army").await;
    let body = json!({"kind": "call", "title": "Follow-up", "when": "2025-10", "follow_up_of": hidden["id"],
        "participants": [{"organisation_id": "iraqi-army", "role": "lead"}], "owner_org_id": "iraqi-army"});
    let r = app
        .client
        .post(app.url("/api/v1/engagements"))
        .header("authorization", &army)
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, fields, json) = error_fields(r).await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["follow_up_of".to_owned()]
        )
    );
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("no engagement with id"),
        "{json}"
    );
}

#[tokio::test]
async fn every_request_without_credentials_is_refused_and_every_response_carries_security_headers()
{
    let app = spawn_app().await;
    app.seed_registry().await;
    for path in [
        "/api/v1/engagements",
        "/api/v1/people/yarallah",
        "/api/v1/commitments?overdue=true",
        "/api/v1/topics",
    ] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .header("authorization", "Bearer not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app.get("/api/v1/engagements").await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn partners_who_see_a_record_comment_on_it_as_themselves() {
    let app = spawn_app().await;
    let (shared, hidden, _, _) = partnership(&app).await;
    let editor = app
        .user_token("army-editor", "iraqi-army", Role::Editor)
        .await;
    let viewer = app
        .user_token("army-viewer", "iraqi-army", Role::Viewer)
        .await;
    let comment = |bearer: String, e: &Value| {
        let url = app.url(&format!(
            "/api/v1/engagements/{}/comments",
            e["id"].as_str().unwrap()
        ));
        let req = app
            .client
            .post(url)
            .header("authorization", bearer)
            .json(&json!({"text": "Checkpoint staffed from our side"}));
        async move { req.send().await.unwrap() }
    };
    let r = comment(editor.clone(), &shared).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        comment(viewer, &shared).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = comment(editor, &hidden).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The owner sees the partner's comment, recorded as theirs.
    let seen = app
        .get_json(&format!(
            "/api/v1/engagements/{}/comments",
            shared["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(seen[0]["author"], "army-editor");
    assert_eq!(seen[0]["organisation_id"], "iraqi-army");
    assert_eq!(seen[0]["text"], "Checkpoint staffed from our side");
}
