-- Publishing: the live version of each journey on its runtime (the runtime keeps the versions;
-- the draft only remembers the last one published so the list can say "Live · v3"), and where
-- it was published ('embedded' or the remote runtime's URL).
ALTER TABLE drafts ADD COLUMN live_version INTEGER;
ALTER TABLE drafts ADD COLUMN live_state TEXT;
ALTER TABLE drafts ADD COLUMN live_target TEXT;
