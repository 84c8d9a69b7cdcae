//! Commitments, engagements, people and organisations as CSV with an HXL hashtag row:
//! what a filtered list shows, in its order, for the reader's releases only, written
//! page by page and audited with the rows it wrote. Free text that a spreadsheet would
//! take for a formula is written inert (as in incident exports).

use std::io::Write;

use hawkari_core::values::{Name, Names};
use hawkari_store::{CommitmentFilter, OrganisationFilter, PageRequest, PersonFilter};

use crate::incident_export::inert;
use crate::{App, AppError, Principal};

/// A text field as a cell: inert if a spreadsheet would take it for a formula.
fn cell(s: &str) -> String {
    inert(s.to_owned())
}

/// An optional name as a cell.
fn name_cell(n: &Option<Name>) -> String {
    n.as_ref().map_or_else(String::new, |n| cell(n.as_str()))
}

/// A record's names as four cells: English, Arabic, Sorani, and the other spellings
/// separated by `; `.
fn names_cells(n: &Names) -> [String; 4] {
    let aliases: Vec<&str> = n.aliases.iter().map(Name::as_str).collect();
    [
        name_cell(&n.en),
        name_cell(&n.ar),
        name_cell(&n.ckb),
        cell(&aliases.join("; ")),
    ]
}

const HEADER: [&str; 10] = [
    "id",
    "text",
    "responsible",
    "counterpart",
    "due",
    "status",
    "overdue",
    "condition",
    "engagement",
    "owner",
];

const HXL: [&str; 10] = [
    "#meta+id",
    "#activity+commitment",
    "#org+responsible",
    "#org+counterpart",
    "#date+due",
    "#status",
    "#status+overdue",
    "#description+condition",
    "#meta+engagement",
    "#org+owner",
];

impl App {
    /// Writes every commitment matching `filter` that the principal may read, and audits
    /// the export. Returns the number of rows written.
    pub async fn export_commitments(
        &self,
        principal: &Principal,
        filter: &CommitmentFilter,
        out: &mut impl Write,
    ) -> Result<u64, AppError> {
        let io = |e: csv::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let today = self.today();
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER).map_err(io)?;
        w.write_record(HXL).map_err(io)?;
        let mut rows = 0u64;
        let mut page = PageRequest::first(500);
        loop {
            let found = self.list_commitments(principal, filter, &page).await?;
            for c in &found.items {
                let d = &c.data;
                w.write_record([
                    c.id.as_str(),
                    &cell(d.text.as_str()),
                    d.responsible_org_id.as_str(),
                    d.counterpart_org_id.as_ref().map_or("", |o| o.as_str()),
                    &d.due.map(|x| x.to_string()).unwrap_or_default(),
                    c.status().as_str(),
                    if c.is_overdue(today) { "yes" } else { "no" },
                    &cell(d.condition.as_ref().map_or("", |t| t.as_str())),
                    d.engagement_id.as_str(),
                    d.owner_org_id.as_str(),
                ])
                .map_err(io)?;
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        self.finish_csv(w, principal, "commitments.csv", rows).await
    }
}

const ENGAGEMENT_HEADER: [&str; 11] = [
    "id",
    "start",
    "end",
    "precision",
    "wording",
    "title",
    "kind",
    "participants",
    "topics",
    "place",
    "owner",
];

const ENGAGEMENT_HXL: [&str; 11] = [
    "#meta+id",
    "#date+start",
    "#date+end",
    "#date+precision",
    "#date+text",
    "#description+title",
    "#activity+type",
    "#org+participants",
    "#sector+topic",
    "#loc+id",
    "#org+owner",
];

impl App {
    /// Writes every engagement matching `filter` that the principal may read (participants
    /// as ids, `person@organisation`), and audits the export. Returns the rows written.
    pub async fn export_engagements(
        &self,
        principal: &Principal,
        filter: &hawkari_store::EngagementFilter,
        out: &mut impl Write,
    ) -> Result<u64, AppError> {
        let io = |e: csv::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let mut w = csv::Writer::from_writer(out);
        w.write_record(ENGAGEMENT_HEADER).map_err(io)?;
        w.write_record(ENGAGEMENT_HXL).map_err(io)?;
        let mut rows = 0u64;
        let mut page = PageRequest::first(500);
        loop {
            let found = self.list_engagements(principal, filter, &page).await?;
            for e in &found.items {
                let d = &e.data;
                let participants: Vec<String> = d
                    .participants
                    .iter()
                    .map(|p| match (&p.person_id, &p.organisation_id) {
                        (Some(person), Some(org)) => format!("{person}@{org}"),
                        (Some(person), None) => person.to_string(),
                        (None, Some(org)) => org.to_string(),
                        (None, None) => String::new(),
                    })
                    .collect();
                let topics: Vec<&str> = d.topics.iter().map(|t| t.as_str()).collect();
                let precision = serde_json::to_value(d.when.precision())
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                w.write_record([
                    e.id.as_str(),
                    &hawkari_core::time::rfc3339(d.when.start()),
                    &hawkari_core::time::rfc3339(d.when.end()),
                    &precision,
                    &cell(d.when.label().unwrap_or_default()),
                    &cell(d.title.as_str()),
                    &serde_json::to_value(d.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    &participants.join(" "),
                    &topics.join(" "),
                    d.place_id.as_ref().map_or("", |p| p.as_str()),
                    d.owner_org_id.as_str(),
                ])
                .map_err(io)?;
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        self.finish_csv(w, principal, "engagements.csv", rows).await
    }
}

const PERSON_HEADER: [&str; 11] = [
    "id",
    "name_en",
    "name_ar",
    "name_ckb",
    "aliases",
    "rank",
    "position",
    "organisation",
    "positions",
    "sources",
    "owner",
];

const PERSON_HXL: [&str; 11] = [
    "#meta+id",
    "#contact+name+i_en",
    "#contact+name+i_ar",
    "#contact+name+i_ckb",
    "#contact+name+alt",
    "#contact+rank",
    "#contact+title",
    "#org+code",
    "#contact+title+history",
    "#meta+source",
    "#org+owner",
];

const ORGANISATION_HEADER: [&str; 11] = [
    "id",
    "name_en",
    "name_ar",
    "name_ckb",
    "aliases",
    "abbreviation",
    "kind",
    "parent",
    "answers_to",
    "sources",
    "owner",
];

const ORGANISATION_HXL: [&str; 11] = [
    "#meta+id",
    "#org+name+i_en",
    "#org+name+i_ar",
    "#org+name+i_ckb",
    "#org+name+alt",
    "#org+acronym",
    "#org+type",
    "#org+code+parent",
    "#org+code+answers_to",
    "#meta+source",
    "#org+owner",
];

/// Sources as one cell: each publisher and title, separated by `; `.
fn sources_cell(sources: &[hawkari_core::values::Source]) -> String {
    let all: Vec<String> = sources
        .iter()
        .map(|s| format!("{}: {}", s.publisher, s.title))
        .collect();
    cell(&all.join("; "))
}

impl App {
    /// Writes every person matching `filter` that the principal may read, in the
    /// filter's order (the current position is the last one without an end; every
    /// position as `title @ organisation (from–to)`), and audits the export. Returns the
    /// rows written.
    pub async fn export_people(
        &self,
        principal: &Principal,
        filter: &PersonFilter,
        out: &mut impl Write,
    ) -> Result<u64, AppError> {
        let io = |e: csv::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let mut w = csv::Writer::from_writer(out);
        w.write_record(PERSON_HEADER).map_err(io)?;
        w.write_record(PERSON_HXL).map_err(io)?;
        let mut rows = 0u64;
        let mut page = PageRequest::first(500);
        loop {
            let found = self.list_people(principal, filter, &page).await?;
            for p in &found.items {
                let d = &p.data;
                let current = d.positions.iter().rev().find(|x| x.to.is_none());
                let positions: Vec<String> = d
                    .positions
                    .iter()
                    .map(|x| {
                        let span = match (&x.from, &x.to) {
                            (None, None) => String::new(),
                            (from, to) => format!(
                                " ({}–{})",
                                from.map(|f| f.to_string()).unwrap_or_default(),
                                to.map(|t| t.to_string()).unwrap_or_default()
                            ),
                        };
                        format!("{} @ {}{span}", x.title, x.organisation_id)
                    })
                    .collect();
                let [en, ar, ckb, aliases] = names_cells(&d.names);
                w.write_record([
                    p.id.to_string(),
                    en,
                    ar,
                    ckb,
                    aliases,
                    name_cell(&d.rank),
                    current.map_or_else(String::new, |x| cell(x.title.as_str())),
                    current.map_or_else(String::new, |x| x.organisation_id.to_string()),
                    cell(&positions.join("; ")),
                    sources_cell(&d.sources),
                    d.owner_org_id.to_string(),
                ])
                .map_err(io)?;
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        self.finish_csv(w, principal, "people.csv", rows).await
    }

    /// Writes every organisation matching `filter` that the principal may read, in the
    /// filter's order, and audits the export. Returns the rows written.
    pub async fn export_organisations(
        &self,
        principal: &Principal,
        filter: &OrganisationFilter,
        out: &mut impl Write,
    ) -> Result<u64, AppError> {
        let io = |e: csv::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let mut w = csv::Writer::from_writer(out);
        w.write_record(ORGANISATION_HEADER).map_err(io)?;
        w.write_record(ORGANISATION_HXL).map_err(io)?;
        let mut rows = 0u64;
        let mut page = PageRequest::first(500);
        loop {
            let found = self.list_organisations(principal, filter, &page).await?;
            for o in &found.items {
                let d = &o.data;
                let answers: Vec<&str> = d.answers_to.iter().map(|a| a.as_str()).collect();
                let kind = serde_json::to_value(d.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let [en, ar, ckb, aliases] = names_cells(&d.names);
                w.write_record([
                    o.id.to_string(),
                    en,
                    ar,
                    ckb,
                    aliases,
                    name_cell(&d.abbreviation),
                    kind,
                    d.parent_id
                        .as_ref()
                        .map_or_else(String::new, ToString::to_string),
                    answers.join(" "),
                    sources_cell(&d.sources),
                    d.owner_org_id.to_string(),
                ])
                .map_err(io)?;
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        self.finish_csv(w, principal, "organisations.csv", rows)
            .await
    }
}

impl App {
    /// Ends a list's CSV export: flushes it, then records the export (how many rows, of
    /// what) in the audit log; returns the rows.
    async fn finish_csv<W: Write>(
        &self,
        mut w: csv::Writer<W>,
        principal: &Principal,
        what: &str,
        rows: u64,
    ) -> Result<u64, AppError> {
        w.flush()
            .map_err(|e| AppError::Unavailable(format!("cannot write the export: {e}")))?;
        drop(w);
        self.record_export(principal, what, rows).await?;
        Ok(rows)
    }
}
