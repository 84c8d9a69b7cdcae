//! Where a record may go: the organisation tree as this instance knows it, the reach of
//! each partner instance, and the destinations of a record.
//!
//! A partner instance serves its home organisation and every organisation below it (its
//! sub-organisations' users sign in there). It may receive a record when one of those
//! organisations' users could read it on a single shared server: when
//! `Reach::sees` holds for that user's reach, the very rule of the read path
//! (`auth::reach_of_chain`, what `App::principal` gives a user). The union of those
//! users' reaches is one `Reach` (`sees` is an "any" over its organisations and
//! groups), so one call decides per instance; the property test below checks it
//! against every user organisation one by one.

use std::collections::{BTreeSet, HashMap};

use hawkari_core::access::{Reach, ReleaseGroup};
use hawkari_core::ids::OrganisationId;
use hawkari_core::organisation::OrganisationKind;

use crate::auth::{OrgLink, reach_of_chain};

/// What a record's releasability is made of.
#[derive(Debug, Clone, Copy)]
pub struct Release<'a> {
    pub owner: &'a OrganisationId,
    pub releasable_to: &'a [OrganisationId],
    pub groups: &'a [ReleaseGroup],
}

/// The organisation tree: each organisation's parent and kind.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    orgs: HashMap<OrganisationId, (Option<OrganisationId>, OrganisationKind)>,
}

impl Tree {
    pub fn new(
        orgs: impl IntoIterator<Item = (OrganisationId, Option<OrganisationId>, OrganisationKind)>,
    ) -> Self {
        Self {
            orgs: orgs
                .into_iter()
                .map(|(id, parent, kind)| (id, (parent, kind)))
                .collect(),
        }
    }

    pub fn contains(&self, org: &OrganisationId) -> bool {
        self.orgs.contains_key(org)
    }

    /// An organisation and each one above it, as `App::org_chain` reads it from the store.
    pub fn chain(&self, org: &OrganisationId) -> Vec<OrgLink> {
        let mut chain: Vec<OrgLink> = Vec::new();
        let mut next = Some(org.clone());
        while let Some(id) = next.take() {
            if chain.len() >= 64 || chain.iter().any(|l| l.id == id) {
                break;
            }
            if let Some((parent, kind)) = self.orgs.get(&id) {
                next = parent.clone();
                chain.push(OrgLink {
                    id,
                    parent: parent.clone(),
                    kind: *kind,
                });
            }
        }
        chain
    }

    /// Whether `org` is `home` or below it.
    pub fn is_within(&self, org: &OrganisationId, home: &OrganisationId) -> bool {
        self.chain(org).iter().any(|l| &l.id == home)
    }

    /// `home` and every organisation below it: the organisations an instance serves.
    pub fn served_by(&self, home: &OrganisationId) -> Vec<OrganisationId> {
        let mut orgs: Vec<OrganisationId> = self
            .orgs
            .keys()
            .filter(|o| self.is_within(o, home))
            .cloned()
            .collect();
        orgs.sort();
        orgs
    }

    /// What the users of an instance serving `home` reach, together.
    pub fn instance_reach(&self, home: &OrganisationId) -> Reach {
        let mut orgs = BTreeSet::new();
        let mut groups = BTreeSet::new();
        for served in self.served_by(home) {
            if let Reach::Released { orgs: o, groups: g } = reach_of_chain(&self.chain(&served)) {
                orgs.extend(o);
                groups.extend(g);
            }
        }
        Reach::Released {
            orgs: orgs.into_iter().collect(),
            groups: groups.into_iter().collect(),
        }
    }

    /// The partner instances (by home organisation) that may receive a record: those
    /// whose users may read it; never this instance's own home.
    pub fn destinations<'p>(
        &self,
        home: &OrganisationId,
        partners: &'p [OrganisationId],
        release: Release<'_>,
    ) -> Vec<&'p OrganisationId> {
        partners
            .iter()
            .filter(|p| *p != home)
            .filter(|p| {
                self.instance_reach(p)
                    .sees(release.owner, release.releasable_to, release.groups)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KINDS: [OrganisationKind; 6] = [
        OrganisationKind::Coalition,
        OrganisationKind::Federal,
        OrganisationKind::Regional,
        OrganisationKind::JointMechanism,
        OrganisationKind::Party,
        OrganisationKind::Other,
    ];

    fn org(i: usize) -> OrganisationId {
        format!("org-{i}").try_into().unwrap()
    }

    /// A forest of up to 12 organisations (each parent comes before its child), a record
    /// released by some of them, and the partner instances.
    fn world() -> impl Strategy<
        Value = (
            Tree,
            OrganisationId,
            Vec<OrganisationId>,
            usize,
            Vec<usize>,
            Vec<ReleaseGroup>,
        ),
    > {
        (2usize..12).prop_flat_map(|n| {
            (
                proptest::collection::vec(
                    (any::<prop::sample::Index>(), 0usize..6, any::<bool>()),
                    n,
                ),
                0..n,
                proptest::collection::vec(0..n, 0..4),
                proptest::collection::vec(0usize..5, 0..2),
                proptest::collection::vec(0..n, 1..5),
            )
                .prop_map(move |(shape, owner, released, groups, partners)| {
                    let tree = Tree::new(shape.iter().enumerate().map(|(i, (p, k, root))| {
                        let parent = (i > 0 && !root).then(|| org(p.index(i)));
                        (org(i), parent, KINDS[*k])
                    }));
                    let partners: Vec<OrganisationId> = partners
                        .into_iter()
                        .map(org)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let groups = groups.into_iter().map(|g| ReleaseGroup::ALL[g]).collect();
                    (tree, org(owner), partners, n, released, groups)
                })
        })
    }

    proptest! {
        /// An event goes to a partner instance exactly when a user of an organisation it
        /// serves may read the record through the read path's rule.
        #[test]
        fn events_go_exactly_where_reads_are_allowed(
            (tree, owner, partners, n, released, groups) in world(),
            home in 0usize..12,
        ) {
            let home = org(home % n);
            let releasable: Vec<OrganisationId> = released.into_iter().map(org).collect();
            let release = Release { owner: &owner, releasable_to: &releasable, groups: &groups };
            let sent: BTreeSet<&OrganisationId> =
                tree.destinations(&home, &partners, release).into_iter().collect();
            for partner in &partners {
                let may_read = partner != &home
                    && (0..n).map(org).filter(|o| tree.is_within(o, partner)).any(|user_org| {
                        reach_of_chain(&tree.chain(&user_org)).sees(&owner, &releasable, &groups)
                    });
                prop_assert_eq!(sent.contains(partner), may_read, "partner {}", partner);
            }
        }
    }

    #[test]
    fn a_release_to_a_parent_reaches_the_instance_of_its_sub_organisation() {
        let id = |s: &str| -> OrganisationId { s.parse().unwrap() };
        let tree = Tree::new([
            (id("krg"), None, OrganisationKind::Regional),
            (id("mopa"), Some(id("krg")), OrganisationKind::Regional),
            (id("sector-6"), Some(id("mopa")), OrganisationKind::Regional),
            (id("cjtf-oir"), None, OrganisationKind::Coalition),
            (id("iraqi-army"), None, OrganisationKind::Federal),
        ]);
        let partners = [id("mopa"), id("iraqi-army")];
        let dests = |released: &[OrganisationId], groups: &[ReleaseGroup]| {
            tree.destinations(
                &id("cjtf-oir"),
                &partners,
                Release {
                    owner: &id("cjtf-oir"),
                    releasable_to: released,
                    groups,
                },
            )
            .into_iter()
            .map(|o| o.as_str().to_owned())
            .collect::<Vec<_>>()
        };
        assert_eq!(dests(&[id("krg")], &[]), ["mopa"]);
        assert_eq!(
            dests(&[id("sector-6")], &[]),
            ["mopa"],
            "served by mopa's instance"
        );
        assert_eq!(
            dests(&[], &[]),
            Vec::<String>::new(),
            "unreleased goes nowhere"
        );
        assert_eq!(dests(&[], &[ReleaseGroup::Federal]), ["iraqi-army"]);
        assert_eq!(
            dests(&[], &[ReleaseGroup::AllPartners]),
            ["mopa", "iraqi-army"]
        );
    }
}
