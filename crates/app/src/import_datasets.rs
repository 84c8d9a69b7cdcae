//! ACLED and UCDP GED rows as incidents, read by their published column names: the
//! source's event types mapped to Hawkari's (a type the codebook does not have is stored
//! as `other`, with a warning), its precision codes, casualties and sources.

use chrono::NaiveDate;
use hawkari_core::incident::{
    Casualties, Estimate, IncidentActor, IncidentData, IncidentType, LocationPrecision, Party,
};
use hawkari_core::time::EventTime;

use crate::csv_input::Row;
use crate::incident_import::{
    ImportRelease, ParsedRow, cell_name, cell_text, dataset_source, deaths, import_id, point,
    source_key,
};

/// ACLED dates are `2025-09-14` or `14 September 2025`; UCDP's CSV writes
/// `2017-01-01 00:00:00.000` (the day is what counts).
fn parse_day(column: &str, v: &str) -> Result<NaiveDate, (String, String)> {
    let ascii = hawkari_core::time::ascii_digits(v);
    let day = match ascii.split_once([' ', 'T']) {
        Some((d, time)) if time.starts_with(|c: char| c.is_ascii_digit()) => d,
        _ => &ascii,
    };
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&ascii, "%d %B %Y"))
        .map_err(|_| {
            (
                column.to_owned(),
                format!("`{v}` is not a date such as 2025-09-14"),
            )
        })
}

/// ACLED's event types (its codebook); another value is stored as `other`, with a warning.
const ACLED_EVENT_TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

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

/// An ACLED row as an incident.
pub(crate) fn acled(row: &Row<'_>, release: &ImportRelease) -> Result<ParsedRow, (String, String)> {
    let external = row.req("event_id_cnty")?;
    let day = parse_day("event_date", row.req("event_date")?)?;
    let event = row.req("event_type")?;
    let sub = row.opt("sub_event_type").unwrap_or_default();
    let incident_type = acled_type(event, sub);
    let mut warnings = Vec::new();
    if incident_type == IncidentType::Other && !ACLED_EVENT_TYPES.contains(&event) {
        warnings.push((
            "event_type".to_owned(),
            format!("`{event}` is not one of ACLED's event types; stored as `other`"),
        ));
    }
    // ACLED time precision: 1 the day, 2 within a week of it, 3 within its month.
    let when = match row.count("time_precision")?.unwrap_or(1) {
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
    let actors = ["actor1", "actor2"]
        .iter()
        .filter_map(|c| cell_name(row, c, &mut warnings))
        .map(|n| IncidentActor {
            organisation_id: None,
            name: Some(n),
            role: None,
        })
        .collect();
    let fatalities: u32 = row.count("fatalities")?.unwrap_or(0);
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.count("geo_precision")?.unwrap_or(1) {
            1 => LocationPrecision::Near,
            2 => LocationPrecision::SubDistrict,
            _ => LocationPrecision::District,
        },
        place_name: cell_name(row, "location", &mut warnings),
        incident_type,
        sub_type: cell_name(row, "sub_event_type", &mut warnings),
        actors,
        casualties: if fatalities > 0 {
            vec![deaths(Party::Unknown, fatalities)]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            "ACLED",
            format!("ACLED event {external}"),
            cell_name(row, "source", &mut warnings),
            "event_id_cnty",
        )?],
        narrative: cell_text(row, "notes", &mut warnings),
        engagement_ids: vec![],
        admin_units: None,
        external_id: Some(source_key("acled", external, "event_id_cnty")?),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok(ParsedRow {
        id: import_id("acled", external, release),
        data,
        warnings,
        names: admin_names(row, &["admin1", "admin2"]),
        place_names: admin_names(row, &["location"]),
    })
}

/// A UCDP GED row as an incident.
pub(crate) fn ucdp(row: &Row<'_>, release: &ImportRelease) -> Result<ParsedRow, (String, String)> {
    let external = row.req("id")?;
    // 1 state-based, 2 non-state (both fighting between armed groups), 3 one-sided.
    let mut warnings = Vec::new();
    let violence = row.req("type_of_violence")?;
    // `1.0` as pandas writes a code read from a column with gaps.
    let incident_type = match crate::spreadsheet::parse_count(violence) {
        Ok(1 | 2) => IncidentType::ArmedClash,
        Ok(3) => IncidentType::Other,
        _ => {
            warnings.push((
                "type_of_violence".to_owned(),
                format!(
                    "`{violence}` is not a UCDP type of violence (1, 2 or 3); stored as `other`"
                ),
            ));
            IncidentType::Other
        }
    };
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
        Ok(row.count(c)?.filter(|n| *n > 0).map(|n| deaths(p, n)))
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
        && let Some(best) = row.count("best")?.filter(|n| *n > 0)
    {
        let low = row.count("low")?.unwrap_or(best).min(best);
        let high = row.count("high")?.unwrap_or(best).max(best);
        casualties.push(Casualties {
            party: Party::Unknown,
            killed: Estimate { low, best, high },
            injured: Estimate::default(),
        });
    }
    let data = IncidentData {
        when,
        point: point(row, "latitude", "longitude")?,
        location_precision: match row.count("where_prec")?.unwrap_or(1) {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::SubDistrict,
            4 => LocationPrecision::District,
            _ => LocationPrecision::Governorate,
        },
        place_name: cell_name(row, "where_coordinates", &mut warnings),
        incident_type,
        sub_type: cell_name(row, "conflict_name", &mut warnings),
        actors: ["side_a", "side_b"]
            .iter()
            .filter_map(|c| cell_name(row, c, &mut warnings))
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
            cell_name(row, "source_article", &mut warnings),
            "id",
        )?],
        narrative: None,
        engagement_ids: vec![],
        admin_units: None,
        external_id: Some(source_key("ucdp", external, "id")?),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok(ParsedRow {
        id: import_id("ucdp", external, release),
        data,
        warnings,
        names: admin_names(row, &["adm_1", "adm_2"]),
        // `where_coordinates` is UCDP's description of the point ("Kirkuk town"), not a
        // place's name.
        place_names: vec![],
    })
}

/// The admin unit names of a row's `columns` that have a value (UCDP's `adm_1` holds
/// `Kirkuk province`: the word for the level is dropped).
fn admin_names(row: &Row<'_>, columns: &[&str]) -> Vec<(String, String)> {
    columns
        .iter()
        .filter_map(|c| row.opt(c).map(|v| ((*c).to_owned(), v.to_owned())))
        .collect()
}
