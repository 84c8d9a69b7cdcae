//! Incident imports started from the web: a file uploaded, checked (a dry run, see
//! [`preview_incidents`](crate::incident_import::preview_incidents)), then imported in the
//! background (a tokio task) through [`App::import_incidents_reporting`], the use case the
//! command line runs, as the user who started it (so releasability and audit apply).
//!
//! Jobs live in memory only, in a bounded map: at most [`MAX_JOBS`] in all and
//! [`MAX_PER_USER`] per user; adding one drops the oldest that is not running (its report
//! with it). A restart loses every job: one that was running stops after its last whole
//! batch (each batch of 5 000 rows is its own transaction, and importing the file again
//! stores only what is missing). A job is seen only by the user who started it; for
//! anyone else it does not exist.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::incident_import::{ImportFormat, ImportOptions, ImportRelease, ImportReport};
use crate::{App, AppError, Principal};

/// Jobs kept in all.
pub const MAX_JOBS: usize = 64;
/// Jobs kept per user.
pub const MAX_PER_USER: usize = 5;

/// How far an import has got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub read: u64,
    pub stored: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected_rows: u64,
}

impl Counts {
    fn of(r: &ImportReport) -> Self {
        Self {
            read: r.read,
            stored: r.stored,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected_rows: r.rejected_rows,
        }
    }
}

/// Where a job is.
#[derive(Debug, Clone)]
pub enum JobState {
    /// Uploaded; being mapped and previewed, nothing written.
    Uploaded,
    /// Importing: the counts after the last batch written.
    Running(Counts),
    /// Done: the whole report.
    Done(Arc<ImportReport>),
    /// Stopped by an error of the whole import (the rows of the batches written before
    /// it stay stored); the counts so far.
    Failed(Counts, String),
}

/// One import: its file until the import starts, the format (with the mapping chosen),
/// and its state.
#[derive(Debug, Clone)]
pub struct ImportJob {
    pub id: String,
    /// The user who started it: the only one who sees it.
    pub user_id: String,
    pub created: DateTime<Utc>,
    pub file_name: String,
    /// The file, kept until the import starts.
    pub file: Option<Arc<[u8]>>,
    pub format: ImportFormat,
    pub options: ImportOptions,
    /// Rows in the file, as the last dry run counted them.
    pub total: Option<u64>,
    pub state: JobState,
}

impl ImportJob {
    /// A job for a file just uploaded.
    pub fn new(file_name: String, file: Vec<u8>, format: ImportFormat) -> Self {
        Self {
            id: String::new(),
            user_id: String::new(),
            created: Utc::now(),
            file_name,
            file: Some(file.into()),
            format,
            options: ImportOptions::default(),
            total: None,
            state: JobState::Uploaded,
        }
    }

    fn running(&self) -> bool {
        matches!(self.state, JobState::Running(_))
    }
}

/// The jobs, by id.
#[derive(Debug, Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, ImportJob>>,
}

fn user_id(principal: &Principal) -> Option<&str> {
    principal.user.as_ref().map(|u| u.id.as_str())
}

/// A new job id: 128 random bits, hex.
fn job_id() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the system's random source");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ImportJob>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `job` as the principal's; its id. Drops the principal's oldest jobs that are
    /// not running beyond [`MAX_PER_USER`], then anyone's beyond [`MAX_JOBS`]; refused
    /// when only running jobs could make room.
    pub fn add(&self, principal: &Principal, mut job: ImportJob) -> Result<String, AppError> {
        let Some(user) = user_id(principal) else {
            return Err(AppError::Forbidden(
                "imports in the web are a user's".into(),
            ));
        };
        let mut jobs = self.lock();
        let make_room = |jobs: &mut HashMap<String, ImportJob>, mine: bool, max: usize| {
            loop {
                let of = |j: &&ImportJob| !mine || j.user_id == user;
                if jobs.values().filter(of).count() < max {
                    return true;
                }
                let oldest = jobs
                    .values()
                    .filter(of)
                    .filter(|j| !j.running())
                    .min_by_key(|j| j.created)
                    .map(|j| j.id.clone());
                match oldest {
                    Some(id) => {
                        jobs.remove(&id);
                    }
                    None => return false,
                }
            }
        };
        if !make_room(&mut jobs, true, MAX_PER_USER) || !make_room(&mut jobs, false, MAX_JOBS) {
            return Err(AppError::Unavailable(
                "too many imports are running; try again when one has finished".into(),
            ));
        }
        job.id = job_id();
        job.user_id = user.to_owned();
        job.created = Utc::now();
        let id = job.id.clone();
        jobs.insert(id.clone(), job);
        Ok(id)
    }

    /// The principal's job `id` (`NotFound` for anyone else's).
    pub fn get(&self, principal: &Principal, id: &str) -> Result<ImportJob, AppError> {
        let user = user_id(principal);
        self.lock()
            .get(id)
            .filter(|j| Some(j.user_id.as_str()) == user)
            .cloned()
            .ok_or_else(|| AppError::NoSuch("no import with that id".into()))
    }

    /// The principal's jobs, newest first.
    pub fn of(&self, principal: &Principal) -> Vec<ImportJob> {
        let user = user_id(principal);
        let mut out: Vec<ImportJob> = self
            .lock()
            .values()
            .filter(|j| Some(j.user_id.as_str()) == user)
            .map(|j| ImportJob {
                file: None,
                ..j.clone()
            })
            .collect();
        out.sort_by_key(|j| std::cmp::Reverse(j.created));
        out
    }

    /// Changes the principal's job `id` while it is still only uploaded (a mapping
    /// chosen, the rows counted).
    pub fn update(
        &self,
        principal: &Principal,
        id: &str,
        change: impl FnOnce(&mut ImportJob),
    ) -> Result<(), AppError> {
        let user = user_id(principal);
        let mut jobs = self.lock();
        let job = jobs
            .get_mut(id)
            .filter(|j| Some(j.user_id.as_str()) == user)
            .ok_or_else(|| AppError::NoSuch("no import with that id".into()))?;
        if matches!(job.state, JobState::Uploaded) {
            change(job);
        }
        Ok(())
    }

    fn set_state(&self, id: &str, state: JobState) {
        if let Some(j) = self.lock().get_mut(id) {
            j.state = state;
        }
    }
}

impl App {
    /// The web's import jobs.
    pub fn import_jobs(&self) -> &ImportJobs {
        &self.imports
    }

    /// Starts the principal's uploaded job `id` in the background with this release: the
    /// file is imported through [`App::import_incidents_reporting`] as the principal, and
    /// the job's state follows it. Starting a job already started does nothing.
    pub fn start_import(
        &self,
        principal: &Principal,
        id: &str,
        release: ImportRelease,
    ) -> Result<(), AppError> {
        let (file, format, options) = {
            let user = user_id(principal);
            let mut jobs = self.imports.lock();
            let job = jobs
                .get_mut(id)
                .filter(|j| Some(j.user_id.as_str()) == user)
                .ok_or_else(|| AppError::NoSuch("no import with that id".into()))?;
            if !matches!(job.state, JobState::Uploaded) {
                return Ok(());
            }
            let Some(file) = job.file.take() else {
                return Ok(());
            };
            job.state = JobState::Running(Counts::default());
            (file, job.format.clone(), job.options.clone())
        };
        let app = self.clone();
        let principal = principal.clone();
        let id = id.to_owned();
        tokio::spawn(async move {
            let jobs = Arc::clone(&app.imports);
            let counts = Arc::new(Mutex::new(Counts::default()));
            let seen = Arc::clone(&counts);
            let result = app
                .import_incidents_reporting(
                    &principal,
                    std::io::Cursor::new(file),
                    &format,
                    &release,
                    &options,
                    |r| {
                        let c = Counts::of(r);
                        *seen.lock().unwrap_or_else(|e| e.into_inner()) = c.clone();
                        jobs.set_state(&id, JobState::Running(c));
                    },
                )
                .await;
            let state = match result {
                Ok(report) => JobState::Done(Arc::new(report)),
                Err(e) => {
                    tracing::warn!(job = %id, error = %e, "a web import stopped");
                    let so_far = counts.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    JobState::Failed(so_far, e.to_string())
                }
            };
            jobs.set_state(&id, state);
        });
        Ok(())
    }
}
