-- Imports write the history of the entries they add themselves, one statement per step for
-- the whole batch (store/src/import.rs), instead of the listing trigger running once per
-- entry: a million-row import spent a third of its insert time in that trigger.
--
-- The trigger skips an entry written as part of a version named in takedown_bulk_writes. Only
-- an import names its version there, inside its own transaction, right before its inserts; it
-- writes the same steps the trigger would (detected on the day listed, then the entry's status
-- if it was listed straight into another) and removes the name before it commits, so the
-- table is empty outside that transaction and every other writer still gets the trigger.
-- The twin of migrations/postgres/20261204000003_bulk_history.sql.

CREATE TABLE takedown_bulk_writes (
    version INTEGER PRIMARY KEY
);

DROP TRIGGER takedown_entry_listed;
CREATE TRIGGER takedown_entry_listed AFTER INSERT ON takedown_entries
WHEN NOT EXISTS (SELECT 1 FROM takedown_bulk_writes WHERE version = NEW.changed_in)
BEGIN
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    VALUES (NEW.id, 'detected', NEW.listed_on, NEW.status_changed_at, NEW.source);
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    SELECT NEW.id, NEW.status,
           coalesce(date(NEW.status_changed_at, '+8 hours'), substr(NEW.status_changed_at, 1, 10)),
           NEW.status_changed_at, NEW.source
    WHERE NEW.status <> 'detected';
END;
