-- Where each run has been, for the contacts at a tile (per-tile insight and its CSV export).
-- The tile a run is on now, or ended on, lives in contact_run: when it entered it, and for a
-- run that ended there the branch it took (an unconnected output) and when it ended. A visit's
-- row in run_tile is written once, when the run leaves the tile: one row per run and tile it
-- left, with the branch it left by and when. Runs that moved before this table existed have no
-- rows and no entry time: they show only where they are now.
ALTER TABLE contact_run ADD COLUMN tile_entered_at INTEGER;
ALTER TABLE contact_run ADD COLUMN tile_branch TEXT;
ALTER TABLE contact_run ADD COLUMN tile_left_at INTEGER;
CREATE TABLE run_tile (
    version_id INTEGER NOT NULL,
    tile TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    entered_at INTEGER NOT NULL,
    branch TEXT,
    left_at INTEGER,
    PRIMARY KEY (version_id, tile, run_id)
) WITHOUT ROWID;
-- Who is on a tile now, or ended on it, read in run order.
CREATE INDEX contact_run_tile ON contact_run (version_id, tile, status, id);
