//! Coverage of an area of concern on a day: the areas of responsibility in force, the
//! incidents of the last days inside the area, and the analysis of `core::coverage`.

use chrono::{Duration, NaiveDate};
use hawkari_core::area::{Area, AreaKind};
use hawkari_core::coverage::{Coverage, Picture, Responsibility, analyse};
use hawkari_core::organisation::{Organisation, OrganisationKind};
use hawkari_store::{AreaFilter, IncidentFilter, PageRequest};

use crate::{App, AppError, Principal};

/// The analysis with what it was made of.
#[derive(Debug, Clone)]
pub struct CoverageReport {
    pub area: Area,
    pub day: NaiveDate,
    pub days: u32,
    pub responsibilities: usize,
    /// The coordination lines in force that were judged.
    pub lines: usize,
    pub coverage: Coverage,
}

impl App {
    /// Analyses the area `area_id` on `day`, counting incidents of the `days` before it and
    /// judging the coordination lines in force against `buffer_km`.
    /// Only what the principal may see is used: their picture, not anyone else's.
    pub async fn coverage(
        &self,
        principal: &Principal,
        area_id: &str,
        day: NaiveDate,
        days: u32,
        buffer_km: f64,
    ) -> Result<CoverageReport, AppError> {
        let area: Area = self.get(principal, area_id).await?;
        let shape = area
            .data
            .shape()
            .filter(|_| area.data.kind != AreaKind::CoordinationLine)
            .ok_or_else(|| {
                AppError::Invalid(hawkari_core::ValidationError::single(
                    "area",
                    "the area has no polygon geometry to analyse",
                ))
            })?;
        let mut responsible = Vec::new();
        for a in self
            .areas_in_force(principal, AreaKind::Responsibility, day)
            .await?
        {
            let (Some(org), Some(shape)) = (&a.data.organisation_id, a.data.shape()) else {
                continue;
            };
            let joint = matches!(
                self.get::<Organisation>(principal, org.as_str()).await,
                Ok(o) if o.data.kind == OrganisationKind::JointMechanism
            );
            responsible.push(Responsibility {
                organisation_id: org.to_string(),
                joint,
                shape,
            });
        }
        let lines: Vec<_> = self
            .areas_in_force(principal, AreaKind::CoordinationLine, day)
            .await?
            .iter()
            .filter_map(|a| a.data.lines())
            .collect();
        let line_count = lines.len();
        let lines = geo::MultiLineString(lines.into_iter().flat_map(|m| m.0).collect());
        let incidents = self.incident_points(principal, &shape, day, days).await?;
        let coverage = analyse(
            &shape,
            &responsible,
            &Picture {
                incidents: &incidents,
                lines,
                buffer_km,
            },
        );
        Ok(CoverageReport {
            responsibilities: responsible.len(),
            lines: line_count,
            area,
            day,
            days,
            coverage,
        })
    }

    /// The areas of one kind in force on `day` that the principal may see.
    async fn areas_in_force(
        &self,
        principal: &Principal,
        kind: AreaKind,
        day: NaiveDate,
    ) -> Result<Vec<Area>, AppError> {
        let mut all = Vec::new();
        let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
        let filter = AreaFilter {
            kind: Some(kind),
            in_force_on: Some(day),
            ..Default::default()
        };
        loop {
            let batch = self.list_areas(principal, &filter, &page).await?;
            all.extend(batch.items);
            match batch.next {
                Some(n) => page.after = Some(n),
                None => return Ok(all),
            }
        }
    }

    /// The points of the incidents inside `shape` in the `days` up to `day`.
    async fn incident_points(
        &self,
        principal: &Principal,
        shape: &geo::MultiPolygon<f64>,
        day: NaiveDate,
        days: u32,
    ) -> Result<Vec<geo::Point<f64>>, AppError> {
        let mut points = Vec::new();
        if let Some(rect) = geo::BoundingRect::bounding_rect(shape) {
            let start = (day - Duration::days(i64::from(days)))
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc());
            let end = day.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
            let filter = IncidentFilter {
                from: start,
                to: end,
                bbox: Some([rect.min().x, rect.min().y, rect.max().x, rect.max().y]),
                ..Default::default()
            };
            let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
            loop {
                let batch = self.list_incidents(principal, &filter, &page).await?;
                points.extend(
                    batch
                        .items
                        .iter()
                        .map(|i| geo::Point::new(i.data.point.lon, i.data.point.lat)),
                );
                match batch.next {
                    Some(n) => page.after = Some(n),
                    None => break,
                }
            }
        }
        Ok(points
            .into_iter()
            .filter(|p| geo::Contains::contains(shape, p))
            .collect())
    }

    pub async fn list_areas(
        &self,
        principal: &Principal,
        f: &AreaFilter,
        page: &PageRequest,
    ) -> Result<hawkari_store::Page<Area>, AppError> {
        Ok(self.store.list_areas(&principal.reach, f, page).await?)
    }
}
