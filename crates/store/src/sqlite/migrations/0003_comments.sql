-- Comments and follow-up notes that partners who can see a record add to it; each is
-- recorded as its author's, under the author's organisation.
CREATE TABLE comments (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    author TEXT NOT NULL,
    organisation_id TEXT,
    at TEXT NOT NULL,
    text TEXT NOT NULL
) STRICT;
CREATE INDEX comments_by_record ON comments (kind, record_id, at, id);
