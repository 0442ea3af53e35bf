-- The version each draft was last published as or restored from, per runtime: a publish
-- review compares it with the runtime's current version to see a publish from another computer.
CREATE TABLE draft_base (
    journey_id TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number > 0),
    target     TEXT NOT NULL
);
