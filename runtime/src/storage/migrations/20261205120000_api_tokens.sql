-- Two scopes of API token, stored as SHA-256 hashes (the plain token is shown once).
-- A token from before scopes (meta key api_token, plain) becomes the admin token at open.
CREATE TABLE api_token (
    scope TEXT PRIMARY KEY CHECK (scope IN ('admin', 'ingest')),
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
