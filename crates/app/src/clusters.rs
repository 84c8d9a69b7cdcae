//! The map's common picture at any scale: incidents counted per grid cell of the map at a
//! zoom level, for what the reader may read, so that a country view of a year shows every
//! incident as density and a street view shows each one.
//!
//! The counts come from an index kept in memory: every incident's point (and its Web
//! Mercator position), start and end, type, owner and releases, sorted by start. It is
//! read from the store once, then brought up to date before each answer from the audit
//! log, which every write appends to in its own transaction: the incidents written since
//! the index's last entry are read again (all of them after an import's batch). So an
//! answer is never older than the last committed write, on either backend and with any
//! number of servers over one database. Who may read an incident is decided by
//! [`Reach::sees`], the rule the database filter applies and the Cedar policy states.
//! Filters the index cannot answer (words, an actor, an admin unit) are answered by the
//! store's point list, page by page, binned the same way.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use hawkari_core::access::{Reach, ReleaseGroup};
use hawkari_core::ids::OrganisationId;
use hawkari_store::map_index::{IncidentMapRow, IncidentsWritten};
use hawkari_store::{IncidentFilter, PageRequest, Store};

use crate::{AppError, Principal};

/// The side of a grid cell, in pixels of 256-pixel Web Mercator tiles.
pub const CELL_PX: u32 = 64;
/// The deepest zoom level a client may ask for.
pub const MAX_ZOOM: u8 = 22;
/// How many written incidents are read again one by one before the whole index is.
const INCREMENTAL_LIMIT: usize = 20_000;

/// One cell's incidents: how many, where (their mean position on the map; the incident's
/// own point when alone), and the incident when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub lon: f64,
    pub lat: f64,
    pub count: u64,
    pub single: Option<Single>,
}

/// The clusters of a view and how many incidents they hold together.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub clusters: Vec<Cluster>,
    pub total: u64,
    /// Whether the in-memory index answered (false: the store's point list did).
    pub indexed: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    start: i64,
    end: i64,
    lon: f64,
    lat: f64,
    x: f64,
    y: f64,
    ty: u16,
    release: u32,
    id: Arc<str>,
}

/// Who an incident is released to, as [`Reach::sees`] reads it; shared by the many
/// incidents with the same owner and releases.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Release {
    owner: Option<OrganisationId>,
    orgs: Vec<OrganisationId>,
    groups: Vec<ReleaseGroup>,
}

#[derive(Debug, Default)]
struct Built {
    /// The audit log's entry the index is current with.
    seq: i64,
    /// Sorted by start.
    /// Shared between versions of the index when no incident changed between them.
    entries: Arc<Vec<Entry>>,
    /// The longest time an incident lasts, so a window's scan can begin that much before
    /// its start.
    longest: i64,
    types: Vec<String>,
    releases: Vec<Release>,
}

/// The index; one per [`crate::App`], shared by its clones.
#[derive(Debug, Default)]
pub struct ClusterIndex {
    current: RwLock<Option<Arc<Built>>>,
    refresh: tokio::sync::Mutex<()>,
}

/// A point's position on the Web Mercator square, both in 0..1 (y down).
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0))
}

fn unmercator(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
        .sinh()
        .atan()
        .to_degrees();
    (lon, lat)
}

fn instant(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
}

impl Built {
    fn with(mut self, rows: Vec<IncidentMapRow>) -> Self {
        let mut types: HashMap<String, u16> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u16))
            .collect();
        let mut releases: HashMap<Release, u32> = self
            .releases
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), i as u32))
            .collect();
        for row in rows {
            let (Some(start), Some(end)) = (instant(&row.start), instant(&row.end)) else {
                continue;
            };
            let ty = *types.entry(row.incident_type.clone()).or_insert_with(|| {
                self.types.push(row.incident_type.clone());
                (self.types.len() - 1) as u16
            });
            let mut release = Release {
                owner: OrganisationId::try_from(row.owner).ok(),
                orgs: row
                    .releasable_to
                    .into_iter()
                    .filter_map(|o| OrganisationId::try_from(o).ok())
                    .collect(),
                groups: row
                    .groups
                    .into_iter()
                    .filter_map(|g| serde_json::from_value(serde_json::Value::String(g)).ok())
                    .collect(),
            };
            release.orgs.sort();
            release.groups.sort();
            let release = *releases.entry(release.clone()).or_insert_with(|| {
                self.releases.push(release);
                (self.releases.len() - 1) as u32
            });
            let (x, y) = mercator(row.lon, row.lat);
            self.longest = self.longest.max(end - start);
            Arc::make_mut(&mut self.entries).push(Entry {
                start,
                end,
                lon: row.lon,
                lat: row.lat,
                x,
                y,
                ty,
                release,
                id: Arc::from(row.id),
            });
        }
        Arc::make_mut(&mut self.entries).sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        self
    }
}

/// One incident as a cluster of one shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Single {
    pub id: String,
    pub incident_type: String,
    /// When it began (RFC 3339).
    pub start: String,
}

/// A cell's incidents so far: how many, the sums of their map positions (so that a
/// cluster sits at its incidents' mean position), and the first one's point and facts.
struct Cell {
    count: u64,
    sx: f64,
    sy: f64,
    lon: f64,
    lat: f64,
    first: Option<(Arc<str>, u16, i64)>,
}

/// Counts per cell; types are numbered as the index numbers them.
struct Grid {
    cells: HashMap<u64, Cell>,
    n: f64,
}

impl Grid {
    fn new(zoom: u8) -> Self {
        let n = f64::from(1u32 << (u32::from(zoom) + 8)) / f64::from(CELL_PX);
        Self {
            cells: HashMap::new(),
            n,
        }
    }
    fn add(&mut self, x: f64, y: f64, lon: f64, lat: f64, one: (&Arc<str>, u16, i64)) {
        let max = self.n - 1.0;
        let (cx, cy) = ((x * self.n).min(max) as u64, (y * self.n).min(max) as u64);
        let cell = self.cells.entry(cx << 32 | cy).or_insert(Cell {
            count: 0,
            sx: 0.0,
            sy: 0.0,
            lon,
            lat,
            first: None,
        });
        cell.count += 1;
        cell.sx += x;
        cell.sy += y;
        if cell.count == 1 {
            cell.first = Some((one.0.clone(), one.1, one.2));
        }
    }
    fn finish(self, types: &[String], indexed: bool) -> Clusters {
        let mut total = 0;
        let mut clusters: Vec<Cluster> = self
            .cells
            .into_values()
            .map(|c| {
                total += c.count;
                let single = (c.count == 1).then_some(c.first).flatten();
                match single {
                    Some((id, ty, start)) => Cluster {
                        lon: c.lon,
                        lat: c.lat,
                        count: 1,
                        single: Some(Single {
                            id: id.to_string(),
                            incident_type: types.get(usize::from(ty)).cloned().unwrap_or_default(),
                            start: DateTime::<Utc>::from_timestamp_millis(start)
                                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                                .unwrap_or_default(),
                        }),
                    },
                    None => {
                        let n = c.count as f64;
                        let (lon, lat) = unmercator(c.sx / n, c.sy / n);
                        Cluster {
                            lon,
                            lat,
                            count: c.count,
                            single: None,
                        }
                    }
                }
            })
            .collect();
        // The same answer every time: biggest first, then west to east.
        clusters.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.lon.total_cmp(&b.lon))
                .then(a.lat.total_cmp(&b.lat))
        });
        Clusters {
            clusters,
            total,
            indexed,
        }
    }
}

fn in_box(bbox: &Option<[f64; 4]>, lon: f64, lat: f64) -> bool {
    match bbox {
        None => true,
        Some([w, s, e, n]) => lon >= *w && lon <= *e && lat >= *s && lat <= *n,
    }
}

impl ClusterIndex {
    /// The index as of the store's last committed write.
    async fn current(&self, store: &dyn Store) -> Result<Arc<Built>, AppError> {
        let seq = store.audit_seq().await?;
        let have = self.current.read().expect("not poisoned").clone();
        if let Some(b) = have.as_ref().filter(|b| b.seq == seq) {
            return Ok(b.clone());
        }
        let _one = self.refresh.lock().await;
        let have = self.current.read().expect("not poisoned").clone();
        // The sequence number is read before the rows: a write committed in between is
        // read now and again next time, never missed.
        let seq = store.audit_seq().await?;
        let built = match have {
            Some(b) if b.seq == seq => return Ok(b),
            Some(b) if b.seq < seq => {
                match store
                    .incidents_written(b.seq, seq, INCREMENTAL_LIMIT)
                    .await?
                {
                    IncidentsWritten::These(ids) if ids.is_empty() => Built {
                        seq,
                        entries: b.entries.clone(),
                        longest: b.longest,
                        types: b.types.clone(),
                        releases: b.releases.clone(),
                    },
                    IncidentsWritten::These(ids) => {
                        let rows = store.incident_map_rows(Some(&ids)).await?;
                        let entries = Arc::new(
                            b.entries
                                .iter()
                                .filter(|e| {
                                    ids.binary_search_by(|i| i.as_str().cmp(&e.id)).is_err()
                                })
                                .cloned()
                                .collect(),
                        );
                        Built {
                            seq,
                            entries,
                            longest: b.longest,
                            types: b.types.clone(),
                            releases: b.releases.clone(),
                        }
                        .with(rows)
                    }
                    IncidentsWritten::All => Built {
                        seq,
                        ..Built::default()
                    }
                    .with(store.incident_map_rows(None).await?),
                }
            }
            // Empty, or a database whose log is behind the index (restored): read it all.
            _ => Built {
                seq,
                ..Built::default()
            }
            .with(store.incident_map_rows(None).await?),
        };
        let built = Arc::new(built);
        *self.current.write().expect("not poisoned") = Some(built.clone());
        Ok(built)
    }
}

impl crate::App {
    /// Builds the map's cluster index now (at 1 M incidents, seconds), so that the first
    /// map request does not wait for it; later writes are added at each request.
    pub async fn warm_map_index(&self) -> Result<usize, AppError> {
        let built = self.clusters.current(self.store().as_ref()).await?;
        Ok(built.entries.len())
    }

    /// The incidents matching `f` that the reader may read, counted per grid cell of
    /// [`CELL_PX`] pixels at `zoom`; the counts sum to what the incident list finds.
    pub async fn incident_clusters(
        &self,
        principal: &Principal,
        f: &IncidentFilter,
        zoom: u8,
    ) -> Result<Clusters, AppError> {
        let zoom = zoom.min(MAX_ZOOM);
        let mut grid = Grid::new(zoom);
        if f.q.is_some() || f.organisation_id.is_some() || f.admin.is_some() {
            // What only the store can answer: its point list, binned here.
            let mut types: Vec<String> = Vec::new();
            let mut page = PageRequest::first(500);
            loop {
                let got = self
                    .store()
                    .list_incident_points(&principal.reach, f, &page)
                    .await?;
                for p in &got.items {
                    let (x, y) = mercator(p.lon, p.lat);
                    let ty = match types.iter().position(|t| *t == p.incident_type) {
                        Some(i) => i,
                        None => {
                            types.push(p.incident_type.clone());
                            types.len() - 1
                        }
                    };
                    let start = instant(&p.start).unwrap_or_default();
                    let id = Arc::from(p.id.as_str());
                    grid.add(x, y, p.lon, p.lat, (&id, ty as u16, start));
                }
                match got.next {
                    Some(next) => page.after = Some(next),
                    None => break,
                }
            }
            return Ok(grid.finish(&types, false));
        }
        let built = self.clusters.current(self.store().as_ref()).await?;
        let visible: Vec<bool> = built
            .releases
            .iter()
            .map(|r| match (&principal.reach, &r.owner) {
                (Reach::Everything, _) => true,
                (_, Some(owner)) => principal.reach.sees(owner, &r.orgs, &r.groups),
                (_, None) => false,
            })
            .collect();
        let ty: Option<Option<u16>> = f.incident_type.as_ref().map(|t| {
            let code = serde_json::to_value(t)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            built
                .types
                .iter()
                .position(|x| *x == code)
                .map(|i| i as u16)
        });
        if ty == Some(None) {
            return Ok(grid.finish(&built.types, true));
        }
        let from = f.from.map(|t| t.timestamp_millis());
        let to = f.to.map(|t| t.timestamp_millis());
        let first = match from {
            Some(from) => {
                let earliest = from.saturating_sub(built.longest);
                built.entries.partition_point(|e| e.start < earliest)
            }
            None => 0,
        };
        let last = match to {
            Some(to) => built.entries.partition_point(|e| e.start <= to),
            None => built.entries.len(),
        };
        for e in &built.entries[first..last.max(first)] {
            if from.is_some_and(|from| e.end < from)
                || !in_box(&f.bbox, e.lon, e.lat)
                || ty.is_some_and(|t| Some(e.ty) != t)
                || !visible[e.release as usize]
            {
                continue;
            }
            grid.add(e.x, e.y, e.lon, e.lat, (&e.id, e.ty, e.start));
        }
        Ok(grid.finish(&built.types, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips_and_cells_nest() {
        for (lon, lat) in [(44.36, 33.31), (43.13, 36.34), (-70.0, -45.0), (0.0, 0.0)] {
            let (x, y) = mercator(lon, lat);
            let (lo, la) = unmercator(x, y);
            assert!((lo - lon).abs() < 1e-9 && (la - lat).abs() < 1e-9);
        }
        // A cell at zoom z is four at z + 1: a point's cell index doubles (or one more).
        let (x, y) = mercator(44.36, 33.31);
        for z in 0..MAX_ZOOM {
            let (a, b) = (Grid::new(z).n, Grid::new(z + 1).n);
            assert_eq!(b, a * 2.0);
            assert_eq!((x * b) as u64 / 2, (x * a) as u64);
            assert_eq!((y * b) as u64 / 2, (y * a) as u64);
        }
    }
}
