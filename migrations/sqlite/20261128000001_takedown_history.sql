-- The takedown history: one row each time an entry reaches a status (found and listed,
-- takedown requested, taken down, back online), with the Taiwan date it happened, for the
-- public domain pages and, later, time-to-takedown charts.
--
-- Triggers on takedown_entries write the rows, so that every writer that lists an entry or
-- changes its status records the event in its own transaction, whatever code path it takes.
-- A writer with something to add calls store::takedown::change_status, which notes it.

CREATE TABLE takedown_events (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES takedown_entries (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('detected', 'takedown_requested', 'taken_down', 'reactivated')),
    -- The day it happened, Taiwan time, YYYY-MM-DD: what the public pages show.
    happened_on TEXT NOT NULL,
    -- When it was written down, RFC 3339 UTC.
    recorded_at TEXT NOT NULL,
    -- Who reported the entry (the entry's source: vendor_notice, open data, an analyst).
    source TEXT NOT NULL DEFAULT '',
    note TEXT CHECK (note IS NULL OR length(note) <= 1000)
);
CREATE INDEX takedown_events_by_entry ON takedown_events (entry_id, happened_on, id);

-- Backfill: every existing entry was found on the day it was listed, and reached its
-- current status on the day that status changed.
INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source, note)
SELECT id, 'detected', listed_on, status_changed_at, source, 'backfilled'
FROM takedown_entries ORDER BY id;
INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source, note)
SELECT id, status, coalesce(date(status_changed_at, '+8 hours'), substr(status_changed_at, 1, 10)),
       status_changed_at, source, 'backfilled'
FROM takedown_entries WHERE status <> 'detected' ORDER BY id;

-- A new entry was found on the day it was listed; one listed straight into a later status
-- (a vendor notice that says "takedown requested") also records that status.
CREATE TRIGGER takedown_entry_listed AFTER INSERT ON takedown_entries
BEGIN
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    VALUES (NEW.id, 'detected', NEW.listed_on, NEW.status_changed_at, NEW.source);
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    SELECT NEW.id, NEW.status,
           coalesce(date(NEW.status_changed_at, '+8 hours'), substr(NEW.status_changed_at, 1, 10)),
           NEW.status_changed_at, NEW.source
    WHERE NEW.status <> 'detected';
END;

CREATE TRIGGER takedown_entry_status_changed AFTER UPDATE OF status ON takedown_entries
WHEN NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    VALUES (NEW.id, NEW.status,
            coalesce(date(NEW.status_changed_at, '+8 hours'), substr(NEW.status_changed_at, 1, 10)),
            NEW.status_changed_at, NEW.source);
END;
