//! What several pages show alike: names looked up once per page (and only if released),
//! engagement and commitment rows, and small helpers.

use std::collections::HashMap;

use hawkari_app::{App, Principal};
use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::engagement::Engagement;
use hawkari_core::organisation::Organisation;
use hawkari_core::person::Person;
use hawkari_store::PageRequest;

use super::PageCtx;
use super::i18n::Tr;

/// Names of organisations and people, looked up once per page (and only if released).
pub(super) struct Lookup<'a> {
    app: &'a App,
    principal: &'a Principal,
    tr: Tr,
    orgs: HashMap<String, String>,
    people: HashMap<String, String>,
}

impl<'a> Lookup<'a> {
    pub(super) fn new(page: &'a PageCtx, app: &'a App) -> Self {
        Self {
            app,
            principal: &page.principal,
            tr: page.tr,
            orgs: HashMap::new(),
            people: HashMap::new(),
        }
    }

    pub(super) async fn org(&mut self, id: &str) -> String {
        if let Some(n) = self.orgs.get(id) {
            return n.clone();
        }
        let name = match self.app.get::<Organisation>(self.principal, id).await {
            Ok(o) => o
                .data
                .abbreviation
                .as_ref()
                .map_or_else(|| self.tr.name(&o.data.names).to_owned(), |a| a.to_string()),
            // Not released to the reader: the id is what the record itself shows.
            Err(_) => id.to_owned(),
        };
        self.orgs.insert(id.to_owned(), name.clone());
        name
    }

    pub(super) async fn person(&mut self, id: &str) -> String {
        if let Some(n) = self.people.get(id) {
            return n.clone();
        }
        let name = match self.app.get::<Person>(self.principal, id).await {
            Ok(p) => self.tr.name(&p.data.names).to_owned(),
            Err(_) => id.to_owned(),
        };
        self.people.insert(id.to_owned(), name.clone());
        name
    }
}

/// An engagement as lists show it.
pub struct EngagementRow {
    pub id: String,
    pub title: String,
    pub when: String,
    pub month: String,
    pub kind: String,
    pub who: String,
}

pub(super) async fn engagement_row(e: &Engagement, look: &mut Lookup<'_>) -> EngagementRow {
    let mut who = Vec::new();
    for p in &e.data.participants {
        match (&p.person_id, &p.organisation_id) {
            (Some(person), _) => who.push(look.person(person.as_str()).await),
            (None, Some(org)) => who.push(look.org(org.as_str()).await),
            _ => {}
        }
    }
    let start = e.data.when.start().date_naive();
    EngagementRow {
        id: e.id.to_string(),
        title: e.data.title.to_string(),
        when: look.tr.when(&e.data.when),
        month: look.tr.partial(
            &hawkari_core::time::PartialDate::parse(&start.format("%Y-%m").to_string())
                .expect("valid"),
        ),
        kind: look.tr.t(&format!("kind-{}", enum_code(&e.data.kind))),
        who: who.join(", "),
    }
}

/// A commitment as lists and boards show it.
pub struct CommitmentRow {
    pub id: String,
    pub text: String,
    pub status: &'static str,
    pub status_label: String,
    pub due: String,
    pub overdue: bool,
    pub owed_by: String,
    pub owed_to: String,
    pub engagement_id: String,
    pub history: Vec<String>,
    /// What the promise depends on, if anything.
    pub condition: String,
}

impl CommitmentRow {
    /// Whether the commitment is in the status with this code (for the status form).
    pub fn is(&self, code: &str) -> bool {
        self.status == code
    }
}

pub(super) async fn commitment_row(
    c: &Commitment,
    look: &mut Lookup<'_>,
    today: chrono::NaiveDate,
) -> CommitmentRow {
    let tr = look.tr;
    let mut history = Vec::new();
    for h in &c.status_history {
        let mut line = format!(
            "{} — {} — {}",
            tr.date(h.at.date_naive()),
            tr.t(&format!("status-{}", h.status.as_str())),
            h.by
        );
        if let Some(r) = &h.reason {
            line.push_str(&format!(": {r}"));
        }
        history.push(line);
    }
    CommitmentRow {
        id: c.id.to_string(),
        text: c.data.text.to_string(),
        status: c.status().as_str(),
        status_label: tr.t(&format!("status-{}", c.status().as_str())),
        due: c.data.due.map_or_else(
            || tr.t("commitment-no-due"),
            |d| tr.t1("commitment-due", "date", &tr.date(d)),
        ),
        overdue: c.is_overdue(today),
        owed_by: look.org(c.data.responsible_org_id.as_str()).await,
        owed_to: match &c.data.counterpart_org_id {
            Some(o) => look.org(o.as_str()).await,
            None => String::new(),
        },
        engagement_id: c.data.engagement_id.to_string(),
        history,
        condition: c
            .data
            .condition
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

/// The serde name of a unit enum variant, for message keys such as `kind-call`.
pub(super) fn enum_code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The status choices of a commitment's status form.
pub(super) fn status_options(tr: Tr) -> Vec<(&'static str, String)> {
    CommitmentStatus::ALL
        .iter()
        .map(|s| (s.as_str(), tr.t(&format!("status-{}", s.as_str()))))
        .collect()
}

pub(super) fn page_of(limit: u32) -> PageRequest {
    PageRequest::first(limit)
}

/// The organisation a person serves now: that of their last position without an end
/// (what "their current organisation" means wherever a person is chosen).
pub(super) fn current_organisation(
    p: &hawkari_core::person::PersonData,
) -> Option<&hawkari_core::ids::OrganisationId> {
    p.positions
        .iter()
        .rev()
        .find(|x| x.to.is_none())
        .map(|x| &x.organisation_id)
}
