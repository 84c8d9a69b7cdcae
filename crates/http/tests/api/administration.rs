//! Accounts administered through the API and the web: organisation administrators keep
//! their own organisation's accounts (roles up to their own), system administrators
//! every account; no one changes their own role; an account outside one's care answers
//! as one that does not exist; every change is audited for the organisations above.

use hawkari_core::access::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn send(
    app: &TestApp,
    bearer: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("authorization", bearer);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn user_id(app: &TestApp, username: &str) -> String {
    app.app
        .store()
        .user_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .user
        .id
}

#[tokio::test]
async fn organisation_administrators_keep_their_own_accounts_and_only_those() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let admin = app.bearer("mopa").await;
    app.user_token("mopa-clerk", "mopa", Role::Viewer).await;
    app.user_token("army-clerk", "iraqi-army", Role::Viewer)
        .await;
    let (status, list) = send(&app, &admin, Method::GET, "/api/v1/users", None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"mopa-clerk") && !names.contains(&"army-clerk"),
        "{names:?}"
    );
    let clerk = user_id(&app, "mopa-clerk").await;
    let (status, changed) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{clerk}"),
        Some(json!({"role": "editor"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(changed["role"], "editor");
    // Not beyond their own role.
    let (status, body) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{clerk}"),
        Some(json!({"role": "system_admin"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Another organisation's account answers as one that does not exist.
    let army = user_id(&app, "army-clerk").await;
    let (other, _) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{army}"),
        Some(json!({"disabled": true})),
    )
    .await;
    let (none, _) = send(
        &app,
        &admin,
        Method::PATCH,
        "/api/v1/users/no-such-account",
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(
        (other, none),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    // Not their own role.
    let me = user_id(&app, "mopa-admin").await;
    let (status, _) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{me}"),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Viewers and editors manage nothing.
    let viewer = app.user_token("mopa-reader", "mopa", Role::Viewer).await;
    let (status, _) = send(&app, &viewer, Method::GET, "/api/v1/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_disabled_account_stops_working_and_a_new_password_ends_sessions() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let admin = app.bearer("mopa").await;
    let clerk_token = app.user_token("mopa-clerk", "mopa", Role::Editor).await;
    let clerk = user_id(&app, "mopa-clerk").await;
    let (status, _) = send(&app, &clerk_token, Method::GET, "/api/v1/engagements", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{clerk}"),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(&app, &clerk_token, Method::GET, "/api/v1/engagements", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/users/{clerk}"),
        Some(json!({"disabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A new password set by the administrator: the old one no longer signs in.
    let (status, _) = send(
        &app,
        &admin,
        Method::PUT,
        &format!("/api/v1/users/{clerk}/password"),
        Some(json!({"password": "short"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        &admin,
        Method::PUT,
        &format!("/api/v1/users/{clerk}/password"),
        Some(json!({"password": "a-brand-new-password"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": "mopa-clerk", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        login("a-test-password-of-length").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login("a-brand-new-password").await, StatusCode::OK);
    // Both changes are in the trail of MoPA, with who made them.
    let (_, trail) = send(&app, &admin, Method::GET, "/api/v1/audit", None).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["record_id"] == clerk.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"user_updated") && actions.contains(&"password_reset"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn the_web_keeps_accounts_and_tokens() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-head", "mopa", Role::OrgAdmin).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |path: &str, form: Vec<(&str, &str)>| {
        client
            .post(app.url(path))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    // A new account: too short a password is refused with the username kept.
    let r = post(
        "/admin/users",
        vec![
            ("csrf_token", &csrf),
            ("username", "field-clerk"),
            ("role", "editor"),
            ("password", "short"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("value=\"field-clerk\"")
            && html.contains("New password: at least 12 characters"),
        "kept and named: {html}"
    );
    // In Arabic, the refusal is in Arabic, the field named as the form labels it.
    let r = client
        .post(app.url("/admin/users"))
        .header("cookie", format!("{cookie}; hawkari_lang=ar"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "Field Clerk"),
            ("role", "editor"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("أحرف لاتينية صغيرة"), "{html}");
    assert!(!html.contains("lower-case letters"), "{html}");
    let r = post(
        "/admin/users",
        vec![
            ("csrf_token", &csrf),
            ("username", "field-clerk"),
            ("role", "editor"),
            ("password", "a-long-enough-password"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("field-clerk"));
    let clerk = user_id(&app, "field-clerk").await;
    let r = post(
        &format!("/admin/users/{clerk}"),
        vec![("csrf_token", &csrf), ("role", "viewer"), ("disabled", "1")],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let stored = app
        .app
        .store()
        .user_by_id(&clerk)
        .await
        .unwrap()
        .unwrap()
        .user;
    assert_eq!((stored.role, stored.disabled), (Role::Viewer, true));
    // Tokens: made with the secret shown once, then revoked.
    let r = post(
        "/account/tokens",
        vec![("csrf_token", &csrf), ("name", "laptop"), ("scope", "read")],
    )
    .await
    .unwrap();
    let html = r.text().await.unwrap();
    let secret = html
        .split("id=\"token-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let (status, _) = send(
        &app,
        &format!("Bearer {secret}"),
        Method::GET,
        "/api/v1/engagements",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = html
        .split("/account/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let r = post(
        &format!("/account/tokens/{id}/revoke"),
        vec![("csrf_token", &csrf)],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = send(
        &app,
        &format!("Bearer {secret}"),
        Method::GET,
        "/api/v1/engagements",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
