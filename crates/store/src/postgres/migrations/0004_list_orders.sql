-- Incidents are listed by people killed, most first, as well as by date: `killed_key`
-- is the best estimate of killed (all parties) ten digits wide, then the start
-- (record_row.rs writes it with every incident).
ALTER TABLE incidents ADD COLUMN killed_key TEXT COLLATE "C";
UPDATE incidents SET killed_key = lpad(coalesce(
    (SELECT sum((c -> 'killed' ->> 'best')::bigint)
     FROM jsonb_array_elements(coalesce(body::jsonb -> 'casualties', '[]'::jsonb)) c), 0)::text, 10, '0')
    || ' ' || sort_key;
CREATE INDEX incidents_by_killed ON incidents (killed_key, id);

-- Kinds whose derived rows (search documents, references, index columns) the store
-- writes again from their records when it next migrates, then forgets: what a change in
-- how records are indexed needs for the records written before it. People are now found
-- by their rank and the titles of their positions as well as by their names.
CREATE TABLE derived_refresh (kind TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO derived_refresh (kind) VALUES ('person');
