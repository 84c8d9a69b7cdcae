//! Reading a CSV that people made: a header row naming the columns, then rows one at a
//! time, each with its line in the file and its cells found by column name. A row that is
//! not even CSV is an error of that line, never of the whole file.

use std::collections::HashMap;
use std::io::Read;

use crate::AppError;

/// A CSV being read.
pub(crate) struct CsvInput<R> {
    csv: csv::Reader<R>,
    headers: HashMap<String, usize>,
    record: csv::StringRecord,
}

impl<R: Read> CsvInput<R> {
    /// Reads the header row; a file without one is refused as a whole.
    pub(crate) fn open(reader: R) -> Result<Self, AppError> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = csv
            .headers()
            .map_err(|e| {
                AppError::Invalid(hawkari_core::ValidationError::single(
                    "line 1",
                    format!("no header row: {e}"),
                ))
            })?
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_owned(), i))
            .collect();
        Ok(Self {
            csv,
            headers,
            record: csv::StringRecord::new(),
        })
    }

    pub(crate) fn has_column(&self, column: &str) -> bool {
        self.headers.contains_key(column)
    }

    /// The next row and its line; `Err` with the reason when the row is not valid CSV;
    /// `None` at the end.
    pub(crate) fn next_row(&mut self) -> Option<(u64, Result<Row<'_>, String>)> {
        let line = self.csv.position().line() + 1;
        match self.csv.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => Some((
                self.record.position().map_or(line, |p| p.line()),
                Ok(Row {
                    record: &self.record,
                    headers: &self.headers,
                }),
            )),
            Err(e) => Some((
                e.position().map_or(line, |p| p.line()),
                Err(format!("not valid CSV: {e}")),
            )),
        }
    }
}

/// One row: its cells by column name, trimmed; an empty cell is no value.
pub(crate) struct Row<'a> {
    record: &'a csv::StringRecord,
    headers: &'a HashMap<String, usize>,
}

impl Row<'_> {
    pub(crate) fn opt(&self, column: &str) -> Option<&str> {
        self.headers
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn req(&self, column: &str) -> Result<&str, (String, String)> {
        self.opt(column)
            .ok_or_else(|| (column.to_owned(), "is empty or missing".to_owned()))
    }

    pub(crate) fn num<T: std::str::FromStr>(
        &self,
        column: &str,
    ) -> Result<Option<T>, (String, String)> {
        self.opt(column)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| (column.to_owned(), format!("`{v}` is not a number")))
            })
            .transpose()
    }
}
