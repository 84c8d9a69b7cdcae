//! schemathesis, the property-based OpenAPI tester, against the API as it runs: the
//! requests it derives from `/api/v1/openapi.json` (valid ones, and ones the document
//! says are invalid) must get answers the document describes.
//!
//! The executable comes from `HAWKARI_SCHEMATHESIS` (`scripts/schemathesis-setup` installs
//! the pinned version into a venv under `target/` and prints its path; `scripts/test` sets
//! the variable for the SQLite and the PostgreSQL pass). Without it the test says SKIPPED
//! and passes, so a developer without Python still runs the rest of the suite.
//!
//! The data is the demo dataset (the registry, engagements, commitments, incidents, areas,
//! programmes, an operation) plus an incident and an operation owned by MoPA, so that the
//! editor schemathesis signs in as (a MoPA editor, write-scope token) can change records
//! of every kind. `schemathesis.toml` beside this file gives the operations that take an
//! id the id of such a record, and keeps schemathesis from revoking its own token.
//!
//! The checks (see `CHECKS`):
//! - `not_a_server_error`: no 5xx, whatever is sent;
//! - `status_code_conformance`: every status answered is documented for that operation;
//! - `content_type_conformance`, `response_schema_conformance`,
//!   `response_headers_conformance`: bodies, their media types (JSON, GeoJSON, CSV) and
//!   the documented headers (`ETag`, `Location`) are as described;
//! - `negative_data_rejection`: a request the document says is invalid (a bad id, a string
//!   too long, a missing required field, a value outside an enum or range, an unknown
//!   property) is refused with a 4xx;
//! - `missing_required_header`: a request without a header the document requires is
//!   refused;
//! - `unsupported_method`, `allow_header_conformance`: a method a path does not take is a
//!   405 naming the ones it does (`Allow`);
//! - `ignored_auth`: no operation answers without a valid token or session;
//! - `use_after_free`, `ensure_resource_availability`: in the stateful phase, a record
//!   created can be read, and one deleted is gone.
//!
//! Left out:
//! - `positive_data_acceptance` (every schema-valid request succeeds): not true of this API
//!   and cannot be made true by a schema. A valid engagement may name a person who does not
//!   exist or is not released to the caller (422), rules across fields (a commitment's
//!   counterpart differs from the responsible organisation; an operation ends after it
//!   starts; casualties low ≤ best ≤ high) are checked on write (422), an update may carry
//!   a stale version (409) or none at all (428: it may come in `If-Match` or in the body,
//!   which a schema cannot tie together), a cursor must be one the server issued (400),
//!   and a record may belong to another organisation (403).
//! - `object_level_authorization`: it takes two users, each of whom must not see the
//!   other's records; here records are released between organisations on purpose, and
//!   who may read and change what is tested against the Cedar policy by the access and
//!   trust modules and `crates/app/tests/policy.rs`, with users of several organisations.
//!
//! The run is deterministic for a given seed (one worker, no example database or cache
//! kept between runs) and bounded by a number of examples per operation, not by time, so
//! a slower machine runs the same requests, only more slowly.

use std::process::Command;

use hawkari_app::Principal;
use hawkari_core::access::Role;
use hawkari_store::TokenScope;
use serde_json::json;

use crate::helpers::spawn_app;

const DEMO: &str = include_str!("../../../../demo/dataset.json");

/// The checks the run applies (`schemathesis run --checks`).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,\
                      negative_data_rejection,missing_required_header,unsupported_method,\
                      allow_header_conformance,ignored_auth,use_after_free,\
                      ensure_resource_availability";

/// Change it to explore other requests; a failure's report names the seed that found it.
const SEED: &str = "20261129";

/// Test cases per operation in the fuzzing phase (the coverage phase adds its own
/// systematic cases: boundary values and each kind of invalid value of each parameter).
const MAX_EXAMPLES: &str = "10";

// Two worker threads: the server answers on them while this test waits for schemathesis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_as_its_openapi_document_says_when_schemathesis_probes_it() {
    let Some(exe) = std::env::var_os("HAWKARI_SCHEMATHESIS").filter(|v| !v.is_empty()) else {
        println!(
            "SKIPPED: schemathesis run (HAWKARI_SCHEMATHESIS is not set; \
             `export HAWKARI_SCHEMATHESIS=$(scripts/schemathesis-setup)` to run it)"
        );
        return;
    };
    let app = spawn_app().await;
    let system = Principal::system("test");
    app.app
        .import_dataset(&system, std::io::Cursor::new(DEMO.as_bytes()), |_| {})
        .await
        .unwrap();
    app.create_as_cli::<hawkari_core::incident::Incident>(
        "schemathesis-incident",
        json!({
            "when": "2025-07-30", "point": {"lat": 36.19, "lon": 44.01}, "type": "ied",
            "actors": [{"name": "ISIS", "role": "perpetrator"}],
            "narrative": "An incident MoPA's editor may change.",
            "owner_org_id": "mopa", "releasable_to": ["iraqi-army"]
        }),
    )
    .await;
    app.create_as_cli::<hawkari_core::operation::Operation>(
        "schemathesis-operation",
        json!({
            "names": {"en": "Checkpoints on the Erbil–Kirkuk road"},
            "start": "2025-11-01", "end": "2025-11-15", "lead_org_id": "mopa",
            "sites": [{"key": "erbil-checkpoint-1", "names": {"en": "Erbil checkpoint 1"},
                       "kind": "checkpoint", "point": {"lat": 36.19, "lon": 44.01},
                       "lead_org_id": "sector-6"}],
            "owner_org_id": "mopa", "releasable_to": ["iraqi-army"]
        }),
    )
    .await;

    // A MoPA editor with two write tokens: one to sign every request with, one for the
    // run to revoke (the only token id it is given).
    let user = app
        .app
        .create_user(
            &system,
            "schemathesis",
            &"mopa".parse().unwrap(),
            Role::Editor,
            "a-test-password-of-length",
        )
        .await
        .unwrap();
    let principal = app.app.principal(user, None).await.unwrap();
    let (_, secret) = app
        .app
        .create_token(&principal, "schemathesis", TokenScope::Write)
        .await
        .unwrap();
    let (spare, _) = app
        .app
        .create_token(&principal, "to revoke", TokenScope::Write)
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/schemathesis.toml");
    let url = app.url("/api/v1/openapi.json");
    let mut command = Command::new(&exe);
    command
        .current_dir(dir.path())
        .env("HAWKARI_SCHEMATHESIS_TOKEN", &secret.0)
        .env("HAWKARI_SCHEMATHESIS_SPARE_TOKEN", &spare.id)
        .env("NO_COLOR", "1")
        .args(["--config-file", config, "run", &url])
        .args([
            "--checks",
            CHECKS,
            "--seed",
            SEED,
            "--max-examples",
            MAX_EXAMPLES,
        ])
        .args(["--workers", "1", "--no-color"]);
    let backend = if crate::helpers::postgres_url().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("schemathesis run against {url} on {backend}");
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("could not run {exe:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis found problems ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // The summary: phases, test cases generated, time.
    let summary = stdout
        .find(" SUMMARY ")
        .map_or(&stdout[..], |i| &stdout[i..]);
    println!("{summary}");
}
