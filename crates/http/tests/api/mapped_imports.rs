//! A mapping a new user can write (issue 14): a spreadsheet export with Windows line
//! endings, no id column, counts written `6.0`, `1,200` or in Arabic-Indic digits, dates
//! in the source's own format, place precision from a column and a type from two columns
//! imports as it should — and again without a change; what it cannot take is said once,
//! by line and column.

use hawkari_app::AppError;
use hawkari_app::incident_import::{ImportFormat, ImportReport};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed_registry().await;
    app
}

fn mapped(mapping: Value) -> ImportFormat {
    ImportFormat::Mapped(Box::new(serde_json::from_value(mapping).unwrap()))
}

async fn try_import(
    app: &TestApp,
    file: &str,
    format: ImportFormat,
) -> Result<ImportReport, AppError> {
    app.app
        .import_incidents(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(file.as_bytes().to_vec()),
            &format,
            &hawkari_app::incident_import::ImportRelease {
                owner: "mopa".parse().unwrap(),
                releasable_to: vec![],
                groups: vec![hawkari_core::access::ReleaseGroup::AllPartners],
            },
            &Default::default(),
            |_| {},
        )
        .await
}

async fn import(app: &TestApp, file: &str, format: ImportFormat) -> ImportReport {
    let report = try_import(app, file, format).await.unwrap();
    assert!(report.accounts_for_every_row(), "{report:?}");
    report
}

/// (line, column, reason) of each rejection.
fn rejected(report: &ImportReport) -> Vec<(u64, String, String)> {
    report
        .rejected
        .iter()
        .map(|r| (r.line, r.column.clone(), r.reason.clone()))
        .collect()
}

/// The incidents of a type, as the API lists them.
async fn of_type(app: &TestApp, t: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/incidents?type={t}&limit=50"))
        .await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn gtd_mapping() -> Value {
    json!({
        "id_prefix": "gtd",
        "date": "date", "date_formats": ["%d/%m/%Y", "%m/%Y"],
        "latitude": "lat", "longitude": "lon",
        "location_precision": {"column": "precision", "values": {"1": "exact", "2": "near", "3": "district"}},
        "event_type": "attack_type",
        "types": {"Bombing/Explosion": "ied", "Armed Assault": "hit_and_run"},
        "type_rules": [{"when": {"attack_type": "Bombing/Explosion", "suicide": "1"}, "type": "suicide_bombing"}],
        "fatalities": "killed", "wounded": "wounded", "place_name": "city", "narrative": "summary",
        "governorate": "governorate", "district": "district"
    })
}

/// A GTD-like export, as a spreadsheet saves it on Windows: CRLF, no id column.
fn gtd_file() -> String {
    [
        "date,governorate,district,city,lat,lon,precision,attack_type,suicide,killed,wounded,summary",
        // 2: a suicide bombing (two columns make the type), counts as pandas and Excel write them.
        "14/03/2015,Dihok,,Zakho,37.14,42.68,1,Bombing/Explosion,1,6.0,\"1,200\",Checkpoint attack",
        // 3: Arabic-Indic digits; the old name of Kirkuk governorate.
        "15/03/2015,At Tamim,,Kirkuk,35.46,44.39,2,Bombing/Explosion,0,٣,,Roadside bomb",
        // 4–5: one row, its summary on two lines.
        "16/03/2015,Salahuddin,Tuz Khurmato,Tuz,34.88,44.63,3,Armed Assault,0,2,1,\"Attack on a\r\ncheckpoint\"",
        // 6: half a death is not a count.
        "17/03/2015,Kirkuk,,Kirkuk,35.46,44.39,1,Armed Assault,0,6.5,,Half",
        // 7, 8: a type the mapping does not list.
        "18/03/2015,Kirkuk,,Kirkuk,35.46,44.39,1,Hijacking,0,0,0,Unlisted",
        "19/03/2015,Kirkuk,,Kirkuk,35.47,44.39,1,Hijacking,0,0,0,Unlisted again",
        // 9, 10: a governorate spelling the gazetteer does not know, and a town it does
        // not know either; a month only.
        "20/03/2015,Narnia,,Qaryat Nowhere,36.34,43.13,1,Armed Assault,0,1,0,",
        "03/2015,Narnia,,Mosul,36.35,43.13,1,Armed Assault,0,0,0,Month only",
    ]
    .join("\r\n")
}

#[tokio::test]
async fn a_spreadsheet_export_without_an_id_column_imports_through_a_mapping_and_again_unchanged() {
    let app = seeded().await;
    let report = import(&app, &gtd_file(), mapped(gtd_mapping())).await;
    assert_eq!(
        (report.read, report.stored, report.rejected_rows),
        (8, 5, 3),
        "{report:?}"
    );
    let unlisted = "`Hijacking` is not in the mapping's types (add it there, or set \"unlisted_types\": \"other\" to store such rows as `other`)";
    assert_eq!(
        rejected(&report),
        [
            (
                6,
                "killed".to_owned(),
                "`6.5` is not a whole number".to_owned()
            ),
            (7, "attack_type".to_owned(), unlisted.to_owned()),
            (8, "attack_type".to_owned(), unlisted.to_owned()),
        ]
    );
    // Spellings the gazetteer does not know: once, with their count (Dihok, At Tamim,
    // Salahuddin and Tuz Khurmato are known units; Zakho, Kirkuk, Tuz and Mosul are known
    // towns).
    let unmatched: Vec<(&str, &str, u64, u64)> = report
        .unmatched
        .iter()
        .map(|u| (u.column.as_str(), u.value.as_str(), u.rows, u.first_line))
        .collect();
    assert_eq!(
        unmatched,
        [
            ("governorate", "Narnia", 2, 9),
            ("city", "Qaryat Nowhere", 1, 9)
        ]
    );

    let suicide = of_type(&app, "suicide_bombing").await;
    assert_eq!(suicide.len(), 1);
    let s = &suicide[0];
    assert_eq!(s["when"]["value"], "2015-03-14");
    assert_eq!(s["casualties"][0]["killed"]["best"], 6);
    assert_eq!(s["casualties"][0]["injured"]["best"], 1200);
    assert_eq!(s["location_precision"], "exact");
    assert_eq!(s["place_name"], "Zakho");
    assert!(
        s["external_id"].as_str().unwrap().starts_with("gtd:row-"),
        "keyed by the row's content: {}",
        s["external_id"]
    );
    let ied = of_type(&app, "ied").await;
    assert_eq!(ied.len(), 1);
    assert_eq!(ied[0]["casualties"][0]["killed"]["best"], 3, "٣ is 3");
    assert_eq!(ied[0]["location_precision"], "near");
    let mut assaults = of_type(&app, "hit_and_run").await;
    assaults.sort_by_key(|i| i["when"]["value"].as_str().unwrap().to_owned());
    let whens: Vec<&str> = assaults
        .iter()
        .map(|i| i["when"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(whens, ["2015-03", "2015-03-16", "2015-03-20"]);
    assert_eq!(assaults[1]["narrative"], "Attack on a\ncheckpoint");
    assert_eq!(assaults[1]["location_precision"], "district");
    assert_eq!(assaults[1]["admin_units"]["district"], "IQG16Q07");

    // The same file again: the same keys, nothing new, nothing changed.
    let again = import(&app, &gtd_file(), mapped(gtd_mapping())).await;
    assert_eq!(
        (
            again.read,
            again.stored,
            again.updated,
            again.unchanged,
            again.rejected_rows
        ),
        (8, 0, 0, 5, 3)
    );
}

#[tokio::test]
async fn unlisted_types_are_stored_as_other_only_when_the_mapping_says_so() {
    let app = seeded().await;
    let mut mapping = gtd_mapping();
    mapping["unlisted_types"] = json!("other");
    let report = import(&app, &gtd_file(), mapped(mapping)).await;
    assert_eq!((report.stored, report.rejected_rows), (7, 1));
    assert_eq!(of_type(&app, "other").await.len(), 2);
    let warned: Vec<(u64, &str)> = report
        .warnings
        .iter()
        .map(|w| (w.line, w.reason.as_str()))
        .collect();
    let why = "`Hijacking` is not in the mapping's types; stored as `other`";
    assert_eq!(warned, [(7, why), (8, why)]);
}

#[tokio::test]
async fn a_mapped_column_missing_from_the_header_refuses_the_file_before_any_row() {
    let app = seeded().await;
    let mut mapping = gtd_mapping();
    mapping["fatalities"] = json!("deaths");
    mapping["type_rules"][0]["when"]["suicide_flag"] = json!("1");
    let Err(AppError::Invalid(e)) = try_import(&app, &gtd_file(), mapped(mapping)).await else {
        panic!("the file is refused");
    };
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["mapping.fatalities", "mapping.type_rules[0].when"]);
    assert!(
        e.errors[0].message.starts_with(
            "the column `deaths` is not in the file's header (line 1: date, governorate,"
        ),
        "{e}"
    );
    assert!(
        of_type(&app, "hit_and_run").await.is_empty(),
        "nothing written"
    );
    // A mapping's own mistakes are named by their entry, all at once.
    let mut bad = gtd_mapping();
    bad["types"]["Armed Assault"] = json!("assault");
    bad["date_formats"] = json!(["%d/%m"]);
    let Err(AppError::Invalid(e)) = try_import(&app, &gtd_file(), mapped(bad)).await else {
        panic!("the mapping is refused");
    };
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["types.Armed Assault", "date_formats[0]"]);
}

#[tokio::test]
async fn ids_alike_in_their_first_fifty_characters_are_two_incidents() {
    let app = seeded().await;
    let long = "A".repeat(60);
    let file = format!(
        "ref,day,y,x,what\n{long}-1,2025-10-01,35.0,44.4,ied\n{long}-2,2025-10-01,35.0,44.4,ied\n"
    );
    let mapping = json!({
        "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y",
        "longitude": "x", "event_type": "what"
    });
    let report = import(&app, &file, mapped(mapping.clone())).await;
    assert_eq!((report.stored, report.rejected_rows), (2, 0), "{report:?}");
    let again = import(&app, &file, mapped(mapping)).await;
    assert_eq!(again.unchanged, 2);
}

#[tokio::test]
async fn lines_are_counted_true_in_a_file_of_mixed_line_endings_and_acled_counts_read_as_written() {
    let app = seeded().await;
    let header = "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities,time_precision,geo_precision,admin1";
    // Lines end \r\n, \n, \r, \r\n: each row is named by its own line.
    let file = format!(
        "{header}\r\nIRQ9001,2015-03-14,Battles,Armed clash,35.46,44.39,6.0,1.0,1,Tamim\nIRQ9002,2015-03-14,Battles,Armed clash,35.46,44.39,6.5,1,1,Kirkuk\rIRQ9003,2015-03-14,Battles,Armed clash,35.46,44.39,\"1,200\",1,2,Kirkuk\r\nIRQ9004,2015-03-14,Battles,Armed clash,35.46,44.39,x,1,1,Dihok\n"
    );
    let report = import(&app, &file, ImportFormat::Acled).await;
    assert_eq!(
        rejected(&report),
        [
            (
                3,
                "fatalities".to_owned(),
                "`6.5` is not a whole number".to_owned()
            ),
            (
                5,
                "fatalities".to_owned(),
                "`x` is not a whole number".to_owned()
            ),
        ]
    );
    assert_eq!(report.stored, 2);
    assert!(report.unmatched.is_empty(), "{:?}", report.unmatched);
    let i = app.get_json("/api/v1/incidents/acled-irq9003-mopa").await;
    assert_eq!(i["casualties"][0]["killed"]["best"], 1200);
    assert_eq!(i["location_precision"], "sub_district");
    let i = app.get_json("/api/v1/incidents/acled-irq9001-mopa").await;
    assert_eq!(i["casualties"][0]["killed"]["best"], 6);
    // A missing column ACLED cannot do without refuses the file, naming it.
    let Err(AppError::Invalid(e)) = try_import(
        &app,
        "event_id_cnty,event_date,event_type,latitude\nIRQ1,2015-03-14,Battles,35.4\n",
        ImportFormat::Acled,
    )
    .await
    else {
        panic!("refused");
    };
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["longitude"]);
}

#[tokio::test]
async fn a_row_without_an_id_is_the_same_incident_with_the_columns_reordered_and_identical_rows_are_one()
 {
    let app = seeded().await;
    let mapping = json!({
        "id_prefix": "jcc", "date": "day", "latitude": "y", "longitude": "x", "event_type": "what"
    });
    let file = "day,y,x,what\n2025-10-01,35.0,44.4,ied\n2025-10-01,35.0,44.4,ied\n2025-10-02,35.0,44.4,ied\n";
    let report = import(&app, file, mapped(mapping.clone())).await;
    assert_eq!((report.stored, report.rejected_rows), (2, 1));
    assert_eq!(report.rejected[0].line, 3);
    assert!(
        report.rejected[0]
            .reason
            .contains("is also the id of line 2"),
        "{:?}",
        report.rejected
    );
    let reordered = "what,x,day,y\nied,44.4,2025-10-02,35.0\nied,44.4,2025-10-01,35.0\n";
    let again = import(&app, reordered, mapped(mapping)).await;
    assert_eq!((again.stored, again.unchanged), (0, 2), "{again:?}");
}

#[tokio::test]
async fn date_and_place_precision_come_fixed_or_from_a_column_and_an_unknown_code_is_named() {
    let app = seeded().await;
    let mapping = json!({
        "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y",
        "longitude": "x", "event_type": "what",
        "date_precision": {"column": "tp", "values": {"1": "day", "2": "week", "3": "month"}},
        "location_precision": "district"
    });
    let file = "ref,day,y,x,what,tp\nP-1,2025-10-15,35.0,44.4,ied,1\nP-2,2025-10-15,35.0,44.4,ied,2\nP-3,2025-10-15,35.0,44.4,ied,3\nP-4,2025-10-15,35.0,44.4,ied,year\nP-5,2025-10-15,35.0,44.4,ied,9\nP-6,2025-10,35.0,44.4,ied,1\n";
    let report = import(&app, file, mapped(mapping)).await;
    assert_eq!(
        rejected(&report),
        [(
            6,
            "tp".to_owned(),
            "`9` is not one of the mapping's date_precision values (1, 2, 3)".to_owned()
        )]
    );
    let when = |i: Value| {
        (
            i["when"]["value"].as_str().unwrap().to_owned(),
            i["location_precision"].as_str().unwrap().to_owned(),
        )
    };
    let got = [
        when(app.get_json("/api/v1/incidents/jcc-p-1-mopa").await),
        when(app.get_json("/api/v1/incidents/jcc-p-2-mopa").await),
        when(app.get_json("/api/v1/incidents/jcc-p-3-mopa").await),
        when(app.get_json("/api/v1/incidents/jcc-p-4-mopa").await),
        when(app.get_json("/api/v1/incidents/jcc-p-6-mopa").await),
    ];
    let d = "district".to_owned();
    assert_eq!(
        got,
        [
            ("2025-10-15".to_owned(), d.clone()),
            ("2025-10-12/2025-10-18".to_owned(), d.clone()),
            ("2025-10".to_owned(), d.clone()),
            // A cell holding a precision's own code needs no entry in `values`.
            ("2025".to_owned(), d.clone()),
            // A day precision does not make a month's date more precise.
            ("2025-10".to_owned(), d),
        ]
    );
}

#[tokio::test]
async fn ucdp_rows_as_its_csv_writes_them_import_with_their_day_and_type() {
    let app = seeded().await;
    let file = "id,type_of_violence,latitude,longitude,date_start,date_end,best,adm_1\n\
                701,1.0,35.46,44.39,2017-01-01 00:00:00.000,2017-01-02 00:00:00.000,4.0,Kirkuk province\n\
                702,3,35.46,44.39,2017-01-03 00:00:00.000,,,\n";
    let report = import(&app, file, ImportFormat::Ucdp).await;
    assert_eq!((report.stored, report.rejected_rows), (2, 0), "{report:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.unmatched.is_empty(), "{:?}", report.unmatched);
    let i = app.get_json("/api/v1/incidents/ucdp-701-mopa").await;
    assert_eq!(i["type"], "armed_clash");
    assert_eq!(i["when"]["value"], "2017-01-01/2017-01-02");
    assert_eq!(i["casualties"][0]["killed"]["best"], 4);
    let i = app.get_json("/api/v1/incidents/ucdp-702-mopa").await;
    assert_eq!(i["when"]["value"], "2017-01-03");
}
