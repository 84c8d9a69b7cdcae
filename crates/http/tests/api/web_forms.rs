//! The web's edit forms: posted back as a browser would post them, unchanged, they change
//! nothing; a change of who may read a record is made only once it is shown in words and
//! confirmed; Edit is offered only to those who may edit.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Text with HTML's character references resolved, as a browser reads it.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a start tag's text, if present.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = &rest[i + name.len()..];
        // At the start of the tag's attributes, or after a space.
        if before.is_none_or(char::is_whitespace) {
            if let Some(v) = after.strip_prefix("=\"") {
                return v.find('"').map(|end| unescape(&v[..end]));
            }
            if after.starts_with([' ', '>', '/']) || after.is_empty() {
                return Some(String::new());
            }
        }
        rest = after;
    }
    None
}

/// What a browser submits for the form posting to `action` in `html`, unchanged: each
/// input's value (checkboxes only when checked), each select's selected options, each
/// textarea's text.
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let name_of = |tag: &str| attr(tag, "name");
        if let Some(t) = tag.strip_prefix("input ") {
            let kind = attr(t, "type").unwrap_or_default();
            if let Some(name) = name_of(t)
                && kind != "submit"
                && (!matches!(kind.as_str(), "checkbox" | "radio") || attr(t, "checked").is_some())
            {
                out.push((name, attr(t, "value").unwrap_or_default()));
            }
        } else if let Some(t) = tag.strip_prefix("select ") {
            let name = name_of(t).unwrap();
            let body = &rest[end + 1..rest.find("</select>").unwrap()];
            for option in body.split("<option").skip(1) {
                let open = &option[..option.find('>').unwrap()];
                if attr(open, "selected").is_some() {
                    out.push((name.clone(), attr(open, "value").unwrap_or_default()));
                }
            }
        } else if let Some(t) = tag.strip_prefix("textarea ") {
            let name = name_of(t).unwrap();
            let body = &rest[end + 1..rest.find("</textarea>").unwrap()];
            // A browser reads a textarea's line ends as LF and sends them as CR LF.
            let text = unescape(body).replace("\r\n", "\n");
            out.push((name, text.replace('\n', "\r\n")));
        }
    }
    out
}

pub(crate) async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

pub(crate) async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(String, String)],
) -> (StatusCode, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(app.url(path))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// An engagement with everything the API can give it: several participants with notes,
/// several topics, releases to organisations and groups, a caveat, objectives, outcomes,
/// tags, a summary over several lines.
async fn rich_engagement(app: &TestApp) -> Value {
    app.seed_registry().await;
    for code in ["election-security", "transition"] {
        app.create(
            "/api/v1/topics",
            json!({"code": code, "labels": {"en": code}}),
        )
        .await;
    }
    app.create(
        "/api/v1/engagements",
        json!({
            "kind": "joint_committee_session", "title": "Joint committee on the Kirkuk road",
            "when": {"value": "2025-05-21/2025-05-31", "label": "late May"},
            "participants": [
                {"person_id": "sirwan-barzani", "organisation_id": "sector-6", "role": "lead", "note": "spoke for the sector"},
                {"organisation_id": "mag-north", "role": "participant", "note": "an unnamed adviser"},
                {"person_id": "yarallah", "role": "host"},
                {"organisation_id": "iraqi-army", "role": "note_taker", "note": "two officers"},
                {"organisation_id": "cjtf-oir", "role": "participant"}
            ],
            "topics": ["transition", "security-gaps", "election-security"],
            "tags": ["road", "patrols"],
            "objectives": ["Agree a patrol schedule"],
            "summary": "First line.\nSecond line & more <b>.",
            "outcomes": ["Schedule agreed"],
            "sources": [{"publisher": "Kurdistan 24", "title": "Joint committee", "date": "2025-06", "reference": "K24-17"}],
            "owner_org_id": "mopa",
            "releasable_to": ["iraqi-army", "cjtf-oir"],
            "release_groups": ["joint_mechanisms", "coalition"],
            "caveat": "Releasable to the committee's members by name"
        }),
    )
    .await
}

#[tokio::test]
async fn an_edit_form_posted_back_unchanged_changes_nothing() {
    let app = spawn_app().await;
    let e = rich_engagement(&app).await;
    let id = e["id"].as_str().unwrap();
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let before = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    let edit = format!("/engagements/{id}/edit");
    let (status, html) = page(&app, &cookie, &edit).await;
    assert_eq!(status, StatusCode::OK);
    let fields = form_fields(&html, &edit);
    let (status, body) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    assert_eq!(after, before, "field for field, version included");
}

#[tokio::test]
async fn a_change_of_release_is_saved_only_once_its_effect_is_shown_and_confirmed() {
    let app = spawn_app().await;
    let e = rich_engagement(&app).await;
    let id = e["id"].as_str().unwrap();
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let edit = format!("/engagements/{id}/edit");
    let (_, html) = page(&app, &cookie, &edit).await;
    assert!(html.contains("Iraqi Army and those below it"), "visible-to");
    // Pick another organisation in place of the Iraqi Army, as the finding did.
    let mut fields: Vec<(String, String)> = form_fields(&html, &edit)
        .into_iter()
        .filter(|(k, v)| !(k == "release_to" && v == "iraqi-army"))
        .collect();
    fields.push(("release_to".into(), "sector-6".into()));
    let (status, shown) = post_form(&app, &cookie, &edit, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        shown.contains("Iraqi Army will no longer be able to read it"),
        "{shown}"
    );
    assert!(shown.contains("Sector 6 Command will be able to read it"));
    let stored = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    assert_eq!(stored["version"], 1, "nothing saved yet");
    // Saving the page that said so confirms it.
    let confirmed = form_fields(&shown, &edit);
    let (status, body) = post_form(&app, &cookie, &edit, &confirmed).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    assert_eq!(stored["releasable_to"], json!(["cjtf-oir", "sector-6"]));
    assert_eq!(
        stored["release_groups"],
        json!(["joint_mechanisms", "coalition"])
    );
    assert_eq!(stored["participants"], e["participants"], "notes kept");
}

#[tokio::test]
async fn edit_is_offered_only_to_those_who_may_edit() {
    let app = spawn_app().await;
    let e = rich_engagement(&app).await;
    let id = e["id"].as_str().unwrap();
    let (owner, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (partner, _) = app
        .web_session("army-clerk", "iraqi-army", Role::Editor)
        .await;
    let (viewer, _) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let link = format!("href=\"/engagements/{id}/edit\"");
    for (cookie, offered) in [(&owner, true), (&partner, false), (&viewer, false)] {
        let (status, html) = page(&app, cookie, &format!("/engagements/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.contains(&link), offered);
    }
}

/// Every engagement of the demo dataset (the four reports), through the edit form of an
/// editor of its owner, posted back unchanged: every record stays as it was.
#[tokio::test]
async fn every_demo_engagement_survives_its_edit_form_unchanged() {
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
    let all = app
        .app
        .store()
        .list_engagements(
            &hawkari_core::access::Reach::Everything,
            &Default::default(),
            &hawkari_store::PageRequest {
                limit: 200,
                after: None,
            },
        )
        .await
        .unwrap()
        .items;
    assert!(all.len() >= 10);
    let mut sessions = std::collections::HashMap::new();
    for e in all {
        let owner = e.data.owner_org_id.to_string();
        if !sessions.contains_key(&owner) {
            let s = app
                .web_session(&format!("{owner}-clerk"), &owner, Role::Editor)
                .await;
            sessions.insert(owner.clone(), s.0);
        }
        let cookie = &sessions[&owner];
        let edit = format!("/engagements/{}/edit", e.id);
        let (status, html) = page(&app, cookie, &edit).await;
        assert_eq!(status, StatusCode::OK, "{edit}");
        let (status, body) = post_form(&app, cookie, &edit, &form_fields(&html, &edit)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{edit}: {body}");
        let stored: hawkari_core::engagement::Engagement = app
            .app
            .get(&hawkari_app::Principal::system("test"), e.id.as_str())
            .await
            .unwrap();
        assert_eq!(stored, e, "{edit}");
    }
}

/// Whether the select named `name` has `value` selected in the form posting to `action`.
fn chosen(html: &str, action: &str, name: &str) -> Vec<String> {
    form_fields(html, action)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

#[tokio::test]
async fn a_person_chosen_in_a_refused_form_comes_back_with_their_current_organisation() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (_, html) = page(&app, &cookie, "/engagements/new").await;
    assert!(
        html.contains("data-org=\"iraqi-army\""),
        "the script's hint"
    );
    let mut fields: Vec<(String, String)> = form_fields(&html, "/engagements/new")
        .into_iter()
        .filter(|(k, _)| k != "p1_person" && k != "p2_person" && k != "p2_org")
        .collect();
    fields.push(("p1_person".into(), "yarallah".into()));
    fields.push(("p2_person".into(), "sirwan-barzani".into()));
    fields.push(("p2_org".into(), "mag-north".into()));
    // No title: refused, and shown again.
    let (status, html) = post_form(&app, &cookie, "/engagements/new", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(chosen(&html, "/engagements/new", "p1_org"), ["iraqi-army"]);
    assert_eq!(
        chosen(&html, "/engagements/new", "p2_org"),
        ["mag-north"],
        "an organisation the user chose stays"
    );
    // Six participants: a row more on asking, without saving.
    let mut more = form_fields(&html, "/engagements/new");
    more.push(("add_row".into(), "participant".into()));
    let (status, html) = post_form(&app, &cookie, "/engagements/new", &more).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"p5_person\""));
    assert_eq!(chosen(&html, "/engagements/new", "p1_person"), ["yarallah"]);
}

#[tokio::test]
async fn an_engagement_saved_by_someone_else_meanwhile_is_shown_beside_yours() {
    let app = spawn_app().await;
    let e = rich_engagement(&app).await;
    let id = e["id"].as_str().unwrap();
    let (first, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (second, _) = app.web_session("mopa-clerk-2", "mopa", Role::Editor).await;
    let edit = format!("/engagements/{id}/edit");
    let (_, a) = page(&app, &first, &edit).await;
    let (_, b) = page(&app, &second, &edit).await;
    let set = |html: &str, key: &str, value: &str| -> Vec<(String, String)> {
        form_fields(html, &edit)
            .into_iter()
            .map(|(k, v)| {
                if k == key {
                    (k, value.to_owned())
                } else {
                    (k, v)
                }
            })
            .collect()
    };
    let (status, _) = post_form(&app, &first, &edit, &set(&a, "title", "Their title")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = post_form(&app, &second, &edit, &set(&b, "title", "My title")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let panel = &html[html.find("id=\"conflict\"").unwrap()..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    assert!(
        panel.contains("Their title") && panel.contains("My title"),
        "{panel}"
    );
    let (status, body) = post_form(&app, &second, &edit, &form_fields(&html, &edit)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.get_json(&format!("/api/v1/engagements/{id}")).await;
    assert_eq!(stored["title"], "My title");
    assert_eq!(stored["version"], 3);
}

/// Sets form field `key` to `value` (replacing every value it had).
fn set_field(f: &mut Vec<(String, String)>, key: &str, value: &str) {
    f.retain(|(k, _)| k != key);
    f.push((key.to_owned(), value.to_owned()));
}

#[tokio::test]
async fn an_engagements_problems_are_shown_at_their_fields_in_the_readers_language() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, _) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let arabic = format!("{cookie}; hawkari_lang=ar");
    let (_, html) = page(&app, &arabic, "/engagements/new").await;
    let mut f = form_fields(&html, "/engagements/new");
    set_field(&mut f, "title", "اجتماع لجنة التنسيق");
    set_field(&mut f, "when", "٢٠٢٦-١٣-٤٠");
    set_field(&mut f, "summary", "نص كُتب بعناية");
    set_field(&mut f, "p1_person", "no-such-person");
    set_field(&mut f, "c1_text", "Patrol schedule");
    set_field(&mut f, "c1_due", "soon");
    set_field(&mut f, "source_publisher", "Rudaw");
    set_field(&mut f, "source_date", "last week");
    let (status, body) = post_form(&app, &arabic, "/engagements/new", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for field in ["when", "c1_due", "source_date"] {
        assert!(
            body.contains(&format!("id=\"{field}-error\"")),
            "the problem with {field} is at its field: {body}"
        );
        assert!(
            body.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{field} names its problem"
        );
        assert!(
            body.contains(&format!("href=\"#{field}\"")),
            "the list above the form links to {field}"
        );
    }
    // The form's own readings are in Arabic, and no internal path is shown.
    assert!(body.contains("ليس تاريخًا"), "{body}");
    assert!(!body.contains("participants[0]"), "{body}");
    assert!(!body.contains("commitments[0]"), "{body}");
    // Nothing typed is lost.
    assert!(body.contains("value=\"٢٠٢٦-١٣-٤٠\""));
    assert!(body.contains(">نص كُتب بعناية</textarea>"));
    assert!(body.contains("value=\"Patrol schedule\""));
    assert_eq!(
        app.get_json("/api/v1/engagements").await["items"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "nothing was stored"
    );
    // With the dates corrected (in Arabic-Indic digits), the record's own rules speak:
    // the unknown person is named at the participant's field.
    let mut f = form_fields(&body, "/engagements/new");
    set_field(&mut f, "when", "٢٠٢٦-١١-٢٠");
    set_field(&mut f, "c1_due", "٢٠٢٦-١٢-٠١");
    set_field(&mut f, "source_date", "2026-11");
    let (status, body) = post_form(&app, &arabic, "/engagements/new", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("id=\"p1_person-error\""), "{body}");
    assert!(
        body.contains("لا يوجد سجل من هذا النوع"),
        "the record's own rule, in Arabic: {body}"
    );
    assert!(!body.contains("no person with id"), "{body}");
    assert!(body.contains("href=\"#p1_person\""), "{body}");
    assert!(!body.contains("participants[0]"), "{body}");
    // Corrected, it is saved.
    let mut f = form_fields(&body, "/engagements/new");
    set_field(&mut f, "p1_person", "");
    set_field(&mut f, "p1_org", "mopa");
    let (status, body) = post_form(&app, &arabic, "/engagements/new", &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let list = app.get_json("/api/v1/engagements").await;
    let e = &list["items"][0];
    assert_eq!(e["when"]["value"], "2026-11-20");
    assert_eq!(e["sources"][0]["date"], "2026-11");
}
