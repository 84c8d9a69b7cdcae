//! An iCalendar (RFC 5545) writer for what the calendar feed says: text escaped (§3.3.11),
//! content lines folded at 75 octets without splitting a UTF-8 sequence (§3.1), CRLF line
//! ends, and dates as honest as the record: an all-day `VALUE=DATE` span when only dates
//! are known, UTC date-times only when the record has a time.

use chrono::{DateTime, NaiveDate, Utc};

/// When an event is, as precisely as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Whole days, `first` to `last` inclusive (written with an exclusive `DTEND`).
    Days { first: NaiveDate, last: NaiveDate },
    /// From one instant to another (equal for an instant).
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

/// One `VEVENT`.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable per record, so a client updates an event rather than adding another.
    pub uid: String,
    /// When the record last changed (`DTSTAMP` and `LAST-MODIFIED`).
    pub stamp: DateTime<Utc>,
    /// The record's version, less one, as `SEQUENCE`.
    pub sequence: i64,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub categories: Vec<String>,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    pub status: Option<&'static str>,
}

/// A whole calendar being written.
#[derive(Debug)]
pub struct Calendar {
    out: String,
}

impl Calendar {
    /// A calendar named `name` (shown by clients as its title).
    pub fn new(name: &str) -> Self {
        let mut c = Self { out: String::new() };
        c.line("BEGIN:VCALENDAR");
        c.line("VERSION:2.0");
        c.line("PRODID:-//Hawkari//Hawkari calendar feed//EN");
        c.line("CALSCALE:GREGORIAN");
        c.line("METHOD:PUBLISH");
        c.line(&format!("X-WR-CALNAME:{}", escape(name)));
        c
    }

    pub fn event(&mut self, e: &Event) {
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}", escape(&e.uid)));
        self.line(&format!("DTSTAMP:{}", utc(e.stamp)));
        self.line(&format!("LAST-MODIFIED:{}", utc(e.stamp)));
        self.line(&format!("SEQUENCE:{}", e.sequence.max(0)));
        match e.when {
            When::Days { first, last } => {
                let after = last.succ_opt().unwrap_or(last);
                self.line(&format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")));
                self.line(&format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")));
            }
            When::Timed { start, end } => {
                self.line(&format!("DTSTART:{}", utc(start)));
                if end > start {
                    self.line(&format!("DTEND:{}", utc(end)));
                }
            }
        }
        self.line(&format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            self.line(&format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.categories.is_empty() {
            let cats: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
            self.line(&format!("CATEGORIES:{}", cats.join(",")));
        }
        if let Some(s) = e.status {
            self.line(&format!("STATUS:{s}"));
        }
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    /// The calendar's text.
    pub fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }
}

/// A UTC date-time as RFC 5545 writes it (`20250521T100000Z`).
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT escaped: backslash, semicolon and comma with a backslash, a line break as `\n`;
/// other control characters (which TEXT may not hold) dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded so that no physical line is longer than 75 octets (a
/// continuation starts with one space, which counts), each ended by CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_rfc_5545_says() {
        assert_eq!(escape("a;b,c\\d\r\ne\nf"), "a\\;b\\,c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "قاطع ٦ ".repeat(30));
        fold_into(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn all_day_events_end_the_day_after_their_last_day() {
        let mut c = Calendar::new("t");
        let first = NaiveDate::from_ymd_opt(2025, 5, 21).unwrap();
        let last = NaiveDate::from_ymd_opt(2025, 5, 31).unwrap();
        c.event(&Event {
            uid: "u@x".into(),
            stamp: first.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            sequence: 0,
            when: When::Days { first, last },
            summary: "late May".into(),
            description: String::new(),
            categories: vec![],
            status: None,
        });
        let text = c.finish();
        assert!(text.contains("DTSTART;VALUE=DATE:20250521\r\n"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20250601\r\n"), "{text}");
    }
}
