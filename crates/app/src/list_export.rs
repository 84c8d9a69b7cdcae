//! Commitments and engagements as CSV with an HXL hashtag row: what a filtered list
//! shows, for the reader's releases only, written page by page and audited with the rows
//! it wrote.

use std::io::Write;

use hawkari_store::{CommitmentFilter, PageRequest};

use crate::{App, AppError, Principal};

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
                    d.text.as_str(),
                    d.responsible_org_id.as_str(),
                    d.counterpart_org_id.as_ref().map_or("", |o| o.as_str()),
                    &d.due.map(|x| x.to_string()).unwrap_or_default(),
                    c.status().as_str(),
                    if c.is_overdue(today) { "yes" } else { "no" },
                    d.condition.as_ref().map_or("", |t| t.as_str()),
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
        w.flush()
            .map_err(|e| AppError::Unavailable(format!("cannot write the export: {e}")))?;
        drop(w);
        self.record_export(principal, "commitments.csv", rows)
            .await?;
        Ok(rows)
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
                    d.when.label().unwrap_or_default(),
                    d.title.as_str(),
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
        w.flush()
            .map_err(|e| AppError::Unavailable(format!("cannot write the export: {e}")))?;
        drop(w);
        self.record_export(principal, "engagements.csv", rows)
            .await?;
        Ok(rows)
    }
}
