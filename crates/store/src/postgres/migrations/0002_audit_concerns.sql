-- The audit log, version 2: each entry's hash covers its columns exactly as stored
-- (hash_version 2; entries written before keep version 1), and each entry names the
-- organisations it concerns besides the actor's own, filed in audit_concerns so that an
-- organisation's administrators read what concerns them without scanning the log.
ALTER TABLE audit_log ADD COLUMN concerns TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE audit_concerns (
    organisation_id TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, seq)
);

INSERT INTO audit_concerns (organisation_id, seq)
SELECT organisation_id, seq FROM audit_log WHERE organisation_id IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO audit_concerns (organisation_id, seq)
SELECT detail::jsonb ->> 'organisation_id', seq FROM audit_log
WHERE action = 'user_created' AND detail::jsonb ->> 'organisation_id' IS NOT NULL
ON CONFLICT DO NOTHING;

-- Records deleted while records their deleter could not see still named them: those
-- references are kept (they are the other owner's content) and checks of dangling
-- references pass over targets listed here.
CREATE TABLE deleted_records (
    record TEXT COLLATE "C" PRIMARY KEY, -- `kind/id`
    deleted_at TEXT NOT NULL
);
