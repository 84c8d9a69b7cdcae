-- A user's saved views: a list page with its filters, under a name of theirs.
CREATE TABLE saved_views (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX saved_views_by_user ON saved_views (user_id, name);
