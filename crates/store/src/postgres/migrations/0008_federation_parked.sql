-- Federation (issue 13): events that arrived before a record they need — contributions
-- before the record they are made to (an event delivered again after a later one),
-- copies before a record they refer to (a commitment before its engagement). They wait
-- here, in the order they arrived, and are checked and applied when that record
-- arrives; a withdrawal of the record, or 30 days waiting, drops them (audited).
-- `body` is the event as it arrived; `source` the sending instance's organisation.
CREATE TABLE federation_parked (
    seq BIGSERIAL PRIMARY KEY,
    event_id TEXT COLLATE "C" NOT NULL UNIQUE,
    source TEXT COLLATE "C" NOT NULL,
    -- `contribute`: waits for its record; `copy`: waits for a record it refers to.
    op TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX federation_parked_record ON federation_parked (kind, record_id, seq);
CREATE INDEX federation_parked_at ON federation_parked (at);
CREATE INDEX federation_parked_op ON federation_parked (op, seq);
