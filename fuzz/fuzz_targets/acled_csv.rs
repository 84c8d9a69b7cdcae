//! Fuzzes the acled csv incident import end to end (see `hawkari_fuzz` for the properties).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        std::sync::LazyLock::force(&hawkari_fuzz::HARNESS);
    },
    |data: &[u8]| {
        hawkari_fuzz::import_incidents(data, &hawkari_app::incident_import::ImportFormat::Acled);
    }
);
