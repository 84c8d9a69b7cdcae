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

/// Lists the form shows as choices (topics, releases, reporting lines) come back in the
/// choices' order: the stored order is kept, with what was added after it.
pub(super) fn merge_choices(
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
        e: hawkari_core::ValidationError,
        place: impl Fn(&str) -> Option<String>,
    ) {
        for e in e.errors {
            match place(&e.field) {
                Some(field) => self.add(field, e.message),
                None => self.add("", format!("{}: {}", e.field, e.message)),
            }
        }
    }
}

/// Another user saved the record while this one edited it: what they saved (theirs)
/// beside what was posted (yours), field by field where the two differ. The form is
/// shown again with yours, at their version, so that saving it again (after taking what
/// should stay of theirs) replaces their version knowingly.
#[derive(Debug, Clone)]
pub(super) struct Conflict {
    /// Who saved it, and when, in words.
    pub(super) who: String,
    /// (field label, theirs, yours)
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
    /// The fields of the stored record (`theirs`, as the edit form would show it, last
    /// saved as `meta` says) that differ from those posted (`mine`), labelled by `label`
    /// (keys it gives no label are the form's rows' counters and are left out); a long
    /// value (a drawn shape's GeoJSON) is shown by its start.
    pub(super) fn between(
        tr: Tr,
        meta: &hawkari_core::meta::Meta,
        theirs: &Fields,
        mine: &Fields,
        label: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let cut = |_: &str, s: &str| match s.char_indices().nth(300) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s.to_owned(),
        };
        let label = |k: &str| (!MACHINERY.contains(&k)).then(|| label(k)).flatten();
        Conflict {
            who: saved_by(tr, meta),
            rows: conflict_rows(theirs, mine, label, cut),
        }
    }
}

/// The fields of a form that differ between `theirs` (the stored record's form values)
/// and `yours` (as posted): `label` names a field the form shows (`None` for hidden
/// ones, which are not compared) and `show` writes a value for the reader (an id as its
/// name).
pub(super) fn conflict_rows(
    theirs: &Fields,
    yours: &Fields,
    label: impl Fn(&str) -> Option<String>,
    show: impl Fn(&str, &str) -> String,
) -> Vec<(String, String, String)> {
    let mut keys: Vec<&str> = Vec::new();
    for k in theirs.keys().chain(yours.keys()) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut rows = Vec::new();
    for key in keys {
        let Some(label) = label(key) else { continue };
        // Browsers send a textarea's line ends as CR LF.
        let lines = |v: Vec<String>| -> Vec<String> {
            v.into_iter().map(|x| x.replace("\r\n", "\n")).collect()
        };
        let mut a = lines(theirs.all(key));
        let mut b = lines(yours.all(key));
        let text = |v: &[String]| {
            v.iter()
                .map(|x| show(key, x))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let (ta, tb) = (text(&a), text(&b));
        a.sort();
        b.sort();
        if a != b {
            rows.push((label, ta, tb));
        }
    }
    rows
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

/// A number as typed: ASCII or Arabic-Indic digits, `.` or the Arabic decimal separator.
pub(super) fn parse_number(s: &str) -> Option<f64> {
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
pub(super) fn parse_partial(tr: Tr, s: &str) -> Result<String, String> {
    hawkari_core::time::PartialDate::parse(s.trim())
        .map(|d| d.to_string())
        .map_err(|_| tr.t("form-error-date"))
}

/// Names in the three scripts and other spellings (one a line) from the form's
/// `name_en`, `name_ar`, `name_ckb` and `aliases`, with the problem at `name_en` when
/// none of the three is given.
pub(super) fn names_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
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
pub(super) fn form_name(tr: Tr, f: &Fields) -> String {
    let order: [&str; 3] = match tr.locale {
        super::i18n::Locale::En => ["name_en", "name_ar", "name_ckb"],
        super::i18n::Locale::Ar => ["name_ar", "name_ckb", "name_en"],
        super::i18n::Locale::Ckb => ["name_ckb", "name_ar", "name_en"],
    };
    order
        .iter()
        .find_map(|k| f.get(k))
        .unwrap_or_default()
        .to_owned()
}

/// Puts a record's names into the form's fields.
pub(super) fn names_values(v: &mut Fields, names: &hawkari_core::values::Names) {
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

/// The number of rows of a repeated group in the fields: `src3_title` under prefix
/// `src` is at least 3; `{prefix}_rows` (the rows the form showed) counts too; at most
/// 200, whatever is posted.
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

/// Sources from the form's rows (`src1_publisher`, `src1_title`, `src1_date`,
/// `src1_reference`, `src1_url`), skipping empty rows, with problems at their fields.
pub(super) fn sources_json(tr: Tr, f: &Fields, errors: &mut FieldErrors) -> serde_json::Value {
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
pub(super) fn sources_values(v: &mut Fields, sources: &[hawkari_core::values::Source]) {
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

/// Puts a record's owner, release and version into the form's fields.
pub(super) fn release_values<D: hawkari_core::record::RecordData>(
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
            for fe in v.errors {
                let field = form_field(&fe.field, rows, plain);
                errors.add(field, fe.message);
            }
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
    v: hawkari_core::ValidationError,
    errors: &mut FieldErrors,
    rows: &[(&str, &str)],
    plain: &[(&str, &str)],
) {
    for fe in v.errors {
        errors.add(form_field(&fe.field, rows, plain), fe.message);
    }
}

/// Who saved the stored record last, and when, in words.
pub(super) fn saved_by(tr: Tr, meta: &hawkari_core::meta::Meta) -> String {
    tr.t2(
        "form-conflict-who",
        &("user", meta.updated_by.as_str()),
        &("date", &tr.date(meta.updated_at.date_naive())),
    )
}

/// The organisations a user may choose among (id, name), sorted by name.
pub(super) async fn org_choices(
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
pub(super) fn keep_choices(choices: &mut Vec<(String, String)>, values: Vec<String>) {
    for v in values {
        if !choices.iter().any(|(id, _)| *id == v) {
            choices.push((v.clone(), v));
        }
    }
}

/// The name of a choice, or the value itself.
pub(super) fn choice_name(choices: &[(String, String)], value: &str) -> String {
    choices
        .iter()
        .find(|(id, _)| id == value)
        .map_or_else(|| value.to_owned(), |(_, n)| n.clone())
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

/// A whole number from a form field, in Latin or Arabic-Indic digits (`٣` = 3); `None`
/// for an empty field; a problem in the reader's language at the field otherwise.
pub(super) fn number(f: &Fields, key: &str, tr: Tr, errors: &mut FieldErrors) -> Option<u32> {
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
pub(super) fn decimal(f: &Fields, key: &str, tr: Tr, errors: &mut FieldErrors) -> Option<f64> {
    let v = f.get(key)?;
    let n = parse_number(v);
    if n.is_none() {
        errors.add(key, tr.t1("form-not-a-decimal", "value", v));
    }
    n
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
