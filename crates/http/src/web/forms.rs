//! What every form shares: the posted fields (names that repeat keep all their values),
//! who may read a record in words, the release groups offered, the check before a save
//! that changes who may read a record, and JSON without nulls.
//!
//! How an edit form keeps what it does not show (see `engagements/form.rs`): it renders
//! every value the record holds among its choices (even one the reader cannot see), the
//! handler starts from the stored record as JSON and replaces only the fields the form
//! shows (lists in their stored order), writes nothing when the result equals the stored
//! content, and asks [`unconfirmed_release_change`] before saving. The templates use the
//! `release_fieldset` and `release_warning` macros; `tests/api/web_forms.rs` posts forms
//! back as a browser does (`form_fields`).

use hawkari_app::App;

use super::i18n::Tr;
use super::rows::Lookup;
use super::{PageCtx, WebError};

/// A form's fields as posted: every (name, value) pair in order, so that names that
/// repeat (multiple selections, checkboxes) keep all their values.
#[derive(Debug, Clone, Default)]
pub(super) struct Fields(pub(super) Vec<(String, String)>);

impl Fields {
    /// The last non-empty value of `key`, trimmed.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }
    /// Every non-empty value of `key`, in order, each once.
    pub(super) fn all(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, v) in &self.0 {
            let v = v.trim();
            if k == key && !v.is_empty() && !out.iter().any(|o| o == v) {
                out.push(v.to_owned());
            }
        }
        out
    }
    pub(super) fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_owned(), value.into()));
    }
    pub(super) fn push(&mut self, key: &str, value: impl Into<String>) {
        self.0.push((key.to_owned(), value.into()));
    }
    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// Who may read a record, in words: its owner, the organisations it is released to and
/// the groups (with what each means).
pub(super) fn visible_to(
    tr: Tr,
    owner: &str,
    orgs: &[String],
    groups: &[String],
    names: &[(String, String)],
) -> Vec<String> {
    let name = |id: &str| {
        names
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let mut out = vec![tr.t1("form-visible-owner", "org", &name(owner))];
    out.extend(
        orgs.iter()
            .filter(|o| *o != owner)
            .map(|o| tr.t1("form-visible-org", "org", &name(o))),
    );
    out.extend(groups.iter().map(|g| tr.t(&format!("release-group-{g}"))));
    out
}

/// The release groups a form offers, with their labels.
pub(super) fn group_options(tr: Tr) -> Vec<(String, String)> {
    hawkari_core::access::ReleaseGroup::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), tr.t(&format!("release-group-{g}"))))
        .collect()
}

/// A release as one canonical text: what a user confirms when a save changes it.
fn release_key(orgs: &[String], groups: &[String]) -> String {
    let mut o = orgs.to_vec();
    let mut g = groups.to_vec();
    o.sort();
    g.sort();
    format!("{}|{}", o.join(","), g.join(","))
}

/// The strings of a JSON array (empty for anything else).
fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// When saving `form` (the record's new content as JSON) over `stored` would change who
/// may read the record and the posted fields did not confirm exactly that change: the
/// change in words (who would lose and who would gain access) and the release to
/// confirm (the form's `release_confirmed`). `None` when the release is unchanged or
/// confirmed. Every edit form asks this before it saves.
pub(super) async fn unconfirmed_release_change<D: hawkari_core::record::RecordData>(
    app: &App,
    page: &PageCtx,
    stored: &D,
    form: &serde_json::Value,
    f: &Fields,
) -> Result<Option<(Vec<String>, String)>, WebError> {
    let old_orgs: Vec<String> = stored
        .releasable_to()
        .iter()
        .map(ToString::to_string)
        .collect();
    let old_groups: Vec<String> = stored
        .release_groups()
        .iter()
        .map(|g| g.as_str().to_owned())
        .collect();
    let new_orgs = strings(&form["releasable_to"]);
    let new_groups = strings(&form["release_groups"]);
    let after = release_key(&new_orgs, &new_groups);
    if release_key(&old_orgs, &old_groups) == after
        || f.get("release_confirmed") == Some(after.as_str())
    {
        return Ok(None);
    }
    let tr = page.tr;
    let mut look = Lookup::new(page, app);
    let group = |g: &str| tr.t(&format!("release-group-{g}"));
    let mut out = Vec::new();
    for o in old_orgs.iter().filter(|o| !new_orgs.contains(o)) {
        out.push(tr.t1("form-release-loses", "who", &look.org(o).await));
    }
    for g in old_groups.iter().filter(|g| !new_groups.contains(g)) {
        out.push(tr.t1("form-release-loses", "who", &group(g)));
    }
    for o in new_orgs.iter().filter(|o| !old_orgs.contains(o)) {
        out.push(tr.t1("form-release-gains", "who", &look.org(o).await));
    }
    for g in new_groups.iter().filter(|g| !old_groups.contains(g)) {
        out.push(tr.t1("form-release-gains", "who", &group(g)));
    }
    Ok(Some((out, after)))
}

/// Drops null fields so that optional fields are absent, as the API expects.
pub(super) fn without_nulls(mut v: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(m) = &mut v {
        m.retain(|_, x| !x.is_null());
        for x in m.values_mut() {
            *x = without_nulls(x.take());
        }
    } else if let serde_json::Value::Array(a) = &mut v {
        for x in a.iter_mut() {
            *x = without_nulls(x.take());
        }
    }
    v
}

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

/// Lists a form offers as choices come back in the choices' order: the stored order is
/// kept, with what was added after it.
pub(super) fn keep_order(
    stored: &serde_json::Value,
    chosen: &serde_json::Value,
) -> serde_json::Value {
    let chosen = chosen.as_array().cloned().unwrap_or_default();
    let mut list: Vec<serde_json::Value> = stored
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|v| chosen.contains(v))
        .collect();
    for v in chosen {
        if !list.contains(&v) {
            list.push(v);
        }
    }
    serde_json::Value::Array(list)
}

/// Someone saved the record after the form was opened: what they saved, beside what the
/// form holds, so that the user can merge the two and save again (the form then carries
/// the version now stored).
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
                "form-conflict",
                &("who", meta.updated_by.as_str()),
                &("when", &tr.date(meta.updated_at.date_naive())),
            ),
            rows,
        }
    }
}

#[derive(askama::Template)]
#[template(path = "delete.html")]
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
