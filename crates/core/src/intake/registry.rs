//! Matching a report against the registry: people (by any name in any script, or by
//! surname where a rank or title in front of it, or an earlier mention, tells who is
//! meant), organisations (name, alias, abbreviation), places and topics, with one
//! Aho-Corasick automaton over the report's words folded as search folds them.
//!
//! The registry given is what the requesting user may read: the caller filters it.

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

use super::fold::{Token, name_keys};
use crate::place::PlaceKind;
use crate::time::PartialDate;

/// A post as matching needs it.
#[derive(Debug, Clone)]
pub struct RegPosition {
    pub title: String,
    pub organisation_id: String,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

#[derive(Debug, Clone)]
pub struct RegPerson {
    pub id: String,
    pub display: String,
    pub names: Vec<String>,
    pub rank: Option<String>,
    pub positions: Vec<RegPosition>,
}

#[derive(Debug, Clone)]
pub struct RegOrganisation {
    pub id: String,
    pub display: String,
    pub names: Vec<String>,
    pub abbreviation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RegPlace {
    pub id: String,
    pub display: String,
    pub names: Vec<String>,
    pub kind: PlaceKind,
    pub admin_unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RegTopic {
    pub code: String,
    pub labels: Vec<String>,
}

/// The records a report is matched against.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub people: Vec<RegPerson>,
    pub organisations: Vec<RegOrganisation>,
    pub places: Vec<RegPlace>,
    pub topics: Vec<RegTopic>,
}

impl Registry {
    /// The registry of a dataset document (`hawkari export`, `demo/dataset.json`): its
    /// people, organisations, places and topics, read leniently (a record missing a
    /// field is left out).
    pub fn from_dataset_json(doc: &serde_json::Value) -> Self {
        use serde_json::Value;
        let names = |v: &Value| -> Vec<String> {
            let mut out: Vec<String> = ["en", "ar", "ckb"]
                .iter()
                .filter_map(|k| v.get(k).and_then(Value::as_str).map(str::to_owned))
                .collect();
            if let Some(a) = v.get("aliases").and_then(Value::as_array) {
                out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            out
        };
        let list = |k: &str| {
            doc.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut reg = Registry::default();
        for p in list("people") {
            let (Some(id), Some(n)) = (s(&p, "id"), p.get("names")) else {
                continue;
            };
            let names = names(n);
            reg.people.push(RegPerson {
                id,
                display: names.first().cloned().unwrap_or_default(),
                names,
                rank: s(&p, "rank"),
                positions: p
                    .get("positions")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .filter_map(|x| {
                                Some(RegPosition {
                                    title: s(x, "title")?,
                                    organisation_id: s(x, "organisation_id")?,
                                    from: s(x, "from").and_then(|d| PartialDate::parse(&d).ok()),
                                    to: s(x, "to").and_then(|d| PartialDate::parse(&d).ok()),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        for o in list("organisations") {
            let (Some(id), Some(n)) = (s(&o, "id"), o.get("names")) else {
                continue;
            };
            let names = names(n);
            reg.organisations.push(RegOrganisation {
                id,
                display: names.first().cloned().unwrap_or_default(),
                names,
                abbreviation: s(&o, "abbreviation"),
            });
        }
        for p in list("places") {
            let (Some(id), Some(n)) = (s(&p, "id"), p.get("names")) else {
                continue;
            };
            let names = names(n);
            let kind = p
                .get("kind")
                .cloned()
                .and_then(|k| serde_json::from_value(k).ok())
                .unwrap_or(PlaceKind::Other);
            reg.places.push(RegPlace {
                id,
                display: names.first().cloned().unwrap_or_default(),
                names,
                kind,
                admin_unit: s(&p, "admin_unit"),
            });
        }
        for t in list("topics") {
            let (Some(code), Some(l)) = (s(&t, "code"), t.get("labels")) else {
                continue;
            };
            reg.topics.push(RegTopic {
                code,
                labels: names(l),
            });
        }
        reg
    }

    pub fn add_person(&mut self, p: &crate::person::Person) {
        self.people.push(RegPerson {
            id: p.id.as_str().to_owned(),
            display: p.data.names.display().to_owned(),
            names: p.data.names.all().map(str::to_owned).collect(),
            rank: p.data.rank.as_ref().map(|r| r.as_str().to_owned()),
            positions: p
                .data
                .positions
                .iter()
                .map(|x| RegPosition {
                    title: x.title.as_str().to_owned(),
                    organisation_id: x.organisation_id.as_str().to_owned(),
                    from: x.from,
                    to: x.to,
                })
                .collect(),
        });
    }

    pub fn add_organisation(&mut self, o: &crate::organisation::Organisation) {
        self.organisations.push(RegOrganisation {
            id: o.id.as_str().to_owned(),
            display: o.data.names.display().to_owned(),
            names: o.data.names.all().map(str::to_owned).collect(),
            abbreviation: o.data.abbreviation.as_ref().map(|a| a.as_str().to_owned()),
        });
    }

    pub fn add_place(&mut self, p: &crate::place::Place) {
        self.places.push(RegPlace {
            id: p.id.as_str().to_owned(),
            display: p.data.names.display().to_owned(),
            names: p.data.names.all().map(str::to_owned).collect(),
            kind: p.data.kind,
            admin_unit: p.data.admin_unit.clone(),
        });
    }

    pub fn add_topic(&mut self, t: &crate::topic::Topic) {
        self.topics.push(RegTopic {
            code: t.code.as_str().to_owned(),
            labels: t.labels.all().map(str::to_owned).collect(),
        });
    }
}

/// What a pattern stands for.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Person(usize),
    /// A surname several people share, or one person's surname alone.
    Surname(Vec<usize>),
    Organisation(usize),
    /// An abbreviation: only matched where the report writes it with capitals.
    Abbreviation(usize),
    Place(usize),
    Topic(usize),
}

/// A registry record found in the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    Person(usize),
    Organisation(usize),
    Place(usize),
    Topic(usize),
}

/// One match: the entity, the tokens it covers and how sure the match is.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entity: Entity,
    pub tokens: std::ops::Range<usize>,
    pub confidence: f32,
}

/// Rank words as written in full and abbreviated, folded to one form.
fn rank_word(key: &str) -> &str {
    match key {
        "major" => "maj",
        "general" => "gen",
        "brigadier" => "brig",
        "colonel" => "col",
        "lieutenant" => "lt",
        "captain" => "capt",
        "pm" => "prime",
        k => k,
    }
}

const LEVEL_WORDS: &[&str] = &["governorate", "province", "محافظة", "پارێزگای"];

const GENERATIONAL: &[&str] = &["ii", "iii", "iv", "jr", "sr"];

/// The automaton over the registry's names.
#[derive(Debug)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    targets: Vec<Vec<Target>>,
    pattern_tokens: Vec<usize>,
}

/// The haystack: tokens joined by two spaces, with a space at each end.
fn pattern_text(keys: &[String]) -> String {
    format!(" {} ", keys.join("  "))
}

impl Matcher {
    pub fn new(reg: &Registry) -> Self {
        let mut by_key: HashMap<Vec<String>, Vec<Target>> = HashMap::new();
        fn add(by_key: &mut HashMap<Vec<String>, Vec<Target>>, keys: Vec<String>, t: Target) {
            if keys.is_empty() {
                return;
            }
            let v = by_key.entry(keys).or_default();
            if !v.contains(&t) {
                v.push(t);
            }
        }
        let mut surnames: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in reg.people.iter().enumerate() {
            for n in &p.names {
                let keys = name_keys(n);
                if keys.len() >= 2
                    && let Some(last) = keys
                        .iter()
                        .rev()
                        .find(|k| !GENERATIONAL.contains(&k.as_str()))
                    && last.chars().count() >= 4
                {
                    let v = surnames.entry(last.clone()).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
                add(&mut by_key, keys, Target::Person(i));
            }
        }
        for (s, people) in surnames {
            add(&mut by_key, vec![s], Target::Surname(people));
        }
        for (i, o) in reg.organisations.iter().enumerate() {
            for n in &o.names {
                add(&mut by_key, name_keys(n), Target::Organisation(i));
            }
            if let Some(a) = &o.abbreviation {
                add(&mut by_key, name_keys(a), Target::Abbreviation(i));
            }
        }
        for (i, p) in reg.places.iter().enumerate() {
            for n in &p.names {
                add(&mut by_key, name_keys(n), Target::Place(i));
            }
        }
        // A governorate is written without the word too ("Anbar", "Salahuddin provinces"),
        // unless that name is another place's own (the city of Erbil).
        let level_words: Vec<String> = LEVEL_WORDS.iter().flat_map(|w| name_keys(w)).collect();
        for (i, p) in reg.places.iter().enumerate() {
            if p.kind != PlaceKind::Governorate {
                continue;
            }
            for n in &p.names {
                let keys: Vec<String> = name_keys(n)
                    .into_iter()
                    .filter(|k| !level_words.contains(k))
                    .collect();
                if !by_key.contains_key(&keys) {
                    add(&mut by_key, keys, Target::Place(i));
                }
            }
        }
        for (i, t) in reg.topics.iter().enumerate() {
            for n in &t.labels {
                add(&mut by_key, name_keys(n), Target::Topic(i));
            }
        }
        let mut patterns = Vec::new();
        let mut targets = Vec::new();
        let mut pattern_tokens = Vec::new();
        for (keys, t) in by_key {
            patterns.push(pattern_text(&keys));
            pattern_tokens.push(keys.len());
            targets.push(t);
        }
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("patterns of folded words build an automaton")
        });
        Self {
            ac,
            targets,
            pattern_tokens,
        }
    }

    /// Every registry record named in the text (tokens of the whole report), in order.
    /// Surnames are resolved by the rank or title in front of them, then by who the
    /// report named in full most recently; a surname still ambiguous is left out.
    pub fn find(&self, reg: &Registry, text: &str, tokens: &[Token]) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return vec![];
        };
        let keys: Vec<String> = tokens.iter().map(|t| t.key.clone()).collect();
        let hay = pattern_text(&keys);
        // Byte offset in the haystack → token index.
        let mut starts = HashMap::new();
        let mut pos = 1;
        for (i, k) in keys.iter().enumerate() {
            starts.insert(pos - 1, i);
            pos += k.len() + 2;
        }
        let mut hits = Vec::new();
        let mut last_full: HashMap<usize, usize> = HashMap::new();
        for m in ac.find_iter(&hay) {
            let Some(&first) = starts.get(&m.start()) else {
                continue;
            };
            let n = self.pattern_tokens[m.pattern().as_usize()];
            let range = first..first + n;
            let written = &text[tokens[first].span.start..tokens[first + n - 1].span.end];
            let places: Vec<usize> = self.targets[m.pattern().as_usize()]
                .iter()
                .filter_map(|t| match t {
                    Target::Place(i) => Some(*i),
                    _ => None,
                })
                .collect();
            for t in &self.targets[m.pattern().as_usize()] {
                let (entity, confidence) = match t {
                    Target::Person(i) => {
                        last_full.insert(*i, first);
                        let c = if n >= 2 { 0.95 } else { 0.8 };
                        (Entity::Person(*i), c)
                    }
                    Target::Surname(people) => {
                        match resolve_surname(reg, people, &keys[..first], &last_full) {
                            Some((i, c)) => (Entity::Person(i), c),
                            None => continue,
                        }
                    }
                    // A name that is also a place's ("Baghdad") is read as the place.
                    Target::Organisation(_) | Target::Abbreviation(_) if !places.is_empty() => {
                        continue;
                    }
                    Target::Organisation(i) => (Entity::Organisation(*i), 0.9),
                    Target::Abbreviation(i) => {
                        let capitals = written.chars().filter(|c| c.is_uppercase()).count();
                        if written.is_ascii() && capitals < 2 {
                            continue;
                        }
                        (Entity::Organisation(*i), 0.85)
                    }
                    Target::Place(i) => (Entity::Place(*i), 0.9),
                    Target::Topic(i) => (Entity::Topic(*i), 0.7),
                };
                hits.push(Hit {
                    entity,
                    tokens: range.clone(),
                    confidence,
                });
            }
        }
        hits
    }
}

/// Who a surname stands for: the one person if only one has it, else the one whose rank or
/// title words stand in the three words before it, else the one named in full last.
fn resolve_surname(
    reg: &Registry,
    people: &[usize],
    before: &[String],
    last_full: &HashMap<usize, usize>,
) -> Option<(usize, f32)> {
    let context: Vec<&str> = before
        .iter()
        .rev()
        .take(3)
        .map(|k| rank_word(k.as_str()))
        .collect();
    let score = |i: usize| -> usize {
        let p = &reg.people[i];
        let mut words: Vec<String> = p.rank.iter().flat_map(|r| name_keys(r)).collect();
        for pos in &p.positions {
            words.extend(name_keys(&pos.title));
        }
        let words: Vec<&str> = words
            .iter()
            .map(|w| rank_word(w))
            .filter(|w| !matches!(*w, "of" | "the" | "and"))
            .collect();
        context.iter().filter(|c| words.contains(c)).count()
    };
    let best = people.iter().map(|&i| (score(i), i)).max_by_key(|x| x.0)?;
    let tied: Vec<usize> = people
        .iter()
        .copied()
        .filter(|&i| score(i) == best.0)
        .collect();
    if tied.len() == 1 {
        return Some((tied[0], if best.0 > 0 { 0.85 } else { 0.75 }));
    }
    // Ties: the one the report named in full most recently.
    tied.iter()
        .filter_map(|i| last_full.get(i).map(|at| (*at, *i)))
        .max()
        .map(|(_, i)| (i, 0.7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::fold::tokens;

    fn person(id: &str, names: &[&str], rank: Option<&str>, titles: &[&str]) -> RegPerson {
        RegPerson {
            id: id.into(),
            display: names[0].into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            rank: rank.map(Into::into),
            positions: titles
                .iter()
                .map(|t| RegPosition {
                    title: t.to_string(),
                    organisation_id: "o".into(),
                    from: None,
                    to: None,
                })
                .collect(),
        }
    }

    fn registry() -> Registry {
        Registry {
            people: vec![
                person(
                    "sirwan",
                    &["Sirwan Barzani", "سيروان بارزاني"],
                    Some("Maj. Gen."),
                    &["Commander of Sector 6"],
                ),
                person(
                    "nechirvan",
                    &["Nechirvan Barzani"],
                    None,
                    &["President of the Kurdistan Region"],
                ),
                person("qais", &["Qais al-Muhammadawi", "قيس المحمداوي"], None, &[]),
            ],
            organisations: vec![
                RegOrganisation {
                    id: "dod".into(),
                    display: "DoD".into(),
                    names: vec![
                        "United States Department of Defense".into(),
                        "Pentagon".into(),
                    ],
                    abbreviation: Some("DoD".into()),
                },
                RegOrganisation {
                    id: "goi".into(),
                    display: "Government of Iraq".into(),
                    names: vec!["Government of Iraq".into(), "Baghdad".into()],
                    abbreviation: None,
                },
            ],
            places: vec![RegPlace {
                id: "baghdad".into(),
                display: "Baghdad".into(),
                names: vec!["Baghdad".into(), "بغداد".into()],
                kind: PlaceKind::City,
                admin_unit: None,
            }],
            topics: vec![],
        }
    }

    fn found(text: &str) -> Vec<Entity> {
        let reg = registry();
        Matcher::new(&reg)
            .find(&reg, text, &tokens(text))
            .into_iter()
            .map(|h| h.entity)
            .collect()
    }

    #[test]
    fn names_in_any_script_and_spelling() {
        assert_eq!(found("Qais al-Muḥammadāwī spoke"), [Entity::Person(2)]);
        assert_eq!(found("قال قيس المحمداوي"), [Entity::Person(2)]);
        assert_eq!(found("اللواء سيروان البارزاني"), [Entity::Person(0)]);
        assert_eq!(found("Muhammadawi told Rudaw"), [Entity::Person(2)]);
    }

    #[test]
    fn a_shared_surname_is_resolved_by_rank_or_title_or_left_out() {
        assert_eq!(found("Major-General Barzani said"), [Entity::Person(0)]);
        assert_eq!(found("President Barzani said"), [Entity::Person(1)]);
        assert_eq!(found("Barzani said"), []);
        assert_eq!(
            found("Nechirvan Barzani met him. Later Barzani said"),
            [Entity::Person(1), Entity::Person(1)]
        );
    }

    #[test]
    fn abbreviations_need_capitals_and_place_names_stay_places() {
        assert_eq!(
            found("the DoD and the Pentagon"),
            [Entity::Organisation(0), Entity::Organisation(0)]
        );
        assert_eq!(found("dod"), []);
        assert_eq!(found("visited Baghdad"), [Entity::Place(0)]);
    }
}
