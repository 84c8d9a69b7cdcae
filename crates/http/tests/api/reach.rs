//! The whole API against the documented rule, as a property: random worlds (organisations
//! with kinds and parents and releases, users of every role with read or write tokens,
//! records of several kinds with owners and releases), then random sequences of the
//! writes any user may attempt — moving organisations in the tree and changing their
//! kind, adding organisations and accounts, changing accounts' roles and disabling them,
//! revoking tokens, changing records' releases and owners, creating, deleting,
//! following up. After every step:
//!
//! - what each user reads — by id, in every list, in search, in the incident exports
//!   and the map's endpoints — is exactly what the rule gives from the records' releases
//!   and the organisation tree as stored: a record is read by users of its owner, of an
//!   organisation it is released to, or of one below those, and by users whose
//!   organisation (or one above it) is of a kind in a group it is released to;
//! - the tree and kinds changed only by a system administrator, never for their own
//!   organisation or one above it; accounts made or changed only by those who may, never
//!   one's own; tokens revoked only by their owner; a disabled account or a revoked
//!   token reads nothing; records changed
//!   only by their owner's editors (partners' follow-ups aside); a read-only token
//!   changed nothing;
//! - no user's own reach widened through their own step.
//!
//! Cases: `PROPTEST_CASES` (default 10). Runs on SQLite, and on PostgreSQL when
//! `HAWKARI_TEST_DATABASE_URL` is set.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hawkari_app::Principal;
use hawkari_core::access::{ReleaseGroup, Role};
use hawkari_core::organisation::OrganisationKind;
use hawkari_core::record::Kind;
use hawkari_store::{AnyRecord, Reach};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const ORG_KINDS: [&str; 6] = [
    "coalition",
    "federal",
    "regional",
    "joint_mechanism",
    "party",
    "other",
];
const GROUPS: [&str; 5] = [
    "all_partners",
    "coalition",
    "federal",
    "regional",
    "joint_mechanisms",
];
const ROLES: [Role; 4] = [
    Role::Viewer,
    Role::Editor,
    Role::OrgAdmin,
    Role::SystemAdmin,
];
/// The record kinds the worlds hold (organisations are records too).
const KINDS: [Kind; 6] = [
    Kind::Person,
    Kind::Place,
    Kind::Engagement,
    Kind::Commitment,
    Kind::Incident,
    Kind::Area,
];

#[derive(Debug, Clone)]
struct Release {
    orgs: Vec<usize>,
    groups: Vec<usize>,
}

#[derive(Debug, Clone)]
enum Step {
    MoveOrg {
        actor: usize,
        org: usize,
        parent: Option<usize>,
        kind: usize,
    },
    CreateOrg {
        actor: usize,
        parent: Option<usize>,
        kind: usize,
        owner: usize,
    },
    CreateUser {
        actor: usize,
        org: usize,
        role: usize,
    },
    Release {
        actor: usize,
        record: Pick,
        release: Release,
    },
    ChangeOwner {
        actor: usize,
        record: Pick,
        owner: usize,
    },
    Create {
        actor: usize,
        kind: usize,
        /// `None`: the actor's own organisation.
        owner: Option<usize>,
        release: Release,
    },
    Delete {
        actor: usize,
        record: Pick,
    },
    FollowUp {
        actor: usize,
        record: Pick,
    },
    /// Change another account's role, or disable or enable it.
    UpdateUser {
        actor: usize,
        target: usize,
        role: usize,
        disabled: bool,
    },
    /// Revoke a token (one's own, or someone else's).
    RevokeToken {
        actor: usize,
        target: usize,
    },
}

/// Which record a step is about: any, or (as users mostly do) one the actor's
/// organisation owns (`Own`) or reads (`Readable`), when there is one.
#[derive(Debug, Clone, Copy)]
enum Pick {
    Any(usize),
    Own(usize),
    Readable(usize),
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        1 => (0..64usize).prop_map(Pick::Any),
        2 => (0..64usize).prop_map(Pick::Own),
        1 => (0..64usize).prop_map(Pick::Readable),
    ]
}

#[derive(Debug, Clone)]
struct World {
    /// Kind, parent (an earlier organisation), release of each organisation.
    orgs: Vec<(usize, Option<usize>, Release)>,
    /// Organisation, role, and whether the user's token only reads.
    users: Vec<(usize, usize, bool)>,
    /// Kind, owner, release of each record.
    records: Vec<(usize, usize, Release)>,
    steps: Vec<Step>,
}

fn release() -> impl Strategy<Value = Release> {
    (
        proptest::collection::vec(0..8usize, 0..3),
        proptest::collection::vec(0..GROUPS.len(), 0..2),
    )
        .prop_map(|(orgs, groups)| Release { orgs, groups })
}

fn step() -> impl Strategy<Value = Step> {
    let n = 0..64usize;
    prop_oneof![
        3 => (n.clone(), n.clone(), proptest::option::of(n.clone()), 0..ORG_KINDS.len())
            .prop_map(|(actor, org, parent, kind)| Step::MoveOrg { actor, org, parent, kind }),
        1 => (n.clone(), proptest::option::of(n.clone()), 0..ORG_KINDS.len(), n.clone())
            .prop_map(|(actor, parent, kind, owner)| Step::CreateOrg { actor, parent, kind, owner }),
        2 => (n.clone(), n.clone(), 0..ROLES.len())
            .prop_map(|(actor, org, role)| Step::CreateUser { actor, org, role }),
        3 => (n.clone(), pick(), release())
            .prop_map(|(actor, record, release)| Step::Release { actor, record, release }),
        1 => (n.clone(), pick(), n.clone())
            .prop_map(|(actor, record, owner)| Step::ChangeOwner { actor, record, owner }),
        2 => (n.clone(), 0..KINDS.len(), proptest::option::weighted(0.3, n.clone()), release())
            .prop_map(|(actor, kind, owner, release)| Step::Create { actor, kind, owner, release }),
        1 => (n.clone(), pick()).prop_map(|(actor, record)| Step::Delete { actor, record }),
        1 => (n.clone(), pick()).prop_map(|(actor, record)| Step::FollowUp { actor, record }),
        2 => (n.clone(), n.clone(), 0..ROLES.len(), proptest::bool::weighted(0.3))
            .prop_map(|(actor, target, role, disabled)| Step::UpdateUser { actor, target, role, disabled }),
        1 => (n.clone(), n).prop_map(|(actor, target)| Step::RevokeToken { actor, target }),
    ]
}

fn world() -> impl Strategy<Value = World> {
    (3usize..6)
        .prop_flat_map(|n| {
            let orgs = (0..n)
                .map(|i| {
                    (
                        0..ORG_KINDS.len(),
                        if i == 0 {
                            Just(None).boxed()
                        } else {
                            proptest::option::of(0..i).boxed()
                        },
                        release(),
                    )
                })
                .collect::<Vec<_>>();
            (
                orgs,
                proptest::collection::vec(
                    (0..n, 0..ROLES.len(), proptest::bool::weighted(0.2)),
                    3..6,
                ),
                proptest::collection::vec((0..KINDS.len(), 0..n, release()), 3..8),
                proptest::collection::vec(step(), 4..10),
            )
        })
        .prop_map(|(orgs, users, records, steps)| World {
            orgs,
            users,
            records,
            steps,
        })
}

/// A user as the test drives them.
#[derive(Debug, Clone)]
struct Actor {
    id: String,
    name: String,
    org: String,
    role: Role,
    read_only: bool,
    bearer: String,
    token_id: String,
}

/// What the database holds, read as the command line (which sees everything).
#[derive(Debug, Clone, PartialEq)]
struct State {
    /// Each organisation's parent and kind.
    tree: BTreeMap<String, (Option<String>, OrganisationKind)>,
    /// Each record that exists: owner, released orgs, groups, version.
    records: HashMap<(Kind, String), Rec>,
    /// Accounts: username → organisation, role, disabled.
    users: BTreeMap<String, (String, Role, bool)>,
    /// API tokens: id → revoked.
    tokens: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rec {
    owner: String,
    orgs: Vec<String>,
    groups: Vec<ReleaseGroup>,
    version: i64,
}

impl State {
    /// The organisation and every one above it.
    fn chain(&self, org: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = Some(org.to_owned());
        while let Some(o) = next.take() {
            if out.contains(&o) || out.len() > 64 {
                break;
            }
            next = self.tree.get(&o).and_then(|(p, _)| p.clone());
            out.push(o);
        }
        out
    }

    /// The documented rule.
    fn reads(&self, org: &str, r: &Rec) -> bool {
        let chain = self.chain(org);
        let groups: BTreeSet<ReleaseGroup> = chain
            .iter()
            .filter_map(|o| self.tree.get(o))
            .flat_map(|(_, k)| ReleaseGroup::of_kind(*k))
            .collect();
        chain.contains(&r.owner)
            || r.orgs.iter().any(|o| chain.contains(o))
            || r.groups.iter().any(|g| groups.contains(g))
    }
}

struct Run {
    app: TestApp,
    orgs: Vec<String>,
    actors: Vec<Actor>,
    /// Every record ever made, deleted ones included (they must read as absent).
    known: Vec<(Kind, String)>,
}

fn kind_of(plural: &str) -> Kind {
    KINDS
        .into_iter()
        .chain([Kind::Organisation])
        .find(|k| k.plural() == plural)
        .unwrap()
}

impl Run {
    async fn request(
        &self,
        bearer: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .app
            .client
            .request(method, self.app.url(path))
            .header("authorization", bearer);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn release_json(&self, r: &Release) -> (Vec<String>, Vec<&'static str>) {
        let mut orgs: Vec<String> = r
            .orgs
            .iter()
            .map(|i| self.orgs[i % self.orgs.len()].clone())
            .collect();
        orgs.sort();
        orgs.dedup();
        let mut groups: Vec<&str> = r.groups.iter().map(|g| GROUPS[*g]).collect();
        groups.sort();
        groups.dedup();
        (orgs, groups)
    }

    /// A new record's content: every one carries the word "Canary" to search by.
    fn body(&self, kind: Kind, owner: &str, release: &Release, n: usize) -> Value {
        let (orgs, groups) = self.release_json(release);
        let mut b = match kind {
            Kind::Person => json!({"names": {"en": format!("Canary person {n}")}}),
            Kind::Place => json!({"names": {"en": format!("Canary place {n}")}, "kind": "town"}),
            Kind::Engagement => {
                json!({"kind": "call", "title": format!("Canary call {n}"), "when": "2025-01-01",
                "participants": [{"organisation_id": owner, "role": "lead"}]})
            }
            Kind::Commitment => {
                let engagement = self
                    .known
                    .iter()
                    .find(|(k, _)| *k == Kind::Engagement)
                    .map(|(_, id)| id.clone())
                    .unwrap_or_default();
                json!({"engagement_id": engagement, "text": format!("Canary promise {n}"), "responsible_org_id": owner, "due": "2025-06-01"})
            }
            Kind::Incident => {
                json!({"when": "2025-09-14", "point": {"lat": 35.1 + n as f64 * 0.01, "lon": 44.4},
                "type": "ied", "narrative": format!("Canary incident {n}")})
            }
            Kind::Area => {
                json!({"kind": "concern", "names": {"en": format!("Canary area {n}")}, "admin_units": ["IQG13Q04"]})
            }
            _ => unreachable!(),
        };
        b["owner_org_id"] = json!(owner);
        b["releasable_to"] = json!(orgs);
        b["release_groups"] = json!(groups);
        b
    }

    async fn state(&self) -> State {
        let store = self.app.app.store();
        let mut tree = BTreeMap::new();
        for o in store
            .list_organisations(
                &Reach::Everything,
                &Default::default(),
                &hawkari_store::PageRequest {
                    limit: 500,
                    after: None,
                },
            )
            .await
            .unwrap()
            .items
        {
            tree.insert(
                o.id.to_string(),
                (o.data.parent_id.map(|p| p.to_string()), o.data.kind),
            );
        }
        let mut records = HashMap::new();
        for (kind, id) in self
            .known
            .iter()
            .cloned()
            .chain(self.orgs.iter().map(|o| (Kind::Organisation, o.clone())))
        {
            if let Some(r) = store.get(kind, &id, &Reach::Everything).await.unwrap() {
                let v = record_json(&r);
                records.insert(
                    (kind, id),
                    Rec {
                        owner: v["owner_org_id"].as_str().unwrap().to_owned(),
                        orgs: strings(&v["releasable_to"]),
                        groups: serde_json::from_value(
                            v.get("release_groups").cloned().unwrap_or(json!([])),
                        )
                        .unwrap(),
                        version: v["version"].as_i64().unwrap(),
                    },
                );
            }
        }
        let users = store
            .list_users()
            .await
            .unwrap()
            .into_iter()
            .map(|u| {
                (
                    u.username,
                    (u.organisation_id.to_string(), u.role, u.disabled),
                )
            })
            .collect();
        let mut tokens = BTreeMap::new();
        for a in &self.actors {
            for t in store.list_tokens(&a.id).await.unwrap() {
                tokens.insert(t.id, t.revoked_at.is_some());
            }
        }
        State {
            tree,
            records,
            users,
            tokens,
        }
    }

    async fn add_actor(&mut self, org: &str, role: Role, read_only: bool, name: String) {
        let user = self
            .app
            .app
            .store()
            .user_by_username(&name)
            .await
            .unwrap()
            .unwrap()
            .user;
        let principal = self.app.app.principal(user, None).await.unwrap();
        let scope = if read_only {
            hawkari_store::TokenScope::Read
        } else {
            hawkari_store::TokenScope::Write
        };
        let (token, secret) = self
            .app
            .app
            .create_token(&principal, "reach", scope)
            .await
            .unwrap();
        self.actors.push(Actor {
            id: principal.user.as_ref().unwrap().id.clone(),
            token_id: token.id,
            name,
            org: org.to_owned(),
            role,
            read_only,
            bearer: format!("Bearer {}", secret.0),
        });
    }

    /// Carries out one step as its actor; returns what it was, for failure messages.
    async fn step(&mut self, step: &Step, n: usize, state: &State) -> String {
        let pick = |v: &[String], i: usize| v[i % v.len()].clone();
        let actor = match step {
            Step::MoveOrg { actor, .. }
            | Step::CreateOrg { actor, .. }
            | Step::CreateUser { actor, .. }
            | Step::Release { actor, .. }
            | Step::ChangeOwner { actor, .. }
            | Step::Create { actor, .. }
            | Step::Delete { actor, .. }
            | Step::FollowUp { actor, .. }
            | Step::UpdateUser { actor, .. }
            | Step::RevokeToken { actor, .. } => self.actors[actor % self.actors.len()].clone(),
        };
        let store = self.app.app.store().clone();
        let current = |kind: Kind, id: String| {
            let store = store.clone();
            async move {
                store
                    .get(kind, &id, &Reach::Everything)
                    .await
                    .unwrap()
                    .map(|r| record_json(&r))
            }
        };
        let choose = |p: Pick| -> (Kind, String) {
            let (Pick::Any(i) | Pick::Own(i) | Pick::Readable(i)) = p;
            let keep = |r: &Rec| match p {
                Pick::Any(_) => true,
                Pick::Own(_) => r.owner == actor.org,
                Pick::Readable(_) => state.reads(&actor.org, r),
            };
            let fits: Vec<&(Kind, String)> = self
                .known
                .iter()
                .filter(|k| state.records.get(*k).is_some_and(&keep))
                .collect();
            if fits.is_empty() {
                self.known[i % self.known.len()].clone()
            } else {
                fits[i % fits.len()].clone()
            }
        };
        let (what, status) = match step {
            Step::MoveOrg {
                org, parent, kind, ..
            } => {
                let org = pick(&self.orgs, *org);
                let parent = parent.map(|p| pick(&self.orgs, p)).filter(|p| *p != org);
                let Some(mut body) = current(Kind::Organisation, org.clone()).await else {
                    return "nothing".into();
                };
                body["parent_id"] = json!(parent);
                body["kind"] = json!(ORG_KINDS[*kind]);
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::PUT,
                        &format!("/api/v1/organisations/{org}"),
                        Some(body),
                    )
                    .await;
                (
                    format!("move {org} under {parent:?} as {}", ORG_KINDS[*kind]),
                    s,
                )
            }
            Step::CreateOrg {
                parent,
                kind,
                owner,
                ..
            } => {
                let body = json!({"names": {"en": format!("Canary org {n}")}, "kind": ORG_KINDS[*kind],
                    "parent_id": parent.map(|p| pick(&self.orgs, p)), "owner_org_id": pick(&self.orgs, *owner),
                    "release_groups": ["all_partners"]});
                let (s, v) = self
                    .request(
                        &actor.bearer,
                        Method::POST,
                        "/api/v1/organisations",
                        Some(body.clone()),
                    )
                    .await;
                if s == StatusCode::CREATED {
                    self.orgs.push(v["id"].as_str().unwrap().to_owned());
                }
                (format!("create organisation {body}"), s)
            }
            Step::CreateUser { org, role, .. } => {
                let org = pick(&self.orgs, *org);
                let name = format!("made-{n}");
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::POST,
                        "/api/v1/users",
                        Some(
                            json!({"username": name, "organisation_id": org, "role": ROLES[*role],
                                    "password": "a-long-enough-password"}),
                        ),
                    )
                    .await;
                if s == StatusCode::CREATED {
                    self.add_actor(&org, ROLES[*role], false, name.clone())
                        .await;
                }
                (format!("create {:?} {name} in {org}", ROLES[*role]), s)
            }
            Step::Release {
                record, release, ..
            } => {
                let (kind, id) = choose(*record);
                let Some(mut body) = current(kind, id.clone()).await else {
                    return "nothing".into();
                };
                let (orgs, groups) = self.release_json(release);
                body["releasable_to"] = json!(orgs);
                body["release_groups"] = json!(groups);
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::PUT,
                        &format!("/api/v1/{}/{id}", kind.plural()),
                        Some(body),
                    )
                    .await;
                (format!("release {kind:?} {id} to {orgs:?} {groups:?}"), s)
            }
            Step::ChangeOwner { record, owner, .. } => {
                let (kind, id) = choose(*record);
                let Some(mut body) = current(kind, id.clone()).await else {
                    return "nothing".into();
                };
                let owner = pick(&self.orgs, *owner);
                body["owner_org_id"] = json!(owner);
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::PUT,
                        &format!("/api/v1/{}/{id}", kind.plural()),
                        Some(body),
                    )
                    .await;
                (format!("give {kind:?} {id} to {owner}"), s)
            }
            Step::Create {
                kind,
                owner,
                release,
                ..
            } => {
                let kind = KINDS[*kind];
                let owner = owner.map_or_else(|| actor.org.clone(), |o| pick(&self.orgs, o));
                let body = self.body(kind, &owner, release, n);
                let (s, v) = self
                    .request(
                        &actor.bearer,
                        Method::POST,
                        &format!("/api/v1/{}", kind.plural()),
                        Some(body.clone()),
                    )
                    .await;
                if s == StatusCode::CREATED {
                    self.known
                        .push((kind, v["id"].as_str().unwrap().to_owned()));
                }
                (format!("create {kind:?} {body}"), s)
            }
            Step::Delete { record, .. } => {
                let (kind, id) = choose(*record);
                let version = current(kind, id.clone())
                    .await
                    .map_or(1, |v| v["version"].as_i64().unwrap());
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::DELETE,
                        &format!("/api/v1/{}/{id}?version={version}", kind.plural()),
                        None,
                    )
                    .await;
                (format!("delete {kind:?} {id}"), s)
            }
            Step::UpdateUser {
                target,
                role,
                disabled,
                ..
            } => {
                let target = self.actors[target % self.actors.len()].clone();
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::PATCH,
                        &format!("/api/v1/users/{}", target.id),
                        Some(json!({"role": ROLES[*role], "disabled": disabled})),
                    )
                    .await;
                (
                    format!(
                        "make {} {:?}{}",
                        target.name,
                        ROLES[*role],
                        if *disabled { ", disabled" } else { "" }
                    ),
                    s,
                )
            }
            Step::RevokeToken { target, .. } => {
                let target = self.actors[target % self.actors.len()].clone();
                let (s, _) = self
                    .request(
                        &actor.bearer,
                        Method::DELETE,
                        &format!("/api/v1/tokens/{}", target.token_id),
                        None,
                    )
                    .await;
                (format!("revoke the token of {}", target.name), s)
            }
            Step::FollowUp { record, .. } => {
                let (kind, id) = choose(*record);
                let (path, body) = if kind == Kind::Commitment {
                    (
                        format!("/api/v1/commitments/{id}/status"),
                        json!({"status": "in_progress", "reason": "started"}),
                    )
                } else {
                    (
                        format!("/api/v1/{}/{id}/comments", kind.plural()),
                        json!({"text": "Canary note"}),
                    )
                };
                let (s, _) = self
                    .request(&actor.bearer, Method::POST, &path, Some(body))
                    .await;
                (format!("follow up {kind:?} {id}"), s)
            }
        };
        format!(
            "{} ({:?}{} of {}): {what} → {status}",
            actor.name,
            actor.role,
            if actor.read_only {
                ", read-only token"
            } else {
                ""
            },
            actor.org
        )
    }

    /// What `actor` reads, every way the API offers, against the rule.
    async fn check_reads(&self, state: &State, actor: &Actor) -> Result<(), String> {
        let expected = |kind: Kind| -> BTreeSet<String> {
            state
                .records
                .iter()
                .filter(|((k, _), r)| *k == kind && state.reads(&actor.org, r))
                .map(|((_, id), _)| id.clone())
                .collect()
        };
        let tracked: BTreeSet<String> = self
            .known
            .iter()
            .map(|(_, id)| id.clone())
            .chain(self.orgs.iter().cloned())
            .collect();
        // By id, every record ever made (deleted ones must read as absent).
        for (kind, id) in self
            .known
            .iter()
            .cloned()
            .chain(self.orgs.iter().map(|o| (Kind::Organisation, o.clone())))
        {
            let (s, _) = self
                .request(
                    &actor.bearer,
                    Method::GET,
                    &format!("/api/v1/{}/{id}", kind.plural()),
                    None,
                )
                .await;
            let should = state
                .records
                .get(&(kind, id.clone()))
                .is_some_and(|r| state.reads(&actor.org, r));
            let want = if should {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            if s != want {
                return Err(format!("GET {kind:?} {id}: {s}, the rule says {want}"));
            }
        }
        // Lists, search, exports and the map.
        let mut views: Vec<(String, Kind)> = KINDS
            .into_iter()
            .chain([Kind::Organisation])
            .map(|k| (format!("/api/v1/{}?limit=200", k.plural()), k))
            .collect();
        for plural in ["people", "places", "engagements", "incidents"] {
            views.push((
                format!("/api/v1/{plural}?q=canary&limit=200"),
                kind_of(plural),
            ));
        }
        views.push(("/api/v1/incidents.geojson?limit=200".into(), Kind::Incident));
        views.push(("/api/v1/incident-points?limit=200".into(), Kind::Incident));
        views.push(("/api/v1/incidents.csv".into(), Kind::Incident));
        for (path, kind) in views {
            let (s, v) = self.request(&actor.bearer, Method::GET, &path, None).await;
            if s != StatusCode::OK {
                return Err(format!("GET {path}: {s} {v}"));
            }
            let got: BTreeSet<String> = listed_ids(&v)
                .into_iter()
                .filter(|id| tracked.contains(id))
                .collect();
            let mut want = expected(kind);
            if path.contains("q=canary") {
                // Organisations are not named "Canary" unless made in a step.
                want.retain(|id| !self.orgs.contains(id));
            }
            if got != want {
                return Err(format!("GET {path}: read {got:?}, the rule gives {want:?}"));
            }
        }
        Ok(())
    }
}

/// A stored record as the API shows it.
fn record_json(r: &AnyRecord) -> Value {
    match r {
        AnyRecord::Organisation(x) => json!(x),
        AnyRecord::Person(x) => json!(x),
        AnyRecord::Place(x) => json!(x),
        AnyRecord::Engagement(x) => json!(x),
        AnyRecord::Commitment(x) => json!(x),
        AnyRecord::Incident(x) => json!(x),
        AnyRecord::Area(x) => json!(x),
        AnyRecord::Programme(x) => json!(x),
        AnyRecord::Operation(x) => json!(x),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The ids of a list page, a GeoJSON collection or a CSV export.
fn listed_ids(v: &Value) -> Vec<String> {
    if let Some(items) = v["items"].as_array() {
        return items
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect();
    }
    if let Some(features) = v["features"].as_array() {
        return features
            .iter()
            .filter_map(|f| f["id"].as_str().map(str::to_owned))
            .collect();
    }
    if let Some(text) = v.as_str() {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let col = header.iter().position(|h| *h == "id").unwrap_or(0);
        return lines
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                l.split(',')
                    .nth(col)
                    .map(|s| s.trim_matches('"').to_owned())
            })
            .collect();
    }
    vec![]
}

/// The rules a step must keep, comparing the state before and after it.
fn check_authority(
    before: &State,
    after: &State,
    actor: &Actor,
    step: &Step,
) -> Result<(), String> {
    let writer = !actor.read_only;
    let editor = writer && matches!(actor.role, Role::Editor | Role::OrgAdmin);
    let sysadmin = writer && actor.role == Role::SystemAdmin;
    let own_chain = before.chain(&actor.org);
    if actor.read_only
        && (before.records != after.records
            || before.tree != after.tree
            || before.users != after.users
            || before.tokens != after.tokens)
    {
        return Err("a read-only token changed something".into());
    }
    for (org, now) in &after.tree {
        match before.tree.get(org) {
            Some(was) if was == now => {}
            Some(_) if sysadmin && !own_chain.contains(org) => {}
            None if sysadmin => {}
            _ => {
                return Err(format!(
                    "the tree changed at {org} by a user without that authority"
                ));
            }
        }
    }
    for (user, (org, role, disabled)) in &after.users {
        if let Some((_, was_role, was_disabled)) = before.users.get(user) {
            if (was_role, was_disabled) == (role, disabled) {
                continue;
            }
            // A changed account: by a system administrator, or by an organisation
            // administrator of its organisation, below system administrator before and
            // after; never one's own.
            let allowed = *user != actor.name
                && (sysadmin
                    || (writer
                        && actor.role == Role::OrgAdmin
                        && *org == actor.org
                        && *was_role != Role::SystemAdmin
                        && *role != Role::SystemAdmin));
            if !allowed {
                return Err(format!("account {user} changed by a user who may not"));
            }
            continue;
        }
        let allowed = sysadmin
            || (writer
                && actor.role == Role::OrgAdmin
                && *org == actor.org
                && !matches!(step, Step::CreateUser { role: 3, .. }));
        if !allowed {
            return Err(format!(
                "account {user} in {org} made by a user who may not"
            ));
        }
    }
    for (token, revoked) in &after.tokens {
        if *revoked && before.tokens.get(token) == Some(&false) && actor.token_id != *token {
            return Err(format!(
                "token {token} revoked by someone else: {}",
                actor.name
            ));
        }
    }
    for (key, was) in &before.records {
        let (kind, id) = key;
        let registrar = sysadmin && *kind == Kind::Organisation;
        match after.records.get(key) {
            Some(now) if now == was => {}
            Some(now) => {
                let follow_up = matches!(step, Step::FollowUp { .. })
                    && editor
                    && before.reads(&actor.org, was)
                    && now.owner == was.owner
                    && now.orgs == was.orgs
                    && now.groups == was.groups;
                let owner_edit = editor && was.owner == actor.org && now.owner == actor.org;
                if !(follow_up || owner_edit || registrar) {
                    return Err(format!(
                        "{kind:?} {id} changed ({was:?} → {now:?}) by a user who may not"
                    ));
                }
            }
            None => {
                if !((editor && was.owner == actor.org) || registrar) {
                    return Err(format!("{kind:?} {id} deleted by a user who may not"));
                }
            }
        }
    }
    for (key, now) in &after.records {
        if !before.records.contains_key(key) {
            let ok =
                (editor && now.owner == actor.org) || (sysadmin && key.0 == Kind::Organisation);
            if !ok {
                return Err(format!("{key:?} created by a user who may not"));
            }
        }
    }
    // No one's own reach widens through their own step: of the records owned by others
    // that existed before and after, the actor reads none they did not read before.
    for (key, now) in &after.records {
        if let Some(was) = before.records.get(key)
            && now.owner != actor.org
            && after.reads(&actor.org, now)
            && !before.reads(&actor.org, was)
        {
            return Err(format!("the step widened its actor's own reach to {key:?}"));
        }
    }
    Ok(())
}

async fn run_world(world: World) -> Result<(), TestCaseError> {
    let app = spawn_app().await;
    let cli = Principal::system("test");
    let orgs: Vec<String> = (0..world.orgs.len()).map(|i| format!("org-{i}")).collect();
    let mut run = Run {
        app,
        orgs: orgs.clone(),
        actors: vec![],
        known: vec![],
    };
    for (i, (kind, parent, release)) in world.orgs.iter().enumerate() {
        let (r_orgs, groups) = run.release_json(release);
        let data = serde_json::from_value(json!({
            "names": {"en": orgs[i]}, "kind": ORG_KINDS[*kind], "owner_org_id": orgs[i],
            "parent_id": parent.map(|p| orgs[p].clone()),
            "releasable_to": r_orgs.into_iter().filter(|o| orgs[..i].contains(o)).collect::<Vec<_>>(),
            "release_groups": groups,
        }))
        .unwrap();
        run.app
            .app
            .create::<hawkari_core::organisation::Organisation>(&cli, Some(orgs[i].clone()), data)
            .await
            .unwrap();
    }
    // One system administrator always, then the world's users.
    let mut users = vec![(0usize, 3usize, false)];
    users.extend(world.users.iter().cloned());
    for (n, (org, role, read_only)) in users.iter().enumerate() {
        let org = orgs[*org].clone();
        let name = format!("user-{n}");
        run.app
            .app
            .create_user(
                &cli,
                &name,
                &org.parse().unwrap(),
                ROLES[*role],
                "a-long-enough-password",
            )
            .await
            .unwrap();
        run.add_actor(&org, ROLES[*role], *read_only, name).await;
    }
    // Records, made as the command line: an engagement first, for commitments to name.
    let mut records = vec![(
        2usize,
        0usize,
        Release {
            orgs: vec![],
            groups: vec![],
        },
    )];
    records.extend(world.records.iter().cloned());
    for (n, (kind, owner, release)) in records.iter().enumerate() {
        let kind = KINDS[*kind];
        let body = run.body(kind, &orgs[*owner], release, n);
        let id = format!("rec-{n}");
        macro_rules! make {
            ($t:ty) => {{
                run.app
                    .app
                    .create::<$t>(
                        &cli,
                        Some(id.clone()),
                        serde_json::from_value(body).unwrap(),
                    )
                    .await
                    .unwrap();
            }};
        }
        match kind {
            Kind::Person => make!(hawkari_core::person::Person),
            Kind::Place => make!(hawkari_core::place::Place),
            Kind::Engagement => make!(hawkari_core::engagement::Engagement),
            Kind::Commitment => make!(hawkari_core::commitment::Commitment),
            Kind::Incident => make!(hawkari_core::incident::Incident),
            Kind::Area => make!(hawkari_core::area::Area),
            _ => unreachable!(),
        }
        run.known.push((kind, id));
    }
    let mut state = run.state().await;
    let mut done = Vec::new();
    for (n, step) in world.steps.iter().enumerate() {
        let actor = match step {
            Step::MoveOrg { actor, .. }
            | Step::CreateOrg { actor, .. }
            | Step::CreateUser { actor, .. }
            | Step::Release { actor, .. }
            | Step::ChangeOwner { actor, .. }
            | Step::Create { actor, .. }
            | Step::Delete { actor, .. }
            | Step::FollowUp { actor, .. }
            | Step::UpdateUser { actor, .. }
            | Step::RevokeToken { actor, .. } => run.actors[actor % run.actors.len()].clone(),
        };
        done.push(run.step(step, n, &state).await);
        // Roles may have changed: each actor acts next with the role stored now.
        let after = run.state().await;
        let history = || done.join("\n  ");
        check_authority(&state, &after, &actor, step)
            .map_err(|e| TestCaseError::fail(format!("{e}\nsteps:\n  {}", history())))?;
        for a in &mut run.actors {
            if let Some((_, role, _)) = after.users.get(&a.name) {
                a.role = *role;
            }
        }
        for reader in &run.actors {
            let (_, _, disabled) = after.users[&reader.name];
            let revoked = after.tokens.get(&reader.token_id) == Some(&true);
            if disabled || revoked {
                // A disabled account or a revoked token reads nothing at all.
                let (s, _) = run
                    .request(&reader.bearer, Method::GET, "/api/v1/engagements", None)
                    .await;
                if s != StatusCode::UNAUTHORIZED {
                    return Err(TestCaseError::fail(format!(
                        "{} (disabled {disabled}, token revoked {revoked}) still reads: {s}\nsteps:\n  {}",
                        reader.name,
                        history()
                    )));
                }
                continue;
            }
            run.check_reads(&after, reader).await.map_err(|e| {
                TestCaseError::fail(format!(
                    "{} of {} reads wrongly: {e}\nsteps:\n  {}",
                    reader.name,
                    reader.org,
                    history()
                ))
            })?;
        }
        state = after;
    }
    if std::env::var_os("REACH_VERBOSE").is_some() {
        eprintln!("case:\n  {}", done.join("\n  "));
    }
    Ok(())
}

#[test]
fn every_user_reads_exactly_what_the_rule_gives_after_any_writes_anyone_attempts() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(10);
    let mut runner = TestRunner::new(Config {
        cases,
        max_shrink_iters: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&world(), |world| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run_world(world))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
