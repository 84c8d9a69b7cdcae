//! `hawkari incidents import`: a file of incidents (ACLED, UCDP GED, a mapped CSV,
//! GeoJSON) imported with a progress bar, or with `--dry-run` read and checked with
//! nothing written. Problems are printed once per reason — a reason shared by many rows
//! (an unlisted type value) is one line with its count and first lines — and admin unit
//! spellings the gazetteer does not know once each with their count; the summary counts
//! rows. The exit status is 1 when any row was (or, in a dry run, would be) rejected.

use std::path::Path;

use anyhow::{Context, bail};
use hawkari_app::import_spellings::Unmatched;
use hawkari_app::incident_import::{
    ImportFormat, ImportOptions, ImportRelease, Rejection, preview_incidents,
};
use hawkari_app::{App, Principal};

/// What the command was asked to import, and how.
pub struct ImportArgs<'a> {
    pub format: &'a str,
    pub mapping: Option<&'a Path>,
    pub owner: &'a str,
    pub release_to: &'a [String],
    pub all_partners: bool,
    pub options: ImportOptions,
    pub file: &'a Path,
}

/// The format, with its mapping read and parsed (errors name the file and the entry).
fn format(args: &ImportArgs<'_>) -> anyhow::Result<ImportFormat> {
    Ok(match (args.format, args.mapping) {
        ("acled", _) => ImportFormat::Acled,
        ("ucdp", _) => ImportFormat::Ucdp,
        ("geojson", _) => ImportFormat::GeoJson,
        ("mapped", Some(m)) => {
            let text = std::fs::read_to_string(m)
                .with_context(|| format!("cannot read {}", m.display()))?;
            ImportFormat::Mapped(
                serde_json::from_str(&text).with_context(|| format!("mapping {}", m.display()))?,
            )
        }
        ("mapped", None) => bail!("--format mapped needs --mapping FILE"),
        (other, _) => bail!("--format: `{other}` is not acled, ucdp, mapped or geojson"),
    })
}

fn release(args: &ImportArgs<'_>) -> anyhow::Result<ImportRelease> {
    Ok(ImportRelease {
        owner: args
            .owner
            .parse()
            .map_err(|m: String| anyhow::anyhow!("--owner: {m}"))?,
        releasable_to: args
            .release_to
            .iter()
            .map(|o| {
                o.parse()
                    .map_err(|m: String| anyhow::anyhow!("--release-to: {m}"))
            })
            .collect::<anyhow::Result<_>>()?,
        groups: if args.all_partners {
            vec![hawkari_core::access::ReleaseGroup::AllPartners]
        } else {
            vec![]
        },
    })
}

fn open(file: &Path) -> anyhow::Result<std::io::BufReader<std::fs::File>> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(std::io::BufReader::new(reader))
}

/// Streams the file into the database and prints what became of every row.
pub async fn import(app: &App, args: &ImportArgs<'_>) -> anyhow::Result<()> {
    let format = format(args)?;
    let release = release(args)?;
    let reader = open(args.file)?;
    let bar = super::data::spinner("importing incidents");
    let report = app
        .import_incidents(
            &Principal::system("cli"),
            reader,
            &format,
            &release,
            &args.options,
            |n| bar.set_position(n),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    print_problems(report.unit, &report.rejected, &report.warnings);
    print_unmatched(report.unit, &report.unmatched);
    eprintln!(
        "read {}, stored {}, updated {}, unchanged {}, rejected {}",
        report.read, report.stored, report.updated, report.unchanged, report.rejected_rows
    );
    if report.rejected_rows > 0 {
        bail!(
            "{} of {} {}s rejected (listed above); the others were imported",
            report.rejected_rows,
            report.read,
            report.unit
        );
    }
    Ok(())
}

/// Reads and checks the whole file as the import would, writing nothing (the database is
/// not even opened): the first `show` rows as they would be stored (one JSON object a
/// line on stdout), every problem, and the summary.
pub fn dry_run(args: &ImportArgs<'_>, show: usize) -> anyhow::Result<()> {
    let format = format(args)?;
    let release = release(args)?;
    let reader = open(args.file)?;
    let preview = preview_incidents(reader, &format, &release, &args.options, show)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for row in &preview.rows {
        let shown = match &row.incident {
            Some((id, data)) => serde_json::json!({
                preview.unit: row.line,
                "id": id,
                "incident": data,
            }),
            None => serde_json::json!({
                preview.unit: row.line,
                "rejected": row.problems.iter()
                    .map(|(c, why)| serde_json::json!({"column": c, "reason": why}))
                    .collect::<Vec<_>>(),
            }),
        };
        println!("{shown}");
    }
    print_problems(preview.unit, &preview.rejected, &preview.warnings);
    print_unmatched(preview.unit, &preview.unmatched);
    let would_store = preview.read - preview.rejected_rows;
    eprintln!(
        "dry run, nothing written: read {}, would store or update {}, would reject {}",
        preview.read, would_store, preview.rejected_rows
    );
    if preview.rejected_rows > 0 {
        bail!(
            "{} of {} {}s would be rejected (listed above)",
            preview.rejected_rows,
            preview.read,
            preview.unit
        );
    }
    Ok(())
}

/// The lines of a group of rows: `line 4`, or `lines 2, 5, 9 (3 rows)`, or the first ten
/// and how many more.
fn lines(unit: &str, lines: &[u64]) -> String {
    match lines {
        [one] => format!("{unit} {one}"),
        _ => {
            let first: Vec<String> = lines.iter().take(10).map(u64::to_string).collect();
            let more = if lines.len() > 10 {
                format!(" and {} more", lines.len() - 10)
            } else {
                String::new()
            };
            format!("{unit}s {}{more} ({} rows)", first.join(", "), lines.len())
        }
    }
}

/// Problems grouped by (column, reason) in the order each first appears.
fn grouped(problems: &[Rejection]) -> Vec<(&str, &str, Vec<u64>)> {
    let mut order: Vec<(&str, &str, Vec<u64>)> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for p in problems {
        let key = (p.column.as_str(), p.reason.as_str());
        match index.get(&key) {
            Some(i) => order[*i].2.push(p.line),
            None => {
                index.insert(key, order.len());
                order.push((key.0, key.1, vec![p.line]));
            }
        }
    }
    order
}

fn print_problems(unit: &str, rejected: &[Rejection], warnings: &[Rejection]) {
    let column = |c: &str| if c.is_empty() { "row" } else { c }.to_owned();
    for (c, why, at) in grouped(rejected) {
        eprintln!("  {}: {}: {why}", lines(unit, &at), column(c));
    }
    for (c, why, at) in grouped(warnings) {
        eprintln!("  warning: {}: {}: {why}", lines(unit, &at), column(c));
    }
}

fn print_unmatched(unit: &str, unmatched: &[Unmatched]) {
    for u in unmatched {
        let rows = if u.rows == 1 {
            "1 row".to_owned()
        } else {
            format!("{} rows", u.rows)
        };
        eprintln!(
            "  not in the gazetteer: {} `{}` ({rows}, first at {unit} {}); their admin units come from the point",
            u.column, u.value, u.first_line
        );
    }
}
