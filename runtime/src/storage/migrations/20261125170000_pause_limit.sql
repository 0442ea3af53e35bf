-- When a version was paused: a pause left alone stops the version after the domain's limit.
ALTER TABLE journey_version ADD COLUMN paused_at INTEGER;
