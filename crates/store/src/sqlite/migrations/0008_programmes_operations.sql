-- Programmes (reform and transition plans, …) and joint operations with their sites.
-- Milestones, indicators, conditions, capabilities and sites live in the body: they are
-- read and judged with their programme or operation, never listed on their own.
CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX programmes_by_sort ON programmes (sort_key, id);
CREATE INDEX programmes_by_kind ON programmes (kind, sort_key);
CREATE VIRTUAL TABLE programmes_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE operations (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX operations_by_sort ON operations (sort_key, id);
CREATE VIRTUAL TABLE operations_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
