//! Following and notices: a follower is told of status changes, comments and due days
//! of what they follow — only for records released to them when the notice is made and
//! when it is shown — once per record and event, in their language; the web's follow
//! buttons, notification list and unread count.

use hawkari_core::access::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn send(
    app: &TestApp,
    bearer: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("authorization", bearer);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn json_of(r: Response, expected: StatusCode) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, expected, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// MoPA's engagement with two overdue commitments owed to the Iraqi Army: one released to
/// all partners, one released to the coalition only (not to the army).
async fn work(app: &TestApp) -> (String, Value, Value) {
    app.seed_registry().await;
    let e = app
        .create_engagement("Joint checkpoint review", "2025-10-07")
        .await;
    let eid = e["id"].as_str().unwrap().to_owned();
    let released = app
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": eid, "text": "Open the Kirkuk crossing", "responsible_org_id": "mopa",
                   "counterpart_org_id": "iraqi-army", "due": "2025-11-01", "owner_org_id": "mopa"}),
        )
        .await;
    let secret = app
        .create(
            "/api/v1/commitments",
            json!({"engagement_id": eid, "text": "Move the reserve brigade", "responsible_org_id": "mopa",
                   "counterpart_org_id": "iraqi-army", "due": "2025-11-01", "owner_org_id": "mopa",
                   "releasable_to": ["cjtf-oir"], "release_groups": []}),
        )
        .await;
    (eid, released, secret)
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// A comment on a commitment by its owner's administrator.
async fn comment(app: &TestApp, c: &Value, text: &str) {
    let owner = c["owner_org_id"].as_str().unwrap();
    let r = send(
        app,
        &app.bearer(owner).await,
        Method::POST,
        &format!("/api/v1/commitments/{}/comments", id(c)),
        Some(json!({"text": text})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_follower_is_told_of_status_changes_comments_and_due_days_only_of_records_released_to_them()
 {
    let app = spawn_app().await;
    let (eid, released, secret) = work(&app).await;
    let army = app.bearer("iraqi-army").await;

    // What is owed to the army, and the engagement; a record not released to the army
    // answers as one that does not exist.
    for body in [
        json!({"target": "owed_to"}),
        json!({"target": "engagement", "record_id": eid}),
    ] {
        json_of(
            send(&app, &army, Method::POST, "/api/v1/follows", Some(body)).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let hidden = send(
        &app,
        &army,
        Method::POST,
        "/api/v1/follows",
        Some(json!({"target": "commitment", "record_id": id(&secret)})),
    )
    .await;
    let missing = send(
        &app,
        &army,
        Method::POST,
        "/api/v1/follows",
        Some(json!({"target": "commitment", "record_id": "no-such-commitment"})),
    )
    .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let r = send(
        &app,
        &army,
        Method::POST,
        "/api/v1/follows",
        Some(json!({"target": "engagement"})),
    )
    .await;
    let (status, fields, _) = crate::helpers::error_fields(r).await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["record_id".to_owned()]
        )
    );
    let follows = json_of(
        send(&app, &army, Method::GET, "/api/v1/follows", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(follows.as_array().unwrap().len(), 2, "{follows}");

    // MoPA changes the status of both and comments on both; then the periodic pass.
    app.set_status(&released, "in_progress", Some("crossing staffed"))
        .await;
    app.set_status(&secret, "in_progress", None).await;
    for c in [&released, &secret] {
        comment(&app, c, "Engineers arrive on Monday").await;
    }
    let made = app.app.scan_due(true).await.unwrap();
    let to_army: Vec<&str> = made.iter().map(|n| n.notice.record_id.as_str()).collect();
    assert_eq!(
        to_army,
        [id(&released)],
        "only the released commitment is overdue for the army"
    );
    assert!(
        app.app.scan_due(true).await.unwrap().is_empty(),
        "a second pass makes no second notice of the same event"
    );

    let list = json_of(
        send(&app, &army, Method::GET, "/api/v1/notices", None).await,
        StatusCode::OK,
    )
    .await;
    let mut events: Vec<&str> = list["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["event"].as_str().unwrap())
        .collect();
    events.sort();
    assert_eq!(events, ["comment", "overdue", "status"], "{list}");
    assert_eq!(list["unread"], 3);
    for n in list["notices"].as_array().unwrap() {
        assert_eq!(n["record_id"], id(&released));
        assert_eq!(n["title"], "Open the Kirkuk crossing");
    }
    let text = list.to_string();
    assert!(!text.contains("Move the reserve brigade") && !text.contains(id(&secret)));
    let status = &list["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["event"] == "status")
        .unwrap()["message"];
    assert_eq!(
        status,
        "mopa-admin changed the status of Open the Kirkuk crossing to In progress"
    );

    // Whoever made the change gets no notice of it.
    let mopa = app.bearer("mopa").await;
    let own = json_of(
        send(&app, &mopa, Method::GET, "/api/v1/notices", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["notices"], json!([]));

    // One read; then all.
    let first = list["notices"][0]["id"].as_str().unwrap().to_owned();
    let r = send(
        &app,
        &army,
        Method::POST,
        &format!("/api/v1/notices/{first}/read"),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let unread = json_of(
        send(
            &app,
            &army,
            Method::GET,
            "/api/v1/notices?unread=true",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unread["unread"], 2);
    assert_eq!(unread["notices"].as_array().unwrap().len(), 2);

    // The commitment is withdrawn from the army: its notices are neither shown, counted
    // nor markable, as if they did not exist.
    let mut current = app
        .get_json(&format!("/api/v1/commitments/{}", id(&released)))
        .await;
    current["release_groups"] = json!([]);
    current["releasable_to"] = json!(["cjtf-oir"]);
    let r = app
        .put(&format!("/api/v1/commitments/{}", id(&released)), &current)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let after = json_of(
        send(&app, &army, Method::GET, "/api/v1/notices", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after, json!({"unread": 0, "notices": []}));
    let r = send(
        &app,
        &army,
        Method::POST,
        &format!("/api/v1/notices/{first}/read"),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn notices_are_said_in_the_language_the_follower_chose() {
    let app = spawn_app().await;
    let (_, released, _) = work(&app).await;
    let army = app.bearer("iraqi-army").await;
    let r = send(
        &app,
        &army,
        Method::PUT,
        "/api/v1/account/notifications",
        Some(json!({"email": "liaison@army.example.org", "language": "ar", "immediate": true, "digest": false})),
    )
    .await;
    let settings = json_of(r, StatusCode::OK).await;
    assert_eq!(settings["language"], "ar");
    json_of(
        send(
            &app,
            &army,
            Method::POST,
            "/api/v1/follows",
            Some(json!({"target": "commitment", "record_id": id(&released)})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    app.set_status(&released, "done", None).await;
    let list = json_of(
        send(&app, &army, Method::GET, "/api/v1/notices", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["notices"].as_array().map(Vec::len), Some(1), "{list}");
    let message = list["notices"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("غيّر"), "{message}");
    assert!(message.contains("منجز"), "{message}");
    assert!(message.contains("Open the Kirkuk crossing"), "{message}");

    // Bad settings are refused naming the field.
    for (body, field) in [
        (
            json!({"email": "not-an-address", "language": "en", "immediate": false, "digest": false}),
            "email",
        ),
        (
            json!({"email": null, "language": "en", "immediate": true, "digest": false}),
            "email",
        ),
        (
            json!({"email": "a@b.org", "language": "fr", "immediate": false, "digest": true}),
            "language",
        ),
    ] {
        let r = send(
            &app,
            &army,
            Method::PUT,
            "/api/v1/account/notifications",
            Some(body),
        )
        .await;
        let (status, fields, _) = crate::helpers::error_fields(r).await;
        assert_eq!(
            (status, fields),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_owned()])
        );
    }
}

#[tokio::test]
async fn the_web_follows_a_record_counts_unread_notices_in_the_header_and_marks_them_read() {
    let app = spawn_app().await;
    let (_, released, secret) = work(&app).await;
    let (cookie, csrf) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = |path: String| {
        let client = client.clone();
        let cookie = cookie.clone();
        let url = app.url(&path);
        async move {
            let r = client
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let path = format!("/commitments/{}", id(&released));
    let (_, html) = page(path.clone()).await;
    assert!(html.contains(">Follow</button>"), "a follow button");
    assert!(!html.contains("id=\"unread-count\""), "nothing unread yet");
    let r = client
        .post(app.url("/follows"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("target", "commitment"),
            ("record_id", id(&released)),
            ("back", path.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], path.as_str());
    let (_, html) = page(path.clone()).await;
    assert!(html.contains(">Stop following</button>"), "followed now");

    // A form without this session's CSRF token changes nothing.
    let r = client
        .post(app.url("/follows"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", "forged"),
            ("target", "commitment"),
            ("record_id", id(&released)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // MoPA comments on both; only the followed, released one is told.
    for c in [&released, &secret] {
        comment(&app, c, "Convoy leaves at dawn").await;
    }
    let (_, html) = page("/".into()).await;
    assert!(
        html.contains("id=\"unread-count\">1<"),
        "one unread in the header"
    );
    let (status, html) = page("/notifications".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("mopa-admin commented on Open the Kirkuk crossing"));
    assert!(!html.contains("Move the reserve brigade"));
    let notice = html
        .split("id=\"notice-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = client
        .post(app.url(&format!("/notifications/{notice}/read")))
        .header("cookie", &cookie)
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page("/".into()).await;
    assert!(!html.contains("id=\"unread-count\""), "read now");

    // The settings page offers an Arabic reader who never set them Arabic notices.
    let html = client
        .get(app.url("/account/notifications"))
        .header("cookie", format!("{cookie}; hawkari_lang=ar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"ar\" lang=\"ar\" selected"), "{html}");

    // The settings page: a bad address is named at its field, in Arabic for an Arabic
    // reader, and what was typed is kept.
    let r = client
        .post(app.url("/account/notifications"))
        .header("cookie", format!("{cookie}; hawkari_lang=ar"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "liaison-at-army"),
            ("language", "ar"),
            ("digest", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("عنوان البريد الإلكتروني: ليس عنوان بريد إلكتروني"),
        "{html}"
    );
    assert!(html.contains("value=\"liaison-at-army\""));
    let r = client
        .post(app.url("/account/notifications"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "liaison@army.example.org"),
            ("language", "ar"),
            ("digest", "1"),
            ("owed_to", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page("/account/notifications".into()).await;
    assert!(html.contains("value=\"liaison@army.example.org\""));
    assert!(html.contains("id=\"owed_to\" name=\"owed_to\" value=\"1\" checked"));
    assert!(html.contains("id=\"digest\" name=\"digest\" value=\"1\" checked"));
    assert!(!html.contains("id=\"immediate\" name=\"immediate\" value=\"1\" checked"));
}

/// A programme's milestones falling due reach those who follow the programme, named with
/// their programme, once each; one done, or not due yet, makes none; and a programme not
/// released to the follower cannot be followed.
#[tokio::test]
async fn a_followed_programmes_overdue_milestone_is_a_notice_once() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let p = app
        .create(
            "/api/v1/programmes",
            json!({
                "kind": "reform", "names": {"en": "Reform plan"}, "lead_org_id": "mopa",
                "milestones": [
                    {"key": "unified", "title": "Forces unified", "due": "2024-06"},
                    {"key": "later", "title": "Brigades merged", "due": "2099"}
                ],
                "owner_org_id": "mopa", "release_groups": ["all_partners"]
            }),
        )
        .await;
    let hidden = app
        .create(
            "/api/v1/programmes",
            json!({
                "kind": "reform", "names": {"en": "Kestrel plan"}, "lead_org_id": "mopa",
                "milestones": [{"key": "k", "title": "Kestrel step", "due": "2024-01"}],
                "owner_org_id": "mopa", "releasable_to": ["cjtf-oir"], "release_groups": []
            }),
        )
        .await;
    let army = app.bearer("iraqi-army").await;
    json_of(
        send(
            &app,
            &army,
            Method::POST,
            "/api/v1/follows",
            Some(json!({"target": "programme", "record_id": id(&p)})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let r = send(
        &app,
        &army,
        Method::POST,
        "/api/v1/follows",
        Some(json!({"target": "programme", "record_id": id(&hidden)})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let made = app.app.scan_due(true).await.unwrap();
    assert_eq!(made.len(), 1, "only the overdue milestone");
    assert_eq!(made[0].notice.record_id, id(&p));
    assert!(app.app.scan_due(true).await.unwrap().is_empty(), "once");
    let list = json_of(
        send(&app, &army, Method::GET, "/api/v1/notices", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["notices"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["notices"][0]["event"], "overdue");
    assert_eq!(
        list["notices"][0]["message"],
        "Overdue since 30 June 2024: Reform plan: Forces unified"
    );
    assert!(!list.to_string().contains("Kestrel"));
}
