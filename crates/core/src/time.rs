//! Dates as the reports give them: an exact instant, a day, a month, a year, or a range
//! ("late May 2025" = `2025-05-21/2025-05-31`), always kept as a range plus a precision so
//! that filters compare ranges and nobody pretends to know more than the source says.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Instant,
    Day,
    Month,
    Year,
    Range,
}

/// The text with Arabic-Indic (٠–٩) and Eastern Arabic (۰–۹) digits written as ASCII
/// digits, so that a date or number typed in Arabic or Sorani reads as one typed in
/// English.
pub fn ascii_digits(s: &str) -> std::borrow::Cow<'_, str> {
    let digit = |c: char| match c {
        '\u{0660}'..='\u{0669}' => Some((b'0' + (c as u32 - 0x0660) as u8) as char),
        '\u{06F0}'..='\u{06F9}' => Some((b'0' + (c as u32 - 0x06F0) as u8) as char),
        _ => None,
    };
    if s.chars().any(|c| digit(c).is_some()) {
        s.chars()
            .map(|c| digit(c).unwrap_or(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// A calendar day written `YYYY-MM-DD` (ASCII, Arabic-Indic or Eastern Arabic digits).
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let d =
        PartialDate::parse(s.trim()).map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD"))?;
    if d.precision() != Precision::Day {
        return Err(format!("`{s}` is not a day: use YYYY-MM-DD"));
    }
    Ok(d.first_day())
}

/// Serde for a day as `YYYY-MM-DD`, read by [`parse_day`] (clear messages, any digits).
pub mod day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_day(&s).map_err(serde::de::Error::custom)
    }
}

/// [`day`] for an optional field.
pub mod opt_day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::day::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| super::parse_day(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A calendar date known to the day, month or year: `2025`, `2025-05` or `2025-05-21`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    first: NaiveDate,
    precision: Precision,
}

impl PartialDate {
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
        let ascii = ascii_digits(s);
        let parts: Vec<&str> = ascii.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d, precision) = match parts.as_slice() {
            [y] => (num(y, 4)?, 1, 1, Precision::Year),
            [y, m] => (num(y, 4)?, num(m, 2)?, 1, Precision::Month),
            [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?, Precision::Day),
            _ => return Err(bad()),
        };
        let first = NaiveDate::from_ymd_opt(y as i32, m, d)
            .ok_or_else(|| format!("`{s}` is not a calendar date"))?;
        Ok(Self { first, precision })
    }

    pub fn day(date: NaiveDate) -> Self {
        Self {
            first: date,
            precision: Precision::Day,
        }
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The first day the value can mean.
    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    /// The last day the value can mean.
    pub fn last_day(&self) -> NaiveDate {
        match self.precision {
            Precision::Year => NaiveDate::from_ymd_opt(self.first.year(), 12, 31).expect("valid"),
            Precision::Month => {
                let (y, m) = if self.first.month() == 12 {
                    (self.first.year() + 1, 1)
                } else {
                    (self.first.year(), self.first.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .expect("valid")
                    .pred_opt()
                    .expect("valid")
            }
            _ => self.first,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{}", self.first.format("%Y")),
            Precision::Month => write!(f, "{}", self.first.format("%Y-%m")),
            _ => write!(f, "{}", self.first.format("%Y-%m-%d")),
        }
    }
}

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartialDate({self})")
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for PartialDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A date known to the year, month or day: YYYY, YYYY-MM or YYYY-MM-DD",
            ))
            .examples(["2025-05"])
            .into()
    }
}
impl utoipa::ToSchema for PartialDate {}

/// When something happened: an instant, a day, a month, a year, or a range of those,
/// with an optional wording from the source ("late May", "on Tuesday").
#[derive(Clone, PartialEq, Eq)]
pub struct EventTime {
    value: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    precision: Precision,
    label: Option<String>,
}

impl EventTime {
    /// Parses `2022-07-03T10:00:00Z`, `2022-07-03`, `2022-07`, `2022` or `A/B` where A and
    /// B are any of those (an ISO 8601 interval).
    pub fn parse(value: &str, label: Option<String>) -> Result<Self, String> {
        let value = ascii_digits(value.trim());
        let value = value.as_ref();
        let (start, end, precision) = if let Some((a, b)) = value.split_once('/') {
            let (start, _) = bounds(a)?;
            let (_, end) = bounds(b)?;
            if end < start {
                return Err(format!("`{value}`: the range ends before it starts"));
            }
            (start, end, Precision::Range)
        } else {
            let (start, end) = bounds(value)?;
            let precision = if value.contains('T') {
                Precision::Instant
            } else {
                PartialDate::parse(value)?.precision()
            };
            (start, end, precision)
        };
        // Counted as sent, as the OpenAPI document's `maxLength` counts.
        if label.as_ref().is_some_and(|l| l.chars().count() > 200) {
            return Err("label: at most 200 characters".into());
        }
        let label = label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
        Ok(Self {
            value: value.to_owned(),
            start,
            end,
            precision,
            label,
        })
    }

    pub fn value(&self) -> &str {
        &self.value
    }
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }
    pub fn precision(&self) -> Precision {
        self.precision
    }
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

/// The first and last instant a single (non-range) value can mean.
fn bounds(s: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    if s.contains('T') {
        let t = DateTime::parse_from_rfc3339(s)
            .map_err(|_| format!("`{s}` is not an RFC 3339 instant such as 2022-07-03T10:00:00Z"))?
            .with_timezone(&Utc);
        return Ok((t, t));
    }
    let d = PartialDate::parse(s)?;
    let start = d.first_day().and_hms_opt(0, 0, 0).expect("valid").and_utc();
    let end = d
        .last_day()
        .and_hms_opt(23, 59, 59)
        .expect("valid")
        .and_utc();
    Ok((start, end))
}

/// Formats an instant the way the API and the database write it.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl fmt::Debug for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventTime({})", self.value)
    }
}

#[derive(Serialize, Deserialize)]
/// When something happened. On input a plain string (`"2022-07-03"`) is accepted too.
struct EventTimeRepr {
    /// `2022-07-03T10:00:00Z`, `2022-07-03`, `2022-07`, `2022`, or `START/END` of those.
    value: String,
    /// The source's own wording, e.g. "late May" or "on Tuesday".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    /// Derived: how precisely the date is known.
    #[serde(default, skip_deserializing)]
    precision: Option<Precision>,
    /// Derived: first instant the value can mean.
    #[serde(default, skip_deserializing)]
    start: Option<String>,
    /// Derived: last instant the value can mean.
    #[serde(default, skip_deserializing)]
    end: Option<String>,
}

impl Serialize for EventTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EventTimeRepr {
            value: self.value.clone(),
            label: self.label.clone(),
            precision: Some(self.precision),
            start: Some(rfc3339(self.start)),
            end: Some(rfc3339(self.end)),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for EventTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Input {
            Plain(String),
            Full(EventTimeRepr),
        }
        let (value, label) = match Input::deserialize(d)? {
            Input::Plain(v) => (v, None),
            Input::Full(r) => (r.value, r.label),
        };
        EventTime::parse(&value, label).map_err(serde::de::Error::custom)
    }
}

/// What [`EventTime::parse`] reads, as a regular expression: a year, month, day or
/// RFC 3339 instant, or `START/END` of two of those, in ASCII, Arabic-Indic or Eastern
/// Arabic digits, spaces around it ignored.
pub const EVENT_TIME_PATTERN: &str = r"^\s*[0-9٠-٩۰-۹]{4}(-[0-9٠-٩۰-۹]{2}(-[0-9٠-٩۰-۹]{2}(T\S+)?)?)?(/[0-9٠-٩۰-۹]{4}(-[0-9٠-٩۰-۹]{2}(-[0-9٠-٩۰-۹]{2}(T\S+)?)?)?)?\s*$";

/// The OpenAPI schema of an event time's value (also the date bounds lists filter by).
pub fn event_time_value_schema(description: &str) -> utoipa::openapi::schema::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(EVENT_TIME_PATTERN))
        .description(Some(description))
        .examples(["2025-05-21/2025-05-31"])
        .build()
}

impl utoipa::PartialSchema for EventTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Type};
        let value = event_time_value_schema(
            "`2022-07-03T10:00:00Z`, `2022-07-03`, `2022-07`, `2022`, or `START/END` of those",
        );
        let derived = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::DateTime,
                )))
                .read_only(Some(true))
                .description(Some(description))
        };
        let object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("value", value.clone())
            .required("value")
            .property(
                "label",
                ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::SchemaType::Array(vec![
                        Type::String,
                        Type::Null,
                    ]))
                    .max_length(Some(200))
                    .description(Some(
                        "The source's own wording, e.g. \"late May\" or \"on Tuesday\"",
                    )),
            )
            .property(
                "precision",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["instant", "day", "month", "year", "range"]))
                    .read_only(Some(true))
                    .description(Some("Derived: how precisely the date is known")),
            )
            .property(
                "start",
                derived("Derived: first instant the value can mean"),
            )
            .property("end", derived("Derived: last instant the value can mean"));
        AnyOfBuilder::new()
            .item(value)
            .item(object)
            .description(Some(
                "When something happened: an object (as the API writes it) or, on input, \
                 the value alone as a string",
            ))
            .into()
    }
}
impl utoipa::ToSchema for EventTime {
    fn name() -> std::borrow::Cow<'static, str> {
        "EventTime".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_covers_its_first_to_last_day() {
        let t = EventTime::parse("2024-02", None).unwrap();
        assert_eq!(t.precision(), Precision::Month);
        assert_eq!(rfc3339(t.start()), "2024-02-01T00:00:00Z");
        assert_eq!(rfc3339(t.end()), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn late_may_is_a_range_with_its_label() {
        let t = EventTime::parse("2025-05-21/2025-05-31", Some("late May".into())).unwrap();
        assert_eq!(t.precision(), Precision::Range);
        assert_eq!(t.label(), Some("late May"));
        assert_eq!(rfc3339(t.end()), "2025-05-31T23:59:59Z");
    }

    #[test]
    fn an_instant_keeps_its_time() {
        let t = EventTime::parse("2022-07-03T10:30:00+03:00", None).unwrap();
        assert_eq!(t.precision(), Precision::Instant);
        assert_eq!(rfc3339(t.start()), "2022-07-03T07:30:00Z");
    }

    #[test]
    fn malformed_and_backwards_dates_are_rejected_with_the_reason() {
        assert!(
            EventTime::parse("03/07/2022", None)
                .unwrap_err()
                .contains("not a date")
        );
        assert!(
            EventTime::parse("2022-13", None)
                .unwrap_err()
                .contains("calendar")
        );
        assert!(
            EventTime::parse("2022-07-05/2022-07-01", None)
                .unwrap_err()
                .contains("ends before")
        );
        assert!(PartialDate::parse("22-7-3").is_err());
    }

    #[test]
    fn dates_typed_in_arabic_indic_or_eastern_arabic_digits_read_as_ascii_ones() {
        assert_eq!(
            parse_day("٢٠٢٦-١١-٢٠").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(
            EventTime::parse("۲۰۲۵-۰۵", None).unwrap().value(),
            "2025-05"
        );
        for bad in [
            "99999-01-01",
            "2025-13-01",
            "2025-02-30",
            "2025",
            "tomorrow",
            "",
        ] {
            let e = parse_day(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn event_time_reads_a_string_or_an_object_and_writes_an_object() {
        let a: EventTime = serde_json::from_str(r#""2022-07-03""#).unwrap();
        let b: EventTime =
            serde_json::from_str(r#"{"value":"2022-07-03","precision":"year"}"#).unwrap();
        assert_eq!(a, b, "derived fields on input are ignored");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["precision"], "day");
        assert_eq!(json["end"], "2022-07-03T23:59:59Z");
    }
}
