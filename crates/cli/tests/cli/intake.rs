//! `hawkari intake`: a report's drafts as JSON, and the evaluation over the labelled set
//! (the seed reports are read from ../shared/seeds relative to the workspace root).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::hawkari;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed(name: &str) -> PathBuf {
    root().join("../shared/seeds").join(name)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_seed_gold_drafts_are_the_demo_datasets_engagements() {
    let demo: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("demo/dataset.json")).unwrap())
            .unwrap();
    let gold_dir = root().join("data/intake/gold");
    for n in 0..4 {
        let file = gold_dir.join(format!("seed-00{n}.json"));
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let report = gold["report"].as_str().unwrap();
        let seed_file = Path::new(report).file_name().unwrap().to_str().unwrap();
        // Every demo engagement from this report, by the file its first source names.
        let from_report: Vec<&Value> = demo["engagements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["sources"][0]["reference"]
                    .as_str()
                    .unwrap()
                    .ends_with(seed_file)
            })
            .collect();
        let golds: Vec<&Value> = gold["engagements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g.get("demo_id").is_some())
            .collect();
        assert_eq!(golds.len(), from_report.len(), "{}", file.display());
        for e in from_report {
            let g = golds
                .iter()
                .find(|g| g["demo_id"] == e["id"])
                .unwrap_or_else(|| panic!("{}: no gold for {}", file.display(), e["id"]));
            let of = |key: &str| -> Vec<String> {
                let mut v: Vec<String> = e["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|p| p[key].as_str().map(str::to_owned))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let gold_of = |key: &str| -> Vec<String> {
                let mut v: Vec<String> = g
                    .get(key)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default();
                v.sort();
                v
            };
            assert_eq!(of("person_id"), gold_of("people"), "{}", e["id"]);
            assert_eq!(
                of("organisation_id"),
                gold_of("organisations"),
                "{}",
                e["id"]
            );
            assert_eq!(e["when"]["value"], g["when"], "{}", e["id"]);
            assert_eq!(
                e.get("place_id").cloned().unwrap_or(Value::Null),
                g.get("place_id").cloned().unwrap_or(Value::Null),
                "{}",
                e["id"]
            );
        }
    }
}

#[test]
fn a_seed_reports_drafts_hold_the_demo_engagements_with_their_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed("000_7da279a584eeb435.txt");
    let text = std::fs::read_to_string(&file).expect("../shared/seeds beside the workspace");
    let registry = root().join("demo/dataset.json");
    let out = hawkari(
        &dir,
        &[
            "intake",
            arg(&file),
            "--published",
            "2022-07-04",
            "--registry",
            arg(&registry),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drafts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let engagements = drafts["engagements"].as_array().unwrap();
    let with = |a: &str, b: &str| {
        engagements
            .iter()
            .find(|e| {
                let s = e["participants"].to_string();
                s.contains(a) && s.contains(b)
            })
            .unwrap_or_else(|| panic!("no engagement of {a} and {b}: {drafts}"))
    };
    let kle = with("masrour-barzani", "karl-harris");
    assert_eq!(kle["when"]["value"], "2022-07-03");
    let sector6 = with("sirwan-barzani", "bolles");
    assert_eq!(sector6["when"]["value"], "2022-06-27/2022-07-04");
    for c in kle["cites"].as_array().unwrap() {
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], c["sentence"].as_str().unwrap());
    }
}

#[test]
fn intake_eval_prints_precision_and_recall_per_field_and_meets_the_name_goals() {
    let dir = tempfile::tempdir().unwrap();
    let out = hawkari(&dir, &["intake", "eval", "--root", arg(&root())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let row = |field: &str| -> (f64, f64) {
        let line = text
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("no {field} line in {text}"));
        let v: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .take(2)
            .map(|x| x.parse().unwrap())
            .collect();
        (v[0], v[1])
    };
    for field in ["participants", "organisations"] {
        let (p, r) = row(field);
        assert!(
            p >= 0.9 && r >= 0.8,
            "{field}: precision {p}, recall {r}\n{text}"
        );
    }
    for field in [
        "dates",
        "places",
        "commitments",
        "incidents",
        "observations",
    ] {
        row(field);
    }
    assert!(text.contains("seed-003"), "{text}");
    assert!(text.contains("ar-2025-09-delegation") && text.contains("ckb-2025-10-visits"));
}

#[test]
fn an_html_report_is_read_as_its_text_and_bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let registry = root().join("demo/dataset.json");
    let html = dir.path().join("report.html");
    std::fs::write(
        &html,
        "<html><body><p>Prime Minister Masrour Barzani met NATO Secretary General \
         Jens Stoltenberg on Sunday.</p><script>ignored()</script></body></html>",
    )
    .unwrap();
    let out = hawkari(
        &dir,
        &[
            "intake",
            arg(&html),
            "--published",
            "2022-07-04",
            "--registry",
            arg(&registry),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drafts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(drafts["engagements"][0]["when"]["value"], "2022-07-03");
    assert!(!drafts.to_string().contains("ignored"));

    let bad = hawkari(
        &dir,
        &[
            "intake",
            arg(&html),
            "--published",
            "yesterday",
            "--registry",
            arg(&registry),
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("published"));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let bad = hawkari(
        &dir,
        &[
            "intake",
            arg(&empty),
            "--published",
            "2022-07-04",
            "--registry",
            arg(&registry),
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("text"));
}
