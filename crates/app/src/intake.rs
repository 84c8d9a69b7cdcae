//! Report intake for a user: the report's drafts, matched against the people,
//! organisations and places that user may read (the same store lists, filtered by the
//! same reach, as every list) and the gazetteer. Nothing is written: confirmed drafts
//! become records through the ordinary create path.

use hawkari_core::ValidationError;
use hawkari_core::intake::registry::Registry;
use hawkari_core::intake::{self, Drafts, GazUnit, MAX_TEXT_BYTES, PlaceLookup, Published};
use hawkari_store::{OrganisationFilter, PersonFilter, PlaceFilter};
use serde::{Deserialize, Serialize};

use crate::{App, AppError, Principal};

/// The gazetteer of Iraq as intake looks names up in it ([`crate::geography::gazetteer`]:
/// units added there, towns and camps too, are found here).
#[derive(Debug)]
pub struct Gazetteer;

impl PlaceLookup for Gazetteer {
    /// Admin units first; else a named place (town, airport, air base) whose name or
    /// alias is the words exactly (no loose spellings: a capitalised word in a sentence
    /// is not always a place), as level 4 with the district it lies in.
    fn find(&self, name: &str) -> Vec<GazUnit> {
        let g = crate::geography::gazetteer();
        let units: Vec<GazUnit> = g
            .find(name)
            .into_iter()
            .map(|u| GazUnit {
                pcode: u.pcode.clone(),
                level: u.level,
                name: u.name_en.clone(),
            })
            .collect();
        if !units.is_empty() {
            return units;
        }
        let key = hawkari_core::gazetteer::name_key(name);
        g.places()
            .find(name)
            .into_iter()
            .filter(|p| {
                [Some(&p.name_en), p.name_ar.as_ref(), p.name_ckb.as_ref()]
                    .into_iter()
                    .flatten()
                    .chain(&p.aliases)
                    .any(|n| hawkari_core::gazetteer::name_key(n) == key)
            })
            .filter_map(|p| {
                let district = g.locate(p.lon, p.lat).district?;
                Some(GazUnit {
                    pcode: district.pcode,
                    level: 4,
                    name: p.name_en.clone(),
                })
            })
            .take(1)
            .collect()
    }
}

/// A report to draft records from.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    /// The report's text (plain text, at most 5 MB).
    #[schema(min_length = 1)]
    pub text: String,
    /// When it was published: `YYYY-MM-DD`, or `YYYY-MM`, `YYYY` or a range `A/B` when
    /// only that is known. Dates in the text are resolved against it.
    #[schema(example = "2022-07-04")]
    pub published: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub publisher: Option<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    /// `en`, `ar` or `ckb`; read from the text when absent.
    #[serde(default)]
    pub language: Option<String>,
}

/// The source the drafts cite: the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What intake answers: the report as a source and the drafts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeResult {
    pub source: ReportSource,
    pub language: String,
    #[serde(flatten)]
    pub drafts: Drafts,
}

/// The language a text is mostly written in: Sorani when it has letters only Kurdish
/// uses, Arabic when Arabic script dominates, else English.
pub fn guess_language(text: &str) -> &'static str {
    let arabic = text
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    if arabic <= latin {
        "en"
    } else if text
        .chars()
        .any(|c| matches!(c, 'ێ' | 'ۆ' | 'ڕ' | 'ڵ' | 'ە' | 'ڤ'))
    {
        "ckb"
    } else {
        "ar"
    }
}

/// Checks a request: the errors name the field.
pub fn check(req: &IntakeRequest) -> Result<Published, ValidationError> {
    let mut errors = Vec::new();
    if req.text.trim().is_empty() {
        errors.push(("text", "the report's text is empty".to_owned()));
    }
    if req.text.len() > MAX_TEXT_BYTES {
        errors.push((
            "text",
            format!(
                "the report is {} bytes; at most {} (5 MB) are read",
                req.text.len(),
                MAX_TEXT_BYTES
            ),
        ));
    }
    let published = Published::parse(&req.published);
    if let Err(e) = &published {
        errors.push(("published", e.clone()));
    }
    for (field, value, most) in [
        ("publisher", &req.publisher, 200),
        ("title", &req.title, 1000),
        ("url", &req.url, 2000),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > most) {
            errors.push((field, format!("at most {most} characters")));
        }
    }
    if let Some(l) = &req.language
        && !matches!(l.as_str(), "en" | "ar" | "ckb")
    {
        errors.push(("language", format!("`{l}` is not en, ar or ckb")));
    }
    match (errors.is_empty(), published) {
        (true, Ok(p)) => Ok(p),
        _ => Err(ValidationError {
            errors: errors
                .into_iter()
                .map(|(field, message)| hawkari_core::FieldError {
                    field: field.to_owned(),
                    message,
                })
                .collect(),
        }),
    }
}

impl App {
    /// The registry as `principal` may read it: people, organisations and places in their
    /// reach (the store's list filter, as every list), and the shared topics.
    pub async fn intake_registry(&self, principal: &Principal) -> Result<Registry, AppError> {
        let mut reg = Registry::default();
        self.all_pages(
            |page| async move {
                self.list_people(principal, &PersonFilter::default(), &page)
                    .await
            },
            |p| reg.add_person(p),
        )
        .await?;
        self.all_pages(
            |page| async move {
                self.list_organisations(principal, &OrganisationFilter::default(), &page)
                    .await
            },
            |o| reg.add_organisation(o),
        )
        .await?;
        self.all_pages(
            |page| async move {
                self.list_places(principal, &PlaceFilter::default(), &page)
                    .await
            },
            |p| reg.add_place(p),
        )
        .await?;
        for t in self.list_topics().await? {
            reg.add_topic(&t);
        }
        Ok(reg)
    }

    /// Drafts from a report, for `principal`.
    pub async fn intake(
        &self,
        principal: &Principal,
        req: &IntakeRequest,
    ) -> Result<IntakeResult, AppError> {
        let published = check(req)?;
        let registry = self.intake_registry(principal).await?;
        Ok(intake_with(req, &published, &registry))
    }
}

/// Drafts from a checked request against a given registry.
pub fn intake_with(
    req: &IntakeRequest,
    published: &Published,
    registry: &Registry,
) -> IntakeResult {
    let drafts = intake::extract(&req.text, published, registry, &Gazetteer);
    IntakeResult {
        source: ReportSource {
            publisher: req.publisher.clone(),
            title: req.title.clone(),
            date: published.value.clone(),
            url: req.url.clone(),
        },
        language: req
            .language
            .clone()
            .unwrap_or_else(|| guess_language(&req.text).to_owned()),
        drafts,
    }
}

#[cfg(test)]
mod town_tests {
    use super::*;

    /// A town that is no admin unit is found as a named place, with the district it lies
    /// in; a unit's name stays the unit; a loose spelling of a town is not a town here.
    #[test]
    fn intake_finds_towns_beside_units_by_their_exact_names() {
        let g = Gazetteer;
        let hajiawa = g.find("Hajiawa");
        assert_eq!(hajiawa.len(), 1, "{hajiawa:?}");
        assert_eq!((hajiawa[0].level, hajiawa[0].name.as_str()), (4, "Hajiawa"));
        let district = crate::geography::gazetteer()
            .unit(&hajiawa[0].pcode)
            .expect("a unit");
        assert_eq!(district.level, 2);
        assert_eq!(g.find("Erbil")[0].level, 1, "the governorate first");
        assert!(g.find("Hajeawa").is_empty(), "no loose spellings of towns");
    }
}
