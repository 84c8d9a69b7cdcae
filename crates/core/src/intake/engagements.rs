//! Engagement drafts: a sentence with a meeting verb ("met", "received", "visited",
//! "called", "signed", التقى, استقبل, پێشوازی) or a reporting verb ("said", "told",
//! "tweeted") and at least one participant from the registry. Rules, in order:
//!
//! - A clause after a future word ("would also meet", "will visit") is a planned
//!   engagement, apart from the past one before it.
//! - Participants: the people named (each with the post whose organisation or title words
//!   the sentence names, else their first), and the organisations named before the topic
//!   ("to discuss …", "cooperation between …"). A statement's participants are its
//!   speakers: the people named, else the first organisation.
//! - A delegation's members ("led by X", "X was among the members of the delegation") take
//!   part in every visit of that delegation the report tells of.
//! - The date is the first date in the clause; a meeting told of in a post or remark
//!   dated D ("tweeted on Monday") is dated the week up to D; an undated one, the week up
//!   to publication (or the publication's own range when it is not known to the day).
//! - The place is the one local place named (a city, base, site); with several, or only a
//!   country or region, none; a delegation visit with none is at the dateline's place;
//!   a statement has no place.
//! - Drafts of the same kind whose people are one within the other, on the same dates,
//!   are one engagement told in several sentences; an undated remark by someone at a
//!   meeting is part of that meeting.

use super::dates::{Published, Role, When, is_future_word};
use super::fold::name_keys;
use super::registry::{Entity, Registry};
use super::{EngagementDraft, ParticipantDraft, PlaceRef, Sentence, title_of};
use crate::engagement::{EngagementKind, ParticipantRole};
use chrono::Duration;

struct Lexicon {
    meet: Vec<String>,
    report: Vec<String>,
    call: Vec<String>,
    topic: Vec<String>,
    delegation: Vec<String>,
    member: Vec<String>,
    host: Vec<String>,
    lead: Vec<String>,
}

fn keys(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .flat_map(|w| super::fold::word_forms(w))
        .collect()
}

fn lexicon() -> Lexicon {
    Lexicon {
        meet: keys(&[
            "met",
            "meet",
            "meets",
            "meeting",
            "meetings",
            "received",
            "receives",
            "receive",
            "hosted",
            "hosts",
            "visited",
            "visit",
            "visits",
            "talks",
            "discussed",
            "signed",
            "held",
            "travelled",
            "traveled",
            "arrived",
            "التقى",
            "سيلتقي",
            "يزور",
            "سيزور",
            "يلتقي",
            "استقبل",
            "يستقبل",
            "اجتمع",
            "اجتماع",
            "لقاء",
            "زار",
            "زيارة",
            "بحث",
            "ناقش",
            "وقع",
            "پێشوازی",
            "کۆبوونەوە",
            "کۆبووەوە",
            "سەردان",
            "سەردانی",
            "دیدار",
            "گفتوگۆ",
            "بینی",
            "واژۆ",
        ]),
        report: keys(&[
            "said",
            "says",
            "told",
            "stated",
            "stating",
            "tweeted",
            "posted",
            "affirmed",
            "explained",
            "stressed",
            "added",
            "quoted",
            "announced",
            "acknowledged",
            "noted",
            "underlined",
            "reiterated",
            "declared",
            "warned",
            "praised",
            "speaking",
            "قال",
            "صرح",
            "أكد",
            "أعلن",
            "ذكر",
            "أشار",
            "وتی",
            "گوتی",
            "ڕایگەیاند",
            "جەختی",
        ]),
        call: keys(&[
            "called",
            "phoned",
            "phone",
            "telephone",
            "هاتفيا",
            "اتصالا",
            "تەلەفۆن",
        ]),
        topic: keys(&[
            "discuss",
            "discussed",
            "discussing",
            "about",
            "regarding",
            "cooperation",
            "coordination",
            "between",
            "support",
            "against",
            "لمناقشة",
            "بشأن",
            "حول",
            "تعاون",
            "بين",
            "دەربارەی",
            "هاوکاری",
            "نێوان",
        ]),
        delegation: keys(&["delegation", "group", "وفد", "وفدا", "شاند", "شاندێکی"]),
        member: keys(&[
            "among",
            "member",
            "members",
            "included",
            "including",
            "ضم",
            "ضمن",
        ]),
        host: keys(&[
            "received",
            "receives",
            "hosted",
            "hosts",
            "استقبل",
            "پێشوازی",
        ]),
        lead: keys(&["led", "headed", "برئاسة", "بەسەرۆکایەتی"]),
    }
}

/// A clause of a sentence: its token range and whether it speaks of the future.
struct Clause {
    tokens: std::ops::Range<usize>,
    planned: bool,
}

/// Words opening a sentence that carries on the meeting told just before: "There he met
/// …", "During the visit …", هناك، وخلال الزيارة، لەوێ.
fn carries_on(s: &Sentence) -> bool {
    let first = s.key(0);
    matches!(first, "there" | "he" | "she" | "they" | "during")
        || keys(&["هناك", "خلال", "لەوێ", "لەکاتی"])
            .iter()
            .any(|w| w == first)
}

/// Whether the place at token `at` is part of a post's title ("Governor of Erbil",
/// محافظ أربيل، پارێزگاری هەولێر): it says whose the post is, not where a meeting was.
fn in_post_title(s: &Sentence, at: usize) -> bool {
    let governor = keys(&["governor", "محافظ", "پارێزگاری", "پارێزگار"]);
    let is = |i: usize| governor.iter().any(|w| w == s.key(i));
    (at >= 1 && is(at - 1)) || (at >= 2 && s.key(at - 1) == "of" && is(at - 2))
}

pub(super) fn draft(
    text: &str,
    sents: &[&Sentence],
    published: &Published,
    reg: &Registry,
    dateline: Option<PlaceRef>,
) -> Vec<EngagementDraft> {
    let lx = lexicon();
    let mut out: Vec<EngagementDraft> = Vec::new();
    let mut members: Vec<ParticipantDraft> = Vec::new();
    let mut member_cites = Vec::new();
    // The engagement drafted from the sentence before, when it gave a date, and the end of
    // that sentence: an undated meeting in the next sentence of the same paragraph is on
    // that date ("travelled to Baghdad in late January. There he met …").
    let mut before: Option<(usize, usize)> = None;
    for s in sents {
        let same_paragraph = before
            .and_then(|(_, end)| text.get(end..s.range.start))
            .is_some_and(|gap| !gap.contains('\n'));
        let context = before.filter(|_| same_paragraph).map(|(i, _)| i);
        before = None;
        let drafted_before = out.len();
        let mut carried = false;
        // A word of the list, also with the Arabic conjunction و written onto it.
        let has = |list: &[String], r: &std::ops::Range<usize>| {
            r.clone().find(|&i| {
                let k = s.key(i);
                list.iter()
                    .any(|w| w == k || k.strip_prefix('و').is_some_and(|b| b == w))
            })
        };
        let all = 0..s.tokens.len();
        let report_at = has(&lx.report, &all);
        // "told Rudaw the visit aims to …": a meeting spoken of, not one told of.
        let meet_at = has(&lx.meet, &all)
            .filter(|&m| !(m > 0 && s.key(m - 1) == "the" && report_at.is_some_and(|r| r < m)));
        let is_delegation = has(&lx.delegation, &all).is_some();
        // "X was among the members of the delegation": a member, not an engagement.
        if is_delegation && meet_at.is_none() && has(&lx.member, &all).is_some() {
            for p in people_in(s, reg, &all) {
                if !members.iter().any(|m| m.person_id == p.person_id) {
                    members.push(p);
                }
            }
            member_cites.push(s.cite());
            continue;
        }
        // "the so-called Islamic State" calls nobody.
        let call_at = has(&lx.call, &all).filter(|&i| i == 0 || s.key(i - 1) != "so");
        let meet_at = meet_at.or(call_at);
        if meet_at.is_none() && report_at.is_none() {
            continue;
        }
        // Split at a future word that follows a past meeting verb.
        let future_at = all.clone().find(|&i| is_future_word(s.key(i)));
        let clauses = match (meet_at, future_at) {
            (Some(m), Some(f)) if m < f => vec![
                Clause {
                    tokens: 0..f,
                    planned: false,
                },
                Clause {
                    tokens: f..s.tokens.len(),
                    planned: true,
                },
            ],
            (Some(m), Some(f)) if f < m && meet_at.is_some() => vec![Clause {
                tokens: all.clone(),
                planned: true,
            }],
            _ => vec![Clause {
                tokens: all.clone(),
                planned: false,
            }],
        };
        for c in clauses {
            let meet = has(&lx.meet, &c.tokens);
            let report = has(&lx.report, &c.tokens);
            let kind = if has(&lx.call, &c.tokens).is_some_and(|i| i == 0 || s.key(i - 1) != "so") {
                EngagementKind::Call
            } else if meet.is_some() && is_delegation {
                EngagementKind::DelegationVisit
            } else if meet.is_some_and(|i| s.key(i) == "meetings") {
                EngagementKind::JointCommitteeSession
            } else if meet.is_some() {
                EngagementKind::KeyLeaderEngagement
            } else if report.is_some() {
                EngagementKind::PublicStatement
            } else {
                continue;
            };
            let mut participants = people_in(s, reg, &c.tokens);
            let statement = kind == EngagementKind::PublicStatement;
            // Organisations named before the topic of the talks.
            let topic_at = has(&lx.topic, &c.tokens).unwrap_or(c.tokens.end);
            // An organisation written just before a person's name qualifies their post
            // ("KRG Interior Minister Rebar Ahmed"): it is not another participant.
            let name_starts: Vec<usize> = s
                .hits
                .iter()
                .filter(|h| matches!(h.entity, Entity::Person(_)))
                .map(|h| h.tokens.start)
                .collect();
            let mut orgs: Vec<(usize, usize, f32)> = s
                .hits
                .iter()
                .filter(|h| h.tokens.start >= c.tokens.start && h.tokens.end <= c.tokens.end)
                .filter(|h| {
                    !name_starts
                        .iter()
                        .any(|&p| h.tokens.end <= p && p - h.tokens.end <= 3)
                })
                .filter_map(|h| match h.entity {
                    Entity::Organisation(o) => Some((h.tokens.start, o, h.confidence)),
                    _ => None,
                })
                .collect();
            if statement {
                // The speaker: named before the verb, outside the words quoted.
                // With none before it, the one right after it: Arabic puts the subject
                // after the verb (وأعلنت وزارة …), English a quote's speaker ("…, said
                // the ministry").
                let speaker_end = report.unwrap_or(c.tokens.end);
                let after = orgs
                    .iter()
                    .find(|(at, _, _)| {
                        *at > speaker_end && *at <= speaker_end + 2 && !s.quoted(*at)
                    })
                    .copied();
                orgs.retain(|(at, _, _)| *at < speaker_end && !s.quoted(*at));
                if orgs.is_empty()
                    && let Some(o) = after
                {
                    orgs.push(o);
                }
                if !participants.is_empty() {
                    orgs.clear();
                }
                orgs.truncate(1);
            } else {
                orgs.retain(|(at, _, _)| *at < topic_at);
            }
            for (_, o, conf) in orgs {
                let id = &reg.organisations[o].id;
                if participants
                    .iter()
                    .any(|p| p.organisation_id.as_deref() == Some(id))
                {
                    continue;
                }
                participants.push(ParticipantDraft {
                    person_id: None,
                    organisation_id: Some(id.clone()),
                    role: ParticipantRole::Participant,
                    name: reg.organisations[o].display.clone(),
                    confidence: conf,
                });
            }
            if participants.is_empty() && !(kind == EngagementKind::DelegationVisit && c.planned) {
                continue;
            }
            // Roles: the one who receives hosts; "led by X" leads; else the first leads.
            let host_at = has(&lx.host, &c.tokens);
            let lead_at = has(&lx.lead, &c.tokens);
            let starts = person_starts(s, &c.tokens);
            for (p, at) in participants.iter_mut().zip(starts.iter()) {
                if let (Some(h), Some(at)) = (host_at, at)
                    && *at < h
                {
                    p.role = ParticipantRole::Host;
                }
                if let (Some(l), Some(at)) = (lead_at, at)
                    && *at > l
                    && *at <= l + 8
                {
                    p.role = ParticipantRole::Lead;
                }
            }
            if kind == EngagementKind::DelegationVisit {
                for p in &participants {
                    if p.role == ParticipantRole::Lead
                        && p.person_id.is_some()
                        && !members.iter().any(|m| m.person_id == p.person_id)
                    {
                        members.push(p.clone());
                    }
                }
            }
            if !participants
                .iter()
                .any(|p| matches!(p.role, ParticipantRole::Lead))
                && let Some(first) = participants
                    .iter_mut()
                    .find(|p| p.role != ParticipantRole::Host)
            {
                first.role = ParticipantRole::Lead;
            }
            // Date.
            let mention = s.dates.iter().find(|d| {
                d.role == Role::At
                    && d.tokens.start >= c.tokens.start
                    && d.tokens.end <= c.tokens.end
            });
            let (when, explicit) = match mention {
                Some(d) => {
                    let reported =
                        report.is_some_and(|r| d.tokens.start > r && d.tokens.start <= r + 4);
                    if reported && meet.is_some() && !statement && !c.planned {
                        (week_before(&d.when), true)
                    } else {
                        (d.when.clone(), true)
                    }
                }
                None => match context.map(|i| &out[i]) {
                    Some(prev) if prev.planned == c.planned && !statement && prev.explicit_date => {
                        let mut w = prev.when.clone();
                        w.label = format!("{} (the sentence before)", w.label);
                        (w, true)
                    }
                    _ if c.planned => (published.when("after publication (planned)"), false),
                    _ => (undated(published), false),
                },
            };
            // Place.
            let mut locals: Vec<&PlaceRef> = s
                .places
                .iter()
                .filter(|(at, _, kind)| {
                    *at >= c.tokens.start
                        && *at < c.tokens.end
                        && matches!(*kind, "local" | "governorate" | "district")
                        && !in_post_title(s, *at)
                })
                .map(|(_, p, _)| p)
                .collect();
            let mut seen: Vec<&PlaceRef> = Vec::new();
            locals.retain(|p| {
                let first = !seen.contains(p);
                seen.push(p);
                first
            });
            let mut place = match locals.as_slice() {
                [one] if !statement => Some((*one).clone()),
                _ => None,
            };
            if place.is_none() && kind == EngagementKind::DelegationVisit {
                place = dateline.clone();
            }
            // "There he met …": the meeting of the sentence before, at its place, with
            // more people.
            if let Some(i) = context
                .filter(|_| mention.is_none() && !statement && carries_on(s) && c.tokens.start == 0)
                && out[i].planned == c.planned
            {
                let prev = &mut out[i];
                if place.is_none() {
                    place = prev.place.clone();
                }
                if prev.place.is_none() {
                    prev.place = place.clone();
                }
                for p in participants {
                    if !prev.participants.iter().any(|x| {
                        x.person_id == p.person_id && x.organisation_id == p.organisation_id
                    }) {
                        let mut p = p;
                        if p.role == ParticipantRole::Lead {
                            p.role = ParticipantRole::Participant;
                        }
                        prev.participants.push(p);
                    }
                }
                if prev.kind == EngagementKind::PublicStatement {
                    prev.kind = kind;
                }
                let cite = s.cite();
                if !prev.cites.contains(&cite) {
                    prev.cites.push(cite);
                }
                carried = true;
                continue;
            }
            let mut places_mentioned: Vec<PlaceRef> = Vec::new();
            for (_, p, _) in &s.places {
                if Some(p) != place.as_ref() && !places_mentioned.contains(p) {
                    places_mentioned.push(p.clone());
                }
            }
            let topics = s
                .hits
                .iter()
                .filter_map(|h| match h.entity {
                    Entity::Topic(t) => Some(reg.topics[t].code.clone()),
                    _ => None,
                })
                .collect();
            let confidence = participants
                .iter()
                .map(|p| p.confidence)
                .fold(1.0, f32::min)
                * if explicit { 1.0 } else { 0.8 };
            out.push(EngagementDraft {
                kind,
                planned: c.planned,
                title: String::new(),
                when,
                place,
                places_mentioned,
                participants,
                topics,
                cites: vec![s.cite()],
                confidence,
                explicit_date: explicit,
            });
        }
        before = if carried {
            context.map(|i| (i, s.range.end))
        } else {
            (drafted_before..out.len())
                .rev()
                .find(|&i| out[i].explicit_date && out[i].kind != EngagementKind::PublicStatement)
                .map(|i| (i, s.range.end))
        };
    }
    // Delegation members take part in each of the delegation's visits.
    for e in out
        .iter_mut()
        .filter(|e| e.kind == EngagementKind::DelegationVisit)
    {
        for m in &members {
            if !e.participants.iter().any(|p| p.person_id == m.person_id) {
                let mut m = m.clone();
                if e.participants
                    .iter()
                    .any(|p| p.role == ParticipantRole::Lead)
                {
                    m.role = ParticipantRole::Participant;
                }
                e.participants.push(m);
            }
        }
        for c in &member_cites {
            if !e.cites.contains(c) {
                e.cites.push(c.clone());
            }
        }
    }
    let mut merged = merge(out);
    for e in &mut merged {
        e.title = title_of(e.kind, &e.participants, e.planned);
    }
    merged
}

/// The people named in a clause, each with the post that fits the sentence.
fn people_in(s: &Sentence, reg: &Registry, r: &std::ops::Range<usize>) -> Vec<ParticipantDraft> {
    let mut out: Vec<ParticipantDraft> = Vec::new();
    let sentence_orgs: Vec<&str> = s
        .hits
        .iter()
        .filter_map(|h| match h.entity {
            Entity::Organisation(o) => Some(reg.organisations[o].id.as_str()),
            _ => None,
        })
        .collect();
    let words: Vec<&str> = s.tokens.iter().map(|t| t.key.as_str()).collect();
    for h in &s.hits {
        let Entity::Person(i) = h.entity else {
            continue;
        };
        if h.tokens.start < r.start || h.tokens.end > r.end {
            continue;
        }
        let p = &reg.people[i];
        if out
            .iter()
            .any(|x| x.person_id.as_deref() == Some(p.id.as_str()))
        {
            continue;
        }
        let pos = post_of(p, &sentence_orgs, &words);
        out.push(ParticipantDraft {
            person_id: Some(p.id.clone()),
            organisation_id: pos.map(|x| x.organisation_id.clone()),
            role: ParticipantRole::Participant,
            name: p.display.clone(),
            confidence: h.confidence,
        });
    }
    out
}

/// The post that fits a sentence: the one whose organisation it names, else whose title
/// words it has, else the first.
pub(super) fn post_of<'a>(
    p: &'a super::registry::RegPerson,
    sentence_orgs: &[&str],
    words: &[&str],
) -> Option<&'a super::registry::RegPosition> {
    let title_score = |t: &str| {
        name_keys(t)
            .iter()
            .filter(|k| k.len() > 3 && words.iter().any(|w| w.starts_with(k.as_str())))
            .count()
    };
    p.positions
        .iter()
        .enumerate()
        .max_by_key(|(i, x)| {
            (
                sentence_orgs.contains(&x.organisation_id.as_str()),
                title_score(&x.title),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(_, x)| x)
}

/// The token each participant [`people_in`] gives starts at, in the same order.
fn person_starts(s: &Sentence, r: &std::ops::Range<usize>) -> Vec<Option<usize>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for h in &s.hits {
        let Entity::Person(i) = h.entity else {
            continue;
        };
        if h.tokens.start < r.start || h.tokens.end > r.end || seen.contains(&i) {
            continue;
        }
        seen.push(i);
        out.push(Some(h.tokens.start));
    }
    out
}

/// The week up to a date a meeting was told of (a post, a remark): the meeting's own
/// date is not given.
fn week_before(w: &When) -> When {
    match super::dates::Published::parse(&w.value) {
        Ok(p) if p.first == p.last => {
            let a = p.first - Duration::days(7);
            When {
                value: format!("{a}/{}", p.last),
                precision: crate::time::Precision::Range,
                label: format!("told of {} ({}); meeting date not given", w.label, p.last),
            }
        }
        _ => w.clone(),
    }
}

/// An engagement the report does not date: the week up to publication, or the
/// publication's own month, year or range.
fn undated(published: &Published) -> When {
    if published.first == published.last {
        let a = published.first - Duration::days(7);
        When {
            value: format!("{a}/{}", published.last),
            precision: crate::time::Precision::Range,
            label: "not dated in the report; the week up to publication".into(),
        }
    } else {
        published.when("not dated in the report; as the publication")
    }
}

fn people_of(e: &EngagementDraft) -> Vec<&str> {
    e.participants
        .iter()
        .filter_map(|p| p.person_id.as_deref())
        .collect()
}

fn orgs_of(e: &EngagementDraft) -> Vec<&str> {
    e.participants
        .iter()
        .filter_map(|p| p.organisation_id.as_deref())
        .collect()
}

/// Whether `a`'s people (or, with none, organisations) are all among `b`'s.
fn within(a: &EngagementDraft, b: &EngagementDraft) -> bool {
    let (pa, pb) = (people_of(a), people_of(b));
    if !pa.is_empty() {
        return pa.iter().all(|p| pb.contains(p));
    }
    let (oa, ob) = (orgs_of(a), orgs_of(b));
    !oa.is_empty() && pb.is_empty() && oa.iter().all(|o| ob.contains(o))
}

fn merge(drafts: Vec<EngagementDraft>) -> Vec<EngagementDraft> {
    let mut out: Vec<EngagementDraft> = Vec::new();
    // Meetings before remarks, so that a remark finds its meeting.
    let mut order: Vec<EngagementDraft> = drafts;
    order.sort_by_key(|e| e.kind == EngagementKind::PublicStatement);
    for e in order {
        let target = out.iter_mut().find(|o| {
            o.planned == e.planned
                && ((o.kind == e.kind && o.when.value == e.when.value)
                    || (e.kind == EngagementKind::PublicStatement
                        && o.kind != EngagementKind::PublicStatement
                        && !e.explicit_date
                        && !o.planned))
                && (within(&e, o) || within(o, &e))
        });
        match target {
            Some(o) => {
                if within(o, &e) && !within(&e, o) {
                    // The later sentence names more: keep its participants first.
                    let mut ps = e.participants.clone();
                    for p in &o.participants {
                        if !ps.iter().any(|x| {
                            x.person_id == p.person_id && x.organisation_id == p.organisation_id
                        }) {
                            ps.push(p.clone());
                        }
                    }
                    o.participants = ps;
                } else {
                    for p in &e.participants {
                        if !o.participants.iter().any(|x| {
                            (p.person_id.is_some() && x.person_id == p.person_id)
                                || (p.person_id.is_none() && x.organisation_id == p.organisation_id)
                        }) {
                            o.participants.push(p.clone());
                        }
                    }
                }
                if o.place.is_none() {
                    o.place = e.place.clone();
                }
                for c in e.cites {
                    if !o.cites.contains(&c) {
                        o.cites.push(c);
                    }
                }
                for t in e.topics {
                    if !o.topics.contains(&t) {
                        o.topics.push(t);
                    }
                }
                o.confidence = o.confidence.max(e.confidence);
            }
            None => out.push(e),
        }
    }
    out.sort_by_key(|e| e.cites.first().map(|c| c.start));
    out
}
