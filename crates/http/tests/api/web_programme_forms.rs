//! Programmes and operations in the web, posted as a browser posts them: created, edited
//! and deleted through their forms; a value observed added from the programme's page (in
//! Arabic-Indic digits too) and a milestone's status changed there; every programme and
//! operation of the demo surviving its edit form unchanged; Edit offered only to those who
//! may, and a refusal for the others; bad input refused at its field with what was typed
//! kept.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::web_forms::{form_fields, page, post_form};

/// Sets (replacing) or adds form fields, as a user typing into the form would.
fn with(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in changes {
        match fields.iter_mut().find(|(fk, _)| fk == k) {
            Some(f) => f.1 = (*v).to_owned(),
            None => fields.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    fields
}

/// The value of the `value` attribute of the input named `name`.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let v = tag.split(" value=\"").nth(1)?;
    Some(v[..v.find('"')?].to_owned())
}

fn reform() -> Value {
    json!({
        "kind": "reform",
        "names": {"en": "Reform plan", "ckb": "پلانی چاکسازی"},
        "start": "2022", "end": "2030",
        "lead_org_id": "mopa",
        "milestones": [
            {"key": "mou", "title": "Memorandum renewed", "due": "2022",
             "history": [{"status": "done", "at": "2022-12-31T00:00:00Z", "by": "mopa", "reason": "Signed"}],
             "evidence": [{"note": "Signed in Erbil"}]},
            {"key": "unified", "title": "Forces unified", "due": "2026"}
        ],
        "indicators": [{
            "key": "under-ministry", "names": {"en": "Peshmerga under the ministry", "aliases": ["Unified peshmerga"]},
            "unit": "peshmerga",
            "observations": [{"value": 72000, "date": {"value": "2025-05-21/2025-05-31", "label": "late May"},
                              "source": {"publisher": "US DoD OIG", "title": "Quarterly report", "date": "2025-07-29"},
                              "confidence": "high"}],
            "target": {"value": 138000, "date": "2026"}
        }],
        "conditions": [{"key": "support", "text": "Support continues if the reforms do", "milestones": ["mou", "unified"]}],
        "owner_org_id": "mopa",
        "releasable_to": ["iraqi-army"],
        "caveat": "Kept as it is"
    })
}

#[tokio::test]
async fn a_programme_is_created_edited_and_deleted_through_its_forms() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-planner", "mopa", Role::Editor).await;
    let (_, list) = page(&app, &cookie, "/programmes").await;
    assert!(list.contains("href=\"/programmes/new\""));
    assert!(list.contains("href=\"/operations/new\""));
    let (status, html) = page(&app, &cookie, "/programmes/new").await;
    assert_eq!(status, StatusCode::OK);
    let fields = with(
        form_fields(&html, "/programmes/new"),
        &[
            ("kind", "reform"),
            ("name_en", "Peshmerga reform plan"),
            ("name_ar", "خطة إصلاح البيشمركة"),
            ("name_ckb", "پلانی چاکسازی پێشمەرگە"),
            ("summary", "Four years.\r\nUnder the ministry."),
            ("objectives", "Unify the forces\r\nKeep support"),
            ("start", "٢٠٢٢"),
            ("end", "2026"),
            ("lead", "mopa"),
            ("ms1_title", "Forces unified under the ministry"),
            ("ms1_due", "٢٠٢٦-٠٩"),
            ("ms1_status", "in_progress"),
            ("ms1_key", "unify"),
            ("ind1_name_en", "Peshmerga under the ministry"),
            ("ind1_name_ckb", "پێشمەرگە لەژێر وەزارەت"),
            ("ind1_unit", "peshmerga"),
            ("ind1_target_value", "١٣٨٠٠٠"),
            ("ind1_target_date", "2026"),
            ("ind1o1_value", "٧٢٠٠٠"),
            ("ind1o1_date", "2025-05-21/2025-05-31"),
            ("ind1o1_label", "late May"),
            ("ind1o1s_publisher", "US DoD OIG"),
            ("cond1_text", "US support continues if the reforms do"),
            ("cond1_milestones", "unify"),
            ("src1_publisher", "Kurdistan 24"),
            ("src1_title", "Reform plan agreed"),
        ],
    );
    let (status, body) = post_form(&app, &cookie, "/programmes/new", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let list = app.get_json("/api/v1/programmes").await;
    let stored = &list["items"][0];
    let id = stored["id"].as_str().unwrap().to_owned();
    assert_eq!(stored["start"], "2022", "Arabic-Indic digits read");
    assert_eq!(stored["summary"], "Four years.\nUnder the ministry.");
    assert_eq!(
        stored["objectives"],
        json!(["Unify the forces", "Keep support"])
    );
    assert_eq!(stored["milestones"][0]["due"], "2026-09");
    assert_eq!(
        stored["milestones"][0]["history"][0]["status"],
        "in_progress"
    );
    assert_eq!(stored["milestones"][0]["history"][0]["by"], "mopa-planner");
    let ind = &stored["indicators"][0];
    assert_eq!(ind["key"], "peshmerga-under-the-ministry", "a key made");
    assert_eq!(ind["target"]["value"].as_f64(), Some(138000.0));
    assert_eq!(ind["observations"][0]["value"].as_f64(), Some(72000.0));
    assert_eq!(ind["observations"][0]["date"]["label"], "late May");
    assert_eq!(
        ind["observations"][0]["source"]["title"], "US DoD OIG",
        "the publisher stands for a title left empty"
    );
    assert_eq!(stored["conditions"][0]["milestones"], json!(["unify"]));
    assert_eq!(stored["owner_org_id"], "mopa");

    // The page offers Edit and Delete, and shows what was saved.
    let (_, html) = page(&app, &cookie, &format!("/programmes/{id}")).await;
    assert!(html.contains(&format!("href=\"/programmes/{id}/edit\"")));
    assert!(html.contains(&format!("href=\"/programmes/{id}/delete\"")));
    assert!(html.contains("Forces unified under the ministry"));

    // Edit: a milestone's key renamed is followed by the condition naming it; its history
    // stays, and a new status is added to it.
    let edit = format!("/programmes/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    let fields = with(
        form_fields(&html, &edit),
        &[("ms1_key", "unified"), ("ms1_status", "done")],
    );
    let (status, body) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(after["conditions"][0]["milestones"], json!(["unified"]));
    let history = after["milestones"][0]["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["status"], "done");
    assert_eq!(
        after["judged"]["conditions"]["us-support-continues-if-the"],
        "met"
    );

    // A bad date is refused at its field; what was typed stays.
    let (_, html) = page(&app, &cookie, &edit).await;
    let fields = with(
        form_fields(&html, &edit),
        &[("ind1o1_date", "2025-13-45"), ("ind1_unit", "fighters")],
    );
    let (status, html) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"ind1o1_date-error\""), "{html}");
    assert!(
        html.contains("href=\"#ind1o1_date\""),
        "listed above the form"
    );
    assert_eq!(input_value(&html, "ind1_unit").as_deref(), Some("fighters"));
    assert_eq!(
        input_value(&html, "ind1o1_date").as_deref(),
        Some("2025-13-45")
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/programmes/{id}")).await["version"],
        after["version"],
        "nothing saved"
    );

    // Delete, after the page that asks.
    let del = format!("/programmes/{id}/delete");
    let (status, html) = page(&app, &cookie, &del).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post_form(&app, &cookie, &del, &form_fields(&html, &del)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/api/v1/programmes/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_value_is_added_from_the_programme_page_and_a_milestone_status_changed() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let p = app.create("/api/v1/programmes", reform()).await;
    let id = p["id"].as_str().unwrap();
    let (cookie, _) = app.web_session("mopa-field", "mopa", Role::Editor).await;
    let at = format!("/programmes/{id}");
    let (_, html) = page(&app, &cookie, &at).await;
    let action = format!("/programmes/{id}/indicators/under-ministry/observations");
    assert!(html.contains(&format!("action=\"{action}\"")));
    // An observed value, typed in Arabic-Indic digits with the Arabic decimal separator.
    let fields = with(
        form_fields(&html, &action),
        &[
            ("value", "٨٠٠٠٠٫٥"),
            ("date", "٢٠٢٥-٠٩-٣٠"),
            ("publisher", "Kurdistan 24"),
        ],
    );
    let (status, body) = post_form(&app, &cookie, &action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    let obs = &stored["indicators"][0]["observations"];
    assert_eq!(obs.as_array().unwrap().len(), 2);
    assert_eq!(obs[1]["value"].as_f64(), Some(80000.5));
    assert_eq!(obs[1]["date"]["value"], "2025-09-30");
    assert_eq!(obs[1]["source"]["publisher"], "Kurdistan 24");
    assert_eq!(stored["caveat"], "Kept as it is");
    assert_eq!(
        stored["judged"]["trends"]["under-ministry"]["latest_value"].as_f64(),
        Some(80000.5)
    );
    // A planned value is the indicator's new target.
    let fields = with(
        form_fields(&html, &action),
        &[("value", "140000"), ("date", "2027"), ("kind", "planned")],
    );
    let (status, body) = post_form(&app, &cookie, &action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(
        stored["indicators"][0]["target"],
        json!({"value": 140000.0, "date": "2027"})
    );
    // A bad date and no source: refused at the fields, with what was typed kept.
    let fields = with(
        form_fields(&html, &action),
        &[("value", "٩٠٠٠٠"), ("date", "yesterday")],
    );
    let (status, html) = post_form(&app, &cookie, &action, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"date-error\""), "{html}");
    assert!(html.contains("id=\"publisher-error\""));
    assert_eq!(input_value(&html, "value").as_deref(), Some("٩٠٠٠٠"));
    assert_eq!(
        app.get_json(&format!("/api/v1/programmes/{id}")).await["version"],
        stored["version"]
    );
    // A milestone's status, from its row.
    let (_, html) = page(&app, &cookie, &at).await;
    let ms = format!("/programmes/{id}/milestones/unified/status");
    let fields = with(form_fields(&html, &ms), &[("status", "in_progress")]);
    let (status, _) = post_form(&app, &cookie, &ms, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stored = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(
        stored["milestones"][1]["history"][0]["status"],
        "in_progress"
    );
    assert_eq!(stored["milestones"][1]["history"][0]["by"], "mopa-field");
}

#[tokio::test]
async fn those_who_may_not_edit_see_no_edit_and_are_refused() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let p = app.create("/api/v1/programmes", reform()).await;
    let id = p["id"].as_str().unwrap();
    let op = app
        .create(
            "/api/v1/operations",
            json!({"names": {"en": "Election security"}, "start": "2025-11", "end": "2025-11",
                   "sites": [{"key": "a", "names": {"en": "Kirkuk polling centre"}, "kind": "polling_centre",
                              "point": {"lat": 35.468, "lon": 44.392}}],
                   "owner_org_id": "mopa", "releasable_to": ["iraqi-army"]}),
        )
        .await;
    let op = op["id"].as_str().unwrap();
    let (viewer, csrf_v) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let (partner, csrf_p) = app
        .web_session("army-clerk", "iraqi-army", Role::Editor)
        .await;
    for (who, csrf) in [(&viewer, &csrf_v), (&partner, &csrf_p)] {
        let (status, html) = page(&app, who, &format!("/programmes/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains(&format!("/programmes/{id}/edit")));
        assert!(!html.contains(&format!("/programmes/{id}/delete")));
        assert!(!html.contains("/observations\""), "no short form");
        assert!(!html.contains("/status\""), "no status form");
        let (status, html) = page(&app, who, &format!("/operations/{op}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains(&format!("/operations/{op}/edit")));
        for path in [
            format!("/programmes/{id}/edit"),
            format!("/programmes/{id}/delete"),
            format!("/operations/{op}/edit"),
            format!("/operations/{op}/delete"),
        ] {
            assert_eq!(
                page(&app, who, &path).await.0,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let fields: Vec<(String, String)> = [
            ("csrf_token", csrf.as_str()),
            ("value", "1"),
            ("date", "2025-09"),
            ("publisher", "Anyone"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let (status, _) = post_form(
            &app,
            who,
            &format!("/programmes/{id}/indicators/under-ministry/observations"),
            &fields,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post_form(
            &app,
            who,
            &format!("/programmes/{id}/milestones/unified/status"),
            &with(fields.clone(), &[("status", "done")]),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (_, list) = page(&app, &viewer, "/programmes").await;
    assert!(!list.contains("/programmes/new") && !list.contains("/operations/new"));
    assert_eq!(
        page(&app, &viewer, "/programmes/new").await.0,
        StatusCode::FORBIDDEN
    );
    let stored = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(stored["version"], 1, "nothing written");
}

#[tokio::test]
async fn an_operation_is_created_and_its_sites_edited_keeping_their_reports() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-ops", "mopa", Role::Editor).await;
    let (status, html) = page(&app, &cookie, "/operations/new").await;
    assert_eq!(status, StatusCode::OK);
    let mut fields = with(
        form_fields(&html, "/operations/new"),
        &[
            ("name_en", "Election security"),
            ("name_ar", "تأمين الانتخابات"),
            ("start", "٢٠٢٥-١١-٠١"),
            ("end", "2025-11-15"),
            ("site1_name_en", "Tuz Khurmatu polling centre"),
            ("site1_kind", "polling_centre"),
            ("site1_lat", "٣٤٫٨٨٦"),
            ("site1_lon", "44.633"),
            ("site1_lead", "iraqi-army"),
            ("site1_liaison_org", "sector-6"),
            ("site1_liaison_role", "Duty officer"),
        ],
    );
    fields.push(("site1_supporting".into(), "mag-north".into()));
    fields.push(("site1_supporting".into(), "sector-6".into()));
    let (status, body) = post_form(&app, &cookie, "/operations/new", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let list = app.get_json("/api/v1/operations").await;
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let stored = app.get_json(&format!("/api/v1/operations/{id}")).await;
    let site = &stored["sites"][0];
    assert_eq!(stored["start"], "2025-11-01");
    assert_eq!(site["key"], "tuz-khurmatu-polling-centre");
    assert_eq!(site["point"]["lat"].as_f64(), Some(34.886));
    assert_eq!(site["supporting_org_ids"], json!(["mag-north", "sector-6"]));
    assert_eq!(site["liaison"]["role"], "Duty officer");
    assert!(site["admin_units"]["governorate"].is_string(), "derived");
    // A report from the site's page, then the lead force changed in the edit form: the
    // report stays.
    let key = site["key"].as_str().unwrap();
    let report: Vec<(String, String)> = [("csrf_token", csrf.as_str()), ("status", "manned")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let (status, _) = post_form(
        &app,
        &cookie,
        &format!("/operations/{id}/sites/{key}/reports"),
        &report,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let edit = format!("/operations/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    let fields = with(form_fields(&html, &edit), &[("site1_lead", "")]);
    let (status, body) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json(&format!("/api/v1/operations/{id}")).await;
    assert!(after["sites"][0].get("lead_org_id").is_none());
    assert_eq!(after["sites"][0]["reports"][0]["status"], "manned");
    assert_eq!(after["judged"]["sites_without_lead"], json!([key]));
    // A point outside Iraq and a liaison without a role: refused at their fields.
    let (_, html) = page(&app, &cookie, &edit).await;
    let fields = with(
        form_fields(&html, &edit),
        &[
            ("site2_name_en", "Far away"),
            ("site2_lat", "48.85"),
            ("site2_lon", "2.35"),
            ("site2_liaison_org", "mopa"),
        ],
    );
    let (status, html) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"site2_lat-error\""), "{html}");
    assert!(html.contains("id=\"site2_liaison_role-error\""));
    assert_eq!(
        input_value(&html, "site2_name_en").as_deref(),
        Some("Far away")
    );
    // Delete.
    let del = format!("/operations/{id}/delete");
    let (_, html) = page(&app, &cookie, &del).await;
    let (status, _) = post_form(&app, &cookie, &del, &form_fields(&html, &del)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/api/v1/operations/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_programme_saved_by_someone_else_meanwhile_is_shown_beside_yours() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let p = app.create("/api/v1/programmes", reform()).await;
    let id = p["id"].as_str().unwrap();
    let (first, _) = app.web_session("mopa-a", "mopa", Role::Editor).await;
    let (second, _) = app.web_session("mopa-b", "mopa", Role::Editor).await;
    let edit = format!("/programmes/{id}/edit");
    let (_, a) = page(&app, &first, &edit).await;
    let (_, b) = page(&app, &second, &edit).await;
    let (status, _) = post_form(
        &app,
        &first,
        &edit,
        &with(form_fields(&a, &edit), &[("ind1_unit", "their unit")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = post_form(
        &app,
        &second,
        &edit,
        &with(form_fields(&b, &edit), &[("ind1_unit", "my unit")]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let panel = &html[html.find("id=\"conflict\"").unwrap()..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    assert!(
        panel.contains("their unit") && panel.contains("my unit"),
        "{panel}"
    );
    assert_eq!(input_value(&html, "ind1_unit").as_deref(), Some("my unit"));
    let (status, body) = post_form(&app, &second, &edit, &form_fields(&html, &edit)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(stored["indicators"][0]["unit"], "my unit");
    assert_eq!(stored["version"], 3);
}

async fn demo(app: &TestApp) -> Value {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/dataset.json"
    ))
    .unwrap();
    app.app
        .import_dataset(
            &hawkari_app::Principal::system("test"),
            std::io::Cursor::new(bytes.clone()),
            |_| {},
        )
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A stored programme or operation as JSON text, meta (version, who, when) included.
async fn stored(app: &TestApp, section: &str, id: &str) -> String {
    let system = hawkari_app::Principal::system("test");
    if section == "programmes" {
        let r: hawkari_core::programme::Programme = app.app.get(&system, id).await.unwrap();
        serde_json::to_string(&r).unwrap()
    } else {
        let r: hawkari_core::operation::Operation = app.app.get(&system, id).await.unwrap();
        serde_json::to_string(&r).unwrap()
    }
}

/// Every programme and operation of the demo dataset through its edit form, as an editor
/// of its owner, posted back unchanged: every record stays byte for byte as it was.
#[tokio::test]
async fn every_demo_programme_and_operation_survives_its_edit_form_unchanged() {
    let app = spawn_app().await;
    let dataset = demo(&app).await;
    let mut checked = 0;
    for (section, base) in [("programmes", "/programmes"), ("operations", "/operations")] {
        for record in dataset[section].as_array().unwrap() {
            let id = record["id"].as_str().unwrap();
            let owner = record["owner_org_id"].as_str().unwrap();
            let (cookie, _) = app
                .web_session(&format!("{owner}-{section}-clerk"), owner, Role::Editor)
                .await;
            let before = stored(&app, section, id).await;
            let edit = format!("{base}/{id}/edit");
            let (status, html) = page(&app, &cookie, &edit).await;
            assert_eq!(status, StatusCode::OK, "{edit}");
            let (status, body) = post_form(&app, &cookie, &edit, &form_fields(&html, &edit)).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{edit}: {body}");
            let after = stored(&app, section, id).await;
            assert_eq!(after, before, "{edit}: byte for byte, version included");
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
}
