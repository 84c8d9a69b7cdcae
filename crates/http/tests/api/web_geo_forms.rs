//! The web's incident and area forms, posted as a browser posts them: records made,
//! edited and deleted; a point outside Iraq and a shape that does not close refused at
//! their fields with what was typed kept; Edit and Delete offered only to those who may;
//! every demo incident and area saved unchanged stays as it was; a version saved
//! meanwhile shown beside the user's; Arabic-Indic digits read.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::web_forms::form_fields;

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

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Posts a form; answers the status, the `Location` (if any) and the page.
async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(String, String)],
) -> (StatusCode, String, String) {
    let r = no_redirects()
        .post(app.url(path))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
}

/// Posts a form as `multipart/form-data`, as a browser does a form with a file input:
/// the fields, then the file `geometry_file` with `file` as its content.
async fn post_multipart(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(String, String)],
    file: &str,
) -> (StatusCode, String, String) {
    let boundary = "----hawkari-test-boundary";
    let mut body = String::new();
    for (k, v) in fields.iter().filter(|(k, _)| k != "geometry_file") {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"geometry_file\"; filename=\"area.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let r = no_redirects()
        .post(app.url(path))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
}

/// Sets a field (every value of it) in posted fields.
fn set(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
}

fn add(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    fields.push((key.into(), value.into()));
}

fn id_after(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("redirected to {location}"))
        .to_owned()
}

#[tokio::test]
async fn an_incident_is_recorded_edited_and_deleted_through_the_web_with_arabic_indic_digits() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, html) = page(&app, &cookie, "/incidents/new").await;
    assert_eq!(status, StatusCode::OK);
    let mut f = form_fields(&html, "/incidents/new");
    // The date and a casualty figure in Arabic-Indic digits, as an Arabic keyboard types.
    set(&mut f, "when", "٢٠٢٥-٠٧-٣٠");
    set(&mut f, "when_label", "late at night");
    set(&mut f, "lat", "35.4681");
    set(&mut f, "lon", "44.3922");
    set(&mut f, "type", "hit_and_run");
    set(&mut f, "a1_name", "ISIS");
    set(&mut f, "a1_role", "perpetrator");
    set(&mut f, "c1_party", "security_forces");
    set(&mut f, "c1_killed_best", "٢");
    set(&mut f, "c1_killed_high", "٣");
    set(&mut f, "s1_publisher", "Rudaw English");
    set(&mut f, "s1_title", "Attack on a checkpoint");
    set(&mut f, "s1_reliability", "B");
    set(&mut f, "s1_credibility", "2");
    set(&mut f, "narrative", "An army checkpoint attacked at night.");
    add(&mut f, "release_group", "all_partners");
    let (status, location, body) = post_form(&app, &cookie, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id = id_after(&location, "/incidents/");
    let stored = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(stored["when"]["value"], "2025-07-30");
    assert_eq!(stored["when"]["label"], "late at night");
    assert_eq!(stored["point"], json!({"lat": 35.4681, "lon": 44.3922}));
    assert_eq!(stored["admin_units"]["governorate"], "IQG13", "Kirkuk");
    assert_eq!(
        stored["casualties"],
        json!([{"party": "security_forces", "killed": {"low": 2, "best": 2, "high": 3}, "injured": {"low": 0, "best": 0, "high": 0}}])
    );
    assert_eq!(
        stored["actors"],
        json!([{"name": "ISIS", "role": "perpetrator"}])
    );
    assert_eq!(stored["sources"][0]["reliability"], "B");
    assert_eq!(stored["owner_org_id"], "mopa");

    // Its page offers Edit and Delete to its owner's editor.
    let (_, shown) = page(&app, &cookie, &format!("/incidents/{id}")).await;
    assert!(shown.contains(&format!("href=\"/incidents/{id}/edit\"")));
    assert!(shown.contains(&format!("href=\"/incidents/{id}/delete\"")));

    // A second actor (from the registry) and another type.
    let edit = format!("/incidents/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    let mut f = form_fields(&html, &edit);
    set(&mut f, "a2_org", "iraqi-army");
    set(&mut f, "a2_role", "target");
    set(&mut f, "type", "armed_clash");
    let (status, location, body) = post_form(&app, &cookie, &edit, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, format!("/incidents/{id}"));
    let stored = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["type"], "armed_clash");
    assert_eq!(
        stored["actors"][1],
        json!({"organisation_id": "iraqi-army", "role": "target"})
    );

    // Deleted, after the page that asks.
    let delete = format!("/incidents/{id}/delete");
    let (status, html) = page(&app, &cookie, &delete).await;
    assert_eq!(status, StatusCode::OK);
    let (status, location, _) =
        post_form(&app, &cookie, &delete, &form_fields(&html, &delete)).await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/map"));
    let r = app.get(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_point_outside_iraq_is_refused_at_its_field_in_the_readers_language_keeping_what_was_typed()
 {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/incidents/new").await;
    let mut f = form_fields(&html, "/incidents/new");
    set(&mut f, "when", "2025-07-30");
    // Istanbul.
    set(&mut f, "lat", "41.0");
    set(&mut f, "lon", "29.0");
    set(&mut f, "narrative", "Typed with care");
    set(&mut f, "c1_party", "civilians");
    set(&mut f, "c1_killed_best", "four");
    let (status, _, body) = post_form(&app, &cookie, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("id=\"lat-error\""),
        "the problem is at the point's field"
    );
    assert!(body.contains("This point is outside Iraq"), "{body}");
    assert!(body.contains("id=\"c1_killed_best-error\""));
    assert!(body.contains("“four” is not a whole number."));
    assert!(
        body.contains(">Typed with care</textarea>"),
        "the narrative is kept"
    );
    assert!(body.contains("value=\"41.0\""), "the latitude is kept");
    // In Arabic, the same refusal in Arabic.
    let arabic = format!("{cookie}; hawkari_lang=ar");
    set(&mut f, "c1_killed_best", "4");
    let (status, _, body) = post_form(&app, &arabic, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("هذه النقطة خارج العراق"), "{body}");
    // The API refuses it too, naming the field.
    let r = app
        .post(
            "/api/v1/incidents",
            &json!({"when": "2025-07-30", "point": {"lat": 41.0, "lon": 29.0}, "type": "other", "owner_org_id": "mopa"}),
        )
        .await;
    let (status, fields, _) = crate::helpers::error_fields(r).await;
    assert_eq!(
        (status, fields),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["point".to_owned()])
    );
}

#[tokio::test]
async fn a_place_is_found_by_name_and_picked_without_javascript() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/incidents/new").await;
    let mut f = form_fields(&html, "/incidents/new");
    set(&mut f, "place_query", "Hawler");
    set(&mut f, "find_place", "1");
    let (status, _, found) = post_form(&app, &cookie, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("name=\"pick_place\" value=\"unit:IQG11\""),
        "{found}"
    );
    let mut f = form_fields(&found, "/incidents/new");
    set(&mut f, "pick_place", "unit:IQG11");
    let (status, _, picked) = post_form(&app, &cookie, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::OK);
    let f = form_fields(&picked, "/incidents/new");
    let get = |k: &str| {
        f.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("location_precision"), "governorate");
    let (lat, lon): (f64, f64) = (get("lat").parse().unwrap(), get("lon").parse().unwrap());
    let located = app
        .get_json(&format!("/api/v1/gazetteer/locate?lat={lat}&lon={lon}"))
        .await;
    assert_eq!(
        located["governorate"]["pcode"], "IQG11",
        "the point lies in Erbil"
    );
}

#[tokio::test]
async fn a_town_is_found_by_a_sources_spelling_picked_and_named_on_the_incidents_page() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let arabic = format!("{cookie}; hawkari_lang=ar");
    let (_, html) = page(&app, &arabic, "/incidents/new").await;
    let mut f = form_fields(&html, "/incidents/new");
    // The town as an incident dataset spells it, in Arabic without the space.
    set(&mut f, "place_query", "طوزخورماتو");
    set(&mut f, "find_place", "1");
    let (status, _, found) = post_form(&app, &arabic, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("name=\"pick_place\" value=\"named:geonames:90026\""),
        "{found}"
    );
    assert!(found.contains("توز خورماتو (بلدة)"), "labelled in Arabic");
    let mut f = form_fields(&found, "/incidents/new");
    set(&mut f, "pick_place", "named:geonames:90026");
    let (status, _, picked) = post_form(&app, &arabic, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::OK);
    let mut f = form_fields(&picked, "/incidents/new");
    let get = |f: &[(String, String)], k: &str| {
        f.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get(&f, "location_precision"), "near");
    assert_eq!(get(&f, "place_name"), "توز خورماتو");
    set(&mut f, "when", "2025-07-30");
    set(&mut f, "type", "ied");
    let (status, location, body) = post_form(&app, &arabic, "/incidents/new", &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app
        .get_json(&format!(
            "/api/v1/incidents/{}",
            id_after(&location, "/incidents/")
        ))
        .await;
    assert_eq!(stored["place_name"], "توز خورماتو");
    assert_eq!(stored["admin_units"]["district"], "IQG16Q07");

    // An incident recorded without a place name is said to be near the nearest town,
    // in the reader's language, not only "in" its district.
    let r = app
        .post(
            "/api/v1/incidents",
            &json!({"when": "2025-07-31", "point": {"lat": 34.90, "lon": 44.66}, "type": "ied", "owner_org_id": "mopa"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, en) = page(&app, &cookie, &format!("/incidents/{id}")).await;
    assert!(en.contains("near Tuz Khurmatu (2.8 km)"), "{en}");
    let (_, ar) = page(&app, &arabic, &format!("/incidents/{id}")).await;
    // Fluent isolates the town's name inside the Arabic sentence.
    assert!(ar.contains("قرب \u{2068}توز خورماتو\u{2069}"), "{ar}");
}

/// Four districts of Kirkuk and Salah al-Din.
const DISTRICTS: [&str; 4] = ["IQG13Q01", "IQG13Q02", "IQG13Q04", "IQG16Q07"];

#[tokio::test]
async fn an_area_composed_of_four_districts_is_recorded_edited_and_deleted_through_the_web() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, html) = page(&app, &cookie, "/areas/new").await;
    assert_eq!(status, StatusCode::OK);
    let mut f = form_fields(&html, "/areas/new");
    set(&mut f, "name_en", "Sector 6 and the Kirkuk districts");
    set(&mut f, "name_ar", "القطاع السادس وأقضية كركوك");
    set(&mut f, "kind", "responsibility");
    set(&mut f, "organisation", "sector-6");
    // From 1 January 2022, in Arabic-Indic digits.
    set(&mut f, "valid_from", "٢٠٢٢-٠١-٠١");
    set(&mut f, "shape_from", "units");
    for d in DISTRICTS {
        add(&mut f, "units", d);
    }
    add(&mut f, "release_to", "iraqi-army");
    let (status, location, body) = post_form(&app, &cookie, "/areas/new", &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id = id_after(&location, "/areas/");
    let stored = app.get_json(&format!("/api/v1/areas/{id}")).await;
    assert_eq!(stored["admin_units"], json!(DISTRICTS));
    assert_eq!(stored["valid_from"], "2022-01-01");
    assert!(
        matches!(
            stored["geometry"]["type"].as_str(),
            Some("Polygon" | "MultiPolygon")
        ),
        "{}",
        stored["geometry"]["type"]
    );
    let (_, shown) = page(&app, &cookie, &format!("/areas/{id}")).await;
    assert!(shown.contains("Sector 6 and the Kirkuk districts"));
    assert!(shown.contains(&format!("href=\"/areas/{id}/edit\"")));
    let (_, list) = page(&app, &cookie, "/areas").await;
    assert!(list.contains(&format!("href=\"/areas/{id}\"")));

    // One district less.
    let edit = format!("/areas/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    let f: Vec<(String, String)> = form_fields(&html, &edit)
        .into_iter()
        .filter(|(k, v)| !(k == "units" && v == "IQG16Q07"))
        .collect();
    let (status, _, body) = post_form(&app, &cookie, &edit, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json(&format!("/api/v1/areas/{id}")).await;
    assert_eq!(after["admin_units"], json!(&DISTRICTS[..3]));
    assert_ne!(after["geometry"], stored["geometry"], "composed again");

    let delete = format!("/areas/{id}/delete");
    let (_, html) = page(&app, &cookie, &delete).await;
    let (status, location, _) =
        post_form(&app, &cookie, &delete, &form_fields(&html, &delete)).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/areas")
    );
    assert_eq!(
        app.get(&format!("/api/v1/areas/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_uploaded_geojson_shape_is_stored_and_one_that_does_not_close_is_refused_at_its_field() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/areas/new").await;
    let mut f = form_fields(&html, "/areas/new");
    set(&mut f, "name_en", "Hamrin foothills");
    set(&mut f, "kind", "concern");
    let open = r#"{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
        "coordinates": [[[44.0, 34.5], [44.6, 34.5], [44.6, 35.0], [44.0, 35.0]]]}}"#;
    let (status, _, body) = post_multipart(&app, &cookie, "/areas/new", &f, open).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("id=\"geometry-error\""),
        "at the shape's field"
    );
    assert!(
        body.contains(
            "The shape does not close: the last position of ring 1 must repeat its first."
        ),
        "{body}"
    );
    assert!(
        body.contains("value=\"Hamrin foothills\""),
        "the name is kept"
    );
    assert!(
        body.contains("[44.6,35.0]") || body.contains("[44.6, 35.0]"),
        "the upload is kept in the form"
    );

    // A ring that crosses itself closes but is not a valid shape.
    let bowtie = r#"{"type": "Polygon", "coordinates": [[[44.0, 34.5], [44.6, 35.0], [44.6, 34.5], [44.0, 35.0], [44.0, 34.5]]]}"#;
    let (status, _, body) = post_multipart(&app, &cookie, "/areas/new", &f, bowtie).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("The shape is not valid"), "{body}");

    let closed = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
        "coordinates": [[[44.0, 34.5], [44.6, 34.5], [44.6, 35.0], [44.0, 35.0], [44.0, 34.5]]]}}]}"#;
    let (status, location, body) = post_multipart(&app, &cookie, "/areas/new", &f, closed).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id = id_after(&location, "/areas/");
    let stored = app.get_json(&format!("/api/v1/areas/{id}")).await;
    assert_eq!(stored["geometry"]["type"], "Polygon");
    assert_eq!(stored["geometry"]["coordinates"][0][2], json!([44.6, 35.0]));
    assert_eq!(stored["admin_units"], Value::Null);
}

#[tokio::test]
async fn edit_and_delete_are_offered_only_to_those_who_may() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let incident = app
        .create(
            "/api/v1/incidents",
            json!({"when": "2025-07-30", "point": {"lat": 35.4681, "lon": 44.3922}, "type": "ied",
                   "owner_org_id": "mopa", "releasable_to": ["iraqi-army"]}),
        )
        .await;
    let area = app
        .create(
            "/api/v1/areas",
            json!({"kind": "concern", "names": {"en": "Kirkuk"}, "admin_units": ["IQG13"],
                   "owner_org_id": "mopa", "releasable_to": ["iraqi-army"]}),
        )
        .await;
    let (owner, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (viewer, _) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let (partner, _) = app
        .web_session("army-clerk", "iraqi-army", Role::Editor)
        .await;
    for (kind, record) in [("incidents", &incident), ("areas", &area)] {
        let id = record["id"].as_str().unwrap();
        for (cookie, offered) in [(&owner, true), (&viewer, false), (&partner, false)] {
            let (status, html) = page(&app, cookie, &format!("/{kind}/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                html.contains(&format!("href=\"/{kind}/{id}/edit\"")),
                offered,
                "{kind} edit"
            );
            assert_eq!(
                html.contains(&format!("href=\"/{kind}/{id}/delete\"")),
                offered,
                "{kind} delete"
            );
            if !offered {
                let (status, _) = page(&app, cookie, &format!("/{kind}/{id}/edit")).await;
                assert_eq!(status, StatusCode::FORBIDDEN);
            }
        }
    }
}

#[tokio::test]
async fn a_version_saved_meanwhile_is_shown_beside_the_users_and_saving_again_merges() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let incident = app
        .create(
            "/api/v1/incidents",
            json!({"when": "2025-07-30", "point": {"lat": 35.4681, "lon": 44.3922}, "type": "ied",
                   "narrative": "First account.", "owner_org_id": "mopa"}),
        )
        .await;
    let id = incident["id"].as_str().unwrap();
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let edit = format!("/incidents/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    let mut mine = form_fields(&html, &edit);
    // Someone else saves first.
    let mut theirs = incident.clone();
    theirs["narrative"] = json!("Their corrected account.");
    let r = app.put(&format!("/api/v1/incidents/{id}"), &theirs).await;
    assert_eq!(r.status(), StatusCode::OK);
    set(&mut mine, "narrative", "My account, with the casualties.");
    set(&mut mine, "c1_party", "civilians");
    set(&mut mine, "c1_killed_best", "1");
    let (status, _, body) = post_form(&app, &cookie, &edit, &mine).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("id=\"conflict\""));
    assert!(
        body.contains("Their corrected account."),
        "their version is shown"
    );
    assert!(
        body.contains(">My account, with the casualties.</textarea>"),
        "the form keeps mine"
    );
    let stored = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(
        stored["narrative"], "Their corrected account.",
        "nothing of mine saved"
    );
    // Merged by the user and saved again: the form now carries the version stored.
    let mut merged = form_fields(&body, &edit);
    set(
        &mut merged,
        "narrative",
        "Their corrected account. With the casualties.",
    );
    let (status, _, body) = post_form(&app, &cookie, &edit, &merged).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(stored["version"], 3);
    assert_eq!(
        stored["narrative"],
        "Their corrected account. With the casualties."
    );
    assert_eq!(stored["casualties"][0]["party"], "civilians");
}

/// Every incident and area of the demo dataset, through the edit form of an editor of
/// its owner, posted back unchanged: every record stays as it was.
#[tokio::test]
async fn every_demo_incident_and_area_survives_its_edit_form_unchanged() {
    let app = spawn_app().await;
    let demo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/dataset.json"
    ))
    .unwrap();
    app.app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(demo),
            |_| {},
        )
        .await
        .unwrap();
    let system = hawkari_app::Principal::system("test");
    let everything = hawkari_core::access::Reach::Everything;
    let request = hawkari_store::PageRequest {
        limit: 500,
        after: None,
    };
    let store = app.app.store();
    let incidents = store
        .list_incidents(&everything, &Default::default(), &request)
        .await
        .unwrap()
        .items;
    let areas = store
        .list_areas(&everything, &Default::default(), &request)
        .await
        .unwrap()
        .items;
    assert!(incidents.len() >= 50 && areas.len() >= 5);
    let records: Vec<(String, String, String)> = incidents
        .iter()
        .map(|i| {
            (
                "incidents".to_owned(),
                i.id.to_string(),
                i.data.owner_org_id.to_string(),
            )
        })
        .chain(areas.iter().map(|a| {
            (
                "areas".to_owned(),
                a.id.to_string(),
                a.data.owner_org_id.to_string(),
            )
        }))
        .collect();
    let mut sessions = std::collections::HashMap::new();
    for (kind, id, owner) in &records {
        if !sessions.contains_key(owner) {
            let s = app
                .web_session(&format!("{owner}-clerk"), owner, Role::Editor)
                .await;
            sessions.insert(owner.clone(), s.0);
        }
        let cookie = &sessions[owner];
        let edit = format!("/{kind}/{id}/edit");
        let (status, html) = page(&app, cookie, &edit).await;
        assert_eq!(status, StatusCode::OK, "{edit}");
        let (status, _, body) = post_form(&app, cookie, &edit, &form_fields(&html, &edit)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{edit}: {body}");
    }
    for i in incidents {
        let stored: hawkari_core::incident::Incident =
            app.app.get(&system, i.id.as_str()).await.unwrap();
        assert_eq!(stored, i, "{}", i.id);
    }
    for a in areas {
        let stored: hawkari_core::area::Area = app.app.get(&system, a.id.as_str()).await.unwrap();
        assert_eq!(stored, a, "{}", a.id);
    }
}
