//! Cursor-on-Target (CoT 2.0) for TAK clients: incidents as ground events, operation
//! sites as installations, areas as ATAK drawing shapes (`u-d-f` with a `<link point>`
//! per vertex), each with the record's confidentiality label in `<detail>`. Records are
//! read through the list paths, so each reader gets only what is released to them;
//! `tak_package` zips the events as a TAK data package (`MANIFEST/manifest.xml`).
//!
//! Incident types map to CoT atoms by who acted, as far as the type says:
//!
//! | Hawkari type | CoT type | meaning |
//! |---|---|---|
//! | armed_clash, hit_and_run, ied, suicide_bombing, vehicle_borne_bomb, indirect_fire, abduction, assassination, arson, attack_on_infrastructure | `a-h-G` | hostile, ground |
//! | security_operation | `a-f-G` | friendly, ground |
//! | strategic_development, other | `a-u-G` | unknown, ground |
//!
//! `how` is `h-e` (entered by a person, position estimated) for every record; `time` is
//! when the document was written, `start` when the incident began (an area's or site's
//! record's last change), and `stale` [`STALE_HOURS`] after `time`, so that ATAK keeps the
//! markers for a day after a fetch rather than dropping past incidents at once.

use chrono::{DateTime, Duration, Utc};
use hawkari_core::area::Area;
use hawkari_core::incident::{Incident, IncidentType, LocationPrecision};
use hawkari_core::label::{ConfidentialityLabel, xml_escape};
use hawkari_core::operation::Operation;
use hawkari_store::{AreaFilter, IncidentFilter, OperationFilter};

use crate::{App, AppError, Principal};

/// How long after it is written a CoT event stays current.
pub const STALE_HOURS: i64 = 24;
/// The most vertices an area's shape is sent with (ATAK draws thousands slowly); a longer
/// ring is thinned evenly, keeping its first and last vertex.
pub const MAX_SHAPE_POINTS: usize = 500;
/// The most events a data package holds (a plain zip holds at most 65 535 entries).
pub const MAX_PACKAGE_EVENTS: usize = 60_000;
/// CoT's "unknown" for height above the ellipsoid and errors.
const UNKNOWN: f64 = 9_999_999.0;

/// The CoT type of an incident (see the module's table).
pub fn incident_cot_type(t: IncidentType) -> &'static str {
    match t {
        IncidentType::SecurityOperation => "a-f-G",
        IncidentType::StrategicDevelopment | IncidentType::Other => "a-u-G",
        _ => "a-h-G",
    }
}

/// The circular error (metres) of a location precision.
fn circular_error(p: LocationPrecision) -> f64 {
    match p {
        LocationPrecision::Exact => 50.0,
        LocationPrecision::Near => 2_000.0,
        LocationPrecision::SubDistrict => 10_000.0,
        LocationPrecision::District => 30_000.0,
        _ => 100_000.0,
    }
}

/// A time as CoT writes it (`2025-09-14T00:00:00.000Z`).
fn cot_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// When the events of one document are written, and until when they hold.
#[derive(Debug, Clone, Copy)]
pub struct Times {
    pub time: DateTime<Utc>,
    pub stale: DateTime<Utc>,
}

impl Times {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            time: now,
            stale: now + Duration::hours(STALE_HOURS),
        }
    }
}

/// One CoT event: its uid, and its XML.
#[derive(Debug, Clone, PartialEq)]
pub struct CotEvent {
    pub uid: String,
    pub xml: String,
}

/// One CoT event.
fn event(
    uid: String,
    cot_type: &str,
    times: Times,
    start: DateTime<Utc>,
    (lat, lon, ce): (f64, f64, f64),
    detail: &str,
) -> CotEvent {
    let xml = format!(
        "<event version=\"2.0\" uid=\"{}\" type=\"{cot_type}\" how=\"h-e\" time=\"{}\" start=\"{}\" stale=\"{}\">\
         <point lat=\"{lat}\" lon=\"{lon}\" hae=\"{UNKNOWN}\" ce=\"{ce}\" le=\"{UNKNOWN}\"/>\
         <detail>{detail}</detail></event>\n",
        xml_escape(&uid),
        cot_time(times.time),
        cot_time(start),
        cot_time(times.stale),
    );
    CotEvent { uid, xml }
}

/// The parts of `<detail>` every event has: a callsign (the label ATAK shows), remarks,
/// a Hawkari element naming the record, and the confidentiality label.
fn detail(
    callsign: &str,
    remarks: &str,
    kind: &str,
    id: &str,
    label: &ConfidentialityLabel,
) -> String {
    format!(
        "<contact callsign=\"{}\"/><remarks>{}</remarks><hawkari kind=\"{kind}\" id=\"{}\"/>{}",
        xml_escape(callsign),
        xml_escape(remarks),
        xml_escape(id),
        label.to_xml()
    )
}

/// An incident as a CoT event.
pub fn incident_event(i: &Incident, times: Times) -> CotEvent {
    let d = &i.data;
    let type_name = d.incident_type.as_str();
    let callsign = format!("{} {}", type_name.replace('_', " "), d.when.value());
    let remarks = d
        .narrative
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    event(
        format!("hawkari-incident-{}", i.id),
        incident_cot_type(d.incident_type),
        times,
        d.when.start(),
        (
            d.point.lat,
            d.point.lon,
            circular_error(d.location_precision),
        ),
        &detail(
            &callsign,
            &remarks,
            "incident",
            i.id.as_str(),
            &ConfidentialityLabel::of(d),
        ),
    )
}

/// An operation's sites that have a point, each as a friendly ground installation.
pub fn site_events(o: &Operation, times: Times) -> Vec<CotEvent> {
    let label = ConfidentialityLabel::of(&o.data);
    o.data
        .sites
        .iter()
        .filter_map(|s| {
            let p = s.point.as_ref()?;
            let status = s
                .reports
                .last()
                .map(|r| r.status.as_str().to_owned())
                .unwrap_or_else(|| "no report".into());
            let lead = s
                .lead_org_id
                .as_ref()
                .map_or_else(|| "no lead force".to_owned(), |o| format!("led by {o}"));
            let remarks = format!("{}: {lead}; {status}", o.data.names.display());
            Some(event(
                format!("hawkari-site-{}-{}", o.id, s.key),
                "a-f-G-I",
                times,
                o.meta.updated_at,
                (p.lat, p.lon, 50.0),
                &detail(
                    s.names.display(),
                    &remarks,
                    "operation_site",
                    &format!("{}/{}", o.id, s.key),
                    &label,
                ),
            ))
        })
        .collect()
}

/// The outer rings of a geometry's polygons (`[lon, lat]` positions).
fn rings(g: &geojson::Geometry) -> Vec<Vec<Vec<f64>>> {
    match &g.value {
        geojson::Value::Polygon(p) => p.first().cloned().into_iter().collect(),
        geojson::Value::MultiPolygon(m) => m.iter().filter_map(|p| p.first().cloned()).collect(),
        geojson::Value::LineString(l) => vec![l.clone()],
        geojson::Value::MultiLineString(m) => m.clone(),
        _ => vec![],
    }
}

/// At most [`MAX_SHAPE_POINTS`] of a ring's positions, evenly spread, first and last kept.
fn thinned(ring: &[Vec<f64>]) -> Vec<&Vec<f64>> {
    if ring.len() <= MAX_SHAPE_POINTS {
        return ring.iter().collect();
    }
    let step = (ring.len() - 1) as f64 / (MAX_SHAPE_POINTS - 1) as f64;
    (0..MAX_SHAPE_POINTS)
        .map(|k| &ring[((k as f64 * step).round() as usize).min(ring.len() - 1)])
        .collect()
}

/// The outer rings of an area: its geometry's, or else those of the admin units it is
/// made of (from the gazetteer's boundaries).
fn area_rings(a: &Area) -> Vec<Vec<Vec<f64>>> {
    if let Some(g) = &a.data.geometry {
        return rings(g);
    }
    let g = crate::geography::gazetteer();
    a.data
        .admin_units
        .iter()
        .filter_map(|pcode| g.unit(pcode))
        .flat_map(|u| u.shape.0.iter())
        .map(|p| p.exterior().0.iter().map(|c| vec![c.x, c.y]).collect())
        .collect()
}

/// An area's shape as ATAK drawing shapes: one `u-d-f` event per polygon (closed: its
/// last vertex is its first) or line, its point at the vertices' mean, a `<link point>`
/// per vertex; none for an area with neither a geometry nor admin units.
pub fn area_events(a: &Area, times: Times) -> Vec<CotEvent> {
    let label = ConfidentialityLabel::of(&a.data);
    let all = area_rings(a);
    let many = all.len() > 1;
    all.iter()
        .enumerate()
        .filter(|(_, r)| r.len() >= 2)
        .map(|(n, ring)| {
            let points = thinned(ring);
            let count = points.len() as f64;
            let lat = points.iter().map(|p| p[1]).sum::<f64>() / count;
            let lon = points.iter().map(|p| p[0]).sum::<f64>() / count;
            let links: String = points
                .iter()
                .map(|p| format!("<link point=\"{},{}\"/>", p[1], p[0]))
                .collect();
            let kind = serde_json::to_value(a.data.kind)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                .unwrap_or_default();
            let mut remarks = kind;
            if let Some(o) = &a.data.organisation_id {
                remarks.push_str(&format!("; responsible: {o}"));
            }
            let uid = if many {
                format!("hawkari-area-{}-{n}", a.id)
            } else {
                format!("hawkari-area-{}", a.id)
            };
            let shape = format!(
                "{links}<strokeColor value=\"-65536\"/><strokeWeight value=\"3.0\"/>\
                 <fillColor value=\"822018048\"/><labels_on value=\"true\"/>"
            );
            event(
                uid,
                "u-d-f",
                times,
                a.meta.updated_at,
                (lat, lon, UNKNOWN),
                &format!(
                    "{shape}{}",
                    detail(
                        a.data.names.display(),
                        &remarks,
                        "area",
                        a.id.as_str(),
                        &label
                    )
                ),
            )
        })
        .collect()
}

impl App {
    /// The incidents matching `filter` that the principal may read, as one XML document
    /// of CoT events under an `<events>` root (as TAK Server answers for several events);
    /// audited as an export.
    pub async fn incidents_cot(
        &self,
        principal: &Principal,
        filter: &IncidentFilter,
    ) -> Result<String, AppError> {
        let times = Times::at(self.now());
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<events>\n");
        let rows = self
            .all_pages(
                |p| async move { self.list_incidents(principal, filter, &p).await },
                |i| out.push_str(&incident_event(i, times).xml),
            )
            .await?;
        out.push_str("</events>\n");
        self.record_export(principal, "incidents.cot", rows).await?;
        Ok(out)
    }

    /// The CoT events of a TAK data package: the incidents matching `filter`, every area
    /// with a shape and every operation site with a point that the principal may read.
    /// Audited as an export.
    pub async fn tak_package_events(
        &self,
        principal: &Principal,
        filter: &IncidentFilter,
    ) -> Result<Vec<CotEvent>, AppError> {
        let times = Times::at(self.now());
        let mut events = Vec::new();
        let mut rows = self
            .all_pages(
                |p| async move { self.list_incidents(principal, filter, &p).await },
                |i| events.push(incident_event(i, times)),
            )
            .await?;
        rows += self
            .all_pages(
                |p| async move { self.list_areas(principal, &AreaFilter::default(), &p).await },
                |a| events.extend(area_events(a, times)),
            )
            .await?;
        rows += self
            .all_pages(
                |p| async move {
                    self.list_operations(principal, &OperationFilter::default(), &p)
                        .await
                },
                |o| events.extend(site_events(o, times)),
            )
            .await?;
        if events.len() > MAX_PACKAGE_EVENTS {
            return Err(hawkari_core::ValidationError::single(
                "filters",
                format!(
                    "a data package holds at most {MAX_PACKAGE_EVENTS} events and these filters \
                     find {}: narrow them (e.g. from, to, bbox)",
                    events.len()
                ),
            )
            .into());
        }
        self.record_export(principal, "tak-package.zip", rows)
            .await?;
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_ring_is_thinned_evenly_keeping_its_ends() {
        let ring: Vec<Vec<f64>> = (0..=2000).map(|i| vec![f64::from(i), 0.0]).collect();
        let kept = thinned(&ring);
        assert_eq!(kept.len(), MAX_SHAPE_POINTS);
        assert_eq!(kept[0][0], 0.0);
        assert_eq!(
            kept[MAX_SHAPE_POINTS - 1][0],
            2000.0,
            "a closed ring stays closed"
        );
        let short = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
        assert_eq!(thinned(&short).len(), 2);
    }

    #[test]
    fn polygons_give_their_outer_rings_and_points_none() {
        let square = vec![
            vec![44.0, 35.0],
            vec![45.0, 35.0],
            vec![45.0, 36.0],
            vec![44.0, 35.0],
        ];
        let hole = vec![vec![44.2, 35.2], vec![44.3, 35.2], vec![44.2, 35.2]];
        let g = geojson::Geometry::new(geojson::Value::MultiPolygon(vec![
            vec![square.clone(), hole],
            vec![square.clone()],
        ]));
        assert_eq!(rings(&g), vec![square.clone(), square]);
        let p = geojson::Geometry::new(geojson::Value::Point(vec![44.0, 35.0]));
        assert!(rings(&p).is_empty());
    }

    #[test]
    fn incident_types_map_to_hostile_friendly_or_unknown_ground() {
        assert_eq!(incident_cot_type(IncidentType::Ied), "a-h-G");
        assert_eq!(incident_cot_type(IncidentType::Abduction), "a-h-G");
        assert_eq!(incident_cot_type(IncidentType::SecurityOperation), "a-f-G");
        assert_eq!(incident_cot_type(IncidentType::Other), "a-u-G");
    }
}
