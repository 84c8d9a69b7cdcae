-- Areas of responsibility, coordination lines and areas of concern. The geometry is in
-- the body (RFC 7946); coverage analysis reads the areas in force and works in memory.
CREATE TABLE areas (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    valid_from TEXT,
    valid_to TEXT,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX areas_by_sort ON areas (sort_key, id);
CREATE INDEX areas_by_kind ON areas (kind, sort_key);
CREATE VIRTUAL TABLE areas_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
