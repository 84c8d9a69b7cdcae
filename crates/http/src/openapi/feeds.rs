//! The calendar and TAK paths of the OpenAPI document (`api::calendar`, `api::tak`).

use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::{OpenApi, ResponseBuilder};

use super::{body, error, ok, ok_as, path_param, query_params, reference, simple, string};
use crate::api::lists::IncidentQuery;

pub(super) fn add_feed_paths(doc: &mut OpenApi) {
    let paths = &mut doc.paths;
    let ics = |what: &str| ok_as(what, "text/calendar", string());
    paths.add_path_operation(
        "/api/v1/calendar.ics",
        vec![HttpMethod::Get],
        simple(
            "calendar",
            "my_calendar",
            "The caller's calendar (RFC 5545): engagements, commitments' due dates and milestones released to them",
        )
        .response("200", ics("An iCalendar text")),
    );
    paths.add_path_operation(
        "/api/v1/engagements/{id}/calendar.ics",
        vec![HttpMethod::Get],
        simple(
            "calendar",
            "engagement_ics",
            "One engagement as an iCalendar text",
        )
        .parameter(path_param("id", string()))
        .response("200", ics("An iCalendar text of one event"))
        .response("404", error("No such engagement, or not released to you")),
    );
    paths.add_path_operation(
        "/api/v1/calendar/feeds",
        vec![HttpMethod::Get],
        simple(
            "calendar",
            "list_calendar_feeds",
            "The caller's calendar feed addresses (never their secrets)",
        )
        .response(
            "200",
            ok(
                "Feeds",
                ArrayBuilder::new().items(reference("CalendarFeed")),
            ),
        ),
    );
    paths.add_path_operation(
        "/api/v1/calendar/feeds",
        vec![HttpMethod::Post],
        simple(
            "calendar",
            "create_calendar_feed",
            "Make a secret calendar feed address; it is shown once",
        )
        .request_body(Some(body(reference("FeedRequest"))))
        .response(
            "201",
            ok("The feed and its address", reference("CalendarFeed")),
        )
        .response(
            "403",
            error("Tokens cannot create feed addresses: sign in with a session"),
        )
        .response("422", error("The name is invalid")),
    );
    paths.add_path_operation(
        "/api/v1/calendar/feeds/{id}",
        vec![HttpMethod::Delete],
        simple(
            "calendar",
            "revoke_calendar_feed",
            "Revoke one of the caller's feed addresses",
        )
        .parameter(path_param("id", string()))
        .response("204", ResponseBuilder::new().description("Revoked").build())
        .response("404", error("No such feed of the caller's")),
    );
    paths.add_path_operation(
        "/api/v1/calendar/secret/{file}",
        vec![HttpMethod::Get],
        simple(
            "calendar",
            "calendar_feed",
            "A calendar by its secret address (`<secret>.ics`), for clients that cannot sign in",
        )
        .security(utoipa::openapi::security::SecurityRequirement::default())
        .parameter(path_param("file", string()))
        .response("200", ics("The feed's user's calendar"))
        .response("404", error("No such feed, or revoked")),
    );
    let filters: Vec<_> = query_params::<IncidentQuery>()
        .into_iter()
        .filter(|p| p.name != "limit" && p.name != "cursor")
        .collect();
    paths.add_path_operation(
        "/api/v1/incidents.cot",
        vec![HttpMethod::Get],
        simple(
            "tak",
            "incidents_cot",
            "Every matching incident as Cursor-on-Target XML (`<events>` of CoT 2.0 events; audited as an export)",
        )
        .parameters(Some(filters.clone()))
        .response("200", ok_as("CoT events", "application/xml", string()))
        .response("400", error("A filter is malformed (named in the error)")),
    );
    paths.add_path_operation(
        "/api/v1/tak/package.zip",
        vec![HttpMethod::Get],
        simple(
            "tak",
            "tak_package",
            "A TAK data package: the matching incidents, and the areas and operation sites released to the caller, as CoT files (audited as an export)",
        )
        .parameters(Some(filters))
        .response("200", ok_as("A zip with MANIFEST/manifest.xml", "application/zip", string()))
        .response("400", error("A filter is malformed (named in the error)"))
        .response("422", error("The package would hold too many events")),
    );
}
