//! The answers any operation can give, added to each by its shape, not written at each:
//! every one of them is the API's JSON error body (`ErrorBody`), which the extractors and
//! `error::error_bodies` give every refusal, whoever made it.
//!
//! | status | when | operations |
//! |---|---|---|
//! | 400 | a malformed parameter, header or body (named in `fields`) | with parameters or a body |
//! | 401 | no, or an unknown, expired or revoked, API token or session | all but signing in |
//! | 403 | a read-only token, a session without its CSRF token, or a role or organisation that may not | all that may change something |
//! | 404 | no such record, or not released to the caller (one answer for both) | with path parameters |
//! | 413 | a body over the configured limit | with a body |
//! | 415 | a body not in the media type documented | with a body |
//! | 422 | a JSON body whose content is invalid (named in `fields`) | with a JSON body |
//! | 503 | the database busy or unreachable, or the request timed out | all |
//!
//! An operation's own description of a status (written where it is built) is kept.

use serde_json::{Value, json};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Adds the common answers to every operation of `doc` that can give them.
pub fn add_common_responses(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            if let Some(op) = item.get_mut(method) {
                complete(method, op);
            }
        }
    }
}

fn complete(method: &str, op: &mut Value) {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let has_params = !params.is_empty();
    let has_path_params = params.iter().any(|p| p["in"] == "path");
    let body = op.get("requestBody").cloned();
    let json_body = body
        .as_ref()
        .is_some_and(|b| b["content"].get("application/json").is_some());
    let signs_in = op["operationId"] == "login";
    let reads_only = method == "get";
    let responses = op["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    let mut add = |status: &str, description: &str| {
        responses.entry(status).or_insert_with(|| {
            json!({
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
            })
        });
    };
    if has_params || body.is_some() {
        add(
            "400",
            "A parameter, header or the body is malformed (the error's `fields` name it)",
        );
    }
    if !signs_in {
        add(
            "401",
            "Not signed in: no API token or session, or one that is unknown, expired or revoked",
        );
    }
    if !reads_only && !signs_in {
        add(
            "403",
            "Not allowed: a read-only API token, a session request without its CSRF token, \
             or a change the caller's role or organisation may not make",
        );
    }
    if has_path_params {
        add(
            "404",
            "No such record, or one not released to the caller (the same answer)",
        );
    }
    if body.is_some() {
        add("413", "The body is larger than the server accepts");
        add("415", "The body is not sent in the media type documented");
    }
    if json_body {
        add(
            "422",
            "A field of the body is invalid, or names a record that does not exist \
             (the error's `fields` name each)",
        );
    }
    add(
        "503",
        "The database is busy or unreachable, or the request took too long: try again",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_with_a_path_and_a_json_body_gets_every_answer_and_keeps_its_own() {
        let mut doc = json!({"paths": {"/x/{id}": {"put": {
            "operationId": "update_x",
            "parameters": [{"name": "id", "in": "path"}],
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"200": {"description": "ok"}, "404": {"description": "No such x"}}
        }}}});
        add_common_responses(&mut doc);
        let responses = &doc["paths"]["/x/{id}"]["put"]["responses"];
        for status in ["400", "401", "403", "404", "413", "415", "422", "503"] {
            assert!(responses[status].is_object(), "{status} missing");
        }
        assert_eq!(responses["404"]["description"], "No such x");
    }

    #[test]
    fn a_read_without_parameters_can_only_fail_to_sign_in_or_find_the_database() {
        let mut doc = json!({"paths": {"/me": {"get": {
            "operationId": "me", "responses": {"200": {"description": "ok"}}
        }}}});
        add_common_responses(&mut doc);
        let statuses: Vec<&String> = doc["paths"]["/me"]["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(statuses, ["200", "401", "503"]);
    }
}
