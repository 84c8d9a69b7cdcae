-- The audit log, version 2: each entry's hash covers its columns exactly as stored
-- (hash_version 2; entries written before keep version 1), and each entry names the
-- organisations it concerns besides the actor's own, filed in audit_concerns so that an
-- organisation's administrators read what concerns them without scanning the log.
ALTER TABLE audit_log ADD COLUMN concerns TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE audit_concerns (
    organisation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, seq)
) STRICT, WITHOUT ROWID;

-- Entries written before: by the actor's organisation, and accounts created in an
-- organisation.
INSERT OR IGNORE INTO audit_concerns (organisation_id, seq)
SELECT organisation_id, seq FROM audit_log WHERE organisation_id IS NOT NULL;
INSERT OR IGNORE INTO audit_concerns (organisation_id, seq)
SELECT json_extract(detail, '$.organisation_id'), seq FROM audit_log
WHERE action = 'user_created' AND json_valid(detail) AND json_extract(detail, '$.organisation_id') IS NOT NULL;

-- Records deleted while records their deleter could not see still named them: those
-- references are kept (they are the other owner's content) and checks of dangling
-- references pass over targets listed here.
CREATE TABLE deleted_records (
    record TEXT PRIMARY KEY NOT NULL, -- `kind/id`
    deleted_at TEXT NOT NULL
) STRICT;
