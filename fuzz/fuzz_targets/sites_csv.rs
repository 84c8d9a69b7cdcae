//! Fuzzes an operation's site CSV import: each input goes into a new operation, deleted
//! afterwards (so that sites do not pile up), and every row must be counted once, named
//! by its line.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};

use hawkari_app::AppError;
use hawkari_core::operation::Operation;
use libfuzzer_sys::fuzz_target;

static NEXT: AtomicU64 = AtomicU64::new(0);

fuzz_target!(
    init: {
        std::sync::LazyLock::force(&hawkari_fuzz::HARNESS);
    },
    |data: &[u8]| {
        let h = &*hawkari_fuzz::HARNESS;
        let id = format!("fuzz-op-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let op = serde_json::from_value(serde_json::json!({
            "names": {"en": "Fuzzed operation"}, "start": "2025-11-01", "end": "2025-11-15",
            "lead_org_id": "iraqi-army", "owner_org_id": "iraqi-army", "sites": []
        }))
        .expect("operation data");
        let principal = hawkari_fuzz::principal();
        let result = h.rt.block_on(async {
            h.app
                .create::<Operation>(&principal, Some(id.clone()), op)
                .await
                .expect("a new operation");
            let result = h
                .app
                .import_sites(&principal, &id, std::io::Cursor::new(data.to_vec()))
                .await;
            // Gone again, so that the database stays small however long the run.
            let op: Operation = h.app.get(&principal, &id).await.expect("the operation");
            h.app
                .delete::<Operation>(&principal, &id, Some(op.meta.version))
                .await
                .expect("the operation is deleted");
            result
        });
        let report = match result {
            Ok(report) => report,
            // No header row, or a required column missing: refused as a whole.
            Err(AppError::Invalid(_)) => return,
            Err(e) => panic!("the site import failed as a whole: {e:?}"),
        };
        assert!(report.accounts_for_every_row(), "{report:?}");
        hawkari_fuzz::check_lines(
            &report.rejected,
            report.rejected_rows,
            hawkari_fuzz::physical_lines(data),
        );
    }
);
