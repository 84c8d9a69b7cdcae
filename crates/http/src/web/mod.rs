//! The web interface: server-rendered pages (askama templates, compile-time checked) in
//! English, Arabic and Sorani, over the same app use cases as the JSON API. Forms work
//! without JavaScript; every state-changing form carries the session's CSRF token.

mod account;
mod admin;
mod areas;
mod charts;
mod commitments;
mod dashboard;
mod engagements;
mod forms;
pub mod i18n;
mod import_mapping;
pub mod imports;
mod incident_list;
mod incidents;
mod intake;
mod lists;
mod map;
pub(crate) mod notices;
mod operation_forms;
mod operations;
mod programme_forms;
mod programmes;
mod registry;
mod rows;
mod search;
mod session;

pub use imports::routes as import_routes;
pub use intake::routes as intake_routes;
pub use session::error_page;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use hawkari_app::{App, AppError, Principal};
use hawkari_core::access::User;

use crate::extract::{cookie_value, session_cookie};
use i18n::{Locale, Tr};

/// The cookie that remembers the interface language.
pub const LANG_COOKIE: &str = "hawkari_lang";

/// What every page knows: the language, who is signed in, and the CSRF token its forms send.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub tr: Tr,
    pub principal: Principal,
    pub user: User,
    pub csrf: String,
    /// The path and query of this page, to come back to after a form.
    pub here: String,
    pub css: &'static str,
    pub htmx: Option<&'static str>,
    /// Whether the reader may import incidents (create their organisation's).
    pub may_import: bool,
    /// Whether the reader may take in reports (create their organisation's records).
    pub may_intake: bool,
    /// Unread notices whose records the reader may see now (the header's count).
    pub unread: usize,
    /// What the reader follows (the record pages' follow buttons).
    pub follows: Vec<hawkari_store::Follow>,
}

impl PageCtx {
    pub fn lang(&self) -> &'static str {
        self.tr.locale.code()
    }
    pub fn dir(&self) -> &'static str {
        self.tr.locale.dir()
    }
    pub fn locales(&self) -> [Locale; 3] {
        Locale::ALL
    }
    /// The forms' script.
    pub fn forms_js(&self) -> &'static str {
        assets().forms_js
    }
    pub fn is_lang(&self, l: &Locale) -> bool {
        self.tr.locale == *l
    }
    /// The id of the reader's follow of a record (`target` its kind), if they follow it.
    pub fn follow_of(&self, target: &str, id: &str) -> Option<String> {
        self.follows
            .iter()
            .find(|f| f.target.as_str() == target && f.record_id.as_deref() == Some(id))
            .map(|f| f.id.clone())
    }
    /// Whether the reader administers their organisation (its audit trail is theirs).
    pub fn is_admin(&self) -> bool {
        matches!(
            self.user.role,
            hawkari_core::access::Role::OrgAdmin | hawkari_core::access::Role::SystemAdmin
        )
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if sent.len() == self.csrf.len()
            && sent
                .bytes()
                .zip(self.csrf.bytes())
                .fold(0, |a, (x, y)| a | (x ^ y))
                == 0
        {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

/// The language of a request: the cookie, else the browser's preference, else English.
pub fn locale_of(parts: &Parts) -> Locale {
    locale_of_headers(&parts.headers)
}

/// [`locale_of`] from the request's headers.
pub fn locale_of_headers(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = cookie_value(headers, LANG_COOKIE).and_then(|v| Locale::from_code(&v));
    cookie
        .or_else(|| {
            let accept = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
            accept
                .split(',')
                .filter_map(|l| Locale::from_code(l.split(['-', ';']).next()?.trim()))
                .next()
        })
        .unwrap_or(Locale::En)
}

impl FromRequestParts<App> for PageCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let to_login = || {
            let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
            redirect(&format!("/login?next={next}"))
        };
        let Some(secret) = session_cookie(&parts.headers) else {
            return Err(to_login());
        };
        let (principal, csrf) = app
            .authenticate_session(&secret)
            .await
            .map_err(|_| to_login())?;
        let user = principal.user.clone().ok_or_else(to_login)?;
        // Imports create incidents, intake engagements (and what goes with them).
        let may_import = may_create_own(app, &principal, hawkari_core::record::Kind::Incident);
        let may_intake = may_create_own(app, &principal, hawkari_core::record::Kind::Engagement);
        // A page shows without them if they cannot be read: they are not its content.
        let unread = app.unread_notices(&principal).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "unread notices not counted");
            0
        });
        let follows = app.store().follows(&user.id).await.unwrap_or_default();
        Ok(PageCtx {
            tr: Tr {
                locale: locale_of(parts),
            },
            principal,
            user,
            csrf,
            here,
            css: assets().css_path,
            htmx: assets().htmx,
            may_import,
            may_intake,
            unread,
            follows,
        })
    }
}

/// A page could not be shown.
#[derive(Debug)]
pub enum WebError {
    NotFound,
    Forbidden,
    BadRequest,
    App(AppError),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound { .. } | AppError::NoSuch(_) => WebError::NotFound,
            AppError::Forbidden(_) => WebError::Forbidden,
            other => WebError::App(other),
        }
    }
}

/// The error page a bodiless error response is to become, in the reader's language:
/// handlers put it in the response's extensions and `crate::error::error_bodies`, which
/// knows the request, renders it.
#[derive(Debug, Clone)]
pub struct ErrorPageKey {
    pub key: &'static str,
    /// Said under the message: the fields at fault, or the error id to quote.
    pub detail: Vec<String>,
}

impl ErrorPageKey {
    /// The page of an error status.
    pub fn of_status(status: StatusCode) -> Self {
        let key = match status.as_u16() {
            403 => "error-forbidden",
            404 => "error-not-found",
            405 => "error-method",
            408 => "error-timeout",
            409 | 412 | 428 => "error-conflict",
            413 => "error-too-large",
            422 => "error-invalid",
            503 => "error-unavailable",
            s if s >= 500 => "error-internal",
            _ => "error-bad-request",
        };
        Self {
            key,
            detail: vec![],
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, detail) = match self {
            WebError::NotFound => (StatusCode::NOT_FOUND, vec![]),
            WebError::Forbidden => (StatusCode::FORBIDDEN, vec![]),
            WebError::BadRequest => (StatusCode::BAD_REQUEST, vec![]),
            WebError::App(e) => {
                // The API's answer decides the status; its words become the page's.
                let api = crate::ApiError::from(e);
                let status = api.status_code();
                let detail = match api {
                    crate::ApiError::Invalid(v) => v
                        .errors
                        .into_iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect(),
                    crate::ApiError::Internal(cause) => vec![crate::error::log_fault(&*cause)],
                    crate::ApiError::Unavailable(m) => {
                        tracing::warn!(reason = %m, "service unavailable");
                        vec![]
                    }
                    _ => vec![],
                };
                (status, detail)
            }
        };
        let mut r = status.into_response();
        let mut page = ErrorPageKey::of_status(status);
        page.detail = detail;
        r.extensions_mut().insert(page);
        r
    }
}

pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// Renders a template, or answers 500 (logged) if it cannot.
pub fn render(t: &impl askama::Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            r.extensions_mut().insert(ErrorPageKey {
                key: "error-internal",
                detail: vec![crate::error::log_fault(&e)],
            });
            r
        }
    }
}

/// Static files, addressed by a hash of their content so they can be cached for ever.
#[derive(Debug)]
pub struct Assets {
    pub css_path: &'static str,
    /// The map page's own script.
    pub map_js: &'static str,
    /// The forms' script (filling a participant's organisation); forms work without it.
    pub forms_js: &'static str,
    /// The script of the incident and area forms' maps and the area page's.
    pub record_map_js: &'static str,
    /// Leaflet-Geoman, the drawing tools of the area form's map, if installed.
    pub draw_library: Option<DrawLibrary>,
    /// htmx from the npm registry, if it is installed; pages work without it, with
    /// full-page form posts.
    pub htmx: Option<&'static str>,
    /// Leaflet and its marker clustering (script and style sheets), if installed; without
    /// them the map page still lists the incidents and the coverage figures.
    pub map_library: Option<MapLibrary>,
    /// Every served file by its URL: the body and its content type.
    files: std::collections::HashMap<&'static str, (&'static [u8], &'static str)>,
}

/// The URLs of the drawing plugin's files (Leaflet-Geoman).
#[derive(Debug, Clone, Copy)]
pub struct DrawLibrary {
    pub script: &'static str,
    pub style: &'static str,
}

/// The URLs of the map library's files.
#[derive(Debug, Clone, Copy)]
pub struct MapLibrary {
    pub scripts: [&'static str; 2],
    pub styles: [&'static str; 3],
}

const APP_CSS: &str = include_str!("../../static/app.css");
const MAP_JS: &str = include_str!("../../static/map.js");
const FORMS_JS: &str = include_str!("../../static/forms.js");
const RECORD_MAP_JS: &str = include_str!("../../static/record_map.js");

/// Files from the npm registry, installed in web/node_modules by the project's scripts
/// (`npm ci --prefix web`): read from `HAWKARI_WEB_MODULES`, else web/node_modules below
/// the working directory.
const HTMX: &str = "htmx.org/dist/htmx.min.js";
const LEAFLET: [&str; 5] = [
    "leaflet/dist/leaflet.js",
    "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet/dist/leaflet.css",
    "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css",
];
/// Leaflet-Geoman (the free edition, MIT): drawing and editing shapes on a Leaflet map.
const GEOMAN: [&str; 2] = [
    "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.js",
    "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css",
];

fn content_hash(s: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The content-addressed URL of a file: `/static/{stem}-{hash}.{ext}`.
fn hashed_url(stem: &str, ext: &str, body: &[u8]) -> &'static str {
    Box::leak(format!("/static/{stem}-{}.{ext}", &content_hash(body)[..12]).into_boxed_str())
}

impl Assets {
    fn load() -> Self {
        let modules = std::path::PathBuf::from(
            std::env::var("HAWKARI_WEB_MODULES").unwrap_or_else(|_| "web/node_modules".into()),
        );
        let mut files = std::collections::HashMap::new();
        let mut add = |stem: &str, ext: &str, body: &'static [u8]| {
            let url = hashed_url(stem, ext, body);
            let kind = if ext == "css" {
                "text/css; charset=utf-8"
            } else {
                "text/javascript; charset=utf-8"
            };
            files.insert(url, (body, kind));
            url
        };
        let mut vendor = |relative: &str| -> Option<&'static str> {
            let path = modules.join(relative);
            match std::fs::read(&path) {
                Ok(body) => {
                    let name = path.file_name()?.to_str()?;
                    let (stem, ext) = name.rsplit_once('.')?;
                    Some(add(
                        &stem.replace('.', "-").to_lowercase(),
                        ext,
                        Box::leak(body.into_boxed_slice()),
                    ))
                }
                Err(_) => {
                    tracing::info!(path = %path.display(), "not installed: pages do without it");
                    None
                }
            }
        };
        let htmx = vendor(HTMX);
        let leaflet: Vec<Option<&'static str>> = LEAFLET.iter().map(|f| vendor(f)).collect();
        let map_library = match leaflet[..] {
            [Some(a), Some(b), Some(c), Some(d), Some(e)] => Some(MapLibrary {
                scripts: [a, b],
                styles: [c, d, e],
            }),
            _ => None,
        };
        let draw_library = match (vendor(GEOMAN[0]), vendor(GEOMAN[1])) {
            (Some(script), Some(style)) => Some(DrawLibrary { script, style }),
            _ => None,
        };
        let css_path = add("app", "css", APP_CSS.as_bytes());
        let map_js = add("map", "js", MAP_JS.as_bytes());
        let forms_js = add("forms", "js", FORMS_JS.as_bytes());
        let record_map_js = add("record-map", "js", RECORD_MAP_JS.as_bytes());
        Assets {
            css_path,
            map_js,
            forms_js,
            record_map_js,
            draw_library,
            htmx,
            map_library,
            files,
        }
    }
}

pub fn assets() -> &'static Assets {
    static ASSETS: std::sync::LazyLock<Assets> = std::sync::LazyLock::new(Assets::load);
    &ASSETS
}

async fn static_file(Path(name): Path<String>) -> Response {
    let path = format!("/static/{name}");
    let Some((body, kind)) = assets().files.get(path.as_str()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/login", get(session::login_form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang", post(session::set_language))
        .route("/engagements", get(engagements::engagements))
        .route("/engagements.csv", get(engagements::engagements_csv))
        .route(
            "/engagements/new",
            get(engagements::new_engagement).post(engagements::create_engagement),
        )
        .route("/engagements/{id}", get(engagements::engagement))
        .route(
            "/engagements/{id}/edit",
            get(engagements::edit_engagement).post(engagements::update_engagement),
        )
        .route(
            "/engagements/{id}/print",
            get(engagements::print_engagement),
        )
        .route(
            "/engagements/{id}/comments",
            post(engagements::comment_engagement),
        )
        .route("/commitments", get(commitments::commitments))
        .route("/commitments.csv", get(commitments::commitments_csv))
        .route("/commitments/{id}", get(commitments::commitment))
        .route("/commitments/{id}/status", post(commitments::change_status))
        .route("/people", get(registry::people))
        .route("/people.csv", get(registry::people_csv))
        .route(
            "/people/new",
            get(registry::new_person).post(registry::create_person),
        )
        .route(
            "/people/new/for-engagement",
            post(registry::new_person_for_engagement),
        )
        .route("/people/{id}", get(registry::person))
        .route(
            "/people/{id}/edit",
            get(registry::edit_person).post(registry::update_person),
        )
        .route(
            "/people/{id}/delete",
            get(registry::delete_person_page).post(registry::delete_person),
        )
        .route("/organisations", get(registry::organisations))
        .route("/organisations.csv", get(registry::organisations_csv))
        .route(
            "/organisations/new",
            get(registry::new_organisation).post(registry::create_organisation),
        )
        .route("/organisations/{id}", get(registry::organisation))
        .route(
            "/organisations/{id}/edit",
            get(registry::edit_organisation).post(registry::update_organisation),
        )
        .route(
            "/organisations/{id}/delete",
            get(registry::delete_organisation_page).post(registry::delete_organisation),
        )
        .route("/places", get(registry::places))
        .route(
            "/places/new",
            get(registry::new_place).post(registry::create_place),
        )
        .route("/places/{id}", get(registry::place))
        .route(
            "/places/{id}/edit",
            get(registry::edit_place).post(registry::update_place),
        )
        .route(
            "/places/{id}/delete",
            get(registry::delete_place_page).post(registry::delete_place),
        )
        .route("/topics", get(registry::topics).post(registry::add_topic))
        .route("/topics/{code}", post(registry::change_topic))
        .route("/search", get(search::search))
        .route("/map", get(map::map))
        .route("/incidents", get(incident_list::incidents))
        .route("/incidents.csv", get(incident_list::incidents_csv))
        .route("/incidents.geojson", get(incident_list::incidents_geojson))
        .route(
            "/incidents/new",
            get(incidents::new_incident).post(incidents::create_incident),
        )
        .route("/incidents/{id}", get(incidents::incident))
        .route(
            "/incidents/{id}/edit",
            get(incidents::edit_incident).post(incidents::update_incident),
        )
        .route(
            "/incidents/{id}/delete",
            get(incidents::delete_incident_page).post(incidents::delete_incident),
        )
        .route("/areas", get(areas::areas))
        .route("/areas/new", get(areas::new_area).post(areas::create_area))
        .route("/areas/{id}", get(areas::area))
        .route(
            "/areas/{id}/edit",
            get(areas::edit_area).post(areas::update_area),
        )
        .route(
            "/areas/{id}/delete",
            get(areas::delete_area_page).post(areas::delete_area),
        )
        .route("/programmes", get(programmes::programmes))
        .route(
            "/programmes/new",
            get(programme_forms::new_programme).post(programme_forms::create_programme),
        )
        .route("/programmes/{id}", get(programmes::programme))
        .route(
            "/programmes/{id}/edit",
            get(programme_forms::edit_programme).post(programme_forms::update_programme),
        )
        .route(
            "/programmes/{id}/delete",
            get(programme_forms::delete_programme_page).post(programme_forms::delete_programme),
        )
        .route(
            "/programmes/{id}/indicators/{key}/observations",
            post(programme_forms::add_observation),
        )
        .route(
            "/programmes/{id}/milestones/{key}/status",
            post(programme_forms::milestone_status),
        )
        .route("/operations", get(operation_forms::operations))
        .route(
            "/operations/new",
            get(operation_forms::new_operation).post(operation_forms::create_operation),
        )
        .route("/operations/{id}", get(operations::operation))
        .route(
            "/operations/{id}/edit",
            get(operation_forms::edit_operation).post(operation_forms::update_operation),
        )
        .route(
            "/operations/{id}/delete",
            get(operation_forms::delete_operation_page).post(operation_forms::delete_operation),
        )
        .route("/operations/{id}/sites/{key}", get(operations::site))
        .route(
            "/operations/{id}/sites/{key}/reports",
            post(operations::report),
        )
        .route("/admin/audit", get(admin::audit))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", post(admin::update_user))
        .route("/admin/users/{id}/password", post(admin::set_password))
        .route(
            "/account/tokens",
            get(account::tokens).post(account::create_token),
        )
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(
            "/account/calendar",
            get(account::calendar).post(account::create_calendar_feed),
        )
        .route(
            "/account/calendar/{id}/revoke",
            post(account::revoke_calendar_feed),
        )
        .route("/notifications", get(notices::notices))
        .route("/notifications/read", post(notices::mark_all_read))
        .route("/notifications/{id}/read", post(notices::mark_read))
        .route(
            "/account/notifications",
            get(notices::settings).post(notices::save_settings),
        )
        .route("/follows", post(notices::follow))
        .route("/follows/{id}/delete", post(notices::unfollow))
        .route("/views", post(account::save_view))
        .route("/views/{id}/delete", post(account::delete_view))
        .route("/static/{name}", get(static_file))
}

/// Whether the reader may create records of `kind` that their own organisation owns:
/// what the import and intake pages need before they are offered.
fn may_create_own(
    app: &App,
    principal: &hawkari_app::Principal,
    kind: hawkari_core::record::Kind,
) -> bool {
    let Some(user) = &principal.user else {
        return false;
    };
    principal.may_write()
        && app.authorizer().allows(
            principal,
            hawkari_app::Action::Create,
            hawkari_app::authz::Releasability {
                kind,
                owner: &user.organisation_id,
                releasable_to: &[],
                groups: &[],
            },
        )
}
