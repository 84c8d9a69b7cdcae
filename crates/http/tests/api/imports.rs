//! Imports account for every row (security review, finding 10): each row of a file ends
//! stored, updated, unchanged or rejected with its line, column and reason — a broken
//! quote does not take the rows after it, a point outside Iraq and an empty type are
//! rejected by name, and the counts add up to the rows read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";

/// An ACLED row at Kirkuk with the given id, date, event type, point and notes.
fn acled_row(id: &str, date: &str, event: &str, lat: &str, lon: &str, notes: &str) -> String {
    format!(
        "{id},{date},2025,1,Political violence,{event},Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,{lat},{lon},1,K24,{notes},0"
    )
}

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed_registry().await;
    app
}

fn release() -> hawkari_app::incident_import::ImportRelease {
    hawkari_app::incident_import::ImportRelease {
        owner: "mopa".parse().unwrap(),
        releasable_to: vec![],
        groups: vec![hawkari_core::access::ReleaseGroup::AllPartners],
    }
}

async fn import(
    app: &TestApp,
    file: &str,
    format: hawkari_app::incident_import::ImportFormat,
) -> hawkari_app::incident_import::ImportReport {
    import_with(app, file, format, false).await
}

async fn import_with(
    app: &TestApp,
    file: &str,
    format: hawkari_app::incident_import::ImportFormat,
    allow_outside_iraq: bool,
) -> hawkari_app::incident_import::ImportReport {
    let report = app
        .app
        .import_incidents(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(file.as_bytes().to_vec()),
            &format,
            &release(),
            &hawkari_app::incident_import::ImportOptions { allow_outside_iraq },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        report.read,
        report.stored + report.updated + report.unchanged + report.rejected_rows,
        "every row read is stored, updated, unchanged or rejected: {report:?}"
    );
    report
}

/// (line, column) of each rejection, in the file's order.
fn rejected(report: &hawkari_app::incident_import::ImportReport) -> Vec<(u64, &str)> {
    report
        .rejected
        .iter()
        .map(|r| (r.line, r.column.as_str()))
        .collect()
}

#[tokio::test]
async fn a_broken_quote_in_a_crlf_file_is_reported_and_the_good_rows_after_it_are_stored() {
    let app = seeded().await;
    let rows = [
        ACLED_HEADER.to_owned(),
        // Line 2: the notes open a quote that is never closed.
        acled_row(
            "IRQ2001",
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "\"Clash; the quote is never closed",
        ),
        acled_row(
            "IRQ2002",
            "2025-09-15",
            "Battles",
            "35.46",
            "44.39",
            "Good row after it",
        ),
        acled_row(
            "IRQ2003",
            "2025-09-16",
            "Battles",
            "35.46",
            "44.39",
            "\"Quoted, with a comma\"",
        ),
        // Lines 5 and 6: one row whose notes are rightly on two lines.
        acled_row(
            "IRQ2004",
            "2025-09-17",
            "Battles",
            "35.46",
            "44.39",
            "\"A note on two lines\r\nthe second line\"",
        ),
        acled_row(
            "IRQ2005",
            "2025-09-18",
            "Battles",
            "35.46",
            "44.39",
            "Plain",
        ),
        // Line 8: a bad date, reported on its true line.
        acled_row("IRQ2006", "2025-19-19", "Battles", "35.46", "44.39", "Bad"),
    ];
    let file = rows.join("\r\n") + "\r\n";
    let report = import(
        &app,
        &file,
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    assert_eq!(
        rejected(&report),
        [(2, "notes"), (8, "event_date")],
        "{:?}",
        report.rejected
    );
    assert!(
        report.rejected[0].reason.contains("quote"),
        "{:?}",
        report.rejected[0]
    );
    assert_eq!(
        (report.read, report.stored, report.rejected_rows),
        (6, 4, 2)
    );
    for id in ["irq2002", "irq2003", "irq2004", "irq2005"] {
        let r = app.get(&format!("/api/v1/incidents/acled-{id}-mopa")).await;
        assert_eq!(r.status(), StatusCode::OK, "{id}");
    }
    let two_lines = app.get_json("/api/v1/incidents/acled-irq2004-mopa").await;
    assert_eq!(
        two_lines["narrative"], "A note on two lines\nthe second line",
        "a quoted cell may hold a line break (kept as \\n)"
    );
    let comma = app.get_json("/api/v1/incidents/acled-irq2003-mopa").await;
    assert_eq!(comma["narrative"], "Quoted, with a comma");
}

#[tokio::test]
async fn a_quote_left_open_to_the_end_of_the_file_names_every_line_it_took() {
    let app = seeded().await;
    // The quote on line 2 is never closed and no later line has the header's 18 cells
    // (the rows below were cut short): they cannot be told from text, so each is read
    // as a row of its own and rejected by its line.
    let file = format!(
        "{ACLED_HEADER}\n{}\nIRQ3002,2025-09-15,2025,1\nIRQ3003,2025-09-16\n",
        acled_row(
            "IRQ3001",
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "\"never closed"
        )
    );
    let report = import(
        &app,
        &file,
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4], "{:?}", report.rejected);
    assert_eq!(report.rejected[0].column, "notes");
    assert_eq!((report.read, report.stored), (3, 0));
}

#[tokio::test]
async fn a_point_outside_iraq_is_rejected_unless_allowed_and_then_warned_of() {
    let app = seeded().await;
    let file = [
        ACLED_HEADER.to_owned(),
        // Aleppo, Syria.
        acled_row(
            "IRQ4001",
            "2025-09-14",
            "Battles",
            "36.2",
            "37.15",
            "Abroad",
        ),
        acled_row(
            "IRQ4002",
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "Kirkuk",
        ),
    ]
    .join("\n");
    let report = import(
        &app,
        &file,
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    assert_eq!(rejected(&report), [(2, "latitude, longitude")]);
    assert!(
        report.rejected[0]
            .reason
            .contains("is outside Iraq: no governorate contains it"),
        "the words operation sites use: {:?}",
        report.rejected[0]
    );
    assert_eq!((report.stored, report.rejected_rows), (1, 1));
    assert_eq!(
        app.get("/api/v1/incidents/acled-irq4001-mopa")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Allowed: stored with no admin units, and a warning for the row.
    let report = import_with(
        &app,
        &file,
        hawkari_app::incident_import::ImportFormat::Acled,
        true,
    )
    .await;
    assert_eq!(
        (report.stored, report.unchanged, report.rejected_rows),
        (1, 1, 0)
    );
    let warned: Vec<(u64, &str)> = report
        .warnings
        .iter()
        .map(|w| (w.line, w.column.as_str()))
        .collect();
    assert_eq!(warned, [(2, "latitude, longitude")]);
    let aleppo = app.get_json("/api/v1/incidents/acled-irq4001-mopa").await;
    assert_eq!(aleppo["admin_units"], json!({}), "no unit contains it");

    // The same in GeoJSON, named by the feature's coordinates.
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "g1", "geometry": {"type": "Point", "coordinates": [37.15, 36.2]}, "properties": {"type": "ied", "when": "2025-10-01"}},
      {"type": "Feature", "id": "g2", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]}, "properties": {"type": "ied", "when": "2025-10-01"}}
    ]}"#;
    let report = import(
        &app,
        geojson,
        hawkari_app::incident_import::ImportFormat::GeoJson,
    )
    .await;
    assert_eq!(rejected(&report), [(1, "geometry.coordinates")]);
    assert!(report.rejected[0].reason.contains("outside Iraq"));
    assert_eq!(report.stored, 1);
}

#[tokio::test]
async fn an_empty_type_is_rejected_naming_its_column_in_every_format() {
    let app = seeded().await;
    let acled = [
        ACLED_HEADER.to_owned(),
        acled_row("IRQ5001", "2025-09-14", "", "35.46", "44.39", "No type"),
        acled_row("IRQ5002", "2025-09-14", "Riots", "35.46", "44.39", "Riot"),
    ]
    .join("\n");
    let report = import(
        &app,
        &acled,
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    assert_eq!(rejected(&report), [(2, "event_type")]);
    assert_eq!(report.stored, 1, "a type ACLED has is stored (as `other`)");

    let ucdp = "id,type_of_violence,latitude,longitude,date_start\n601,,35.46,44.39,2025-09-01\n602,3,35.46,44.39,2025-09-01\n";
    let report = import(&app, ucdp, hawkari_app::incident_import::ImportFormat::Ucdp).await;
    assert_eq!(rejected(&report), [(2, "type_of_violence")]);
    assert_eq!(report.stored, 1);

    let mapping: hawkari_app::incident_import::ColumnMapping = serde_json::from_value(json!({
        "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y", "longitude": "x",
        "event_type": "what", "types": {"Roadside bomb": "ied"}, "unlisted_types": "other"
    }))
    .unwrap();
    let csv = "ref,day,y,x,what\nB-1,2025-10-01,35.0,44.4,\nB-2,2025-10-01,35.0,44.4,Roadside bomb\nB-3,2025-10-01,35.0,44.4,Car bomb\n";
    let report = import(
        &app,
        csv,
        hawkari_app::incident_import::ImportFormat::Mapped(Box::new(mapping)),
    )
    .await;
    assert_eq!(rejected(&report), [(2, "what")]);
    assert_eq!((report.read, report.stored), (3, 2));
    // A value the mapping does not list is stored as `other`, and said so.
    assert_eq!(
        app.get_json("/api/v1/incidents/jcc-b-3-mopa").await["type"],
        "other"
    );
    let warned: Vec<(u64, &str)> = report
        .warnings
        .iter()
        .map(|w| (w.line, w.column.as_str()))
        .collect();
    assert_eq!(warned, [(4, "what")]);
}

#[tokio::test]
async fn the_counts_add_up_when_one_row_has_several_problems_and_ids_repeat() {
    let app = seeded().await;
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "c1", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]},
       "properties": {"type": "ied", "when": "2025-10-01",
                      "casualties": [{"party": "civilians", "killed": {"low": 5, "best": 2, "high": 3}}],
                      "sources": [{"publisher": "X", "title": "Y", "reliability": "B", "credibility": 7}]}},
      {"type": "Feature", "id": "c2", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]}, "properties": {"type": "ied", "when": "2025-10-01"}},
      {"type": "Feature", "id": "c2", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]}, "properties": {"type": "arson", "when": "2025-10-01"}}
    ]}"#;
    let report = import(
        &app,
        geojson,
        hawkari_app::incident_import::ImportFormat::GeoJson,
    )
    .await;
    assert_eq!(
        rejected(&report),
        [
            (1, "casualties[0].killed"),
            (1, "sources[0].credibility"),
            (3, "id")
        ]
    );
    assert_eq!(
        (report.read, report.stored, report.rejected_rows),
        (3, 1, 2)
    );

    // A repeated id far apart (another batch) is refused the same way as one close by.
    let mut rows = vec![ACLED_HEADER.to_owned()];
    for i in 0..1200 {
        rows.push(acled_row(
            &format!("IRQ7{i:04}"),
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "Batch",
        ));
    }
    rows.push(acled_row(
        "IRQ70000",
        "2025-09-20",
        "Battles",
        "35.46",
        "44.39",
        "Again",
    ));
    let report = import(
        &app,
        &rows.join("\n"),
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    assert_eq!(rejected(&report), [(1202, "id")]);
    assert!(
        report.rejected[0].reason.contains("line 2"),
        "{:?}",
        report.rejected[0]
    );
    assert_eq!((report.read, report.stored), (1201, 1200));
    assert_eq!(
        app.get_json("/api/v1/incidents/acled-irq70000-mopa").await["narrative"],
        "Batch",
        "the first is kept"
    );
}

fn election() -> Value {
    json!({
        "names": {"en": "Election security"}, "start": "2025-11-01", "end": "2025-11-15",
        "lead_org_id": "iraqi-army", "owner_org_id": "iraqi-army", "sites": []
    })
}

async fn post_sites(app: &TestApp, id: &str, csv: &str) -> Value {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/operations/{id}/sites.csv")))
        .header("authorization", app.bearer("iraqi-army").await)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    let n = |k: &str| report[k].as_u64().unwrap();
    assert_eq!(
        n("read"),
        n("added") + n("updated") + n("unchanged") + n("rejected_rows"),
        "{report}"
    );
    report
}

#[tokio::test]
async fn the_site_csv_import_reads_past_a_broken_quote_and_counts_unchanged_rows() {
    let app = seeded().await;
    let op = app.create("/api/v1/operations", election()).await;
    let id = op["id"].as_str().unwrap().to_owned();
    let csv = "key,name_en,kind,latitude,longitude,lead_org_id\r\n\
        kirkuk-1,\"Kirkuk polling centre 1,polling_centre,35.468,44.392,iraqi-army\r\n\
        kirkuk-2,Kirkuk polling centre 2,polling_centre,35.47,44.39,iraqi-army\r\n\
        kirkuk-3,\"Kirkuk, polling centre 3\",polling_centre,35.47,44.39,iraqi-army\r\n\
        tuz-1,Tuz Khurmatu,polling_centre,34.886,44.633,\r\n";
    let report = post_sites(&app, &id, csv).await;
    let rejected: Vec<(u64, &str)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(rejected, [(2, "name_en")], "{report}");
    assert_eq!(
        (report["read"].as_u64(), report["added"].as_u64()),
        (Some(4), Some(3))
    );
    let after = app.get_json(&format!("/api/v1/operations/{id}")).await;
    let keys: Vec<&str> = after["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["kirkuk-2", "kirkuk-3", "tuz-1"]);

    // The same rows again change nothing, and say so.
    let again = post_sites(&app, &id, csv).await;
    assert_eq!(
        (
            again["added"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(3)),
        "{again}"
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/operations/{id}")).await["version"],
        2,
        "nothing to write, no new version"
    );
}

#[tokio::test]
async fn a_dataset_naming_one_id_twice_is_refused_naming_both() {
    let app = seeded().await;
    let org = |names: &str| {
        json!({"id": "x-force", "names": {"en": names}, "kind": "federal", "owner_org_id": "x-force",
               "version": 1, "created_by": "t", "created_at": "2025-01-01T00:00:00Z",
               "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"})
    };
    let doc = json!({"format": "hawkari-dataset", "format_version": 1,
                     "organisations": [org("First"), org("Second")]});
    let err = app
        .app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(serde_json::to_vec(&doc).unwrap()),
            |_| {},
        )
        .await
        .unwrap_err();
    let hawkari_app::AppError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    let fields: Vec<&str> = v.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["organisations[1].id"]);
    assert!(
        v.errors[0].message.contains("organisations[0]"),
        "{:?}",
        v.errors
    );
    assert_eq!(
        app.get("/api/v1/organisations/x-force").await.status(),
        StatusCode::NOT_FOUND,
        "nothing was imported"
    );
}

#[tokio::test]
async fn a_source_id_held_by_another_incident_rejects_that_row_not_the_whole_import() {
    let app = seeded().await;
    // An ACLED event recorded by hand, with its source id, before the file came in.
    app.create(
        "/api/v1/incidents",
        json!({"when": "2025-09-14", "point": {"lat": 35.46, "lon": 44.39}, "type": "armed_clash",
               "external_id": "acled:IRQ9001", "owner_org_id": "mopa", "release_groups": ["all_partners"]}),
    )
    .await;
    let file = [
        ACLED_HEADER.to_owned(),
        acled_row(
            "IRQ9000",
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "Before",
        ),
        acled_row("IRQ9001", "2025-09-14", "Battles", "35.46", "44.39", "Held"),
        acled_row(
            "IRQ9002",
            "2025-09-14",
            "Battles",
            "35.46",
            "44.39",
            "After",
        ),
    ]
    .join("\n");
    let report = import(
        &app,
        &file,
        hawkari_app::incident_import::ImportFormat::Acled,
    )
    .await;
    assert_eq!(rejected(&report), [(3, "event_id_cnty")]);
    assert!(
        report.rejected[0].reason.contains("acled:IRQ9001"),
        "{:?}",
        report.rejected
    );
    assert_eq!((report.read, report.stored), (3, 2));

    // Found by fuzzing (geojson): a source id with a space at its end made an id of its
    // own (`acled-irq9000--mopa`) but the same stored key as IRQ9000's, and the store's
    // unique index then failed the whole import.
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]},
       "properties": {"type": "ied", "when": "2025-10-01", "external_id": "acled:IRQ9000 "}}
    ]}"#;
    let report = import(
        &app,
        geojson,
        hawkari_app::incident_import::ImportFormat::GeoJson,
    )
    .await;
    assert_eq!(
        (report.updated, report.rejected_rows),
        (1, 0),
        "the same event as the CSV row: {:?}",
        report.rejected
    );
    assert_eq!(
        app.get_json("/api/v1/incidents/acled-irq9000-mopa").await["type"],
        "ied"
    );
}

#[tokio::test]
async fn warnings_come_in_the_file_s_order_when_some_rows_are_unchanged() {
    // Found by fuzzing (every incident target): an unchanged row's warnings were listed
    // at once, those of the rows written with it after the batch, so a re-import could
    // list line 3 before line 2.
    let app = seeded().await;
    let mapping = || -> hawkari_app::incident_import::ImportFormat {
        hawkari_app::incident_import::ImportFormat::Mapped(Box::new(
            serde_json::from_value(json!({
                "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y",
                "longitude": "x", "event_type": "what", "narrative": "text",
                "unlisted_types": "other"
            }))
            .unwrap(),
        ))
    };
    let first = "ref,day,y,x,what,text\nW-1,2025-10-01,35.0,44.4,Car bomb,First\nW-2,2025-10-01,35.0,44.4,Car bomb,Second\n";
    let report = import(&app, first, mapping()).await;
    assert_eq!(report.stored, 2);
    let again = "ref,day,y,x,what,text\nW-1,2025-10-01,35.0,44.4,Car bomb,First corrected\nW-2,2025-10-01,35.0,44.4,Car bomb,Second\n";
    let report = import(&app, again, mapping()).await;
    assert_eq!((report.updated, report.unchanged), (1, 1));
    let lines: Vec<u64> = report.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [2, 3]);
}

#[tokio::test]
async fn a_dataset_whose_incidents_share_a_source_id_is_refused_saying_so() {
    let app = seeded().await;
    let incident = |id: &str| {
        json!({"id": id, "when": "2025-09-14", "point": {"lat": 35.46, "lon": 44.39},
               "type": "ied", "external_id": "acled:IRQ1", "owner_org_id": "mopa",
               "version": 1, "created_by": "t", "created_at": "2025-01-01T00:00:00Z",
               "updated_by": "t", "updated_at": "2025-01-01T00:00:00Z"})
    };
    let doc = json!({"format": "hawkari-dataset", "format_version": 1,
                     "incidents": [incident("first"), incident("second")]});
    let err = app
        .app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(serde_json::to_vec(&doc).unwrap()),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, hawkari_app::AppError::Conflict(m) if m.contains("source id (external_id)")),
        "{err:?}"
    );
    assert_eq!(
        app.get("/api/v1/incidents/first").await.status(),
        StatusCode::NOT_FOUND,
        "nothing was imported"
    );
}
