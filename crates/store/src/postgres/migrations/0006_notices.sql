-- Following and notices (issue 17): what each user follows, the notices made for them
-- (one per user and event key, so a periodic pass run twice makes no second notice),
-- and how each wants them mailed. A notice names its record, never its content: the
-- title is read through the reader's reach when the notice is shown or mailed.
CREATE TABLE follows (
    id TEXT COLLATE "C" PRIMARY KEY,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- commitment, engagement, operation, programme; owed_by, owed_to (the user's organisation's commitments)
    target TEXT NOT NULL,
    -- The record followed; '' for owed_by and owed_to.
    record_id TEXT COLLATE "C" NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, target, record_id)
);
CREATE INDEX follows_by_record ON follows (target, record_id);

CREATE TABLE notices (
    id TEXT COLLATE "C" PRIMARY KEY,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_key TEXT COLLATE "C" NOT NULL,
    event TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL,
    read_at TEXT,
    mailed_at TEXT,
    UNIQUE (user_id, event_key)
);
CREATE INDEX notices_by_user ON notices (user_id, at);

CREATE TABLE notice_settings (
    user_id TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    immediate BIGINT NOT NULL DEFAULT 0,
    digest BIGINT NOT NULL DEFAULT 0,
    last_digest_at TEXT
);
