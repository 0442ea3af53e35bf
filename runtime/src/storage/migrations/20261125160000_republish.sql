-- A version's content hash is no longer unique: publishing content an older version already
-- had (a revert, or publishing again after a stop) makes a new version with that content.
-- SQLite cannot drop a column constraint, so the table is rebuilt, the way SQLite's ALTER TABLE
-- page prescribes: migrations run with foreign keys off and are checked before they commit.
CREATE TABLE journey_version_rebuilt (
    id INTEGER PRIMARY KEY,
    journey_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    document TEXT NOT NULL,
    state TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    UNIQUE (journey_id, number)
);
INSERT INTO journey_version_rebuilt (id, journey_id, number, content_hash, document, state, published_at)
    SELECT id, journey_id, number, content_hash, document, state, published_at FROM journey_version;
DROP TABLE journey_version;
ALTER TABLE journey_version_rebuilt RENAME TO journey_version;
