//! What the list pages share — incidents, people, organisations, engagements: filters
//! kept in a query string (for the next page, the exports and saved views), the order
//! chosen from those the list has, how many match, and a page at a time.

use hawkari_store::Cursor;

use super::i18n::Tr;

/// Rows a list page shows at a time.
pub(super) const PAGE: u32 = 50;

/// Most a list counts: beyond it the page says "more than" (a count costs at most this
/// many keys read).
pub(super) const COUNT_MOST: u64 = 10_000;

/// A filter's value as sent, trimmed ("" when absent).
pub(super) fn value(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or("")
}

/// A list's date filter (`from`, `to`: `2025`, `2025-05`, `2025-05-21`, any digits): the
/// first instant it names, or with `last` the last; `None` when empty or not a date,
/// the problem (naming the filter's label `field`) added to `errors`.
pub(super) fn date_bound(
    tr: &Tr,
    field: &str,
    v: &Option<String>,
    last: bool,
    errors: &mut Vec<String>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let v = value(v);
    if v.is_empty() {
        return None;
    }
    match hawkari_core::time::EventTime::parse(v, None) {
        Ok(t) => Some(if last { t.end() } else { t.start() }),
        Err(_) => {
            errors.push(tr.t1("board-bad-date", "field", &tr.t(field)));
            None
        }
    }
}

/// The query string of the filters that have a value, in the order given.
pub(super) fn query_string(pairs: &[(&str, &Option<String>)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        let v = value(v);
        if !v.is_empty() {
            q.append_pair(k, v);
        }
    }
    q.finish()
}

/// `path?filters` (or `path` without filters): the exports' links.
pub(super) fn with_query(path: &str, filters: &str) -> String {
    if filters.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{filters}")
    }
}

/// The link to the page after this one, with the same filters.
pub(super) fn next_link(path: &str, filters: &str, next: Option<Cursor>) -> Option<String> {
    next.map(|c| {
        let sep = if filters.is_empty() { "" } else { "&" };
        format!("{path}?{filters}{sep}cursor={}", c.encode())
    })
}

/// The cursor a page was asked for, if it is one.
pub(super) fn cursor(v: &Option<String>) -> Option<Cursor> {
    v.as_deref().and_then(Cursor::decode)
}

/// "60 match · 50 on this page", in the reader's language and digits.
pub(super) fn count_line(tr: &Tr, total: u64, shown: usize) -> String {
    let total = if total >= COUNT_MOST {
        tr.count("list-count-more", COUNT_MOST as usize)
    } else {
        tr.count("list-count", total as usize)
    };
    format!("{total} · {}", tr.count("list-page", shown))
}

/// An order a list offers: its code in the query string and its label.
pub(super) struct SortChoice {
    pub code: &'static str,
    pub label: String,
}

/// The orders by name (people, organisations).
pub(super) const BY_NAME: [&str; 2] = ["name", "name_desc"];
/// The orders by date (engagements).
pub(super) const BY_DATE: [&str; 2] = ["newest", "oldest"];
/// The orders of incidents.
pub(super) const INCIDENT_ORDERS: [&str; 3] = ["newest", "oldest", "killed"];

/// The choices of a list's order select, labelled in the reader's language.
pub(super) fn sort_choices(tr: &Tr, codes: &[&'static str]) -> Vec<SortChoice> {
    codes
        .iter()
        .map(|c| SortChoice {
            code: c,
            label: tr.t(&format!("list-sort-{c}")),
        })
        .collect()
}

/// The index of the order asked for among `codes` (the first when none is), or a
/// problem said in the reader's language.
pub(super) fn sort_of(
    tr: &Tr,
    codes: &[&'static str],
    v: &Option<String>,
    errors: &mut Vec<String>,
) -> usize {
    let v = value(v);
    if v.is_empty() {
        return 0;
    }
    match codes.iter().position(|c| *c == v) {
        Some(i) => i,
        None => {
            errors.push(tr.t1("board-bad-value", "field", &tr.t("list-sort")));
            0
        }
    }
}

/// Natural or reversed, from an index into [`BY_NAME`] or [`BY_DATE`].
pub(super) fn natural_or_reversed(i: usize) -> hawkari_store::Sort {
    if i == 0 {
        hawkari_store::Sort::Natural
    } else {
        hawkari_store::Sort::Reversed
    }
}
