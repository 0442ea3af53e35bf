-- Which computer published a version (its host name, sent by the app with a publish).
-- Versions published before this column existed, or by a client that does not say, keep NULL.
ALTER TABLE journey_version ADD COLUMN published_from TEXT;
