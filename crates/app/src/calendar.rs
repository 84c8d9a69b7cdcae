//! A user's calendar (RFC 5545): engagements planned and past, commitments' due dates and
//! programme milestones, read through the same list paths as the API's lists — so only
//! what is released to the reader — and written by `ical`. One engagement as a calendar
//! of its own reads through `get`, so it answers 404 exactly when the JSON read does.

use hawkari_core::commitment::{Commitment, CommitmentStatus};
use hawkari_core::engagement::Engagement;
use hawkari_core::programme::{Milestone, MilestoneStatus, Programme};
use hawkari_core::time::Precision;
use hawkari_store::{CommitmentFilter, EngagementFilter, Page, PageRequest, ProgrammeFilter};

use crate::ical::{Calendar, Event, When};
use crate::{App, AppError, Principal};

/// The most records of each kind a feed holds (the newest engagements, the commitments
/// and programmes in their lists' order), so that a feed stays a size clients take.
pub const FEED_LIMIT_PER_KIND: usize = 2_000;

/// A value's name as JSON writes it (`key_leader_engagement`), in words.
fn words(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

fn precision_words(p: Precision) -> &'static str {
    match p {
        Precision::Instant => "the minute",
        Precision::Day => "the day",
        Precision::Month => "the month",
        Precision::Year => "the year",
        Precision::Range => "a range",
    }
}

/// Who the record is released to, as the description's last line says it.
fn release_line<D: hawkari_core::record::RecordData>(data: &D) -> String {
    let label = hawkari_core::label::ConfidentialityLabel::of(data);
    let mut to: Vec<String> = label.releasable_to.clone();
    to.extend(label.release_groups.iter().map(|g| format!("group {g}")));
    format!(
        "Owner: {}; releasable to: {}",
        label.owner,
        if to.is_empty() {
            "the owner only".to_owned()
        } else {
            to.join(", ")
        }
    )
}

/// An engagement as an event: all-day over the days it may have been on unless the
/// record gives a time; tentative while it is still to come.
pub fn engagement_event(e: &Engagement, now: chrono::DateTime<chrono::Utc>) -> Event {
    let d = &e.data;
    let when = if d.when.value().contains('T') {
        When::Timed {
            start: d.when.start(),
            end: d.when.end(),
        }
    } else {
        When::Days {
            first: d.when.start().date_naive(),
            last: d.when.end().date_naive(),
        }
    };
    let mut lines = vec![format!(
        "{} — {}{} (known to {})",
        words(d.kind),
        d.when.label().map(|l| format!("{l}, ")).unwrap_or_default(),
        d.when.value(),
        precision_words(d.when.precision())
    )];
    if let Some(s) = &d.summary {
        lines.push(s.to_string());
    }
    let who: Vec<String> = d
        .participants
        .iter()
        .filter_map(|p| {
            p.organisation_id
                .as_ref()
                .map(ToString::to_string)
                .or(p.person_id.as_ref().map(ToString::to_string))
        })
        .collect();
    if !who.is_empty() {
        lines.push(format!("Participants: {}", who.join(", ")));
    }
    lines.push(format!("Hawkari: /engagements/{}", e.id));
    lines.push(release_line(d));
    let mut categories = vec!["Engagement".to_owned()];
    categories.extend(d.topics.iter().map(|t| t.as_str().to_owned()));
    Event {
        uid: format!("engagement-{}@hawkari", e.id),
        stamp: e.meta.updated_at,
        sequence: e.meta.version - 1,
        when,
        summary: d.title.to_string(),
        description: lines.join("\n"),
        categories,
        status: Some(if d.when.start() > now {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        }),
    }
}

/// A commitment's due date as an all-day event (none without a due date).
fn commitment_event(c: &Commitment, today: chrono::NaiveDate) -> Option<Event> {
    let d = &c.data;
    let due = d.due?;
    let status = c.status();
    let mut lines = vec![format!(
        "Owed by {}{}; {}{}",
        d.responsible_org_id,
        d.counterpart_org_id
            .as_ref()
            .map(|o| format!(" to {o}"))
            .unwrap_or_default(),
        words(status),
        if c.is_overdue(today) { ", overdue" } else { "" }
    )];
    lines.push(d.text.to_string());
    lines.push(format!(
        "Hawkari: /commitments/{} (engagement {})",
        c.id, d.engagement_id
    ));
    lines.push(release_line(d));
    Some(Event {
        uid: format!("commitment-{}@hawkari", c.id),
        stamp: c.meta.updated_at,
        sequence: c.meta.version - 1,
        when: When::Days {
            first: due,
            last: due,
        },
        summary: format!("Due: {}", d.text),
        description: lines.join("\n"),
        categories: vec!["Commitment".to_owned()],
        status: Some(if status == CommitmentStatus::Dropped {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }),
    })
}

/// A milestone as an all-day event over the days its due date can mean (a month-precise
/// date is the whole month).
fn milestone_event(p: &Programme, m: &Milestone) -> Event {
    let status = m.status();
    Event {
        uid: format!("programme-{}-milestone-{}@hawkari", p.id, m.key),
        stamp: p.meta.updated_at,
        sequence: p.meta.version - 1,
        when: When::Days {
            first: m.due.first_day(),
            last: m.due.last_day(),
        },
        summary: format!("Milestone: {} ({})", m.title, p.data.names.display()),
        description: [
            format!(
                "Due {} (known to {}); {}",
                m.due,
                precision_words(m.due.precision()),
                words(status)
            ),
            format!("Hawkari: /programmes/{}", p.id),
            release_line(&p.data),
        ]
        .join("\n"),
        categories: vec!["Milestone".to_owned()],
        status: Some(if status == MilestoneStatus::Dropped {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }),
    }
}

impl App {
    /// Every record of a list the principal may read, up to [`FEED_LIMIT_PER_KIND`].
    async fn up_to_limit<T, L>(
        &self,
        mut list: impl FnMut(PageRequest) -> L,
    ) -> Result<Vec<T>, AppError>
    where
        L: Future<Output = Result<Page<T>, AppError>>,
    {
        let mut all = Vec::new();
        let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
        loop {
            let found = list(page.clone()).await?;
            all.extend(found.items);
            match found.next {
                Some(next) if all.len() < FEED_LIMIT_PER_KIND => page.after = Some(next),
                _ => break,
            }
        }
        all.truncate(FEED_LIMIT_PER_KIND);
        Ok(all)
    }

    /// The principal's calendar: engagements, commitments' due dates and programme
    /// milestones released to them, as an RFC 5545 text.
    pub async fn calendar(&self, principal: &Principal) -> Result<String, AppError> {
        let (now, today) = (self.now(), self.today());
        let engagements = self
            .up_to_limit(|p| async move {
                self.list_engagements(principal, &EngagementFilter::default(), &p)
                    .await
            })
            .await?;
        let commitments = self
            .up_to_limit(|p| async move {
                self.list_commitments(principal, &CommitmentFilter::default(), &p)
                    .await
            })
            .await?;
        let programmes = self
            .up_to_limit(|p| async move {
                self.list_programmes(principal, &ProgrammeFilter::default(), &p)
                    .await
            })
            .await?;
        let name = match &principal.user {
            Some(u) => format!("Hawkari — {}", u.username),
            None => "Hawkari".to_owned(),
        };
        let mut cal = Calendar::new(&name);
        for e in &engagements {
            cal.event(&engagement_event(e, now));
        }
        for c in &commitments {
            if let Some(event) = commitment_event(c, today) {
                cal.event(&event);
            }
        }
        for p in &programmes {
            for m in &p.data.milestones {
                cal.event(&milestone_event(p, m));
            }
        }
        Ok(cal.finish())
    }

    /// One engagement as a calendar of its own (404 as its JSON read when not released).
    pub async fn engagement_calendar(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<String, AppError> {
        let e: Engagement = self.get(principal, id).await?;
        let mut cal = Calendar::new(&e.data.title.to_string());
        cal.event(&engagement_event(&e, self.now()));
        Ok(cal.finish())
    }
}
