//! The SQL that writes a record's main row in PostgreSQL (row shapes: `record_row.rs`).
//! Values are bound as text, as in SQLite, and cast where the column is not text; the
//! search document goes to the row's `doc` and an area's shape to its `geom`.

use hawkari_core::record::Kind;
use sqlx::{Postgres, QueryBuilder};

use super::table;
use crate::record_row::RowIn;

/// The main row's columns and values, with what PostgreSQL adds to SQLite's.
fn columns(row: &RowIn) -> Vec<(&'static str, Option<String>)> {
    let mut cols = row.columns();
    cols.push(("doc", Some(row.search.clone())));
    if row.kind == Kind::Area {
        cols.push(("geom", row.geometry.clone()));
    }
    cols
}

/// Binds a column's value with the conversion its column type needs.
fn push_value(
    sep: &mut sqlx::query_builder::Separated<'_, 'static, Postgres, &'static str>,
    name: &str,
    value: Option<String>,
) {
    match name {
        "version" => sep.push_bind(value).push_unseparated("::bigint"),
        "lon" | "lat" => sep.push_bind(value).push_unseparated("::float8"),
        "geom" => sep
            .push("ST_SetSRID(ST_GeomFromGeoJSON(")
            .push_bind_unseparated(value)
            .push_unseparated("), 4326)"),
        _ => sep.push_bind(value),
    };
}

fn upsert_tail(kind: Kind, names: &[&str]) -> String {
    let set: Vec<String> = names
        .iter()
        .skip(1)
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    // Never replace a record with an older version of itself.
    format!(
        " ON CONFLICT (id) DO UPDATE SET {} WHERE excluded.version >= {}.version",
        set.join(", "),
        table(kind)
    )
}

/// `INSERT` of the main row; with `upsert`, an existing row with the id is replaced
/// unless it is newer.
pub(super) fn insert_query(row: &RowIn, upsert: bool) -> QueryBuilder<'static, Postgres> {
    insert_many(std::slice::from_ref(row), upsert)
}

/// One upsert of many rows of one kind.
pub(super) fn insert_many_query(rows: &[RowIn]) -> QueryBuilder<'static, Postgres> {
    insert_many(rows, true)
}

fn insert_many(rows: &[RowIn], upsert: bool) -> QueryBuilder<'static, Postgres> {
    let first = &rows[0];
    let names: Vec<&'static str> = columns(first).iter().map(|(n, _)| *n).collect();
    let mut qb = QueryBuilder::new(format!(
        "INSERT INTO {} ({}) VALUES ",
        table(first.kind),
        names.join(", ")
    ));
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push("(");
        let mut sep = qb.separated(", ");
        for (name, value) in columns(row) {
            push_value(&mut sep, name, value);
        }
        qb.push(")");
    }
    if upsert {
        qb.push(upsert_tail(first.kind, &names));
    }
    qb
}

/// `UPDATE` of the main row, only if the stored version is `expected_version`.
pub(super) fn update_query(row: &RowIn, expected_version: i64) -> QueryBuilder<'static, Postgres> {
    let mut qb = QueryBuilder::new(format!("UPDATE {} SET ", table(row.kind)));
    let cols: Vec<_> = columns(row)
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "id" | "created_by" | "created_at"))
        .collect();
    for (i, (name, value)) in cols.into_iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push(format!("{name} = "));
        let mut sep = qb.separated("");
        push_value(&mut sep, name, value);
    }
    qb.push(" WHERE id = ").push_bind(row.id.clone());
    qb.push(" AND version = ").push_bind(expected_version);
    qb
}

/// Whether rows of this kind go through [`copy_rows`] (every column but an area's shape
/// is text or a cast of text).
pub(super) fn copies(kind: Kind) -> bool {
    kind != Kind::Area
}

/// The staging table of `kind`'s rows for [`copy_rows`]: one per connection, every
/// column text, gone at the end of the transaction that made it.
pub(super) fn stage_table(kind: Kind) -> String {
    format!("hawkari_stage_{}", table(kind))
}

/// `CREATE TEMP TABLE` of [`stage_table`] with the columns of `row`.
pub(super) fn create_stage(row: &RowIn) -> String {
    let names: Vec<String> = columns(row)
        .iter()
        .map(|(n, _)| format!("{n} text"))
        .collect();
    format!(
        "CREATE TEMP TABLE {} ({}) ON COMMIT DROP",
        stage_table(row.kind),
        names.join(", ")
    )
}

/// The `COPY … FROM STDIN` text of `rows` for [`stage_table`], and the statement that
/// moves them from there into their table (an upsert, like [`insert_many_query`]'s,
/// returning the ids written).
pub(super) fn copy_rows(rows: &[RowIn]) -> (String, Vec<u8>, String) {
    let first = &rows[0];
    let names: Vec<&'static str> = columns(first).iter().map(|(n, _)| *n).collect();
    let mut data = Vec::with_capacity(rows.len() * 1024);
    for row in rows {
        for (i, (_, value)) in columns(row).into_iter().enumerate() {
            if i > 0 {
                data.push(b'\t');
            }
            match value {
                None => data.extend_from_slice(b"\\N"),
                Some(v) => copy_escape(&v, &mut data),
            }
        }
        data.push(b'\n');
    }
    let stage = stage_table(first.kind);
    let copy = format!("COPY {stage} ({}) FROM STDIN", names.join(", "));
    let values: Vec<String> = names
        .iter()
        .map(|n| match *n {
            "version" => "version::bigint".to_owned(),
            "lon" | "lat" => format!("{n}::float8"),
            other => other.to_owned(),
        })
        .collect();
    let insert = format!(
        "INSERT INTO {} ({}) SELECT {} FROM {stage}{} RETURNING id",
        table(first.kind),
        names.join(", "),
        values.join(", "),
        upsert_tail(first.kind, &names)
    );
    (copy, data, insert)
}

/// A value in `COPY`'s text format: backslash, tab, line feed and carriage return escaped.
fn copy_escape(value: &str, out: &mut Vec<u8>) {
    for b in value.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::copy_escape;

    #[test]
    fn copy_text_escapes_what_would_end_a_value_or_a_row() {
        let mut out = Vec::new();
        copy_escape("a\tb\nc\\d\re", &mut out);
        assert_eq!(out, b"a\\tb\\nc\\\\d\\re");
    }
}
