CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE journey_version (
    id INTEGER PRIMARY KEY,
    journey_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    state TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    UNIQUE (journey_id, number)
);
CREATE TABLE contact (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE consent (
    contact_point TEXT NOT NULL,
    channel TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    source TEXT,
    PRIMARY KEY (contact_point, channel, scope)
);
CREATE TABLE segment (id TEXT PRIMARY KEY, definition TEXT NOT NULL);
CREATE TABLE contact_run (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES journey_version (id),
    contact_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    tile TEXT,
    phase TEXT NOT NULL,
    UNIQUE (version_id, contact_id, entry_key)
);
CREATE INDEX contact_run_version ON contact_run (version_id, status);
CREATE TABLE work (
    id INTEGER PRIMARY KEY,
    due_at INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    token TEXT,
    input TEXT NOT NULL
);
CREATE INDEX work_due ON work (due_at, id);
CREATE INDEX work_run ON work (run_id, token);
CREATE TABLE wait (
    run_id INTEGER NOT NULL,
    corr TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    PRIMARY KEY (run_id, corr)
);
CREATE INDEX wait_corr ON wait (corr);
CREATE TABLE outbox (
    idem_key TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL,
    tile TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL,
    delivery_id TEXT,
    retry_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox (status, retry_at);
CREATE TABLE inbound (
    event_id TEXT PRIMARY KEY,
    corr TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE tile_count (
    version_id INTEGER NOT NULL,
    tile TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (version_id, tile, outcome)
) WITHOUT ROWID;
