//! Signing in, sessions and CSRF, lockout, API tokens, and the audit trail's hash chain.

use hawkari_app::Principal;
use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "correct horse battery";

async fn with_user(app: &TestApp, username: &str, role: Role) {
    app.seed_registry().await;
    app.app
        .create_user(
            &Principal::system("test"),
            username,
            &"mopa".parse().unwrap(),
            role,
            PASSWORD,
        )
        .await
        .unwrap();
}

async fn login(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

/// The session cookie and CSRF token of a successful sign-in.
async fn session(app: &TestApp, username: &str) -> (String, String) {
    let r = login(app, username, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Max-Age="] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    let body: Value = r.json().await.unwrap();
    (
        cookie.split(';').next().unwrap().to_owned(),
        body["csrf_token"].as_str().unwrap().to_owned(),
    )
}

fn engagement() -> Value {
    json!({"kind": "call", "title": "A call", "when": "2025-10", "participants": [{"organisation_id": "mopa", "role": "lead"}],
           "owner_org_id": "mopa"})
}

#[tokio::test]
async fn a_session_reads_and_writes_with_its_csrf_token_and_ends_at_logout() {
    let app = spawn_app().await;
    with_user(&app, "lo-mopa", Role::Editor).await;
    let (cookie, csrf) = session(&app, "lo-mopa").await;
    let me: Value = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["username"].as_str(), me["organisation_id"].as_str()),
        (Some("lo-mopa"), Some("mopa"))
    );

    let post = |token: Option<&str>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/engagements"))
            .header("cookie", &cookie)
            .json(&engagement());
        if let Some(t) = token {
            req = req.header("x-csrf-token", t);
        }
        req.send()
    };
    let r = post(None).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = post(Some("forged")).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "wrong CSRF token");
    let r = post(Some(&csrf)).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["created_by"], "lo-mopa");

    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the session ended");
}

#[tokio::test]
async fn wrong_passwords_get_one_answer_and_five_lock_the_account() {
    let app = spawn_app().await;
    with_user(&app, "lo-locked", Role::Viewer).await;
    let unknown = login(&app, "nobody-here", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown: Value = unknown.json().await.unwrap();
    for _ in 0..5 {
        let r = login(&app, "lo-locked", "wrong password!").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["message"], unknown["message"],
            "the same answer whether the user exists or not"
        );
    }
    let r = login(&app, "lo-locked", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "locked even with the right password"
    );
    let failures: Vec<String> = app
        .app
        .audit_page(0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == "login_failed")
        .map(|e| e.event.actor)
        .collect();
    assert_eq!(
        failures.len(),
        7,
        "every failure is audited, an unknown username's too: {failures:?}"
    );
}

#[tokio::test]
async fn a_read_token_cannot_write_and_a_revoked_token_stops_working() {
    let app = spawn_app().await;
    with_user(&app, "lo-tokens", Role::Editor).await;
    let (cookie, csrf) = session(&app, "lo-tokens").await;
    let create = |scope: &str| {
        app.client
            .post(app.url("/api/v1/tokens"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({"name": format!("{scope} integration"), "scope": scope}))
            .send()
    };
    let read: Value = create("read").await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {}", read["secret"].as_str().unwrap());
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .client
        .post(app.url("/api/v1/engagements"))
        .header("authorization", &bearer)
        .json(&engagement())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a read token does not write"
    );

    let listed: Value = app
        .client
        .get(app.url("/api/v1/tokens"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed.to_string().contains("read integration")
            && !listed
                .to_string()
                .contains(read["secret"].as_str().unwrap())
    );
    let id = read["id"].as_str().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "revoked");
}

#[tokio::test]
async fn accounts_are_made_by_administrators_only() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let request = |org: &str| json!({"username": "new-person", "organisation_id": org, "role": "editor", "password": PASSWORD});
    let editor = app.user_token("lo-editor", "mopa", Role::Editor).await;
    let r = app
        .client
        .post(app.url("/api/v1/users"))
        .header("authorization", &editor)
        .json(&request("mopa"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let org_admin = app.bearer("mopa").await;
    let r = app
        .client
        .post(app.url("/api/v1/users"))
        .header("authorization", &org_admin)
        .json(&request("iraqi-army"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an organisation admin manages their own organisation only"
    );
    let r = app
        .client
        .post(app.url("/api/v1/users"))
        .header("authorization", &org_admin)
        .json(&request("mopa"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let short = json!({"username": "other-person", "organisation_id": "mopa", "role": "viewer", "password": "short"});
    let r = app
        .client
        .post(app.url("/api/v1/users"))
        .header("authorization", &org_admin)
        .json(&short)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn every_change_is_audited_and_the_chain_catches_tampering_in_the_database() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app.create_engagement("Audited meeting", "2025-10-07").await;
    let id = e["id"].as_str().unwrap();
    let mut changed = e.clone();
    changed["title"] = json!("Audited meeting, renamed");
    assert_eq!(
        app.put(&format!("/api/v1/engagements/{id}"), &changed)
            .await
            .status(),
        StatusCode::OK
    );
    let history: Value = app
        .get_json(&format!("/api/v1/engagements/{id}/changes"))
        .await;
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "update"]);
    assert_eq!(history[1]["detail"]["before"]["title"], "Audited meeting");
    assert_eq!(
        history[1]["detail"]["after"]["title"],
        "Audited meeting, renamed"
    );
    assert_eq!(history[1]["actor"], "mopa-admin");

    let intact = app.app.verify_audit(None, |_| {}).await.unwrap();
    assert_eq!(intact.breaks, [], "an untouched log verifies");
    assert!(intact.checked >= 8, "{}", intact.checked);

    // The log refuses ordinary changes …
    let err = app
        .db
        .execute_raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("append-only"), "{err:?}");
    // … and an attacker who drops the guards is caught: altered, removed, reordered.
    app.db.drop_audit_guards().await;
    app.db
        .execute_raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
        .await
        .unwrap();
    let report = app.app.verify_audit(None, |_| {}).await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
    let broken = &report.breaks[0];
    assert_eq!(broken.seq, 3);
    assert!(broken.reason.contains("altered"), "{}", broken.reason);
}

#[tokio::test]
async fn removed_and_reordered_audit_entries_are_named() {
    for (tamper, first_bad, word) in [
        ("DELETE FROM audit_log WHERE seq = 4", 5, "missing"),
        (
            "UPDATE audit_log SET seq = -seq WHERE seq IN (4, 5); UPDATE audit_log SET seq = 5 WHERE seq = -4; UPDATE audit_log SET seq = 4 WHERE seq = -5;",
            4,
            "link",
        ),
    ] {
        let app = spawn_app().await;
        app.seed_registry().await;
        app.create_engagement("One", "2025-10-07").await;
        app.db.drop_audit_guards().await;
        app.db.execute_raw(tamper).await.unwrap();
        let report = app.app.verify_audit(None, |_| {}).await.unwrap();
        let broken = &report.breaks[0];
        assert_eq!(broken.seq, first_bad, "{tamper}: {}", broken.reason);
        assert!(broken.reason.contains(word), "{tamper}: {}", broken.reason);
    }
}

#[tokio::test]
async fn the_sign_in_form_only_works_from_the_page_that_served_it() {
    let app = spawn_app().await;
    with_user(&app, "lo-form", Role::Viewer).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |cookie: Option<String>, token: &str| {
        let mut req = client.post(app.url("/login")).form(&[
            ("username", "lo-form"),
            ("password", PASSWORD),
            ("next", "/"),
            ("login_csrf", token),
        ]);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    // A form posted from elsewhere carries no pairing cookie: no session.
    let r = post(None, "forged").await.unwrap();
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no session for a cross-site form"
    );
    assert!(r.headers()["location"].to_str().unwrap().contains("failed"));
    // The real page sets the cookie and the field together.
    let page = client.get(app.url("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    let token = html
        .split("name=\"login_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = post(Some(cookie), &token).await.unwrap();
    assert_eq!(r.headers()["location"], "/");
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("hawkari_session=")
    );
}

#[tokio::test]
async fn a_password_reset_unlocks_the_account_and_ends_its_sessions() {
    let app = spawn_app().await;
    with_user(&app, "lo-reset", Role::Editor).await;
    let (cookie, _) = session(&app, "lo-reset").await;
    for _ in 0..5 {
        login(&app, "lo-reset", "wrong password!").await;
    }
    assert_eq!(
        login(&app, "lo-reset", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "locked"
    );
    let cli = Principal::system("test");
    app.app
        .reset_password(&cli, "lo-reset", "a brand new password")
        .await
        .unwrap();
    let r = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "old sessions end");
    assert_eq!(
        login(&app, "lo-reset", "a brand new password")
            .await
            .status(),
        StatusCode::OK,
        "unlocked"
    );
    let principal = app
        .app
        .authenticate_token(app.bearer("mopa").await.trim_start_matches("Bearer "))
        .await
        .unwrap();
    let err = app
        .app
        .reset_password(&principal, "lo-reset", "another long password")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("command line"), "{err}");
}
