//! The web import's mapping step: which column of a CSV holds what, as form fields, and
//! back. Everything a mapping file can say is on the form — the columns (the key, date,
//! point, type, counts, place, admin unit names, actor, notes, source), the date formats,
//! how precisely the place and the date are known (one value for every row, or a column
//! with its codes), the types of the type column's values, and rules over two columns for
//! a type (attack type + a suicide flag) — so a mapping shown and saved again is the same
//! mapping. Only "values not listed" is fixed: the form lists every value of the type
//! column, and one left unchosen is stored as `other` with a warning.

use std::collections::{BTreeMap, HashMap};

use hawkari_app::import_mapping::{FromColumn, TypeRule};
use hawkari_app::incident_import::ColumnMapping;
use hawkari_core::incident::{IncidentType, LocationPrecision};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::forms::{FieldErrors, Fields, rows_of};
use super::i18n::Tr;

/// The mapping's columns: (form field, label key, required).
pub(super) const MAPPED_FIELDS: [(&str, &str, bool); 13] = [
    ("external_id", "imp-field-external-id", false),
    ("date", "imp-field-date", true),
    ("latitude", "imp-field-latitude", true),
    ("longitude", "imp-field-longitude", true),
    ("event_type", "imp-field-event-type", true),
    ("fatalities", "imp-field-fatalities", false),
    ("wounded", "imp-field-wounded", false),
    ("place_name", "imp-field-place-name", false),
    ("governorate", "imp-field-governorate", false),
    ("district", "imp-field-district", false),
    ("actor", "imp-field-actor", false),
    ("narrative", "imp-field-narrative", false),
    ("source", "imp-field-source", false),
];

/// Date formats offered as boxes to tick (chrono's patterns, and how a date in each
/// looks); any other goes in the "other formats" field.
pub(super) const DATE_FORMATS: [(&str, &str); 9] = [
    ("%d/%m/%Y", "14/03/2015"),
    ("%m/%d/%Y", "03/14/2015"),
    ("%d-%m-%Y", "14-03-2015"),
    ("%d.%m.%Y", "14.03.2015"),
    ("%Y/%m/%d", "2015/03/14"),
    ("%d %B %Y", "14 March 2015"),
    ("%B %d, %Y", "March 14, 2015"),
    ("%m/%Y", "03/2015"),
    ("%b %Y", "Mar 2015"),
];

/// The codes of the place's precision, finest first.
pub(super) const LOCATION_PRECISIONS: [&str; 5] =
    ["exact", "near", "sub_district", "district", "governorate"];
/// The codes of the date's precision, finest first.
pub(super) const DATE_PRECISIONS: [&str; 4] = ["day", "week", "month", "year"];

/// Column names that suggest a field, compared without case, spaces or `_`.
fn guesses(field: &str) -> &'static [&'static str] {
    match field {
        "external_id" => &[
            "id",
            "ref",
            "reference",
            "eventid",
            "eventidcnty",
            "externalid",
            "key",
        ],
        "date" => &["date", "day", "eventdate", "when", "datestart"],
        "latitude" => &["latitude", "lat", "y"],
        "longitude" => &["longitude", "lon", "lng", "long", "x"],
        "event_type" => &["type", "eventtype", "what", "category", "kind"],
        "fatalities" => &["fatalities", "killed", "deaths", "dead"],
        "wounded" => &["wounded", "injured", "injuries"],
        "place_name" => &["place", "location", "placename", "village", "town", "city"],
        "governorate" => &["governorate", "province", "admin1", "adm1", "muhafaza"],
        "district" => &["district", "admin2", "adm2", "qada"],
        "actor" => &["actor", "actor1", "group", "perpetrator"],
        "narrative" => &["notes", "narrative", "description", "text", "summary"],
        "source" => &["source", "src", "sources"],
        _ => &[],
    }
}

pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A code as its type reads it from JSON (`"sub_district"` → `SubDistrict`).
fn code_of<T: DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A precision from the form: a column (with its codes, `1=exact, 2=near`) if one is
/// chosen, else the one value for every row, else none. Problems at `{name}` fields.
fn precision_of<T: DeserializeOwned + Copy>(
    f: &Fields,
    name: &str,
    codes: &[&str],
    columns: &[String],
    tr: Tr,
    errors: &mut FieldErrors,
) -> Option<FromColumn<T>> {
    let column = f.get(&format!("col_{name}")).unwrap_or("").to_owned();
    if column.is_empty() {
        let fixed = f.get(name).unwrap_or("");
        if fixed.is_empty() {
            return None;
        }
        return match code_of(fixed) {
            Some(v) if codes.contains(&fixed) => Some(FromColumn::Fixed(v)),
            _ => {
                errors.add(name, tr.t("imp-precision-unknown"));
                None
            }
        };
    }
    if !columns.contains(&column) {
        errors.add(format!("col_{name}"), tr.t("imp-no-such-column"));
    }
    let key = format!("{name}_values");
    let mut values = HashMap::new();
    for pair in f
        .get(&key)
        .unwrap_or("")
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match pair.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
            Some((k, v)) if !k.is_empty() && codes.contains(&v) => {
                values.insert(k.to_owned(), code_of(v)?);
            }
            _ => errors.add(
                &key,
                tr.t2(
                    "imp-precision-pair",
                    &("pair", pair),
                    &("codes", &codes.join(", ")),
                ),
            ),
        }
    }
    Some(FromColumn::Column { column, values })
}

/// The form's fields of a precision (the reverse of [`precision_of`]).
fn precision_fields<T: Serialize>(f: &mut Fields, name: &str, p: &Option<FromColumn<T>>) {
    match p {
        None => {}
        Some(FromColumn::Fixed(v)) => f.set(name, code(v)),
        Some(FromColumn::Column { column, values }) => {
            f.set(&format!("col_{name}"), column.clone());
            let sorted: BTreeMap<&String, String> =
                values.iter().map(|(k, v)| (k, code(v))).collect();
            let text: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
            f.set(&format!("{name}_values"), text.join(", "));
        }
    }
}

/// The mapping the form's fields describe; problems at the fields (a required column
/// not chosen, a column the file does not have, a prefix that cannot begin an id, a date
/// format chrono cannot read, a precision code or rule that is not one).
pub(super) fn mapping_of(
    f: &Fields,
    columns: &[String],
    tr: Tr,
    errors: &mut FieldErrors,
) -> ColumnMapping {
    let mut m = ColumnMapping {
        id_prefix: f.get("id_prefix").unwrap_or("").to_owned(),
        // The mapping step offers every value of the type column a type: one left
        // unchosen is meant as `other`, and the preview says so.
        unlisted_types: hawkari_app::incident_import::Unlisted::Other,
        ..ColumnMapping::default()
    };
    for (field, _, required) in MAPPED_FIELDS {
        let key = format!("col_{field}");
        let v = f.get(&key).map(str::to_owned);
        match &v {
            Some(c) if !columns.contains(c) => errors.add(&key, tr.t("imp-no-such-column")),
            None if required => errors.add(&key, tr.t("imp-column-needed")),
            _ => {}
        }
        let v = v.unwrap_or_default();
        match field {
            // No id column: each row is keyed by a hash of its content.
            "external_id" => m.external_id = (!v.is_empty()).then_some(v),
            "date" => m.date = v,
            "latitude" => m.latitude = v,
            "longitude" => m.longitude = v,
            "event_type" => m.event_type = v,
            other => {
                let opt = (!v.is_empty()).then_some(v);
                match other {
                    "fatalities" => m.fatalities = opt,
                    "wounded" => m.wounded = opt,
                    "place_name" => m.place_name = opt,
                    "governorate" => m.governorate = opt,
                    "district" => m.district = opt,
                    "actor" => m.actor = opt,
                    "narrative" => m.narrative = opt,
                    _ => m.source = opt,
                }
            }
        }
    }
    m.date_formats = f
        .all("date_format")
        .into_iter()
        .filter(|d| !d.is_empty())
        .collect();
    m.date_formats.extend(
        f.get("date_formats_other")
            .unwrap_or("")
            .split('|')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    );
    m.location_precision = precision_of::<LocationPrecision>(
        f,
        "location_precision",
        &LOCATION_PRECISIONS,
        columns,
        tr,
        errors,
    );
    m.date_precision = precision_of(f, "date_precision", &DATE_PRECISIONS, columns, tr, errors);
    for n in 1..=rows_of(f, "t") {
        if let (Some(value), Some(code)) =
            (f.get(&format!("t{n}_value")), f.get(&format!("t{n}_code")))
            && code.parse::<IncidentType>().is_ok()
        {
            m.types.insert(value.to_owned(), code.to_owned());
        }
    }
    for n in 1..=rows_of(f, "r") {
        let mut when = BTreeMap::new();
        for i in 1..=2 {
            if let Some(c) = f.get(&format!("r{n}_c{i}")) {
                if !columns.iter().any(|x| x == c) {
                    errors.add(format!("r{n}_c{i}"), tr.t("imp-no-such-column"));
                }
                let v = f.get(&format!("r{n}_v{i}")).unwrap_or("").to_owned();
                when.insert(c.to_owned(), v);
            }
        }
        let t = f.get(&format!("r{n}_type")).unwrap_or("");
        match (when.is_empty(), t.is_empty()) {
            (true, true) => {}
            (false, false) if t.parse::<IncidentType>().is_ok() => m.type_rules.push(TypeRule {
                when,
                incident_type: t.to_owned(),
            }),
            (true, false) => errors.add(format!("r{n}_c1"), tr.t("imp-rule-column-needed")),
            _ => errors.add(format!("r{n}_type"), tr.t("imp-rule-type-needed")),
        }
    }
    if let Err(e) = m.check() {
        for e in e.errors {
            // A date format chrono cannot read is named by its place in the list.
            let field = if e.field.starts_with("date_formats") {
                "date_formats_other"
            } else {
                "id_prefix"
            };
            errors.add(field, tr.problem(&e.message));
        }
    }
    m
}

/// The form's fields for a mapping (the job's, or one guessed from the column names).
pub(super) fn mapping_fields(
    m: Option<&ColumnMapping>,
    columns: &[String],
    file_name: &str,
) -> Fields {
    let mut f = Fields::default();
    match m.filter(|m| !m.date.is_empty()) {
        Some(m) => {
            f.set("id_prefix", m.id_prefix.clone());
            let opt = |o: &Option<String>| o.clone().unwrap_or_default();
            for (field, value) in [
                ("external_id", opt(&m.external_id)),
                ("date", m.date.clone()),
                ("latitude", m.latitude.clone()),
                ("longitude", m.longitude.clone()),
                ("event_type", m.event_type.clone()),
                ("fatalities", opt(&m.fatalities)),
                ("wounded", opt(&m.wounded)),
                ("place_name", opt(&m.place_name)),
                ("governorate", opt(&m.governorate)),
                ("district", opt(&m.district)),
                ("actor", opt(&m.actor)),
                ("narrative", opt(&m.narrative)),
                ("source", opt(&m.source)),
            ] {
                f.set(&format!("col_{field}"), value);
            }
            let (offered, other): (Vec<&String>, Vec<&String>) = m
                .date_formats
                .iter()
                .partition(|d| DATE_FORMATS.iter().any(|(code, _)| code == d));
            for d in offered {
                f.push("date_format", d.clone());
            }
            let other: Vec<&str> = other.iter().map(|s| s.as_str()).collect();
            f.set("date_formats_other", other.join(" | "));
            precision_fields(&mut f, "location_precision", &m.location_precision);
            precision_fields(&mut f, "date_precision", &m.date_precision);
            let mut types: Vec<(&String, &String)> = m.types.iter().collect();
            types.sort();
            for (n, (value, code)) in types.into_iter().enumerate() {
                f.set(&format!("t{}_value", n + 1), value.clone());
                f.set(&format!("t{}_code", n + 1), code.clone());
            }
            for (n, rule) in m.type_rules.iter().enumerate() {
                for (i, (c, v)) in rule.when.iter().enumerate().take(2) {
                    f.set(&format!("r{}_c{}", n + 1, i + 1), c.clone());
                    f.set(&format!("r{}_v{}", n + 1, i + 1), v.clone());
                }
                f.set(&format!("r{}_type", n + 1), rule.incident_type.clone());
            }
        }
        None => {
            let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
            let prefix: String = stem
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .take(20)
                .collect();
            let prefix = prefix.trim_matches('-');
            f.set(
                "id_prefix",
                if prefix.is_empty() { "import" } else { prefix },
            );
            let mut taken: Vec<&str> = Vec::new();
            for (field, _, _) in MAPPED_FIELDS {
                let found = guesses(field).iter().find_map(|g| {
                    columns
                        .iter()
                        .find(|c| squash(c) == *g && !taken.contains(&c.as_str()))
                });
                if let Some(c) = found {
                    taken.push(c);
                    f.set(&format!("col_{field}"), c.clone());
                }
            }
        }
    }
    f
}

/// The type rules' rows the form shows: each rule and one empty row more (at most 2
/// columns a rule: a rule of a mapping file with more is shown by its first two, so the
/// web cannot edit such a mapping without changing it — none is made by the web).
pub(super) fn rule_rows(f: &Fields) -> Vec<usize> {
    (1..=rows_of(f, "r") + 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<String> {
        [
            "date",
            "lat",
            "lon",
            "attack_type",
            "suicide",
            "precision",
            "gov",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// Every entry the form shows comes back as it was: a mapping shown and saved again
    /// is the same mapping.
    #[test]
    fn a_mapping_shown_on_the_form_and_read_back_is_the_same_mapping() {
        let m: ColumnMapping = serde_json::from_value(serde_json::json!({
            "id_prefix": "gtd",
            "date": "date", "date_formats": ["%d/%m/%Y", "%m/%Y", "%Y%m%d"],
            "date_precision": "month",
            "latitude": "lat", "longitude": "lon",
            "location_precision": {"column": "precision", "values": {"1": "exact", "2": "near", "3": "district"}},
            "event_type": "attack_type",
            "types": {"Bombing/Explosion": "ied", "Armed Assault": "hit_and_run"},
            "type_rules": [{"when": {"attack_type": "Bombing/Explosion", "suicide": "1"}, "type": "suicide_bombing"}],
            "unlisted_types": "other",
            "governorate": "gov"
        }))
        .unwrap();
        let f = mapping_fields(Some(&m), &columns(), "gtd.csv");
        let mut errors = FieldErrors::default();
        let tr = Tr {
            locale: super::super::i18n::Locale::En,
        };
        let back = mapping_of(&f, &columns(), tr, &mut errors);
        assert!(errors.is_empty(), "{:?}", errors.listed());
        assert_eq!(back, m);
    }

    #[test]
    fn a_precision_code_or_rule_that_is_not_one_is_refused_at_its_field() {
        let tr = Tr {
            locale: super::super::i18n::Locale::En,
        };
        let mut f = mapping_fields(None, &columns(), "x.csv");
        f.set("col_event_type", "attack_type");
        f.set("col_location_precision", "precision");
        f.set("location_precision_values", "1=exact, 2=nearby");
        f.set("date_precision", "fortnight");
        f.set("r1_type", "ied");
        f.set("r2_c1", "suicide");
        f.set("r2_v1", "1");
        f.set("date_formats_other", "%Q");
        let mut errors = FieldErrors::default();
        mapping_of(&f, &columns(), tr, &mut errors);
        for field in [
            "location_precision_values",
            "date_precision",
            "r1_c1",
            "r2_type",
            "date_formats_other",
        ] {
            assert!(errors.has(field), "{field}: {:?}", errors.listed());
        }
        assert!(
            errors
                .at("location_precision_values")
                .iter()
                .any(|e| e.contains("2=nearby")),
            "{:?}",
            errors.listed()
        );
    }
}
