//! The OpenAPI document at `/api/v1/openapi.json`, generated from the code: schemas come
//! from the types' `ToSchema` implementations (ids, texts and dates state what their
//! parsers accept), list parameters from the query structs' `IntoParams` derives, and the
//! paths of each kind from one function, as the router builds them from one function
//! (`api::kind_routes`). Two passes over the built document then write what the derives
//! cannot: [`flatten`] merges the `allOf` utoipa writes for `#[serde(flatten)]` into one
//! object, and [`responses`] adds the answers any operation can give (a malformed
//! parameter, not signed in, a body too large, the database unavailable …) once, by the
//! operation's shape, instead of at each. The API suite's `schemathesis` test holds the
//! server to the result.

mod feeds;
mod flatten;
mod notices;
mod responses;

use std::sync::LazyLock;

use hawkari_core::commitment::CommitmentData;
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::record::Kind;
use hawkari_core::topic::Topic;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, Schema};
use utoipa::{IntoParams, OpenApi as _};

use crate::api::account::{
    AuditQuery, CommentRequest, LoginRequest, NewToken, PasswordChange, SessionView, TokenRequest,
    UserChange, UserRequest,
};
use crate::api::lists::{
    AreaQuery, CommitmentQuery, DateBound, EngagementQuery, IncidentQuery, OrganisationQuery,
    PageCursor, Paging, PersonQuery, PlaceQuery,
};
use crate::api::programmes::{OperationQuery, ProgrammeQuery, SiteReportRequest};
use crate::api::views::{
    OrganisationCommitmentsQuery, OrganisationCommitmentsView, PersonHistoryView,
    StatusChangeRequest,
};
use crate::api::{CommitmentView, collection};
use crate::error::ErrorBody;
use hawkari_core::access::{Comment, User};
use hawkari_core::gazetteer::{Location, NamedPlace, NamedPlaceKind, NearestPlace, UnitRef};
use hawkari_store::{ApiToken, AuditEntry};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Hawkari API",
        description = "Engagements, commitments and the registry of a security partnership."
    ),
    components(schemas(
        Organisation,
        OrganisationData,
        Person,
        PersonData,
        Place,
        PlaceData,
        Engagement,
        EngagementData,
        CommitmentView,
        CommitmentData,
        Topic,
        ErrorBody,
        StatusChangeRequest,
        PersonHistoryView,
        OrganisationCommitmentsView,
        LoginRequest,
        SessionView,
        TokenRequest,
        NewToken,
        ApiToken,
        crate::api::calendar::FeedRequest,
        crate::api::calendar::CalendarFeed,
        UserRequest,
        UserChange,
        PasswordChange,
        User,
        CommentRequest,
        Comment,
        AuditEntry,
        UnitRef,
        Location,
        NamedPlace,
        NearestPlace,
        NamedPlaceKind,
        DateBound,
        PageCursor,
        hawkari_core::ids::IncidentId,
        hawkari_core::ids::AreaId,
        hawkari_core::ids::ProgrammeId,
        hawkari_core::ids::OperationId,
        hawkari_core::ids::TopicCode,
        hawkari_core::incident::Incident,
        hawkari_core::incident::IncidentData,
        hawkari_core::area::Area,
        hawkari_core::area::AreaData,
        crate::api::ProgrammeView,
        hawkari_core::programme::ProgrammeData,
        crate::api::OperationView,
        hawkari_core::operation::OperationData,
        hawkari_app::programmes::SiteImportReport,
        hawkari_core::coverage::CoverageFigures,
        SiteReportRequest,
        hawkari_app::incident_import::Rejection,
        hawkari_store::Follow,
        hawkari_store::FollowTarget,
        hawkari_store::NoticeEvent,
        hawkari_store::NoticeSettings,
        crate::api::notices::FollowRequest,
        crate::api::notices::NoticeView,
        crate::api::notices::NoticeList,
        crate::api::notices::NoticeSettingsRequest,
        hawkari_app::intake::IntakeRequest,
        hawkari_app::intake::IntakeResult
    )),
    modifiers(&Security)
)]
struct Components;

/// Two ways to authenticate: an API token, or the session cookie (whose state-changing
/// requests must also send the session's CSRF token in `X-CSRF-Token`).
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "hawkari_session",
                "Set by POST /api/v1/auth/login; send X-CSRF-Token on state-changing requests",
            ))),
        );
        doc.security = Some(vec![
            SecurityRequirement::new("token", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
}

fn json(schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn reference(name: &str) -> Ref {
    Ref::from_schema_name(name)
}

fn list_of(name: &str) -> Schema {
    ObjectBuilder::new()
        .property("items", ArrayBuilder::new().items(reference(name)))
        .required("items")
        .property(
            "next_cursor",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(
                    "Pass as `cursor` for the next page; absent on the last",
                )),
        )
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ))
        .into()
}

fn error(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json(reference("ErrorBody")))
        .build()
}

fn ok(description: &str, schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json(schema))
        .build()
}

/// A response in another media type (GeoJSON, CSV).
fn ok_as(
    description: &str,
    media_type: &str,
    schema: impl Into<RefOr<Schema>>,
) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(media_type, json(schema))
        .build()
}

/// A record as returned with its version as `ETag` (and, when created, its address as
/// `Location`), as `api::respond` sends it.
fn record_response(
    description: &str,
    schema: impl Into<RefOr<Schema>>,
    created: bool,
) -> utoipa::openapi::Response {
    let mut r = ResponseBuilder::new()
        .description(description)
        .content("application/json", json(schema))
        .header(
            "ETag",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some("^\"[0-9]+\"$")),
                )
                .description(Some(
                    "The record's version, e.g. \"3\": send it as If-Match",
                ))
                .build(),
        );
    if created {
        r = r.header(
            "Location",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some("The new record's address"))
                .build(),
        );
    }
    r.build()
}

fn path_param(name: &str, schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(schema))
        .build()
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// The `{collection}` of the history and comment paths: the kinds they serve.
fn collection_param() -> utoipa::openapi::path::Parameter {
    path_param(
        "collection",
        string().enum_values(Some(crate::api::account::HISTORY_KINDS.map(|k| k.plural()))),
    )
}

fn if_match() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("If-Match")
        .parameter_in(ParameterIn::Header)
        .description(Some(
            "The version being changed: `\"3\"`, `W/\"3\"` or `3` (or send `version` in the body)",
        ))
        .schema(Some(
            string().pattern(Some("^\\s*(W/)?(\"[0-9]+\"|[0-9]+)\\s*$")),
        ))
        .build()
}

/// The body field that may carry the version instead of `If-Match`.
fn version_property() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Int64,
        )))
        .minimum(Some(0))
        .maximum(Some(i64::MAX))
        .description(Some("The version being changed, if `If-Match` is not sent"))
}

fn body(schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content("application/json", json(schema))
        .build()
}

/// A replace's body: the kind's content, and the version it changes (`flatten` merges the
/// two into one object). A create ignores a version sent, so its body does not name one.
fn versioned_body(data: &str) -> utoipa::openapi::request_body::RequestBody {
    body(
        AllOfBuilder::new()
            .item(reference(data))
            .item(ObjectBuilder::new().property("version", version_property())),
    )
}

/// The name of the schema of a kind's ids.
fn id_schema(kind: Kind) -> &'static str {
    match kind {
        Kind::Organisation => "OrganisationId",
        Kind::Person => "PersonId",
        Kind::Place => "PlaceId",
        Kind::Engagement => "EngagementId",
        Kind::Commitment => "CommitmentId",
        Kind::Incident => "IncidentId",
        Kind::Area => "AreaId",
        Kind::Programme => "ProgrammeId",
        Kind::Operation => "OperationId",
        Kind::Topic => "TopicCode",
        Kind::Group => "ReleaseGroup",
    }
}

fn id_param(kind: Kind) -> utoipa::openapi::path::Parameter {
    path_param("id", reference(id_schema(kind)))
}

/// Adds list, create, read, update and delete of one kind.
fn crud(
    doc: &mut OpenApi,
    kind: Kind,
    record: &str,
    data: &str,
    params: Vec<utoipa::openapi::path::Parameter>,
) {
    let c = collection(kind);
    let base = format!("/api/v1/{c}");
    let item = format!("{base}/{{id}}");
    let tag = c;
    let op = |id: &str, summary: String| {
        OperationBuilder::new()
            .tag(tag)
            .operation_id(Some(format!("{id}_{c}")))
            .summary(Some(summary))
    };
    let paths = &mut doc.paths;
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Get],
        op("list", format!("List {c}"))
            .parameters(Some(params))
            .response("200", ok("One page", list_of(record)))
            .response(
                "400",
                error("A query parameter is malformed (named in `fields`)"),
            ),
    );
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Post],
        op("create", format!("Create one of the {c}"))
            .request_body(Some(body(reference(data))))
            .response("201", record_response("Created", reference(record), true))
            .response("400", error("The body is not JSON"))
            .response(
                "403",
                error("Not an editor of the owner, or not allowed to choose the id"),
            )
            .response(
                "409",
                error("The chosen id is taken, or (incidents) the external_id is"),
            )
            .response(
                "422",
                error("A field is invalid or names a record that does not exist"),
            ),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Get],
        op("read", format!("Read one of the {c}"))
            .parameter(id_param(kind))
            .response(
                "200",
                record_response("The record", reference(record), false),
            )
            .response("404", error("No such record, or not released to you")),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Put],
        op("update", format!("Replace the content of one of the {c}"))
            .parameter(id_param(kind))
            .parameter(if_match())
            .request_body(Some(versioned_body(data)))
            .response(
                "200",
                record_response("The updated record", reference(record), false),
            )
            .response("404", error("No such record, or not released to you"))
            .response("409", error("The record changed since that version"))
            .response("422", error("A field is invalid"))
            .response("428", error("No version was sent")),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Delete],
        op("delete", format!("Delete one of the {c}"))
            .parameter(id_param(kind))
            .parameter(if_match())
            .parameter(
                ParameterBuilder::new()
                    .name("version")
                    .parameter_in(ParameterIn::Query)
                    .description(Some("The version being deleted, if If-Match is not sent"))
                    .schema(Some(version_property())),
            )
            .response("204", ResponseBuilder::new().description("Deleted").build())
            .response("404", error("No such record, or not released to you"))
            .response(
                "409",
                error("The record changed, or other records still refer to it"),
            )
            .response("428", error("No version was sent")),
    );
}

fn query_params<T: IntoParams>() -> Vec<utoipa::openapi::path::Parameter> {
    T::into_params(|| Some(ParameterIn::Query))
}

/// The document, built once: it depends on nothing but the code.
static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(build()).expect("the OpenAPI document serialises");
    flatten::merge_flattened_objects(&mut doc);
    responses::add_common_responses(&mut doc);
    add_rules(&mut doc);
    doc
});

/// The OpenAPI document of the whole API.
pub fn openapi_document() -> &'static serde_json::Value {
    &DOCUMENT
}

/// Rules across a schema's fields that a derive cannot write, and the GeoJSON shapes.
fn add_rules(doc: &mut serde_json::Value) {
    use serde_json::json;
    let schemas = &mut doc["components"]["schemas"];
    // `Names::check`: at least one of the three scripts, given (not null).
    let name = json!({"$ref": "#/components/schemas/Name"});
    schemas["Names"]["anyOf"] = json!(["en", "ar", "ckb"].map(|script| json!({
        "required": [script], "properties": {script: name.clone()}
    })));
    let geometry_types = [
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ];
    schemas["Geometry"] = json!({
        "type": "object",
        "description": "An RFC 7946 geometry, WGS 84 longitude before latitude",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": geometry_types},
            "coordinates": {"type": "array"},
            "geometries": {"type": "array", "items": {"$ref": "#/components/schemas/Geometry"}}
        }
    });
    schemas["Feature"] = json!({
        "type": "object",
        "description": "An RFC 7946 Feature",
        "required": ["type", "geometry"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": ["string", "number"]},
            "geometry": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Geometry"}]},
            "properties": {"type": ["object", "null"]},
            "attribution": {"type": "string", "description": "Whose boundaries these are"}
        }
    });
    schemas["FeatureCollection"] = json!({
        "type": "object",
        "description": "An RFC 7946 FeatureCollection",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "next_cursor": {
                "type": "string",
                "description": "Pass as `cursor` for the next page; absent on the last"
            },
            "attribution": {"type": "string", "description": "Whose boundaries these are"}
        }
    });
    schemas["CoverageReport"] = json!({
        "type": "object",
        "description": "The gap, overlap and unassigned_line features of an area of concern, \
                        with the figures and what they were computed from",
        "required": ["type", "features", "figures", "area", "date", "days",
                     "responsibilities", "lines", "attribution"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "figures": {"$ref": "#/components/schemas/CoverageFigures"},
            "area": {"$ref": "#/components/schemas/AreaId"},
            "date": {"type": "string", "format": "date"},
            "days": {"type": "integer", "minimum": 0},
            "responsibilities": {
                "type": "integer", "minimum": 0,
                "description": "How many areas of responsibility in force were used"
            },
            "lines": {
                "type": "integer", "minimum": 0,
                "description": "How many coordination lines in force were judged"
            },
            "attribution": {"type": "string"}
        }
    });
}

/// Builds the document from the derives and the path functions.
fn build() -> OpenApi {
    let mut doc = Components::openapi();
    crud(
        &mut doc,
        Kind::Organisation,
        "Organisation",
        "OrganisationData",
        query_params::<OrganisationQuery>(),
    );
    crud(
        &mut doc,
        Kind::Person,
        "Person",
        "PersonData",
        query_params::<PersonQuery>(),
    );
    crud(
        &mut doc,
        Kind::Place,
        "Place",
        "PlaceData",
        query_params::<PlaceQuery>(),
    );
    crud(
        &mut doc,
        Kind::Engagement,
        "Engagement",
        "EngagementData",
        query_params::<EngagementQuery>(),
    );
    crud(
        &mut doc,
        Kind::Commitment,
        "CommitmentView",
        "CommitmentData",
        query_params::<CommitmentQuery>(),
    );
    crud(
        &mut doc,
        Kind::Incident,
        "Incident",
        "IncidentData",
        query_params::<IncidentQuery>(),
    );
    crud(
        &mut doc,
        Kind::Area,
        "Area",
        "AreaData",
        query_params::<AreaQuery>(),
    );
    crud(
        &mut doc,
        Kind::Programme,
        "ProgrammeView",
        "ProgrammeData",
        query_params::<ProgrammeQuery>(),
    );
    crud(
        &mut doc,
        Kind::Operation,
        "OperationView",
        "OperationData",
        query_params::<OperationQuery>(),
    );
    let paths = &mut doc.paths;
    paths.add_path_operation(
        "/api/v1/operations/{id}/sites.csv",
        vec![HttpMethod::Post],
        simple(
            "operations",
            "import_sites",
            "Add or update an operation's sites from CSV (text/csv body); bad rows reported by line and column",
        )
        .parameter(id_param(Kind::Operation))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .description(Some(format!(
                    "A header row naming the columns ({}), then one site a line",
                    hawkari_app::programmes::SITE_COLUMNS
                )))
                .content(
                    "text/csv",
                    ContentBuilder::new().schema(Some(string())).build(),
                )
                .build(),
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description(
                    "rows read = added + updated + unchanged + rejected_rows; each rejected row's \
                     problems by line (where the row begins in the file), column and reason",
                )
                .content("application/json", json(reference("SiteImportReport")))
                .build(),
        )
        .response("403", error("Not an editor of the operation's owner"))
        .response("404", error("No such operation, or not released to you"))
        .response("415", error("The body is not sent as text/csv"))
        .response("422", error("No header row, or a required column is missing")),
    );
    paths.add_path_operation(
        "/api/v1/operations/{id}/sites/{key}/reports",
        vec![HttpMethod::Post],
        simple(
            "operations",
            "report_site",
            "Report a site's status (manned, incident, closed): the owner's editors, or a partner's as theirs",
        )
        .parameter(id_param(Kind::Operation))
        .parameter(path_param("key", reference("Name")))
        .request_body(Some(body(reference("SiteReportRequest"))))
        .response("200", ok("The operation with the report", reference("OperationView")))
        .response("403", error("Not an editor of an organisation the operation is released to"))
        .response("404", error("No such operation or site, or not released to you"))
        .response("422", error("The status or note is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/people/{id}/history",
        vec![HttpMethod::Get],
        simple(
            "people",
            "person_history",
            "A person's positions over time and the engagements they took part in",
        )
        .parameter(id_param(Kind::Person))
        .parameters(Some(query_params::<Paging>()))
        .response("200", ok("The history", reference("PersonHistoryView")))
        .response("404", error("No such person, or not released to you")),
    );
    paths.add_path_operation(
        "/api/v1/organisations/{id}/commitments",
        vec![HttpMethod::Get],
        simple(
            "organisations",
            "organisation_commitments",
            "What an organisation and those below it owe, and are owed",
        )
        .parameter(id_param(Kind::Organisation))
        .parameters(Some(query_params::<OrganisationCommitmentsQuery>()))
        .response(
            "200",
            ok("Both sides", reference("OrganisationCommitmentsView")),
        )
        .response("404", error("No such organisation, or not released to you")),
    );
    paths.add_path_operation(
        "/api/v1/commitments/{id}/status",
        vec![HttpMethod::Post],
        simple(
            "commitments",
            "change_commitment_status",
            "Record a new status of a commitment, with the reason",
        )
        .parameter(id_param(Kind::Commitment))
        .parameter(if_match())
        .request_body(Some(body(reference("StatusChangeRequest"))))
        .response(
            "200",
            ok(
                "The commitment with its new status",
                reference("CommitmentView"),
            ),
        )
        .response("404", error("No such commitment, or not released to you"))
        .response("409", error("The commitment changed since that version"))
        .response("422", error("The status or reason is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/topics",
        vec![HttpMethod::Get],
        simple("topics", "list_topics", "The topic vocabulary").response(
            "200",
            ok("Every topic", ArrayBuilder::new().items(reference("Topic"))),
        ),
    );
    paths.add_path_operation(
        "/api/v1/topics",
        vec![HttpMethod::Post],
        simple("topics", "create_topic", "Add a topic to the vocabulary")
            .request_body(Some(body(reference("Topic"))))
            .response("201", ok("Added", reference("Topic")))
            .response("403", error("Only editors change the vocabulary"))
            .response("409", error("The code exists"))
            .response("422", error("A field is invalid")),
    );
    for (method, id, summary, success) in [
        (HttpMethod::Get, "read_topic", "Read a topic", "200"),
        (HttpMethod::Put, "update_topic", "Relabel a topic", "200"),
        (
            HttpMethod::Delete,
            "delete_topic",
            "Remove a topic no engagement uses",
            "204",
        ),
    ] {
        let mut op = simple("topics", id, summary)
            .parameter(path_param("code", reference("TopicCode")))
            .response("404", error("No such topic"));
        op = match method {
            HttpMethod::Delete => op
                .response(
                    success,
                    ResponseBuilder::new().description("Removed").build(),
                )
                .response("409", error("Engagements still use it")),
            HttpMethod::Put => op
                .request_body(Some(body(reference("Topic"))))
                .response(success, ok("The topic", reference("Topic")))
                .response(
                    "422",
                    error("A field is invalid, or the code is not the path's"),
                ),
            _ => op.response(success, ok("The topic", reference("Topic"))),
        };
        paths.add_path_operation("/api/v1/topics/{code}", vec![method], op);
    }
    add_account_paths(&mut doc);
    notices::add_notice_paths(&mut doc);
    add_geography_paths(&mut doc);
    feeds::add_feed_paths(&mut doc);
    doc.paths.add_path_operation(
        "/api/v1/intake",
        vec![HttpMethod::Post],
        simple(
            "intake",
            "intake",
            "Draft records from a news report: engagements, commitments, incidents and figures, \
             each citing its sentence; matched against what the caller may read",
        )
        .request_body(Some(body(reference("IntakeRequest"))))
        .response(
            "200",
            ok(
                "The report as a source, and the drafts",
                reference("IntakeResult"),
            ),
        )
        .response(
            "413",
            error("The body, or the report's text, is over its limit (5 MB of text)"),
        )
        .response(
            "422",
            error("The text is empty, or `published` is not a date (the error's `fields` name it)"),
        ),
    );
    doc
}

/// The gazetteer and boundary layers.
fn add_geography_paths(doc: &mut OpenApi) {
    use crate::api::geography::{CoverageQuery, LayerQuery, LocateQuery, LookupQuery};
    let paths = &mut doc.paths;
    for (path, id, summary, description) in [
        (
            "/api/v1/incidents.geojson",
            "incidents_geojson",
            "One page of incidents as a GeoJSON FeatureCollection (RFC 7946)",
            "Each incident a Feature with a Point; `next_cursor` when more follow",
        ),
        (
            "/api/v1/incident-points",
            "incident_points",
            "One page of incidents as points (id, type, start) for maps, read from the indexes",
            "Each incident a Point Feature with `type` and `start`; `next_cursor` when more follow",
        ),
    ] {
        paths.add_path_operation(
            path,
            vec![HttpMethod::Get],
            simple("incidents", id, summary)
                .parameters(Some(query_params::<IncidentQuery>()))
                .response(
                    "200",
                    ok_as(
                        description,
                        "application/geo+json",
                        reference("FeatureCollection"),
                    ),
                )
                .response("400", error("A filter is malformed (named in the error)")),
        );
    }
    {
        use crate::api::lists::ZoomQuery;
        let params: Vec<_> = query_params::<IncidentQuery>()
            .into_iter()
            .filter(|p| p.name != "limit" && p.name != "cursor")
            .chain(query_params::<ZoomQuery>())
            .collect();
        paths.add_path_operation(
            "/api/v1/incident-clusters",
            vec![HttpMethod::Get],
            simple(
                "incidents",
                "incident_clusters",
                "Every matching incident counted per 64-pixel grid cell at a zoom level, for maps",
            )
            .parameters(Some(params))
            .response(
                "200",
                ok_as(
                    "A Point Feature per cell with `count` (and `id` when it holds one incident); \
                     `total` is the sum of the counts, what the incident list finds in the box",
                    "application/geo+json",
                    reference("FeatureCollection"),
                ),
            )
            .response(
                "400",
                error("A filter or the zoom is malformed (named in the error)"),
            ),
        );
    }
    // Every matching incident: the export takes the filters, not a page.
    let filters: Vec<_> = query_params::<IncidentQuery>()
        .into_iter()
        .filter(|p| p.name != "limit" && p.name != "cursor")
        .collect();
    paths.add_path_operation(
        "/api/v1/incidents.csv",
        vec![HttpMethod::Get],
        simple(
            "incidents",
            "incidents_csv",
            "Every matching incident as CSV with an HXL hashtag row (audited as an export)",
        )
        .parameters(Some(filters))
        .response(
            "200",
            ok_as(
                "A header row, the HXL hashtag row, then one incident a line",
                "text/csv",
                string(),
            ),
        )
        .response("400", error("A filter is malformed (named in the error)")),
    );
    paths.add_path_operation(
        "/api/v1/coverage",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "coverage",
            "Gaps, overlaps and unassigned coordination line of an area of concern on a day",
        )
        .parameters(Some(query_params::<CoverageQuery>()))
        .response(
            "200",
            ok_as(
                "The gap, overlap and unassigned_line features with a `figures` member",
                "application/geo+json",
                reference("CoverageReport"),
            ),
        )
        .response("404", error("No such area, or not released to you"))
        .response("422", error("The area has no polygon to analyse")),
    );
    paths.add_path_operation(
        "/api/v1/gazetteer",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "gazetteer_lookup",
            "Administrative units by name or alias, in English, Arabic or Sorani",
        )
        .parameters(Some(query_params::<LookupQuery>()))
        .response(
            "200",
            ok(
                "Matching units, governorates first",
                ArrayBuilder::new().items(reference("UnitRef")),
            ),
        ),
    );
    paths.add_path_operation(
        "/api/v1/gazetteer/places",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "gazetteer_places",
            "Named places (towns, airports, air bases) by name or alias, in any script",
        )
        .parameters(Some(query_params::<LookupQuery>()))
        .response(
            "200",
            ok(
                "Matching places, largest first (at most 20)",
                ArrayBuilder::new().items(reference("NamedPlace")),
            ),
        ),
    );
    paths.add_path_operation(
        "/api/v1/gazetteer/locate",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "gazetteer_locate",
            "The governorate, district and sub-district a point lies in, and the nearest named place",
        )
        .parameters(Some(query_params::<LocateQuery>()))
        .response("200", ok("The units", reference("Location")))
        .response("400", error("lat or lon out of range"))
        .response("404", error("The point is outside Iraq")),
    );
    paths.add_path_operation(
        "/api/v1/gazetteer/{pcode}",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "gazetteer_unit",
            "One unit as a GeoJSON Feature (RFC 7946)",
        )
        .parameter(path_param("pcode", string()))
        .response(
            "200",
            ok_as(
                "The unit with its boundary and the attribution",
                "application/geo+json",
                reference("Feature"),
            ),
        )
        .response("404", error("No such P-code")),
    );
    paths.add_path_operation(
        "/api/v1/boundaries/{level}",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "boundaries",
            "Governorates (1), districts (2) or sub-districts (3) as a GeoJSON FeatureCollection",
        )
        .parameter(path_param(
            "level",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(3)),
        ))
        .parameters(Some(query_params::<LayerQuery>()))
        .response(
            "200",
            ok_as(
                "Every unit of the level with the attribution",
                "application/geo+json",
                reference("FeatureCollection"),
            ),
        )
        .response(
            "304",
            ResponseBuilder::new()
                .description("The layer the client holds (If-None-Match) is current")
                .build(),
        )
        .response("400", error("Level is not 1, 2 or 3")),
    );
}

fn simple(tag: &str, id: &str, summary: &str) -> OperationBuilder {
    OperationBuilder::new()
        .tag(tag)
        .operation_id(Some(id))
        .summary(Some(summary))
}

/// Signing in, tokens, accounts, history and comments.
fn add_account_paths(doc: &mut OpenApi) {
    let paths = &mut doc.paths;
    paths.add_path_operation(
        "/api/v1/auth/login",
        vec![HttpMethod::Post],
        simple(
            "auth",
            "login",
            "Sign in: sets the session cookie and returns the CSRF token",
        )
        .security(utoipa::openapi::security::SecurityRequirement::default())
        .request_body(Some(body(reference("LoginRequest"))))
        .response("200", ok("Signed in", reference("SessionView")))
        .response("401", error("Wrong username or password, or locked")),
    );
    paths.add_path_operation(
        "/api/v1/auth/logout",
        vec![HttpMethod::Post],
        simple("auth", "logout", "End the session").response(
            "204",
            ResponseBuilder::new().description("Signed out").build(),
        ),
    );
    paths.add_path_operation(
        "/api/v1/auth/me",
        vec![HttpMethod::Get],
        simple("auth", "me", "Who is signed in").response("200", ok("The user", reference("User"))),
    );
    paths.add_path_operation(
        "/api/v1/tokens",
        vec![HttpMethod::Get],
        simple(
            "auth",
            "list_tokens",
            "The caller's API tokens (never their secrets)",
        )
        .response(
            "200",
            ok("Tokens", ArrayBuilder::new().items(reference("ApiToken"))),
        ),
    );
    paths.add_path_operation(
        "/api/v1/tokens",
        vec![HttpMethod::Post],
        simple(
            "auth",
            "create_token",
            "Create an API token; its secret is shown once",
        )
        .request_body(Some(body(reference("TokenRequest"))))
        .response("201", ok("The token and its secret", reference("NewToken")))
        .response(
            "403",
            error("Tokens cannot create tokens: sign in with a session"),
        ),
    );
    paths.add_path_operation(
        "/api/v1/tokens/{id}",
        vec![HttpMethod::Delete],
        simple("auth", "revoke_token", "Revoke one of the caller's tokens")
            .parameter(path_param("id", string()))
            .response("204", ResponseBuilder::new().description("Revoked").build())
            .response("404", error("No such token of the caller's")),
    );
    paths.add_path_operation(
        "/api/v1/users",
        vec![HttpMethod::Post],
        simple(
            "auth",
            "create_user",
            "Create an account (system admins; organisation admins for their own organisation)",
        )
        .request_body(Some(body(reference("UserRequest"))))
        .response("201", ok("The account", reference("User")))
        .response("403", error("Not an administrator of that organisation"))
        .response("409", error("The username is taken"))
        .response("422", error("A field is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/users",
        vec![HttpMethod::Get],
        simple(
            "auth",
            "list_users",
            "The accounts the caller administers: their organisation's (organisation administrators) or all (system administrators)",
        )
        .response(
            "200",
            ok("Accounts", ArrayBuilder::new().items(reference("User"))),
        )
        .response("403", error("Not an administrator")),
    );
    paths.add_path_operation(
        "/api/v1/users/{id}",
        vec![HttpMethod::Patch],
        simple(
            "auth",
            "update_user",
            "Change an account's role or disable it (never one's own; organisation administrators give roles up to org_admin)",
        )
        .parameter(path_param("id", string()))
        .request_body(Some(body(reference("UserChange"))))
        .response("200", ok("The account", reference("User")))
        .response("403", error("Not an administrator, or one's own account"))
        .response("404", error("No such account among those the caller administers"))
        .response("422", error("A role beyond the caller's")),
    );
    paths.add_path_operation(
        "/api/v1/users/{id}/password",
        vec![HttpMethod::Put],
        simple(
            "auth",
            "set_user_password",
            "Set a new password for an account the caller administers: it is unlocked and its sessions end",
        )
        .parameter(path_param("id", string()))
        .request_body(Some(body(reference("PasswordChange"))))
        .response("204", ResponseBuilder::new().description("Set").build())
        .response("403", error("Not an administrator"))
        .response("404", error("No such account among those the caller administers"))
        .response("422", error("Too short")),
    );
    paths.add_path_operation(
        "/api/v1/audit",
        vec![HttpMethod::Get],
        simple(
            "history",
            "organisation_audit",
            "The audit trail of the caller's organisation, newest first: what its users did, and what others did that concerns it (accounts made in it or below it, changes to the tree around it, partners' follow-ups on its records). Organisation and system administrators.",
        )
        .parameters(Some(query_params::<AuditQuery>()))
        .response(
            "200",
            ok(
                "Audit entries, newest first",
                ArrayBuilder::new().items(reference("AuditEntry")),
            ),
        )
        .response("400", error("A malformed parameter"))
        .response("403", error("Not an administrator")),
    );
    paths.add_path_operation(
        "/api/v1/{collection}/{id}/changes",
        vec![HttpMethod::Get],
        simple(
            "history",
            "record_changes",
            "Who changed a record, what and when (from the audit log)",
        )
        .parameter(collection_param())
        .parameter(path_param("id", string()))
        .response(
            "200",
            ok(
                "Audit entries, oldest first",
                ArrayBuilder::new().items(reference("AuditEntry")),
            ),
        )
        .response(
            "404",
            error("No such record, or not released to the caller"),
        ),
    );
    paths.add_path_operation(
        "/api/v1/{collection}/{id}/comments",
        vec![HttpMethod::Get],
        simple("history", "comments", "Comments on a record")
            .parameter(collection_param())
            .parameter(path_param("id", string()))
            .response(
                "200",
                ok(
                    "Comments, oldest first",
                    ArrayBuilder::new().items(reference("Comment")),
                ),
            )
            .response(
                "404",
                error("No such record, or not released to the caller"),
            ),
    );
    paths.add_path_operation(
        "/api/v1/{collection}/{id}/comments",
        vec![HttpMethod::Post],
        simple(
            "history",
            "add_comment",
            "Add a comment or follow-up note, recorded as the caller's",
        )
        .parameter(collection_param())
        .parameter(path_param("id", string()))
        .request_body(Some(body(reference("CommentRequest"))))
        .response("201", ok("The comment", reference("Comment")))
        .response(
            "403",
            error("Only editors of an organisation the record is released to"),
        )
        .response(
            "404",
            error("No such record, or not released to the caller"),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flattened_record_is_one_object_in_the_document() {
        let doc = openapi_document().to_string();
        assert!(!doc.contains("\"allOf\""), "an allOf is left to merge");
        let engagement = &openapi_document()["components"]["schemas"]["Engagement"];
        for field in ["id", "title", "version", "owner_org_id"] {
            assert!(engagement["properties"][field].is_object(), "{field}");
        }
    }

    #[test]
    fn the_documented_password_length_is_the_one_enforced() {
        let password =
            &openapi_document()["components"]["schemas"]["UserRequest"]["properties"]["password"];
        assert_eq!(password["minLength"], hawkari_app::auth::MIN_PASSWORD_CHARS);
    }

    /// The OpenAPI document names each schema by its type's name alone, so two types of
    /// one name (a gazetteer `PlaceKind` beside the registry's) would make one silently
    /// describe the other's values. Every type that derives `ToSchema` in the workspace
    /// has a name of its own (derives on one line or several).
    #[test]
    fn every_schema_type_has_a_name_of_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![root];
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        let mut clashes = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    if name != "tests" && name != "target" {
                        dirs.push(path);
                    }
                    continue;
                }
                if !name.ends_with(".rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                let mut derives_schema = false;
                // A derive written over several lines, until its `)]`.
                let mut open_derive: Option<String> = None;
                for line in src.lines().map(str::trim) {
                    if let Some(d) = open_derive.as_mut() {
                        d.push_str(line);
                        if line.contains(")]") {
                            derives_schema = d.contains("ToSchema");
                            open_derive = None;
                        }
                        continue;
                    }
                    if line.starts_with("#[derive(") {
                        if line.contains(")]") {
                            derives_schema = line.contains("ToSchema");
                        } else {
                            open_derive = Some(line.to_owned());
                        }
                        continue;
                    }
                    if !derives_schema || line.starts_with('#') || line.starts_with("///") {
                        continue;
                    }
                    derives_schema = false;
                    let Some(rest) = ["pub struct ", "pub enum "]
                        .iter()
                        .find_map(|k| line.split_once(k).map(|(_, r)| r))
                    else {
                        continue;
                    };
                    let ty: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let at = path.display().to_string();
                    if let Some(first) = seen.insert(ty.clone(), at.clone()) {
                        clashes.push(format!("{ty}: {first} and {at}"));
                    }
                }
            }
        }
        assert!(seen.len() > 50, "found {} schema types", seen.len());
        // Two of them derive over several lines.
        for multi_line in ["Kind", "ReleaseGroup"] {
            assert!(seen.contains_key(multi_line), "{multi_line} not read");
        }
        assert!(clashes.is_empty(), "{}", clashes.join("\n"));
    }
}
