//! The Cedar policies and the database filter must agree on who sees what. For random
//! organisation trees, users, and records with random owners and release lists, the
//! Cedar decision for `read` equals what the SQL filter returns — by id and in lists.

use std::sync::Arc;

use hawkari_app::authz::Releasability;
use hawkari_app::{Action, App, Authorizer, Principal};
use hawkari_core::access::{Reach, ReleaseGroup, Role, User};
use hawkari_core::engagement::Engagement;
use hawkari_core::organisation::{Organisation, OrganisationKind};
use hawkari_core::record::Kind;
use hawkari_store::{EngagementFilter, PageRequest, Store};
use proptest::prelude::*;
use serde_json::json;

const KINDS: [OrganisationKind; 6] = [
    OrganisationKind::Coalition,
    OrganisationKind::Federal,
    OrganisationKind::Regional,
    OrganisationKind::JointMechanism,
    OrganisationKind::Party,
    OrganisationKind::Other,
];

/// A random world: organisations (each with a kind and maybe an earlier one as parent),
/// a user's organisation, and records with owner, release list and release groups.
#[derive(Debug, Clone)]
struct World {
    orgs: Vec<(usize, Option<usize>)>,
    user_org: usize,
    records: Vec<(usize, Vec<usize>, Vec<usize>)>,
}

fn world() -> impl Strategy<Value = World> {
    (2usize..7)
        .prop_flat_map(|n| {
            let orgs = (0..n)
                .map(|i| {
                    (
                        0..KINDS.len(),
                        if i == 0 {
                            Just(None).boxed()
                        } else {
                            proptest::option::of(0..i).boxed()
                        },
                    )
                })
                .collect::<Vec<_>>();
            let record = (
                0..n,
                proptest::collection::vec(0..n, 0..3),
                proptest::collection::vec(0..5usize, 0..2),
            );
            (orgs, 0..n, proptest::collection::vec(record, 1..6))
        })
        .prop_map(|(orgs, user_org, records)| World {
            orgs,
            user_org,
            records,
        })
}

fn org_id(i: usize) -> String {
    format!("org-{i}")
}

/// A store for one case: in-memory SQLite, or, when `HAWKARI_TEST_DATABASE_URL` is set, a
/// fresh schema of that PostgreSQL database (returned too, to be dropped).
async fn case_store() -> (
    Arc<dyn Store>,
    Option<(hawkari_store::postgres::PgStore, String)>,
) {
    static CASE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let store: (Arc<dyn Store>, _) = match std::env::var("HAWKARI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let n = CASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let schema = format!("hawkari_policy_{}_{n}", std::process::id());
            let settings = hawkari_store::postgres::PgSettings {
                max_connections: 1,
                schema: Some(schema.clone()),
                ..Default::default()
            };
            let pg = hawkari_store::postgres::PgStore::connect(&url, &settings)
                .await
                .unwrap();
            (Arc::new(pg.clone()), Some((pg, schema)))
        }
        _ => (
            Arc::new(
                hawkari_store::sqlite::SqliteStore::connect("sqlite::memory:", 1)
                    .await
                    .unwrap(),
            ),
            None,
        ),
    };
    store.0.migrate().await.unwrap();
    store
}

async fn check(world: World) -> Result<(), TestCaseError> {
    let (store, pg) = case_store().await;
    let result = check_on(store, world).await;
    if let Some((pg, schema)) = pg {
        pg.drop_schema(&schema).await.unwrap();
    }
    result
}

async fn check_on(store: Arc<dyn Store>, world: World) -> Result<(), TestCaseError> {
    let app = App::new(store.clone());
    let cli = Principal::system("test");
    for (i, (kind, parent)) in world.orgs.iter().enumerate() {
        let data = serde_json::from_value(json!({
            "names": {"en": org_id(i)}, "kind": KINDS[*kind], "owner_org_id": org_id(i),
            "parent_id": parent.map(org_id),
        }))
        .unwrap();
        app.create::<Organisation>(&cli, Some(org_id(i)), data)
            .await
            .unwrap();
    }
    let user = User {
        id: "u".into(),
        username: "user".into(),
        organisation_id: org_id(world.user_org).parse().unwrap(),
        role: Role::Viewer,
        disabled: false,
    };
    let principal = app.principal(user, None).await.unwrap();
    let mut expected_visible = Vec::new();
    for (r, (owner, release, groups)) in world.records.iter().enumerate() {
        let mut release: Vec<String> = release.iter().map(|o| org_id(*o)).collect();
        release.sort();
        release.dedup();
        let mut groups: Vec<ReleaseGroup> = groups.iter().map(|g| ReleaseGroup::ALL[*g]).collect();
        groups.sort();
        groups.dedup();
        let data = serde_json::from_value(json!({
            "kind": "call", "title": format!("record {r}"), "when": "2025-01-01",
            "participants": [{"organisation_id": org_id(*owner), "role": "lead"}],
            "owner_org_id": org_id(*owner), "releasable_to": release, "release_groups": groups,
        }))
        .unwrap();
        let e: Engagement = app
            .create(&cli, Some(format!("rec-{r}")), data)
            .await
            .unwrap();
        let cedar = app
            .authorizer()
            .allows(&principal, Action::Read, Releasability::of(&e.data));
        let sql = store
            .get(Kind::Engagement, e.id.as_str(), &principal.reach)
            .await
            .unwrap()
            .is_some();
        prop_assert_eq!(cedar, sql, "record {:?} for {:?}", e.data, principal.reach);
        let rule = principal.reach.sees(
            &e.data.owner_org_id,
            &e.data.releasable_to,
            &e.data.release_groups,
        );
        prop_assert_eq!(cedar, rule, "the documented rule");
        if cedar {
            expected_visible.push(e.id.to_string());
        }
    }
    let listed = store
        .list_engagements(
            &principal.reach,
            &EngagementFilter::default(),
            &PageRequest::first(100),
        )
        .await
        .unwrap();
    let mut listed: Vec<String> = listed.items.iter().map(|e| e.id.to_string()).collect();
    listed.sort();
    expected_visible.sort();
    prop_assert_eq!(
        listed,
        expected_visible,
        "the list shows exactly what Cedar allows"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn the_sql_filter_and_the_cedar_policy_agree(world in world()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(check(world))?;
    }
}

#[test]
fn the_shipped_policies_validate_against_the_schema() {
    Authorizer::load(hawkari_app::authz::POLICIES, hawkari_app::authz::SCHEMA).unwrap();
}

#[test]
fn a_policy_that_does_not_fit_the_schema_is_refused_at_load() {
    let broken = r#"permit (principal, action == Action::"read", resource) when { resource.colour == "red" };"#;
    let err = Authorizer::load(broken, hawkari_app::authz::SCHEMA).unwrap_err();
    assert!(err.contains("do not fit the schema"), "{err}");
    let err = Authorizer::load("permit (", hawkari_app::authz::SCHEMA).unwrap_err();
    assert!(err.contains("do not parse"), "{err}");
}

#[test]
fn the_command_line_reaches_everything() {
    assert!(Reach::Everything.sees(&"any".parse().unwrap(), &[], &[]));
}
