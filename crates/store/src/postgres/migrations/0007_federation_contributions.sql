-- Federation (issue 13): partners' contributions — comments, commitment status changes,
-- operation-site reports — made on a record at any instance. Each is kept once, by its
-- id (`<origin>.<random>`, origin being the home organisation of the instance where it
-- was made): an append-only set that every instance holding the record converges on.
-- `body` is the contribution as JSON; `owner` the record's owning organisation.
CREATE TABLE contributions (
    id TEXT COLLATE "C" PRIMARY KEY,
    origin TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    owner TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    body TEXT COLLATE "C" NOT NULL
);
CREATE INDEX contributions_record ON contributions (kind, record_id);
-- The contributions sent to each partner instance (cleared for a record when it is
-- withdrawn from that partner, or when anti-entropy finds the partner lacks one).
CREATE TABLE contribution_sent (
    contribution_id TEXT COLLATE "C" NOT NULL,
    destination TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (contribution_id, destination)
);
