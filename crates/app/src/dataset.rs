//! Whole-dataset import and export as one JSON document (see `core::dataset`).
//!
//! Both stream. Export reads a page of records at a time and writes them as they come.
//! Import parses one record at a time on a blocking thread and hands batches to one
//! store transaction; every problem is reported with its place in the document
//! (`engagements[3].participants[0].person_id`), and unless there is none the
//! transaction is dropped, so a failed import changes nothing. Memory stays bounded by
//! the batch size, whatever the size of the file, but for a 128-bit digest of each id
//! read: a record whose id came before in the document would silently replace the first
//! (or, on PostgreSQL, fail the statement), so it is refused naming both places.

use std::io::{Read, Write as IoWrite};

use hawkari_core::area::{Area, AreaData};
use hawkari_core::commitment::{Commitment, CommitmentData, StatusChange};
use hawkari_core::dataset::{FORMAT, FORMAT_VERSION};
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::incident::{Incident, IncidentData};
use hawkari_core::operation::{Operation, OperationData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::programme::{Programme, ProgrammeData};
use hawkari_core::record::{Kind, from_json_value, parts_from_json};
use hawkari_core::topic::Topic;
use hawkari_core::{FieldError, ValidationError};
use hawkari_store::tables::DELETED_RECORDS;
use hawkari_store::{AnyRecord, Counts, TopicWrite, Write};
use serde_json::Value;

use crate::{App, AppError, Principal};

/// The sections of a dataset document, in the order they are written (any order is read).
pub const SECTIONS: [(&str, Option<Kind>); 10] = [
    ("organisations", Some(Kind::Organisation)),
    ("topics", None),
    ("places", Some(Kind::Place)),
    ("people", Some(Kind::Person)),
    ("engagements", Some(Kind::Engagement)),
    ("commitments", Some(Kind::Commitment)),
    ("incidents", Some(Kind::Incident)),
    ("areas", Some(Kind::Area)),
    ("programmes", Some(Kind::Programme)),
    ("operations", Some(Kind::Operation)),
];

/// The section listing records deleted while records their deleter could not see still
/// referred to them (`{"record": "person/x", "deleted_at": …}`): those references are
/// not dangling by mistake.
pub const DELETED_SECTION: &str = "deleted_records";

/// How many problems an import reports before it stops looking.
const MAX_REPORTED: usize = 200;

/// Records per batch: handed to the store at a time by imports and the generator, and
/// read at a time by exports.
pub const BATCH: usize = 1000;

/// Parses one record of a section into a write.
pub(crate) fn parse_record(
    section: &str,
    index: usize,
    value: Value,
) -> Result<Write, ValidationError> {
    let at = format!("{section}[{index}]");
    let any = match section {
        "organisations" => {
            let (id, data, meta, _) = parts_from_json::<OrganisationData>(value, &[], &at)?;
            AnyRecord::Organisation(Organisation {
                id: parse_id(&at, id)?,
                data,
                meta,
            })
        }
        "people" => {
            let (id, data, meta, _) = parts_from_json::<PersonData>(value, &[], &at)?;
            AnyRecord::Person(Person {
                id: parse_id(&at, id)?,
                data,
                meta,
            })
        }
        "places" => {
            let (id, data, meta, _) = parts_from_json::<PlaceData>(value, &[], &at)?;
            AnyRecord::Place(Place {
                id: parse_id(&at, id)?,
                data: crate::records::derive(data).map_err(|e| e.prefixed(&at))?,
                meta,
            })
        }
        "engagements" => {
            let (id, data, meta, _) = parts_from_json::<EngagementData>(value, &[], &at)?;
            AnyRecord::Engagement(Engagement {
                id: parse_id(&at, id)?,
                data,
                meta,
            })
        }
        "commitments" => {
            let (id, data, meta, mut extra) =
                parts_from_json::<CommitmentData>(value, &["status_history"], &at)?;
            let history = extra
                .remove("status_history")
                .unwrap_or(Value::Array(vec![]));
            let status_history: Vec<StatusChange> =
                from_json_value(history, &format!("{at}.status_history"))?;
            if status_history.is_empty() {
                return Err(ValidationError::single(
                    format!("{at}.status_history"),
                    "needs at least one status",
                ));
            }
            AnyRecord::Commitment(Commitment {
                id: parse_id(&at, id)?,
                data,
                status_history,
                meta,
            })
        }
        "programmes" => {
            let (id, data, meta, _) = parts_from_json::<ProgrammeData>(value, &[], &at)?;
            AnyRecord::Programme(Programme {
                id: parse_id(&at, id)?,
                data,
                meta,
            })
        }
        "operations" => {
            let (id, data, meta, _) = parts_from_json::<OperationData>(value, &[], &at)?;
            AnyRecord::Operation(Operation {
                id: parse_id(&at, id)?,
                data: crate::records::derive(data).map_err(|e| e.prefixed(&at))?,
                meta,
            })
        }
        "areas" => {
            let (id, data, meta, _) = parts_from_json::<AreaData>(value, &[], &at)?;
            AnyRecord::Area(Area {
                id: parse_id(&at, id)?,
                data: crate::records::derive(data).map_err(|e| e.prefixed(&at))?,
                meta,
            })
        }
        "incidents" => {
            let (id, data, meta, _) = parts_from_json::<IncidentData>(value, &[], &at)?;
            AnyRecord::Incident(Incident {
                id: parse_id(&at, id)?,
                data: crate::records::derive(data).map_err(|e| e.prefixed(&at))?,
                meta,
            })
        }
        DELETED_SECTION => {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Deleted {
                record: String,
                deleted_at: String,
            }
            let d: Deleted = from_json_value(value, &at)?;
            let valid = d.record.split_once('/').is_some_and(|(kind, id)| {
                !kind.is_empty() && hawkari_core::ids::check_slug(id).is_ok()
            });
            if !valid {
                return Err(ValidationError::single(
                    format!("{at}.record"),
                    "must be `kind/id`",
                ));
            }
            return Ok(Write::Restore {
                table: DELETED_RECORDS,
                row: vec![Value::String(d.record), Value::String(d.deleted_at)],
            });
        }
        "topics" => {
            let topic: Topic = from_json_value(value, &at)?;
            let mut problems = hawkari_core::error::Problems::default();
            topic.check(&mut problems);
            problems.into_result().map_err(|e| e.prefixed(&at))?;
            return Ok(Write::PutTopic(topic, TopicWrite::Upsert));
        }
        other => return Err(ValidationError::single(other, "unknown section")),
    };
    Ok(Write::Upsert(any))
}

fn parse_id<T: TryFrom<String, Error = String>>(
    at: &str,
    id: String,
) -> Result<T, ValidationError> {
    T::try_from(id).map_err(|m| ValidationError::single(format!("{at}.id"), m))
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records read from the document, per section.
    pub read: Counts,
    /// Records not written because the database holds a newer version of them.
    pub kept_newer: u64,
}

/// What the parser thread hands the writer.
enum Parsed {
    Batch(Vec<Write>),
    /// Parsing ended: the problems found (none if the document is good) and the count.
    End(Vec<FieldError>, Counts),
}

/// Streams a dataset document, calling `sink` with each batch of writes while no problem
/// has been found; returns every problem (up to a limit) and the records read.
fn parse_stream(
    reader: impl Read,
    mut sink: impl FnMut(Vec<Write>) -> bool,
) -> (Vec<FieldError>, Counts) {
    let mut state = ParseState {
        errors: Vec::new(),
        batch: Vec::new(),
        counts: Counts::default(),
        format: None,
        version: None,
        sink: &mut sink,
        stopped: false,
        seen: crate::seen::Seen::default(),
        sections: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let result = serde::de::DeserializeSeed::deserialize(DocumentSeed(&mut state), &mut de)
        .and_then(|()| de.end());
    if let Err(e) = result {
        let message = if e.is_io() {
            format!("cannot read the file: {e}")
        } else {
            format!("not a valid dataset document: {e}")
        };
        state.errors.push(FieldError {
            field: "document".into(),
            message,
        });
    }
    if state.format.as_deref() != Some(FORMAT) {
        state.errors.push(FieldError {
            field: "format".into(),
            message: format!("must be \"{FORMAT}\""),
        });
    }
    match state.version {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => state.errors.push(FieldError {
            field: "format_version".into(),
            message: format!(
                "version {v} is not supported; this hawkari reads version {FORMAT_VERSION}"
            ),
        }),
        None => state.errors.push(FieldError {
            field: "format_version".into(),
            message: "a number is required".into(),
        }),
    }
    state.flush();
    (state.errors, state.counts)
}

struct ParseState<'a> {
    errors: Vec<FieldError>,
    batch: Vec<Write>,
    counts: Counts,
    format: Option<String>,
    version: Option<u64>,
    sink: &'a mut dyn FnMut(Vec<Write>) -> bool,
    stopped: bool,
    /// Each record's kind and id read so far, with where it was.
    seen: crate::seen::Seen<(&'static str, usize)>,
    /// The sections read so far.
    sections: Vec<&'static str>,
}

impl ParseState<'_> {
    fn record(&mut self, section: &'static str, index: usize, value: Value) {
        match parse_record(section, index, value) {
            Ok(w) => {
                let (kind, id) = match &w {
                    Write::Upsert(r) => (r.kind().as_str(), r.id()),
                    Write::PutTopic(t, _) => ("topic", t.code.as_str()),
                    _ => ("", ""),
                };
                if let Some((s, i)) = self.seen.first(&[kind, id], (section, index)) {
                    self.errors.push(FieldError {
                        field: format!("{section}[{index}].id"),
                        message: format!(
                            "`{id}` is also the id of {s}[{i}]: each record comes once"
                        ),
                    });
                    self.batch.clear();
                    return;
                }
                if section != DELETED_SECTION {
                    *self.counts.section_mut(section) += 1;
                }
                if self.errors.is_empty() {
                    self.batch.push(w);
                    if self.batch.len() >= BATCH {
                        self.flush();
                    }
                }
            }
            Err(e) => {
                self.errors.extend(e.errors);
                self.batch.clear();
            }
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() && self.errors.is_empty() && !self.stopped {
            self.stopped = !(self.sink)(std::mem::take(&mut self.batch));
        }
        self.batch.clear();
    }
}

/// The top-level object: header fields and sections, in any order.
struct DocumentSeed<'a, 'b>(&'a mut ParseState<'b>);

impl<'de> serde::de::DeserializeSeed<'de> for DocumentSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DocumentSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object with format, format_version and record sections")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => self.0.format = map.next_value::<Value>()?.as_str().map(str::to_owned),
                "format_version" => self.0.version = map.next_value::<Value>()?.as_u64(),
                DELETED_SECTION => {
                    map.next_value_seed(SectionSeed {
                        state: &mut *self.0,
                        section: DELETED_SECTION,
                    })?;
                }
                section if SECTIONS.iter().any(|(s, _)| *s == section) => {
                    let section = SECTIONS
                        .iter()
                        .find(|(s, _)| *s == section)
                        .map_or("", |(s, _)| s);
                    if self.0.sections.contains(&section) {
                        // Its records would be numbered from 0 again: refused, not merged.
                        map.next_value::<serde::de::IgnoredAny>()?;
                        self.0.errors.push(FieldError {
                            field: section.to_owned(),
                            message: "the section comes twice; give each section once".into(),
                        });
                    } else {
                        self.0.sections.push(section);
                        map.next_value_seed(SectionSeed {
                            state: &mut *self.0,
                            section,
                        })?;
                    }
                }
                other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    self.0.errors.push(FieldError {
                        field: other.to_owned(),
                        message: "unknown section".into(),
                    });
                }
            }
            if self.0.errors.len() >= MAX_REPORTED {
                return Err(serde::de::Error::custom(format!(
                    "stopped after {MAX_REPORTED} problems"
                )));
            }
        }
        Ok(())
    }
}

/// One section's array, read a record at a time.
struct SectionSeed<'a, 'b> {
    state: &'a mut ParseState<'b>,
    section: &'static str,
}

impl<'de> serde::de::DeserializeSeed<'de> for SectionSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SectionSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a list of {}", self.section)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            self.state.record(self.section, index, value);
            index += 1;
            if self.state.stopped {
                // The writer gave up (a store error it reports itself): stop reading.
                return Err(serde::de::Error::custom("the import stopped"));
            }
            if self.state.errors.len() >= MAX_REPORTED {
                return Err(serde::de::Error::custom(format!(
                    "stopped after {MAX_REPORTED} problems"
                )));
            }
        }
        Ok(())
    }
}

impl App {
    /// Imports a whole dataset document from `reader`: all of it in one transaction, or
    /// nothing. A record whose id exists is replaced unless the stored one is newer, so
    /// importing twice changes nothing and an old export never undoes later work.
    /// `progress` is called with the number of records handed to the store so far.
    pub async fn import_dataset(
        &self,
        principal: &Principal,
        reader: impl Read + Send + 'static,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportSummary, AppError> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Parsed>(2);
        let parser = tokio::task::spawn_blocking(move || {
            let (errors, counts) = parse_stream(reader, |batch| {
                tx.blocking_send(Parsed::Batch(batch)).is_ok()
            });
            let _ = tx.blocking_send(Parsed::End(errors, counts));
        });
        let mut bulk = self.store.begin_bulk().await?;
        let mut written = 0u64;
        let mut kept_newer = 0u64;
        let mut outcome = None;
        while let Some(message) = rx.recv().await {
            match message {
                Parsed::Batch(writes) => {
                    written += writes.len() as u64;
                    // On a store error, stop reading: dropping the receiver ends the parser.
                    kept_newer += bulk.write(writes).await?;
                    progress(written);
                }
                Parsed::End(errors, counts) => outcome = Some((errors, counts)),
            }
        }
        parser
            .await
            .map_err(|e| AppError::Unavailable(format!("the import stopped: {e}")))?;
        let (errors, counts) =
            outcome.ok_or_else(|| AppError::Unavailable("the import stopped early".into()))?;
        if !errors.is_empty() {
            return Err(ValidationError { errors }.into());
        }
        let detail = serde_json::json!({"read": counts, "kept_newer": kept_newer});
        bulk.write(vec![Write::Audit(principal.event(
            self.now(),
            "import",
            None,
            None,
            detail,
        ))])
        .await?;
        bulk.commit().await?;
        Ok(ImportSummary {
            read: counts,
            kept_newer,
        })
    }

    /// Writes the whole dataset as one JSON document, a page of records at a time, all
    /// read from one snapshot (writes made meanwhile are not half in it). Returns the
    /// counts of what was written.
    pub async fn export_dataset(
        &self,
        principal: &Principal,
        out: &mut impl IoWrite,
        mut progress: impl FnMut(u64),
    ) -> Result<Counts, AppError> {
        let io = |e: std::io::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let json =
            |e: serde_json::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let mut snapshot = self.store.begin_read().await?;
        write!(
            out,
            "{{\n  \"format\": \"{FORMAT}\",\n  \"format_version\": {FORMAT_VERSION}"
        )
        .map_err(io)?;
        let mut counts = Counts::default();
        let mut done = 0u64;
        for (section, kind) in SECTIONS {
            write!(out, ",\n  \"{section}\": [").map_err(io)?;
            let mut written = 0u64;
            let mut emit =
                |out: &mut dyn IoWrite, value: &dyn erased::Json| -> Result<(), AppError> {
                    out.write_all(if written == 0 { b"\n    " } else { b",\n    " })
                        .map_err(io)?;
                    written += 1;
                    value.write_json(out).map_err(json)
                };
            match kind {
                None => {
                    for t in snapshot.topics().await? {
                        emit(out, &t)?;
                    }
                }
                Some(kind) => {
                    let mut after: Option<String> = None;
                    loop {
                        let batch = snapshot.scan(kind, after.as_deref(), BATCH as u32).await?;
                        let Some(last) = batch.last() else { break };
                        after = Some(last.id().to_owned());
                        for r in &batch {
                            emit(out, r)?;
                        }
                        done += batch.len() as u64;
                        progress(done);
                    }
                }
            }
            out.write_all(if written == 0 { b"]" } else { b"\n  ]" })
                .map_err(io)?;
            *counts.section_mut(section) = written;
        }
        // Records deleted while hidden records referred to them: written only when there
        // are some, so that the references those records keep are not taken for dangling
        // when the document is imported.
        let deleted = snapshot.rows(&DELETED_RECORDS, None, u32::MAX).await?;
        if !deleted.is_empty() {
            write!(out, ",\n  \"{DELETED_SECTION}\": [").map_err(io)?;
            for (i, row) in deleted.iter().enumerate() {
                out.write_all(if i == 0 { b"\n    " } else { b",\n    " })
                    .map_err(io)?;
                let entry = serde_json::json!({"record": row[0], "deleted_at": row[1]});
                serde_json::to_writer(&mut *out, &entry).map_err(json)?;
            }
            out.write_all(b"\n  ]").map_err(io)?;
        }
        snapshot.close().await?;
        out.write_all(b"\n}\n").map_err(io)?;
        out.flush().map_err(io)?;
        let audit = principal.event(
            self.now(),
            "export",
            None,
            None,
            serde_json::json!({"written": counts}),
        );
        self.store
            .write(vec![Write::Audit(audit)], &principal.reach)
            .await?;
        Ok(counts)
    }
}

/// Serialising records of different types through one `&dyn` callback.
pub(crate) mod erased {
    use hawkari_store::AnyRecord;

    pub trait Json {
        fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()>;
    }

    impl Json for hawkari_core::topic::Topic {
        fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
            serde_json::to_writer(out, self)
        }
    }

    impl Json for Vec<serde_json::Value> {
        fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
            serde_json::to_writer(out, self)
        }
    }

    impl Json for AnyRecord {
        fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
            match self {
                AnyRecord::Organisation(r) => serde_json::to_writer(out, r),
                AnyRecord::Person(r) => serde_json::to_writer(out, r),
                AnyRecord::Place(r) => serde_json::to_writer(out, r),
                AnyRecord::Engagement(r) => serde_json::to_writer(out, r),
                AnyRecord::Commitment(r) => serde_json::to_writer(out, r),
                AnyRecord::Incident(r) => serde_json::to_writer(out, r),
                AnyRecord::Area(r) => serde_json::to_writer(out, r),
                AnyRecord::Programme(r) => serde_json::to_writer(out, r),
                AnyRecord::Operation(r) => serde_json::to_writer(out, r),
            }
        }
    }
}
