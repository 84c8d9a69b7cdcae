-- Federation (issue 13): what this instance has to tell its partners, and what it told
-- and was told.
--
-- The outbox is written once federation is switched on for this database (a row in
-- outbox_switch): from then on every committed record write, by whatever process, adds
-- an entry (kind, id) in its own transaction, and the publisher reads the record as it
-- then is. A database that never federates pays nothing.
CREATE TABLE outbox_switch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    on_since TEXT NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    -- When it was queued (RFC 3339, UTC): the publisher's lag is the oldest one's age.
    queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- The version of each record last sent to each destination (deleted when a withdrawal
-- is sent): who has a copy, so that leaving the release withdraws it.
CREATE TABLE federation_sent (
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    destination TEXT NOT NULL,
    version INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (kind, record_id, destination)
) WITHOUT ROWID;
-- Events applied (or dropped) here, by event id: a redelivered event changes nothing;
-- `source` is the sending instance's organisation (`federation status` counts by it).
CREATE TABLE federation_received (
    event_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
