//! Create, read, update and delete, once for every record kind.

use hawkari_core::access::Role;
use hawkari_core::area::{Area, AreaData};
use hawkari_core::commitment::{Commitment, CommitmentData, CommitmentStatus, StatusChange};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::error::Problems;
use hawkari_core::ids::TopicCode;
use hawkari_core::incident::{AdminUnits, Incident, IncidentData};
use hawkari_core::meta::Meta;
use hawkari_core::operation::{Operation, OperationData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::programme::{Programme, ProgrammeData};
use hawkari_core::record::{Kind, RecordData};
use hawkari_core::topic::Topic;
use hawkari_core::values::Text;
use hawkari_store::{AnyRecord, StoreError, TopicWrite, Write};

use crate::authz::{Action, Releasability};
use crate::{App, AppError, Principal};

/// A stored record type and its content type.
pub trait RecordKind: Sized + Clone + Send + Sync + 'static {
    type Data: RecordData;

    /// Builds the record; `previous` is the stored record an update replaces.
    fn assemble(
        id: String,
        data: Self::Data,
        meta: Meta,
        previous: Option<&Self>,
        actor: &str,
    ) -> Result<Self, AppError>;
    fn into_any(self) -> AnyRecord;
    fn from_any(any: AnyRecord) -> Option<Self>;
    fn id_str(&self) -> &str;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn data(&self) -> &Self::Data;
}

macro_rules! plain_kind {
    ($record:ident, $data:ident) => {
        impl RecordKind for $record {
            type Data = $data;

            fn assemble(
                id: String,
                data: $data,
                meta: Meta,
                _: Option<&Self>,
                _: &str,
            ) -> Result<Self, AppError> {
                let id = id
                    .try_into()
                    .map_err(|m: String| hawkari_core::ValidationError::single("id", m))?;
                Ok($record { id, data, meta })
            }
            fn into_any(self) -> AnyRecord {
                AnyRecord::$record(self)
            }
            fn from_any(any: AnyRecord) -> Option<Self> {
                match any {
                    AnyRecord::$record(r) => Some(r),
                    _ => None,
                }
            }
            fn id_str(&self) -> &str {
                self.id.as_str()
            }
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
            fn data(&self) -> &$data {
                &self.data
            }
        }
    };
}

plain_kind!(Organisation, OrganisationData);
plain_kind!(Person, PersonData);
plain_kind!(Place, PlaceData);
plain_kind!(Engagement, EngagementData);
plain_kind!(Incident, IncidentData);
plain_kind!(Area, AreaData);
plain_kind!(Programme, ProgrammeData);
plain_kind!(Operation, OperationData);

impl RecordKind for Commitment {
    type Data = CommitmentData;

    /// A new commitment starts open; an update keeps the status history as it was.
    fn assemble(
        id: String,
        data: CommitmentData,
        meta: Meta,
        previous: Option<&Self>,
        actor: &str,
    ) -> Result<Self, AppError> {
        let status_history = match previous {
            Some(p) => p.status_history.clone(),
            None => vec![StatusChange {
                status: CommitmentStatus::Open,
                at: meta.created_at,
                by: actor.to_owned(),
                reason: None,
            }],
        };
        let id = id
            .try_into()
            .map_err(|m: String| hawkari_core::ValidationError::single("id", m))?;
        Ok(Commitment {
            id,
            data,
            status_history,
            meta,
        })
    }
    fn into_any(self) -> AnyRecord {
        AnyRecord::Commitment(self)
    }
    fn from_any(any: AnyRecord) -> Option<Self> {
        match any {
            AnyRecord::Commitment(r) => Some(r),
            _ => None,
        }
    }
    fn id_str(&self) -> &str {
        self.id.as_str()
    }
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn data(&self) -> &CommitmentData {
        &self.data
    }
}

impl App {
    /// Reads one record the principal may see, or `NotFound` — the same answer whether it
    /// does not exist or is not released to them. Reading a caveated record is audited.
    pub async fn get<R: RecordKind>(&self, principal: &Principal, id: &str) -> Result<R, AppError> {
        let kind = R::Data::KIND;
        let not_found = || AppError::NotFound {
            kind,
            id: id.to_owned(),
        };
        let record = self
            .store
            .get(kind, id, &principal.reach)
            .await?
            .and_then(R::from_any)
            .ok_or_else(not_found)?;
        if !self
            .authz
            .allows(principal, Action::Read, Releasability::of(record.data()))
        {
            // The database filter and the policy disagree: a bug; never show the record.
            tracing::error!(kind = kind.as_str(), id, actor = %principal.actor, "database released a record the policy denies");
            return Err(not_found());
        }
        if let Some(caveat) = record.data().caveat() {
            let detail = serde_json::json!({"caveat": caveat});
            let event = principal.event(self.now(), "read_caveated", Some(kind), Some(id), detail);
            self.store
                .write(vec![Write::Audit(event)], &principal.reach)
                .await?;
        }
        Ok(record)
    }

    /// On a federated instance, the home organisation when `data` is a partner's record
    /// held here as a copy: a follow-up to it is a contribution sent to its owner.
    pub(crate) fn copy_origin(
        &self,
        data: &impl RecordData,
    ) -> Option<&hawkari_core::ids::OrganisationId> {
        let home = self.federation_home.get()?;
        if home.contains(data.owner_org_id()) {
            return None;
        }
        self.federation_org.get()
    }

    /// Refuses what the policy does not allow, naming why in terms a user can act on.
    pub(crate) fn require(
        &self,
        principal: &Principal,
        action: Action,
        data: &impl RecordData,
    ) -> Result<(), AppError> {
        if !principal.may_write() && action != Action::Read {
            return Err(AppError::Forbidden("this API token may only read".into()));
        }
        // A federated instance changes only its home organisations' records: the others
        // are copies whose owner's instance alone changes them.
        if matches!(action, Action::Create | Action::Update | Action::Delete)
            && self
                .federation_home
                .get()
                .is_some_and(|home| !home.contains(data.owner_org_id()))
        {
            return Err(AppError::Forbidden(format!(
                "this record belongs to {}, whose own Hawkari instance alone changes it; \
                 here it is a read-only copy",
                data.owner_org_id()
            )));
        }
        if self
            .authz
            .allows(principal, action, Releasability::of(data))
        {
            return Ok(());
        }
        Err(AppError::Forbidden(match action {
            Action::Comment => {
                "only editors of an organisation the record is released to may add follow-up".into()
            }
            _ => format!(
                "only editors of the owning organisation ({}) may change this record",
                data.owner_org_id()
            ),
        }))
    }

    /// Creates a record, with the id the client chose or a fresh one.
    pub async fn create<R: RecordKind>(
        &self,
        principal: &Principal,
        id: Option<String>,
        data: R::Data,
    ) -> Result<R, AppError> {
        let id = match id {
            Some(id) => {
                hawkari_core::ids::check_slug(&id)
                    .map_err(|m| hawkari_core::ValidationError::single("id", m))?;
                may_choose_id(principal, R::Data::KIND)?;
                id
            }
            None => hawkari_core::ids::mint(),
        };
        let data = self.checked_for_create(principal, &id, data)?;
        let concerns = self.registry_change(principal, &id, &data, None).await?;
        let now = self.now();
        let record = R::assemble(
            id.clone(),
            data,
            Meta::new(&principal.actor, now),
            None,
            &principal.actor,
        )?;
        let detail = serde_json::json!({"after": record.data()});
        let audit = principal
            .event(now, "create", Some(R::Data::KIND), Some(&id), detail)
            .concerning(
                concerns
                    .into_iter()
                    .chain(principal.foreign_owner(record.data().owner_org_id())),
            );
        self.store
            .write(
                vec![
                    Write::Insert(record.clone().into_any()),
                    Write::Audit(audit),
                ],
                &principal.reach,
            )
            .await?;
        Ok(record)
    }

    /// The checks [`App::create`] makes before it writes — the record's own rules and
    /// whether `principal` may create it — without writing anything: a batch of records
    /// (report intake's confirmed drafts) is checked whole before the first is saved.
    pub fn check_create<D: RecordData>(
        &self,
        principal: &Principal,
        data: &D,
    ) -> Result<(), AppError> {
        self.checked_for_create(principal, "new", data.clone())
            .map(|_| ())
    }

    /// A new record's data as it will be stored (derived fields filled in), if its own
    /// rules hold and `principal` may create it.
    fn checked_for_create<D: RecordData>(
        &self,
        principal: &Principal,
        id: &str,
        data: D,
    ) -> Result<D, AppError> {
        let data = enrich(data);
        self.check(id, &data, None)?;
        self.require(principal, Action::Create, &data)?;
        Ok(data)
    }

    /// Replaces a record's content, if it is still at `expected_version`.
    pub async fn update<R: RecordKind>(
        &self,
        principal: &Principal,
        id: &str,
        data: R::Data,
        expected_version: Option<i64>,
    ) -> Result<R, AppError> {
        let current: R = self.get(principal, id).await?;
        self.require(principal, Action::Update, current.data())?;
        let expected = expected_version.ok_or(AppError::VersionRequired)?;
        if current.meta().version != expected {
            return Err(AppError::VersionConflict {
                expected,
                current: current.meta().version,
            });
        }
        let data = enrich(data);
        self.check(id, &data, Some(current.data()))?;
        // The new owner must be one the editor may hand the record to: their own.
        self.require(principal, Action::Update, &data)?;
        let concerns = self
            .registry_change(principal, id, &data, Some(current.data()))
            .await?;
        let now = self.now();
        let meta = current.meta().next(&principal.actor, now);
        let detail = changes(current.data(), &data);
        let owners = [
            principal.foreign_owner(current.data().owner_org_id()),
            principal.foreign_owner(data.owner_org_id()),
        ];
        let record = R::assemble(id.to_owned(), data, meta, Some(&current), &principal.actor)?;
        let audit = principal
            .event(now, "update", Some(R::Data::KIND), Some(id), detail)
            .concerning(concerns.into_iter().chain(owners.into_iter().flatten()));
        let write = Write::Update {
            record: record.clone().into_any(),
            expected_version: expected,
        };
        self.store
            .write(vec![write, Write::Audit(audit)], &principal.reach)
            .await
            .map_err(|e| AppError::from_store(e, Some(expected)))?;
        Ok(record)
    }

    /// Deletes a record at `expected_version`; refused while others refer to it.
    pub async fn delete<R: RecordKind>(
        &self,
        principal: &Principal,
        id: &str,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        let current: R = self.get(principal, id).await?;
        self.require(principal, Action::Delete, current.data())?;
        let kind = R::Data::KIND;
        // Taking an organisation out of the tree changes who reads what below it: a
        // registry change, like moving it.
        if kind == Kind::Organisation && principal.user.is_some() && !principal.is_system_admin() {
            return Err(AppError::Forbidden(
                "only system administrators remove organisations from the registry".into(),
            ));
        }
        let expected = expected_version.ok_or(AppError::VersionRequired)?;
        let detail = serde_json::json!({"before": current.data()});
        let audit = principal
            .event(self.now(), "delete", Some(kind), Some(id), detail)
            .concerning(principal.foreign_owner(current.data().owner_org_id()));
        let write = Write::Delete {
            kind,
            id: id.to_owned(),
            expected_version: Some(expected),
        };
        self.store
            .write(vec![write, Write::Audit(audit)], &principal.reach)
            .await
            .map_err(|e| AppError::from_store(e, Some(expected)))
    }

    /// Records a commitment's new status, by whom and why: the owner's editors, or — as a
    /// follow-up recorded as theirs — editors of a partner the commitment is released to.
    /// With `expected_version` the change applies only to that version; without it, to
    /// whatever is current (a change made meanwhile is read again, not a conflict).
    pub async fn change_commitment_status(
        &self,
        principal: &Principal,
        id: &str,
        status: CommitmentStatus,
        reason: Option<Text>,
        expected_version: Option<i64>,
    ) -> Result<Commitment, AppError> {
        let changed = self
            .follow_up::<Commitment>(principal, id, "status", expected_version, |current, now| {
                let change = StatusChange {
                    status,
                    at: now,
                    by: principal.actor.clone(),
                    reason: reason.clone(),
                };
                let detail = serde_json::json!({"status": change});
                current.status_history.push(change);
                Ok(detail)
            })
            .await?;
        self.notify_followers(
            principal,
            hawkari_store::NoticeEvent::Status,
            Kind::Commitment,
            id,
            format!("status:commitment:{id}:{}", changed.meta.version),
            serde_json::json!({"status": status.as_str(), "who": principal.actor}),
        )
        .await;
        Ok(changed)
    }

    /// Writes a follow-up to a record: by the owner's editors or — recorded as theirs — by
    /// editors of a partner the record is released to. `change` alters the current record
    /// at `now` and returns the audit entry's detail (`event` names it). With
    /// `expected_version` the follow-up applies only to that version; without it, to
    /// whatever is current (a change made meanwhile is read again, not a conflict).
    ///
    /// A follow-up changes no reference, so the owner's references, checked when they
    /// were written, stand: checking them against the partner's reach would name records
    /// not released to the partner.
    pub(crate) async fn follow_up<R: RecordKind>(
        &self,
        principal: &Principal,
        id: &str,
        event: &str,
        expected_version: Option<i64>,
        mut change: impl FnMut(
            &mut R,
            chrono::DateTime<chrono::Utc>,
        ) -> Result<serde_json::Value, AppError>,
    ) -> Result<R, AppError> {
        let mut attempts = 0;
        loop {
            let mut current: R = self.get(principal, id).await?;
            if self
                .require(principal, Action::Update, current.data())
                .is_err()
            {
                self.require(principal, Action::Comment, current.data())?;
            }
            let expected = expected_version.unwrap_or(current.meta().version);
            if current.meta().version != expected {
                return Err(AppError::VersionConflict {
                    expected,
                    current: current.meta().version,
                });
            }
            let now = self.now();
            let mut writes = Vec::new();
            let detail = match self.copy_origin(current.data()) {
                // A partner's record: the follow-up is a contribution, merged into the copy
                // (which keeps the owner's version) and sent to the owner's instance.
                Some(origin) => {
                    let mut scratch = current.clone();
                    let mut detail = change(&mut scratch, now)?;
                    let by = format!("{}@{origin}", principal.actor);
                    let what = crate::federation::contribute::from_follow_up(event, &detail, &by)
                        .ok_or_else(|| {
                            AppError::Forbidden(format!(
                                "this record belongs to {}, whose own Hawkari instance alone changes it",
                                current.data().owner_org_id()
                            ))
                        })?;
                    let contribution = crate::federation::contribute::Contribution::new(
                        origin.as_str(),
                        R::Data::KIND,
                        id,
                        now,
                        what,
                    );
                    let mut any = current.clone().into_any();
                    crate::federation::contribute::merge(&mut any, &contribution.what)
                        .map_err(AppError::NoSuch)?;
                    current = R::from_any(any).expect("the same kind");
                    writes.extend(contribution.writes(current.data().owner_org_id().as_str())?);
                    detail["contribution"] = serde_json::json!(contribution.id);
                    detail
                }
                None => {
                    let detail = change(&mut current, now)?;
                    *current.meta_mut() = current.meta().next(&principal.actor, now);
                    detail
                }
            };
            let audit = principal
                .event(now, event, Some(R::Data::KIND), Some(id), detail)
                .concerning(principal.foreign_owner(current.data().owner_org_id()));
            let write = Write::Update {
                record: current.clone().into_any(),
                expected_version: expected,
            };
            writes.insert(0, write);
            writes.push(Write::Audit(audit));
            match self
                .store
                .write(writes, &hawkari_core::access::Reach::Everything)
                .await
            {
                Ok(()) => return Ok(current),
                Err(StoreError::VersionConflict { .. })
                    if expected_version.is_none() && attempts < 3 =>
                {
                    attempts += 1
                }
                Err(e) => return Err(AppError::from_store(e, Some(expected))),
            }
        }
    }

    /// The organisation tree and organisations' kinds decide who reads what: a release to
    /// an organisation reaches everyone below it, and kinds make the release groups. So
    /// adding an organisation, or changing its `parent_id` or `kind`, is for a system
    /// administrator or the command line — and no one changes the place or kind of their
    /// own organisation or one above it, which would widen their own reach. Returns the
    /// organisations the change concerns (the organisation and everyone above it before
    /// and after), whose administrators see it in their audit trail.
    ///
    /// `answers_to` is a reporting line, not part of the tree: it changes no one's reach,
    /// so the owner's editors keep it, and a change to it concerns no one else (the
    /// audit entry carries the record, which the bodies named may not be released).
    async fn registry_change<D: RecordData>(
        &self,
        principal: &Principal,
        id: &str,
        data: &D,
        previous: Option<&D>,
    ) -> Result<Vec<String>, AppError> {
        let Some(org) = (data as &dyn std::any::Any).downcast_ref::<OrganisationData>() else {
            return Ok(vec![]);
        };
        let before =
            previous.and_then(|d| (d as &dyn std::any::Any).downcast_ref::<OrganisationData>());
        let moved = before.is_none_or(|b| b.parent_id != org.parent_id || b.kind != org.kind);
        if !moved {
            return Ok(vec![]);
        }
        if principal.user.is_some() {
            if !principal.is_system_admin() {
                return Err(AppError::Forbidden(
                    "only system administrators add organisations or change an organisation's place in the tree or its kind (parent_id, kind): these decide who reads what".into(),
                ));
            }
            if principal.chain.iter().any(|l| l.id.as_str() == id) {
                return Err(AppError::Forbidden(
                    "no one changes the place in the tree or the kind of their own organisation or one above it: a system administrator of another organisation, or the command line, may".into(),
                ));
            }
        }
        let mut concerns = vec![id.to_owned()];
        for parent in [
            org.parent_id.as_ref(),
            before.and_then(|b| b.parent_id.as_ref()),
        ]
        .into_iter()
        .flatten()
        {
            for link in self.org_chain(parent).await? {
                concerns.push(link.id.to_string());
            }
        }
        Ok(concerns)
    }

    /// Topics are shared vocabulary: organisation and system administrators keep it.
    fn require_vocabulary_admin(&self, principal: &Principal) -> Result<(), AppError> {
        match principal.role() {
            None | Some(Role::OrgAdmin | Role::SystemAdmin) if principal.may_write() => Ok(()),
            _ => Err(AppError::Forbidden(
                "only administrators change the topic vocabulary".into(),
            )),
        }
    }

    /// Adds a topic to the vocabulary (`TopicWrite::Create`) or relabels one (`Update`).
    pub async fn put_topic(
        &self,
        principal: &Principal,
        topic: Topic,
        mode: TopicWrite,
    ) -> Result<Topic, AppError> {
        self.require_vocabulary_admin(principal)?;
        let mut problems = Problems::default();
        topic.check(&mut problems);
        problems.into_result()?;
        let audit = principal.event(
            self.now(),
            "topic",
            Some(Kind::Topic),
            Some(topic.code.as_str()),
            serde_json::json!({"after": topic}),
        );
        self.store
            .write(
                vec![Write::PutTopic(topic.clone(), mode), Write::Audit(audit)],
                &principal.reach,
            )
            .await?;
        Ok(topic)
    }

    pub async fn get_topic(&self, code: &str) -> Result<Topic, AppError> {
        self.store
            .get_topic(code)
            .await?
            .ok_or_else(|| AppError::NotFound {
                kind: Kind::Topic,
                id: code.to_owned(),
            })
    }

    /// Removes a topic that no engagement uses.
    pub async fn delete_topic(
        &self,
        principal: &Principal,
        code: TopicCode,
    ) -> Result<(), AppError> {
        self.require_vocabulary_admin(principal)?;
        let audit = principal.event(
            self.now(),
            "delete",
            Some(Kind::Topic),
            Some(code.as_str()),
            serde_json::json!({}),
        );
        Ok(self
            .store
            .write(
                vec![Write::DeleteTopic(code), Write::Audit(audit)],
                &principal.reach,
            )
            .await?)
    }

    /// The record's own rules; those that need the registry run in the store's transaction.
    fn check<D: RecordData>(
        &self,
        id: &str,
        data: &D,
        previous: Option<&D>,
    ) -> Result<(), AppError> {
        let mut problems = Problems::default();
        data.check(id, &mut problems);
        check_derivable(data, &mut problems);
        check_new_targets(data, previous, self.now().date_naive(), &mut problems);
        Ok(problems.into_result()?)
    }
}

/// Whether the principal may choose a new record's id. Ids are unique across every
/// organisation's records, so a chosen id that is taken would answer "exists" for a record
/// the chooser may not see. The command line (which sees everything) chooses any id; a
/// system administrator, who keeps the registry's structure and knows every
/// organisation, chooses organisations' ids; everyone else gets an id from the server.
fn may_choose_id(principal: &Principal, kind: Kind) -> Result<(), AppError> {
    if principal.user.is_none() || (kind == Kind::Organisation && principal.is_system_admin()) {
        return Ok(());
    }
    Err(hawkari_core::ValidationError::single(
        "id",
        "the server gives new records their id: leave `id` out (ids are unique across every organisation's records, so a chosen one could collide with a record you cannot see)",
    )
    .into())
}

/// A programme's indicator targets, when new or changed, must lie ahead: a target set in
/// the past cannot be worked towards. (Targets that have since passed are kept as they
/// were.)
fn check_new_targets<D: RecordData>(
    data: &D,
    previous: Option<&D>,
    today: chrono::NaiveDate,
    problems: &mut Problems,
) {
    let Some(p) = (data as &dyn std::any::Any).downcast_ref::<ProgrammeData>() else {
        return;
    };
    let before = previous.and_then(|d| (d as &dyn std::any::Any).downcast_ref::<ProgrammeData>());
    for (i, ind) in p.indicators.iter().enumerate() {
        let unchanged = before
            .and_then(|b| b.indicators.iter().find(|x| x.key == ind.key))
            .is_some_and(|x| x.target == ind.target);
        if !unchanged && ind.target.date.last_day() < today {
            problems.add(
                format!("indicators[{i}].target.date"),
                format!(
                    "`{}` is in the past: a new target must lie ahead of today ({today})",
                    ind.target.date
                ),
            );
        }
    }
}

/// The rules of what the server derives: an area's and a place's admin units must be in
/// the gazetteer; an operation's sites and an incident's point must lie in Iraq (its admin
/// units are derived from the point). The incident importers (ACLED, UCDP, …) fill admin
/// units without this check: a source's row a few metres over the border is kept, with
/// what units it has.
fn check_derivable<D: RecordData>(data: &D, problems: &mut Problems) {
    if let Some(incident) = (data as &dyn std::any::Any).downcast_ref::<IncidentData>() {
        let p = incident.point;
        // A point out of range is already named by the record's own check.
        if (-90.0..=90.0).contains(&p.lat)
            && (-180.0..=180.0).contains(&p.lon)
            && let Some(why) = crate::geography::outside_iraq(&p)
        {
            problems.add("point", why);
        }
    }
    if let Some(op) = (data as &dyn std::any::Any).downcast_ref::<OperationData>() {
        for (i, site) in op.sites.iter().enumerate() {
            if let Some(why) = site.point.as_ref().and_then(crate::geography::outside_iraq) {
                problems.add(format!("sites[{i}].point"), why);
            }
        }
    }
    if let Some(place) = (data as &dyn std::any::Any).downcast_ref::<PlaceData>()
        && let Some(unit) = &place.admin_unit
        && !crate::geography::unknown_units(std::slice::from_ref(unit)).is_empty()
    {
        problems.add(
            "admin_unit",
            format!("`{unit}` is not a P-code of the gazetteer"),
        );
    }
    if let Some(area) = (data as &dyn std::any::Any).downcast_ref::<AreaData>() {
        for (i, p) in crate::geography::unknown_units(&area.admin_units) {
            problems.add(
                format!("admin_units[{i}]"),
                format!("`{p}` is not a P-code of the gazetteer"),
            );
        }
    }
}

/// Checks and fills what the server derives (see [`enrich`]), for records that arrive
/// other than through the API, such as a dataset import.
pub(crate) fn derive<D: RecordData>(data: D) -> Result<D, hawkari_core::ValidationError> {
    let mut problems = Problems::default();
    check_derivable(&data, &mut problems);
    problems.into_result()?;
    Ok(enrich(data))
}

/// The units a point lies in (reverse geocoding).
fn admin_units(lon: f64, lat: f64) -> AdminUnits {
    let l = crate::geography::gazetteer().locate(lon, lat);
    AdminUnits {
        governorate: l.governorate.map(|u| u.pcode),
        district: l.district.map(|u| u.pcode),
        sub_district: l.sub_district.map(|u| u.pcode),
    }
}

/// Fills what the server derives from a record's content: an incident's admin units from
/// its point (reverse geocoding); an area's geometry from the admin units it is made of.
pub(crate) fn enrich<D: RecordData>(mut data: D) -> D {
    if let Some(area) = (&mut data as &mut dyn std::any::Any).downcast_mut::<AreaData>()
        && !area.admin_units.is_empty()
    {
        area.geometry = crate::geography::compose(&area.admin_units);
    }
    if let Some(op) = (&mut data as &mut dyn std::any::Any).downcast_mut::<OperationData>() {
        for site in &mut op.sites {
            site.admin_units = site.point.map(|p| admin_units(p.lon, p.lat));
        }
    }
    if let Some(incident) = (&mut data as &mut dyn std::any::Any).downcast_mut::<IncidentData>() {
        incident.admin_units = Some(admin_units(incident.point.lon, incident.point.lat));
    }
    data
}

/// The fields an update changes, before and after, for the audit log.
fn changes<D: serde::Serialize>(before: &D, after: &D) -> serde_json::Value {
    let (serde_json::Value::Object(b), serde_json::Value::Object(a)) =
        (serde_json::json!(before), serde_json::json!(after))
    else {
        return serde_json::json!({});
    };
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    for key in b.keys().chain(a.keys()) {
        if b.get(key) != a.get(key) && !was.contains_key(key) && !now.contains_key(key) {
            was.insert(
                key.clone(),
                b.get(key).cloned().unwrap_or(serde_json::Value::Null),
            );
            now.insert(
                key.clone(),
                a.get(key).cloned().unwrap_or(serde_json::Value::Null),
            );
        }
    }
    serde_json::json!({"before": was, "after": now})
}
