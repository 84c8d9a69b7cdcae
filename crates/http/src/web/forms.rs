//! What every form shares: the posted fields (names that repeat keep all their values),
//! who may read a record in words, the release groups offered, and JSON without nulls.

use super::i18n::Tr;

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
