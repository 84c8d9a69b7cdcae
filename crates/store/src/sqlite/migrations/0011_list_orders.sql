-- Incidents are listed by people killed, most first, as well as by date: `killed_key`
-- is the best estimate of killed (all parties) ten digits wide, then the start
-- (record_row.rs writes it with every incident).
ALTER TABLE incidents ADD COLUMN killed_key TEXT;
UPDATE incidents SET killed_key = printf('%010d', coalesce(
    (SELECT sum(json_extract(c.value, '$.killed.best')) FROM json_each(incidents.body, '$.casualties') c), 0))
    || ' ' || sort_key;
CREATE INDEX incidents_by_killed ON incidents (killed_key, id);

-- Kinds whose derived rows (search documents, references, index columns) the store
-- writes again from their records when it next migrates, then forgets: what a change in
-- how records are indexed needs for the records written before it. People are now found
-- by their rank and the titles of their positions as well as by their names.
CREATE TABLE derived_refresh (kind TEXT PRIMARY KEY NOT NULL) STRICT;
INSERT INTO derived_refresh (kind) VALUES ('person');
