//! The form machinery the incident and area forms use: problems at each field
//! (`FormErrors`), numbers in any digits, repeated row groups, the version-conflict
//! comparison and the delete page. (The registry forms' machinery, in `forms.rs`, does
//! the same with other types; the two are to be made one.)

use super::PageCtx;
use super::forms::Fields;
pub(super) use super::forms::merge_choices as keep_order;
use super::i18n::Tr;

/// A refused form's problems, each at the field it concerns (`errors.at("lat")`) and all
/// listed above the form (each linking to its field); problems no field of the form shows
/// are listed there only.
#[derive(Debug, Clone, Default)]
pub(super) struct FormErrors {
    /// (form field name, message).
    pub(super) fields: Vec<(String, String)>,
    pub(super) general: Vec<String>,
}

impl FormErrors {
    /// ` aria-invalid="true" aria-describedby="{field}-error"` for a field with a problem.
    pub(super) fn aria(&self, field: &str) -> String {
        if self.has(field) {
            format!(" aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }
    pub(super) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push((field.to_owned(), message.into()));
    }
    pub(super) fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }
    /// The messages at form field `field`.
    pub(super) fn at(&self, field: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }
    /// Whether form field `field` has a problem (for `aria-invalid`).
    pub(super) fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }
    /// The record's own rules' problems (fields named by the API's paths, such as
    /// `casualties[1].killed`), each at the form field `place` gives for its path, or
    /// above the form where no field shows it.
    pub(super) fn record(
        &mut self,
        e: hawkari_core::ValidationError,
        place: impl Fn(&str) -> Option<String>,
    ) {
        for e in e.errors {
            match place(&e.field) {
                Some(field) => self.add(&field, e.message),
                None => self.general.push(format!("{}: {}", e.field, e.message)),
            }
        }
    }
}

/// The index and the rest of an API path into a list: `actors[2].name` under `actors`
/// is `(2, ".name")`.
pub(super) fn list_index<'a>(path: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (n, rest) = rest.split_once(']')?;
    Some((n.parse().ok()?, rest))
}

/// A whole number from a form field, in Latin or Arabic-Indic digits (`٣` = 3); `None`
/// for an empty field; a problem in the reader's language at the field otherwise.
pub(super) fn number(f: &Fields, key: &str, tr: Tr, errors: &mut FormErrors) -> Option<u32> {
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
/// `.` or the Arabic decimal separator `٫`.
pub(super) fn decimal(f: &Fields, key: &str, tr: Tr, errors: &mut FormErrors) -> Option<f64> {
    let v = f.get(key)?;
    let ascii = hawkari_core::time::ascii_digits(v).replace(['\u{066B}', ','], ".");
    match ascii.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.add(key, tr.t1("form-not-a-decimal", "value", v));
            None
        }
    }
}

/// The number of rows of a repeated group in the fields: `a3_name` under prefix `a` is
/// at least 3; `{prefix}_rows` (the rows the form showed) counts too.
pub(super) fn rows_of(f: &Fields, prefix: &str) -> usize {
    let shown = f
        .get(&format!("{prefix}_rows"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0)
        .min(200);
    f.keys()
        .filter_map(|k| {
            let rest = k.strip_prefix(prefix)?;
            let (n, _) = rest.split_once('_')?;
            n.parse::<usize>().ok()
        })
        .filter(|n| *n <= 200)
        .chain([shown])
        .max()
        .unwrap_or(0)
}

#[derive(Debug, Clone)]
pub(super) struct Conflict {
    /// Who saved, when, and that saving again replaces their version.
    pub(super) heading: String,
    /// Each field where the two differ: its label, the stored value, the form's value.
    pub(super) rows: Vec<(String, String, String)>,
}

/// Fields that are the form's machinery, not the record's content.
const MACHINERY: [&str; 7] = [
    "csrf_token",
    "version",
    "release_confirmed",
    "owner",
    "add",
    "find_place",
    "pick_place",
];

impl Conflict {
    /// The fields of the stored record (`theirs`, as the edit form would show it) that
    /// differ from those posted (`mine`), labelled by `label` (keys it gives no label
    /// are the form's rows' counters and are left out).
    pub(super) fn new(
        tr: Tr,
        meta: &hawkari_core::meta::Meta,
        theirs: &Fields,
        mine: &Fields,
        label: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let mut keys: Vec<&str> = Vec::new();
        for k in theirs.keys().chain(mine.keys()) {
            if !keys.contains(&k) && !MACHINERY.contains(&k) {
                keys.push(k);
            }
        }
        let rows = keys
            .into_iter()
            .filter_map(|k| {
                let (a, b) = (theirs.all(k).join(", "), mine.all(k).join(", "));
                // A long value (a drawn shape's GeoJSON) is shown by its start.
                let cut = |s: String| match s.char_indices().nth(300) {
                    Some((i, _)) => format!("{}…", &s[..i]),
                    None => s,
                };
                let (a, b) = if a == b { (a, b) } else { (cut(a), cut(b)) };
                (a != b).then(|| label(k).map(|l| (l, a, b))).flatten()
            })
            .collect();
        Conflict {
            heading: tr.t2(
                "geo-conflict",
                &("who", meta.updated_by.as_str()),
                &("when", &tr.date(meta.updated_at.date_naive())),
            ),
            rows,
        }
    }
}

#[derive(askama::Template)]
#[template(path = "delete_record.html")]
struct DeletePage {
    page: PageCtx,
    /// What is deleted, in words.
    what: String,
    /// The record's page: the form posts to `{record}/delete`, "Cancel" leads back.
    record: String,
    version: i64,
    /// Why the last try was refused (changed meanwhile, still referred to).
    refused: Option<String>,
}

/// The page that asks before a record is deleted (a form, so it works without
/// JavaScript); deleting is refused if the record changed since the page was shown.
pub(super) fn delete_page(
    page: PageCtx,
    what: String,
    record: String,
    version: i64,
    refused: Option<String>,
) -> axum::response::Response {
    super::render(&DeletePage {
        page,
        what,
        record,
        version,
        refused,
    })
}
