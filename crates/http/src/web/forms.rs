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
