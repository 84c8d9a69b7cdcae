-- Federation (issue 13): contributions that arrived before the record they are made to
-- (an event delivered again after a later one, a copy refused until the registry had
-- what it needed). They wait here, in the order they arrived, and are checked and
-- applied when a copy of the record arrives; a withdrawal of the record, or 30 days
-- without it, drops them (audited). `body` is the event as it arrived; `source` the
-- sending instance's organisation.
CREATE TABLE federation_parked (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX federation_parked_record ON federation_parked (kind, record_id, seq);
CREATE INDEX federation_parked_at ON federation_parked (at);
