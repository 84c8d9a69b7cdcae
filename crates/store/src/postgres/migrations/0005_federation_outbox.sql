-- Federation (issue 13): what this instance has to tell its partners, and what it told
-- and was told.
--
-- The outbox is written once federation is switched on for this database (a row in
-- outbox_switch): from then on every committed record write, by whatever process, adds
-- an entry (kind, id) in its own transaction, and the publisher reads the record as it
-- then is. A database that never federates pays nothing.
CREATE TABLE outbox_switch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    on_since TEXT COLLATE "C" NOT NULL
);
CREATE TABLE outbox (
    seq BIGSERIAL PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    -- When it was queued (RFC 3339, UTC): the publisher's lag is the oldest one's age.
    queued_at TEXT COLLATE "C" NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);
-- The version of each record last sent to each destination (deleted when a withdrawal
-- is sent): who has a copy, so that leaving the release withdraws it.
CREATE TABLE federation_sent (
    kind TEXT COLLATE "C" NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    destination TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, record_id, destination)
);
-- Events applied (or dropped) here, by event id: a redelivered event changes nothing;
-- `source` is the sending instance's organisation (`federation status` counts by it).
CREATE TABLE federation_received (
    event_id TEXT PRIMARY KEY,
    source TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL
);
