//! Moving whole datasets: import, export, the demo dataset and the synthetic generator,
//! with progress bars on a terminal.

use std::io::{BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, bail};
use hawkari_app::dataset::ImportSummary;
use hawkari_app::{App, AppError, Principal};
use hawkari_core::access::Role;
use hawkari_store::Counts;
use indicatif::{ProgressBar, ProgressStyle};

/// The demo dataset from the four reports, kept as data in `demo/dataset.json`.
pub(crate) const DEMO_DATASET: &str = include_str!("../../../../demo/dataset.json");

pub(super) fn spinner(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {pos} records ({elapsed})")
            .expect("valid template"),
    );
    bar.set_message(message);
    bar
}

fn summary(verb: &str, c: &Counts) -> String {
    format!(
        "{verb} {} records: {} organisations, {} topics, {} places, {} people, {} engagements, {} commitments, {} incidents, {} areas, {} programmes, {} operations",
        c.total(),
        c.organisations,
        c.topics,
        c.places,
        c.people,
        c.engagements,
        c.commitments,
        c.incidents,
        c.areas,
        c.programmes,
        c.operations
    )
}

/// Turns an import's validation errors into one readable report.
fn report(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(v) => {
            let lines: Vec<String> = v
                .errors
                .iter()
                .map(|e| format!("  {}: {}", e.field, e.message))
                .collect();
            anyhow::anyhow!(
                "the dataset was not imported; nothing was changed. {} problem(s):\n{}",
                lines.len(),
                lines.join("\n")
            )
        }
        other => {
            anyhow::Error::new(other).context("the dataset was not imported; nothing was changed")
        }
    }
}

async fn import_from(
    app: &App,
    reader: impl Read + Send + 'static,
    bar: &ProgressBar,
) -> anyhow::Result<ImportSummary> {
    app.import_dataset(&Principal::system("cli"), reader, |n| bar.set_position(n))
        .await
        .map_err(report)
}

pub async fn import(app: &App, file: &Path) -> anyhow::Result<()> {
    let bar = spinner("importing");
    let counts = if file.as_os_str() == "-" {
        import_from(app, std::io::stdin(), &bar).await?
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        import_from(app, f, &bar).await?
    };
    bar.finish_and_clear();
    eprintln!("{}", summary("imported", &counts.read));
    if counts.kept_newer > 0 {
        eprintln!(
            "{} of them were not written: the database holds a newer version",
            counts.kept_newer
        );
    }
    Ok(())
}

/// Writes through `write` to `path`, or to stdout when there is none. A file is written
/// beside the target (`.partial`), synced and renamed when complete, so a failed export
/// never leaves half a file under the name asked for.
async fn write_out<T>(
    path: Option<&Path>,
    write: impl AsyncFnOnce(&mut dyn Write) -> Result<T, AppError>,
) -> anyhow::Result<T> {
    let Some(path) = path else {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let done = write(&mut out).await?;
        out.flush()?;
        return Ok(done);
    };
    let tmp = path.with_extension("partial");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut out = BufWriter::new(file);
    let written = match write(&mut out).await {
        Ok(done) => out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .map(|()| done)
            .map_err(anyhow::Error::from),
        Err(e) => Err(e.into()),
    };
    match written {
        Ok(done) => {
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(done)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e.context(format!("the export to {} failed", path.display())))
        }
    }
}

pub async fn export(app: &App, file: Option<&Path>) -> anyhow::Result<()> {
    let bar = spinner("exporting");
    let counts = write_out(file, async |mut out| {
        app.export_dataset(&Principal::system("cli"), &mut out, |n| bar.set_position(n))
            .await
    })
    .await?;
    bar.finish_and_clear();
    eprintln!("{}", summary("exported", &counts));
    Ok(())
}

/// Loads the demo dataset into an empty database; leaves a database with records alone.
/// With federation, only this instance's part (see [`demo_part`]) and the accounts of
/// its home organisations.
pub async fn load_demo(
    app: &App,
    federation: Option<&hawkari_app::federation::Settings>,
) -> anyhow::Result<bool> {
    let existing = app.store().counts().await?;
    if existing.total() > 0 {
        eprintln!(
            "the database already holds {} records; the demo dataset was not loaded",
            existing.total()
        );
        return Ok(false);
    }
    let (counts, home) = match federation {
        None => (import_demo(app).await?, None),
        Some(settings) => {
            let part = demo_part(&settings.organisation)?;
            let counts = import_from(app, std::io::Cursor::new(part), &ProgressBar::hidden())
                .await
                .context("demo/dataset.json")?;
            (counts, Some(&settings.organisation))
        }
    };
    eprintln!(
        "{} (demo dataset from the four reports{})",
        summary("loaded", &counts.read),
        match home {
            Some(h) => format!(", the part of {h}'s instance"),
            None => String::new(),
        }
    );
    create_demo_users(app, home).await?;
    Ok(true)
}

/// The demo dataset as the instance whose home is `home` starts it: the records its home
/// organisations (it and those below it) own; the organisations it is released by the
/// publisher's own rule (`Tree::instance_reach`, what the partners' instances would send
/// it), so that it can route its records to its partners from the first moment and show
/// their names; and every topic (topics have no owner: they are a shared vocabulary).
/// Partners' people, places and operational records arrive over NATS, as released.
pub(crate) fn demo_part(home: &hawkari_core::ids::OrganisationId) -> anyhow::Result<String> {
    use hawkari_core::ids::OrganisationId;
    use serde_json::Value;
    let mut doc: serde_json::Map<String, Value> = serde_json::from_str(DEMO_DATASET)?;
    let id = |v: &Value, field: &str| -> anyhow::Result<Option<OrganisationId>> {
        match v.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.parse().map_err(|e| anyhow::anyhow!("{e}"))?)),
            Some(other) => bail!("demo/dataset.json: {field} is {other}"),
        }
    };
    let empty = Vec::new();
    let orgs = doc
        .get("organisations")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let mut tree = Vec::new();
    for o in orgs {
        let oid = id(o, "id")?.context("demo/dataset.json: an organisation without id")?;
        let kind = serde_json::from_value(o.get("kind").cloned().unwrap_or(Value::Null))?;
        tree.push((oid, id(o, "parent_id")?, kind));
    }
    let tree = hawkari_app::federation::route::Tree::new(tree);
    if !tree.contains(home) {
        bail!("federation.organisation: `{home}` is not an organisation of the demo");
    }
    let reach = tree.instance_reach(home);
    let released = |owner: &OrganisationId, r: &Value| {
        let releasable: Vec<OrganisationId> =
            serde_json::from_value(r.get("releasable_to").cloned().unwrap_or_default())
                .unwrap_or_default();
        let groups: Vec<hawkari_core::access::ReleaseGroup> =
            serde_json::from_value(r.get("release_groups").cloned().unwrap_or_default())
                .unwrap_or_default();
        reach.sees(owner, &releasable, &groups)
    };
    use hawkari_core::record::Kind;
    // Per record (section, index): kept now, or released here and kept if referred to.
    let mut keep: Vec<Vec<bool>> = Vec::new();
    let mut may: Vec<Vec<bool>> = Vec::new();
    let mut by_id: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
    for (s, (section, kind)) in hawkari_app::dataset::SECTIONS.iter().enumerate() {
        let records = doc
            .get(*section)
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let (mut k, mut m) = (Vec::new(), Vec::new());
        for (i, r) in records.iter().enumerate() {
            if let Some(Value::String(rid)) = r.get("id") {
                by_id.entry(rid.clone()).or_default().push((s, i));
            }
            let (own, rel) = match id(r, "owner_org_id")? {
                // Only topics have no owner.
                None => (true, true),
                Some(owner) => (tree.is_within(&owner, home), released(&owner, r)),
            };
            let registry = matches!(kind, Some(Kind::Organisation | Kind::Person | Kind::Place));
            k.push(own || (registry && rel));
            m.push(rel);
        }
        keep.push(k);
        may.push(m);
    }
    // The released records that kept ones refer to (an engagement's place, a
    // commitment's engagement), to a fixed point: the import checks every reference.
    // A reference is any string equal to a record's id: at worst more released records.
    fn strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let sections = hawkari_app::dataset::SECTIONS;
    // A partner's record that refers to one not released here (a person whose position
    // is in a body this instance does not see) is not loaded: it arrives over NATS,
    // whose copies are not checked for references.
    let mut own = keep.clone();
    for (s, (_, kind)) in sections.iter().enumerate() {
        if matches!(kind, Some(Kind::Organisation | Kind::Person | Kind::Place)) {
            let records = doc
                .get(sections[s].0)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            for (i, r) in records.iter().enumerate() {
                own[s][i] = match id(r, "owner_org_id")? {
                    None => true,
                    Some(owner) => tree.is_within(&owner, home),
                };
            }
        }
    }
    loop {
        let mut dropped = false;
        for (s, (section, _)) in sections.iter().enumerate() {
            let records = doc
                .get(*section)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            for (i, r) in records.iter().enumerate() {
                if own[s][i] || !may[s][i] {
                    continue;
                }
                let mut out = Vec::new();
                strings(r, &mut out);
                let unreleased = out.iter().any(|w| {
                    by_id
                        .get(*w)
                        .is_some_and(|at| at.iter().all(|&(ts, ti)| !may[ts][ti]))
                });
                if unreleased {
                    may[s][i] = false;
                    keep[s][i] = false;
                    dropped = true;
                }
            }
        }
        if !dropped {
            break;
        }
    }
    loop {
        let mut more = Vec::new();
        for (s, (section, _)) in sections.iter().enumerate() {
            let records = doc
                .get(*section)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            for (i, r) in records.iter().enumerate() {
                if !keep[s][i] {
                    continue;
                }
                let mut out = Vec::new();
                strings(r, &mut out);
                for word in out {
                    for &(ts, ti) in by_id.get(word).map(Vec::as_slice).unwrap_or(&[]) {
                        if !keep[ts][ti] && may[ts][ti] {
                            more.push((ts, ti));
                        }
                    }
                }
            }
        }
        if more.is_empty() {
            break;
        }
        for (s, i) in more {
            keep[s][i] = true;
        }
    }
    for (s, (section, _)) in sections.iter().enumerate() {
        if let Some(Value::Array(records)) = doc.get_mut(*section) {
            let mut i = 0;
            records.retain(|_| {
                i += 1;
                keep[s][i - 1]
            });
        }
    }
    Ok(serde_json::to_string(&doc)?)
}

/// The demo dataset into an empty database, without accounts.
pub(crate) async fn import_demo(app: &App) -> anyhow::Result<hawkari_app::dataset::ImportSummary> {
    import_from(
        app,
        std::io::Cursor::new(DEMO_DATASET.as_bytes()),
        &ProgressBar::hidden(),
    )
    .await
    .context("demo/dataset.json")
}

/// One editor per organisation of the demo, named after it, with a fresh random password,
/// printed once; and one system administrator.
/// With federation (`home`), only the home organisations get accounts (and the system
/// administrator is one of theirs).
async fn create_demo_users(
    app: &App,
    home: Option<&hawkari_core::ids::OrganisationId>,
) -> anyhow::Result<()> {
    let cli = Principal::system("cli");
    let mut orgs = Vec::new();
    let mut page = hawkari_store::PageRequest::first(hawkari_store::PageRequest::MAX_LIMIT);
    loop {
        let batch = app
            .list_organisations(&cli, &Default::default(), &page)
            .await?;
        orgs.extend(batch.items);
        match batch.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    if let Some(home) = home {
        let tree = hawkari_app::federation::load_tree(app).await?;
        orgs.retain(|o| tree.is_within(&o.id, home));
    }
    println!("Demo accounts (passwords are shown only now):");
    println!(
        "  {:<28} {:<13} {:<28} password",
        "username", "role", "organisation"
    );
    // The system administrator keeps the registry's structure, which takes reading it:
    // they belong to the organisation that reads the most of it (the first by name on a
    // tie). An administrator of a body that reads little could not name the bodies a
    // new organisation sits under or answers to.
    let mut admin_org = None;
    let mut most = 0;
    for o in &orgs {
        let user = hawkari_core::access::User {
            id: String::new(),
            username: "demo-reach".into(),
            organisation_id: o.id.clone(),
            role: Role::Viewer,
            disabled: false,
        };
        let reader = app.principal(user, None).await?;
        let seen = app
            .list_organisations(
                &reader,
                &Default::default(),
                &hawkari_store::PageRequest::first(hawkari_store::PageRequest::MAX_LIMIT),
            )
            .await?
            .items
            .len();
        if admin_org.is_none() || seen > most {
            admin_org = Some(o.id.clone());
            most = seen;
        }
    }
    let admin_org = admin_org.context("the demo has no organisations")?;
    let mut accounts = vec![("admin".to_owned(), admin_org, Role::SystemAdmin)];
    accounts.extend(
        orgs.iter()
            .map(|o| (o.id.to_string(), o.id.clone(), Role::Editor)),
    );
    for (username, org, role) in accounts {
        let password = hawkari_app::auth::random_token()[..20].to_owned();
        app.create_user(&cli, &username, &org, role, &password)
            .await?;
        println!(
            "  {username:<28} {:<13} {:<28} {password}",
            role.as_str(),
            org.as_str()
        );
    }
    Ok(())
}

pub async fn generate(
    app: &App,
    engagements: u64,
    incidents: u64,
    seed: u64,
) -> anyhow::Result<()> {
    if app.store().counts().await?.total() > 0 {
        bail!(
            "the database is not empty; generate into a new database (--database-url sqlite://bench.db)"
        );
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} records ({per_sec}, {eta} left)")
            .expect("valid template"),
    );
    let scale = hawkari_app::synthetic::Scale { engagements, seed };
    let started = std::time::Instant::now();
    hawkari_app::synthetic::generate(app, scale, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    if incidents > 0 {
        bar.set_message("incidents");
        let begun = std::time::Instant::now();
        hawkari_app::synthetic::generate_incidents(app, incidents, scale, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
        let secs = begun.elapsed().as_secs_f64();
        eprintln!(
            "{incidents} incidents in {secs:.1} s ({:.0} per second)",
            incidents as f64 / secs
        );
    }
    bar.finish_and_clear();
    eprintln!("took {:.1} s", started.elapsed().as_secs_f64());
    eprintln!("{}", summary("generated", &app.store().counts().await?));
    Ok(())
}

/// Writes the audit log as JSON lines (one entry each, oldest first).
pub async fn export_audit(app: &App, file: Option<&Path>) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out: Box<dyn std::io::Write> = match file {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut after = 0;
    let mut n = 0u64;
    loop {
        let page = app.audit_page(after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            serde_json::to_writer(&mut out, entry)?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    out.flush()?;
    eprintln!("exported {n} audit entries");
    Ok(())
}

/// `hawkari incidents export`: every incident in the database (the command line acts for
/// the whole database, like `hawkari export`), as GeoJSON or HXL CSV, to a file or stdout.
pub async fn export_incidents(app: &App, format: &str, file: Option<&Path>) -> anyhow::Result<()> {
    use hawkari_app::incident_export::ExportFormat;
    let format = match format {
        "geojson" => ExportFormat::GeoJson,
        "csv" => ExportFormat::HxlCsv,
        other => bail!("--format: `{other}` is not geojson or csv"),
    };
    let filter = hawkari_store::IncidentFilter::default();
    let bar = spinner("exporting incidents");
    let rows = write_out(file, async |out| {
        app.export_incidents(&Principal::system("cli"), &filter, format, out, |n| {
            bar.set_position(n)
        })
        .await
    })
    .await?;
    bar.finish_and_clear();
    eprintln!("exported {rows} incidents");
    Ok(())
}

/// `db copy`: copies with a progress line per table, then prints each table's counts
/// and checksums; fails if any table differs.
pub async fn copy(
    source: &dyn hawkari_store::Store,
    target: &dyn hawkari_store::Store,
    target_name: &str,
) -> anyhow::Result<()> {
    use hawkari_app::copy::{CopyProgress, copy_database};
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    let checks = copy_database(source, target, |p| match p {
        CopyProgress::Copied {
            table,
            rows,
            resumed,
        } => bar.set_message(format!(
            "copying {table}: {rows} rows{}",
            if resumed { " (resumed)" } else { "" }
        )),
        CopyProgress::Verifying { table } => bar.set_message(format!("verifying {table}")),
    })
    .await
    .map_err(|e| {
        anyhow::Error::new(e).context(
            "the copy stopped; what was committed is kept, and running the same command again resumes it",
        )
    })?;
    bar.finish_and_clear();
    println!(
        "{:<14} {:>9} {:>9} {:>9}  sha256 (source = target)",
        "table", "copied", "source", "target"
    );
    let mut bad = Vec::new();
    for c in &checks {
        println!(
            "{:<14} {:>9} {:>9} {:>9}  {} {} {}",
            c.table,
            c.copied,
            c.source_rows,
            c.target_rows,
            &c.source_sha256[..16],
            if c.matches() { "=" } else { "≠" },
            &c.target_sha256[..16]
        );
        if !c.matches() {
            bad.push(c.table);
        }
    }
    if !bad.is_empty() {
        bail!(
            "the copy in {target_name} differs from the source in: {} (was the target empty, and the source not written to meanwhile?)",
            bad.join(", ")
        );
    }
    println!("copied and verified: every table matches ({target_name})");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_dataset_is_json_with_every_section() {
        let doc: serde_json::Value = serde_json::from_str(super::DEMO_DATASET).unwrap();
        for section in [
            "organisations",
            "topics",
            "places",
            "people",
            "engagements",
            "commitments",
        ] {
            assert!(
                doc[section].as_array().is_some_and(|a| !a.is_empty()),
                "{section}"
            );
        }
    }
}
