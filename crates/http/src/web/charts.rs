//! Charts drawn on the server as SVG: an indicator against its target, a programme's
//! timeline to its end date, and an operation's sites on the governorates. No script is
//! needed to read them, they print, and their words and digits are the reader's (the
//! drawing itself runs left to right in every language, as dates do on a time axis).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use geo::Simplify;
use hawkari_core::programme::{Indicator, Trend};

use super::i18n::Tr;

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A whole number with thin spaces between thousands, in the reader's digits.
pub fn thousands(tr: &Tr, v: f64) -> String {
    let n = v.clamp(-1e15, 1e15).round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    tr.digits(&out)
}

/// A linear scale from a domain to a range.
struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// First days of the years between `from` and `to`, thinned to at most eight.
fn year_ticks(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let years: Vec<i32> = (from.year() + 1..=to.year()).collect();
    let step = years.len().div_ceil(8).max(1);
    years
        .into_iter()
        .step_by(step)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .collect()
}

const W: f64 = 640.0;
const H: f64 = 260.0;

/// An indicator's observations, its target, the rate still needed (dotted) and the
/// projection at the current rate (dashed), with `summary` as the accessible name.
pub fn indicator(id: &str, ind: &Indicator, trend: &Trend, tr: &Tr, summary: &str) -> String {
    let (left, right, top, bottom) = (80.0, 20.0, 20.0, 40.0);
    let points = ind.points();
    let target = (trend.target_date, trend.target_value);
    // The axis covers the observations and the target, whichever comes first (a target
    // date may have passed).
    let first = points.first().map_or(target.0, |p| p.0.min(target.0));
    let mut last = points.last().map_or(target.0, |p| p.0.max(target.0));
    if let Some(p) = trend.projected_date {
        // A projection far beyond the target date is shown up to three years past it.
        last = last.max(p.min(target.0 + chrono::Duration::days(3 * 365)));
    }
    let x = Scale {
        d0: day_number(first) - 60.0,
        d1: day_number(last) + 60.0,
        r0: left,
        r1: W - right,
    };
    // From zero (or the lowest value, if below) to a tenth above the highest.
    let clamp = |v: f64| v.clamp(-1e15, 1e15);
    let max = clamp(points.iter().map(|p| p.1).fold(target.1, f64::max)).max(1.0);
    let min = clamp(points.iter().map(|p| p.1).fold(target.1, f64::min)).min(0.0);
    let y = Scale {
        d0: min,
        d1: max + (max - min) * 0.1,
        r0: H - bottom,
        r1: top,
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t" dir="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(summary)
    );
    // Axes and grid: 0, half the target, the target.
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{0}" x2="{1}" y2="{0}"/><line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{0}"/>"#,
        H - bottom,
        W - right
    );
    for v in [0.0, target.1 / 2.0, target.1] {
        let yy = y.at(v);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{yy:.1}" x2="{}" y2="{yy:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - right,
            left - 6.0,
            yy + 4.0,
            thousands(tr, v)
        );
    }
    for t in year_ticks(first, last) {
        let xx = x.at(day_number(t));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{0}"/><text class="tick" x="{xx:.1}" y="{1}" text-anchor="middle">{2}</text>"#,
            H - bottom,
            H - bottom + 18.0,
            tr.digits(&t.year().to_string())
        );
    }
    // The target: a line across, and its point.
    let (tx, ty) = (x.at(day_number(target.0)), y.at(target.1));
    let _ = write!(
        s,
        r#"<line class="target" x1="{left}" y1="{ty:.1}" x2="{tx:.1}" y2="{ty:.1}"/><path class="target-mark" d="M{tx:.1} {:.1} l6 6 l-6 6 l-6 -6 z"/>"#,
        ty - 6.0
    );
    // From the latest observation: the rate needed, and the current rate's projection.
    if let Some(&(d, v)) = points.last() {
        let (lx, ly) = (x.at(day_number(d)), y.at(v));
        if trend.required_per_month.is_some() {
            let _ = write!(
                s,
                r#"<line class="required" x1="{lx:.1}" y1="{ly:.1}" x2="{tx:.1}" y2="{ty:.1}"/>"#
            );
        }
        if let Some(p) = trend.projected_date {
            let shown = p.min(last);
            let share = if p == d {
                1.0
            } else {
                (day_number(shown) - day_number(d)) / (day_number(p) - day_number(d))
            };
            let pv = v + (target.1 - v) * share;
            let _ = write!(
                s,
                r#"<line class="projection" x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                x.at(day_number(shown)),
                y.at(pv)
            );
        }
    }
    for (d, v) in &points {
        let _ = write!(
            s,
            r#"<circle class="observation" cx="{:.1}" cy="{:.1}" r="5"><title>{} — {}</title></circle>"#,
            x.at(day_number(*d)),
            y.at(*v),
            esc(&tr.date(*d)),
            thousands(tr, *v)
        );
    }
    s.push_str("</svg>");
    s
}

/// One row of a timeline: a label, a date, and a class naming its state.
pub struct TimelineRow {
    pub label: String,
    pub date: NaiveDate,
    pub class: &'static str,
}

/// Rows on a time axis from `from` to `end`, with today and the end marked.
pub fn timeline(
    id: &str,
    rows: &[TimelineRow],
    from: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    tr: &Tr,
    labels: (&str, &str, &str),
) -> String {
    let (title, today_label, end_label) = labels;
    let (left, right, top) = (260.0, 30.0, 30.0);
    let row_h = 26.0;
    let h = top + row_h * rows.len() as f64 + 40.0;
    let last = end
        .max(today)
        .max(rows.iter().map(|r| r.date).max().unwrap_or(end));
    let x = Scale {
        d0: day_number(from) - 30.0,
        d1: day_number(last) + 30.0,
        r0: left,
        r1: W + 160.0 - right,
    };
    let w = W + 160.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart timeline" id="{id}" viewBox="0 0 {w} {h:.0}" role="img" aria-labelledby="{id}-t" dir="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    let bottom = h - 30.0;
    for t in year_ticks(from, last) {
        let xx = x.at(day_number(t));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{bottom:.1}"/><text class="tick" x="{xx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            bottom + 18.0,
            tr.digits(&t.year().to_string())
        );
    }
    // The end's label above the rows, today's below them, so that the two never overlap.
    for (d, class, label, y) in [
        (today, "today", today_label, h - 4.0),
        (end, "end", end_label, top - 18.0),
    ] {
        let xx = x.at(day_number(d));
        let _ = write!(
            s,
            r#"<line class="{class}" x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{bottom:.1}"/><text class="tick {class}" x="{xx:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
            top - 14.0,
            esc(label)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let yy = top + row_h * i as f64 + row_h / 2.0;
        let xx = x.at(day_number(r.date));
        let _ = write!(
            s,
            r#"<g class="row {}"><text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><line class="lane" x1="{left}" y1="{yy:.1}" x2="{xx:.1}" y2="{yy:.1}"/><path class="mark" d="M{xx:.1} {:.1} l7 7 l-7 7 l-7 -7 z"><title>{} — {}</title></path></g>"#,
            r.class,
            left - 8.0,
            yy + 4.0,
            esc(&truncate(&r.label, 40)),
            yy - 7.0,
            esc(&r.label),
            esc(&tr.date(r.date))
        );
    }
    s.push_str("</svg>");
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// A point on the sites map: where, a class naming its state, and its name.
pub struct MapPoint {
    pub lon: f64,
    pub lat: f64,
    pub class: &'static str,
    pub label: String,
}

/// Iraq's governorates (simplified) with `points` on them.
pub fn sites_map(id: &str, points: &[MapPoint], title: &str) -> String {
    let (lon0, lon1, lat0, lat1) = (38.7, 48.7, 29.0, 37.5);
    let k = 60.0;
    let cos = (33.0f64).to_radians().cos();
    let w = (lon1 - lon0) * k * cos;
    let h = (lat1 - lat0) * k;
    let px = |lon: f64| (lon - lon0) * k * cos;
    let py = |lat: f64| (lat1 - lat) * k;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart sites-map" id="{id}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="{id}-t" dir="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    let g = hawkari_app::geography::gazetteer();
    s.push_str(r#"<g class="boundaries">"#);
    for unit in g.units(1) {
        let shape = unit.shape.simplify(0.02);
        let mut d = String::new();
        for poly in &shape.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for (i, c) in ring.coords().enumerate() {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1}",
                        if i == 0 { "M" } else { "L" },
                        px(c.x),
                        py(c.y)
                    );
                }
                d.push('Z');
            }
        }
        let _ = write!(
            s,
            r#"<path d="{d}"><title>{}</title></path>"#,
            esc(&unit.name_en)
        );
    }
    s.push_str("</g>");
    for p in points {
        let _ = write!(
            s,
            r#"<circle class="site {}" cx="{:.1}" cy="{:.1}" r="7"><title>{}</title></circle>"#,
            p.class,
            px(p.lon),
            py(p.lat),
            esc(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}
