-- The last test run of each draft: what it ran on, how, and what came out. A run is shown
-- only while the draft's semantic document still equals `document` (edits invalidate it).
CREATE TABLE test_runs (
    journey_id TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    document   TEXT NOT NULL,
    spec       TEXT NOT NULL CHECK (json_valid(spec)),
    result     TEXT NOT NULL CHECK (json_valid(result)),
    created_at TEXT NOT NULL
);
