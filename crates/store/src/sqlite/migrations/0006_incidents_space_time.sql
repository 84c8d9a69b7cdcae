-- The incidents' R*Tree gains time: each incident is a box in longitude, latitude and
-- days since 1970 (its start to its end), so a map's viewport and time window are one
-- index search instead of a search in space whose every hit is then read for its date.
CREATE TABLE incidents_rtree_2d AS SELECT id, min_lon, max_lon, min_lat, max_lat FROM incidents_rtree;
DROP TABLE incidents_rtree;
CREATE VIRTUAL TABLE incidents_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day);
INSERT INTO incidents_rtree (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)
SELECT o.id, o.min_lon, o.max_lon, o.min_lat, o.max_lat,
       julianday(i.sort_key) - 2440587.5, julianday(i.end_at) - 2440587.5
FROM incidents_rtree_2d o JOIN incidents i ON i.rowid = o.id;
DROP TABLE incidents_rtree_2d;
