-- Imports write the history of the entries they add themselves, one statement per step for
-- the whole batch (store/src/import.rs), instead of the listing trigger running once per
-- entry. The twin of migrations/sqlite/20261204000003_bulk_history.sql, which says how.
--
-- The trigger skips an entry written as part of a version named in takedown_bulk_writes. Only
-- an import names its version there, inside its own transaction, right before its inserts; it
-- writes the same steps the trigger would and removes the name before it commits, so the
-- table is empty outside that transaction and every other writer still gets the trigger.
-- (A row trigger's WHEN cannot hold a query, so the function asks.)

CREATE TABLE takedown_bulk_writes (
    version BIGINT PRIMARY KEY
);

CREATE OR REPLACE FUNCTION takedown_entry_listed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM takedown_bulk_writes WHERE version = NEW.changed_in) THEN
        RETURN NEW;
    END IF;
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    VALUES (NEW.id, 'detected', NEW.listed_on, NEW.status_changed_at, NEW.source);
    IF NEW.status <> 'detected' THEN
        INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
        VALUES (NEW.id, NEW.status, taiwan_day(NEW.status_changed_at), NEW.status_changed_at, NEW.source);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
