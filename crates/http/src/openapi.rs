//! The OpenAPI document at `/api/v1/openapi.json`, generated from the code: schemas come
//! from the types' `ToSchema` derives, list parameters from the query structs'
//! `IntoParams` derives, and the paths of each kind from one function, as the router
//! builds them from one function (`api::kind_routes`).

use hawkari_core::commitment::CommitmentData;
use hawkari_core::engagement::{Engagement, EngagementData};
use hawkari_core::organisation::{Organisation, OrganisationData};
use hawkari_core::person::{Person, PersonData};
use hawkari_core::place::{Place, PlaceData};
use hawkari_core::record::Kind;
use hawkari_core::topic::Topic;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, Schema};
use utoipa::{IntoParams, OpenApi as _};

use crate::api::account::{
    CommentRequest, LoginRequest, NewToken, SessionView, TokenRequest, UserRequest,
};
use crate::api::lists::{
    CommitmentQuery, EngagementQuery, OrganisationQuery, Paging, PersonQuery, PlaceQuery,
};
use crate::api::views::{
    OrganisationCommitmentsQuery, OrganisationCommitmentsView, PersonHistoryView,
    StatusChangeRequest,
};
use crate::api::{CommitmentView, collection};
use crate::error::ErrorBody;
use hawkari_core::access::{Comment, User};
use hawkari_core::gazetteer::{Location, UnitRef};
use hawkari_store::ApiToken;

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
        UserRequest,
        User,
        CommentRequest,
        Comment,
        UnitRef,
        Location,
        hawkari_core::incident::Incident,
        hawkari_core::incident::IncidentData,
        hawkari_core::area::Area,
        hawkari_core::area::AreaData,
        crate::api::ProgrammeView,
        hawkari_core::programme::ProgrammeData,
        crate::api::OperationView,
        hawkari_core::operation::OperationData,
        crate::api::programmes::SiteReportRequest,
        hawkari_app::programmes::SiteImportReport,
        hawkari_app::incident_import::Rejection
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
            ObjectBuilder::new().schema_type(Type::String),
        )
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

fn path_param(name: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn if_match() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("If-Match")
        .parameter_in(ParameterIn::Header)
        .description(Some(
            "The version being changed, e.g. \"3\" (or send `version` in the body)",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn body(name: &str) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content("application/json", json(reference(name)))
        .build()
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
            .request_body(Some(body(data)))
            .response(
                "201",
                ok(
                    "Created; `Location` names it and `ETag` gives its version",
                    reference(record),
                ),
            )
            .response("400", error("The body is not JSON"))
            .response("413", error("The body is too large"))
            .response("415", error("The body is not application/json"))
            .response(
                "422",
                error("A field is invalid or names a record that does not exist"),
            ),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Get],
        op("read", format!("Read one of the {c}"))
            .parameter(path_param("id"))
            .response(
                "200",
                ok("The record; `ETag` gives its version", reference(record)),
            )
            .response("404", error("No such record")),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Put],
        op("update", format!("Replace the content of one of the {c}"))
            .parameter(path_param("id"))
            .parameter(if_match())
            .request_body(Some(body(data)))
            .response("200", ok("The updated record", reference(record)))
            .response("404", error("No such record"))
            .response("409", error("The record changed since that version"))
            .response("422", error("A field is invalid"))
            .response("428", error("No version was sent")),
    );
    paths.add_path_operation(
        &item,
        vec![HttpMethod::Delete],
        op("delete", format!("Delete one of the {c}"))
            .parameter(path_param("id"))
            .parameter(if_match())
            .parameter(
                ParameterBuilder::new()
                    .name("version")
                    .parameter_in(ParameterIn::Query)
                    .description(Some("The version being deleted, if If-Match is not sent"))
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Integer))),
            )
            .response("204", ResponseBuilder::new().description("Deleted").build())
            .response("404", error("No such record"))
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

/// Builds the OpenAPI document of the whole API.
pub fn openapi_document() -> OpenApi {
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
        query_params::<crate::api::lists::IncidentQuery>(),
    );
    crud(
        &mut doc,
        Kind::Area,
        "Area",
        "AreaData",
        query_params::<crate::api::lists::AreaQuery>(),
    );
    crud(
        &mut doc,
        Kind::Programme,
        "ProgrammeView",
        "ProgrammeData",
        query_params::<crate::api::programmes::ProgrammeQuery>(),
    );
    crud(
        &mut doc,
        Kind::Operation,
        "OperationView",
        "OperationData",
        query_params::<crate::api::programmes::OperationQuery>(),
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
        .parameter(path_param("id"))
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
        .response("404", error("No such operation, or not released to you"))
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
        .parameter(path_param("id"))
        .parameter(path_param("key"))
        .request_body(Some(body("SiteReportRequest")))
        .response("200", ok("The operation with the report", reference("OperationView")))
        .response("403", error("Not an editor of an organisation the operation is released to"))
        .response("404", error("No such operation or site, or not released to you"))
        .response("422", error("The status or note is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/people/{id}/history",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("people")
            .operation_id(Some("person_history"))
            .summary(Some(
                "A person's positions over time and the engagements they took part in",
            ))
            .parameter(path_param("id"))
            .parameters(Some(query_params::<Paging>()))
            .response("200", ok("The history", reference("PersonHistoryView")))
            .response("404", error("No such person")),
    );
    paths.add_path_operation(
        "/api/v1/organisations/{id}/commitments",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("organisations")
            .operation_id(Some("organisation_commitments"))
            .summary(Some(
                "What an organisation and those below it owe, and are owed",
            ))
            .parameter(path_param("id"))
            .parameters(Some(query_params::<OrganisationCommitmentsQuery>()))
            .response(
                "200",
                ok("Both sides", reference("OrganisationCommitmentsView")),
            )
            .response("404", error("No such organisation")),
    );
    paths.add_path_operation(
        "/api/v1/commitments/{id}/status",
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag("commitments")
            .operation_id(Some("change_commitment_status"))
            .summary(Some("Record a new status of a commitment, with the reason"))
            .parameter(path_param("id"))
            .parameter(if_match())
            .request_body(Some(body("StatusChangeRequest")))
            .response(
                "200",
                ok(
                    "The commitment with its new status",
                    reference("CommitmentView"),
                ),
            )
            .response("404", error("No such commitment"))
            .response("409", error("The commitment changed since that version"))
            .response("422", error("The status or reason is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/topics",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("topics")
            .operation_id(Some("list_topics"))
            .summary(Some("The topic vocabulary"))
            .response(
                "200",
                ok("Every topic", ArrayBuilder::new().items(reference("Topic"))),
            ),
    );
    paths.add_path_operation(
        "/api/v1/topics",
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag("topics")
            .operation_id(Some("create_topic"))
            .summary(Some("Add a topic to the vocabulary"))
            .request_body(Some(body("Topic")))
            .response("201", ok("Added", reference("Topic")))
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
        let mut op = OperationBuilder::new()
            .tag("topics")
            .operation_id(Some(id))
            .summary(Some(summary))
            .parameter(path_param("code"))
            .response("404", error("No such topic"));
        op = match method {
            HttpMethod::Delete => op
                .response(
                    success,
                    ResponseBuilder::new().description("Removed").build(),
                )
                .response("409", error("Engagements still use it")),
            HttpMethod::Put => op
                .request_body(Some(body("Topic")))
                .response(success, ok("The topic", reference("Topic"))),
            _ => op.response(success, ok("The topic", reference("Topic"))),
        };
        paths.add_path_operation("/api/v1/topics/{code}", vec![method], op);
    }
    add_account_paths(&mut doc);
    add_geography_paths(&mut doc);
    doc
}

/// The gazetteer and boundary layers.
fn add_geography_paths(doc: &mut OpenApi) {
    use crate::api::geography::{CoverageQuery, LocateQuery, LookupQuery};
    use crate::api::lists::IncidentQuery;
    let paths = &mut doc.paths;
    for (path, id, summary, body) in [
        (
            "/api/v1/incidents.geojson",
            "incidents_geojson",
            "One page of incidents as a GeoJSON FeatureCollection (RFC 7946)",
            "application/geo+json FeatureCollection; `next_cursor` member when more follow",
        ),
        (
            "/api/v1/incident-points",
            "incident_points",
            "One page of incidents as points (id, type, start) for maps, read from the indexes",
            "application/geo+json FeatureCollection; `next_cursor` member when more follow",
        ),
        (
            "/api/v1/incidents.csv",
            "incidents_csv",
            "Every matching incident as CSV with an HXL hashtag row (audited as an export)",
            "text/csv",
        ),
    ] {
        paths.add_path_operation(
            path,
            vec![HttpMethod::Get],
            simple("incidents", id, summary)
                .parameters(Some(query_params::<IncidentQuery>()))
                .response("200", ResponseBuilder::new().description(body).build())
                .response("400", error("A filter is malformed (named in the error)")),
        );
    }
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
            ResponseBuilder::new()
                .description("application/geo+json FeatureCollection (gap, overlap, unassigned_line) with a `figures` member")
                .build(),
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
        "/api/v1/gazetteer/locate",
        vec![HttpMethod::Get],
        simple(
            "geography",
            "gazetteer_locate",
            "The governorate, district and sub-district a point lies in",
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
        .parameter(path_param("pcode"))
        .response(
            "200",
            ResponseBuilder::new()
                .description("application/geo+json Feature with the attribution")
                .build(),
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
        .parameter(path_param("level"))
        .response(
            "200",
            ResponseBuilder::new()
                .description("application/geo+json FeatureCollection with the attribution")
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
        .response("401", error("Not signed in"))
}

/// Signing in, tokens, accounts, history and comments.
fn add_account_paths(doc: &mut OpenApi) {
    let paths = &mut doc.paths;
    paths.add_path_operation(
        "/api/v1/auth/login",
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag("auth")
            .operation_id(Some("login"))
            .summary(Some(
                "Sign in: sets the session cookie and returns the CSRF token",
            ))
            .request_body(Some(body("LoginRequest")))
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
        .request_body(Some(body("TokenRequest")))
        .response("201", ok("The token and its secret", reference("NewToken")))
        .response("403", error("Tokens cannot create tokens")),
    );
    paths.add_path_operation(
        "/api/v1/tokens/{id}",
        vec![HttpMethod::Delete],
        simple("auth", "revoke_token", "Revoke one of the caller's tokens")
            .parameter(path_param("id"))
            .response("204", ResponseBuilder::new().description("Revoked").build())
            .response("404", error("No such token")),
    );
    paths.add_path_operation(
        "/api/v1/users",
        vec![HttpMethod::Post],
        simple(
            "auth",
            "create_user",
            "Create an account (system admins; organisation admins for their own organisation)",
        )
        .request_body(Some(body("UserRequest")))
        .response("201", ok("The account", reference("User")))
        .response("403", error("Not an administrator of that organisation"))
        .response("409", error("The username is taken"))
        .response("422", error("A field is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/{collection}/{id}/changes",
        vec![HttpMethod::Get],
        simple(
            "history",
            "record_changes",
            "Who changed a record, what and when (from the audit log)",
        )
        .parameter(path_param("collection"))
        .parameter(path_param("id"))
        .response(
            "200",
            ResponseBuilder::new()
                .description("Audit entries, oldest first")
                .build(),
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
            .parameter(path_param("collection"))
            .parameter(path_param("id"))
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
        .parameter(path_param("collection"))
        .parameter(path_param("id"))
        .request_body(Some(body("CommentRequest")))
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
