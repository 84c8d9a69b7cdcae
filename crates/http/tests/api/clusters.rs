//! The map's incident clusters (`GET /api/v1/incident-clusters`): every incident the list
//! finds counted exactly once, at every zoom, for each reader's releases only, and current
//! after every write — checked against the incident list over generated incidents.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, spawn_app};

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const TYPES: [&str; 3] = ["ied", "hit_and_run", "abduction"];
const OWNERS: [&str; 3] = ["mopa", "iraqi-army", "cjtf-oir"];

fn incident(rng: &mut Rng) -> Value {
    // Mostly in a cluster around Kirkuk, some anywhere in Iraq's middle.
    let (lat, lon) = if rng.unit() < 0.6 {
        (35.3 + rng.unit() * 0.4, 44.2 + rng.unit() * 0.5)
    } else {
        (32.5 + rng.unit() * 3.0, 42.5 + rng.unit() * 2.3)
    };
    let owner = *rng.pick(&OWNERS);
    let release = rng.next() % 3;
    let day = 1 + rng.next() % 28;
    let month = 1 + rng.next() % 12;
    let mut body = json!({
        "when": format!("2024-{month:02}-{day:02}"),
        "point": {"lat": lat, "lon": lon},
        "type": rng.pick(&TYPES),
        "narrative": if rng.unit() < 0.3 { "Checkpoint attacked at night." } else { "Patrol struck." },
        "owner_org_id": owner,
        "release_groups": [],
    });
    match release {
        0 => body["release_groups"] = json!(["all_partners"]),
        1 => body["releasable_to"] = json!([rng.pick(&OWNERS)]),
        _ => {}
    }
    body
}

async fn listed(app: &TestApp, bearer: &str, query: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("/api/v1/incident-points?{query}&limit=500");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app
            .client
            .get(app.url(&url))
            .header("authorization", bearer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for f in page["features"].as_array().unwrap() {
            out.insert(f["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

async fn clusters(app: &TestApp, bearer: &str, query: &str, zoom: u8) -> Value {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/incident-clusters?{query}&zoom={zoom}")))
        .header("authorization", bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{query} zoom {zoom}");
    r.json().await.unwrap()
}

/// The clusters agree with the list: the counts sum to `total`, which is how many the
/// list finds; every incident shown alone is one the list finds, and at the deepest zoom
/// (where these incidents never share a cell) each is alone.
async fn agree(app: &TestApp, bearer: &str, who: &str, query: &str) {
    let expected = listed(app, bearer, query).await;
    for zoom in [0, 5, 7, 10, 14, 22] {
        let fc = clusters(app, bearer, query, zoom).await;
        let features = fc["features"].as_array().unwrap();
        let sum: u64 = features
            .iter()
            .map(|f| f["properties"]["count"].as_u64().unwrap())
            .sum();
        assert_eq!(fc["total"], sum, "{who} {query} zoom {zoom}");
        assert_eq!(sum, expected.len() as u64, "{who} {query} zoom {zoom}");
        let singles: BTreeSet<String> = features
            .iter()
            .filter_map(|f| f["properties"]["id"].as_str().map(str::to_owned))
            .collect();
        assert!(singles.is_subset(&expected), "{who} {query} zoom {zoom}");
        if zoom == 22 {
            assert_eq!(singles, expected, "{who} {query}: each alone at zoom 22");
        }
    }
}

#[tokio::test]
async fn clusters_count_exactly_what_the_list_finds_for_each_reader() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..90 {
        app.create("/api/v1/incidents", incident(&mut rng)).await;
    }
    let queries = [
        "from=2024&to=2024",
        "bbox=38.79,29.06,48.57,37.38&from=2024-03&to=2024-09",
        "bbox=44.2,35.3,44.45,35.5",
        "bbox=44.2,35.3,44.7,35.7&type=ied",
        "type=abduction&from=2024-06-15",
        // Answered by the store's point list (words, an actor), binned the same way.
        "q=checkpoint",
        "bbox=42,32,46,36&q=patrol&from=2024-02",
        "organisation_id=iraqi-army",
    ];
    for org in ["mopa", "iraqi-army", "cjtf-oir", "sector-6"] {
        let bearer = app.bearer(org).await;
        for q in queries {
            agree(&app, &bearer, org, q).await;
        }
    }
}

#[tokio::test]
async fn clusters_follow_every_write_and_release_at_once() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let army = app.bearer("iraqi-army").await;
    let mopa = app.bearer("mopa").await;
    let query = "bbox=44,35,45,36";
    let total = |fc: Value| fc["total"].as_u64().unwrap();
    assert_eq!(total(clusters(&app, &mopa, query, 6).await), 0);

    // MoPA's own, released to nobody: MoPA counts it at once, the army never.
    let mut body = json!({
        "when": "2025-05-01", "point": {"lat": 35.45, "lon": 44.39}, "type": "ied",
        "owner_org_id": "mopa", "release_groups": [],
    });
    let created = app.create("/api/v1/incidents", body.clone()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(total(clusters(&app, &mopa, query, 6).await), 1);
    assert_eq!(total(clusters(&app, &army, query, 6).await), 0);
    agree(&app, &army, "army", query).await;

    // Released to the army: counted for the army on the next request.
    body["releasable_to"] = json!(["iraqi-army"]);
    body["version"] = created["version"].clone();
    let r = app.put(&format!("/api/v1/incidents/{id}"), &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let fc = clusters(&app, &army, query, 14).await;
    assert_eq!(total(fc.clone()), 1);
    assert_eq!(fc["features"][0]["properties"]["id"], id.as_str());
    assert_eq!(fc["features"][0]["properties"]["type"], "ied");

    // Moved out of the box: gone from it; deleted: gone everywhere.
    let updated: Value = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    body["point"] = json!({"lat": 33.3, "lon": 44.4});
    body["version"] = updated["version"].clone();
    assert_eq!(
        app.put(&format!("/api/v1/incidents/{id}"), &body)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(total(clusters(&app, &army, query, 6).await), 0);
    assert_eq!(total(clusters(&app, &army, "from=2025", 6).await), 1);
    let version = app.get_json(&format!("/api/v1/incidents/{id}")).await["version"].as_i64();
    let r = app
        .delete(&format!("/api/v1/incidents/{id}"), version)
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(total(clusters(&app, &army, "from=2025", 6).await), 0);
    assert_eq!(total(clusters(&app, &mopa, "from=2025", 6).await), 0);
}

#[tokio::test]
async fn a_bad_zoom_or_filter_is_named() {
    let app = spawn_app().await;
    app.seed_registry().await;
    for (query, field) in [
        ("zoom=23", "zoom"),
        ("zoom=-1", "zoom"),
        ("zoom=x", "zoom"),
        ("", "zoom"),
        ("zoom=5&bbox=1,2,3", "bbox"),
        ("zoom=5&from=2024-13", "from"),
    ] {
        let r = app.get(&format!("/api/v1/incident-clusters?{query}")).await;
        let (status, fields, body) = error_fields(r).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(fields, vec![field.to_owned()], "{query}: {body}");
    }
}

#[tokio::test]
async fn a_dataset_loaded_after_the_index_was_built_is_counted_at_once() {
    let source = spawn_app().await;
    source.seed_registry().await;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..12 {
        source.create("/api/v1/incidents", incident(&mut rng)).await;
    }
    let system = hawkari_app::Principal::system("test");
    let mut exported = Vec::new();
    source
        .app
        .export_dataset(&system, &mut exported, |_| {})
        .await
        .unwrap();

    let target = spawn_app().await;
    target.seed_registry().await;
    let mopa = target.bearer("mopa").await;
    // The index is built now, before the load (a dataset's import names no record).
    let before = clusters(&target, &mopa, "from=2024", 6).await;
    assert_eq!(before["total"], 0);
    target
        .app
        .import_dataset(&system, std::io::Cursor::new(exported), |_| {})
        .await
        .unwrap();
    let after = clusters(&target, &mopa, "from=2024", 6).await;
    assert!(after["total"].as_u64().unwrap() > 0, "{after}");
    agree(&target, &mopa, "mopa", "from=2024").await;
}
