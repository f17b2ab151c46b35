-- Triage: the security team's decisions on what the public reported and agents escalated,
-- one subject (a link's host, a phone number, a LINE ID) at a time (docs/security.md).
-- The twin of migrations/postgres/20261204000001_triage.sql. Times are RFC 3339 text in UTC.

CREATE TABLE triage_decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('host', 'phone', 'line_id')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    -- Why: for a rejection the false positive's reason (required), for an acceptance a note.
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    -- The evidence it decided: reports (links) and agents' requests waiting at that moment.
    reports INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    -- The takedown entry it created, updated or marked false positive, and in which version.
    takedown_entry_id INTEGER,
    takedown_version INTEGER,
    decided_by INTEGER NOT NULL REFERENCES staff_users (id),
    decided_at TEXT NOT NULL
);
CREATE INDEX triage_decisions_by_subject ON triage_decisions (kind, value, decided_at);
CREATE INDEX triage_decisions_by_time ON triage_decisions (decided_at);

-- A report's link waits for triage until a decision on its host takes it.
ALTER TABLE report_links ADD COLUMN triage_id INTEGER REFERENCES triage_decisions (id);
CREATE INDEX report_links_waiting ON report_links (host) WHERE triage_id IS NULL;

-- Lookalike warnings found wrong for one site (a real site that happens to look like the
-- firm's): the check no longer gives that reason there. Firm data: a change bumps the data
-- version, so every instance rebuilds its index.
CREATE TABLE cleared_lookalikes (
    -- The registrable domain.
    domain TEXT NOT NULL CHECK (length(domain) BETWEEN 1 AND 253),
    -- The lookalike reason's code (`brand_in_name`, ...).
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),
    triage_id INTEGER REFERENCES triage_decisions (id),
    cleared_by INTEGER NOT NULL REFERENCES staff_users (id),
    cleared_at TEXT NOT NULL,
    PRIMARY KEY (domain, reason)
);
