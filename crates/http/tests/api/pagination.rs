//! Cursor pagination: every record exactly once, in a stable order, even when many share
//! a date and records are added while a client pages.

use std::collections::HashSet;

use serde_json::json;

use crate::helpers::{apps_for_each_plan, ids};

#[tokio::test]
async fn paging_through_engagements_returns_each_exactly_once_in_order() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        // Many on one day (ties broken by id), some on others.
        for i in 0..17 {
            app.create_engagement(&format!("Same day {i}"), "2022-07-03")
                .await;
        }
        for day in ["2021-01-01", "2023-05", "2024"] {
            app.create_engagement(&format!("Other {day}"), day).await;
        }
        let everything = ids(&app.get_json("/api/v1/engagements?limit=500").await);
        assert_eq!(everything.len(), 20);

        let mut seen = Vec::new();
        let mut url = "/api/v1/engagements?limit=3".to_owned();
        let mut pages = 0;
        loop {
            let page = app.get_json(&url).await;
            pages += 1;
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(c) => url = format!("/api/v1/engagements?limit=3&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(pages, 7);
        assert_eq!(seen, everything, "same order, no gaps, no duplicates");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 20);
    }
}

#[tokio::test]
async fn a_record_added_while_paging_does_not_shift_later_pages() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        for i in 0..6 {
            app.create_engagement(&format!("E{i}"), &format!("2022-07-0{}", i + 1))
                .await;
        }
        let first = app.get_json("/api/v1/engagements?limit=3").await;
        // Between page reads a newer engagement arrives (it sorts before the cursor) and
        // an older one (it sorts after, so the next page shows it).
        app.create_engagement("Newest", "2025-01-01").await;
        let older = app.create_engagement("Oldest", "2020-01-01").await;
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app
            .get_json(&format!("/api/v1/engagements?limit=10&cursor={cursor}"))
            .await;
        let mut all = ids(&first);
        all.extend(ids(&second));
        assert_eq!(
            all.len(),
            7,
            "the six, then the older arrival; the newer one is before the cursor"
        );
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), 7);
        assert_eq!(
            ids(&second).last().map(String::as_str),
            older["id"].as_str()
        );
        assert!(second["next_cursor"].is_null());
    }
}

#[tokio::test]
async fn filtered_lists_page_too() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        for i in 0..7 {
            app.create_engagement(&format!("E{i}"), "2022-07-03").await;
        }
        app.create(
            "/api/v1/engagements",
            json!({"kind": "call", "title": "Other", "when": "2022-07-03",
            "participants": [{"person_id": "yarallah", "role": "lead"}], "owner_org_id": "iraqi-army"}),
        )
        .await;
        let mut seen = Vec::new();
        let mut url = "/api/v1/engagements?person_id=sirwan-barzani&limit=2".to_owned();
        loop {
            let page = app.get_json(&url).await;
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(c) => {
                    url = format!("/api/v1/engagements?person_id=sirwan-barzani&limit=2&cursor={c}")
                }
                None => break,
            }
        }
        assert_eq!(seen.len(), 7);
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7);
    }
}
