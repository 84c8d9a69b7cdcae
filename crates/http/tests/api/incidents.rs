//! Incidents: the record, reverse geocoding on write, viewport/time/type/area filters,
//! bad input named by field, and the GeoJSON view.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, apps_for_each_plan, error_fields, ids, spawn_app};

fn incident(lat: f64, lon: f64, kind: &str, when: &str) -> Value {
    json!({
        "when": when, "point": {"lat": lat, "lon": lon}, "location_precision": "near", "place_name": "near the town",
        "type": kind, "sub_type": "roadside",
        "actors": [{"name": "ISIS", "role": "perpetrator"}, {"organisation_id": "iraqi-army", "role": "target"}],
        "casualties": [{"party": "security_forces", "killed": {"low": 1, "best": 2, "high": 3}}],
        "sources": [{"publisher": "Rudaw English", "title": "Attack near the town", "reliability": "B", "credibility": 2}],
        "narrative": "Hit-and-run attack on an army checkpoint at night.",
        "owner_org_id": "mopa"
    })
}

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed_registry().await;
    app
}

#[tokio::test]
async fn an_incident_is_recorded_with_its_admin_units_filled_from_the_point() {
    let app = seeded().await;
    let created = app
        .create(
            "/api/v1/incidents",
            incident(34.8833, 44.6333, "hit_and_run", "2025-09-14"),
        )
        .await;
    assert_eq!(created["admin_units"]["governorate"], "IQG16");
    assert_eq!(created["admin_units"]["district"], "IQG16Q07");
    assert_eq!(created["type"], "hit_and_run");
    assert_eq!(created["casualties"][0]["killed"]["best"], 2);
    let id = created["id"].as_str().unwrap();
    // A client cannot set the admin units; they follow the point.
    let mut moved = created.clone();
    moved["point"] = json!({"lat": 35.4681, "lon": 44.3922});
    moved["admin_units"] = json!({"governorate": "IQG01"});
    let r = app.put(&format!("/api/v1/incidents/{id}"), &moved).await;
    assert_eq!(r.status(), StatusCode::OK);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["admin_units"]["governorate"], "IQG13", "Kirkuk");
    assert_eq!(
        app.delete(&format!("/api/v1/incidents/{id}"), Some(2))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn incidents_filter_by_viewport_time_type_and_area() {
    for app in apps_for_each_plan().await {
        app.seed_registry().await;
        let tuz = app
            .create(
                "/api/v1/incidents",
                incident(34.8833, 44.6333, "hit_and_run", "2025-09-14"),
            )
            .await;
        let kirkuk = app
            .create(
                "/api/v1/incidents",
                incident(35.4681, 44.3922, "ied", "2025-10-02"),
            )
            .await;
        let anbar = app
            .create(
                "/api/v1/incidents",
                incident(33.42, 43.30, "ied", "2024-03"),
            )
            .await;
        let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids(&app.get_json("/api/v1/incidents").await),
            [id(&kirkuk), id(&tuz), id(&anbar)],
            "newest first"
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/incidents?bbox=44.0,34.5,45.0,36.0")
                .await),
            [id(&kirkuk), id(&tuz)],
            "viewport"
        );
        // Viewport and time window together: one search of the space-time R*Tree.
        assert_eq!(
            ids(&app
                .get_json("/api/v1/incidents?bbox=44.0,34.5,45.0,36.0&from=2025-10")
                .await),
            [id(&kirkuk)]
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/incidents?bbox=44.0,34.5,45.0,36.0&to=2025-09-30")
                .await),
            [id(&tuz)]
        );
        // The same as points for a map: ids, types and positions from the indexes.
        let points = app
            .get_json("/api/v1/incident-points?bbox=44.0,34.5,45.0,36.0&from=2025-09")
            .await;
        let features = points["features"].as_array().unwrap();
        let got: Vec<(&str, &str)> = features
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap(),
                    f["properties"]["type"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (kirkuk["id"].as_str().unwrap(), "ied"),
                (tuz["id"].as_str().unwrap(), "hit_and_run")
            ]
        );
        let c = &features[1]["geometry"]["coordinates"];
        assert!(
            (c[0].as_f64().unwrap() - 44.6333).abs() < 1e-4
                && (c[1].as_f64().unwrap() - 34.8833).abs() < 1e-4,
            "longitude first: {c}"
        );
        assert_eq!(features[1]["properties"]["start"], "2025-09-14T00:00:00Z");
        assert_eq!(
            ids(&app.get_json("/api/v1/incidents?type=ied").await),
            [id(&kirkuk), id(&anbar)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/incidents?from=2025-10").await),
            [id(&kirkuk)]
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/incidents?admin=IQG16").await),
            [id(&tuz)],
            "governorate"
        );
        assert_eq!(
            ids(&app.get_json("/api/v1/incidents?admin=IQG13Q04").await),
            [id(&kirkuk)],
            "district"
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/incidents?organisation_id=iraqi-army&type=ied&bbox=43,33,44,34")
                .await),
            [id(&anbar)]
        );
        assert_eq!(
            ids(&app
                .get_json("/api/v1/incidents?q=checkpoint&bbox=44.5,34.5,45,35")
                .await),
            [id(&tuz)]
        );
    }
}

#[tokio::test]
async fn bad_incident_fields_and_parameters_are_named() {
    let app = seeded().await;
    let cases: Vec<(&str, Value)> = vec![("point.lat", json!({"lat": 95.0, "lon": 44.0}))];
    for (field, point) in cases {
        let mut body = incident(34.0, 44.0, "ied", "2025-01-01");
        body["point"] = point;
        let (status, fields, _) = error_fields(app.post("/api/v1/incidents", &body).await).await;
        assert_eq!(
            (status, fields.contains(&field.to_owned())),
            (StatusCode::UNPROCESSABLE_ENTITY, true),
            "{field}"
        );
    }
    let mut body = incident(34.0, 44.0, "ied", "2025-01-01");
    body["casualties"][0]["killed"] = json!({"low": 5, "best": 2, "high": 3});
    body["sources"][0]["credibility"] = json!(7);
    body["type"] = json!("ied");
    let (status, fields, _) = error_fields(app.post("/api/v1/incidents", &body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields, ["casualties[0].killed", "sources[0].credibility"]);
    body = incident(34.0, 44.0, "bombing", "2025-01-01");
    let (_, fields, _) = error_fields(app.post("/api/v1/incidents", &body).await).await;
    assert_eq!(fields, ["type"]);
    for q in [
        "bbox=1,2,3",
        "bbox=45,30,44,31",
        "type=bombing",
        "from=soon",
    ] {
        let (status, fields, _) =
            error_fields(app.get(&format!("/api/v1/incidents?{q}")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(fields.len(), 1, "{q}: {fields:?}");
    }
}

#[tokio::test]
async fn incidents_come_as_rfc7946_geojson_points() {
    let app = seeded().await;
    app.create(
        "/api/v1/incidents",
        incident(34.8833, 44.6333, "hit_and_run", "2025-09-14"),
    )
    .await;
    let r = app.get("/api/v1/incidents.geojson").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let fc: Value = r.json().await.unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let f = &fc["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(
        f["geometry"]["coordinates"],
        json!([44.6333, 34.8833]),
        "longitude first"
    );
    assert_eq!(f["properties"]["admin_units"]["district"], "IQG16Q07");
}

const ACLED: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities
IRQ1001,2025-09-14,2025,1,Political violence,Explosions/Remote violence,Remote explosive/landmine/IED,Islamic State (Iraq),Military Forces of Iraq,Salah al-Din,Tooz,Tuz Khurmatu,34.8833,44.6333,1,Rudaw,\"IED hit an army patrol, two soldiers killed\",2
IRQ1002,14 September 2025,2025,2,Political violence,Battles,Armed clash,Islamic State (Iraq),Peshmerga,Kirkuk,Daquq,Daquq,35.13,44.45,2,Kurdistan 24,Clash near Daquq,0
IRQ1003,2025-13-40,2025,1,Political violence,Battles,Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,35.46,44.39,1,K24,Bad date,0
IRQ1004,2025-09-20,2025,1,Political violence,Battles,Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,,44.39,1,K24,No latitude,0
IRQ1005,2025-09-21,2025,1,Political violence,Battles,Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,135.4,44.39,1,K24,Latitude out of range,1
IRQ1006,2025-09-22,2025,1,Political violence,Strategic developments,Arrests,Iraqi Army,,Diyala,Khanaqin,Khanaqin,34.34,45.38,1,INA,Arrests in Khanaqin,many
";

const UCDP: &str = "id,year,type_of_violence,conflict_name,side_a,side_b,source_article,where_prec,latitude,longitude,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low
501,2025,1,Iraq: Government,Government of Iraq,IS,Rudaw 2025-09-01,1,34.88,44.63,2025-09-01,2025-09-01,3,1,0,0,4,5,4
502,2025,3,IS - civilians,IS,Civilians,AFP,2,35.2,44.5,2025-09-05,2025-09-03,0,0,2,0,2,2,2
";

#[tokio::test]
async fn acled_and_ucdp_rows_import_with_bad_rows_reported_and_reimports_idempotent() {
    let app = seeded().await;
    let cli = hawkari_app::Principal::system("test");
    let release = released_as("mopa", true);
    let acled = hawkari_app::incident_import::ImportFormat::Acled;
    let report = app
        .app
        .import_incidents(
            &cli,
            ACLED.as_bytes(),
            &acled,
            &release,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!((report.read, report.stored, report.updated), (6, 2, 0));
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (4, "event_date"),
            (5, "latitude"),
            (6, "latitude"),
            (7, "fatalities")
        ]
    );
    assert!(
        report.rejected[0].reason.contains("2025-13-40"),
        "{:?}",
        report.rejected[0]
    );

    let tuz = app.get_json("/api/v1/incidents/acled-irq1001-mopa").await;
    assert_eq!(tuz["type"], "ied");
    assert_eq!(tuz["admin_units"]["district"], "IQG16Q07");
    assert_eq!(tuz["casualties"][0]["killed"]["best"], 2);
    assert_eq!(
        tuz["sources"][0]["reliability"], "F",
        "grading cannot be judged from a dataset row"
    );
    let daquq = app.get_json("/api/v1/incidents/acled-irq1002-mopa").await;
    assert_eq!(
        daquq["when"]["precision"], "range",
        "ACLED time precision 2: within a week"
    );

    let again = app
        .app
        .import_incidents(
            &cli,
            ACLED.as_bytes(),
            &acled,
            &release,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        (again.stored, again.updated, again.unchanged),
        (0, 0, 2),
        "a re-import creates no duplicates"
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?limit=500").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The Iraqi Army imports the same file, released to no one: it holds its own copies,
    // and the ministry's reader still sees only its two.
    let army = released_as("iraqi-army", false);
    let theirs = app
        .app
        .import_incidents(
            &cli,
            ACLED.as_bytes(),
            &acled,
            &army,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!((theirs.stored, theirs.rejected.len()), (2, 4));
    assert_eq!(
        app.get_json("/api/v1/incidents?limit=500").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let ucdp = hawkari_app::incident_import::ImportFormat::Ucdp;
    let report = app
        .app
        .import_incidents(
            &cli,
            UCDP.as_bytes(),
            &ucdp,
            &release,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!((report.read, report.stored), (2, 1));
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].column.as_str()),
        (3, "date_end")
    );
    let ged = app.get_json("/api/v1/incidents/ucdp-501-mopa").await;
    assert_eq!(ged["type"], "armed_clash");
    let parties: Vec<&str> = ged["casualties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["party"].as_str().unwrap())
        .collect();
    assert_eq!(parties, ["security_forces", "attackers"]);
}

#[tokio::test]
async fn any_csv_imports_through_a_column_mapping() {
    let app = seeded().await;
    let mapping: hawkari_app::incident_import::ColumnMapping = serde_json::from_value(json!({
        "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y", "longitude": "x",
        "event_type": "what", "types": {"Roadside bomb": "ied", "Kidnapping": "abduction"}, "narrative": "text"
    }))
    .unwrap();
    let csv = "ref,day,y,x,what,text\nA-1,2025-10-01,35.0,44.4,Roadside bomb,On the Kirkuk road\nA-2,2025-10,35.1,44.5,Kidnapping,Shepherd taken\nA-3,yesterday,35.1,44.5,Kidnapping,Bad\n";
    let release = released_as("mopa", false);
    let report = app
        .app
        .import_incidents(
            &hawkari_app::Principal::system("test"),
            csv.as_bytes(),
            &hawkari_app::incident_import::ImportFormat::Mapped(Box::new(mapping)),
            &release,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        (report.read, report.stored, report.rejected.len()),
        (3, 2, 1)
    );
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].column.as_str()),
        (4, "day")
    );
    assert_eq!(
        app.get_json("/api/v1/incidents/jcc-a-2-mopa").await["type"],
        "abduction"
    );
}

#[tokio::test]
async fn incidents_export_as_csv_with_an_hxl_row_and_only_what_is_released() {
    let app = seeded().await;
    app.create(
        "/api/v1/incidents",
        incident(34.8833, 44.6333, "hit_and_run", "2025-09-14"),
    )
    .await;
    let mut hidden = incident(35.4681, 44.3922, "ied", "2025-10-02");
    hidden["narrative"] = json!("Kestrel convoy struck");
    hidden["release_groups"] = json!([]);
    app.create("/api/v1/incidents", hidden).await;
    let r = app.get_as_army("/api/v1/incidents.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("#meta+id,#date,#date+end,#date+precision,#adm1+name,#adm2+name,#geo+lat,#geo+lon,#event+type,#affected+killed"), "{}", lines[1]);
    assert_eq!(
        lines.len(),
        3,
        "header, HXL row, the one released incident: {text}"
    );
    assert!(
        lines[2].contains(",Salah Al-Din,Tooz Khurmato,34.8833,44.6333,hit_and_run,2,"),
        "{}",
        lines[2]
    );
    assert!(
        !text.contains("Kestrel"),
        "the unreleased incident is not exported"
    );
    // Nor drawn on the army's map.
    let r = app.get_as_army("/api/v1/incident-points").await;
    let points: Value = r.json().await.unwrap();
    assert_eq!(points["features"].as_array().unwrap().len(), 1);
    assert_eq!(points["features"][0]["properties"]["type"], "hit_and_run");
}

/// Every page of a list as the Iraqi Army reads it: the ids, in order.
async fn listed_ids_as_army(app: &TestApp, path: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let page: Value = app.get_as_army(&url).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            ids.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn incident_downloads_stream_every_page_of_the_list_and_nothing_unreleased() {
    let app = seeded().await;
    let system = hawkari_app::Principal::system("test");
    // 1 234 incidents released to all partners (more than two of the export's pages of
    // 500), with notes that need quoting or would be a spreadsheet formula; and three
    // only MoPA may read.
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";
    let acled = |ids: std::ops::Range<u32>, notes: &dyn Fn(u32) -> String| {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header.split(',')).unwrap();
        let mut expected = std::collections::HashMap::new();
        for i in ids {
            let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
                + chrono::Duration::days(i64::from(i % 600));
            let (lat, lon) = (
                format!("{:.4}", 33.6 + f64::from(i % 97) * 0.019),
                format!("{:.4}", 43.6 + f64::from(i % 89) * 0.015),
            );
            let note = notes(i);
            w.write_record([
                format!("STREAM{i}").as_str(),
                &day.to_string(),
                "2024",
                "1",
                "Political violence",
                "Battles",
                "Armed clash",
                "Islamic State (Iraq)",
                "Military Forces of Iraq",
                "",
                "",
                "",
                &lat,
                &lon,
                "1",
                "Synthetic",
                &note,
                "0",
            ])
            .unwrap();
            let inert = if note.starts_with('=') {
                format!("'{note}")
            } else {
                note
            };
            // Coordinates as the export writes them: shortest form, no trailing zeros.
            let shortest = |v: &str| v.parse::<f64>().unwrap().to_string();
            expected.insert(
                format!("acled-stream{i}-mopa"),
                [day.to_string(), shortest(&lat), shortest(&lon), inert],
            );
        }
        (
            Box::leak(w.into_inner().unwrap().into_boxed_slice()) as &'static [u8],
            expected,
        )
    };
    let n = 1234;
    let (file, expected) = acled(0..n, &|i| match i % 3 {
        0 => format!("Clash {i}, \"heavy\" fire"),
        1 => format!("=HYPERLINK(\"x\") {i}"),
        _ => format!("Clash {i}"),
    });
    let (quiet, _) = acled(n..n + 3, &|i| format!("Kestrel convoy struck {i}"));
    for (file, released) in [(file, true), (quiet, false)] {
        let report = app
            .app
            .import_incidents(
                &system,
                file,
                &hawkari_app::incident_import::ImportFormat::Acled,
                &released_as("mopa", released),
                &hawkari_app::incident_import::ImportOptions {
                    allow_outside_iraq: true,
                },
                |_| {},
            )
            .await
            .unwrap();
        assert_eq!(report.rejected_rows, 0, "{:?}", report.rejected);
    }
    let listed = listed_ids_as_army(&app, "/api/v1/incidents?limit=500").await;
    assert_eq!(listed.len(), n as usize);

    // The CSV is sent as it is written, with no length known in advance.
    let r = app.get_as_army("/api/v1/incidents.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("content-length").is_none(), "{r:?}");
    let text = r.text().await.unwrap();
    // Exactly what one CSV writer writes for these records: where pages meet, no header
    // is repeated and nothing is lost or doubled.
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let mut again = csv::Writer::from_writer(Vec::new());
    for r in &records {
        again.write_record(r).unwrap();
    }
    assert_eq!(
        String::from_utf8(again.into_inner().unwrap()).unwrap(),
        text
    );
    assert_eq!(
        records[0].iter().take(3).collect::<Vec<_>>(),
        ["id", "date", "date_end"]
    );
    assert_eq!(
        records[1].iter().take(3).collect::<Vec<_>>(),
        ["#meta+id", "#date", "#date+end"]
    );
    // Every row of the list, in its order, each with what was imported.
    let rows = &records[2..];
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, listed);
    for row in rows {
        let want = &expected[&row[0]];
        assert_eq!(
            [&row[1], &row[6], &row[7], &row[11]],
            [&want[0], &want[1], &want[2], &want[3]],
            "{row:?}"
        );
    }
    assert!(!text.contains("Kestrel"), "no record the army may not read");
    // Audited with the rows it wrote.
    let audit = app.app.store().audit_entries(0, 100_000).await.unwrap();
    assert!(audit.iter().any(|e| e.event.action == "export"
        && e.event.detail["what"] == "incidents.csv"
        && e.event.detail["rows"] == n));

    // The web's GeoJSON download of the whole list: the same incidents in the same order.
    let (army, _) = app
        .web_session("army-lo", "iraqi-army", hawkari_core::access::Role::Editor)
        .await;
    let r = app
        .client
        .get(app.url("/incidents.geojson"))
        .header("cookie", &army)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let text = r.text().await.unwrap();
    assert!(!text.contains("Kestrel"));
    let fc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    let ids: Vec<&str> = features.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, listed);
    let first = &features[0];
    let want = &expected[first["id"].as_str().unwrap()];
    assert_eq!(
        first["geometry"]["coordinates"],
        json!([
            want[2].parse::<f64>().unwrap(),
            want[1].parse::<f64>().unwrap()
        ])
    );

    // What MoPA may read, it exports: the three more.
    let rows = app
        .app
        .export_incidents(
            &system,
            &hawkari_store::IncidentFilter::default(),
            hawkari_app::incident_export::ExportFormat::HxlCsv,
            &mut Vec::new(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(rows, u64::from(n) + 3);
}

/// Imports owned by `owner`, released to all partners or to no one.
fn released_as(owner: &str, all_partners: bool) -> hawkari_app::incident_import::ImportRelease {
    hawkari_app::incident_import::ImportRelease {
        owner: owner.parse().unwrap(),
        releasable_to: vec![],
        groups: if all_partners {
            vec![hawkari_core::access::ReleaseGroup::AllPartners]
        } else {
            vec![]
        },
    }
}

/// Imports `file` as GeoJSON for `owner`, released to all partners or to no one.
async fn import_geojson(
    app: &TestApp,
    file: &'static [u8],
    owner: &str,
    all_partners: bool,
) -> hawkari_app::incident_import::ImportReport {
    app.app
        .import_incidents(
            &hawkari_app::Principal::system("test"),
            file,
            &hawkari_app::incident_import::ImportFormat::GeoJson,
            &released_as(owner, all_partners),
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn geojson_goes_out_and_comes_back_without_duplicates_and_bad_features_are_named() {
    let app = seeded().await;
    let cli = hawkari_app::Principal::system("test");
    let release = released_as("mopa", true);
    let acled = hawkari_app::incident_import::ImportFormat::Acled;
    app.app
        .import_incidents(
            &cli,
            ACLED.as_bytes(),
            &acled,
            &release,
            &Default::default(),
            |_| {},
        )
        .await
        .unwrap();
    let mut by_hand = incident(35.2, 44.5, "abduction", "2025-10");
    by_hand["release_groups"] = json!(["all_partners"]);
    let by_hand = app.create("/api/v1/incidents", by_hand).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Out: one FeatureCollection of every incident, points longitude first.
    let mut out = Vec::new();
    let rows = app
        .app
        .export_incidents(
            &cli,
            &hawkari_store::IncidentFilter::default(),
            hawkari_app::incident_export::ExportFormat::GeoJson,
            &mut out,
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(rows, 3);
    let fc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let tuz = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "acled-irq1001-mopa")
        .expect("the ACLED incident is exported");
    assert_eq!(tuz["geometry"]["coordinates"], json!([44.6333, 34.8833]));
    assert_eq!(tuz["properties"]["type"], "ied");
    assert_eq!(tuz["properties"]["external_id"], "acled:IRQ1001");
    let file: &'static [u8] = Box::leak(out.into_boxed_slice());

    // The ministry imports its own file again: the same records, nothing new.
    let again = import_geojson(&app, file, "mopa", true).await;
    assert_eq!(
        (again.read, again.stored, again.updated, again.unchanged),
        (3, 0, 0, 3),
        "{:?}",
        again.rejected
    );
    // The army imports it: its own copies, keyed on the source's ids; again, no more.
    let army = import_geojson(&app, file, "iraqi-army", false).await;
    assert_eq!((army.stored, army.rejected.len()), (3, 0));
    let army = import_geojson(&app, file, "iraqi-army", false).await;
    assert_eq!((army.stored, army.unchanged), (0, 3));
    let copies = app
        .app
        .store()
        .get_many(
            hawkari_core::record::Kind::Incident,
            &[
                "acled-irq1001-iraqi-army".to_owned(),
                format!("geojson-{by_hand}-iraqi-army"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(copies.len(), 2, "{:?}", copies.keys());
    // The ministry's reader does not see the army's copies.
    assert_eq!(
        app.get_json("/api/v1/incidents?limit=500").await["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Bad features are named by number and field; the good ones are stored.
    let bad = br#"{"type": "FeatureCollection", "name": "jcc", "features": [
      {"type": "Feature", "id": "x1", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "ied", "when": "2025-10-01"}},
      {"type": "Feature", "id": "x2", "geometry": {"type": "Polygon", "coordinates": [[[44, 35], [45, 35], [44, 36], [44, 35]]]}, "properties": {"type": "ied", "when": "2025-10-01"}},
      {"type": "Feature", "id": "x3", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "rocket", "when": "2025-10-01"}},
      {"type": "Feature", "id": "x4", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "ied", "when": "01/10/2025"}},
      {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "ied", "when": "2025-10-01"}},
      {"type": "Feature", "id": "x6", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "ied", "when": "2025-10-02", "actors": [{"organisation_id": "no-such-force"}]}},
      {"type": "Feature", "id": "x7", "geometry": {"type": "Point", "coordinates": [144.4, 95.1]}, "properties": {"type": "ied", "when": "2025-10-02"}},
      {"type": "Feature", "id": 8, "geometry": {"type": "Point", "coordinates": [44.4, 35.1]}, "properties": {"type": "arson", "when": "2025-10-03"}}
    ]}"#;
    let report = import_geojson(&app, bad, "mopa", true).await;
    assert_eq!(report.unit, "feature");
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (2, "geometry"),
            (3, "properties.type"),
            (4, "properties.when"),
            (5, "id"),
            (6, "actors[0].organisation_id"),
            (7, "geometry.coordinates"),
        ]
    );
    assert_eq!((report.read, report.stored), (8, 2));
    let arson = app.get_json("/api/v1/incidents/geojson-8-mopa").await;
    assert_eq!(arson["type"], "arson");
    assert_eq!(arson["external_id"], "geojson:8");

    // A syntax error part-way: what came before it is stored, the error names its line.
    let broken = b"{\"type\": \"FeatureCollection\", \"features\": [
      {\"type\": \"Feature\", \"id\": \"y1\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.4, 35.1]}, \"properties\": {\"type\": \"ied\", \"when\": \"2025-11-01\"}},
      {\"type\": \"Feature\", \"id\": \"y2\",, }
    ]}";
    let report = import_geojson(&app, broken, "mopa", true).await;
    assert_eq!((report.read, report.stored), (2, 1));
    assert!(
        report.rejected[0].reason.contains("line 3"),
        "{:?}",
        report.rejected
    );
    // A feature naming another organisation's incident as the importer's own is refused:
    // an import never takes over someone else's record.
    let takeover = br#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "acled-irq1001-mopa", "geometry": {"type": "Point", "coordinates": [44.4, 35.1]},
       "properties": {"type": "ied", "when": "2025-10-01", "owner_org_id": "iraqi-army"}}
    ]}"#;
    let report = import_geojson(&app, takeover, "iraqi-army", false).await;
    assert_eq!((report.stored, report.updated), (0, 0));
    assert_eq!(report.rejected[0].column, "id");
    assert_eq!(
        app.get_json("/api/v1/incidents/acled-irq1001-mopa").await["owner_org_id"],
        "mopa"
    );
    // Not a FeatureCollection at all.
    let report = import_geojson(
        &app,
        br#"{"type": "Feature", "features": []}"#,
        "mopa",
        true,
    )
    .await;
    assert_eq!(report.stored, 0);
    assert!(
        report.rejected[0]
            .reason
            .contains("not `FeatureCollection`"),
        "{:?}",
        report.rejected
    );
}

/// An incident's `external_id` (the source's own id) is unique: a second one with the
/// same is a 409, documented for the create, whose message no longer says that the new
/// id (minted by the server a moment before) "already exists".
#[tokio::test]
async fn a_second_incident_with_the_same_external_id_is_a_conflict() {
    let app = seeded().await;
    let mut body = incident(35.47, 44.39, "ied", "2025-07-30");
    body["external_id"] = json!("acled:IRQ7777");
    app.create("/api/v1/incidents", body.clone()).await;
    let r = app.post("/api/v1/incidents", &body).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let error: Value = r.json().await.unwrap();
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("has its source id (external_id)"),
        "{error}"
    );
    let doc = app.get_json("/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/incidents"]["post"]["responses"]["409"].is_object());
}
