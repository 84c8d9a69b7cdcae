//! Typed record identifiers: an `EngagementId` cannot be passed where a `PersonId` is meant.
//!
//! An id is 1–64 characters of lower-case ASCII letters, digits, `-` and `_`. Servers mint
//! UUIDv7 strings (time-ordered, so new rows append to the index); imports and the demo
//! dataset may use readable ids such as `mopa` or `sirwan-barzani`.

use std::fmt;

/// What [`check_slug`] accepts, as a regular expression (for the OpenAPI document).
pub const SLUG_PATTERN: &str = "^[a-z0-9_-]{1,64}$";

/// The OpenAPI schema of an id: what [`check_slug`] accepts.
pub fn slug_schema(example: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(SLUG_PATTERN))
        .min_length(Some(1))
        .max_length(Some(64))
        .description(Some(
            "1 to 64 characters: lower-case letters a-z, digits, `-` and `_`",
        ))
        .examples([example])
        .into()
}

/// Checks the id alphabet; shared by every typed id and by topic codes.
pub fn check_slug(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 64 {
        return Err("must be 1 to 64 characters".into());
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "`{s}` may contain only lower-case letters a-z, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// A fresh server-minted id: a UUIDv7, time-ordered so new rows append to the index.
pub fn mint() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                slug_schema($example)
            }
        }
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// A fresh server-minted id (UUIDv7, time-ordered).
            pub fn generate() -> Self {
                Self(mint())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                check_slug(&s)?;
                Ok(Self(s))
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

typed_id!(
    /// Identifies an organisation (coalition, ministry, command, joint mechanism …).
    OrganisationId,
    "mopa"
);
typed_id!(
    /// Identifies a person (key leader or official).
    PersonId,
    "sirwan-barzani"
);
typed_id!(
    /// Identifies a gazetteer place.
    PlaceId,
    "erbil"
);
typed_id!(
    /// Identifies an engagement (meeting, visit, call, committee session, statement).
    EngagementId,
    "eng-2022-06-23-mopa-delegation-baghdad"
);
typed_id!(
    /// Identifies a commitment made in an engagement.
    CommitmentId,
    "cmt-2025-kr-strengthen-joint-efforts"
);
typed_id!(
    /// Code of a topic in the controlled vocabulary, e.g. `security-gaps`.
    TopicCode,
    "security-gaps"
);
typed_id!(
    /// Identifies an incident.
    IncidentId,
    "demo-incident-001"
);
typed_id!(
    /// Identifies an area (of responsibility, of concern, or a coordination line).
    AreaId,
    "aor-sector-6"
);
typed_id!(
    /// Identifies a programme (a reform plan, a transition plan …).
    ProgrammeId,
    "reform-plan-mopa"
);
typed_id!(
    /// Identifies a joint operation (e.g. election security) with its sites.
    OperationId,
    "election-security-2025"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_upper_case_spaces_and_overlong_values() {
        assert!(PersonId::try_from("Sirwan".to_string()).is_err());
        assert!(PersonId::try_from("a b".to_string()).is_err());
        assert!(PersonId::try_from("x".repeat(65)).is_err());
        assert!(PersonId::try_from(String::new()).is_err());
        assert_eq!(
            PersonId::try_from("sirwan-barzani".to_string())
                .unwrap()
                .as_str(),
            "sirwan-barzani"
        );
    }

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let a = EngagementId::generate();
        let b = EngagementId::generate();
        assert_ne!(a, b);
        assert!(EngagementId::try_from(a.to_string()).is_ok());
    }
}
