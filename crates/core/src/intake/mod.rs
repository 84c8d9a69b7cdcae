//! Report intake: from a news report's text to draft records — engagements, commitments,
//! incidents and indicator observations — each citing the sentence it came from (byte
//! offsets into the text) with a confidence. Deterministic and offline: sentence
//! splitting, date expressions resolved against the publication date ([`dates`]),
//! registry matching with Aho-Corasick over folded words ([`registry`]) and the gazetteer
//! through a lookup the caller gives ([`PlaceLookup`]). Nothing is created here: people
//! and organisations the registry lacks are proposed, and the user confirms each draft.

pub mod dates;
mod engagements;
pub mod eval;
mod figures;
pub mod fold;
pub mod html;
pub mod registry;
pub mod sentences;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::engagement::{EngagementKind, ParticipantRole};
use crate::incident::IncidentType;
pub use dates::{Published, When};
use fold::Token;
use registry::{Entity, Hit, Matcher, Registry};

/// The most text one report may hold (bytes).
pub const MAX_TEXT_BYTES: usize = 5 * 1024 * 1024;

/// A gazetteer unit a name was found as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazUnit {
    pub pcode: String,
    /// 1 governorate, 2 district, 3 sub-district; 4 a named place (town, air base), whose
    /// `pcode` is the district it lies in.
    pub level: u8,
    pub name: String,
}

/// Looks a place name up in the gazetteer (the app gives its gazetteer; tests a stub).
pub trait PlaceLookup {
    /// The units a name, as the report writes it, names exactly (no prefixes).
    fn find(&self, name: &str) -> Vec<GazUnit>;
}

/// No gazetteer: registry places only.
#[derive(Debug)]
pub struct NoGazetteer;

impl PlaceLookup for NoGazetteer {
    fn find(&self, _: &str) -> Vec<GazUnit> {
        vec![]
    }
}

/// The sentence a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Cite {
    /// Byte offsets into the report's text (UTF-8).
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}

/// A place as a draft names it: a registry place, a gazetteer unit, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlaceRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pcode: Option<String>,
    pub name: String,
}

/// Who took part, as matched in the registry.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ParticipantDraft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub role: ParticipantRole,
    /// The name as the registry gives it.
    pub name: String,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EngagementDraft {
    pub kind: EngagementKind,
    /// Announced for the future, not reported as having happened.
    pub planned: bool,
    pub title: String,
    pub when: When,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// Other places the sentences name (none of them is the engagement's place).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places_mentioned: Vec<PlaceRef>,
    pub participants: Vec<ParticipantDraft>,
    pub topics: Vec<String>,
    pub cites: Vec<Cite>,
    pub confidence: f32,
    #[serde(skip)]
    explicit_date: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CommitmentDraft {
    /// The sentence, as the commitment's wording to edit.
    pub text: String,
    pub responsible_org_id: String,
    pub responsible_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<When>,
    pub cite: Cite,
    pub confidence: f32,
}

/// Casualties as a range: low, best and high estimate (any may be unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EstimateDraft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IncidentDraft {
    #[serde(rename = "type")]
    pub incident_type: IncidentType,
    /// A statement about several events (a list of governorates, "attacks"), not one
    /// event: it is not to become one incident per place.
    pub statement: bool,
    pub when: When,
    pub places: Vec<PlaceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<EstimateDraft>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wounded: Option<EstimateDraft>,
    pub cite: Cite,
    pub confidence: f32,
}

/// Whether a figure is what is, or what is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureStatus {
    Actual,
    Planned,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ObservationDraft {
    pub value: f64,
    pub unit: String,
    pub status: FigureStatus,
    pub when: When,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub cite: Cite,
    pub confidence: f32,
}

/// A person or organisation the registry does not know: proposed, never created.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub name: String,
    /// The rank, title or abbreviation written with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
    pub cite: Cite,
}

/// Everything drafted from one report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Drafts {
    pub published: String,
    pub sentences: usize,
    pub engagements: Vec<EngagementDraft>,
    pub commitments: Vec<CommitmentDraft>,
    pub incidents: Vec<IncidentDraft>,
    pub observations: Vec<ObservationDraft>,
    pub proposed_people: Vec<Proposal>,
    pub proposed_organisations: Vec<Proposal>,
}

/// One sentence and what was found in it.
#[derive(Debug)]
struct Sentence<'a> {
    range: Range<usize>,
    text: &'a str,
    /// Its tokens (a slice of the report's).
    tokens: &'a [Token],
    hits: Vec<Hit>,
    /// Registry or gazetteer places in it, with the token each starts at.
    places: Vec<(usize, PlaceRef, &'static str)>,
    dates: Vec<dates::Mention>,
}

impl Sentence<'_> {
    fn cite(&self) -> Cite {
        Cite {
            start: self.range.start,
            end: self.range.end,
            sentence: self.text.to_owned(),
        }
    }
    fn key(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.key.as_str()).unwrap_or("")
    }
    /// Whether token `i` stands inside quotation marks.
    fn quoted(&self, i: usize) -> bool {
        let before = &self.text[..self.tokens[i].span.start - self.range.start];
        let open = before.matches(['“', '«']).count();
        let close = before.matches(['”', '»']).count();
        open > close || before.matches('"').count() % 2 == 1
    }
    fn written(&self, i: usize) -> &str {
        let base = self.range.start;
        let s = &self.tokens[i].span;
        &self.text[s.start - base..s.end - base]
    }
}

/// Drafts from a report's text, published on `published`, matched against `registry`
/// (only what the requesting user may read) and the gazetteer.
pub fn extract(
    text: &str,
    published: &Published,
    registry: &Registry,
    gazetteer: &dyn PlaceLookup,
) -> Drafts {
    let tokens = fold::tokens(text);
    let matcher = Matcher::new(registry);
    let hits = matcher.find(registry, text, &tokens);
    let ranges = sentences::split(text);
    let mut sents = Vec::new();
    let mut t = 0;
    for r in &ranges {
        while t < tokens.len() && tokens[t].span.start < r.start {
            t += 1;
        }
        let first = t;
        let mut end = t;
        while end < tokens.len() && tokens[end].span.end <= r.end {
            end += 1;
        }
        let local_hits: Vec<Hit> = hits
            .iter()
            .filter(|h| h.tokens.start >= first && h.tokens.end <= end)
            .map(|h| Hit {
                entity: h.entity.clone(),
                tokens: h.tokens.start - first..h.tokens.end - first,
                confidence: h.confidence,
            })
            .collect();
        let stoks = &tokens[first..end];
        let sentence_text = &text[r.clone()];
        let mut s = Sentence {
            range: r.clone(),
            text: sentence_text,
            tokens: stoks,
            hits: local_hits,
            places: vec![],
            dates: dates::find(stoks, text, published),
        };
        s.places = find_places(&s, registry, gazetteer);
        sents.push(s);
        t = end;
    }
    let dateline = dateline_place(&sents);
    // The dateline ("date 2022-07-04 ERBIL –") stamps the report: its place and dates
    // are not those of an event the sentence tells of.
    if let Some((si, at, _)) = dateline.as_ref()
        && let Some(s) = sents.get_mut(*si)
    {
        s.dates.retain(|d| d.tokens.start > *at);
        s.places.retain(|p| p.0 != *at);
    }
    let dateline = dateline.map(|d| (d.1, d.2));
    let skipped: Vec<bool> = sents.iter().map(is_aside).collect();
    let live: Vec<&Sentence> = sents
        .iter()
        .zip(&skipped)
        .filter(|(_, skip)| !**skip)
        .map(|(s, _)| s)
        .collect();
    let engagements = engagements::draft(text, &live, published, registry, dateline.map(|d| d.1));
    let commitments = figures::commitments(&live, published, registry, &engagements);
    let incidents = figures::incidents(&live, published);
    let observations = figures::observations(&live, published, registry);
    let (proposed_people, proposed_organisations) = figures::proposals(&live);
    Drafts {
        published: published.value.clone(),
        sentences: sents.len(),
        engagements,
        commitments,
        incidents,
        observations,
        proposed_people,
        proposed_organisations,
    }
}

/// Lines that are not the report's own sentences: "Read More:" headlines of other
/// articles and the attribution lines of embedded posts ("— Name (@handle) July 4, 2022").
fn is_aside(s: &Sentence) -> bool {
    let t = s.text.trim_start();
    t.starts_with("Read More")
        || t.starts_with("Read more")
        || ((t.starts_with('—') || t.starts_with("- ")) && t.contains("(@"))
}

/// Places in a sentence: registry places matched, then the gazetteer for runs of words
/// the registry did not match (capitalised in Latin script, any in Arabic script).
fn find_places(
    s: &Sentence,
    reg: &Registry,
    gaz: &dyn PlaceLookup,
) -> Vec<(usize, PlaceRef, &'static str)> {
    let mut out = Vec::new();
    let mut covered = vec![false; s.tokens.len()];
    for h in &s.hits {
        for i in h.tokens.clone() {
            covered[i] = true;
        }
        if let Entity::Place(i) = h.entity {
            let p = &reg.places[i];
            out.push((
                h.tokens.start,
                PlaceRef {
                    place_id: Some(p.id.clone()),
                    pcode: p.admin_unit.clone(),
                    name: p.display.clone(),
                },
                place_kind(p.kind),
            ));
        }
    }
    let wordish = |i: usize| {
        let w = s.written(i);
        let first = w.chars().next().unwrap_or(' ');
        !covered[i]
            && !STOP_PLACES.contains(&s.key(i))
            && w.chars().count() >= 3
            && (first.is_uppercase() || (!first.is_ascii() && first.is_alphabetic()))
            && !w.chars().all(|c| c.is_ascii_digit())
    };
    let mut i = 0;
    while i < s.tokens.len() {
        let mut found = false;
        for n in [3usize, 2, 1] {
            if i + n > s.tokens.len() || !(i..i + n).all(wordish) {
                continue;
            }
            // A lone capitalised word opening the sentence is usually not a place.
            if i == 0 && n == 1 && s.written(0).is_ascii() {
                continue;
            }
            let base = s.range.start;
            let name = &s.text[s.tokens[i].span.start - base..s.tokens[i + n - 1].span.end - base];
            if let Some(u) = gaz.find(name).into_iter().next() {
                // A town (level 4) is not the registry place of its district.
                let known = reg
                    .places
                    .iter()
                    .filter(|_| u.level < 4)
                    .find(|p| p.admin_unit.as_deref() == Some(u.pcode.as_str()));
                out.push((
                    i,
                    PlaceRef {
                        place_id: known.map(|p| p.id.clone()),
                        pcode: Some(u.pcode.clone()),
                        name: known.map(|p| p.display.clone()).unwrap_or(u.name.clone()),
                    },
                    match u.level {
                        1 => "governorate",
                        4 => "local",
                        _ => "district",
                    },
                ));
                i += n;
                found = true;
                break;
            }
        }
        if !found {
            i += 1;
        }
    }
    // Every mention is kept (the dateline's is told apart by its token); users dedupe.
    out.sort_by_key(|p| p.0);
    out
}

/// Capitalised words that name no place although a loose spelling might match one.
const STOP_PLACES: &[&str] = &[
    "the",
    "coalition",
    "army",
    "forces",
    "force",
    "peshmerga",
    "president",
    "minister",
    "prime",
    "general",
    "commander",
    "staff",
    "chief",
    "deputy",
    "region",
    "government",
    "ministry",
    "security",
    "islamic",
    "state",
    "isis",
    "said",
    "read",
    "more",
    "but",
    "while",
    "since",
    "after",
    "before",
    "during",
    "despite",
    "however",
    "importantly",
    "indeed",
    "formerly",
    "some",
    "top",
    "both",
    "this",
    "that",
    "these",
    "those",
    "we",
    "he",
    "she",
    "they",
    "it",
    "in",
    "on",
    "at",
    "as",
    "by",
    "for",
    "with",
    "of",
    "and",
    "or",
    "to",
    "from",
    "editing",
    "source",
    "key",
    "leader",
    "engagement",
    "partner",
    "post",
    "report",
    "hit",
    "run",
];

fn place_kind(k: crate::place::PlaceKind) -> &'static str {
    use crate::place::PlaceKind::*;
    match k {
        Country => "country",
        Other => "other",
        Governorate => "governorate",
        _ => "local",
    }
}

/// The dateline's place ("ERBIL (Kurdistan 24) –", "ERBIL, Kurdistan Region -"): a
/// place written in capitals near the start of the report; with its sentence and token.
fn dateline_place(sents: &[Sentence]) -> Option<(usize, usize, PlaceRef)> {
    for (si, s) in sents.iter().enumerate().take(3) {
        for (at, p, _) in &s.places {
            let w = s.written(*at);
            // In capitals, or (Arabic script has none) the sentence's first words.
            let capitals = w.chars().any(char::is_uppercase) && !w.chars().any(char::is_lowercase);
            let arabic_first = !w.is_ascii() && *at < 2;
            if w.chars().count() >= 3 && (capitals || arabic_first) {
                return Some((si, *at, p.clone()));
            }
        }
    }
    None
}

/// The rest of the report's engagements need a title: kind and who, in English.
fn title_of(kind: EngagementKind, participants: &[ParticipantDraft], planned: bool) -> String {
    let who: Vec<&str> = participants.iter().map(|p| p.name.as_str()).collect();
    let what = match kind {
        EngagementKind::KeyLeaderEngagement => "Meeting",
        EngagementKind::DelegationVisit => "Delegation visit",
        EngagementKind::Call => "Call",
        EngagementKind::JointCommitteeSession => "Joint meetings",
        EngagementKind::PublicStatement => "Statement",
    };
    let planned = if planned { " (planned)" } else { "" };
    let mut t = format!("{what}{planned}: {}", who.join(", "));
    if t.chars().count() > 190 {
        t = t.chars().take(190).collect::<String>() + "…";
    }
    t
}

#[cfg(test)]
mod tests;
