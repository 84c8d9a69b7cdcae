//! Authorisation decisions, made by the Cedar policies in `policies/hawkari.cedar`,
//! validated against `policies/hawkari.cedarschema` when the application starts.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet, Request,
    RestrictedExpression, Schema, ValidationMode, Validator,
};
use hawkari_core::access::ReleaseGroup;
use hawkari_core::ids::OrganisationId;
use hawkari_core::record::RecordData;

use crate::auth::Principal;

/// The policies and schema shipped with Hawkari.
pub const POLICIES: &str = include_str!("../../../policies/hawkari.cedar");
pub const SCHEMA: &str = include_str!("../../../policies/hawkari.cedarschema");

/// What a principal asks to do with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Comment,
    Create,
    Update,
    Delete,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Comment => "comment",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// The releasability facts of a record that decisions depend on.
#[derive(Debug, Clone, Copy)]
pub struct Releasability<'a> {
    pub kind: hawkari_core::record::Kind,
    pub owner: &'a OrganisationId,
    pub releasable_to: &'a [OrganisationId],
    pub groups: &'a [ReleaseGroup],
}

impl<'a> Releasability<'a> {
    pub fn of<D: RecordData>(data: &'a D) -> Self {
        Self {
            kind: D::KIND,
            owner: data.owner_org_id(),
            releasable_to: data.releasable_to(),
            groups: data.release_groups(),
        }
    }
}

/// Loaded, validated policies.
#[derive(Debug, Clone)]
pub struct Authorizer {
    policies: PolicySet,
    schema: Schema,
}

fn uid(kind: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(kind).expect("a fixed entity type name"),
        EntityId::new(id),
    )
}

impl Authorizer {
    /// Parses the policies and schema and validates one against the other.
    pub fn load(policies: &str, schema: &str) -> Result<Self, String> {
        let (schema, _) = Schema::from_cedarschema_str(schema)
            .map_err(|e| format!("the Cedar schema is invalid: {e}"))?;
        let policies = PolicySet::from_str(policies)
            .map_err(|e| format!("the Cedar policies do not parse: {e}"))?;
        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result
                .validation_errors()
                .map(ToString::to_string)
                .collect();
            return Err(format!(
                "the Cedar policies do not fit the schema: {}",
                errors.join("; ")
            ));
        }
        Ok(Self { policies, schema })
    }

    /// The policies shipped with Hawkari (validated by a test, so this cannot fail).
    pub fn shipped() -> Self {
        Self::load(POLICIES, SCHEMA).expect("the shipped policies are valid")
    }

    /// Whether `principal` may do `action` to a record with these releasability facts.
    pub fn allows(&self, principal: &Principal, action: Action, record: Releasability<'_>) -> bool {
        match self.decide(principal, action, record) {
            Ok(allowed) => allowed,
            Err(e) => {
                // An entity or request the schema rejects is a bug: deny and say so.
                tracing::error!(error = %e, "authorisation request rejected by the schema");
                false
            }
        }
    }

    fn decide(
        &self,
        principal: &Principal,
        action: Action,
        record: Releasability<'_>,
    ) -> Result<bool, String> {
        let Some(user) = &principal.user else {
            return Ok(true);
        };
        let mut entities = Vec::new();
        let org_uid = |o: &OrganisationId| uid("Organisation", o.as_str());
        for link in &principal.chain {
            let mut parents: HashSet<EntityUid> = link.parent.iter().map(org_uid).collect();
            parents.extend(
                ReleaseGroup::of_kind(link.kind)
                    .into_iter()
                    .map(|g| uid("Group", g.as_str())),
            );
            entities.push(Entity::new_no_attrs(org_uid(&link.id), parents));
        }
        let user_uid = uid("User", &user.id);
        let attrs = HashMap::from([
            (
                "role".to_owned(),
                RestrictedExpression::new_string(user.role.as_str().to_owned()),
            ),
            (
                "organisation".to_owned(),
                RestrictedExpression::new_entity_uid(org_uid(&user.organisation_id)),
            ),
        ]);
        entities.push(
            Entity::new(
                user_uid.clone(),
                attrs,
                HashSet::from([org_uid(&user.organisation_id)]),
            )
            .map_err(|e| e.to_string())?,
        );
        let resource = uid("Record", "subject");
        let attrs = HashMap::from([
            (
                "kind".to_owned(),
                RestrictedExpression::new_string(record.kind.as_str().to_owned()),
            ),
            (
                "owner".to_owned(),
                RestrictedExpression::new_entity_uid(org_uid(record.owner)),
            ),
            (
                "releasable_to".to_owned(),
                RestrictedExpression::new_set(
                    record
                        .releasable_to
                        .iter()
                        .map(|o| RestrictedExpression::new_entity_uid(org_uid(o))),
                ),
            ),
            (
                "release_groups".to_owned(),
                RestrictedExpression::new_set(
                    record
                        .groups
                        .iter()
                        .map(|g| RestrictedExpression::new_entity_uid(uid("Group", g.as_str()))),
                ),
            ),
        ]);
        entities
            .push(Entity::new(resource.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?);
        let entities =
            Entities::from_entities(entities, Some(&self.schema)).map_err(|e| e.to_string())?;
        let request = Request::new(
            user_uid,
            uid("Action", action.name()),
            resource,
            Context::empty(),
            Some(&self.schema),
        )
        .map_err(|e| e.to_string())?;
        let answer =
            cedar_policy::Authorizer::new().is_authorized(&request, &self.policies, &entities);
        Ok(answer.decision() == Decision::Allow)
    }
}
