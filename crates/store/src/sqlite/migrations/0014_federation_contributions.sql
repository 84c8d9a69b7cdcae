-- Federation (issue 13): partners' contributions — comments, commitment status changes,
-- operation-site reports — made on a record at any instance. Each is kept once, by its
-- id (`<origin>.<random>`, origin being the home organisation of the instance where it
-- was made): an append-only set that every instance holding the record converges on.
-- `body` is the contribution as JSON; `owner` the record's owning organisation.
CREATE TABLE contributions (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX contributions_record ON contributions (kind, record_id);
-- The contributions sent to each partner instance (cleared for a record when it is
-- withdrawn from that partner, or when anti-entropy finds the partner lacks one).
CREATE TABLE contribution_sent (
    contribution_id TEXT NOT NULL,
    destination TEXT NOT NULL,
    PRIMARY KEY (contribution_id, destination)
) WITHOUT ROWID;
