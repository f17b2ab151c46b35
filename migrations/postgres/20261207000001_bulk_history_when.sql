-- The listing trigger is now skipped before it is called for the entries an import writes
-- itself, instead of inside its function (20261204000003_bulk_history.sql): an AFTER trigger
-- whose WHEN holds is queued and called once per row; a million rows inserted the old way
-- took 16.7-25.0 s, this way 14.4-18.4 s (docs/benchmarks.md). The import sets
-- `fraudcheck.bulk_version` to its version for its own transaction only (`set_config(…,
-- true)`, store/src/import.rs), next to its row in takedown_bulk_writes, which the function
-- still asks. Outside that transaction the setting is unset or empty, and every other writer
-- gets the trigger.

DROP TRIGGER takedown_entry_listed ON takedown_entries;
CREATE TRIGGER takedown_entry_listed AFTER INSERT ON takedown_entries
FOR EACH ROW WHEN (current_setting('fraudcheck.bulk_version', true) IS DISTINCT FROM NEW.changed_in::text)
EXECUTE FUNCTION takedown_entry_listed();
