//! Reading values as people type them: numbers and dates in any digits (Arabic-Indic,
//! Eastern Arabic), names in three scripts, sources; each problem at its field in the
//! reader's language.

use super::{FieldErrors, Fields, rows_of};
use crate::web::i18n::Tr;

/// A number as typed: ASCII or Arabic-Indic digits, `.` or the Arabic decimal separator.
pub(in crate::web) fn parse_number(s: &str) -> Option<f64> {
    let ascii = hawkari_core::time::ascii_digits(s.trim());
    let text: String = ascii
        .chars()
        .filter(|c| *c != '\u{066C}')
        .map(|c| match c {
            '\u{066B}' | ',' => '.',
            '\u{2212}' => '-',
            c => c,
        })
        .collect();
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as precisely as known (`2025`, `2025-05`, `2025-05-21`), any digits; the
/// problem in the reader's language.
pub(in crate::web) fn parse_partial(tr: Tr, s: &str) -> Result<String, String> {
    hawkari_core::time::PartialDate::parse(s.trim())
        .map(|d| d.to_string())
        .map_err(|_| tr.t("form-error-date"))
}

/// Names in the three scripts and other spellings (one a line) from the form's
/// `name_en`, `name_ar`, `name_ckb` and `aliases`, with the problem at `name_en` when
/// none of the three is given.
pub(in crate::web) fn names_json(
    tr: Tr,
    f: &Fields,
    errors: &mut FieldErrors,
) -> serde_json::Value {
    let (en, ar, ckb) = (f.get("name_en"), f.get("name_ar"), f.get("name_ckb"));
    if en.is_none() && ar.is_none() && ckb.is_none() {
        errors.add("name_en", tr.t("form-error-name-needed"));
    }
    let aliases: Vec<String> = f
        .get("aliases")
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    serde_json::json!({"en": en, "ar": ar, "ckb": ckb, "aliases": aliases})
}

/// The name the form's fields hold, in the reader's script where given (for headings).
pub(in crate::web) fn form_name(tr: Tr, f: &Fields) -> String {
    let order: [&str; 3] = match tr.locale {
        crate::web::i18n::Locale::En => ["name_en", "name_ar", "name_ckb"],
        crate::web::i18n::Locale::Ar => ["name_ar", "name_ckb", "name_en"],
        crate::web::i18n::Locale::Ckb => ["name_ckb", "name_ar", "name_en"],
    };
    order
        .iter()
        .find_map(|k| f.get(k))
        .unwrap_or_default()
        .to_owned()
}

/// Puts a record's names into the form's fields.
pub(in crate::web) fn names_values(v: &mut Fields, names: &hawkari_core::values::Names) {
    let s = |n: &Option<hawkari_core::values::Name>| n.as_ref().map(ToString::to_string);
    v.set("name_en", s(&names.en).unwrap_or_default());
    v.set("name_ar", s(&names.ar).unwrap_or_default());
    v.set("name_ckb", s(&names.ckb).unwrap_or_default());
    v.set(
        "aliases",
        names
            .aliases
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// Sources from the form's rows (`src1_publisher`, `src1_title`, `src1_date`,
/// `src1_reference`, `src1_url`), skipping empty rows, with problems at their fields.
pub(in crate::web) fn sources_json(
    tr: Tr,
    f: &Fields,
    errors: &mut FieldErrors,
) -> serde_json::Value {
    let mut out = Vec::new();
    for n in 1..=rows_of(f, "src") {
        let get = |field: &str| f.get(&format!("src{n}_{field}"));
        let (publisher, title, date, reference, url) = (
            get("publisher"),
            get("title"),
            get("date"),
            get("reference"),
            get("url"),
        );
        if [publisher, title, date, reference, url]
            .iter()
            .all(Option::is_none)
        {
            continue;
        }
        if publisher.is_none() {
            errors.add(format!("src{n}_publisher"), tr.t("form-error-required"));
        }
        if title.is_none() {
            errors.add(format!("src{n}_title"), tr.t("form-error-required"));
        }
        let date = match date.map(|d| parse_partial(tr, d)) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                errors.add(format!("src{n}_date"), m);
                None
            }
            None => None,
        };
        if let Some(u) = url
            && hawkari_core::values::Url::try_from(u.to_owned()).is_err()
        {
            errors.add(format!("src{n}_url"), tr.t("form-error-url"));
        }
        out.push(
            serde_json::json!({"publisher": publisher, "title": title, "date": date,
            "reference": reference, "url": url}),
        );
    }
    serde_json::Value::Array(out)
}

/// Puts a record's sources into the form's rows.
pub(in crate::web) fn sources_values(v: &mut Fields, sources: &[hawkari_core::values::Source]) {
    for (i, s) in sources.iter().enumerate() {
        let n = i + 1;
        v.set(&format!("src{n}_publisher"), s.publisher.to_string());
        v.set(&format!("src{n}_title"), s.title.to_string());
        if let Some(d) = &s.date {
            v.set(&format!("src{n}_date"), d.to_string());
        }
        if let Some(r) = &s.reference {
            v.set(&format!("src{n}_reference"), r.to_string());
        }
        if let Some(u) = &s.url {
            v.set(&format!("src{n}_url"), u.as_str());
        }
    }
}

/// A whole number from a form field, in Latin or Arabic-Indic digits (`٣` = 3); `None`
/// for an empty field; a problem in the reader's language at the field otherwise.
pub(in crate::web) fn number(
    f: &Fields,
    key: &str,
    tr: Tr,
    errors: &mut FieldErrors,
) -> Option<u32> {
    let v = f.get(key)?;
    match hawkari_core::time::ascii_digits(v).trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(key, tr.t1("form-not-a-number", "value", v));
            None
        }
    }
}

/// A decimal number (degrees) from a form field, in Latin or Arabic-Indic digits, with
/// `.` or the Arabic decimal separator `٫` (see [`parse_number`]).
pub(in crate::web) fn decimal(
    f: &Fields,
    key: &str,
    tr: Tr,
    errors: &mut FieldErrors,
) -> Option<f64> {
    let v = f.get(key)?;
    let n = parse_number(v);
    if n.is_none() {
        errors.add(key, tr.t1("form-not-a-decimal", "value", v));
    }
    n
}
