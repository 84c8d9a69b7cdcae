//! Report intake in the browser, posted as a browser posts it: one of the project's own
//! intake reports pasted, two drafts confirmed and one dropped, the records found with
//! the report as their source, owned by the user's organisation and audited; a bad date
//! in one draft refused at its field in Arabic with nothing saved and everything typed
//! kept; a viewer offered no page.

use hawkari_core::access::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::web_forms::{form_fields, page, post_form};

const PUBLISHED: &str = "2025-03-12";
const PUBLISHER: &str = "Hawkari test wire";
const TITLE: &str = "Budget talks in Baghdad";
const URL: &str = "https://example.org/budget-talks";

fn report() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/intake/reports/en-2025-03-budget-talks.txt"
    ))
    .unwrap()
}

/// Posts the report's form (multipart, as a browser posts a form with a file input; no
/// file chosen).
async fn read_report(app: &TestApp, cookie: &str, csrf: &str, text: &str) -> (StatusCode, String) {
    read_report_with_file(app, cookie, csrf, text, "", "").await
}

/// The report's form with a file chosen (`name` empty: none).
async fn read_report_with_file(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    text: &str,
    name: &str,
    file: &str,
) -> (StatusCode, String) {
    let boundary = "----hawkari-intake-boundary";
    let mut body = String::new();
    for (k, v) in [
        ("csrf_token", csrf),
        ("text", text),
        ("published", "٢٠٢٥-٠٣-١٢"),
        ("publisher", PUBLISHER),
        ("title", TITLE),
        ("url", URL),
        ("language", ""),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let r = app
        .client
        .post(app.url("/intake"))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

fn set(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    fields.retain(|(k, _)| k != key);
    fields.push((key.to_owned(), value.to_owned()));
}

fn get<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// The prefixes of the drafts in the form (`e1`, `i1`, …) with their draft JSON.
fn drafts(fields: &[(String, String)]) -> Vec<(String, Value)> {
    fields
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_suffix("_draft")?.to_owned(),
                serde_json::from_str(v).unwrap(),
            ))
        })
        .collect()
}

/// Every draft dropped but Yarallah's visit (an engagement) and the roadside bomb (an
/// incident); at least one other dropped.
fn confirm_two(fields: &mut Vec<(String, String)>) -> (String, String) {
    let all = drafts(fields);
    let visit = all
        .iter()
        .find(|(p, d)| p.starts_with('e') && d.to_string().contains("yarallah"))
        .map(|(p, _)| p.clone())
        .unwrap_or_else(|| panic!("no draft of Yarallah's visit: {all:?}"));
    let bomb = all
        .iter()
        .find(|(p, d)| p.starts_with('i') && d["places"].to_string().contains("Diyala"))
        .map(|(p, _)| p.clone())
        .unwrap_or_else(|| panic!("no draft of the bomb in Diyala: {all:?}"));
    assert!(all.len() > 2, "{all:?}");
    for (p, _) in &all {
        let choice = if *p == visit || *p == bomb {
            "confirm"
        } else {
            "drop"
        };
        set(fields, &format!("{p}_choice"), choice);
    }
    (visit, bomb)
}

async fn list(app: &TestApp, path: &str) -> Vec<Value> {
    let v = app.get_json(path).await;
    v["items"]
        .as_array()
        .or(v.as_array())
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_pasted_report_becomes_the_confirmed_records_citing_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, home) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("href=\"/intake\""),
        "offered in the navigation"
    );
    let (status, html) = page(&app, &cookie, "/intake").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"published\""));

    let text = report();
    let (status, html) = read_report(&app, &cookie, &csrf, &text).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // Each draft shows the sentence it came from and its confidence.
    assert!(
        html.contains("<mark>A roadside bomb killed two soldiers in Diyala on Saturday"),
        "{html}"
    );
    assert!(html.contains("Confidence: "));
    // People the registry lacks are proposed, with a link to the registry's form, and
    // not created.
    let people_before = list(&app, "/api/v1/people").await.len();
    let at = html
        .find("id=\"proposals\"")
        .unwrap_or_else(|| panic!("no proposals: {html}"));
    let proposals = &html[at..at + html[at..].find("</section>").unwrap()];
    assert!(proposals.contains("href=\"/people/new\""), "{proposals}");
    let mut fields = form_fields(&html, "/intake/save");
    assert_eq!(get(&fields, "published"), PUBLISHED, "digits read as typed");
    let (visit, bomb) = confirm_two(&mut fields);
    let before_engagements = list(&app, "/api/v1/engagements").await.len();
    let (status, saved) = post_form(&app, &cookie, "/intake/save", &fields).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved.contains("id=\"intake-saved\""), "{saved}");

    let engagements = list(&app, "/api/v1/engagements").await;
    assert_eq!(
        engagements.len(),
        before_engagements + 1,
        "one engagement confirmed, the others dropped"
    );
    let e = engagements
        .iter()
        .find(|e| e["participants"].to_string().contains("yarallah"))
        .unwrap();
    assert_eq!(e["owner_org_id"], "mopa");
    let source = &e["sources"][0];
    assert_eq!(source["publisher"], PUBLISHER);
    assert_eq!(source["title"], TITLE);
    assert_eq!(source["url"], URL);
    assert_eq!(source["date"], PUBLISHED);
    let draft: Value = serde_json::from_str(get(&fields, &format!("{visit}_draft"))).unwrap();
    assert_eq!(
        e["when"]["value"], draft["when"]["value"],
        "the draft's date as shown"
    );

    let incidents = list(&app, "/api/v1/incidents").await;
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let i = &incidents[0];
    assert_eq!(i["owner_org_id"], "mopa");
    assert_eq!(i["sources"][0]["publisher"], PUBLISHER);
    assert_eq!(i["sources"][0]["url"], URL);
    assert_eq!(i["casualties"][0]["killed"]["best"], 2, "{i}");
    assert_eq!(
        i["location_precision"], "governorate",
        "the governorate's centre"
    );
    let bomb_draft: Value = serde_json::from_str(get(&fields, &format!("{bomb}_draft"))).unwrap();
    assert_eq!(i["narrative"], bomb_draft["cite"]["sentence"]);

    assert_eq!(list(&app, "/api/v1/people").await.len(), people_before);
    // Both creations are in MoPA's audit trail, as the user's.
    let trail = app.get_json("/api/v1/audit?limit=500").await;
    for id in [e["id"].as_str().unwrap(), i["id"].as_str().unwrap()] {
        assert!(
            trail
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["record_id"] == id
                    && a["action"] == "create"
                    && a["actor"].as_str().unwrap().contains("mopa-clerk")),
            "{id} not audited as created by the clerk"
        );
    }
}

#[tokio::test]
async fn a_bad_date_in_one_draft_is_refused_at_its_field_in_arabic_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let cookie = format!("{cookie}; hawkari_lang=ar");
    let (status, html) = read_report(&app, &cookie, &csrf, &report()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("dir=\"rtl\""));
    let mut fields = form_fields(&html, "/intake/save");
    let (visit, bomb) = confirm_two(&mut fields);
    set(&mut fields, &format!("{visit}_when"), "٢٠٢٥-١٣-٤٠");
    set(&mut fields, &format!("{bomb}_place_name"), "طريق بعقوبة");
    let (status, body) = post_form(&app, &cookie, "/intake/save", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // At its field, in Arabic, with what was typed kept.
    let error = format!("id=\"{visit}_when-error\"");
    let at = body
        .find(&error)
        .unwrap_or_else(|| panic!("no error at {visit}_when: {body}"));
    assert!(
        body[at..].starts_with(&format!("{error}>ليس تاريخًا")),
        "{}",
        &body[at..at + 200]
    );
    let again = form_fields(&body, "/intake/save");
    assert_eq!(get(&again, &format!("{visit}_when")), "٢٠٢٥-١٣-٤٠");
    assert_eq!(get(&again, &format!("{bomb}_place_name")), "طريق بعقوبة");
    // Everything posted comes back exactly as it went, hidden or shown.
    let sorted = |f: &[(String, String)]| {
        let mut f = f.to_vec();
        f.sort();
        f
    };
    assert_eq!(sorted(&again), sorted(&fields));
    // Every draft's own state comes back exactly as it went.
    for (p, d) in drafts(&fields) {
        assert_eq!(
            get(&again, &format!("{p}_draft")),
            get(&fields, &format!("{p}_draft")),
            "{p}: {d}"
        );
    }
    // Nothing half-written: the good incident waits with the bad engagement.
    assert!(list(&app, "/api/v1/incidents").await.is_empty());
    // Corrected, it saves.
    let mut again = again;
    set(&mut again, &format!("{visit}_when"), "٢٠٢٥-٠٢");
    let (status, body) = post_form(&app, &cookie, "/intake/save", &again).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(list(&app, "/api/v1/incidents").await.len(), 1);
    let engagements = list(&app, "/api/v1/engagements").await;
    assert!(
        engagements.iter().any(|e| e["when"]["value"] == "2025-02"),
        "{engagements:?}"
    );
}

#[tokio::test]
async fn a_viewer_is_not_offered_intake_and_is_refused_it() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-reader", "mopa", Role::Viewer).await;
    let (status, home) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!home.contains("href=\"/intake\""));
    let (status, _) = page(&app, &cookie, "/intake").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = read_report(&app, &cookie, &csrf, &report()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let fields = vec![
        ("csrf_token".to_owned(), csrf.clone()),
        ("publisher".to_owned(), PUBLISHER.to_owned()),
    ];
    let (status, _) = post_form(&app, &cookie, "/intake/save", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_empty_report_is_refused_at_its_field_keeping_what_was_typed() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, html) = read_report(&app, &cookie, &csrf, "   ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"text-error\""), "{html}");
    assert!(html.contains(PUBLISHER), "what was typed is kept");
}

/// A meeting, a commitment made in it and a figure: the commitment saved in the engagement
/// saved with it, the figure added to the chosen indicator, all citing the report.
const SHORT: &str = "ERBIL – Maj. Gen. Sirwan Barzani met Army Chief of Staff Abdul-Amir \
    Yarallah in Erbil on Sunday to discuss the security gaps. The Iraqi Army will open two \
    joint checkpoints by September 2026. The Ministry of Peshmerga Affairs said 45,000 \
    peshmerga had completed unified training.";

#[tokio::test]
async fn a_commitment_is_saved_in_its_engagement_and_a_figure_on_its_indicator() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let programme = app
        .create(
            "/api/v1/programmes",
            serde_json::json!({
                "kind": "reform", "names": {"en": "Reform plan"}, "lead_org_id": "mopa",
                "indicators": [{"key": "trained", "names": {"en": "Peshmerga trained"}, "unit": "peshmerga",
                                "target": {"value": 138000, "date": "2030"}}],
                "owner_org_id": "mopa"
            }),
        )
        .await;
    let pid = programme["id"].as_str().unwrap();
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let (status, html) = read_report(&app, &cookie, &csrf, SHORT).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let mut fields = form_fields(&html, "/intake/save");
    assert_eq!(
        get(&fields, "c1_due"),
        "2026-09-30",
        "by September 2026: its last day"
    );
    assert_eq!(get(&fields, "c1_responsible"), "iraqi-army");
    assert_eq!(get(&fields, "c1_engagement"), "e1");
    let figure = drafts(&fields)
        .into_iter()
        .find(|(p, d)| p.starts_with('o') && d["value"] == 45000.0)
        .map(|(p, _)| p)
        .unwrap_or_else(|| panic!("no figure of 45,000: {fields:?}"));
    assert_eq!(
        get(&fields, &format!("{figure}_choice")),
        "drop",
        "a figure waits for its indicator"
    );
    for (p, _) in drafts(&fields) {
        let keep = p == "e1" || p == "c1" || p == figure;
        set(
            &mut fields,
            &format!("{p}_choice"),
            if keep { "confirm" } else { "drop" },
        );
    }
    // The indicator is to be chosen: refused at its field, nothing saved.
    let (status, body) = post_form(&app, &cookie, "/intake/save", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&format!("id=\"{figure}_indicator-error\"")),
        "{body}"
    );
    assert!(list(&app, "/api/v1/commitments").await.is_empty());
    set(
        &mut fields,
        &format!("{figure}_indicator"),
        &format!("{pid}|trained"),
    );
    set(
        &mut fields,
        "c1_text",
        "Open two joint checkpoints on the Kirkuk road",
    );
    let (status, body) = post_form(&app, &cookie, "/intake/save", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let commitments = list(&app, "/api/v1/commitments").await;
    assert_eq!(commitments.len(), 1);
    let c = &commitments[0];
    assert_eq!(c["text"], "Open two joint checkpoints on the Kirkuk road");
    assert_eq!(c["responsible_org_id"], "iraqi-army");
    assert_eq!(c["due"], "2026-09-30");
    assert_eq!(c["owner_org_id"], "mopa");
    assert_eq!(c["sources"][0]["publisher"], PUBLISHER);
    let e = app
        .get_json(&format!(
            "/api/v1/engagements/{}",
            c["engagement_id"].as_str().unwrap()
        ))
        .await;
    assert!(
        e["participants"].to_string().contains("sirwan-barzani"),
        "{e}"
    );
    let programme = app.get_json(&format!("/api/v1/programmes/{pid}")).await;
    let obs = &programme["indicators"][0]["observations"];
    assert_eq!(obs.as_array().unwrap().len(), 1, "{programme}");
    assert_eq!(obs[0]["value"], 45000.0);
    assert_eq!(obs[0]["source"]["url"], URL);
}

#[tokio::test]
async fn an_uploaded_html_report_is_read_as_its_text_and_too_large_a_report_is_refused() {
    let app = spawn_app().await;
    app.seed_registry().await;
    let (cookie, csrf) = app.web_session("mopa-clerk", "mopa", Role::Editor).await;
    let html_report = "<html><head><title>x</title><script>var a = 1;</script></head><body>\
        <p>A roadside bomb killed <b>two soldiers</b> in Diyala on Saturday.</p></body></html>";
    let (status, html) =
        read_report_with_file(&app, &cookie, &csrf, "", "report.html", html_report).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<mark>A roadside bomb killed two soldiers in Diyala on Saturday.</mark>"),
        "{html}"
    );
    assert!(!html.contains("var a"));
    // Over 5 MB: refused at the text, naming the limit.
    let big = "word ".repeat(1_100_000);
    let (status, html) = read_report(&app, &cookie, &csrf, &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        html.contains("id=\"text-error\""),
        "{}",
        &html[..html.len().min(2000)]
    );
    assert!(html.contains("at most 5 MB"));
    // Over the form's own limit (a file of 7 MB): refused the same way.
    let huge = "word ".repeat(1_400_000);
    let (status, html) = read_report_with_file(&app, &cookie, &csrf, "", "huge.txt", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("id=\"text-error\""));
}
