-- Incidents: content as JSON like every record, with the columns their filters need,
-- an R*Tree over their points (the point itself is in the body) for viewport queries,
-- and a search index.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    end_at TEXT NOT NULL,
    type TEXT NOT NULL,
    adm1 TEXT,
    adm2 TEXT,
    adm3 TEXT,
    external_id TEXT UNIQUE,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX incidents_by_sort ON incidents (sort_key, id);
CREATE INDEX incidents_by_end ON incidents (end_at);
CREATE INDEX incidents_by_type ON incidents (type, sort_key);
CREATE INDEX incidents_by_adm1 ON incidents (adm1, sort_key);
CREATE INDEX incidents_by_adm2 ON incidents (adm2, sort_key);

-- id = incidents.rowid; a point is a degenerate box.
CREATE VIRTUAL TABLE incidents_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat);
CREATE VIRTUAL TABLE incidents_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
