//! A column mapping: how the rows of any CSV become incidents (`--format mapped`, and
//! the web's mapping step). A new user writes one from the file's header alone: the key
//! comes from an id column or, when the file has none, from a hash of the row's content;
//! numbers are read as spreadsheets write them; dates in the formats named; precision of
//! place and date fixed or read from a column; the type from a column's values or from
//! rules over several columns. Every column the mapping names must be in the header — one
//! error before any row, not one per row.

use std::collections::{BTreeMap, HashMap};

use hawkari_core::error::Problems;
use hawkari_core::incident::{
    Estimate, IncidentActor, IncidentData, IncidentType, LocationPrecision, Party,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::csv_input::{Row, RowError};
use crate::incident_import::{
    ImportRelease, ParsedRow, cell_name, cell_text, dataset_source, deaths, import_id, point,
    source_key,
};
use crate::spreadsheet::{DatePrecision, check_date_format, event_time, parse_date};

/// Which column holds what, for [`ImportFormat::Mapped`](crate::incident_import::ImportFormat)
/// (a JSON file, or the web's mapping step).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// Prefix of the incidents' ids, e.g. `jcc` → `jcc-<external id>`.
    pub id_prefix: String,
    /// The column of the source's own id of each row. Without one, a row's key is
    /// `row-` and a hash of its content (every column's name and value): importing the
    /// same file again finds the same incidents, and a row whose content changed is a
    /// new incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// A date column: ISO (`2015-03-14`, `2015-03`, `2015`, with or without a midnight
    /// time) or one of `date_formats`.
    pub date: String,
    /// More date formats, tried in order (chrono's: `%d/%m/%Y`, `%b %Y`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub date_formats: Vec<String>,
    /// How precisely the date is known: `"month"`, or read from a column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<FromColumn<DatePrecision>>,
    pub latitude: String,
    pub longitude: String,
    /// How precisely the point is known: `"district"`, or read from a column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_precision: Option<FromColumn<LocationPrecision>>,
    /// A column whose values are mapped to incident types by `types`.
    pub event_type: String,
    /// Source value → incident type code (e.g. `"Roadside bomb": "ied"`); a value that is
    /// itself a type code needs no entry.
    #[serde(default)]
    pub types: HashMap<String, String>,
    /// Rules tried before `types`, in order: the first whose every column has its value
    /// gives the type (e.g. attack type `Bombing/Explosion` and suicide `1` →
    /// `suicide_bombing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub type_rules: Vec<TypeRule>,
    /// What a value in no rule and not in `types` does: rejects its row (the default), or
    /// is stored as `other` (said once per value, with its count).
    #[serde(default)]
    pub unlisted_types: Unlisted,
    #[serde(default)]
    pub fatalities: Option<String>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// The place's name in words (a village, a checkpoint).
    #[serde(default)]
    pub place_name: Option<String>,
    /// The number wounded (of unknown party, as `fatalities`).
    #[serde(default)]
    pub wounded: Option<String>,
    /// The governorate's name as the source spells it: looked up in the gazetteer, and
    /// each spelling it does not know reported once with its count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governorate: Option<String>,
    /// The district's name as the source spells it (as `governorate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
}

/// A type from several columns' values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRule {
    /// Column → the value it must hold (`""`: the cell is empty).
    pub when: BTreeMap<String, String>,
    /// The incident type code.
    #[serde(rename = "type")]
    pub incident_type: String,
}

/// What a type value not in the mapping does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unlisted {
    /// The row is rejected.
    #[default]
    Reject,
    /// The row is stored with the type `other`.
    Other,
}

/// One value for every row (`"district"`), or a column's value, translated by `values`
/// where the source has its own codes (`{"column": "geo_precision", "values": {"1":
/// "exact", "2": "near"}}`); a cell holding a code itself needs no entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FromColumn<T> {
    Fixed(T),
    Column {
        column: String,
        #[serde(default, skip_serializing_if = "HashMap::is_empty")]
        values: HashMap<String, T>,
    },
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for FromColumn<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Column<T> {
            column: String,
            #[serde(default = "HashMap::new")]
            values: HashMap<String, T>,
        }
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            v @ serde_json::Value::String(_) => serde_json::from_value(v)
                .map(Self::Fixed)
                .map_err(D::Error::custom),
            v @ serde_json::Value::Object(_) => serde_json::from_value::<Column<T>>(v)
                .map(|c| Self::Column {
                    column: c.column,
                    values: c.values,
                })
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "give one value (e.g. \"district\") or {\"column\": …, \"values\": {…}}",
            )),
        }
    }
}

impl<T: Copy + DeserializeOwned> FromColumn<T> {
    /// The value for `row` (`None` for an empty cell); `field` names the mapping's entry.
    fn of(&self, row: &Row<'_>, field: &str) -> Result<Option<T>, RowError> {
        match self {
            Self::Fixed(t) => Ok(Some(*t)),
            Self::Column { column, values } => {
                let Some(v) = row.opt(column) else {
                    return Ok(None);
                };
                if let Some(t) = values.get(v) {
                    return Ok(Some(*t));
                }
                serde_json::from_value(serde_json::Value::String(v.to_owned()))
                    .map(Some)
                    .map_err(|_| {
                        let mut known: Vec<&str> = values.keys().map(String::as_str).collect();
                        known.sort_unstable();
                        (
                            column.clone(),
                            format!(
                                "`{v}` is not one of the mapping's {field} values ({})",
                                known.join(", ")
                            ),
                        )
                    })
            }
        }
    }

    fn column(&self) -> Option<&str> {
        match self {
            Self::Fixed(_) => None,
            Self::Column { column, .. } => Some(column),
        }
    }
}

impl ColumnMapping {
    /// The mapping's own rules, all problems at once, each naming its entry: `id_prefix`
    /// begins every incident's id and source id (`jcc-a-1-mopa`, `jcc:A-1`), so it is a
    /// short name without `:` or spaces around it; type codes are incident types; date
    /// formats read a year.
    pub fn check(&self) -> Result<(), hawkari_core::ValidationError> {
        let mut problems = Problems::default();
        let p = &self.id_prefix;
        if p.is_empty() || p.trim() != p || p.contains(':') || p.chars().count() > 50 {
            problems.add(
                "id_prefix",
                format!("`{p}` must be a short name (at most 50 characters) without `:`"),
            );
        }
        let mut types: Vec<(&String, &String)> = self.types.iter().collect();
        types.sort();
        for (value, code) in types {
            if let Err(e) = code.parse::<IncidentType>() {
                problems.add(format!("types.{value}"), e);
            }
        }
        for (i, rule) in self.type_rules.iter().enumerate() {
            if rule.when.is_empty() {
                problems.add(
                    format!("type_rules[{i}].when"),
                    "name at least one column and its value",
                );
            }
            if let Err(e) = rule.incident_type.parse::<IncidentType>() {
                problems.add(format!("type_rules[{i}].type"), e);
            }
        }
        for (i, f) in self.date_formats.iter().enumerate() {
            if let Err(e) = check_date_format(f) {
                problems.add(format!("date_formats[{i}]"), e);
            }
        }
        problems.into_result()
    }

    /// Every column the mapping names, with the entry that names it.
    pub fn columns(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("date".into(), &self.date),
            ("latitude".into(), &self.latitude),
            ("longitude".into(), &self.longitude),
            ("event_type".into(), &self.event_type),
        ];
        for (field, c) in [
            ("external_id", &self.external_id),
            ("fatalities", &self.fatalities),
            ("wounded", &self.wounded),
            ("narrative", &self.narrative),
            ("actor", &self.actor),
            ("source", &self.source),
            ("place_name", &self.place_name),
            ("governorate", &self.governorate),
            ("district", &self.district),
        ] {
            if let Some(c) = c {
                out.push((field.into(), c));
            }
        }
        if let Some(c) = self.date_precision.as_ref().and_then(FromColumn::column) {
            out.push(("date_precision.column".into(), c));
        }
        if let Some(c) = self
            .location_precision
            .as_ref()
            .and_then(FromColumn::column)
        {
            out.push(("location_precision.column".into(), c));
        }
        for (i, rule) in self.type_rules.iter().enumerate() {
            for c in rule.when.keys() {
                out.push((format!("type_rules[{i}].when"), c));
            }
        }
        out
    }

    /// The column of the key, as a rejection names it (`row` for a content hash).
    pub(crate) fn key_column(&self) -> String {
        self.external_id.clone().unwrap_or_else(|| "row".to_owned())
    }

    /// The incident type of a row: the first rule that holds, else the type column's value
    /// through `types` (or a type code itself); `Err` (column, why) when the value is
    /// empty, or unlisted and the mapping rejects unlisted values.
    fn incident_type(
        &self,
        row: &Row<'_>,
        warnings: &mut Vec<(String, String)>,
    ) -> Result<IncidentType, RowError> {
        let rule = self.type_rules.iter().find(|r| {
            r.when
                .iter()
                .all(|(c, v)| row.opt(c).unwrap_or("") == v.trim())
        });
        if let Some(r) = rule {
            return r
                .incident_type
                .parse()
                .map_err(|e| ("type_rules".to_owned(), e));
        }
        let raw = row.req(&self.event_type)?;
        if let Some(code) = self.types.get(raw) {
            return code.parse().map_err(|e| (self.event_type.clone(), e));
        }
        if let Ok(t) = raw.parse::<IncidentType>() {
            return Ok(t);
        }
        match self.unlisted_types {
            Unlisted::Other => {
                warnings.push((
                    self.event_type.clone(),
                    format!("`{raw}` is not in the mapping's types; stored as `other`"),
                ));
                Ok(IncidentType::Other)
            }
            Unlisted::Reject => Err((
                self.event_type.clone(),
                format!(
                    "`{raw}` is not in the mapping's types (add it there, or set \
                     \"unlisted_types\": \"other\" to store such rows as `other`)"
                ),
            )),
        }
    }
}

/// The key of a row with no id column: `row-` and the first 20 hex digits of a SHA-256
/// over every cell with its column's name (in the order of the names, then of the values,
/// so the same row has the same key however the file's columns are ordered; unnamed
/// columns count too).
fn content_key(row: &Row<'_>) -> String {
    let mut cells: Vec<(&str, &str)> = row.named_cells().collect();
    cells.sort_unstable();
    let mut h = Sha256::new();
    for (name, value) in cells {
        h.update(name.as_bytes());
        h.update([0x1f]);
        h.update(value.trim().as_bytes());
        h.update([0x1e]);
    }
    let hex: String = h
        .finalize()
        .iter()
        .take(10)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("row-{hex}")
}

/// A row of a mapped CSV as an incident.
pub(crate) fn mapped(
    m: &ColumnMapping,
    row: &Row<'_>,
    release: &ImportRelease,
) -> Result<ParsedRow, RowError> {
    let (external, key_column) = match &m.external_id {
        Some(c) => (row.req(c)?.to_owned(), c.as_str()),
        None => (content_key(row), "row"),
    };
    let raw_date = row.req(&m.date)?;
    let when = match parse_date(raw_date, &m.date_formats) {
        Ok((day, precision)) => {
            let given = match &m.date_precision {
                Some(p) => p.of(row, "date_precision")?,
                None => None,
            };
            // The coarser of what the cell says and what the precision says.
            event_time(day, given.map_or(precision, |g| g.max(precision)))
        }
        // An instant or an interval (ISO 8601), read as the API reads it.
        Err(why) => hawkari_core::time::EventTime::parse(raw_date, None).map_err(|_| why),
    }
    .map_err(|e| (m.date.clone(), e))?;
    let mut warnings = Vec::new();
    let incident_type = m.incident_type(row, &mut warnings)?;
    let count = |c: &Option<String>| -> Result<u32, RowError> {
        Ok(match c {
            Some(c) => row.count(c)?.unwrap_or(0),
            None => 0,
        })
    };
    let fatalities = count(&m.fatalities)?;
    let wounded = count(&m.wounded)?;
    let location_precision = match &m.location_precision {
        Some(p) => p.of(row, "location_precision")?.unwrap_or_default(),
        None => LocationPrecision::Exact,
    };
    let mut names = Vec::new();
    for c in [&m.governorate, &m.district].into_iter().flatten() {
        if let Some(v) = row.opt(c) {
            names.push((c.clone(), v.to_owned()));
        }
    }
    let place_names: Vec<(String, String)> = m
        .place_name
        .iter()
        .filter_map(|c| row.opt(c).map(|v| (c.clone(), v.to_owned())))
        .collect();
    let data = IncidentData {
        when,
        point: point(row, &m.latitude, &m.longitude)?,
        location_precision,
        place_name: m
            .place_name
            .as_deref()
            .and_then(|c| cell_name(row, c, &mut warnings)),
        incident_type,
        sub_type: cell_name(row, &m.event_type, &mut warnings),
        actors: m
            .actor
            .iter()
            .filter_map(|c| cell_name(row, c, &mut warnings))
            .map(|n| IncidentActor {
                organisation_id: None,
                name: Some(n),
                role: None,
            })
            .collect(),
        casualties: if fatalities > 0 || wounded > 0 {
            let mut c = deaths(Party::Unknown, fatalities);
            c.injured = Estimate {
                low: wounded,
                best: wounded,
                high: wounded,
            };
            vec![c]
        } else {
            vec![]
        },
        sources: vec![dataset_source(
            &m.id_prefix,
            format!("{} record {external}", m.id_prefix),
            m.source
                .as_deref()
                .and_then(|c| cell_name(row, c, &mut warnings)),
            key_column,
        )?],
        narrative: m
            .narrative
            .as_deref()
            .and_then(|c| cell_text(row, c, &mut warnings)),
        engagement_ids: vec![],
        admin_units: None,
        external_id: Some(source_key(&m.id_prefix, &external, key_column)?),
        owner_org_id: release.owner.clone(),
        releasable_to: release.releasable_to.clone(),
        release_groups: release.groups.clone(),
        caveat: None,
    };
    Ok(ParsedRow {
        id: import_id(&m.id_prefix, &external, release),
        data,
        warnings,
        names,
        place_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(extra: serde_json::Value) -> Result<ColumnMapping, String> {
        let mut m = serde_json::json!({
            "id_prefix": "jcc", "date": "d", "latitude": "y", "longitude": "x", "event_type": "t"
        });
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(m).map_err(|e| e.to_string())
    }

    /// The content key of each row of `file`.
    fn keys(file: &str) -> Vec<String> {
        let mut input = crate::csv_input::CsvInput::open(file.as_bytes()).unwrap();
        let mut out = vec![];
        while let Some((_, row)) = input.next_row() {
            out.push(content_key(&row.unwrap()));
        }
        out
    }

    #[test]
    fn a_row_s_content_key_ignores_the_column_order_and_blanks_but_not_any_cell() {
        let k = keys("a,b,,\n1,2,x,y\n1,2,x,z\n1,2,z,y\n");
        assert!(k[0].starts_with("row-") && k[0].len() == 24, "{k:?}");
        assert_eq!(
            k.iter().collect::<std::collections::HashSet<_>>().len(),
            3,
            "{k:?}"
        );
        let reordered = keys(",b,a,\nx, 2 ,1,y\n");
        assert_eq!(reordered[0], k[0]);
    }

    #[test]
    fn a_precision_is_one_code_or_a_column_and_anything_else_says_what_to_give() {
        let m = parse(serde_json::json!({"location_precision": "near"})).unwrap();
        assert_eq!(
            m.location_precision,
            Some(FromColumn::Fixed(LocationPrecision::Near))
        );
        let m = parse(serde_json::json!({"date_precision": {"column": "tp"}})).unwrap();
        assert_eq!(
            m.date_precision,
            Some(FromColumn::Column {
                column: "tp".into(),
                values: HashMap::new()
            })
        );
        let e = parse(serde_json::json!({"location_precision": "distrikt"})).unwrap_err();
        assert!(e.contains("unknown variant `distrikt`"), "{e}");
        let e = parse(serde_json::json!({"date_precision": 3})).unwrap_err();
        assert!(e.contains("give one value"), "{e}");
        let e = parse(serde_json::json!({"date_precision": {"colum": "tp"}})).unwrap_err();
        assert!(e.contains("unknown field `colum`"), "{e}");
        let e = parse(serde_json::json!({"unlisted_types": "keep"})).unwrap_err();
        assert!(e.contains("unknown variant `keep`"), "{e}");
    }

    #[test]
    fn a_mapping_s_own_mistakes_are_named_by_their_entry_all_at_once() {
        let m = parse(serde_json::json!({
            "id_prefix": "a:b",
            "type_rules": [{"when": {}, "type": "bombing"}],
            "date_formats": ["%d/%m/%Y", "%Q"]
        }))
        .unwrap();
        let fields: Vec<String> = m
            .check()
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "id_prefix",
                "type_rules[0].when",
                "type_rules[0].type",
                "date_formats[1]"
            ]
        );
    }
}
