//! The gazetteer and boundaries: name lookup in any script, reverse geocoding, and the
//! admin boundaries as RFC 7946 GeoJSON (with the OCHA/CSO attribution).

use axum::Json;

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hawkari_app::geography::{ATTRIBUTION, boundaries, gazetteer};
use hawkari_core::gazetteer::{Location, UnitRef, rfc7946_geometry};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{Auth, Path, Query};

fn geojson(value: impl serde::Serialize) -> Response {
    let mut r = Json(value).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    r
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// A name or alias in English, Arabic or Sorani, e.g. `Hawler`, `أربيل`, `هەولێر`.
    q: String,
}

pub async fn lookup(
    Auth(_): Auth,
    Query(q): Query<LookupQuery>,
) -> Result<Json<Vec<UnitRef>>, ApiError> {
    if q.q.trim().is_empty() || q.q.chars().count() > 200 {
        return Err(ApiError::bad_param("q", "1 to 200 characters"));
    }
    Ok(Json(gazetteer().lookup(&q.q)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocateQuery {
    /// Latitude, -90 to 90.
    lat: f64,
    /// Longitude, -180 to 180.
    lon: f64,
}

pub async fn locate(
    Auth(_): Auth,
    Query(q): Query<LocateQuery>,
) -> Result<Json<Location>, ApiError> {
    if !(-90.0..=90.0).contains(&q.lat) {
        return Err(ApiError::bad_param("lat", "must be between -90 and 90"));
    }
    if !(-180.0..=180.0).contains(&q.lon) {
        return Err(ApiError::bad_param("lon", "must be between -180 and 180"));
    }
    let location = gazetteer().locate(q.lon, q.lat);
    if location.governorate.is_none() {
        return Err(ApiError::NotFound(
            "the point is outside Iraq's boundaries".into(),
        ));
    }
    Ok(Json(location))
}

pub async fn unit(Auth(_): Auth, Path(pcode): Path<String>) -> Result<Response, ApiError> {
    let g = gazetteer();
    let u = g
        .unit(&pcode)
        .ok_or_else(|| ApiError::NotFound("no unit with that P-code".into()))?;
    let properties = serde_json::to_value(g.unit_ref(u))
        .ok()
        .and_then(|v| v.as_object().cloned());
    let mut members = serde_json::Map::new();
    members.insert("attribution".into(), ATTRIBUTION.into());
    Ok(geojson(geojson::Feature {
        bbox: None,
        geometry: Some(rfc7946_geometry(&u.shape)),
        id: Some(geojson::feature::Id::String(u.pcode.clone())),
        properties,
        foreign_members: Some(members),
    }))
}

pub async fn layer(Auth(_): Auth, Path(level): Path<u8>) -> Result<Response, ApiError> {
    if !(1..=3).contains(&level) {
        return Err(ApiError::bad_param(
            "level",
            "1 governorates, 2 districts or 3 sub-districts",
        ));
    }
    Ok(geojson(boundaries(level)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The area of concern to analyse (its id).
    area: String,
    /// The day (YYYY-MM-DD); the responsibilities in force then are used.
    #[serde(deserialize_with = "hawkari_core::time::day::deserialize")]
    #[param(value_type = String, format = Date)]
    date: chrono::NaiveDate,
    /// Incidents of this many days up to the day (default 90).
    days: Option<u32>,
    /// Coordination line farther than this from every area of responsibility is
    /// unassigned, in km (default 10).
    buffer_km: Option<f64>,
}

/// Gaps and overlaps as GeoJSON features, with the figures as a `figures` member.
pub async fn coverage(
    axum::extract::State(app): axum::extract::State<hawkari_app::App>,
    Auth(principal): Auth,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, ApiError> {
    let days = q.days.unwrap_or(90);
    if days > 3660 {
        return Err(ApiError::bad_param("days", "at most 3660"));
    }
    let buffer_km = q.buffer_km.unwrap_or(10.0);
    if !(0.0..=100.0).contains(&buffer_km) {
        return Err(ApiError::bad_param("buffer_km", "from 0 to 100"));
    }
    let report = app
        .coverage(&principal, &q.area, q.date, days, buffer_km)
        .await?;
    let feature = |kind: &str, geometry: geojson::Geometry| {
        serde_json::json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {"coverage": kind},
        })
    };
    let c = &report.coverage;
    Ok(geojson(serde_json::json!({
        "type": "FeatureCollection",
        "features": [
            feature("gap", rfc7946_geometry(&c.gaps)),
            feature("overlap", rfc7946_geometry(&c.overlaps)),
            feature(
                "unassigned_line",
                geojson::Geometry::new(geojson::Value::from(&c.unassigned_line)),
            ),
        ],
        "figures": c.figures,
        "area": report.area.id,
        "date": report.day,
        "days": report.days,
        "responsibilities": report.responsibilities,
        "lines": report.lines,
        "attribution": ATTRIBUTION,
    })))
}
