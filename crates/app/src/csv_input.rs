//! Reading a CSV that people made: a header row naming the columns, then rows one at a
//! time, each with its true line in the file and its cells found by column name. A row
//! that is not even CSV is an error of that row, never of the whole file, and never of the
//! rows after it.
//!
//! The file is split into physical lines here (`\n`, `\r\n` or a lone `\r` ends one, as
//! editors count them) and each row is parsed by `csv_core` a line at a time. The
//! `csv::Reader` this replaces could do neither thing the importers need: on a CRLF file
//! the [`csv::Position`] of each record points at the `\n` that ends the line before, so
//! every row was named one line early; and a quote left open swallows every following line
//! up to the next quote, after which a reader over a stream cannot go back to the line
//! where the damage began. Here, when a quoted cell runs past the end of its line, the next
//! line is looked at before it is taken into the cell: if on its own it parses as a row
//! with the header's number of cells, the cell was never closed. The row where the quote
//! opened is then rejected — its line, the column of the open cell, and why — and reading
//! starts again at the line after it, so every following line is read as the row it is.
//! The same happens when a cell runs to the end of the file, or over more than
//! [`MAX_ROW_LINES`] lines or [`MAX_ROW_BYTES`] bytes, or ends with a row of the wrong number
//! of cells (a broken quote closed by a later one): the rows a broken quote would have taken
//! are read again, each accounted for by its own line — each as a row of one line only, so
//! that no line is read more than a few times however the quotes in a file fall. A quoted
//! cell's line breaks come out as `\n`, whether the file's are `\r\n`, `\n` or `\r`.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};

use crate::AppError;

/// The longest row read, in bytes; a longer one is rejected (memory stays bounded).
pub(crate) const MAX_ROW_BYTES: usize = 1 << 20;
/// The most lines one row (a quoted cell holding line breaks) may run over.
pub(crate) const MAX_ROW_LINES: usize = 1000;

/// A CSV being read.
pub(crate) struct CsvInput<R> {
    lines: Lines<R>,
    /// Lines read ahead and given back: those after a broken row, read again as rows.
    pending: VecDeque<Line>,
    /// The header's cells, by position, and positions by name.
    columns: Vec<String>,
    headers: HashMap<String, usize>,
    parser: csv_core::Reader,
    /// A second parser, for looking at one line on its own.
    probe: csv_core::Reader,
    scratch: Fields,
    record: Fields,
    /// The current row's cells as text, and where each ends.
    text: String,
    ends: Vec<usize>,
}

/// One physical line, always ending with its terminator (one is added to a last line
/// that has none, so that every line ends a row or continues a quoted cell alike).
struct Line {
    number: u64,
    bytes: Vec<u8>,
    /// Longer than [`MAX_ROW_BYTES`]: only the start was kept.
    too_long: bool,
    /// Given back after a broken row: read as a row on its own, never as the start of a
    /// cell running over lines (so that no line is read more than a few times, whatever
    /// the file).
    alone: bool,
}

/// What `csv_core` wrote for a row: the cells' bytes and where each ends.
#[derive(Default)]
struct Fields {
    out: Vec<u8>,
    len: usize,
    ends: Vec<usize>,
    n: usize,
}

impl Fields {
    fn clear(&mut self) {
        self.len = 0;
        self.n = 0;
    }

    fn bytes(&self) -> &[u8] {
        &self.out[..self.len]
    }

    fn ends(&self) -> &[usize] {
        &self.ends[..self.n]
    }
}

/// Feeds `input` to `parser`: whether the row ended in it (else the input ended inside a
/// quoted cell, or, for an empty input, the file did).
fn feed(parser: &mut csv_core::Reader, mut input: &[u8], f: &mut Fields) -> bool {
    // `csv_core` writes no more than it reads: room for the input is room enough.
    if f.out.len() - f.len < input.len() + 1 {
        f.out.resize(f.len + input.len() + 64, 0);
    }
    loop {
        if f.ends.len() == f.n {
            f.ends.resize(f.n * 2 + 16, 0);
        }
        let (result, nin, nout, nend) =
            parser.read_record(input, &mut f.out[f.len..], &mut f.ends[f.n..]);
        input = &input[nin..];
        f.len += nout;
        f.n += nend;
        match result {
            csv_core::ReadRecordResult::Record => return true,
            csv_core::ReadRecordResult::End => return false,
            csv_core::ReadRecordResult::InputEmpty if input.is_empty() => return false,
            csv_core::ReadRecordResult::OutputFull => {
                let grown = f.out.len() * 2 + 64;
                f.out.resize(grown, 0);
            }
            // More room for ends is made at the top of the loop.
            _ => {}
        }
    }
}

/// Physical lines of a stream, numbered from 1.
struct Lines<R> {
    reader: BufReader<R>,
    next_number: u64,
    started: bool,
    /// A read error ends the lines; it is reported once, after them.
    error: Option<std::io::Error>,
    failed: bool,
}

impl<R: Read> Lines<R> {
    fn new(reader: R) -> Self {
        Self {
            reader: BufReader::new(reader),
            next_number: 1,
            started: false,
            error: None,
            failed: false,
        }
    }

    /// The next line; `None` at the end of the file or at a read error (kept in `error`).
    fn next(&mut self) -> Option<Line> {
        if self.failed {
            return None;
        }
        match self.read() {
            Ok(line) => line,
            Err(e) => {
                self.failed = true;
                self.error = Some(e);
                None
            }
        }
    }

    /// Reads up to the end of a line — `\n`, `\r\n` or a lone `\r` — keeping at most
    /// [`MAX_ROW_BYTES`] of it.
    fn read(&mut self) -> std::io::Result<Option<Line>> {
        if !self.started {
            self.started = true;
            if self.reader.fill_buf()?.starts_with(b"\xef\xbb\xbf") {
                self.reader.consume(3);
            }
        }
        let mut bytes = Vec::new();
        let mut too_long = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                if bytes.is_empty() && !too_long {
                    return Ok(None);
                }
                // The last line of a file with no line break at its end.
                bytes.push(b'\n');
                break;
            }
            let end = buf.iter().position(|b| matches!(b, b'\n' | b'\r'));
            // `bytes` holds the line's content so far, never more than the limit.
            let content = end.unwrap_or(buf.len());
            let room = MAX_ROW_BYTES - bytes.len();
            too_long |= content > room;
            bytes.extend_from_slice(&buf[..content.min(room)]);
            match end {
                Some(i) => {
                    let terminator = buf[i];
                    self.reader.consume(i + 1);
                    bytes.push(terminator);
                    if terminator == b'\r' && self.reader.fill_buf()?.first() == Some(&b'\n') {
                        self.reader.consume(1);
                        bytes.push(b'\n');
                    }
                    break;
                }
                None => {
                    let all = buf.len();
                    self.reader.consume(all);
                }
            }
        }
        let line = Line {
            number: self.next_number,
            bytes,
            too_long,
            alone: false,
        };
        self.next_number += 1;
        Ok(Some(line))
    }
}

/// A line holding nothing but its terminator (skipped between rows, as `csv` does).
fn blank(line: &Line) -> bool {
    line.bytes.iter().all(|b| matches!(b, b'\r' | b'\n'))
}

/// Why a row was not read, and the column to blame (empty for the whole row).
pub(crate) type RowError = (String, String);

impl<R: Read> CsvInput<R> {
    /// Reads the header row; a file without one is refused as a whole.
    pub(crate) fn open(reader: R) -> Result<Self, AppError> {
        let refuse = |line: u64, why: String| {
            AppError::Invalid(hawkari_core::ValidationError::single(
                format!("line {line}"),
                why,
            ))
        };
        let mut lines = Lines::new(reader);
        let header = loop {
            match lines.next() {
                Some(line) if blank(&line) => continue,
                Some(line) => break line,
                None => {
                    return Err(refuse(
                        1,
                        match lines.error.take() {
                            Some(e) => format!("no header row: {e}"),
                            None => "no header row: the file is empty".into(),
                        },
                    ));
                }
            }
        };
        let mut parser = csv_core::Reader::new();
        let mut fields = Fields::default();
        if header.too_long || !feed(&mut parser, &header.bytes, &mut fields) {
            return Err(refuse(
                header.number,
                "the header row does not end on its line (a quote not closed, or longer than 1 MiB)"
                    .into(),
            ));
        }
        // Cell by cell: a comma may fall inside what, run together, would be a character.
        let mut columns = Vec::new();
        let mut start = 0;
        for &end in fields.ends() {
            let cell = std::str::from_utf8(&fields.bytes()[start..end]).map_err(|_| {
                refuse(
                    header.number,
                    format!(
                        "column {} of the header row is not UTF-8 text",
                        columns.len() + 1
                    ),
                )
            })?;
            columns.push(cell.trim().to_owned());
            start = end;
        }
        let mut headers = HashMap::new();
        for (i, c) in columns.iter().enumerate() {
            if let Some(first) = headers.insert(c.clone(), i)
                && !c.is_empty()
            {
                return Err(refuse(
                    header.number,
                    format!(
                        "the column `{c}` appears twice (columns {} and {}): which one is meant?",
                        first + 1,
                        i + 1
                    ),
                ));
            }
        }
        Ok(Self {
            lines,
            pending: VecDeque::new(),
            columns,
            headers,
            parser,
            probe: csv_core::Reader::new(),
            scratch: Fields::default(),
            record: Fields::default(),
            text: String::new(),
            ends: Vec::new(),
        })
    }

    /// The header's cells, in order (an unnamed column is empty).
    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    pub(crate) fn has_column(&self, column: &str) -> bool {
        self.headers.contains_key(column)
    }

    /// The header's name of the cell at `index` (or its number, past the header's end).
    fn column(&self, index: usize) -> String {
        match self.columns.get(index) {
            Some(c) if !c.is_empty() => c.clone(),
            _ => format!("column {}", index + 1),
        }
    }

    fn next_line(&mut self) -> Option<Line> {
        self.pending.pop_front().or_else(|| self.lines.next())
    }

    /// Whether `line`, parsed on its own, is a whole row with the header's number of
    /// cells: a line a quoted cell must not take in.
    fn looks_like_row(&mut self, line: &Line) -> bool {
        self.probe.reset();
        self.scratch.clear();
        !line.too_long
            && feed(&mut self.probe, &line.bytes, &mut self.scratch)
            && self.scratch.n == self.columns.len()
    }

    /// The next row and its line (the first line it is on); `Err` with the column at fault
    /// and why when the row cannot be read; `None` at the end.
    pub(crate) fn next_row(&mut self) -> Option<(u64, Result<Row<'_>, RowError>)> {
        let first = loop {
            match self.next_line() {
                Some(line) if blank(&line) => continue,
                Some(line) => break line,
                None => {
                    // A read error ends the file: said once, as a last row.
                    let e = self.lines.error.take()?;
                    return Some((
                        self.lines.next_number,
                        Err((
                            String::new(),
                            format!("the file cannot be read further: {e}"),
                        )),
                    ));
                }
            }
        };
        let number = first.number;
        if first.too_long {
            return Some((
                number,
                Err((
                    String::new(),
                    format!("the line is longer than {MAX_ROW_BYTES} bytes; it was not read"),
                )),
            ));
        }
        self.parser.reset();
        self.record.clear();
        if !feed(&mut self.parser, &first.bytes, &mut self.record) {
            let open = self.record.n;
            if first.alone {
                return Some((
                    number,
                    Err((
                        self.column(open),
                        "a quote opened in this cell is not closed on its line (read on its \
                         own, after a broken row)"
                            .into(),
                    )),
                ));
            }
            // The line ended inside a quoted cell: read on, a line at a time, while the
            // next line is not a row of its own.
            let mut taken: Vec<Line> = Vec::new();
            let mut bytes = first.bytes.len();
            let broken = loop {
                let Some(next) = self.next_line() else {
                    feed(&mut self.parser, &[], &mut self.record);
                    break Some(match taken.last() {
                        Some(last) => format!(
                            "a quote opened in this cell is never closed: it runs to the end of the file (line {})",
                            last.number
                        ),
                        None => "a quote opened in this cell is never closed".to_owned(),
                    });
                };
                if self.looks_like_row(&next) {
                    let why = format!(
                        "a quote opened in this cell is not closed on its line, and line {} is a row of its own",
                        next.number
                    );
                    taken.push(next);
                    break Some(why);
                }
                bytes += next.bytes.len();
                if next.too_long || bytes > MAX_ROW_BYTES || taken.len() + 1 >= MAX_ROW_LINES {
                    let why = format!(
                        "a quote opened in this cell is not closed within {MAX_ROW_LINES} lines or {MAX_ROW_BYTES} bytes (to line {})",
                        next.number
                    );
                    taken.push(next);
                    break Some(why);
                }
                let ended = feed(&mut self.parser, &next.bytes, &mut self.record);
                taken.push(next);
                if ended {
                    break (self.record.n != self.columns.len()).then(|| {
                        format!(
                            "a quote opened in this cell runs to line {} and leaves the row with {} cells, not the header's {}",
                            taken.last().map_or(number, |l| l.number),
                            self.record.n,
                            self.columns.len()
                        )
                    });
                }
            };
            if let Some(why) = broken {
                // The lines after the first are read again as the rows they are.
                for mut line in taken.into_iter().rev() {
                    line.alone = true;
                    self.pending.push_front(line);
                }
                let reason = if self.pending.is_empty() {
                    format!("{why}; the row is not imported")
                } else {
                    format!(
                        "{why}; the row is not imported, and the lines after it are read as rows"
                    )
                };
                return Some((number, Err((self.column(open), reason))));
            }
        }
        // The cells as text; a cell that is not UTF-8 is named.
        self.text.clear();
        self.ends.clear();
        let mut start = 0;
        for (i, &end) in self.record.ends().iter().enumerate() {
            match std::str::from_utf8(&self.record.bytes()[start..end]) {
                // A quoted cell's line breaks are kept as `\n`, whatever the file's.
                Ok(cell) if cell.contains('\r') => {
                    self.text
                        .push_str(&cell.replace("\r\n", "\n").replace('\r', "\n"));
                }
                Ok(cell) => self.text.push_str(cell),
                Err(_) => {
                    let column = self.column(i);
                    return Some((
                        number,
                        Err((column, "is not UTF-8 text (save the file as UTF-8)".into())),
                    ));
                }
            }
            self.ends.push(self.text.len());
            start = end;
        }
        Some((
            number,
            Ok(Row {
                text: &self.text,
                ends: &self.ends,
                headers: &self.headers,
                columns: &self.columns,
            }),
        ))
    }
}

/// One row: its cells by column name, trimmed; an empty cell is no value.
pub(crate) struct Row<'a> {
    text: &'a str,
    ends: &'a [usize],
    headers: &'a HashMap<String, usize>,
    /// The header's cells by position (an unnamed column is empty).
    columns: &'a [String],
}

impl Row<'_> {
    fn cell(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.text[start..end])
    }

    pub(crate) fn opt(&self, column: &str) -> Option<&str> {
        self.headers
            .get(column)
            .and_then(|i| self.cell(*i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn req(&self, column: &str) -> Result<&str, RowError> {
        self.opt(column)
            .ok_or_else(|| (column.to_owned(), "is empty or missing".to_owned()))
    }

    /// A count as spreadsheets write it (`6`, `6.0`, `1,200`, `٦`); `6.5` is refused.
    pub(crate) fn count(&self, column: &str) -> Result<Option<u32>, RowError> {
        self.opt(column)
            .map(|v| crate::spreadsheet::parse_count(v).map_err(|m| (column.to_owned(), m)))
            .transpose()
    }

    /// A decimal number (a latitude), with ASCII or Arabic-Indic digits.
    pub(crate) fn decimal(&self, column: &str) -> Result<Option<f64>, RowError> {
        self.opt(column)
            .map(|v| crate::spreadsheet::parse_decimal(v).map_err(|m| (column.to_owned(), m)))
            .transpose()
    }

    /// Every cell of the row, with its column's name (empty for an unnamed column or one
    /// past the header's end), untrimmed.
    pub(crate) fn named_cells(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.ends.len()).filter_map(|i| {
            let name = self.columns.get(i).map_or("", String::as_str);
            Some((name, self.cell(i)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{CsvInput, RowError};

    /// A row read: its line, and its cells or why it was not read.
    type Read = (u64, Result<Vec<String>, RowError>);

    /// Each row's line and cells, or its line, column and why it was not read.
    fn read(file: &[u8]) -> Vec<Read> {
        let mut input = CsvInput::open(file).unwrap();
        let mut out = Vec::new();
        while let Some((line, row)) = input.next_row() {
            out.push((
                line,
                row.map(|r| {
                    (0..r.ends.len())
                        .map(|i| r.cell(i).unwrap().to_owned())
                        .collect()
                }),
            ));
        }
        out
    }

    fn ok(line: u64, cells: &[&str]) -> Read {
        (line, Ok(cells.iter().map(|c| (*c).to_owned()).collect()))
    }

    /// Line and column of a rejected row.
    fn bad(rows: &[Read], i: usize) -> (u64, &str) {
        match &rows[i] {
            (line, Err((column, _))) => (*line, column.as_str()),
            other => panic!("row {i} was read: {other:?}"),
        }
    }

    #[test]
    fn rows_are_named_by_their_physical_line_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let file = ["a,b,c", "1,2,3", "", "4,\"5", "five\",6", "7,8,9"].join(end);
            assert_eq!(
                read(file.as_bytes()),
                [
                    ok(2, &["1", "2", "3"]),
                    ok(4, &["4", "5\nfive", "6"]),
                    ok(6, &["7", "8", "9"])
                ],
                "{end:?}"
            );
        }
    }

    #[test]
    fn a_quote_never_closed_gives_back_the_lines_it_took() {
        let rows = read(b"a,b,c\r\n1,\"2,3\r\n4,5,6\r\n7,\"8,9\",10\r\n");
        assert_eq!(bad(&rows, 0), (2, "b"));
        assert!(matches!(&rows[0].1, Err((_, why)) if why.contains("line 3 is a row of its own")));
        assert_eq!(
            rows[1..],
            [ok(3, &["4", "5", "6"]), ok(4, &["7", "8,9", "10"])]
        );
    }

    #[test]
    fn a_line_given_back_after_a_broken_row_is_a_row_of_one_line() {
        // Line 3 closes line 2's quote into a row of four cells, so line 2 is broken;
        // given back, line 3 opens a quote of its own, which is not followed further.
        let rows = read(b"a,b\n1,\"2\n\"3,4,5\n6,7\n");
        assert_eq!(bad(&rows, 0), (2, "b"));
        assert_eq!(bad(&rows, 1), (3, "a"));
        assert!(matches!(&rows[1].1, Err((_, why)) if why.contains("read on its own")));
        assert_eq!(rows[2..], [ok(4, &["6", "7"])]);
    }

    #[test]
    fn a_broken_quote_closed_by_a_later_one_is_caught_by_the_count_of_cells() {
        // Neither line 3 (two cells) nor line 4 (four) looks like a row of the header's
        // three; the quote on line 4 closes line 2's cell, leaving a row of five cells.
        let rows = read(b"a,b,c\n1,\"2,3\n4,5\n6\",7,8,9\n");
        assert_eq!(bad(&rows, 0), (2, "b"));
        assert!(matches!(&rows[0].1, Err((_, why)) if why.contains("5 cells, not the header's 3")));
        assert_eq!(rows[1], ok(3, &["4", "5"]));
        assert_eq!(
            rows[2],
            ok(4, &["6\"", "7", "8", "9"]),
            "a quote inside an unquoted cell is a character"
        );
    }

    #[test]
    fn a_quote_open_at_the_end_of_the_file_is_a_rejected_row() {
        let rows = read(b"a,b\n1,\"2\n3\n4");
        assert_eq!(bad(&rows, 0), (2, "b"));
        assert_eq!(rows[1..], [ok(3, &["3"]), ok(4, &["4"])]);
        let rows = read(b"a,b\n1,\"2");
        assert_eq!(rows.len(), 1);
        assert_eq!(bad(&rows, 0), (2, "b"));
    }

    #[test]
    fn a_cell_that_is_not_utf8_is_named_and_the_next_row_is_read() {
        let rows = read(b"a,b\n1,\xff\xfe\n3,4\n");
        assert_eq!(bad(&rows, 0), (2, "b"));
        assert_eq!(rows[1], ok(3, &["3", "4"]));
    }

    #[test]
    fn a_byte_order_mark_and_a_missing_last_line_break_are_nothing() {
        assert_eq!(
            read(b"\xef\xbb\xbfa,b\r\n1,2"),
            [ok(2, &["1", "2"])],
            "the first column is `a`"
        );
        let input = CsvInput::open(&b"\xef\xbb\xbfa,b\n"[..]).unwrap();
        assert!(input.has_column("a"));
    }

    #[test]
    fn a_line_too_long_is_rejected_by_its_line_without_being_kept() {
        let mut file = b"a,b\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', super::MAX_ROW_BYTES + 10));
        file.extend(b"\n1,2\n");
        let rows = read(&file);
        assert_eq!(bad(&rows, 0), (2, ""));
        assert_eq!(rows[1], ok(3, &["1", "2"]));
        // A lone `\r` ends the long line too: the lines after it are neither skipped
        // with it nor numbered early.
        let mut file = b"a,b\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', super::MAX_ROW_BYTES + 10));
        file.extend(b"\r3,4\r5,6\n");
        let rows = read(&file);
        assert_eq!(bad(&rows, 0), (2, ""));
        assert_eq!(rows[1..], [ok(3, &["3", "4"]), ok(4, &["5", "6"])]);
    }

    #[test]
    fn a_comma_inside_a_character_s_bytes_is_refused_not_a_panic() {
        // Found by fuzzing (acled_csv, ucdp_csv, mapped_csv): `Ӧ` is d3 a6; with a comma
        // between its bytes the cells were checked as UTF-8 run together, then cut
        // between the two bytes.
        assert!(CsvInput::open(&b"a,X\xd3,\xa6\n1,2,3\n"[..]).is_err());
        let rows = read(b"a,b\nX\xd3,\xa6\n");
        assert_eq!(bad(&rows, 0), (2, "a"));
    }

    #[test]
    fn a_header_that_names_a_column_twice_or_runs_past_its_line_is_refused() {
        for file in [&b"a,b,a\n1,2,3\n"[..], b"a,\"b\nc\n", b""] {
            assert!(CsvInput::open(file).is_err(), "{file:?}");
        }
        // Unnamed columns (a trailing comma) are not a repeated name.
        assert!(CsvInput::open(&b"a,b,,\n"[..]).is_ok());
    }
}
