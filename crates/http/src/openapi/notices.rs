//! The paths of following, notices and notice settings (`api::notices`).

use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::{OpenApi, ResponseBuilder};

use super::{body, error, ok, path_param, query_params, reference, simple, string};
use crate::api::notices::NoticeQuery;

pub(super) fn add_notice_paths(doc: &mut OpenApi) {
    let paths = &mut doc.paths;
    paths.add_path_operation(
        "/api/v1/follows",
        vec![HttpMethod::Get],
        simple(
            "notices",
            "list_follows",
            "What the caller follows (records no longer released to them left out)",
        )
        .response(
            "200",
            ok("Follows", ArrayBuilder::new().items(reference("Follow"))),
        ),
    );
    paths.add_path_operation(
        "/api/v1/follows",
        vec![HttpMethod::Post],
        simple(
            "notices",
            "create_follow",
            "Follow a record released to the caller, or their organisation's commitments (owed_by, owed_to); following twice keeps one follow",
        )
        .request_body(Some(body(reference("FollowRequest"))))
        .response("201", ok("The follow", reference("Follow")))
        .response(
            "404",
            error("No such record, or not released to the caller"),
        )
        .response(
            "422",
            error("record_id missing for a record, or given with owed_by/owed_to"),
        ),
    );
    paths.add_path_operation(
        "/api/v1/follows/{id}",
        vec![HttpMethod::Delete],
        simple("notices", "delete_follow", "Stop following")
            .parameter(path_param("id", string()))
            .response(
                "204",
                ResponseBuilder::new()
                    .description("No longer followed")
                    .build(),
            )
            .response("404", error("No such follow of the caller's")),
    );
    paths.add_path_operation(
        "/api/v1/notices",
        vec![HttpMethod::Get],
        simple(
            "notices",
            "list_notices",
            "The caller's notices, newest first, in their notice language: only those whose records are released to them now",
        )
        .parameters(Some(query_params::<NoticeQuery>()))
        .response("200", ok("Notices", reference("NoticeList")))
        .response("400", error("A malformed parameter")),
    );
    paths.add_path_operation(
        "/api/v1/notices/read",
        vec![HttpMethod::Post],
        simple(
            "notices",
            "mark_all_notices_read",
            "Mark every notice the caller may see read",
        )
        .response("204", ResponseBuilder::new().description("Read").build()),
    );
    paths.add_path_operation(
        "/api/v1/notices/{id}/read",
        vec![HttpMethod::Post],
        simple("notices", "mark_notice_read", "Mark one notice read")
            .parameter(path_param("id", string()))
            .response("204", ResponseBuilder::new().description("Read").build())
            .response(
                "404",
                error("No such notice of the caller's, or its record is not released to them"),
            ),
    );
    paths.add_path_operation(
        "/api/v1/account/notifications",
        vec![HttpMethod::Get],
        simple(
            "notices",
            "notice_settings",
            "How the caller's notices are mailed, and in which language",
        )
        .response("200", ok("The settings", reference("NoticeSettings"))),
    );
    paths.add_path_operation(
        "/api/v1/account/notifications",
        vec![HttpMethod::Put],
        simple(
            "notices",
            "set_notice_settings",
            "Set the caller's e-mail address, notice language, immediate mail and daily digest",
        )
        .request_body(Some(body(reference("NoticeSettingsRequest"))))
        .response("200", ok("The settings", reference("NoticeSettings")))
        .response(
            "422",
            error("A malformed address, an unknown language, or mail without an address"),
        ),
    );
}
