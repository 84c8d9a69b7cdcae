//! `hawkari bench`: fills a database with a synthetic dataset (if it is empty), then times
//! the API's list, search and history requests in process — routing, query, JSON and all,
//! without the network — and prints median and 95th-percentile times and query plans.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hawkari_app::App;
use hawkari_http::HttpConfig;
use tower::ServiceExt;

use crate::config::Config;

/// The requests measured: every list and search endpoint, with typical filters.
fn cases(engagements: u64) -> Vec<(&'static str, String)> {
    let scale = hawkari_app::synthetic::Scale {
        engagements,
        seed: 7,
    };
    let person = format!("syn-person-{:06}", scale.people() / 2);
    let leaf = format!("syn-org-{:05}", scale.organisations() - 1);
    vec![
        (
            "engagements, first page",
            "/api/v1/engagements?limit=50".into(),
        ),
        (
            "engagements with a person",
            format!("/api/v1/engagements?person_id={person}"),
        ),
        (
            "engagements of an organisation tree (root)",
            "/api/v1/engagements?organisation_id=syn-org-00001".into(),
        ),
        (
            "engagements of a leaf organisation",
            format!("/api/v1/engagements?organisation_id={leaf}"),
        ),
        (
            "engagements by topic",
            "/api/v1/engagements?topic=election-security".into(),
        ),
        (
            "engagements in a quarter",
            "/api/v1/engagements?from=2020-01&to=2020-03".into(),
        ),
        (
            "engagements, text (Latin)",
            "/api/v1/engagements?q=barzani".into(),
        ),
        (
            "engagements, text (Arabic variant)",
            "/api/v1/engagements?q=%D8%A8%D8%A7%D8%B1%D8%B2%D8%A7%D9%86%DB%8C".into(),
        ),
        (
            "engagements, text + topic + range",
            "/api/v1/engagements?q=karim&topic=training&from=2019&to=2022".into(),
        ),
        (
            "commitments, overdue",
            "/api/v1/commitments?overdue=true".into(),
        ),
        (
            "commitments, open, of an organisation tree",
            "/api/v1/commitments?status=open&responsible_org_id=syn-org-00002".into(),
        ),
        ("people, text", "/api/v1/people?q=ahmed".into()),
        (
            "organisations, text",
            "/api/v1/organisations?q=command".into(),
        ),
        ("person history", format!("/api/v1/people/{person}/history")),
        (
            "organisation commitments",
            "/api/v1/organisations/syn-org-00003/commitments".into(),
        ),
    ]
}

pub async fn run(
    mut config: Config,
    url_given: bool,
    engagements: u64,
    iterations: u64,
    load_seconds: u64,
) -> anyhow::Result<()> {
    // Without a database URL, a scratch database removed when the bench ends.
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    if !url_given {
        config.database.url = format!("sqlite://{}/bench.db", scratch.path().display());
    }
    let app = App::new(super::open_store(&config).await?);
    let counts = app.store().counts().await?;
    if counts.engagements == 0 {
        eprintln!(
            "generating {engagements} engagements into {} …",
            config.database.url
        );
        let started = Instant::now();
        super::data::generate(&app, engagements, 0, 7).await?;
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    } else if counts.engagements != engagements {
        bail!(
            "the database holds {} engagements, not {engagements}; use an empty database",
            counts.engagements
        );
    }
    let counts = app.store().counts().await?;
    let router = hawkari_http::router(app.clone(), &HttpConfig::default());
    let bearer = bench_token(&app).await?;

    println!(
        "# hawkari bench: {} engagements, {} commitments, {} people, {} organisations",
        counts.engagements, counts.commitments, counts.people, counts.organisations
    );
    println!();
    println!("| request | items | median ms | p95 ms |");
    println!("|---|---:|---:|---:|");
    for (name, uri) in cases(engagements) {
        let mut times = Vec::with_capacity(iterations as usize);
        let mut items = 0;
        for i in 0..iterations + 3 {
            let (elapsed, bytes) = timed_get(&router, &bearer, &uri).await?;
            if i >= 3 {
                times.push(elapsed);
            } else if i == 0 {
                items = count_items(&bytes);
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        println!(
            "| {name} `{uri}` | {items} | {:.2} | {:.2} |",
            ms(times[times.len() / 2]),
            ms(p95)
        );
    }
    if load_seconds > 0 {
        println!();
        let before = memory();
        println!(
            "Under load: the router served on loopback by this process, {load_seconds} s per \
             row; each client (hyper's client, one keep-alive connection each) sends the \
             requests above in turn. Memory of this process (the server, with the clients' \
             small share) from /proc/self/status before the load: {}. Peak during each row: \
             VmHWM after the row, its high-water mark reset before it ({}).",
            before.describe(),
            if before.resettable {
                "/proc/self/clear_refs"
            } else {
                "could not be reset here: the peak since the process started"
            }
        );
        println!();
        println!(
            "| clients | requests/s | p50 ms | p99 ms | errors | peak RSS MiB (VmHWM) | RssAnon MiB after |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|");
        let uris: Vec<String> = cases(engagements).into_iter().map(|(_, u)| u).collect();
        for clients in [1, 4, 16] {
            reset_peak_memory();
            let r = super::load::run(router.clone(), &bearer, &uris, clients, load_seconds).await?;
            let after = memory();
            let mib =
                |k: Option<u64>| k.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0));
            println!(
                "| {clients} | {:.0} | {:.2} | {:.2} | {} | {} | {} |",
                r.per_second(),
                r.p50_ms,
                r.p99_ms,
                r.errors,
                mib(after.hwm_kib),
                mib(after.anon_kib)
            );
        }
        println!();
        println!("After the load: {}.", memory().describe());
    }
    println!();
    reverse_geocoding();
    println!();
    println!("## Query plans (EXPLAIN QUERY PLAN)");
    for (query, plan) in app.store().explain().await? {
        let (name, sql) = query.split_once('\n').unwrap_or((&query, ""));
        println!("\n### {name}\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```");
    }
    Ok(())
}

/// An API token of an editor of a top-level synthetic organisation, so the
/// releasability filter is part of every measured query.
async fn bench_token(app: &App) -> anyhow::Result<String> {
    let cli = hawkari_app::Principal::system("bench");
    let username = format!("bench-{}", std::process::id());
    let user = app
        .create_user(
            &cli,
            &username,
            &"syn-org-00001".parse().map_err(anyhow::Error::msg)?,
            hawkari_core::access::Role::Editor,
            "bench-password-long-enough",
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let principal = app
        .principal(user, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (_, secret) = app
        .create_token(&principal, "bench", hawkari_store::TokenScope::Read)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(format!("Bearer {}", secret.0))
}

/// One GET through the whole router (routing, auth, query, JSON), without the network.
async fn timed_get(
    router: &axum::Router,
    bearer: &str,
    uri: &str,
) -> anyhow::Result<(Duration, axum::body::Bytes)> {
    let started = Instant::now();
    let response = router
        .clone()
        .oneshot(
            Request::get(uri)
                .header("authorization", bearer)
                .body(Body::empty())
                .expect("valid request"),
        )
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let elapsed = started.elapsed();
    if status != StatusCode::OK {
        bail!(
            "{uri} answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    Ok((elapsed, bytes))
}

/// This process's resident memory, from `/proc/self/status` (Linux).
#[derive(Debug)]
struct Memory {
    /// VmRSS: resident now.
    rss_kib: Option<u64>,
    /// VmHWM: the most resident since the process started or the mark was reset.
    hwm_kib: Option<u64>,
    /// RssAnon: the heap and stacks, this process's own memory.
    anon_kib: Option<u64>,
    /// RssFile: pages of files mapped, SQLite's memory-mapped database among them (each
    /// connection maps it, and a page mapped by several counts once per mapping).
    file_kib: Option<u64>,
    /// Whether the high-water mark could be reset.
    resettable: bool,
}

impl Memory {
    fn describe(&self) -> String {
        let mib =
            |k: Option<u64>| k.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
        format!(
            "VmRSS {} (RssAnon {}, RssFile {}), VmHWM {}",
            mib(self.rss_kib),
            mib(self.anon_kib),
            mib(self.file_kib),
            mib(self.hwm_kib)
        )
    }
}

fn memory() -> Memory {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Memory {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
        anon_kib: field("RssAnon:"),
        file_kib: field("RssFile:"),
        resettable: std::fs::OpenOptions::new()
            .write(true)
            .open("/proc/self/clear_refs")
            .is_ok(),
    }
}

/// Resets VmHWM to the current VmRSS (Linux ≥ 4.0: "5" to `/proc/self/clear_refs`), so the
/// next reading is the peak of what runs in between.
fn reset_peak_memory() {
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
    {
        let _ = f.write_all(b"5");
    }
}

/// Median and 99th percentile of sorted times, in ms.
fn p50_p99(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    (ms(times[times.len() / 2]), ms(at(99)))
}

/// A small deterministic generator for the benchmark's boxes and windows.
struct Xorshift(u64);

impl Xorshift {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 1_000_000) as f64 / 1e6
    }
}

/// `hawkari bench --incidents N`: the spatial side at scale. Fills an empty database with
/// N synthetic incidents, then measures the map's viewport + time query through the API
/// against SQLite's R*Tree queried bare and against a scan with no spatial index, the
/// CSV import rate, reverse geocoding, and the coverage analysis on the demo areas.
pub async fn spatial(
    mut config: Config,
    url_given: bool,
    incidents: u64,
    iterations: u64,
    import_rows: u64,
) -> anyhow::Result<()> {
    use chrono::{Duration as Days, NaiveDate};
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    if !url_given {
        config.database.url = format!("sqlite://{}/bench.db", scratch.path().display());
    }
    let postgis = config.database.url.starts_with("postgres");
    let app = App::new(super::open_store(&config).await?);
    let counts = app.store().counts().await?;
    if counts.incidents == 0 {
        eprintln!(
            "generating {incidents} incidents into {} …",
            config.database.url
        );
        super::data::generate(&app, 0, incidents, 7).await?;
    } else if counts.incidents < incidents {
        bail!(
            "the database holds {} incidents, fewer than {incidents}; use an empty database",
            counts.incidents
        );
    }
    let counts = app.store().counts().await?;
    let router = hawkari_http::router(app.clone(), &HttpConfig::default());
    let bearer = bench_token(&app).await?;
    // The store list as the same user: releasability included, no HTTP or JSON.
    let reach = app
        .authenticate_token(bearer.trim_start_matches("Bearer "))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .reach;
    println!(
        "# hawkari bench --incidents: {} incidents, {} organisations",
        counts.incidents, counts.organisations
    );
    println!();
    println!(
        "Viewport + time window, newest 500 at most, {iterations} random boxes each. Points: \
         `GET /api/v1/incident-points?bbox=…&from=…&to=…&limit=500` (what the map draws: \
         id, type, start, read from the indexes); GeoJSON: `GET /api/v1/incidents.geojson` \
         with the same query (whole records); both through the router (auth, \
         releasability, JSON). Store list: the records through the store, no HTTP. R*Tree: the same box and window straight to SQLite's \
         R*Tree module. Scan: the same query reading every row's point (no spatial index; \
         {} runs).",
        iterations.min(5)
    );
    println!();
    println!(
        "| view | items (mean) | points p50 ms | points p99 ms | GeoJSON p50 ms | GeoJSON p99 ms | store list p50 ms | R*Tree p50 ms | R*Tree p99 ms | scan p50 ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let first = NaiveDate::from_ymd_opt(2018, 3, 1).expect("valid");
    for (name, width, height, days) in [
        ("a district (0.5° × 0.4°), 90 days", 0.5, 0.4, 90),
        ("a governorate (2° × 1.5°), 1 year", 2.0, 1.5, 365),
        ("all of Iraq (10° × 8.5°), 1 year", 10.0, 8.5, 365),
    ] {
        let (mut api, mut rtree, mut scan) = (Vec::new(), Vec::new(), Vec::new());
        let (mut listed, mut points) = (Vec::new(), Vec::new());
        let mut items = 0usize;
        for i in 0..iterations + 3 {
            let (cx, cy) = (42.0 + rng.unit() * 4.5, 33.5 + rng.unit() * 3.5);
            let bbox = if width >= 10.0 {
                [38.79, 29.06, 48.57, 37.38]
            } else {
                [
                    cx - width / 2.0,
                    cy - height / 2.0,
                    cx + width / 2.0,
                    cy + height / 2.0,
                ]
            };
            let to = first + Days::days((rng.unit() * 2500.0) as i64);
            let from = to - Days::days(days);
            let uri = format!(
                "/api/v1/incidents.geojson?bbox={:.4},{:.4},{:.4},{:.4}&from={from}&to={to}&limit=500",
                bbox[0], bbox[1], bbox[2], bbox[3]
            );
            let (elapsed, bytes) = timed_get(&router, &bearer, &uri).await?;
            let points_uri = uri.replace("/incidents.geojson?", "/incident-points?");
            let (points_elapsed, _) = timed_get(&router, &bearer, &points_uri).await?;
            let (from_t, to_t) = (format!("{from}T00:00:00Z"), format!("{to}T23:59:59Z"));
            let started = Instant::now();
            let bare = app
                .store()
                .viewport_baseline(bbox, &from_t, &to_t, 500, true)
                .await?;
            let bare_elapsed = started.elapsed();
            let filter = hawkari_store::IncidentFilter {
                from: from.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                to: to.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
                bbox: Some(bbox),
                ..Default::default()
            };
            let started = Instant::now();
            app.store()
                .list_incidents(&reach, &filter, &hawkari_store::PageRequest::first(500))
                .await?;
            let list_elapsed = started.elapsed();
            if i < 3 {
                continue;
            }
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            items += v["features"].as_array().map_or(0, Vec::len);
            api.push(elapsed);
            points.push(points_elapsed);
            rtree.push(bare_elapsed);
            listed.push(list_elapsed);
            let _ = bare;
            if scan.len() < 5 {
                let started = Instant::now();
                app.store()
                    .viewport_baseline(bbox, &from_t, &to_t, 500, false)
                    .await?;
                scan.push(started.elapsed());
            }
        }
        let (a50, a99) = p50_p99(&mut api);
        let (r50, r99) = p50_p99(&mut rtree);
        let (s50, _) = p50_p99(&mut scan);
        let (l50, _) = p50_p99(&mut listed);
        let (p50, p99) = p50_p99(&mut points);
        println!(
            "| {name} | {} | {p50:.2} | {p99:.2} | {a50:.2} | {a99:.2} | {l50:.2} | {r50:.2} | {r99:.2} | {s50:.0} |",
            items / iterations as usize
        );
    }
    println!();
    clusters(&app, &router, &bearer, iterations, postgis).await?;
    println!();
    reverse_geocoding();
    println!();
    import_rate(&app, import_rows, scratch.path(), postgis).await?;
    println!();
    coverage_time(iterations, scratch.path()).await?;
    Ok(())
}

/// The map's clusters at three scales through the router (auth, releasability, JSON),
/// beside the same count per grid cell done by the database (PostGIS `ST_SnapToGrid` +
/// `GROUP BY`, or SQLite's R*Tree + `GROUP BY`), with no releasability, in the same run.
async fn clusters(
    app: &App,
    router: &axum::Router,
    bearer: &str,
    iterations: u64,
    postgis: bool,
) -> anyhow::Result<()> {
    use chrono::{Duration as Days, NaiveDate};
    let started = Instant::now();
    let (_, first_body) = timed_get(
        router,
        bearer,
        "/api/v1/incident-clusters?zoom=6&from=2018-01-01&to=2018-01-02",
    )
    .await?;
    let build = started.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&first_body).unwrap_or_default();
    anyhow::ensure!(v["total"].is_u64(), "the cluster endpoint failed: {v}");
    let backend = if postgis {
        "PostGIS `ST_SnapToGrid(geom, cell)` + `GROUP BY`"
    } else {
        "SQLite's R*Tree + `GROUP BY` cell"
    };
    println!(
        "Clusters: `GET /api/v1/incident-clusters?bbox=…&from=…&to=…&zoom=Z` (every matching \
         incident counted per 64-pixel cell, releasability included, JSON), {iterations} random \
         views each, beside the database's own count per cell of the same size ({backend}, no \
         releasability, no JSON). The in-memory index was built on the first request in \
         {:.0} ms.",
        build.as_secs_f64() * 1000.0
    );
    println!();
    println!(
        "| view | zoom | incidents (mean) | cells (mean) | clusters p50 ms | clusters p99 ms | database p50 ms | database p99 ms | database ÷ clusters |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let first = NaiveDate::from_ymd_opt(2018, 3, 1).expect("valid");
    for (name, width, height, days, zoom) in [
        ("a district (0.5° × 0.4°), 90 days", 0.5, 0.4, 90, 10u8),
        ("a governorate (2° × 1.5°), 1 year", 2.0, 1.5, 365, 8),
        ("all of Iraq (10° × 8.5°), 1 year", 10.0, 8.5, 365, 6),
        ("all of Iraq (10° × 8.5°), 5 years", 10.0, 8.5, 1825, 6),
    ] {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let (mut incidents, mut cells) = (0u64, 0usize);
        let cell = 360.0 / f64::from(1u32 << (u32::from(zoom) + 2));
        for i in 0..iterations + 3 {
            let (cx, cy) = (42.0 + rng.unit() * 4.5, 33.5 + rng.unit() * 3.5);
            let bbox = if width >= 10.0 {
                [38.79, 29.06, 48.57, 37.38]
            } else {
                [
                    cx - width / 2.0,
                    cy - height / 2.0,
                    cx + width / 2.0,
                    cy + height / 2.0,
                ]
            };
            let to = first + Days::days((rng.unit() * 2500.0) as i64);
            let from = to - Days::days(days);
            let uri = format!(
                "/api/v1/incident-clusters?bbox={:.4},{:.4},{:.4},{:.4}&from={from}&to={to}&zoom={zoom}",
                bbox[0], bbox[1], bbox[2], bbox[3]
            );
            let (elapsed, body) = timed_get(router, bearer, &uri).await?;
            let (from_t, to_t) = (format!("{from}T00:00:00Z"), format!("{to}T23:59:59Z"));
            let started = Instant::now();
            let (n_cells, _) = app
                .store()
                .cluster_baseline(bbox, &from_t, &to_t, cell)
                .await?;
            let db_elapsed = started.elapsed();
            if i < 3 {
                continue;
            }
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            incidents += v["total"].as_u64().unwrap_or(0);
            cells += n_cells;
            ours.push(elapsed);
            theirs.push(db_elapsed);
        }
        let (o50, o99) = p50_p99(&mut ours);
        let (t50, t99) = p50_p99(&mut theirs);
        println!(
            "| {name} | {zoom} | {} | {} | {o50:.2} | {o99:.2} | {t50:.2} | {t99:.2} | {:.1}× |",
            incidents / iterations,
            cells / iterations as usize,
            t50 / o50
        );
    }
    Ok(())
}

/// Writes an ACLED-format CSV of `rows` synthetic events and times importing it twice
/// (new events, then all unchanged), beside the database's own bulk load of the same file
/// in the same run ([`hawkari_store::Store::import_baseline`]).
async fn import_rate(
    app: &App,
    rows: u64,
    dir: &std::path::Path,
    postgis: bool,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    if rows == 0 {
        return Ok(());
    }
    let path = dir.join("acled.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(
        out,
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities"
    )?;
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let types = [
        (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        ("Battles", "Armed clash"),
        (
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        ("Strategic developments", "Arrests"),
    ];
    for i in 0..rows {
        let (t, sub) = types[(rng.unit() * 4.0) as usize % 4];
        let day = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).expect("valid")
            + chrono::Duration::days((rng.unit() * 2900.0) as i64);
        writeln!(
            out,
            "BENCH{i},{day},{},1,Political violence,{t},{sub},Islamic State (Iraq),Military Forces of Iraq,,,,{:.4},{:.4},1,Synthetic,Synthetic event {i},{}",
            chrono::Datelike::year(&day),
            33.0 + rng.unit() * 4.0,
            42.0 + rng.unit() * 4.5,
            (rng.unit() * 4.0) as u32
        )?;
    }
    out.flush()?;
    drop(out);
    let release = hawkari_app::incident_import::ImportRelease {
        owner: "syn-org-00001".parse().map_err(anyhow::Error::msg)?,
        releasable_to: vec![],
        groups: vec![hawkari_core::access::ReleaseGroup::AllPartners],
    };
    let cli = hawkari_app::Principal::system("bench");
    let run = |label: &'static str| {
        let path = path.clone();
        let release = release.clone();
        let cli = cli.clone();
        async move {
            let file = std::fs::File::open(&path)?;
            let started = Instant::now();
            let report = app
                .import_incidents(
                    &cli,
                    std::io::BufReader::new(file),
                    &hawkari_app::incident_import::ImportFormat::Acled,
                    &release,
                    // The synthetic box (33–37 N, 42–46.5 E) strays over the border in
                    // places: those rows are stored as before, so that the figures stay
                    // comparable with earlier runs.
                    &hawkari_app::incident_import::ImportOptions {
                        allow_outside_iraq: true,
                    },
                    |_| {},
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "Import, {label}: {} ACLED rows in {secs:.1} s = {:.0} rows/s (stored {}, updated {}, unchanged {}, rejected {})",
                report.read,
                report.read as f64 / secs,
                report.stored,
                report.updated,
                report.unchanged,
                report.rejected_rows
            );
            anyhow::Ok(report.read as f64 / secs)
        }
    };
    let anchor = if postgis {
        "PostgreSQL `COPY … FROM STDIN (FORMAT csv)`"
    } else {
        "SQLite, one prepared `INSERT` a row (as the `sqlite3` shell's `.import`)"
    };
    let bytes = std::fs::read(&path)?;
    let started = Instant::now();
    let loaded = app.store().import_baseline(&bytes).await?;
    let secs = started.elapsed().as_secs_f64();
    let floor = loaded as f64 / secs;
    println!(
        "Anchor, {anchor} of the same file into a fresh table keyed by its first column \
         (every column text, one transaction, no checks): {loaded} rows in {secs:.1} s = {floor:.0} rows/s"
    );
    let new = run("new events").await?;
    let again = run("the same file again (all unchanged)").await?;
    println!(
        "Import ÷ anchor: new events {:.1} %, the same file again {:.1} %",
        100.0 * new / floor,
        100.0 * again / floor
    );
    Ok(())
}

/// The coverage of the demo's disputed districts on 1 October 2025, through the use case
/// (areas and incidents read from the database, then the analysis).
async fn coverage_time(iterations: u64, dir: &std::path::Path) -> anyhow::Result<()> {
    let store = hawkari_store::open(&format!("sqlite://{}/demo.db", dir.display()), 2).await?;
    store.migrate().await?;
    let app = App::new(store);
    super::data::import_demo(&app).await?;
    let cli = hawkari_app::Principal::system("bench");
    let day = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).expect("valid");
    let mut times = Vec::new();
    let mut figures = None;
    for i in 0..iterations + 3 {
        let started = Instant::now();
        let r = app
            .coverage(&cli, "disputed-districts", day, 90, 10.0)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if i >= 3 {
            times.push(started.elapsed());
        }
        figures = Some(r.coverage.figures);
    }
    let (p50, p99) = p50_p99(&mut times);
    if let Some(f) = figures {
        println!(
            "Coverage of the demo's disputed districts (12 districts, 3 areas of responsibility, \
             1 coordination line, {} incidents in 90 days): p50 {p50:.1} ms, p99 {p99:.1} ms \
             (gap {:.1} %, line unassigned {:.0} of {:.0} km)",
            f.incidents,
            f.gap_share * 100.0,
            f.line_unassigned_km,
            f.line_km
        );
    }
    Ok(())
}

/// Reverse geocoding throughput: points spread over Iraq's bounding box, each located to
/// governorate, district and sub-district through the gazetteer's R-tree.
fn reverse_geocoding() {
    let started = Instant::now();
    let g = hawkari_app::geography::gazetteer();
    let build = started.elapsed();
    let n = 200_000u32;
    let (mut inside, mut seed) = (0u32, 0x9e37_79b9_u64);
    let started = Instant::now();
    for _ in 0..n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let lon = 38.8 + (seed % 10_000) as f64 / 10_000.0 * 9.8;
        let lat = 29.1 + ((seed >> 20) % 10_000) as f64 / 10_000.0 * 8.3;
        if g.locate(lon, lat).sub_district.is_some() {
            inside += 1;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "Reverse geocoding: {n} random points in Iraq's bounding box ({inside} inside a sub-district), \
         {:.0} points/s ({:.1} µs each); gazetteer built in {:.0} ms",
        f64::from(n) / secs,
        secs * 1e6 / f64::from(n),
        build.as_secs_f64() * 1000.0
    );
}

fn count_items(body: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let list = |v: &serde_json::Value| v["items"].as_array().map_or(0, Vec::len);
    list(&v) + list(&v["engagements"]) + list(&v["owes"]) + list(&v["owed"])
}
