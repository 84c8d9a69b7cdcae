//! Calendar feeds (RFC 5545) and TAK (CoT XML, data packages): what a reader's calendar
//! and TAK client receive, only what is released to them; a revoked feed address answers
//! 404. (The same outputs are parsed by real clients, `icalendar` and `takproto`, in
//! tests/clients/, run by `scripts/test`.)

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// MoPA's records: an engagement released to the coalition with a commitment due, one
/// released to no one with its own commitment, and a programme released to the coalition
/// with a milestone due in a month.
async fn calendar_records(app: &TestApp) -> (String, String) {
    app.seed_registry().await;
    let shared = app
        .create_engagement("Shared review; patrols, Kirkuk", "2025-05-20")
        .await;
    let hidden = app
        .create(
            "/api/v1/engagements",
            json!({
                "kind": "key_leader_engagement", "title": "Kestrel private review",
                "when": "2025-05-22T09:30:00Z", "participants": [{"organisation_id": "sector-6", "role": "lead"}],
                "owner_org_id": "mopa", "releasable_to": [], "release_groups": []
            }),
        )
        .await;
    for (engagement, text) in [
        (&shared, "Share the patrol schedule"),
        (&hidden, "Kestrel task"),
    ] {
        app.create(
            "/api/v1/commitments",
            json!({
                "engagement_id": engagement["id"], "text": text,
                "responsible_org_id": "sector-6", "due": "2025-06-30",
                "owner_org_id": "mopa", "releasable_to": engagement["releasable_to"], "release_groups": []
            }),
        )
        .await;
    }
    app.create(
        "/api/v1/programmes",
        json!({
            "kind": "reform", "names": {"en": "Reform plan"}, "lead_org_id": "mopa",
            "milestones": [{"key": "unified", "title": "Forces unified", "due": "2024-06"}],
            "owner_org_id": "mopa", "releasable_to": ["cjtf-oir"], "release_groups": []
        }),
    )
    .await;
    (
        shared["id"].as_str().unwrap().to_owned(),
        hidden["id"].as_str().unwrap().to_owned(),
    )
}

/// The events of a calendar: each VEVENT's properties (name with parameters → value),
/// after checking every physical line ends in CRLF and is at most 75 octets.
fn events(ics: &str) -> Vec<std::collections::HashMap<String, String>> {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    for line in ics.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = ics.replace("\r\n ", "");
    let mut all = Vec::new();
    let mut current = None;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(std::collections::HashMap::new()),
            "END:VEVENT" => all.push(current.take().unwrap()),
            _ => {
                if let (Some(e), Some((k, v))) = (current.as_mut(), line.split_once(':')) {
                    e.insert(k.to_owned(), v.to_owned());
                }
            }
        }
    }
    all
}

fn by_uid<'a>(
    events: &'a [std::collections::HashMap<String, String>],
    uid: &str,
) -> Option<&'a std::collections::HashMap<String, String>> {
    events.iter().find(|e| e["UID"] == uid)
}

#[tokio::test]
async fn a_users_calendar_holds_what_is_released_to_them_with_honest_dates() {
    let app = spawn_app().await;
    let (shared, hidden) = calendar_records(&app).await;
    let coalition = app
        .user_token("cjtf-viewer", "cjtf-oir", Role::Viewer)
        .await;
    let r = app
        .client
        .get(app.url("/api/v1/calendar.ics"))
        .header("authorization", &coalition)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    assert!(!ics.contains("Kestrel"), "nothing unreleased: {ics}");
    let all = events(&ics);
    assert_eq!(all.len(), 3, "{ics}");
    let e = by_uid(&all, &format!("engagement-{shared}@hawkari")).expect("the engagement");
    assert_eq!(
        e["SUMMARY"], "Shared review\\; patrols\\, Kirkuk",
        "escaped"
    );
    assert_eq!(e["DTSTART;VALUE=DATE"], "20250520", "a day: all-day");
    assert_eq!(e["DTEND;VALUE=DATE"], "20250521");
    assert!(e.contains_key("DTSTAMP"));
    assert!(by_uid(&all, &format!("engagement-{hidden}@hawkari")).is_none());
    let due = all
        .iter()
        .find(|e| e["SUMMARY"] == "Due: Share the patrol schedule")
        .expect("the commitment's due date");
    assert_eq!(due["DTSTART;VALUE=DATE"], "20250630");
    let milestone = all
        .iter()
        .find(|e| e["SUMMARY"].starts_with("Milestone: Forces unified"))
        .expect("the milestone");
    assert_eq!(
        (
            milestone["DTSTART;VALUE=DATE"].as_str(),
            milestone["DTEND;VALUE=DATE"].as_str()
        ),
        ("20240601", "20240701"),
        "a month-precise date is the month"
    );

    // The owner's calendar has the private engagement, at its time.
    let mopa = app.get("/api/v1/calendar.ics").await.text().await.unwrap();
    let mine = events(&mopa);
    let private = by_uid(&mine, &format!("engagement-{hidden}@hawkari")).unwrap();
    assert_eq!(private["DTSTART"], "20250522T093000Z");
    // The same record keeps its UID however often the feed is read.
    let again = app.get("/api/v1/calendar.ics").await.text().await.unwrap();
    let uids = |ics: &str| {
        let mut u: Vec<String> = events(ics).iter().map(|e| e["UID"].clone()).collect();
        u.sort();
        u
    };
    assert_eq!(uids(&mopa), uids(&again));
}

#[tokio::test]
async fn one_engagement_downloads_as_ics_and_an_unreleased_one_answers_404_as_its_json_read() {
    let app = spawn_app().await;
    let (shared, hidden) = calendar_records(&app).await;
    let coalition = app
        .user_token("cjtf-viewer", "cjtf-oir", Role::Viewer)
        .await;
    let get = |path: String| {
        app.client
            .get(app.url(&path))
            .header("authorization", &coalition)
            .send()
    };
    let r = get(format!("/api/v1/engagements/{shared}/calendar.ics"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let one = events(&r.text().await.unwrap());
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["UID"], format!("engagement-{shared}@hawkari"));
    let ics = get(format!("/api/v1/engagements/{hidden}/calendar.ics"))
        .await
        .unwrap();
    let json = get(format!("/api/v1/engagements/{hidden}")).await.unwrap();
    assert_eq!(ics.status(), StatusCode::NOT_FOUND);
    assert_eq!(json.status(), StatusCode::NOT_FOUND);
    let (a, b): (Value, Value) = (ics.json().await.unwrap(), json.json().await.unwrap());
    assert_eq!(a["error"], b["error"]);
}

#[tokio::test]
async fn a_secret_feed_address_serves_the_calendar_until_it_is_revoked() {
    let app = spawn_app().await;
    let (shared, _) = calendar_records(&app).await;
    let (cookie, csrf) = app
        .web_session("cjtf-viewer", "cjtf-oir", Role::Viewer)
        .await;
    let r = app
        .client
        .post(app.url("/api/v1/calendar/feeds"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let feed: Value = r.json().await.unwrap();
    let path = feed["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/calendar/secret/") && path.ends_with(".ics"));

    // No sign-in: the address alone.
    let r = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ics = r.text().await.unwrap();
    assert!(by_uid(&events(&ics), &format!("engagement-{shared}@hawkari")).is_some());
    assert!(!ics.contains("Kestrel"));

    // The secret opens nothing else.
    let secret = path
        .trim_start_matches("/api/v1/calendar/secret/")
        .trim_end_matches(".ics");
    let r = app
        .client
        .get(app.url("/api/v1/engagements"))
        .header("authorization", format!("Bearer {secret}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Listed (without its secret), not among the API tokens, then revoked: 404.
    let list = |p: &'static str| app.client.get(app.url(p)).header("cookie", &cookie).send();
    let feeds: Value = list("/api/v1/calendar/feeds")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feeds.as_array().unwrap().len(), 1);
    assert_eq!(feeds[0]["name"], "phone");
    assert!(feeds[0].get("path").is_none(), "the secret is shown once");
    let tokens: Value = list("/api/v1/tokens").await.unwrap().json().await.unwrap();
    assert_eq!(tokens, json!([]));
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/calendar/feeds/{}",
            feed["id"].as_str().unwrap()
        )))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .client
        .get(app.url("/api/v1/calendar/secret/not-a-feed.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn incident(narrative: &str, kind: &str, releasable_to: Value) -> Value {
    json!({
        "when": "2025-09-14", "point": {"lat": 34.8833, "lon": 44.6333}, "location_precision": "near",
        "type": kind,
        "sources": [{"publisher": "Rudaw English", "title": "Attack", "reliability": "B", "credibility": 2}],
        "narrative": narrative,
        "owner_org_id": "mopa", "releasable_to": releasable_to, "release_groups": []
    })
}

/// An attribute's value in the first element `<tag ` of `xml`.
fn attr<'a>(xml: &'a str, tag: &str, name: &str) -> &'a str {
    let from = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no {tag}"));
    let rest = &xml[from..];
    let rest = &rest[..rest.find('>').unwrap()];
    let at = rest
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {rest}"))
        + name.len()
        + 3;
    &rest[at..at + rest[at..].find('"').unwrap()]
}

#[tokio::test]
async fn incidents_come_as_cot_events_with_their_label_and_only_what_is_released() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let shown = app
        .create(
            "/api/v1/incidents",
            incident(
                "Hit and run <at night>",
                "hit_and_run",
                json!(["iraqi-army"]),
            ),
        )
        .await;
    app.create("/api/v1/incidents", incident("Kestrel", "ied", json!([])))
        .await;
    let r = app
        .get_as_army("/api/v1/incidents.cot?type=hit_and_run")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let xml = r.text().await.unwrap();
    assert!(!xml.contains("Kestrel"), "{xml}");
    assert_eq!(xml.matches("<event ").count(), 1, "{xml}");
    let id = shown["id"].as_str().unwrap();
    assert_eq!(attr(&xml, "event", "uid"), format!("hawkari-incident-{id}"));
    assert_eq!(attr(&xml, "event", "type"), "a-h-G");
    assert_eq!(attr(&xml, "event", "how"), "h-e");
    assert_eq!(attr(&xml, "event", "start"), "2025-09-14T00:00:00.000Z");
    let time = chrono::DateTime::parse_from_rfc3339(attr(&xml, "event", "time")).unwrap();
    let stale = chrono::DateTime::parse_from_rfc3339(attr(&xml, "event", "stale")).unwrap();
    assert_eq!(stale - time, chrono::Duration::hours(24));
    assert_eq!(attr(&xml, "point", "lat"), "34.8833");
    assert_eq!(attr(&xml, "point", "lon"), "44.6333");
    assert_eq!(attr(&xml, "point", "ce"), "2000");
    assert!(
        xml.contains("<remarks>Hit and run &lt;at night&gt;</remarks>"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<Category TagName=\"Releasable To\" Type=\"PERMISSIVE\" URI=\"urn:hawkari:category:releasable-to\"><GenericValue>iraqi-army</GenericValue></Category>"
        ),
        "{xml}"
    );
    assert!(xml.contains("<Classification>CONTROLLED</Classification>"));

    // The data package: a zip with the manifest and the event's file.
    let r = app.get_as_army("/api/v1/tak/package.zip").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let zip = r.bytes().await.unwrap();
    assert_eq!(&zip[..4], b"PK\x03\x04");
    let text = String::from_utf8_lossy(&zip);
    assert!(text.contains("MANIFEST/manifest.xml"));
    assert!(text.contains(&format!(
        "zipEntry=\"hawkari-incident-{id}/hawkari-incident-{id}.cot\""
    )));
    assert!(!text.contains("Kestrel"));
}

#[tokio::test]
async fn the_account_page_makes_lists_and_revokes_feed_addresses() {
    let app = spawn_app().await;
    let (shared, _) = calendar_records(&app).await;
    let (cookie, csrf) = app
        .web_session("cjtf-viewer", "cjtf-oir", Role::Viewer)
        .await;
    let post = |path: String, form: Vec<(&'static str, String)>| {
        app.client
            .post(app.url(&path))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    let r = post(
        "/account/calendar".into(),
        vec![("csrf_token", csrf.clone()), ("name", "phone".into())],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let url = html
        .split("id=\"feed-url\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        url.starts_with(&format!("http://{}/api/v1/calendar/secret/", app.addr)),
        "{url}"
    );
    let ics = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ics.contains(&format!("engagement-{shared}@hawkari")));
    // The engagement's page offers its .ics, which the session downloads.
    let get = |path: String| {
        app.client
            .get(app.url(&path))
            .header("cookie", &cookie)
            .send()
    };
    let html = get(format!("/engagements/{shared}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link = format!("href=\"/api/v1/engagements/{shared}/calendar.ics\"");
    assert!(html.contains(&link), "{html}");
    let one = get(format!("/api/v1/engagements/{shared}/calendar.ics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(events(&one).len(), 1);
    // Listed by name (its address is not shown again), then revoked: 404.
    let page = app
        .client
        .get(app.url("/account/calendar"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<bdi>phone</bdi>") && !page.contains(&url),
        "{page}"
    );
    let id = page
        .split("/account/calendar/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // Empty name: refused, named, in the page's language.
    let r = post(
        "/account/calendar".into(),
        vec![("csrf_token", csrf.clone()), ("name", "  ".into())],
    )
    .await
    .unwrap();
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    // Revoked: back to the page (the client follows the redirect), which says so.
    let r = post(
        format!("/account/calendar/{id}/revoke"),
        vec![("csrf_token", csrf.clone())],
    )
    .await
    .unwrap();
    assert_eq!(r.url().path(), "/account/calendar");
    assert!(r.text().await.unwrap().contains("revoked on"));
    assert_eq!(
        app.client.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
