//! Fuzzes the whole-dataset JSON import: it imports all or nothing, so an input either
//! imports (counted per section) or is refused as invalid, naming its problems; any
//! other failure is a bug.
#![no_main]

use hawkari_app::AppError;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        std::sync::LazyLock::force(&hawkari_fuzz::HARNESS);
    },
    |data: &[u8]| {
        let h = &*hawkari_fuzz::HARNESS;
        let result = h.rt.block_on(h.app.import_dataset(
            &hawkari_fuzz::principal(),
            std::io::Cursor::new(data.to_vec()),
            |_| {},
        ));
        match result {
            Ok(summary) => assert!(summary.kept_newer <= summary.read.total(), "{summary:?}"),
            Err(AppError::Invalid(v)) => {
                assert!(!v.errors.is_empty(), "refused without a reason");
            }
            // A reference to a record that is not there is a conflict of the import.
            Err(AppError::Conflict(_) | AppError::NotFound { .. }) => {}
            Err(e) => panic!("the dataset import failed otherwise than as invalid: {e:?}"),
        }
    }
);
