//! The registry's forms in the web — organisations, people, places, topics — posted as a
//! browser posts them: created, edited and deleted by those who may; the tree and kinds
//! left to system administrators; a refused save that keeps what was typed, with the
//! problem at its field; Arabic-Indic digits; someone else's newer version shown beside
//! yours; a person added from the engagement form without losing it; and every record of
//! the demo surviving its edit form unchanged.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{REGISTRAR, TestApp, spawn_app};
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

/// The registry office's system administrator in the browser (outside every tree the
/// tests build), and the office's organisation made first.
async fn registrar_session(app: &TestApp) -> String {
    app.registrar().await;
    app.web_session("registrar-web", REGISTRAR, Role::SystemAdmin)
        .await
        .0
}

/// The value of the `value` attribute of the input named `name`.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let v = tag.split(" value=\"").nth(1)?;
    Some(v[..v.find('"')?].to_owned())
}

#[tokio::test]
async fn a_system_administrator_adds_a_joint_mechanism_answering_to_two_bodies_edits_and_deletes_it()
 {
    let app = spawn_app().await;
    app.seed_registry().await;
    let admin = registrar_session(&app).await;
    let (status, html) = page(&app, &admin, "/organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/organisations/new\""));
    let (status, html) = page(&app, &admin, "/organisations/new").await;
    assert_eq!(status, StatusCode::OK);
    let fields = with(
        form_fields(&html, "/organisations/new"),
        &[
            ("id", "jcc-kirkuk"),
            ("name_en", "Joint Coordination Centre Kirkuk"),
            ("name_ckb", "ناوەندی هاوئاهەنگیی هاوبەشی کەرکووک"),
            ("abbreviation", "JCC"),
            ("kind", "joint_mechanism"),
            ("owner", "mopa"),
            ("src1_publisher", "Kurdistan 24"),
            ("src1_title", "Joint centre opens"),
            ("src1_date", "٢٠٢٢-٠٧"),
        ],
    );
    let mut fields = fields;
    for (k, v) in [
        ("answers_to", "mopa"),
        ("answers_to", "iraqi-army"),
        ("release_group", "all_partners"),
    ] {
        fields.push((k.into(), v.into()));
    }
    let (status, body) = post_form(&app, &admin, "/organisations/new", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json("/api/v1/organisations/jcc-kirkuk").await;
    assert_eq!(stored["answers_to"], json!(["mopa", "iraqi-army"]));
    assert_eq!(stored["owner_org_id"], "mopa");
    assert_eq!(
        stored["sources"][0]["date"], "2022-07",
        "Arabic-Indic digits read"
    );
    assert!(stored.get("parent_id").is_none());

    let (_, html) = page(&app, &admin, "/organisations/jcc-kirkuk").await;
    let answers = &html[html.find("id=\"answers-to\"").unwrap()..];
    assert!(
        answers.contains("Ministry of Peshmerga Affairs")
            || answers.contains("/organisations/mopa")
    );
    assert!(answers.contains("/organisations/iraqi-army"));
    let (_, html) = page(&app, &admin, "/organisations/mopa").await;
    assert!(
        html.contains("id=\"answering-h\""),
        "the ministry lists who answers to it"
    );
    let (_, tree) = page(&app, &admin, "/organisations").await;
    assert!(
        tree.contains("answers to"),
        "the tree shows the reporting lines"
    );

    // Edit: the abbreviation; everything else posted back as shown.
    let edit = "/organisations/jcc-kirkuk/edit";
    let (_, html) = page(&app, &admin, edit).await;
    let (status, body) = post_form(
        &app,
        &admin,
        edit,
        &with(form_fields(&html, edit), &[("abbreviation", "JCC-K")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json("/api/v1/organisations/jcc-kirkuk").await;
    assert_eq!(after["abbreviation"], "JCC-K");
    assert_eq!(after["answers_to"], stored["answers_to"]);
    assert_eq!(after["version"], 2);

    // Delete, after the page that asks.
    let (status, html) = page(&app, &admin, "/organisations/jcc-kirkuk/delete").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post_form(
        &app,
        &admin,
        "/organisations/jcc-kirkuk/delete",
        &form_fields(&html, "/organisations/jcc-kirkuk/delete"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/organisations/jcc-kirkuk").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_editor_keeps_the_tree_and_kind_as_they_are_and_a_viewer_is_offered_no_edit() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (editor, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (viewer, _) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let (partner, _) = app
        .web_session("army-clerk", "iraqi-army", Role::Editor)
        .await;
    assert_eq!(
        page(&app, &editor, "/organisations/new").await.0,
        StatusCode::FORBIDDEN,
        "only system administrators add organisations"
    );
    let (_, html) = page(&app, &editor, "/organisations/mopa").await;
    assert!(html.contains("href=\"/organisations/mopa/edit\""));
    assert!(!html.contains("/organisations/mopa/delete"));
    for who in [&viewer, &partner] {
        let (_, html) = page(&app, who, "/organisations/mopa").await;
        assert!(!html.contains("/organisations/mopa/edit"));
        assert_eq!(
            page(&app, who, "/organisations/mopa/edit").await.0,
            StatusCode::FORBIDDEN
        );
    }

    let edit = "/organisations/mopa/edit";
    let before = app.get_json("/api/v1/organisations/mopa").await;
    let (_, html) = page(&app, &editor, edit).await;
    assert!(!html.contains("name=\"parent\"") && !html.contains("name=\"kind\""));
    assert!(html.contains("id=\"structure\""), "shown read-only");
    // Posted back as shown, with a new name: parent and kind are kept.
    let fields = with(
        form_fields(&html, edit),
        &[("name_ckb", "وەزارەتی کاروباری پێشمەرگە")],
    );
    let (status, body) = post_form(&app, &editor, edit, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json("/api/v1/organisations/mopa").await;
    assert_eq!(after["parent_id"], before["parent_id"]);
    assert_eq!(after["kind"], before["kind"]);
    assert_eq!(after["names"]["ckb"], "وەزارەتی کاروباری پێشمەرگە");

    // A post that sets them anyway is refused at the field, and keeps what was typed.
    let (_, html) = page(&app, &editor, edit).await;
    let forged = with(
        form_fields(&html, edit),
        &[
            ("parent", "iraqi-army"),
            ("kind", "federal"),
            ("abbreviation", "S6"),
        ],
    );
    let (status, html) = post_form(&app, &editor, edit, &forged).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"parent-error\""), "{html}");
    assert!(html.contains("Only a system administrator changes this."));
    assert_eq!(input_value(&html, "abbreviation").as_deref(), Some("S6"));
    assert_eq!(
        app.get_json("/api/v1/organisations/mopa").await["version"],
        after["version"]
    );
}

/// Every organisation, person and place of the demo dataset through its edit form — as an
/// editor of its owner, and organisations also as a system administrator (who is shown the
/// parent, kind and owner as choices) — posted back unchanged: every record stays as it was.
#[tokio::test]
async fn every_demo_organisation_person_and_place_survives_its_edit_form_unchanged() {
    use hawkari_app::Principal;
    let app = spawn_app().await;
    let demo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/dataset.json"
    ))
    .unwrap();
    app.app
        .import_dataset(
            &Principal::system("test"),
            std::io::Cursor::new(demo),
            |_| {},
        )
        .await
        .unwrap();
    let dataset: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../demo/dataset.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // The coalition task force reads every organisation of the demo.
    let (admin, _) = app
        .web_session("cjtf-admin", "cjtf-oir", Role::SystemAdmin)
        .await;
    let reader = app.bearer("cjtf-oir").await;
    let read = |path: String| {
        let (app, reader) = (&app, &reader);
        async move {
            let r = app
                .client
                .get(app.url(&path))
                .header("authorization", reader)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let mut sessions = std::collections::HashMap::new();
    let mut checked = 0;
    for (section, base) in [
        ("organisations", "/organisations"),
        ("people", "/people"),
        ("places", "/places"),
    ] {
        for record in dataset[section].as_array().unwrap() {
            let id = record["id"].as_str().unwrap();
            let owner = record["owner_org_id"].as_str().unwrap().to_owned();
            if !sessions.contains_key(&owner) {
                let s = app
                    .web_session(&format!("{owner}-clerk"), &owner, Role::Editor)
                    .await;
                sessions.insert(owner.clone(), s.0);
            }
            let api = format!("/api/v1/{section}/{id}");
            let before = read(api.clone()).await;
            let mut who = vec![sessions[&owner].clone()];
            if section == "organisations" {
                who.push(admin.clone());
            }
            for cookie in &who {
                let edit = format!("{base}/{id}/edit");
                let (status, html) = page(&app, cookie, &edit).await;
                assert_eq!(status, StatusCode::OK, "{edit}");
                let (status, body) =
                    post_form(&app, cookie, &edit, &form_fields(&html, &edit)).await;
                assert_eq!(status, StatusCode::SEE_OTHER, "{edit}: {body}");
                assert_eq!(read(api.clone()).await, before, "{edit}: version included");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 25 * 2 + 14 + 14);
}

#[tokio::test]
async fn a_person_added_from_the_engagement_form_comes_back_chosen_with_the_engagement_as_typed() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/engagements/new").await;
    assert!(html.contains("formaction=\"/people/new/for-engagement\""));
    let typed = with(
        form_fields(&html, "/engagements/new"),
        &[
            ("title", "Joint centre review on the Kirkuk road"),
            ("when", "٢٠٢٥-٠٥-٢١"),
            ("p1_person", "sirwan-barzani"),
            ("p1_org", "sector-6"),
            ("p1_role", "lead"),
            ("p2_org", "mag-north"),
            ("summary", "Patrols.\r\nSecond line."),
            ("c1_text", "Share the weekly patrol schedule"),
            ("c1_responsible", "sector-6"),
        ],
    );
    let mut asked = typed.clone();
    asked.push(("release_to".into(), "iraqi-army".into()));
    asked.push(("new_person".into(), "3".into()));
    // The browser posts the engagement form to the button's formaction.
    let (status, person_form) =
        post_form(&app, &cookie, "/people/new/for-engagement", &asked).await;
    assert_eq!(status, StatusCode::OK);
    assert!(person_form.contains("id=\"from-engagement\""));
    let fields = form_fields(&person_form, "/people/new");
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "e:title" && v == "Joint centre review on the Kirkuk road")
    );
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "release_to" && v == "iraqi-army"),
        "offered the engagement's release"
    );
    // A refused save keeps both the person typed and the engagement carried.
    let person = with(
        fields,
        &[
            ("name_en", "Kamal Aziz"),
            ("name_ar", "كمال عزيز"),
            ("pos1_title", "Director, Joint Coordination Centre"),
            ("pos1_org", "iraqi-army"),
            ("pos1_from", "2024-13"),
        ],
    );
    let (status, refused) = post_form(&app, &cookie, "/people/new", &person).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("id=\"pos1_from-error\""));
    assert_eq!(
        input_value(&refused, "name_en").as_deref(),
        Some("Kamal Aziz")
    );
    let person = with(
        form_fields(&refused, "/people/new"),
        &[("pos1_from", "٢٠٢٤")],
    );
    assert!(person.iter().any(|(k, _)| k == "e:c1_text"));
    let (status, back) = post_form(&app, &cookie, "/people/new", &person).await;
    assert_eq!(status, StatusCode::OK, "the engagement form again");
    assert!(back.contains("action=\"/engagements/new\""));
    let people = app.get_json("/api/v1/people?q=kamal").await;
    let new_id = people["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(people["items"][0]["positions"][0]["from"], "2024");
    assert_eq!(people["items"][0]["releasable_to"], json!(["iraqi-army"]));

    let again = form_fields(&back, "/engagements/new");
    let value = |k: &str| -> Vec<String> {
        again
            .iter()
            .filter(|(f, _)| f == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(value("title"), ["Joint centre review on the Kirkuk road"]);
    assert_eq!(value("when"), ["٢٠٢٥-٠٥-٢١"]);
    assert_eq!(value("p1_person"), ["sirwan-barzani"]);
    assert_eq!(value("p2_org"), ["mag-north"]);
    assert_eq!(value("c1_text"), ["Share the weekly patrol schedule"]);
    assert_eq!(value("summary"), ["Patrols.\r\nSecond line."]);
    assert_eq!(
        value("p3_person"),
        std::slice::from_ref(&new_id),
        "the new person, chosen"
    );
    assert_eq!(
        value("p3_org"),
        ["iraqi-army"],
        "with their current organisation"
    );

    let (status, body) = post_form(&app, &cookie, "/engagements/new", &again).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let list = app
        .get_json(&format!("/api/v1/engagements?person_id={new_id}"))
        .await;
    let e = &list["items"][0];
    assert_eq!(e["title"], "Joint centre review on the Kirkuk road");
    assert_eq!(e["when"]["value"], "2025-05-21");
    assert_eq!(e["participants"].as_array().unwrap().len(), 3);
    assert_eq!(e["participants"][2]["organisation_id"], "iraqi-army");
}

#[tokio::test]
async fn going_back_without_a_new_person_restores_the_engagement_form() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let e = app.create_engagement("Sector meeting", "2025-06-01").await;
    let edit = format!("/engagements/{}/edit", e["id"].as_str().unwrap());
    let (_, html) = page(&app, &cookie, &edit).await;
    let mut asked = with(
        form_fields(&html, &edit),
        &[("title", "Sector meeting, revised")],
    );
    asked.push(("new_person".into(), "3".into()));
    let (_, person_form) = post_form(&app, &cookie, "/people/new/for-engagement", &asked).await;
    let mut cancel = form_fields(&person_form, "/people/new");
    cancel.push(("cancel".into(), "1".into()));
    let (status, back) = post_form(&app, &cookie, "/people/new", &cancel).await;
    assert_eq!(status, StatusCode::OK);
    assert!(back.contains(&format!("action=\"{edit}\"")));
    assert_eq!(
        input_value(&back, "title").as_deref(),
        Some("Sector meeting, revised")
    );
    let (status, body) = post_form(&app, &cookie, &edit, &form_fields(&back, &edit)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app
        .get_json(&format!(
            "/api/v1/engagements/{}",
            e["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored["title"], "Sector meeting, revised");
    assert_eq!(stored["participants"], e["participants"]);
}

#[tokio::test]
async fn a_refused_save_says_what_is_wrong_at_the_field_in_the_readers_language() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let arabic = format!("{cookie}; hawkari_lang=ar");
    let (_, html) = page(&app, &arabic, "/places/new").await;
    let fields = with(
        form_fields(&html, "/places/new"),
        &[
            ("name_ar", "معبر"),
            ("lat", "٩١"),
            ("lon", "شرق"),
            ("admin_unit", "IQG99"),
        ],
    );
    let (status, html) = post_form(&app, &arabic, "/places/new", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, words) in [
        ("lat", "يقع خط العرض بين"),
        ("lon", "ليس رقمًا"),
        ("admin_unit", "ليس رمزًا في دليل الأماكن"),
    ] {
        let at = html
            .find(&format!("id=\"{field}-error\""))
            .unwrap_or_else(|| panic!("{field}"));
        assert!(html[at..at + 300].contains(words), "{field}");
    }
    assert_eq!(input_value(&html, "name_ar").as_deref(), Some("معبر"));
    assert_eq!(input_value(&html, "lat").as_deref(), Some("٩١"));
    assert!(
        html.contains("href=\"#lat\""),
        "listed above the form, linked to the field"
    );
}

#[tokio::test]
async fn arabic_indic_digits_are_read_in_dates_and_coordinates() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/places/new").await;
    let fields = with(
        form_fields(&html, "/places/new"),
        &[
            ("name_en", "Erbil citadel"),
            ("kind", "site"),
            ("lat", "٣٦٫١٩١"),
            ("lon", "۴۴٫۰۰۹"),
            ("src1_publisher", "Rudaw"),
            ("src1_title", "Citadel"),
            ("src1_date", "٢٠٢٥-٠٥-٢١"),
        ],
    );
    let (status, body) = post_form(&app, &cookie, "/places/new", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let places = app.get_json("/api/v1/places?q=citadel").await;
    let p = &places["items"][0];
    assert_eq!(p["point"], json!({"lat": 36.191, "lon": 44.009}));
    assert_eq!(p["sources"][0]["date"], "2025-05-21");
}

#[tokio::test]
async fn a_place_is_found_in_the_gazetteer_by_name_without_javascript() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/places/new").await;
    let mut search = with(form_fields(&html, "/places/new"), &[("gaz_q", "كركوك")]);
    search.push(("gazetteer".into(), "1".into()));
    let (status, found) = post_form(&app, &cookie, "/places/new", &search).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("name=\"pick\" value=\"IQG13\""),
        "Kirkuk governorate offered"
    );
    let mut pick = form_fields(&found, "/places/new");
    pick.push(("pick".into(), "IQG13".into()));
    let (_, picked) = post_form(&app, &cookie, "/places/new", &pick).await;
    assert_eq!(input_value(&picked, "admin_unit").as_deref(), Some("IQG13"));
    assert_eq!(input_value(&picked, "name_en").as_deref(), Some("Kirkuk"));
    let lat: f64 = input_value(&picked, "lat").unwrap().parse().unwrap();
    assert!((34.5..36.5).contains(&lat), "{lat}");
    let save = with(
        form_fields(&picked, "/places/new"),
        &[("kind", "governorate")],
    );
    let (status, body) = post_form(&app, &cookie, "/places/new", &save).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let place = &app.get_json("/api/v1/places?q=kirkuk").await["items"][0];
    assert_eq!(place["admin_unit"], "IQG13");
    assert_eq!(place["kind"], "governorate");
}

/// Two editors open the same person; one saves; the other's save shows both versions,
/// field by field, and saving again (having merged) keeps theirs where they took it.
#[tokio::test]
async fn a_conflict_shows_their_version_beside_yours_and_a_second_save_resolves_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (first, _) = app.web_session("mopa-a", "mopa", Role::Editor).await;
    let (second, _) = app.web_session("mopa-b", "mopa", Role::Editor).await;
    let edit = "/people/sirwan-barzani/edit";
    let (_, a) = page(&app, &first, edit).await;
    let (_, b) = page(&app, &second, edit).await;
    let (status, _) = post_form(
        &app,
        &first,
        edit,
        &with(form_fields(&a, edit), &[("rank", "Lt. Gen.")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mine = with(
        form_fields(&b, edit),
        &[("rank", "Gen."), ("pos1_to", "2025-01")],
    );
    let (status, html) = post_form(&app, &second, edit, &mine).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let panel = &html[html.find("id=\"conflict\"").unwrap()..html.find("</section>").unwrap()];
    assert!(panel.contains("mopa-a"), "who saved first");
    assert!(
        panel.contains("Lt. Gen.") && panel.contains("Gen."),
        "{panel}"
    );
    assert!(panel.contains("Position 1"), "{panel}");
    assert_eq!(
        input_value(&html, "rank").as_deref(),
        Some("Gen."),
        "yours in the form"
    );
    assert_eq!(
        input_value(&html, "version").as_deref(),
        Some("2"),
        "at their version"
    );
    let (status, body) = post_form(&app, &second, edit, &form_fields(&html, edit)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json("/api/v1/people/sirwan-barzani").await;
    assert_eq!(stored["rank"], "Gen.");
    assert_eq!(stored["positions"][0]["to"], "2025-01");
    assert_eq!(stored["version"], 3);
}

#[tokio::test]
async fn people_and_places_are_edited_and_deleted_only_by_those_who_may() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (owner, _) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (partner, _) = app
        .web_session("army-clerk", "iraqi-army", Role::Editor)
        .await;
    let (viewer, _) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    for (cookie, offered) in [(&owner, true), (&partner, false), (&viewer, false)] {
        let (_, html) = page(&app, cookie, "/people/sirwan-barzani").await;
        assert_eq!(
            html.contains("href=\"/people/sirwan-barzani/edit\""),
            offered
        );
        assert_eq!(
            html.contains("href=\"/people/sirwan-barzani/delete\""),
            offered
        );
        let (_, list) = page(&app, cookie, "/people").await;
        assert_eq!(list.contains("href=\"/people/new\""), cookie != &viewer);
    }
    assert_eq!(
        page(&app, &viewer, "/people/new").await.0,
        StatusCode::FORBIDDEN
    );
    // Refused while an engagement names him; the page says so.
    app.create_engagement("Meeting", "2025-06-01").await;
    let (_, html) = page(&app, &owner, "/people/sirwan-barzani/delete").await;
    let (status, html) = post_form(
        &app,
        &owner,
        "/people/sirwan-barzani/delete",
        &form_fields(&html, "/people/sirwan-barzani/delete"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("Not deleted: other records still refer to it."));
    // A person no record names is deleted.
    let p = app
        .create(
            "/api/v1/people",
            json!({"names": {"en": "Short-lived"}, "owner_org_id": "mopa"}),
        )
        .await;
    let path = format!("/people/{}/delete", p["id"].as_str().unwrap());
    let (_, html) = page(&app, &owner, &path).await;
    let (status, _) = post_form(&app, &owner, &path, &form_fields(&html, &path)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn administrators_add_and_relabel_topics_and_others_read_them() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (admin, _) = app
        .web_session("mopa-admin-web", "mopa", Role::OrgAdmin)
        .await;
    let (editor, csrf) = app.web_session("mopa-lo", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &editor, "/topics").await;
    assert!(!html.contains("action=\"/topics\""), "read-only to editors");
    assert!(html.contains("security-gaps"));
    let (status, _) = post_form(
        &app,
        &editor,
        "/topics",
        &[
            ("csrf_token".to_owned(), csrf),
            ("code".into(), "x".into()),
            ("label_en".into(), "X".into()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, html) = page(&app, &admin, "/topics").await;
    let add = with(
        form_fields(&html, "/topics"),
        &[
            ("code", "border-security"),
            ("label_en", "Border security"),
            ("label_ar", "أمن الحدود"),
            ("label_ckb", "ئاسایشی سنوور"),
        ],
    );
    let (status, body) = post_form(&app, &admin, "/topics", &add).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    // The same code again is refused at the code, keeping the labels typed.
    let (status, html) = post_form(&app, &admin, "/topics", &add).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"code-error\""));
    assert_eq!(
        input_value(&html, "label_ckb").as_deref(),
        Some("ئاسایشی سنوور")
    );

    let (_, html) = page(&app, &admin, "/topics").await;
    let relabel = with(
        form_fields(&html, "/topics/border-security"),
        &[("label_en", "Border and crossing security")],
    );
    let (status, _) = post_form(&app, &admin, "/topics/border-security", &relabel).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let topic = app.get_json("/api/v1/topics/border-security").await;
    assert_eq!(
        topic["labels"],
        json!({"en": "Border and crossing security", "ar": "أمن الحدود", "ckb": "ئاسایشی سنوور"})
    );
}
