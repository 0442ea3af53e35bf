-- The versions of each journey as last read from a runtime, so the versions panel can show
-- them (with when they were seen) while that runtime cannot be reached.
CREATE TABLE version_cache (
    journey_id TEXT NOT NULL,
    target     TEXT NOT NULL,
    versions   TEXT NOT NULL CHECK (json_valid(versions)),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (journey_id, target)
);
