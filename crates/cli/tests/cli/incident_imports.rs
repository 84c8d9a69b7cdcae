//! `hawkari incidents import` as a new user runs it: every row accounted for with its
//! line, a dry run that writes nothing, problems said once with their counts, and the
//! exit status — on SQLite, and on PostgreSQL when `HAWKARI_TEST_DATABASE_URL` is set.

use super::{PgDatabase, hawkari, psql};

/// Runs `hawkari` with `--database-url url` when one is given.
fn on(dir: &tempfile::TempDir, url: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = match url {
        Some(u) => vec!["--database-url", u],
        None => vec![],
    };
    all.extend_from_slice(args);
    hawkari(dir, &all)
}

/// The number of incidents the database holds (through the command line's export).
fn incidents(dir: &tempfile::TempDir, url: Option<&str>) -> u64 {
    let out = on(
        dir,
        url,
        &["incidents", "export", "--format", "csv", "all.csv"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    err.rsplit("exported ")
        .next()
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{err}"))
}

/// Runs `hawkari incidents import` of `file` (written to the directory as `name`) for the
/// ministry, with `extra` flags; returns the exit status's success and stderr.
pub(super) fn import_incidents(
    dir: &tempfile::TempDir,
    name: &str,
    file: &str,
    format: &str,
    extra: &[&str],
) -> (bool, String) {
    import_on(dir, None, name, file, format, extra).1
}

/// As [`import_incidents`], on the database at `url` (SQLite in `dir` if none); stdout too.
fn import_on(
    dir: &tempfile::TempDir,
    url: Option<&str>,
    name: &str,
    file: &str,
    format: &str,
    extra: &[&str],
) -> (String, (bool, String)) {
    std::fs::write(dir.path().join(name), file).unwrap();
    let mut args = vec!["incidents", "import", "--format", format, "--owner", "mopa"];
    args.extend_from_slice(extra);
    args.push(name);
    let out = on(dir, url, &args);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
    )
}

const MAPPING: &str = r#"{
  "id_prefix": "gtd",
  "date": "date", "date_formats": ["%d/%m/%Y", "%m/%Y"],
  "latitude": "lat", "longitude": "lon",
  "location_precision": {"column": "precision", "values": {"1": "exact", "2": "near", "3": "district"}},
  "event_type": "attack_type",
  "types": {"Bombing/Explosion": "ied", "Armed Assault": "hit_and_run"},
  "type_rules": [{"when": {"attack_type": "Bombing/Explosion", "suicide": "1"}, "type": "suicide_bombing"}],
  "fatalities": "killed", "wounded": "wounded", "place_name": "city", "narrative": "summary",
  "governorate": "governorate"
}"#;

/// A spreadsheet's export, CRLF, no id column: 8 rows (line 4's cell runs to line 5), of which line 6 (`6.5` killed) and
/// lines 7 and 8 (a type the mapping does not list) cannot be imported, and a row at line
/// 9 whose quote is never closed must not take line 10 with it.
fn gtd_file() -> String {
    [
        "date,governorate,city,lat,lon,precision,attack_type,suicide,killed,wounded,summary",
        "14/03/2015,Dihok,Zakho,37.14,42.68,1,Bombing/Explosion,1,6.0,\"1,200\",Checkpoint",
        "15/03/2015,At Tamim,Kirkuk,35.46,44.39,2,Bombing/Explosion,0,٣,,Roadside bomb",
        "16/03/2015,Salahuddin,Tuz,34.88,44.63,3,Armed Assault,0,2,1,\"Two\r\nlines\"",
        "17/03/2015,Kirkuk,Kirkuk,35.46,44.39,1,Armed Assault,0,6.5,,Half",
        "18/03/2015,Kirkuk,Kirkuk,35.46,44.39,1,Hijacking,0,0,0,Unlisted",
        "19/03/2015,Kirkuk,Kirkuk,35.47,44.39,1,Hijacking,0,0,0,Unlisted again",
        "20/03/2015,Narnia,Mosul,36.34,43.13,1,Armed Assault,0,1,0,\"never closed",
        "03/2015,Narnia,Mosul,36.35,43.13,1,Armed Assault,0,0,0,Month only",
    ]
    .join("\r\n")
}

/// The whole story on one backend: a dry run that changes nothing, the import, the
/// import again.
fn a_new_user_s_import_on(dir: &tempfile::TempDir, url: Option<&str>) {
    assert!(on(dir, url, &["demo", "load"]).status.success());
    std::fs::write(dir.path().join("gtd.json"), MAPPING).unwrap();
    let before = incidents(dir, url);
    // The SQLite database's files, byte for byte (the export above wrote its audit entry).
    let files = || -> Vec<Option<Vec<u8>>> {
        ["hawkari.db", "hawkari.db-wal"]
            .iter()
            .map(|f| std::fs::read(dir.path().join(f)).ok())
            .collect()
    };
    let bytes_before = url.is_none().then(files);
    let mapped = ["--mapping", "gtd.json", "--dry-run", "--show", "3"];
    let (stdout, (ok, err)) = import_on(dir, url, "gtd.csv", &gtd_file(), "mapped", &mapped);
    assert!(!ok, "rows would be rejected: the status says so: {err}");
    // The first rows as they would be stored, one JSON object a line.
    let shown: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown.len(), 3, "{stdout}");
    assert_eq!(shown[0]["line"], 2);
    assert_eq!(shown[0]["incident"]["type"], "suicide_bombing");
    assert_eq!(shown[0]["incident"]["casualties"][0]["killed"]["best"], 6);
    assert_eq!(
        shown[0]["incident"]["casualties"][0]["injured"]["best"],
        1200
    );
    assert_eq!(shown[0]["incident"]["admin_units"]["governorate"], "IQG09");
    assert!(shown[0]["id"].as_str().unwrap().starts_with("gtd-row-"));
    assert_eq!(shown[1]["incident"]["casualties"][0]["killed"]["best"], 3);
    assert_eq!(shown[2]["line"], 4);
    assert_eq!(shown[2]["incident"]["narrative"], "Two\nlines");
    assert!(
        err.contains("  line 6: killed: `6.5` is not a whole number\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "  lines 7, 8 (2 rows): attack_type: `Hijacking` is not in the mapping's types"
        ),
        "{err}"
    );
    assert_eq!(err.matches("Hijacking").count(), 1, "said once: {err}");
    assert!(
        err.contains("  line 9: summary: a quote opened in this cell"),
        "{err}"
    );
    assert!(
        err.contains("not in the gazetteer: governorate `Narnia` (1 row, first at line 10)"),
        "{err}"
    );
    assert!(
        err.contains("dry run, nothing written: read 8, would store or update 4, would reject 4"),
        "{err}"
    );
    if let Some(bytes) = bytes_before {
        assert!(files() == bytes, "the database's files are untouched");
    }
    assert_eq!(incidents(dir, url), before, "a dry run writes nothing");

    let (_, (ok, err)) = import_on(dir, url, "gtd.csv", &gtd_file(), "mapped", &mapped[..2]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("read 8, stored 4, updated 0, unchanged 0, rejected 4"),
        "{err}"
    );
    assert_eq!(err.matches("Hijacking").count(), 1, "said once: {err}");
    assert_eq!(incidents(dir, url), before + 4);
    let (_, (ok, err)) = import_on(dir, url, "gtd.csv", &gtd_file(), "mapped", &mapped[..2]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("read 8, stored 0, updated 0, unchanged 4, rejected 4"),
        "{err}"
    );
    assert_eq!(incidents(dir, url), before + 4, "a re-import adds nothing");

    // A mapped column the file does not have: one error, before any row.
    let wrong = MAPPING.replace(r#""fatalities": "killed""#, r#""fatalities": "deaths""#);
    std::fs::write(dir.path().join("wrong.json"), wrong).unwrap();
    let (_, (ok, err)) = import_on(
        dir,
        url,
        "gtd.csv",
        &gtd_file(),
        "mapped",
        &["--mapping", "wrong.json"],
    );
    assert!(!ok);
    assert!(
        err.contains("mapping.fatalities: the column `deaths` is not in the file's header (line 1: date, governorate"),
        "{err}"
    );
    assert!(!err.contains("read "), "no row was read: {err}");
    assert_eq!(incidents(dir, url), before + 4);
}

#[test]
fn a_new_user_s_mapped_import_dry_run_import_and_reimport_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    a_new_user_s_import_on(&dir, None);
}

#[test]
fn a_new_user_s_mapped_import_dry_run_import_and_reimport_on_postgresql() {
    let Some(db) = PgDatabase::create("mapped_import") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    a_new_user_s_import_on(&dir, Some(&db.url));
    let stored: u64 = psql(
        &db.url,
        "SELECT count(*) FROM incidents WHERE id LIKE 'gtd-row-%'",
    )
    .trim()
    .parse()
    .unwrap();
    assert_eq!(stored, 4);
}

#[test]
fn an_incident_import_with_rejected_rows_exits_non_zero_and_its_counts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hawkari(&dir, &["demo", "load"]).status.success());
    // Feature 1 has two problems (one row, two reasons); feature 2 is good.
    let file = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "c1", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]},
       "properties": {"type": "ied", "when": "2025-10-01",
                      "casualties": [{"party": "civilians", "killed": {"low": 5, "best": 2, "high": 3}}],
                      "sources": [{"publisher": "X", "title": "Y", "reliability": "B", "credibility": 7}]}},
      {"type": "Feature", "id": "c2", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]}, "properties": {"type": "ied", "when": "2025-10-01"}}
    ]}"#;
    let (ok, err) = import_incidents(&dir, "mixed.geojson", file, "geojson", &[]);
    assert!(!ok, "a rejected row fails the command: {err}");
    assert!(err.contains("feature 1: casualties[0].killed"), "{err}");
    assert!(err.contains("feature 1: sources[0].credibility"), "{err}");
    assert!(
        err.contains("read 2, stored 1, updated 0, unchanged 0, rejected 1"),
        "{err}"
    );
    // Every row good (the same file again, without its bad feature): success.
    let good = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "c2", "geometry": {"type": "Point", "coordinates": [44.39, 35.46]}, "properties": {"type": "ied", "when": "2025-10-01"}}
    ]}"#;
    let (ok, err) = import_incidents(&dir, "good.geojson", good, "geojson", &[]);
    assert!(ok, "{err}");
    assert!(
        err.contains("read 1, stored 0, updated 0, unchanged 1, rejected 0"),
        "{err}"
    );
}

#[test]
fn a_broken_quote_in_a_crlf_csv_is_named_by_its_line_and_points_abroad_need_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hawkari(&dir, &["demo", "load"]).status.success());
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";
    let row = |id: &str, lat: &str, lon: &str, notes: &str| {
        format!(
            "{id},2025-09-14,2025,1,Political violence,Battles,Armed clash,X,Y,Kirkuk,Kirkuk,Kirkuk,{lat},{lon},1,K24,{notes},0"
        )
    };
    let file = [
        header.to_owned(),
        row("IRQ8001", "35.46", "44.39", "\"never closed"),
        row("IRQ8002", "35.46", "44.39", "good"),
        row("IRQ8003", "36.2", "37.15", "Aleppo"),
    ]
    .join("\r\n");
    let (ok, err) = import_incidents(&dir, "acled.csv", &file, "acled", &[]);
    assert!(!ok, "{err}");
    assert!(err.contains("line 2: notes: "), "{err}");
    assert!(
        err.contains("line 4: latitude, longitude: (36.2, 37.15) is outside Iraq"),
        "{err}"
    );
    assert!(
        err.contains("read 3, stored 1, updated 0, unchanged 0, rejected 2"),
        "{err}"
    );
    let only_abroad = [header.to_owned(), row("IRQ8003", "36.2", "37.15", "Aleppo")].join("\r\n");
    let (ok, err) = import_incidents(
        &dir,
        "abroad.csv",
        &only_abroad,
        "acled",
        &["--allow-outside-iraq"],
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("warning: line 2: latitude, longitude: (36.2, 37.15) is outside Iraq"),
        "{err}"
    );
    assert!(
        err.contains("read 1, stored 1, updated 0, unchanged 0, rejected 0"),
        "{err}"
    );
}
