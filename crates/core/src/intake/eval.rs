//! Scoring drafts against gold drafts: precision and recall per field.
//!
//! Engagements are paired with gold engagements by the people and organisations they
//! share (each gold at most once, best overlap first). Then, over all reports:
//! participants (people) and organisations count per pair, an unpaired draft's all as
//! wrong and an unpaired gold's all as missed; a date counts when its value is the gold's
//! exactly (at the gold's precision); a place when its registry id is the gold's.
//! Commitments match on (responsible organisation, due date), incidents on (statement or
//! event, places), observations on (value, actual or planned, date).

use serde::{Deserialize, Serialize};

use super::{Drafts, FigureStatus};

/// One report's gold drafts (`data/intake/gold/*.json`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    /// The report's file, relative to the workspace root (`../shared/seeds/…` or
    /// `data/intake/reports/…`).
    pub report: String,
    pub published: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub engagements: Vec<GoldEngagement>,
    #[serde(default)]
    pub commitments: Vec<GoldCommitment>,
    #[serde(default)]
    pub incidents: Vec<GoldIncident>,
    #[serde(default)]
    pub observations: Vec<GoldObservation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoldEngagement {
    /// The demo dataset's engagement this one is, if any.
    #[serde(default)]
    pub demo_id: Option<String>,
    #[serde(default)]
    pub planned: bool,
    pub when: String,
    #[serde(default)]
    pub place_id: Option<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub organisations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoldCommitment {
    pub responsible: String,
    #[serde(default)]
    pub due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoldIncident {
    pub statement: bool,
    #[serde(default)]
    pub places: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoldObservation {
    pub value: f64,
    pub status: FigureStatus,
    pub when: String,
}

/// True and false positives and false negatives of one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Counts per field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub participants: Counts,
    pub organisations: Counts,
    pub dates: Counts,
    pub places: Counts,
    pub commitments: Counts,
    pub incidents: Counts,
    pub observations: Counts,
}

impl Scores {
    pub fn add(&mut self, o: &Scores) {
        self.participants.add(o.participants);
        self.organisations.add(o.organisations);
        self.dates.add(o.dates);
        self.places.add(o.places);
        self.commitments.add(o.commitments);
        self.incidents.add(o.incidents);
        self.observations.add(o.observations);
    }

    pub fn fields(&self) -> [(&'static str, Counts); 7] {
        [
            ("participants", self.participants),
            ("organisations", self.organisations),
            ("dates", self.dates),
            ("places", self.places),
            ("commitments", self.commitments),
            ("incidents", self.incidents),
            ("observations", self.observations),
        ]
    }
}

fn sets(a: &[String], b: &[String]) -> Counts {
    let tp = a.iter().filter(|x| b.contains(x)).count();
    Counts {
        tp,
        fp: a.len() - tp,
        fn_: b.iter().filter(|x| !a.contains(x)).count(),
    }
}

/// Multiset match of two lists of keys.
fn bag<T: PartialEq>(pred: Vec<T>, mut gold: Vec<T>) -> Counts {
    let mut c = Counts::default();
    for p in pred {
        if let Some(i) = gold.iter().position(|g| *g == p) {
            gold.remove(i);
            c.tp += 1;
        } else {
            c.fp += 1;
        }
    }
    c.fn_ = gold.len();
    c
}

/// Scores one report's drafts against its gold.
pub fn score(drafts: &Drafts, gold: &Gold) -> Scores {
    let mut s = Scores::default();
    let pred: Vec<(Vec<String>, Vec<String>)> = drafts
        .engagements
        .iter()
        .map(|e| {
            let mut people: Vec<String> = e
                .participants
                .iter()
                .filter_map(|p| p.person_id.clone())
                .collect();
            let mut orgs: Vec<String> = e
                .participants
                .iter()
                .filter_map(|p| p.organisation_id.clone())
                .collect();
            people.dedup();
            orgs.sort();
            orgs.dedup();
            (people, orgs)
        })
        .collect();
    // Pair by overlap, best first.
    let mut pairs = Vec::new();
    for (i, (pp, po)) in pred.iter().enumerate() {
        for (j, g) in gold.engagements.iter().enumerate() {
            let overlap = pp.iter().filter(|x| g.people.contains(x)).count() * 2
                + po.iter().filter(|x| g.organisations.contains(x)).count();
            let planned_same = drafts.engagements[i].planned == g.planned;
            if overlap > 0 && planned_same {
                pairs.push((overlap, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut pred_of_gold: Vec<Option<usize>> = vec![None; gold.engagements.len()];
    let mut paired = vec![false; pred.len()];
    for (_, i, j) in pairs {
        if paired[i] || pred_of_gold[j].is_some() {
            continue;
        }
        paired[i] = true;
        pred_of_gold[j] = Some(i);
    }
    for (j, g) in gold.engagements.iter().enumerate() {
        match pred_of_gold[j] {
            Some(i) => {
                let e = &drafts.engagements[i];
                s.participants.add(sets(&pred[i].0, &g.people));
                s.organisations.add(sets(&pred[i].1, &g.organisations));
                if e.when.value == g.when {
                    s.dates.tp += 1;
                } else {
                    s.dates.fp += 1;
                    s.dates.fn_ += 1;
                }
                let place = e.place.as_ref().and_then(|p| p.place_id.clone());
                match (&place, &g.place_id) {
                    (Some(a), Some(b)) if a == b => s.places.tp += 1,
                    (Some(_), Some(_)) => {
                        s.places.fp += 1;
                        s.places.fn_ += 1;
                    }
                    (Some(_), None) => s.places.fp += 1,
                    (None, Some(_)) => s.places.fn_ += 1,
                    (None, None) => {}
                }
            }
            None => {
                s.participants.fn_ += g.people.len();
                s.organisations.fn_ += g.organisations.len();
                s.dates.fn_ += 1;
                s.places.fn_ += usize::from(g.place_id.is_some());
            }
        }
    }
    for (i, e) in drafts.engagements.iter().enumerate() {
        if !paired[i] {
            s.participants.fp += pred[i].0.len();
            s.organisations.fp += pred[i].1.len();
            s.dates.fp += 1;
            s.places.fp += usize::from(e.place.is_some());
        }
    }
    s.commitments = bag(
        drafts
            .commitments
            .iter()
            .map(|c| {
                (
                    c.responsible_org_id.clone(),
                    c.due.as_ref().map(|d| d.value.clone()),
                )
            })
            .collect(),
        gold.commitments
            .iter()
            .map(|c| (c.responsible.clone(), c.due.clone()))
            .collect(),
    );
    let places = |v: Vec<String>| {
        let mut v = v;
        v.sort();
        v
    };
    s.incidents = bag(
        drafts
            .incidents
            .iter()
            .map(|i| {
                (
                    i.statement,
                    places(i.places.iter().filter_map(|p| p.place_id.clone()).collect()),
                )
            })
            .collect(),
        gold.incidents
            .iter()
            .map(|i| (i.statement, places(i.places.clone())))
            .collect(),
    );
    s.observations = bag(
        drafts
            .observations
            .iter()
            .map(|o| (o.value.to_string(), o.status, o.when.value.clone()))
            .collect(),
        gold.observations
            .iter()
            .map(|o| (o.value.to_string(), o.status, o.when.clone()))
            .collect(),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::{NoGazetteer, Published, extract, registry::Registry};

    fn registry() -> Registry {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../../demo/dataset.json")).unwrap();
        Registry::from_dataset_json(&doc)
    }

    #[test]
    fn a_draft_is_scored_field_by_field_against_its_paired_gold() {
        let text =
            "Prime Minister Masrour Barzani on Sunday met Brig. Gen. Karl Harris in Baghdad.";
        let drafts = extract(
            text,
            &Published::parse("2022-07-04").unwrap(),
            &registry(),
            &NoGazetteer,
        );
        let gold: Gold = serde_json::from_value(serde_json::json!({
            "report": "x", "published": "2022-07-04",
            "engagements": [
                // The right people, one organisation wrong, the date and place off.
                {"when": "2022-07-02", "place_id": "erbil",
                 "people": ["masrour-barzani", "karl-harris"], "organisations": ["krg", "nato"]},
                // Not drafted at all.
                {"when": "2022-06", "people": ["bolles"], "organisations": ["mag-north"]}
            ]
        }))
        .unwrap();
        let s = score(&drafts, &gold);
        assert_eq!(
            s.participants,
            Counts {
                tp: 2,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            s.organisations,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 2
            }
        );
        assert_eq!(
            s.dates,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 2
            }
        );
        assert_eq!(
            s.places,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert!((s.participants.precision() - 1.0).abs() < 1e-9);
        assert!((s.participants.recall() - 2.0 / 3.0).abs() < 1e-9);
    }
}
