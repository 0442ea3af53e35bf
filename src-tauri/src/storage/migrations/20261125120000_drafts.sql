-- Journey drafts: the document JSON plus the columns the journey list shows.
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    document   TEXT NOT NULL CHECK (json_valid(document))
);
CREATE INDEX drafts_by_updated_at ON drafts (updated_at DESC);
