//! A synthetic dataset at scale, for benchmarks: organisations in a hierarchy, people
//! with positions, and engagements with participants, topics and commitments, with names
//! in Latin and Arabic script. Deterministic for a given seed; written in batches of
//! upserts, each batch its own transaction.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use hawkari_core::access::{Reach, ReleaseGroup};
use hawkari_core::commitment::{Commitment, CommitmentData, CommitmentStatus, StatusChange};
use hawkari_core::engagement::{
    Engagement, EngagementData, EngagementKind, Participant, ParticipantRole,
};
use hawkari_core::meta::Meta;
use hawkari_core::organisation::{Organisation, OrganisationData, OrganisationKind};
use hawkari_core::person::{Person, PersonData, Position};
use hawkari_core::time::{EventTime, PartialDate};
use hawkari_core::topic::Topic;
use hawkari_core::values::{Confidence, Name, Names, Text};
use hawkari_store::{AnyRecord, TopicWrite, Write};

use crate::dataset::BATCH;
use crate::{App, AppError};

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub engagements: u64,
    pub seed: u64,
}

impl Scale {
    pub fn organisations(&self) -> u64 {
        (self.engagements / 500).clamp(20, 400)
    }
    pub fn people(&self) -> u64 {
        (self.engagements / 50).clamp(50, 5000)
    }
}

/// A small deterministic generator (xorshift64*), enough for test data.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const LATIN: [&str; 16] = [
    "Ahmed", "Barzani", "Karim", "Hassan", "Rashid", "Salih", "Jabar", "Talabani", "Aziz",
    "Mahmoud", "Omar", "Sherwan", "Hussein", "Kamal", "Nouri", "Dara",
];
const ARABIC: [&str; 16] = [
    "أحمد",
    "بارزاني",
    "كريم",
    "حسن",
    "رشيد",
    "صالح",
    "جبار",
    "طالباني",
    "عزيز",
    "محمود",
    "عمر",
    "شيروان",
    "حسين",
    "كمال",
    "نوري",
    "دارا",
];
const TOPICS: [&str; 12] = [
    "security-gaps",
    "joint-brigades",
    "counter-terrorism",
    "election-security",
    "border-security",
    "coalition-transition",
    "peshmerga-reform",
    "intelligence-sharing",
    "training",
    "air-support",
    "displaced-people",
    "checkpoints",
];

fn name(s: String) -> Name {
    Name::try_from(s).expect("generated names are valid")
}

fn text(s: String) -> Text {
    Text::try_from(s).expect("generated texts are valid")
}

/// Generates and stores the dataset, calling `progress(done, total)` after each batch.
pub async fn generate(
    app: &App,
    scale: Scale,
    mut progress: impl FnMut(u64, u64),
) -> Result<(), AppError> {
    let mut rng = Rng(scale.seed | 1);
    let at = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("valid");
    let meta = Meta::new("generator", at);
    let n_orgs = scale.organisations();
    let n_people = scale.people();
    let total = n_orgs + n_people + scale.engagements;
    let org_id = organisation_id;
    let kinds = [
        OrganisationKind::Coalition,
        OrganisationKind::Federal,
        OrganisationKind::Regional,
        OrganisationKind::JointMechanism,
    ];

    let mut writes: Vec<Write> = TOPICS
        .iter()
        .map(|t| {
            Write::PutTopic(
                Topic {
                    code: t.parse().expect("valid"),
                    labels: Names {
                        en: Some(name(t.replace('-', " "))),
                        ..Default::default()
                    },
                },
                TopicWrite::Upsert,
            )
        })
        .collect();
    for i in 0..n_orgs {
        // The first four are roots; every other hangs under an earlier one.
        let parent = (i >= 4).then(|| org_id(rng.below(i)));
        let data = OrganisationData {
            names: Names {
                en: Some(name(format!("{} Command {i}", rng.pick(&LATIN)))),
                ar: Some(name(format!("قيادة {} {i}", rng.pick(&ARABIC)))),
                ckb: None,
                aliases: vec![],
            },
            abbreviation: Some(name(format!("SC{i}"))),
            kind: kinds[(i % 4) as usize],
            parent_id: parent.map(|p| p.parse().expect("valid")),
            answers_to: vec![],
            sources: vec![],
            owner_org_id: org_id(i % 4).parse().expect("valid"),
            releasable_to: vec![],
            release_groups: vec![ReleaseGroup::AllPartners],
            caveat: None,
        };
        writes.push(Write::Upsert(AnyRecord::Organisation(Organisation {
            id: org_id(i).parse().expect("valid"),
            data,
            meta: meta.clone(),
        })));
    }
    app.store
        .write(std::mem::take(&mut writes), &Reach::Everything)
        .await?;
    progress(n_orgs, total);

    for i in 0..n_people {
        let (first, last) = (rng.below(16) as usize, rng.below(16) as usize);
        let data = PersonData {
            names: Names {
                en: Some(name(format!("{} {} {i}", LATIN[first], LATIN[last]))),
                ar: Some(name(format!("{} {} {i}", ARABIC[first], ARABIC[last]))),
                ckb: None,
                aliases: vec![],
            },
            rank: Some(name("Brig. Gen.".into())),
            positions: vec![Position {
                title: name(format!("Commander {i}")),
                organisation_id: org_id(rng.below(n_orgs)).parse().expect("valid"),
                from: Some(PartialDate::day(
                    NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid"),
                )),
                to: None,
            }],
            sources: vec![],
            owner_org_id: org_id(i % 4).parse().expect("valid"),
            releasable_to: vec![],
            release_groups: vec![ReleaseGroup::AllPartners],
            caveat: None,
        };
        writes.push(Write::Upsert(AnyRecord::Person(Person {
            id: format!("syn-person-{i:06}").parse().expect("valid"),
            data,
            meta: meta.clone(),
        })));
        if writes.len() >= BATCH {
            app.store
                .write(std::mem::take(&mut writes), &Reach::Everything)
                .await?;
            progress(n_orgs + i + 1, total);
        }
    }
    app.store
        .write(std::mem::take(&mut writes), &Reach::Everything)
        .await?;

    let start = NaiveDate::from_ymd_opt(2017, 10, 1).expect("valid");
    let engagement_kinds = [
        EngagementKind::KeyLeaderEngagement,
        EngagementKind::DelegationVisit,
        EngagementKind::Call,
        EngagementKind::JointCommitteeSession,
    ];
    for i in 0..scale.engagements {
        let day = start + Duration::days(rng.below(3000) as i64);
        let id = format!("syn-eng-{i:07}");
        let participants: Vec<Participant> = (0..2 + rng.below(3))
            .map(|k| Participant {
                person_id: Some(
                    format!("syn-person-{:06}", rng.below(n_people))
                        .parse()
                        .expect("valid"),
                ),
                organisation_id: Some(org_id(rng.below(n_orgs)).parse().expect("valid")),
                role: if k == 0 {
                    ParticipantRole::Lead
                } else {
                    ParticipantRole::Participant
                },
                note: None,
            })
            .collect();
        let mut topics: Vec<_> = (0..1 + rng.below(2))
            .map(|_| rng.pick(&TOPICS).parse().expect("valid"))
            .collect();
        topics.dedup();
        let owner = participants[0].organisation_id.clone().expect("set above");
        // Seven in ten are released to all partners; the rest to one other organisation.
        let (release_to, release_groups) = if rng.below(10) < 7 {
            (vec![], vec![ReleaseGroup::AllPartners])
        } else {
            (
                vec![org_id(rng.below(n_orgs)).parse().expect("valid")],
                vec![],
            )
        };
        let data = EngagementData {
            kind: *rng.pick(&engagement_kinds),
            title: name(format!(
                "{} meeting on {} {i}",
                rng.pick(&LATIN),
                rng.pick(&TOPICS)
            )),
            when: EventTime::parse(&day.to_string(), None).expect("valid"),
            place_id: None,
            participants,
            topics,
            tags: vec![],
            objectives: vec![],
            summary: Some(text(format!(
                "Discussion of {} with {} and {}; اجتماع مع {}.",
                rng.pick(&TOPICS),
                rng.pick(&LATIN),
                rng.pick(&LATIN),
                rng.pick(&ARABIC)
            ))),
            outcomes: vec![],
            follow_up_of: None,
            sources: vec![],
            confidence: Confidence::Moderate,
            owner_org_id: owner.clone(),
            releasable_to: release_to.clone(),
            release_groups: release_groups.clone(),
            caveat: None,
        };
        if rng.below(2) == 0 {
            let status = *rng.pick(&[
                CommitmentStatus::Open,
                CommitmentStatus::InProgress,
                CommitmentStatus::Done,
            ]);
            let commitment = Commitment {
                id: format!("syn-com-{i:07}").parse().expect("valid"),
                data: CommitmentData {
                    engagement_id: id.parse().expect("valid"),
                    text: text(format!("Follow up on {}", rng.pick(&TOPICS))),
                    responsible_org_id: owner.clone(),
                    responsible_person_id: None,
                    counterpart_org_id: Some(org_id(rng.below(n_orgs)).parse().expect("valid"))
                        .filter(|c| *c != owner),
                    due: Some(day + Duration::days(30)),
                    condition: None,
                    evidence: vec![],
                    sources: vec![],
                    owner_org_id: owner,
                    releasable_to: release_to,
                    release_groups,
                    caveat: None,
                },
                status_history: vec![StatusChange {
                    status,
                    at,
                    by: "generator".into(),
                    reason: None,
                }],
                meta: meta.clone(),
            };
            writes.push(Write::Upsert(AnyRecord::Engagement(Engagement {
                id: id.parse().expect("valid"),
                data,
                meta: meta.clone(),
            })));
            writes.push(Write::Upsert(AnyRecord::Commitment(commitment)));
        } else {
            writes.push(Write::Upsert(AnyRecord::Engagement(Engagement {
                id: id.parse().expect("valid"),
                data,
                meta: meta.clone(),
            })));
        }
        if writes.len() >= BATCH {
            app.store
                .write(std::mem::take(&mut writes), &Reach::Everything)
                .await?;
            progress(n_orgs + n_people + i + 1, total);
        }
    }
    app.store.write(writes, &Reach::Everything).await?;
    progress(total, total);
    Ok(())
}

/// Incident types in rough proportion to what ACLED records in Iraq's north.
const INCIDENT_TYPES: [(hawkari_core::incident::IncidentType, u64); 8] = {
    use hawkari_core::incident::IncidentType::*;
    [
        (HitAndRun, 30),
        (Ied, 25),
        (SecurityOperation, 15),
        (IndirectFire, 10),
        (ArmedClash, 8),
        (Abduction, 6),
        (Arson, 4),
        (Assassination, 2),
    ]
};

/// The synthetic organisations' ids, for incidents generated without engagements.
pub fn organisation_id(i: u64) -> String {
    format!("syn-org-{i:05}")
}

/// Generates `count` incidents at points inside Iraq's outline (uniform over the land,
/// each located by the gazetteer), from October 2017 to the end of 2025, with actors
/// from the synthetic organisations (written by [`generate`] for the same scale),
/// casualties, a graded source and the same release mix as the engagements.
pub async fn generate_incidents(
    app: &App,
    count: u64,
    scale: Scale,
    mut progress: impl FnMut(u64, u64),
) -> Result<(), AppError> {
    use hawkari_core::incident::{
        AdminUnits, Casualties, Estimate, GradedSource, Incident, IncidentActor, IncidentData,
        LocationPrecision, Party, Reliability,
    };
    use hawkari_core::values::{Point, Source};
    let mut rng = Rng((scale.seed ^ 0x5eed_1c1d) | 1);
    let at = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("valid");
    let meta = Meta::new("generator", at);
    let n_orgs = scale.organisations();
    let g = crate::geography::gazetteer();
    let start = Utc
        .with_ymd_and_hms(2017, 10, 1, 0, 0, 0)
        .single()
        .expect("valid");
    let span_secs = 8 * 365 * 86_400;
    let weights: u64 = INCIDENT_TYPES.iter().map(|(_, w)| w).sum();
    let mut writes = Vec::with_capacity(BATCH);
    for i in 0..count {
        // Iraq's bounding box; points outside the outline are drawn again.
        let (lon, lat, units) = loop {
            let lon = 38.79 + rng.below(1_000_000) as f64 / 1e6 * (48.57 - 38.79);
            let lat = 29.06 + rng.below(1_000_000) as f64 / 1e6 * (37.38 - 29.06);
            let l = g.locate(lon, lat);
            if let Some(gov) = l.governorate {
                break (
                    lon,
                    lat,
                    AdminUnits {
                        governorate: Some(gov.pcode.clone()),
                        district: l.district.map(|u| u.pcode.clone()),
                        sub_district: l.sub_district.map(|u| u.pcode.clone()),
                    },
                );
            }
        };
        let mut pick = rng.below(weights);
        let incident_type = INCIDENT_TYPES
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or(INCIDENT_TYPES[0].0, |(t, _)| *t);
        let when = start + Duration::seconds(rng.below(span_secs) as i64);
        let responder = organisation_id(rng.below(n_orgs));
        let killed = rng.below(4) as u32;
        let (releasable_to, release_groups) = if rng.below(10) < 7 {
            (vec![], vec![ReleaseGroup::AllPartners])
        } else {
            (
                vec![organisation_id(rng.below(n_orgs)).parse().expect("valid")],
                vec![],
            )
        };
        let data = IncidentData {
            when: EventTime::parse(&when.date_naive().to_string(), None).expect("valid"),
            point: Point { lat, lon },
            location_precision: LocationPrecision::Exact,
            place_name: None,
            incident_type,
            sub_type: None,
            actors: vec![
                IncidentActor {
                    organisation_id: None,
                    name: Some(name("ISIS".into())),
                    role: Some(name("perpetrator".into())),
                },
                IncidentActor {
                    organisation_id: Some(responder.parse().expect("valid")),
                    name: None,
                    role: Some(name("responder".into())),
                },
            ],
            casualties: if killed > 0 {
                vec![Casualties {
                    party: *rng.pick(&[Party::SecurityForces, Party::Civilians]),
                    killed: Estimate {
                        low: killed,
                        best: killed,
                        high: killed + 1,
                    },
                    injured: Estimate::default(),
                }]
            } else {
                vec![]
            },
            sources: vec![GradedSource {
                source: Source {
                    publisher: name("Synthetic generator".into()),
                    title: text(format!("Synthetic incident {i}")),
                    date: None,
                    url: None,
                    reference: None,
                },
                reliability: *rng.pick(&[Reliability::B, Reliability::C, Reliability::F]),
                credibility: 2 + rng.below(5) as u8,
            }],
            narrative: Some(text(format!(
                "{} near {} {i}; هجوم قرب {}.",
                incident_type.as_str(),
                rng.pick(&LATIN),
                rng.pick(&ARABIC)
            ))),
            engagement_ids: vec![],
            admin_units: Some(units),
            external_id: None,
            owner_org_id: responder.parse().expect("valid"),
            releasable_to,
            release_groups,
            caveat: None,
        };
        writes.push(Write::Upsert(AnyRecord::Incident(Incident {
            id: format!("syn-inc-{i:07}").parse().expect("valid"),
            data,
            meta: meta.clone(),
        })));
        if writes.len() >= BATCH {
            app.store
                .write(std::mem::take(&mut writes), &Reach::Everything)
                .await?;
            progress(i + 1, count);
        }
    }
    app.store.write(writes, &Reach::Everything).await?;
    progress(count, count);
    Ok(())
}
