//! Incident imports in the browser, posted as a browser posts them: an ACLED file with a
//! bad row and a point outside Iraq previewed (nothing written), imported in the
//! background, summed up, and its rejected rows downloaded with their true lines; a
//! generic CSV mapped column by column; a job seen by its user alone; a viewer refused;
//! a file over the limit refused with the limit named.

use std::time::Duration;

use hawkari_core::access::Role;
use hawkari_http::HttpConfig;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::web_forms::{form_fields, page, post_form};

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";

fn acled_row(id: &str, date: &str, lat: &str, lon: &str) -> String {
    format!(
        "{id},{date},2025,1,Political violence,Battles,Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,{lat},{lon},1,K24,notes of {id},2"
    )
}

/// Lines 2 and 5 good (line 5's governorate in a spelling the gazetteer does not know);
/// line 3 a date that is none; line 4 a point in Iran.
fn acled_file() -> String {
    [
        ACLED_HEADER.to_owned(),
        acled_row("IRQ9001", "2025-05-01", "35.4681", "44.3922"),
        acled_row("IRQ9002", "not a date", "35.4681", "44.3922"),
        acled_row("IRQ9003", "2025-05-02", "35.6892", "51.3890"),
        acled_row("IRQ9004", "2025-05-03", "35.47", "44.40")
            .replace(",Kirkuk,Kirkuk,Kirkuk,", ",Kerkook Gov,Kirkuk,Kirkuk,"),
    ]
    .join("\r\n")
}

/// Posts the upload form (multipart, as a browser does a form with a file input).
async fn upload(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    format: &str,
    name: &str,
    file: &str,
) -> (StatusCode, String, String) {
    let boundary = "----hawkari-import-boundary";
    let mut body = String::new();
    for (k, v) in [("csrf_token", csrf), ("format", format)] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/imports"))
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

fn set(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    fields.retain(|(k, _)| k != key);
    fields.push((key.into(), value.into()));
}

/// The job's progress section once the import has finished.
async fn finished(app: &TestApp, cookie: &str, job: &str) -> String {
    for _ in 0..100 {
        let (status, html) = page(app, cookie, &format!("{job}/progress")).await;
        assert_eq!(status, StatusCode::OK);
        if html.contains("Import finished") {
            return html;
        }
        assert!(!html.contains("Import stopped"), "{html}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

async fn incident(app: &TestApp, id: &str) -> Option<Value> {
    let r = app.get(&format!("/api/v1/incidents/{id}")).await;
    match r.status() {
        StatusCode::OK => Some(r.json().await.unwrap()),
        StatusCode::NOT_FOUND => None,
        other => panic!("{other}"),
    }
}

/// `<dt>{label}</dt><dd>{n}</dd>` in the counts.
fn count(html: &str, label: &str) -> String {
    let at = html
        .find(&format!("<dt>{label}</dt><dd>"))
        .unwrap_or_else(|| panic!("no {label} in {html}"));
    let rest = &html[at + label.len() + 13..];
    rest[..rest.find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn an_acled_file_is_previewed_without_writing_then_imported_with_its_rejected_rows_by_line() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, html) = page(&app, &cookie, "/imports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("href=\"/imports\""),
        "the navigation links it"
    );
    assert!(html.contains("enctype=\"multipart/form-data\""));

    let (status, job, _) = upload(
        &app,
        &cookie,
        &csrf,
        "acled",
        "acled-kirkuk.csv",
        &acled_file(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(job.starts_with("/imports/"), "{job}");

    // The preview: every row, as stored or why not, and nothing written.
    let (status, html) = page(&app, &cookie, &job).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("4 rows read (lines); 2 would be rejected"),
        "{html}"
    );
    assert!(html.contains("acled-irq9001-mopa"), "the id as stored");
    assert!(
        html.contains("event_date: `not a date` is not a date"),
        "{html}"
    );
    assert!(
        html.contains("latitude, longitude:"),
        "the point outside Iraq is named"
    );
    assert!(html.contains("Kirkuk"), "admin units derived");
    assert!(
        html.contains("<li><bdi>Kerkook Gov</bdi> — admin1: 1 rows, the first at line 5</li>"),
        "the preview names the spelling the gazetteer does not know: {html}"
    );
    assert!(
        incident(&app, "acled-irq9001-mopa").await.is_none(),
        "the preview wrote nothing"
    );

    // Import, released to all partners.
    let mut f = form_fields(&html, &job);
    f.push(("release_group".into(), "all_partners".into()));
    f.push(("step".into(), "run".into()));
    let (status, _) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let summary = finished(&app, &cookie, &job).await;
    assert_eq!(count(&summary, "Stored"), "2");
    assert_eq!(count(&summary, "Rejected"), "2");
    assert_eq!(count(&summary, "Updated"), "0");
    assert!(summary.contains("4 of 4 rows"), "{summary}");
    // A spelling the gazetteer does not know, once with its count.
    assert!(
        summary.contains("<li><bdi>Kerkook Gov</bdi> — admin1: 1 rows, the first at line 5</li>"),
        "{summary}"
    );
    // The page itself shows the summary and stops refreshing.
    let (_, html) = page(&app, &cookie, &job).await;
    assert!(html.contains("Import finished") && !html.contains("http-equiv=\"refresh\""));

    // The report: the file's true lines (CRLF line ends), the column, the reason.
    let r = app
        .client
        .get(app.url(&format!("{job}/rejected.csv")))
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
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("acled-kirkuk-rejected-rows.csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,column,reason");
    assert!(lines[1].starts_with("3,event_date,"), "{csv}");
    assert!(lines[2].starts_with("4,\"latitude, longitude\","), "{csv}");
    assert!(lines[2].contains("outside Iraq"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");

    // Stored through the use case: owned by the ministry, released as chosen, audited.
    let i = incident(&app, "acled-irq9004-mopa").await.expect("stored");
    assert_eq!(i["owner_org_id"], "mopa");
    assert_eq!(i["release_groups"][0], "all_partners");
    assert_eq!(i["created_by"], "mopa-clerk");
    assert!(incident(&app, "acled-irq9003-mopa").await.is_none());
}

#[tokio::test]
async fn a_job_is_its_users_alone_and_a_viewer_is_offered_no_import() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (_, job, _) = upload(&app, &cookie, &csrf, "acled", "a.csv", &acled_file()).await;
    let (status, _) = page(&app, &cookie, &job).await;
    assert_eq!(status, StatusCode::OK);
    let (colleague, colleague_csrf) = app.web_session("mopa-other", "mopa", Role::Editor).await;
    let (army, _) = app
        .web_session("army-clerk", "iraqi-army", Role::OrgAdmin)
        .await;
    for cookie in [&colleague, &army] {
        for path in [
            job.clone(),
            format!("{job}/progress"),
            format!("{job}/rejected.csv"),
        ] {
            let (status, html) = page(&app, cookie, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!html.contains("a.csv"));
        }
        // An id that never was answers the same.
        let (status, _) = page(&app, cookie, "/imports/00000000000000000000000000000000").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, html) = page(&app, cookie, "/imports").await;
        assert!(!html.contains(&job), "not in their list");
    }
    // Nor can they start it.
    let f = vec![
        ("csrf_token".to_owned(), colleague_csrf),
        ("step".to_owned(), "run".to_owned()),
    ];
    let (status, _) = post_form(&app, &colleague, &job, &f).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = page(&app, &cookie, &job).await;
    assert!(html.contains("Preview"), "still not started");

    let (viewer, viewer_csrf) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let (status, html) = page(&app, &viewer, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("href=\"/imports\""), "no link for a viewer");
    let (status, _) = page(&app, &viewer, "/imports").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = upload(&app, &viewer, &viewer_csrf, "acled", "a.csv", &acled_file()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_generic_csv_is_mapped_column_by_column_previewed_and_imported() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let file = "ref,day,y,x,what,killed,hurt,village,group,text,src\n\
                R-1,2025-06-01,35.4681,44.3922,Roadside bomb,1,3,Laylan,ISIS,A device on the road,JCC\n\
                R-2,2025-06-02,35.47,44.40,Rocket,0,0,,,,\n\
                R-3,2025-06-03,35.47,44.40,,0,0,,,,\n";
    let (status, job, _) = upload(&app, &cookie, &csrf, "mapped", "jcc log.csv", file).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = page(&app, &cookie, &job).await;
    assert_eq!(status, StatusCode::OK);
    // Every column is offered for each field; those whose names say so are chosen.
    for col in [
        "ref", "day", "y", "x", "what", "killed", "hurt", "village", "group", "text", "src",
    ] {
        assert!(html.contains(&format!("<option value=\"{col}\"")), "{col}");
    }
    let mut f = form_fields(&html, &job);
    let chosen = |f: &[(String, String)], k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(chosen(&f, "col_external_id"), "ref");
    assert_eq!(chosen(&f, "col_date"), "day");
    assert_eq!(chosen(&f, "col_latitude"), "y");
    assert_eq!(chosen(&f, "col_longitude"), "x");
    assert_eq!(chosen(&f, "col_event_type"), "what");
    assert_eq!(chosen(&f, "col_place_name"), "village");
    assert_eq!(chosen(&f, "col_wounded"), "", "`hurt` is not guessed");
    assert_eq!(chosen(&f, "id_prefix"), "jcc-log");
    // The values of the type column are offered, each for a type.
    assert!(html.contains("name=\"t1_value\""), "{html}");
    assert!(html.contains("Roadside bomb"));

    // A required column left out is named at its field; nothing is written.
    set(&mut f, "col_date", "");
    set(&mut f, "step", "preview");
    let (status, html) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"col_date-error\""), "{html}");

    // The mapping completed: the wounded and the types chosen, then previewed.
    set(&mut f, "col_date", "day");
    set(&mut f, "col_wounded", "hurt");
    set(&mut f, "id_prefix", "jcc");
    let values: Vec<(String, String)> = f
        .iter()
        .filter(|(k, _)| k.ends_with("_value"))
        .cloned()
        .collect();
    for (k, v) in values {
        let n = k.trim_end_matches("_value");
        let code = match v.as_str() {
            "Roadside bomb" => "ied",
            "Rocket" => "indirect_fire",
            _ => "",
        };
        set(&mut f, &format!("{n}_code"), code);
    }
    let (status, html) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("3 rows read (lines); 1 would be rejected"),
        "{html}"
    );
    assert!(html.contains("jcc-r-1-mopa"));
    assert!(html.contains("1 killed, 3 wounded"), "{html}");
    assert!(html.contains("what: is empty or missing"), "{html}");
    assert!(
        incident(&app, "jcc-r-1-mopa").await.is_none(),
        "the preview wrote nothing"
    );

    let mut f = form_fields(&html, &job);
    set(&mut f, "step", "run");
    let (status, _) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let summary = finished(&app, &cookie, &job).await;
    assert_eq!(count(&summary, "Stored"), "2");
    assert_eq!(count(&summary, "Rejected"), "1");
    let i = incident(&app, "jcc-r-1-mopa").await.expect("stored");
    assert_eq!(i["type"], "ied");
    assert_eq!(i["place_name"], "Laylan");
    assert_eq!(i["casualties"][0]["killed"]["best"], 1);
    assert_eq!(i["casualties"][0]["injured"]["best"], 3);
    assert_eq!(i["external_id"], "jcc:R-1");
    let r = incident(&app, "jcc-r-2-mopa").await.expect("stored");
    assert_eq!(r["type"], "indirect_fire");
    let csv = app
        .client
        .get(app.url(&format!("{job}/rejected.csv")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("4,what,"), "{csv}");
}

/// Everything a mapping file says, said on the web's mapping step: day/month/year dates
/// (and month/year), the place's precision from a column with its codes, a type from two
/// columns, the governorate as the source spells it. The page shows the choices again as
/// they were made (so previewing twice changes nothing), and the import stores what they
/// say.
#[tokio::test]
async fn the_mapping_step_takes_date_formats_precision_codes_type_rules_and_admin_columns() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let file = "date,governorate,lat,lon,precision,attack_type,suicide,killed\n\
                14/03/2015,Dihok,37.14,42.68,2,Bombing/Explosion,1,6.0\n\
                15/03/2015,Narnia,35.46,44.39,3,Bombing/Explosion,0,3\n\
                03/2015,Kirkuk,35.47,44.39,9,Armed Assault,0,0\n";
    let (_, job, _) = upload(&app, &cookie, &csrf, "mapped", "gtd.csv", file).await;
    let (_, html) = page(&app, &cookie, &job).await;
    let mut f = form_fields(&html, &job);
    let chosen = |f: &[(String, String)], k: &str| -> Vec<String> {
        f.iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(chosen(&f, "col_governorate"), ["governorate"], "guessed");
    set(&mut f, "col_event_type", "attack_type");
    f.push(("date_format".into(), "%d/%m/%Y".into()));
    f.push(("date_format".into(), "%m/%Y".into()));
    set(&mut f, "col_location_precision", "precision");
    set(
        &mut f,
        "location_precision_values",
        "1=exact, 2=near, 3=district",
    );
    set(&mut f, "r1_c1", "attack_type");
    set(&mut f, "r1_v1", "Bombing/Explosion");
    set(&mut f, "r1_c2", "suicide");
    set(&mut f, "r1_v2", "1");
    set(&mut f, "r1_type", "suicide_bombing");
    set(&mut f, "id_prefix", "gtd");
    set(&mut f, "step", "preview");
    let (status, html) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // Line 4's precision code is not one the mapping gives: that row would be rejected,
    // named by its column.
    assert!(
        html.contains("3 rows read (lines); 1 would be rejected"),
        "{html}"
    );
    assert!(html.contains("Narnia"), "the unknown governorate is listed");
    // The page shows the choices as they were made.
    let shown = form_fields(&html, &job);
    assert_eq!(chosen(&shown, "date_format"), ["%d/%m/%Y", "%m/%Y"]);
    for (k, v) in [
        ("col_location_precision", "precision"),
        ("location_precision_values", "1=exact, 2=near, 3=district"),
        ("r1_c1", "attack_type"),
        ("r1_v1", "Bombing/Explosion"),
        ("r1_c2", "suicide"),
        ("r1_v2", "1"),
        ("r1_type", "suicide_bombing"),
        ("col_governorate", "governorate"),
    ] {
        assert_eq!(chosen(&shown, k), [v], "{k}");
    }
    // A code that is not a precision is refused at its field, in Arabic for an Arabic
    // reader; nothing is written.
    let mut bad = shown.clone();
    set(&mut bad, "location_precision_values", "1=exact, 2=nearby");
    set(&mut bad, "step", "preview");
    let arabic = format!("{cookie}; hawkari_lang=ar");
    let (status, html) = post_form(&app, &arabic, &job, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"location_precision_values-error\""),
        "{html}"
    );
    assert!(html.contains("ليس رمزًا=قيمة"), "{html}");

    let mut f = shown;
    set(&mut f, "step", "run");
    let (status, _) = post_form(&app, &cookie, &job, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let summary = finished(&app, &cookie, &job).await;
    assert_eq!(count(&summary, "Stored"), "2", "{summary}");
    assert_eq!(count(&summary, "Rejected"), "1", "{summary}");
    let list = app.get_json("/api/v1/incidents?type=suicide_bombing").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["when"]["value"], "2015-03-14");
    assert_eq!(items[0]["location_precision"], "near");
    assert_eq!(items[0]["casualties"][0]["killed"]["best"], 6);
    // No rule holds and no type was chosen for its value: stored as other (as the page
    // says), with the place's precision its code gives.
    let other = app.get_json("/api/v1/incidents?type=other").await;
    assert_eq!(
        other["items"][0]["location_precision"], "district",
        "{other}"
    );
    assert_eq!(other["items"][0]["when"]["value"], "2015-03-15");
}

/// Uploads a mapped CSV, takes the guessed mapping with `id_prefix`, previews and runs it;
/// the finished job's summary.
async fn map_and_run(app: &TestApp, cookie: &str, csrf: &str, file: &str) -> String {
    let (_, job, _) = upload(app, cookie, csrf, "mapped", "log.csv", file).await;
    let (_, html) = page(app, cookie, &job).await;
    let mut f = form_fields(&html, &job);
    set(&mut f, "step", "preview");
    let (status, html) = post_form(app, cookie, &job, &f).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let mut f = form_fields(&html, &job);
    set(&mut f, "step", "run");
    let (status, _) = post_form(app, cookie, &job, &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    finished(app, cookie, &job).await
}

#[tokio::test]
async fn a_csv_without_an_id_column_is_keyed_by_its_rows_and_imports_again_unchanged() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let file = "day,y,x,what\n2025-06-01,35.4681,44.3922,ied\n2025-06-02,35.47,44.40,ied\n";
    let summary = map_and_run(&app, &cookie, &csrf, file).await;
    assert_eq!(count(&summary, "Stored"), "2", "{summary}");
    let list = app.get_json("/api/v1/incidents?type=ied").await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["external_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|k| k.starts_with("log:row-")), "{ids:?}");
    let summary = map_and_run(&app, &cookie, &csrf, file).await;
    assert_eq!(count(&summary, "Stored"), "0", "{summary}");
    assert_eq!(count(&summary, "Unchanged"), "2", "{summary}");
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_naming_the_limit() {
    let app = spawn_app_with(HttpConfig {
        max_import_bytes: 2 * 1024 * 1024,
        ..Default::default()
    })
    .await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let big = format!("{ACLED_HEADER}\n{}", "x".repeat(3 * 1024 * 1024));
    let (status, _, html) = upload(&app, &cookie, &csrf, "acled", "big.csv", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        html.contains("The file is larger than this server accepts for an import (2 MB)"),
        "{html}"
    );
    // A file under it, though over the API's own body limit (1 MiB), is taken.
    let rows: Vec<String> = (0..9000)
        .map(|i| acled_row(&format!("IRQ{i}"), "2025-05-01", "35.4681", "44.3922"))
        .collect();
    let file = format!("{ACLED_HEADER}\n{}", rows.join("\n"));
    assert!(file.len() > 1024 * 1024);
    let (status, job, _) = upload(&app, &cookie, &csrf, "acled", "ok.csv", &file).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{job}");
    let (status, html) = page(&app, &cookie, &job).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("9000 rows read (lines); 0 would be rejected"),
        "{html}"
    );
}
