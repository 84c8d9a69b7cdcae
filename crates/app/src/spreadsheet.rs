//! Numbers and dates as spreadsheets and pandas write them into a CSV. A count is a whole
//! number however it was written — `6`, `6.0`, `6.00`, `1,200`, `1 200`, `1.2e3`, `٦`,
//! `١٬٢٠٠` — and a count that is not whole (`6.5`) is refused, never rounded: the caller
//! names the line and column. Dates are ISO (`2015-03-14`, `2015-03`, `2015`, also with a
//! midnight time as pandas writes a datetime column) or in the formats a mapping names.

use chrono::NaiveDate;
use hawkari_core::time::ascii_digits;

/// ASCII digits, `,` for the Arabic thousands separator (U+066C) and `.` for the Arabic
/// decimal separator (U+066B), surrounding blanks trimmed.
fn western(v: &str) -> String {
    ascii_digits(v.trim())
        .replace('\u{066C}', ",")
        .replace('\u{066B}', ".")
}

/// Whether `int` is digits, or digits grouped by thousands with one separator
/// (`1,200`, `12 345 678`): a first group of 1–3 digits, then groups of 3.
fn grouped_digits(int: &str) -> Option<String> {
    if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) {
        return Some(int.to_owned());
    }
    let sep = int.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'') {
        return None;
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (groups.len() > 1 && first_ok && rest_ok && all_digits).then(|| groups.concat())
}

/// A count (people killed, a precision code) written as a spreadsheet or pandas writes a
/// whole number. The message says why `v` is not one.
pub fn parse_count(v: &str) -> Result<u32, String> {
    let s = western(v);
    let not = || format!("`{v}` is not a whole number");
    let body = s.strip_prefix('+').unwrap_or(&s);
    if body.starts_with('-') {
        return Err(format!("`{v}` is negative; a count is 0 or more"));
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => {
            let e = &body[i + 1..];
            let e: i32 = e
                .strip_prefix('+')
                .unwrap_or(e)
                .parse()
                .map_err(|_| not())?;
            (&body[..i], e)
        }
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
        return Err(not());
    }
    let int = if int.is_empty() {
        "0".to_owned()
    } else {
        grouped_digits(int).ok_or_else(not)?
    };
    // The digits and where the decimal point falls after the exponent moves it.
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(exponent);
    let (whole, fraction) = if point <= 0 {
        ("", digits.as_str())
    } else if point as usize >= digits.len() {
        (digits.as_str(), "")
    } else {
        digits.split_at(point as usize)
    };
    if fraction.bytes().any(|b| b != b'0') {
        return Err(not());
    }
    let zeros = (point.max(0) as usize).saturating_sub(digits.len());
    let whole = whole.trim_start_matches('0');
    if whole.len() + zeros > 10 {
        return Err(format!("`{v}` is too large a count"));
    }
    let whole = format!("{whole}{}", "0".repeat(zeros));
    if whole.is_empty() {
        return Ok(0);
    }
    whole
        .parse()
        .map_err(|_| format!("`{v}` is too large a count"))
}

/// A decimal number (a latitude, a longitude) with ASCII or Arabic-Indic digits and a `.`
/// or `٫` decimal separator. NaN and infinities are not numbers.
pub fn parse_decimal(v: &str) -> Result<f64, String> {
    let s = western(v);
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    match s.parse::<f64>() {
        Ok(n) if plain && n.is_finite() => Ok(n),
        _ => Err(format!("`{v}` is not a number")),
    }
}

/// How precisely a date is known (coarser is greater).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    /// Within a week: the day given ± 3 days (as ACLED's time precision 2).
    Week,
    Month,
    Year,
}

impl std::str::FromStr for DatePrecision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "day" => Self::Day,
            "week" => Self::Week,
            "month" => Self::Month,
            "year" => Self::Year,
            other => {
                return Err(format!(
                    "`{other}` is not a date precision: use day, week, month or year"
                ));
            }
        })
    }
}

/// A date cell: the first day it names and how precisely. ISO dates (`2015-03-14`,
/// `2015-03`, `2015`, and `2015-03-14 00:00:00` or `…T00:00:00` as pandas writes a
/// datetime) are always read; `formats` (chrono's `%d/%m/%Y`, `%b %Y`, …) are tried
/// after them, in order. A format without a day (`%m/%Y`) gives a month, one without a
/// month a year.
pub fn parse_date(v: &str, formats: &[String]) -> Result<(NaiveDate, DatePrecision), String> {
    let s = ascii_digits(v.trim()).into_owned();
    let iso = s
        .strip_suffix(" 00:00:00")
        .or_else(|| s.strip_suffix("T00:00:00"))
        .unwrap_or(&s);
    if let Ok(d) = hawkari_core::time::PartialDate::parse(iso) {
        let precision = match d.precision() {
            hawkari_core::time::Precision::Month => DatePrecision::Month,
            hawkari_core::time::Precision::Year => DatePrecision::Year,
            _ => DatePrecision::Day,
        };
        return Ok((d.first_day(), precision));
    }
    for f in formats {
        let has_day = f.contains("%d") || f.contains("%e") || f.contains("%j") || f.contains("%F");
        let has_month = has_day || f.contains("%m") || f.contains("%b") || f.contains("%B");
        let parsed = if has_day {
            NaiveDate::parse_from_str(&s, f).map(|d| (d, DatePrecision::Day))
        } else if has_month {
            NaiveDate::parse_from_str(&format!("1 {s}"), &format!("%d {f}"))
                .map(|d| (d, DatePrecision::Month))
        } else {
            NaiveDate::parse_from_str(&format!("1 1 {s}"), &format!("%d %m {f}"))
                .map(|d| (d, DatePrecision::Year))
        };
        if let Ok(p) = parsed {
            return Ok(p);
        }
    }
    Err(if formats.is_empty() {
        format!(
            "`{v}` is not a date such as 2015-03-14 (name its format in the mapping's date_formats)"
        )
    } else {
        format!(
            "`{v}` is not a date in any of the mapping's date_formats ({})",
            formats.join(", ")
        )
    })
}

/// Whether a chrono format can read a date at all (a mapping's `date_formats` is checked
/// before any row).
pub fn check_date_format(f: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
        return Err(format!("`{f}` is not a date format (such as %d/%m/%Y)"));
    }
    if !f.contains("%Y") && !f.contains("%y") && !f.contains("%F") {
        return Err(format!("`{f}` has no year (%Y or %y)"));
    }
    Ok(())
}

/// The event time of a day known to `precision`.
pub fn event_time(
    day: NaiveDate,
    precision: DatePrecision,
) -> Result<hawkari_core::time::EventTime, String> {
    use hawkari_core::time::EventTime;
    match precision {
        DatePrecision::Day => EventTime::parse(&day.to_string(), None),
        DatePrecision::Week => EventTime::parse(
            &format!(
                "{}/{}",
                day - chrono::Duration::days(3),
                day + chrono::Duration::days(3)
            ),
            Some("within a week".into()),
        ),
        DatePrecision::Month => EventTime::parse(&day.format("%Y-%m").to_string(), None),
        DatePrecision::Year => EventTime::parse(&day.format("%Y").to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Arabic-Indic (U+0660) or Eastern Arabic (U+06F0) digits for ASCII ones.
    fn indic(s: &str, base: u32) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(base + d).unwrap(),
                None if c == ',' => '\u{066C}',
                None if c == '.' => '\u{066B}',
                None => c,
            })
            .collect()
    }

    /// Every way a spreadsheet, pandas or an Arabic keyboard writes the whole number `n`.
    fn spellings(n: u32) -> Vec<String> {
        let plain = n.to_string();
        let grouped = {
            let mut out = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        let mut v = vec![
            plain.clone(),
            format!("{plain}.0"),
            format!("{plain}.00"),
            format!("{plain}."),
            format!(" {plain} "),
            format!("+{plain}"),
            grouped.clone(),
            format!("{grouped}.0"),
            grouped.replace(',', " "),
            grouped.replace(',', "\u{a0}"),
            format!("{n:e}"),
            format!("{:e}", f64::from(n)),
            format!("{:E}", f64::from(n)),
            indic(&plain, 0x0660),
            indic(&format!("{grouped}.0"), 0x0660),
            indic(&plain, 0x06F0),
        ];
        if n >= 10 {
            // pandas' scientific form with an explicit sign, e.g. 1.2e+03.
            let s = plain.trim_end_matches('0');
            let exp = plain.len() - 1;
            let mantissa = if s.len() > 1 {
                format!("{}.{}", &s[..1], &s[1..])
            } else {
                s.to_owned()
            };
            v.push(format!("{mantissa}e+{exp:02}"));
        }
        v
    }

    proptest! {
        #[test]
        fn every_spreadsheet_spelling_of_a_count_is_that_count(n in 0u32..=4_000_000_000) {
            for s in spellings(n) {
                prop_assert_eq!(parse_count(&s), Ok(n), "{:?}", s);
            }
        }

        #[test]
        fn a_count_with_a_fraction_is_refused_never_rounded(
            n in 0u32..1_000_000,
            frac in 1u32..100,
        ) {
            let frac = format!("{frac:02}");
            for s in [format!("{n}.{frac}"), indic(&format!("{n}.{frac}"), 0x0660)] {
                prop_assert_eq!(parse_count(&s), Err(format!("`{s}` is not a whole number")));
            }
        }
    }

    #[test]
    fn what_is_not_a_count_says_why() {
        for v in [
            "6.5",
            "1,20",
            "1,2000",
            "12,34,567",
            "six",
            "6 people",
            "0x10",
            "1e-1",
            "",
            ".",
            "1.2.3",
            "1,200,00",
            "NaN",
            "inf",
            "1;2",
        ] {
            assert!(parse_count(v).is_err(), "{v:?}");
        }
        assert_eq!(
            parse_count("-3"),
            Err("`-3` is negative; a count is 0 or more".into())
        );
        assert_eq!(
            parse_count("1e10"),
            Err("`1e10` is too large a count".into())
        );
        assert_eq!(
            parse_count("4294967296"),
            Err("`4294967296` is too large a count".into())
        );
        assert_eq!(parse_count("0.0"), Ok(0));
        assert_eq!(parse_count("1.5e1"), Ok(15));
        assert_eq!(
            parse_count("1.25e1"),
            Err("`1.25e1` is not a whole number".into())
        );
    }

    #[test]
    fn decimals_read_arabic_digits_and_refuse_what_is_not_a_number() {
        assert_eq!(parse_decimal("35.46"), Ok(35.46));
        assert_eq!(parse_decimal("٣٥٫٤٦"), Ok(35.46));
        assert_eq!(parse_decimal(" -1e1 "), Ok(-10.0));
        for v in ["NaN", "inf", "35,46", "35.46N", ""] {
            assert!(parse_decimal(v).is_err(), "{v:?}");
        }
    }

    #[test]
    fn dates_come_iso_from_pandas_or_in_the_mapping_s_formats() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let none: &[String] = &[];
        for v in [
            "2015-03-14",
            "2015-03-14 00:00:00",
            "2015-03-14T00:00:00",
            "٢٠١٥-٠٣-١٤",
        ] {
            assert_eq!(
                parse_date(v, none),
                Ok((day(2015, 3, 14), DatePrecision::Day)),
                "{v}"
            );
        }
        assert_eq!(
            parse_date("2015-03", none),
            Ok((day(2015, 3, 1), DatePrecision::Month))
        );
        assert!(
            parse_date("14/03/2015", none)
                .unwrap_err()
                .contains("date_formats")
        );
        let formats = ["%d/%m/%Y".to_owned(), "%b %Y".to_owned(), "%Y".to_owned()];
        assert_eq!(
            parse_date("14/03/2015", &formats),
            Ok((day(2015, 3, 14), DatePrecision::Day))
        );
        assert_eq!(
            parse_date("Mar 2015", &formats),
            Ok((day(2015, 3, 1), DatePrecision::Month))
        );
        assert_eq!(
            parse_date("03/14/2015", &formats).unwrap_err(),
            "`03/14/2015` is not a date in any of the mapping's date_formats (%d/%m/%Y, %b %Y, %Y)"
        );
        assert!(check_date_format("%d/%m").is_err());
        assert!(check_date_format("%d/%m/%Y").is_ok());
    }
}
