-- Hawkari PostgreSQL schema, version 1: the same records, references and accounts as the
-- SQLite schema (crates/store/src/sqlite/migrations), in PostgreSQL's own terms.
--
-- * Each record kind keeps its content as JSON text in `body` and the columns filters and
--   sort orders need. Keys, sort keys and timestamps are text in the "C" collation, so
--   they order byte by byte exactly as in SQLite (RFC 3339 UTC text orders as time).
-- * Search: `doc` holds the record's folded search document (core::text, the same text
--   SQLite's FTS5 tables index); `search` is its tsvector under the `simple`
--   configuration (no stemming, no stop words) with a GIN index; queries ask for every
--   folded token as a prefix.
-- * Geography: incidents' points and areas' shapes are PostGIS geometries in WGS 84
--   (SRID 4326) with GiST indexes, readable by QGIS and ogrinfo.
-- * References between records live in `refs` and are checked by the store before
--   commit, naming the field; there are no foreign keys between record tables, so that a
--   resumable copy can write a record before the one it refers to in separate batches.

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

CREATE TABLE organisations (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT COLLATE "C",
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX organisations_by_sort ON organisations (sort_key, id);
CREATE INDEX organisations_by_parent ON organisations (parent_id);
CREATE INDEX organisations_search ON organisations USING gin (search);

CREATE TABLE people (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX people_by_sort ON people (sort_key, id);
CREATE INDEX people_search ON people USING gin (search);

CREATE TABLE places (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX places_by_sort ON places (sort_key, id);
CREATE INDEX places_search ON places USING gin (search);

-- An engagement's `names` are its participants' folded names, kept in step when a
-- participant is written, so that a name search is one index lookup.
CREATE TABLE engagements (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    end_at TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    names TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc || ' ' || names)) STORED
);
CREATE INDEX engagements_by_sort ON engagements (sort_key, id);
CREATE INDEX engagements_by_end ON engagements (end_at);
CREATE INDEX engagements_search ON engagements USING gin (search);

CREATE TABLE commitments (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    engagement_id TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL,
    status_history TEXT NOT NULL,
    responsible_org_id TEXT COLLATE "C" NOT NULL,
    counterpart_org_id TEXT COLLATE "C",
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX commitments_by_sort ON commitments (sort_key, id);
CREATE INDEX commitments_by_status ON commitments (status, sort_key, id);
CREATE INDEX commitments_by_engagement ON commitments (engagement_id);
CREATE INDEX commitments_by_responsible ON commitments (responsible_org_id);
CREATE INDEX commitments_search ON commitments USING gin (search);

CREATE TABLE incidents (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    end_at TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    adm1 TEXT,
    adm2 TEXT,
    adm3 TEXT,
    external_id TEXT UNIQUE,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX incidents_by_sort ON incidents (sort_key, id);
CREATE INDEX incidents_by_end ON incidents (end_at);
CREATE INDEX incidents_by_type ON incidents (type, sort_key);
CREATE INDEX incidents_by_adm1 ON incidents (adm1, sort_key);
CREATE INDEX incidents_by_adm2 ON incidents (adm2, sort_key);
CREATE INDEX incidents_geom ON incidents USING gist (geom);
CREATE INDEX incidents_search ON incidents USING gin (search);

-- The shape is in the body (RFC 7946) and here as a geometry for GIS clients and
-- spatial queries; areas without a shape (admin units only) have none.
CREATE TABLE areas (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    organisation_id TEXT COLLATE "C",
    valid_from TEXT,
    valid_to TEXT,
    geom geometry(Geometry, 4326),
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX areas_by_sort ON areas (sort_key, id);
CREATE INDEX areas_by_kind ON areas (kind, sort_key);
CREATE INDEX areas_geom ON areas USING gist (geom);
CREATE INDEX areas_search ON areas USING gin (search);

CREATE TABLE programmes (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX programmes_by_sort ON programmes (sort_key, id);
CREATE INDEX programmes_search ON programmes USING gin (search);

CREATE TABLE operations (
    id TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    owner_org_id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED
);
CREATE INDEX operations_by_sort ON operations (sort_key, id);
CREATE INDEX operations_search ON operations USING gin (search);

CREATE TABLE topics (
    code TEXT COLLATE "C" PRIMARY KEY,
    labels TEXT NOT NULL
);

CREATE TABLE refs (
    src_kind TEXT COLLATE "C" NOT NULL,
    src_id TEXT COLLATE "C" NOT NULL,
    rel TEXT COLLATE "C" NOT NULL,
    dst_kind TEXT COLLATE "C" NOT NULL,
    dst_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (src_kind, src_id, rel, dst_kind, dst_id)
);
CREATE INDEX refs_by_target ON refs (dst_kind, dst_id, rel, src_kind, src_id);
CREATE INDEX refs_by_source_id ON refs (src_id);

-- Accounts, sessions, API tokens and the audit log. Secrets are never stored: passwords
-- as argon2id hashes, session and API tokens as SHA-256 digests.
CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY,
    username TEXT COLLATE "C" NOT NULL UNIQUE,
    organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT COLLATE "C" PRIMARY KEY,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Append-only and hash-chained, as in SQLite: the trigger stops ordinary writes, and the
-- chain catches anyone who gets past it.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    organisation_id TEXT,
    action TEXT NOT NULL,
    kind TEXT,
    record_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_record ON audit_log (kind, record_id, seq);
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE comments (
    id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    author TEXT NOT NULL,
    organisation_id TEXT,
    at TEXT COLLATE "C" NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX comments_by_record ON comments (kind, record_id, at, id);
