//! Programmes and joint operations: listing them for a reader, judging them (trends,
//! conditions, overdue milestones, transition items at risk, sites without a lead), and
//! importing an operation's sites from CSV.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use hawkari_core::operation::{Liaison, Operation, Site, SiteKind, SiteStatus};
use hawkari_core::programme::{ConditionState, Programme, Trend};
use hawkari_core::values::{Name, Names, Point};
use hawkari_store::{OperationFilter, Page, PageRequest, ProgrammeFilter};
use serde::Serialize;

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

/// What a site import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteImportReport {
    pub read: u64,
    pub added: u64,
    pub updated: u64,
    pub rejected: Vec<Rejection>,
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
    /// an organisation not in the registry — and reported by line and column; the good
    /// rows are written in one update of the operation (sites keep their status reports),
    /// so a failure leaves the operation as it was.
    pub async fn import_sites(
        &self,
        principal: &Principal,
        operation_id: &str,
        reader: impl Read,
    ) -> Result<SiteImportReport, AppError> {
        let current: Operation = self.get(principal, operation_id).await?;
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers: Vec<String> = csv
            .headers()
            .map_err(|e| {
                AppError::Invalid(hawkari_core::ValidationError::single(
                    "line 1",
                    format!("no header row: {e}"),
                ))
            })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        for required in ["key", "name_en", "kind", "latitude", "longitude"] {
            if !headers.iter().any(|h| h == required) {
                return Err(AppError::Invalid(hawkari_core::ValidationError::single(
                    "line 1",
                    format!("no `{required}` column; the columns are {SITE_COLUMNS}"),
                )));
            }
        }
        let mut report = SiteImportReport::default();
        let mut data = current.data.clone();
        let mut seen = std::collections::HashSet::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = csv.position().line() + 1;
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    report.read += 1;
                    report.rejected.push(Rejection {
                        line: e.position().map_or(line, |p| p.line()),
                        column: String::new(),
                        reason: format!("not valid CSV: {e}"),
                    });
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            report.read += 1;
            let row: std::collections::HashMap<String, String> = headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.clone(), v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let site = match self.site_row(principal, &row).await {
                Ok(site) => site,
                Err((column, reason)) => {
                    report.rejected.push(Rejection {
                        line,
                        column,
                        reason,
                    });
                    continue;
                }
            };
            if !seen.insert(site.key.to_string()) {
                report.rejected.push(Rejection {
                    line,
                    column: "key".into(),
                    reason: format!("`{}` was read earlier in this file", site.key),
                });
                continue;
            }
            match data.sites.iter_mut().find(|s| s.key == site.key) {
                Some(existing) => {
                    // What the CSV does not carry is kept: reports, incidents, the place.
                    let reports = std::mem::take(&mut existing.reports);
                    let incidents = std::mem::take(&mut existing.incident_ids);
                    let place_id = existing.place_id.take();
                    *existing = Site {
                        reports,
                        incident_ids: incidents,
                        place_id,
                        ..site
                    };
                    report.updated += 1;
                }
                None => {
                    data.sites.push(site);
                    report.added += 1;
                }
            }
        }
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
        self.follow_up::<Operation>(
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
        .await
    }

    /// One CSV row as a site, or the column at fault and why.
    async fn site_row(
        &self,
        principal: &Principal,
        row: &std::collections::HashMap<String, String>,
    ) -> Result<Site, (String, String)> {
        let get = |c: &str| row.get(c).map(String::as_str);
        let req = |c: &str| {
            row.get(c)
                .map(String::as_str)
                .ok_or_else(|| (c.to_owned(), "is empty or missing".to_owned()))
        };
        let name = |c: &str| -> Result<Option<Name>, (String, String)> {
            get(c)
                .map(|v| Name::try_from(v.to_owned()).map_err(|m| (c.to_owned(), m)))
                .transpose()
        };
        let key = Name::try_from(req("key")?.to_owned()).map_err(|m| ("key".to_owned(), m))?;
        let kind: SiteKind = req("kind")?.parse().map_err(|m| ("kind".to_owned(), m))?;
        let num = |c: &str| -> Result<f64, (String, String)> {
            let v = req(c)?;
            v.parse::<f64>()
                .map_err(|_| (c.to_owned(), format!("`{v}` is not a number")))
        };
        let point = Point {
            lat: num("latitude")?,
            lon: num("longitude")?,
        };
        if !(-90.0..=90.0).contains(&point.lat) {
            return Err(("latitude".into(), "must be between -90 and 90".into()));
        }
        if !(-180.0..=180.0).contains(&point.lon) {
            return Err(("longitude".into(), "must be between -180 and 180".into()));
        }
        if crate::geography::gazetteer()
            .locate(point.lon, point.lat)
            .governorate
            .is_none()
        {
            return Err((
                "latitude".into(),
                format!(
                    "({}, {}) is outside Iraq: no governorate contains it",
                    point.lat, point.lon
                ),
            ));
        }
        let org = async |c: &str,
                         v: &str|
               -> Result<hawkari_core::ids::OrganisationId, (String, String)> {
            let id: hawkari_core::ids::OrganisationId =
                v.parse().map_err(|m: String| (c.to_owned(), m))?;
            // Only organisations the importer may see: others are "not there" for them.
            match self
                .get::<hawkari_core::organisation::Organisation>(principal, id.as_str())
                .await
            {
                Ok(_) => Ok(id),
                Err(AppError::NotFound { .. }) => Err((
                    c.to_owned(),
                    format!("no organisation `{v}` in the registry"),
                )),
                Err(e) => Err((c.to_owned(), e.to_string())),
            }
        };
        let lead_org_id = match get("lead_org_id") {
            Some(v) => Some(org("lead_org_id", v).await?),
            None => None,
        };
        let mut supporting_org_ids = Vec::new();
        if let Some(list) = get("supporting_org_ids") {
            for v in list.split(';').map(str::trim).filter(|v| !v.is_empty()) {
                supporting_org_ids.push(org("supporting_org_ids", v).await?);
            }
        }
        let liaison = match (get("liaison_org_id"), name("liaison_role")?) {
            (Some(o), Some(role)) => Some(Liaison {
                organisation_id: org("liaison_org_id", o).await?,
                role,
            }),
            (Some(_), None) => {
                return Err((
                    "liaison_role".into(),
                    "give the liaison's role (e.g. duty officer); never a personal phone number"
                        .into(),
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
        let site = Site {
            key,
            names: Names {
                en: name("name_en")?,
                ar: name("name_ar")?,
                ckb: name("name_ckb")?,
                aliases: vec![],
            },
            kind,
            point: Some(point),
            place_id: None,
            admin_units: None,
            lead_org_id,
            supporting_org_ids,
            liaison,
            reports: vec![],
            incident_ids: vec![],
        };
        let mut problems = hawkari_core::error::Problems::default();
        site.names.check("name_en", &mut problems);
        if let Err(v) = problems.into_result() {
            return Err(("name_en".into(), v.errors[0].message.clone()));
        }
        if let Some((_, dup)) = site
            .supporting_org_ids
            .iter()
            .enumerate()
            .find(|(i, o)| site.supporting_org_ids[..*i].contains(o))
        {
            return Err((
                "supporting_org_ids".into(),
                format!("`{dup}` is listed twice"),
            ));
        }
        if let Some(lead) = &site.lead_org_id
            && site.supporting_org_ids.contains(lead)
        {
            return Err((
                "supporting_org_ids".into(),
                format!("`{lead}` leads the site; it cannot also support it"),
            ));
        }
        Ok(site)
    }
}
