//! Incident exports: GeoJSON (RFC 7946, through the geojson crate's `FeatureWriter`) and
//! CSV with an HXL hashtag row, written page by page so that memory stays bounded however
//! many incidents match: the command line writes each page to its file, the web and the
//! API stream each page as a piece of the response body. Each export is audited with the
//! rows it wrote.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hawkari_core::incident::Incident;
use hawkari_core::label::{self, ConfidentialityLabel};
use hawkari_store::{IncidentFilter, PageRequest};

use crate::{App, AppError, Principal};

/// The file formats incidents leave Hawkari in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A FeatureCollection of points; properties are the record's fields.
    GeoJson,
    /// CSV with an HXL hashtag row under the header.
    HxlCsv,
}

impl ExportFormat {
    /// The name the audit log records.
    fn what(self) -> &'static str {
        match self {
            Self::GeoJson => "incidents.geojson",
            Self::HxlCsv => "incidents.csv",
        }
    }
}

/// An incident as a GeoJSON Feature: its id, its point `[lon, lat]`, and every other field
/// as a property — the shape `hawkari incidents import --format geojson` reads back — with
/// its confidentiality label as the `confidentiality_label` property (which the import
/// does not read: the importer says who owns and reads what it stores).
pub fn geojson_feature(i: &Incident) -> geojson::Feature {
    let mut properties = match serde_json::to_value(i) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    properties.remove("point");
    properties.insert(
        "confidentiality_label".into(),
        ConfidentialityLabel::of(&i.data).to_json(),
    );
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::Point(vec![
            i.data.point.lon,
            i.data.point.lat,
        ]))),
        id: Some(geojson::feature::Id::String(i.id.to_string())),
        properties: Some(properties),
        foreign_members: None,
    }
}

const CSV_HEADER: [&str; 18] = [
    "id",
    "date",
    "date_end",
    "date_precision",
    "governorate",
    "district",
    "latitude",
    "longitude",
    "type",
    "killed",
    "actors",
    "description",
    label::CSV_HEADER[0],
    label::CSV_HEADER[1],
    label::CSV_HEADER[2],
    label::CSV_HEADER[3],
    label::CSV_HEADER[4],
    label::CSV_HEADER[5],
];

/// The HXL hashtags of [`CSV_HEADER`], column by column.
const HXL_TAGS: [&str; 18] = [
    "#meta+id",
    "#date",
    "#date+end",
    "#date+precision",
    "#adm1+name",
    "#adm2+name",
    "#geo+lat",
    "#geo+lon",
    "#event+type",
    "#affected+killed",
    "#actor+name",
    "#description",
    label::CSV_HXL[0],
    label::CSV_HXL[1],
    label::CSV_HXL[2],
    label::CSV_HXL[3],
    label::CSV_HXL[4],
    label::CSV_HXL[5],
];

/// Text a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) is written with
/// a leading apostrophe, so that opening an export never runs what a source wrote.
pub(crate) fn inert(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn csv_row(i: &Incident) -> Vec<String> {
    let g = crate::geography::gazetteer();
    let unit_name = |pcode: &Option<String>| {
        pcode
            .as_deref()
            .and_then(|c| g.unit(c))
            .map(|u| u.name_en.clone())
            .unwrap_or_default()
    };
    let d = &i.data;
    let admin = d.admin_units.clone().unwrap_or_default();
    let actors: Vec<String> = d
        .actors
        .iter()
        .filter_map(|a| {
            a.name
                .as_ref()
                .map(ToString::to_string)
                .or(a.organisation_id.as_ref().map(ToString::to_string))
        })
        .collect();
    let mut row = vec![
        i.id.to_string(),
        d.when.start().date_naive().to_string(),
        d.when.end().date_naive().to_string(),
        serde_json::to_value(d.when.precision())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        unit_name(&admin.governorate),
        unit_name(&admin.district),
        d.point.lat.to_string(),
        d.point.lon.to_string(),
        d.incident_type.as_str().to_owned(),
        i.killed_best().to_string(),
        inert(actors.join("; ")),
        inert(
            d.narrative
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
    ];
    row.extend(label_cells(&ConfidentialityLabel::of(d)));
    row
}

/// A label's CSV cells, the caveat (free text) written inert.
pub(crate) fn label_cells(label: &ConfidentialityLabel) -> [String; 6] {
    let mut cells = label.csv_cells();
    cells[5] = inert(std::mem::take(&mut cells[5]));
    cells
}

/// Bytes written by an encoder that owns its writer (the csv crate's `Writer`, geojson's
/// `FeatureWriter`), taken out a page at a time.
#[derive(Debug, Clone, Default)]
struct Chunk(Arc<Mutex<Vec<u8>>>);

impl Chunk {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Chunk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where an export's rows go: CSV through the csv crate, GeoJSON through the geojson
/// crate's `FeatureWriter`, each into a buffer emptied after every page.
enum Encoder {
    Csv(Box<csv::Writer<Chunk>>, Chunk),
    GeoJson(geojson::FeatureWriter<Chunk>, Chunk),
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Csv(..) => "Encoder::Csv",
            Self::GeoJson(..) => "Encoder::GeoJson",
        })
    }
}

impl Encoder {
    fn write(&mut self, i: &Incident) -> Result<(), AppError> {
        match self {
            Self::Csv(w, _) => w.write_record(csv_row(i)).map_err(io),
            Self::GeoJson(w, _) => w.write_feature(&geojson_feature(i)).map_err(io),
        }
    }

    /// What was written since the last call; after `finish`, the file's end too.
    fn take(&mut self) -> Result<Vec<u8>, AppError> {
        match self {
            Self::Csv(w, chunk) => {
                w.flush().map_err(io)?;
                Ok(chunk.take())
            }
            Self::GeoJson(_, chunk) => Ok(chunk.take()),
        }
    }

    fn finish(&mut self) -> Result<(), AppError> {
        match self {
            Self::Csv(w, _) => w.flush().map_err(io),
            Self::GeoJson(w, _) => w.finish().map_err(io),
        }
    }
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("cannot write the export: {e}"))
}

/// An export under way: the file a page of incidents at a time ([`Self::next_chunk`]),
/// read through the same list as the API (releasability, filters, order), so that
/// neither the server nor the client holds the whole file. The export is audited with
/// its rows when the last page is written, or with the rows handed out so far when it is
/// dropped before its end (a download the client broke off).
#[derive(Debug)]
pub struct IncidentExport {
    app: App,
    principal: Principal,
    filter: IncidentFilter,
    format: ExportFormat,
    /// The next page to read; `None` once the last one is written.
    next: Option<PageRequest>,
    rows: u64,
    encoder: Encoder,
    /// Whether any of the file has been handed out.
    started: bool,
    audited: bool,
}

impl IncidentExport {
    /// The next piece of the file: the header and the first page's rows, then a page's
    /// rows each call, the last with the file's end; `None` after that.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let page = self
            .app
            .list_incidents(&self.principal, &self.filter, &request)
            .await?;
        for i in &page.items {
            self.encoder.write(i)?;
            self.rows += 1;
        }
        match page.next {
            Some(after) => {
                self.next = Some(PageRequest {
                    after: Some(after),
                    ..request
                })
            }
            None => {
                self.encoder.finish()?;
                self.audited = true;
                self.app
                    .record_export(&self.principal, self.format.what(), self.rows)
                    .await?;
            }
        }
        self.started = true;
        Ok(Some(self.encoder.take()?))
    }

    /// The rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

impl Drop for IncidentExport {
    fn drop(&mut self) {
        if self.audited || !self.started {
            return;
        }
        // Rows may have left already: they are audited, from a task of their own since
        // a drop cannot wait.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (app, principal, what, rows) = (
                self.app.clone(),
                self.principal.clone(),
                self.format.what(),
                self.rows,
            );
            runtime.spawn(async move {
                if let Err(e) = app.record_export(&principal, what, rows).await {
                    tracing::error!(error = %e, "an export broken off could not be audited");
                }
            });
        }
    }
}

impl App {
    /// Starts an export of every incident `principal` may see that matches `filter`, a
    /// page of 500 at a time; nothing is read before the first [`IncidentExport::next_chunk`].
    pub fn incident_export(
        &self,
        principal: &Principal,
        filter: &IncidentFilter,
        format: ExportFormat,
    ) -> Result<IncidentExport, AppError> {
        let encoder = match format {
            ExportFormat::HxlCsv => {
                let chunk = Chunk::default();
                let mut w = csv::Writer::from_writer(chunk.clone());
                w.write_record(CSV_HEADER).map_err(io)?;
                w.write_record(HXL_TAGS).map_err(io)?;
                Encoder::Csv(Box::new(w), chunk)
            }
            ExportFormat::GeoJson => {
                let chunk = Chunk::default();
                Encoder::GeoJson(geojson::FeatureWriter::from_writer(chunk.clone()), chunk)
            }
        };
        Ok(IncidentExport {
            app: self.clone(),
            principal: principal.clone(),
            filter: filter.clone(),
            format,
            next: Some(PageRequest::first(PageRequest::MAX_LIMIT)),
            rows: 0,
            encoder,
            started: false,
            audited: false,
        })
    }

    /// Writes every incident `principal` may see that matches `filter` to `out`, a page of
    /// 500 at a time; `progress` gets the rows written so far. Returns the rows written.
    pub async fn export_incidents(
        &self,
        principal: &Principal,
        filter: &IncidentFilter,
        format: ExportFormat,
        out: &mut (impl Write + ?Sized),
        mut progress: impl FnMut(u64),
    ) -> Result<u64, AppError> {
        let mut export = self.incident_export(principal, filter, format)?;
        while let Some(chunk) = export.next_chunk().await? {
            out.write_all(&chunk).map_err(io)?;
            progress(export.rows());
        }
        Ok(export.rows())
    }
}
