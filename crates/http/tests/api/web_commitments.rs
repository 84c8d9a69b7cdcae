//! Commitments as work in the web: the board filtered by who owes (with the
//! organisations below), who is owed, status, overdue, a due window and words, paged; a
//! page per commitment with its condition and history; what is shown downloaded as CSV
//! with HXL — for the reader's releases only.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

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

/// Commitments of MoPA's engagement: owed by Sector 6 (below MoPA) and by MoPA, one
/// overdue, one with a condition, one not released to the army.
async fn work(app: &TestApp) -> (Value, Value, Value) {
    app.seed_registry().await;
    let e = app.create_engagement("Board meeting", "2025-10-07").await;
    let commitment = |text: &str, by: &str, due: &str, release: Value, condition: Option<&str>| {
        json!({"engagement_id": e["id"], "text": text, "responsible_org_id": by, "counterpart_org_id": "iraqi-army",
               "due": due, "owner_org_id": "mopa", "releasable_to": release, "release_groups": [], "condition": condition})
    };
    let sector = app
        .create(
            "/api/v1/commitments",
            commitment(
                "Sector patrols on the Kirkuk road",
                "sector-6",
                "2025-01-15",
                json!(["iraqi-army"]),
                None,
            ),
        )
        .await;
    let budget = app
        .create(
            "/api/v1/commitments",
            commitment(
                "Pay the joint brigade",
                "mopa",
                "2099-06-30",
                json!(["iraqi-army"]),
                Some("if the Prime Minister allocates a budget"),
            ),
        )
        .await;
    let hidden = app
        .create(
            "/api/v1/commitments",
            commitment("Quiet liaison visit", "mopa", "2099-07-01", json!([]), None),
        )
        .await;
    (sector, budget, hidden)
}

fn shown(html: &str) -> Vec<String> {
    html.split("<li class=\"card commitment")
        .skip(1)
        .filter_map(|card| card.split("href=\"/commitments/").nth(1))
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_board_filters_by_organisation_tree_overdue_due_window_status_and_words() {
    let app = spawn_app().await;
    let (sector, budget, hidden) = work(&app).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    for (query, want) in [
        ("", vec![id(&sector), id(&budget), id(&hidden)]),
        (
            "?responsible=mopa",
            vec![id(&sector), id(&budget), id(&hidden)],
        ),
        ("?responsible=sector-6", vec![id(&sector)]),
        ("?overdue=1", vec![id(&sector)]),
        ("?due_from=2099-01-01&due_to=2099-06-30", vec![id(&budget)]),
        ("?q=brigade", vec![id(&budget)]),
        ("?q=prime+minister", vec![id(&budget)]),
        ("?status=done", vec![]),
        (
            "?counterpart=iraqi-army&status=open",
            vec![id(&sector), id(&budget), id(&hidden)],
        ),
    ] {
        let (status, html) = page(&app, &cookie, &format!("/commitments{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let mut got = shown(&html);
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{query}");
    }
    // The army sees only what is released to it.
    let (army, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (_, html) = page(&app, &army, "/commitments").await;
    assert!(!shown(&html).contains(&id(&hidden)));
    assert!(!html.contains("Quiet liaison"));
    // A date that is not one is said in the reader's language, naming the field.
    let (status, html) = page(
        &app,
        &format!("{cookie}; hawkari_lang=ar"),
        "/commitments?due_from=٢٠٩٩-٠٢-٣١",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("ليس تاريخًا") && html.contains("مستحق من"),
        "{html}"
    );
}

#[tokio::test]
async fn the_board_pages_and_exports_what_it_shows() {
    let app = spawn_app().await;
    let (_, budget, hidden) = work(&app).await;
    let e = budget["engagement_id"].clone();
    for n in 0..52 {
        app.create("/api/v1/commitments", json!({"engagement_id": e, "text": format!("Routine step {n}"),
            "responsible_org_id": "mopa", "due": "2098-01-01", "owner_org_id": "mopa", "releasable_to": ["iraqi-army"], "release_groups": []}))
            .await;
    }
    let (cookie, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (_, first) = page(&app, &cookie, "/commitments?q=routine").await;
    assert_eq!(shown(&first).len(), 50);
    let next = first
        .split("rel=\"next\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let (_, second) = page(&app, &cookie, &next).await;
    assert_eq!(shown(&second).len(), 2);
    // The export: every matching row, not one page; released ones only; HXL under the header.
    let r = app
        .client
        .get(app.url("/commitments.csv"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[1].starts_with("#meta+id,#activity+commitment"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines.len(),
        2 + 52 + 2,
        "header, HXL, 52 routine, sector and budget"
    );
    assert!(!csv.contains(hidden["id"].as_str().unwrap()));
    assert!(csv.contains("if the Prime Minister allocates a budget"));
}

#[tokio::test]
async fn a_commitment_has_its_own_page_with_condition_and_history() {
    let app = spawn_app().await;
    let (_, budget, hidden) = work(&app).await;
    app.set_status(&budget, "in_progress", Some("First tranche requested"))
        .await;
    let (cookie, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (status, html) = page(
        &app,
        &cookie,
        &format!("/commitments/{}", budget["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Pay the joint brigade",
        "if the Prime Minister allocates a budget",
        "First tranche requested",
        "Board meeting",
    ] {
        assert!(html.contains(words), "{words}");
    }
    let (status, _) = page(
        &app,
        &cookie,
        &format!("/commitments/{}", hidden["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The dashboard's overdue counts lead to the board, filtered.
    let (_, dash) = page(&app, &cookie, "/").await;
    assert!(
        dash.contains("/commitments?responsible=sector-6&amp;overdue=1"),
        "{dash}"
    );
}

#[tokio::test]
async fn a_user_saves_a_view_of_the_board_and_only_they_see_it() {
    let app = spawn_app().await;
    work(&app).await;
    let (cookie, csrf) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (other, _) = app
        .web_session("army-two", "iraqi-army", Role::Editor)
        .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(app.url("/views"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Sector overdue"),
            ("path", "/commitments"),
            ("query", "responsible=sector-6&overdue=1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/commitments?responsible=sector-6&overdue=1"
    );
    let (_, html) = page(&app, &cookie, "/commitments").await;
    assert!(
        html.contains("Sector overdue")
            && html.contains("/commitments?responsible=sector-6&#38;overdue=1"),
        "{html}"
    );
    let (_, theirs) = page(&app, &other, "/commitments").await;
    assert!(!theirs.contains("Sector overdue"));
    // A view of another page than a list is refused.
    let r = client
        .post(app.url("/views"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "x"),
            ("path", "https://elsewhere.example/"),
            ("query", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn engagements_filter_by_organisation_person_and_kind_and_export_what_is_shown() {
    let app = spawn_app().await;
    app.seed_registry().await;
    app.create_engagement("Sector six meets the advisers", "2025-10-07")
        .await;
    app.create("/api/v1/engagements", json!({"kind": "call", "title": "Army staff call", "when": "2025-10-08",
        "participants": [{"person_id": "yarallah", "organisation_id": "iraqi-army", "role": "lead"}],
        "owner_org_id": "iraqi-army", "releasable_to": ["mopa"], "release_groups": []})).await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let titles = |html: &str| -> Vec<String> {
        html.split("<li class=\"entry\"><a href=\"/engagements/")
            .skip(1)
            .map(|x| {
                x.split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    for (query, want) in [
        ("?organisation=mopa", vec!["Sector six meets the advisers"]),
        ("?person=yarallah", vec!["Army staff call"]),
        ("?kind=call", vec!["Army staff call"]),
        (
            "?kind=key_leader_engagement&q=advisers",
            vec!["Sector six meets the advisers"],
        ),
    ] {
        let (status, html) = page(&app, &cookie, &format!("/engagements{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(titles(&html), want, "{query}");
    }
    let (status, _) = page(&app, &cookie, "/engagements?kind=party").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let r = app
        .client
        .get(app.url("/engagements.csv?person=yarallah"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[1].starts_with("#meta+id,#date+start"));
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[2].contains("Army staff call") && lines[2].contains("yarallah@iraqi-army"));
}
