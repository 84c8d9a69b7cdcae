//! `hawkari notify`: the notice pass, once. Dry, it prints each mail it would send —
//! recipient, subject, language, body — and sends and writes nothing; without `[mail]`
//! it makes the notices for the web and mails nothing.

use hawkari_app::{App, Principal};
use hawkari_core::access::Role;
use hawkari_store::{FollowTarget, NoticeSettings};
use serde_json::json;

use super::hawkari;

const RELEASED: &str = "Open the Kirkuk crossing";
const HIDDEN: &str = "Move the reserve brigade";

/// A database where an army liaison, mailed each notice in English, follows MoPA's
/// engagement with two overdue commitments, one not released to the army.
async fn database(dir: &tempfile::TempDir) -> String {
    let url = format!("sqlite://{}", dir.path().join("hawkari.db").display());
    let store = hawkari_store::open(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
    let app = App::new(store);
    let cli = Principal::system("test");
    for (id, kind) in [
        ("mopa", "regional"),
        ("iraqi-army", "federal"),
        ("cjtf-oir", "coalition"),
    ] {
        let data = serde_json::from_value(json!({"names": {"en": id}, "kind": kind,
            "owner_org_id": id, "release_groups": ["all_partners"]}))
        .unwrap();
        app.create::<hawkari_core::organisation::Organisation>(&cli, Some(id.into()), data)
            .await
            .unwrap();
    }
    let data = serde_json::from_value(json!({"kind": "key_leader_engagement",
        "title": "Joint checkpoint review", "when": "2025-10-07",
        "participants": [{"organisation_id": "mopa", "role": "lead"}],
        "owner_org_id": "mopa", "release_groups": ["all_partners"]}))
    .unwrap();
    let e = app
        .create::<hawkari_core::engagement::Engagement>(&cli, None, data)
        .await
        .unwrap();
    for (text, groups, to) in [
        (RELEASED, json!(["all_partners"]), json!([])),
        (HIDDEN, json!([]), json!(["cjtf-oir"])),
    ] {
        let data = serde_json::from_value(json!({"engagement_id": e.id, "text": text,
            "responsible_org_id": "mopa", "counterpart_org_id": "iraqi-army", "due": "2025-11-01",
            "owner_org_id": "mopa", "release_groups": groups, "releasable_to": to}))
        .unwrap();
        app.create::<hawkari_core::commitment::Commitment>(&cli, None, data)
            .await
            .unwrap();
    }
    let user = app
        .create_user(
            &cli,
            "army-liaison",
            &"iraqi-army".parse().unwrap(),
            Role::Editor,
            "a-test-password-of-length",
        )
        .await
        .unwrap();
    let liaison = app.principal(user, None).await.unwrap();
    app.follow(&liaison, FollowTarget::Engagement, Some(e.id.as_str()))
        .await
        .unwrap();
    app.set_notice_settings(
        &liaison,
        NoticeSettings {
            email: Some("liaison@army.example.org".into()),
            language: "en".into(),
            immediate: true,
            digest: false,
            last_digest_at: None,
        },
    )
    .await
    .unwrap();
    url
}

#[tokio::test]
async fn notify_dry_run_prints_each_mail_and_writes_nothing_and_notify_without_mail_makes_the_notices()
 {
    let dir = tempfile::tempdir().unwrap();
    let url = database(&dir).await;
    let dry = hawkari(&dir, &["--database-url", &url, "notify", "--dry-run"]);
    let stdout = String::from_utf8(dry.stdout.clone()).unwrap();
    assert!(
        dry.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    for line in [
        "To: liaison@army.example.org",
        "Subject: Hawkari: Open the Kirkuk crossing",
        "Language: en",
        "Overdue since 1 November 2025: Open the Kirkuk crossing",
        "dry run: 1 notice(s) would be made and 1 mail(s) sent; nothing was sent or written",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(
        !stdout.contains(HIDDEN),
        "not released to the army: {stdout}"
    );
    let again = hawkari(&dir, &["--database-url", &url, "notify", "--dry-run"]);
    assert_eq!(again.stdout, dry.stdout, "the dry run wrote nothing");

    let run = hawkari(&dir, &["--database-url", &url, "notify"]);
    assert!(run.status.success());
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "1 notice(s) made, 0 mail(s) sent\n"
    );
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("no [mail] settings")
    );
    let after = hawkari(&dir, &["--database-url", &url, "notify", "--dry-run"]);
    let stdout = String::from_utf8(after.stdout).unwrap();
    assert!(
        stdout.contains("dry run: 0 notice(s) would be made and 1 mail(s) sent"),
        "made once; still to be mailed: {stdout}"
    );
}
