//! The admin unit and place names of an import's rows, as the source spells them, looked
//! up in the gazetteer (admin unit columns among its units; a place name column among its
//! named places — towns, airports, air bases — and its units): each spelling it does not
//! know is reported once, with the number of rows that use it and the first of them — not
//! once per row. A spelling is looked up once however many rows repeat it.

use std::collections::HashMap;

use serde::Serialize;

/// A value the gazetteer does not know, and how many rows hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unmatched {
    pub column: String,
    pub value: String,
    /// Rows holding it.
    pub rows: u64,
    /// The first of them (a line, or a GeoJSON feature's number).
    pub first_line: u64,
}

/// The spellings seen so far.
#[derive(Debug, Default)]
pub(crate) struct Spellings {
    /// (is a place name, spelling) → whether the gazetteer knows it.
    known: HashMap<(bool, String), bool>,
    /// (column, spelling) → (rows, first line) of those it does not know.
    unmatched: HashMap<(String, String), (u64, u64)>,
}

/// At most this many distinct spellings are remembered (memory stays bounded on a file
/// of free text wrongly mapped as a governorate).
const MAX_SPELLINGS: usize = 10_000;

impl Spellings {
    /// Looks up the names of the row at `line`: `units` in admin unit columns, `places`
    /// in place name columns (column, value).
    pub(crate) fn see(
        &mut self,
        line: u64,
        units: Vec<(String, String)>,
        places: Vec<(String, String)>,
    ) {
        let named = units
            .into_iter()
            .map(|n| (false, n))
            .chain(places.into_iter().map(|n| (true, n)));
        for (place, (column, value)) in named {
            let key = (place, value);
            let known = match self.known.get(&key) {
                Some(k) => *k,
                None => {
                    let g = crate::geography::gazetteer();
                    let k = !g.find(&key.1).is_empty()
                        || (place && !g.places().find(&key.1).is_empty());
                    if self.known.len() < MAX_SPELLINGS {
                        self.known.insert(key.clone(), k);
                    }
                    k
                }
            };
            if !known {
                let key = (column, key.1);
                if let Some(e) = self.unmatched.get_mut(&key) {
                    e.0 += 1;
                } else if self.unmatched.len() < MAX_SPELLINGS {
                    self.unmatched.insert(key, (1, line));
                }
            }
        }
    }

    /// The spellings not found, most rows first.
    pub(crate) fn unmatched(&self) -> Vec<Unmatched> {
        let mut out: Vec<Unmatched> = self
            .unmatched
            .iter()
            .map(|((column, value), (rows, first_line))| Unmatched {
                column: column.clone(),
                value: value.clone(),
                rows: *rows,
                first_line: *first_line,
            })
            .collect();
        out.sort_by(|a, b| {
            b.rows
                .cmp(&a.rows)
                .then_with(|| a.first_line.cmp(&b.first_line))
        });
        out
    }
}
