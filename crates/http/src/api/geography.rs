//! The gazetteer and boundaries: name lookup in any script, reverse geocoding, and the
//! admin boundaries as RFC 7946 GeoJSON (with the OCHA/CSO attribution).

use axum::Json;

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hawkari_app::geography::{ATTRIBUTION, Detail, boundaries, gazetteer};
use hawkari_core::gazetteer::{Location, NamedPlace, UnitRef, rfc7946_geometry};
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
    /// A name or alias in English, Arabic or Sorani, e.g. `Hawler`, `أربيل`, `هەولێر`
    /// (1 to 200 characters, not blank).
    #[param(min_length = 1, max_length = 200, pattern = r"\S")]
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

/// Named places (towns, airports, air bases) by name or alias in any script, as sources
/// spell them (`Tuz Khurmato`, `طوزخورماتو`); else those whose name starts with `q`.
pub async fn places(
    Auth(_): Auth,
    Query(q): Query<LookupQuery>,
) -> Result<Json<Vec<NamedPlace>>, ApiError> {
    if q.q.trim().is_empty() || q.q.chars().count() > 200 {
        return Err(ApiError::bad_param("q", "1 to 200 characters"));
    }
    Ok(Json(
        gazetteer()
            .places()
            .lookup(&q.q, 20)
            .into_iter()
            .cloned()
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocateQuery {
    /// Latitude, -90 to 90.
    #[param(minimum = -90, maximum = 90)]
    lat: f64,
    /// Longitude, -180 to 180.
    #[param(minimum = -180, maximum = 180)]
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
    let location = gazetteer().locate_near(q.lon, q.lat);
    if location.governorate.is_none() {
        return Err(ApiError::NotFound(
            "the point is outside Iraq's boundaries".into(),
        ));
    }
    Ok(Json(location))
}

/// A layer that never changes while this binary runs (the boundaries built into it),
/// answered with an `ETag` and a day's `Cache-Control`, or 304 to a browser that holds it:
/// a phone on a slow link downloads the boundaries once, not at every visit.
fn cached(bytes: &'static (Vec<u8>, String), headers: &axum::http::HeaderMap) -> Response {
    let (body, etag) = bytes;
    let fresh = headers
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if fresh {
        axum::http::StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.clone().into_response();
        r.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/geo+json"),
        );
        r
    };
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(axum::http::header::ETAG, v);
    }
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    r
}

/// The serialised layer of an admin level at a detail, and its entity tag, made once.
fn layer_bytes(level: u8, detail: Detail) -> &'static (Vec<u8>, String) {
    type Layers = [[(Vec<u8>, String); 3]; 2];
    static LAYERS: std::sync::OnceLock<Layers> = std::sync::OnceLock::new();
    let layers = LAYERS.get_or_init(|| {
        [Detail::Full, Detail::Display].map(|d| {
            [1u8, 2, 3].map(|l| {
                let body = serde_json::to_vec(&boundaries(l, d)).unwrap_or_default();
                use sha2::Digest;
                let digest = sha2::Sha256::digest(&body);
                let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
                (body, format!("\"{tag}\""))
            })
        })
    });
    let d = usize::from(detail == Detail::Display);
    &layers[d][usize::from(level.clamp(1, 3) - 1)]
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LayerQuery {
    /// `full` (default): the source's shapes; `display`: simplified within about 110 m
    /// and rounded to 4 decimals, for drawing on a map (about a fifth of the bytes).
    #[param(value_type = Option<String>, pattern = "^(full|display)$")]
    detail: Option<String>,
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

pub async fn layer(
    Auth(_): Auth,
    Path(level): Path<String>,
    Query(q): Query<LayerQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    // Parsed here, not by `Path<u8>`: a lone path value's parse error does not carry the
    // parameter's name, and every refusal names what it refuses.
    let level = level
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=3).contains(l))
        .ok_or_else(|| {
            ApiError::bad_param("level", "1 governorates, 2 districts or 3 sub-districts")
        })?;
    let detail = match q.detail.as_deref() {
        None | Some("full") => Detail::Full,
        Some("display") => Detail::Display,
        Some(_) => return Err(ApiError::bad_param("detail", "`full` or `display`")),
    };
    Ok(cached(layer_bytes(level, detail), &headers))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The area of concern to analyse (its id).
    #[param(value_type = hawkari_core::ids::AreaId)]
    area: String,
    /// The day (YYYY-MM-DD); the responsibilities in force then are used.
    #[serde(deserialize_with = "hawkari_core::time::day::deserialize")]
    #[param(value_type = String, format = Date)]
    date: chrono::NaiveDate,
    /// Incidents of this many days up to the day, at most 3660 (default 90).
    #[param(minimum = 0, maximum = 3660)]
    days: Option<u32>,
    /// Coordination line farther than this from every area of responsibility is
    /// unassigned, in km, 0 to 100 (default 10).
    #[param(minimum = 0, maximum = 100)]
    buffer_km: Option<f64>,
}

/// Gaps and overlaps as GeoJSON features, with the figures as a `figures` member.
pub async fn coverage(
    axum::extract::State(app): axum::extract::State<hawkari_app::App>,
    Auth(principal): Auth,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, ApiError> {
    // A malformed id is a bad parameter (400), as in every list's filters, not "no such
    // area" (404).
    q.area
        .parse::<hawkari_core::ids::AreaId>()
        .map_err(|m| ApiError::bad_param("area", m))?;
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
        let mut properties = serde_json::Map::new();
        properties.insert("coverage".into(), kind.into());
        geojson::Feature {
            bbox: None,
            geometry: Some(geometry),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        }
    };
    let c = &report.coverage;
    let members = serde_json::json!({
        "figures": c.figures,
        "area": report.area.id,
        "date": report.day,
        "days": report.days,
        "responsibilities": report.responsibilities,
        "lines": report.lines,
        "attribution": ATTRIBUTION,
    });
    Ok(geojson(geojson::FeatureCollection {
        bbox: None,
        features: vec![
            feature("gap", rfc7946_geometry(&c.gaps)),
            feature("overlap", rfc7946_geometry(&c.overlaps)),
            feature(
                "unassigned_line",
                geojson::Geometry::new(geojson::Value::from(&c.unassigned_line)),
            ),
        ],
        foreign_members: match members {
            serde_json::Value::Object(m) => Some(m),
            _ => None,
        },
    }))
}
