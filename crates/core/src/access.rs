//! Who may see and change what: users' roles, release groups, and the principal a request
//! acts as. The decisions themselves are Cedar policies (app::authz); the database filter
//! that lists apply (store) must agree with them, and a property test checks that it does.

use serde::{Deserialize, Serialize};

use crate::ids::OrganisationId;
use crate::organisation::OrganisationKind;

/// What a user may do in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads what is released to their organisation.
    Viewer,
    /// Also creates and changes their organisation's records, and comments on partners'.
    Editor,
    /// Also manages their organisation's users.
    OrgAdmin,
    /// Manages every user; sees no more records than their organisation is released.
    SystemAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Viewer,
        Role::Editor,
        Role::OrgAdmin,
        Role::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::OrgAdmin => "org_admin",
            Role::SystemAdmin => "system_admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!("`{s}` is not a role: use viewer, editor, org_admin or system_admin")
            })
    }
}

/// A set of organisations a record can be released to at once, by their kind.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseGroup {
    /// Every organisation of the partnership.
    AllPartners,
    /// All coalition members.
    Coalition,
    /// The federal ministries, army and commands.
    Federal,
    /// The Kurdistan Region's government, ministries and forces.
    Regional,
    /// Joint coordination centres, joint brigades and other joint mechanisms.
    JointMechanisms,
}

impl ReleaseGroup {
    pub const ALL: [ReleaseGroup; 5] = [
        ReleaseGroup::AllPartners,
        ReleaseGroup::Coalition,
        ReleaseGroup::Federal,
        ReleaseGroup::Regional,
        ReleaseGroup::JointMechanisms,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseGroup::AllPartners => "all_partners",
            ReleaseGroup::Coalition => "coalition",
            ReleaseGroup::Federal => "federal",
            ReleaseGroup::Regional => "regional",
            ReleaseGroup::JointMechanisms => "joint_mechanisms",
        }
    }

    /// The groups an organisation of `kind` belongs to.
    pub fn of_kind(kind: OrganisationKind) -> Vec<ReleaseGroup> {
        let by_kind = match kind {
            OrganisationKind::Coalition => Some(ReleaseGroup::Coalition),
            OrganisationKind::Federal => Some(ReleaseGroup::Federal),
            OrganisationKind::Regional => Some(ReleaseGroup::Regional),
            OrganisationKind::JointMechanism => Some(ReleaseGroup::JointMechanisms),
            OrganisationKind::Party | OrganisationKind::Other => None,
        };
        std::iter::once(ReleaseGroup::AllPartners)
            .chain(by_kind)
            .collect()
    }
}

impl std::fmt::Display for ReleaseGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a reader's organisation reaches: the organisation and every one above it (a
/// release to an organisation reaches everyone below it), and the groups of those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Everything: the command line's own work (imports, exports, migrations).
    Everything,
    Released {
        orgs: Vec<OrganisationId>,
        groups: Vec<ReleaseGroup>,
    },
}

impl Reach {
    /// Whether a record with this owner and release lists is visible; the rule that the
    /// database filter applies and the Cedar policy states.
    pub fn sees(
        &self,
        owner: &OrganisationId,
        releasable_to: &[OrganisationId],
        groups: &[ReleaseGroup],
    ) -> bool {
        match self {
            Reach::Everything => true,
            Reach::Released { orgs, groups: mine } => {
                orgs.contains(owner)
                    || releasable_to.iter().any(|o| orgs.contains(o))
                    || groups.iter().any(|g| mine.contains(g))
            }
        }
    }
}

/// A person who signs in to Hawkari, on behalf of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub organisation_id: OrganisationId,
    pub role: Role,
    pub disabled: bool,
}

/// Checks a username: 3–64 characters of lower-case letters, digits, `.`, `-`, `_`.
pub fn check_username(s: &str) -> Result<(), String> {
    let ok = (3..=64).contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        });
    if ok {
        Ok(())
    } else {
        Err("3 to 64 characters: lower-case letters, digits, `.`, `-` or `_`".into())
    }
}

/// A comment or follow-up note on a record, by a user of a partner that can see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Comment {
    pub id: String,
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub text: crate::values::Text,
}
