-- An incident's point beside its record, so a map's page of points is read with the
-- page's keys, in one query, without the bodies or an R*Tree lookup per row.
ALTER TABLE incidents ADD COLUMN lon REAL;
ALTER TABLE incidents ADD COLUMN lat REAL;
UPDATE incidents SET lon = json_extract(body, '$.point.lon'), lat = json_extract(body, '$.point.lat');
