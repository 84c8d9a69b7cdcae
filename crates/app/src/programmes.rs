//! Programmes and joint operations: listing them for a reader, judging them (trends,
//! conditions, overdue milestones, transition items at risk, sites without a lead), and
//! importing an operation's sites from CSV.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use hawkari_core::operation::{Liaison, Operation, Site, SiteStatus};
use hawkari_core::programme::{ConditionState, Programme, Trend};
use hawkari_core::values::{Name, Names, Point};
use hawkari_store::{OperationFilter, Page, PageRequest, ProgrammeFilter};
use serde::Serialize;

use crate::csv_input::{CsvInput, Row};
use crate::incident_import::Rejection;
use crate::{App, AppError, Principal};

/// What is judged of a programme on a day, for readers (API and pages).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeJudgement {
    /// Each indicator's trend against its target, by indicator key.
    pub trends: BTreeMap<String, Trend>,
    /// Each condition's state, by condition key.
    pub conditions: BTreeMap<String, ConditionState>,
    /// Keys of milestones past due and not done.
    pub overdue_milestones: Vec<String>,
    /// Keys of capabilities at risk (marked so, or not handed over by their date).
    pub capabilities_at_risk: Vec<String>,
}

pub fn judge_programme(p: &Programme, today: NaiveDate) -> ProgrammeJudgement {
    let d = &p.data;
    ProgrammeJudgement {
        trends: d
            .indicators
            .iter()
            .map(|i| (i.key.to_string(), i.trend()))
            .collect(),
        conditions: d
            .conditions
            .iter()
            .map(|c| (c.key.to_string(), d.condition_state(c, today)))
            .collect(),
        overdue_milestones: d
            .milestones
            .iter()
            .filter(|m| m.overdue(today))
            .map(|m| m.key.to_string())
            .collect(),
        capabilities_at_risk: d
            .capabilities
            .iter()
            .filter(|c| c.at_risk(today))
            .map(|c| c.key.to_string())
            .collect(),
    }
}

/// What is judged of an operation: the sites no force leads, and sites by status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OperationJudgement {
    /// Keys of sites with no lead force, in the operation's order.
    pub sites_without_lead: Vec<String>,
    /// How many sites are in each status (`unreported` before a first report).
    pub sites_by_status: BTreeMap<String, usize>,
}

pub fn judge_operation(o: &Operation) -> OperationJudgement {
    let mut by_status = BTreeMap::new();
    for s in &o.data.sites {
        *by_status
            .entry(
                s.status()
                    .map_or("unreported", SiteStatus::as_str)
                    .to_owned(),
            )
            .or_insert(0) += 1;
    }
    OperationJudgement {
        sites_without_lead: o.data.without_lead().map(|s| s.key.to_string()).collect(),
        sites_by_status: by_status,
    }
}

/// What a site import did. Each row read is counted once, in `added`, `updated`,
/// `unchanged` or `rejected_rows`: `read` is their sum.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SiteImportReport {
    /// Data rows read (a row whose quoted cell holds a line break is one row).
    pub read: u64,
    /// Sites new to the operation.
    pub added: u64,
    /// Sites of the operation whose content changed.
    pub updated: u64,
    /// Sites of the operation the row leaves as they were.
    pub unchanged: u64,
    /// Rows not imported; each has one or more entries in `rejected`.
    pub rejected_rows: u64,
    /// Why, by line (the physical line where the row begins; the header is line 1) and
    /// column, in the file's order.
    pub rejected: Vec<Rejection>,
}

impl SiteImportReport {
    /// Whether every row read is in exactly one count.
    pub fn accounts_for_every_row(&self) -> bool {
        self.read == self.added + self.updated + self.unchanged + self.rejected_rows
    }

    fn reject(&mut self, line: u64, problems: Vec<(String, String)>) {
        self.rejected_rows += 1;
        self.rejected
            .extend(problems.into_iter().map(|(column, reason)| Rejection {
                line,
                column,
                reason,
            }));
    }
}

/// The columns of a sites CSV.
pub const SITE_COLUMNS: &str = "key,name_en,name_ar,name_ckb,kind,latitude,longitude,lead_org_id,supporting_org_ids,liaison_org_id,liaison_role";

impl App {
    pub async fn list_programmes(
        &self,
        principal: &Principal,
        f: &ProgrammeFilter,
        page: &PageRequest,
    ) -> Result<Page<Programme>, AppError> {
        Ok(self
            .store
            .list_programmes(&principal.reach, f, page)
            .await?)
    }

    pub async fn list_operations(
        &self,
        principal: &Principal,
        f: &OperationFilter,
        page: &PageRequest,
    ) -> Result<Page<Operation>, AppError> {
        Ok(self
            .store
            .list_operations(&principal.reach, f, page)
            .await?)
    }

    /// Adds or updates an operation's sites from a CSV ([`SITE_COLUMNS`]; `supporting_org_ids`
    /// separated by `;`). Rows are checked one by one — a bad kind, a point outside Iraq,
    /// an organisation not in the registry, a quote left open — and reported by line and
    /// column; the good rows are written in one update of the operation (sites keep their
    /// status reports), so a failure leaves the operation as it was. Every row read is
    /// counted once: added, updated, unchanged or rejected.
    pub async fn import_sites(
        &self,
        principal: &Principal,
        operation_id: &str,
        reader: impl Read,
    ) -> Result<SiteImportReport, AppError> {
        let current: Operation = self.get(principal, operation_id).await?;
        let mut input = CsvInput::open(reader)?;
        for required in ["key", "name_en", "kind", "latitude", "longitude"] {
            if !input.has_column(required) {
                return Err(AppError::Invalid(hawkari_core::ValidationError::single(
                    "line 1",
                    format!("no `{required}` column; the columns are {SITE_COLUMNS}"),
                )));
            }
        }
        let mut report = SiteImportReport::default();
        let mut data = current.data.clone();
        // Keys read so far, with their line (an operation has hundreds of sites, not millions).
        let mut seen = std::collections::HashMap::new();
        while let Some((line, row)) = input.next_row() {
            report.read += 1;
            let parsed = match row {
                Ok(row) => self.site_row(principal, &row).await,
                Err(problem) => Err(vec![problem]),
            };
            let site = match parsed {
                Ok(site) => site,
                Err(problems) => {
                    report.reject(line, problems);
                    continue;
                }
            };
            if let Some(first) = seen.get(&site.key.to_string()) {
                report.reject(
                    line,
                    vec![(
                        "key".into(),
                        format!(
                            "`{}` is also the key of line {first}; only the first is imported",
                            site.key
                        ),
                    )],
                );
                continue;
            }
            seen.insert(site.key.to_string(), line);
            match data.sites.iter_mut().find(|s| s.key == site.key) {
                Some(existing) => {
                    // What the CSV does not carry is kept: reports, incidents, the place
                    // (and the admin units, derived again on write if the point moved).
                    let merged = Site {
                        reports: std::mem::take(&mut existing.reports),
                        incident_ids: std::mem::take(&mut existing.incident_ids),
                        place_id: existing.place_id.take(),
                        admin_units: existing.admin_units.clone(),
                        ..site
                    };
                    let before = std::mem::replace(existing, merged);
                    if before == *existing {
                        report.unchanged += 1;
                    } else {
                        report.updated += 1;
                    }
                }
                None => {
                    data.sites.push(site);
                    report.added += 1;
                }
            }
        }
        debug_assert!(report.accounts_for_every_row(), "{report:?}");
        if report.added + report.updated > 0 {
            self.update::<Operation>(principal, operation_id, data, Some(current.meta.version))
                .await?;
        }
        Ok(report)
    }

    /// Adds a status report to one of an operation's sites, as the reporter's: the owner's
    /// editors, or — as a follow-up recorded as theirs — editors of a partner the
    /// operation is released to (a liaison officer of another force on election day). A
    /// report made meanwhile by someone else is read again, not a conflict.
    pub async fn report_site(
        &self,
        principal: &Principal,
        operation_id: &str,
        site_key: &str,
        status: SiteStatus,
        note: Option<hawkari_core::values::Text>,
    ) -> Result<Operation, AppError> {
        let operation = self
            .follow_up::<Operation>(
                principal,
                operation_id,
                "site_report",
                None,
                |current, now| {
                    let Some(site) = current
                        .data
                        .sites
                        .iter_mut()
                        .find(|s| s.key.as_str() == site_key)
                    else {
                        return Err(AppError::NoSuch(format!(
                            "no site `{site_key}` in operation {operation_id}"
                        )));
                    };
                    let report = hawkari_core::operation::SiteReport {
                        status,
                        at: now,
                        by: principal.actor.clone(),
                        note: note.clone(),
                    };
                    let detail = serde_json::json!({"site": site_key, "report": report});
                    site.reports.push(report);
                    Ok(detail)
                },
            )
            .await?;
        self.notify_followers(
            principal,
            hawkari_store::NoticeEvent::Status,
            hawkari_core::record::Kind::Operation,
            operation_id,
            format!(
                "status:operation:{operation_id}:{}",
                operation.meta.version
            ),
            serde_json::json!({"status": status_code(&status), "who": principal.actor, "part": site_key}),
        )
        .await;
        Ok(operation)
    }

    /// One CSV row as a site, or each column at fault and why.
    async fn site_row(
        &self,
        principal: &Principal,
        row: &Row<'_>,
    ) -> Result<Site, Vec<(String, String)>> {
        let site = site_from_row(row).map_err(|p| vec![p])?;
        // The site's own rules, as for a site written through the API, named by column.
        let mut problems = hawkari_core::error::Problems::default();
        site.check("", &mut problems);
        let mut problems: Vec<(String, String)> = match problems.into_result() {
            Ok(()) => vec![],
            Err(v) => v
                .errors
                .into_iter()
                .map(|e| {
                    let column = match e.field.split(['[', '.']).next().unwrap_or_default() {
                        "names" => "name_en",
                        "point" if e.field.ends_with("lon") => "longitude",
                        "point" => "latitude",
                        other => other,
                    };
                    (column.to_owned(), e.message)
                })
                .collect(),
        };
        if let Some(why) = site.point.as_ref().and_then(crate::geography::outside_iraq) {
            problems.push(("latitude, longitude".into(), why));
        }
        // Only organisations the importer may see: others are "not there" for them.
        let named = site
            .lead_org_id
            .iter()
            .map(|o| ("lead_org_id", o))
            .chain(
                site.supporting_org_ids
                    .iter()
                    .map(|o| ("supporting_org_ids", o)),
            )
            .chain(
                site.liaison
                    .iter()
                    .map(|l| ("liaison_org_id", &l.organisation_id)),
            );
        for (column, id) in named {
            match self
                .get::<hawkari_core::organisation::Organisation>(principal, id.as_str())
                .await
            {
                Ok(_) => {}
                Err(AppError::NotFound { .. }) => problems.push((
                    column.to_owned(),
                    format!("no organisation `{id}` in the registry"),
                )),
                Err(e) => problems.push((column.to_owned(), e.to_string())),
            }
        }
        if problems.is_empty() {
            Ok(site)
        } else {
            Err(problems)
        }
    }
}

/// The site a CSV row describes, before any check; or the first column that is not
/// even the right shape (a number, a name, a kind, an id) and why.
fn site_from_row(row: &Row<'_>) -> Result<Site, (String, String)> {
    use hawkari_core::ids::OrganisationId;
    let get = |c: &str| row.opt(c);
    let req = |c: &str| row.req(c);
    let name = |c: &str| -> Result<Option<Name>, (String, String)> {
        get(c)
            .map(|v| Name::try_from(v.to_owned()).map_err(|m| (c.to_owned(), m)))
            .transpose()
    };
    let org = |c: &str, v: &str| -> Result<OrganisationId, (String, String)> {
        v.parse().map_err(|m: String| (c.to_owned(), m))
    };
    let num = |c: &str| -> Result<f64, (String, String)> {
        row.decimal(c)?
            .ok_or_else(|| (c.to_owned(), "is empty or missing".to_owned()))
    };
    let liaison = match (get("liaison_org_id"), name("liaison_role")?) {
        (Some(o), Some(role)) => Some(Liaison {
            organisation_id: org("liaison_org_id", o)?,
            role,
        }),
        (Some(_), None) => {
            return Err((
                "liaison_role".into(),
                "give the liaison's role (e.g. duty officer); never a personal phone number".into(),
            ));
        }
        (None, Some(_)) => {
            return Err((
                "liaison_org_id".into(),
                "give the liaison's organisation".into(),
            ));
        }
        (None, None) => None,
    };
    Ok(Site {
        key: Name::try_from(req("key")?.to_owned()).map_err(|m| ("key".to_owned(), m))?,
        names: Names {
            en: name("name_en")?,
            ar: name("name_ar")?,
            ckb: name("name_ckb")?,
            aliases: vec![],
        },
        kind: req("kind")?.parse().map_err(|m| ("kind".to_owned(), m))?,
        point: Some(Point {
            lat: num("latitude")?,
            lon: num("longitude")?,
        }),
        place_id: None,
        admin_units: None,
        lead_org_id: get("lead_org_id")
            .map(|v| org("lead_org_id", v))
            .transpose()?,
        supporting_org_ids: get("supporting_org_ids")
            .into_iter()
            .flat_map(|list| list.split(';'))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| org("supporting_org_ids", v))
            .collect::<Result<_, _>>()?,
        liaison,
        reports: vec![],
        incident_ids: vec![],
    })
}

impl App {
    /// Changes a programme as its owner's editors may, at whatever version is current: a
    /// change made meanwhile by someone else is read again (up to three times), not a
    /// conflict — an observation or a milestone's new status adds to the record, it does
    /// not replace what another user saved. The record's rules are checked as for any
    /// update, and the change is audited as one.
    async fn change_programme(
        &self,
        principal: &Principal,
        id: &str,
        mut change: impl FnMut(
            &mut hawkari_core::programme::ProgrammeData,
            chrono::DateTime<chrono::Utc>,
        ) -> Result<(), AppError>,
    ) -> Result<Programme, AppError> {
        let mut attempts = 0;
        loop {
            let current: Programme = self.get(principal, id).await?;
            self.require(principal, crate::Action::Update, &current.data)?;
            let mut data = current.data.clone();
            change(&mut data, self.now())?;
            match self
                .update::<Programme>(principal, id, data, Some(current.meta.version))
                .await
            {
                Err(AppError::VersionConflict { .. }) if attempts < 3 => attempts += 1,
                other => return other,
            }
        }
    }

    /// Adds a measured value to one of a programme's indicators (the owner's editors).
    pub async fn add_observation(
        &self,
        principal: &Principal,
        programme_id: &str,
        indicator_key: &str,
        observation: hawkari_core::programme::Observation,
    ) -> Result<Programme, AppError> {
        self.change_programme(principal, programme_id, |data, _| {
            let indicator = data
                .indicators
                .iter_mut()
                .find(|i| i.key.as_str() == indicator_key)
                .ok_or_else(|| {
                    AppError::NoSuch(format!(
                        "no indicator `{indicator_key}` in programme {programme_id}"
                    ))
                })?;
            indicator.observations.push(observation.clone());
            Ok(())
        })
        .await
    }

    /// Sets the value an indicator is planned to reach and by when (its target).
    pub async fn set_indicator_target(
        &self,
        principal: &Principal,
        programme_id: &str,
        indicator_key: &str,
        target: hawkari_core::programme::Target,
    ) -> Result<Programme, AppError> {
        self.change_programme(principal, programme_id, |data, _| {
            let indicator = data
                .indicators
                .iter_mut()
                .find(|i| i.key.as_str() == indicator_key)
                .ok_or_else(|| {
                    AppError::NoSuch(format!(
                        "no indicator `{indicator_key}` in programme {programme_id}"
                    ))
                })?;
            indicator.target = target.clone();
            Ok(())
        })
        .await
    }

    /// Records a milestone's new status, by whom, when and why (the owner's editors).
    pub async fn change_milestone_status(
        &self,
        principal: &Principal,
        programme_id: &str,
        milestone_key: &str,
        status: hawkari_core::programme::MilestoneStatus,
        reason: Option<hawkari_core::values::Text>,
    ) -> Result<Programme, AppError> {
        let programme = self
            .change_programme(principal, programme_id, |data, now| {
                let milestone = data
                    .milestones
                    .iter_mut()
                    .find(|m| m.key.as_str() == milestone_key)
                    .ok_or_else(|| {
                        AppError::NoSuch(format!(
                            "no milestone `{milestone_key}` in programme {programme_id}"
                        ))
                    })?;
                milestone
                    .history
                    .push(hawkari_core::programme::MilestoneChange {
                        status,
                        at: now,
                        by: principal.actor.clone(),
                        reason: reason.clone(),
                    });
                Ok(())
            })
            .await?;
        self.notify_followers(
            principal,
            hawkari_store::NoticeEvent::Status,
            hawkari_core::record::Kind::Programme,
            programme_id,
            format!(
                "status:programme:{programme_id}:{}",
                programme.meta.version
            ),
            serde_json::json!({"status": status_code(&status), "who": principal.actor, "part": milestone_key}),
        )
        .await;
        Ok(programme)
    }
}

/// A status as its wire code (`done`, `secured`, …).
fn status_code(status: &impl serde::Serialize) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
