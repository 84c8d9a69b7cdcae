//! Incident imports from CSV: ACLED and UCDP GED by their published column names, and any
//! other CSV through a column mapping. Rows stream (bounded memory), a bad row never stops
//! the import — it is reported with its line, column and reason — and re-importing the
//! same file changes nothing new: each incident's id is derived from the source's own
//! event id (`acled-IRQ1234`), so a second import updates in place.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use hawkari_core::access::ReleaseGroup;
use hawkari_core::ids::OrganisationId;
use hawkari_core::incident::{
    Casualties, Estimate, GradedSource, Incident, IncidentActor, IncidentData, IncidentType,
    LocationPrecision, Party, Reliability,
};
use hawkari_core::meta::Meta;
use hawkari_core::record::{Kind, RecordData};
use hawkari_core::time::EventTime;
use hawkari_core::values::{Name, Point, Source, Text};
use hawkari_store::{AnyRecord, Write};
use serde::{Deserialize, Serialize};

use crate::{App, AppError, Principal};

/// The layout of an incident CSV.
#[derive(Debug, Clone)]
pub enum CsvFormat {
    /// ACLED's export columns (`event_id_cnty`, `event_date`, `latitude`, …).
    Acled,
    /// UCDP GED columns (`id`, `date_start`, `date_end`, `latitude`, `best`, …).
    Ucdp,
    /// Any CSV, described by a mapping.
    Mapped(Box<ColumnMapping>),
}

/// Which column holds what, for [`CsvFormat::Mapped`] (a JSON file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// Prefix of the incidents' ids, e.g. `jcc` → `jcc-<external id>`.
    pub id_prefix: String,
    pub external_id: String,
    /// A date column (YYYY-MM-DD, YYYY-MM or YYYY).
    pub date: String,
    pub latitude: String,
    pub longitude: String,
    /// A column whose values are mapped to incident types by `types`.
    pub event_type: String,
    /// Source value → incident type code (e.g. `"Roadside bomb": "ied"`); others → `other`.
    #[serde(default)]
    pub types: HashMap<String, String>,
    #[serde(default)]
    pub fatalities: Option<String>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// One row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub read: u64,
    /// New incidents.
    pub stored: u64,
    /// Incidents already imported whose content changed.
    pub updated: u64,
    /// Incidents already imported, unchanged (a re-import).
    pub unchanged: u64,
    pub rejected: Vec<Rejection>,
}

/// Who owns the imported incidents and who may see them.
#[derive(Debug, Clone)]
pub struct ImportRelease {
    pub owner: OrganisationId,
    pub releasable_to: Vec<OrganisationId>,
    pub groups: Vec<ReleaseGroup>,
}

/// Reads a row's columns by name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    headers: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn opt(&self, column: &str) -> Option<&str> {
        self.headers
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn req(&self, column: &str) -> Result<&str, (String, String)> {
        self.opt(column)
            .ok_or_else(|| (column.to_owned(), "is empty or missing".to_owned()))
    }

    fn num<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>, (String, String)> {
        self.opt(column)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| (column.to_owned(), format!("`{v}` is not a number")))
            })
            .transpose()
    }
}

fn name(s: &str) -> Option<Name> {
    let s: String = s.chars().take(Name::MAX_CHARS).collect();
    Name::try_from(s).ok()
}

/// ACLED dates are `2025-09-14` or `14 September 2025`.
fn parse_day(column: &str, v: &str) -> Result<NaiveDate, (String, String)> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d %B %Y"))
        .map_err(|_| {
            (
                column.to_owned(),
                format!("`{v}` is not a date such as 2025-09-14"),
            )
        })
}

fn point(row: &Row<'_>, lat: &str, lon: &str) -> Result<Point, (String, String)> {
    let lat_v: f64 = row
        .num(lat)?
        .ok_or_else(|| (lat.to_owned(), "is empty or missing".to_owned()))?;
    let lon_v: f64 = row
        .num(lon)?
        .ok_or_else(|| (lon.to_owned(), "is empty or missing".to_owned()))?;
    if !(-90.0..=90.0).contains(&lat_v) {
        return Err((lat.to_owned(), "must be between -90 and 90".into()));
    }
    if !(-180.0..=180.0).contains(&lon_v) {
        return Err((lon.to_owned(), "must be between -180 and 180".into()));
    }
    Ok(Point {
        lat: lat_v,
        lon: lon_v,
    })
}

/// Casualties of unknown party, all three estimates the same.
fn deaths(party: Party, n: u32) -> Casualties {
    Casualties {
        party,
        killed: Estimate {
            low: n,
            best: n,
            high: n,
        },
        injured: Estimate::default(),
    }
}

/// A source citation: the dataset and its own text; grading cannot be judged from it.
fn dataset_source(publisher: &str, title: String, text: Option<&str>) -> GradedSource {
    GradedSource {
        source: Source {
            publisher: name(publisher).expect("a fixed publisher"),
            title: Text::try_from(title).expect("a non-empty title"),
            date: None,
            url: None,
            reference: text.and_then(name),
        },
        reliability: Reliability::F,
        credibility: 6,
    }
}

fn acled_type(event: &str, sub: &str) -> IncidentType {
    match (event, sub) {
        ("Battles", _) => IncidentType::ArmedClash,
        (_, "Remote explosive/landmine/IED") => IncidentType::Ied,
        (_, "Suicide bomb") => IncidentType::SuicideBombing,
        (_, "Shelling/artillery/missile attack") => IncidentType::IndirectFire,
        (_, "Abduction/forced disappearance") => IncidentType::Abduction,
        (_, "Arrests") => IncidentType::SecurityOperation,
        (_, "Looting/property destruction") => IncidentType::AttackOnInfrastructure,
        ("Strategic developments", _) => IncidentType::StrategicDevelopment,
        _ => IncidentType::Other,
    }
}

/// An ACLED row as an incident (id, content).
fn acled(
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req("event_id_cnty")?;
    let day = parse_day("event_date", row.req("event_date")?)?;
    // ACLED time precision: 1 the day, 2 within a week of it, 3 within its month.
    let when = match row.num::<u8>("time_precision")?.unwrap_or(1) {
        1 => EventTime::parse(&day.to_string(), None),
        2 => EventTime::parse(
            &format!(
                "{}/{}",
                day - chrono::Duration::days(3),
                day + chrono::Duration::days(3)
            ),
            Some("within a week".into()),
        ),
        _ => EventTime::parse(&day.format("%Y-%m").to_string(), None),
    }
    .map_err(|m| ("event_date".to_owned(), m))?;
    let event = row.opt("event_type").unwrap_or_default();
    let sub = row.opt("sub_event_type").unwrap_or_default();
    let actors = ["actor1", "actor2"]
        .iter()
        .filter_map(|c| row.opt(c).and_then(name))
        .map(|n| IncidentActor {
            organisation_id: None,
            name: Some(n),
            role: None,
        })
        .collect();
    let fatalities: u32 = row.num("fatalities")?.unwrap_or(0);
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.num::<u8>("geo_precision")?.unwrap_or(1) {
            1 => LocationPrecision::Near,
            2 => LocationPrecision::SubDistrict,
            _ => LocationPrecision::District,
        },
        place_name: row.opt("location").and_then(name),
        incident_type: acled_type(event, sub),
        sub_type: name(sub),
        actors,
        casualties: if fatalities > 0 {
            vec![deaths(Party::Unknown, fatalities)]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            "ACLED",
            format!("ACLED event {external}"),
            row.opt("source"),
        )],
        narrative: row
            .opt("notes")
            .and_then(|n| Text::try_from(n.to_owned()).ok()),
        engagement_ids: vec![],
        admin_units: None,
        external_id: name(&format!("acled:{external}")),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((format!("acled-{}-{}", slug(external), release.owner), data))
}

/// A UCDP GED row as an incident.
fn ucdp(
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req("id")?;
    let start = parse_day("date_start", row.req("date_start")?)?;
    let end = parse_day(
        "date_end",
        row.opt("date_end").unwrap_or(&start.to_string()),
    )?;
    if end < start {
        return Err(("date_end".into(), "is before date_start".into()));
    }
    let value = if start == end {
        start.to_string()
    } else {
        format!("{start}/{end}")
    };
    let when = EventTime::parse(&value, None).map_err(|m| ("date_start".to_owned(), m))?;
    let deaths_of = |c: &str, p: Party| -> Result<Option<Casualties>, (String, String)> {
        Ok(row.num::<u32>(c)?.filter(|n| *n > 0).map(|n| deaths(p, n)))
    };
    let mut casualties: Vec<Casualties> = [
        deaths_of("deaths_a", Party::SecurityForces)?,
        deaths_of("deaths_b", Party::Attackers)?,
        deaths_of("deaths_civilians", Party::Civilians)?,
        deaths_of("deaths_unknown", Party::Unknown)?,
    ]
    .into_iter()
    .flatten()
    .collect();
    if casualties.is_empty()
        && let Some(best) = row.num::<u32>("best")?.filter(|n| *n > 0)
    {
        let low = row.num::<u32>("low")?.unwrap_or(best).min(best);
        let high = row.num::<u32>("high")?.unwrap_or(best).max(best);
        casualties.push(Casualties {
            party: Party::Unknown,
            killed: Estimate { low, best, high },
            injured: Estimate::default(),
        });
    }
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.num::<u8>("where_prec")?.unwrap_or(1) {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::SubDistrict,
            4 => LocationPrecision::District,
            _ => LocationPrecision::Governorate,
        },
        place_name: row.opt("where_coordinates").and_then(name),
        incident_type: match row.opt("type_of_violence") {
            Some("1" | "2") => IncidentType::ArmedClash,
            _ => IncidentType::Other,
        },
        sub_type: row.opt("conflict_name").and_then(name),
        actors: ["side_a", "side_b"]
            .iter()
            .filter_map(|c| row.opt(c).and_then(name))
            .map(|n| IncidentActor {
                organisation_id: None,
                name: Some(n),
                role: None,
            })
            .collect(),
        casualties,
        sources: vec![dataset_source(
            "UCDP GED",
            format!("UCDP GED event {external}"),
            row.opt("source_article"),
        )],
        narrative: None,
        engagement_ids: vec![],
        admin_units: None,
        external_id: name(&format!("ucdp:{external}")),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((format!("ucdp-{}-{}", slug(external), release.owner), data))
}

/// A row of a mapped CSV as an incident.
fn mapped(
    m: &ColumnMapping,
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<(String, IncidentData), (String, String)> {
    let external = row.req(&m.external_id)?;
    let when = EventTime::parse(row.req(&m.date)?, None).map_err(|e| (m.date.clone(), e))?;
    let raw_type = row.opt(&m.event_type).unwrap_or_default();
    let incident_type = match m.types.get(raw_type) {
        Some(code) => code.parse().map_err(|e| (m.event_type.clone(), e))?,
        None => IncidentType::Other,
    };
    let fatalities: u32 = match &m.fatalities {
        Some(c) => row.num(c)?.unwrap_or(0),
        None => 0,
    };
    let data = IncidentData {
        when,
        point: point(row, &m.latitude, &m.longitude)?,
        location_precision: LocationPrecision::Exact,
        place_name: None,
        incident_type,
        sub_type: name(raw_type),
        actors: m
            .actor
            .iter()
            .filter_map(|c| row.opt(c).and_then(name))
            .map(|n| IncidentActor {
                organisation_id: None,
                name: Some(n),
                role: None,
            })
            .collect(),
        casualties: if fatalities > 0 {
            vec![deaths(Party::Unknown, fatalities)]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            &m.id_prefix,
            format!("{} record {external}", m.id_prefix),
            m.source.as_deref().and_then(|c| row.opt(c)),
        )],
        narrative: m
            .narrative
            .as_deref()
            .and_then(|c| row.opt(c))
            .and_then(|n| Text::try_from(n.to_owned()).ok()),
        engagement_ids: vec![],
        admin_units: None,
        external_id: name(&format!("{}:{external}", m.id_prefix)),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok((
        format!(
            "{}-{}-{}",
            slug(&m.id_prefix),
            slug(external),
            release.owner
        ),
        data,
    ))
}

/// An id-safe form of a source's event id.
fn slug(s: &str) -> String {
    let s: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.chars().take(50).collect()
}

/// Rows per transaction.
const BATCH: usize = 1000;

impl App {
    /// Imports incidents from a CSV. Good rows are stored (batches of 1 000, each its own
    /// transaction), bad ones reported; `progress` gets the rows read so far.
    pub async fn import_incidents(
        &self,
        principal: &Principal,
        reader: impl Read,
        format: &CsvFormat,
        release: &ImportRelease,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, AppError> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers: HashMap<String, usize> = csv
            .headers()
            .map_err(|e| {
                AppError::Invalid(hawkari_core::ValidationError::single(
                    "line 1",
                    format!("no header row: {e}"),
                ))
            })?
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_owned(), i))
            .collect();
        let mut report = ImportReport::default();
        let mut batch: Vec<(u64, String, IncidentData)> = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = csv.position().line() + 1;
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    report.read += 1;
                    report.rejected.push(Rejection {
                        line,
                        column: String::new(),
                        reason: format!("not valid CSV: {e}"),
                    });
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            report.read += 1;
            let row = Row {
                record: &record,
                headers: &headers,
            };
            let parsed = match format {
                CsvFormat::Acled => acled(&row, release),
                CsvFormat::Ucdp => ucdp(&row, release),
                CsvFormat::Mapped(m) => mapped(m, &row, release),
            };
            match parsed {
                Ok((id, data)) => {
                    let data = crate::records::enrich(data);
                    let mut problems = hawkari_core::error::Problems::default();
                    data.check(&id, &mut problems);
                    match problems.into_result() {
                        Ok(()) => batch.push((line, id, data)),
                        Err(v) => report
                            .rejected
                            .extend(v.errors.into_iter().map(|e| Rejection {
                                line,
                                column: e.field,
                                reason: e.message,
                            })),
                    }
                }
                Err((column, reason)) => report.rejected.push(Rejection {
                    line,
                    column,
                    reason,
                }),
            }
            if batch.len() >= BATCH {
                self.store_incidents(principal, std::mem::take(&mut batch), &mut report)
                    .await?;
                progress(report.read);
            }
        }
        self.store_incidents(principal, batch, &mut report).await?;
        progress(report.read);
        Ok(report)
    }

    /// Writes a batch: new ids are stored, known ones updated (one version up).
    async fn store_incidents(
        &self,
        principal: &Principal,
        batch: Vec<(u64, String, IncidentData)>,
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        if let Some((_, _, data)) = batch.first()
            && !self.authz.allows(
                principal,
                crate::Action::Create,
                crate::authz::Releasability::of(data),
            )
        {
            return Err(AppError::Forbidden(format!(
                "only editors of {} may import incidents it owns",
                data.owner_org_id
            )));
        }
        let ids: Vec<String> = batch.iter().map(|(_, id, _)| id.clone()).collect();
        // The stored versions of the batch's ids, in one query.
        let mut existing = self.store.get_many(Kind::Incident, &ids).await?;
        let now = self.now();
        let mut writes = Vec::with_capacity(batch.len() + 1);
        for (_, id, data) in batch {
            let record = match existing.remove(&id) {
                Some(AnyRecord::Incident(old)) => {
                    if old.data == data {
                        report.unchanged += 1;
                        continue;
                    }
                    report.updated += 1;
                    Incident {
                        id: old.id,
                        data,
                        meta: old.meta.next(&principal.actor, now),
                    }
                }
                _ => {
                    report.stored += 1;
                    let id = id.try_into().map_err(|m: String| {
                        AppError::Invalid(hawkari_core::ValidationError::single("id", m))
                    })?;
                    Incident {
                        id,
                        data,
                        meta: Meta::new(&principal.actor, now),
                    }
                }
            };
            writes.push(Write::Upsert(AnyRecord::Incident(record)));
        }
        let detail = serde_json::json!({"rows": writes.len()});
        writes.push(Write::Audit(principal.event(
            now,
            "import_incidents",
            Some(Kind::Incident),
            None,
            detail,
        )));
        self.store.write(writes, &principal.reach).await?;
        Ok(())
    }
}
