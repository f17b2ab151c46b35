-- Imports applied from the console, as jobs whose progress every instance can read: the
-- entries written so far out of all, and how it ended (docs/security.md). Written from a
-- connection of its own, never inside the import's transaction. The twin of
-- migrations/postgres/20261204000002_import_jobs.sql.

CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES staff_users (id),
    -- The staff login that applied it.
    actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
    -- Where the data came from: a file name or 'paste'; and the format read.
    origin TEXT NOT NULL DEFAULT '' CHECK (length(origin) <= 500),
    format TEXT NOT NULL DEFAULT '' CHECK (length(format) <= 20),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'unchanged', 'refused', 'failed')),
    -- Entries written (added, changed or removed) so far, out of all the plan has.
    done_entries INTEGER NOT NULL DEFAULT 0 CHECK (done_entries >= 0),
    total_entries INTEGER NOT NULL DEFAULT 0 CHECK (total_entries >= 0),
    -- The data version it made, once done.
    version INTEGER,
    -- Why it was refused or failed, in plain words.
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    -- RFC 3339 UTC.
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
