-- The security console's takedown database: the whole status lifecycle, the fields vendor
-- feeds and the 165 open data carry, one entry per (scope, target), and numbered versions of
-- the entry set that can be rolled back (docs/security.md).
--
-- SQLite cannot change a CHECK constraint in place, so both takedown tables are rebuilt and
-- their rows copied across. The history table is dropped before the entries, so dropping the
-- old entries (an implicit DELETE) cascades to nothing.

CREATE TABLE takedown_entries_v2 (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('url', 'path_prefix', 'host', 'registrable_domain', 'ip', 'cidr')),
    target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 2048),
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    -- The registrable domain of the host (the address itself for an IP).
    site TEXT CHECK (site IS NULL OR length(site) BETWEEN 1 AND 253),
    hosting_ip TEXT CHECK (hosting_ip IS NULL OR length(hosting_ip) BETWEEN 1 AND 45),
    source TEXT NOT NULL
        CHECK (source IN ('vendor_feed', 'open_data_165', 'escalation', 'public_report', 'manual')),
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
    status TEXT NOT NULL CHECK (status IN ('detected', 'reported', 'takedown_requested', 'taken_down',
                                           'monitoring', 'reactivated', 'false_positive', 'withdrawn')),
    listed_on TEXT NOT NULL,
    status_changed_at TEXT NOT NULL,
    -- The takedown data version that last changed the entry, and the one that took it out of
    -- the active set (NULL while it is in it).
    changed_in INTEGER NOT NULL DEFAULT 0,
    removed_in INTEGER,
    UNIQUE (scope, target)
);

-- One entry per (scope, target): where older data listed the same target twice, the first stays.
INSERT INTO takedown_entries_v2
    (id, scope, target, url, host, site, hosting_ip, source, alert_id, case_id, first_seen, last_seen,
     status, listed_on, status_changed_at)
SELECT id, scope, CASE WHEN target = '' THEN host ELSE target END, url, host, site, hosting_ip,
       CASE source WHEN 'vendor_notice' THEN 'vendor_feed' WHEN 'open_data_165' THEN 'open_data_165'
                   WHEN 'escalation' THEN 'escalation' WHEN 'public_report' THEN 'public_report'
                   ELSE 'manual' END,
       alert_id, case_id, listed_on, listed_on, status, listed_on, status_changed_at
FROM takedown_entries
WHERE id IN (SELECT min(id) FROM takedown_entries
             GROUP BY scope, CASE WHEN target = '' THEN host ELSE target END);

CREATE TABLE takedown_events_v2 (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES takedown_entries_v2 (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('detected', 'reported', 'takedown_requested', 'taken_down',
                                           'monitoring', 'reactivated', 'false_positive', 'withdrawn')),
    -- The day it happened, Taiwan time, YYYY-MM-DD: what the public pages show.
    happened_on TEXT NOT NULL,
    -- When it was written down, RFC 3339 UTC.
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    note TEXT CHECK (note IS NULL OR length(note) <= 1000),
    -- The staff login that made the change ('' for imports and the system).
    actor TEXT NOT NULL DEFAULT '' CHECK (length(actor) <= 64)
);
INSERT INTO takedown_events_v2 (id, entry_id, status, happened_on, recorded_at, source, note)
SELECT id, entry_id, status, happened_on, recorded_at, source, note
FROM takedown_events WHERE entry_id IN (SELECT id FROM takedown_entries_v2);

DROP TABLE takedown_events;
DROP TABLE takedown_entries;
ALTER TABLE takedown_entries_v2 RENAME TO takedown_entries;
ALTER TABLE takedown_events_v2 RENAME TO takedown_events;

CREATE INDEX takedown_entries_by_host ON takedown_entries (host);
CREATE INDEX takedown_entries_by_site ON takedown_entries (site);
CREATE INDEX takedown_entries_by_hosting_ip ON takedown_entries (hosting_ip);
CREATE INDEX takedown_entries_by_last_seen ON takedown_entries (last_seen, id);
-- What the security console searches, filters and sorts by.
CREATE INDEX takedown_entries_by_listed ON takedown_entries (listed_on, id);
CREATE INDEX takedown_entries_by_status_listed ON takedown_entries (status, listed_on, id);
CREATE INDEX takedown_entries_by_alert ON takedown_entries (alert_id);
CREATE INDEX takedown_entries_by_case ON takedown_entries (case_id);
CREATE INDEX takedown_events_by_entry ON takedown_events (entry_id, happened_on, id);

-- The same triggers as before (20261128000001), on the rebuilt tables.
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

-- A numbered version of the takedown entry set: each import, edit or rollback makes one.
CREATE TABLE takedown_versions (
    version INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor_id INTEGER REFERENCES staff_users (id),
    -- The staff login, or 'cli', 'demo', 'system'.
    actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
    action TEXT NOT NULL CHECK (action IN ('baseline', 'import', 'edit', 'rollback')),
    -- Where the data came from: a file name, a feed address, 'paste'.
    origin TEXT NOT NULL DEFAULT '' CHECK (length(origin) <= 500),
    format TEXT NOT NULL DEFAULT '' CHECK (length(format) <= 20),
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    -- Active entries after this version, and the SHA-256 over them (docs/security.md).
    entries INTEGER NOT NULL,
    checksum TEXT NOT NULL CHECK (length(checksum) = 64),
    rolled_back_to INTEGER,
    forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    -- When an instance first built a valid index from it: the versions an instance that finds
    -- the current data damaged at start-up may fall back to.
    verified_at TEXT
);

-- What each version did to each entry it touched, with the entry as it was before (JSON;
-- NULL when it was not in the active set): enough to rebuild any earlier version.
CREATE TABLE takedown_changes (
    version INTEGER NOT NULL REFERENCES takedown_versions (version),
    entry_id INTEGER NOT NULL REFERENCES takedown_entries (id),
    op TEXT NOT NULL CHECK (op IN ('add', 'change', 'remove')),
    before TEXT,
    PRIMARY KEY (version, entry_id)
);
CREATE INDEX takedown_changes_by_entry ON takedown_changes (entry_id, version);

-- Work that runs on a schedule, once across all instances: the instance that moves a job's
-- last start forward (from before its due time) runs it.
CREATE TABLE scheduled_jobs (
    job TEXT PRIMARY KEY CHECK (length(job) BETWEEN 1 AND 64),
    last_started TEXT NOT NULL
);
