//! The SQL that writes a record's main row in SQLite (row shapes: `record_row.rs`).

use sqlx::{QueryBuilder, Sqlite};

use super::table;
pub(super) use crate::record_row::{
    RowIn, SpaceTime, record_from_row, row_in, select_columns, topic_from_row,
};

impl RowIn {
    /// `INSERT` of the main row; with `upsert`, an existing row with the id is replaced.
    pub fn insert_query(&self, upsert: bool) -> QueryBuilder<'static, Sqlite> {
        let cols = self.columns();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let mut qb = QueryBuilder::new(format!(
            "INSERT INTO {} ({}) VALUES (",
            table(self.kind),
            names.join(", ")
        ));
        let mut sep = qb.separated(", ");
        for (_, value) in cols {
            sep.push_bind(value);
        }
        qb.push(")");
        if upsert {
            let set: Vec<String> = names
                .iter()
                .skip(1)
                .map(|n| format!("{n} = excluded.{n}"))
                .collect();
            // Never replace a record with an older version of itself.
            qb.push(format!(
                " ON CONFLICT (id) DO UPDATE SET {} WHERE excluded.version >= {}.version",
                set.join(", "),
                table(self.kind)
            ));
        }
        qb
    }

    /// One upsert of many rows of this row's kind (and columns), each replacing a stored
    /// row of its id unless that one is newer.
    pub fn insert_many_query(&self, rows: &[RowIn]) -> QueryBuilder<'static, Sqlite> {
        let names: Vec<&str> = self.columns().iter().map(|(n, _)| *n).collect();
        let mut qb = QueryBuilder::new(format!(
            "INSERT INTO {} ({}) ",
            table(self.kind),
            names.join(", ")
        ));
        qb.push_values(rows, |mut v, row| {
            for (_, value) in row.columns() {
                v.push_bind(value);
            }
        });
        let set: Vec<String> = names
            .iter()
            .skip(1)
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        qb.push(format!(
            " ON CONFLICT (id) DO UPDATE SET {} WHERE excluded.version >= {}.version",
            set.join(", "),
            table(self.kind)
        ));
        qb
    }

    /// `UPDATE` of the main row, only if the stored version is `expected_version`.
    pub fn update_query(&self, expected_version: i64) -> QueryBuilder<'static, Sqlite> {
        let mut qb = QueryBuilder::new(format!("UPDATE {} SET ", table(self.kind)));
        let cols: Vec<_> = self
            .columns()
            .into_iter()
            .filter(|(n, _)| !matches!(*n, "id" | "created_by" | "created_at"))
            .collect();
        for (i, (name, value)) in cols.into_iter().enumerate() {
            if i > 0 {
                qb.push(", ");
            }
            qb.push(format!("{name} = "));
            qb.push_bind(value);
        }
        qb.push(" WHERE id = ").push_bind(self.id.clone());
        qb.push(" AND version = ").push_bind(expected_version);
        qb
    }
}
