//! Value types shared by every record kind: checked text, multi-script names, citations,
//! map points and confidence grades.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::time::PartialDate;

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .min_length(Some(1))
                    .max_length(Some($max))
                    // Not blank; the rest (no control characters but newline and tab;
                    // stored trimmed) is said in words: a pattern for it would be long
                    // and tell a reader less.
                    .pattern(Some(r"\S"))
                    .description(Some(concat!(
                        "Text of 1 to ", stringify!($max), " characters, not blank, without ",
                        "control characters other than newline and tab; stored trimmed"
                    )))
                    .into()
            }
        }
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const MAX_CHARS: usize = $max;
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                // The length counted is the length sent, spaces around it included: the
                // limit the OpenAPI document states (`maxLength`) is on the value sent.
                let n = s.chars().count();
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    return Err("must not be empty".into());
                }
                if n > $max {
                    return Err(format!("is {n} characters long; at most {} are allowed", $max));
                }
                if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                    return Err("must not contain control characters".into());
                }
                Ok(Self(trimmed.to_owned()))
            }
        }

        impl From<$name> for String {
            fn from(t: $name) -> String {
                t.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

bounded_text!(
    /// A name, title or label: trimmed, non-empty, at most 300 characters.
    Name,
    300
);
bounded_text!(
    /// A passage of prose (summary, outcome, commitment text): non-empty, at most 20 000 characters.
    Text,
    20_000
);

/// A name in the scripts the partnership works in, plus other spellings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English (Latin script).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<Name>,
    /// Arabic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<Name>,
    /// Sorani Kurdish (Arabic script).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ckb: Option<Name>,
    /// Other spellings and transliterations, e.g. `Hawler`, `Arbil` for Erbil.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Name>,
}

impl Names {
    pub fn check(&self, field: &str, problems: &mut Problems) {
        if self.en.is_none() && self.ar.is_none() && self.ckb.is_none() {
            problems.add(field, "at least one of en, ar or ckb is required");
        }
    }

    /// The name to show when no language is asked for: English, then Arabic, then Sorani.
    pub fn display(&self) -> &str {
        self.en
            .as_ref()
            .or(self.ar.as_ref())
            .or(self.ckb.as_ref())
            .map(Name::as_str)
            .unwrap_or_default()
    }

    /// Every spelling, for the search index.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        [&self.en, &self.ar, &self.ckb]
            .into_iter()
            .flatten()
            .chain(&self.aliases)
            .map(Name::as_str)
    }
}

/// A citation: where a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Who published it, e.g. `Kurdistan 24`.
    pub publisher: Name,
    /// Title of the report or document.
    pub title: Text,
    /// Publication date, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// A web address (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// A document reference where there is no address (file name, message number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Name>,
}

/// An absolute http(s) address.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Url(String);

impl Url {
    /// The longest address accepted, in characters as sent.
    pub const MAX_CHARS: usize = 2000;
}

impl utoipa::PartialSchema for Url {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(Url::MAX_CHARS))
            .pattern(Some(r"^\s*https?://[^\s/]\S*\s*$"))
            .description(Some(
                "An http or https address with a host; spaces around it are dropped",
            ))
            .examples(["https://www.rudaw.net/english"])
            .into()
    }
}
impl utoipa::ToSchema for Url {}

impl TryFrom<String> for Url {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let too_long = s.chars().count() > Self::MAX_CHARS;
        let s = s.trim().to_owned();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` must start with http:// or https://"))?;
        if rest.is_empty()
            || rest.starts_with('/')
            || s.chars().any(char::is_whitespace)
            || too_long
        {
            return Err(format!("`{s}` is not a web address"));
        }
        Ok(Self(s))
    }
}
impl Url {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Url> for String {
    fn from(u: Url) -> String {
        u.0
    }
}
impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A WGS 84 point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// Latitude in degrees, -90 to 90.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    /// Longitude in degrees, -180 to 180.
    #[schema(minimum = -180, maximum = 180)]
    pub lon: f64,
}

impl Point {
    pub fn check(&self, field: &str, problems: &mut Problems) {
        if !(-90.0..=90.0).contains(&self.lat) {
            problems.add(
                format!("{field}.lat"),
                "latitude must be between -90 and 90",
            );
        }
        if !(-180.0..=180.0).contains(&self.lon) {
            problems.add(
                format!("{field}.lon"),
                "longitude must be between -180 and 180",
            );
        }
    }
}

/// How far a record's account can be trusted, as judged by whoever entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Confirmed by participants or several independent sources.
    High,
    /// One credible source.
    #[default]
    Moderate,
    /// Unconfirmed or second-hand.
    Low,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_must_not_be_blank() {
        assert_eq!(
            Name::try_from("  Sector 6 ".to_string()).unwrap().as_str(),
            "Sector 6"
        );
        assert_eq!(
            Name::try_from("   ".to_string()).unwrap_err(),
            "must not be empty"
        );
        assert!(
            Name::try_from("x".repeat(301))
                .unwrap_err()
                .contains("at most 300")
        );
    }

    #[test]
    fn the_length_limit_counts_the_characters_sent_spaces_included() {
        assert!(Name::try_from(format!("{} ", "x".repeat(299))).is_ok());
        assert!(
            Name::try_from(format!(" {} ", "x".repeat(299)))
                .unwrap_err()
                .contains("is 301 characters long")
        );
        let url = format!("https://example.org/{}", "x".repeat(1981));
        assert!(Url::try_from(url.clone()).is_err());
        assert!(Url::try_from(url[..url.len() - 1].to_owned()).is_ok());
        assert!(Url::try_from(format!("  {}", &url[..url.len() - 1])).is_err());
    }

    #[test]
    fn urls_must_be_http_addresses() {
        assert!(Url::try_from("https://www.kurdistan24.net/en/story/1".to_string()).is_ok());
        assert!(Url::try_from("ftp://example.org".to_string()).is_err());
        assert!(Url::try_from("https://".to_string()).is_err());
    }

    #[test]
    fn names_need_one_script() {
        let mut p = Problems::default();
        Names::default().check("names", &mut p);
        let err = p.into_result().unwrap_err();
        assert_eq!(err.errors[0].field, "names");
    }
}
