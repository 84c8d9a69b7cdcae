-- Hawkari SQLite schema, version 1.
-- Each record kind keeps its content as JSON in `body` (what the client wrote, validated
-- by the core types), server meta in columns, and the columns that filters and sort
-- orders need. `refs` holds every reference between records: it is how filters find
-- "engagements with this person", how writes check that a referenced record exists, and
-- how deletes refuse to orphan a record. Search runs on one FTS5 table per kind whose
-- rowid is the record's rowid and whose text is already folded (see core::text).
-- Fixed-column references are foreign keys too, deferred to commit so that one
-- transaction may write a record before the one it refers to; the store checks every
-- reference first and names the field, so these are a backstop, not the message.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX organisations_by_sort ON organisations (sort_key, id);
CREATE INDEX organisations_by_parent ON organisations (parent_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX people_by_sort ON people (sort_key, id);

CREATE TABLE places (
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
CREATE INDEX places_by_sort ON places (sort_key, id);

-- sort_key is the start of the date range (RFC 3339, UTC); end_at its end.
CREATE TABLE engagements (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    end_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX engagements_by_sort ON engagements (sort_key, id);
CREATE INDEX engagements_by_end ON engagements (end_at);

-- sort_key is the due date, or 9999-12-31 when there is none. `status` is the last
-- entry of `status_history`, kept beside it so that status filters use an index; both
-- are only ever written together.
CREATE TABLE commitments (
    id TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    engagement_id TEXT NOT NULL REFERENCES engagements (id) DEFERRABLE INITIALLY DEFERRED,
    status TEXT NOT NULL,
    status_history TEXT NOT NULL,
    responsible_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    counterpart_org_id TEXT REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX commitments_by_sort ON commitments (sort_key, id);
CREATE INDEX commitments_by_status ON commitments (status, sort_key, id);
CREATE INDEX commitments_by_engagement ON commitments (engagement_id);

CREATE TABLE topics (
    code TEXT PRIMARY KEY NOT NULL,
    labels TEXT NOT NULL
) STRICT;

CREATE TABLE refs (
    src_kind TEXT NOT NULL,
    src_id TEXT NOT NULL,
    rel TEXT NOT NULL,
    dst_kind TEXT NOT NULL,
    dst_id TEXT NOT NULL,
    PRIMARY KEY (src_kind, src_id, rel, dst_kind, dst_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX refs_by_target ON refs (dst_kind, dst_id, rel, src_kind, src_id);

CREATE VIRTUAL TABLE organisations_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE people_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE places_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
-- An engagement's `names` are its participants' folded names, kept in step when a
-- participant is written, so that a name search is one index lookup.
CREATE VIRTUAL TABLE engagements_fts USING fts5 (doc, names, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE commitments_fts USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 0');
