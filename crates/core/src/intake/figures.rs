//! Commitments, incidents, indicator observations and proposed people and organisations.
//!
//! - A commitment is a sentence with "agreed to", "will", "pledged", "committed to",
//!   "aims to", "scheduled to", "set to" (اتفق, تعهد, سوف, ڕێککەوتن, بەڵێن) and an
//!   organisation responsible: the one named nearest before the cue (with those joined
//!   to it by "and": one draft each), else the post of the person named nearest before
//!   it; "both sides agreed to" is a draft for each side (host and lead) of the meeting
//!   the sentence belongs to. Its due date is "by <date>", else a future date in
//!   the sentence. One said twice (a heading and the body) is one.
//! - An incident is a sentence with an attack word; one sentence is one draft, and a
//!   sentence that names several places or speaks of attacks in the plural is a
//!   statement about several events, never one incident per place. Casualties: "at
//!   least 3 killed" (low 3), "up to 5" (high 5), "between 2 and 4", "3 killed".
//! - An observation is a number with a unit word after it ("72,000 peshmerga", "2,500
//!   troops"), or at the end of a clause with the unit before it ("the size of the force
//!   … will be 138,000"); planned when the sentence says expected, planned, target, will.

use super::dates::{Published, Role, When, is_future_word};
use super::registry::{Entity, Registry};
use super::{
    CommitmentDraft, EngagementDraft, EstimateDraft, FigureStatus, IncidentDraft, ObservationDraft,
    Proposal, Sentence,
};
use crate::engagement::ParticipantRole;
use crate::incident::IncidentType;

fn keys(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .flat_map(|w| super::fold::word_forms(w))
        .collect()
}

/// Index of the first cue in a sentence: single words, or two-word phrases.
fn cue_at(s: &Sentence) -> Option<usize> {
    let single = keys(&[
        "pledged",
        "pledge",
        "pledges",
        "vowed",
        "promised",
        "will",
        "اتفق",
        "اتفقا",
        "تعهد",
        "سوف",
        "سيدعم",
        "ستدعم",
        "سيعمل",
        "ستعمل",
        "سيقوم",
        "ستقوم",
        "يعتزم",
        "ڕێککەوتن",
        "ڕێککەوتوون",
        "بەڵێن",
    ]);
    let to_words = [
        "agreed",
        "agreeing",
        "agree",
        "committed",
        "aims",
        "plans",
        "intends",
        "scheduled",
        "set",
        "seeks",
    ];
    (0..s.tokens.len()).find(|&i| {
        let k = s.key(i);
        single.iter().any(|w| w == k) || (to_words.contains(&k) && s.key(i + 1) == "to")
    })
}

/// "both sides agreed", "the two parties", الجانبان: a commitment of each side of the
/// meeting the sentence tells of, not of one organisation named in it.
/// In Arabic the subject follows the verb: "واتفق الجانبان على …".
fn both_sides_before(s: &Sentence, cue: usize) -> bool {
    let k = |i: usize| if i < cue { s.key(cue - 1 - i) } else { "" };
    let both = |w: &str| matches!(w, "جانبان" | "طرفان" | "جانبين" | "طرفين" | "هەردوولا");
    matches!(
        (k(1), k(0)),
        ("both", "sides" | "parties" | "partners") | ("two", "sides" | "parties")
    ) || both(k(0))
        || both(s.key(cue + 1))
}

/// The organisations of a meeting's two sides: the host's and the lead's, else the first
/// two organisations among its participants.
fn sides_of(e: &EngagementDraft) -> Vec<String> {
    let mut by_role: Vec<String> = Vec::new();
    for role in [ParticipantRole::Host, ParticipantRole::Lead] {
        if let Some(o) = e
            .participants
            .iter()
            .find(|p| p.role == role)
            .and_then(|p| p.organisation_id.clone())
            && !by_role.contains(&o)
        {
            by_role.push(o);
        }
    }
    if by_role.len() == 2 {
        return by_role;
    }
    let mut all: Vec<String> = Vec::new();
    for o in e
        .participants
        .iter()
        .filter_map(|p| p.organisation_id.clone())
    {
        if !all.contains(&o) {
            all.push(o);
        }
        if all.len() == 2 {
            break;
        }
    }
    all
}

/// Words that may stand between organisations of one subject: "KRG and the Iraqi Army".
const JOINERS: &[&str] = &["and", "the", "both", "its", "their", "و"];

pub(super) fn commitments(
    sents: &[&Sentence],
    published: &Published,
    reg: &Registry,
    engagements: &[EngagementDraft],
) -> Vec<CommitmentDraft> {
    let mut out: Vec<CommitmentDraft> = Vec::new();
    for s in sents {
        let Some(cue) = cue_at(s) else { continue };
        // "will be 138,000", "will be held": a figure or an event, not a pledge.
        if s.key(cue) == "will" && s.key(cue + 1) == "be" {
            continue;
        }
        // "will visit Baghdad next week": a planned engagement, not a pledge.
        if s.key(cue) == "will"
            && matches!(
                s.key(cue + 1),
                "visit" | "meet" | "travel" | "receive" | "host" | "hold" | "attend"
            )
        {
            continue;
        }
        let sentence_orgs: Vec<&str> = s
            .hits
            .iter()
            .filter_map(|h| match h.entity {
                Entity::Organisation(o) => Some(reg.organisations[o].id.as_str()),
                _ => None,
            })
            .collect();
        let all_words: Vec<&str> = s.tokens.iter().map(|t| t.key.as_str()).collect();
        // The organisations named before the cue (a person as the post's), in order.
        let subject: Vec<(usize, f32, std::ops::Range<usize>)> = s
            .hits
            .iter()
            .filter(|h| h.tokens.start < cue)
            .filter_map(|h| match h.entity {
                Entity::Organisation(o) => Some((o, h.confidence, h.tokens.clone())),
                Entity::Person(p) => {
                    super::engagements::post_of(&reg.people[p], &sentence_orgs, &all_words)
                        .and_then(|x| {
                            reg.organisations
                                .iter()
                                .position(|o| o.id == x.organisation_id)
                        })
                        .map(|o| (o, h.confidence * 0.9, h.tokens.clone()))
                }
                _ => None,
            })
            .collect();
        // "the Ministry of Peshmerga Affairs (MoPA)": a name and its abbreviation are one.
        let subject = subject.into_iter().fold(
            Vec::<(usize, f32, std::ops::Range<usize>)>::new(),
            |mut acc, hit| {
                match acc.last_mut() {
                    Some(prev) if prev.0 == hit.0 && prev.2.end == hit.2.start => {
                        prev.2.end = hit.2.end;
                    }
                    _ => acc.push(hit),
                }
                acc
            },
        );
        let mut responsible: Vec<(usize, f32)> = Vec::new();
        if both_sides_before(s, cue) {
            // The meeting this sentence is part of, else the last one told before it.
            let meeting = engagements
                .iter()
                .find(|e| e.cites.iter().any(|c| c.start == s.range.start))
                .or_else(|| {
                    engagements
                        .iter()
                        .filter(|e| e.cites.iter().any(|c| c.start < s.range.start))
                        .max_by_key(|e| {
                            e.cites
                                .iter()
                                .filter(|c| c.start < s.range.start)
                                .map(|c| c.start)
                                .max()
                        })
                });
            for id in meeting.map(sides_of).unwrap_or_default() {
                if let Some(o) = reg.organisations.iter().position(|o| o.id == id) {
                    responsible.push((o, 0.7));
                }
            }
        }
        if responsible.is_empty()
            && let Some(last) = subject.last()
        {
            // The one named nearest before the cue, with those joined to it by "and".
            responsible.push((last.0, last.1));
            for pair in subject.windows(2).rev() {
                let between = pair[0].2.end..pair[1].2.start;
                if between.clone().all(|i| JOINERS.contains(&s.key(i)))
                    && between.clone().any(|i| matches!(s.key(i), "and" | "و"))
                {
                    responsible.push((pair[0].0, pair[0].1));
                } else {
                    break;
                }
            }
            responsible.reverse();
        }
        if responsible.is_empty() {
            // "seeks to unify … under the MoPA": the first named after the cue.
            responsible.extend(s.hits.iter().find_map(|h| match h.entity {
                Entity::Organisation(o) if h.tokens.start > cue => Some((o, h.confidence * 0.7)),
                _ => None,
            }));
        }
        let mut seen = std::collections::HashSet::new();
        responsible.retain(|(o, _)| seen.insert(*o));
        let due = s
            .dates
            .iter()
            .find(|d| d.role == Role::Due)
            .or_else(|| {
                s.dates
                    .iter()
                    .find(|d| d.when.value.as_str() > published.last.to_string().as_str())
            })
            .map(|d| d.when.clone());
        let words: Vec<&str> = s.tokens[cue..].iter().map(|t| t.key.as_str()).collect();
        for (org, conf) in responsible {
            let dup = out.iter().position(|c| {
                let other: Vec<String> = super::fold::tokens(&c.text)
                    .into_iter()
                    .map(|t| t.key)
                    .collect();
                let shared = words
                    .iter()
                    .filter(|w| other.iter().any(|o| o == *w))
                    .count();
                c.responsible_org_id == reg.organisations[org].id
                    && shared * 10 >= words.len().min(other.len()) * 9
            });
            if dup.is_some() {
                continue;
            }
            out.push(CommitmentDraft {
                text: s.text.to_owned(),
                responsible_org_id: reg.organisations[org].id.clone(),
                responsible_name: reg.organisations[org].display.clone(),
                due: due.clone(),
                cite: s.cite(),
                confidence: conf * 0.8,
            });
        }
    }
    out
}

fn incident_type(k: &str) -> Option<(IncidentType, bool)> {
    // (type, plural)
    let t = |w: &[&str]| keys(w).iter().any(|x| x == k);
    Some(match k {
        "attack" | "attacked" => (IncidentType::Other, false),
        "attacks" => (IncidentType::Other, true),
        "bombing" | "bomb" | "explosion" | "blast" => (IncidentType::Ied, false),
        "bombings" | "explosions" => (IncidentType::Ied, true),
        "ied" => (IncidentType::Ied, false),
        "ieds" => (IncidentType::Ied, true),
        "ambush" | "clash" => (IncidentType::ArmedClash, false),
        "ambushes" | "clashes" => (IncidentType::ArmedClash, true),
        "abduction" | "kidnapped" | "abducted" => (IncidentType::Abduction, false),
        "abductions" | "kidnappings" => (IncidentType::Abduction, true),
        "assassination" | "assassinated" => (IncidentType::Assassination, false),
        "rocket" | "mortar" | "shelling" => (IncidentType::IndirectFire, false),
        "rockets" | "mortars" => (IncidentType::IndirectFire, true),
        "killed" | "wounded" | "injured" => (IncidentType::Other, false),
        _ if t(&["هجوم", "تفجير", "انفجار", "هێرش", "تەقینەوە"]) => {
            (IncidentType::Other, false)
        }
        _ if t(&["هجمات", "تفجيرات", "هێرشەکان"]) => {
            (IncidentType::Other, true)
        }
        _ if t(&["عبوة", "ناسفة"]) => (IncidentType::Ied, false),
        _ if t(&["اشتباك", "كمين", "بۆسە"]) => (IncidentType::ArmedClash, false),
        _ if t(&["اختطاف", "ڕفاندن"]) => (IncidentType::Abduction, false),
        _ if t(&["قصف"]) => (IncidentType::IndirectFire, false),
        _ if t(&["مقتل", "قتل", "جرحى", "کوژران", "بریندار"]) => {
            (IncidentType::Other, false)
        }
        _ => return None,
    })
}

fn number_word(k: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .iter()
        .position(|w| *w == k)
        .map(|n| n as u32)
        .or_else(|| k.parse().ok().filter(|n| *n < 100_000))
}

/// Casualties near a word: "at least 3 killed", "killing 5", "between 2 and 4 wounded".
fn estimate(s: &Sentence, words: &[&str]) -> Option<EstimateDraft> {
    let targets = keys(words);
    let at = (0..s.tokens.len()).find(|&i| targets.iter().any(|w| w == s.key(i)))?;
    // The number before the word (up to 3 words back), or right after it.
    let n_at = (at.saturating_sub(3)..at)
        .rev()
        .find(|&i| number_word(s.key(i)).is_some())
        .or_else(|| {
            (at + 1..(at + 4).min(s.tokens.len())).find(|&i| number_word(s.key(i)).is_some())
        })?;
    let n = number_word(s.key(n_at))?;
    let prev = |k: usize| if n_at >= k { s.key(n_at - k) } else { "" };
    let mut e = EstimateDraft::default();
    if (prev(2), prev(1)) == ("at", "least") {
        e.low = Some(n);
    } else if (prev(2), prev(1)) == ("up", "to") || (prev(2), prev(1)) == ("as", "many") {
        e.high = Some(n);
    } else if prev(2) == "between" && prev(1).is_empty() {
        e.best = Some(n);
    } else if let (Some(lo), "and" | "to") = (number_word(prev(2)), prev(1)) {
        e.low = Some(lo);
        e.high = Some(n);
    } else {
        e.best = Some(n);
        e.low = Some(n);
        e.high = Some(n);
    }
    Some(e)
}

pub(super) fn incidents(sents: &[&Sentence], published: &Published) -> Vec<IncidentDraft> {
    let mut out = Vec::new();
    for s in sents {
        let found: Vec<(IncidentType, bool)> = (0..s.tokens.len())
            .filter_map(|i| incident_type(s.key(i)))
            .collect();
        let Some(&(first, _)) = found.first() else {
            continue;
        };
        let incident_type = found
            .iter()
            .map(|f| f.0)
            .find(|t| *t != IncidentType::Other)
            .unwrap_or(first);
        let plural = found.iter().any(|f| f.1);
        let hit_and_run = s.text.to_lowercase().contains("hit-and-run");
        let mut places: Vec<super::PlaceRef> = Vec::new();
        for (_, p, k) in &s.places {
            if *k != "country" && !places.contains(p) {
                places.push(p.clone());
            }
        }
        let killed = estimate(
            s,
            &[
                "killed",
                "dead",
                "died",
                "killing",
                "قتلى",
                "مقتل",
                "کوژران",
            ],
        );
        let wounded = estimate(s, &["wounded", "injured", "injuring", "جرحى", "بریندار"]);
        let statement = places.len() > 1 || (plural && killed.is_none() && wounded.is_none());
        let when = s
            .dates
            .iter()
            .find(|d| d.role == Role::At)
            .map(|d| d.when.clone())
            .unwrap_or_else(|| published.when("not dated in the report; as the publication"));
        out.push(IncidentDraft {
            incident_type: if hit_and_run {
                IncidentType::HitAndRun
            } else {
                incident_type
            },
            statement,
            when,
            places,
            killed,
            wounded,
            cite: s.cite(),
            confidence: if statement { 0.5 } else { 0.7 },
        });
    }
    out
}

/// Words a figure counts.
fn unit_word(k: &str) -> bool {
    const UNITS: &[&str] = &[
        "troops",
        "soldiers",
        "fighters",
        "personnel",
        "peshmerga",
        "force",
        "forces",
        "members",
        "families",
        "people",
        "civilians",
        "displaced",
        "returnees",
        "officers",
        "recruits",
        "advisors",
        "advisers",
        "brigades",
        "battalions",
        "vehicles",
        "weapons",
        "km",
        "kilometres",
        "kilometers",
        "dollars",
        "usd",
        "dinars",
        "percent",
        "graduates",
        "trainees",
        "جندي",
        "مقاتل",
        "عنصر",
        "پێشمەرگە",
        "سەرباز",
    ];
    UNITS.contains(&k) || keys(&UNITS[30..]).iter().any(|u| u == k)
}

/// The number written at token `i`, with its thousands separators ("72,000"), and how
/// many tokens it spans.
fn figure_at(s: &Sentence, i: usize) -> Option<(f64, usize)> {
    let base = s.range.start;
    let start = s.tokens[i].span.start - base;
    if !s.key(i).chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Not the tail of a number already read.
    if start >= 1
        && s.text[..start].ends_with([',', '.'])
        && i > 0
        && s.key(i - 1).chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut digits = s.key(i).to_owned();
    let mut n = 1;
    while i + n < s.tokens.len() {
        let prev_end = s.tokens[i + n - 1].span.end - base;
        let next = &s.tokens[i + n];
        let gap = &s.text[prev_end..next.span.start - base];
        if matches!(gap, "," | "٬")
            && next.key.len() == 3
            && next.key.chars().all(|c| c.is_ascii_digit())
        {
            digits.push_str(&next.key);
            n += 1;
        } else {
            break;
        }
    }
    let value: f64 = digits.parse().ok()?;
    Some((value, n))
}

pub(super) fn observations(
    sents: &[&Sentence],
    published: &Published,
    reg: &Registry,
) -> Vec<ObservationDraft> {
    let planned_words = keys(&[
        "expected",
        "planned",
        "target",
        "targets",
        "goal",
        "aim",
        "aims",
        "should",
        "متوقع",
        "المخطط",
        "یەکخستن",
    ]);
    let mut out = Vec::new();
    for s in sents {
        let mut i = 0;
        while i < s.tokens.len() {
            let Some((value, n)) = figure_at(s, i) else {
                i += 1;
                continue;
            };
            let in_date = s.dates.iter().any(|d| d.tokens.contains(&i));
            let is_year = n == 1 && (1900.0..=2100.0).contains(&value) && s.key(i).len() == 4;
            if in_date || is_year || value < 10.0 {
                i += n;
                continue;
            }
            // A number after a capitalised word is part of a name ("Kurdistan 24", "Sector 6").
            if i > 0 && s.written(i - 1).starts_with(|c: char| c.is_uppercase()) {
                i += n;
                continue;
            }
            // The unit right after it, with nothing but space between.
            let after = (i + n..(i + n + 2).min(s.tokens.len())).find(|&j| {
                let gap = &s.text[s.tokens[j - 1].span.end - s.range.start
                    ..s.tokens[j].span.start - s.range.start];
                unit_word(s.key(j)) && gap.trim().is_empty()
            });
            let at_clause_end = i + n == s.tokens.len()
                || s.text[s.tokens[i + n - 1].span.end - s.range.start..]
                    .trim_start()
                    .starts_with(['.', ',', ';']);
            let before = (i.saturating_sub(10)..i)
                .rev()
                .find(|&j| unit_word(s.key(j)));
            let unit_at = after.or(before.filter(|_| at_clause_end));
            let Some(u) = unit_at else {
                i += n;
                continue;
            };
            // Planned when a planning or future word stands in the words before it.
            let planned = (i.saturating_sub(10)..i)
                .any(|j| planned_words.iter().any(|w| w == s.key(j)) || is_future_word(s.key(j)));
            // An actual figure is dated by a date before it ("As of late May, … 72,000"),
            // a planned one by a date after it ("138,000 by 2026").
            let when: When = if planned {
                s.dates.iter().find(|d| d.tokens.start > i)
            } else {
                s.dates
                    .iter()
                    .rfind(|d| d.role == Role::At && d.tokens.end <= i)
            }
            .map(|d| d.when.clone())
            .unwrap_or_else(|| published.when("as of publication"));
            let organisation_id = s
                .hits
                .iter()
                .filter_map(|h| match h.entity {
                    Entity::Organisation(o) => Some((h.tokens.start.abs_diff(i), o)),
                    _ => None,
                })
                .min()
                .map(|(_, o)| reg.organisations[o].id.clone());
            out.push(ObservationDraft {
                value,
                unit: s.written(u).to_lowercase(),
                status: if planned {
                    FigureStatus::Planned
                } else {
                    FigureStatus::Actual
                },
                when,
                organisation_id,
                cite: s.cite(),
                confidence: if after.is_some() { 0.7 } else { 0.5 },
            });
            i += n;
        }
    }
    out
}

/// Rank and title words after which an unknown name is a person.
fn title_word(k: &str) -> bool {
    const WORDS: &[&str] = &[
        "col",
        "colonel",
        "gen",
        "general",
        "maj",
        "major",
        "brig",
        "brigadier",
        "lt",
        "lieutenant",
        "capt",
        "captain",
        "sgt",
        "admiral",
        "president",
        "minister",
        "governor",
        "commander",
        "spokesman",
        "spokesperson",
        "secretary",
        "director",
        "chief",
        "sheikh",
        "dr",
        "ambassador",
        "mayor",
        "envoy",
    ];
    WORDS.contains(&k)
}

pub(super) fn proposals(sents: &[&Sentence]) -> (Vec<Proposal>, Vec<Proposal>) {
    let mut people: Vec<Proposal> = Vec::new();
    let mut orgs: Vec<Proposal> = Vec::new();
    for s in sents {
        let covered = |i: usize| s.hits.iter().any(|h| h.tokens.contains(&i));
        let capital = |i: usize| {
            let w = s.written(i);
            w.starts_with(|c: char| c.is_uppercase()) && !title_word(s.key(i)) && w.len() > 1
        };
        for i in 0..s.tokens.len() {
            if !title_word(s.key(i)) || covered(i + 1) {
                continue;
            }
            let mut j = i + 1;
            while j < s.tokens.len() && j < i + 5 && capital(j) && !covered(j) {
                j += 1;
            }
            // Two words at least: a lone capitalised word after a title is rarely a name.
            if j >= i + 3
                || (j == i + 2 && s.written(i + 1).chars().count() > 3 && s.key(i) != "general")
            {
                let base = s.range.start;
                let name = s.text
                    [s.tokens[i + 1].span.start - base..s.tokens[j - 1].span.end - base]
                    .to_owned();
                if !people.iter().any(|p| p.name == name)
                    && !["Kurdistan", "Region", "Iraq", "Iraqi"]
                        .iter()
                        .any(|w| name.starts_with(w))
                {
                    people.push(Proposal {
                        name,
                        with: Some(s.written(i).to_owned()),
                        cite: s.cite(),
                    });
                }
            }
        }
        // "Iraqi News Agency (INA)": capitalised words and an abbreviation in brackets.
        let base = s.range.start;
        for i in 1..s.tokens.len() {
            let w = s.written(i);
            let open = s.text[..s.tokens[i].span.start - base].ends_with('(');
            let abbreviation =
                w.chars().filter(|c| c.is_uppercase()).count() >= 2 && w.chars().count() <= 8;
            if !open || !abbreviation || covered(i) {
                continue;
            }
            let mut j = i;
            while j > 0
                && (capital(j - 1) || matches!(s.key(j - 1), "of" | "for" | "and"))
                && !covered(j - 1)
            {
                j -= 1;
            }
            while j < i && matches!(s.key(j), "of" | "for" | "and") {
                j += 1;
            }
            if i - j >= 2 {
                let name = s.text[s.tokens[j].span.start - base..s.tokens[i - 1].span.end - base]
                    .to_owned();
                if !orgs.iter().any(|p| p.name == name) {
                    orgs.push(Proposal {
                        name,
                        with: Some(w.to_owned()),
                        cite: s.cite(),
                    });
                }
            }
        }
    }
    (people, orgs)
}
