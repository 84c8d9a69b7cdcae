//! `[mail]`: the SMTP server notices are mailed through (`HAWKARI_MAIL__*` in the
//! environment). Unset, notices stay in the web and nothing is mailed.

use anyhow::bail;
use hawkari_http::mail::{MailSettings, MailTls};
use serde::Deserialize;

/// `[mail]` as a file writes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileMail {
    host: Option<String>,
    port: Option<u16>,
    from: Option<String>,
    username: Option<String>,
    password: Option<String>,
    tls: Option<String>,
    base_url: Option<String>,
}

/// The mail settings as read, before they are checked together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct RawMail {
    host: Option<String>,
    port: Option<String>,
    from: Option<String>,
    username: Option<String>,
    password: Option<String>,
    tls: Option<String>,
    base_url: Option<String>,
}

impl From<FileMail> for RawMail {
    fn from(f: FileMail) -> Self {
        Self {
            host: f.host,
            port: f.port.map(|p| p.to_string()),
            from: f.from,
            username: f.username,
            password: f.password,
            tls: f.tls,
            base_url: f.base_url,
        }
    }
}

impl RawMail {
    pub(super) fn apply_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        let value = Some(value.to_owned());
        match key.trim_start_matches("HAWKARI_MAIL__") {
            "HOST" => self.host = value,
            "PORT" => self.port = value,
            "FROM" => self.from = value,
            "USERNAME" => self.username = value,
            "PASSWORD" => self.password = value,
            "TLS" => self.tls = value,
            "BASE_URL" => self.base_url = value,
            _ => bail!("{key}: unknown setting"),
        }
        Ok(())
    }

    /// The settings, if mail is configured: `host` and `from` go together, and the rest
    /// needs them.
    pub(super) fn settings(self) -> anyhow::Result<Option<MailSettings>> {
        let (host, from) = match (self.host, self.from) {
            (Some(h), Some(f)) => (h, f),
            (None, None) => {
                if self.port.is_some()
                    || self.username.is_some()
                    || self.password.is_some()
                    || self.tls.is_some()
                    || self.base_url.is_some()
                {
                    bail!("mail: set host and from, or nothing in [mail]");
                }
                return Ok(None);
            }
            (Some(_), None) => bail!("mail.from: needed with mail.host"),
            (None, Some(_)) => bail!("mail.host: needed with mail.from"),
        };
        let tls: MailTls = match &self.tls {
            Some(t) => t.parse().map_err(|e| anyhow::anyhow!("mail.tls: {e}"))?,
            None => MailTls::StartTls,
        };
        let port = match &self.port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| anyhow::anyhow!("mail.port: `{p}` is not a port (1-65535)"))?,
            None => match tls {
                MailTls::None => 25,
                MailTls::StartTls => 587,
                MailTls::Tls => 465,
            },
        };
        if self.username.is_some() != self.password.is_some() {
            bail!("mail.username and mail.password go together: set both or neither");
        }
        if let Some(url) = &self.base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            bail!("mail.base_url: `{url}` is not a web address like https://hawkari.example.org");
        }
        let settings = MailSettings {
            host,
            port,
            from,
            username: self.username,
            password: self.password,
            tls,
            base_url: self.base_url,
        };
        settings.check().map_err(anyhow::Error::msg)?;
        Ok(Some(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> anyhow::Result<Option<MailSettings>> {
        let mut m = RawMail::default();
        for (k, v) in pairs {
            m.apply_env(&format!("HAWKARI_MAIL__{k}"), v)?;
        }
        m.settings()
    }

    #[test]
    fn mail_is_off_unless_host_and_from_are_set() {
        assert_eq!(raw(&[]).unwrap(), None);
        let err = raw(&[("HOST", "smtp.example.org")]).unwrap_err();
        assert!(err.to_string().contains("mail.from"), "{err}");
        let err = raw(&[("PORT", "25")]).unwrap_err();
        assert!(err.to_string().contains("set host and from"), "{err}");
    }

    #[test]
    fn the_port_follows_the_tls_mode_unless_given() {
        let m = raw(&[
            ("HOST", "smtp.example.org"),
            ("FROM", "hawkari@example.org"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!((m.tls, m.port), (MailTls::StartTls, 587));
        let m = raw(&[
            ("HOST", "localhost"),
            ("FROM", "Hawkari <hawkari@example.org>"),
            ("TLS", "none"),
            ("PORT", "2525"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!((m.tls, m.port), (MailTls::None, 2525));
    }

    #[test]
    fn bad_mail_settings_are_refused_naming_the_setting() {
        for (pairs, named) in [
            (vec![("TLS", "ssl")], "mail.tls"),
            (vec![("PORT", "0")], "mail.port"),
            (vec![("USERNAME", "u")], "mail.username"),
            (vec![("BASE_URL", "hawkari.example.org")], "mail.base_url"),
        ] {
            let mut all = vec![
                ("HOST", "smtp.example.org"),
                ("FROM", "hawkari@example.org"),
            ];
            all.extend(pairs);
            let err = raw(&all).unwrap_err().to_string();
            assert!(err.contains(named), "{named}: {err}");
        }
        let err = raw(&[("HOST", "h"), ("FROM", "not an address")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("mail.from"), "{err}");
    }

    #[test]
    fn the_password_is_not_printed() {
        let m = raw(&[
            ("HOST", "smtp.example.org"),
            ("FROM", "hawkari@example.org"),
            ("USERNAME", "hawkari"),
            ("PASSWORD", "s3cret-word"),
        ])
        .unwrap()
        .unwrap();
        assert!(!format!("{m:?}").contains("s3cret-word"));
    }
}
