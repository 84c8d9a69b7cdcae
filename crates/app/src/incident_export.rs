//! Incident exports: GeoJSON (RFC 7946) and CSV with an HXL hashtag row, written page by
//! page so that memory stays bounded however many incidents match. Both the API and the
//! command line write through here; each export is audited with the rows it wrote.

use std::io::Write;

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
pub fn geojson_feature(i: &Incident) -> serde_json::Value {
    let mut properties = serde_json::to_value(i).unwrap_or_default();
    if let Some(m) = properties.as_object_mut() {
        m.remove("point");
        m.insert(
            "confidentiality_label".into(),
            ConfidentialityLabel::of(&i.data).to_json(),
        );
    }
    serde_json::json!({
        "type": "Feature",
        "id": i.id.as_str(),
        "geometry": {"type": "Point", "coordinates": [i.data.point.lon, i.data.point.lat]},
        "properties": properties,
    })
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

/// Where an export's rows go.
enum Sink<'a, W: Write + ?Sized> {
    Csv(Box<csv::Writer<&'a mut W>>),
    GeoJson(&'a mut W),
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("cannot write the export: {e}"))
}

impl App {
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
        let mut sink = match format {
            ExportFormat::HxlCsv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(CSV_HEADER).map_err(io)?;
                w.write_record(HXL_TAGS).map_err(io)?;
                Sink::Csv(Box::new(w))
            }
            ExportFormat::GeoJson => {
                out.write_all(br#"{"type":"FeatureCollection","features":["#)
                    .map_err(io)?;
                Sink::GeoJson(out)
            }
        };
        let mut request = PageRequest::first(PageRequest::MAX_LIMIT);
        let mut rows = 0u64;
        loop {
            let page = self.list_incidents(principal, filter, &request).await?;
            for i in &page.items {
                match &mut sink {
                    Sink::Csv(w) => w.write_record(csv_row(i)).map_err(io)?,
                    Sink::GeoJson(out) => {
                        out.write_all(if rows > 0 { b",\n" } else { b"\n" })
                            .map_err(io)?;
                        serde_json::to_writer(&mut **out, &geojson_feature(i)).map_err(io)?;
                    }
                }
                rows += 1;
            }
            progress(rows);
            match page.next {
                Some(next) => request.after = Some(next),
                None => break,
            }
        }
        match sink {
            Sink::Csv(mut w) => w.flush().map_err(io)?,
            Sink::GeoJson(out) => out.write_all(b"\n]}\n").map_err(io)?,
        }
        self.record_export(principal, format.what(), rows).await?;
        Ok(rows)
    }
}
