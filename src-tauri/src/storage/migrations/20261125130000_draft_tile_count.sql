-- Keep the tile count in a column so autosave and the list never re-parse big documents.
ALTER TABLE drafts ADD COLUMN tile_count INTEGER NOT NULL DEFAULT 0;
UPDATE drafts SET tile_count = COALESCE(json_array_length(document, '$.tiles'), 0);
