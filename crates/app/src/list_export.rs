//! Commitments, engagements, people and organisations as CSV with an HXL hashtag row:
//! what a filtered list shows, in its order, for the reader's releases only, written
//! page by page and audited with the rows it wrote. Free text that a spreadsheet would
//! take for a formula is written inert (as in incident exports). Every row ends with the
//! record's confidentiality label (`hawkari_core::label`).

use std::io::Write;

use hawkari_core::values::{Name, Names};
use hawkari_store::{CommitmentFilter, OrganisationFilter, PageRequest, PersonFilter};

use hawkari_core::label::{self, ConfidentialityLabel};

use crate::incident_export::{inert, label_cells};
use crate::{App, AppError, Principal, RecordKind};

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
        let today = self.today();
        self.export_csv(
            principal,
            "commitments.csv",
            [&HEADER, &HXL],
            out,
            |page| async move { self.list_commitments(principal, filter, &page).await },
            |c| {
                let d = &c.data;
                vec![
                    c.id.to_string(),
                    cell(d.text.as_str()),
                    d.responsible_org_id.to_string(),
                    d.counterpart_org_id
                        .as_ref()
                        .map_or_else(String::new, ToString::to_string),
                    d.due.map(|x| x.to_string()).unwrap_or_default(),
                    c.status().as_str().to_owned(),
                    (if c.is_overdue(today) { "yes" } else { "no" }).to_owned(),
                    cell(d.condition.as_ref().map_or("", |t| t.as_str())),
                    d.engagement_id.to_string(),
                    d.owner_org_id.to_string(),
                ]
            },
        )
        .await
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
        self.export_csv(
            principal,
            "engagements.csv",
            [&ENGAGEMENT_HEADER, &ENGAGEMENT_HXL],
            out,
            |page| async move { self.list_engagements(principal, filter, &page).await },
            |e| {
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
                let code = |v: serde_json::Result<serde_json::Value>| {
                    v.ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                };
                vec![
                    e.id.to_string(),
                    hawkari_core::time::rfc3339(d.when.start()),
                    hawkari_core::time::rfc3339(d.when.end()),
                    code(serde_json::to_value(d.when.precision())),
                    cell(d.when.label().unwrap_or_default()),
                    cell(d.title.as_str()),
                    code(serde_json::to_value(d.kind)),
                    participants.join(" "),
                    topics.join(" "),
                    d.place_id
                        .as_ref()
                        .map_or_else(String::new, ToString::to_string),
                    d.owner_org_id.to_string(),
                ]
            },
        )
        .await
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
        self.export_csv(
            principal,
            "people.csv",
            [&PERSON_HEADER, &PERSON_HXL],
            out,
            |page| async move { self.list_people(principal, filter, &page).await },
            |p| {
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
                vec![
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
                ]
            },
        )
        .await
    }

    /// Writes every organisation matching `filter` that the principal may read, in the
    /// filter's order, and audits the export. Returns the rows written.
    pub async fn export_organisations(
        &self,
        principal: &Principal,
        filter: &OrganisationFilter,
        out: &mut impl Write,
    ) -> Result<u64, AppError> {
        self.export_csv(
            principal,
            "organisations.csv",
            [&ORGANISATION_HEADER, &ORGANISATION_HXL],
            out,
            |page| async move { self.list_organisations(principal, filter, &page).await },
            |o| {
                let d = &o.data;
                let answers: Vec<&str> = d.answers_to.iter().map(|a| a.as_str()).collect();
                let kind = serde_json::to_value(d.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let [en, ar, ckb, aliases] = names_cells(&d.names);
                vec![
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
                ]
            },
        )
        .await
    }
}

impl App {
    /// Writes a list's CSV export: the header and HXL rows, then one row for each record
    /// `list` finds (page by page, so memory stays flat), then records the export (how
    /// many rows, of what) in the audit log; returns the rows.
    #[allow(clippy::too_many_arguments)]
    async fn export_csv<T, L, const N: usize>(
        &self,
        principal: &Principal,
        what: &str,
        [header, hxl]: [&[&str; N]; 2],
        out: &mut impl Write,
        mut list: impl FnMut(PageRequest) -> L,
        row: impl Fn(&T) -> Vec<String>,
    ) -> Result<u64, AppError>
    where
        L: Future<Output = Result<hawkari_store::Page<T>, AppError>>,
        T: RecordKind,
    {
        let io = |e: csv::Error| AppError::Unavailable(format!("cannot write the export: {e}"));
        let mut w = csv::Writer::from_writer(out);
        let with_label = |cells: &[&str], label: &[&str; 6]| -> Vec<String> {
            cells.iter().chain(label).map(|c| (*c).to_owned()).collect()
        };
        w.write_record(with_label(&header[..], &label::CSV_HEADER))
            .map_err(io)?;
        w.write_record(with_label(&hxl[..], &label::CSV_HXL))
            .map_err(io)?;
        let mut rows = 0u64;
        let mut page = PageRequest::first(500);
        loop {
            let found = list(page.clone()).await?;
            for item in &found.items {
                let mut cells = row(item);
                cells.extend(label_cells(&ConfidentialityLabel::of(item.data())));
                w.write_record(cells).map_err(io)?;
                rows += 1;
            }
            match found.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        w.flush()
            .map_err(|e| AppError::Unavailable(format!("cannot write the export: {e}")))?;
        drop(w);
        self.record_export(principal, what, rows).await?;
        Ok(rows)
    }
}
