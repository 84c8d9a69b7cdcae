//! Coverage analysis: over an area of concern, where no force or joint mechanism is
//! responsible (gaps), where several forces are without a joint mechanism (overlaps), and
//! how many incidents fell in the gaps. Pure geometry (the `geo` crate), no I/O.

use geo::{
    Area, BooleanOps, BoundingRect, ChamberlainDuquetteArea, Contains, Coord, Distance, Euclidean,
    LineString, MapCoords, MultiLineString, MultiPolygon, Point,
};
use serde::Serialize;

/// Ground someone is responsible for on the analysed date.
#[derive(Debug, Clone)]
pub struct Responsibility {
    pub organisation_id: String,
    /// A joint mechanism (coordination centre, joint brigade): its ground is shared by
    /// design, so forces overlapping inside it are not an overlap to resolve.
    pub joint: bool,
    pub shape: MultiPolygon<f64>,
}

/// The figures of an analysis; the shapes are returned beside them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CoverageFigures {
    pub area_km2: f64,
    pub gap_km2: f64,
    pub overlap_km2: f64,
    /// Share of the area with no one responsible, 0 to 1.
    pub gap_share: f64,
    pub incidents: usize,
    pub incidents_in_gaps: usize,
    /// Share of the incidents that fell in gaps, 0 to 1 (0 when there are none).
    pub incidents_in_gaps_share: f64,
    /// Length of coordination line inside the area.
    pub line_km: f64,
    /// Of that, the length with no area of responsibility within `buffer_km` on either side.
    pub line_unassigned_km: f64,
    pub buffer_km: f64,
}

/// The result: gaps and overlaps as shapes, and the figures.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub gaps: MultiPolygon<f64>,
    pub overlaps: MultiPolygon<f64>,
    /// The stretches of coordination line nobody is responsible for near.
    pub unassigned_line: MultiLineString<f64>,
    pub figures: CoverageFigures,
}

fn km2(shape: &MultiPolygon<f64>) -> f64 {
    shape.chamberlain_duquette_unsigned_area() / 1_000_000.0
}

/// What is analysed besides the responsibilities.
#[derive(Debug, Clone)]
pub struct Picture<'a> {
    pub incidents: &'a [Point<f64>],
    /// Coordination lines in force; only their stretches inside the area count.
    pub lines: MultiLineString<f64>,
    /// How far from the line a responsible unit may be and still cover it, in km.
    pub buffer_km: f64,
}

impl Default for Picture<'_> {
    fn default() -> Self {
        Picture {
            incidents: &[],
            lines: MultiLineString(vec![]),
            buffer_km: 0.0,
        }
    }
}

/// Analyses `area` against the responsibilities in force, the incidents' points and the
/// coordination line.
pub fn analyse(
    area: &MultiPolygon<f64>,
    responsible: &[Responsibility],
    picture: &Picture<'_>,
) -> Coverage {
    let incidents = picture.incidents;
    let empty = MultiPolygon::<f64>(vec![]);
    let covered = responsible
        .iter()
        .fold(empty.clone(), |acc, r| acc.union(&r.shape));
    let gaps = area.difference(&covered);
    let joint = responsible
        .iter()
        .filter(|r| r.joint)
        .fold(empty.clone(), |acc, r| acc.union(&r.shape));
    let forces: Vec<&Responsibility> = responsible.iter().filter(|r| !r.joint).collect();
    let mut overlaps = empty;
    for (i, a) in forces.iter().enumerate() {
        for b in &forces[i + 1..] {
            if a.organisation_id != b.organisation_id {
                overlaps = overlaps.union(&a.shape.intersection(&b.shape));
            }
        }
    }
    let overlaps = overlaps.intersection(area).difference(&joint);
    let in_gaps = incidents.iter().filter(|p| gaps.contains(*p)).count();
    let (area_km2, gap_km2) = (km2(area), km2(&gaps));
    // Planar area only to decide emptiness of degenerate slivers.
    let overlap_km2 = if overlaps.unsigned_area() > 0.0 {
        km2(&overlaps)
    } else {
        0.0
    };
    let lines = area.clip(&picture.lines, false);
    let (line_km, unassigned_line) = unassigned_stretches(&lines, responsible, picture.buffer_km);
    let figures = CoverageFigures {
        line_km,
        line_unassigned_km: length_km(&unassigned_line),
        buffer_km: picture.buffer_km,
        area_km2,
        gap_km2,
        overlap_km2,
        gap_share: if area_km2 > 0.0 {
            gap_km2 / area_km2
        } else {
            0.0
        },
        incidents: incidents.len(),
        incidents_in_gaps: in_gaps,
        incidents_in_gaps_share: if incidents.is_empty() {
            0.0
        } else {
            in_gaps as f64 / incidents.len() as f64
        },
    };
    Coverage {
        gaps,
        overlaps,
        unassigned_line,
        figures,
    }
}

/// Kilometres per degree: a local equirectangular projection is exact enough at the scale
/// of a province for "within a few km of the line".
const KM_PER_DEGREE_LAT: f64 = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR: f64 = 111.320;

/// Coordination line is judged in steps of at most this length.
const STEP_KM: f64 = 0.25;

fn length_km(lines: &MultiLineString<f64>) -> f64 {
    use geo::{Haversine, Length};
    lines.iter().map(|l| Haversine.length(l)).sum::<f64>() / 1000.0
}

/// The line's total length and the stretches with no responsibility within `buffer_km`.
/// The line is walked in steps of at most [`STEP_KM`]; a step is assigned when the
/// distance from its midpoint to some area of responsibility is at most the buffer.
fn unassigned_stretches(
    lines: &MultiLineString<f64>,
    responsible: &[Responsibility],
    buffer_km: f64,
) -> (f64, MultiLineString<f64>) {
    let Some(rect) = lines.bounding_rect() else {
        return (0.0, MultiLineString(vec![]));
    };
    let kx = KM_PER_DEGREE_LON_AT_EQUATOR * rect.center().y.to_radians().cos();
    let project = |c: Coord<f64>| Coord {
        x: c.x * kx,
        y: c.y * KM_PER_DEGREE_LAT,
    };
    let shapes: Vec<_> = responsible
        .iter()
        .map(|r| {
            let s = r.shape.map_coords(project);
            (s.bounding_rect(), s)
        })
        .collect();
    let assigned = |c: Coord<f64>| {
        let p = Point(project(c));
        shapes.iter().any(|(bounds, s)| {
            bounds.is_some_and(|b| {
                p.x() >= b.min().x - buffer_km
                    && p.x() <= b.max().x + buffer_km
                    && p.y() >= b.min().y - buffer_km
                    && p.y() <= b.max().y + buffer_km
            }) && Euclidean.distance(s, &p) <= buffer_km
        })
    };
    let mut stretches: Vec<LineString<f64>> = Vec::new();
    let mut open: Option<Vec<Coord<f64>>> = None;
    for line in lines {
        for segment in line.lines() {
            let (a, b) = (project(segment.start), project(segment.end));
            let km = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
            let steps = (km / STEP_KM).ceil().max(1.0) as usize;
            for i in 0..steps {
                let at = |t: f64| segment.start + (segment.end - segment.start) * t;
                let (t0, t1) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
                if assigned(at((t0 + t1) / 2.0)) {
                    if let Some(done) = open.take() {
                        stretches.push(LineString(done));
                    }
                } else {
                    open.get_or_insert_with(|| vec![at(t0)]).push(at(t1));
                }
            }
        }
        if let Some(done) = open.take() {
            stretches.push(LineString(done));
        }
    }
    (length_km(lines), MultiLineString(stretches))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )])
    }

    fn force(org: &str, shape: MultiPolygon<f64>) -> Responsibility {
        Responsibility {
            organisation_id: org.into(),
            joint: false,
            shape,
        }
    }

    // An area of 1° × 1° near the equator; shares are what matter.
    const AREA: (f64, f64, f64, f64) = (44.0, 0.0, 45.0, 1.0);

    #[test]
    fn a_strip_nobody_holds_is_a_gap_and_incidents_in_it_are_counted() {
        let area = rect(AREA.0, AREA.1, AREA.2, AREA.3);
        // North of 0.6 the regional force, south of 0.4 the federal force: 0.4–0.6 is a gap.
        let aors = [
            force("regional", rect(44.0, 0.6, 45.0, 1.0)),
            force("federal", rect(44.0, 0.0, 45.0, 0.4)),
        ];
        let incidents = [
            Point::new(44.5, 0.5),
            Point::new(44.5, 0.55),
            Point::new(44.5, 0.8),
            Point::new(44.5, 0.1),
        ];
        let c = analyse(
            &area,
            &aors,
            &Picture {
                incidents: &incidents,
                ..Default::default()
            },
        );
        assert!(
            (c.figures.gap_share - 0.2).abs() < 0.01,
            "{}",
            c.figures.gap_share
        );
        assert_eq!((c.figures.incidents_in_gaps, c.figures.incidents), (2, 4));
        assert!((c.figures.incidents_in_gaps_share - 0.5).abs() < 1e-9);
        assert_eq!(c.figures.overlap_km2, 0.0);
    }

    #[test]
    fn two_forces_on_the_same_ground_overlap_unless_a_joint_mechanism_holds_it() {
        let area = rect(AREA.0, AREA.1, AREA.2, AREA.3);
        let mut aors = vec![
            force("regional", rect(44.0, 0.4, 45.0, 1.0)),
            force("federal", rect(44.0, 0.0, 45.0, 0.6)),
        ];
        let c = analyse(&area, &aors, &Picture::default());
        assert_eq!(c.figures.gap_km2, 0.0);
        assert!((c.figures.overlap_km2 / c.figures.area_km2 - 0.2).abs() < 0.01);
        aors.push(Responsibility {
            organisation_id: "jcc".into(),
            joint: true,
            shape: rect(44.0, 0.4, 45.0, 0.6),
        });
        let c = analyse(&area, &aors, &Picture::default());
        assert!(
            c.figures.overlap_km2 < 1.0,
            "the joint mechanism covers the shared strip: {}",
            c.figures.overlap_km2
        );
    }

    #[test]
    fn a_fully_covered_area_has_no_gaps_and_no_incidents_in_gaps() {
        let area = rect(AREA.0, AREA.1, AREA.2, AREA.3);
        let c = analyse(
            &area,
            &[force("regional", rect(43.0, -1.0, 46.0, 2.0))],
            &Picture {
                incidents: &[Point::new(44.5, 0.5)],
                ..Default::default()
            },
        );
        assert_eq!((c.figures.gap_km2, c.figures.incidents_in_gaps), (0.0, 0));
        assert!(c.gaps.0.is_empty());
        assert!(
            c.figures.area_km2 > 12_000.0 && c.figures.area_km2 < 12_500.0,
            "1° × 1° at the equator ≈ 12 364 km²: {}",
            c.figures.area_km2
        );
    }

    #[test]
    fn coordination_line_with_no_unit_within_the_buffer_is_unassigned() {
        let area = rect(AREA.0, AREA.1, AREA.2, AREA.3);
        let aors = [
            force("regional", rect(44.0, 0.6, 45.0, 1.0)),
            force("federal", rect(44.0, 0.0, 45.0, 0.4)),
        ];
        // A line running north–south across the gap strip, and on beyond the area.
        let line = MultiLineString(vec![LineString::from(vec![(44.5, -0.5), (44.5, 1.0)])]);
        let run = |buffer_km| {
            analyse(
                &area,
                &aors,
                &Picture {
                    incidents: &[],
                    lines: line.clone(),
                    buffer_km,
                },
            )
        };
        let c = run(5.0);
        // Only the 1° inside the area counts: 111 km.
        assert!(
            (c.figures.line_km - 111.2).abs() < 0.5,
            "{}",
            c.figures.line_km
        );
        // The strip 0.4–0.6 is 0.2° ≈ 22.1 km; 5 km on each side of it is within reach of
        // a unit, leaving ≈ 12.1 km unassigned, in one stretch.
        assert!(
            (c.figures.line_unassigned_km - 12.1).abs() < 0.6,
            "{}",
            c.figures.line_unassigned_km
        );
        assert_eq!(c.unassigned_line.0.len(), 1);
        let ys: Vec<f64> = c.unassigned_line.0[0].coords().map(|c| c.y).collect();
        assert!(ys.iter().all(|y| (0.44..=0.56).contains(y)), "{ys:?}");
        // With a 12 km buffer both forces reach the middle of the strip.
        assert_eq!(run(12.0).figures.line_unassigned_km, 0.0);
    }
}
