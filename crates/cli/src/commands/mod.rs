//! The `hawkari` commands and what each does.

mod bench;
mod bench_federation;
mod data;
mod incident_import;
mod intake;
mod load;
mod serve;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use hawkari_app::App;
use hawkari_store::Store;

use hawkari_core::access::Role;

use crate::config::{Config, DEFAULT_TOML};

/// Hawkari: the shared memory and common picture of a security partnership —
/// engagements, commitments, and who is who.
#[derive(Debug, Parser)]
#[command(name = "hawkari", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (TOML); see `hawkari config print-default`.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Database URL, e.g. sqlite://hawkari.db (overrides config and HAWKARI_DATABASE__URL).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (HTTPS by default; JSON API under /api/v1).
    Serve {
        /// Address to listen on (default 0.0.0.0:8080, every interface; 127.0.0.1:8080
        /// keeps it to this machine; port 0 picks a free port).
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo dataset from the reports if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Import a whole dataset (JSON, as written by `export`); all of it or nothing.
    Import {
        /// The file to read, or - for standard input.
        file: PathBuf,
    },
    /// Export the whole dataset as JSON.
    Export {
        /// The file to write (default: standard output).
        file: Option<PathBuf>,
    },
    /// Database maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Demo and synthetic data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Measure the list, search and history queries at scale and print the figures.
    Bench {
        /// Engagements in the synthetic dataset.
        #[arg(long, default_value_t = 100_000)]
        engagements: u64,
        /// Timed requests per query.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
        iterations: u64,
        /// Measure the spatial side instead, at this many synthetic incidents: viewport
        /// queries (API, bare R*Tree, scan), imports, reverse geocoding, coverage.
        #[arg(long)]
        incidents: Option<u64>,
        /// ACLED rows the import measurement writes and imports (with --incidents).
        #[arg(long, default_value_t = 100_000)]
        import_rows: u64,
        /// Seconds of concurrent load on loopback at each of 1, 4 and 16 clients (0: none).
        #[arg(long, default_value_t = 10)]
        load_seconds: u64,
        /// Then run the same measurements on this PostgreSQL database (empty, or filled
        /// by an earlier run at the same scale), so both backends are measured in one run.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
        /// Measure federation instead: two instances over a JetStream server started
        /// here (Debian's nats-server): propagation latency, catch-up after an outage,
        /// memory, beside plain async-nats JetStream as the anchor.
        #[arg(long)]
        federation: bool,
        /// With --federation: released writes timed one by one for the latency.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
        samples: u64,
        /// With --federation: their rate, per second.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
        rate: u64,
        /// With --federation: released writes made while the partner is away.
        #[arg(long, default_value_t = 10_000)]
        backlog: u64,
    },
    /// Coverage of an area of concern on a day: gaps, overlaps, incidents in gaps.
    Coverage {
        /// The area of concern (its id).
        #[arg(long)]
        area: String,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Incidents of this many days up to the day.
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// Coordination line farther than this many km from every area of
        /// responsibility counts as unassigned.
        #[arg(long, default_value_t = 10.0)]
        buffer_km: f64,
    },
    /// Incidents.
    Incidents {
        #[command(subcommand)]
        command: IncidentsCommand,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Make the overdue and due-soon notices of what users follow, and mail what is due
    /// (each notice as it is made, daily digests) through `[mail]`, once; `serve` does
    /// this by itself (scanning hourly, mailing every minute).
    Notify {
        /// Print what would be sent (to whom, subject, body); send and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Federation with partners' instances (`[federation]` in the configuration).
    Federation {
        #[command(subcommand)]
        command: FederationCommand,
    },
    /// Configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Draft records from a news report (.txt or .html): engagements, commitments,
    /// incidents and figures as JSON, each citing its sentence. Matched against the
    /// database's registry, or a dataset file's with --registry. Nothing is written.
    #[command(args_conflicts_with_subcommands = true)]
    Intake {
        #[command(subcommand)]
        command: Option<IntakeCommand>,
        /// The report.
        file: Option<PathBuf>,
        /// When it was published: YYYY-MM-DD (or YYYY-MM, YYYY, A/B when only that is
        /// known). Dates in the text are resolved against it.
        #[arg(long)]
        published: Option<String>,
        #[arg(long)]
        publisher: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        url: Option<String>,
        /// en, ar or ckb (read from the text when absent).
        #[arg(long)]
        language: Option<String>,
        /// Match against this dataset file (`hawkari export`, demo/dataset.json) instead
        /// of the database.
        #[arg(long, value_name = "FILE")]
        registry: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum IntakeCommand {
    /// Precision and recall of the drafts per field against the labelled set
    /// (data/intake/gold), matched against the demo dataset's registry.
    Eval {
        /// The workspace root the gold files' report paths are relative to (default: the
        /// source tree the binary was built from, else the current directory).
        #[arg(long)]
        root: Option<PathBuf>,
        /// The folder of gold files (default: ROOT/data/intake/gold).
        #[arg(long)]
        gold: Option<PathBuf>,
        /// Match against this dataset file instead of the demo dataset.
        #[arg(long, value_name = "FILE")]
        registry: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum IncidentsCommand {
    /// Import incidents from CSV or GeoJSON; bad rows are reported with line (or feature),
    /// column and reason, good rows are stored, and importing the same file again adds no
    /// duplicates. Exits non-zero when any row was rejected.
    Import {
        /// acled, ucdp, mapped (with --mapping) or geojson.
        #[arg(long)]
        format: String,
        /// For --format mapped: a JSON file naming the columns (see README).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The organisation that owns the imported incidents.
        #[arg(long)]
        owner: String,
        /// Release to these organisations too (repeatable).
        #[arg(long)]
        release_to: Vec<String>,
        /// Release to all partners.
        #[arg(long)]
        all_partners: bool,
        /// Store incidents whose point lies outside Iraq (with no admin units and a
        /// warning each) instead of rejecting them.
        #[arg(long)]
        allow_outside_iraq: bool,
        /// Read and check the whole file, print the first rows as they would be stored
        /// and every problem, and write nothing (the database is not opened).
        #[arg(long)]
        dry_run: bool,
        /// With --dry-run: how many rows to print.
        #[arg(long, default_value_t = 5, requires = "dry_run")]
        show: usize,
        file: PathBuf,
    },
    /// Export every incident as GeoJSON or as CSV with an HXL hashtag row.
    Export {
        /// geojson or csv.
        #[arg(long, default_value = "geojson")]
        format: String,
        /// The file to write (stdout if none).
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; prints a generated password unless one is piped in.
    Create {
        /// Lower-case letters, digits, `.`, `-`, `_`.
        #[arg(long)]
        username: String,
        /// The organisation the user acts for (its id).
        #[arg(long)]
        organisation: String,
        /// viewer, editor, org_admin or system_admin.
        #[arg(long, default_value = "editor")]
        role: String,
        /// A system administrator (same as --role system_admin).
        #[arg(long)]
        admin: bool,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (printed, or read from standard input); unlocks the account.
    ResetPassword {
        #[arg(long)]
        username: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
}

#[derive(Debug, Subcommand)]
enum FederationCommand {
    /// Print the outbox's backlog and age, the copies each partner holds, the events
    /// received from each, and the events waiting for this instance on the NATS server.
    Status,
    /// Compare digests with each partner (which must be running `hawkari serve`): what
    /// this instance should have sent it against what it holds, and the other way round;
    /// names every difference and fails if there is one.
    Verify,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain; names every altered, removed, inserted or reordered entry.
    Verify {
        /// A head saved earlier by `audit head` (`SEQ:HASH`, or a file holding it):
        /// entries cut off the end, or rewritten up to it, are found too.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Print the chain's head as `SEQ:HASH`: keep it outside this database (give it to
    /// partners, store it with backups) and check against it with `audit verify --anchor`.
    Head,
    /// Write the audit log as JSON lines, oldest first.
    Export {
        /// The file to write (default: standard output).
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Bring the database schema up to date.
    Migrate,
    /// Copy a whole database to another (e.g. SQLite to PostgreSQL), then verify every
    /// table by count and checksum. Run it again after an interruption: it resumes.
    Copy {
        /// The database to read, e.g. sqlite://hawkari.db.
        #[arg(long)]
        from: String,
        /// The database to write, e.g. postgres://hawkari@db-host/hawkari.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Fill the database with a synthetic dataset (for benchmarks).
    Generate {
        /// Engagements (with commitments); 100 000 if neither this nor --incidents is given.
        #[arg(long)]
        engagements: Option<u64>,
        /// Incidents at points inside Iraq's outline.
        #[arg(long)]
        incidents: Option<u64>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Load the demo dataset from the reports (same as `serve --demo` on an empty database).
    Load,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented configuration file with the defaults.
    PrintDefault,
    /// Print the configuration in force (passwords hidden).
    Show,
}

/// A password from the first line of standard input, or a generated one (and whether it was).
fn read_or_generate_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((hawkari_app::auth::random_token()[..24].to_owned(), true))
    }
}

/// Opens and migrates the configured database.
async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    open_url(config, &config.database.url).await
}

/// Opens and migrates the database at `url` with the configured pool and timeouts.
async fn open_url(config: &Config, url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store = hawkari_store::open_with(
        url,
        config.database.max_connections,
        std::time::Duration::from_secs(config.database.statement_timeout_secs),
    )
    .await
    .with_context(|| format!("database {}", crate::config::redact(url)))?;
    store
        .migrate()
        .await
        .with_context(|| format!("migrating the database {}", crate::config::redact(url)))?;
    Ok(store)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref(), std::env::vars())?;
    if let Some(url) = cli.database_url {
        config.database.url = url;
    }
    match cli.command {
        Command::Config {
            command: ConfigCommand::PrintDefault,
        } => {
            print!("{DEFAULT_TOML}");
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Show,
        } => {
            println!("{config:#?}");
            Ok(())
        }
        Command::Intake {
            command:
                Some(IntakeCommand::Eval {
                    root,
                    gold,
                    registry,
                }),
            ..
        } => {
            let registry = match registry {
                Some(f) => intake::registry_file(&f)?,
                None => intake::demo_registry(),
            };
            intake::eval(&intake::workspace_root(root), gold, &registry)
        }
        Command::Intake {
            command: None,
            file,
            published,
            publisher,
            title,
            url,
            language,
            registry,
        } => {
            let Some(file) = file else {
                anyhow::bail!("name the report: hawkari intake FILE --published YYYY-MM-DD");
            };
            let Some(published) = published else {
                anyhow::bail!("--published: when the report was published, YYYY-MM-DD");
            };
            let req = hawkari_app::intake::IntakeRequest {
                text: intake::read_report(&file)?,
                published,
                publisher,
                title,
                url,
                language,
            };
            let registry = match registry {
                Some(f) => intake::registry_file(&f)?,
                None => {
                    let app = App::new(open_store(&config).await?);
                    app.intake_registry(&hawkari_app::Principal::system("cli"))
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?
                }
            };
            intake::print_drafts(&req, &registry)
        }
        Command::Serve { bind, demo } => {
            if let Some(b) = bind {
                config.server.bind = b;
            }
            let authz = config.authorizer().context("the authorisation policies")?;
            let app = App::with_policies(open_store(&config).await?, authz);
            serve::run(app, &config, demo).await
        }
        Command::Notify { dry_run } => {
            let authz = config.authorizer().context("the authorisation policies")?;
            let app = App::with_policies(open_store(&config).await?, authz);
            let report =
                hawkari_http::mail::run_pass(&app, config.mail.as_ref(), dry_run, true).await?;
            if dry_run {
                for m in &report.mails {
                    println!("{m}");
                }
                println!(
                    "dry run: {} notice(s) would be made and {} mail(s) sent; nothing was sent or written",
                    report.notices_made,
                    report.mails.len()
                );
                return Ok(());
            }
            if config.mail.is_none() {
                eprintln!("no [mail] settings: notices are in the web only, nothing was mailed");
            }
            println!(
                "{} notice(s) made, {} mail(s) sent",
                report.notices_made, report.sent
            );
            if report.failed > 0 {
                anyhow::bail!("{} mail(s) could not be sent (see the log)", report.failed);
            }
            Ok(())
        }
        Command::Db {
            command: DbCommand::Migrate,
        } => {
            open_store(&config).await?;
            eprintln!(
                "database {} is up to date",
                crate::config::redact(&config.database.url)
            );
            Ok(())
        }
        Command::Db {
            command: DbCommand::Copy { from, to },
        } => {
            let source = open_url(&config, &from).await?;
            let target = open_url(&config, &to).await?;
            data::copy(&*source, &*target, &crate::config::redact(&to)).await
        }
        Command::Import { file } => {
            data::import(&App::new(open_store(&config).await?), &file).await
        }
        Command::Export { file } => {
            data::export(&App::new(open_store(&config).await?), file.as_deref()).await
        }
        Command::Demo {
            command: DemoCommand::Load,
        } => data::load_demo(
            &App::new(open_store(&config).await?),
            config.federation.as_ref(),
        )
        .await
        .map(|_| ()),
        Command::Demo {
            command:
                DemoCommand::Generate {
                    engagements,
                    incidents,
                    seed,
                },
        } => {
            let (engagements, incidents) = match (engagements, incidents) {
                (None, None) => (100_000, 0),
                (e, i) => (e.unwrap_or(0), i.unwrap_or(0)),
            };
            data::generate(
                &App::new(open_store(&config).await?),
                engagements,
                incidents,
                seed,
            )
            .await
        }
        Command::User { command } => {
            let app = App::new(open_store(&config).await?);
            match command {
                UserCommand::Create {
                    username,
                    organisation,
                    role,
                    admin,
                    password_stdin,
                } => {
                    let role = if admin {
                        Role::SystemAdmin
                    } else {
                        role.parse().map_err(anyhow::Error::msg)?
                    };
                    let org = organisation
                        .parse()
                        .map_err(|m: String| anyhow::anyhow!("--organisation: {m}"))?;
                    let (password, generated) = read_or_generate_password(password_stdin)?;
                    let user = app
                        .create_user(
                            &hawkari_app::Principal::system("cli"),
                            &username,
                            &org,
                            role,
                            &password,
                        )
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!(
                        "created {} ({}, {})",
                        user.username,
                        user.role.as_str(),
                        user.organisation_id
                    );
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(())
                }
                UserCommand::ResetPassword {
                    username,
                    password_stdin,
                } => {
                    let (password, generated) = read_or_generate_password(password_stdin)?;
                    app.reset_password(
                        &hawkari_app::Principal::system("cli"),
                        &username,
                        &password,
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("new password set for {username}; its sessions have ended");
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(())
                }
                UserCommand::List => {
                    for u in app.store().list_users().await? {
                        println!(
                            "{:<28} {:<13} {}{}",
                            u.username,
                            u.role.as_str(),
                            u.organisation_id,
                            if u.disabled { " (disabled)" } else { "" }
                        );
                    }
                    Ok(())
                }
            }
        }
        Command::Coverage {
            area,
            date,
            days,
            buffer_km,
        } => {
            let app = App::new(open_store(&config).await?);
            let r = app
                .coverage(
                    &hawkari_app::Principal::system("cli"),
                    &area,
                    date,
                    days,
                    buffer_km,
                )
                .await
                .map_err(|e| anyhow::anyhow!("area `{area}`: {e}"))?;
            let f = &r.coverage.figures;
            println!(
                "coverage of {area} on {date} ({} areas of responsibility in force)",
                r.responsibilities
            );
            println!("  area            {:>12.0} km²", f.area_km2);
            println!(
                "  gaps            {:>12.0} km²  ({:.1} % of the area)",
                f.gap_km2,
                f.gap_share * 100.0
            );
            println!(
                "  overlaps        {:>12.0} km²  (forces without a joint mechanism)",
                f.overlap_km2
            );
            println!(
                "  incidents       {:>12}      in the {days} days to {date}; {} in gaps ({:.1} %)",
                f.incidents,
                f.incidents_in_gaps,
                f.incidents_in_gaps_share * 100.0
            );
            println!(
                "  line            {:>12.0} km   of coordination line ({} in force); {:.0} km with no unit within {} km",
                f.line_km, r.lines, f.line_unassigned_km, f.buffer_km
            );
            Ok(())
        }
        Command::Incidents {
            command: IncidentsCommand::Export { format, file },
        } => {
            let app = App::new(open_store(&config).await?);
            data::export_incidents(&app, &format, file.as_deref()).await
        }
        Command::Incidents {
            command:
                IncidentsCommand::Import {
                    format,
                    mapping,
                    owner,
                    release_to,
                    all_partners,
                    allow_outside_iraq,
                    dry_run,
                    show,
                    file,
                },
        } => {
            let args = incident_import::ImportArgs {
                format: &format,
                mapping: mapping.as_deref(),
                owner: &owner,
                release_to: &release_to,
                all_partners,
                options: hawkari_app::incident_import::ImportOptions { allow_outside_iraq },
                file: &file,
            };
            if dry_run {
                return incident_import::dry_run(&args, show);
            }
            let app = App::new(open_store(&config).await?);
            incident_import::import(&app, &args).await
        }
        Command::Federation {
            command: FederationCommand::Verify,
        } => {
            let Some(settings) = &config.federation else {
                anyhow::bail!(
                    "federation is not configured: set [federation] nats_url and organisation \
                     (or HAWKARI_FEDERATION__NATS_URL and HAWKARI_FEDERATION__ORGANISATION)"
                );
            };
            let app = App::new(open_store(&config).await?);
            let report = hawkari_app::federation::digest::verify(&app, settings).await?;
            print!("{}", report.text);
            if report.differences > 0 || report.unanswered > 0 {
                anyhow::bail!(
                    "{} difference(s); {} partner(s) not compared",
                    report.differences,
                    report.unanswered
                );
            }
            Ok(())
        }
        Command::Federation {
            command: FederationCommand::Status,
        } => {
            let Some(settings) = &config.federation else {
                anyhow::bail!(
                    "federation is not configured: set [federation] nats_url and organisation \
                     (or HAWKARI_FEDERATION__NATS_URL and HAWKARI_FEDERATION__ORGANISATION)"
                );
            };
            let app = App::new(open_store(&config).await?);
            let status = hawkari_app::federation::status::status(&app, settings).await?;
            println!(
                "federating as {} through {}",
                settings.organisation, settings.nats_url
            );
            println!("{status}");
            Ok(())
        }
        Command::Audit { command } => {
            let app = App::new(open_store(&config).await?);
            match command {
                AuditCommand::Verify { anchor } => {
                    let anchor = anchor.as_deref().map(read_anchor).transpose()?;
                    let report = app.verify_audit(anchor.as_ref(), |_| {}).await?;
                    if report.breaks.is_empty() {
                        let head = report.head.map_or("empty".to_owned(), |h| h.to_string());
                        match &anchor {
                            Some(a) => println!(
                                "the audit log is intact: {} entries, each chained to the one before; it holds the anchor {a}; head {head}",
                                report.checked
                            ),
                            None => println!(
                                "the audit log is intact: {} entries, each chained to the one before; head {head}",
                                report.checked
                            ),
                        }
                        return Ok(());
                    }
                    for b in &report.breaks {
                        eprintln!("entry {}: {}", b.seq, b.reason);
                    }
                    anyhow::bail!(
                        "the audit log is broken at {} place(s) among {} entries (first at entry {})",
                        report.breaks.len(),
                        report.checked,
                        report.breaks[0].seq
                    )
                }
                AuditCommand::Head => {
                    println!("{}", app.audit_head().await?);
                    Ok(())
                }
                AuditCommand::Export { file } => data::export_audit(&app, file.as_deref()).await,
            }
        }
        Command::Bench {
            engagements,
            iterations,
            incidents,
            import_rows,
            load_seconds,
            postgres,
            federation,
            samples,
            rate,
            backlog,
        } => {
            if federation {
                let plan = bench_federation::Plan {
                    samples,
                    rate,
                    backlog,
                };
                return Box::pin(bench_federation::run(config, plan)).await;
            }
            let url_given = config.database.url != Config::default().database.url;
            let mut runs = vec![(config.clone(), url_given)];
            if let Some(url) = postgres {
                let mut pg = config.clone();
                pg.database.url = url;
                runs.push((pg, true));
            }
            for (config, url_given) in runs {
                let backend = if config.database.url.starts_with("postgres") && url_given {
                    "PostgreSQL"
                } else {
                    "SQLite"
                };
                println!("\n# Backend: {backend}\n");
                match incidents {
                    Some(n) => {
                        bench::spatial(config, url_given, n, iterations, import_rows).await?
                    }
                    None => {
                        bench::run(config, url_given, engagements, iterations, load_seconds).await?
                    }
                }
            }
            Ok(())
        }
    }
}

/// An audit anchor given on the command line, or the file holding one.
fn read_anchor(value: &str) -> anyhow::Result<hawkari_app::audit::AuditAnchor> {
    let text = if value.contains(':') {
        value.to_owned()
    } else {
        std::fs::read_to_string(value)
            .with_context(|| format!("cannot read the anchor file {value}"))?
    };
    text.parse().map_err(|e: String| anyhow::anyhow!(e))
}
