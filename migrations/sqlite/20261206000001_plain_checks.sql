-- The takedown tables' checks of a code against its list, written as comparisons joined by OR
-- instead of `IN (…)`: SQLite evaluates an `IN` list in a CHECK by building a small table
-- for every row it checks, about 1 µs each, which was five of every million-row import's 30
-- seconds (docs/benchmarks.md). The lists, and so what the tables accept, are the same.
--
-- SQLite cannot change a CHECK constraint in place, so the three tables are rebuilt and their
-- rows copied across, as 20261203000001_takedown_versions did: the new tables are filled, the
-- old ones dropped children first (so dropping the entries cascades to nothing), the new ones
-- renamed into place (SQLite renames the references to them too), and their indexes and
-- triggers made again as the earlier migrations made them. PostgreSQL checks an `IN` list
-- without that cost and keeps its tables.

CREATE TABLE takedown_entries_v3 (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope = 'url' OR scope = 'path_prefix' OR scope = 'host'
                               OR scope = 'registrable_domain' OR scope = 'ip' OR scope = 'cidr'),
    target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 2048),
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    -- The registrable domain of the host (the address itself for an IP).
    site TEXT CHECK (site IS NULL OR length(site) BETWEEN 1 AND 253),
    hosting_ip TEXT CHECK (hosting_ip IS NULL OR length(hosting_ip) BETWEEN 1 AND 45),
    source TEXT NOT NULL
        CHECK (source = 'vendor_feed' OR source = 'open_data_165' OR source = 'escalation'
               OR source = 'public_report' OR source = 'manual'),
    vendor TEXT NOT NULL DEFAULT '' CHECK (length(vendor) <= 100),
    alert_id TEXT CHECK (alert_id IS NULL OR length(alert_id) BETWEEN 1 AND 64),
    case_id TEXT CHECK (case_id IS NULL OR length(case_id) BETWEEN 1 AND 64),
    -- The brand the site impersonates (for the 165 data, the name the site gives itself).
    brand TEXT NOT NULL DEFAULT '' CHECK (length(brand) <= 200),
    -- Taiwan dates, YYYY-MM-DD: when the site was first and last seen (reported, in a window).
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    report_count INTEGER NOT NULL DEFAULT 1 CHECK (report_count >= 0),
    notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    status TEXT NOT NULL CHECK (status = 'detected' OR status = 'reported' OR status = 'takedown_requested'
                                OR status = 'taken_down' OR status = 'monitoring' OR status = 'reactivated'
                                OR status = 'false_positive' OR status = 'withdrawn'),
    listed_on TEXT NOT NULL,
    status_changed_at TEXT NOT NULL,
    -- The takedown data version that last changed the entry, and the one that took it out of
    -- the active set (NULL while it is in it).
    changed_in INTEGER NOT NULL DEFAULT 0,
    removed_in INTEGER,
    UNIQUE (scope, target)
);
INSERT INTO takedown_entries_v3
    (id, scope, target, url, host, site, hosting_ip, source, vendor, alert_id, case_id, brand,
     first_seen, last_seen, report_count, notes, status, listed_on, status_changed_at, changed_in,
     removed_in)
SELECT id, scope, target, url, host, site, hosting_ip, source, vendor, alert_id, case_id, brand,
       first_seen, last_seen, report_count, notes, status, listed_on, status_changed_at, changed_in,
       removed_in
FROM takedown_entries ORDER BY id;

CREATE TABLE takedown_events_v3 (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES takedown_entries_v3 (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status = 'detected' OR status = 'reported' OR status = 'takedown_requested'
                                OR status = 'taken_down' OR status = 'monitoring' OR status = 'reactivated'
                                OR status = 'false_positive' OR status = 'withdrawn'),
    -- The day it happened, Taiwan time, YYYY-MM-DD: what the public pages show.
    happened_on TEXT NOT NULL,
    -- When it was written down, RFC 3339 UTC.
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    note TEXT CHECK (note IS NULL OR length(note) <= 1000),
    -- The staff login that made the change ('' for imports and the system).
    actor TEXT NOT NULL DEFAULT '' CHECK (length(actor) <= 64)
);
INSERT INTO takedown_events_v3 (id, entry_id, status, happened_on, recorded_at, source, note, actor)
SELECT id, entry_id, status, happened_on, recorded_at, source, note, actor FROM takedown_events ORDER BY id;

CREATE TABLE takedown_changes_v3 (
    version INTEGER NOT NULL REFERENCES takedown_versions (version),
    entry_id INTEGER NOT NULL REFERENCES takedown_entries_v3 (id),
    op TEXT NOT NULL CHECK (op = 'add' OR op = 'change' OR op = 'remove'),
    before TEXT,
    PRIMARY KEY (version, entry_id)
);
INSERT INTO takedown_changes_v3 (version, entry_id, op, before)
SELECT version, entry_id, op, before FROM takedown_changes ORDER BY version, entry_id;

DROP TABLE takedown_changes;
DROP TABLE takedown_events;
DROP TABLE takedown_entries;
ALTER TABLE takedown_entries_v3 RENAME TO takedown_entries;
ALTER TABLE takedown_events_v3 RENAME TO takedown_events;
ALTER TABLE takedown_changes_v3 RENAME TO takedown_changes;

CREATE INDEX takedown_entries_by_host ON takedown_entries (host);
CREATE INDEX takedown_entries_by_site ON takedown_entries (site);
CREATE INDEX takedown_entries_by_hosting_ip ON takedown_entries (hosting_ip);
CREATE INDEX takedown_entries_by_last_seen ON takedown_entries (last_seen, id);
CREATE INDEX takedown_entries_by_listed ON takedown_entries (listed_on, id);
CREATE INDEX takedown_entries_by_status_listed ON takedown_entries (status, listed_on, id);
CREATE INDEX takedown_entries_by_alert ON takedown_entries (alert_id);
CREATE INDEX takedown_entries_by_case ON takedown_entries (case_id);
CREATE INDEX takedown_events_by_entry ON takedown_events (entry_id, happened_on, id);
CREATE INDEX takedown_changes_by_entry ON takedown_changes (entry_id, version);

-- As 20261204000003_bulk_history made it.
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

-- As 20261203000001_takedown_versions made it.
CREATE TRIGGER takedown_entry_status_changed AFTER UPDATE OF status ON takedown_entries
WHEN NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO takedown_events (entry_id, status, happened_on, recorded_at, source)
    VALUES (NEW.id, NEW.status,
            coalesce(date(NEW.status_changed_at, '+8 hours'), substr(NEW.status_changed_at, 1, 10)),
            NEW.status_changed_at, NEW.source);
END;
