//! A site commander in the web: finds a site of an operation by name, in any script, and
//! reports its status from the site's own page; only those who may report see the form.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_site_is_found_by_name_and_its_status_reported_from_its_page() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let op = app
        .create("/api/v1/operations", json!({
            "names": {"en": "Election security"}, "start": "2025-11", "end": "2025-11",
            "sites": [
                {"key": "tuz-1", "names": {"en": "Tuz Khurmatu polling centre 1", "ar": "مركز اقتراع طوزخورماتو ١"}, "kind": "polling_centre",
                 "point": {"lat": 34.886, "lon": 44.633}, "lead_org_id": "iraqi-army"},
                {"key": "kirkuk-1", "names": {"en": "Kirkuk polling centre 1"}, "kind": "polling_centre",
                 "point": {"lat": 35.468, "lon": 44.392}}
            ],
            "owner_org_id": "iraqi-army", "releasable_to": ["mopa"], "release_groups": []}))
        .await;
    let id = op["id"].as_str().unwrap();
    let (cookie, csrf) = app.web_session("mopa-site", "mopa", Role::Editor).await;
    // Found by its Arabic name, and by Latin word prefixes.
    for words in ["طوزخورماتو", "tuz khur"] {
        let q: String = form_urlencoded::byte_serialize(words.as_bytes()).collect();
        let (status, html) = page(&app, &cookie, &format!("/operations/{id}?find={q}")).await;
        assert_eq!(status, StatusCode::OK);
        let found = html
            .split("<ul class=\"sites found\">")
            .nth(1)
            .unwrap()
            .split("</ul>")
            .next()
            .unwrap();
        assert!(
            found.contains(&format!("/operations/{id}/sites/tuz-1")),
            "{words}: {found}"
        );
        assert!(!found.contains("kirkuk-1"), "{words}");
    }
    let site = format!("/operations/{id}/sites/tuz-1");
    let (status, html) = page(&app, &cookie, &site).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("name=\"status\""),
        "a partner's editor may report"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(app.url(&format!("{site}/reports")))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("status", "incident"),
            ("note", "Shots fired near the entrance"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &cookie, &site).await;
    assert!(html.contains("Shots fired near the entrance") && html.contains("mopa-site"));
    let stored = app.get_json(&format!("/api/v1/operations/{id}")).await;
    assert_eq!(stored["sites"][0]["reports"][0]["status"], "incident");
    // A viewer reads the page without the form; an unknown site is not found.
    let (viewer, _) = app.web_session("mopa-viewer", "mopa", Role::Viewer).await;
    let (_, html) = page(&app, &viewer, &site).await;
    assert!(!html.contains("name=\"status\""));
    let (status, _) = page(&app, &viewer, &format!("/operations/{id}/sites/nowhere")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
