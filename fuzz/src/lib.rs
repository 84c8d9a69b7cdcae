//! What every fuzz target shares: one Hawkari over an in-memory SQLite database holding
//! the demo dataset (its registry and an operation), built once per process with one
//! tokio runtime, and the properties each import must keep whatever the input — the
//! real parse, check and store path, not a copy of it.
//!
//! Properties, checked on every input (a failed one is a crash libFuzzer keeps):
//! - the import ends in a report, or refuses the file as a whole only as invalid input
//!   (no header row, a dataset's problems); never a store error, which would mean a row
//!   passed the checks that the database then refused, failing its whole batch;
//! - every row read is counted once: read = stored + updated + unchanged + rejected;
//! - each rejected row has its own line (distinct lines = rejected rows), every line
//!   lies in the file (CSV: within its physical lines; GeoJSON: within the features
//!   read), and rejections and warnings come in the file's order.
#![forbid(unsafe_code)]

use std::sync::LazyLock;

use hawkari_app::incident_import::{
    ColumnMapping, ImportFormat, ImportOptions, ImportRelease, ImportReport, Rejection,
};
use hawkari_app::{App, AppError, Principal};

/// The demo dataset: organisations to own and name, an operation's owner.
const DEMO: &str = include_str!("../../demo/dataset.json");

pub struct Harness {
    pub rt: tokio::runtime::Runtime,
    pub app: App,
}

pub static HARNESS: LazyLock<Harness> = LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let app = rt.block_on(async {
        // One connection: an in-memory database lives as long as its connection.
        let store = hawkari_store::sqlite::SqliteStore::connect("sqlite::memory:", 1)
            .await
            .expect("in-memory SQLite");
        hawkari_store::Store::migrate(&store)
            .await
            .expect("migrate");
        let app = App::new(std::sync::Arc::new(store));
        app.import_dataset(&principal(), std::io::Cursor::new(DEMO.as_bytes()), |_| {})
            .await
            .expect("the demo dataset imports");
        app
    });
    Harness { rt, app }
});

pub fn principal() -> Principal {
    Principal::system("fuzz")
}

/// The mapping the mapped-CSV target reads with: every optional column named.
pub fn mapping() -> ColumnMapping {
    serde_json::from_value(serde_json::json!({
        "id_prefix": "jcc", "external_id": "ref", "date": "day", "latitude": "y",
        "longitude": "x", "event_type": "what",
        "types": {"Roadside bomb": "ied", "Kidnapping": "abduction", "Rocket": "indirect_fire"},
        "fatalities": "killed", "narrative": "text", "actor": "group", "source": "src",
        "unlisted_types": "other"
    }))
    .expect("the mapping")
}

/// Imports `data` as incidents in `format` for the ministry (outside points allowed on
/// every other input, so both paths are taken) and checks the properties.
pub fn import_incidents(data: &[u8], format: &ImportFormat) {
    let h = &*HARNESS;
    let release = ImportRelease {
        owner: "mopa".parse().expect("an id"),
        releasable_to: vec![],
        groups: vec![hawkari_core::access::ReleaseGroup::AllPartners],
    };
    let options = ImportOptions {
        allow_outside_iraq: data.len() % 2 == 1,
    };
    let result = h.rt.block_on(h.app.import_incidents(
        &principal(),
        std::io::Cursor::new(data.to_vec()),
        format,
        &release,
        &options,
        |_| {},
    ));
    let report = match result {
        Ok(report) => report,
        // A CSV without a usable header row is refused as a whole.
        Err(AppError::Invalid(_)) if !matches!(format, ImportFormat::GeoJson) => return,
        Err(e) => panic!("the import failed as a whole: {e:?}"),
    };
    check_report(data, &report, matches!(format, ImportFormat::GeoJson));
}

fn check_report(data: &[u8], report: &ImportReport, features: bool) {
    assert!(report.accounts_for_every_row(), "{report:?}");
    let last = if features {
        report.read
    } else {
        physical_lines(data)
    };
    check_lines(&report.rejected, report.rejected_rows, last);
    check_order(&report.warnings, last);
}

/// Rejections: in order, within the file, one line per rejected row.
pub fn check_lines(rejected: &[Rejection], rows: u64, last: u64) {
    check_order(rejected, last);
    let mut lines: Vec<u64> = rejected.iter().map(|r| r.line).collect();
    lines.dedup();
    assert_eq!(lines.len() as u64, rows, "{rejected:?}");
    assert!(
        rejected.iter().all(|r| !r.reason.is_empty()),
        "a rejection without a reason: {rejected:?}"
    );
}

fn check_order(entries: &[Rejection], last: u64) {
    assert!(
        entries.windows(2).all(|w| w[0].line <= w[1].line),
        "not in the file's order: {entries:?}"
    );
    assert!(
        entries.iter().all(|r| r.line >= 1 && r.line <= last.max(1)),
        "a line outside the file's {last}: {entries:?}"
    );
}

/// Physical lines as editors count them: `\n`, `\r\n` and a lone `\r` end one; a last
/// line without an end is a line too.
pub fn physical_lines(data: &[u8]) -> u64 {
    let mut n = 0;
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' || (*b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    if !data.is_empty() && !matches!(data.last(), Some(b'\n' | b'\r')) {
        n += 1;
    }
    n
}
