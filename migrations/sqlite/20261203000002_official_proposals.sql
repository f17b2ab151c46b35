-- The official list's two-person rule: a change to the official list or the brand keywords
-- is proposed by one member of the security team and applied only when another approves it
-- (docs/security.md). Written the same for PostgreSQL
-- (migrations/postgres/20261203000002_official_proposals.sql). Times are RFC 3339 text in UTC.

CREATE TABLE official_proposals (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('add', 'change', 'remove')),
    -- An official entry's kind, or 'keyword' for a brand keyword (table brand_keywords).
    kind TEXT NOT NULL CHECK (kind IN ('domain', 'phone', 'line_id', 'app', 'keyword')),
    -- The value as it would be stored (normalised: E.164, lower case, ...).
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    -- The labels proposed (for an addition or a change; empty for a removal or a keyword).
    label_zh TEXT NOT NULL DEFAULT '' CHECK (length(label_zh) <= 200),
    label_en TEXT NOT NULL DEFAULT '' CHECK (length(label_en) <= 200),
    -- The official entry a change or removal is of (none for an addition or a keyword), and
    -- the entry as it was when proposed (JSON), so the diff shows what was there and an
    -- approval can tell that it has changed since.
    entry_id INTEGER,
    before TEXT,
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    proposed_by INTEGER NOT NULL REFERENCES staff_users (id),
    proposed_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
    -- Who approved or rejected it (the proposer, for a withdrawal), when, and their note.
    decided_by INTEGER REFERENCES staff_users (id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '' CHECK (length(decision_note) <= 1000)
);
-- One pending proposal per (kind, value); a decided one may be proposed afresh.
CREATE UNIQUE INDEX official_proposals_one_pending ON official_proposals (kind, value) WHERE state = 'pending';
CREATE INDEX official_proposals_by_state ON official_proposals (state, decided_at);
