//! Incident imports in the browser: a file uploaded (ACLED, UCDP, GeoJSON, or any CSV with
//! its columns mapped), a preview of its first rows exactly as they would be stored and of
//! every row's problems (the importer's dry run, `preview_incidents`: nothing is written),
//! then the import in the background (`App::start_import`, the use case the command line
//! runs, as the user) with its progress, and at the end the summary and the rejected rows
//! (line, column, reason) as a CSV file.
//!
//! Only users who may create incidents of their organisation are offered it; a job is its
//! user's alone (anyone else's is "not found"). Jobs are kept in memory (see
//! `hawkari_app::import_jobs`): a restart forgets them.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hawkari_app::import_jobs::{Counts, ImportJob, JobState};
use hawkari_app::incident_import::{
    ImportFormat, ImportPreview, ImportRelease, ImportReport, preview_incidents,
};
use hawkari_app::{App, AppError};
use hawkari_core::incident::{IncidentData, IncidentType, Party};

use super::forms::FieldErrors;
use super::forms::{Fields, group_options, org_choices, visible_to};
use super::i18n::Tr;
use super::import_mapping::{
    DATE_FORMATS, DATE_PRECISIONS, LOCATION_PRECISIONS, MAPPED_FIELDS, mapping_fields, mapping_of,
    rule_rows, squash,
};
use super::incidents::unit_name;
use super::map::type_label;
use super::{PageCtx, WebError, redirect, render};

/// Rows of the file shown in the preview.
const PREVIEW_ROWS: usize = 10;
/// Rejected rows listed on the page (all of them are in the CSV report).
const LISTED_REJECTIONS: usize = 50;

/// The largest file accepted, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimit(pub usize);

/// The import pages, with their own body limit (a file is larger than a form).
pub fn routes(max_bytes: usize) -> Router<App> {
    Router::new()
        .route("/imports", get(imports).post(upload))
        .route("/imports/{id}", get(job).post(job_step))
        .route("/imports/{id}/progress", get(progress))
        .route("/imports/{id}/rejected.csv", get(rejected_csv))
        .layer(axum::Extension(ImportLimit(max_bytes)))
        // Room for the form's other fields and the multipart framing around the file.
        .layer(DefaultBodyLimit::max(max_bytes.saturating_add(64 * 1024)))
}

const FORMATS: [&str; 4] = ["acled", "ucdp", "geojson", "mapped"];

fn format_code(f: &ImportFormat) -> &'static str {
    match f {
        ImportFormat::Acled => "acled",
        ImportFormat::Ucdp => "ucdp",
        ImportFormat::GeoJson => "geojson",
        ImportFormat::Mapped(_) => "mapped",
    }
}

fn refuse_unless_may_import(page: &PageCtx) -> Result<(), WebError> {
    if page.may_import {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

// ---------------------------------------------------------------- the upload page

/// One of the user's jobs, in the list under the upload form.
struct JobLine {
    id: String,
    file_name: String,
    format: String,
    state: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    page: PageCtx,
    formats: Vec<(String, String)>,
    format: String,
    errors: FieldErrors,
    max_mb: String,
    jobs: Vec<JobLine>,
}

impl ImportsPage {
    fn is_format(&self, code: &str) -> bool {
        self.format == code
    }
    fn err(&self, key: &str) -> Vec<&str> {
        self.errors.at(key)
    }
}

fn state_words(tr: Tr, job: &ImportJob) -> String {
    match &job.state {
        JobState::Uploaded => tr.t("imp-state-uploaded"),
        JobState::Running(c) => tr.t1("imp-state-running", "read", &tr.num(c.read as usize)),
        JobState::Done(r) => tr.t2(
            "imp-state-done",
            &("stored", &tr.num((r.stored + r.updated) as usize)),
            &("rejected", &tr.num(r.rejected_rows as usize)),
        ),
        JobState::Failed(..) => tr.t("imp-state-failed"),
    }
}

fn format_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("imp-format-{code}"))
}

fn upload_page(
    app: &App,
    page: PageCtx,
    format: &str,
    errors: FieldErrors,
    limit: ImportLimit,
) -> Response {
    let tr = page.tr;
    let jobs = app
        .import_jobs()
        .of(&page.principal)
        .into_iter()
        .map(|j| JobLine {
            state: state_words(tr, &j),
            format: format_label(tr, format_code(&j.format)),
            id: j.id,
            file_name: j.file_name,
        })
        .collect();
    render(&ImportsPage {
        formats: FORMATS
            .iter()
            .map(|c| ((*c).to_owned(), format_label(tr, c)))
            .collect(),
        format: format.to_owned(),
        errors,
        max_mb: tr.digits(&format!("{:.0}", limit.0 as f64 / (1024.0 * 1024.0))),
        jobs,
        page,
    })
}

pub async fn imports(
    State(app): State<App>,
    page: PageCtx,
    axum::Extension(limit): axum::Extension<ImportLimit>,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    Ok(upload_page(
        &app,
        page,
        "acled",
        FieldErrors::default(),
        limit,
    ))
}

/// The upload: the format and the file (multipart). A file over the limit, an empty one
/// or a CSV without a header row is refused at the file's field; otherwise the job is
/// kept and its page (mapping, preview) shown.
pub async fn upload(
    State(app): State<App>,
    page: PageCtx,
    axum::Extension(limit): axum::Extension<ImportLimit>,
    req: Request,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    let tr = page.tr;
    let too_large = |app: &App, page: PageCtx, format: &str| {
        let mut errors = FieldErrors::default();
        let mb = tr.digits(&format!("{:.0}", limit.0 as f64 / (1024.0 * 1024.0)));
        errors.add("file", tr.t1("imp-too-large", "mb", &mb));
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            upload_page(app, page, format, errors, limit),
        )
            .into_response()
    };
    let mut parts = match Multipart::from_request(req, &app).await {
        Ok(p) => p,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Ok(too_large(&app, page, "acled"));
        }
        Err(_) => return Err(WebError::BadRequest),
    };
    let mut fields = Fields::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let format = fields.get("format").unwrap_or("acled").to_owned();
                return Ok(too_large(&app, page, &format));
            }
            Err(_) => return Err(WebError::BadRequest),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            // The CSRF token comes first in the form: no file is kept for a forged post.
            page.check_csrf(fields.get("csrf_token").unwrap_or(""))?;
            match field.bytes().await {
                Ok(b) => file = Some((file_name, b.to_vec())),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    let format = fields.get("format").unwrap_or("acled").to_owned();
                    return Ok(too_large(&app, page, &format));
                }
                Err(_) => return Err(WebError::BadRequest),
            }
        } else {
            let text = field.text().await.map_err(|_| WebError::BadRequest)?;
            fields.push(&name, text);
        }
    }
    page.check_csrf(fields.get("csrf_token").unwrap_or(""))?;
    let format_code = fields
        .get("format")
        .filter(|f| FORMATS.contains(f))
        .unwrap_or("acled")
        .to_owned();
    let mut errors = FieldErrors::default();
    let (file_name, bytes) = file.unwrap_or_default();
    if bytes.is_empty() {
        errors.add("file", tr.t("imp-file-needed"));
    } else if format_code != "geojson"
        && let Err(e) = hawkari_app::incident_import::csv_columns(&bytes[..])
    {
        errors.add("file", tr.t1("imp-not-csv", "why", &app_message(e)));
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            upload_page(&app, page, &format_code, errors, limit),
        )
            .into_response());
    }
    let format = match format_code.as_str() {
        "ucdp" => ImportFormat::Ucdp,
        "geojson" => ImportFormat::GeoJson,
        "mapped" => ImportFormat::Mapped(Box::default()),
        _ => ImportFormat::Acled,
    };
    let file_name = if file_name.trim().is_empty() {
        "upload".to_owned()
    } else {
        file_name
    };
    let id = app
        .import_jobs()
        .add(&page.principal, ImportJob::new(file_name, bytes, format))?;
    Ok(redirect(&format!("/imports/{id}")))
}

/// An error's words, with a validation error's field (`line 1: no header row`).
fn app_message(e: AppError) -> String {
    match e {
        AppError::Invalid(v) => v
            .errors
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- a job's page

/// One row of the preview, in words.
struct PreviewLine {
    line: String,
    ok: bool,
    id: String,
    when: String,
    place: String,
    kind: String,
    actors: String,
    casualties: String,
    source: String,
    narrative: String,
    /// "column: reason" of each problem (or caveat, for a row that would be stored).
    notes: Vec<String>,
}

/// A select of the file's columns for one of the mapping's fields.
struct ColumnChoice {
    field: String,
    label: String,
    required: bool,
    chosen: String,
}

/// (code, label) of a select's options.
type Choices = Vec<(String, String)>;

/// A value of the type column and the incident type chosen for it.
struct TypeChoice {
    n: usize,
    value: String,
    rows: String,
    chosen: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct JobPage {
    page: PageCtx,
    id: String,
    heading: String,
    /// The mapping step (a CSV with mapping, not yet started).
    mapping: bool,
    columns: Vec<String>,
    choices: Vec<ColumnChoice>,
    type_choices: Vec<TypeChoice>,
    types: Vec<(String, String)>,
    /// The date formats offered as boxes: (chrono pattern, an example date).
    date_formats: Vec<(String, String)>,
    /// The place's and the date's precision: (field, legend, [(code, label)]).
    precisions: Vec<(String, String, Choices)>,
    /// The type rules' rows (1…).
    rules: Vec<usize>,
    errors: FieldErrors,
    f: Fields,
    /// Still to be started: the preview, release and Import button.
    uploaded: bool,
    summary: String,
    preview: Vec<PreviewLine>,
    preview_error: String,
    /// Admin unit spellings the gazetteer does not know (see [`unmatched_lines`]).
    unmatched: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    visible: Vec<String>,
    /// The progress section (rendered by `ProgressPart`).
    progress: String,
    running: bool,
}

impl JobPage {
    fn v(&self, key: &str) -> &str {
        self.f.get(key).unwrap_or("")
    }
    fn has(&self, key: &str, value: &str) -> bool {
        self.f.all(key).iter().any(|v| v == value)
    }
    fn err(&self, key: &str) -> Vec<&str> {
        self.errors.at(key)
    }
    /// The value of row `n`'s field (`r2_c1`).
    fn rv(&self, n: &usize, field: &str) -> &str {
        self.f.get(&format!("r{n}_{field}")).unwrap_or("")
    }
}

/// The progress of a started job: counts while it runs (polled), the summary at the end.
#[derive(Template)]
#[template(path = "import_progress.html")]
struct ProgressPart {
    page: PageCtx,
    id: String,
    running: bool,
    done: bool,
    failed: String,
    total: String,
    read: String,
    read_n: u64,
    total_n: u64,
    /// (label, figure) of stored, updated, unchanged, rejected.
    counts: Vec<(String, String)>,
    rejected: Vec<(String, String, String)>,
    more_rejected: String,
    has_rejected: bool,
    warnings: String,
    /// Admin unit spellings the gazetteer does not know: (spelling, column, rows, first line).
    unmatched: Vec<(String, String)>,
}

fn progress_part(page: &PageCtx, job: &ImportJob) -> ProgressPart {
    let tr = page.tr;
    let n = |x: u64| tr.num(x as usize);
    let (counts, report): (Counts, Option<&Arc<ImportReport>>) = match &job.state {
        JobState::Running(c) | JobState::Failed(c, _) => (c.clone(), None),
        JobState::Done(r) => (
            Counts {
                read: r.read,
                stored: r.stored,
                updated: r.updated,
                unchanged: r.unchanged,
                rejected_rows: r.rejected_rows,
            },
            Some(r),
        ),
        JobState::Uploaded => (Counts::default(), None),
    };
    let total_n = match report {
        Some(r) => r.read,
        None => job.total.unwrap_or(0).max(counts.read),
    };
    let unit = report.map_or("line", |r| r.unit);
    let rejected: Vec<(String, String, String)> = report
        .map(|r| {
            r.rejected
                .iter()
                .take(LISTED_REJECTIONS)
                .map(|x| (n(x.line), x.column.clone(), x.reason.clone()))
                .collect()
        })
        .unwrap_or_default();
    let all_rejections = report.map_or(0, |r| r.rejected.len());
    ProgressPart {
        page: page.clone(),
        id: job.id.clone(),
        running: matches!(job.state, JobState::Running(_)),
        done: report.is_some(),
        failed: match &job.state {
            JobState::Failed(_, why) => why.clone(),
            _ => String::new(),
        },
        total: n(total_n),
        read: n(counts.read),
        read_n: counts.read,
        total_n: total_n.max(1),
        counts: vec![
            (tr.t("imp-count-stored"), n(counts.stored)),
            (tr.t("imp-count-updated"), n(counts.updated)),
            (tr.t("imp-count-unchanged"), n(counts.unchanged)),
            (tr.t("imp-count-rejected"), n(counts.rejected_rows)),
        ],
        more_rejected: if all_rejections > LISTED_REJECTIONS {
            tr.t1(
                "imp-more-rejected",
                "count",
                &n((all_rejections - LISTED_REJECTIONS) as u64),
            )
        } else {
            String::new()
        },
        has_rejected: all_rejections > 0,
        rejected,
        warnings: match report {
            Some(r) if !r.warnings.is_empty() => tr.t2(
                "imp-warnings",
                &("count", &n(r.warnings.len() as u64)),
                &("unit", &tr.t(&format!("imp-unit-{unit}"))),
            ),
            _ => String::new(),
        },
        unmatched: report.map_or_else(Vec::new, |r| unmatched_lines(tr, unit, &r.unmatched)),
    }
}

/// Admin unit spellings the gazetteer does not know, in the reader's words: (spelling,
/// "column: N rows, the first at line L").
fn unmatched_lines(
    tr: Tr,
    unit: &str,
    unmatched: &[hawkari_app::import_spellings::Unmatched],
) -> Vec<(String, String)> {
    let n = |x: u64| tr.num(x as usize);
    unmatched
        .iter()
        .map(|u| {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("field", u.column.clone());
            a.set("count", n(u.rows));
            a.set("unit", tr.t(&format!("imp-unit-{unit}")));
            a.set("line", n(u.first_line));
            (u.value.clone(), tr.with_args("imp-unmatched-item", &a))
        })
        .collect()
}

/// A preview row in the reader's words.
fn preview_line(tr: Tr, r: &hawkari_app::incident_import::PreviewRow) -> PreviewLine {
    let note = |(c, why): &(String, String)| {
        if c.is_empty() {
            why.clone()
        } else {
            format!("{c}: {why}")
        }
    };
    let mut line = PreviewLine {
        line: tr.num(r.line as usize),
        ok: r.incident.is_some(),
        id: String::new(),
        when: String::new(),
        place: String::new(),
        kind: String::new(),
        actors: String::new(),
        casualties: String::new(),
        source: String::new(),
        narrative: String::new(),
        notes: r.problems.iter().chain(&r.warnings).map(note).collect(),
    };
    if let Some((id, d)) = &r.incident {
        line.id = id.to_string();
        fill_preview(tr, &mut line, d);
    }
    line
}

fn fill_preview(tr: Tr, line: &mut PreviewLine, d: &IncidentData) {
    let g = hawkari_app::geography::gazetteer();
    line.when = tr.when(&d.when);
    let units = d.admin_units.clone().unwrap_or_default();
    let unit_names: Vec<String> = [&units.district, &units.governorate]
        .into_iter()
        .filter_map(|c| c.as_deref().and_then(|c| g.unit(c)))
        .map(|u| unit_name(&tr, u))
        .collect();
    let mut place = d
        .place_name
        .as_ref()
        .map(ToString::to_string)
        .into_iter()
        .chain(unit_names)
        .collect::<Vec<_>>()
        .join(", ");
    let point = tr.digits(&format!("{:.4}, {:.4}", d.point.lat, d.point.lon));
    place = if place.is_empty() {
        point
    } else {
        format!("{place} ({point})")
    };
    line.place = place;
    line.kind = match &d.sub_type {
        Some(s) => format!("{} ({s})", type_label(&tr, d.incident_type)),
        None => type_label(&tr, d.incident_type),
    };
    line.actors = d
        .actors
        .iter()
        .filter_map(|a| {
            a.name
                .as_ref()
                .map(ToString::to_string)
                .or_else(|| a.organisation_id.as_ref().map(ToString::to_string))
        })
        .collect::<Vec<_>>()
        .join("; ");
    line.casualties = d
        .casualties
        .iter()
        .map(|c| {
            let party = match c.party {
                Party::SecurityForces => "security_forces",
                Party::Civilians => "civilians",
                Party::Attackers => "attackers",
                Party::Unknown => "unknown",
            };
            tr.t2(
                "imp-casualties",
                &("killed", &tr.num(c.killed.best as usize)),
                &("injured", &tr.num(c.injured.best as usize)),
            ) + &format!(" ({})", tr.t(&format!("party-{party}")))
        })
        .collect::<Vec<_>>()
        .join("; ");
    line.source = d
        .sources
        .iter()
        .map(|s| tr.cite(&s.source))
        .collect::<Vec<_>>()
        .join("; ");
    line.narrative = d.narrative.as_ref().map_or_else(String::new, |n| {
        let n = n.to_string();
        match n.char_indices().nth(200) {
            Some((i, _)) => format!("{}…", &n[..i]),
            None => n,
        }
    });
}

/// The job's page: for an uploaded file the mapping step (a CSV with mapping), the
/// preview and the release; for a started one its progress or summary.
async fn job_page(
    app: &App,
    page: PageCtx,
    job: ImportJob,
    f: Option<Fields>,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let tr = page.tr;
    let code = format_code(&job.format);
    let heading = tr.t2(
        "imp-job-title",
        &("file", &job.file_name),
        &("format", &format_label(tr, code)),
    );
    let uploaded = matches!(job.state, JobState::Uploaded);
    let mut columns = Vec::new();
    let mut choices = Vec::new();
    let mut type_choices = Vec::new();
    let mut preview = Vec::new();
    let mut summary = String::new();
    let mut preview_error = String::new();
    let mut unmatched = Vec::new();
    let mut fields = f.unwrap_or_default();
    let mut visible = Vec::new();
    let mut orgs = Vec::new();
    let mapped = matches!(job.format, ImportFormat::Mapped(_));
    if uploaded && let Some(file) = job.file.clone() {
        if mapped {
            columns = hawkari_app::incident_import::csv_columns(&file[..])
                .unwrap_or_default()
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect();
            if fields.0.is_empty() {
                let m = match &job.format {
                    ImportFormat::Mapped(m) => Some(&**m),
                    _ => None,
                };
                fields = mapping_fields(m, &columns, &job.file_name);
            }
        }
        // The format to preview: for a mapping, the one the fields describe, once every
        // required column is chosen.
        let mut problems = FieldErrors::default();
        let format = if mapped {
            let m = mapping_of(&fields, &columns, tr, &mut problems);
            problems
                .is_empty()
                .then(|| ImportFormat::Mapped(Box::new(m)))
        } else {
            Some(job.format.clone())
        };
        let options = hawkari_app::incident_import::ImportOptions {
            allow_outside_iraq: fields.get("allow_outside_iraq").is_some(),
        };
        let release = release_of(&page, &fields);
        if let Some(format) = format {
            let bytes = Arc::clone(&file);
            let dry = tokio::task::spawn_blocking(move || {
                preview_incidents(
                    std::io::Cursor::new(bytes),
                    &format,
                    &release,
                    &options,
                    PREVIEW_ROWS,
                )
            })
            .await
            .map_err(|e| WebError::App(AppError::Unavailable(e.to_string())))?;
            match dry {
                Ok(p) => {
                    let total = p.read;
                    app.import_jobs()
                        .update(&page.principal, &job.id, |j| j.total = Some(total))?;
                    summary = preview_summary(tr, &p);
                    preview = p.rows.iter().map(|r| preview_line(tr, r)).collect();
                    unmatched = unmatched_lines(tr, p.unit, &p.unmatched);
                    if mapped {
                        type_choices = type_rows(&fields, &p);
                    }
                }
                Err(e) => preview_error = app_message(e),
            }
        }
        if mapped {
            choices = MAPPED_FIELDS
                .iter()
                .map(|(field, label, required)| ColumnChoice {
                    field: (*field).to_owned(),
                    label: tr.t(label),
                    required: *required,
                    chosen: fields.get(&format!("col_{field}")).unwrap_or("").to_owned(),
                })
                .collect();
        }
        orgs = org_choices(app, &page).await?;
        visible = visible_to(
            tr,
            page.user.organisation_id.as_str(),
            &fields.all("release_to"),
            &fields.all("release_group"),
            &orgs,
        );
    }
    let part = progress_part(&page, &job);
    let running = part.running;
    let progress = if uploaded {
        String::new()
    } else {
        part.render().map_err(|e| {
            WebError::App(AppError::Unavailable(format!(
                "the page could not be made: {e}"
            )))
        })?
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page_html = JobPage {
        id: job.id.clone(),
        heading,
        mapping: uploaded && mapped,
        columns,
        choices,
        type_choices,
        types: IncidentType::ALL
            .into_iter()
            .map(|t| (t.as_str().to_owned(), type_label(&tr, t)))
            .collect(),
        date_formats: DATE_FORMATS
            .iter()
            .map(|(code, example)| ((*code).to_owned(), (*example).to_owned()))
            .collect(),
        precisions: [
            (
                "location_precision",
                "imp-location-precision",
                "lp",
                &LOCATION_PRECISIONS[..],
            ),
            (
                "date_precision",
                "imp-date-precision",
                "dp",
                &DATE_PRECISIONS[..],
            ),
        ]
        .into_iter()
        .map(|(name, legend, short, codes)| {
            let labels = codes
                .iter()
                .map(|c| ((*c).to_owned(), tr.t(&format!("imp-{short}-{c}"))))
                .collect();
            (name.to_owned(), tr.t(legend), labels)
        })
        .collect(),
        rules: rule_rows(&fields),
        errors,
        f: fields,
        uploaded,
        summary,
        preview,
        preview_error,
        unmatched,
        groups: group_options(tr),
        orgs,
        visible,
        progress,
        running,
        page,
    };
    Ok((status, render(&page_html)).into_response())
}

/// "12 rows read; 2 would be rejected (listed below for the first rows)".
fn preview_summary(tr: Tr, p: &ImportPreview) -> String {
    tr.with_args("imp-preview-summary", &{
        let mut a = fluent_bundle::FluentArgs::new();
        a.set("read", tr.num(p.read as usize));
        a.set("rejected", tr.num(p.rejected_rows as usize));
        a.set("unit", tr.t(&format!("imp-unit-{}", p.unit)));
        a
    })
}

/// The values of the type column found in the file (as the preview read them) with the
/// type chosen for each: the form's choice, else the type of that code or name.
fn type_rows(f: &Fields, p: &ImportPreview) -> Vec<TypeChoice> {
    let chosen = |value: &str| -> String {
        for n in 1..=super::forms::rows_of(f, "t") {
            if f.get(&format!("t{n}_value")) == Some(value) {
                return f.get(&format!("t{n}_code")).unwrap_or("").to_owned();
            }
        }
        let v = squash(value);
        IncidentType::ALL
            .into_iter()
            .find(|t| squash(t.as_str()) == v)
            .map_or_else(String::new, |t| t.as_str().to_owned())
    };
    p.sub_types
        .iter()
        .enumerate()
        .map(|(i, (value, rows))| TypeChoice {
            n: i + 1,
            chosen: chosen(value),
            value: value.clone(),
            rows: rows.to_string(),
        })
        .collect()
}

/// The release the form's fields give (ids and groups that are not ones are left out;
/// the app checks the rest when the rows are written).
fn release_of(page: &PageCtx, f: &Fields) -> ImportRelease {
    ImportRelease {
        owner: page.user.organisation_id.clone(),
        releasable_to: f
            .all("release_to")
            .iter()
            .filter_map(|o| o.parse().ok())
            .filter(|o| *o != page.user.organisation_id)
            .collect(),
        groups: f
            .all("release_group")
            .iter()
            .filter_map(|g| serde_json::from_value(serde_json::Value::String(g.clone())).ok())
            .collect(),
    }
}

pub async fn job(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    let job = app.import_jobs().get(&page.principal, &id)?;
    job_page(&app, page, job, None, FieldErrors::default()).await
}

/// The mapping step's and the release's form: "Preview" shows the file as the fields
/// would import it (the mapping is kept); "Import" starts the import.
pub async fn job_step(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    let f = Fields(pairs);
    page.check_csrf(f.get("csrf_token").unwrap_or(""))?;
    let job = app.import_jobs().get(&page.principal, &id)?;
    if !matches!(job.state, JobState::Uploaded) {
        return Ok(redirect(&format!("/imports/{id}")));
    }
    let mut errors = FieldErrors::default();
    let mut format = job.format.clone();
    if let ImportFormat::Mapped(_) = &job.format {
        let columns = job
            .file
            .as_deref()
            .map(|b| hawkari_app::incident_import::csv_columns(b).unwrap_or_default())
            .unwrap_or_default();
        let m = mapping_of(&f, &columns, page.tr, &mut errors);
        format = ImportFormat::Mapped(Box::new(m));
    }
    let options = hawkari_app::incident_import::ImportOptions {
        allow_outside_iraq: f.get("allow_outside_iraq").is_some(),
    };
    app.import_jobs().update(&page.principal, &id, |j| {
        j.format = format;
        j.options = options;
    })?;
    let job = app.import_jobs().get(&page.principal, &id)?;
    if f.get("step") == Some("run") && errors.is_empty() {
        app.start_import(&page.principal, &id, release_of(&page, &f))?;
        return Ok(redirect(&format!("/imports/{id}")));
    }
    job_page(&app, page, job, Some(f), errors).await
}

/// The progress section alone, for the page's polling.
pub async fn progress(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    let job = app.import_jobs().get(&page.principal, &id)?;
    let mut r = render(&progress_part(&page, &job));
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The rejected rows of a finished job as CSV: line (a GeoJSON feature's number),
/// column, reason.
pub async fn rejected_csv(
    State(app): State<App>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    refuse_unless_may_import(&page)?;
    let job = app.import_jobs().get(&page.principal, &id)?;
    let JobState::Done(report) = &job.state else {
        return Err(WebError::NotFound);
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| WebError::App(AppError::Unavailable(e.to_string()));
    w.write_record([report.unit, "column", "reason"])
        .map_err(fail)?;
    for r in &report.rejected {
        w.write_record([r.line.to_string().as_str(), &r.column, &r.reason])
            .map_err(fail)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| WebError::App(AppError::Unavailable(e.to_string())))?;
    let stem: String = job
        .file_name
        .rsplit_once('.')
        .map_or(job.file_name.as_str(), |(s, _)| s)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{stem}-rejected-rows.csv\""
    )) {
        r.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
