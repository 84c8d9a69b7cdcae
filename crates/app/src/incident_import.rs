//! Incident imports: ACLED and UCDP GED CSV by their published column names, any other
//! CSV through a column mapping, and GeoJSON FeatureCollections of points (such as
//! Hawkari's own GeoJSON export). Rows stream (bounded memory: a GeoJSON file is parsed
//! feature by feature on its own thread), a bad row never stops the import — it is
//! reported with its line (or feature number), column and reason — and re-importing the
//! same file changes nothing new: each incident's id is derived from the source's own
//! event id and the owner (`acled-irq1234-mopa`), so a second import updates in place.
//!
//! Every row read ends in exactly one of the report's counts — stored, updated, unchanged
//! or rejected — so that `read` is their sum and nothing is lost without a word. A row is
//! rejected, not stored with a guess, when its type is empty or its point lies outside
//! Iraq (no admin units could be derived; [`ImportOptions::allow_outside_iraq`] stores such
//! points with a warning instead); a type the source's list does not have is stored as
//! `other` with a warning (a mapping's rejects its row unless the mapping says `other`).
//!
//! Each format is read in a module of its own — `import_datasets` (ACLED, UCDP),
//! [`import_mapping`](crate::import_mapping) (any CSV), `import_geojson` — into a
//! [`ParsedRow`]; this module checks rows as the API would, counts them, writes them in
//! batches, and gives the dry run ([`preview_incidents`]).

use std::collections::HashMap;
use std::io::Read;

use hawkari_core::access::ReleaseGroup;
use hawkari_core::ids::{IncidentId, OrganisationId};
use hawkari_core::incident::{
    Casualties, Estimate, GradedSource, Incident, IncidentData, Party, Reliability,
};
use hawkari_core::meta::Meta;
use hawkari_core::record::{Kind, RecordData};
use hawkari_core::values::{Name, Point, Source, Text};
use hawkari_store::{AnyRecord, StoreError, Write};
use serde::Serialize;

use crate::csv_input::{CsvInput, Row};
use crate::{App, AppError, Principal};

/// The layout of an incident file.
#[derive(Debug, Clone)]
pub enum ImportFormat {
    /// ACLED's export columns (`event_id_cnty`, `event_date`, `latitude`, …).
    Acled,
    /// UCDP GED columns (`id`, `date_start`, `date_end`, `latitude`, `best`, …).
    Ucdp,
    /// Any CSV, described by a mapping.
    Mapped(Box<ColumnMapping>),
    /// A GeoJSON FeatureCollection of Point features whose properties are an incident's
    /// fields (`type`, `when`, …; see [`geojson_feature`](crate::incident_export::geojson_feature)).
    GeoJson,
}

pub use crate::import_mapping::{ColumnMapping, FromColumn, TypeRule, Unlisted};

/// A problem of one row: why it was not imported (in a report's `rejected`), or what was
/// stored with a caveat (in `warnings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejection {
    /// For CSV the physical line of the file where the row begins (the header is line 1;
    /// a quoted cell holding line breaks makes a row span several); for GeoJSON the
    /// feature's number (the first is 1). [`ImportReport::unit`] says which.
    pub line: u64,
    /// The column (or field) at fault; empty for the whole row.
    pub column: String,
    pub reason: String,
}

/// What an import did. Each row read is counted once, in `stored`, `updated`,
/// `unchanged` or `rejected_rows`: `read` is their sum.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// What [`Rejection::line`] counts: `line` (CSV) or `feature` (GeoJSON).
    pub unit: &'static str,
    pub read: u64,
    /// New incidents.
    pub stored: u64,
    /// Incidents already imported whose content changed.
    pub updated: u64,
    /// Incidents already imported, unchanged (a re-import).
    pub unchanged: u64,
    /// Rows not imported; each has one or more entries in `rejected`.
    pub rejected_rows: u64,
    /// Why, row by row in the file's order (a row may have several problems).
    pub rejected: Vec<Rejection>,
    /// Rows imported with a caveat (a type stored as `other`, a point outside Iraq
    /// allowed), in the file's order.
    pub warnings: Vec<Rejection>,
    /// Admin unit names the gazetteer does not know (ACLED's `admin1`/`admin2`, UCDP's
    /// `adm_1`/`adm_2`, a mapping's `governorate`/`district`): each spelling once, with
    /// its count. The rows are imported; their admin units come from the point.
    pub unmatched: Vec<crate::import_spellings::Unmatched>,
}

impl ImportReport {
    /// Whether every row read is in exactly one count.
    pub fn accounts_for_every_row(&self) -> bool {
        self.read == self.stored + self.updated + self.unchanged + self.rejected_rows
    }

    /// Records the caveats of a row that was imported.
    fn warn(&mut self, line: u64, warnings: Vec<(String, String)>) {
        self.warnings
            .extend(warnings.into_iter().map(|(column, reason)| Rejection {
                line,
                column,
                reason,
            }));
    }

    /// Rejects one row for each of `problems` (at least one).
    fn reject(&mut self, line: u64, problems: impl IntoIterator<Item = (String, String)>) {
        self.rejected_rows += 1;
        let before = self.rejected.len();
        self.rejected
            .extend(problems.into_iter().map(|(column, reason)| Rejection {
                line,
                column,
                reason,
            }));
        debug_assert!(self.rejected.len() > before, "a row rejected for no reason");
    }
}

/// How an import treats what it would otherwise refuse.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Store incidents whose point no governorate of Iraq contains, with no admin units
    /// and a warning each, instead of rejecting them (e.g. events across the border kept
    /// for context).
    pub allow_outside_iraq: bool,
}

/// Who owns the imported incidents and who may see them.
#[derive(Debug, Clone)]
pub struct ImportRelease {
    pub owner: OrganisationId,
    pub releasable_to: Vec<OrganisationId>,
    pub groups: Vec<ReleaseGroup>,
}

pub(crate) fn name(s: &str) -> Option<Name> {
    let s: String = s.chars().take(Name::MAX_CHARS).collect();
    Name::try_from(s).ok()
}

/// The cell of `column` as a name. A longer one is cut to the longest a name may be, and
/// one that cannot be a name (a control character) is left out: either with a warning,
/// never without a word.
pub(crate) fn cell_name(
    row: &Row<'_>,
    column: &str,
    warnings: &mut Vec<(String, String)>,
) -> Option<Name> {
    let v = row.opt(column)?;
    let n = v.chars().count();
    let kept = name(v);
    if kept.is_none() {
        let why = Name::try_from(v.to_owned()).err().unwrap_or_default();
        warnings.push((column.to_owned(), format!("{why}; the value is left out")));
    } else if n > Name::MAX_CHARS {
        warnings.push((
            column.to_owned(),
            format!(
                "is {n} characters long; the first {} are kept",
                Name::MAX_CHARS
            ),
        ));
    }
    kept
}

/// The cell of `column` as prose; one that cannot be (too long, a control character) is
/// left out with a warning.
pub(crate) fn cell_text(
    row: &Row<'_>,
    column: &str,
    warnings: &mut Vec<(String, String)>,
) -> Option<Text> {
    let v = row.opt(column)?;
    match Text::try_from(v.to_owned()) {
        Ok(t) => Some(t),
        Err(why) => {
            warnings.push((column.to_owned(), format!("{why}; the text is left out")));
            None
        }
    }
}

pub(crate) fn point(row: &Row<'_>, lat: &str, lon: &str) -> Result<Point, (String, String)> {
    let lat_v: f64 = row
        .decimal(lat)?
        .ok_or_else(|| (lat.to_owned(), "is empty or missing".to_owned()))?;
    let lon_v: f64 = row
        .decimal(lon)?
        .ok_or_else(|| (lon.to_owned(), "is empty or missing".to_owned()))?;
    if !(-90.0..=90.0).contains(&lat_v) {
        return Err((lat.to_owned(), "must be between -90 and 90".into()));
    }
    if !(-180.0..=180.0).contains(&lon_v) {
        return Err((lon.to_owned(), "must be between -180 and 180".into()));
    }
    Ok(Point {
        lat: lat_v,
        lon: lon_v,
    })
}

/// Casualties of unknown party, all three estimates the same.
pub(crate) fn deaths(party: Party, n: u32) -> Casualties {
    Casualties {
        party,
        killed: Estimate {
            low: n,
            best: n,
            high: n,
        },
        injured: Estimate::default(),
    }
}

/// A source citation: the dataset and its own text; grading cannot be judged from it.
/// `column` is the event id's, blamed when the id makes no valid title.
pub(crate) fn dataset_source(
    publisher: &str,
    title: String,
    reference: Option<Name>,
    column: &str,
) -> Result<GradedSource, (String, String)> {
    Ok(GradedSource {
        source: Source {
            publisher: name(publisher).ok_or_else(|| {
                (
                    "id_prefix".to_owned(),
                    "the mapping's id_prefix must be a short name".to_owned(),
                )
            })?,
            title: Text::try_from(title).map_err(|m| (column.to_owned(), m))?,
            date: None,
            url: None,
            reference,
        },
        reliability: Reliability::F,
        credibility: 6,
    })
}

/// The id of an imported incident: the source, its event id and the owner
/// (`acled-irq1001-mopa`), so that each partner holds its own copy and a re-import of the
/// same event finds it again.
pub(crate) fn import_id(source: &str, external: &str, release: &ImportRelease) -> String {
    format!("{}-{}-{}", slug(source), slug(external), release.owner)
}

/// The source's own key of an event as stored: `acled:IRQ1001`, made of the same two
/// trimmed parts as the incident's id, whole (never cut): two rows whose keys are the same
/// then have the same id, and so update one incident rather than collide in the store's
/// unique index of keys. A key that cannot be kept whole rejects the row (`column`).
pub(crate) fn source_key(
    source: &str,
    external: &str,
    column: &str,
) -> Result<Name, (String, String)> {
    let key = format!("{source}:{external}");
    Name::try_from(key.clone()).map_err(|m| {
        (
            column.to_owned(),
            format!("`{key}` cannot be the incident's source id: it {m}"),
        )
    })
}

/// An id-safe form of a source's event id. One longer than 50 characters keeps its first
/// 36 and a hash of the whole (`…-h3f2a9c01b7e4`), so that two ids alike in their first
/// 50 characters never share an incident id.
fn slug(s: &str) -> String {
    use sha2::Digest;
    let s: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if s.chars().count() <= 50 {
        return s;
    }
    let hash = sha2::Sha256::digest(s.as_bytes());
    let hex: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let head: String = s.chars().take(36).collect();
    format!("{head}-h{hex}")
}

/// Rows per transaction. Large, because each transaction rewrites every index page its
/// rows touch (eight B-trees, the search index and the R*Tree per incident): rows that
/// share a page in one transaction write it once. At 1 000 rows into 100 000 incidents an
/// import wrote 29 pages a row; memory stays bounded by the batch (a few MB of records).
const BATCH: usize = 5000;

/// A row of a batch about to be written: new or an update, and its caveats.
struct Pending {
    line: u64,
    new: bool,
    write: Write,
    warnings: Vec<(String, String)>,
}

/// A checked row waiting for its batch to be written.
struct Ready {
    line: u64,
    id: IncidentId,
    data: IncidentData,
    warnings: Vec<(String, String)>,
}

/// What reading one row or feature gave: an incident, or the column at fault and why.
pub(crate) type Parsed = Result<ParsedRow, (String, String)>;

/// An incident read from a row: its id, content, and what the row is stored with a
/// caveat for (column, why).
#[derive(Debug)]
pub(crate) struct ParsedRow {
    pub(crate) id: String,
    pub(crate) data: IncidentData,
    pub(crate) warnings: Vec<(String, String)>,
    /// Admin unit names as the source spells them (column, value), looked up in the
    /// gazetteer; those it does not know are reported once each with their count.
    pub(crate) names: Vec<(String, String)>,
    /// Place names as the source spells them (column, value), looked up among the
    /// gazetteer's named places and units, reported the same way.
    pub(crate) place_names: Vec<(String, String)>,
}

/// The column of a format's source event id.
fn key_column(format: &ImportFormat) -> String {
    match format {
        ImportFormat::Acled => "event_id_cnty".to_owned(),
        ImportFormat::Ucdp => "id".to_owned(),
        ImportFormat::Mapped(m) => m.key_column(),
        ImportFormat::GeoJson => "properties.external_id".to_owned(),
    }
}

/// The columns a CSV format cannot do without (entry, column): one missing from the
/// header refuses the file before any row, rather than rejecting every row.
fn required_columns(format: &ImportFormat) -> Vec<(String, String)> {
    let fixed = |cols: &[&str]| {
        cols.iter()
            .map(|c| ((*c).to_owned(), (*c).to_owned()))
            .collect()
    };
    match format {
        ImportFormat::Acled => fixed(&[
            "event_id_cnty",
            "event_date",
            "event_type",
            "latitude",
            "longitude",
        ]),
        ImportFormat::Ucdp => fixed(&[
            "id",
            "type_of_violence",
            "date_start",
            "latitude",
            "longitude",
        ]),
        ImportFormat::Mapped(m) => m
            .columns()
            .into_iter()
            .map(|(field, c)| (format!("mapping.{field}"), c.to_owned()))
            .collect(),
        ImportFormat::GeoJson => vec![],
    }
}

/// The column(s) naming a format's point, for a point outside Iraq.
fn point_columns(format: &ImportFormat) -> String {
    match format {
        ImportFormat::Acled | ImportFormat::Ucdp => "latitude, longitude".to_owned(),
        ImportFormat::Mapped(m) => format!("{}, {}", m.latitude, m.longitude),
        ImportFormat::GeoJson => "geometry.coordinates".to_owned(),
    }
}

/// A row's incident checked as the API would check it, and against the gazetteer: its id,
/// content with admin units derived, and warnings; or every problem found (column, why).
#[allow(clippy::type_complexity)]
fn check_row(
    parsed: Parsed,
    options: &ImportOptions,
    point_columns: &str,
) -> Result<(IncidentId, IncidentData, Vec<(String, String)>), Vec<(String, String)>> {
    let ParsedRow {
        id,
        data,
        mut warnings,
        ..
    } = parsed.map_err(|p| vec![p])?;
    let id = IncidentId::try_from(id).map_err(|m| vec![("id".to_owned(), m)])?;
    let data = crate::records::enrich(data);
    let mut problems = hawkari_core::error::Problems::default();
    data.check(id.as_str(), &mut problems);
    let mut problems: Vec<(String, String)> = match problems.into_result() {
        Ok(()) => vec![],
        Err(v) => v.errors.into_iter().map(|e| (e.field, e.message)).collect(),
    };
    // Admin units cannot be derived for a point in no governorate: refused, as operation
    // sites refuse it, unless the import allows it. (`enrich` located the point already:
    // its governorate is the one `geography::outside_iraq` would look for.)
    let outside = data
        .admin_units
        .as_ref()
        .is_none_or(|a| a.governorate.is_none());
    if outside {
        let why = crate::geography::outside_iraq_reason(&data.point);
        if options.allow_outside_iraq {
            warnings.push((
                point_columns.to_owned(),
                format!("{why}; stored with no admin units, as allowed"),
            ));
        } else {
            problems.push((point_columns.to_owned(), why));
        }
    }
    if problems.is_empty() {
        Ok((id, data, warnings))
    } else {
        Err(problems)
    }
}

/// The rows of a CSV as incidents, each with its line. A row that is not even CSV comes
/// out as a rejection of the whole row.
fn csv_rows<'a>(
    reader: impl Read + Send + 'a,
    format: &'a ImportFormat,
    release: &'a ImportRelease,
) -> Result<impl Iterator<Item = (u64, Parsed)> + Send + 'a, AppError> {
    let mut input = CsvInput::open(reader)?;
    let missing: Vec<hawkari_core::FieldError> = required_columns(format)
        .into_iter()
        .filter(|(_, c)| !input.has_column(c))
        .map(|(field, c)| hawkari_core::FieldError {
            field,
            message: format!(
                "the column `{c}` is not in the file's header (line 1: {})",
                input.columns().join(", ")
            ),
        })
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Invalid(hawkari_core::ValidationError {
            errors: missing,
        }));
    }
    Ok(std::iter::from_fn(move || {
        let (line, row) = input.next_row()?;
        let parsed = match row {
            Ok(row) => match format {
                ImportFormat::Acled => crate::import_datasets::acled(&row, release),
                ImportFormat::Ucdp => crate::import_datasets::ucdp(&row, release),
                ImportFormat::Mapped(m) => crate::import_mapping::mapped(m, &row, release),
                ImportFormat::GeoJson => unreachable!("GeoJSON is not read as CSV"),
            },
            Err(problem) => Err(problem),
        };
        Some((line, parsed))
    }))
}

/// The rows of a file, each read and checked exactly as an import checks it before
/// anything is written (the row's own fields, the record's rules, Iraq, an id read twice):
/// the import stores what this gives, and [`preview_incidents`] (the dry run) shows it.
struct CheckedRows<'a> {
    rows: Box<dyn Iterator<Item = (u64, Parsed)> + Send + 'a>,
    unit: &'static str,
    options: &'a ImportOptions,
    point_columns: String,
    /// Ids read so far, with their line: a repeated id is refused wherever it comes.
    seen: crate::seen::Seen<u64>,
    /// Admin unit spellings the gazetteer does not know.
    spellings: crate::import_spellings::Spellings,
}

/// What checking one row gave: the incident ready to be written, or every problem.
type Checked = Result<Ready, Vec<(String, String)>>;

impl<'a> CheckedRows<'a> {
    fn open(
        reader: impl Read + Send + 'static,
        format: &'a ImportFormat,
        release: &'a ImportRelease,
        options: &'a ImportOptions,
    ) -> Result<Self, AppError> {
        if let ImportFormat::Mapped(m) = format {
            m.check()?;
        }
        let (rows, unit): (Box<dyn Iterator<Item = (u64, Parsed)> + Send + 'a>, _) = match format {
            ImportFormat::GeoJson => (
                Box::new(crate::import_geojson::geojson_rows(reader, release)),
                "feature",
            ),
            _ => (Box::new(csv_rows(reader, format, release)?), "line"),
        };
        Ok(Self {
            rows,
            unit,
            options,
            point_columns: point_columns(format),
            seen: crate::seen::Seen::default(),
            spellings: Default::default(),
        })
    }
}

impl Iterator for CheckedRows<'_> {
    type Item = (u64, Checked);

    fn next(&mut self) -> Option<(u64, Checked)> {
        let (line, mut parsed) = self.rows.next()?;
        if let Ok(p) = &mut parsed {
            self.spellings.see(
                line,
                std::mem::take(&mut p.names),
                std::mem::take(&mut p.place_names),
            );
        }
        let checked = check_row(parsed, self.options, &self.point_columns).and_then(
            |(id, data, warnings)| match self.seen.first(&[id.as_str()], line) {
                Some(first) => Err(vec![(
                    "id".to_owned(),
                    format!(
                        "`{id}` is also the id of {} {first}; only the first is imported",
                        self.unit
                    ),
                )]),
                None => Ok(Ready {
                    line,
                    id,
                    data,
                    warnings,
                }),
            },
        );
        Some((line, checked))
    }
}

/// One row of a dry run, as it would be stored or why it would not be.
#[derive(Debug, Clone)]
pub struct PreviewRow {
    /// The row's line (a GeoJSON feature's number).
    pub line: u64,
    /// The incident's id and content as they would be stored (admin units derived);
    /// `None` when the row would be rejected.
    pub incident: Option<(IncidentId, IncidentData)>,
    /// Why the row would be rejected (column, reason).
    pub problems: Vec<(String, String)>,
    /// What it would be stored with a caveat for (column, reason).
    pub warnings: Vec<(String, String)>,
}

/// A dry run of an import over a whole file: nothing is written, nothing is read from
/// the store.
#[derive(Debug, Clone, Default)]
pub struct ImportPreview {
    /// What a row's line counts: `line` (CSV) or `feature` (GeoJSON).
    pub unit: &'static str,
    /// The first rows, as they would be stored.
    pub rows: Vec<PreviewRow>,
    /// Rows in the whole file.
    pub read: u64,
    /// Of them, rows the import would reject before writing (others may still be
    /// rejected when written: an actor not in the registry, an id another organisation
    /// owns, a source id another of the owner's incidents holds).
    pub rejected_rows: u64,
    /// The distinct values of the incidents' sub-types among the rows that would be
    /// stored, most frequent first (at most 100): for a mapped CSV, the values of the
    /// type column, which the mapping's `types` turn into incident types.
    pub sub_types: Vec<(String, u64)>,
    /// Why each row the import would reject before writing is rejected, in the file's
    /// order (every row, not only the first shown).
    pub rejected: Vec<Rejection>,
    /// What rows would be stored with a caveat for, in the file's order.
    pub warnings: Vec<Rejection>,
    /// Admin unit spellings the gazetteer does not know, once each with their count.
    pub unmatched: Vec<crate::import_spellings::Unmatched>,
}

/// Reads and checks a whole file as [`App::import_incidents`] would, through the same
/// reader and checks, and writes nothing: every row's problems, the first `show` rows as
/// they would be stored. The file is refused as a whole where the import would refuse it
/// (no header row, a mapping whose prefix is not a short name).
pub fn preview_incidents(
    reader: impl Read + Send + 'static,
    format: &ImportFormat,
    release: &ImportRelease,
    options: &ImportOptions,
    show: usize,
) -> Result<ImportPreview, AppError> {
    let mut rows = CheckedRows::open(reader, format, release, options)?;
    let mut preview = ImportPreview {
        unit: rows.unit,
        ..ImportPreview::default()
    };
    let mut sub_types: HashMap<String, u64> = HashMap::new();
    for (line, checked) in rows.by_ref() {
        preview.read += 1;
        let as_rejections = |v: &[(String, String)]| {
            v.iter()
                .map(|(column, reason)| Rejection {
                    line,
                    column: column.clone(),
                    reason: reason.clone(),
                })
                .collect::<Vec<_>>()
        };
        match &checked {
            Ok(r) => preview.warnings.extend(as_rejections(&r.warnings)),
            Err(problems) => preview.rejected.extend(as_rejections(problems)),
        }
        if let Ok(r) = &checked
            && let Some(s) = &r.data.sub_type
            && (sub_types.len() < 1000 || sub_types.contains_key(s.as_str()))
        {
            *sub_types.entry(s.to_string()).or_default() += 1;
        }
        if checked.is_err() {
            preview.rejected_rows += 1;
        }
        if preview.rows.len() < show {
            preview.rows.push(match checked {
                Ok(r) => PreviewRow {
                    line,
                    incident: Some((r.id, r.data)),
                    problems: vec![],
                    warnings: r.warnings,
                },
                Err(problems) => PreviewRow {
                    line,
                    incident: None,
                    problems,
                    warnings: vec![],
                },
            });
        }
    }
    let mut sub_types: Vec<(String, u64)> = sub_types.into_iter().collect();
    sub_types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sub_types.truncate(100);
    preview.sub_types = sub_types;
    preview.unmatched = rows.spellings.unmatched();
    Ok(preview)
}

/// The names of a CSV file's columns (its header row), read as the importer reads it.
pub fn csv_columns(reader: impl Read) -> Result<Vec<String>, AppError> {
    Ok(CsvInput::open(reader)?.columns().to_vec())
}

impl App {
    /// Imports incidents from a file. Good rows are stored (batches of 5 000, each its own
    /// transaction), bad ones reported; `progress` gets the rows read so far. Every row
    /// read is counted once: stored, updated, unchanged or rejected.
    pub async fn import_incidents(
        &self,
        principal: &Principal,
        reader: impl Read + Send + 'static,
        format: &ImportFormat,
        release: &ImportRelease,
        options: &ImportOptions,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, AppError> {
        self.import_incidents_reporting(principal, reader, format, release, options, |r| {
            progress(r.read)
        })
        .await
    }

    /// [`App::import_incidents`], with the report so far (its counts) after each batch.
    pub async fn import_incidents_reporting(
        &self,
        principal: &Principal,
        reader: impl Read + Send + 'static,
        format: &ImportFormat,
        release: &ImportRelease,
        options: &ImportOptions,
        mut progress: impl FnMut(&ImportReport),
    ) -> Result<ImportReport, AppError> {
        let mut rows = CheckedRows::open(reader, format, release, options)?;
        let mut report = ImportReport {
            unit: rows.unit,
            ..ImportReport::default()
        };
        let key_column = key_column(format);
        let mut batch: Vec<Ready> = Vec::new();
        for (line, checked) in rows.by_ref() {
            report.read += 1;
            match checked {
                Ok(ready) => batch.push(ready),
                Err(problems) => report.reject(line, problems),
            }
            if batch.len() >= BATCH {
                self.store_incidents(
                    principal,
                    std::mem::take(&mut batch),
                    &key_column,
                    &mut report,
                )
                .await?;
                progress(&report);
            }
        }
        self.store_incidents(principal, batch, &key_column, &mut report)
            .await?;
        report.unmatched = rows.spellings.unmatched();
        progress(&report);
        // Rows rejected when their batch was written come after the batch's other
        // rejections, and an unchanged row's warnings before those of the rows written
        // with it: put both back in the file's order (a row's own keep theirs).
        report.rejected.sort_by_key(|r| r.line);
        report.warnings.sort_by_key(|w| w.line);
        debug_assert!(report.accounts_for_every_row(), "{report:?}");
        Ok(report)
    }

    /// Writes a batch: new ids are stored, known ones updated (one version up). Rows naming
    /// an organisation as actor that is not in the registry are rejected here.
    async fn store_incidents(
        &self,
        principal: &Principal,
        batch: Vec<Ready>,
        key_column: &str,
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        if let Some(Ready { data, .. }) = batch.first()
            && !self.authz.allows(
                principal,
                crate::Action::Create,
                crate::authz::Releasability::of(data),
            )
        {
            return Err(AppError::Forbidden(format!(
                "only editors of {} may import incidents it owns",
                data.owner_org_id
            )));
        }
        let mut actors: Vec<String> = batch
            .iter()
            .flat_map(|r| {
                r.data
                    .actors
                    .iter()
                    .filter_map(|a| a.organisation_id.as_ref())
            })
            .map(ToString::to_string)
            .collect();
        actors.sort_unstable();
        actors.dedup();
        let known = if actors.is_empty() {
            HashMap::new()
        } else {
            self.store.get_many(Kind::Organisation, &actors).await?
        };
        let batch: Vec<Ready> = batch
            .into_iter()
            .filter(|Ready { line, data, .. }| {
                let unknown = data.actors.iter().enumerate().find(|(_, a)| {
                    a.organisation_id
                        .as_ref()
                        .is_some_and(|o| !known.contains_key(o.as_str()))
                });
                if let Some((i, a)) = unknown {
                    report.reject(
                        *line,
                        [(
                            format!("actors[{i}].organisation_id"),
                            format!(
                                "no organisation `{}` in the registry",
                                a.organisation_id.as_ref().map_or("", |o| o.as_str())
                            ),
                        )],
                    );
                }
                unknown.is_none()
            })
            .collect();
        let ids: Vec<String> = batch.iter().map(|r| r.id.to_string()).collect();
        // The stored versions of the batch's ids, in one query.
        let mut existing = self.store.get_many(Kind::Incident, &ids).await?;
        let now = self.now();
        let mut pending: Vec<Pending> = Vec::with_capacity(batch.len());
        for Ready {
            line,
            id,
            data,
            warnings,
        } in batch
        {
            let (new, record) = match existing.remove(id.as_str()) {
                Some(AnyRecord::Incident(old)) if old.data.owner_org_id != data.owner_org_id => {
                    // Never re-owned by an import: each organisation holds its own copy.
                    report.reject(
                        line,
                        [(
                            "id".to_owned(),
                            format!("`{id}` is an incident another organisation owns"),
                        )],
                    );
                    continue;
                }
                Some(AnyRecord::Incident(old)) => {
                    // What editors added since the last import is kept: links to
                    // engagements and a handling caveat are not in the source's data.
                    let mut data = data;
                    data.engagement_ids = old.data.engagement_ids.clone();
                    data.caveat = old.data.caveat.clone();
                    if old.data == data {
                        report.unchanged += 1;
                        report.warn(line, warnings);
                        continue;
                    }
                    let record = Incident {
                        id: old.id,
                        data,
                        meta: old.meta.next(&principal.actor, now),
                    };
                    (false, record)
                }
                _ => {
                    let record = Incident {
                        id,
                        data,
                        meta: Meta::new(&principal.actor, now),
                    };
                    (true, record)
                }
            };
            pending.push(Pending {
                line,
                new,
                write: Write::Upsert(AnyRecord::Incident(record)),
                warnings,
            });
        }
        let audit = |rows: usize| {
            Write::Audit(principal.event(
                now,
                "import_incidents",
                Some(Kind::Incident),
                None,
                serde_json::json!({"rows": rows}),
            ))
        };
        let mut writes: Vec<Write> = pending.iter().map(|p| p.write.clone()).collect();
        writes.push(audit(pending.len()));
        let written = match self.store.write(writes, &principal.reach).await {
            Ok(()) => pending,
            // The one rule the checks above cannot see: a source id is unique per owner,
            // and another of the owner's incidents (one entered by hand, say) may hold
            // this row's. Found row by row, that row is rejected and the others stored.
            Err(StoreError::Conflict(_)) => {
                let mut written = Vec::with_capacity(pending.len());
                for p in pending {
                    match self
                        .store
                        .write(vec![p.write.clone()], &principal.reach)
                        .await
                    {
                        Ok(()) => written.push(p),
                        Err(StoreError::Conflict(_)) => {
                            let key = match &p.write {
                                Write::Upsert(AnyRecord::Incident(i)) => i
                                    .data
                                    .external_id
                                    .as_ref()
                                    .map_or_else(String::new, ToString::to_string),
                                _ => String::new(),
                            };
                            report.reject(
                                p.line,
                                [(
                                    key_column.to_owned(),
                                    format!(
                                        "another incident of {} already has the source id `{key}`",
                                        report_owner(&p.write)
                                    ),
                                )],
                            );
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                self.store
                    .write(vec![audit(written.len())], &principal.reach)
                    .await?;
                written
            }
            Err(e) => return Err(e.into()),
        };
        for p in written {
            if p.new {
                report.stored += 1;
            } else {
                report.updated += 1;
            }
            report.warn(p.line, p.warnings);
        }
        Ok(())
    }
}

/// The owner of an incident being written, for a message.
fn report_owner(write: &Write) -> String {
    match write {
        Write::Upsert(AnyRecord::Incident(i)) => i.data.owner_org_id.to_string(),
        _ => String::new(),
    }
}
