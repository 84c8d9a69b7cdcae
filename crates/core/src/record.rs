//! What all record kinds have in common: an id, content, server meta, the references a
//! record makes to others (checked on write, used by filters), and its search text.

use serde::{Serialize, de::DeserializeOwned};

use crate::access::ReleaseGroup;
use crate::error::Problems;
use crate::ids::OrganisationId;
use crate::values::Name;

/// The kinds of record Hawkari keeps.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Organisation,
    Person,
    Place,
    Topic,
    Engagement,
    Commitment,
    Incident,
    Area,
    Programme,
    Operation,
    /// A release group (see `access::ReleaseGroup`): referred to, never stored.
    Group,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Topic => "topic",
            Kind::Engagement => "engagement",
            Kind::Commitment => "commitment",
            Kind::Incident => "incident",
            Kind::Area => "area",
            Kind::Programme => "programme",
            Kind::Operation => "operation",
            Kind::Group => "group",
        }
    }

    /// The plural used for collections: API paths and table names.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Organisation => "organisations",
            Kind::Person => "people",
            Kind::Place => "places",
            Kind::Topic => "topics",
            Kind::Engagement => "engagements",
            Kind::Commitment => "commitments",
            Kind::Incident => "incidents",
            Kind::Area => "areas",
            Kind::Programme => "programmes",
            Kind::Operation => "operations",
            Kind::Group => "groups",
        }
    }
}

/// How one record points at another; filters ask for a relation, not just a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rel {
    Owner,
    ReleasableTo,
    Parent,
    /// An organisation's reporting line besides its parent (no effect on reach).
    AnswersTo,
    Position,
    Participant,
    Place,
    Topic,
    FollowUpOf,
    Engagement,
    Responsible,
    Counterpart,
    ReleaseGroup,
    /// A programme's condition resting on a commitment.
    Condition,
    /// An operation's site touched by an incident.
    Incident,
}

impl Rel {
    pub fn as_str(self) -> &'static str {
        match self {
            Rel::Owner => "owner",
            Rel::ReleasableTo => "releasable_to",
            Rel::Parent => "parent",
            Rel::AnswersTo => "answers_to",
            Rel::Position => "position",
            Rel::Participant => "participant",
            Rel::Place => "place",
            Rel::Topic => "topic",
            Rel::FollowUpOf => "follow_up_of",
            Rel::Engagement => "engagement",
            Rel::Responsible => "responsible",
            Rel::Counterpart => "counterpart",
            Rel::ReleaseGroup => "release_group",
            Rel::Condition => "condition",
            Rel::Incident => "incident",
        }
    }
}

/// One reference from a record to another, with the field it sits in (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub field: String,
    pub rel: Rel,
    pub kind: Kind,
    pub id: String,
}

impl Reference {
    pub fn new(field: impl Into<String>, rel: Rel, kind: Kind, id: &impl ToString) -> Self {
        Self {
            field: field.into(),
            rel,
            kind,
            id: id.to_string(),
        }
    }
}

/// The content of a record kind, as a client writes it.
pub trait RecordData:
    Serialize + DeserializeOwned + Clone + Send + Sync + std::fmt::Debug + 'static
{
    const KIND: Kind;

    /// Rules across fields that a single field's type cannot express.
    fn check(&self, own_id: &str, problems: &mut Problems);

    /// Every other record this one refers to.
    fn references(&self) -> Vec<Reference>;

    /// The texts the record is found by in search, in every script it has.
    fn search_texts(&self) -> Vec<&str>;

    /// The key lists are sorted by (a folded name, or a time).
    fn sort_key(&self) -> String;

    fn owner_org_id(&self) -> &OrganisationId;
    fn releasable_to(&self) -> &[OrganisationId];
    fn release_groups(&self) -> &[ReleaseGroup];
    /// A handling caveat: reading such a record leaves an audit entry.
    fn caveat(&self) -> Option<&Name>;
}

/// References every record makes through its owner and releasability lists.
pub fn release_references<D: RecordData>(data: &D) -> Vec<Reference> {
    let mut refs = vec![Reference::new(
        "owner_org_id",
        Rel::Owner,
        Kind::Organisation,
        data.owner_org_id(),
    )];
    refs.extend(data.releasable_to().iter().enumerate().map(|(i, o)| {
        Reference::new(
            format!("releasable_to[{i}]"),
            Rel::ReleasableTo,
            Kind::Organisation,
            o,
        )
    }));
    refs.extend(data.release_groups().iter().enumerate().map(|(i, g)| {
        Reference::new(
            format!("release_groups[{i}]"),
            Rel::ReleaseGroup,
            Kind::Group,
            g,
        )
    }));
    refs
}

/// A record's references, added field by field (with its release references first): what
/// [`RecordData::references`] returns.
pub(crate) struct Refs(pub Vec<Reference>);

impl Refs {
    pub(crate) fn new<D: RecordData>(data: &D) -> Self {
        Self(release_references(data))
    }

    /// The reference a field holds, if it holds one.
    pub(crate) fn opt(
        &mut self,
        field: impl Into<String>,
        rel: Rel,
        kind: Kind,
        id: Option<&impl ToString>,
    ) {
        if let Some(id) = id {
            self.0.push(Reference::new(field, rel, kind, id));
        }
    }

    /// The references of a list field, each named `field[j]`.
    pub(crate) fn list(&mut self, field: &str, rel: Rel, kind: Kind, ids: &[impl ToString]) {
        for (j, id) in ids.iter().enumerate() {
            self.0
                .push(Reference::new(format!("{field}[{j}]"), rel, kind, id));
        }
    }
}

/// Rules of the releasability fields every kind shares.
pub fn check_release<D: RecordData>(data: &D, problems: &mut Problems) {
    check_unique("releasable_to", data.releasable_to(), problems);
    check_unique("release_groups", data.release_groups(), problems);
}

/// Reports entries that appear more than once in a list field.
pub fn check_unique<T: PartialEq + std::fmt::Display>(
    field: &str,
    items: &[T],
    problems: &mut Problems,
) {
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            problems.add(format!("{field}[{i}]"), format!("`{item}` is listed twice"));
        }
    }
}

/// The owner and releasability accessors of a content type with the usual field names.
macro_rules! release_accessors {
    () => {
        fn owner_org_id(&self) -> &$crate::ids::OrganisationId {
            &self.owner_org_id
        }
        fn releasable_to(&self) -> &[$crate::ids::OrganisationId] {
            &self.releasable_to
        }
        fn release_groups(&self) -> &[$crate::access::ReleaseGroup] {
            &self.release_groups
        }
        fn caveat(&self) -> Option<&$crate::values::Name> {
            self.caveat.as_ref()
        }
    };
}

/// The releasability fields every record kind carries, as a client writes them.
macro_rules! release_fields {
    ($(#[$doc:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $(#[$doc])*
        $vis struct $name {
            $($body)*
            /// The organisation that owns the record; only its editors change it.
            pub owner_org_id: $crate::ids::OrganisationId,
            /// Organisations besides the owner that may see it (and those below them).
            #[serde(default)]
            pub releasable_to: Vec<$crate::ids::OrganisationId>,
            /// Groups of organisations that may see it, e.g. all coalition members.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub release_groups: Vec<$crate::access::ReleaseGroup>,
            /// A handling caveat, e.g. "Releasable to JCC members only by name"; reading
            /// such a record is audited.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub caveat: Option<$crate::values::Name>,
        }
    };
}
pub(crate) use release_accessors;
pub(crate) use release_fields;

/// Declares a stored record type: id, content and server meta, serialised flat.
macro_rules! record_type {
    ($(#[$doc:meta])* $name:ident, $id:ty, $data:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub id: $id,
            #[serde(flatten)]
            pub data: $data,
            #[serde(flatten)]
            pub meta: $crate::meta::Meta,
        }
    };
}
pub(crate) use record_type;

/// Reads a stored record's parts from a JSON object: the id, the server meta, the content
/// (every other field), and any `extra` fields the kind keeps beside its content.
/// Errors name the field, prefixed with `prefix` (e.g. `engagements[3]`).
pub fn parts_from_json<D: RecordData>(
    value: serde_json::Value,
    extra: &[&str],
    prefix: &str,
) -> Result<
    (
        String,
        D,
        crate::meta::Meta,
        serde_json::Map<String, serde_json::Value>,
    ),
    crate::ValidationError,
> {
    let serde_json::Value::Object(mut content) = value else {
        return Err(crate::ValidationError::single(
            prefix,
            "must be a JSON object",
        ));
    };
    let mut server = serde_json::Map::new();
    for key in crate::meta::SERVER_FIELDS.iter().chain(extra) {
        if let Some(v) = content.remove(*key) {
            server.insert((*key).to_owned(), v);
        }
    }
    let id = match server.remove("id") {
        Some(serde_json::Value::String(s)) => crate::ids::check_slug(&s)
            .map(|()| s)
            .map_err(|m| crate::ValidationError::single(format!("{prefix}.id"), m))?,
        _ => {
            return Err(crate::ValidationError::single(
                format!("{prefix}.id"),
                "a string id is required",
            ));
        }
    };
    let mut extras = serde_json::Map::new();
    for key in extra {
        if let Some(v) = server.remove(*key) {
            extras.insert((*key).to_owned(), v);
        }
    }
    let meta: crate::meta::Meta = from_json_value(serde_json::Value::Object(server), prefix)?;
    let data: D = from_json_value(serde_json::Value::Object(content), prefix)?;
    let mut problems = Problems::default();
    data.check(&id, &mut problems);
    problems.into_result().map_err(|e| e.prefixed(prefix))?;
    Ok((id, data, meta, extras))
}

/// Deserialises a JSON value, naming the failing field (after `prefix`) in the error.
pub fn from_json_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, crate::ValidationError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = match (prefix.is_empty(), path.as_str()) {
            (_, ".") => prefix.to_owned(),
            (true, p) => p.to_owned(),
            (false, p) => format!("{prefix}.{p}"),
        };
        crate::ValidationError::single(
            if field.is_empty() {
                "body".into()
            } else {
                field
            },
            clean_serde_message(&e.into_inner().to_string()),
        )
    })
}

/// Serde's messages end with " at line 1 column 5" for positions in text we did not
/// show the user; the field path says where instead.
fn clean_serde_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
