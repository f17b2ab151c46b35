-- The phone numbers and LINE IDs a public report names (read from its text when it is
-- submitted), so that a report without a link still reaches triage, merged with agents'
-- escalations of the same number or account. Reports already stored are read at the next
-- start (contacts_indexed_at NULL), and reports naming nothing at all can be closed with a
-- reason (closed_by, closed_reason).
CREATE TABLE report_contacts (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'line_id')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
    triage_id INTEGER REFERENCES triage_decisions (id),
    PRIMARY KEY (report_id, kind, value)
);
CREATE INDEX report_contacts_waiting ON report_contacts (kind, value) WHERE triage_id IS NULL;
ALTER TABLE reports ADD COLUMN contacts_indexed_at TEXT;
ALTER TABLE reports ADD COLUMN closed_by INTEGER REFERENCES staff_users (id);
ALTER TABLE reports ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '' CHECK (length(closed_reason) <= 500);
