//! Notices by e-mail through a real SMTP server: Python's aiosmtpd (PyPI), started by the
//! test, writing what it receives to a maildir that Python's own `email` package then
//! reads back. Its python comes from `HAWKARI_PYTHON_CLIENTS` (`scripts/python-clients-setup`
//! installs the pinned aiosmtpd into a venv under target/ and prints it; `scripts/test`
//! sets it); unset, the test says it is skipped.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use hawkari_core::access::Role;
use hawkari_http::mail::{MailSettings, MailTls, run_pass};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// aiosmtpd on a free loopback port, saving each message to a maildir.
struct Smtpd {
    python: PathBuf,
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a maildir with Python's `email` package: each message's envelope recipients,
/// subject and plain-text body, decoded.
const READ_MAILDIR: &str = r#"
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.iterkeys()):
    with box.get_file(key) as f:
        msg = BytesParser(policy=policy.default).parse(f)
    out.append({
        "rcpt": msg["X-RcptTo"],
        "to": str(msg["To"]),
        "from": str(msg["From"]),
        "subject": str(msg["Subject"]),
        "body": msg.get_body(preferencelist=("plain",)).get_content(),
    })
print(json.dumps(out, ensure_ascii=False))
"#;

impl Smtpd {
    fn start() -> Option<Self> {
        let Some(python) = std::env::var_os("HAWKARI_PYTHON_CLIENTS").filter(|v| !v.is_empty())
        else {
            eprintln!(
                "SKIPPED: the SMTP test (HAWKARI_PYTHON_CLIENTS is not set; \
                 `export HAWKARI_PYTHON_CLIENTS=$(scripts/python-clients-setup)` to run it)"
            );
            return None;
        };
        let python = PathBuf::from(python);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let smtpd = Smtpd {
            python,
            child,
            port,
            dir,
        };
        for _ in 0..150 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(smtpd);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not listen on port {port} within 15 s");
    }

    fn settings(&self) -> MailSettings {
        MailSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            from: "Hawkari <hawkari@example.org>".into(),
            username: None,
            password: None,
            tls: MailTls::None,
            base_url: Some("https://hawkari.example.org".into()),
        }
    }

    /// Every message received so far.
    fn received(&self) -> Vec<Value> {
        let maildir = self.dir.path().join("maildir");
        if !maildir.join("new").exists() {
            return vec![];
        }
        let out = Command::new(&self.python)
            .args(["-c", READ_MAILDIR])
            .arg(&maildir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

async fn as_user(app: &TestApp, bearer: &str, method: reqwest::Method, path: &str, body: Value) {
    let r = app
        .client
        .request(method, app.url(path))
        .header("authorization", bearer)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert!(
        status.is_success(),
        "{path}: {status} {}",
        r.text().await.unwrap()
    );
}

const RELEASED: &str = "Open the Kirkuk crossing";
/// MoPA's, released to the coalition only: Sector 6 (below MoPA) reads it, the army not.
const MOPA_ONLY: &str = "Move the reserve brigade";
/// The army's, released to no one: the army reads it, Sector 6 not.
const ARMY_ONLY: &str = "Army patrol plan";

#[tokio::test]
async fn the_digest_and_immediate_notices_reach_a_real_smtp_server_in_each_followers_language_with_nothing_unreleased()
 {
    let Some(smtpd) = Smtpd::start() else {
        return;
    };
    let app = spawn_app().await;
    app.seed_registry().await;
    let e = app
        .create_engagement("Joint checkpoint review", "2025-10-07")
        .await;
    let eid = e["id"].as_str().unwrap();
    let commitment = |text: &str, owner: &str, release: Value| {
        let mut body = json!({"engagement_id": eid, "text": text, "responsible_org_id": owner,
                              "due": "2025-11-01", "owner_org_id": owner});
        if !release.is_null() {
            body["releasable_to"] = release;
            body["release_groups"] = json!([]);
        }
        body
    };
    let mut ids = Vec::new();
    for body in [
        commitment(RELEASED, "mopa", Value::Null),
        commitment(MOPA_ONLY, "mopa", json!(["cjtf-oir"])),
        commitment(ARMY_ONLY, "iraqi-army", json!([])),
    ] {
        ids.push(app.create("/api/v1/commitments", body).await["id"].clone());
    }

    // An English-reading army liaison mailed each notice; an Arabic-reading Sector 6
    // officer mailed a daily digest. Both follow the engagement.
    let army = app
        .user_token("army-liaison", "iraqi-army", Role::Editor)
        .await;
    let sector = app
        .user_token("sector-officer", "sector-6", Role::Editor)
        .await;
    for (bearer, email, language, immediate) in [
        (&army, "liaison@army.example.org", "en", true),
        (&sector, "officer@sector6.example.org", "ar", false),
    ] {
        as_user(
            &app,
            bearer,
            reqwest::Method::PUT,
            "/api/v1/account/notifications",
            json!({"email": email, "language": language, "immediate": immediate, "digest": !immediate}),
        )
        .await;
        as_user(
            &app,
            bearer,
            reqwest::Method::POST,
            "/api/v1/follows",
            json!({"target": "engagement", "record_id": eid}),
        )
        .await;
    }
    // Each owner comments on its own commitments.
    for (id, owner) in ids.iter().zip(["mopa", "mopa", "iraqi-army"]) {
        let r = app
            .client
            .post(app.url(&format!(
                "/api/v1/commitments/{}/comments",
                id.as_str().unwrap()
            )))
            .header("authorization", app.bearer(owner).await)
            .json(&json!({"text": "Convoy leaves at dawn"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    // Dry: the mail is written, nothing is sent and no notice is stored.
    let settings = smtpd.settings();
    let dry = run_pass(&app.app, Some(&settings), true, true)
        .await
        .unwrap();
    assert_eq!(
        dry.notices_made, 4,
        "two overdue commitments for each follower"
    );
    assert_eq!(dry.sent, 0);
    assert_eq!(
        dry.mails.len(),
        4 + 1,
        "four immediate mails and one digest"
    );
    assert!(smtpd.received().is_empty(), "a dry run sends nothing");
    let again = run_pass(&app.app, Some(&settings), true, true)
        .await
        .unwrap();
    assert_eq!(again.notices_made, 4, "a dry run stores nothing");

    // For real.
    let report = run_pass(&app.app, Some(&settings), false, true)
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (5, 0));
    let got = smtpd.received();
    assert_eq!(got.len(), 5);
    let recipients: BTreeSet<&str> = got.iter().map(|m| m["rcpt"].as_str().unwrap()).collect();
    assert_eq!(
        recipients,
        BTreeSet::from(["liaison@army.example.org", "officer@sector6.example.org"])
    );
    for m in &got {
        assert_eq!(m["from"], "Hawkari <hawkari@example.org>");
        let text = format!("{}\n{}", m["subject"], m["body"]);
        if m["rcpt"] == "liaison@army.example.org" {
            assert!(
                !text.contains(MOPA_ONLY),
                "not released to the army: {text}"
            );
            assert!(
                m["subject"].as_str().unwrap().starts_with("Hawkari: "),
                "{text}"
            );
            assert!(
                text.contains(RELEASED) || text.contains(ARMY_ONLY),
                "{text}"
            );
        } else {
            assert!(
                !text.contains(ARMY_ONLY),
                "not released to Sector 6: {text}"
            );
        }
    }
    let army_mail: Vec<&Value> = got
        .iter()
        .filter(|m| m["rcpt"] == "liaison@army.example.org")
        .collect();
    assert_eq!(army_mail.len(), 4, "one mail per notice");
    assert!(army_mail.iter().any(|m| {
        m["body"]
            .as_str()
            .unwrap()
            .starts_with("Overdue since 1 November 2025: Open the Kirkuk crossing")
    }));
    assert!(army_mail.iter().any(|m| {
        m["body"]
            .as_str()
            .unwrap()
            .contains("mopa-admin commented on Open the Kirkuk crossing")
    }));
    let digest = got
        .iter()
        .find(|m| m["rcpt"] == "officer@sector6.example.org")
        .unwrap();
    let subject = digest["subject"].as_str().unwrap();
    let body = digest["body"].as_str().unwrap();
    assert!(
        subject.starts_with("هاوکاری"),
        "an Arabic subject: {subject}"
    );
    assert!(
        body.starts_with("ما جرى اليوم لما تتابعه"),
        "Arabic: {body}"
    );
    assert!(
        body.contains("متأخر منذ"),
        "the overdue notices in Arabic: {body}"
    );
    assert!(body.contains("علّق"), "the comments in Arabic: {body}");
    assert!(
        body.contains(RELEASED) && body.contains(MOPA_ONLY),
        "{body}"
    );
    assert!(
        body.contains("https://hawkari.example.org/commitments/"),
        "{body}"
    );

    // Sent once: the next pass has nothing new to send.
    let next = run_pass(&app.app, Some(&settings), false, true)
        .await
        .unwrap();
    assert_eq!((next.notices_made, next.sent), (0, 0));
    assert_eq!(smtpd.received().len(), 5);
}
