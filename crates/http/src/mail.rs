//! Notices by e-mail: the periodic pass that `hawkari serve` runs and `hawkari notify`
//! runs once — overdue and due-soon notices made, then each user's mail written in their
//! language and sent over SMTP (lettre): every notice as it is made, and/or a daily
//! digest, as each user chose.
//!
//! What a mail says is read through the recipient's own reach at the moment it is
//! written (`App::notices_to_mail`): a record not released to them is never named, even
//! if it was when the notice was made.

use std::fmt;
use std::time::Duration;

use hawkari_app::notices::ShownNotice;
use hawkari_app::{App, AppError};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::web::i18n::{Locale, Tr};
use crate::web::notices::{notice_text, record_path};

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTls {
    /// Plain SMTP: a relay on this machine or a trusted network only.
    None,
    /// SMTP upgraded with STARTTLS (port 587, usually).
    StartTls,
    /// SMTP inside TLS from the first byte (port 465, usually).
    Tls,
}

impl std::str::FromStr for MailTls {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(MailTls::None),
            "starttls" => Ok(MailTls::StartTls),
            "tls" => Ok(MailTls::Tls),
            other => Err(format!(
                "`{other}` is not \"none\", \"starttls\" or \"tls\""
            )),
        }
    }
}

/// The `[mail]` settings: the SMTP server and the sender.
#[derive(Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    /// The sender, `Hawkari <hawkari@example.org>` or a bare address.
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub tls: MailTls,
    /// Where the web interface is reached (`https://hawkari.example.org`), for links in
    /// the mail; unset, mails carry no links.
    pub base_url: Option<String>,
}

/// The password is never printed.
impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("tls", &self.tls)
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl MailSettings {
    /// Checks the sender's address.
    pub fn check(&self) -> Result<(), String> {
        self.from
            .parse::<Mailbox>()
            .map(|_| ())
            .map_err(|e| format!("mail.from: `{}` is not an address: {e}", self.from))
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let builder = match self.tls {
            MailTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host),
            MailTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)
                .map_err(|e| format!("mail.host: {e}"))?,
            MailTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host)
                .map_err(|e| format!("mail.host: {e}"))?,
        };
        let mut builder = builder
            .port(self.port)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&self.username, &self.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

/// One mail, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub language: &'static str,
    pub subject: String,
    pub body: String,
    /// A digest (rather than one notice).
    pub digest: bool,
}

impl fmt::Display for Mail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "To: {}", self.to)?;
        writeln!(f, "Subject: {}", self.subject)?;
        writeln!(f, "Language: {}", self.language)?;
        writeln!(f)?;
        writeln!(f, "{}", self.body)
    }
}

/// What a pass did (or, dry, would do).
#[derive(Debug, Default)]
pub struct PassReport {
    /// Overdue and due-soon notices made (dry: that would be made).
    pub notices_made: usize,
    /// The mails written: sent, or (dry, or without `[mail]`) not.
    pub mails: Vec<Mail>,
    pub sent: usize,
    pub failed: usize,
}

/// How long a digest waits after the last one.
const DIGEST_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// Immediate mail is for what is new: notices older than this are not mailed one by one
/// (a user who turns immediate mail on does not receive their whole history).
const IMMEDIATE_WITHIN: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The pass: overdue and due-soon notices made (with `scan`: `serve` scans hourly and
/// mails every minute), then the mail due written and — unless `dry_run`, and only
/// with `mail` settings — sent, each sent notice marked mailed and each digest dated.
/// Dry, nothing is written anywhere.
pub async fn run_pass(
    app: &App,
    mail: Option<&MailSettings>,
    dry_run: bool,
    scan: bool,
) -> Result<PassReport, AppError> {
    let made = if scan {
        app.scan_due(!dry_run).await?
    } else {
        vec![]
    };
    let mut report = PassReport {
        notices_made: made.len(),
        ..Default::default()
    };
    let transport = match (dry_run, mail) {
        (false, Some(m)) => match m.transport() {
            Ok(t) => Some((t, m)),
            Err(e) => {
                tracing::error!(error = %e, "mail not sent: the SMTP settings are wrong");
                None
            }
        },
        _ => None,
    };
    if !dry_run && transport.is_none() {
        // Without [mail], notices are for the web only: nothing is written for mail, so
        // nothing is marked mailed either.
        return Ok(report);
    }
    let now = app.now();
    for (user_id, mut settings) in app.store().users_to_mail().await? {
        let Some(to) = settings.email.clone() else {
            continue;
        };
        let tr = Tr {
            locale: Locale::from_code(&settings.language).unwrap_or(Locale::En),
        };
        let base = mail.and_then(|m| m.base_url.as_deref());
        // Dry, the notices this pass would make are not stored: add them here.
        let unstored: Vec<ShownNotice> = if dry_run {
            made.iter()
                .filter(|n| n.notice.user_id == user_id)
                .cloned()
                .collect()
        } else {
            vec![]
        };
        let mut outgoing: Vec<(Mail, Vec<String>)> = Vec::new();
        if settings.immediate {
            let Some((_, mut shown)) = app.notices_to_mail(&user_id, None).await? else {
                continue;
            };
            shown.retain(|n| now - n.notice.at <= IMMEDIATE_WITHIN);
            shown.extend(unstored.iter().cloned());
            for n in &shown {
                outgoing.push((immediate_mail(&tr, &to, n, base), vec![n.notice.id.clone()]));
            }
        }
        let digest_due = settings.digest
            && settings
                .last_digest_at
                .is_none_or(|t| now - t >= DIGEST_EVERY);
        if digest_due {
            let since = settings.last_digest_at.unwrap_or(now - DIGEST_EVERY);
            let Some((_, mut shown)) = app.notices_to_mail(&user_id, Some(since)).await? else {
                continue;
            };
            shown.extend(unstored);
            if !shown.is_empty() {
                let ids = shown.iter().map(|n| n.notice.id.clone()).collect();
                outgoing.push((digest_mail(&tr, &to, &shown, base), ids));
            }
        }
        let mut digest_failed = false;
        for (m, ids) in outgoing {
            if let Some((transport, settings)) = &transport {
                match send(transport, settings, &m).await {
                    Ok(()) => {
                        report.sent += 1;
                        app.store().mark_mailed(&ids, now).await?;
                    }
                    Err(e) => {
                        report.failed += 1;
                        digest_failed |= m.digest;
                        tracing::error!(to = %m.to, error = %e, "mail not sent");
                    }
                }
            }
            report.mails.push(m);
        }
        if digest_due && !dry_run && !digest_failed {
            settings.last_digest_at = Some(now);
            app.store().set_notice_settings(&user_id, &settings).await?;
        }
    }
    Ok(report)
}

fn link(base: Option<&str>, n: &ShownNotice) -> Option<String> {
    base.map(|b| format!("{}{}", b.trim_end_matches('/'), record_path(&n.record)))
}

fn immediate_mail(tr: &Tr, to: &str, n: &ShownNotice, base: Option<&str>) -> Mail {
    let title = crate::web::notices::record_title(tr, &n.record);
    let mut body = notice_text(tr, n);
    body.push('\n');
    if let Some(l) = link(base, n) {
        body.push_str(&l);
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&tr.t("mail-footer"));
    Mail {
        to: to.to_owned(),
        language: tr.locale.code(),
        subject: tr.t1("mail-notice-subject", "name", &title),
        body,
        digest: false,
    }
}

fn digest_mail(tr: &Tr, to: &str, notices: &[ShownNotice], base: Option<&str>) -> Mail {
    let mut body = tr.t("mail-digest-intro");
    body.push_str("\n\n");
    for n in notices {
        body.push_str("- ");
        body.push_str(&notice_text(tr, n));
        body.push('\n');
        if let Some(l) = link(base, n) {
            body.push_str("  ");
            body.push_str(&l);
            body.push('\n');
        }
    }
    body.push('\n');
    body.push_str(&tr.t("mail-footer"));
    Mail {
        to: to.to_owned(),
        language: tr.locale.code(),
        subject: tr.count("mail-digest-subject", notices.len()),
        body,
        digest: true,
    }
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    settings: &MailSettings,
    m: &Mail,
) -> Result<(), String> {
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| format!("mail.from: {e}"))?;
    let to: Mailbox = m.to.parse().map_err(|e| format!("`{}`: {e}", m.to))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| e.to_string())?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
