//! What a hostile insider at a partner organisation tried, each as a test: widening their
//! own reach through the registry, a system administrator becoming another organisation
//! unseen, existence oracles, read tokens that write, sign-in timing. (The whole-API
//! property test in `reach.rs` generalises the first.)

use hawkari_core::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Sends `body` (if any) with `bearer`.
async fn send(
    app: &TestApp,
    bearer: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("authorization", bearer);
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

/// A record only CJTF-OIR may read, and one only MoPA may read.
async fn secrets(app: &TestApp) -> (String, String) {
    let engagement = |title: &str, owner: &str| {
        json!({"kind": "call", "title": title, "when": "2025-10-07",
               "participants": [{"organisation_id": owner, "role": "lead"}],
               "owner_org_id": owner, "releasable_to": [], "release_groups": []})
    };
    let coalition = app
        .create(
            "/api/v1/engagements",
            engagement("Coalition only", "cjtf-oir"),
        )
        .await;
    let ministry = app
        .create("/api/v1/engagements", engagement("Ministry only", "mopa"))
        .await;
    (
        coalition["id"].as_str().unwrap().to_owned(),
        ministry["id"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn no_one_widens_their_own_organisations_reach_through_the_registry() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (coalition_only, ministry_only) = secrets(&app).await;
    let army = app.get_json("/api/v1/organisations/iraqi-army").await;
    let editor = app
        .user_token("army-editor", "iraqi-army", Role::Editor)
        .await;
    let admin = app.bearer("iraqi-army").await;
    let army_sysadmin = app
        .user_token("army-sysadmin", "iraqi-army", Role::SystemAdmin)
        .await;
    for (field, value) in [
        ("parent_id", json!("cjtf-oir")),
        ("parent_id", json!("mopa")),
        ("kind", json!("coalition")),
    ] {
        let mut changed = army.clone();
        changed[field] = value.clone();
        for (who, bearer) in [
            ("editor", &editor),
            ("org admin", &admin),
            ("system admin of the army itself", &army_sysadmin),
        ] {
            let r = send(
                &app,
                bearer,
                Method::PUT,
                "/api/v1/organisations/iraqi-army",
                Some(&changed),
            )
            .await;
            assert_eq!(
                r.status(),
                StatusCode::FORBIDDEN,
                "{who} setting {field} = {value}"
            );
        }
    }
    // Nothing changed: the army still reads neither secret.
    let stored = app.get_json("/api/v1/organisations/iraqi-army").await;
    assert_eq!(stored["version"], army["version"]);
    for id in [&coalition_only, &ministry_only] {
        let r = send(
            &app,
            &editor,
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            None,
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // Nor by adding an organisation of their own under another's.
    let r = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/organisations",
        Some(
            &json!({"names": {"en": "Liaison cell"}, "kind": "coalition", "parent_id": "cjtf-oir",
                     "owner_org_id": "iraqi-army", "release_groups": ["all_partners"]}),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The names of their own organisation stay theirs to keep.
    let mut renamed = army.clone();
    renamed["abbreviation"] = json!("IA");
    let r = send(
        &app,
        &editor,
        Method::PUT,
        "/api/v1/organisations/iraqi-army",
        Some(&renamed),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_change_to_the_tree_by_a_system_administrator_is_shown_to_every_organisation_it_affects()
{
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut sector = app.get_json("/api/v1/organisations/sector-6").await;
    sector["parent_id"] = json!("cjtf-oir");
    let r = send(
        &app,
        &app.registrar().await,
        Method::PUT,
        "/api/v1/organisations/sector-6",
        Some(&sector),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    for (org, sees) in [
        ("sector-6", true),
        ("mopa", true),
        ("cjtf-oir", true),
        ("iraqi-army", false),
    ] {
        let trail: Value = send(
            &app,
            &app.bearer(org).await,
            Method::GET,
            "/api/v1/audit",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        let found = trail.as_array().unwrap().iter().any(|e| {
            e["action"] == "update" && e["kind"] == "organisation" && e["record_id"] == "sector-6"
        });
        assert_eq!(found, sees, "{org}'s audit trail: {trail}");
    }
}

#[tokio::test]
async fn an_account_a_system_administrator_makes_in_another_organisation_is_shown_to_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let r = send(
        &app,
        &app.registrar().await,
        Method::POST,
        "/api/v1/users",
        Some(
            &json!({"username": "quiet-reader", "organisation_id": "sector-6", "role": "viewer",
                     "password": "a-long-enough-password"}),
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Sector 6 and MoPA above it (whose releases the account reads) see it; the army not.
    for (org, sees) in [("sector-6", true), ("mopa", true), ("iraqi-army", false)] {
        let trail: Value = send(
            &app,
            &app.bearer(org).await,
            Method::GET,
            "/api/v1/audit",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        let entry =
            trail.as_array().unwrap().iter().find(|e| {
                e["action"] == "user_created" && e["detail"]["username"] == "quiet-reader"
            });
        assert_eq!(entry.is_some(), sees, "{org}: {trail}");
        if let Some(e) = entry {
            assert_eq!(e["actor"], "registrar");
            assert_eq!(e["organisation_id"], "registry-office");
        }
    }
    // Viewers and editors do not read the trail.
    let viewer = app.user_token("mopa-viewer", "mopa", Role::Viewer).await;
    let r = send(&app, &viewer, Method::GET, "/api/v1/audit", None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // In the web, the administrators' trail page shows it too.
    let (admin, _) = app
        .web_session("mopa-web-admin", "mopa", Role::OrgAdmin)
        .await;
    let (editor, _) = app
        .web_session("mopa-web-editor", "mopa", Role::Editor)
        .await;
    let page = |cookie: String| {
        let app = &app;
        async move {
            let r = app
                .client
                .get(app.url("/admin/audit"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, html) = page(admin).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("quiet-reader") && html.contains("user_created"));
    let (status, _) = page(editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn choosing_an_id_answers_the_same_whether_or_not_a_hidden_record_has_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // MoPA's unreleased person, with a name-slug id.
    app.create_as_cli::<hawkari_core::person::Person>(
        "hidden-official",
        json!({"names": {"en": "Hidden Official"}, "owner_org_id": "mopa"}),
    )
    .await;
    let army = app.bearer("iraqi-army").await;
    let mut answers = Vec::new();
    for id in ["hidden-official", "free-slug-nobody-has"] {
        let r = send(
            &app,
            &army,
            Method::POST,
            "/api/v1/people",
            Some(&json!({"id": id, "names": {"en": "Someone"}, "owner_org_id": "iraqi-army"})),
        )
        .await;
        answers.push((r.status(), r.text().await.unwrap()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::UNPROCESSABLE_ENTITY);
    // Without an id the server gives one.
    let r = send(
        &app,
        &army,
        Method::POST,
        "/api/v1/people",
        Some(&json!({"names": {"en": "Someone"}, "owner_org_id": "iraqi-army"})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn deleting_answers_the_same_whether_or_not_hidden_records_refer_to_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // Two MoPA people released to the army; the army's own unreleased engagement names one.
    let person = |name: &str| json!({"names": {"en": name}, "owner_org_id": "mopa", "releasable_to": ["iraqi-army"], "release_groups": []});
    let named = app.create("/api/v1/people", person("Named")).await;
    let unnamed = app.create("/api/v1/people", person("Unnamed")).await;
    let army_engagement = app
        .create(
            "/api/v1/engagements",
            json!({"kind": "call", "title": "Army internal call", "when": "2025-10-07",
                   "participants": [{"person_id": named["id"], "organisation_id": "iraqi-army", "role": "lead"}],
                   "owner_org_id": "iraqi-army", "releasable_to": [], "release_groups": []}),
        )
        .await;
    let mut answers = Vec::new();
    for p in [&named, &unnamed] {
        let r = app
            .delete(
                &format!("/api/v1/people/{}", p["id"].as_str().unwrap()),
                Some(1),
            )
            .await;
        answers.push((r.status(), r.headers().get("content-length").cloned()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::NO_CONTENT);
    // The army's record is as its owner wrote it, the reference now unresolved.
    let kept = app
        .get_as_army(&format!(
            "/api/v1/engagements/{}",
            army_engagement["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    let kept: Value = kept.json().await.unwrap();
    assert_eq!(kept["participants"][0]["person_id"], named["id"]);
    assert_eq!(kept["version"], 1);
    // A record the deleter can see still stops the delete, and is named.
    let e = app.create_engagement("Visible", "2025-10-07").await;
    let r = app.delete("/api/v1/people/sirwan-barzani", Some(1)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(e["id"].as_str().unwrap()),
        "{body}"
    );
    // The whole dataset still exports and imports into an empty database.
    let mut out = Vec::new();
    app.app
        .export_dataset(&hawkari_app::Principal::system("test"), &mut out, |_| {})
        .await
        .unwrap();
    let other = spawn_app().await;
    other
        .app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(out),
            |_| {},
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_topic_in_use_only_by_hidden_records_is_removed_like_an_unused_one() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for code in ["hidden-use", "unused"] {
        app.create(
            "/api/v1/topics",
            json!({"code": code, "labels": {"en": code}}),
        )
        .await;
    }
    app.create(
        "/api/v1/engagements",
        json!({"kind": "call", "title": "Army internal call", "when": "2025-10-07", "topics": ["hidden-use"],
               "participants": [{"organisation_id": "iraqi-army", "role": "lead"}],
               "owner_org_id": "iraqi-army", "releasable_to": [], "release_groups": []}),
    )
    .await;
    let mut answers = Vec::new();
    for code in ["hidden-use", "unused"] {
        let r = app.delete(&format!("/api/v1/topics/{code}"), None).await;
        answers.push(r.status());
    }
    assert_eq!(answers, [StatusCode::NO_CONTENT, StatusCode::NO_CONTENT]);
}

/// Every endpoint that changes something, from the OpenAPI document, with ids that
/// exist: a read-scope token is refused with 403 at each.
#[tokio::test]
async fn a_read_token_changes_nothing_anywhere() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Readable", "2025-10-07").await;
    let eid = e["id"].as_str().unwrap();
    let cli = hawkari_app::Principal::system("test");
    let user = app
        .app
        .create_user(
            &cli,
            "read-only",
            &"mopa".parse().unwrap(),
            Role::OrgAdmin,
            "a-long-enough-password",
        )
        .await
        .unwrap();
    let principal = app.app.principal(user, None).await.unwrap();
    let (other, _) = app
        .app
        .create_token(&principal, "other", hawkari_store::TokenScope::Write)
        .await
        .unwrap();
    let (_, read) = app
        .app
        .create_token(&principal, "reader", hawkari_store::TokenScope::Read)
        .await
        .unwrap();
    let bearer = format!("Bearer {}", read.0);
    let doc: Value = app.get_json("/api/v1/openapi.json").await;
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            if method.is_safe() || path.starts_with("/api/v1/auth/") {
                continue;
            }
            let concrete = path
                .replace("{collection}", "engagements")
                .replace(
                    "{id}",
                    if path.starts_with("/api/v1/tokens") {
                        &other.id
                    } else {
                        eid
                    },
                )
                .replace("{code}", "security-gaps")
                .replace("{key}", "site");
            let r = send(&app, &bearer, method.clone(), &concrete, Some(&json!({}))).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {concrete}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} endpoints");
    // The other token still works: nothing was revoked.
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .bearer_auth(&read.0)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let tokens = app.app.list_tokens(&principal).await.unwrap();
    assert!(tokens.iter().all(|t| t.revoked_at.is_none()), "{tokens:?}");
}

/// A locked account, a wrong password and an unknown username take the same time to
/// refuse: each spends one password hash. (A ratio far from the bug's 1:17, not a speed.)
#[tokio::test]
async fn sign_in_takes_as_long_for_a_locked_account_as_for_an_unknown_one() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.app
        .create_user(
            &hawkari_app::Principal::system("test"),
            "locked-out",
            &"mopa".parse().unwrap(),
            Role::Viewer,
            "a-long-enough-password",
        )
        .await
        .unwrap();
    let attempt = |username: &'static str| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let r = app
                .client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": username, "password": "not the password"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
            started.elapsed()
        }
    };
    for _ in 0..5 {
        attempt("locked-out").await;
    }
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut locked = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..7 {
        locked.push(attempt("locked-out").await);
        unknown.push(attempt("nobody-by-this-name").await);
    }
    let (locked, unknown) = (median(locked), median(unknown));
    assert!(
        locked * 3 > unknown && unknown * 3 > locked,
        "locked {locked:?} against unknown {unknown:?}"
    );
}

#[tokio::test]
async fn only_a_system_administrator_removes_an_organisation_and_never_one_with_accounts() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // MoPA owns Sector 6's record; its editors may not take it out of the tree.
    let sector = app.get_json("/api/v1/organisations/sector-6").await;
    let version = sector["version"].as_i64().unwrap();
    let r = send(
        &app,
        &app.bearer("mopa").await,
        Method::DELETE,
        &format!("/api/v1/organisations/sector-6?version={version}"),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // An organisation with accounts stays, with a clear answer, not a server error.
    app.user_token("sector-clerk", "sector-6", Role::Viewer)
        .await;
    let r = send(
        &app,
        &app.registrar().await,
        Method::DELETE,
        &format!("/api/v1/organisations/sector-6?version={version}"),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("user accounts"),
        "{body}"
    );
}

#[tokio::test]
async fn a_source_id_another_organisation_holds_hidden_is_no_conflict() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let incident = |owner: &str| {
        json!({"when": "2025-09-14", "point": {"lat": 35.1, "lon": 44.4}, "type": "ied",
               "external_id": "ACLED-IRQ9001", "owner_org_id": owner, "releasable_to": [], "release_groups": []})
    };
    app.create("/api/v1/incidents", incident("iraqi-army"))
        .await;
    // MoPA's own copy of the same event: created, as if the army's did not exist.
    let r = send(
        &app,
        &app.bearer("mopa").await,
        Method::POST,
        "/api/v1/incidents",
        Some(&incident("mopa")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Within one organisation (whose records its editors all see) the key is unique.
    let r = send(
        &app,
        &app.bearer("mopa").await,
        Method::POST,
        "/api/v1/incidents",
        Some(&incident("mopa")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
