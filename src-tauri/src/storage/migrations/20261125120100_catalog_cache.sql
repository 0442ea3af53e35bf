-- The catalog cache (one row) and designer settings such as the catalog source.
CREATE TABLE catalog_cache (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    source       TEXT NOT NULL,
    document     TEXT NOT NULL CHECK (json_valid(document)),
    refreshed_at TEXT NOT NULL
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
