//! Fuzzes the mapped CSV incident import, through a fixed mapping that names every column.
#![no_main]

use std::sync::LazyLock;

use hawkari_app::incident_import::ImportFormat;
use libfuzzer_sys::fuzz_target;

static FORMAT: LazyLock<ImportFormat> =
    LazyLock::new(|| ImportFormat::Mapped(Box::new(hawkari_fuzz::mapping())));

fuzz_target!(
    init: {
        LazyLock::force(&hawkari_fuzz::HARNESS);
    },
    |data: &[u8]| {
        hawkari_fuzz::import_incidents(data, &FORMAT);
    }
);
