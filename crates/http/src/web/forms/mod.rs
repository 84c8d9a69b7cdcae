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
use super::{PageCtx, WebError};

mod conflict;
mod release;
mod values;

pub(in crate::web) use conflict::*;
pub(in crate::web) use release::*;
pub(in crate::web) use values::*;

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

/// Problems with a form, each at the field it belongs to (a form field's name; `""` for
/// the form as a whole), in the reader's language where the message is Hawkari's own.
/// Every form shows each problem under its field (`aria-describedby` names it) and all
/// of them listed above the form, each linking to its field.
#[derive(Debug, Clone, Default)]
pub(super) struct FieldErrors(pub(super) Vec<(String, String)>);

impl FieldErrors {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        let message = message.into();
        if !self.0.iter().any(|(f, m)| *f == field && *m == message) {
            self.0.push((field, message));
        }
    }
    /// The first problem at `field`.
    pub(super) fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
    /// Every problem at `field`.
    pub(super) fn at(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }
    /// Whether form field `field` has a problem (for `aria-invalid`).
    pub(super) fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }
    /// ` aria-invalid="true" aria-describedby="{field}-error"` for a field with a
    /// problem (field names are Hawkari's own: letters, digits and `_`).
    pub(super) fn aria(&self, field: &str) -> String {
        if self.has(field) {
            format!(" aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many problems there are (to tell whether a step added any).
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
    /// The problems at a field: (field, message).
    pub(super) fn listed(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .filter(|(f, _)| !f.is_empty())
            .map(|(f, m)| (f.as_str(), m.as_str()))
            .collect()
    }
    /// The problems with the form as a whole.
    pub(super) fn general(&self) -> Vec<&str> {
        self.at("")
    }
    /// The record's own rules' problems (fields named by the API's paths, such as
    /// `casualties[1].killed`), each at the form field `place` gives for its path, or
    /// above the form (with the path) where no field shows it.
    pub(super) fn record(
        &mut self,
        tr: Tr,
        e: hawkari_core::ValidationError,
        place: impl Fn(&str) -> Option<String>,
    ) {
        for e in e.errors {
            let message = tr.problem(&e.message);
            match place(&e.field) {
                Some(field) => self.add(field, message),
                None => self.add("", format!("{}: {message}", e.field)),
            }
        }
    }
}

/// What a form page holds: the values (the record's, or what was posted), the problems
/// at their fields, who may read the record as the form stands, and — when a save was
/// stopped — the change of release to confirm or the other user's version to merge.
#[derive(Debug, Clone, Default)]
pub(super) struct FormState {
    pub(super) f: Fields,
    pub(super) errors: FieldErrors,
    pub(super) visible: Vec<String>,
    pub(super) release_change: Option<(Vec<String>, String)>,
    pub(super) conflict: Option<Conflict>,
    /// The problems as listed above the form: (field, "label: problem").
    pub(super) summary: Vec<(String, String)>,
}

impl FormState {
    pub(super) fn new(f: Fields) -> Self {
        Self {
            f,
            ..Default::default()
        }
    }
    pub(super) fn v(&self, key: &str) -> &str {
        self.f.get(key).unwrap_or("")
    }
    /// The value of field `field` of row `n` of a repeated group (`pos2_title`).
    pub(super) fn vn(&self, prefix: &str, n: &usize, field: &str) -> &str {
        self.v(&format!("{prefix}{n}_{field}"))
    }
    pub(super) fn sel(&self, key: &str, value: &str) -> bool {
        self.v(key) == value
    }
    pub(super) fn seln(&self, prefix: &str, n: &usize, field: &str, value: &str) -> bool {
        self.vn(prefix, n, field) == value
    }
    /// Whether `value` is among the values of a multiple field.
    pub(super) fn has(&self, key: &str, value: &str) -> bool {
        self.f.all(key).iter().any(|v| v == value)
    }
    /// The name of field `field` of row `n` of a repeated group.
    pub(super) fn n(&self, prefix: &str, n: &usize, field: &str) -> String {
        format!("{prefix}{n}_{field}")
    }
    /// The problem with field `key`, or nothing.
    pub(super) fn err(&self, key: impl AsRef<str>) -> &str {
        self.errors.get(key.as_ref()).unwrap_or("")
    }
    /// The attributes that tie a field to its problem, if it has one (field names are
    /// Hawkari's own: letters, digits and `_`).
    pub(super) fn aria(&self, key: impl AsRef<str>) -> String {
        self.errors.aria(key.as_ref())
    }
    /// The value of field `{p}_{field}` (a row of a nested group: `ind2o3_value`).
    pub(super) fn val(&self, p: impl AsRef<str>, field: &str) -> &str {
        self.v(&format!("{}_{field}", p.as_ref()))
    }
    /// The name of field `{p}_{field}`.
    pub(super) fn nm(&self, p: impl AsRef<str>, field: &str) -> String {
        format!("{}_{field}", p.as_ref())
    }
    /// Whether field `{p}_{field}` holds `value` (a select's option, one of several).
    pub(super) fn is(&self, p: impl AsRef<str>, field: &str, value: &str) -> bool {
        self.has(&self.nm(p, field), value)
    }
    /// Lists the problems above the form, each with its field's label.
    pub(super) fn summarise(&mut self, label: impl Fn(&str) -> Option<String>) {
        self.summary = self
            .errors
            .0
            .iter()
            .map(|(field, message)| match label(field) {
                Some(l) => (field.clone(), format!("{l}: {message}")),
                None => (field.clone(), message.clone()),
            })
            .collect();
    }
}

/// The number of rows of a repeated group in the fields: `src3_title` under prefix
/// `src` is at least 3; `{prefix}_rows` (the rows the form showed) counts too. Never
/// more than the fields posted: a form the server rendered numbers its rows from 1
/// without gaps, so no row of it is lost, while a forged `src999999_title` cannot make
/// a form read a million empty rows.
pub(super) fn rows_of(f: &Fields, prefix: &str) -> usize {
    let most = f.0.len();
    let shown = f
        .get(&format!("{prefix}_rows"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0)
        .min(most);
    f.keys()
        .filter_map(|k| {
            let rest = k.strip_prefix(prefix)?;
            let (n, _) = rest.split_once('_')?;
            n.parse::<usize>().ok()
        })
        .filter(|n| *n <= most)
        .chain([shown])
        .max()
        .unwrap_or(0)
}

/// The rows a repeated group shows: every row the fields hold and one empty row more,
/// or two more when the user asked for another (`add_row` = the group's prefix).
pub(super) fn shown_rows(f: &Fields, prefix: &str, at_least: usize) -> Vec<usize> {
    let mut n = rows_of(f, prefix);
    // The last row is the empty one when it holds nothing.
    let empty = |i: usize| {
        f.keys()
            .filter(|k| k.starts_with(&format!("{prefix}{i}_")))
            .all(|k| f.get(k).is_none())
    };
    if n == 0 || !empty(n) {
        n += 1;
    }
    if f.get("add_row") == Some(prefix) {
        n += 1;
    }
    (1..=n.max(at_least)).collect()
}

/// The form field a problem the API names belongs to (`positions[1].to` → `pos2_to`):
/// `rows` maps a list field to its rows' prefix, `plain` a field to its form field.
pub(super) fn form_field(path: &str, rows: &[(&str, &str)], plain: &[(&str, &str)]) -> String {
    let path = path.trim_start_matches('.');
    for (list, prefix) in rows {
        if let Some(rest) = path.strip_prefix(&format!("{list}["))
            && let Some((i, tail)) = rest.split_once(']')
            && let Ok(i) = i.parse::<usize>()
        {
            let field = tail.trim_start_matches('.');
            let field = field.split(['.', '[']).next().unwrap_or("");
            let field = match field {
                "organisation_id" => "org",
                f => f,
            };
            return format!("{prefix}{}_{field}", i + 1);
        }
    }
    let head = path.split(['[', '.']).next().unwrap_or(path);
    for (api, form) in plain {
        if path == *api || head == *api {
            return (*form).to_owned();
        }
    }
    match head {
        "names" => match path.strip_prefix("names.") {
            Some(s) if s.starts_with("aliases") => "aliases".into(),
            Some(s) => format!("name_{s}"),
            None => "name_en".into(),
        },
        "releasable_to" => "release_to".into(),
        "release_groups" => "release_group".into(),
        _ => String::new(),
    }
}

/// Adds the problems of a failed save to `errors`, each at its form field (see
/// [`form_field`]); `Ok(true)` when the save failed on someone else's newer version.
pub(super) fn save_problems(
    tr: Tr,
    e: hawkari_app::AppError,
    errors: &mut FieldErrors,
    rows: &[(&str, &str)],
    plain: &[(&str, &str)],
) -> Result<bool, WebError> {
    use hawkari_app::AppError;
    match e {
        AppError::Invalid(v) => {
            json_problems(tr, v, errors, rows, plain);
            Ok(false)
        }
        AppError::VersionConflict { .. } => Ok(true),
        AppError::Forbidden(m) => {
            errors.add("", format!("{} ({m})", tr.t("error-forbidden")));
            Ok(false)
        }
        AppError::Conflict(m) => {
            errors.add("", m);
            Ok(false)
        }
        other => Err(other.into()),
    }
}

/// The problems of JSON that does not make a record, each at its form field.
pub(super) fn json_problems(
    tr: Tr,
    v: hawkari_core::ValidationError,
    errors: &mut FieldErrors,
    rows: &[(&str, &str)],
    plain: &[(&str, &str)],
) {
    for fe in v.errors {
        errors.add(form_field(&fe.field, rows, plain), tr.problem(&fe.message));
    }
}

/// Whether the reader may do `action` to a record with this owner and release.
pub(super) fn may<D: hawkari_core::record::RecordData>(
    app: &App,
    page: &PageCtx,
    action: hawkari_app::Action,
    data: &D,
) -> bool {
    page.principal.may_write()
        && app.authorizer().allows(
            &page.principal,
            action,
            hawkari_app::authz::Releasability::of(data),
        )
}

/// Whether the reader may create a record of `kind` owned by their own organisation.
pub(super) fn may_create(app: &App, page: &PageCtx, kind: hawkari_core::record::Kind) -> bool {
    app.authorizer().allows(
        &page.principal,
        hawkari_app::Action::Create,
        hawkari_app::authz::Releasability {
            kind,
            owner: &page.user.organisation_id,
            releasable_to: &[],
            groups: &[],
        },
    )
}

/// The index and the rest of an API path into a list: `actors[2].name` under `actors`
/// is `(2, ".name")`.
pub(super) fn list_index<'a>(path: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (n, rest) = rest.split_once(']')?;
    Some((n.parse().ok()?, rest))
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

/// How saving an edit form over a stored record ended.
pub(super) enum Saved<R> {
    /// Saved, or the form changed nothing and nothing was written: lead on to the record.
    Done,
    /// Refused: the problems are at their fields.
    Refused,
    /// Someone saved first: their record, to show beside the form, which now carries
    /// their version so that saving again replaces it knowingly.
    Stale(R),
}

/// Saves `merged` (the stored record's data with the form's fields put in) over record
/// `id`, at the version the form carries: unchanged, nothing is written; refused, the
/// problems go to their fields (`rows` and `plain` as in [`form_field`]).
#[allow(clippy::too_many_arguments)]
pub(super) async fn save_edit<R: hawkari_app::RecordKind>(
    app: &App,
    page: &PageCtx,
    id: &str,
    current: &R::Data,
    merged: serde_json::Value,
    s: &mut FormState,
    rows: &[(&str, &str)],
    plain: &[(&str, &str)],
) -> Result<Saved<R>, WebError>
where
    R::Data: PartialEq,
{
    let version = s.f.get("version").and_then(|v| v.parse().ok());
    match hawkari_core::record::from_json_value::<R::Data>(without_nulls(merged), "") {
        Ok(data) if data == *current => Ok(Saved::Done),
        Ok(data) => match app.update::<R>(&page.principal, id, data, version).await {
            Ok(_) => Ok(Saved::Done),
            Err(e) => {
                if save_problems(page.tr, e, &mut s.errors, rows, plain)? {
                    let latest: R = app.get(&page.principal, id).await?;
                    s.f.set("version", latest.meta().version.to_string());
                    Ok(Saved::Stale(latest))
                } else {
                    Ok(Saved::Refused)
                }
            }
        },
        Err(v) => {
            json_problems(page.tr, v, &mut s.errors, rows, plain);
            Ok(Saved::Refused)
        }
    }
}
