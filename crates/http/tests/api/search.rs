//! Text search: Arabic-script names whatever the alef, hamza, teh marbuta or yeh used;
//! Latin names whatever the case or diacritics; engagements found by their participants.

use serde_json::json;

use crate::helpers::{apps_for_each_plan, ids, spawn_app};

fn q(text: &str) -> String {
    url_encode(text)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn arabic_names_are_found_whatever_the_letter_variants() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // Stored as "عبد الأمير يارالله" and "سيروان البارزاني".
    for (query, expected) in [
        ("عبد الامير", "yarallah"), // bare alef for alef with hamza
        ("عبد الإمير", "yarallah"), // hamza below for hamza above
        ("يارالله", "yarallah"),
        ("بارزانى", "sirwan-barzani"), // alef maksura for yeh
        ("بارزانی", "sirwan-barzani"), // Persian/Kurdish yeh
        ("البارزاني", "sirwan-barzani"),
        ("سيروان", "sirwan-barzani"),
    ] {
        let found = ids(&app
            .get_json(&format!("/api/v1/people?q={}", q(query)))
            .await);
        assert_eq!(found, [expected], "query {query}");
    }
}

#[tokio::test]
async fn teh_marbuta_and_heh_find_each_other() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // Stored as "وزارة شؤون البيشمركة".
    assert_eq!(
        ids(&app
            .get_json(&format!(
                "/api/v1/organisations?q={}",
                q("وزاره شئون البيشمركه")
            ))
            .await),
        ["mopa"]
    );
}

#[tokio::test]
async fn latin_names_are_found_whatever_the_case_and_diacritics() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for query in ["BARZANI", "bārzānī", "Barz", "sirwan barzany"] {
        assert_eq!(
            ids(&app
                .get_json(&format!("/api/v1/people?q={}", q(query)))
                .await),
            ["sirwan-barzani"],
            "{query}"
        );
    }
    app.create(
        "/api/v1/people",
        json!({"names": {"en": "Qais al-Muḥammadāwī"}, "owner_org_id": "iraqi-army"}),
    )
    .await;
    let found = app
        .get_json(&format!("/api/v1/people?q={}", q("muhammadawi")))
        .await;
    assert_eq!(found["items"][0]["names"]["en"], "Qais al-Muḥammadāwī");
}

#[tokio::test]
async fn engagements_are_found_by_their_text_or_a_participant_name_in_any_script() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        let e = app
            .create_engagement("Sector 6 commander meets MAG-North", "2022-07-03")
            .await;
        let other = app
            .create("/api/v1/engagements", json!({"kind": "call", "title": "Call on border security", "when": "2025-08",
                "summary": "التنسيق على الحدود مع سوريا", "participants": [{"person_id": "yarallah", "role": "lead"}], "owner_org_id": "iraqi-army"}))
            .await;
        let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements?q=cooperation").await),
            [id(&e)],
            "summary text"
        );
        assert_eq!(
            ids(&app
                .get_json(&format!("/api/v1/engagements?q={}", q("بارزانى")))
                .await),
            [id(&e)],
            "participant's Arabic name, variant spelling"
        );
        assert_eq!(
            ids(&app
                .get_json(&format!("/api/v1/engagements?q={}", q("قاطع")))
                .await),
            [id(&e)],
            "participating organisation's Arabic name"
        );
        assert!(
            ids(&app
                .get_json(&format!("/api/v1/engagements?q={}", q("وزاره")))
                .await)
            .is_empty(),
            "MoPA is above a participant, not one"
        );
        assert_eq!(
            ids(&app
                .get_json(&format!("/api/v1/engagements?q={}", q("سوريا")))
                .await),
            [id(&other)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/engagements?q=mag-north").await),
            [id(&e)]
        );
        assert!(ids(&app.get_json("/api/v1/engagements?q=zzzz").await).is_empty());
    }
}

#[tokio::test]
async fn renaming_a_participant_renames_them_in_engagement_search() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app
        .create_engagement("Sector 6 commander meets MAG-North", "2022-07-03")
        .await;
    let mut person = app.get_json("/api/v1/people/sirwan-barzani").await;
    person["names"]["aliases"] = json!(["Sirwan Barzany", "Kak Sirwan"]);
    assert_eq!(
        app.put("/api/v1/people/sirwan-barzani", &person)
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    assert_eq!(
        ids(&app.get_json("/api/v1/engagements?q=kak%20sirwan").await),
        [e["id"].as_str().unwrap()]
    );
    let mut org = app.get_json("/api/v1/organisations/mag-north").await;
    org["abbreviation"] = json!("MAGN");
    assert_eq!(
        app.put("/api/v1/organisations/mag-north", &org)
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    assert_eq!(
        ids(&app.get_json("/api/v1/engagements?q=magn").await),
        [e["id"].as_str().unwrap()]
    );
}
