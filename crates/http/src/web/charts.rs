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
/// The font sizes of tick labels and of timeline row labels (px), as the SVG sets them.
const TICK: f64 = 12.0;
const LABEL: f64 = 13.0;

/// Text measured without a browser, conservatively: no label is wider, nor its line
/// taller, than these say in the fonts the style sheet may fall back to (DejaVu Sans,
/// Noto Sans, Noto Naskh Arabic, …), so that margins reserved from them are never short.
mod metrics {
    /// Above the baseline and below it, in ems: what a text's box reaches.
    pub const ASCENT: f64 = 1.1;
    pub const DESCENT: f64 = 0.45;

    /// The advance of a character, in ems, rounded up for the widest common fonts.
    fn advance(c: char) -> f64 {
        match c {
            // Combining marks (harakat) and bidi controls (Fluent isolates) take no room.
            '\u{300}'..='\u{36f}'
            | '\u{610}'..='\u{61a}'
            | '\u{64b}'..='\u{65f}'
            | '\u{670}'
            | '\u{6d6}'..='\u{6ed}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => 0.0,
            ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' => 0.36,
            'f' | 'i' | 'j' | 'l' | 'r' | 't' | 'I' | '.' | ',' | ':' | ';' | '!' | '\'' | '|'
            | '(' | ')' | '[' | ']' => 0.45,
            'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' | '…' => 1.05,
            '0'..='9' | '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}' => 0.66,
            'A'..='Z' => 0.8,
            'a'..='z' => 0.64,
            '\u{600}'..='\u{6ff}'
            | '\u{750}'..='\u{77f}'
            | '\u{fb50}'..='\u{fdff}'
            | '\u{fe70}'..='\u{feff}' => 0.75,
            c if c.is_ascii() => 0.7,
            _ => 1.0,
        }
    }

    /// The width of `s` at `size` px.
    pub fn width(s: &str, size: f64) -> f64 {
        s.chars().map(advance).sum::<f64>() * size
    }

    /// Whether `s` reads right to left: its first strong character is Arabic-script.
    pub fn is_rtl(s: &str) -> bool {
        s.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(|c| matches!(c, '\u{590}'..='\u{8ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}'))
    }

    /// `s`, cut with an ellipsis to at most `max` px wide at `size` px.
    pub fn fit(s: &str, size: f64, max: f64) -> String {
        if width(s, size) <= max {
            return s.to_owned();
        }
        let room = max - width("…", size);
        let mut out = String::new();
        let mut used = 0.0;
        for c in s.chars() {
            used += advance(c) * size;
            if used > room {
                break;
            }
            out.push(c);
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }
}

/// Where a label stands against its `x`: its right edge, its middle, its left edge.
#[derive(Clone, Copy)]
enum Align {
    Right,
    Middle,
}

/// A `<text>` at (`x`, `y`) aligned as asked whichever way its words run: the drawing
/// runs left to right (`direction="ltr"` on the chart), and a label in Arabic script
/// is set right to left with the anchor that keeps the same edge at `x`.
fn text(class: &str, x: f64, y: f64, size: f64, align: Align, content: &str) -> String {
    let rtl = metrics::is_rtl(content);
    let anchor = match (align, rtl) {
        (Align::Middle, _) => "middle",
        (Align::Right, false) => "end",
        (Align::Right, true) => "start",
    };
    let direction = if rtl { " direction=\"rtl\"" } else { "" };
    format!(
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size}" text-anchor="{anchor}"{direction}>{}</text>"#,
        esc(content)
    )
}

/// The x at which a label `width` wide is centred on `x` without leaving `lo`–`hi`.
fn centred_within(x: f64, width: f64, lo: f64, hi: f64) -> f64 {
    let half = width / 2.0;
    if hi - lo < width {
        return (lo + hi) / 2.0;
    }
    x.clamp(lo + half, hi - half)
}

/// Year ticks whose labels, centred on them, keep `gap` px apart; each with its label.
fn spaced_year_ticks(
    ticks: Vec<NaiveDate>,
    at: impl Fn(NaiveDate) -> f64,
    tr: &Tr,
    gap: f64,
) -> Vec<(NaiveDate, String, f64)> {
    let mut out: Vec<(NaiveDate, String, f64)> = Vec::new();
    let mut right_edge = f64::NEG_INFINITY;
    for t in ticks {
        let label = tr.digits(&t.year().to_string());
        let w = metrics::width(&label, TICK);
        let x = at(t);
        if x - w / 2.0 >= right_edge + gap {
            right_edge = x + w / 2.0;
            out.push((t, label, x));
        }
    }
    out
}

/// The opening of a chart's SVG: its size, accessible name, and the drawing's left to
/// right direction in every language.
fn open(s: &mut String, id: &str, class: &str, w: f64, h: f64, title: &str) {
    let _ = write!(
        s,
        r#"<svg class="{class}" id="{id}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="{id}-t" dir="ltr" direction="ltr" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
}

/// An indicator's observations, its target, the rate still needed (dotted) and the
/// projection at the current rate (dashed), with `summary` as the accessible name.
/// The left margin is as wide as the widest value label; labels that would touch one
/// another are left out (their grid lines stay).
pub fn indicator(id: &str, ind: &Indicator, trend: &Trend, tr: &Tr, summary: &str) -> String {
    let points = ind.points();
    let target = (trend.target_date, trend.target_value);
    let values = [0.0, target.1 / 2.0, target.1];
    let labels: Vec<String> = values.iter().map(|v| thousands(tr, *v)).collect();
    let widest = labels
        .iter()
        .map(|l| metrics::width(l, TICK))
        .fold(0.0, f64::max);
    let (gap, pad) = (6.0, 4.0);
    let left = (widest + gap + pad).clamp(40.0, W / 2.0);
    let right = 20.0;
    let top = 20.0;
    // Under the axis: a gap, the year labels' line, a margin.
    let bottom = 6.0 + TICK * (metrics::ASCENT + metrics::DESCENT) + 8.0;
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
    open(&mut s, id, "chart", W, H, summary);
    // Axes and grid: 0, half the target, the target.
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left:.1}" y1="{0}" x2="{1}" y2="{0}"/><line class="axis" x1="{left:.1}" y1="{top}" x2="{left:.1}" y2="{0}"/>"#,
        H - bottom,
        W - right
    );
    // A label's line is ASCENT + DESCENT high, centred on its grid line.
    let line = TICK * (metrics::ASCENT + metrics::DESCENT);
    let mut taken: Vec<f64> = Vec::new();
    // The target's label first, then zero's, then half-way's, as room allows.
    for i in [2, 0, 1] {
        let (v, label) = (&values[i], &labels[i]);
        let yy = y.at(*v);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left:.1}" y1="{yy:.1}" x2="{}" y2="{yy:.1}"/>"#,
            W - right
        );
        if taken.iter().all(|t| (t - yy).abs() >= line + 2.0) {
            taken.push(yy);
            let baseline = yy + TICK * (metrics::ASCENT - metrics::DESCENT) / 2.0;
            s.push_str(&text(
                "tick",
                left - gap,
                baseline,
                TICK,
                Align::Right,
                label,
            ));
        }
    }
    let baseline = H - bottom + 6.0 + TICK * metrics::ASCENT;
    for (t, label, xx) in
        spaced_year_ticks(year_ticks(first, last), |d| x.at(day_number(d)), tr, 8.0)
    {
        let _ = t;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{}"/>"#,
            H - bottom
        );
        let at = centred_within(xx, metrics::width(&label, TICK), left, W);
        s.push_str(&text("tick", at, baseline, TICK, Align::Middle, &label));
    }
    // The target: a line across, and its point.
    let (tx, ty) = (x.at(day_number(target.0)), y.at(target.1));
    let _ = write!(
        s,
        r#"<line class="target" x1="{left:.1}" y1="{ty:.1}" x2="{tx:.1}" y2="{ty:.1}"/><path class="target-mark" d="M{tx:.1} {:.1} l6 6 l-6 6 l-6 -6 z"/>"#,
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

/// Rows on a time axis from `from` to `end`, with today and the end marked. The labels'
/// column is as wide as the widest label (at most two fifths of the chart; a longer one
/// is cut with an ellipsis and given whole in its mark's title); the end's label has a
/// line above the rows, the years one below them and today's one below that, so that
/// none meets another or a line.
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
    let w = W + 160.0;
    let (gap, pad, right) = (8.0, 4.0, 12.0);
    let max_label = w * 0.4 - gap - pad;
    let shown: Vec<String> = rows
        .iter()
        .map(|r| metrics::fit(&r.label, LABEL, max_label))
        .collect();
    let widest = shown
        .iter()
        .map(|l| metrics::width(l, LABEL))
        .fold(0.0, f64::max);
    let left = (widest + gap + pad).max(60.0);
    let line = TICK * (metrics::ASCENT + metrics::DESCENT);
    // The end's label on the first line; the rows below it.
    let end_baseline = 2.0 + TICK * metrics::ASCENT;
    let top = 2.0 + line + 10.0;
    let row_h = 26.0;
    let bottom = top + row_h * rows.len() as f64;
    let years_baseline = bottom + 4.0 + TICK * metrics::ASCENT;
    let today_baseline = years_baseline + TICK * metrics::DESCENT + 2.0 + TICK * metrics::ASCENT;
    let h = today_baseline + TICK * metrics::DESCENT + 4.0;
    let last = end
        .max(today)
        .max(rows.iter().map(|r| r.date).max().unwrap_or(end));
    let x = Scale {
        d0: day_number(from) - 30.0,
        d1: day_number(last) + 30.0,
        r0: left,
        r1: w - right,
    };
    let mut s = String::new();
    open(&mut s, id, "chart timeline", w, h, title);
    for (_, label, xx) in
        spaced_year_ticks(year_ticks(from, last), |d| x.at(day_number(d)), tr, 8.0)
    {
        let _ = write!(
            s,
            r#"<line class="grid" x1="{xx:.1}" y1="{top:.1}" x2="{xx:.1}" y2="{bottom:.1}"/>"#
        );
        let at = centred_within(xx, metrics::width(&label, TICK), left, w);
        s.push_str(&text(
            "tick",
            at,
            years_baseline,
            TICK,
            Align::Middle,
            &label,
        ));
    }
    for (d, class, label, baseline, line_from) in [
        (today, "today", today_label, today_baseline, top),
        (end, "end", end_label, end_baseline, top - 8.0),
    ] {
        let xx = x.at(day_number(d));
        let _ = write!(
            s,
            r#"<line class="{class}" x1="{xx:.1}" y1="{line_from:.1}" x2="{xx:.1}" y2="{bottom:.1}"/>"#
        );
        let at = centred_within(xx, metrics::width(label, TICK), 0.0, w);
        s.push_str(&text(
            &format!("tick {class}"),
            at,
            baseline,
            TICK,
            Align::Middle,
            label,
        ));
    }
    for ((i, r), label) in rows.iter().enumerate().zip(&shown) {
        let yy = top + row_h * i as f64 + row_h / 2.0;
        let xx = x.at(day_number(r.date));
        let _ = write!(s, r#"<g class="row {}">"#, r.class);
        s.push_str(&text(
            "label",
            left - gap,
            yy + LABEL * (metrics::ASCENT - metrics::DESCENT) / 2.0,
            LABEL,
            Align::Right,
            label,
        ));
        let _ = write!(
            s,
            r#"<line class="lane" x1="{left:.1}" y1="{yy:.1}" x2="{xx:.1}" y2="{yy:.1}"/><path class="mark" d="M{xx:.1} {:.1} l7 7 l-7 7 l-7 -7 z"><title>{} — {}</title></path></g>"#,
            yy - 7.0,
            esc(&r.label),
            esc(&tr.date(r.date))
        );
    }
    s.push_str("</svg>");
    s
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
    open(&mut s, id, "chart sites-map", w, h, title);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Locale;

    /// The `<text>` elements of an SVG: (x, y, anchor, direction, content).
    fn texts(svg: &str) -> Vec<(f64, f64, String, String, String)> {
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let attr = |name: &str| {
                    t.split(&format!(" {name}=\""))
                        .nth(1)
                        .map(|v| v.split('"').next().unwrap().to_owned())
                        .unwrap_or_default()
                };
                let content = t.split('>').nth(1).unwrap().split('<').next().unwrap();
                (
                    attr("x").parse().unwrap(),
                    attr("y").parse().unwrap(),
                    attr("text-anchor"),
                    attr("direction"),
                    content.to_owned(),
                )
            })
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn labels_are_cut_to_fit_by_their_estimated_width() {
        let long = "Advising and mentoring the security forces of the federal government";
        let cut = metrics::fit(long, LABEL, 200.0);
        assert!(
            cut.ends_with('…') && metrics::width(&cut, LABEL) <= 200.0,
            "{cut}"
        );
        assert_eq!(metrics::fit("Short", LABEL, 200.0), "Short");
        // Wide letters count for more than narrow ones; marks and bidi isolates for none.
        assert!(metrics::width("WWWW", 12.0) > metrics::width("iiii", 12.0) * 2.0);
        assert_eq!(metrics::width("\u{2068}\u{2069}", 12.0), 0.0);
        assert!(metrics::is_rtl("\u{2068}تنتهي أيلول"));
        assert!(!metrics::is_rtl("٢٠٢٦ Ends"));
    }

    #[test]
    fn a_timeline_reserves_its_widest_label_and_sets_arabic_labels_right_to_left() {
        let rows = [
            TimelineRow {
                label: "Base presence at Ain al-Asad air base (under Iraqi army authority)".into(),
                date: day("2025-12-31"),
                class: "at-risk",
            },
            TimelineRow {
                label: "تدريب القوات العراقية والبيشمركة".into(),
                date: day("2026-09-30"),
                class: "done",
            },
        ];
        for locale in Locale::ALL {
            let tr = Tr { locale };
            let svg = timeline(
                "t",
                &rows,
                day("2025-01-01"),
                day("2026-09-30"),
                day("2026-09-20"),
                &tr,
                (
                    "Transition",
                    &tr.t("timeline-today"),
                    &tr.t1("timeline-end", "date", "September 2026"),
                ),
            );
            let w: f64 = 800.0;
            let labels: Vec<_> = texts(&svg)
                .into_iter()
                .filter(|t| svg.contains(&format!("class=\"label\" x=\"{:.1}\"", t.0)))
                .collect();
            assert_eq!(labels.len(), 2);
            let lane: f64 = svg
                .split("class=\"lane\" x1=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            for (x, _, anchor, direction, content) in &labels {
                // Each label ends left of the lanes, and starts inside the chart.
                assert!(*x < lane);
                assert!(x - metrics::width(content, LABEL) >= 0.0, "{content}");
                if metrics::is_rtl(content) {
                    assert_eq!((anchor.as_str(), direction.as_str()), ("start", "rtl"));
                } else {
                    assert_eq!((anchor.as_str(), direction.as_str()), ("end", ""));
                }
            }
            // The end's and today's labels stay inside, though both fall at the right.
            for (x, y, anchor, _, content) in texts(&svg) {
                let half = metrics::width(&content, TICK) / 2.0;
                if anchor == "middle" {
                    assert!(x - half >= 0.0 && x + half <= w, "{content} at {x}");
                }
                assert!(y - TICK * metrics::ASCENT >= 0.0, "{content} at {y}");
            }
        }
    }

    #[test]
    fn value_labels_too_close_to_one_another_are_left_out_and_the_margin_fits_the_widest() {
        let ind: Indicator = serde_json::from_value(serde_json::json!({
            "key": "k", "names": {"en": "Peshmerga"},
            "observations": [{"value": 1_250_000_000.0, "date": "2025-05", "source": {"publisher": "p", "title": "t"}}],
            "target": {"value": 1000.0, "date": "2026"}
        }))
        .unwrap();
        let trend = ind.trend();
        for locale in Locale::ALL {
            let tr = Tr { locale };
            let svg = indicator("i", &ind, &trend, &tr, "summary");
            let ticks: Vec<_> = texts(&svg).into_iter().filter(|t| t.2 == "end").collect();
            // 0, 500 and 1 000 against a billion: one label, not three on top of each
            // other; the target's.
            assert_eq!(ticks.len(), 1, "{ticks:?}");
            assert_eq!(ticks[0].4, thousands(&tr, 1000.0));
            let axis: f64 = svg
                .split("class=\"axis\" x1=\"")
                .nth(2)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            for (x, _, _, _, content) in &ticks {
                assert!(*x < axis && x - metrics::width(content, TICK) >= 0.0);
            }
        }
    }
}
