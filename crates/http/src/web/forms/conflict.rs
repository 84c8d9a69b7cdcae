//! Someone saved the record while this user edited it: their version beside the one
//! posted, field by field, so that the user merges and saves again knowingly.

use super::Fields;
use crate::web::i18n::Tr;

/// Another user saved the record while this one edited it: what they saved (theirs)
/// beside what was posted (yours), field by field where the two differ. The form is
/// shown again with yours, at their version, so that saving it again (after taking what
/// should stay of theirs) replaces their version knowingly.
#[derive(Debug, Clone)]
pub(in crate::web) struct Conflict {
    /// Who saved it, and when, in words.
    pub(in crate::web) who: String,
    /// (field label, theirs, yours)
    pub(in crate::web) rows: Vec<(String, String, String)>,
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
    pub(in crate::web) fn between(
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
pub(in crate::web) fn conflict_rows(
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

/// Who saved the stored record last, and when, in words.
pub(in crate::web) fn saved_by(tr: Tr, meta: &hawkari_core::meta::Meta) -> String {
    tr.t2(
        "form-conflict-who",
        &("user", meta.updated_by.as_str()),
        &("date", &tr.date(meta.updated_at.date_naive())),
    )
}
