//! `hawkari intake FILE --published DATE`: a report's drafts as JSON (what `POST
//! /api/v1/intake` answers); `hawkari intake eval`: precision and recall of the drafts
//! against the labelled set in `data/intake/gold`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use hawkari_app::intake::{IntakeRequest, check, intake_with};
use hawkari_core::intake::eval::{Gold, Scores, score};
use hawkari_core::intake::registry::Registry;
use hawkari_core::intake::{Published, html};

/// The registry of the demo dataset (built into the binary).
pub fn demo_registry() -> Registry {
    let doc: serde_json::Value =
        serde_json::from_str(super::data::DEMO_DATASET).expect("the demo dataset is JSON");
    Registry::from_dataset_json(&doc)
}

/// A registry from a dataset file (`hawkari export`).
pub fn registry_file(path: &Path) -> anyhow::Result<Registry> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    Ok(Registry::from_dataset_json(&doc))
}

/// A report file's text: an .html or .htm file is read as its text.
pub fn read_report(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))?;
    let is_html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    Ok(if is_html { html::to_text(&text) } else { text })
}

/// Prints the drafts of one report as JSON.
pub fn print_drafts(req: &IntakeRequest, registry: &Registry) -> anyhow::Result<()> {
    let published = check(req).map_err(|e| anyhow::anyhow!("{e}"))?;
    let result = intake_with(req, &published, registry);
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

/// The workspace root: `--root`, else the source tree this binary was built from when it
/// is still there, else the current directory.
pub fn workspace_root(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| {
        let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        if built.join("data/intake/gold").is_dir() {
            built
        } else {
            PathBuf::from(".")
        }
    })
}

/// Scores every gold file of `gold_dir` and prints precision and recall per field.
pub fn eval(root: &Path, gold_dir: Option<PathBuf>, registry: &Registry) -> anyhow::Result<()> {
    let dir = gold_dir.unwrap_or_else(|| root.join("data/intake/gold"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no gold files (*.json)", dir.display());
    }
    let mut total = Scores::default();
    println!("report                                   people  orgs  dates  places");
    for f in &files {
        let text = std::fs::read_to_string(f).with_context(|| format!("{}", f.display()))?;
        let gold: Gold = serde_json::from_str(&text).with_context(|| format!("{}", f.display()))?;
        let report = root.join(&gold.report);
        let text = read_report(&report).with_context(|| {
            format!(
                "{}: its report (paths are relative to {})",
                f.display(),
                root.display()
            )
        })?;
        let published = Published::parse(&gold.published)
            .map_err(|e| anyhow::anyhow!("{}: published: {e}", f.display()))?;
        let drafts = hawkari_core::intake::extract(
            &text,
            &published,
            registry,
            &hawkari_app::intake::Gazetteer,
        );
        let s = score(&drafts, &gold);
        let name = f.file_stem().and_then(|n| n.to_str()).unwrap_or("?");
        let pr = |c: hawkari_core::intake::eval::Counts| format!("{}/{}/{}", c.tp, c.fp, c.fn_);
        println!(
            "{name:<40} {:>7} {:>5} {:>6} {:>7}",
            pr(s.participants),
            pr(s.organisations),
            pr(s.dates),
            pr(s.places)
        );
        total.add(&s);
    }
    println!("(true/false positives/missed per report)\n");
    println!("field          precision  recall   tp  fp  fn");
    for (field, c) in total.fields() {
        println!(
            "{field:<14} {:>9.2} {:>7.2} {:>4} {:>3} {:>3}",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    println!("\n{} reports", files.len());
    Ok(())
}
