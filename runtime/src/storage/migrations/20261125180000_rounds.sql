-- The next round of a repeating segment journey's version: when it admits the members again.
CREATE TABLE round (
    version_id INTEGER PRIMARY KEY REFERENCES journey_version (id),
    number INTEGER NOT NULL,
    due_at INTEGER NOT NULL
);
