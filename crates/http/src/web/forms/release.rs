//! Who may read a record, in words and as choices: the release groups offered, the
//! organisations to choose from, the check before a save that changes who may read a
//! record (see the module above), and the choices an edit form keeps as stored.

use hawkari_app::App;

use super::Fields;
use crate::web::i18n::Tr;
use crate::web::rows::Lookup;
use crate::web::{PageCtx, WebError};

/// Who may read a record, in words: its owner, the organisations it is released to and
/// the groups (with what each means).
pub(in crate::web) fn visible_to(
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
pub(in crate::web) fn group_options(tr: Tr) -> Vec<(String, String)> {
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
pub(in crate::web) async fn unconfirmed_release_change<D: hawkari_core::record::RecordData>(
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
pub(in crate::web) fn without_nulls(mut v: serde_json::Value) -> serde_json::Value {
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

/// Lists the form shows as choices (topics, releases, reporting lines) come back in the
/// choices' order: the stored order is kept, with what was added after it.
pub(in crate::web) fn merge_choices(
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

/// Puts a record's owner, release and version into the form's fields.
pub(in crate::web) fn release_values<D: hawkari_core::record::RecordData>(
    v: &mut Fields,
    data: &D,
    version: i64,
) {
    v.set("version", version.to_string());
    v.set("owner", data.owner_org_id().to_string());
    for o in data.releasable_to() {
        v.push("release_to", o.to_string());
    }
    for g in data.release_groups() {
        v.push("release_group", g.as_str());
    }
}

/// The organisations a user may choose among (id, name), sorted by name.
pub(in crate::web) async fn org_choices(
    app: &App,
    page: &PageCtx,
) -> Result<Vec<(String, String)>, WebError> {
    let tr = page.tr;
    Ok(app
        .list_organisations(
            &page.principal,
            &hawkari_store::OrganisationFilter::default(),
            &hawkari_store::PageRequest::first(500),
        )
        .await?
        .items
        .iter()
        .map(|x| (x.id.to_string(), tr.name(&x.data.names).to_owned()))
        .collect())
}

/// Adds to `choices` every value the record holds that the reader cannot choose (a body
/// no longer released to them): shown by its id, so that saving the form keeps it.
pub(in crate::web) fn keep_choices(choices: &mut Vec<(String, String)>, values: Vec<String>) {
    for v in values {
        if !choices.iter().any(|(id, _)| *id == v) {
            choices.push((v.clone(), v));
        }
    }
}

/// The name of a choice, or the value itself.
pub(in crate::web) fn choice_name(choices: &[(String, String)], value: &str) -> String {
    choices
        .iter()
        .find(|(id, _)| id == value)
        .map_or_else(|| value.to_owned(), |(_, n)| n.clone())
}
