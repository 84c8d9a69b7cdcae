//! The lists people work from in the web — incidents, people, organisations,
//! engagements: each filtered, in the order asked for, counted and paged; and what each
//! shows downloaded whole (CSV with an HXL row, and GeoJSON for incidents) with exactly
//! the rows of the list, in its order. Over the demo dataset, read by the Iraqi Army,
//! with a record of each kind that only the Ministry of Peshmerga Affairs may read: it is
//! in no list, count or export of the army's.

use hawkari_app::Principal;
use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, ids, spawn_app};

/// The records only MoPA may read, by kind.
const QUIET_INCIDENT_NARRATIVE: &str = "Quiet convoy struck near Kirkuk";
const QUIET_PERSON: &str = "quiet-officer";
const QUIET_ORG: &str = "quiet-liaison-cell";
const QUIET_ENGAGEMENT_TITLE: &str = "Quiet liaison meeting";

/// The demo dataset, a person who held a "Chief of Staff" post before, and one record
/// of each kind that only MoPA may read. Returns the MoPA-only incident's and
/// engagement's ids.
async fn demo(app: &TestApp) -> (String, String) {
    let system = Principal::system("test");
    let demo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/dataset.json"
    ))
    .unwrap();
    app.app
        .import_dataset(&system, std::io::Cursor::new(demo), |_| {})
        .await
        .unwrap();
    app.create_as_cli::<hawkari_core::person::Person>(
        "former-chief",
        json!({"names": {"en": "Fuad Former"}, "rank": "Lt. Gen.",
               "positions": [{"title": "Chief of Staff of the Peshmerga", "organisation_id": "mopa", "from": "2015", "to": "2019"}],
               "owner_org_id": "mopa", "release_groups": ["all_partners"]}),
    )
    .await;
    app.create_as_cli::<hawkari_core::person::Person>(
        QUIET_PERSON,
        json!({"names": {"en": "Quiet Officer"}, "rank": "Brig. Gen.",
               "positions": [{"title": "Deputy Chief of Staff", "organisation_id": "sector-6"}],
               "owner_org_id": "mopa"}),
    )
    .await;
    app.create_as_cli::<hawkari_core::organisation::Organisation>(
        QUIET_ORG,
        json!({"names": {"en": "Quiet Liaison Cell"}, "kind": "regional", "parent_id": "mopa",
               "owner_org_id": "mopa"}),
    )
    .await;
    let (lon, lat) = app.gazetteer_point("IQG13").await;
    let incident = app
        .create(
            "/api/v1/incidents",
            json!({"when": "2025-11-20", "point": {"lat": lat, "lon": lon}, "type": "ied",
                   "actors": [{"name": "ISIS"}],
                   "casualties": [{"party": "security_forces", "killed": {"low": 90, "best": 99, "high": 120}}],
                   "narrative": QUIET_INCIDENT_NARRATIVE, "owner_org_id": "mopa", "release_groups": []}),
        )
        .await;
    let engagement = app
        .create(
            "/api/v1/engagements",
            json!({"kind": "call", "title": QUIET_ENGAGEMENT_TITLE, "when": "2025-08-15",
                   "participants": [{"organisation_id": "mopa", "role": "lead"}],
                   "owner_org_id": "mopa", "release_groups": []}),
        )
        .await;
    (
        incident["id"].as_str().unwrap().to_owned(),
        engagement["id"].as_str().unwrap().to_owned(),
    )
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A download: its status, content type and body.
async fn download(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, r.text().await.unwrap())
}

/// The part of `html` from `start` to the next `end` after it.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The ids a list links to: the `href="{prefix}{id}"` inside its element.
fn linked(html: &str, list: &str, end: &str, prefix: &str) -> Vec<String> {
    section(html, list, end)
        .split(&format!("href=\"{prefix}"))
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

/// The page's count line.
fn count(html: &str) -> String {
    section(html, "id=\"list-count\">", "</p>")
        .trim_start_matches("id=\"list-count\">")
        .to_owned()
}

/// The link to the next page, if there is one.
fn next(html: &str) -> Option<String> {
    let before = html.split("rel=\"next\"").next()?;
    if before.len() == html.len() {
        return None;
    }
    Some(
        before
            .rsplit("href=\"")
            .next()
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// What a list shows over all its pages, following the next links; with the first
/// page's count line and how many pages there were.
async fn every_page(
    app: &TestApp,
    cookie: &str,
    path: &str,
    list: (&str, &str, &str),
) -> (Vec<String>, String, usize) {
    let (status, html) = get(app, cookie, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let first_count = count(&html);
    let mut shown = linked(&html, list.0, list.1, list.2);
    let mut pages = 1;
    let mut link = next(&html);
    while let Some(n) = link {
        let (status, html) = get(app, cookie, &n).await;
        assert_eq!(status, StatusCode::OK, "{n}");
        shown.extend(linked(&html, list.0, list.1, list.2));
        pages += 1;
        link = next(&html);
    }
    (shown, first_count, pages)
}

/// The ids (first column) of a CSV export, after checking its header and HXL rows.
fn csv_ids(csv: &str, header: &str, hxl: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 2, "{csv}");
    assert!(
        rows[0]
            .iter()
            .collect::<Vec<_>>()
            .join(",")
            .starts_with(header),
        "{csv}"
    );
    assert!(
        rows[1]
            .iter()
            .collect::<Vec<_>>()
            .join(",")
            .starts_with(hxl),
        "{csv}"
    );
    assert!(
        rows[1].iter().all(|tag| tag.starts_with('#')),
        "every column has its hashtag: {:?}",
        &rows[1]
    );
    rows[2..].iter().map(|r| r[0].to_owned()).collect()
}

/// The API's list of `path` as the army reads it, every page.
async fn api_ids(app: &TestApp, path: &str) -> Vec<String> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{sep}limit=500");
    let mut all = Vec::new();
    loop {
        let r = app.get_as_army(&url).await;
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        let body: Value = r.json().await.unwrap();
        all.extend(ids(&body));
        match body["next_cursor"].as_str() {
            Some(c) => url = format!("{path}{sep}limit=500&cursor={c}"),
            None => return all,
        }
    }
}

const INCIDENTS: (&str, &str, &str) = ("<ol class=\"records incidents\">", "</ol>", "/incidents/");
const PEOPLE: (&str, &str, &str) = ("<ul class=\"people\">", "</ul>", "/people/");
const ORGANISATIONS: (&str, &str, &str) = ("<ul class=\"tree\">", "</ul>", "/organisations/");
const ENGAGEMENTS: (&str, &str, &str) = ("<ol class=\"timeline\">", "</ol>", "/engagements/");

#[tokio::test]
async fn the_incident_list_filters_sorts_counts_pages_and_exports_what_it_shows() {
    let app = spawn_app().await;
    let (quiet, _) = demo(&app).await;
    let (army, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (mopa, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;

    // Unfiltered: the sixty demo incidents, newest first, fifty to a page; not MoPA's own.
    let (all, counted, pages) = every_page(&app, &army, "/incidents", INCIDENTS).await;
    assert_eq!(all.len(), 60);
    assert_eq!(pages, 2);
    assert_eq!(counted, "60 records match · 50 on this page");
    assert!(!all.contains(&quiet));
    assert_eq!(all, api_ids(&app, "/api/v1/incidents").await);
    // MoPA reads it, and counts it.
    let (theirs, counted, _) = every_page(&app, &mopa, "/incidents", INCIDENTS).await;
    assert_eq!(theirs.len(), 61);
    assert_eq!(theirs[0], quiet, "the newest");
    assert_eq!(counted, "61 records match · 50 on this page");

    // Each filter, and the export of each: exactly the rows the list shows, in its order.
    for (query, api) in [
        ("", ""),
        ("type=ied", "type=ied"),
        ("actor=sector-6", "organisation_id=sector-6"),
        ("q=isis", "q=isis"),
        ("from=2025-07&to=2025-08", "from=2025-07&to=2025-08"),
        ("admin=IQG13", "admin=IQG13"),
        (
            "type=ied&admin=IQG13&from=2025",
            "type=ied&admin=IQG13&from=2025",
        ),
    ] {
        let (shown, counted, _) =
            every_page(&app, &army, &format!("/incidents?{query}"), INCIDENTS).await;
        assert_eq!(
            shown,
            api_ids(&app, &format!("/api/v1/incidents?{api}")).await,
            "{query}"
        );
        assert!(
            counted.starts_with(&format!("{} record", shown.len())),
            "{query}: {counted}"
        );
        assert!(!shown.contains(&quiet), "{query}");
        let (status, kind, csv) = download(&app, &army, &format!("/incidents.csv?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/csv"), "{kind}");
        assert_eq!(
            csv_ids(&csv, "id,date,date_end", "#meta+id,#date,#date+end"),
            shown,
            "{query}"
        );
        assert!(!csv.contains(QUIET_INCIDENT_NARRATIVE));
        let (status, kind, geojson) =
            download(&app, &army, &format!("/incidents.geojson?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/geo+json");
        let fc: Value = serde_json::from_str(&geojson).unwrap();
        assert_eq!(fc["type"], "FeatureCollection");
        let features = fc["features"].as_array().unwrap();
        let ids: Vec<String> = features
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, shown, "{query}");
        assert!(features.iter().all(|f| f["geometry"]["type"] == "Point"
            && f["geometry"]["coordinates"].as_array().unwrap().len() == 2));
    }
    let (ied, _, _) = every_page(&app, &army, "/incidents?type=ied", INCIDENTS).await;
    assert_eq!(ied.len(), 16);
    let (kirkuk_ieds, _, _) =
        every_page(&app, &army, "/incidents?type=ied&admin=IQG13", INCIDENTS).await;
    assert!(!kirkuk_ieds.is_empty() && kirkuk_ieds.len() < ied.len());

    // Oldest first is newest first backwards; most killed first is by the best estimate.
    let (oldest, _, _) = every_page(&app, &army, "/incidents?sort=oldest", INCIDENTS).await;
    assert_eq!(oldest, all.iter().rev().cloned().collect::<Vec<_>>());
    let (by_killed, _, _) = every_page(&app, &army, "/incidents?sort=killed", INCIDENTS).await;
    let mut records = std::collections::HashMap::new();
    for id in &by_killed {
        let r: Value = app
            .get_as_army(&format!("/api/v1/incidents/{id}"))
            .await
            .json()
            .await
            .unwrap();
        let killed: u64 = r["casualties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["killed"]["best"].as_u64().unwrap())
            .sum();
        records.insert(id.clone(), (killed, r["when"].to_string()));
    }
    let killed: Vec<u64> = by_killed.iter().map(|id| records[id].0).collect();
    assert!(killed.windows(2).all(|w| w[0] >= w[1]), "{killed:?}");
    assert_eq!(killed[0], 3);
    let mut sorted = by_killed.clone();
    sorted.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(sorted, expected, "the same incidents, in another order");
    let (status, kind, csv) = download(&app, &army, "/incidents.csv?sort=killed").await;
    assert_eq!(
        (status, kind.starts_with("text/csv")),
        (StatusCode::OK, true)
    );
    assert_eq!(
        csv_ids(&csv, "id", "#meta+id"),
        by_killed,
        "the export keeps the order"
    );
    // MoPA's 99 killed come first for MoPA.
    let (theirs, _, _) = every_page(&app, &mopa, "/incidents?sort=killed", INCIDENTS).await;
    assert_eq!(theirs[0], quiet);

    // The filters are kept in the next page's link and in the export links.
    let (_, html) = get(&app, &army, "/incidents?type=ied&sort=killed").await;
    assert!(
        html.contains("href=\"/incidents.csv?type=ied&#38;sort=killed\""),
        "{html}"
    );
    assert!(html.contains("href=\"/incidents.geojson?type=ied&#38;sort=killed\""));

    // Values that are not choices are said, and nothing is downloaded for them.
    for bad in [
        "type=bomb",
        "sort=random",
        "admin=XX99",
        "from=yesterday",
        "actor=%20NOT%20AN%20ID",
    ] {
        let (status, html) = get(&app, &army, &format!("/incidents?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(html.contains("role=\"alert\""), "{bad}");
        let (status, _, _) = download(&app, &army, &format!("/incidents.csv?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // The map leads to the list with its window and filters.
    let (_, map) = get(&app, &army, "/map?to=2025-10-31&days=90&type=ied").await;
    assert!(
        map.contains("href=\"/incidents?from=2025-08-02&#38;to=2025-10-31&#38;type=ied\""),
        "{map}"
    );
    // Exports are audited with the rows they wrote.
    let audit = app.app.store().audit_entries(0, 10_000).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.event.action == "export" && e.event.detail["what"] == "incidents.geojson")
    );
}

#[tokio::test]
async fn people_are_found_by_name_rank_or_position_held_filtered_by_organisation_sorted_paged_and_exported()
 {
    let app = spawn_app().await;
    demo(&app).await;
    let (army, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (mopa, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;

    // "Chief of Staff": the demo's Army Chief of Staff, and the one who held the post
    // before; MoPA's own deputy only for MoPA.
    let (found, counted, _) = every_page(&app, &army, "/people?q=Chief+of+Staff", PEOPLE).await;
    assert_eq!(found, ["abdul-amir-yarallah", "former-chief"]);
    assert_eq!(counted, "2 records match · 2 on this page");
    let (_, html) = get(&app, &army, "/people?q=Chief+of+Staff").await;
    assert!(html.contains("Army Chief of Staff, Iraqi Army"), "{html}");
    assert!(
        html.contains("formerly Chief of Staff of the Peshmerga"),
        "{html}"
    );
    let (theirs, _, _) = every_page(&app, &mopa, "/people?q=chief+of+staff", PEOPLE).await;
    assert_eq!(
        theirs,
        ["abdul-amir-yarallah", "former-chief", QUIET_PERSON]
    );
    // The API's list finds them the same way.
    assert_eq!(
        api_ids(&app, "/api/v1/people?q=chief%20of%20staff").await,
        ["abdul-amir-yarallah", "former-chief"]
    );
    // By rank, by name in any script, by organisation with those below it.
    for (query, want) in [
        ("q=maj.+gen.", vec!["sirwan-barzani"]),
        (
            "q=prime+minister",
            vec![
                "mohammed-shia-al-sudani",
                "mustafa-al-kadhimi",
                "masrour-barzani",
            ],
        ),
        ("q=يارالله", vec!["abdul-amir-yarallah"]),
        ("organisation=mopa", vec!["former-chief", "sirwan-barzani"]),
        ("organisation=mopa&q=chief", vec!["former-chief"]),
    ] {
        let (mut shown, _, _) = every_page(&app, &army, &format!("/people?{query}"), PEOPLE).await;
        shown.sort();
        let mut want: Vec<String> = want.into_iter().map(str::to_owned).collect();
        want.sort();
        assert_eq!(shown, want, "{query}");
    }
    // Every person the army may read, by name either way; the count leaves MoPA's out.
    let (by_name, counted, _) = every_page(&app, &army, "/people", PEOPLE).await;
    assert_eq!(by_name, api_ids(&app, "/api/v1/people").await);
    assert_eq!(by_name.len(), 15);
    assert_eq!(counted, "15 records match · 15 on this page");
    assert!(!by_name.contains(&QUIET_PERSON.to_owned()));
    let (reversed, _, _) = every_page(&app, &army, "/people?sort=name_desc", PEOPLE).await;
    assert_eq!(reversed, by_name.iter().rev().cloned().collect::<Vec<_>>());
    let (_, counted, _) = every_page(&app, &mopa, "/people", PEOPLE).await;
    assert_eq!(counted, "16 records match · 16 on this page");

    // Paged fifty at a time, and exported whole in the list's order.
    for n in 0..40 {
        app.create_as_cli::<hawkari_core::person::Person>(
            &format!("staff-officer-{n:02}"),
            json!({"names": {"en": format!("Staff Officer {n:02}")},
                   "positions": [{"title": "Staff officer", "organisation_id": "sector-6"}],
                   "owner_org_id": "mopa", "release_groups": ["all_partners"]}),
        )
        .await;
    }
    for query in [
        "",
        "sort=name_desc",
        "q=staff",
        "organisation=mopa&sort=name_desc",
    ] {
        let (shown, counted, pages) =
            every_page(&app, &army, &format!("/people?{query}"), PEOPLE).await;
        let (status, _, csv) = download(&app, &army, &format!("/people.csv?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            csv_ids(
                &csv,
                "id,name_en,name_ar,name_ckb,aliases,rank,position",
                "#meta+id,#contact+name+i_en"
            ),
            shown,
            "{query}"
        );
        assert!(!csv.contains("Quiet Officer"));
        assert!(counted.starts_with(&format!("{} records match", shown.len())));
        assert_eq!(pages, shown.len().div_ceil(50), "{query}");
    }
    let (shown, _, pages) = every_page(&app, &army, "/people?q=staff", PEOPLE).await;
    assert_eq!(
        (shown.len(), pages),
        (42, 1),
        "40 staff officers and two chiefs of staff"
    );
    let (shown, _, pages) = every_page(&app, &army, "/people", PEOPLE).await;
    assert_eq!((shown.len(), pages), (55, 2));
    // The export names the current post and every post held.
    let (_, _, csv) = download(&app, &army, "/people.csv?q=former").await;
    assert!(
        csv.contains("Chief of Staff of the Peshmerga @ mopa (2015–2019)"),
        "{csv}"
    );
    let (status, _) = get(&app, &army, "/people?sort=age").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn organisations_filter_by_kind_and_words_sort_page_and_export() {
    let app = spawn_app().await;
    demo(&app).await;
    let (army, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;

    // The tree, counted: every organisation the army reads, not MoPA's own cell nor the
    // party forces released to the coalition alone.
    let (tree, counted, _) = every_page(&app, &army, "/organisations", ORGANISATIONS).await;
    let mut listed = tree.clone();
    listed.sort();
    let mut api = api_ids(&app, "/api/v1/organisations").await;
    api.sort();
    assert_eq!(listed, api);
    assert_eq!(
        counted,
        format!("{} records match · {} on this page", tree.len(), tree.len())
    );
    for hidden in [QUIET_ORG, "unit-80", "unit-70"] {
        assert!(!tree.contains(&hidden.to_owned()), "{hidden}");
    }
    for (query, api) in [
        ("kind=federal", "kind=federal"),
        ("q=peshmerga", "q=peshmerga"),
        ("q=ministry&kind=regional", "q=ministry&kind=regional"),
        ("sort=name", ""),
    ] {
        let (shown, _, _) = every_page(
            &app,
            &army,
            &format!("/organisations?{query}"),
            ORGANISATIONS,
        )
        .await;
        assert_eq!(
            shown,
            api_ids(&app, &format!("/api/v1/organisations?{api}")).await,
            "{query}"
        );
        let (status, _, csv) = download(&app, &army, &format!("/organisations.csv?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            csv_ids(
                &csv,
                "id,name_en,name_ar,name_ckb",
                "#meta+id,#org+name+i_en"
            ),
            shown,
            "{query}"
        );
        assert!(!csv.contains("Quiet Liaison Cell"));
    }
    let (federal, _, _) =
        every_page(&app, &army, "/organisations?kind=federal", ORGANISATIONS).await;
    assert!(federal.contains(&"iraqi-army".to_owned()));
    let (_, html) = get(&app, &army, "/organisations?kind=federal").await;
    assert!(html.contains("part of GoI"), "{html}");
    let (by_name, _, _) = every_page(&app, &army, "/organisations?sort=name", ORGANISATIONS).await;
    let (reversed, _, _) =
        every_page(&app, &army, "/organisations?sort=name_desc", ORGANISATIONS).await;
    assert_eq!(reversed, by_name.iter().rev().cloned().collect::<Vec<_>>());
    // Fifty to a page once filtered.
    for n in 0..45 {
        app.create_as_cli::<hawkari_core::organisation::Organisation>(
            &format!("brigade-{n:02}"),
            json!({"names": {"en": format!("Brigade {n:02}")}, "kind": "federal", "parent_id": "iraqi-army",
                   "owner_org_id": "iraqi-army", "release_groups": ["all_partners"]}),
        )
        .await;
    }
    let (shown, counted, pages) =
        every_page(&app, &army, "/organisations?kind=federal", ORGANISATIONS).await;
    let n = federal.len() + 45;
    assert_eq!((shown.len(), pages), (n, 2));
    assert_eq!(counted, format!("{n} records match · 50 on this page"));
    let (_, _, csv) = download(&app, &army, "/organisations.csv?kind=federal").await;
    assert_eq!(csv_ids(&csv, "id", "#meta+id"), shown);
    let (status, _) = get(&app, &army, "/organisations?kind=militia").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn engagements_sort_either_way_and_export_what_the_filters_show() {
    let app = spawn_app().await;
    let (_, quiet) = demo(&app).await;
    let (army, _) = app.web_session("army-lo", "iraqi-army", Role::Editor).await;
    let (newest, counted, _) = every_page(&app, &army, "/engagements", ENGAGEMENTS).await;
    assert_eq!(newest, api_ids(&app, "/api/v1/engagements").await);
    assert_eq!(
        counted,
        format!(
            "{} records match · {} on this page",
            newest.len(),
            newest.len()
        )
    );
    assert!(!newest.contains(&quiet));
    assert!(!newest.contains(&"eng-2025-08-kle-advisor-peshmerga-general".to_owned()));
    let (oldest, _, _) = every_page(&app, &army, "/engagements?sort=oldest", ENGAGEMENTS).await;
    assert_eq!(oldest, newest.iter().rev().cloned().collect::<Vec<_>>());
    for query in [
        "sort=oldest",
        "organisation=mopa&sort=oldest",
        "kind=call",
        "q=barzani&sort=newest",
    ] {
        let (shown, _, _) =
            every_page(&app, &army, &format!("/engagements?{query}"), ENGAGEMENTS).await;
        let (_, html) = get(&app, &army, &format!("/engagements?{query}")).await;
        assert!(
            html.contains(&format!("/engagements.csv?{}", query.replace('&', "&#38;"))),
            "the export keeps the filters: {query}"
        );
        let (status, _, csv) = download(&app, &army, &format!("/engagements.csv?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            csv_ids(&csv, "id,start,end", "#meta+id,#date+start"),
            shown,
            "{query}"
        );
        assert!(!csv.contains(QUIET_ENGAGEMENT_TITLE));
    }
    let (status, _) = get(&app, &army, "/engagements?sort=sideways").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Fifty to a page, either way, and exported whole.
    for n in 0..45 {
        app.create(
            "/api/v1/engagements",
            json!({"kind": "call", "title": format!("Weekly liaison call {n:02}"), "when": format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                   "participants": [{"organisation_id": "iraqi-army", "role": "lead"}], "owner_org_id": "iraqi-army"}),
        )
        .await;
    }
    for query in ["", "sort=oldest", "kind=call&sort=oldest"] {
        let (shown, counted, pages) =
            every_page(&app, &army, &format!("/engagements?{query}"), ENGAGEMENTS).await;
        assert_eq!(pages, shown.len().div_ceil(50), "{query}");
        assert!(query.starts_with("kind") || pages == 2, "{query}");
        assert_eq!(
            counted,
            format!(
                "{} records match · {} on this page",
                shown.len(),
                shown.len().min(50)
            )
        );
        let (_, _, csv) = download(&app, &army, &format!("/engagements.csv?{query}")).await;
        assert_eq!(csv_ids(&csv, "id", "#meta+id"), shown, "{query}");
    }
}

/// A database written before people were found by their positions is indexed again when
/// it is next migrated: the refresh the migration asked for runs once, from the records.
#[tokio::test]
async fn people_stored_before_positions_were_searchable_are_found_after_migrating() {
    let app = spawn_app().await;
    app.seed_registry().await;
    // As an older Hawkari left it: the search document holds the names alone.
    let sql = match &app.db {
        crate::helpers::TestDb::Sqlite(_) => {
            "UPDATE people_fts SET doc = 'abdul amir yarallah' WHERE rowid = (SELECT rowid FROM people WHERE id = 'yarallah'); \
             INSERT INTO derived_refresh (kind) VALUES ('person');"
        }
        crate::helpers::TestDb::Postgres { .. } => {
            "UPDATE people SET doc = 'abdul amir yarallah' WHERE id = 'yarallah'; \
             INSERT INTO derived_refresh (kind) VALUES ('person');"
        }
    };
    app.db.execute_raw(sql).await.unwrap();
    let search = || async { ids(&app.get_json("/api/v1/people?q=chief%20of%20staff").await) };
    assert!(search().await.is_empty());
    app.app.store().migrate().await.unwrap();
    assert_eq!(search().await, ["yarallah"]);
    // Done once: a second migration has nothing to refresh.
    app.app.store().migrate().await.unwrap();
    assert_eq!(search().await, ["yarallah"]);
}

/// Incidents stored before they could be ordered by people killed get their key from the
/// migration's own statement, in SQL, the same as the one each write gives them.
#[tokio::test]
async fn incidents_stored_before_the_killed_order_are_keyed_by_the_migration_as_by_a_write() {
    let app = spawn_app().await;
    demo(&app).await;
    let (mopa, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (written, _, _) = every_page(&app, &mopa, "/incidents?sort=killed", INCIDENTS).await;
    let migration = match &app.db {
        crate::helpers::TestDb::Sqlite(_) => {
            include_str!("../../../store/src/sqlite/migrations/0011_list_orders.sql")
        }
        crate::helpers::TestDb::Postgres { .. } => {
            include_str!("../../../store/src/postgres/migrations/0004_list_orders.sql")
        }
    };
    let backfill = migration
        .split(';')
        .find(|s| s.contains("UPDATE incidents SET killed_key"))
        .unwrap();
    app.db
        .execute_raw("UPDATE incidents SET killed_key = NULL")
        .await
        .unwrap();
    app.db.execute_raw(backfill).await.unwrap();
    let (migrated, _, _) = every_page(&app, &mopa, "/incidents?sort=killed", INCIDENTS).await;
    assert_eq!(migrated, written);
    assert_eq!(migrated.len(), 61);
}
